//! `onvif analytics` on the real binary against the simulated camera on 127.0.0.1: modules,
//! rules, and the motion region read, written from a grid file and read back.
#![allow(clippy::unwrap_used)]

use onvif_testkit::{Sim, cli, json, scratch_dir, stderr, stdout};

/// A 22 x 18 grid with a block of watched cells in its upper left corner.
fn corner_grid() -> String {
    (0..18)
        .map(|r| {
            (0..22)
                .map(|c| if r < 3 && c < 4 { '#' } else { '.' })
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modules_and_rules_are_listed() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["analytics", "modules"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("tt:CellMotionEngine"), "{}", stdout(&o));
    assert!(stdout(&o).contains("Layout: 22x18 cells"), "{}", stdout(&o));
    let v = json(&cli!().run_on(&h, &["--json", "analytics", "modules"]).await);
    assert_eq!(v[0]["type"]["name"], "CellMotionEngine");
    let o = cli!().run_on(&h, &["analytics", "rules"]).await;
    assert!(stdout(&o).contains("MinCount=5"), "{}", stdout(&o));
    let v = json(&cli!().run_on(&h, &["--json", "analytics", "rules"]).await);
    assert_eq!(v[0]["name"], "MyMotionDetectorRule");
    let o = cli!()
        .run_on(&h, &["analytics", "--configuration", "Nope", "rules"])
        .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("Nope"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_motion_region_is_shown_set_from_a_file_and_read_back() {
    let h = Sim::builder().start().await;
    let o = cli!().run_on(&h, &["analytics", "motion-region"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("22x18 cells, 396 watched"), "{out}");
    assert!(out.contains(&"#".repeat(22)), "{out}");

    let dir = scratch_dir("analytics-grid");
    let file = dir.join("grid.txt");
    std::fs::write(&file, corner_grid()).unwrap();
    let path = file.to_str().unwrap();
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "analytics", "motion-region", "--set", path])
            .await,
    );
    assert_eq!(v["columns"], 22);
    assert_eq!(v["rows"], 18);
    assert_eq!(v["grid"][0], "####..................");
    assert_eq!(v["grid"][3], ".".repeat(22));
    assert_eq!(v["rule"], "MyMotionDetectorRule");
    // A second call sees it.
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "analytics", "motion-region"])
            .await,
    );
    assert_eq!(v["grid"][2], "####..................");
    let o = cli!().run_on(&h, &["analytics", "motion-region"]).await;
    assert!(stdout(&o).contains("12 watched"), "{}", stdout(&o));
    // From standard input too.
    let all = format!("{}\n", "#".repeat(22)).repeat(18);
    let o = cli!()
        .run_on_with_input(&h, &["analytics", "motion-region", "--set", "-"], &all)
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("396 watched"), "{}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_grid_file_is_refused_naming_the_line_and_column() {
    let h = Sim::builder().start().await;
    let dir = scratch_dir("analytics-bad-grid");
    let mut bad = corner_grid().into_bytes();
    bad[23 * 2 + 5] = b'x'; // line 3, column 6
    let cases = [
        (String::from_utf8(bad).unwrap(), "line 3, column 6: 'x'"),
        (
            corner_grid()
                .lines()
                .take(17)
                .collect::<Vec<_>>()
                .join("\n"),
            "17 rows",
        ),
        (
            corner_grid().replacen("....\n", "...\n", 1),
            "line 1: 21 cells",
        ),
    ];
    for (i, (text, says)) in cases.iter().enumerate() {
        let file = dir.join(format!("bad{i}.txt"));
        std::fs::write(&file, text).unwrap();
        let o = cli!()
            .run_on(
                &h,
                &[
                    "analytics",
                    "motion-region",
                    "--set",
                    file.to_str().unwrap(),
                ],
            )
            .await;
        assert_eq!(o.status.code(), Some(2), "{says}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{says}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("bad{i}.txt")),
            "{}",
            stderr(&o)
        );
    }
    let o = cli!()
        .run_on(
            &h,
            &["analytics", "motion-region", "--set", "/nonexistent/grid"],
        )
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
    // The region is as it was.
    let o = cli!().run_on(&h, &["analytics", "motion-region"]).await;
    assert!(stdout(&o).contains("396 watched"), "{}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shell_runs_osd_and_analytics_commands() {
    let h = Sim::builder().start().await;
    let o = cli!()
        .run_on_with_input(
            &h,
            &["shell"],
            "osd add --text \"Shell %D\"\nosd\nanalytics rules\nanalytics motion-region\n",
        )
        .await;
    let out = stdout(&o);
    assert!(stderr(&o).contains("not both"), "{}", stderr(&o));
    assert!(out.contains("date and time"), "{out}");
    assert!(out.contains("MyMotionDetectorRule"), "{out}");
    assert!(out.contains("396 watched"), "{out}");
}
