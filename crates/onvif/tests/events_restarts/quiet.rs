//! Subscriptions that go quiet without failing: a camera that stops queueing, one that
//! refuses Renew, a camera clock that jumps under absolute termination times.

use std::time::Duration;

use onvif::events::{EventSession, Lifecycle, SessionConfig, SessionItem};
use onvif_sim::{AuthMode, EventQuirk};
use onvif_testkit::Sim;

use super::{collect, count, lines, local_push};

/// A minute of silence is judged (the default is ten).
fn judged() -> SessionConfig {
    SessionConfig {
        silence: Some(Duration::from_secs(60)),
        ..SessionConfig::default()
    }
}

/// Run `session` (its items in `rx`) against a camera that stops queueing 5 s in, until it
/// has been asked for its states after a minute's silence (about 60 s) and given 15 s: by
/// then the quirk is off, and the subscription that replaces the deaf one works. Event 99 is
/// emitted on it. What the session said, checked: one loss, for the reason, and event 99.
async fn stops_delivering(
    h: &Sim,
    session: onvif::events::SessionHandle,
    rx: tokio::sync::mpsc::Receiver<SessionItem>,
) {
    let seen = collect(rx);
    tokio::time::sleep(Duration::from_secs(5)).await;
    h.set_event_quirk(EventQuirk::StopsQueueing, true);
    tokio::time::sleep(Duration::from_secs(65)).await;
    h.set_event_quirk(EventQuirk::StopsQueueing, false);
    tokio::time::sleep(Duration::from_secs(55)).await;
    h.emit_link_status(99);
    tokio::time::sleep(Duration::from_secs(5)).await;
    session.close().await;
    let seen = seen.await.unwrap();
    let lines = lines(&seen);
    let lost: Vec<&String> = lines.iter().filter(|l| l.contains("lost:")).collect();
    assert_eq!(lost.len(), 1, "{lines:#?}");
    assert!(lost[0].contains("no longer delivers"), "{lines:#?}");
    assert_eq!(
        count(&seen, |l| matches!(l, Lifecycle::Recreated { .. })),
        1,
        "{lines:#?}"
    );
    assert_eq!(
        seen.events.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        [99],
        "the new subscription delivers\n{lines:#?}"
    );
}

/// Defect: a camera that kept a subscription but stopped queueing on it (events that stop
/// after hours, home-assistant/core#36336) left the session pulling nothing for ever, with
/// nothing said. After a silence the camera is asked for its states; none come, and the
/// subscription is replaced.
#[tokio::test(start_paused = true)]
async fn a_pull_subscription_that_stops_delivering_is_asked_for_its_states_then_replaced() {
    let h = Sim::start().await;
    let (session, rx) = EventSession::pull(h.connect().await, judged())
        .await
        .unwrap();
    stops_delivering(&h, session, rx).await;
    assert_eq!(h.stats().operation("CreatePullPointSubscription"), 2);
    // The probe, then the new subscription's synchronization point.
    assert!(h.stats().operation("SetSynchronizationPoint") >= 2);
}

/// The same in push mode, where every liveness check (Renew) still succeeds: only the
/// notifications stop.
#[tokio::test(start_paused = true)]
async fn a_push_subscription_whose_notifications_stop_is_replaced() {
    let h = Sim::start().await;
    let cfg = SessionConfig {
        liveness: Some(Duration::from_secs(5)),
        ..judged()
    };
    let (session, rx) = EventSession::push(h.connect().await, cfg, local_push())
        .await
        .unwrap();
    stops_delivering(&h, session, rx).await;
    assert_eq!(h.stats().operation("Subscribe"), 2);
}

/// Defect: a camera that refuses Renew on a pull point that works (home-assistant/core#81963,
/// #111084) got a new subscription at every renewal, each with a gap. ONVIF Core 9.1.1 has
/// the long polls keep a pull point alive: it is no longer renewed.
#[tokio::test(start_paused = true)]
async fn a_pull_point_whose_renewals_are_refused_lives_on_its_long_polls() {
    let h = Sim::start().await;
    h.set_event_quirk(EventQuirk::RenewFault, true);
    let cfg = SessionConfig {
        termination: Duration::from_secs(30),
        ..judged()
    };
    let (session, rx) = EventSession::pull(h.connect().await, cfg).await.unwrap();
    let seen = collect(rx);
    tokio::time::sleep(Duration::from_secs(300)).await;
    h.emit_link_status(7);
    tokio::time::sleep(Duration::from_secs(5)).await;
    session.close().await;
    let seen = seen.await.unwrap();
    let lines = lines(&seen);
    assert_eq!(
        h.stats().operation("CreatePullPointSubscription"),
        1,
        "{lines:#?}"
    );
    assert_eq!(h.stats().operation("Renew"), 1, "{lines:#?}");
    assert_eq!(
        count(&seen, |l| matches!(l, Lifecycle::RenewRefused { .. })),
        1,
        "{lines:#?}"
    );
    assert_eq!(count(&seen, |l| matches!(l, Lifecycle::Lost { .. })), 0);
    assert_eq!(seen.events.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [7]);
}

/// A session with absolute termination times over HTTP Digest (no WS-Security token whose
/// refusal would have the clock measured again): half a minute in, the camera's clock jumps an
/// hour (the first GetSystemDateAndTime after it cut, when `cut`); five minutes later event
/// 8 is emitted. What the session said, the clock measurements after the jump, and whether
/// event 8 (alone) arrived.
async fn clock_jumps(cut: bool) -> (Vec<String>, u64, bool) {
    let h = Sim::builder().auth(AuthMode::HttpDigest).start().await;
    h.set_event_quirk(EventQuirk::IgnoresRelativeDurations, true);
    let cfg = SessionConfig {
        termination: Duration::from_secs(60),
        ..SessionConfig::default()
    };
    let (session, rx) = EventSession::pull(h.connect().await, cfg).await.unwrap();
    let seen = collect(rx);
    tokio::time::sleep(Duration::from_secs(30)).await;
    let before = h.stats().operation("GetSystemDateAndTime");
    if cut {
        h.cut_next("GetSystemDateAndTime", 1);
    }
    h.set_clock_skew_secs(3600);
    tokio::time::sleep(Duration::from_secs(300)).await;
    h.emit_link_status(8);
    tokio::time::sleep(Duration::from_secs(5)).await;
    session.close().await;
    let seen = seen.await.unwrap();
    let arrived = seen.events.iter().map(|(_, n)| *n).collect::<Vec<_>>() == [8];
    (
        lines(&seen),
        h.stats().operation("GetSystemDateAndTime") - before,
        arrived,
    )
}

/// Defect: with absolute termination times and HTTP Digest, a camera clock that jumped an
/// hour left every renewal and re-creation asking a time in the camera's past, for ever. The
/// times in the subscription's answers now show the jump, and the clock is measured again.
#[tokio::test(start_paused = true)]
async fn absolute_times_follow_a_camera_clock_that_jumps() {
    let (lines, measured, arrived) = clock_jumps(false).await;
    assert!(measured >= 1, "measured again\n{lines:#?}");
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("re-creation failed") || l.contains("refuses Renew")),
        "{lines:#?}"
    );
    assert!(arrived, "{lines:#?}");
}

/// Defect: in push mode, events a reader did not take within 10 s were dropped (the Notify
/// answered 503; cameras do not send it again) with nothing said. The reader is now told how
/// many, when it reads again.
#[tokio::test(start_paused = true)]
async fn events_dropped_for_a_reader_that_did_not_take_them_are_said() {
    let h = Sim::start().await;
    let cfg = SessionConfig {
        channel_capacity: 1,
        ..SessionConfig::default()
    };
    let (session, mut rx) = EventSession::push(h.connect().await, cfg, local_push())
        .await
        .unwrap();
    // Not read for a minute: `Subscribed` fills the channel, the initial states wait for room
    // and are dropped, and so are the changes after them.
    for n in 1..=3 {
        h.emit_link_status(n);
    }
    tokio::time::sleep(Duration::from_secs(60)).await;
    let mut dropped = 0;
    while let Ok(Some(item)) = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
        if let SessionItem::Lifecycle(l @ Lifecycle::EventsDropped { .. }) = &item {
            assert!(l.to_string().contains("did not take"), "{l}");
            let Lifecycle::EventsDropped { count } = l else {
                unreachable!()
            };
            dropped += count;
        }
    }
    assert!(dropped >= 1, "no drop was said");
    session.close().await;
}

/// A measurement that fails (the camera busy just then) is no verdict on the answers' times:
/// the clock is measured again a minute later.
#[tokio::test(start_paused = true)]
async fn a_failed_clock_measurement_is_tried_again() {
    let (lines, measured, arrived) = clock_jumps(true).await;
    assert!(measured >= 2, "measured again after the cut\n{lines:#?}");
    assert!(arrived, "{lines:#?}");
}
