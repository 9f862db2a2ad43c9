//! What waits to be published: the last value of every retained topic (sent again whole after
//! each reconnection, so the broker's retained state is right again), the newest unsent
//! message of each topic where only the newest matters (a camera's snapshots: one each,
//! however long the broker stays away), and a bounded queue of the rest (events, errors),
//! whose oldest entries are dropped, and counted, when the broker stays away longer than it
//! holds.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, watch};

use crate::util::lock;

/// A message to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its topic.
    pub topic: String,
    /// Its payload.
    pub payload: Vec<u8>,
    /// Retained at the broker.
    pub retain: bool,
    /// Replaced by a newer message on its topic while it waits ([`Outbox::send_latest`]).
    pub latest: bool,
}

/// Makes a retained value again each time it is sent.
pub type Make = Arc<dyn Fn() -> Vec<u8> + Send + Sync>;

/// A retained topic's value: its bytes, or what makes them. Discovery configs are made: a
/// camera's seven configs repeat its device and availability and come to about 3.3 KB of
/// text, which a thousand cameras would otherwise keep for the bridge's whole life.
#[derive(Clone)]
enum Retained {
    Bytes(Vec<u8>),
    Made(Make),
}

impl Retained {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Retained::Bytes(b) => b.clone(),
            Retained::Made(make) => make(),
        }
    }

    /// An empty value clears the topic at the broker.
    fn clears(&self) -> bool {
        matches!(self, Retained::Bytes(b) if b.is_empty())
    }

    fn same(&self, other: &Retained) -> bool {
        match (self, other) {
            (Retained::Bytes(a), Retained::Bytes(b)) => a == b,
            _ => self.bytes() == other.bytes(),
        }
    }
}

impl std::fmt::Debug for Retained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Retained::Bytes(b) => write!(f, "{} bytes", b.len()),
            Retained::Made(_) => f.write_str("made when sent"),
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    queue: VecDeque<Message>,
    /// The newest unsent message of each topic sent with [`Outbox::send_latest`], in the
    /// order the topics came: one per topic (a camera's snapshots).
    latest: VecDeque<Message>,
    /// The last value of each retained topic; an empty one clears the topic at the broker and
    /// is forgotten once sent.
    retained: BTreeMap<String, Retained>,
    /// Retained topics to send (again).
    dirty: BTreeSet<String>,
    /// Retained topics an earlier run left at the broker, not (yet) set by this one
    /// ([`Outbox::inherit`]).
    inherited: BTreeSet<String>,
    /// The owners (cameras) whose set of topics this run has published
    /// ([`Outbox::publish_set`]).
    owners: BTreeSet<String>,
}

impl Inner {
    /// Unretained messages waiting.
    fn waiting(&self) -> usize {
        self.queue.len() + self.latest.len()
    }

    /// The retained topics under `prefixes` that this run set (and has not cleared) or
    /// inherited.
    fn held_under(&self, prefixes: &[String]) -> Vec<String> {
        let mut held = Vec::new();
        for prefix in prefixes {
            let from = || prefix.clone()..;
            let under = |t: &&String| t.starts_with(prefix.as_str());
            held.extend(
                self.retained
                    .range(from())
                    .take_while(|(t, _)| under(t))
                    .filter(|(_, v)| !v.clears())
                    .map(|(t, _)| t.clone()),
            );
            held.extend(self.inherited.range(from()).take_while(under).cloned());
        }
        held
    }

    /// Set a retained topic's value, to be sent, unless it holds that value already (then
    /// false). This run's now, inherited no more.
    fn put(&mut self, topic: String, value: Retained) -> bool {
        if self.retained.get(&topic).is_some_and(|v| v.same(&value)) {
            return false;
        }
        self.inherited.remove(&topic);
        self.retained.insert(topic.clone(), value);
        self.dirty.insert(topic);
        true
    }

    /// Clear a retained topic at the broker (an empty retained message), inherited or not.
    fn clear_now(&mut self, topic: String) {
        self.inherited.remove(&topic);
        self.retained
            .insert(topic.clone(), Retained::Bytes(Vec::new()));
        self.dirty.insert(topic);
    }
}

/// The outbox shared by the cameras' tasks and the publisher.
#[derive(Debug)]
pub struct Outbox {
    inner: Mutex<Inner>,
    wake: Notify,
    cap: usize,
    dropped: AtomicU64,
    /// Taken by the publisher and not yet handed to the client.
    in_flight: AtomicUsize,
    /// How many unretained messages wait.
    queued: watch::Sender<usize>,
}

impl Outbox {
    /// An outbox that holds at most `cap` unretained messages.
    pub fn new(cap: usize) -> Outbox {
        Outbox {
            inner: Mutex::new(Inner::default()),
            wake: Notify::new(),
            cap: cap.max(1),
            dropped: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            queued: watch::Sender::new(0),
        }
    }

    /// Queue an unretained message; when the queue is full the oldest is dropped (counted).
    pub fn send(&self, topic: String, payload: Vec<u8>) {
        let dropped = {
            let mut inner = lock(&self.inner);
            let dropped = if inner.queue.len() >= self.cap {
                inner.queue.pop_front()
            } else {
                None
            };
            inner.queue.push_back(Message {
                topic,
                payload,
                retain: false,
                latest: false,
            });
            self.queued.send_replace(inner.waiting());
            dropped
        };
        if let Some(m) = dropped {
            let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_power_of_two() {
                tracing::warn!(
                    "the broker is away and the queue is full: dropped the oldest message \
                     ({}; {n} dropped so far)",
                    m.topic
                );
            }
        }
        self.wake.notify_one();
    }

    /// Queue an unretained message that replaces the unsent one of its topic, if one waits:
    /// for what only its newest matters (snapshots, several hundred KB each, would otherwise
    /// fill the memory while the broker is away, and push the events out of the queue). Apart
    /// from the queue and its limit: one per topic.
    pub fn send_latest(&self, topic: String, payload: Vec<u8>) {
        {
            let mut inner = lock(&self.inner);
            match inner.latest.iter().position(|m| m.topic == topic) {
                Some(i) => inner.latest[i].payload = payload,
                None => inner.latest.push_back(Message {
                    topic,
                    payload,
                    retain: false,
                    latest: true,
                }),
            }
            self.queued.send_replace(inner.waiting());
        }
        self.wake.notify_one();
    }

    /// Set a retained topic's value (sent now, and again after every reconnection). The same
    /// value again is not sent again.
    pub fn retain(&self, topic: String, mut payload: Vec<u8>) {
        // Kept until the bridge stops (to send again after a reconnection): without the
        // slack a growing text leaves.
        payload.shrink_to_fit();
        self.set(topic, Retained::Bytes(payload));
    }

    /// [`Outbox::retain`] a value that `make` makes again each time it is sent: for what is
    /// large, rarely sent, and made from what is kept anyway.
    pub fn retain_made(&self, topic: String, make: Make) {
        self.set(topic, Retained::Made(make));
    }

    fn set(&self, topic: String, value: Retained) {
        if lock(&self.inner).put(topic, value) {
            self.wake.notify_one();
        }
    }

    /// Publish `owner`'s whole set of retained topics under the prefixes `under`: `wanted`
    /// set, and every other one under them (set by this run, or left by an earlier one and
    /// [inherited](Outbox::inherit)) cleared. One step, so that an inherited topic noted
    /// meanwhile cannot slip between the two.
    pub fn publish_set(&self, owner: &str, under: &[String], wanted: Vec<(String, Make)>) {
        {
            let mut inner = lock(&self.inner);
            inner.owners.insert(owner.to_owned());
            for t in inner.held_under(under) {
                if !wanted.iter().any(|(w, _)| *w == t) {
                    inner.clear_now(t);
                }
            }
            for (t, make) in wanted {
                inner.put(t, Retained::Made(make));
            }
        }
        self.wake.notify_one();
    }

    /// A retained `topic` of `owner` found at the broker, left by an earlier run, that this
    /// run has not set: when `owner` has published its set ([`Outbox::publish_set`]), the
    /// topic is not among it and is cleared now; else it is noted, for the owner's set to
    /// clear unless it still wants it. Nothing when this run holds the topic already.
    pub fn inherit(&self, owner: &str, topic: String) {
        {
            let mut inner = lock(&self.inner);
            if inner.retained.contains_key(&topic) {
                return;
            }
            if !inner.owners.contains(owner) {
                inner.inherited.insert(topic);
                return;
            }
            inner.clear_now(topic);
        }
        self.wake.notify_one();
    }

    /// Clear every retained topic of `owner` under the prefixes `under` (set by this run or
    /// inherited), and forget that it published: an owner gone for good.
    pub fn clear_owner(&self, owner: &str, under: &[String]) {
        {
            let mut inner = lock(&self.inner);
            inner.owners.remove(owner);
            for t in inner.held_under(under) {
                inner.clear_now(t);
            }
        }
        self.wake.notify_one();
    }

    /// Send a retained topic's value again (someone else set another value at the broker).
    pub fn resend(&self, topic: &str) {
        {
            let mut inner = lock(&self.inner);
            if !inner.retained.contains_key(topic) {
                return;
            }
            inner.dirty.insert(topic.to_owned());
        }
        self.wake.notify_one();
    }

    /// Clear a retained topic at the broker (an empty retained message).
    pub fn clear(&self, topic: String) {
        self.retain(topic, Vec::new());
    }

    /// The retained topics whose names start with `prefix`.
    pub fn retained_under(&self, prefix: &str) -> Vec<String> {
        lock(&self.inner)
            .retained
            .range(prefix.to_owned()..)
            .take_while(|(t, _)| t.starts_with(prefix))
            .filter(|(_, v)| !v.clears())
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// Send every retained value again (after a reconnection).
    pub fn resend_retained(&self) {
        {
            let mut inner = lock(&self.inner);
            let topics: Vec<String> = inner.retained.keys().cloned().collect();
            inner.dirty.extend(topics);
        }
        self.wake.notify_one();
    }

    /// The next message to publish: retained values first.
    pub fn next(&self) -> Option<Message> {
        let mut inner = lock(&self.inner);
        if let Some(topic) = inner.dirty.pop_first() {
            let payload = inner
                .retained
                .get(&topic)
                .map(Retained::bytes)
                .unwrap_or_default();
            if payload.is_empty() {
                inner.retained.remove(&topic);
            }
            return Some(Message {
                topic,
                payload,
                retain: true,
                latest: false,
            });
        }
        let m = inner.latest.pop_front().or_else(|| inner.queue.pop_front());
        self.queued.send_replace(inner.waiting());
        m
    }

    /// [`Outbox::next`] for the publisher, who calls [`Outbox::done`] once it handed it on.
    pub fn take(&self) -> Option<Message> {
        let m = self.next();
        if m.is_some() {
            self.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        m
    }

    /// The message taken last was handed on (or put back).
    pub fn done(&self) {
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
    }

    /// Nothing waits and nothing is being handed on.
    pub fn idle(&self) -> bool {
        let inner = lock(&self.inner);
        inner.queue.is_empty()
            && inner.latest.is_empty()
            && inner.dirty.is_empty()
            && self.in_flight.load(Ordering::Acquire) == 0
    }

    /// Count a message dropped elsewhere (one the broker would not take).
    pub fn count_dropped(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }

    /// Put a message that could not be published back in front.
    pub fn put_back(&self, m: Message) {
        let mut inner = lock(&self.inner);
        if m.retain {
            // Sent again from the retained values (unless a newer one replaced it).
            if !inner.retained.contains_key(&m.topic) && m.payload.is_empty() {
                inner
                    .retained
                    .insert(m.topic.clone(), Retained::Bytes(Vec::new()));
            }
            inner.dirty.insert(m.topic);
        } else if m.latest {
            // Unless a newer one came meanwhile.
            if !inner.latest.iter().any(|l| l.topic == m.topic) {
                inner.latest.push_front(m);
                self.queued.send_replace(inner.waiting());
            }
        } else if inner.queue.len() < self.cap {
            inner.queue.push_front(m);
            self.queued.send_replace(inner.waiting());
        } else {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Resolves when something may be waiting.
    pub async fn wait(&self) {
        self.wake.notified().await;
    }

    /// Wake the publisher (when the connection comes back).
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// Unretained messages dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Unretained messages waiting (the queue's and the newest of each
    /// [`Outbox::send_latest`] topic).
    pub fn queued(&self) -> usize {
        *self.queued.borrow()
    }

    /// Resolves once at least `n` unretained messages wait.
    pub async fn until_queued(&self, n: usize) {
        let _ = self.queued.subscribe().wait_for(|q| *q >= n).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything waiting to be sent, as (topic, payload), in order.
    fn sent(o: &Outbox) -> Vec<(String, Vec<u8>)> {
        std::iter::from_fn(|| o.next())
            .map(|m| (m.topic, m.payload))
            .collect()
    }

    #[test]
    fn an_owner_s_set_clears_what_an_earlier_run_left_whenever_it_is_found() {
        let o = Outbox::new(8);
        let under = vec![
            "ha/button/onvif_a/".to_owned(),
            "ha/switch/onvif_a/".to_owned(),
        ];
        let make = |v: &'static str| -> Make { Arc::new(move || v.as_bytes().to_vec()) };
        // Found before the camera published: noted, and cleared by its set unless wanted.
        o.inherit("a", "ha/button/onvif_a/reboot/config".into());
        o.inherit("a", "ha/switch/onvif_a/relay1/config".into());
        assert!(sent(&o).is_empty(), "noted, not sent");
        o.publish_set(
            "a",
            &under,
            vec![("ha/switch/onvif_a/relay1/config".into(), make("relay"))],
        );
        assert_eq!(
            sent(&o),
            [
                ("ha/button/onvif_a/reboot/config".into(), Vec::new()),
                ("ha/switch/onvif_a/relay1/config".into(), b"relay".to_vec()),
            ]
        );
        // Found after: cleared at once, unless it is one of the set.
        o.inherit("a", "ha/button/onvif_a/home/config".into());
        o.inherit("a", "ha/switch/onvif_a/relay1/config".into());
        assert_eq!(
            sent(&o),
            [("ha/button/onvif_a/home/config".into(), Vec::new())]
        );
        // An owner that wants nothing has published too.
        o.publish_set("b", &["ha/button/onvif_b/".to_owned()], Vec::new());
        o.inherit("b", "ha/button/onvif_b/reboot/config".into());
        assert_eq!(
            sent(&o),
            [("ha/button/onvif_b/reboot/config".into(), Vec::new())]
        );
        // Gone for good: all of it cleared, noted or set.
        o.inherit("c", "ha/button/onvif_c/reboot/config".into());
        o.clear_owner("c", &["ha/button/onvif_c/".to_owned()]);
        o.clear_owner("a", &under);
        assert_eq!(
            sent(&o),
            [
                ("ha/button/onvif_c/reboot/config".into(), Vec::new()),
                ("ha/switch/onvif_a/relay1/config".into(), Vec::new()),
            ]
        );
    }

    #[test]
    fn a_full_queue_drops_its_oldest_and_counts_it() {
        let o = Outbox::new(2);
        for i in 0..3 {
            o.send(format!("t{i}"), vec![]);
        }
        assert_eq!(o.dropped(), 1);
        assert_eq!(o.next().map(|m| m.topic), Some("t1".into()));
        assert_eq!(o.next().map(|m| m.topic), Some("t2".into()));
        assert_eq!(o.next(), None);
    }

    #[test]
    fn retained_values_go_first_once_and_again_after_a_reconnection() {
        let o = Outbox::new(10);
        o.send("event".into(), b"e".to_vec());
        o.retain("state".into(), b"ON".to_vec());
        o.retain("state".into(), b"ON".to_vec());
        let first = o.next().unwrap();
        assert_eq!((first.topic.as_str(), first.retain), ("state", true));
        assert_eq!(o.next().map(|m| m.topic), Some("event".into()));
        assert_eq!(o.next(), None);
        o.resend_retained();
        assert_eq!(o.next().map(|m| m.payload), Some(b"ON".to_vec()));
        // A cleared topic is sent once (empty) and then forgotten.
        o.clear("state".into());
        assert_eq!(o.next().map(|m| m.payload), Some(vec![]));
        o.resend_retained();
        assert_eq!(o.next(), None);
    }

    #[test]
    fn a_newer_snapshot_replaces_the_unsent_one_and_pushes_no_event_out() {
        let o = Outbox::new(3);
        o.send("a/event".into(), b"e".to_vec());
        // The broker is away for a long time: a camera takes a snapshot every interval.
        for i in 0..1000_u32 {
            o.send_latest("a/snapshot".into(), i.to_le_bytes().to_vec());
            o.send_latest("b/snapshot".into(), b"b".to_vec());
        }
        assert_eq!((o.queued(), o.dropped()), (3, 0));
        let first = o.next().unwrap();
        assert_eq!(
            (first.topic.as_str(), first.payload.clone(), first.retain),
            ("a/snapshot", 999_u32.to_le_bytes().to_vec(), false)
        );
        // Put back (the client went away) after a newer one came: the newer one is sent.
        o.send_latest("a/snapshot".into(), b"newer".to_vec());
        o.put_back(first);
        assert_eq!(o.next().map(|m| m.topic), Some("b/snapshot".into()));
        assert_eq!(o.next().map(|m| m.payload), Some(b"newer".to_vec()));
        // Put back with none newer: sent again.
        let again = Message {
            topic: "a/snapshot".into(),
            payload: b"again".to_vec(),
            retain: false,
            latest: true,
        };
        o.put_back(again);
        assert_eq!(o.next().map(|m| m.payload), Some(b"again".to_vec()));
        assert_eq!(o.next().map(|m| m.topic), Some("a/event".into()));
        assert_eq!(o.next(), None);
        assert!(o.idle() && o.queued() == 0);
    }

    #[test]
    fn a_made_value_is_made_each_time_it_is_sent() {
        let o = Outbox::new(10);
        let made = Arc::new(AtomicUsize::new(0));
        let m = Arc::clone(&made);
        let make: Make = Arc::new(move || {
            m.fetch_add(1, Ordering::Relaxed);
            b"config".to_vec()
        });
        o.retain_made("d".into(), Arc::clone(&make));
        assert_eq!(o.next().map(|m| m.payload), Some(b"config".to_vec()));
        // The same again is not sent again (it is made to compare).
        o.retain_made("d".into(), make);
        assert_eq!(o.next(), None);
        assert_eq!(o.retained_under("d"), vec!["d".to_owned()]);
        o.resend_retained();
        assert_eq!(o.next().map(|m| m.payload), Some(b"config".to_vec()));
        assert_eq!(made.load(Ordering::Relaxed), 4);
        // Replaced by bytes, then cleared like any other.
        o.clear("d".into());
        assert_eq!(o.next().map(|m| m.payload), Some(vec![]));
        assert!(o.retained_under("d").is_empty());
    }
}
