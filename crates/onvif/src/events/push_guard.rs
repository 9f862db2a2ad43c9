//! The push listener's connections, guarded: counted, evicted to make room, and held to
//! deadlines and caps, whatever hyper (which parses the requests) does.
//!
//! Every connection has deadlines counted from its accept, not idle timers a trickle
//! restarts: its head must be complete within [`PushLimits::head_timeout`] and its whole
//! request within [`PushLimits::request_timeout`]; a head longer than [`MAX_HEAD`] is
//! answered 431, and a chunked body whose chunk sizes add up past the body cap is refused
//! (413) from the size line, before anything more is read. A new connection is not refused
//! because slow or idle ones hold the places: when its peer (IP address, or IPv6 /64) is at
//! [`PushLimits::max_connections_per_peer`], that peer's oldest connection still sending its
//! request for at least [`GRACE`] is closed to make room; when the listener is at
//! [`PushLimits::max_connections`], the peer holding the most gives up such a connection
//! (else anyone does, else that peer's oldest one still sending). Only when every connection
//! is past its request (delivering its events) is a newcomer turned away.
//!
//! One request per connection: once it is in, nothing more is read from the connection (so
//! neither pipelined bytes nor the peer closing its side can disturb the answer), and after
//! the answer whatever the peer still sends is read and dropped (a bounded amount, for a
//! bounded time): closing with unread data would reset the connection and lose the answer.

use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::sync::{Notify, oneshot};
use tokio::time::{Instant, Sleep};

use onvif_proto::wire::{Caps, Chunks, ConnTable, HeadLines};

use crate::events::config::PushLimits;
use crate::util::lock;

/// How long a connection may still be sending its request before it may be closed to make
/// room: a camera sends a Notify at once, a slow client takes far longer.
pub(crate) const GRACE: Duration = Duration::from_secs(1);
/// The longest request head.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// After an answer: read and drop at most this much of what the peer still sends...
const DRAIN_MAX: usize = 4 * 1024 * 1024;
/// ...for at most this long.
const DRAIN_TIME: Duration = Duration::from_secs(2);
/// A deadline so far ahead it never comes, for limits too large to add to a time.
const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
/// At most this many answered connections are drained at once (in the whole process): a
/// drained connection no longer counts against the connection caps, so without this limit a
/// peer could hold sockets faster than drains end. Past it, a connection is simply closed.
const DRAINS_AT_ONCE: usize = 64;
static DRAINS: AtomicUsize = AtomicUsize::new(0);

/// One drain in progress; ends it when dropped.
struct Draining;

impl Draining {
    fn start() -> Option<Draining> {
        DRAINS
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < DRAINS_AT_ONCE).then_some(n + 1)
            })
            .ok()
            .map(|_| Draining)
    }
}

impl Drop for Draining {
    fn drop(&mut self) {
        DRAINS.fetch_sub(1, Ordering::AcqRel);
    }
}
const HEAD_TOO_LARGE: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: \
    text/plain\r\nContent-Length: 16\r\nConnection: close\r\n\r\nheader too large";

/// One connection as the table sees it.
struct Conn {
    accepted: Instant,
    /// Still sending its request (may be evicted).
    reading: bool,
    evict: Arc<Notify>,
}

/// The connections held.
#[derive(Default)]
pub(crate) struct Conns(ConnTable<Conn>);

impl Conns {
    /// Make room for a connection from `peer` and register it; `None` when every place is
    /// taken by connections past their request. Also says how many were evicted.
    fn admit(
        &mut self,
        peer: IpAddr,
        now: Instant,
        limits: &PushLimits,
    ) -> (Option<(u64, Arc<Notify>)>, usize) {
        let caps = Caps {
            total: limits.max_connections,
            per_peer: limits.max_connections_per_peer,
        };
        let (evicted, room) = self.0.make_room(
            peer,
            caps,
            |c| c.accepted,
            |c| c.reading && now.saturating_duration_since(c.accepted) >= GRACE,
            |c| c.reading.then_some(c.accepted),
        );
        for c in &evicted {
            // A stored permit: the connection closes even if it is not being polled now.
            c.evict.notify_one();
        }
        if !room {
            return (None, evicted.len());
        }
        let evict = Arc::new(Notify::new());
        let id = self.0.insert(
            peer,
            Conn {
                accepted: now,
                reading: true,
                evict: Arc::clone(&evict),
            },
        );
        (Some((id, evict)), evicted.len())
    }

    /// The request is in: the connection may no longer be evicted. False when it already was.
    fn done_reading(&mut self, id: u64) -> bool {
        match self.0.get_mut(id) {
            Some(c) => {
                c.reading = false;
                true
            }
            None => false,
        }
    }

    fn remove(&mut self, id: u64) {
        self.0.remove(id);
    }
}

/// What the guard and the request's handler share about one connection.
pub(crate) struct Slot {
    conns: Arc<Mutex<Conns>>,
    id: u64,
    evict: Arc<Notify>,
    /// When the whole request must be in.
    pub(crate) request_deadline: Instant,
    /// The chunk sizes of the body add up past the cap.
    too_large: AtomicBool,
    too_large_told: Notify,
    /// The request is in (or refused): no more deadlines or eviction.
    answering: AtomicBool,
}

impl Slot {
    /// Register a connection from `peer` accepted `now` in `conns`, making room for it;
    /// `None` (with how many were evicted) when there is none.
    pub(crate) fn admit(
        conns: &Arc<Mutex<Conns>>,
        peer: IpAddr,
        now: Instant,
        limits: &PushLimits,
    ) -> (Option<Arc<Slot>>, usize) {
        let (admitted, evicted) = lock(conns).admit(peer, now, limits);
        let slot = admitted.map(|(id, evict)| {
            Arc::new(Slot {
                conns: Arc::clone(conns),
                id,
                evict,
                request_deadline: now.checked_add(limits.request_timeout).unwrap_or(now + FAR),
                too_large: AtomicBool::new(false),
                too_large_told: Notify::new(),
                answering: AtomicBool::new(false),
            })
        });
        (slot, evicted)
    }

    /// Resolves when the chunked body is found too large.
    pub(crate) async fn too_large(&self) {
        if !self.is_too_large() {
            self.too_large_told.notified().await;
        }
    }

    pub(crate) fn is_too_large(&self) -> bool {
        self.too_large.load(Ordering::Relaxed)
    }

    /// The handler has the request (or refuses it): deadlines and eviction end. False when
    /// the connection was evicted first.
    pub(crate) fn request_in(&self) -> bool {
        self.answering.store(true, Ordering::Relaxed);
        lock(&self.conns).done_reading(self.id)
    }

    fn answering(&self) -> bool {
        self.answering.load(Ordering::Relaxed)
    }
}

/// Where a connection's request is, as far as its bytes tell.
enum Scan {
    Head(HeadScan),
    Body {
        left: u64,
    },
    Chunked {
        chunks: Chunks,
        total: u64,
    },
    /// The whole request is in: nothing more is read.
    Done,
}

/// A request head read as it passes: its length, its end, and what it says of its body.
#[derive(Default)]
struct HeadScan {
    len: usize,
    /// How much of the blank line ending the head was seen.
    matched: u8,
    lines: HeadLines,
}

impl HeadScan {
    /// Where the head ends in `bytes`, if it does.
    fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        for (i, &b) in bytes.iter().enumerate() {
            self.len += 1;
            self.matched = match (self.matched, b) {
                (0 | 2, b'\r') | (1 | 3, b'\n') => self.matched + 1,
                (_, b'\r') => 1,
                _ => 0,
            };
            self.lines.byte(b);
            if self.matched == 4 {
                return Some(i + 1);
            }
        }
        None
    }
}

/// A connection held to its deadlines and caps (see the module's description).
pub(crate) struct Guarded<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> {
    /// `None` once handed to the task that drains it.
    inner: Option<S>,
    slot: Arc<Slot>,
    scan: Scan,
    max_body: u64,
    head_deadline: Instant,
    deadline: Pin<Box<Sleep>>,
    evicted: Pin<Box<dyn Future<Output = ()> + Send>>,
    /// The head was too large: how much of its answer went out (past its length once the
    /// connection is shut down too).
    refusing: Option<usize>,
    /// An answer went out.
    wrote: bool,
    /// Timed out or evicted: closed without an answer.
    failed: bool,
    /// Told when the connection is dropped.
    on_close: Option<oneshot::Sender<()>>,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Guarded<S> {
    /// Guard `inner`, accepted at `accepted` and registered as `slot`.
    pub(crate) fn new(
        inner: S,
        slot: Arc<Slot>,
        accepted: Instant,
        limits: &PushLimits,
        max_body: usize,
    ) -> Self {
        let head_deadline = accepted
            .checked_add(limits.head_timeout.min(limits.request_timeout))
            .unwrap_or(accepted + FAR);
        let evict = Arc::clone(&slot.evict);
        Guarded {
            inner: Some(inner),
            slot,
            scan: Scan::Head(HeadScan::default()),
            max_body: max_body as u64,
            head_deadline,
            deadline: Box::pin(tokio::time::sleep_until(head_deadline)),
            evicted: Box::pin(async move { evict.notified().await }),
            refusing: None,
            wrote: false,
            failed: false,
            on_close: None,
        }
    }

    /// Tell `tx` when the connection is dropped.
    pub(crate) fn on_close(mut self, tx: oneshot::Sender<()>) -> Self {
        self.on_close = Some(tx);
        self
    }

    pub(crate) fn slot(&self) -> &Arc<Slot> {
        &self.slot
    }

    /// Whether the deadlines and eviction still apply: the handler does not have the request
    /// yet (its bytes may all be in while hyper still waits for more: a request it reads
    /// differently must not escape the deadline).
    fn guarded(&self) -> bool {
        !self.slot.answering()
    }

    /// Closed for good: evicted, or past its deadline.
    fn stopped(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        if self.failed {
            return Some(io::Error::new(io::ErrorKind::ConnectionAborted, "closed"));
        }
        if !self.guarded() {
            return None;
        }
        if self.evicted.as_mut().poll(cx).is_ready() {
            self.failed = true;
            return Some(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "closed to make room for others",
            ));
        }
        let in_head = matches!(self.scan, Scan::Head(_));
        let at = if in_head {
            self.head_deadline
        } else {
            self.slot.request_deadline
        };
        if self.deadline.deadline() != at {
            self.deadline.as_mut().reset(at);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.failed = true;
            let what = if in_head {
                "request head not complete in time"
            } else {
                "request not complete in time"
            };
            return Some(io::Error::new(io::ErrorKind::TimedOut, what));
        }
        None
    }

    /// Bytes of the request arrived: how many of them go on to hyper (the rest of a request
    /// that is in is dropped), or a refusal of its head.
    fn received(&mut self, bytes: &[u8]) -> usize {
        let mut at = 0;
        while at < bytes.len() {
            let rest = &bytes[at..];
            match &mut self.scan {
                Scan::Done => return at,
                Scan::Head(head) => match head.feed(rest) {
                    _ if head.len > MAX_HEAD => {
                        self.refusing = Some(0);
                        return at;
                    }
                    Some(end) => {
                        at += end;
                        self.scan = match head.lines.body() {
                            None => Scan::Chunked {
                                chunks: Chunks::Size(0),
                                total: 0,
                            },
                            Some(0) => Scan::Done,
                            Some(left) => Scan::Body { left },
                        };
                    }
                    None => return bytes.len(),
                },
                Scan::Body { left } => {
                    let n = (*left).min(rest.len() as u64);
                    at += usize::try_from(n).unwrap_or(rest.len());
                    *left -= n;
                    if *left == 0 {
                        self.scan = Scan::Done;
                    }
                }
                Scan::Chunked { chunks, total } => {
                    let end = chunks.feed(rest, total);
                    if *total > self.max_body && !self.slot.is_too_large() {
                        self.slot.too_large.store(true, Ordering::Relaxed);
                        self.slot.too_large_told.notify_one();
                    }
                    match end {
                        Some(end) => {
                            at += end;
                            self.scan = Scan::Done;
                        }
                        None => return bytes.len(),
                    }
                }
            }
        }
        at
    }

    /// Answer a head too large ourselves (hyper still waits for its end), then end the
    /// connection.
    fn poll_refuse(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let done = HEAD_TOO_LARGE.len() + 1;
        while let Some(sent) = self.refusing
            && sent < HEAD_TOO_LARGE.len()
        {
            let n = ready!(Pin::new(&mut *inner).poll_write(cx, &HEAD_TOO_LARGE[sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.refusing = Some(sent + n);
            self.wrote = true;
        }
        if self.refusing != Some(done) {
            ready!(Pin::new(inner).poll_shutdown(cx))?;
            self.refusing = Some(done);
        }
        // The end of the stream, for hyper: it closes the connection.
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Drop for Guarded<S> {
    fn drop(&mut self) {
        lock(&self.slot.conns).remove(self.slot.id);
        if let Some(tx) = self.on_close.take() {
            let _ = tx.send(());
        }
        if self.failed || !self.wrote {
            return;
        }
        // Read what the peer still sends, so that closing does not reset the connection
        // before the answer is read.
        if let (Some(mut inner), Ok(rt), Some(draining)) = (
            self.inner.take(),
            tokio::runtime::Handle::try_current(),
            Draining::start(),
        ) {
            rt.spawn(async move {
                let _draining = draining;
                let mut chunk = [0u8; 8192];
                let mut drained = 0;
                let _ = tokio::time::timeout(DRAIN_TIME, async {
                    while drained < DRAIN_MAX {
                        match inner.read(&mut chunk).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => drained += n,
                        }
                    }
                })
                .await;
            });
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> AsyncRead for Guarded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.refusing.is_some() {
            return this.poll_refuse(cx);
        }
        if let Some(e) = this.stopped(cx) {
            return Poll::Ready(Err(e));
        }
        if matches!(this.scan, Scan::Done) {
            // One request per connection: nothing after it is read (its answer is pending;
            // until the handler has the request, the deadline above still applies).
            return Poll::Pending;
        }
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let before = buf.filled().len();
        match Pin::new(inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let got = buf.filled().len() - before;
                if got == 0 || this.slot.answering() {
                    return Poll::Ready(Ok(()));
                }
                let bytes = buf.filled()[before..].to_vec();
                let kept = this.received(&bytes);
                buf.set_filled(before + kept);
                if this.refusing.is_some() {
                    return this.poll_refuse(cx);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match this.stopped(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> AsyncWrite for Guarded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.refusing.is_some() {
            // Our own answer went out: what hyper writes after it is dropped.
            return Poll::Ready(Ok(buf.len()));
        }
        if let Some(e) = this.stopped(cx) {
            return Poll::Ready(Err(e));
        }
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(Ok(buf.len()));
        };
        let r = Pin::new(inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.wrote = true;
        }
        r
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.inner.as_mut() {
            Some(inner) if this.refusing.is_none() => Pin::new(inner).poll_flush(cx),
            _ => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.inner.as_mut() {
            Some(inner) if this.refusing.is_none() => Pin::new(inner).poll_shutdown(cx),
            _ => Poll::Ready(Ok(())),
        }
    }
}
