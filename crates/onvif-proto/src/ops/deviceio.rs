//! Relay outputs and digital inputs: the device service's three relay operations (`tds:`)
//! and the DeviceIO service (ver10/deviceIO/wsdl, `tmd:`).
//!
//! DeviceIO reuses two elements of the device service: its GetRelayOutputs and
//! SetRelayOutputState are `tds:` elements sent to the DeviceIO address with DeviceIO's
//! actions. [`IoGetRelayOutputs`] and [`IoSetRelayOutputState`] are those, declared with the
//! DeviceIO service; the answers are the same types.

use std::borrow::Cow;
use std::time::Duration;

use serde::Serialize;

use crate::codec::{Text, Xml};
use crate::{operation, xml_enum};

xml_enum! {
    /// How a relay behaves when activated.
    pub RelayMode {
        /// It returns to idle by itself after its delay time.
        Monostable = "Monostable",
        /// It stays as set until set again.
        Bistable = "Bistable",
    }
}

xml_enum! {
    /// A relay's electrical state when idle (inactive).
    pub RelayIdleState {
        /// Closed circuit when idle.
        Closed = "closed",
        /// Open circuit when idle.
        Open = "open",
    }
}

xml_enum! {
    /// A relay's logical state: active is the opposite of its idle state.
    pub RelayLogicalState {
        /// Activated.
        Active = "active",
        /// At rest (its idle state).
        Inactive = "inactive",
    }
}

xml_enum! {
    /// A digital input's electrical state when idle (logically inactive).
    pub DigitalIdleState {
        /// Closed circuit when idle.
        Closed = "closed",
        /// Open circuit when idle.
        Open = "open",
    }
}

impl From<bool> for RelayLogicalState {
    /// `true` is active.
    fn from(active: bool) -> Self {
        if active {
            RelayLogicalState::Active
        } else {
            RelayLogicalState::Inactive
        }
    }
}

/// `tt:RelayOutputSettings`: mode, delay and idle state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct RelayOutputSettings {
    /// `Mode`.
    #[xml(child = "tt:Mode")]
    pub mode: RelayMode,
    /// `DelayTime`: how long a monostable relay stays active (ignored for bistable).
    #[xml(child = "tt:DelayTime")]
    #[serde(serialize_with = "crate::time::ser_duration")]
    pub delay_time: Duration,
    /// `IdleState`.
    #[xml(child = "tt:IdleState")]
    pub idle_state: RelayIdleState,
}

/// `tt:RelayOutput`: a relay and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct RelayOutput {
    /// The relay's token.
    #[xml(attr = "token")]
    pub token: String,
    /// Its settings.
    #[xml(child = "tt:Properties")]
    pub properties: RelayOutputSettings,
}

/// `tt:DigitalInput`: an input, with its idle state when the device says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct DigitalInput {
    /// The input's token.
    #[xml(attr = "token")]
    pub token: String,
    /// `IdleState`, an attribute (DeviceIO 2.x); absent on older devices.
    #[xml(attr = "IdleState", lenient)]
    pub idle_state: Option<DigitalIdleState>,
}

/// `tt:FloatList`: numbers separated by spaces.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct FloatList(pub Vec<f64>);

impl Text for FloatList {
    const EXPECTED: &'static str = "not a list of numbers";
    fn from_text(s: &str) -> Option<Self> {
        s.split_ascii_whitespace()
            .map(|v| v.parse().ok().filter(|f: &f64| f.is_finite()))
            .collect::<Option<Vec<f64>>>()
            .map(FloatList)
    }
    fn to_text(&self) -> Cow<'_, str> {
        let parts: Vec<String> = self.0.iter().map(f64::to_string).collect();
        Cow::Owned(parts.join(" "))
    }
}

/// `tmd:RelayOutputOptions`: the modes and delay times a relay accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
pub struct RelayOutputOptions {
    /// The relay's token.
    #[xml(attr = "token")]
    pub token: String,
    /// The modes it supports.
    #[xml(child = "tmd:Mode", lenient)]
    pub modes: Vec<RelayMode>,
    /// Delay times in seconds: a range (min max) or, with [`Self::discrete`], the values.
    #[xml(child = "tmd:DelayTimes", lenient)]
    pub delay_times: Option<FloatList>,
    /// Only the listed delay times are accepted (default false).
    #[xml(child = "tmd:Discrete", lenient)]
    pub discrete: Option<bool>,
}

impl RelayOutputOptions {
    /// Does the relay accept this delay? `true` when the options say nothing of delays.
    pub fn accepts_delay(&self, d: Duration) -> bool {
        let Some(FloatList(times)) = &self.delay_times else {
            return true;
        };
        let secs = d.as_secs_f64();
        if self.discrete.unwrap_or(false) {
            times.iter().any(|t| (t - secs).abs() < 1e-6)
        } else {
            match times.as_slice() {
                [min, max, ..] => secs >= min - 1e-6 && secs <= max + 1e-6,
                _ => true,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The device service's relay operations

/// The relay outputs and their settings (device service).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetRelayOutputs")]
pub struct GetRelayOutputs;
operation!(GetRelayOutputs => RelayOutputs, idempotent = true);

/// The answer to GetRelayOutputs (both services).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tds:GetRelayOutputsResponse")]
pub struct RelayOutputs {
    /// Every relay.
    #[xml(child = "tds:RelayOutputs")]
    pub relays: Vec<RelayOutput>,
}

/// Change a relay's settings (device service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetRelayOutputSettings")]
pub struct SetRelayOutputSettings {
    /// The relay.
    #[xml(child = "tds:RelayOutputToken")]
    pub token: String,
    /// Its new settings.
    #[xml(child = "tds:Properties")]
    pub properties: RelayOutputSettings,
}

/// The empty answer to the device service's SetRelayOutputSettings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetRelayOutputSettingsResponse")]
pub struct SetRelayOutputSettingsResponse;
operation!(SetRelayOutputSettings => SetRelayOutputSettingsResponse, idempotent = true);

/// Activate or release a relay (device service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetRelayOutputState")]
pub struct SetRelayOutputState {
    /// The relay.
    #[xml(child = "tds:RelayOutputToken")]
    pub token: String,
    /// Active or inactive.
    #[xml(child = "tds:LogicalState")]
    pub state: RelayLogicalState,
}

/// The empty answer to SetRelayOutputState (both services).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetRelayOutputStateResponse")]
pub struct SetRelayOutputStateResponse;
operation!(SetRelayOutputState => SetRelayOutputStateResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// DeviceIO

/// The action of a DeviceIO operation: the WSDL spells the namespace in lower case.
macro_rules! io_action {
    ($name:literal) => {
        concat!("http://www.onvif.org/ver10/deviceio/wsdl/", $name)
    };
}

/// GetRelayOutputs sent to the DeviceIO service (the element is the device service's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetRelayOutputs")]
pub struct IoGetRelayOutputs;
operation!(IoGetRelayOutputs => RelayOutputs, idempotent = true,
    service = crate::ops::Service::DeviceIo, action = io_action!("GetRelayOutputs"));

/// SetRelayOutputState sent to the DeviceIO service (the element is the device service's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetRelayOutputState")]
pub struct IoSetRelayOutputState {
    /// The relay.
    #[xml(child = "tds:RelayOutputToken")]
    pub token: String,
    /// Active or inactive.
    #[xml(child = "tds:LogicalState")]
    pub state: RelayLogicalState,
}
operation!(IoSetRelayOutputState => SetRelayOutputStateResponse, idempotent = true,
    service = crate::ops::Service::DeviceIo, action = io_action!("SetRelayOutputState"));

/// Change a relay's settings (DeviceIO: the relay and its settings in one element).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tmd:SetRelayOutputSettings")]
pub struct IoSetRelayOutputSettings {
    /// The relay (its token) and its new settings.
    #[xml(child = "tmd:RelayOutput")]
    pub relay: RelayOutput,
}

/// The empty answer to DeviceIO's SetRelayOutputSettings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tmd:SetRelayOutputSettingsResponse")]
pub struct IoSetRelayOutputSettingsResponse;
operation!(IoSetRelayOutputSettings => IoSetRelayOutputSettingsResponse, idempotent = true,
    action = io_action!("SetRelayOutputSettings"));

/// The options of one relay, or of every relay when `token` is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tmd:GetRelayOutputOptions")]
pub struct GetRelayOutputOptions {
    /// `RelayOutputToken`.
    #[xml(child = "tmd:RelayOutputToken")]
    pub token: Option<String>,
}
operation!(GetRelayOutputOptions => RelayOutputOptionsResponse, idempotent = true,
    action = io_action!("GetRelayOutputOptions"));

/// The answer to GetRelayOutputOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tmd:GetRelayOutputOptionsResponse")]
pub struct RelayOutputOptionsResponse {
    /// One per relay asked about.
    #[xml(child = "tmd:RelayOutputOptions")]
    pub options: Vec<RelayOutputOptions>,
}

/// The digital inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tmd:GetDigitalInputs")]
pub struct GetDigitalInputs;
operation!(GetDigitalInputs => DigitalInputs, idempotent = true,
    action = io_action!("GetDigitalInputs"));

/// The answer to GetDigitalInputs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tmd:GetDigitalInputsResponse")]
pub struct DigitalInputs {
    /// Every input.
    #[xml(child = "tmd:DigitalInputs")]
    pub inputs: Vec<DigitalInput>,
}

crate::ops::message::flat_capabilities!(
    "tmd:GetServiceCapabilities",
    "tmd:GetServiceCapabilitiesResponse",
    "DeviceIO",
    action = io_action!("GetServiceCapabilities")
);

#[cfg(test)]
mod tests;
