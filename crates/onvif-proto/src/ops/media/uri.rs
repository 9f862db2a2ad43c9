//! Stream and snapshot addresses.

use serde::Serialize;

use crate::codec::Xml;

/// A stream or snapshot address. Its element is Media1's `tt:MediaUri`, with all four fields;
/// Media2 sends the URI only (the others are then absent: the camera said nothing about them).
/// Media1 requires all four: what was not said is written as false and `PT0S`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct MediaUri {
    /// The address (`rtsp://...` for a stream, `http://...` for a snapshot).
    #[xml(child = "tt:Uri")]
    pub uri: String,
    /// The URI stops working once a client has connected to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[xml(child = "tt:InvalidAfterConnect", lenient, write_default = "false")]
    pub invalid_after_connect: Option<bool>,
    /// The URI stops working after a reboot.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[xml(child = "tt:InvalidAfterReboot", lenient, write_default = "false")]
    pub invalid_after_reboot: Option<bool>,
    /// How long the URI stays valid (xs:duration as sent, e.g. `PT60S`; `PT0S` is forever).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[xml(child = "tt:Timeout", write_default = "String::from(\"PT0S\")")]
    pub timeout: Option<String>,
}
