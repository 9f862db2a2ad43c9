//! A camera's live event hub: its one event session, fanned out to every page that watches
//! it, with the states so far for pages that join later.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use onvif::events::{SessionHandle, SessionItem};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use crate::sync::lock;

/// The most properties remembered per camera for pages opened later.
const MAX_STATES: usize = 256;

/// A camera's event session and the fan-out to its viewers. Dropped with the last viewer:
/// the session then unsubscribes.
pub struct Hub {
    /// What a viewer who joins now must be told first, and the feed after it: sent and
    /// read under one lock, so that a joining viewer misses nothing and sees nothing twice.
    pub(super) fan: Arc<Mutex<Fan>>,
    pub(super) task: JoinHandle<()>,
    pub(super) _session: SessionHandle,
}

/// The feed of a hub and the states so far.
pub(super) struct Fan {
    pub(super) tx: broadcast::Sender<Arc<str>>,
    /// The last message of each property (topic and source), so that a page opened later
    /// shows the camera's current states, not only what changes after it.
    pub(super) states: BTreeMap<String, Arc<str>>,
    /// The last lifecycle signal (subscribed, renewed, lost...).
    pub(super) lifecycle: Option<Arc<str>>,
}

impl Fan {
    /// Send an item to the viewers, and remember it when it is a state.
    pub(super) fn publish(&mut self, item: &SessionItem) {
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
pub(super) type Joined = (Arc<Hub>, Vec<Arc<str>>, broadcast::Receiver<Arc<str>>);

pub(super) fn viewer(hub: Arc<Hub>) -> Joined {
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
