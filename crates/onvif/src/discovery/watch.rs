//! Hello and Bye: listen for cameras joining and leaving.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};

use onvif_proto::discovery::{self as wsd, Packet, Payload};
use serde::Serialize;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tracing::debug;

use crate::error::Error;

use super::device::Device;
use super::interfaces::{net_error, select_interfaces};
use onvif_proto::discovery::{MULTICAST_V4, PORT};

/// How to listen for announcements. The default joins 239.255.255.250 on port 3702 on every
/// suitable interface.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The address to bind (default `0.0.0.0:3702`, shared with other listeners). Tests bind
    /// `127.0.0.1:0` and point the announcer at it.
    pub bind: SocketAddr,
    /// The group to join (default 239.255.255.250); `None` joins nothing (unicast only).
    pub group: Option<Ipv4Addr>,
    /// Interfaces to join the group on, as for
    /// [`DiscoveryOptions::interfaces`](super::DiscoveryOptions::interfaces).
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
