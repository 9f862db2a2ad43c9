//! The camera's event source and its pull-point subscriptions.
//!
//! These properties are reported: motion (`tns1:RuleEngine/CellMotionDetector/Motion`,
//! `IsMotion`), each digital input (`tns1:Device/Trigger/DigitalInput`, `InputToken`,
//! `LogicalState` true/false), each relay (`tns1:Device/Trigger/Relay`, `RelayToken`,
//! `LogicalState` active/inactive) and tamper (`tns1:VideoSource/GlobalSceneChange/ImagingService`,
//! `State`). Tests change them through [`crate::SimHandle`] (`emit_motion`, `set_input`, ...),
//! relays through SetRelayOutputState; [`SimConfig::events_motion_every`] toggles motion
//! periodically. Each change is queued, as a `Changed` message, on every live subscription
//! whose filter matches, and wakes the PullMessages waiting on it. A new subscription (and a
//! SetSynchronizationPoint) first gets the current states as `Initialized` messages.
//! The last 64 changes are kept (`PersistentNotificationStorage` is reported): Seek replaces
//! a pull point's queue with those from its `UtcTime` on, or with `Reverse` those up to it,
//! newest first.
//!
//! Subscriptions live at `/onvif/subscription/<id>` and carry a reference parameter
//! `<sim:SubscriptionId xmlns:sim="urn:onvif-sim">`, which must come back as a SOAP header
//! only with [`crate::Quirk::RefParamsRequired`] or [`crate::SimConfig::strict`].
//!
//! [`SimConfig::events_motion_every`]: crate::SimConfig::events_motion_every

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::ns::TT;
use onvif_proto::ops::events::{
    ElementItem, NotificationMessage, PropertyOperation, SimpleItem, TopicFilter,
};
use onvif_proto::xml::Element;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::names::names;
use crate::sync::lock;

/// Where subscription managers live (`/onvif/subscription/<id>`).
pub(crate) const MANAGER_PATH: &str = "/onvif/subscription";
/// The namespace of the reference parameter.
pub(crate) const SIM_NS: &str = "urn:onvif-sim";
/// The reason of the (never sent) fault by which a handler asks for its connection to be cut.
pub(crate) const CUT_CONNECTION: &str = "\u{0}onvif-sim: cut the connection";
/// Messages kept per subscription; older ones are dropped.
const QUEUE_CAP: usize = 1000;
/// Past messages kept for Seek (the camera's "persistent notification storage").
pub(crate) const HISTORY_CAP: usize = 64;

/// Motion topic.
pub(crate) const MOTION: &str = "RuleEngine/CellMotionDetector/Motion";
/// Digital input topic.
pub(crate) const DIGITAL_INPUT: &str = "Device/Trigger/DigitalInput";
/// Relay topic.
pub(crate) const RELAY: &str = "Device/Trigger/Relay";
/// Tamper topic.
pub(crate) const TAMPER: &str = "VideoSource/GlobalSceneChange/ImagingService";
/// Link status topic (its `Link` data item is an ElementItem).
pub(crate) const LINK_STATUS: &str = "Monitoring/LinkStatus";

/// One pull-point subscription.
pub(crate) struct Subscription {
    pub queue: VecDeque<NotificationMessage>,
    pub expires: Instant,
    pub filter: Option<TopicFilter>,
    /// For a push subscription: its delivery task's queue (dropping it ends the task).
    pub push: Option<tokio::sync::mpsc::Sender<NotificationMessage>>,
    /// [`EventQuirk::StopsQueueing`] was switched on while it existed: it is sent nothing
    /// more, though it answers as before.
    pub deaf: bool,
}

/// Subscriptions and states.
#[derive(Default)]
pub(crate) struct HubState {
    next: u64,
    pub subs: BTreeMap<String, Subscription>,
    motion: bool,
    tamper: bool,
    /// The state of each digital input and relay, by (topic, token), in token order.
    keyed: BTreeMap<(&'static str, String), bool>,
    /// The network link's speed in Mbit/s, once [`crate::SimHandle::emit_link_status`] set one.
    link_speed: Option<u32>,
    /// The event service is down: subscriptions are refused.
    pub outage: bool,
    /// Event quirks switched on.
    pub quirks: std::collections::BTreeSet<EventQuirk>,
    /// The next this many PullMessages answer with a Receiver fault (HTTP 500).
    pub fail_pulls: u32,
    /// The next this many Renew answer with a Receiver fault (HTTP 500).
    pub fail_renews: u32,
    /// The last [`HISTORY_CAP`] changes, oldest first, that Seek replays.
    pub history: VecDeque<NotificationMessage>,
}

/// Event-service behaviour copied from real cameras; switched on with
/// [`crate::SimConfig::event_quirk`] or at run time with [`crate::SimHandle::set_event_quirk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventQuirk {
    /// A relative termination time (`PT60S`) is ignored: the subscription gets
    /// [`IGNORED_RELATIVE_GRANT`] whatever was asked; absolute times are honoured.
    IgnoresRelativeDurations,
    /// Renew is answered with a Receiver fault (the subscription itself stays as it was).
    RenewFault,
    /// One Unsubscribe cancels every subscription.
    CancelAllOnUnsubscribe,
    /// PullMessages answers at once, empty when nothing is queued, whatever its Timeout.
    PullIgnoresTimeout,
    /// Every grant (creation or renewal) is [`SHORT_GRANT`], whatever was asked.
    ShortGrants,
    /// Renew is answered `ter:ActionNotSupported` (HTTP 500, a Receiver fault): subscriptions last the time
    /// granted at creation.
    RenewUnsupported,
    /// CreatePullPointSubscription and Subscribe are cut without an answer (a failure of the
    /// network class) while every other operation is answered.
    CreateCut,
    /// Subscriptions stay alive and answering (pulls, renewals, SetSynchronizationPoint) but
    /// are sent nothing, not even the states a synchronization point asks for: those that
    /// exist when it is switched on from then on, those created while it is on after their
    /// initial states (events that stop after hours on a subscription the camera keeps:
    /// home-assistant/core#36336). Switched off, new subscriptions work again.
    StopsQueueing,
    /// PullMessages does not keep a pull point alive: it ends at the termination time of its
    /// creation or last renewal (ONVIF Core 9.1.1 has each long poll keep it alive for at
    /// least its timeout; onvif/specs#506 names a device that does not).
    PullNoKeepalive,
}

/// What a camera with [`EventQuirk::ShortGrants`] grants.
pub const SHORT_GRANT: Duration = Duration::from_secs(1);

/// What a camera with [`EventQuirk::IgnoresRelativeDurations`] grants.
pub const IGNORED_RELATIVE_GRANT: Duration = Duration::from_secs(5);

impl EventQuirk {
    /// Every event quirk.
    pub const ALL: [EventQuirk; 9] = [
        EventQuirk::IgnoresRelativeDurations,
        EventQuirk::RenewFault,
        EventQuirk::CancelAllOnUnsubscribe,
        EventQuirk::PullIgnoresTimeout,
        EventQuirk::ShortGrants,
        EventQuirk::RenewUnsupported,
        EventQuirk::CreateCut,
        EventQuirk::StopsQueueing,
        EventQuirk::PullNoKeepalive,
    ];

    /// Short name: `ignores-relative`, `renew-fault`, `cancel-all`, `pull-at-once`,
    /// `short-grants`, `renew-unsupported`, `create-cut`, `stops-queueing`,
    /// `pull-no-keepalive`.
    pub fn name(self) -> &'static str {
        match self {
            EventQuirk::IgnoresRelativeDurations => "ignores-relative",
            EventQuirk::RenewFault => "renew-fault",
            EventQuirk::CancelAllOnUnsubscribe => "cancel-all",
            EventQuirk::PullIgnoresTimeout => "pull-at-once",
            EventQuirk::ShortGrants => "short-grants",
            EventQuirk::RenewUnsupported => "renew-unsupported",
            EventQuirk::CreateCut => "create-cut",
            EventQuirk::StopsQueueing => "stops-queueing",
            EventQuirk::PullNoKeepalive => "pull-no-keepalive",
        }
    }
}

names!(EventQuirk, "event quirk");

impl HubState {
    /// Is this quirk on?
    pub fn has(&self, q: EventQuirk) -> bool {
        self.quirks.contains(&q)
    }
}

/// Event subscriptions and the states events report, shared by the handlers.
#[derive(Default)]
pub(crate) struct EventHub {
    pub state: Mutex<HubState>,
    /// Woken at every change (new messages, removed subscriptions).
    pub wake: Notify,
    /// The port of the subscription managers when they have one of their own (Tapo).
    pub manager_port: std::sync::OnceLock<u16>,
    /// PullMessages waiting now, and a signal at every change of that count.
    pub pulls_waiting: tokio::sync::watch::Sender<usize>,
    /// Long polls cut (the connection dropped without an answer) so far.
    pub pulls_cut: tokio::sync::watch::Sender<u64>,
    /// The camera is down ([`crate::SimHandle::power_off`]).
    pub down: tokio::sync::watch::Sender<bool>,
    /// While down, requests are held unanswered (a frozen camera) rather than cut at once.
    pub frozen: std::sync::atomic::AtomicBool,
    /// How many times the camera went down (a request that saw it change was in flight).
    pub power_cycles: std::sync::atomic::AtomicU64,
    /// Changes emitted so far (each a `Changed` message).
    pub emitted: std::sync::atomic::AtomicU64,
    /// A reboot was asked (SystemReboot): `handle::reboots` takes the camera down.
    pub reboot: Notify,
}

impl EventHub {
    /// The camera goes down (see [`crate::SimHandle::power_off`]).
    pub(crate) fn power_off(&self, frozen: bool) {
        self.frozen
            .store(frozen, std::sync::atomic::Ordering::SeqCst);
        self.power_cycles
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.down.send_replace(true);
        lock(&self.state).subs.clear();
        self.wake.notify_waiters();
    }

    /// The camera is back (see [`crate::SimHandle::power_on`]).
    pub(crate) fn power_on(&self) {
        self.down.send_replace(false);
    }

    /// The number of times the camera went down so far.
    pub(crate) fn power_cycles(&self) -> u64 {
        self.power_cycles.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A request arriving, or finishing, while the camera is down (or after it went down
    /// `since` the request arrived) is not answered: its connection is cut, at once or, when
    /// the camera is frozen, once it is back (as a restarted camera's connections are).
    /// `true` means cut it.
    pub(crate) async fn held_while_down(&self, since: u64) -> bool {
        let mut rx = self.down.subscribe();
        if !*rx.borrow_and_update() && self.power_cycles() == since {
            return false;
        }
        if self.frozen.load(std::sync::atomic::Ordering::SeqCst) {
            let _ = rx.wait_for(|down| !*down).await;
        }
        true
    }
}

/// A motion or tamper message (inputs and relays are [`keyed_message`]s).
fn message(path: &str, now: Timestamp, op: PropertyOperation, state: bool) -> NotificationMessage {
    let b = if state { "true" } else { "false" };
    let (source, data) = match path {
        MOTION => (
            vec![
                // The configurations and rule the media and analytics services name.
                SimpleItem::new("VideoSourceConfigurationToken", crate::media::SOURCE_CONFIG),
                SimpleItem::new(
                    "VideoAnalyticsConfigurationToken",
                    crate::analytics::ANALYTICS_CONFIG,
                ),
                SimpleItem::new("Rule", crate::analytics::MOTION_RULE),
            ],
            "IsMotion",
        ),
        _ => (vec![SimpleItem::new("Source", "VideoSource_1")], "State"),
    };
    NotificationMessage::onvif(path, now, op, source, vec![SimpleItem::new(data, b)])
}

/// A digital input's or a relay's message: the input's `LogicalState` is a boolean, the
/// relay's `active` or `inactive` (tt:RelayLogicalState).
fn keyed_message(
    path: &str,
    token: &str,
    now: Timestamp,
    op: PropertyOperation,
    state: bool,
) -> NotificationMessage {
    let (source, value) = if path == RELAY {
        ("RelayToken", if state { "active" } else { "inactive" })
    } else {
        ("InputToken", if state { "true" } else { "false" })
    };
    NotificationMessage::onvif(
        path,
        now,
        op,
        vec![SimpleItem::new(source, token)],
        vec![SimpleItem::new("LogicalState", value)],
    )
}

/// A `tns1:Monitoring/LinkStatus` message: its `Link` data item is an element
/// (`tt:Link` with AutoNegotiation, Speed and Duplex), as cameras send it.
fn link_message(now: Timestamp, op: PropertyOperation, speed: u32) -> NotificationMessage {
    let mut link = Element::new(Some(TT), "Link");
    for (name, text) in [
        ("AutoNegotiation", "true".to_owned()),
        ("Speed", speed.to_string()),
        ("Duplex", "Full".to_owned()),
    ] {
        let mut c = Element::new(Some(TT), name);
        c.text = text;
        link.children.push(c);
    }
    let mut m = NotificationMessage::onvif(
        LINK_STATUS,
        now,
        op,
        vec![SimpleItem::new("InterfaceToken", "eth0")],
        Vec::new(),
    );
    m.message.data_elements = vec![ElementItem::new("Link", link)];
    m
}

impl HubState {
    /// The current states, as `Initialized` messages.
    pub fn initial(&self, now: Timestamp) -> Vec<NotificationMessage> {
        let link = self
            .link_speed
            .map(|s| link_message(now, PropertyOperation::Initialized, s));
        let keyed = |topic: &'static str| {
            self.keyed
                .iter()
                .filter(move |((t, _), _)| *t == topic)
                .map(move |((t, token), on)| {
                    keyed_message(t, token, now, PropertyOperation::Initialized, *on)
                })
        };
        let mut v = vec![message(
            MOTION,
            now,
            PropertyOperation::Initialized,
            self.motion,
        )];
        v.extend(keyed(DIGITAL_INPUT));
        v.push(message(
            TAMPER,
            now,
            PropertyOperation::Initialized,
            self.tamper,
        ));
        v.extend(keyed(RELAY));
        v.extend(link);
        v
    }

    /// Queue messages on one subscription, through its filter.
    pub fn queue(sub: &mut Subscription, msgs: impl IntoIterator<Item = NotificationMessage>) {
        if sub.deaf {
            return;
        }
        for m in msgs {
            if sub.filter.as_ref().is_some_and(|f| !f.matches(&m.topic)) {
                continue;
            }
            if let Some(tx) = &sub.push {
                // A consumer that does not take them: the newest are dropped past the cap.
                let _ = tx.try_send(m);
                continue;
            }
            if sub.queue.len() >= QUEUE_CAP {
                sub.queue.pop_front();
            }
            sub.queue.push_back(m);
        }
    }

    /// A new subscription's id (unguessable enough for a simulator: a counter and random bits).
    pub fn new_id(&mut self) -> String {
        self.next += 1;
        let mut r = [0u8; 6];
        let _ = getrandom::fill(&mut r);
        let hex: String = r.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{hex}", self.next)
    }

    /// Drop expired subscriptions.
    pub fn reap(&mut self, now: Instant) {
        self.subs.retain(|_, s| s.expires > now);
    }
}

impl EventHub {
    /// Set a property at camera time `now` and queue the change on every subscription
    /// (unchanged states are not reported).
    pub(crate) fn emit(&self, now: Timestamp, path: &'static str, state: bool) {
        if path == DIGITAL_INPUT {
            self.emit_keyed(now, path, "DigitalInput_1", state);
            return;
        }
        {
            let mut st = lock(&self.state);
            let slot = match path {
                MOTION => &mut st.motion,
                _ => &mut st.tamper,
            };
            if *slot == state {
                return;
            }
            *slot = state;
            let m = message(path, now, PropertyOperation::Changed, state);
            st.publish(m);
        }
        self.emitted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.wake.notify_waiters();
    }

    /// A digital input or relay (`path` is [`DIGITAL_INPUT`] or [`RELAY`]) changes at camera
    /// time `now`; unchanged states are not reported.
    pub(crate) fn emit_keyed(&self, now: Timestamp, path: &'static str, token: &str, state: bool) {
        {
            let mut st = lock(&self.state);
            let slot = st.keyed.entry((path, token.to_owned())).or_default();
            if *slot == state {
                return;
            }
            *slot = state;
            st.publish(keyed_message(
                path,
                token,
                now,
                PropertyOperation::Changed,
                state,
            ));
        }
        self.emitted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.wake.notify_waiters();
    }

    /// Declare a digital input or relay, inactive, so that new subscriptions report it.
    pub(crate) fn declare(&self, path: &'static str, token: &str) {
        lock(&self.state)
            .keyed
            .entry((path, token.to_owned()))
            .or_default();
    }

    /// The state of a digital input or relay.
    pub(crate) fn keyed_state(&self, path: &'static str, token: &str) -> Option<bool> {
        lock(&self.state)
            .keyed
            .get(&(path, token.to_owned()))
            .copied()
    }

    /// The link speed changes at camera time `now` (a `tns1:Monitoring/LinkStatus` message).
    pub(crate) fn emit_link(&self, now: Timestamp, speed: u32) {
        {
            let mut st = lock(&self.state);
            if st.link_speed == Some(speed) {
                return;
            }
            st.link_speed = Some(speed);
            st.publish(link_message(now, PropertyOperation::Changed, speed));
        }
        self.emitted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.wake.notify_waiters();
    }
}

impl HubState {
    /// Record a change and queue it on every subscription.
    /// Store and queue a change. The camera's clock counts milliseconds: changes made in
    /// the same one are dated a millisecond apart, in order, so that a Seek tells them
    /// apart. (A clock set back by more than a second is not hidden.)
    fn publish(&mut self, mut m: NotificationMessage) {
        self.reap(Instant::now());
        let last = self.history.back().and_then(|l| l.message.utc_time);
        if let (Some(t), Some(last)) = (m.message.utc_time, last)
            && t <= last
            && last.duration_since(t) < jiff::SignedDuration::from_secs(1)
        {
            m.message.utc_time = last.checked_add(jiff::SignedDuration::from_millis(1)).ok();
        }
        if self.history.len() >= HISTORY_CAP {
            self.history.pop_front();
        }
        self.history.push_back(m.clone());
        for sub in self.subs.values_mut() {
            HubState::queue(sub, [m.clone()]);
        }
    }
}

/// Where a push subscription's notifications go, as checked by [`Consumer::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Consumer {
    /// The address as the subscriber gave it (written in each Notify's `wsa:To`).
    pub url: String,
    /// Where to connect.
    pub addr: std::net::SocketAddr,
    /// The `Host` header.
    pub authority: String,
    /// The path (and query) to POST to.
    pub path: String,
}

impl Consumer {
    /// A consumer address as this camera delivers to it: `http://`, an IP address (or
    /// `localhost`: no name is looked up), no white space or control characters (they would
    /// end up in the request's head), and, for a camera listening on a loopback address, a
    /// loopback address too: a camera kept to this machine does not post elsewhere.
    pub(crate) fn parse(url: &str, bound: std::net::IpAddr) -> Result<Consumer, String> {
        use std::net::{IpAddr, Ipv4Addr, SocketAddr};
        if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("the consumer address holds white space or control characters".into());
        }
        let rest = url
            .strip_prefix("http://")
            .ok_or("this camera delivers to http:// consumers only")?;
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_owned()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_owned()),
        };
        if authority.contains('@') {
            return Err("the consumer address holds user-info".into());
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(r) => {
                let (h, p) = r.split_once(']').ok_or("an IPv6 address without its ']'")?;
                (h, p.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            },
        };
        let port: u16 = match port {
            Some(p) => p
                .parse()
                .map_err(|_| format!("the consumer's port {p:?} is no port"))?,
            None => 80,
        };
        let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
            Ipv4Addr::LOCALHOST.into()
        } else {
            host.parse().map_err(|_| {
                format!(
                    "the consumer's host {host:?} is no IP address (this camera looks up no name)"
                )
            })?
        };
        if bound.is_loopback() && !ip.is_loopback() {
            return Err(format!(
                "this camera listens on {bound} and delivers to loopback consumers only, not {ip}"
            ));
        }
        Ok(Consumer {
            url: url.to_owned(),
            addr: SocketAddr::new(ip, port),
            authority: authority.to_owned(),
            path,
        })
    }
}

/// How many notifications wait for a push consumer at most; past it the newest are dropped.
pub(crate) const PUSH_QUEUE_CAP: usize = 1000;

/// Deliver a push subscription's messages to its consumer, in order, each batch as one
/// `Notify` POST; ends when the subscription is dropped.
///
/// `give_up_after`: that many failed deliveries in a row end it (a replay's subscriber that
/// went away); `None`: never (a live subscription lasts its termination time, as a camera's).
pub(crate) async fn deliver(
    target: Consumer,
    mut rx: tokio::sync::mpsc::Receiver<NotificationMessage>,
    give_up_after: Option<u32>,
) {
    let consumer = target.url.clone();
    let mut failed = 0u32;
    while let Some(first) = rx.recv().await {
        let mut messages = vec![first];
        while let Ok(m) = rx.try_recv() {
            messages.push(m);
        }
        let mut w = onvif_proto::xml::Writer::with_capacity(2048);
        onvif_proto::Message::write(&onvif_proto::ops::events::Notify { messages }, &mut w);
        let header = format!(
            "<wsa:Action>{}</wsa:Action><wsa:To>{}</wsa:To>",
            onvif_proto::ops::events::action::NOTIFY,
            onvif_proto::xml::escape(&consumer)
        );
        let body = onvif_proto::soap::envelope(Some(&header), w.as_str());
        match tokio::time::timeout(Duration::from_secs(5), post(&target, &body)).await {
            Ok(Ok(status)) if (200..300).contains(&status) => {
                failed = 0;
                continue;
            }
            Ok(Ok(status)) => tracing::debug!(consumer, status, "Notify refused"),
            Ok(Err(e)) => tracing::debug!(consumer, error = %e, "Notify not delivered"),
            Err(_) => tracing::debug!(consumer, "Notify timed out"),
        }
        failed += 1;
        if give_up_after.is_some_and(|n| failed >= n) {
            tracing::debug!(consumer, failed, "no longer delivering");
            return;
        }
    }
}

/// A minimal HTTP/1.1 POST (the simulator has no HTTP client); returns the status code.
async fn post(to: &Consumer, body: &str) -> std::io::Result<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, m.to_owned());
    let (authority, path) = (&to.authority, &to.path);
    let mut stream = tokio::net::TcpStream::connect(to.addr).await?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/soap+xml; \
         charset=utf-8; action=\"{}\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        onvif_proto::ops::events::action::NOTIFY,
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > 65_536 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&buf);
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no HTTP status in the answer"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use super::{Consumer, MOTION, deliver, message};
    use onvif_proto::ops::events::PropertyOperation;

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const ANY: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

    #[test]
    fn consumers_are_ip_addresses_and_kept_to_loopback_on_a_loopback_camera() {
        let c = Consumer::parse("http://127.0.0.1:9000/onvif-events/ab?x=1", LOOPBACK).unwrap();
        assert_eq!(c.addr, "127.0.0.1:9000".parse().unwrap());
        assert_eq!(
            (c.authority.as_str(), c.path.as_str()),
            ("127.0.0.1:9000", "/onvif-events/ab?x=1")
        );
        let c = Consumer::parse("http://[::1]:9000", IpAddr::V6(Ipv6Addr::LOCALHOST)).unwrap();
        assert_eq!((c.addr.port(), c.path.as_str()), (9000, "/"));
        assert_eq!(
            Consumer::parse("http://localhost/x", LOOPBACK)
                .unwrap()
                .addr
                .port(),
            80
        );
        // Listening on every address: any IP address, still no name.
        assert!(Consumer::parse("http://192.0.2.7:8080/n", ANY).is_ok());
        for (url, bound, why) in [
            (
                "http://192.0.2.7:8080/n",
                LOOPBACK,
                "loopback consumers only",
            ),
            ("https://127.0.0.1/n", LOOPBACK, "http://"),
            ("http://camera.example/n", ANY, "no IP address"),
            ("http://127.0.0.1:99999/n", LOOPBACK, "no port"),
            ("http://u:p@127.0.0.1/n", LOOPBACK, "user-info"),
            ("http://[::1/n", LOOPBACK, "']'"),
            (
                "http://127.0.0.1:2375/x HTTP/1.1\r\nHost: a\r\n\r\nPOST /containers/create",
                LOOPBACK,
                "white space or control",
            ),
            ("http://127.0.0.1/x\ty", LOOPBACK, "white space or control"),
        ] {
            let e = Consumer::parse(url, bound).unwrap_err();
            assert!(e.contains(why), "{url:?}: {e}");
        }
    }

    #[tokio::test]
    async fn a_subscriber_gone_is_given_up_after_its_failures_when_asked() {
        // Nothing listens there: bound, then let go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let target = Consumer::parse(&format!("http://127.0.0.1:{port}/x"), LOOPBACK).unwrap();
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        tokio::spawn(deliver(target, rx, Some(3)));
        let now = jiff::Timestamp::now();
        // Sent until the delivery ends (its receiver gone): it gave up.
        let gave_up = async {
            loop {
                let m = message(MOTION, now, PropertyOperation::Changed, true);
                if tx.send(m).await.is_err() {
                    return;
                }
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(30), gave_up)
            .await
            .unwrap();
    }
}
