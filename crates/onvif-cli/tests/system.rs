//! `onvif firmware`, `firmware upgrade`, `reboot --wait`, `backup` and `restore` on the real
//! binary against the simulated camera on 127.0.0.1: the version shown, an image uploaded and
//! the camera waited for until it is back with the version the image names, a backup written
//! for its owner only and restored, and the refusals (a file the camera does not take, an
//! account that may not, no confirmation, a camera that never restarts).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use onvif_testkit::{Sim, cli, json, scratch_dir, stderr, stdout};

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A file holding `bytes`.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch_dir("firmware").join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A camera that is away for a moment when it restarts.
async fn restarting() -> Sim {
    Sim::builder()
        .config(|c| c.reboot_downtime(Duration::from_millis(400)))
        .start()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_is_installed_and_the_camera_waited_for_until_it_is_back() {
    let h = restarting().await;
    let o = cli!().run_on(&h, &["firmware"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("0.1.0"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("Upgrade over HTTP  yes"),
        "{}",
        stdout(&o)
    );

    let image = file("fw.bin", &onvif_sim::firmware_image("2.0.0"));
    let image = image.to_str().unwrap();
    // Not confirmed, nothing is sent.
    let o = cli!().run_on(&h, &["firmware", "upgrade", image]).await;
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert_eq!(h.stats().operation("StartFirmwareUpgrade"), 0);

    let v = json(
        &cli!()
            .run_on(&h, &["--json", "firmware", "upgrade", image, "--yes"])
            .await,
    );
    assert_eq!(v["from"], "0.1.0", "{v}");
    assert_eq!(v["to"], "2.0.0", "{v}");
    assert_eq!(v["uploaded"]["status"], 200, "{v}");
    assert_eq!(v["uploaded"]["bytes"], 25, "{v}");
    assert_eq!(v["expected_down_seconds"], 0.4, "{v}");
    assert!(v["back"]["away_seconds"].as_f64().unwrap() > 0.0, "{v}");
    assert_eq!(v["back"]["device"]["firmware_version"], "2.0.0", "{v}");
    assert_eq!(h.reboots(), 1);
    let o = cli!().run_on(&h, &["info"]).await;
    assert!(stdout(&o).contains("2.0.0"), "{}", stdout(&o));

    // The same image again: the camera restarts, and is back with the same version.
    let o = cli!()
        .run_on(&h, &["firmware", "upgrade", image, "--yes"])
        .await;
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("still reports firmware 2.0.0"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_the_camera_does_not_take_is_a_device_error_and_nothing_changes() {
    let h = restarting().await;
    // Large enough that the camera answers its first, unauthenticated, attempt before the
    // body is in: the challenge is learnt first, or that answer is lost with the connection.
    let mut elf = b"\x7fELF".to_vec();
    elf.resize(1 << 20, 0xa5);
    let junk = file("junk.bin", &elf);
    let o = cli!()
        .run_on(
            &h,
            // Bounded: were the answer lost, the wait would be what ends the command.
            &[
                "firmware",
                "upgrade",
                junk.to_str().unwrap(),
                "--yes",
                "--wait-up-to",
                "5s",
            ],
        )
        .await;
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("HTTP 415") && err.contains("not a firmware image for this camera"),
        "{err}"
    );
    assert_eq!(h.reboots(), 0);

    // An empty file or none at all is refused before anything is sent.
    let empty = file("empty.bin", b"");
    for path in [empty.to_str().unwrap(), "/nonexistent/fw.bin"] {
        let o = cli!()
            .run_on(&h, &["firmware", "upgrade", path, "--yes"])
            .await;
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains(path), "{}", stderr(&o));
    }
    assert_eq!(h.stats().operation("StartFirmwareUpgrade"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_may_not_upgrade() {
    let h = restarting().await;
    let o = cli!()
        .var("ONVIF_NEW_PASSWORD", "op-Secret-1")
        .run_on(&h, &["users", "add", "op", "--level", "operator"])
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let image = file("fw.bin", &onvif_sim::firmware_image("3.0.0"));
    let host = h.host();
    let o = cli!()
        .run(&[
            "-H",
            &host,
            "-u",
            "op",
            "-p",
            "op-Secret-1",
            "firmware",
            "upgrade",
            image.to_str().unwrap(),
            "--yes",
        ])
        .await;
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_eq!(h.reboots(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reboot_waits_until_the_camera_is_back_or_says_it_never_went() {
    let h = restarting().await;
    let v = json(&cli!().run_on(&h, &["--json", "reboot", "--wait"]).await);
    assert!(v["away_seconds"].as_f64().unwrap() > 0.0, "{v}");
    assert!(
        v["after_seconds"].as_f64().unwrap() >= v["away_seconds"].as_f64().unwrap(),
        "{v}"
    );
    assert_eq!(v["device"]["model"], "onvif-sim", "{v}");

    // A camera away for longer than the wait: a network failure naming the wait.
    let slow = Sim::builder()
        .config(|c| c.reboot_downtime(Duration::from_secs(30)))
        .start()
        .await;
    let o = cli!()
        .run_on(&slow, &["reboot", "--wait", "--wait-up-to", "1s"])
        .await;
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has not answered as before within"),
        "{}",
        stderr(&o)
    );

    // A camera that stays up through its reboot: the wait ends, saying so.
    let up = Sim::start().await;
    let o = cli!()
        .run_on(&up, &["reboot", "--wait", "--wait-up-to", "1s"])
        .await;
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stderr(&o).contains("kept answering"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_is_written_for_its_owner_only_and_restored() {
    let h = Sim::start().await;
    let dir = scratch_dir("backup");
    let saved = dir.join("camera.backup");
    let saved_str = saved.to_str().unwrap();
    std::fs::write(&saved, "an older file, readable by all").unwrap();
    let v = json(
        &cli!()
            .run_on(&h, &["--json", "backup", "-o", saved_str])
            .await,
    );
    let bytes = std::fs::read(&saved).unwrap();
    assert_eq!(v["bytes"], bytes.len(), "{v}");
    assert!(bytes.starts_with(b"ONVIF-SIM-BACKUP"), "{bytes:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    let before = stdout(&cli!().run_on(&h, &["hostname"]).await);
    for change in [
        &["hostname", "set", "elsewhere"][..],
        &["scopes", "name", "Other"],
    ] {
        let o = cli!().run_on(&h, change).await;
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_ne!(stdout(&cli!().run_on(&h, &["hostname"]).await), before);

    // Not confirmed, nothing is sent.
    let o = cli!().run_on(&h, &["restore", saved_str]).await;
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(h.stats().operation("StartSystemRestore"), 0);
    let o = cli!().run_on(&h, &["restore", saved_str, "--yes"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("configuration restored"),
        "{}",
        stdout(&o)
    );
    assert_eq!(stdout(&cli!().run_on(&h, &["hostname"]).await), before);
    let scopes = stdout(&cli!().run_on(&h, &["scopes"]).await);
    assert!(!scopes.contains("Other"), "{scopes}");

    // What is not a backup of this camera is refused, and changes nothing.
    let junk = file("junk.backup", b"[settings]\nhostname=x\n");
    let o = cli!()
        .run_on(&h, &["restore", junk.to_str().unwrap(), "--yes"])
        .await;
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stderr(&o).contains("HTTP 415"), "{}", stderr(&o));
    assert_eq!(stdout(&cli!().run_on(&h, &["hostname"]).await), before);
}
