//! The configuration reads both media services answer: the source configuration's options,
//! the configurations compatible with a profile, the metadata configuration, the encoder
//! instances; unknown tokens are the camera's faults.

use super::*;

#[tokio::test]
async fn media1_source_metadata_and_compatible_configurations() {
    let cam = Sim::builder().start().await;
    let one: media::VideoSourceConfiguration = cam
        .ask(
            MEDIA,
            &media::GetVideoSourceConfiguration {
                configuration_token: "VideoSourceConfig_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(
        one.configuration.source_token.as_deref(),
        Some("VideoSource_1")
    );
    let o: media::VideoSourceConfigurationOptions = cam
        .ask(
            MEDIA,
            &media::GetVideoSourceConfigurationOptions {
                configuration_token: None,
                profile_token: Some("Profile_1".into()),
            },
        )
        .await
        .read();
    assert_eq!(o.options.source_tokens, ["VideoSource_1"]);
    assert_eq!(o.options.max_profiles, Some(2), "Media1 shows two profiles");
    let b = o.options.bounds_range.unwrap();
    assert_eq!((b.width.max, b.height.max), (1920, 1080));

    let profile = || "Profile_2".to_owned();
    let s: media::CompatibleVideoSourceConfigurations = cam
        .ask(
            MEDIA,
            &media::GetCompatibleVideoSourceConfigurations {
                profile_token: profile(),
            },
        )
        .await
        .read();
    assert_eq!(s.configurations[0].token, "VideoSourceConfig_1");
    let e: media::CompatibleVideoEncoderConfigurations = cam
        .ask(
            MEDIA,
            &media::GetCompatibleVideoEncoderConfigurations {
                profile_token: profile(),
            },
        )
        .await
        .read();
    let tokens: Vec<&str> = e.configurations.iter().map(|c| c.token.as_str()).collect();
    assert_eq!(tokens, ["VideoEncoder_1", "VideoEncoder_2"]);

    let m: media::MetadataConfigurations = cam
        .ask(MEDIA, &media::GetMetadataConfigurations)
        .await
        .read();
    let meta = &m.configurations[0];
    assert_eq!(meta.token, "MetadataConfig_1");
    assert!(meta.events && meta.ptz_status == Some(true), "{meta:?}");
    assert_eq!(meta.session_timeout.as_deref(), Some("PT60S"));
    let one: media::MetadataConfiguration = cam
        .ask(
            MEDIA,
            &media::GetMetadataConfiguration {
                configuration_token: "MetadataConfig_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(one.configuration.as_ref(), Some(meta));
    let c: media::CompatibleMetadataConfigurations = cam
        .ask(
            MEDIA,
            &media::GetCompatibleMetadataConfigurations {
                profile_token: profile(),
            },
        )
        .await
        .read();
    assert_eq!(c.configurations.len(), 1);

    let r = cam
        .ask(
            MEDIA,
            &media::GetVideoSourceConfiguration {
                configuration_token: "Nope".into(),
            },
        )
        .await;
    assert_invalid_arg(&r, "NoConfig");
    let r = cam
        .ask(
            MEDIA,
            &media::GetCompatibleVideoEncoderConfigurations {
                profile_token: "Nope".into(),
            },
        )
        .await;
    assert_invalid_arg(&r, "NoProfile");
}

#[tokio::test]
async fn media2_source_options_metadata_and_encoder_instances() {
    let cam = Sim::builder().start().await;
    let o: media2::VideoSourceConfigurationOptions = cam
        .ask(
            MEDIA2,
            &media2::GetVideoSourceConfigurationOptions {
                configuration_token: Some("VideoSourceConfig_1".into()),
                profile_token: None,
            },
        )
        .await
        .read();
    assert_eq!(
        o.options.max_profiles,
        Some(3),
        "Media2 shows the H.265 profile too"
    );
    let m: media2::MetadataConfigurations = cam
        .ask(MEDIA2, &media2::GetMetadataConfigurations::default())
        .await
        .read();
    assert_eq!(m.configurations[0].token, "MetadataConfig_1");
    assert_eq!(m.configurations[0].session_timeout, None);
    let i: media2::VideoEncoderInstances = cam
        .ask(
            MEDIA2,
            &media2::GetVideoEncoderInstances {
                configuration_token: "VideoSourceConfig_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(i.total, 3);
    let h264 = i.codecs.iter().find(|c| c.encoding == "H264").unwrap();
    let h265 = i.codecs.iter().find(|c| c.encoding == "H265").unwrap();
    assert_eq!((h264.number, h265.number), (2, 1));
    let r = cam
        .ask(
            MEDIA2,
            &media2::GetMetadataConfigurations {
                configuration_token: Some("Nope".into()),
                profile_token: None,
            },
        )
        .await;
    assert_invalid_arg(&r, "NoConfig");
}
