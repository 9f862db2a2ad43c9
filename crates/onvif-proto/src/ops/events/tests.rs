//! Every message of the event service written, read back and compared, with the optional values
//! set; the operations' names and actions; and how leniently each field is read.
#![allow(clippy::unwrap_used)]

use std::fmt::Debug;
use std::time::Duration;

use jiff::Timestamp;

use super::*;
use crate::error::Error;
use crate::ns::{TEV, TT, WSA_2004, WSNT};
use crate::ops::message::{Message, Operation};
use crate::ops::service::Service;
use crate::soap::{Envelope, envelope};
use crate::xml::{Element, Writer};

/// Write `m` into an envelope, read it back, and check it is the same.
fn rt<M: Message + PartialEq + Debug>(m: &M) -> M {
    let mut w = Writer::new();
    m.write(&mut w);
    let doc = envelope(None, w.as_str());
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    let back = M::read(env.payload().unwrap()).unwrap();
    assert_eq!(&back, m, "round trip of {doc}");
    back
}

/// Read `body` (declaring the usual prefixes) as `M`.
fn read<M: Message>(body: &str) -> Result<M, Error> {
    let doc = envelope(None, body);
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    M::read(env.payload().unwrap())
}

fn t0() -> Timestamp {
    Timestamp::new(1_700_000_000, 250_000_000).unwrap()
}

fn element(xml: &str) -> Element {
    crate::xml::parse_str(xml).unwrap()
}

fn item(name: &str, type_name: &str) -> ItemDescription {
    ItemDescription {
        name: name.into(),
        type_name: type_name.into(),
    }
}

fn topic_tree() -> EventProperties {
    let motion = TopicNode {
        name: "Motion".into(),
        ns: None,
        is_topic: true,
        message: Some(MessageDescription {
            is_property: true,
            source: vec![item("VideoSourceToken", "tt:ReferenceToken")],
            source_elements: vec![item("Region", "tt:Polygon")],
            key: vec![item("ObjectId", "tt:ObjectRefType")],
            key_elements: vec![item("Object", "tt:Object")],
            data: vec![item("IsMotion", "xs:boolean")],
            data_elements: vec![item("Link", "tt:LinkStatus")],
        }),
        children: Vec::new(),
    };
    let vendor = TopicNode {
        name: "AlarmIn".into(),
        ns: Some("http://www.hikvision.com/2011/event/topics".into()),
        is_topic: true,
        message: Some(MessageDescription {
            data: vec![item("State", "xs:boolean")],
            ..MessageDescription::default()
        }),
        children: Vec::new(),
    };
    EventProperties {
        topic_namespace_locations: vec![
            "http://www.onvif.org/onvif/ver10/topics/topicns.xml".into(),
        ],
        fixed_topic_set: Some(false),
        topics: vec![TopicNode {
            name: "RuleEngine".into(),
            ns: Some(TNS1.into()),
            is_topic: false,
            message: None,
            children: vec![
                TopicNode {
                    name: "CellMotionDetector".into(),
                    ns: None,
                    is_topic: false,
                    message: None,
                    children: vec![motion],
                },
                vendor,
            ],
        }],
        topic_expression_dialects: vec![dialect::CONCRETE_SET.into(), dialect::CONCRETE.into()],
        message_content_filter_dialects: vec![
            "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter".into(),
        ],
        message_content_schema_locations: vec![
            "http://www.onvif.org/onvif/ver10/schema/onvif.xsd".into(),
        ],
    }
}

fn full_message() -> NotificationMessage {
    let mut m = NotificationMessage::onvif(
        "Monitoring/LinkStatus",
        t0(),
        PropertyOperation::Changed,
        vec![SimpleItem::new("InterfaceToken", "eth0")],
        vec![SimpleItem::new("Up", "true <&>")],
    );
    m.subscription_address = Some("http://cam/sub/1".into());
    m.producer_address = Some("http://cam/producer".into());
    m.message.key = vec![SimpleItem::new("Port", "1")];
    m.message.source_elements = vec![ElementItem::new(
        "Region",
        element(r#"<v:Region xmlns:v="urn:v" a="1"><v:P x="0"/></v:Region>"#),
    )];
    m.message.key_elements = vec![ElementItem {
        name: "Empty".into(),
        element: None,
    }];
    m.message.data_elements = vec![ElementItem::new(
        "Link",
        element(
            r#"<tt:Link xmlns:tt="http://www.onvif.org/ver10/schema"><tt:Speed>100</tt:Speed></tt:Link>"#,
        ),
    )];
    m
}

fn vendor_message() -> NotificationMessage {
    let doc = element(&format!(
        r#"<wsnt:NotificationMessage xmlns:wsnt="{WSNT}" xmlns:a="{TNS1}" xmlns:h="urn:hik"><wsnt:Topic Dialect="{}">a:Device/Trigger/h:AlarmIn/x:Odd</wsnt:Topic><wsnt:Message><tt:Message xmlns:tt="{TT}" PropertyOperation="Initialized"><tt:Data><tt:SimpleItem Name="State" Value="false"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>"#,
        dialect::CONCRETE
    ));
    NotificationMessage::read(&doc)
}

fn reference() -> EndpointReference {
    EndpointReference::new(
        "http://cam/onvif/sub?id=7&x=1",
        &[
            r#"<x:Id xmlns:x="urn:x" kind="a">7</x:Id>"#,
            r#"<Plain>p</Plain>"#,
        ],
    )
}

#[test]
fn the_seed_table_parses() {
    let t = KindTable::parse(DEFAULT_KIND_RULES).unwrap();
    assert!(t.rules.len() > 15);
    assert_eq!(KindTable::default(), t);
}

#[test]
fn default_tables_share_their_rules_and_extending_one_leaves_the_others() {
    let a = KindTable::default();
    let mut b = KindTable::default();
    assert!(std::sync::Arc::ptr_eq(&a.rules, &b.rules));
    b.extend_front("* Custom doorbell").unwrap();
    assert_eq!(b.rules.len(), a.rules.len() + 1);
    assert_eq!(b.rules[0].kind, "doorbell");
    assert_eq!(KindTable::default().rules.len(), a.rules.len());
    assert_ne!(KindTable::default().rules[0].kind, "doorbell");
}

#[test]
fn topic_properties_and_capabilities_round_trip() {
    rt(&GetEventProperties);
    let back = rt(&topic_tree());
    let flat = back.flatten();
    assert_eq!(flat.len(), 2);
    assert_eq!(flat[0].path, "RuleEngine/CellMotionDetector/Motion");
    assert_eq!(
        flat[1].steps[1].ns.as_deref(),
        Some("http://www.hikvision.com/2011/event/topics")
    );
    rt(&EventProperties::default());
    rt(&GetServiceCapabilities);
    rt(&ServiceCapabilities {
        ws_subscription_policy_support: Some(true),
        ws_pull_point_support: Some(true),
        ws_pausable_subscription_manager_interface_support: Some(false),
        max_notification_producers: Some(4),
        max_pull_points: Some(32),
        persistent_notification_storage: Some(false),
    });
    rt(&ServiceCapabilities::default());
}

#[test]
fn pull_point_messages_round_trip() {
    // Declarations go with the prefixes the expression uses.
    let mut filter = TopicFilter::concrete_set("tns1:RuleEngine//.|tnsaxis:Storage//.|v:Cam");
    filter.namespaces.push(("v".into(), "urn:v".into()));
    rt(&CreatePullPointSubscription {
        filter: Some(filter),
        initial_termination_time: Some(TerminationTime::Absolute(t0())),
    });
    rt(&CreatePullPointSubscription {
        filter: None,
        initial_termination_time: Some(TerminationTime::Relative(Duration::from_millis(1500))),
    });
    rt(&CreatePullPointSubscription::default());
    rt(&CreatePullPointSubscriptionResponse {
        subscription_reference: reference(),
        current_time: Some(t0()),
        termination_time: Some(Timestamp::from_second(1_700_000_060).unwrap()),
    });
    rt(&PullMessages {
        timeout: Duration::from_millis(2500),
        message_limit: 1024,
    });
    let back = rt(&PullMessagesResponse {
        current_time: Some(t0()),
        termination_time: Some(t0()),
        messages: vec![full_message(), vendor_message()],
    });
    assert_eq!(back.messages[1].topic.dialect, dialect::CONCRETE);
    assert!(back.messages[1].topic.steps[3].unbound);
    rt(&PullMessagesResponse {
        current_time: None,
        termination_time: None,
        messages: Vec::new(),
    });
    rt(&Seek {
        utc_time: t0(),
        reverse: Some(false),
    });
    rt(&SeekResponse);
    rt(&SetSynchronizationPoint);
    rt(&SetSynchronizationPointResponse);
}

#[test]
fn push_and_shared_messages_round_trip() {
    rt(&Subscribe {
        consumer: "http://192.0.2.5:8002/events?a=1&b=2".into(),
        filter: Some(TopicFilter::concrete_set("tns1:Device//.")),
        initial_termination_time: Some(TerminationTime::Absolute(t0())),
    });
    rt(&Subscribe {
        consumer: "http://192.0.2.5:8002/events".into(),
        filter: None,
        initial_termination_time: None,
    });
    rt(&SubscribeResponse {
        subscription_reference: reference(),
        current_time: Some(t0()),
        termination_time: Some(t0()),
    });
    rt(&Renew {
        termination_time: TerminationTime::Absolute(t0()),
    });
    rt(&Renew {
        termination_time: TerminationTime::Relative(Duration::from_secs(60)),
    });
    rt(&RenewResponse {
        termination_time: Some(t0()),
        current_time: Some(Timestamp::UNIX_EPOCH),
    });
    rt(&RenewResponse {
        termination_time: None,
        current_time: None,
    });
    rt(&Unsubscribe);
    rt(&UnsubscribeResponse);
    rt(&Notify {
        messages: vec![vendor_message(), full_message()],
    });
    rt(&Notify {
        messages: Vec::new(),
    });
    rt(&GetCurrentMessage {
        topic: TopicFilter::concrete_set("tns1:Device/Trigger/DigitalInput"),
    });
    rt(&CurrentMessage {
        message: Some(full_message().message),
    });
    rt(&CurrentMessage { message: None });
}

#[test]
fn operations_keep_their_names_and_wsdl_actions() {
    fn check<O: Operation>(name: &str, action: &str, idempotent: bool) {
        assert_eq!(O::SERVICE, Service::Events, "{name}");
        assert_eq!(O::NAME, name);
        assert_eq!(O::ACTION, action, "{name}");
        assert_eq!(O::IDEMPOTENT, idempotent, "{name}");
    }
    check::<GetEventProperties>("GetEventProperties", action::GET_EVENT_PROPERTIES, true);
    check::<GetServiceCapabilities>(
        "GetServiceCapabilities",
        action::GET_SERVICE_CAPABILITIES,
        true,
    );
    check::<CreatePullPointSubscription>(
        "CreatePullPointSubscription",
        action::CREATE_PULL_POINT_SUBSCRIPTION,
        false,
    );
    check::<PullMessages>("PullMessages", action::PULL_MESSAGES, false);
    check::<Seek>("Seek", action::SEEK, true);
    check::<SetSynchronizationPoint>(
        "SetSynchronizationPoint",
        action::SET_SYNCHRONIZATION_POINT,
        true,
    );
    check::<Subscribe>("Subscribe", action::SUBSCRIBE, false);
    check::<Renew>("Renew", action::RENEW, true);
    check::<Unsubscribe>("Unsubscribe", action::UNSUBSCRIBE, true);
    check::<GetCurrentMessage>("GetCurrentMessage", action::GET_CURRENT_MESSAGE, true);
    assert_eq!(
        action::RENEW,
        "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest"
    );
    assert_eq!(
        action::PULL_MESSAGES,
        "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest"
    );
    assert_eq!(<Notify as Message>::ELEMENT.ns, WSNT);
    assert_eq!(<ServiceCapabilities as Message>::ELEMENT.ns, TEV);
}

#[test]
fn answers_read_times_and_flags_leniently() {
    // Placeholder and impossible times are none; a required reference is required.
    let r: CreatePullPointSubscriptionResponse = read(
        "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>http://a/</wsa:Address></tev:SubscriptionReference><wsnt:CurrentTime>0000-00-00T00:00:00Z</wsnt:CurrentTime><wsnt:TerminationTime>{{t}}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>",
    )
    .unwrap();
    assert_eq!((r.current_time, r.termination_time), (None, None));
    let e =
        read::<CreatePullPointSubscriptionResponse>("<tev:CreatePullPointSubscriptionResponse/>")
            .unwrap_err();
    assert!(
        e.to_string()
            .contains("CreatePullPointSubscriptionResponse/SubscriptionReference"),
        "{e}"
    );
    let r: RenewResponse =
        read("<wsnt:RenewResponse><wsnt:TerminationTime/></wsnt:RenewResponse>").unwrap();
    assert_eq!(r.termination_time, None);

    // Capabilities: absent is all unknown, an unreadable flag is unknown.
    let c: ServiceCapabilities = read("<tev:GetServiceCapabilitiesResponse/>").unwrap();
    assert_eq!(c, ServiceCapabilities::default());
    let c: ServiceCapabilities = read(
        r#"<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSPullPointSupport=" TRUE " MaxPullPoints="many" PersistentNotificationStorage="0"/></tev:GetServiceCapabilitiesResponse>"#,
    )
    .unwrap();
    assert_eq!(c.ws_pull_point_support, Some(true));
    assert_eq!(c.max_pull_points, None);
    assert_eq!(c.persistent_notification_storage, Some(false));

    // Topic tree: empty URIs are no entries, an unreadable flag is none or false, a
    // description without a name is left out.
    let p: EventProperties = read(&format!(
        r#"<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation> </tev:TopicNamespaceLocation><wsnt:FixedTopicSet>maybe</wsnt:FixedTopicSet><wstop:TopicSet xmlns:wstop="{WSTOP}"><tns1:Device xmlns:tns1="{TNS1}" wstop:topic="yes"><tt:MessageDescription IsProperty="x"><tt:Source><tt:SimpleItemDescription Type="xs:string"/><tt:SimpleItemDescription Name="Token"/></tt:Source></tt:MessageDescription></tns1:Device></wstop:TopicSet><wsnt:TopicExpressionDialect/></tev:GetEventPropertiesResponse>"#
    ))
    .unwrap();
    assert!(p.topic_namespace_locations.is_empty());
    assert!(p.topic_expression_dialects.is_empty());
    assert_eq!(p.fixed_topic_set, None);
    let d = &p.topics[0];
    assert!(!d.is_topic);
    let m = d.message.as_ref().unwrap();
    assert!(!m.is_property);
    assert_eq!(m.source, vec![item("Token", "")]);
}

#[test]
fn messages_are_read_as_far_as_they_can_be() {
    // No topic, no message: no steps, no items. Items without a name are left out; an unknown
    // operation and an unreadable time are none. Addresses in 2004/08 addressing are read.
    let n: Notify = read(&format!(
        r#"<wsnt:Notify><wsnt:NotificationMessage/><wsnt:NotificationMessage><wsnt:SubscriptionReference><a:Address xmlns:a="{WSA_2004}">http://old/</a:Address></wsnt:SubscriptionReference><wsnt:ProducerReference><wsa:Address/></wsnt:ProducerReference><wsnt:Message><tt:Message UtcTime="soon" PropertyOperation="Exploded"><tt:Data><tt:SimpleItem Value="x"/><tt:SimpleItem Name="A"/><tt:ElementItem/><tt:ElementItem Name="E">text</tt:ElementItem></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify>"#
    ))
    .unwrap();
    assert!(n.messages[0].topic.steps.is_empty());
    assert_eq!(n.messages[0].message, EventMessage::default());
    let m = &n.messages[1];
    assert_eq!(m.subscription_address.as_deref(), Some("http://old/"));
    assert_eq!(m.producer_address, None);
    assert_eq!(m.message.utc_time, None);
    assert_eq!(m.message.property_operation, None);
    assert_eq!(m.message.data, vec![SimpleItem::new("A", "")]);
    assert_eq!(m.message.data_elements.len(), 1);
    assert_eq!(m.message.data_elements[0].element, None);
    assert_eq!(
        PropertyOperation::parse(" changed "),
        Some(PropertyOperation::Changed)
    );
}

#[test]
fn requests_are_read_strictly_where_a_value_is_required() {
    // A termination time that is neither form is an error; an empty one is none.
    let e = read::<CreatePullPointSubscription>(
        "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>tomorrow</tev:InitialTerminationTime></tev:CreatePullPointSubscription>",
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("neither a duration nor a time"),
        "{e}"
    );
    let c: CreatePullPointSubscription = read(
        "<tev:CreatePullPointSubscription><tev:InitialTerminationTime/></tev:CreatePullPointSubscription>",
    )
    .unwrap();
    assert_eq!(c.initial_termination_time, None);
    assert!(read::<Renew>("<wsnt:Renew/>").is_err());
    assert!(read::<PullMessages>(
        "<tev:PullMessages><tev:Timeout>5s</tev:Timeout><tev:MessageLimit>1</tev:MessageLimit></tev:PullMessages>"
    )
    .is_err());
    assert!(
        read::<Seek>("<tev:Seek><tev:UtcTime>0000-00-00T00:00:00Z</tev:UtcTime></tev:Seek>")
            .is_err()
    );
    assert!(read::<GetCurrentMessage>("<wsnt:GetCurrentMessage/>").is_err());

    // The consumer: either addressing version; an empty address is a missing one.
    let s: Subscribe = read(&format!(
        r#"<wsnt:Subscribe><wsnt:ConsumerReference><a:Address xmlns:a="{WSA_2004}">http://me/</a:Address></wsnt:ConsumerReference></wsnt:Subscribe>"#
    ))
    .unwrap();
    assert_eq!(s.consumer, "http://me/");
    let e = read::<Subscribe>(
        "<wsnt:Subscribe><wsnt:ConsumerReference><wsa:Address> </wsa:Address></wsnt:ConsumerReference></wsnt:Subscribe>",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("Subscribe/ConsumerReference/Address"),
        "{e}"
    );
}

#[test]
fn a_topic_filter_past_its_caps_is_refused() {
    let create = |expression: &str| {
        format!(
            r#"<tev:CreatePullPointSubscription xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tns1="http://www.onvif.org/ver10/topics"><tev:Filter><wsnt:TopicExpression Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">{expression}</wsnt:TopicExpression></tev:Filter></tev:CreatePullPointSubscription>"#
        )
    };
    let ok = vec!["tns1:Device//."; 64].join("|");
    let r: CreatePullPointSubscription = read(&create(&ok)).unwrap();
    assert_eq!(r.filter.unwrap().expression, ok);
    for bad in [vec!["tns1:Device//."; 65].join("|"), "a".repeat(4097)] {
        let e = read::<CreatePullPointSubscription>(&create(&bad)).unwrap_err();
        assert!(
            e.to_string()
                .contains("at most 4096 characters and 64 alternatives"),
            "{e}"
        );
    }
}
