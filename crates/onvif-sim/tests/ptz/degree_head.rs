//! The degree head

use super::*;

#[tokio::test]
async fn the_second_node_enforces_its_own_ranges() {
    let cam = Sim::builder().manual_clock().start().await;
    // Generic pan/tilt is not this node's space.
    let r = ask(
        &cam,
        &AbsoluteMove {
            profile_token: P3.into(),
            position: PtzVector {
                pan_tilt: Some(Vector2D::in_space(
                    0.5,
                    0.0,
                    space::PAN_TILT_POSITION_GENERIC,
                )),
                zoom: None,
            },
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "SpaceNotSupported");
    let r = ask(&cam, &absolute(P3, 200.0, 0.0, 0.0, None)).await;
    let reason = assert_invalid_arg(&r, "InvalidPosition");
    assert!(reason.contains("-180..180"), "{reason}");
    let r = ask(&cam, &absolute(P3, 0.0, -95.0, 0.0, None)).await;
    assert_invalid_arg(&r, "InvalidPosition");
    // Zoom stops at 0.5 on this head.
    let r = ask(&cam, &absolute(P3, 0.0, 0.0, 0.6, None)).await;
    let reason = assert_invalid_arg(&r, "InvalidPosition");
    assert!(reason.contains("zoom 0.6 is outside 0..0.5"), "{reason}");
    let r = ask(
        &cam,
        &absolute(P3, 0.0, 0.0, 0.1, Some(speeds(100.0, 1.0, 0.5))),
    )
    .await;
    assert_invalid_arg(&r, "InvalidSpeed");
    let r = ask(&cam, &continuous(P3, pan_only(91.0, 0.0), None)).await;
    assert_invalid_arg(&r, "InvalidVelocity");
    let r = ask(
        &cam,
        &RelativeMove {
            profile_token: P3.into(),
            translation: zoom_only(0.75),
            speed: None,
        },
    )
    .await;
    assert_invalid_arg(&r, "InvalidTranslation");

    // A client maps its -1..1 / 0..1 values into the node's ranges.
    let node = ok(
        &cam,
        &GetNode {
            node_token: "PTZNode_2".into(),
        },
    )
    .await
    .node;
    let v = scale::vector(
        &node.supported_spaces,
        Motion::Absolute,
        Some(0.5),
        Some(-0.5),
        Some(1.0),
    )
    .unwrap();
    let pt = v.pan_tilt.as_ref().unwrap();
    assert_eq!((pt.x, pt.y), (90.0, -45.0));
    assert_eq!(v.zoom.as_ref().unwrap().x, 0.5);
    ok(
        &cam,
        &AbsoluteMove {
            profile_token: P3.into(),
            position: v,
            speed: None,
        },
    )
    .await;
    // Default speed: 45 deg/s, zoom 0.25 per second.
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (45.0, -45.0, 0.25));
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (90.0, -45.0, 0.5));
    let st = status(&cam, P3).await;
    let pos = st.position.unwrap();
    assert_eq!(
        pos.pan_tilt.unwrap().space.as_deref(),
        Some(space::PAN_TILT_POSITION_SPHERICAL_DEGREES)
    );
    // Velocities in degrees per second; the zoom's 1.0 is its whole range per second.
    ok(
        &cam,
        &continuous(P3, PtzVector::new(30.0, 0.0, -1.0), Some(secs(2.0))),
    )
    .await;
    cam.advance(secs(0.5));
    assert_at(&cam, P3, (105.0, -45.0, 0.25));
    cam.advance(secs(10.0));
    assert_at(&cam, P3, (150.0, -45.0, 0.0));
    // Translations in degrees, clamped at 180.
    ok(
        &cam,
        &RelativeMove {
            profile_token: P3.into(),
            translation: pan_only(90.0, 10.0),
            speed: Some(PtzVector {
                pan_tilt: Some(Vector2D::new(90.0, 90.0)),
                zoom: None,
            }),
        },
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (180.0, -35.0, 0.0));
    // The first head did not move.
    assert_at(&cam, P1, (0.0, 0.0, 0.0));
}
