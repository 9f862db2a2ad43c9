//! Auxiliary commands, quirks, paths, the real clock

use super::*;

#[tokio::test]
async fn auxiliary_commands_are_checked_and_recorded() {
    let cam = Sim::builder().manual_clock().start().await;
    assert_eq!(cam.ptz_last_aux(P1), None);
    let aux = |p: &str, d: &str| SendAuxiliaryCommand {
        profile_token: p.into(),
        auxiliary_data: d.into(),
    };
    let r = ok(&cam, &aux(P1, "tt:Wiper|On")).await;
    assert_eq!(r.auxiliary_response, "tt:Wiper|On");
    assert_eq!(cam.ptz_last_aux(P1).as_deref(), Some("tt:Wiper|On"));
    ok(&cam, &aux(P1, "tt:IRLamp|Auto")).await;
    assert_eq!(
        cam.ptz_last_aux("PTZNode_1").as_deref(),
        Some("tt:IRLamp|Auto")
    );
    let r = ask(&cam, &aux(P1, "tt:Heater|On")).await;
    let reason = assert_invalid_arg(&r, "InvalidArgs");
    assert!(reason.contains("tt:Wiper|On"), "{reason}");
    assert_eq!(cam.ptz_last_aux(P1).as_deref(), Some("tt:IRLamp|Auto"));
    let r = ask(&cam, &aux(P3, "tt:Wiper|On")).await;
    assert_invalid_arg(&r, "InvalidArgs");
    assert_eq!(cam.ptz_last_aux(P3), None);
}

#[tokio::test]
async fn quirks_take_away_continuous_or_relative_moves() {
    let no_cont = Sim::builder()
        .manual_clock()
        .quirk(Quirk::NoContinuousMove)
        .start()
        .await;
    let r = ask(&no_cont, &continuous(P1, pan_only(0.5, 0.0), None)).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert!(r.fault().has_subcode("ActionNotSupported"));
    assert!(!no_cont.ptz_moving());
    // The fallback works.
    ok(
        &no_cont,
        &RelativeMove {
            profile_token: P1.into(),
            translation: pan_only(0.1, 0.0),
            speed: None,
        },
    )
    .await;
    no_cont.advance(secs(1.0));
    assert_at(&no_cont, P1, (0.1, 0.0, 0.0));

    let no_rel = Sim::builder()
        .manual_clock()
        .quirk(Quirk::NoRelativeMove)
        .start()
        .await;
    let r = ask(
        &no_rel,
        &RelativeMove {
            profile_token: P1.into(),
            translation: pan_only(0.1, 0.0),
            speed: None,
        },
    )
    .await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert!(r.fault().has_subcode("ActionNotSupported"));
    ok(
        &no_rel,
        &continuous(P1, pan_only(0.5, 0.0), Some(secs(0.2))),
    )
    .await;
    no_rel.advance(secs(1.0));
    assert_at(&no_rel, P1, (0.1, 0.0, 0.0));
    assert_eq!(
        "no-continuous-move".parse::<Quirk>(),
        Ok(Quirk::NoContinuousMove)
    );
    assert_eq!(Quirk::NoRelativeMove.name(), "no-relative-move");
}

#[tokio::test]
async fn tapo_serves_ptz_at_its_one_path() {
    let cam = Sim::builder()
        .manual_clock()
        .quirk(Quirk::Tapo)
        .start()
        .await;
    let h = cam.token();
    let n: Nodes = call(cam.addr(), "/onvif/service", &GetNodes, Some(&h))
        .await
        .read();
    assert_eq!(n.nodes.len(), 2);
    // PTZ's Stop and imaging's Stop share a path and a name: the namespace tells them apart.
    let h = cam.token();
    let _: StopResponse = call(cam.addr(), "/onvif/service", &Stop::all(P1), Some(&h))
        .await
        .read();
    let h = cam.token();
    let r = call(cam.addr(), PTZ, &GetNodes, Some(&h)).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn watchers_see_every_change_of_the_heads() {
    let cam = Sim::builder().manual_clock().start().await;
    let mut rx = cam.ptz_watch();
    assert!(!rx.borrow_and_update().moving());
    ok(
        &cam,
        &absolute(P1, 1.0, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    assert!(rx.has_changed().unwrap());
    assert!(rx.borrow_and_update().moving());
    cam.advance(secs(0.5));
    let snap = rx.borrow_and_update().clone();
    assert_near(snap.head(P1).unwrap().position(), (0.5, 0.0, 0.0));
    assert_eq!(snap.time, secs(0.5));
    cam.advance(secs(0.5));
    let done = cam.ptz_wait_until(|s| !s.moving()).await;
    assert_near(
        done.head("PTZConfig_1").unwrap().position(),
        (1.0, 0.0, 0.0),
    );
    assert_eq!(cam.ptz_time(), secs(1.0));
    // Nothing changes without the clock, even when the heads are looked at.
    rx.borrow_and_update();
    status(&cam, P1).await;
    assert!(!rx.has_changed().unwrap());
}

/// With the real clock the head moves by itself; a watcher learns when it stops, no sleeping.
#[tokio::test]
async fn the_default_clock_is_real_time() {
    let cam = Sim::builder().start().await;
    ok(&cam, &continuous(P1, pan_only(1.0, 0.0), Some(secs(0.1)))).await;
    let done = tokio::time::timeout(LIMIT, cam.ptz_wait_until(|s| !s.head(P1).unwrap().moving()))
        .await
        .expect("the move ended by itself");
    let pan = done.head(P1).unwrap().pan;
    assert!((pan - 0.1).abs() < 1e-9, "{pan}");
    // advance() adds to real time.
    let before = cam.ptz_time();
    cam.advance(Duration::from_secs(100));
    assert!(cam.ptz_time() >= before + Duration::from_secs(100));
}
