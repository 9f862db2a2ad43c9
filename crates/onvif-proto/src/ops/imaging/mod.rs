//! Imaging service (ver20/imaging/wsdl): image settings ([`settings`]), their ranges and the
//! focus moves a source supports ([`options`]), and the messages here.
//!
//! Settings read from a camera are lenient (an unreadable optional value reads as `None`);
//! settings read from a request (the simulator's side of SetImagingSettings and Move) are
//! strict, so a bad value is refused instead of silently dropped.

use serde::Serialize;

use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::TIMG;
use crate::operation;
pub use crate::ops::ptz::MoveStatus;
use crate::xml::{Element, Writer};

pub mod options;
pub mod settings;

pub use options::{
    AbsoluteFocusOptions, BacklightCompensationOptions, ContinuousFocusOptions, ExposureOptions,
    FocusOptions, ImagingOptions, MoveOptions, RelativeFocusOptions, WhiteBalanceOptions,
    WideDynamicRangeOptions,
};
pub use settings::{
    AutoManual, BacklightCompensation, Exposure, ExposurePriority, FocusConfiguration,
    ImagingSettings, IrCutFilterMode, OnOff, WhiteBalance, WideDynamicRange,
};

// ---------------------------------------------------------------------------------------------
// GetImagingSettings / SetImagingSettings

/// The imaging settings of a video source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:GetImagingSettings")]
pub struct GetImagingSettings {
    /// `VideoSourceToken`.
    #[xml(child = "timg:VideoSourceToken")]
    pub video_source_token: String,
}
operation!(GetImagingSettings => ImagingSettingsResponse, idempotent = true);

/// The answer to GetImagingSettings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "timg:GetImagingSettingsResponse")]
pub struct ImagingSettingsResponse {
    /// The source's settings (only those the camera sent are `Some`).
    #[xml(child = "timg:ImagingSettings")]
    pub settings: ImagingSettings,
}

/// Change imaging settings; only the fields set in `settings` are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "timg:SetImagingSettings")]
pub struct SetImagingSettings {
    /// The video source whose settings change.
    #[xml(child = "timg:VideoSourceToken")]
    pub video_source_token: String,
    /// Read strictly: a value that does not read is refused, not dropped.
    #[xml(with = "strict_settings")]
    pub settings: ImagingSettings,
    /// Keep the change across reboots (the device's default, `true`, when `None`).
    #[xml(child = "timg:ForcePersistence")]
    pub force_persistence: Option<bool>,
}

/// `#[xml(with)]` for the settings of SetImagingSettings, read strictly.
mod strict_settings {
    use super::*;
    use crate::ops::imaging::settings::StrictImagingSettings;

    pub(super) fn read(el: &Element) -> Result<ImagingSettings, Error> {
        let s = el
            .child(TIMG, "ImagingSettings")
            .ok_or_else(|| Error::missing(format!("{}/ImagingSettings", el.name)))?;
        StrictImagingSettings::read_node(s).map(Into::into)
    }

    pub(super) fn write(r: &SetImagingSettings, w: &mut Writer, _: &str) {
        r.settings.write_node(w, "timg:ImagingSettings");
    }
}

/// The empty answer to SetImagingSettings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:SetImagingSettingsResponse")]
pub struct SetImagingSettingsResponse;
operation!(SetImagingSettings => SetImagingSettingsResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetOptions / GetMoveOptions

/// The ranges and modes a video source's imaging settings accept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:GetOptions")]
pub struct GetOptions {
    /// `VideoSourceToken`.
    #[xml(child = "timg:VideoSourceToken")]
    pub video_source_token: String,
}
operation!(GetOptions => ImagingOptionsResponse, idempotent = true);

/// The answer to GetOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "timg:GetOptionsResponse")]
pub struct ImagingOptionsResponse {
    /// What the source's settings accept.
    #[xml(child = "timg:ImagingOptions")]
    pub options: ImagingOptions,
}

/// The focus moves a video source supports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:GetMoveOptions")]
pub struct GetMoveOptions {
    /// `VideoSourceToken`.
    #[xml(child = "timg:VideoSourceToken")]
    pub video_source_token: String,
}
operation!(GetMoveOptions => MoveOptionsResponse, idempotent = true);

/// The answer to GetMoveOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "timg:GetMoveOptionsResponse")]
pub struct MoveOptionsResponse {
    /// The focus moves the source supports.
    #[xml(child = "timg:MoveOptions")]
    pub options: MoveOptions,
}

// ---------------------------------------------------------------------------------------------
// Move / Stop

/// A focus move.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FocusMove {
    /// Go to a position (see [`AbsoluteFocusOptions`] for its range).
    Absolute {
        /// Where to, in the range of [`AbsoluteFocusOptions::position`].
        position: f64,
        /// How fast; `None` for the device's default speed.
        speed: Option<f64>,
    },
    /// Move by a distance.
    Relative {
        /// How far, in the range of [`RelativeFocusOptions::distance`].
        distance: f64,
        /// How fast; `None` for the device's default speed.
        speed: Option<f64>,
    },
    /// Move at a speed until Stop (negative is towards near).
    Continuous {
        /// How fast, in the range of [`ContinuousFocusOptions::speed`].
        speed: f64,
    },
}

/// `tt:FocusMove`: one of three elements, the one of the move's kind.
#[derive(Default, Xml)]
struct FocusElement {
    #[xml(child = "tt:Absolute")]
    absolute: Option<AbsoluteMove>,
    #[xml(child = "tt:Relative")]
    relative: Option<RelativeMove>,
    #[xml(child = "tt:Continuous")]
    continuous: Option<ContinuousMove>,
}

#[derive(Xml)]
struct AbsoluteMove {
    #[xml(child = "tt:Position")]
    position: f64,
    #[xml(child = "tt:Speed")]
    speed: Option<f64>,
}

#[derive(Xml)]
struct RelativeMove {
    #[xml(child = "tt:Distance")]
    distance: f64,
    #[xml(child = "tt:Speed")]
    speed: Option<f64>,
}

#[derive(Xml)]
struct ContinuousMove {
    #[xml(child = "tt:Speed")]
    speed: f64,
}

/// A choice of element by the kind of move: read and written through `FocusElement`.
impl Node for FocusMove {
    fn read_node(el: &Element) -> Result<Self, Error> {
        let f = FocusElement::read_node(el)?;
        if let Some(AbsoluteMove { position, speed }) = f.absolute {
            Ok(FocusMove::Absolute { position, speed })
        } else if let Some(RelativeMove { distance, speed }) = f.relative {
            Ok(FocusMove::Relative { distance, speed })
        } else if let Some(ContinuousMove { speed }) = f.continuous {
            Ok(FocusMove::Continuous { speed })
        } else {
            Err(Error::missing(
                "Move/Focus/Absolute, Relative or Continuous",
            ))
        }
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        let mut f = FocusElement::default();
        match *self {
            FocusMove::Absolute { position, speed } => {
                f.absolute = Some(AbsoluteMove { position, speed });
            }
            FocusMove::Relative { distance, speed } => {
                f.relative = Some(RelativeMove { distance, speed });
            }
            FocusMove::Continuous { speed } => f.continuous = Some(ContinuousMove { speed }),
        }
        f.write_node(w, tag);
    }
}

/// Move the focus of a video source.
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
#[xml(root = "timg:Move")]
pub struct Move {
    /// The video source whose focus moves.
    #[xml(child = "timg:VideoSourceToken")]
    pub video_source_token: String,
    /// Which move, and how far or how fast.
    #[xml(child = "timg:Focus")]
    pub focus: FocusMove,
}

/// The empty answer to Move.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:MoveResponse")]
pub struct MoveResponse;
// A relative move done twice moves twice.
operation!(Move => MoveResponse, idempotent = false);

/// Stop a focus move.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:Stop")]
pub struct Stop {
    /// `VideoSourceToken`.
    #[xml(child = "timg:VideoSourceToken")]
    pub video_source_token: String,
}

/// The empty answer to Stop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:StopResponse")]
pub struct StopResponse;
// The WSDL binds Stop to the action `FocusStop` (imaging.wsdl; gSOAP and WCF clients send
// it), not to the element's name.
operation!(Stop => StopResponse, idempotent = true,
    action = "http://www.onvif.org/ver20/imaging/wsdl/FocusStop");

// ---------------------------------------------------------------------------------------------
// GetStatus

/// Where the focus of a video source is, and whether it is moving.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "timg:GetStatus")]
pub struct GetStatus {
    /// `VideoSourceToken`.
    #[xml(child = "timg:VideoSourceToken")]
    pub video_source_token: String,
}
operation!(GetStatus => StatusResponse, idempotent = true);

/// `tt:FocusStatus20`: the focus position and move status. Read leniently: cameras that
/// cannot tell leave values out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct FocusStatus {
    /// The position, in the range of [`AbsoluteFocusOptions::position`].
    #[xml(child = "tt:Position", lenient)]
    pub position: Option<f64>,
    /// Moving, idle or unknown.
    #[xml(child = "tt:MoveStatus", lenient)]
    pub move_status: Option<MoveStatus>,
    /// An error the focus reports, if any.
    #[xml(child = "tt:Error")]
    pub error: Option<String>,
}

/// The answer to GetStatus: `tt:ImagingStatus20`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "timg:GetStatusResponse")]
pub struct StatusResponse {
    /// The focus; `None` when the camera does not report it.
    #[xml(child = "timg:Status/tt:FocusStatus20")]
    pub focus: Option<FocusStatus>,
}

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

crate::ops::message::flat_capabilities!(
    "timg:GetServiceCapabilities",
    "timg:GetServiceCapabilitiesResponse",
    "imaging"
);

#[cfg(test)]
pub(crate) mod tests;
