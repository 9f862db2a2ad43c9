//! Events: every event-related capture parses with its values checked, and every message
//! round-trips (write, read, compare).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use onvif_proto::decode::decode;
use onvif_proto::ops::events::*;
use onvif_proto::soap::{Envelope, envelope};
use onvif_proto::xml::{self, Writer};
use onvif_proto::{Message, ns};

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

fn rt<M: Message + PartialEq + std::fmt::Debug>(m: &M) -> M {
    let mut w = Writer::new();
    m.write(&mut w);
    let doc = envelope(None, w.as_str());
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    let back = M::read(env.payload().unwrap()).unwrap();
    assert_eq!(&back, m, "round trip of {doc}");
    back
}

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
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let rows: Vec<_> = common::index(&dir)
        .into_iter()
        .filter(|r| {
            EVENT_OPS.contains(&r.op())
                || (r.op() == "GetServiceCapabilitiesResponse" && r.file.contains("event"))
        })
        .collect();
    assert!(rows.len() >= 9, "event captures found: {}", rows.len());
    for r in rows {
        let mut bytes = common::read(&dir, &r.file);
        if !r.well_formed() {
            bytes = strip_template(&bytes);
        }
        let d = decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", r.file));
        assert_eq!(d.kind, "typed", "{}: {:?}", r.file, d.typed_error);
    }
}

#[test]
fn get_event_properties_captures() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let p: EventProperties = common::read_as(&dir, "agsh-onvif/GetEventProperties.xml");
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
    // An Axis step under an ONVIF root keeps its own namespace.
    let dev = p
        .topics
        .iter()
        .filter(|t| t.name == "Device")
        .flat_map(|t| &t.children)
        .find(|c| c.name == "IO")
        .unwrap();
    assert_eq!(
        dev.ns.as_deref(),
        Some("http://www.axis.com/2009/event/topics")
    );
    assert!(
        flat.iter()
            .any(|t| t.path == "VideoAnalytics/MotionDetection")
    );
    rt(&p);

    let h: EventProperties = common::read_as(&dir, "ex_onvif/get_event_properties.xml");
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
    rt(&h);
}

#[test]
fn create_pull_point_subscription_captures() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let c: CreatePullPointSubscriptionResponse =
        common::read_as(&dir, "ex_onvif/create_pull_point_subscription.xml");
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
        common::read_as(&dir, "agsh-onvif/events.CreatePullPointSubscription.xml");
    assert!(t.subscription_reference.address.starts_with("http://"));
    assert_eq!(t.current_time, None);
    assert_eq!(t.termination_time, None);
}

#[test]
fn pull_messages_captures() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let p: PullMessagesResponse = common::read_as(&dir, "ex_onvif/pull_messages.xml");
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
    rt(&p);

    // The agsh template, with its `{{? }}` lines removed: topic text padded with newlines,
    // a SubscriptionReference inside the message, a placeholder time.
    let bytes = strip_template(&common::read(&dir, "agsh-onvif/PullMessages.xml"));
    let p: PullMessagesResponse = common::try_read_as(&bytes).unwrap();
    assert!(!p.messages.is_empty());
    let m = &p.messages[0];
    assert!(m.topic.is_onvif("RuleEngine/CellMotionDetector/Motion"));
    assert_eq!(m.message.utc_time, None);
    assert!(m.subscription_address.is_some());
    assert_eq!(table.classify(m).unwrap().active, Some(true));
}

#[test]
fn event_service_capabilities_captures() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let c: ServiceCapabilities =
        common::read_as(&dir, "ex_onvif/get_event_service_capabilities.xml");
    assert_eq!(c.ws_pull_point_support, Some(true));
    assert_eq!(c.max_pull_points, Some(32));
    let a: ServiceCapabilities =
        common::read_as(&dir, "agsh-onvif/events.GetServiceCapabilities.xml");
    assert_eq!(a.persistent_notification_storage, Some(false));
    assert_eq!(a.max_pull_points, Some(10));
    rt(&a);
    let u: UnsubscribeResponse = common::read_as(&dir, "agsh-onvif/Unsubscribe.xml");
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
    rt(&CreatePullPointSubscription {
        filter: Some(TopicFilter::concrete_set("tns1:RuleEngine//.")),
        initial_termination_time: Some(TerminationTime::Relative(Duration::from_secs(60))),
    });
    let c = rt(&CreatePullPointSubscription {
        filter: None,
        initial_termination_time: Some(TerminationTime::Absolute(t0)),
    });
    assert_eq!(
        c.initial_termination_time,
        Some(TerminationTime::Absolute(t0))
    );
    rt(&PullMessages {
        timeout: Duration::from_secs(5),
        message_limit: 100,
    });
    rt(&Renew {
        termination_time: TerminationTime::Relative(Duration::from_millis(2500)),
    });
    rt(&RenewResponse {
        termination_time: Some(t0),
        current_time: Some(t0),
    });
    rt(&Unsubscribe);
    rt(&Subscribe {
        consumer: "http://192.0.2.5:8002/onvif-events/abc".into(),
        filter: Some(TopicFilter::concrete_set("tns1:Device//.")),
        initial_termination_time: Some(TerminationTime::Relative(Duration::from_secs(90))),
    });
    rt(&SubscribeResponse {
        subscription_reference: EndpointReference::new(
            "http://cam/sub/1",
            &[r#"<x:Id xmlns:x="urn:x">1</x:Id>"#],
        ),
        current_time: Some(t0),
        termination_time: Some(t0),
    });
    rt(&GetCurrentMessage {
        topic: TopicFilter::concrete_set("tns1:Device/Trigger/DigitalInput"),
    });
    rt(&CurrentMessage { message: None });
    rt(&SetSynchronizationPoint);
    rt(&SetSynchronizationPointResponse);
    rt(&Seek {
        utc_time: t0,
        reverse: None,
    });
    rt(&Seek {
        utc_time: t0,
        reverse: Some(true),
    });
    rt(&SeekResponse);
    let msg = NotificationMessage::onvif(
        "Device/Trigger/DigitalInput",
        t0,
        PropertyOperation::Changed,
        vec![SimpleItem::new("InputToken", "DI_1")],
        vec![SimpleItem::new("LogicalState", "true")],
    );
    let n = rt(&Notify {
        messages: vec![msg.clone()],
    });
    assert_eq!(
        KindTable::default().classify(&n.messages[0]).unwrap(),
        EventKind {
            kind: "digital-input".into(),
            active: Some(true)
        }
    );
    rt(&PullMessagesResponse {
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
    let back = rt(&r);
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
