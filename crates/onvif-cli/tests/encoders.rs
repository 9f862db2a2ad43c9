//! `onvif encoders` on the real binary against the simulated camera on 127.0.0.1: the
//! configurations, their options, and changes checked against those options before they are
//! sent, with and without `--json`.
#![allow(clippy::unwrap_used)]

use onvif_testkit::{Sim, cli, json, stderr, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encoders_are_listed_with_their_options_and_changed() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["encoders", "options"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("VideoEncoder_1") && out.contains("1920x1080, 1280x720, 640x360"),
        "{out}"
    );
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "encoders", "options", "VideoEncoder_3"])
            .await,
    );
    assert_eq!(v["encodings"][0]["encoding"], "H265", "{v}");

    let set = [
        "--json",
        "encoders",
        "set",
        "VideoEncoder_2",
        "--resolution",
        "1280x720",
        "--fps",
        "10",
        "--bitrate",
        "1024",
        "--profile",
        "high",
    ];
    let v = json(&cli!().run_on(&h, &set).await);
    assert_eq!(v["resolution"]["width"], 1280, "{v}");
    assert_eq!(v["frame_rate_limit"], 10.0, "{v}");
    assert_eq!(v["profile"], "High", "{v}");
    let o = cli!().run_on(&h, &["encoders"]).await;
    let row = stdout(&o)
        .lines()
        .find(|l| l.starts_with("VideoEncoder_2"))
        .unwrap()
        .to_owned();
    assert!(
        row.contains("1280x720") && row.contains("1024 kbps"),
        "{row}"
    );
}

/// What the options do not offer is refused before anything is sent, naming what they do
/// offer; so is a change that changes nothing, and a configuration the camera does not have.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_outside_the_options_are_refused_before_they_are_sent() {
    let h = Sim::builder().start().await;
    let refused = [
        (
            &["--bitrate", "99999"][..],
            "--bitrate 99999 is not offered for H264 (128..8192)",
        ),
        (&["--fps", "12"], "offered: 25, 20, 15, 10, 5, 1"),
        (
            &["--resolution", "800x600"],
            "--resolution 800x600 is not offered",
        ),
        (
            &["--encoding", "jpeg"],
            "does not take JPEG (it offers H264",
        ),
        (&["--profile", "Extended"], "offered: Baseline, Main, High"),
        (&[], "nothing to set"),
    ];
    for (args, says) in refused {
        let mut cmd = vec!["encoders", "set", "VideoEncoder_1"];
        cmd.extend_from_slice(args);
        let o = cli!().run_on(&h, &cmd).await;
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{cmd:?}: {}", stderr(&o));
    }
    let o = cli!()
        .run_on(&h, &["encoders", "set", "Nope", "--fps", "5"])
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no encoder configuration \"Nope\""),
        "{}",
        stderr(&o)
    );
    let o = cli!().run_on(&h, &["encoders", "options", "Nope"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no encoder configuration \"Nope\""),
        "{}",
        stderr(&o)
    );
    let o = cli!()
        .run_on(
            &h,
            &["encoders", "set", "VideoEncoder_1", "--resolution", "wide"],
        )
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("give WIDTHxHEIGHT"), "{}", stderr(&o));
    assert_eq!(h.stats().operation("SetVideoEncoderConfiguration"), 0);
}

/// A configuration that takes two codecs is switched from H.265 to H.264 and back on the
/// camera: a value the new codec does not take must be given, and the change is read back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_codec_is_switched_and_switched_back() {
    let h = Sim::builder().start().await;
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "encoders", "options", "VideoEncoder_3"])
            .await,
    );
    let codecs: Vec<&str> = v["encodings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["encoding"].as_str())
        .collect();
    assert_eq!(codecs, ["H265", "H264"], "{v}");

    // 2560x1440 is H.265's only: the switch must name a size H.264 takes.
    let o = cli!()
        .run_on(
            &h,
            &["encoders", "set", "VideoEncoder_3", "--encoding", "h264"],
        )
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("resolution 2560x1440 is not offered for H264"),
        "{}",
        stderr(&o)
    );
    let switch = |codec: &'static str, size: &'static str| {
        [
            "--json",
            "encoders",
            "set",
            "VideoEncoder_3",
            "--encoding",
            codec,
            "--resolution",
            size,
        ]
    };
    let v = json(&cli!().run_on(&h, &switch("h264", "1920x1080")).await);
    assert_eq!(v["encoding"], "H264", "{v}");
    assert_eq!(v["resolution"]["width"], 1920, "{v}");
    let o = cli!().run_on(&h, &["encoders"]).await;
    let row = stdout(&o)
        .lines()
        .find(|l| l.starts_with("VideoEncoder_3"))
        .unwrap()
        .to_owned();
    assert!(row.contains("H264") && row.contains("1920x1080"), "{row}");

    let v = json(&cli!().run_on(&h, &switch("h265", "2560x1440")).await);
    assert_eq!(v["encoding"], "H265", "{v}");
    assert_eq!(v["resolution"]["width"], 2560, "{v}");
}
