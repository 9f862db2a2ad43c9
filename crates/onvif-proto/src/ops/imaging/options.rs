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
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<OnOff>,
    #[xml(child = "tt:Level", lenient)]
    pub level: Option<FloatRange>,
}

/// Exposure options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct ExposureOptions {
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<AutoManual>,
    #[xml(child = "tt:Priority", lenient)]
    pub priorities: Vec<ExposurePriority>,
    #[xml(child = "tt:MinExposureTime", lenient)]
    pub min_exposure_time: Option<FloatRange>,
    #[xml(child = "tt:MaxExposureTime", lenient)]
    pub max_exposure_time: Option<FloatRange>,
    #[xml(child = "tt:MinGain", lenient)]
    pub min_gain: Option<FloatRange>,
    #[xml(child = "tt:MaxGain", lenient)]
    pub max_gain: Option<FloatRange>,
    #[xml(child = "tt:MinIris", lenient)]
    pub min_iris: Option<FloatRange>,
    #[xml(child = "tt:MaxIris", lenient)]
    pub max_iris: Option<FloatRange>,
    #[xml(child = "tt:ExposureTime", lenient)]
    pub exposure_time: Option<FloatRange>,
    #[xml(child = "tt:Gain", lenient)]
    pub gain: Option<FloatRange>,
    #[xml(child = "tt:Iris", lenient)]
    pub iris: Option<FloatRange>,
}

/// Focus options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct FocusOptions {
    #[xml(child = "tt:AutoFocusModes", lenient)]
    pub auto_focus_modes: Vec<AutoManual>,
    #[xml(child = "tt:DefaultSpeed", lenient)]
    pub default_speed: Option<FloatRange>,
    #[xml(child = "tt:NearLimit", lenient)]
    pub near_limit: Option<FloatRange>,
    #[xml(child = "tt:FarLimit", lenient)]
    pub far_limit: Option<FloatRange>,
}

/// Wide dynamic range options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct WideDynamicRangeOptions {
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<OnOff>,
    #[xml(child = "tt:Level", lenient)]
    pub level: Option<FloatRange>,
}

/// White balance options (`YrGain`/`YbGain` ranges).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct WhiteBalanceOptions {
    #[xml(child = "tt:Mode", lenient)]
    pub modes: Vec<AutoManual>,
    #[xml(child = "tt:YrGain", lenient)]
    pub yr_gain: Option<FloatRange>,
    #[xml(child = "tt:YbGain", lenient)]
    pub yb_gain: Option<FloatRange>,
}

/// `tt:ImagingOptions20`: what each setting accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct ImagingOptions {
    #[xml(child = "tt:BacklightCompensation")]
    pub backlight_compensation: Option<BacklightCompensationOptions>,
    #[xml(child = "tt:Brightness", lenient)]
    pub brightness: Option<FloatRange>,
    #[xml(child = "tt:ColorSaturation", lenient)]
    pub color_saturation: Option<FloatRange>,
    #[xml(child = "tt:Contrast", lenient)]
    pub contrast: Option<FloatRange>,
    #[xml(child = "tt:Exposure")]
    pub exposure: Option<ExposureOptions>,
    #[xml(child = "tt:Focus")]
    pub focus: Option<FocusOptions>,
    #[xml(child = "tt:IrCutFilterModes", lenient)]
    pub ir_cut_filter_modes: Vec<IrCutFilterMode>,
    #[xml(child = "tt:Sharpness", lenient)]
    pub sharpness: Option<FloatRange>,
    #[xml(child = "tt:WideDynamicRange")]
    pub wide_dynamic_range: Option<WideDynamicRangeOptions>,
    #[xml(child = "tt:WhiteBalance")]
    pub white_balance: Option<WhiteBalanceOptions>,
}

/// Absolute focus moves: position and optional speed ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct AbsoluteFocusOptions {
    #[xml(child = "tt:Position", lenient)]
    pub position: Option<FloatRange>,
    #[xml(child = "tt:Speed", lenient)]
    pub speed: Option<FloatRange>,
}

/// Relative focus moves: distance and optional speed ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct RelativeFocusOptions {
    #[xml(child = "tt:Distance", lenient)]
    pub distance: Option<FloatRange>,
    #[xml(child = "tt:Speed", lenient)]
    pub speed: Option<FloatRange>,
}

/// Continuous focus moves: the speed range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct ContinuousFocusOptions {
    #[xml(child = "tt:Speed", lenient)]
    pub speed: Option<FloatRange>,
}

/// `tt:MoveOptions20`: which focus moves are supported (a `None` kind is not).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct MoveOptions {
    #[xml(child = "tt:Absolute")]
    pub absolute: Option<AbsoluteFocusOptions>,
    #[xml(child = "tt:Relative")]
    pub relative: Option<RelativeFocusOptions>,
    #[xml(child = "tt:Continuous")]
    pub continuous: Option<ContinuousFocusOptions>,
}
