//! The video encoder command: `encoders` (the configurations), `encoders options` (what one
//! accepts), `encoders set` (a change, checked against those options, then read back).

use onvif::Camera;
use onvif::proto::Service;
use onvif::proto::ops::profile::{
    EncodingOptions, FloatRange, Resolution, VideoEncoder, VideoEncoderOptions, VideoEncoding,
};
use onvif::proto::ops::range::IntRange;

use super::{ENCODER_COLUMNS, encoder_cells};
use crate::args::imaging::OnOff;
use crate::args::media::{Codec, EncoderSet, EncodersAction, EncodersArgs};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean, kv, num, opt, table, yes_no};

/// `encoders`, `encoders options [TOKEN]`, `encoders set TOKEN ...`.
pub async fn run(cam: &Camera, args: &EncodersArgs, out: &Out) -> Result<(), Failure> {
    match &args.action {
        None => out.answer(cam.video_encoders().await?.as_slice(), encoders_text),
        Some(EncodersAction::Options { token }) => {
            let all = cam.video_encoders().await?;
            let token = match token {
                Some(t) => known(&all, t)?.token.clone(),
                None => all
                    .first()
                    .map(|e| e.token.clone())
                    .ok_or_else(|| Failure {
                        code: exit::DEVICE,
                        message: "the camera lists no video encoder configuration".into(),
                    })?,
            };
            let o = cam.video_encoder_options(&token).await?;
            out.answer(&o, |o| options_text(&token, o))
        }
        Some(EncodersAction::Set(set)) => set_encoder(cam, set, out).await,
    }
}

/// The configuration named, or a usage error naming those the camera has.
fn known<'a>(all: &'a [VideoEncoder], token: &str) -> Result<&'a VideoEncoder, Failure> {
    all.iter().find(|e| e.token == token).ok_or_else(|| {
        let tokens: Vec<&str> = all.iter().map(|e| e.token.as_str()).collect();
        Failure::usage(format!(
            "the camera has no encoder configuration {:?} (it has: {})",
            clean(token),
            clean(&tokens.join(", "))
        ))
    })
}

async fn set_encoder(cam: &Camera, set: &EncoderSet, out: &Out) -> Result<(), Failure> {
    let (now, notes) = change(cam, set).await?;
    for n in notes {
        // One line each: device text with a line break must not forge another.
        eprintln!(
            "note: {}",
            clean(&onvif::address::redact_userinfo_in_text(&n))
        );
    }
    out.show(&now, || encoders_text(std::slice::from_ref(&now)));
    Ok(())
}

/// Make the change `set` asks of its configuration, checked against the options the camera
/// gives before anything is sent, and read it back. Returned with it, what to tell the user:
/// options the camera did not give, values it rounded or ignored (device text, unescaped).
pub(crate) async fn change(
    cam: &Camera,
    set: &EncoderSet,
) -> Result<(VideoEncoder, Vec<String>), Failure> {
    let mut notes = Vec::new();
    let current = known(&cam.video_encoders().await?, &set.token)?.clone();
    if set.cbr.is_some() && !cam.has_service(Service::Media2).await? {
        return Err(Failure::usage(
            "--cbr: the camera has no Media2, and Media1 has no constant bitrate setting",
        ));
    }
    // A camera that cannot tell its options still takes a change: it checks it itself.
    let options = match cam.video_encoder_options(&set.token).await {
        Ok(o) => Some(o),
        Err(e) if e.fault().is_some() => {
            notes.push(format!(
                "the camera did not give the options of {} ({}); the change is not checked \
                 before it is sent",
                set.token, e
            ));
            None
        }
        Err(e) => return Err(e.into()),
    };
    let wanted = encoder_change(set, &current, options.as_ref())?;
    cam.set_video_encoder(&wanted).await?;
    let all = cam.video_encoders().await?;
    let Some(now) = all.into_iter().find(|e| e.token == set.token) else {
        notes.push(format!(
            "the camera took the change but no longer lists {}; shown as sent",
            set.token
        ));
        return Ok((wanted, notes));
    };
    // Cameras round or ignore values and still answer with success.
    notes.extend(not_kept(&wanted, &now));
    Ok((now, notes))
}

/// The codec `--encoding` names.
pub(crate) fn encoding_of(c: Codec) -> VideoEncoding {
    match c {
        Codec::H264 => VideoEncoding::H264,
        Codec::H265 => VideoEncoding::H265,
        Codec::Jpeg => VideoEncoding::Jpeg,
        Codec::Mpeg4 => VideoEncoding::Mpeg4,
    }
}

/// The `--encoding` that names a codec (none for one the camera names otherwise).
pub(crate) fn codec_of(e: &VideoEncoding) -> Option<Codec> {
    match e {
        VideoEncoding::H264 => Some(Codec::H264),
        VideoEncoding::H265 => Some(Codec::H265),
        VideoEncoding::Jpeg => Some(Codec::Jpeg),
        VideoEncoding::Mpeg4 => Some(Codec::Mpeg4),
        VideoEncoding::Other(_) => None,
    }
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
    let codec = set.encoding.map(encoding_of);
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
    if new.encoding == Some(VideoEncoding::Jpeg) {
        if set.gov.is_some() || set.profile.is_some() {
            return Err(Failure::usage(
                "JPEG has neither a GOP length nor codec profiles: leave out --gov and --profile",
            ));
        }
        if switched {
            new.gov_length = None;
            new.profile = None;
        }
    }
    let Some(options) = options else {
        return Ok(new);
    };
    let codec = new.encoding.clone().unwrap_or(VideoEncoding::H264);
    // A camera may list a codec more than once (one entry per resolution or profile): the
    // change is taken when one entry takes all of it.
    let entries: Vec<&EncodingOptions> = options
        .encodings
        .iter()
        .filter(|e| e.encoding == codec)
        .collect();
    if entries.is_empty() {
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
    }
    for o in &entries {
        // A new codec's defaults come from the entry that is to take the change.
        let mut candidate = new.clone();
        if switched {
            codec_defaults(&mut candidate, set, o);
        }
        if check(&candidate, set, switched, &codec, o).is_ok() {
            // The camera's own spelling of the profile.
            if let Some(p) = &candidate.profile
                && let Some(q) = o.profiles.iter().find(|q| q.eq_ignore_ascii_case(p))
            {
                candidate.profile = Some(q.clone());
            }
            return Ok(candidate);
        }
    }
    // Refused: named against everything the camera offers for the codec.
    let all = union(&codec, &entries);
    if switched {
        codec_defaults(&mut new, set, &all);
    }
    match check(&new, set, switched, &codec, &all) {
        Ok(()) => Err(Failure::usage(format!(
            "the camera offers each of these values for {codec}, but not together (see \
             `encoders options {}`)",
            clean(&current.token)
        ))),
        Err(e) => Err(e),
    }
}

/// On a change of codec, what the old one had and the new one does not: a codec profile it
/// does not offer becomes its first (none is set: its first too), and a codec with groups of
/// pictures gets a GOP length when the configuration had none (two seconds of frames, within
/// the codec's range).
fn codec_defaults(new: &mut VideoEncoder, set: &EncoderSet, o: &EncodingOptions) {
    let offered = |p: &String| o.profiles.iter().any(|q| q.eq_ignore_ascii_case(p));
    if set.profile.is_none() && !new.profile.as_ref().is_some_and(offered) {
        new.profile = o.profiles.first().cloned();
    }
    if set.gov.is_none()
        && new.gov_length.is_none()
        && let Some(r) = o.gov_length_range
    {
        let fps = new.frame_rate_limit.unwrap_or(25.0);
        let two_seconds = (fps * 2.0).round().clamp(1.0, f64::from(u32::MAX)) as i64;
        // A camera may write its range backwards.
        let (lo, hi) = (r.min.min(r.max).max(1), r.min.max(r.max).max(1));
        let gov = two_seconds.clamp(i64::from(lo), i64::from(hi));
        new.gov_length = u32::try_from(gov).ok();
    }
}

/// Every entry of one codec as one, for naming what the camera offers in a refusal.
fn union(codec: &VideoEncoding, entries: &[&EncodingOptions]) -> EncodingOptions {
    let mut all = EncodingOptions::new(codec.clone());
    let widen_f = |a: Option<FloatRange>, b: Option<FloatRange>| match (a, b) {
        (Some(a), Some(b)) => Some(FloatRange {
            min: a.min.min(b.min),
            max: a.max.max(b.max),
        }),
        (a, b) => a.or(b),
    };
    let widen_i = |a: Option<IntRange>, b: Option<IntRange>| match (a, b) {
        (Some(a), Some(b)) => Some(IntRange {
            min: a.min.min(b.min),
            max: a.max.max(b.max),
        }),
        (a, b) => a.or(b),
    };
    for e in entries {
        for r in &e.resolutions {
            if !all.resolutions.contains(r) {
                all.resolutions.push(*r);
            }
        }
        for f in &e.frame_rates_supported {
            if !all.frame_rates_supported.contains(f) {
                all.frame_rates_supported.push(*f);
            }
        }
        for p in &e.profiles {
            if !all.profiles.contains(p) {
                all.profiles.push(p.clone());
            }
        }
        all.quality_range = widen_f(all.quality_range, e.quality_range);
        all.frame_rate_range = widen_f(all.frame_rate_range, e.frame_rate_range);
        all.gov_length_range = widen_i(all.gov_length_range, e.gov_length_range);
        all.bitrate_range = widen_i(all.bitrate_range, e.bitrate_range);
        all.constant_bitrate_supported =
            match (all.constant_bitrate_supported, e.constant_bitrate_supported) {
                (Some(a), Some(b)) => Some(a || b),
                (a, b) => a.or(b),
            };
    }
    all
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
        let on_list = o.frame_rates_supported.iter().any(|x| (x - f).abs() < 1e-6);
        // Media1 writes the rate as an xs:int: a fraction only where the camera lists it.
        if f.fract() != 0.0 && !on_list {
            let allowed = if listed {
                format!("offered: {}", floats(&o.frame_rates_supported))
            } else {
                "whole frames per second".to_owned()
            };
            return Err(what("fps", set.fps.is_some(), num(Some(f)), allowed));
        }
        let off_list = listed && !on_list;
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

/// In the range, whichever way round the camera wrote it.
fn in_float(v: f64, r: FloatRange) -> bool {
    v >= r.min.min(r.max) - 1e-9 && v <= r.max.max(r.min) + 1e-9
}

/// In the range, whichever way round the camera wrote it.
fn in_int(v: u32, r: IntRange) -> bool {
    let v = i64::from(v);
    v >= i64::from(r.min.min(r.max)) && v <= i64::from(r.max.max(r.min))
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
            row.extend([
                opt(v.gov_length),
                opt(v.profile.clone()),
                num(v.quality),
                opt(v.constant_bitrate.map(yes_no)),
            ]);
            row
        })
        .collect();
    let header = [
        &["TOKEN", "NAME"][..],
        &ENCODER_COLUMNS,
        &["GOV", "PROFILE", "QUALITY", "CBR"],
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
mod tests;
