//! What the user reads, on the real binary against the simulated camera on 127.0.0.1: range
//! errors name the value that is out of range and the range the user gives it in, negative
//! numbers and durations reach their checks instead of clap's "unexpected argument", durations
//! are spoken of as durations and printed in seconds, `ptz config-options` and `osd list` read
//! as text like their neighbours; tables line up, and an empty list says so.
#![allow(clippy::unwrap_used)]

use onvif_testkit::{Sim, cli, stderr, stdout};

/// A usage error (exit 2) whose message says `says`.
fn refused(o: &std::process::Output, cmd: &[&str], says: &str) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{cmd:?}: {err}");
    assert!(err.contains(says), "{cmd:?}: {err}");
    err
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_range_errors_name_the_speed_and_the_range_the_user_gives() {
    let h = Sim::start().await;
    // The speed is out of range, not the pan.
    let cmd = ["ptz", "move", "--pan", "0", "--speed", "2"];
    let err = refused(
        &cli!().run_on(&h, &cmd).await,
        &cmd,
        "speed 2 is outside 0..1",
    );
    assert!(!err.contains("pan 2"), "{err}");
    // A head in degrees: the user's -1..1 is named, not the degree space it maps onto.
    let cmd = ["ptz", "--profile", "Profile_3", "move", "--pan", "5"];
    let err = refused(
        &cli!().run_on(&h, &cmd).await,
        &cmd,
        "pan 5 is outside -1..1 (the camera's whole pan range)",
    );
    assert!(!err.contains("SphericalPositionSpace"), "{err}");
    // A negative speed reaches the same check (every option that takes a speed).
    for cmd in [
        &["ptz", "move", "--pan", "0", "--speed", "-0.5"][..],
        &["ptz", "step", "--pan", "0.1", "--speed", "-0.5"],
        &["ptz", "home", "--speed", "-0.5"],
    ] {
        refused(
            &cli!().run_on(&h, cmd).await,
            cmd,
            "speed -0.5 is outside 0..1",
        );
    }
    // Presets are looked up first; a negative speed is still read as a number.
    let cmd = ["ptz", "preset", "goto", "gate", "--speed", "-0.5"];
    let err = refused(&cli!().run_on(&h, &cmd).await, &cmd, "no preset \"gate\"");
    assert!(!err.contains("unexpected argument"), "{err}");
    // Refused before anything moved the head.
    assert!(!h.ptz_moving());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_config_options_read_as_text_and_as_json() {
    let h = Sim::start().await;
    let o = cli!()
        .run_on(&h, &["ptz", "config-options", "PTZConfig_2"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(!text.trim_start().starts_with('{'), "{text}");
    for says in [
        "Configuration        PTZConfig_2\n",
        "Absolute pan/tilt    pan -180..180 tilt -90..90    http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpaceDegrees\n",
        "Absolute zoom        0..0.5                        http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace\n",
        "Pan/tilt speed       0..90                         http://www.onvif.org/ver10/tptz/PanTiltSpaces/SpeedSpaceDegrees\n",
        "Timeout              0 to 3600 s (of continuous moves)\n",
    ] {
        assert!(text.contains(says), "{says:?} in:\n{text}");
    }
    let o = cli!()
        .run_on(&h, &["--json", "ptz", "config-options", "PTZConfig_2"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["spaces"]["absolute_pan_tilt"][0]["x_range"]["max"], 180.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn osd_list_is_the_bare_osd_with_uppercase_headers() {
    let h = Sim::start().await;
    let listed = cli!().run_on(&h, &["osd", "list"]).await;
    assert!(listed.status.success(), "{}", stderr(&listed));
    let bare = cli!().run_on(&h, &["osd"]).await;
    assert_eq!(stdout(&listed), stdout(&bare));
    let header = stdout(&listed)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(header.starts_with("TOKEN  TYPE  POSITION"), "{header}");
    assert_eq!(header, header.to_uppercase());
    let listed = cli!().run_on(&h, &["--json", "osd", "list"]).await;
    let bare = cli!().run_on(&h, &["--json", "osd"]).await;
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert_eq!(stdout(&listed), stdout(&bare));
    let help = cli!().run(&["--help"]).await;
    assert!(stdout(&help).contains("`osd list`"), "{}", stdout(&help));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negative_values_get_the_option_s_own_error() {
    let h = Sim::start().await;
    for (cmd, says) in [
        (
            &["imaging", "set", "--brightness", "-5"][..],
            "--brightness -5 is outside the camera's range 0..100",
        ),
        (
            &["imaging", "set", "--sharpness", "-1"],
            "--sharpness -1 is outside the camera's range",
        ),
        (
            &["relay", "set", "RelayOutput_2", "on", "--for", "-2s"],
            "'--for <DURATION>': \"-2s\": a duration cannot be negative",
        ),
        (
            &[
                "relay",
                "mode",
                "RelayOutput_2",
                "monostable",
                "--delay",
                "-1s",
            ],
            "'--delay <DURATION>': \"-1s\": a duration cannot be negative",
        ),
        (
            &["ptz", "go", "--pan", "0.1", "--for", "-1s"],
            "'--for <DURATION>': \"-1s\": a duration cannot be negative",
        ),
        (
            &["--timeout", "-2s", "info"],
            "'--timeout <DURATION>': \"-2s\": a duration cannot be negative",
        ),
        (
            &["events", "--for", "-2s"],
            "'--for <DURATION>': \"-2s\": a duration cannot be negative",
        ),
    ] {
        let err = refused(&cli!().run_on(&h, cmd).await, cmd, says);
        assert!(!err.contains("unexpected argument"), "{cmd:?}: {err}");
    }
    // None of them reached the camera's relay or head.
    assert_eq!(h.relay_state("RelayOutput_2"), Some(false));
    assert!(!h.ptz_moving());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durations_are_spoken_of_as_durations_and_printed_in_seconds() {
    let h = Sim::start().await;
    for cmd in [
        &["relay", "set", "RelayOutput_2", "on", "--for", "0s"][..],
        &[
            "relay",
            "mode",
            "RelayOutput_2",
            "monostable",
            "--delay",
            "0s",
        ],
    ] {
        let err = refused(
            &cli!().run_on(&h, cmd).await,
            cmd,
            "\"0s\": the duration must be longer than zero",
        );
        assert!(!err.contains("timeout"), "{cmd:?}: {err}");
    }
    let cmd = ["relay", "set", "RelayOutput_2", "on", "--for", "abc"];
    let err = refused(
        &cli!().run_on(&h, &cmd).await,
        &cmd,
        "\"abc\" is not a duration (examples: 5s",
    );
    assert!(!err.contains("-3600s"), "{err}");
    // Held for a while: seconds for a person, the xs:duration in JSON.
    let o = cli!()
        .run_on(
            &h,
            &["relay", "set", "RelayOutput_2", "on", "--for", "50ms"],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim_end(),
        "RelayOutput_2: active for 0.05 s, now inactive"
    );
    let o = cli!()
        .run_on(
            &h,
            &[
                "--json",
                "relay",
                "set",
                "RelayOutput_2",
                "on",
                "--for",
                "50ms",
            ],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["held_for"], "PT0.05S");
    assert_eq!(h.relay_state("RelayOutput_2"), Some(false));
}

/// A node's space URIs stand in one column; an empty preset list says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_nodes_line_up_and_no_presets_is_said() {
    let h = Sim::start().await;
    let o = cli!().run_on(&h, &["ptz", "nodes"]).await;
    let out = stdout(&o);
    let node: Vec<&str> = out
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("Node"))
        .filter(|l| l.contains("http://"))
        .collect();
    let columns: Vec<Option<usize>> = node.iter().map(|l| l.find("http://")).collect();
    assert!(node.len() > 4, "{out}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{out}");
    let o = cli!().run_on(&h, &["ptz", "presets"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("No presets"), "{}", stdout(&o));
}
