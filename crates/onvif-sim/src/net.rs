//! Connections that cannot hold the server hostage: each one is closed when nothing moves on it
//! for a while (a client stalled in its headers, its body, or between requests) or when the
//! server is stopped for good; and only so many are open at once.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::{Instant, Sleep};

use crate::state::Shared;

/// At most this many connections at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 256;

/// A future that resolves when a `watch::Sender<()>` sends or is dropped.
pub(crate) async fn signalled(mut rx: watch::Receiver<()>) {
    let _ = rx.changed().await;
}

/// A TCP listener whose connections are [`GuardedIo`].
pub(crate) struct GuardedListener {
    inner: TcpListener,
    idle: Duration,
    kill: watch::Receiver<()>,
    slots: Arc<Semaphore>,
    shared: Arc<Shared>,
}

impl GuardedListener {
    /// `idle`: how long a connection may see no progress; `kill`: closes every connection when
    /// its sender is dropped; `shared`: where connections are counted.
    pub(crate) fn new(
        inner: TcpListener,
        idle: Duration,
        kill: watch::Receiver<()>,
        shared: Arc<Shared>,
    ) -> Self {
        GuardedListener {
            inner,
            idle,
            kill,
            slots: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            shared,
        }
    }
}

impl axum::serve::Listener for GuardedListener {
    type Io = GuardedIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let slot = Arc::clone(&self.slots).acquire_owned().await.ok();
            match self.inner.accept().await {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    self.shared.count(|s| s.connections += 1);
                    let io = GuardedIo {
                        inner: stream,
                        idle: self.idle,
                        deadline: Box::pin(tokio::time::sleep(self.idle)),
                        kill: Box::pin(signalled(self.kill.clone())),
                        killed: false,
                        _slot: slot,
                    };
                    return (io, peer);
                }
                Err(e) => {
                    // Out of descriptors and the like: wait a little rather than spin.
                    tracing::debug!("accept failed: {e}");
                    drop(slot);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A TCP stream that fails with `TimedOut` once nothing has moved for `idle`, and with
/// `ConnectionAborted` once the server is killed.
pub(crate) struct GuardedIo {
    inner: TcpStream,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
    kill: Pin<Box<dyn Future<Output = ()> + Send>>,
    killed: bool,
    _slot: Option<OwnedSemaphorePermit>,
}

impl GuardedIo {
    fn killed(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.killed && self.kill.as_mut().poll(cx).is_ready() {
            self.killed = true;
        }
        self.killed
    }

    fn progressed(&mut self) {
        let at = Instant::now() + self.idle;
        self.deadline.as_mut().reset(at);
    }

    /// After the inner stream said Pending: time out when the deadline has passed.
    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "connection idle for too long",
            )));
        }
        Poll::Pending
    }
}

fn aborted<T>() -> Poll<io::Result<T>> {
    Poll::Ready(Err(io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "simulated camera stopped",
    )))
}

impl AsyncRead for GuardedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed(cx) {
            return aborted();
        }
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.progressed();
                Poll::Ready(r)
            }
            Poll::Pending => this.pending(cx),
        }
    }
}

impl AsyncWrite for GuardedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.killed(cx) {
            return aborted();
        }
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(r) => {
                this.progressed();
                Poll::Ready(r)
            }
            Poll::Pending => this.pending(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.killed(cx) {
            return aborted();
        }
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => {
                this.progressed();
                Poll::Ready(r)
            }
            Poll::Pending => this.pending(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed(cx) {
            return aborted();
        }
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(r) => Poll::Ready(r),
            Poll::Pending => this.pending(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed(cx) {
            return aborted();
        }
        match Pin::new(&mut this.inner).poll_shutdown(cx) {
            Poll::Ready(r) => Poll::Ready(r),
            Poll::Pending => this.pending(cx),
        }
    }
}
