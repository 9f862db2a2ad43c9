//! The PTZ service's commands (`onvif ptz ...`) with their text rendering, and the driver
//! that carries `ptz control`'s keys (the controller itself is `control`) to a camera.

pub mod control;
mod signals;

use std::fmt::Write as _;
use std::slice;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use onvif::Camera;
use onvif::proto::ops::profile::FloatRange;
use onvif::proto::ops::ptz::{
    Preset, PtzConfiguration, PtzConfigurationOptions, PtzNode, PtzSpaces, PtzStatus,
};
use onvif::ptz::{PtzTarget, user_position};

use crate::args::ptz::{PresetAction, PtzAction, PtzArgs};
use crate::failure::Failure;
use crate::output::{Out, clean, kv, opt, table, yes_no};
use control::{Command as Ctl, DriverError};

/// `ptz ...`: every PTZ command but `ptz control`'s key handling, which is in `control`.
pub async fn run(cam: &Camera, args: &PtzArgs, out: &Out) -> Result<(), Failure> {
    let profile = args.profile.as_deref();
    match &args.action {
        PtzAction::Nodes => return out.answer(cam.ptz_nodes().await?.as_slice(), nodes_text),
        PtzAction::Node { token } => {
            let n = cam.ptz_node(token).await?;
            return out.answer(&n, |n| nodes_text(slice::from_ref(n)));
        }
        PtzAction::Configs => {
            return out.answer(cam.ptz_configurations().await?.as_slice(), configs_text);
        }
        PtzAction::Config { token } => {
            let c = cam.ptz_configuration(token).await?;
            return out.answer(&c, |c| configs_text(slice::from_ref(c)));
        }
        PtzAction::ConfigOptions { token } => {
            let o = cam.ptz_configuration_options(token).await?;
            return out.answer(&o, |o| config_options_text(token, o));
        }
        PtzAction::Capabilities => {
            return out.answer(&cam.ptz_capabilities().await?, |c| kv_flags(&c.flags()));
        }
        _ => {}
    }
    let t = cam.ptz_target(profile).await?;
    if t.fallback.is_some() {
        tracing::warn!(
            "the camera did not describe PTZ configuration {} (-v shows why): going on with the profile's configuration and the generic spaces",
            t.configuration.token
        );
    }
    let done = |what: &str| {
        let v = serde_json::json!({ "ok": true, "profile": t.profile, "sent": what });
        out.show(&v, || {
            format!("{what} sent to profile {}", clean(&t.profile))
        });
    };
    match &args.action {
        PtzAction::Status => {
            let s = cam.ptz_status(&t).await?;
            out.show(&s, || status_text(&t, &s));
        }
        PtzAction::Move(m) => {
            cam.ptz_absolute(&t, m.pan, m.tilt, m.zoom, m.speed).await?;
            done("AbsoluteMove");
        }
        PtzAction::Step(m) => {
            cam.ptz_relative(&t, m.pan, m.tilt, m.zoom, m.speed).await?;
            done("RelativeMove");
        }
        PtzAction::Go(g) => {
            let d = g.duration.map(|d| d.abs);
            cam.ptz_continuous(&t, g.pan, g.tilt, g.zoom, d).await?;
            if let Some(d) = d {
                // The Timeout should stop it; a Stop afterwards covers cameras that ignore it.
                tokio::time::sleep(d).await;
                cam.ptz_stop(&t).await?;
                done("ContinuousMove, then Stop");
            } else {
                done("ContinuousMove (until `onvif ptz stop`)");
            }
        }
        PtzAction::Stop => {
            cam.ptz_stop(&t).await?;
            done("Stop");
        }
        PtzAction::Presets => {
            let p = cam.ptz_presets(&t).await?;
            out.show(&p, || presets_text(&t, &p));
        }
        PtzAction::Preset { action } => match action {
            PresetAction::Set { name } => {
                let token = cam.ptz_set_preset(&t, name).await?;
                let v = serde_json::json!({ "name": name, "token": token });
                out.show(&v, || {
                    format!("preset {name:?} saved as token {}", clean(&token))
                });
            }
            PresetAction::Goto { name, speed } => {
                let p = cam.ptz_find_preset(&t, name).await?;
                cam.ptz_goto_preset(&t, &p.token, *speed).await?;
                done("GotoPreset");
            }
            PresetAction::Remove { name } => {
                let p = cam.ptz_find_preset(&t, name).await?;
                cam.ptz_remove_preset(&t, &p.token).await?;
                done("RemovePreset");
            }
        },
        PtzAction::Home { speed } => {
            cam.ptz_goto_home(&t, *speed).await?;
            done("GotoHomePosition");
        }
        PtzAction::SetHome => {
            cam.ptz_set_home(&t).await?;
            done("SetHomePosition");
        }
        PtzAction::Aux { command } => {
            let r = cam.ptz_aux(&t, command).await?;
            let v = serde_json::json!({ "command": command, "response": r });
            out.show(&v, || {
                let answer = if r.is_empty() { "(empty)" } else { r.as_str() };
                format!("sent {command}; the camera answered: {}", clean(answer))
            });
        }
        PtzAction::Control => control(cam, t).await?,
        _ => {}
    }
    Ok(())
}

async fn control(cam: &Camera, t: PtzTarget) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "ptz control needs a terminal (stdin and stdout must be a TTY)",
        ));
    }
    let presets = cam.ptz_presets(&t).await.unwrap_or_default();
    let title = format!(
        "onvif ptz control: {} profile {} (node {})",
        cam.device_url().host_str().unwrap_or("camera"),
        t.profile,
        t.node.token
    );
    let driver = Arc::new(CameraDriver {
        cam: cam.clone(),
        target: t,
        presets,
        no_relative: AtomicBool::new(false),
    });
    control::run(driver, &title).await
}

/// Carries controller commands to a camera, with the fallbacks between ContinuousMove and
/// RelativeMove.
struct CameraDriver {
    cam: Camera,
    target: PtzTarget,
    presets: Vec<Preset>,
    no_relative: AtomicBool,
}

/// The camera cannot do this kind of move: it said so (ActionNotSupported,
/// SpaceNotSupported), or its node lists no space for it (checked before sending).
fn unsupported(e: &onvif::Error) -> bool {
    e.fault()
        .is_some_and(|f| f.is_action_not_supported() || f.has_subcode("SpaceNotSupported"))
        || e.to_string().contains("offers no")
}

impl control::Driver for CameraDriver {
    async fn send(&self, cmd: Ctl) -> Result<(), DriverError> {
        let (cam, t) = (&self.cam, &self.target);
        let other = |e: onvif::Error| DriverError::Other(e.to_string());
        let nz = |v: f64| (v != 0.0).then_some(v);
        match cmd {
            Ctl::Continuous { pan, tilt, zoom } => {
                let pt = (pan != 0.0 || tilt != 0.0).then_some(());
                let r = cam
                    .ptz_continuous(
                        t,
                        pt.map(|_| pan),
                        pt.map(|_| tilt),
                        nz(zoom),
                        Some(control::MOVE_TIMEOUT),
                    )
                    .await;
                match r {
                    Err(e) if unsupported(&e) => Err(DriverError::ContinuousUnsupported),
                    r => r.map_err(other),
                }
            }
            Ctl::Step { pan, tilt, zoom } => {
                let pt = (pan != 0.0 || tilt != 0.0).then_some(());
                if !self.no_relative.load(Ordering::Relaxed) {
                    match cam
                        .ptz_relative(t, pt.map(|_| pan), pt.map(|_| tilt), nz(zoom), None)
                        .await
                    {
                        Err(e) if unsupported(&e) => {
                            self.no_relative.store(true, Ordering::Relaxed)
                        }
                        r => return r.map_err(other),
                    }
                }
                // No RelativeMove: a short continuous burst of the same size at full speed.
                let size = pan.abs().max(tilt.abs()).max(zoom.abs());
                let sign = |v: f64| if v == 0.0 { 0.0 } else { v.signum() };
                cam.ptz_continuous(
                    t,
                    pt.map(|_| sign(pan)),
                    pt.map(|_| sign(tilt)),
                    nz(sign(zoom)),
                    Some(Duration::from_secs_f64((size * 2.0).clamp(0.05, 2.0))),
                )
                .await
                .map_err(other)
            }
            Ctl::Stop => cam.ptz_stop(t).await.map_err(other),
            Ctl::Home => cam.ptz_goto_home(t, None).await.map_err(other),
            Ctl::Preset(n) => match self.presets.get(usize::from(n).saturating_sub(1)) {
                Some(p) => cam.ptz_goto_preset(t, &p.token, None).await.map_err(other),
                None => Err(DriverError::Other(format!(
                    "no preset #{n} (the camera has {})",
                    self.presets.len()
                ))),
            },
        }
    }

    fn supports_continuous(&self) -> bool {
        use onvif::proto::ops::ptz::scale::{Axis, Motion, space_for};
        let spaces = &self.target.node.supported_spaces;
        space_for(spaces, Axis::Pan, Motion::Continuous).is_some()
            || space_for(spaces, Axis::Zoom, Motion::Continuous).is_some()
    }

    async fn status(&self) -> Result<String, String> {
        let s = self
            .cam
            .ptz_status(&self.target)
            .await
            .map_err(|e| e.to_string())?;
        Ok(status_line(&self.target, &s))
    }
}

fn kv_flags(flags: &std::collections::BTreeMap<String, String>) -> String {
    let rows: Vec<(&str, String)> = flags.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    kv(&rows)
}

fn range_text(r: &FloatRange) -> String {
    format!("{}..{}", r.min, r.max)
}

/// A number as a person writes it: at most four decimals, no trailing zeros (`0.8`, not
/// `0.7999999999999998`; `-12.5`, `3`). For text output only; JSON keeps every digit.
fn decimal(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

fn nodes_text(nodes: &[PtzNode]) -> String {
    let mut out = String::new();
    for n in nodes {
        // Tokens, names, space URIs and commands are the camera's: escaped, line breaks too.
        let _ = writeln!(
            out,
            "Node {} ({}): home {}, max presets {}",
            clean(&n.token),
            clean(n.name.as_deref().unwrap_or_default()),
            yes_no(n.home_supported),
            opt(n.max_presets)
        );
        // A line a space: its kind, its ranges, its URI; the URIs lined up.
        let lines = space_lines(&n.supported_spaces, false);
        let width = lines.iter().map(|(_, r, _)| r.len()).max().unwrap_or(0);
        for (label, ranges, uri) in lines {
            let _ = writeln!(out, "  {label:<20} {ranges:<width$}  {}", clean(uri));
        }
        if !n.auxiliary_commands.is_empty() {
            let _ = writeln!(
                out,
                "  auxiliary commands: {}",
                clean(&n.auxiliary_commands.join(" "))
            );
        }
    }
    out
}

fn configs_text(cs: &[PtzConfiguration]) -> String {
    let rows: Vec<Vec<String>> = cs
        .iter()
        .map(|c| {
            vec![
                c.token.clone(),
                opt(c.name.clone()),
                opt(c.node_token.clone()),
                opt(c.default_timeout.map(|d| format!("{} s", d.as_secs_f64()))),
                c.pan_tilt_limits.as_ref().map_or("-".into(), |l| {
                    format!(
                        "pan {} tilt {}",
                        range_text(&l.x_range),
                        range_text(&l.y_range)
                    )
                }),
                c.zoom_limits
                    .as_ref()
                    .map_or("-".into(), |l| range_text(&l.x_range)),
            ]
        })
        .collect();
    table(
        &[
            "TOKEN",
            "NAME",
            "NODE",
            "TIMEOUT",
            "PAN/TILT LIMITS",
            "ZOOM LIMITS",
        ],
        &rows,
    )
}

/// Each space of `s`: its kind (`absolute pan/tilt`), its ranges, its URI; with `absent`, a
/// kind with no space is a line too, with neither.
fn space_lines(s: &PtzSpaces, absent: bool) -> Vec<(&'static str, String, &str)> {
    let mut lines = Vec::new();
    for (label, list) in [
        ("absolute pan/tilt", &s.absolute_pan_tilt),
        ("relative pan/tilt", &s.relative_pan_tilt),
        ("continuous pan/tilt", &s.continuous_pan_tilt),
    ] {
        if absent && list.is_empty() {
            lines.push((label, String::new(), ""));
        }
        for sp in list {
            let ranges = format!(
                "pan {} tilt {}",
                range_text(&sp.x_range),
                range_text(&sp.y_range)
            );
            lines.push((label, ranges, sp.uri.as_str()));
        }
    }
    for (label, list) in [
        ("absolute zoom", &s.absolute_zoom),
        ("relative zoom", &s.relative_zoom),
        ("continuous zoom", &s.continuous_zoom),
        ("pan/tilt speed", &s.pan_tilt_speed),
        ("zoom speed", &s.zoom_speed),
    ] {
        if absent && list.is_empty() {
            lines.push((label, String::new(), ""));
        }
        for sp in list {
            lines.push((label, range_text(&sp.x_range), sp.uri.as_str()));
        }
    }
    lines
}

/// What a configuration accepts: one line for each space (its range, then its URI; `-` for a
/// kind of move it has no space for), and the range of continuous-move timeouts.
fn config_options_text(token: &str, o: &PtzConfigurationOptions) -> String {
    // (label, range, URI) of each space, the ranges padded below so that the URIs line up.
    let spaces = space_lines(&o.spaces, true);
    let labels: Vec<String> = spaces
        .iter()
        .map(|(label, _, _)| {
            let mut c = label.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    let w = spaces.iter().map(|(_, r, _)| r.len()).max().unwrap_or(0);
    let mut rows = vec![("Configuration", token.to_owned())];
    rows.extend(
        spaces
            .into_iter()
            .zip(&labels)
            .map(|((_, range, uri), label)| {
                let line = if uri.is_empty() {
                    range
                } else {
                    format!("{range:<w$}  {uri}")
                };
                (label.as_str(), line)
            }),
    );
    rows.push((
        "Timeout",
        o.timeout.as_ref().map_or_else(String::new, |t| {
            format!(
                "{} to {} s (of continuous moves)",
                t.min.as_secs_f64(),
                t.max.as_secs_f64()
            )
        }),
    ));
    kv(&rows)
}

/// One line: position in user units (and camera units), move status.
fn status_line(t: &PtzTarget, s: &PtzStatus) -> String {
    let (p, ti, z) = position_in_user_units(t, s);
    let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:+.3}"));
    format!(
        "Position  pan {}  tilt {}  zoom {}   {}",
        f(p),
        f(ti),
        f(z),
        move_state(s.move_status.as_ref())
    )
}

/// MOVING when an axis group moves, IDLE when the camera said so, else UNKNOWN (the status
/// is optional, and cameras leave it out or send one they cannot tell).
fn move_state(m: Option<&onvif::proto::ops::ptz::PtzMoveStatus>) -> &'static str {
    use onvif::proto::ops::ptz::MoveStatus;
    match m {
        Some(m) if m.moving() => "MOVING",
        Some(m) if [m.pan_tilt, m.zoom].contains(&Some(MoveStatus::Idle)) => "IDLE",
        _ => "UNKNOWN",
    }
}

/// The position of a status in user units (pan, tilt, zoom).
fn position_in_user_units(t: &PtzTarget, s: &PtzStatus) -> (Option<f64>, Option<f64>, Option<f64>) {
    s.position
        .as_ref()
        .map_or((None, None, None), |p| user_position(&t.node, p))
}

fn status_text(t: &PtzTarget, s: &PtzStatus) -> String {
    let mut rows = vec![("Profile", t.profile.clone())];
    let line = status_line(t, s);
    rows.push(("Status", line.trim_start_matches("Position  ").to_string()));
    if let Some(p) = s.position.as_ref() {
        rows.push((
            "Camera units",
            format!(
                "pan {} tilt {} zoom {}",
                opt(p.pan_tilt.as_ref().map(|v| decimal(v.x))),
                opt(p.pan_tilt.as_ref().map(|v| decimal(v.y))),
                opt(p.zoom.as_ref().map(|v| decimal(v.x)))
            ),
        ));
    }
    rows.push(("Error", s.error.clone().unwrap_or_default()));
    rows.push((
        "UTC time",
        opt(s
            .utc_time
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())),
    ));
    kv(&rows)
}

fn presets_text(t: &PtzTarget, ps: &[Preset]) -> String {
    if ps.is_empty() {
        return "No presets (`ptz preset set NAME` saves the position as one)\n".into();
    }
    let rows: Vec<Vec<String>> = ps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (pan, tilt, zoom) = p.position.as_ref().map_or((None, None, None), |v| {
                onvif::ptz::user_position(&t.node, v)
            });
            let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:+.3}"));
            vec![
                (i + 1).to_string(),
                p.token.clone(),
                opt(p.name.clone()),
                f(pan),
                f(tilt),
                f(zoom),
            ]
        })
        .collect();
    table(&["#", "TOKEN", "NAME", "PAN", "TILT", "ZOOM"], &rows)
}

#[cfg(test)]
mod tests {
    use super::{PtzNode, decimal, move_state, nodes_text};

    #[test]
    fn a_move_status_the_camera_did_not_give_is_unknown_not_idle() {
        use onvif::proto::ops::ptz::{MoveStatus, PtzMoveStatus};
        let of = |pan_tilt, zoom| PtzMoveStatus { pan_tilt, zoom };
        assert_eq!(move_state(None), "UNKNOWN");
        assert_eq!(move_state(Some(&of(None, None))), "UNKNOWN");
        let unknown = Some(MoveStatus::Unknown);
        assert_eq!(move_state(Some(&of(unknown, unknown))), "UNKNOWN");
        assert_eq!(move_state(Some(&of(Some(MoveStatus::Idle), None))), "IDLE");
        let moving = of(Some(MoveStatus::Idle), Some(MoveStatus::Moving));
        assert_eq!(move_state(Some(&moving)), "MOVING");
    }

    #[test]
    fn a_node_s_words_stay_on_their_lines() {
        let n = PtzNode {
            token: "N\nfake".into(),
            name: Some("Head\r\nNode x".into()),
            auxiliary_commands: vec!["tt:Wiper|On\nInjected\x1b[2J".into()],
            ..Default::default()
        };
        let text = nodes_text(std::slice::from_ref(&n));
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(
            text.starts_with("Node N\\nfake (Head\\r\\nNode x): "),
            "{text}"
        );
        assert!(
            text.contains("auxiliary commands: tt:Wiper|On\\nInjected\\u{1b}[2J"),
            "{text}"
        );
    }

    #[test]
    fn numbers_read_as_a_person_writes_them() {
        assert_eq!(decimal(0.7999999999999998), "0.8");
        assert_eq!(decimal(0.09200988900000001), "0.092");
        assert_eq!(decimal(0.021810283), "0.0218");
        assert_eq!(decimal(-12.5), "-12.5");
        assert_eq!(decimal(3.0), "3");
        assert_eq!(decimal(-0.00001), "0");
        assert_eq!(decimal(170.123456), "170.1235");
        assert_eq!(decimal(0.0), "0");
    }
}
