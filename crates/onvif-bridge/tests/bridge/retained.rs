//! What the bridge leaves retained at the broker, across restarts, reloads and connections
//! that end badly: nothing that outlives what it describes.

use onvif_bridge::{Bridge, CameraOptions, Control};
use onvif_testkit::Sim;
use onvif_testkit::mqtt::Broker;

use super::{config, everything, pull, spec};

#[tokio::test]
async fn a_camera_removed_while_no_bridge_ran_is_cleared_at_the_next_start() {
    let broker = Broker::start().await;
    let (a, b, c) = (Sim::start().await, Sim::start().await, Sim::start().await);
    let mut sub = everything(broker.addr).await;
    let cameras = vec![
        spec("a", &a, pull()),
        spec("b", &b, pull()),
        spec("c", &c, pull()),
    ];
    let bridge = Bridge::start(config(&broker.url(), cameras), None).unwrap();
    for cam in ["a", "b", "c"] {
        sub.wait_for_value(&format!("onvif/{cam}/availability"), "online")
            .await;
        sub.wait_for("its discovery", |m| {
            m.topic == format!("homeassistant/binary_sensor/onvif_{cam}/motion/config")
        })
        .await;
    }
    bridge.stop().await;
    // Started again with `b` gone from the configuration, and `c` still in it but followed
    // elsewhere (another shard): `b`'s leftovers are cleared, `c`'s are not.
    sub.forget();
    let mut cfg = config(&broker.url(), vec![spec("a", &a, pull())]);
    cfg.known.insert("c".into());
    let bridge = Bridge::start(cfg, None).unwrap();
    for topic in [
        "homeassistant/binary_sensor/onvif_b/motion/config",
        "onvif/b/availability",
        "onvif/b/info",
    ] {
        sub.wait_for(&format!("{topic} cleared"), |m| {
            m.topic == topic && m.payload.is_empty()
        })
        .await;
    }
    sub.wait_for_value("onvif/a/availability", "online").await;
    bridge.stop().await;
    // What a newcomer is handed: no discovery, availability or info of `b` (its state
    // topics stay: nothing refers to them any more), all of `c`'s.
    let mut later = everything(broker.addr).await;
    later
        .wait_for("c's discovery", |m| {
            m.topic == "homeassistant/binary_sensor/onvif_c/motion/config" && !m.payload.is_empty()
        })
        .await;
    later
        .wait_for_value("onvif/a/availability", "offline")
        .await;
    assert!(
        !later.seen.iter().any(|m| m.topic.contains("onvif_b")
            || m.topic == "onvif/b/availability"
            || m.topic == "onvif/b/info"),
        "{:?}",
        later.seen.iter().map(|m| &m.topic).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_reload_starts_added_cameras_and_clears_removed_ones() {
    let broker = Broker::start().await;
    let a = Sim::start().await;
    let b = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let mut bridge =
        Bridge::start(config(&broker.url(), vec![spec("a", &a, pull())]), None).unwrap();
    sub.wait_for("a's discovery", |m| {
        m.topic == "homeassistant/binary_sensor/onvif_a/motion/config"
    })
    .await;
    let (started, stopped) = bridge
        .reload(vec![spec("b", &b, pull())], Default::default())
        .await
        .unwrap();
    assert_eq!(
        (started, stopped),
        (vec!["b".to_owned()], vec!["a".to_owned()])
    );
    sub.wait_for("a's discovery cleared", |m| {
        m.topic == "homeassistant/binary_sensor/onvif_a/motion/config" && m.payload.is_empty()
    })
    .await;
    sub.wait_for_value("onvif/b/availability", "online").await;
    // Unchanged cameras are left alone.
    let (started, stopped) = bridge
        .reload(vec![spec("b", &b, pull())], Default::default())
        .await
        .unwrap();
    assert!(started.is_empty() && stopped.is_empty());
    // A client setting of its own counts as a change: its certificate pin.
    let mut pinned = spec("b", &b, pull());
    pinned.client.cert_sha256 = Some("ab".repeat(32));
    let (started, stopped) = bridge
        .reload(vec![pinned], Default::default())
        .await
        .unwrap();
    assert_eq!(
        (started, stopped),
        (vec!["b".to_owned()], vec!["b".to_owned()])
    );
    assert!(
        bridge
            .reload(vec![spec("bad/name", &b, pull())], Default::default())
            .await
            .unwrap_err()
            .contains("bad/name")
    );
    bridge.stop().await;
}

#[tokio::test]
async fn an_entity_an_earlier_run_published_that_the_camera_no_longer_offers_is_cleared() {
    let broker = Broker::start().await;
    let a = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let reboot = "homeassistant/button/onvif_a/reboot/config";
    let motion = "homeassistant/binary_sensor/onvif_a/motion/config";
    let bridge = Bridge::start(config(&broker.url(), vec![spec("a", &a, pull())]), None).unwrap();
    sub.wait_for("its reboot button", |m| {
        m.topic == reboot && !m.payload.is_empty()
    })
    .await;
    bridge.stop().await;
    // Its reboot control taken away while no bridge ran: the next run clears the button,
    // and keeps what the camera still offers.
    sub.forget();
    let options = CameraOptions {
        controls: vec![Control::Snapshot],
        ..pull()
    };
    let bridge = Bridge::start(config(&broker.url(), vec![spec("a", &a, options)]), None).unwrap();
    sub.wait_for("the button cleared", |m| {
        m.topic == reboot && m.payload.is_empty()
    })
    .await;
    sub.wait_for_value("onvif/a/availability", "online").await;
    bridge.stop().await;
    let mut later = everything(broker.addr).await;
    later
        .wait_for("its motion sensor", |m| {
            m.topic == motion && !m.payload.is_empty()
        })
        .await;
    later
        .wait_for_value("onvif/a/availability", "offline")
        .await;
    assert!(
        !later.seen.iter().any(|m| m.topic == reboot),
        "the button is gone for good"
    );
}

#[tokio::test]
async fn a_question_left_unanswered_at_connect_is_asked_again_not_taken_as_no() {
    let broker = Broker::start().await;
    let a = Sim::start().await;
    // One GetEventProperties cut: taken as "no events", the camera's sensors would go.
    a.cut_next("GetEventProperties", 1);
    let mut sub = everything(broker.addr).await;
    let mut s = spec("a", &a, pull());
    s.client.retries = 0;
    let bridge = Bridge::start(config(&broker.url(), vec![s]), None).unwrap();
    sub.wait_for("the failed connection reported", |m| {
        m.topic == "onvif/a/error" && m.text().contains("camera")
    })
    .await;
    sub.wait_for("its motion sensor, once asked again", |m| {
        m.topic == "homeassistant/binary_sensor/onvif_a/motion/config" && !m.payload.is_empty()
    })
    .await;
    sub.wait_for_value("onvif/a/availability", "online").await;
    assert!(
        !sub.seen
            .iter()
            .any(|m| m.topic.starts_with("homeassistant/") && m.payload.is_empty()),
        "nothing was taken away"
    );
    bridge.stop().await;
}

#[tokio::test]
async fn a_question_never_answered_at_connect_holds_the_camera_up_only_a_few_times() {
    let broker = Broker::start().await;
    let a = Sim::start().await;
    // GetEventProperties never answered (too large for the timeout, say).
    a.cut_next("GetEventProperties", u32::MAX);
    let mut sub = everything(broker.addr).await;
    let mut s = spec("a", &a, pull());
    s.client.retries = 0;
    let bridge = Bridge::start(config(&broker.url(), vec![s]), None).unwrap();
    // Three connections fail; the fourth takes it as "no event kinds" and follows the camera.
    sub.wait_for_value("onvif/a/availability", "online").await;
    let errors = sub
        .seen
        .iter()
        .filter(|m| m.topic == "onvif/a/error")
        .count();
    assert_eq!(errors, 3, "connections that failed before it settled");
    assert_eq!(a.stats().operation("GetEventProperties"), 4);
    sub.wait_for("its reboot button", |m| {
        m.topic == "homeassistant/button/onvif_a/reboot/config" && !m.payload.is_empty()
    })
    .await;
    assert!(
        !sub.seen
            .iter()
            .any(|m| m.topic == "homeassistant/binary_sensor/onvif_a/motion/config"),
        "no event kind is offered"
    );
    bridge.stop().await;
}

#[tokio::test]
async fn an_earlier_connections_will_saying_offline_is_answered_with_online() {
    let broker = Broker::start().await;
    let a = Sim::start().await;
    let mut sub = everything(broker.addr).await;
    let bridge = Bridge::start(config(&broker.url(), vec![spec("a", &a, pull())]), None).unwrap();
    sub.wait_for_value("onvif/bridge/availability", "online")
        .await;
    // As a half-open connection of an earlier run, dropped by the broker only now, would.
    sub.forget();
    sub.publish_retained("onvif/bridge/availability", "offline")
        .await;
    sub.wait_for_value("onvif/bridge/availability", "offline")
        .await;
    sub.wait_for_value("onvif/bridge/availability", "online")
        .await;
    bridge.stop().await;
    sub.wait_for_value("onvif/bridge/availability", "offline")
        .await;
}

#[tokio::test]
async fn a_camera_never_reached_in_this_run_is_cleared_when_removed() {
    let broker = Broker::start().await;
    let (a, z) = (Sim::start().await, Sim::start().await);
    let mut sub = everything(broker.addr).await;
    let both = || vec![spec("a", &a, pull()), spec("z", &z, pull())];
    let bridge = Bridge::start(config(&broker.url(), both()), None).unwrap();
    let z_motion = "homeassistant/binary_sensor/onvif_z/motion/config";
    sub.wait_for("z's discovery", |m| {
        m.topic == z_motion && !m.payload.is_empty()
    })
    .await;
    sub.wait_for("z's info", |m| m.topic == "onvif/z/info")
        .await;
    bridge.stop().await;
    // Down for the whole of the next run, then removed from the config.
    z.power_off(false);
    sub.forget();
    let mut bridge = Bridge::start(config(&broker.url(), both()), None).unwrap();
    sub.wait_for_value("onvif/a/availability", "online").await;
    bridge
        .reload(vec![spec("a", &a, pull())], Default::default())
        .await
        .unwrap();
    for topic in [z_motion, "onvif/z/info", "onvif/z/availability"] {
        sub.wait_for(&format!("{topic} cleared"), |m| {
            m.topic == topic && m.payload.is_empty()
        })
        .await;
    }
    bridge.stop().await;
}
