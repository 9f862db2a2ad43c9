//! The managed pull-point session against the simulated camera, over real sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onvif::events::{Event, EventSession, Lifecycle, PushConfig, SessionConfig, SessionItem};
use onvif::proto::ops::events::PropertyOperation;

use onvif_sim::{EventQuirk, IGNORED_RELATIVE_GRANT};
use onvif_testkit::{INITIAL_STATES, Sim};
use tokio::sync::mpsc::Receiver;

/// Nothing here should take longer; a hang fails the test instead of blocking it.
const LIMIT: Duration = Duration::from_secs(30);

fn fast() -> SessionConfig {
    SessionConfig {
        termination: Duration::from_secs(30),
        pull_timeout: Duration::from_secs(5),
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(200),
        ..SessionConfig::default()
    }
}

async fn next(rx: &mut Receiver<SessionItem>) -> SessionItem {
    tokio::time::timeout(LIMIT, rx.recv())
        .await
        .expect("an item in time")
        .expect("the session is running")
}

/// The next event, skipping lifecycle signals.
async fn next_event(rx: &mut Receiver<SessionItem>) -> Event {
    loop {
        if let SessionItem::Event(e) = next(rx).await {
            return *e;
        }
    }
}

/// Wait for a lifecycle signal that `f` accepts; events before it are returned.
async fn until(
    rx: &mut Receiver<SessionItem>,
    f: impl Fn(&Lifecycle) -> bool,
) -> (Lifecycle, Vec<Event>) {
    let mut events = Vec::new();
    loop {
        match next(rx).await {
            SessionItem::Lifecycle(l) if f(&l) => return (l, events),
            SessionItem::Lifecycle(_) => {}
            SessionItem::Event(e) => events.push(*e),
        }
    }
}

fn kind(e: &Event) -> &str {
    e.kind.as_ref().map_or("", |k| k.kind.as_str())
}

#[tokio::test]
async fn pull_delivers_every_event_in_order() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let props = cam.event_properties().await.unwrap();
    assert!(
        props
            .flatten()
            .iter()
            .any(|t| t.path == "RuleEngine/CellMotionDetector/Motion")
    );
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    match next(&mut rx).await {
        SessionItem::Lifecycle(Lifecycle::Subscribed { address, .. }) => {
            assert!(address.contains("/onvif/subscription/"), "{address}");
        }
        other => panic!("{other:?}"),
    }
    for _ in 0..INITIAL_STATES {
        let e = next_event(&mut rx).await;
        assert_eq!(e.property_operation, Some(PropertyOperation::Initialized));
    }
    let script: [(&str, bool); 6] = [
        ("motion", true),
        ("digital-input", true),
        ("tamper", true),
        ("motion", false),
        ("digital-input", false),
        ("tamper", false),
    ];
    for (k, on) in script {
        match k {
            "motion" => h.emit_motion(on),
            "digital-input" => h.emit_digital_input(on),
            _ => h.emit_tamper(on),
        }
    }
    for (k, on) in script {
        let e = next_event(&mut rx).await;
        assert_eq!(kind(&e), k);
        assert_eq!(e.kind.as_ref().unwrap().active, Some(on));
        assert_eq!(e.property_operation, Some(PropertyOperation::Changed));
        assert_eq!(
            e.topic.ns.as_deref(),
            Some("http://www.onvif.org/ver10/topics")
        );
        assert!(e.time.is_some());
    }
    session.close().await;
    let (l, _) = until(&mut rx, |l| *l == Lifecycle::Closed).await;
    assert_eq!(l, Lifecycle::Closed);
    assert_eq!(h.event_subscriptions(), 0, "closed with Unsubscribe");
}

#[tokio::test]
async fn renewal_happens_before_expiry() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    // Renewed at about 7.5 s of 10: 2 s of margin on a loaded machine.
    let cfg = SessionConfig {
        termination: Duration::from_secs(10),
        ..fast()
    };
    let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
    // Two renewals, nothing lost: the subscription outlives its first 10 s.
    for _ in 0..2 {
        let (l, _) = until(&mut rx, |l| {
            matches!(l, Lifecycle::Renewed { .. } | Lifecycle::Lost { .. })
        })
        .await;
        assert!(matches!(l, Lifecycle::Renewed { .. }), "{l:?}");
    }
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 1);
    h.emit_motion(true);
    loop {
        let e = next_event(&mut rx).await;
        if e.property_operation == Some(PropertyOperation::Changed) {
            assert_eq!(kind(&e), "motion");
            break;
        }
    }
    session.close().await;
}

#[tokio::test]
async fn after_a_reboot_the_session_recreates_itself() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    h.emit_motion(true);
    assert_eq!(kind(&next_event(&mut rx).await), "motion");
    h.reboot_events();
    let (l, _) = until(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    let Lifecycle::Lost { reason, .. } = l else {
        unreachable!()
    };
    assert!(reason.contains("ResourceUnknown"), "{reason}");
    until(&mut rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    // The new subscription's initial states, then everything emitted after recovery.
    let mut initial = 0;
    h.emit_digital_input(true);
    h.emit_motion(false);
    let mut changed = Vec::new();
    while changed.len() < 2 {
        let e = next_event(&mut rx).await;
        match e.property_operation {
            Some(PropertyOperation::Initialized) => initial += 1,
            _ => changed.push(kind(&e).to_owned()),
        }
    }
    assert!(initial >= 3, "current states re-sent after re-creation");
    assert_eq!(changed, ["digital-input", "motion"]);
    session.close().await;
}

#[tokio::test]
async fn a_client_that_drops_the_reference_parameter_is_caught() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let cfg = SessionConfig {
        drop_reference_parameters: true,
        ..fast()
    };
    let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
    let (l, events) = until(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    assert!(
        events.is_empty(),
        "no event may come through without the header"
    );
    let Lifecycle::Lost { reason, .. } = l else {
        unreachable!()
    };
    assert!(reason.contains("SubscriptionId"), "{reason}");
    session.close().await;
}

#[tokio::test]
async fn the_back_off_is_bounded() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let cfg = SessionConfig {
        backoff_initial: Duration::from_millis(20),
        backoff_max: Duration::from_millis(100),
        max_attempts_per_window: 4,
        attempt_window: Duration::from_secs(1),
        ..fast()
    };
    let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    h.events_outage(true);
    until(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    // The outage lasts 2.5 s: with at most 4 attempts a second (the first one made at
    // subscription time counts too), no more than 12 creation requests can be made.
    let (_, ()) = tokio::join!(
        until(&mut rx, |l| matches!(l, Lifecycle::RetryFailed { .. })),
        tokio::time::sleep(Duration::from_millis(2500))
    );
    let during = h.stats().operation("CreatePullPointSubscription") - 1;
    assert!(
        (2..=12).contains(&during),
        "{during} creation attempts in 2.5 s"
    );
    h.events_outage(false);
    until(&mut rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    let after = h.stats().operation("CreatePullPointSubscription") - 1;
    assert!(after <= 16, "{after}");
    h.emit_tamper(true);
    loop {
        let e = next_event(&mut rx).await;
        if e.property_operation == Some(PropertyOperation::Changed) {
            assert_eq!(kind(&e), "tamper");
            break;
        }
    }
    session.close().await;
}

/// A ten-minute outage on tokio's paused clock (the simulator runs in the same runtime and
/// answers at once with a fault, so the clock only moves while everyone waits on a timer):
/// with the default settings, at most `max_attempts_per_window` creation requests per window.
#[tokio::test(start_paused = true)]
async fn a_ten_minute_outage_costs_a_bounded_number_of_requests() {
    // Virtual time: generous, since the clock jumps over every wait.
    const VIRTUAL_LIMIT: Duration = Duration::from_secs(3600);
    async fn next_lifecycle(
        rx: &mut Receiver<SessionItem>,
        f: impl Fn(&Lifecycle) -> bool,
    ) -> Lifecycle {
        loop {
            let item = tokio::time::timeout(VIRTUAL_LIMIT, rx.recv())
                .await
                .expect("an item in time")
                .expect("the session is running");
            if let SessionItem::Lifecycle(l) = item
                && f(&l)
            {
                return l;
            }
        }
    }
    let h = Sim::start().await;
    let cam = h.connect().await;
    let cfg = SessionConfig::default();
    let per_window = u64::try_from(cfg.max_attempts_per_window).unwrap();
    let window = cfg.attempt_window;
    assert_eq!(window, Duration::from_secs(600));
    let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
    next_lifecycle(&mut rx, |l| matches!(l, Lifecycle::Subscribed { .. })).await;
    let before = h.stats().operation("CreatePullPointSubscription");
    h.events_outage(true);
    let started = tokio::time::Instant::now();
    next_lifecycle(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    // Ten minutes of outage, while the session's items are read (so it never blocks on them).
    let outage = tokio::time::sleep_until(started + Duration::from_secs(600));
    tokio::pin!(outage);
    let mut seen = Vec::new();
    loop {
        tokio::select! {
            () = &mut outage => break,
            item = rx.recv() => match item.expect("the session is running") {
                SessionItem::Lifecycle(
                    l @ (Lifecycle::RetryFailed { .. } | Lifecycle::AttemptCapReached { .. }),
                ) => seen.push(l),
                SessionItem::Lifecycle(l) => panic!("unexpected during the outage: {l:?}"),
                SessionItem::Event(e) => panic!("an event during the outage: {e:?}"),
            },
        }
    }
    let failures = seen
        .iter()
        .filter(|l| matches!(l, Lifecycle::RetryFailed { .. }))
        .count() as u64;
    // Every wait longer than the back-off is told, right away, with its reason.
    let mut capped = Vec::new();
    for (i, l) in seen.iter().enumerate() {
        if let Lifecycle::RetryFailed { retry_in, .. } = l
            && *retry_in > Duration::from_secs(60)
        {
            let next = seen.get(i + 1);
            assert!(
                matches!(next, Some(Lifecycle::AttemptCapReached { retry_in: r, .. }) if r == retry_in),
                "a wait of {retry_in:?}, longer than the back-off, not told: {seen:?}"
            );
            capped.push(next.map(ToString::to_string).unwrap_or_default());
        }
    }
    assert_eq!(capped.len(), 1, "{seen:?}");
    assert!(
        capped[0].starts_with("attempt cap reached (10 failed attempts in 10 min): next try in ")
            && capped[0].contains(" min "),
        "{capped:?}"
    );
    let during = h.stats().operation("CreatePullPointSubscription") - before;
    assert!(
        during <= per_window + 1,
        "{during} creation attempts in a 10-minute outage (cap {per_window} per {window:?})"
    );
    // Exponential back-off from 1 s to 60 s leaves room for several attempts in 10 minutes.
    assert!(during >= 5, "only {during} creation attempts in 10 minutes");
    assert_eq!(failures, during, "every failed attempt is reported");
    h.events_outage(false);
    // Recovery comes within the next window at the latest.
    let back = tokio::time::Instant::now();
    next_lifecycle(&mut rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    assert!(back.elapsed() <= window, "{:?} to recover", back.elapsed());
    let total = h.stats().operation("CreatePullPointSubscription") - before;
    assert!(total <= 2 * per_window + 1, "{total}");
    session.close().await;
}

#[tokio::test]
async fn seek_replays_stored_events_forwards_and_backwards() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let caps = cam.event_service_capabilities().await.unwrap();
    assert_eq!(caps.persistent_notification_storage, Some(true));
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    h.emit_motion(true);
    h.emit_digital_input(true);
    h.emit_tamper(true);
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(next_event(&mut rx).await);
    }
    let kinds = |v: &[Event]| v.iter().map(|e| kind(e).to_owned()).collect::<Vec<_>>();
    assert_eq!(kinds(&seen), ["motion", "digital-input", "tamper"]);
    let first = seen[0].time.unwrap();
    let last = seen[2].time.unwrap();

    session.seek(first, false).await.unwrap();
    let mut again = Vec::new();
    for _ in 0..3 {
        again.push(next_event(&mut rx).await);
    }
    assert_eq!(kinds(&again), kinds(&seen));
    assert!(
        again
            .iter()
            .all(|e| e.property_operation == Some(PropertyOperation::Changed))
    );

    session.seek(last, true).await.unwrap();
    let mut back = Vec::new();
    for _ in 0..3 {
        back.push(next_event(&mut rx).await);
    }
    assert_eq!(kinds(&back), ["tamper", "digital-input", "motion"]);
    assert_eq!(h.stats().operation("Seek"), 2);
    session.close().await;
}

#[tokio::test]
async fn a_camera_that_ignores_relative_times_gets_absolute_ones_in_its_clock() {
    // The camera's clock is an hour ahead: an absolute time in our clock would be in its past.
    let h = Sim::builder().clock_skew_secs(3600).start().await;
    h.set_event_quirk(EventQuirk::IgnoresRelativeDurations, true);
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    let (l, _) = until(&mut rx, |l| {
        matches!(l, Lifecycle::SwitchedToAbsoluteTimes { .. })
    })
    .await;
    let Lifecycle::SwitchedToAbsoluteTimes { granted, .. } = l else {
        unreachable!()
    };
    assert_eq!(granted, IGNORED_RELATIVE_GRANT);
    let (l, _) = until(&mut rx, |l| {
        matches!(l, Lifecycle::Renewed { .. } | Lifecycle::Lost { .. })
    })
    .await;
    let Lifecycle::Renewed { granted } = l else {
        panic!("{l:?}")
    };
    assert!(granted >= Duration::from_secs(25), "{granted:?}");
    h.emit_motion(true);
    loop {
        let e = next_event(&mut rx).await;
        if e.property_operation == Some(PropertyOperation::Changed) {
            break;
        }
    }
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 1);
    session.close().await;
}

#[tokio::test]
async fn a_renewal_refused_with_a_fault_leads_to_a_new_subscription() {
    let h = Sim::start().await;
    h.set_event_quirk(EventQuirk::RenewFault, true);
    let cam = h.connect().await;
    let cfg = SessionConfig {
        termination: Duration::from_secs(10),
        ..fast()
    };
    let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
    until(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    until(&mut rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    h.emit_digital_input(true);
    loop {
        let e = next_event(&mut rx).await;
        if e.property_operation == Some(PropertyOperation::Changed) {
            assert_eq!(kind(&e), "digital-input");
            break;
        }
    }
    session.close().await;
}

#[tokio::test]
async fn closing_without_unsubscribe_leaves_the_subscription_to_expire() {
    let h = Sim::start().await;
    h.set_event_quirk(EventQuirk::CancelAllOnUnsubscribe, true);
    let cam = h.connect().await;
    let (other, _rx_other) = EventSession::pull(cam.clone(), fast()).await.unwrap();
    let cfg = SessionConfig {
        unsubscribe_on_close: false,
        ..fast()
    };
    let (session, _rx) = EventSession::pull(cam, cfg).await.unwrap();
    assert_eq!(h.event_subscriptions(), 2);
    session.close().await;
    assert_eq!(
        h.event_subscriptions(),
        2,
        "the other session's subscription survives"
    );
    other.close().await;
    assert_eq!(
        h.event_subscriptions(),
        0,
        "this camera cancels all on one Unsubscribe"
    );
}

fn local_push() -> PushConfig {
    PushConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..PushConfig::default()
    }
}

#[tokio::test]
async fn push_delivers_every_event_in_order() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::push(cam, fast(), local_push()).await.unwrap();
    let (addr, path) = session.push_endpoint().unwrap();
    assert!(
        path.starts_with("/onvif-events/") && path.len() > 30,
        "{path}"
    );
    assert!(addr.ip().is_loopback());
    for _ in 0..INITIAL_STATES {
        let e = next_event(&mut rx).await;
        assert_eq!(e.property_operation, Some(PropertyOperation::Initialized));
    }
    let script = [
        ("motion", true),
        ("tamper", true),
        ("digital-input", true),
        ("motion", false),
    ];
    for (k, on) in script {
        match k {
            "motion" => h.emit_motion(on),
            "digital-input" => h.emit_digital_input(on),
            _ => h.emit_tamper(on),
        }
    }
    for (k, on) in script {
        let e = next_event(&mut rx).await;
        assert_eq!(kind(&e), k);
        assert_eq!(e.kind.as_ref().unwrap().active, Some(on));
    }
    session.close().await;
    assert_eq!(h.event_subscriptions(), 0);
}

#[tokio::test]
async fn a_forged_notify_is_rejected() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::push(cam, fast(), local_push()).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    let (addr, path) = session.push_endpoint().unwrap();
    let http = reqwest::Client::new();
    let forged = |sub: &str| {
        format!(
            r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tns1="http://www.onvif.org/ver10/topics"><s:Body><wsnt:Notify><wsnt:NotificationMessage><wsnt:SubscriptionReference><wsa:Address>{sub}</wsa:Address></wsnt:SubscriptionReference><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-01-01T00:00:00Z" PropertyOperation="Changed"><tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></s:Body></s:Envelope>"#
        )
    };
    let post = |p: String, body: String| {
        let http = http.clone();
        async move {
            http.post(format!("http://{addr}{p}"))
                .header("content-type", "application/soap+xml")
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // An unknown path, another subscription, garbage, an oversized body.
    assert_eq!(post("/onvif-events/guess".into(), forged("")).await, 404);
    assert_eq!(
        post(path.clone(), forged("http://192.0.2.9/other")).await,
        403
    );
    assert_eq!(post(path.clone(), "<not-soap/>".into()).await, 400);
    // A 2 MiB body announced and never sent: refused from its head, and the answer arrives.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(
            format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(LIMIT, s.read_to_end(&mut answer))
            .await
            .unwrap()
            .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    }
    // A body too large, sent whole: the 413 still arrives.
    assert_eq!(post(path.clone(), "x".repeat(2 * 1024 * 1024)).await, 413);
    // A chunk whose size would overflow a sum after one real chunk: refused, no panic.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(
            format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nffffffffffffffff\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(LIMIT, s.read_to_end(&mut answer))
            .await
            .unwrap()
            .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    }
    // None of them came through: the next event is the camera's own.
    h.emit_tamper(true);
    let e = next_event(&mut rx).await;
    assert_eq!(kind(&e), "tamper");
    // The subscription's own path with the host written differently is accepted, chunked.
    let other_host = format!("http://camera.example{}", session_path(&h));
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let body = forged(&other_host);
        let (a, b) = body.split_at(body.len() / 2);
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
            a.len(),
            b.len()
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(LIMIT, s.read_to_end(&mut answer))
            .await
            .unwrap()
            .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
    }
    let e = next_event(&mut rx).await;
    assert_eq!(kind(&e), "motion");
    session.close().await;
}

/// The path of the simulator's only subscription.
fn session_path(h: &Sim) -> String {
    h.subscription_paths().pop().expect("a subscription")
}

#[tokio::test]
async fn a_push_session_recreates_itself_after_a_reboot() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let cfg = SessionConfig {
        termination: Duration::from_secs(10),
        ..fast()
    };
    let (session, mut rx) = EventSession::push(cam, cfg, local_push()).await.unwrap();
    let (_, first_path) = session.push_endpoint().unwrap();
    h.reboot_events();
    until(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    until(&mut rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    let (_, path) = session.push_endpoint().unwrap();
    assert_ne!(path, first_path, "a new path for the new subscription");
    h.emit_motion(true);
    loop {
        let e = next_event(&mut rx).await;
        if e.property_operation == Some(PropertyOperation::Changed) {
            assert_eq!(kind(&e), "motion");
            break;
        }
    }
    session.close().await;
}

#[tokio::test]
async fn auto_prefers_push_and_falls_back_to_pull() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let (session, mut rx) =
        EventSession::auto(cam.clone(), fast(), local_push(), Duration::from_secs(5))
            .await
            .unwrap();
    assert!(session.push_endpoint().is_some());
    assert!(matches!(
        next(&mut rx).await,
        SessionItem::Lifecycle(Lifecycle::Subscribed { .. })
    ));
    next_event(&mut rx).await;
    session.close().await;

    // The camera cannot reach the advertised address: pull instead. With a queue of one,
    // the fallback's news and `Subscribed` must both fit before anyone reads.
    let unreachable = PushConfig {
        advertise: Some("http://127.0.0.1:9".into()),
        ..local_push()
    };
    let one = SessionConfig {
        channel_capacity: 1,
        ..fast()
    };
    let (session, mut rx) = EventSession::auto(cam, one, unreachable, Duration::from_millis(800))
        .await
        .unwrap();
    assert!(session.push_endpoint().is_none());
    // Said first, before the pull session's own news.
    match next(&mut rx).await {
        SessionItem::Lifecycle(l @ Lifecycle::FellBackToPull { .. }) => {
            assert!(l.to_string().contains("no notification"), "{l}");
        }
        other => panic!("expected FellBackToPull first, got {other:?}"),
    }
    h.emit_motion(true);
    loop {
        let e = next_event(&mut rx).await;
        if e.property_operation == Some(PropertyOperation::Changed) {
            assert_eq!(kind(&e), "motion");
            break;
        }
    }
    session.close().await;
    assert_eq!(
        h.event_subscriptions(),
        0,
        "the push subscription was cancelled too"
    );
}

#[tokio::test]
async fn the_current_message_of_a_topic() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    h.emit_digital_input(true);
    let e = cam
        .current_message("tns1:Device/Trigger/DigitalInput")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.topic.path, "Device/Trigger/DigitalInput");
    assert_eq!(e.data[0].value, "true");
    assert_eq!(kind(&e), "digital-input");
    assert_eq!(
        cam.current_message("tns1:Nothing/Here").await.unwrap(),
        None
    );
    let caps = cam.event_service_capabilities().await.unwrap();
    assert_eq!(caps.ws_pull_point_support, Some(true));
}

#[tokio::test]
async fn tapo_layout_subscription_managers_on_another_port() {
    let h = Sim::builder().quirk(onvif_sim::Quirk::Tapo).start().await;
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    let SessionItem::Lifecycle(Lifecycle::Subscribed { address, .. }) = next(&mut rx).await else {
        panic!("not subscribed first")
    };
    let url = reqwest::Url::parse(&address).unwrap();
    assert_ne!(url.port(), Some(h.addr().port()), "{address}");
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    h.emit_motion(true);
    assert_eq!(kind(&next_event(&mut rx).await), "motion");
    session.close().await;
    assert_eq!(h.event_subscriptions(), 0);
}

#[tokio::test]
async fn a_camera_that_answers_long_polls_at_once_is_not_hammered() {
    let h = Sim::start().await;
    h.set_event_quirk(EventQuirk::PullIgnoresTimeout, true);
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    let before = h.stats().operation("PullMessages");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let polls = h.stats().operation("PullMessages") - before;
    assert!(polls <= 4, "{polls} PullMessages in 2.5 s");
    h.emit_motion(true);
    assert_eq!(kind(&next_event(&mut rx).await), "motion");
    session.close().await;
}

#[tokio::test]
async fn refused_credentials_end_recovery_without_locking_the_account() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    let before = h.stats().auth_failures;
    h.set_password("changed");
    // The waiting pull ends with an event; the next one is refused.
    h.emit_motion(true);
    let (l, _) = until(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    let Lifecycle::Lost { reason, .. } = l else {
        unreachable!()
    };
    assert!(reason.contains("giving up"), "{reason}");
    until(&mut rx, |l| *l == Lifecycle::Closed).await;
    let failed = h.stats().auth_failures - before;
    assert!((1..=2).contains(&failed), "{failed} refused logins");
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 1);
    session.close().await;
}

#[tokio::test]
async fn one_failed_pull_keeps_the_subscription_two_replace_it() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    h.pulls_waiting(1).await;
    // The waiting pull answers with motion; the next fails once; the one after works.
    h.fail_next_pulls(1);
    h.emit_motion(true);
    assert_eq!(kind(&next_event(&mut rx).await), "motion");
    h.pulls_waiting(1).await;
    h.emit_tamper(true);
    // The next item is the tamper event: no lifecycle signal for one failed pull.
    match next(&mut rx).await {
        SessionItem::Event(e) => assert_eq!(kind(&e), "tamper"),
        SessionItem::Lifecycle(l) => panic!("{l:?}"),
    }
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 1);
    assert_eq!(h.event_subscriptions(), 1);
    // Two in a row: the subscription is replaced, and the old one unsubscribed.
    h.fail_next_pulls(2);
    h.emit_digital_input(true);
    until(&mut rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 2);
    assert_eq!(h.event_subscriptions(), 1, "the old one was unsubscribed");
    session.close().await;
}

#[tokio::test]
async fn close_does_not_hang_when_nobody_reads() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let cfg = SessionConfig {
        channel_capacity: 2,
        ..fast()
    };
    let (session, rx) = EventSession::pull(cam, cfg).await.unwrap();
    // Subscribed and the initial states: the channel is full and the task is blocked.
    h.emit_motion(true);
    h.emit_tamper(true);
    tokio::time::timeout(Duration::from_secs(10), session.close())
        .await
        .expect("close returns with a full channel");
    drop(rx);
    assert_eq!(h.event_subscriptions(), 0, "unsubscribed all the same");
}

#[tokio::test]
async fn a_camera_granting_one_second_is_not_renewed_in_a_loop() {
    let h = Sim::start().await;
    h.set_event_quirk(EventQuirk::ShortGrants, true);
    let cam = h.connect().await;
    let (session, mut rx) = EventSession::pull(cam, fast()).await.unwrap();
    let started = std::time::Instant::now();
    let mut told = Vec::new();
    let mut renewals = 0;
    while renewals < 4 {
        match next(&mut rx).await {
            SessionItem::Lifecycle(Lifecycle::Renewed { .. }) => renewals += 1,
            SessionItem::Lifecycle(l @ Lifecycle::Lost { .. }) => panic!("{l:?}"),
            SessionItem::Lifecycle(l) => told.push(l),
            SessionItem::Event(_) => {}
        }
    }
    // What happened is said once, as it is: the camera grants short times whatever is asked
    // (an absolute time was tried too); it does not ignore relative times.
    assert!(
        matches!(
            told.as_slice(),
            [Lifecycle::Subscribed { .. }, Lifecycle::ShortGrant { granted, .. }]
                if *granted == onvif_sim::SHORT_GRANT
        ),
        "{told:?}"
    );
    assert!(
        told[1].to_string().contains("grants only 1.0 s"),
        "{}",
        told[1]
    );
    let elapsed = started.elapsed();
    let renewals = h.stats().operation("Renew");
    // At most one renewal a second (plus the immediate one after switching to absolute times).
    assert!(
        renewals as f64 <= elapsed.as_secs_f64() + 2.0,
        "{renewals} renewals in {elapsed:?}"
    );
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    session.close().await;
}

#[tokio::test]
async fn a_long_poll_cut_by_the_camera_keeps_the_subscription() {
    let h = Sim::builder().quirk(onvif_sim::Quirk::Tapo).start().await;
    let cam = h.connect().await;
    // Tapo drops a long poll's connection after 10 s: ask for more.
    let cfg = SessionConfig {
        pull_timeout: Duration::from_secs(15),
        ..fast()
    };
    let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    tokio::time::timeout(LIMIT, h.pulls_cut(1))
        .await
        .expect("a long poll cut");
    h.emit_motion(true);
    let mut lifecycle = Vec::new();
    let e = loop {
        match next(&mut rx).await {
            SessionItem::Event(e) => break *e,
            SessionItem::Lifecycle(l) => lifecycle.push(l),
        }
    };
    assert_eq!(kind(&e), "motion");
    assert!(lifecycle.is_empty(), "{lifecycle:?}");
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 1);
    session.close().await;
    assert_eq!(h.event_subscriptions(), 0);
}
