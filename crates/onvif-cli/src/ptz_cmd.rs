//! `onvif ptz ...`: every PTZ command, and the driver behind `ptz control`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Args, Subcommand};
use onvif::Camera;
use onvif::ptz::{PtzTarget, user_position};

use crate::Failure;
use crate::cli::{SignedDur, parse_timeout};
use crate::output::{self, Out};
use crate::ptz_control::{self, Command as Ctl, DriverError};

#[derive(Debug, Clone, Args)]
pub struct PtzArgs {
    /// Media profile token or name (default: the first profile with PTZ)
    #[arg(long, global = true)]
    pub profile: Option<String>,
    #[command(subcommand)]
    pub action: PtzAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum PtzAction {
    /// Position, move status, error and time
    Status,
    /// PTZ nodes with their spaces and ranges
    Nodes,
    /// One PTZ node
    Node {
        /// The node's token (see `ptz nodes`)
        token: String,
    },
    /// PTZ configurations
    Configs,
    /// One PTZ configuration
    Config {
        /// The configuration's token (see `ptz configs`)
        token: String,
    },
    /// What a PTZ configuration accepts
    ConfigOptions {
        /// The configuration's token (see `ptz configs`)
        token: String,
    },
    /// The PTZ service's capabilities
    Capabilities,
    /// Go to a position (AbsoluteMove): pan/tilt in -1..1, zoom in 0..1
    Move(MoveArgs),
    /// Move by an amount (RelativeMove): -1..1 of each axis' range
    Step(StepArgs),
    /// Move at a velocity (ContinuousMove): -1..1; until `ptz stop`, or for --for
    Go(GoArgs),
    /// Stop every move
    Stop,
    /// Presets of the profile
    Presets,
    /// Set, go to or remove a preset
    Preset {
        #[command(subcommand)]
        action: PresetAction,
    },
    /// Go to the home position
    Home {
        /// Speed 0..1
        #[arg(long)]
        speed: Option<f64>,
    },
    /// Make the current position the home position
    SetHome,
    /// Send an auxiliary command, e.g. "tt:Wiper|On"
    Aux {
        /// The command, as the node lists it under auxiliary commands (see `ptz nodes`),
        /// e.g. "tt:Wiper|On"
        command: String,
    },
    /// Interactive control with the arrow keys (q quits)
    Control,
}

#[derive(Debug, Clone, Subcommand)]
pub enum PresetAction {
    /// Save the current position under NAME
    Set {
        /// The preset's name (an existing preset of that name is overwritten)
        name: String,
    },
    /// Go to a preset by name or token
    Goto {
        /// The preset's name or token (see `ptz presets`)
        name: String,
        /// Speed 0..1
        #[arg(long)]
        speed: Option<f64>,
    },
    /// Remove a preset by name or token
    Remove {
        /// The preset's name or token (see `ptz presets`)
        name: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct MoveArgs {
    /// Pan position, -1..1: -1 the left end of the camera's range, 1 the right end [default:
    /// where it is]
    #[arg(long, allow_hyphen_values = true)]
    pub pan: Option<f64>,
    /// Tilt position, -1..1: -1 the bottom of the camera's range, 1 the top [default: where
    /// it is]
    #[arg(long, allow_hyphen_values = true)]
    pub tilt: Option<f64>,
    /// Zoom position, 0..1: 0 widest, 1 the longest zoom [default: where it is]
    #[arg(long, allow_hyphen_values = true)]
    pub zoom: Option<f64>,
    /// Speed 0..1, a fraction of the camera's top speed [default: the camera's]
    #[arg(long)]
    pub speed: Option<f64>,
}

#[derive(Debug, Clone, Args)]
pub struct StepArgs {
    /// Pan by this much, -1..1 of the pan range (negative: left)
    #[arg(long, allow_hyphen_values = true)]
    pub pan: Option<f64>,
    /// Tilt by this much, -1..1 of the tilt range (negative: down)
    #[arg(long, allow_hyphen_values = true)]
    pub tilt: Option<f64>,
    /// Zoom by this much, -1..1 of the zoom range (negative: wider)
    #[arg(long, allow_hyphen_values = true)]
    pub zoom: Option<f64>,
    /// Speed 0..1, a fraction of the camera's top speed [default: the camera's]
    #[arg(long)]
    pub speed: Option<f64>,
}

#[derive(Debug, Clone, Args)]
pub struct GoArgs {
    /// Pan velocity, -1..1 of the camera's top speed (negative: left)
    #[arg(long, allow_hyphen_values = true)]
    pub pan: Option<f64>,
    /// Tilt velocity, -1..1 of the camera's top speed (negative: down)
    #[arg(long, allow_hyphen_values = true)]
    pub tilt: Option<f64>,
    /// Zoom velocity, -1..1 of the camera's top speed (negative: wider)
    #[arg(long, allow_hyphen_values = true)]
    pub zoom: Option<f64>,
    /// Move this long, then stop (also sent as the ONVIF Timeout)
    #[arg(long = "for", value_parser = parse_timeout, value_name = "DURATION")]
    pub duration: Option<SignedDur>,
}

pub async fn run(cam: &Camera, args: &PtzArgs, out: &Out) -> Result<(), Failure> {
    let profile = args.profile.as_deref();
    match &args.action {
        PtzAction::Nodes => {
            let n = cam.ptz_nodes().await?;
            out.show(&n, || output::ptz_nodes(&n));
            return Ok(());
        }
        PtzAction::Node { token } => {
            let n = cam.ptz_node(token).await?;
            let list = [n];
            out.show(&list[0], || output::ptz_nodes(&list));
            return Ok(());
        }
        PtzAction::Configs => {
            let c = cam.ptz_configurations().await?;
            out.show(&c, || output::ptz_configs(&c));
            return Ok(());
        }
        PtzAction::Config { token } => {
            let c = [cam.ptz_configuration(token).await?];
            out.show(&c[0], || output::ptz_configs(&c));
            return Ok(());
        }
        PtzAction::ConfigOptions { token } => {
            let o = cam.ptz_configuration_options(token).await?;
            out.show(&o, || {
                serde_json::to_string_pretty(&o).unwrap_or_else(|e| e.to_string())
            });
            return Ok(());
        }
        PtzAction::Capabilities => {
            let c = cam.ptz_capabilities().await?;
            out.show(&c, || output::kv_flags(&c.flags()));
            return Ok(());
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
        out.show(&v, || format!("{what} sent to profile {}", t.profile));
    };
    match &args.action {
        PtzAction::Status => {
            let s = cam.ptz_status(&t).await?;
            out.show(&s, || output::ptz_status(&t, &s));
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
            out.show(&p, || output::ptz_presets(&t, &p));
        }
        PtzAction::Preset { action } => match action {
            PresetAction::Set { name } => {
                let token = cam.ptz_set_preset(&t, name).await?;
                let v = serde_json::json!({ "name": name, "token": token });
                out.show(&v, || format!("preset {name:?} saved as token {token}"));
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
                format!("sent {command}; the camera answered: {answer}")
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
    ptz_control::run(driver, &title).await.map_err(|e| Failure {
        code: crate::exit::DEVICE,
        message: e,
    })
}

/// Carries controller commands to a camera, with the fallbacks between ContinuousMove and
/// RelativeMove.
struct CameraDriver {
    cam: Camera,
    target: PtzTarget,
    presets: Vec<onvif::proto::ops::ptz::Preset>,
    no_relative: AtomicBool,
}

/// The camera cannot do this kind of move: it said so (ActionNotSupported,
/// SpaceNotSupported), or its node lists no space for it (checked before sending).
fn unsupported(e: &onvif::Error) -> bool {
    e.fault()
        .is_some_and(|f| f.is_action_not_supported() || f.has_subcode("SpaceNotSupported"))
        || e.to_string().contains("offers no")
}

impl ptz_control::Driver for CameraDriver {
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
                        Some(ptz_control::MOVE_TIMEOUT),
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
        Ok(output::ptz_status_line(&self.target, &s))
    }
}

/// `user_position` re-exported for output.
pub fn position_in_user_units(
    t: &PtzTarget,
    s: &onvif::proto::ops::ptz::PtzStatus,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    s.position
        .as_ref()
        .map_or((None, None, None), |p| user_position(&t.node, p))
}
