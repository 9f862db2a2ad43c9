//! The options of `osd`.

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct OsdArgs {
    /// Video source configuration token (default: the first profile's)
    #[arg(long)]
    pub configuration: Option<String>,
    #[command(subcommand)]
    pub action: Option<OsdAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum OsdAction {
    /// The OSDs: token, type, position, font size and what each shows (the default)
    List,
    /// What OSDs the camera takes: how many, kinds, positions, date and time formats
    Options,
    /// Add a text OSD: `--text "Gate 2"`, or `--text "%D %T"` for the camera's own date and
    /// time (%D date, %T time; ONVIF shows either text or the date and time, not both in one OSD)
    Add(OsdAdd),
    /// Change an OSD's text, position or font size
    Set(OsdSet),
    /// Remove an OSD
    Remove {
        /// The OSD's token (`osd` lists them)
        token: String,
    },
}

/// Where an OSD stands and how it looks.
#[derive(Debug, Clone, Default, Args)]
pub struct OsdLook {
    /// A corner of the picture
    #[arg(long, value_enum, conflicts_with_all = ["x", "y"])]
    pub position: Option<Corner>,
    /// A custom position: left (-1) to right (1); give --y too
    #[arg(long, requires = "y", allow_negative_numbers = true)]
    pub x: Option<f64>,
    /// A custom position: bottom (-1) to top (1); give --x too
    #[arg(long, requires = "x", allow_negative_numbers = true)]
    pub y: Option<f64>,
    /// Font size, in the camera's range (`osd options` shows it)
    #[arg(long)]
    pub font_size: Option<u32>,
}

#[derive(Debug, Clone, Args)]
pub struct OsdAdd {
    /// The text; %D is the camera's date and %T its time, shown in its own format
    #[arg(long)]
    pub text: String,
    #[command(flatten)]
    pub look: OsdLook,
}

#[derive(Debug, Clone, Args)]
pub struct OsdSet {
    /// The OSD's token (`osd` lists them)
    pub token: String,
    /// The new text (%D date, %T time, as for `osd add`)
    #[arg(long)]
    pub text: Option<String>,
    #[command(flatten)]
    pub look: OsdLook,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Corner {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}
