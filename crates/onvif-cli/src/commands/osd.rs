//! `osd`: the camera's on-screen displays (Media2): list, `options`, `add`, `set`, `remove`.
//!
//! `--text` takes `%D` and `%T` for the camera's date and time. ONVIF has no OSD that mixes
//! them with words: a text of placeholders alone becomes a Date, Time or DateAndTime OSD in the
//! camera's first offered formats (the camera renders them, so they stay right); words alone
//! are a Plain OSD; both at once is refused with the two `osd add` lines that do it.

use onvif::Camera;
use onvif::proto::ops::media::osd::{
    OsdConfiguration, OsdOptions, OsdPosition, OsdPositionType, OsdText, OsdTextType, OsdType,
    Vector,
};
use serde::Serialize;

use crate::args::osd::{Corner, OsdAction, OsdArgs, OsdLook};
use crate::failure::Failure;
use crate::output::{Out, kv, opt, table};

pub async fn run(cam: &Camera, args: &OsdArgs, out: &Out) -> Result<(), Failure> {
    let config = cam
        .video_source_configuration_token(args.configuration.as_deref())
        .await?;
    match &args.action {
        None | Some(OsdAction::List) => {
            let osds = cam.osds(Some(&config)).await?;
            out.answer(&osds, |o| list_text(o))
        }
        Some(OsdAction::Options) => {
            let o = cam.osd_options(&config).await?;
            out.answer(&o, options_text)
        }
        Some(OsdAction::Add(add)) => {
            let options = cam.osd_options(&config).await?;
            let text = osd_text(&add.text, &options)?;
            let mut osd = OsdConfiguration {
                token: String::new(),
                video_source_configuration_token: config,
                kind: OsdType::Text,
                position: position(&add.look, &options)?.unwrap_or(OsdPosition {
                    kind: OsdPositionType::UpperLeft,
                    pos: None,
                }),
                text: Some(text),
                image: None,
            };
            apply_font_size(&mut osd, &add.look, &options)?;
            let token = cam.create_osd(osd).await?;
            let made = cam.osd(&token).await?;
            out.answer(&made, osd_text_block)
        }
        Some(OsdAction::Set(set)) => {
            let options = cam.osd_options(&config).await?;
            let mut osd = cam.osd(&set.token).await?;
            let before = osd.clone();
            if let Some(t) = &set.text {
                let mut text = osd_text(t, &options)?;
                // Keep what the text had that the new one does not say.
                if let Some(old) = &osd.text {
                    text.font_size = old.font_size;
                    text.font_color = old.font_color.clone();
                    text.background_color = old.background_color.clone();
                }
                osd.text = Some(text);
            }
            if let Some(p) = position(&set.look, &options)? {
                osd.position = p;
            }
            apply_font_size(&mut osd, &set.look, &options)?;
            if osd == before {
                return Err(Failure::usage(
                    "nothing to change: give --text, --position, --x and --y, or --font-size",
                ));
            }
            cam.set_osd(osd).await?;
            let now = cam.osd(&set.token).await?;
            out.answer(&now, osd_text_block)
        }
        Some(OsdAction::Remove { token }) => {
            cam.delete_osd(token).await?;
            #[derive(Serialize)]
            struct Removed<'a> {
                removed: &'a str,
                remaining: usize,
            }
            let remaining = cam.osds(Some(&config)).await?.len();
            out.answer(
                &Removed {
                    removed: token,
                    remaining,
                },
                |r| format!("Removed OSD {}; {} left", r.removed, r.remaining),
            )
        }
    }
}

/// The text of `--text`: plain words, or the camera's date and time (see the module's notes).
fn osd_text(text: &str, options: &OsdOptions) -> Result<OsdText, Failure> {
    let (date, time) = (text.contains("%D"), text.contains("%T"));
    let words = text.replace("%D", "").replace("%T", "");
    let words = words.trim();
    let kind = match (date, time) {
        (false, false) if words.is_empty() => {
            return Err(Failure::usage("--text is empty"));
        }
        (false, false) => OsdTextType::Plain,
        _ if !words.is_empty() => {
            return Err(Failure::usage(format!(
                "an ONVIF OSD shows text or the camera's date and time, not both: add them as two \
                 OSDs, `osd add --text {words:?}` and `osd add --text \"{}\"` at another --position",
                text.split_whitespace()
                    .filter(|w| *w == "%D" || *w == "%T")
                    .collect::<Vec<_>>()
                    .join(" ")
            )));
        }
        (true, false) => OsdTextType::Date,
        (false, true) => OsdTextType::Time,
        (true, true) => OsdTextType::DateAndTime,
    };
    let offered = options.text.clone().unwrap_or_default();
    if !offered.kinds.is_empty() && !offered.kinds.contains(&kind) {
        return Err(Failure::usage(format!(
            "the camera does not offer {kind} OSDs (it offers {})",
            offered
                .kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut t = OsdText::new(kind);
    match kind {
        OsdTextType::Plain => t.plain_text = Some(text.trim().to_owned()),
        _ => {
            if date {
                t.date_format = offered.date_formats.first().cloned();
            }
            if time {
                t.time_format = offered.time_formats.first().cloned();
            }
        }
    }
    Ok(t)
}

/// The position of `--position` or `--x`/`--y`, checked against what the camera offers.
fn position(look: &OsdLook, options: &OsdOptions) -> Result<Option<OsdPosition>, Failure> {
    let p = match (look.position, look.x, look.y) {
        (_, Some(x), Some(y)) => {
            for (name, v) in [("--x", x), ("--y", y)] {
                if !(-1.0..=1.0).contains(&v) {
                    return Err(Failure::usage(format!(
                        "{name} {v} is outside the picture (-1 to 1)"
                    )));
                }
            }
            OsdPosition {
                kind: OsdPositionType::Custom,
                pos: Some(Vector { x, y }),
            }
        }
        (Some(c), _, _) => OsdPosition {
            kind: match c {
                Corner::UpperLeft => OsdPositionType::UpperLeft,
                Corner::UpperRight => OsdPositionType::UpperRight,
                Corner::LowerLeft => OsdPositionType::LowerLeft,
                Corner::LowerRight => OsdPositionType::LowerRight,
            },
            pos: None,
        },
        _ => return Ok(None),
    };
    if !options.positions.is_empty() && !options.positions.contains(&p.kind) {
        return Err(Failure::usage(format!(
            "the camera does not offer the position {} (it offers {})",
            p.kind,
            options
                .positions
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(Some(p))
}

fn apply_font_size(
    osd: &mut OsdConfiguration,
    look: &OsdLook,
    options: &OsdOptions,
) -> Result<(), Failure> {
    let Some(size) = look.font_size else {
        return Ok(());
    };
    if let Some(r) = options.text.as_ref().and_then(|t| t.font_size_range)
        && !(i64::from(r.min)..=i64::from(r.max)).contains(&i64::from(size))
    {
        return Err(Failure::usage(format!(
            "--font-size {size} is outside the camera's range {}..{}",
            r.min, r.max
        )));
    }
    match osd.text.as_mut() {
        Some(t) => t.font_size = Some(size),
        None => return Err(Failure::usage("--font-size needs a text OSD")),
    }
    Ok(())
}

/// What an OSD shows, in a few words.
fn shows(o: &OsdConfiguration) -> String {
    match (&o.text, &o.image) {
        (Some(t), _) => match t.kind {
            OsdTextType::Plain => format!("{:?}", t.plain_text.clone().unwrap_or_default()),
            OsdTextType::Date => format!("date ({})", opt(t.date_format.as_deref())),
            OsdTextType::Time => format!("time ({})", opt(t.time_format.as_deref())),
            OsdTextType::DateAndTime => format!(
                "date and time ({} {})",
                opt(t.date_format.as_deref()),
                opt(t.time_format.as_deref())
            ),
        },
        (None, Some(i)) => format!("image {}", i.img_path),
        (None, None) => "-".into(),
    }
}

fn place(p: &OsdPosition) -> String {
    match (p.kind, p.pos) {
        (OsdPositionType::Custom, Some(v)) => format!("x {} y {}", v.x, v.y),
        (k, _) => k.as_str().to_owned(),
    }
}

fn list_text(osds: &[OsdConfiguration]) -> String {
    if osds.is_empty() {
        return "No OSDs\n".into();
    }
    let rows: Vec<Vec<String>> = osds
        .iter()
        .map(|o| {
            vec![
                o.token.clone(),
                o.kind.as_str().to_owned(),
                place(&o.position),
                opt(o.text.as_ref().and_then(|t| t.font_size)),
                shows(o),
            ]
        })
        .collect();
    table(&["TOKEN", "TYPE", "POSITION", "SIZE", "SHOWS"], &rows)
}

fn osd_text_block(o: &OsdConfiguration) -> String {
    kv(&[
        ("OSD", o.token.clone()),
        ("Source config", o.video_source_configuration_token.clone()),
        ("Type", o.kind.as_str().to_owned()),
        ("Position", place(&o.position)),
        ("Font size", opt(o.text.as_ref().and_then(|t| t.font_size))),
        ("Shows", shows(o)),
    ])
}

fn options_text(o: &OsdOptions) -> String {
    let m = &o.maximum;
    let join = |v: Vec<&str>| v.join(", ");
    let t = o.text.clone().unwrap_or_default();
    kv(&[
        (
            "Most OSDs",
            format!(
                "{} (plain text {}, date {}, time {}, date and time {}, image {})",
                m.total,
                opt(m.plain_text),
                opt(m.date),
                opt(m.time),
                opt(m.date_and_time),
                opt(m.image)
            ),
        ),
        ("Types", join(o.kinds.iter().map(|k| k.as_str()).collect())),
        (
            "Positions",
            join(o.positions.iter().map(|k| k.as_str()).collect()),
        ),
        (
            "Text types",
            join(t.kinds.iter().map(|k| k.as_str()).collect()),
        ),
        (
            "Font sizes",
            t.font_size_range
                .map(|r| format!("{} .. {}", r.min, r.max))
                .unwrap_or_default(),
        ),
        (
            "Date formats",
            join(t.date_formats.iter().map(String::as_str).collect()),
        ),
        (
            "Time formats",
            join(t.time_formats.iter().map(String::as_str).collect()),
        ),
    ])
}
