//! What users expect of a command-line tool: completions, a manual page, connection options
//! where they belong (before or after the command), and output a person reads easily. The real
//! `onvif` binary, against the simulated camera on 127.0.0.1 where a camera is needed.
#![allow(clippy::unwrap_used)]

use onvif_testkit::{PASSWORD, Sim, USER, cli, scratch_dir, stderr, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = cli!().run(&["completions", shell]).await;
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in ["snapshot-uri", "discover", "preset", "connect-timeout"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let o = cli!().run(&["completions", "tcsh"]).await;
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manual_page_is_roff_naming_the_tool_and_its_commands() {
    let o = cli!().run(&["manpage"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.starts_with(".ie"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains(".TH onvif 1"), "no title header");
    assert!(page.contains(".SH NAME"), "no NAME section");
    for sub in ["snapshot", "ptz", "events", "discover", "completions"] {
        assert!(page.contains(sub), "the page does not name {sub}");
    }

    let dir = scratch_dir("out");
    let o = cli!()
        .run(&["manpage", "--dir", dir.to_str().unwrap()])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    for page in ["onvif.1", "onvif-info.1", "onvif-ptz.1", "onvif-ptz-move.1"] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH "), "{page} is not roff");
    }
    let move_page = std::fs::read_to_string(dir.join("onvif-ptz-move.1")).unwrap();
    assert!(move_page.contains("pan"), "{move_page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_options_are_listed_only_where_a_camera_is_talked_to() {
    for cmd in [
        &["sim"][..],
        &["decode"],
        &["discover"],
        &["demo"],
        &["completions"],
        &["manpage"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let o = cli!().run(&args).await;
        assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
        let help = stdout(&o);
        for absent in [
            "Connection options",
            "--host",
            "--camera <",
            "--insecure",
            "--allow-basic",
            "--keep-camera-host",
            "--connect-timeout",
            "--max-response",
        ] {
            assert!(
                !help.contains(absent),
                "{cmd:?} --help lists {absent}:\n{help}"
            );
        }
    }
    for cmd in [
        &[][..],
        &["info"],
        &["ptz", "move"],
        &["events", "current"],
        &["shell"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let o = cli!().run(&args).await;
        assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
        let help = stdout(&o);
        let heading = help
            .find("Connection options:")
            .unwrap_or_else(|| panic!("{cmd:?} --help has no connection options:\n{help}"));
        // Under the heading, not among the other options.
        let host = help.find("--host").unwrap();
        assert!(
            host > heading,
            "{cmd:?}: --host before the heading:\n{help}"
        );
        assert!(help[heading..].contains("--max-response"), "{cmd:?}");
    }
    // The options every command takes come after a command's own, under their heading.
    let o = cli!().run(&["imaging", "set", "--help"]).await;
    let help = stdout(&o);
    let heading = help.find("Output options:").unwrap_or(0);
    for (own, every) in [("--backlight", "--json"), ("--wdr", "--trace")] {
        let (own, every) = (help.find(own).unwrap(), help.find(every).unwrap());
        assert!(own < heading && heading < every, "{help}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_options_work_before_and_after_the_command() {
    let h = Sim::start().await;
    let host = h.addr().to_string();
    let orders: [&[&str]; 4] = [
        &["-H", &host, "-u", USER, "-p", PASSWORD, "info"],
        &["info", "-H", &host, "-u", USER, "-p", PASSWORD],
        &["-H", &host, "info", "-u", USER, "--password", PASSWORD],
        &[
            "--timeout",
            "5s",
            "info",
            "--host",
            &host,
            "-u",
            USER,
            "-p",
            PASSWORD,
        ],
    ];
    for args in orders {
        let o = cli!().run(args).await;
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("onvif-sim"), "{args:?}: {}", stdout(&o));
    }
    // Nested commands take them after their own name too.
    let o = cli!()
        .run(&[
            "ptz", "move", "--pan", "0.2", "-H", &host, "-u", USER, "-p", PASSWORD,
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!()
        .run(&["ptz", "-H", &host, "-u", USER, "-p", PASSWORD, "presets"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));

    // Given twice, the one written nearer the command wins, in either direction.
    let o = cli!()
        .run(&[
            "-H", &host, "-u", USER, "-p", "wrong", "info", "-p", PASSWORD,
        ])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!()
        .run(&[
            "-H", &host, "-u", USER, "-p", PASSWORD, "info", "-p", "wrong",
        ])
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));

    // Before such a command they are accepted (they are top-level options) but named as
    // unused; the ones it does use are not.
    let dir = scratch_dir("out");
    let saved = dir.join("empty.xml");
    std::fs::write(&saved, "").unwrap();
    let o = cli!()
        .run(&["-H", &host, "--insecure", "decode", saved.to_str().unwrap()])
        .await;
    let err = stderr(&o);
    assert!(
        err.contains("note: --host is not used by `decode`"),
        "{err}"
    );
    assert!(
        err.contains("note: --insecure is not used by `decode`"),
        "{err}"
    );
    let o = cli!()
        .run(&["--timeout", "1ms", "discover", "--unicast", "127.0.0.1:9"])
        .await;
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));

    // Commands that talk to no camera refuse them after their name.
    let o = cli!().run(&["decode", "x.xml", "-H", &host]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--host") || stderr(&o).contains("-H"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_takes_its_credentials_after_the_command_and_before_it() {
    for args in [
        &["sim", "--port", "0", "-u", "keeper", "-p", "k33p"][..],
        &["-u", "keeper", "-p", "k33p", "sim", "--port", "0"],
    ] {
        let sim = cli!().start_sim(args);
        let url = sim.url.clone();
        assert!(url.starts_with("http://127.0.0.1:"), "{args:?}: {url}");
        let good = cli!()
            .run(&["-H", &url, "-u", "keeper", "-p", "k33p", "info"])
            .await;
        let bad = cli!()
            .run(&["-H", &url, "-u", "admin", "-p", "admin", "info"])
            .await;
        drop(sim);
        assert!(good.status.success(), "{args:?}: {}", stderr(&good));
        assert_eq!(bad.status.code(), Some(3), "{args:?}: the default was kept");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_and_events_current_name_the_camera_alike() {
    let h = Sim::start().await;
    let want = h.addr().to_string();
    assert!(want.starts_with("127.0.0.1:"), "{want}");
    let topic = "tns1:Device/Trigger/DigitalInput";
    let o = cli!()
        .run_on(&h, &["--json", "events", "current", "--topic", topic])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["camera"], want.as_str(), "{v}");
    let o = cli!()
        .run_on(&h, &["events", "current", "--topic", topic])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!(" {want} ")), "{}", stdout(&o));
    // `events` names it the same way.
    let o = cli!()
        .run_on(&h, &["--json", "events", "--topic", topic, "--for", "1s"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let first = stdout(&o);
    let first = first
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no event: {}", stderr(&o)));
    let v: serde_json::Value = serde_json::from_str(first).unwrap();
    assert_eq!(v["camera"], want.as_str(), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_status_shows_camera_units_as_people_write_them() {
    let h = Sim::start().await;
    // A continuous move: the positions read while it runs are whatever the arithmetic gives.
    let o = cli!()
        .run_on(
            &h,
            &[
                "ptz", "go", "--pan", "0.37", "--tilt", "0.29", "--zoom", "0.13",
            ],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!().run_on(&h, &["ptz", "status"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let units = text
        .lines()
        .find(|l| l.starts_with("Camera units"))
        .unwrap_or_else(|| panic!("{text}"));
    let numbers: Vec<&str> = units
        .split_whitespace()
        .filter(|w| w.parse::<f64>().is_ok())
        .collect();
    assert_eq!(numbers.len(), 3, "{units}");
    for n in numbers {
        let decimals = n.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 4, "{n} in {units}");
        assert!(!n.contains('.') || !n.ends_with('0'), "{n} in {units}");
    }
    // JSON keeps the camera's numbers as they are.
    let o = cli!().run_on(&h, &["--json", "ptz", "status"]).await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["position"]["pan_tilt"]["x"].is_f64(), "{v}");
    let o = cli!().run_on(&h, &["ptz", "stop"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_aux_says_what_was_sent_and_what_came_back() {
    let h = Sim::start().await;
    let o = cli!().run_on(&h, &["ptz", "aux", "tt:Wiper|On"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    // The simulator answers with the command it ran.
    assert_eq!(
        stdout(&o).trim(),
        "sent tt:Wiper|On; the camera answered: tt:Wiper|On"
    );
    assert_eq!(h.ptz_last_aux("Profile_1").as_deref(), Some("tt:Wiper|On"));
    let o = cli!()
        .run_on(&h, &["--json", "ptz", "aux", "tt:Wiper|Off"])
        .await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["command"], "tt:Wiper|Off");
    assert_eq!(v["response"], "tt:Wiper|Off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_lines_take_connection_options_before_and_after_the_command() {
    let h = Sim::start().await;
    let host = h.addr().to_string();
    let script = format!(
        "info -H {host} -u {USER} -p {PASSWORD}\n\
         -H {host} -u {USER} -p {PASSWORD} hostname\n\
         connect {host} -u {USER} -p {PASSWORD}\n\
         hostname --timeout 5s\n"
    );
    let o = cli!().run_with_input(&["shell"], &script).await;
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("error"), "{err}");
    assert!(out.contains("onvif-sim"), "info: {out}");
    // The two `hostname` lines: one with its own camera, one on the connected camera with
    // one option changed.
    assert_eq!(out.matches("Hostname ").count(), 2, "{out}");
}
