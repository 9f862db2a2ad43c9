//! The two kinds of ONVIF fault a handler or a state check answers with.

use onvif_proto::Fault;

/// A Sender fault (HTTP 400) with `ter:` subcodes.
pub(crate) fn sender(subcodes: &[&str], reason: impl Into<String>) -> Fault {
    Fault::new(true, subcodes, reason)
}

/// A Receiver fault (HTTP 500) with `ter:` subcodes.
pub(crate) fn receiver(subcodes: &[&str], reason: impl Into<String>) -> Fault {
    Fault::new(false, subcodes, reason)
}
