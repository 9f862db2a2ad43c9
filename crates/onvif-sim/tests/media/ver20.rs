//! Media2 (ver20)

use super::*;

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
