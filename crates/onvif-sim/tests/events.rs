//! The event service and its pull-point subscription managers, over real sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onvif_proto::ops::Operation;
use onvif_proto::ops::events::*;
use onvif_sim::{AuthMode, EventQuirk, Quirk, SimHandle};
use onvif_testkit::http::{LIMIT, Req, Resp, call, envelope_of};
use onvif_testkit::{Sim, SimBuilder};

/// A camera that asks for no credentials: these tests are about the event service.
fn open() -> SimBuilder {
    Sim::builder().auth(AuthMode::None)
}

async fn create(
    h: &SimHandle,
    path: &str,
    req: &CreatePullPointSubscription,
) -> CreatePullPointSubscriptionResponse {
    let r = call(h.addr(), path, req, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.read()
}

/// Path of the subscription's address.
fn path_of(c: &CreatePullPointSubscriptionResponse) -> String {
    let a = &c.subscription_reference.address;
    let rest = a.split_once("://").unwrap().1;
    rest[rest.find('/').unwrap()..].to_owned()
}

async fn at<O: Operation>(
    h: &SimHandle,
    c: &CreatePullPointSubscriptionResponse,
    op: &O,
    header: Option<&str>,
) -> Resp {
    let path = path_of(c);
    Req::post(&path, &envelope_of(op, header))
        .send(h.addr())
        .await
}

fn headers(c: &CreatePullPointSubscriptionResponse, action: &str) -> String {
    c.subscription_reference.header_xml(action, "urn:uuid:0")
}

fn pull(secs: u64) -> PullMessages {
    PullMessages {
        timeout: Duration::from_secs(secs),
        message_limit: 100,
    }
}

async fn pull_ok(
    h: &SimHandle,
    c: &CreatePullPointSubscriptionResponse,
    secs: u64,
) -> PullMessagesResponse {
    let r = at(h, c, &pull(secs), Some(&headers(c, action::PULL_MESSAGES))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.read()
}

fn is_resource_unknown(r: &Resp) -> bool {
    let f = r.fault();
    f.subcodes
        .iter()
        .any(|s| s.name == "ResourceUnknownFault" && s.ns.as_deref() == Some(WSRF_RW))
}

#[tokio::test]
async fn properties_and_capabilities() {
    let h = open().start().await;
    let r = call(h.addr(), "/onvif/event_service", &GetEventProperties, None).await;
    let p: EventProperties = r.read();
    let flat = p.flatten();
    for t in [
        "RuleEngine/CellMotionDetector/Motion",
        "Device/Trigger/DigitalInput",
        "VideoSource/GlobalSceneChange/ImagingService",
    ] {
        let e = flat.iter().find(|e| e.path == t).unwrap();
        assert_eq!(e.ns.as_deref(), Some(TNS1));
    }
    let c: ServiceCapabilities = call(
        h.addr(),
        "/onvif/event_service",
        &GetServiceCapabilities,
        None,
    )
    .await
    .read();
    assert_eq!(c.ws_pull_point_support, Some(true));
    // Tapo layout: every service at /onvif/service.
    let t = open().quirk(Quirk::Tapo).start().await;
    let r = call(t.addr(), "/onvif/service", &GetEventProperties, None).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn the_reference_parameter_is_required_back() {
    let h = open().start().await;
    let c = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
    )
    .await;
    assert!(path_of(&c).starts_with("/onvif/subscription/"));
    let p = &c.subscription_reference.reference_parameters;
    assert_eq!(p.len(), 1);
    assert!(p[0].is("urn:onvif-sim", "SubscriptionId"));
    // Without it: refused.
    let bare = EndpointReference::new(&c.subscription_reference.address, &[]);
    let r = at(
        &h,
        &c,
        &pull(1),
        Some(&bare.header_xml(action::PULL_MESSAGES, "urn:uuid:1")),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.fault().has_subcode("InvalidArgVal"), "{}", r.body);
    // With another subscription's id: unknown.
    let other = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
    )
    .await;
    let r = at(
        &h,
        &c,
        &pull(1),
        Some(&headers(&other, action::PULL_MESSAGES)),
    )
    .await;
    assert!(is_resource_unknown(&r), "{}", r.body);
    // Echoed without wsa:IsReferenceParameter="true" (WS-Addressing 1.0): refused.
    let unmarked = format!(
        "<wsa:To>{}</wsa:To><wsa:Action>{}</wsa:Action>{}",
        c.subscription_reference.address,
        action::PULL_MESSAGES,
        c.subscription_reference.reference_parameters_xml[0]
    );
    let r = at(&h, &c, &pull(1), Some(&unmarked)).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("IsReferenceParameter"), "{}", r.body);
    // With it: the current states, as Initialized.
    let m = pull_ok(&h, &c, 1).await;
    // Motion, two digital inputs, tamper, two relays.
    assert_eq!(m.messages.len(), 6);
    assert!(
        m.messages
            .iter()
            .all(|m| m.message.property_operation == Some(PropertyOperation::Initialized))
    );
    assert!(
        m.messages[0]
            .topic
            .is_onvif("RuleEngine/CellMotionDetector/Motion")
    );
    // An announced action that is not the operation's is refused.
    let r = at(&h, &c, &pull(1), Some(&headers(&c, action::RENEW))).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn pull_messages_waits_for_an_event() {
    let h = open().start().await;
    let c = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
    )
    .await;
    pull_ok(&h, &c, 1).await; // the Initialized states
    let started = std::time::Instant::now();
    let (waiting, ()) = tokio::join!(pull_ok(&h, &c, 20), async {
        h.pulls_waiting(1).await;
        h.emit_motion(true);
    });
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(waiting.messages.len(), 1);
    let m = &waiting.messages[0];
    assert_eq!(
        m.message.property_operation,
        Some(PropertyOperation::Changed)
    );
    assert_eq!(m.data_item("IsMotion"), Some("true"));
    // Several events queue in order.
    h.emit_digital_input(true);
    h.emit_tamper(true);
    h.emit_motion(false);
    let m = pull_ok(&h, &c, 1).await;
    let topics: Vec<&str> = m.messages.iter().map(|m| m.topic.path.as_str()).collect();
    assert_eq!(
        topics,
        [
            "Device/Trigger/DigitalInput",
            "VideoSource/GlobalSceneChange/ImagingService",
            "RuleEngine/CellMotionDetector/Motion"
        ]
    );
    // An empty pull returns after its timeout.
    let m = pull_ok(&h, &c, 1).await;
    assert!(m.messages.is_empty());
}

#[tokio::test]
async fn filters_renewal_sync_point_unsubscribe_and_reboot() {
    let h = open().start().await;
    let c = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription {
            filter: Some(TopicFilter::concrete_set("tns1:Device//.")),
            initial_termination_time: Some(TerminationTime::Relative(Duration::from_secs(30))),
        },
    )
    .await;
    let granted = c.termination_time.unwrap().as_second() - c.current_time.unwrap().as_second();
    assert_eq!(granted, 30);
    // Two digital inputs and two relays.
    let m = pull_ok(&h, &c, 1).await;
    assert_eq!(
        m.messages.len(),
        4,
        "only the Device topics pass the filter"
    );
    assert!(
        m.messages
            .iter()
            .all(|m| m.topic.path.starts_with("Device/Trigger/")),
        "{m:?}"
    );
    h.emit_motion(true);
    h.emit_digital_input(true);
    let m = pull_ok(&h, &c, 1).await;
    assert_eq!(m.messages.len(), 1);
    assert_eq!(m.messages[0].data_item("LogicalState"), Some("true"));

    let r = at(
        &h,
        &c,
        &Renew {
            termination_time: TerminationTime::Relative(Duration::from_secs(100)),
        },
        Some(&headers(&c, action::RENEW)),
    )
    .await;
    let rr: RenewResponse = r.read();
    assert_eq!(
        rr.termination_time.unwrap().as_second() - rr.current_time.unwrap().as_second(),
        100
    );

    let r = at(
        &h,
        &c,
        &SetSynchronizationPoint,
        Some(&headers(&c, action::SET_SYNCHRONIZATION_POINT)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let m = pull_ok(&h, &c, 1).await;
    assert_eq!(m.messages.len(), 4);
    assert!(
        m.messages
            .iter()
            .all(|m| m.message.property_operation == Some(PropertyOperation::Initialized))
    );
    let input = m
        .messages
        .iter()
        .find(|m| m.source_item("InputToken") == Some("DigitalInput_1"))
        .unwrap();
    assert_eq!(input.data_item("LogicalState"), Some("true"));

    assert_eq!(h.event_subscriptions(), 1);
    let r = at(
        &h,
        &c,
        &Unsubscribe,
        Some(&headers(&c, action::UNSUBSCRIBE)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.event_subscriptions(), 0);
    let r = at(&h, &c, &pull(1), Some(&headers(&c, action::PULL_MESSAGES))).await;
    assert!(is_resource_unknown(&r), "{}", r.body);

    // A reboot forgets every subscription, and wakes a waiting pull with the fault.
    let d = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
    )
    .await;
    pull_ok(&h, &d, 1).await;
    let (long, hd) = (pull(20), headers(&d, action::PULL_MESSAGES));
    let (r, ()) = tokio::join!(at(&h, &d, &long, Some(&hd)), async {
        h.pulls_waiting(1).await;
        h.reboot_events();
    });
    assert!(is_resource_unknown(&r), "{}", r.body);
}

#[tokio::test]
async fn termination_times_are_enforced() {
    let h = open().start().await;
    // A pull point granted 2 s, pulled once, then long polled for 5 s (3 s past its grant).
    let outlived = || async {
        let two_seconds = CreatePullPointSubscription {
            filter: None,
            initial_termination_time: Some(TerminationTime::Relative(Duration::from_secs(2))),
        };
        let c = create(&h, "/onvif/event_service", &two_seconds).await;
        pull_ok(&h, &c, 1).await;
        at(&h, &c, &pull(5), Some(&headers(&c, action::PULL_MESSAGES))).await
    };
    // A long poll keeps its pull point alive (ONVIF Core 9.1.1): it is answered, with a
    // termination time past it.
    let r = outlived().await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("TerminationTime"), "{}", r.body);
    // A camera whose long polls keep nothing alive: the pull ends with the fault.
    h.set_event_quirk(EventQuirk::PullNoKeepalive, true);
    let r = outlived().await;
    assert!(is_resource_unknown(&r), "{}", r.body);
    // An absolute time in the past is refused.
    let r = call(
        h.addr(),
        "/onvif/event_service",
        &CreatePullPointSubscription {
            filter: None,
            initial_termination_time: Some(TerminationTime::Absolute(jiff::Timestamp::UNIX_EPOCH)),
        },
        None,
    )
    .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn failing_pulls_keep_the_subscription() {
    let h = open().start().await;
    let c = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
    )
    .await;
    h.fail_next_pulls(1);
    let r = at(&h, &c, &pull(1), Some(&headers(&c, action::PULL_MESSAGES))).await;
    assert_eq!(r.status, 500, "{}", r.body);
    // The next pull gets the current states (motion, two inputs, tamper, two relays):
    // nothing was lost.
    assert_eq!(pull_ok(&h, &c, 1).await.messages.len(), 6);
    assert_eq!(h.event_subscriptions(), 1);
}

#[tokio::test]
async fn motion_can_be_periodic() {
    let h = open()
        .events_motion_every(Duration::from_millis(200))
        .start()
        .await;
    let c = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
    )
    .await;
    pull_ok(&h, &c, 1).await;
    let m = pull_ok(&h, &c, 5).await;
    assert!(!m.messages.is_empty());
    assert!(
        m.messages[0]
            .topic
            .is_onvif("RuleEngine/CellMotionDetector/Motion")
    );
}

#[tokio::test]
async fn seek_replays_the_stored_changes_through_the_filter() {
    let h = open().start().await;
    let c: ServiceCapabilities = call(
        h.addr(),
        "/onvif/event_service",
        &GetServiceCapabilities,
        None,
    )
    .await
    .read();
    assert_eq!(c.persistent_notification_storage, Some(true));
    let c = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription {
            filter: Some(TopicFilter::concrete_set(
                "tns1:RuleEngine/CellMotionDetector/Motion",
            )),
            ..CreatePullPointSubscription::default()
        },
    )
    .await;
    pull_ok(&h, &c, 1).await; // the Initialized state
    h.emit_motion(true);
    h.emit_tamper(true);
    h.emit_motion(false);
    let m = pull_ok(&h, &c, 1).await;
    assert_eq!(m.messages.len(), 2);
    let first = m.messages[0].message.utc_time.unwrap();
    let seek = Seek {
        utc_time: first,
        reverse: None,
    };
    // Like every request to a subscription manager, Seek needs the reference parameter back.
    let r = at(&h, &c, &seek, None).await;
    assert!(r.fault().has_subcode("InvalidArgVal"), "{}", r.body);
    let r = at(&h, &c, &seek, Some(&headers(&c, action::SEEK))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let _: SeekResponse = r.read();
    let again = pull_ok(&h, &c, 1).await;
    let states: Vec<_> = again
        .messages
        .iter()
        .map(|m| m.data_item("IsMotion"))
        .collect();
    assert_eq!(states, [Some("true"), Some("false")]);
    // Backwards from the first change: only that one.
    let back = Seek {
        utc_time: first,
        reverse: Some(true),
    };
    let r = at(&h, &c, &back, Some(&headers(&c, action::SEEK))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let m = pull_ok(&h, &c, 1).await;
    assert_eq!(m.messages.len(), 1);
    assert_eq!(m.messages[0].data_item("IsMotion"), Some("true"));
    // A forgotten subscription cannot seek.
    h.reboot_events();
    let r = at(&h, &c, &seek, Some(&headers(&c, action::SEEK))).await;
    assert!(is_resource_unknown(&r), "{}", r.body);
}

/// Send raw bytes and read whatever comes back until the connection ends (a reset ends it
/// too), as text.
async fn exchange_raw(addr: std::net::SocketAddr, request: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(&request).await.unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    String::from_utf8_lossy(&buf).into_owned()
}

/// A crash (`power_off`): every subscription is forgotten and no request is answered, cut at
/// once or, frozen, held until the camera is back and then cut; afterwards it answers again.
#[tokio::test]
async fn a_crashed_camera_answers_nothing_until_it_is_back() {
    let h = open().start().await;
    let c = create(
        &h,
        "/onvif/event_service",
        &CreatePullPointSubscription {
            filter: None,
            initial_termination_time: None,
        },
    )
    .await;
    assert_eq!(h.event_subscriptions(), 1);
    let request = Req::post(
        "/onvif/event_service",
        &envelope_of(&GetEventProperties, None),
    )
    .bytes(h.addr());

    h.power_off(false);
    assert_eq!(h.event_subscriptions(), 0);
    let answer = exchange_raw(h.addr(), request.clone()).await;
    assert!(
        !answer.contains("Envelope"),
        "answered while down: {answer}"
    );

    h.power_off(true);
    let before = h.stats().requests;
    let held = tokio::spawn(exchange_raw(h.addr(), request.clone()));
    // Held: it arrived and is not answered while the camera is frozen.
    tokio::time::timeout(LIMIT, async {
        while h.stats().requests == before {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the request arrived");
    assert!(!held.is_finished());
    h.power_on();
    let answer = tokio::time::timeout(LIMIT, held)
        .await
        .expect("cut once the camera is back")
        .unwrap();
    assert!(
        !answer.contains("Envelope"),
        "answered while frozen: {answer}"
    );

    let answer = exchange_raw(h.addr(), request).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("TopicSet"), "{answer}");
    let r = at(
        &h,
        &c,
        &pull(0),
        Some(&headers(
            &c,
            onvif_proto::ops::events::action::PULL_MESSAGES,
        )),
    )
    .await;
    assert!(
        is_resource_unknown(&r),
        "the subscription died with the camera"
    );
}

/// Times are written to the millisecond at most, as cameras write them (some clients' date
/// parsers take no more than six digits), and a subscription's termination time reads the
/// same in its creation and in every pull until it is renewed.
#[tokio::test]
async fn times_are_written_to_the_millisecond_and_stay_put() {
    let h = open().start().await;
    let r = call(
        h.addr(),
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let c: CreatePullPointSubscriptionResponse = r.read();
    let mut bodies = vec![r.body.clone()];
    let mut terminations = vec![c.termination_time];
    for _ in 0..3 {
        let p = at(&h, &c, &pull(0), Some(&headers(&c, action::PULL_MESSAGES))).await;
        assert_eq!(p.status, 200, "{}", p.body);
        terminations.push(p.read::<PullMessagesResponse>().termination_time);
        bodies.push(p.body);
    }
    assert!(terminations[0].is_some());
    assert!(
        terminations.iter().all(|t| *t == terminations[0]),
        "{terminations:?}"
    );
    for body in &bodies {
        // Every `:SS.fffZ` of a time: at most three digits after the point.
        for (i, _) in body.match_indices('Z') {
            let before = &body[..i];
            let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            if before[..before.len() - digits].ends_with('.') {
                assert!(digits <= 3, "{}", &body[i.saturating_sub(40)..=i]);
            }
        }
    }
}
