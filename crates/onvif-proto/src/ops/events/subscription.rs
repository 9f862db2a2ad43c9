//! Subscriptions: pull points (CreatePullPointSubscription, PullMessages, Seek,
//! SetSynchronizationPoint), push subscriptions (Subscribe), and what both kinds share (Renew,
//! Unsubscribe, termination times). Times in answers are read leniently: an unreadable one
//! is none.

use std::borrow::Cow;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use super::action;
use super::endpoint::EndpointReference;
use super::notification::NotificationMessage;
use super::times::{fmt_ts, ser_ts, ser_ts_req};
use super::topics::TopicFilter;
use crate::codec::{Text, Xml};
use crate::error::Error;
use crate::ns::WSNT;
use crate::operation;
use crate::time::parse_datetime;
use crate::time::ser_duration;
use crate::time::{format_duration, parse_duration};
use crate::xml::{Element, Writer};

/// A termination time as asked: relative (`PT60S`) or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TerminationTime {
    /// An `xs:duration` from now.
    #[serde(serialize_with = "ser_duration")]
    Relative(Duration),
    /// An absolute time, in the camera's clock.
    Absolute(Timestamp),
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

impl Text for TerminationTime {
    const EXPECTED: &'static str = "neither a duration nor a time";
    fn from_text(s: &str) -> Option<Self> {
        TerminationTime::parse(s)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_xml_value())
    }
}

// ---------------------------------------------------------------------------------------------
// Pull points

/// `tev:CreatePullPointSubscription`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Xml)]
#[xml(root = "tev:CreatePullPointSubscription")]
pub struct CreatePullPointSubscription {
    /// Topic filter, if any.
    #[xml(child = "tev:Filter/wsnt:TopicExpression")]
    pub filter: Option<TopicFilter>,
    /// Asked termination time.
    #[xml(child = "tev:InitialTerminationTime")]
    pub initial_termination_time: Option<TerminationTime>,
}
operation!(CreatePullPointSubscription => CreatePullPointSubscriptionResponse,
    idempotent = false, action = action::CREATE_PULL_POINT_SUBSCRIPTION);

/// `tev:CreatePullPointSubscriptionResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:CreatePullPointSubscriptionResponse")]
pub struct CreatePullPointSubscriptionResponse {
    /// Where the subscription is managed, with its reference parameters.
    #[xml(child = "tev:SubscriptionReference")]
    pub subscription_reference: EndpointReference,
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "wsnt:CurrentTime", lenient)]
    pub current_time: Option<Timestamp>,
    /// When the subscription ends unless renewed.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "wsnt:TerminationTime", lenient)]
    pub termination_time: Option<Timestamp>,
}

/// `tev:PullMessages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:PullMessages")]
pub struct PullMessages {
    /// How long the camera may wait for a message.
    #[serde(serialize_with = "ser_duration")]
    #[xml(child = "tev:Timeout")]
    pub timeout: Duration,
    /// At most this many messages.
    #[xml(child = "tev:MessageLimit")]
    pub message_limit: u32,
}
operation!(PullMessages => PullMessagesResponse, idempotent = false,
    action = action::PULL_MESSAGES);

/// `tev:PullMessagesResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:PullMessagesResponse")]
pub struct PullMessagesResponse {
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "tev:CurrentTime", lenient)]
    pub current_time: Option<Timestamp>,
    /// When the subscription ends unless renewed.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "tev:TerminationTime", lenient)]
    pub termination_time: Option<Timestamp>,
    /// The messages, in order.
    #[xml(child = "wsnt:NotificationMessage")]
    pub messages: Vec<NotificationMessage>,
}

/// `tev:Seek`: rewind (or, with `reverse`, run backwards from) the messages of a pull point to
/// `utc_time`, where the camera stores them (`PersistentNotificationStorage`). Sent to the
/// subscription's address, like PullMessages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:Seek")]
pub struct Seek {
    /// Where to seek to.
    #[serde(serialize_with = "ser_ts_req")]
    #[xml(child = "tev:UtcTime")]
    pub utc_time: Timestamp,
    /// Deliver messages backwards in time from `utc_time`.
    #[xml(child = "tev:Reverse")]
    pub reverse: Option<bool>,
}
operation!(Seek => SeekResponse, idempotent = true, action = action::SEEK);

/// `tev:SeekResponse`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:SeekResponse")]
pub struct SeekResponse;

/// `tev:SetSynchronizationPoint`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:SetSynchronizationPoint")]
pub struct SetSynchronizationPoint;
operation!(SetSynchronizationPoint => SetSynchronizationPointResponse, idempotent = true,
    action = action::SET_SYNCHRONIZATION_POINT);

/// `tev:SetSynchronizationPointResponse`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:SetSynchronizationPointResponse")]
pub struct SetSynchronizationPointResponse;

// ---------------------------------------------------------------------------------------------
// Push subscriptions

/// `wsnt:Subscribe`: push notifications to a consumer address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:Subscribe")]
pub struct Subscribe {
    /// Where the camera POSTs `Notify`.
    #[xml(with = "consumer")]
    pub consumer: String,
    /// Topic filter, if any.
    #[xml(child = "wsnt:Filter/wsnt:TopicExpression")]
    pub filter: Option<TopicFilter>,
    /// Asked termination time.
    #[xml(child = "wsnt:InitialTerminationTime")]
    pub initial_termination_time: Option<TerminationTime>,
}
operation!(Subscribe => SubscribeResponse, idempotent = false, action = action::SUBSCRIBE);

/// `#[xml(with)]` for the consumer: the address of `wsnt:ConsumerReference`, an endpoint
/// reference in either WS-Addressing version; an empty address is a missing one.
mod consumer {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<String, Error> {
        el.child(WSNT, "ConsumerReference")
            .map(EndpointReference::read)
            .map(|r| r.address)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| Error::missing("Subscribe/ConsumerReference/Address"))
    }

    pub(super) fn write(s: &Subscribe, w: &mut Writer, _: &str) {
        w.open("wsnt:ConsumerReference", &[])
            .leaf("wsa:Address", &s.consumer)
            .close("wsnt:ConsumerReference");
    }
}

/// `wsnt:SubscribeResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:SubscribeResponse")]
pub struct SubscribeResponse {
    /// Where the subscription is managed, with its reference parameters.
    #[xml(child = "wsnt:SubscriptionReference")]
    pub subscription_reference: EndpointReference,
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "wsnt:CurrentTime", lenient)]
    pub current_time: Option<Timestamp>,
    /// When the subscription ends unless renewed.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "wsnt:TerminationTime", lenient)]
    pub termination_time: Option<Timestamp>,
}

// ---------------------------------------------------------------------------------------------
// Both kinds

/// `wsnt:Renew`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:Renew")]
pub struct Renew {
    /// The new termination time.
    #[xml(child = "wsnt:TerminationTime")]
    pub termination_time: TerminationTime,
}
operation!(Renew => RenewResponse, idempotent = true, action = action::RENEW);

/// `wsnt:RenewResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:RenewResponse")]
pub struct RenewResponse {
    /// The granted termination time.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "wsnt:TerminationTime", lenient)]
    pub termination_time: Option<Timestamp>,
    /// The camera's time when it answered.
    #[serde(serialize_with = "ser_ts")]
    #[xml(child = "wsnt:CurrentTime", lenient)]
    pub current_time: Option<Timestamp>,
}

/// `wsnt:Unsubscribe`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:Unsubscribe")]
pub struct Unsubscribe;
operation!(Unsubscribe => UnsubscribeResponse, idempotent = true, action = action::UNSUBSCRIBE);

/// `wsnt:UnsubscribeResponse`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "wsnt:UnsubscribeResponse")]
pub struct UnsubscribeResponse;
