//! The push session: delivery, forged notifications, recovery, and auto mode's choice.
//!
//! Network safety: everything here talks to 127.0.0.1, except the renumbering test, whose
//! 10.9.0.x addresses exist only on `lo` inside a network namespace the test creates (only
//! `lo` in it; `onvif_testkit::netns`), so nothing leaves the machine.

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
    // The listener stopped with the session.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
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
    assert_eq!(kind(&next_change(&mut rx).await), "motion");
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
    assert_eq!(kind(&next_change(&mut rx).await), "motion");
    session.close().await;
    assert_eq!(
        h.event_subscriptions(),
        0,
        "the push subscription was cancelled too"
    );
}

#[test]
fn a_push_listener_whose_address_leaves_the_machine_follows_the_route() {
    netns::run_inside(
        "push::inside_the_namespace_a_renumbered_push_listener_follows_the_route",
        "the renumbering test",
    );
}

/// The route to the camera (10.9.0.100, on `lo`) leaves from `from`.
fn route_to_camera_from(from: &str) {
    netns::ip(&[
        "route",
        "replace",
        "table",
        "local",
        "local",
        "10.9.0.100",
        "dev",
        "lo",
        "src",
        from,
    ]);
}

/// Runs only re-run by the test above, inside a network namespace of its own: this machine's
/// address on the route to the camera changes (a DHCP lease renumbered it), and the old one
/// goes away.
#[tokio::test]
async fn inside_the_namespace_a_renumbered_push_listener_follows_the_route() {
    if !netns::inside() {
        return;
    }
    netns::bring_up_lo();
    for a in ["10.9.0.100/32", "10.9.0.1/32"] {
        netns::ip(&["addr", "add", a, "dev", "lo"]);
    }
    route_to_camera_from("10.9.0.1");
    let h = Sim::builder()
        .config(|c| c.bind("10.9.0.100:0".parse().unwrap()))
        .start()
        .await;
    // Connections the pool holds from the old address no longer answer (as on a real
    // network): a check caught on one fails soon.
    let cam = h
        .connect_with(Config {
            request_timeout: Duration::from_secs(2),
            ..Config::default()
        })
        .await;
    let cfg = SessionConfig {
        liveness: Some(Duration::from_millis(200)),
        ..fast()
    };
    // The default: the address on the route to the camera, a port of the system's choice.
    let (session, mut rx) = EventSession::push(cam.clone(), cfg.clone(), PushConfig::default())
        .await
        .unwrap();
    let (first, first_path) = session.push_endpoint().unwrap();
    assert_eq!(first.ip().to_string(), "10.9.0.1");
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }

    let (said, address) = renumbered(&mut rx, "10.9.0.1", "10.9.0.2").await;
    assert!(
        said.contains(&first.to_string()) && said.contains("10.9.0.2:"),
        "{said}"
    );
    let (now, path) = session.push_endpoint().unwrap();
    assert_eq!(now.ip().to_string(), "10.9.0.2");
    assert_eq!(now.port(), first.port(), "the same port, where it is free");
    assert_ne!(path, first_path);
    h.emit_motion(true);
    assert_eq!(kind(&next_change(&mut rx).await), "motion");
    session.close().await;
    // The new subscription was unsubscribed (the old one was asked to be too, over whatever
    // connection the pool gave: one from the address that went away does not answer, and
    // the subscription, no longer renewed, then expires), and nothing listens any more.
    let manager = address.parse::<url::Url>().unwrap().path().to_owned();
    assert!(!h.subscription_paths().contains(&manager), "{manager}");
    assert!(tokio::net::TcpStream::connect(now).await.is_err());

    // On every interface, nothing is bound again: the camera is told the new address.
    let every = PushConfig {
        every_interface: true,
        ..PushConfig::default()
    };
    let (session, mut rx) = EventSession::push(cam, cfg, every).await.unwrap();
    let (bound, _) = session.push_endpoint().unwrap();
    assert!(bound.ip().is_unspecified(), "{bound}");
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await;
    }
    let (said, _) = renumbered(&mut rx, "10.9.0.2", "10.9.0.3").await;
    let told = format!("the camera is told 10.9.0.3:{} instead", bound.port());
    assert!(said.contains(&told), "{said}");
    assert_eq!(session.push_endpoint().unwrap().0, bound);
    h.emit_motion(false);
    assert_eq!(kind(&next_change(&mut rx).await), "motion");
    session.close().await;
    netns::done();
}

/// This machine's address on the route to the camera changes from `old` to `new` (a DHCP
/// lease renumbered it), and `old` goes away. Returns what the session then said of the
/// subscription it lost, and the address of the one it made instead.
async fn renumbered(rx: &mut Receiver<SessionItem>, old: &str, new: &str) -> (String, String) {
    netns::ip(&["addr", "add", &format!("{new}/32"), "dev", "lo"]);
    route_to_camera_from(new);
    netns::ip(&["addr", "del", &format!("{old}/32"), "dev", "lo"]);
    let (lost, _) = until(rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    let (recreated, _) = until(rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    let Lifecycle::Recreated { address, .. } = recreated else {
        unreachable!()
    };
    (lost.to_string(), address)
}
