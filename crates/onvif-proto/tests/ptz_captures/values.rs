//! Values, read by eye from the files

use super::*;

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
