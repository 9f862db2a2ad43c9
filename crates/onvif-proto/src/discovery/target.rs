//! A device as a ProbeMatch, Hello or Bye describes it: its endpoint reference, types, scopes
//! and service addresses; and what its ONVIF scopes say.

use serde::Serialize;

use super::names::{DN, is_wsd, strip_prefix_ci, uuid_of, wsa_child, wsd_child};
use crate::codec::Node;
use crate::error::Error;
use crate::ns;
use crate::ops::device::percent_decode;
use crate::xml::{Element, QNameValue, Writer};

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

/// Hand-written [`Node`]: every child is read in either WS-Discovery namespace and the endpoint
/// reference in either WS-Addressing version (or, with a note, wherever it is); `Types`,
/// `Scopes` and `XAddrs` are whitespace-separated lists in one element.
impl Node for Target {
    fn read_node(el: &Element) -> Result<Self, Error> {
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
        let metadata_version = wsd_child(el, "MetadataVersion").and_then(|m| m.text().parse().ok());
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

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        w.open("a:EndpointReference", &[])
            .leaf("a:Address", &self.address)
            .close("a:EndpointReference");
        write_types(w, &self.types);
        if !self.scopes.is_empty() {
            w.leaf("d:Scopes", &self.scopes.join(" "));
        }
        if !self.xaddrs.is_empty() {
            w.leaf("d:XAddrs", &self.xaddrs.join(" "));
        }
        if let Some(v) = self.metadata_version {
            w.leaf("d:MetadataVersion", &v.to_string());
        }
        w.close(tag);
    }
}

/// The whitespace-separated items of child `d:<name>`.
pub(super) fn read_list(el: &Element, name: &str) -> Vec<String> {
    wsd_child(el, name)
        .map(|c| c.text().split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `d:Types`: QNames resolved against the declarations in scope there.
pub(super) fn read_types(el: &Element) -> Vec<QNameValue> {
    wsd_child(el, "Types")
        .map(|c| {
            c.text()
                .split_whitespace()
                .map(|q| c.resolve_qname(q))
                .collect()
        })
        .unwrap_or_default()
}

/// `d:Scopes`: whitespace-separated URIs. A word that is no URI continues the one before it
/// (a scope with an unescaped space, `onvif://www.onvif.org/name/Front Door`): it is joined
/// back, percent-encoded, as the sender meant it.
///
/// One note names each joined scope once, cut to [`NOTE_SCOPE_CHARS`], and at most
/// [`MAX_SCOPE_NOTES`] are kept: a datagram of one scope and thirty thousand words costs a few
/// notes, not a copy of the growing scope per word.
fn read_scopes(el: &Element, notes: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joined: Vec<usize> = Vec::new();
    for word in read_list(el, "Scopes") {
        let is_uri = word.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        let last = out.len().checked_sub(1);
        match out.last_mut() {
            Some(prev) if !is_uri => {
                if joined.last() != last.as_ref() {
                    joined.extend(last);
                }
                prev.push_str("%20");
                prev.push_str(&word);
            }
            _ => out.push(word),
        }
    }
    for &i in joined.iter().take(MAX_SCOPE_NOTES) {
        let scope = out[i].replace("%20", " ");
        let shown: String = scope.chars().take(NOTE_SCOPE_CHARS).collect();
        let more = if shown.len() < scope.len() { "…" } else { "" };
        notes.push(format!("a scope holds an unescaped space: {shown}{more}"));
    }
    if joined.len() > MAX_SCOPE_NOTES {
        notes.push(format!(
            "{} more scopes hold unescaped spaces",
            joined.len() - MAX_SCOPE_NOTES
        ));
    }
    out
}

/// How many scopes with unescaped spaces are named one by one in the notes.
const MAX_SCOPE_NOTES: usize = 4;
/// How much of such a scope a note quotes.
const NOTE_SCOPE_CHARS: usize = 200;

/// `d:Types`, each QName written with a declared prefix (`dn`, `tds`, or one declared on the
/// element for other namespaces).
pub(super) fn write_types(w: &mut Writer, types: &[QNameValue]) {
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
