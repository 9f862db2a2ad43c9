//! Renewals and grants: when to renew, short grants, absolute times, long polls.

use super::*;

#[test]
fn renewal_comes_at_72_to_80_percent_of_each_grant() {
    let cfg = Config {
        termination: secs(10.0),
        ..fast()
    };
    let mut sim = Sim::new(cfg, Mode::Pull, 1, |_, r: &Request| healthy(r));
    sim.run_until(secs(3600.0));
    let renews = sim.times(is_renew);
    assert!(
        renews.len() >= 3600 / 8,
        "{} renewals in an hour",
        renews.len()
    );
    // Created (or renewed) LATENCY after the request went out; renewed 7.2-8 s later.
    let mut granted_at = LATENCY;
    for t in &renews {
        let after = *t - granted_at;
        assert!(
            (secs(7.2)..=secs(8.0)).contains(&after),
            "renewed {after:?} after a 10 s grant"
        );
        granted_at = *t + LATENCY;
    }
    assert_eq!(sim.times(is_create).len(), 1);
    // A long poll never runs past the renewal.
    for (t, r) in &sim.requests {
        if let Request::Pull { timeout, .. } = r {
            assert!(*timeout <= secs(5.0));
            assert!(
                renews.iter().all(|r| !(*t < *r && *r < *t + *timeout)),
                "{t:?}"
            );
        }
    }
    let renewed = sim.told(|l| matches!(l, Lifecycle::Renewed { .. }));
    assert_eq!(renewed.len(), renews.len());
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
}

/// The gaps between renewals (and from the creation's answer to the first), after `grant`
/// answered every creation and renewal of a session that asks 10 s.
fn renewal_gaps(grant: fn() -> Grant) -> Vec<Duration> {
    let cfg = Config {
        termination: secs(10.0),
        ..fast()
    };
    let mut sim = Sim::new(cfg, Mode::Pull, 1, move |_, r: &Request| match r {
        Request::Create { .. } => (LATENCY, Answer::Created(grant())),
        Request::Renew { .. } => (LATENCY, Answer::Renewed(grant())),
        _ => healthy(r),
    });
    sim.run_until(secs(600.0));
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
    let mut at = LATENCY;
    sim.times(is_renew)
        .into_iter()
        .map(|t| {
            let gap = t - at;
            at = t + LATENCY;
            gap
        })
        .collect()
}

#[test]
fn a_grant_longer_than_asked_is_renewed_as_if_it_were_what_was_asked() {
    // Asked 10 s, told an hour (a camera whose two times are in different zones, say): the
    // renewals keep to the 10 s asked.
    let gaps = renewal_gaps(|| grant(secs(3600.0)));
    assert!(
        gaps.len() >= 600 / 8,
        "{} renewals in 10 minutes",
        gaps.len()
    );
    for g in gaps {
        assert!((secs(7.2)..=secs(8.0)).contains(&g), "renewed {g:?} after");
    }
}

#[test]
fn a_grant_without_the_cameras_time_is_measured_against_the_estimate() {
    // No CurrentTime: the termination time, 6 s after the driver's estimate of the camera's
    // clock, is a grant of 6 s (not the 10 s asked), renewed before it runs out.
    let gaps = renewal_gaps(|| Grant {
        current_time: None,
        estimated_time: grant(secs(6.0)).current_time,
        ..grant(secs(6.0))
    });
    assert!(
        gaps.len() >= 600 / 5,
        "{} renewals in 10 minutes",
        gaps.len()
    );
    for g in gaps {
        assert!((secs(4.32)..=secs(4.8)).contains(&g), "renewed {g:?} after");
    }
    // Without an estimate either, what was asked stands.
    let gaps = renewal_gaps(|| Grant {
        current_time: None,
        ..grant(secs(6.0))
    });
    for g in gaps {
        assert!((secs(7.2)..=secs(8.0)).contains(&g), "renewed {g:?} after");
    }
}

#[test]
fn a_camera_granting_one_second_is_renewed_at_most_every_0_75_s_and_told_once() {
    let mut sim = Sim::new(fast(), Mode::Pull, 2, |_, r: &Request| match r {
        Request::Create { .. } => (LATENCY, Answer::Created(grant(secs(1.0)))),
        Request::Renew { .. } => (LATENCY, Answer::Renewed(grant(secs(1.0)))),
        _ => healthy(r),
    });
    sim.run_until(secs(60.0));
    let renews: Vec<&(Duration, Request)> =
        sim.requests.iter().filter(|(_, r)| is_renew(r)).collect();
    // An absolute time is tried at once; the short grant says the camera does not ignore
    // relative times, so relative ones are asked again.
    assert_eq!(renews[0].0, LATENCY);
    assert!(matches!(
        renews[0].1,
        Request::Renew {
            termination: Termination::Absolute(_)
        }
    ));
    assert!(renews[1..].iter().all(|(_, r)| matches!(
        r,
        Request::Renew {
            termination: Termination::Relative(_)
        }
    )));
    for w in renews.windows(2) {
        let gap = w[1].0 - w[0].0;
        assert!(
            gap >= secs(0.75) && gap < secs(1.0),
            "renewed {gap:?} apart"
        );
    }
    assert!(renews.len() <= 60 * 4 / 3 + 2, "{}", renews.len());
    let lines = sim.lines();
    let told: Vec<&Lifecycle> = sim
        .lifecycle
        .iter()
        .map(|(_, l)| l)
        .filter(|l| !matches!(l, Lifecycle::Renewed { .. }))
        .collect();
    assert!(
        matches!(
            told.as_slice(),
            [Lifecycle::Subscribed { .. }, Lifecycle::ShortGrant { granted, .. }] if *granted == secs(1.0)
        ),
        "{lines:#?}"
    );
}

#[test]
fn a_camera_that_ignores_relative_times_gets_absolute_ones() {
    // Five seconds for any duration asked; an absolute time is granted in full.
    let mut sim = Sim::new(fast(), Mode::Pull, 3, |_, r: &Request| {
        let g = |t: &Termination| match t {
            Termination::Relative(_) => grant(secs(5.0)),
            Termination::Absolute(d) => grant(*d),
        };
        match r {
            Request::Create { termination, .. } => (LATENCY, Answer::Created(g(termination))),
            Request::Renew { termination } => (LATENCY, Answer::Renewed(g(termination))),
            _ => healthy(r),
        }
    });
    sim.run_until(secs(600.0));
    let told: Vec<Lifecycle> = sim.lifecycle.iter().map(|(_, l)| l.clone()).collect();
    assert_eq!(
        told[1],
        Lifecycle::SwitchedToAbsoluteTimes {
            asked: secs(30.0),
            granted: secs(5.0)
        }
    );
    assert_eq!(
        told[2],
        Lifecycle::Renewed {
            granted: secs(30.0)
        }
    );
    assert!(told[3..].iter().all(|l| *l
        == Lifecycle::Renewed {
            granted: secs(30.0)
        }));
    let renews: Vec<&Request> = sim
        .requests
        .iter()
        .map(|(_, r)| r)
        .filter(|r| is_renew(r))
        .collect();
    assert!(renews.len() >= 600 / 24);
    assert!(renews
        .iter()
        .all(|r| matches!(r, Request::Renew { termination: Termination::Absolute(d) } if *d == secs(30.0))));
}

#[test]
fn a_camera_that_answers_long_polls_at_once_is_not_hammered() {
    let mut sim = Sim::new(fast(), Mode::Pull, 8, |_, r: &Request| match r {
        Request::Pull { .. } => (Duration::from_millis(1), Answer::Pulled(Vec::new())),
        _ => healthy(r),
    });
    sim.run_until(secs(60.0));
    let pulls = sim.times(|r| matches!(r, Request::Pull { .. }));
    assert!(pulls.len() <= 61, "{} long polls in a minute", pulls.len());
    for w in pulls.windows(2) {
        assert!(w[1] - w[0] >= EARLY_EMPTY_PAUSE);
    }
}

#[test]
fn a_camera_refusing_absolute_times_goes_back_to_relative_ones() {
    // A short relative grant, and every absolute time refused with a fault.
    let mut sim = Sim::new(fast(), Mode::Pull, 3, |_, r: &Request| match r {
        Request::Create {
            termination: Termination::Absolute(_),
            ..
        }
        | Request::Renew {
            termination: Termination::Absolute(_),
        } => failed(FailureKind::Other),
        Request::Create { .. } => (LATENCY, Answer::Created(grant(secs(1.0)))),
        Request::Renew { .. } => (LATENCY, Answer::Renewed(grant(secs(1.0)))),
        _ => healthy(r),
    });
    sim.run_until(secs(120.0));
    let absolute = sim
        .requests
        .iter()
        .filter(|(_, r)| {
            matches!(
                r,
                Request::Create {
                    termination: Termination::Absolute(_),
                    ..
                } | Request::Renew {
                    termination: Termination::Absolute(_)
                }
            )
        })
        .count();
    assert_eq!(absolute, 1, "one absolute time is tried, then never again");
    // The refused trial leaves the subscription alone: no Lost, no second creation.
    assert_eq!(
        sim.times(is_create).len(),
        1,
        "the subscription lives on relative times: {:?}",
        sim.lifecycle
    );
    assert!(sim.told(|l| matches!(l, Lifecycle::Lost { .. })).is_empty());
    assert_eq!(
        sim.told(|l| matches!(l, Lifecycle::ShortGrant { .. }))
            .len(),
        1
    );
}
