//! The states a session has delivered, so that one the camera sends again is not delivered
//! twice.
//!
//! A property event (`PropertyOperation` `Initialized`, `Changed`, `Deleted`) is one state of
//! one property instance: its topic, with its source and key items. A camera sends every
//! instance's current state as `Initialized` when a subscription is made and again at each
//! SetSynchronizationPoint. After an outage the session asks for both (the re-creation's
//! states, then the synchronization point's, for cameras that send none on creation), and it
//! asks a subscription gone quiet ([`Config::silence`](super::Config)) for its states, so a
//! consumer would be handed each state twice after every outage and again after every quiet
//! spell. A driver keeps such repeats back; it forgets what it delivered when the session
//! says the subscription is `Lost`, so a consumer that drops what it knew then is told every
//! state again, once.

use std::collections::HashMap;

use crate::ops::events::{NotificationMessage, PropertyOperation};

/// At most this many property instances are remembered; the states of others are always
/// delivered.
pub const MAX_REMEMBERED_STATES: usize = 512;
/// A state whose instance and items take more than this many bytes (as JSON) is not
/// remembered, and always delivered: the memory stays under about 1 MiB a session.
pub const MAX_REMEMBERED_BYTES: usize = 2048;

/// The state last delivered of each property instance ([`States::admit`]).
#[derive(Debug, Default, Clone)]
pub struct States {
    /// The instance (topic, source and key, as JSON) to its state (data, as JSON).
    known: HashMap<String, String>,
}

impl States {
    /// Nothing delivered yet.
    pub fn new() -> States {
        States::default()
    }

    /// Whether `m` is to be delivered ([`States::is_repeat`]), remembering it when it is
    /// ([`States::delivered`]).
    pub fn admit(&mut self, m: &NotificationMessage) -> bool {
        if self.is_repeat(m) {
            return false;
        }
        self.delivered(m);
        true
    }

    /// Whether `m` is an `Initialized` state that repeats the one last delivered for its
    /// property instance (as `Initialized` or `Changed`): one to keep back. Messages that are
    /// no property events are never repeats.
    pub fn is_repeat(&self, m: &NotificationMessage) -> bool {
        if m.message.property_operation != Some(PropertyOperation::Initialized) {
            return false;
        }
        match (instance(m), state(m)) {
            (Some(instance), Some(state)) => self.known.get(&instance) == Some(&state),
            _ => false,
        }
    }

    /// `m` was delivered: its state is remembered (unless it is larger than
    /// [`MAX_REMEMBERED_BYTES`], or [`MAX_REMEMBERED_STATES`] others are); a `Deleted`
    /// instance is forgotten. A driver that may fail to deliver calls this once it has.
    pub fn delivered(&mut self, m: &NotificationMessage) {
        let Some(op) = m.message.property_operation else {
            return;
        };
        let (Some(instance), Some(state)) = (instance(m), state(m)) else {
            return;
        };
        if op == PropertyOperation::Deleted {
            self.known.remove(&instance);
            return;
        }
        if instance.len() + state.len() > MAX_REMEMBERED_BYTES {
            self.known.remove(&instance);
        } else if self.known.len() < MAX_REMEMBERED_STATES || self.known.contains_key(&instance) {
            self.known.insert(instance, state);
        }
    }

    /// Forget every state delivered (the subscription was lost: the next state of each
    /// instance is delivered, whatever its operation).
    pub fn forget(&mut self) {
        self.known.clear();
    }

    /// How many property instances are remembered.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}

/// A property instance: the topic's steps (namespaces and names, not prefixes), source and
/// key items.
fn instance(m: &NotificationMessage) -> Option<String> {
    let e = &m.message;
    serde_json::to_string(&(
        &m.topic.steps,
        &e.source,
        &e.source_elements,
        &e.key,
        &e.key_elements,
    ))
    .ok()
}

/// A property instance's state: its data items.
fn state(m: &NotificationMessage) -> Option<String> {
    let e = &m.message;
    serde_json::to_string(&(&e.data, &e.data_elements)).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ops::events::SimpleItem;
    use crate::xml::parse;

    fn state(op: PropertyOperation, input: &str, value: &str) -> NotificationMessage {
        NotificationMessage::onvif(
            "Device/Trigger/DigitalInput",
            jiff::Timestamp::UNIX_EPOCH,
            op,
            vec![SimpleItem::new("InputToken", input)],
            vec![SimpleItem::new("LogicalState", value)],
        )
    }

    use PropertyOperation::{Changed, Deleted, Initialized};

    #[test]
    fn an_initialized_state_that_repeats_the_last_one_is_kept_back() {
        let mut s = States::new();
        assert!(s.admit(&state(Initialized, "1", "false")));
        assert!(s.admit(&state(Initialized, "2", "false")), "another input");
        assert!(!s.admit(&state(Initialized, "1", "false")), "again");
        assert!(s.admit(&state(Changed, "1", "true")));
        assert!(s.admit(&state(Changed, "1", "true")), "a change is news");
        assert!(!s.admit(&state(Initialized, "1", "true")), "as changed");
        assert!(s.admit(&state(Initialized, "1", "false")), "changed since");
        assert!(s.admit(&state(Deleted, "1", "false")));
        assert!(s.admit(&state(Initialized, "1", "false")), "forgotten");
        assert_eq!(s.len(), 2);
        assert!(!s.admit(&state(Initialized, "2", "false")));
        s.forget();
        assert!(s.admit(&state(Initialized, "2", "false")), "all forgotten");
    }

    #[test]
    fn a_message_that_is_no_property_event_is_always_delivered() {
        let mut s = States::new();
        let mut m = state(Initialized, "1", "false");
        m.message.property_operation = None;
        assert!(s.admit(&m));
        assert!(s.admit(&m));
        assert!(s.is_empty());
    }

    #[test]
    fn an_instance_is_its_topic_by_namespace_not_by_prefix() {
        let read = |prefix: &str, ns: &str| {
            let xml = format!(
                r#"<wsnt:NotificationMessage xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:{prefix}="{ns}"><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">{prefix}:Device/Trigger/DigitalInput</wsnt:Topic><wsnt:Message><tt:Message xmlns:tt="http://www.onvif.org/ver10/schema" PropertyOperation="Initialized"><tt:Source><tt:SimpleItem Name="InputToken" Value="1"/></tt:Source><tt:Data><tt:SimpleItem Name="LogicalState" Value="false"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>"#
            );
            NotificationMessage::read(&parse(xml.as_bytes()).unwrap())
        };
        let mut s = States::new();
        assert!(s.admit(&read("tns1", "http://www.onvif.org/ver10/topics")));
        assert!(!s.admit(&read("t", "http://www.onvif.org/ver10/topics")));
        assert!(s.admit(&read("tns1", "urn:vendor")), "another namespace");
    }

    #[test]
    fn a_large_state_is_delivered_unremembered() {
        let mut s = States::new();
        let big = "x".repeat(MAX_REMEMBERED_BYTES);
        assert!(s.admit(&state(Initialized, "1", "small")));
        assert!(s.admit(&state(Changed, "1", &big)));
        assert!(s.admit(&state(Initialized, "1", &big)), "not remembered");
        assert!(
            s.admit(&state(Initialized, "1", "small")),
            "nor the one before"
        );
        assert_eq!(s.len(), 1, "the small one again");
    }

    #[test]
    fn past_the_limit_states_are_delivered_unremembered() {
        let mut s = States::new();
        for i in 0..MAX_REMEMBERED_STATES + 10 {
            assert!(s.admit(&state(Initialized, &i.to_string(), "false")));
        }
        assert_eq!(s.len(), MAX_REMEMBERED_STATES);
        let last = (MAX_REMEMBERED_STATES + 5).to_string();
        assert!(
            s.admit(&state(Initialized, &last, "false")),
            "not remembered"
        );
        assert!(!s.admit(&state(Initialized, "0", "false")), "remembered");
        assert!(s.admit(&state(Changed, "0", "true")));
        assert!(!s.admit(&state(Initialized, "0", "true")), "still updated");
    }
}
