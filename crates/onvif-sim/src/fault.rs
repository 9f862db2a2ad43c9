//! The two kinds of ONVIF fault a handler or a state check answers with.

use onvif_proto::Fault;
use onvif_proto::xml::QNameValue;

/// A Sender fault (HTTP 400) with `ter:` subcodes.
pub(crate) fn sender(subcodes: &[&str], reason: impl Into<String>) -> Fault {
    Fault::new(true, subcodes, reason)
}

/// A Receiver fault (HTTP 500) with `ter:` subcodes.
pub(crate) fn receiver(subcodes: &[&str], reason: impl Into<String>) -> Fault {
    Fault::new(false, subcodes, reason)
}

/// A Sender fault (HTTP 400) with one subcode in another namespace than `ter:`
/// (`wsnt:NoCurrentMessageOnTopicFault`, `wsrf-rw:ResourceUnknownFault`).
pub(crate) fn sender_in(ns: &str, subcode: &str, reason: impl Into<String>) -> Fault {
    Fault {
        subcodes: vec![QNameValue {
            ns: Some(ns.into()),
            name: subcode.into(),
        }],
        ..sender(&[], reason)
    }
}
