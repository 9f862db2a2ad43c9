//! The protocol layer's error.

use crate::fault::Fault;
pub use crate::text::is_placeholder;
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
    UnexpectedBody {
        /// The local name the operation answers with.
        expected: String,
        /// What the Body held: `{namespace}name`, or the bare name when it has no namespace.
        found: String,
    },
    /// A required element or attribute is absent.
    #[error("{0} is missing")]
    Missing(String),
    /// A value that cannot be read as its type.
    #[error("{field} has an invalid value {value:?}: {reason}")]
    Invalid {
        /// Where it was: an element or attribute (`Hour`, `PanTilt/@x`), or a line of a kinds
        /// table.
        field: String,
        /// The text as found.
        value: String,
        /// What it should have been (`not a number`).
        reason: String,
    },
    /// A recording (HAR) that cannot be used; the text names what is wrong.
    #[error("{0}")]
    Recording(String),
    /// A value that is a template leftover (`{{pan_tilt_status}}`): the camera's firmware
    /// never filled it in. Never read as a number, a time or a name.
    #[error("the camera sent placeholder text for {field}: {value:?}")]
    Placeholder {
        /// The element or attribute that held it.
        field: String,
        /// The template text.
        value: String,
    },
}

impl Error {
    /// [`Error::Missing`], naming what is absent (`Profiles/Name`).
    pub fn missing(what: impl Into<String>) -> Self {
        Error::Missing(what.into())
    }

    /// [`Error::Invalid`], or [`Error::Placeholder`] when `value` is template text the camera never
    /// filled in.
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        let (field, value) = (field.into(), value.into());
        if is_placeholder(&value) {
            return Error::Placeholder { field, value };
        }
        Error::Invalid {
            field,
            value,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_leftovers_are_named_as_placeholders() {
        let e = Error::invalid(
            "PTZStatus/MoveStatus/PanTilt",
            "{{pan_tilt_status}}",
            "not IDLE",
        );
        assert!(matches!(e, Error::Placeholder { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "the camera sent placeholder text for PTZStatus/MoveStatus/PanTilt: \"{{pan_tilt_status}}\""
        );
        assert!(is_placeholder(" {{utc_time}} "));
        assert!(is_placeholder("${serial}"));
        assert!(is_placeholder("{{=new Date().toISOString()}}"));
        assert!(is_placeholder("http://{{=it.hostname}}:{{=it.port}}/x"));
        assert!(!is_placeholder("{}"));
        assert!(!is_placeholder("12.5"));
        assert!(!is_placeholder("}}{{"));
        let e = Error::invalid("Speed", "fast", "not a number");
        assert!(matches!(e, Error::Invalid { .. }));
    }
}
