//! The pull-point session: order, renewal, recovery, back-off, seeking, absolute times.

use super::*;

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
    assert_eq!(kind(&next_change(&mut rx).await), "motion");
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
    assert_eq!(kind(&next_change(&mut rx).await), "tamper");
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
    // The wait is told in minutes: `6 min` or `5 min 37 s` (the jitter decides which).
    let wait = capped[0]
        .strip_prefix("attempt cap reached (10 failed attempts in 10 min): next try in ")
        .unwrap_or_else(|| panic!("{capped:?}"));
    assert!(
        wait.ends_with(" min") || (wait.contains(" min ") && wait.ends_with(" s")),
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
    next_change(&mut rx).await;
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 1);
    session.close().await;
}

/// A camera whose long polls do not keep a pull point alive (onvif/specs#506): a refused
/// renewal stands, and the subscription is replaced before it ends.
#[tokio::test]
async fn a_renewal_refused_with_a_fault_leads_to_a_new_subscription() {
    let h = Sim::start().await;
    h.set_event_quirk(EventQuirk::RenewFault, true);
    h.set_event_quirk(EventQuirk::PullNoKeepalive, true);
    let cam = h.connect().await;
    let cfg = SessionConfig {
        termination: Duration::from_secs(10),
        ..fast()
    };
    let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
    until(&mut rx, |l| matches!(l, Lifecycle::Lost { .. })).await;
    until(&mut rx, |l| matches!(l, Lifecycle::Recreated { .. })).await;
    h.emit_digital_input(true);
    assert_eq!(kind(&next_change(&mut rx).await), "digital-input");
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
