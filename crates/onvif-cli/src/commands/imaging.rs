//! The imaging service's command: `imaging` (settings), `imaging options`, `imaging set`.

use onvif::Camera;
use onvif::proto::ops::imaging::{ImagingOptions, ImagingSettings};
use onvif::proto::ops::profile::FloatRange;

use crate::args::imaging::{ImagingAction, ImagingArgs, ImagingSet, IrCut, OnOff};
use crate::failure::Failure;
use crate::output::{Out, kv, num, opt};

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
            cam.set_imaging_settings(&source, settings).await?;
            let s = cam.imaging_settings(&source).await?;
            out.show(&s, || settings_text(&source, &s));
        }
    }
    Ok(())
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
