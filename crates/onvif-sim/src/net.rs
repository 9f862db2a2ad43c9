//! Connections that cannot hold the server hostage.
//!
//! Each connection has deadlines, not an idle timer that every byte restarts: its request head
//! must be complete within the head timeout of the request's first byte (of the accept, for
//! the first request), and its body (as long as its `Content-Length` says; a chunked one to
//! its last chunk and trailers) must be in within the request timeout of that first byte; then
//! the request is handled for as long as its handler takes (a long poll waits its own time),
//! and after the answer a connection may wait for the idle timeout. An interim `100 Continue`
//! (asked for by `Expect: 100-continue`, as .NET clients do by default) is no answer: the body
//! that follows it is still this request's. A connection is also closed at once when the
//! server is stopped for good.
//!
//! Connections are never left waiting in the kernel's backlog: a new connection is always
//! accepted. When its peer (IP address, or IPv6 /64) already holds its share, that peer's
//! connection that has been idle or stuck longest is closed to make room: one answered and
//! waiting for its next request, or one whose request began, for at least [`GRACE`], and is
//! not complete yet; a connection whose whole request is in and being handled (a long poll),
//! or whose request began or was answered more recently, is left alone, and the peer may go
//! over its share with those while the total allows. At the total, the peer holding the
//! most gives up such a connection (else anyone does; else, every connection being busy, the
//! peer holding the most gives up one stuck in its request, then one answered just now, and a
//! request being handled last). So a flood of slow or idle connections from one
//! address costs that address its own oldest connections while a newcomer's complete request
//! is answered, and a client on another address is never evicted by them.
//!
//! With TLS, a connection is held (and counted against both caps) from its accept, its
//! handshake included, and the handshake counts in its first request head's time: one that
//! never sends a ClientHello is evicted like one that never sends a request head, and gives
//! its place up at once when its handshake fails.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::time::{Instant, Sleep};

use crate::state::Shared;
use crate::sync::lock;
use crate::tls::Stream;

mod scan;

use onvif_proto::wire::{Caps, Chunks, ConnTable, HeadLines as HeadScan, peer_of};
use scan::Out;

/// A future that resolves when a `watch::Sender<()>` sends or is dropped.
pub(crate) async fn signalled(mut rx: watch::Receiver<()>) {
    let _ = rx.changed().await;
}

/// The deadlines and caps of a listener.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// From a request's first byte (or the accept) to the end of its head.
    pub head: Duration,
    /// From a request's first byte (or the accept) to the end of its body.
    pub request: Duration,
    /// Between an answer and the next request.
    pub idle: Duration,
    /// Connections held at once, in all.
    pub max_total: usize,
    /// Connections held at once from one IP address.
    pub per_peer: usize,
}

/// One connection as the registry sees it.
struct Slot {
    base: Instant,
    /// Which connection to evict first: the lowest [`Slot::key`].
    key: AtomicU64,
    evict: Notify,
}

/// The class of a key, in its top bits: connections waiting after an answer go first, then
/// those still sending a request head (or that sent nothing yet), then those whose head is in,
/// then those whose whole request is in and being handled (never evicted for the per-peer
/// cap). Within a class, the one answered (or whose request began) first goes first.
const WAITING: u64 = 0;
const IN_HEAD: u64 = 1 << 62;
const IN_REQUEST: u64 = 2 << 62;
const HANDLING: u64 = 3 << 62;
const CLASS_BITS: u64 = 3 << 62;
const TIME_BITS: u64 = (1 << 62) - 1;

/// How long a connection is safe from eviction after its request began or it was answered:
/// long enough for a normal client to be served under load, far shorter than a slow one
/// takes.
const GRACE: Duration = Duration::from_secs(1);

impl Slot {
    /// `flags` and the time `at`, as a key.
    fn key(&self, flags: u64, at: Instant) -> u64 {
        let nanos =
            u64::try_from(at.saturating_duration_since(self.base).as_nanos()).unwrap_or(u64::MAX);
        flags | nanos.min(TIME_BITS)
    }
}

/// The connections held, to find which one to evict.
struct Registry {
    base: Instant,
    table: ConnTable<Arc<Slot>>,
}

impl Registry {
    /// Make room for a connection from `peer` accepted at `now`: how many were evicted.
    ///
    /// Only connections idle or stuck for [`GRACE`] are evicted to keep a peer within its cap;
    /// one whose request is being handled, or began (or that was answered) since, is left
    /// alone (see [`ConnTable::make_room`]); when every connection is busy, the peer holding
    /// the most gives up one whatever it is doing: stuck in a request before just answered,
    /// and a request being handled last.
    fn make_room(&mut self, peer: IpAddr, now: Instant, limits: &Limits) -> usize {
        let since = |s: &Slot| s.key(0, now);
        // Idle or stuck for the grace period; a request being handled is neither.
        let stale = |s: &Arc<Slot>| {
            let key = s.key.load(Ordering::Relaxed);
            key & CLASS_BITS != HANDLING
                && since(s).saturating_sub(key & TIME_BITS) >= GRACE.as_nanos() as u64
        };
        let caps = Caps {
            total: limits.max_total,
            per_peer: limits.per_peer,
        };
        // The last resort, every connection being busy: one stuck in its request before one
        // answered within the grace period (whose client may be about to reuse it), and a
        // request being handled (a long poll) last; the oldest first within each.
        let last_resort = |s: &Arc<Slot>| {
            let key = s.key.load(Ordering::Relaxed);
            let (class, at) = (key & CLASS_BITS, key & TIME_BITS);
            let rank = match class {
                WAITING if since(s).saturating_sub(at) < GRACE.as_nanos() as u64 => 3,
                WAITING => 0,
                IN_HEAD => 1,
                IN_REQUEST => 2,
                _ => 4,
            };
            Some((rank, at))
        };
        let (evicted, _) = self.table.make_room(
            peer,
            caps,
            |s| s.key.load(Ordering::Relaxed),
            stale,
            last_resort,
        );
        for slot in &evicted {
            // A stored permit: the connection closes even if it is not being polled now.
            slot.evict.notify_one();
        }
        evicted.len()
    }
}

/// A connection's place in the [`Registry`], given up when dropped (unless it was evicted
/// before).
struct Held {
    id: u64,
    registry: Arc<Mutex<Registry>>,
}

impl Drop for Held {
    fn drop(&mut self) {
        lock(&self.registry).table.remove(self.id);
    }
}

/// An accepted connection, held in the registry since its accept, ready to be guarded.
struct Accepted {
    stream: Stream,
    peer: SocketAddr,
    /// When it was accepted: its first request head is due within the head timeout of this.
    at: Instant,
    slot: Arc<Slot>,
    held: Held,
}

/// A TCP listener whose connections are [`GuardedIo`].
pub(crate) struct GuardedListener {
    inner: TcpListener,
    limits: Limits,
    kill: watch::Receiver<()>,
    registry: Arc<Mutex<Registry>>,
    shared: Arc<Shared>,
    /// With TLS: connections whose handshake is done (each handshake runs in a task of its
    /// own, within the head timeout, so a slow one holds up no other; the connection is held
    /// in the registry meanwhile, so it counts against the caps and may be evicted).
    tls: Option<Handshakes>,
}

struct Handshakes {
    acceptor: tokio_rustls::TlsAcceptor,
    done_tx: tokio::sync::mpsc::Sender<Accepted>,
    done_rx: tokio::sync::mpsc::Receiver<Accepted>,
}

/// What the listener got next: a TCP connection, or one whose TLS handshake is done.
enum Next {
    Tcp(io::Result<(tokio::net::TcpStream, SocketAddr)>),
    Handshaken(Accepted),
}

impl GuardedListener {
    /// `kill`: closes every connection when its sender is dropped; `shared`: where
    /// connections are counted.
    pub(crate) fn new(
        inner: TcpListener,
        limits: Limits,
        kill: watch::Receiver<()>,
        shared: Arc<Shared>,
    ) -> Self {
        let tls = shared.cfg.tls.as_ref().map(|id| {
            let (done_tx, done_rx) = tokio::sync::mpsc::channel(64);
            Handshakes {
                acceptor: tokio_rustls::TlsAcceptor::from(Arc::clone(&id.config)),
                done_tx,
                done_rx,
            }
        });
        GuardedListener {
            tls,
            inner,
            limits,
            kill,
            registry: Arc::new(Mutex::new(Registry {
                base: Instant::now(),
                table: ConnTable::default(),
            })),
            shared,
        }
    }
}

impl GuardedListener {
    /// Hold a connection from `peer` accepted at `now` in the registry (making room for it
    /// first), and count it.
    fn hold(&self, peer: SocketAddr, now: Instant) -> (Held, Arc<Slot>) {
        let (id, slot, evicted) = {
            let mut reg = lock(&self.registry);
            let evicted = reg.make_room(peer_of(peer), now, &self.limits);
            let slot = Arc::new(Slot {
                base: reg.base,
                key: AtomicU64::new(0),
                evict: Notify::new(),
            });
            slot.key.store(slot.key(IN_HEAD, now), Ordering::Relaxed);
            let id = reg.table.insert(peer_of(peer), Arc::clone(&slot));
            (id, slot, evicted)
        };
        if evicted > 0 {
            tracing::debug!(
                "{peer}: closed {evicted} connection(s) that waited longest to make room"
            );
        }
        self.shared.count(|s| {
            s.connections += 1;
            s.connections_evicted += evicted as u64;
        });
        let held = Held {
            id,
            registry: Arc::clone(&self.registry),
        };
        (held, slot)
    }

    /// The guard of an accepted connection: its first request head is due within the head
    /// timeout of its accept.
    fn guard(&self, a: Accepted) -> GuardedIo {
        let kill = signalled(self.kill.clone());
        let evict = Arc::clone(&a.slot);
        GuardedIo {
            inner: a.stream,
            limits: self.limits,
            phase: Phase::Head { matched: 0 },
            scan: HeadScan::default(),
            out: Out::Start(0),
            started: a.at,
            deadline: Box::pin(tokio::time::sleep_until(a.at + self.limits.head)),
            armed: true,
            stop: Box::pin(async move {
                tokio::select! {
                    () = kill => Stop::Killed,
                    () = evict.evict.notified() => Stop::Evicted,
                }
            }),
            stopped: None,
            slot: a.slot,
            _held: a.held,
        }
    }
}

impl axum::serve::Listener for GuardedListener {
    type Io = GuardedIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let next = match &mut self.tls {
                None => Next::Tcp(self.inner.accept().await),
                Some(h) => tokio::select! {
                    r = self.inner.accept() => Next::Tcp(r),
                    Some(done) = h.done_rx.recv() => Next::Handshaken(done),
                },
            };
            let (s, peer) = match next {
                Next::Handshaken(done) => {
                    let peer = done.peer;
                    return (self.guard(done), peer);
                }
                Next::Tcp(Ok(accepted)) => accepted,
                Next::Tcp(Err(e)) => {
                    // Out of descriptors and the like: wait a little rather than spin.
                    tracing::debug!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = s.set_nodelay(true);
            let at = Instant::now();
            // Held from the accept, before any handshake: a connection that never sends a
            // ClientHello counts against the caps like one that never sends a request.
            let (held, slot) = self.hold(peer, at);
            let Some(h) = &self.tls else {
                let accepted = Accepted {
                    stream: Stream::Plain(s),
                    peer,
                    at,
                    slot,
                    held,
                };
                return (self.guard(accepted), peer);
            };
            // The handshake is due within the head timeout of the accept; the connection is
            // closed (and its place given up) when it fails, or when the connection is
            // evicted or the server killed meanwhile.
            let acceptor = h.acceptor.clone();
            let done = h.done_tx.clone();
            let due = at + self.limits.head;
            let kill = signalled(self.kill.clone());
            tokio::spawn(async move {
                let evict = Arc::clone(&slot);
                let tls = tokio::select! {
                    r = tokio::time::timeout_at(due, acceptor.accept(s)) => match r {
                        Ok(Ok(tls)) => tls,
                        Ok(Err(e)) => {
                            tracing::debug!("{peer}: TLS handshake failed: {e}");
                            return;
                        }
                        Err(_) => {
                            tracing::debug!("{peer}: TLS handshake not done in time");
                            return;
                        }
                    },
                    () = evict.evict.notified() => {
                        tracing::debug!("{peer}: closed before its TLS handshake, to make room");
                        return;
                    }
                    () = kill => return,
                };
                let accepted = Accepted {
                    stream: Stream::Tls(Box::new(tls)),
                    peer,
                    at,
                    slot,
                    held,
                };
                // Not handed on only when the listener is gone: the connection goes with it.
                let _ = done.send(accepted).await;
            });
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// Where a connection is in its exchange, as far as its bytes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Reading a request head; `matched`: how much of the blank line ending it was seen.
    Head { matched: u8 },
    /// The head is in and its body is arriving: `left` bytes of it.
    Body { left: u64 },
    /// The head is in and its chunked body is arriving.
    Chunked(Chunks),
    /// The whole request is in and being handled: no deadline but the handler's own.
    Handling,
    /// Answering, or answered and waiting for the next request.
    Answered,
}

#[derive(Debug, Clone, Copy)]
enum Stop {
    Killed,
    Evicted,
}

/// A TCP stream that fails with `TimedOut` once a deadline passes, and with
/// `ConnectionAborted` once the server is killed or the connection evicted.
pub(crate) struct GuardedIo {
    inner: Stream,
    limits: Limits,
    phase: Phase,
    scan: HeadScan,
    /// What is being written, to tell an interim response from an answer.
    out: Out,
    /// When the current request began (its first byte, or the accept).
    started: Instant,
    deadline: Pin<Box<Sleep>>,
    /// Whether `deadline` applies (not while a request is handled).
    armed: bool,
    stop: Pin<Box<dyn Future<Output = Stop> + Send>>,
    stopped: Option<Stop>,
    slot: Arc<Slot>,
    /// Its place in the registry, given up when the connection closes.
    _held: Held,
}

impl GuardedIo {
    fn stopped<T>(&mut self, cx: &mut Context<'_>) -> Option<Poll<io::Result<T>>> {
        if self.stopped.is_none()
            && let Poll::Ready(why) = self.stop.as_mut().poll(cx)
        {
            self.stopped = Some(why);
        }
        let msg = match self.stopped? {
            Stop::Killed => "simulated camera stopped",
            Stop::Evicted => "connection closed to make room for others",
        };
        Some(Poll::Ready(Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            msg,
        ))))
    }

    fn set_deadline(&mut self, at: Option<Instant>) {
        self.armed = at.is_some();
        if let Some(at) = at {
            self.deadline.as_mut().reset(at);
        }
    }

    /// Bytes of a request arrived.
    fn received(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            match self.phase {
                Phase::Answered | Phase::Handling => {
                    // The next request begins (pipelined, when still handling one).
                    let now = Instant::now();
                    self.phase = Phase::Head { matched: 0 };
                    self.started = now;
                    self.slot
                        .key
                        .store(self.slot.key(IN_HEAD, now), Ordering::Relaxed);
                    self.set_deadline(Some(now + self.limits.head));
                }
                Phase::Head { mut matched } => {
                    let mut ended = None;
                    for (i, &b) in bytes.iter().enumerate() {
                        self.scan.byte(b);
                        matched = match (matched, b) {
                            (0 | 2, b'\r') | (1 | 3, b'\n') => matched + 1,
                            (_, b'\r') => 1,
                            _ => 0,
                        };
                        if matched == 4 {
                            ended = Some(i + 1);
                            break;
                        }
                    }
                    let Some(end) = ended else {
                        self.phase = Phase::Head { matched };
                        return;
                    };
                    bytes = &bytes[end..];
                    // The answer to this request is yet to be written.
                    self.out = Out::Start(0);
                    match self.scan.body() {
                        Some(0) => self.handling(),
                        left => {
                            self.slot
                                .key
                                .store(self.slot.key(IN_REQUEST, self.started), Ordering::Relaxed);
                            self.phase = match left {
                                Some(left) => Phase::Body { left },
                                None => Phase::Chunked(Chunks::Size(0)),
                            };
                            self.set_deadline(Some(self.started + self.limits.request));
                        }
                    }
                }
                Phase::Chunked(mut chunks) => match chunks.feed(bytes, &mut 0) {
                    Some(end) => {
                        bytes = &bytes[end..];
                        self.handling();
                    }
                    None => {
                        self.phase = Phase::Chunked(chunks);
                        return;
                    }
                },
                Phase::Body { left } => {
                    let n = left.min(bytes.len() as u64);
                    bytes = &bytes[usize::try_from(n).unwrap_or(bytes.len())..];
                    if n == left {
                        self.handling();
                    } else {
                        self.phase = Phase::Body { left: left - n };
                    }
                }
            }
        }
    }

    /// The whole request is in: it is handled for as long as its handler takes, and its
    /// connection is not evicted for the per-peer cap meanwhile.
    fn handling(&mut self) {
        self.slot
            .key
            .store(self.slot.key(HANDLING, self.started), Ordering::Relaxed);
        self.phase = Phase::Handling;
        self.set_deadline(None);
    }

    /// `bytes` went out: an answer, unless they are an interim (1xx) response such as the
    /// `100 Continue` asked for by `Expect: 100-continue`, which comes before the body.
    fn wrote(&mut self, bytes: &[u8]) {
        if self.out.wrote(bytes) {
            self.answered();
        }
    }

    /// Bytes of an answer went out.
    fn answered(&mut self) {
        let now = Instant::now();
        self.slot
            .key
            .store(self.slot.key(WAITING, now), Ordering::Relaxed);
        self.phase = Phase::Answered;
        self.set_deadline(Some(now + self.limits.idle));
    }

    /// Poll the inner stream with `poll`, unless the connection was stopped (then fail); while
    /// it is pending, the connection's deadline runs.
    fn guarded<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: impl FnOnce(Pin<&mut Stream>, &mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if let Some(stop) = self.stopped(cx) {
            return stop;
        }
        match poll(Pin::new(&mut self.inner), cx) {
            Poll::Pending => self.pending(cx),
            ready => ready,
        }
    }

    /// After the inner stream said Pending: time out when the deadline has passed.
    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if self.armed && self.deadline.as_mut().poll(cx).is_ready() {
            let msg = match self.phase {
                Phase::Head { .. } => "request head not complete in time",
                Phase::Body { .. } | Phase::Chunked(_) | Phase::Handling => {
                    "request not complete in time"
                }
                Phase::Answered => "connection idle for too long",
            };
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, msg)));
        }
        Poll::Pending
    }
}

impl AsyncRead for GuardedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = this.guarded(cx, |io, cx| io.poll_read(cx, buf));
        if let Poll::Ready(Ok(())) = r {
            this.received(&buf.filled()[before..]);
        }
        r
    }
}

impl AsyncWrite for GuardedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = this.guarded(cx, |io, cx| io.poll_write(cx, buf));
        if let Poll::Ready(Ok(n)) = r {
            this.wrote(&buf[..n]);
        }
        r
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = this.guarded(cx, |io, cx| io.poll_write_vectored(cx, bufs));
        if let Poll::Ready(Ok(mut n)) = r {
            for b in bufs {
                let k = n.min(b.len());
                this.wrote(&b[..k]);
                n -= k;
            }
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().guarded(cx, |io, cx| io.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().guarded(cx, |io, cx| io.poll_shutdown(cx))
    }
}

/// The address to show for a bound address: loopback instead of unspecified.
pub(crate) fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
        IpAddr::V6(v6) if v6.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{Chunks, HeadScan, Out, peer_of};

    #[test]
    fn an_ipv6_peer_is_its_64() {
        let a = peer_of("[2001:db8:1:2:aaaa::1]:80".parse().unwrap());
        let b = peer_of("[2001:db8:1:2:bbbb::9]:80".parse().unwrap());
        let c = peer_of("[2001:db8:1:3::1]:80".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            peer_of("[::ffff:192.0.2.7]:80".parse().unwrap()),
            "192.0.2.7".parse::<std::net::IpAddr>().unwrap()
        );
        assert_eq!(
            peer_of("127.0.0.1:80".parse().unwrap()),
            "127.0.0.1".parse::<std::net::IpAddr>().unwrap()
        );
    }

    fn scan(head: &str) -> Option<u64> {
        let mut s = HeadScan::default();
        for b in head.bytes() {
            s.byte(b);
        }
        s.body()
    }

    #[test]
    fn the_head_tells_how_much_body_follows() {
        assert_eq!(
            scan("POST / HTTP/1.1\r\nHost: x\r\nCONTENT-length:  42 \r\n\r\n"),
            Some(42)
        );
        assert_eq!(scan("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), Some(0));
        assert_eq!(
            scan("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            None
        );
        // A value that is not a number counts as no body: hyper refuses the request anyway.
        assert_eq!(
            scan("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            Some(0)
        );
        // A long header line before does not spill into the next.
        let long = format!(
            "POST / HTTP/1.1\r\nX: {}\r\nContent-Length: 7\r\n\r\n",
            "a".repeat(500)
        );
        assert_eq!(scan(&long), Some(7));
    }

    /// Feed `body` to a chunked-body scan in pieces of `step` bytes: where it ended, if it did.
    fn chunked_end(body: &[u8], step: usize) -> Option<usize> {
        let mut c = Chunks::Size(0);
        let mut at = 0;
        for piece in body.chunks(step) {
            if let Some(n) = c.feed(piece, &mut 0) {
                return Some(at + n);
            }
            at += piece.len();
        }
        None
    }

    #[test]
    fn a_chunked_body_ends_at_its_last_chunk_and_trailers() {
        let cases: [&[u8]; 4] = [
            b"0\r\n\r\n",
            b"5\r\nhello\r\n0\r\n\r\n",
            // Data that looks like the end, an extension, upper-case hex, trailers.
            b"A;x=y\r\n0\r\n\r\n0\r\n\r\n\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n",
            b"3\r\nabc\r\n0\r\nX-A: 1\r\n\r\n",
        ];
        for body in cases {
            let mut next = body.to_vec();
            next.extend_from_slice(b"POST / HTTP/1.1\r\n");
            for step in [1, 2, 3, 7, next.len()] {
                assert_eq!(
                    chunked_end(&next, step),
                    Some(body.len()),
                    "{:?} in pieces of {step}",
                    String::from_utf8_lossy(body)
                );
            }
        }
        // Not yet: a chunk still arriving, its size line, or the trailers.
        for body in [
            &b"10\r\n0\r\n\r\n"[..],
            b"5\r\nhel",
            b"5\r\nhello\r\n0",
            b"0\r\nX-A: 1\r\n",
        ] {
            assert_eq!(chunked_end(body, 1), None, "{body:?}");
            assert_eq!(chunked_end(body, body.len()), None, "{body:?}");
        }
    }

    /// Whether any of `writes` made an answer, and after which write.
    fn answered_at(writes: &[&[u8]]) -> Option<usize> {
        let mut out = Out::Start(0);
        writes.iter().position(|w| out.wrote(w))
    }

    #[test]
    fn an_interim_response_is_no_answer() {
        assert_eq!(answered_at(&[b"HTTP/1.1 100 Continue\r\n\r\n"]), None);
        // Split anywhere, then followed by the answer.
        assert_eq!(
            answered_at(&[
                b"HTTP/1.",
                b"1 10",
                b"0 Continue\r",
                b"\n\r\n",
                b"HTTP/1.1 200 OK\r\n"
            ]),
            Some(4)
        );
        assert_eq!(
            answered_at(&[b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"]),
            Some(0)
        );
        assert_eq!(answered_at(&[b"HTTP/1.1 408 Request Timeout\r\n"]), Some(0));
        assert_eq!(answered_at(&[b"HTTP/1.1 200 OK\r\n\r\n", b"body"]), Some(0));
    }
}
