//! The options of `ui`.

use std::net::SocketAddr;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct UiArgs {
    /// Address to serve on. 127.0.0.1 and ::1 need no login; any other address requires
    /// one (a token printed at start, or the config's ui_password). Port 0 picks a free one
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The "discover" button probes this address straight (repeatable), for networks that
    /// drop multicast; no multicast is sent then
    #[arg(long, value_name = "ADDR[:PORT]")]
    pub discover_unicast: Vec<String>,
}
