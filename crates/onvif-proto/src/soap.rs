//! SOAP envelopes: written as SOAP 1.2 (1.1 for the simulator's oldest-camera posture), read
//! as 1.2 or 1.1; Faults parsed into a typed value.

use serde::Serialize;

use crate::error::Error;
use crate::ns;
use crate::xml::{self, Element, Writer};

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
    /// The MTOM/XOP attachments that came with it (a `multipart/related` answer), in order:
    /// Content-ID (without its angle brackets) and bytes. Empty for a plain answer.
    pub attachments: Vec<(Option<String>, Vec<u8>)>,
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
            attachments: Vec::new(),
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

/// Write a SOAP 1.2 envelope around a body. `header` is inner XML for `<s:Header>`. The
/// envelope declares those of [`ns::ENVELOPE_DECLS`] that the header and body use (a request
/// carried about 800 bytes of declarations, most of them unused, and a long poll keeps its
/// request for as long as it waits).
pub fn envelope(header: Option<&str>, body: &str) -> String {
    envelope_in(ns::SOAP12, header, body)
}

/// [`envelope`] in SOAP 1.1 (`s` bound to its namespace), for answering as the oldest
/// cameras do.
pub fn envelope11(body: &str) -> String {
    envelope_in(ns::SOAP11, None, body)
}

fn envelope_in(soap: &'static str, header: Option<&str>, body: &str) -> String {
    let used = used_prefixes(header.unwrap_or_default(), body);
    let decls = || {
        ns::ENVELOPE_DECLS
            .iter()
            .enumerate()
            .filter(move |(i, _)| used & (1 << i) != 0)
            .map(|(_, d)| d)
    };
    // Exactly what it takes (` xmlns:p="uri"` per namespace, and the fixed parts): a request
    // is kept while its answer is awaited, a long poll's too, so a doubled buffer would be
    // carried by every camera of a fleet.
    let decls_len: usize = decls().map(|(p, uri)| p.len() + uri.len() + 10).sum();
    let mut w = Writer::with_capacity(body.len() + header.map_or(0, str::len) + decls_len + 128);
    w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let names: Vec<(String, &str)> = decls()
        .map(|(p, uri)| {
            let uri = if *p == "s" { soap } else { *uri };
            (format!("xmlns:{p}"), uri)
        })
        .collect();
    let attrs: Vec<(&str, &str)> = names.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    w.open("s:Envelope", &attrs);
    if let Some(h) = header {
        w.open("s:Header", &[]).raw(h).close("s:Header");
    }
    w.open("s:Body", &[]).raw(body).close("s:Body");
    w.close("s:Envelope");
    w.finish()
}

/// Which of [`ns::ENVELOPE_DECLS`] the texts use, as bits: `s` always, and each prefix found
/// before a `:` (in a name, or in a value such as `tt:CellMotionEngine`). A prefix found where
/// it is not one (in a URL, say) only adds a declaration nobody reads.
fn used_prefixes(header: &str, body: &str) -> u32 {
    const _: () = assert!(ns::ENVELOPE_DECLS.len() <= 32);
    let longest = ns::ENVELOPE_DECLS
        .iter()
        .map(|(p, _)| p.len())
        .max()
        .unwrap_or(0);
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b"_-.".contains(&b);
    let mut used = 1;
    for text in [header, body] {
        let bytes = text.as_bytes();
        for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b':') {
            // The name just before the colon. Looking back one byte further than the longest
            // prefix is enough: a longer name leaves a slice that matches none.
            let from = i.saturating_sub(longest + 1);
            let start = (from..i)
                .rev()
                .find(|&j| !is_name(bytes[j]))
                .map_or(from, |j| j + 1);
            mark(&mut used, &bytes[start..i]);
        }
    }
    used
}

/// Set `name`'s bit in `used` when it is one of the envelope's prefixes.
fn mark(used: &mut u32, name: &[u8]) {
    if let Some(k) = ns::ENVELOPE_DECLS
        .iter()
        .position(|(p, _)| p.as_bytes() == name)
    {
        *used |= 1 << k;
    }
}

pub use crate::fault::Fault;

impl Fault {
    /// This fault in a whole envelope.
    pub fn to_envelope(&self) -> String {
        let mut w = Writer::new();
        self.write(&mut w);
        envelope(None, w.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_is_built_in_the_room_it_needs_not_twice_that() {
        let header = "<wsse:Security>".to_owned() + &"x".repeat(700) + "</wsse:Security>";
        let body = "<tev:PullMessages><tev:Timeout>PT60S</tev:Timeout></tev:PullMessages>";
        let e = envelope(Some(&header), body);
        assert!(
            e.len() <= e.capacity() && e.capacity() <= e.len() + 256,
            "{} bytes in {} of room: every camera's long poll keeps its request",
            e.len(),
            e.capacity()
        );
        let bare = envelope(None, "<tds:GetDeviceInformation/>");
        assert!(bare.capacity() <= bare.len() + 256, "{}", bare.capacity());
    }

    #[test]
    fn an_envelope_declares_the_prefixes_its_content_uses() {
        let e = envelope(
            Some("<wsa:To>http://x/</wsa:To>"),
            r#"<tan:GetX Type="tt:Cell"><tptz:Y>xtds:z</tptz:Y></tan:GetX>"#,
        );
        for used in ["s", "wsa", "tan", "tt", "tptz"] {
            assert!(e.contains(&format!(" xmlns:{used}=")), "{used}: {e}");
        }
        // `xtds:` is no use of `tds`, and nothing else is used.
        for unused in ["tds", "trt", "tev", "wsnt", "xop"] {
            assert!(!e.contains(&format!(" xmlns:{unused}=")), "{unused}: {e}");
        }
        let env = Envelope::parse(e.as_bytes()).unwrap();
        let x = env.payload().unwrap();
        assert!(x.is(ns::TAN, "GetX"));
        assert_eq!(
            x.resolve_qname(x.attr("Type").unwrap()).ns.as_deref(),
            Some(ns::TT)
        );
        // A body that starts with a prefixed name.
        assert!(envelope(None, "tev:x").contains(" xmlns:tev="));
    }

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
