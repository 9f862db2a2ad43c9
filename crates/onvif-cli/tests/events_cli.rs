//! `onvif events` against the simulated camera.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};
use std::time::Duration;

use onvif_sim::{SimConfig, SimHandle};

const USER: &str = "admin";
const PASSWORD: &str = "Ev3nts-s3cret";

async fn cam(h: &SimHandle, rest: &[&str]) -> Output {
    let host = h.addr().to_string();
    let mut c = Command::new(env!("CARGO_BIN_EXE_onvif"));
    c.args(["-H", host.as_str(), "-u", USER, "-p", PASSWORD]);
    c.args(rest);
    for (k, _) in std::env::vars() {
        if k.starts_with("ONVIF_") {
            c.env_remove(k);
        }
    }
    c.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join("onvif-events-cli-test"),
    );
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_json_prints_motion_lines_and_lifecycle_on_stderr() {
    let h = SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .events_motion_every(Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    let o = cam(&h, &["events", "--json", "--for", "3s"]).await;
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let changed: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|v| v["property_operation"] == "Changed")
        .collect();
    assert!(changed.len() >= 3, "{out}");
    for v in &changed {
        assert_eq!(v["kind"]["kind"], "motion", "{v}");
        assert_eq!(v["topic"]["path"], "RuleEngine/CellMotionDetector/Motion");
        assert_eq!(v["topic"]["ns"], "http://www.onvif.org/ver10/topics");
        assert_eq!(v["camera"], h.addr().to_string());
    }
    assert!(err.contains("subscribed"), "{err}");
    assert!(err.contains("closed"), "{err}");
    assert_eq!(h.event_subscriptions(), 0, "unsubscribed on exit");

    let o = cam(&h, &["events", "properties"]).await;
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(
        out.contains("CellMotionDetector") && out.contains("IsMotion:xs:boolean"),
        "{out}"
    );
    let o = cam(&h, &["--json", "events", "properties"]).await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["topics"][0]["name"], "RuleEngine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_in_push_mode() {
    let h = SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .events_motion_every(Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    let o = cam(
        &h,
        &[
            "events",
            "--mode",
            "push",
            "--listen",
            "127.0.0.1:0",
            "--json",
            "--for",
            "3s",
        ],
    )
    .await;
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let motion = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["property_operation"] == "Changed" && v["kind"]["kind"] == "motion")
        .count();
    assert!(motion >= 3, "{out}\n{err}");
    assert!(err.contains("listening on 127.0.0.1:"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_current_shows_one_topic() {
    let h = SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .start()
        .await
        .unwrap();
    h.emit_tamper(true);
    let o = cam(
        &h,
        &[
            "--json",
            "events",
            "current",
            "--topic",
            "tns1:VideoSource/GlobalSceneChange/ImagingService",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kind"]["kind"], "tamper");
    assert_eq!(v["kind"]["active"], true);
    let o = cam(&h, &["events", "current"]).await;
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_unsubscribe_lets_the_subscription_expire() {
    let h = SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .start()
        .await
        .unwrap();
    let o = cam(&h, &["events", "--no-unsubscribe", "--for", "1s"]).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(h.event_subscriptions(), 1, "left to expire on the camera");
    let o = cam(&h, &["events", "--for", "1s"]).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        h.event_subscriptions(),
        1,
        "the second one was unsubscribed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn periodic_digital_input_and_tamper_events_arrive_with_their_kinds() {
    let h = SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .events_input_every(Duration::from_millis(300))
        .events_tamper_every(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let o = cam(&h, &["events", "--json", "--for", "2s"]).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let kinds: Vec<String> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["property_operation"] == "Changed")
        .filter_map(|v| v["kind"]["kind"].as_str().map(str::to_owned))
        .collect();
    assert!(kinds.iter().any(|k| k == "digital-input"), "{out}");
    assert!(kinds.iter().any(|k| k == "tamper"), "{out}");
}
