//! Moves over simulated time

use super::*;

#[tokio::test]
async fn absolute_move_advances_with_the_clock() {
    let cam = Sim::builder().manual_clock().start().await;
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
    let st = status(&cam, P1).await;
    assert_eq!(st.move_status.unwrap().pan_tilt, Some(MoveStatus::Idle));
    assert!(st.utc_time.is_some());

    ok(
        &cam,
        &absolute(P1, 0.5, -0.5, 0.8, Some(speeds(0.5, 0.25, 0.4))),
    )
    .await;
    // No time has passed yet.
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
    assert!(cam.ptz_moving());
    let st = status(&cam, P1).await;
    assert_eq!(
        st.move_status,
        Some(PtzMoveStatus {
            pan_tilt: Some(MoveStatus::Moving),
            zoom: Some(MoveStatus::Moving)
        })
    );

    cam.advance(secs(0.5));
    assert_at(&cam, P1, (0.25, -0.125, 0.2));
    // GetStatus tells the same position, in the default spaces.
    let st = status(&cam, P1).await;
    let pos = st.position.unwrap();
    let pt = pos.pan_tilt.unwrap();
    assert_near(
        (pt.x, pt.y, pos.zoom.as_ref().unwrap().x),
        (0.25, -0.125, 0.2),
    );
    assert_eq!(pt.space.as_deref(), Some(space::PAN_TILT_POSITION_GENERIC));
    assert_eq!(
        pos.zoom.unwrap().space.as_deref(),
        Some(space::ZOOM_POSITION_GENERIC)
    );

    // Pan arrives after 1 s, zoom after 2 s, tilt after 2 s.
    cam.advance(secs(0.5));
    assert_at(&cam, P1, (0.5, -0.25, 0.4));
    let st = status(&cam, P1).await;
    assert_eq!(st.move_status.unwrap().pan_tilt, Some(MoveStatus::Moving));
    cam.advance(secs(5.0));
    assert_at(&cam, P1, (0.5, -0.5, 0.8));
    assert!(!moving(&cam, P1));
    let st = status(&cam, P1).await;
    assert_eq!(
        st.move_status,
        Some(PtzMoveStatus {
            pan_tilt: Some(MoveStatus::Idle),
            zoom: Some(MoveStatus::Idle)
        })
    );
    // The other head never moved.
    assert_at(&cam, P3, (0.0, 0.0, 0.0));
}

#[tokio::test]
async fn moves_use_the_default_speed_and_leave_absent_parts_alone() {
    let cam = Sim::builder().manual_clock().start().await;
    // Default speed 0.5: 1.0 away takes 2 s.
    ok(&cam, &absolute(P1, -1.0, 0.0, 0.0, None)).await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (-0.5, 0.0, 0.0));
    // A zoom-only move does not disturb the pan in progress.
    ok(
        &cam,
        &AbsoluteMove {
            profile_token: P1.into(),
            position: zoom_only(1.0),
            speed: Some(speeds(0.0, 0.0, 1.0)),
        },
    )
    .await;
    cam.advance(secs(0.5));
    assert_at(&cam, P1, (-0.75, 0.0, 0.5));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (-1.0, 0.0, 1.0));
    assert!(!cam.ptz_moving());
}

#[tokio::test]
async fn relative_moves_translate_and_clamp_at_the_limits() {
    let cam = Sim::builder().manual_clock().start().await;
    let rel = |p: f64, t: f64, z: Option<f64>| RelativeMove {
        profile_token: P1.into(),
        translation: PtzVector {
            pan_tilt: Some(Vector2D::new(p, t)),
            zoom: z.map(Vector1D::new),
        },
        speed: Some(speeds(1.0, 1.0, 1.0)),
    };
    ok(&cam, &rel(0.5, -0.25, Some(0.5))).await;
    cam.advance(secs(0.25));
    assert_at(&cam, P1, (0.25, -0.25, 0.25));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.5, -0.25, 0.5));
    // From 0.5, +1 would be 1.5: the head stops at the limit.
    ok(&cam, &rel(1.0, -1.0, Some(-1.0))).await;
    cam.advance(secs(10.0));
    assert_at(&cam, P1, (1.0, -1.0, 0.0));
    assert!(!cam.ptz_moving());
    // A zero translation stops a move in progress.
    ok(
        &cam,
        &absolute(P1, 0.0, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(0.5));
    ok(&cam, &rel(0.0, 0.0, Some(0.0))).await;
    assert!(!cam.ptz_moving());
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.5, -0.5, 0.0));
}

#[tokio::test]
async fn continuous_moves_honour_their_timeout() {
    let cam = Sim::builder().manual_clock().start().await;
    ok(&cam, &continuous(P1, pan_only(0.25, -0.5), Some(secs(2.0)))).await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.25, -0.5, 0.0));
    assert!(moving(&cam, P1));
    // The timeout ends it at 2 s, wherever the clock is looked at next.
    cam.advance(secs(5.0));
    assert_at(&cam, P1, (0.5, -1.0, 0.0));
    assert!(!moving(&cam, P1));

    // Without a timeout the configuration's default (10 s) applies.
    ok(&cam, &continuous(P1, pan_only(-0.05, 0.0), None)).await;
    cam.advance(secs(9.0));
    assert!(moving(&cam, P1));
    cam.advance(secs(100.0));
    assert_at(&cam, P1, (0.0, -1.0, 0.0));
    assert!(!moving(&cam, P1));

    // Pushing the zoom out past its limit stops there, IDLE, long before the timeout.
    ok(&cam, &continuous(P1, zoom_only(1.0), Some(secs(60.0)))).await;
    cam.advance(secs(0.5));
    assert_at(&cam, P1, (0.0, -1.0, 0.5));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.0, -1.0, 1.0));
    let st = status(&cam, P1).await;
    assert_eq!(st.move_status.unwrap().zoom, Some(MoveStatus::Idle));

    // A timeout outside 0..1 h is refused.
    let r = ask(
        &cam,
        &continuous(P1, pan_only(0.1, 0.0), Some(secs(7200.0))),
    )
    .await;
    let reason = assert_invalid_arg(&r, "TimeoutNotSupported");
    assert!(reason.contains("PT7200S"), "{reason}");
}

#[tokio::test]
async fn stop_and_zero_velocities_stop_what_they_name() {
    let cam = Sim::builder().manual_clock().start().await;
    ok(
        &cam,
        &continuous(P1, PtzVector::new(0.1, 0.1, 0.1), Some(secs(60.0))),
    )
    .await;
    cam.advance(secs(1.0));
    // Stop pan/tilt only: the zoom goes on.
    ok(
        &cam,
        &Stop {
            profile_token: P1.into(),
            pan_tilt: Some(true),
            zoom: Some(false),
        },
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.1, 0.1, 0.2));
    let h = cam.ptz_head(P1).unwrap();
    assert!(!h.pan_tilt_moving && h.zoom_moving);
    // A zero zoom velocity stops the zoom.
    ok(&cam, &continuous(P1, zoom_only(0.0), None)).await;
    assert!(!cam.ptz_moving());
    // Stop with no flags stops everything.
    ok(&cam, &continuous(P1, PtzVector::new(-0.1, 0.0, 0.1), None)).await;
    cam.advance(secs(1.0));
    ok(&cam, &Stop::all(P1)).await;
    cam.advance(secs(5.0));
    assert_at(&cam, P1, (0.0, 0.1, 0.3));
    assert!(!cam.ptz_moving());
    // A continuous pan/tilt replaces an absolute one in progress (a zero tilt stops it); the
    // zoom, not named, goes on to its target at the default speed.
    ok(&cam, &absolute(P1, 1.0, 1.0, 1.0, None)).await;
    ok(&cam, &continuous(P1, pan_only(-0.5, 0.0), Some(secs(1.0)))).await;
    cam.advance(secs(3.0));
    assert_at(&cam, P1, (-0.5, 0.1, 1.0));
}

#[tokio::test]
async fn values_outside_the_spaces_are_refused_and_nothing_moves() {
    let cam = Sim::builder().manual_clock().start().await;
    let r = ask(&cam, &absolute(P1, 1.5, 0.0, 0.0, None)).await;
    let reason = assert_invalid_arg(&r, "InvalidPosition");
    assert_eq!(
        reason,
        "pan 1.5 is outside -1..1 of http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
    );
    let r = ask(&cam, &absolute(P1, 0.0, 0.0, -0.1, None)).await;
    assert_invalid_arg(&r, "InvalidPosition");
    let r = ask(
        &cam,
        &absolute(P1, 0.0, 0.0, 0.5, Some(speeds(2.0, 0.5, 0.5))),
    )
    .await;
    assert_invalid_arg(&r, "InvalidSpeed");
    let r = ask(
        &cam,
        &RelativeMove {
            profile_token: P1.into(),
            translation: pan_only(0.0, -1.5),
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "InvalidTranslation");
    let r = ask(&cam, &continuous(P1, zoom_only(-1.01), None)).await;
    assert_invalid_arg(&r, "InvalidVelocity");
    // A space the node does not list.
    let r = ask(
        &cam,
        &AbsoluteMove {
            profile_token: P1.into(),
            position: PtzVector {
                pan_tilt: Some(Vector2D::in_space(
                    10.0,
                    0.0,
                    space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                )),
                zoom: None,
            },
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "SpaceNotSupported");
    // A space named explicitly, the node's own: accepted.
    ok(
        &cam,
        &AbsoluteMove {
            profile_token: P1.into(),
            position: PtzVector {
                pan_tilt: None,
                zoom: Some(Vector1D::in_space(0.0, space::ZOOM_POSITION_GENERIC)),
            },
            speed: None,
        },
    )
    .await;
    // A request that does not parse (a coordinate that is not a number).
    let bad = r#"<tptz:AbsoluteMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Position><tt:PanTilt x="left" y="0"/></tptz:Position></tptz:AbsoluteMove>"#;
    let h = cam.token();
    let r = Req::post(PTZ, &onvif_proto::soap::envelope(Some(&h), bad))
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.fault().has_subcode("InvalidArgVal"));
    cam.advance(secs(10.0));
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
}
