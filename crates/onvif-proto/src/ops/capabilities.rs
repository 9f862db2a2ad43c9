//! Capabilities as flat maps: `Network.NTP` -> `1`, `Security.TLS1.2` -> `true`. Every
//! service's GetServiceCapabilities and the device's GetCapabilities/GetServices read their
//! capability elements into such a map, and write them back so that reading gives the same map.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::codec::Xml;
use crate::error::Error;
use crate::ops::message::parse_bool;
use crate::xml::{Element, Writer};

/// Flatten an element's attributes and descendants into `out`, keys joined by `.` under
/// `prefix`. `XAddr` children are left out (they are addresses, not flags).
pub(crate) fn flatten_into(prefix: &str, el: &Element, out: &mut BTreeMap<String, String>) {
    for a in &el.attrs {
        out.insert(join_key(prefix, &a.name), a.value.clone());
    }
    for c in &el.children {
        if c.name == "XAddr" {
            continue;
        }
        let key = join_key(prefix, &c.name);
        if c.children.is_empty() && c.attrs.is_empty() {
            let v = c.text().to_owned();
            out.entry(key)
                .and_modify(|old| {
                    old.push(' ');
                    old.push_str(&v);
                })
                .or_insert(v);
        } else {
            flatten_into(&key, c, out);
        }
    }
}

/// Split a flattened key at its first `.` that starts a name: `Security.TLS1.1` is
/// (`Security`, `TLS1.1`), since a name cannot start with a digit (`TLS1.0`, `X.509Token`).
pub(crate) fn split_key(key: &str) -> Option<(&str, &str)> {
    key.match_indices('.')
        .map(|(i, _)| i)
        .find(|&i| {
            key[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii_digit())
        })
        .map(|i| (&key[..i], &key[i + 1..]))
}

/// The children of GetCapabilities' categories in the schema's order: each is an
/// `xs:sequence`, and clients that validate (zeep, gSOAP, .NET) refuse or skip elements out
/// of it. Keyed by the path below `tds:Capabilities`; names not listed follow in key order.
const SCHEMA_ORDER: &[(&str, &[&str])] = &[
    ("Analytics", &["RuleSupport", "AnalyticsModuleSupport"]),
    (
        "Events",
        &[
            "WSSubscriptionPolicySupport",
            "WSPullPointSupport",
            "WSPausableSubscriptionManagerInterfaceSupport",
        ],
    ),
    ("Media", &["StreamingCapabilities", "Extension"]),
    (
        "Media.StreamingCapabilities",
        &["RTPMulticast", "RTP_TCP", "RTP_RTSP_TCP", "Extension"],
    ),
    (
        "DeviceIO",
        &[
            "VideoSources",
            "VideoOutputs",
            "AudioSources",
            "AudioOutputs",
            "RelayOutputs",
        ],
    ),
    (
        "Recording",
        &[
            "ReceiverSource",
            "MediaProfileSource",
            "DynamicRecordings",
            "DynamicTracks",
            "MaxStringLength",
        ],
    ),
];

/// Where `name` stands among the children of `path` in the schema (unknown: last).
fn schema_rank(path: &str, name: &str) -> usize {
    SCHEMA_ORDER
        .iter()
        .find(|(p, _)| *p == path)
        .and_then(|(_, names)| names.iter().position(|n| *n == name))
        .unwrap_or(usize::MAX)
}

/// A child element to write: its value (a leaf) or its own flags (a group).
type Child<'a> = Result<&'a str, Vec<(&'a str, &'a str)>>;

/// Write flattened flags (sorted by key) as `tt:` elements, nesting on each key's groups,
/// in the schema's order where [`SCHEMA_ORDER`] knows it (`path`: the category, `Media`).
pub(crate) fn write_flags_as_elements(w: &mut Writer, path: &str, flags: &[(&str, &str)]) {
    let mut children: Vec<(&str, Child<'_>)> = Vec::new();
    let mut i = 0;
    while i < flags.len() {
        let (key, value) = flags[i];
        let Some((head, _)) = split_key(key) else {
            children.push((key, Ok(value)));
            i += 1;
            continue;
        };
        let mut group = Vec::new();
        while let Some((k, v)) = flags.get(i) {
            match split_key(k) {
                Some((h, rest)) if h == head => group.push((rest, *v)),
                _ => break,
            }
            i += 1;
        }
        children.push((head, Err(group)));
    }
    children.sort_by_key(|(name, _)| schema_rank(path, name));
    for (name, child) in children {
        match child {
            Ok(value) => {
                w.leaf(&format!("tt:{name}"), value);
            }
            Err(group) => {
                let tag = format!("tt:{name}");
                w.open(&tag, &[]);
                write_flags_as_elements(w, &join_key(path, name), &group);
                w.close(&tag);
            }
        }
    }
}

fn join_key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Write flattened capabilities back as one `{prefix}:Capabilities` element: `A` -> attribute,
/// `Child.A` -> attribute of a child element. Keys are split at the first dot that starts a
/// name ([`split_key`]), so `Security.TLS1.2` reads back as the same key. `attrs` go on the
/// element first (a namespace declaration, say). Every service's capabilities use this.
pub(crate) fn write_capabilities(
    w: &mut Writer,
    prefix: &str,
    attrs: &[(&str, &str)],
    flat: &BTreeMap<String, String>,
) {
    let tag = format!("{prefix}:Capabilities");
    let mut top: Vec<(&str, &str)> = attrs.to_vec();
    let mut groups: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (k, v) in flat {
        match split_key(k) {
            None => top.push((k.as_str(), v.as_str())),
            Some((g, a)) => groups.entry(g).or_default().push((a, v.as_str())),
        }
    }
    if groups.is_empty() {
        w.empty(&tag, &top);
        return;
    }
    w.open(&tag, &top);
    for (g, attrs) in groups {
        w.empty(&format!("{prefix}:{g}"), &attrs);
    }
    w.close(&tag);
}

/// `#[xml(with)]` for the flags of a GetServiceCapabilitiesResponse: its `Capabilities`
/// child, in the response's own namespace, whichever service sent it.
pub(crate) mod service_flags {
    use super::*;

    /// Read the `Capabilities` child of `el` (same namespace as `el`).
    pub(crate) fn read(el: &Element) -> Result<BTreeMap<String, String>, Error> {
        let caps = el
            .children
            .iter()
            .find(|c| c.name == "Capabilities" && c.ns == el.ns)
            .ok_or_else(|| Error::missing(format!("{}/Capabilities", el.name)))?;
        let mut flags = BTreeMap::new();
        flatten_into("", caps, &mut flags);
        Ok(flags)
    }

    /// Write `{prefix}:Capabilities`, the prefix taken from the response's tag.
    pub(crate) fn write(caps: &super::ServiceCapabilities, w: &mut Writer, tag: &str) {
        let prefix = tag.split_once(':').map_or("", |(p, _)| p);
        write_capabilities(w, prefix, &[], &caps.flags);
    }
}

/// Any service's capabilities, flattened: `Network.NTP` -> `1`, `Security.UsernameToken` ->
/// `true`. Other services' answers wrap it in a newtype of their own element.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetServiceCapabilitiesResponse")]
pub struct ServiceCapabilities {
    /// The `Capabilities` element in the answering service's namespace, flattened.
    #[xml(with = "crate::ops::capabilities::service_flags")]
    pub flags: BTreeMap<String, String>,
}

impl ServiceCapabilities {
    /// A flag read as a boolean (`true`/`1`).
    pub fn flag(&self, key: &str) -> bool {
        self.flags
            .get(key)
            .is_some_and(|v| parse_bool(key, v).unwrap_or(false))
    }
}
