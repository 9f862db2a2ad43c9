//! PTZ nodes (`tt:PTZNode`): GetNodes and GetNode.

use serde::Serialize;

use super::spaces::PtzSpaces;
use crate::codec::Xml;
use crate::operation;

/// A PTZ node (`tt:PTZNode`): one physical or digital PTZ unit and what it can do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct PtzNode {
    /// A missing token reads as empty.
    #[xml(attr = "token", default)]
    pub token: String,
    /// A readable name.
    #[xml(child = "tt:Name")]
    pub name: Option<String>,
    /// The home position cannot be changed (SetHomePosition fails).
    #[xml(attr = "FixedHomePosition", lenient)]
    pub fixed_home_position: Option<bool>,
    /// `SupportedPTZSpaces`: the spaces of each kind of move.
    #[xml(child = "tt:SupportedPTZSpaces", default)]
    pub supported_spaces: PtzSpaces,
    /// `MaximumNumberOfPresets` (required by the schema: 0 is written when unknown).
    #[xml(child = "tt:MaximumNumberOfPresets", lenient, write_default = "0")]
    pub max_presets: Option<u32>,
    /// A home position is supported.
    #[xml(child = "tt:HomeSupported", default, lenient)]
    pub home_supported: bool,
    /// Commands SendAuxiliaryCommand accepts (`tt:Wiper|On`, `tt:IRLamp|Auto`, vendor words).
    #[xml(with = "auxiliary_commands")]
    pub auxiliary_commands: Vec<String>,
}

/// `#[xml(with)]` for `tt:AuxiliaryCommands`: a list of words, the empty ones left out.
mod auxiliary_commands {
    use super::PtzNode;
    use crate::error::Error;
    use crate::ns::TT;
    use crate::xml::{Element, Writer};

    pub(super) fn read(el: &Element) -> Result<Vec<String>, Error> {
        Ok(el
            .children_named(TT, "AuxiliaryCommands")
            .map(|c| c.text().to_owned())
            .filter(|c| !c.is_empty())
            .collect())
    }

    pub(super) fn write(n: &PtzNode, w: &mut Writer, _: &str) {
        for c in &n.auxiliary_commands {
            w.leaf("tt:AuxiliaryCommands", c);
        }
    }
}

/// Every PTZ node of the device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetNodes")]
pub struct GetNodes;
operation!(GetNodes => Nodes, idempotent = true);

/// The answer to GetNodes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetNodesResponse")]
pub struct Nodes {
    /// Every PTZ node.
    #[xml(child = "tptz:PTZNode")]
    pub nodes: Vec<PtzNode>,
}

/// One PTZ node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetNode")]
pub struct GetNode {
    /// `NodeToken`.
    #[xml(child = "tptz:NodeToken")]
    pub node_token: String,
}
operation!(GetNode => Node, idempotent = true);

/// The answer to GetNode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetNodeResponse")]
#[serde(transparent)]
pub struct Node {
    /// The node.
    #[xml(child = "tptz:PTZNode")]
    pub node: PtzNode,
}
