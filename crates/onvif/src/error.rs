//! The client's error: one kind per thing a user can act on.

use std::time::Duration;

use onvif_proto::{Fault, Service};

/// What went wrong talking to a camera.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address the user gave cannot be used.
    #[error("invalid camera address {input:?}: {reason}")]
    Address {
        /// The address as given.
        input: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The camera refused our credentials (or we had none and it wants some).
    #[error("authentication failed at {url}: {detail}")]
    Auth {
        /// The URL that refused.
        url: String,
        /// What happened, for a person: the HTTP status or the Fault, and whether credentials
        /// were given.
        detail: String,
        /// The refusal could come from a wrong clock (a WS-Security token refused), so
        /// measuring the clock again and retrying once may help; false when HTTP Digest or
        /// Basic credentials were refused outright.
        clock_may_help: bool,
    },
    /// The camera answered with a SOAP Fault other than an authentication one.
    #[error("{url}: the camera answered {} with {fault}", if operation.is_empty() { "it" } else { operation.as_str() })]
    Fault {
        /// The URL asked.
        url: String,
        /// The operation asked (its element's local name, `RemovePreset`); empty when the
        /// request had none.
        operation: String,
        /// The Fault as the camera sent it.
        fault: Box<Fault>,
    },
    /// No TCP/TLS connection could be made.
    #[error("could not connect to {url}: {detail}")]
    Connect {
        /// The URL asked.
        url: String,
        /// Why, as the network stack said it.
        detail: String,
    },
    /// The camera did not answer in time, or (`connecting`) no connection was made in time.
    #[error("{}", timeout_text(url, *after, *connecting))]
    Timeout {
        /// The URL asked.
        url: String,
        /// The limit that ran out: the connect or the request timeout.
        after: Duration,
        /// The time ran out before a connection was made
        /// ([`Config::connect_timeout`](crate::Config::connect_timeout)), not while waiting
        /// for the answer ([`Config::request_timeout`](crate::Config::request_timeout)).
        connecting: bool,
    },
    /// The answer was bigger than the configured cap.
    #[error("{url}: the answer is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The URL asked.
        url: String,
        /// The cap, in bytes ([`Config::max_response_bytes`](crate::Config::max_response_bytes)).
        limit: usize,
    },
    /// An HTTP error status without a SOAP envelope we could read.
    #[error("{url}: HTTP {status}{}", if detail.is_empty() { String::new() } else { format!(": {detail}") })]
    Http {
        /// The URL asked.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// More, for a person (the start of the body, a redirect's target); may be empty.
        detail: String,
    },
    /// The answer is not the XML/SOAP we expect.
    #[error("{url}: bad answer: {source}")]
    Protocol {
        /// The URL asked.
        url: String,
        /// What is wrong with the answer.
        #[source]
        source: onvif_proto::Error,
    },
    /// Any other transport failure (connection reset, TLS, ...).
    #[error("{url}: {detail}")]
    Network {
        /// The URL asked; empty when the failure came before any request.
        url: String,
        /// What failed, as the network stack said it.
        detail: String,
    },
    /// The request cannot be made as asked (an unknown profile token, ...).
    #[error("{0}")]
    Usage(String),
    /// The camera does not offer a service the operation needs.
    #[error("the camera does not offer the {0} service")]
    NoService(Service),
}

fn timeout_text(url: &str, after: Duration, connecting: bool) -> String {
    let within = if after < Duration::from_secs(1) {
        format!("{} ms", after.as_millis())
    } else {
        format!("{:.1} s", after.as_secs_f64())
    };
    if connecting {
        format!(
            "could not connect to {url} within {within} (the camera is off or unreachable, \
             or something drops connections to that port)"
        )
    } else {
        format!("{url}: no complete answer within {within}")
    }
}

/// Broad classes, for exit codes and retry decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller's input was wrong.
    Usage,
    /// Credentials refused.
    Auth,
    /// The device answered, but with an error (SOAP fault, HTTP status, bad XML).
    Device,
    /// Nothing usable came back (connect, timeout, reset).
    Network,
}

impl Error {
    /// The broad class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Address { .. } | Error::Usage(_) => ErrorKind::Usage,
            Error::Auth { .. } => ErrorKind::Auth,
            Error::Fault { .. }
            | Error::Http { .. }
            | Error::Protocol { .. }
            | Error::TooLarge { .. }
            | Error::NoService(_) => ErrorKind::Device,
            Error::Connect { .. } | Error::Timeout { .. } | Error::Network { .. } => {
                ErrorKind::Network
            }
        }
    }

    /// Were the credentials refused (or missing)?
    pub fn is_auth(&self) -> bool {
        self.kind() == ErrorKind::Auth
    }

    /// Nothing answers ONVIF at the address any more: not found, not allowed, or not SOAP
    /// (a device service that moved answers so at its old path).
    pub(crate) fn nothing_there(&self) -> bool {
        matches!(self, Error::Http { status, .. } if matches!(status, 404 | 405))
            || matches!(self, Error::Protocol { .. })
    }

    /// The SOAP fault, if the camera sent one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::Fault { fault, .. } => Some(fault),
            _ => None,
        }
    }

    /// Worth sending again (for idempotent operations): the request may not have arrived.
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Connect { .. } | Error::Network { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_under_a_second_is_told_in_milliseconds() {
        let t = |ms| timeout_text("http://127.0.0.1/", Duration::from_millis(ms), false);
        assert!(t(1).ends_with("within 1 ms"), "{}", t(1));
        assert!(t(2500).ends_with("within 2.5 s"), "{}", t(2500));
    }
}
