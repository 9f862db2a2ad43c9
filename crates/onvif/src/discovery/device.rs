//! A camera as discovery reports it, merged over its answers.

use std::net::{IpAddr, SocketAddr};

use onvif_proto::discovery::{ScopeInfo, Target};
use onvif_proto::xml::QNameValue;
use serde::Serialize;
use url::Url;

use crate::address::DEVICE_PATHS;
use crate::error::Error;

/// A camera found by a probe or announced by a Hello (or leaving, in a Bye).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    /// The endpoint reference address: the camera's identity (`urn:uuid:...`).
    pub endpoint: String,
    /// Its UUID, when the endpoint reference is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// What to pass to `-H` / [`crate::Camera::connect`]: the first usable XAddr as
    /// `host:port` when it is the usual device service path, the whole URL otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The scopes decoded: name, hardware, location, profiles, ...
    #[serde(flatten)]
    pub info: ScopeInfo,
    /// Service addresses from every answer, in order first seen.
    pub xaddrs: Vec<String>,
    /// WS-Discovery types (`dn:NetworkVideoTransmitter`, `tds:Device`, ...), resolved.
    pub types: Vec<QNameValue>,
    /// Scope URIs as sent.
    pub scopes: Vec<String>,
    /// The highest MetadataVersion seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_version: Option<u64>,
    /// Where the answers came from.
    pub from: Vec<SocketAddr>,
    /// Which probes it answered: interface names, or `unicast`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
}

/// The most service addresses, source addresses and interfaces one device keeps.
pub const MAX_PER_DEVICE: usize = 16;

impl Device {
    /// A device from one ProbeMatch, Hello or Bye received from `from` via `via`.
    pub fn from_target(t: Target, from: SocketAddr, via: &str) -> Device {
        let mut d = Device {
            uuid: t.uuid(),
            info: t.scope_info(),
            endpoint: t.address,
            host: None,
            xaddrs: Vec::new(),
            types: t.types,
            scopes: t.scopes,
            metadata_version: t.metadata_version,
            from: vec![from],
            via: if via.is_empty() {
                Vec::new()
            } else {
                vec![via.to_owned()]
            },
        };
        d.add_xaddrs(t.xaddrs);
        d
    }

    /// The key devices are told apart by: the UUID, or the endpoint reference as written.
    pub fn key(&self) -> String {
        self.uuid
            .clone()
            .unwrap_or_else(|| self.endpoint.trim().to_owned())
    }

    /// Merge another answer of the same device; true when it brought new service addresses.
    /// Each list keeps at most [`MAX_PER_DEVICE`] entries: answers under one made-up UUID
    /// from ever new addresses cannot grow it.
    pub fn merge(&mut self, other: Device) -> bool {
        for f in other.from {
            if !self.from.contains(&f) && self.from.len() < MAX_PER_DEVICE {
                self.from.push(f);
            }
        }
        for v in other.via {
            if !self.via.contains(&v) && self.via.len() < MAX_PER_DEVICE {
                self.via.push(v);
            }
        }
        if other.metadata_version > self.metadata_version {
            self.metadata_version = other.metadata_version;
            self.scopes = other.scopes;
            self.info = other.info;
            self.types = other.types;
        }
        self.add_xaddrs(other.xaddrs)
    }

    fn add_xaddrs(&mut self, xaddrs: Vec<String>) -> bool {
        let mut grew = false;
        for x in xaddrs {
            if !self.xaddrs.contains(&x) && self.xaddrs.len() < MAX_PER_DEVICE {
                self.xaddrs.push(x);
                grew = true;
            }
        }
        self.host = host_arg(&self.xaddrs, self.from.first().map(SocketAddr::ip));
        grew
    }
}

/// The `-H` value for a list of XAddrs: the first http(s) URL, as `host:port` when its path
/// is `/onvif/device_service` (what the client tries first), else whole. An unspecified
/// host (`0.0.0.0`, a camera bug) is replaced by the address the answer came from.
pub fn host_arg(xaddrs: &[String], from: Option<IpAddr>) -> Option<String> {
    xaddrs.iter().find_map(|x| {
        let mut url = Url::parse(x.trim()).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = url.host_str()?.to_owned();
        let unspecified = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_unspecified());
        if unspecified {
            url.set_ip_host(from?).ok()?;
        }
        if url.scheme() == "http"
            && url.path() == DEVICE_PATHS[0]
            && url.query().is_none()
            && url.username().is_empty()
        {
            let host = url.host_str()?;
            return Some(match url.port() {
                Some(p) => format!("{host}:{p}"),
                None => host.to_owned(),
            });
        }
        Some(url.to_string())
    })
}

/// `ADDR` or `ADDR:PORT` (`[v6]:PORT` for IPv6) to a socket address, `default_port` when none
/// is given.
pub fn parse_target(s: &str, default_port: u16) -> Result<SocketAddr, Error> {
    let t = s.trim();
    if let Ok(a) = t.parse::<SocketAddr>() {
        return Ok(a);
    }
    let bare = t.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, default_port))
        .map_err(|_| Error::Address {
            input: s.to_owned(),
            reason: "expected an IP address, optionally with :PORT".into(),
        })
}
