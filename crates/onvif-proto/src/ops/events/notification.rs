//! Notification messages: what PullMessages and Notify carry (`wsnt:NotificationMessage`, its
//! topic and its `tt:Message` of simple and element items), `Notify` itself, and
//! GetCurrentMessage. Everything in a message is read leniently: an unreadable time or
//! operation is none, an item without a name is left out.

use jiff::Timestamp;
use serde::Serialize;

use super::action;
use super::endpoint::{EndpointReference, same_tree};
use super::times::ser_ts;
use super::topics::{Topic, TopicFilter};
use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::WSNT;
use crate::xml::{Element, Writer, element_to_xml};
use crate::{operation, xml_enum};

xml_enum! {
    /// `PropertyOperation` of a message.
    pub PropertyOperation {
        /// The current state, sent at subscription or synchronisation point.
        Initialized = "Initialized",
        /// A change.
        Changed = "Changed",
        /// The property is gone.
        Deleted = "Deleted",
    }
}

/// A `tt:SimpleItem`: name and value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct SimpleItem {
    /// Item name.
    #[xml(attr = "Name")]
    pub name: String,
    /// Item value.
    #[xml(attr = "Value", default)]
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
#[derive(Debug, Clone, Eq, Serialize, Xml)]
pub struct ElementItem {
    /// Item name (`Link`).
    #[xml(attr = "Name")]
    pub name: String,
    /// The element it holds; `None` when the camera sent an empty `tt:ElementItem`.
    #[xml(with = "element_item")]
    pub element: Option<Element>,
}

/// `#[xml(with)]` for an element item's element (xs:any): its first child element (the schema
/// allows exactly one; text or further children of a malformed item are not kept), written
/// self-contained (its namespaces declared on it).
mod element_item {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Option<Element>, Error> {
        Ok(el.first_child().cloned())
    }

    pub(super) fn write(i: &ElementItem, w: &mut Writer, _: &str) {
        if let Some(e) = &i.element {
            w.raw(&element_to_xml(e));
        }
    }
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

/// The `tt:Message` inside a notification. Each item list holds the simple items, then the
/// element items (the schema's order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct EventMessage {
    /// `UtcTime`, read leniently (none for `0000-00-00...`).
    #[serde(serialize_with = "ser_ts")]
    #[xml(attr = "UtcTime", lenient)]
    pub utc_time: Option<Timestamp>,
    /// `PropertyOperation`, when given.
    #[xml(attr = "PropertyOperation", lenient)]
    pub property_operation: Option<PropertyOperation>,
    /// Source items.
    #[xml(child = "tt:Source/tt:SimpleItem", lenient)]
    pub source: Vec<SimpleItem>,
    /// Source element items (`tt:ElementItem`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Source/tt:ElementItem", lenient)]
    pub source_elements: Vec<ElementItem>,
    /// Key items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Key/tt:SimpleItem", lenient)]
    pub key: Vec<SimpleItem>,
    /// Key element items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Key/tt:ElementItem", lenient)]
    pub key_elements: Vec<ElementItem>,
    /// Data items.
    #[xml(child = "tt:Data/tt:SimpleItem", lenient)]
    pub data: Vec<SimpleItem>,
    /// Data element items (`Link` of `tns1:Monitoring/LinkStatus`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[xml(child = "tt:Data/tt:ElementItem", lenient)]
    pub data_elements: Vec<ElementItem>,
}

impl EventMessage {
    /// Read a `tt:Message` (leniently; `None` gives a message without items).
    pub fn read_opt(m: Option<&Element>) -> EventMessage {
        m.and_then(|m| EventMessage::read_node(m).ok())
            .unwrap_or_default()
    }

    /// Write it as `tt:Message`.
    pub fn write(&self, w: &mut Writer) {
        self.write_node(w, "tt:Message");
    }
}

/// A `wsnt:NotificationMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct NotificationMessage {
    /// The subscription's address, when the message names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[xml(with = "subscription_address")]
    pub subscription_address: Option<String>,
    /// The topic; without one, no steps.
    #[xml(child = "wsnt:Topic", default = r#"Topic::resolve(el, "")"#)]
    pub topic: Topic,
    /// The producer's address, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[xml(with = "producer_address")]
    pub producer_address: Option<String>,
    /// The message; without one, no items.
    #[xml(child = "wsnt:Message/tt:Message", default)]
    pub message: EventMessage,
}

/// The address of the endpoint reference `wsnt:{name}`, in either WS-Addressing version;
/// empty is none.
fn reference_address(el: &Element, name: &str) -> Option<String> {
    el.child(WSNT, name)
        .map(EndpointReference::read)
        .map(|r| r.address)
        .filter(|a| !a.is_empty())
}

fn write_reference(w: &mut Writer, tag: &str, address: Option<&str>) {
    if let Some(a) = address {
        w.open(tag, &[]).leaf("wsa:Address", a).close(tag);
    }
}

/// `#[xml(with)]` for the subscription's address: an endpoint reference, either version.
mod subscription_address {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Option<String>, Error> {
        Ok(reference_address(el, "SubscriptionReference"))
    }

    pub(super) fn write(m: &NotificationMessage, w: &mut Writer, _: &str) {
        let a = m.subscription_address.as_deref();
        write_reference(w, "wsnt:SubscriptionReference", a);
    }
}

/// `#[xml(with)]` for the producer's address: an endpoint reference, either version.
mod producer_address {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Option<String>, Error> {
        Ok(reference_address(el, "ProducerReference"))
    }

    pub(super) fn write(m: &NotificationMessage, w: &mut Writer, _: &str) {
        write_reference(w, "wsnt:ProducerReference", m.producer_address.as_deref());
    }
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
                data,
                ..EventMessage::default()
            },
        }
    }

    /// Read one (leniently: a message without `tt:Message` has no items).
    pub fn read(el: &Element) -> NotificationMessage {
        // Every field is read leniently, so this does not fail.
        NotificationMessage::read_node(el).unwrap_or_else(|_| NotificationMessage {
            subscription_address: None,
            topic: Topic::resolve(el, ""),
            producer_address: None,
            message: EventMessage::default(),
        })
    }

    /// Write it; the topic's steps are written with prefixes declared on the Topic element.
    pub fn write(&self, w: &mut Writer) {
        self.write_node(w, "wsnt:NotificationMessage");
    }

    /// The data item of this name.
    pub fn data_item(&self, name: &str) -> Option<&str> {
        self.message
            .data
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.value.as_str())
    }

    /// The source item of this name.
    pub fn source_item(&self, name: &str) -> Option<&str> {
        self.message
            .source
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.value.as_str())
    }

    /// The data element item of this name.
    pub fn data_element(&self, name: &str) -> Option<&ElementItem> {
        self.message.data_elements.iter().find(|i| i.name == name)
    }
}

/// `wsnt:Notify`, as a camera POSTs it to a push consumer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:Notify")]
pub struct Notify {
    /// The messages, in order.
    #[xml(child = "wsnt:NotificationMessage")]
    pub messages: Vec<NotificationMessage>,
}

/// `wsnt:GetCurrentMessage`: the last message on one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:GetCurrentMessage")]
pub struct GetCurrentMessage {
    /// The topic (a concrete topic, not a pattern).
    #[xml(child = "wsnt:Topic")]
    pub topic: TopicFilter,
}
operation!(GetCurrentMessage => CurrentMessage, idempotent = true,
    action = action::GET_CURRENT_MESSAGE);

/// `wsnt:GetCurrentMessageResponse`: the message, when the camera has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:GetCurrentMessageResponse")]
pub struct CurrentMessage {
    /// The `tt:Message` it holds.
    #[xml(child = "tt:Message")]
    pub message: Option<EventMessage>,
}
