//! `onvif bridge`: the binary against simulated cameras and a broker in the test process.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use onvif_testkit::mqtt::{Broker, Subscriber};
use onvif_testkit::{Sim, cli, scratch_dir};

/// A private config file with these cameras (name, sim) and the broker.
fn config(dir: &Path, broker: &str, cameras: &[(&str, &Sim)]) -> std::path::PathBuf {
    let mut text = format!("[mqtt]\nurl = \"{broker}\"\n");
    for (name, sim) in cameras {
        text.push_str(&format!(
            "\n[cameras.{name}]\nhost = \"{}\"\nuser = \"{}\"\npassword = \"{}\"\n\
             [cameras.{name}.bridge]\nevents = \"pull\"\nsilence = \"15m\"\n",
            sim.host(),
            sim.user(),
            sim.password()
        ));
    }
    let path = dir.join("bridge.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_prints_a_table_and_fails_when_a_camera_does() {
    let broker = Broker::start().await;
    let good = Sim::start().await;
    let dir = scratch_dir("bridge-check");
    let path = config(&dir, &broker.url(), &[("front", &good)]);
    let o = cli!()
        .run(&["bridge", "--config", path.to_str().unwrap(), "--check"])
        .await;
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("(broker)") && out.contains("front"), "{out}");
    assert!(!out.contains(good.password()));

    // A camera with the wrong password: the check fails with the auth exit code.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(good.password(), "wrong-one");
    std::fs::write(&path, text).unwrap();
    let o = cli!()
        .run(&[
            "bridge",
            "--config",
            path.to_str().unwrap(),
            "--check",
            "--json",
        ])
        .await;
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rows[0]["ok"], true, "the broker: {rows}");
    assert_eq!(rows[1]["ok"], false, "the camera: {rows}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_errors_name_the_file_line_and_key_and_nothing_starts() {
    let dir = scratch_dir("bridge-config");
    let path = dir.join("c.toml");
    let run = |args: Vec<String>| async move {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = cli!().run(&args).await;
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let p = path.to_str().unwrap().to_owned();
    let args = || vec!["bridge".into(), "--config".into(), p.clone()];

    std::fs::write(&path, "[mqtt]\nurl = \"mqtt://127.0.0.1:1\"\n\n[cameras.a]\nhost = \"127.0.0.1:1\"\n[cameras.a.bridge]\nevnts = \"pull\"\n").unwrap();
    let (code, err) = run(args()).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("c.toml") && err.contains("line 7") && err.contains("evnts"),
        "{err}"
    );

    std::fs::write(
        &path,
        "[mqtt]\nurl = \"mqtt://127.0.0.1:1\"\n[cameras.a]\nuser = \"u\"\n",
    )
    .unwrap();
    let (code, err) = run(args()).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("host"), "{err}");

    std::fs::write(
        &path,
        "[mqtt]\nurl = \"http://127.0.0.1:1\"\n[cameras.a]\nhost = \"h\"\n",
    )
    .unwrap();
    let (code, err) = run(args()).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("mqtt.url"), "{err}");

    std::fs::write(
        &path,
        "[mqtt]\nurl = \"mqtt://127.0.0.1:1\"\npassword = \"hunter2\"\n[cameras.a]\nhost = \"h\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, err) = run(args()).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("readable by every user") && !err.contains("hunter2"),
        "{err}"
    );

    let (code, err) = run(vec!["bridge".into(), "--shard".into(), "2/2".into()]).await;
    assert_eq!(code, Some(2), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_publishes_offline_and_exits_promptly() {
    let broker = Broker::start().await;
    let sim = Sim::start().await;
    let dir = scratch_dir("bridge-run");
    let path = config(&dir, &broker.url(), &[("garden", &sim)]);
    let mut sub = Subscriber::connect(broker.addr, &["onvif/#"]).await;
    let mut child = cli!()
        .command(&[
            "bridge",
            "--config",
            path.to_str().unwrap(),
            "--metrics",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let lines = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    sub.wait_for_value("onvif/garden/availability", "online")
        .await;
    sim.emit_motion(true);
    sub.wait_for_value("onvif/garden/motion", "ON").await;

    assert!(onvif_testkit::signal(child.id(), "TERM"));
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    sub.wait_for_value("onvif/garden/availability", "offline")
        .await;
    sub.wait_for_value("onvif/bridge/availability", "offline")
        .await;
    assert_eq!(sim.event_subscriptions(), 0, "unsubscribed on the way out");
    let lines = lines.join().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("metrics on http://127.0.0.1:")),
        "{lines:#?}"
    );
    for l in &lines {
        assert!(!l.contains(sim.password()), "{l}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_shards_follow_every_camera_exactly_once() {
    let broker = Broker::start().await;
    let mut sims = Vec::new();
    for _ in 0..12 {
        sims.push(Sim::start().await);
    }
    let names: Vec<String> = (0..sims.len()).map(|i| format!("c{i}")).collect();
    let cams: Vec<(&str, &Sim)> = names.iter().map(String::as_str).zip(&sims).collect();
    let dir = scratch_dir("bridge-shards");
    let path = config(&dir, &broker.url(), &cams);
    let mut sub = Subscriber::connect(broker.addr, &["onvif/+/availability"]).await;
    let spawn = |shard: &str| {
        cli!()
            .command(&[
                "bridge",
                "--config",
                path.to_str().unwrap(),
                "--shard",
                shard,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut a = spawn("0/2");
    let mut b = spawn("1/2");
    for n in &names {
        sub.wait_for_value(&format!("onvif/{n}/availability"), "online")
            .await;
    }
    for (n, s) in names.iter().zip(&sims) {
        assert_eq!(s.event_subscriptions(), 1, "{n} is followed once");
    }
    for child in [&mut a, &mut b] {
        onvif_testkit::signal(child.id(), "TERM");
    }
    for mut child in [a, b] {
        let st = tokio::task::spawn_blocking(move || child.wait().unwrap())
            .await
            .unwrap();
        assert!(st.success());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_simulated_fleet_writes_a_config_the_bridge_can_check() {
    let broker = Broker::start().await;
    let dir = scratch_dir("bridge-fleet");
    let path = dir.join("fleet.toml");
    let mut fleet = cli!()
        .command(&[
            "sim",
            "--cameras",
            "3",
            "--port",
            "0",
            "--fleet-config",
            path.to_str().unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both pipes are read to their end by threads of their own: a pipe closed early would
    // make the fleet's next line fail.
    let drain = |pipe: Box<dyn std::io::Read + Send>| {
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        rx
    };
    let out = drain(Box::new(fleet.stdout.take().unwrap()));
    let err = drain(Box::new(fleet.stderr.take().unwrap()));
    let (cameras, written) = tokio::task::spawn_blocking(move || {
        let cameras: Vec<String> = out.iter().take(3).collect();
        let written = err.iter().find(|l| l.contains("fleet config written"));
        (cameras, written)
    })
    .await
    .unwrap();
    assert!(written.is_some());
    assert_eq!(cameras.len(), 3);
    assert!(
        cameras[2].starts_with("cam-0003 http://127.0.0.1:"),
        "{cameras:?}"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the fleet config is private");
    let o = cli!()
        .run(&[
            "bridge",
            "--config",
            path.to_str().unwrap(),
            "--mqtt",
            &broker.url(),
            "--check",
            "--json",
        ])
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 4, "{rows}");
    let _ = fleet.kill();
    let _ = fleet.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reads_the_config_again() {
    let broker = Broker::start().await;
    let a = Sim::start().await;
    let b = Sim::start().await;
    let dir = scratch_dir("bridge-hup");
    let path = config(&dir, &broker.url(), &[("first", &a)]);
    let mut sub = Subscriber::connect(broker.addr, &["onvif/#", "homeassistant/#"]).await;
    let mut child = cli!()
        .command(&["bridge", "--config", path.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    sub.wait_for_value("onvif/first/availability", "online")
        .await;
    // The config now names another camera; the first one is gone.
    config(&dir, &broker.url(), &[("second", &b)]);
    let signal = |sig: &str| onvif_testkit::signal(child.id(), sig);
    assert!(signal("HUP"));
    sub.wait_for_value("onvif/second/availability", "online")
        .await;
    sub.wait_for("the first camera's discovery cleared", |m| {
        m.topic == "homeassistant/binary_sensor/onvif_first/motion/config" && m.payload.is_empty()
    })
    .await;
    assert_eq!(a.event_subscriptions(), 0, "the first camera was let go");
    // A broken config changes nothing: the bridge goes on with the second camera.
    std::fs::write(&path, "[mqtt\n").unwrap();
    assert!(signal("HUP"));
    b.emit_motion(true);
    sub.wait_for_value("onvif/second/motion", "ON").await;
    assert!(signal("TERM"));
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success());
}
