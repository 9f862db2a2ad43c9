//! SOAP Faults of either version, read into one typed value.

use std::fmt;

use serde::Serialize;

use crate::ns;
use crate::xml::{Element, QNameValue, Writer};

/// A SOAP Fault, from either version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fault {
    /// `Sender`/`Receiver` (1.2) or `Client`/`Server` (1.1), resolved.
    pub code: QNameValue,
    /// Subcodes, outermost first (`ter:NotAuthorized`, `ter:InvalidArgVal`, ...).
    pub subcodes: Vec<QNameValue>,
    /// The human-readable reason (the first Text).
    pub reason: String,
    /// Text of the Detail element, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Fault {
    /// Read a `Fault` element of SOAP 1.2 or 1.1.
    pub fn from_element(el: &Element) -> Fault {
        let ns12 = ns::SOAP12;
        if let Some(code) = el.child(ns12, "Code") {
            let value = code.child_text(ns12, "Value").unwrap_or_default();
            let code_q = code
                .child(ns12, "Value")
                .map_or_else(|| code.resolve_qname(value), |v| v.resolve_qname(value));
            let mut subcodes = Vec::new();
            let mut at = code.child(ns12, "Subcode");
            while let Some(sub) = at {
                if let Some(v) = sub.child(ns12, "Value") {
                    subcodes.push(v.resolve_qname(v.text()));
                }
                at = sub.child(ns12, "Subcode");
            }
            let reason = el
                .child(ns12, "Reason")
                .and_then(|r| r.child(ns12, "Text"))
                .map(|t| t.text().to_owned())
                .unwrap_or_default();
            let detail = el.child(ns12, "Detail").and_then(detail_text);
            return Fault {
                code: code_q,
                subcodes,
                reason,
                detail,
            };
        }
        // SOAP 1.1: unqualified faultcode / faultstring / detail.
        let code_el = el.child_any_ns("faultcode");
        let code = code_el.map_or(
            QNameValue {
                ns: None,
                name: String::new(),
            },
            |c| c.resolve_qname(c.text()),
        );
        Fault {
            code,
            subcodes: Vec::new(),
            reason: el
                .child_any_ns("faultstring")
                .map(|t| t.text().to_owned())
                .unwrap_or_default(),
            detail: el.child_any_ns("detail").and_then(detail_text),
        }
    }

    /// Does the code or any subcode have this local name in the ONVIF error namespace (or
    /// with an unresolvable prefix)?
    pub fn has_subcode(&self, name: &str) -> bool {
        self.code.is(ns::TER, name) || self.subcodes.iter().any(|s| s.is(ns::TER, name))
    }

    /// The camera refused our credentials (ter:NotAuthorized, or a 1.1 fault that says so).
    pub fn is_not_authorized(&self) -> bool {
        self.has_subcode("NotAuthorized")
            || self.has_subcode("FailedAuthentication")
            || self
                .subcodes
                .iter()
                .any(|s| s.name == "FailedAuthentication")
            || self.code.name == "FailedAuthentication"
            || (self.subcodes.is_empty()
                && self.reason.to_ascii_lowercase().contains("not authorized"))
    }

    /// The subscription (or other WS-RF resource) addressed is gone: a
    /// `ResourceUnknownFault` subcode, or in SOAP 1.1 the fault code itself.
    pub fn is_resource_unknown(&self) -> bool {
        self.code.name == "ResourceUnknownFault"
            || self
                .subcodes
                .iter()
                .any(|s| s.name == "ResourceUnknownFault")
    }

    /// The operation is not implemented by the device.
    pub fn is_action_not_supported(&self) -> bool {
        self.has_subcode("ActionNotSupported") || self.code.name == "ActionNotSupported"
    }

    /// Write this fault as a SOAP 1.2 Fault element (the simulator's answer).
    pub fn write(&self, w: &mut Writer) {
        w.open("s:Fault", &[]);
        w.open("s:Code", &[]);
        w.leaf("s:Value", &format!("s:{}", self.code.name));
        for sub in &self.subcodes {
            w.open("s:Subcode", &[]);
            match sub.ns.as_deref() {
                // A subcode in another namespace than ter: (wsrf-rw:ResourceUnknownFault)
                // declares its own prefix.
                Some(uri) if uri != ns::TER => {
                    w.open("s:Value", &[("xmlns:sc", uri)])
                        .text(&format!("sc:{}", sub.name))
                        .close("s:Value");
                }
                _ => {
                    w.leaf("s:Value", &format!("ter:{}", sub.name));
                }
            }
        }
        for _ in &self.subcodes {
            w.close("s:Subcode");
        }
        w.close("s:Code");
        w.open("s:Reason", &[])
            .open("s:Text", &[("xml:lang", "en")])
            .text(&self.reason)
            .close("s:Text")
            .close("s:Reason");
        if let Some(d) = &self.detail {
            w.open("s:Detail", &[])
                .open("s:Text", &[])
                .text(d)
                .close("s:Text")
                .close("s:Detail");
        }
        w.close("s:Fault");
    }

    /// A fault with a `ter:` subcode chain, as the simulator sends.
    pub fn new(sender: bool, subcodes: &[&str], reason: impl Into<String>) -> Fault {
        Fault {
            code: QNameValue {
                ns: Some(ns::SOAP12.into()),
                name: if sender { "Sender" } else { "Receiver" }.into(),
            },
            subcodes: subcodes
                .iter()
                .map(|s| QNameValue {
                    ns: Some(ns::TER.into()),
                    name: (*s).into(),
                })
                .collect(),
            reason: reason.into(),
            detail: None,
        }
    }
}

fn detail_text(d: &Element) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !d.text().is_empty() {
        parts.push(d.text());
    }
    for e in d.descendants() {
        if !e.text().is_empty() {
            parts.push(e.text());
        }
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP fault {}", self.code.name)?;
        for s in &self.subcodes {
            write!(f, "/{}", s.name)?;
        }
        // A camera chooses these: a message quotes the start only (the value keeps it all).
        let limit = crate::text::ERROR_TEXT_LIMIT;
        if !self.reason.is_empty() {
            write!(f, ": {}", crate::text::cut(&self.reason, limit))?;
        }
        if let Some(d) = &self.detail {
            write!(f, " ({})", crate::text::cut(d, limit))?;
        }
        Ok(())
    }
}

impl std::error::Error for Fault {}
