//! The push session: delivery, forged notifications, recovery, and auto mode's choice.

use super::*;

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
