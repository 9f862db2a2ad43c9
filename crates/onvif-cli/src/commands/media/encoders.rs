//! The video encoder command: `encoders` (the configurations), `encoders options` (what one
//! accepts), `encoders set` (a change, checked against those options, then read back).

use onvif::Camera;
use onvif::proto::ops::profile::{
    EncodingOptions, FloatRange, Resolution, VideoEncoder, VideoEncoderOptions, VideoEncoding,
};
use onvif::proto::ops::range::IntRange;

use super::{ENCODER_COLUMNS, encoder_cells};
use crate::args::imaging::OnOff;
use crate::args::media::{Codec, EncoderSet, EncodersAction, EncodersArgs};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean, kv, num, opt, table};

/// `encoders`, `encoders options [TOKEN]`, `encoders set TOKEN ...`.
pub async fn run(cam: &Camera, args: &EncodersArgs, out: &Out) -> Result<(), Failure> {
    match &args.action {
        None => out.answer(cam.video_encoders().await?.as_slice(), encoders_text),
        Some(EncodersAction::Options { token }) => {
            let token = match token {
                Some(t) => t.clone(),
                None => first_token(cam).await?,
            };
            let o = cam.video_encoder_options(&token).await?;
            out.answer(&o, |o| options_text(&token, o))
        }
        Some(EncodersAction::Set(set)) => set_encoder(cam, set, out).await,
    }
}

async fn first_token(cam: &Camera) -> Result<String, Failure> {
    let token = cam
        .video_encoders()
        .await?
        .into_iter()
        .next()
        .map(|e| e.token);
    token.ok_or_else(|| Failure {
        code: exit::DEVICE,
        message: "the camera lists no video encoder configuration".into(),
    })
}

async fn set_encoder(cam: &Camera, set: &EncoderSet, out: &Out) -> Result<(), Failure> {
    let Some(current) = find(cam, &set.token).await? else {
        let tokens: Vec<String> = cam
            .video_encoders()
            .await?
            .into_iter()
            .map(|e| e.token)
            .collect();
        return Err(Failure::usage(format!(
            "the camera has no encoder configuration {:?} (it has: {})",
            clean(&set.token),
            clean(&tokens.join(", "))
        )));
    };
    // A camera that cannot tell its options still takes a change: it checks it itself.
    let options = match cam.video_encoder_options(&set.token).await {
        Ok(o) => Some(o),
        Err(e) if e.fault().is_some() => {
            eprintln!(
                "note: the camera did not give the options of {} ({e}); the change is not \
                 checked before it is sent",
                clean(&set.token)
            );
            None
        }
        Err(e) => return Err(e.into()),
    };
    let wanted = encoder_change(set, &current, options.as_ref())?;
    cam.set_video_encoder(&wanted).await?;
    let now = find(cam, &set.token).await?.unwrap_or(wanted.clone());
    // Cameras round or ignore values and still answer with success.
    for n in not_kept(&wanted, &now) {
        eprintln!("note: {}", clean(&n));
    }
    out.show(&now, || encoders_text(std::slice::from_ref(&now)));
    Ok(())
}

async fn find(cam: &Camera, token: &str) -> Result<Option<VideoEncoder>, Failure> {
    Ok(cam
        .video_encoders()
        .await?
        .into_iter()
        .find(|e| e.token == token))
}

/// The configuration to send: `current` with the changes asked for, checked against what the
/// camera offers for the codec. When the codec changes, the values kept from the old one are
/// checked too, and a codec profile the new codec does not have is replaced by its first.
fn encoder_change(
    set: &EncoderSet,
    current: &VideoEncoder,
    options: Option<&VideoEncoderOptions>,
) -> Result<VideoEncoder, Failure> {
    let nothing = set.encoding.is_none()
        && set.resolution.is_none()
        && set.fps.is_none()
        && set.bitrate.is_none()
        && set.gov.is_none()
        && set.quality.is_none()
        && set.profile.is_none()
        && set.cbr.is_none();
    if nothing {
        return Err(Failure::usage(
            "nothing to set: give at least one of --encoding, --resolution, --fps, --bitrate, \
             --gov, --quality, --profile, --cbr",
        ));
    }
    for (name, v) in [("fps", set.fps), ("quality", set.quality)] {
        if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
            return Err(Failure::usage(format!(
                "--{name} must be a number of at least 0"
            )));
        }
    }
    let mut new = current.clone();
    let codec = set.encoding.map(|c| match c {
        Codec::H264 => VideoEncoding::H264,
        Codec::H265 => VideoEncoding::H265,
        Codec::Jpeg => VideoEncoding::Jpeg,
        Codec::Mpeg4 => VideoEncoding::Mpeg4,
    });
    let switched = codec.is_some() && codec != current.encoding;
    if let Some(c) = codec {
        new.encoding = Some(c);
    }
    if let Some((width, height)) = set.resolution {
        new.resolution = Some(Resolution { width, height });
    }
    new.frame_rate_limit = set.fps.or(new.frame_rate_limit);
    new.bitrate_limit = set.bitrate.or(new.bitrate_limit);
    new.gov_length = set.gov.or(new.gov_length);
    new.quality = set.quality.or(new.quality);
    if let Some(p) = &set.profile {
        new.profile = Some(p.clone());
    }
    if let Some(c) = set.cbr {
        new.constant_bitrate = Some(c == OnOff::On);
    }
    if switched && new.encoding == Some(VideoEncoding::Jpeg) {
        // JPEG has neither groups of pictures nor codec profiles.
        new.gov_length = None;
        new.profile = None;
    }
    let Some(options) = options else {
        return Ok(new);
    };
    let codec = new.encoding.clone().unwrap_or(VideoEncoding::H264);
    let Some(o) = options.get(&codec) else {
        if options.encodings.is_empty() {
            return Ok(new);
        }
        let offered: Vec<String> = options
            .encodings
            .iter()
            .map(|e| e.encoding.to_string())
            .collect();
        return Err(Failure::usage(format!(
            "{} does not take {codec} (it offers {}; see `encoders options {}`)",
            clean(&current.token),
            offered.join(", "),
            clean(&current.token)
        )));
    };
    if switched
        && set.profile.is_none()
        && let Some(p) = &new.profile
        && !o.profiles.is_empty()
        && !o.profiles.iter().any(|q| q.eq_ignore_ascii_case(p))
    {
        new.profile = o.profiles.first().cloned();
    }
    check(&new, set, switched, &codec, o)?;
    // The camera's own spelling of the profile.
    if let Some(p) = &new.profile
        && let Some(q) = o.profiles.iter().find(|q| q.eq_ignore_ascii_case(p))
    {
        new.profile = Some(q.clone());
    }
    Ok(new)
}

/// Is each value `new` has one the codec's options allow? Values given on the command line
/// are always checked; those kept from the configuration only when the codec changed (a
/// camera's own current values are not always inside the ranges it states).
fn check(
    new: &VideoEncoder,
    set: &EncoderSet,
    switched: bool,
    codec: &VideoEncoding,
    o: &EncodingOptions,
) -> Result<(), Failure> {
    let what = |option: &str, given: bool, value: String, allowed: String| {
        Failure::usage(if given {
            format!("--{option} {value} is not offered for {codec} ({allowed})")
        } else {
            format!(
                "the current {option} {value} is not offered for {codec} ({allowed}): give \
                 --{option}"
            )
        })
    };
    let given_or_switched = |given: bool| given || switched;
    if let Some(r) = new.resolution
        && given_or_switched(set.resolution.is_some())
        && !o.resolutions.is_empty()
        && !o.resolutions.contains(&r)
    {
        return Err(what(
            "resolution",
            set.resolution.is_some(),
            format!("{}x{}", r.width, r.height),
            format!("offered: {}", resolutions(&o.resolutions)),
        ));
    }
    if let Some(f) = new.frame_rate_limit
        && given_or_switched(set.fps.is_some())
    {
        let listed = !o.frame_rates_supported.is_empty();
        let off_list = listed && !o.frame_rates_supported.iter().any(|x| (x - f).abs() < 1e-6);
        let off_range = o.frame_rate_range.is_some_and(|r| !in_float(f, r));
        if off_list || off_range {
            let allowed = if listed {
                format!("offered: {}", floats(&o.frame_rates_supported))
            } else {
                float_range(o.frame_rate_range)
            };
            return Err(what("fps", set.fps.is_some(), num(Some(f)), allowed));
        }
    }
    let ints = [
        (
            "bitrate",
            set.bitrate.is_some(),
            new.bitrate_limit,
            o.bitrate_range,
        ),
        ("gov", set.gov.is_some(), new.gov_length, o.gov_length_range),
    ];
    for (option, given, value, range) in ints {
        if let (Some(v), Some(r)) = (value, range)
            && given_or_switched(given)
            && !in_int(v, r)
        {
            return Err(what(option, given, v.to_string(), int_range(Some(r))));
        }
    }
    if let (Some(q), Some(r)) = (new.quality, o.quality_range)
        && given_or_switched(set.quality.is_some())
        && !in_float(q, r)
    {
        let allowed = float_range(Some(r));
        return Err(what(
            "quality",
            set.quality.is_some(),
            num(Some(q)),
            allowed,
        ));
    }
    if let Some(p) = &new.profile
        && given_or_switched(set.profile.is_some())
        && !o.profiles.is_empty()
        && !o.profiles.iter().any(|q| q.eq_ignore_ascii_case(p))
    {
        let allowed = format!("offered: {}", o.profiles.join(", "));
        return Err(what("profile", set.profile.is_some(), clean(p), allowed));
    }
    if set.cbr == Some(OnOff::On) && o.constant_bitrate_supported == Some(false) {
        return Err(Failure::usage(format!(
            "--cbr on is not offered for {codec} (the camera has no constant bitrate for it)"
        )));
    }
    Ok(())
}

fn in_float(v: f64, r: FloatRange) -> bool {
    v >= r.min - 1e-9 && v <= r.max + 1e-9
}

fn in_int(v: u32, r: IntRange) -> bool {
    i64::from(v) >= i64::from(r.min) && i64::from(v) <= i64::from(r.max)
}

fn float_range(r: Option<FloatRange>) -> String {
    r.map(|r| format!("{}..{}", num(Some(r.min)), num(Some(r.max))))
        .unwrap_or_default()
}

fn int_range(r: Option<IntRange>) -> String {
    r.map(|r| format!("{}..{}", r.min, r.max))
        .unwrap_or_default()
}

fn resolutions(rs: &[Resolution]) -> String {
    let all: Vec<String> = rs
        .iter()
        .map(|r| format!("{}x{}", r.width, r.height))
        .collect();
    all.join(", ")
}

fn floats(v: &[f64]) -> String {
    let all: Vec<String> = v.iter().map(|f| num(Some(*f))).collect();
    all.join(", ")
}

/// What the camera did not keep of `sent`, as read back in `now`: one line each.
fn not_kept(sent: &VideoEncoder, now: &VideoEncoder) -> Vec<String> {
    let res = |r: Option<Resolution>| r.map(|r| format!("{}x{}", r.width, r.height));
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * a.abs().max(1.0),
        (a, _) => a.is_none(),
    };
    let mut out = Vec::new();
    let mut differs = |name: &str, asked: Option<String>, got: Option<String>| {
        if let Some(a) = asked
            && got.as_deref().is_none_or(|g| !g.eq_ignore_ascii_case(&a))
        {
            out.push(format!(
                "the camera reads back {name} {}, not the {a} set (it may round or ignore it)",
                opt(got)
            ));
        }
    };
    differs(
        "encoding",
        sent.encoding.as_ref().map(ToString::to_string),
        now.encoding.as_ref().map(ToString::to_string),
    );
    differs("resolution", res(sent.resolution), res(now.resolution));
    if !close(sent.frame_rate_limit, now.frame_rate_limit) {
        differs(
            "frame rate",
            sent.frame_rate_limit.map(|f| num(Some(f))),
            now.frame_rate_limit.map(|f| num(Some(f))),
        );
    }
    differs(
        "bitrate",
        sent.bitrate_limit.map(|b| format!("{b} kbps")),
        now.bitrate_limit.map(|b| format!("{b} kbps")),
    );
    differs(
        "GOP length",
        sent.gov_length.map(|g| g.to_string()),
        now.gov_length.map(|g| g.to_string()),
    );
    if !close(sent.quality, now.quality) {
        differs(
            "quality",
            sent.quality.map(|q| num(Some(q))),
            now.quality.map(|q| num(Some(q))),
        );
    }
    differs("profile", sent.profile.clone(), now.profile.clone());
    differs(
        "constant bitrate",
        sent.constant_bitrate.map(|c| c.to_string()),
        now.constant_bitrate.map(|c| c.to_string()),
    );
    out
}

fn encoders_text(es: &[VideoEncoder]) -> String {
    let rows: Vec<Vec<String>> = es
        .iter()
        .map(|v| {
            let mut row = vec![v.token.clone(), opt(v.name.clone())];
            row.extend(encoder_cells(Some(v)));
            row.extend([opt(v.gov_length), opt(v.profile.clone()), num(v.quality)]);
            row
        })
        .collect();
    let header = [
        &["TOKEN", "NAME"][..],
        &ENCODER_COLUMNS,
        &["GOV", "PROFILE", "QUALITY"],
    ]
    .concat();
    table(&header, &rows)
}

/// One block per codec.
fn options_text(token: &str, o: &VideoEncoderOptions) -> String {
    if o.encodings.is_empty() {
        return format!("{}: the camera gave no options", clean(token));
    }
    let mut s = format!("Encoder configuration {}\n", clean(token));
    for e in &o.encodings {
        let rates = match (e.frame_rate_range, e.frame_rates_supported.is_empty()) {
            (Some(r), true) => float_range(Some(r)),
            (None, false) => floats(&e.frame_rates_supported),
            (None, true) => String::new(),
            (Some(r), false) => format!(
                "{} ({})",
                float_range(Some(r)),
                floats(&e.frame_rates_supported)
            ),
        };
        s.push('\n');
        s.push_str(&format!("{}\n", e.encoding));
        let block = kv(&[
            ("  Resolutions", resolutions(&e.resolutions)),
            ("  Frame rates", rates),
            (
                "  Bitrate",
                e.bitrate_range
                    .map(|r| format!("{} kbps", int_range(Some(r))))
                    .unwrap_or_default(),
            ),
            ("  GOP length", int_range(e.gov_length_range)),
            ("  Quality", float_range(e.quality_range)),
            ("  Profiles", e.profiles.join(", ")),
            (
                "  Constant bitrate",
                e.constant_bitrate_supported
                    .map(|c| if c { "yes" } else { "no" }.to_owned())
                    .unwrap_or_default(),
            ),
        ]);
        s.push_str(&block);
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
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
}
