//! Relays, digital inputs and focus: `relay list|set|mode|options`, `inputs`, and
//! `focus status|move|stop|auto|manual|options`.

use onvif::Camera;
use onvif::proto::ops::deviceio::{
    DigitalInput, RelayIdleState, RelayLogicalState, RelayMode, RelayOutput, RelayOutputOptions,
};
use onvif::proto::ops::imaging::{
    AutoManual, FocusConfiguration, FocusMove, FocusStatus, ImagingSettings, MoveOptions,
};
use onvif::proto::time::format_duration;
use serde::Serialize;

use crate::args::io::{
    FocusAction, FocusArgs, FocusMoveArgs, IdleArg, OnOff, RelayAction, RelayArgs, RelayModeArg,
};
use crate::failure::Failure;
use crate::output::{Out, kv, num, opt, table};

/// `relay`: list, set, change mode, show options.
pub async fn relay(cam: &Camera, args: &RelayArgs, out: &Out) -> Result<(), Failure> {
    match args.action.as_ref().unwrap_or(&RelayAction::List) {
        RelayAction::List => {
            let relays = cam.relay_outputs().await?;
            out.answer(&relays, |r| relays_text(r))
        }
        RelayAction::Set {
            name,
            state,
            duration,
        } => {
            let on = *state == OnOff::On;
            if duration.is_some() && !on {
                return Err(Failure::usage("--for goes with `on`: how long to hold it"));
            }
            cam.set_relay_state(name, RelayLogicalState::from(on))
                .await?;
            let mut done = SetDone {
                relay: name.clone(),
                state: RelayLogicalState::from(on),
                held_for: None,
                held: None,
            };
            if let Some(d) = duration {
                // Released at the end of the time, or at once on Ctrl-C: never left on.
                tokio::select! {
                    () = tokio::time::sleep(d.abs) => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
                cam.set_relay_state(name, RelayLogicalState::Inactive)
                    .await?;
                done.state = RelayLogicalState::Inactive;
                done.held_for = Some(format_duration(d.abs));
                done.held = Some(d.abs);
            }
            out.answer(&done, |d| match d.held {
                Some(held) => format!(
                    "{}: active for {} s, now inactive",
                    d.relay,
                    held.as_secs_f64()
                ),
                None => format!("{}: {}", d.relay, d.state),
            })
        }
        RelayAction::Mode {
            name,
            mode,
            delay,
            idle,
        } => {
            let relays = cam.relay_outputs().await?;
            let Some(current) = relays.iter().find(|r| &r.token == name) else {
                return Err(unknown_relay(name, &relays));
            };
            let mut p = current.properties.clone();
            p.mode = match mode {
                RelayModeArg::Monostable => RelayMode::Monostable,
                RelayModeArg::Bistable => RelayMode::Bistable,
            };
            if let Some(d) = delay {
                p.delay_time = d.abs;
            }
            if let Some(i) = idle {
                p.idle_state = match i {
                    IdleArg::Open => RelayIdleState::Open,
                    IdleArg::Closed => RelayIdleState::Closed,
                };
            }
            if p.mode == RelayMode::Monostable && p.delay_time.is_zero() {
                return Err(Failure::usage(
                    "a monostable relay needs a delay: give --delay (e.g. 1s)",
                ));
            }
            cam.set_relay_settings(name, p).await?;
            let relays = cam.relay_outputs().await?;
            let now: Vec<RelayOutput> = relays.into_iter().filter(|r| &r.token == name).collect();
            out.answer(&now, |r| relays_text(r))
        }
        RelayAction::Options { name } => {
            let o = cam.relay_output_options(name.as_deref()).await?;
            out.answer(&o, |o| options_text(o))
        }
    }
}

/// What `relay set` did.
#[derive(Serialize)]
struct SetDone {
    relay: String,
    state: RelayLogicalState,
    /// With --for: how long it was held active before it was released (an xs:duration,
    /// `PT2S`).
    held_for: Option<String>,
    /// The same for the text output, which says it in seconds (`2 s`).
    #[serde(skip)]
    held: Option<std::time::Duration>,
}

fn unknown_relay(name: &str, relays: &[RelayOutput]) -> Failure {
    let known: Vec<&str> = relays.iter().map(|r| r.token.as_str()).collect();
    Failure::usage(format!(
        "no relay {name:?}; the camera's relays are: {}",
        if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        }
    ))
}

fn relays_text(relays: &[RelayOutput]) -> String {
    if relays.is_empty() {
        return "no relay outputs\n".into();
    }
    let rows: Vec<Vec<String>> = relays
        .iter()
        .map(|r| {
            let p = &r.properties;
            vec![
                r.token.clone(),
                p.mode.to_string(),
                if p.mode == RelayMode::Monostable {
                    format!("{} s", p.delay_time.as_secs_f64())
                } else {
                    "-".into()
                },
                p.idle_state.to_string(),
            ]
        })
        .collect();
    table(&["RELAY", "MODE", "DELAY", "IDLE"], &rows)
}

fn options_text(options: &[RelayOutputOptions]) -> String {
    let rows: Vec<Vec<String>> = options
        .iter()
        .map(|o| {
            let modes: Vec<&str> = o.modes.iter().map(|m| m.as_str()).collect();
            let delays = match (&o.delay_times, o.discrete.unwrap_or(false)) {
                (None, _) => "-".to_owned(),
                (Some(t), true) => {
                    let v: Vec<String> = t.0.iter().map(|s| format!("{s} s")).collect();
                    v.join(", ")
                }
                (Some(t), false) => match t.0.as_slice() {
                    [min, max, ..] => format!("{min} to {max} s"),
                    other => format!("{other:?}"),
                },
            };
            vec![o.token.clone(), modes.join(", "), delays]
        })
        .collect();
    table(&["RELAY", "MODES", "DELAYS"], &rows)
}

/// `inputs`: the digital inputs and their idle states.
pub async fn inputs(cam: &Camera, out: &Out) -> Result<(), Failure> {
    let inputs = cam.digital_inputs().await?;
    out.answer(&inputs, |i| inputs_text(i))
}

fn inputs_text(inputs: &[DigitalInput]) -> String {
    if inputs.is_empty() {
        return "no digital inputs\n".into();
    }
    let rows: Vec<Vec<String>> = inputs
        .iter()
        .map(|i| vec![i.token.clone(), opt(i.idle_state)])
        .collect();
    table(&["INPUT", "IDLE"], &rows)
}

/// `focus`: status, moves, autofocus.
pub async fn focus(cam: &Camera, args: &FocusArgs, out: &Out) -> Result<(), Failure> {
    let source = cam.imaging_source(args.source.as_deref()).await?;
    match args.action.as_ref().unwrap_or(&FocusAction::Status) {
        FocusAction::Status => show_status(cam, &source, out).await,
        FocusAction::Options => {
            let o = cam.focus_move_options(&source).await?;
            out.answer(&o, move_options_text)
        }
        FocusAction::Move(m) => {
            let options = cam.focus_move_options(&source).await.ok();
            let mv = focus_move(m, options.as_ref())?;
            cam.focus_move(&source, mv).await?;
            show_status(cam, &source, out).await
        }
        FocusAction::Stop => {
            cam.focus_stop(&source).await?;
            show_status(cam, &source, out).await
        }
        FocusAction::Auto | FocusAction::Manual => {
            let mode = if matches!(args.action, Some(FocusAction::Auto)) {
                AutoManual::Auto
            } else {
                AutoManual::Manual
            };
            let settings = ImagingSettings {
                focus: Some(FocusConfiguration {
                    auto_focus_mode: Some(mode),
                    ..FocusConfiguration::default()
                }),
                ..ImagingSettings::default()
            };
            cam.set_imaging_settings(&source, settings).await?;
            let now = cam.imaging_settings(&source).await?;
            let mode = now.focus.and_then(|f| f.auto_focus_mode);
            out.answer(&mode, |m| {
                format!("autofocus: {}", opt(m.map(|m| m.as_str())))
            })
        }
    }
}

async fn show_status(cam: &Camera, source: &str, out: &Out) -> Result<(), Failure> {
    let status = cam.focus_status(source).await?;
    out.answer(&status, |s| status_text(source, s.as_ref()))
}

fn status_text(source: &str, s: Option<&FocusStatus>) -> String {
    let Some(s) = s else {
        return format!("{source}: the camera does not report its focus\n");
    };
    kv(&[
        ("Source", source.to_owned()),
        ("Position", num(s.position)),
        ("Moving", opt(s.move_status)),
        ("Error", s.error.clone().unwrap_or_default()),
    ])
}

/// The move the options ask for, checked against the camera's ranges when known.
fn focus_move(m: &FocusMoveArgs, options: Option<&MoveOptions>) -> Result<FocusMove, Failure> {
    let check = |what: &str, v: f64, range: Option<(f64, f64)>| {
        if !v.is_finite() {
            return Err(Failure::usage(format!("{what} must be a number")));
        }
        match range {
            Some((min, max)) if !(min..=max).contains(&v) => Err(Failure::usage(format!(
                "{what} {v} is outside the camera's range {min}..{max} (see `focus options`)"
            ))),
            _ => Ok(v),
        }
    };
    let o = options.cloned().unwrap_or_default();
    if let Some(d) = m.near.or(m.far) {
        let r = o
            .relative
            .as_ref()
            .and_then(|r| r.distance.as_ref())
            .map(|r| (r.min, r.max));
        let d = check("the distance", d.abs(), r)?;
        let distance = if m.near.is_some() { -d } else { d };
        return Ok(FocusMove::Relative {
            distance,
            speed: None,
        });
    }
    if let Some(p) = m.to {
        let r = o
            .absolute
            .as_ref()
            .and_then(|a| a.position.as_ref())
            .map(|r| (r.min, r.max));
        return Ok(FocusMove::Absolute {
            position: check("--to", p, r)?,
            speed: None,
        });
    }
    let speed = m.speed.unwrap_or_default();
    let r = o
        .continuous
        .as_ref()
        .and_then(|c| c.speed.as_ref())
        .map(|r| (r.min, r.max));
    Ok(FocusMove::Continuous {
        speed: check("--speed", speed, r)?,
    })
}

fn move_options_text(o: &MoveOptions) -> String {
    let range = |r: Option<(f64, f64)>| r.map(|(a, b)| format!("{a} .. {b}")).unwrap_or_default();
    kv(&[
        (
            "Absolute position",
            range(
                o.absolute
                    .as_ref()
                    .and_then(|a| a.position.as_ref())
                    .map(|r| (r.min, r.max)),
            ),
        ),
        (
            "Relative distance",
            range(
                o.relative
                    .as_ref()
                    .and_then(|r| r.distance.as_ref())
                    .map(|r| (r.min, r.max)),
            ),
        ),
        (
            "Continuous speed",
            range(
                o.continuous
                    .as_ref()
                    .and_then(|c| c.speed.as_ref())
                    .map(|r| (r.min, r.max)),
            ),
        ),
    ])
}
