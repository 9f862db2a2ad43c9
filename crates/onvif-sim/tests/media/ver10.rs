//! Media (ver10)

use super::*;

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
    // Media1's tt:VideoRateControl has no ConstantBitRate (Media2's VideoRateControl2 has).
    assert!(
        encs.configurations
            .iter()
            .all(|e| e.constant_bitrate.is_none()),
        "{encs:?}"
    );

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

/// Media2's `Profile_3`, whole.
async fn profile_3(cam: &Sim) -> media2::Profiles {
    cam.ask(
        MEDIA2,
        &media2::GetProfiles {
            token: Some("Profile_3".into()),
            types: vec!["All".into()],
        },
    )
    .await
    .read()
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
        // Within the range, but Media1 writes the rate as an xs:int.
        VideoEncoder {
            frame_rate_limit: Some(12.5),
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
    // It takes H.264 too, but not at a size only H.265 has.
    let set = media2::SetVideoEncoderConfiguration {
        configuration: VideoEncoder {
            encoding: Some(VideoEncoding::H264),
            resolution: res(2560, 1440),
            ..h265.clone()
        },
    };
    assert_invalid_arg(&cam.ask(MEDIA2, &set).await, "ConfigModify");
    let p = profile_3(&cam).await;
    assert_eq!(encoder(&p.profiles[0]).resolution, res(1920, 1080));
    assert_eq!(encoder(&p.profiles[0]).encoding, Some(VideoEncoding::H265));
    let set = media2::SetVideoEncoderConfiguration {
        configuration: VideoEncoder {
            encoding: Some(VideoEncoding::H264),
            ..h265
        },
    };
    let _: media2::SetVideoEncoderConfigurationResponse = cam.ask(MEDIA2, &set).await.read();
    let p = profile_3(&cam).await;
    assert_eq!(encoder(&p.profiles[0]).encoding, Some(VideoEncoding::H264));
    // At 25 fps (H.264 takes it, H.265 does not), the codec alone cannot switch back: the
    // configuration is checked whole.
    let h264_25 = VideoEncoder {
        frame_rate_limit: Some(25.0),
        ..encoder(&p.profiles[0]).clone()
    };
    let set = media2::SetVideoEncoderConfiguration {
        configuration: h264_25.clone(),
    };
    let _: media2::SetVideoEncoderConfigurationResponse = cam.ask(MEDIA2, &set).await.read();
    let set = media2::SetVideoEncoderConfiguration {
        configuration: VideoEncoder {
            token: h264_25.token.clone(),
            encoding: Some(VideoEncoding::H265),
            ..VideoEncoder::default()
        },
    };
    assert_invalid_arg(&cam.ask(MEDIA2, &set).await, "ConfigModify");
}

/// A profile embeds its PTZ configuration whole, as the PTZ service gives it and as cameras
/// write it: clients (Home Assistant) read the default spaces from the profile to know
/// which moves they may offer.
#[tokio::test]
async fn profiles_embed_their_whole_ptz_configuration() {
    use onvif_proto::ops::ptz::{Configuration, GetConfiguration, PtzConfiguration};
    let cam = Sim::builder().start().await;
    let whole = |token: &str| {
        let cam = &cam;
        let token = token.to_owned();
        async move {
            let c: Configuration = cam
                .ask(
                    "/onvif/ptz_service",
                    &GetConfiguration {
                        configuration_token: token,
                    },
                )
                .await
                .read();
            c.configuration
        }
    };
    let check = |p: &MediaProfile, want: &PtzConfiguration| {
        let got = p.ptz.as_ref().unwrap();
        assert_eq!(got, want, "{}", p.token);
        assert!(got.default_continuous_pan_tilt_space.is_some(), "{got:?}");
        assert!(got.default_relative_pan_tilt_space.is_some(), "{got:?}");
        assert!(got.default_absolute_pan_tilt_space.is_some(), "{got:?}");
    };
    let (first, second) = (whole("PTZConfig_1").await, whole("PTZConfig_2").await);
    let v1: media::Profiles = cam.ask(MEDIA, &media::GetProfiles).await.read();
    check(&v1.profiles[0], &first);
    let one: media::Profile = cam
        .ask(
            MEDIA,
            &media::GetProfile {
                profile_token: "Profile_1".into(),
            },
        )
        .await
        .read();
    check(&one.profile, &first);
    let v2: media2::Profiles = cam
        .ask(MEDIA2, &media2::GetProfiles::default())
        .await
        .read();
    check(&v2.profiles[0], &first);
    check(&v2.profiles[2], &second);
}

/// GetGuaranteedNumberOfVideoEncoderInstances (mandatory in Media): for the video source
/// configuration, as many as the encoders Media1 shows; another token is `ter:NoConfig`.
#[tokio::test]
async fn guaranteed_encoder_instances_are_the_encoders() {
    use onvif_proto::ops::media::{
        GetGuaranteedNumberOfVideoEncoderInstances, GuaranteedEncoderInstances,
    };
    let cam = Sim::builder().start().await;
    let ask = |token: &str| GetGuaranteedNumberOfVideoEncoderInstances {
        configuration_token: token.into(),
    };
    let g: GuaranteedEncoderInstances = cam.ask(MEDIA, &ask("VideoSourceConfig_1")).await.read();
    let encoders: media::VideoEncoderConfigurations = cam
        .ask(MEDIA, &media::GetVideoEncoderConfigurations)
        .await
        .read();
    assert_eq!(g.total as usize, encoders.configurations.len());
    assert_eq!(g.h264, Some(g.total));
    let r = cam.ask(MEDIA, &ask("nope")).await;
    assert_invalid_arg(&r, "NoConfig");
}
