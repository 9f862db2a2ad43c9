//! Peers on 127.0.0.1 that are not the simulator: ones that answer with given bytes, say
//! nothing, or are not there at all, for tests of what a client does with a bad camera.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A one-purpose HTTP peer on 127.0.0.1 (port chosen by the system) that hands every
/// connection to `respond`.
pub async fn serve<F, Fut>(respond: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let r = respond.clone();
            tokio::spawn(async move { r(sock).await });
        }
    });
    addr
}

/// Read a request's head and body (by Content-Length), so the client is not cut off early;
/// returns at EOF or on an error too.
pub async fn read_request(sock: &mut TcpStream) {
    read_request_bytes(sock).await;
}

/// [`read_request`], and what was read (empty at EOF before a request).
pub async fn read_request_bytes(sock: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return buf,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return buf;
            }
        }
    }
}

/// A peer that reads each request and answers it with `answer` (a whole HTTP response), then
/// closes the connection.
pub async fn answering(answer: impl Into<Vec<u8>>) -> SocketAddr {
    let answer = Arc::new(answer.into());
    serve(move |mut s| {
        let answer = answer.clone();
        async move {
            read_request(&mut s).await;
            let _ = s.write_all(&answer).await;
            let _ = s.shutdown().await;
        }
    })
    .await
}

/// A peer that accepts connections and never answers (nor closes them).
pub async fn silent() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = l.accept().await {
            held.push(sock);
        }
    });
    addr
}

/// An address on 127.0.0.1 where (almost certainly) nothing listens: bound, then let go.
pub fn closed_port() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}
