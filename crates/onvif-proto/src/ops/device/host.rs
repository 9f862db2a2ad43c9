//! A network host as ONVIF writes one: its kind (`IPv4`, `IPv6`, `DNS`) and its address or
//! name (NTP and DNS servers).

use serde::Serialize;

use crate::codec::Node;
use crate::error::Error;
use crate::ns::TT;
use crate::ops::message::opt_text;
use crate::xml::{Element, Writer};

/// An NTP server: `IPv4`/`IPv6`/`DNS` and its address or name. Which element holds the address
/// depends on the kind, so this one is read and written by hand ([`Node`] below).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkHost {
    /// `IPv4`, `IPv6` or `DNS` (the `Type` element); empty when absent.
    pub kind: String,
    /// The IP address or DNS name; empty when absent.
    pub address: String,
}

impl Node for NetworkHost {
    fn read_node(h: &Element) -> Result<Self, Error> {
        let kind = h.child_text(TT, "Type").unwrap_or_default().to_owned();
        let address = ["DNSname", "IPv4Address", "IPv6Address"]
            .iter()
            .find_map(|n| opt_text(h, TT, n))
            .unwrap_or_default();
        Ok(NetworkHost { kind, address })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        let leaf = match self.kind.as_str() {
            "IPv4" => "tt:IPv4Address",
            "IPv6" => "tt:IPv6Address",
            _ => "tt:DNSname",
        };
        w.open(tag, &[])
            .leaf("tt:Type", &self.kind)
            .leaf(leaf, &self.address)
            .close(tag);
    }
}
