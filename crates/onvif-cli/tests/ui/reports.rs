//! The doctor report and the bridge status pages.

use super::*;

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
