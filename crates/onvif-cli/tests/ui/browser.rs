//! The UI in a real browser: Debian's headless Chromium, driven over WebDriver by
//! chromedriver, against `onvif ui` and simulated cameras, all on loopback.
//!
//! Chromium and chromedriver are system packages (`chromium`, `chromium-driver`): `.ci/run`
//! installs them when missing and running as root, and then sets `ONVIF_REQUIRE_CHROMIUM=1`,
//! which turns a missing browser into a failure. Elsewhere these tests say why they skip.
//! The browser resolves no name (`--host-resolver-rules`) and starts none of its background
//! services, so it sends nothing beyond 127.0.0.1.
//!
//! Screenshots of every page are written to `target/tmp/ui-screenshots/` for a person to
//! look at; the test prints where.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MOUSE_BUTTON_LEFT, MouseActions, PointerAction,
};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use onvif_testkit::{PASSWORD, Sim, scratch_dir};

use super::{Ui, home_with};

/// How long the page may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(15);

/// Where Debian puts them.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session; the driver (and the browser it started) ends with it.
struct Browser {
    c: Client,
    /// Emulating a phone 390 px wide.
    phone: bool,
    shots: PathBuf,
    _driver: Driver,
    _profile: PathBuf,
}

/// chromedriver, in a process group of its own with the browser it starts.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // End the whole group, even when a test failed before closing its session.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Browser {
    /// Chromium with a desktop window, or `None` (having said why) when it is not installed
    /// and not required.
    async fn desktop() -> Option<Browser> {
        Browser::start(None).await
    }

    /// Chromium as a phone 390 px wide (device emulation: a headless window cannot be made
    /// narrower than 500 px).
    async fn phone() -> Option<Browser> {
        Browser::start(Some((390, 844))).await
    }

    async fn start(phone: Option<(u32, u32)>) -> Option<Browser> {
        let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
        if !present {
            assert!(
                std::env::var_os("ONVIF_REQUIRE_CHROMIUM").is_none(),
                "ONVIF_REQUIRE_CHROMIUM is set but {CHROMIUM} or {CHROMEDRIVER} is missing"
            );
            eprintln!(
                "skipped: the browser tests need Debian's chromium and chromium-driver \
                 ({CHROMIUM}, {CHROMEDRIVER}); `.ci/run` installs them when root"
            );
            return None;
        }
        let (driver, port) = start_driver();
        let profile = scratch_dir("chromium");
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--no-default-browser-check".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-default-apps".into(),
            "--disable-extensions".into(),
            "--disable-client-side-phishing-detection".into(),
            "--disable-domain-reliability".into(),
            "--no-pings".into(),
            "--metrics-recording-only".into(),
            // No name is resolved: every URL here is 127.0.0.x.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.*".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut options = serde_json::json!({ "binary": CHROMIUM, "args": args });
        if let Some((width, height)) = phone {
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true }
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session from chromedriver");
        let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Some(Browser {
            c,
            phone: phone.is_some(),
            _driver: driver,
            shots,
            _profile: profile,
        })
    }

    async fn goto(&self, url: &str) {
        self.c.goto(url).await.unwrap();
    }

    /// The first element `css` finds, waiting for it to appear.
    async fn wait_css(&self, css: &str) -> fantoccini::elements::Element {
        self.c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} in time: {e}"))
    }

    /// The first element `xpath` finds, waiting for it to appear.
    async fn wait_xpath(&self, xpath: &str) -> fantoccini::elements::Element {
        self.c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("no {xpath} in time: {e}"))
    }

    /// A screenshot of the page as it is, into the screenshots folder.
    async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
    }

    /// The page has no horizontal scroll bar (it fits the window's width), and on a phone
    /// that width is the phone's (the page asks for the device's width).
    async fn fits_width(&self) -> bool {
        let width = self
            .c
            .execute("return window.innerWidth", vec![])
            .await
            .unwrap();
        if self.phone {
            assert_eq!(width, serde_json::json!(390), "the phone's width");
        }
        self.c
            .execute(
                "return document.documentElement.scrollWidth <= \
                 document.documentElement.clientWidth",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap()
    }

    async fn close(self) {
        self.c.clone().close().await.unwrap();
    }
}

/// chromedriver on a free loopback port, in a process group of its own; and the port.
fn start_driver() -> (Driver, u16) {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::CommandExt;
    let mut driver = Driver(
        Command::new(CHROMEDRIVER)
            .args(["--port=0", "--allowed-ips=127.0.0.1"])
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let mut out = BufReader::new(driver.0.stdout.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("chromedriver ended without saying its port: {seen}");
        }
        seen.push_str(&line);
        if let Some(rest) = line.split("started successfully on port ").nth(1) {
            let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
            // Whatever it prints later goes nowhere, without ever blocking it.
            std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
            return (driver, port.parse().unwrap());
        }
    }
}

/// Waits for a simulator state, bounded.
async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(WAIT, f)
        .await
        .unwrap_or_else(|_| panic!("{what}: not in {WAIT:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_a_camera_is_picked_its_pad_and_keys_move_it_and_motion_shows() {
    let Some(b) = Browser::desktop().await else {
        return;
    };
    let h = Sim::discoverable("Garden").await;
    let home = home_with(&h);
    let ui = Ui::start_finding(&home, &h);

    // The cameras list: the simulated camera, online, with its model.
    b.goto(&format!("{}/", ui.url)).await;
    b.wait_xpath("//li[@class='camera'][a[@href='/camera/sim']]/span[@class='online']")
        .await;
    b.shot("cameras").await;
    b.wait_css("a[href='/camera/sim']")
        .await
        .click()
        .await
        .unwrap();

    // Its page: the profiles with their stream URIs.
    let profiles = b.wait_css("table.profiles").await.text().await.unwrap();
    assert!(profiles.contains("Profile_1"), "{profiles}");
    assert!(profiles.contains("rtsp://"), "{profiles}");
    // The live view refreshes (a new frame's URL), and the feed shows the initial states.
    b.wait_xpath("//img[@id='live' and contains(@src, '?t=')]")
        .await;
    b.wait_xpath("//ul[@id='events']/li[contains(., 'motion off')]")
        .await;
    b.shot("camera").await;
    // A mark that a reload of the page would wipe: the page must stay put while used.
    b.c.execute("window.stayed = true", vec![]).await.unwrap();

    // Hold the pad's right arrow: the head pans; release: it stops.
    let before = h.ptz_position("Profile_1").unwrap();
    let right = b.wait_css("[data-ptz] button[aria-label='right']").await;
    b.c.execute(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![serde_json::to_value(&right).unwrap()],
    )
    .await
    .unwrap();
    let press = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: right,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    b.c.perform_actions(press).await.unwrap();
    within(
        "the head pans right while the arrow is held",
        h.ptz_wait_until(|s| {
            s.head("Profile_1")
                .is_some_and(|hd| hd.pan > before.0 + 0.01)
        }),
    )
    .await;
    let release = MouseActions::new("mouse".into()).then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    b.c.perform_actions(release).await.unwrap();
    let stopped = within(
        "the head stops when the arrow is released",
        h.ptz_wait_until(|s| s.head("Profile_1").is_some_and(|hd| !hd.pan_tilt_moving)),
    )
    .await;
    let pan = stopped.head("Profile_1").unwrap().pan;
    assert!(pan > before.0, "panned right: {pan} after {}", before.0);

    // The keyboard's left arrow, held, pans back; its release stops.
    let key = |a: KeyAction| KeyActions::new("keys".into()).then(a);
    b.c.perform_actions(key(KeyAction::Down {
        value: Key::Left.into(),
    }))
    .await
    .unwrap();
    within(
        "the head pans left while the key is held",
        h.ptz_wait_until(|s| s.head("Profile_1").is_some_and(|hd| hd.pan < pan - 0.01)),
    )
    .await;
    b.c.perform_actions(key(KeyAction::Up {
        value: Key::Left.into(),
    }))
    .await
    .unwrap();
    within(
        "the head stops when the key is released",
        h.ptz_wait_until(|s| s.head("Profile_1").is_some_and(|hd| !hd.pan_tilt_moving)),
    )
    .await;

    // A motion event appears in the feed.
    h.emit_motion(true);
    b.wait_xpath("//ul[@id='events']/li[contains(., 'motion on')]")
        .await;

    // An imaging slider: End sets its maximum, and the camera has it.
    let slider = b.wait_css("input[name='brightness']").await;
    let max: f64 = slider.attr("max").await.unwrap().unwrap().parse().unwrap();
    b.c.execute("document.getElementById('status').textContent = ''", vec![])
        .await
        .unwrap();
    slider
        .send_keys(&char::from(Key::End).to_string())
        .await
        .unwrap();
    b.wait_xpath("//p[@id='status' and contains(., 'imaging settings changed')]")
        .await;
    let cam = h.connect().await;
    let source = cam.video_source_token(None).await.unwrap();
    assert_eq!(
        cam.imaging_settings(&source).await.unwrap().brightness,
        Some(max)
    );
    b.shot("camera-after").await;

    let source = b.c.source().await.unwrap();
    assert!(!source.contains(PASSWORD), "the password is on the page");

    let stayed =
        b.c.execute("return window.stayed === true", vec![])
            .await
            .unwrap();
    assert_eq!(
        stayed,
        serde_json::json!(true),
        "the camera page reloaded itself"
    );

    // The doctor's report (its checks take some seconds) and discovery.
    b.wait_css("form[action='/camera/sim/doctor'] button")
        .await
        .click()
        .await
        .unwrap();
    let report =
        b.c.wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("table.doctor"))
            .await;
    if report.is_err() {
        b.shot("doctor-failed").await;
        panic!("no doctor's report: {}", b.c.source().await.unwrap());
    }
    b.shot("doctor").await;
    b.goto(&format!("{}/", ui.url)).await;
    b.wait_css("form[action='/discover'] button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_xpath("//article[contains(., 'Garden')]").await;
    b.shot("discover").await;
    let source = b.c.source().await.unwrap();
    assert!(!source.contains(PASSWORD), "the password is on the page");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_at_phone_width_the_pages_fit_and_the_pad_works_by_touch() {
    let Some(b) = Browser::phone().await else {
        return;
    };
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    b.goto(&format!("{}/", ui.url)).await;
    b.wait_xpath("//li[@class='camera'][a[@href='/camera/sim']]/span[@class='online']")
        .await;
    assert!(b.fits_width().await, "the cameras list fits 390 px");
    b.shot("cameras-phone").await;
    b.goto(&format!("{}/camera/sim", ui.url)).await;
    let up = b.wait_css("[data-ptz] button[aria-label='up']").await;
    b.wait_xpath("//ul[@id='events']/li").await;
    assert!(b.fits_width().await, "the camera page fits 390 px");
    b.shot("camera-phone").await;
    // A finger held on the pad's up arrow tilts the head; lifted, it stops.
    b.c.execute(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![serde_json::to_value(&up).unwrap()],
    )
    .await
    .unwrap();
    let before = h.ptz_position("Profile_1").unwrap();
    let touch = |a: PointerAction| fantoccini::actions::TouchActions::new("finger".into()).then(a);
    b.c.perform_actions(
        touch(PointerAction::MoveToElement {
            element: up,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        }),
    )
    .await
    .unwrap();
    within(
        "the head tilts up while the finger is held",
        h.ptz_wait_until(|s| {
            s.head("Profile_1")
                .is_some_and(|hd| hd.tilt > before.1 + 0.01)
        }),
    )
    .await;
    b.c.perform_actions(touch(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    }))
    .await
    .unwrap();
    within(
        "the head stops when the finger is lifted",
        h.ptz_wait_until(|s| s.head("Profile_1").is_some_and(|hd| !hd.pan_tilt_moving)),
    )
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_off_loopback_the_token_logs_in_and_the_cookie_is_out_of_scripts_reach() {
    let Some(b) = Browser::desktop().await else {
        return;
    };
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.2:0"]);
    let token = ui.token.clone().expect("a login token is printed");

    b.goto(&format!("{}/", ui.url)).await;
    let field = b.wait_css("input[name='token']").await;
    b.shot("login").await;
    field.send_keys("not-the-token").await.unwrap();
    b.wait_css("form[action='/login'] button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_xpath("//p[@class='error' and contains(., 'not the token')]")
        .await;
    let field = b.wait_css("input[name='token']").await;
    field.send_keys(&token).await.unwrap();
    b.wait_css("form[action='/login'] button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_xpath("//li[@class='camera'][a[@href='/camera/sim']]")
        .await;
    // The session cookie is HttpOnly: the page's scripts cannot read it.
    let cookies = b.c.execute("return document.cookie", vec![]).await.unwrap();
    assert_eq!(cookies, serde_json::json!(""));
    b.shot("cameras-logged-in").await;
    // A form of the pages (not a script's fetch) goes through: adding a camera.
    let add = b.wait_css("form[action='/cameras']").await;
    add.find(Locator::Css("input[name='name']"))
        .await
        .unwrap()
        .send_keys("porch")
        .await
        .unwrap();
    add.find(Locator::Css("input[name='host']"))
        .await
        .unwrap()
        .send_keys(&h.host())
        .await
        .unwrap();
    add.find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_xpath("//li[@class='camera'][a[@href='/camera/porch']]")
        .await;
    // Logging out ends it: the next page asks for the token again.
    b.wait_css("form.logout button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_css("input[name='token']").await;
    b.goto(&format!("{}/", ui.url)).await;
    b.wait_css("input[name='token']").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_the_bridge_status_page_follows_its_camera_at_phone_width() {
    let Some(b) = Browser::phone().await else {
        return;
    };
    let broker = onvif_testkit::mqtt::Broker::start().await;
    let h = Sim::start().await;
    let home = home_with(&h);
    let path = home.join("config").join("onvif").join("config.toml");
    let mut cfg = std::fs::read_to_string(&path).unwrap();
    cfg.push_str(&format!("\n[mqtt]\nurl = \"{}\"\n", broker.url()));
    std::fs::write(&path, cfg).unwrap();
    let ui = Ui::run(&home, &["bridge", "--ui", "127.0.0.1:0"]);

    b.goto(&format!("{}/", ui.url)).await;
    // The page reloads itself: the camera comes online, then its motion shows.
    b.wait_xpath("//tr[@data-camera='sim']/td[@class='online']")
        .await;
    h.emit_motion(true);
    b.wait_xpath("//tr[@data-camera='sim']/td[contains(., 'motion ON')]")
        .await;
    assert!(b.fits_width().await, "the bridge page fits 390 px");
    b.shot("bridge-phone").await;
    let source = b.c.source().await.unwrap();
    assert!(!source.contains(PASSWORD), "the password is on the page");
    b.close().await;
}

/// An encoder's frame rate chosen from those offered and saved: the page reloads with the
/// change in place and still says what the camera answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_an_encoder_is_changed_and_what_the_camera_said_outlives_the_reload() {
    let Some(b) = Browser::desktop().await else {
        return;
    };
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);
    b.goto(&format!("{}/camera/sim", ui.url)).await;
    let form = "//form[@class='encoder'][input[@name='token' and @value='VideoEncoder_2']]";
    b.wait_xpath(&format!("{form}//select[@name='fps']/option[@value='10']"))
        .await
        .click()
        .await
        .unwrap();
    b.c.execute("window.stayed = true", vec![]).await.unwrap();
    b.wait_xpath(&format!("{form}//button"))
        .await
        .click()
        .await
        .unwrap();
    // Reloaded (the mark is gone), the new rate selected, the camera's answer said (and not
    // replaced by the event feed's subscription on the new page).
    b.wait_xpath(&format!(
        "{form}//select[@name='fps']/option[@value='10' and @selected]"
    ))
    .await;
    let status = b
        .wait_xpath("//p[@id='status' and contains(., 'is now')]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        status.contains("VideoEncoder_2 is now H264 640x360 10 fps"),
        "{status}"
    );
    let stayed =
        b.c.execute("return window.stayed === true", vec![])
            .await
            .unwrap();
    assert_eq!(stayed, serde_json::json!(false), "the page was reloaded");
    b.wait_xpath("//span[@id='state' and @title='events: Subscribed']")
        .await;
    let status = b.wait_css("#status").await.text().await.unwrap();
    assert!(
        status.contains("is now"),
        "still said once subscribed: {status}"
    );
    let cam = h.connect().await;
    let e = cam.video_encoders().await.unwrap();
    let two = e.iter().find(|e| e.token == "VideoEncoder_2").unwrap();
    assert_eq!(two.frame_rate_limit, Some(10.0));
    b.shot("camera-encoder-changed").await;
    b.close().await;
}
