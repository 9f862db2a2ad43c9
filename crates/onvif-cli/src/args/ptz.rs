//! The options of `ptz` and its subcommands.

use clap::{Args, Subcommand};

use crate::words::{SignedDur, parse_timeout};

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
        #[arg(long, allow_negative_numbers = true)]
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
        #[arg(long, allow_negative_numbers = true)]
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
    #[arg(long, allow_negative_numbers = true)]
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
    #[arg(long, allow_negative_numbers = true)]
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
    #[arg(
        long = "for",
        value_parser = parse_timeout,
        value_name = "DURATION",
        allow_hyphen_values = true
    )]
    pub duration: Option<SignedDur>,
}
