//! `diff` between two recordings, and `--redact-identity`.

use super::*;

/// `entries` of a recording whose operation is `op`, answered (200).
fn answers_of<'a>(doc: &'a mut Value, op: &str) -> Vec<&'a mut Value> {
    doc["log"]["entries"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .filter(|e| e["_onvif"]["operation"] == op && e["response"]["status"] == 200)
        .collect()
}

/// A recording of a replay is the recording it replays: the port the recorded camera gave
/// for its own HTTP service (GetNetworkProtocols) is its address, not a change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_of_a_replay_differs_in_nothing() {
    let dir = scratch_dir("capture-diff-replay");
    let sim = Sim::start().await;
    let (original, again) = (dir.join("a.har"), dir.join("replayed.har"));
    let o = cli!()
        .run_on(&sim, &["capture", "-o", original.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let replay = replay_of(&original, &sim);
    let o = run_on_replay(&replay, &sim, &["capture", "-o", again.to_str().unwrap()]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!()
        .run(&[
            "diff",
            "--json",
            original.to_str().unwrap(),
            again.to_str().unwrap(),
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o), serde_json::json!([]), "{}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_shows_exactly_what_changed() {
    let dir = scratch_dir("capture-diff");
    let a = Sim::start().await;
    let b = Sim::start().await;
    let (ha, hb) = (dir.join("a.har"), dir.join("b.har"));
    for (sim, path) in [(&a, &ha), (&b, &hb)] {
        let o = cli!()
            .run_on(sim, &["capture", "-o", path.to_str().unwrap()])
            .await;
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let diff = |x: &std::path::Path, y: &std::path::Path| {
        let (x, y) = (
            x.to_str().unwrap().to_owned(),
            y.to_str().unwrap().to_owned(),
        );
        async move { cli!().run(&["diff", "--json", &x, &y]).await }
    };
    // Against itself, and against another camera of the same model on another address.
    for other in [&ha, &hb] {
        let o = diff(&ha, other).await;
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(json(&o), serde_json::json!([]), "{}", stdout(&o));
    }
    let o = cli!()
        .run(&["diff", ha.to_str().unwrap(), ha.to_str().unwrap()])
        .await;
    assert_eq!(stdout(&o).trim(), "no differences");

    // A firmware upgrade that also brings a profile.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&hb).unwrap()).unwrap();
    for e in answers_of(&mut doc, "GetDeviceInformation") {
        let t = e["response"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        let start = t.find("FirmwareVersion>").unwrap() + "FirmwareVersion>".len();
        let end = start + t[start..].find('<').unwrap();
        let t = format!("{}9.9.9{}", &t[..start], &t[end..]);
        e["response"]["content"]["text"] = Value::String(t);
    }
    for e in answers_of(&mut doc, "GetProfiles") {
        let t = e["response"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        let (open, close) = (t.rfind("<tr2:Profiles ").unwrap(), "</tr2:Profiles>");
        let end = t.rfind(close).unwrap() + close.len();
        let extra = t[open..end].replace("Profile_3", "Profile_9");
        let t = format!("{}{extra}{}", &t[..end], &t[end..]);
        e["response"]["content"]["text"] = Value::String(t);
    }
    let hc = dir.join("c.har");
    std::fs::write(&hc, serde_json::to_string(&doc).unwrap()).unwrap();
    let o = diff(&ha, &hc).await;
    let changes = json(&o);
    let list = changes.as_array().unwrap();
    assert_eq!(list.len(), 2, "{changes:#}");
    assert_eq!(list[0]["question"], "GetDeviceInformation");
    assert_eq!(list[0]["path"], "data.firmware_version");
    assert_eq!(list[0]["after"], "9.9.9");
    assert_eq!(list[1]["question"], "GetProfiles");
    assert!(list[1]["before"].is_null(), "{changes:#}");
    assert_eq!(list[1]["after"]["token"], "Profile_9", "{changes:#}");
    let o = cli!()
        .run(&["diff", ha.to_str().unwrap(), hc.to_str().unwrap()])
        .await;
    assert!(
        stdout(&o).contains("changed  GetDeviceInformation  data.firmware_version"),
        "{}",
        stdout(&o)
    );
}

/// GetServiceCapabilities is asked of the device, the event and the PTZ services: each is its
/// own question, and a change in the device's answer alone is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_tells_one_operation_of_several_services_apart() {
    let sim = Sim::start().await;
    let dir = scratch_dir("capture-diff-services");
    let before = dir.join("before.har");
    let o = cli!()
        .run_on(&sim, &["capture", "-o", before.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&before).unwrap()).unwrap();
    let mut services = std::collections::BTreeSet::new();
    let mut device = 0;
    for e in answers_of(&mut doc, "GetServiceCapabilities") {
        services.insert(e["_onvif"]["namespace"].to_string());
        if e["_onvif"]["namespace"] != onvif::proto::ns::TDS {
            continue;
        }
        let t = e["response"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(t.contains(r#"NTP="1""#), "{t}");
        e["response"]["content"]["text"] = Value::String(t.replace(r#"NTP="1""#, r#"NTP="7""#));
        device += 1;
    }
    assert!(services.len() > 1, "{services:?}");
    assert!(device > 0, "no answer from the device service");
    let after = dir.join("after.har");
    std::fs::write(&after, serde_json::to_string(&doc).unwrap()).unwrap();
    let o = cli!()
        .run(&[
            "diff",
            "--json",
            before.to_str().unwrap(),
            after.to_str().unwrap(),
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let changes = json(&o);
    assert_eq!(
        changes,
        serde_json::json!([{
            "change": "changed",
            "question": "GetServiceCapabilities (device)",
            "path": "data.flags.Network.NTP",
            "before": "1",
            "after": "7",
        }]),
        "{changes:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redact_identity_replaces_serials_addresses_and_names_consistently() {
    let sim = Sim::start().await;
    let dir = scratch_dir("capture-identity");
    let plain = dir.join("plain.har");
    let hidden = dir.join("hidden.har");
    for (path, extra) in [(&plain, None), (&hidden, Some("--redact-identity"))] {
        let mut args = vec!["capture", "-o", path.to_str().unwrap()];
        args.extend(extra);
        let o = cli!().run_on(&sim, &args).await;
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // What the camera says it is, read from the plain recording.
    let mut plain_doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&plain).unwrap()).unwrap();
    let text_of = |doc: &mut Value, op: &str| {
        answers_of(doc, op)[0]["response"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let info = text_of(&mut plain_doc, "GetDeviceInformation");
    let interfaces = text_of(&mut plain_doc, "GetNetworkInterfaces");
    let between = |t: &str, tag: &str| {
        let s = t.find(&format!("{tag}>")).unwrap() + tag.len() + 1;
        t[s..s + t[s..].find('<').unwrap()].to_owned()
    };
    let serial = between(&info, "SerialNumber");
    let mac = between(&interfaces, "HwAddress");
    let text = std::fs::read_to_string(&hidden).unwrap();
    for secret in [serial.as_str(), mac.as_str(), "127.0.0.1", SECRET] {
        assert!(!text.contains(secret), "{secret:?} is in the recording");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["log"]["_onvif"]["identity_redacted"], true);
    assert!(text.contains("SERIAL-") && text.contains("192.0.2.1"));

    // Still a camera: the replay answers, with the stand-ins.
    let replay = replay_of(&hidden, &sim);
    let o = run_on_replay(&replay, &sim, &["--json", "info"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        json(&o)["serial_number"]
            .as_str()
            .unwrap()
            .starts_with("SERIAL-")
    );
    // What the camera is stays: its model, though its host name is the model too (the
    // simulator's is, as many cameras' default names are).
    assert_eq!(json(&o)["model"], "onvif-sim");
    let o = run_on_replay(&replay, &sim, &["--json", "hostname"]).await;
    assert_eq!(json(&o)["name"], "onvif-sim", "{}", stdout(&o));
}
