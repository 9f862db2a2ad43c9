//! The camera page's Maintenance section: the backup downloaded through the UI, the reboot
//! sent, and both refused for a camera the UI does not know.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backup_downloads_through_the_ui_and_the_reboot_is_sent() {
    let h = Sim::start().await;
    let home = home_with(&h);
    let ui = Ui::start(&home, &["--bind", "127.0.0.1:0"]);

    let (s, _, page) = ui.get("/camera/sim").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<h2>Maintenance</h2>"), "{page}");
    assert!(page.contains("href=\"/camera/sim/backup\""), "{page}");
    assert!(
        page.contains("action=\"/camera/sim/reboot\" data-ajax data-confirm=\"Reboot sim?"),
        "{page}"
    );

    let (s, headers, body) = ui.get("/camera/sim/backup").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.starts_with("ONVIF-SIM-BACKUP"), "{body}");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"sim.backup\""
    );
    assert_eq!(headers["cache-control"], "no-store");

    assert_eq!(h.reboots(), 0);
    let (s, _, said) = ui.post("/camera/sim/reboot", "").await;
    assert_eq!(s, StatusCode::OK, "{said}");
    assert!(said.starts_with("Rebooting"), "{said}");
    assert_eq!(h.reboots(), 1);

    for path in ["/camera/nope/backup", "/camera/nope/reboot"] {
        let (s, _, _) = if path.ends_with("reboot") {
            ui.post(path, "").await
        } else {
            ui.get(path).await
        };
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(h.reboots(), 1);
}
