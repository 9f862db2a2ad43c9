//! The WS-Discovery responder: off unless [`crate::SimConfig::discovery`] names a UDP address.
//!
//! It answers Probes sent to that address (unicast) and, for an IPv4 address, Probes sent to
//! the multicast group 239.255.255.250 on the same port, which it joins on the interface of its
//! address (on 127.0.0.1 that is `lo`, which carries multicast only where a route sends it
//! there, e.g. in a test's own network namespace after `ip route add 224.0.0.0/4 dev lo`; when
//! joining fails it answers unicast Probes only). A Probe whose Types (and Scopes) match, or
//! are empty, gets a ProbeMatches sent back to where it came from, with `RelatesTo` = its
//! MessageID, the camera's endpoint reference (`urn:uuid:...`, stable for a given serial number
//! and HTTP address), its device service URL as XAddrs and its scopes. A Probe whose MessageID
//! is longer than [`MAX_MESSAGE_ID`] bytes is ignored: the answer would echo it.
//!
//! A Hello is sent when the camera starts and a Bye when it stops, to the multicast group on
//! the discovery port by default (sent out of the interface of the discovery address, with
//! TTL 1), or to [`crate::SimConfig::discovery_announce`]'s target.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use onvif_proto::discovery::{self, AppSequence, Packet, Payload, Target};
use onvif_proto::ops::Service;
use sha2::{Digest, Sha256};
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;
use tracing::debug;

use crate::config::Announce;
use crate::net::reachable;
use crate::services::service_path;
use crate::state::Shared;

/// The longest Probe MessageID answered, in bytes (a `urn:uuid:` one is 45).
pub(crate) const MAX_MESSAGE_ID: usize = 256;

/// Whether a Probe's MessageID may be echoed in an answer's `RelatesTo`.
fn answerable_message_id(id: &str) -> bool {
    id.len() <= MAX_MESSAGE_ID
}

/// A running responder. Dropping it sends the Bye and stops it.
pub(crate) struct Responder {
    addr: SocketAddr,
    endpoint: String,
    task: JoinHandle<()>,
    /// A second handle on the unicast socket, to send the Bye from `Drop` without awaiting.
    bye_socket: Option<std::net::UdpSocket>,
    announce_to: Option<SocketAddr>,
    sequence: Arc<Sequence>,
}

impl Responder {
    /// The UDP address it answers on (its port as bound).
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint reference address the camera announces.
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl std::fmt::Debug for Responder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responder")
            .field("addr", &self.addr)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.task.abort();
        if let (Some(sock), Some(to)) = (self.bye_socket.take(), self.announce_to) {
            let bye = Packet::bye(
                Target {
                    address: self.endpoint.clone(),
                    ..Target::default()
                },
                Some(self.sequence.next()),
            );
            match sock.send_to(bye.to_xml().as_bytes(), to) {
                Ok(_) => debug!(%to, "WS-Discovery Bye sent"),
                Err(e) => debug!(%to, "WS-Discovery Bye not sent: {e}"),
            }
        }
    }
}

/// The AppSequence of this camera instance.
struct Sequence {
    instance: u64,
    number: AtomicU64,
}

impl Sequence {
    fn next(&self) -> AppSequence {
        AppSequence {
            instance_id: self.instance,
            sequence_id: None,
            message_number: self.number.fetch_add(1, Ordering::Relaxed) + 1,
        }
    }
}

/// Start the responder if the config asks for one, and send the Hello.
pub(crate) async fn start(shared: &Arc<Shared>) -> io::Result<Option<Responder>> {
    let cfg = &shared.cfg.discovery;
    let Some(bind) = cfg.bind else {
        return Ok(None);
    };
    let endpoint = cfg
        .endpoint
        .clone()
        .unwrap_or_else(|| derived_endpoint(shared));
    let (unicast, group, multicast_if) = open_sockets(bind)?;
    let addr = unicast.local_addr()?;
    let bye_socket = unicast.try_clone().ok();
    let unicast = Arc::new(UdpSocket::from_std(unicast)?);
    let group = match group.map(UdpSocket::from_std).transpose() {
        Ok(g) => g,
        Err(e) => {
            debug!("WS-Discovery: multicast socket unusable, unicast only: {e}");
            None
        }
    };
    let announce_to = match cfg.announce {
        Announce::Group => Some(SocketAddr::new(discovery::MULTICAST_V4.into(), addr.port())),
        Announce::To(t) => Some(t),
        Announce::Off => None,
    }
    // Multicast from a specific address leaves by that address's interface or not at all.
    .filter(|t| {
        let ok = !t.ip().is_multicast() || multicast_if;
        if !ok {
            debug!("WS-Discovery: no Hello or Bye, the multicast interface could not be set");
        }
        ok
    });
    let sequence = Arc::new(Sequence {
        instance: jiff::Timestamp::now().as_second().unsigned_abs(),
        number: AtomicU64::new(0),
    });
    let responder = Arc::new(Answerer {
        shared: Arc::clone(shared),
        endpoint: endpoint.clone(),
        socket: Arc::clone(&unicast),
        sequence: Arc::clone(&sequence),
    });

    if let Some(to) = announce_to {
        let hello = Packet::hello(responder.target(), Some(sequence.next()));
        match unicast.send_to(hello.to_xml().as_bytes(), to).await {
            Ok(_) => debug!(%to, "WS-Discovery Hello sent"),
            Err(e) => debug!(%to, "WS-Discovery Hello not sent: {e}"),
        }
    }

    let task = tokio::spawn(async move {
        let on_unicast = Arc::clone(&responder).serve(Arc::clone(&unicast));
        match group {
            Some(g) => {
                let b = Arc::clone(&responder);
                tokio::join!(on_unicast, b.serve(Arc::new(g)));
            }
            None => on_unicast.await,
        }
    });
    tracing::info!(
        "WS-Discovery responder on udp://{addr} as {endpoint}{}",
        match announce_to {
            Some(t) => format!(", announcing to {t}"),
            None => String::new(),
        }
    );
    Ok(Some(Responder {
        addr,
        endpoint,
        task,
        bye_socket,
        announce_to,
        sequence,
    }))
}

/// The unicast socket (bound to `bind`) and, for a specific IPv4 address, a socket bound to
/// the multicast group on the same port and joined on that address's interface.
///
/// The flag tells whether multicast sent from the first socket leaves by the right interface
/// (always true for an unspecified address, which leaves it to the routing table).
fn open_sockets(
    bind: SocketAddr,
) -> io::Result<(std::net::UdpSocket, Option<std::net::UdpSocket>, bool)> {
    let sock = Socket::new(Domain::for_address(bind), Type::DGRAM, Some(Protocol::UDP))?;
    if bind.ip().is_unspecified() {
        // Shares the port with other WS-Discovery listeners on this machine.
        sock.set_reuse_address(true)?;
    }
    sock.bind(&SockAddr::from(bind))?;
    sock.set_nonblocking(true)?;
    let port = sock
        .local_addr()?
        .as_socket()
        .map_or(bind.port(), |a| a.port());
    let IpAddr::V4(ip) = bind.ip() else {
        // IPv6: no multicast announcements (the group is IPv4).
        return Ok((sock.into(), None, false));
    };
    // Hello and Bye to the group leave by the interface of our address, and go no further.
    let multicast_if = ip.is_unspecified() || {
        let r = sock.set_multicast_if_v4(&ip);
        let ok = r.is_ok();
        note(r, "IP_MULTICAST_IF");
        ok
    };
    note(sock.set_multicast_ttl_v4(1), "IP_MULTICAST_TTL");
    if ip.is_unspecified() {
        // Bound to every address: this one socket receives the group's datagrams too.
        note(
            sock.join_multicast_v4(&discovery::MULTICAST_V4, &Ipv4Addr::UNSPECIFIED),
            "joining 239.255.255.250",
        );
        return Ok((sock.into(), None, multicast_if));
    }
    let group = match group_socket(ip, port) {
        Ok(g) => Some(g),
        Err(e) => {
            debug!("WS-Discovery: cannot join 239.255.255.250 on {ip}, unicast only: {e}");
            None
        }
    };
    Ok((sock.into(), group, multicast_if))
}

fn group_socket(interface: Ipv4Addr, port: u16) -> io::Result<std::net::UdpSocket> {
    let g = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    g.set_reuse_address(true)?;
    g.bind(&SockAddr::from(SocketAddr::new(
        discovery::MULTICAST_V4.into(),
        port,
    )))?;
    g.join_multicast_v4(&discovery::MULTICAST_V4, &interface)?;
    g.set_nonblocking(true)?;
    Ok(g.into())
}

fn note(r: io::Result<()>, what: &str) {
    if let Err(e) = r {
        debug!("WS-Discovery: {what} failed: {e}");
    }
}

/// `urn:uuid:` + a UUID (version 8, name-based) from the serial number and HTTP address.
fn derived_endpoint(shared: &Shared) -> String {
    let digest = Sha256::digest(format!(
        "onvif-sim|{}|{}",
        shared.cfg.device_info.serial_number, shared.addr
    ));
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    format!("urn:uuid:{}", discovery::format_uuid(&b))
}

/// What answers Probes.
struct Answerer {
    shared: Arc<Shared>,
    endpoint: String,
    /// Answers leave from the unicast socket, whichever socket the Probe came in on.
    socket: Arc<UdpSocket>,
    sequence: Arc<Sequence>,
}

impl Answerer {
    /// The camera as discovery describes it now.
    fn target(&self) -> Target {
        let cfg = &self.shared.cfg;
        let scopes = self
            .shared
            .camera()
            .scopes
            .iter()
            .map(|s| s.item.clone())
            .collect();
        Target {
            address: self.endpoint.clone(),
            types: discovery::onvif_types(),
            scopes,
            xaddrs: vec![format!(
                "{}://{}{}",
                cfg.scheme(),
                reachable(self.shared.addr),
                service_path(cfg, Service::Device)
            )],
            metadata_version: Some(1),
            notes: Vec::new(),
        }
    }

    async fn serve(self: Arc<Self>, on: Arc<UdpSocket>) {
        let mut buf = vec![0u8; discovery::MAX_DATAGRAM];
        loop {
            let (n, from) = match on.recv_from(&mut buf).await {
                Ok(x) => x,
                Err(e) => {
                    // ICMP errors from earlier sends surface here on some systems: go on.
                    debug!("WS-Discovery receive error: {e}");
                    continue;
                }
            };
            let probe = match Packet::parse(&buf[..n]) {
                Ok(Packet {
                    payload: Payload::Probe(p),
                    ..
                }) => p,
                Ok(_) => continue,
                Err(e) => {
                    debug!(%from, "WS-Discovery: ignoring a malformed datagram: {e}");
                    continue;
                }
            };
            if !answerable_message_id(&probe.message_id) {
                debug!(
                    %from,
                    "WS-Discovery: a Probe ignored, its MessageID is {} bytes long",
                    probe.message_id.len()
                );
                continue;
            }
            if self.shared.camera().net.discovery_mode
                == onvif_proto::ops::device::DiscoveryMode::NonDiscoverable
            {
                debug!(%from, "WS-Discovery: a Probe ignored (SetDiscoveryMode NonDiscoverable)");
                continue;
            }
            let target = self.target();
            if !probe.matches(&target) {
                debug!(%from, "WS-Discovery: a Probe for other types or scopes");
                continue;
            }
            let answer =
                Packet::probe_matches(&probe.message_id, vec![target], Some(self.sequence.next()));
            match self.socket.send_to(answer.to_xml().as_bytes(), from).await {
                Ok(_) => debug!(%from, "WS-Discovery: ProbeMatches sent"),
                Err(e) => debug!(%from, "WS-Discovery: ProbeMatches not sent: {e}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_MESSAGE_ID, answerable_message_id};

    #[test]
    fn a_message_id_is_echoed_up_to_its_cap() {
        assert!(answerable_message_id(
            "urn:uuid:2f1c4e9a-0000-4000-8000-000000000001"
        ));
        assert!(answerable_message_id(&"m".repeat(MAX_MESSAGE_ID)));
        assert!(!answerable_message_id(&"m".repeat(MAX_MESSAGE_ID + 1)));
    }
}
