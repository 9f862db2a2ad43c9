//! `relay`, `inputs`, `focus` and the simulator's console on the real binary, against the
//! simulated camera on 127.0.0.1: text and `--json`, each change checked on the camera, and
//! bad input refused with a message that names it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::time::Duration;

use onvif::events::{EventSession, SessionConfig, SessionItem};
use onvif::proto::ops::events::PropertyOperation;
use onvif::{Camera, Config, Credentials};
use onvif_testkit::{PASSWORD, Sim, USER, cli, json, stderr, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relays_are_listed_set_and_changed() {
    let h = Sim::start().await;
    let o = cli!().run_on(&h, &["relay"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("RELAY") && text.contains("RelayOutput_2"),
        "{text}"
    );
    assert!(
        text.contains("Monostable") && text.contains("1 s"),
        "{text}"
    );
    let v = json(&cli!().run_on(&h, &["--json", "relay", "list"]).await);
    assert_eq!(v[0]["token"], "RelayOutput_1");
    assert_eq!(v[1]["properties"]["mode"], "Monostable");
    assert_eq!(v[1]["properties"]["delay_time"], "PT1S");

    let v = json(
        &cli!()
            .run_on(&h, &["--json", "relay", "set", "RelayOutput_1", "on"])
            .await,
    );
    assert_eq!(v["state"], "active");
    assert_eq!(h.relay_state("RelayOutput_1"), Some(true));
    let o = cli!()
        .run_on(&h, &["relay", "set", "RelayOutput_1", "off"])
        .await;
    assert!(
        stdout(&o).contains("RelayOutput_1: inactive"),
        "{}",
        stdout(&o)
    );
    assert_eq!(h.relay_state("RelayOutput_1"), Some(false));
    // Held, then released by the tool.
    let v = json(
        &cli!()
            .run_on(
                &h,
                &[
                    "--json",
                    "relay",
                    "set",
                    "RelayOutput_1",
                    "on",
                    "--for",
                    "50ms",
                ],
            )
            .await,
    );
    assert_eq!(v["state"], "inactive");
    assert_eq!(v["held_for"], "PT0.05S");
    assert_eq!(h.relay_state("RelayOutput_1"), Some(false));

    let v = json(
        &cli!()
            .run_on(
                &h,
                &[
                    "--json",
                    "relay",
                    "mode",
                    "RelayOutput_1",
                    "monostable",
                    "--delay",
                    "2500ms",
                    "--idle",
                    "closed",
                ],
            )
            .await,
    );
    assert_eq!(v[0]["properties"]["mode"], "Monostable");
    assert_eq!(v[0]["properties"]["delay_time"], "PT2.5S");
    assert_eq!(v[0]["properties"]["idle_state"], "closed");
    // Read back by a second command.
    let v = json(&cli!().run_on(&h, &["--json", "relay"]).await);
    assert_eq!(v[0]["properties"]["delay_time"], "PT2.5S");

    let v = json(&cli!().run_on(&h, &["--json", "relay", "options"]).await);
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["modes"][0], "Monostable");
    let o = cli!()
        .run_on(&h, &["relay", "options", "RelayOutput_2"])
        .await;
    assert!(stdout(&o).contains("0.1 to 600 s"), "{}", stdout(&o));

    let v = json(&cli!().run_on(&h, &["--json", "inputs"]).await);
    assert_eq!(v[1]["token"], "DigitalInput_2");
    assert_eq!(v[1]["idle_state"], "closed");
    let o = cli!().run_on(&h, &["inputs"]).await;
    assert!(
        stdout(&o).contains("DigitalInput_1  open"),
        "{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_relay_commands_name_the_problem() {
    let h = Sim::start().await;
    // The camera refuses: a device error with its reason.
    let o = cli!().run_on(&h, &["relay", "set", "Gate", "on"]).await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("\"Gate\""), "{}", stderr(&o));
    // Checked before sending: the relays there are.
    let o = cli!()
        .run_on(&h, &["relay", "mode", "Gate", "bistable"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("RelayOutput_1, RelayOutput_2"),
        "{}",
        stderr(&o)
    );
    let o = cli!()
        .run_on(&h, &["relay", "set", "RelayOutput_1", "off", "--for", "1s"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--for"), "{}", stderr(&o));
    let o = cli!()
        .run_on(
            &h,
            &[
                "relay",
                "mode",
                "RelayOutput_2",
                "monostable",
                "--delay",
                "2h",
            ],
        )
        .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("7200"), "{}", stderr(&o));
    assert_eq!(h.relay_state("RelayOutput_1"), Some(false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn focus_status_moves_and_autofocus() {
    let h = Sim::start().await;
    let v = json(&cli!().run_on(&h, &["--json", "focus"]).await);
    assert_eq!(v["move_status"], "IDLE");
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "focus", "move", "--to", "0.25"])
            .await,
    );
    assert_eq!(v["position"], 0.25);
    assert_eq!(h.focus().position, 0.25);
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "focus", "move", "--far", "0.5"])
            .await,
    );
    assert_eq!(v["position"], 0.75);
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "focus", "move", "--near", "0.25"])
            .await,
    );
    assert_eq!(v["position"], 0.5);
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "focus", "move", "--speed", "-0.5"])
            .await,
    );
    assert_eq!(v["move_status"], "MOVING");
    let o = cli!().run_on(&h, &["focus", "stop"]).await;
    assert!(stdout(&o).contains("IDLE"), "{}", stdout(&o));
    let v = json(&cli!().run_on(&h, &["--json", "focus", "manual"]).await);
    assert_eq!(v, "MANUAL");
    let o = cli!().run_on(&h, &["focus", "auto"]).await;
    assert!(stdout(&o).contains("autofocus: AUTO"), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["focus", "options"]).await;
    assert!(stdout(&o).contains("Continuous speed"), "{}", stdout(&o));

    let o = cli!().run_on(&h, &["focus", "move", "--to", "5"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("outside the camera's range"),
        "{}",
        stderr(&o)
    );
    let o = cli!().run_on(&h, &["focus", "move"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = cli!()
        .run_on(&h, &["focus", "--source", "Nope", "status"])
        .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_console_toggles_an_input_and_its_event_is_sent() {
    let mut sim = cli!().start_sim(&["sim", "--port", "0", "-u", "admin", "-p", "console-Pw1"]);
    let url = onvif::Url::parse(&sim.url).unwrap();
    let cam = Camera::with_url(
        url,
        Some(Credentials::new("admin", "console-Pw1")),
        Config::default(),
    )
    .unwrap();
    let config = SessionConfig {
        pull_timeout: Duration::from_secs(5),
        ..SessionConfig::default()
    };
    let (session, mut rx) = EventSession::pull(cam, config).await.unwrap();
    // Wait for the subscription's current states, so the change comes after them.
    loop {
        let item = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .unwrap()
            .unwrap();
        if let SessionItem::Event(e) = item
            && e.topic.path == "Device/Trigger/Relay"
        {
            break;
        }
    }
    let stdin = sim.child.stdin.as_mut().unwrap();
    stdin.write_all(b"bogus\ninput 2 on\n").unwrap();
    stdin.flush().unwrap();
    let e = loop {
        let item = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .unwrap()
            .unwrap();
        if let SessionItem::Event(e) = item
            && e.property_operation == Some(PropertyOperation::Changed)
        {
            break e;
        }
    };
    assert_eq!(e.topic.path, "Device/Trigger/DigitalInput");
    assert_eq!(e.source[0].value, "DigitalInput_2");
    assert_eq!(e.data[0].value, "true");
    session.close().await;
}

/// The console's `reboot` takes the camera down at once (a command then fails with the
/// network's exit code); `reboot` alone needs a duration when `--reboot-downtime` is 0, and
/// `freeze` always does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_reboots_the_camera() {
    use std::io::{BufRead, Write};
    let mut child = cli!()
        .command(&[
            "sim",
            "--port",
            "0",
            "--reboot-downtime",
            "0",
            "-u",
            USER,
            "-p",
            PASSWORD,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_owned();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(
            b"reboot
freeze
reboot 60s
",
        )
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = Vec::new();
    while said.len() < 3 {
        let mut line = String::new();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "the console answers: {said:?}"
        );
        if line.starts_with("error:") || line.starts_with("rebooting") {
            said.push(line.trim().to_owned());
        }
    }
    assert!(said[0].contains("--reboot-downtime is 0"), "{said:?}");
    assert!(said[1].contains("freeze DURATION"), "{said:?}");
    assert_eq!(said[2], "rebooting: down for 60 s");
    let o = cli!()
        .run(&[
            "-H",
            &url,
            "-u",
            USER,
            "-p",
            PASSWORD,
            "--timeout",
            "5s",
            "info",
        ])
        .await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
}
