//! Round trips of the relay and digital input messages (write, read back, compare), and the
//! services and actions they are sent with.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::ns::{TDS, TMD};
use crate::ops::Service;
use crate::ops::message::{Message, Operation};
use crate::soap::Envelope;
use crate::xml::Writer;

fn round_trip<M: Message + PartialEq + std::fmt::Debug>(m: &M) -> String {
    let mut w = Writer::new();
    m.write(&mut w);
    let doc = crate::soap::envelope(None, &w.finish());
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    let payload = env.payload().unwrap();
    assert!(payload.is(M::ELEMENT.ns, M::ELEMENT.name), "{doc}");
    assert_eq!(&M::read(payload).unwrap(), m, "{doc}");
    doc
}

fn relay(token: &str, mode: RelayMode) -> RelayOutput {
    RelayOutput {
        token: token.into(),
        properties: RelayOutputSettings {
            mode,
            delay_time: Duration::from_millis(1500),
            idle_state: RelayIdleState::Open,
        },
    }
}

#[test]
fn relay_messages_round_trip() {
    let doc = round_trip(&RelayOutputs {
        relays: vec![
            relay("Relay_1", RelayMode::Monostable),
            relay("Relay_2", RelayMode::Bistable),
        ],
    });
    assert!(doc.contains("<tt:DelayTime>PT1.5S</tt:DelayTime>"), "{doc}");
    round_trip(&SetRelayOutputSettings {
        token: "Relay_1".into(),
        properties: relay("x", RelayMode::Bistable).properties,
    });
    round_trip(&IoSetRelayOutputSettings {
        relay: relay("Relay_2", RelayMode::Monostable),
    });
    for state in [RelayLogicalState::Active, RelayLogicalState::Inactive] {
        round_trip(&SetRelayOutputState {
            token: "Relay_1".into(),
            state,
        });
        round_trip(&IoSetRelayOutputState {
            token: "Relay_1".into(),
            state,
        });
    }
    round_trip(&GetRelayOutputs);
    round_trip(&IoGetRelayOutputs);
    round_trip(&SetRelayOutputSettingsResponse);
    round_trip(&IoSetRelayOutputSettingsResponse);
    round_trip(&SetRelayOutputStateResponse);
}

#[test]
fn input_and_option_messages_round_trip() {
    round_trip(&GetDigitalInputs);
    round_trip(&DigitalInputs {
        inputs: vec![
            DigitalInput {
                token: "DigitalInput_1".into(),
                idle_state: Some(DigitalIdleState::Closed),
            },
            DigitalInput {
                token: "DigitalInput_2".into(),
                idle_state: None,
            },
        ],
    });
    round_trip(&GetRelayOutputOptions {
        token: Some("Relay_1".into()),
    });
    round_trip(&GetRelayOutputOptions { token: None });
    round_trip(&RelayOutputOptionsResponse {
        options: vec![RelayOutputOptions {
            token: "Relay_1".into(),
            modes: vec![RelayMode::Monostable, RelayMode::Bistable],
            delay_times: Some(FloatList(vec![0.5, 120.0])),
            discrete: Some(false),
        }],
    });
    round_trip(&GetServiceCapabilities);
}

#[test]
fn each_operation_goes_to_its_service_with_the_wsdl_action() {
    fn check<O: Operation>(service: Service, action: &str) {
        assert_eq!(O::SERVICE, service, "{}", O::NAME);
        assert_eq!(O::ACTION, action, "{}", O::NAME);
    }
    let io = "http://www.onvif.org/ver10/deviceio/wsdl";
    check::<GetRelayOutputs>(Service::Device, &format!("{TDS}/GetRelayOutputs"));
    check::<SetRelayOutputState>(Service::Device, &format!("{TDS}/SetRelayOutputState"));
    check::<SetRelayOutputSettings>(Service::Device, &format!("{TDS}/SetRelayOutputSettings"));
    check::<IoGetRelayOutputs>(Service::DeviceIo, &format!("{io}/GetRelayOutputs"));
    check::<IoSetRelayOutputState>(Service::DeviceIo, &format!("{io}/SetRelayOutputState"));
    check::<IoSetRelayOutputSettings>(Service::DeviceIo, &format!("{io}/SetRelayOutputSettings"));
    check::<GetDigitalInputs>(Service::DeviceIo, &format!("{io}/GetDigitalInputs"));
    check::<GetRelayOutputOptions>(Service::DeviceIo, &format!("{io}/GetRelayOutputOptions"));
    // The elements keep their own namespaces whichever service they go to.
    assert_eq!(IoGetRelayOutputs::ELEMENT.ns, TDS);
    assert_eq!(GetDigitalInputs::ELEMENT.ns, TMD);
}

#[test]
fn a_relay_with_a_bad_mode_or_delay_is_refused_naming_the_field() {
    let body = r#"<tds:GetRelayOutputsResponse><tds:RelayOutputs token="R"><tt:Properties>
        <tt:Mode>Sometimes</tt:Mode><tt:DelayTime>PT1S</tt:DelayTime>
        <tt:IdleState>open</tt:IdleState></tt:Properties></tds:RelayOutputs>
        </tds:GetRelayOutputsResponse>"#;
    let doc = crate::soap::envelope(None, body);
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    let err = RelayOutputs::read(env.payload().unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("Mode") && err.contains("Sometimes"), "{err}");
}

#[test]
fn delay_options_are_a_range_or_discrete_values() {
    let mut o = RelayOutputOptions {
        token: "R".into(),
        modes: vec![RelayMode::Monostable],
        delay_times: Some(FloatList(vec![1.0, 10.0])),
        discrete: None,
    };
    assert!(o.accepts_delay(Duration::from_secs(5)));
    assert!(!o.accepts_delay(Duration::from_millis(500)));
    assert!(!o.accepts_delay(Duration::from_secs(11)));
    o.discrete = Some(true);
    assert!(!o.accepts_delay(Duration::from_secs(5)));
    assert!(o.accepts_delay(Duration::from_secs(10)));
    o.delay_times = None;
    assert!(o.accepts_delay(Duration::from_secs(99)));
    assert_eq!(FloatList::from_text("1 2.5  x"), None);
    assert_eq!(FloatList::from_text(" 1 2.5 ").unwrap().0, vec![1.0, 2.5]);
}

#[test]
fn decode_knows_every_deviceio_answer() {
    let names: Vec<&str> = crate::decode::DECODERS
        .iter()
        .filter(|d| d.ns == TMD)
        .map(|d| d.name)
        .collect();
    for n in [
        "GetRelayOutputOptionsResponse",
        "GetDigitalInputsResponse",
        "SetRelayOutputSettingsResponse",
        "GetServiceCapabilitiesResponse",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    let tds: Vec<&str> = crate::decode::DECODERS
        .iter()
        .filter(|d| d.ns == TDS)
        .map(|d| d.name)
        .collect();
    for n in [
        "GetRelayOutputsResponse",
        "SetRelayOutputStateResponse",
        "SetRelayOutputSettingsResponse",
    ] {
        assert!(tds.contains(&n), "{n} missing");
    }
}

#[test]
fn a_relay_event_says_active_or_inactive_and_its_kind_reads_it() {
    use crate::ops::events::{KindTable, NotificationMessage, PropertyOperation, SimpleItem};
    let table = KindTable::default();
    for (value, active) in [("active", true), ("inactive", false), (" Active ", true)] {
        let m = NotificationMessage::onvif(
            "Device/Trigger/Relay",
            jiff::Timestamp::UNIX_EPOCH,
            PropertyOperation::Changed,
            vec![SimpleItem::new("RelayToken", "RelayOutput_1")],
            vec![SimpleItem::new("LogicalState", value)],
        );
        let k = table.classify(&m).unwrap();
        assert_eq!(k.kind, "relay");
        assert_eq!(k.active, Some(active), "{value}");
    }
}
