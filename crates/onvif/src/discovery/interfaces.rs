//! The interfaces a probe leaves by, and the sockets it is sent from.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use serde::Serialize;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use tokio::net::UdpSocket;

use crate::error::Error;

/// An IPv4 interface a probe can leave by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetInterface {
    /// `eth0`, `lo`, ...
    pub name: String,
    /// Its (first) IPv4 address: the one `IP_MULTICAST_IF` names.
    pub ip: Ipv4Addr,
}

/// Every up, multicast-capable, non-loopback IPv4 interface (its first address).
pub fn multicast_interfaces() -> Result<Vec<NetInterface>, Error> {
    let all = if_addrs::get_if_addrs().map_err(|e| Error::Network {
        url: "network interfaces".into(),
        detail: e.to_string(),
    })?;
    let mut out: Vec<NetInterface> = Vec::new();
    for i in all {
        let IpAddr::V4(ip) = i.ip() else { continue };
        if i.is_loopback() || !i.is_oper_up() || !multicast_capable(&i.name) {
            continue;
        }
        if !out.iter().any(|o| o.name == i.name) {
            out.push(NetInterface { name: i.name, ip });
        }
    }
    Ok(out)
}

/// The interfaces named (by name or IPv4 address), or every suitable one for none.
pub fn select_interfaces(names: &[String]) -> Result<Vec<NetInterface>, Error> {
    if names.is_empty() {
        return multicast_interfaces();
    }
    let all = if_addrs::get_if_addrs().map_err(|e| Error::Network {
        url: "network interfaces".into(),
        detail: e.to_string(),
    })?;
    let v4: Vec<NetInterface> = all
        .into_iter()
        .filter_map(|i| match i.ip() {
            IpAddr::V4(ip) => Some(NetInterface { name: i.name, ip }),
            IpAddr::V6(_) => None,
        })
        .collect();
    let mut out: Vec<NetInterface> = Vec::new();
    for n in names {
        let n = n.trim();
        let found = match n.parse::<Ipv4Addr>() {
            Ok(ip) => v4.iter().find(|i| i.ip == ip),
            Err(_) => v4.iter().find(|i| i.name == n),
        };
        match found {
            Some(i) if !out.contains(i) => out.push(i.clone()),
            Some(_) => {}
            None => {
                let mut known: Vec<&str> = v4.iter().map(|i| i.name.as_str()).collect();
                known.dedup();
                return Err(Error::Usage(format!(
                    "no IPv4 interface {n:?} (known: {})",
                    known.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// Linux tells interface flags in sysfs; elsewhere every interface is assumed capable.
fn multicast_capable(name: &str) -> bool {
    const IFF_UP: u32 = 0x1;
    const IFF_MULTICAST: u32 = 0x1000;
    let path = format!("/sys/class/net/{name}/flags");
    match std::fs::read_to_string(path) {
        Ok(s) => u32::from_str_radix(s.trim().trim_start_matches("0x"), 16)
            .map_or(true, |f| f & IFF_UP != 0 && f & IFF_MULTICAST != 0),
        Err(_) => true,
    }
}

pub(super) fn net_error(what: impl std::fmt::Display, e: io::Error) -> Error {
    Error::Network {
        url: what.to_string(),
        detail: e.to_string(),
    }
}

/// A socket to send the probe from, what it is called, and where the probe goes.
pub(super) struct Sender {
    pub(super) via: String,
    pub(super) socket: Arc<UdpSocket>,
    pub(super) to: Vec<SocketAddr>,
}

/// A UDP socket bound to `ip:0` whose multicast leaves by that address's interface.
pub(super) fn multicast_sender(ip: Ipv4Addr) -> io::Result<UdpSocket> {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    s.bind(&SockAddr::from(SocketAddr::new(ip.into(), 0)))?;
    s.set_multicast_if_v4(&ip)?;
    s.set_multicast_ttl_v4(1)?;
    s.set_multicast_loop_v4(true)?;
    s.set_nonblocking(true)?;
    UdpSocket::from_std(s.into())
}

pub(super) fn unicast_sender(v6: bool) -> io::Result<UdpSocket> {
    let (domain, ip): (Domain, IpAddr) = if v6 {
        (Domain::IPV6, std::net::Ipv6Addr::UNSPECIFIED.into())
    } else {
        (Domain::IPV4, Ipv4Addr::UNSPECIFIED.into())
    };
    let s = Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))?;
    s.bind(&SockAddr::from(SocketAddr::new(ip, 0)))?;
    s.set_nonblocking(true)?;
    UdpSocket::from_std(s.into())
}
