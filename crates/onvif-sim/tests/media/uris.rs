//! URIs

use super::*;

async fn media1_uris(cam: &Sim, profile: &str) -> (String, String) {
    let s: media::StreamUri = cam
        .ask(MEDIA, &media::GetStreamUri::rtsp(profile))
        .await
        .read();
    let j: media::SnapshotUri = cam
        .ask(
            MEDIA,
            &media::GetSnapshotUri {
                profile_token: profile.into(),
            },
        )
        .await
        .read();
    (s.media_uri.uri, j.media_uri.uri)
}

#[tokio::test]
async fn stream_and_snapshot_uris_name_the_host_the_request_came_to() {
    let cam = Sim::builder().start().await;
    let port = cam.addr().port();
    let (stream, snap) = media1_uris(&cam, "Profile_1").await;
    assert_eq!(stream, "rtsp://127.0.0.1:8554/Profile_1");
    assert_eq!(
        snap,
        format!("http://127.0.0.1:{port}/onvif/snapshot?profile=Profile_1")
    );
    assert_eq!(snap, cam.snapshot_url("Profile_1"));
    assert_eq!(onvif_sim::RTSP_PORT, 8554);

    // Every Media1 transport gets an address.
    for protocol in [
        media::TransportProtocol::Udp,
        media::TransportProtocol::Tcp,
        media::TransportProtocol::Http,
    ] {
        let req = media::GetStreamUri {
            stream: media::StreamType::RtpUnicast,
            protocol,
            profile_token: "Profile_2".into(),
        };
        let s: media::StreamUri = cam.ask(MEDIA, &req).await.read();
        assert_eq!(s.media_uri.uri, "rtsp://127.0.0.1:8554/Profile_2");
    }

    // Media2, each protocol, the H.265 profile included.
    for protocol in [
        media2::StreamingProtocol::RtspUnicast,
        media2::StreamingProtocol::Rtsp,
        media2::StreamingProtocol::RtspOverHttp,
        media2::StreamingProtocol::RtspMulticast,
    ] {
        let req = media2::GetStreamUri {
            protocol,
            profile_token: "Profile_3".into(),
        };
        let s: media2::StreamUri = cam.ask(MEDIA2, &req).await.read();
        assert_eq!(s.media_uri.uri, "rtsp://127.0.0.1:8554/Profile_3");
    }
    let req = media2::GetStreamUri {
        protocol: media2::StreamingProtocol::Other("SRT".into()),
        profile_token: "Profile_1".into(),
    };
    assert_invalid_arg(&cam.ask(MEDIA2, &req).await, "InvalidStreamSetup");
    let j: media2::SnapshotUri = cam
        .ask(
            MEDIA2,
            &media2::GetSnapshotUri {
                profile_token: "Profile_3".into(),
            },
        )
        .await
        .read();
    assert_eq!(j.media_uri.uri, cam.snapshot_url("Profile_3"));

    // The Host the client used is the one named (the port of the RTSP URI stays 8554).
    let req = Req::post(
        MEDIA,
        &envelope_of(
            &media::GetStreamUri::rtsp("Profile_1"),
            Some(&token(USER, PASSWORD, Timestamp::now())),
        ),
    );
    let raw = String::from_utf8(req.bytes(cam.addr()))
        .unwrap()
        .replace(&format!("Host: {}", cam.addr()), "Host: cam.example:8000");
    let s: media::StreamUri = send_raw(cam.addr(), raw.as_bytes()).await.read();
    assert_eq!(s.media_uri.uri, "rtsp://cam.example:8554/Profile_1");
}

#[tokio::test]
async fn unknown_profiles_are_no_profile_faults() {
    let cam = Sim::builder().start().await;
    let nope = || "Profile_9".to_owned();
    let r = cam
        .ask(
            MEDIA,
            &media::GetProfile {
                profile_token: nope(),
            },
        )
        .await;
    assert_invalid_arg(&r, "NoProfile");
    assert_invalid_arg(
        &cam.ask(MEDIA, &media::GetStreamUri::rtsp(nope())).await,
        "NoProfile",
    );
    assert_invalid_arg(
        &cam.ask(
            MEDIA,
            &media::GetSnapshotUri {
                profile_token: nope(),
            },
        )
        .await,
        "NoProfile",
    );
    assert_invalid_arg(
        &cam.ask(MEDIA2, &media2::GetStreamUri::rtsp(nope())).await,
        "NoProfile",
    );
    assert_invalid_arg(
        &cam.ask(
            MEDIA2,
            &media2::GetSnapshotUri {
                profile_token: nope(),
            },
        )
        .await,
        "NoProfile",
    );
    // The H.265 profile is unknown to Media1 for URIs too.
    assert_invalid_arg(
        &cam.ask(MEDIA, &media::GetStreamUri::rtsp("Profile_3"))
            .await,
        "NoProfile",
    );
}

#[tokio::test]
async fn lying_quirks_apply_to_stream_and_snapshot_uris() {
    let cases = [
        (
            Quirk::LyingXAddrsZero,
            "rtsp://{zero}:8554/Profile_1",
            "http://{zero}:{port}/onvif/snapshot?profile=Profile_1",
        ),
        (
            Quirk::LyingXAddrsOtherHost,
            "rtsp://192.0.2.1:8554/Profile_1",
            "http://192.0.2.1:{port}/onvif/snapshot?profile=Profile_1",
        ),
        (
            Quirk::DoubledPort,
            "rtsp://127.0.0.1:8554:8554/Profile_1",
            "http://127.0.0.1:{port}:{port}/onvif/snapshot?profile=Profile_1",
        ),
    ];
    for (q, stream, snap) in cases {
        let cam = Sim::builder().quirk(q).start().await;
        let port = cam.addr().port().to_string();
        // The addresses the quirks report are compared, never contacted.
        let zero = std::net::Ipv4Addr::UNSPECIFIED.to_string();
        let (s, j) = media1_uris(&cam, "Profile_1").await;
        assert_eq!(s, stream.replace("{zero}", &zero), "{q}");
        assert_eq!(
            j,
            snap.replace("{port}", &port).replace("{zero}", &zero),
            "{q}"
        );
    }

    let cam = Sim::builder()
        .credentials(USER, "p@ss:w/rd%")
        .auth(AuthMode::None)
        .quirk(Quirk::SnapshotUriWithCredentials)
        .start()
        .await;
    let j: media2::SnapshotUri = call(
        cam.addr(),
        MEDIA2,
        &media2::GetSnapshotUri {
            profile_token: "Profile_2".into(),
        },
        None,
    )
    .await
    .read();
    assert_eq!(
        j.media_uri.uri,
        format!(
            "http://admin:p%40ss%3Aw%2Frd%25@{}/onvif/snapshot?profile=Profile_2",
            cam.addr()
        )
    );
}

#[tokio::test]
async fn device_discovery_lists_the_new_services() {
    let cam = Sim::builder().quirk(Quirk::OpenOperations).start().await;
    let base = format!("http://{}", cam.addr());
    let caps: Capabilities = call(cam.addr(), DEVICE, &GetCapabilities::default(), None)
        .await
        .read();
    let cats: Vec<&str> = caps.entries.iter().map(|e| e.category.as_str()).collect();
    // The core categories, then the extensions (tests/recordings.rs checks those).
    assert_eq!(
        cats[..6],
        ["Analytics", "Device", "Events", "Imaging", "Media", "PTZ"]
    );
    assert_eq!(
        caps.xaddr(Service::Media),
        Some(format!("{base}{MEDIA}").as_str())
    );
    assert_eq!(
        caps.xaddr(Service::Imaging),
        Some(format!("{base}{IMAGING}").as_str())
    );
    let m = caps.entries.iter().find(|e| e.category == "Media").unwrap();
    for flag in [
        "StreamingCapabilities.RTP_TCP",
        "StreamingCapabilities.RTP_RTSP_TCP",
    ] {
        assert_eq!(
            m.flags.get(flag).map(String::as_str),
            Some("true"),
            "{flag}"
        );
    }

    let s: Services = call(
        cam.addr(),
        DEVICE,
        &GetServices {
            include_capability: true,
        },
        None,
    )
    .await
    .read();
    let xaddr = |svc| {
        s.services
            .iter()
            .find(|i| i.service == Some(svc))
            .map(|i| i.xaddr.clone())
    };
    assert_eq!(xaddr(Service::Media2), Some(format!("{base}{MEDIA2}")));
    assert_eq!(xaddr(Service::Media), Some(format!("{base}{MEDIA}")));
    let media2_caps = &s
        .services
        .iter()
        .find(|i| i.service == Some(Service::Media2))
        .unwrap()
        .capabilities;
    assert_eq!(
        media2_caps.get("SnapshotUri").map(String::as_str),
        Some("true")
    );
}

#[tokio::test]
async fn tapo_serves_media_at_one_path_and_snapshots_at_the_usual_one() {
    let cam = Sim::builder()
        .quirk(Quirk::Tapo)
        .snapshot_auth(SnapshotAuth::None)
        .start()
        .await;
    let p: media2::Profiles = cam
        .ask("/onvif/service", &media2::GetProfiles::default())
        .await
        .read();
    assert_eq!(p.profiles.len(), 3);
    let p: media::Profiles = cam.ask("/onvif/service", &media::GetProfiles).await.read();
    assert_eq!(p.profiles.len(), 2);
    let s: ImagingSettingsResponse = cam
        .ask(
            "/onvif/service",
            &GetImagingSettings {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(s.settings.brightness, Some(50.0));
    assert_eq!(cam.ask(MEDIA, &media::GetProfiles).await.status, 404);
    let j: media::SnapshotUri = cam
        .ask(
            "/onvif/service",
            &media::GetSnapshotUri {
                profile_token: "Profile_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(j.media_uri.uri, cam.snapshot_url("Profile_1"));
    assert_jpeg(&get(&cam, &path_of(&j.media_uri.uri), None).await);
}
