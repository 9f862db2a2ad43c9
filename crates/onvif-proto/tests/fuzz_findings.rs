//! Regressions from the fuzz targets in `fuzz/` (docs/FUZZING.md lists the findings): each
//! test is made from the input that found the defect, cut down to what matters.
//! Nothing here opens a socket: addresses are values, written, read and compared.

#![allow(clippy::unwrap_used)]

use onvif_testkit::message::{read_document, round_trip};

const ENV: &str = r#"xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema""#;

/// roundtrip, crash-f03e03c7: a Media1 encoder configuration whose RateControl carries
/// `ConstantBitRate` (as the recorded camera answers do) lost it when written.
#[test]
fn media1_rate_control_keeps_constant_bitrate() {
    use onvif_proto::ops::media::VideoEncoderConfigurations;
    let doc = format!(
        r#"<s:Envelope {ENV}><s:Body><trt:GetVideoEncoderConfigurationsResponse>
        <trt:Configurations token="v1"><tt:Name>v1</tt:Name><tt:UseCount>1</tt:UseCount>
        <tt:Encoding>H264</tt:Encoding><tt:Quality>5</tt:Quality>
        <tt:RateControl ConstantBitRate="true"><tt:FrameRateLimit>12</tt:FrameRateLimit>
        <tt:BitrateLimit>6144</tt:BitrateLimit></tt:RateControl></trt:Configurations>
        </trt:GetVideoEncoderConfigurationsResponse></s:Body></s:Envelope>"#
    );
    let first: VideoEncoderConfigurations = read_document(doc.as_bytes()).unwrap();
    assert_eq!(first.configurations[0].constant_bitrate, Some(true));
    // Written as the simulator does and read back: unchanged.
    round_trip(&first);
}

/// roundtrip, crash-7b9f6f51: a topic step with two colons (`x:tt:Motion`, no QName) was read
/// as prefix `x` and name `tt:Motion`; written back, `tt:` then resolved to the schema
/// namespace and the topic changed. The prefix is now what comes before the last colon.
#[test]
fn a_topic_step_with_two_colons_reads_the_same_after_writing() {
    use onvif_proto::ops::events::{Notify, Topic};
    let doc = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><wsnt:Notify><wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">x:tt:Motion/Alarm</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2025-01-01T00:00:00Z"/></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></s:Body></s:Envelope>"#;
    let first: Notify = read_document(doc.as_bytes()).unwrap();
    let topic: &Topic = &first.messages[0].topic;
    assert_eq!(topic.path, "Motion/Alarm");
    assert_eq!(topic.steps[0].ns, None, "x:tt is no bound prefix");
    // Written as the simulator does and read back: unchanged.
    round_trip(&first);
}

/// roundtrip, crash-cd5cac12: an element's namespace was the raw text of its `xmlns`
/// declaration, references unexpanded, while the same declaration read for prefixes in values
/// was expanded: `&#13;` or `&amp;` in a namespace URI made the two disagree, and what the
/// simulator wrote (escaping a CR) read back as another namespace.
#[test]
fn namespace_uris_with_references_are_expanded_for_elements_too() {
    let doc = r#"<r xmlns:a="urn:x&amp;y&#13;z"><a:child>a:value</a:child></r>"#;
    let root = onvif_proto::xml::parse(doc.as_bytes()).unwrap();
    let child = root.first_child().unwrap();
    assert_eq!(child.ns.as_deref(), Some("urn:x&y\rz"));
    assert!(child.is("urn:x&y\rz", "child"));
    assert_eq!(
        child.resolve_qname("a:value").ns.as_deref(),
        Some("urn:x&y\rz")
    );
}

/// roundtrip, crash-8860accd: a step that is only a prefix (`http:` in a topic holding a URL)
/// was read as a step with an empty name; written, `a//b` then read without it.
#[test]
fn a_topic_step_without_a_name_is_no_step() {
    use onvif_proto::ops::events::Notify;
    let doc = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><wsnt:Notify><wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">Monitoring/http://www.w3.org/x</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2025-01-01T00:00:00Z"/></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></s:Body></s:Envelope>"#;
    let first: Notify = read_document(doc.as_bytes()).unwrap();
    assert_eq!(first.messages[0].topic.path, "Monitoring/www.w3.org/x");
    // Written as the simulator does and read back: unchanged.
    round_trip(&first);
}

/// `<a="false"/>` passed as an element named `a="false"`; flattened into service
/// capabilities it was written back as an attribute `a="false"=""`, which does not parse.
/// Names that are not XML names are refused when read.
#[test]
fn a_name_that_is_no_xml_name_is_refused() {
    for doc in [
        r#"<r><ProfileCapabicast="false"/></r>"#,
        r#"<r a;b="1"/>"#,
        r#"<r><1a/></r>"#,
        // roundtrip, crash-f4352e4a: in an analytics module's parameters, `<: x="0"/>` (and
        // `tt:Point:`) passed as an element whose name wrote back as no name at all. A QName
        // has one colon at most, with a name on each side.
        r#"<r><: x="0"/></r>"#,
        r#"<r xmlns:tt="urn:t"><tt:Point: x="0"/></r>"#,
        r#"<r><a:b:c xmlns:a="urn:a"/></r>"#,
        r#"<r><:a/></r>"#,
        r#"<r xmlns:a="urn:a" a:="1"/>"#,
        r#"<r xmlns:a="urn:a" a:b:c="1"/>"#,
    ] {
        let e = onvif_proto::xml::parse(doc.as_bytes()).unwrap_err();
        assert!(e.message.contains("is not an"), "{doc}: {e}");
    }
    let ok = onvif_proto::xml::parse("<r é.x-y_z=\"1\"><a:b.c xmlns:a=\"urn:a\"/></r>".as_bytes())
        .unwrap();
    assert_eq!(ok.attrs[0].name, "é.x-y_z");
    assert_eq!(ok.children[0].name, "b.c");
}

/// roundtrip, crash-fe6dbdbb: an analytics module's `Type` (a QName value) of `: e`, or of
/// `q:Field:Track` (two colons), was read as the name ` e` or `Field:Track`; written back
/// alone, that read as `e`, or as `Track` with the prefix `Field`. A QName value's prefix is
/// now what comes before the last colon, and both parts are trimmed.
#[test]
fn a_qname_value_that_is_no_qname_reads_the_same_after_writing() {
    use onvif_proto::ops::analytics::AnalyticsModules;
    for (ty, name) in [
        (": e", "e"),
        ("q:Field:Track", "Track"),
        (" tt:Cell ", "Cell"),
    ] {
        let doc = format!(
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tan="http://www.onvif.org/ver20/analytics/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><tan:GetAnalyticsModulesResponse><tan:AnalyticsModule Name="m" Type="{ty}"/></tan:GetAnalyticsModulesResponse></s:Body></s:Envelope>"#
        );
        let first: AnalyticsModules = read_document(doc.as_bytes()).unwrap();
        assert_eq!(first.modules[0].kind.name, name, "{ty}");
        round_trip(&first);
    }
}

/// An attribute value holding a tab or a line break (written `&#10;` by a camera) was
/// written raw, and a reader turns raw ones into spaces: they are written as references now.
#[test]
fn attribute_values_keep_their_line_breaks_when_written() {
    let mut w = onvif_proto::xml::Writer::new();
    w.start("r").attr("a", "x\ny\tz\r").end_empty();
    let doc = w.finish();
    let root = onvif_proto::xml::parse(doc.as_bytes()).unwrap();
    assert_eq!(root.attr("a"), Some("x\ny\tz\r"), "{doc}");
    // The writer of elements read from a camera (element items, reference parameters) too,
    // namespace URIs included.
    let el = onvif_proto::xml::parse(br#"<r xmlns:v="urn:a&#9;b"><v:c a="x&#10;y"/></r>"#).unwrap();
    let again = onvif_proto::xml::element_to_xml(&el.children[0]);
    let back = onvif_proto::xml::parse(again.as_bytes()).unwrap();
    assert_eq!(back.ns.as_deref(), Some("urn:a\tb"), "{again}");
    assert_eq!(back.attr("a"), Some("x\ny"), "{again}");
}
