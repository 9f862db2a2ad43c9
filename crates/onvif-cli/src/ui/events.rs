//! The live event feed: one managed event session per camera, shared by every page that
//! watches it (server-sent events), closed when the last of them goes away.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use onvif::events::{EventSession, SessionConfig};
use tokio::sync::{broadcast, mpsc};

use super::app::{App, S, UiError};
use super::hub::{Fan, Hub, Joined, viewer};
use crate::sync::lock;

/// How often an idle feed says it is alive (proxies and browsers drop silent streams).
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The camera's hub, started when nobody watches yet; and a new viewer of it. Starting one
/// camera's session (which may wait for an unreachable camera) holds up only that camera.
async fn join(app: &App, name: &str) -> Result<Joined, UiError> {
    let slot = app.slot(name)?;
    let cell = Arc::clone(lock(&app.hubs).entry(name.to_owned()).or_default());
    let mut current = cell.lock().await;
    if let Some(hub) = current.upgrade() {
        return Ok(viewer(hub));
    }
    let cam = slot.camera(&app.g).await?;
    let (session, mut items) = EventSession::pull(cam, SessionConfig::default()).await?;
    let (tx, _) = broadcast::channel(256);
    let fan = Arc::new(Mutex::new(Fan {
        tx,
        states: BTreeMap::new(),
        lifecycle: None,
    }));
    let feed = Arc::clone(&fan);
    let task = tokio::spawn(async move {
        while let Some(item) = items.recv().await {
            lock(&feed).publish(&item);
        }
    });
    let hub = Arc::new(Hub {
        fan,
        task,
        _session: session,
    });
    *current = Arc::downgrade(&hub);
    tracing::debug!(camera = name, "ui: event session started");
    Ok(viewer(hub))
}

/// GET /camera/NAME/events: the camera's events as server-sent events.
pub async fn stream(State(app): S, Path(name): Path<String>) -> Result<Response, UiError> {
    let (hub, first, mut rx) = join(&app, &name).await?;
    let (tx, out) = mpsc::channel::<Bytes>(64);
    let mut stopping = app.stopping.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(KEEPALIVE);
        if tx
            .send(Bytes::from_static(b": connected\n\n"))
            .await
            .is_err()
        {
            return;
        }
        for m in first {
            if tx.send(Bytes::from(m.as_bytes().to_vec())).await.is_err() {
                return;
            }
        }
        loop {
            let chunk = tokio::select! {
                m = rx.recv() => match m {
                    Ok(m) => Bytes::from(m.as_bytes().to_vec()),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        Bytes::from(format!("event: lagged\ndata: {n}\n\n"))
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = tick.tick() => Bytes::from_static(b": keepalive\n\n"),
                () = tx.closed() => return,
                // Ctrl-C: the feed ends, so that its connection does not hold the server up.
                Ok(_) = stopping.wait_for(|s| *s) => return,
            };
            if tx.send(chunk).await.is_err() {
                return;
            }
        }
    });
    let body = Body::new(Feed { out, _hub: hub });
    Ok((
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// The response body of one viewer: it holds the hub, so the session lives while it does.
struct Feed {
    out: mpsc::Receiver<Bytes>,
    _hub: Arc<Hub>,
}

impl http_body::Body for Feed {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.out
            .poll_recv(cx)
            .map(|c| c.map(|b| Ok(Frame::data(b))))
    }
}
