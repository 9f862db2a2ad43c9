//! The broker connection: connect (again, with back-off, for as long as the bridge runs),
//! announce the bridge (its availability, with `offline` as the MQTT last will), subscribe to
//! the commands and Home Assistant's birth message, publish what the outbox holds while
//! connected, and after every reconnection every retained value again.
//!
//! A retained command is not carried out: the broker hands it over again at every
//! subscription, so a `reboot/set` or `relay/set` left retained would act at every start of
//! the bridge and every reconnection.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rumqttc::{
    AsyncClient, ConnectionError, Event, EventLoop, LastWill, MqttOptions, Packet, QoS, Request,
    TlsConfiguration, Transport,
};
use tokio::sync::{mpsc, watch};

use crate::config::{Broker, MqttSettings};
use crate::metrics::Metrics;
use crate::outbox::{Message, Outbox};
use crate::topics::Topics;

/// A message that arrived from the broker.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Its topic.
    pub topic: String,
    /// Its payload.
    pub payload: Vec<u8>,
}

/// Largest message accepted from the broker (commands are small).
const MAX_INCOMING: usize = 64 * 1024;
/// Largest message sent (snapshots).
const MAX_OUTGOING: usize = 16 * 1024 * 1024;

/// The first wait before connecting again; it doubles up to [`RECONNECT_MAX`].
const RECONNECT_FIRST: Duration = Duration::from_millis(250);
/// The longest wait before connecting again.
const RECONNECT_MAX: Duration = Duration::from_secs(30);
/// A connection that stayed up this long was a working one: when it ends, the back-off starts
/// again from [`RECONNECT_FIRST`] and the loss is told. One that ends sooner (a broker that
/// closes it at once, e.g. for a retained message on a subscribed topic past the size limit)
/// does not: the bridge would otherwise connect, fire its last will and publish everything
/// again four times a second.
const STAYED_UP: Duration = Duration::from_secs(30);
/// How long the bridge looks, at its first connection, at what is retained for cameras no
/// longer configured (the broker hands retained messages over right after subscribing).
const LEFTOVERS_FOR: Duration = Duration::from_secs(5);
/// How many connections the look for leftovers is begun on, at most.
const LEFTOVER_TRIES: u32 = 3;
/// Retained command topics warned about (each once), at most.
const WARNED_AT_MOST: usize = 1024;

/// When to connect to the broker again.
#[derive(Debug)]
struct Reconnect {
    /// The next wait.
    wait: Duration,
    /// When the current connection was accepted.
    up_since: Option<Instant>,
    /// The loss was told (a warning); later failures are only logged at debug level.
    told: bool,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect {
            wait: RECONNECT_FIRST,
            up_since: None,
            told: false,
        }
    }
}

impl Reconnect {
    /// The broker accepted the connection at `now`.
    fn connected(&mut self, now: Instant) {
        self.up_since = Some(now);
    }

    /// The connection ended, or could not be made, at `now`: how long to wait before the next
    /// try, and whether to tell (the first failure since a connection that stayed up).
    fn failed(&mut self, now: Instant) -> (Duration, bool) {
        let stayed_up = self
            .up_since
            .take()
            .is_some_and(|t| now.saturating_duration_since(t) >= STAYED_UP);
        if stayed_up {
            self.wait = RECONNECT_FIRST;
            self.told = false;
        }
        let wait = self.wait;
        self.wait = (self.wait * 2).min(RECONNECT_MAX);
        (wait, !std::mem::replace(&mut self.told, true))
    }
}

fn qos(n: u8) -> QoS {
    match n {
        0 => QoS::AtMostOnce,
        2 => QoS::ExactlyOnce,
        _ => QoS::AtLeastOnce,
    }
}

/// The MQTT options of a bridge; `password` already resolved (config or environment).
pub fn options(
    settings: &MqttSettings,
    broker: &Broker,
    password: Option<&str>,
    topics: &Topics,
) -> Result<MqttOptions, String> {
    // A shard's configured id is its own: shards sharing one config must not push each other
    // off the broker (it keeps one connection per client id).
    let configured = settings.client_id.as_ref().map(|id| match settings.shard {
        Some(i) => format!("{id}-shard-{i}"),
        None => id.clone(),
    });
    let id = configured.unwrap_or_else(|| {
        format!(
            "onvif-bridge-{}",
            std::process::id()
                ^ (std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0))
        )
    });
    let mut o = MqttOptions::new(id, broker.host.clone(), broker.port);
    o.set_keep_alive(Duration::from_secs(30));
    o.set_max_packet_size(MAX_INCOMING, MAX_OUTGOING);
    o.set_last_will(LastWill::new(
        topics.bridge_availability(),
        "offline",
        qos(settings.qos),
        true,
    ));
    match (&settings.user, password) {
        (Some(u), p) => {
            o.set_credentials(u.clone(), p.unwrap_or_default());
        }
        (None, Some(_)) => return Err("an MQTT password without mqtt.user".into()),
        (None, None) => {}
    }
    if broker.tls {
        o.set_transport(Transport::Tls(TlsConfiguration::Rustls(Arc::new(
            tls_config(settings.ca.as_deref())?,
        ))));
    }
    Ok(o)
}

/// TLS that verifies the broker's certificate (with the ring provider): against the
/// certificate authorities of `ca`, a PEM file, or else the system's.
fn tls_config(ca: Option<&std::path::Path>) -> Result<rustls::ClientConfig, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(path) => {
            let shown = path.display();
            let text = std::fs::read(path).map_err(|e| format!("mqtt.ca {shown}: {e}"))?;
            for cert in CertificateDer::pem_slice_iter(&text) {
                let cert = cert.map_err(|e| format!("mqtt.ca {shown}: {e}"))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("mqtt.ca {shown}: a certificate cannot be used: {e}"))?;
            }
            if roots.is_empty() {
                return Err(format!("mqtt.ca {shown}: no PEM certificate in it"));
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            if roots.is_empty() {
                return Err(
                    "mqtts: no root certificates found on this system (give mqtt.ca)".into(),
                );
            }
        }
    }
    Ok(rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// What the connection is: its options, the QoS of what it publishes, the topics, and every
/// camera of the configuration (see [`crate::BridgeConfig::known`]).
pub struct Link {
    /// The MQTT options ([`options`]).
    pub opts: MqttOptions,
    /// The QoS of what is published (0, 1 or 2).
    pub qos: u8,
    /// The topics.
    pub topics: Topics,
    /// Every camera the configuration names (a reload adds to it).
    pub known: Arc<std::sync::Mutex<BTreeSet<String>>>,
}

/// Run the connection until `stop` turns true; then publish the bridge's `offline`, flush
/// what waits (bounded) and disconnect.
pub async fn run(
    link: Link,
    outbox: Arc<Outbox>,
    metrics: Arc<Metrics>,
    incoming: mpsc::Sender<Incoming>,
    mut stop: watch::Receiver<bool>,
) {
    let Link {
        opts,
        qos: q,
        topics,
        known,
    } = link;
    let q = qos(q);
    let (client, mut eventloop) = AsyncClient::new(opts, 256);
    let (connected_tx, connected_rx) = watch::channel(false);
    let publisher = tokio::spawn(publish_loop(
        client.clone(),
        q,
        Arc::clone(&outbox),
        Arc::clone(&metrics),
        connected_rx,
    ));
    let mut reconnect = Reconnect::default();
    let mut warned: HashSet<String> = HashSet::new();
    // Fingerprints of the unretained messages put back after the last connection ended.
    let mut requeued_last: HashSet<u64> = HashSet::new();
    // Looking for what removed cameras left retained: until when, and whether it was done.
    let mut leftovers_until: Option<tokio::time::Instant> = None;
    let mut leftovers_done = false;
    // Connections the look began on: one cut short (a broker hiccup at start) is made again on
    // the next, a few times (a retained message that cuts every connection must not stop the
    // bridge for good).
    let mut leftover_tries = 0u32;
    // A loss of the broker was said at warning level: its return is said at the same level.
    let mut loss_told = false;
    let far = || tokio::time::Instant::now() + Duration::from_secs(86_400);
    loop {
        tokio::select! {
            ev = eventloop.poll() => match ev {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    if std::mem::take(&mut loss_told) {
                        tracing::warn!("broker: connected again");
                    } else {
                        tracing::info!("connected to the broker");
                    }
                    reconnect.connected(Instant::now());
                    metrics.mqtt_connected.store(true, Ordering::Relaxed);
                    metrics.mqtt_connections.fetch_add(1, Ordering::Relaxed);
                    for f in topics.command_filters() {
                        let _ = client.try_subscribe(f, QoS::AtLeastOnce);
                    }
                    let _ = client.try_subscribe(topics.ha_status(), QoS::AtLeastOnce);
                    // To put `online` back should an earlier connection's last will (a
                    // half-open one the broker drops only now) say `offline` after it.
                    let _ = client.try_subscribe(topics.bridge_availability(), QoS::AtLeastOnce);
                    if !leftovers_done && leftover_tries < LEFTOVER_TRIES {
                        leftover_tries += 1;
                        for f in topics.leftover_filters() {
                            let _ = client.try_subscribe(f, QoS::AtLeastOnce);
                        }
                        leftovers_until = Some(tokio::time::Instant::now() + LEFTOVERS_FOR);
                    }
                    outbox.retain(topics.bridge_availability(), b"online".to_vec());
                    outbox.resend_retained();
                    let _ = connected_tx.send(true);
                }
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    if let Some(camera) = topics.leftover_camera(&p.topic) {
                        if leftovers_until.is_some()
                            && p.retain
                            && !p.payload.is_empty()
                            && topics.leftover_is_ours(&p.topic, &p.payload)
                        {
                            if !crate::util::lock(&known).contains(camera) {
                                // Left by a camera no longer configured (removed while no
                                // bridge ran): cleared, so Home Assistant drops its entities.
                                tracing::info!(
                                    "{:?}: left by a camera no longer in the configuration; cleared",
                                    p.topic
                                );
                                outbox.clear(p.topic.clone());
                            } else if p.topic.starts_with(&format!("{}/", topics.discovery)) {
                                // An entity an earlier run published for a camera still
                                // configured: cleared unless the camera still offers it.
                                outbox.inherit(camera, p.topic.clone());
                            }
                        }
                    } else if p.topic == topics.bridge_availability() {
                        if p.payload.as_ref() == b"offline" {
                            tracing::info!("the broker says this bridge is offline (an earlier connection's last will): online again");
                            outbox.resend(&p.topic);
                        }
                    } else if p.topic == topics.ha_status() {
                        if p.payload.as_ref() == b"online" {
                            tracing::info!("Home Assistant is back: publishing discovery and states again");
                            outbox.resend_retained();
                        }
                    } else if p.retain {
                        // Left at the broker, maybe long ago, and handed over at every
                        // subscription: not someone asking now.
                        if warned.len() < WARNED_AT_MOST && warned.insert(p.topic.clone()) {
                            tracing::warn!(
                                "{}: a retained command, ignored (retained commands are never \
                                 carried out: they would be at every start and reconnection); \
                                 clear it with an empty retained message, e.g. mosquitto_pub \
                                 -r -n -t '{}', and send commands unretained",
                                p.topic,
                                p.topic
                            );
                        }
                    } else if incoming
                        .try_send(Incoming { topic: p.topic.clone(), payload: p.payload.to_vec() })
                        .is_err()
                    {
                        tracing::warn!("too many commands at once: dropped one on {}", p.topic);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    metrics.mqtt_connected.store(false, Ordering::Relaxed);
                    let _ = connected_tx.send(false);
                    // Cut short, the look begins again on the next connection, up to
                    // LEFTOVER_TRIES times: were a retained message past the size limit what
                    // cut it, it would cut every connection.
                    leftovers_until = None;
                    let requeued = requeue_unacknowledged(&mut eventloop, &outbox, &mut requeued_last);
                    if requeued > 0 {
                        tracing::debug!("{requeued} messages not acknowledged: queued again");
                    }
                    let (wait, tell) = reconnect.failed(Instant::now());
                    if tell {
                        loss_told = true;
                        tracing::warn!("broker: {}; reconnecting", describe(&e));
                    } else {
                        tracing::debug!(
                            "broker: {}; reconnecting in {:.1} s",
                            describe(&e),
                            wait.as_secs_f64()
                        );
                    }
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => {}
                    }
                    if *stop.borrow() { break; }
                }
            },
            () = tokio::time::sleep_until(leftovers_until.unwrap_or_else(far)), if leftovers_until.is_some() => {
                leftovers_until = None;
                leftovers_done = true;
                for f in topics.leftover_filters() {
                    let _ = client.try_unsubscribe(f);
                }
            }
            r = stop.changed() => if r.is_err() || *stop.borrow() { break },
        }
    }
    // Going away: say so, flush what waits (bounded), disconnect.
    outbox.retain(topics.bridge_availability(), b"offline".to_vec());
    if *connected_tx.borrow() {
        // Until nothing waits, nothing is unacknowledged, and the connection has been quiet
        // for a moment (what the client was handed last is on its way).
        let flush = async {
            loop {
                let quiet = outbox.idle() && eventloop.state.inflight() == 0;
                let wait = if quiet {
                    Duration::from_millis(200)
                } else {
                    Duration::from_secs(3)
                };
                match tokio::time::timeout(wait, eventloop.poll()).await {
                    Err(_) if quiet => break,
                    Ok(Err(_)) => break,
                    _ => {}
                }
            }
        };
        if tokio::time::timeout(Duration::from_secs(3), flush)
            .await
            .is_ok()
        {
            let _ = client.try_disconnect();
            let _ = tokio::time::timeout(Duration::from_millis(500), eventloop.poll()).await;
        } else {
            // A clean DISCONNECT would tell the broker to drop the last will, and `online`
            // might stay; cut, the connection's will says `offline`.
            tracing::warn!(
                "the broker did not take everything within 3 s; leaving without a clean \
                 disconnect, so that its last will marks this bridge offline"
            );
        }
    }
    publisher.abort();
    metrics.mqtt_connected.store(false, Ordering::Relaxed);
}

fn describe(e: &ConnectionError) -> String {
    if let ConnectionError::ConnectionRefused(code) = e {
        return format!("connection refused ({code:?})");
    }
    // The client's own wording wraps an I/O error in its state machine's words ("Mqtt state:
    // Mqtt serialization/deserialization error: IO: Connection reset by peer"): the I/O error
    // is what happened.
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return format!("the connection was lost ({io})");
        }
        cause = c.source();
    }
    match e {
        ConnectionError::Io(io) => format!("the connection was lost ({io})"),
        other => other.to_string(),
    }
}

/// Publish what the outbox holds while connected.
async fn publish_loop(
    client: AsyncClient,
    q: QoS,
    outbox: Arc<Outbox>,
    metrics: Arc<Metrics>,
    mut connected: watch::Receiver<bool>,
) {
    loop {
        if !*connected.borrow_and_update() {
            if connected.changed().await.is_err() {
                return;
            }
            continue;
        }
        let Some(m) = outbox.take() else {
            tokio::select! {
                () = outbox.wait() => {}
                r = connected.changed() => if r.is_err() { return },
            }
            continue;
        };
        match client
            .publish(m.topic.clone(), q, m.retain, m.payload.clone())
            .await
        {
            Ok(()) => {
                outbox.done();
                metrics.published.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                outbox.done();
                outbox.put_back(m);
                return;
            }
        }
    }
}

/// After the connection ended: the messages handed to the client that the broker had not
/// acknowledged, or that still waited in the client's channel, would be dropped at the next
/// connection (a clean session starts with nothing pending). They go back to the outbox, in
/// their order, ahead of what waits there; a retained one as its topic's value (an emptied
/// topic is cleared again). How many went back.
///
/// An unretained message goes back once: `last` holds those that went back the time before,
/// and one of them pending again is dropped (and counted), so that a message the broker
/// refuses by closing the connection (too large, not allowed) cannot close every one.
fn requeue_unacknowledged(
    eventloop: &mut EventLoop,
    outbox: &Outbox,
    last: &mut HashSet<u64>,
) -> usize {
    let fingerprint = |topic: &str, payload: &[u8]| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (topic, payload).hash(&mut h);
        h.finish()
    };
    let mut now = HashSet::new();
    let unsent: Vec<Message> = eventloop
        .pending
        .drain(..)
        .filter_map(|r| match r {
            Request::Publish(p) => Some(Message {
                topic: p.topic,
                payload: p.payload.to_vec(),
                retain: p.retain,
                latest: false,
            }),
            // Subscriptions are made again at each connection.
            _ => None,
        })
        .filter(|m| {
            if m.retain {
                return true;
            }
            let f = fingerprint(&m.topic, &m.payload);
            if last.contains(&f) {
                outbox.count_dropped();
                tracing::warn!(
                    "{}: not acknowledged twice, each time the connection ended: dropped",
                    m.topic
                );
                return false;
            }
            now.insert(f);
            true
        })
        .collect();
    *last = now;
    let n = unsent.len();
    for m in unsent.into_iter().rev() {
        outbox.put_back(m);
    }
    n
}

/// Connect to the broker once, and disconnect: `Ok` when it accepted the connection.
pub async fn check(opts: MqttOptions, limit: Duration) -> Result<(), String> {
    let (client, mut eventloop) = AsyncClient::new(opts, 8);
    let r = tokio::time::timeout(limit, async {
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => return Ok(()),
                Ok(_) => {}
                Err(e) => return Err(describe(&e)),
            }
        }
    })
    .await
    .unwrap_or_else(|_| Err(format!("no answer within {} s", limit.as_secs())));
    if r.is_ok() {
        let _ = client.try_disconnect();
        let _ = tokio::time::timeout(Duration::from_millis(300), eventloop.poll()).await;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_said_as_what_happened() {
        let reset = || std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        for e in [
            ConnectionError::Io(reset()),
            ConnectionError::MqttState(rumqttc::StateError::Io(reset())),
        ] {
            assert_eq!(
                describe(&e),
                "the connection was lost (reset by peer)",
                "{e:?}"
            );
        }
    }

    #[tokio::test]
    async fn what_the_broker_did_not_acknowledge_goes_back_to_the_outbox_in_order() {
        let settings = MqttSettings::new("mqtt://127.0.0.1:1883");
        let broker = settings.validate().unwrap();
        let opts = options(&settings, &broker, None, &Topics::of(&settings)).unwrap();
        let (_client, mut eventloop) = AsyncClient::new(opts, 8);
        let publish = |topic: &str, payload: &[u8], retain: bool| {
            let mut p = rumqttc::Publish::new(topic, QoS::AtLeastOnce, payload.to_vec());
            p.retain = retain;
            Request::Publish(p)
        };
        eventloop.pending.extend([
            publish("onvif/a/event", b"1", false),
            Request::Subscribe(rumqttc::Subscribe::new("onvif/+/ptz/set", QoS::AtLeastOnce)),
            publish("onvif/a/event", b"2", false),
            publish("homeassistant/button/onvif_a/x/config", b"", true),
        ]);
        let outbox = Outbox::new(10);
        outbox.send("onvif/a/event".into(), b"3".to_vec());
        let mut last = HashSet::new();
        assert_eq!(
            requeue_unacknowledged(&mut eventloop, &outbox, &mut last),
            3
        );
        assert!(eventloop.pending.is_empty());
        let mut sent = Vec::new();
        while let Some(m) = outbox.take() {
            outbox.done();
            sent.push((m.topic, m.payload, m.retain));
        }
        assert_eq!(
            sent,
            [
                // The emptied retained topic is cleared again, ahead of the queue.
                (
                    "homeassistant/button/onvif_a/x/config".into(),
                    Vec::new(),
                    true
                ),
                ("onvif/a/event".into(), b"1".to_vec(), false),
                ("onvif/a/event".into(), b"2".to_vec(), false),
                ("onvif/a/event".into(), b"3".to_vec(), false),
            ]
        );
        // The next connection ends with "2" unacknowledged again (a message the broker
        // answers by closing the connection): dropped and counted, not put back a third time.
        eventloop.pending.extend([
            publish("onvif/a/event", b"2", false),
            publish("onvif/a/event", b"4", false),
        ]);
        assert_eq!(
            requeue_unacknowledged(&mut eventloop, &outbox, &mut last),
            1
        );
        assert_eq!(outbox.dropped(), 1);
        assert_eq!(outbox.take().map(|m| m.payload), Some(b"4".to_vec()));
        outbox.done();
        assert_eq!(outbox.take(), None);
    }

    #[test]
    fn a_shard_has_its_own_last_will_and_client_id() {
        let mut settings = MqttSettings::new("mqtt://127.0.0.1:1883");
        settings.client_id = Some("fleet".into());
        let broker = settings.validate().unwrap();
        let id = |s: &MqttSettings| {
            let topics = Topics::of(s);
            let o = options(s, &broker, None, &topics).unwrap();
            let will = o.last_will().map(|w| w.topic.clone());
            (o.client_id(), will)
        };
        assert_eq!(
            id(&settings),
            ("fleet".to_owned(), Some("onvif/bridge/availability".into()))
        );
        settings.shard = Some(3);
        assert_eq!(
            id(&settings),
            (
                "fleet-shard-3".to_owned(),
                Some("onvif/bridge/shard-3/availability".into())
            )
        );
    }

    #[test]
    fn a_connection_that_ends_at_once_keeps_backing_off() {
        let mut r = Reconnect::default();
        let mut now = Instant::now();
        // The broker cannot be reached: told once, then waits that double.
        assert_eq!(r.failed(now), (RECONNECT_FIRST, true));
        assert_eq!(r.failed(now), (RECONNECT_FIRST * 2, false));
        // Accepted, and closed a moment later, every time (a retained message past the size
        // limit on a subscribed topic): the waits go on doubling, nothing more is told.
        let mut waits = Vec::new();
        for _ in 0..12 {
            r.connected(now);
            now += Duration::from_millis(20);
            let (wait, tell) = r.failed(now);
            assert!(!tell);
            waits.push(wait);
            now += wait;
        }
        assert_eq!(waits[0], RECONNECT_FIRST * 4);
        assert!(waits.windows(2).all(|w| w[1] >= w[0]), "{waits:?}");
        assert_eq!(waits.last(), Some(&RECONNECT_MAX));
    }

    #[test]
    fn a_connection_that_stayed_up_starts_the_back_off_again() {
        let mut r = Reconnect::default();
        let now = Instant::now();
        for _ in 0..10 {
            r.failed(now);
        }
        r.connected(now);
        assert_eq!(r.failed(now + STAYED_UP), (RECONNECT_FIRST, true));
        assert_eq!(r.failed(now + STAYED_UP), (RECONNECT_FIRST * 2, false));
        // Only the time up counts, not the time since the last failure.
        r.connected(now + STAYED_UP * 2);
        assert_eq!(
            r.failed(now + STAYED_UP * 2 + Duration::from_secs(1)),
            (RECONNECT_FIRST * 4, false)
        );
    }
}
