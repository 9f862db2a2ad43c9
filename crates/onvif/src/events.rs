//! Events: the topic tree, and a managed pull-point session that stays alive.
//!
//! [`EventSession::pull`] creates a pull-point subscription and runs it in the background:
//! PullMessages long polls at the subscription's own address (with `wsa:To`, `wsa:Action`, a
//! fresh `wsa:MessageID` and every reference parameter echoed as a header), renewal at about
//! 80 % of the granted time (with jitter, never twice within 0.75 s), and, when the
//! subscription dies (a `ResourceUnknown` fault, a refused connection, a reboot, or two failed
//! pulls in a row: one failed pull is tried again on the same subscription), re-creation with
//! bounded exponential back-off and jitter (and a cap on attempts per window), followed by
//! SetSynchronizationPoint so current states are sent again. A subscription given up while it
//! may still be alive is unsubscribed first (bounded). Refused credentials end the session
//! (`Lost`, then `Closed`) instead of being retried: cameras lock accounts. Events and lifecycle signals come
//! out of one channel; [`SessionHandle::close`] unsubscribes.
//!
//! [`EventSession::push`] subscribes with WS-BaseNotification instead and receives `Notify`
//! on a small HTTP listener (one unguessable path per subscription, bodies capped, others'
//! notifications refused); [`EventSession::auto`] pushes when a notification arrives and pulls
//! otherwise. A camera that grants far less than a relative termination time asked for is
//! switched to absolute times in its own clock.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::ops::Operation;
use onvif_proto::ops::events::{
    self, CreatePullPointSubscription, CreatePullPointSubscriptionResponse, ElementItem,
    EndpointReference, EventKind, KindTable, NotificationMessage, PropertyOperation, PullMessages,
    Renew, SetSynchronizationPoint, SimpleItem, Subscribe, TerminationTime, Topic, TopicFilter,
    Unsubscribe,
};
use reqwest::Url;
use serde::Serialize;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::camera::{CallOptions, Camera};
use crate::error::Error;

impl Camera {
    /// The camera's event properties: its topic tree with each topic's items.
    pub async fn event_properties(&self) -> Result<events::EventProperties, Error> {
        self.call(&events::GetEventProperties).await
    }

    /// The current message on one topic (`tns1:Device/Trigger/DigitalInput`; the `tns1`
    /// prefix is declared), as an [`Event`] classified with the default kind table; `None`
    /// when the camera has none (`NoCurrentMessageOnTopicFault`).
    pub async fn current_message(&self, topic: &str) -> Result<Option<Event>, Error> {
        let filter = TopicFilter {
            dialect: events::dialect::CONCRETE.to_owned(),
            ..TopicFilter::concrete_set(topic)
        };
        match self
            .call(&events::GetCurrentMessage {
                topic: filter.clone(),
            })
            .await
        {
            Ok(r) => Ok(r.message.map(|message| {
                let mut el = onvif_proto::xml::Element::new(None, "Topic");
                el.scope = Arc::new(filter.namespaces.clone());
                let m = NotificationMessage {
                    topic: Topic::resolve(&el, topic),
                    subscription_address: None,
                    producer_address: None,
                    message,
                };
                Event::from_message(m, &KindTable::default())
            })),
            Err(e)
                if e.fault().is_some_and(|f| {
                    f.subcodes
                        .iter()
                        .any(|s| s.name == "NoCurrentMessageOnTopicFault")
                }) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The event service's capabilities.
    pub async fn event_service_capabilities(&self) -> Result<events::ServiceCapabilities, Error> {
        self.call(&events::GetServiceCapabilities).await
    }

    /// Seek a pull point, where the camera offers it (`PersistentNotificationStorage` in
    /// [`Camera::event_service_capabilities`]; others answer `ActionNotSupported`): the next
    /// PullMessages on `subscription` delivers the stored messages from `utc_time` on, or with
    /// `reverse` backwards from it. Sent to the subscription's address with `wsa:To`,
    /// `wsa:Action`, a fresh `wsa:MessageID` and every reference parameter, as PullMessages is.
    pub async fn seek(
        &self,
        subscription: &EndpointReference,
        utc_time: Timestamp,
        reverse: bool,
    ) -> Result<(), Error> {
        let reported = &subscription.address;
        let url = Url::parse(&self.repair_uri(reported)).map_err(|e| Error::Protocol {
            url: reported.clone(),
            source: onvif_proto::Error::invalid(
                "SubscriptionReference/Address",
                reported.as_str(),
                e.to_string(),
            ),
        })?;
        let op = events::Seek {
            utc_time,
            reverse: reverse.then_some(true),
        };
        let headers = subscription.header_xml(events::action::SEEK, &message_id());
        self.call_at_with_headers(&url, &op, &headers).await?;
        Ok(())
    }
}

/// How a session behaves.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Topic filter; `None` for every event.
    pub filter: Option<TopicFilter>,
    /// Termination time asked at creation and at each renewal.
    pub termination: Duration,
    /// PullMessages `Timeout` (the HTTP request may take a few seconds more).
    pub pull_timeout: Duration,
    /// PullMessages `MessageLimit`.
    pub message_limit: u32,
    /// First re-creation delay.
    pub backoff_initial: Duration,
    /// Longest re-creation delay.
    pub backoff_max: Duration,
    /// At most this many CreatePullPointSubscription attempts per [`SessionConfig::attempt_window`].
    pub max_attempts_per_window: usize,
    /// The window of the attempt cap.
    pub attempt_window: Duration,
    /// Unsubscribe when the session is closed (some cameras cancel every subscription on one
    /// Unsubscribe; then turn this off and let it expire).
    pub unsubscribe_on_close: bool,
    /// The table that gives events their kind.
    pub kinds: KindTable,
    /// Capacity of the channel of items.
    pub channel_capacity: usize,
    /// Testing only: do not echo reference parameters (the camera must refuse the requests).
    #[doc(hidden)]
    pub drop_reference_parameters: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            filter: None,
            termination: Duration::from_secs(60),
            pull_timeout: Duration::from_secs(10),
            message_limit: 100,
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            max_attempts_per_window: 10,
            attempt_window: Duration::from_secs(600),
            unsubscribe_on_close: true,
            kinds: KindTable::default(),
            channel_capacity: 1024,
            drop_reference_parameters: false,
        }
    }
}

/// One event, as the session delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// `UtcTime` of the message (none when the camera sent none or `0000-00-00...`).
    #[serde(serialize_with = "ser_ts")]
    pub time: Option<Timestamp>,
    /// Topic: prefix-free path and namespace.
    pub topic: Topic,
    /// Property operation (Initialized/Changed/Deleted), when given.
    pub property_operation: Option<PropertyOperation>,
    /// Source items.
    pub source: Vec<SimpleItem>,
    /// Key items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<SimpleItem>,
    /// Data items.
    pub data: Vec<SimpleItem>,
    /// Source element items (`tt:ElementItem`: a name and an XML element, kept as a tree).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_elements: Vec<ElementItem>,
    /// Key element items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_elements: Vec<ElementItem>,
    /// Data element items (`Link` of `tns1:Monitoring/LinkStatus`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_elements: Vec<ElementItem>,
    /// The normalised kind, where the table knows the topic.
    pub kind: Option<EventKind>,
}

fn ser_ts<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_string()),
        None => s.serialize_none(),
    }
}

impl Event {
    /// An event from a notification, classified with `kinds`.
    pub fn from_message(m: NotificationMessage, kinds: &KindTable) -> Event {
        let kind = kinds.classify(&m);
        Event {
            time: m.message.utc_time,
            topic: m.topic,
            property_operation: m.message.property_operation,
            source: m.message.source,
            key: m.message.key,
            data: m.message.data,
            source_elements: m.message.source_elements,
            key_elements: m.message.key_elements,
            data_elements: m.message.data_elements,
            kind,
        }
    }
}

/// What happened to the subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "lifecycle", rename_all = "kebab-case")]
pub enum Lifecycle {
    /// The first subscription was created.
    Subscribed {
        /// The subscription's address.
        address: String,
        /// The time granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// The subscription was renewed.
    Renewed {
        /// The time granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// The subscription died.
    Lost {
        /// Why.
        reason: String,
    },
    /// A creation attempt after a loss failed; the next comes after `retry_in`.
    RetryFailed {
        /// Why.
        reason: String,
        /// Delay before the next attempt.
        #[serde(serialize_with = "ser_secs")]
        retry_in: Duration,
    },
    /// The camera granted far less than a relative time asked for (it ignores durations):
    /// from now on termination times are sent as absolute times in the camera's clock.
    SwitchedToAbsoluteTimes {
        /// What was asked.
        #[serde(serialize_with = "ser_secs")]
        asked: Duration,
        /// What was granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// A new subscription replaces the lost one.
    Recreated {
        /// The subscription's address.
        address: String,
        /// The time granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// `auto` mode: push did not work (no listener, Subscribe refused, or no notification
    /// arrived in time), so the session pulls.
    FellBackToPull {
        /// Why.
        reason: String,
    },
    /// The session ended (after Unsubscribe, when configured).
    Closed,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

impl std::fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lifecycle::Subscribed { address, granted } => {
                write!(
                    f,
                    "subscribed at {address} for {:.1} s",
                    granted.as_secs_f64()
                )
            }
            Lifecycle::Renewed { granted } => {
                write!(f, "renewed for {:.1} s", granted.as_secs_f64())
            }
            Lifecycle::Lost { reason } => write!(f, "lost: {reason}"),
            Lifecycle::RetryFailed { reason, retry_in } => write!(
                f,
                "re-creation failed: {reason}; next attempt in {:.1} s",
                retry_in.as_secs_f64()
            ),
            Lifecycle::Recreated { address, granted } => write!(
                f,
                "re-created at {address} for {:.1} s",
                granted.as_secs_f64()
            ),
            Lifecycle::SwitchedToAbsoluteTimes { asked, granted } => write!(
                f,
                "asked for {:.1} s, granted {:.1} s: the camera ignores relative times; \
                 switching to absolute times",
                asked.as_secs_f64(),
                granted.as_secs_f64()
            ),
            Lifecycle::FellBackToPull { reason } => {
                write!(f, "push did not work ({reason}); pulling instead")
            }
            Lifecycle::Closed => f.write_str("closed"),
        }
    }
}

/// An item of a session's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionItem {
    /// An event (boxed: it is much larger than a lifecycle signal).
    Event(Box<Event>),
    /// A lifecycle signal.
    Lifecycle(Lifecycle),
}

/// Controls a running session.
#[derive(Debug)]
pub struct SessionHandle {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    /// The push listener, when pushing.
    listener: Option<JoinHandle<()>>,
    /// Where the push listener is bound, and the path it accepts now.
    push: Option<(SocketAddr, Arc<Mutex<PushState>>)>,
    /// The camera, for requests made from the handle.
    camera: Camera,
    /// The live pull point's reference (`None` for a push session).
    current: Arc<Mutex<Option<EndpointReference>>>,
}

impl SessionHandle {
    /// Stop the session: unsubscribe (when configured) and wait for the task to end.
    pub async fn close(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        if let Some(l) = self.listener.take() {
            l.abort();
        }
    }

    /// Seek the session's pull point ([`Camera::seek`], where the camera offers it): the
    /// events stored from `utc_time` on (or, with `reverse`, backwards from it) come next.
    /// A push session cannot seek.
    pub async fn seek(&self, utc_time: Timestamp, reverse: bool) -> Result<(), Error> {
        let current = lock(&self.current).clone();
        let Some(epr) = current else {
            return Err(Error::Usage("only a pull-point session can seek".into()));
        };
        self.camera.seek(&epr, utc_time, reverse).await
    }

    /// The push listener's bound address and the URL path the current subscription's
    /// notifications must come to (`None` for a pull session).
    pub fn push_endpoint(&self) -> Option<(SocketAddr, String)> {
        self.push
            .as_ref()
            .map(|(a, st)| (*a, lock(st).path.clone()))
    }
}

impl Drop for SessionHandle {
    fn drop(&mut self) {
        // The task sees the signal and unsubscribes on its own.
        let _ = self.stop.send(true);
        if let Some(l) = self.listener.take() {
            l.abort();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the push listener accepts now.
#[derive(Debug, Default)]
pub(crate) struct PushState {
    /// The current subscription's path.
    path: String,
    /// The current subscription's address (a Notify naming another is refused).
    address: Option<String>,
}

/// The push side of a session.
struct PushSide {
    /// `http://host:port` the camera posts to.
    base: String,
    state: Arc<Mutex<PushState>>,
}

/// Where a push session listens.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// Address to bind (`0.0.0.0:8002`; port 0 lets the system choose).
    pub listen: SocketAddr,
    /// The base URL the camera must post to (`http://192.168.1.100:8002`); by default the
    /// local address on the route to the camera (found without sending anything) and the
    /// bound port.
    pub advertise: Option<String>,
    /// Largest Notify body accepted.
    pub max_body: usize,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig {
            listen: SocketAddr::from(([0, 0, 0, 0], 0)),
            advertise: None,
            max_body: 1024 * 1024,
        }
    }
}

/// Pause after a long poll answered empty far sooner than asked.
const EARLY_EMPTY_PAUSE: Duration = Duration::from_secs(1);
/// Push connections served at once; more are dropped.
const MAX_PUSH_CONNECTIONS: usize = 64;

/// A managed pull-point session.
#[derive(Debug)]
pub struct EventSession;

/// The live subscription.
struct Sub {
    url: Url,
    epr: EndpointReference,
    granted: Duration,
    renew_at: Instant,
    /// When it was last renewed (`None` before its first renewal).
    renewed: Option<Instant>,
}

impl Sub {
    /// When to renew: as planned, but never sooner than [`MIN_RENEW_GAP`] after the last
    /// renewal (a camera granting almost nothing must not be renewed in a tight loop).
    fn renew_due(&self) -> Instant {
        match self.renewed {
            Some(t) => self.renew_at.max(t + MIN_RENEW_GAP),
            None => self.renew_at,
        }
    }
}

/// The shortest time between two renewals (about a second, but short enough that a 1 s grant
/// is still renewed before it runs out).
const MIN_RENEW_GAP: Duration = Duration::from_millis(750);
/// Grants shorter than this are suspicious (logged).
const SHORT_GRANT: Duration = Duration::from_secs(2);
/// How long the Unsubscribe of a subscription given up may take.
const UNSUBSCRIBE_LIMIT: Duration = Duration::from_secs(3);

/// A `wsrf-rw:ResourceUnknownFault`: the subscription is gone.
fn is_resource_unknown(e: &Error) -> bool {
    e.fault()
        .is_some_and(|f| f.subcodes.iter().any(|s| s.name == "ResourceUnknownFault"))
}

fn warn_short(granted: Duration) {
    if granted < SHORT_GRANT {
        tracing::warn!(
            granted = granted.as_secs_f64(),
            "the camera granted a subscription less than 2 s; renewing at most once a second"
        );
    }
}

/// A random number from the operating system's generator (push paths must be unguessable).
fn random_u64() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        // No system generator: the standard library's per-process keyed hasher.
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        h.finish()
    })
}

/// A fraction in `[lo, hi)`.
fn jitter(lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * ((random_u64() >> 11) as f64 / (1u64 << 53) as f64)
}

fn message_id() -> String {
    let a = random_u64();
    let b = random_u64();
    format!(
        "urn:uuid:{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

struct Runner {
    camera: Camera,
    cfg: SessionConfig,
    tx: mpsc::Sender<SessionItem>,
    stop: watch::Receiver<bool>,
    attempts: VecDeque<Instant>,
    /// Send termination times as absolute times (the camera ignores relative ones).
    absolute: bool,
    /// Push mode: where notifications are received.
    push: Option<PushSide>,
    /// The live pull point's reference, shared with the handle.
    current: Arc<Mutex<Option<EndpointReference>>>,
}

impl EventSession {
    /// Create a pull-point subscription and keep it alive in the background. Returns the
    /// handle and the stream of events and lifecycle signals (the first is `Subscribed`).
    /// Fails when the first subscription cannot be created.
    pub async fn pull(
        camera: Camera,
        cfg: SessionConfig,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        EventSession::start(camera, cfg, None).await
    }

    /// Subscribe for push notifications (WS-BaseNotification Subscribe) delivered to a small
    /// HTTP listener, and keep the subscription alive like [`EventSession::pull`] does. Each
    /// subscription gets its own unguessable path; a Notify to another path, from another
    /// subscription, or larger than [`PushConfig::max_body`] is refused.
    pub async fn push(
        camera: Camera,
        cfg: SessionConfig,
        push: PushConfig,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        EventSession::start(camera, cfg, Some(push)).await
    }

    /// Push when it works, pull otherwise: subscribe for push and wait up to `probe` for the
    /// first notification (cameras send the current states at once); without one, or when the
    /// listener or Subscribe fails, unsubscribe and pull instead (signalled with
    /// [`Lifecycle::FellBackToPull`]).
    pub async fn auto(
        camera: Camera,
        cfg: SessionConfig,
        push: PushConfig,
        probe: Duration,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        let reason = match EventSession::push(camera.clone(), cfg.clone(), push).await {
            Ok((handle, mut rx)) => {
                let mut seen = Vec::new();
                let deadline = Instant::now() + probe;
                let got_event = loop {
                    match tokio::time::timeout_at(deadline, rx.recv()).await {
                        Ok(Some(item)) => {
                            let is_event = matches!(item, SessionItem::Event(_));
                            seen.push(item);
                            if is_event {
                                break true;
                            }
                        }
                        Ok(None) | Err(_) => break false,
                    }
                };
                if got_event {
                    let (tx, out) = mpsc::channel(cfg.channel_capacity.max(1));
                    tokio::spawn(async move {
                        for item in seen {
                            if tx.send(item).await.is_err() {
                                return;
                            }
                        }
                        while let Some(item) = rx.recv().await {
                            if tx.send(item).await.is_err() {
                                return;
                            }
                        }
                    });
                    return Ok((handle, out));
                }
                handle.close().await;
                format!("no notification within {:.1} s", probe.as_secs_f64())
            }
            Err(e) => e.to_string(),
        };
        let (handle, rx) = EventSession::pull(camera, cfg.clone()).await?;
        let (tx, out) = mpsc::channel(cfg.channel_capacity.max(1));
        tokio::spawn(async move {
            let mut rx = rx;
            if tx
                .send(SessionItem::Lifecycle(Lifecycle::FellBackToPull { reason }))
                .await
                .is_err()
            {
                return;
            }
            while let Some(item) = rx.recv().await {
                if tx.send(item).await.is_err() {
                    return;
                }
            }
        });
        Ok((handle, out))
    }

    async fn start(
        camera: Camera,
        cfg: SessionConfig,
        push: Option<PushConfig>,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        let (tx, rx) = mpsc::channel(cfg.channel_capacity.max(1));
        let (stop_tx, stop_rx) = watch::channel(false);
        // Notifications that arrive before `Subscribed` is out wait for it.
        let (ready_tx, ready_rx) = watch::channel(false);
        let mut listener = None;
        let mut push_side = None;
        let mut push_info = None;
        if let Some(p) = push {
            let sock = tokio::net::TcpListener::bind(p.listen)
                .await
                .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", p.listen)))?;
            let bound = sock.local_addr().map_err(|e| Error::Usage(e.to_string()))?;
            let base = match &p.advertise {
                Some(a) => a.clone(),
                None => {
                    let ip = if bound.ip().is_unspecified() {
                        route_local_ip(camera.device_url()).await.ok_or_else(|| {
                            Error::Usage(
                                "cannot tell which local address the camera reaches; give one \
                                 to advertise"
                                    .into(),
                            )
                        })?
                    } else {
                        bound.ip()
                    };
                    format!("http://{}", SocketAddr::new(ip, bound.port()))
                }
            };
            let state = Arc::new(Mutex::new(PushState::default()));
            listener = Some(tokio::spawn(listen(
                sock,
                Arc::clone(&state),
                tx.clone(),
                cfg.kinds.clone(),
                p.max_body,
                ready_rx.clone(),
            )));
            push_info = Some((bound, Arc::clone(&state)));
            push_side = Some(PushSide { base, state });
        }
        let current = Arc::new(Mutex::new(None));
        let mut runner = Runner {
            camera: camera.clone(),
            cfg,
            tx,
            stop: stop_rx,
            attempts: VecDeque::new(),
            absolute: false,
            push: push_side,
            current: Arc::clone(&current),
        };
        let mut sub = match runner.create(true).await {
            Ok(s) => s,
            Err(e) => {
                if let Some(l) = listener {
                    l.abort();
                }
                return Err(e);
            }
        };
        runner
            .emit(SessionItem::Lifecycle(Lifecycle::Subscribed {
                address: sub.url.to_string(),
                granted: sub.granted,
            }))
            .await;
        let _ = ready_tx.send(true);
        runner.check_grant(&mut sub).await;
        let task = tokio::spawn(runner.run(sub));
        Ok((
            SessionHandle {
                stop: stop_tx,
                task: Some(task),
                listener,
                push: push_info,
                camera,
                current,
            },
            rx,
        ))
    }
}

/// The local address on the route to the camera: a UDP socket "connected" to it (which sends
/// nothing) knows which one the system would use.
async fn route_local_ip(camera: &Url) -> Option<IpAddr> {
    let host = camera
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = camera.port_or_known_default().unwrap_or(80);
    let target = tokio::net::lookup_host((host, port)).await.ok()?.next()?;
    let bind: SocketAddr = if target.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let sock = std::net::UdpSocket::bind(bind).ok()?;
    sock.connect(target).ok()?;
    Some(sock.local_addr().ok()?.ip())
}

/// The push listener: one request per connection, `POST <current path>` with a Notify.
async fn listen(
    sock: tokio::net::TcpListener,
    state: Arc<Mutex<PushState>>,
    tx: mpsc::Sender<SessionItem>,
    kinds: KindTable,
    max_body: usize,
    ready: watch::Receiver<bool>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_PUSH_CONNECTIONS));
    loop {
        let (conn, peer) = match sock.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of descriptors, most likely: do not spin.
                tracing::debug!(error = %e, "push listener cannot accept");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
            // Too many connections at once: drop this one.
            continue;
        };
        let state = Arc::clone(&state);
        let tx = tx.clone();
        let kinds = kinds.clone();
        let mut ready = ready.clone();
        tokio::spawn(async move {
            let r = tokio::time::timeout(
                Duration::from_secs(10),
                serve_notify(conn, &state, &tx, &kinds, max_body, &mut ready),
            )
            .await;
            drop(permit);
            if let Ok(Err(e)) = r {
                tracing::debug!(%peer, error = %e, "push connection failed");
            }
        });
    }
}

async fn serve_notify<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    mut conn: S,
    state: &Mutex<PushState>,
    tx: &mpsc::Sender<SessionItem>,
    kinds: &KindTable,
    max_body: usize,
    ready: &mut watch::Receiver<bool>,
) -> std::io::Result<()> {
    use tokio::io::AsyncReadExt;
    const MAX_HEAD: usize = 16 * 1024;
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return answer_and_close(&mut conn, 431, "header too large").await;
        }
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request = lines.next().unwrap_or_default().split(' ');
    let method = request.next().unwrap_or_default();
    let target = request.next().unwrap_or_default();
    let headers: Vec<(&str, &str)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    };
    let chunked =
        header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length: Option<usize> = header("content-length").and_then(|v| v.parse().ok());
    let expected = lock(state).path.clone();
    if expected.is_empty() || target != expected {
        return answer_and_close(&mut conn, 404, "no such subscription").await;
    }
    if method != "POST" {
        return answer_and_close(&mut conn, 405, "POST only").await;
    }
    let body = if chunked {
        match read_chunked(&mut conn, buf[head_end..].to_vec(), max_body).await? {
            Some(b) => b,
            None => return answer_and_close(&mut conn, 413, "body too large").await,
        }
    } else {
        let Some(length) = length else {
            return answer_and_close(&mut conn, 411, "Content-Length required").await;
        };
        if length > max_body {
            return answer_and_close(&mut conn, 413, "body too large").await;
        }
        let mut body = buf[head_end..].to_vec();
        while body.len() < length {
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body.truncate(length);
        body
    };
    let notify = onvif_proto::soap::Envelope::parse(&body)
        .and_then(|env| <events::Notify as onvif_proto::Message>::read(env.payload()?));
    let notify = match notify {
        Ok(n) => n,
        Err(e) => return answer_and_close(&mut conn, 400, &format!("not a Notify: {e}")).await,
    };
    let ours = lock(state).address.clone();
    // Only the path counts (the camera may write its host differently); the secret path we
    // were posted to is what proves the sender.
    let foreign = notify.messages.iter().any(|m| {
        m.subscription_address.as_ref().is_some_and(|a| {
            ours.as_ref()
                .is_some_and(|o| address_path(o) != address_path(a))
        })
    });
    if foreign {
        return answer_and_close(&mut conn, 403, "another subscription's notification").await;
    }
    // Delivered before answering, so notifications posted one after another stay in order.
    let _ = tokio::time::timeout(Duration::from_secs(5), ready.wait_for(|r| *r)).await;
    for m in notify.messages {
        let _ = tx
            .send(SessionItem::Event(Box::new(Event::from_message(m, kinds))))
            .await;
    }
    answer_and_close(&mut conn, 202, "").await
}

/// The push listener's handling of one connection, in process (for the fuzz targets in
/// `fuzz/`): `request` is all the peer sends, the listener expects `path` and the
/// subscription `address`. Returns the answer and the events delivered. Not a stable interface.
#[doc(hidden)]
pub async fn push_request_in_process(
    path: &str,
    address: Option<&str>,
    request: &[u8],
    max_body: usize,
) -> (Vec<u8>, Vec<SessionItem>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let state = Mutex::new(PushState {
        path: path.to_owned(),
        address: address.map(str::to_owned),
    });
    let (tx, mut rx) = mpsc::channel(64);
    let (_ready_tx, mut ready) = watch::channel(true);
    let (ours, mut theirs) = tokio::io::duplex(64 * 1024);
    let request = request.to_vec();
    let peer = async move {
        let _ = theirs.write_all(&request).await;
        let _ = theirs.shutdown().await;
        let mut answer = Vec::new();
        let _ = theirs.read_to_end(&mut answer).await;
        answer
    };
    let kinds = KindTable::default();
    let serve = async move {
        let _ = serve_notify(ours, &state, &tx, &kinds, max_body, &mut ready).await;
    };
    let drain = async move {
        let mut items = Vec::new();
        while let Some(i) = rx.recv().await {
            items.push(i);
        }
        items
    };
    let (answer, (), items) = tokio::join!(peer, serve, drain);
    (answer, items)
}

/// A chunked body (`Transfer-Encoding: chunked`), `raw` being what was read after the
/// head; `None` when it grows past `max_body`.
async fn read_chunked<S: tokio::io::AsyncRead + Unpin>(
    conn: &mut S,
    mut raw: Vec<u8>,
    max_body: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    use tokio::io::AsyncReadExt;
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    let mut body = Vec::new();
    let mut pos = 0;
    let mut chunk = [0u8; 8192];
    loop {
        // A size line.
        let line_end = loop {
            if let Some(i) = raw[pos..].windows(2).position(|w| w == b"\r\n") {
                break pos + i;
            }
            if raw.len() - pos > 1024 {
                return Err(bad("chunk size line too long"));
            }
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                return Err(bad("chunked body cut short"));
            }
            raw.extend_from_slice(&chunk[..n]);
        };
        let line = String::from_utf8_lossy(&raw[pos..line_end]).into_owned();
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("bad chunk size"))?;
        pos = line_end + 2;
        if size == 0 {
            // Trailers are not read: the answer does not need them.
            return Ok(Some(body));
        }
        if body.len() + size > max_body {
            return Ok(None);
        }
        while raw.len() < pos + size + 2 {
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                return Err(bad("chunked body cut short"));
            }
            raw.extend_from_slice(&chunk[..n]);
        }
        body.extend_from_slice(&raw[pos..pos + size]);
        pos += size + 2;
        if pos > 64 * 1024 {
            raw.drain(..pos);
            pos = 0;
        }
    }
}

/// Answer, close our side, and read (a bounded amount, for a bounded time) what the client
/// is still sending: closing with unread data would reset the connection and lose the answer.
async fn answer_and_close<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    conn: &mut S,
    status: u16,
    text: &str,
) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const DRAIN_MAX: usize = 4 * 1024 * 1024;
    respond(conn, status, text).await?;
    conn.shutdown().await.ok();
    let mut chunk = [0u8; 8192];
    let mut drained = 0;
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while drained < DRAIN_MAX {
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    })
    .await;
    Ok(())
}

/// The path of a subscription address (the whole string when it is not a URL).
fn address_path(a: &str) -> String {
    match Url::parse(a.trim()) {
        Ok(u) => u.path().trim_end_matches('/').to_owned(),
        Err(_) => a.trim().to_owned(),
    }
}

async fn respond<S: tokio::io::AsyncWrite + Unpin>(
    conn: &mut S,
    status: u16,
    text: &str,
) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let reason = match status {
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        _ => "Request Header Fields Too Large",
    };
    let msg = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    conn.write_all(msg.as_bytes()).await
}

impl Runner {
    /// Send an item; gives up when the session is being stopped (a consumer that no longer
    /// reads must not keep `close` waiting).
    async fn emit(&self, item: SessionItem) {
        let mut stop = self.stop.clone();
        tokio::select! {
            biased;
            _ = stop.wait_for(|s| *s) => {}
            _ = self.tx.send(item) => {}
        }
    }

    fn stopped(&self) -> bool {
        *self.stop.borrow() || self.tx.is_closed()
    }

    /// One CreatePullPointSubscription, or Subscribe in push mode (counted against the
    /// attempt cap). In push mode every subscription gets a fresh unguessable path.
    ///
    /// `resync`: re-measure the clock and retry once when authentication is refused (not in
    /// recovery, whose own attempts must not be doubled).
    async fn create(&mut self, resync: bool) -> Result<Sub, Error> {
        self.attempts.push_back(Instant::now());
        let url = self.camera.endpoint(onvif_proto::Service::Events).await?;
        let opts = CallOptions {
            no_clock_resync: !resync,
            ..CallOptions::default()
        };
        let resp = match &self.push {
            None => {
                self.camera
                    .call_at_with(
                        &url,
                        &CreatePullPointSubscription {
                            filter: self.cfg.filter.clone(),
                            initial_termination_time: Some(self.termination_time()),
                        },
                        &opts,
                    )
                    .await?
            }
            Some(push) => {
                let path = format!("/onvif-events/{:016x}{:016x}", random_u64(), random_u64());
                let consumer = format!("{}{path}", push.base.trim_end_matches('/'));
                *lock(&push.state) = PushState {
                    path,
                    address: None,
                };
                let r = self
                    .camera
                    .call_at_with(
                        &url,
                        &Subscribe {
                            consumer,
                            filter: self.cfg.filter.clone(),
                            initial_termination_time: Some(self.termination_time()),
                        },
                        &opts,
                    )
                    .await?;
                lock(&push.state).address = Some(r.subscription_reference.address.clone());
                CreatePullPointSubscriptionResponse {
                    subscription_reference: r.subscription_reference,
                    current_time: r.current_time,
                    termination_time: r.termination_time,
                }
            }
        };
        let sub = self.sub_from(resp)?;
        if self.push.is_none() {
            *lock(&self.current) = Some(sub.epr.clone());
        }
        Ok(sub)
    }

    /// The termination time to ask for: relative, or absolute in the camera's clock once the
    /// camera was seen to ignore relative ones.
    fn termination_time(&self) -> TerminationTime {
        if self.absolute {
            let now = self.camera.camera_now();
            let d = jiff::SignedDuration::try_from(self.cfg.termination).unwrap_or_default();
            TerminationTime::Absolute(now.checked_add(d).unwrap_or(now))
        } else {
            TerminationTime::Relative(self.cfg.termination)
        }
    }

    /// After a grant: a camera that gave far less than a relative time asked is switched to
    /// absolute times, and the subscription renewed at once with one.
    async fn check_grant(&mut self, sub: &mut Sub) {
        if !self.absolute && sub.granted < self.cfg.termination / 2 {
            self.absolute = true;
            self.emit(SessionItem::Lifecycle(Lifecycle::SwitchedToAbsoluteTimes {
                asked: self.cfg.termination,
                granted: sub.granted,
            }))
            .await;
            sub.renew_at = Instant::now();
        }
    }

    fn sub_from(&self, resp: CreatePullPointSubscriptionResponse) -> Result<Sub, Error> {
        let reported = &resp.subscription_reference.address;
        let repaired = self.camera.repair_uri(reported);
        let url = Url::parse(&repaired).map_err(|e| Error::Protocol {
            url: reported.clone(),
            source: onvif_proto::Error::invalid(
                "SubscriptionReference/Address",
                reported.as_str(),
                e.to_string(),
            ),
        })?;
        let granted = granted(
            resp.current_time,
            resp.termination_time,
            self.cfg.termination,
        );
        warn_short(granted);
        Ok(Sub {
            url,
            epr: resp.subscription_reference,
            granted,
            renew_at: renew_at(granted),
            renewed: None,
        })
    }

    fn headers(&self, sub: &Sub, action: &str) -> String {
        if self.cfg.drop_reference_parameters {
            let bare = EndpointReference {
                reference_parameters: Vec::new(),
                reference_parameters_xml: Vec::new(),
                ..sub.epr.clone()
            };
            return bare.header_xml(action, &message_id());
        }
        sub.epr.header_xml(action, &message_id())
    }

    async fn call<O: Operation>(
        &self,
        sub: &Sub,
        op: &O,
        timeout: Option<Duration>,
    ) -> Result<O::Response, Error> {
        let opts = CallOptions {
            extra_header_xml: self.headers(sub, O::ACTION),
            timeout,
            ..CallOptions::default()
        };
        self.camera.call_at_with(&sub.url, op, &opts).await
    }

    async fn run(mut self, mut sub: Sub) {
        // PullMessages failures in a row on this subscription.
        let mut pull_failures = 0u32;
        loop {
            if self.stopped() {
                return self.close(&sub).await;
            }
            if Instant::now() >= sub.renew_due() {
                match self
                    .call(
                        &sub,
                        &Renew {
                            termination_time: self.termination_time(),
                        },
                        None,
                    )
                    .await
                {
                    Ok(r) => {
                        sub.granted =
                            granted(r.current_time, r.termination_time, self.cfg.termination);
                        warn_short(sub.granted);
                        sub.renew_at = renew_at(sub.granted);
                        sub.renewed = Some(Instant::now());
                        self.emit(SessionItem::Lifecycle(Lifecycle::Renewed {
                            granted: sub.granted,
                        }))
                        .await;
                        self.check_grant(&mut sub).await;
                    }
                    Err(e) => match self.replace(&sub, e).await {
                        Some(s) => {
                            sub = s;
                            pull_failures = 0;
                        }
                        None => return self.finish().await,
                    },
                }
                continue;
            }
            if self.push.is_some() {
                let mut stop = self.stop.clone();
                tokio::select! {
                    () = tokio::time::sleep_until(sub.renew_due()) => {}
                    _ = stop.changed() => return self.close(&sub).await,
                }
                continue;
            }
            let until_renew = sub.renew_due().saturating_duration_since(Instant::now());
            let wait = self
                .cfg
                .pull_timeout
                .min(until_renew)
                .max(Duration::from_millis(100));
            let http_timeout = wait
                + self
                    .camera
                    .config()
                    .request_timeout
                    .max(Duration::from_secs(2));
            let pull = PullMessages {
                timeout: wait,
                message_limit: self.cfg.message_limit,
            };
            let mut stop = self.stop.clone();
            let asked_at = Instant::now();
            let result = tokio::select! {
                r = self.call(&sub, &pull, Some(http_timeout)) => Some(r),
                _ = stop.changed() => None,
            };
            match result {
                None => return self.close(&sub).await,
                Some(Ok(resp)) => {
                    pull_failures = 0;
                    // A camera that answers an empty long poll at once (ignoring its Timeout)
                    // must not be polled in a tight loop.
                    if resp.messages.is_empty()
                        && asked_at.elapsed() < (wait / 2).min(Duration::from_secs(1))
                    {
                        let mut stop = self.stop.clone();
                        tokio::select! {
                            () = tokio::time::sleep(EARLY_EMPTY_PAUSE) => {}
                            _ = stop.changed() => {}
                        }
                    }
                    for m in resp.messages {
                        let ev = Event::from_message(m, &self.cfg.kinds);
                        self.emit(SessionItem::Event(Box::new(ev))).await;
                    }
                }
                Some(Err(e)) => {
                    // A timeout, an HTTP 5xx or a long poll closed early does not mean the
                    // subscription is gone: pull once more on it. It is gone on
                    // ResourceUnknown, a refused connection, or a second failure in a row.
                    let gone = is_resource_unknown(&e)
                        || matches!(e, Error::Connect { .. })
                        || e.is_auth()
                        || pull_failures >= 1;
                    if !gone {
                        pull_failures += 1;
                        tracing::debug!(error = %e, "PullMessages failed; pulling once more");
                        continue;
                    }
                    pull_failures = 0;
                    match self.replace(&sub, e).await {
                        Some(s) => sub = s,
                        None => return self.finish().await,
                    }
                }
            }
        }
    }

    /// The subscription died: report it, then re-create with back-off until it works or the
    /// session is stopped. Credentials refused (now, or by a re-creation) end the session:
    /// retrying them would lock the account on cameras that do so.
    async fn recover(&mut self, e: Error) -> Option<Sub> {
        if e.is_auth() {
            self.emit(SessionItem::Lifecycle(Lifecycle::Lost {
                reason: format!("{e}; the credentials are refused, giving up"),
            }))
            .await;
            return None;
        }
        self.emit(SessionItem::Lifecycle(Lifecycle::Lost {
            reason: e.to_string(),
        }))
        .await;
        let mut delay = self.cfg.backoff_initial;
        loop {
            // The cap on attempts per window.
            let window = self.cfg.attempt_window;
            while self.attempts.front().is_some_and(|t| t.elapsed() >= window) {
                self.attempts.pop_front();
            }
            let mut wait = delay.mul_f64(jitter(0.5, 1.0));
            if self.attempts.len() >= self.cfg.max_attempts_per_window.max(1)
                && let Some(first) = self.attempts.front()
            {
                wait = wait.max((*first + window).saturating_duration_since(Instant::now()));
            }
            let mut stop = self.stop.clone();
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return None,
            }
            if self.stopped() {
                return None;
            }
            match self.create(false).await {
                Ok(mut sub) => {
                    self.emit(SessionItem::Lifecycle(Lifecycle::Recreated {
                        address: sub.url.to_string(),
                        granted: sub.granted,
                    }))
                    .await;
                    self.check_grant(&mut sub).await;
                    if self.push.is_none()
                        && let Err(e) = self.call(&sub, &SetSynchronizationPoint, None).await
                    {
                        tracing::debug!(error = %e, "SetSynchronizationPoint failed");
                    }
                    return Some(sub);
                }
                Err(e) if e.is_auth() => {
                    self.emit(SessionItem::Lifecycle(Lifecycle::Lost {
                        reason: format!("re-creation refused: {e}; giving up"),
                    }))
                    .await;
                    return None;
                }
                Err(e) => {
                    delay = (delay * 2).min(self.cfg.backoff_max);
                    self.emit(SessionItem::Lifecycle(Lifecycle::RetryFailed {
                        reason: e.to_string(),
                        retry_in: delay,
                    }))
                    .await;
                }
            }
        }
    }

    async fn close(&self, sub: &Sub) {
        if self.cfg.unsubscribe_on_close
            && let Err(e) = self.call(sub, &Unsubscribe, None).await
        {
            tracing::debug!(error = %e, "Unsubscribe failed");
        }
        self.finish().await;
    }

    async fn finish(&self) {
        if *self.stop.borrow() {
            // Closing: never wait for a consumer that may have stopped reading.
            let _ = self.tx.try_send(SessionItem::Lifecycle(Lifecycle::Closed));
        } else {
            self.emit(SessionItem::Lifecycle(Lifecycle::Closed)).await;
        }
    }

    /// Unsubscribe a subscription given up (it may still be alive), bounded, errors ignored.
    async fn unsubscribe_quietly(&self, sub: &Sub) {
        match tokio::time::timeout(
            UNSUBSCRIBE_LIMIT,
            self.call(sub, &Unsubscribe, Some(UNSUBSCRIBE_LIMIT)),
        )
        .await
        {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::debug!(error = %e, "Unsubscribe of the old subscription failed"),
            Err(_) => tracing::debug!("Unsubscribe of the old subscription timed out"),
        }
    }

    /// The subscription failed with `e`: re-create it (unsubscribing it first when it may
    /// still be alive), or end the session.
    async fn replace(&mut self, sub: &Sub, e: Error) -> Option<Sub> {
        if !is_resource_unknown(&e) && !e.is_auth() {
            self.unsubscribe_quietly(sub).await;
        }
        self.recover(e).await
    }
}

/// The time granted: termination minus current time in the camera's clock (our clock plays
/// no part), or what was asked when the camera did not say.
fn granted(
    current: Option<Timestamp>,
    termination: Option<Timestamp>,
    asked: Duration,
) -> Duration {
    match (current, termination) {
        (Some(c), Some(t)) => {
            let ms = t.as_millisecond() - c.as_millisecond();
            if ms > 0 {
                Duration::from_millis(ms.unsigned_abs())
            } else {
                asked
            }
        }
        _ => asked,
    }
}

/// When to renew: at about 80 % of the granted time (72-80 %, jittered).
fn renew_at(granted: Duration) -> Instant {
    Instant::now() + granted.mul_f64(0.8 * jitter(0.9, 1.0))
}
