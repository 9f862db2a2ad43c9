//! PTZ service, ver20 (`tptz:`, <http://www.onvif.org/ver20/ptz/wsdl>): nodes and their
//! coordinate spaces, configurations, status, the three kinds of move, stop, presets, the home
//! position and auxiliary commands. The schema types are `tt:` ones.
//!
//! Answers are read leniently (an unreadable optional value is `None` or left out of its list,
//! as in [`crate::ops::profile`]); requests, which the simulator acts on, are read strictly, so a
//! bad coordinate is refused rather than silently dropped. Everything is written in schema
//! order.
//!
//! Numbers are `f64`. Space ranges may be unbounded (`-INF`/`INF` in XML, as the spherical
//! spaces are defined); an infinite bound serialises to JSON as `null`. Durations
//! (`xs:duration`) are [`std::time::Duration`]s, read with [`parse_duration`] and written (in XML
//! and JSON) with [`format_duration`].
//!
//! [`scale`] maps a user's `-1..1` (or `0..1`) values into the ranges a node advertises and
//! checks values against them, before anything is sent.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use serde::{Serialize, Serializer};

use crate::error::Error;
use crate::ns::{TPTZ, TT};
use crate::ops::profile::{FloatRange, Num, bool_str, token_request, xml_enum};
use crate::ops::{Message, Service, expect, opt_text, parse_bool, req_text};
use crate::time::parse_datetime;
use crate::xml::{Element, Writer};
use crate::{empty_message, operation};

/// The URIs of the coordinate spaces the PTZ specification defines.
pub mod space {
    /// Absolute pan/tilt, normalised to `-1..1` on both axes.
    pub const PAN_TILT_POSITION_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace";
    /// Absolute zoom, normalised to `0..1` (wide to tele).
    pub const ZOOM_POSITION_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace";
    /// Relative pan/tilt, normalised to `-1..1`.
    pub const PAN_TILT_TRANSLATION_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace";
    /// Relative zoom, normalised to `-1..1`.
    pub const ZOOM_TRANSLATION_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace";
    /// Continuous pan/tilt velocity, normalised to `-1..1`.
    pub const PAN_TILT_VELOCITY_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace";
    /// Continuous zoom velocity, normalised to `-1..1`.
    pub const ZOOM_VELOCITY_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace";
    /// Pan/tilt speed of absolute and relative moves, normalised to `0..1`.
    pub const PAN_TILT_SPEED_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace";
    /// Zoom speed of absolute and relative moves, normalised to `0..1`.
    pub const ZOOM_SPEED_GENERIC: &str =
        "http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace";
    /// Absolute pan/tilt angles in degrees.
    pub const PAN_TILT_POSITION_SPHERICAL_DEGREES: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpace";
    /// Relative pan/tilt angles in degrees.
    pub const PAN_TILT_TRANSLATION_SPHERICAL_DEGREES: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalTranslationSpaceDegrees";
    /// Pan/tilt velocity in degrees per second.
    pub const PAN_TILT_VELOCITY_DEGREES: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocitySpaceDegrees";
    /// Pan/tilt speed in degrees per second.
    pub const PAN_TILT_SPEED_DEGREES: &str =
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/SpeedSpaceDegrees";
    /// Absolute zoom as a focal length in millimetres.
    pub const ZOOM_POSITION_MILLIMETER: &str =
        "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionSpaceMillimeter";
}

// ---------------------------------------------------------------------------------------------
// Numbers, durations and reading modes

/// An `xs:float`: surrounding space ignored, `INF`/`-INF` only when `infinite` is allowed (space
/// ranges), never NaN.
fn parse_float(s: &str, infinite: bool) -> Option<f64> {
    let v: f64 = s.trim().parse().ok()?;
    (v.is_finite() || (infinite && v.is_infinite())).then_some(v)
}

/// An `xs:float` as written: `INF`/`-INF` for the infinities.
fn fmt_float(v: f64) -> String {
    if v == f64::INFINITY {
        "INF".into()
    } else if v == f64::NEG_INFINITY {
        "-INF".into()
    } else {
        v.to_string()
    }
}

pub use crate::time::{format_duration, parse_duration};

fn ser_duration<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*d))
}

fn ser_opt_duration<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&format_duration(*d)),
        None => s.serialize_none(),
    }
}

/// How a message is read: leniently (answers) or strictly (requests).
#[derive(Clone, Copy)]
struct Rd {
    strict: bool,
}

const LENIENT: Rd = Rd { strict: false };
const STRICT: Rd = Rd { strict: true };

/// An attribute by local name: unqualified first, then in any namespace (some cameras qualify
/// PTZ attributes, e.g. `tt:EFlip`).
fn attr_any<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.attr(name).or_else(|| {
        el.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    })
}

impl Rd {
    /// A required float attribute: `None` when absent or unreadable, which strict reading
    /// refuses.
    fn float_attr(self, el: &Element, name: &str) -> Result<Option<f64>, Error> {
        let field = || format!("{}/@{name}", el.name);
        match attr_any(el, name) {
            Some(v) => match parse_float(v, false) {
                Some(f) => Ok(Some(f)),
                None if self.strict => Err(Error::invalid(field(), v, "not a finite number")),
                None => Ok(None),
            },
            None if self.strict => Err(Error::missing(field())),
            None => Ok(None),
        }
    }

    /// An optional boolean child.
    fn bool_child(self, el: &Element, ns: &str, name: &str) -> Result<Option<bool>, Error> {
        match el.child_text(ns, name) {
            None => Ok(None),
            Some(t) => match parse_bool(name, t) {
                Ok(b) => Ok(Some(b)),
                Err(e) if self.strict => Err(e),
                Err(_) => Ok(None),
            },
        }
    }

    /// An optional duration child.
    fn duration_child(self, el: &Element, ns: &str, name: &str) -> Result<Option<Duration>, Error> {
        match el.child_text(ns, name) {
            None | Some("") => Ok(None),
            Some(t) => match parse_duration(t) {
                Some(d) => Ok(Some(d)),
                None if self.strict => Err(Error::invalid(
                    format!("{}/{name}", el.name),
                    t,
                    "not an xs:duration",
                )),
                None => Ok(None),
            },
        }
    }
}

/// `<tag>v</tag>` with `v` as an `xs:float`.
fn leaf_float(w: &mut Writer, tag: &str, v: f64) {
    w.leaf(tag, &fmt_float(v));
}

// ---------------------------------------------------------------------------------------------
// Vectors

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

    fn read(el: &Element, r: Rd) -> Result<Option<Vector2D>, Error> {
        let x = r.float_attr(el, "x")?;
        let y = r.float_attr(el, "y")?;
        Ok(match (x, y) {
            (Some(x), Some(y)) => Some(Vector2D {
                x,
                y,
                space: space_attr(el),
            }),
            _ => None,
        })
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        let (x, y) = (fmt_float(self.x), fmt_float(self.y));
        let mut attrs: Vec<(&str, &str)> = vec![("x", &x), ("y", &y)];
        if let Some(s) = &self.space {
            attrs.push(("space", s));
        }
        w.empty(tag, &attrs);
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

    fn read(el: &Element, r: Rd) -> Result<Option<Vector1D>, Error> {
        Ok(r.float_attr(el, "x")?.map(|x| Vector1D {
            x,
            space: space_attr(el),
        }))
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        let x = fmt_float(self.x);
        let mut attrs: Vec<(&str, &str)> = vec![("x", &x)];
        if let Some(s) = &self.space {
            attrs.push(("space", s));
        }
        w.empty(tag, &attrs);
    }
}

fn space_attr(el: &Element) -> Option<String> {
    attr_any(el, "space")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Pan/tilt and zoom together (`tt:PTZVector`, and `tt:PTZSpeed`, which has the same shape): a
/// position, a translation, a velocity or a speed. A part left `None` is not moved (or, in a
/// speed, takes the default).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PtzVector {
    /// `PanTilt`: pan is `x`, tilt is `y`.
    pub pan_tilt: Option<Vector2D>,
    /// `Zoom`.
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

    /// Read the children `PanTilt` and `Zoom` of `el`.
    fn read_with(el: &Element, r: Rd) -> Result<PtzVector, Error> {
        Ok(PtzVector {
            pan_tilt: match el.child(TT, "PanTilt") {
                Some(p) => Vector2D::read(p, r)?,
                None => None,
            },
            zoom: match el.child(TT, "Zoom") {
                Some(z) => Vector1D::read(z, r)?,
                None => None,
            },
        })
    }

    /// Read a vector a camera sent: unreadable parts are `None`.
    pub fn read_lenient(el: &Element) -> PtzVector {
        // A lenient read never fails; the fallback is unreachable.
        Self::read_with(el, LENIENT).unwrap_or_default()
    }

    /// Read a vector from a request: a part that is present must be complete and finite.
    pub fn read_strict(el: &Element) -> Result<PtzVector, Error> {
        Self::read_with(el, STRICT)
    }

    /// Write as `tag` with `tt:PanTilt` and `tt:Zoom` children.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        if let Some(p) = &self.pan_tilt {
            p.write(w, "tt:PanTilt");
        }
        if let Some(z) = &self.zoom {
            z.write(w, "tt:Zoom");
        }
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Spaces

/// An inclusive range read from `Min`/`Max` children, bounds possibly infinite.
fn read_range(el: &Element) -> Option<FloatRange> {
    Some(FloatRange {
        min: parse_float(el.child_text(TT, "Min")?, true)?,
        max: parse_float(el.child_text(TT, "Max")?, true)?,
    })
}

fn write_range(w: &mut Writer, tag: &str, r: &FloatRange) {
    w.open(tag, &[]);
    leaf_float(w, "tt:Min", r.min);
    leaf_float(w, "tt:Max", r.max);
    w.close(tag);
}

fn child_range(el: &Element, name: &str) -> Option<FloatRange> {
    el.child(TT, name).and_then(read_range)
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

    /// Read leniently: `None` without a URI or readable ranges.
    fn read(el: &Element) -> Option<Space2D> {
        Some(Space2D {
            uri: opt_text(el, TT, "URI")?,
            x_range: child_range(el, "XRange")?,
            y_range: child_range(el, "YRange")?,
        })
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        w.leaf("tt:URI", &self.uri);
        write_range(w, "tt:XRange", &self.x_range);
        write_range(w, "tt:YRange", &self.y_range);
        w.close(tag);
    }

    /// Do both values lie within the ranges?
    pub fn contains(&self, x: f64, y: f64) -> bool {
        holds(&self.x_range, x) && holds(&self.y_range, y)
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

    /// Read leniently: `None` without a URI or a readable range.
    fn read(el: &Element) -> Option<Space1D> {
        Some(Space1D {
            uri: opt_text(el, TT, "URI")?,
            x_range: child_range(el, "XRange")?,
        })
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        w.leaf("tt:URI", &self.uri);
        write_range(w, "tt:XRange", &self.x_range);
        w.close(tag);
    }

    /// Does the value lie within the range?
    pub fn contains(&self, x: f64) -> bool {
        holds(&self.x_range, x)
    }
}

/// The coordinate spaces of a node (`tt:PTZSpaces`), for each kind of move. An empty list means
/// the node does not support that kind of move on that axis.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PtzSpaces {
    /// `AbsolutePanTiltPositionSpace`.
    pub absolute_pan_tilt: Vec<Space2D>,
    /// `AbsoluteZoomPositionSpace`.
    pub absolute_zoom: Vec<Space1D>,
    /// `RelativePanTiltTranslationSpace`.
    pub relative_pan_tilt: Vec<Space2D>,
    /// `RelativeZoomTranslationSpace`.
    pub relative_zoom: Vec<Space1D>,
    /// `ContinuousPanTiltVelocitySpace`.
    pub continuous_pan_tilt: Vec<Space2D>,
    /// `ContinuousZoomVelocitySpace`.
    pub continuous_zoom: Vec<Space1D>,
    /// `PanTiltSpeedSpace` (one-dimensional: a speed has no direction).
    pub pan_tilt_speed: Vec<Space1D>,
    /// `ZoomSpeedSpace`.
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

const SPACES_2D: [&str; 3] = [
    "AbsolutePanTiltPositionSpace",
    "RelativePanTiltTranslationSpace",
    "ContinuousPanTiltVelocitySpace",
];

impl PtzSpaces {
    /// Read leniently (a space without URI or ranges is left out).
    pub fn read(el: &Element) -> PtzSpaces {
        let two = |name: &str| -> Vec<Space2D> {
            el.children_named(TT, name)
                .filter_map(Space2D::read)
                .collect()
        };
        let one = |name: &str| -> Vec<Space1D> {
            el.children_named(TT, name)
                .filter_map(Space1D::read)
                .collect()
        };
        PtzSpaces {
            absolute_pan_tilt: two(SPACES_2D[0]),
            absolute_zoom: one("AbsoluteZoomPositionSpace"),
            relative_pan_tilt: two(SPACES_2D[1]),
            relative_zoom: one("RelativeZoomTranslationSpace"),
            continuous_pan_tilt: two(SPACES_2D[2]),
            continuous_zoom: one("ContinuousZoomVelocitySpace"),
            pan_tilt_speed: one("PanTiltSpeedSpace"),
            zoom_speed: one("ZoomSpeedSpace"),
        }
    }

    /// Write as `tag`, in schema order.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        let two = |w: &mut Writer, name: &str, list: &[Space2D]| {
            for s in list {
                s.write(w, &format!("tt:{name}"));
            }
        };
        let one = |w: &mut Writer, name: &str, list: &[Space1D]| {
            for s in list {
                s.write(w, &format!("tt:{name}"));
            }
        };
        two(w, SPACES_2D[0], &self.absolute_pan_tilt);
        one(w, "AbsoluteZoomPositionSpace", &self.absolute_zoom);
        two(w, SPACES_2D[1], &self.relative_pan_tilt);
        one(w, "RelativeZoomTranslationSpace", &self.relative_zoom);
        two(w, SPACES_2D[2], &self.continuous_pan_tilt);
        one(w, "ContinuousZoomVelocitySpace", &self.continuous_zoom);
        one(w, "PanTiltSpeedSpace", &self.pan_tilt_speed);
        one(w, "ZoomSpeedSpace", &self.zoom_speed);
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Nodes

/// A PTZ node (`tt:PTZNode`): one physical or digital PTZ unit and what it can do.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PtzNode {
    /// A missing token reads as empty.
    pub token: String,
    pub name: Option<String>,
    /// The home position cannot be changed (SetHomePosition fails).
    pub fixed_home_position: Option<bool>,
    pub supported_spaces: PtzSpaces,
    /// `MaximumNumberOfPresets`.
    pub max_presets: Option<u32>,
    pub home_supported: bool,
    /// Commands SendAuxiliaryCommand accepts (`tt:Wiper|On`, `tt:IRLamp|Auto`, vendor words).
    pub auxiliary_commands: Vec<String>,
}

impl PtzNode {
    /// Read a `tt:PTZNode` under any element name, leniently.
    pub fn read(el: &Element) -> PtzNode {
        PtzNode {
            token: el.attr("token").unwrap_or_default().trim().to_owned(),
            name: opt_text(el, TT, "Name"),
            fixed_home_position: attr_any(el, "FixedHomePosition")
                .and_then(|v| parse_bool("FixedHomePosition", v).ok()),
            supported_spaces: el
                .child(TT, "SupportedPTZSpaces")
                .map(PtzSpaces::read)
                .unwrap_or_default(),
            max_presets: el
                .child_text(TT, "MaximumNumberOfPresets")
                .and_then(u32::parse_text),
            home_supported: LENIENT
                .bool_child(el, TT, "HomeSupported")
                .ok()
                .flatten()
                .unwrap_or(false),
            auxiliary_commands: el
                .children_named(TT, "AuxiliaryCommands")
                .map(|c| c.text().to_owned())
                .filter(|c| !c.is_empty())
                .collect(),
        }
    }

    /// Write as `tag`, in schema order (a missing preset count is written as 0).
    pub fn write(&self, w: &mut Writer, tag: &str) {
        let mut attrs: Vec<(&str, &str)> = vec![("token", &self.token)];
        if let Some(f) = self.fixed_home_position {
            attrs.push(("FixedHomePosition", bool_str(f)));
        }
        w.open(tag, &attrs);
        w.leaf_opt("tt:Name", self.name.as_deref());
        self.supported_spaces.write(w, "tt:SupportedPTZSpaces");
        w.leaf(
            "tt:MaximumNumberOfPresets",
            &self.max_presets.unwrap_or(0).to_string(),
        );
        w.leaf("tt:HomeSupported", bool_str(self.home_supported));
        for c in &self.auxiliary_commands {
            w.leaf("tt:AuxiliaryCommands", c);
        }
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Configurations

/// A PTZ configuration (`tt:PTZConfiguration`): the node a media profile drives, its default
/// spaces, speed and timeout, and its limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PtzConfiguration {
    /// A missing token reads as empty.
    pub token: String,
    pub name: Option<String>,
    pub use_count: Option<u32>,
    pub node_token: Option<String>,
    /// `DefaultAbsolutePantTiltPositionSpace` (sic: the schema's spelling; `PanTilt` is read
    /// too).
    pub default_absolute_pan_tilt_space: Option<String>,
    pub default_absolute_zoom_space: Option<String>,
    pub default_relative_pan_tilt_space: Option<String>,
    pub default_relative_zoom_space: Option<String>,
    pub default_continuous_pan_tilt_space: Option<String>,
    pub default_continuous_zoom_space: Option<String>,
    /// `DefaultPTZSpeed`: the speed of absolute and relative moves that give none.
    pub default_speed: Option<PtzVector>,
    /// `DefaultPTZTimeout`: how long a continuous move without a timeout lasts.
    #[serde(serialize_with = "ser_opt_duration")]
    pub default_timeout: Option<Duration>,
    /// `PanTiltLimits/Range`.
    pub pan_tilt_limits: Option<Space2D>,
    /// `ZoomLimits/Range`.
    pub zoom_limits: Option<Space1D>,
}

impl PtzConfiguration {
    /// Read a `tt:PTZConfiguration` under any element name, leniently.
    pub fn read(el: &Element) -> PtzConfiguration {
        PtzConfiguration {
            token: el.attr("token").unwrap_or_default().trim().to_owned(),
            name: opt_text(el, TT, "Name"),
            use_count: el.child_text(TT, "UseCount").and_then(u32::parse_text),
            node_token: opt_text(el, TT, "NodeToken"),
            default_absolute_pan_tilt_space: opt_text(
                el,
                TT,
                "DefaultAbsolutePantTiltPositionSpace",
            )
            .or_else(|| opt_text(el, TT, "DefaultAbsolutePanTiltPositionSpace")),
            default_absolute_zoom_space: opt_text(el, TT, "DefaultAbsoluteZoomPositionSpace"),
            default_relative_pan_tilt_space: opt_text(
                el,
                TT,
                "DefaultRelativePanTiltTranslationSpace",
            ),
            default_relative_zoom_space: opt_text(el, TT, "DefaultRelativeZoomTranslationSpace"),
            default_continuous_pan_tilt_space: opt_text(
                el,
                TT,
                "DefaultContinuousPanTiltVelocitySpace",
            ),
            default_continuous_zoom_space: opt_text(el, TT, "DefaultContinuousZoomVelocitySpace"),
            default_speed: el.child(TT, "DefaultPTZSpeed").map(PtzVector::read_lenient),
            default_timeout: LENIENT
                .duration_child(el, TT, "DefaultPTZTimeout")
                .ok()
                .flatten(),
            pan_tilt_limits: el
                .child(TT, "PanTiltLimits")
                .and_then(|l| l.child(TT, "Range"))
                .and_then(Space2D::read),
            zoom_limits: el
                .child(TT, "ZoomLimits")
                .and_then(|l| l.child(TT, "Range"))
                .and_then(Space1D::read),
        }
    }

    /// Write as `tag`, in schema order. Name and UseCount are required by the schema: without
    /// them the token and 1 are written.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", &self.use_count.unwrap_or(1).to_string());
        w.leaf(
            "tt:NodeToken",
            self.node_token.as_deref().unwrap_or_default(),
        );
        for (t, v) in [
            (
                "tt:DefaultAbsolutePantTiltPositionSpace",
                &self.default_absolute_pan_tilt_space,
            ),
            (
                "tt:DefaultAbsoluteZoomPositionSpace",
                &self.default_absolute_zoom_space,
            ),
            (
                "tt:DefaultRelativePanTiltTranslationSpace",
                &self.default_relative_pan_tilt_space,
            ),
            (
                "tt:DefaultRelativeZoomTranslationSpace",
                &self.default_relative_zoom_space,
            ),
            (
                "tt:DefaultContinuousPanTiltVelocitySpace",
                &self.default_continuous_pan_tilt_space,
            ),
            (
                "tt:DefaultContinuousZoomVelocitySpace",
                &self.default_continuous_zoom_space,
            ),
        ] {
            w.leaf_opt(t, v.as_deref());
        }
        if let Some(s) = &self.default_speed {
            s.write(w, "tt:DefaultPTZSpeed");
        }
        if let Some(t) = self.default_timeout {
            w.leaf("tt:DefaultPTZTimeout", &format_duration(t));
        }
        if let Some(l) = &self.pan_tilt_limits {
            w.open("tt:PanTiltLimits", &[]);
            l.write(w, "tt:Range");
            w.close("tt:PanTiltLimits");
        }
        if let Some(l) = &self.zoom_limits {
            w.open("tt:ZoomLimits", &[]);
            l.write(w, "tt:Range");
            w.close("tt:ZoomLimits");
        }
        w.close(tag);
    }
}

/// A range of durations (`tt:DurationRange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DurationRange {
    #[serde(serialize_with = "ser_duration")]
    pub min: Duration,
    #[serde(serialize_with = "ser_duration")]
    pub max: Duration,
}

impl DurationRange {
    /// Does the range hold `d` (bounds included)?
    pub fn contains(&self, d: Duration) -> bool {
        self.min <= d && d <= self.max
    }
}

/// What a configuration accepts (`tt:PTZConfigurationOptions`): its node's spaces (possibly
/// more, for the profile's video source), and the range of continuous-move timeouts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PtzConfigurationOptions {
    pub spaces: PtzSpaces,
    /// `PTZTimeout`.
    pub timeout: Option<DurationRange>,
}

impl PtzConfigurationOptions {
    /// Read leniently.
    pub fn read(el: &Element) -> PtzConfigurationOptions {
        let timeout = el.child(TT, "PTZTimeout").and_then(|t| {
            Some(DurationRange {
                min: parse_duration(t.child_text(TT, "Min")?)?,
                max: parse_duration(t.child_text(TT, "Max")?)?,
            })
        });
        PtzConfigurationOptions {
            spaces: el
                .child(TT, "Spaces")
                .map(PtzSpaces::read)
                .unwrap_or_default(),
            timeout,
        }
    }

    /// Write as `tag` (`PTZTimeout` only when known, though the schema requires it).
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        self.spaces.write(w, "tt:Spaces");
        if let Some(t) = &self.timeout {
            w.open("tt:PTZTimeout", &[])
                .leaf("tt:Min", &format_duration(t.min))
                .leaf("tt:Max", &format_duration(t.max))
                .close("tt:PTZTimeout");
        }
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Status and presets

xml_enum!(
    /// Whether an axis group is moving (`tt:MoveStatus`).
    MoveStatus { Idle = "IDLE", Moving = "MOVING", Unknown = "UNKNOWN" }
);

/// The move status of pan/tilt and of zoom (`tt:PTZMoveStatus`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PtzMoveStatus {
    pub pan_tilt: Option<MoveStatus>,
    pub zoom: Option<MoveStatus>,
}

impl PtzMoveStatus {
    /// Read leniently. The old form with the status as the element's own text (no children)
    /// applies to both.
    fn read(el: &Element) -> PtzMoveStatus {
        if el.children.is_empty() {
            let both = MoveStatus::parse(el.text());
            return PtzMoveStatus {
                pan_tilt: both,
                zoom: both,
            };
        }
        PtzMoveStatus {
            pan_tilt: el.child_text(TT, "PanTilt").and_then(MoveStatus::parse),
            zoom: el.child_text(TT, "Zoom").and_then(MoveStatus::parse),
        }
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        if let Some(s) = self.pan_tilt {
            w.leaf("tt:PanTilt", s.as_str());
        }
        if let Some(s) = self.zoom {
            w.leaf("tt:Zoom", s.as_str());
        }
        w.close(tag);
    }

    /// Is either axis group moving?
    pub fn moving(&self) -> bool {
        self.pan_tilt == Some(MoveStatus::Moving) || self.zoom == Some(MoveStatus::Moving)
    }
}

/// Where the head is and whether it moves (`tt:PTZStatus`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PtzStatus {
    /// In the configuration's default absolute spaces (the cameras that report no `space` use
    /// them too).
    pub position: Option<PtzVector>,
    pub move_status: Option<PtzMoveStatus>,
    /// A PTZ error the camera reports (some write `NO error` when there is none).
    pub error: Option<String>,
    /// When the status was taken; `None` when absent or unreadable.
    pub utc_time: Option<Timestamp>,
}

impl PtzStatus {
    /// Read leniently.
    pub fn read(el: &Element) -> PtzStatus {
        PtzStatus {
            position: el.child(TT, "Position").map(PtzVector::read_lenient),
            move_status: el.child(TT, "MoveStatus").map(PtzMoveStatus::read),
            error: opt_text(el, TT, "Error"),
            utc_time: el.child_text(TT, "UtcTime").and_then(parse_datetime),
        }
    }

    /// Write as `tag`, in schema order.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        if let Some(p) = &self.position {
            p.write(w, "tt:Position");
        }
        if let Some(m) = &self.move_status {
            m.write(w, "tt:MoveStatus");
        }
        w.leaf_opt("tt:Error", self.error.as_deref());
        if let Some(t) = self.utc_time {
            w.leaf("tt:UtcTime", &t.to_string());
        }
        w.close(tag);
    }
}

/// A stored position (`tt:PTZPreset`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Preset {
    /// A missing token reads as empty.
    pub token: String,
    pub name: Option<String>,
    /// `PTZPosition`, when the camera tells it.
    pub position: Option<PtzVector>,
}

impl Preset {
    /// Read leniently.
    pub fn read(el: &Element) -> Preset {
        Preset {
            token: el.attr("token").unwrap_or_default().trim().to_owned(),
            name: opt_text(el, TT, "Name"),
            position: el.child(TT, "PTZPosition").map(PtzVector::read_lenient),
        }
    }

    /// Write as `tag`.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf_opt("tt:Name", self.name.as_deref());
        if let Some(p) = &self.position {
            p.write(w, "tt:PTZPosition");
        }
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Request helpers

/// The required `tptz:ProfileToken` of a request.
fn profile_token(el: &Element) -> Result<String, Error> {
    Ok(req_text(el, TPTZ, "ProfileToken")?.to_owned())
}

/// An optional strictly read vector child of a request.
fn opt_vector(el: &Element, name: &str) -> Result<Option<PtzVector>, Error> {
    el.child(TPTZ, name).map(PtzVector::read_strict).transpose()
}

/// A required strictly read vector child of a request.
fn req_vector(el: &Element, name: &str) -> Result<PtzVector, Error> {
    let v = el
        .child(TPTZ, name)
        .ok_or_else(|| Error::missing(format!("{}/{name}", el.name)))?;
    PtzVector::read_strict(v)
}

/// Write `tptz:ProfileToken`.
fn write_profile(w: &mut Writer, token: &str) {
    w.leaf("tptz:ProfileToken", token);
}

// ---------------------------------------------------------------------------------------------
// GetNodes / GetNode

empty_message!(
    /// Every PTZ node of the device.
    GetNodes, TPTZ, "tptz", "GetNodes"
);
operation!(GetNodes => Nodes, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetNodes", idempotent = true);

/// The answer to GetNodes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Nodes {
    pub nodes: Vec<PtzNode>,
}

impl Message for Nodes {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetNodesResponse", &[]);
        for n in &self.nodes {
            n.write(w, "tptz:PTZNode");
        }
        w.close("tptz:GetNodesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetNodesResponse")?;
        Ok(Nodes {
            nodes: el
                .children_named(TPTZ, "PTZNode")
                .map(PtzNode::read)
                .collect(),
        })
    }
}

token_request!(
    /// One PTZ node.
    GetNode, TPTZ, "tptz", "GetNode", node_token = "NodeToken"
);
operation!(GetNode => Node, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetNode", idempotent = true);

/// The answer to GetNode.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Node {
    pub node: PtzNode,
}

impl Message for Node {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetNodeResponse", &[]);
        self.node.write(w, "tptz:PTZNode");
        w.close("tptz:GetNodeResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetNodeResponse")?;
        let n = el
            .child(TPTZ, "PTZNode")
            .ok_or_else(|| Error::missing("GetNodeResponse/PTZNode"))?;
        Ok(Node {
            node: PtzNode::read(n),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// GetConfigurations / GetConfiguration / GetConfigurationOptions

empty_message!(
    /// Every PTZ configuration.
    GetConfigurations, TPTZ, "tptz", "GetConfigurations"
);
operation!(GetConfigurations => Configurations, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetConfigurations", idempotent = true);

/// The answer to GetConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Configurations {
    pub configurations: Vec<PtzConfiguration>,
}

impl Message for Configurations {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetConfigurationsResponse", &[]);
        for c in &self.configurations {
            c.write(w, "tptz:PTZConfiguration");
        }
        w.close("tptz:GetConfigurationsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetConfigurationsResponse")?;
        Ok(Configurations {
            configurations: el
                .children_named(TPTZ, "PTZConfiguration")
                .map(PtzConfiguration::read)
                .collect(),
        })
    }
}

token_request!(
    /// One PTZ configuration.
    GetConfiguration, TPTZ, "tptz", "GetConfiguration",
    configuration_token = "PTZConfigurationToken"
);
operation!(GetConfiguration => Configuration, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetConfiguration", idempotent = true);

/// The answer to GetConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Configuration {
    pub configuration: PtzConfiguration,
}

impl Message for Configuration {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetConfigurationResponse", &[]);
        self.configuration.write(w, "tptz:PTZConfiguration");
        w.close("tptz:GetConfigurationResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetConfigurationResponse")?;
        let c = el
            .child(TPTZ, "PTZConfiguration")
            .ok_or_else(|| Error::missing("GetConfigurationResponse/PTZConfiguration"))?;
        Ok(Configuration {
            configuration: PtzConfiguration::read(c),
        })
    }
}

token_request!(
    /// The PTZ configurations that can be added to a media profile.
    GetCompatibleConfigurations, TPTZ, "tptz", "GetCompatibleConfigurations",
    profile_token = "ProfileToken"
);
operation!(GetCompatibleConfigurations => CompatibleConfigurations, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetCompatibleConfigurations", idempotent = true);

/// The answer to GetCompatibleConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CompatibleConfigurations {
    pub configurations: Vec<PtzConfiguration>,
}

impl Message for CompatibleConfigurations {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetCompatibleConfigurationsResponse", &[]);
        for c in &self.configurations {
            c.write(w, "tptz:PTZConfiguration");
        }
        w.close("tptz:GetCompatibleConfigurationsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetCompatibleConfigurationsResponse")?;
        Ok(CompatibleConfigurations {
            configurations: el
                .children_named(TPTZ, "PTZConfiguration")
                .map(PtzConfiguration::read)
                .collect(),
        })
    }
}

token_request!(
    /// What a PTZ configuration accepts: spaces with their ranges, timeouts.
    GetConfigurationOptions, TPTZ, "tptz", "GetConfigurationOptions",
    configuration_token = "ConfigurationToken"
);
operation!(GetConfigurationOptions => ConfigurationOptions, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetConfigurationOptions", idempotent = true);

/// The answer to GetConfigurationOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ConfigurationOptions {
    pub options: PtzConfigurationOptions,
}

impl Message for ConfigurationOptions {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetConfigurationOptionsResponse", &[]);
        self.options.write(w, "tptz:PTZConfigurationOptions");
        w.close("tptz:GetConfigurationOptionsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetConfigurationOptionsResponse")?;
        let o = el.child(TPTZ, "PTZConfigurationOptions").ok_or_else(|| {
            Error::missing("GetConfigurationOptionsResponse/PTZConfigurationOptions")
        })?;
        Ok(ConfigurationOptions {
            options: PtzConfigurationOptions::read(o),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// GetStatus

token_request!(
    /// The position and move status of a profile's PTZ head.
    GetStatus, TPTZ, "tptz", "GetStatus", profile_token = "ProfileToken"
);
operation!(GetStatus => Status, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetStatus", idempotent = true);

/// The answer to GetStatus.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Status {
    pub status: PtzStatus,
}

impl Message for Status {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetStatusResponse", &[]);
        self.status.write(w, "tptz:PTZStatus");
        w.close("tptz:GetStatusResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetStatusResponse")?;
        let s = el
            .child(TPTZ, "PTZStatus")
            .ok_or_else(|| Error::missing("GetStatusResponse/PTZStatus"))?;
        Ok(Status {
            status: PtzStatus::read(s),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// AbsoluteMove / RelativeMove / ContinuousMove / Stop

/// Move to a position. Parts left out of `position` keep moving as they were.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AbsoluteMove {
    pub profile_token: String,
    pub position: PtzVector,
    /// Overrides the configuration's default speed.
    pub speed: Option<PtzVector>,
}

impl Message for AbsoluteMove {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:AbsoluteMove", &[]);
        write_profile(w, &self.profile_token);
        self.position.write(w, "tptz:Position");
        if let Some(s) = &self.speed {
            s.write(w, "tptz:Speed");
        }
        w.close("tptz:AbsoluteMove");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "AbsoluteMove")?;
        Ok(AbsoluteMove {
            profile_token: profile_token(el)?,
            position: req_vector(el, "Position")?,
            speed: opt_vector(el, "Speed")?,
        })
    }
}

empty_message!(
    /// The empty answer to AbsoluteMove.
    AbsoluteMoveResponse, TPTZ, "tptz", "AbsoluteMoveResponse"
);
operation!(AbsoluteMove => AbsoluteMoveResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "AbsoluteMove", idempotent = true);

/// Move by a translation from the current position.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RelativeMove {
    pub profile_token: String,
    pub translation: PtzVector,
    /// Overrides the configuration's default speed.
    pub speed: Option<PtzVector>,
}

impl Message for RelativeMove {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:RelativeMove", &[]);
        write_profile(w, &self.profile_token);
        self.translation.write(w, "tptz:Translation");
        if let Some(s) = &self.speed {
            s.write(w, "tptz:Speed");
        }
        w.close("tptz:RelativeMove");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "RelativeMove")?;
        Ok(RelativeMove {
            profile_token: profile_token(el)?,
            translation: req_vector(el, "Translation")?,
            speed: opt_vector(el, "Speed")?,
        })
    }
}

empty_message!(
    /// The empty answer to RelativeMove.
    RelativeMoveResponse, TPTZ, "tptz", "RelativeMoveResponse"
);
// Done twice, a relative move moves twice.
operation!(RelativeMove => RelativeMoveResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "RelativeMove", idempotent = false);

/// Move at a velocity until Stop, a zero velocity, or the timeout.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContinuousMove {
    pub profile_token: String,
    pub velocity: PtzVector,
    /// Overrides the configuration's default timeout.
    #[serde(serialize_with = "ser_opt_duration")]
    pub timeout: Option<Duration>,
}

impl Message for ContinuousMove {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:ContinuousMove", &[]);
        write_profile(w, &self.profile_token);
        self.velocity.write(w, "tptz:Velocity");
        if let Some(t) = self.timeout {
            w.leaf("tptz:Timeout", &format_duration(t));
        }
        w.close("tptz:ContinuousMove");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "ContinuousMove")?;
        Ok(ContinuousMove {
            profile_token: profile_token(el)?,
            velocity: req_vector(el, "Velocity")?,
            timeout: STRICT.duration_child(el, TPTZ, "Timeout")?,
        })
    }
}

empty_message!(
    /// The empty answer to ContinuousMove.
    ContinuousMoveResponse, TPTZ, "tptz", "ContinuousMoveResponse"
);
operation!(ContinuousMove => ContinuousMoveResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "ContinuousMove", idempotent = true);

/// Stop moving. `None` flags mean `true` (stop that axis group).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stop {
    pub profile_token: String,
    pub pan_tilt: Option<bool>,
    pub zoom: Option<bool>,
}

impl Stop {
    /// Stop everything on a profile's head.
    pub fn all(profile_token: impl Into<String>) -> Self {
        Stop {
            profile_token: profile_token.into(),
            pan_tilt: None,
            zoom: None,
        }
    }
}

impl Message for Stop {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:Stop", &[]);
        write_profile(w, &self.profile_token);
        if let Some(b) = self.pan_tilt {
            w.leaf("tptz:PanTilt", bool_str(b));
        }
        if let Some(b) = self.zoom {
            w.leaf("tptz:Zoom", bool_str(b));
        }
        w.close("tptz:Stop");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "Stop")?;
        Ok(Stop {
            profile_token: profile_token(el)?,
            pan_tilt: STRICT.bool_child(el, TPTZ, "PanTilt")?,
            zoom: STRICT.bool_child(el, TPTZ, "Zoom")?,
        })
    }
}

empty_message!(
    /// The empty answer to Stop.
    StopResponse, TPTZ, "tptz", "StopResponse"
);
operation!(Stop => StopResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "Stop", idempotent = true);

// ---------------------------------------------------------------------------------------------
// Presets

token_request!(
    /// The presets of a profile's PTZ node.
    GetPresets, TPTZ, "tptz", "GetPresets", profile_token = "ProfileToken"
);
operation!(GetPresets => Presets, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetPresets", idempotent = true);

/// The answer to GetPresets.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Presets {
    pub presets: Vec<Preset>,
}

impl Message for Presets {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GetPresetsResponse", &[]);
        for p in &self.presets {
            p.write(w, "tptz:Preset");
        }
        w.close("tptz:GetPresetsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetPresetsResponse")?;
        Ok(Presets {
            presets: el
                .children_named(TPTZ, "Preset")
                .map(Preset::read)
                .collect(),
        })
    }
}

/// Store the current position: as a new preset (no token), or over an existing one (its token),
/// optionally naming it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SetPreset {
    pub profile_token: String,
    pub preset_name: Option<String>,
    pub preset_token: Option<String>,
}

impl Message for SetPreset {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:SetPreset", &[]);
        write_profile(w, &self.profile_token);
        w.leaf_opt("tptz:PresetName", self.preset_name.as_deref());
        w.leaf_opt("tptz:PresetToken", self.preset_token.as_deref());
        w.close("tptz:SetPreset");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "SetPreset")?;
        Ok(SetPreset {
            profile_token: profile_token(el)?,
            preset_name: opt_text(el, TPTZ, "PresetName"),
            preset_token: opt_text(el, TPTZ, "PresetToken"),
        })
    }
}

/// The answer to SetPreset: the preset's token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SetPresetResponse {
    pub preset_token: String,
}

impl Message for SetPresetResponse {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:SetPresetResponse", &[])
            .leaf("tptz:PresetToken", &self.preset_token)
            .close("tptz:SetPresetResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "SetPresetResponse")?;
        Ok(SetPresetResponse {
            preset_token: req_text(el, TPTZ, "PresetToken")?.to_owned(),
        })
    }
}
operation!(SetPreset => SetPresetResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "SetPreset", idempotent = false);

/// Remove a preset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RemovePreset {
    pub profile_token: String,
    pub preset_token: String,
}

impl Message for RemovePreset {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:RemovePreset", &[]);
        write_profile(w, &self.profile_token);
        w.leaf("tptz:PresetToken", &self.preset_token);
        w.close("tptz:RemovePreset");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "RemovePreset")?;
        Ok(RemovePreset {
            profile_token: profile_token(el)?,
            preset_token: req_text(el, TPTZ, "PresetToken")?.to_owned(),
        })
    }
}

empty_message!(
    /// The empty answer to RemovePreset.
    RemovePresetResponse, TPTZ, "tptz", "RemovePresetResponse"
);
// A second removal of the same token fails.
operation!(RemovePreset => RemovePresetResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "RemovePreset", idempotent = false);

/// Move to a preset.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GotoPreset {
    pub profile_token: String,
    pub preset_token: String,
    /// Overrides the configuration's default speed.
    pub speed: Option<PtzVector>,
}

impl Message for GotoPreset {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GotoPreset", &[]);
        write_profile(w, &self.profile_token);
        w.leaf("tptz:PresetToken", &self.preset_token);
        if let Some(s) = &self.speed {
            s.write(w, "tptz:Speed");
        }
        w.close("tptz:GotoPreset");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GotoPreset")?;
        Ok(GotoPreset {
            profile_token: profile_token(el)?,
            preset_token: req_text(el, TPTZ, "PresetToken")?.to_owned(),
            speed: opt_vector(el, "Speed")?,
        })
    }
}

empty_message!(
    /// The empty answer to GotoPreset.
    GotoPresetResponse, TPTZ, "tptz", "GotoPresetResponse"
);
operation!(GotoPreset => GotoPresetResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GotoPreset", idempotent = true);

// ---------------------------------------------------------------------------------------------
// Home position

/// Move to the home position.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GotoHomePosition {
    pub profile_token: String,
    /// Overrides the configuration's default speed.
    pub speed: Option<PtzVector>,
}

impl Message for GotoHomePosition {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:GotoHomePosition", &[]);
        write_profile(w, &self.profile_token);
        if let Some(s) = &self.speed {
            s.write(w, "tptz:Speed");
        }
        w.close("tptz:GotoHomePosition");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GotoHomePosition")?;
        Ok(GotoHomePosition {
            profile_token: profile_token(el)?,
            speed: opt_vector(el, "Speed")?,
        })
    }
}

empty_message!(
    /// The empty answer to GotoHomePosition.
    GotoHomePositionResponse, TPTZ, "tptz", "GotoHomePositionResponse"
);
operation!(GotoHomePosition => GotoHomePositionResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GotoHomePosition", idempotent = true);

token_request!(
    /// Store the current position as the home position.
    SetHomePosition, TPTZ, "tptz", "SetHomePosition", profile_token = "ProfileToken"
);
empty_message!(
    /// The empty answer to SetHomePosition.
    SetHomePositionResponse, TPTZ, "tptz", "SetHomePositionResponse"
);
operation!(SetHomePosition => SetHomePositionResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "SetHomePosition", idempotent = true);

// ---------------------------------------------------------------------------------------------
// Auxiliary commands

/// Run one of the node's auxiliary commands (`tt:Wiper|On`, `tt:IRLamp|Auto`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SendAuxiliaryCommand {
    pub profile_token: String,
    pub auxiliary_data: String,
}

impl Message for SendAuxiliaryCommand {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:SendAuxiliaryCommand", &[]);
        write_profile(w, &self.profile_token);
        w.leaf("tptz:AuxiliaryData", &self.auxiliary_data);
        w.close("tptz:SendAuxiliaryCommand");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "SendAuxiliaryCommand")?;
        Ok(SendAuxiliaryCommand {
            profile_token: profile_token(el)?,
            auxiliary_data: req_text(el, TPTZ, "AuxiliaryData")?.to_owned(),
        })
    }
}

/// The answer to SendAuxiliaryCommand (empty when the camera sends none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SendAuxiliaryCommandResponse {
    pub auxiliary_response: String,
}

impl Message for SendAuxiliaryCommandResponse {
    fn write(&self, w: &mut Writer) {
        w.open("tptz:SendAuxiliaryCommandResponse", &[])
            .leaf("tptz:AuxiliaryResponse", &self.auxiliary_response)
            .close("tptz:SendAuxiliaryCommandResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "SendAuxiliaryCommandResponse")?;
        Ok(SendAuxiliaryCommandResponse {
            auxiliary_response: el
                .child_text(TPTZ, "AuxiliaryResponse")
                .unwrap_or_default()
                .to_owned(),
        })
    }
}
operation!(SendAuxiliaryCommand => SendAuxiliaryCommandResponse, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "SendAuxiliaryCommand", idempotent = false);

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

empty_message!(
    /// The PTZ service's capabilities.
    GetServiceCapabilities, TPTZ, "tptz", "GetServiceCapabilities"
);
operation!(GetServiceCapabilities => ServiceCapabilities, Service::Ptz,
    "http://www.onvif.org/ver20/ptz/wsdl", "GetServiceCapabilities", idempotent = true);

/// The PTZ service's capabilities (`tptz:Capabilities` attributes). Read leniently: a missing
/// `Capabilities` element reads as nothing known, attributes are found in any namespace and in
/// a nested `Capabilities` (both seen on cameras).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceCapabilities {
    /// `EFlip`: electronic flip is supported.
    pub eflip: Option<bool>,
    /// `Reverse`.
    pub reverse: Option<bool>,
    /// `GetCompatibleConfigurations` is implemented.
    pub get_compatible_configurations: Option<bool>,
    /// GetStatus reports the move status.
    pub move_status: Option<bool>,
    /// GetStatus reports the position.
    pub status_position: Option<bool>,
    /// `MoveAndTrack`: the tracking methods MoveAndStartTracking accepts.
    pub move_and_track: Vec<String>,
}

const CAPABILITY_FLAGS: [&str; 5] = [
    "EFlip",
    "Reverse",
    "GetCompatibleConfigurations",
    "MoveStatus",
    "StatusPosition",
];

impl ServiceCapabilities {
    fn bools(&self) -> [Option<bool>; 5] {
        [
            self.eflip,
            self.reverse,
            self.get_compatible_configurations,
            self.move_status,
            self.status_position,
        ]
    }

    /// Flattened as GetServices shows capabilities (`MoveStatus` -> `true`).
    pub fn flags(&self) -> BTreeMap<String, String> {
        let mut m: BTreeMap<String, String> = CAPABILITY_FLAGS
            .iter()
            .zip(self.bools())
            .filter_map(|(k, v)| v.map(|v| ((*k).to_owned(), bool_str(v).to_owned())))
            .collect();
        if !self.move_and_track.is_empty() {
            m.insert("MoveAndTrack".into(), self.move_and_track.join(" "));
        }
        m
    }
}

impl Message for ServiceCapabilities {
    fn write(&self, w: &mut Writer) {
        let flags = self.flags();
        let attrs: Vec<(&str, &str)> = CAPABILITY_FLAGS
            .iter()
            .chain(&["MoveAndTrack"])
            .filter_map(|k| flags.get(*k).map(|v| (*k, v.as_str())))
            .collect();
        w.open("tptz:GetServiceCapabilitiesResponse", &[]);
        w.empty("tptz:Capabilities", &attrs);
        w.close("tptz:GetServiceCapabilitiesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetServiceCapabilitiesResponse")?;
        // The namespace of `Capabilities` is not checked: the response element already says
        // which service this is.
        let Some(caps) = el.child_any_ns("Capabilities") else {
            return Ok(ServiceCapabilities::default());
        };
        let nested = caps.child_any_ns("Capabilities");
        let get =
            |name: &str| attr_any(caps, name).or_else(|| nested.and_then(|n| attr_any(n, name)));
        let flag = |name: &str| get(name).and_then(|v| parse_bool(name, v).ok());
        Ok(ServiceCapabilities {
            eflip: flag("EFlip"),
            reverse: flag("Reverse"),
            get_compatible_configurations: flag("GetCompatibleConfigurations"),
            move_status: flag("MoveStatus"),
            status_position: flag("StatusPosition"),
            move_and_track: get("MoveAndTrack")
                .map(|v| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Scaling user values into a node's ranges

/// Map a user's normalised values into the ranges a node advertises, and check values against
/// a space's range, before anything is sent.
///
/// The user speaks in normalised units: pan, tilt and every translation and velocity in
/// `-1..1`, absolute zoom and speeds in `0..1`. For each axis and kind of move the node's
/// generic space is used when it has one, otherwise the first space it lists (a pan space in
/// degrees, say). The user's range is mapped linearly onto the space's advertised range, so
/// a zoom of 1 becomes 0.5 on a camera whose generic zoom range is `0..0.5`, and a pan of 0.5
/// becomes 90 in a `-180..180` degree space.
pub mod scale {
    use std::fmt;

    use serde::Serialize;

    use super::{PtzSpaces, PtzVector, Space1D, Space2D, Vector1D, Vector2D, space};
    use crate::ops::profile::FloatRange;

    /// An axis of the head.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Axis {
        Pan,
        Tilt,
        Zoom,
    }

    impl fmt::Display for Axis {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(match self {
                Axis::Pan => "pan",
                Axis::Tilt => "tilt",
                Axis::Zoom => "zoom",
            })
        }
    }

    /// The kind of value.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Motion {
        /// A position (AbsoluteMove).
        Absolute,
        /// A translation (RelativeMove).
        Relative,
        /// A velocity (ContinuousMove).
        Continuous,
        /// A speed (the `Speed` of the other moves).
        Speed,
    }

    impl fmt::Display for Motion {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(match self {
                Motion::Absolute => "absolute position",
                Motion::Relative => "relative translation",
                Motion::Continuous => "continuous velocity",
                Motion::Speed => "speed",
            })
        }
    }

    /// The user's range for an axis and kind of value: `0..1` for absolute zoom and speeds,
    /// `-1..1` otherwise.
    pub fn user_range(axis: Axis, motion: Motion) -> FloatRange {
        match (axis, motion) {
            (Axis::Zoom, Motion::Absolute) | (_, Motion::Speed) => {
                FloatRange { min: 0.0, max: 1.0 }
            }
            _ => FloatRange {
                min: -1.0,
                max: 1.0,
            },
        }
    }

    /// A value outside the range of a space.
    #[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
    #[error("{axis} {value} is outside {}..{} of {space}", range.min, range.max)]
    pub struct OutOfRange {
        pub axis: Axis,
        pub value: f64,
        pub range: FloatRange,
        /// The space's URI.
        pub space: String,
    }

    /// Why a value cannot be sent.
    #[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
    pub enum ScaleError {
        /// The value lies outside its range.
        #[error(transparent)]
        OutOfRange(#[from] OutOfRange),
        /// The node offers no space for this axis and kind of move.
        #[error("the PTZ node offers no {motion} space for {axis}")]
        NoSpace { axis: Axis, motion: Motion },
    }

    /// Check one value against a range, naming the space in the error.
    pub fn check(
        axis: Axis,
        value: f64,
        range: &FloatRange,
        space: &str,
    ) -> Result<(), OutOfRange> {
        if range.min <= value && value <= range.max {
            Ok(())
        } else {
            Err(OutOfRange {
                axis,
                value,
                range: *range,
                space: space.to_owned(),
            })
        }
    }

    impl Space2D {
        /// Check a pan (`x`) and tilt (`y`) value against the ranges.
        pub fn check(&self, x: f64, y: f64) -> Result<(), OutOfRange> {
            check(Axis::Pan, x, &self.x_range, &self.uri)?;
            check(Axis::Tilt, y, &self.y_range, &self.uri)
        }
    }

    impl Space1D {
        /// Check a value of `axis` against the range.
        pub fn check(&self, axis: Axis, x: f64) -> Result<(), OutOfRange> {
            check(axis, x, &self.x_range, &self.uri)
        }
    }

    /// Map `value` linearly from `from` onto `to` (`from.min` to `to.min`, `from.max` to
    /// `to.max`). An unbounded target range is taken as the source range (the value is kept).
    pub fn map_linear(value: f64, from: &FloatRange, to: &FloatRange) -> f64 {
        let span = from.max - from.min;
        // Equal ranges (the usual generic case) keep the value exactly.
        if from == to || !to.min.is_finite() || !to.max.is_finite() || span == 0.0 {
            return value;
        }
        to.min + (value - from.min) / span * (to.max - to.min)
    }

    /// The space the node offers for an axis and kind of value: its URI and the range of the
    /// axis. The generic space when listed, else the first.
    pub fn space_for(spaces: &PtzSpaces, axis: Axis, motion: Motion) -> Option<(&str, FloatRange)> {
        fn pick2<'a>(
            list: &'a [Space2D],
            generic: &str,
            tilt: bool,
        ) -> Option<(&'a str, FloatRange)> {
            list.iter()
                .find(|s| s.uri == generic)
                .or_else(|| list.first())
                .map(|s| (s.uri.as_str(), if tilt { s.y_range } else { s.x_range }))
        }
        fn pick1<'a>(list: &'a [Space1D], generic: &str) -> Option<(&'a str, FloatRange)> {
            list.iter()
                .find(|s| s.uri == generic)
                .or_else(|| list.first())
                .map(|s| (s.uri.as_str(), s.x_range))
        }
        let tilt = axis == Axis::Tilt;
        match (axis, motion) {
            (Axis::Zoom, Motion::Absolute) => {
                pick1(&spaces.absolute_zoom, space::ZOOM_POSITION_GENERIC)
            }
            (Axis::Zoom, Motion::Relative) => {
                pick1(&spaces.relative_zoom, space::ZOOM_TRANSLATION_GENERIC)
            }
            (Axis::Zoom, Motion::Continuous) => {
                pick1(&spaces.continuous_zoom, space::ZOOM_VELOCITY_GENERIC)
            }
            (Axis::Zoom, Motion::Speed) => pick1(&spaces.zoom_speed, space::ZOOM_SPEED_GENERIC),
            (_, Motion::Absolute) => pick2(
                &spaces.absolute_pan_tilt,
                space::PAN_TILT_POSITION_GENERIC,
                tilt,
            ),
            (_, Motion::Relative) => pick2(
                &spaces.relative_pan_tilt,
                space::PAN_TILT_TRANSLATION_GENERIC,
                tilt,
            ),
            (_, Motion::Continuous) => pick2(
                &spaces.continuous_pan_tilt,
                space::PAN_TILT_VELOCITY_GENERIC,
                tilt,
            ),
            (_, Motion::Speed) => pick1(&spaces.pan_tilt_speed, space::PAN_TILT_SPEED_GENERIC),
        }
    }

    /// A user value mapped into a node's space.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Mapped {
        /// The value in the space's units.
        pub value: f64,
        /// The space's URI.
        pub space: String,
    }

    /// Check a user value against its range ([`user_range`]) and map it into the node's space
    /// for this axis and kind of value.
    pub fn map_user_value(
        spaces: &PtzSpaces,
        axis: Axis,
        motion: Motion,
        value: f64,
    ) -> Result<Mapped, ScaleError> {
        let (uri, range) =
            space_for(spaces, axis, motion).ok_or(ScaleError::NoSpace { axis, motion })?;
        let user = user_range(axis, motion);
        check(axis, value, &user, uri)?;
        Ok(Mapped {
            value: map_linear(value, &user, &range),
            space: uri.to_owned(),
        })
    }

    /// Build a vector from user values, each mapped with [`map_user_value`]. When only one of
    /// pan and tilt is given the other is 0 on the user's scale (for an absolute move pass
    /// the current position instead). Nothing given: an empty vector.
    pub fn vector(
        spaces: &PtzSpaces,
        motion: Motion,
        pan: Option<f64>,
        tilt: Option<f64>,
        zoom: Option<f64>,
    ) -> Result<PtzVector, ScaleError> {
        let pan_tilt = if pan.is_some() || tilt.is_some() {
            let p = map_user_value(spaces, Axis::Pan, motion, pan.unwrap_or(0.0))?;
            let t = map_user_value(spaces, Axis::Tilt, motion, tilt.unwrap_or(0.0))?;
            Some(Vector2D::in_space(p.value, t.value, p.space))
        } else {
            None
        };
        let zoom = zoom
            .map(|z| map_user_value(spaces, Axis::Zoom, motion, z))
            .transpose()?
            .map(|z| Vector1D::in_space(z.value, z.space));
        Ok(PtzVector { pan_tilt, zoom })
    }

    /// A speed vector from user speeds in `0..1` (the pan/tilt speed is written as both x
    /// and y, a speed having no direction).
    pub fn speed(
        spaces: &PtzSpaces,
        pan_tilt: Option<f64>,
        zoom: Option<f64>,
    ) -> Result<PtzVector, ScaleError> {
        let pan_tilt = pan_tilt
            .map(|s| map_user_value(spaces, Axis::Pan, Motion::Speed, s))
            .transpose()?
            .map(|s| Vector2D::in_space(s.value, s.value, s.space));
        let zoom = zoom
            .map(|s| map_user_value(spaces, Axis::Zoom, Motion::Speed, s))
            .transpose()?
            .map(|s| Vector1D::in_space(s.value, s.space));
        Ok(PtzVector { pan_tilt, zoom })
    }

    /// Check a vector's values against the node's spaces for `motion` (the space each part
    /// names, or the one [`space_for`] picks when it names none). A speed's pan/tilt is
    /// checked on x and y alike.
    pub fn check_vector(
        spaces: &PtzSpaces,
        motion: Motion,
        v: &PtzVector,
    ) -> Result<(), ScaleError> {
        let find2 = |list: &[Space2D], uri: &Option<String>| -> Option<Space2D> {
            match uri {
                Some(u) => list.iter().find(|s| &s.uri == u).cloned(),
                None => None,
            }
        };
        let find1 = |list: &[Space1D], uri: &Option<String>| -> Option<Space1D> {
            match uri {
                Some(u) => list.iter().find(|s| &s.uri == u).cloned(),
                None => None,
            }
        };
        let pick = |axis: Axis, uri: &Option<String>| -> Result<(String, FloatRange), ScaleError> {
            let named = match (axis, motion) {
                (Axis::Zoom, Motion::Absolute) => {
                    find1(&spaces.absolute_zoom, uri).map(|s| (s.uri, s.x_range))
                }
                (Axis::Zoom, Motion::Relative) => {
                    find1(&spaces.relative_zoom, uri).map(|s| (s.uri, s.x_range))
                }
                (Axis::Zoom, Motion::Continuous) => {
                    find1(&spaces.continuous_zoom, uri).map(|s| (s.uri, s.x_range))
                }
                (Axis::Zoom, Motion::Speed) => {
                    find1(&spaces.zoom_speed, uri).map(|s| (s.uri, s.x_range))
                }
                (_, Motion::Speed) => {
                    find1(&spaces.pan_tilt_speed, uri).map(|s| (s.uri, s.x_range))
                }
                (a, m) => {
                    let list = match m {
                        Motion::Absolute => &spaces.absolute_pan_tilt,
                        Motion::Relative => &spaces.relative_pan_tilt,
                        _ => &spaces.continuous_pan_tilt,
                    };
                    find2(list, uri).map(|s| {
                        let r = if a == Axis::Tilt {
                            s.y_range
                        } else {
                            s.x_range
                        };
                        (s.uri, r)
                    })
                }
            };
            if let Some(n) = named {
                return Ok(n);
            }
            match uri {
                // A space the node does not list: nothing to check against.
                Some(_) => Err(ScaleError::NoSpace { axis, motion }),
                None => space_for(spaces, axis, motion)
                    .map(|(u, r)| (u.to_owned(), r))
                    .ok_or(ScaleError::NoSpace { axis, motion }),
            }
        };
        if let Some(p) = &v.pan_tilt {
            let (uri, r) = pick(Axis::Pan, &p.space)?;
            check(Axis::Pan, p.x, &r, &uri)?;
            let (uri, r) = pick(Axis::Tilt, &p.space)?;
            check(Axis::Tilt, p.y, &r, &uri)?;
        }
        if let Some(z) = &v.zoom {
            let (uri, r) = pick(Axis::Zoom, &z.space)?;
            check(Axis::Zoom, z.x, &r, &uri)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::scale::*;
    use super::*;

    fn generic_node() -> PtzSpaces {
        PtzSpaces::generic()
    }

    /// Degrees for pan/tilt (no generic space), a generic zoom that stops at 0.5.
    fn degree_node() -> PtzSpaces {
        PtzSpaces {
            absolute_pan_tilt: vec![Space2D::new(
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                (-180.0, 180.0),
                (-90.0, 90.0),
            )],
            absolute_zoom: vec![Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 0.5))],
            pan_tilt_speed: vec![Space1D::new(space::PAN_TILT_SPEED_DEGREES, (0.0, 90.0))],
            ..PtzSpaces::default()
        }
    }

    #[test]
    fn floats_allow_infinity_only_in_ranges() {
        assert_eq!(parse_float("-INF", true), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("+360", true), Some(360.0));
        assert_eq!(parse_float("INF", false), None);
        assert_eq!(parse_float("NaN", true), None);
        assert_eq!(fmt_float(f64::INFINITY), "INF");
        assert_eq!(fmt_float(-1.0), "-1");
    }

    #[test]
    fn user_values_map_onto_a_narrow_generic_zoom() {
        let n = degree_node();
        let z = map_user_value(&n, Axis::Zoom, Motion::Absolute, 1.0).unwrap();
        assert_eq!(z.value, 0.5);
        assert_eq!(z.space, space::ZOOM_POSITION_GENERIC);
        let z = map_user_value(&n, Axis::Zoom, Motion::Absolute, 0.5).unwrap();
        assert_eq!(z.value, 0.25);
        let e = map_user_value(&n, Axis::Zoom, Motion::Absolute, 1.5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "zoom 1.5 is outside 0..1 of http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
        );
        // A raw value is checked against the camera's own range.
        let s = &n.absolute_zoom[0];
        assert!(s.check(Axis::Zoom, 0.5).is_ok());
        assert_eq!(
            s.check(Axis::Zoom, 0.6).unwrap_err().to_string(),
            "zoom 0.6 is outside 0..0.5 of http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
        );
    }

    #[test]
    fn user_values_map_onto_a_degree_pan_space() {
        let n = degree_node();
        let p = map_user_value(&n, Axis::Pan, Motion::Absolute, 0.5).unwrap();
        assert_eq!(p.value, 90.0);
        assert_eq!(p.space, space::PAN_TILT_POSITION_SPHERICAL_DEGREES);
        let t = map_user_value(&n, Axis::Tilt, Motion::Absolute, -1.0).unwrap();
        assert_eq!(t.value, -90.0);
        let v = vector(&n, Motion::Absolute, Some(-1.0), Some(1.0), Some(0.0)).unwrap();
        assert_eq!(
            v.pan_tilt,
            Some(Vector2D::in_space(
                -180.0,
                90.0,
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES
            ))
        );
        assert_eq!(
            v.zoom,
            Some(Vector1D::in_space(0.0, space::ZOOM_POSITION_GENERIC))
        );
        let s = &n.absolute_pan_tilt[0];
        assert!(s.check(180.0, -90.0).is_ok());
        assert_eq!(
            s.check(200.0, 0.0).unwrap_err().to_string(),
            "pan 200 is outside -180..180 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpace"
        );
        assert_eq!(
            s.check(0.0, 95.5).unwrap_err().to_string(),
            "tilt 95.5 is outside -90..90 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpace"
        );
        let sp = speed(&n, Some(0.5), None).unwrap();
        assert_eq!(
            sp.pan_tilt,
            Some(Vector2D::in_space(
                45.0,
                45.0,
                space::PAN_TILT_SPEED_DEGREES
            ))
        );
        // No relative spaces on this node.
        assert_eq!(
            map_user_value(&n, Axis::Pan, Motion::Relative, 0.1)
                .unwrap_err()
                .to_string(),
            "the PTZ node offers no relative translation space for pan"
        );
    }

    #[test]
    fn generic_values_are_kept_and_checked() {
        let n = generic_node();
        let e = map_user_value(&n, Axis::Pan, Motion::Absolute, 1.5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pan 1.5 is outside -1..1 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
        );
        let v = vector(&n, Motion::Continuous, Some(0.3), None, None).unwrap();
        assert_eq!(
            v.pan_tilt,
            Some(Vector2D::in_space(
                0.3,
                0.0,
                space::PAN_TILT_VELOCITY_GENERIC
            ))
        );
        assert!(v.zoom.is_none());
        assert!(map_user_value(&n, Axis::Zoom, Motion::Continuous, -1.0).is_ok());
        assert!(map_user_value(&n, Axis::Zoom, Motion::Speed, -0.1).is_err());
        // A vector with explicit spaces, or none (the generic ones then).
        assert!(check_vector(&n, Motion::Absolute, &PtzVector::new(1.0, -1.0, 0.0)).is_ok());
        let e = check_vector(&n, Motion::Absolute, &PtzVector::new(0.0, 0.0, 1.2)).unwrap_err();
        assert!(e.to_string().starts_with("zoom 1.2 is outside 0..1"), "{e}");
        let odd = PtzVector {
            pan_tilt: Some(Vector2D::in_space(0.0, 0.0, "urn:other")),
            zoom: None,
        };
        assert!(matches!(
            check_vector(&n, Motion::Absolute, &odd),
            Err(ScaleError::NoSpace { .. })
        ));
        let sp = PtzVector {
            pan_tilt: Some(Vector2D::new(0.5, 1.0)),
            zoom: None,
        };
        assert!(check_vector(&n, Motion::Speed, &sp).is_ok());
    }

    #[test]
    fn unbounded_ranges_keep_the_value() {
        let r = FloatRange {
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
        };
        assert_eq!(
            map_linear(0.25, &user_range(Axis::Pan, Motion::Absolute), &r),
            0.25
        );
        let s = Space1D::new("urn:x", (0.0, f64::INFINITY));
        assert!(s.contains(1e9));
        assert!(!s.contains(-1.0));
    }
}
