//! The checks `encoders set` makes before it sends a change, and its notes after.
#![allow(clippy::unwrap_used)]

use super::*;

fn h264() -> EncodingOptions {
    EncodingOptions {
        quality_range: Some(FloatRange {
            min: 1.0,
            max: 10.0,
        }),
        resolutions: vec![
            Resolution {
                width: 1920,
                height: 1080,
            },
            Resolution {
                width: 640,
                height: 360,
            },
        ],
        frame_rate_range: Some(FloatRange {
            min: 1.0,
            max: 25.0,
        }),
        bitrate_range: Some(IntRange {
            min: 128,
            max: 8192,
        }),
        gov_length_range: Some(IntRange { min: 1, max: 150 }),
        profiles: vec!["Baseline".into(), "Main".into()],
        ..EncodingOptions::new(VideoEncoding::H264)
    }
}

fn current() -> VideoEncoder {
    VideoEncoder {
        token: "E1".into(),
        encoding: Some(VideoEncoding::H264),
        resolution: Some(Resolution {
            width: 1920,
            height: 1080,
        }),
        frame_rate_limit: Some(25.0),
        bitrate_limit: Some(4096),
        gov_length: Some(50),
        profile: Some("Main".into()),
        quality: Some(6.0),
        ..VideoEncoder::default()
    }
}

fn set(token: &str) -> EncoderSet {
    EncoderSet {
        token: token.into(),
        encoding: None,
        resolution: None,
        fps: None,
        bitrate: None,
        gov: None,
        quality: None,
        profile: None,
        cbr: None,
    }
}

fn message(r: Result<VideoEncoder, Failure>) -> String {
    r.unwrap_err().message
}

#[test]
fn a_change_inside_the_options_is_made_and_the_rest_kept() {
    let o = VideoEncoderOptions {
        encodings: vec![h264()],
    };
    let s = EncoderSet {
        resolution: Some((640, 360)),
        fps: Some(10.0),
        profile: Some("baseline".into()),
        ..set("E1")
    };
    let new = encoder_change(&s, &current(), Some(&o)).unwrap();
    assert_eq!(
        new.resolution,
        Some(Resolution {
            width: 640,
            height: 360
        })
    );
    assert_eq!(new.frame_rate_limit, Some(10.0));
    assert_eq!(new.bitrate_limit, Some(4096));
    // The camera's spelling.
    assert_eq!(new.profile.as_deref(), Some("Baseline"));
}

#[test]
fn values_outside_the_options_are_refused_naming_what_is_offered() {
    let o = VideoEncoderOptions {
        encodings: vec![h264()],
    };
    let m = message(encoder_change(
        &EncoderSet {
            resolution: Some((800, 600)),
            ..set("E1")
        },
        &current(),
        Some(&o),
    ));
    assert!(
        m.contains("--resolution 800x600") && m.contains("1920x1080, 640x360"),
        "{m}"
    );
    let m = message(encoder_change(
        &EncoderSet {
            bitrate: Some(9000),
            ..set("E1")
        },
        &current(),
        Some(&o),
    ));
    assert!(
        m.contains("--bitrate 9000") && m.contains("128..8192"),
        "{m}"
    );
    let m = message(encoder_change(
        &EncoderSet {
            encoding: Some(Codec::H265),
            ..set("E1")
        },
        &current(),
        Some(&o),
    ));
    assert!(
        m.contains("does not take H265") && m.contains("offers H264"),
        "{m}"
    );
    let m = message(encoder_change(&set("E1"), &current(), Some(&o)));
    assert!(m.starts_with("nothing to set"), "{m}");
}

#[test]
fn a_new_codec_checks_the_values_kept_and_says_which_option_to_give() {
    let h265 = EncodingOptions {
        resolutions: vec![Resolution {
            width: 2560,
            height: 1440,
        }],
        profiles: vec!["Main".into()],
        ..EncodingOptions::new(VideoEncoding::H265)
    };
    let o = VideoEncoderOptions {
        encodings: vec![h264(), h265],
    };
    let m = message(encoder_change(
        &EncoderSet {
            encoding: Some(Codec::H265),
            ..set("E1")
        },
        &current(),
        Some(&o),
    ));
    assert!(
        m.contains("the current resolution 1920x1080") && m.contains("give --resolution"),
        "{m}"
    );
    let new = encoder_change(
        &EncoderSet {
            encoding: Some(Codec::H265),
            resolution: Some((2560, 1440)),
            ..set("E1")
        },
        &current(),
        Some(&o),
    )
    .unwrap();
    assert_eq!(new.encoding, Some(VideoEncoding::H265));
    assert_eq!(new.profile.as_deref(), Some("Main"));
}

/// A camera may list a codec twice (here per resolution): a change one entry takes is
/// made; one no entry takes is refused naming what all of them offer.
#[test]
fn a_codec_listed_twice_takes_what_either_entry_takes() {
    let small = EncodingOptions {
        resolutions: vec![Resolution {
            width: 1280,
            height: 720,
        }],
        bitrate_range: Some(IntRange { min: 64, max: 2048 }),
        ..h264()
    };
    let big = EncodingOptions {
        resolutions: vec![Resolution {
            width: 1920,
            height: 1080,
        }],
        ..h264()
    };
    let o = VideoEncoderOptions {
        encodings: vec![big, small],
    };
    let s = EncoderSet {
        resolution: Some((1280, 720)),
        bitrate: Some(1024),
        ..set("E1")
    };
    let new = encoder_change(&s, &current(), Some(&o)).unwrap();
    assert_eq!(new.resolution.map(|r| r.width), Some(1280));
    let m = message(encoder_change(
        &EncoderSet {
            resolution: Some((640, 480)),
            ..set("E1")
        },
        &current(),
        Some(&o),
    ));
    assert!(m.contains("1920x1080, 1280x720"), "{m}");
    // 1280x720 at 8000 kbps: each value offered, not together.
    let m = message(encoder_change(
        &EncoderSet {
            resolution: Some((1280, 720)),
            bitrate: Some(8000),
            ..set("E1")
        },
        &current(),
        Some(&o),
    ));
    assert!(m.contains("but not together"), "{m}");
}

/// From JPEG to H.264: the codec's first profile and a GOP of two seconds of frames are
/// filled in; to JPEG, --gov and --profile are refused; a fraction of a frame per second
/// only where the camera lists it.
#[test]
fn a_new_codec_gets_what_it_needs_and_jpeg_refuses_what_it_has_not() {
    let jpeg_now = VideoEncoder {
        encoding: Some(VideoEncoding::Jpeg),
        profile: None,
        gov_length: None,
        frame_rate_limit: Some(10.0),
        ..current()
    };
    let o = VideoEncoderOptions {
        encodings: vec![h264()],
    };
    let new = encoder_change(
        &EncoderSet {
            encoding: Some(Codec::H264),
            ..set("E1")
        },
        &jpeg_now,
        Some(&o),
    )
    .unwrap();
    assert_eq!(new.profile.as_deref(), Some("Baseline"));
    assert_eq!(new.gov_length, Some(20));
    let high = VideoEncoder {
        profile: Some("High".into()),
        ..current()
    };
    let h265 = EncodingOptions {
        profiles: vec!["Main".into()],
        ..EncodingOptions::new(VideoEncoding::H265)
    };
    let o2 = VideoEncoderOptions {
        encodings: vec![h264(), h265],
    };
    let new = encoder_change(
        &EncoderSet {
            encoding: Some(Codec::H265),
            ..set("E1")
        },
        &high,
        Some(&o2),
    )
    .unwrap();
    assert_eq!(new.profile.as_deref(), Some("Main"), "High is not H.265's");
    let m = message(encoder_change(
        &EncoderSet {
            encoding: Some(Codec::Jpeg),
            gov: Some(30),
            ..set("E1")
        },
        &current(),
        None,
    ));
    assert!(m.contains("leave out --gov and --profile"), "{m}");
    let m = message(encoder_change(
        &EncoderSet {
            fps: Some(12.5),
            ..set("E1")
        },
        &current(),
        Some(&o),
    ));
    assert!(
        m.contains("--fps 12.5") && m.contains("whole frames"),
        "{m}"
    );
}

#[test]
fn what_the_camera_did_not_keep_is_named() {
    let sent = VideoEncoder {
        bitrate_limit: Some(5000),
        ..current()
    };
    let now = VideoEncoder {
        bitrate_limit: Some(4096),
        ..current()
    };
    let notes = not_kept(&sent, &now);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("bitrate 4096 kbps, not the 5000 kbps"),
        "{notes:?}"
    );
    assert!(not_kept(&current(), &current()).is_empty());
}

/// A new codec's defaults come from the entry that takes the change: from JPEG at 1280x720
/// to H.264 listed as (1920x1080, Main, GOP to 150) and (1280x720, High, GOP to 30), the
/// second's profile and a GOP within its range; a range written backwards does not panic.
#[test]
fn a_new_codecs_defaults_come_from_the_entry_that_takes_it() {
    let a = EncodingOptions {
        resolutions: vec![Resolution {
            width: 1920,
            height: 1080,
        }],
        profiles: vec!["Main".into()],
        gov_length_range: Some(IntRange { min: 1, max: 150 }),
        ..h264()
    };
    let b = EncodingOptions {
        resolutions: vec![Resolution {
            width: 1280,
            height: 720,
        }],
        profiles: vec!["High".into()],
        gov_length_range: Some(IntRange { min: 30, max: 1 }),
        ..h264()
    };
    let o = VideoEncoderOptions {
        encodings: vec![a, b],
    };
    let jpeg = VideoEncoder {
        encoding: Some(VideoEncoding::Jpeg),
        resolution: Some(Resolution {
            width: 1280,
            height: 720,
        }),
        profile: None,
        gov_length: None,
        ..current()
    };
    let new = encoder_change(
        &EncoderSet {
            encoding: Some(Codec::H264),
            ..set("E1")
        },
        &jpeg,
        Some(&o),
    )
    .unwrap();
    assert_eq!(new.profile.as_deref(), Some("High"));
    assert_eq!(new.gov_length, Some(30));
}
