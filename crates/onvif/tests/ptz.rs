//! PTZ against the simulated head over 127.0.0.1, with the simulator's PTZ clock stepped by
//! the test (the head moves only when the test advances time).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif::ptz::PtzTarget;
use onvif::{Camera, ErrorKind};
use onvif_testkit::Sim;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// The profile whose PTZ configuration is `cfg`.
async fn target_for(cam: &Camera, cfg: &str) -> PtzTarget {
    let p = cam
        .profiles()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.ptz.as_ref().is_some_and(|z| z.token == cfg))
        .unwrap_or_else(|| panic!("no profile with {cfg}"));
    cam.ptz_target(Some(&p.token)).await.unwrap()
}

#[tokio::test]
async fn nodes_configurations_and_capabilities_are_read() {
    let (_h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let nodes = cam.ptz_nodes().await.unwrap();
    assert_eq!(nodes.len(), 2);
    let n1 = cam.ptz_node("PTZNode_1").await.unwrap();
    assert!(!n1.supported_spaces.absolute_pan_tilt.is_empty());
    assert!(!n1.auxiliary_commands.is_empty());
    let cfgs = cam.ptz_configurations().await.unwrap();
    assert!(cfgs.iter().any(|c| c.token == "PTZConfig_2"));
    let c = cam.ptz_configuration("PTZConfig_1").await.unwrap();
    assert_eq!(c.node_token.as_deref(), Some("PTZNode_1"));
    let o = cam.ptz_configuration_options("PTZConfig_1").await.unwrap();
    assert!(!o.spaces.absolute_pan_tilt.is_empty());
    let caps = cam.ptz_capabilities().await.unwrap();
    assert!(!caps.flags().is_empty(), "{caps:?}");
    // With no --profile, the first profile that has PTZ is chosen.
    let t = cam.ptz_target(None).await.unwrap();
    assert_eq!(t.profile, "Profile_1");
    assert_eq!(t.node.token, "PTZNode_1");
}

#[tokio::test]
async fn absolute_moves_reach_their_target_as_time_passes() {
    let (h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let t = target_for(&cam, "PTZConfig_1").await;
    cam.ptz_absolute(&t, Some(0.5), Some(-0.2), Some(0.1), Some(1.0))
        .await
        .unwrap();
    let s = cam.ptz_status(&t).await.unwrap();
    assert!(
        s.move_status.unwrap().moving(),
        "moving right after the command"
    );
    h.advance(Duration::from_secs(10));
    let (p, ti, z) = h.ptz_position("PTZConfig_1").unwrap();
    assert!(
        close(p, 0.5) && close(ti, -0.2) && close(z, 0.1),
        "{p} {ti} {z}"
    );
    let s = cam.ptz_status(&t).await.unwrap();
    assert!(!s.move_status.unwrap().moving());
    let (up, ut, uz) = onvif::ptz::user_position(&t.node, s.position.as_ref().unwrap());
    assert!(close(up.unwrap(), 0.5) && close(ut.unwrap(), -0.2) && close(uz.unwrap(), 0.1));
    // One axis given: the other keeps its place.
    cam.ptz_absolute(&t, Some(-0.5), None, None, Some(1.0))
        .await
        .unwrap();
    h.advance(Duration::from_secs(10));
    let (p, ti, _) = h.ptz_position("PTZConfig_1").unwrap();
    assert!(close(p, -0.5) && close(ti, -0.2), "{p} {ti}");
}

#[tokio::test]
async fn user_values_are_mapped_into_the_nodes_own_ranges() {
    let (h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let t = target_for(&cam, "PTZConfig_2").await;
    assert_eq!(t.node.token, "PTZNode_2");
    cam.ptz_absolute(&t, Some(0.5), Some(1.0), Some(1.0), Some(1.0))
        .await
        .unwrap();
    h.advance(Duration::from_secs(600));
    let (p, ti, z) = h.ptz_position("PTZConfig_2").unwrap();
    // Degrees: half of 180 is 90, all of 90 is 90; zoom 1 is the top of 0..0.5.
    assert!(
        close(p, 90.0) && close(ti, 90.0) && close(z, 0.5),
        "{p} {ti} {z}"
    );
}

#[tokio::test]
async fn out_of_range_values_are_refused_before_anything_is_sent() {
    let (h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let t = target_for(&cam, "PTZConfig_1").await;
    let before = h.stats().requests;
    for e in [
        cam.ptz_absolute(&t, Some(1.5), Some(0.0), None, None)
            .await
            .unwrap_err(),
        cam.ptz_absolute(&t, None, None, Some(-0.1), None)
            .await
            .unwrap_err(),
        cam.ptz_continuous(&t, Some(2.0), None, None, None)
            .await
            .unwrap_err(),
        cam.ptz_relative(&t, None, None, Some(-3.0), None)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::Usage, "{e:?}");
        assert!(e.to_string().contains("is outside"), "{e}");
    }
    assert_eq!(h.stats().requests, before);
}

#[tokio::test]
async fn relative_and_continuous_moves_and_stop() {
    let (h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let t = target_for(&cam, "PTZConfig_1").await;
    cam.ptz_relative(&t, Some(0.1), Some(0.05), None, Some(1.0))
        .await
        .unwrap();
    h.advance(Duration::from_secs(5));
    let (p, ti, _) = h.ptz_position("PTZConfig_1").unwrap();
    assert!(close(p, 0.1) && close(ti, 0.05), "{p} {ti}");

    // A continuous move with a Timeout stops by itself.
    cam.ptz_continuous(&t, Some(-0.5), None, None, Some(Duration::from_secs(1)))
        .await
        .unwrap();
    assert!(h.ptz_moving());
    h.advance(Duration::from_secs(3));
    assert!(!h.ptz_moving());
    let (p, _, _) = h.ptz_position("PTZConfig_1").unwrap();
    assert!(p < 0.1, "moved left: {p}");

    // Without a Timeout it goes on until Stop.
    cam.ptz_continuous(&t, None, Some(0.5), None, None)
        .await
        .unwrap();
    h.advance(Duration::from_millis(500));
    assert!(h.ptz_moving());
    cam.ptz_stop(&t).await.unwrap();
    assert!(!h.ptz_moving());
}

#[tokio::test]
async fn presets_and_home() {
    let (h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let t = target_for(&cam, "PTZConfig_1").await;
    cam.ptz_absolute(&t, Some(0.3), Some(0.3), Some(0.3), Some(1.0))
        .await
        .unwrap();
    h.advance(Duration::from_secs(10));
    let token = cam.ptz_set_preset(&t, "gate").await.unwrap();
    // Setting the same name again replaces it rather than adding another.
    assert_eq!(cam.ptz_set_preset(&t, "gate").await.unwrap(), token);
    let found = cam.ptz_find_preset(&t, "gate").await.unwrap();
    assert_eq!(found.token, token);

    cam.ptz_set_home(&t).await.unwrap();
    cam.ptz_absolute(&t, Some(-0.8), Some(-0.8), Some(0.0), Some(1.0))
        .await
        .unwrap();
    h.advance(Duration::from_secs(10));
    cam.ptz_goto_preset(&t, &token, Some(1.0)).await.unwrap();
    h.advance(Duration::from_secs(10));
    let (p, ti, z) = h.ptz_position("PTZConfig_1").unwrap();
    assert!(
        close(p, 0.3) && close(ti, 0.3) && close(z, 0.3),
        "{p} {ti} {z}"
    );

    cam.ptz_absolute(&t, Some(0.9), None, None, Some(1.0))
        .await
        .unwrap();
    h.advance(Duration::from_secs(10));
    cam.ptz_goto_home(&t, None).await.unwrap();
    h.advance(Duration::from_secs(10));
    let (p, _, _) = h.ptz_position("PTZConfig_1").unwrap();
    assert!(close(p, 0.3), "home is where it was set: {p}");

    cam.ptz_remove_preset(&t, &token).await.unwrap();
    let e = cam.ptz_find_preset(&t, "gate").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    let e = cam
        .ptz_goto_preset(&t, "NoSuchPreset", None)
        .await
        .unwrap_err();
    assert!(e.fault().is_some(), "{e:?}");
    // A fault names the operation it answered (cameras' own reasons are often empty).
    assert!(e.to_string().contains("answered GotoPreset with"), "{e}");
    let e = cam.ptz_remove_preset(&t, &token).await.unwrap_err();
    assert!(e.to_string().contains("answered RemovePreset with"), "{e}");
    let url = cam.device_url().clone();
    let e = cam
        .call_raw(
            &url,
            "http://www.onvif.org/ver10/device/wsdl/GetFrobnicator",
            "<tds:GetFrobnicator/>",
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("answered GetFrobnicator with"),
        "{e}"
    );
}

#[tokio::test]
async fn auxiliary_commands_reach_the_head() {
    let (h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let t = target_for(&cam, "PTZConfig_1").await;
    let cmd = t.node.auxiliary_commands[0].clone();
    cam.ptz_aux(&t, &cmd).await.unwrap();
    assert_eq!(h.ptz_last_aux("PTZConfig_1").as_deref(), Some(cmd.as_str()));
}

#[tokio::test]
async fn a_profile_without_ptz_is_a_clear_error() {
    let (_h, cam) = Sim::builder().manual_clock().start_and_connect().await;
    let plain = cam
        .profiles()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.ptz.is_none())
        .unwrap();
    let e = cam.ptz_target(Some(&plain.token)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert!(e.to_string().contains("no PTZ configuration"), "{e}");
}
