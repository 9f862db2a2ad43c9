//! Cameras' ways: current messages, other ports, quick answers, refused credentials, cut polls.

use super::*;

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
