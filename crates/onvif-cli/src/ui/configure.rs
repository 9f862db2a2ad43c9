//! What the camera page sets beyond pictures and moves: its video encoders (codec, size,
//! frame rate, bitrate, within the options the camera gives) and the name and location it
//! announces in WS-Discovery. Each change is checked as `encoders set` and `scopes name` /
//! `scopes location` check it (the same code), then read back.

use std::fmt::Write as _;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use clap::ValueEnum;
use onvif::Camera;
use onvif::proto::ops::profile::{
    EncodingOptions, Resolution, VideoEncoder, VideoEncoderOptions, VideoEncoding,
};

use super::actions::ok;
use super::app::{Form, S, UiError};
use super::html::{esc, kv, problem};
use crate::args::media::{EncoderSet, parse_resolution};
use crate::commands::media::encoders::{change, codec_of, encoding_of};
use crate::commands::scopes::set_one;
use crate::failure::{Failure, exit};
use onvif::address::redact_userinfo_in_text;

/// The Encoders section: each video encoder configuration as a form that changes it.
pub(super) async fn encoders(cam: &Camera, u: &str) -> String {
    let mut o = String::from("<section><h2>Encoders</h2>");
    match cam.video_encoders().await {
        Ok(all) if all.is_empty() => {
            o.push_str("<p>The camera lists no video encoder configuration.</p>");
        }
        Ok(all) => {
            for e in &all {
                // A camera that gives no options still gets a form: it checks a change itself.
                let options = cam.video_encoder_options(&e.token).await.ok();
                o.push_str(&encoder_form(e, options.as_ref(), u));
            }
        }
        Err(e) => o.push_str(&problem("encoders", &e.into())),
    }
    o.push_str("</section>");
    o
}

/// `<option>`s of `values` (value, label), the one equal to `current` selected. A current
/// value the list lacks comes first; an unknown one (empty) is an empty option, selected, so
/// that the form sends nothing for it (`unknown` names it).
fn choices(values: &[(String, String)], current: &str, unknown: &str) -> String {
    let mut o = String::new();
    if current.is_empty() {
        let _ = write!(o, "<option value=\"\" selected>{}</option>", esc(unknown));
    } else if !values.iter().any(|(v, _)| v == current) {
        let _ = write!(
            o,
            "<option value=\"{0}\" selected>{0}</option>",
            esc(current)
        );
    }
    for (v, label) in values {
        let sel = if v == current { " selected" } else { "" };
        let _ = write!(
            o,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(v),
            esc(label)
        );
    }
    o
}

/// The form's value for each setting as the configuration has it (empty: unknown), so that
/// a field sent back unchanged is told from a change without being read.
fn shown_codec(e: &VideoEncoder) -> String {
    e.encoding.as_ref().and_then(codec_name).unwrap_or_default()
}

/// The form's (and `--encoding`'s) name of a codec (`h264`); none for a vendor's own.
fn codec_name(c: &VideoEncoding) -> Option<String> {
    codec_of(c)
        .and_then(|c| c.to_possible_value())
        .map(|v| v.get_name().to_owned())
}

fn shown_size(e: &VideoEncoder) -> String {
    e.resolution.map(size).unwrap_or_default()
}

fn shown_fps(e: &VideoEncoder) -> String {
    e.frame_rate_limit.map(number).unwrap_or_default()
}

fn shown_bitrate(e: &VideoEncoder) -> String {
    e.bitrate_limit.map(|b| b.to_string()).unwrap_or_default()
}

/// `min`/`max` for a number field, when the current value lies within them (a camera's own
/// value is not always inside the range it states, and the browser would refuse to send it).
fn bounds(min: f64, max: f64, current: Option<f64>) -> String {
    let (lo, hi) = (min.min(max), max.max(min));
    match current {
        Some(v) if !(lo..=hi).contains(&v) => String::new(),
        _ => format!(" min=\"{lo}\" max=\"{hi}\""),
    }
}

fn size(r: Resolution) -> String {
    format!("{}x{}", r.width, r.height)
}

/// A number as a form writes it (`15`, not `15.0`).
fn number(v: f64) -> String {
    format!("{v}")
}

fn encoder_form(e: &VideoEncoder, options: Option<&VideoEncoderOptions>, u: &str) -> String {
    let tok = esc(&e.token);
    // The name, and the token beside it where they differ.
    let name = match e.name.as_deref() {
        Some(n) if n != e.token => format!("{} <small>{tok}</small>", esc(n)),
        _ => tok.clone(),
    };
    let current = e.encoding.clone().unwrap_or(VideoEncoding::H264);
    let entries: Vec<&EncodingOptions> = options
        .map(|o| o.encodings.iter().collect())
        .unwrap_or_default();
    let mine: Vec<&&EncodingOptions> = entries.iter().filter(|o| o.encoding == current).collect();
    let mut o = format!(
        "<form method=\"post\" action=\"/camera/{u}/encoder\" data-ajax data-reload \
         class=\"encoder\"><input type=\"hidden\" name=\"token\" value=\"{tok}\">\
         <strong>{name}</strong> "
    );
    // Codecs: those offered that a change can name.
    let mut codecs: Vec<(String, String)> = Vec::new();
    for c in entries.iter().map(|o| &o.encoding).chain([&current]) {
        if let Some(n) = codec_name(c)
            && !codecs.iter().any(|(m, _)| *m == n)
        {
            codecs.push((n, c.to_string()));
        }
    }
    let unknown = match &e.encoding {
        Some(c) => format!("{c} (kept)"),
        None => "(kept)".to_owned(),
    };
    let _ = write!(
        o,
        "<label>codec <select name=\"encoding\">{}</select></label> ",
        choices(&codecs, &shown_codec(e), &unknown)
    );
    // Sizes: the current codec's first, then those of the others, largest first.
    let mut sizes: Vec<Resolution> = Vec::new();
    for group in [mine.clone(), entries.iter().collect()] {
        let mut add: Vec<Resolution> = group
            .iter()
            .flat_map(|o| o.resolutions.iter().copied())
            .filter(|r| !sizes.contains(r))
            .collect();
        add.sort_by_key(|r| std::cmp::Reverse(u64::from(r.width) * u64::from(r.height)));
        add.dedup();
        sizes.extend(add);
    }
    if sizes.is_empty() {
        let _ = write!(
            o,
            "<label>resolution <input name=\"resolution\" value=\"{}\" size=\"9\" \
             placeholder=\"1280x720\"></label> ",
            esc(&shown_size(e))
        );
    } else {
        let list: Vec<(String, String)> = sizes.iter().map(|r| (size(*r), size(*r))).collect();
        let _ = write!(
            o,
            "<label>resolution <select name=\"resolution\">{}</select></label> ",
            choices(&list, &shown_size(e), "(kept)")
        );
    }
    // Frame rates: the list the codec offers, else a number within its range.
    let mut rates: Vec<f64> = Vec::new();
    for r in mine.iter().flat_map(|o| o.frame_rates_supported.iter()) {
        if !rates.contains(r) {
            rates.push(*r);
        }
    }
    if rates.is_empty() {
        let range = mine.iter().find_map(|o| o.frame_rate_range);
        let _ = write!(
            o,
            "<label>fps <input type=\"number\" name=\"fps\" step=\"any\"{} value=\"{}\" \
             class=\"short\"></label> ",
            range.map_or(String::new(), |r| bounds(r.min, r.max, e.frame_rate_limit)),
            esc(&shown_fps(e))
        );
    } else {
        rates.sort_by(|a, b| b.total_cmp(a));
        let list: Vec<(String, String)> = rates.iter().map(|r| (number(*r), number(*r))).collect();
        let _ = write!(
            o,
            "<label>fps <select name=\"fps\">{}</select></label> ",
            choices(&list, &shown_fps(e), "(kept)")
        );
    }
    let range = mine.iter().find_map(|o| o.bitrate_range);
    if e.bitrate_limit.is_some() || range.is_some() {
        let _ = write!(
            o,
            "<label>bitrate <input type=\"number\" name=\"bitrate\" step=\"1\"{} \
             value=\"{}\" class=\"short\"> kbit/s</label> ",
            range.map_or(String::new(), |r| bounds(
                f64::from(r.min),
                f64::from(r.max),
                e.bitrate_limit.map(f64::from)
            )),
            shown_bitrate(e)
        );
    }
    o.push_str("<button>Save</button></form>");
    o
}

/// The fields the encoder form sends.
const ENCODER_FIELDS: [&str; 5] = ["token", "encoding", "resolution", "fps", "bitrate"];

/// POST /camera/NAME/encoder: token, and any of encoding, resolution, fps, bitrate. What
/// differs from the configuration is changed as `encoders set` changes it.
pub async fn set_encoder(
    State(app): S,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let form = Form::parse_of(&body, &ENCODER_FIELDS, "encoder")?;
    let token = form
        .get("token")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| UiError::bad("which encoder configuration? the token is missing"))?;
    let cam = slot.camera(&app.g).await?;
    let all = cam.video_encoders().await?;
    let current = all
        .iter()
        .find(|e| e.token == token)
        .ok_or_else(|| UiError::not_found("encoder configuration of that token"))?;
    // Only what differs: the form sends every field as it was shown (an unknown value as an
    // empty one), and a value sent back unchanged is not read, so one the camera holds but
    // would not take (a rate of 0) does not stand in the way of changing another.
    let changed = |n: &str, shown: String| {
        form.get(n)
            .map(str::trim)
            .filter(|v| !v.is_empty() && *v != shown)
    };
    let encoding = changed("encoding", shown_codec(current))
        .map(|v| {
            crate::args::media::Codec::from_str(v, true)
                .map_err(|_| UiError::bad(format!("{v:?} is not a codec: h264, h265, jpeg, mpeg4")))
        })
        .transpose()?;
    let resolution = changed("resolution", shown_size(current))
        .map(|v| parse_resolution(v).map_err(UiError::bad))
        .transpose()?;
    let fps = changed("fps", shown_fps(current))
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f > 0.0)
                .ok_or_else(|| UiError::bad(format!("fps {v:?} is not a frame rate")))
        })
        .transpose()?;
    let bitrate = changed("bitrate", shown_bitrate(current))
        .map(|v| {
            v.parse::<u32>()
                .map_err(|_| UiError::bad(format!("bitrate {v:?} is not a whole number of kbit/s")))
        })
        .transpose()?;
    let set = EncoderSet {
        token: token.to_owned(),
        encoding: encoding.filter(|c| current.encoding.as_ref() != Some(&encoding_of(*c))),
        resolution: resolution
            .filter(|&(width, height)| current.resolution != Some(Resolution { width, height })),
        fps: fps.filter(|f| current.frame_rate_limit != Some(*f)),
        bitrate: bitrate.filter(|b| current.bitrate_limit != Some(*b)),
        gov: None,
        quality: None,
        profile: None,
        cbr: None,
    };
    if set.encoding.is_none()
        && set.resolution.is_none()
        && set.fps.is_none()
        && set.bitrate.is_none()
    {
        return Ok(ok(format!("{token}: nothing changed")));
    }
    let (now, notes) = change(&cam, &set).await.map_err(form_words)?;
    let mut said = format!(
        "{} is now {} {} {} fps {} kbit/s",
        now.token,
        now.encoding
            .as_ref()
            .map_or("?".into(), ToString::to_string),
        now.resolution.map_or("?".into(), size),
        now.frame_rate_limit.map_or("?".into(), number),
        now.bitrate_limit.map_or("?".into(), |b| b.to_string()),
    );
    for n in notes {
        let _ = write!(said, "; {}", redact_userinfo_in_text(&n));
    }
    Ok(ok(said))
}

/// A refusal of `encoders set` in the form's words: its fields, not the command's options.
fn form_words(f: Failure) -> UiError {
    if f.code != exit::USAGE {
        return f.into();
    }
    let mut m = f.message.replace("the current ", "");
    for o in [
        "encoding",
        "resolution",
        "fps",
        "bitrate",
        "gov",
        "quality",
        "profile",
        "cbr",
    ] {
        m = m
            .replace(&format!(": give --{o}"), &format!(": choose another {o}"))
            .replace(&format!("--{o} "), &format!("{o} "));
    }
    UiError::bad(m)
}

/// The Discovery section: the name and location the camera announces, with a form that
/// changes them.
pub(super) async fn discovery(cam: &Camera, u: &str) -> String {
    let mut o = String::from("<section><h2>Discovery</h2>");
    let scopes = match cam.scopes().await {
        Ok(s) => s.scopes,
        Err(e) => {
            o.push_str(&problem("scopes", &e.into()));
            o.push_str("</section>");
            return o;
        }
    };
    o.push_str(&kv(&[
        ("Name", values_of(&scopes, "name", false).join(", ")),
        ("Location", values_of(&scopes, "location", false).join(", ")),
    ]));
    // The form replaces a category's configurable scope; where the camera has several, it
    // would replace them all: those are left to `onvif scopes`.
    let field = |category: &str, max: usize, hint: &str| {
        let mine = values_of(&scopes, category, true);
        if mine.len() > 1 {
            format!(
                "<label>{category} <input name=\"{category}\" disabled value=\"{}\" \
                 title=\"several: `onvif scopes` changes them one by one\"></label> ",
                esc(&mine.join(", "))
            )
        } else {
            format!(
                "<label>{category} <input name=\"{category}\" maxlength=\"{max}\" \
                 value=\"{}\"{hint}></label> ",
                esc(mine.first().map_or("", String::as_str))
            )
        }
    };
    let _ = write!(
        o,
        "<form method=\"post\" action=\"/camera/{u}/scopes\" data-ajax data-reload \
         class=\"scopes\">{}{}<button>Save</button></form>\
         <p><small>What WS-Discovery and recorders show for the camera; a location's parts \
         are separated by /.</small></p></section>",
        field("name", 64, ""),
        field("location", 128, " placeholder=\"city/street\""),
    );
    o
}

/// The values of the camera's scopes of `category` (`name`, `location`), decoded; with
/// `configurable`, only those the camera lets be changed (what `scopes name` and `scopes
/// location` replace).
fn values_of(
    scopes: &[onvif::proto::ops::device::Scope],
    category: &str,
    configurable: bool,
) -> Vec<String> {
    scopes
        .iter()
        .filter(|s| !configurable || s.definition.eq_ignore_ascii_case("Configurable"))
        .filter_map(|s| s.onvif_parts())
        .filter(|(c, _)| c.eq_ignore_ascii_case(category))
        .map(|(_, v)| v)
        .collect()
}

/// POST /camera/NAME/scopes: name and/or location; each that differs from what the camera
/// announces replaces its configurable scopes of that category.
pub async fn set_scopes(
    State(app): S,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let form = Form::parse_of(&body, &["name", "location"], "discovery")?;
    let cam = slot.camera(&app.g).await?;
    let have = cam.scopes().await?.scopes;
    let mut said = Vec::new();
    for category in ["name", "location"] {
        let Some(given) = form.get(category).map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        let announced = values_of(&have, category, false)
            .iter()
            .any(|v| v.trim_matches('/') == given.trim_matches('/'));
        if announced {
            continue;
        }
        let several = values_of(&have, category, true).len() > 1;
        let done = if said.is_empty() {
            String::new()
        } else {
            format!("{}; but ", said.join("; "))
        };
        if several {
            return Err(UiError::bad(format!(
                "{done}the camera announces several {category} scopes: `onvif scopes` changes \
                 them one by one"
            )));
        }
        match set_one(&cam, category, given).await {
            Ok(notes) => {
                said.push(format!("{category} set"));
                said.extend(
                    notes
                        .iter()
                        .map(|n| redact_userinfo_in_text(n).into_owned()),
                );
            }
            // What was already set is said with the refusal.
            Err(f) if !done.is_empty() => {
                let mut e = UiError::from(f);
                e.message = format!("{done}{category}: {}", e.message);
                return Err(e);
            }
            Err(f) => return Err(f.into()),
        }
    }
    if said.is_empty() {
        return Ok(ok("nothing changed"));
    }
    Ok(ok(said.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::{bounds, choices};

    #[test]
    fn a_current_value_outside_the_range_drops_the_bounds_the_browser_would_hold_it_to() {
        assert_eq!(
            bounds(256.0, 16384.0, Some(512.0)),
            " min=\"256\" max=\"16384\""
        );
        assert_eq!(bounds(16384.0, 256.0, None), " min=\"256\" max=\"16384\"");
        assert_eq!(bounds(256.0, 16384.0, Some(200.0)), "");
    }

    #[test]
    fn an_unknown_current_value_is_an_empty_option_and_selected() {
        let list = [("h264".to_owned(), "H264".to_owned())];
        assert_eq!(
            choices(&list, "", "VP9 (kept)"),
            "<option value=\"\" selected>VP9 (kept)</option><option value=\"h264\">H264</option>"
        );
        assert_eq!(
            choices(&list, "h265", "-"),
            "<option value=\"h265\" selected>h265</option><option value=\"h264\">H264</option>"
        );
    }
}
