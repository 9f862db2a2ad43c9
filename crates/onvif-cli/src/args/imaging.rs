//! The options of `imaging`, and the on/off values the shell's `trace` shares.

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct ImagingArgs {
    /// Video source token (default: the first video source)
    #[arg(long)]
    pub source: Option<String>,
    #[command(subcommand)]
    pub action: Option<ImagingAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ImagingAction {
    /// Change settings; values are in the camera's own ranges (see `imaging options`)
    Set(ImagingSet),
    /// The ranges and modes each setting accepts
    Options,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ImagingSet {
    /// Video source token (default: the first video source)
    #[arg(long)]
    pub source: Option<String>,
    /// Brightness, in the camera's range (`imaging options` shows it; often 0..100)
    #[arg(long, allow_negative_numbers = true)]
    pub brightness: Option<f64>,
    /// Contrast, in the camera's range (`imaging options` shows it; often 0..100)
    #[arg(long, allow_negative_numbers = true)]
    pub contrast: Option<f64>,
    /// Colour saturation, in the camera's range (`imaging options` shows it; often 0..100)
    #[arg(long, allow_negative_numbers = true)]
    pub saturation: Option<f64>,
    /// Sharpness, in the camera's range (`imaging options` shows it; often 0..100)
    #[arg(long, allow_negative_numbers = true)]
    pub sharpness: Option<f64>,
    /// Infrared cut filter
    #[arg(long, value_enum)]
    pub ir_cut: Option<IrCut>,
    /// Wide dynamic range on or off
    #[arg(long, value_enum)]
    pub wdr: Option<OnOff>,
    /// Backlight compensation on or off
    #[arg(long, value_enum)]
    pub backlight: Option<OnOff>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IrCut {
    On,
    Off,
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}
