//! WS-Discovery: find the cameras on the network, and hear them come and go.
//!
//! [`discover`] sends a Probe for ONVIF devices (`dn:NetworkVideoTransmitter tds:Device`) to
//! 239.255.255.250:3702 out of every up, multicast-capable, non-loopback IPv4 interface
//! (`IP_MULTICAST_IF` set per interface, TTL 1), or only out of the interfaces named, and/or
//! straight to given addresses (unicast, for networks that drop multicast). UDP is lossy, so
//! the probe is sent a few times with the same MessageID. Answers are collected until the
//! timeout: only ProbeMatches whose `RelatesTo` is our MessageID count; malformed ones are
//! skipped with a debug log. Each camera is yielded once, as soon as it answers, even when it
//! answers several times or on several interfaces (identified by its endpoint reference);
//! a later answer that adds service addresses yields it again with the addresses merged.
//!
//! [`watch`] joins the multicast group on port 3702 and yields the Hello and Bye that cameras
//! send when they join or leave the network.
//!
//! ```no_run
//! # async fn demo() -> Result<(), onvif::Error> {
//! use onvif::discovery::{DiscoveryOptions, discover_all};
//! for cam in discover_all(DiscoveryOptions::default()).await? {
//!     println!("{} {:?} {:?}", cam.endpoint, cam.info.name, cam.host);
//! }
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use onvif_proto::discovery::{self as wsd, Packet, Payload, Probe, ScopeInfo, Target};
use onvif_proto::xml::QNameValue;
use reqwest::Url;
use serde::Serialize;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tracing::debug;

use crate::address::DEVICE_PATHS;
use crate::error::Error;

pub use onvif_proto::discovery::{MULTICAST_V4, PORT};

/// How to probe. [`DiscoveryOptions::default`] probes every suitable interface by multicast
/// for 3 s.
#[derive(Debug, Clone)]
pub struct DiscoveryOptions {
    /// How long answers are collected (default 3 s).
    pub timeout: Duration,
    /// Interfaces to probe by multicast, by name (`eth0`) or IPv4 address; a named interface
    /// is used even when it is loopback. Empty (the default): every up, multicast-capable,
    /// non-loopback IPv4 interface.
    pub interfaces: Vec<String>,
    /// Addresses to probe by unicast (see [`parse_target`]). When some are given and no
    /// interface is named, no multicast is sent.
    pub unicast: Vec<SocketAddr>,
    /// The port of the multicast probe (default 3702).
    pub port: u16,
    /// The multicast group (default 239.255.255.250).
    pub multicast_addr: Ipv4Addr,
    /// How many times the probe is sent (default 3, at least 1).
    pub repeat: u32,
    /// The pause between sends (default 250 ms).
    pub repeat_interval: Duration,
    /// The types probed for (default `dn:NetworkVideoTransmitter tds:Device`; empty: any).
    pub types: Vec<QNameValue>,
    /// The scopes probed for (default none).
    pub scopes: Vec<String>,
}

impl Default for DiscoveryOptions {
    fn default() -> Self {
        DiscoveryOptions {
            timeout: Duration::from_secs(3),
            interfaces: Vec::new(),
            unicast: Vec::new(),
            port: PORT,
            multicast_addr: MULTICAST_V4,
            repeat: 3,
            repeat_interval: Duration::from_millis(250),
            types: wsd::onvif_types(),
            scopes: Vec::new(),
        }
    }
}

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
    pub fn merge(&mut self, other: Device) -> bool {
        for f in other.from {
            if !self.from.contains(&f) {
                self.from.push(f);
            }
        }
        for v in other.via {
            if !self.via.contains(&v) {
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
            if !self.xaddrs.contains(&x) {
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

fn net_error(what: impl std::fmt::Display, e: io::Error) -> Error {
    Error::Network {
        url: what.to_string(),
        detail: e.to_string(),
    }
}

/// A socket to send the probe from, what it is called, and where the probe goes.
struct Sender {
    via: String,
    socket: Arc<UdpSocket>,
    to: Vec<SocketAddr>,
}

/// A UDP socket bound to `ip:0` whose multicast leaves by that address's interface.
fn multicast_sender(ip: Ipv4Addr) -> io::Result<UdpSocket> {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    s.bind(&SockAddr::from(SocketAddr::new(ip.into(), 0)))?;
    s.set_multicast_if_v4(&ip)?;
    s.set_multicast_ttl_v4(1)?;
    s.set_multicast_loop_v4(true)?;
    s.set_nonblocking(true)?;
    UdpSocket::from_std(s.into())
}

fn unicast_sender(v6: bool) -> io::Result<UdpSocket> {
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

/// Start probing; cameras arrive on the receiver as they answer, and it closes at the
/// timeout. Dropping the receiver stops the probe. Fails only when no probe can be sent
/// (an unknown interface, no interface at all, sockets refused).
pub async fn discover(opts: DiscoveryOptions) -> Result<mpsc::Receiver<Device>, Error> {
    let group = SocketAddr::new(opts.multicast_addr.into(), opts.port);
    let mut senders: Vec<Sender> = Vec::new();
    let multicast = opts.unicast.is_empty() || !opts.interfaces.is_empty();
    if multicast {
        let interfaces = select_interfaces(&opts.interfaces)?;
        if interfaces.is_empty() {
            return Err(Error::Network {
                url: format!("udp://{group}"),
                detail: "no up, multicast-capable IPv4 interface to probe from (name one, \
                         or probe an address by unicast)"
                    .into(),
            });
        }
        let mut last_err = None;
        for i in interfaces {
            match multicast_sender(i.ip) {
                Ok(s) => senders.push(Sender {
                    via: i.name,
                    socket: Arc::new(s),
                    to: vec![group],
                }),
                Err(e) => {
                    debug!(interface = %i.name, ip = %i.ip, "cannot probe from here: {e}");
                    last_err = Some(net_error(format!("udp://{group} via {}", i.name), e));
                }
            }
        }
        if senders.is_empty()
            && let Some(e) = last_err
        {
            return Err(e);
        }
    }
    for v6 in [false, true] {
        let to: Vec<SocketAddr> = opts
            .unicast
            .iter()
            .copied()
            .filter(|a| a.is_ipv6() == v6)
            .collect();
        if to.is_empty() {
            continue;
        }
        let socket = unicast_sender(v6).map_err(|e| net_error(format!("udp://{}", to[0]), e))?;
        senders.push(Sender {
            via: "unicast".into(),
            socket: Arc::new(socket),
            to,
        });
    }

    // A device answers a Probe only when it has *every* type listed, so one Probe per type
    // is sent: a camera advertising only `dn:NetworkVideoTransmitter` (or only `tds:Device`)
    // still answers.
    let probes: Vec<Probe> = if opts.types.len() > 1 {
        opts.types
            .iter()
            .map(|t| Probe {
                message_id: wsd::new_message_id(),
                types: vec![t.clone()],
                scopes: opts.scopes.clone(),
            })
            .collect()
    } else {
        vec![Probe {
            message_id: wsd::new_message_id(),
            types: opts.types.clone(),
            scopes: opts.scopes.clone(),
        }]
    };
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(run_probe(probes, senders, opts, tx));
    Ok(rx)
}

/// [`discover`], waiting for the timeout: every camera once, with merged XAddrs, in the
/// order they answered.
pub async fn discover_all(opts: DiscoveryOptions) -> Result<Vec<Device>, Error> {
    let mut rx = discover(opts).await?;
    let mut found: Vec<Device> = Vec::new();
    while let Some(d) = rx.recv().await {
        match found.iter_mut().find(|f| f.key() == d.key()) {
            Some(f) => *f = d,
            None => found.push(d),
        }
    }
    Ok(found)
}

/// One datagram as received: which socket, from where, the bytes.
type Datagram = (String, SocketAddr, Vec<u8>);

/// Read datagrams off a socket into `to` until it is closed.
async fn pump(via: String, socket: Arc<UdpSocket>, to: mpsc::Sender<Datagram>) {
    let mut buf = vec![0u8; wsd::MAX_DATAGRAM];
    loop {
        match socket.recv_from(&mut buf).await {
            Ok((n, from)) => {
                if to
                    .send((via.clone(), from, buf[..n].to_vec()))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            // ICMP port unreachable from a unicast target surfaces here on some systems.
            Err(e) => debug!(%via, "receive error: {e}"),
        }
    }
}

async fn run_probe(
    probes: Vec<Probe>,
    senders: Vec<Sender>,
    opts: DiscoveryOptions,
    out: mpsc::Sender<Device>,
) {
    let deadline = Instant::now() + opts.timeout;
    let datagrams: Vec<Vec<u8>> = probes.iter().map(|p| p.to_xml().into_bytes()).collect();
    let ids: Vec<String> = probes.iter().map(|p| p.message_id.clone()).collect();
    let (dg_tx, mut dg_rx) = mpsc::channel::<Datagram>(256);
    // Every task here ends when this function returns (the set is dropped).
    let mut tasks = JoinSet::new();
    for s in &senders {
        tasks.spawn(pump(s.via.clone(), Arc::clone(&s.socket), dg_tx.clone()));
    }
    drop(dg_tx);
    let sends: Vec<(Arc<UdpSocket>, Vec<SocketAddr>)> = senders
        .iter()
        .map(|s| (Arc::clone(&s.socket), s.to.clone()))
        .collect();
    let repeat = opts.repeat.max(1);
    let interval = opts.repeat_interval;
    tasks.spawn(async move {
        for i in 0..repeat {
            if i > 0 {
                tokio::time::sleep(interval).await;
            }
            for (socket, to) in &sends {
                for addr in to {
                    for bytes in &datagrams {
                        if let Err(e) = socket.send_to(bytes, addr).await {
                            debug!(%addr, "probe not sent: {e}");
                        }
                    }
                }
            }
        }
        std::future::pending::<()>().await;
    });

    let mut seen: HashMap<String, Device> = HashMap::new();
    loop {
        let (via, from, data) = tokio::select! {
            _ = tokio::time::sleep_until(deadline) => break,
            _ = out.closed() => break,
            d = dg_rx.recv() => match d {
                Some(d) => d,
                None => break,
            },
        };
        let packet = match Packet::parse(&data) {
            Ok(p) => p,
            Err(e) => {
                debug!(%from, %via, "skipping a malformed discovery answer: {e}");
                continue;
            }
        };
        let Payload::ProbeMatches(matches) = packet.payload else {
            debug!(%from, "skipping a discovery message that is not ProbeMatches");
            continue;
        };
        let relates = packet.headers.relates_to.as_deref().map(str::trim);
        if relates.is_none() {
            // Some responders leave RelatesTo out: an answer that came to our own socket
            // during our probe is taken as ours.
            debug!(%from, "a ProbeMatches without RelatesTo, taken as an answer to our probe");
        } else if !ids.iter().any(|id| Some(id.as_str()) == relates) {
            debug!(
                %from,
                relates_to = ?packet.headers.relates_to,
                "skipping ProbeMatches that answer another probe"
            );
            continue;
        }
        for m in matches {
            for note in &m.notes {
                debug!(%from, "the camera's ProbeMatch was off: {note}");
            }
            let d = Device::from_target(m, from, &via);
            let key = d.key();
            let news = match seen.get_mut(&key) {
                Some(known) => known.merge(d).then(|| known.clone()),
                None => {
                    seen.insert(key, d.clone());
                    Some(d)
                }
            };
            if let Some(d) = news
                && out.send(d).await.is_err()
            {
                return;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hello and Bye

/// How to listen for announcements. The default joins 239.255.255.250 on port 3702 on every
/// suitable interface.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The address to bind (default `0.0.0.0:3702`, shared with other listeners). Tests bind
    /// `127.0.0.1:0` and point the announcer at it.
    pub bind: SocketAddr,
    /// The group to join (default 239.255.255.250); `None` joins nothing (unicast only).
    pub group: Option<Ipv4Addr>,
    /// Interfaces to join the group on, as for [`DiscoveryOptions::interfaces`].
    pub interfaces: Vec<String>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            bind: SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), PORT),
            group: Some(MULTICAST_V4),
            interfaces: Vec::new(),
        }
    }
}

/// A camera joining or leaving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Announcement {
    /// A camera joined (with its XAddrs and scopes).
    Hello(Device),
    /// Usually only the endpoint reference is known.
    Bye(Device),
}

impl Announcement {
    /// The device it is about.
    pub fn device(&self) -> &Device {
        match self {
            Announcement::Hello(d) | Announcement::Bye(d) => d,
        }
    }
}

/// A running listener for Hello and Bye; it stops when dropped.
#[derive(Debug)]
pub struct Watcher {
    local_addr: SocketAddr,
    events: mpsc::Receiver<Announcement>,
    task: tokio::task::JoinHandle<()>,
}

impl Watcher {
    /// The address bound (with the port chosen, for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The next announcement (`None` if the listener failed).
    pub async fn recv(&mut self) -> Option<Announcement> {
        self.events.recv().await
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Start listening for Hello and Bye.
pub async fn watch(opts: WatchOptions) -> Result<Watcher, Error> {
    let what = format!("udp://{}", opts.bind);
    let s = Socket::new(
        Domain::for_address(opts.bind),
        Type::DGRAM,
        Some(Protocol::UDP),
    )
    .map_err(|e| net_error(&what, e))?;
    s.set_reuse_address(true).map_err(|e| net_error(&what, e))?;
    s.bind(&SockAddr::from(opts.bind))
        .map_err(|e| net_error(&what, e))?;
    if let Some(group) = opts.group {
        let interfaces = select_interfaces(&opts.interfaces)?;
        let mut joined = 0;
        let mut last = None;
        for i in &interfaces {
            match s.join_multicast_v4(&group, &i.ip) {
                Ok(()) => joined += 1,
                Err(e) => {
                    debug!(interface = %i.name, "cannot join {group}: {e}");
                    last = Some(e);
                }
            }
        }
        if joined == 0 {
            return Err(Error::Network {
                url: format!("udp://{group}"),
                detail: match last {
                    Some(e) => format!("cannot join the group: {e}"),
                    None => "no up, multicast-capable IPv4 interface to listen on".into(),
                },
            });
        }
    }
    s.set_nonblocking(true).map_err(|e| net_error(&what, e))?;
    let socket = UdpSocket::from_std(s.into()).map_err(|e| net_error(&what, e))?;
    let local_addr = socket.local_addr().map_err(|e| net_error(&what, e))?;
    let (tx, rx) = mpsc::channel(64);
    let task = tokio::spawn(run_watch(socket, tx));
    Ok(Watcher {
        local_addr,
        events: rx,
        task,
    })
}

async fn run_watch(socket: UdpSocket, out: mpsc::Sender<Announcement>) {
    let mut buf = vec![0u8; wsd::MAX_DATAGRAM];
    // Announcements are repeated and may arrive on several interfaces: each once.
    let mut recent: VecDeque<String> = VecDeque::new();
    loop {
        let (n, from) = tokio::select! {
            r = socket.recv_from(&mut buf) => match r {
                Ok(x) => x,
                Err(e) => {
                    debug!("receive error: {e}");
                    continue;
                }
            },
            _ = out.closed() => return,
        };
        let packet = match Packet::parse(&buf[..n]) {
            Ok(p) => p,
            Err(e) => {
                debug!(%from, "skipping a malformed announcement: {e}");
                continue;
            }
        };
        if let Some(id) = &packet.headers.message_id {
            if recent.contains(id) {
                continue;
            }
            if recent.len() >= 256 {
                recent.pop_front();
            }
            recent.push_back(id.clone());
        }
        let event = match packet.payload {
            Payload::Hello(t) => Announcement::Hello(Device::from_target(t, from, "")),
            Payload::Bye(t) => Announcement::Bye(Device::from_target(t, from, "")),
            _ => continue,
        };
        if out.send(event).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_host_to_use_is_short_when_it_can_be() {
        let x = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            host_arg(&x(&["http://10.0.0.7/onvif/device_service"]), None).as_deref(),
            Some("10.0.0.7")
        );
        assert_eq!(
            host_arg(&x(&["http://10.0.0.7:8080/onvif/device_service"]), None).as_deref(),
            Some("10.0.0.7:8080")
        );
        assert_eq!(
            host_arg(&x(&["http://[fe80::1]:80/onvif/device_service"]), None).as_deref(),
            Some("[fe80::1]")
        );
        assert_eq!(
            host_arg(
                &x(&["SERVICE_URI", "http://10.0.0.7:2020/onvif/service"]),
                None
            )
            .as_deref(),
            Some("http://10.0.0.7:2020/onvif/service")
        );
        assert_eq!(
            host_arg(
                &x(&["http://0.0.0.0:81/onvif/device_service"]),
                Some("192.0.2.9".parse().unwrap())
            )
            .as_deref(),
            Some("192.0.2.9:81")
        );
        assert_eq!(
            host_arg(&x(&["http://0.0.0.0/onvif/device_service"]), None),
            None
        );
        assert_eq!(host_arg(&x(&["ftp://x/"]), None), None);
    }

    #[test]
    fn targets_take_the_default_port() {
        assert_eq!(
            parse_target("10.0.0.7", 3702).unwrap(),
            "10.0.0.7:3702".parse().unwrap()
        );
        assert_eq!(
            parse_target("10.0.0.7:4000", 3702).unwrap(),
            "10.0.0.7:4000".parse().unwrap()
        );
        assert_eq!(
            parse_target("[::1]", 3702).unwrap(),
            "[::1]:3702".parse().unwrap()
        );
        assert_eq!(
            parse_target("::1", 3702).unwrap(),
            "[::1]:3702".parse().unwrap()
        );
        assert!(parse_target("cam.local", 3702).is_err());
    }

    #[test]
    fn answers_of_one_device_merge() {
        let t = |x: &str| Target {
            address: "urn:uuid:c9790c3a-701b-464d-a189-0060351c8ada".into(),
            xaddrs: vec![x.into()],
            ..Target::default()
        };
        let from: SocketAddr = "192.0.2.1:3702".parse().unwrap();
        let mut a = Device::from_target(t("http://192.0.2.1/onvif/device_service"), from, "eth0");
        let same = Device::from_target(t("http://192.0.2.1/onvif/device_service"), from, "eth1");
        assert!(!a.merge(same));
        assert_eq!(a.via, ["eth0", "eth1"]);
        let more = Device::from_target(t("http://10.1.1.1/onvif/device_service"), from, "eth1");
        assert!(a.merge(more));
        assert_eq!(a.xaddrs.len(), 2);
        assert_eq!(a.host.as_deref(), Some("192.0.2.1"));
        assert_eq!(a.key(), "c9790c3a-701b-464d-a189-0060351c8ada");
    }

    #[test]
    fn unknown_interfaces_are_usage_errors() {
        let e = select_interfaces(&["no-such-if0".into()]).unwrap_err();
        assert!(matches!(e, Error::Usage(_)), "{e}");
    }
}
