//! Media (ver10), Media2 (ver20) and Imaging (ver20): round trips of every request and response
//! type, and every recorded camera answer of those services read into typed values.
//!
//! Captures are read in place from `../shared/captures` (next to the project) or from the
//! directory in `ONVIF_CAPTURES`; without them the capture tests say so and pass.
//! Nothing here opens a socket: addresses are values read from the captures and compared.
#![allow(clippy::unwrap_used)]

use onvif_proto::ns;
use onvif_proto::ops::imaging::{self, *};
use onvif_proto::ops::profile::*;
use onvif_proto::ops::{Operation, device, media, media2};
use onvif_proto::xml::Element;
use onvif_proto::{Envelope, Error, Message, decode, soap};
use onvif_testkit::captures::{self, captures_dir, read_as};
use onvif_testkit::message::{read_body, round_trip};

// ---------------------------------------------------------------------------------------------
// Helpers

fn res(width: u32, height: u32) -> Option<Resolution> {
    Some(Resolution { width, height })
}

// ---------------------------------------------------------------------------------------------
// Sample values

fn h264_encoder() -> VideoEncoder {
    VideoEncoder {
        token: "enc0".into(),
        name: Some("Main <stream> & more".into()),
        use_count: Some(2),
        encoding: Some(VideoEncoding::H264),
        resolution: res(1920, 1080),
        quality: Some(4.5),
        frame_rate_limit: Some(25.0),
        bitrate_limit: Some(4096),
        encoding_interval: Some(1),
        gov_length: Some(50),
        profile: Some("High".into()),
        constant_bitrate: None,
        multicast: Some(Multicast {
            address: Some("239.0.1.0".into()),
            port: Some(4000),
            ttl: Some(64),
            auto_start: Some(false),
        }),
        session_timeout: Some("PT60S".into()),
    }
}

fn metadata_config() -> MetadataConfig {
    MetadataConfig {
        token: "meta0".into(),
        name: Some("Metadata".into()),
        use_count: Some(2),
        ptz_status: Some(true),
        ptz_position: Some(false),
        events: true,
        analytics: Some(false),
        multicast: Some(Multicast {
            address: Some("ff02::1".into()),
            port: Some(32002),
            ttl: Some(2),
            auto_start: Some(false),
        }),
        session_timeout: Some("PT60S".into()),
    }
}

fn media1_profile() -> MediaProfile {
    MediaProfile {
        token: "Profile_1".into(),
        name: "mainStream".into(),
        fixed: true,
        source: MediaVersion::Media1,
        video_source: Some(VideoSourceConfig {
            token: "vsc".into(),
            name: Some("VideoSourceConfig".into()),
            use_count: Some(3),
            source_token: Some("VideoSource_1".into()),
            bounds: Some(Bounds {
                x: 0,
                y: 0,
                width: 1920,
                height: 1080,
            }),
        }),
        audio_source: Some(AudioSourceConfig {
            token: "asc".into(),
            name: Some("AudioSourceConfig".into()),
            source_token: Some("AudioSource_1".into()),
        }),
        video_encoder: Some(h264_encoder()),
        audio_encoder: Some(AudioEncoder {
            token: "aec".into(),
            name: Some("Audio".into()),
            encoding: Some("G711".into()),
            bitrate: Some(64),
            sample_rate: Some(8),
        }),
        ptz: Some(PtzConfigRef {
            token: "ptz0".into(),
            name: Some("PTZ".into()),
            node_token: Some("node0".into()),
        }),
        metadata: Some(metadata_config()),
    }
}

fn media2_profile() -> MediaProfile {
    let mut p = media1_profile();
    p.source = MediaVersion::Media2;
    let enc = p.video_encoder.as_mut().unwrap();
    enc.encoding = Some(VideoEncoding::H265);
    enc.encoding_interval = None;
    enc.session_timeout = None;
    enc.constant_bitrate = Some(true);
    enc.frame_rate_limit = Some(12.5);
    enc.profile = Some("Main".into());
    p
}

fn full_settings() -> ImagingSettings {
    ImagingSettings {
        backlight_compensation: Some(BacklightCompensation {
            mode: Some(OnOff::On),
            level: Some(10.0),
        }),
        brightness: Some(50.0),
        color_saturation: Some(45.5),
        contrast: Some(60.0),
        exposure: Some(Exposure {
            mode: Some(AutoManual::Auto),
            priority: Some(ExposurePriority::LowNoise),
            min_exposure_time: Some(10.0),
            max_exposure_time: Some(40000.0),
            min_gain: Some(0.0),
            max_gain: Some(100.0),
            min_iris: Some(-22.0),
            max_iris: Some(0.0),
            exposure_time: Some(4000.0),
            gain: Some(12.0),
            iris: Some(0.0),
        }),
        focus: Some(FocusConfiguration {
            auto_focus_mode: Some(AutoManual::Manual),
            default_speed: Some(1.0),
            near_limit: Some(0.5),
            far_limit: Some(0.0),
        }),
        ir_cut_filter: Some(IrCutFilterMode::Auto),
        sharpness: Some(8.0),
        wide_dynamic_range: Some(WideDynamicRange {
            mode: Some(OnOff::Off),
            level: Some(30.0),
        }),
        white_balance: Some(WhiteBalance {
            mode: Some(AutoManual::Manual),
            cr_gain: Some(1.5),
            cb_gain: Some(2.5),
        }),
    }
}

fn range(min: f64, max: f64) -> Option<FloatRange> {
    Some(FloatRange { min, max })
}

fn caps(pairs: &[(&str, &str)]) -> device::ServiceCapabilities {
    device::ServiceCapabilities {
        flags: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips

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

// ---------------------------------------------------------------------------------------------
// Schema order, strictness, leniency, constants

/// The local names of an element's children, in order.
fn child_names(el: &Element) -> Vec<&str> {
    el.children.iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn set_imaging_settings_writes_the_schema_order() {
    let req = SetImagingSettings {
        video_source_token: "vs".into(),
        settings: full_settings(),
        force_persistence: Some(true),
    };
    let env = soap::envelope(None, &req.body());
    let parsed = Envelope::parse(env.as_bytes()).unwrap();
    let el = parsed.payload().unwrap();
    assert_eq!(
        child_names(el),
        ["VideoSourceToken", "ImagingSettings", "ForcePersistence"]
    );
    let s = el.child(ns::TIMG, "ImagingSettings").unwrap();
    assert_eq!(
        child_names(s),
        [
            "BacklightCompensation",
            "Brightness",
            "ColorSaturation",
            "Contrast",
            "Exposure",
            "Focus",
            "IrCutFilter",
            "Sharpness",
            "WideDynamicRange",
            "WhiteBalance",
        ]
    );
    assert!(s.children.iter().all(|c| c.ns.as_deref() == Some(ns::TT)));
    assert_eq!(
        child_names(s.child(ns::TT, "Exposure").unwrap()),
        [
            "Mode",
            "Priority",
            "MinExposureTime",
            "MaxExposureTime",
            "MinGain",
            "MaxGain",
            "MinIris",
            "MaxIris",
            "ExposureTime",
            "Gain",
            "Iris",
        ]
    );
    assert_eq!(
        child_names(s.child(ns::TT, "Focus").unwrap()),
        ["AutoFocusMode", "DefaultSpeed", "NearLimit", "FarLimit"]
    );
    assert_eq!(
        child_names(s.child(ns::TT, "WhiteBalance").unwrap()),
        ["Mode", "CrGain", "CbGain"]
    );
    // Only what is set is sent.
    let partial = SetImagingSettings {
        video_source_token: "vs".into(),
        settings: ImagingSettings {
            sharpness: Some(3.0),
            ir_cut_filter: Some(IrCutFilterMode::Off),
            ..ImagingSettings::default()
        },
        force_persistence: None,
    };
    let body = partial.body();
    assert!(
        body.contains(
            "<timg:ImagingSettings><tt:IrCutFilter>OFF</tt:IrCutFilter><tt:Sharpness>3</tt:Sharpness></timg:ImagingSettings>"
        ),
        "{body}"
    );
    assert!(!body.contains("ForcePersistence"), "{body}");
}

#[test]
fn requests_are_read_strictly_and_answers_leniently() {
    // A request the simulator would act on: a bad number is an error naming the field.
    let bad = "<timg:SetImagingSettings><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
        <timg:ImagingSettings><tt:Brightness>bright</tt:Brightness></timg:ImagingSettings>\
        </timg:SetImagingSettings>";
    let e = read_body::<SetImagingSettings>(bad).unwrap_err();
    assert!(e.to_string().contains("Brightness"), "{e}");
    let bad_mode = "<timg:SetImagingSettings><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
        <timg:ImagingSettings><tt:IrCutFilter>SOMETIMES</tt:IrCutFilter></timg:ImagingSettings>\
        </timg:SetImagingSettings>";
    let e = read_body::<SetImagingSettings>(bad_mode).unwrap_err();
    assert!(e.to_string().contains("IrCutFilter"), "{e}");
    let no_focus = "<timg:Move><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
        <timg:Focus/></timg:Move>";
    assert!(read_body::<Move>(no_focus).is_err());
    let bad_stream = "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Broadcast</tt:Stream>\
        <tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>\
        <trt:ProfileToken>p</trt:ProfileToken></trt:GetStreamUri>";
    let e = read_body::<media::GetStreamUri>(bad_stream).unwrap_err();
    assert!(e.to_string().contains("RTP-Broadcast"), "{e}");

    // The same garbage in a camera's answer reads as "not known".
    let answer = "<timg:GetImagingSettingsResponse><timg:ImagingSettings>\
        <tt:Brightness>bright</tt:Brightness><tt:Contrast> 40 </tt:Contrast>\
        <tt:IrCutFilter>auto</tt:IrCutFilter></timg:ImagingSettings>\
        </timg:GetImagingSettingsResponse>";
    let s = read_body::<ImagingSettingsResponse>(answer)
        .unwrap()
        .settings;
    assert_eq!(s.brightness, None);
    assert_eq!(s.contrast, Some(40.0));
    assert_eq!(s.ir_cut_filter, Some(IrCutFilterMode::Auto));
}

#[test]
fn an_odd_optional_field_never_fails_a_profile() {
    let body = r#"<trt:GetProfilesResponse>
        <trt:Profiles token="p1"><tt:Name>one</tt:Name>
          <tt:VideoEncoderConfiguration token="e1">
            <tt:Name>e</tt:Name><tt:UseCount>many</tt:UseCount><tt:Encoding>h.264</tt:Encoding>
            <tt:Resolution><tt:Width>1920</tt:Width><tt:Height>{{h}}</tt:Height></tt:Resolution>
            <tt:Quality>NaN</tt:Quality>
            <tt:RateControl><tt:FrameRateLimit>25.0</tt:FrameRateLimit>
              <tt:BitrateLimit>4096.0</tt:BitrateLimit></tt:RateControl>
            <tt:H264><tt:GovLength>-</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>
          </tt:VideoEncoderConfiguration>
          <tt:VideoSourceConfiguration><tt:SourceToken>vs</tt:SourceToken>
            <tt:Bounds x="0" y="0" width="wide" height="1080"/></tt:VideoSourceConfiguration>
        </trt:Profiles>
        <trt:Profiles token="p2"/>
      </trt:GetProfilesResponse>"#;
    let p = read_body::<media::Profiles>(body).unwrap().profiles;
    assert_eq!(p.len(), 2);
    let e = p[0].video_encoder.as_ref().unwrap();
    assert_eq!(e.encoding, Some(VideoEncoding::H264));
    assert_eq!(e.use_count, None);
    assert_eq!(e.resolution, None);
    assert_eq!(e.quality, None);
    assert_eq!(e.frame_rate_limit, Some(25.0));
    assert_eq!(e.bitrate_limit, Some(4096));
    assert_eq!(e.gov_length, None);
    assert_eq!(e.profile.as_deref(), Some("Main"));
    let vs = p[0].video_source.as_ref().unwrap();
    assert_eq!(vs.token, "");
    assert_eq!(vs.source_token.as_deref(), Some("vs"));
    assert_eq!(vs.bounds, None);
    assert_eq!(p[1].name, "");
    assert!(p[1].video_encoder.is_none());

    // The token is what a profile is used by: without it the answer is refused, by name.
    let e = read_body::<media::Profiles>(
        "<trt:GetProfilesResponse><trt:Profiles><tt:Name>x</tt:Name></trt:Profiles></trt:GetProfilesResponse>",
    )
    .unwrap_err();
    assert!(e.to_string().contains("token"), "{e}");
    let e = read_body::<media2::Profiles>(
        r#"<tr2:GetProfilesResponse><tr2:Profiles token=" "/></tr2:GetProfilesResponse>"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("token"), "{e}");
}

#[test]
fn encodings_of_both_services_read_to_one_value() {
    for (text, enc) in [
        ("H264", VideoEncoding::H264),
        ("h.264", VideoEncoding::H264),
        ("H265", VideoEncoding::H265),
        ("HEVC", VideoEncoding::H265),
        ("JPEG", VideoEncoding::Jpeg),
        ("MPEG4", VideoEncoding::Mpeg4),
        ("MPV4-ES", VideoEncoding::Mpeg4),
        ("SVAC", VideoEncoding::Other("SVAC".into())),
    ] {
        assert_eq!(VideoEncoding::parse(text), enc, "{text}");
    }
    assert_eq!(VideoEncoding::Mpeg4.media1_name(), "MPEG4");
    assert_eq!(VideoEncoding::Mpeg4.media2_name(), "MPV4-ES");
    assert_eq!(
        serde_json::to_value(VideoEncoding::Jpeg).unwrap(),
        serde_json::json!("JPEG")
    );
}

#[test]
fn operations_carry_their_service_and_action() {
    assert_eq!(
        media::GetProfiles::ACTION,
        "http://www.onvif.org/ver10/media/wsdl/GetProfiles"
    );
    assert_eq!(
        media2::GetStreamUri::ACTION,
        "http://www.onvif.org/ver20/media/wsdl/GetStreamUri"
    );
    assert_eq!(
        SetImagingSettings::ACTION,
        "http://www.onvif.org/ver20/imaging/wsdl/SetImagingSettings"
    );
    assert_eq!(media::GetSnapshotUri::SERVICE, onvif_proto::Service::Media);
    assert_eq!(media2::GetProfiles::SERVICE, onvif_proto::Service::Media2);
    assert_eq!(Move::SERVICE, onvif_proto::Service::Imaging);
    const { assert!(!Move::IDEMPOTENT) };
    const { assert!(SetImagingSettings::IDEMPOTENT) };
    // Each action's namespace is its service's.
    for (action, service) in [
        (
            media::GetVideoEncoderConfigurationOptions::ACTION,
            onvif_proto::Service::Media,
        ),
        (
            media2::GetVideoEncoderConfigurationOptions::ACTION,
            onvif_proto::Service::Media2,
        ),
        (GetMoveOptions::ACTION, onvif_proto::Service::Imaging),
        (
            imaging::GetServiceCapabilities::ACTION,
            onvif_proto::Service::Imaging,
        ),
    ] {
        assert!(action.starts_with(service.namespace()), "{action}");
    }
}

// ---------------------------------------------------------------------------------------------
// Every capture of these services

type Reader = fn(&Element) -> Result<String, Error>;

fn typed<M: Message + serde::Serialize>(el: &Element) -> Result<String, Error> {
    M::read(el).map(|v| serde_json::to_string(&v).unwrap())
}

/// The responses this library types, by namespace and name.
const TYPED: &[(&str, &str, Reader)] = &[
    (ns::TRT, "GetProfilesResponse", typed::<media::Profiles>),
    (ns::TRT, "GetProfileResponse", typed::<media::Profile>),
    (ns::TRT, "GetStreamUriResponse", typed::<media::StreamUri>),
    (
        ns::TRT,
        "GetSnapshotUriResponse",
        typed::<media::SnapshotUri>,
    ),
    (
        ns::TRT,
        "GetVideoSourcesResponse",
        typed::<media::VideoSources>,
    ),
    (
        ns::TRT,
        "GetVideoSourceConfigurationsResponse",
        typed::<media::VideoSourceConfigurations>,
    ),
    (
        ns::TRT,
        "GetVideoEncoderConfigurationsResponse",
        typed::<media::VideoEncoderConfigurations>,
    ),
    (
        ns::TRT,
        "GetVideoEncoderConfigurationResponse",
        typed::<media::VideoEncoderConfiguration>,
    ),
    (
        ns::TRT,
        "GetVideoEncoderConfigurationOptionsResponse",
        typed::<media::VideoEncoderConfigurationOptions>,
    ),
    (
        ns::TRT,
        "StartMulticastStreamingResponse",
        typed::<media::StartMulticastStreamingResponse>,
    ),
    (
        ns::TRT,
        "StopMulticastStreamingResponse",
        typed::<media::StopMulticastStreamingResponse>,
    ),
    (
        ns::TRT,
        "SetVideoEncoderConfigurationResponse",
        typed::<media::SetVideoEncoderConfigurationResponse>,
    ),
    (
        ns::TRT,
        "GetAudioSourcesResponse",
        typed::<media::AudioSources>,
    ),
    (
        ns::TRT,
        "GetMetadataConfigurationsResponse",
        typed::<media::MetadataConfigurations>,
    ),
    (
        ns::TRT,
        "GetMetadataConfigurationResponse",
        typed::<media::MetadataConfiguration>,
    ),
    (
        ns::TRT,
        "GetServiceCapabilitiesResponse",
        typed::<media::ServiceCapabilities>,
    ),
    (ns::TR2, "GetProfilesResponse", typed::<media2::Profiles>),
    (ns::TR2, "GetStreamUriResponse", typed::<media2::StreamUri>),
    (
        ns::TR2,
        "GetSnapshotUriResponse",
        typed::<media2::SnapshotUri>,
    ),
    (
        ns::TR2,
        "GetVideoEncoderConfigurationsResponse",
        typed::<media2::VideoEncoderConfigurations>,
    ),
    (
        ns::TR2,
        "GetVideoSourceConfigurationsResponse",
        typed::<media2::VideoSourceConfigurations>,
    ),
    (
        ns::TR2,
        "GetVideoEncoderConfigurationOptionsResponse",
        typed::<media2::VideoEncoderConfigurationOptions>,
    ),
    (
        ns::TR2,
        "StartMulticastStreamingResponse",
        typed::<media2::StartMulticastStreamingResponse>,
    ),
    (
        ns::TR2,
        "StopMulticastStreamingResponse",
        typed::<media2::StopMulticastStreamingResponse>,
    ),
    (
        ns::TR2,
        "SetVideoEncoderConfigurationResponse",
        typed::<media2::SetVideoEncoderConfigurationResponse>,
    ),
    (
        ns::TR2,
        "GetMetadataConfigurationsResponse",
        typed::<media2::MetadataConfigurations>,
    ),
    (
        ns::TR2,
        "GetServiceCapabilitiesResponse",
        typed::<media2::ServiceCapabilities>,
    ),
    (
        ns::TIMG,
        "GetImagingSettingsResponse",
        typed::<ImagingSettingsResponse>,
    ),
    (
        ns::TIMG,
        "SetImagingSettingsResponse",
        typed::<SetImagingSettingsResponse>,
    ),
    (
        ns::TIMG,
        "GetOptionsResponse",
        typed::<ImagingOptionsResponse>,
    ),
    (
        ns::TIMG,
        "GetMoveOptionsResponse",
        typed::<MoveOptionsResponse>,
    ),
    (
        ns::TIMG,
        "GetServiceCapabilitiesResponse",
        typed::<imaging::ServiceCapabilities>,
    ),
];

/// Requests found among the captures (a client's log saved as a response).
const REQUESTS: &[(&str, &str, Reader)] =
    &[(ns::TRT, "GetStreamUri", typed::<media::GetStreamUri>)];

/// Media and imaging answers in the captures that this library does not type (yet): audio
/// encoders, configuration options other than the video encoder's, OSD, profile editing and
/// imaging presets. They are listed so that a new kind of
/// capture is noticed.
const NOT_TYPED: &[&str] = &[
    "GetAudioEncoderConfigurationResponse",
    "GetAudioEncoderConfigurationsResponse",
    "GetAudioEncoderConfigurationOptionsResponse",
    "SetAudioEncoderConfigurationResponse",
    "AddAudioEncoderConfigurationResponse",
    "AddAudioSourceConfigurationResponse",
    "RemoveAudioEncoderConfigurationResponse",
    "RemoveAudioSourceConfigurationResponse",
    "AddVideoEncoderConfigurationResponse",
    "AddVideoSourceConfigurationResponse",
    "GetVideoSourceConfigurationOptionsResponse",
    "GetMetadataConfigurationOptionsResponse",
    "CreateProfileResponse",
    "DeleteProfileResponse",
    "GetOSDsResponse",
    "GetOSDOptionsResponse",
    "CreateOSDResponse",
    "DeleteOSDResponse",
    "SetOSDResponse",
    "GetCurrentPresetResponse",
];

/// Is this capture one of the media or imaging services' (by folder or file name)?
fn media_path(file: &str) -> bool {
    [
        "/media1/",
        "/media2/",
        "/imaging/",
        "agsh-onvif/media.",
        "agsh-onvif/imaging.",
    ]
    .iter()
    .any(|p| file.contains(p))
}

fn media_ns(ns: Option<&str>) -> bool {
    matches!(ns, Some(n) if n == ns::TRT || n == ns::TR2 || n == ns::TIMG)
}

#[test]
fn every_media_and_imaging_capture_reads_into_typed_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let mut typed_ok = Vec::new();
    let mut clear_errors = Vec::new();
    let mut not_typed = Vec::new();
    let mut other = Vec::new();
    let mut failures = Vec::new();
    for row in captures::index(&root) {
        let file = row.file.as_str();
        let broken = row.well_formed.starts_with("NO");
        let bytes = captures::read(&root, file);
        let templated = String::from_utf8_lossy(&bytes).contains("{{");
        let env = match Envelope::parse(&bytes) {
            Ok(env) => env,
            Err(e) => {
                if media_path(file) {
                    if broken {
                        clear_errors.push(format!("{file}: {e}"));
                    } else {
                        failures.push(format!("{file}: well-formed, but: {e}"));
                    }
                }
                continue;
            }
        };
        let Some(first) = env.body.first_child() else {
            continue;
        };
        // Ours by namespace, or (with an unbound prefix) by where the file is.
        let ours = media_ns(first.ns.as_deref()) || (first.unbound && media_path(file));
        if !ours {
            if media_path(file) {
                other.push(format!("{file}: {{{:?}}}{}", first.ns, first.name));
            }
            continue;
        }
        if env.fault().is_some() {
            other.push(format!("{file}: a Fault"));
            continue;
        }
        if let Some((_, _, read)) = REQUESTS.iter().find(|(n, name, _)| first.is(n, name)) {
            match read(first) {
                Ok(_) => typed_ok.push(format!("{file}: {} (a request)", first.name)),
                Err(e) => failures.push(format!("{file}: {e}")),
            }
            continue;
        }
        let Some((_, _, read)) = TYPED.iter().find(|(n, name, _)| first.is(n, name)) else {
            if NOT_TYPED.contains(&first.name.as_str()) {
                not_typed.push(format!("{file}: {}", first.name));
            } else {
                failures.push(format!(
                    "{file}: {} is neither typed nor listed",
                    first.name
                ));
            }
            continue;
        };
        match read(first) {
            Ok(json) => {
                // The decoder registry must know it too, and give the same value.
                let d = decode::decode(&bytes).unwrap();
                let json: serde_json::Value = serde_json::from_str(&json).unwrap();
                if d.kind != "typed" && first.unbound && broken {
                    // No namespace: the decoder will not guess the service of a name that
                    // several services answer with.
                    clear_errors.push(format!(
                        "{file}: unbound prefix on {}, decode() shows it generic",
                        first.name
                    ));
                    continue;
                }
                if d.kind != "typed" {
                    failures.push(format!(
                        "{file}: decode() says {} ({:?})",
                        d.kind, d.typed_error
                    ));
                } else if d.data.as_ref() != Some(&json) {
                    failures.push(format!("{file}: decode() read another value"));
                }
                typed_ok.push(format!("{file}: {}", first.name));
            }
            Err(e) if broken || templated => clear_errors.push(format!("{file}: {e}")),
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    eprintln!("typed ({}):", typed_ok.len());
    for t in &typed_ok {
        eprintln!("  {t}");
    }
    eprintln!("refused with a clear error ({}):", clear_errors.len());
    for t in &clear_errors {
        eprintln!("  {t}");
    }
    eprintln!("not typed by this library ({}):", not_typed.len());
    for t in &not_typed {
        eprintln!("  {t}");
    }
    eprintln!(
        "in a media folder, but another service's answer ({}):",
        other.len()
    );
    for t in &other {
        eprintln!("  {t}");
    }
    assert!(
        failures.is_empty(),
        "{} capture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(typed_ok.len() > 60, "only {} typed", typed_ok.len());
}

// ---------------------------------------------------------------------------------------------
// Values read by eye from the captures, at least one file per camera folder

/// The video encoder of profile `i`.
fn encoder(profiles: &[MediaProfile], i: usize) -> &VideoEncoder {
    profiles[i].video_encoder.as_ref().unwrap()
}

#[test]
fn dcs_6511_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/DCS-6511/media1";
    let p = read_as::<media::Profiles>(&root, &format!("{d}/GetProfilesResponse.xml")).profiles;
    assert_eq!(p.len(), 2);
    assert_eq!(
        (p[0].token.as_str(), p[0].name.as_str()),
        ("Profile1", "Profile1")
    );
    assert!(p[0].fixed);
    assert_eq!(p[0].source, MediaVersion::Media1);
    let vs = p[0].video_source.as_ref().unwrap();
    assert_eq!(vs.token, "VideoSourceConfiguration0");
    assert_eq!(vs.source_token.as_deref(), Some("VideoSource0"));
    assert_eq!(
        vs.bounds,
        Some(Bounds {
            x: 0,
            y: 0,
            width: 1280,
            height: 1024
        })
    );
    let e = encoder(&p, 0);
    assert_eq!(e.token, "VideoEncoderConfiguration0");
    assert_eq!(e.encoding, Some(VideoEncoding::H264));
    assert_eq!(e.resolution, res(1280, 1024));
    assert_eq!(e.quality, Some(100.0));
    assert_eq!(e.frame_rate_limit, Some(7.0));
    assert_eq!(e.encoding_interval, Some(30));
    assert_eq!(e.bitrate_limit, Some(4096));
    assert_eq!(e.gov_length, Some(30));
    assert_eq!(e.profile.as_deref(), Some("High"));
    assert_eq!(e.session_timeout.as_deref(), Some("PT1M"));
    let m = e.multicast.as_ref().unwrap();
    assert_eq!((m.address.as_deref(), m.port), (None, Some(0)));
    let a = p[0].audio_encoder.as_ref().unwrap();
    assert_eq!(
        (a.encoding.as_deref(), a.bitrate, a.sample_rate),
        (Some("G711"), Some(64), Some(8))
    );
    let e = encoder(&p, 1);
    assert_eq!(e.resolution, res(640, 480));
    assert_eq!(e.frame_rate_limit, Some(30.0));
    assert_eq!(e.bitrate_limit, Some(2048));

    let s = read_as::<media::SnapshotUri>(&root, &format!("{d}/GetSnapshotUriResponse.xml"));
    assert_eq!(s.media_uri.uri, "http://192.168.1.33/dms?nowprofileid=1");
    assert_eq!(s.media_uri.timeout.as_deref(), Some("PT15S"));
    assert_eq!(s.media_uri.invalid_after_connect, Some(false));
    let v = read_as::<media::VideoSources>(&root, &format!("{d}/GetVideoSourcesResponse.xml"));
    assert_eq!(v.sources.len(), 1);
    assert_eq!(v.sources[0].token, "VideoSource0");
    assert_eq!(v.sources[0].framerate, Some(30.0));
    assert_eq!(v.sources[0].resolution, res(1280, 1024));
    assert_eq!(v.sources[0].imaging, None);
}

#[test]
fn enp1a14_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/ENP1A14-IR_25X";
    let p =
        read_as::<media::Profiles>(&root, &format!("{d}/media1/GetProfilesResponse.xml")).profiles;
    let names: Vec<_> = p
        .iter()
        .map(|p| (p.token.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Profile_1", "mainStream"),
            ("Profile_2", "subStream"),
            ("Profile_3", "thirdStream")
        ]
    );
    // H265 in Media1 (not in the Media1 schema, sent anyway).
    let e = encoder(&p, 0);
    assert_eq!(e.encoding, Some(VideoEncoding::H265));
    assert_eq!(e.resolution, res(2560, 1440));
    assert_eq!(e.quality, Some(3.0));
    assert_eq!(e.frame_rate_limit, Some(25.0));
    assert_eq!(e.bitrate_limit, Some(8192));
    assert_eq!(e.gov_length, None);
    let e = encoder(&p, 1);
    assert_eq!(
        (e.resolution, e.frame_rate_limit, e.bitrate_limit),
        (res(704, 480), Some(10.0), Some(1024))
    );
    assert!(p[2].video_encoder.is_none());
    let ptz = p[0].ptz.as_ref().unwrap();
    assert_eq!(
        (ptz.token.as_str(), ptz.node_token.as_deref()),
        ("PTZToken", Some("PTZNODETOKEN"))
    );

    let u = read_as::<media::StreamUri>(&root, &format!("{d}/media1/GetStreamUriResponse.xml"));
    assert_eq!(
        u.media_uri.uri,
        "rtsp://192.168.1.182:554/Streaming/Channels/101?transportmode=mcast&profile=Profile_1"
    );
    assert_eq!(u.media_uri.timeout.as_deref(), Some("PT60S"));

    let p2 =
        read_as::<media2::Profiles>(&root, &format!("{d}/media2/GetProfilesResponse.xml")).profiles;
    let names: Vec<_> = p2
        .iter()
        .map(|p| (p.token.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Profile_1", "mainStream"),
            ("Profile_2", "subStream"),
            ("Profile_3", "thirdStream")
        ]
    );
    assert!(
        p2.iter()
            .all(|p| p.fixed && p.source == MediaVersion::Media2)
    );
    assert!(p2.iter().all(|p| p.video_encoder.is_none()));
    let u = read_as::<media2::StreamUri>(&root, &format!("{d}/media2/GetStreamUriResponse.xml"));
    assert_eq!(
        u.media_uri.uri,
        "rtsp://192.168.1.182/Streaming/Channels/101?transportmode=unicast&profile=Profile_1"
    );
    let s =
        read_as::<media2::SnapshotUri>(&root, &format!("{d}/media2/GetSnapshotUriResponse.xml"));
    assert_eq!(
        s.media_uri.uri,
        "http://192.168.1.182/onvif-http/snapshot?Profile_1"
    );

    // Imaging settings inside a video source (the ver10 form).
    let v =
        read_as::<media::VideoSources>(&root, &format!("{d}/media1/GetVideoSourcesResponse.xml"));
    let i = v.sources[0].imaging.as_ref().unwrap();
    assert_eq!(
        i.backlight_compensation,
        Some(BacklightCompensation {
            mode: Some(OnOff::Off),
            level: Some(0.0)
        })
    );
    assert_eq!(
        (i.brightness, i.color_saturation, i.contrast, i.sharpness),
        (Some(50.0), Some(30.0), Some(50.0), Some(50.0))
    );
    let x = i.exposure.as_ref().unwrap();
    assert_eq!(x.mode, Some(AutoManual::Auto));
    assert_eq!(x.priority, Some(ExposurePriority::LowNoise));
    assert_eq!(
        (x.min_exposure_time, x.max_exposure_time, x.min_iris),
        (Some(33.0), Some(33333.0), Some(-22.0))
    );
    let f = i.focus.as_ref().unwrap();
    assert_eq!(f.auto_focus_mode, Some(AutoManual::Manual));
    assert_eq!((f.near_limit, f.far_limit), (Some(10.0), Some(0.0)));
    assert_eq!(i.ir_cut_filter, Some(IrCutFilterMode::Auto));

    let c = read_as::<media::ServiceCapabilities>(
        &root,
        &format!("{d}/media1/GetServiceCapabilitiesResponse.xml"),
    );
    assert_eq!(c.max_profiles(), Some(10));
    assert!(c.0.flag("StreamingCapabilities.RTPMulticast"));
}

#[test]
fn gx728mf_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/GX728MF-IR28";
    let p =
        read_as::<media::Profiles>(&root, &format!("{d}/media1/GetProfilesResponse.xml")).profiles;
    assert_eq!(p.len(), 3);
    assert_eq!(p[0].token, "media_profile1");
    let vs = p[0].video_source.as_ref().unwrap();
    assert_eq!(vs.token, "video_source_config1");
    assert_eq!(vs.source_token.as_deref(), Some("video_source"));
    assert_eq!(vs.bounds.map(|b| (b.width, b.height)), Some((3840, 2160)));
    let e = encoder(&p, 0);
    assert_eq!(e.token, "video_encoder_config");
    assert_eq!(e.encoding, Some(VideoEncoding::H264));
    assert_eq!(e.resolution, res(3840, 2160));
    assert_eq!(
        (e.quality, e.frame_rate_limit, e.bitrate_limit),
        (Some(5.0), Some(20.0), Some(4096))
    );
    assert_eq!(
        (e.gov_length, e.profile.as_deref()),
        (Some(40), Some("Main"))
    );
    let e = encoder(&p, 2);
    assert_eq!(
        (e.resolution, e.bitrate_limit, e.profile.as_deref()),
        (res(352, 288), Some(128), Some("High"))
    );
    assert_eq!(p[0].metadata.as_ref().unwrap().token, "metadata_config");

    let p2 =
        read_as::<media2::Profiles>(&root, &format!("{d}/media2/GetProfilesResponse.xml")).profiles;
    let tokens: Vec<_> = p2.iter().map(|p| p.token.as_str()).collect();
    assert_eq!(
        tokens,
        ["media_profile1", "media_profile2", "media_profile3"]
    );
    // No `fixed` attribute and no Configurations element here.
    assert!(p2.iter().all(|p| !p.fixed && p.video_source.is_none()));
    let s =
        read_as::<media2::SnapshotUri>(&root, &format!("{d}/media2/GetSnapshotUriResponse.xml"));
    assert_eq!(
        s.media_uri.uri,
        "http://192.168.1.127:85/images/snapshot.jpg"
    );
    let c = read_as::<media2::ServiceCapabilities>(
        &root,
        &format!("{d}/media2/GetServiceCapabilitiesResponse.xml"),
    );
    assert_eq!(
        c.0.flags
            .get("ProfileCapabilities.ConfigurationsSupported")
            .map(String::as_str),
        Some("VideoSource VideoEncoder Metadata Analytics")
    );
    assert!(c.0.flag("Mask"));

    // Imaging settings in the video source's Extension (the ver20 form).
    let v =
        read_as::<media::VideoSources>(&root, &format!("{d}/media1/GetVideoSourcesResponse.xml"));
    assert_eq!(v.sources[0].framerate, Some(20.0));
    assert_eq!(v.sources[0].resolution, res(3840, 2160));
    let i = v.sources[0].imaging.as_ref().unwrap();
    assert_eq!(i.brightness, Some(128.0));
    assert_eq!(
        i.exposure.as_ref().unwrap().max_exposure_time,
        Some(33333.332)
    );
    assert_eq!(
        i.white_balance.as_ref().unwrap().mode,
        Some(AutoManual::Auto)
    );
    assert_eq!(
        i.wide_dynamic_range.as_ref().unwrap().mode,
        Some(OnOff::Off)
    );
}

#[test]
fn ipd_h4k8m05_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/IPD-H4K8M05-BS/media1";
    let p = read_as::<media::Profiles>(&root, &format!("{d}/GetProfilesResponse.xml")).profiles;
    let tokens: Vec<_> = p.iter().map(|p| p.token.as_str()).collect();
    assert_eq!(tokens, ["MainStream", "SubStream"]);
    let e = encoder(&p, 0);
    assert_eq!(e.token, "H264_MAJOR_CH0");
    assert_eq!(e.resolution, res(2592, 1944));
    assert_eq!(
        (e.quality, e.frame_rate_limit, e.bitrate_limit, e.gov_length),
        (Some(2.0), Some(25.0), Some(5120), Some(50))
    );
    assert_eq!(
        (encoder(&p, 1).resolution, encoder(&p, 1).bitrate_limit),
        (res(640, 480), Some(1024))
    );
    let ptz = p[0].ptz.as_ref().unwrap();
    assert_eq!(
        (ptz.token.as_str(), ptz.node_token.as_deref()),
        ("PTZCFG_CH0", Some("PTZNODE_CH0"))
    );
    assert_eq!(p[0].metadata.as_ref().unwrap().token, "METADATA_CH0");

    let u = read_as::<media::StreamUri>(&root, &format!("{d}/GetStreamUriResponse.xml"));
    assert_eq!(u.media_uri.uri, "rtsp://192.168.15.40:554/1/h264major");
    assert_eq!(u.media_uri.timeout.as_deref(), Some("PT5S"));
    let s = read_as::<media::SnapshotUri>(&root, &format!("{d}/GetSnapshotUriResponse.xml"));
    assert_eq!(s.media_uri.uri, "http://192.168.15.40/jpgimage/1/image.jpg");
    let m = read_as::<media::MetadataConfigurations>(
        &root,
        &format!("{d}/GetMetadataConfigurationsResponse.xml"),
    );
    let m = &m.configurations[0];
    assert_eq!(m.token, "METADATA_CH0");
    assert!(m.events);
    assert_eq!((m.analytics, m.ptz_status), (Some(false), None));
    let mc = m.multicast.as_ref().unwrap();
    assert_eq!(
        (mc.address.as_deref(), mc.port, mc.ttl),
        (Some("239.255.255.250"), Some(3702), Some(60))
    );
    let c = read_as::<media::ServiceCapabilities>(
        &root,
        &format!("{d}/GetServiceCapabilitiesResponse.xml"),
    );
    assert_eq!(c.max_profiles(), Some(20));
}

#[test]
fn ipg_8150pss_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/IPG-8150PSS";
    let p =
        read_as::<media::Profiles>(&root, &format!("{d}/media1/GetProfilesResponse.xml")).profiles;
    assert_eq!(p[0].token, "PROFILE_000");
    let e = encoder(&p, 0);
    assert_eq!(e.token, "VEToken_1");
    assert_eq!(e.encoding, Some(VideoEncoding::H264));
    assert_eq!(e.resolution, res(2560, 1920));
    assert_eq!(
        (e.frame_rate_limit, e.bitrate_limit, e.gov_length),
        (Some(20.0), Some(2048), Some(100))
    );
    assert_eq!(
        p[0].ptz.as_ref().unwrap().node_token.as_deref(),
        Some("ptz0")
    );

    // The same encoder through Media2: now H265, float frame rate and quality.
    let c = read_as::<media2::VideoEncoderConfigurations>(
        &root,
        &format!("{d}/media2/GetVideoEncoderConfigurationsResponse.xml"),
    )
    .configurations;
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].token, "VEToken_1");
    assert_eq!(c[0].name.as_deref(), Some("VEConfig_1"));
    assert_eq!(c[0].encoding, Some(VideoEncoding::H265));
    assert_eq!(c[0].resolution, res(2560, 1920));
    assert_eq!(
        (c[0].frame_rate_limit, c[0].bitrate_limit, c[0].quality),
        (Some(20.0), Some(2048), Some(4.0))
    );
    assert_eq!(
        (
            c[0].gov_length,
            c[0].profile.as_deref(),
            c[0].constant_bitrate
        ),
        (Some(100), Some("Main"), Some(false))
    );
    let m = c[0].multicast.as_ref().unwrap();
    assert_eq!(
        (m.address.as_deref(), m.port, m.ttl),
        (Some("239.0.1.0"), Some(4000), Some(64))
    );
    assert_eq!(
        (c[1].resolution, c[1].bitrate_limit, c[1].quality),
        (res(800, 448), Some(512), Some(3.0))
    );

    let u = read_as::<media2::StreamUri>(&root, &format!("{d}/media2/GetStreamUriResponse.xml"));
    assert_eq!(u.media_uri.uri, "rtsp://10.200.1.2/live/0/MAIN");
    let u = read_as::<media::StreamUri>(&root, &format!("{d}/media1/GetStreamUriResponse.xml"));
    assert_eq!(u.media_uri.uri, "rtsp://10.200.1.2/live/0/MAIN");
    let s = read_as::<media::SnapshotUri>(&root, &format!("{d}/media1/GetSnapshotUriResponse.xml"));
    assert_eq!(s.media_uri.uri, "http://10.200.1.2:80/SnapShot_Ch0.jpg");
    let v =
        read_as::<media::VideoSources>(&root, &format!("{d}/media1/GetVideoSourcesResponse.xml"));
    assert_eq!(v.sources[0].token, "VideoSourceToken");
    assert_eq!(v.sources[0].framerate, Some(20.0));
    let a =
        read_as::<media::AudioSources>(&root, &format!("{d}/media1/GetAudioSourcesResponse.xml"));
    assert_eq!(
        a.sources,
        [AudioSource {
            token: "AudioSourceToken".into(),
            channels: Some(1)
        }]
    );
}

#[test]
fn sunba_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/SUNBA";
    let p =
        read_as::<media::Profiles>(&root, &format!("{d}/media1/GetProfilesResponse.xml")).profiles;
    assert_eq!(p[0].token, "media_profile1");
    let e = encoder(&p, 0);
    assert_eq!(e.resolution, res(2592, 1944));
    assert_eq!(
        (e.frame_rate_limit, e.bitrate_limit, e.profile.as_deref()),
        (Some(12.0), Some(6144), Some("High"))
    );
    assert_eq!(p[0].ptz.as_ref().unwrap().token, "ptz_node_config1");

    let c = read_as::<media2::VideoEncoderConfigurations>(
        &root,
        &format!("{d}/media2/GetVideoEncoderConfigurationsResponse.xml"),
    )
    .configurations;
    let summary: Vec<_> = c
        .iter()
        .map(|e| {
            (
                e.token.as_str(),
                e.resolution.unwrap().width,
                e.frame_rate_limit.unwrap(),
                e.bitrate_limit.unwrap(),
                e.constant_bitrate.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("video_encoder_config", 2592, 12.0, 6144, true),
            ("video_encoder_config2", 720, 25.0, 1024, true),
            ("video_encoder_config3", 352, 25.0, 128, false),
        ]
    );
    assert!(
        c.iter()
            .all(|e| e.gov_length == Some(50) && e.profile.as_deref() == Some("High"))
    );
    let u = read_as::<media2::StreamUri>(&root, &format!("{d}/media2/GetStreamUriResponse.xml"));
    assert_eq!(u.media_uri.uri, "rtsp://162.191.54.181/media/video1");
    let s = read_as::<media::SnapshotUri>(&root, &format!("{d}/media1/GetSnapshotUriResponse.xml"));
    assert_eq!(
        s.media_uri.uri,
        "http://162.191.54.181:80/LAPI/V1.0/Media/Video/Streams/0/Snapshot"
    );
    let m = read_as::<media2::MetadataConfigurations>(
        &root,
        &format!("{d}/media2/GetMetadataConfigurationsResponse.xml"),
    );
    let m = &m.configurations[0];
    assert_eq!(
        (
            m.token.as_str(),
            m.use_count,
            m.ptz_status,
            m.ptz_position,
            m.analytics
        ),
        (
            "metadata_config",
            Some(3),
            Some(true),
            Some(true),
            Some(true)
        )
    );
}

#[test]
fn sunba_405_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/SUNBA.405";
    let p = read_as::<media::Profile>(&root, &format!("{d}/media1/GetProfileResponse.xml")).profile;
    assert_eq!((p.token.as_str(), p.name.as_str()), ("000", "Profile_000"));
    let vs = p.video_source.as_ref().unwrap();
    assert_eq!(
        (vs.token.as_str(), vs.source_token.as_deref()),
        ("000", Some("000"))
    );
    assert_eq!(vs.bounds.map(|b| (b.width, b.height)), Some((2592, 1944)));
    let e = p.video_encoder.as_ref().unwrap();
    assert_eq!(e.resolution, res(2592, 1944));
    assert_eq!(
        (e.quality, e.frame_rate_limit, e.bitrate_limit, e.gov_length),
        (Some(3.0), Some(12.0), Some(2205), Some(1))
    );
    // A request saved among the answers: read with the request type.
    let bytes = std::fs::read(root.join(format!("{d}/media1/GetStreamUri.xml"))).unwrap();
    let env = Envelope::parse(&bytes).unwrap();
    let r = media::GetStreamUri::read(env.payload().unwrap()).unwrap();
    assert_eq!(r, media::GetStreamUri::rtsp("000"));
    // Media2 answers with a `trt2` prefix, bound to the Media2 namespace.
    let c = read_as::<media2::VideoEncoderConfigurations>(
        &root,
        &format!("{d}/media2/GetVideoEncoderConfigurationsResponse.xml"),
    )
    .configurations;
    assert_eq!(c.len(), 2);
    assert_eq!(
        (
            c[0].token.as_str(),
            c[0].gov_length,
            c[0].profile.as_deref()
        ),
        ("000", Some(12), Some("Main"))
    );
    let u = read_as::<media2::StreamUri>(&root, &format!("{d}/media2/GetStreamUriResponse.xml"));
    assert_eq!(
        u.media_uri.uri,
        "rtsp://192.168.15.40:554/user=admin_password=_channel=1_stream=0&protocol=unicast&onvif=ture.sdp?real_stream"
    );
    // The camera pads the URI with a space.
    let s = read_as::<media::SnapshotUri>(&root, &format!("{d}/media1/GetSnapshotUriResponse.xml"));
    assert_eq!(
        s.media_uri.uri,
        "http://192.168.15.40/webcapture.jpg?command=snap&channel=1&user=admin&password=41f2kjt8"
    );
    assert_eq!(s.media_uri.timeout.as_deref(), Some("PT10S"));
    // An empty GetMetadataConfigurationResponse reads as "no configuration".
    let m = read_as::<media::MetadataConfiguration>(
        &root,
        &format!("{d}/media1/GetMetadataConfigurationResponse.xml"),
    );
    assert_eq!(m.configuration, None);
    let v =
        read_as::<media::VideoSources>(&root, &format!("{d}/media1/GetVideoSourcesResponse.xml"));
    let i = v.sources[0].imaging.as_ref().unwrap();
    assert_eq!(
        (v.sources[0].framerate, i.sharpness),
        (Some(16.0), Some(8.0))
    );
    let f = i.focus.as_ref().unwrap();
    assert_eq!(
        (f.auto_focus_mode, f.near_limit, f.far_limit),
        (Some(AutoManual::Manual), Some(1.0), Some(8.0))
    );
    // GetProfilesResponse here is a GetServices answer with a log appended: refused, clearly.
    let bytes = std::fs::read(root.join(format!("{d}/media1/GetProfilesResponse.xml"))).unwrap();
    let e = Envelope::parse(&bytes).unwrap_err();
    assert!(e.to_string().contains("line 124"), "{e}");
}

#[test]
fn happytimesoft_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let d = "easy_onvif/happytimesoft";
    let p =
        read_as::<media::Profiles>(&root, &format!("{d}/media1/GetProfilesResponse.xml")).profiles;
    assert_eq!(
        (p[0].token.as_str(), p[0].name.as_str()),
        ("ProfileToken_1", "ProfileName_1")
    );
    let e = encoder(&p, 0);
    assert_eq!(e.token, "VideoEncoderConfigurationToken_1");
    assert_eq!(e.resolution, res(1280, 720));
    assert_eq!(
        (
            e.frame_rate_limit,
            e.bitrate_limit,
            e.gov_length,
            e.profile.as_deref()
        ),
        (Some(25.0), Some(2048), Some(25), Some("Main"))
    );
    assert_eq!(encoder(&p, 1).resolution, res(640, 480));
    let ptz = p[0].ptz.as_ref().unwrap();
    assert_eq!(
        (ptz.token.as_str(), ptz.node_token.as_deref()),
        ("PTZConfigurationToken_1", Some("PTZNodeToken_1"))
    );
    assert_eq!(
        p[0].audio_encoder.as_ref().unwrap().encoding.as_deref(),
        Some("G726")
    );
    let m = p[0].metadata.as_ref().unwrap();
    assert_eq!(m.token, "MetadataConfigurationToken_1");
    assert_eq!(
        (m.ptz_status, m.ptz_position, m.analytics),
        (Some(true), Some(false), Some(false))
    );
    assert_eq!(m.multicast.as_ref().unwrap().port, Some(32002));

    let u = read_as::<media::StreamUri>(&root, &format!("{d}/media1/GetStreamUriResponse.xml"));
    assert_eq!(
        u.media_uri.uri,
        "rtsp://192.168.2.119/test.mp4&t=unicast&p=rtsp&ve=H264&w=1280&h=720&ae=PCMU&sr=8000"
    );
    let p2 =
        read_as::<media2::Profiles>(&root, &format!("{d}/media2/GetProfilesResponse.xml")).profiles;
    assert_eq!(
        (p2[1].token.as_str(), p2[1].name.as_str(), p2[1].fixed),
        ("ProfileToken_2", "ProfileName_2", true)
    );
    let s =
        read_as::<media2::SnapshotUri>(&root, &format!("{d}/media2/GetSnapshotUriResponse.xml"));
    assert_eq!(
        s.media_uri.uri,
        "http://192.168.2.119:10000/snapshot/ProfileToken_1"
    );

    let v =
        read_as::<media::VideoSources>(&root, &format!("{d}/media1/GetVideoSourcesResponse.xml"));
    assert_eq!(v.sources[0].token, "VideoSourceToken_1");
    assert_eq!(v.sources[0].framerate, Some(25.0));
    let i = v.sources[0].imaging.as_ref().unwrap();
    assert_eq!(i.backlight_compensation.as_ref().unwrap().level, Some(10.0));
    let x = i.exposure.as_ref().unwrap();
    assert_eq!(
        (x.max_exposure_time, x.gain, x.iris),
        (Some(40000.0), Some(100.0), Some(10.0))
    );
    let f = i.focus.as_ref().unwrap();
    assert_eq!(
        (f.auto_focus_mode, f.default_speed, f.far_limit),
        (Some(AutoManual::Auto), Some(100.0), Some(1000.0))
    );
    assert_eq!(
        i.wide_dynamic_range,
        Some(WideDynamicRange {
            mode: Some(OnOff::Off),
            level: Some(50.0)
        })
    );
    assert_eq!(
        i.white_balance,
        Some(WhiteBalance {
            mode: Some(AutoManual::Auto),
            cr_gain: Some(10.0),
            cb_gain: Some(10.0)
        })
    );
}

#[test]
fn ex_onvif_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let o = read_as::<media::VideoEncoderConfigurationOptions>(
        &root,
        "ex_onvif/get_video_encoder_configuration_options.xml",
    )
    .options;
    let codecs: Vec<_> = o.encodings.iter().map(|e| e.encoding.clone()).collect();
    assert_eq!(codecs, [VideoEncoding::Jpeg, VideoEncoding::H264]);
    let h = o.get(&VideoEncoding::H264).unwrap();
    assert_eq!(h.quality_range, range(1.0, 6.0));
    assert_eq!(h.resolutions.len(), 3);
    assert_eq!(h.resolutions[0], res(704, 576).unwrap());
    assert_eq!(h.gov_length_range, Some(IntRange { min: 25, max: 150 }));
    assert_eq!(h.frame_rate_range, range(1.0, 25.0));
    assert_eq!(h.profiles, ["Baseline", "Main", "High"]);
    let j = o.get(&VideoEncoding::Jpeg).unwrap();
    assert_eq!(j.encoding_interval_range, Some(IntRange { min: 1, max: 6 }));
    assert_eq!(j.quality_range, range(1.0, 6.0));

    let o = read_as::<media2::VideoEncoderConfigurationOptions>(
        &root,
        "ex_onvif/get_media2_video_encoder_configuration_options.xml",
    )
    .options;
    let h = o.get(&VideoEncoding::H264).unwrap();
    assert_eq!(h.profiles, ["Main", "High"]);
    assert_eq!(h.gov_length_range, Some(IntRange { min: 1, max: 250 }));
    assert_eq!(h.frame_rates_supported.len(), 12);
    assert_eq!(h.frame_rates_supported.first(), Some(&12.5));
    assert_eq!(h.frame_rates_supported.last(), Some(&0.0625));
    assert_eq!(h.constant_bitrate_supported, Some(true));
    assert_eq!(h.quality_range, range(0.0, 5.0));
    assert_eq!(
        h.resolutions,
        [res(1280, 720).unwrap(), res(3840, 2160).unwrap()]
    );
    assert_eq!(
        h.bitrate_range,
        Some(IntRange {
            min: 32,
            max: 16384
        })
    );
    let h5 = o.get(&VideoEncoding::H265).unwrap();
    assert_eq!(h5.profiles, ["Main"]);
    assert_eq!(h5.resolutions.len(), 3);

    let c = read_as::<media2::VideoSourceConfigurations>(
        &root,
        "ex_onvif/get_media2_video_source_configurations.xml",
    )
    .configurations;
    assert_eq!(
        c,
        [VideoSourceConfig {
            token: "0".into(),
            name: Some("user0".into()),
            use_count: Some(4),
            source_token: Some("0".into()),
            bounds: Some(Bounds {
                x: 0,
                y: 0,
                width: 3840,
                height: 2160
            }),
        }]
    );
    let m =
        read_as::<media::ServiceCapabilities>(&root, "ex_onvif/get_media_service_capabilities.xml");
    assert_eq!(m.max_profiles(), Some(24));
    assert!(m.0.flag("SnapshotUri"));
    assert!(!m.0.flag("StreamingCapabilities.RTP_TCP"));
    assert!(m.0.flag("StreamingCapabilities.RTP_RTSP_TCP"));
    let m2 = read_as::<media2::ServiceCapabilities>(
        &root,
        "ex_onvif/get_media2_service_capabilities.xml",
    );
    assert_eq!(
        m2.0.flags
            .get("ProfileCapabilities.MaximumNumberOfProfiles")
            .map(String::as_str),
        Some("8")
    );
    assert!(m2.0.flag("StreamingCapabilities.RTSPStreaming"));
}

#[test]
fn agsh_onvif_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let p = read_as::<media::Profiles>(&root, "agsh-onvif/GetProfiles.xml").profiles;
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].token.as_str(), p[0].name.as_str()), ("main", "main"));
    let vs = p[0].video_source.as_ref().unwrap();
    assert_eq!(
        (vs.token.as_str(), vs.source_token.as_deref()),
        ("vscfg0", Some("vidsrc0"))
    );
    let e = encoder(&p, 0);
    assert_eq!(e.name.as_deref(), Some("Main stream encoder"));
    assert_eq!(e.resolution, res(1920, 1080));
    assert_eq!(
        (e.quality, e.frame_rate_limit, e.bitrate_limit, e.gov_length),
        (Some(8.0), Some(5.0), Some(1000), Some(30))
    );
    assert_eq!(
        p[0].ptz.as_ref().unwrap().node_token.as_deref(),
        Some("default")
    );

    let u = read_as::<media::StreamUri>(&root, "agsh-onvif/GetStreamUri.xml");
    assert_eq!(u.media_uri.uri, "rtsp://192.168.68.111/h264main");
    assert_eq!(u.media_uri.timeout.as_deref(), Some("PT0S"));
    // The envelope prefix is unbound here; the body is still read.
    let s = read_as::<media::SnapshotUri>(&root, "agsh-onvif/GetSnapshotUri.xml");
    assert_eq!(
        s.media_uri.uri,
        "http://192.168.68.111/onvif-cgi/jpg/image.cgi?resolution=800x600&compression=20&camera=1"
    );
    let c = read_as::<media::VideoEncoderConfiguration>(
        &root,
        "agsh-onvif/media.GetVideoEncoderConfiguration.xml",
    )
    .configuration;
    assert_eq!(
        (c.token.as_str(), c.bitrate_limit, c.quality),
        ("main", Some(512), Some(6.0))
    );
    let v = read_as::<media::VideoSources>(&root, "agsh-onvif/GetVideoSourcesEncoder.xml");
    assert_eq!(v.sources.len(), 8);
    assert!(
        v.sources
            .iter()
            .all(|s| s.framerate == Some(30.0) && s.resolution == res(720, 480))
    );
    assert_eq!(v.sources[7].token, "VideoSource7");

    let i = read_as::<ImagingSettingsResponse>(&root, "agsh-onvif/imaging.GetImagingSettings.xml")
        .settings;
    assert_eq!(
        (i.brightness, i.color_saturation, i.contrast, i.sharpness),
        (Some(255.0), Some(128.0), Some(128.0), Some(128.0))
    );
    assert_eq!(i.focus.unwrap().auto_focus_mode, Some(AutoManual::Auto));
    let o = read_as::<ImagingOptionsResponse>(&root, "agsh-onvif/imaging.GetOptions.xml").options;
    assert_eq!(o.brightness, range(0.0, 255.0));
    assert_eq!(o.contrast, range(0.0, 255.0));
    assert_eq!(o.sharpness, None);

    // No namespace declared anywhere in this file: elements are matched by name.
    let o = read_as::<media::VideoEncoderConfigurationOptions>(
        &root,
        "agsh-onvif/media.GetVideoEncoderConfigurationOptions.xml",
    )
    .options;
    let codecs: Vec<_> = o.encodings.iter().map(|e| e.encoding.clone()).collect();
    assert_eq!(
        codecs,
        [
            VideoEncoding::Jpeg,
            VideoEncoding::Mpeg4,
            VideoEncoding::H264
        ]
    );
    assert_eq!(o.encodings[0].quality_range, range(1.0, 100.0));
    assert!(o.encodings[0].resolutions.is_empty());
    assert_eq!(o.encodings[1].profiles, ["SP"]);
    assert_eq!(o.encodings[2].profiles, ["High"]);
    assert_eq!(o.encodings[2].resolutions.len(), 3);
}
