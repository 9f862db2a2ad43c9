//! Presets and home

use super::*;

#[tokio::test]
async fn presets_are_set_listed_renamed_recalled_and_removed() {
    let cam = Sim::builder().manual_clock().start().await;
    let presets = |p: &str| GetPresets {
        profile_token: p.into(),
    };
    assert!(ok(&cam, &presets(P1)).await.presets.is_empty());

    ok(
        &cam,
        &absolute(P1, 0.5, 0.25, 0.5, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    // Not while moving.
    let set = |name: Option<&str>, token: Option<&str>| SetPreset {
        profile_token: P1.into(),
        preset_name: name.map(str::to_owned),
        preset_token: token.map(str::to_owned),
    };
    let r = ask(&cam, &set(Some("Gate"), None)).await;
    assert_action(&r, "MovingPTZ");
    cam.advance(secs(1.0));
    let gate = ok(&cam, &set(Some("Gate"), None)).await.preset_token;
    assert_eq!(gate, "Preset_1");
    // Names are unique.
    let r = ask(&cam, &set(Some("Gate"), None)).await;
    assert_invalid_arg(&r, "PresetExist");
    let r = ask(&cam, &set(Some(&"x".repeat(65)), None)).await;
    assert_invalid_arg(&r, "InvalidPresetName");

    ok(
        &cam,
        &absolute(P1, -0.5, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(2.0));
    let second = ok(&cam, &set(None, None)).await.preset_token;
    assert_eq!(second, "Preset_2");

    let list = ok(&cam, &presets(P1)).await.presets;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].token, "Preset_1");
    assert_eq!(list[0].name.as_deref(), Some("Gate"));
    let pos = list[0].position.as_ref().unwrap();
    let pt = pos.pan_tilt.as_ref().unwrap();
    assert_eq!((pt.x, pt.y, pos.zoom.as_ref().unwrap().x), (0.5, 0.25, 0.5));
    assert_eq!(list[1].name.as_deref(), Some("Preset_2"));

    // Go to the gate at speed 0.5 on pan: 1.0 of pan takes 2 s.
    let goto = |token: &str| GotoPreset {
        profile_token: P1.into(),
        preset_token: token.into(),
        speed: Some(speeds(0.5, 1.0, 1.0)),
    };
    ok(&cam, &goto(&gate)).await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.0, 0.25, 0.5));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.5, 0.25, 0.5));
    assert!(!cam.ptz_moving());

    // Overwrite the second preset here and rename it.
    assert_eq!(
        ok(&cam, &set(Some("Drive"), Some(&second)))
            .await
            .preset_token,
        second
    );
    let list = ok(&cam, &presets(P1)).await.presets;
    assert_eq!(list[1].name.as_deref(), Some("Drive"));
    assert_eq!(
        list[1]
            .position
            .as_ref()
            .unwrap()
            .pan_tilt
            .as_ref()
            .unwrap()
            .x,
        0.5
    );
    // Renaming to its own name is fine; to another's is not.
    ok(&cam, &set(Some("Drive"), Some(&second))).await;
    let r = ask(&cam, &set(Some("Gate"), Some(&second))).await;
    assert_invalid_arg(&r, "PresetExist");
    let r = ask(&cam, &set(None, Some("Preset_9"))).await;
    assert_invalid_arg(&r, "NoToken");

    // Remove, then the token is unknown.
    let remove = |token: &str| RemovePreset {
        profile_token: P1.into(),
        preset_token: token.into(),
    };
    ok(&cam, &remove(&gate)).await;
    assert_invalid_arg(&ask(&cam, &remove(&gate)).await, "NoToken");
    assert_invalid_arg(&ask(&cam, &goto(&gate)).await, "NoToken");
    let list = ok(&cam, &presets(P1)).await.presets;
    assert_eq!(list.len(), 1);
    // The freed number is used again.
    assert_eq!(ok(&cam, &set(None, None)).await.preset_token, "Preset_1");
    // Presets belong to their head.
    assert!(ok(&cam, &presets(P3)).await.presets.is_empty());
}

#[tokio::test]
async fn a_head_holds_at_most_its_maximum_of_presets() {
    let cam = Sim::builder().manual_clock().start().await;
    for i in 1..=4 {
        let t = ok(
            &cam,
            &SetPreset {
                profile_token: P3.into(),
                preset_name: None,
                preset_token: None,
            },
        )
        .await
        .preset_token;
        assert_eq!(t, format!("Preset_{i}"));
    }
    let r = ask(
        &cam,
        &SetPreset {
            profile_token: P3.into(),
            preset_name: None,
            preset_token: None,
        },
    )
    .await;
    assert_action(&r, "TooManyPresets");
}

#[tokio::test]
async fn home_is_settable_on_one_head_and_fixed_on_the_other() {
    let cam = Sim::builder().manual_clock().start().await;
    let home = |p: &str| GotoHomePosition {
        profile_token: p.into(),
        speed: None,
    };
    ok(
        &cam,
        &absolute(P1, 0.4, 0.2, 0.6, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(1.0));
    ok(
        &cam,
        &SetHomePosition {
            profile_token: P1.into(),
        },
    )
    .await;
    ok(
        &cam,
        &absolute(P1, -1.0, -1.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(2.0));
    assert_at(&cam, P1, (-1.0, -1.0, 0.0));
    // Home at the default speed (0.5): 1.4 of pan takes 2.8 s.
    ok(&cam, &home(P1)).await;
    cam.advance(secs(2.0));
    assert_at(&cam, P1, (0.0, 0.0, 0.6));
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.4, 0.2, 0.6));
    // With a speed.
    ok(
        &cam,
        &absolute(P1, 0.0, 0.0, 0.0, Some(speeds(1.0, 1.0, 1.0))),
    )
    .await;
    cam.advance(secs(1.0));
    ok(
        &cam,
        &GotoHomePosition {
            profile_token: P1.into(),
            speed: Some(speeds(0.1, 0.1, 0.1)),
        },
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P1, (0.1, 0.1, 0.1));

    // The degree head's home is fixed at 0, 0, 0.
    let r = ask(
        &cam,
        &SetHomePosition {
            profile_token: P3.into(),
        },
    )
    .await;
    assert_action(&r, "CannotOverwriteHome");
    ok(
        &cam,
        &absolute(P3, 90.0, -45.0, 0.5, Some(speeds(90.0, 90.0, 1.0))),
    )
    .await;
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (90.0, -45.0, 0.5));
    ok(&cam, &home(P3)).await;
    // Default speed 45 deg/s; zoom 0.5 at 0.25/s.
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (45.0, 0.0, 0.25));
    cam.advance(secs(1.0));
    assert_at(&cam, P3, (0.0, 0.0, 0.0));
}
