//! What a bridge follows and where it publishes: the broker's settings (the config file's
//! `[mqtt]` table) and, per camera, how its events are followed and which controls it offers
//! (a camera's `[cameras.NAME.bridge]` table).
//!
//! ```toml
//! [mqtt]
//! url = "mqtt://127.0.0.1:1883"     # or mqtts://host:8883 (system roots)
//! user = "bridge"                   # password here or in ONVIF_MQTT_PASSWORD
//! prefix = "onvif"                  # PREFIX/CAMERA/... topics
//! discovery_prefix = "homeassistant"
//! qos = 1
//! queue = 10000                     # events kept while the broker is away
//!
//! [cameras.garden.bridge]
//! events = "auto"                   # auto, pull or push
//! topic_filter = "tns1:RuleEngine//."
//! kinds = "RuleEngine/MyDetector/Thing  IsThing  thing"   # extra kind rules, first
//! clear_after = { motion = "30s" }  # OFF after this long without ON (cameras that never say OFF)
//! snapshot_interval = "0s"          # 0: only on request
//! controls = ["ptz", "snapshot", "reboot"]   # the default; add "relay" for a switch per relay
//! silence = "10m"                   # ask for the states after this quiet; 0s: never
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use onvif::Credentials;
use serde::{Deserialize, Deserializer};
use url::Url;

/// The broker and the topics (`[mqtt]`). Its `Debug` hides the password.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MqttSettings {
    /// `mqtt://host[:1883]` or `mqtts://host[:8883]`.
    pub url: String,
    /// User name at the broker.
    pub user: Option<String>,
    /// Password at the broker (else `ONVIF_MQTT_PASSWORD`); never logged or published.
    pub password: Option<String>,
    /// MQTT client id (default `onvif-bridge-` and a number new for each run).
    pub client_id: Option<String>,
    /// For `mqtts://`: a PEM file of the certificate authorities to trust instead of the
    /// system's (a broker with a certificate of its own making).
    pub ca: Option<std::path::PathBuf>,
    /// The first level of every topic.
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// Home Assistant's discovery prefix (its birth message is `PREFIX/status`).
    #[serde(default = "default_discovery_prefix")]
    pub discovery_prefix: String,
    /// QoS of what is published (0, 1 or 2; default 1).
    #[serde(default = "default_qos")]
    pub qos: u8,
    /// Events kept while the broker cannot be reached; past it the oldest are dropped (and
    /// counted).
    #[serde(default = "default_queue")]
    pub queue: usize,
    /// The shard this bridge is (`--shard I/N`: I), not read from the file: each shard
    /// announces its own availability (`PREFIX/bridge/shard-I/availability`, its last will)
    /// and connects with its own client id (a configured one gets `-shard-I`), so one shard
    /// going away marks only its own cameras unavailable, and shards sharing a config do not
    /// push each other off the broker.
    #[serde(skip)]
    pub shard: Option<u32>,
}

impl std::fmt::Debug for MqttSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttSettings")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "[hidden]"))
            .field("client_id", &self.client_id)
            .field("ca", &self.ca)
            .field("prefix", &self.prefix)
            .field("discovery_prefix", &self.discovery_prefix)
            .field("qos", &self.qos)
            .field("queue", &self.queue)
            .field("shard", &self.shard)
            .finish()
    }
}

fn default_prefix() -> String {
    "onvif".into()
}
fn default_discovery_prefix() -> String {
    "homeassistant".into()
}
fn default_qos() -> u8 {
    1
}
fn default_queue() -> usize {
    10_000
}

impl MqttSettings {
    /// Settings for a broker URL, everything else as by default.
    pub fn new(url: impl Into<String>) -> MqttSettings {
        MqttSettings {
            url: url.into(),
            user: None,
            password: None,
            client_id: None,
            ca: None,
            prefix: default_prefix(),
            discovery_prefix: default_discovery_prefix(),
            qos: default_qos(),
            queue: default_queue(),
            shard: None,
        }
    }

    /// Check what a run needs: a URL of a known scheme with a host, a QoS of 0 to 2, topic
    /// levels without MQTT wildcards. The error names the key.
    pub fn validate(&self) -> Result<Broker, String> {
        let url = Url::parse(&self.url).map_err(|e| format!("mqtt.url {:?}: {e}", self.url))?;
        let tls = match url.scheme() {
            "mqtt" | "tcp" => false,
            "mqtts" | "ssl" => true,
            other => {
                return Err(format!(
                    "mqtt.url {:?}: scheme {other:?} (expected mqtt:// or mqtts://)",
                    self.url
                ));
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("mqtt.url {:?}: no host", self.url))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if !url.username().is_empty() || url.password().is_some() {
            return Err("mqtt.url: put the user in mqtt.user and the password in \
                 ONVIF_MQTT_PASSWORD or mqtt.password, not in the URL"
                .into());
        }
        if self.ca.is_some() && !tls {
            return Err(format!(
                "mqtt.ca is set, but mqtt.url {:?} is not mqtts://",
                self.url
            ));
        }
        if self.qos > 2 {
            return Err(format!("mqtt.qos {}: expected 0, 1 or 2", self.qos));
        }
        for (key, level) in [
            ("mqtt.prefix", &self.prefix),
            ("mqtt.discovery_prefix", &self.discovery_prefix),
        ] {
            if level.is_empty() || level.contains(['+', '#', '\0']) {
                return Err(format!(
                    "{key} {level:?}: must be a non-empty topic without + or #"
                ));
            }
        }
        if self.queue == 0 {
            return Err("mqtt.queue: at least 1".into());
        }
        Ok(Broker {
            host,
            port: url.port().unwrap_or(if tls { 8883 } else { 1883 }),
            tls,
        })
    }
}

/// Where the broker is, from [`MqttSettings::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broker {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// TLS (certificates checked against the system's roots).
    pub tls: bool,
}

/// How a camera's events are followed.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EventsMode {
    /// Push when the camera delivers, pull otherwise.
    #[default]
    Auto,
    /// A pull point.
    Pull,
    /// Notifications posted to the bridge.
    Push,
}

/// A control a camera offers on the broker.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Control {
    /// `ptz/set`: presets, home, moves, stop; and a button per preset.
    Ptz,
    /// `snapshot/get`, and the camera entity.
    Snapshot,
    /// `reboot/set`, and its button.
    Reboot,
    /// `relay/set`, and a switch per relay output.
    Relay,
}

/// A camera's bridge settings (`[cameras.NAME.bridge]`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CameraOptions {
    /// Pull, push or auto.
    #[serde(default)]
    pub events: EventsMode,
    /// A topic expression (ConcreteSet dialect); every event when absent.
    pub topic_filter: Option<String>,
    /// Kind rules tried before the built-in ones, in their text format.
    pub kinds: Option<String>,
    /// A kind's state goes `OFF` this long after its last `ON` (for cameras that never send
    /// the off state).
    #[serde(default, deserialize_with = "durations")]
    pub clear_after: BTreeMap<String, Duration>,
    /// Publish a snapshot this often (`0s`: only when asked).
    #[serde(default, deserialize_with = "duration")]
    pub snapshot_interval: Duration,
    /// The controls offered (by default ptz, snapshot and reboot; relay only when listed).
    #[serde(default = "default_controls")]
    pub controls: Vec<Control>,
    /// Unsubscribe when the bridge stops (turn off for cameras that cancel every subscription
    /// on one Unsubscribe).
    #[serde(default = "yes")]
    pub unsubscribe: bool,
    /// After this long without an event, ask the camera for its current states, and replace
    /// a subscription that no longer delivers (`0s`: never; see
    /// [`onvif::events::SessionConfig`]'s `silence`).
    #[serde(default = "default_silence", deserialize_with = "duration")]
    pub silence: Duration,
}

fn default_silence() -> Duration {
    onvif::events::SessionConfig::default()
        .silence
        .unwrap_or(Duration::ZERO)
}

fn default_controls() -> Vec<Control> {
    // Relays switch gates and door strikes: offered only when asked for.
    vec![Control::Ptz, Control::Snapshot, Control::Reboot]
}
fn yes() -> bool {
    true
}

impl Default for CameraOptions {
    fn default() -> Self {
        CameraOptions {
            events: EventsMode::Auto,
            topic_filter: None,
            kinds: None,
            clear_after: BTreeMap::new(),
            snapshot_interval: Duration::ZERO,
            controls: default_controls(),
            unsubscribe: true,
            silence: default_silence(),
        }
    }
}

impl CameraOptions {
    /// Does the camera offer this control?
    pub fn offers(&self, c: Control) -> bool {
        self.controls.contains(&c)
    }
}

/// A duration as written in the config: `30s`, `1.5s`, `500ms`, `2m`, `1h`, or an
/// `xs:duration` (`PT30S`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if t.starts_with(['P', 'p']) {
        let d = onvif_proto::time::parse_duration(t)
            .ok_or_else(|| format!("{s:?} is not a duration (examples: 30s, 500ms, PT1M)"))?;
        // As the short forms: past about 30 years a time would not fit the clock's type.
        if d > Duration::from_secs(1_000_000_000) {
            return Err(format!("{s:?} is out of range"));
        }
        return Ok(d);
    }
    match onvif_proto::time::parse_short_duration(t)? {
        (false, d) => Ok(d),
        (true, _) => Err(format!("{s:?}: negative")),
    }
}

fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    parse_duration(&s).map_err(serde::de::Error::custom)
}

fn durations<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Duration>, D::Error> {
    BTreeMap::<String, String>::deserialize(d)?
        .into_iter()
        .map(|(k, v)| Ok((k, parse_duration(&v).map_err(serde::de::Error::custom)?)))
        .collect()
}

/// One camera the bridge follows.
#[derive(Debug, Clone)]
pub struct CameraSpec {
    /// Its name in the config: the topic level under the prefix.
    pub name: String,
    /// Its address (`host[:port]` or a device service URL).
    pub host: String,
    /// Its credentials.
    pub creds: Option<Credentials>,
    /// The client's settings for it.
    pub client: onvif::Config,
    /// Its bridge settings.
    pub options: CameraOptions,
}

/// Everything a bridge runs with.
#[derive(Debug, Clone)]
pub struct BridgeConfig {
    /// The broker.
    pub mqtt: MqttSettings,
    /// The cameras, by name.
    pub cameras: Vec<CameraSpec>,
    /// How long to wait between attempts at a camera whose credentials were refused (cameras
    /// lock accounts: rarely).
    pub auth_retry: Duration,
    /// The longest wait between attempts at a camera that cannot be reached.
    pub retry_max: Duration,
    /// Every camera the configuration names, followed here or not (by another shard, or left
    /// out with `--camera`): at its first connection the bridge clears the Home Assistant
    /// configs, availability and info left at the broker for any other camera (one removed
    /// from the configuration while no bridge ran). [`BridgeConfig::new`] makes it the
    /// cameras followed.
    pub known: std::collections::BTreeSet<String>,
}

impl BridgeConfig {
    /// A bridge for these cameras, with the default retry times (10 min after refused
    /// credentials, back-off up to 1 min otherwise).
    pub fn new(mqtt: MqttSettings, cameras: Vec<CameraSpec>) -> BridgeConfig {
        BridgeConfig {
            known: cameras.iter().map(|c| c.name.clone()).collect(),
            mqtt,
            cameras,
            auth_retry: Duration::from_secs(600),
            retry_max: Duration::from_secs(60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_usual_forms() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("PT1M"), Ok(Duration::from_secs(60)));
        // Past what a clock can add (a camera's task would panic at its first use).
        for huge in ["PT10000000000000000000S", "P400Y", "2000000000s"] {
            assert!(
                parse_duration(huge).unwrap_err().contains("out of range"),
                "{huge}"
            );
        }
        assert!(parse_duration("soon").unwrap_err().contains("soon"));
        assert!(
            parse_duration("3 weeks")
                .unwrap_err()
                .contains("unknown unit")
        );
    }

    #[test]
    fn a_camera_s_silence_is_the_session_s_unless_set() {
        assert_eq!(CameraOptions::default().silence, Duration::from_secs(600));
    }

    #[test]
    fn the_broker_password_stays_out_of_debug_output() {
        let mut m = MqttSettings::new("mqtt://h");
        m.password = Some("hunter2".into());
        let shown = format!("{:?}", BridgeConfig::new(m, Vec::new()));
        assert!(
            !shown.contains("hunter2") && shown.contains("[hidden]"),
            "{shown}"
        );
    }

    #[test]
    fn a_broker_url_is_checked_and_defaults_its_port() {
        let b = MqttSettings::new("mqtt://127.0.0.1").validate().unwrap();
        assert_eq!((b.host.as_str(), b.port, b.tls), ("127.0.0.1", 1883, false));
        let b = MqttSettings::new("mqtts://[::1]").validate().unwrap();
        assert_eq!((b.host.as_str(), b.port, b.tls), ("::1", 8883, true));
        assert!(
            MqttSettings::new("http://x")
                .validate()
                .unwrap_err()
                .contains("scheme")
        );
        let e = MqttSettings::new("mqtt://u:secret@h")
            .validate()
            .unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        let mut m = MqttSettings::new("mqtt://h");
        m.prefix = "a/#".into();
        assert!(m.validate().unwrap_err().contains("mqtt.prefix"));
    }
}
