//! The protocol layer's error.

use crate::soap::Fault;
use crate::xml::XmlError;

/// What went wrong reading or checking a message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not well-formed XML.
    #[error(transparent)]
    Xml(#[from] XmlError),
    /// Well-formed XML, but not a SOAP envelope (or no Body in it).
    #[error("not a SOAP envelope: {0}")]
    NotSoap(String),
    /// The peer answered with a SOAP Fault.
    #[error(transparent)]
    Fault(Box<Fault>),
    /// The Body holds another element than the one this operation answers with.
    #[error("expected {expected} in the SOAP Body, found {found}")]
    UnexpectedBody { expected: String, found: String },
    /// A required element or attribute is absent.
    #[error("{0} is missing")]
    Missing(String),
    /// A value that cannot be read as its type.
    #[error("{field} has an invalid value {value:?}: {reason}")]
    Invalid {
        field: String,
        value: String,
        reason: String,
    },
}

impl Error {
    pub fn missing(what: impl Into<String>) -> Self {
        Error::Missing(what.into())
    }

    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// The fault, when the peer sent one.
    pub fn as_fault(&self) -> Option<&Fault> {
        match self {
            Error::Fault(f) => Some(f),
            _ => None,
        }
    }
}

impl From<Fault> for Error {
    fn from(f: Fault) -> Self {
        Error::Fault(Box::new(f))
    }
}
