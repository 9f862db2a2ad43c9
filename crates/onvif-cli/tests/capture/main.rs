//! Recordings: `capture` and `--capture` write HAR with every secret redacted, `decode`
//! reads them, and `sim --replay` serves one as the camera it recorded, so that the same
//! commands give the same answers against the replay as against the camera.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use onvif_testkit::{Sim, cli, scratch_dir, stderr, stdout};
use serde_json::Value;

mod diff;
mod replay;

/// A password no one could mistake, with characters base64 and URL encoding change.
const SECRET: &str = "Zebra+Ocelot/42%&=";

/// `sim --replay HAR` on a free port, with `sim`'s user and password (and `extra` flags).
fn replay_of(har: &std::path::Path, sim: &Sim) -> onvif_testkit::cli::SimProcess {
    replay_with(har, sim, &[])
}

fn replay_with(har: &std::path::Path, sim: &Sim, extra: &[&str]) -> onvif_testkit::cli::SimProcess {
    let har = har.to_str().unwrap();
    let mut args = vec!["sim", "--port", "0", "--replay", har];
    args.extend_from_slice(extra);
    args.extend(["-u", sim.user(), "-p", sim.password()]);
    cli!().start_sim(&args)
}

/// `onvif -H REPLAY -u USER -p PASSWORD REST...` with `sim`'s user and password.
async fn run_on_replay(
    replay: &onvif_testkit::cli::SimProcess,
    sim: &Sim,
    rest: &[&str],
) -> std::process::Output {
    let host = replay.host();
    let mut args = vec!["-H", &host, "-u", sim.user(), "-p", sim.password()];
    args.extend_from_slice(rest);
    cli!().run(&args).await
}

fn url_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every form in which the password could leak.
fn forms_of(secret: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    vec![
        secret.to_owned(),
        b64.encode(secret),
        b64.encode(format!("admin:{secret}")),
        url_encoded(secret),
        secret.replace('&', "&amp;"),
    ]
}

/// The text of every WS-Security Password and Nonce element in a request body (by local
/// name and namespace, as the recording is XML).
fn security_values(body: &str) -> Vec<String> {
    let Ok(env) = onvif::proto::Envelope::parse(body.as_bytes()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    fn walk(e: &onvif::proto::xml::Element, out: &mut Vec<String>) {
        if e.is(onvif::proto::ns::WSSE, "Password") || e.is(onvif::proto::ns::WSSE, "Nonce") {
            out.push(e.text.trim().to_owned());
        }
        for c in &e.children {
            walk(c, out);
        }
    }
    if let Some(h) = &env.header {
        walk(h, &mut out);
    }
    out
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(o), stderr(o)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_holds_no_secret_and_replays_as_the_camera_it_recorded() {
    let sim = Sim::builder().password(SECRET).start().await;
    let dir = scratch_dir("capture-replay");
    let har = dir.join("cam.har");
    let har_s = har.to_str().unwrap();
    let o = cli!().run_on(&sim, &["capture", "-o", har_s]).await;
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("recorded"), "{}", stderr(&o));
    assert!(stdout(&o).contains("questions answered"), "{}", stdout(&o));

    // No secret, in any encoding; every WS-Security digest and nonce replaced.
    let text = std::fs::read_to_string(&har).unwrap();
    for form in forms_of(SECRET) {
        assert!(!text.contains(&form), "{form:?} is in the recording");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    let entries = doc["log"]["entries"].as_array().unwrap();
    assert!(entries.len() > 20, "{} exchanges", entries.len());
    let mut secured = 0;
    for e in entries {
        let body = e["request"]["postData"]["text"].as_str().unwrap_or("");
        for v in security_values(body) {
            assert_eq!(v, "[redacted]", "{body}");
            secured += 1;
        }
        for h in e["request"]["headers"].as_array().unwrap() {
            if h["name"] == "Authorization" {
                let v = h["value"].as_str().unwrap();
                assert!(
                    !v.contains("response=") || v.contains("response=\"[redacted]\""),
                    "{v}"
                );
            }
        }
    }
    assert!(secured > 0, "the tour authenticated with WS-Security");
    // Each encoder configuration's options, as `encoders options` asks them.
    let options = entries
        .iter()
        .filter(|e| e["_onvif"]["operation"] == "GetVideoEncoderConfigurationOptions")
        .count();
    assert_eq!(options, 3, "one per encoder configuration");
    assert_eq!(doc["log"]["_onvif"]["model"], "onvif-sim");
    assert!(
        entries
            .iter()
            .all(|e| e["_onvif"]["operation"].is_string() || e["request"]["method"] == "GET")
    );

    // decode: every exchange, decoded.
    let o = cli!().run(&["decode", har_s]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let decoded = json(&o);
    let exchanges = decoded["exchanges"].as_array().unwrap();
    assert_eq!(exchanges.len(), entries.len());
    let info = exchanges
        .iter()
        .find(|x| x["operation"] == "GetDeviceInformation" && x["status"] == 200)
        .unwrap();
    assert_eq!(info["answer"]["kind"], "typed");

    // The replay answers as the camera did.
    let replay = cli!().start_sim(&[
        "sim",
        "--port",
        "0",
        "--strict",
        "--replay",
        har_s,
        "-u",
        sim.user(),
        "-p",
        SECRET,
    ]);
    let on_replay = |rest: &[&str]| {
        let mut args = vec![
            "-H".to_owned(),
            replay.host(),
            "-u".into(),
            sim.user().into(),
            "-p".into(),
            SECRET.into(),
        ];
        args.extend(rest.iter().map(|s| s.to_string()));
        args
    };
    for cmd in [
        &["info"][..],
        &["profiles"],
        &["stream-uri"],
        &["snapshot-uri"],
        &["ptz", "status"],
        &["events", "properties"],
        &["services"],
        &["capabilities"],
        &["imaging"],
        &["dns"],
        &["protocols"],
        &["gateway"],
        &["osd"],
        &["osd", "options"],
        &["relay", "options"],
        &["inputs"],
        &["analytics", "modules"],
        &["analytics", "motion-region"],
        &["recordings"],
        &["recordings", "jobs"],
        &["recordings", "summary"],
        &["recordings", "replay-uri", "Recording_1"],
    ] {
        let mut rest = vec!["--json"];
        rest.extend_from_slice(cmd);
        let live = cli!().run_on(&sim, &rest).await;
        assert!(live.status.success(), "{cmd:?}: {}", stderr(&live));
        let args = on_replay(&rest);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let replayed = cli!().run(&args).await;
        assert!(replayed.status.success(), "{cmd:?}: {}", stderr(&replayed));
        // The camera's own addresses are the replay's there; a PTZ status says when it was
        // asked, which differs between the recording and now.
        let expected = stdout(&live).replace(&sim.host(), &replay.host());
        let timeless = |t: &str| {
            let mut v: Value = serde_json::from_str(t).unwrap();
            if let Some(m) = v.as_object_mut() {
                m.remove("utc_time");
            }
            v
        };
        assert_eq!(timeless(&stdout(&replayed)), timeless(&expected), "{cmd:?}");
    }

    // The replay checks credentials as a camera does.
    let args = on_replay(&["info"]);
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args[5] = "wrong";
    let refused = cli!().run(&args).await;
    assert!(!refused.status.success());
    // An operation never recorded is not supported.
    let args = on_replay(&["raw", "GetSystemUris"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = cli!().run(&args).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("ActionNotSupported") || stdout(&o).contains("ActionNotSupported"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capture_records_any_command_even_a_failed_one() {
    let sim = Sim::builder().password(SECRET).start().await;
    let dir = scratch_dir("capture-any");
    let har = dir.join("info.har");
    let har_s = har.to_str().unwrap();
    let o = cli!().run_on(&sim, &["--capture", har_s, "info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    let ops: Vec<&str> = doc["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["_onvif"]["operation"].as_str())
        .collect();
    assert!(ops.contains(&"GetDeviceInformation"), "{ops:?}");

    // Refused credentials: the command fails, and the recording shows the refusal.
    let o = cli!()
        .run(&[
            "-H",
            &sim.host(),
            "-u",
            sim.user(),
            "-p",
            "not-it",
            "--capture",
            har_s,
            "info",
        ])
        .await;
    assert!(!o.status.success());
    let text = std::fs::read_to_string(&har).unwrap();
    assert!(!text.contains("not-it"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert!(
        doc["log"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["response"]["status"].as_u64().unwrap_or(0) >= 400),
        "{text}"
    );
}

/// A request made by hand (`raw`) may carry a password the tool does not know of: the
/// recording and the trace show none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_in_a_raw_request_is_neither_recorded_nor_traced() {
    let sim = Sim::builder().password(SECRET).start().await;
    let dir = scratch_dir("capture-raw");
    let har = dir.join("raw.har");
    let body = dir.join("create.xml");
    std::fs::write(
        &body,
        r#"<tds:CreateUsers xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><tds:User><tt:Username>guard</tt:Username><tt:Password>Raw-P4ss-9</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User></tds:CreateUsers>"#,
    )
    .unwrap();
    let o = cli!()
        .run_on(
            &sim,
            &[
                "--trace",
                "--capture",
                har.to_str().unwrap(),
                "raw",
                body.to_str().unwrap(),
            ],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        sim.users().iter().any(|(u, _)| u == "guard"),
        "the request went"
    );
    let text = std::fs::read_to_string(&har).unwrap();
    assert!(
        text.contains("guard") && text.contains("[redacted]"),
        "{text}"
    );
    assert!(!text.contains("Raw-P4ss-9"), "{text}");
    assert!(
        !stderr(&o).contains("Raw-P4ss-9"),
        "the trace: {}",
        stderr(&o)
    );
    // It names accounts: readable by its owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&har).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "mode {mode:o}");
    }
}

/// A recording names the camera by the address typed, without the user-info typed in it:
/// with or without a scheme, whatever the password holds. The connection is refused (no
/// credentials in addresses), and the recording is written all the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_names_the_camera_without_credentials_typed_in_its_address() {
    let dir = scratch_dir("capture-address");
    let addr = onvif_testkit::peer::closed_port();
    let hosts = [
        format!("admin:Q9/typed@{addr}"),
        format!("admin:Q9-typed@{addr}"),
        format!("http://admin:Q9/typed@{addr}/onvif/device_service"),
        format!("http://admin:Q9?t#y@ped@{addr}"),
    ];
    for (i, host) in hosts.iter().enumerate() {
        let har = dir.join(format!("{i}.har"));
        let o = cli!()
            .run(&["-H", host, "--capture", har.to_str().unwrap(), "info"])
            .await;
        assert_eq!(o.status.code(), Some(2), "{host}: {}", stderr(&o));
        let text = std::fs::read_to_string(&har).unwrap();
        for leak in ["Q9", "admin"] {
            assert!(!text.contains(leak), "{host}: {text}");
            assert!(!stderr(&o).contains(leak), "{host}: {}", stderr(&o));
        }
        let doc: Value = serde_json::from_str(&text).unwrap();
        let device = doc["log"]["_onvif"]["device"].as_str().unwrap();
        assert!(
            device.contains(&format!("[credentials]@{addr}")),
            "{device}"
        );
    }
}

/// A recording to standard output (a link to a pipe here) is written to it, the link left.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_to_dev_stdout_is_written_there() {
    let kind = || std::fs::symlink_metadata("/dev/stdout").map(|m| m.file_type());
    let before = kind().ok();
    let sim = Sim::builder().password(SECRET).start().await;
    let o = cli!()
        .run_on(&sim, &["--capture", "/dev/stdout", "info"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(r#""entries""#), "{}", stdout(&o));
    assert_eq!(kind().ok(), before, "/dev/stdout is left as it was");
}

/// A recording that cannot be written stops the command before anything is sent: a change
/// is not made and then reported as a failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_that_cannot_be_written_stops_the_command_before_it_is_sent() {
    let sim = Sim::builder().password(SECRET).start().await;
    let dir = scratch_dir("capture-unwritable");
    let har = dir.join("no-such-folder").join("x.har");
    let h = har.to_str().unwrap();
    for args in [
        vec!["--capture", h, "hostname", "set", "cam-9"],
        vec!["capture", "-o", h],
    ] {
        let o = cli!().run_on(&sim, &args).await;
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write the recording"),
            "{args:?}: {err}"
        );
        assert_eq!(sim.stats().requests, 0, "{args:?}");
    }
    let o = cli!().run_on(&sim, &["hostname"]).await;
    assert!(!stdout(&o).contains("cam-9"), "{}", stdout(&o));
}

/// A command that talks to no one camera is not recorded: asking for a recording of one is a
/// usage error, not a silent nothing.
#[tokio::test]
async fn a_capture_of_a_command_that_records_nothing_is_refused() {
    let dir = scratch_dir("capture-nothing");
    let har = dir.join("x.har");
    let h = har.to_str().unwrap();
    for args in [
        vec!["--capture", h, "shell"],
        vec!["--capture", h, "discover"],
        vec!["--capture", h, "decode", h],
    ] {
        let o = cli!().run(&args).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not recorded"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!har.exists());
    }
}

#[tokio::test]
async fn bad_recordings_are_named_not_served() {
    let dir = scratch_dir("capture-bad");
    let cases: [(&str, &str, &str); 4] = [
        ("page.har", "<html>hello</html>", "not JSON"),
        ("other.har", r#"{"entries": []}"#, "no \"log\""),
        ("cut.har", r#"{"log":{"entries":[{"request":"#, "not JSON"),
        (
            "nodevice.har",
            r#"{"log":{"entries":[{"request":{"method":"GET","url":"http://192.0.2.1/snap.jpg"},
                "response":{"status":200,"content":{"mimeType":"image/jpeg","text":""}}}]}}"#,
            "no answer from the device service",
        ),
    ];
    for (name, content, says) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let p = path.to_str().unwrap();
        let o = cli!().run(&["sim", "--port", "0", "--replay", p]).await;
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(name), "{name}: {}", stderr(&o));
        if name == "other.har" || name == "cut.har" {
            let o = cli!().run(&["decode", p]).await;
            assert!(!o.status.success(), "{name}");
            assert!(stderr(&o).contains(says), "{name}: {}", stderr(&o));
            // diff names the file that is wrong, whichever side it is on.
            let o = cli!().run(&["diff", p, p]).await;
            assert_eq!(o.status.code(), Some(2), "{name}");
            assert!(
                stderr(&o).contains(says) && stderr(&o).contains(name),
                "{name}: {}",
                stderr(&o)
            );
        }
    }
}
