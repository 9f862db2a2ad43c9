//! Values read by eye from the captures, at least one file per camera folder.
//!
//! Nothing here opens a socket: addresses are values read from the answers, compared as text.

use super::*;

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
    // The whole configuration is embedded, and read: its default spaces tell a client
    // which moves the profile takes.
    assert_eq!(
        ptz.default_continuous_pan_tilt_space.as_deref(),
        Some(onvif_proto::ops::ptz::space::PAN_TILT_VELOCITY_GENERIC)
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
