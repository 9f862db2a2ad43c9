//! PTZ (ver20): round trips of every request and response type, strict reading of requests,
//! and every recorded PTZ answer in the captures read into typed values, with values checked
//! per camera against the files.
//!
//! Captures are read in place from `../shared/captures` (next to the project) or from the
//! directory in `ONVIF_CAPTURES`; without them the capture tests say so and pass.
//! Nothing here opens a socket: addresses are values, written, read and compared.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use onvif_proto::ops::profile::FloatRange;
use onvif_proto::ops::ptz::scale::{self, Axis, Motion};
use onvif_proto::ops::ptz::*;
use onvif_proto::ops::{Operation, Service};
use onvif_proto::xml::Element;
use onvif_proto::{Envelope, Error, Message, decode, ns, soap};
use onvif_testkit::captures::{captures_dir, index, read, read_as, try_read_as};
use onvif_testkit::message::{read_body, round_trip, write};

// ---------------------------------------------------------------------------------------------
// Helpers

fn range(min: f64, max: f64) -> FloatRange {
    FloatRange { min, max }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn pan_tilt(v: &PtzVector) -> (f64, f64) {
    let p = v.pan_tilt.as_ref().unwrap();
    (p.x, p.y)
}

fn zoom(v: &PtzVector) -> f64 {
    v.zoom.as_ref().unwrap().x
}

// ---------------------------------------------------------------------------------------------
// Sample values

fn full_spaces() -> PtzSpaces {
    PtzSpaces {
        absolute_pan_tilt: vec![
            Space2D::new(space::PAN_TILT_POSITION_GENERIC, (-1.0, 1.0), (-1.0, 1.0)),
            Space2D::new(
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                (f64::NEG_INFINITY, f64::INFINITY),
                (-180.0, 180.0),
            ),
        ],
        absolute_zoom: vec![Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 0.5))],
        relative_pan_tilt: vec![Space2D::new(
            space::PAN_TILT_TRANSLATION_GENERIC,
            (-1.0, 1.0),
            (-1.0, 1.0),
        )],
        relative_zoom: vec![Space1D::new(space::ZOOM_TRANSLATION_GENERIC, (-1.0, 1.0))],
        continuous_pan_tilt: vec![Space2D::new(
            space::PAN_TILT_VELOCITY_GENERIC,
            (-1.0, 1.0),
            (-1.0, 1.0),
        )],
        continuous_zoom: vec![Space1D::new(space::ZOOM_VELOCITY_GENERIC, (-1.0, 1.0))],
        pan_tilt_speed: vec![Space1D::new(space::PAN_TILT_SPEED_GENERIC, (0.0, 1.0))],
        zoom_speed: vec![Space1D::new(space::ZOOM_SPEED_GENERIC, (0.0, 1.0))],
    }
}

fn node() -> PtzNode {
    PtzNode {
        token: "PTZNode_1".into(),
        name: Some("Main <head> & co".into()),
        fixed_home_position: Some(false),
        supported_spaces: full_spaces(),
        max_presets: Some(16),
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

fn configuration() -> PtzConfiguration {
    PtzConfiguration {
        token: "PTZConfig_1".into(),
        name: Some("PTZ".into()),
        use_count: Some(2),
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
            space::PAN_TILT_POSITION_GENERIC,
            (-1.0, 1.0),
            (-0.5, 1.0),
        )),
        zoom_limits: Some(Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 1.0))),
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips

#[test]
fn requests_round_trip() {
    round_trip(&GetNodes);
    round_trip(&GetNode {
        node_token: "PTZNode_1".into(),
    });
    round_trip(&GetConfigurations);
    round_trip(&GetConfiguration {
        configuration_token: "PTZConfig_1".into(),
    });
    round_trip(&GetCompatibleConfigurations {
        profile_token: "Profile_1".into(),
    });
    round_trip(&GetConfigurationOptions {
        configuration_token: "PTZConfig_1".into(),
    });
    round_trip(&GetStatus {
        profile_token: "Profile_1".into(),
    });
    round_trip(&AbsoluteMove {
        profile_token: "Profile_1".into(),
        position: PtzVector::new(0.5, -0.25, 0.75),
        speed: Some(speed()),
    });
    round_trip(&AbsoluteMove {
        profile_token: "p".into(),
        position: PtzVector {
            pan_tilt: Some(Vector2D::in_space(
                -179.5,
                45.0,
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
            )),
            zoom: None,
        },
        speed: None,
    });
    round_trip(&RelativeMove {
        profile_token: "Profile_1".into(),
        translation: PtzVector {
            pan_tilt: None,
            zoom: Some(Vector1D::new(-0.1)),
        },
        speed: Some(PtzVector::default()),
    });
    round_trip(&ContinuousMove {
        profile_token: "Profile_1".into(),
        velocity: PtzVector::new(0.3, 0.0, -1.0),
        timeout: Some(Duration::from_millis(1500)),
    });
    round_trip(&ContinuousMove {
        profile_token: "Profile_1".into(),
        velocity: PtzVector::default(),
        timeout: None,
    });
    round_trip(&Stop::all("Profile_1"));
    round_trip(&Stop {
        profile_token: "Profile_1".into(),
        pan_tilt: Some(true),
        zoom: Some(false),
    });
    round_trip(&GetPresets {
        profile_token: "Profile_1".into(),
    });
    round_trip(&SetPreset {
        profile_token: "Profile_1".into(),
        preset_name: Some("Gate <north> & \"east\"".into()),
        preset_token: Some("Preset_3".into()),
    });
    round_trip(&SetPreset {
        profile_token: "Profile_1".into(),
        preset_name: None,
        preset_token: None,
    });
    round_trip(&RemovePreset {
        profile_token: "Profile_1".into(),
        preset_token: "Preset_3".into(),
    });
    round_trip(&GotoPreset {
        profile_token: "Profile_1".into(),
        preset_token: "Preset_3".into(),
        speed: Some(speed()),
    });
    round_trip(&GotoHomePosition {
        profile_token: "Profile_1".into(),
        speed: None,
    });
    round_trip(&GotoHomePosition {
        profile_token: "Profile_1".into(),
        speed: Some(speed()),
    });
    round_trip(&SetHomePosition {
        profile_token: "Profile_1".into(),
    });
    round_trip(&GetServiceCapabilities);
    round_trip(&SendAuxiliaryCommand {
        profile_token: "Profile_1".into(),
        auxiliary_data: "tt:Wiper|On".into(),
    });
}

#[test]
fn responses_round_trip() {
    let bare = PtzNode {
        token: "n2".into(),
        max_presets: Some(0),
        ..PtzNode::default()
    };
    round_trip(&Nodes {
        nodes: vec![node(), bare],
    });
    round_trip(&Nodes::default());
    round_trip(&Node { node: node() });
    let minimal = PtzConfiguration {
        token: "c2".into(),
        name: Some("c2".into()),
        use_count: Some(1),
        node_token: Some("n2".into()),
        ..PtzConfiguration::default()
    };
    round_trip(&Configurations {
        configurations: vec![configuration(), minimal.clone()],
    });
    round_trip(&CompatibleConfigurations {
        configurations: vec![minimal],
    });
    round_trip(&Configuration {
        configuration: configuration(),
    });
    round_trip(&ConfigurationOptions {
        options: PtzConfigurationOptions {
            spaces: full_spaces(),
            timeout: Some(DurationRange {
                min: Duration::from_millis(100),
                max: Duration::from_secs(3600),
            }),
        },
    });
    round_trip(&ConfigurationOptions::default());
    round_trip(&Status {
        status: PtzStatus {
            position: Some(PtzVector {
                pan_tilt: Some(Vector2D::in_space(
                    0.1,
                    -0.2,
                    space::PAN_TILT_POSITION_GENERIC,
                )),
                zoom: Some(Vector1D::in_space(0.3, space::ZOOM_POSITION_GENERIC)),
            }),
            move_status: Some(PtzMoveStatus {
                pan_tilt: Some(MoveStatus::Moving),
                zoom: Some(MoveStatus::Idle),
            }),
            error: Some("motor <stalled>".into()),
            utc_time: Some("2025-04-05T20:37:31.25Z".parse().unwrap()),
        },
    });
    round_trip(&Status::default());
    round_trip(&Presets {
        presets: vec![
            Preset {
                token: "Preset_1".into(),
                name: Some("Entrance".into()),
                position: Some(PtzVector::new(0.5, 0.25, 0.0)),
            },
            Preset {
                token: "2".into(),
                name: None,
                position: None,
            },
        ],
    });
    round_trip(&Presets::default());
    round_trip(&SetPresetResponse {
        preset_token: "Preset_9".into(),
    });
    round_trip(&AbsoluteMoveResponse);
    round_trip(&RelativeMoveResponse);
    round_trip(&ContinuousMoveResponse);
    round_trip(&StopResponse);
    round_trip(&RemovePresetResponse);
    round_trip(&GotoPresetResponse);
    round_trip(&GotoHomePositionResponse);
    round_trip(&SetHomePositionResponse);
    round_trip(&SendAuxiliaryCommandResponse {
        auxiliary_response: "tt:Wiper|On".into(),
    });
    round_trip(&ServiceCapabilities {
        eflip: Some(false),
        reverse: Some(true),
        get_compatible_configurations: Some(false),
        move_status: Some(true),
        status_position: Some(true),
        move_and_track: vec!["PresetToken".into(), "PTZVector".into()],
    });
    round_trip(&ServiceCapabilities::default());
}

#[test]
fn operations_carry_their_service_and_action() {
    fn check<O: Operation>(name: &str, idempotent: bool) {
        assert_eq!(O::SERVICE, Service::Ptz);
        assert_eq!(O::NAME, name);
        assert_eq!(O::ACTION, format!("{}/{name}", ns::TPTZ));
        assert_eq!(O::IDEMPOTENT, idempotent, "{name}");
    }
    check::<GetNodes>("GetNodes", true);
    check::<GetNode>("GetNode", true);
    check::<GetConfigurations>("GetConfigurations", true);
    check::<GetConfiguration>("GetConfiguration", true);
    check::<GetCompatibleConfigurations>("GetCompatibleConfigurations", true);
    check::<GetConfigurationOptions>("GetConfigurationOptions", true);
    check::<GetStatus>("GetStatus", true);
    check::<AbsoluteMove>("AbsoluteMove", true);
    check::<RelativeMove>("RelativeMove", false);
    check::<ContinuousMove>("ContinuousMove", true);
    check::<Stop>("Stop", true);
    check::<GetPresets>("GetPresets", true);
    check::<SetPreset>("SetPreset", false);
    check::<RemovePreset>("RemovePreset", false);
    check::<GotoPreset>("GotoPreset", true);
    check::<GotoHomePosition>("GotoHomePosition", true);
    check::<SetHomePosition>("SetHomePosition", true);
    check::<GetServiceCapabilities>("GetServiceCapabilities", true);
    check::<SendAuxiliaryCommand>("SendAuxiliaryCommand", false);
}

fn child_names(el: &Element) -> Vec<&str> {
    el.children.iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn writing_follows_the_schema_order() {
    let env = soap::envelope(
        None,
        &write(&Configuration {
            configuration: configuration(),
        }),
    );
    let env = Envelope::parse(env.as_bytes()).unwrap();
    let c = env.payload().unwrap().first_child().unwrap();
    assert_eq!(
        child_names(c),
        [
            "Name",
            "UseCount",
            "NodeToken",
            "DefaultAbsolutePantTiltPositionSpace",
            "DefaultAbsoluteZoomPositionSpace",
            "DefaultRelativePanTiltTranslationSpace",
            "DefaultRelativeZoomTranslationSpace",
            "DefaultContinuousPanTiltVelocitySpace",
            "DefaultContinuousZoomVelocitySpace",
            "DefaultPTZSpeed",
            "DefaultPTZTimeout",
            "PanTiltLimits",
            "ZoomLimits",
        ]
    );
    let env = soap::envelope(None, &write(&Node { node: node() }));
    let env = Envelope::parse(env.as_bytes()).unwrap();
    let n = env.payload().unwrap().first_child().unwrap();
    assert_eq!(
        child_names(n),
        [
            "Name",
            "SupportedPTZSpaces",
            "MaximumNumberOfPresets",
            "HomeSupported",
            "AuxiliaryCommands",
            "AuxiliaryCommands",
        ]
    );
    let spaces: Vec<&str> = child_names(n.child(ns::TT, "SupportedPTZSpaces").unwrap());
    assert_eq!(
        spaces,
        [
            "AbsolutePanTiltPositionSpace",
            "AbsolutePanTiltPositionSpace",
            "AbsoluteZoomPositionSpace",
            "RelativePanTiltTranslationSpace",
            "RelativeZoomTranslationSpace",
            "ContinuousPanTiltVelocitySpace",
            "ContinuousZoomVelocitySpace",
            "PanTiltSpeedSpace",
            "ZoomSpeedSpace",
        ]
    );
    // Infinite bounds are written as xs:float spells them.
    assert!(write(&Node { node: node() }).contains("<tt:Min>-INF</tt:Min>"));
    let set = write(&SetPreset {
        profile_token: "p".into(),
        preset_name: Some("n".into()),
        preset_token: Some("t".into()),
    });
    let name_at = set.find("PresetName").unwrap();
    assert!(name_at < set.find("PresetToken").unwrap(), "{set}");
    let cm = write(&ContinuousMove {
        profile_token: "p".into(),
        velocity: PtzVector::new(0.5, 0.0, 0.0),
        timeout: Some(Duration::from_secs(2)),
    });
    assert!(
        cm.ends_with("<tptz:Timeout>PT2S</tptz:Timeout></tptz:ContinuousMove>"),
        "{cm}"
    );
}

#[test]
fn requests_are_read_strictly() {
    let bad = [
        // A coordinate that is not a number.
        r#"<tptz:AbsoluteMove><tptz:ProfileToken>p</tptz:ProfileToken><tptz:Position><tt:PanTilt x="left" y="0"/></tptz:Position></tptz:AbsoluteMove>"#,
        // Tilt missing.
        r#"<tptz:AbsoluteMove><tptz:ProfileToken>p</tptz:ProfileToken><tptz:Position><tt:PanTilt x="0.5"/></tptz:Position></tptz:AbsoluteMove>"#,
        // Infinite coordinates are not positions.
        r#"<tptz:AbsoluteMove><tptz:ProfileToken>p</tptz:ProfileToken><tptz:Position><tt:Zoom x="INF"/></tptz:Position></tptz:AbsoluteMove>"#,
        // No Position at all.
        r#"<tptz:AbsoluteMove><tptz:ProfileToken>p</tptz:ProfileToken></tptz:AbsoluteMove>"#,
    ];
    for b in bad {
        assert!(read_body::<AbsoluteMove>(b).is_err(), "{b}");
    }
    let e = read_body::<ContinuousMove>(
        r#"<tptz:ContinuousMove><tptz:ProfileToken>p</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x="1" y="0"/></tptz:Velocity><tptz:Timeout>soon</tptz:Timeout></tptz:ContinuousMove>"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("xs:duration"), "{e}");
    assert!(
        read_body::<Stop>(
            r#"<tptz:Stop><tptz:ProfileToken>p</tptz:ProfileToken><tptz:PanTilt>maybe</tptz:PanTilt></tptz:Stop>"#
        )
        .is_err()
    );
    assert!(
        read_body::<GotoPreset>(
            r#"<tptz:GotoPreset><tptz:ProfileToken>p</tptz:ProfileToken></tptz:GotoPreset>"#
        )
        .is_err()
    );
    // The same vector in an answer is read leniently: the bad part is dropped.
    let p: Presets = read_body(
        r#"<tptz:GetPresetsResponse><tptz:Preset token="1"><tt:PTZPosition><tt:PanTilt x="left" y="0"/><tt:Zoom x="0.5"/></tt:PTZPosition></tptz:Preset></tptz:GetPresetsResponse>"#,
    )
    .unwrap();
    let pos = p.presets[0].position.as_ref().unwrap();
    assert!(pos.pan_tilt.is_none());
    assert_eq!(zoom(pos), 0.5);
    // A space with an unreadable range is left out of an answer, the others stay.
    let n: Node = read_body(
        r#"<tptz:GetNodeResponse><tptz:PTZNode token="n"><tt:SupportedPTZSpaces><tt:AbsoluteZoomPositionSpace><tt:URI>urn:a</tt:URI><tt:XRange><tt:Min>x</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:AbsoluteZoomPositionSpace><tt:AbsoluteZoomPositionSpace><tt:URI>urn:b</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>INF</tt:Max></tt:XRange></tt:AbsoluteZoomPositionSpace></tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>many</tt:MaximumNumberOfPresets><tt:HomeSupported>yes</tt:HomeSupported></tptz:PTZNode></tptz:GetNodeResponse>"#,
    )
    .unwrap();
    let zs = &n.node.supported_spaces.absolute_zoom;
    assert_eq!(zs.len(), 1);
    assert_eq!(zs[0].uri, "urn:b");
    assert_eq!(zs[0].x_range.max, f64::INFINITY);
    assert_eq!(n.node.max_presets, None);
    assert!(!n.node.home_supported);
    // Old-style move status: the status as text applies to both groups.
    let s: Status = read_body(
        r#"<tptz:GetStatusResponse><tptz:PTZStatus><tt:MoveStatus>MOVING</tt:MoveStatus><tt:UtcTime>garbage</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>"#,
    )
    .unwrap();
    let m = s.status.move_status.unwrap();
    assert_eq!(m.pan_tilt, Some(MoveStatus::Moving));
    assert_eq!(m.zoom, Some(MoveStatus::Moving));
    assert!(m.moving());
    assert_eq!(s.status.utc_time, None);
}

#[test]
fn answers_serialise_to_json() {
    let c = serde_json::to_value(Configuration {
        configuration: configuration(),
    })
    .unwrap();
    assert_eq!(c["default_timeout"], "PT2.5S");
    assert_eq!(c["token"], "PTZConfig_1");
    assert_eq!(c["default_speed"]["pan_tilt"]["x"], 0.5);
    let s = serde_json::to_value(Status {
        status: PtzStatus {
            move_status: Some(PtzMoveStatus {
                pan_tilt: Some(MoveStatus::Idle),
                zoom: None,
            }),
            utc_time: Some("2024-01-02T03:04:05Z".parse().unwrap()),
            ..PtzStatus::default()
        },
    })
    .unwrap();
    assert_eq!(s["move_status"]["pan_tilt"], "IDLE");
    assert_eq!(s["utc_time"], "2024-01-02T03:04:05Z");
}

// ---------------------------------------------------------------------------------------------
// Every PTZ capture

type Reader = fn(&Element) -> Result<String, Error>;

fn typed<M: Message + serde::Serialize>(el: &Element) -> Result<String, Error> {
    M::read(el).map(|v| serde_json::to_string(&v).unwrap())
}

/// The PTZ responses this library types, by name (all in the PTZ namespace).
const TYPED: &[(&str, Reader)] = &[
    ("GetNodesResponse", typed::<Nodes>),
    ("GetNodeResponse", typed::<Node>),
    ("GetConfigurationsResponse", typed::<Configurations>),
    (
        "GetCompatibleConfigurationsResponse",
        typed::<CompatibleConfigurations>,
    ),
    ("GetConfigurationResponse", typed::<Configuration>),
    (
        "GetConfigurationOptionsResponse",
        typed::<ConfigurationOptions>,
    ),
    ("GetStatusResponse", typed::<Status>),
    ("GetPresetsResponse", typed::<Presets>),
    ("SetPresetResponse", typed::<SetPresetResponse>),
    ("GotoPresetResponse", typed::<GotoPresetResponse>),
    ("RemovePresetResponse", typed::<RemovePresetResponse>),
    ("AbsoluteMoveResponse", typed::<AbsoluteMoveResponse>),
    ("RelativeMoveResponse", typed::<RelativeMoveResponse>),
    ("ContinuousMoveResponse", typed::<ContinuousMoveResponse>),
    ("StopResponse", typed::<StopResponse>),
    (
        "GotoHomePositionResponse",
        typed::<GotoHomePositionResponse>,
    ),
    ("SetHomePositionResponse", typed::<SetHomePositionResponse>),
    (
        "SendAuxiliaryCommandResponse",
        typed::<SendAuxiliaryCommandResponse>,
    ),
    (
        "GetServiceCapabilitiesResponse",
        typed::<ServiceCapabilities>,
    ),
];

/// Answers in the PTZ namespace that are not PTZ operations: agsh's imaging SetCurrentPreset
/// answer carries the PTZ namespace by mistake.
const NOT_PTZ: &[&str] = &["SetCurrentPresetResponse"];

/// Is this capture in a PTZ folder or named as a PTZ answer?
fn ptz_path(file: &str) -> bool {
    file.contains("/ptz/") || file.contains("agsh-onvif/ptz.") || file.contains("_ptz_")
}

#[test]
fn every_ptz_capture_reads_into_typed_values() {
    let Some(dir) = captures_dir() else { return };
    let mut typed_ok = Vec::new();
    let mut clear_errors = Vec::new();
    let mut failures = Vec::new();
    let mut seen_ops = std::collections::BTreeSet::new();
    for row in index(&dir) {
        let bytes = read(&dir, &row.file);
        let env = match Envelope::parse(&bytes) {
            Ok(env) => env,
            Err(e) => {
                if ptz_path(&row.file) {
                    if row.well_formed() {
                        failures.push(format!("{}: well-formed, but: {e}", row.file));
                    } else {
                        clear_errors.push(format!("{}: {e}", row.file));
                    }
                }
                continue;
            }
        };
        let Some(first) = env.body.first_child() else {
            continue;
        };
        let ours = first.ns.as_deref() == Some(ns::TPTZ) || (first.unbound && ptz_path(&row.file));
        if !ours {
            if ptz_path(&row.file) && env.fault().is_none() {
                failures.push(format!(
                    "{}: in a PTZ folder but {{{:?}}}{}",
                    row.file, first.ns, first.name
                ));
            }
            continue;
        }
        if NOT_PTZ.contains(&first.name.as_str()) {
            continue;
        }
        let Some((_, read)) = TYPED.iter().find(|(name, _)| *name == first.name) else {
            failures.push(format!("{}: {} is not typed", row.file, first.name));
            continue;
        };
        if first.name != row.op() {
            failures.push(format!(
                "{}: the Body holds {}, the index says {}",
                row.file,
                first.name,
                row.op()
            ));
        }
        match read(first) {
            Ok(json) => {
                seen_ops.insert(first.name.clone());
                // The decoder registry knows it too, by namespace, and reads the same value.
                let d = decode::decode(&bytes).unwrap();
                let json: serde_json::Value = serde_json::from_str(&json).unwrap();
                if d.kind != "typed" {
                    failures.push(format!(
                        "{}: decode() says {} ({:?})",
                        row.file, d.kind, d.typed_error
                    ));
                } else if d.data.as_ref() != Some(&json) {
                    failures.push(format!("{}: decode() read another value", row.file));
                } else if decode::decoder_for(first).map(|d| d.ns) != Some(ns::TPTZ) {
                    failures.push(format!("{}: decoded as another service's", row.file));
                }
                typed_ok.push(format!("{}: {}", row.file, first.name));
            }
            Err(e) if !row.well_formed() => clear_errors.push(format!("{}: {e}", row.file)),
            Err(e) => failures.push(format!("{}: {e}", row.file)),
        }
    }
    eprintln!("typed ({}):", typed_ok.len());
    for t in &typed_ok {
        eprintln!("  {t}");
    }
    eprintln!("refused with a clear error ({}):", clear_errors.len());
    for t in &clear_errors {
        eprintln!("  {t}");
    }
    assert!(
        failures.is_empty(),
        "{} PTZ capture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The broken SUNBA.405 GetPresets (an unclosed wsse:Security) is the only expected refusal.
    assert!(
        clear_errors
            .iter()
            .all(|e| e.starts_with("easy_onvif/SUNBA.405/ptz/GetPresetsResponse.xml")),
        "{clear_errors:?}"
    );
    for op in [
        "GetNodesResponse",
        "GetNodeResponse",
        "GetConfigurationsResponse",
        "GetConfigurationResponse",
        "GetConfigurationOptionsResponse",
        "GetStatusResponse",
        "GetPresetsResponse",
        "SetPresetResponse",
        "GotoPresetResponse",
        "RemovePresetResponse",
        "AbsoluteMoveResponse",
        "RelativeMoveResponse",
        "ContinuousMoveResponse",
        "StopResponse",
        "GotoHomePositionResponse",
        "SetHomePositionResponse",
        "GetServiceCapabilitiesResponse",
    ] {
        assert!(seen_ops.contains(op), "no capture of {op} was read");
    }
    assert!(typed_ok.len() >= 95, "only {} typed", typed_ok.len());
}

/// Another service's answer with a PTZ answer's local name is not read as PTZ.
#[test]
fn same_names_in_other_services_are_told_apart() {
    let Some(dir) = captures_dir() else { return };
    for file in [
        "easy_onvif/ENP1A14-IR_25X/media1/GetServiceCapabilitiesResponse.xml",
        "easy_onvif/IPG-8150PSS/device_management/GetServiceCapabilitiesResponse.xml",
    ] {
        let env = Envelope::parse(&read(&dir, file)).unwrap();
        let el = env.payload().unwrap();
        assert!(ServiceCapabilities::read(el).is_err(), "{file}");
        assert_ne!(decode::decoder_for(el).map(|d| d.ns), Some(ns::TPTZ));
    }
    let stop = r#"<timg:StopResponse/>"#;
    assert!(read_body::<StopResponse>(stop).is_err());
    assert!(read_body::<onvif_proto::ops::imaging::StopResponse>(stop).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Values, read by eye from the files

fn status(dir: &Path, file: &str) -> PtzStatus {
    read_as::<Status>(dir, file).status
}

#[test]
fn ex_onvif_values() {
    let Some(dir) = captures_dir() else { return };
    let nodes: Nodes = read_as(&dir, "ex_onvif/get_ptz_nodes.xml");
    let n = &nodes.nodes[0];
    assert_eq!(n.token, "PTZNodeToken");
    assert_eq!(n.name.as_deref(), Some("PTZNode"));
    assert_eq!(n.max_presets, Some(300));
    assert!(n.home_supported);
    assert_eq!(n.auxiliary_commands.len(), 11);
    assert_eq!(n.auxiliary_commands[0], "focusout");
    assert_eq!(n.auxiliary_commands[10], "brushon");
    let s = &n.supported_spaces;
    assert_eq!(s.absolute_pan_tilt[0].uri, space::PAN_TILT_POSITION_GENERIC);
    assert_eq!(s.absolute_pan_tilt[0].x_range, range(-1.0, 1.0));
    assert_eq!(s.absolute_zoom[0].x_range, range(0.0, 1.0));
    assert_eq!(s.pan_tilt_speed[0].uri, space::PAN_TILT_SPEED_GENERIC);
    assert_eq!(s.zoom_speed[0].uri, space::ZOOM_SPEED_GENERIC);
    assert_eq!(s.relative_zoom[0].x_range, range(-1.0, 1.0));

    let one: Node = read_as(&dir, "ex_onvif/get_ptz_node.xml");
    assert_eq!(one.node.token, "PTZNodeToken002");
    assert_eq!(one.node.max_presets, Some(255));
    assert!(!one.node.home_supported);
    assert!(one.node.supported_spaces.absolute_pan_tilt.is_empty());
    assert_eq!(
        one.node.supported_spaces.continuous_pan_tilt[0].uri,
        space::PAN_TILT_VELOCITY_GENERIC
    );
    assert_eq!(one.node.supported_spaces.continuous_zoom.len(), 1);

    let c: Configurations = read_as(&dir, "ex_onvif/get_ptz_configurations.xml");
    let c = &c.configurations[0];
    assert_eq!(c.token, "PTZToken");
    assert_eq!(c.node_token.as_deref(), Some("PTZNodeToken"));
    assert_eq!(
        c.default_absolute_pan_tilt_space.as_deref(),
        Some(space::PAN_TILT_POSITION_GENERIC)
    );
    assert_eq!(c.default_timeout, Some(Duration::from_secs(1)));
    let sp = c.default_speed.as_ref().unwrap();
    assert_eq!(pan_tilt(sp), (0.1, 0.1));
    assert_eq!(zoom(sp), 1.0);
    assert_eq!(c.zoom_limits.as_ref().unwrap().x_range, range(-1.0, 1.0));

    let st = status(&dir, "ex_onvif/get_ptz_status.xml");
    let pos = st.position.as_ref().unwrap();
    assert_eq!(pan_tilt(pos), (0.164178, -0.618316));
    assert_eq!(zoom(pos), 0.0);
    assert_eq!(
        pos.pan_tilt.as_ref().unwrap().space.as_deref(),
        Some(space::PAN_TILT_POSITION_GENERIC)
    );
    assert_eq!(
        st.move_status,
        Some(PtzMoveStatus {
            pan_tilt: Some(MoveStatus::Idle),
            zoom: Some(MoveStatus::Idle)
        })
    );
    assert_eq!(st.utc_time.unwrap().to_string(), "2025-04-05T20:37:31Z");

    let p: Presets = read_as(&dir, "ex_onvif/get_ptz_presets.xml");
    assert_eq!(p.presets.len(), 2);
    assert_eq!(p.presets[0].token, "PresetToken001");
    assert_eq!(p.presets[0].name.as_deref(), Some("Entrance"));
    assert_eq!(
        pan_tilt(p.presets[0].position.as_ref().unwrap()),
        (0.5, 0.25)
    );
    assert_eq!(p.presets[1].name.as_deref(), Some("Parking"));
    assert_eq!(
        pan_tilt(p.presets[1].position.as_ref().unwrap()),
        (-0.3, -0.1)
    );
    assert_eq!(zoom(p.presets[1].position.as_ref().unwrap()), 0.5);

    let set: SetPresetResponse = read_as(&dir, "ex_onvif/set_ptz_preset.xml");
    assert_eq!(set.preset_token, "PresetToken001");
    let caps: ServiceCapabilities = read_as(&dir, "ex_onvif/get_ptz_service_capabilities.xml");
    assert_eq!(caps.eflip, Some(false));
    assert_eq!(caps.get_compatible_configurations, Some(true));
    assert_eq!(caps.move_status, Some(true));
    assert_eq!(caps.status_position, Some(true));
    assert_eq!(
        caps.flags().get("MoveStatus").map(String::as_str),
        Some("true")
    );
}

#[test]
fn agsh_onvif_values() {
    let Some(dir) = captures_dir() else { return };
    let nodes: Nodes = read_as(&dir, "agsh-onvif/GetNodes.xml");
    let n = &nodes.nodes[0];
    assert_eq!(n.token, "default");
    assert_eq!(n.max_presets, Some(360));
    // This camera's generic pan/tilt position space is 0..1, not -1..1.
    assert_eq!(
        n.supported_spaces.absolute_pan_tilt[0].x_range,
        range(0.0, 1.0)
    );
    assert_eq!(
        n.supported_spaces.absolute_pan_tilt[0].y_range,
        range(0.0, 1.0)
    );
    let m = scale::map_user_value(&n.supported_spaces, Axis::Pan, Motion::Absolute, -1.0).unwrap();
    assert_eq!(m.value, 0.0);
    let m = scale::map_user_value(&n.supported_spaces, Axis::Tilt, Motion::Absolute, 0.0).unwrap();
    assert_eq!(m.value, 0.5);
    assert_eq!(
        n.auxiliary_commands,
        [
            "AUX1", "AUX2", "AUX3", "AUX4", "AUX5", "AUX6", "AUX7", "AUX8"
        ]
    );

    let c: Configurations = read_as(&dir, "agsh-onvif/GetConfigurations.xml");
    let c = &c.configurations[0];
    assert_eq!(c.token, "default");
    assert_eq!(
        c.default_timeout,
        Some(Duration::from_millis(1_093_754_348))
    );
    assert_eq!(pan_tilt(c.default_speed.as_ref().unwrap()), (1.0, 1.0));
    assert!(c.pan_tilt_limits.is_none());

    let o: ConfigurationOptions = read_as(&dir, "agsh-onvif/GetConfigurationOptions.xml");
    assert_eq!(
        o.options.timeout,
        Some(DurationRange {
            min: Duration::ZERO,
            max: Duration::from_secs(10)
        })
    );
    assert_eq!(
        o.options.spaces.relative_pan_tilt[0].x_range,
        range(-1.0, 1.0)
    );

    let st = status(&dir, "agsh-onvif/GetStatus.xml");
    let pos = st.position.as_ref().unwrap();
    assert_eq!(pan_tilt(pos), (-0.864665985, 0.267444015));
    assert_eq!(zoom(pos), 0.211861998);

    // A template: the placeholders are text between presets, which the reader ignores.
    let p: Presets = read_as(&dir, "agsh-onvif/ptz.GetPresets.xml");
    assert_eq!(p.presets.len(), 46);
    assert_eq!(p.presets[0].token, "P001");
    assert_eq!(p.presets[45].token, "Home2");
    assert_eq!(p.presets[45].name.as_deref(), Some("Home"));
    assert!(p.presets.iter().all(|p| p.position.is_none()));
    let set: SetPresetResponse = read_as(&dir, "agsh-onvif/ptz.SetPreset.xml");
    assert_eq!(set.preset_token, "20");
}

#[test]
fn enp1a14_values() {
    let Some(dir) = captures_dir() else { return };
    let base = "easy_onvif/ENP1A14-IR_25X/ptz";
    let o: ConfigurationOptions =
        read_as(&dir, &format!("{base}/GetConfigurationOptionsResponse.xml"));
    let s = &o.options.spaces;
    assert_eq!(s.relative_pan_tilt.len(), 2);
    assert_eq!(
        s.relative_pan_tilt[1].uri,
        "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationSpaceFov"
    );
    assert_eq!(s.continuous_pan_tilt[1].x_range, range(-7.0, 7.0));
    assert_eq!(
        s.continuous_zoom[1].uri,
        "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocitySpaceMillimeter"
    );
    // The generic space is picked over the first-listed one when both exist.
    let (uri, r) = scale::space_for(s, Axis::Pan, Motion::Continuous).unwrap();
    assert_eq!(
        (uri, r),
        (space::PAN_TILT_VELOCITY_GENERIC, range(-1.0, 1.0))
    );
    assert_eq!(
        o.options.timeout,
        Some(DurationRange {
            min: Duration::from_secs(1),
            max: Duration::from_secs(600)
        })
    );

    let c: Configuration = read_as(&dir, &format!("{base}/GetConfigurationResponse.xml"));
    let c = c.configuration;
    assert_eq!(c.token, "PTZToken");
    assert_eq!(c.use_count, Some(3));
    assert_eq!(c.node_token.as_deref(), Some("PTZNODETOKEN"));
    assert_eq!(c.default_timeout, Some(Duration::from_secs(300)));
    assert_eq!(
        c.pan_tilt_limits.as_ref().unwrap().y_range,
        range(-1.0, 1.0)
    );
    assert_eq!(c.zoom_limits.as_ref().unwrap().x_range, range(0.0, 1.0));
    let cs: Configurations = read_as(&dir, &format!("{base}/GetConfigurationsResponse.xml"));
    assert_eq!(cs.configurations, [c]);

    let st = status(&dir, &format!("{base}/GetStatusResponse.xml"));
    let pos = st.position.as_ref().unwrap();
    assert_eq!(pan_tilt(pos), (0.801444, -0.982444));
    assert_eq!(zoom(pos), 0.05375);
    assert_eq!(st.error.as_deref(), Some("NO error"));
    assert_eq!(st.move_status, None);

    let p: Presets = read_as(&dir, &format!("{base}/GetPresetsResponse.xml"));
    assert_eq!(p.presets.len(), 300);
    let first = &p.presets[0];
    assert_eq!(
        (first.token.as_str(), first.name.as_deref()),
        ("1", Some("MIMBER"))
    );
    let pos = first.position.as_ref().unwrap();
    assert_eq!(pan_tilt(pos), (-0.198778, -0.982444));
    assert_eq!(zoom(pos), 0.05375);
    assert_eq!(pos.pan_tilt.as_ref().unwrap().space, None);
    let last = &p.presets[299];
    assert_eq!(last.token, "300");
    assert_eq!(last.name.as_deref(), Some("Preset 300"));
    assert_eq!(pan_tilt(last.position.as_ref().unwrap()), (-1.0, -1.0));

    let set: SetPresetResponse = read_as(&dir, &format!("{base}/SetPresetResponse.xml"));
    assert_eq!(set.preset_token, "21");
    let caps: ServiceCapabilities =
        read_as(&dir, &format!("{base}/GetServiceCapabilitiesResponse.xml"));
    assert_eq!(caps.move_status, Some(false));
    assert_eq!(caps.status_position, Some(true));
    let compat: CompatibleConfigurations = read_as(
        &dir,
        &format!("{base}/GetCompatibleConfigurationsResponse.xml"),
    );
    assert_eq!(compat.configurations[0].token, "PTZToken");
}

#[test]
fn ipd_h4k8m05_values() {
    let Some(dir) = captures_dir() else { return };
    let base = "easy_onvif/IPD-H4K8M05-BS/ptz";
    let o: ConfigurationOptions =
        read_as(&dir, &format!("{base}/GetConfigurationOptionsResponse.xml"));
    let s = &o.options.spaces;
    // Speeds on a 1..8 and 1..3 scale: the user's 0..1 maps onto them.
    assert_eq!(s.pan_tilt_speed[0].x_range, range(1.0, 8.0));
    assert_eq!(s.zoom_speed[0].x_range, range(1.0, 3.0));
    let sp = scale::speed(s, Some(1.0), Some(0.5)).unwrap();
    assert_eq!(pan_tilt(&sp), (8.0, 8.0));
    assert_eq!(zoom(&sp), 2.0);
    assert_eq!(s.relative_zoom[0].x_range, range(0.0, 1.0));
    assert_eq!(
        o.options.timeout,
        Some(DurationRange {
            min: Duration::from_secs(3),
            max: Duration::from_secs(6)
        })
    );
    let c: Configuration = read_as(&dir, &format!("{base}/GetConfigurationResponse.xml"));
    assert_eq!(c.configuration.token, "PTZCFG_CH0");
    assert_eq!(c.configuration.node_token.as_deref(), Some("PTZNODE_CH0"));
    assert_eq!(
        c.configuration.default_timeout,
        Some(Duration::from_secs(60))
    );
    assert_eq!(c.configuration.default_speed, None);
    // Raw motor counts, no space.
    let st = status(&dir, &format!("{base}/GetStatusResponse.xml"));
    let pos = st.position.unwrap();
    assert_eq!(pan_tilt(&pos), (32768.0, 32768.0));
    assert_eq!(zoom(&pos), 12644.0);
    assert_eq!(st.utc_time.unwrap().to_string(), "2025-04-08T15:22:44Z");
    let p: Presets = read_as(&dir, &format!("{base}/GetPresetsResponse.xml"));
    assert_eq!(p.presets.len(), 255);
    assert_eq!(p.presets[254].token, "255");
    assert_eq!(p.presets[254].name.as_deref(), Some("255"));
    let set: SetPresetResponse = read_as(&dir, &format!("{base}/SetPresetResponse.xml"));
    assert_eq!(set.preset_token, "2");
    // An empty GetServiceCapabilitiesResponse: nothing known, not an error.
    let caps: ServiceCapabilities =
        read_as(&dir, &format!("{base}/GetServiceCapabilitiesResponse.xml"));
    assert_eq!(caps, ServiceCapabilities::default());
}

#[test]
fn ipg_8150pss_values() {
    let Some(dir) = captures_dir() else { return };
    let base = "easy_onvif/IPG-8150PSS/ptz";
    let o: ConfigurationOptions =
        read_as(&dir, &format!("{base}/GetConfigurationOptionsResponse.xml"));
    assert_eq!(o.options.spaces.absolute_zoom[0].x_range, range(-1.0, 1.0));
    assert_eq!(o.options.timeout.unwrap().max, Duration::from_secs(100));
    let c: Configuration = read_as(&dir, &format!("{base}/GetConfigurationResponse.xml"));
    assert_eq!(c.configuration.token, "PTZConfigurationToken");
    assert_eq!(c.configuration.node_token.as_deref(), Some("ptz0"));
    let st = status(&dir, &format!("{base}/GetStatusResponse.xml"));
    assert_eq!(pan_tilt(st.position.as_ref().unwrap()), (0.0, 0.0));
    assert_eq!(st.move_status.unwrap().pan_tilt, Some(MoveStatus::Idle));
    let p: Presets = read_as(&dir, &format!("{base}/GetPresetsResponse.xml"));
    assert_eq!(p.presets.len(), 100);
    assert_eq!(p.presets[0].token, "z_ovf_ptz_01");
    assert_eq!(p.presets[99].token, "z_ovf_ptz_100");
    assert_eq!(zoom(p.presets[99].position.as_ref().unwrap()), 0.0);
    let set: SetPresetResponse = read_as(&dir, &format!("{base}/SetPresetResponse.xml"));
    assert_eq!(set.preset_token, "z_ovf_ptz_99");
    let caps: ServiceCapabilities =
        read_as(&dir, &format!("{base}/GetServiceCapabilitiesResponse.xml"));
    assert_eq!(caps.get_compatible_configurations, Some(false));
    assert_eq!(caps.move_status, Some(true));
}

#[test]
fn sunba_values() {
    let Some(dir) = captures_dir() else { return };
    let base = "easy_onvif/SUNBA/ptz";
    let o: ConfigurationOptions =
        read_as(&dir, &format!("{base}/GetConfigurationOptionsResponse.xml"));
    let s = &o.options.spaces;
    assert!(s.relative_pan_tilt.is_empty());
    assert!(s.pan_tilt_speed.is_empty());
    assert_eq!(s.absolute_zoom[0].x_range, range(0.0, 1.0));
    assert!(matches!(
        scale::map_user_value(s, Axis::Tilt, Motion::Relative, 0.2),
        Err(scale::ScaleError::NoSpace { .. })
    ));
    let c: Configuration = read_as(&dir, &format!("{base}/GetConfigurationResponse.xml"));
    let c = c.configuration;
    assert_eq!(c.token, "ptz_node_config1");
    assert_eq!(c.default_relative_pan_tilt_space, None);
    let sp = c.default_speed.unwrap();
    assert!(sp.pan_tilt.is_none());
    assert_eq!(zoom(&sp), 0.5);
    assert_eq!(c.default_timeout, Some(Duration::from_secs(30)));
    let st = status(&dir, &format!("{base}/GetStatusResponse.xml"));
    assert_eq!(pan_tilt(st.position.as_ref().unwrap()), (0.5, 0.499777734));
    let p: Presets = read_as(&dir, &format!("{base}/GetPresetsResponse.xml"));
    assert_eq!(p.presets.len(), 255);
    assert_eq!(p.presets[0].token, "1");
    let set: SetPresetResponse = read_as(&dir, &format!("{base}/SetPresetResponse.xml"));
    assert_eq!(set.preset_token, "1");
    let caps: ServiceCapabilities =
        read_as(&dir, &format!("{base}/GetServiceCapabilitiesResponse.xml"));
    assert_eq!(caps.reverse, Some(false));
    assert_eq!(caps.status_position, Some(true));
}

#[test]
fn sunba_405_values() {
    let Some(dir) = captures_dir() else { return };
    let base = "easy_onvif/SUNBA.405/ptz";
    let o: ConfigurationOptions =
        read_as(&dir, &format!("{base}/GetConfigurationOptionsResponse.xml"));
    let s = &o.options.spaces;
    assert!(s.absolute_pan_tilt.is_empty() && s.absolute_zoom.is_empty());
    assert_eq!(s.zoom_speed[0].x_range, range(1.0, 8.0));
    assert_eq!(o.options.timeout.unwrap().max, Duration::from_secs(120));
    let c: Configuration = read_as(&dir, &format!("{base}/GetConfigurationResponse.xml"));
    assert_eq!(c.configuration.token, "000");
    assert_eq!(c.configuration.name.as_deref(), Some("PTZ_000"));
    assert_eq!(c.configuration.default_absolute_pan_tilt_space, None);
    assert_eq!(
        c.configuration.default_timeout,
        Some(Duration::from_secs(1))
    );
    let st = status(&dir, &format!("{base}/GetStatusResponse.xml"));
    assert_eq!(pan_tilt(st.position.as_ref().unwrap()), (0.0, 0.0));
    assert_eq!(st.utc_time.unwrap().as_second(), 0);
    let set: SetPresetResponse = read_as(&dir, &format!("{base}/SetPresetResponse.xml"));
    assert_eq!(set.preset_token, "10");
    // Capabilities nested in Capabilities, with tt:-qualified attributes.
    let caps: ServiceCapabilities =
        read_as(&dir, &format!("{base}/GetServiceCapabilitiesResponse.xml"));
    assert_eq!(caps.eflip, Some(false));
    assert_eq!(caps.reverse, Some(false));
    assert_eq!(caps.move_status, None);
    // The truncated GetPresets fails with a clear error naming the place.
    let e = try_read_as::<Presets>(&read(&dir, &format!("{base}/GetPresetsResponse.xml")))
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 49"), "{e}");
}

#[test]
fn happytimesoft_values() {
    let Some(dir) = captures_dir() else { return };
    let base = "easy_onvif/happytimesoft/ptz";
    let o: ConfigurationOptions =
        read_as(&dir, &format!("{base}/GetConfigurationOptionsResponse.xml"));
    assert_eq!(
        o.options.spaces.absolute_pan_tilt[0].x_range,
        range(-1.0, 1.0)
    );
    assert_eq!(o.options.timeout.unwrap().min, Duration::from_secs(1));
    let c: Configuration = read_as(&dir, &format!("{base}/GetConfigurationResponse.xml"));
    let c = c.configuration;
    assert_eq!(c.token, "PTZConfigurationToken_1");
    assert_eq!(c.node_token.as_deref(), Some("PTZNodeToken_1"));
    assert_eq!(pan_tilt(c.default_speed.as_ref().unwrap()), (0.5, 0.5));
    assert_eq!(c.default_timeout, Some(Duration::from_secs(5)));
    let st = status(&dir, &format!("{base}/GetStatusResponse.xml"));
    assert!(close(zoom(st.position.as_ref().unwrap()), 0.0));
    assert_eq!(st.utc_time.unwrap().to_string(), "2023-03-04T21:15:19Z");
    let p: Presets = read_as(&dir, &format!("{base}/GetPresetsResponse.xml"));
    assert!(p.presets.is_empty());
    let caps: ServiceCapabilities =
        read_as(&dir, &format!("{base}/GetServiceCapabilitiesResponse.xml"));
    assert_eq!(caps.eflip, Some(true));
    assert_eq!(caps.reverse, Some(true));
    assert_eq!(caps.get_compatible_configurations, Some(false));
}
