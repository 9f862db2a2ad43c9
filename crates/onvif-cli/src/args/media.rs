//! The options of the media commands: `profiles`, `stream-uri`, `snapshot-uri`, `snapshot`,
//! `video-sources`, `encoders`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::imaging::OnOff;

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

#[derive(Debug, Clone, Args)]
pub struct EncodersArgs {
    #[command(subcommand)]
    pub action: Option<EncodersAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum EncodersAction {
    /// What a configuration accepts, per codec: resolutions, frame rates, bitrates, GOP
    /// lengths, quality, codec profiles
    Options {
        /// Encoder configuration token (default: the first configuration)
        token: Option<String>,
    },
    /// Change a configuration (checked against `encoders options` first); the camera's
    /// streams restart with it
    Set(EncoderSet),
}

#[derive(Debug, Clone, Args)]
pub struct EncoderSet {
    /// Encoder configuration token (`encoders` lists them)
    pub token: String,
    /// Codec
    #[arg(long, value_enum)]
    pub encoding: Option<Codec>,
    /// Picture size, WIDTHxHEIGHT (`1280x720`), one the camera offers for the codec
    #[arg(long, value_parser = parse_resolution, value_name = "WxH")]
    pub resolution: Option<(u32, u32)>,
    /// Frame rate limit, frames per second
    #[arg(long, allow_negative_numbers = true)]
    pub fps: Option<f64>,
    /// Bitrate limit, kbit/s
    #[arg(long, value_name = "KBPS", allow_hyphen_values = true)]
    pub bitrate: Option<u32>,
    /// Group of pictures length, in frames (a key frame every N)
    #[arg(long, value_name = "FRAMES", allow_hyphen_values = true)]
    pub gov: Option<u32>,
    /// Quality, on the camera's own scale (`encoders options` shows it)
    #[arg(long, allow_negative_numbers = true)]
    pub quality: Option<f64>,
    /// Codec profile (Baseline, Main, High, ...; `encoders options` lists them)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Constant bitrate on, or variable (off); Media2 only (Media1 has no such setting)
    #[arg(long, value_enum)]
    pub cbr: Option<OnOff>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Codec {
    H264,
    H265,
    Jpeg,
    Mpeg4,
}

/// `1280x720` (or `1280X720`, `1280*720`) as width and height, both above zero.
pub(crate) fn parse_resolution(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not a resolution: give WIDTHxHEIGHT, e.g. 1280x720");
    let (w, h) = s.trim().split_once(['x', 'X', '*']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if w == 0 || h == 0 {
        return Err(bad());
    }
    Ok((w, h))
}
