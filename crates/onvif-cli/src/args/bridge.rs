//! `onvif bridge`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct BridgeArgs {
    /// The broker: mqtt://HOST[:1883] or mqtts://HOST[:8883] [default: the config's [mqtt] url]
    #[arg(long, value_name = "URL")]
    pub mqtt: Option<String>,
    /// User name at the broker; its password comes from ONVIF_MQTT_PASSWORD or the config
    #[arg(long, value_name = "USER")]
    pub mqtt_user: Option<String>,
    /// For mqtts://: trust the certificate authorities of this PEM file instead of the
    /// system's [default: the config's mqtt.ca]
    #[arg(long, value_name = "FILE")]
    pub mqtt_ca: Option<PathBuf>,
    /// Follow only this camera of the config (repeat for more) [default: every camera]
    #[arg(long = "camera", short = 'c', value_name = "NAME")]
    pub cameras: Vec<String>,
    /// Config file [default: $XDG_CONFIG_HOME/onvif/config.toml]
    #[arg(long = "config", id = "bridge_config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Connect to every camera and to the broker once, print a table, and exit
    #[arg(long)]
    pub check: bool,
    /// Serve Prometheus metrics at /metrics (and /healthz for probes) on this address
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<SocketAddr>,
    /// Serve a status page (each camera's state, events and errors; the broker) on this
    /// address; beyond 127.0.0.1 and ::1 it asks for a login, as `onvif ui` does
    #[arg(long, value_name = "ADDR")]
    pub ui: Option<SocketAddr>,
    /// Follow only the cameras whose names hash to shard I of N (I/N, from 0): several
    /// bridges on one broker share a fleet, each camera followed by exactly one
    #[arg(long, value_parser = parse_shard, value_name = "I/N")]
    pub shard: Option<(u32, u32)>,
}

pub fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 0/2"))?;
    let i: u32 = i
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: I is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: N is not a number"))?;
    if n == 0 || i >= n {
        return Err(format!("{s:?}: need 0 <= I < N"));
    }
    Ok((i, n))
}
