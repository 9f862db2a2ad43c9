//! How a session ends, and replaying one.

use super::*;

#[test]
fn close_unsubscribes_a_live_subscription_and_abandons_a_long_poll() {
    let mut sim = Sim::new(fast(), Mode::Pull, 15, |_, r: &Request| healthy(r));
    sim.close_at = Some(secs(3.0));
    sim.run_until(secs(60.0));
    let last = sim.requests.last().expect("requests");
    assert_eq!(*last, (secs(3.0), Request::Unsubscribe { limit: None }));
    assert_eq!(sim.lifecycle.last().map(|l| &l.1), Some(&Lifecycle::Closed));
    assert!(sim.s.is_closed());

    // Without Unsubscribe, closed at once.
    let cfg = Config {
        unsubscribe_on_close: false,
        ..fast()
    };
    let mut sim = Sim::new(cfg, Mode::Pull, 15, |_, r: &Request| healthy(r));
    sim.close_at = Some(secs(3.0));
    sim.run_until(secs(60.0));
    assert!(matches!(
        sim.requests.last(),
        Some((_, Request::Pull { .. }))
    ));
    assert!(sim.s.is_closed());

    // While waiting to re-create: nothing left to unsubscribe, no more attempts.
    let mut sim = Sim::new(Config::default(), Mode::Pull, 15, refuses_creation);
    sim.close_at = Some(secs(10.5));
    sim.run_until(secs(60.0));
    assert!(sim.s.is_closed());
    assert!(
        !sim.requests
            .iter()
            .any(|(_, r)| matches!(r, Request::Unsubscribe { .. }))
    );
    assert!(sim.requests.last().is_some_and(|(t, _)| *t < secs(10.5)));
}

#[test]
fn the_first_creation_failing_ends_the_session_silently() {
    let mut sim = Sim::new(fast(), Mode::Pull, 16, |_, _: &Request| {
        failed(FailureKind::Other)
    });
    sim.run_until(secs(60.0));
    assert!(sim.s.is_closed());
    assert_eq!(sim.requests.len(), 1);
    assert!(sim.lifecycle.is_empty());
}

#[test]
fn the_same_seed_replays_the_same_run() {
    let run = |seed| {
        let mut sim = Sim::new(Config::default(), Mode::Pull, seed, refuses_creation);
        sim.run_until(secs(900.0));
        sim.requests
    };
    assert_eq!(run(17), run(17));
    assert_ne!(run(17), run(18));
}
