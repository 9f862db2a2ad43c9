//! Imaging settings (`tt:ImagingSettings20`): what the imaging service reads and sets, and what
//! a media video source may carry.
//!
//! Settings a camera sent are read leniently (an unreadable value reads as `None`); settings in
//! a request (the simulator's side of SetImagingSettings) are read strictly, so that a bad value
//! is refused instead of silently dropped. Each group is declared once, by `settings!`, which
//! derives both readings from the same field list.

use serde::Serialize;

use crate::codec::{Node, Xml};

crate::xml_enum! {
    /// A feature switched on or off (backlight compensation, wide dynamic range).
    pub OnOff { On = "ON", Off = "OFF" }
}

crate::xml_enum! {
    /// Automatic or manual control (exposure, focus, white balance).
    pub AutoManual { Auto = "AUTO", Manual = "MANUAL" }
}

crate::xml_enum! {
    /// The infrared cut filter.
    pub IrCutFilterMode { On = "ON", Off = "OFF", Auto = "AUTO" }
}

crate::xml_enum! {
    /// What automatic exposure favours.
    pub ExposurePriority { LowNoise = "LowNoise", FrameRate = "FrameRate" }
}

/// A settings value or group, and the type that reads the same element strictly.
pub(crate) trait Settings: Sized {
    /// The strict reading: a present value that does not read is an error.
    type Strict: Node + Into<Self>;
}

macro_rules! plain_settings {
    ($($t:ty),*) => {$(
        impl Settings for $t {
            type Strict = $t;
        }
    )*};
}
plain_settings!(f64, OnOff, AutoManual, IrCutFilterMode, ExposurePriority);

/// Declare a group of optional settings twice from one field list: the public type, read
/// leniently, and its strict twin, which converts into it.
macro_rules! settings {
    ($(#[$m:meta])* $name:ident / $strict:ident {
        $($(#[$fm:meta])* $field:ident: $ty:ty = $path:literal,)*
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
        pub struct $name {
            $($(#[$fm])* #[xml(child = $path, lenient)] pub $field: Option<$ty>,)*
        }

        #[doc = concat!("[`", stringify!($name), "`] as a request carries it: read strictly.")]
        #[derive(Xml)]
        pub(crate) struct $strict {
            $(#[xml(child = $path)] $field: Option<<$ty as Settings>::Strict>,)*
        }

        impl Settings for $name {
            type Strict = $strict;
        }

        impl From<$strict> for $name {
            fn from(s: $strict) -> Self {
                $name { $($field: s.$field.map(Into::into),)* }
            }
        }
    };
}

settings! {
    /// Backlight compensation.
    BacklightCompensation / StrictBacklightCompensation {
        mode: OnOff = "tt:Mode",
        level: f64 = "tt:Level",
    }
}

settings! {
    /// Exposure control. Times in microseconds, gain in dB, iris in dB (0 is fully open).
    Exposure / StrictExposure {
        mode: AutoManual = "tt:Mode",
        priority: ExposurePriority = "tt:Priority",
        min_exposure_time: f64 = "tt:MinExposureTime",
        max_exposure_time: f64 = "tt:MaxExposureTime",
        min_gain: f64 = "tt:MinGain",
        max_gain: f64 = "tt:MaxGain",
        min_iris: f64 = "tt:MinIris",
        max_iris: f64 = "tt:MaxIris",
        exposure_time: f64 = "tt:ExposureTime",
        gain: f64 = "tt:Gain",
        iris: f64 = "tt:Iris",
    }
}

settings! {
    /// Focus settings.
    FocusConfiguration / StrictFocusConfiguration {
        auto_focus_mode: AutoManual = "tt:AutoFocusMode",
        default_speed: f64 = "tt:DefaultSpeed",
        /// Metres.
        near_limit: f64 = "tt:NearLimit",
        /// Metres (0 is infinity).
        far_limit: f64 = "tt:FarLimit",
    }
}

settings! {
    /// Wide dynamic range.
    WideDynamicRange / StrictWideDynamicRange {
        mode: OnOff = "tt:Mode",
        level: f64 = "tt:Level",
    }
}

settings! {
    /// White balance.
    WhiteBalance / StrictWhiteBalance {
        mode: AutoManual = "tt:Mode",
        cr_gain: f64 = "tt:CrGain",
        cb_gain: f64 = "tt:CbGain",
    }
}

settings! {
    /// `tt:ImagingSettings20` (also read from the ver10 form cameras put in video sources).
    /// Every field is optional: only what is present is written, so a SetImagingSettings
    /// changes only what the caller filled in.
    ImagingSettings / StrictImagingSettings {
        backlight_compensation: BacklightCompensation = "tt:BacklightCompensation",
        brightness: f64 = "tt:Brightness",
        color_saturation: f64 = "tt:ColorSaturation",
        contrast: f64 = "tt:Contrast",
        exposure: Exposure = "tt:Exposure",
        focus: FocusConfiguration = "tt:Focus",
        ir_cut_filter: IrCutFilterMode = "tt:IrCutFilter",
        sharpness: f64 = "tt:Sharpness",
        wide_dynamic_range: WideDynamicRange = "tt:WideDynamicRange",
        white_balance: WhiteBalance = "tt:WhiteBalance",
    }
}
