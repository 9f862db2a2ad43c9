//! The options of `discover`.

use clap::Args;
use onvif::discovery;

use crate::words::{SignedDur, parse_timeout};

#[derive(Debug, Clone, Args)]
pub struct DiscoverArgs {
    /// How long answers are collected, e.g. 5s, 500ms [default: 3s]
    #[arg(long, value_parser = parse_timeout, value_name = "DURATION", allow_hyphen_values = true)]
    pub timeout: Option<SignedDur>,
    /// Probe out of this interface (a name or an IPv4 address; repeatable) [default: every up,
    /// multicast-capable, non-loopback IPv4 interface]
    #[arg(long = "interface", value_name = "NAME")]
    pub interfaces: Vec<String>,
    /// Send the probe straight to this address (repeatable), for networks that drop
    /// multicast; no multicast is sent then unless --interface is given too
    #[arg(long, value_name = "ADDR[:PORT]")]
    pub unicast: Vec<String>,
    /// The WS-Discovery UDP port (of the multicast group, and of --unicast addresses without
    /// one)
    #[arg(long, default_value_t = discovery::PORT)]
    pub port: u16,
    /// Listen for cameras joining (Hello) and leaving (Bye) until Ctrl-C; with --json, one
    /// JSON object per line as they arrive
    #[arg(long)]
    pub watch: bool,
}
