//! The bridge against simulated cameras and a real broker (rumqttd in the test process; and
//! mosquitto where installed), all on 127.0.0.1.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif::Credentials;
use onvif_bridge::{Bridge, BridgeConfig, CameraOptions, CameraSpec, EventsMode, MqttSettings};
use onvif_testkit::Sim;
use onvif_testkit::mqtt::{Broker, Mosquitto, Received, Relay, Subscriber};

mod retained;

fn spec(name: &str, sim: &Sim, options: CameraOptions) -> CameraSpec {
    CameraSpec {
        name: name.into(),
        host: sim.host(),
        creds: Some(sim.credentials()),
        client: onvif::Config::default(),
        options,
    }
}

fn pull() -> CameraOptions {
    CameraOptions {
        events: EventsMode::Pull,
        ..CameraOptions::default()
    }
}

fn config(url: &str, cameras: Vec<CameraSpec>) -> BridgeConfig {
    let mut c = BridgeConfig::new(MqttSettings::new(url), cameras);
    c.retry_max = Duration::from_secs(2);
    c
}

/// A broker, a simulated camera `name` followed (pull) by a bridge and online, and a
/// subscriber to everything.
async fn online(name: &str) -> (Broker, Sim, Subscriber, Bridge) {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let bridge =
        Bridge::start(config(&broker.url(), vec![spec(name, &sim, pull())]), None).unwrap();
    sub.wait_for_value(&format!("onvif/{name}/availability"), "online")
        .await;
    (broker, sim, sub, bridge)
}

async fn everything(addr: std::net::SocketAddr) -> Subscriber {
    Subscriber::connect(addr, &["onvif/#", "homeassistant/#"]).await
}

/// Info, discovery, availability, events and states of one camera, published with `mqtt`
/// and read at `addr`.
async fn one_camera_end_to_end(addr: std::net::SocketAddr, mqtt: MqttSettings) {
    let sim = Sim::start().await;
    let mut sub = everything(addr).await;
    let mut cfg = config(&mqtt.url, vec![spec("garden", &sim, pull())]);
    cfg.mqtt = mqtt;
    let bridge = Bridge::start(cfg, None).unwrap();

    sub.wait_for_value("onvif/bridge/availability", "online")
        .await;
    sub.wait_for_value("onvif/garden/availability", "online")
        .await;
    let info = sub
        .wait_for("the camera's info", |m| m.topic == "onvif/garden/info")
        .await
        .json();
    assert!(!info["manufacturer"].as_str().unwrap().is_empty(), "{info}");
    let uri = info["profiles"][0]["stream_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("rtsp://") && !uri.contains(sim.password()),
        "{uri}"
    );
    let motion = sub
        .wait_for("the motion sensor's discovery", |m| {
            m.topic == "homeassistant/binary_sensor/onvif_garden/motion/config"
        })
        .await
        .json();
    assert_eq!(motion["state_topic"], "onvif/garden/motion");
    assert_eq!(motion["device_class"], "motion");
    assert_eq!(motion["availability_mode"], "all");
    assert_eq!(motion["unique_id"], "onvif_garden.motion");
    assert_eq!(motion["device"]["identifiers"][0], "onvif_garden");

    sim.emit_motion(true);
    sub.wait_for_value("onvif/garden/motion", "ON").await;
    let event = sub
        .wait_for("a motion event", |m| {
            m.topic == "onvif/garden/event" && m.json()["kind"]["active"] == true
        })
        .await
        .json();
    assert_eq!(event["camera"], "garden");
    assert_eq!(event["kind"]["kind"], "motion");
    assert!(
        event["topic"]["path"]
            .as_str()
            .unwrap()
            .ends_with("CellMotionDetector/Motion")
    );
    sub.forget();
    sim.emit_motion(false);
    sub.wait_for_value("onvif/garden/motion", "OFF").await;

    bridge.stop().await;
    sub.wait_for_value("onvif/garden/availability", "offline")
        .await;
    sub.wait_for_value("onvif/bridge/availability", "offline")
        .await;
    assert_eq!(
        sim.event_subscriptions(),
        0,
        "the bridge unsubscribed when it stopped"
    );
    // Nothing secret reached the broker.
    for m in &sub.seen {
        assert!(
            !m.text().contains(sim.password()),
            "{}: {}",
            m.topic,
            m.text()
        );
    }
}

#[tokio::test]
async fn a_camera_s_info_discovery_events_and_states_reach_the_broker() {
    let broker = Broker::start().await;
    one_camera_end_to_end(broker.addr, MqttSettings::new(broker.url())).await;
}

#[tokio::test]
async fn the_same_against_mosquitto() {
    let Some(m) = Mosquitto::start_if_installed().await else {
        return;
    };
    one_camera_end_to_end(m.addr, MqttSettings::new(m.url())).await;
}

#[tokio::test]
async fn mqtts_trusts_the_given_authority_and_refuses_a_broker_it_cannot_verify() {
    let Some((m, ca)) = Mosquitto::start_with_tls_if_installed().await else {
        return;
    };
    // The system's authorities do not know the test's: the broker is refused.
    let unknown = MqttSettings::new(m.tls_url());
    let broker = unknown.validate().unwrap();
    let topics = onvif_bridge::Topics::of(&unknown);
    let refused = match onvif_bridge::mqtt::options(&unknown, &broker, None, &topics) {
        Ok(opts) => onvif_bridge::mqtt::check(opts, Duration::from_secs(10))
            .await
            .unwrap_err(),
        // A machine without any system authority says so instead.
        Err(e) => e,
    };
    assert!(refused.contains("certificate"), "{refused}");
    // A file that is not PEM is named.
    let mut wrong = MqttSettings::new(m.tls_url());
    wrong.ca = Some(ca.key_pem.with_extension("missing"));
    let e = onvif_bridge::mqtt::options(&wrong, &broker, None, &topics).unwrap_err();
    assert!(e.starts_with("mqtt.ca ") && e.contains("missing"), "{e}");
    // mqtt.ca only means something with mqtts://.
    let mut plain = MqttSettings::new(m.url());
    plain.ca = Some(ca.ca_pem.clone());
    assert!(plain.validate().unwrap_err().contains("not mqtts://"));

    // With the authority: the whole flow over TLS (read back on the plain listener).
    let mut trusted = MqttSettings::new(m.tls_url());
    trusted.ca = Some(ca.ca_pem.clone());
    one_camera_end_to_end(m.addr, trusted).await;
}

#[tokio::test]
async fn commands_act_on_the_camera_and_bad_ones_are_answered() {
    let (_broker, sim, mut sub, bridge) = online("porch").await;

    let before = sim.ptz_snapshot();
    sub.publish(
        "onvif/porch/ptz/set",
        r#"{"move":{"pan":0.5,"for":"500ms"}}"#,
    )
    .await;
    sim.ptz_wait_until(|s| s != &before).await;

    sub.publish("onvif/porch/snapshot/get", "").await;
    let shot = sub
        .wait_for("a snapshot", |m| m.topic == "onvif/porch/snapshot")
        .await;
    assert_eq!(&shot.payload[..2], &[0xFF, 0xD8], "a JPEG");

    sub.publish("onvif/porch/ptz/set", r#"{"preset":"nowhere"}"#)
        .await;
    let err = sub
        .wait_for("the unknown preset's error", |m| {
            m.topic == "onvif/porch/error" && m.text().contains("nowhere")
        })
        .await
        .json();
    assert_eq!(err["kind"], "command");
    // An empty payload, as clearing a retained command sends, is no command and no error.
    sub.publish("onvif/porch/ptz/set", "").await;
    sub.publish("onvif/porch/ptz/set", "{not json").await;
    sub.wait_for("the bad payload's error", |m| {
        m.topic == "onvif/porch/error" && m.text().contains("not JSON")
    })
    .await;
    let errors: Vec<String> = sub
        .seen
        .iter()
        .filter(|m| m.topic == "onvif/porch/error")
        .map(|m| m.json()["error"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    // Named with its command once.
    assert!(errors[1].starts_with("ptz: not JSON"), "{errors:?}");
    // The bridge goes on: a later event still arrives.
    sim.emit_motion(true);
    sub.wait_for_value("onvif/porch/motion", "ON").await;
    bridge.stop().await;
}

#[tokio::test]
async fn relays_are_switches_that_act_and_report_their_state() {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let mut options = pull();
    options.controls.push(onvif_bridge::Control::Relay);
    let bridge = Bridge::start(
        config(&broker.url(), vec![spec("gate", &sim, options)]),
        None,
    )
    .unwrap();
    let switch = sub
        .wait_for("the relay's switch", |m| {
            m.topic == "homeassistant/switch/onvif_gate/relay_RelayOutput_1/config"
        })
        .await
        .json();
    assert_eq!(switch["command_topic"], "onvif/gate/relay/set");
    let state_topic = switch["state_topic"].as_str().unwrap().to_owned();
    assert_eq!(state_topic, "onvif/gate/relay/RelayOutput_1");
    sub.wait_for_value("onvif/gate/availability", "online")
        .await;

    // What Home Assistant sends when the switch is turned on: the relay acts, and its event
    // comes back as the switch's state.
    sub.forget();
    sub.publish(
        "onvif/gate/relay/set",
        switch["payload_on"].as_str().unwrap(),
    )
    .await;
    sub.wait_for_value(&state_topic, "ON").await;
    assert_eq!(sim.relay_state("RelayOutput_1"), Some(true));
    sub.forget();
    sub.publish(
        "onvif/gate/relay/set",
        switch["payload_off"].as_str().unwrap(),
    )
    .await;
    sub.wait_for_value(&state_topic, "OFF").await;
    assert_eq!(sim.relay_state("RelayOutput_1"), Some(false));
    // Held for a while, then released by the bridge.
    sub.forget();
    sub.publish(
        "onvif/gate/relay/set",
        r#"{"relay":"RelayOutput_1","state":"on","for":"100ms"}"#,
    )
    .await;
    sub.wait_for_value(&state_topic, "ON").await;
    sub.wait_for_value(&state_topic, "OFF").await;

    sub.publish("onvif/gate/relay/set", r#"{"relay":"Gate","state":"on"}"#)
        .await;
    sub.wait_for("the unknown relay's error", |m| {
        m.topic == "onvif/gate/error" && m.text().contains("Gate")
    })
    .await;
    bridge.stop().await;
}

#[tokio::test]
async fn a_relay_whose_release_fails_is_released_once_the_camera_answers_again() {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let mut options = pull();
    options.controls.push(onvif_bridge::Control::Relay);
    let bridge = Bridge::start(
        config(&broker.url(), vec![spec("door", &sim, options)]),
        None,
    )
    .unwrap();
    sub.wait_for_value("onvif/door/availability", "online")
        .await;
    let state_topic = "onvif/door/relay/RelayOutput_1";
    sub.forget();
    // A door strike opened for a while, and the camera gone before the time is up (5 s: room
    // for the ON to come back through the event session on a loaded machine).
    sub.publish(
        "onvif/door/relay/set",
        r#"{"relay":"RelayOutput_1","state":"on","for":"5s"}"#,
    )
    .await;
    sub.wait_for_value(state_topic, "ON").await;
    sim.power_off(false);
    sub.wait_for("the failed release", |m| {
        m.topic == "onvif/door/error" && m.text().contains("releasing RelayOutput_1")
    })
    .await;
    assert_eq!(sim.relay_state("RelayOutput_1"), Some(true));
    // Back: the release is tried again and the strike closes.
    sub.forget();
    sim.power_on();
    sub.wait_for_value(state_topic, "OFF").await;
    assert_eq!(sim.relay_state("RelayOutput_1"), Some(false));
    bridge.stop().await;
}

#[tokio::test]
async fn a_retained_command_is_not_carried_out_and_a_live_one_is() {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    // Commands left retained at the broker before the bridge starts: the broker hands them
    // over at every subscription, that is at every start and reconnection of the bridge.
    for (topic, payload) in [
        ("onvif/hall/reboot/set", "PRESS"),
        (
            "onvif/hall/relay/set",
            r#"{"relay":"RelayOutput_1","state":"on"}"#,
        ),
    ] {
        sub.publish_retained(topic, payload).await;
        sub.wait_for_value(topic, payload).await;
    }
    let mut options = pull();
    options.controls.push(onvif_bridge::Control::Relay);
    let bridge = Bridge::start(
        config(&broker.url(), vec![spec("hall", &sim, options)]),
        None,
    )
    .unwrap();
    sub.wait_for_value("onvif/hall/availability", "online")
        .await;
    // A live command on the same topic after them, answered: a camera's commands are carried
    // out in order, so the retained ones would have been carried out by now.
    sub.publish("onvif/hall/relay/set", r#"{"relay":"Gate","state":"on"}"#)
        .await;
    sub.wait_for("the live command's answer", |m| {
        m.topic == "onvif/hall/error" && m.text().contains("Gate")
    })
    .await;
    assert_eq!(sim.relay_state("RelayOutput_1"), Some(false));
    assert_eq!(sim.reboots(), 0);
    bridge.stop().await;
}

/// A bridge following camera `name`, whose motion clears itself `after` that long, and the
/// camera's motion ON at the broker.
async fn motion_on_with_clear_after(
    name: &str,
    after: Duration,
) -> (Broker, Sim, Subscriber, Bridge) {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let mut options = pull();
    options.clear_after.insert("motion".into(), after);
    let bridge =
        Bridge::start(config(&broker.url(), vec![spec(name, &sim, options)]), None).unwrap();
    sub.wait_for_value(&format!("onvif/{name}/availability"), "online")
        .await;
    sim.emit_motion(true);
    sub.wait_for_value(&format!("onvif/{name}/motion"), "ON")
        .await;
    (broker, sim, sub, bridge)
}

#[tokio::test]
async fn a_state_the_camera_never_clears_goes_off_after_its_timeout() {
    let (_broker, _sim, mut sub, bridge) =
        motion_on_with_clear_after("yard", Duration::from_millis(300)).await;
    sub.forget();
    sub.wait_for_value("onvif/yard/motion", "OFF").await;
    let events = sub
        .seen
        .iter()
        .filter(|m| m.topic == "onvif/yard/event" && m.json()["kind"]["active"] == false)
        .count();
    assert_eq!(events, 0, "the camera itself never said OFF");
    bridge.stop().await;
}

#[tokio::test]
async fn a_state_waiting_to_clear_goes_off_when_the_bridge_stops() {
    // Its timer ends with the bridge: left ON, the retained state would stay ON for ever.
    let (broker, _sim, _sub, bridge) =
        motion_on_with_clear_after("drive", Duration::from_secs(3600)).await;
    bridge.stop().await;
    // What a newcomer is handed: the retained state.
    let mut later = everything(broker.addr).await;
    later
        .wait_for_value("onvif/drive/availability", "offline")
        .await;
    later.wait_for_value("onvif/drive/motion", "OFF").await;
}

#[tokio::test]
async fn wrong_credentials_on_one_camera_leave_the_others_alone() {
    let broker = Broker::start().await;
    let good = Sim::start().await;
    let locked = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let mut wrong = spec("wrong", &locked, pull());
    wrong.creds = Some(Credentials::new(locked.user(), "not-the-password"));
    let bridge = Bridge::start(
        config(&broker.url(), vec![spec("good", &good, pull()), wrong]),
        None,
    )
    .unwrap();
    let err = sub
        .wait_for("the refused credentials", |m| {
            m.topic == "onvif/wrong/error"
        })
        .await
        .json();
    assert_eq!(err["kind"], "auth", "{err}");
    assert!(!err.to_string().contains("not-the-password"));
    sub.wait_for_value("onvif/good/availability", "online")
        .await;
    good.emit_motion(true);
    sub.wait_for_value("onvif/good/motion", "ON").await;
    let stats = bridge.metrics().of("wrong").unwrap();
    assert!(stats.auth_refused && !stats.online, "{stats:?}");
    // Retried rarely: the camera saw a bounded number of wrong guesses, not a storm.
    assert!(locked.guesses() <= 3, "{} guesses", locked.guesses());
    bridge.stop().await;
}

#[tokio::test]
async fn the_broker_going_away_loses_no_event_and_state_is_sent_again() {
    let broker = Broker::start().await;
    let relay = Relay::start(broker.addr).await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let bridge =
        Bridge::start(config(&relay.url(), vec![spec("gate", &sim, pull())]), None).unwrap();
    sub.wait_for_value("onvif/gate/availability", "online")
        .await;
    let metrics = bridge.metrics();

    relay.cut();
    // The bridge's last will tells the broker's other clients it is gone.
    sub.wait_for_value("onvif/bridge/availability", "offline")
        .await;
    sub.forget();
    sim.emit_motion(true);
    // The event is taken from the camera while the broker is away (the camera's own stream
    // does not wait); it waits in the bridge's queue.
    bridge.outbox().until_queued(1).await;
    relay.restore();
    sub.wait_for_value("onvif/bridge/availability", "online")
        .await;
    sub.wait_for("the event queued meanwhile", |m| {
        m.topic == "onvif/gate/event" && m.json()["kind"]["active"] == true
    })
    .await;
    sub.wait_for_value("onvif/gate/motion", "ON").await;
    // Retained state is published again after the reconnection.
    sub.wait_for_value("onvif/gate/availability", "online")
        .await;
    assert!(
        metrics
            .mqtt_connections
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 2
    );
    bridge.stop().await;
}

#[tokio::test]
async fn a_camera_restart_is_followed_and_later_events_arrive() {
    let (_broker, sim, mut sub, bridge) = online("door").await;
    sub.forget();
    sim.power_off(false);
    sub.wait_for_value("onvif/door/availability", "offline")
        .await;
    // Neither the loss nor the attempts to make the session again are silent.
    let error = |m: &Received| m.topic == "onvif/door/error";
    sub.wait_for("the loss on the error topic", |m| {
        error(m) && m.text().contains("event session lost")
    })
    .await;
    sub.wait_for("a failed attempt on the error topic", |m| {
        error(m) && !m.text().contains("event session lost")
    })
    .await;
    sim.set_clock_skew_secs(3600);
    sim.power_on();
    sub.wait_for_value("onvif/door/availability", "online")
        .await;
    sim.emit_motion(true);
    sub.wait_for_value("onvif/door/motion", "ON").await;
    assert!(bridge.metrics().of("door").unwrap().losses >= 1);
    bridge.stop().await;
}

#[tokio::test]
async fn metrics_and_health_are_served() {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let bridge =
        Bridge::start(config(&broker.url(), vec![spec("m1", &sim, pull())]), None).unwrap();
    let addr = bridge
        .serve_metrics("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    sub.wait_for_value("onvif/m1/availability", "online").await;
    let http = reqwest::Client::new();
    let text = http
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("onvif_bridge_camera_online{camera=\"m1\"} 1"),
        "{text}"
    );
    assert!(text.contains("onvif_bridge_mqtt_connected 1"), "{text}");
    let health = http
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    bridge.stop().await;
}

#[tokio::test]
async fn after_a_mosquitto_restart_the_retained_state_is_there_again() {
    let Some(mut m) = Mosquitto::start_if_installed().await else {
        return;
    };
    let sim = Sim::start().await;
    let mut sub = everything(m.addr).await;
    let bridge = Bridge::start(config(&m.url(), vec![spec("hall", &sim, pull())]), None).unwrap();
    sub.wait_for_value("onvif/hall/availability", "online")
        .await;
    sim.emit_motion(true);
    sub.wait_for_value("onvif/hall/motion", "ON").await;

    // The broker restarts without persistence: every retained message is gone with it.
    m.stop();
    m.start_again().await;
    sub.forget();
    for (topic, value) in [
        ("onvif/hall/motion", "ON"),
        ("onvif/hall/availability", "online"),
        ("onvif/bridge/availability", "online"),
    ] {
        sub.wait_for_value(topic, value).await;
    }
    sub.wait_for("the discovery again", |r| {
        r.topic == "homeassistant/binary_sensor/onvif_hall/motion/config"
    })
    .await;
    // A subscriber arriving now gets them as retained messages.
    let mut late = Subscriber::connect(m.addr, &["onvif/hall/motion"]).await;
    let r = late.wait_for_value("onvif/hall/motion", "ON").await;
    assert!(r.retain);
    bridge.stop().await;
}

#[tokio::test]
async fn a_camera_s_options_shape_what_it_publishes_and_accepts() {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let options = CameraOptions {
        events: EventsMode::Pull,
        // Only the rule engine's events; motion is renamed by a rule of the camera's own.
        topic_filter: Some("tns1:RuleEngine//.".into()),
        kinds: Some("RuleEngine/CellMotionDetector/Motion  IsMotion  movement".into()),
        snapshot_interval: Duration::from_millis(300),
        controls: vec![onvif_bridge::Control::Snapshot],
        ..CameraOptions::default()
    };
    let bridge = Bridge::start(
        config(&broker.url(), vec![spec("side", &sim, options)]),
        None,
    )
    .unwrap();
    sub.wait_for_value("onvif/side/availability", "online")
        .await;
    // Snapshots come by themselves, every 300 ms.
    let shot = sub
        .wait_for("a periodic snapshot", |m| m.topic == "onvif/side/snapshot")
        .await;
    assert_eq!(&shot.payload[..2], &[0xFF, 0xD8]);
    sim.emit_digital_input(true);
    sim.emit_motion(true);
    sub.wait_for_value("onvif/side/movement", "ON").await;
    assert!(
        !sub.seen
            .iter()
            .any(|m| m.topic.starts_with("onvif/side/digital-input")),
        "the topic filter keeps the input's events out"
    );
    let discovery = sub
        .wait_for("the renamed kind's sensor", |m| {
            m.topic == "homeassistant/binary_sensor/onvif_side/movement/config"
        })
        .await;
    assert!(!discovery.payload.is_empty());
    // PTZ is not among its controls: refused, with the reason.
    sub.publish("onvif/side/ptz/set", r#"{"home":true}"#).await;
    sub.wait_for("the refused control", |m| {
        m.topic == "onvif/side/error" && m.text().contains("not offered")
    })
    .await;
    assert!(
        !sub.seen
            .iter()
            .any(|m| m.topic.starts_with("homeassistant/button/onvif_side/")),
        "no buttons for controls it does not offer"
    );
    bridge.stop().await;
}
