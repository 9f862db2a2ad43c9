//! Media (ver10), Media2 (ver20) and Imaging (ver20) operations, stream and snapshot URIs, and
//! the snapshot URL itself, over real sockets.

#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use jiff::Timestamp;
use md5::Md5;
use onvif_proto::ops::device::{Capabilities, GetCapabilities, GetServices, Services};
use onvif_proto::ops::imaging::{
    FocusMove, GetImagingSettings, GetMoveOptions, GetOptions, ImagingOptionsResponse,
    ImagingSettings, ImagingSettingsResponse, IrCutFilterMode, Move, MoveOptionsResponse,
    SetImagingSettings, Stop,
};
use onvif_proto::ops::profile::{
    IntRange, MediaProfile, MediaVersion, Resolution, VideoEncoder, VideoEncoding,
};
use onvif_proto::ops::{Service, imaging, media, media2};
use onvif_sim::{AuthFailure, AuthMode, Quirk, SnapshotAuth};
use onvif_testkit::http::{DEVICE, RawResp, Req, Resp, call, envelope_of, send_raw, token};
use onvif_testkit::{PASSWORD, Sim, USER};
use sha2::{Digest, Sha256};

const MEDIA: &str = "/onvif/media_service";
const MEDIA2: &str = "/onvif/media2_service";
const IMAGING: &str = "/onvif/imaging_service";

/// Assert a 400 Sender fault with `ter:InvalidArgVal / ter:<sub>`, in that order.
fn assert_invalid_arg(r: &Resp, sub: &str) {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Sender", "{f}");
    let subs: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["InvalidArgVal", sub], "{f}");
    assert!(f.has_subcode(sub), "{f}");
}

fn encoder(p: &MediaProfile) -> &VideoEncoder {
    p.video_encoder.as_ref().unwrap()
}

fn res(width: u32, height: u32) -> Option<Resolution> {
    Some(Resolution { width, height })
}

// ---------------------------------------------------------------------------------------------
// Media (ver10)

#[tokio::test]
async fn media1_profiles_sources_and_encoders() {
    let cam = Sim::builder().start().await;
    let p: media::Profiles = cam.ask(MEDIA, &media::GetProfiles).await.read();
    let tokens: Vec<&str> = p.profiles.iter().map(|p| p.token.as_str()).collect();
    assert_eq!(
        tokens,
        ["Profile_1", "Profile_2"],
        "no H.265 profile in Media1"
    );

    let main = &p.profiles[0];
    assert_eq!(main.name, "mainStream");
    assert_eq!(main.source, MediaVersion::Media1);
    let e = encoder(main);
    assert_eq!(e.token, "VideoEncoder_1");
    assert_eq!(e.encoding, Some(VideoEncoding::H264));
    assert_eq!(e.resolution, res(1920, 1080));
    assert_eq!(e.frame_rate_limit, Some(25.0));
    assert_eq!(e.bitrate_limit, Some(4096));
    assert_eq!(e.gov_length, Some(50));
    assert_eq!(e.profile.as_deref(), Some("Main"));
    let ptz = main.ptz.as_ref().unwrap();
    assert_eq!(ptz.token, "PTZConfig_1");
    assert_eq!(ptz.node_token.as_deref(), Some("PTZNode_1"));
    let vsc = main.video_source.as_ref().unwrap();
    assert_eq!(vsc.token, "VideoSourceConfig_1");
    assert_eq!(vsc.source_token.as_deref(), Some("VideoSource_1"));

    let sub = &p.profiles[1];
    assert_eq!(sub.name, "subStream");
    assert!(sub.ptz.is_none());
    let e = encoder(sub);
    assert_eq!(e.token, "VideoEncoder_2");
    assert_eq!(e.encoding, Some(VideoEncoding::H264));
    assert_eq!(e.resolution, res(640, 360));
    assert_eq!(e.frame_rate_limit, Some(15.0));
    assert_eq!(e.bitrate_limit, Some(512));

    let one: media::Profile = cam
        .ask(
            MEDIA,
            &media::GetProfile {
                profile_token: "Profile_2".into(),
            },
        )
        .await
        .read();
    assert_eq!(&one.profile, sub);

    let sources: media::VideoSources = cam.ask(MEDIA, &media::GetVideoSources).await.read();
    assert_eq!(sources.sources.len(), 1);
    let vs = &sources.sources[0];
    assert_eq!(vs.token, "VideoSource_1");
    assert_eq!(vs.resolution, res(1920, 1080));
    assert_eq!(vs.framerate, Some(25.0));
    assert_eq!(vs.imaging.as_ref().and_then(|i| i.brightness), Some(50.0));

    let vscs: media::VideoSourceConfigurations = cam
        .ask(MEDIA, &media::GetVideoSourceConfigurations)
        .await
        .read();
    assert_eq!(vscs.configurations.len(), 1);
    assert_eq!(&vscs.configurations[0].token, "VideoSourceConfig_1");

    let encs: media::VideoEncoderConfigurations = cam
        .ask(MEDIA, &media::GetVideoEncoderConfigurations)
        .await
        .read();
    let tokens: Vec<&str> = encs
        .configurations
        .iter()
        .map(|e| e.token.as_str())
        .collect();
    assert_eq!(tokens, ["VideoEncoder_1", "VideoEncoder_2"]);

    let one: media::VideoEncoderConfiguration = cam
        .ask(
            MEDIA,
            &media::GetVideoEncoderConfiguration {
                configuration_token: "VideoEncoder_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(&one.configuration, encoder(main));
    let r = cam
        .ask(
            MEDIA,
            &media::GetVideoEncoderConfiguration {
                configuration_token: "VideoEncoder_3".into(),
            },
        )
        .await;
    assert_invalid_arg(&r, "NoConfig");

    let opts: media::VideoEncoderConfigurationOptions = cam
        .ask(
            MEDIA,
            &media::GetVideoEncoderConfigurationOptions {
                configuration_token: Some("VideoEncoder_1".into()),
                profile_token: None,
            },
        )
        .await
        .read();
    let h264 = opts.options.get(&VideoEncoding::H264).unwrap();
    assert!(h264.resolutions.contains(&Resolution {
        width: 1920,
        height: 1080
    }));
    assert_eq!(
        h264.bitrate_range,
        Some(IntRange {
            min: 128,
            max: 8192
        })
    );
    assert_eq!(h264.gov_length_range, Some(IntRange { min: 1, max: 150 }));
    assert!(h264.frame_rate_range.is_some());
    assert!(h264.profiles.iter().any(|p| p == "Main"));
    assert!(opts.options.get(&VideoEncoding::H265).is_none());
    // Every configuration, by profile, and an unknown profile.
    let all: media::VideoEncoderConfigurationOptions = cam
        .ask(
            MEDIA,
            &media::GetVideoEncoderConfigurationOptions::default(),
        )
        .await
        .read();
    assert_eq!(
        all.options.encodings.len(),
        1,
        "Media1 has no H.265 options"
    );
    let r = cam
        .ask(
            MEDIA,
            &media::GetVideoEncoderConfigurationOptions {
                configuration_token: None,
                profile_token: Some("Profile_9".into()),
            },
        )
        .await;
    assert_invalid_arg(&r, "NoProfile");

    let caps: media::ServiceCapabilities =
        cam.ask(MEDIA, &media::GetServiceCapabilities).await.read();
    assert!(caps.0.flag("SnapshotUri"));
    assert!(caps.0.flag("StreamingCapabilities.RTP_TCP"));
    assert!(caps.0.flag("StreamingCapabilities.RTP_RTSP_TCP"));
    assert_eq!(caps.max_profiles(), Some(3));
}

#[tokio::test]
async fn media_needs_credentials() {
    let cam = Sim::builder().start().await;
    call(cam.addr(), MEDIA, &media::GetProfiles, None)
        .await
        .assert_not_authorized();
    call(cam.addr(), MEDIA2, &media2::GetProfiles::default(), None)
        .await
        .assert_not_authorized();
    call(
        cam.addr(),
        IMAGING,
        &GetImagingSettings {
            video_source_token: "VideoSource_1".into(),
        },
        None,
    )
    .await
    .assert_not_authorized();
    assert_eq!(cam.stats().operation("GetProfiles"), 0);
}

#[tokio::test]
async fn set_video_encoder_configuration_changes_the_profiles() {
    let cam = Sim::builder().start().await;
    let one: media::VideoEncoderConfiguration = cam
        .ask(
            MEDIA,
            &media::GetVideoEncoderConfiguration {
                configuration_token: "VideoEncoder_2".into(),
            },
        )
        .await
        .read();
    let mut changed = one.configuration.clone();
    changed.resolution = res(1280, 720);
    changed.frame_rate_limit = Some(10.0);
    changed.bitrate_limit = Some(1024);
    let set = media::SetVideoEncoderConfiguration {
        configuration: changed.clone(),
        force_persistence: true,
    };
    let _: media::SetVideoEncoderConfigurationResponse = cam.ask(MEDIA, &set).await.read();

    let p: media::Profile = cam
        .ask(
            MEDIA,
            &media::GetProfile {
                profile_token: "Profile_2".into(),
            },
        )
        .await
        .read();
    assert_eq!(encoder(&p.profile), &changed);
    let m2: media2::VideoEncoderConfigurations = cam
        .ask(
            MEDIA2,
            &media2::GetVideoEncoderConfigurations {
                configuration_token: Some("VideoEncoder_2".into()),
                profile_token: None,
            },
        )
        .await
        .read();
    assert_eq!(m2.configurations[0].resolution, res(1280, 720));
    assert_eq!(m2.configurations[0].bitrate_limit, Some(1024));

    // Values outside the options are refused, and nothing changes.
    for bad in [
        VideoEncoder {
            resolution: res(999, 999),
            ..changed.clone()
        },
        VideoEncoder {
            bitrate_limit: Some(100_000),
            ..changed.clone()
        },
        VideoEncoder {
            frame_rate_limit: Some(60.0),
            ..changed.clone()
        },
        VideoEncoder {
            encoding: Some(VideoEncoding::H265),
            ..changed.clone()
        },
    ] {
        let set = media::SetVideoEncoderConfiguration {
            configuration: bad,
            force_persistence: true,
        };
        assert_invalid_arg(&cam.ask(MEDIA, &set).await, "ConfigModify");
    }
    let set = media::SetVideoEncoderConfiguration {
        configuration: VideoEncoder {
            token: "VideoEncoder_3".into(),
            ..changed.clone()
        },
        force_persistence: true,
    };
    assert_invalid_arg(&cam.ask(MEDIA, &set).await, "NoConfig");

    // Media2 changes the H.265 encoder, within its own options.
    let m2: media2::VideoEncoderConfigurations = cam
        .ask(
            MEDIA2,
            &media2::GetVideoEncoderConfigurations {
                configuration_token: Some("VideoEncoder_3".into()),
                profile_token: None,
            },
        )
        .await
        .read();
    let h265 = VideoEncoder {
        resolution: res(1920, 1080),
        ..m2.configurations[0].clone()
    };
    let set = media2::SetVideoEncoderConfiguration {
        configuration: h265.clone(),
    };
    let _: media2::SetVideoEncoderConfigurationResponse = cam.ask(MEDIA2, &set).await.read();
    let set = media2::SetVideoEncoderConfiguration {
        configuration: VideoEncoder {
            encoding: Some(VideoEncoding::H264),
            ..h265
        },
    };
    assert_invalid_arg(&cam.ask(MEDIA2, &set).await, "ConfigModify");
    let p: media2::Profiles = cam
        .ask(
            MEDIA2,
            &media2::GetProfiles {
                token: Some("Profile_3".into()),
                types: vec!["All".into()],
            },
        )
        .await
        .read();
    assert_eq!(encoder(&p.profiles[0]).resolution, res(1920, 1080));
}

// ---------------------------------------------------------------------------------------------
// Media2 (ver20)

#[tokio::test]
async fn media2_shows_the_h265_profile() {
    let cam = Sim::builder().start().await;
    let p: media2::Profiles = cam
        .ask(MEDIA2, &media2::GetProfiles::default())
        .await
        .read();
    let tokens: Vec<&str> = p.profiles.iter().map(|p| p.token.as_str()).collect();
    assert_eq!(tokens, ["Profile_1", "Profile_2", "Profile_3"]);
    let h265 = &p.profiles[2];
    assert_eq!(h265.name, "h265Stream");
    assert_eq!(h265.source, MediaVersion::Media2);
    let e = encoder(h265);
    assert_eq!(e.token, "VideoEncoder_3");
    assert_eq!(e.encoding, Some(VideoEncoding::H265));
    assert_eq!(e.resolution, res(2560, 1440));
    assert_eq!(e.frame_rate_limit, Some(20.0));
    // The second PTZ head (non-default ranges) is driven through this profile.
    let ptz = h265.ptz.as_ref().unwrap();
    assert_eq!(ptz.token, "PTZConfig_2");
    assert_eq!(ptz.node_token.as_deref(), Some("PTZNode_2"));
    let main = &p.profiles[0];
    assert_eq!(main.name, "mainStream");
    assert_eq!(encoder(main).gov_length, Some(50));
    assert_eq!(
        main.ptz.as_ref().map(|p| p.token.as_str()),
        Some("PTZConfig_1")
    );

    // Only the configuration types asked for.
    let only_enc: media2::Profiles = cam
        .ask(
            MEDIA2,
            &media2::GetProfiles {
                token: None,
                types: vec!["VideoEncoder".into()],
            },
        )
        .await
        .read();
    for p in &only_enc.profiles {
        assert!(p.video_encoder.is_some() && p.video_source.is_none() && p.ptz.is_none());
    }
    let two: media2::Profiles = cam
        .ask(
            MEDIA2,
            &media2::GetProfiles {
                token: Some("Profile_1".into()),
                types: vec!["VideoSource".into(), "PTZ".into()],
            },
        )
        .await
        .read();
    assert_eq!(two.profiles.len(), 1);
    let p1 = &two.profiles[0];
    assert!(p1.video_source.is_some() && p1.ptz.is_some() && p1.video_encoder.is_none());
    let none: media2::Profiles = cam
        .ask(
            MEDIA2,
            &media2::GetProfiles {
                token: None,
                types: Vec::new(),
            },
        )
        .await
        .read();
    assert_eq!(none.profiles.len(), 3);
    assert!(none.profiles.iter().all(|p| p.video_encoder.is_none()));
    let r = cam
        .ask(
            MEDIA2,
            &media2::GetProfiles {
                token: None,
                types: vec!["Everything".into()],
            },
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.fault().has_subcode("InvalidArgVal"));
    let r = cam
        .ask(
            MEDIA2,
            &media2::GetProfiles {
                token: Some("Profile_9".into()),
                types: vec!["All".into()],
            },
        )
        .await;
    assert_invalid_arg(&r, "NoProfile");

    let encs: media2::VideoEncoderConfigurations = cam
        .ask(MEDIA2, &media2::GetVideoEncoderConfigurations::default())
        .await
        .read();
    assert_eq!(encs.configurations.len(), 3);
    let by_profile: media2::VideoEncoderConfigurations = cam
        .ask(
            MEDIA2,
            &media2::GetVideoEncoderConfigurations {
                configuration_token: None,
                profile_token: Some("Profile_3".into()),
            },
        )
        .await
        .read();
    assert_eq!(by_profile.configurations.len(), 1);
    assert_eq!(by_profile.configurations[0].token, "VideoEncoder_3");
    assert_eq!(
        by_profile.configurations[0].encoding,
        Some(VideoEncoding::H265)
    );

    let vscs: media2::VideoSourceConfigurations = cam
        .ask(MEDIA2, &media2::GetVideoSourceConfigurations::default())
        .await
        .read();
    assert_eq!(vscs.configurations[0].token, "VideoSourceConfig_1");
    let r = cam
        .ask(
            MEDIA2,
            &media2::GetVideoSourceConfigurations {
                configuration_token: Some("nope".into()),
                profile_token: None,
            },
        )
        .await;
    assert_invalid_arg(&r, "NoConfig");

    let opts: media2::VideoEncoderConfigurationOptions = cam
        .ask(
            MEDIA2,
            &media2::GetVideoEncoderConfigurationOptions::default(),
        )
        .await
        .read();
    let h265o = opts.options.get(&VideoEncoding::H265).unwrap();
    assert!(h265o.resolutions.contains(&Resolution {
        width: 2560,
        height: 1440
    }));
    assert!(h265o.frame_rates_supported.contains(&20.0));
    assert!(opts.options.get(&VideoEncoding::H264).is_some());

    let caps: media2::ServiceCapabilities = cam
        .ask(MEDIA2, &media2::GetServiceCapabilities)
        .await
        .read();
    assert!(caps.0.flag("SnapshotUri"));
    assert!(caps.0.flag("StreamingCapabilities.RTSPStreaming"));

    // Media1 does not know the H.265 profile.
    let r = cam
        .ask(
            MEDIA,
            &media::GetProfile {
                profile_token: "Profile_3".into(),
            },
        )
        .await;
    assert_invalid_arg(&r, "NoProfile");
}

// ---------------------------------------------------------------------------------------------
// URIs

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

// ---------------------------------------------------------------------------------------------
// Imaging

fn brightness(v: f64) -> SetImagingSettings {
    SetImagingSettings {
        video_source_token: "VideoSource_1".into(),
        settings: ImagingSettings {
            brightness: Some(v),
            ..ImagingSettings::default()
        },
        force_persistence: None,
    }
}

async fn imaging_settings(cam: &Sim) -> ImagingSettings {
    let r: ImagingSettingsResponse = cam
        .ask(
            IMAGING,
            &GetImagingSettings {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    r.settings
}

#[tokio::test]
async fn set_imaging_settings_changes_what_get_reads_back() {
    let cam = Sim::builder().start().await;
    let before = imaging_settings(&cam).await;
    assert_eq!(before.brightness, Some(50.0));
    assert_eq!(before.contrast, Some(50.0));
    assert_eq!(before.ir_cut_filter, Some(IrCutFilterMode::Auto));

    let set = SetImagingSettings {
        video_source_token: "VideoSource_1".into(),
        settings: ImagingSettings {
            brightness: Some(70.0),
            contrast: Some(30.0),
            ir_cut_filter: Some(IrCutFilterMode::Off),
            ..ImagingSettings::default()
        },
        force_persistence: Some(true),
    };
    let _: imaging::SetImagingSettingsResponse = cam.ask(IMAGING, &set).await.read();
    let after = imaging_settings(&cam).await;
    assert_eq!(after.brightness, Some(70.0));
    assert_eq!(after.contrast, Some(30.0));
    assert_eq!(after.ir_cut_filter, Some(IrCutFilterMode::Off));
    assert_eq!(after.sharpness, before.sharpness, "untouched values stay");
    assert_eq!(after.exposure, before.exposure);

    // The video source shows the same settings.
    let sources: media::VideoSources = cam.ask(MEDIA, &media::GetVideoSources).await.read();
    assert_eq!(
        sources.sources[0]
            .imaging
            .as_ref()
            .and_then(|i| i.brightness),
        Some(70.0)
    );

    // Outside GetOptions' 0..100: refused, nothing changes.
    let opts: ImagingOptionsResponse = cam
        .ask(
            IMAGING,
            &GetOptions {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    let range = opts.options.brightness.unwrap();
    assert_eq!((range.min, range.max), (0.0, 100.0));
    assert!(
        opts.options
            .ir_cut_filter_modes
            .contains(&IrCutFilterMode::Auto)
    );
    for bad in [150.0, -1.0, 100.5] {
        assert_invalid_arg(&cam.ask(IMAGING, &brightness(bad)).await, "SettingsInvalid");
    }
    let mut exposure = brightness(60.0);
    exposure.settings.exposure = Some(imaging::Exposure {
        gain: Some(1000.0),
        ..imaging::Exposure::default()
    });
    assert_invalid_arg(&cam.ask(IMAGING, &exposure).await, "SettingsInvalid");
    assert_eq!(imaging_settings(&cam).await.brightness, Some(70.0));
    // The edges are in range.
    let _: imaging::SetImagingSettingsResponse = cam.ask(IMAGING, &brightness(100.0)).await.read();
    assert_eq!(imaging_settings(&cam).await.brightness, Some(100.0));

    let caps: imaging::ServiceCapabilities = cam
        .ask(IMAGING, &imaging::GetServiceCapabilities)
        .await
        .read();
    assert!(!caps.0.flag("ImageStabilization"));
    assert!(caps.0.flags.contains_key("Presets"));
}

#[tokio::test]
async fn focus_moves_are_checked_and_recorded() {
    let cam = Sim::builder().start().await;
    let mo: MoveOptionsResponse = cam
        .ask(
            IMAGING,
            &GetMoveOptions {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    assert!(mo.options.absolute.is_some() && mo.options.continuous.is_some());
    let mv = |focus| Move {
        video_source_token: "VideoSource_1".into(),
        focus,
    };

    let _: imaging::MoveResponse = cam
        .ask(
            IMAGING,
            &mv(FocusMove::Absolute {
                position: 0.8,
                speed: None,
            }),
        )
        .await
        .read();
    assert_eq!(cam.focus().position, 0.8);
    let _: imaging::MoveResponse = cam
        .ask(
            IMAGING,
            &mv(FocusMove::Relative {
                distance: -0.3,
                speed: Some(0.5),
            }),
        )
        .await
        .read();
    assert!((cam.focus().position - 0.5).abs() < 1e-9);
    let _: imaging::MoveResponse = cam
        .ask(IMAGING, &mv(FocusMove::Continuous { speed: 0.2 }))
        .await
        .read();
    assert_eq!(cam.focus().moving, Some(0.2));
    let _: imaging::StopResponse = cam
        .ask(
            IMAGING,
            &Stop {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(cam.focus().moving, None);
    assert_eq!(cam.focus().moves, 3);

    let r = cam
        .ask(
            IMAGING,
            &mv(FocusMove::Absolute {
                position: 2.0,
                speed: None,
            }),
        )
        .await;
    assert_invalid_arg(&r, "SettingsInvalid");
    assert_eq!(cam.focus().moves, 3);
}

#[tokio::test]
async fn unknown_video_sources_are_no_source_faults() {
    let cam = Sim::builder().start().await;
    let t = || "VideoSource_9".to_owned();
    let cases = [
        cam.ask(
            IMAGING,
            &GetImagingSettings {
                video_source_token: t(),
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &SetImagingSettings {
                video_source_token: t(),
                ..brightness(60.0)
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &GetOptions {
                video_source_token: t(),
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &GetMoveOptions {
                video_source_token: t(),
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &Move {
                video_source_token: t(),
                focus: FocusMove::Continuous { speed: 0.1 },
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &Stop {
                video_source_token: t(),
            },
        )
        .await,
    ];
    for r in &cases {
        assert_invalid_arg(r, "NoSource");
    }
    assert_eq!(imaging_settings(&cam).await.brightness, Some(50.0));
}

// ---------------------------------------------------------------------------------------------
// The snapshot URL

/// The path and query of an `http://` URI.
fn path_of(uri: &str) -> String {
    let rest = uri.strip_prefix("http://").unwrap();
    rest[rest.find('/').unwrap()..].to_owned()
}

async fn get(cam: &Sim, path: &str, auth: Option<&str>) -> RawResp {
    let mut req = Req::new("GET", path, "");
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    req.send_bytes(cam.addr()).await
}

fn assert_jpeg(r: &RawResp) {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert!(r.body.starts_with(&[0xFF, 0xD8]), "JPEG SOI");
    assert!(r.body.ends_with(&[0xFF, 0xD9]), "JPEG EOI");
    assert!(r.body.len() > 1000, "{} bytes", r.body.len());
}

/// A quoted parameter of a challenge.
fn param<'a>(challenge: &'a str, key: &str) -> &'a str {
    let start = challenge.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
    let len = challenge[start..].find('"').unwrap();
    &challenge[start..start + len]
}

fn h(alg: &str, s: &str) -> String {
    match alg {
        "MD5" => format!("{:x}", Md5::digest(s.as_bytes())),
        _ => format!("{:x}", Sha256::digest(s.as_bytes())),
    }
}

/// An Authorization header answering `challenge` for `GET uri`.
fn digest(challenge: &str, alg: &str, password: &str, uri: &str) -> String {
    let realm = param(challenge, "realm");
    let nonce = param(challenge, "nonce");
    let opaque = param(challenge, "opaque");
    let (cnonce, nc) = ("0a4f113b", "00000001");
    let ha1 = h(alg, &format!("{USER}:{realm}:{password}"));
    let ha2 = h(alg, &format!("GET:{uri}"));
    let response = h(alg, &format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
    format!(
        r#"Digest username="{USER}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm={alg}, qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}", opaque="{opaque}""#
    )
}

/// GET `path` answering a fresh Digest challenge with `alg` and `password`.
async fn get_with_digest(cam: &Sim, path: &str, alg: &str, password: &str) -> RawResp {
    let r = get(cam, path, None).await;
    assert_eq!(r.status, 401);
    let challenge = r
        .headers_all("www-authenticate")
        .into_iter()
        .find(|c| c.contains(&format!("algorithm={alg}")))
        .unwrap()
        .to_owned();
    get(cam, path, Some(&digest(&challenge, alg, password, path))).await
}

#[tokio::test]
async fn snapshot_needs_digest_and_serves_a_jpeg() {
    // The SOAP side is open; the snapshot URL still asks for Digest.
    let cam = Sim::builder()
        .credentials(USER, PASSWORD)
        .auth(AuthMode::None)
        .start()
        .await;
    let j: media::SnapshotUri = call(
        cam.addr(),
        MEDIA,
        &media::GetSnapshotUri {
            profile_token: "Profile_1".into(),
        },
        None,
    )
    .await
    .read();
    let path = path_of(&j.media_uri.uri);
    assert_eq!(path, "/onvif/snapshot?profile=Profile_1");

    let r = get(&cam, &path, None).await;
    assert_eq!(r.status, 401);
    let challenges = r.headers_all("www-authenticate");
    assert_eq!(challenges.len(), 2, "{challenges:?}");
    assert!(challenges.iter().all(|c| c.starts_with("Digest ")));
    assert!(challenges[1].contains("algorithm=SHA-256"));

    let md5 = get_with_digest(&cam, &path, "MD5", PASSWORD).await;
    assert_jpeg(&md5);
    let sha = get_with_digest(&cam, &path, "SHA-256", PASSWORD).await;
    assert_jpeg(&sha);
    assert_eq!(md5.body, sha.body, "encoded once, served the same");

    let wrong = get_with_digest(&cam, &path, "MD5", "wrong").await;
    assert_eq!(wrong.status, 401);
    assert!(!wrong.headers_all("www-authenticate").is_empty());
    // Basic is not taken in Digest mode.
    let basic = format!("Basic {}", B64.encode(format!("{USER}:{PASSWORD}")));
    assert_eq!(get(&cam, &path, Some(&basic)).await.status, 401);

    let s = cam.stats();
    assert_eq!(s.snapshot_requests, 8);
    assert_eq!(s.snapshots_served, 2);
    assert_eq!(s.auth_failures_of(AuthFailure::WrongPassword), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::BasicRefused), 1);
    assert_eq!(s.requests, 1, "snapshots are not SOAP requests");
}

#[tokio::test]
async fn each_profile_has_its_own_picture() {
    let cam = Sim::builder()
        .snapshot_auth(SnapshotAuth::None)
        .start()
        .await;
    let mut bodies = Vec::new();
    for p in ["Profile_1", "Profile_2", "Profile_3"] {
        let r = get(&cam, &path_of(&cam.snapshot_url(p)), None).await;
        assert_jpeg(&r);
        bodies.push(r.body);
    }
    assert_ne!(bodies[0], bodies[1]);
    assert_ne!(bodies[1], bodies[2]);
    // No profile named: the first.
    let r = get(&cam, "/onvif/snapshot", None).await;
    assert_jpeg(&r);
    assert_eq!(r.body, bodies[0]);
    let r = get(&cam, "/onvif/snapshot?profile=Profile_9", None).await;
    assert_eq!(r.status, 404);
    // Only GET (and HEAD).
    let r = Req::new("POST", "/onvif/snapshot", "")
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(cam.stats().snapshots_served, 4);
}

#[tokio::test]
async fn snapshot_with_basic() {
    let cam = Sim::builder()
        .snapshot_auth(SnapshotAuth::Basic)
        .start()
        .await;
    let path = path_of(&cam.snapshot_url("Profile_2"));
    let r = get(&cam, &path, None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.headers_all("www-authenticate"),
        [r#"Basic realm="onvif-sim""#]
    );
    let good = format!("Basic {}", B64.encode(format!("{USER}:{PASSWORD}")));
    assert_jpeg(&get(&cam, &path, Some(&good)).await);
    let bad = format!("Basic {}", B64.encode(format!("{USER}:nope")));
    let r = get(&cam, &path, Some(&bad)).await;
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic "));
    // Digest is not taken where Basic is asked for.
    let fake = digest(
        r#"Digest realm="onvif-sim", nonce="abc", opaque="def""#,
        "MD5",
        PASSWORD,
        &path,
    );
    assert_eq!(get(&cam, &path, Some(&fake)).await.status, 401);
    let s = cam.stats();
    assert_eq!(s.auth_failures_of(AuthFailure::WrongPassword), 1);
    assert_eq!(s.auth_failures_of(AuthFailure::SchemeRefused), 1);
    assert_eq!(s.digest_challenges, 0);
    assert_eq!(s.snapshots_served, 1);
}

#[tokio::test]
async fn snapshot_html_error_quirk() {
    let cam = Sim::builder().quirk(Quirk::SnapshotHtmlError).start().await;
    let path = path_of(&cam.snapshot_url("Profile_1"));
    // Authentication still comes first.
    assert_eq!(get(&cam, &path, None).await.status, 401);
    let r = get_with_digest(&cam, &path, "SHA-256", PASSWORD).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html"));
    let body = String::from_utf8(r.body).unwrap();
    assert!(body.contains("<html>"), "{body}");
    assert_eq!(cam.stats().snapshots_served, 0);
}
