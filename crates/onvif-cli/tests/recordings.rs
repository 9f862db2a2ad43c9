//! `onvif recordings` and its subcommands: the real binary against the simulated camera on
//! 127.0.0.1 (its fixed timeline), text and `--json`, bad input, the shell and its completion.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use onvif_testkit::cli::Pty;
use onvif_testkit::{PASSWORD, Sim, USER, cli, scratch_dir, stderr, stdout};
use serde_json::Value;

const FROM: &str = "2026-12-01T08:00";
const TO: &str = "2026-12-01T09:00";

async fn json(h: &Sim, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = cli!().run_on(h, &all).await;
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)))
}

async fn text(h: &Sim, args: &[&str]) -> String {
    let o = cli!().run_on(h, args).await;
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recordings_lists_tokens_sources_tracks_spans_and_status() {
    let h = Sim::start().await;
    let t = text(&h, &["recordings"]).await;
    assert!(t.starts_with("TOKEN"), "{t}");
    assert!(t.contains("Recording_1"), "{t}");
    assert!(
        t.contains("VideoTrack_1 (Video), MetadataTrack_1 (Metadata)"),
        "{t}"
    );
    assert!(
        t.contains("2026-12-01T08:00:00Z") && t.contains("Recording"),
        "{t}"
    );
    let v = json(&h, &["recordings"]).await;
    assert_eq!(v[0]["token"], "Recording_1");
    assert_eq!(v[0]["earliest"], "2026-12-01T08:00:00Z");
    assert_eq!(v[1]["status"], "Stopped");
    assert_eq!(v[0]["tracks"][1]["configuration"]["track_type"], "Metadata");
    // The list runs a search to learn the spans; it is ended.
    assert!(h.open_searches().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_recordings_in_a_window_and_motion_events() {
    let h = Sim::start().await;
    let v = json(&h, &["recordings", "search", "--from", FROM, "--to", TO]).await;
    let tokens: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["token"].as_str().unwrap())
        .collect();
    assert_eq!(tokens, ["Recording_1"], "Recording_2 ended the day before");
    let t = text(
        &h,
        &[
            "recordings",
            "search",
            "--from",
            "2026-11-29T00:00",
            "--to",
            TO,
        ],
    )
    .await;
    assert!(
        t.contains("Recording_1") && t.contains("Recording_2"),
        "{t}"
    );
    let t = text(&h, &["recordings", "search", "--from", "2027-01-01T00:00"]).await;
    assert!(t.contains("No recordings in the window."), "{t}");

    let args = [
        "recordings",
        "search",
        "--from",
        FROM,
        "--to",
        TO,
        "--events",
        "motion",
    ];
    let v = json(&h, &args).await;
    let found = v.as_array().unwrap();
    assert_eq!(found.len(), 6, "{v}");
    assert_eq!(found[0]["time"], "2026-12-01T08:05:00Z");
    assert_eq!(found[0]["recording_token"], "Recording_1");
    assert_eq!(found[0]["event"]["message"]["data"][0]["value"], "true");
    let t = text(&h, &args).await;
    assert!(t.starts_with("TIME"), "{t}");
    assert!(t.contains("2026-12-01T08:27:30Z"), "{t}");
    assert!(
        t.contains("VideoSource/MotionAlarm") && t.contains("State=false"),
        "{t}"
    );
    // An offset, a raw topic and a recording scope.
    let v = json(
        &h,
        &[
            "recordings",
            "search",
            "--from",
            "2026-11-30T21:00:00+01:00",
            "--events",
            "tns1:VideoSource/MotionAlarm",
            "--recording",
            "Recording_2",
        ],
    )
    .await;
    let times: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["time"].as_str().unwrap())
        .collect();
    assert_eq!(times, ["2026-11-30T20:30:00Z", "2026-11-30T20:31:00Z"]);
    let t = text(
        &h,
        &["recordings", "search", "--from", FROM, "--events", "input"],
    )
    .await;
    assert!(t.contains("No events found."), "{t}");
    assert!(h.open_searches().is_empty(), "{:?}", h.open_searches());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_uri_jobs_and_summary() {
    let h = Sim::start().await;
    let t = text(&h, &["recordings", "replay-uri", "Recording_1"]).await;
    assert_eq!(
        t.trim(),
        format!("rtsp://{}:8554/replay/Recording_1", h.addr().ip())
    );
    let v = json(
        &h,
        &[
            "recordings",
            "replay-uri",
            "Recording_2",
            "--from",
            "2026-11-30T20:30",
        ],
    )
    .await;
    assert!(
        v["uri"].as_str().unwrap().ends_with("/replay/Recording_2"),
        "{v}"
    );
    assert_eq!(v["range"], "clock=20261130T203000Z-");
    let t = text(
        &h,
        &[
            "recordings",
            "replay-uri",
            "Recording_2",
            "--from",
            "2026-11-30T20:30",
        ],
    )
    .await;
    assert!(
        t.contains("RTSP Range") && t.contains("clock=20261130T203000Z-"),
        "{t}"
    );

    let t = text(&h, &["recordings", "jobs"]).await;
    assert!(t.contains("RecordingJob_1") && t.contains("Active"), "{t}");
    assert!(
        t.contains("Profile_1 [VIDEO->VideoTrack_1 METADATA->MetadataTrack_1]"),
        "{t}"
    );
    let v = json(&h, &["recordings", "jobs"]).await;
    assert_eq!(v[0]["configuration"]["recording_token"], "Recording_1");

    let t = text(&h, &["recordings", "summary"]).await;
    assert!(t.contains("Recordings") && t.contains('2'), "{t}");
    let v = json(&h, &["recordings", "summary"]).await;
    assert_eq!(v["data_from"], "2026-11-30T20:00:00Z");
    assert_eq!(v["data_until"], "2026-12-01T12:00:00Z");
    assert_eq!(v["number_recordings"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_clear_usage_or_device_error() {
    let h = Sim::start().await;
    // --from after --to: a usage error naming both, and nothing asked of the camera.
    let before = h.stats().operation("FindRecordings");
    let o = cli!()
        .run_on(&h, &["recordings", "search", "--from", TO, "--to", FROM])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("--from 2026-12-01T09:00:00Z") && e.contains("--to 2026-12-01T08:00:00Z"),
        "{e}"
    );
    assert_eq!(h.stats().operation("FindRecordings"), before);
    // A time that does not read says how to write one.
    let o = cli!()
        .run_on(&h, &["recordings", "search", "--from", "yesterday"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("RFC 3339") && stderr(&o).contains("--from"),
        "{}",
        stderr(&o)
    );
    // An unknown kind of event.
    let o = cli!()
        .run_on(&h, &["recordings", "search", "--events", "motoin"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("motion, input"), "{}", stderr(&o));
    // Unknown recordings: the camera's fault and its reason, exit 4.
    for args in [
        &["recordings", "replay-uri", "Recording_9"][..],
        &["recordings", "search", "--recording", "Recording_9"],
        &[
            "recordings",
            "search",
            "--events",
            "motion",
            "--from",
            FROM,
            "--recording",
            "Recording_9",
        ],
    ] {
        let o = cli!().run_on(&h, args).await;
        assert_eq!(o.status.code(), Some(4), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("NoRecording") && e.contains("Recording_9"),
            "{args:?}: {e}"
        );
        assert!(!e.contains(PASSWORD), "{e}");
    }
    assert!(h.open_searches().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_and_capabilities_show_the_new_services() {
    let h = Sim::start().await;
    let t = text(&h, &["services"]).await;
    for s in ["recording_service", "search_service", "replay_service"] {
        assert!(t.contains(s), "{s}: {t}");
    }
    let v = json(&h, &["capabilities"]).await.to_string();
    for s in ["Recording", "Search", "Replay"] {
        assert!(v.contains(&format!("\"{s}\"")), "{s}: {v}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shell_runs_recordings_commands() {
    let h = Sim::start().await;
    let input = format!(
        "recordings summary\n--json recordings search --from {FROM} --to {TO} --events motion\n"
    );
    let o = cli!().run_on_with_input(&h, &["shell"], &input).await;
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("Data until"), "{out}");
    assert!(
        out.contains("\"recording_token\": \"Recording_1\""),
        "{out}"
    );
    assert!(h.open_searches().is_empty());
}

/// Tab in the shell completes `recordings` and its subcommands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shell_completes_recordings_subcommands() {
    let h = Sim::start().await;
    let host = h.addr().to_string();
    let home = scratch_dir("recordings-shell");
    tokio::task::spawn_blocking(move || {
        let Pty {
            master: _master,
            mut child,
            mut writer,
            output,
            ..
        } = cli!()
            .home(&home)
            .var("TERM", "xterm")
            .pty(&["-H", &host, "-u", USER, "-p", PASSWORD, "shell"]);
        let mut seen = String::new();
        let expect = |needle: &str, seen: &mut String| {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if let Some(i) = seen.find(needle) {
                    seen.drain(..i + needle.len());
                    return;
                }
                let left = deadline.saturating_duration_since(Instant::now());
                match output.recv_timeout(left) {
                    Ok(c) => seen.push_str(&String::from_utf8_lossy(&c)),
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                        panic!("no {needle:?}; output: {seen:?}")
                    }
                }
            }
        };
        let prompt = format!("{host}> ");
        expect(&prompt, &mut seen);
        writer.write_all(b"recordi\t").unwrap();
        writer.flush().unwrap();
        expect("recordings", &mut seen);
        writer.write_all(b" replay\t").unwrap();
        writer.flush().unwrap();
        expect("replay-uri", &mut seen);
        writer.write_all(b" Recording_1\r").unwrap();
        writer.flush().unwrap();
        expect("/replay/Recording_1", &mut seen);
        expect(&prompt, &mut seen);
        writer.write_all(b"quit\r").unwrap();
        writer.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "the shell did not exit");
            let _ = output.recv_timeout(Duration::from_millis(20));
        }
    })
    .await
    .unwrap();
}

/// `onvif decode` types the recorded answers of these services.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_types_recorded_recording_answers() {
    let Some(dir) = onvif_testkit::captures::captures_dir() else {
        return;
    };
    for (file, needle) in [
        (
            "ex_onvif/get_recordings.xml",
            "SD_DISK_20200422_123501_A2388AB3",
        ),
        ("ex_onvif/get_recording_jobs.xml", "profile_1_h264"),
        (
            "ex_onvif/get_recording_search_results.xml",
            "OnvifRecordingToken_1",
        ),
        ("ex_onvif/get_replay_uri.xml", "onvifreplayid"),
    ] {
        let path = dir.join(file);
        let o = cli!().run(&["decode", path.to_str().unwrap()]).await;
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["kind"], "typed", "{file}: {v}");
        assert!(v.to_string().contains(needle), "{file}: {v}");
    }
}
