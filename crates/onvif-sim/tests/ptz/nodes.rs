//! Nodes, configurations, capabilities

use super::*;

#[tokio::test]
async fn nodes_configurations_options_and_capabilities() {
    let cam = Sim::builder().manual_clock().start().await;
    let nodes = ok(&cam, &GetNodes).await.nodes;
    let tokens: Vec<&str> = nodes.iter().map(|n| n.token.as_str()).collect();
    assert_eq!(tokens, ["PTZNode_1", "PTZNode_2"]);
    let n1 = &nodes[0];
    let s = &n1.supported_spaces;
    assert_eq!(s.absolute_pan_tilt.len(), 1);
    assert_eq!(s.absolute_pan_tilt[0].uri, space::PAN_TILT_POSITION_GENERIC);
    assert_eq!(
        (
            s.absolute_pan_tilt[0].x_range.min,
            s.absolute_pan_tilt[0].x_range.max
        ),
        (-1.0, 1.0)
    );
    assert_eq!(s.absolute_zoom[0].uri, space::ZOOM_POSITION_GENERIC);
    assert_eq!(s.continuous_zoom[0].uri, space::ZOOM_VELOCITY_GENERIC);
    assert_eq!(s.pan_tilt_speed[0].uri, space::PAN_TILT_SPEED_GENERIC);
    assert_eq!(n1.max_presets, Some(16));
    assert!(n1.home_supported);
    assert_eq!(n1.fixed_home_position, Some(false));
    assert!(n1.auxiliary_commands.contains(&"tt:Wiper|On".to_owned()));
    assert!(n1.auxiliary_commands.contains(&"tt:IRLamp|Auto".to_owned()));

    let n2 = ok(
        &cam,
        &GetNode {
            node_token: "PTZNode_2".into(),
        },
    )
    .await
    .node;
    assert_eq!(n2, nodes[1]);
    let s2 = &n2.supported_spaces;
    // No generic pan/tilt space: degrees.
    assert_eq!(
        s2.absolute_pan_tilt[0].uri,
        space::PAN_TILT_POSITION_SPHERICAL_DEGREES
    );
    assert_eq!(s2.absolute_pan_tilt[0].x_range.max, 180.0);
    assert_eq!(s2.absolute_pan_tilt[0].y_range.min, -90.0);
    assert_eq!(s2.absolute_zoom[0].x_range.max, 0.5);
    assert_eq!(n2.fixed_home_position, Some(true));
    assert_eq!(n2.max_presets, Some(4));
    assert!(n2.auxiliary_commands.is_empty());
    let r = ask(
        &cam,
        &GetNode {
            node_token: "PTZNode_9".into(),
        },
    )
    .await;
    assert_invalid_arg(&r, "NoEntity");

    let configs = ok(&cam, &GetConfigurations).await.configurations;
    let c: Vec<(&str, Option<&str>)> = configs
        .iter()
        .map(|c| (c.token.as_str(), c.node_token.as_deref()))
        .collect();
    assert_eq!(
        c,
        [
            ("PTZConfig_1", Some("PTZNode_1")),
            ("PTZConfig_2", Some("PTZNode_2"))
        ]
    );
    let c2 = ok(
        &cam,
        &GetConfiguration {
            configuration_token: "PTZConfig_2".into(),
        },
    )
    .await
    .configuration;
    assert_eq!(c2, configs[1]);
    assert_eq!(
        c2.default_absolute_pan_tilt_space.as_deref(),
        Some(space::PAN_TILT_POSITION_SPHERICAL_DEGREES)
    );
    assert_eq!(c2.default_timeout, Some(Duration::from_secs(10)));
    assert_eq!(c2.pan_tilt_limits.as_ref(), Some(&s2.absolute_pan_tilt[0]));
    let r = ask(
        &cam,
        &GetConfiguration {
            configuration_token: "nope".into(),
        },
    )
    .await;
    assert_invalid_arg(&r, "NoConfig");

    let o = ok(
        &cam,
        &GetConfigurationOptions {
            configuration_token: "PTZConfig_1".into(),
        },
    )
    .await
    .options;
    assert_eq!(o.spaces, n1.supported_spaces);
    let t = o.timeout.unwrap();
    assert_eq!((t.min, t.max), (Duration::ZERO, Duration::from_secs(3600)));
    let r = ask(
        &cam,
        &GetConfigurationOptions {
            configuration_token: "PTZNode_1".into(),
        },
    )
    .await;
    assert_invalid_arg(&r, "NoConfig");

    let compat = ok(
        &cam,
        &GetCompatibleConfigurations {
            profile_token: P3.into(),
        },
    )
    .await;
    assert_eq!(compat.configurations, [c2]);

    let caps = ok(&cam, &GetServiceCapabilities).await;
    assert_eq!(caps.move_status, Some(true));
    assert_eq!(caps.status_position, Some(true));
    assert_eq!(caps.eflip, Some(false));

    // GetServices names the service and its capabilities.
    let h = cam.token();
    let s: Services = call(
        cam.addr(),
        DEVICE,
        &GetServices {
            include_capability: true,
        },
        Some(&h),
    )
    .await
    .read();
    let ptz = s
        .services
        .iter()
        .find(|s| s.service == Some(Service::Ptz))
        .unwrap();
    assert_eq!(ptz.xaddr, format!("http://{}{PTZ}", cam.addr()));
    assert_eq!(
        ptz.capabilities.get("StatusPosition").map(String::as_str),
        Some("true")
    );
}

#[tokio::test]
async fn ptz_needs_credentials_and_known_profiles() {
    let cam = Sim::builder().manual_clock().start().await;
    call(cam.addr(), PTZ, &GetNodes, None)
        .await
        .assert_not_authorized();
    let r = ask(
        &cam,
        &GetStatus {
            profile_token: "Profile_9".into(),
        },
    )
    .await;
    assert_invalid_arg(&r, "NoProfile");
    // Profile_2 exists but has no PTZ configuration.
    for r in [
        ask(
            &cam,
            &GetStatus {
                profile_token: "Profile_2".into(),
            },
        )
        .await,
        ask(&cam, &absolute("Profile_2", 0.0, 0.0, 0.0, None)).await,
        ask(&cam, &Stop::all("Profile_2")).await,
        ask(
            &cam,
            &GetPresets {
                profile_token: "Profile_2".into(),
            },
        )
        .await,
    ] {
        assert_invalid_arg(&r, "NoPTZProfile");
    }
}
