//! The options of `relay`, `inputs` and `focus`.

use clap::{Args, Subcommand, ValueEnum};

use crate::words::{SignedDur, parse_timeout};

#[derive(Debug, Clone, Args)]
pub struct RelayArgs {
    #[command(subcommand)]
    pub action: Option<RelayAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum RelayAction {
    /// The relay outputs: token, mode, delay, idle state (the default)
    List,
    /// Activate (on) or release (off) a relay; --for releases it again after a while
    Set {
        /// The relay's token (see `relay list`)
        name: String,
        /// on (active) or off (inactive)
        #[arg(value_enum)]
        state: OnOff,
        /// With on: hold it this long (e.g. 2s), then release it
        #[arg(
            long = "for",
            value_parser = parse_timeout,
            value_name = "DURATION",
            allow_hyphen_values = true
        )]
        duration: Option<SignedDur>,
    },
    /// Change a relay's mode: monostable (releases itself after --delay) or bistable
    Mode {
        /// The relay's token (see `relay list`)
        name: String,
        /// monostable (releases itself after --delay) or bistable (stays as set)
        #[arg(value_enum)]
        mode: RelayModeArg,
        /// How long a monostable relay stays active (e.g. 1s); kept when not given
        #[arg(
            long,
            value_parser = parse_timeout,
            value_name = "DURATION",
            allow_hyphen_values = true
        )]
        delay: Option<SignedDur>,
        /// The relay's electrical state at rest; kept when not given
        #[arg(long, value_enum)]
        idle: Option<IdleArg>,
    },
    /// The modes and delay times each relay accepts (DeviceIO)
    Options {
        /// One relay's token (default: every relay)
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RelayModeArg {
    Monostable,
    Bistable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IdleArg {
    Open,
    Closed,
}

#[derive(Debug, Clone, Args)]
pub struct FocusArgs {
    /// Video source token (default: the first video source)
    #[arg(long, global = true)]
    pub source: Option<String>,
    #[command(subcommand)]
    pub action: Option<FocusAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum FocusAction {
    /// Where the focus is and whether it moves (the default)
    Status,
    /// Move the focus: --near/--far by a distance, --to a position, or --speed until
    /// `focus stop` (negative towards near); the ranges are the camera's (`focus options`)
    Move(FocusMoveArgs),
    /// Stop a focus move
    Stop,
    /// Let the camera focus by itself (autofocus on)
    Auto,
    /// Focus by hand (autofocus off)
    Manual,
    /// The focus moves the camera supports and their ranges
    Options,
}

#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct FocusMoveArgs {
    /// Move towards near by this distance (relative move)
    #[arg(long, value_name = "DISTANCE")]
    pub near: Option<f64>,
    /// Move towards far by this distance (relative move)
    #[arg(long, value_name = "DISTANCE")]
    pub far: Option<f64>,
    /// Go to this position (absolute move)
    #[arg(long, value_name = "POSITION")]
    pub to: Option<f64>,
    /// Move at this speed until `focus stop` (continuous move; negative towards near)
    #[arg(long, value_name = "SPEED", allow_hyphen_values = true)]
    pub speed: Option<f64>,
}
