//! The encoder and discovery settings of the camera page: shown with what the camera offers,
//! changed through the UI, checked before anything is sent, read back on the camera.

use onvif::proto::ops::profile::Resolution;

use super::*;

/// POST the encoder form: its status and answer.
async fn change(ui: &Ui, form: &str) -> (StatusCode, String) {
    let (s, _, b) = ui.post("/camera/sim/encoder", form).await;
    (s, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encoder_is_changed_within_its_options_and_a_bad_change_changes_nothing() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let cam = h.connect().await;
    let size = |token: &'static str| {
        let cam = cam.clone();
        async move {
            let all = cam.video_encoders().await.unwrap();
            let e = all.into_iter().find(|e| e.token == token).unwrap();
            (
                e.encoding.unwrap().to_string(),
                e.resolution.unwrap(),
                e.frame_rate_limit,
            )
        }
    };

    let (s, _, page) = ui.get("/camera/sim").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<h2>Encoders</h2>"), "{page}");
    // Every configuration has its form; the H.265 one offers H.264 too, and its sizes.
    assert_eq!(page.matches("action=\"/camera/sim/encoder\"").count(), 3);
    assert!(
        page.contains("<option value=\"h265\" selected>H265</option><option value=\"h264\">"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"2560x1440\" selected>"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"15\" selected>15</option>"),
        "the substream's rate among those offered: {page}"
    );

    // The form sends every field; what differs is changed, and read back.
    let (s, b) = change(
        &ui,
        "token=VideoEncoder_2&encoding=h264&resolution=1280x720&fps=10&bitrate=512",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(
        b.contains("VideoEncoder_2 is now H264 1280x720 10 fps 512 kbit/s"),
        "{b}"
    );
    let r720 = Resolution {
        width: 1280,
        height: 720,
    };
    assert_eq!(
        size("VideoEncoder_2").await,
        ("H264".into(), r720, Some(10.0))
    );
    let (s, b) = change(
        &ui,
        "token=VideoEncoder_2&encoding=h264&resolution=1280x720&fps=10&bitrate=512",
    )
    .await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::OK, "VideoEncoder_2: nothing changed")
    );

    // A codec switch, with a size the new codec takes.
    let (s, b) = change(
        &ui,
        "token=VideoEncoder_3&encoding=h264&resolution=1920x1080&fps=20",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let r1080 = Resolution {
        width: 1920,
        height: 1080,
    };
    assert_eq!(
        size("VideoEncoder_3").await,
        ("H264".into(), r1080, Some(20.0))
    );

    for (bad, status, says) in [
        (
            "token=VideoEncoder_2&resolution=800x600",
            StatusCode::BAD_REQUEST,
            "800x600 is not offered",
        ),
        (
            "token=VideoEncoder_2&fps=12",
            StatusCode::BAD_REQUEST,
            "offered: 25, 20, 15, 10, 5, 1",
        ),
        (
            "token=VideoEncoder_2&encoding=h265",
            StatusCode::BAD_REQUEST,
            "does not take H265",
        ),
        (
            "token=VideoEncoder_2&fps=abc",
            StatusCode::BAD_REQUEST,
            "not a frame rate",
        ),
        (
            "token=VideoEncoder_2&encoding=vp9",
            StatusCode::BAD_REQUEST,
            "not a codec",
        ),
        (
            "token=VideoEncoder_2&bitrate=-1",
            StatusCode::BAD_REQUEST,
            "whole number",
        ),
        (
            "token=VideoEncoder_2&gamma=1",
            StatusCode::BAD_REQUEST,
            "unknown",
        ),
        (
            "resolution=1280x720",
            StatusCode::BAD_REQUEST,
            "token is missing",
        ),
        (
            "token=Nope&fps=10",
            StatusCode::NOT_FOUND,
            "no encoder configuration",
        ),
    ] {
        let (s, b) = change(&ui, bad).await;
        assert_eq!(s, status, "{bad}: {b}");
        assert!(b.contains(says), "{bad}: {b}");
    }
    assert_eq!(
        size("VideoEncoder_2").await,
        ("H264".into(), r720, Some(10.0))
    );
    // A size kept from the form that the new codec lacks: said in the form's words.
    let (s, b) = change(
        &ui,
        "token=VideoEncoder_3&encoding=h265&resolution=2560x1440&fps=20",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = change(
        &ui,
        "token=VideoEncoder_3&encoding=h264&resolution=2560x1440",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b.contains("resolution 2560x1440 is not offered for H264")
            && b.contains("choose another resolution")
            && !b.contains("--"),
        "{b}"
    );
    let (_, _, page) = ui.get("/camera/sim").await;
    assert!(
        page.contains("<option value=\"1280x720\" selected>"),
        "{page}"
    );
    no_password(&page, "/camera/sim");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_name_and_location_the_camera_announces_are_changed() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let cam = h.connect().await;
    let (_, _, page) = ui.get("/camera/sim").await;
    assert!(
        page.contains("<h2>Discovery</h2>") && page.contains("action=\"/camera/sim/scopes\""),
        "{page}"
    );

    // Another site's page cannot make the change.
    for path in ["/camera/sim/scopes", "/camera/sim/encoder"] {
        let form = "name=Evil&token=VideoEncoder_1&fps=1";
        let (s, _, b) = ui.post_from(path, form, Some("http://evil.example")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}: {b}");
    }
    let (s, _, b) = ui
        .post(
            "/camera/sim/scopes",
            "name=Front+door&location=city%2FDen+Haag",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b, "name set; location set");
    let items: Vec<String> = cam
        .scopes()
        .await
        .unwrap()
        .scopes
        .into_iter()
        .map(|s| s.item)
        .collect();
    for want in [
        "onvif://www.onvif.org/name/Front%20door",
        "onvif://www.onvif.org/location/city/Den%20Haag",
    ] {
        assert!(items.iter().any(|i| i == want), "{want}: {items:#?}");
    }
    // As shown: the same values again change nothing; an empty field is left alone.
    let (_, _, page) = ui.get("/camera/sim").await;
    assert!(
        page.contains("name=\"name\" maxlength=\"64\" value=\"Front door\""),
        "{page}"
    );
    for same in [
        "name=Front+door&location=city%2FDen+Haag",
        "name=+&location=",
    ] {
        let (s, _, b) = ui.post("/camera/sim/scopes", same).await;
        assert_eq!(
            (s, b.as_str()),
            (StatusCode::OK, "nothing changed"),
            "{same}"
        );
    }
    for (bad, says) in [
        ("hardware=x", "unknown"),
        ("location=a%2F%2Fb", "parts separated by single '/'"),
        ("name=a&name=b", "given twice"),
    ] {
        let (s, _, b) = ui.post("/camera/sim/scopes", bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
        assert!(b.contains(says), "{bad}: {b}");
    }
    assert_eq!(h.stats().operation("SetScopes"), 1 + 1, "one per category");
    // Several locations: the form would replace them all, so it leaves them to `scopes`.
    cam.add_scopes(&["onvif://www.onvif.org/location/country/nowhere".into()])
        .await
        .unwrap();
    let (_, _, page) = ui.get("/camera/sim").await;
    assert!(
        page.contains("<input name=\"location\" disabled value=\"city/Den Haag, country/nowhere\""),
        "{page}"
    );
    let (s, _, b) = ui
        .post("/camera/sim/scopes", "name=Back+door&location=elsewhere")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b.starts_with("name set; but the camera announces several location scopes"),
        "what was done is said with the refusal: {b}"
    );
    assert_eq!(h.stats().operation("SetScopes"), 3, "the name only");
    assert_eq!(h.stats().operation("SetVideoEncoderConfiguration"), 0);
}
