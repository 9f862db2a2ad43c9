//! The broker connection: connect (again, with back-off, for as long as the bridge runs),
//! announce the bridge (its availability, with `offline` as the MQTT last will), subscribe to
//! the commands and Home Assistant's birth message, publish what the outbox holds while
//! connected, and after every reconnection every retained value again.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rumqttc::{
    AsyncClient, ConnectionError, Event, LastWill, MqttOptions, Packet, QoS, TlsConfiguration,
    Transport,
};
use tokio::sync::{mpsc, watch};

use crate::config::{Broker, MqttSettings};
use crate::metrics::Metrics;
use crate::outbox::Outbox;
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
    let id = settings.client_id.clone().unwrap_or_else(|| {
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

/// Run the connection until `stop` turns true; then publish the bridge's `offline`, flush
/// what waits (bounded) and disconnect.
pub async fn run(
    opts: MqttOptions,
    settings: MqttSettings,
    topics: Topics,
    outbox: Arc<Outbox>,
    metrics: Arc<Metrics>,
    incoming: mpsc::Sender<Incoming>,
    mut stop: watch::Receiver<bool>,
) {
    let q = qos(settings.qos);
    let (client, mut eventloop) = AsyncClient::new(opts, 256);
    let (connected_tx, connected_rx) = watch::channel(false);
    let publisher = tokio::spawn(publish_loop(
        client.clone(),
        q,
        Arc::clone(&outbox),
        Arc::clone(&metrics),
        connected_rx,
    ));
    let mut backoff = Duration::from_millis(250);
    let mut told_down = false;
    loop {
        tokio::select! {
            ev = eventloop.poll() => match ev {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    tracing::info!("connected to the broker");
                    told_down = false;
                    backoff = Duration::from_millis(250);
                    metrics.mqtt_connected.store(true, Ordering::Relaxed);
                    metrics.mqtt_connections.fetch_add(1, Ordering::Relaxed);
                    for f in topics.command_filters() {
                        let _ = client.try_subscribe(f, QoS::AtLeastOnce);
                    }
                    let _ = client.try_subscribe(topics.ha_status(), QoS::AtLeastOnce);
                    outbox.retain(topics.bridge_availability(), b"online".to_vec());
                    outbox.resend_retained();
                    let _ = connected_tx.send(true);
                }
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    if p.topic == topics.ha_status() {
                        if p.payload.as_ref() == b"online" {
                            tracing::info!("Home Assistant is back: publishing discovery and states again");
                            outbox.resend_retained();
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
                    if !told_down {
                        tracing::warn!("broker: {}; reconnecting", describe(&e));
                        told_down = true;
                    } else {
                        tracing::debug!("broker: {}", describe(&e));
                    }
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {}
                        _ = stop.changed() => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                    if *stop.borrow() { break; }
                }
            },
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
        let _ = tokio::time::timeout(Duration::from_secs(3), flush).await;
        let _ = client.try_disconnect();
        let _ = tokio::time::timeout(Duration::from_millis(500), eventloop.poll()).await;
    }
    publisher.abort();
    metrics.mqtt_connected.store(false, Ordering::Relaxed);
}

fn describe(e: &ConnectionError) -> String {
    match e {
        ConnectionError::ConnectionRefused(code) => format!("connection refused ({code:?})"),
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
