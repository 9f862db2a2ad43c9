//! Quiet subscriptions: silence probes, and pull points whose camera refuses Renew.

use super::*;

/// A pull session asking 30 s, probing after a minute of silence.
fn quiet() -> Config {
    Config {
        silence: Some(secs(60.0)),
        ..fast()
    }
}

fn is_sync(r: &Request) -> bool {
    matches!(r, Request::SetSynchronizationPoint)
}

/// A camera that answers each creation and synchronization point with its states (one event,
/// the subscription's number) in the next long poll; from `stuck_at` on, its first
/// subscription keeps answering but queues nothing (a later one works).
fn stops_queueing(stuck_at: Duration) -> impl FnMut(Duration, &Request) -> (Duration, Answer) {
    let (mut sub, mut pending) = (0u32, false);
    move |t, r| match r {
        Request::Create { .. } => {
            sub += 1;
            pending = true;
            healthy(r)
        }
        Request::SetSynchronizationPoint => {
            pending = true;
            healthy(r)
        }
        Request::Pull { .. } if pending && !(sub == 1 && t >= stuck_at) => {
            pending = false;
            (LATENCY, Answer::Pulled(vec![sub]))
        }
        _ => healthy(r),
    }
}

#[test]
fn a_subscription_that_stops_queueing_is_asked_for_its_states_then_replaced() {
    let mut sim = Sim::new(quiet(), Mode::Pull, 21, stops_queueing(secs(100.0)));
    sim.run_until(secs(200.0));
    let syncs = sim.times(is_sync);
    // Quiet for a minute: asked, and answered. A minute later asked again, and not.
    assert!((secs(60.0)..secs(61.0)).contains(&syncs[0]), "{syncs:?}");
    assert!((secs(120.0)..secs(122.0)).contains(&syncs[1]), "{syncs:?}");
    let lost = sim.told(|l| matches!(l, Lifecycle::Lost { .. }));
    assert_eq!(lost.len(), 1, "{:#?}", sim.lines());
    let (at, Lifecycle::Lost { reason, .. }) = &lost[0] else {
        unreachable!()
    };
    assert!(
        (syncs[1] + SILENCE_GRACE..syncs[1] + SILENCE_GRACE + secs(1.0)).contains(at),
        "{at:?}"
    );
    assert!(
        reason.contains("not even the current states") && reason.contains("no longer delivers"),
        "{reason}"
    );
    // Replaced, and the new subscription's states arrive.
    assert_eq!(sim.times(is_create).len(), 2);
    assert!(sim.events.iter().any(|(t, e)| *t > *at && *e == 2));
    assert_eq!(
        sim.told(|l| matches!(l, Lifecycle::Recreated { .. })).len(),
        1
    );
}

#[test]
fn a_camera_that_answers_no_creation_with_states_is_never_judged_by_its_silence() {
    let mut sim = Sim::new(quiet(), Mode::Pull, 22, |_, r: &Request| healthy(r));
    sim.run_until(secs(3600.0));
    assert!(sim.times(is_sync).is_empty());
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
}

#[test]
fn a_camera_without_synchronization_points_is_asked_once() {
    let mut states = Some(1);
    let mut sim = Sim::new(quiet(), Mode::Pull, 23, move |_, r: &Request| match r {
        Request::SetSynchronizationPoint => (
            LATENCY,
            Answer::Failed(Failure::new(FailureKind::NotSupported, "not implemented")),
        ),
        Request::Pull { .. } if states.is_some() => {
            (LATENCY, Answer::Pulled(states.take().into_iter().collect()))
        }
        _ => healthy(r),
    });
    sim.run_until(secs(3600.0));
    assert_eq!(sim.times(is_sync).len(), 1);
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
}

#[test]
fn a_push_subscription_whose_notifications_stop_arriving_is_replaced() {
    let cfg = Config {
        termination: secs(120.0),
        liveness: Some(secs(5.0)),
        silence: Some(secs(60.0)),
        ..Config::default()
    };
    let mut sim = Sim::new(cfg, Mode::Push, 24, |_, r: &Request| healthy(r));
    // The states after Subscribe arrive; then nothing, though every Renew succeeds (the
    // camera's posts no longer reach us).
    sim.notifications = vec![secs(0.5)];
    sim.run_until(secs(100.0));
    let syncs = sim.times(is_sync);
    assert_eq!(syncs.len(), 1, "{syncs:?}");
    assert!((secs(60.5)..secs(61.0)).contains(&syncs[0]), "{syncs:?}");
    let lost = sim.told(|l| matches!(l, Lifecycle::Lost { .. }));
    assert_eq!(lost.len(), 1, "{:#?}", sim.lines());
    assert!((syncs[0] + SILENCE_GRACE..syncs[0] + SILENCE_GRACE + secs(0.1)).contains(&lost[0].0));
    assert_eq!(sim.times(is_create).len(), 2);
}

#[test]
fn a_refused_renewal_on_a_pull_point_that_tells_no_times_is_left_to_the_long_polls() {
    // The long polls' answers carry no times: nothing shows that they keep the pull point
    // alive, nor that they do not. It is not renewed again, nothing is said, and it lives as
    // long as the camera keeps it.
    let mut sim = Sim::new(quiet(), Mode::Pull, 25, |_, r: &Request| match r {
        Request::Renew { .. } => failed(FailureKind::Gone),
        _ => healthy(r),
    });
    sim.run_until(secs(600.0));
    assert_eq!(sim.times(is_renew).len(), 1, "{:#?}", sim.lines());
    assert!(
        sim.told(|l| matches!(l, Lifecycle::RenewRefused { .. }))
            .is_empty()
    );
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
    assert_eq!(sim.times(is_create).len(), 1);
    // Pulled all along.
    let pulls = sim.times(|r| matches!(r, Request::Pull { .. }));
    assert!(pulls.last().is_some_and(|t| *t > secs(590.0)));
}

#[test]
fn a_renewal_refused_by_a_subscription_that_is_gone_is_recovered() {
    let mut gone = false;
    let mut sim = Sim::new(quiet(), Mode::Pull, 26, move |_, r: &Request| match r {
        Request::Renew { .. } => {
            gone = true;
            failed(FailureKind::Gone)
        }
        Request::Pull { .. } if gone => {
            gone = false;
            failed(FailureKind::Gone)
        }
        _ => healthy(r),
    });
    sim.run_until(secs(40.0));
    let lost = sim.told(|l| matches!(l, Lifecycle::Lost { .. }));
    assert_eq!(lost.len(), 1, "{:#?}", sim.lines());
    assert!(
        sim.told(|l| matches!(l, Lifecycle::RenewRefused { .. }))
            .is_empty()
    );
    // The renewal, then one pull that finds it gone, then a new subscription.
    let renew = sim.times(is_renew)[0];
    let creates = sim.times(is_create);
    assert_eq!(creates.len(), 2);
    assert!(creates[1] > renew);
}

/// A camera that refuses Renew; its pull points end at their first termination time
/// (`extends` false) or are kept alive by each long poll (true), as the answers' times say.
fn refuses_renew(extends: bool) -> impl FnMut(Duration, &Request) -> (Duration, Answer) {
    let mut ends = secs(30.0);
    move |t, r| match r {
        Request::Create { .. } => {
            ends = t + secs(30.0);
            healthy(r)
        }
        Request::Renew { .. } => failed(FailureKind::Other),
        Request::Pull { timeout, .. } => {
            if extends {
                ends = ends.max(t + *timeout + secs(60.0));
            }
            if t + *timeout >= ends {
                return failed(FailureKind::Gone);
            }
            (
                *timeout,
                Answer::PulledLeft(Vec::new(), ends - t - *timeout),
            )
        }
        _ => healthy(r),
    }
}

#[test]
fn a_renewal_refused_where_long_polls_keep_nothing_alive_replaces_the_subscription_in_time() {
    let mut sim = Sim::new(quiet(), Mode::Pull, 27, refuses_renew(false));
    sim.run_until(secs(100.0));
    let lost = sim.told(|l| matches!(l, Lifecycle::Lost { .. }));
    assert!(!lost.is_empty(), "{:#?}", sim.lines());
    // Replaced while it still lived: no long poll found it gone.
    assert!(
        lost.iter().all(|(_, l)| !l.to_string().contains("Gone")),
        "{:#?}",
        sim.lines()
    );
    assert!(
        sim.told(|l| matches!(l, Lifecycle::RenewRefused { .. }))
            .is_empty()
    );
    assert!(sim.times(is_create).len() >= 3);
}

#[test]
fn a_renewal_refused_where_long_polls_keep_the_pull_point_alive_stops_renewals() {
    let mut sim = Sim::new(quiet(), Mode::Pull, 28, refuses_renew(true));
    sim.run_until(secs(600.0));
    assert_eq!(sim.times(is_renew).len(), 1, "{:#?}", sim.lines());
    let told = sim.told(|l| matches!(l, Lifecycle::RenewRefused { .. }));
    assert_eq!(told.len(), 1);
    assert!(
        told[0]
            .1
            .to_string()
            .contains("kept alive by its long polls")
    );
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
}

#[test]
fn a_silence_shorter_than_a_minute_is_a_minute() {
    let cfg = Config {
        silence: Some(secs(1.0)),
        ..fast()
    };
    let mut sim = Sim::new(cfg, Mode::Pull, 29, stops_queueing(secs(10_000.0)));
    sim.run_until(secs(600.0));
    let syncs = sim.times(is_sync);
    // Answered each time: one probe a minute, not one per answer.
    assert!((8..=10).contains(&syncs.len()), "{syncs:?}");
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
}

/// A camera that sends its states at each creation (one event, the subscription's number)
/// and answers SetSynchronizationPoint with nothing; with `busy`, it also sends an event of
/// its own (0) 30 s into every 5 minutes.
fn ignores_sync_points(busy: bool) -> impl FnMut(Duration, &Request) -> (Duration, Answer) {
    let (mut created, mut pending) = (0u32, false);
    move |t, r| match r {
        Request::Create { .. } => {
            created += 1;
            pending = true;
            healthy(r)
        }
        Request::Pull { .. } if pending => {
            pending = false;
            (LATENCY, Answer::Pulled(vec![created]))
        }
        Request::Pull { .. } if busy && t.as_secs() % 300 == 30 => {
            (LATENCY, Answer::Pulled(vec![0]))
        }
        _ => healthy(r),
    }
}

#[test]
fn a_camera_that_never_answers_a_synchronization_point_is_replaced_ever_more_rarely() {
    let mut sim = Sim::new(quiet(), Mode::Pull, 31, ignores_sync_points(false));
    sim.run_until(secs(3600.0));
    let lost: Vec<Duration> = sim
        .told(|l| matches!(l, Lifecycle::Lost { .. }))
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    // It may only ignore SetSynchronizationPoint, or its subscriptions may die: replaced
    // after 1, 2, 4, 8, 16 minutes of silence, never given up on.
    assert_eq!(lost.len(), 5, "{:#?}", sim.lines());
    for w in lost.windows(3) {
        assert!(
            (w[2] - w[1]).as_secs_f64() > 1.8 * (w[1] - w[0]).as_secs_f64(),
            "{lost:?}"
        );
    }
}

#[test]
fn an_event_of_its_own_keeps_the_silence_at_its_setting() {
    // The same camera, but busy between its quiet spells: each event it sends of its own
    // shows the subscription working, and the next silence is judged at a minute again.
    let mut sim = Sim::new(quiet(), Mode::Pull, 33, ignores_sync_points(true));
    sim.run_until(secs(1500.0));
    let lost: Vec<Duration> = sim
        .told(|l| matches!(l, Lifecycle::Lost { .. }))
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let own: Vec<Duration> = sim
        .events
        .iter()
        .filter(|(_, e)| *e == 0)
        .map(|(t, _)| *t)
        .collect();
    assert!(own.len() >= 3, "{own:?}");
    // After each, the silence is a minute again: judged a minute and a quarter later.
    for t in own {
        assert!(
            lost.iter().any(|l| *l > t && *l - t < secs(100.0)),
            "nothing judged after the event at {t:?}: {lost:?}"
        );
    }
}

#[test]
fn states_posted_before_the_answer_to_subscribe_count_for_the_new_subscription() {
    let cfg = Config {
        termination: secs(120.0),
        silence: Some(secs(60.0)),
        ..Config::default()
    };
    let mut sim = Sim::new(cfg, Mode::Push, 32, |_, r: &Request| healthy(r));
    // The camera posts its states 5 ms after Subscribe went out, before its answer (10 ms).
    sim.notifications = vec![secs(0.005)];
    sim.run_until(secs(100.0));
    assert_eq!(sim.times(is_sync).len(), 1, "its silence is judged");
}
