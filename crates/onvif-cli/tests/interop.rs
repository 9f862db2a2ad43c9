//! The `onvif` binary against simulated cameras that answer imperfectly: what a user sees.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use onvif_sim::{Quirk, SimConfig, SimHandle};

const USER: &str = "admin";
const PASSWORD: &str = "Interop-s3cret";

async fn sim(quirk: Quirk) -> SimHandle {
    SimConfig::new()
        .strict(true)
        .credentials(USER, PASSWORD)
        .quirk(quirk)
        .start()
        .await
        .unwrap()
}

/// `onvif -H sim -u .. -p .. ARGS` with a scrubbed environment, off the runtime's threads.
async fn cam(h: &SimHandle, rest: &[&str]) -> Output {
    let host = h.addr().to_string();
    let mut c = Command::new(env!("CARGO_BIN_EXE_onvif"));
    c.args(["-H", host.as_str(), "-u", USER, "-p", PASSWORD])
        .args(rest);
    for (k, _) in std::env::vars() {
        if k.starts_with("ONVIF_") {
            c.env_remove(k);
        }
    }
    c.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join("onvif-interop-cli-none"),
    );
    c.env("NO_COLOR", "1");
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_works_on_a_camera_whose_get_services_is_empty() {
    let h = sim(Quirk::EmptyServices).await;
    let o = cam(&h, &["ptz", "status"]).await;
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        !text(&o.stderr).contains("does not offer"),
        "{}",
        text(&o.stderr)
    );
    assert!(text(&o.stdout).contains("pan"), "{}", text(&o.stdout));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_commands_go_on_when_get_configuration_answers_the_wrong_operation() {
    let h = sim(Quirk::PtzRoutesBySubstring).await;
    for args in [
        &["ptz", "stop"][..],
        &["ptz", "go", "--pan", "0.3", "--for", "10ms"],
        &["ptz", "home"],
    ] {
        let o = cam(&h, args).await;
        let err = text(&o.stderr);
        assert!(o.status.success(), "{args:?}: {err}");
        assert_eq!(
            err.matches("did not describe PTZ configuration").count(),
            1,
            "{args:?}: said once: {err}"
        );
        assert!(
            !err.contains("GetConfigurationsResponse"),
            "the why is for -v: {err}"
        );
    }
    assert!(h.stats().operation("ContinuousMove") == 1 && h.stats().operation("Stop") >= 2);
    assert_eq!(h.stats().operation("GotoHomePosition"), 1);
    // -v says why.
    let o = cam(&h, &["-v", "ptz", "stop"]).await;
    assert!(o.status.success());
    assert!(
        text(&o.stderr).contains("GetConfigurationsResponse"),
        "{}",
        text(&o.stderr)
    );
}
