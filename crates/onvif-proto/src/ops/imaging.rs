//! Imaging service (ver20/imaging/wsdl): image settings, their ranges, and focus moves.
//!
//! Settings read from a camera are lenient (an unreadable optional value reads as `None`);
//! settings read from a request (the simulator's side of SetImagingSettings and Move) are
//! strict, so a bad value is refused instead of silently dropped.

use serde::Serialize;

use crate::error::Error;
use crate::ns::{TIMG, TT};
use crate::ops::device;
use crate::ops::profile::{
    FloatRange, bool_str, child_range, leaf_num, num, num_strict, token_request, write_range,
    write_service_capabilities, xml_enum,
};
use crate::ops::{Message, Service, expect, parse_bool, req_text};
use crate::xml::{Element, Writer};
use crate::{empty_message, operation};

xml_enum!(
    /// A feature switched on or off (backlight compensation, wide dynamic range).
    OnOff { On = "ON", Off = "OFF" }
);
xml_enum!(
    /// Automatic or manual control (exposure, focus, white balance).
    AutoManual { Auto = "AUTO", Manual = "MANUAL" }
);
xml_enum!(
    /// The infrared cut filter.
    IrCutFilterMode { On = "ON", Off = "OFF", Auto = "AUTO" }
);
xml_enum!(
    /// What automatic exposure favours.
    ExposurePriority { LowNoise = "LowNoise", FrameRate = "FrameRate" }
);

// ---------------------------------------------------------------------------------------------
// Reading helpers: lenient for answers, strict for requests

#[derive(Clone, Copy)]
struct Rd {
    strict: bool,
}

impl Rd {
    fn num(self, el: &Element, name: &str) -> Result<Option<f64>, Error> {
        if self.strict {
            num_strict(el, TT, name)
        } else {
            Ok(num(el, TT, name))
        }
    }

    fn word<T>(
        self,
        el: &Element,
        name: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        match el.child_text(TT, name) {
            None | Some("") => Ok(None),
            Some(t) => match parse(t) {
                Some(v) => Ok(Some(v)),
                None if self.strict => Err(Error::invalid(
                    format!("{}/{name}", el.name),
                    t,
                    "not an allowed value",
                )),
                None => Ok(None),
            },
        }
    }
}

/// Every child `{tt}name` read as a mode; unknown words are skipped.
fn modes<T>(el: &Element, name: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
    el.children_named(TT, name)
        .filter_map(|m| parse(m.text()))
        .collect()
}

fn write_word<T: Copy>(w: &mut Writer, tag: &str, v: Option<T>, s: fn(T) -> &'static str) {
    if let Some(v) = v {
        w.leaf(tag, s(v));
    }
}

// ---------------------------------------------------------------------------------------------
// ImagingSettings20

/// Backlight compensation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BacklightCompensation {
    pub mode: Option<OnOff>,
    pub level: Option<f64>,
}

/// Exposure control. Times in microseconds, gain in dB, iris in dB (0 is fully open).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Exposure {
    pub mode: Option<AutoManual>,
    pub priority: Option<ExposurePriority>,
    pub min_exposure_time: Option<f64>,
    pub max_exposure_time: Option<f64>,
    pub min_gain: Option<f64>,
    pub max_gain: Option<f64>,
    pub min_iris: Option<f64>,
    pub max_iris: Option<f64>,
    pub exposure_time: Option<f64>,
    pub gain: Option<f64>,
    pub iris: Option<f64>,
}

/// Focus settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FocusConfiguration {
    pub auto_focus_mode: Option<AutoManual>,
    pub default_speed: Option<f64>,
    /// Metres.
    pub near_limit: Option<f64>,
    /// Metres (0 is infinity).
    pub far_limit: Option<f64>,
}

/// Wide dynamic range.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WideDynamicRange {
    pub mode: Option<OnOff>,
    pub level: Option<f64>,
}

/// White balance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WhiteBalance {
    pub mode: Option<AutoManual>,
    pub cr_gain: Option<f64>,
    pub cb_gain: Option<f64>,
}

/// `tt:ImagingSettings20` (also read from the ver10 form cameras put in video sources). Every
/// field is optional: only what is present is written, so a SetImagingSettings changes only
/// what the caller filled in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImagingSettings {
    pub backlight_compensation: Option<BacklightCompensation>,
    pub brightness: Option<f64>,
    pub color_saturation: Option<f64>,
    pub contrast: Option<f64>,
    pub exposure: Option<Exposure>,
    pub focus: Option<FocusConfiguration>,
    pub ir_cut_filter: Option<IrCutFilterMode>,
    pub sharpness: Option<f64>,
    pub wide_dynamic_range: Option<WideDynamicRange>,
    pub white_balance: Option<WhiteBalance>,
}

impl ImagingSettings {
    /// Read settings a camera sent: unreadable values are left out.
    pub fn read_lenient(el: &Element) -> ImagingSettings {
        // A lenient read never fails; the fallback is unreachable.
        Self::read_with(el, Rd { strict: false }).unwrap_or_default()
    }

    /// Read settings from a request: a present value that cannot be read is an error.
    pub fn read_strict(el: &Element) -> Result<ImagingSettings, Error> {
        Self::read_with(el, Rd { strict: true })
    }

    fn read_with(el: &Element, r: Rd) -> Result<ImagingSettings, Error> {
        let backlight_compensation = match el.child(TT, "BacklightCompensation") {
            Some(b) => Some(BacklightCompensation {
                mode: r.word(b, "Mode", OnOff::parse)?,
                level: r.num(b, "Level")?,
            }),
            None => None,
        };
        let exposure = match el.child(TT, "Exposure") {
            Some(e) => Some(Exposure {
                mode: r.word(e, "Mode", AutoManual::parse)?,
                priority: r.word(e, "Priority", ExposurePriority::parse)?,
                min_exposure_time: r.num(e, "MinExposureTime")?,
                max_exposure_time: r.num(e, "MaxExposureTime")?,
                min_gain: r.num(e, "MinGain")?,
                max_gain: r.num(e, "MaxGain")?,
                min_iris: r.num(e, "MinIris")?,
                max_iris: r.num(e, "MaxIris")?,
                exposure_time: r.num(e, "ExposureTime")?,
                gain: r.num(e, "Gain")?,
                iris: r.num(e, "Iris")?,
            }),
            None => None,
        };
        let focus = match el.child(TT, "Focus") {
            Some(f) => Some(FocusConfiguration {
                auto_focus_mode: r.word(f, "AutoFocusMode", AutoManual::parse)?,
                default_speed: r.num(f, "DefaultSpeed")?,
                near_limit: r.num(f, "NearLimit")?,
                far_limit: r.num(f, "FarLimit")?,
            }),
            None => None,
        };
        let wide_dynamic_range = match el.child(TT, "WideDynamicRange") {
            Some(d) => Some(WideDynamicRange {
                mode: r.word(d, "Mode", OnOff::parse)?,
                level: r.num(d, "Level")?,
            }),
            None => None,
        };
        let white_balance = match el.child(TT, "WhiteBalance") {
            Some(b) => Some(WhiteBalance {
                mode: r.word(b, "Mode", AutoManual::parse)?,
                cr_gain: r.num(b, "CrGain")?,
                cb_gain: r.num(b, "CbGain")?,
            }),
            None => None,
        };
        Ok(ImagingSettings {
            backlight_compensation,
            brightness: r.num(el, "Brightness")?,
            color_saturation: r.num(el, "ColorSaturation")?,
            contrast: r.num(el, "Contrast")?,
            exposure,
            focus,
            ir_cut_filter: r.word(el, "IrCutFilter", IrCutFilterMode::parse)?,
            sharpness: r.num(el, "Sharpness")?,
            wide_dynamic_range,
            white_balance,
        })
    }

    /// Write as `tag`, children in schema order, only the fields that are set.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        if let Some(b) = &self.backlight_compensation {
            w.open("tt:BacklightCompensation", &[]);
            write_word(w, "tt:Mode", b.mode, OnOff::as_str);
            leaf_num(w, "tt:Level", b.level);
            w.close("tt:BacklightCompensation");
        }
        leaf_num(w, "tt:Brightness", self.brightness);
        leaf_num(w, "tt:ColorSaturation", self.color_saturation);
        leaf_num(w, "tt:Contrast", self.contrast);
        if let Some(e) = &self.exposure {
            w.open("tt:Exposure", &[]);
            write_word(w, "tt:Mode", e.mode, AutoManual::as_str);
            write_word(w, "tt:Priority", e.priority, ExposurePriority::as_str);
            leaf_num(w, "tt:MinExposureTime", e.min_exposure_time);
            leaf_num(w, "tt:MaxExposureTime", e.max_exposure_time);
            leaf_num(w, "tt:MinGain", e.min_gain);
            leaf_num(w, "tt:MaxGain", e.max_gain);
            leaf_num(w, "tt:MinIris", e.min_iris);
            leaf_num(w, "tt:MaxIris", e.max_iris);
            leaf_num(w, "tt:ExposureTime", e.exposure_time);
            leaf_num(w, "tt:Gain", e.gain);
            leaf_num(w, "tt:Iris", e.iris);
            w.close("tt:Exposure");
        }
        if let Some(f) = &self.focus {
            w.open("tt:Focus", &[]);
            write_word(w, "tt:AutoFocusMode", f.auto_focus_mode, AutoManual::as_str);
            leaf_num(w, "tt:DefaultSpeed", f.default_speed);
            leaf_num(w, "tt:NearLimit", f.near_limit);
            leaf_num(w, "tt:FarLimit", f.far_limit);
            w.close("tt:Focus");
        }
        write_word(
            w,
            "tt:IrCutFilter",
            self.ir_cut_filter,
            IrCutFilterMode::as_str,
        );
        leaf_num(w, "tt:Sharpness", self.sharpness);
        if let Some(d) = &self.wide_dynamic_range {
            w.open("tt:WideDynamicRange", &[]);
            write_word(w, "tt:Mode", d.mode, OnOff::as_str);
            leaf_num(w, "tt:Level", d.level);
            w.close("tt:WideDynamicRange");
        }
        if let Some(b) = &self.white_balance {
            w.open("tt:WhiteBalance", &[]);
            write_word(w, "tt:Mode", b.mode, AutoManual::as_str);
            leaf_num(w, "tt:CrGain", b.cr_gain);
            leaf_num(w, "tt:CbGain", b.cb_gain);
            w.close("tt:WhiteBalance");
        }
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// GetImagingSettings

token_request!(
    /// The imaging settings of a video source.
    GetImagingSettings, TIMG, "timg", "GetImagingSettings", video_source_token = "VideoSourceToken"
);
operation!(GetImagingSettings => ImagingSettingsResponse, Service::Imaging,
    "http://www.onvif.org/ver20/imaging/wsdl", "GetImagingSettings", idempotent = true);

/// The answer to GetImagingSettings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ImagingSettingsResponse {
    pub settings: ImagingSettings,
}

impl Message for ImagingSettingsResponse {
    fn write(&self, w: &mut Writer) {
        w.open("timg:GetImagingSettingsResponse", &[]);
        self.settings.write(w, "timg:ImagingSettings");
        w.close("timg:GetImagingSettingsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TIMG, "GetImagingSettingsResponse")?;
        let s = el
            .child(TIMG, "ImagingSettings")
            .ok_or_else(|| Error::missing("GetImagingSettingsResponse/ImagingSettings"))?;
        Ok(ImagingSettingsResponse {
            settings: ImagingSettings::read_lenient(s),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// SetImagingSettings

/// Change imaging settings; only the fields set in `settings` are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SetImagingSettings {
    pub video_source_token: String,
    pub settings: ImagingSettings,
    /// Keep the change across reboots (the device's default, `true`, when `None`).
    pub force_persistence: Option<bool>,
}

impl Message for SetImagingSettings {
    fn write(&self, w: &mut Writer) {
        w.open("timg:SetImagingSettings", &[]);
        w.leaf("timg:VideoSourceToken", &self.video_source_token);
        self.settings.write(w, "timg:ImagingSettings");
        if let Some(p) = self.force_persistence {
            w.leaf("timg:ForcePersistence", bool_str(p));
        }
        w.close("timg:SetImagingSettings");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TIMG, "SetImagingSettings")?;
        let s = el
            .child(TIMG, "ImagingSettings")
            .ok_or_else(|| Error::missing("SetImagingSettings/ImagingSettings"))?;
        Ok(SetImagingSettings {
            video_source_token: req_text(el, TIMG, "VideoSourceToken")?.to_owned(),
            settings: ImagingSettings::read_strict(s)?,
            force_persistence: el
                .child_text(TIMG, "ForcePersistence")
                .map(|v| parse_bool("ForcePersistence", v))
                .transpose()?,
        })
    }
}

empty_message!(
    /// The empty answer to SetImagingSettings.
    SetImagingSettingsResponse, TIMG, "timg", "SetImagingSettingsResponse"
);
operation!(SetImagingSettings => SetImagingSettingsResponse, Service::Imaging,
    "http://www.onvif.org/ver20/imaging/wsdl", "SetImagingSettings", idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetOptions

token_request!(
    /// The ranges and modes a video source's imaging settings accept.
    GetOptions, TIMG, "timg", "GetOptions", video_source_token = "VideoSourceToken"
);
operation!(GetOptions => ImagingOptionsResponse, Service::Imaging,
    "http://www.onvif.org/ver20/imaging/wsdl", "GetOptions", idempotent = true);

/// Backlight compensation options.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BacklightCompensationOptions {
    pub modes: Vec<OnOff>,
    pub level: Option<FloatRange>,
}

/// Exposure options.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExposureOptions {
    pub modes: Vec<AutoManual>,
    pub priorities: Vec<ExposurePriority>,
    pub min_exposure_time: Option<FloatRange>,
    pub max_exposure_time: Option<FloatRange>,
    pub min_gain: Option<FloatRange>,
    pub max_gain: Option<FloatRange>,
    pub min_iris: Option<FloatRange>,
    pub max_iris: Option<FloatRange>,
    pub exposure_time: Option<FloatRange>,
    pub gain: Option<FloatRange>,
    pub iris: Option<FloatRange>,
}

/// Focus options.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FocusOptions {
    pub auto_focus_modes: Vec<AutoManual>,
    pub default_speed: Option<FloatRange>,
    pub near_limit: Option<FloatRange>,
    pub far_limit: Option<FloatRange>,
}

/// Wide dynamic range options.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WideDynamicRangeOptions {
    pub modes: Vec<OnOff>,
    pub level: Option<FloatRange>,
}

/// White balance options (`YrGain`/`YbGain` ranges).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WhiteBalanceOptions {
    pub modes: Vec<AutoManual>,
    pub yr_gain: Option<FloatRange>,
    pub yb_gain: Option<FloatRange>,
}

/// `tt:ImagingOptions20`: what each setting accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImagingOptions {
    pub backlight_compensation: Option<BacklightCompensationOptions>,
    pub brightness: Option<FloatRange>,
    pub color_saturation: Option<FloatRange>,
    pub contrast: Option<FloatRange>,
    pub exposure: Option<ExposureOptions>,
    pub focus: Option<FocusOptions>,
    pub ir_cut_filter_modes: Vec<IrCutFilterMode>,
    pub sharpness: Option<FloatRange>,
    pub wide_dynamic_range: Option<WideDynamicRangeOptions>,
    pub white_balance: Option<WhiteBalanceOptions>,
}

impl ImagingOptions {
    /// Read leniently: unreadable ranges and unknown modes are left out.
    pub fn read(el: &Element) -> ImagingOptions {
        ImagingOptions {
            backlight_compensation: el.child(TT, "BacklightCompensation").map(|b| {
                BacklightCompensationOptions {
                    modes: modes(b, "Mode", OnOff::parse),
                    level: child_range(b, "Level"),
                }
            }),
            brightness: child_range(el, "Brightness"),
            color_saturation: child_range(el, "ColorSaturation"),
            contrast: child_range(el, "Contrast"),
            exposure: el.child(TT, "Exposure").map(|e| ExposureOptions {
                modes: modes(e, "Mode", AutoManual::parse),
                priorities: modes(e, "Priority", ExposurePriority::parse),
                min_exposure_time: child_range(e, "MinExposureTime"),
                max_exposure_time: child_range(e, "MaxExposureTime"),
                min_gain: child_range(e, "MinGain"),
                max_gain: child_range(e, "MaxGain"),
                min_iris: child_range(e, "MinIris"),
                max_iris: child_range(e, "MaxIris"),
                exposure_time: child_range(e, "ExposureTime"),
                gain: child_range(e, "Gain"),
                iris: child_range(e, "Iris"),
            }),
            focus: el.child(TT, "Focus").map(|f| FocusOptions {
                auto_focus_modes: modes(f, "AutoFocusModes", AutoManual::parse),
                default_speed: child_range(f, "DefaultSpeed"),
                near_limit: child_range(f, "NearLimit"),
                far_limit: child_range(f, "FarLimit"),
            }),
            ir_cut_filter_modes: modes(el, "IrCutFilterModes", IrCutFilterMode::parse),
            sharpness: child_range(el, "Sharpness"),
            wide_dynamic_range: el
                .child(TT, "WideDynamicRange")
                .map(|d| WideDynamicRangeOptions {
                    modes: modes(d, "Mode", OnOff::parse),
                    level: child_range(d, "Level"),
                }),
            white_balance: el.child(TT, "WhiteBalance").map(|b| WhiteBalanceOptions {
                modes: modes(b, "Mode", AutoManual::parse),
                yr_gain: child_range(b, "YrGain"),
                yb_gain: child_range(b, "YbGain"),
            }),
        }
    }

    /// Write as `tag`, in schema order.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        if let Some(b) = &self.backlight_compensation {
            w.open("tt:BacklightCompensation", &[]);
            for m in &b.modes {
                w.leaf("tt:Mode", m.as_str());
            }
            write_range(w, "tt:Level", b.level.as_ref());
            w.close("tt:BacklightCompensation");
        }
        write_range(w, "tt:Brightness", self.brightness.as_ref());
        write_range(w, "tt:ColorSaturation", self.color_saturation.as_ref());
        write_range(w, "tt:Contrast", self.contrast.as_ref());
        if let Some(e) = &self.exposure {
            w.open("tt:Exposure", &[]);
            for m in &e.modes {
                w.leaf("tt:Mode", m.as_str());
            }
            for p in &e.priorities {
                w.leaf("tt:Priority", p.as_str());
            }
            for (t, r) in [
                ("tt:MinExposureTime", &e.min_exposure_time),
                ("tt:MaxExposureTime", &e.max_exposure_time),
                ("tt:MinGain", &e.min_gain),
                ("tt:MaxGain", &e.max_gain),
                ("tt:MinIris", &e.min_iris),
                ("tt:MaxIris", &e.max_iris),
                ("tt:ExposureTime", &e.exposure_time),
                ("tt:Gain", &e.gain),
                ("tt:Iris", &e.iris),
            ] {
                write_range(w, t, r.as_ref());
            }
            w.close("tt:Exposure");
        }
        if let Some(f) = &self.focus {
            w.open("tt:Focus", &[]);
            for m in &f.auto_focus_modes {
                w.leaf("tt:AutoFocusModes", m.as_str());
            }
            write_range(w, "tt:DefaultSpeed", f.default_speed.as_ref());
            write_range(w, "tt:NearLimit", f.near_limit.as_ref());
            write_range(w, "tt:FarLimit", f.far_limit.as_ref());
            w.close("tt:Focus");
        }
        for m in &self.ir_cut_filter_modes {
            w.leaf("tt:IrCutFilterModes", m.as_str());
        }
        write_range(w, "tt:Sharpness", self.sharpness.as_ref());
        if let Some(d) = &self.wide_dynamic_range {
            w.open("tt:WideDynamicRange", &[]);
            for m in &d.modes {
                w.leaf("tt:Mode", m.as_str());
            }
            write_range(w, "tt:Level", d.level.as_ref());
            w.close("tt:WideDynamicRange");
        }
        if let Some(b) = &self.white_balance {
            w.open("tt:WhiteBalance", &[]);
            for m in &b.modes {
                w.leaf("tt:Mode", m.as_str());
            }
            write_range(w, "tt:YrGain", b.yr_gain.as_ref());
            write_range(w, "tt:YbGain", b.yb_gain.as_ref());
            w.close("tt:WhiteBalance");
        }
        w.close(tag);
    }
}

/// The answer to GetOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ImagingOptionsResponse {
    pub options: ImagingOptions,
}

impl Message for ImagingOptionsResponse {
    fn write(&self, w: &mut Writer) {
        w.open("timg:GetOptionsResponse", &[]);
        self.options.write(w, "timg:ImagingOptions");
        w.close("timg:GetOptionsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TIMG, "GetOptionsResponse")?;
        let o = el
            .child(TIMG, "ImagingOptions")
            .ok_or_else(|| Error::missing("GetOptionsResponse/ImagingOptions"))?;
        Ok(ImagingOptionsResponse {
            options: ImagingOptions::read(o),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// GetMoveOptions

token_request!(
    /// The focus moves a video source supports.
    GetMoveOptions, TIMG, "timg", "GetMoveOptions", video_source_token = "VideoSourceToken"
);
operation!(GetMoveOptions => MoveOptionsResponse, Service::Imaging,
    "http://www.onvif.org/ver20/imaging/wsdl", "GetMoveOptions", idempotent = true);

/// Absolute focus moves: position and optional speed ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AbsoluteFocusOptions {
    pub position: Option<FloatRange>,
    pub speed: Option<FloatRange>,
}

/// Relative focus moves: distance and optional speed ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RelativeFocusOptions {
    pub distance: Option<FloatRange>,
    pub speed: Option<FloatRange>,
}

/// Continuous focus moves: the speed range.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContinuousFocusOptions {
    pub speed: Option<FloatRange>,
}

/// `tt:MoveOptions20`: which focus moves are supported (a `None` kind is not).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MoveOptions {
    pub absolute: Option<AbsoluteFocusOptions>,
    pub relative: Option<RelativeFocusOptions>,
    pub continuous: Option<ContinuousFocusOptions>,
}

impl MoveOptions {
    /// Read leniently.
    pub fn read(el: &Element) -> MoveOptions {
        MoveOptions {
            absolute: el.child(TT, "Absolute").map(|a| AbsoluteFocusOptions {
                position: child_range(a, "Position"),
                speed: child_range(a, "Speed"),
            }),
            relative: el.child(TT, "Relative").map(|r| RelativeFocusOptions {
                distance: child_range(r, "Distance"),
                speed: child_range(r, "Speed"),
            }),
            continuous: el.child(TT, "Continuous").map(|c| ContinuousFocusOptions {
                speed: child_range(c, "Speed"),
            }),
        }
    }

    /// Write as `tag`.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        if let Some(a) = &self.absolute {
            w.open("tt:Absolute", &[]);
            write_range(w, "tt:Position", a.position.as_ref());
            write_range(w, "tt:Speed", a.speed.as_ref());
            w.close("tt:Absolute");
        }
        if let Some(r) = &self.relative {
            w.open("tt:Relative", &[]);
            write_range(w, "tt:Distance", r.distance.as_ref());
            write_range(w, "tt:Speed", r.speed.as_ref());
            w.close("tt:Relative");
        }
        if let Some(c) = &self.continuous {
            w.open("tt:Continuous", &[]);
            write_range(w, "tt:Speed", c.speed.as_ref());
            w.close("tt:Continuous");
        }
        w.close(tag);
    }
}

/// The answer to GetMoveOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct MoveOptionsResponse {
    pub options: MoveOptions,
}

impl Message for MoveOptionsResponse {
    fn write(&self, w: &mut Writer) {
        w.open("timg:GetMoveOptionsResponse", &[]);
        self.options.write(w, "timg:MoveOptions");
        w.close("timg:GetMoveOptionsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TIMG, "GetMoveOptionsResponse")?;
        let o = el
            .child(TIMG, "MoveOptions")
            .ok_or_else(|| Error::missing("GetMoveOptionsResponse/MoveOptions"))?;
        Ok(MoveOptionsResponse {
            options: MoveOptions::read(o),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Move / Stop

/// A focus move.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FocusMove {
    /// Go to a position (see [`AbsoluteFocusOptions`] for its range).
    Absolute { position: f64, speed: Option<f64> },
    /// Move by a distance.
    Relative { distance: f64, speed: Option<f64> },
    /// Move at a speed until Stop (negative is towards near).
    Continuous { speed: f64 },
}

/// Move the focus of a video source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub video_source_token: String,
    pub focus: FocusMove,
}

fn required(el: &Element, name: &str) -> Result<f64, Error> {
    num_strict(el, TT, name)?.ok_or_else(|| Error::missing(format!("{}/{name}", el.name)))
}

impl Message for Move {
    fn write(&self, w: &mut Writer) {
        w.open("timg:Move", &[]);
        w.leaf("timg:VideoSourceToken", &self.video_source_token);
        w.open("timg:Focus", &[]);
        match self.focus {
            FocusMove::Absolute { position, speed } => {
                w.open("tt:Absolute", &[]);
                w.leaf("tt:Position", &position.to_string());
                leaf_num(w, "tt:Speed", speed);
                w.close("tt:Absolute");
            }
            FocusMove::Relative { distance, speed } => {
                w.open("tt:Relative", &[]);
                w.leaf("tt:Distance", &distance.to_string());
                leaf_num(w, "tt:Speed", speed);
                w.close("tt:Relative");
            }
            FocusMove::Continuous { speed } => {
                w.open("tt:Continuous", &[]);
                w.leaf("tt:Speed", &speed.to_string());
                w.close("tt:Continuous");
            }
        }
        w.close("timg:Focus");
        w.close("timg:Move");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TIMG, "Move")?;
        let f = el
            .child(TIMG, "Focus")
            .ok_or_else(|| Error::missing("Move/Focus"))?;
        let focus = if let Some(a) = f.child(TT, "Absolute") {
            FocusMove::Absolute {
                position: required(a, "Position")?,
                speed: num_strict(a, TT, "Speed")?,
            }
        } else if let Some(r) = f.child(TT, "Relative") {
            FocusMove::Relative {
                distance: required(r, "Distance")?,
                speed: num_strict(r, TT, "Speed")?,
            }
        } else if let Some(c) = f.child(TT, "Continuous") {
            FocusMove::Continuous {
                speed: required(c, "Speed")?,
            }
        } else {
            return Err(Error::missing(
                "Move/Focus/Absolute, Relative or Continuous",
            ));
        };
        Ok(Move {
            video_source_token: req_text(el, TIMG, "VideoSourceToken")?.to_owned(),
            focus,
        })
    }
}

empty_message!(
    /// The empty answer to Move.
    MoveResponse, TIMG, "timg", "MoveResponse"
);
// A relative move done twice moves twice.
operation!(Move => MoveResponse, Service::Imaging,
    "http://www.onvif.org/ver20/imaging/wsdl", "Move", idempotent = false);

token_request!(
    /// Stop a focus move.
    Stop, TIMG, "timg", "Stop", video_source_token = "VideoSourceToken"
);
empty_message!(
    /// The empty answer to Stop.
    StopResponse, TIMG, "timg", "StopResponse"
);
operation!(Stop => StopResponse, Service::Imaging,
    "http://www.onvif.org/ver20/imaging/wsdl", "Stop", idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

empty_message!(
    /// The imaging service's capabilities.
    GetServiceCapabilities, TIMG, "timg", "GetServiceCapabilities"
);
operation!(GetServiceCapabilities => ServiceCapabilities, Service::Imaging,
    "http://www.onvif.org/ver20/imaging/wsdl", "GetServiceCapabilities", idempotent = true);

/// The imaging service's capabilities, flattened (`ImageStabilization` -> `false`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ServiceCapabilities(pub device::ServiceCapabilities);

impl Message for ServiceCapabilities {
    fn write(&self, w: &mut Writer) {
        write_service_capabilities(w, "timg", &self.0.flags);
    }

    fn read(el: &Element) -> Result<Self, Error> {
        device::ServiceCapabilities::read_in(el, TIMG).map(ServiceCapabilities)
    }
}
