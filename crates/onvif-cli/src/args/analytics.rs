//! The options of `analytics`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Clone, Args)]
pub struct AnalyticsArgs {
    /// Video analytics configuration token (default: the first the camera lists)
    #[arg(long)]
    pub configuration: Option<String>,
    #[command(subcommand)]
    pub action: AnalyticsAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum AnalyticsAction {
    /// Analytics modules (engines) and their parameters
    Modules,
    /// Rules and their parameters
    Rules,
    /// The cells the cell motion detector watches, as rows of # (watched) and . (ignored);
    /// `--set FILE` writes such a grid
    MotionRegion(MotionRegionArgs),
}

#[derive(Debug, Clone, Args)]
pub struct MotionRegionArgs {
    /// The cell motion detector rule (default: the first)
    #[arg(long)]
    pub rule: Option<String>,
    /// A file of rows of # and ., one row per line, as many as the camera's layout; `-` reads
    /// standard input
    #[arg(long, value_name = "GRID-FILE")]
    pub set: Option<PathBuf>,
}
