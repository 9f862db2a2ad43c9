//! Losing a subscription and re-creating it: back-off, jitter, the cap, probes.

use super::*;

#[test]
fn the_back_off_doubles_to_its_maximum_with_jitter_in_bounds() {
    let cfg = Config {
        backoff_initial: secs(1.0),
        backoff_max: secs(60.0),
        max_attempts_per_window: 10_000,
        ..Config::default()
    };
    let (mut lowest, mut highest) = (f64::MAX, 0.0f64);
    for seed in 0..200 {
        let mut sim = Sim::new(cfg.clone(), Mode::Pull, seed, refuses_creation);
        sim.run_until(secs(1800.0));
        let creates = sim.times(is_create);
        // Lost at 10 s: the first attempt after half to all of the initial delay.
        let first = creates[1] - secs(10.0) - LATENCY;
        assert!((secs(0.5)..secs(1.0)).contains(&first), "{first:?}");
        let retries = sim.told(|l| matches!(l, Lifecycle::RetryFailed { .. }));
        assert!(retries.len() > 10);
        for (i, (at, l)) in retries.iter().enumerate() {
            let Lifecycle::RetryFailed {
                retry_in,
                sooner_when_back,
                ..
            } = l
            else {
                unreachable!()
            };
            assert!(!sooner_when_back, "a fault is an answer");
            let delay = secs(2f64.powi(i as i32 + 1).min(60.0));
            let j = retry_in.as_secs_f64() / delay.as_secs_f64();
            assert!(
                (0.5..1.0).contains(&j),
                "attempt {i}: {retry_in:?} of {delay:?}"
            );
            (lowest, highest) = (lowest.min(j), highest.max(j));
            // The next attempt comes exactly when said.
            if let Some(next) = creates.get(i + 2) {
                assert_eq!(*next - *at, *retry_in);
            }
        }
    }
    assert!(
        lowest < 0.52 && highest > 0.98,
        "jitter spans [{lowest}, {highest}]"
    );
}

#[test]
fn a_ten_minute_outage_costs_a_bounded_number_of_requests() {
    let cfg = Config::default();
    let per_window = cfg.max_attempts_per_window;
    let outage = secs(10.0)..secs(610.0);
    let mut sim = Sim::new(cfg, Mode::Pull, 4, |t, r: &Request| match r {
        Request::Create { .. } | Request::Pull { .. } if outage.contains(&t) => {
            failed(FailureKind::Other)
        }
        Request::Pull { timeout, .. } if t < outage.start => {
            ((*timeout).min(outage.start - t), Answer::Pulled(Vec::new()))
        }
        _ => healthy(r),
    });
    sim.run_until(secs(610.0));
    let lines = sim.lines();
    let during = sim.times(is_create).len() - 1;
    assert!(
        during <= per_window + 1,
        "{during} creation attempts\n{lines:#?}"
    );
    assert!(during >= 5, "only {during} creation attempts");
    let seen: Vec<Lifecycle> = sim
        .lifecycle
        .iter()
        .map(|(_, l)| l.clone())
        .skip_while(|l| !matches!(l, Lifecycle::Lost { .. }))
        .skip(1)
        .collect();
    let failures = seen
        .iter()
        .filter(|l| matches!(l, Lifecycle::RetryFailed { .. }))
        .count();
    assert_eq!(failures, during, "every failed attempt is reported");
    // Every wait longer than the back-off is told, right away, with its reason; once here.
    let mut capped = 0;
    for (i, l) in seen.iter().enumerate() {
        if let Lifecycle::RetryFailed { retry_in, .. } = l
            && *retry_in > secs(60.0)
        {
            assert!(
                matches!(seen.get(i + 1), Some(Lifecycle::AttemptCapReached { retry_in: r, failures: 10, .. }) if r == retry_in),
                "{lines:#?}"
            );
            capped += 1;
        }
    }
    assert_eq!(capped, 1, "{lines:#?}");
    // Recovery comes within the next window at the latest.
    sim.run_until(secs(1300.0));
    let back = sim.told(|l| matches!(l, Lifecycle::Recreated { .. }));
    assert!(back[0].0 <= secs(610.0 + 600.0), "{lines:#?}");
    assert!(sim.times(is_create).len() - 1 <= 2 * per_window + 1);
}

#[test]
fn set_synchronization_point_follows_each_re_creation_in_pull_mode_only() {
    for mode in [Mode::Pull, Mode::Push] {
        let mut lost = false;
        let mut sim = Sim::new(fast(), mode, 5, move |t, r: &Request| match r {
            Request::Pull { .. } | Request::Renew { .. } if t >= secs(10.0) && !lost => {
                lost = true;
                failed(FailureKind::Gone)
            }
            Request::Pull { timeout, .. } if t < secs(10.0) => {
                ((*timeout).min(secs(10.0) - t), Answer::Pulled(Vec::new()))
            }
            _ => healthy(r),
        });
        sim.run_until(secs(60.0));
        let kinds: Vec<&Request> = sim.requests.iter().map(|(_, r)| r).collect();
        let creates: Vec<usize> = (0..kinds.len()).filter(|i| is_create(kinds[*i])).collect();
        assert_eq!(creates.len(), 2, "{mode:?}: {kinds:#?}");
        assert!(!matches!(
            kinds[creates[0] + 1],
            Request::SetSynchronizationPoint
        ));
        let after = kinds[creates[1] + 1];
        match mode {
            Mode::Pull => assert_eq!(*after, Request::SetSynchronizationPoint),
            Mode::Push => assert!(is_renew(after), "{after:?}"),
        }
        assert_eq!(
            kinds
                .iter()
                .filter(|r| ***r == Request::SetSynchronizationPoint)
                .count(),
            usize::from(mode == Mode::Pull)
        );
        // ResourceUnknown: the subscription is gone, nothing to unsubscribe.
        assert!(
            !kinds
                .iter()
                .any(|r| matches!(r, Request::Unsubscribe { .. }))
        );
    }
}

#[test]
fn one_failed_pull_keeps_the_subscription_two_replace_it() {
    let mut pulls = 0;
    let mut sim = Sim::new(fast(), Mode::Pull, 6, |_, r: &Request| match r {
        Request::Pull { .. } => {
            pulls += 1;
            match pulls {
                2 | 4 | 5 => failed(FailureKind::Unanswered),
                _ => (secs(1.0), Answer::Pulled(vec![pulls])),
            }
        }
        _ => healthy(r),
    });
    sim.run_until(secs(20.0));
    let kinds: Vec<String> = sim.requests.iter().map(|(_, r)| format!("{r:?}")).collect();
    let names: Vec<&str> = kinds
        .iter()
        .map(|k| k.split([' ', '{']).next().unwrap_or(""))
        .collect();
    assert_eq!(
        names[..9],
        [
            "Create",
            "Pull",
            "Pull",
            "Pull",
            "Pull",
            "Pull",
            "Unsubscribe",
            "Create",
            "SetSynchronizationPoint"
        ]
    );
    assert_eq!(
        sim.requests[6].1,
        Request::Unsubscribe {
            limit: Some(UNSUBSCRIBE_LIMIT)
        }
    );
    let lost = sim.told(|l| matches!(l, Lifecycle::Lost { .. }));
    assert_eq!(lost.len(), 1);
    // The Lost signal comes after the old subscription was unsubscribed.
    assert!(lost[0].0 >= sim.requests[6].0 + LATENCY);
    assert_eq!(
        sim.events.iter().map(|e| e.1).collect::<Vec<_>>()[..2],
        [1, 3]
    );
}

#[test]
fn refused_credentials_end_the_session_without_another_attempt() {
    let mut sim = Sim::new(fast(), Mode::Pull, 7, |t, r: &Request| match r {
        Request::Pull { .. } if t >= secs(5.0) => failed(FailureKind::Auth),
        _ => healthy(r),
    });
    sim.run_until(secs(600.0));
    assert!(sim.s.is_closed());
    let last: Vec<&Lifecycle> = sim.lifecycle.iter().rev().take(2).map(|(_, l)| l).collect();
    assert!(
        matches!(last[1], Lifecycle::Lost { reason, credentials_refused: true } if reason.ends_with("the credentials are refused, giving up"))
    );
    assert_eq!(*last[0], Lifecycle::Closed);
    assert_eq!(sim.times(is_create).len(), 1);
    assert!(
        !sim.requests
            .iter()
            .any(|(_, r)| matches!(r, Request::Unsubscribe { .. }))
    );

    // A re-creation refused ends it too.
    let mut sim = Sim::new(fast(), Mode::Pull, 7, |t, r: &Request| match r {
        Request::Pull { .. } if t >= secs(5.0) => failed(FailureKind::Gone),
        Request::Create { .. } if t >= secs(5.0) => failed(FailureKind::Auth),
        _ => healthy(r),
    });
    sim.run_until(secs(600.0));
    assert_eq!(sim.times(is_create).len(), 2);
    assert!(
        sim.lines()
            .iter()
            .any(|l| l.contains("re-creation refused: Auth; the credentials are refused"))
    );
    // Said in a field a program can test, not only in words.
    assert!(sim.lifecycle.iter().any(|(_, l)| matches!(
        l,
        Lifecycle::Lost {
            credentials_refused: true,
            ..
        }
    )));
    assert!(sim.s.is_closed());
}

#[test]
fn after_an_outage_the_next_attempt_follows_the_camera_back() {
    // The camera is off from 30 s to 90 s: nothing answers, probes neither.
    let down = secs(30.0)..secs(90.0);
    let mut sim = Sim::new(
        Config::default(),
        Mode::Pull,
        12,
        |t, r: &Request| match r {
            Request::Probe { .. } if down.contains(&t) => (secs(2.0), Answer::Probe(false)),
            _ if down.contains(&t) => failed(FailureKind::NoConnection),
            Request::Pull { timeout, .. } if t < down.start => {
                ((*timeout).min(down.start - t), Answer::Pulled(Vec::new()))
            }
            _ => healthy(r),
        },
    );
    sim.run_until(secs(120.0));
    let lines = sim.lines();
    let creates = sim.times(is_create);
    let back = *creates.last().expect("created");
    // At the first probe answered after it is back: one in flight may wait its 2 s out.
    let latest = down.end + PROBE_LIMIT + PROBE_EVERY + LATENCY;
    assert!(
        back >= down.end && back <= latest,
        "back at {back:?}\n{lines:#?}"
    );
    assert!(
        sim.told(|l| matches!(
            l,
            Lifecycle::RetryFailed {
                sooner_when_back: true,
                ..
            }
        ))
        .len()
            >= 2,
        "{lines:#?}"
    );
    // Probes about every 1.5-2 s (plus the 2 s a probe waits unanswered).
    let probes = sim.times(|r| matches!(r, Request::Probe { .. }));
    assert!(probes.len() >= 10, "{probes:?}");
    let i = sim
        .requests
        .iter()
        .rposition(|(_, r)| is_create(r))
        .unwrap_or(0);
    assert_eq!(sim.requests[i + 1].1, Request::SetSynchronizationPoint);
    assert_eq!(
        sim.told(|l| matches!(l, Lifecycle::Recreated { .. })).len(),
        1
    );
    assert!(creates.len() <= 10, "{creates:?}");
}

#[test]
fn a_camera_that_answers_while_creation_fails_gets_the_back_off() {
    let mut sim = Sim::new(
        Config::default(),
        Mode::Pull,
        13,
        |t, r: &Request| match r {
            Request::Pull { .. } if t >= secs(5.0) => failed(FailureKind::Gone),
            Request::Create { .. } if t >= secs(5.0) => failed(FailureKind::Unanswered),
            _ => healthy(r),
        },
    );
    sim.run_until(secs(120.0));
    let creates = sim.times(is_create);
    let retries = sim.told(|l| matches!(l, Lifecycle::RetryFailed { .. }));
    assert!(retries.len() >= 4);
    for (i, (at, l)) in retries.iter().enumerate() {
        let Lifecycle::RetryFailed {
            retry_in,
            sooner_when_back,
            ..
        } = l
        else {
            unreachable!()
        };
        assert_eq!(*sooner_when_back, *retry_in > PROBE_EVERY);
        if let Some(next) = creates.get(i + 2) {
            assert_eq!(*next - *at, *retry_in, "not sooner than the back-off said");
        }
    }
    assert!(
        sim.told(|l| matches!(l, Lifecycle::AttemptCapReached { .. }))
            .is_empty()
    );
}

#[test]
fn subscriptions_that_never_work_count_against_the_cap() {
    let cfg = Config::default();
    let cap = cfg.max_attempts_per_window;
    let mut sim = Sim::new(cfg, Mode::Pull, 14, |_, r: &Request| match r {
        Request::Pull { .. } => failed(FailureKind::Other),
        _ => healthy(r),
    });
    sim.run_until(secs(600.0));
    let creations = sim.times(is_create).len();
    assert!(
        creations <= 1 + cap + 1,
        "{creations} creations\n{:#?}",
        sim.lines()
    );
    assert!(creations >= 4, "{creations}");
}

#[test]
fn subscriptions_evicted_right_after_their_first_answer_count_against_the_cap() {
    // A camera keeping one pull point, shared with another client: each subscription answers
    // its first pull (the initial states), then is evicted. That first answer must not start
    // the back-off and the count of failed attempts over each time.
    let cfg = Config::default();
    let cap = cfg.max_attempts_per_window;
    let mut pulls = 0;
    let mut sim = Sim::new(cfg, Mode::Pull, 15, move |_, r: &Request| match r {
        Request::Create { .. } => {
            pulls = 0;
            healthy(r)
        }
        Request::Pull { .. } => {
            pulls += 1;
            if pulls == 1 {
                (LATENCY, Answer::Pulled(vec![1]))
            } else {
                failed(FailureKind::Gone)
            }
        }
        _ => healthy(r),
    });
    sim.run_until(secs(600.0));
    let creations = sim.times(is_create);
    assert!(
        creations.len() <= 1 + cap + 1,
        "{} creations in 10 minutes\n{:#?}",
        creations.len(),
        sim.lines()
    );
    assert!(creations.len() >= 4, "{creations:?}");
    // The waits between re-creations grow.
    let gaps: Vec<Duration> = creations.windows(2).map(|p| p[1] - p[0]).collect();
    assert!(gaps[3] > gaps[0] * 2, "{gaps:?}");
}

#[test]
fn a_subscription_that_works_for_a_while_starts_the_back_off_over() {
    // Each subscription works for 40 s (past PROVEN_AFTER), then is lost: every loss is
    // met with the first, short wait, and none reaches the cap.
    assert!(PROVEN_AFTER < secs(40.0));
    let cfg = Config::default();
    let initial = cfg.backoff_initial;
    let mut created = Duration::ZERO;
    let mut sim = Sim::new(cfg, Mode::Pull, 16, move |t, r: &Request| match r {
        Request::Create { .. } => {
            created = t;
            healthy(r)
        }
        Request::Pull { .. } if t - created >= secs(40.0) => failed(FailureKind::Gone),
        _ => healthy(r),
    });
    sim.run_until(secs(600.0));
    assert!(
        sim.told(|l| matches!(l, Lifecycle::AttemptCapReached { .. }))
            .is_empty()
    );
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).len() >= 8);
    // Each re-creation follows the request that found the subscription gone within the
    // first back-off.
    let mut gaps = Vec::new();
    for pair in sim.requests.windows(2) {
        if let [
            (failed_at, Request::Pull { .. }),
            (at, Request::Create { .. }),
        ] = pair
        {
            gaps.push(*at - *failed_at);
        }
    }
    assert!(gaps.len() >= 8, "{gaps:?}");
    for g in &gaps {
        assert!(
            *g <= initial + secs(0.5),
            "{g:?} from a loss to the next creation: {gaps:?}"
        );
    }
}

#[test]
fn a_zero_first_back_off_still_grows() {
    let cfg = Config {
        backoff_initial: Duration::ZERO,
        backoff_max: secs(60.0),
        max_attempts_per_window: 10_000,
        ..Config::default()
    };
    let mut sim = Sim::new(cfg, Mode::Pull, 30, refuses_creation);
    sim.run_until(secs(60.0));
    let creates = sim.times(is_create);
    // Ten attempts in a minute at most: the waits double from 10 ms, not from nothing.
    assert!(
        (5..=16).contains(&creates.len()),
        "{} attempts: {creates:?}",
        creates.len()
    );
    assert!(creates.windows(2).all(|w| w[1] > w[0]));
}
