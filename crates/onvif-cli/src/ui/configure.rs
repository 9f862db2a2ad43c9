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

/// `<option>`s of `values` (value, label), the one equal to `current` selected; `current` is
/// added first when the list lacks it.
fn choices(values: &[(String, String)], current: Option<&str>) -> String {
    let mut o = String::new();
    if let Some(c) = current
        && !values.iter().any(|(v, _)| v == c)
    {
        let _ = write!(o, "<option value=\"{0}\" selected>{0}</option>", esc(c));
    }
    for (v, label) in values {
        let sel = if Some(v.as_str()) == current {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            o,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(v),
            esc(label)
        );
    }
    o
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
        if let Some(v) = codec_of(c).and_then(|c| c.to_possible_value())
            && !codecs.iter().any(|(n, _)| n == v.get_name())
        {
            codecs.push((v.get_name().to_owned(), c.to_string()));
        }
    }
    let current_codec = codec_of(&current)
        .and_then(|c| c.to_possible_value())
        .map(|v| v.get_name().to_owned());
    let _ = write!(
        o,
        "<label>codec <select name=\"encoding\">{}</select></label> ",
        choices(&codecs, current_codec.as_deref())
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
    let now = e.resolution.map(size);
    if sizes.is_empty() {
        let _ = write!(
            o,
            "<label>size <input name=\"resolution\" value=\"{}\" size=\"9\" \
             placeholder=\"1280x720\"></label> ",
            esc(now.as_deref().unwrap_or_default())
        );
    } else {
        let list: Vec<(String, String)> = sizes.iter().map(|r| (size(*r), size(*r))).collect();
        let _ = write!(
            o,
            "<label>size <select name=\"resolution\">{}</select></label> ",
            choices(&list, now.as_deref())
        );
    }
    // Frame rates: the list the codec offers, else a number within its range.
    let mut rates: Vec<f64> = Vec::new();
    for r in mine.iter().flat_map(|o| o.frame_rates_supported.iter()) {
        if !rates.contains(r) {
            rates.push(*r);
        }
    }
    let fps = e.frame_rate_limit.map(number);
    if rates.is_empty() {
        let range = mine.iter().find_map(|o| o.frame_rate_range);
        let _ = write!(
            o,
            "<label>fps <input type=\"number\" name=\"fps\" step=\"any\"{} value=\"{}\" \
             class=\"short\"></label> ",
            range.map_or(String::new(), |r| format!(
                " min=\"{}\" max=\"{}\"",
                r.min.min(r.max),
                r.max.max(r.min)
            )),
            esc(fps.as_deref().unwrap_or_default())
        );
    } else {
        rates.sort_by(|a, b| b.total_cmp(a));
        let list: Vec<(String, String)> = rates.iter().map(|r| (number(*r), number(*r))).collect();
        let _ = write!(
            o,
            "<label>fps <select name=\"fps\">{}</select></label> ",
            choices(&list, fps.as_deref())
        );
    }
    let bitrate = mine.iter().find_map(|o| o.bitrate_range);
    if e.bitrate_limit.is_some() || bitrate.is_some() {
        let _ = write!(
            o,
            "<label>kbit/s <input type=\"number\" name=\"bitrate\" step=\"1\"{} value=\"{}\" \
             class=\"short\"></label> ",
            bitrate.map_or(String::new(), |r| format!(
                " min=\"{}\" max=\"{}\"",
                r.min.min(r.max),
                r.max.max(r.min)
            )),
            e.bitrate_limit.map_or(String::new(), |b| b.to_string())
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
    let form = Form::parse(&body)?;
    for n in form.names() {
        if !ENCODER_FIELDS.contains(&n) {
            return Err(UiError::bad(format!("unknown encoder setting {n:?}")));
        }
    }
    let token = form
        .get("token")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| UiError::bad("which encoder configuration? the token is missing"))?;
    let field = |n: &str| form.get(n).map(str::trim).filter(|v| !v.is_empty());
    let encoding = field("encoding")
        .map(|v| {
            crate::args::media::Codec::from_str(v, true)
                .map_err(|_| UiError::bad(format!("{v:?} is not a codec: h264, h265, jpeg, mpeg4")))
        })
        .transpose()?;
    let resolution = field("resolution")
        .map(|v| parse_resolution(v).map_err(UiError::bad))
        .transpose()?;
    let fps = field("fps")
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f > 0.0)
                .ok_or_else(|| UiError::bad(format!("fps {v:?} is not a frame rate")))
        })
        .transpose()?;
    let bitrate = field("bitrate")
        .map(|v| {
            v.parse::<u32>()
                .map_err(|_| UiError::bad(format!("bitrate {v:?} is not a whole number of kbit/s")))
        })
        .transpose()?;
    let cam = slot.camera(&app.g).await?;
    let all = cam.video_encoders().await?;
    let current = all
        .iter()
        .find(|e| e.token == token)
        .ok_or_else(|| UiError::not_found("encoder configuration of that token"))?;
    // Only what differs: the form sends every field as it was shown.
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
    let (now, notes) = change(&cam, &set).await?;
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
        let _ = write!(said, "; {n}");
    }
    Ok(ok(said))
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
    let of = |category: &str| -> Vec<String> {
        scopes
            .iter()
            .filter_map(|s| s.onvif_parts())
            .filter(|(c, _)| c.eq_ignore_ascii_case(category))
            .map(|(_, v)| v)
            .collect()
    };
    let (names, places) = (of("name"), of("location"));
    o.push_str(&kv(&[
        ("Name", names.join(", ")),
        ("Location", places.join(", ")),
    ]));
    let _ = write!(
        o,
        "<form method=\"post\" action=\"/camera/{u}/scopes\" data-ajax data-reload \
         class=\"scopes\"><label>name <input name=\"name\" maxlength=\"64\" value=\"{}\"></label> \
         <label>location <input name=\"location\" maxlength=\"128\" value=\"{}\" \
         placeholder=\"city/street\"></label> <button>Save</button></form>\
         <p><small>What WS-Discovery and recorders show for the camera; a location's parts \
         are separated by /.</small></p></section>",
        esc(names.last().map_or("", String::as_str)),
        esc(places.last().map_or("", String::as_str)),
    );
    o
}

/// POST /camera/NAME/scopes: name and/or location; each that differs from what the camera
/// announces replaces its configurable scopes of that category.
pub async fn set_scopes(
    State(app): S,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let form = Form::parse(&body)?;
    for n in form.names() {
        if n != "name" && n != "location" {
            return Err(UiError::bad(format!("unknown discovery setting {n:?}")));
        }
    }
    let cam = slot.camera(&app.g).await?;
    let have = cam.scopes().await?.scopes;
    let mut said = Vec::new();
    for category in ["name", "location"] {
        let Some(given) = form.get(category).map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        let announced = have.iter().filter_map(|s| s.onvif_parts()).any(|(c, v)| {
            c.eq_ignore_ascii_case(category) && v.trim_matches('/') == given.trim_matches('/')
        });
        if announced {
            continue;
        }
        let notes = set_one(&cam, category, given).await?;
        said.push(format!("{category} set"));
        said.extend(notes);
    }
    if said.is_empty() {
        return Ok(ok("nothing changed"));
    }
    Ok(ok(said.join("; ")))
}
