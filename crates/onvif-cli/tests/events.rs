//! `onvif events` against the simulated camera.
#![allow(clippy::unwrap_used)]

use std::process::{Output, Stdio};
use std::time::Duration;

use onvif_testkit::{Sim, cli, scratch_dir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_json_prints_motion_lines_and_lifecycle_on_stderr() {
    let h = Sim::builder()
        .events_motion_every(Duration::from_millis(400))
        .start()
        .await;
    let o = cli!()
        .run_on(&h, &["events", "--json", "--for", "3s"])
        .await;
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
    // The rule a motion event names is the one the analytics service lists.
    let o = cli!().run_on(&h, &["--json", "analytics", "rules"]).await;
    let rules: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rule = rules[0]["name"].as_str().unwrap();
    for v in &changed {
        assert!(
            v.to_string().contains(&format!("\"{rule}\"")),
            "{rule}: {v}"
        );
        assert_eq!(v["kind"]["kind"], "motion", "{v}");
        assert_eq!(v["topic"]["path"], "RuleEngine/CellMotionDetector/Motion");
        assert_eq!(v["topic"]["ns"], "http://www.onvif.org/ver10/topics");
        assert_eq!(v["camera"], h.addr().to_string());
    }
    assert!(err.contains("subscribed"), "{err}");
    assert!(err.contains("closed"), "{err}");
    assert_eq!(h.event_subscriptions(), 0, "unsubscribed on exit");
    // Without --lifecycle standard output carries events only.
    assert!(lines.iter().all(|v| v.get("lifecycle").is_none()), "{out}");

    // With it, the lifecycle too, among the events: what a program needs to see outages.
    let o = cli!()
        .run_on(&h, &["--json", "events", "--lifecycle", "--for", "2s"])
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines
        .iter()
        .filter_map(|v| v["lifecycle"].as_str())
        .collect();
    assert_eq!(kinds.first(), Some(&"subscribed"), "{out}");
    assert_eq!(kinds.last(), Some(&"closed"), "{out}");
    let subscribed = lines
        .iter()
        .find(|v| v["lifecycle"] == "subscribed")
        .unwrap();
    assert_eq!(subscribed["camera"], h.addr().to_string());
    assert!(
        subscribed["text"]
            .as_str()
            .unwrap()
            .starts_with("subscribed"),
        "{subscribed}"
    );
    assert!(
        lines.iter().any(|v| v["property_operation"] == "Changed"),
        "{out}"
    );
    // It is a JSON option.
    let o = cli!()
        .run_on(&h, &["events", "--lifecycle", "--for", "1s"])
        .await;
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let o = cli!().run_on(&h, &["events", "properties"]).await;
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(
        out.contains("CellMotionDetector") && out.contains("IsMotion:xs:boolean"),
        "{out}"
    );
    let o = cli!().run_on(&h, &["--json", "events", "properties"]).await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["topics"][0]["name"], "RuleEngine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_in_push_mode() {
    let h = Sim::builder()
        .events_motion_every(Duration::from_millis(400))
        .start()
        .await;
    let o = cli!()
        .run_on(
            &h,
            &[
                "events",
                "--mode",
                "push",
                "--listen",
                "127.0.0.1:0",
                "--liveness",
                "2s",
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
    assert!(
        err.contains("checking it every 2.0 s (Renew), so a camera restart is noticed"),
        "{err}"
    );
}

/// A camera that grants one second is renewed every 0.8 s: that is said once, as it is (it
/// grants short times; it does not ignore relative ones), the renewals are not written one
/// by one, and nothing is coloured on a stderr that is not a terminal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_granting_short_times_is_told_once_and_plainly() {
    let h = Sim::builder()
        .config(|c| c.event_quirk(onvif_sim::EventQuirk::ShortGrants))
        .start()
        .await;
    let o = cli!().run_on(&h, &["events", "--for", "4s"]).await;
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains('\x1b'), "colour on a pipe: {err:?}");
    assert!(
        err.contains("the camera grants only 1.0 s of the 60.0 s asked"),
        "{err}"
    );
    assert!(!err.contains("ignores relative times"), "{err}");
    assert!(!err.contains("WARN"), "{err}");
    let renewed = err
        .lines()
        .filter(|l| l.starts_with("events: renewed"))
        .count();
    assert_eq!(renewed, 1, "{err}");
    assert!(
        h.stats().operation("Renew") >= 3,
        "renewed all the same: {err}"
    );
}

/// `onvif` with `rest` against `h`, running, once its session is subscribed and a pull
/// waits.
async fn following(h: &Sim, rest: &[&str]) -> std::process::Child {
    let mut args = h.cli_args();
    args.extend(rest.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let child = cli!()
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    h.pulls_waiting(1).await;
    child
}

/// The camera's password changes while events are followed: the session gives up (asking
/// again could lock the account), and `events` ends with the exit code of refused
/// credentials, not as if the user had stopped it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_end_events_with_the_auth_exit_code() {
    let h = Sim::start().await;
    let child = following(&h, &["--json", "events", "--for", "60s"]).await;
    let before = h.stats().auth_failures;
    h.set_password("changed-on-the-camera");
    // The waiting pull ends with this event; the next one is refused.
    h.emit_motion(true);
    let o = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("credentials are refused"), "{err}");
    assert!(err.contains("error: events stopped"), "{err}");
    // Given up at once: the account is not hammered.
    let refused = h.stats().auth_failures - before;
    assert!((1..=3).contains(&refused), "{refused} refused logins");
}

/// The camera dies while events are followed, and is not back when `--for` ends: `events`
/// says the subscription was lost, with the network's exit code, not a success.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_gone_at_the_end_ends_events_with_the_network_exit_code() {
    let h = Sim::start().await;
    let child = following(&h, &["events", "--for", "4s"]).await;
    h.power_off(false);
    let o = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{err}");
    assert!(err.contains("the subscription was lost"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_current_shows_one_topic() {
    let h = Sim::builder().start().await;
    h.emit_tamper(true);
    let o = cli!()
        .run_on(
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
    let o = cli!().run_on(&h, &["events", "current"]).await;
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_unsubscribe_lets_the_subscription_expire() {
    let h = Sim::builder().start().await;
    let o = cli!()
        .run_on(&h, &["events", "--no-unsubscribe", "--for", "1s"])
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(h.event_subscriptions(), 1, "left to expire on the camera");
    let o = cli!().run_on(&h, &["events", "--for", "1s"]).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        h.event_subscriptions(),
        1,
        "the second one was unsubscribed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn periodic_digital_input_and_tamper_events_arrive_with_their_kinds() {
    let h = Sim::builder()
        .config(|c| {
            c.events_input_every(Duration::from_millis(300))
                .events_tamper_every(Duration::from_millis(300))
        })
        .start()
        .await;
    let o = cli!()
        .run_on(&h, &["events", "--json", "--for", "2s"])
        .await;
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

/// A PullMessages answer as saved from a camera: a motion message, a Hikvision alarm input
/// (a vendor step under an ONVIF topic) and a link status change with an ElementItem.
const SAVED_PULL: &str = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:ns9="http://www.onvif.org/ver10/topics" xmlns:hk="http://www.hikvision.com/2011/event/topics"><env:Body><tev:PullMessagesResponse><tev:CurrentTime>2026-03-01T10:00:01Z</tev:CurrentTime><tev:TerminationTime>2026-03-01T10:01:01Z</tev:TerminationTime>
<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">ns9:RuleEngine/CellMotionDetector/Motion</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-03-01T10:00:00Z" PropertyOperation="Changed"><tt:Source><tt:SimpleItem Name="Rule" Value="MyMotion"/></tt:Source><tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>
<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">ns9:Device/Trigger/hk:AlarmIn</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-03-01T10:00:00Z" PropertyOperation="Changed"><tt:Source><tt:SimpleItem Name="AlarmInToken" Value="AlarmIn_1"/></tt:Source><tt:Data><tt:SimpleItem Name="State" Value="false"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>
<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">ns9:Monitoring/LinkStatus</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-03-01T10:00:00Z" PropertyOperation="Changed"><tt:Source><tt:SimpleItem Name="InterfaceToken" Value="eth0"/></tt:Source><tt:Data><tt:ElementItem Name="Link"><tt:Link><tt:AutoNegotiation>true</tt:AutoNegotiation><tt:Speed>100</tt:Speed><tt:Duplex>Full</tt:Duplex></tt:Link></tt:ElementItem></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>
</tev:PullMessagesResponse></env:Body></env:Envelope>"#;

fn decode(args: &[&str]) -> (Output, serde_json::Value) {
    let mut c = cli!().command(&["decode"]);
    c.args(args);
    let o = c.output().unwrap();
    let v = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (o, v)
}

#[test]
fn decode_shows_each_saved_event_kind_and_element_items() {
    let dir = scratch_dir("decode");
    let saved = dir.join("pull.xml");
    std::fs::write(&saved, SAVED_PULL).unwrap();
    let saved = saved.to_str().unwrap();

    // The built-in table, as `onvif events` uses it.
    let (o, v) = decode(&[saved]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = &v["data"]["messages"];
    assert_eq!(m[0]["kind"]["kind"], "motion", "{v}");
    assert_eq!(m[0]["kind"]["active"], true);
    assert_eq!(m[1]["kind"], serde_json::Value::Null, "no built-in rule");
    assert_eq!(m[1]["topic"]["steps"][2]["name"], "AlarmIn");
    assert_eq!(
        m[1]["topic"]["steps"][2]["ns"],
        "http://www.hikvision.com/2011/event/topics"
    );
    let link = &m[2]["message"]["data_elements"][0];
    assert_eq!(link["name"], "Link");
    assert_eq!(link["element"]["children"][1]["text"], "100");

    // With a user's rules, matched on the vendor step's namespace.
    let kinds = dir.join("kinds.txt");
    std::fs::write(
        &kinds,
        "xmlns:hik http://www.hikvision.com/2011/event/topics\n\
         Device/Trigger/hik:AlarmIn  State  alarm-input\n",
    )
    .unwrap();
    let (o, v) = decode(&["--kinds", kinds.to_str().unwrap(), saved]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = &v["data"]["messages"];
    assert_eq!(m[1]["kind"]["kind"], "alarm-input", "{v}");
    assert_eq!(m[1]["kind"]["active"], false);
    assert_eq!(m[0]["kind"]["kind"], "motion", "built-in rules still apply");

    // A broken rules file is a usage error naming it.
    std::fs::write(&kinds, "nope:AlarmIn State x\n").unwrap();
    let (o, _) = decode(&["--kinds", kinds.to_str().unwrap(), saved]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("kinds.txt") && err.contains("xmlns:nope"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn element_items_travel_from_the_simulator_to_the_output() {
    let h = Sim::builder().strict(false).start().await;
    let topic = ["events", "current", "--topic", "tns1:Monitoring/LinkStatus"];
    let o = cli!().run_on(&h, &topic).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("no current message"));

    h.emit_link_status(1000);
    let o = cli!().run_on(&h, &topic).await;
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("Monitoring/LinkStatus (http://www.onvif.org/ver10/topics)")
            && out.contains("source: InterfaceToken=eth0")
            && out.contains("data: Link={AutoNegotiation=true Speed=1000 Duplex=Full}"),
        "{out}"
    );
    let mut json = vec!["--json"];
    json.extend(topic);
    let o = cli!().run_on(&h, &json).await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let link = &v["data_elements"][0];
    assert_eq!(link["name"], "Link", "{v}");
    assert_eq!(link["element"]["ns"], "http://www.onvif.org/ver10/schema");
    assert_eq!(link["element"]["children"][1]["name"], "Speed");
    assert_eq!(link["element"]["children"][1]["text"], "1000");

    let o = cli!().run_on(&h, &["events", "properties"]).await;
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("LinkStatus")
            && out.contains("data: Link:tt:NetworkInterfaceConnectionSetting (element)"),
        "{out}"
    );
}
