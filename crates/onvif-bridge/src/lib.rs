//! `onvif bridge`: a fleet of cameras' events, states and controls on an MQTT broker, with Home
//! Assistant discovery, that keeps going through camera reboots and broker restarts.
//!
//! Each camera of a [`BridgeConfig`] gets a task of its own that connects, publishes what the
//! camera is (`PREFIX/CAMERA/info`) and what it offers (Home Assistant discovery), and follows
//! its events with the library's managed session ([`onvif::events::EventSession`]): every
//! event goes to `PREFIX/CAMERA/event` as JSON, each normalised kind's state to
//! `PREFIX/CAMERA/KIND[/SOURCE]` (retained `ON`/`OFF`), and `PREFIX/CAMERA/availability`
//! follows the session. A camera that cannot be reached is retried with bounded, jittered
//! back-off; one that refuses the credentials rarely (cameras lock accounts); the others never
//! notice. Commands (`ptz/set`, `snapshot/get`, `reboot/set`, `relay/set`) go to their camera's
//! task; a bad one is answered on `PREFIX/CAMERA/error`, a retained one is ignored (the broker
//! would hand it over again at every reconnection).
//!
//! The broker side ([`mqtt`]) connects again with back-off for as long as the bridge runs:
//! meanwhile events wait in a bounded queue ([`outbox::Outbox`], oldest dropped and counted;
//! of each camera's snapshots only the newest),
//! and after every reconnection every retained value (availability, info, states, discovery)
//! is published again, as it is when Home Assistant announces itself (`homeassistant/status`).
//! The bridge's own availability is its MQTT last will.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub mod broker;
mod camera;
pub mod command;
pub mod config;
pub mod discovery;
pub mod metrics;
pub mod mqtt;
pub mod outbox;
mod states;
pub mod topics;
mod util;

pub use command::{Command, PtzCommand};
pub use config::{
    BridgeConfig, Broker, CameraOptions, CameraSpec, Control, EventsMode, MqttSettings,
    parse_duration,
};
pub use metrics::Metrics;
pub use outbox::Outbox;
pub use topics::Topics;

use crate::camera::Context;
use crate::util::lock;

/// One camera's task.
struct Running {
    spec: CameraSpec,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Each camera's command queue. Boxed commands: a queue's first block holds 32 of them,
/// for every camera of a fleet, and most never get one.
type Routes = Arc<Mutex<HashMap<String, mpsc::Sender<Box<command::Queued>>>>>;

/// A running bridge.
pub struct Bridge {
    cx: Arc<Context>,
    cameras: HashMap<String, Running>,
    routes: Routes,
    mqtt_stop: watch::Sender<bool>,
    mqtt_task: JoinHandle<()>,
    router: JoinHandle<()>,
    /// Every camera the configuration names ([`BridgeConfig::known`]), shared with the broker
    /// side; a reload adds the cameras it starts.
    known: Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>,
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bridge")
            .field("cameras", &self.cameras.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Are two camera specs the same for the bridge (a reload leaves it alone)? Every setting
/// counts: a changed certificate pin, authentication scheme, quirk or timeout restarts the
/// camera's task, as a changed host does.
fn same(a: &CameraSpec, b: &CameraSpec) -> bool {
    // Every field named, here and in `same_client`: a setting added later does not compile
    // until it is compared too.
    let CameraSpec {
        name,
        host,
        creds,
        client,
        options,
    } = a;
    *name == b.name
        && *host == b.host
        && *creds == b.creds
        && *options == b.options
        && same_client(client, &b.client)
}

/// Are two client settings the same? The trace and recorder hooks are functions, made again
/// at each reading of the config: only whether there is one counts.
fn same_client(a: &onvif::Config, b: &onvif::Config) -> bool {
    let onvif::Config {
        connect_timeout,
        request_timeout,
        max_response_bytes,
        danger_accept_invalid_certs,
        cert_sha256,
        allow_basic_over_http,
        keep_camera_host,
        retries,
        trace,
        auth,
        quirks,
        recorder,
        keep_last_response,
    } = a;
    *connect_timeout == b.connect_timeout
        && *request_timeout == b.request_timeout
        && *max_response_bytes == b.max_response_bytes
        && *danger_accept_invalid_certs == b.danger_accept_invalid_certs
        && *cert_sha256 == b.cert_sha256
        && *allow_basic_over_http == b.allow_basic_over_http
        && *keep_camera_host == b.keep_camera_host
        && *retries == b.retries
        && trace.is_some() == b.trace.is_some()
        && *auth == b.auth
        && *quirks == b.quirks
        && recorder.is_some() == b.recorder.is_some()
        && *keep_last_response == b.keep_last_response
}

/// Whether a bridge can follow a camera of this name: letters, digits, `-` and `_` (it is a
/// topic level), and not `bridge` (the bridge's own level).
pub fn valid_camera_name(name: &str) -> bool {
    topics::valid_level(name) && name != "bridge"
}

/// Check a configuration before anything starts: the broker settings, the camera names (each
/// one topic level) and addresses.
pub fn validate(cfg: &BridgeConfig) -> Result<Broker, String> {
    let broker = cfg.mqtt.validate()?;
    for c in &cfg.cameras {
        if !valid_camera_name(&c.name) {
            return Err(format!(
                "camera {:?}: a bridge needs names of letters, digits, - and _ (and not \
                 \"bridge\"): they are MQTT topic levels",
                c.name
            ));
        }
        if c.host.trim().is_empty() {
            return Err(format!("camera {:?}: no host", c.name));
        }
        // An address that cannot be one (a port over 65535) would be tried for ever.
        onvif::address::candidates(&c.host).map_err(|e| format!("camera {:?}: {e}", c.name))?;
        if let Some(text) = &c.options.kinds {
            let table = onvif_proto::ops::events::KindTable::parse(text)
                .map_err(|e| format!("camera {:?}: its kind rules: {e}", c.name))?;
            for rule in table.rules.iter() {
                let level = topics::level_of(&rule.kind);
                if topics::RESERVED_LEVELS.contains(&level.as_str()) {
                    return Err(format!(
                        "camera {:?}: kind {:?} would publish its state on the bridge's own \
                         topic {}/{}/{level}: name the kind otherwise",
                        c.name, rule.kind, cfg.mqtt.prefix, c.name
                    ));
                }
            }
        }
    }
    Ok(broker)
}

impl Bridge {
    /// Validate `cfg`, connect to the broker (in the background: an unreachable broker is
    /// retried) and start following every camera. `mqtt_password` comes from the config or
    /// the environment.
    pub fn start(cfg: BridgeConfig, mqtt_password: Option<&str>) -> Result<Bridge, String> {
        let broker = validate(&cfg)?;
        let topics = Topics::of(&cfg.mqtt);
        let opts = mqtt::options(&cfg.mqtt, &broker, mqtt_password, &topics)?;
        let outbox = Arc::new(Outbox::new(cfg.mqtt.queue));
        let metrics = Arc::new(Metrics::default());
        let cx = Arc::new(Context {
            topics: topics.clone(),
            outbox: Arc::clone(&outbox),
            metrics: Arc::clone(&metrics),
            auth_retry: cfg.auth_retry,
            retry_max: cfg.retry_max,
            starting: tokio::sync::Semaphore::new(camera::STARTING_AT_ONCE),
        });
        let (incoming_tx, incoming_rx) = mpsc::channel(256);
        let (mqtt_stop, mqtt_stop_rx) = watch::channel(false);
        let known = Arc::new(std::sync::Mutex::new(cfg.known.clone()));
        let link = mqtt::Link {
            opts,
            qos: cfg.mqtt.qos,
            topics: topics.clone(),
            known: Arc::clone(&known),
        };
        let mqtt_task = tokio::spawn(mqtt::run(
            link,
            Arc::clone(&outbox),
            Arc::clone(&metrics),
            incoming_tx,
            mqtt_stop_rx,
        ));
        let routes: Routes = Arc::default();
        let router = tokio::spawn(route(incoming_rx, Arc::clone(&routes), Arc::clone(&cx)));
        let mut bridge = Bridge {
            cx,
            cameras: HashMap::new(),
            routes,
            mqtt_stop,
            mqtt_task,
            router,
            known,
        };
        for spec in cfg.cameras {
            bridge.start_camera(spec);
        }
        Ok(bridge)
    }

    fn start_camera(&mut self, spec: CameraSpec) {
        let (stop, stop_rx) = watch::channel(false);
        let (tx, rx) = mpsc::channel(16);
        lock(&self.routes).insert(spec.name.clone(), tx);
        self.cx
            .outbox
            .retain(self.cx.topics.availability(&spec.name), b"offline".to_vec());
        // Listed (offline, nothing counted) from the start, not from its first news.
        self.cx.metrics.camera(&spec.name, |_| {});
        let task = tokio::spawn(camera::run(spec.clone(), Arc::clone(&self.cx), rx, stop_rx));
        self.cameras
            .insert(spec.name.clone(), Running { spec, stop, task });
    }

    async fn stop_camera(&mut self, name: &str) {
        lock(&self.routes).remove(name);
        if let Some(r) = self.cameras.remove(name) {
            let _ = r.stop.send(true);
            let _ = r.task.await;
        }
    }

    /// Follow a new list of cameras (the config read again): added ones start, removed ones
    /// stop and have their discovery and retained topics cleared, changed ones restart,
    /// unchanged ones are not touched. `known` is every camera the config names, followed
    /// here or not (see [`BridgeConfig::known`]). Returns the names started and stopped.
    pub async fn reload(
        &mut self,
        cameras: Vec<CameraSpec>,
        known: std::collections::BTreeSet<String>,
    ) -> Result<(Vec<String>, Vec<String>), String> {
        let probe = BridgeConfig::new(MqttSettings::new("mqtt://x"), cameras);
        validate(&probe)?;
        let (mut started, mut stopped) = (Vec::new(), Vec::new());
        let gone: Vec<String> = self
            .cameras
            .keys()
            .filter(|n| !probe.cameras.iter().any(|c| &c.name == *n))
            .cloned()
            .collect();
        for name in gone {
            self.stop_camera(&name).await;
            discovery::clear(&self.cx.topics, &self.cx.outbox, &name);
            self.cx.metrics.remove(&name);
            stopped.push(name);
        }
        // What the config names now: a camera removed from it is cleared when its leftovers
        // are found (at the first connection, should that come later).
        *util::lock(&self.known) = known
            .into_iter()
            .chain(probe.cameras.iter().map(|c| c.name.clone()))
            .collect();
        for spec in probe.cameras {
            match self.cameras.get(&spec.name) {
                Some(r) if same(&r.spec, &spec) => {}
                Some(_) => {
                    self.stop_camera(&spec.name).await;
                    started.push(spec.name.clone());
                    stopped.push(spec.name.clone());
                    self.start_camera(spec);
                }
                None => {
                    started.push(spec.name.clone());
                    self.start_camera(spec);
                }
            }
        }
        Ok((started, stopped))
    }

    /// The bridge's counters.
    pub fn metrics(&self) -> Arc<Metrics> {
        Arc::clone(&self.cx.metrics)
    }

    /// What waits for the broker.
    pub fn outbox(&self) -> Arc<Outbox> {
        Arc::clone(&self.cx.outbox)
    }

    /// Serve `/metrics` and `/healthz` on `addr` while the bridge runs; the bound address.
    pub async fn serve_metrics(&self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let mut stop = self.mqtt_stop.subscribe();
        let (bound, _task) = metrics::serve(addr, self.metrics(), self.outbox(), async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await?;
        Ok(bound)
    }

    /// Stop: every camera's session closed (unsubscribed unless configured not to) and its
    /// availability `offline`, then the bridge's own, flushed to the broker (bounded).
    pub async fn stop(mut self) {
        let names: Vec<String> = self.cameras.keys().cloned().collect();
        for r in self.cameras.values() {
            let _ = r.stop.send(true);
        }
        for name in names {
            if let Some(r) = self.cameras.remove(&name) {
                let _ = r.task.await;
            }
        }
        let _ = self.mqtt_stop.send(true);
        let _ = (&mut self.mqtt_task).await;
        self.router.abort();
    }
}

/// Which of `n` shards follows the camera `name` (rendezvous hashing: the shard with the
/// highest score for the name), so that adding a shard moves only that shard's share.
pub fn shard_of(name: &str, n: u32) -> u32 {
    (0..n.max(1))
        .max_by_key(|i| {
            // Mixed once more so that scores of neighbouring shards are unrelated.
            let h = util::fnv1a(name.bytes().chain(i.to_le_bytes()));
            h ^ (h >> 29)
        })
        .unwrap_or(0)
}

/// Hand each command to its camera's task.
async fn route(mut rx: mpsc::Receiver<mqtt::Incoming>, routes: Routes, cx: Arc<Context>) {
    while let Some(m) = rx.recv().await {
        let Some((camera, command)) = cx.topics.parse_command(&m.topic) else {
            continue;
        };
        if m.payload.is_empty() && command != "snapshot" {
            // No command: what clearing a retained one (`mosquitto_pub -r -n`) delivers.
            tracing::debug!("an empty {command} command for {camera:?}, ignored");
            continue;
        }
        let cmd = Command::parse(command, &m.payload);
        let tx = lock(&routes).get(camera).cloned();
        match tx {
            Some(tx) => {
                if tx.try_send(Box::new(command::Queued::now(cmd))).is_err() {
                    let body = serde_json::json!({
                        "camera": camera, "kind": "command",
                        "error": format!("{command}: too many commands waiting; try again"),
                    });
                    cx.outbox
                        .send(cx.topics.error(camera), body.to_string().into_bytes());
                }
            }
            None => tracing::debug!("a command for camera {camera:?}, which is not followed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_cameras_and_a_new_one_moves_only_its_share() {
        let names: Vec<String> = (0..1000).map(|i| format!("cam-{i}")).collect();
        let two: Vec<u32> = names.iter().map(|n| shard_of(n, 2)).collect();
        let zeros = two.iter().filter(|s| **s == 0).count();
        assert!((400..600).contains(&zeros), "{zeros} of 1000 on shard 0");
        let three: Vec<u32> = names.iter().map(|n| shard_of(n, 3)).collect();
        for (a, b) in two.iter().zip(&three) {
            assert!(a == b || *b == 2, "a camera moved between old shards");
        }
        assert_eq!(shard_of("x", 0), 0);
    }

    fn camera() -> CameraSpec {
        CameraSpec {
            name: "gate".into(),
            host: "192.0.2.20".into(),
            creds: Some(onvif::Credentials::new("admin", "secret")),
            client: onvif::Config::default(),
            options: CameraOptions::default(),
        }
    }

    #[test]
    fn a_kind_named_as_a_topic_of_the_bridge_s_own_or_unreadable_is_refused() {
        let with_kinds = |text: &str| {
            let mut c = camera();
            c.options.kinds = Some(text.into());
            validate(&BridgeConfig::new(
                MqttSettings::new("mqtt://127.0.0.1"),
                vec![c],
            ))
        };
        assert!(with_kinds("RuleEngine/LineDetector/Crossed  State  line-crossed").is_ok());
        let e = with_kinds("RuleEngine/LineDetector/Crossed  State  availability").unwrap_err();
        assert!(e.contains("onvif/gate/availability"), "{e}");
        assert!(
            with_kinds("RuleEngine/X  State  Ptz").is_ok(),
            "topic levels are case-sensitive"
        );
        let e = with_kinds("only-a-topic").unwrap_err();
        assert!(e.contains("kind rules"), "{e}");
    }

    #[test]
    fn a_name_no_topic_level_holds_or_an_address_no_client_uses_is_refused() {
        let with = |name: &str, host: &str| {
            let mut c = camera();
            c.name = name.into();
            c.host = host.into();
            validate(&BridgeConfig::new(
                MqttSettings::new("mqtt://127.0.0.1"),
                vec![c],
            ))
        };
        assert!(with("gate", "192.0.2.20:8080").is_ok());
        for name in ["cam.v2", "bridge", "a/b", ""] {
            let e = with(name, "192.0.2.20").unwrap_err();
            assert!(e.contains("letters, digits, - and _"), "{name:?}: {e}");
        }
        let e = with("gate", "192.0.2.20:99999").unwrap_err();
        assert!(e.contains("camera \"gate\"") && e.contains("port"), "{e}");
    }

    #[test]
    fn a_reload_sees_every_change_of_a_camera_s_settings() {
        let a = camera();
        assert!(same(&a, &a.clone()));
        // The hooks are made again at each reading: having one on both sides is no change.
        let (mut traced, mut traced_again) = (a.clone(), a.clone());
        traced.client.trace = Some(Arc::new(|_: &str| {}));
        traced_again.client.trace = Some(Arc::new(|_: &str| {}));
        assert!(same(&traced, &traced_again));
        assert!(!same(&a, &traced));
        type Change = (&'static str, fn(&mut CameraSpec));
        let changes: [Change; 8] = [
            ("the certificate pin", |c| {
                c.client.cert_sha256 = Some("ab".repeat(32));
            }),
            ("the authentication scheme", |c| {
                c.client.auth = onvif::AuthScheme::Http;
            }),
            ("a quirk", |c| c.client.quirks.absolute_times = true),
            ("the request timeout", |c| {
                c.client.request_timeout = std::time::Duration::from_secs(30);
            }),
            ("the retries", |c| c.client.retries = 0),
            ("the password", |c| {
                c.creds = Some(onvif::Credentials::new("admin", "other"));
            }),
            ("the host", |c| c.host = "192.0.2.21".into()),
            ("the bridge options", |c| c.options.unsubscribe = false),
        ];
        for (what, change) in changes {
            let mut b = a.clone();
            change(&mut b);
            assert!(
                !same(&a, &b),
                "{what} changed, and the camera was left alone"
            );
        }
    }
}
