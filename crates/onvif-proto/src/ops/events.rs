//! Event service (`tev:`, <http://www.onvif.org/ver10/events/wsdl>) and the WS-BaseNotification
//! messages it uses (`wsnt:`, <http://docs.oasis-open.org/wsn/b-2>): event properties (the topic
//! tree), service capabilities, pull-point subscriptions (create, pull, renew, unsubscribe,
//! synchronisation point), `Notify`, and the notification message model.
//!
//! Topics are resolved by namespace: each step's prefix is looked up in the xmlns declarations
//! in scope at the `Topic` element, so `tns1:RuleEngine/...` and `ns2:RuleEngine/...` bound to
//! the same URI are the same topic, and `tnsaxis:` steps keep their own namespace. A normalised
//! [`kind`](KindTable) (motion, person, tamper, ...) is derived from a table of rules kept as
//! data, which a user can extend.
//!
//! Answers are read leniently: times through [`parse_datetime`] (`0000-00-00...` is none),
//! unknown elements ignored.

use std::time::Duration;

use jiff::Timestamp;
use serde::{Serialize, Serializer};

use crate::error::Error;
use crate::ns::{TEV, TT, WSA, WSNT};
use crate::ops::ptz::{format_duration, parse_duration};
use crate::ops::{Message, Operation, Service, expect, opt_text, parse_bool, parse_num};
use crate::time::parse_datetime;
use crate::xml::{Element, Writer, escape};

/// The ONVIF topic namespace (`tns1:`).
pub const TNS1: &str = "http://www.onvif.org/ver10/topics";
/// WS-Topics (`wstop:`), where `TopicSet` and the `topic` attribute live.
pub const WSTOP: &str = "http://docs.oasis-open.org/wsn/t-1";
/// WS-ResourceFramework resource faults (`wsrf-rw:ResourceUnknownFault`).
pub const WSRF_RW: &str = "http://docs.oasis-open.org/wsrf/rw-2";
/// WS-BaseFaults.
pub const WSRF_BF: &str = "http://docs.oasis-open.org/wsrf/bf-2";

/// Topic expression dialects.
pub mod dialect {
    /// ONVIF's concrete set (`tns1:RuleEngine//.|tns1:Device//.`).
    pub const CONCRETE_SET: &str = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";
    /// WS-Topics concrete.
    pub const CONCRETE: &str = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete";
    /// WS-Topics simple.
    pub const SIMPLE: &str = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Simple";
}

/// SOAP actions of the event operations (they do not follow the `{namespace}/{name}` rule).
pub mod action {
    /// GetEventProperties.
    pub const GET_EVENT_PROPERTIES: &str =
        "http://www.onvif.org/ver10/events/wsdl/EventPortType/GetEventPropertiesRequest";
    /// GetServiceCapabilities.
    pub const GET_SERVICE_CAPABILITIES: &str =
        "http://www.onvif.org/ver10/events/wsdl/EventPortType/GetServiceCapabilitiesRequest";
    /// CreatePullPointSubscription.
    pub const CREATE_PULL_POINT_SUBSCRIPTION: &str =
        "http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest";
    /// PullMessages.
    pub const PULL_MESSAGES: &str =
        "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest";
    /// SetSynchronizationPoint.
    pub const SET_SYNCHRONIZATION_POINT: &str = "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/SetSynchronizationPointRequest";
    /// Seek.
    pub const SEEK: &str =
        "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/SeekRequest";
    /// Renew.
    pub const RENEW: &str = "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest";
    /// Subscribe (push).
    pub const SUBSCRIBE: &str =
        "http://docs.oasis-open.org/wsn/bw-2/NotificationProducer/SubscribeRequest";
    /// GetCurrentMessage.
    pub const GET_CURRENT_MESSAGE: &str =
        "http://docs.oasis-open.org/wsn/bw-2/NotificationProducer/GetCurrentMessageRequest";
    /// Notify (sent by the camera to a push consumer).
    pub const NOTIFY: &str = "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify";
    /// Unsubscribe.
    pub const UNSUBSCRIBE: &str =
        "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest";
}

macro_rules! event_op {
    ($req:ty => $resp:ty, $name:literal, $action:expr, idempotent = $idem:expr) => {
        impl Operation for $req {
            type Response = $resp;
            const SERVICE: Service = Service::Events;
            const NAME: &'static str = $name;
            const ACTION: &'static str = $action;
            const IDEMPOTENT: bool = $idem;
        }
    };
}

fn ser_ts<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_string()),
        None => s.serialize_none(),
    }
}

fn fmt_ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}

fn time_child(el: &Element, ns: &str, name: &str) -> Option<Timestamp> {
    el.child_text(ns, name).and_then(parse_datetime)
}

// ---------------------------------------------------------------------------------------------
// GetEventProperties

crate::empty_message!(
    /// `tev:GetEventProperties`.
    GetEventProperties, TEV, "tev", "GetEventProperties"
);
event_op!(GetEventProperties => EventProperties, "GetEventProperties",
    action::GET_EVENT_PROPERTIES, idempotent = true);

/// An item's description (`tt:SimpleItemDescription` or `tt:ElementItemDescription`): its name
/// and type (the QName as written, e.g. `xs:boolean`, `tt:RecordingJobStateInformation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDescription {
    /// Item name (`IsMotion`).
    pub name: String,
    /// Item type as written (`xs:boolean`, `tt:ReferenceToken`).
    #[serde(rename = "type")]
    pub type_name: String,
}

/// What a topic's messages carry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MessageDescription {
    /// Messages are property states (Initialized/Changed/Deleted).
    pub is_property: bool,
    /// Source items.
    pub source: Vec<ItemDescription>,
    /// Key items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<ItemDescription>,
    /// Data items.
    pub data: Vec<ItemDescription>,
    /// Source element items (`tt:ElementItemDescription`: the value is an XML element).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_elements: Vec<ItemDescription>,
    /// Key element items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_elements: Vec<ItemDescription>,
    /// Data element items (`Link` of `tns1:Monitoring/LinkStatus`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EventProperties {
    /// `TopicNamespaceLocation`s.
    pub topic_namespace_locations: Vec<String>,
    /// `wsnt:FixedTopicSet`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_topic_set: Option<bool>,
    /// The topic tree (roots are the children of `wstop:TopicSet`).
    pub topics: Vec<TopicNode>,
    /// `wsnt:TopicExpressionDialect`s.
    pub topic_expression_dialects: Vec<String>,
    /// `tev:MessageContentFilterDialect`s.
    pub message_content_filter_dialects: Vec<String>,
    /// `tev:MessageContentSchemaLocation`s.
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
                    path: steps
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join("/"),
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
    /// effective namespace (see [`effective_ns`]).
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

fn read_items(el: Option<&Element>, tag: &str) -> Vec<ItemDescription> {
    el.map(|e| {
        e.children_named(TT, tag)
            .filter_map(|i| {
                Some(ItemDescription {
                    name: i.attr("Name")?.to_owned(),
                    type_name: i.attr("Type").unwrap_or_default().to_owned(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn read_topic_node(el: &Element) -> TopicNode {
    let mut message = None;
    let mut children = Vec::new();
    for c in &el.children {
        if c.is(TT, "MessageDescription") {
            message = Some(MessageDescription {
                is_property: c
                    .attr("IsProperty")
                    .and_then(|v| parse_bool("IsProperty", v).ok())
                    .unwrap_or(false),
                source: read_items(c.child(TT, "Source"), SIMPLE_DESC),
                key: read_items(c.child(TT, "Key"), SIMPLE_DESC),
                data: read_items(c.child(TT, "Data"), SIMPLE_DESC),
                source_elements: read_items(c.child(TT, "Source"), ELEMENT_DESC),
                key_elements: read_items(c.child(TT, "Key"), ELEMENT_DESC),
                data_elements: read_items(c.child(TT, "Data"), ELEMENT_DESC),
            });
        } else if c.ns.as_deref() != Some(TT) {
            children.push(read_topic_node(c));
        }
    }
    TopicNode {
        name: el.name.clone(),
        ns: el.ns.as_deref().map(str::to_owned),
        is_topic: el
            .attr_ns(WSTOP, "topic")
            .and_then(|v| parse_bool("topic", v).ok())
            .unwrap_or(false),
        message,
        children,
    }
}

const SIMPLE_DESC: &str = "SimpleItemDescription";
const ELEMENT_DESC: &str = "ElementItemDescription";

/// An item list description: the simple items, then the element items (the schema's order).
fn write_items(w: &mut Writer, tag: &str, items: &[ItemDescription], elements: &[ItemDescription]) {
    if items.is_empty() && elements.is_empty() {
        return;
    }
    w.open(tag, &[]);
    for (list, name) in [(items, SIMPLE_DESC), (elements, ELEMENT_DESC)] {
        for i in list {
            w.empty(
                &format!("tt:{name}"),
                &[("Name", &i.name), ("Type", &i.type_name)],
            );
        }
    }
    w.close(tag);
}

fn write_topic_node(w: &mut Writer, n: &TopicNode) {
    // Every step is written with its own default namespace declaration, so no prefix is needed.
    let xmlns = n.ns.clone().unwrap_or_default();
    let topic = if n.is_topic { "true" } else { "false" };
    w.open(
        &n.name,
        &[
            ("xmlns", &xmlns),
            ("xmlns:wstop", WSTOP),
            ("wstop:topic", topic),
        ],
    );
    if let Some(m) = &n.message {
        w.open(
            "tt:MessageDescription",
            &[("IsProperty", if m.is_property { "true" } else { "false" })],
        );
        write_items(w, "tt:Source", &m.source, &m.source_elements);
        write_items(w, "tt:Key", &m.key, &m.key_elements);
        write_items(w, "tt:Data", &m.data, &m.data_elements);
        w.close("tt:MessageDescription");
    }
    for c in &n.children {
        write_topic_node(w, c);
    }
    w.close(&n.name);
}

impl Message for EventProperties {
    fn write(&self, w: &mut Writer) {
        w.open("tev:GetEventPropertiesResponse", &[]);
        for l in &self.topic_namespace_locations {
            w.leaf("tev:TopicNamespaceLocation", l);
        }
        if let Some(f) = self.fixed_topic_set {
            w.leaf("wsnt:FixedTopicSet", if f { "true" } else { "false" });
        }
        w.open("wstop:TopicSet", &[("xmlns:wstop", WSTOP)]);
        for t in &self.topics {
            write_topic_node(w, t);
        }
        w.close("wstop:TopicSet");
        for d in &self.topic_expression_dialects {
            w.leaf("wsnt:TopicExpressionDialect", d);
        }
        for d in &self.message_content_filter_dialects {
            w.leaf("tev:MessageContentFilterDialect", d);
        }
        for d in &self.message_content_schema_locations {
            w.leaf("tev:MessageContentSchemaLocation", d);
        }
        w.close("tev:GetEventPropertiesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "GetEventPropertiesResponse")?;
        let texts = |ns: &str, name: &str| -> Vec<String> {
            el.children_named(ns, name)
                .map(|e| e.text().to_owned())
                .filter(|t| !t.is_empty())
                .collect()
        };
        Ok(EventProperties {
            topic_namespace_locations: texts(TEV, "TopicNamespaceLocation"),
            fixed_topic_set: el
                .child_text(WSNT, "FixedTopicSet")
                .and_then(|v| parse_bool("FixedTopicSet", v).ok()),
            topics: el
                .child(WSTOP, "TopicSet")
                .map(|s| s.children.iter().map(read_topic_node).collect())
                .unwrap_or_default(),
            topic_expression_dialects: texts(WSNT, "TopicExpressionDialect"),
            message_content_filter_dialects: texts(TEV, "MessageContentFilterDialect"),
            message_content_schema_locations: texts(TEV, "MessageContentSchemaLocation"),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

crate::empty_message!(
    /// `tev:GetServiceCapabilities`.
    GetServiceCapabilities, TEV, "tev", "GetServiceCapabilities"
);
event_op!(GetServiceCapabilities => ServiceCapabilities, "GetServiceCapabilities",
    action::GET_SERVICE_CAPABILITIES, idempotent = true);

/// `tev:GetServiceCapabilitiesResponse`: the attributes of `tev:Capabilities`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ServiceCapabilities {
    /// WSSubscriptionPolicySupport.
    pub ws_subscription_policy_support: Option<bool>,
    /// WSPullPointSupport.
    pub ws_pull_point_support: Option<bool>,
    /// WSPausableSubscriptionManagerInterfaceSupport.
    pub ws_pausable_subscription_manager_interface_support: Option<bool>,
    /// MaxNotificationProducers.
    pub max_notification_producers: Option<u32>,
    /// MaxPullPoints.
    pub max_pull_points: Option<u32>,
    /// PersistentNotificationStorage.
    pub persistent_notification_storage: Option<bool>,
}

impl Message for ServiceCapabilities {
    fn write(&self, w: &mut Writer) {
        let b = |v: bool| if v { "true" } else { "false" };
        let mut attrs: Vec<(&str, String)> = Vec::new();
        let flags = [
            (
                "WSSubscriptionPolicySupport",
                self.ws_subscription_policy_support,
            ),
            ("WSPullPointSupport", self.ws_pull_point_support),
            (
                "WSPausableSubscriptionManagerInterfaceSupport",
                self.ws_pausable_subscription_manager_interface_support,
            ),
            (
                "PersistentNotificationStorage",
                self.persistent_notification_storage,
            ),
        ];
        for (k, v) in flags {
            if let Some(v) = v {
                attrs.push((k, b(v).to_owned()));
            }
        }
        if let Some(n) = self.max_notification_producers {
            attrs.push(("MaxNotificationProducers", n.to_string()));
        }
        if let Some(n) = self.max_pull_points {
            attrs.push(("MaxPullPoints", n.to_string()));
        }
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        w.open("tev:GetServiceCapabilitiesResponse", &[])
            .empty("tev:Capabilities", &attrs)
            .close("tev:GetServiceCapabilitiesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "GetServiceCapabilitiesResponse")?;
        let Some(c) = el.child(TEV, "Capabilities") else {
            return Ok(ServiceCapabilities::default());
        };
        let b = |n: &str| c.attr(n).and_then(|v| parse_bool(n, v).ok());
        let u = |n: &str| c.attr(n).and_then(|v| parse_num::<u32>(n, v).ok());
        Ok(ServiceCapabilities {
            ws_subscription_policy_support: b("WSSubscriptionPolicySupport"),
            ws_pull_point_support: b("WSPullPointSupport"),
            ws_pausable_subscription_manager_interface_support: b(
                "WSPausableSubscriptionManagerInterfaceSupport",
            ),
            max_notification_producers: u("MaxNotificationProducers"),
            max_pull_points: u("MaxPullPoints"),
            persistent_notification_storage: b("PersistentNotificationStorage"),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

/// A termination time as asked: relative (`PT60S`) or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TerminationTime {
    /// An `xs:duration` from now.
    #[serde(serialize_with = "ser_dur")]
    Relative(Duration),
    /// An absolute time, in the camera's clock.
    Absolute(Timestamp),
}

fn ser_dur<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*d))
}

impl TerminationTime {
    /// As written in XML.
    pub fn to_xml_value(&self) -> String {
        match self {
            TerminationTime::Relative(d) => format_duration(*d),
            TerminationTime::Absolute(t) => fmt_ts(*t),
        }
    }

    /// Read either form; `None` when it is neither.
    pub fn parse(s: &str) -> Option<TerminationTime> {
        let s = s.trim();
        if s.starts_with(['P', 'p']) {
            parse_duration(s).map(TerminationTime::Relative)
        } else {
            parse_datetime(s).map(TerminationTime::Absolute)
        }
    }
}

/// A topic filter: a topic expression, its dialect and the namespace declarations its prefixes
/// need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicFilter {
    /// The expression (`tns1:RuleEngine//.`).
    pub expression: String,
    /// Its dialect (see [`dialect`]).
    pub dialect: String,
    /// (prefix, URI) declarations for the expression's prefixes.
    pub namespaces: Vec<(String, String)>,
}

impl TopicFilter {
    /// A concrete-set expression. `tns1` (ONVIF's topics) is declared, and `tnsaxis` when
    /// the expression uses it (Axis' namespace, as in the recorded Axis answers), so the
    /// camera can resolve them.
    pub fn concrete_set(expression: &str) -> TopicFilter {
        let mut known: Vec<(&str, &str)> = vec![("tns1", TNS1)];
        if expression.contains("tnsaxis:") {
            known.push(("tnsaxis", "http://www.axis.com/2009/event/topics"));
        }
        TopicFilter {
            expression: expression.to_owned(),
            dialect: dialect::CONCRETE_SET.to_owned(),
            namespaces: known
                .iter()
                .map(|(p, u)| ((*p).to_owned(), (*u).to_owned()))
                .collect(),
        }
    }

    /// Does a topic match this filter? Alternatives (`|`) are tried in turn; `//.` (or a
    /// trailing `//*`) matches the step and everything below it. Steps are compared by
    /// namespace (through [`TopicFilter::namespaces`]) and local name.
    pub fn matches(&self, topic: &Topic) -> bool {
        self.expression
            .split('|')
            .any(|alt| self.alternative_matches(alt.trim(), topic))
    }

    fn alternative_matches(&self, alt: &str, topic: &Topic) -> bool {
        let (base, subtree) = match alt.strip_suffix("//.").or_else(|| alt.strip_suffix("//*")) {
            Some(b) => (b, true),
            None => (alt, false),
        };
        let steps: Vec<TopicStep> = base
            .split('/')
            .filter(|s| !s.is_empty())
            // The prefix is what comes before the last colon: a step with two (no QName)
            // then has an unbound prefix and a name without a colon, which reads the same
            // once written.
            .map(|s| match s.rsplit_once(':') {
                Some((p, n)) => TopicStep {
                    unbound: false,
                    ns: self
                        .namespaces
                        .iter()
                        .rev()
                        .find(|(q, _)| q == p)
                        .map(|(_, u)| u.clone()),
                    name: n.to_owned(),
                },
                None => TopicStep {
                    unbound: false,
                    ns: None,
                    name: s.to_owned(),
                },
            })
            // `tns1:` alone names nothing (and would be an empty step once written).
            .filter(|s| !s.name.is_empty())
            .collect();
        if steps.is_empty() {
            return alt.trim() == "//." || alt.is_empty();
        }
        if steps.len() > topic.steps.len() || (!subtree && steps.len() != topic.steps.len()) {
            return false;
        }
        steps
            .iter()
            .zip(&topic.steps)
            .all(|(f, t)| f.name == t.name && (f.ns.is_none() || t.ns.is_none() || f.ns == t.ns))
    }
}

/// The declarations in scope at a topic expression for the prefixes its text uses.
fn used_prefixes(t: &Element) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for step in t.text().split(['/', '|']) {
        if let Some((p, _)) = step.trim().split_once(':')
            && !out.iter().any(|(q, _)| q == p)
            && let Some(uri) = t.lookup_prefix(p)
        {
            out.push((p.to_owned(), uri.to_owned()));
        }
    }
    out
}

/// `tev:CreatePullPointSubscription`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CreatePullPointSubscription {
    /// Topic filter, if any.
    pub filter: Option<TopicFilter>,
    /// Asked termination time.
    pub initial_termination_time: Option<TerminationTime>,
}
event_op!(CreatePullPointSubscription => CreatePullPointSubscriptionResponse,
    "CreatePullPointSubscription", action::CREATE_PULL_POINT_SUBSCRIPTION, idempotent = false);

impl Message for CreatePullPointSubscription {
    fn write(&self, w: &mut Writer) {
        w.open("tev:CreatePullPointSubscription", &[]);
        if let Some(f) = &self.filter {
            let decls: Vec<(String, &str)> = f
                .namespaces
                .iter()
                .map(|(p, u)| (format!("xmlns:{p}"), u.as_str()))
                .collect();
            let mut attrs: Vec<(&str, &str)> = vec![("Dialect", f.dialect.as_str())];
            attrs.extend(decls.iter().map(|(k, v)| (k.as_str(), *v)));
            w.open("tev:Filter", &[])
                .open("wsnt:TopicExpression", &attrs)
                .text(&f.expression)
                .close("wsnt:TopicExpression")
                .close("tev:Filter");
        }
        if let Some(t) = &self.initial_termination_time {
            w.leaf("tev:InitialTerminationTime", &t.to_xml_value());
        }
        w.close("tev:CreatePullPointSubscription");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "CreatePullPointSubscription")?;
        let filter = el
            .child(TEV, "Filter")
            .and_then(|f| f.child(WSNT, "TopicExpression"))
            .map(|t| TopicFilter {
                expression: t.text().to_owned(),
                dialect: t.attr("Dialect").unwrap_or_default().trim().to_owned(),
                namespaces: used_prefixes(t),
            });
        let initial_termination_time = match opt_text(el, TEV, "InitialTerminationTime") {
            Some(t) => Some(TerminationTime::parse(&t).ok_or_else(|| {
                Error::invalid("InitialTerminationTime", t, "neither a duration nor a time")
            })?),
            None => None,
        };
        Ok(CreatePullPointSubscription {
            filter,
            initial_termination_time,
        })
    }
}

/// A WS-Addressing endpoint reference: the address, and the reference parameters to echo as
/// SOAP headers on every request to it. Equality compares the address and the parameters'
/// trees (namespaces, names, attributes, text), not the declarations in scope.
#[derive(Debug, Clone, Eq, Serialize)]
pub struct EndpointReference {
    /// `wsa:Address`.
    pub address: String,
    /// Each child of `wsa:ReferenceParameters`, as a tree (for display).
    pub reference_parameters: Vec<Element>,
    /// The same, each written back as self-contained XML to echo verbatim as a header.
    #[serde(skip)]
    pub reference_parameters_xml: Vec<String>,
}

impl PartialEq for EndpointReference {
    fn eq(&self, other: &EndpointReference) -> bool {
        self.address == other.address
            && self.reference_parameters.len() == other.reference_parameters.len()
            && self
                .reference_parameters
                .iter()
                .zip(&other.reference_parameters)
                .all(|(a, b)| same_tree(a, b))
    }
}

/// Same namespace, name, attributes, text and children, whatever the declarations in scope.
pub fn same_tree(a: &Element, b: &Element) -> bool {
    a.ns == b.ns
        && a.name == b.name
        && a.attrs == b.attrs
        && a.text == b.text
        && a.children.len() == b.children.len()
        && a.children
            .iter()
            .zip(&b.children)
            .all(|(x, y)| same_tree(x, y))
}

impl EndpointReference {
    /// An address with reference parameters given as XML (each a self-contained element);
    /// unparsable ones are kept for echoing but not shown as trees.
    pub fn new(address: &str, parameters_xml: &[&str]) -> EndpointReference {
        EndpointReference {
            address: address.to_owned(),
            reference_parameters: parameters_xml
                .iter()
                .filter_map(|x| crate::xml::parse_str(x).ok())
                .collect(),
            reference_parameters_xml: parameters_xml.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]).leaf("wsa:Address", &self.address);
        if !self.reference_parameters_xml.is_empty() {
            w.open("wsa:ReferenceParameters", &[]);
            for p in &self.reference_parameters_xml {
                w.raw(p);
            }
            w.close("wsa:ReferenceParameters");
        }
        w.close(tag);
    }

    /// Read an endpoint reference (`wsa:` 2005 or 2004 addressing).
    pub fn read(el: &Element) -> EndpointReference {
        let addr_el = el
            .child(WSA, "Address")
            .or_else(|| el.child(crate::ns::WSA_2004, "Address"));
        let params: Vec<Element> = el
            .child(WSA, "ReferenceParameters")
            .or_else(|| el.child(crate::ns::WSA_2004, "ReferenceProperties"))
            .or_else(|| el.child(crate::ns::WSA_2004, "ReferenceParameters"))
            .map(|p| p.children.clone())
            .unwrap_or_default();
        EndpointReference {
            address: addr_el.map(|a| a.text().to_owned()).unwrap_or_default(),
            reference_parameters_xml: params.iter().map(element_to_xml).collect(),
            reference_parameters: params,
        }
    }

    /// The SOAP header blocks for a request to this endpoint: `wsa:To`, `wsa:Action`, a fresh
    /// `wsa:MessageID` and every reference parameter, echoed as given (marked
    /// `wsa:IsReferenceParameter`).
    pub fn header_xml(&self, action: &str, message_id: &str) -> String {
        let mut w = Writer::with_capacity(512);
        w.leaf("wsa:To", &self.address)
            .leaf("wsa:Action", action)
            .leaf("wsa:MessageID", message_id);
        for p in &self.reference_parameters_xml {
            w.raw(&mark_reference_parameter(p));
        }
        w.finish()
    }
}

/// A reference parameter's XML with `wsa:IsReferenceParameter="true"` added to its top
/// element (WS-Addressing 1.0, section 3.3): under a prefix of its own when the element
/// declares `wsa` itself (perhaps for another namespace); unchanged when it already has it or
/// does not start with an element.
fn mark_reference_parameter(xml: &str) -> String {
    let trimmed = xml.trim_start();
    let start = xml.len() - trimmed.len();
    let Some(rest) = trimmed.strip_prefix('<') else {
        return xml.to_owned();
    };
    if rest.starts_with(['?', '!', '/']) || xml.contains("IsReferenceParameter") {
        return xml.to_owned();
    }
    let name_len = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    if name_len == 0 || name_len == rest.len() {
        return xml.to_owned();
    }
    let at = start + 1 + name_len;
    let attr = if xml.contains("xmlns:wsa=") {
        format!(" xmlns:wsa-rp=\"{WSA}\" wsa-rp:IsReferenceParameter=\"true\"")
    } else {
        " wsa:IsReferenceParameter=\"true\"".to_owned()
    };
    format!("{}{attr}{}", &xml[..at], &xml[at..])
}

/// Write an element (and its subtree) as self-contained XML: the namespace declarations in
/// scope are repeated on it, so prefixes used in names and in QName-valued text still resolve
/// wherever it is pasted.
pub fn element_to_xml(el: &Element) -> String {
    let mut out = String::new();
    write_element(el, None, None, &mut out);
    out
}

fn prefix_for<'a>(el: &'a Element, uri: &str, allow_default: bool) -> Option<&'a str> {
    el.scope
        .iter()
        .rev()
        .find(|(p, u)| {
            u == uri && (allow_default || !p.is_empty()) && el.lookup_prefix(p) == Some(uri)
        })
        .map(|(p, _)| p.as_str())
}

/// Write `el`; `out_default` is the default namespace in effect in the output around it (which
/// differs from the element's recorded scope for trees built by hand, whose scope is empty).
fn write_element(
    el: &Element,
    parent: Option<&Element>,
    out_default: Option<&str>,
    out: &mut String,
) {
    // Declarations: all in scope at the top, then those added below it (the last of a prefix).
    let new_decls: Vec<&(String, String)> = match parent {
        None => el.scope.iter().collect(),
        Some(p) => el.scope.declared_since(&p.scope),
    };
    let mut decls: Vec<(&str, &str)> = Vec::new();
    for (p, u) in new_decls.iter().rev() {
        if !decls.iter().any(|(q, _)| *q == p.as_str()) {
            decls.push((p, u));
        }
    }
    decls.reverse();
    let mut default: Option<&str> = out_default;
    if let Some((_, u)) = decls.iter().find(|(p, _)| p.is_empty()) {
        default = Some(*u).filter(|u| !u.is_empty());
    }
    let name = match &el.ns {
        Some(uri) if default == Some(&**uri) => el.name.clone(),
        Some(uri) => match prefix_for(el, uri, false) {
            Some(p) => format!("{p}:{}", el.name),
            None => {
                decls.retain(|(p, _)| !p.is_empty());
                decls.push(("", uri));
                default = Some(uri);
                el.name.clone()
            }
        },
        None => {
            if default.is_some() {
                decls.retain(|(p, _)| !p.is_empty());
                decls.push(("", ""));
                default = None;
            }
            el.name.clone()
        }
    };
    out.push('<');
    out.push_str(&name);
    for (p, u) in &decls {
        if p.is_empty() {
            out.push_str(&format!(" xmlns=\"{}\"", escape(u)));
        } else {
            out.push_str(&format!(" xmlns:{p}=\"{}\"", escape(u)));
        }
    }
    let mut extra = 0;
    for a in &el.attrs {
        let key = match &a.ns {
            Some(uri) => match prefix_for(el, uri, false) {
                Some(p) => format!("{p}:{}", a.name),
                None => {
                    extra += 1;
                    out.push_str(&format!(" xmlns:a{extra}=\"{}\"", escape(uri)));
                    format!("a{extra}:{}", a.name)
                }
            },
            None => a.name.clone(),
        };
        out.push_str(&format!(" {key}=\"{}\"", escape(&a.value)));
    }
    if el.children.is_empty() && el.text.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    out.push_str(&escape(&el.text));
    for c in &el.children {
        write_element(c, Some(el), default, out);
    }
    out.push_str("</");
    out.push_str(&name);
    out.push('>');
}

/// `tev:CreatePullPointSubscriptionResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatePullPointSubscriptionResponse {
    /// Where the subscription is managed, with its reference parameters.
    pub subscription_reference: EndpointReference,
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    pub current_time: Option<Timestamp>,
    /// When the subscription ends unless renewed.
    #[serde(serialize_with = "ser_ts")]
    pub termination_time: Option<Timestamp>,
}

impl Message for CreatePullPointSubscriptionResponse {
    fn write(&self, w: &mut Writer) {
        w.open("tev:CreatePullPointSubscriptionResponse", &[]);
        self.subscription_reference
            .write(w, "tev:SubscriptionReference");
        if let Some(t) = self.current_time {
            w.leaf("wsnt:CurrentTime", &fmt_ts(t));
        }
        if let Some(t) = self.termination_time {
            w.leaf("wsnt:TerminationTime", &fmt_ts(t));
        }
        w.close("tev:CreatePullPointSubscriptionResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "CreatePullPointSubscriptionResponse")?;
        let r = el.child(TEV, "SubscriptionReference").ok_or_else(|| {
            Error::missing("CreatePullPointSubscriptionResponse/SubscriptionReference")
        })?;
        Ok(CreatePullPointSubscriptionResponse {
            subscription_reference: EndpointReference::read(r),
            current_time: time_child(el, WSNT, "CurrentTime"),
            termination_time: time_child(el, WSNT, "TerminationTime"),
        })
    }
}

/// `tev:PullMessages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PullMessages {
    /// How long the camera may wait for a message.
    #[serde(serialize_with = "ser_dur")]
    pub timeout: Duration,
    /// At most this many messages.
    pub message_limit: u32,
}
event_op!(PullMessages => PullMessagesResponse, "PullMessages",
    action::PULL_MESSAGES, idempotent = false);

impl Message for PullMessages {
    fn write(&self, w: &mut Writer) {
        w.open("tev:PullMessages", &[])
            .leaf("tev:Timeout", &format_duration(self.timeout))
            .leaf("tev:MessageLimit", &self.message_limit.to_string())
            .close("tev:PullMessages");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "PullMessages")?;
        let t = crate::ops::req_text(el, TEV, "Timeout")?;
        let timeout =
            parse_duration(t).ok_or_else(|| Error::invalid("Timeout", t, "not a duration"))?;
        let message_limit = parse_num(
            "MessageLimit",
            crate::ops::req_text(el, TEV, "MessageLimit")?,
        )?;
        Ok(PullMessages {
            timeout,
            message_limit,
        })
    }
}

/// `tev:PullMessagesResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullMessagesResponse {
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    pub current_time: Option<Timestamp>,
    /// When the subscription ends unless renewed.
    #[serde(serialize_with = "ser_ts")]
    pub termination_time: Option<Timestamp>,
    /// The messages, in order.
    pub messages: Vec<NotificationMessage>,
}

impl Message for PullMessagesResponse {
    fn write(&self, w: &mut Writer) {
        w.open("tev:PullMessagesResponse", &[]);
        if let Some(t) = self.current_time {
            w.leaf("tev:CurrentTime", &fmt_ts(t));
        }
        if let Some(t) = self.termination_time {
            w.leaf("tev:TerminationTime", &fmt_ts(t));
        }
        for m in &self.messages {
            m.write(w);
        }
        w.close("tev:PullMessagesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "PullMessagesResponse")?;
        Ok(PullMessagesResponse {
            current_time: time_child(el, TEV, "CurrentTime"),
            termination_time: time_child(el, TEV, "TerminationTime"),
            messages: el
                .children_named(WSNT, "NotificationMessage")
                .map(NotificationMessage::read)
                .collect(),
        })
    }
}

/// `wsnt:Renew`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Renew {
    /// The new termination time.
    pub termination_time: TerminationTime,
}
event_op!(Renew => RenewResponse, "Renew", action::RENEW, idempotent = true);

impl Message for Renew {
    fn write(&self, w: &mut Writer) {
        w.open("wsnt:Renew", &[])
            .leaf(
                "wsnt:TerminationTime",
                &self.termination_time.to_xml_value(),
            )
            .close("wsnt:Renew");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, WSNT, "Renew")?;
        let t = crate::ops::req_text(el, WSNT, "TerminationTime")?;
        Ok(Renew {
            termination_time: TerminationTime::parse(t).ok_or_else(|| {
                Error::invalid("TerminationTime", t, "neither a duration nor a time")
            })?,
        })
    }
}

/// `wsnt:RenewResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RenewResponse {
    /// The granted termination time.
    #[serde(serialize_with = "ser_ts")]
    pub termination_time: Option<Timestamp>,
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    pub current_time: Option<Timestamp>,
}

impl Message for RenewResponse {
    fn write(&self, w: &mut Writer) {
        w.open("wsnt:RenewResponse", &[]);
        if let Some(t) = self.termination_time {
            w.leaf("wsnt:TerminationTime", &fmt_ts(t));
        }
        if let Some(t) = self.current_time {
            w.leaf("wsnt:CurrentTime", &fmt_ts(t));
        }
        w.close("wsnt:RenewResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, WSNT, "RenewResponse")?;
        Ok(RenewResponse {
            termination_time: time_child(el, WSNT, "TerminationTime"),
            current_time: time_child(el, WSNT, "CurrentTime"),
        })
    }
}

/// `wsnt:Subscribe`: push notifications to a consumer address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscribe {
    /// Where the camera POSTs `Notify`.
    pub consumer: String,
    /// Topic filter, if any.
    pub filter: Option<TopicFilter>,
    /// Asked termination time.
    pub initial_termination_time: Option<TerminationTime>,
}
event_op!(Subscribe => SubscribeResponse, "Subscribe", action::SUBSCRIBE, idempotent = false);

fn write_filter(w: &mut Writer, tag: &str, f: &TopicFilter) {
    let decls: Vec<(String, &str)> = f
        .namespaces
        .iter()
        .map(|(p, u)| (format!("xmlns:{p}"), u.as_str()))
        .collect();
    let mut attrs: Vec<(&str, &str)> = vec![("Dialect", f.dialect.as_str())];
    attrs.extend(decls.iter().map(|(k, v)| (k.as_str(), *v)));
    w.open(tag, &[])
        .open("wsnt:TopicExpression", &attrs)
        .text(&f.expression)
        .close("wsnt:TopicExpression")
        .close(tag);
}

fn read_filter(el: &Element, ns: &str) -> Option<TopicFilter> {
    el.child(ns, "Filter")
        .and_then(|f| f.child(WSNT, "TopicExpression"))
        .map(|t| TopicFilter {
            expression: t.text().to_owned(),
            dialect: t.attr("Dialect").unwrap_or_default().trim().to_owned(),
            namespaces: used_prefixes(t),
        })
}

fn read_termination(el: &Element, ns: &str) -> Result<Option<TerminationTime>, Error> {
    match opt_text(el, ns, "InitialTerminationTime") {
        Some(t) => Ok(Some(TerminationTime::parse(&t).ok_or_else(|| {
            Error::invalid("InitialTerminationTime", t, "neither a duration nor a time")
        })?)),
        None => Ok(None),
    }
}

impl Message for Subscribe {
    fn write(&self, w: &mut Writer) {
        w.open("wsnt:Subscribe", &[])
            .open("wsnt:ConsumerReference", &[])
            .leaf("wsa:Address", &self.consumer)
            .close("wsnt:ConsumerReference");
        if let Some(f) = &self.filter {
            write_filter(w, "wsnt:Filter", f);
        }
        if let Some(t) = &self.initial_termination_time {
            w.leaf("wsnt:InitialTerminationTime", &t.to_xml_value());
        }
        w.close("wsnt:Subscribe");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, WSNT, "Subscribe")?;
        let consumer = el
            .child(WSNT, "ConsumerReference")
            .map(EndpointReference::read)
            .map(|r| r.address)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| Error::missing("Subscribe/ConsumerReference/Address"))?;
        Ok(Subscribe {
            consumer,
            filter: read_filter(el, WSNT),
            initial_termination_time: read_termination(el, WSNT)?,
        })
    }
}

/// `wsnt:SubscribeResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscribeResponse {
    /// Where the subscription is managed, with its reference parameters.
    pub subscription_reference: EndpointReference,
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    pub current_time: Option<Timestamp>,
    /// When the subscription ends unless renewed.
    #[serde(serialize_with = "ser_ts")]
    pub termination_time: Option<Timestamp>,
}

impl Message for SubscribeResponse {
    fn write(&self, w: &mut Writer) {
        w.open("wsnt:SubscribeResponse", &[]);
        self.subscription_reference
            .write(w, "wsnt:SubscriptionReference");
        if let Some(t) = self.current_time {
            w.leaf("wsnt:CurrentTime", &fmt_ts(t));
        }
        if let Some(t) = self.termination_time {
            w.leaf("wsnt:TerminationTime", &fmt_ts(t));
        }
        w.close("wsnt:SubscribeResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, WSNT, "SubscribeResponse")?;
        let r = el
            .child(WSNT, "SubscriptionReference")
            .ok_or_else(|| Error::missing("SubscribeResponse/SubscriptionReference"))?;
        Ok(SubscribeResponse {
            subscription_reference: EndpointReference::read(r),
            current_time: time_child(el, WSNT, "CurrentTime"),
            termination_time: time_child(el, WSNT, "TerminationTime"),
        })
    }
}

crate::empty_message!(
    /// `wsnt:Unsubscribe`.
    Unsubscribe, WSNT, "wsnt", "Unsubscribe"
);
crate::empty_message!(
    /// `wsnt:UnsubscribeResponse`.
    UnsubscribeResponse, WSNT, "wsnt", "UnsubscribeResponse"
);
event_op!(Unsubscribe => UnsubscribeResponse, "Unsubscribe", action::UNSUBSCRIBE, idempotent = true);

crate::empty_message!(
    /// `tev:SetSynchronizationPoint`.
    SetSynchronizationPoint, TEV, "tev", "SetSynchronizationPoint"
);
crate::empty_message!(
    /// `tev:SetSynchronizationPointResponse`.
    SetSynchronizationPointResponse, TEV, "tev", "SetSynchronizationPointResponse"
);
event_op!(SetSynchronizationPoint => SetSynchronizationPointResponse, "SetSynchronizationPoint",
    action::SET_SYNCHRONIZATION_POINT, idempotent = true);

/// `tev:Seek`: rewind (or, with `reverse`, run backwards from) the messages of a pull point to
/// `utc_time`, where the camera stores them (`PersistentNotificationStorage`). Sent to the
/// subscription's address, like PullMessages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seek {
    /// Where to seek to.
    #[serde(serialize_with = "ser_ts_req")]
    pub utc_time: Timestamp,
    /// Deliver messages backwards in time from `utc_time`.
    pub reverse: Option<bool>,
}
event_op!(Seek => SeekResponse, "Seek", action::SEEK, idempotent = true);

fn ser_ts_req<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_ts(*t))
}

impl Message for Seek {
    fn write(&self, w: &mut Writer) {
        w.open("tev:Seek", &[])
            .leaf("tev:UtcTime", &fmt_ts(self.utc_time));
        if let Some(r) = self.reverse {
            w.leaf("tev:Reverse", if r { "true" } else { "false" });
        }
        w.close("tev:Seek");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "Seek")?;
        let t = crate::ops::req_text(el, TEV, "UtcTime")?;
        let utc_time =
            parse_datetime(t).ok_or_else(|| Error::invalid("UtcTime", t, "not a date-time"))?;
        let reverse = el
            .child_text(TEV, "Reverse")
            .map(|v| crate::ops::parse_bool("Reverse", v))
            .transpose()?;
        Ok(Seek { utc_time, reverse })
    }
}

crate::empty_message!(
    /// `tev:SeekResponse`.
    SeekResponse, TEV, "tev", "SeekResponse"
);

/// `wsnt:Notify`, as a camera POSTs it to a push consumer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notify {
    /// The messages, in order.
    pub messages: Vec<NotificationMessage>,
}

impl Message for Notify {
    fn write(&self, w: &mut Writer) {
        w.open("wsnt:Notify", &[]);
        for m in &self.messages {
            m.write(w);
        }
        w.close("wsnt:Notify");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, WSNT, "Notify")?;
        Ok(Notify {
            messages: el
                .children_named(WSNT, "NotificationMessage")
                .map(NotificationMessage::read)
                .collect(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Notification messages

/// One step of a topic path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicStep {
    /// Namespace of the step's prefix (`None` when unprefixed or unbound).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// The step's prefix is declared nowhere (a camera's mistake): its namespace is unknown,
    /// so it matches no rule or tree entry that names one, and later unprefixed steps do not
    /// take the namespace of the steps before it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unbound: bool,
}

/// The namespace step `i` belongs to: its own, or for an unprefixed step (a child topic, as
/// WS-Topics writes them) that of the closest step before it that has one.
pub fn effective_ns(steps: &[TopicStep], i: usize) -> Option<&str> {
    effective_namespaces(steps.get(..=i).unwrap_or(steps))
        .pop()
        .flatten()
}

/// [`effective_ns`] of every step, in one pass (comparing step by step with `effective_ns`
/// would cost the square of a topic's length, and a camera chooses that length).
pub fn effective_namespaces(steps: &[TopicStep]) -> Vec<Option<&str>> {
    let mut current: Option<&str> = None;
    steps
        .iter()
        .map(|s| {
            if s.ns.is_some() || s.unbound {
                current = s.ns.as_deref();
            }
            current
        })
        .collect()
}

/// A message's topic, resolved by namespace. Two topics are equal when their steps (namespace
/// and name) and dialect are, whatever prefixes they were written with.
#[derive(Debug, Clone, Eq, Serialize)]
pub struct Topic {
    /// Prefix-free path (`RuleEngine/CellMotionDetector/Motion`).
    pub path: String,
    /// Namespace of the first step (`http://www.onvif.org/ver10/topics` for `tns1:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Every step with its own namespace (`None` for unprefixed steps), so a vendor step
    /// such as `tnshik:AlarmIn` under `tns1:Device/Trigger` keeps its namespace.
    pub steps: Vec<TopicStep>,
    /// The text as sent.
    #[serde(skip)]
    pub raw: String,
    /// The dialect as sent (trimmed).
    #[serde(skip)]
    pub dialect: String,
}

impl PartialEq for Topic {
    fn eq(&self, other: &Topic) -> bool {
        self.dialect == other.dialect
            && self.steps.len() == other.steps.len()
            && self
                .steps
                .iter()
                .zip(&other.steps)
                .all(|(a, b)| a.name == b.name && a.unbound == b.unbound)
            && effective_namespaces(&self.steps) == effective_namespaces(&other.steps)
    }
}

impl Topic {
    /// Resolve a topic expression's text against the declarations in scope at `el`. Trailing
    /// `//.`, `/` and whitespace are dropped; steps with unbound prefixes keep their name.
    pub fn resolve(el: &Element, text: &str) -> Topic {
        let raw = text.trim();
        let mut t = raw;
        loop {
            let before = t;
            t = t.trim_end();
            t = t.strip_suffix("//.").unwrap_or(t);
            t = t.strip_suffix("//*").unwrap_or(t);
            t = t.trim_end_matches('/');
            if t == before {
                break;
            }
        }
        let steps: Vec<TopicStep> = t
            .split('/')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != ".")
            // The prefix is what comes before the last colon: a step with two (no QName)
            // then has an unbound prefix and a name without a colon, which reads the same
            // once written.
            .map(|s| match s.rsplit_once(':') {
                Some((p, n)) => TopicStep {
                    unbound: el.lookup_prefix(p).is_none(),
                    ns: el.lookup_prefix(p).map(str::to_owned),
                    name: n.to_owned(),
                },
                None => TopicStep {
                    unbound: false,
                    ns: None,
                    name: s.to_owned(),
                },
            })
            // `tns1:` alone names nothing (and would be an empty step once written).
            .filter(|s| !s.name.is_empty())
            .collect();
        Topic {
            path: steps
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join("/"),
            ns: steps.first().and_then(|s| s.ns.clone()),
            steps,
            raw: raw.to_owned(),
            dialect: el.attr("Dialect").unwrap_or_default().trim().to_owned(),
        }
    }

    /// A topic in the ONVIF namespace (`tns1:`) from a prefix-free path.
    pub fn onvif(path: &str) -> Topic {
        let steps: Vec<TopicStep> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, s)| TopicStep {
                unbound: false,
                ns: (i == 0).then(|| TNS1.to_owned()),
                name: s.to_owned(),
            })
            .collect();
        Topic {
            path: path.to_owned(),
            ns: Some(TNS1.to_owned()),
            raw: format!("tns1:{path}"),
            steps,
            dialect: dialect::CONCRETE_SET.to_owned(),
        }
    }

    /// Is this the ONVIF topic with this prefix-free path?
    pub fn is_onvif(&self, path: &str) -> bool {
        self.ns.as_deref() == Some(TNS1) && self.path == path
    }

    /// The path for people: step names joined by `/`, a step whose namespace differs from the
    /// first step's written `{uri}Name` (`Device/Trigger/{http://www.hikvision.com/2011/event/topics}AlarmIn`),
    /// the form a kind rule accepts.
    pub fn display_path(&self) -> String {
        let first = self.steps.first().and_then(|s| s.ns.as_deref());
        self.steps
            .iter()
            .enumerate()
            .map(|(i, s)| match s.ns.as_deref() {
                Some(ns) if i > 0 && Some(ns) != first => format!("{{{ns}}}{}", s.name),
                _ => s.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// `PropertyOperation` of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PropertyOperation {
    /// The current state, sent at subscription or synchronisation point.
    Initialized,
    /// A change.
    Changed,
    /// The property is gone.
    Deleted,
}

impl PropertyOperation {
    /// As written in XML.
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyOperation::Initialized => "Initialized",
            PropertyOperation::Changed => "Changed",
            PropertyOperation::Deleted => "Deleted",
        }
    }

    /// Read leniently (any case); `None` for anything else.
    pub fn parse(s: &str) -> Option<PropertyOperation> {
        let s = s.trim();
        [
            PropertyOperation::Initialized,
            PropertyOperation::Changed,
            PropertyOperation::Deleted,
        ]
        .into_iter()
        .find(|p| p.as_str().eq_ignore_ascii_case(s))
    }
}

/// A `tt:SimpleItem`: name and value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimpleItem {
    /// Item name.
    pub name: String,
    /// Item value.
    pub value: String,
}

impl SimpleItem {
    /// A name and value.
    pub fn new(name: &str, value: &str) -> SimpleItem {
        SimpleItem {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }
}

/// A `tt:ElementItem`: a name and one XML element of any namespace, kept as a tree (namespaces,
/// attributes, text, children). Equality compares the trees, not the declarations in scope.
#[derive(Debug, Clone, Eq, Serialize)]
pub struct ElementItem {
    /// Item name (`Link`).
    pub name: String,
    /// The element it holds; `None` when the camera sent an empty `tt:ElementItem`.
    pub element: Option<Element>,
}

impl PartialEq for ElementItem {
    fn eq(&self, other: &ElementItem) -> bool {
        self.name == other.name
            && match (&self.element, &other.element) {
                (Some(a), Some(b)) => same_tree(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl ElementItem {
    /// A name and an element.
    pub fn new(name: &str, element: Element) -> ElementItem {
        ElementItem {
            name: name.to_owned(),
            element: Some(element),
        }
    }

    /// The text of the descendant `{ns}name` (the first, depth first).
    pub fn text_of(&self, ns: &str, name: &str) -> Option<&str> {
        let e = self.element.as_ref()?;
        if e.is(ns, name) {
            return Some(e.text());
        }
        e.descendants()
            .into_iter()
            .find(|d| d.is(ns, name))
            .map(Element::text)
    }
}

/// The `tt:Message` inside a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventMessage {
    /// `UtcTime`, read leniently (none for `0000-00-00...`).
    #[serde(serialize_with = "ser_ts")]
    pub utc_time: Option<Timestamp>,
    /// `PropertyOperation`, when given.
    pub property_operation: Option<PropertyOperation>,
    /// Source items.
    pub source: Vec<SimpleItem>,
    /// Key items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<SimpleItem>,
    /// Data items.
    pub data: Vec<SimpleItem>,
    /// Source element items (`tt:ElementItem`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_elements: Vec<ElementItem>,
    /// Key element items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_elements: Vec<ElementItem>,
    /// Data element items (`Link` of `tns1:Monitoring/LinkStatus`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_elements: Vec<ElementItem>,
}

impl EventMessage {
    /// Read a `tt:Message` (leniently; `None` gives a message without items).
    pub fn read_opt(m: Option<&Element>) -> EventMessage {
        EventMessage {
            utc_time: m.and_then(|m| m.attr("UtcTime")).and_then(parse_datetime),
            property_operation: m
                .and_then(|m| m.attr("PropertyOperation"))
                .and_then(PropertyOperation::parse),
            source: read_simple_items(m.and_then(|m| m.child(TT, "Source"))),
            key: read_simple_items(m.and_then(|m| m.child(TT, "Key"))),
            data: read_simple_items(m.and_then(|m| m.child(TT, "Data"))),
            source_elements: read_element_items(m.and_then(|m| m.child(TT, "Source"))),
            key_elements: read_element_items(m.and_then(|m| m.child(TT, "Key"))),
            data_elements: read_element_items(m.and_then(|m| m.child(TT, "Data"))),
        }
    }

    /// Write it as `tt:Message`.
    pub fn write(&self, w: &mut Writer) {
        let time = self.utc_time.map(fmt_ts);
        let mut mattrs: Vec<(&str, &str)> = Vec::new();
        if let Some(t) = &time {
            mattrs.push(("UtcTime", t));
        }
        if let Some(op) = self.property_operation {
            mattrs.push(("PropertyOperation", op.as_str()));
        }
        w.open("tt:Message", &mattrs);
        write_items_of(w, "tt:Source", &self.source, &self.source_elements);
        write_items_of(w, "tt:Key", &self.key, &self.key_elements);
        write_items_of(w, "tt:Data", &self.data, &self.data_elements);
        w.close("tt:Message");
    }
}

/// `wsnt:GetCurrentMessage`: the last message on one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetCurrentMessage {
    /// The topic (a concrete topic, not a pattern).
    pub topic: TopicFilter,
}
event_op!(GetCurrentMessage => CurrentMessage, "GetCurrentMessage",
    action::GET_CURRENT_MESSAGE, idempotent = true);

impl Message for GetCurrentMessage {
    fn write(&self, w: &mut Writer) {
        let decls: Vec<(String, &str)> = self
            .topic
            .namespaces
            .iter()
            .map(|(p, u)| (format!("xmlns:{p}"), u.as_str()))
            .collect();
        let mut attrs: Vec<(&str, &str)> = vec![("Dialect", self.topic.dialect.as_str())];
        attrs.extend(decls.iter().map(|(k, v)| (k.as_str(), *v)));
        w.open("wsnt:GetCurrentMessage", &[])
            .open("wsnt:Topic", &attrs)
            .text(&self.topic.expression)
            .close("wsnt:Topic")
            .close("wsnt:GetCurrentMessage");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, WSNT, "GetCurrentMessage")?;
        let t = el
            .child(WSNT, "Topic")
            .ok_or_else(|| Error::missing("GetCurrentMessage/Topic"))?;
        Ok(GetCurrentMessage {
            topic: TopicFilter {
                expression: t.text().to_owned(),
                dialect: t.attr("Dialect").unwrap_or_default().trim().to_owned(),
                namespaces: used_prefixes(t),
            },
        })
    }
}

/// `wsnt:GetCurrentMessageResponse`: the message, when the camera has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrentMessage {
    /// The `tt:Message` it holds.
    pub message: Option<EventMessage>,
}

impl Message for CurrentMessage {
    fn write(&self, w: &mut Writer) {
        w.open("wsnt:GetCurrentMessageResponse", &[]);
        if let Some(m) = &self.message {
            m.write(w);
        }
        w.close("wsnt:GetCurrentMessageResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, WSNT, "GetCurrentMessageResponse")?;
        Ok(CurrentMessage {
            message: el
                .child(TT, "Message")
                .map(|m| EventMessage::read_opt(Some(m))),
        })
    }
}

fn read_simple_items(el: Option<&Element>) -> Vec<SimpleItem> {
    el.map(|e| {
        e.children_named(TT, "SimpleItem")
            .filter_map(|i| {
                Some(SimpleItem {
                    name: i.attr("Name")?.to_owned(),
                    value: i.attr("Value").unwrap_or_default().to_owned(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The `tt:ElementItem`s of an item list: each with a name, and its first child element (the
/// schema allows exactly one; text or further children of a malformed item are not kept).
fn read_element_items(el: Option<&Element>) -> Vec<ElementItem> {
    el.map(|e| {
        e.children_named(TT, "ElementItem")
            .filter_map(|i| {
                Some(ElementItem {
                    name: i.attr("Name")?.to_owned(),
                    element: i.first_child().cloned(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

/// An item list: the simple items, then the element items (the schema's order), each element
/// written self-contained (its namespaces declared on it).
fn write_items_of(w: &mut Writer, tag: &str, items: &[SimpleItem], elements: &[ElementItem]) {
    if items.is_empty() && elements.is_empty() {
        return;
    }
    w.open(tag, &[]);
    for i in items {
        w.empty("tt:SimpleItem", &[("Name", &i.name), ("Value", &i.value)]);
    }
    for i in elements {
        match &i.element {
            Some(e) => {
                w.open("tt:ElementItem", &[("Name", &i.name)])
                    .raw(&element_to_xml(e))
                    .close("tt:ElementItem");
            }
            None => {
                w.empty("tt:ElementItem", &[("Name", &i.name)]);
            }
        }
    }
    w.close(tag);
}

/// A `wsnt:NotificationMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationMessage {
    /// The topic.
    pub topic: Topic,
    /// The subscription's address, when the message names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_address: Option<String>,
    /// The producer's address, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub producer_address: Option<String>,
    /// The message.
    pub message: EventMessage,
}

impl NotificationMessage {
    /// A property message on an ONVIF (`tns1:`) topic.
    pub fn onvif(
        path: &str,
        utc_time: Timestamp,
        op: PropertyOperation,
        source: Vec<SimpleItem>,
        data: Vec<SimpleItem>,
    ) -> NotificationMessage {
        NotificationMessage {
            topic: Topic::onvif(path),
            subscription_address: None,
            producer_address: None,
            message: EventMessage {
                utc_time: Some(utc_time),
                property_operation: Some(op),
                source,
                key: Vec::new(),
                data,
                source_elements: Vec::new(),
                key_elements: Vec::new(),
                data_elements: Vec::new(),
            },
        }
    }

    /// Read one (leniently: a message without `tt:Message` has no items).
    pub fn read(el: &Element) -> NotificationMessage {
        let topic = el
            .child(WSNT, "Topic")
            .map(|t| Topic::resolve(t, &t.text))
            .unwrap_or_else(|| Topic::resolve(el, ""));
        let m = el
            .child(WSNT, "Message")
            .and_then(|m| m.child(TT, "Message"));
        let message = EventMessage::read_opt(m);
        let addr = |name: &str| {
            el.child(WSNT, name)
                .map(EndpointReference::read)
                .map(|r| r.address)
                .filter(|a| !a.is_empty())
        };
        NotificationMessage {
            topic,
            subscription_address: addr("SubscriptionReference"),
            producer_address: addr("ProducerReference"),
            message,
        }
    }

    /// Write it; the topic's steps are written with prefixes declared on the Topic element.
    pub fn write(&self, w: &mut Writer) {
        w.open("wsnt:NotificationMessage", &[]);
        if let Some(a) = &self.subscription_address {
            w.open("wsnt:SubscriptionReference", &[])
                .leaf("wsa:Address", a)
                .close("wsnt:SubscriptionReference");
        }
        let mut decls: Vec<(String, String)> = Vec::new();
        let mut text = Vec::new();
        for s in &self.topic.steps {
            match &s.ns {
                Some(uri) => {
                    let p = match decls.iter().position(|(_, u)| u == uri) {
                        Some(i) => format!("tp{i}"),
                        None => {
                            decls.push((format!("xmlns:tp{}", decls.len()), uri.clone()));
                            format!("tp{}", decls.len() - 1)
                        }
                    };
                    text.push(format!("{p}:{}", s.name));
                }
                // A step whose prefix the camera never declared stays that way: written
                // bare, it would take the namespace of the steps before it.
                None if s.unbound => text.push(format!("undeclared:{}", s.name)),
                None => text.push(s.name.clone()),
            }
        }
        let dialect = if self.topic.dialect.is_empty() {
            dialect::CONCRETE_SET
        } else {
            self.topic.dialect.as_str()
        };
        let mut attrs: Vec<(&str, &str)> = vec![("Dialect", dialect)];
        attrs.extend(decls.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        w.open("wsnt:Topic", &attrs)
            .text(&text.join("/"))
            .close("wsnt:Topic");
        if let Some(a) = &self.producer_address {
            w.open("wsnt:ProducerReference", &[])
                .leaf("wsa:Address", a)
                .close("wsnt:ProducerReference");
        }
        w.open("wsnt:Message", &[]);
        self.message.write(w);
        w.close("wsnt:Message");
        w.close("wsnt:NotificationMessage");
    }

    /// The data item of this name.
    pub fn data_item(&self, name: &str) -> Option<&str> {
        self.message
            .data
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.value.as_str())
    }

    /// The data element item of this name.
    pub fn data_element(&self, name: &str) -> Option<&ElementItem> {
        self.message.data_elements.iter().find(|i| i.name == name)
    }
}

// ---------------------------------------------------------------------------------------------
// Normalised kinds

/// One rule of the kind table: a topic pattern and a data item name give a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindRule {
    /// Consecutive steps that must appear in the topic, `/`-separated, names compared without
    /// case (`CellMotionDetector/Motion`); `*` for any topic. A step may name its namespace,
    /// `{uri}Name` or `prefix:Name` (see [`KindTable::parse`]): it then matches only a topic
    /// step in that namespace (its own, or for an unprefixed step the one it inherits, see
    /// [`effective_ns`]). As written.
    pub topic: String,
    /// The topic pattern's steps, namespaces resolved (`None`: any namespace).
    #[serde(skip)]
    pub pattern: Vec<TopicStep>,
    /// The data item whose value is the state (`IsMotion`); `*` for any or none.
    pub item: String,
    /// The normalised kind (`motion`).
    pub kind: String,
}

/// What kind of event a message is, and its state when the item is a boolean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventKind {
    /// The normalised kind.
    pub kind: String,
    /// The state (`true` when motion starts), when the item is boolean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// The seed table: `topic-pattern item kind`, one rule a line (`#` starts a comment). The
/// same format is read by [`KindTable::parse`], for rules a user adds, which may also declare
/// prefixes for namespaced steps (`xmlns:tnshik http://www.hikvision.com/2011/event/topics`).
pub const DEFAULT_KIND_RULES: &str = "\
# ONVIF standard topics
RuleEngine/CellMotionDetector/Motion          IsMotion        motion
VideoSource/MotionAlarm                       State           motion
RuleEngine/TamperDetector/Tamper              IsTamper        tamper
VideoSource/GlobalSceneChange                 State           tamper
RuleEngine/LineDetector/Crossed               *               line-crossing
RuleEngine/FieldDetector/ObjectsInside        IsInside        intrusion
Device/Trigger/DigitalInput                   LogicalState    digital-input
Device/Trigger/Relay                          LogicalState    relay
Device/IO/VirtualPort                         State           digital-input
AudioAnalytics/Audio/DetectedSound            IsSoundDetected sound
# TP-Link Tapo (names vary with the firmware)
RuleEngine/PeopleDetector/People              IsPeople        person
RuleEngine/CellMotionDetector/People          IsPeople        person
RuleEngine/VehicleDetector/Vehicle            IsVehicle       vehicle
RuleEngine/TPSmartEventDetector/TPSmartEvent  IsVehicle       vehicle
RuleEngine/TPSmartEventDetector/TPSmartEvent  IsPeople        person
RuleEngine/TPSmartEventDetector/TPSmartEvent  IsPet           pet
RuleEngine/LineCrossDetector/LineCross        IsLineCross     line-crossing
RuleEngine/CellMotionDetector/LineCross       *               line-crossing
RuleEngine/IntrusionDetector/Intrusion        IsIntrusion     intrusion
RuleEngine/CellMotionDetector/Intrusion       *               intrusion
# Hikvision
RuleEngine/MyRuleDetector/PeopleDetect        IsPeople        person
RuleEngine/MyRuleDetector/VehicleDetect       IsVehicle       vehicle
RuleEngine/MyRuleDetector/LineDetect          *               line-crossing
RuleEngine/MyRuleDetector/FieldDetect         *               intrusion
# Axis
VideoAnalytics/MotionDetection                motion          motion
Device/IO/Port                                state           digital-input
VideoSource/Tampering                         *               tamper
# Any topic: the item names alone
*                                             IsMotion        motion
*                                             IsPeople        person
*                                             IsVehicle       vehicle
*                                             IsPet           pet
*                                             IsTamper        tamper
*                                             IsLineCross     line-crossing
*                                             IsIntrusion     intrusion
";

/// The table that gives events their normalised kind. First matching rule wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindTable {
    /// The rules, tried in order.
    pub rules: Vec<KindRule>,
}

impl Default for KindTable {
    fn default() -> Self {
        // The seed table is well-formed (a unit test checks it).
        KindTable::parse(DEFAULT_KIND_RULES).unwrap_or(KindTable { rules: Vec::new() })
    }
}

/// The prefix every kind table knows without a declaration.
const KIND_PREFIXES: &[(&str, &str)] = &[("tns1", TNS1)];

/// A line with its comment removed: `#` starts a comment, except inside a `{uri}` and, on an
/// `xmlns:` line, within the URI (where it starts one only after whitespace).
fn strip_comment(line: &str) -> &str {
    let decl = line.trim_start().starts_with("xmlns:");
    let mut depth = 0usize;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '#' if depth == 0 && (!decl || prev_space) => return &line[..i],
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    line
}

/// Split a topic pattern on the `/` outside `{...}`.
fn split_pattern(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in pattern.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => {
                out.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&pattern[start..]);
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

impl KindTable {
    /// Read rules, one per line: `topic-pattern item kind`. Blank lines and `#` comments are
    /// skipped; a line `xmlns:PREFIX URI` declares a prefix for the pattern steps of the whole
    /// file (`tns1` is known). A pattern step is `Name` (any namespace), `{uri}Name` or
    /// `PREFIX:Name`. A line with another number of fields, an unclosed `{`, or an undeclared
    /// prefix is an error naming it.
    pub fn parse(text: &str) -> Result<KindTable, Error> {
        let mut prefixes: Vec<(String, String)> = KIND_PREFIXES
            .iter()
            .map(|(p, u)| ((*p).to_owned(), (*u).to_owned()))
            .collect();
        let mut lines = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = strip_comment(line).trim();
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            if let Some(prefix) = f[0].strip_prefix("xmlns:") {
                let [_, uri] = f.as_slice() else {
                    return Err(Error::invalid(
                        format!("kind rule on line {}", i + 1),
                        line,
                        "expected `xmlns:PREFIX URI`",
                    ));
                };
                if prefix.is_empty() || prefix.contains(['{', '}', '/']) {
                    return Err(Error::invalid(
                        format!("kind rule on line {}", i + 1),
                        line,
                        "expected a prefix after `xmlns:`",
                    ));
                }
                prefixes.push((prefix.to_owned(), (*uri).to_owned()));
                continue;
            }
            lines.push((i, line, f));
        }
        let mut rules = Vec::new();
        for (i, line, f) in lines {
            let where_ = || format!("kind rule on line {}", i + 1);
            let [topic, item, kind] = f.as_slice() else {
                return Err(Error::invalid(
                    where_(),
                    line,
                    "expected `topic-pattern item kind` (or `xmlns:PREFIX URI`)",
                ));
            };
            let mut pattern = Vec::new();
            if *topic != "*" {
                for step in split_pattern(topic) {
                    let parsed = if let Some(rest) = step.strip_prefix('{') {
                        let Some((uri, name)) = rest.split_once('}') else {
                            return Err(Error::invalid(where_(), line, "a `{` is not closed"));
                        };
                        TopicStep {
                            unbound: false,
                            ns: Some(uri.to_owned()),
                            name: name.to_owned(),
                        }
                    } else if let Some((p, name)) = step.split_once(':') {
                        let Some((_, uri)) = prefixes.iter().rev().find(|(q, _)| q == p) else {
                            return Err(Error::invalid(
                                where_(),
                                line,
                                format!(
                                    "the prefix `{p}` is not declared (add a line `xmlns:{p} URI`)"
                                ),
                            ));
                        };
                        TopicStep {
                            unbound: false,
                            ns: Some(uri.clone()),
                            name: name.to_owned(),
                        }
                    } else {
                        TopicStep {
                            unbound: false,
                            ns: None,
                            name: step.to_owned(),
                        }
                    };
                    if parsed.name.is_empty() || parsed.name.contains(['{', '}']) {
                        return Err(Error::invalid(
                            where_(),
                            line,
                            format!("bad topic step `{step}`"),
                        ));
                    }
                    pattern.push(parsed);
                }
            }
            rules.push(KindRule {
                topic: (*topic).to_owned(),
                pattern,
                item: (*item).to_owned(),
                kind: (*kind).to_owned(),
            });
        }
        Ok(KindTable { rules })
    }

    /// Add rules read from `text` in front of the current ones (so they take precedence).
    pub fn extend_front(&mut self, text: &str) -> Result<(), Error> {
        let mut more = KindTable::parse(text)?;
        more.rules.append(&mut self.rules);
        self.rules = more.rules;
        Ok(())
    }

    /// The kind of a message, if a rule matches.
    pub fn classify(&self, m: &NotificationMessage) -> Option<EventKind> {
        let steps = &m.topic.steps;
        let namespaces = effective_namespaces(steps);
        self.rules.iter().find_map(|r| {
            let pat = &r.pattern;
            let found = r.topic == "*"
                || !pat.is_empty()
                    && pat.len() <= steps.len()
                    && (0..=steps.len() - pat.len()).any(|at| {
                        pat.iter().enumerate().all(|(j, p)| {
                            p.name.eq_ignore_ascii_case(&steps[at + j].name)
                                && p.ns
                                    .as_deref()
                                    .is_none_or(|ns| namespaces[at + j] == Some(ns))
                        })
                    });
            if !found {
                return None;
            }
            if r.item == "*" {
                let active = m
                    .message
                    .data
                    .iter()
                    .find_map(|i| parse_bool(&i.name, &i.value).ok());
                return Some(EventKind {
                    kind: r.kind.clone(),
                    active,
                });
            }
            match m
                .message
                .data
                .iter()
                .find(|i| i.name.eq_ignore_ascii_case(&r.item))
            {
                Some(item) => Some(EventKind {
                    kind: r.kind.clone(),
                    active: parse_bool(&item.name, &item.value).ok(),
                }),
                // An element item has no boolean state of its own.
                None => m
                    .message
                    .data_elements
                    .iter()
                    .any(|i| i.name.eq_ignore_ascii_case(&r.item))
                    .then(|| EventKind {
                        kind: r.kind.clone(),
                        active: None,
                    }),
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_table_parses() {
        let t = KindTable::parse(DEFAULT_KIND_RULES).unwrap();
        assert!(t.rules.len() > 15);
        assert_eq!(KindTable::default(), t);
    }
}
