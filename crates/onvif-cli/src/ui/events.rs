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
use onvif::events::{EventSession, SessionConfig, SessionHandle, SessionItem};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

use super::{S, UiError, lock};

/// The most properties remembered per camera for pages opened later.
const MAX_STATES: usize = 256;
/// How often an idle feed says it is alive (proxies and browsers drop silent streams).
const KEEPALIVE: Duration = Duration::from_secs(15);

/// A camera's event session and the fan-out to its viewers. Dropped with the last viewer:
/// the session then unsubscribes.
pub struct Hub {
    /// What a viewer who joins now must be told first, and the feed after it: sent and
    /// read under one lock, so that a joining viewer misses nothing and sees nothing twice.
    fan: Arc<Mutex<Fan>>,
    task: JoinHandle<()>,
    _session: SessionHandle,
}

/// The feed of a hub and the states so far.
struct Fan {
    tx: broadcast::Sender<Arc<str>>,
    /// The last message of each property (topic and source), so that a page opened later
    /// shows the camera's current states, not only what changes after it.
    states: BTreeMap<String, Arc<str>>,
    /// The last lifecycle signal (subscribed, renewed, lost...).
    lifecycle: Option<Arc<str>>,
}

impl Fan {
    /// Send an item to the viewers, and remember it when it is a state.
    fn publish(&mut self, item: &SessionItem) {
        let m: Arc<str> = Arc::from(message(item));
        match item {
            SessionItem::Event(e) => {
                use onvif::proto::ops::events::PropertyOperation as Op;
                let key = || {
                    let mut k = e.topic.path.clone();
                    for i in &e.source {
                        k.push_str(&format!("|{}={}", i.name, i.value));
                    }
                    k
                };
                match e.property_operation {
                    Some(Op::Initialized | Op::Changed) => {
                        let k = key();
                        // A camera's properties are few; past this many, new ones are only
                        // shown live (a camera cannot grow this without end).
                        if self.states.len() < MAX_STATES || self.states.contains_key(&k) {
                            self.states.insert(k, Arc::clone(&m));
                        }
                    }
                    Some(Op::Deleted) => {
                        self.states.remove(&key());
                    }
                    _ => {}
                }
            }
            SessionItem::Lifecycle(l) => {
                // Lost: what was known may be stale; the new subscription tells it again.
                if matches!(l, onvif::events::Lifecycle::Lost { .. }) {
                    self.states.clear();
                }
                self.lifecycle = Some(Arc::clone(&m));
            }
        }
        // No viewer now is fine: the hub goes when the last one has gone.
        let _ = self.tx.send(m);
    }
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

/// A new viewer of a hub: what it must be told first, and the feed after that.
type Joined = (Arc<Hub>, Vec<Arc<str>>, broadcast::Receiver<Arc<str>>);

fn viewer(hub: Arc<Hub>) -> Joined {
    let fan = lock(&hub.fan);
    let rx = fan.tx.subscribe();
    let first = fan
        .lifecycle
        .iter()
        .chain(fan.states.values())
        .cloned()
        .collect();
    drop(fan);
    (hub, first, rx)
}

/// The camera's hub, started when nobody watches yet; and a new viewer of it. Starting one
/// camera's session (which may wait for an unreachable camera) holds up only that camera.
async fn join(app: &super::App, name: &str) -> Result<Joined, UiError> {
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
