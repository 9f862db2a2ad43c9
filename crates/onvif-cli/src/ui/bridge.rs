//! `onvif bridge --ui ADDR`: the bridge's status page. Read only: for each camera whether
//! its event session is alive (and since when), its events, states, losses and errors; and
//! the broker's connection. Served with the same guard as `onvif ui` (a login off
//! loopback), updated in place every few seconds, and as JSON at `/status.json`.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::SystemTime;

use axum::Router;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::get;
use onvif_bridge::metrics::CameraStats;
use onvif_bridge::{Metrics, Outbox};
use serde_json::{Value, json};

use super::access::{self, Access};
use super::pages::{esc, json, page};
use crate::failure::{Failure, exit};

/// What the page shows, and where it comes from.
pub struct BridgeView {
    pub metrics: Arc<Metrics>,
    pub outbox: Arc<Outbox>,
    /// The broker's URL, without credentials.
    pub broker: String,
    pub started: SystemTime,
}

/// How often the page updates itself.
const RELOAD_MS: u32 = 5000;

/// Serve the status page on `addr` (a login beyond loopback, with `password` or a printed
/// token) until the process ends; the bound address.
pub async fn serve(
    addr: SocketAddr,
    view: BridgeView,
    password: Option<String>,
) -> Result<SocketAddr, Failure> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("--ui {addr}: cannot listen: {e}"),
        })?;
    let bound = listener.local_addr().map_err(|e| Failure {
        code: exit::NETWORK,
        message: format!("--ui {addr}: {e}"),
    })?;
    let access = Arc::new(Access::new(bound, password.clone()));
    access.announce(bound, password.is_some());
    let pages = Router::new()
        .route("/", get(index))
        .route("/status.json", get(status_json))
        .with_state(Arc::new(view));
    let app = access::protect(pages, access);
    // It serves until the process ends.
    let forever = std::future::pending();
    tokio::spawn(super::serve::serve(
        listener,
        app,
        super::serve::Limits::UI,
        forever,
    ));
    Ok(bound)
}

type V = State<Arc<BridgeView>>;

fn time(t: SystemTime) -> String {
    jiff::Timestamp::try_from(t)
        .map(|t| t.round(jiff::Unit::Second).unwrap_or(t).to_string())
        .unwrap_or_default()
}

/// The cameras followed now (a reload adds and removes some), by name, with their figures.
fn cameras(view: &BridgeView) -> Vec<(String, CameraStats)> {
    view.metrics.cameras().into_iter().collect()
}

/// An error's text, with any credentials in a URL taken out (they should never be there).
fn clean(text: &str) -> String {
    onvif::address::redact_userinfo_in_text(text).into_owned()
}

fn state_word(c: &CameraStats) -> &'static str {
    match (c.online, c.auth_refused) {
        (true, _) => "online",
        (false, true) => "credentials refused",
        (false, false) => "offline",
    }
}

fn states_text(c: &CameraStats) -> String {
    c.states
        .iter()
        .map(|(k, on)| format!("{k} {}", if *on { "ON" } else { "OFF" }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// GET /: the broker, then a row per camera.
async fn index(State(view): V) -> Html<String> {
    let m = &view.metrics;
    let connected = m.mqtt_connected.load(Ordering::Relaxed);
    let mut body = format!(
        "<section><h2>Broker <span class=\"{cls}\">{word}</span></h2><table class=\"kv\">\
         <tr><th>Broker</th><td>{broker}</td></tr>\
         <tr><th>Connections made</th><td>{conns}</td></tr>\
         <tr><th>Messages published</th><td>{published}</td></tr>\
         <tr><th>Waiting to be sent</th><td>{queued}</td></tr>\
         <tr><th>Dropped (queue full)</th><td>{dropped}</td></tr>\
         <tr><th>Running since</th><td>{since}</td></tr></table></section>",
        cls = if connected { "online" } else { "offline" },
        word = if connected {
            "connected"
        } else {
            "not connected"
        },
        broker = esc(&view.broker),
        conns = m.mqtt_connections.load(Ordering::Relaxed),
        published = m.published.load(Ordering::Relaxed),
        queued = view.outbox.queued(),
        dropped = view.outbox.dropped(),
        since = time(view.started),
    );
    let list = cameras(&view);
    let online = list.iter().filter(|(_, c)| c.online).count();
    let _ = write!(
        body,
        "<section><h2>Cameras <small>{online} of {} online</small></h2>\
         <div class=\"scroll\"><table class=\"bridge\"><tr><th>Camera</th><th>State</th>\
         <th>Since</th><th>Events</th><th>Last event</th><th>States</th><th>Lost</th>\
         <th>Errors</th><th>Last error</th></tr>",
        list.len()
    );
    for (name, c) in &list {
        let word = state_word(c);
        let _ = write!(
            body,
            "<tr data-camera=\"{n}\"><td>{n}</td><td class=\"{cls}\">{word}</td><td>{since}</td>\
             <td>{events}</td><td>{last}</td><td>{states}</td><td>{losses}</td>\
             <td>{errors}</td><td><small>{error}</small></td></tr>",
            n = esc(name),
            cls = if c.online { "online" } else { "offline" },
            since = c.since.map(time).unwrap_or_default(),
            events = c.events,
            last = c
                .last_event
                .as_ref()
                .map(|(t, w)| format!("{} {}", esc(w), time(*t)))
                .unwrap_or_default(),
            states = esc(&states_text(c)),
            losses = c.losses,
            errors = c.errors,
            error = c
                .last_error
                .as_ref()
                .map(|(t, w)| format!("{} ({})", esc(&clean(w)), time(*t)))
                .unwrap_or_default(),
        );
    }
    let _ = write!(
        body,
        "</table></div><p data-update-every=\"{RELOAD_MS}\"><small>Refreshed every {} s. \
         Also as <a href=\"/status.json\">JSON</a>.</small></p></section>",
        RELOAD_MS / 1000
    );
    page("Bridge", &body)
}

/// GET /status.json: the same, for scripts.
async fn status_json(State(view): V) -> Response {
    let m = &view.metrics;
    let at = |x: &Option<(SystemTime, String)>| {
        x.as_ref().map_or(
            Value::Null,
            |(t, w)| json!({ "at": time(*t), "what": clean(w) }),
        )
    };
    let cams: Vec<Value> = cameras(&view)
        .into_iter()
        .map(|(name, c)| {
            json!({
                "name": name,
                "state": state_word(&c),
                "online": c.online,
                "since": c.since.map(time),
                "events": c.events,
                "last_event": at(&c.last_event),
                "states": c.states,
                "losses": c.losses,
                "errors": c.errors,
                "last_error": at(&c.last_error),
                "commands": c.commands,
            })
        })
        .collect();
    let v = json!({
        "broker": {
            "url": view.broker,
            "connected": m.mqtt_connected.load(Ordering::Relaxed),
            "connections": m.mqtt_connections.load(Ordering::Relaxed),
            "published": m.published.load(Ordering::Relaxed),
            "queued": view.outbox.queued(),
            "dropped": view.outbox.dropped(),
        },
        "started": time(view.started),
        "cameras": cams,
    });
    json(&v)
}
