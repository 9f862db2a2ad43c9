//! Imaging

use super::*;

fn brightness(v: f64) -> SetImagingSettings {
    SetImagingSettings {
        video_source_token: "VideoSource_1".into(),
        settings: ImagingSettings {
            brightness: Some(v),
            ..ImagingSettings::default()
        },
        force_persistence: None,
    }
}

async fn imaging_settings(cam: &Sim) -> ImagingSettings {
    let r: ImagingSettingsResponse = cam
        .ask(
            IMAGING,
            &GetImagingSettings {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    r.settings
}

#[tokio::test]
async fn set_imaging_settings_changes_what_get_reads_back() {
    let cam = Sim::builder().start().await;
    let before = imaging_settings(&cam).await;
    assert_eq!(before.brightness, Some(50.0));
    assert_eq!(before.contrast, Some(50.0));
    assert_eq!(before.ir_cut_filter, Some(IrCutFilterMode::Auto));

    let set = SetImagingSettings {
        video_source_token: "VideoSource_1".into(),
        settings: ImagingSettings {
            brightness: Some(70.0),
            contrast: Some(30.0),
            ir_cut_filter: Some(IrCutFilterMode::Off),
            ..ImagingSettings::default()
        },
        force_persistence: Some(true),
    };
    let _: imaging::SetImagingSettingsResponse = cam.ask(IMAGING, &set).await.read();
    let after = imaging_settings(&cam).await;
    assert_eq!(after.brightness, Some(70.0));
    assert_eq!(after.contrast, Some(30.0));
    assert_eq!(after.ir_cut_filter, Some(IrCutFilterMode::Off));
    assert_eq!(after.sharpness, before.sharpness, "untouched values stay");
    assert_eq!(after.exposure, before.exposure);

    // The video source shows the same settings.
    let sources: media::VideoSources = cam.ask(MEDIA, &media::GetVideoSources).await.read();
    assert_eq!(
        sources.sources[0]
            .imaging
            .as_ref()
            .and_then(|i| i.brightness),
        Some(70.0)
    );

    // Outside GetOptions' 0..100: refused, nothing changes.
    let opts: ImagingOptionsResponse = cam
        .ask(
            IMAGING,
            &GetOptions {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    let range = opts.options.brightness.unwrap();
    assert_eq!((range.min, range.max), (0.0, 100.0));
    assert!(
        opts.options
            .ir_cut_filter_modes
            .contains(&IrCutFilterMode::Auto)
    );
    for bad in [150.0, -1.0, 100.5] {
        assert_invalid_arg(&cam.ask(IMAGING, &brightness(bad)).await, "SettingsInvalid");
    }
    let mut exposure = brightness(60.0);
    exposure.settings.exposure = Some(imaging::Exposure {
        gain: Some(1000.0),
        ..imaging::Exposure::default()
    });
    assert_invalid_arg(&cam.ask(IMAGING, &exposure).await, "SettingsInvalid");
    assert_eq!(imaging_settings(&cam).await.brightness, Some(70.0));
    // The edges are in range.
    let _: imaging::SetImagingSettingsResponse = cam.ask(IMAGING, &brightness(100.0)).await.read();
    assert_eq!(imaging_settings(&cam).await.brightness, Some(100.0));

    let caps: imaging::ServiceCapabilities = cam
        .ask(IMAGING, &imaging::GetServiceCapabilities)
        .await
        .read();
    assert!(!caps.0.flag("ImageStabilization"));
    assert!(caps.0.flags.contains_key("Presets"));
}

#[tokio::test]
async fn focus_moves_are_checked_and_recorded() {
    let cam = Sim::builder().start().await;
    let mo: MoveOptionsResponse = cam
        .ask(
            IMAGING,
            &GetMoveOptions {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    assert!(mo.options.absolute.is_some() && mo.options.continuous.is_some());
    let mv = |focus| Move {
        video_source_token: "VideoSource_1".into(),
        focus,
    };

    let _: imaging::MoveResponse = cam
        .ask(
            IMAGING,
            &mv(FocusMove::Absolute {
                position: 0.8,
                speed: None,
            }),
        )
        .await
        .read();
    assert_eq!(cam.focus().position, 0.8);
    let _: imaging::MoveResponse = cam
        .ask(
            IMAGING,
            &mv(FocusMove::Relative {
                distance: -0.3,
                speed: Some(0.5),
            }),
        )
        .await
        .read();
    let before = cam.focus().position;
    assert!((before - 0.5).abs() < 1e-9);
    let _: imaging::MoveResponse = cam
        .ask(IMAGING, &mv(FocusMove::Continuous { speed: 0.2 }))
        .await
        .read();
    assert_eq!(cam.focus().moving, Some(0.2));
    let _: imaging::StopResponse = cam
        .ask(
            IMAGING,
            &Stop {
                video_source_token: "VideoSource_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(cam.focus().moving, None);
    assert_eq!(cam.focus().moves, 3);
    // The continuous move carried the focus towards far while it ran, and no further.
    let stopped = cam.focus().position;
    assert!(stopped > before + 1e-9, "{before} -> {stopped}");
    assert_eq!(cam.focus().position, stopped);

    let r = cam
        .ask(
            IMAGING,
            &mv(FocusMove::Absolute {
                position: 2.0,
                speed: None,
            }),
        )
        .await;
    assert_invalid_arg(&r, "SettingsInvalid");
    assert_eq!(cam.focus().moves, 3);
}

#[tokio::test]
async fn unknown_video_sources_are_no_source_faults() {
    let cam = Sim::builder().start().await;
    let t = || "VideoSource_9".to_owned();
    let cases = [
        cam.ask(
            IMAGING,
            &GetImagingSettings {
                video_source_token: t(),
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &SetImagingSettings {
                video_source_token: t(),
                ..brightness(60.0)
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &GetOptions {
                video_source_token: t(),
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &GetMoveOptions {
                video_source_token: t(),
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &Move {
                video_source_token: t(),
                focus: FocusMove::Continuous { speed: 0.1 },
            },
        )
        .await,
        cam.ask(
            IMAGING,
            &Stop {
                video_source_token: t(),
            },
        )
        .await,
    ];
    for r in &cases {
        assert_invalid_arg(r, "NoSource");
    }
    assert_eq!(imaging_settings(&cam).await.brightness, Some(50.0));
}
