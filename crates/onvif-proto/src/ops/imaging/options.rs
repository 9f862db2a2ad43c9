//! What a video source's imaging settings accept (`tt:ImagingOptions20`) and which focus moves
//! it supports (`tt:MoveOptions20`). Both are answers, read leniently: an unreadable range or an
//! unknown mode is left out.

use serde::Serialize;

use super::settings::{AutoManual, ExposurePriority, IrCutFilterMode, OnOff};
use crate::codec::Xml;
use crate::ops::range::FloatRange;

/// Backlight compensation options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct BacklightCompensationOptions {
    /// The modes accepted.
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<OnOff>,
    /// The level's range; `None` when the camera gives none.
    #[xml(child = "tt:Level", lenient)]
    pub level: Option<FloatRange>,
}

/// Exposure options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct ExposureOptions {
    /// The modes accepted.
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<AutoManual>,
    /// The priorities accepted.
    #[xml(child = "tt:Priority", lenient)]
    pub priorities: Vec<ExposurePriority>,
    /// The range of the shortest exposure time, in microseconds; `None` when not given.
    #[xml(child = "tt:MinExposureTime", lenient)]
    pub min_exposure_time: Option<FloatRange>,
    /// The range of the longest exposure time, in microseconds; `None` when not given.
    #[xml(child = "tt:MaxExposureTime", lenient)]
    pub max_exposure_time: Option<FloatRange>,
    /// The range of the lowest gain, in dB; `None` when not given.
    #[xml(child = "tt:MinGain", lenient)]
    pub min_gain: Option<FloatRange>,
    /// The range of the highest gain, in dB; `None` when not given.
    #[xml(child = "tt:MaxGain", lenient)]
    pub max_gain: Option<FloatRange>,
    /// The range of the lowest iris attenuation, in dB; `None` when not given.
    #[xml(child = "tt:MinIris", lenient)]
    pub min_iris: Option<FloatRange>,
    /// The range of the highest iris attenuation, in dB; `None` when not given.
    #[xml(child = "tt:MaxIris", lenient)]
    pub max_iris: Option<FloatRange>,
    /// The range of a manual exposure time, in microseconds; `None` when not given.
    #[xml(child = "tt:ExposureTime", lenient)]
    pub exposure_time: Option<FloatRange>,
    /// The range of a manual gain, in dB; `None` when not given.
    #[xml(child = "tt:Gain", lenient)]
    pub gain: Option<FloatRange>,
    /// The range of a manual iris attenuation, in dB (0 is fully open); `None` when not given.
    #[xml(child = "tt:Iris", lenient)]
    pub iris: Option<FloatRange>,
}

/// Focus options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct FocusOptions {
    /// The auto-focus modes accepted.
    #[xml(child = "tt:AutoFocusModes", lenient)]
    pub auto_focus_modes: Vec<AutoManual>,
    /// The range of the default speed; `None` when not given.
    #[xml(child = "tt:DefaultSpeed", lenient)]
    pub default_speed: Option<FloatRange>,
    /// The range of the near limit, in metres; `None` when not given.
    #[xml(child = "tt:NearLimit", lenient)]
    pub near_limit: Option<FloatRange>,
    /// The range of the far limit, in metres; `None` when not given.
    #[xml(child = "tt:FarLimit", lenient)]
    pub far_limit: Option<FloatRange>,
}

/// Wide dynamic range options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct WideDynamicRangeOptions {
    /// The modes accepted.
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<OnOff>,
    /// The level's range; `None` when the camera gives none.
    #[xml(child = "tt:Level", lenient)]
    pub level: Option<FloatRange>,
}

/// White balance options (`YrGain`/`YbGain` ranges).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct WhiteBalanceOptions {
    /// The modes accepted.
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<AutoManual>,
    /// The range of the red gain (unitless); `None` when not given.
    #[xml(child = "tt:YrGain", lenient)]
    pub yr_gain: Option<FloatRange>,
    /// The range of the blue gain (unitless); `None` when not given.
    #[xml(child = "tt:YbGain", lenient)]
    pub yb_gain: Option<FloatRange>,
}

/// `tt:ImagingOptions20`: what each setting accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct ImagingOptions {
    /// Backlight compensation; `None` when the source has none to set.
    #[xml(child = "tt:BacklightCompensation")]
    pub backlight_compensation: Option<BacklightCompensationOptions>,
    /// The brightness range; `None` when not given.
    #[xml(child = "tt:Brightness", lenient)]
    pub brightness: Option<FloatRange>,
    /// The colour saturation range; `None` when not given.
    #[xml(child = "tt:ColorSaturation", lenient)]
    pub color_saturation: Option<FloatRange>,
    /// The contrast range; `None` when not given.
    #[xml(child = "tt:Contrast", lenient)]
    pub contrast: Option<FloatRange>,
    /// Exposure; `None` when the source has none to set.
    #[xml(child = "tt:Exposure")]
    pub exposure: Option<ExposureOptions>,
    /// Focus; `None` when the source has none to set.
    #[xml(child = "tt:Focus")]
    pub focus: Option<FocusOptions>,
    /// The infrared cut filter modes accepted; empty when the source has no filter to set.
    #[xml(child = "tt:IrCutFilterModes", lenient)]
    pub ir_cut_filter_modes: Vec<IrCutFilterMode>,
    /// The sharpness range; `None` when not given.
    #[xml(child = "tt:Sharpness", lenient)]
    pub sharpness: Option<FloatRange>,
    /// Wide dynamic range; `None` when the source has none to set.
    #[xml(child = "tt:WideDynamicRange")]
    pub wide_dynamic_range: Option<WideDynamicRangeOptions>,
    /// White balance; `None` when the source has none to set.
    #[xml(child = "tt:WhiteBalance")]
    pub white_balance: Option<WhiteBalanceOptions>,
}

/// Absolute focus moves: position and optional speed ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct AbsoluteFocusOptions {
    /// The position range; `None` when not given.
    #[xml(child = "tt:Position", lenient)]
    pub position: Option<FloatRange>,
    /// The speed range; `None` when the speed cannot be chosen.
    #[xml(child = "tt:Speed", lenient)]
    pub speed: Option<FloatRange>,
}

/// Relative focus moves: distance and optional speed ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct RelativeFocusOptions {
    /// The distance range; `None` when not given.
    #[xml(child = "tt:Distance", lenient)]
    pub distance: Option<FloatRange>,
    /// The speed range; `None` when the speed cannot be chosen.
    #[xml(child = "tt:Speed", lenient)]
    pub speed: Option<FloatRange>,
}

/// Continuous focus moves: the speed range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct ContinuousFocusOptions {
    /// The speed range; `None` when not given.
    #[xml(child = "tt:Speed", lenient)]
    pub speed: Option<FloatRange>,
}

/// `tt:MoveOptions20`: which focus moves are supported (a `None` kind is not).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct MoveOptions {
    /// Moves to a position; `None` when not supported.
    #[xml(child = "tt:Absolute")]
    pub absolute: Option<AbsoluteFocusOptions>,
    /// Moves by a distance; `None` when not supported.
    #[xml(child = "tt:Relative")]
    pub relative: Option<RelativeFocusOptions>,
    /// Moves at a speed; `None` when not supported.
    #[xml(child = "tt:Continuous")]
    pub continuous: Option<ContinuousFocusOptions>,
}
