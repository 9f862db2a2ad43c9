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
//! Answers are read leniently: times through
//! [`parse_datetime`](crate::time::parse_datetime) (`0000-00-00...` is none), unknown elements
//! ignored.
//!
//! The parts, one a file: [`topics`](Topic) (topic paths and filters), the topic tree of
//! GetEventProperties, service capabilities, endpoint references, subscriptions, notification
//! messages, and the kind table. Every operation's action is the WSDL port type's ([`action`]).

pub mod action;
mod capabilities;
mod endpoint;
mod kinds;
mod notification;
mod properties;
mod subscription;
mod times;
mod topics;

#[cfg(test)]
mod tests;

pub use capabilities::{GetServiceCapabilities, ServiceCapabilities};
pub use endpoint::{EndpointReference, same_tree};
pub use kinds::{DEFAULT_KIND_RULES, EventKind, KindRule, KindTable};
pub use notification::{
    CurrentMessage, ElementItem, EventMessage, GetCurrentMessage, NotificationMessage, Notify,
    PropertyOperation, SimpleItem,
};
pub use properties::{
    EventProperties, GetEventProperties, ItemDescription, MessageDescription, TopicEntry, TopicNode,
};
pub use subscription::{
    CreatePullPointSubscription, CreatePullPointSubscriptionResponse, PullMessages,
    PullMessagesResponse, Renew, RenewResponse, Seek, SeekResponse, SetSynchronizationPoint,
    SetSynchronizationPointResponse, Subscribe, SubscribeResponse, TerminationTime, Unsubscribe,
    UnsubscribeResponse,
};
pub use topics::{
    TNS1, Topic, TopicFilter, TopicStep, WSTOP, dialect, effective_namespaces, effective_ns,
};

/// Write an element as self-contained XML (now in [`crate::xml`]).
pub use crate::xml::element_to_xml;

/// WS-ResourceFramework resource faults (`wsrf-rw:ResourceUnknownFault`).
pub const WSRF_RW: &str = "http://docs.oasis-open.org/wsrf/rw-2";
/// WS-BaseFaults.
pub const WSRF_BF: &str = "http://docs.oasis-open.org/wsrf/bf-2";
