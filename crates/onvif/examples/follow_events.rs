//! Follow a camera's events for a minute: a pull-point session that renews itself and comes
//! back after the camera restarts; each event is printed with its normalised kind.
//!
//! ```text
//! cargo run -p onvif --example follow_events                    # the simulator
//! ONVIF_PASSWORD=... cargo run -p onvif --example follow_events -- 192.0.2.10 admin
//! ```

mod common;

use std::error::Error;
use std::time::Duration;

use onvif::Camera;
use onvif::events::{EventSession, SessionConfig, SessionItem};

/// Print events for `duration`, or until `max_events` have come; returns how many came.
async fn run(
    camera: &Camera,
    duration: Duration,
    max_events: usize,
) -> Result<usize, Box<dyn Error>> {
    let (handle, mut items) = EventSession::pull(camera.clone(), SessionConfig::default()).await?;
    let deadline = tokio::time::Instant::now() + duration;
    let mut count = 0;
    while count < max_events {
        let Ok(Some(item)) = tokio::time::timeout_at(deadline, items.recv()).await else {
            break;
        };
        match item {
            SessionItem::Event(e) => {
                count += 1;
                let kind = e.kind.as_ref().map_or("-", |k| k.kind.as_str());
                let state = e
                    .kind
                    .as_ref()
                    .and_then(|k| k.active)
                    .map_or("", |a| if a { "on" } else { "off" });
                println!("{:<24} {:<4} {}", kind, state, e.topic.path);
            }
            SessionItem::Lifecycle(l) => println!("(session: {l:?})"),
        }
    }
    handle.close().await;
    Ok(count)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let (camera, _sim) = common::camera_from_args().await?;
    let n = run(&camera, Duration::from_secs(60), usize::MAX).await?;
    println!("{n} events in a minute");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[tokio::test]
    async fn sees_the_simulated_camera_motion() {
        let (camera, sim) = super::common::simulated().await.expect("simulator");
        // Cameras send their current states when a subscription starts; the simulator also
        // reports motion once it is switched on.
        sim.emit_motion(true);
        let n = super::run(&camera, Duration::from_secs(30), 1)
            .await
            .expect("event session");
        assert_eq!(n, 1, "an event arrives within the session's first pulls");
    }
}
