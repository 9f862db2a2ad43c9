//! What goes in and out of a [`Session`](super::Session): its settings, the requests it asks
//! for, and the answers it is fed.

use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};

use crate::ops::events::{KindTable, TerminationTime, TopicFilter};

/// The shortest time between two renewals (about a second, but short enough that a 1 s grant
/// is still renewed before it runs out).
pub const MIN_RENEW_GAP: Duration = Duration::from_millis(750);
/// While a camera does not answer, it is asked the time (unauthenticated) about this often,
/// so a re-creation follows soon after it is back whatever the back-off has grown to.
pub const PROBE_EVERY: Duration = Duration::from_secs(2);
/// How long a camera may take to answer that probe.
pub const PROBE_LIMIT: Duration = Duration::from_secs(2);
/// How long the Unsubscribe of a subscription given up may take.
pub const UNSUBSCRIBE_LIMIT: Duration = Duration::from_secs(3);
/// Pause after a long poll answered empty far sooner than asked.
pub const EARLY_EMPTY_PAUSE: Duration = Duration::from_secs(1);
/// How long a re-created subscription must have worked before the back-off and the count of
/// failed attempts start over: its first answers (the states SetSynchronizationPoint asks
/// for come at once) prove little when a camera that keeps few subscriptions evicts it soon.
pub const PROVEN_AFTER: Duration = Duration::from_secs(30);

/// How long after a synchronization point (or a creation) the camera's current states may
/// take to arrive: the first events within it show that the camera answers one with states,
/// and a silence probe answered with nothing within it finds a subscription that no longer
/// delivers ([`Config::silence`]).
pub const SILENCE_GRACE: Duration = Duration::from_secs(15);

/// How a session behaves: its decisions, and what the driver subscribes to, how it types
/// events and how many it buffers (the machine itself reads only the decisions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Topic filter; `None` (the default) for every event.
    pub filter: Option<TopicFilter>,
    /// Termination time asked at creation and at each renewal (default 60 s).
    pub termination: Duration,
    /// PullMessages `Timeout` (default 10 s; the HTTP request may take a few seconds more).
    pub pull_timeout: Duration,
    /// PullMessages `MessageLimit` (default 100).
    pub message_limit: u32,
    /// First re-creation delay (default 1 s), doubled after each failure, with jitter.
    pub backoff_initial: Duration,
    /// Longest re-creation delay (default 60 s).
    pub backoff_max: Duration,
    /// At most this many failed creation attempts (CreatePullPointSubscription or Subscribe)
    /// per [`Config::attempt_window`] (default 10); a re-created subscription that works
    /// clears the count (and the back-off).
    pub max_attempts_per_window: usize,
    /// The window of the attempt cap (default 10 minutes).
    pub attempt_window: Duration,
    /// Push mode: check the subscription this often with a Renew (which also keeps it alive),
    /// so a camera that restarted and forgot it is noticed within this time, not at the next
    /// renewal; `None` checks only at renewals. A pull session needs none: its long polls are
    /// its checks. Successful checks are not signalled; a notification received since the last
    /// check replaces it; one failed check is tried again at once before the subscription is
    /// replaced; a check refused as not supported turns checks off for the subscription.
    /// Default 5 s.
    pub liveness: Option<Duration>,
    /// After this long without an event, ask the camera for its current states again
    /// (SetSynchronizationPoint). When the camera answered the subscription's creation (or
    /// its last synchronization point) with states, and now sends nothing within
    /// [`SILENCE_GRACE`], the subscription no longer delivers: some firmwares keep it but stop
    /// queueing, and in push mode notifications may no longer reach us while Renew still
    /// works. It is then replaced (`Lost`, then `Recreated`). A camera that answers neither
    /// a creation nor a synchronization point with states is never judged by its silence; on
    /// one that never answered a probe, each unanswered probe in a row doubles the silence
    /// (up to 4 hours), as it may just ignore SetSynchronizationPoint. At least a minute;
    /// `None` or zero never asks. Default 10 minutes.
    pub silence: Option<Duration>,
    /// Unsubscribe when the session is closed (the default; some cameras cancel every
    /// subscription on one Unsubscribe: then turn this off and let it expire).
    pub unsubscribe_on_close: bool,
    /// Ask termination times as absolute times in the camera's clock from the start (for a
    /// camera known to ignore durations; otherwise, by default, the session switches when it
    /// sees one).
    pub absolute_times: bool,
    /// The table that gives events their kind (default: the built-in one).
    pub kinds: KindTable,
    /// Capacity of the driver's channel of items (default 1024). A reader that falls this
    /// far behind holds the session up: nothing is pulled or renewed until it takes items (a
    /// subscription left unrenewed then expires, and is made again). In push mode the
    /// listener keeps what the camera posts meanwhile, and drops what is not taken within
    /// 10 s, saying so (`EventsDropped`).
    pub channel_capacity: usize,
    /// Deliver every state the camera sends, also an `Initialized` one that repeats the state
    /// last delivered for its property since the subscription was last `Lost` (a
    /// re-creation's states come twice, with a synchronization point's, and a quiet
    /// subscription is asked for its states). Off by default: the driver keeps such repeats
    /// back ([`super::States`]), so after a loss each state comes once.
    pub repeat_states: bool,
    /// Testing only: do not echo reference parameters (the camera must refuse the requests).
    #[doc(hidden)]
    pub drop_reference_parameters: bool,
}

impl Default for Config {
    /// Every event, the built-in kind table, and the decisions' defaults.
    fn default() -> Self {
        Config {
            filter: None,
            termination: Duration::from_secs(60),
            pull_timeout: Duration::from_secs(10),
            message_limit: 100,
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            max_attempts_per_window: 10,
            attempt_window: Duration::from_secs(600),
            liveness: Some(Duration::from_secs(5)),
            silence: Some(Duration::from_secs(600)),
            unsubscribe_on_close: true,
            absolute_times: false,
            kinds: KindTable::default(),
            channel_capacity: 1024,
            repeat_states: false,
            drop_reference_parameters: false,
        }
    }
}

/// How events reach the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A pull point (CreatePullPointSubscription), polled with PullMessages.
    Pull,
    /// WS-BaseNotification Subscribe: the camera posts `Notify` to the driver's listener.
    Push,
}

/// A termination time to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// This long from now, as an `xs:duration`.
    Relative(Duration),
    /// This long after the camera's current time, as an absolute time in its clock (for a
    /// camera that ignores durations).
    Absolute(Duration),
}

impl Termination {
    /// The termination time to send, `camera_now` being the camera's current time (only the
    /// absolute form uses it).
    pub fn at(self, camera_now: Timestamp) -> TerminationTime {
        match self {
            Termination::Relative(d) => TerminationTime::Relative(d),
            Termination::Absolute(d) => {
                // A duration past what a time can hold asks for the latest time there is.
                let d = SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX);
                TerminationTime::Absolute(camera_now.checked_add(d).unwrap_or(Timestamp::MAX))
            }
        }
    }
}

/// A request the session asks the driver to make. Each is answered with one `handle_*` call
/// (see [`Session`](super::Session)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Create a subscription: CreatePullPointSubscription (pull) or Subscribe (push). When
    /// authentication is refused, the driver measures the camera's clock again and retries
    /// once if it moved: a camera back from a reboot may come back with another clock, and
    /// its refusal is then no verdict on the credentials.
    Create {
        /// The termination time to ask for.
        termination: Termination,
    },
    /// Renew the subscription (its renewal, or in push mode a liveness check).
    Renew {
        /// The termination time to ask for.
        termination: Termination,
    },
    /// PullMessages (pull mode); the HTTP request may take a few seconds more than `timeout`.
    Pull {
        /// The long poll's `Timeout`.
        timeout: Duration,
        /// Its `MessageLimit`.
        message_limit: u32,
    },
    /// SetSynchronizationPoint on the new subscription, so current states are sent again.
    SetSynchronizationPoint,
    /// Unsubscribe the subscription: on close (`limit` `None`), or one given up while it may
    /// still be alive (bounded by `limit`; its failure does not matter).
    Unsubscribe {
        /// How long the request may take, when bounded.
        limit: Option<Duration>,
    },
    /// Ask the camera's device service the time, unauthenticated (no account can be locked
    /// by it), to learn whether it answers again; give up at `deadline`.
    Probe {
        /// When an answer no longer counts.
        deadline: Instant,
    },
}

impl Request {
    /// Whether the driver may drop this request, unanswered, when the session is closed (a
    /// long poll, a probe); the others are answered first.
    pub fn abandonable(&self) -> bool {
        matches!(self, Request::Pull { .. } | Request::Probe { .. })
    }
}

/// A subscription created, or renewed: its times in the camera's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The subscription's address (created only; empty for a renewal).
    pub address: String,
    /// The camera's time when it answered.
    pub current_time: Option<Timestamp>,
    /// When the subscription ends unless renewed.
    pub termination_time: Option<Timestamp>,
    /// The driver's estimate of the camera's clock when the answer came (its clock as
    /// measured), if it has one: the termination time is measured against it when the camera
    /// gives no current time (WS-BaseNotification makes it optional).
    pub estimated_time: Option<Timestamp>,
}

impl Grant {
    /// The time granted: termination minus current time in the camera's clock (our clock
    /// plays no part; without the camera's current time, the driver's estimate of it), or
    /// what was asked when the camera did not say.
    pub fn granted(&self, asked: Duration) -> Duration {
        time_left(
            self.current_time.or(self.estimated_time),
            self.termination_time,
        )
        .unwrap_or(asked)
    }
}

/// What kind of failure a request met, as far as the decisions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// `wsrf-rw:ResourceUnknownFault`: the subscription is gone.
    Gone,
    /// The credentials were refused: retrying would lock the account on cameras that do so.
    Auth,
    /// A fault saying the action is not supported.
    NotSupported,
    /// No connection could be made.
    NoConnection,
    /// Nothing usable came back (a timeout, a connection cut).
    Unanswered,
    /// Anything else: an HTTP error, another fault, an answer that cannot be read.
    Other,
}

impl FailureKind {
    /// The camera did not answer at all (the network class).
    pub fn is_network(self) -> bool {
        matches!(self, FailureKind::NoConnection | FailureKind::Unanswered)
    }
}

/// A failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong, as the user is told (it ends up in the reasons of
    /// [`Lifecycle`](super::Lifecycle) signals).
    pub reason: String,
    /// Its kind.
    pub kind: FailureKind,
}

impl Failure {
    /// A failure of `kind`, told as `reason`.
    pub fn new(kind: FailureKind, reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            kind,
        }
    }
}

/// The wait before a creation attempt in a recovery.
#[derive(Debug, Clone)]
pub(in crate::session) struct Backoff {
    pub(in crate::session) wait: Duration,
    /// When the wait ends: set when the driver next polls, after the signals that announced
    /// the wait are out.
    pub(in crate::session) deadline: Option<Instant>,
    /// The camera did not answer: it is probed meanwhile, and the attempt made as soon as it
    /// answers again (after a probe went unanswered).
    pub(in crate::session) unreachable: bool,
    /// When the next probe goes out.
    pub(in crate::session) next_probe: Option<Instant>,
    /// No more probes: the deadline is waited out.
    pub(in crate::session) to_deadline: bool,
}

impl Backoff {
    pub(in crate::session) fn new(wait: Duration, unreachable: bool) -> Backoff {
        Backoff {
            wait,
            deadline: None,
            unreachable,
            next_probe: None,
            to_deadline: false,
        }
    }
}

/// How long a camera's answer gives, by its own clock: its termination time less its current
/// time, when it gave both (and the one is after the other).
pub(crate) fn time_left(
    current: Option<jiff::Timestamp>,
    termination: Option<jiff::Timestamp>,
) -> Option<Duration> {
    let ms = termination?.as_millisecond() - current?.as_millisecond();
    (ms > 0).then(|| Duration::from_millis(ms.unsigned_abs()))
}
