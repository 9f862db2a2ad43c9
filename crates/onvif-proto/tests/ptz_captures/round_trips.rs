//! Round trips

use super::*;

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
