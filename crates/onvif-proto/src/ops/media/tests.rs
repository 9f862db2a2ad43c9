//! Round trips of every Media1 and Media2 message (write, read back, compare), and the readings
//! that the two forms of the model and lenient cameras need.

use std::collections::BTreeSet;

use super::profile::*;
use super::{v1, v2};
use crate::codec::Node;
use crate::ns::{TR2, TRT};
use crate::ops::device;
use crate::ops::imaging::tests::{read, round_trip};
use crate::ops::imaging::{ImagingSettings, IrCutFilterMode};
use crate::xml::Writer;

fn range(min: f64, max: f64) -> Option<FloatRange> {
    Some(FloatRange { min, max })
}

fn res(width: u32, height: u32) -> Resolution {
    Resolution { width, height }
}

fn caps(pairs: &[(&str, &str)]) -> device::ServiceCapabilities {
    device::ServiceCapabilities {
        flags: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// An encoder with every field its service's form carries.
fn encoder(v: MediaVersion, encoding: VideoEncoding) -> VideoEncoder {
    let media1 = v == MediaVersion::Media1;
    VideoEncoder {
        token: "enc1".into(),
        name: Some("Sub & <second>".into()),
        use_count: Some(3),
        encoding: Some(encoding),
        resolution: Some(res(1280, 720)),
        quality: Some(3.5),
        frame_rate_limit: Some(if media1 { 15.0 } else { 12.5 }),
        bitrate_limit: Some(2048),
        encoding_interval: media1.then_some(2),
        gov_length: Some(30),
        profile: Some("Main".into()),
        constant_bitrate: Some(false),
        multicast: Some(Multicast {
            address: Some("ff15::1".into()),
            port: Some(5004),
            ttl: Some(8),
            auto_start: Some(true),
        }),
        session_timeout: media1.then(|| "PT30S".into()),
    }
}

fn metadata() -> MetadataConfig {
    MetadataConfig {
        token: "meta1".into(),
        name: Some("Meta".into()),
        use_count: Some(2),
        ptz_status: Some(false),
        ptz_position: Some(true),
        events: true,
        analytics: Some(true),
        multicast: Some(Multicast {
            address: Some("239.1.2.3".into()),
            port: Some(6000),
            ttl: Some(16),
            auto_start: Some(false),
        }),
        session_timeout: Some("PT10S".into()),
    }
}

fn source_options() -> VideoSourceOptions {
    let r = |min, max| IntRange { min, max };
    VideoSourceOptions {
        max_profiles: Some(3),
        bounds_range: Some(BoundsRange {
            x: r(0, 0),
            y: r(0, 0),
            width: r(640, 1920),
            height: r(360, 1080),
        }),
        source_tokens: vec!["src1".into()],
    }
}

fn source_config() -> VideoSourceConfig {
    VideoSourceConfig {
        token: "vsc1".into(),
        name: Some("Camera".into()),
        use_count: Some(2),
        source_token: Some("vs1".into()),
        bounds: Some(Bounds {
            x: 8,
            y: -4,
            width: 1280,
            height: 720,
        }),
    }
}

fn profile(v: MediaVersion) -> MediaProfile {
    MediaProfile {
        token: "prof1".into(),
        name: "Second".into(),
        fixed: true,
        source: v,
        video_source: Some(source_config()),
        audio_source: Some(AudioSourceConfig {
            token: "asc1".into(),
            name: Some("Mic".into()),
            source_token: Some("as1".into()),
        }),
        video_encoder: Some(encoder(v, VideoEncoding::H264)),
        audio_encoder: Some(AudioEncoder {
            token: "aec1".into(),
            name: Some("Voice".into()),
            encoding: Some("AAC".into()),
            bitrate: Some(32),
            sample_rate: Some(16),
        }),
        // Whole, as cameras embed it: the default spaces travel with the profile.
        ptz: Some(PtzConfiguration {
            token: "ptz1".into(),
            name: Some("Head".into()),
            use_count: Some(1),
            node_token: Some("node1".into()),
            default_absolute_pan_tilt_space: Some(
                "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace".into(),
            ),
            default_continuous_pan_tilt_space: Some(
                "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace".into(),
            ),
            default_timeout: Some(std::time::Duration::from_secs(5)),
            ..PtzConfiguration::default()
        }),
        metadata: Some(metadata()),
    }
}

fn h264_options(v: MediaVersion) -> EncodingOptions {
    let media1 = v == MediaVersion::Media1;
    EncodingOptions {
        quality_range: range(1.0, 10.0),
        resolutions: vec![res(1920, 1080), res(640, 360)],
        frame_rate_range: media1.then_some(FloatRange {
            min: 1.0,
            max: 30.0,
        }),
        frame_rates_supported: if media1 { vec![] } else { vec![30.0, 7.5] },
        gov_length_range: Some(IntRange { min: 1, max: 120 }),
        encoding_interval_range: media1.then_some(IntRange { min: 1, max: 4 }),
        bitrate_range: Some(IntRange { min: 64, max: 8192 }),
        profiles: vec!["Baseline".into(), "High".into()],
        constant_bitrate_supported: (!media1).then_some(true),
        ..EncodingOptions::new(VideoEncoding::H264)
    }
}

#[test]
fn every_media1_message_round_trips() {
    let seen = &mut BTreeSet::new();
    let v = MediaVersion::Media1;
    let p = || "prof1".to_owned();
    round_trip(&v1::GetProfiles, seen);
    round_trip(
        &v1::Profiles {
            profiles: vec![profile(v), MediaProfile::new("bare", "", v)],
        },
        seen,
    );
    round_trip(&v1::GetProfile { profile_token: p() }, seen);
    round_trip(
        &v1::Profile {
            profile: profile(v),
        },
        seen,
    );
    round_trip(
        &v1::GetStreamUri {
            stream: v1::StreamType::RtpMulticast,
            protocol: v1::TransportProtocol::Http,
            profile_token: p(),
        },
        seen,
    );
    let uri = MediaUri {
        uri: "rtsp://192.0.2.7:554/s1?a=1&b=2".into(),
        invalid_after_connect: Some(false),
        invalid_after_reboot: Some(true),
        timeout: Some("PT5M".into()),
    };
    round_trip(
        &v1::StreamUri {
            media_uri: uri.clone(),
        },
        seen,
    );
    round_trip(&v1::GetSnapshotUri { profile_token: p() }, seen);
    round_trip(&v1::SnapshotUri { media_uri: uri }, seen);
    round_trip(&v1::GetVideoSources, seen);
    round_trip(
        &v1::VideoSources {
            sources: vec![VideoSource {
                token: "vs1".into(),
                framerate: Some(29.97),
                resolution: Some(res(3840, 2160)),
                imaging: Some(ImagingSettings {
                    brightness: Some(40.0),
                    ir_cut_filter: Some(IrCutFilterMode::On),
                    ..ImagingSettings::default()
                }),
            }],
        },
        seen,
    );
    round_trip(&v1::GetVideoSourceConfigurations, seen);
    round_trip(
        &v1::VideoSourceConfigurations {
            configurations: vec![source_config()],
        },
        seen,
    );
    round_trip(&v1::GetVideoEncoderConfigurations, seen);
    round_trip(
        &v1::VideoEncoderConfigurations {
            configurations: vec![
                encoder(v, VideoEncoding::H264),
                encoder(v, VideoEncoding::Mpeg4),
            ],
        },
        seen,
    );
    round_trip(
        &v1::GetVideoEncoderConfiguration {
            configuration_token: "enc1".into(),
        },
        seen,
    );
    round_trip(
        &v1::VideoEncoderConfiguration {
            configuration: encoder(v, VideoEncoding::Mpeg4),
        },
        seen,
    );
    round_trip(
        &v1::GetVideoEncoderConfigurationOptions {
            configuration_token: Some("enc1".into()),
            profile_token: Some(p()),
        },
        seen,
    );
    let jpeg = EncodingOptions {
        quality_range: range(1.0, 10.0),
        resolutions: vec![res(640, 480)],
        frame_rate_range: range(1.0, 15.0),
        encoding_interval_range: Some(IntRange { min: 1, max: 2 }),
        ..EncodingOptions::new(VideoEncoding::Jpeg)
    };
    round_trip(
        &v1::VideoEncoderConfigurationOptions {
            options: VideoEncoderOptions {
                encodings: vec![jpeg, h264_options(v)],
            },
        },
        seen,
    );
    round_trip(
        &v1::SetVideoEncoderConfiguration {
            configuration: encoder(v, VideoEncoding::H264),
            force_persistence: true,
        },
        seen,
    );
    round_trip(&v1::SetVideoEncoderConfigurationResponse, seen);
    round_trip(&v1::GetAudioSources, seen);
    round_trip(
        &v1::AudioSources {
            sources: vec![AudioSource {
                token: "as1".into(),
                channels: Some(2),
            }],
        },
        seen,
    );
    round_trip(&v1::GetMetadataConfigurations, seen);
    round_trip(
        &v1::MetadataConfigurations {
            configurations: vec![metadata()],
        },
        seen,
    );
    round_trip(
        &v1::GetMetadataConfiguration {
            configuration_token: "meta1".into(),
        },
        seen,
    );
    round_trip(
        &v1::MetadataConfiguration {
            configuration: Some(metadata()),
        },
        seen,
    );
    round_trip(&v1::StartMulticastStreaming { profile_token: p() }, seen);
    round_trip(&v1::StartMulticastStreamingResponse, seen);
    round_trip(&v1::StopMulticastStreaming { profile_token: p() }, seen);
    round_trip(&v1::StopMulticastStreamingResponse, seen);
    round_trip(&v1::SetSynchronizationPoint { profile_token: p() }, seen);
    round_trip(&v1::SetSynchronizationPointResponse, seen);
    round_trip(
        &v1::GetGuaranteedNumberOfVideoEncoderInstances {
            configuration_token: p(),
        },
        seen,
    );
    round_trip(
        &v1::GuaranteedEncoderInstances {
            total: 3,
            jpeg: Some(1),
            h264: Some(2),
            mpeg4: Some(0),
        },
        seen,
    );
    round_trip(
        &v1::GetVideoSourceConfiguration {
            configuration_token: "vsc1".into(),
        },
        seen,
    );
    round_trip(
        &v1::VideoSourceConfiguration {
            configuration: source_config(),
        },
        seen,
    );
    round_trip(
        &v1::GetVideoSourceConfigurationOptions {
            configuration_token: Some("vsc1".into()),
            profile_token: Some(p()),
        },
        seen,
    );
    round_trip(
        &v1::VideoSourceConfigurationOptions {
            options: source_options(),
        },
        seen,
    );
    round_trip(
        &v1::GetCompatibleVideoSourceConfigurations { profile_token: p() },
        seen,
    );
    round_trip(
        &v1::CompatibleVideoSourceConfigurations {
            configurations: vec![source_config()],
        },
        seen,
    );
    round_trip(
        &v1::GetCompatibleVideoEncoderConfigurations { profile_token: p() },
        seen,
    );
    round_trip(
        &v1::CompatibleVideoEncoderConfigurations {
            configurations: vec![encoder(MediaVersion::Media1, VideoEncoding::H264)],
        },
        seen,
    );
    round_trip(
        &v1::GetCompatibleMetadataConfigurations { profile_token: p() },
        seen,
    );
    round_trip(
        &v1::CompatibleMetadataConfigurations {
            configurations: vec![metadata()],
        },
        seen,
    );
    round_trip(&v1::GetServiceCapabilities, seen);
    round_trip(
        &v1::ServiceCapabilities(caps(&[
            ("SnapshotUri", "true"),
            ("ProfileCapabilities.MaximumNumberOfProfiles", "4"),
        ])),
        seen,
    );
    super::osd_tests::media1_round_trips(seen);
    crate::ops::analytics::tests::media1_round_trips(seen);
    for d in crate::decode::DECODERS.iter().filter(|d| d.ns == TRT) {
        assert!(seen.contains(d.name), "{} has no round trip", d.name);
    }
    assert_eq!(seen.len(), 58, "{seen:?}");
}

#[test]
fn every_media2_message_round_trips() {
    let seen = &mut BTreeSet::new();
    let v = MediaVersion::Media2;
    let p = || "prof1".to_owned();
    round_trip(
        &v2::GetProfiles {
            token: Some(p()),
            types: vec!["VideoEncoder".into(), "Metadata".into()],
        },
        seen,
    );
    round_trip(
        &v2::Profiles {
            profiles: vec![profile(v), MediaProfile::new("bare", "Bare", v)],
        },
        seen,
    );
    round_trip(
        &v2::GetStreamUri {
            protocol: v2::StreamingProtocol::RtspOverHttp,
            profile_token: p(),
        },
        seen,
    );
    let uri = MediaUri {
        uri: "rtsp://192.0.2.7/media2?x=1&y=<2>".into(),
        ..MediaUri::default()
    };
    round_trip(
        &v2::StreamUri {
            media_uri: uri.clone(),
        },
        seen,
    );
    round_trip(&v2::GetSnapshotUri { profile_token: p() }, seen);
    round_trip(&v2::SnapshotUri { media_uri: uri }, seen);
    round_trip(
        &v2::GetVideoEncoderConfigurations {
            configuration_token: Some("enc1".into()),
            profile_token: Some(p()),
        },
        seen,
    );
    round_trip(
        &v2::VideoEncoderConfigurations {
            configurations: vec![
                encoder(v, VideoEncoding::H265),
                encoder(v, VideoEncoding::Mpeg4),
            ],
        },
        seen,
    );
    round_trip(
        &v2::GetVideoSourceConfigurations {
            configuration_token: Some("vsc1".into()),
            profile_token: Some(p()),
        },
        seen,
    );
    round_trip(
        &v2::VideoSourceConfigurations {
            configurations: vec![source_config()],
        },
        seen,
    );
    round_trip(
        &v2::GetVideoEncoderConfigurationOptions {
            configuration_token: Some("enc1".into()),
            profile_token: Some(p()),
        },
        seen,
    );
    round_trip(
        &v2::VideoEncoderConfigurationOptions {
            options: VideoEncoderOptions {
                encodings: vec![h264_options(v), EncodingOptions::new(VideoEncoding::Mpeg4)],
            },
        },
        seen,
    );
    round_trip(
        &v2::SetVideoEncoderConfiguration {
            configuration: encoder(v, VideoEncoding::H264),
        },
        seen,
    );
    round_trip(&v2::SetVideoEncoderConfigurationResponse, seen);
    round_trip(
        &v2::GetMetadataConfigurations {
            configuration_token: Some("meta1".into()),
            profile_token: Some(p()),
        },
        seen,
    );
    round_trip(
        &v2::MetadataConfigurations {
            configurations: vec![metadata()],
        },
        seen,
    );
    round_trip(&v2::StartMulticastStreaming { profile_token: p() }, seen);
    round_trip(&v2::StartMulticastStreamingResponse, seen);
    round_trip(&v2::StopMulticastStreaming { profile_token: p() }, seen);
    round_trip(&v2::StopMulticastStreamingResponse, seen);
    round_trip(&v2::SetSynchronizationPoint { profile_token: p() }, seen);
    round_trip(&v2::SetSynchronizationPointResponse, seen);
    round_trip(
        &v2::GetVideoSourceConfigurationOptions {
            configuration_token: Some("vsc1".into()),
            profile_token: None,
        },
        seen,
    );
    round_trip(
        &v2::VideoSourceConfigurationOptions {
            options: source_options(),
        },
        seen,
    );
    round_trip(
        &v2::GetVideoEncoderInstances {
            configuration_token: "vsc1".into(),
        },
        seen,
    );
    round_trip(
        &v2::VideoEncoderInstances {
            codecs: vec![
                v2::EncoderInstance {
                    encoding: "H264".into(),
                    number: 2,
                },
                v2::EncoderInstance {
                    encoding: "H265".into(),
                    number: 1,
                },
            ],
            total: 3,
        },
        seen,
    );
    round_trip(&v2::GetServiceCapabilities, seen);
    round_trip(
        &v2::ServiceCapabilities(caps(&[(
            "ProfileCapabilities.ConfigurationsSupported",
            "VideoSource VideoEncoder Metadata",
        )])),
        seen,
    );
    super::osd_tests::media2_round_trips(seen);
    crate::ops::analytics::tests::media2_round_trips(seen);
    for d in crate::decode::DECODERS.iter().filter(|d| d.ns == TR2) {
        assert!(seen.contains(d.name), "{} has no round trip", d.name);
    }
    assert_eq!(seen.len(), 40, "{seen:?}");
}

/// `value` written as `tag` (a model type, outside any message).
fn written<N: Node>(value: &N, tag: &str) -> String {
    let mut w = Writer::new();
    value.write_node(&mut w, tag);
    w.finish()
}

#[test]
fn each_service_writes_its_own_form() {
    let e = encoder(MediaVersion::Media1, VideoEncoding::Mpeg4);
    let one = written(&e, "trt:Configuration");
    assert!(
        one.starts_with(r#"<trt:Configuration token="enc1"><tt:Name>"#),
        "{one}"
    );
    assert!(one.contains("<tt:Encoding>MPEG4</tt:Encoding>"), "{one}");
    assert!(
        one.contains("<tt:MPEG4><tt:GovLength>30</tt:GovLength><tt:Mpeg4Profile>Main</tt:Mpeg4Profile></tt:MPEG4>"),
        "{one}"
    );
    assert!(
        one.contains(r#"<tt:RateControl ConstantBitRate="false">"#),
        "{one}"
    );
    let two = written(&e, "tr2:Configuration");
    assert!(
        two.starts_with(r#"<tr2:Configuration token="enc1" GovLength="30" Profile="Main">"#),
        "{two}"
    );
    assert!(two.contains("<tt:Encoding>MPV4-ES</tt:Encoding>"), "{two}");
    assert!(
        !two.contains("EncodingInterval") && !two.contains("SessionTimeout"),
        "{two}"
    );
    assert!(
        two.ends_with("<tt:Quality>3.5</tt:Quality></tr2:Configuration>"),
        "{two}"
    );
    // The audio encoder: Multicast before the bitrate in Media2, after the sample rate and
    // with a session timeout in Media1; the use count the schema requires is 1.
    let a = profile(MediaVersion::Media1).audio_encoder.expect("audio");
    let one = written(&a, "tt:AudioEncoderConfiguration");
    assert!(
        one.contains("<tt:UseCount>1</tt:UseCount><tt:Encoding>AAC"),
        "{one}"
    );
    assert!(
        one.contains("</tt:Multicast><tt:SessionTimeout>PT60S</tt:SessionTimeout>"),
        "{one}"
    );
    let two = written(&a, "tr2:AudioEncoder");
    assert!(
        two.contains("</tt:Multicast><tt:Bitrate>32</tt:Bitrate>"),
        "{two}"
    );
    assert!(!two.contains("SessionTimeout"), "{two}");
    // Media2 keeps a profile's configurations under one element, left out (it is optional)
    // when there are none.
    let bare = MediaProfile::new("p", "P", MediaVersion::Media2);
    assert_eq!(
        written(&bare, "tr2:Profiles"),
        r#"<tr2:Profiles token="p"><tr2:Name>P</tr2:Name></tr2:Profiles>"#
    );
}

#[test]
fn required_elements_are_written_when_unknown() {
    let c = VideoSourceConfig {
        token: "t".into(),
        ..VideoSourceConfig::default()
    };
    assert_eq!(
        written(&c, "trt:Configurations"),
        r#"<trt:Configurations token="t"><tt:Name>t</tt:Name><tt:UseCount>1</tt:UseCount></trt:Configurations>"#
    );
    let m = written(&Multicast::default(), "tt:Multicast");
    assert_eq!(
        m,
        "<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type></tt:Address><tt:Port>0</tt:Port>\
         <tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
    );
    let u = written(&MediaUri::default(), "trt:MediaUri");
    assert!(
        u.contains("<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S"),
        "{u}"
    );
    // PTZStatus holds two required flags: written when either is known, not otherwise.
    let mut meta = MetadataConfig {
        ptz_position: Some(true),
        ..MetadataConfig::default()
    };
    let with = written(&meta, "tt:MetadataConfiguration");
    assert!(
        with.contains("<tt:PTZStatus><tt:Status>false</tt:Status><tt:Position>true</tt:Position></tt:PTZStatus>"),
        "{with}"
    );
    meta.ptz_position = None;
    assert!(!written(&meta, "tt:MetadataConfiguration").contains("PTZStatus"));
}

#[test]
fn media1_answers_read_what_cameras_send() {
    // H265 is not in the Media1 schema; cameras that add `tt:H265` have it read.
    let body = r#"<trt:GetVideoEncoderConfigurationResponse><trt:Configuration token=" e ">
        <tt:Name>e</tt:Name><tt:UseCount>1.0</tt:UseCount><tt:Encoding>H265</tt:Encoding>
        <tt:H264><tt:GovLength>10</tt:GovLength></tt:H264>
        <tt:H265><tt:GovLength>50</tt:GovLength><tt:H265Profile>Main10</tt:H265Profile></tt:H265>
        </trt:Configuration></trt:GetVideoEncoderConfigurationResponse>"#;
    let e = read::<v1::VideoEncoderConfiguration>(body)
        .expect("reads")
        .configuration;
    assert_eq!(e.token, " e ");
    assert_eq!(e.use_count, Some(1));
    assert_eq!(
        (e.gov_length, e.profile.as_deref()),
        (Some(50), Some("Main10"))
    );
    // A codec only in `Extension` is read from there, with its bitrate range.
    let body = "<trt:GetVideoEncoderConfigurationOptionsResponse><trt:Options>\
        <tt:QualityRange><tt:Min>0</tt:Min><tt:Max>5</tt:Max></tt:QualityRange>\
        <tt:JPEG><tt:ResolutionsAvailable><tt:Width>640</tt:Width><tt:Height>x</tt:Height>\
        </tt:ResolutionsAvailable></tt:JPEG>\
        <tt:Extension><tt:H264><tt:H264ProfilesSupported>High</tt:H264ProfilesSupported>\
        <tt:H264ProfilesSupported/>\
        <tt:BitrateRange><tt:Min>64</tt:Min><tt:Max>4096</tt:Max></tt:BitrateRange></tt:H264>\
        </tt:Extension></trt:Options></trt:GetVideoEncoderConfigurationOptionsResponse>";
    let o = read::<v1::VideoEncoderConfigurationOptions>(body)
        .expect("reads")
        .options;
    let jpeg = o.get(&VideoEncoding::Jpeg).expect("jpeg");
    assert!(jpeg.resolutions.is_empty());
    assert_eq!(jpeg.quality_range, range(0.0, 5.0));
    let h264 = o.get(&VideoEncoding::H264).expect("h264");
    assert_eq!(h264.profiles, ["High"]);
    assert_eq!(h264.bitrate_range, Some(IntRange { min: 64, max: 4096 }));
    assert_eq!(h264.quality_range, range(0.0, 5.0));
    // A profile's token is trimmed; a blank one is refused.
    let p = read::<v1::Profile>(
        r#"<trt:GetProfileResponse><trt:Profile token=" p1 " fixed="yes"/></trt:GetProfileResponse>"#,
    )
    .expect("reads")
    .profile;
    assert_eq!(
        (p.token.as_str(), p.fixed, p.name.as_str()),
        ("p1", false, "")
    );
    assert_eq!(p.source, MediaVersion::Media1);
    let e = read::<v1::Profile>(
        r#"<trt:GetProfileResponse><trt:Profile token=""/></trt:GetProfileResponse>"#,
    )
    .expect_err("refused");
    assert!(e.to_string().contains("token"), "{e}");
}

#[test]
fn media2_answers_read_what_cameras_send() {
    let body = r#"<tr2:GetVideoEncoderConfigurationOptionsResponse>
        <tr2:Options GovLengthRange="1 x" FrameRatesSupported="25 fast 12.5"
            ProfilesSupported=" Main  High " ConstantBitRateSupported="maybe">
          <tt:Encoding>H265</tt:Encoding></tr2:Options>
        <tr2:Options GovLengthRange="2 60"><tt:QualityRange><tt:Min>0</tt:Min><tt:Max>9</tt:Max>
          </tt:QualityRange></tr2:Options>
        <tr2:Options GovLengthRange="2 60"><tt:Encoding>MPV4-ES</tt:Encoding></tr2:Options>
        </tr2:GetVideoEncoderConfigurationOptionsResponse>"#;
    let o = read::<v2::VideoEncoderConfigurationOptions>(body)
        .expect("reads")
        .options;
    // The entry without an encoding is left out.
    assert_eq!(o.encodings.len(), 2);
    let h265 = &o.encodings[0];
    assert_eq!(h265.encoding, VideoEncoding::H265);
    assert_eq!(h265.gov_length_range, None);
    assert_eq!(h265.frame_rates_supported, [25.0, 12.5]);
    assert_eq!(h265.profiles, ["Main", "High"]);
    assert_eq!(h265.constant_bitrate_supported, None);
    assert_eq!(o.encodings[1].encoding, VideoEncoding::Mpeg4);
    assert_eq!(
        o.encodings[1].gov_length_range,
        Some(IntRange { min: 2, max: 60 })
    );
    // `Type` is a list: one element per value, or values in one element.
    let g = read::<v2::GetProfiles>(
        "<tr2:GetProfiles><tr2:Type>VideoSource VideoEncoder</tr2:Type><tr2:Type>PTZ</tr2:Type>\
         </tr2:GetProfiles>",
    )
    .expect("reads");
    assert_eq!(g.types, ["VideoSource", "VideoEncoder", "PTZ"]);
    assert_eq!(g.token, None);
    // A Media2 encoder: codec settings in attributes, the codec by its MIME name.
    let body = r#"<tr2:GetVideoEncoderConfigurationsResponse>
        <tr2:Configurations token="e" GovLength="25.0" Profile=" ">
          <tt:Name>e</tt:Name><tt:Encoding>mpv4-es</tt:Encoding>
          <tt:RateControl ConstantBitRate="1"><tt:FrameRateLimit>7.5</tt:FrameRateLimit>
          <tt:EncodingInterval>3</tt:EncodingInterval></tt:RateControl>
        </tr2:Configurations></tr2:GetVideoEncoderConfigurationsResponse>"#;
    let e = read::<v2::VideoEncoderConfigurations>(body)
        .expect("reads")
        .configurations
        .remove(0);
    assert_eq!(e.encoding, Some(VideoEncoding::Mpeg4));
    assert_eq!((e.gov_length, e.profile), (Some(25), None));
    assert_eq!(
        (e.constant_bitrate, e.frame_rate_limit),
        (Some(true), Some(7.5))
    );
    assert_eq!(e.encoding_interval, None);
    // The URI answer is the address alone, and required.
    let e = read::<v2::StreamUri>("<tr2:GetStreamUriResponse/>").expect_err("refused");
    assert!(e.to_string().contains("GetStreamUriResponse/Uri"), "{e}");
}

#[test]
fn service_capabilities_give_the_profile_limit() {
    let c = v1::ServiceCapabilities(caps(&[(
        "ProfileCapabilities.MaximumNumberOfProfiles",
        " 12 ",
    )]));
    assert_eq!(c.max_profiles(), Some(12));
    assert_eq!(v1::ServiceCapabilities::default().max_profiles(), None);
}
