//! The imaging service's command: `imaging` (settings), `imaging options`, `imaging set`.

use onvif::Camera;
use onvif::proto::ops::imaging::{ImagingOptions, ImagingSettings};
use onvif::proto::ops::profile::FloatRange;

use crate::args::imaging::{ImagingAction, ImagingArgs, ImagingSet, IrCut, OnOff};
use crate::failure::Failure;
use crate::output::{Out, clean, kv, num, opt};

/// `imaging`: a video source's settings; `imaging options` their ranges; `imaging set` a
/// change, checked against those ranges.
pub async fn run(cam: &Camera, args: &ImagingArgs, out: &Out) -> Result<(), Failure> {
    let set_source = match &args.action {
        Some(ImagingAction::Set(s)) => s.source.as_deref(),
        _ => None,
    };
    let source = cam
        .imaging_source(set_source.or(args.source.as_deref()))
        .await?;
    match &args.action {
        None => {
            let s = cam.imaging_settings(&source).await?;
            out.show(&s, || settings_text(&source, &s));
        }
        Some(ImagingAction::Options) => {
            let o = cam.imaging_options(&source).await?;
            out.show(&o, || options_text(&source, &o));
        }
        Some(ImagingAction::Set(set)) => {
            let options = cam.imaging_options(&source).await.ok();
            let settings = imaging_change(set, options.as_ref())?;
            if settings == ImagingSettings::default() {
                return Err(Failure::usage(
                    "nothing to set: give at least one of --brightness, --contrast, --saturation, \
                     --sharpness, --ir-cut, --wdr, --backlight",
                ));
            }
            cam.set_imaging_settings(&source, settings.clone()).await?;
            let s = cam.imaging_settings(&source).await?;
            // Cameras clamp or ignore values and still answer with success.
            for n in not_kept(&settings, &s) {
                eprintln!("note: {}", clean(&n));
            }
            out.show(&s, || settings_text(&source, &s));
        }
    }
    Ok(())
}

/// What the camera did not keep of `sent`, as read back in `now`: one line each.
fn not_kept(sent: &ImagingSettings, now: &ImagingSettings) -> Vec<String> {
    let mut out = Vec::new();
    let numbers = [
        ("brightness", sent.brightness, now.brightness),
        ("contrast", sent.contrast, now.contrast),
        ("saturation", sent.color_saturation, now.color_saturation),
        ("sharpness", sent.sharpness, now.sharpness),
    ];
    for (name, asked, got) in numbers {
        if let Some(a) = asked
            && got.is_none_or(|g| (g - a).abs() > 1e-6 * a.abs().max(1.0))
        {
            out.push(format!(
                "the camera reads back {name} {}, not the {} set (it may clamp or ignore it)",
                num(got),
                num(Some(a))
            ));
        }
    }
    let modes = [
        (
            "IR cut filter",
            sent.ir_cut_filter.map(|m| m.as_str()),
            now.ir_cut_filter.map(|m| m.as_str()),
        ),
        (
            "wide dynamic range",
            sent.wide_dynamic_range
                .as_ref()
                .and_then(|w| w.mode)
                .map(|m| m.as_str()),
            now.wide_dynamic_range
                .as_ref()
                .and_then(|w| w.mode)
                .map(|m| m.as_str()),
        ),
        (
            "backlight compensation",
            sent.backlight_compensation
                .as_ref()
                .and_then(|b| b.mode)
                .map(|m| m.as_str()),
            now.backlight_compensation
                .as_ref()
                .and_then(|b| b.mode)
                .map(|m| m.as_str()),
        ),
    ];
    for (name, asked, got) in modes {
        if let Some(a) = asked
            && got != Some(a)
        {
            out.push(format!(
                "the camera reads back {name} {}, not the {a} set (it may not support it)",
                opt(got)
            ));
        }
    }
    out
}

/// The settings to send, checked against the camera's ranges when it told us them.
fn imaging_change(
    set: &ImagingSet,
    options: Option<&ImagingOptions>,
) -> Result<ImagingSettings, Failure> {
    use onvif::proto::ops::imaging as im;
    let check = |name: &str, v: Option<f64>, range: Option<&FloatRange>| match (v, range) {
        (Some(v), Some(r)) if !(r.min..=r.max).contains(&v) => Err(Failure::usage(format!(
            "--{name} {v} is outside the camera's range {}..{}",
            r.min, r.max
        ))),
        (Some(v), _) if !v.is_finite() => Err(Failure::usage(format!("--{name} must be a number"))),
        _ => Ok(v),
    };
    let o = options.cloned().unwrap_or_default();
    let on_off = |v: OnOff| match v {
        OnOff::On => im::OnOff::On,
        OnOff::Off => im::OnOff::Off,
    };
    Ok(ImagingSettings {
        brightness: check("brightness", set.brightness, o.brightness.as_ref())?,
        contrast: check("contrast", set.contrast, o.contrast.as_ref())?,
        color_saturation: check("saturation", set.saturation, o.color_saturation.as_ref())?,
        sharpness: check("sharpness", set.sharpness, o.sharpness.as_ref())?,
        ir_cut_filter: set.ir_cut.map(|m| match m {
            IrCut::On => im::IrCutFilterMode::On,
            IrCut::Off => im::IrCutFilterMode::Off,
            IrCut::Auto => im::IrCutFilterMode::Auto,
        }),
        wide_dynamic_range: set.wdr.map(|m| im::WideDynamicRange {
            mode: Some(on_off(m)),
            level: None,
        }),
        backlight_compensation: set.backlight.map(|m| im::BacklightCompensation {
            mode: Some(on_off(m)),
            level: None,
        }),
        ..ImagingSettings::default()
    })
}

fn settings_text(source: &str, s: &ImagingSettings) -> String {
    let mode = |m: Option<String>, l: Option<f64>| match (m, l) {
        (None, None) => String::new(),
        (m, l) => format!(
            "{}{}",
            m.unwrap_or_default(),
            l.map(|l| format!(" (level {})", num(Some(l))))
                .unwrap_or_default()
        ),
    };
    kv(&[
        ("Video source", source.to_owned()),
        ("Brightness", num(s.brightness)),
        ("Contrast", num(s.contrast)),
        ("Saturation", num(s.color_saturation)),
        ("Sharpness", num(s.sharpness)),
        ("IR cut filter", opt(s.ir_cut_filter.map(|m| m.as_str()))),
        (
            "Wide dynamic range",
            s.wide_dynamic_range
                .as_ref()
                .map(|w| mode(w.mode.map(|m| m.as_str().to_owned()), w.level))
                .unwrap_or_default(),
        ),
        (
            "Backlight comp.",
            s.backlight_compensation
                .as_ref()
                .map(|b| mode(b.mode.map(|m| m.as_str().to_owned()), b.level))
                .unwrap_or_default(),
        ),
        (
            "Exposure",
            opt(s.exposure.as_ref().and_then(|e| e.mode).map(|m| m.as_str())),
        ),
        (
            "Focus",
            opt(s
                .focus
                .as_ref()
                .and_then(|f| f.auto_focus_mode)
                .map(|m| m.as_str())),
        ),
        (
            "White balance",
            opt(s
                .white_balance
                .as_ref()
                .and_then(|w| w.mode)
                .map(|m| m.as_str())),
        ),
    ])
}

fn options_text(source: &str, o: &ImagingOptions) -> String {
    let r =
        |r: Option<&FloatRange>| r.map_or_else(String::new, |r| format!("{} .. {}", r.min, r.max));
    kv(&[
        ("Video source", source.to_owned()),
        ("Brightness", r(o.brightness.as_ref())),
        ("Contrast", r(o.contrast.as_ref())),
        ("Saturation", r(o.color_saturation.as_ref())),
        ("Sharpness", r(o.sharpness.as_ref())),
        (
            "IR cut filter",
            o.ir_cut_filter_modes
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use onvif::proto::ops::imaging::{ImagingSettings, IrCutFilterMode};

    use super::not_kept;

    #[test]
    fn what_the_camera_did_not_keep_is_named() {
        let sent = ImagingSettings {
            brightness: Some(60.0),
            contrast: Some(40.0),
            ir_cut_filter: Some(IrCutFilterMode::Off),
            ..ImagingSettings::default()
        };
        let same = ImagingSettings {
            sharpness: Some(3.0),
            ..sent.clone()
        };
        assert!(not_kept(&sent, &same).is_empty());
        let clamped = ImagingSettings {
            brightness: Some(255.0),
            contrast: None,
            ir_cut_filter: Some(IrCutFilterMode::Auto),
            ..ImagingSettings::default()
        };
        let lines = not_kept(&sent, &clamped);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[0].contains("brightness 255, not the 60 set"),
            "{lines:?}"
        );
        assert!(lines[1].contains("contrast -, not the 40 set"), "{lines:?}");
        assert!(
            lines[2].contains("IR cut filter AUTO, not the OFF set"),
            "{lines:?}"
        );
    }
}
