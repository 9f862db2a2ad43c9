//! The push listener: a small HTTP/1.1 server, one request per connection, that takes
//! `POST <current subscription path>` with a Notify and hands its messages to the session.
//!
//! It cannot be held hostage. Every connection has deadlines counted from its accept, not idle
//! timers a trickle restarts: its head must be complete within
//! [`PushLimits::head_timeout`] and its whole request within [`PushLimits::request_timeout`].
//! A new connection is not refused because slow or idle ones hold the places: when its peer
//! (IP address, or IPv6 /64) is at [`PushLimits::max_connections_per_peer`], that peer's oldest
//! connection still sending its request for at least a second is closed to make room; when the
//! listener is at [`PushLimits::max_connections`], the peer holding the most gives up such a
//! connection (else anyone does, else that peer's oldest one still sending). Only when every
//! connection is past its request (delivering its events) is a newcomer turned away. So a
//! camera's Notify, sent whole at once, is read and delivered while a slowloris holds
//! connections, even from the camera's own address.
//!
//! By default it binds the local address on the route to the camera, not every interface.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use onvif_proto::ops::events::{self, KindTable};
use reqwest::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::Instant;

use crate::error::Error;
use crate::events::{Event, PushState, SessionItem};

/// The deadlines and caps of the push listener.
#[derive(Debug, Clone, Copy)]
pub struct PushLimits {
    /// From the accept to the end of the request head (default 5 s).
    pub head_timeout: Duration,
    /// From the accept to the end of the request body (default 10 s).
    pub request_timeout: Duration,
    /// Connections held at once (default 64; at least 1).
    pub max_connections: usize,
    /// Connections held at once from one IP address (IPv6: /64) before its stuck ones make room
    /// (default 16; at least 1).
    pub max_connections_per_peer: usize,
}

impl Default for PushLimits {
    fn default() -> Self {
        PushLimits {
            head_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            max_connections: 64,
            max_connections_per_peer: 16,
        }
    }
}

/// How long a connection may still be sending its request before it may be closed to make
/// room: a camera sends a Notify at once, a slow client takes far longer.
const GRACE: Duration = Duration::from_secs(1);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Bind the listener: `listen` as given, except that an unspecified IP (`0.0.0.0`, `::`) means
/// the local address on the route to the camera (with that port) unless `every_interface`.
/// Returns the socket, its address, and the base URL to advertise (`advertise` when given).
pub(crate) async fn bind(
    listen: SocketAddr,
    every_interface: bool,
    advertise: Option<&str>,
    camera: &Url,
) -> Result<(TcpListener, SocketAddr, String), Error> {
    let no_route = || {
        Error::Usage(
            "cannot tell which local address is on the route to the camera; give the address \
             to listen on"
                .into(),
        )
    };
    let mut addr = listen;
    if listen.ip().is_unspecified() && !every_interface {
        addr.set_ip(route_local_ip(camera).await.ok_or_else(no_route)?);
    }
    let sock = TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
    let bound = sock.local_addr().map_err(|e| Error::Usage(e.to_string()))?;
    let base = match advertise {
        Some(a) => a.to_owned(),
        None => {
            let ip = if bound.ip().is_unspecified() {
                route_local_ip(camera).await.ok_or_else(no_route)?
            } else {
                bound.ip()
            };
            format!("http://{}", SocketAddr::new(ip, bound.port()))
        }
    };
    Ok((sock, bound, base))
}

/// The local address on the route to the camera: a UDP socket "connected" to it (which sends
/// nothing) knows which one the system would use.
async fn route_local_ip(camera: &Url) -> Option<IpAddr> {
    let host = camera
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = camera.port_or_known_default().unwrap_or(80);
    let target = tokio::net::lookup_host((host, port)).await.ok()?.next()?;
    let bind: SocketAddr = if target.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let sock = std::net::UdpSocket::bind(bind).ok()?;
    sock.connect(target).ok()?;
    Some(sock.local_addr().ok()?.ip())
}

/// The peer a connection counts against: its IP address, or for IPv6 its /64 network (one
/// host commonly holds a whole /64).
fn peer_of(addr: SocketAddr) -> IpAddr {
    match addr.ip() {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let mut octets = v6.octets();
            octets[8..].fill(0);
            IpAddr::V6(octets.into())
        }
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        ip => ip,
    }
}

/// One connection as the listener's table sees it.
struct Conn {
    peer: IpAddr,
    accepted: Instant,
    /// Still sending its request (may be evicted).
    reading: bool,
    evict: Arc<Notify>,
}

/// The connections held.
#[derive(Default)]
struct Conns {
    next_id: u64,
    map: HashMap<u64, Conn>,
    per_peer: HashMap<IpAddr, usize>,
}

impl Conns {
    fn remove(&mut self, id: u64) -> Option<Conn> {
        let c = self.map.remove(&id)?;
        if let Some(n) = self.per_peer.get_mut(&c.peer) {
            *n -= 1;
            if *n == 0 {
                self.per_peer.remove(&c.peer);
            }
        }
        Some(c)
    }

    fn oldest(&self, pick: impl Fn(&Conn) -> bool) -> Option<u64> {
        self.map
            .iter()
            .filter(|(_, c)| c.reading && pick(c))
            .min_by_key(|(id, c)| (c.accepted, **id))
            .map(|(id, _)| *id)
    }

    fn evict(&mut self, id: u64) {
        if let Some(c) = self.remove(id) {
            // A stored permit: the connection closes even if its task is not waiting now.
            c.evict.notify_one();
        }
    }

    /// Make room for a connection from `peer` and register it; `None` when every place is
    /// taken by connections past their request. Also says how many were evicted.
    fn admit(
        &mut self,
        peer: IpAddr,
        now: Instant,
        limits: &PushLimits,
    ) -> (Option<(u64, Arc<Notify>)>, usize) {
        let stale = |c: &Conn| now.saturating_duration_since(c.accepted) >= GRACE;
        let mut evicted = 0;
        while self.per_peer.get(&peer).copied().unwrap_or(0)
            >= limits.max_connections_per_peer.max(1)
        {
            let Some(id) = self.oldest(|c| c.peer == peer && stale(c)) else {
                break;
            };
            self.evict(id);
            evicted += 1;
        }
        while self.map.len() >= limits.max_connections.max(1) {
            let hog = self
                .per_peer
                .iter()
                .max_by_key(|(ip, n)| (**n, **ip))
                .map(|(ip, _)| *ip);
            let Some(id) = self
                .oldest(|c| Some(c.peer) == hog && stale(c))
                .or_else(|| self.oldest(stale))
                .or_else(|| self.oldest(|c| Some(c.peer) == hog))
            else {
                return (None, evicted);
            };
            self.evict(id);
            evicted += 1;
        }
        let id = self.next_id;
        self.next_id += 1;
        let evict = Arc::new(Notify::new());
        self.map.insert(
            id,
            Conn {
                peer,
                accepted: now,
                reading: true,
                evict: Arc::clone(&evict),
            },
        );
        *self.per_peer.entry(peer).or_default() += 1;
        (Some((id, evict)), evicted)
    }

    /// The request is in: the connection may no longer be evicted. False when it already was.
    fn done_reading(&mut self, id: u64) -> bool {
        match self.map.get_mut(&id) {
            Some(c) => {
                c.reading = false;
                true
            }
            None => false,
        }
    }
}

/// Removes a connection from the table when its task ends.
struct Registered {
    conns: Arc<Mutex<Conns>>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.conns).remove(self.id);
    }
}

/// What a Notify is delivered with.
#[derive(Clone)]
pub(crate) struct Delivery {
    pub state: Arc<Mutex<PushState>>,
    pub tx: mpsc::Sender<SessionItem>,
    pub kinds: KindTable,
    pub max_body: usize,
    /// Notifications that arrive before `Subscribed` is out wait for it.
    pub ready: watch::Receiver<bool>,
}

/// The push listener's accept loop.
pub(crate) async fn listen(sock: TcpListener, delivery: Delivery, limits: PushLimits) {
    let conns = Arc::new(Mutex::new(Conns::default()));
    loop {
        let (conn, peer) = match sock.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of descriptors, most likely: do not spin.
                tracing::debug!(error = %e, "push listener cannot accept");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let now = Instant::now();
        let (admitted, evicted) = lock(&conns).admit(peer_of(peer), now, &limits);
        if evicted > 0 {
            tracing::debug!(%peer, evicted, "push listener closed stuck connections to make room");
        }
        let Some((id, evict)) = admitted else {
            tracing::debug!(%peer, "push listener full of requests being delivered: connection dropped");
            continue;
        };
        let registered = Registered {
            conns: Arc::clone(&conns),
            id,
        };
        let delivery = delivery.clone();
        tokio::spawn(async move {
            if let Err(e) = serve(conn, now, &limits, &delivery, &evict, &registered).await {
                tracing::debug!(%peer, error = %e, "push connection failed");
            }
            drop(registered);
        });
    }
}

/// What reading a request gave.
enum Request {
    /// Answer this and close.
    Refuse(u16, String),
    /// A body posted to the current path.
    Body(Vec<u8>),
}

async fn serve<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    mut conn: S,
    accepted: Instant,
    limits: &PushLimits,
    delivery: &Delivery,
    evict: &Notify,
    registered: &Registered,
) -> std::io::Result<()> {
    let timed_out = |what: &str| std::io::Error::new(std::io::ErrorKind::TimedOut, what.to_owned());
    let read = tokio::select! {
        r = tokio::time::timeout_at(
            accepted + limits.request_timeout,
            read_request(&mut conn, accepted + limits.head_timeout, delivery),
        ) => r.map_err(|_| timed_out("request not complete in time"))??,
        () = evict.notified() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "closed to make room for others",
            ));
        }
    };
    let body = match read {
        Request::Refuse(status, text) => return answer_and_close(&mut conn, status, &text).await,
        Request::Body(b) => b,
    };
    if !lock(&registered.conns).done_reading(registered.id) {
        return Ok(());
    }
    deliver(&mut conn, &body, delivery).await
}

/// Read a request head (by `head_deadline`) and, when it is a POST to the current path, its
/// body.
async fn read_request<S: tokio::io::AsyncRead + Unpin>(
    conn: &mut S,
    head_deadline: Instant,
    delivery: &Delivery,
) -> std::io::Result<Request> {
    const MAX_HEAD: usize = 16 * 1024;
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = tokio::time::timeout_at(head_deadline, async {
        loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                return Ok(Some(i + 4));
            }
            if buf.len() > MAX_HEAD {
                return Ok(None);
            }
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "connection closed in the request head",
                ));
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "request head not complete in time",
        )
    })??;
    let Some(head_end) = head_end else {
        return Ok(Request::Refuse(431, "header too large".into()));
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request = lines.next().unwrap_or_default().split(' ');
    let method = request.next().unwrap_or_default();
    let target = request.next().unwrap_or_default();
    let headers: Vec<(&str, &str)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    };
    let chunked =
        header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length: Option<usize> = header("content-length").and_then(|v| v.parse().ok());
    let expected = lock(&delivery.state).path.clone();
    if expected.is_empty() || target != expected {
        return Ok(Request::Refuse(404, "no such subscription".into()));
    }
    if method != "POST" {
        return Ok(Request::Refuse(405, "POST only".into()));
    }
    let max_body = delivery.max_body;
    let body = if chunked {
        match read_chunked(conn, buf[head_end..].to_vec(), max_body).await? {
            Some(b) => b,
            None => return Ok(Request::Refuse(413, "body too large".into())),
        }
    } else {
        let Some(length) = length else {
            return Ok(Request::Refuse(411, "Content-Length required".into()));
        };
        if length > max_body {
            return Ok(Request::Refuse(413, "body too large".into()));
        }
        let mut body = buf[head_end..].to_vec();
        while body.len() < length {
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body.truncate(length);
        body
    };
    Ok(Request::Body(body))
}

/// Check a posted Notify, hand its messages to the session, and answer.
async fn deliver<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    conn: &mut S,
    body: &[u8],
    delivery: &Delivery,
) -> std::io::Result<()> {
    let notify = onvif_proto::soap::Envelope::parse(body)
        .and_then(|env| <events::Notify as onvif_proto::Message>::read(env.payload()?));
    let notify = match notify {
        Ok(n) => n,
        Err(e) => return answer_and_close(conn, 400, &format!("not a Notify: {e}")).await,
    };
    let ours = lock(&delivery.state).address.clone();
    // Only the path counts (the camera may write its host differently); the secret path we
    // were posted to is what proves the sender.
    let foreign = notify.messages.iter().any(|m| {
        m.subscription_address.as_ref().is_some_and(|a| {
            ours.as_ref()
                .is_some_and(|o| address_path(o) != address_path(a))
        })
    });
    if foreign {
        return answer_and_close(conn, 403, "another subscription's notification").await;
    }
    // Proof that the subscription works: the session skips its next liveness check.
    lock(&delivery.state).notified = Some(Instant::now());
    // Delivered before answering, so notifications posted one after another stay in order.
    let mut ready = delivery.ready.clone();
    let _ = tokio::time::timeout(Duration::from_secs(5), ready.wait_for(|r| *r)).await;
    for m in notify.messages {
        let _ = delivery
            .tx
            .send(SessionItem::Event(Box::new(Event::from_message(
                m,
                &delivery.kinds,
            ))))
            .await;
    }
    answer_and_close(conn, 202, "").await
}
/// A chunked body (`Transfer-Encoding: chunked`), `raw` being what was read after the
/// head; `None` when it grows past `max_body`.
async fn read_chunked<S: tokio::io::AsyncRead + Unpin>(
    conn: &mut S,
    mut raw: Vec<u8>,
    max_body: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    let mut body = Vec::new();
    let mut pos = 0;
    let mut chunk = [0u8; 8192];
    loop {
        // A size line.
        let line_end = loop {
            if let Some(i) = raw[pos..].windows(2).position(|w| w == b"\r\n") {
                break pos + i;
            }
            if raw.len() - pos > 1024 {
                return Err(bad("chunk size line too long"));
            }
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                return Err(bad("chunked body cut short"));
            }
            raw.extend_from_slice(&chunk[..n]);
        };
        let line = String::from_utf8_lossy(&raw[pos..line_end]).into_owned();
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("bad chunk size"))?;
        pos = line_end + 2;
        if size == 0 {
            // Trailers are not read: the answer does not need them.
            return Ok(Some(body));
        }
        // A size past the body cap (however large: no sum may overflow) is refused before
        // anything more is read.
        if size > max_body.saturating_sub(body.len()) {
            return Ok(None);
        }
        while raw.len() < pos + size + 2 {
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                return Err(bad("chunked body cut short"));
            }
            raw.extend_from_slice(&chunk[..n]);
        }
        body.extend_from_slice(&raw[pos..pos + size]);
        pos += size + 2;
        if pos > 64 * 1024 {
            raw.drain(..pos);
            pos = 0;
        }
    }
}

/// Answer, close our side, and read (a bounded amount, for a bounded time) what the client
/// is still sending: closing with unread data would reset the connection and lose the answer.
async fn answer_and_close<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    conn: &mut S,
    status: u16,
    text: &str,
) -> std::io::Result<()> {
    const DRAIN_MAX: usize = 4 * 1024 * 1024;
    respond(conn, status, text).await?;
    conn.shutdown().await.ok();
    let mut chunk = [0u8; 8192];
    let mut drained = 0;
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while drained < DRAIN_MAX {
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    })
    .await;
    Ok(())
}

/// The path of a subscription address (the whole string when it is not a URL).
fn address_path(a: &str) -> String {
    match Url::parse(a.trim()) {
        Ok(u) => u.path().trim_end_matches('/').to_owned(),
        Err(_) => a.trim().to_owned(),
    }
}

async fn respond<S: tokio::io::AsyncWrite + Unpin>(
    conn: &mut S,
    status: u16,
    text: &str,
) -> std::io::Result<()> {
    let reason = match status {
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        _ => "Request Header Fields Too Large",
    };
    let msg = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    conn.write_all(msg.as_bytes()).await
}

/// The push listener's handling of one connection, in process (for the fuzz targets in
/// `fuzz/`): `request` is all the peer sends, the listener expects `path` and the subscription
/// `address`. Returns the answer and the items delivered. Not a stable interface.
#[doc(hidden)]
pub async fn push_request_in_process(
    path: &str,
    address: Option<&str>,
    request: &[u8],
    max_body: usize,
) -> (Vec<u8>, Vec<SessionItem>) {
    use tokio::io::AsyncWriteExt;
    let (tx, mut rx) = mpsc::channel(64);
    let (_ready_tx, ready) = watch::channel(true);
    let delivery = Delivery {
        state: Arc::new(Mutex::new(PushState {
            path: path.to_owned(),
            address: address.map(str::to_owned),
            notified: None,
        })),
        tx,
        kinds: KindTable::default(),
        max_body,
        ready,
    };
    let limits = PushLimits::default();
    let conns = Arc::new(Mutex::new(Conns::default()));
    let now = Instant::now();
    let Some((id, evict)) = lock(&conns)
        .admit(IpAddr::from([127, 0, 0, 1]), now, &limits)
        .0
    else {
        return (Vec::new(), Vec::new());
    };
    let registered = Registered { conns, id };
    let (ours, mut theirs) = tokio::io::duplex(64 * 1024);
    let request = request.to_vec();
    let peer = async move {
        let _ = theirs.write_all(&request).await;
        let _ = theirs.shutdown().await;
        let mut answer = Vec::new();
        let _ = theirs.read_to_end(&mut answer).await;
        answer
    };
    let serve = async move {
        let _ = serve(ours, now, &limits, &delivery, &evict, &registered).await;
    };
    let drain = async move {
        let mut items = Vec::new();
        while let Some(i) = rx.recv().await {
            items.push(i);
        }
        items
    };
    let (answer, (), items) = tokio::join!(peer, serve, drain);
    (answer, items)
}
