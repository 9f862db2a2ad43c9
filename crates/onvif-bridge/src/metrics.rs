//! The bridge's counters, as Prometheus text at `/metrics`, and `/healthz` for probes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::outbox::Outbox;
use crate::util::lock;

/// The most states remembered per camera.
pub const MAX_STATES: usize = 64;

/// One camera's figures.
#[derive(Debug, Clone, Default)]
pub struct CameraStats {
    /// Its event session is alive.
    pub online: bool,
    /// Events received.
    pub events: u64,
    /// Event sessions lost.
    pub losses: u64,
    /// Errors (connection, credentials, commands).
    pub errors: u64,
    /// Its credentials were refused (retried rarely).
    pub auth_refused: bool,
    /// Commands handled.
    pub commands: u64,
    /// When `online` last changed.
    pub since: Option<SystemTime>,
    /// The last event: when, and its kind (else its topic).
    pub last_event: Option<(SystemTime, String)>,
    /// The last error: when, and what (the text published on the camera's error topic).
    pub last_error: Option<(SystemTime, String)>,
    /// While online, each state as its retained topic says it (`motion`, `motion/SOURCE`...):
    /// on or off; at most [`MAX_STATES`].
    pub states: BTreeMap<String, bool>,
}

impl CameraStats {
    /// Online or not, remembering when that changed.
    pub fn set_online(&mut self, online: bool) {
        if self.online != online || self.since.is_none() {
            self.since = Some(SystemTime::now());
        }
        self.online = online;
    }

    /// Remember a state (past [`MAX_STATES`] different ones, only those known change).
    pub fn set_state(&mut self, key: String, on: bool) {
        if self.states.len() < MAX_STATES || self.states.contains_key(&key) {
            self.states.insert(key, on);
        }
    }

    /// Remember an error.
    pub fn error(&mut self, message: impl Into<String>) {
        self.errors += 1;
        self.last_error = Some((SystemTime::now(), message.into()));
    }
}

/// Everything counted.
#[derive(Debug, Default)]
pub struct Metrics {
    cameras: Mutex<BTreeMap<String, CameraStats>>,
    /// Connected to the broker now.
    pub mqtt_connected: AtomicBool,
    /// Connections made to the broker.
    pub mqtt_connections: AtomicU64,
    /// Messages handed to the broker.
    pub published: AtomicU64,
}

impl Metrics {
    /// Change one camera's figures.
    pub fn camera(&self, name: &str, f: impl FnOnce(&mut CameraStats)) {
        f(lock(&self.cameras).entry(name.to_owned()).or_default());
    }

    /// Forget a camera (removed from the config).
    pub fn remove(&self, name: &str) {
        lock(&self.cameras).remove(name);
    }

    /// A copy of every camera's figures.
    pub fn cameras(&self) -> BTreeMap<String, CameraStats> {
        lock(&self.cameras).clone()
    }

    /// A copy of one camera's figures.
    pub fn of(&self, name: &str) -> Option<CameraStats> {
        lock(&self.cameras).get(name).cloned()
    }

    /// The Prometheus text exposition.
    pub fn render(&self, outbox: &Outbox) -> String {
        let mut s = String::new();
        let cams = lock(&self.cameras).clone();
        let gauge = |s: &mut String, name: &str, help: &str, kind: &str| {
            let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        gauge(
            &mut s,
            "onvif_bridge_mqtt_connected",
            "1 while connected to the broker.",
            "gauge",
        );
        let _ = writeln!(
            s,
            "onvif_bridge_mqtt_connected {}",
            u8::from(self.mqtt_connected.load(Ordering::Relaxed))
        );
        for (name, help, v) in [
            (
                "onvif_bridge_mqtt_connections_total",
                "Connections made to the broker.",
                self.mqtt_connections.load(Ordering::Relaxed),
            ),
            (
                "onvif_bridge_published_total",
                "Messages handed to the broker.",
                self.published.load(Ordering::Relaxed),
            ),
            (
                "onvif_bridge_dropped_total",
                "Messages dropped because the queue was full while the broker was away.",
                outbox.dropped(),
            ),
        ] {
            gauge(&mut s, name, help, "counter");
            let _ = writeln!(s, "{name} {v}");
        }
        gauge(
            &mut s,
            "onvif_bridge_queued",
            "Messages waiting for the broker.",
            "gauge",
        );
        let _ = writeln!(s, "onvif_bridge_queued {}", outbox.queued());
        type Field = fn(&CameraStats) -> u64;
        let per_camera: [(&str, &str, &str, Field); 6] = [
            (
                "onvif_bridge_camera_online",
                "1 while the camera's event session is alive.",
                "gauge",
                |c| u64::from(c.online),
            ),
            (
                "onvif_bridge_camera_auth_refused",
                "1 while the camera refuses the bridge's credentials.",
                "gauge",
                |c| u64::from(c.auth_refused),
            ),
            (
                "onvif_bridge_camera_events_total",
                "Events received from the camera.",
                "counter",
                |c| c.events,
            ),
            (
                "onvif_bridge_camera_session_losses_total",
                "Event sessions of the camera lost.",
                "counter",
                |c| c.losses,
            ),
            (
                "onvif_bridge_camera_errors_total",
                "Errors with the camera: connection, credentials, commands.",
                "counter",
                |c| c.errors,
            ),
            (
                "onvif_bridge_camera_commands_total",
                "Commands handled for the camera.",
                "counter",
                |c| c.commands,
            ),
        ];
        for (name, help, kind, f) in per_camera {
            gauge(&mut s, name, help, kind);
            for (cam, c) in &cams {
                // Camera names are checked to be letters, digits, - and _: nothing to escape.
                let _ = writeln!(s, "{name}{{camera=\"{cam}\"}} {}", f(c));
            }
        }
        s
    }
}

/// Serve `/metrics` and `/healthz` (200 while connected to the broker, else 503) on `addr`
/// until `stop` resolves; returns the bound address once listening.
pub async fn serve(
    addr: SocketAddr,
    metrics: Arc<Metrics>,
    outbox: Arc<Outbox>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let m2 = Arc::clone(&metrics);
    let app = Router::new()
        .route(
            "/metrics",
            get(move || {
                let body = metrics.render(&outbox);
                async move { ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body) }
            }),
        )
        .route(
            "/healthz",
            get(move || {
                let up = m2.mqtt_connected.load(Ordering::Relaxed);
                async move {
                    if up {
                        (StatusCode::OK, "ok\n").into_response()
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "broker not connected\n").into_response()
                    }
                }
            }),
        );
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::warn!("metrics server: {e}");
        }
    });
    Ok((bound, task))
}
