//! Push mode: liveness checks.

use super::*;

/// A push session asking 120 s and checking every 5 s.
fn push() -> Config {
    Config {
        termination: secs(120.0),
        liveness: Some(secs(5.0)),
        ..Config::default()
    }
}

#[test]
fn a_push_session_checks_every_liveness_interval_unless_notified() {
    let mut sim = Sim::new(push(), Mode::Push, 9, |_, r: &Request| healthy(r));
    // Busy for a minute (a notification every 2 s), then quiet.
    sim.notifications = (1..=30).map(|n| secs(2.0 * f64::from(n))).collect();
    sim.run_until(secs(80.0));
    let checks = sim.times(is_renew);
    assert!(
        checks.iter().all(|t| *t > secs(60.0)),
        "checked while notified: {checks:?}"
    );
    assert!(checks.len() >= 3, "{checks:?}");
    assert!((secs(65.0)..secs(65.1)).contains(&checks[0]), "{checks:?}");
    for w in checks.windows(2) {
        assert!(
            (secs(5.0)..secs(5.1)).contains(&(w[1] - w[0])),
            "{checks:?}"
        );
    }
    // A check is no renewal: nothing is said.
    assert!(
        sim.told(|l| matches!(l, Lifecycle::Renewed { .. }))
            .is_empty()
    );
    assert_eq!(
        sim.lifecycle[0].1,
        Lifecycle::Subscribed {
            address: grant(secs(1.0)).address,
            granted: secs(120.0),
            liveness: Some(secs(5.0))
        }
    );
}

#[test]
fn one_failed_check_is_tried_again_at_once_two_replace_the_subscription() {
    let mut renews = 0;
    let mut sim = Sim::new(push(), Mode::Push, 10, |_, r: &Request| match r {
        Request::Renew { .. } => {
            renews += 1;
            if [2, 5, 6].contains(&renews) {
                failed(FailureKind::Unanswered)
            } else {
                healthy(r)
            }
        }
        _ => healthy(r),
    });
    sim.run_until(secs(40.0));
    let checks = sim.times(is_renew);
    // The second check failed and was tried again at once (after its own answer).
    assert_eq!(checks[2] - checks[1], LATENCY);
    let lost = sim.told(|l| matches!(l, Lifecycle::Lost { .. }));
    assert_eq!(lost.len(), 1, "{:#?}", sim.lines());
    assert!(
        matches!(&lost[0].1, Lifecycle::Lost { reason, .. } if reason.starts_with("the liveness check (Renew) failed: "))
    );
    assert_eq!(sim.times(is_create).len(), 2);
    assert_eq!(
        sim.times(|r| matches!(r, Request::Unsubscribe { .. }))
            .len(),
        1
    );
}

#[test]
fn a_check_refused_as_not_supported_turns_checks_off_and_is_said_once() {
    let mut sim = Sim::new(push(), Mode::Push, 11, |_, r: &Request| match r {
        Request::Renew { .. } => (
            LATENCY,
            Answer::Failed(Failure::new(FailureKind::NotSupported, "not implemented")),
        ),
        _ => healthy(r),
    });
    sim.run_until(secs(80.0));
    assert_eq!(sim.times(is_renew).len(), 1);
    let off = sim.told(|l| matches!(l, Lifecycle::LivenessCheckOff { .. }));
    assert_eq!(off.len(), 1);
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
    assert_eq!(sim.times(is_create).len(), 1);
}

#[test]
fn a_subscription_the_driver_replaces_is_unsubscribed_and_created_again_once() {
    let mut sim = Sim::new(push(), Mode::Push, 11, |_, r: &Request| healthy(r));
    sim.run_until(secs(10.0));
    sim.s.replace("the address moved");
    // Asked again before the first is acted on, and once it is being recovered: no more.
    sim.s.replace("the address moved again");
    sim.run_until(secs(10.0) + LATENCY);
    sim.s.replace("the address moved again");
    sim.run_until(secs(20.0));
    let unsubscribes = sim.times(|r| {
        matches!(
            r,
            Request::Unsubscribe {
                limit: Some(UNSUBSCRIBE_LIMIT)
            }
        )
    });
    assert_eq!(unsubscribes, [secs(10.0)], "{:#?}", sim.lines());
    let creates = sim.times(is_create);
    assert_eq!(creates.len(), 2, "{:#?}", sim.lines());
    assert!(
        creates[1] > secs(10.0) && creates[1] < secs(12.0),
        "{creates:?}"
    );
    let lost = sim.told(|l| matches!(l, Lifecycle::Lost { .. }));
    assert_eq!(
        lost,
        [(
            secs(10.0) + LATENCY,
            Lifecycle::Lost {
                reason: "the address moved".into(),
                credentials_refused: false
            }
        )]
    );
    assert_eq!(
        sim.told(|l| matches!(l, Lifecycle::Recreated { .. })).len(),
        1
    );
    // Checks go on on the new subscription.
    assert!(sim.times(is_renew).iter().any(|t| *t > creates[1]));
}

#[test]
fn replacing_does_nothing_while_closing_or_without_a_subscription() {
    let mut sim = Sim::new(push(), Mode::Push, 12, |_, r: &Request| healthy(r));
    sim.s.replace("before the first");
    sim.run_until(secs(1.0));
    sim.close_now();
    sim.s.replace("while closing");
    sim.run_until(secs(5.0));
    assert!(sim.s.is_closed());
    assert!(
        sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty(),
        "{:#?}",
        sim.lines()
    );
    assert_eq!(sim.times(is_create).len(), 1);
}

#[test]
fn a_replacement_soon_after_a_re_creation_is_no_failed_attempt() {
    let mut renews = 0;
    let mut sim = Sim::new(push(), Mode::Push, 13, |_, r: &Request| match r {
        Request::Renew { .. } => {
            renews += 1;
            if renews == 2 {
                failed(FailureKind::Gone)
            } else {
                healthy(r)
            }
        }
        _ => healthy(r),
    });
    // The second check (at about 10 s) finds the subscription gone: re-created at once.
    sim.run_until(secs(15.0));
    assert_eq!(sim.times(is_create).len(), 2, "{:#?}", sim.lines());
    sim.s.replace("the address moved");
    sim.run_until(secs(20.0));
    let creates = sim.times(is_create);
    assert_eq!(creates.len(), 3, "{:#?}", sim.lines());
    // The first back-off (1 s, jittered down to half), not a doubled one.
    assert!(
        creates[2] - secs(15.0) < secs(1.0) + 2 * LATENCY,
        "{creates:?}"
    );
}
