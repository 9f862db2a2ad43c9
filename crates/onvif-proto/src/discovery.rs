//! WS-Discovery (the 2005/04 version ONVIF uses): the Probe a client multicasts, and the
//! ProbeMatches, Hello and Bye that devices send, read and written.
//!
//! Sans-IO like the rest of this crate: this module turns messages into bytes and back; the
//! sockets live in the client (`onvif::discovery`) and the simulator.
//!
//! Reading is lenient where cameras differ and strict where a message would be meaningless:
//! - WS-Addressing headers are read in the 2004/08 namespace (the one WS-Discovery 2005/04
//!   uses) or the 2005/08 one;
//! - a `ProbeMatch` sent straight in the Body, without its `ProbeMatches` wrapper, is read;
//! - `Types` are QNames resolved against the namespace declarations in scope where they appear;
//! - `Scopes` and `XAddrs` are whitespace-separated lists;
//! - a match without an endpoint reference address is an error (nothing could identify the
//!   device), and so is anything that is not a SOAP envelope carrying one of these messages.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use serde::Serialize;

use crate::error::Error;
use crate::ns;
use crate::ops::device::percent_decode;
use crate::soap::Envelope;
use crate::xml::{Element, QNameValue, Writer};

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

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

// ---------------------------------------------------------------------------------------------
// The model

/// `d:AppSequence`: lets a receiver order the announcements of one device instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppSequence {
    /// Changes each time the device restarts.
    pub instance_id: u64,
    /// Tells apart sequences within one instance (rarely sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_id: Option<String>,
    /// Grows with each message of this instance.
    pub message_number: u64,
}

/// The addressing headers of a discovery message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Headers {
    /// Which WS-Addressing namespace the message used.
    pub addressing: Addressing,
    /// `wsa:MessageID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The MessageID of the Probe this answers (ProbeMatches).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relates_to: Option<String>,
    /// `wsa:To`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `wsa:Action`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `d:AppSequence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_sequence: Option<AppSequence>,
}

/// A device as one ProbeMatch, Hello or Bye describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The endpoint reference address: the device's stable identity, usually `urn:uuid:...`.
    pub address: String,
    /// Resolved `Types` (`dn:NetworkVideoTransmitter`, `tds:Device`, ...).
    pub types: Vec<QNameValue>,
    /// Scope URIs as sent (still percent-encoded); see [`Target::scope_info`].
    pub scopes: Vec<String>,
    /// Service addresses (the device service URL(s)).
    pub xaddrs: Vec<String>,
    /// Grows when the device's metadata changes; absent in a Bye, and when unreadable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_version: Option<u64>,
    /// What was off in the message and read around (an endpoint reference in the wrong
    /// namespace, a scope with a bare space), in words; empty for a well-formed one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Target {
    /// The UUID of the endpoint reference, when it is one.
    pub fn uuid(&self) -> Option<String> {
        uuid_of(&self.address)
    }

    /// The ONVIF scopes decoded.
    pub fn scope_info(&self) -> ScopeInfo {
        ScopeInfo::from_scopes(&self.scopes)
    }

    /// Does this device offer every type in `wanted` (WS-Discovery matching; an empty list
    /// matches everything)?
    pub fn has_types(&self, wanted: &[QNameValue]) -> bool {
        wanted.iter().all(|w| {
            self.types
                .iter()
                .any(|t| t.name == w.name && (t.ns.is_none() || w.ns.is_none() || t.ns == w.ns))
        })
    }

    /// Does this device have every scope in `wanted` (RFC 3986 matching as WS-Discovery defines
    /// it, simplified: scheme and authority compared without case, the path segment by
    /// segment; an empty list matches everything)?
    pub fn has_scopes(&self, wanted: &[String]) -> bool {
        wanted
            .iter()
            .all(|w| self.scopes.iter().any(|s| scope_matches(w, s)))
    }
}

/// Does the probe scope `wanted` match the device scope `have`?
fn scope_matches(wanted: &str, have: &str) -> bool {
    fn split(s: &str) -> (String, Vec<&str>) {
        let s = s.trim();
        let (head, path) = match s.split_once("://") {
            Some((scheme, rest)) => match rest.find('/') {
                Some(i) => (format!("{scheme}://{}", &rest[..i]), &rest[i..]),
                None => (s.to_owned(), ""),
            },
            None => (String::new(), s),
        };
        let segs = path.split('/').filter(|p| !p.is_empty()).collect();
        (head.to_ascii_lowercase(), segs)
    }
    let (wh, ws) = split(wanted);
    let (hh, hs) = split(have);
    wh == hh && ws.len() <= hs.len() && ws.iter().zip(&hs).all(|(a, b)| a == b)
}

/// What ONVIF scopes (`onvif://www.onvif.org/<category>/<value>`) say, percent-decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScopeInfo {
    /// `name/...`: what the camera is called.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `hardware/...`: usually the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hardware: Option<String>,
    /// Every `location/...` scope, its path after `location/` (`city/Paris`), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<String>,
    /// ONVIF profiles claimed: `S` (from `Profile/Streaming`), `T`, `G`, `M`, `C`, `A`, `D`,
    /// `Q`, ... in the order first seen, without repeats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<String>,
    /// `type/...` scopes (`video_encoder`, `ptz`, `Network_Video_Transmitter`, ...);
    /// `scope_types` in JSON, apart from the WS-Discovery types a device lists beside them.
    #[serde(skip_serializing_if = "Vec::is_empty", rename = "scope_types")]
    pub types: Vec<String>,
    /// `mac/...`, when the camera tells it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

impl ScopeInfo {
    /// Decode a list of scope URIs; other scopes are ignored.
    pub fn from_scopes<S: AsRef<str>>(scopes: &[S]) -> ScopeInfo {
        let mut info = ScopeInfo::default();
        for s in scopes {
            let s = s.as_ref().trim();
            let Some(rest) = strip_prefix_ci(s, "onvif://www.onvif.org/") else {
                continue;
            };
            let (cat, val) = rest.split_once('/').unwrap_or((rest, ""));
            let val = val.trim_end_matches('/');
            let decoded = percent_decode(val);
            match cat.to_ascii_lowercase().as_str() {
                "name" if !decoded.is_empty() => {
                    info.name.get_or_insert(decoded);
                }
                "hardware" if !decoded.is_empty() => {
                    info.hardware.get_or_insert(decoded);
                }
                "location" if !decoded.is_empty() => info.location.push(decoded),
                "mac" if !decoded.is_empty() => {
                    info.mac.get_or_insert(decoded);
                }
                "type" if !decoded.is_empty() => push_unique(&mut info.types, decoded),
                "profile" => {
                    let first = val.split('/').next().unwrap_or_default();
                    let p = percent_decode(first);
                    let p = if p.eq_ignore_ascii_case("streaming") {
                        "S".to_owned()
                    } else {
                        p
                    };
                    if !p.is_empty() {
                        push_unique(&mut info.profiles, p);
                    }
                }
                _ => {}
            }
        }
        info
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// A Probe: "who offers these types (and scopes)?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// `wsa:MessageID`; answers carry it in `RelatesTo`. Keep it across repeats of one probe.
    pub message_id: String,
    /// Wanted types (all must match); empty asks for every device.
    pub types: Vec<QNameValue>,
    /// Wanted scopes (all must match); usually empty.
    pub scopes: Vec<String>,
}

impl Probe {
    /// A probe for ONVIF devices ([`onvif_types`]) with a fresh MessageID.
    pub fn new() -> Probe {
        Probe {
            message_id: new_message_id(),
            types: onvif_types(),
            scopes: Vec::new(),
        }
    }

    /// The whole envelope, as sent (SOAP 1.2, WS-Addressing 2004/08).
    pub fn to_xml(&self) -> String {
        Packet {
            headers: Headers {
                addressing: Addressing::V2004,
                message_id: Some(self.message_id.clone()),
                relates_to: None,
                to: Some(TO_DISCOVERY.to_owned()),
                action: Some(ACTION_PROBE.to_owned()),
                app_sequence: None,
            },
            payload: Payload::Probe(self.clone()),
        }
        .to_xml()
    }

    /// Would a device described by `t` answer this probe?
    pub fn matches(&self, t: &Target) -> bool {
        t.has_types(&self.types) && t.has_scopes(&self.scopes)
    }
}

impl Default for Probe {
    fn default() -> Self {
        Probe::new()
    }
}

/// What a discovery message carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "body")]
pub enum Payload {
    /// A client looking for devices.
    Probe(Probe),
    /// Every match (a device usually sends one).
    ProbeMatches(Vec<Target>),
    /// A device joining the network.
    Hello(Target),
    /// A device leaving; usually only its address is known.
    Bye(Target),
}

/// One discovery message: its headers and what it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Packet {
    /// The addressing headers.
    pub headers: Headers,
    /// The Body's message.
    pub payload: Payload,
}

/// The ProbeMatch elements among `children`: a bad one is skipped when others are good (one
/// broken entry must not hide the cameras listed beside it); with none good, the first error.
fn read_matches<'a>(children: impl Iterator<Item = &'a Element>) -> Result<Vec<Target>, Error> {
    let mut good = Vec::new();
    let mut first_err = None;
    for c in children.filter(|c| is_wsd(c, "ProbeMatch")) {
        match read_target(c) {
            Ok(t) => good.push(t),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    match (good.is_empty(), first_err) {
        (true, Some(e)) => Err(e),
        _ => Ok(good),
    }
}

/// The longest datagram read or written. WS-Discovery's SOAP-over-UDP keeps messages within
/// one datagram; a larger one is refused rather than read.
pub const MAX_DATAGRAM: usize = 65_507;

impl Packet {
    /// Read a discovery message.
    pub fn parse(input: &[u8]) -> Result<Packet, Error> {
        if input.len() > MAX_DATAGRAM {
            return Err(Error::invalid(
                "datagram",
                format!("{} bytes", input.len()),
                "larger than a UDP datagram",
            ));
        }
        let env = Envelope::parse(input)?;
        let headers = read_headers(env.header.as_ref());
        if let Some(f) = env.fault() {
            return Err(f.into());
        }
        let first = env
            .body
            .first_child()
            .ok_or_else(|| Error::NotSoap("the Body is empty".into()))?;
        let payload = if is_wsd(first, "ProbeMatches") {
            let matches = read_matches(first.children.iter())?;
            Payload::ProbeMatches(matches)
        } else if is_wsd(first, "ProbeMatch") {
            // No wrapper: every ProbeMatch in the Body is one.
            let matches = read_matches(env.body.children.iter())?;
            Payload::ProbeMatches(matches)
        } else if is_wsd(first, "Hello") {
            Payload::Hello(read_target(first)?)
        } else if is_wsd(first, "Bye") {
            Payload::Bye(read_target(first)?)
        } else if is_wsd(first, "Probe") {
            Payload::Probe(Probe {
                message_id: headers.message_id.clone().unwrap_or_default(),
                types: read_types(first),
                scopes: read_list(first, "Scopes"),
            })
        } else {
            return Err(Error::UnexpectedBody {
                expected: "a WS-Discovery Probe, ProbeMatches, Hello or Bye".into(),
                found: match &first.ns {
                    Some(n) => format!("{{{n}}}{}", first.name),
                    None => first.name.clone(),
                },
            });
        };
        Ok(Packet { headers, payload })
    }

    /// The whole envelope (SOAP 1.2, WS-Addressing in `headers.addressing`'s namespace).
    pub fn to_xml(&self) -> String {
        let h = &self.headers;
        let wsa = h.addressing.namespace();
        let mut w = Writer::with_capacity(1600);
        w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        w.open(
            "s:Envelope",
            &[
                ("xmlns:s", ns::SOAP12),
                ("xmlns:a", wsa),
                ("xmlns:d", WSD),
                ("xmlns:dn", DN),
                ("xmlns:tds", ns::TDS),
            ],
        );
        w.open("s:Header", &[]);
        w.leaf_opt("a:MessageID", h.message_id.as_deref());
        w.leaf_opt("a:RelatesTo", h.relates_to.as_deref());
        w.leaf_opt("a:To", h.to.as_deref());
        w.leaf_opt("a:Action", h.action.as_deref());
        if let Some(seq) = &h.app_sequence {
            let instance = seq.instance_id.to_string();
            let number = seq.message_number.to_string();
            let mut attrs = vec![("InstanceId", instance.as_str())];
            if let Some(id) = &seq.sequence_id {
                attrs.push(("SequenceId", id.as_str()));
            }
            attrs.push(("MessageNumber", number.as_str()));
            w.empty("d:AppSequence", &attrs);
        }
        w.close("s:Header");
        w.open("s:Body", &[]);
        match &self.payload {
            Payload::Probe(p) => {
                w.open("d:Probe", &[]);
                write_types(&mut w, &p.types);
                if !p.scopes.is_empty() {
                    w.leaf("d:Scopes", &p.scopes.join(" "));
                }
                w.close("d:Probe");
            }
            Payload::ProbeMatches(ms) => {
                w.open("d:ProbeMatches", &[]);
                for m in ms {
                    write_target(&mut w, "d:ProbeMatch", m);
                }
                w.close("d:ProbeMatches");
            }
            Payload::Hello(t) => write_target(&mut w, "d:Hello", t),
            Payload::Bye(t) => write_target(&mut w, "d:Bye", t),
        }
        w.close("s:Body");
        w.close("s:Envelope");
        w.finish()
    }

    /// A ProbeMatches answering `probe_message_id`, with a fresh MessageID.
    pub fn probe_matches(
        probe_message_id: &str,
        matches: Vec<Target>,
        app_sequence: Option<AppSequence>,
    ) -> Packet {
        Packet {
            headers: Headers {
                addressing: Addressing::V2004,
                message_id: Some(new_message_id()),
                relates_to: Some(probe_message_id.to_owned()),
                to: Some(ANONYMOUS.to_owned()),
                action: Some(ACTION_PROBE_MATCHES.to_owned()),
                app_sequence,
            },
            payload: Payload::ProbeMatches(matches),
        }
    }

    /// A Hello announcing `target`, with a fresh MessageID.
    pub fn hello(target: Target, app_sequence: Option<AppSequence>) -> Packet {
        Packet::announcement(ACTION_HELLO, Payload::Hello(target), app_sequence)
    }

    /// A Bye for `target` (write only its address when that is all you know).
    pub fn bye(target: Target, app_sequence: Option<AppSequence>) -> Packet {
        Packet::announcement(ACTION_BYE, Payload::Bye(target), app_sequence)
    }

    fn announcement(action: &str, payload: Payload, app_sequence: Option<AppSequence>) -> Packet {
        Packet {
            headers: Headers {
                addressing: Addressing::V2004,
                message_id: Some(new_message_id()),
                relates_to: None,
                to: Some(TO_DISCOVERY.to_owned()),
                action: Some(action.to_owned()),
                app_sequence,
            },
            payload,
        }
    }
}

fn is_wsd(el: &Element, name: &str) -> bool {
    el.is(WSD, name) || el.is(WSD_2009, name)
}

fn wsa_child<'a>(parent: &'a Element, name: &str) -> Option<(&'a Element, Addressing)> {
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

fn read_headers(header: Option<&Element>) -> Headers {
    let mut h = Headers::default();
    let Some(header) = header else {
        return h;
    };
    let mut version = None;
    let mut text = |name: &str| {
        wsa_child(header, name).map(|(el, v)| {
            version.get_or_insert(v);
            el.text().to_owned()
        })
    };
    h.message_id = text("MessageID");
    h.relates_to = text("RelatesTo");
    h.to = text("To");
    h.action = text("Action");
    h.addressing = version.unwrap_or_default();
    h.app_sequence = header
        .children
        .iter()
        .find(|c| is_wsd(c, "AppSequence"))
        .and_then(|seq| {
            Some(AppSequence {
                instance_id: seq.attr("InstanceId")?.trim().parse().ok()?,
                sequence_id: seq.attr("SequenceId").map(str::to_owned),
                message_number: seq.attr("MessageNumber")?.trim().parse().ok()?,
            })
        });
    h
}

/// The whitespace-separated items of child `d:<name>`.
fn read_list(el: &Element, name: &str) -> Vec<String> {
    el.children
        .iter()
        .find(|c| is_wsd(c, name))
        .map(|c| c.text().split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn read_types(el: &Element) -> Vec<QNameValue> {
    el.children
        .iter()
        .find(|c| is_wsd(c, "Types"))
        .map(|c| {
            c.text()
                .split_whitespace()
                .map(|q| c.resolve_qname(q))
                .collect()
        })
        .unwrap_or_default()
}

fn read_target(el: &Element) -> Result<Target, Error> {
    let mut notes = Vec::new();
    let xaddrs = read_list(el, "XAddrs");
    // The endpoint reference belongs to WS-Addressing; some responders put it (or its
    // Address) in the discovery namespace, or another one: read it wherever it is.
    let epr = wsa_child(el, "EndpointReference")
        .map(|(e, _)| e)
        .or_else(|| {
            let e = el.child_any_ns("EndpointReference")?;
            notes.push(format!(
                "EndpointReference is in namespace {}, not WS-Addressing's",
                e.ns.as_deref().unwrap_or("(none)")
            ));
            Some(e)
        });
    let address = epr
        .and_then(|epr| {
            wsa_child(epr, "Address")
                .map(|(a, _)| a)
                .or_else(|| epr.child_any_ns("Address"))
        })
        .map(|a| a.text().to_owned())
        .filter(|a| !a.is_empty());
    let address = match address {
        Some(a) => a,
        // A device that can be reached is worth listing: its service address stands in
        // for the identity it did not give.
        None if is_wsd(el, "ProbeMatch") && !xaddrs.is_empty() => {
            notes.push("no EndpointReference/Address: the XAddrs stand in for it".into());
            xaddrs[0].clone()
        }
        None if epr.is_none() => {
            return Err(Error::missing(format!("EndpointReference of {}", el.name)));
        }
        None => {
            return Err(Error::missing(format!(
                "EndpointReference/Address of {}",
                el.name
            )));
        }
    };
    let metadata_version = el
        .children
        .iter()
        .find(|c| is_wsd(c, "MetadataVersion"))
        .and_then(|m| m.text().parse().ok());
    let scopes = read_scopes(el, &mut notes);
    Ok(Target {
        address,
        types: read_types(el),
        scopes,
        xaddrs,
        metadata_version,
        notes,
    })
}

/// `d:Scopes`: whitespace-separated URIs. A word that is no URI continues the one before it
/// (a scope with an unescaped space, `onvif://www.onvif.org/name/Front Door`): it is joined
/// back, percent-encoded, as the sender meant it.
fn read_scopes(el: &Element, notes: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in read_list(el, "Scopes") {
        let is_uri = word.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        match out.last_mut() {
            Some(prev) if !is_uri => {
                notes.push(format!("a scope holds an unescaped space: {prev} {word}"));
                prev.push_str("%20");
                prev.push_str(&word);
            }
            _ => out.push(word),
        }
    }
    out
}

/// `d:Types`, each QName written with a declared prefix (`dn`, `tds`, or one declared on the
/// element for other namespaces).
fn write_types(w: &mut Writer, types: &[QNameValue]) {
    if types.is_empty() {
        return;
    }
    let mut extra: Vec<(String, String)> = Vec::new();
    let mut items = Vec::with_capacity(types.len());
    for t in types {
        let prefix = match t.ns.as_deref() {
            None => None,
            Some(DN) => Some("dn".to_owned()),
            Some(ns::TDS) => Some("tds".to_owned()),
            Some(other) => Some(match extra.iter().find(|(_, u)| u == other) {
                Some((p, _)) => p.clone(),
                None => {
                    let p = format!("t{}", extra.len());
                    extra.push((p.clone(), other.to_owned()));
                    p
                }
            }),
        };
        items.push(match prefix {
            Some(p) => format!("{p}:{}", t.name),
            None => t.name.clone(),
        });
    }
    let decls: Vec<(String, &str)> = extra
        .iter()
        .map(|(p, u)| (format!("xmlns:{p}"), u.as_str()))
        .collect();
    let attrs: Vec<(&str, &str)> = decls.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    w.open("d:Types", &attrs)
        .text(&items.join(" "))
        .close("d:Types");
}

fn write_target(w: &mut Writer, tag: &str, t: &Target) {
    w.open(tag, &[]);
    w.open("a:EndpointReference", &[])
        .leaf("a:Address", &t.address)
        .close("a:EndpointReference");
    write_types(w, &t.types);
    if !t.scopes.is_empty() {
        w.leaf("d:Scopes", &t.scopes.join(" "));
    }
    if !t.xaddrs.is_empty() {
        w.leaf("d:XAddrs", &t.xaddrs.join(" "));
    }
    if let Some(v) = t.metadata_version {
        w.leaf("d:MetadataVersion", &v.to_string());
    }
    w.close(tag);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Target {
        Target {
            address: "urn:uuid:5f5a69c2-e0ae-504f-829b-00fe40d7f8a1".into(),
            types: onvif_types(),
            scopes: vec![
                "onvif://www.onvif.org/Profile/Streaming".into(),
                "onvif://www.onvif.org/Profile/T".into(),
                "onvif://www.onvif.org/name/Garden%20Cam".into(),
                "onvif://www.onvif.org/hardware/IPC%2D1".into(),
                "onvif://www.onvif.org/location/city/Paris".into(),
                "onvif://www.onvif.org/type/video_encoder".into(),
            ],
            xaddrs: vec![
                "http://10.0.0.7/onvif/device_service".into(),
                "http://[fe80::1]/onvif/device_service".into(),
            ],
            metadata_version: Some(3),
            notes: Vec::new(),
        }
    }

    #[test]
    fn a_probe_is_what_onvif_devices_expect() {
        let p = Probe::new();
        assert!(p.message_id.starts_with("urn:uuid:"));
        assert!(uuid_of(&p.message_id).is_some());
        let xml = p.to_xml();
        let root = crate::xml::parse(xml.as_bytes()).unwrap();
        assert!(root.is(ns::SOAP12, "Envelope"));
        let header = root.child(ns::SOAP12, "Header").unwrap();
        assert_eq!(
            header.child_text(ns::WSA_2004, "MessageID"),
            Some(p.message_id.as_str())
        );
        assert_eq!(header.child_text(ns::WSA_2004, "To"), Some(TO_DISCOVERY));
        assert_eq!(
            header.child_text(ns::WSA_2004, "Action"),
            Some(ACTION_PROBE)
        );
        let types = root
            .path(&[(ns::SOAP12, "Body"), (WSD, "Probe"), (WSD, "Types")])
            .unwrap();
        assert_eq!(types.text(), "dn:NetworkVideoTransmitter tds:Device");
        let resolved: Vec<QNameValue> = types
            .text()
            .split_whitespace()
            .map(|q| types.resolve_qname(q))
            .collect();
        assert_eq!(resolved, onvif_types());

        let back = Packet::parse(xml.as_bytes()).unwrap();
        assert_eq!(back.payload, Payload::Probe(p));
    }

    #[test]
    fn message_ids_are_fresh_uuids() {
        let a = new_message_id();
        let b = new_message_id();
        assert_ne!(a, b);
        let u = uuid_of(&a).unwrap();
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn probe_matches_hello_and_bye_round_trip() {
        let seq = Some(AppSequence {
            instance_id: 7,
            sequence_id: None,
            message_number: 2,
        });
        for packet in [
            Packet::probe_matches("urn:uuid:abc", vec![sample()], seq.clone()),
            Packet::hello(sample(), seq.clone()),
            Packet::bye(
                Target {
                    address: sample().address,
                    ..Target::default()
                },
                None,
            ),
        ] {
            let xml = packet.to_xml();
            let back = Packet::parse(xml.as_bytes()).unwrap();
            assert_eq!(back, packet, "{xml}");
        }
    }

    #[test]
    fn types_in_other_namespaces_get_a_prefix_of_their_own() {
        let mut t = sample();
        t.types.push(QNameValue {
            ns: Some("urn:vendor".into()),
            name: "Thing".into(),
        });
        let p = Packet::hello(t.clone(), None);
        let back = Packet::parse(p.to_xml().as_bytes()).unwrap();
        assert_eq!(back.payload, Payload::Hello(t));
    }

    #[test]
    fn scopes_are_decoded() {
        let info = sample().scope_info();
        assert_eq!(info.name.as_deref(), Some("Garden Cam"));
        assert_eq!(info.hardware.as_deref(), Some("IPC-1"));
        assert_eq!(info.location, vec!["city/Paris".to_owned()]);
        assert_eq!(info.profiles, vec!["S".to_owned(), "T".to_owned()]);
        assert_eq!(info.types, vec!["video_encoder".to_owned()]);
        let other = ScopeInfo::from_scopes(&[
            "onvif://www.onvif.org/Profile/G",
            "onvif://www.onvif.org/Profile/M",
            "onvif://www.onvif.org/Profile/Q/Operational",
            "onvif://www.onvif.org/Profile/G",
            "onvif://www.onvif.org/name/",
            "onvif://www.onvif.org/location/",
            "http://example.com/x",
        ]);
        assert_eq!(other.profiles, ["G", "M", "Q"]);
        assert_eq!(other.name, None);
        assert!(other.location.is_empty());
    }

    #[test]
    fn probes_match_by_type_and_scope() {
        let t = sample();
        let mut p = Probe::new();
        assert!(p.matches(&t));
        p.types = vec![network_video_transmitter()];
        assert!(p.matches(&t));
        p.types = Vec::new();
        assert!(p.matches(&t));
        p.types = vec![QNameValue {
            ns: Some(DN.into()),
            name: "NetworkVideoDisplay".into(),
        }];
        assert!(!p.matches(&t));
        p.types = onvif_types();
        p.scopes = vec!["onvif://www.onvif.org/location/city".into()];
        assert!(p.matches(&t));
        p.scopes = vec!["ONVIF://www.onvif.org/location/cit".into()];
        assert!(!p.matches(&t));
        p.scopes = vec!["onvif://www.onvif.org/Profile/T".into()];
        assert!(p.matches(&t));
    }

    const MATCH_2005_08_NO_WRAPPER: &str = r#"<?xml version="1.0"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
  xmlns:wsa="http://www.w3.org/2005/08/addressing"
  xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery">
 <env:Header>
  <wsa:MessageID>uuid:1</wsa:MessageID>
  <wsa:RelatesTo>urn:uuid:probe-1</wsa:RelatesTo>
  <wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>
 </env:Header>
 <env:Body>
  <wsd:ProbeMatch>
   <wsa:EndpointReference><wsa:Address>urn:uuid:AAAAAAAA-bbbb-cccc-dddd-eeeeeeeeeeee</wsa:Address></wsa:EndpointReference>
   <wsd:Types xmlns:x="http://www.onvif.org/ver10/network/wsdl">x:NetworkVideoTransmitter</wsd:Types>
   <wsd:Scopes>
     onvif://www.onvif.org/name/Hall%20way   onvif://www.onvif.org/Profile/Streaming
   </wsd:Scopes>
   <wsd:XAddrs>http://192.0.2.5:8080/onvif/device_service</wsd:XAddrs>
   <wsd:MetadataVersion>x</wsd:MetadataVersion>
  </wsd:ProbeMatch>
 </env:Body>
</env:Envelope>"#;

    #[test]
    fn the_2005_08_addressing_and_a_missing_wrapper_are_accepted() {
        let p = Packet::parse(MATCH_2005_08_NO_WRAPPER.as_bytes()).unwrap();
        assert_eq!(p.headers.addressing, Addressing::V2005);
        assert_eq!(p.headers.relates_to.as_deref(), Some("urn:uuid:probe-1"));
        let Payload::ProbeMatches(ms) = p.payload else {
            panic!("{:?}", p.payload)
        };
        assert_eq!(ms.len(), 1);
        let m = &ms[0];
        assert_eq!(
            m.uuid().as_deref(),
            Some("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        );
        assert_eq!(m.types, vec![network_video_transmitter()]);
        assert_eq!(m.scopes.len(), 2);
        assert_eq!(m.scope_info().name.as_deref(), Some("Hall way"));
        assert_eq!(m.xaddrs, ["http://192.0.2.5:8080/onvif/device_service"]);
        assert_eq!(m.metadata_version, None);
    }

    #[test]
    fn a_sloppy_responder_is_read_as_far_as_it_can_be() {
        // A bare ProbeMatch, its Action ending in /ProbeMatch, the endpoint reference in the
        // discovery namespace, a scope with an unescaped space.
        let doc = br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatch</a:Action><a:RelatesTo>urn:uuid:1</a:RelatesTo></s:Header><s:Body><d:ProbeMatch><d:EndpointReference><d:Address>urn:uuid:0f0e0d0c-0b0a-0908-0706-050403020100</d:Address></d:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/Front Door onvif://www.onvif.org/hardware/X1</d:Scopes><d:XAddrs>http://127.0.0.1:8080/onvif/device_service</d:XAddrs></d:ProbeMatch></s:Body></s:Envelope>"#;
        let p = Packet::parse(doc).unwrap();
        let Payload::ProbeMatches(ms) = p.payload else {
            panic!("not ProbeMatches")
        };
        let m = &ms[0];
        assert_eq!(m.address, "urn:uuid:0f0e0d0c-0b0a-0908-0706-050403020100");
        assert_eq!(m.xaddrs, ["http://127.0.0.1:8080/onvif/device_service"]);
        assert_eq!(m.scope_info().name.as_deref(), Some("Front Door"));
        assert_eq!(m.scope_info().hardware.as_deref(), Some("X1"));
        assert_eq!(m.notes.len(), 2, "{:?}", m.notes);
        assert!(m.notes[0].contains("not WS-Addressing"), "{:?}", m.notes);
        assert!(m.notes[1].contains("unescaped space"), "{:?}", m.notes);

        // No endpoint reference at all: the XAddrs stand in for the identity.
        let doc = br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:ProbeMatches><d:ProbeMatch><d:XAddrs>http://127.0.0.1/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"#;
        let Payload::ProbeMatches(ms) = Packet::parse(doc).unwrap().payload else {
            panic!("not ProbeMatches")
        };
        assert_eq!(ms[0].address, "http://127.0.0.1/onvif/device_service");
        assert!(
            ms[0].notes[0].contains("XAddrs stand in"),
            "{:?}",
            ms[0].notes
        );
    }

    #[test]
    fn malformed_messages_are_errors_not_panics() {
        let cases: &[&[u8]] = &[
            b"",
            b"not xml",
            b"\xff\xfe\x00",
            b"<a/>",
            br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>"#,
            br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>"#,
            br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x/></s:Body></s:Envelope>"#,
            // A match with neither an endpoint reference nor an address to reach it at (one
            // with XAddrs is listed: see below).
            br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:ProbeMatches><d:ProbeMatch><d:Types>x</d:Types></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"#,
            // An empty address.
            br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:Hello><a:EndpointReference><a:Address> </a:Address></a:EndpointReference></d:Hello></s:Body></s:Envelope>"#,
            // A fault.
            br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code></s:Fault></s:Body></s:Envelope>"#,
            // Truncated.
            &MATCH_2005_08_NO_WRAPPER.as_bytes()[..400],
        ];
        for c in cases {
            assert!(
                Packet::parse(c).is_err(),
                "{:?}",
                String::from_utf8_lossy(c)
            );
        }
        let big = vec![b' '; MAX_DATAGRAM + 1];
        assert!(Packet::parse(&big).is_err());
    }

    #[test]
    fn one_broken_probe_match_does_not_hide_the_others() {
        let xml = Packet::probe_matches("urn:uuid:abc", vec![sample()], None).to_xml();
        // A second, empty ProbeMatch (no endpoint reference) beside the good one.
        let i = xml.find(":ProbeMatch>").unwrap();
        let open_start = xml[..i].rfind('<').unwrap();
        let prefix = &xml[open_start + 1..i];
        let broken = format!("<{prefix}:ProbeMatch></{prefix}:ProbeMatch>");
        let xml = format!("{}{}{}", &xml[..open_start], broken, &xml[open_start..]);
        let p = Packet::parse(xml.as_bytes()).unwrap();
        let Payload::ProbeMatches(m) = p.payload else {
            panic!("not ProbeMatches")
        };
        assert_eq!(m.len(), 1);
        assert_eq!(m[0], sample());
        // Alone, the broken one is an error.
        let alone = xml.replacen(&broken, "", 1);
        let j = alone.find(":ProbeMatch>").unwrap();
        let start = alone[..j].rfind('<').unwrap();
        let end = alone.find(&format!("</{prefix}:ProbeMatch>")).unwrap()
            + format!("</{prefix}:ProbeMatch>").len();
        let only_broken = format!("{}{}{}", &alone[..start], broken, &alone[end..]);
        assert!(Packet::parse(only_broken.as_bytes()).is_err());
    }

    #[test]
    fn an_empty_probe_matches_is_no_match() {
        let p = Packet::probe_matches("urn:uuid:x", Vec::new(), None);
        let back = Packet::parse(p.to_xml().as_bytes()).unwrap();
        assert_eq!(back.payload, Payload::ProbeMatches(Vec::new()));
    }

    #[test]
    fn uuids_are_recognised_in_both_forms() {
        let u = "c9790c3a-701b-464d-a189-0060351c8ada";
        assert_eq!(uuid_of(&format!("urn:uuid:{u}")).as_deref(), Some(u));
        assert_eq!(uuid_of(&format!("uuid:{u}")).as_deref(), Some(u));
        assert_eq!(
            uuid_of(&format!("URN:UUID:{}", u.to_uppercase())).as_deref(),
            Some(u)
        );
        assert_eq!(uuid_of("urn:uuid:nope"), None);
        assert_eq!(uuid_of("http://x/"), None);
        assert_eq!(format_uuid(&[0xab; 16]).len(), 36);
    }

    /// The ProbeMatches recorded from a mock camera in the shared captures (when present).
    #[test]
    fn the_probe_matches_capture_is_read() {
        let dir = match std::env::var_os("ONVIF_CAPTURES") {
            Some(d) => std::path::PathBuf::from(d),
            None => {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures")
            }
        };
        let Ok(index) = std::fs::read_to_string(dir.join("INDEX.tsv")) else {
            eprintln!("SKIPPED: no captures at {}", dir.display());
            return;
        };
        let files: Vec<&str> = index
            .lines()
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                (c.len() > 2 && c[2] == "ProbeMatches").then_some(c[1])
            })
            .collect();
        assert!(!files.is_empty(), "no ProbeMatches in INDEX.tsv");
        for f in files {
            let bytes = std::fs::read(dir.join(f)).unwrap();
            let p = Packet::parse(&bytes).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(p.headers.addressing, Addressing::V2004);
            assert_eq!(
                p.headers.action.as_deref(),
                Some(ACTION_PROBE_MATCHES),
                "{f}"
            );
            let Payload::ProbeMatches(ms) = &p.payload else {
                panic!("{f}: {:?}", p.payload)
            };
            assert_eq!(ms.len(), 1, "{f}");
            let m = &ms[0];
            if f.ends_with("agsh-onvif/Probe.xml") {
                assert_eq!(
                    m.uuid().as_deref(),
                    Some("c9790c3a-701b-464d-a189-0060351c8ada")
                );
                assert_eq!(m.types, onvif_types());
                assert_eq!(m.xaddrs, ["SERVICE_URI"]);
                assert_eq!(m.metadata_version, Some(1));
                assert_eq!(
                    p.headers.app_sequence,
                    Some(AppSequence {
                        instance_id: 0,
                        sequence_id: None,
                        message_number: 161
                    })
                );
                let info = m.scope_info();
                assert_eq!(info.name.as_deref(), Some("PREDATOR"));
                assert_eq!(info.hardware.as_deref(), Some("HD_PREDATOR"));
                assert_eq!(info.profiles, ["S"]);
                assert!(info.location.is_empty());
                assert_eq!(info.types, ["video_encoder", "audio_encoder", "ptz"]);
            }
        }
    }
}
