//! Serving a UI's router over HTTP/1.1, with the limits `axum::serve` leaves out. A UI bound
//! beyond loopback is open to every host on the network, and without them one host could hold
//! it: a connection that sends its request head a byte at a time (or never), a body that never
//! ends, or simply thousands of idle connections. Here:
//! - a request head must arrive within [`Limits::head`] (which also ends a kept-alive
//!   connection idle that long);
//! - a request body must arrive whole within [`Limits::body`], and is at most
//!   [`Limits::max_body`] bytes;
//! - at most [`Limits::per_peer`] connections from one address (an IPv6 /64 counts as one;
//!   loopback, where a reverse proxy connects from, is not limited by address), and
//!   [`Limits::total`] in all; a connection past either is closed at once.
//!
//! An answer that streams (an event feed) is not limited: it ends when its page goes away, or
//! at shutdown.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_service::Service;

use crate::sync::lock;

/// What one server allows.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a request's head may take to arrive.
    pub head: Duration,
    /// How long a request's body may take to arrive.
    pub body: Duration,
    /// The largest request body read; a larger one is refused (413).
    pub max_body: usize,
    /// Connections open at once from one address (or IPv6 /64).
    pub per_peer: usize,
    /// Connections open at once in all.
    pub total: usize,
}

impl Limits {
    /// The UI's: its forms are small, and a browser opens six connections to a host.
    pub const UI: Limits = Limits {
        head: Duration::from_secs(20),
        body: Duration::from_secs(20),
        // No form of ours comes near it.
        max_body: 16 * 1024,
        per_peer: 32,
        total: 256,
    };
}

/// Whose connections (and failed logins) count together: an IPv4 address, or an IPv6 /64
/// (one host may hold a whole /64 and pick a new address for each connection).
pub fn peer_group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.into(),
            None => Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX)).into(),
        },
        v4 => v4,
    }
}

/// The connections open now, by [`peer_group`].
#[derive(Default)]
struct Open {
    by_peer: HashMap<IpAddr, usize>,
    total: usize,
    /// When a refusal was last logged (at most one a minute: a flood should not flood the
    /// log), and the refusals since.
    warned: Option<std::time::Instant>,
    refused: u64,
}

/// How often refused connections are logged at most.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// One open connection's place in [`Open`], given back when it closes.
struct Place {
    open: Arc<Mutex<Open>>,
    peer: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut open = lock(&self.open);
        open.total -= 1;
        if let Some(n) = open.by_peer.get_mut(&self.peer) {
            *n -= 1;
            if *n == 0 {
                open.by_peer.remove(&self.peer);
            }
        }
    }
}

/// A place for a connection from `peer`, or why there is none (empty when it is not to be
/// logged now).
fn admit(open: &Arc<Mutex<Open>>, peer: IpAddr, limits: &Limits) -> Result<Place, String> {
    let group = peer_group(peer);
    let mut o = lock(open);
    let mine = o.by_peer.get(&group).copied().unwrap_or(0);
    let why = if mine >= limits.per_peer && !group.is_loopback() {
        format!(
            "{} connections from {group} are open already",
            limits.per_peer
        )
    } else if o.total >= limits.total {
        format!("{} connections are open already", limits.total)
    } else {
        o.total += 1;
        *o.by_peer.entry(group).or_default() += 1;
        return Ok(Place {
            open: Arc::clone(open),
            peer: group,
        });
    };
    o.refused += 1;
    let now = std::time::Instant::now();
    if o.warned.is_some_and(|t| now.duration_since(t) < WARN_EVERY) {
        return Err(String::new());
    }
    o.warned = Some(now);
    let n = std::mem::take(&mut o.refused);
    Err(format!("{why} ({n} refused since the last report)"))
}

/// Serve `router` on `listener` until `stop` completes; then answers under way finish (the
/// caller bounds how long it waits for them) and no new connection is taken.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let open = Arc::new(Mutex::new(Open::default()));
    let (stopping, stopped) = watch::channel(false);
    let mut conns = JoinSet::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut stop => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => continue,
            r = listener.accept() => match r {
                Ok(a) => a,
                // One connection that went away before it was taken: nothing to wait for.
                Err(e) if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionRefused
                ) => continue,
                Err(e) => {
                    // Out of file descriptors, mostly: wait for some to close, as axum does.
                    tracing::warn!("UI: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
        };
        let place = match admit(&open, peer.ip(), &limits) {
            Ok(p) => p,
            Err(why) => {
                if !why.is_empty() {
                    tracing::warn!("UI: refusing connections while {why}");
                }
                drop(stream);
                continue;
            }
        };
        conns.spawn(connection(
            stream,
            peer,
            router.clone(),
            limits,
            stopped.clone(),
            place,
        ));
    }
    drop(listener);
    let _ = stopping.send(true);
    while conns.join_next().await.is_some() {}
}

/// Serve one connection until it closes, or until `stopped` turns true and its answer under
/// way is done.
async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
    _place: Place,
) {
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let mut router = router.clone();
        async move {
            let (mut parts, body) = req.into_parts();
            parts.extensions.insert(ConnectInfo(peer));
            let read = axum::body::to_bytes(Body::new(body), limits.max_body);
            let body = match tokio::time::timeout(limits.body, read).await {
                Ok(Ok(bytes)) => Body::from(bytes),
                Ok(Err(_)) => {
                    return Ok::<_, Infallible>(refusal(StatusCode::PAYLOAD_TOO_LARGE, limits));
                }
                Err(_) => return Ok(refusal(StatusCode::REQUEST_TIMEOUT, limits)),
            };
            router.call(Request::from_parts(parts, body)).await
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => return log_end(r),
        _ = stopped.wait_for(|s| *s) => conn.as_mut().graceful_shutdown(),
    }
    log_end(conn.await);
}

fn log_end(r: Result<(), hyper::Error>) {
    if let Err(e) = r {
        tracing::debug!("UI connection: {e}");
    }
}

/// The answer to a body that was too large or too slow.
fn refusal(status: StatusCode, limits: Limits) -> Response {
    let why = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!("the request's body is over {} bytes", limits.max_body)
    } else {
        format!(
            "the request's body did not arrive within {} s",
            limits.body.as_secs()
        )
    };
    let mut r = (status, why).into_response();
    r.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    use axum::body::Bytes;
    use axum::routing::{get, post};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpSocket, TcpStream};
    use tokio::sync::oneshot;
    use tokio::task::JoinHandle;

    /// A server with `limits` on 127.0.0.1: `/` answers the peer's address, `/echo` the
    /// length of the body it was sent.
    async fn start(limits: Limits) -> (SocketAddr, oneshot::Sender<()>, JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new()
            .route(
                "/",
                get(|ConnectInfo(p): ConnectInfo<SocketAddr>| async move { p.ip().to_string() }),
            )
            .route("/echo", post(|b: Bytes| async move { b.len().to_string() }));
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, router, limits, async move {
            let _ = stopped.await;
        }));
        (addr, stop, server)
    }

    const GENEROUS: Limits = Limits {
        head: Duration::from_secs(60),
        body: Duration::from_secs(60),
        max_body: 1024,
        per_peer: 100,
        total: 100,
    };

    /// A connection to `server` from `from` (any address in 127.0.0.0/8).
    async fn connect(server: SocketAddr, from: &str) -> TcpStream {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
        socket.connect(server).await.unwrap()
    }

    /// Everything the server sends until it closes (bounded, so that a server that never
    /// closes fails the test instead of hanging it). A reset is a close too: a connection
    /// still waiting to be accepted when the listener goes is reset.
    async fn until_closed(c: &mut TcpStream) -> String {
        let mut got = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(30), c.read_to_end(&mut got))
            .await
            .expect("the server should close the connection");
        match read {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("reading from the server: {e}"),
        }
        String::from_utf8_lossy(&got).into_owned()
    }

    async fn fetch(c: &mut TcpStream) -> String {
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        until_closed(c).await
    }

    #[tokio::test]
    async fn a_request_head_that_does_not_come_ends_its_connection() {
        let limits = Limits {
            head: Duration::from_millis(200),
            ..GENEROUS
        };
        let (addr, _stop, _server) = start(limits).await;
        let mut c = connect(addr, "127.0.0.1").await;
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        let got = until_closed(&mut c).await;
        assert!(!got.contains("200 OK"), "{got}");
        // A whole request on a new connection is still answered.
        let mut c = connect(addr, "127.0.0.1").await;
        assert!(fetch(&mut c).await.ends_with("127.0.0.1"));
    }

    #[tokio::test]
    async fn a_body_that_does_not_come_or_is_too_large_is_refused() {
        let limits = Limits {
            body: Duration::from_millis(200),
            max_body: 16,
            ..GENEROUS
        };
        let (addr, _stop, _server) = start(limits).await;
        let mut c = connect(addr, "127.0.0.1").await;
        c.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            .await
            .unwrap();
        let got = until_closed(&mut c).await;
        assert!(got.starts_with("HTTP/1.1 408"), "{got}");
        assert!(got.contains("did not arrive within"), "{got}");

        let mut c = connect(addr, "127.0.0.1").await;
        let big = format!(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n{}",
            "x".repeat(17)
        );
        c.write_all(big.as_bytes()).await.unwrap();
        let got = until_closed(&mut c).await;
        assert!(got.starts_with("HTTP/1.1 413"), "{got}");

        let mut c = connect(addr, "127.0.0.1").await;
        c.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\nConnection: close\r\n\r\n0123456789abcdef")
            .await
            .unwrap();
        let got = until_closed(&mut c).await;
        assert!(
            got.starts_with("HTTP/1.1 200") && got.ends_with("16"),
            "{got}"
        );
    }

    #[tokio::test]
    async fn connections_past_the_total_are_closed() {
        let limits = Limits {
            per_peer: 1,
            total: 3,
            ..GENEROUS
        };
        let (addr, _stop, _server) = start(limits).await;
        // Accepted in the order they connect. Loopback (a reverse proxy) has no share of its
        // own: the total alone limits it.
        let mut a = connect(addr, "127.0.0.1").await;
        let _b = connect(addr, "127.0.0.1").await;
        let mut c = connect(addr, "127.0.0.2").await;
        let mut d = connect(addr, "127.0.0.3").await;
        assert_eq!(until_closed(&mut d).await, "");
        // Those let in are served, and their peer is known to the handlers.
        assert!(fetch(&mut c).await.ends_with("127.0.0.2"));
        assert!(fetch(&mut a).await.ends_with("127.0.0.1"));
    }

    #[test]
    fn an_address_beyond_loopback_has_its_share_and_refusals_are_told_now_and_then() {
        let limits = Limits {
            per_peer: 2,
            total: 5,
            ..GENEROUS
        };
        let open = Arc::new(Mutex::new(Open::default()));
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let _a = admit(&open, ip("192.0.2.7"), &limits).unwrap();
        let _b = admit(&open, ip("192.0.2.7"), &limits).unwrap();
        let first = admit(&open, ip("192.0.2.7"), &limits).err().unwrap();
        assert!(first.contains("2 connections from 192.0.2.7"), "{first}");
        assert!(first.contains("1 refused"), "{first}");
        // Within the minute: refused, not told again.
        assert_eq!(admit(&open, ip("192.0.2.7"), &limits).err().unwrap(), "");
        // An IPv6 host's /64 is one address; another address has its own share.
        let _c = admit(&open, ip("2001:db8:1:2::1"), &limits).unwrap();
        let _d = admit(&open, ip("2001:db8:1:2::2"), &limits).unwrap();
        assert!(admit(&open, ip("2001:db8:1:2::3"), &limits).is_err());
        let _e = admit(&open, ip("198.51.100.1"), &limits).unwrap();
        // The total: five.
        assert!(admit(&open, ip("198.51.100.2"), &limits).is_err());
        drop(_a);
        assert!(admit(&open, ip("198.51.100.2"), &limits).is_ok());
    }

    #[tokio::test]
    async fn a_stopped_server_closes_idle_connections_and_takes_no_more() {
        let (addr, stop, server) = start(GENEROUS).await;
        let mut idle = connect(addr, "127.0.0.1").await;
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(30), server)
            .await
            .expect("serve should return once its connections are closed")
            .unwrap();
        assert_eq!(until_closed(&mut idle).await, "");
        assert!(TcpStream::connect(addr).await.is_err());
    }

    #[test]
    fn guesses_count_by_ipv4_address_or_ipv6_64() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        assert_eq!(peer_group(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(peer_group(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(
            peer_group(ip("2001:db8:1:2:bbbb::9")),
            peer_group(ip("2001:db8:1:2::5"))
        );
        assert_ne!(peer_group(ip("2001:db8:1:3::1")), ip("2001:db8:1:2::"));
        assert_eq!(peer_group(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }
}
