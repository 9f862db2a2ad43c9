//! The options of `reboot`, `firmware`, `backup` and `restore`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::settings::Confirm;
use crate::words::{SignedDur, parse_timeout};

/// How long to wait for a restarted camera to answer again.
#[derive(Debug, Clone, Copy, Args)]
pub struct WaitArgs {
    /// Give up waiting for the camera to answer again after this long (e.g. 10m)
    #[arg(
        long = "wait-up-to",
        value_parser = parse_timeout,
        value_name = "DURATION",
        default_value = "10m",
        allow_hyphen_values = true
    )]
    pub up_to: SignedDur,
}

#[derive(Debug, Clone, Args)]
pub struct RebootArgs {
    /// Wait until the camera is back (it stops answering, then answers again) and say how
    /// long it was away
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub waiting: WaitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct FirmwareArgs {
    #[command(subcommand)]
    pub action: Option<FirmwareAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum FirmwareAction {
    /// Upload a firmware image (StartFirmwareUpgrade, then an HTTP POST), wait for the camera
    /// to restart with it, and say the version it reports then; asks first
    Upgrade {
        /// The image, as the camera's maker ships it for this model
        file: PathBuf,
        /// Return once the camera took the image, without waiting for it to come back
        #[arg(long)]
        no_wait: bool,
        /// How long the upload may take, answer included (cameras often answer only once
        /// the image is written)
        #[arg(
            long,
            value_parser = parse_timeout,
            value_name = "DURATION",
            default_value = "10m",
            allow_hyphen_values = true
        )]
        upload_timeout: SignedDur,
        #[command(flatten)]
        waiting: WaitArgs,
        #[command(flatten)]
        confirm: Confirm,
    },
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Write the backup here (made readable by its owner only: a backup may hold secrets)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// A backup of this camera (`onvif backup -o FILE`)
    pub file: PathBuf,
    /// Return once the camera took the backup, without waiting for a restart it announces
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub waiting: WaitArgs,
    #[command(flatten)]
    pub confirm: Confirm,
}
