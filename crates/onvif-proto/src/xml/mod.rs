//! Namespace-aware XML: a small element tree read by (namespace URI, local name), and an
//! escaping writer.
//!
//! This is the only module that touches quick-xml, so a change of its API stays here.
//!
//! Reading rules, chosen for real cameras:
//! - elements and attributes are matched by namespace URI and local name, never by prefix;
//! - an element whose prefix is not bound anywhere (a common camera bug) keeps its local name and
//!   is marked `unbound`; lookups by (namespace, name) still find it, since its text can be read;
//! - DTD entities are never expanded: a `<!DOCTYPE>` is skipped and an entity reference other
//!   than the five predefined ones and character references is an error;
//! - input that is not UTF-8 is read lossily (cameras declare encodings they do not use).

mod element;
mod read;
mod scope;
mod standalone;
mod write;

pub use element::{Attr, Element, MAX_REPORTED, QNameValue, XmlError};
pub use read::{MAX_DEPTH, attribute_budget, element_budget, parse, parse_str};
pub use scope::Scope;
pub use standalone::element_to_xml;
pub use write::{Writer, escape, escape_attr, pretty};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_matched_by_namespace_not_prefix() {
        let a = parse(br#"<a:x xmlns:a="urn:n"><a:y>1</a:y></a:x>"#).unwrap();
        let b = parse(br#"<x xmlns="urn:n"><q:y xmlns:q="urn:n">1</q:y></x>"#).unwrap();
        for doc in [&a, &b] {
            assert!(doc.is("urn:n", "x"));
            assert_eq!(doc.child_text("urn:n", "y"), Some("1"));
            assert!(doc.child("urn:other", "y").is_none());
        }
    }

    #[test]
    fn an_unbound_prefix_is_tolerated_and_marked() {
        let doc = parse(br#"<r xmlns="urn:n"><bad:v>7</bad:v></r>"#).unwrap();
        let v = doc.child("urn:n", "v").unwrap();
        assert!(v.unbound);
        assert_eq!(v.text(), "7");
    }

    #[test]
    fn an_unbound_prefix_never_stands_in_for_an_ambiguous_name() {
        // `Name` exists in two namespaces here: the unbound one could be either.
        let doc = parse(
            br#"<r xmlns:a="urn:a" xmlns:b="urn:b"><a:Name>1</a:Name><x:Name>2</x:Name></r>"#,
        )
        .unwrap();
        assert_eq!(doc.child_text("urn:a", "Name"), Some("1"));
        assert!(doc.child("urn:b", "Name").is_none());
        assert_eq!(doc.children_named("urn:b", "Name").count(), 0);
        // An exact match wins over an unbound stand-in, wherever it stands.
        let doc = parse(br#"<r xmlns:a="urn:a"><x:V>1</x:V><a:V>2</a:V></r>"#).unwrap();
        assert_eq!(doc.child_text("urn:a", "V"), Some("2"));
        assert_eq!(doc.children_named("urn:a", "V").count(), 2);
        assert_eq!(doc.unbound_names(), vec!["V"]);
    }

    #[test]
    fn a_declared_latin1_document_is_decoded() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>Caf\xe9 \xb0C</r>";
        assert_eq!(parse(doc).unwrap().text(), "Caf\u{e9} \u{b0}C");
        let doc = b"<?xml version='1.0' encoding='windows-1252'?><r>\x80 5</r>";
        assert_eq!(parse(doc).unwrap().text(), "\u{20ac} 5");
        // A camera that declares Latin-1 but sends UTF-8 is read as UTF-8.
        let doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>Caf\u{e9}</r>";
        assert_eq!(parse(doc.as_bytes()).unwrap().text(), "Caf\u{e9}");
        // Undeclared, invalid UTF-8 stays lossy.
        assert_eq!(parse(b"<r>a\xe9</r>").unwrap().text(), "a\u{fffd}");
    }

    #[test]
    fn entities_outside_the_predefined_five_are_refused() {
        let doc = br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>"#;
        let e = parse(doc).unwrap_err();
        assert!(e.message.contains("undefined entity &x;"), "{e}");
        let ok = parse(b"<r>a&amp;b&#65;&lt;</r>").unwrap();
        assert_eq!(ok.text(), "a&bA<");
    }

    #[test]
    fn truncated_and_mismatched_documents_are_errors() {
        assert!(
            parse(b"<a><b></b>")
                .unwrap_err()
                .message
                .contains("ends inside")
        );
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"").is_err());
        assert!(parse(&[0xff, 0xfe, 0, 1, 2]).is_err());
    }

    #[test]
    fn qnames_resolve_against_the_scope() {
        let doc = parse(
            br#"<r xmlns:ter="http://www.onvif.org/ver10/error"><c>ter:NotAuthorized</c></r>"#,
        )
        .unwrap();
        let c = doc.child_any_ns("c").unwrap();
        let q = c.resolve_qname(c.text());
        assert_eq!(q.ns.as_deref(), Some("http://www.onvif.org/ver10/error"));
        assert_eq!(q.name, "NotAuthorized");
    }

    #[test]
    fn the_writer_escapes_every_value() {
        let mut w = Writer::new();
        w.open("a", &[("k", "\"<&>")])
            .leaf("b", "x</b><c>")
            .close("a");
        let s = w.finish();
        let back = parse(s.as_bytes()).unwrap();
        assert_eq!(back.attr("k"), Some("\"<&>"));
        assert_eq!(back.child_any_ns("b").unwrap().text(), "x</b><c>");
    }
}
