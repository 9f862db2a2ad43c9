//! Media, Media2 and Imaging against the simulated camera over 127.0.0.1, and snapshot
//! downloads against peers that answer the ways cameras do.
#![allow(clippy::unwrap_used)]

use onvif::media::{StreamTransport, with_credentials};
use onvif::proto::ops::imaging::{ImagingSettings, IrCutFilterMode};
use onvif::proto::ops::profile::{MediaVersion, Resolution, VideoEncoder, VideoEncoding};
use onvif::{Camera, Config, Credentials, Error, ErrorKind};
use onvif_sim::{Quirk, SnapshotAuth};
use onvif_testkit::{Sim, SimBuilder, USER};

/// A password with URL delimiters: a credentials URL must carry it percent-encoded.
const PASSWORD: &str = "p@ss:w/rd%";

fn camera() -> SimBuilder {
    Sim::builder().password(PASSWORD)
}

#[tokio::test]
async fn profiles_come_from_media2_and_show_h265() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let ps = cam.profiles().await.unwrap();
    assert!(ps.iter().all(|p| p.source == MediaVersion::Media2));
    let main = ps.iter().find(|p| p.token == "Profile_1").unwrap();
    let enc = main.video_encoder.as_ref().unwrap();
    assert_eq!(enc.encoding, Some(VideoEncoding::H264));
    assert_eq!(
        enc.resolution.map(|r| (r.width, r.height)),
        Some((1920, 1080))
    );
    assert!(main.ptz.is_some());
    let sub = ps.iter().find(|p| p.token == "Profile_2").unwrap();
    assert!(sub.ptz.is_none());
    assert!(
        ps.iter().any(|p| p
            .video_encoder
            .as_ref()
            .is_some_and(|e| e.encoding == Some(VideoEncoding::H265))),
        "{ps:?}"
    );
    // Media1 alone does not show the H.265 profile.
    let m1 = cam
        .call(&onvif::proto::ops::media::GetProfiles)
        .await
        .unwrap();
    assert!(m1.profiles.iter().all(|p| {
        p.video_encoder
            .as_ref()
            .is_none_or(|e| e.encoding != Some(VideoEncoding::H265))
    }));
    assert_eq!(m1.profiles.len() + 1, ps.len());
}

#[tokio::test]
async fn the_first_profile_is_the_default_and_unknown_ones_are_named() {
    let h = camera().start().await;
    let cam = h.connect().await;
    assert_eq!(cam.profile(None).await.unwrap().token, "Profile_1");
    assert_eq!(
        cam.profile(Some("subStream")).await.unwrap().token,
        "Profile_2"
    );
    let e = cam.profile(Some("Nope")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert!(e.to_string().contains("Profile_1"), "{e}");
}

#[tokio::test]
async fn stream_uris_for_every_transport_point_at_the_camera() {
    let h = camera().start().await;
    let cam = h.connect().await;
    for p in cam.profiles().await.unwrap() {
        for t in [
            StreamTransport::Rtsp,
            StreamTransport::RtspTcp,
            StreamTransport::Http,
            StreamTransport::UdpMulticast,
        ] {
            let u = cam.stream_uri(&p, t).await.unwrap();
            assert!(u.uri.starts_with("rtsp://127.0.0.1:"), "{t:?}: {}", u.uri);
            assert!(u.uri.contains(&p.token), "{}", u.uri);
        }
    }
}

#[tokio::test]
async fn media1_profiles_use_media1_stream_uris() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let m1 = cam
        .call(&onvif::proto::ops::media::GetProfiles)
        .await
        .unwrap();
    let p = &m1.profiles[0];
    assert_eq!(p.source, MediaVersion::Media1);
    let before = h.stats().operation("GetStreamUri");
    let u = cam.stream_uri(p, StreamTransport::Rtsp).await.unwrap();
    assert!(u.uri.starts_with("rtsp://"));
    assert_eq!(h.stats().operation("GetStreamUri"), before + 1);
}

/// A key frame is asked of the service each profile came from; an unknown profile is the
/// camera's fault.
#[tokio::test]
async fn a_synchronization_point_goes_to_the_profiles_own_service() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let m1 = cam
        .call(&onvif::proto::ops::media::GetProfiles)
        .await
        .unwrap()
        .profiles
        .remove(0);
    let m2 = cam.profile(None).await.unwrap();
    assert_eq!(m2.source, MediaVersion::Media2);
    let asked = || h.stats().operation("SetSynchronizationPoint");
    cam.set_synchronization_point(&m1).await.unwrap();
    cam.set_synchronization_point(&m2).await.unwrap();
    assert_eq!(asked(), 2);
    let mut gone = m2.clone();
    gone.token = "Profile_9".into();
    let e = cam.set_synchronization_point(&gone).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device, "{e}");
    assert!(e.to_string().contains("Profile_9"), "{e}");
}

#[tokio::test]
async fn lying_stream_uris_are_repaired_but_keep_their_rtsp_port() {
    let h = camera().quirk(Quirk::LyingXAddrsOtherHost).start().await;
    let cam = h.connect().await;
    let p = cam.profile(None).await.unwrap();
    let u = cam.stream_uri(&p, StreamTransport::Rtsp).await.unwrap();
    let url = reqwest::Url::parse(&u.uri).unwrap();
    assert_eq!(url.host_str(), Some("127.0.0.1"), "{}", u.uri);
    assert_eq!(url.port(), Some(8554), "{}", u.uri);
}

#[tokio::test]
async fn with_credentials_encodes_awkward_passwords() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let p = cam.profile(None).await.unwrap();
    let u = cam.stream_uri(&p, StreamTransport::Rtsp).await.unwrap();
    let with = with_credentials(&u.uri, cam.credentials().unwrap());
    assert!(
        with.starts_with("rtsp://admin:p%40ss%3Aw%2Frd%25@127.0.0.1:"),
        "{with}"
    );
}

#[tokio::test]
async fn snapshots_are_real_jpegs_behind_digest() {
    let h = camera().start().await;
    let cam = h.connect().await;
    for p in cam.profiles().await.unwrap() {
        let s = cam.snapshot(&p).await.unwrap();
        assert_eq!(s.content_type, "image/jpeg");
        assert!(s.bytes.starts_with(&[0xFF, 0xD8]), "{}", p.token);
        assert!(s.bytes.ends_with(&[0xFF, 0xD9]), "{}", p.token);
        assert_eq!(s.size, s.bytes.len());
    }
}

#[tokio::test]
async fn snapshots_with_wrong_credentials_are_auth_errors() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let uri = cam
        .snapshot_uri(&cam.profile(None).await.unwrap())
        .await
        .unwrap()
        .uri;
    let other = Camera::with_url(
        cam.device_url().clone(),
        Some(Credentials::new(USER, "wrong")),
        Config::default(),
    )
    .unwrap();
    let e = other.fetch_snapshot(&uri).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e:?}");
    let none = Camera::with_url(cam.device_url().clone(), None, Config::default()).unwrap();
    let e = none.fetch_snapshot(&uri).await.unwrap_err();
    assert!(e.to_string().contains("needs credentials"), "{e}");
}

#[tokio::test]
async fn basic_snapshots_need_permission_over_plain_http() {
    let h = camera().snapshot_auth(SnapshotAuth::Basic).start().await;
    let cam = h.connect().await;
    let p = cam.profile(None).await.unwrap();
    let e = cam.snapshot(&p).await.unwrap_err();
    assert!(e.to_string().contains("--allow-basic"), "{e}");
    let allowed = h
        .connect_with(Config {
            allow_basic_over_http: true,
            ..Config::default()
        })
        .await;
    let s = allowed.snapshot(&p).await.unwrap();
    assert!(s.bytes.starts_with(&[0xFF, 0xD8]));
}

#[tokio::test]
async fn an_html_error_page_is_not_saved_as_a_jpeg() {
    let h = camera().quirk(Quirk::SnapshotHtmlError).start().await;
    let cam = h.connect().await;
    let p = cam.profile(None).await.unwrap();
    let e = cam.snapshot(&p).await.unwrap_err();
    assert!(matches!(e, Error::Http { .. }), "{e:?}");
    assert!(e.to_string().contains("HTML page"), "{e}");
}

#[tokio::test]
async fn credentials_embedded_in_the_snapshot_uri_are_dropped_when_they_fail() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let uri = cam
        .snapshot_uri(&cam.profile(None).await.unwrap())
        .await
        .unwrap()
        .uri;
    let with_stale = uri.replacen("http://", "http://olduser:oldpass@", 1);
    let s = cam.fetch_snapshot(&with_stale).await.unwrap();
    assert!(s.bytes.starts_with(&[0xFF, 0xD8]));
    assert!(!s.uri.contains("oldpass"));
}

#[tokio::test]
async fn video_sources_and_encoders() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let vs = cam.video_sources().await.unwrap();
    assert_eq!(vs[0].token, "VideoSource_1");
    let enc = cam.video_encoders().await.unwrap();
    assert!(enc.len() >= 2);
    assert!(enc.iter().all(|e| e.encoding.is_some()));
}

/// An encoder changed through Media2 (which takes H.265); a value outside its options is the
/// camera's fault, and nothing changes.
#[tokio::test]
async fn encoders_are_changed_through_media2_within_their_options() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let o = cam.video_encoder_options("VideoEncoder_3").await.unwrap();
    let h265 = o.get(&VideoEncoding::H265).unwrap();
    assert!(
        h265.resolutions.contains(&Resolution {
            width: 1280,
            height: 720
        }),
        "{o:?}"
    );
    let find = |all: Vec<VideoEncoder>| all.into_iter().find(|e| e.token == "VideoEncoder_3");
    let mut e = find(cam.video_encoders().await.unwrap()).unwrap();
    e.resolution = Some(Resolution {
        width: 1280,
        height: 720,
    });
    e.bitrate_limit = Some(2048);
    cam.set_video_encoder(&e).await.unwrap();
    let now = find(cam.video_encoders().await.unwrap()).unwrap();
    assert_eq!(now.resolution, e.resolution);
    assert_eq!(
        (now.bitrate_limit, now.encoding),
        (Some(2048), Some(VideoEncoding::H265))
    );
    assert_eq!(h.stats().operation("SetVideoEncoderConfiguration"), 1);

    e.bitrate_limit = Some(1);
    let err = cam.set_video_encoder(&e).await.unwrap_err();
    assert!(
        err.fault().is_some_and(|f| f.has_subcode("InvalidArgVal")),
        "{err}"
    );
    let after = find(cam.video_encoders().await.unwrap()).unwrap();
    assert_eq!(after.bitrate_limit, Some(2048));
}

/// On a camera without Media2 the change goes through Media1, asked to persist, with the
/// fields its schema requires and Media2 does not show (multicast, session timeout) taken
/// from the camera's Media1 configuration: the strict simulator refuses the change without
/// them.
#[tokio::test]
async fn encoders_are_changed_through_media1_on_a_camera_without_media2() {
    let h = camera()
        .config(|c| c.without_service(onvif::proto::Service::Media2))
        .start()
        .await;
    let cam = h.connect().await;
    let o = cam.video_encoder_options("VideoEncoder_2").await.unwrap();
    assert!(
        o.get(&VideoEncoding::H264).unwrap().bitrate_range.is_some(),
        "{o:?}"
    );
    let find = |all: Vec<VideoEncoder>| all.into_iter().find(|e| e.token == "VideoEncoder_2");
    let mut e = find(cam.video_encoders().await.unwrap()).unwrap();
    assert!(e.session_timeout.is_some(), "Media1 shows it: {e:?}");
    // As read through Media2 on a camera that has it.
    e.session_timeout = None;
    e.multicast = None;
    e.frame_rate_limit = Some(10.0);
    cam.set_video_encoder(&e).await.unwrap();
    let now = find(cam.video_encoders().await.unwrap()).unwrap();
    assert_eq!(now.frame_rate_limit, Some(10.0));
    assert_eq!(now.session_timeout.as_deref(), Some("PT60S"));
    assert_eq!(h.stats().operation("SetVideoEncoderConfiguration"), 1);
    // Media1's FrameRateLimit is an xs:int: a fraction is refused before anything is sent.
    e.frame_rate_limit = Some(12.5);
    let err = cam.set_video_encoder(&e).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Usage, "{err}");
    assert_eq!(h.stats().operation("SetVideoEncoderConfiguration"), 1);
}

#[tokio::test]
async fn imaging_settings_are_changed_and_read_back() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let src = cam.video_source_token(None).await.unwrap();
    let opts = cam.imaging_options(&src).await.unwrap();
    let range = opts.brightness.unwrap();
    let target = (range.min + range.max) / 2.0 + 7.0;
    cam.set_imaging_settings(
        &src,
        ImagingSettings {
            brightness: Some(target),
            ir_cut_filter: Some(IrCutFilterMode::Off),
            ..ImagingSettings::default()
        },
    )
    .await
    .unwrap();
    let s = cam.imaging_settings(&src).await.unwrap();
    assert_eq!(s.brightness, Some(target));
    assert_eq!(s.ir_cut_filter, Some(IrCutFilterMode::Off));
    // Out of range: the camera refuses with a typed fault.
    let e = cam
        .set_imaging_settings(
            &src,
            ImagingSettings {
                brightness: Some(range.max + 1000.0),
                ..ImagingSettings::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        e.fault().is_some_and(|f| f.has_subcode("InvalidArgVal")),
        "{e:?}"
    );
    assert_eq!(
        cam.imaging_settings(&src).await.unwrap().brightness,
        Some(target)
    );
}

#[tokio::test]
async fn focus_moves_and_stops() {
    use onvif::proto::ops::imaging::FocusMove;
    let h = camera().start().await;
    let cam = h.connect().await;
    let src = cam.video_source_token(None).await.unwrap();
    let _ = cam.focus_move_options(&src).await.unwrap();
    cam.focus_move(&src, FocusMove::Continuous { speed: 0.5 })
        .await
        .unwrap();
    cam.focus_stop(&src).await.unwrap();
    assert_eq!(h.stats().operation("Stop"), 1);
    let e = cam.imaging_settings("NoSuchSource").await.unwrap_err();
    assert!(
        e.fault().is_some_and(|f| f.has_subcode("NoSource")),
        "{e:?}"
    );
}

#[tokio::test]
async fn every_other_media_operation_answers_through_the_client() {
    use onvif::proto::ops::{imaging, media, media2};
    let h = camera().start().await;
    let cam = h.connect().await;
    let p = cam
        .call(&media::GetProfile {
            profile_token: "Profile_2".into(),
        })
        .await
        .unwrap();
    assert_eq!(p.profile.name, "subStream");
    let vsc = cam
        .call(&media::GetVideoSourceConfigurations)
        .await
        .unwrap();
    assert_eq!(vsc.configurations[0].token, "VideoSourceConfig_1");
    let opts = cam
        .call(&media::GetVideoEncoderConfigurationOptions {
            configuration_token: Some("VideoEncoder_1".into()),
            profile_token: None,
        })
        .await
        .unwrap();
    let h264 = serde_json::to_string(&opts).unwrap();
    assert!(
        h264.contains("1920"),
        "the options list the main resolution: {h264}"
    );
    let m1 = cam
        .call(&media::GetVideoEncoderConfigurations)
        .await
        .unwrap();
    assert_eq!(m1.configurations.len(), 2, "Media1 has no H.265 encoder");
    let m2 = cam
        .call(&media2::GetVideoEncoderConfigurations::default())
        .await
        .unwrap();
    assert_eq!(m2.configurations.len(), 3);
    let caps = cam.call(&media::GetServiceCapabilities).await.unwrap();
    assert!(!caps.0.flags.is_empty());
    let caps = cam.call(&media2::GetServiceCapabilities).await.unwrap();
    assert!(!caps.0.flags.is_empty());
    let caps = cam.call(&imaging::GetServiceCapabilities).await.unwrap();
    assert!(!caps.0.flags.is_empty());
    let e = cam
        .call(&media::GetProfile {
            profile_token: "Nope".into(),
        })
        .await
        .unwrap_err();
    assert!(
        e.fault().is_some_and(|f| f.has_subcode("NoProfile")),
        "{e:?}"
    );
}

#[tokio::test]
async fn credentials_the_camera_embeds_in_the_snapshot_uri_are_used() {
    let h = camera()
        .quirk(Quirk::SnapshotUriWithCredentials)
        .start()
        .await;
    let cam = h.connect().await;
    let p = cam.profile(None).await.unwrap();
    let uri = cam.snapshot_uri(&p).await.unwrap().uri;
    assert!(uri.contains('@'), "{uri}");
    // A camera handle without credentials still gets the image with the embedded ones.
    let anon = Camera::with_url(cam.device_url().clone(), None, Config::default()).unwrap();
    let s = anon.fetch_snapshot(&uri).await.unwrap();
    assert!(s.bytes.starts_with(&[0xFF, 0xD8]));
    assert!(!s.uri.contains('@'), "{}", s.uri);
}

#[tokio::test]
async fn a_password_the_camera_puts_in_the_snapshot_query_is_used_and_never_shown() {
    let h = camera()
        .quirk(Quirk::SnapshotUriQueryCredentials)
        .start()
        .await;
    let cam = h.connect().await;
    let p = cam.profile(None).await.unwrap();
    let uri = cam.snapshot_uri(&p).await.unwrap().uri;
    assert!(uri.contains("&password=p%40ss"), "{uri}");
    // The query is what lets a handle without credentials in.
    let anon = Camera::with_url(cam.device_url().clone(), None, Config::default()).unwrap();
    let s = anon.fetch_snapshot(&uri).await.unwrap();
    assert!(s.bytes.starts_with(&[0xFF, 0xD8]));
    assert!(
        s.uri.ends_with("&password=[credentials]") && !s.uri.contains("p%40ss"),
        "{}",
        s.uri
    );
    // A wrong one in the query is refused, and the error does not repeat it.
    let wrong = uri.replace("&password=p%40ss", "&password=Guess-7");
    let e = anon.fetch_snapshot(&wrong).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert!(!e.to_string().contains("Guess-7"), "{e}");
}

#[tokio::test]
async fn snapshot_redirects_on_the_same_host_are_followed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = s.read(&mut buf).await.unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).into_owned();
                let reply: Vec<u8> = if req.starts_with("GET /old") {
                    b"HTTP/1.1 302 Found\r\nLocation: /new.jpg\r\nContent-Length: 0\r\n\r\n"
                        .to_vec()
                } else if req.starts_with("GET /away") {
                    b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/x.jpg\r\nContent-Length: 0\r\n\r\n".to_vec()
                } else {
                    let body = [0xFF, 0xD8, 0xFF, 0xD9];
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend_from_slice(&body);
                    r
                };
                let _ = s.write_all(&reply).await;
            });
        }
    });
    let cam = Camera::with_url(
        format!("http://{addr}/onvif/device_service")
            .parse()
            .unwrap(),
        None,
        Config::default(),
    )
    .unwrap();
    let s = cam
        .fetch_snapshot(&format!("http://{addr}/old"))
        .await
        .unwrap();
    assert!(s.uri.ends_with("/new.jpg"), "{}", s.uri);
    assert_eq!(s.bytes, [0xFF, 0xD8, 0xFF, 0xD9]);
    // A redirect to another host is not followed (credentials would go with it).
    let e = cam
        .fetch_snapshot(&format!("http://{addr}/away"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Http { status: 302, .. }), "{e:?}");
}

/// Imaging needs an imaging service: a camera without one says so before any media request;
/// a camera that faults GetVideoSources still has its source found, in a profile.
#[tokio::test]
async fn the_imaging_source_is_found_or_its_service_is_missing() {
    let h = camera()
        .config(|c| c.without_service(onvif::proto::Service::Imaging))
        .start()
        .await;
    let cam = h.connect().await;
    let e = cam.imaging_source(None).await.unwrap_err();
    assert!(matches!(e, Error::NoService(_)), "{e:?}");
    assert!(e.to_string().contains("imaging service"), "{e}");
    assert_eq!(h.stats().operation("GetVideoSources"), 0);

    let h = camera()
        .config(|c| c.unsupported("GetVideoSources"))
        .start()
        .await;
    let cam = h.connect().await;
    assert_eq!(cam.imaging_source(None).await.unwrap(), "VideoSource_1");
    assert!(cam.imaging_settings("VideoSource_1").await.is_ok());
}
