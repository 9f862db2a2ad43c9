//! What a session delivers: events, typed, and lifecycle signals.

use jiff::Timestamp;
use onvif_proto::ops::events::{
    ElementItem, EventKind, KindTable, NotificationMessage, PropertyOperation, SimpleItem, Topic,
};
use onvif_proto::session::Lifecycle;
use serde::Serialize;

/// One event, as the session delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// `UtcTime` of the message (none when the camera sent none or `0000-00-00...`).
    #[serde(serialize_with = "ser_ts")]
    pub time: Option<Timestamp>,
    /// Topic: prefix-free path and namespace.
    pub topic: Topic,
    /// Property operation (Initialized/Changed/Deleted), when given.
    pub property_operation: Option<PropertyOperation>,
    /// Source items.
    pub source: Vec<SimpleItem>,
    /// Key items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<SimpleItem>,
    /// Data items.
    pub data: Vec<SimpleItem>,
    /// Source element items (`tt:ElementItem`: a name and an XML element, kept as a tree).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_elements: Vec<ElementItem>,
    /// Key element items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_elements: Vec<ElementItem>,
    /// Data element items (`Link` of `tns1:Monitoring/LinkStatus`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_elements: Vec<ElementItem>,
    /// The normalised kind, where the table knows the topic.
    pub kind: Option<EventKind>,
}

fn ser_ts<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_string()),
        None => s.serialize_none(),
    }
}

impl Event {
    /// An event from a notification, classified with `kinds`.
    pub fn from_message(m: NotificationMessage, kinds: &KindTable) -> Event {
        let kind = kinds.classify(&m);
        Event {
            time: m.message.utc_time,
            topic: m.topic,
            property_operation: m.message.property_operation,
            source: m.message.source,
            key: m.message.key,
            data: m.message.data,
            source_elements: m.message.source_elements,
            key_elements: m.message.key_elements,
            data_elements: m.message.data_elements,
            kind,
        }
    }
}

/// An item of a session's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionItem {
    /// An event (boxed: it is much larger than a lifecycle signal).
    Event(Box<Event>),
    /// A lifecycle signal.
    Lifecycle(Lifecycle),
}
