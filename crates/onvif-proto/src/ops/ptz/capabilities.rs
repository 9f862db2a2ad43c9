//! The PTZ service's capabilities: GetServiceCapabilities.

use std::collections::BTreeMap;

use serde::Serialize;

use super::values::attr_any;
use crate::codec::{ElementName, Node, Xml};
use crate::error::Error;
use crate::ns::TPTZ;
use crate::operation;
use crate::ops::message::bool_str;
use crate::ops::message::{Message, expect, parse_bool};
use crate::xml::{Element, Writer};

/// The PTZ service's capabilities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetServiceCapabilities")]
pub struct GetServiceCapabilities;
operation!(GetServiceCapabilities => ServiceCapabilities, idempotent = true);

/// The PTZ service's capabilities (`tptz:Capabilities` attributes). Read leniently: a missing
/// `Capabilities` element reads as nothing known, attributes are found in any namespace and in
/// a nested `Capabilities` (both seen on cameras).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceCapabilities {
    /// `EFlip`: electronic flip is supported.
    pub eflip: Option<bool>,
    /// `Reverse`.
    pub reverse: Option<bool>,
    /// `GetCompatibleConfigurations` is implemented.
    pub get_compatible_configurations: Option<bool>,
    /// GetStatus reports the move status.
    pub move_status: Option<bool>,
    /// GetStatus reports the position.
    pub status_position: Option<bool>,
    /// `MoveAndTrack`: the tracking methods MoveAndStartTracking accepts.
    pub move_and_track: Vec<String>,
}

const CAPABILITY_FLAGS: [&str; 5] = [
    "EFlip",
    "Reverse",
    "GetCompatibleConfigurations",
    "MoveStatus",
    "StatusPosition",
];

impl ServiceCapabilities {
    fn bools(&self) -> [Option<bool>; 5] {
        [
            self.eflip,
            self.reverse,
            self.get_compatible_configurations,
            self.move_status,
            self.status_position,
        ]
    }

    /// Flattened as GetServices shows capabilities (`MoveStatus` -> `true`).
    pub fn flags(&self) -> BTreeMap<String, String> {
        let mut m: BTreeMap<String, String> = CAPABILITY_FLAGS
            .iter()
            .zip(self.bools())
            .filter_map(|(k, v)| v.map(|v| ((*k).to_owned(), bool_str(v).to_owned())))
            .collect();
        if !self.move_and_track.is_empty() {
            m.insert("MoveAndTrack".into(), self.move_and_track.join(" "));
        }
        m
    }
}

/// By hand: the attributes are found in any namespace, on `Capabilities` or on a nested
/// `Capabilities`, and `Capabilities` itself in any namespace.
impl Node for ServiceCapabilities {
    fn read_node(el: &Element) -> Result<Self, Error> {
        // The namespace of `Capabilities` is not checked: the response element already says
        // which service this is.
        let Some(caps) = el.child_any_ns("Capabilities") else {
            return Ok(ServiceCapabilities::default());
        };
        let nested = caps.child_any_ns("Capabilities");
        let get =
            |name: &str| attr_any(caps, name).or_else(|| nested.and_then(|n| attr_any(n, name)));
        let flag = |name: &str| get(name).and_then(|v| parse_bool(name, v).ok());
        Ok(ServiceCapabilities {
            eflip: flag("EFlip"),
            reverse: flag("Reverse"),
            get_compatible_configurations: flag("GetCompatibleConfigurations"),
            move_status: flag("MoveStatus"),
            status_position: flag("StatusPosition"),
            move_and_track: get("MoveAndTrack")
                .map(|v| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        let flags = self.flags();
        let attrs: Vec<(&str, &str)> = CAPABILITY_FLAGS
            .iter()
            .chain(&["MoveAndTrack"])
            .filter_map(|k| flags.get(*k).map(|v| (*k, v.as_str())))
            .collect();
        w.open(tag, &[]);
        w.empty("tptz:Capabilities", &attrs);
        w.close(tag);
    }
}

impl Message for ServiceCapabilities {
    const ELEMENT: ElementName = ElementName {
        ns: TPTZ,
        prefix: "tptz",
        name: "GetServiceCapabilitiesResponse",
    };

    fn write(&self, w: &mut Writer) {
        self.write_node(w, "tptz:GetServiceCapabilitiesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TPTZ, "GetServiceCapabilitiesResponse")?;
        Self::read_node(el)
    }
}
