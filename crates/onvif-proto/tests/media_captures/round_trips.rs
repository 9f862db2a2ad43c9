//! Round trips of every request and response type of the three services.
//!
//! Nothing here opens a socket: addresses are sample values, written and read back as text.

use super::*;

#[test]
fn media1_requests_round_trip() {
    round_trip(&media::GetProfiles);
    round_trip(&media::GetProfile {
        profile_token: "Profile_1".into(),
    });
    round_trip(&media::GetStreamUri::rtsp("Profile_1"));
    round_trip(&media::GetStreamUri {
        stream: media::StreamType::RtpMulticast,
        protocol: media::TransportProtocol::Udp,
        profile_token: "p".into(),
    });
    for protocol in [
        media::TransportProtocol::Tcp,
        media::TransportProtocol::Http,
    ] {
        round_trip(&media::GetStreamUri {
            stream: media::StreamType::RtpUnicast,
            protocol,
            profile_token: "p".into(),
        });
    }
    round_trip(&media::GetSnapshotUri {
        profile_token: "Profile_1".into(),
    });
    round_trip(&media::GetVideoSources);
    round_trip(&media::GetVideoSourceConfigurations);
    round_trip(&media::GetVideoEncoderConfigurations);
    round_trip(&media::GetVideoEncoderConfiguration {
        configuration_token: "enc0".into(),
    });
    round_trip(&media::GetVideoEncoderConfigurationOptions::default());
    round_trip(&media::GetVideoEncoderConfigurationOptions {
        configuration_token: Some("enc0".into()),
        profile_token: Some("Profile_1".into()),
    });
    round_trip(&media::StartMulticastStreaming {
        profile_token: "p".into(),
    });
    round_trip(&media::StopMulticastStreaming {
        profile_token: "p".into(),
    });
    round_trip(&media::SetVideoEncoderConfiguration {
        configuration: h264_encoder(),
        force_persistence: true,
    });
    round_trip(&media::GetAudioSources);
    round_trip(&media::GetMetadataConfigurations);
    round_trip(&media::GetMetadataConfiguration {
        configuration_token: "meta0".into(),
    });
    round_trip(&media::GetServiceCapabilities);
}

#[test]
fn media1_responses_round_trip() {
    let minimal = MediaProfile::new("bare", "Bare", MediaVersion::Media1);
    round_trip(&media::Profiles {
        profiles: vec![media1_profile(), minimal.clone()],
    });
    round_trip(&media::Profiles::default());
    round_trip(&media::Profile {
        profile: media1_profile(),
    });
    round_trip(&media::Profile { profile: minimal });
    let uri = MediaUri {
        uri: "rtsp://10.0.0.1/live?a=1&b=<2>".into(),
        invalid_after_connect: Some(true),
        invalid_after_reboot: Some(false),
        timeout: Some("PT60S".into()),
    };
    round_trip(&media::StreamUri {
        media_uri: uri.clone(),
    });
    round_trip(&media::SnapshotUri { media_uri: uri });
    round_trip(&media::VideoSources {
        sources: vec![
            VideoSource {
                token: "vs0".into(),
                framerate: Some(25.0),
                resolution: res(2592, 1944),
                imaging: Some(full_settings()),
            },
            VideoSource {
                token: "vs1".into(),
                framerate: None,
                resolution: None,
                imaging: None,
            },
        ],
    });
    round_trip(&media::VideoSourceConfigurations {
        configurations: vec![media1_profile().video_source.unwrap()],
    });
    let mut mpeg4 = h264_encoder();
    mpeg4.encoding = Some(VideoEncoding::Mpeg4);
    mpeg4.profile = Some("SP".into());
    let jpeg = VideoEncoder {
        token: "jpeg".into(),
        // Name and UseCount are required by the schema: without them the token and 1 are
        // written, so a round trip needs them set.
        name: Some("jpeg".into()),
        use_count: Some(1),
        encoding: Some(VideoEncoding::Jpeg),
        resolution: res(640, 480),
        ..VideoEncoder::default()
    };
    round_trip(&media::VideoEncoderConfigurations {
        configurations: vec![h264_encoder(), mpeg4, jpeg],
    });
    round_trip(&media::VideoEncoderConfiguration {
        configuration: h264_encoder(),
    });
    let mut jpeg_opts = EncodingOptions::new(VideoEncoding::Jpeg);
    jpeg_opts.quality_range = range(1.0, 6.0);
    jpeg_opts.resolutions = vec![Resolution {
        width: 704,
        height: 576,
    }];
    jpeg_opts.frame_rate_range = range(1.0, 25.0);
    jpeg_opts.encoding_interval_range = Some(IntRange { min: 1, max: 6 });
    let mut h264_opts = EncodingOptions::new(VideoEncoding::H264);
    h264_opts.quality_range = range(1.0, 6.0);
    h264_opts.resolutions = vec![
        Resolution {
            width: 1920,
            height: 1080,
        },
        Resolution {
            width: 640,
            height: 480,
        },
    ];
    h264_opts.gov_length_range = Some(IntRange { min: 1, max: 150 });
    h264_opts.frame_rate_range = range(1.0, 30.0);
    h264_opts.encoding_interval_range = Some(IntRange { min: 1, max: 1 });
    h264_opts.bitrate_range = Some(IntRange {
        min: 32,
        max: 16384,
    });
    h264_opts.profiles = vec!["Baseline".into(), "Main".into(), "High".into()];
    round_trip(&media::VideoEncoderConfigurationOptions {
        options: VideoEncoderOptions {
            encodings: vec![jpeg_opts, h264_opts],
        },
    });
    round_trip(&media::StartMulticastStreamingResponse);
    round_trip(&media::StopMulticastStreamingResponse);
    round_trip(&media::SetVideoEncoderConfigurationResponse);
    round_trip(&media::AudioSources {
        sources: vec![
            AudioSource {
                token: "a0".into(),
                channels: Some(2),
            },
            AudioSource {
                token: "a1".into(),
                channels: None,
            },
        ],
    });
    round_trip(&media::MetadataConfigurations {
        configurations: vec![
            metadata_config(),
            MetadataConfig {
                token: "m2".into(),
                name: Some("m2".into()),
                use_count: Some(1),
                ..MetadataConfig::default()
            },
        ],
    });
    round_trip(&media::MetadataConfiguration {
        configuration: Some(metadata_config()),
    });
    round_trip(&media::MetadataConfiguration::default());
    round_trip(&media::ServiceCapabilities(caps(&[
        ("SnapshotUri", "true"),
        ("Rotation", "false"),
        ("ProfileCapabilities.MaximumNumberOfProfiles", "10"),
        ("StreamingCapabilities.RTP_TCP", "true"),
        ("StreamingCapabilities.RTP_RTSP_TCP", "true"),
    ])));
}

#[test]
fn media2_requests_round_trip() {
    round_trip(&media2::GetProfiles::default());
    round_trip(&media2::GetProfiles {
        token: Some("p1".into()),
        types: vec!["VideoSource".into(), "VideoEncoder".into()],
    });
    round_trip(&media2::GetProfiles {
        token: None,
        types: vec![],
    });
    for protocol in [
        media2::StreamingProtocol::RtspUnicast,
        media2::StreamingProtocol::RtspMulticast,
        media2::StreamingProtocol::Rtsp,
        media2::StreamingProtocol::RtspOverHttp,
        media2::StreamingProtocol::Other("RtspsUnicast".into()),
    ] {
        round_trip(&media2::GetStreamUri {
            protocol,
            profile_token: "p1".into(),
        });
    }
    round_trip(&media2::GetSnapshotUri {
        profile_token: "p1".into(),
    });
    round_trip(&media2::GetVideoEncoderConfigurations::default());
    round_trip(&media2::GetVideoEncoderConfigurations {
        configuration_token: Some("c".into()),
        profile_token: Some("p".into()),
    });
    round_trip(&media2::GetVideoSourceConfigurations {
        configuration_token: None,
        profile_token: Some("p".into()),
    });
    round_trip(&media2::GetVideoEncoderConfigurationOptions {
        configuration_token: Some("c".into()),
        profile_token: None,
    });
    round_trip(&media2::StartMulticastStreaming {
        profile_token: "p".into(),
    });
    round_trip(&media2::StopMulticastStreaming {
        profile_token: "p".into(),
    });
    round_trip(&media2::SetVideoEncoderConfiguration {
        configuration: media2_profile().video_encoder.unwrap(),
    });
    round_trip(&media2::GetMetadataConfigurations {
        configuration_token: None,
        profile_token: Some("p".into()),
    });
    round_trip(&media2::GetServiceCapabilities);
}

#[test]
fn media2_responses_round_trip() {
    round_trip(&media2::Profiles {
        profiles: vec![
            media2_profile(),
            MediaProfile::new("empty", "Empty", MediaVersion::Media2),
        ],
    });
    let uri = MediaUri {
        uri: "rtsp://10.0.0.1/live/0/MAIN?x=1&y=2".into(),
        ..MediaUri::default()
    };
    round_trip(&media2::StreamUri {
        media_uri: uri.clone(),
    });
    round_trip(&media2::SnapshotUri { media_uri: uri });
    let enc = media2_profile().video_encoder.unwrap();
    let mut mpeg4 = enc.clone();
    mpeg4.encoding = Some(VideoEncoding::Mpeg4);
    round_trip(&media2::VideoEncoderConfigurations {
        configurations: vec![enc, mpeg4],
    });
    round_trip(&media2::VideoSourceConfigurations {
        configurations: vec![media2_profile().video_source.unwrap()],
    });
    let mut h265 = EncodingOptions::new(VideoEncoding::H265);
    h265.quality_range = range(0.0, 5.0);
    h265.resolutions = vec![Resolution {
        width: 2560,
        height: 1440,
    }];
    h265.bitrate_range = Some(IntRange {
        min: 32,
        max: 16384,
    });
    h265.gov_length_range = Some(IntRange { min: 1, max: 250 });
    h265.frame_rates_supported = vec![25.0, 12.5, 0.0625];
    h265.profiles = vec!["Main".into()];
    h265.constant_bitrate_supported = Some(true);
    round_trip(&media2::VideoEncoderConfigurationOptions {
        options: VideoEncoderOptions {
            encodings: vec![h265, EncodingOptions::new(VideoEncoding::Jpeg)],
        },
    });
    round_trip(&media2::StartMulticastStreamingResponse);
    round_trip(&media2::StopMulticastStreamingResponse);
    round_trip(&media2::SetVideoEncoderConfigurationResponse);
    round_trip(&media2::MetadataConfigurations {
        configurations: vec![metadata_config()],
    });
    round_trip(&media2::ServiceCapabilities(caps(&[
        ("SnapshotUri", "true"),
        (
            "ProfileCapabilities.ConfigurationsSupported",
            "VideoSource VideoEncoder",
        ),
        ("ProfileCapabilities.MaximumNumberOfProfiles", "8"),
    ])));
}

#[test]
fn imaging_round_trips() {
    let token = || "VideoSource_1".to_owned();
    round_trip(&GetImagingSettings {
        video_source_token: token(),
    });
    round_trip(&ImagingSettingsResponse {
        settings: full_settings(),
    });
    round_trip(&ImagingSettingsResponse::default());
    round_trip(&SetImagingSettings {
        video_source_token: token(),
        settings: full_settings(),
        force_persistence: Some(false),
    });
    round_trip(&SetImagingSettings {
        video_source_token: token(),
        settings: ImagingSettings {
            brightness: Some(70.0),
            ..ImagingSettings::default()
        },
        force_persistence: None,
    });
    round_trip(&SetImagingSettingsResponse);
    round_trip(&GetOptions {
        video_source_token: token(),
    });
    round_trip(&ImagingOptionsResponse {
        options: ImagingOptions {
            backlight_compensation: Some(BacklightCompensationOptions {
                modes: vec![OnOff::Off, OnOff::On],
                level: range(0.0, 100.0),
            }),
            brightness: range(0.0, 255.0),
            color_saturation: range(0.0, 255.0),
            contrast: range(0.0, 255.0),
            exposure: Some(ExposureOptions {
                modes: vec![AutoManual::Auto, AutoManual::Manual],
                priorities: vec![ExposurePriority::LowNoise, ExposurePriority::FrameRate],
                min_exposure_time: range(10.0, 40000.0),
                max_exposure_time: range(10.0, 40000.0),
                min_gain: range(0.0, 100.0),
                max_gain: range(0.0, 100.0),
                min_iris: None,
                max_iris: None,
                exposure_time: range(10.0, 40000.0),
                gain: range(0.0, 100.0),
                iris: None,
            }),
            focus: Some(FocusOptions {
                auto_focus_modes: vec![AutoManual::Auto, AutoManual::Manual],
                default_speed: range(0.0, 1.0),
                near_limit: range(0.1, 3.0),
                far_limit: range(0.0, 0.0),
            }),
            ir_cut_filter_modes: vec![
                IrCutFilterMode::On,
                IrCutFilterMode::Off,
                IrCutFilterMode::Auto,
            ],
            sharpness: range(0.0, 15.0),
            wide_dynamic_range: Some(WideDynamicRangeOptions {
                modes: vec![OnOff::On, OnOff::Off],
                level: range(0.0, 100.0),
            }),
            white_balance: Some(WhiteBalanceOptions {
                modes: vec![AutoManual::Auto],
                yr_gain: range(0.0, 255.0),
                yb_gain: range(0.0, 255.0),
            }),
        },
    });
    round_trip(&ImagingOptionsResponse::default());
    round_trip(&GetMoveOptions {
        video_source_token: token(),
    });
    round_trip(&MoveOptionsResponse {
        options: MoveOptions {
            absolute: Some(AbsoluteFocusOptions {
                position: range(0.0, 1.0),
                speed: range(0.0, 1.0),
            }),
            relative: Some(RelativeFocusOptions {
                distance: range(-1.0, 1.0),
                speed: None,
            }),
            continuous: Some(ContinuousFocusOptions {
                speed: range(-1.0, 1.0),
            }),
        },
    });
    round_trip(&MoveOptionsResponse::default());
    for focus in [
        FocusMove::Absolute {
            position: 0.25,
            speed: Some(1.0),
        },
        FocusMove::Absolute {
            position: 0.75,
            speed: None,
        },
        FocusMove::Relative {
            distance: -0.1,
            speed: None,
        },
        FocusMove::Continuous { speed: -0.5 },
    ] {
        round_trip(&Move {
            video_source_token: token(),
            focus,
        });
    }
    round_trip(&MoveResponse);
    round_trip(&Stop {
        video_source_token: token(),
    });
    round_trip(&StopResponse);
    round_trip(&imaging::GetServiceCapabilities);
    round_trip(&imaging::ServiceCapabilities(caps(&[(
        "ImageStabilization",
        "false",
    )])));
}
