//! Map a user's normalised values into the ranges a node advertises, and check values against
//! a space's range, before anything is sent.
//!
//! The user speaks in normalised units: pan, tilt and every translation and velocity in
//! `-1..1`, absolute zoom and speeds in `0..1`. For each axis and kind of move the node's
//! generic space is used when it has one, otherwise the first space it lists (a pan space in
//! degrees, say). The user's range is mapped linearly onto the space's advertised range, so
//! a zoom of 1 becomes 0.5 on a camera whose generic zoom range is `0..0.5`, and a pan of 0.5
//! becomes 90 in a `-180..180` degree space.

use std::fmt;

use serde::Serialize;

use super::space;
use super::spaces::{PtzSpaces, Space1D, Space2D};
use super::vector::{PtzVector, Vector1D, Vector2D};
use crate::ops::range::FloatRange;

/// An axis of the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    /// Pan (horizontal).
    Pan,
    /// Tilt (vertical).
    Tilt,
    /// Zoom.
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
        (Axis::Zoom, Motion::Absolute) | (_, Motion::Speed) => FloatRange { min: 0.0, max: 1.0 },
        _ => FloatRange {
            min: -1.0,
            max: 1.0,
        },
    }
}

/// A value outside its range: a value the user gave, outside the range it is given in
/// ([`user_range`]), or a value in a space's own units, outside the range the space advertises.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
pub struct OutOfRange {
    /// The axis.
    pub axis: Axis,
    /// The kind of value (a speed is named as a speed, not as the axis it moves).
    pub motion: Motion,
    /// The value.
    pub value: f64,
    /// Its allowed range.
    pub range: FloatRange,
    /// The space's URI when the value is in the space's own units; `None` for a value the
    /// user gave, which is checked against the user's range before it is mapped into a space.
    pub space: Option<String>,
}

impl OutOfRange {
    /// What the value is, as the message names it: the axis (`pan`), or for a speed `speed`
    /// (the user gives one speed for every axis) or the speed space's `pan/tilt speed` and
    /// `zoom speed`.
    fn what(&self) -> &'static str {
        match (self.motion, self.axis, &self.space) {
            (Motion::Speed, _, None) => "speed",
            (Motion::Speed, Axis::Zoom, Some(_)) => "zoom speed",
            (Motion::Speed, _, Some(_)) => "pan/tilt speed",
            (_, Axis::Pan, _) => "pan",
            (_, Axis::Tilt, _) => "tilt",
            (_, Axis::Zoom, _) => "zoom",
        }
    }
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, value, r) = (self.what(), self.value, &self.range);
        write!(f, "{what} {value} is outside {}..{}", r.min, r.max)?;
        match &self.space {
            Some(uri) => write!(f, " of {uri}"),
            // The user's units: say what the ends of the range are on the camera.
            None => {
                let axis = self.axis;
                match self.motion {
                    Motion::Absolute => write!(f, " (the camera's whole {axis} range)"),
                    Motion::Relative => {
                        write!(
                            f,
                            " (-1 and 1: the camera's largest {axis} step either way)"
                        )
                    }
                    Motion::Continuous => {
                        write!(f, " (-1 and 1: the camera's top {axis} speed either way)")
                    }
                    Motion::Speed => write!(f, " (a fraction of the camera's top speed)"),
                }
            }
        }
    }
}

/// Why a value cannot be sent.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
pub enum ScaleError {
    /// The value lies outside its range.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    /// The node offers no space for this axis and kind of move.
    #[error("the PTZ node offers no {motion} space for {axis}")]
    NoSpace {
        /// The axis.
        axis: Axis,
        /// The kind of move.
        motion: Motion,
    },
}

/// Check one value in a space's units against the space's range, naming the space in the
/// error.
pub fn check(
    axis: Axis,
    motion: Motion,
    value: f64,
    range: &FloatRange,
    space: &str,
) -> Result<(), OutOfRange> {
    within(axis, motion, value, range, Some(space))
}

/// Check a value the user gave against its range ([`user_range`]); the error states that
/// range and what its ends mean, not the space the value would be mapped into.
pub fn check_user(axis: Axis, motion: Motion, value: f64) -> Result<(), OutOfRange> {
    within(axis, motion, value, &user_range(axis, motion), None)
}

/// `Ok` when `value` lies in `range`, else the error for it (naming `space` when given).
fn within(
    axis: Axis,
    motion: Motion,
    value: f64,
    range: &FloatRange,
    space: Option<&str>,
) -> Result<(), OutOfRange> {
    if range.min <= value && value <= range.max {
        Ok(())
    } else {
        Err(OutOfRange {
            axis,
            motion,
            value,
            range: *range,
            space: space.map(str::to_owned),
        })
    }
}

impl Space2D {
    /// Check a pan (`x`) and tilt (`y`) value of kind `motion` against the ranges.
    pub fn check(&self, motion: Motion, x: f64, y: f64) -> Result<(), OutOfRange> {
        check(Axis::Pan, motion, x, &self.x_range, &self.uri)?;
        check(Axis::Tilt, motion, y, &self.y_range, &self.uri)
    }
}

impl Space1D {
    /// Check a value of `axis` and kind `motion` against the range.
    pub fn check(&self, axis: Axis, motion: Motion, x: f64) -> Result<(), OutOfRange> {
        check(axis, motion, x, &self.x_range, &self.uri)
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
    fn pick2<'a>(list: &'a [Space2D], generic: &str, tilt: bool) -> Option<(&'a str, FloatRange)> {
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
    check_user(axis, motion, value)?;
    let user = user_range(axis, motion);
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
pub fn check_vector(spaces: &PtzSpaces, motion: Motion, v: &PtzVector) -> Result<(), ScaleError> {
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
            (_, Motion::Speed) => find1(&spaces.pan_tilt_speed, uri).map(|s| (s.uri, s.x_range)),
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
        check(Axis::Pan, motion, p.x, &r, &uri)?;
        let (uri, r) = pick(Axis::Tilt, &p.space)?;
        check(Axis::Tilt, motion, p.y, &r, &uri)?;
    }
    if let Some(z) = &v.zoom {
        let (uri, r) = pick(Axis::Zoom, &z.space)?;
        check(Axis::Zoom, motion, z.x, &r, &uri)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
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
            "zoom 1.5 is outside 0..1 (the camera's whole zoom range)"
        );
        // A raw value is checked against the camera's own range.
        let s = &n.absolute_zoom[0];
        assert!(s.check(Axis::Zoom, Motion::Absolute, 0.5).is_ok());
        assert_eq!(
            s.check(Axis::Zoom, Motion::Absolute, 0.6)
                .unwrap_err()
                .to_string(),
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
        assert!(s.check(Motion::Absolute, 180.0, -90.0).is_ok());
        assert_eq!(
            s.check(Motion::Absolute, 200.0, 0.0)
                .unwrap_err()
                .to_string(),
            "pan 200 is outside -180..180 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpaceDegrees"
        );
        assert_eq!(
            s.check(Motion::Absolute, 0.0, 95.5)
                .unwrap_err()
                .to_string(),
            "tilt 95.5 is outside -90..90 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpaceDegrees"
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
            "pan 1.5 is outside -1..1 (the camera's whole pan range)"
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
    fn a_user_value_out_of_range_is_named_as_given_with_the_user_s_range() {
        let n = degree_node();
        // A speed is a speed, not the pan it would move.
        let e = speed(&n, Some(2.0), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "speed 2 is outside 0..1 (a fraction of the camera's top speed)"
        );
        let e = speed(&generic_node(), Some(-0.5), Some(-0.5)).unwrap_err();
        assert!(
            e.to_string().starts_with("speed -0.5 is outside 0..1"),
            "{e}"
        );
        // The user's -1..1, not the degrees of the space it would be mapped into.
        let e = vector(&n, Motion::Absolute, Some(5.0), None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pan 5 is outside -1..1 (the camera's whole pan range)"
        );
        let e = vector(&n, Motion::Absolute, None, Some(-1.5), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "tilt -1.5 is outside -1..1 (the camera's whole tilt range)"
        );
        let g = generic_node();
        let e = map_user_value(&g, Axis::Zoom, Motion::Relative, 3.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "zoom 3 is outside -1..1 (-1 and 1: the camera's largest zoom step either way)"
        );
        let e = map_user_value(&g, Axis::Tilt, Motion::Continuous, -2.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "tilt -2 is outside -1..1 (-1 and 1: the camera's top tilt speed either way)"
        );
        // A value in a space's own units names the space, and a speed as the space's speed.
        let raw = PtzVector {
            pan_tilt: Some(Vector2D::in_space(
                100.0,
                100.0,
                space::PAN_TILT_SPEED_DEGREES,
            )),
            zoom: None,
        };
        assert_eq!(
            check_vector(&n, Motion::Speed, &raw)
                .unwrap_err()
                .to_string(),
            "pan/tilt speed 100 is outside 0..90 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/SpeedSpaceDegrees"
        );
        let raw = PtzVector {
            pan_tilt: None,
            zoom: Some(Vector1D::new(1.5)),
        };
        assert!(
            check_vector(&g, Motion::Speed, &raw)
                .unwrap_err()
                .to_string()
                .starts_with("zoom speed 1.5 is outside 0..1 of "),
        );
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
