//! A crowd of slow, idle or busy connections must not keep a normal client from being answered,
//! neither by the simulated camera nor by our push listener. All over real sockets on
//! loopback. Against the camera, every connection comes from 127.0.0.1: the per-peer cap must
//! evict the crowd's oldest connections, not refuse the newcomer. Against the push listener,
//! the crowd comes from other loopback addresses than the camera, as it would on a network: a
//! camera's Notify is one fresh connection, and when every connection of one address is
//! fresh, the listener's last resort closes that address's oldest one, which on a loaded
//! machine can be the Notify itself (a lost notification: cameras do not resend).
#![allow(clippy::unwrap_used)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use onvif::Config;
use onvif::events::{Event, EventSession, PushConfig, PushLimits, SessionConfig, SessionItem};
use onvif::proto::ops::Operation;
use onvif::proto::ops::device::GetSystemDateAndTime;
use onvif::proto::soap;
use onvif_testkit::{INITIAL_STATES, Sim};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// How long setting up a crowd may take before the test goes on with what connected.
const SETUP: Duration = Duration::from_secs(10);

/// The open-file soft limit of this process (from /proc), if known.
fn fd_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// `wanted` connections, or fewer when this process may not open two descriptors per
/// connection (ours and the simulator's, which run in this process) and some to spare.
fn crowd_size(wanted: usize) -> usize {
    match fd_limit() {
        Some(limit) if limit < 2 * wanted + 256 => {
            let n = limit.saturating_sub(256) / 2;
            eprintln!("open-file limit {limit}: crowd of {n} instead of {wanted}");
            n
        }
        _ => wanted,
    }
}

/// The normal client: `Camera::connect` and GetDeviceInformation, each bounded by a 2 s
/// request timeout and no retry.
async fn normal_client(sim: &Sim) {
    let began = std::time::Instant::now();
    let config = Config {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        retries: 0,
        ..Config::default()
    };
    let cam = sim
        .try_connect(Some(sim.credentials()), config)
        .await
        .expect("the camera answered the clock request");
    let info = cam
        .device_information()
        .await
        .expect("the camera answered GetDeviceInformation");
    assert_eq!(info.model, "onvif-sim");
    // For the record only: speed is not asserted, the request timeout above is the bound.
    eprintln!("normal client answered in {:?}", began.elapsed());
}

/// Wait for `n` crowd members to say they are in place (or for [`SETUP`]): how many did.
async fn in_place(rx: &mut mpsc::UnboundedReceiver<()>, n: usize) -> usize {
    let mut count = 0;
    let _ = tokio::time::timeout(SETUP, async {
        while count < n && rx.recv().await.is_some() {
            count += 1;
        }
    })
    .await;
    count
}

/// A slowloris from `from`: the start of a request head, a byte a second, reconnecting
/// whenever the server closes the connection; says once when its first byte is out.
async fn slow_client(
    addr: SocketAddr,
    from: IpAddr,
    head: Vec<u8>,
    ready: mpsc::UnboundedSender<()>,
) {
    let mut said = false;
    loop {
        let Ok(mut s) = connect_from(from, addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        for b in &head {
            if s.write_all(&[*b]).await.is_err() {
                break;
            }
            if !said {
                said = true;
                let _ = ready.send(());
            }
            // Pacing the load, not waiting for anything.
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// A connection to `addr` from the loopback address `from`.
async fn connect_from(from: IpAddr, addr: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(addr).await
}

/// The loopback address of the `i`th member of a crowd spread over `peers` addresses from
/// 127.0.0.2 on (127.0.0.1 is the camera's and the client's).
fn crowd_address(i: usize, peers: usize) -> IpAddr {
    let n = u8::try_from(2 + i % peers).unwrap_or(2);
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))
}

fn slow_head() -> Vec<u8> {
    b"POST /onvif/device_service HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\n"
        .to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_camera_answers_while_300_slow_connections_are_held() {
    // Caps below the crowd, so that the crowd's oldest connections must make room.
    let cam = Sim::builder()
        .config(|c| c.max_connections(128).max_connections_per_peer(64))
        .start()
        .await;
    let addr = cam.addr();
    let n = crowd_size(300);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut crowd = JoinSet::new();
    for _ in 0..n {
        crowd.spawn(slow_client(
            addr,
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            slow_head(),
            tx.clone(),
        ));
    }
    let placed = in_place(&mut rx, n).await;
    assert_eq!(placed, n, "slow connections in place");
    normal_client(&cam).await;
    assert!(
        cam.stats().connections_evicted > 0,
        "the crowd's oldest connections made room: {:?}",
        cam.stats()
    );
    crowd.abort_all();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_camera_answers_while_2000_idle_connections_are_open() {
    let cam = Sim::start().await;
    let addr = cam.addr();
    let n = crowd_size(2000);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut crowd = JoinSet::new();
    for _ in 0..n {
        let tx = tx.clone();
        crowd.spawn(async move {
            // Connected, then silent for as long as the test runs.
            if let Ok(s) = TcpStream::connect(addr).await {
                let _ = tx.send(());
                std::future::pending::<()>().await;
                drop(s);
            }
        });
    }
    // With the connections stuck in the backlog, not all of them may connect.
    let placed = in_place(&mut rx, n).await;
    eprintln!("{placed} of {n} idle connections open");
    normal_client(&cam).await;
    assert!(
        cam.stats().connections_evicted > 0,
        "the oldest idle connections made room: {:?}",
        cam.stats()
    );
    crowd.abort_all();
}

/// A busy client: complete requests back to back on a kept-alive connection, reconnecting
/// whenever the server closes it; says once when it had its first answer.
async fn busy_client(addr: SocketAddr, ready: mpsc::UnboundedSender<()>, done: Arc<AtomicUsize>) {
    let body = soap::envelope(None, &GetSystemDateAndTime.body());
    let request = format!(
        "POST /onvif/device_service HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/soap+xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut said = false;
    loop {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        while s.write_all(request.as_bytes()).await.is_ok() && read_answer(&mut s).await {
            done.fetch_add(1, Ordering::Relaxed);
            if !said {
                said = true;
                let _ = ready.send(());
            }
        }
    }
}

/// Read one HTTP answer with a Content-Length; false when the connection failed.
async fn read_answer(s: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return true;
            }
        }
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_camera_answers_while_400_busy_clients_hammer_it() {
    let cam = Sim::start().await;
    let addr = cam.addr();
    let n = crowd_size(400);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let done = Arc::new(AtomicUsize::new(0));
    let mut crowd = JoinSet::new();
    for _ in 0..n {
        crowd.spawn(busy_client(addr, tx.clone(), Arc::clone(&done)));
    }
    // Those beyond the cap may not get an answer while the others keep their connections.
    let placed = in_place(&mut rx, n).await;
    eprintln!("{placed} of {n} busy clients answered");
    let before = done.load(Ordering::Relaxed);
    normal_client(&cam).await;
    assert!(
        done.load(Ordering::Relaxed) > before,
        "the busy clients were still being answered"
    );
    crowd.abort_all();
}

// ---------------------------------------------------------------------------------------------
// The push listener

fn fast_session() -> SessionConfig {
    SessionConfig {
        termination: Duration::from_secs(30),
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(200),
        ..SessionConfig::default()
    }
}

fn local_push() -> PushConfig {
    PushConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..PushConfig::default()
    }
}

/// The next event, skipping lifecycle signals, within [`SETUP`].
async fn next_event(rx: &mut mpsc::Receiver<SessionItem>) -> Event {
    tokio::time::timeout(SETUP, async {
        loop {
            match rx.recv().await.expect("the session is running") {
                SessionItem::Event(e) => return *e,
                SessionItem::Lifecycle(_) => {}
            }
        }
    })
    .await
    .expect("an event in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_arrive_while_300_slow_connections_hold_the_push_listener() {
    let h = Sim::start().await;
    let (session, mut rx) = EventSession::push(h.connect().await, fast_session(), local_push())
        .await
        .unwrap();
    for _ in 0..INITIAL_STATES {
        next_event(&mut rx).await; // the initial states
    }
    let (addr, path) = session.push_endpoint().unwrap();
    let head =
        format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml\r\n")
            .into_bytes();
    let n = crowd_size(300);
    let (tx, mut placed_rx) = mpsc::unbounded_channel();
    let mut crowd = JoinSet::new();
    for i in 0..n {
        crowd.spawn(slow_client(
            addr,
            crowd_address(i, 10),
            head.clone(),
            tx.clone(),
        ));
    }
    assert_eq!(
        in_place(&mut placed_rx, n).await,
        n,
        "slow connections in place"
    );
    // Each posted in a Notify of its own, while the crowd holds on.
    const POSTED: usize = 12;
    for i in 0..POSTED {
        h.emit_motion(i % 2 == 0);
    }
    for i in 0..POSTED {
        let e = next_event(&mut rx).await;
        assert_eq!(
            e.kind.as_ref().map(|k| (k.kind.as_str(), k.active)),
            Some(("motion", Some(i % 2 == 0))),
            "notification {i} of {POSTED}"
        );
    }
    crowd.abort_all();
    session.close().await;
}

#[tokio::test]
async fn a_trickled_request_head_is_cut_by_the_push_listener() {
    let h = Sim::start().await;
    let push = PushConfig {
        limits: PushLimits {
            head_timeout: Duration::from_millis(300),
            request_timeout: Duration::from_millis(600),
            ..PushLimits::default()
        },
        ..local_push()
    };
    let (session, _rx) = EventSession::push(h.connect().await, fast_session(), push)
        .await
        .unwrap();
    let (addr, path) = session.push_endpoint().unwrap();
    let head = format!("POST {path} HTTP/1.1\r\nX-Pad: ");
    // Well past the head deadline, well short of the 10 s this listener used to allow.
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        for b in head.bytes().chain(std::iter::repeat(b'a')) {
            if s.write_all(&[b]).await.is_err() {
                return;
            }
            // Pacing the trickle (faster than any idle timer), not waiting for anything.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "a request head trickled a byte at a time kept the push connection past its deadline"
    );
    session.close().await;
}

#[tokio::test]
async fn the_push_listener_binds_the_address_on_the_route_to_the_camera_by_default() {
    let h = Sim::start().await;
    // The default: an unspecified address, which must not be bound as it is.
    let (session, _rx) =
        EventSession::push(h.connect().await, fast_session(), PushConfig::default())
            .await
            .unwrap();
    let (addr, _) = session.push_endpoint().unwrap();
    assert_eq!(
        addr.ip(),
        h.addr().ip(),
        "the listener binds our address on the route to the camera (loopback here), not {addr}"
    );
    session.close().await;
}
