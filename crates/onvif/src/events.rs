//! Events: the topic tree, and a managed pull-point session that stays alive.
//!
//! [`EventSession::pull`] creates a pull-point subscription and runs it in the background:
//! PullMessages long polls at the subscription's own address (with `wsa:To`, `wsa:Action`, a
//! fresh `wsa:MessageID` and every reference parameter echoed as a header), renewal at about
//! 80 % of the granted time (with jitter, never twice within 0.75 s), and, when the
//! subscription dies (a `ResourceUnknown` fault, a refused connection, a reboot, or two failed
//! pulls in a row: one failed pull is tried again on the same subscription), re-creation with
//! bounded exponential back-off and jitter (and a cap on failed attempts per window: a
//! subscription that works resets both), followed by SetSynchronizationPoint so current states
//! are sent again. A wait the cap makes longer than the back-off is signalled; while the camera
//! does not answer at all it is asked the time (unauthenticated) every 2 s or so, and the next
//! attempt made as soon as it answers again (an answer counts only after a question went
//! unanswered: a camera whose device service answers all along gets the back-off). A
//! subscription given up while it may still be alive is unsubscribed first (bounded). Refused credentials end the session (`Lost`, then `Closed`)
//! instead of being retried: cameras lock accounts. Events and lifecycle signals come out of
//! one channel; [`SessionHandle::close`] unsubscribes.
//!
//! [`EventSession::push`] subscribes with WS-BaseNotification instead and receives `Notify`
//! on a small HTTP listener (one unguessable path per subscription, bodies capped, others'
//! notifications refused); [`EventSession::auto`] pushes when a notification arrives and pulls
//! otherwise. A push session hears nothing from a camera that restarted (and forgot the
//! subscription), so it checks the subscription with a Renew every
//! [`SessionConfig::liveness`]: a notification received since the last check makes it
//! needless, one failed check is tried again at once (two in a row, ResourceUnknown or a
//! refused connection replace the subscription), and a camera that answers the check as not
//! supported has checks turned off for that subscription ([`Lifecycle::LivenessCheckOff`],
//! said once). A camera that grants far less than a relative termination
//! time asked for is asked an absolute time in its own clock: when that is granted, the session
//! switches to absolute times; when it is not, the camera simply grants short times (said once).

use std::collections::VecDeque;
use std::net::SocketAddr;
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
pub use crate::push_listener::PushLimits;
#[doc(hidden)]
pub use crate::push_listener::push_request_in_process;

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
                el.scope = filter.namespaces.clone().into();
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
    /// At most this many failed creation attempts (CreatePullPointSubscription or Subscribe)
    /// per [`SessionConfig::attempt_window`]; a re-created subscription that works clears the
    /// count (and the back-off).
    pub max_attempts_per_window: usize,
    /// The window of the attempt cap.
    pub attempt_window: Duration,
    /// Push mode: check the subscription this often with a Renew (which also keeps it alive),
    /// so a camera that restarted and forgot it is noticed within this time, not at the next
    /// renewal; `None` checks only at renewals. A pull session needs none: its long polls are
    /// its checks. Successful checks are not signalled; a notification received since the last
    /// check replaces it; one failed check is tried again at once before the subscription is
    /// replaced; a check refused as not supported turns checks off for the subscription.
    pub liveness: Option<Duration>,
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
            liveness: Some(Duration::from_secs(5)),
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
        /// Push mode: how often the subscription is checked ([`SessionConfig::liveness`]).
        #[serde(
            serialize_with = "ser_opt_secs",
            skip_serializing_if = "Option::is_none"
        )]
        liveness: Option<Duration>,
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
    /// A creation attempt after a loss failed; the next comes after `retry_in`, or sooner
    /// when `sooner_when_back` and the camera, which did not answer, answers again.
    RetryFailed {
        /// Why.
        reason: String,
        /// Delay before the next attempt.
        #[serde(serialize_with = "ser_secs")]
        retry_in: Duration,
        /// The camera did not answer: it is asked the time (unauthenticated, so no account
        /// can be locked) every 2 s or so, and the next attempt is made as soon as it answers.
        sooner_when_back: bool,
    },
    /// The failed creation attempts reached [`SessionConfig::max_attempts_per_window`]: the
    /// next one waits longer than the back-off would.
    AttemptCapReached {
        /// Failed attempts in the window.
        failures: usize,
        /// The window.
        #[serde(serialize_with = "ser_secs")]
        window: Duration,
        /// Delay before the next attempt.
        #[serde(serialize_with = "ser_secs")]
        retry_in: Duration,
    },
    /// The camera granted far less than a relative time asked for, and the absolute time
    /// asked next in full (it ignores durations): from now on termination times are sent as
    /// absolute times in the camera's clock.
    SwitchedToAbsoluteTimes {
        /// What was asked.
        #[serde(serialize_with = "ser_secs")]
        asked: Duration,
        /// What was granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// The camera grants far less than asked, relative or absolute (said once): the
    /// subscription is renewed at about 80 % of each grant (never twice within 0.75 s).
    ShortGrant {
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
    /// Push mode: the camera refused a liveness check (Renew) as not supported (said once):
    /// subscriptions are no longer checked between renewals, so a camera restart is noticed
    /// at the next renewal.
    LivenessCheckOff {
        /// The camera's answer.
        reason: String,
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

fn ser_opt_secs<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_f64(d.as_secs_f64()),
        None => s.serialize_none(),
    }
}

/// A duration as a person reads it: `0.8 s`, `42 s`, `4 min 10 s`, `2 h 5 min`.
fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 10 {
        format!("{:.1} s", d.as_secs_f64())
    } else if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        match secs % 60 {
            0 => format!("{} min", secs / 60),
            s => format!("{} min {s} s", secs / 60),
        }
    } else {
        match (secs % 3600) / 60 {
            0 => format!("{} h", secs / 3600),
            m => format!("{} h {m} min", secs / 3600),
        }
    }
}

impl std::fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lifecycle::Subscribed {
                address,
                granted,
                liveness,
            } => {
                write!(
                    f,
                    "subscribed at {address} for {:.1} s",
                    granted.as_secs_f64()
                )?;
                if let Some(every) = liveness {
                    write!(
                        f,
                        "; checking it every {:.1} s (Renew), so a camera restart is noticed \
                         within that",
                        every.as_secs_f64()
                    )?;
                }
                Ok(())
            }
            Lifecycle::Renewed { granted } => {
                write!(f, "renewed for {:.1} s", granted.as_secs_f64())
            }
            Lifecycle::Lost { reason } => write!(f, "lost: {reason}"),
            Lifecycle::RetryFailed {
                reason,
                retry_in,
                sooner_when_back,
            } => {
                write!(
                    f,
                    "re-creation failed: {reason}; next attempt in {}",
                    human_duration(*retry_in)
                )?;
                if *sooner_when_back {
                    f.write_str(", or as soon as the camera answers again")?;
                }
                Ok(())
            }
            Lifecycle::Recreated { address, granted } => write!(
                f,
                "re-created at {address} for {:.1} s",
                granted.as_secs_f64()
            ),
            Lifecycle::AttemptCapReached {
                failures,
                window,
                retry_in,
            } => write!(
                f,
                "attempt cap reached ({failures} failed attempts in {}): next try in {}",
                human_duration(*window),
                human_duration(*retry_in)
            ),
            Lifecycle::SwitchedToAbsoluteTimes { asked, granted } => write!(
                f,
                "asked for {:.1} s as a relative time, granted {:.1} s, but an absolute time is \
                 granted in full: the camera ignores relative times; switching to absolute times",
                asked.as_secs_f64(),
                granted.as_secs_f64()
            ),
            Lifecycle::ShortGrant { asked, granted } => write!(
                f,
                "the camera grants only {:.1} s of the {:.1} s asked (as a relative or an \
                 absolute time); renewing about every {:.1} s",
                granted.as_secs_f64(),
                asked.as_secs_f64(),
                granted.mul_f64(0.76).max(MIN_RENEW_GAP).as_secs_f64()
            ),
            Lifecycle::LivenessCheckOff { reason } => write!(
                f,
                "the camera does not support Renew between renewals ({reason}): liveness \
                 checks are off, so a camera restart is noticed at the next renewal"
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
    pub(crate) path: String,
    /// The current subscription's address (a Notify naming another is refused).
    pub(crate) address: Option<String>,
    /// When the last Notify accepted (on the current path) arrived.
    pub(crate) notified: Option<Instant>,
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
    /// Address to bind (port 0 lets the system choose). With an unspecified IP (`0.0.0.0`,
    /// the default, or `::`) the local address on the route to the camera (found without
    /// sending anything) is bound instead, with that port, unless `every_interface`.
    pub listen: SocketAddr,
    /// Bind an unspecified `listen` address as it is: on every interface.
    pub every_interface: bool,
    /// The base URL the camera must post to (`http://192.168.1.100:8002`); by default the
    /// local address on the route to the camera (found without sending anything) and the
    /// bound port.
    pub advertise: Option<String>,
    /// Largest Notify body accepted.
    pub max_body: usize,
    /// The listener's deadlines and connection caps.
    pub limits: PushLimits,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig {
            listen: SocketAddr::from(([0, 0, 0, 0], 0)),
            every_interface: false,
            advertise: None,
            max_body: 1024 * 1024,
            limits: PushLimits::default(),
        }
    }
}

/// Pause after a long poll answered empty far sooner than asked.
const EARLY_EMPTY_PAUSE: Duration = Duration::from_secs(1);

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
    /// When it was last known alive (created, renewed, or, in push mode, a notification
    /// received).
    alive: Instant,
    /// Push mode: the camera does not support Renew as a liveness check (it refused one as
    /// not supported), so this subscription is not checked between renewals.
    checks_off: bool,
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
/// Grants shorter than this are suspicious (logged, at debug level: the session signals a
/// camera that grants short times once, with [`Lifecycle::ShortGrant`]).
const SHORT_GRANT: Duration = Duration::from_secs(2);
/// While a camera does not answer, it is asked the time (unauthenticated) about this often,
/// so a re-creation follows soon after it is back whatever the back-off has grown to.
const PROBE_EVERY: Duration = Duration::from_secs(2);
/// How long a camera may take to answer that probe.
const PROBE_LIMIT: Duration = Duration::from_secs(2);
/// How long the Unsubscribe of a subscription given up may take.
const UNSUBSCRIBE_LIMIT: Duration = Duration::from_secs(3);

/// A `wsrf-rw:ResourceUnknownFault`: the subscription is gone.
fn is_resource_unknown(e: &Error) -> bool {
    e.fault()
        .is_some_and(|f| f.subcodes.iter().any(|s| s.name == "ResourceUnknownFault"))
}

fn warn_short(granted: Duration) {
    if granted < SHORT_GRANT {
        tracing::debug!(
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
    /// Failed creation attempts in the attempt cap's window (a working subscription clears
    /// them).
    failures: VecDeque<Instant>,
    /// The re-creation back-off: the delay before the next attempt, before jitter.
    delay: Duration,
    /// When the last re-creation was made, until the subscription it made works (a
    /// subscription that dies before it ever works counts as a failed attempt).
    unproven: Option<Instant>,
    /// Send termination times as absolute times (the camera ignores relative ones).
    absolute: bool,
    /// An absolute time is being tried after this short relative grant: the next grant tells
    /// whether the camera ignores relative times or grants short times whatever is asked.
    probing: Option<Duration>,
    /// [`Lifecycle::ShortGrant`] was signalled.
    short_told: bool,
    /// [`Lifecycle::LivenessCheckOff`] was signalled.
    checks_off_told: bool,
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
            let (sock, bound, base) = crate::push_listener::bind(
                p.listen,
                p.every_interface,
                p.advertise.as_deref(),
                camera.device_url(),
            )
            .await?;
            let state = Arc::new(Mutex::new(PushState::default()));
            let delivery = crate::push_listener::Delivery {
                state: Arc::clone(&state),
                tx: tx.clone(),
                kinds: cfg.kinds.clone(),
                max_body: p.max_body,
                ready: ready_rx.clone(),
            };
            listener = Some(tokio::spawn(crate::push_listener::listen(
                sock, delivery, p.limits,
            )));
            push_info = Some((bound, Arc::clone(&state)));
            push_side = Some(PushSide { base, state });
        }
        let current = Arc::new(Mutex::new(None));
        let liveness = push_side.as_ref().and(cfg.liveness);
        let mut runner = Runner {
            camera: camera.clone(),
            cfg,
            tx,
            stop: stop_rx,
            failures: VecDeque::new(),
            delay: Duration::ZERO,
            unproven: None,
            absolute: false,
            probing: None,
            short_told: false,
            checks_off_told: false,
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
        runner.delay = runner.cfg.backoff_initial;
        runner
            .emit(SessionItem::Lifecycle(Lifecycle::Subscribed {
                address: sub.url.to_string(),
                granted: sub.granted,
                liveness: liveness.map(|l| l.max(MIN_RENEW_GAP)),
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

    /// One CreatePullPointSubscription, or Subscribe in push mode. In push mode every
    /// subscription gets a fresh unguessable path.
    ///
    /// `resync`: re-measure the clock and retry once when authentication is refused (not in
    /// recovery, whose own attempts must not be doubled).
    async fn create(&mut self, resync: bool) -> Result<Sub, Error> {
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
                    notified: None,
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

    /// After a grant: when a camera gave far less than a relative time asked, the
    /// subscription is renewed at once with an absolute time. When that is granted in full,
    /// the camera ignores relative times and the session switches to absolute ones; when it
    /// is not, the camera grants short times whatever is asked, which is said once, and the
    /// session goes back to relative times.
    async fn check_grant(&mut self, sub: &mut Sub) {
        let short = sub.granted < self.cfg.termination / 2;
        if let Some(relative_grant) = self.probing.take() {
            if short {
                self.absolute = false;
                self.tell_short(sub.granted).await;
            } else {
                self.emit(SessionItem::Lifecycle(Lifecycle::SwitchedToAbsoluteTimes {
                    asked: self.cfg.termination,
                    granted: relative_grant,
                }))
                .await;
            }
            return;
        }
        if !short {
            return;
        }
        if !self.absolute && !self.short_told {
            self.absolute = true;
            self.probing = Some(sub.granted);
            sub.renew_at = Instant::now();
        } else {
            self.tell_short(sub.granted).await;
        }
    }

    /// Signal (once) that the camera grants short times.
    async fn tell_short(&mut self, granted: Duration) {
        if !self.short_told {
            self.short_told = true;
            self.emit(SessionItem::Lifecycle(Lifecycle::ShortGrant {
                asked: self.cfg.termination,
                granted,
            }))
            .await;
        }
    }

    /// When the subscription must next be renewed, or (push mode) checked.
    fn due(&self, sub: &Sub) -> Instant {
        let renew = sub.renew_due();
        match (&self.push, self.cfg.liveness) {
            (Some(_), Some(every)) if !sub.checks_off => {
                renew.min(sub.alive + every.max(MIN_RENEW_GAP))
            }
            _ => renew,
        }
    }

    /// The subscription works: the back-off and the count of failed attempts start over.
    fn proven(&mut self) {
        self.unproven = None;
        self.failures.clear();
        self.delay = self.cfg.backoff_initial;
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
            alive: Instant::now(),
            checks_off: false,
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
        // Push mode: liveness checks failed in a row on this subscription.
        let mut check_failures = 0u32;
        loop {
            if self.stopped() {
                return self.close(&sub).await;
            }
            if Instant::now() >= self.due(&sub) {
                // In push mode a Renew made before the renewal is due is a liveness check.
                let check = Instant::now() < sub.renew_due();
                // A notification received since the last check proves the subscription works.
                let notified = self
                    .push
                    .as_ref()
                    .and_then(|p| lock(&p.state).notified)
                    .filter(|t| *t > sub.alive);
                if check && let Some(t) = notified {
                    tracing::debug!("a notification arrived since the last check; not checking");
                    sub.alive = t;
                    check_failures = 0;
                    self.proven();
                    continue;
                }
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
                        let now = Instant::now();
                        sub.granted =
                            granted(r.current_time, r.termination_time, self.cfg.termination);
                        warn_short(sub.granted);
                        sub.renew_at = renew_at(sub.granted);
                        sub.renewed = Some(now);
                        sub.alive = now;
                        check_failures = 0;
                        self.proven();
                        self.check_grant(&mut sub).await;
                        if check {
                            tracing::debug!("liveness check passed");
                        } else {
                            self.emit(SessionItem::Lifecycle(Lifecycle::Renewed {
                                granted: sub.granted,
                            }))
                            .await;
                        }
                    }
                    Err(e) if check && e.fault().is_some_and(|f| f.is_action_not_supported()) => {
                        // The camera does not do Renew between renewals: the subscription is
                        // left to its renewal (or termination) time, unchecked.
                        sub.checks_off = true;
                        check_failures = 0;
                        if !self.checks_off_told {
                            self.checks_off_told = true;
                            self.emit(SessionItem::Lifecycle(Lifecycle::LivenessCheckOff {
                                reason: e.to_string(),
                            }))
                            .await;
                        }
                    }
                    Err(e)
                        if check
                            && check_failures == 0
                            && !is_resource_unknown(&e)
                            && !matches!(e, Error::Connect { .. })
                            && !e.is_auth() =>
                    {
                        // One failed check (a timeout, an HTTP 5xx) does not mean the
                        // subscription is gone: check once more at once. It is gone on
                        // ResourceUnknown, a refused connection, or a second failure in a row.
                        check_failures += 1;
                        tracing::debug!(error = %e, "the liveness check failed; checking once more");
                    }
                    Err(e) => {
                        check_failures = 0;
                        let what = if check {
                            "the liveness check (Renew) failed: "
                        } else {
                            ""
                        };
                        match self.replace(&sub, e, what).await {
                            Some(s) => {
                                sub = s;
                                pull_failures = 0;
                            }
                            None => return self.finish().await,
                        }
                    }
                }
                continue;
            }
            if self.push.is_some() {
                let mut stop = self.stop.clone();
                tokio::select! {
                    () = tokio::time::sleep_until(self.due(&sub)) => {}
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
                    sub.alive = Instant::now();
                    self.proven();
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
                    match self.replace(&sub, e, "").await {
                        Some(s) => sub = s,
                        None => return self.finish().await,
                    }
                }
            }
        }
    }

    /// The wait before the next creation attempt: the back-off (jittered), or longer when the
    /// failed attempts in the window reached the cap (then `true`).
    fn next_wait(&mut self) -> (Duration, bool) {
        let window = self.cfg.attempt_window;
        while self.failures.front().is_some_and(|t| t.elapsed() >= window) {
            self.failures.pop_front();
        }
        let backoff = self.delay.mul_f64(jitter(0.5, 1.0));
        if self.failures.len() >= self.cfg.max_attempts_per_window.max(1)
            && let Some(first) = self.failures.front()
        {
            let cap = (*first + window).saturating_duration_since(Instant::now());
            if cap > backoff {
                return (cap, true);
            }
        }
        (backoff, false)
    }

    /// Wait `wait`; when the camera did not answer (`unreachable`), end the wait as soon as it
    /// answers again: it is asked the time, unauthenticated (no account can be locked by
    /// it, and it is the cheapest request there is), about every [`PROBE_EVERY`]. A fault or
    /// a refusal is an answer too. An answer ends the wait only when a probe went unanswered
    /// before it (`was_down`, kept across the waits of one recovery and cleared by the answer
    /// that ends a wait): a camera that answers while never having failed a probe did not go
    /// away (only its event service fails), and the full back-off is waited. Creation
    /// attempts stay under the back-off and the cap.
    async fn wait_or_until_back(&self, wait: Duration, unreachable: bool, was_down: &mut bool) {
        let deadline = Instant::now() + wait;
        if !unreachable {
            return tokio::time::sleep_until(deadline).await;
        }
        let url = self.camera.device_url().clone();
        loop {
            let next = Instant::now() + PROBE_EVERY.mul_f64(jitter(0.75, 1.0));
            if next >= deadline {
                return tokio::time::sleep_until(deadline).await;
            }
            tokio::time::sleep_until(next).await;
            let probe = tokio::time::timeout_at(
                deadline.min(Instant::now() + PROBE_LIMIT),
                self.camera
                    .exchange::<onvif_proto::ops::device::GetSystemDateAndTime>(
                        &url,
                        &onvif_proto::ops::device::GetSystemDateAndTime,
                        false,
                    ),
            )
            .await;
            let answered = match probe {
                Ok(Ok(_)) => true,
                Ok(Err(e)) if e.kind() != crate::error::ErrorKind::Network => true,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "the camera does not answer yet");
                    false
                }
                Err(_) => {
                    tracing::debug!("the camera does not answer yet (no answer in time)");
                    false
                }
            };
            match (answered, *was_down) {
                (true, true) => {
                    *was_down = false;
                    return;
                }
                (true, false) => {
                    tracing::debug!(
                        "the camera answers and did not go away: waiting out the back-off"
                    );
                    return tokio::time::sleep_until(deadline).await;
                }
                (false, _) => *was_down = true,
            }
            if Instant::now() >= deadline {
                return;
            }
        }
    }

    /// Signal a wait the attempt cap made longer than the back-off.
    async fn tell_capped(&self, retry_in: Duration) {
        self.emit(SessionItem::Lifecycle(Lifecycle::AttemptCapReached {
            failures: self.failures.len(),
            window: self.cfg.attempt_window,
            retry_in,
        }))
        .await;
    }

    /// The subscription died: report it, then re-create with back-off until it works or the
    /// session is stopped. Credentials refused (now, or by a re-creation) end the session:
    /// retrying them would lock the account on cameras that do so. Only failed attempts count
    /// against the cap (a re-creation whose subscription died before it ever worked is one).
    async fn recover(&mut self, e: Error, what: &str) -> Option<Sub> {
        if let Some(t) = self.unproven.take() {
            self.failures.push_back(t);
        }
        if e.is_auth() {
            self.emit(SessionItem::Lifecycle(Lifecycle::Lost {
                reason: format!("{what}{e}; the credentials are refused, giving up"),
            }))
            .await;
            return None;
        }
        self.emit(SessionItem::Lifecycle(Lifecycle::Lost {
            reason: format!("{what}{e}"),
        }))
        .await;
        let (mut wait, capped) = self.next_wait();
        if capped {
            self.tell_capped(wait).await;
        }
        // The camera did not answer: the next attempt may come sooner, when it answers again.
        let mut unreachable = e.kind() == crate::error::ErrorKind::Network && !capped;
        // A probe went unanswered since the last answer: the camera was really unreachable.
        let mut was_down = false;
        loop {
            let mut stop = self.stop.clone();
            tokio::select! {
                () = self.wait_or_until_back(wait, unreachable, &mut was_down) => {}
                _ = stop.changed() => return None,
            }
            if self.stopped() {
                return None;
            }
            match self.create(false).await {
                Ok(mut sub) => {
                    self.unproven = Some(Instant::now());
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
                    self.failures.push_back(Instant::now());
                    self.delay = (self.delay * 2).min(self.cfg.backoff_max);
                    let capped;
                    (wait, capped) = self.next_wait();
                    unreachable = e.kind() == crate::error::ErrorKind::Network && !capped;
                    self.emit(SessionItem::Lifecycle(Lifecycle::RetryFailed {
                        reason: e.to_string(),
                        retry_in: wait,
                        sooner_when_back: unreachable && wait > PROBE_EVERY,
                    }))
                    .await;
                    if capped {
                        self.tell_capped(wait).await;
                    }
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

    /// The subscription failed with `e` (in `what`, said first): re-create it (unsubscribing
    /// it first when it may still be alive), or end the session.
    async fn replace(&mut self, sub: &Sub, e: Error, what: &str) -> Option<Sub> {
        if !is_resource_unknown(&e) && !e.is_auth() {
            self.unsubscribe_quietly(sub).await;
        }
        self.recover(e, what).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_person_says_them() {
        let d = Duration::from_secs;
        assert_eq!(human_duration(Duration::from_millis(800)), "0.8 s");
        assert_eq!(human_duration(d(42)), "42 s");
        assert_eq!(human_duration(d(250)), "4 min 10 s");
        assert_eq!(human_duration(d(600)), "10 min");
        assert_eq!(human_duration(d(7500)), "2 h 5 min");
        let l = Lifecycle::AttemptCapReached {
            failures: 10,
            window: d(600),
            retry_in: d(250),
        };
        assert_eq!(
            l.to_string(),
            "attempt cap reached (10 failed attempts in 10 min): next try in 4 min 10 s"
        );
    }
}
