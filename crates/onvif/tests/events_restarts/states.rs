//! The states a camera sends again are delivered once: after a restart (the re-created
//! subscription's, then those SetSynchronizationPoint asks for), and after a quiet spell
//! (those a silence probe asks for).

use std::time::Duration;

use onvif::events::{Event, EventSession, SessionConfig, SessionItem};
use onvif::proto::ops::events::PropertyOperation;
use onvif_testkit::Sim;
use tokio::sync::mpsc::Receiver;

use super::{local_push, speed, until_recreated};

/// A property instance: its topic and source items.
fn instance(e: &Event) -> String {
    let source: Vec<String> = e
        .source
        .iter()
        .map(|i| format!("{}={}", i.name, i.value))
        .collect();
    format!("{} {}", e.topic.path, source.join(","))
}

/// The instances of the `Initialized` states among `events`, sorted.
fn initialized(events: &[Event]) -> Vec<String> {
    let mut v: Vec<String> = events
        .iter()
        .filter(|e| e.property_operation == Some(PropertyOperation::Initialized))
        .map(instance)
        .collect();
    v.sort();
    v
}

/// The events delivered before the link-status change of `mbps` (which is not among them);
/// a minute without it fails the test.
async fn events_until_speed(rx: &mut Receiver<SessionItem>, mbps: u32) -> Vec<Event> {
    let mut events = Vec::new();
    let arrived = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(item) = rx.recv().await {
            if let SessionItem::Event(e) = item {
                if speed(&e) == Some(mbps) {
                    return true;
                }
                events.push(*e);
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(
        arrived,
        "link status {mbps} did not arrive after {events:#?}"
    );
    events
}

/// The next event, within a minute.
async fn next_event(rx: &mut Receiver<SessionItem>) -> Event {
    let next = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(item) = rx.recv().await {
            if let SessionItem::Event(e) = item {
                return Some(*e);
            }
        }
        None
    })
    .await
    .ok()
    .flatten();
    next.expect("an event after the re-creation")
}

/// The value of `instance`'s first data item among `events`' `Initialized` states.
fn value_of(events: &[Event], instance_name: &str) -> Vec<String> {
    events
        .iter()
        .filter(|e| instance(e) == instance_name)
        .filter_map(|e| e.data.first().map(|d| d.value.clone()))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn after_a_restart_each_state_is_delivered_once() {
    for repeat_states in [false, true] {
        let h = Sim::start().await;
        let input = h
            .inputs()
            .first()
            .cloned()
            .expect("the simulator has an input");
        let was = h.input_state(&input).expect("its state");
        let cam = h.connect().await;
        let cfg = SessionConfig {
            repeat_states,
            ..SessionConfig::default()
        };
        let (session, mut rx) = EventSession::pull(cam, cfg).await.unwrap();
        h.emit_link_status(1);
        let first = initialized(&events_until_speed(&mut rx, 1).await);
        let changed = first
            .iter()
            .find(|i| i.contains("DigitalInput") && i.contains(&input))
            .cloned()
            .expect("the input's state among the first");
        assert!(first.len() > 1, "{first:#?}");

        // Down long enough to be noticed; the input changes meanwhile (nobody is told).
        h.power_off(false);
        tokio::time::sleep(Duration::from_secs(30)).await;
        h.set_input(&input, !was).unwrap();
        h.power_on();
        until_recreated(&mut rx).await;
        // The first event after the re-creation comes with the first pull, which brings both
        // the new subscription's states and those SetSynchronizationPoint asked for.
        let mut after = vec![next_event(&mut rx).await];
        h.emit_link_status(2);
        after.extend(events_until_speed(&mut rx, 2).await);
        assert_eq!(h.stats().operation("SetSynchronizationPoint"), 1);
        let again = initialized(&after);
        // Every state, the link's too (a current state since it came up), the input's new.
        let times = if repeat_states { 2 } else { 1 };
        for i in &first {
            let n = again.iter().filter(|a| *a == i).count();
            assert_eq!(n, times, "{i} (repeat_states {repeat_states}): {again:#?}");
        }
        assert_eq!(again.len(), (first.len() + 1) * times, "{again:#?}");
        let new = value_of(&after, &changed);
        assert!(
            !new.is_empty() && new.iter().all(|v| *v == (!was).to_string()),
            "{new:?}"
        );
        session.close().await;
        h.shutdown().await;
    }
}

/// A quiet subscription asked for its states (SetSynchronizationPoint) delivers none it
/// delivered before, pulled or pushed (the push listener delivers a push session's events
/// itself).
#[tokio::test(start_paused = true)]
async fn states_a_quiet_subscription_is_asked_for_are_not_delivered_again() {
    for (push, repeat_states) in [(false, false), (true, false), (true, true)] {
        let h = Sim::start().await;
        let cam = h.connect().await;
        let cfg = SessionConfig {
            silence: Some(Duration::from_secs(60)),
            repeat_states,
            ..SessionConfig::default()
        };
        let (session, mut rx) = if push {
            EventSession::push(cam, cfg, local_push()).await.unwrap()
        } else {
            EventSession::pull(cam, cfg).await.unwrap()
        };
        h.emit_link_status(1);
        let first = initialized(&events_until_speed(&mut rx, 1).await);
        assert!(first.len() > 1, "{first:#?}");
        // A minute and a half without an event: the session asks for the states once.
        tokio::time::sleep(Duration::from_secs(90)).await;
        assert_eq!(
            h.stats().operation("SetSynchronizationPoint"),
            1,
            "push {push}"
        );
        h.emit_link_status(2);
        let again = initialized(&events_until_speed(&mut rx, 2).await);
        if repeat_states {
            // The premise: the camera did send them again.
            assert!(again.len() > first.len(), "push {push}: {again:#?}");
        } else {
            assert_eq!(again, Vec::<String>::new(), "push {push}");
        }
        session.close().await;
        h.shutdown().await;
    }
}
