//! `onvif ui`: the real binary serving the browser UI on loopback, driven over HTTP against
//! simulated cameras on 127.0.0.1: every route, its answers and its refusals. What the pages
//! do in a real browser (their JavaScript) is tested in `ui/browser.rs`.
#![allow(clippy::unwrap_used)]

mod browser;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Stdio};

use onvif_testkit::{PASSWORD, Sim, cli, scratch_dir};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, LOCATION, ORIGIN, SET_COOKIE};

/// `onvif ui` running, its URL and its login token (when it printed one).
struct Ui {
    child: Child,
    /// Kept open, so that the server can still write to its standard output.
    _stdout: BufReader<ChildStdout>,
    url: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Drop for Ui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A home whose config names `sim` as camera `sim` (mode 600: it holds the password).
fn home_with(sim: &Sim) -> std::path::PathBuf {
    let home = scratch_dir("ui");
    let dir = home.join("config").join("onvif");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[cameras.sim]\nhost = \"{}\"\nuser = \"{}\"\npassword = \"{}\"\n",
            sim.host(),
            sim.user(),
            sim.password()
        ),
    )
    .unwrap();
    chmod600(&path);
    home
}

#[cfg(unix)]
fn chmod600(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
}

impl Ui {
    fn start(home: &Path, args: &[&str]) -> Ui {
        let mut all = vec!["ui"];
        all.extend_from_slice(args);
        Ui::run(home, &all)
    }

    /// Any command that serves a UI and prints its URL first (and a login token next when
    /// bound beyond loopback).
    fn run(home: &Path, all: &[&str]) -> Ui {
        let mut child = cli!()
            .home(home)
            .command(all)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line.trim().trim_end_matches('/').to_owned();
        assert!(url.starts_with("http://"), "first line: {line:?}");
        assert!(!url.ends_with(":0"), "the real port is shown: {url}");
        let token = if url.starts_with("http://127.0.0.1:") {
            None
        } else {
            let mut l = String::new();
            out.read_line(&mut l).unwrap();
            l.trim().strip_prefix("Login token: ").map(str::to_owned)
        };
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Ui {
            child,
            _stdout: out,
            url,
            token,
            http,
        }
    }

    /// Log in with the printed token: the session cookie (`name=value`).
    async fn login(&self) -> String {
        let token = self.token.as_deref().expect("a login token is printed");
        let (s, h, b) = self.post("/login", &format!("token={token}")).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
        let cookie = h[SET_COOKIE].to_str().unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }

    /// GET with a session cookie: the status and the body.
    async fn get_as(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.url))
            .header(COOKIE, HeaderValue::from_str(cookie).unwrap())
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn get(&self, path: &str) -> (StatusCode, HeaderMap, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        let (s, h) = (r.status(), r.headers().clone());
        (
            s,
            h,
            String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
        )
    }

    /// POST a form with our own Origin, as the UI's pages do.
    async fn post(&self, path: &str, form: &str) -> (StatusCode, HeaderMap, String) {
        self.post_from(path, form, Some(&self.url)).await
    }

    async fn post_from(
        &self,
        path: &str,
        form: &str,
        origin: Option<&str>,
    ) -> (StatusCode, HeaderMap, String) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
        if let Some(o) = origin {
            req = req.header(ORIGIN, o);
        }
        let r = req.send().await.unwrap();
        let (s, h) = (r.status(), r.headers().clone());
        (
            s,
            h,
            String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
        )
    }
}

/// Read an event feed until a line satisfies `pred` (within 10 s): all that was read.
async fn feed_until(
    resp: &mut reqwest::Response,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> String {
    let mut seen = String::new();
    let read = async {
        while !seen.lines().any(&pred) {
            let chunk = resp.chunk().await.unwrap().expect("the feed ended");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    if tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .is_err()
    {
        panic!("no {what} in the feed within 10 s");
    }
    seen
}

/// A feed line saying motion is on.
fn motion_on(l: &str) -> bool {
    l.starts_with("data: ") && l.contains("\"active\":true") && l.contains("Motion")
}

fn no_password(body: &str, what: &str) {
    assert!(
        !body.contains(PASSWORD),
        "{what}: the camera password is in the answer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_renders_and_no_answer_holds_the_password() {
    let h = Sim::discoverable("Garden").await;
    let home = home_with(&h);
    let disc = h.discovery_addr().unwrap().to_string();
    let ui = Ui::start(
        &home,
        &["--bind", "127.0.0.1:0", "--discover-unicast", &disc],
    );
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

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_that_refuses_the_credentials_is_not_asked_again_and_again() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let path = home.join("config").join("onvif").join("config.toml");
    let cfg = std::fs::read_to_string(&path)
        .unwrap()
        .replace(PASSWORD, "not-the-password");
    std::fs::write(&path, cfg).unwrap();
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_s_page_cannot_make_the_browser_load_ours_and_big_forms_are_refused() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let get = |path: &'static str, site: &'static str, mode: &'static str| {
        ui.http
            .get(format!("{}{path}", ui.url))
            .header("sec-fetch-site", site)
            .header("sec-fetch-mode", mode)
            .send()
    };
    for (site, mode) in [
        ("cross-site", "cors"),
        ("same-site", "no-cors"),
        ("cross-site", "no-cors"),
    ] {
        for path in [
            "/status.json",
            "/camera/sim/events",
            "/camera/sim/snapshot.jpg",
        ] {
            let r = get(path, site, mode).await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} {site} {mode}");
        }
    }
    assert_eq!(h.event_subscriptions(), 0, "nothing subscribed");
    // A link followed from elsewhere opens the page; our own pages load anything.
    let r = get("/", "cross-site", "navigate").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = get("/status.json", "same-origin", "cors").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A form of many fields, or a huge body, is refused before any work.
    // (Past the limit, but not so far that the server's early answer cuts the sending.)
    let (s, _, b) = ui.post("/camera/sim/imaging", &"a".repeat(20 * 1024)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
    let fields: Vec<String> = (0..20).map(|i| format!("f{i}=1")).collect();
    let (s, _, b) = ui.post("/camera/sim/imaging", &fields.join("&")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.contains("too many fields"), "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn off_loopback_a_login_is_required() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.2:0"]);
    assert!(ui.url.starts_with("http://127.0.0.2:"), "{}", ui.url);
    let token = ui.token.clone().expect("a login token is printed");
    assert!(token.len() >= 32);
    for path in [
        "/",
        "/camera/sim",
        "/camera/sim/snapshot.jpg",
        "/camera/sim/events",
    ] {
        let (s, _, b) = ui.get(path).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
        assert!(b.contains("name=\"token\""), "{path}: the login form");
    }
    let (s, _, _) = ui.post("/camera/sim/ptz/move", "pan=0.5").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, hd, _) = ui.post("/login", "token=wrong").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(!hd.contains_key(SET_COOKIE));
    // A cross-site login is refused too.
    let (s, _, _) = ui
        .post_from(
            "/login",
            &format!("token={token}"),
            Some("http://evil.example"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, hd, b) = ui.post("/login", &format!("token={token}")).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
    let cookie = hd[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    let r = ui
        .http
        .get(format!("{}/", ui.url))
        .header(COOKIE, HeaderValue::from_str(&pair).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.contains("/camera/sim"));
    assert!(body.contains("action=\"/logout\""), "a way to log out");
    no_password(&body, "/ logged in");
    assert!(
        cookie.contains("Max-Age=43200"),
        "the session ends: {cookie}"
    );
    // Logging out ends the session: the cookie no longer opens anything.
    let r = ui
        .http
        .post(format!("{}/logout", ui.url))
        .header(COOKIE, HeaderValue::from_str(&pair).unwrap())
        .header(ORIGIN, &ui.url)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/login");
    assert!(
        r.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"),
        "the browser forgets the cookie"
    );
    let r = ui
        .http
        .get(format!("{}/", ui.url))
        .header(COOKIE, HeaderValue::from_str(&pair).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the session is over");
    // Guessing is throttled: after ten failures even the token waits.
    for _ in 0..9 {
        let (s, _, _) = ui.post("/login", "token=guess").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, _, _) = ui.post("/login", &format!("token={token}")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_posts_and_foreign_hosts_are_refused() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let before = h.ptz_position("Profile_1").unwrap();
    let lookalike = format!("{}.evil.example", ui.url);
    for origin in [
        Some("http://evil.example"),
        Some("https://evil.example"),
        Some(lookalike.as_str()),
        Some("null"),
        None,
    ] {
        let (s, _, _) = ui
            .post_from("/camera/sim/ptz/move", "pan=0.5", origin)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{origin:?}");
        let (s, _, _) = ui.post_from("/cameras", "host=127.0.0.1:9", origin).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{origin:?}");
    }
    // A browser that withholds the Origin (`null`, or none) is believed only when it says
    // the request comes from our own pages (Sec-Fetch-Site, which no page can set).
    for (origin, site) in [
        (Some("null"), "cross-site"),
        (None, "same-site"),
        (None, "none"),
    ] {
        let mut req = ui
            .http
            .post(format!("{}/camera/sim/ptz/move", ui.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", site)
            .body("pan=0.5");
        if let Some(o) = origin {
            req = req.header(ORIGIN, o);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin:?} {site}");
    }
    assert!(!h.ptz_moving());
    assert_eq!(h.ptz_position("Profile_1").unwrap(), before);
    let r = ui
        .http
        .post(format!("{}/camera/sim/clock", ui.url))
        .header(ORIGIN, "null")
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "a same-origin form post");
    assert_eq!(r.headers()["referrer-policy"], "same-origin");
    // DNS rebinding: a page reached under another name is refused.
    let r = ui
        .http
        .get(format!("{}/", ui.url))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_is_written_to_the_config_only_when_asked() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let path = home.join("config").join("onvif").join("config.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let creds = format!("user={}&password={}", h.user(), urlencode(h.password()));
    let (s, _, b) = ui
        .post("/cameras", &format!("name=kept&host={}&{creds}", h.host()))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "not asked: not written"
    );
    let (s, _, b) = ui
        .post(
            "/cameras",
            &format!("name=saved&host={}&{creds}&save=on", h.host()),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.starts_with(&before) && after.contains("[cameras.\"saved\"]"),
        "{after}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the config stays private: {mode:o}");
    }
    // A name the config has already, or a bad save flag: refused, nothing written.
    for form in [
        format!("name=sim&host={}&save=on", h.host()),
        format!("name=other&host={}&save=maybe", h.host()),
    ] {
        let (s, _, b) = ui.post("/cameras", &form).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{form}: {b}");
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
    drop(ui);
    // A new UI reads it from the config, online.
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let (_, _, b) = ui.get("/").await;
    assert!(
        b.contains("/camera/saved") && !b.contains("/camera/kept"),
        "{b}"
    );
    assert_eq!(b.matches("class=\"online\"").count(), 2, "{b}");
    no_password(&b, "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_config_s_ui_password_is_the_login_off_loopback() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let path = home.join("config").join("onvif").join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("ui_password = \"open sesame\"\n{text}")).unwrap();
    let ui = Ui::start(&home, &["--bind", "127.0.0.2:0"]);
    assert!(
        ui.token.is_none(),
        "no token printed when the config has a password"
    );
    let (s, _, _) = ui.get("/").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, hd, _) = ui.post("/login", "token=open+sesame").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(hd.contains_key(SET_COOKIE));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_report_renders() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let (s, _, b) = ui.post("/camera/sim/doctor", "").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(b.contains("problems,") && b.contains("clock"), "{b}");
    no_password(&b, "doctor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bridge_status_page_shows_each_camera_and_asks_a_login_beyond_loopback() {
    use onvif_testkit::mqtt::{Broker, Subscriber};
    let broker = Broker::start().await;
    let h = Sim::start().await;
    let home = home_with(&h);
    // A second camera where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone_host = closed.local_addr().unwrap().to_string();
    drop(closed);
    let path = home.join("config").join("onvif").join("config.toml");
    let mut cfg = std::fs::read_to_string(&path).unwrap();
    cfg.push_str(&format!(
        "\n[cameras.gone]\nhost = \"{gone_host}\"\n\n[mqtt]\nurl = \"{}\"\n",
        broker.url()
    ));
    std::fs::write(&path, cfg).unwrap();
    let mut sub = Subscriber::connect(broker.addr, &["onvif/#"]).await;
    let ui = Ui::run(&home, &["bridge", "--ui", "127.0.0.2:0"]);
    assert!(ui.url.starts_with("http://127.0.0.2:"), "{}", ui.url);

    sub.wait_for_value("onvif/sim/availability", "online").await;
    h.emit_motion(true);
    sub.wait_for_value("onvif/sim/motion", "ON").await;
    sub.wait_for("an error of the camera that is gone", |m| {
        m.topic == "onvif/gone/error"
    })
    .await;

    let (s, _, _) = ui.get("/").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "no login, no page");
    let cookie = ui.login().await;
    let (s, page) = ui.get_as(&cookie, "/").await;
    assert_eq!(s, StatusCode::OK);
    for part in ["sim", "gone", "online", "offline", "motion ON", "connected"] {
        assert!(page.contains(part), "the page lacks {part}: {page}");
    }
    let (_, body) = ui.get_as(&cookie, "/status.json").await;
    let status: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(status["broker"]["connected"], true, "{status}");
    let cams = status["cameras"].as_array().unwrap();
    let sim = cams.iter().find(|c| c["name"] == "sim").unwrap();
    assert_eq!(sim["online"], true, "{sim}");
    assert_eq!(sim["states"]["motion"], true, "{sim}");
    assert_eq!(sim["last_event"]["what"], "motion", "{sim}");
    let gone = cams.iter().find(|c| c["name"] == "gone").unwrap();
    assert_eq!(gone["online"], false, "{gone}");
    assert!(gone["errors"].as_u64().unwrap() >= 1, "{gone}");
    assert!(gone["last_error"]["what"].is_string(), "{gone}");
    no_password(&page, "the bridge page");
    no_password(&body, "the bridge's status.json");
}
