//! `onvif osd` on the real binary against the simulated camera on 127.0.0.1: list, options,
//! add, set and remove, with and without `--json`, and bad input refused with a clear reason.
#![allow(clippy::unwrap_used)]

use onvif_testkit::{Sim, cli, json, stderr, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn osds_are_listed_added_changed_and_removed() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["osd"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("date and time (yyyy-MM-dd HH:mm:ss)"),
        "{}",
        stdout(&o)
    );
    let v = json(&cli!().run_on(&h, &["--json", "osd"]).await);
    assert_eq!(v.as_array().unwrap().len(), 1);

    let o = cli!().run_on(&h, &["osd", "options"]).await;
    assert!(stdout(&o).contains("UpperLeft"), "{}", stdout(&o));
    let v = json(&cli!().run_on(&h, &["--json", "osd", "options"]).await);
    assert_eq!(v["maximum"]["total"], 4);

    // Words: a plain OSD in a corner.
    let v = json(
        &cli!()
            .run_on(
                &h,
                &[
                    "--json",
                    "osd",
                    "add",
                    "--text",
                    "Gate 2",
                    "--position",
                    "upper-right",
                ],
            )
            .await,
    );
    let token = v["token"].as_str().unwrap().to_owned();
    assert_eq!(v["position"]["kind"], "UpperRight");
    assert_eq!(v["text"]["plain_text"], "Gate 2");
    // Placeholders alone: the camera's date, in its own format, at a custom place.
    let o = cli!()
        .run_on(
            &h,
            &["osd", "add", "--text", "%D", "--x", "-0.5", "--y", "0.5"],
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("date (yyyy-MM-dd)"), "{}", stdout(&o));
    assert!(stdout(&o).contains("x -0.5 y 0.5"), "{}", stdout(&o));

    let v = json(
        &cli!()
            .run_on(
                &h,
                &[
                    "--json",
                    "osd",
                    "set",
                    &token,
                    "--text",
                    "Gate 3",
                    "--font-size",
                    "40",
                ],
            )
            .await,
    );
    assert_eq!(v["text"]["plain_text"], "Gate 3");
    assert_eq!(v["text"]["font_size"], 40);
    let o = cli!()
        .run_on(&h, &["osd", "set", &token, "--position", "lower-left"])
        .await;
    assert!(stdout(&o).contains("LowerLeft"), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["osd"]).await;
    assert!(stdout(&o).contains("\"Gate 3\""), "{}", stdout(&o));

    let v = json(
        &cli!()
            .run_on(&h, &["--json", "osd", "remove", &token])
            .await,
    );
    assert_eq!(v["removed"], token.as_str());
    assert_eq!(v["remaining"], 2);
    let o = cli!().run_on(&h, &["osd"]).await;
    assert!(!stdout(&o).contains(&token), "{}", stdout(&o));
    let o = cli!().run_on(&h, &["osd", "remove", "OSD_3"]).await;
    assert!(
        stdout(&o).contains("Removed OSD OSD_3; 1 left"),
        "{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_osd_input_is_refused_with_the_reason() {
    let h = Sim::builder().start().await;
    // Longer than the camera takes: its fault, a device error.
    let long = "z".repeat(40);
    let o = cli!().run_on(&h, &["osd", "add", "--text", &long]).await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("at most 32"), "{}", stderr(&o));
    // An unknown token.
    for cmd in [
        &["osd", "remove", "OSD_99"][..],
        &["osd", "set", "OSD_99", "--text", "x"],
    ] {
        let o = cli!().run_on(&h, cmd).await;
        assert_eq!(o.status.code(), Some(4), "{cmd:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("OSD_99"), "{cmd:?}: {}", stderr(&o));
    }
    // Words and placeholders together, an empty text, a place off the picture, a font too
    // big, nothing to change, --x without --y: usage errors.
    for (cmd, says) in [
        (&["osd", "add", "--text", "Gate %D %T"][..], "not both"),
        (&["osd", "add", "--text", "  "], "empty"),
        (
            &["osd", "add", "--text", "a", "--x", "2", "--y", "0"],
            "outside the picture",
        ),
        (
            &["osd", "add", "--text", "a", "--font-size", "99"],
            "16..64",
        ),
        (&["osd", "set", "OSD_1"], "nothing to change"),
        (&["osd", "add", "--text", "a", "--x", "0.5"], "--y"),
    ] {
        let o = cli!().run_on(&h, cmd).await;
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{cmd:?}: {}", stderr(&o));
    }
    // Nothing was added by any of them.
    let v = json(&cli!().run_on(&h, &["--json", "osd"]).await);
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_text_in_an_osd_is_escaped_on_the_terminal() {
    let h = Sim::builder().start().await;
    let o = cli!()
        .run_on(&h, &["osd", "add", "--text", "a\u{1b}[31mred"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli!().run_on(&h, &["osd"]).await;
    assert!(!stdout(&o).contains('\u{1b}'), "{:?}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_types_the_captured_osd_and_analytics_answers() {
    let Some(dir) = onvif_testkit::captures::captures_dir() else {
        return;
    };
    for (file, says) in [
        ("ex_onvif/get_media_osds.xml", "Camera 01"),
        ("ex_onvif/get_osd_options.xml", "MM/dd/yyyy"),
        ("ex_onvif/get_analytics_modules.xml", "CellMotionEngine"),
    ] {
        let path = dir.join(file);
        let o = cli!().run(&["decode", path.to_str().unwrap()]).await;
        let v = json(&o);
        assert_eq!(v["kind"], "typed", "{file}: {v}");
        assert!(v.to_string().contains(says), "{file}: {v}");
    }
}
