//! Values read by eye from the captures, more camera folders.
//!
//! Nothing here opens a socket: addresses are values read from the answers, compared as text.

use super::*;

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
