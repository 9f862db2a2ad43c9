//! Round trips (write, read back, compare) of every PTZ message, with optional values set.

#![allow(clippy::unwrap_used)]

use std::fmt::Debug;
use std::time::Duration;

use super::values::{fmt_float, parse_float};
use super::*;
use crate::ops::message::{Message, Operation};
use crate::ops::service::Service;
use crate::soap::{self, Envelope};
use crate::xml::Writer;

fn write<M: Message>(m: &M) -> String {
    let mut w = Writer::new();
    m.write(&mut w);
    w.finish()
}

/// Write `m` into an envelope, parse it back, compare; and check that the element written is
/// the one the type declares.
fn round_trip<M: Message + PartialEq + Debug>(m: &M) {
    let body = write(m);
    let env = soap::envelope(None, &body);
    let parsed = Envelope::parse(env.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{body}"));
    let el = parsed.payload().unwrap();
    assert!(el.is(M::ELEMENT.ns, M::ELEMENT.name), "{body}");
    let back = M::read(el).unwrap_or_else(|e| panic!("{e}\n{body}"));
    assert_eq!(&back, m, "{body}");
}

fn spaces() -> PtzSpaces {
    PtzSpaces {
        absolute_pan_tilt: vec![
            Space2D::new(space::PAN_TILT_POSITION_GENERIC, (-1.0, 1.0), (-1.0, 1.0)),
            Space2D::new(
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                (f64::NEG_INFINITY, f64::INFINITY),
                (-90.0, 90.0),
            ),
        ],
        absolute_zoom: vec![
            Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 0.5)),
            Space1D::new(space::ZOOM_POSITION_MILLIMETER, (4.7, f64::INFINITY)),
        ],
        pan_tilt_speed: vec![Space1D::new(space::PAN_TILT_SPEED_DEGREES, (0.0, 120.5))],
        ..PtzSpaces::generic()
    }
}

fn node() -> PtzNode {
    PtzNode {
        token: "PTZNode_1".into(),
        name: Some("Head <1> & co".into()),
        fixed_home_position: Some(true),
        supported_spaces: spaces(),
        max_presets: Some(255),
        home_supported: true,
        auxiliary_commands: vec!["tt:Wiper|On".into(), "tt:IRLamp|Auto".into()],
    }
}

fn speed() -> PtzVector {
    PtzVector {
        pan_tilt: Some(Vector2D::in_space(0.5, 0.25, space::PAN_TILT_SPEED_GENERIC)),
        zoom: Some(Vector1D::in_space(1.0, space::ZOOM_SPEED_GENERIC)),
    }
}

fn configuration(token: &str) -> PtzConfiguration {
    PtzConfiguration {
        token: token.into(),
        name: Some(format!("{token} name")),
        use_count: Some(3),
        node_token: Some("PTZNode_1".into()),
        default_absolute_pan_tilt_space: Some(space::PAN_TILT_POSITION_GENERIC.into()),
        default_absolute_zoom_space: Some(space::ZOOM_POSITION_GENERIC.into()),
        default_relative_pan_tilt_space: Some(space::PAN_TILT_TRANSLATION_GENERIC.into()),
        default_relative_zoom_space: Some(space::ZOOM_TRANSLATION_GENERIC.into()),
        default_continuous_pan_tilt_space: Some(space::PAN_TILT_VELOCITY_GENERIC.into()),
        default_continuous_zoom_space: Some(space::ZOOM_VELOCITY_GENERIC.into()),
        default_speed: Some(speed()),
        default_timeout: Some(Duration::from_millis(2500)),
        pan_tilt_limits: Some(Space2D::new(
            space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
            (-170.0, 170.0),
            (f64::NEG_INFINITY, 0.0),
        )),
        zoom_limits: Some(Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 1.0))),
    }
}

fn position() -> PtzVector {
    PtzVector {
        pan_tilt: Some(Vector2D::in_space(
            -179.5,
            45.25,
            space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
        )),
        zoom: Some(Vector1D::new(0.125)),
    }
}

#[test]
fn floats_allow_infinity_only_in_ranges() {
    assert_eq!(parse_float("-INF", true), Some(f64::NEG_INFINITY));
    assert_eq!(parse_float("+360", true), Some(360.0));
    assert_eq!(parse_float("INF", false), None);
    assert_eq!(parse_float("NaN", true), None);
    assert_eq!(fmt_float(f64::INFINITY), "INF");
    assert_eq!(fmt_float(-1.0), "-1");
}

#[test]
fn nodes_and_configurations_round_trip() {
    round_trip(&GetNodes);
    round_trip(&Nodes {
        nodes: vec![
            node(),
            PtzNode {
                token: "PTZNode_2".into(),
                // Required by the schema: written as 0 when unknown.
                max_presets: Some(0),
                ..PtzNode::default()
            },
        ],
    });
    round_trip(&GetNode {
        node_token: "PTZNode_1".into(),
    });
    round_trip(&Node { node: node() });
    round_trip(&GetConfigurations);
    round_trip(&Configurations {
        configurations: vec![configuration("a"), configuration("b")],
    });
    round_trip(&GetConfiguration {
        configuration_token: "a".into(),
    });
    round_trip(&Configuration {
        configuration: configuration("a"),
    });
    round_trip(&GetCompatibleConfigurations {
        profile_token: "Profile_1".into(),
    });
    round_trip(&CompatibleConfigurations {
        configurations: vec![configuration("c")],
    });
    round_trip(&GetConfigurationOptions {
        configuration_token: "a".into(),
    });
    round_trip(&ConfigurationOptions {
        options: PtzConfigurationOptions {
            spaces: spaces(),
            timeout: Some(DurationRange {
                min: Duration::from_millis(500),
                max: Duration::from_secs(3600),
            }),
        },
    });
}

#[test]
fn status_round_trips() {
    round_trip(&GetStatus {
        profile_token: "Profile_1".into(),
    });
    round_trip(&Status {
        status: PtzStatus {
            position: Some(position()),
            move_status: Some(PtzMoveStatus {
                pan_tilt: Some(MoveStatus::Moving),
                zoom: Some(MoveStatus::Idle),
            }),
            error: Some("NO error".into()),
            utc_time: Some("2024-01-02T03:04:05.5Z".parse().unwrap()),
        },
    });
    round_trip(&Status {
        status: PtzStatus {
            move_status: Some(PtzMoveStatus {
                pan_tilt: None,
                zoom: Some(MoveStatus::Unknown),
            }),
            ..PtzStatus::default()
        },
    });
}

#[test]
fn moves_round_trip() {
    round_trip(&AbsoluteMove {
        profile_token: "Profile_1".into(),
        position: position(),
        speed: Some(speed()),
    });
    round_trip(&AbsoluteMoveResponse);
    round_trip(&RelativeMove {
        profile_token: "Profile_1".into(),
        translation: PtzVector {
            pan_tilt: None,
            zoom: Some(Vector1D::in_space(-0.1, space::ZOOM_TRANSLATION_GENERIC)),
        },
        speed: Some(speed()),
    });
    round_trip(&RelativeMoveResponse);
    round_trip(&ContinuousMove {
        profile_token: "Profile_1".into(),
        velocity: PtzVector::new(0.3, -0.5, -1.0),
        timeout: Some(Duration::from_millis(1500)),
    });
    round_trip(&ContinuousMoveResponse);
    round_trip(&Stop {
        profile_token: "Profile_1".into(),
        pan_tilt: Some(true),
        zoom: Some(false),
    });
    round_trip(&Stop::all("Profile_1"));
    round_trip(&StopResponse);
}

#[test]
fn presets_and_home_round_trip() {
    round_trip(&GetPresets {
        profile_token: "Profile_1".into(),
    });
    round_trip(&Presets {
        presets: vec![
            Preset {
                token: "1".into(),
                name: Some("Gate".into()),
                position: Some(position()),
            },
            Preset {
                token: "2".into(),
                name: None,
                position: None,
            },
        ],
    });
    round_trip(&SetPreset {
        profile_token: "Profile_1".into(),
        preset_name: Some("Gate".into()),
        preset_token: Some("1".into()),
    });
    round_trip(&SetPresetResponse {
        preset_token: "1".into(),
    });
    round_trip(&RemovePreset {
        profile_token: "Profile_1".into(),
        preset_token: "1".into(),
    });
    round_trip(&RemovePresetResponse);
    round_trip(&GotoPreset {
        profile_token: "Profile_1".into(),
        preset_token: "1".into(),
        speed: Some(speed()),
    });
    round_trip(&GotoPresetResponse);
    round_trip(&GotoHomePosition {
        profile_token: "Profile_1".into(),
        speed: Some(speed()),
    });
    round_trip(&GotoHomePositionResponse);
    round_trip(&SetHomePosition {
        profile_token: "Profile_1".into(),
    });
    round_trip(&SetHomePositionResponse);
}

#[test]
fn auxiliary_and_capabilities_round_trip() {
    round_trip(&SendAuxiliaryCommand {
        profile_token: "Profile_1".into(),
        auxiliary_data: "tt:Wiper|On".into(),
    });
    round_trip(&SendAuxiliaryCommandResponse {
        auxiliary_response: "Wiper on".into(),
    });
    round_trip(&GetServiceCapabilities);
    round_trip(&ServiceCapabilities {
        eflip: Some(true),
        reverse: Some(false),
        get_compatible_configurations: Some(true),
        move_status: Some(true),
        status_position: Some(false),
        move_and_track: vec!["PresetToken".into(), "GeoLocation".into()],
    });
}

#[test]
fn operations_keep_their_names_actions_and_idempotence() {
    fn op<O: Operation>() -> (&'static str, &'static str, Service, bool) {
        (O::NAME, O::ACTION, O::SERVICE, O::IDEMPOTENT)
    }
    let ops = [
        op::<GetNodes>(),
        op::<GetNode>(),
        op::<GetConfigurations>(),
        op::<GetConfiguration>(),
        op::<GetCompatibleConfigurations>(),
        op::<GetConfigurationOptions>(),
        op::<GetStatus>(),
        op::<AbsoluteMove>(),
        op::<RelativeMove>(),
        op::<ContinuousMove>(),
        op::<Stop>(),
        op::<GetPresets>(),
        op::<SetPreset>(),
        op::<RemovePreset>(),
        op::<GotoPreset>(),
        op::<GotoHomePosition>(),
        op::<SetHomePosition>(),
        op::<SendAuxiliaryCommand>(),
        op::<GetServiceCapabilities>(),
    ];
    // Done twice, these would do twice (or fail the second time).
    let not_idempotent = [
        "RelativeMove",
        "SetPreset",
        "RemovePreset",
        "SendAuxiliaryCommand",
    ];
    for (name, action, service, idempotent) in ops {
        assert_eq!(
            action,
            format!("http://www.onvif.org/ver20/ptz/wsdl/{name}")
        );
        assert_eq!(service, Service::Ptz);
        assert_eq!(idempotent, !not_idempotent.contains(&name), "{name}");
    }
}
