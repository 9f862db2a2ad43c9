//! The client's error: one kind per thing a user can act on.

use std::time::Duration;

use onvif_proto::{Fault, Service};

/// What went wrong talking to a camera.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address the user gave cannot be used.
    #[error("invalid camera address {input:?}: {reason}")]
    Address { input: String, reason: String },
    /// The camera refused our credentials (or we had none and it wants some).
    #[error("authentication failed at {url}: {detail}")]
    Auth {
        url: String,
        detail: String,
        /// The refusal could come from a wrong clock (a WS-Security token refused), so
        /// measuring the clock again and retrying once may help; false when HTTP Digest or
        /// Basic credentials were refused outright.
        clock_may_help: bool,
    },
    /// The camera answered with a SOAP Fault other than an authentication one.
    #[error("{url}: the camera answered with {fault}")]
    Fault { url: String, fault: Box<Fault> },
    /// No TCP/TLS connection could be made.
    #[error("could not connect to {url}: {detail}")]
    Connect { url: String, detail: String },
    /// The camera did not answer in time, or (`connecting`) no connection was made in time.
    #[error("{}", timeout_text(url, *after, *connecting))]
    Timeout {
        url: String,
        after: Duration,
        /// The time ran out before a connection was made (`--connect-timeout`), not while
        /// waiting for the answer (`--timeout`).
        connecting: bool,
    },
    /// The answer was bigger than the configured cap.
    #[error("{url}: the answer is larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: usize },
    /// An HTTP error status without a SOAP envelope we could read.
    #[error("{url}: HTTP {status}{}", if detail.is_empty() { String::new() } else { format!(": {detail}") })]
    Http {
        url: String,
        status: u16,
        detail: String,
    },
    /// The answer is not the XML/SOAP we expect.
    #[error("{url}: bad answer: {source}")]
    Protocol {
        url: String,
        #[source]
        source: onvif_proto::Error,
    },
    /// Any other transport failure (connection reset, TLS, ...).
    #[error("{url}: {detail}")]
    Network { url: String, detail: String },
    /// The request cannot be made as asked (an unknown profile token, ...).
    #[error("{0}")]
    Usage(String),
    /// The camera does not offer a service the operation needs.
    #[error("the camera does not offer the {0} service")]
    NoService(Service),
}

fn timeout_text(url: &str, after: Duration, connecting: bool) -> String {
    let secs = after.as_secs_f64();
    if connecting {
        format!(
            "could not connect to {url} within {secs:.1} s (the camera is off or unreachable, \
             or something drops connections to that port)"
        )
    } else {
        format!("{url}: no complete answer within {secs:.1} s")
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

    pub fn is_auth(&self) -> bool {
        self.kind() == ErrorKind::Auth
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
