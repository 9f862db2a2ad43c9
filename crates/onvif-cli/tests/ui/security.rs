//! What the UI refuses: other sites, logins off loopback, cross-origin posts, foreign hosts; and the config it writes.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_s_page_cannot_make_the_browser_load_ours_and_big_forms_are_refused() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    let get_to =
        |path: &'static str, site: &'static str, mode: &'static str, dest: &'static str| {
            ui.http
                .get(format!("{}{path}", ui.url))
                .header("sec-fetch-site", site)
                .header("sec-fetch-mode", mode)
                .header("sec-fetch-dest", dest)
                .send()
        };
    let get = |path, site, mode| get_to(path, site, mode, "document");
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
    // Framed by another site's page, not even a page is answered: hidden frames of a camera
    // page would make us connect to it again and again.
    for path in ["/", "/camera/sim", "/camera/sim/events"] {
        for dest in ["iframe", "frame", "embed", "object"] {
            let r = get_to(path, "cross-site", "navigate", dest).await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} {dest}");
        }
    }
    assert_eq!(h.event_subscriptions(), 0, "nothing subscribed");
    // A link followed from elsewhere opens the index; one to a camera's page lands there
    // too. Our own pages load anything.
    let r = get("/", "cross-site", "navigate").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for path in ["/camera/sim", "/camera/sim/events"] {
        let r = get(path, "cross-site", "navigate").await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers()[LOCATION], "/", "{path}");
    }
    assert_eq!(h.event_subscriptions(), 0, "nothing subscribed");
    let r = get("/camera/sim", "same-origin", "navigate").await.unwrap();
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
    // Only for the address that guessed: the real user, elsewhere, still logs in.
    let elsewhere = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from([127, 0, 0, 3]))
        .build()
        .unwrap();
    let r = elsewhere
        .post(format!("{}/login", ui.url))
        .header(ORIGIN, &ui.url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(format!("token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
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
