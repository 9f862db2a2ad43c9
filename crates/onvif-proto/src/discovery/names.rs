//! The names and identities of WS-Discovery: namespaces, addresses and actions, the
//! WS-Addressing version a message uses, the types ONVIF devices announce, message ids and
//! UUIDs; and the lookups that accept either version of a namespace.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use serde::Serialize;

use crate::ns;
use crate::xml::{Element, QNameValue};

/// The WS-Discovery namespace of the version ONVIF uses (2005/04).
pub const WSD: &str = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
/// The WS-Discovery 1.1 (OASIS, 2009) namespace: read too, never written.
pub const WSD_2009: &str = "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01";
/// The ONVIF network namespace, home of the `NetworkVideoTransmitter` type.
pub const DN: &str = "http://www.onvif.org/ver10/network/wsdl";
/// The `wsa:To` of multicast discovery messages.
pub const TO_DISCOVERY: &str = "urn:schemas-xmlsoap-org:ws:2005:04:discovery";
/// The `wsa:To` (and `ReplyTo` address) meaning "whoever sent the request".
pub const ANONYMOUS: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
/// The IPv4 multicast group of WS-Discovery.
pub const MULTICAST_V4: Ipv4Addr = Ipv4Addr::new(239, 255, 255, 250);
/// The WS-Discovery UDP port.
pub const PORT: u16 = 3702;

/// `wsa:Action` of a Probe.
pub const ACTION_PROBE: &str = "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe";
/// `wsa:Action` of ProbeMatches.
pub const ACTION_PROBE_MATCHES: &str =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches";
/// `wsa:Action` of Hello.
pub const ACTION_HELLO: &str = "http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello";
/// `wsa:Action` of Bye.
pub const ACTION_BYE: &str = "http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye";

/// Which WS-Addressing namespace a message uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum Addressing {
    /// `http://schemas.xmlsoap.org/ws/2004/08/addressing`, the one WS-Discovery 2005/04 names.
    #[default]
    #[serde(rename = "2004/08")]
    V2004,
    /// `http://www.w3.org/2005/08/addressing`, which some cameras answer with.
    #[serde(rename = "2005/08")]
    V2005,
}

impl Addressing {
    /// The namespace URI.
    pub fn namespace(self) -> &'static str {
        match self {
            Addressing::V2004 => ns::WSA_2004,
            Addressing::V2005 => ns::WSA,
        }
    }
}

/// `dn:NetworkVideoTransmitter`.
pub fn network_video_transmitter() -> QNameValue {
    QNameValue {
        ns: Some(DN.to_owned()),
        name: "NetworkVideoTransmitter".to_owned(),
    }
}

/// `tds:Device`.
pub fn device_type() -> QNameValue {
    QNameValue {
        ns: Some(ns::TDS.to_owned()),
        name: "Device".to_owned(),
    }
}

/// The types ONVIF devices announce and clients probe for: `dn:NetworkVideoTransmitter
/// tds:Device`.
pub fn onvif_types() -> Vec<QNameValue> {
    vec![network_video_transmitter(), device_type()]
}

/// A fresh random (version 4) UUID as `urn:uuid:xxxxxxxx-...`, for `wsa:MessageID`.
pub fn new_message_id() -> String {
    let mut b = [0u8; 16];
    crate::wsse::fill_random(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    format!("urn:uuid:{}", format_uuid(&b))
}

/// 16 bytes in the usual `8-4-4-4-12` lowercase hex form.
pub fn format_uuid(b: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// The UUID of an endpoint reference address (`urn:uuid:X` or `uuid:X`), lowercased; `None`
/// for addresses of another form (which are still valid endpoint references).
pub fn uuid_of(address: &str) -> Option<String> {
    let a = address.trim();
    let rest = strip_prefix_ci(a, "urn:uuid:").or_else(|| strip_prefix_ci(a, "uuid:"))?;
    let ok = rest.len() == 36
        && rest.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    ok.then(|| rest.to_ascii_lowercase())
}

pub(super) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The longest datagram read or written. WS-Discovery's SOAP-over-UDP keeps messages within
/// one datagram; a larger one is refused rather than read.
pub const MAX_DATAGRAM: usize = 65_507;

/// Is `el` the WS-Discovery element `name`, in the 2005/04 namespace or the 2009/01 one?
pub(super) fn is_wsd(el: &Element, name: &str) -> bool {
    el.is(WSD, name) || el.is(WSD_2009, name)
}

/// The first WS-Discovery child `name` of `el`, in either namespace.
pub(super) fn wsd_child<'a>(el: &'a Element, name: &str) -> Option<&'a Element> {
    el.children.iter().find(|c| is_wsd(c, name))
}

/// The WS-Addressing child `name` of `parent`, in either version, and which version it is.
pub(super) fn wsa_child<'a>(parent: &'a Element, name: &str) -> Option<(&'a Element, Addressing)> {
    parent
        .children
        .iter()
        .find_map(|c| {
            if c.name != name {
                None
            } else if c.ns.as_deref() == Some(ns::WSA_2004) {
                Some((c, Addressing::V2004))
            } else if c.ns.as_deref() == Some(ns::WSA) {
                Some((c, Addressing::V2005))
            } else {
                None
            }
        })
        .or_else(|| {
            // An undeclared prefix (a camera bug): take it, in the version we write.
            parent
                .children
                .iter()
                .find(|c| c.unbound && c.name == name)
                .map(|c| (c, Addressing::V2004))
        })
}
