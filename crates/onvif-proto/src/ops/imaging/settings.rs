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
    pub OnOff {
        /// Switched on.
        On = "ON",
        /// Switched off.
        Off = "OFF",
    }
}

crate::xml_enum! {
    /// Automatic or manual control (exposure, focus, white balance).
    pub AutoManual {
        /// The camera controls it.
        Auto = "AUTO",
        /// Set by hand.
        Manual = "MANUAL",
    }
}

crate::xml_enum! {
    /// The infrared cut filter.
    pub IrCutFilterMode {
        /// The filter is in: infrared is blocked (day mode).
        On = "ON",
        /// The filter is out: infrared passes (night mode).
        Off = "OFF",
        /// The camera switches it by the light.
        Auto = "AUTO",
    }
}

crate::xml_enum! {
    /// What automatic exposure favours.
    pub ExposurePriority {
        /// Favour low noise (longer exposures, less gain).
        LowNoise = "LowNoise",
        /// Keep the frame rate.
        FrameRate = "FrameRate",
    }
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
        ///
        /// Every field is optional: `None` when absent, and not written, so a
        /// SetImagingSettings changes only what the caller filled in.
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
        /// On or off.
        mode: OnOff = "tt:Mode",
        /// The strength, in the range GetOptions gives.
        level: f64 = "tt:Level",
    }
}

settings! {
    /// Exposure control. Times in microseconds, gain in dB, iris in dB (0 is fully open).
    Exposure / StrictExposure {
        /// Automatic or manual exposure.
        mode: AutoManual = "tt:Mode",
        /// What automatic exposure favours.
        priority: ExposurePriority = "tt:Priority",
        /// The shortest exposure time automatic exposure may use, in microseconds.
        min_exposure_time: f64 = "tt:MinExposureTime",
        /// The longest exposure time automatic exposure may use, in microseconds.
        max_exposure_time: f64 = "tt:MaxExposureTime",
        /// The lowest gain automatic exposure may use, in dB.
        min_gain: f64 = "tt:MinGain",
        /// The highest gain automatic exposure may use, in dB.
        max_gain: f64 = "tt:MaxGain",
        /// The lowest iris attenuation automatic exposure may use, in dB.
        min_iris: f64 = "tt:MinIris",
        /// The highest iris attenuation automatic exposure may use, in dB.
        max_iris: f64 = "tt:MaxIris",
        /// The exposure time of manual exposure, in microseconds.
        exposure_time: f64 = "tt:ExposureTime",
        /// The gain of manual exposure, in dB.
        gain: f64 = "tt:Gain",
        /// The iris attenuation of manual exposure, in dB.
        iris: f64 = "tt:Iris",
    }
}

settings! {
    /// Focus settings.
    FocusConfiguration / StrictFocusConfiguration {
        /// Automatic or manual focus.
        auto_focus_mode: AutoManual = "tt:AutoFocusMode",
        /// The speed of focus moves that give none.
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
        /// On or off.
        mode: OnOff = "tt:Mode",
        /// The strength, in the range GetOptions gives.
        level: f64 = "tt:Level",
    }
}

settings! {
    /// White balance.
    WhiteBalance / StrictWhiteBalance {
        /// Automatic or manual white balance.
        mode: AutoManual = "tt:Mode",
        /// The red gain of manual white balance (unitless).
        cr_gain: f64 = "tt:CrGain",
        /// The blue gain of manual white balance (unitless).
        cb_gain: f64 = "tt:CbGain",
    }
}

settings! {
    /// `tt:ImagingSettings20` (also read from the ver10 form cameras put in video sources).
    ImagingSettings / StrictImagingSettings {
        /// Backlight compensation.
        backlight_compensation: BacklightCompensation = "tt:BacklightCompensation",
        /// Brightness, in the range GetOptions gives.
        brightness: f64 = "tt:Brightness",
        /// Colour saturation, in the range GetOptions gives.
        color_saturation: f64 = "tt:ColorSaturation",
        /// Contrast, in the range GetOptions gives.
        contrast: f64 = "tt:Contrast",
        /// Exposure control.
        exposure: Exposure = "tt:Exposure",
        /// Focus.
        focus: FocusConfiguration = "tt:Focus",
        /// The infrared cut filter.
        ir_cut_filter: IrCutFilterMode = "tt:IrCutFilter",
        /// Sharpness, in the range GetOptions gives.
        sharpness: f64 = "tt:Sharpness",
        /// Wide dynamic range.
        wide_dynamic_range: WideDynamicRange = "tt:WideDynamicRange",
        /// White balance.
        white_balance: WhiteBalance = "tt:WhiteBalance",
    }
}
