//! The live event feed: one managed event session per camera, shared by every page that
//! watches it (server-sent events), closed when the last of them goes away.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use onvif::events::{EventSession, SessionConfig, SessionHandle, SessionItem};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

use super::{S, UiError};

/// How often an idle feed says it is alive (proxies and browsers drop silent streams).
const KEEPALIVE: Duration = Duration::from_secs(15);

/// A camera's event session and the fan-out to its viewers. Dropped with the last viewer:
/// the session then unsubscribes.
pub struct Hub {
    tx: broadcast::Sender<Arc<str>>,
    task: JoinHandle<()>,
    _session: SessionHandle,
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.task.abort();
        // The session handle's own Drop stops it (and unsubscribes).
    }
}

/// One SSE message (`data:` a JSON line) for a session item.
fn message(item: &SessionItem) -> String {
    match item {
        SessionItem::Event(e) => {
            let items = |v: &[onvif::proto::ops::events::SimpleItem]| {
                v.iter()
                    .map(|i| serde_json::json!({"name": i.name, "value": i.value}))
                    .collect::<Vec<_>>()
            };
            let v = serde_json::json!({
                "time": e.time.map(|t| t.to_string()),
                "kind": e.kind.as_ref().map(|k| k.kind.clone()),
                "active": e.kind.as_ref().and_then(|k| k.active),
                "topic": e.topic.path,
                "operation": e.property_operation.as_ref().map(|o| format!("{o:?}")),
                "source": items(&e.source),
                "data": items(&e.data),
            });
            format!("data: {v}\n\n")
        }
        SessionItem::Lifecycle(l) => {
            // The signal's name only (`Subscribed`, `Renewed`, `Lost`...): its fields hold
            // addresses and error texts that the page does not need.
            let debug = format!("{l:?}");
            let name: String = debug
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            format!("event: lifecycle\ndata: {}\n\n", serde_json::json!(name))
        }
    }
}

/// The camera's hub, started when nobody watches yet; and a receiver of its messages.
async fn join(
    app: &super::App,
    name: &str,
) -> Result<(Arc<Hub>, broadcast::Receiver<Arc<str>>), UiError> {
    let mut hubs = app.hubs.lock().await;
    if let Some(hub) = hubs.get(name).and_then(std::sync::Weak::upgrade) {
        let rx = hub.tx.subscribe();
        return Ok((hub, rx));
    }
    let slot = app.slot(name)?;
    let cam = slot.camera(&app.g).await?;
    let (session, mut items) = EventSession::pull(cam, SessionConfig::default()).await?;
    let (tx, rx) = broadcast::channel(256);
    let feed = tx.clone();
    let task = tokio::spawn(async move {
        while let Some(item) = items.recv().await {
            // No viewer now is fine: the hub goes when the last one has gone.
            let _ = feed.send(Arc::from(message(&item)));
        }
    });
    let hub = Arc::new(Hub {
        tx,
        task,
        _session: session,
    });
    hubs.retain(|_, w| w.strong_count() > 0);
    hubs.insert(name.to_owned(), Arc::downgrade(&hub));
    tracing::debug!(camera = name, "ui: event session started");
    Ok((hub, rx))
}

/// GET /camera/NAME/events: the camera's events as server-sent events.
pub async fn stream(State(app): S, Path(name): Path<String>) -> Result<Response, UiError> {
    let (hub, mut rx) = join(&app, &name).await?;
    let (tx, out) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(KEEPALIVE);
        if tx
            .send(Bytes::from_static(b": connected\n\n"))
            .await
            .is_err()
        {
            return;
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
