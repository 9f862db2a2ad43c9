//! The URIs of the coordinate spaces the PTZ specification defines.

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
/// Absolute pan/tilt angles in degrees. (The PTZ specification prints this URI broken
/// over two lines, `.../SphericalPositionSpace` and `Degrees`: it is one word.)
pub const PAN_TILT_POSITION_SPHERICAL_DEGREES: &str =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpaceDegrees";
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
