//! The managed pull-point session against the simulated camera, over real sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onvif::Config;
use onvif::events::{Event, EventSession, Lifecycle, PushConfig, SessionConfig, SessionItem};
use onvif::proto::ops::events::PropertyOperation;

use onvif_sim::{EventQuirk, IGNORED_RELATIVE_GRANT};
use onvif_testkit::{INITIAL_STATES, Sim, netns};
use tokio::sync::mpsc::Receiver;

mod cameras;
mod pull;
mod push;

/// Nothing here should take longer; a hang fails the test instead of blocking it.
const LIMIT: Duration = Duration::from_secs(30);

fn fast() -> SessionConfig {
    SessionConfig {
        termination: Duration::from_secs(30),
        pull_timeout: Duration::from_secs(5),
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(200),
        ..SessionConfig::default()
    }
}

async fn next(rx: &mut Receiver<SessionItem>) -> SessionItem {
    tokio::time::timeout(LIMIT, rx.recv())
        .await
        .expect("an item in time")
        .expect("the session is running")
}

/// The next event, skipping lifecycle signals.
async fn next_event(rx: &mut Receiver<SessionItem>) -> Event {
    loop {
        if let SessionItem::Event(e) = next(rx).await {
            return *e;
        }
    }
}

/// The next event that is a change, skipping the states a subscription starts with.
async fn next_change(rx: &mut Receiver<SessionItem>) -> Event {
    loop {
        let e = next_event(rx).await;
        if e.property_operation == Some(PropertyOperation::Changed) {
            return e;
        }
    }
}

/// Wait for a lifecycle signal that `f` accepts; events before it are returned.
async fn until(
    rx: &mut Receiver<SessionItem>,
    f: impl Fn(&Lifecycle) -> bool,
) -> (Lifecycle, Vec<Event>) {
    let mut events = Vec::new();
    loop {
        match next(rx).await {
            SessionItem::Lifecycle(l) if f(&l) => return (l, events),
            SessionItem::Lifecycle(_) => {}
            SessionItem::Event(e) => events.push(*e),
        }
    }
}

fn kind(e: &Event) -> &str {
    e.kind.as_ref().map_or("", |k| k.kind.as_str())
}
