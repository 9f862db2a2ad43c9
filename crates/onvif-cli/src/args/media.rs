//! The options of the media commands: `profiles`, `stream-uri`, `snapshot-uri`, `snapshot`,
//! `video-sources`, `encoders`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct ProfileArg {
    /// Profile token or name (default: the first profile)
    #[arg(long)]
    pub profile: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct StreamUriArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// How the stream travels
    #[arg(long, value_enum, default_value_t = Transport::Rtsp)]
    pub transport: Transport,
    /// Put the user and password into the URI (percent-encoded), for players that need it,
    /// and keep a password the camera wrote into its query (hidden otherwise)
    #[arg(long)]
    pub with_credentials: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotUriArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// Put the user and password into the URI (percent-encoded), for tools that need it, and
    /// keep a password the camera wrote into its query (hidden otherwise)
    #[arg(long)]
    pub with_credentials: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Transport {
    /// RTSP, RTP over UDP
    Rtsp,
    /// RTSP, RTP interleaved over the RTSP TCP connection
    RtspTcp,
    /// RTSP tunnelled in HTTP
    Http,
    /// Multicast RTP
    UdpMulticast,
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// Where to write the image (- for stdout; default: <profile token>.jpg)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
