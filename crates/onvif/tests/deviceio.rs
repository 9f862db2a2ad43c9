//! Relays, digital inputs and focus through the client, against the strict simulated camera
//! over 127.0.0.1: each change read back by a second call, and the relay's and input's
//! events seen on a pull-point session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use onvif::events::{Event, EventSession, SessionConfig, SessionItem};
use onvif::proto::ops::deviceio::{
    self, RelayIdleState, RelayLogicalState, RelayMode, RelayOutputSettings,
};
use onvif::proto::ops::events::PropertyOperation;
use onvif::proto::ops::imaging::FocusMove;
use onvif::proto::ops::ptz::MoveStatus;
use onvif::{Error, ErrorKind};
use onvif_testkit::Sim;
use tokio::sync::mpsc::Receiver;

const LIMIT: Duration = Duration::from_secs(30);

/// The next Changed event of `topic`, skipping the rest.
async fn next_change(rx: &mut Receiver<SessionItem>, topic: &str) -> Event {
    loop {
        let item = tokio::time::timeout(LIMIT, rx.recv())
            .await
            .expect("an event in time")
            .expect("the session runs");
        if let SessionItem::Event(e) = item
            && e.topic.path == topic
            && e.property_operation == Some(PropertyOperation::Changed)
        {
            return *e;
        }
    }
}

fn source(e: &Event, name: &str) -> String {
    e.source
        .iter()
        .find(|i| i.name == name)
        .map(|i| i.value.clone())
        .unwrap_or_default()
}

fn data(e: &Event, name: &str) -> String {
    e.data
        .iter()
        .find(|i| i.name == name)
        .map(|i| i.value.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_relay_set_is_read_back_and_its_events_are_seen() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let relays = cam.relay_outputs().await.unwrap();
    assert_eq!(relays.len(), 2);
    let config = SessionConfig {
        pull_timeout: Duration::from_secs(5),
        ..SessionConfig::default()
    };
    let (session, mut rx) = EventSession::pull(cam.clone(), config).await.unwrap();

    // A bistable relay stays as set.
    cam.set_relay_state("RelayOutput_1", RelayLogicalState::Active)
        .await
        .unwrap();
    let e = next_change(&mut rx, "Device/Trigger/Relay").await;
    assert_eq!(source(&e, "RelayToken"), "RelayOutput_1");
    assert_eq!(data(&e, "LogicalState"), "active");
    assert_eq!(e.kind.as_ref().unwrap().kind, "relay");
    assert_eq!(e.kind.as_ref().unwrap().active, Some(true));
    assert_eq!(h.relay_state("RelayOutput_1"), Some(true));
    cam.set_relay_state("RelayOutput_1", RelayLogicalState::Inactive)
        .await
        .unwrap();
    let e = next_change(&mut rx, "Device/Trigger/Relay").await;
    assert_eq!(data(&e, "LogicalState"), "inactive");

    // Made monostable with a short delay: it releases itself, and says so.
    let settings = RelayOutputSettings {
        mode: RelayMode::Monostable,
        delay_time: Duration::from_millis(200),
        idle_state: RelayIdleState::Closed,
    };
    cam.set_relay_settings("RelayOutput_1", settings.clone())
        .await
        .unwrap();
    let back = cam.relay_outputs().await.unwrap();
    assert_eq!(back[0].properties, settings);
    cam.set_relay_state("RelayOutput_1", RelayLogicalState::Active)
        .await
        .unwrap();
    let on = next_change(&mut rx, "Device/Trigger/Relay").await;
    assert_eq!(data(&on, "LogicalState"), "active");
    let off = next_change(&mut rx, "Device/Trigger/Relay").await;
    assert_eq!(data(&off, "LogicalState"), "inactive");
    assert_eq!(source(&off, "RelayToken"), "RelayOutput_1");
    assert_eq!(h.relay_state("RelayOutput_1"), Some(false));

    // A digital input's change, as the simulator's console makes it.
    h.set_input("DigitalInput_2", true).unwrap();
    let e = next_change(&mut rx, "Device/Trigger/DigitalInput").await;
    assert_eq!(source(&e, "InputToken"), "DigitalInput_2");
    assert_eq!(e.kind.as_ref().unwrap().active, Some(true));
    session.close().await;
}

#[tokio::test]
async fn the_device_service_relays_options_and_inputs() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    // The device service's own operations reach the same relays.
    let via_device = cam.call(&deviceio::GetRelayOutputs).await.unwrap();
    assert_eq!(via_device.relays, cam.relay_outputs().await.unwrap());
    cam.call(&deviceio::SetRelayOutputState {
        token: "RelayOutput_2".into(),
        state: RelayLogicalState::Active,
    })
    .await
    .unwrap();
    assert_eq!(h.relay_state("RelayOutput_2"), Some(true));

    let options = cam.relay_output_options(None).await.unwrap();
    assert_eq!(options.len(), 2);
    assert!(options[0].modes.contains(&RelayMode::Bistable));
    let inputs = cam.digital_inputs().await.unwrap();
    let tokens: Vec<&str> = inputs.iter().map(|i| i.token.as_str()).collect();
    assert_eq!(tokens, ["DigitalInput_1", "DigitalInput_2"]);
}

#[tokio::test]
async fn an_unknown_relay_is_a_device_error_with_the_camera_reason() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let e = cam
        .set_relay_state("Gate", RelayLogicalState::Active)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device, "{e}");
    assert!(matches!(e, Error::Fault { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("\"Gate\""), "{text}");
    let e = cam
        .set_relay_settings(
            "RelayOutput_1",
            RelayOutputSettings {
                mode: RelayMode::Monostable,
                delay_time: Duration::from_secs(7200),
                idle_state: RelayIdleState::Open,
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("7200"), "{e}");
}

#[tokio::test]
async fn focus_moves_show_in_its_status() {
    let h = Sim::start().await;
    let cam = h.connect().await;
    let source = cam.video_source_token(None).await.unwrap();
    cam.focus_move(
        &source,
        FocusMove::Absolute {
            position: 0.5,
            speed: None,
        },
    )
    .await
    .unwrap();
    let s = cam.focus_status(&source).await.unwrap().unwrap();
    assert_eq!(s.position, Some(0.5));
    assert_eq!(s.move_status, Some(MoveStatus::Idle));
    cam.focus_move(&source, FocusMove::Continuous { speed: -0.3 })
        .await
        .unwrap();
    let s = cam.focus_status(&source).await.unwrap().unwrap();
    assert_eq!(s.move_status, Some(MoveStatus::Moving));
    cam.focus_stop(&source).await.unwrap();
    let s = cam.focus_status(&source).await.unwrap().unwrap();
    assert_eq!(s.move_status, Some(MoveStatus::Idle));
    let e = cam.focus_status("NoSuchSource").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device, "{e}");
}

#[tokio::test]
async fn without_deviceio_the_device_service_s_relays_are_used() {
    let h = Sim::builder()
        .without_service(onvif::proto::Service::DeviceIo)
        .start()
        .await;
    let cam = h.connect().await;
    assert_eq!(cam.relay_outputs().await.unwrap().len(), 2);
    cam.set_relay_state("RelayOutput_1", RelayLogicalState::Active)
        .await
        .unwrap();
    assert_eq!(h.relay_state("RelayOutput_1"), Some(true));
    let settings = RelayOutputSettings {
        mode: RelayMode::Monostable,
        delay_time: Duration::from_secs(2),
        idle_state: RelayIdleState::Open,
    };
    cam.set_relay_settings("RelayOutput_2", settings.clone())
        .await
        .unwrap();
    assert_eq!(cam.relay_outputs().await.unwrap()[1].properties, settings);
    assert_eq!(h.stats().operation("GetRelayOutputs"), 2);
    // Digital inputs are DeviceIO's alone.
    let e = cam.digital_inputs().await.unwrap_err();
    assert!(matches!(e, Error::NoService(_)), "{e:?}");
}
