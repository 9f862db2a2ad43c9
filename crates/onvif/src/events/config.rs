//! How a session behaves, and where a push session listens.

use std::net::SocketAddr;
use std::time::Duration;

use onvif_proto::ops::events::{KindTable, TopicFilter};
use onvif_proto::session;

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
    /// The session machine's own defaults ([`session::Config::default`]), every event, the
    /// built-in kind table.
    fn default() -> Self {
        let d = session::Config::default();
        SessionConfig {
            filter: None,
            termination: d.termination,
            pull_timeout: d.pull_timeout,
            message_limit: d.message_limit,
            backoff_initial: d.backoff_initial,
            backoff_max: d.backoff_max,
            max_attempts_per_window: d.max_attempts_per_window,
            attempt_window: d.attempt_window,
            liveness: d.liveness,
            unsubscribe_on_close: d.unsubscribe_on_close,
            kinds: KindTable::default(),
            channel_capacity: 1024,
            drop_reference_parameters: false,
        }
    }
}

impl SessionConfig {
    /// The settings of the session's decisions.
    pub(crate) fn decisions(&self) -> session::Config {
        session::Config {
            termination: self.termination,
            pull_timeout: self.pull_timeout,
            message_limit: self.message_limit,
            backoff_initial: self.backoff_initial,
            backoff_max: self.backoff_max,
            max_attempts_per_window: self.max_attempts_per_window,
            attempt_window: self.attempt_window,
            liveness: self.liveness,
            unsubscribe_on_close: self.unsubscribe_on_close,
        }
    }
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

/// The deadlines and caps of the push listener.
#[derive(Debug, Clone, Copy)]
pub struct PushLimits {
    /// From the accept to the end of the request head (default 5 s).
    pub head_timeout: Duration,
    /// From the accept to the end of the request body (default 10 s).
    pub request_timeout: Duration,
    /// Connections held at once (default 64; at least 1).
    pub max_connections: usize,
    /// Connections held at once from one IP address (IPv6: /64) before its stuck ones make room
    /// (default 16; at least 1).
    pub max_connections_per_peer: usize,
}

impl Default for PushLimits {
    fn default() -> Self {
        PushLimits {
            head_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            max_connections: 64,
            max_connections_per_peer: 16,
        }
    }
}
