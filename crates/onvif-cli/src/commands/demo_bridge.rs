//! The bridge step of `onvif demo`: a small broker inside the demo, the bridge on the demo's
//! camera, and what a subscriber of the broker sees for a few seconds.

use std::time::Duration;

use onvif::Credentials;
use onvif_bridge::broker::LocalBroker;
use onvif_bridge::{Bridge, BridgeConfig, CameraOptions, CameraSpec, EventsMode, MqttSettings};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};

use crate::failure::{Failure, exit};
use crate::output;

/// How long the step watches the broker at most.
const WATCH: Duration = Duration::from_secs(8);

pub async fn step(
    host: &str,
    creds: Credentials,
    client: onvif::Config,
    json: bool,
) -> Result<(), Failure> {
    let fail = |m: String| Failure {
        code: exit::NETWORK,
        message: m,
    };
    let broker = LocalBroker::start(([127, 0, 0, 1], 0).into())
        .await
        .map_err(|e| fail(format!("cannot start the demo's broker: {e}")))?;
    let mut opts = MqttOptions::new(
        format!("onvif-demo-{}", std::process::id()),
        "127.0.0.1",
        broker.addr().port(),
    );
    opts.set_max_packet_size(16 * 1024 * 1024, 4096);
    let (sub, mut el) = AsyncClient::new(opts, 16);
    for f in ["onvif/#", "homeassistant/#"] {
        let _ = sub.subscribe(f, QoS::AtMostOnce).await;
    }
    let camera = CameraSpec {
        name: "demo".into(),
        host: host.to_owned(),
        creds: Some(creds),
        client,
        options: CameraOptions {
            events: EventsMode::Pull,
            ..CameraOptions::default()
        },
    };
    let bridge = Bridge::start(
        BridgeConfig::new(MqttSettings::new(broker.url()), vec![camera]),
        None,
    )
    .map_err(fail)?;
    if !json {
        println!("(a broker inside this demo listens at {})", broker.url());
    }
    let deadline = tokio::time::Instant::now() + WATCH;
    let (mut on, mut off, mut discovery) = (false, false, 0);
    while !(on && off) {
        let ev = match tokio::time::timeout_at(deadline, el.poll()).await {
            Ok(Ok(ev)) => ev,
            Ok(Err(e)) => return Err(fail(format!("the demo's subscriber: {e}"))),
            Err(_) => break,
        };
        let Event::Incoming(Packet::Publish(p)) = ev else {
            continue;
        };
        let text = String::from_utf8_lossy(&p.payload);
        if p.topic.starts_with("homeassistant/") {
            discovery += 1;
            if discovery > 2 {
                continue;
            }
        }
        on |= p.topic == "onvif/demo/motion" && text == "ON";
        off |= on && p.topic == "onvif/demo/motion" && text == "OFF";
        if json {
            let line = serde_json::json!({ "topic": p.topic, "payload": text });
            println!("{}", output::json_safe(line.to_string()));
        } else {
            let shown: String = text.chars().take(110).collect();
            let more = if text.chars().count() > 110 {
                "..."
            } else {
                ""
            };
            println!(
                "{} {}{more}",
                output::clean(&p.topic),
                output::clean(&shown)
            );
        }
    }
    if !json && discovery > 2 {
        println!(
            "(and {} more Home Assistant discovery configs)",
            discovery - 2
        );
    }
    bridge.stop().await;
    Ok(())
}
