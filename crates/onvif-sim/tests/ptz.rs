//! The PTZ service over real sockets: every operation, positions after stepping the injected
//! clock, clamping, timeouts, presets and home, the second node's ranges, quirks.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif_proto::ops::device::{GetServices, Services};
use onvif_proto::ops::ptz::scale::{self, Motion};
use onvif_proto::ops::ptz::*;
use onvif_proto::ops::{Operation, Service};
use onvif_sim::Quirk;
use onvif_testkit::Sim;
use onvif_testkit::http::{DEVICE, LIMIT, Req, Resp, call};

const PTZ: &str = "/onvif/ptz_service";
/// The generic head's profile.
const P1: &str = "Profile_1";
/// The degree head's profile.
const P3: &str = "Profile_3";

/// Call a PTZ operation with a fresh UsernameToken.
async fn ask<O: Operation>(cam: &Sim, op: &O) -> Resp {
    cam.ask(PTZ, op).await
}

/// Call and read the typed answer (the status must be 200).
async fn ok<O: Operation>(cam: &Sim, op: &O) -> O::Response {
    ask(cam, op).await.read()
}

/// Assert a 400 Sender fault with `ter:InvalidArgVal / ter:<sub>`; returns the reason.
fn assert_invalid_arg(r: &Resp, sub: &str) -> String {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Sender", "{f}");
    let subs: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["InvalidArgVal", sub], "{f}");
    f.reason
}

/// Assert a 500 Receiver fault with `ter:Action / ter:<sub>`.
fn assert_action(r: &Resp, sub: &str) {
    assert_eq!(r.status, 500, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Receiver", "{f}");
    assert!(f.has_subcode("Action") && f.has_subcode(sub), "{f}");
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

#[track_caller]
fn assert_near(got: (f64, f64, f64), want: (f64, f64, f64)) {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(
        close(got.0, want.0) && close(got.1, want.1) && close(got.2, want.2),
        "position {got:?}, expected {want:?}"
    );
}

#[track_caller]
fn assert_at(cam: &Sim, token: &str, want: (f64, f64, f64)) {
    assert_near(cam.ptz_position(token).unwrap(), want);
}

fn moving(cam: &Sim, token: &str) -> bool {
    cam.ptz_head(token).unwrap().moving()
}

fn absolute(
    profile: &str,
    pan: f64,
    tilt: f64,
    zoom: f64,
    speed: Option<PtzVector>,
) -> AbsoluteMove {
    AbsoluteMove {
        profile_token: profile.into(),
        position: PtzVector::new(pan, tilt, zoom),
        speed,
    }
}

fn speeds(pan: f64, tilt: f64, zoom: f64) -> PtzVector {
    PtzVector {
        pan_tilt: Some(Vector2D::new(pan, tilt)),
        zoom: Some(Vector1D::new(zoom)),
    }
}

fn continuous(profile: &str, v: PtzVector, timeout: Option<Duration>) -> ContinuousMove {
    ContinuousMove {
        profile_token: profile.into(),
        velocity: v,
        timeout,
    }
}

fn pan_only(p: f64, t: f64) -> PtzVector {
    PtzVector {
        pan_tilt: Some(Vector2D::new(p, t)),
        zoom: None,
    }
}

fn zoom_only(z: f64) -> PtzVector {
    PtzVector {
        pan_tilt: None,
        zoom: Some(Vector1D::new(z)),
    }
}

async fn status(cam: &Sim, profile: &str) -> PtzStatus {
    ok(
        cam,
        &GetStatus {
            profile_token: profile.into(),
        },
    )
    .await
    .status
}

// ---------------------------------------------------------------------------------------------
// Nodes, configurations, capabilities

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

// ---------------------------------------------------------------------------------------------
// Moves over simulated time

#[tokio::test]
async fn absolute_move_advances_with_the_clock() {
    let cam = Sim::builder().manual_clock().start().await;
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
    let st = status(&cam, P1).await;
    assert_eq!(st.move_status.unwrap().pan_tilt, Some(MoveStatus::Idle));
    assert!(st.utc_time.is_some());

    ok(
        &cam,
        &absolute(P1, 0.5, -0.5, 0.8, Some(speeds(0.5, 0.25, 0.4))),
    )
    .await;
    // No time has passed yet.
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
    assert!(cam.ptz_moving());
    let st = status(&cam, P1).await;
    assert_eq!(
        st.move_status,
        Some(PtzMoveStatus {
            pan_tilt: Some(MoveStatus::Moving),
            zoom: Some(MoveStatus::Moving)
        })
    );

    cam.advance(secs(0.5));
    assert_at(&cam, P1, (0.25, -0.125, 0.2));
    // GetStatus tells the same position, in the default spaces.
    let st = status(&cam, P1).await;
    let pos = st.position.unwrap();
    let pt = pos.pan_tilt.unwrap();
    assert_near(
        (pt.x, pt.y, pos.zoom.as_ref().unwrap().x),
        (0.25, -0.125, 0.2),
    );
    assert_eq!(pt.space.as_deref(), Some(space::PAN_TILT_POSITION_GENERIC));
    assert_eq!(
        pos.zoom.unwrap().space.as_deref(),
        Some(space::ZOOM_POSITION_GENERIC)
    );

    // Pan arrives after 1 s, zoom after 2 s, tilt after 2 s.
    cam.advance(secs(0.5));
    assert_at(&cam, P1, (0.5, -0.25, 0.4));
    let st = status(&cam, P1).await;
    assert_eq!(st.move_status.unwrap().pan_tilt, Some(MoveStatus::Moving));
    cam.advance(secs(5.0));
    assert_at(&cam, P1, (0.5, -0.5, 0.8));
    assert!(!moving(&cam, P1));
    let st = status(&cam, P1).await;
    assert_eq!(
        st.move_status,
        Some(PtzMoveStatus {
            pan_tilt: Some(MoveStatus::Idle),
            zoom: Some(MoveStatus::Idle)
        })
    );
    // The other head never moved.
    assert_at(&cam, P3, (0.0, 0.0, 0.0));
}

#[tokio::test]
async fn moves_use_the_default_speed_and_leave_absent_parts_alone() {
    let cam = Sim::builder().manual_clock().start().await;
    // Default speed 0.5: 1.0 away takes 2 s.
    ok(&cam, &absolute(P1, -1.0, 0.0, 0.0, None)).await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (-0.5, 0.0, 0.0));
    // A zoom-only move does not disturb the pan in progress.
    ok(
        &cam,
        &AbsoluteMove {
            profile_token: P1.into(),
            position: zoom_only(1.0),
            speed: Some(speeds(0.0, 0.0, 1.0)),
        },
    )
    .await;
    cam.advance(secs(0.5));
    assert_at(&cam, P1, (-0.75, 0.0, 0.5));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (-1.0, 0.0, 1.0));
    assert!(!cam.ptz_moving());
}

#[tokio::test]
async fn relative_moves_translate_and_clamp_at_the_limits() {
    let cam = Sim::builder().manual_clock().start().await;
    let rel = |p: f64, t: f64, z: Option<f64>| RelativeMove {
        profile_token: P1.into(),
        translation: PtzVector {
            pan_tilt: Some(Vector2D::new(p, t)),
            zoom: z.map(Vector1D::new),
        },
        speed: Some(speeds(1.0, 1.0, 1.0)),
    };
    ok(&cam, &rel(0.5, -0.25, Some(0.5))).await;
    cam.advance(secs(0.25));
    assert_at(&cam, P1, (0.25, -0.25, 0.25));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.5, -0.25, 0.5));
    // From 0.5, +1 would be 1.5: the head stops at the limit.
    ok(&cam, &rel(1.0, -1.0, Some(-1.0))).await;
    cam.advance(secs(10.0));
    assert_at(&cam, P1, (1.0, -1.0, 0.0));
    assert!(!cam.ptz_moving());
    // A zero translation stops a move in progress.
    ok(
        &cam,
        &absolute(P1, 0.0, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(0.5));
    ok(&cam, &rel(0.0, 0.0, Some(0.0))).await;
    assert!(!cam.ptz_moving());
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.5, -0.5, 0.0));
}

#[tokio::test]
async fn continuous_moves_honour_their_timeout() {
    let cam = Sim::builder().manual_clock().start().await;
    ok(&cam, &continuous(P1, pan_only(0.25, -0.5), Some(secs(2.0)))).await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.25, -0.5, 0.0));
    assert!(moving(&cam, P1));
    // The timeout ends it at 2 s, wherever the clock is looked at next.
    cam.advance(secs(5.0));
    assert_at(&cam, P1, (0.5, -1.0, 0.0));
    assert!(!moving(&cam, P1));

    // Without a timeout the configuration's default (10 s) applies.
    ok(&cam, &continuous(P1, pan_only(-0.05, 0.0), None)).await;
    cam.advance(secs(9.0));
    assert!(moving(&cam, P1));
    cam.advance(secs(100.0));
    assert_at(&cam, P1, (0.0, -1.0, 0.0));
    assert!(!moving(&cam, P1));

    // Pushing the zoom out past its limit stops there, IDLE, long before the timeout.
    ok(&cam, &continuous(P1, zoom_only(1.0), Some(secs(60.0)))).await;
    cam.advance(secs(0.5));
    assert_at(&cam, P1, (0.0, -1.0, 0.5));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.0, -1.0, 1.0));
    let st = status(&cam, P1).await;
    assert_eq!(st.move_status.unwrap().zoom, Some(MoveStatus::Idle));

    // A timeout outside 0..1 h is refused.
    let r = ask(
        &cam,
        &continuous(P1, pan_only(0.1, 0.0), Some(secs(7200.0))),
    )
    .await;
    let reason = assert_invalid_arg(&r, "TimeoutNotSupported");
    assert!(reason.contains("PT7200S"), "{reason}");
}

#[tokio::test]
async fn stop_and_zero_velocities_stop_what_they_name() {
    let cam = Sim::builder().manual_clock().start().await;
    ok(
        &cam,
        &continuous(P1, PtzVector::new(0.1, 0.1, 0.1), Some(secs(60.0))),
    )
    .await;
    cam.advance(secs(1.0));
    // Stop pan/tilt only: the zoom goes on.
    ok(
        &cam,
        &Stop {
            profile_token: P1.into(),
            pan_tilt: Some(true),
            zoom: Some(false),
        },
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.1, 0.1, 0.2));
    let h = cam.ptz_head(P1).unwrap();
    assert!(!h.pan_tilt_moving && h.zoom_moving);
    // A zero zoom velocity stops the zoom.
    ok(&cam, &continuous(P1, zoom_only(0.0), None)).await;
    assert!(!cam.ptz_moving());
    // Stop with no flags stops everything.
    ok(&cam, &continuous(P1, PtzVector::new(-0.1, 0.0, 0.1), None)).await;
    cam.advance(secs(1.0));
    ok(&cam, &Stop::all(P1)).await;
    cam.advance(secs(5.0));
    assert_at(&cam, P1, (0.0, 0.1, 0.3));
    assert!(!cam.ptz_moving());
    // A continuous pan/tilt replaces an absolute one in progress (a zero tilt stops it); the
    // zoom, not named, goes on to its target at the default speed.
    ok(&cam, &absolute(P1, 1.0, 1.0, 1.0, None)).await;
    ok(&cam, &continuous(P1, pan_only(-0.5, 0.0), Some(secs(1.0)))).await;
    cam.advance(secs(3.0));
    assert_at(&cam, P1, (-0.5, 0.1, 1.0));
}

#[tokio::test]
async fn values_outside_the_spaces_are_refused_and_nothing_moves() {
    let cam = Sim::builder().manual_clock().start().await;
    let r = ask(&cam, &absolute(P1, 1.5, 0.0, 0.0, None)).await;
    let reason = assert_invalid_arg(&r, "InvalidPosition");
    assert_eq!(
        reason,
        "pan 1.5 is outside -1..1 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
    );
    let r = ask(&cam, &absolute(P1, 0.0, 0.0, -0.1, None)).await;
    assert_invalid_arg(&r, "InvalidPosition");
    let r = ask(
        &cam,
        &absolute(P1, 0.0, 0.0, 0.5, Some(speeds(2.0, 0.5, 0.5))),
    )
    .await;
    assert_invalid_arg(&r, "InvalidSpeed");
    let r = ask(
        &cam,
        &RelativeMove {
            profile_token: P1.into(),
            translation: pan_only(0.0, -1.5),
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "InvalidTranslation");
    let r = ask(&cam, &continuous(P1, zoom_only(-1.01), None)).await;
    assert_invalid_arg(&r, "InvalidVelocity");
    // A space the node does not list.
    let r = ask(
        &cam,
        &AbsoluteMove {
            profile_token: P1.into(),
            position: PtzVector {
                pan_tilt: Some(Vector2D::in_space(
                    10.0,
                    0.0,
                    space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                )),
                zoom: None,
            },
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "SpaceNotSupported");
    // A space named explicitly, the node's own: accepted.
    ok(
        &cam,
        &AbsoluteMove {
            profile_token: P1.into(),
            position: PtzVector {
                pan_tilt: None,
                zoom: Some(Vector1D::in_space(0.0, space::ZOOM_POSITION_GENERIC)),
            },
            speed: None,
        },
    )
    .await;
    // A request that does not parse (a coordinate that is not a number).
    let bad = r#"<tptz:AbsoluteMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Position><tt:PanTilt x="left" y="0"/></tptz:Position></tptz:AbsoluteMove>"#;
    let h = cam.token();
    let r = Req::post(PTZ, &onvif_proto::soap::envelope(Some(&h), bad))
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.fault().has_subcode("InvalidArgVal"));
    cam.advance(secs(10.0));
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
}

// ---------------------------------------------------------------------------------------------
// Presets and home

#[tokio::test]
async fn presets_are_set_listed_renamed_recalled_and_removed() {
    let cam = Sim::builder().manual_clock().start().await;
    let presets = |p: &str| GetPresets {
        profile_token: p.into(),
    };
    assert!(ok(&cam, &presets(P1)).await.presets.is_empty());

    ok(
        &cam,
        &absolute(P1, 0.5, 0.25, 0.5, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    // Not while moving.
    let set = |name: Option<&str>, token: Option<&str>| SetPreset {
        profile_token: P1.into(),
        preset_name: name.map(str::to_owned),
        preset_token: token.map(str::to_owned),
    };
    let r = ask(&cam, &set(Some("Gate"), None)).await;
    assert_action(&r, "MovingPTZ");
    cam.advance(secs(1.0));
    let gate = ok(&cam, &set(Some("Gate"), None)).await.preset_token;
    assert_eq!(gate, "Preset_1");
    // Names are unique.
    let r = ask(&cam, &set(Some("Gate"), None)).await;
    assert_invalid_arg(&r, "PresetExist");
    let r = ask(&cam, &set(Some(&"x".repeat(65)), None)).await;
    assert_invalid_arg(&r, "InvalidPresetName");

    ok(
        &cam,
        &absolute(P1, -0.5, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(2.0));
    let second = ok(&cam, &set(None, None)).await.preset_token;
    assert_eq!(second, "Preset_2");

    let list = ok(&cam, &presets(P1)).await.presets;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].token, "Preset_1");
    assert_eq!(list[0].name.as_deref(), Some("Gate"));
    let pos = list[0].position.as_ref().unwrap();
    let pt = pos.pan_tilt.as_ref().unwrap();
    assert_eq!((pt.x, pt.y, pos.zoom.as_ref().unwrap().x), (0.5, 0.25, 0.5));
    assert_eq!(list[1].name.as_deref(), Some("Preset_2"));

    // Go to the gate at speed 0.5 on pan: 1.0 of pan takes 2 s.
    let goto = |token: &str| GotoPreset {
        profile_token: P1.into(),
        preset_token: token.into(),
        speed: Some(speeds(0.5, 1.0, 1.0)),
    };
    ok(&cam, &goto(&gate)).await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.0, 0.25, 0.5));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.5, 0.25, 0.5));
    assert!(!cam.ptz_moving());

    // Overwrite the second preset here and rename it.
    assert_eq!(
        ok(&cam, &set(Some("Drive"), Some(&second)))
            .await
            .preset_token,
        second
    );
    let list = ok(&cam, &presets(P1)).await.presets;
    assert_eq!(list[1].name.as_deref(), Some("Drive"));
    assert_eq!(
        list[1]
            .position
            .as_ref()
            .unwrap()
            .pan_tilt
            .as_ref()
            .unwrap()
            .x,
        0.5
    );
    // Renaming to its own name is fine; to another's is not.
    ok(&cam, &set(Some("Drive"), Some(&second))).await;
    let r = ask(&cam, &set(Some("Gate"), Some(&second))).await;
    assert_invalid_arg(&r, "PresetExist");
    let r = ask(&cam, &set(None, Some("Preset_9"))).await;
    assert_invalid_arg(&r, "NoToken");

    // Remove, then the token is unknown.
    let remove = |token: &str| RemovePreset {
        profile_token: P1.into(),
        preset_token: token.into(),
    };
    ok(&cam, &remove(&gate)).await;
    assert_invalid_arg(&ask(&cam, &remove(&gate)).await, "NoToken");
    assert_invalid_arg(&ask(&cam, &goto(&gate)).await, "NoToken");
    let list = ok(&cam, &presets(P1)).await.presets;
    assert_eq!(list.len(), 1);
    // The freed number is used again.
    assert_eq!(ok(&cam, &set(None, None)).await.preset_token, "Preset_1");
    // Presets belong to their head.
    assert!(ok(&cam, &presets(P3)).await.presets.is_empty());
}

#[tokio::test]
async fn a_head_holds_at_most_its_maximum_of_presets() {
    let cam = Sim::builder().manual_clock().start().await;
    for i in 1..=4 {
        let t = ok(
            &cam,
            &SetPreset {
                profile_token: P3.into(),
                preset_name: None,
                preset_token: None,
            },
        )
        .await
        .preset_token;
        assert_eq!(t, format!("Preset_{i}"));
    }
    let r = ask(
        &cam,
        &SetPreset {
            profile_token: P3.into(),
            preset_name: None,
            preset_token: None,
        },
    )
    .await;
    assert_action(&r, "TooManyPresets");
}

#[tokio::test]
async fn home_is_settable_on_one_head_and_fixed_on_the_other() {
    let cam = Sim::builder().manual_clock().start().await;
    let home = |p: &str| GotoHomePosition {
        profile_token: p.into(),
        speed: None,
    };
    ok(
        &cam,
        &absolute(P1, 0.4, 0.2, 0.6, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(1.0));
    ok(
        &cam,
        &SetHomePosition {
            profile_token: P1.into(),
        },
    )
    .await;
    ok(
        &cam,
        &absolute(P1, -1.0, -1.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(2.0));
    assert_at(&cam, P1, (-1.0, -1.0, 0.0));
    // Home at the default speed (0.5): 1.4 of pan takes 2.8 s.
    ok(&cam, &home(P1)).await;
    cam.advance(secs(2.0));
    assert_at(&cam, P1, (0.0, 0.0, 0.6));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.4, 0.2, 0.6));
    // With a speed.
    ok(
        &cam,
        &absolute(P1, 0.0, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(1.0));
    ok(
        &cam,
        &GotoHomePosition {
            profile_token: P1.into(),
            speed: Some(speeds(0.1, 0.1, 0.1)),
        },
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.1, 0.1, 0.1));

    // The degree head's home is fixed at 0, 0, 0.
    let r = ask(
        &cam,
        &SetHomePosition {
            profile_token: P3.into(),
        },
    )
    .await;
    assert_action(&r, "CannotOverwriteHome");
    ok(
        &cam,
        &absolute(P3, 90.0, -45.0, 0.5, Some(speeds(90.0, 90.0, 1.0))),
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (90.0, -45.0, 0.5));
    ok(&cam, &home(P3)).await;
    // Default speed 45 deg/s; zoom 0.5 at 0.25/s.
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (45.0, 0.0, 0.25));
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (0.0, 0.0, 0.0));
}

// ---------------------------------------------------------------------------------------------
// The degree head

#[tokio::test]
async fn the_second_node_enforces_its_own_ranges() {
    let cam = Sim::builder().manual_clock().start().await;
    // Generic pan/tilt is not this node's space.
    let r = ask(
        &cam,
        &AbsoluteMove {
            profile_token: P3.into(),
            position: PtzVector {
                pan_tilt: Some(Vector2D::in_space(
                    0.5,
                    0.0,
                    space::PAN_TILT_POSITION_GENERIC,
                )),
                zoom: None,
            },
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "SpaceNotSupported");
    let r = ask(&cam, &absolute(P3, 200.0, 0.0, 0.0, None)).await;
    let reason = assert_invalid_arg(&r, "InvalidPosition");
    assert!(reason.contains("-180..180"), "{reason}");
    let r = ask(&cam, &absolute(P3, 0.0, -95.0, 0.0, None)).await;
    assert_invalid_arg(&r, "InvalidPosition");
    // Zoom stops at 0.5 on this head.
    let r = ask(&cam, &absolute(P3, 0.0, 0.0, 0.6, None)).await;
    let reason = assert_invalid_arg(&r, "InvalidPosition");
    assert!(reason.contains("zoom 0.6 is outside 0..0.5"), "{reason}");
    let r = ask(
        &cam,
        &absolute(P3, 0.0, 0.0, 0.1, Some(speeds(100.0, 1.0, 0.5))),
    )
    .await;
    assert_invalid_arg(&r, "InvalidSpeed");
    let r = ask(&cam, &continuous(P3, pan_only(91.0, 0.0), None)).await;
    assert_invalid_arg(&r, "InvalidVelocity");
    let r = ask(
        &cam,
        &RelativeMove {
            profile_token: P3.into(),
            translation: zoom_only(0.75),
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "InvalidTranslation");

    // A client maps its -1..1 / 0..1 values into the node's ranges.
    let node = ok(
        &cam,
        &GetNode {
            node_token: "PTZNode_2".into(),
        },
    )
    .await
    .node;
    let v = scale::vector(
        &node.supported_spaces,
        Motion::Absolute,
        Some(0.5),
        Some(-0.5),
        Some(1.0),
    )
    .unwrap();
    let pt = v.pan_tilt.as_ref().unwrap();
    assert_eq!((pt.x, pt.y), (90.0, -45.0));
    assert_eq!(v.zoom.as_ref().unwrap().x, 0.5);
    ok(
        &cam,
        &AbsoluteMove {
            profile_token: P3.into(),
            position: v,
            speed: None,
        },
    )
    .await;
    // Default speed: 45 deg/s, zoom 0.25 per second.
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (45.0, -45.0, 0.25));
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (90.0, -45.0, 0.5));
    let st = status(&cam, P3).await;
    let pos = st.position.unwrap();
    assert_eq!(
        pos.pan_tilt.unwrap().space.as_deref(),
        Some(space::PAN_TILT_POSITION_SPHERICAL_DEGREES)
    );
    // Velocities in degrees per second; the zoom's 1.0 is its whole range per second.
    ok(
        &cam,
        &continuous(P3, PtzVector::new(30.0, 0.0, -1.0), Some(secs(2.0))),
    )
    .await;
    cam.advance(secs(0.5));
    assert_at(&cam, P3, (105.0, -45.0, 0.25));
    cam.advance(secs(10.0));
    assert_at(&cam, P3, (150.0, -45.0, 0.0));
    // Translations in degrees, clamped at 180.
    ok(
        &cam,
        &RelativeMove {
            profile_token: P3.into(),
            translation: pan_only(90.0, 10.0),
            speed: Some(PtzVector {
                pan_tilt: Some(Vector2D::new(90.0, 90.0)),
                zoom: None,
            }),
        },
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (180.0, -35.0, 0.0));
    // The first head did not move.
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
}

// ---------------------------------------------------------------------------------------------
// Auxiliary commands, quirks, paths, the real clock

#[tokio::test]
async fn auxiliary_commands_are_checked_and_recorded() {
    let cam = Sim::builder().manual_clock().start().await;
    assert_eq!(cam.ptz_last_aux(P1), None);
    let aux = |p: &str, d: &str| SendAuxiliaryCommand {
        profile_token: p.into(),
        auxiliary_data: d.into(),
    };
    let r = ok(&cam, &aux(P1, "tt:Wiper|On")).await;
    assert_eq!(r.auxiliary_response, "tt:Wiper|On");
    assert_eq!(cam.ptz_last_aux(P1).as_deref(), Some("tt:Wiper|On"));
    ok(&cam, &aux(P1, "tt:IRLamp|Auto")).await;
    assert_eq!(
        cam.ptz_last_aux("PTZNode_1").as_deref(),
        Some("tt:IRLamp|Auto")
    );
    let r = ask(&cam, &aux(P1, "tt:Heater|On")).await;
    let reason = assert_invalid_arg(&r, "InvalidArgs");
    assert!(reason.contains("tt:Wiper|On"), "{reason}");
    assert_eq!(cam.ptz_last_aux(P1).as_deref(), Some("tt:IRLamp|Auto"));
    let r = ask(&cam, &aux(P3, "tt:Wiper|On")).await;
    assert_invalid_arg(&r, "InvalidArgs");
    assert_eq!(cam.ptz_last_aux(P3), None);
}

#[tokio::test]
async fn quirks_take_away_continuous_or_relative_moves() {
    let no_cont = Sim::builder()
        .manual_clock()
        .quirk(Quirk::NoContinuousMove)
        .start()
        .await;
    let r = ask(&no_cont, &continuous(P1, pan_only(0.5, 0.0), None)).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.fault().has_subcode("ActionNotSupported"));
    assert!(!no_cont.ptz_moving());
    // The fallback works.
    ok(
        &no_cont,
        &RelativeMove {
            profile_token: P1.into(),
            translation: pan_only(0.1, 0.0),
            speed: None,
        },
    )
    .await;
    no_cont.advance(secs(1.0));
    assert_at(&no_cont, P1, (0.1, 0.0, 0.0));

    let no_rel = Sim::builder()
        .manual_clock()
        .quirk(Quirk::NoRelativeMove)
        .start()
        .await;
    let r = ask(
        &no_rel,
        &RelativeMove {
            profile_token: P1.into(),
            translation: pan_only(0.1, 0.0),
            speed: None,
        },
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.fault().has_subcode("ActionNotSupported"));
    ok(
        &no_rel,
        &continuous(P1, pan_only(0.5, 0.0), Some(secs(0.2))),
    )
    .await;
    no_rel.advance(secs(1.0));
    assert_at(&no_rel, P1, (0.1, 0.0, 0.0));
    assert_eq!(
        "no-continuous-move".parse::<Quirk>(),
        Ok(Quirk::NoContinuousMove)
    );
    assert_eq!(Quirk::NoRelativeMove.name(), "no-relative-move");
}

#[tokio::test]
async fn tapo_serves_ptz_at_its_one_path() {
    let cam = Sim::builder()
        .manual_clock()
        .quirk(Quirk::Tapo)
        .start()
        .await;
    let h = cam.token();
    let n: Nodes = call(cam.addr(), "/onvif/service", &GetNodes, Some(&h))
        .await
        .read();
    assert_eq!(n.nodes.len(), 2);
    // PTZ's Stop and imaging's Stop share a path and a name: the namespace tells them apart.
    let h = cam.token();
    let _: StopResponse = call(cam.addr(), "/onvif/service", &Stop::all(P1), Some(&h))
        .await
        .read();
    let h = cam.token();
    let r = call(cam.addr(), PTZ, &GetNodes, Some(&h)).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn watchers_see_every_change_of_the_heads() {
    let cam = Sim::builder().manual_clock().start().await;
    let mut rx = cam.ptz_watch();
    assert!(!rx.borrow_and_update().moving());
    ok(
        &cam,
        &absolute(P1, 1.0, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    assert!(rx.has_changed().unwrap());
    assert!(rx.borrow_and_update().moving());
    cam.advance(secs(0.5));
    let snap = rx.borrow_and_update().clone();
    assert_near(snap.head(P1).unwrap().position(), (0.5, 0.0, 0.0));
    assert_eq!(snap.time, secs(0.5));
    cam.advance(secs(0.5));
    let done = cam.ptz_wait_until(|s| !s.moving()).await;
    assert_near(
        done.head("PTZConfig_1").unwrap().position(),
        (1.0, 0.0, 0.0),
    );
    assert_eq!(cam.ptz_time(), secs(1.0));
    // Nothing changes without the clock, even when the heads are looked at.
    rx.borrow_and_update();
    status(&cam, P1).await;
    assert!(!rx.has_changed().unwrap());
}

/// With the real clock the head moves by itself; a watcher learns when it stops, no sleeping.
#[tokio::test]
async fn the_default_clock_is_real_time() {
    let cam = Sim::builder().start().await;
    ok(&cam, &continuous(P1, pan_only(1.0, 0.0), Some(secs(0.1)))).await;
    let done = tokio::time::timeout(LIMIT, cam.ptz_wait_until(|s| !s.head(P1).unwrap().moving()))
        .await
        .expect("the move ended by itself");
    let pan = done.head(P1).unwrap().pan;
    assert!((pan - 0.1).abs() < 1e-9, "{pan}");
    // advance() adds to real time.
    let before = cam.ptz_time();
    cam.advance(Duration::from_secs(100));
    assert!(cam.ptz_time() >= before + Duration::from_secs(100));
}
