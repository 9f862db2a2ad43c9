//! The actions the WSDLs print, which WSDL-driven clients send: the strict posture takes them
//! as the operation's, even where they slip from the `{namespace}/{name}` rule.

use super::*;

/// Imaging Stop announced with the action its WSDL binds, `FocusStop` (gSOAP, WCF and
/// onvif-zeep-async send it): served by the strict posture too, as the WSDL's own action.
#[tokio::test]
async fn imaging_stop_with_the_wsdl_action_focus_stop() {
    let h = camera().strict(true).start().await;
    let body = r#"<Stop xmlns="http://www.onvif.org/ver20/imaging/wsdl"><VideoSourceToken>VideoSource_1</VideoSourceToken></Stop>"#;
    let r = request(
        Style::Soap12,
        "/onvif/imaging_service",
        "http://www.onvif.org/ver20/imaging/wsdl/FocusStop",
        "",
        body,
    )
    .send(h.addr())
    .await;
    assert!(payload(Style::Soap12, &r).is(ns::TIMG, "StopResponse"));
    h.shutdown().await;
}

/// media.wsdl prints GetVideoSources' and GetProfile's actions without the `/` before the
/// name and with one after it (`.../ver10/media/wsdlGetVideoSources/`); zeep sends that, so
/// the strict posture takes it. Another action is still refused.
#[tokio::test]
async fn media_operations_with_the_actions_media_wsdl_prints() {
    let h = camera().strict(true).start().await;
    let sent = [
        (
            "http://www.onvif.org/ver10/media/wsdlGetVideoSources/",
            r#"<GetVideoSources xmlns="http://www.onvif.org/ver10/media/wsdl"/>"#,
            "GetVideoSourcesResponse",
        ),
        (
            "http://www.onvif.org/ver10/media/wsdlGetProfile/",
            r#"<GetProfile xmlns="http://www.onvif.org/ver10/media/wsdl"><ProfileToken>Profile_1</ProfileToken></GetProfile>"#,
            "GetProfileResponse",
        ),
    ];
    for (action, body, answer) in sent {
        let r = request(Style::Soap12, MEDIA, action, "", body)
            .send(h.addr())
            .await;
        assert_eq!(r.status, 200, "{action}: {}", r.body);
        assert!(payload(Style::Soap12, &r).is(ns::TRT, answer), "{}", r.body);
    }
    // ver20's, with the trailing '/' it prints now and without the '/' before the name of
    // earlier editions.
    for action in [
        "http://www.onvif.org/ver20/media/wsdl/GetVideoSourceConfigurationOptions/",
        "http://www.onvif.org/ver20/media/wsdlGetVideoSourceConfigurationOptions/",
    ] {
        let body = r#"<GetVideoSourceConfigurationOptions xmlns="http://www.onvif.org/ver20/media/wsdl"/>"#;
        let r = request(Style::Soap12, "/onvif/media2_service", action, "", body)
            .send(h.addr())
            .await;
        assert_eq!(r.status, 200, "{action}: {}", r.body);
    }
    let r = request(
        Style::Soap12,
        MEDIA,
        "http://www.onvif.org/ver10/media/wsdlGetProfile/",
        "",
        r#"<GetVideoSources xmlns="http://www.onvif.org/ver10/media/wsdl"/>"#,
    )
    .send(h.addr())
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    h.shutdown().await;
}
