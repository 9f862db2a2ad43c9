//! Positions, translations, velocities and speeds: `tt:Vector2D`, `tt:Vector1D` and
//! `tt:PTZVector`.

use serde::Serialize;

use super::values::{attr_any, fmt_float, parse_float};
use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::TT;
use crate::xml::{Element, Writer};

/// A pan/tilt value (`tt:Vector2D`): a position, translation, velocity or speed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vector2D {
    /// Pan.
    pub x: f64,
    /// Tilt.
    pub y: f64,
    /// The coordinate space; `None` means the configuration's default one.
    pub space: Option<String>,
}

impl Vector2D {
    /// A value in the default space.
    pub fn new(x: f64, y: f64) -> Self {
        Vector2D { x, y, space: None }
    }

    /// A value in `space`.
    pub fn in_space(x: f64, y: f64, space: impl Into<String>) -> Self {
        Vector2D {
            x,
            y,
            space: Some(space.into()),
        }
    }
}

/// By hand: its attributes are read in any namespace (cameras qualify PTZ attributes).
impl Node for Vector2D {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(Vector2D {
            x: coordinate(el, "x")?,
            y: coordinate(el, "y")?,
            space: space_attr(el),
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.start(tag)
            .attr("x", &fmt_float(self.x))
            .attr("y", &fmt_float(self.y));
        write_space(w, self.space.as_deref());
    }
}

/// A zoom value (`tt:Vector1D`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vector1D {
    /// Zoom.
    pub x: f64,
    /// The coordinate space; `None` means the configuration's default one.
    pub space: Option<String>,
}

impl Vector1D {
    /// A value in the default space.
    pub fn new(x: f64) -> Self {
        Vector1D { x, space: None }
    }

    /// A value in `space`.
    pub fn in_space(x: f64, space: impl Into<String>) -> Self {
        Vector1D {
            x,
            space: Some(space.into()),
        }
    }
}

/// By hand: its attributes are read in any namespace (cameras qualify PTZ attributes).
impl Node for Vector1D {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(Vector1D {
            x: coordinate(el, "x")?,
            space: space_attr(el),
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.start(tag).attr("x", &fmt_float(self.x));
        write_space(w, self.space.as_deref());
    }
}

/// A required coordinate attribute: a finite number.
fn coordinate(el: &Element, name: &str) -> Result<f64, Error> {
    let field = || format!("{}/@{name}", el.name);
    let v = attr_any(el, name).ok_or_else(|| Error::missing(field()))?;
    parse_float(v, false).ok_or_else(|| Error::invalid(field(), v, "not a finite number"))
}

fn space_attr(el: &Element) -> Option<String> {
    attr_any(el, "space")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The `space` attribute when there is one, and the end of the (empty) element.
fn write_space(w: &mut Writer, space: Option<&str>) {
    if let Some(s) = space {
        w.attr("space", s);
    }
    w.end_empty();
}

/// Pan/tilt and zoom together (`tt:PTZVector`, and `tt:PTZSpeed`, which has the same shape): a
/// position, a translation, a velocity or a speed. A part left `None` is not moved (or, in a
/// speed, takes the default).
///
/// As a [`Node`] it is read strictly (a part that is present must be complete and finite), as
/// requests are; answers read it with [`PtzVector::read_lenient`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct PtzVector {
    /// `PanTilt`: pan is `x`, tilt is `y`.
    #[xml(child = "tt:PanTilt")]
    pub pan_tilt: Option<Vector2D>,
    /// `Zoom`.
    #[xml(child = "tt:Zoom")]
    pub zoom: Option<Vector1D>,
}

impl PtzVector {
    /// Pan, tilt and zoom in the default spaces.
    pub fn new(pan: f64, tilt: f64, zoom: f64) -> Self {
        PtzVector {
            pan_tilt: Some(Vector2D::new(pan, tilt)),
            zoom: Some(Vector1D::new(zoom)),
        }
    }

    /// Read a vector a camera sent: unreadable parts are `None`.
    pub fn read_lenient(el: &Element) -> PtzVector {
        PtzVector {
            pan_tilt: el
                .child(TT, "PanTilt")
                .and_then(|p| Vector2D::read_node(p).ok()),
            zoom: el
                .child(TT, "Zoom")
                .and_then(|z| Vector1D::read_node(z).ok()),
        }
    }

    /// Read a vector from a request: a part that is present must be complete and finite.
    pub fn read_strict(el: &Element) -> Result<PtzVector, Error> {
        <PtzVector as Node>::read_node(el)
    }
}

/// Declare the `#[xml(with)]` module of an optional vector in an answer: `tt:$local` read with
/// [`PtzVector::read_lenient`], written when present.
macro_rules! lenient_vector {
    ($module:ident, $parent:ty, $field:ident, $local:literal) => {
        #[doc = concat!("`#[xml(with)]` for `tt:", $local, "`, a vector read leniently.")]
        mod $module {
            use super::*;

            pub(super) fn read(
                el: &crate::xml::Element,
            ) -> Result<Option<PtzVector>, crate::Error> {
                Ok(el.child(crate::ns::TT, $local).map(PtzVector::read_lenient))
            }

            pub(super) fn write(p: &$parent, w: &mut crate::xml::Writer, _: &str) {
                if let Some(v) = &p.$field {
                    crate::codec::Node::write_node(v, w, concat!("tt:", $local));
                }
            }
        }
    };
}
pub(super) use lenient_vector;
