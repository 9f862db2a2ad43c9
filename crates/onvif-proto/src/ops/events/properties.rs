//! GetEventProperties: the topic tree a camera publishes (each topic with the description of
//! its messages), and the dialects and schemas it accepts.

use serde::Serialize;

use super::action;
use super::topics::{Topic, TopicStep, WSTOP, effective_namespaces};
use crate::codec::{Node, Text, Xml};
use crate::error::Error;
use crate::ns::{TEV, TT, WSNT};
use crate::operation;
use crate::xml::{Element, Writer};

/// `tev:GetEventProperties`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:GetEventProperties")]
pub struct GetEventProperties;
operation!(GetEventProperties => EventProperties, idempotent = true,
    action = action::GET_EVENT_PROPERTIES);

/// An item's description (`tt:SimpleItemDescription` or `tt:ElementItemDescription`): its name
/// and type (the QName as written, e.g. `xs:boolean`, `tt:RecordingJobStateInformation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct ItemDescription {
    /// Item name (`IsMotion`).
    #[xml(attr = "Name")]
    pub name: String,
    /// Item type as written (`xs:boolean`, `tt:ReferenceToken`).
    #[serde(rename = "type")]
    #[xml(attr = "Type", default)]
    pub type_name: String,
}

/// What a topic's messages carry. Each list holds the simple items, then the element items
/// (the schema's order); a description without a name is left out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Xml)]
pub struct MessageDescription {
    /// Messages are property states (Initialized/Changed/Deleted).
    #[xml(attr = "IsProperty", default, lenient)]
    pub is_property: bool,
    /// Source items.
    #[xml(child = "tt:Source/tt:SimpleItemDescription", lenient)]
    pub source: Vec<ItemDescription>,
    /// Source element items (`tt:ElementItemDescription`: the value is an XML element).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Source/tt:ElementItemDescription", lenient)]
    pub source_elements: Vec<ItemDescription>,
    /// Key items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Key/tt:SimpleItemDescription", lenient)]
    pub key: Vec<ItemDescription>,
    /// Key element items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Key/tt:ElementItemDescription", lenient)]
    pub key_elements: Vec<ItemDescription>,
    /// Data items.
    #[xml(child = "tt:Data/tt:SimpleItemDescription", lenient)]
    pub data: Vec<ItemDescription>,
    /// Data element items (`Link` of `tns1:Monitoring/LinkStatus`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Data/tt:ElementItemDescription", lenient)]
    pub data_elements: Vec<ItemDescription>,
}

/// One node of the topic tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicNode {
    /// Local name of the step (`RuleEngine`).
    pub name: String,
    /// Namespace of the step (`None` for unqualified steps, as most children are).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// `wstop:topic="true"`: events are published on this node.
    pub is_topic: bool,
    /// The message description, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageDescription>,
    /// Child topics.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TopicNode>,
}

/// A topic of the tree, flattened: its path and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicEntry {
    /// Prefix-free path (`RuleEngine/CellMotionDetector/Motion`).
    pub path: String,
    /// Namespace of the root step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Every step with its own namespace (a vendor step under an ONVIF root keeps its own), as
    /// in [`Topic::steps`], so a received topic can be looked up with [`TopicEntry::is`].
    pub steps: Vec<TopicStep>,
    /// The message description, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageDescription>,
}

/// `tev:GetEventPropertiesResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Xml)]
#[xml(root = "tev:GetEventPropertiesResponse")]
pub struct EventProperties {
    /// `TopicNamespaceLocation`s.
    #[xml(with = "topic_namespace_locations")]
    pub topic_namespace_locations: Vec<String>,
    /// `wsnt:FixedTopicSet`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[xml(child = "wsnt:FixedTopicSet", lenient)]
    pub fixed_topic_set: Option<bool>,
    /// The topic tree (roots are the children of `wstop:TopicSet`).
    #[xml(with = "topic_set")]
    pub topics: Vec<TopicNode>,
    /// `wsnt:TopicExpressionDialect`s.
    #[xml(with = "topic_expression_dialects")]
    pub topic_expression_dialects: Vec<String>,
    /// `tev:MessageContentFilterDialect`s.
    #[xml(with = "message_content_filter_dialects")]
    pub message_content_filter_dialects: Vec<String>,
    /// `tev:MessageContentSchemaLocation`s.
    #[xml(with = "message_content_schema_locations")]
    pub message_content_schema_locations: Vec<String>,
}

impl EventProperties {
    /// Every node marked as a topic (or a leaf), with its full path, depth first.
    pub fn flatten(&self) -> Vec<TopicEntry> {
        fn walk(n: &TopicNode, above: &[TopicStep], out: &mut Vec<TopicEntry>) {
            let mut steps = above.to_vec();
            steps.push(TopicStep {
                unbound: false,
                ns: n.ns.clone(),
                name: n.name.clone(),
            });
            if n.is_topic || n.children.is_empty() {
                out.push(TopicEntry {
                    path: TopicStep::path(&steps),
                    ns: steps.first().and_then(|s| s.ns.clone()),
                    steps: steps.clone(),
                    message: n.message.clone(),
                });
            }
            for c in &n.children {
                walk(c, &steps, out);
            }
        }
        let mut out = Vec::new();
        for t in &self.topics {
            walk(t, &[], &mut out);
        }
        out
    }

    /// The tree's entry for a received topic: same steps, each compared by local name and
    /// effective namespace (see [`effective_ns`](super::effective_ns)).
    pub fn find(&self, topic: &Topic) -> Option<TopicEntry> {
        self.flatten().into_iter().find(|e| e.is(topic))
    }
}

impl TopicEntry {
    /// Is this entry the topic a message carries? Steps are compared by local name and
    /// effective namespace, so `tns1:Device/Trigger/tnshik:AlarmIn` is the tree's
    /// `tns1:Device/Trigger/tnshik:AlarmIn` and not the tree's `tns1:Device/Trigger/AlarmIn`.
    pub fn is(&self, topic: &Topic) -> bool {
        self.steps.len() == topic.steps.len()
            && self
                .steps
                .iter()
                .zip(&topic.steps)
                .all(|(a, b)| a.name == b.name)
            && effective_namespaces(&self.steps) == effective_namespaces(&topic.steps)
    }
}

/// `#[xml(with)]` modules for the lists of URIs: the text of every `{ns}name` child, an empty
/// one no entry (a `child` list would keep it as an empty string).
macro_rules! uri_lists {
    ($($field:ident: $ns:ident, $prefix:literal, $name:literal;)*) => {$(
        mod $field {
            use super::*;

            pub(super) fn read(el: &Element) -> Result<Vec<String>, Error> {
                Ok(el
                    .children_named($ns, $name)
                    .map(Element::text)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect())
            }

            pub(super) fn write(p: &EventProperties, w: &mut Writer, _: &str) {
                for v in &p.$field {
                    w.leaf(concat!($prefix, ":", $name), v);
                }
            }
        }
    )*};
}

uri_lists! {
    topic_namespace_locations: TEV, "tev", "TopicNamespaceLocation";
    topic_expression_dialects: WSNT, "wsnt", "TopicExpressionDialect";
    message_content_filter_dialects: TEV, "tev", "MessageContentFilterDialect";
    message_content_schema_locations: TEV, "tev", "MessageContentSchemaLocation";
}

/// `#[xml(with)]` for the topic tree: the children of `wstop:TopicSet`.
mod topic_set {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Vec<TopicNode>, Error> {
        el.child(WSTOP, "TopicSet").map_or(Ok(Vec::new()), |s| {
            let roots = s.children.iter().map(TopicNode::read_node);
            Ok(merge_siblings(roots.collect::<Result<_, _>>()?))
        })
    }

    pub(super) fn write(p: &EventProperties, w: &mut Writer, _: &str) {
        w.open("wstop:TopicSet", &[("xmlns:wstop", WSTOP)]);
        for t in &p.topics {
            t.write_node(w, &t.name);
        }
        w.close("wstop:TopicSet");
    }
}

/// Siblings that name the same step (local name and namespace) are one node of the tree: a
/// camera may list a root twice, once for its own children and once for a vendor's (Axis
/// sends `tns1:Device` with `Trigger`, and again with `tnsaxis:IO`; capture
/// `agsh-onvif/GetEventProperties.xml`). Their children merge the same way, in first-seen order.
fn merge_siblings(nodes: Vec<TopicNode>) -> Vec<TopicNode> {
    let mut out: Vec<TopicNode> = Vec::with_capacity(nodes.len());
    for n in nodes {
        match out.iter_mut().find(|o| o.name == n.name && o.ns == n.ns) {
            Some(o) => {
                o.is_topic |= n.is_topic;
                if o.message.is_none() {
                    o.message = n.message;
                }
                let mut children = std::mem::take(&mut o.children);
                children.extend(n.children);
                o.children = merge_siblings(children);
            }
            None => out.push(n),
        }
    }
    out
}

/// Hand-written [`Node`]: a node's element is named by its topic step, in any namespace
/// (xs:any); its children are its message description and its child topics.
impl Node for TopicNode {
    fn read_node(el: &Element) -> Result<Self, Error> {
        let mut message = None;
        let mut children = Vec::new();
        for c in &el.children {
            if c.is(TT, "MessageDescription") {
                message = Some(MessageDescription::read_node(c)?);
            } else if c.ns.as_deref() != Some(TT) {
                children.push(TopicNode::read_node(c)?);
            }
        }
        Ok(TopicNode {
            children: merge_siblings(children),
            name: el.name.clone(),
            ns: el.ns.as_deref().map(str::to_owned),
            is_topic: el
                .attr_ns(WSTOP, "topic")
                .and_then(bool::from_text)
                .unwrap_or(false),
            message,
        })
    }

    /// Written as `name`, with its own default namespace declaration (so no prefix is needed);
    /// `tag` is not used.
    fn write_node(&self, w: &mut Writer, _tag: &str) {
        let xmlns = self.ns.clone().unwrap_or_default();
        w.open(
            &self.name,
            &[
                ("xmlns", &xmlns),
                ("xmlns:wstop", WSTOP),
                ("wstop:topic", &self.is_topic.to_text()),
            ],
        );
        if let Some(m) = &self.message {
            m.write_node(w, "tt:MessageDescription");
        }
        for c in &self.children {
            c.write_node(w, &c.name);
        }
        w.close(&self.name);
    }
}
