//! The real `onvif` binary against the simulated camera on 127.0.0.1, with a scrubbed
//! environment (no ONVIF_* variables, a private config directory).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use onvif_sim::AuthMode;
use onvif_testkit::peer::{closed_port, silent};
use onvif_testkit::{PASSWORD, Sim, USER, cli, output, scratch_dir, stderr, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn info_prints_the_device_and_json_is_machine_readable() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ONVIF Toolkit"), "{}", stdout(&o));

    let o = cli!().run_on(&h, &["--json", "info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["model"], "onvif-sim");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_device_command_works_with_and_without_json() {
    let h = Sim::builder().start().await;
    for cmd in [
        &["time"][..],
        &["capabilities"],
        &["services"],
        &["services", "--capabilities"],
        &["scopes"],
        &["hostname"],
        &["network"],
        &["raw", "GetHostname"],
        &["reboot"],
    ] {
        let o = cli!().run_on(&h, cmd).await;
        assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
        assert!(!stdout(&o).trim().is_empty(), "{cmd:?}");
        let mut j = vec!["--json"];
        j.extend_from_slice(cmd);
        let o = cli!().run_on(&h, &j).await;
        assert!(o.status.success(), "{cmd:?} --json: {}", stderr(&o));
        let _: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{cmd:?} --json: {e}: {}", stdout(&o)));
    }
    assert_eq!(h.reboots(), 2);
    // IPv4's DHCP flag reads as the other yes/no columns do.
    let o = cli!().run_on(&h, &["network"]).await;
    let row = stdout(&o).lines().nth(1).unwrap_or_default().to_owned();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells.get(4), Some(&"no"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_shows_the_offset_and_sync_fixes_it() {
    let h = Sim::builder().clock_skew_secs(-3600).start().await;
    let o = cli!().run_on(&h, &["--json", "time"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let off = v["offset"].as_f64().unwrap();
    assert!((off + 3600.0).abs() < 3.0, "{off}");
    let o = cli!().run_on(&h, &["time"]).await;
    assert!(stdout(&o).contains("camera behind"), "{}", stdout(&o));

    let o = cli!().run_on(&h, &["--json", "time", "--sync"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["offset"].as_f64().unwrap().abs() < 3.0, "{v}");
    assert!((h.camera_time().as_second() - jiff::Timestamp::now().as_second()).abs() < 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_exits_3_without_showing_any_password() {
    let h = Sim::builder().auth(AuthMode::Both).start().await;
    let host = h.addr().to_string();
    let o = cli!()
        .run(&[
            "-H",
            &host,
            "-u",
            USER,
            "-p",
            "Wr0ng-pa55",
            "--trace",
            "info",
        ])
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("authentication failed"), "{err}");
    assert!(!err.contains("Wr0ng-pa55"));
    assert!(!stdout(&o).contains("Wr0ng-pa55"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_shows_the_exchange_with_the_digest_redacted() {
    let h = Sim::builder().auth(AuthMode::Both).start().await;
    let o = cli!().run_on(&h, &["--trace", "info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(">>> POST"), "{err}");
    assert!(err.contains("<<< HTTP 200"), "{err}");
    assert!(err.contains("[redacted]"), "{err}");
    assert!(!err.contains(PASSWORD));
    assert!(!stdout(&o).contains(PASSWORD));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_come_from_the_environment() {
    let h = Sim::builder().start().await;
    let mut c = cli!().command(&["info"]);
    c.env("ONVIF_HOST", h.addr().to_string())
        .env("ONVIF_USER", USER)
        .env("ONVIF_PASSWORD", PASSWORD);
    let o = output(c).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("onvif-sim"));
}

fn write_config(dir: &Path, host: &str, mode: u32) -> PathBuf {
    let p = dir.join("config.toml");
    std::fs::write(
        &p,
        format!(
            "default = \"garden\"\n[cameras.garden]\nhost = \"{host}\"\nuser = \"{USER}\"\npassword = \"{PASSWORD}\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_camera_comes_from_the_config() {
    let h = Sim::builder().start().await;
    let dir = scratch_dir("config");
    let p = write_config(&dir, &h.addr().to_string(), 0o600);
    let o = cli!()
        .run(&[
            "--config",
            p.to_str().unwrap(),
            "--camera",
            "garden",
            "hostname",
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("onvif-sim"));
    // The default camera, found in the XDG config dir.
    std::fs::create_dir_all(dir.join("onvif")).unwrap();
    std::fs::rename(&p, dir.join("onvif/config.toml")).unwrap();
    let mut c = cli!().command(&["hostname"]);
    c.env("XDG_CONFIG_HOME", &dir);
    let o = output(c).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!()
        .run(&[
            "--config",
            dir.join("onvif/config.toml").to_str().unwrap(),
            "--camera",
            "porch",
            "info",
        ])
        .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no camera named \"porch\""),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_world_readable_config_with_a_password_is_refused() {
    let dir = scratch_dir("config");
    let p = write_config(&dir, "127.0.0.1:9", 0o644);
    let o = cli!().run(&["--config", p.to_str().unwrap(), "info"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("readable by every user"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(PASSWORD));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2() {
    let o = cli!().run(&["info"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no camera given"), "{}", stderr(&o));
    let o = cli!().run(&["frobnicate"]).await;
    assert_eq!(o.status.code(), Some(2));
    let o = cli!()
        .run(&["-H", "127.0.0.1:9", "--timeout", "soon", "info"])
        .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a duration"), "{}", stderr(&o));
    let o = cli!().run(&["-H", "ftp://x", "info"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid camera address"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_errors_exit_5() {
    let host = closed_port().to_string();
    let o = cli!().run(&["-H", &host, "info"]).await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("could not connect"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_peer_times_out_with_exit_5() {
    let host = silent().await.to_string();
    let o = cli!().run(&["-H", &host, "--timeout", "1s", "info"]).await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no complete answer within 1.0 s"),
        "{}",
        stderr(&o)
    );
}

/// An answer over the cap names the option that raises it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_over_the_cap_names_the_option() {
    let h = Sim::start().await;
    let o = cli!()
        .run_on(&h, &["--max-response", "1K", "profiles"])
        .await;
    let err = stderr(&o);
    assert!(err.contains("larger than the limit of 1024 bytes"), "{err}");
    assert!(err.contains("--max-response raises it"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_faults_exit_4() {
    let h = Sim::builder().unsupported("GetHostname").start().await;
    let o = cli!().run_on(&h, &["hostname"]).await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("ActionNotSupported"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_reads_a_saved_answer_like_a_live_one() {
    let dir = scratch_dir("config");
    let f = dir.join("info.xml");
    std::fs::write(
        &f,
        r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://www.onvif.org/ver10/device/wsdl"><env:Body><d:GetDeviceInformationResponse><d:Manufacturer>Acme</d:Manufacturer><d:Model>X1</d:Model><d:FirmwareVersion>1.0</d:FirmwareVersion><d:SerialNumber>42</d:SerialNumber><d:HardwareId>h</d:HardwareId></d:GetDeviceInformationResponse></env:Body></env:Envelope>"#,
    )
    .unwrap();
    let o = cli!().run(&["decode", f.to_str().unwrap()]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["operation"], "GetDeviceInformationResponse");
    assert_eq!(v["kind"], "typed");
    assert_eq!(v["data"]["manufacturer"], "Acme");

    std::fs::write(&f, b"\x00\x01 not xml <<<").unwrap();
    let o = cli!().run(&["decode", f.to_str().unwrap()]).await;
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("malformed XML"), "{}", stderr(&o));

    let o = cli!()
        .run(&["decode", dir.join("missing.xml").to_str().unwrap()])
        .await;
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_subcommand_prints_its_url_and_serves() {
    let sim = cli!().start_sim(&[
        "sim",
        "--strict",
        "--port",
        "0",
        "--user",
        USER,
        "--password",
        PASSWORD,
    ]);
    let url = sim.url.clone();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let o = cli!()
        .run(&["-H", &url, "-u", USER, "-p", PASSWORD, "info"])
        .await;
    drop(sim);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("onvif-sim"));
}

/// SIGTERM (or Ctrl-C) stops the simulator at once, though its console is reading its
/// standard input, which stays open (a terminal, or a pipe as here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_stops_on_sigterm_while_its_console_reads() {
    use std::io::{BufRead, Write};
    let mut child = cli!()
        .command(&["sim", "--port", "0"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The console answered a line: it is reading the next one.
    let mut input = child.stdin.take().unwrap();
    input.write_all(b"status\n").unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("DigitalInput_1:") {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "the console answers");
    }
    let pid = child.id();
    assert!(onvif_testkit::signal(pid, "TERM"));
    let waited = tokio::task::spawn_blocking(move || child.wait());
    let status = tokio::time::timeout(std::time::Duration::from_secs(30), waited).await;
    let stopped = matches!(&status, Ok(Ok(Ok(s))) if s.success());
    if !stopped {
        onvif_testkit::signal(pid, "KILL");
    }
    drop(input);
    assert!(
        stopped,
        "`onvif sim` did not stop within 30 s of SIGTERM: {status:?}"
    );
}

/// Output into a pipe whose reader has gone (`| head`): the command ends quietly, exit 0,
/// instead of panicking in the middle of its output; `events` unsubscribes first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_ends_the_command_quietly() {
    let h = Sim::builder()
        .events_motion_every(std::time::Duration::from_millis(300))
        .start()
        .await;
    let mut base = h.cli_args();
    base.push("--json".into());
    for rest in [&["info"][..], &["events", "--for", "60s"]] {
        let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
        args.extend_from_slice(rest);
        let mut child = cli!()
            .command(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes before the first answer is written.
        drop(child.stdout.take());
        let o = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{rest:?}: {err}");
        assert!(!err.contains("panicked"), "{rest:?}: {err}");
    }
    assert_eq!(h.event_subscriptions(), 0, "events unsubscribed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_runs_to_the_end() {
    let o = cli!().run(&["demo"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ONVIF Toolkit"), "{out}");
    assert!(out.contains("camera ahead"), "{out}");
    assert!(out.contains("refused, as it should be"), "{out}");
    assert!(out.contains("MOVING") || out.contains("IDLE"), "{out}");
    assert!(out.contains("motion="), "{out}");
    // The bridge step: the demo's own broker carries the camera's availability and motion.
    assert!(out.contains("onvif/demo/availability online"), "{out}");
    assert!(out.contains("onvif/demo/motion ON"), "{out}");
    assert!(
        out.contains("homeassistant/binary_sensor/onvif_demo/"),
        "{out}"
    );

    // JSON Lines: each step named before its answers, the refused password too.
    let o = cli!().run(&["demo", "--json"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let steps: Vec<&str> = lines.iter().filter_map(|v| v["step"].as_str()).collect();
    assert!(steps[0].ends_with(" time"), "{steps:?}");
    assert!(
        steps.iter().any(|s| s.ends_with("-p wrong info")),
        "{steps:?}"
    );
    assert_eq!(lines.last().unwrap()["refused"], true, "{lines:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_documents_exit_codes() {
    let o = cli!().run(&["--help"]).await;
    assert!(o.status.success());
    assert!(stdout(&o).contains("Exit codes"));
    for sub in ["time", "info", "raw", "decode", "sim", "demo"] {
        let o = cli!().run(&[sub, "--help"]).await;
        assert!(o.status.success(), "{sub}");
        assert!(stdout(&o).contains("Usage"), "{sub}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_commands_work_with_and_without_json() {
    let h = Sim::builder().start().await;
    for cmd in [
        &["profiles"][..],
        &["stream-uri"],
        &[
            "stream-uri",
            "--profile",
            "Profile_2",
            "--transport",
            "rtsp-tcp",
        ],
        &["snapshot-uri"],
        &["video-sources"],
        &["encoders"],
        &["imaging"],
        &["imaging", "options"],
    ] {
        let o = cli!().run_on(&h, cmd).await;
        assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
        assert!(!stdout(&o).trim().is_empty(), "{cmd:?}");
        let mut j = vec!["--json"];
        j.extend_from_slice(cmd);
        let o = cli!().run_on(&h, &j).await;
        assert!(o.status.success(), "{cmd:?} --json: {}", stderr(&o));
        let _: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{cmd:?} --json: {e}: {}", stdout(&o)));
    }
    let o = cli!().run_on(&h, &["profiles"]).await;
    let out = stdout(&o);
    assert!(out.contains("Profile_1") && out.contains("H265"), "{out}");
    let o = cli!().run_on(&h, &["stream-uri"]).await;
    assert!(
        stderr(&o).contains("using the first profile, Profile_1"),
        "{}",
        stderr(&o)
    );
}

/// A stream URI naming a host the camera cannot be reached at is repaired, and `-v` says
/// so (what was reported, what is used); without a lie nothing is said.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repaired_stream_uri_is_told_with_v() {
    let lying = Sim::builder()
        .quirk(onvif_sim::Quirk::LyingXAddrsOtherHost)
        .start()
        .await;
    let o = cli!().run_on(&lying, &["-v", "stream-uri"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("rtsp://127.0.0.1:"),
        "{}",
        stdout(&o)
    );
    let err = stderr(&o);
    assert!(err.contains("cannot be reached at"), "{err}");
    assert!(err.contains("rtsp://192.0.2.1:8554/Profile_1"), "{err}");
    let honest = Sim::start().await;
    let o = cli!().run_on(&honest, &["-v", "stream-uri"]).await;
    assert!(
        !stderr(&o).contains("cannot be reached at"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_uri_with_credentials_is_percent_encoded() {
    let h = Sim::builder().credentials(USER, "p@ss:w/rd%").start().await;
    let host = h.addr().to_string();
    let o = cli!()
        .run(&[
            "-H",
            &host,
            "-u",
            USER,
            "-p",
            "p@ss:w/rd%",
            "stream-uri",
            "--with-credentials",
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("rtsp://admin:p%40ss%3Aw%2Frd%25@127.0.0.1:"),
        "{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_writes_a_jpeg_file() {
    let h = Sim::builder().start().await;
    let dir = scratch_dir("config");
    let file = dir.join("garden.jpg");
    let o = cli!()
        .run_on(&h, &["snapshot", "-o", file.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("image/jpeg"), "{}", stdout(&o));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    let o = cli!()
        .run_on(
            &h,
            &[
                "--json",
                "snapshot",
                "--profile",
                "Profile_2",
                "-o",
                file.to_str().unwrap(),
            ],
        )
        .await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["size"].as_u64().unwrap() as usize,
        std::fs::read(&file).unwrap().len()
    );
    assert_eq!(v["profile"], "Profile_2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imaging_set_changes_the_camera_and_checks_ranges() {
    let h = Sim::builder().start().await;
    let o = cli!()
        .run_on(
            &h,
            &[
                "--json",
                "imaging",
                "set",
                "--brightness",
                "60",
                "--ir-cut",
                "auto",
            ],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["brightness"], 60.0);
    let o = cli!().run_on(&h, &["imaging"]).await;
    assert!(stdout(&o).contains("60"), "{}", stdout(&o));
    let o = cli!()
        .run_on(&h, &["imaging", "set", "--brightness", "1000"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("outside the camera's range"),
        "{}",
        stderr(&o)
    );
    let o = cli!().run_on(&h, &["imaging", "set"]).await;
    assert_eq!(o.status.code(), Some(2));
    let o = cli!()
        .run_on(&h, &["stream-uri", "--profile", "Nope"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no profile \"Nope\""), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_in_bad_addresses_and_broken_configs_are_not_shown() {
    let o = cli!()
        .run(&["-H", "ftp://admin:Hunter2-secret@192.0.2.1/", "info"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Hunter2-secret"), "{}", stderr(&o));

    let dir = scratch_dir("config");
    let p = dir.join("config.toml");
    std::fs::write(
        &p,
        "[cameras.garden]\nhost = \"127.0.0.1:9\"\nuser = \"admin\"\npassword = \"Hunter2-secret\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let o = cli!()
        .run(&[
            "--config",
            p.to_str().unwrap(),
            "--camera",
            "garden",
            "info",
        ])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 4"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Hunter2-secret"), "{}", stderr(&o));

    let o = cli!()
        .run(&["-H", "127.0.0.1:9", "-u", "admin", "info"])
        .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("without a password"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_commands_work_with_and_without_json() {
    let h = Sim::builder().manual_clock().start().await;
    for cmd in [
        &["ptz", "status"][..],
        &["ptz", "nodes"],
        &["ptz", "node", "PTZNode_1"],
        &["ptz", "configs"],
        &["ptz", "config", "PTZConfig_1"],
        &["ptz", "config-options", "PTZConfig_1"],
        &["ptz", "capabilities"],
        &["ptz", "presets"],
    ] {
        let o = cli!().run_on(&h, cmd).await;
        assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
        let mut j = vec!["--json"];
        j.extend_from_slice(cmd);
        let o = cli!().run_on(&h, &j).await;
        assert!(o.status.success(), "{cmd:?} --json: {}", stderr(&o));
        let _: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{cmd:?} --json: {e}: {}", stdout(&o)));
    }
    let o = cli!()
        .run_on(
            &h,
            &[
                "ptz", "move", "--pan", "0.5", "--tilt", "-0.2", "--speed", "1",
            ],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    h.advance(std::time::Duration::from_secs(10));
    let (p, t, _) = h.ptz_position("Profile_1").unwrap();
    assert!((p - 0.5).abs() < 1e-6 && (t + 0.2).abs() < 1e-6, "{p} {t}");
    let o = cli!().run_on(&h, &["ptz", "preset", "set", "gate"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!().run_on(&h, &["ptz", "step", "--pan", "-0.1"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    h.advance(std::time::Duration::from_secs(10));
    let o = cli!().run_on(&h, &["ptz", "preset", "goto", "gate"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    h.advance(std::time::Duration::from_secs(10));
    assert!((h.ptz_position("Profile_1").unwrap().0 - 0.5).abs() < 1e-6);
    let o = cli!().run_on(&h, &["ptz", "presets"]).await;
    assert!(stdout(&o).contains("gate"), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["ptz", "go", "--tilt", "0.5"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(h.ptz_moving());
    let o = cli!().run_on(&h, &["ptz", "stop"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!h.ptz_moving());
    for cmd in [
        &["ptz", "set-home"][..],
        &["ptz", "home"],
        &["ptz", "preset", "remove", "gate"],
    ] {
        let o = cli!().run_on(&h, cmd).await;
        assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
    }
    let o = cli!().run_on(&h, &["ptz", "aux", "tt:Wiper|On"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    // Out of range: refused before sending, exit 2, with the range named.
    let o = cli!().run_on(&h, &["ptz", "move", "--pan", "1.5"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("outside -1..1"), "{}", stderr(&o));
    // ptz control without a terminal is a usage error, not a hang.
    let o = cli!().run_on(&h, &["ptz", "control"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_a_camera_puts_in_its_uris_are_not_printed() {
    for quirk in [
        onvif_sim::Quirk::SnapshotUriWithCredentials,
        onvif_sim::Quirk::SnapshotUriQueryCredentials,
    ] {
        let h = Sim::builder().quirk(quirk).start().await;
        for args in [&["snapshot-uri"][..], &["--json", "snapshot-uri"]] {
            let o = cli!().run_on(&h, args).await;
            assert!(o.status.success(), "{}", stderr(&o));
            assert!(!stdout(&o).contains('@'), "{}", stdout(&o));
            // Not even a piece of the password.
            assert!(!stdout(&o).contains(&PASSWORD[..5]), "{}", stdout(&o));
        }
        // Asked for, the camera's query is kept as it came, and ours are added.
        let o = cli!()
            .run_on(&h, &["snapshot-uri", "--with-credentials"])
            .await;
        assert!(o.status.success(), "{}", stderr(&o));
        let shown = stdout(&o);
        assert!(shown.contains(&format!("{USER}:")), "{shown}");
        if quirk == onvif_sim::Quirk::SnapshotUriQueryCredentials {
            assert!(
                shown.contains("&password=") && !shown.contains("[credentials]"),
                "{shown}"
            );
        }
        // And the image comes with them.
        let o = cli!().run_on(&h, &["snapshot", "-o", "-"]).await;
        assert!(o.status.success(), "{quirk:?}: {}", stderr(&o));
        assert!(o.stdout.starts_with(&[0xFF, 0xD8]), "{quirk:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_operations_go_to_their_own_service() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["raw", "GetProfiles"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("GetProfilesResponse"), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["--json", "raw", "GetNodes"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kind"], "typed", "{v}");
    // A body from a file: the service comes from its namespace.
    let dir = scratch_dir("config");
    let f = dir.join("body.xml");
    std::fs::write(
        &f,
        r#"<x:GetVideoSources xmlns:x="http://www.onvif.org/ver10/media/wsdl"/>"#,
    )
    .unwrap();
    let o = cli!().run_on(&h, &["raw", f.to_str().unwrap()]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("VideoSource_1"), "{}", stdout(&o));
}
