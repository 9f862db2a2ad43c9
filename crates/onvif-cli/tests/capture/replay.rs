//! `sim --replay`: recorded events on their timeline, quirky cameras, push subscribers,
//! impossible times and refused requests.

use super::*;

/// Events printed by `events --json`: topic, operation and data, in order.
fn event_lines(o: &std::process::Output) -> Vec<String> {
    stdout(o)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| {
            format!(
                "{} {} {}",
                v["topic"]["path"], v["property_operation"], v["data"]
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recorded_events_come_again_on_their_timeline() {
    let sim = Sim::builder()
        .config(|c| c.events_motion_every(std::time::Duration::from_millis(800)))
        .start()
        .await;
    let dir = scratch_dir("capture-events");
    let har = dir.join("events.har");
    let live = cli!()
        .run_on(
            &sim,
            &[
                "--capture",
                har.to_str().unwrap(),
                "--json",
                "events",
                "--for",
                "2500ms",
            ],
        )
        .await;
    assert!(live.status.success(), "{}", stderr(&live));
    let recorded = event_lines(&live);
    assert!(
        recorded.iter().filter(|l| l.contains("Changed")).count() >= 2,
        "{recorded:#?}"
    );
    // Twice as fast: the whole recorded timeline fits in the same window.
    let replay = replay_with(&har, &sim, &["--speed", "2"]);
    let o = run_on_replay(&replay, &sim, &["--json", "events", "--for", "2500ms"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(event_lines(&o), recorded);
}

/// The same commands answer the same against a camera in a quirky posture and against its
/// recording replayed (its wrong addresses kept, its Digest-only login checked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quirky_cameras_replay_with_the_same_answers() {
    use onvif_sim::{AuthMode, Quirk};
    let dir = scratch_dir("capture-quirky");
    type Posture = fn(onvif_sim::SimConfig) -> onvif_sim::SimConfig;
    let postures: [(&str, Posture); 2] = [
        ("addresses", |c| {
            c.quirk(Quirk::LyingXAddrsZero).quirk(Quirk::EmptyServices)
        }),
        ("digest", |c| c.auth(AuthMode::HttpDigest)),
    ];
    for (name, posture) in postures {
        let sim = Sim::builder().config(posture).start().await;
        let har = dir.join(format!("{name}.har"));
        let o = cli!()
            .run_on(&sim, &["capture", "-o", har.to_str().unwrap()])
            .await;
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let replay = replay_of(&har, &sim);
        let (live_port, replay_port) = (
            format!(":{}", sim.addr().port()),
            format!(":{}", replay.host().rsplit(':').next().unwrap()),
        );
        for cmd in [
            &["info"][..],
            &["profiles"],
            &["stream-uri"],
            &["snapshot-uri"],
            &["services"],
        ] {
            let mut rest = vec!["--json"];
            rest.extend_from_slice(cmd);
            let live = cli!().run_on(&sim, &rest).await;
            assert!(live.status.success(), "{name} {cmd:?}: {}", stderr(&live));
            let mut args = vec![
                "-H".to_owned(),
                replay.host(),
                "-u".into(),
                sim.user().into(),
                "-p".into(),
                sim.password().into(),
            ];
            args.extend(rest.iter().map(|s| s.to_string()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let replayed = cli!().run(&args).await;
            assert!(
                replayed.status.success(),
                "{name} {cmd:?}: {}",
                stderr(&replayed)
            );
            assert_eq!(
                stdout(&replayed),
                stdout(&live).replace(&live_port, &replay_port),
                "{name} {cmd:?}"
            );
        }
    }
}

/// A camera whose snapshot URI carries the password in its query: the doctor reads the
/// snapshot's guard in its replay as in the camera (the recording holds the query with the
/// password hidden, and an anonymous fetch of that would be read as "open to anyone").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_reads_a_query_password_snapshot_in_its_replay_as_in_the_camera() {
    let sim = Sim::builder()
        .config(|c| c.quirk(onvif_sim::Quirk::SnapshotUriQueryCredentials))
        .start()
        .await;
    let har = scratch_dir("capture-query-password").join("query.har");
    let o = cli!()
        .run_on(&sim, &["capture", "-o", har.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let replay = replay_of(&har, &sim);
    let guard = |o: &std::process::Output| {
        let checks = json(o);
        let c = checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["area"] == "media" && c["check"] == "snapshot auth")
            .unwrap_or_else(|| panic!("{checks:#}"))
            .clone();
        (c["status"].clone(), c["detail"].clone())
    };
    let live = cli!().run_on(&sim, &["--json", "doctor"]).await;
    let replayed = run_on_replay(&replay, &sim, &["--json", "doctor"]).await;
    assert_eq!(guard(&live).0, "ok", "{}", stdout(&live));
    assert_eq!(guard(&replayed), guard(&live), "{}", stdout(&replayed));
}

/// `sim`'s snapshot taken with `--capture` into `har`, and a replay of that recording started:
/// the picture, the replay, and the replay's answer to a GET of the snapshot URL without
/// credentials.
async fn snapshot_replayed(
    sim: &Sim,
    har: &std::path::Path,
) -> (Vec<u8>, onvif_testkit::cli::SimProcess, reqwest::Response) {
    let live = cli!()
        .run_on(
            sim,
            &["--capture", har.to_str().unwrap(), "snapshot", "-o", "-"],
        )
        .await;
    assert!(live.status.success(), "{}", stderr(&live));
    let replay = replay_of(har, sim);
    let url = format!("http://{}/onvif/snapshot?profile=Profile_1", replay.host());
    let anonymous = reqwest::get(&url).await.unwrap();
    (live.stdout, replay, anonymous)
}

/// A snapshot the camera gave only with credentials is given by its replay only with them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guarded_snapshot_stays_guarded_in_the_replay() {
    let sim = Sim::start().await;
    let dir = scratch_dir("capture-snapshot");
    let (picture, replay, r) = snapshot_replayed(&sim, &dir.join("snapshot.har")).await;
    // Without credentials: refused, with a challenge, as the camera did.
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    // With them: the recorded picture.
    let replayed = run_on_replay(&replay, &sim, &["snapshot", "-o", "-"]).await;
    assert!(replayed.status.success(), "{}", stderr(&replayed));
    assert_eq!(replayed.stdout, picture);

    // A camera that gave its snapshot to anyone: so does its replay.
    let open = Sim::builder()
        .snapshot_auth(onvif_sim::SnapshotAuth::None)
        .start()
        .await;
    let (picture, _replay, r) = snapshot_replayed(&open, &dir.join("open.har")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap(), picture);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_subscriber_to_a_replay_gets_the_recorded_events() {
    let sim = Sim::builder()
        .config(|c| c.events_motion_every(std::time::Duration::from_millis(800)))
        .start()
        .await;
    let dir = scratch_dir("capture-push");
    let har = dir.join("tour.har");
    // capture's probes pull events and subscribe for push: both are in the recording.
    let o = cli!()
        .run_on(&sim, &["capture", "-o", har.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let replay = replay_of(&har, &sim);
    let o = run_on_replay(
        &replay,
        &sim,
        &["--json", "events", "--mode", "push", "--for", "2s"],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let got = event_lines(&o);
    assert!(
        got.iter().any(|l| l.contains("CellMotionDetector/Motion")),
        "{got:#?}\n{}",
        stderr(&o)
    );
}

/// A recording whose exchanges took longer than any duration (another tool's, or a damaged
/// one) is served all the same: those times count as none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_with_impossible_times_replays() {
    let sim = Sim::start().await;
    let dir = scratch_dir("capture-times");
    let har = dir.join("tour.har");
    let o = cli!()
        .run_on(&sim, &["capture", "-o", har.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    let entries = doc["log"]["entries"].as_array_mut().unwrap();
    // The clock's answer and the pulls (capture's probes pull events): what a replay reads
    // the times of.
    for op in [
        "GetSystemDateAndTime",
        "CreatePullPointSubscription",
        "PullMessages",
    ] {
        assert!(
            entries.iter().any(|e| e["_onvif"]["operation"] == op),
            "no {op} recorded"
        );
    }
    for e in entries.iter_mut() {
        e["time"] = serde_json::json!(1e300);
    }
    let bad = dir.join("times.har");
    std::fs::write(&bad, serde_json::to_string(&doc).unwrap()).unwrap();
    let replay = replay_of(&bad, &sim);
    assert!(!replay.url.is_empty(), "the replay did not start");
    let o = run_on_replay(&replay, &sim, &["--json", "info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
}

/// HTTP Digest refuses the first request of every exchange (401 and a challenge): that refusal
/// takes no recorded answer, so the first answer given is the first one recorded.
#[tokio::test]
async fn a_refused_request_takes_no_recorded_answer() {
    use onvif::proto::ops::device::GetDeviceInformation;
    use onvif_testkit::http::{DEVICE, Req, digest, envelope_of};
    let request = envelope_of(&GetDeviceInformation, None);
    let entry = |firmware: &str| {
        serde_json::json!({
            "startedDateTime": "2026-01-01T12:00:00Z",
            "request": {
                "method": "POST",
                "url": format!("http://192.0.2.1{DEVICE}"),
                "headers": [{
                    "name": "Authorization",
                    "value": r#"Digest username="admin", response="[redacted]""#,
                }],
                "postData": {"mimeType": "application/soap+xml", "text": request},
            },
            "response": {
                "status": 200,
                "content": {
                    "mimeType": "application/soap+xml",
                    "text": format!("<firmware>{firmware}</firmware>"),
                },
            },
        })
    };
    let doc = serde_json::json!({"log": {"entries": [entry("A"), entry("B")]}});
    let har = onvif::proto::har::Har::parse(doc.to_string().as_bytes()).unwrap();
    let replay = onvif_sim::Replay::from_har(&har).unwrap();
    assert!(replay.digest_seen);
    let cam = Sim::builder()
        .auth(onvif_sim::AuthMode::HttpDigest)
        .config(|c| c.replay(replay))
        .start()
        .await;
    let r = Req::post(DEVICE, &request).send(cam.addr()).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let challenge = r.header("www-authenticate").unwrap().to_owned();
    let mut given = Vec::new();
    for nc in 1..=3 {
        let auth = digest::authorization(&challenge, "MD5", "POST", DEVICE, cam.password(), nc);
        let r = Req::post(DEVICE, &request)
            .header("Authorization", &auth)
            .send(cam.addr())
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        given.push(r.body);
    }
    assert_eq!(
        given,
        [
            "<firmware>A</firmware>",
            "<firmware>B</firmware>",
            "<firmware>B</firmware>"
        ]
    );
}
