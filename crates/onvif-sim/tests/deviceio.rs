//! Relays and digital inputs: the DeviceIO service and the device service's relay operations
//! change the same relays, report them in GetServices and GetCapabilities, and refuse unknown
//! tokens and bad delays with the spec's faults.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif_proto::ops::Service;
use onvif_proto::ops::device::{Capabilities, GetCapabilities, GetServices, Services};
use onvif_proto::ops::deviceio::{
    DigitalIdleState, DigitalInputs, GetDigitalInputs, GetRelayOutputOptions, GetRelayOutputs,
    IoGetRelayOutputs, IoSetRelayOutputSettings, IoSetRelayOutputState, RelayIdleState,
    RelayLogicalState, RelayMode, RelayOutput, RelayOutputOptionsResponse, RelayOutputSettings,
    RelayOutputs, SetRelayOutputSettings, SetRelayOutputState,
};
use onvif_testkit::Sim;
use onvif_testkit::http::DEVICE;

const IO: &str = "/onvif/deviceio_service";

#[tokio::test]
async fn both_services_show_and_change_the_same_relays() {
    let h = Sim::start().await;
    let via_io: RelayOutputs = h.ask(IO, &IoGetRelayOutputs).await.read();
    let via_device: RelayOutputs = h.ask(DEVICE, &GetRelayOutputs).await.read();
    assert_eq!(via_io, via_device);
    let tokens: Vec<&str> = via_io.relays.iter().map(|r| r.token.as_str()).collect();
    assert_eq!(tokens, ["RelayOutput_1", "RelayOutput_2"]);

    // Changed through the device service, seen through DeviceIO, and the other way round.
    let settings = RelayOutputSettings {
        mode: RelayMode::Monostable,
        delay_time: Duration::from_secs(3),
        idle_state: RelayIdleState::Closed,
    };
    let r = h
        .ask(
            DEVICE,
            &SetRelayOutputSettings {
                token: "RelayOutput_1".into(),
                properties: settings.clone(),
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let now: RelayOutputs = h.ask(IO, &IoGetRelayOutputs).await.read();
    assert_eq!(now.relays[0].properties, settings);
    let back = RelayOutputSettings {
        mode: RelayMode::Bistable,
        ..settings
    };
    let r = h
        .ask(
            IO,
            &IoSetRelayOutputSettings {
                relay: RelayOutput {
                    token: "RelayOutput_1".into(),
                    properties: back.clone(),
                },
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let now: RelayOutputs = h.ask(DEVICE, &GetRelayOutputs).await.read();
    assert_eq!(now.relays[0].properties, back);

    // States: either service, one relay.
    assert_eq!(h.relay_state("RelayOutput_1"), Some(false));
    let on = SetRelayOutputState {
        token: "RelayOutput_1".into(),
        state: RelayLogicalState::Active,
    };
    assert_eq!(h.ask(DEVICE, &on).await.status, 200);
    assert_eq!(h.relay_state("RelayOutput_1"), Some(true));
    let off = IoSetRelayOutputState {
        token: "RelayOutput_1".into(),
        state: RelayLogicalState::Inactive,
    };
    assert_eq!(h.ask(IO, &off).await.status, 200);
    assert_eq!(h.relay_state("RelayOutput_1"), Some(false));
}

#[tokio::test]
async fn unknown_relays_and_bad_delays_are_refused_with_the_spec_faults() {
    let h = Sim::start().await;
    let r = h
        .ask(
            IO,
            &IoSetRelayOutputState {
                token: "Gate".into(),
                state: RelayLogicalState::Active,
            },
        )
        .await;
    assert_eq!(r.status, 400);
    let f = r.fault();
    assert!(f.has_subcode("RelayToken"), "{f:?}");
    assert!(f.reason.contains("\"Gate\""), "{}", f.reason);

    let r = h
        .ask(
            DEVICE,
            &SetRelayOutputSettings {
                token: "RelayOutput_2".into(),
                properties: RelayOutputSettings {
                    mode: RelayMode::Monostable,
                    delay_time: Duration::from_secs(3600),
                    idle_state: RelayIdleState::Open,
                },
            },
        )
        .await;
    assert_eq!(r.status, 400);
    let f = r.fault();
    assert!(f.has_subcode("ModeError"), "{f:?}");
    assert!(f.reason.contains("3600"), "{}", f.reason);
    // Nothing changed.
    let now: RelayOutputs = h.ask(IO, &IoGetRelayOutputs).await.read();
    assert_eq!(now.relays[1].properties.delay_time, Duration::from_secs(1));

    let r = h
        .ask(
            IO,
            &GetRelayOutputOptions {
                token: Some("nope".into()),
            },
        )
        .await;
    assert!(r.fault().has_subcode("RelayToken"));
}

#[tokio::test]
async fn options_inputs_and_the_service_lists() {
    let h = Sim::start().await;
    let all: RelayOutputOptionsResponse = h
        .ask(IO, &GetRelayOutputOptions { token: None })
        .await
        .read();
    assert_eq!(all.options.len(), 2);
    let one: RelayOutputOptionsResponse = h
        .ask(
            IO,
            &GetRelayOutputOptions {
                token: Some("RelayOutput_2".into()),
            },
        )
        .await
        .read();
    assert_eq!(one.options.len(), 1);
    assert!(one.options[0].accepts_delay(Duration::from_secs(1)));
    assert!(!one.options[0].accepts_delay(Duration::from_secs(3600)));

    let inputs: DigitalInputs = h.ask(IO, &GetDigitalInputs).await.read();
    assert_eq!(inputs.inputs.len(), 2);
    assert_eq!(inputs.inputs[1].idle_state, Some(DigitalIdleState::Closed));
    h.set_input("DigitalInput_2", true).unwrap();
    assert_eq!(h.input_state("DigitalInput_2"), Some(true));
    let e = h.set_input("DigitalInput_9", true).unwrap_err();
    assert!(e.contains("DigitalInput_1, DigitalInput_2"), "{e}");

    let s: Services = h
        .ask(
            DEVICE,
            &GetServices {
                include_capability: true,
            },
        )
        .await
        .read();
    let io = s
        .services
        .iter()
        .find(|s| s.service == Some(Service::DeviceIo))
        .unwrap();
    assert!(io.xaddr.ends_with(IO), "{}", io.xaddr);
    assert_eq!(
        io.capabilities.get("RelayOutputs").map(String::as_str),
        Some("2")
    );
    // GetCapabilities: DeviceIO in the Extension, after the core categories.
    let r = h
        .ask(
            DEVICE,
            &GetCapabilities {
                category: "All".into(),
            },
        )
        .await;
    assert!(r.body.contains("<tt:Extension><tt:DeviceIO>"), "{}", r.body);
    let caps: Capabilities = r.read();
    assert!(caps.xaddr(Service::DeviceIo).unwrap().ends_with(IO));
    assert!(caps.xaddr(Service::Ptz).is_some());
    // The older form has the service's counts up to the relays, no serial ports or inputs.
    let io = caps
        .entries
        .iter()
        .find(|e| e.service == Some(Service::DeviceIo))
        .unwrap();
    let keys: Vec<&str> = io.flags.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "AudioOutputs",
            "AudioSources",
            "RelayOutputs",
            "VideoOutputs",
            "VideoSources"
        ]
    );
    assert_eq!(io.flags["RelayOutputs"], "2");
}
