//! Events: every event-related capture parses with its values checked, and every message
//! round-trips (write, read, compare). Nothing here opens a socket: addresses are values read
//! from the captures and compared.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onvif_proto::decode::decode;
use onvif_proto::ops::events::*;
use onvif_proto::soap::{Envelope, envelope};
use onvif_proto::xml;
use onvif_proto::{Message, ns};
use onvif_testkit::captures;
use onvif_testkit::message::round_trip;

const EVENT_OPS: &[&str] = &[
    "GetEventPropertiesResponse",
    "CreatePullPointSubscriptionResponse",
    "PullMessagesResponse",
    "UnsubscribeResponse",
    "RenewResponse",
    "SetSynchronizationPointResponse",
    "SeekResponse",
    "Notify",
];

/// The doT template's `{{? ... }}` lines removed, so the recorded structure can be read.
fn strip_template(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("{{?"))
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

#[test]
fn every_event_capture_parses_typed() {
    let Some(dir) = captures::captures_dir() else {
        return;
    };
    let rows: Vec<_> = captures::index(&dir)
        .into_iter()
        .filter(|r| {
            EVENT_OPS.contains(&r.op())
                || (r.op() == "GetServiceCapabilitiesResponse" && r.file.contains("event"))
        })
        .collect();
    assert!(rows.len() >= 9, "event captures found: {}", rows.len());
    for r in rows {
        let mut bytes = captures::read(&dir, &r.file);
        if !r.well_formed() {
            bytes = strip_template(&bytes);
        }
        let d = decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", r.file));
        assert_eq!(d.kind, "typed", "{}: {:?}", r.file, d.typed_error);
    }
}

#[test]
fn get_event_properties_captures() {
    let Some(dir) = captures::captures_dir() else {
        return;
    };
    let p: EventProperties = captures::read_as(&dir, "agsh-onvif/GetEventProperties.xml");
    assert_eq!(p.fixed_topic_set, Some(true));
    assert_eq!(p.topic_expression_dialects.len(), 2);
    assert_eq!(p.topic_expression_dialects[0], dialect::CONCRETE_SET);
    let flat = p.flatten();
    let di = flat
        .iter()
        .find(|t| t.path == "Device/Trigger/DigitalInput")
        .unwrap();
    assert_eq!(di.ns.as_deref(), Some(TNS1));
    let m = di.message.as_ref().unwrap();
    assert!(m.is_property);
    assert_eq!(m.source[0].name, "InputToken");
    assert_eq!(m.source[0].type_name, "tt:ReferenceToken");
    assert_eq!(m.data[0].name, "LogicalState");
    // The camera lists `tns1:Device` twice (its own `Trigger`, then Axis's `IO`): one root
    // of the tree, holding both.
    let devices: Vec<_> = p.topics.iter().filter(|t| t.name == "Device").collect();
    assert_eq!(devices.len(), 1, "{:?}", p.topics);
    let names: Vec<_> = devices[0]
        .children
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Trigger", "IO"]);
    assert_eq!(
        p.topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["Device", "VideoSource", "VideoAnalytics"]
    );
    // An Axis step under an ONVIF root keeps its own namespace.
    let dev = devices[0].children.iter().find(|c| c.name == "IO").unwrap();
    assert_eq!(
        dev.ns.as_deref(),
        Some("http://www.axis.com/2009/event/topics")
    );
    assert!(
        flat.iter()
            .any(|t| t.path == "VideoAnalytics/MotionDetection")
    );
    round_trip(&p);

    let h: EventProperties = captures::read_as(&dir, "ex_onvif/get_event_properties.xml");
    let flat = h.flatten();
    let motion = flat
        .iter()
        .find(|t| t.path == "RuleEngine/CellMotionDetector/Motion")
        .unwrap();
    let m = motion.message.as_ref().unwrap();
    assert_eq!(m.source.len(), 3);
    assert_eq!(m.data[0].name, "IsMotion");
    assert_eq!(m.data[0].type_name, "xs:boolean");
    assert!(
        flat.iter()
            .any(|t| t.path == "Device/HardwareFailure/HardDiskFull")
    );
    round_trip(&h);
}

#[test]
fn create_pull_point_subscription_captures() {
    let Some(dir) = captures::captures_dir() else {
        return;
    };
    let c: CreatePullPointSubscriptionResponse =
        captures::read_as(&dir, "ex_onvif/create_pull_point_subscription.xml");
    assert_eq!(
        c.subscription_reference.address,
        "http://192.168.8.120/onvif/Events/PullSubManager_20250415T164937Z_0"
    );
    assert!(c.subscription_reference.reference_parameters.is_empty());
    assert_eq!(c.current_time.unwrap().to_string(), "2025-04-15T16:49:37Z");
    assert_eq!(
        c.termination_time.unwrap().as_second() - c.current_time.unwrap().as_second(),
        60
    );
    // A template: the times are placeholders and read as none, the address as written.
    let t: CreatePullPointSubscriptionResponse =
        captures::read_as(&dir, "agsh-onvif/events.CreatePullPointSubscription.xml");
    assert!(t.subscription_reference.address.starts_with("http://"));
    assert_eq!(t.current_time, None);
    assert_eq!(t.termination_time, None);
}

#[test]
fn pull_messages_captures() {
    let Some(dir) = captures::captures_dir() else {
        return;
    };
    let p: PullMessagesResponse = captures::read_as(&dir, "ex_onvif/pull_messages.xml");
    assert_eq!(p.messages.len(), 8);
    assert_eq!(p.current_time.unwrap().to_string(), "2025-04-18T20:34:05Z");
    let m = &p.messages[1];
    assert!(m.topic.is_onvif("RuleEngine/CellMotionDetector/Motion"));
    assert_eq!(m.topic.dialect, dialect::CONCRETE_SET);
    assert_eq!(
        m.message.property_operation,
        Some(PropertyOperation::Initialized)
    );
    assert_eq!(m.message.source.len(), 3);
    assert_eq!(m.message.source[2].value, "MyMotionDetectorRule");
    assert_eq!(m.data_item("IsMotion"), Some("false"));
    let table = KindTable::default();
    let k = table.classify(m).unwrap();
    assert_eq!(k.kind, "motion");
    assert_eq!(k.active, Some(false));
    assert_eq!(table.classify(&p.messages[0]).unwrap().kind, "motion");
    assert_eq!(table.classify(&p.messages[2]).unwrap().kind, "tamper");
    let field = &p.messages[4];
    assert_eq!(field.message.key[0].name, "ObjectId");
    assert_eq!(table.classify(field).unwrap().kind, "intrusion");
    assert_eq!(table.classify(&p.messages[5]), None);
    round_trip(&p);

    // The agsh template, with its `{{? }}` lines removed: topic text padded with newlines,
    // a SubscriptionReference inside the message, a placeholder time.
    let bytes = strip_template(&captures::read(&dir, "agsh-onvif/PullMessages.xml"));
    let p: PullMessagesResponse = captures::try_read_as(&bytes).unwrap();
    assert!(!p.messages.is_empty());
    let m = &p.messages[0];
    assert!(m.topic.is_onvif("RuleEngine/CellMotionDetector/Motion"));
    assert_eq!(m.message.utc_time, None);
    assert!(m.subscription_address.is_some());
    assert_eq!(table.classify(m).unwrap().active, Some(true));
}

#[test]
fn event_service_capabilities_captures() {
    let Some(dir) = captures::captures_dir() else {
        return;
    };
    let c: ServiceCapabilities =
        captures::read_as(&dir, "ex_onvif/get_event_service_capabilities.xml");
    assert_eq!(c.ws_pull_point_support, Some(true));
    assert_eq!(c.max_pull_points, Some(32));
    let a: ServiceCapabilities =
        captures::read_as(&dir, "agsh-onvif/events.GetServiceCapabilities.xml");
    assert_eq!(a.persistent_notification_storage, Some(false));
    assert_eq!(a.max_pull_points, Some(10));
    round_trip(&a);
    let u: UnsubscribeResponse = captures::read_as(&dir, "agsh-onvif/Unsubscribe.xml");
    assert_eq!(u, UnsubscribeResponse);
}

#[test]
fn topics_are_resolved_by_namespace_not_prefix() {
    let doc = |prefix: &str, uri: &str, text: &str| {
        format!(
            r#"<wsnt:NotificationMessage xmlns:wsnt="{}" xmlns:{prefix}="{uri}"><wsnt:Topic Dialect=" {} junk ">{text}</wsnt:Topic></wsnt:NotificationMessage>"#,
            ns::WSNT,
            dialect::CONCRETE_SET
        )
    };
    let read = |s: String| NotificationMessage::read(&xml::parse(s.as_bytes()).unwrap());
    let a = read(doc(
        "tns1",
        TNS1,
        "tns1:RuleEngine/CellMotionDetector/Motion",
    ));
    let b = read(doc(
        "ns2",
        TNS1,
        " ns2:RuleEngine/CellMotionDetector/Motion//. ",
    ));
    let c = read(doc(
        "tnsaxis",
        "http://www.axis.com/2009/event/topics",
        "tnsaxis:RuleEngine/CellMotionDetector/Motion",
    ));
    assert_eq!(a.topic.path, b.topic.path);
    assert_eq!(a.topic.ns, b.topic.ns);
    assert!(b.topic.is_onvif("RuleEngine/CellMotionDetector/Motion"));
    assert_eq!(c.topic.path, a.topic.path);
    assert_ne!(c.topic.ns, a.topic.ns);
    assert!(!c.topic.is_onvif("RuleEngine/CellMotionDetector/Motion"));
    // A filter matches by namespace too.
    let f = TopicFilter::concrete_set("tns1:RuleEngine//.");
    assert!(f.matches(&a.topic) && f.matches(&b.topic));
    assert!(!f.matches(&c.topic));
    assert!(!TopicFilter::concrete_set("tns1:Device//.").matches(&a.topic));
    assert!(
        TopicFilter::concrete_set("tns1:Device//.|tns1:RuleEngine/CellMotionDetector/Motion")
            .matches(&a.topic)
    );
}

#[test]
fn requests_and_responses_round_trip() {
    let t0 = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    round_trip(&CreatePullPointSubscription {
        filter: Some(TopicFilter::concrete_set("tns1:RuleEngine//.")),
        initial_termination_time: Some(TerminationTime::Relative(Duration::from_secs(60))),
    });
    let c = round_trip(&CreatePullPointSubscription {
        filter: None,
        initial_termination_time: Some(TerminationTime::Absolute(t0)),
    })
    .back;
    assert_eq!(
        c.initial_termination_time,
        Some(TerminationTime::Absolute(t0))
    );
    round_trip(&PullMessages {
        timeout: Duration::from_secs(5),
        message_limit: 100,
    });
    round_trip(&Renew {
        termination_time: TerminationTime::Relative(Duration::from_millis(2500)),
    });
    round_trip(&RenewResponse {
        termination_time: Some(t0),
        current_time: Some(t0),
    });
    round_trip(&Unsubscribe);
    round_trip(&Subscribe {
        consumer: "http://192.0.2.5:8002/onvif-events/abc".into(),
        filter: Some(TopicFilter::concrete_set("tns1:Device//.")),
        initial_termination_time: Some(TerminationTime::Relative(Duration::from_secs(90))),
    });
    round_trip(&SubscribeResponse {
        subscription_reference: EndpointReference::new(
            "http://cam/sub/1",
            &[r#"<x:Id xmlns:x="urn:x">1</x:Id>"#],
        ),
        current_time: Some(t0),
        termination_time: Some(t0),
    });
    round_trip(&GetCurrentMessage {
        topic: TopicFilter::concrete_set("tns1:Device/Trigger/DigitalInput"),
    });
    round_trip(&CurrentMessage { message: None });
    round_trip(&SetSynchronizationPoint);
    round_trip(&SetSynchronizationPointResponse);
    round_trip(&Seek {
        utc_time: t0,
        reverse: None,
    });
    round_trip(&Seek {
        utc_time: t0,
        reverse: Some(true),
    });
    round_trip(&SeekResponse);
    let msg = NotificationMessage::onvif(
        "Device/Trigger/DigitalInput",
        t0,
        PropertyOperation::Changed,
        vec![SimpleItem::new("InputToken", "DI_1")],
        vec![SimpleItem::new("LogicalState", "true")],
    );
    let n = round_trip(&Notify {
        messages: vec![msg.clone()],
    })
    .back;
    assert_eq!(
        KindTable::default().classify(&n.messages[0]).unwrap(),
        EventKind {
            kind: "digital-input".into(),
            active: Some(true)
        }
    );
    round_trip(&PullMessagesResponse {
        current_time: Some(t0),
        termination_time: Some(t0),
        messages: vec![msg],
    });
}

#[test]
fn reference_parameters_are_echoed_verbatim() {
    let doc = r#"<tev:CreatePullPointSubscriptionResponse xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"><tev:SubscriptionReference><wsa:Address>http://cam/sub/7</wsa:Address><wsa:ReferenceParameters><dom0:SubscriptionId xmlns:dom0="urn:vendor" kind="x">7&amp;8<dom0:Inner q="dom0:v"/></dom0:SubscriptionId><Plain>p</Plain></wsa:ReferenceParameters></tev:SubscriptionReference><wsnt:CurrentTime>0000-00-00T00:00:00Z</wsnt:CurrentTime><wsnt:TerminationTime>2026-11-23T21:73:00Z</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>"#;
    let r =
        CreatePullPointSubscriptionResponse::read(&xml::parse(doc.as_bytes()).unwrap()).unwrap();
    assert_eq!(r.current_time, None);
    assert_eq!(
        r.termination_time.unwrap().to_string(),
        "2026-11-23T22:13:00Z"
    );
    let refs = &r.subscription_reference;
    assert_eq!(refs.reference_parameters.len(), 2);
    // Each echoed element reads back as the same element, wherever it is pasted.
    let header = refs.header_xml(action::PULL_MESSAGES, "urn:uuid:1");
    let env = envelope(Some(&header), "<tev:PullMessages/>");
    let env = Envelope::parse(env.as_bytes()).unwrap();
    let h = env.header.unwrap();
    let id = h.child("urn:vendor", "SubscriptionId").unwrap();
    assert_eq!(id.text, "7&8");
    assert_eq!(id.attr("kind"), Some("x"));
    let inner = id.child("urn:vendor", "Inner").unwrap();
    let q = inner.resolve_qname(inner.attr("q").unwrap());
    assert_eq!(q.ns.as_deref(), Some("urn:vendor"));
    let plain = h.children.iter().find(|c| c.name == "Plain").unwrap();
    assert_eq!(plain.ns, None);
    assert_eq!(h.child_text(ns::WSA, "To"), Some("http://cam/sub/7"));
    assert_eq!(h.child_text(ns::WSA, "Action"), Some(action::PULL_MESSAGES));
    // Each echoed parameter is marked as one (WS-Addressing 1.0), the others are not.
    assert_eq!(id.attr_ns(ns::WSA, "IsReferenceParameter"), Some("true"));
    assert_eq!(plain.attr_ns(ns::WSA, "IsReferenceParameter"), Some("true"));
    assert_eq!(inner.attr_ns(ns::WSA, "IsReferenceParameter"), None);
    assert_eq!(
        h.child(ns::WSA, "To")
            .unwrap()
            .attr_ns(ns::WSA, "IsReferenceParameter"),
        None
    );
    // A parameter declaring `wsa` for another namespace still gets the 1.0 attribute.
    let odd = EndpointReference::new(
        "http://cam/sub/8",
        &[r#"<wsa:Id xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">8</wsa:Id>"#],
    );
    let env = envelope(
        Some(&odd.header_xml(action::PULL_MESSAGES, "urn:uuid:2")),
        "<tev:PullMessages/>",
    );
    let env = Envelope::parse(env.as_bytes()).unwrap();
    let h = env.header.unwrap();
    let id = h
        .child("http://schemas.xmlsoap.org/ws/2004/08/addressing", "Id")
        .unwrap();
    assert_eq!(id.attr_ns(ns::WSA, "IsReferenceParameter"), Some("true"));
    // And the response writes them back as given.
    let back = round_trip(&r).back;
    assert_eq!(back.subscription_reference.reference_parameters.len(), 2);
}

#[test]
fn kind_rules_can_be_extended() {
    let mut t = KindTable::default();
    t.extend_front("Vendor/Doorbell  Pressed  doorbell\n")
        .unwrap();
    let m = NotificationMessage::onvif(
        "Vendor/Doorbell",
        jiff::Timestamp::UNIX_EPOCH,
        PropertyOperation::Changed,
        vec![],
        vec![SimpleItem::new("Pressed", "1")],
    );
    assert_eq!(t.classify(&m).unwrap().kind, "doorbell");
    assert_eq!(t.classify(&m).unwrap().active, Some(true));
    assert!(KindTable::parse("only two").is_err());
    // Seeded Tapo topics, and an unknown topic known by its item alone.
    let tapo = |path: &str, item: &str| {
        NotificationMessage::onvif(
            path,
            jiff::Timestamp::UNIX_EPOCH,
            PropertyOperation::Changed,
            vec![],
            vec![SimpleItem::new(item, "true")],
        )
    };
    let d = KindTable::default();
    let k = |m| d.classify(&m).map(|k| k.kind);
    assert_eq!(
        k(tapo(
            "RuleEngine/TPSmartEventDetector/TPSmartEvent",
            "IsVehicle"
        ))
        .as_deref(),
        Some("vehicle")
    );
    assert_eq!(
        k(tapo(
            "RuleEngine/TPSmartEventDetector/TPSmartEvent",
            "IsPet"
        ))
        .as_deref(),
        Some("pet")
    );
    assert_eq!(
        k(tapo(
            "RuleEngine/LineCrossDetector/LineCross",
            "IsLineCross"
        ))
        .as_deref(),
        Some("line-crossing")
    );
    assert_eq!(
        k(tapo("RuleEngine/BabyCryDetector/Whatever", "IsPeople")).as_deref(),
        Some("person")
    );
    assert_eq!(k(tapo("Monitoring/Something", "Status")), None);
}

#[test]
fn filters_declare_the_prefixes_they_use() {
    use onvif_proto::ops::events::TopicFilter;
    let f = TopicFilter::concrete_set("tnsaxis:CameraApplicationPlatform//.|tns1:RuleEngine//.");
    let uris: Vec<&str> = f.namespaces.iter().map(|(_, u)| u.as_str()).collect();
    assert!(
        uris.contains(&"http://www.axis.com/2009/event/topics"),
        "{uris:?}"
    );
    assert!(
        uris.contains(&"http://www.onvif.org/ver10/topics"),
        "{uris:?}"
    );
    let plain = TopicFilter::concrete_set("tns1:RuleEngine//.");
    assert_eq!(plain.namespaces.len(), 1);
}

const TNSHIK: &str = "http://www.hikvision.com/2011/event/topics";

/// A PullMessages answer as a Hikvision-like camera sends it: a link status change carrying
/// an ElementItem (with a vendor-namespaced child and attribute), a vendor step under an
/// ONVIF topic, and a motion message.
const LINK_STATUS_PULL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tns1="http://www.onvif.org/ver10/topics" xmlns:tnshik="http://www.hikvision.com/2011/event/topics" xmlns:hik="urn:example:hik-ext">
<env:Body><tev:PullMessagesResponse>
<tev:CurrentTime>2026-03-01T10:00:01Z</tev:CurrentTime>
<tev:TerminationTime>2026-03-01T10:01:01Z</tev:TerminationTime>
<wsnt:NotificationMessage>
  <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:Monitoring/LinkStatus</wsnt:Topic>
  <wsnt:Message><tt:Message UtcTime="2026-03-01T10:00:00Z" PropertyOperation="Changed">
    <tt:Source><tt:SimpleItem Name="InterfaceToken" Value="eth0"/></tt:Source>
    <tt:Key><tt:ElementItem Name="Port"><hik:Port number="1"/></tt:ElementItem></tt:Key>
    <tt:Data>
      <tt:SimpleItem Name="Up" Value="true"/>
      <tt:ElementItem Name="Link">
        <tt:Link hik:vendorFlag="x&amp;y">
          <tt:AutoNegotiation>true</tt:AutoNegotiation>
          <tt:Speed>100</tt:Speed>
          <tt:Duplex>Full</tt:Duplex>
          <hik:Cable>cat6</hik:Cable>
        </tt:Link>
      </tt:ElementItem>
    </tt:Data>
  </tt:Message></wsnt:Message>
</wsnt:NotificationMessage>
<wsnt:NotificationMessage>
  <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:Device/Trigger/tnshik:AlarmIn</wsnt:Topic>
  <wsnt:Message><tt:Message UtcTime="2026-03-01T10:00:00Z" PropertyOperation="Changed">
    <tt:Source><tt:SimpleItem Name="AlarmInToken" Value="AlarmIn_1"/></tt:Source>
    <tt:Data><tt:SimpleItem Name="State" Value="true"/></tt:Data>
  </tt:Message></wsnt:Message>
</wsnt:NotificationMessage>
</tev:PullMessagesResponse></env:Body></env:Envelope>"#;

#[test]
fn element_items_are_kept_as_trees_and_round_trip() {
    let env = Envelope::parse(LINK_STATUS_PULL.as_bytes()).unwrap();
    let p = PullMessagesResponse::read(env.payload().unwrap()).unwrap();
    let m = &p.messages[0];
    assert!(m.topic.is_onvif("Monitoring/LinkStatus"));
    assert_eq!(m.data_item("Up"), Some("true"));
    let link = m.data_element("Link").expect("the Link element item");
    let e = link.element.as_ref().unwrap();
    assert_eq!((e.ns.as_deref(), e.name.as_str()), (Some(ns::TT), "Link"));
    assert_eq!(e.attr_ns("urn:example:hik-ext", "vendorFlag"), Some("x&y"));
    assert_eq!(link.text_of(ns::TT, "AutoNegotiation"), Some("true"));
    assert_eq!(link.text_of(ns::TT, "Speed"), Some("100"));
    assert_eq!(link.text_of(ns::TT, "Duplex"), Some("Full"));
    assert_eq!(link.text_of("urn:example:hik-ext", "Cable"), Some("cat6"));
    assert_eq!(link.text_of(ns::TT, "Cable"), None, "matched by namespace");
    assert_eq!(m.message.key_elements[0].name, "Port");
    assert_eq!(
        m.message.key_elements[0]
            .element
            .as_ref()
            .unwrap()
            .attr("number"),
        Some("1")
    );
    // Written back and read again: the same trees.
    round_trip(&p);
    round_trip(&Notify {
        messages: p.messages.clone(),
    });

    // The JSON keeps the tree, namespaces included.
    let d = decode(LINK_STATUS_PULL.as_bytes()).unwrap();
    assert_eq!(d.kind, "typed");
    let j = d.data.unwrap();
    let item = &j["messages"][0]["message"]["data_elements"][0];
    assert_eq!(item["name"], "Link");
    assert_eq!(item["element"]["name"], "Link");
    assert_eq!(item["element"]["ns"], ns::TT);
    assert_eq!(item["element"]["children"][1]["name"], "Speed");
    assert_eq!(item["element"]["children"][1]["text"], "100");
    assert_eq!(item["element"]["children"][3]["ns"], "urn:example:hik-ext");
    assert_eq!(item["element"]["attrs"][0]["value"], "x&y");
    assert_eq!(j["messages"][0]["message"]["data"][0]["name"], "Up");
}

#[test]
fn element_items_built_by_hand_keep_their_namespaces() {
    // A tree built in code (as the simulator does) has no recorded declarations: written and
    // read back, an unqualified child stays unqualified under a namespaced parent.
    let mut link = xml::Element::new(Some(ns::TT), "Link");
    let mut speed = xml::Element::new(None, "Speed");
    speed.text = "1000".into();
    let mut cable = xml::Element::new(Some("urn:example:hik-ext"), "Cable");
    cable.text = "cat6 <&>".into();
    let duplex = xml::Element::new(Some(ns::TT), "Duplex");
    link.children = vec![speed, cable, duplex];
    let mut msg = NotificationMessage::onvif(
        "Monitoring/LinkStatus",
        jiff::Timestamp::UNIX_EPOCH,
        PropertyOperation::Changed,
        vec![SimpleItem::new("InterfaceToken", "eth0")],
        vec![],
    );
    msg.message.data_elements = vec![
        ElementItem::new("Link", link),
        ElementItem {
            name: "Empty".into(),
            element: None,
        },
    ];
    let back = round_trip(&PullMessagesResponse {
        current_time: None,
        termination_time: None,
        messages: vec![msg],
    })
    .back;
    assert_eq!(back.messages[0].message.data_elements[1].element, None);
    let e = back.messages[0]
        .data_element("Link")
        .and_then(|i| i.element.as_ref())
        .unwrap();
    assert_eq!(e.children[0].ns, None);
    assert_eq!(e.children[1].ns.as_deref(), Some("urn:example:hik-ext"));
    assert_eq!(e.children[1].text, "cat6 <&>");
    assert_eq!(e.children[2].ns.as_deref(), Some(ns::TT));
}

#[test]
fn element_item_descriptions_are_read_and_written() {
    let Some(dir) = captures::captures_dir() else {
        return;
    };
    let h: EventProperties = captures::read_as(&dir, "ex_onvif/get_event_properties.xml");
    let flat = h.flatten();
    let profile = flat
        .iter()
        .find(|t| t.path == "Configuration/Profile")
        .unwrap();
    let m = profile.message.as_ref().unwrap();
    assert_eq!(m.source[0].name, "Token");
    assert!(m.data.is_empty());
    assert_eq!(m.data_elements.len(), 1);
    assert_eq!(m.data_elements[0].name, "Configuration");
    assert_eq!(m.data_elements[0].type_name, "tt:Profile");
    // Simple and element items side by side.
    let job = flat
        .iter()
        .find(|t| t.path == "RecordingConfig/JobState")
        .unwrap();
    let m = job.message.as_ref().unwrap();
    assert_eq!(m.data[0].name, "State");
    assert_eq!(m.data_elements[0].name, "Information");
    assert_eq!(
        m.data_elements[0].type_name,
        "tt:RecordingJobStateInformation"
    );
    let back = round_trip(&h).back;
    let json = serde_json::to_value(&back).unwrap();
    assert!(
        json.to_string()
            .contains(r#""data_elements":[{"name":"Configuration","type":"tt:Profile"}]"#),
        "{json}"
    );
}

#[test]
fn vendor_steps_keep_their_namespace() {
    let env = Envelope::parse(LINK_STATUS_PULL.as_bytes()).unwrap();
    let p = PullMessagesResponse::read(env.payload().unwrap()).unwrap();
    let t = &p.messages[1].topic;
    assert_eq!(t.path, "Device/Trigger/AlarmIn");
    assert_eq!(t.ns.as_deref(), Some(TNS1));
    assert_eq!(t.steps[0].ns.as_deref(), Some(TNS1));
    assert_eq!(t.steps[1].ns, None);
    assert_eq!(t.steps[2].ns.as_deref(), Some(TNSHIK));
    assert_eq!(effective_ns(&t.steps, 1), Some(TNS1));
    assert_eq!(
        t.display_path(),
        format!("Device/Trigger/{{{TNSHIK}}}AlarmIn")
    );
    assert_ne!(t, &Topic::onvif("Device/Trigger/AlarmIn"));
    // In JSON, every step with its namespace.
    let j = serde_json::to_value(t).unwrap();
    assert_eq!(j["steps"][0]["ns"], TNS1);
    assert_eq!(j["steps"][1]["name"], "Trigger");
    assert!(j["steps"][1].get("ns").is_none());
    assert_eq!(j["steps"][2]["ns"], TNSHIK);
    assert_eq!(j["steps"][2]["name"], "AlarmIn");
    // Written and read back, the vendor step keeps its namespace.
    let back = round_trip(&p).back;
    assert_eq!(back.messages[1].topic.steps[2].ns.as_deref(), Some(TNSHIK));
}

#[test]
fn received_topics_are_found_in_the_topic_tree_by_namespace() {
    let Some(dir) = captures::captures_dir() else {
        return;
    };
    let h: EventProperties = captures::read_as(&dir, "ex_onvif/get_event_properties.xml");
    let doc = |text: &str| {
        format!(
            r#"<wsnt:NotificationMessage xmlns:wsnt="{}" xmlns:a="{TNS1}" xmlns:b="{TNSHIK}"><wsnt:Topic Dialect="{}">{text}</wsnt:Topic></wsnt:NotificationMessage>"#,
            ns::WSNT,
            dialect::CONCRETE_SET
        )
    };
    let read = |s: String| NotificationMessage::read(&xml::parse(s.as_bytes()).unwrap());
    let full = read(doc("a:Device/HardwareFailure/b:HardDiskFull"));
    let entry = h
        .find(&full.topic)
        .expect("the vendor topic is in the tree");
    assert_eq!(entry.steps[2].ns.as_deref(), Some(TNSHIK));
    assert_eq!(entry.message.unwrap().source[0].name, "HardDiskNo");
    // The same names with the vendor step in the ONVIF namespace are another topic.
    assert_eq!(
        h.find(&read(doc("a:Device/HardwareFailure/HardDiskFull")).topic),
        None
    );
    // An unprefixed ONVIF child is found too.
    let storage = read(doc("a:Device/HardwareFailure/StorageFailure"));
    assert!(h.find(&storage.topic).is_some());
}

#[test]
fn kind_rules_can_match_a_step_namespace() {
    let env = Envelope::parse(LINK_STATUS_PULL.as_bytes()).unwrap();
    let p = PullMessagesResponse::read(env.payload().unwrap()).unwrap();
    let vendor = &p.messages[1];
    let mut onvif_alarm = vendor.clone();
    onvif_alarm.topic = Topic::onvif("Device/Trigger/AlarmIn");

    let mut t = KindTable::default();
    t.extend_front(&format!(
        "# Hikvision alarm inputs\n\
         xmlns:hik {TNSHIK}   # declared for the whole file\n\
         Device/Trigger/hik:AlarmIn  State  alarm-input\n\
         tns1:Trigger/{{{TNS1}}}AlarmIn  State  onvif-alarm\n"
    ))
    .unwrap();
    let k = t.classify(vendor).unwrap();
    assert_eq!((k.kind.as_str(), k.active), ("alarm-input", Some(true)));
    // `AlarmIn` unprefixed under `tns1:` is in the ONVIF namespace: the second rule.
    assert_eq!(t.classify(&onvif_alarm).unwrap().kind, "onvif-alarm");
    // A rule without namespaces matches both, as before.
    let mut plain = KindTable::default();
    plain.extend_front("Trigger/AlarmIn State alarm\n").unwrap();
    assert_eq!(plain.classify(vendor).unwrap().kind, "alarm");
    assert_eq!(plain.classify(&onvif_alarm).unwrap().kind, "alarm");
    // `{uri}` with a `#` and `/` inside, written out in full.
    let mut braces = KindTable::default();
    braces
        .extend_front("{urn:x/y#z}Cam/Thing * thing\n{http://www.hikvision.com/2011/event/topics}AlarmIn * hik\n")
        .unwrap();
    assert_eq!(braces.rules[0].pattern[0].ns.as_deref(), Some("urn:x/y#z"));
    assert_eq!(braces.classify(vendor).unwrap().kind, "hik");
    assert_eq!(braces.classify(&onvif_alarm).map(|k| k.kind), None);
    // An element item can name the rule's item (no boolean state).
    let mut link = KindTable::default();
    link.extend_front("Monitoring/LinkStatus Link link\n")
        .unwrap();
    assert_eq!(
        link.classify(&p.messages[0]).unwrap(),
        EventKind {
            kind: "link".into(),
            active: None
        }
    );
    // Clear errors, never a panic.
    for bad in [
        "hik:AlarmIn State x\n",
        "{urn:x AlarmIn State x\n",
        "xmlns:hik\n",
        "xmlns: urn:x\n",
        "a/{urn:x}/b * x\n",
    ] {
        let e = KindTable::parse(bad).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{bad}: {e}");
    }
    assert!(
        KindTable::parse("hik:AlarmIn State x\n")
            .unwrap_err()
            .to_string()
            .contains("xmlns:hik")
    );
}

#[test]
fn decode_adds_each_message_kind() {
    let d = decode(LINK_STATUS_PULL.as_bytes()).unwrap();
    let j = d.data.unwrap();
    assert_eq!(j["messages"][0]["kind"], serde_json::Value::Null);
    assert_eq!(j["messages"][1]["kind"], serde_json::Value::Null);
    let mut t = KindTable::default();
    t.extend_front(&format!(
        "xmlns:hik {TNSHIK}\nhik:AlarmIn State alarm-input\n"
    ))
    .unwrap();
    let d = onvif_proto::decode::decode_with_kinds(LINK_STATUS_PULL.as_bytes(), &t).unwrap();
    let j = d.data.unwrap();
    assert_eq!(j["messages"][1]["kind"]["kind"], "alarm-input");
    assert_eq!(j["messages"][1]["kind"]["active"], true);
}
