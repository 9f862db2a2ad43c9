//! Every route, and cameras worked through the UI: moves, imaging, the event feed, status.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_renders_and_no_answer_holds_the_password() {
    let h = Sim::discoverable("Garden").await;
    let home = home_with(&h);
    let ui = Ui::start_finding(&home, &h);
    let mut bodies = Vec::new();
    for path in [
        "/",
        "/camera/sim",
        "/assets/app.css",
        "/assets/app.js",
        "/login",
    ] {
        let (s, h, b) = ui.get(path).await;
        assert_eq!(s, StatusCode::OK, "{path}: {b}");
        assert!(h.contains_key("content-security-policy"), "{path}");
        bodies.push((path.to_owned(), b));
    }
    let index = &bodies[0].1;
    assert!(
        index.contains("online") && index.contains("ONVIF Toolkit"),
        "{index}"
    );
    let page = &bodies[1].1;
    // Stream URIs come without credentials, and, when asked, with the user name only.
    assert!(
        page.contains(&format!("data-copy=\"rtsp://{}@", h.user())),
        "a copy with the user name"
    );
    assert!(
        page.contains("data-busy=\"Running the doctor"),
        "the doctor's button says it is busy"
    );
    for part in [
        "Sync clock",
        "snapshot.jpg",
        "rtsp://",
        "brightness",
        "data-ptz",
        "events",
    ] {
        assert!(page.contains(part), "camera page lacks {part}");
    }
    let r = ui
        .http
        .get(format!("{}/camera/sim/snapshot.jpg", ui.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert!(r.bytes().await.unwrap().starts_with(&[0xff, 0xd8]));
    // The live view asks every second: the snapshot URI is asked once, not per frame.
    let r = ui
        .http
        .get(format!("{}/camera/sim/snapshot.jpg", ui.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(h.stats().operation("GetSnapshotUri"), 1);
    let (s, _, b) = ui.get("/camera/nope").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    bodies.push(("/camera/nope".into(), b));

    // Discovery, probing the simulator straight (no multicast in tests).
    let (s, _, b) = ui.post("/discover", "").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(b.contains("Garden") && b.contains(&h.host()), "{b}");
    bodies.push(("/discover".into(), b));

    // A camera added for the session: listed online, its password shown nowhere.
    let form = format!(
        "name=again&host={}&user={}&password={}",
        h.host(),
        h.user(),
        urlencode(h.password())
    );
    let (s, hd, b) = ui.post("/cameras", &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
    assert_eq!(hd[LOCATION], "/");
    let (s, _, b) = ui.get("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        b.contains("/camera/again") && b.matches("class=\"online\"").count() == 2,
        "{b}"
    );
    bodies.push(("/ after add".into(), b));
    let (_, _, b) = ui.get("/camera/again").await;
    bodies.push(("/camera/again".into(), b));
    // Bad input: a clear message, nothing added.
    for bad in [
        "name=x%3Cy&host=127.0.0.1:1",
        "name=z&host=",
        "name=z&host=u:p@127.0.0.1",
        "name=again&host=127.0.0.1:1",
        "name=z&host=127.0.0.1:1&admin=1",
        // A name a bridge could not follow, an address no client can use.
        "name=cam.v2&host=127.0.0.1:1",
        "name=bridge&host=127.0.0.1:1",
        "name=z&host=127.0.0.1:99999",
    ] {
        let (s, _, b) = ui.post("/cameras", bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
        assert!(!b.is_empty());
    }
    let (_, _, b) = ui.get("/").await;
    assert!(!b.contains("/camera/z\""), "{b}");
    for (path, b) in &bodies {
        no_password(b, path);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_move_pans_and_the_release_stops() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let before = h.ptz_position("Profile_1").unwrap();
    let (s, _, b) = ui.post("/camera/sim/ptz/move", "pan=0.5").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    no_password(&b, "move");
    h.ptz_wait_until(|s| {
        s.head("Profile_1")
            .is_some_and(|hd| hd.pan > before.0 + 0.01)
    })
    .await;
    let (s, _, b) = ui.post("/camera/sim/ptz/stop", "").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let stopped = h
        .ptz_wait_until(|s| s.head("Profile_1").is_some_and(|hd| !hd.pan_tilt_moving))
        .await;
    let pan = stopped.head("Profile_1").unwrap().pan;

    // Out of range, unknown field, nothing to move: refused, the head stays.
    for (path, form) in [
        ("/camera/sim/ptz/move", "pan=5"),
        ("/camera/sim/ptz/move", "pan=NaN"),
        ("/camera/sim/ptz/move", "pan=0"),
        ("/camera/sim/ptz/move", "pan=0.5&speed=1"),
        ("/camera/sim/ptz/goto", "token="),
    ] {
        let (s, _, b) = ui.post(path, form).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{form}: {b}");
    }
    let (s, _, _) = ui.post("/camera/sim/ptz/dance", "").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!h.ptz_moving());
    assert_eq!(h.ptz_position("Profile_1").unwrap().0, pan);

    // Presets: set, go, remove; home.
    let (s, _, b) = ui.post("/camera/sim/ptz/set", "name=gate").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, _, page) = ui.get("/camera/sim").await;
    assert!(page.contains("gate"), "the preset is listed");
    let (s, _, b) = ui.post("/camera/sim/ptz/home", "").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let cam = h.connect().await;
    let t = cam.ptz_target(None).await.unwrap();
    let token = cam
        .ptz_presets(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name.as_deref() == Some("gate"))
        .unwrap()
        .token;
    let (s, _, b) = ui
        .post("/camera/sim/ptz/goto", &format!("token={token}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, _, b) = ui
        .post("/camera/sim/ptz/remove", &format!("token={token}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(
        cam.ptz_presets(&t)
            .await
            .unwrap()
            .iter()
            .all(|p| p.token != token)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imaging_change_reads_back_and_a_bad_one_changes_nothing() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let cam = h.connect().await;
    let source = cam.video_source_token(None).await.unwrap();
    let r = cam
        .imaging_options(&source)
        .await
        .unwrap()
        .brightness
        .unwrap();
    let want = ((r.min + r.max) / 2.0 + 1.0).round().min(r.max);
    let (s, _, b) = ui
        .post("/camera/sim/imaging", &format!("brightness={want}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        cam.imaging_settings(&source).await.unwrap().brightness,
        Some(want)
    );
    let (_, _, page) = ui.get("/camera/sim").await;
    assert!(
        page.contains(&format!("name=\"brightness\" min=\"{}\"", r.min)),
        "slider range"
    );
    for bad in [
        format!("brightness={}", r.max + 1.0),
        "brightness=abc".into(),
        "brightness=inf".into(),
        "".into(),
        "gamma=1".into(),
        format!("brightness={want}&brightness=1"),
    ] {
        let (s, _, b) = ui.post("/camera/sim/imaging", &bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    assert_eq!(
        cam.imaging_settings(&source).await.unwrap().brightness,
        Some(want)
    );
    let (s, _, b) = ui.post("/camera/sim/clock", "").await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_whose_name_has_slashes_and_spaces_gets_links_that_open_it() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let path = home.join("config").join("onvif").join("config.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        config.replace("[cameras.sim]", "[cameras.\"door/2 #1\"]"),
    )
    .unwrap();
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let (s, _, index) = ui.get("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        index.contains("href=\"/camera/door%2F2%20%231\""),
        "{index}"
    );
    let (s, _, page) = ui.get("/camera/door%2F2%20%231").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    for link in [
        "/camera/door%2F2%20%231/doctor",
        "/camera/door%2F2%20%231/snapshot.jpg",
    ] {
        assert!(page.contains(link), "{link}: {page}");
    }
    assert!(page.contains("<h2>door/2 #1 "), "{page}");
}

/// Ctrl-C at a terminal, or SIGTERM from a service manager (systemd, `docker stop`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_or_sigterm_ends_open_event_feeds_and_the_ui_with_them() {
    for signal in ["INT", "TERM"] {
        let h = Sim::start().await;
        let home = home_with(&h);
        let mut ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
        let mut feed = ui
            .http
            .get(format!("{}/camera/sim/events", ui.url))
            .send()
            .await
            .unwrap();
        feed_until(&mut feed, "the greeting", |l| l == ": connected").await;
        let status = ui.stop_with(signal).await;
        assert!(status.success(), "{signal}: {status:?}");
        // The feed was ended by the server, not cut by the process going away (which reads
        // as an error: its chunked body never finished).
        while feed.chunk().await.expect("the feed ends cleanly").is_some() {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_feed_delivers_motion_and_its_session_ends_with_the_last_viewer() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let mut a = ui
        .http
        .get(format!("{}/camera/sim/events", ui.url))
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::OK);
    assert_eq!(a.headers()["content-type"], "text/event-stream");
    let mut b = ui
        .http
        .get(format!("{}/camera/sim/events", ui.url))
        .send()
        .await
        .unwrap();
    // Two viewers, one subscription.
    assert_eq!(h.event_subscriptions(), 1);
    h.emit_motion(true);
    let seen = feed_until(&mut a, "motion on", motion_on).await;
    no_password(&seen, "events");
    // The second viewer saw it too.
    feed_until(&mut b, "motion on, second viewer", motion_on).await;
    // A page opened now is told the current states at once (no new subscription: the
    // shared session's states are replayed), so it shows motion on.
    let mut c = ui
        .http
        .get(format!("{}/camera/sim/events", ui.url))
        .send()
        .await
        .unwrap();
    feed_until(&mut c, "the current states told to a new viewer", motion_on).await;
    assert_eq!(h.event_subscriptions(), 1);
    drop(a);
    drop(b);
    drop(c);
    // The last viewer gone, the session unsubscribes.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while h.event_subscriptions() != 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the subscription stays"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_that_never_answers_holds_up_no_other_camera_s_feed() {
    let h = Sim::start().await;
    let home = home_with(&h);
    // A camera that accepts connections and never answers.
    let mute = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mute_addr = mute.local_addr().unwrap();
    let (reached, reached_rx) = tokio::sync::oneshot::channel();
    let held = tokio::spawn(async move {
        let mut conns = Vec::new();
        let mut reached = Some(reached);
        while let Ok((c, _)) = mute.accept().await {
            conns.push(c);
            if let Some(r) = reached.take() {
                let _ = r.send(());
            }
        }
    });
    let path = home.join("config").join("onvif").join("config.toml");
    let mut cfg = std::fs::read_to_string(&path).unwrap();
    cfg.push_str(&format!("\n[cameras.mute]\nhost = \"{mute_addr}\"\n"));
    std::fs::write(&path, cfg).unwrap();
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let http = ui.http.clone();
    let url = format!("{}/camera/mute/events", ui.url);
    let mut waiting = tokio::spawn(async move { http.get(url).send().await });
    reached_rx.await.expect("the UI calls the mute camera");
    // The mute camera's feed is starting (and waits); the simulator's answers meanwhile.
    let mut a = ui
        .http
        .get(format!("{}/camera/sim/events", ui.url))
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::OK);
    feed_until(
        &mut a,
        "the simulator's feed, while the mute camera's waits",
        |l| l.starts_with("data: "),
    )
    .await;
    assert!(
        futures_poll_once(&mut waiting).await.is_none(),
        "the mute camera's feed had not started yet"
    );
    waiting.abort();
    held.abort();
}

/// The task's result if it has ended, without waiting for it.
async fn futures_poll_once<T>(t: &mut tokio::task::JoinHandle<T>) -> Option<T> {
    tokio::select! {
        biased;
        r = t => Some(r.unwrap()),
        () = std::future::ready(()) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_follows_a_camera_that_goes_away() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let status = || async {
        let (s, hd, b) = ui.get("/status.json").await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert!(
            hd["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let v: serde_json::Value = serde_json::from_str(&b).unwrap();
        v["cameras"][0].clone()
    };
    let before = status().await;
    assert_eq!(before["name"], "sim");
    assert_eq!(before["online"], true, "{before}");
    assert_eq!(before["model"], "onvif-sim");
    // The page that shows it refreshes from there.
    let (_, _, page) = ui.get("/").await;
    assert!(page.contains("data-status=\"/status.json\""));
    h.shutdown().await;
    let after = status().await;
    assert_eq!(after["online"], false, "{after}");
    assert!(
        after["problem"].as_str().is_some_and(|p| !p.is_empty()),
        "{after}"
    );
}

/// A UI whose config names `h` with a wrong password.
fn ui_with_a_wrong_password(h: &Sim) -> Ui {
    let home = home_with(h);
    let path = home.join("config").join("onvif").join("config.toml");
    let cfg = std::fs::read_to_string(&path)
        .unwrap()
        .replace(PASSWORD, "not-the-password");
    std::fs::write(&path, cfg).unwrap();
    Ui::start(&home, &["--bind", "127.0.0.1:0"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_that_refuses_the_credentials_is_not_asked_again_and_again() {
    let h = Sim::start().await;
    let ui = ui_with_a_wrong_password(&h);
    let (_, _, b) = ui.get("/status.json").await;
    assert!(b.contains("refused the credentials"), "{b}");
    let guesses = h.guesses();
    assert!(guesses > 0, "the camera saw the wrong password");
    // Tabs polling, a page reloaded: the refusal is remembered, not tried again.
    for _ in 0..3 {
        let (_, _, b) = ui.get("/status.json").await;
        assert!(b.contains("not asked again"), "{b}");
        let (s, _, _) = ui.get("/").await;
        assert_eq!(s, StatusCode::OK);
    }
    assert_eq!(h.guesses(), guesses, "no more failed logins on the camera");
}

/// A camera page opened first with a wrong password: the refusal is its badge, not
/// "online", and the page asks nothing more (each question would be a failed login).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_page_with_a_refused_password_says_so_and_asks_no_more() {
    let h = Sim::start().await;
    let ui = ui_with_a_wrong_password(&h);
    let (s, _, page) = ui.get("/camera/sim").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("credentials refused"), "{page}");
    assert!(!page.contains(">online<"), "{page}");
    assert_eq!(h.guesses(), 1, "{:?}", h.stats());
}
