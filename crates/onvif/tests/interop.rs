//! Devices that answer imperfectly, imitated by the simulator's quirk switches: the client
//! gets out of them what can be had (issue: interoperability).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif::Error;
use onvif::proto::Service;
use onvif_sim::Quirk;
use onvif_testkit::Sim;

#[tokio::test]
async fn an_empty_get_services_is_completed_by_get_capabilities() {
    let (h, cam) = Sim::builder()
        .manual_clock()
        .quirk(Quirk::EmptyServices)
        .start_and_connect()
        .await;
    let eps = cam.endpoints().await.unwrap();
    assert_eq!(eps.source, "GetServices+GetCapabilities");
    for s in [
        Service::Media,
        Service::Ptz,
        Service::Imaging,
        Service::Events,
    ] {
        assert!(eps.services.contains_key(&s), "{s} missing: {eps:?}");
    }
    // PTZ works although GetServices never named it.
    let t = cam.ptz_target(None).await.unwrap();
    cam.ptz_status(&t).await.unwrap();
    assert_eq!(h.stats().operation("GetCapabilities"), 1);
    // Asked once, not on every lookup.
    cam.endpoint(Service::Ptz).await.unwrap();
    assert_eq!(h.stats().operation("GetCapabilities"), 1);
}

#[tokio::test]
async fn a_service_get_services_leaves_out_is_looked_up_once_in_get_capabilities() {
    let (h, cam) = Sim::builder()
        .manual_clock()
        .without_service(Service::Replay)
        .start_and_connect()
        .await;
    // A full GetServices: nothing else is asked.
    cam.endpoint(Service::Ptz).await.unwrap();
    assert_eq!(h.stats().operation("GetCapabilities"), 0);
    // A service the camera has nowhere is asked about once, then known to be missing.
    let listed = cam.endpoints().await.unwrap().services;
    let missing = Service::Replay;
    assert!(!listed.contains_key(&missing), "{listed:?}");
    assert!(matches!(
        cam.endpoint(missing).await,
        Err(Error::NoService(s)) if s == missing
    ));
    assert!(!cam.has_service(missing).await.unwrap());
    assert_eq!(h.stats().operation("GetCapabilities"), 1);
    // Media2 is never looked for in GetCapabilities.
    assert!(cam.has_service(Service::Media2).await.unwrap());
}

#[tokio::test]
async fn ptz_goes_on_when_get_configuration_and_get_node_answer_the_wrong_operation() {
    let (h, cam) = Sim::builder()
        .manual_clock()
        .quirk(Quirk::PtzRoutesBySubstring)
        .start_and_connect()
        .await;
    let t = cam.ptz_target(None).await.unwrap();
    let why = t.fallback.clone().expect("a fallback was used");
    assert!(why.contains("GetConfiguration failed"), "{why}");
    assert!(why.contains("GetConfigurationsResponse"), "{why}");
    assert_eq!(t.configuration.token, "PTZConfig_1");
    assert_eq!(t.node.token, "PTZNode_1", "the profile names the node");
    assert!(!t.node.supported_spaces.continuous_pan_tilt.is_empty());

    // Stop, a continuous move in the generic velocity space, presets and home all work.
    cam.ptz_continuous(&t, Some(0.5), Some(0.0), None, Some(Duration::from_secs(5)))
        .await
        .unwrap();
    assert!(h.ptz_moving());
    cam.ptz_stop(&t).await.unwrap();
    assert!(!h.ptz_moving());
    let token = cam.ptz_set_preset(&t, "gate").await.unwrap();
    cam.ptz_goto_preset(&t, &token, None).await.unwrap();
    cam.ptz_goto_home(&t, Some(0.5)).await.unwrap();
    assert!(h.stats().operation("GotoPreset") == 1 && h.stats().operation("GotoHomePosition") == 1);
}

#[tokio::test]
async fn answers_with_undeclared_prefixes_are_read_where_the_name_is_expected() {
    let (h, cam) = Sim::builder()
        .manual_clock()
        .quirk(Quirk::UndeclaredPrefixes)
        .start_and_connect()
        .await;
    let t = cam.ptz_target(None).await.unwrap();
    assert!(t.fallback.is_none(), "{:?}", t.fallback);
    // `<ptz:AbsoluteMoveResponse/>`: an acknowledgement, and the move happened.
    cam.ptz_absolute(&t, Some(0.5), Some(0.25), None, None)
        .await
        .unwrap();
    assert_eq!(h.stats().operation("AbsoluteMove"), 1);
    h.advance(Duration::from_secs(60));
    assert!(!h.ptz_moving());
    // `<ptz:GetPresetsResponse><ptz:Preset token=..><tt:Name>..`: every preset is read.
    cam.ptz_set_preset(&t, "gate").await.unwrap();
    cam.ptz_set_preset(&t, "porch").await.unwrap();
    let presets = cam.ptz_presets(&t).await.unwrap();
    let names: Vec<_> = presets.iter().filter_map(|p| p.name.as_deref()).collect();
    assert_eq!(names, ["gate", "porch"], "{presets:?}");
    let raw = String::from_utf8(cam.last_response().unwrap()).unwrap();
    assert!(raw.contains("<ptz:GetPresetsResponse>"), "{raw}");
    assert!(!raw.contains("xmlns:ptz="), "{raw}");
}
