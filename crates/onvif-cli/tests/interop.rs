//! The `onvif` binary against simulated cameras that answer imperfectly: what a user sees.
#![allow(clippy::unwrap_used)]

use onvif_sim::Quirk;
use onvif_testkit::{Sim, cli, stderr, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_works_on_a_camera_whose_get_services_is_empty() {
    let h = Sim::builder().quirk(Quirk::EmptyServices).start().await;
    let o = cli!().run_on(&h, &["ptz", "status"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("does not offer"), "{}", stderr(&o));
    assert!(stdout(&o).contains("pan"), "{}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ptz_commands_go_on_when_get_configuration_answers_the_wrong_operation() {
    let h = Sim::builder()
        .quirk(Quirk::PtzRoutesBySubstring)
        .start()
        .await;
    for args in [
        &["ptz", "stop"][..],
        &["ptz", "go", "--pan", "0.3", "--for", "10ms"],
        &["ptz", "home"],
    ] {
        let o = cli!().run_on(&h, args).await;
        let err = stderr(&o);
        assert!(o.status.success(), "{args:?}: {err}");
        assert_eq!(
            err.matches("did not describe PTZ configuration").count(),
            1,
            "{args:?}: said once: {err}"
        );
        assert!(
            !err.contains("GetConfigurationsResponse"),
            "the why is for -v: {err}"
        );
    }
    assert!(h.stats().operation("ContinuousMove") == 1 && h.stats().operation("Stop") >= 2);
    assert_eq!(h.stats().operation("GotoHomePosition"), 1);
    // -v says why.
    let o = cli!().run_on(&h, &["-v", "ptz", "stop"]).await;
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("GetConfigurationsResponse"),
        "{}",
        stderr(&o)
    );
}
