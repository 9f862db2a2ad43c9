//! SOAP envelopes: written as SOAP 1.2, read as 1.2 or 1.1; Faults parsed into a typed value.

use std::fmt;

use serde::Serialize;

use crate::error::Error;
use crate::ns;
use crate::xml::{self, Element, QNameValue, Writer};

/// Which SOAP version an envelope used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SoapVersion {
    /// SOAP 1.2 (`http://www.w3.org/2003/05/soap-envelope`).
    #[serde(rename = "1.2")]
    Soap12,
    /// SOAP 1.1 (`http://schemas.xmlsoap.org/soap/envelope/`).
    #[serde(rename = "1.1")]
    Soap11,
}

/// A parsed envelope.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The version, from the envelope's namespace (1.2 when the namespace is unknown).
    pub version: SoapVersion,
    /// The `Header` element; `None` when the envelope has none.
    pub header: Option<Element>,
    /// The `Body` element.
    pub body: Element,
}

impl Envelope {
    /// Parse an envelope; a Fault in the Body is *not* an error here (see [`Envelope::payload`]).
    pub fn parse(input: &[u8]) -> Result<Envelope, Error> {
        let root = xml::parse(input)?;
        Envelope::from_root(root)
    }

    /// Read an envelope from its parsed root element; an error when it is no `Envelope` or has no
    /// `Body`.
    pub fn from_root(root: Element) -> Result<Envelope, Error> {
        let version = if root.is(ns::SOAP12, "Envelope") {
            SoapVersion::Soap12
        } else if root.is(ns::SOAP11, "Envelope") {
            SoapVersion::Soap11
        } else if root.name == "Envelope" {
            // A SOAP envelope in an unexpected (or no) namespace: read it, as cameras do send
            // them; the version is a guess.
            SoapVersion::Soap12
        } else {
            return Err(Error::NotSoap(format!(
                "the root element is <{}>, not Envelope",
                root.name
            )));
        };
        let env_ns = root.ns.clone();
        let mut header = None;
        let mut body = None;
        for child in root.children {
            if child.ns != env_ns && !child.unbound {
                continue;
            }
            match child.name.as_str() {
                "Header" => header = Some(child),
                "Body" => body = Some(child),
                _ => {}
            }
        }
        let body = body.ok_or_else(|| Error::NotSoap("the envelope has no Body".into()))?;
        Ok(Envelope {
            version,
            header,
            body,
        })
    }

    /// The first element of the Body, or the Fault it carries as an error.
    pub fn payload(&self) -> Result<&Element, Error> {
        let first = self
            .body
            .first_child()
            .ok_or_else(|| Error::NotSoap("the Body is empty".into()))?;
        if first.name == "Fault" && (first.is(ns::SOAP12, "Fault") || first.is(ns::SOAP11, "Fault"))
        {
            return Err(Fault::from_element(first).into());
        }
        Ok(first)
    }

    /// The Fault in the Body, if that is what it holds.
    pub fn fault(&self) -> Option<Fault> {
        let first = self.body.first_child()?;
        (first.is(ns::SOAP12, "Fault") || first.is(ns::SOAP11, "Fault"))
            .then(|| Fault::from_element(first))
    }

    /// A header element `{ns}name`, if present.
    pub fn header_child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.header.as_ref()?.child(ns, name)
    }
}

/// Write a SOAP 1.2 envelope around a body. `header` is inner XML for `<s:Header>`.
pub fn envelope(header: Option<&str>, body: &str) -> String {
    let mut w = Writer::with_capacity(body.len() + header.map_or(0, str::len) + 900);
    w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let decls: Vec<(String, &str)> = ns::ENVELOPE_DECLS
        .iter()
        .map(|(p, uri)| (format!("xmlns:{p}"), *uri))
        .collect();
    let attrs: Vec<(&str, &str)> = decls.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    w.open("s:Envelope", &attrs);
    if let Some(h) = header {
        w.open("s:Header", &[]).raw(h).close("s:Header");
    }
    w.open("s:Body", &[]).raw(body).close("s:Body");
    w.close("s:Envelope");
    w.finish()
}

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

    /// This fault in a whole envelope.
    pub fn to_envelope(&self) -> String {
        let mut w = Writer::new();
        self.write(&mut w);
        envelope(None, w.as_str())
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_round_trips_with_its_subcodes() {
        let f = Fault::new(true, &["NotAuthorized", "Detail2"], "Sender not authorized");
        let env = Envelope::parse(f.to_envelope().as_bytes()).unwrap();
        let back = env.payload().unwrap_err();
        let back = back.as_fault().unwrap();
        assert_eq!(back.code.name, "Sender");
        assert_eq!(back.subcodes.len(), 2);
        assert!(back.is_not_authorized());
        assert_eq!(back.reason, "Sender not authorized");
    }

    #[test]
    fn a_soap11_fault_is_read() {
        let doc = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Client</faultcode><faultstring>nope</faultstring></e:Fault></e:Body></e:Envelope>"#;
        let env = Envelope::parse(doc).unwrap();
        assert_eq!(env.version, SoapVersion::Soap11);
        let f = env.fault().unwrap();
        assert_eq!(f.code.name, "Client");
        assert_eq!(f.reason, "nope");
    }

    #[test]
    fn a_non_envelope_is_named_in_the_error() {
        let e = Envelope::parse(b"<html><body>Not found</body></html>").unwrap_err();
        assert!(e.to_string().contains("<html>"), "{e}");
    }
}
