//! `doctor` against simulated cameras: a healthy one, and one per quirk it must find. It
//! changes nothing on the camera and leaves no subscription behind.
//! Nothing here opens a socket to any address but 127.0.0.1: `0.0.0.0` appears only as a
//! value a camera reports, compared as text.
#![allow(clippy::unwrap_used)]

use onvif_sim::{AuthMode, EventQuirk, Quirk};
use onvif_testkit::{Sim, cli, stderr, stdout};
use serde_json::Value;

/// `doctor --json` on `sim`; its long-poll probe asks 2 s unless `extra` says otherwise (the
/// default 12 s is for cameras that cut long polls at 10 s).
async fn doctor(sim: &Sim, extra: &[&str]) -> (Option<i32>, Vec<Value>) {
    let mut rest = vec!["--json", "doctor"];
    if !extra.contains(&"--hold") {
        rest.extend(["--hold", "2s"]);
    }
    rest.extend_from_slice(extra);
    let o = cli!().run_on(sim, &rest).await;
    let checks: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)));
    (o.status.code(), checks.as_array().unwrap().clone())
}

/// A private config file naming `sim` as camera `name`.
fn config_naming(dir: &std::path::Path, name: &str, sim: &Sim) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[cameras.{name}]\nhost = \"{}\"\nuser = \"{}\"\npassword = \"{}\"\n",
            sim.host(),
            sim.user(),
            sim.password()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    config
}

/// The check `area`/`check`: its status and detail.
fn check<'a>(checks: &'a [Value], area: &str, name: &str) -> (&'a str, &'a str) {
    let c = checks
        .iter()
        .find(|c| c["area"] == area && c["check"] == name)
        .unwrap_or_else(|| panic!("no {area}/{name} in {checks:#?}"));
    (c["status"].as_str().unwrap(), c["detail"].as_str().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_camera_has_no_problem_and_is_left_as_it_was() {
    let sim = Sim::start().await;
    let before = sim.ptz_snapshot();
    let (code, checks) = doctor(&sim, &[]).await;
    assert_eq!(code, Some(0), "{checks:#?}");
    assert!(
        checks.iter().all(|c| c["status"] != "problem"),
        "{checks:#?}"
    );
    assert_eq!(check(&checks, "clock", "offset").0, "ok");
    // Worded as `time` words it.
    assert_eq!(
        check(&checks, "clock", "time source"),
        ("warning", "manual, time zone UTC0")
    );
    assert_eq!(check(&checks, "auth", "without credentials").0, "ok");
    assert_eq!(
        check(&checks, "auth", "WS-UsernameToken digest alone").1,
        "accepted"
    );
    assert_eq!(check(&checks, "events", "relative termination").0, "ok");
    assert_eq!(check(&checks, "events", "long poll").0, "ok");
    assert_eq!(check(&checks, "events", "Renew").0, "ok");
    assert_eq!(check(&checks, "events", "Unsubscribe").0, "ok");
    assert!(check(&checks, "media", "snapshot").1.contains("JPEG"));
    assert_eq!(check(&checks, "events", "push").0, "ok");
    assert_eq!(check(&checks, "auth", "open operations").0, "ok");
    assert_eq!(
        check(&checks, "services", "relay outputs").1,
        "2: RelayOutput_1, RelayOutput_2"
    );
    assert_eq!(
        check(&checks, "services", "digital inputs").1,
        "2: DigitalInput_1, DigitalInput_2"
    );
    let (status, detail) = check(&checks, "services", "focus");
    assert_eq!(status, "ok");
    assert!(
        detail.starts_with("moves: absolute, relative, continuous"),
        "{detail}"
    );
    assert_eq!(
        check(&checks, "services", "on-screen displays").1,
        "1: OSD_1"
    );
    assert_eq!(check(&checks, "services", "analytics rules").0, "ok");
    assert!(
        check(&checks, "services", "recordings")
            .1
            .starts_with("2: ")
    );
    assert!(
        check(&checks, "services", "recording search")
            .1
            .starts_with("2 recordings, data from 2026-11-30T20:00:00Z")
    );
    assert!(
        check(&checks, "services", "user accounts")
            .1
            .starts_with("1: ")
    );
    assert!(
        check(&checks, "services", "network protocols")
            .1
            .contains("HTTP")
    );
    assert_eq!(
        check(&checks, "services", "discovery mode"),
        ("ok", "Discoverable")
    );
    let (status, detail) = check(&checks, "media", "snapshot auth");
    assert_eq!(status, "ok");
    assert!(detail.starts_with("needs credentials: Digest"), "{detail}");
    assert!(
        check(&checks, "auth", "HTTP challenges")
            .1
            .starts_with("none")
    );
    // Read-only: nothing set, nothing moved, no subscription left.
    let stats = sim.stats();
    let set: Vec<_> = stats
        .operations
        .keys()
        .filter(|(_, n)| {
            (n.starts_with("Set") && *n != "SetSynchronizationPoint")
                || (n.contains("Move") && !n.starts_with("Get"))
                || n.starts_with("Create") && *n != "CreatePullPointSubscription"
                || *n == "SystemReboot"
        })
        .collect();
    assert!(set.is_empty(), "{set:?}");
    assert_eq!(sim.ptz_snapshot().heads, before.heads);
    assert_eq!(sim.event_subscriptions(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_move_the_ptz_moves_and_both_moves_are_checked() {
    let sim = Sim::start().await;
    let (code, checks) = doctor(&sim, &["--move"]).await;
    assert_eq!(code, Some(0), "{checks:#?}");
    assert_eq!(check(&checks, "ptz", "ContinuousMove").0, "ok");
    assert_eq!(check(&checks, "ptz", "RelativeMove").0, "ok");
    let stats = sim.stats();
    assert_eq!(stats.operation("ContinuousMove"), 1);
    assert_eq!(stats.operation("Stop"), 1);
    assert_eq!(stats.operation("RelativeMove"), 2, "there and back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_quirk_is_found_and_named() {
    let sim = Sim::builder()
        .config(|c| {
            c.clock_skew_secs(3600)
                .quirk(Quirk::LyingXAddrsZero)
                .quirk(Quirk::EmptyServices)
                .event_quirk(EventQuirk::IgnoresRelativeDurations)
                .event_quirk(EventQuirk::PullIgnoresTimeout)
                .event_quirk(EventQuirk::RenewUnsupported)
        })
        .start()
        .await;
    let (code, checks) = doctor(&sim, &[]).await;
    assert_eq!(code, Some(0), "{checks:#?}");
    let (status, detail) = check(&checks, "clock", "offset");
    assert_eq!(status, "warning");
    assert!(detail.starts_with("3600 s ahead"), "{detail}");
    let (status, detail) = check(&checks, "addresses", "media address");
    assert_eq!(status, "warning");
    assert!(detail.contains("http://0.0.0.0:"), "{detail}");
    assert_eq!(check(&checks, "addresses", "services").0, "warning");
    let (status, detail) = check(&checks, "events", "relative termination");
    assert_eq!(status, "warning");
    assert!(detail.starts_with("60 s asked"), "{detail}");
    assert_eq!(check(&checks, "events", "long poll").0, "warning");
    let (status, detail) = check(&checks, "events", "Renew");
    assert_eq!(status, "warning");
    assert!(detail.contains("ActionNotSupported"), "{detail}");
    // Every warning says what to do.
    for c in checks.iter().filter(|c| c["status"] == "warning") {
        assert!(c["advice"].is_string(), "{c:#}");
    }
    // A camera that needs settings of its own and is in no known entry: the entry to share.
    let (_, detail) = check(&checks, "identity", "not a known camera");
    assert!(detail.starts_with("ONVIF Toolkit onvif-sim"), "{detail}");
    let c = checks
        .iter()
        .find(|c| c["check"] == "not a known camera")
        .unwrap();
    let advice = c["advice"].as_str().unwrap();
    assert!(
        advice.contains("manufacturer: \"ONVIF Toolkit\"")
            && advice.contains("events_absolute_times")
            && advice.contains("--write-profile"),
        "{advice}"
    );
    assert_eq!(sim.event_subscriptions(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_only_camera_is_found_and_the_advice_works() {
    let sim = Sim::builder()
        .config(|c| c.auth(AuthMode::HttpDigest))
        .start()
        .await;
    let (_, checks) = doctor(&sim, &[]).await;
    assert_eq!(
        check(&checks, "auth", "HTTP authentication alone").1,
        "accepted"
    );
    let (_, offered) = check(&checks, "auth", "HTTP challenges");
    assert!(offered.contains("Digest ("), "{offered}");
    let c = checks
        .iter()
        .find(|c| c["area"] == "auth" && c["check"] == "scheme")
        .unwrap();
    assert_eq!(c["status"], "warning");
    assert!(c["advice"].as_str().unwrap().contains("--auth http"));
    // The advice, followed: HTTP Digest only, no WS-Security header in any request.
    let dir = onvif_testkit::scratch_dir("doctor-digest");
    let har = dir.join("info.har");
    let o = cli!()
        .run_on(
            &sim,
            &["--auth", "http", "--capture", har.to_str().unwrap(), "info"],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&har).unwrap();
    assert!(text.contains("Digest "), "{text}");
    assert!(!text.contains("UsernameToken"), "{text}");
}

/// A camera that wants WS-UsernameToken and HTTP Digest at once (docs/QUIRKS.md): neither
/// alone is accepted, both together are, and that is no problem.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_wanting_both_schemes_at_once_is_no_problem() {
    let sim = Sim::builder()
        .config(|c| c.auth(AuthMode::Both))
        .start()
        .await;
    let (code, checks) = doctor(&sim, &[]).await;
    assert_eq!(code, Some(0), "{checks:#?}");
    assert_eq!(check(&checks, "auth", "both together").0, "ok");
    let (_, offered) = check(&checks, "auth", "HTTP challenges");
    let kinds: Vec<&str> = offered.split(", ").collect();
    let unique: std::collections::BTreeSet<&str> = kinds.iter().copied().collect();
    assert_eq!(
        kinds.len(),
        unique.len(),
        "each kind of challenge once: {offered}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_and_no_camera_are_problems() {
    let sim = Sim::start().await;
    let o = cli!()
        .run(&[
            "-H",
            &sim.host(),
            "-u",
            sim.user(),
            "-p",
            "wrong",
            "--json",
            "doctor",
        ])
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let checks: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&checks, "auth", "credentials").0, "problem");
    assert_eq!(check(&checks, "auth", "other checks").0, "skipped");
    // Nothing is said of what the refusal hid (no PTZ, no events, ...).
    for area in ["media", "ptz", "events", "services"] {
        assert!(
            !checks.iter().any(|c| c["area"] == area),
            "{area}: {checks:#?}"
        );
    }
    assert!(!stdout(&o).contains(sim.password()));

    // A camera that guards even its clock (GetSystemDateAndTime): refused credentials are
    // still credentials (3), not a camera out of reach.
    let guarded = Sim::builder()
        .quirk(onvif_sim::Quirk::AllAuth)
        .start()
        .await;
    let o = cli!()
        .run(&[
            "-H",
            &guarded.host(),
            "-u",
            guarded.user(),
            "-p",
            "wrong",
            "--json",
            "doctor",
        ])
        .await;
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), stderr(&o));
    let checks: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&checks, "connection", "device service").0, "ok");
    let (status, _) = check(&checks, "auth", "credentials");
    assert_eq!(status, "problem");
    assert!(
        checks.iter().any(|c| c["advice"]
            .as_str()
            .is_some_and(|a| a.contains("check the user name and password"))),
        "{checks:#?}"
    );
    assert!(
        !stderr(&o).contains("could not be reached"),
        "{}",
        stderr(&o)
    );

    let addr = onvif_testkit::peer::closed_port();
    let o = cli!().run(&["-H", &addr.to_string(), "doctor"]).await;
    // Unreachable is a network failure (5), as for every other command, not a problem the
    // camera has (4).
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stdout(&o).contains("PROBLEM  connection"), "{}", stdout(&o));
}

/// What the camera says (its maker and model here) is shown escaped on its check's own line:
/// a line break in it cannot add a line to the report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn camera_text_cannot_add_a_line_to_the_report() {
    let mut info = onvif_sim::default_device_info();
    info.manufacturer = "Acme\nPROBLEM  identity    fake: injected".into();
    info.model = "M1\r\nok".into();
    let sim = Sim::builder().config(|c| c.device_info(info)).start().await;
    let o = cli!().run_on(&sim, &["doctor", "--hold", "2s"]).await;
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(
        !out.lines()
            .any(|l| l.starts_with("PROBLEM  identity    fake")),
        "{out}"
    );
    assert!(
        out.contains("camera: Acme\\nPROBLEM  identity    fake: injected M1\\r\\nok, firmware"),
        "{out}"
    );
    assert!(out.contains("0 problems"), "{out}");
}

/// An HTTPS address typed with a user name and password: the doctor's report repeats neither,
/// whether the certificate could be looked at or the address is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_never_repeats_credentials_typed_in_the_address() {
    let addr = onvif_testkit::peer::closed_port();
    for host in [
        format!("https://admin:D0c-S3cret@{addr}"),
        format!("https://admin:D0c/S3cret@{addr}/onvif/device_service"),
    ] {
        for json in [false, true] {
            let mut args = vec!["-H", host.as_str()];
            if json {
                args.push("--json");
            }
            args.push("doctor");
            let o = cli!().run(&args).await;
            let (out, err) = (stdout(&o), stderr(&o));
            assert_eq!(o.status.code(), Some(5), "{host}: {out}{err}");
            for leak in ["S3cret", "admin:"] {
                assert!(
                    !out.contains(leak) && !err.contains(leak),
                    "{host}: {out}{err}"
                );
            }
            assert!(out.contains("[credentials]@"), "{host}: {out}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_profile_stores_what_was_found_and_later_commands_apply_it() {
    let sim = Sim::builder()
        .config(|c| {
            c.auth(AuthMode::HttpDigest)
                .event_quirk(EventQuirk::IgnoresRelativeDurations)
        })
        .start()
        .await;
    let dir = onvif_testkit::scratch_dir("doctor-profile");
    let config = config_naming(&dir, "gate", &sim);
    let c = config.to_str().unwrap();
    let o = cli!()
        .run(&[
            "--config",
            c,
            "--camera",
            "gate",
            "doctor",
            "--write-profile",
        ])
        .await;
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("stored in"), "{}", stdout(&o));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("auth = \"http\""), "{text}");
    assert!(text.contains("events_absolute_times = true"), "{text}");

    // A plain command now asks an absolute termination time at once, over HTTP Digest only.
    let har = dir.join("events.har");
    let o = cli!()
        .run(&[
            "--config",
            c,
            "--camera",
            "gate",
            "--capture",
            har.to_str().unwrap(),
            "events",
            "--for",
            "1s",
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    let create = doc["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["_onvif"]["operation"] == "CreatePullPointSubscription")
        .unwrap();
    let body = create["request"]["postData"]["text"].as_str().unwrap();
    let start = body.find("InitialTerminationTime>").unwrap() + "InitialTerminationTime>".len();
    let asked = &body[start..start + body[start..].find('<').unwrap()];
    assert!(!asked.starts_with("PT") && asked.ends_with('Z'), "{asked}");
    assert!(!body.contains("UsernameToken"), "{body}");
    assert!(
        !stderr(&o).contains("absolute times"),
        "no switch needed: {}",
        stderr(&o)
    );

    // Stored, the setting is no longer advised.
    let o = cli!()
        .run(&[
            "--config", c, "--camera", "gate", "--json", "doctor", "--hold", "2s",
        ])
        .await;
    let checks: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&checks, "auth", "scheme").0, "ok", "{checks:#?}");

    // Without a config entry there is nowhere to store it.
    let o = cli!().run_on(&sim, &["doctor", "--write-profile"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--camera NAME"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_camera_is_named_with_its_evidence_and_its_settings() {
    let sim = Sim::builder()
        .config(|c| {
            c.auth(AuthMode::HttpDigest)
                .device_info(onvif::proto::ops::device::DeviceInformation {
                    manufacturer: "INSTAR".into(),
                    model: "IN-8015 Full HD".into(),
                    firmware_version: "3.2".into(),
                    serial_number: "X".into(),
                    hardware_id: "Y".into(),
                })
        })
        .start()
        .await;
    let (_, checks) = doctor(&sim, &[]).await;
    let (status, detail) = check(&checks, "identity", "known camera");
    assert_eq!(status, "ok");
    assert!(detail.contains("Digest only"), "{detail}");
    let c = checks
        .iter()
        .find(|c| c["check"] == "known camera")
        .unwrap();
    assert!(
        c["advice"]
            .as_str()
            .unwrap()
            .contains("home-assistant/core#98538")
    );
    assert_eq!(c["settings"][0][0], "auth");
    assert!(checks.iter().all(|c| c["check"] != "not a known camera"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_that_cuts_long_polls_is_found_and_its_profile_asks_shorter_ones() {
    // Tapo's layout: long polls asking more than 10 s are cut after 10 s.
    let sim = Sim::builder()
        .config(|c| c.quirk(Quirk::Tapo))
        .start()
        .await;
    let dir = onvif_testkit::scratch_dir("doctor-cut");
    let config = config_naming(&dir, "door", &sim);
    let c = config.to_str().unwrap();
    let o = cli!()
        .run(&[
            "--config",
            c,
            "--camera",
            "door",
            "--json",
            "doctor",
            "--write-profile",
        ])
        .await;
    let checks: Vec<Value> = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)));
    let (status, detail) = check(&checks, "events", "long poll");
    assert_eq!(status, "warning");
    assert!(detail.contains("after 10."), "{detail}");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("events_max_pull = \"8s\""), "{text}");

    // Later pulls ask at most 8 s.
    let har = dir.join("events.har");
    let o = cli!()
        .run(&[
            "--config",
            c,
            "--camera",
            "door",
            "--capture",
            har.to_str().unwrap(),
            "events",
            "--for",
            "1s",
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let recorded = std::fs::read_to_string(&har).unwrap();
    assert!(
        recorded.contains("Timeout>PT8S<"),
        "no 8 s pull in the recording"
    );
    // A bad value is named.
    let bad = text.replace("\"8s\"", "\"soon\"");
    std::fs::write(&config, bad).unwrap();
    let o = cli!()
        .run(&["--config", c, "--camera", "door", "info"])
        .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("events_max_pull \"soon\""),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_open_before_authentication_are_listed() {
    // As Tapo cameras: GetServices and GetCapabilities open (the standard allows it).
    let sim = Sim::builder()
        .config(|c| c.quirk(Quirk::OpenOperations))
        .start()
        .await;
    let (_, checks) = doctor(&sim, &[]).await;
    let (status, detail) = check(&checks, "auth", "open operations");
    assert_eq!(status, "ok");
    assert!(
        detail.contains(
            "open as the standard allows: GetSystemDateAndTime, GetServices, GetCapabilities"
        ),
        "{detail}"
    );
    // By default only the clock is open.
    let sim = Sim::start().await;
    let (_, checks) = doctor(&sim, &[]).await;
    assert_eq!(
        check(&checks, "auth", "open operations").1,
        "nothing beyond what the standard allows"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_url_open_to_anyone_is_a_warning() {
    let sim = Sim::builder()
        .config(|c| c.snapshot_auth(onvif_sim::SnapshotAuth::None))
        .start()
        .await;
    let (_, checks) = doctor(&sim, &[]).await;
    assert_eq!(check(&checks, "media", "snapshot auth").0, "warning");
}

/// Every quirk of the simulator, and what the doctor says of it. The client handles some
/// without a trace (undeclared prefixes, required reference parameters): the doctor then
/// finds no problem. Two (a refused ContinuousMove or RelativeMove) show only to `--move`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_finds_each_quirk_of_the_simulator() {
    type Expect = (&'static str, &'static str, &'static str);
    let cases: Vec<(Quirk, Option<AuthMode>, Expect)> = vec![
        (
            Quirk::FaultInsteadOf401,
            Some(AuthMode::HttpDigest),
            ("auth/without credentials", "ok", "a SOAP fault"),
        ),
        (
            Quirk::OpenOperations,
            None,
            ("auth/open operations", "ok", "GetServices"),
        ),
        (
            Quirk::AllAuth,
            None,
            (
                "auth/clock without credentials",
                "warning",
                "GetSystemDateAndTime",
            ),
        ),
        (
            Quirk::LyingXAddrsZero,
            None,
            ("addresses/media address", "warning", "0.0.0.0"),
        ),
        (
            Quirk::LyingXAddrsOtherHost,
            None,
            ("addresses/media address", "warning", "192.0.2.1"),
        ),
        (
            Quirk::DoubledPort,
            None,
            ("addresses/media address", "warning", "reported as"),
        ),
        (
            Quirk::Tapo,
            None,
            ("events/long poll", "warning", "after 10."),
        ),
        (
            Quirk::SnapshotHtmlError,
            None,
            ("media/snapshot", "warning", "not an image"),
        ),
        (
            Quirk::SnapshotUriWithCredentials,
            None,
            ("media/snapshot URI", "warning", "user name and password"),
        ),
        // The picture comes (the query authenticates), and the URL is not tried without
        // the password: a hidden one sent instead would count toward a lockout.
        (
            Quirk::SnapshotUriQueryCredentials,
            None,
            ("media/snapshot auth", "ok", "password in its query"),
        ),
        // A move refused shows only to a move: `--move`.
        (
            Quirk::NoContinuousMove,
            None,
            ("ptz/ContinuousMove", "warning", "ActionNotSupported"),
        ),
        (
            Quirk::NoRelativeMove,
            None,
            ("ptz/RelativeMove", "warning", "ActionNotSupported"),
        ),
        (
            Quirk::EmptyServices,
            None,
            (
                "addresses/services",
                "warning",
                "GetServices+GetCapabilities",
            ),
        ),
        (
            Quirk::PtzRoutesBySubstring,
            None,
            ("ptz/node", "warning", "PTZNode_1"),
        ),
        (
            Quirk::UndeclaredPrefixes,
            None,
            ("ptz/node", "ok", "PTZNode_1"),
        ),
        (
            Quirk::RefParamsRequired,
            None,
            ("events/Renew", "ok", "answered"),
        ),
        (
            Quirk::UsersInDeviceNamespace,
            None,
            ("services/user accounts", "warning", "with their passwords"),
        ),
        (
            Quirk::EpochRecording,
            None,
            ("services/recording search", "warning", "data from 1970"),
        ),
    ];
    for (quirk, auth, (key, status, says)) in cases {
        let sim = Sim::builder()
            .config(|c| {
                let c = c.quirk(quirk);
                match auth {
                    Some(a) => c.auth(a),
                    None => c,
                }
            })
            .start()
            .await;
        // Tapo's cut shows only to a probe asking more than 10 s.
        let hold: &[&str] = match quirk {
            Quirk::Tapo => &["--hold", "12s"],
            Quirk::NoContinuousMove | Quirk::NoRelativeMove => &["--move"],
            _ => &[],
        };
        let (_, checks) = doctor(&sim, hold).await;
        let (area, name) = key.split_once('/').unwrap();
        let (s, d) = check(&checks, area, name);
        assert_eq!(s, status, "{quirk:?}: {key}: {d}");
        assert!(d.contains(says), "{quirk:?}: {key}: {d}");
    }
}

/// A camera whose snapshots take HTTP Basic only: the advice names --allow-basic, as the
/// refusal does, not another fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_basic_only_snapshot_is_advised_allow_basic() {
    let sim = Sim::builder()
        .config(|c| c.snapshot_auth(onvif_sim::SnapshotAuth::Basic))
        .start()
        .await;
    let (_, checks) = doctor(&sim, &[]).await;
    let c = checks
        .iter()
        .find(|c| c["area"] == "media" && c["check"] == "snapshot")
        .unwrap_or_else(|| panic!("{checks:#?}"));
    assert_eq!(c["status"], "warning", "{c:#}");
    assert!(
        c["advice"].as_str().unwrap().contains("--allow-basic"),
        "{c:#}"
    );
}
