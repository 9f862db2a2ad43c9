//! The push listener: an HTTP/1.1 server (axum on hyper) that takes `POST <current
//! subscription path>` with a Notify, one request per connection, and hands its messages to
//! the session. Its connections are held to deadlines and caps by
//! [`push_guard`](crate::events::push_guard), so it cannot be held hostage: a camera's Notify,
//! sent whole at once, is read and delivered while a slowloris holds connections, even from
//! the camera's own address.
//!
//! Where it listens, and how it follows that address, is
//! [`listening`](crate::events::listening)'s.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use onvif_proto::ops::events::{self, KindTable};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use url::Url;

use crate::events::config::PushLimits;
use crate::events::item::{Event, SessionItem};
use crate::events::push_guard::{Conns, Guarded, Slot};
use crate::util::lock;
use onvif_proto::session::States;
use onvif_proto::wire::peer_of;

/// What the push listener accepts now.
#[derive(Debug, Default)]
pub(crate) struct PushState {
    /// Where the listener is bound now.
    pub(crate) bound: Option<SocketAddr>,
    /// The current subscription's path.
    pub(crate) path: String,
    /// The current subscription's address (a Notify naming another is refused).
    pub(crate) address: Option<String>,
    /// When the last Notify accepted (on the current path) arrived.
    pub(crate) notified: Option<Instant>,
    /// Events dropped since the session last said so: their consumer did not take them in
    /// time (a camera does not send a notification again).
    pub(crate) dropped: u64,
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
    /// The states delivered, so that one sent again is not (`None`: every one is).
    pub states: Option<Arc<Mutex<States>>>,
    /// Set once a Notify with a message is accepted: push works ([`EventSession::auto`] waits for it).
    ///
    /// [`EventSession::auto`]: crate::events::EventSession::auto
    pub first: Arc<watch::Sender<bool>>,
}

/// The push listener: accepts every connection it has room for, guarded.
struct PushListener {
    sock: TcpListener,
    limits: PushLimits,
    max_body: usize,
    conns: Arc<Mutex<Conns>>,
}

impl Listener for PushListener {
    type Io = Guarded<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (conn, peer) = match self.sock.accept().await {
                Ok(c) => c,
                Err(e) => {
                    // Out of descriptors, most likely: do not spin.
                    tracing::debug!(error = %e, "push listener cannot accept");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let now = Instant::now();
            let (slot, evicted) = Slot::admit(&self.conns, peer_of(peer), now, &self.limits);
            if evicted > 0 {
                tracing::debug!(%peer, evicted, "push listener closed stuck connections to make room");
            }
            let Some(slot) = slot else {
                tracing::debug!(%peer, "push listener full of requests being delivered: connection dropped");
                continue;
            };
            return (
                Guarded::new(conn, slot, now, &self.limits, self.max_body),
                peer,
            );
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.sock.local_addr()
    }
}

/// A request's connection, for its handler.
#[derive(Clone)]
struct Conn(Arc<Slot>);

impl Connected<IncomingStream<'_, PushListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, PushListener>) -> Self {
        Conn(Arc::clone(stream.io().slot()))
    }
}

impl Connected<IncomingStream<'_, OneConnection>> for Conn {
    fn connect_info(stream: IncomingStream<'_, OneConnection>) -> Self {
        Conn(Arc::clone(stream.io().slot()))
    }
}

/// Serve `listener` until it ends (`stop`).
async fn serve<L>(listener: L, delivery: Delivery, stop: oneshot::Receiver<()>)
where
    L: Listener<Addr = SocketAddr>,
    Conn: for<'a> Connected<IncomingStream<'a, L>>,
{
    // One handler for every request, without a router: every camera of a bridge in push mode
    // has a listener, and a router's tables cost about 1.6 KiB each.
    let app = notify
        .with_state(Arc::new(delivery))
        .into_make_service_with_connect_info::<Conn>();
    let _ = axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = stop.await;
        })
        .await;
}

/// The push listener's accept loop (runs until aborted).
pub(crate) async fn listen(sock: TcpListener, delivery: Delivery, limits: PushLimits) {
    let listener = PushListener {
        sock,
        limits,
        max_body: delivery.max_body,
        conns: Arc::new(Mutex::new(Conns::default())),
    };
    let (_never, stop) = oneshot::channel();
    serve(listener, delivery, stop).await;
}

/// An answer; the connection closes after it (one request per connection).
fn answer(status: StatusCode, text: impl Into<String>) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/plain"), (CONNECTION, "close")],
        text.into(),
    )
        .into_response()
}

/// Every request: a Notify posted to the current path, or refused.
async fn notify(
    State(delivery): State<Arc<Delivery>>,
    ConnectInfo(Conn(slot)): ConnectInfo<Conn>,
    req: Request,
) -> Response {
    let answer = receive(&delivery, &slot, req).await;
    slot.request_in();
    answer
}

/// Read the request; when it is a Notify posted to the current path, deliver its messages.
async fn receive(delivery: &Delivery, slot: &Slot, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let expected = lock(&delivery.state).path.clone();
    if expected.is_empty() || parts.uri.to_string() != expected {
        return answer(StatusCode::NOT_FOUND, "no such subscription");
    }
    if parts.method != Method::POST {
        return answer(StatusCode::METHOD_NOT_ALLOWED, "POST only");
    }
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let chunked = header(TRANSFER_ENCODING).is_some();
    if !chunked {
        let Some(length) = header(CONTENT_LENGTH).and_then(|v| v.trim().parse::<usize>().ok())
        else {
            return answer(StatusCode::LENGTH_REQUIRED, "Content-Length required");
        };
        if length > delivery.max_body {
            return answer(StatusCode::PAYLOAD_TOO_LARGE, "body too large");
        }
    }
    let too_large = || answer(StatusCode::PAYLOAD_TOO_LARGE, "body too large");
    // The guard holds the connection to its request deadline; this bounds the wait even where
    // it and hyper would disagree on where the request ends.
    let read = tokio::time::timeout_at(
        slot.request_deadline,
        axum::body::to_bytes(body, delivery.max_body),
    );
    let body = tokio::select! {
        r = read => r,
        () = slot.too_large() => return too_large(),
    };
    let body = match body {
        Ok(Ok(b)) => b,
        _ if slot.is_too_large() => return too_large(),
        // The connection failed (it is closed without an answer).
        _ => return answer(StatusCode::BAD_REQUEST, "request not complete"),
    };
    if !slot.request_in() {
        // Evicted just before: closed without an answer.
        return answer(StatusCode::BAD_REQUEST, "closed to make room for others");
    }
    deliver(delivery, &body).await
}

/// Check a posted Notify, hand its messages to the session, and answer.
async fn deliver(delivery: &Delivery, body: &[u8]) -> Response {
    let notify = onvif_proto::soap::Envelope::parse(body)
        .and_then(|env| <events::Notify as onvif_proto::Message>::read(env.payload()?));
    let notify = match notify {
        Ok(n) => n,
        Err(e) => return answer(StatusCode::BAD_REQUEST, format!("not a Notify: {e}")),
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
        return answer(StatusCode::FORBIDDEN, "another subscription's notification");
    }
    // Proof that the subscription works: the session skips its next liveness check.
    lock(&delivery.state).notified = Some(Instant::now());
    if !notify.messages.is_empty() {
        delivery
            .first
            .send_if_modified(|seen| !std::mem::replace(seen, true));
    }
    // Delivered before answering, so notifications posted one after another stay in order.
    let mut ready = delivery.ready.clone();
    let _ = tokio::time::timeout(Duration::from_secs(5), ready.wait_for(|r| *r)).await;
    // A consumer that does not take events holds no connection for long: past the deadline
    // the rest is refused with 503 (the camera may send it again) and the connection freed.
    let total = notify.messages.len();
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let delivered = tokio::time::timeout(DELIVERY_TIME, async {
        for m in notify.messages {
            if delivery
                .states
                .as_ref()
                .is_some_and(|s| lock(s).is_repeat(&m))
            {
                sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
            // Remembered once delivered: a state refused with 503 (the camera may send it
            // again) must not count as one the consumer has.
            let delivered = delivery.states.as_ref().map(|_| m.clone());
            let event = Event::from_message(m, &delivery.kinds);
            let _ = delivery.tx.send(SessionItem::Event(Box::new(event))).await;
            if let (Some(s), Some(m)) = (&delivery.states, delivered) {
                lock(s).delivered(&m);
            }
            sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    })
    .await;
    if delivered.is_err() {
        let dropped = total.saturating_sub(sent.load(std::sync::atomic::Ordering::Relaxed));
        let mut st = lock(&delivery.state);
        st.dropped = st
            .dropped
            .saturating_add(u64::try_from(dropped).unwrap_or(u64::MAX));
        drop(st);
        return answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "the consumer of this session is not taking events",
        );
    }
    answer(StatusCode::ACCEPTED, "")
}

/// How long a Notify's events may wait for room in the session's channel.
const DELIVERY_TIME: Duration = Duration::from_secs(10);

/// The path of a subscription address (the whole string when it is not a URL).
fn address_path(a: &str) -> String {
    match Url::parse(a.trim()) {
        Ok(u) => u.path().trim_end_matches('/').to_owned(),
        Err(_) => a.trim().to_owned(),
    }
}

/// A listener of one in-memory connection.
struct OneConnection(Option<Guarded<tokio::io::DuplexStream>>);

impl Listener for OneConnection {
    type Io = Guarded<tokio::io::DuplexStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.0.take() {
            Some(io) => (io, SocketAddr::from(([127, 0, 0, 1], 1))),
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(SocketAddr::from(([127, 0, 0, 1], 0)))
    }
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
    let (tx, mut rx) = mpsc::channel(64);
    let (_ready_tx, ready) = watch::channel(true);
    let delivery = Delivery {
        state: Arc::new(Mutex::new(PushState {
            path: path.to_owned(),
            address: address.map(str::to_owned),
            ..PushState::default()
        })),
        tx,
        kinds: KindTable::default(),
        max_body,
        ready,
        first: Arc::new(watch::channel(false).0),
        states: None,
    };
    let limits = PushLimits::default();
    let conns = Arc::new(Mutex::new(Conns::default()));
    let now = Instant::now();
    let Some(slot) = Slot::admit(&conns, IpAddr::from([127, 0, 0, 1]), now, &limits).0 else {
        return (Vec::new(), Vec::new());
    };
    let (ours, mut theirs) = tokio::io::duplex(64 * 1024);
    let (closed_tx, closed) = oneshot::channel();
    let io = Guarded::new(ours, slot, now, &limits, max_body).on_close(closed_tx);
    let request = request.to_vec();
    let peer = async move {
        let _ = theirs.write_all(&request).await;
        let _ = theirs.shutdown().await;
        let mut answer = Vec::new();
        let _ = theirs.read_to_end(&mut answer).await;
        answer
    };
    let drain = async move {
        let mut items = Vec::new();
        while let Some(i) = rx.recv().await {
            items.push(i);
        }
        items
    };
    let (answer, (), items) = tokio::join!(
        peer,
        serve(OneConnection(Some(io)), delivery, closed),
        drain
    );
    (answer, items)
}

#[cfg(test)]
mod tests {
    //! The listener's answers, one in-memory connection each (no socket).
    #![allow(clippy::unwrap_used)]

    use super::*;

    const PATH: &str = "/push/secret";
    const SUB: &str = "http://127.0.0.1:1/onvif/subscription/1";

    fn notify(sub: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tns1="http://www.onvif.org/ver10/topics"><s:Body><wsnt:Notify><wsnt:NotificationMessage><wsnt:SubscriptionReference><wsa:Address>{sub}</wsa:Address></wsnt:SubscriptionReference><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-01-01T00:00:00Z" PropertyOperation="Changed"><tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></s:Body></s:Envelope>"#
        )
    }

    fn post(path: &str, body: &str) -> Vec<u8> {
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    /// The status of the answer to `request`, and how many events it delivered.
    async fn send(request: &[u8]) -> (u16, usize) {
        let (answer, items) = push_request_in_process(PATH, Some(SUB), request, 64 * 1024).await;
        let text = String::from_utf8_lossy(&answer);
        let status = text
            .strip_prefix("HTTP/1.1 ")
            .and_then(|s| s.get(..3))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, items.len())
    }

    #[tokio::test(start_paused = true)]
    async fn a_notify_on_the_path_is_delivered_and_the_rest_refused() {
        assert_eq!(send(&post(PATH, &notify(SUB))).await, (202, 1));
        // The host may be written differently: only the path counts.
        let other_host = "http://camera.example/onvif/subscription/1";
        assert_eq!(send(&post(PATH, &notify(other_host))).await, (202, 1));
        assert_eq!(send(&post("/push/guess", &notify(SUB))).await, (404, 0));
        assert_eq!(
            send(&post(PATH, &notify("http://127.0.0.1:1/other"))).await,
            (403, 0)
        );
        assert_eq!(send(&post(PATH, "<not-soap/>")).await, (400, 0));
        let get = format!("GET {PATH} HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(send(get.as_bytes()).await, (405, 0));
        let no_length = format!("POST {PATH} HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(send(no_length.as_bytes()).await, (411, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn bodies_past_the_cap_are_refused_before_they_are_read() {
        let announced = format!("POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n");
        assert_eq!(send(announced.as_bytes()).await, (413, 0));
        // A chunk whose size would overflow a sum after one real chunk.
        let overflow = format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nffffffffffffffff\r\n"
        );
        assert_eq!(send(overflow.as_bytes()).await, (413, 0));
        // Chunks adding up past the cap.
        let chunk = "x".repeat(40 * 1024);
        let many = format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
            chunk.len(),
            chunk.len()
        );
        assert_eq!(send(many.as_bytes()).await, (413, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_chunked_notify_is_read_whole() {
        let body = notify(SUB);
        let (a, b) = body.split_at(body.len() / 2);
        let chunked = format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x};ext=1\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\nX-Trailer: 1\r\n\r\n",
            a.len(),
            b.len()
        );
        assert_eq!(send(chunked.as_bytes()).await, (202, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_past_16_kib_is_refused() {
        let head = format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\nContent-Length: 0\r\n\r\n",
            "a".repeat(20 * 1024)
        );
        assert_eq!(send(head.as_bytes()).await, (431, 0));
        // A long head under the cap is fine.
        let body = notify(SUB);
        let head = format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\nContent-Length: {}\r\n\r\n{body}",
            "a".repeat(12 * 1024),
            body.len()
        );
        assert_eq!(send(head.as_bytes()).await, (202, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn one_request_per_connection() {
        // A second request on the same connection is not read, let alone answered.
        let mut two = post(PATH, &notify(SUB));
        two.extend_from_slice(&post(PATH, &notify(SUB)));
        let (answer, items) = push_request_in_process(PATH, Some(SUB), &two, 64 * 1024).await;
        let answer = String::from_utf8_lossy(&answer);
        assert_eq!(answer.matches("HTTP/1.1 ").count(), 1, "{answer}");
        assert!(answer.contains("connection: close"), "{answer}");
        assert_eq!(items.len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_read_differently_still_ends_at_its_deadline() {
        // Found by fuzzing: an HTTP/2 preface cut after its blank line is a whole request to
        // the guard and half a preface to hyper, which waited for the rest forever.
        let started = Instant::now();
        assert_eq!(send(b"PRI * HTTP/2.0\r\n\r\nSM\r\n").await, (0, 0));
        assert!(started.elapsed() <= PushLimits::default().request_timeout);
        assert_eq!(
            send(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x03\x03").await,
            (0, 0)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_cut_short_delivers_nothing() {
        let whole = post(PATH, &notify(SUB));
        // In its head: no answer; in its body: refused.
        assert_eq!(send(&whole[..10]).await, (0, 0));
        for cut in [whole.len() / 2, whole.len() - 1] {
            assert_eq!(send(&whole[..cut]).await, (400, 0), "cut at {cut}");
        }
    }
}
