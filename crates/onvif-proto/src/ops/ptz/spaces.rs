//! A node's coordinate spaces (`tt:PTZSpaces`): for each kind of move and axis, the spaces it
//! offers with their ranges, which may be unbounded (`INF`).

use serde::Serialize;

use super::space;
use super::values::{fmt_float, parse_float};
use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::TT;
use crate::ops::message::opt_text;
use crate::ops::range::FloatRange;
use crate::xml::{Element, Writer};

/// An inclusive range from the `Min`/`Max` children of `{tt}name`, bounds possibly infinite.
fn read_range(el: &Element, name: &str) -> Result<FloatRange, Error> {
    let bound = |r: &Element, b: &str| {
        let field = || format!("{}/{name}/{b}", el.name);
        let t = r.child_text(TT, b).ok_or_else(|| Error::missing(field()))?;
        parse_float(t, true).ok_or_else(|| Error::invalid(field(), t, "not a number"))
    };
    let r = el
        .child(TT, name)
        .ok_or_else(|| Error::missing(format!("{}/{name}", el.name)))?;
    Ok(FloatRange {
        min: bound(r, "Min")?,
        max: bound(r, "Max")?,
    })
}

fn write_range(w: &mut Writer, tag: &str, r: &FloatRange) {
    w.open(tag, &[])
        .leaf("tt:Min", &fmt_float(r.min))
        .leaf("tt:Max", &fmt_float(r.max))
        .close(tag);
}

/// The required, non-empty `URI` of a space.
fn read_uri(el: &Element) -> Result<String, Error> {
    opt_text(el, TT, "URI").ok_or_else(|| Error::missing(format!("{}/URI", el.name)))
}

/// Does the range hold `v` (bounds included)?
fn holds(r: &FloatRange, v: f64) -> bool {
    r.min <= v && v <= r.max
}

/// A two-dimensional coordinate space (`tt:Space2DDescription`): pan (X) and tilt (Y) ranges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Space2D {
    /// The space's URI (see [`space`]).
    pub uri: String,
    /// Pan.
    pub x_range: FloatRange,
    /// Tilt.
    pub y_range: FloatRange,
}

impl Space2D {
    /// A space from its URI and ranges.
    pub fn new(uri: impl Into<String>, x: (f64, f64), y: (f64, f64)) -> Self {
        Space2D {
            uri: uri.into(),
            x_range: FloatRange { min: x.0, max: x.1 },
            y_range: FloatRange { min: y.0, max: y.1 },
        }
    }

    /// Do both values lie within the ranges?
    pub fn contains(&self, x: f64, y: f64) -> bool {
        holds(&self.x_range, x) && holds(&self.y_range, y)
    }
}

/// By hand: its range bounds may be `INF`/`-INF`.
impl Node for Space2D {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(Space2D {
            uri: read_uri(el)?,
            x_range: read_range(el, "XRange")?,
            y_range: read_range(el, "YRange")?,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]).leaf("tt:URI", &self.uri);
        write_range(w, "tt:XRange", &self.x_range);
        write_range(w, "tt:YRange", &self.y_range);
        w.close(tag);
    }
}

/// A one-dimensional coordinate space (`tt:Space1DDescription`): zoom, or a speed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Space1D {
    /// The space's URI (see [`space`]).
    pub uri: String,
    /// The values allowed.
    pub x_range: FloatRange,
}

impl Space1D {
    /// A space from its URI and range.
    pub fn new(uri: impl Into<String>, x: (f64, f64)) -> Self {
        Space1D {
            uri: uri.into(),
            x_range: FloatRange { min: x.0, max: x.1 },
        }
    }

    /// Does the value lie within the range?
    pub fn contains(&self, x: f64) -> bool {
        holds(&self.x_range, x)
    }
}

/// By hand: its range bounds may be `INF`/`-INF`.
impl Node for Space1D {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(Space1D {
            uri: read_uri(el)?,
            x_range: read_range(el, "XRange")?,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]).leaf("tt:URI", &self.uri);
        write_range(w, "tt:XRange", &self.x_range);
        w.close(tag);
    }
}

/// The coordinate spaces of a node (`tt:PTZSpaces`), for each kind of move. An empty list means
/// the node does not support that kind of move on that axis. A space without URI or readable
/// ranges is left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct PtzSpaces {
    /// `AbsolutePanTiltPositionSpace`.
    #[xml(child = "tt:AbsolutePanTiltPositionSpace", lenient)]
    pub absolute_pan_tilt: Vec<Space2D>,
    /// `AbsoluteZoomPositionSpace`.
    #[xml(child = "tt:AbsoluteZoomPositionSpace", lenient)]
    pub absolute_zoom: Vec<Space1D>,
    /// `RelativePanTiltTranslationSpace`.
    #[xml(child = "tt:RelativePanTiltTranslationSpace", lenient)]
    pub relative_pan_tilt: Vec<Space2D>,
    /// `RelativeZoomTranslationSpace`.
    #[xml(child = "tt:RelativeZoomTranslationSpace", lenient)]
    pub relative_zoom: Vec<Space1D>,
    /// `ContinuousPanTiltVelocitySpace`.
    #[xml(child = "tt:ContinuousPanTiltVelocitySpace", lenient)]
    pub continuous_pan_tilt: Vec<Space2D>,
    /// `ContinuousZoomVelocitySpace`.
    #[xml(child = "tt:ContinuousZoomVelocitySpace", lenient)]
    pub continuous_zoom: Vec<Space1D>,
    /// `PanTiltSpeedSpace` (one-dimensional: a speed has no direction).
    #[xml(child = "tt:PanTiltSpeedSpace", lenient)]
    pub pan_tilt_speed: Vec<Space1D>,
    /// `ZoomSpeedSpace`.
    #[xml(child = "tt:ZoomSpeedSpace", lenient)]
    pub zoom_speed: Vec<Space1D>,
}

impl PtzSpaces {
    /// The generic spaces every PTZ node supports in principle: positions, translations and
    /// velocities in `-1..1` (absolute zoom in `0..1`), speeds in `0..1`. What a client
    /// assumes when the camera will not describe its node.
    pub fn generic() -> PtzSpaces {
        PtzSpaces {
            absolute_pan_tilt: vec![Space2D::new(
                space::PAN_TILT_POSITION_GENERIC,
                (-1.0, 1.0),
                (-1.0, 1.0),
            )],
            absolute_zoom: vec![Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 1.0))],
            relative_pan_tilt: vec![Space2D::new(
                space::PAN_TILT_TRANSLATION_GENERIC,
                (-1.0, 1.0),
                (-1.0, 1.0),
            )],
            relative_zoom: vec![Space1D::new(space::ZOOM_TRANSLATION_GENERIC, (-1.0, 1.0))],
            continuous_pan_tilt: vec![Space2D::new(
                space::PAN_TILT_VELOCITY_GENERIC,
                (-1.0, 1.0),
                (-1.0, 1.0),
            )],
            continuous_zoom: vec![Space1D::new(space::ZOOM_VELOCITY_GENERIC, (-1.0, 1.0))],
            pan_tilt_speed: vec![Space1D::new(space::PAN_TILT_SPEED_GENERIC, (0.0, 1.0))],
            zoom_speed: vec![Space1D::new(space::ZOOM_SPEED_GENERIC, (0.0, 1.0))],
        }
    }
}
