//! Probe: ask, then collect the answers until the timeout.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use onvif_proto::discovery::{self as wsd, Packet, Payload, Probe};
use onvif_proto::xml::QNameValue;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tracing::debug;

use crate::error::Error;

use super::device::Device;
use super::interfaces::{Sender, multicast_sender, net_error, select_interfaces, unicast_sender};
use onvif_proto::discovery::{MULTICAST_V4, PORT};

/// The most devices one discovery reports.
pub const MAX_DEVICES: usize = 1024;

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
    /// Addresses to probe by unicast (see [`parse_target`](super::parse_target)). When some are
    /// given and no interface is named, no multicast is sent.
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
    let mut full = false;
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
            let at_cap = seen.len() >= MAX_DEVICES;
            let news = match seen.get_mut(&key) {
                Some(known) => known.merge(d).then(|| known.clone()),
                // Anyone on the network can answer a probe, with hundreds of made-up devices
                // a datagram: past this many, the others are left out.
                None if at_cap => {
                    if !full {
                        full = true;
                        tracing::warn!(
                            "more than {MAX_DEVICES} devices answered; the others are left out \
                             (the last came from {from})"
                        );
                    }
                    None
                }
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
