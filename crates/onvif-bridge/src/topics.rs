//! The bridge's topic names, in one place.

/// The topics of one bridge: `PREFIX/...` and the discovery prefix.
#[derive(Debug, Clone)]
pub struct Topics {
    /// The first level of the bridge's own topics.
    pub prefix: String,
    /// Home Assistant's discovery prefix.
    pub discovery: String,
    /// The shard this bridge is, if it is one ([`crate::config::MqttSettings::shard`]).
    pub shard: Option<u32>,
}

/// Is this name usable as one topic level (and a Home Assistant id)? Letters, digits, `-`
/// and `_`.
pub fn valid_level(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The Home Assistant components the bridge makes entities of.
pub const COMPONENTS: [&str; 4] = ["binary_sensor", "button", "switch", "camera"];

/// The levels under `PREFIX/CAMERA/` that the bridge uses for topics of its own: an event
/// kind (its state topic is `PREFIX/CAMERA/KIND`) may not be named so. (`relay` is a kind
/// on purpose: its per-source state is the relay switch's state; the command levels `ptz`,
/// `reboot` and `relay` are only taken under `/set`.)
pub const RESERVED_LEVELS: [&str; 5] = ["availability", "info", "event", "error", "snapshot"];

/// A camera's own value (an event source, a kind) made into one topic level: anything but
/// letters, digits, `-`, `_` and `.` becomes `_`, at most 64 characters.
pub fn level_of(text: &str) -> String {
    let s: String = text
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

/// The longest id [`ha_id`] makes.
const HA_ID_MAX: usize = 64;

/// A camera's own value (a preset's or relay's token, a kind) made into a Home Assistant id,
/// as the object id of a discovery topic must be: letters, digits, `-` and `_` only (a token
/// `Preset.1` in a topic would keep its entity out of Home Assistant). A value that is such an
/// id already, and not longer than 64 characters, stays as it is. Any other one is cleaned
/// and cut, and ends with `_` and 8 hex digits of a (stable) hash of the whole value: two
/// values do not share an id because one had a `.` where the other had a `_`, or because they
/// differ only past the cut.
pub fn ha_id(text: &str) -> String {
    if valid_level(text) && text.len() <= HA_ID_MAX && !looks_hashed(text) {
        return text.to_owned();
    }
    let h = crate::util::fnv1a(text.bytes());
    let short = (h ^ (h >> 32)) & 0xffff_ffff;
    let mut id: String = text
        .chars()
        .take(HA_ID_MAX - 9)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    id.push_str(&format!("_{short:08x}"));
    id
}

/// Does `id` end as [`ha_id`] ends the ids it made (`_` and 8 hex digits)? Such a value is
/// given a hash of its own, so that it cannot be taken for another value's id.
fn looks_hashed(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() >= 9 && b[b.len() - 9] == b'_' && b[b.len() - 8..].iter().all(u8::is_ascii_hexdigit)
}

impl Topics {
    /// The topics of these broker settings (their prefix and discovery prefix).
    pub fn of(mqtt: &crate::config::MqttSettings) -> Topics {
        Topics {
            prefix: mqtt.prefix.clone(),
            discovery: mqtt.discovery_prefix.clone(),
            shard: mqtt.shard,
        }
    }

    /// The bridge's own availability, its MQTT last will: a shard's own
    /// (`PREFIX/bridge/shard-I/availability`), under the level no camera may be named.
    pub fn bridge_availability(&self) -> String {
        match self.shard {
            Some(i) => format!("{}/bridge/shard-{i}/availability", self.prefix),
            None => format!("{}/bridge/availability", self.prefix),
        }
    }
    /// A camera's availability (`online`: its event session is alive).
    pub fn availability(&self, camera: &str) -> String {
        format!("{}/{camera}/availability", self.prefix)
    }
    /// A camera's identity, profiles and stream URIs.
    pub fn info(&self, camera: &str) -> String {
        format!("{}/{camera}/info", self.prefix)
    }
    /// Every event of a camera, as JSON.
    pub fn event(&self, camera: &str) -> String {
        format!("{}/{camera}/event", self.prefix)
    }
    /// A kind's state, of one source or (`None`) of any.
    pub fn state(&self, camera: &str, kind: &str, source: Option<&str>) -> String {
        match source {
            Some(s) => format!("{}/{camera}/{}/{}", self.prefix, level_of(kind), s),
            None => format!("{}/{camera}/{}", self.prefix, level_of(kind)),
        }
    }
    /// Errors of a camera: refused credentials, bad commands.
    pub fn error(&self, camera: &str) -> String {
        format!("{}/{camera}/error", self.prefix)
    }
    /// Snapshots (JPEG bytes).
    pub fn snapshot(&self, camera: &str) -> String {
        format!("{}/{camera}/snapshot", self.prefix)
    }
    /// The command topics the bridge subscribes to.
    pub fn command_filters(&self) -> [String; 4] {
        [
            format!("{}/+/ptz/set", self.prefix),
            format!("{}/+/snapshot/get", self.prefix),
            format!("{}/+/reboot/set", self.prefix),
            format!("{}/+/relay/set", self.prefix),
        ]
    }
    /// Home Assistant's birth and last-will topic.
    pub fn ha_status(&self) -> String {
        format!("{}/status", self.discovery)
    }
    /// Where a camera's discovery configs are: one prefix per component.
    pub fn discovery_of(&self, camera: &str) -> Vec<String> {
        COMPONENTS
            .iter()
            .map(|c| format!("{}/{c}/onvif_{camera}/", self.discovery))
            .collect()
    }
    /// A discovery config topic.
    pub fn discovery(&self, component: &str, camera: &str, object: &str) -> String {
        format!(
            "{}/{component}/onvif_{camera}/{object}/config",
            self.discovery
        )
    }

    /// What the bridge looks at, at its first connection, for what cameras no longer in the
    /// configuration left retained: discovery configs, availability, info.
    /// Only the components the bridge makes, not every integration's configs.
    pub fn leftover_filters(&self) -> Vec<String> {
        let mut f: Vec<String> = COMPONENTS
            .iter()
            .map(|c| format!("{}/{c}/+/+/config", self.discovery))
            .collect();
        f.push(format!("{}/+/availability", self.prefix));
        f.push(format!("{}/+/info", self.prefix));
        f
    }

    /// The camera a retained topic of [`Topics::leftover_filters`] is of (`None`: not one of
    /// this bridge's, or the bridge's own).
    pub fn leftover_camera<'a>(&self, topic: &'a str) -> Option<&'a str> {
        if let Some(rest) = topic
            .strip_prefix(&self.discovery)
            .and_then(|r| r.strip_prefix('/'))
        {
            let mut parts = rest.split('/');
            let (_component, node) = (parts.next()?, parts.next()?);
            return node.strip_prefix("onvif_").filter(|c| !c.is_empty());
        }
        let rest = topic.strip_prefix(&self.prefix)?.strip_prefix('/')?;
        let (camera, what) = rest.split_once('/')?;
        (matches!(what, "availability" | "info") && camera != "bridge").then_some(camera)
    }

    /// Is a retained value of [`Topics::leftover_filters`] this bridge's to clear? Discovery
    /// configs carry no prefix in their topic: one is this bridge's when its availability
    /// names this prefix's bridge (`PREFIX/bridge/...`; another bridge on the same broker has
    /// a prefix of its own).
    pub fn leftover_is_ours(&self, topic: &str, payload: &[u8]) -> bool {
        if topic.starts_with(&format!("{}/", self.prefix)) {
            return true;
        }
        let marker = format!("\"{}/bridge/", self.prefix);
        std::str::from_utf8(payload).is_ok_and(|p| p.contains(&marker))
    }

    /// A command's camera and command (`ptz`, `snapshot`, `reboot`, `relay`), from its topic.
    pub fn parse_command<'a>(&self, topic: &'a str) -> Option<(&'a str, &'a str)> {
        let rest = topic.strip_prefix(&self.prefix)?.strip_prefix('/')?;
        let mut parts = rest.split('/');
        let (camera, command, verb) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        match (command, verb) {
            ("ptz", "set") | ("snapshot", "get") | ("reboot", "set") | ("relay", "set") => {
                Some((camera, command))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_commands() {
        let t = Topics {
            prefix: "onvif".into(),
            discovery: "homeassistant".into(),
            shard: None,
        };
        assert_eq!(t.bridge_availability(), "onvif/bridge/availability");
        for (topic, camera) in [
            (
                "homeassistant/button/onvif_gate/reboot/config",
                Some("gate"),
            ),
            ("homeassistant/switch/0x00158d/relay/config", None),
            ("homeassistant/button/onvif_/x/config", None),
            ("onvif/gate/availability", Some("gate")),
            ("onvif/gate/info", Some("gate")),
            ("onvif/bridge/availability", None),
            ("onvif/gate/motion", None),
            ("zigbee/gate/availability", None),
        ] {
            assert_eq!(t.leftover_camera(topic), camera, "{topic}");
        }
        // Another bridge's discovery config (its own prefix) is not this one's to clear.
        let config = |prefix: &str| {
            format!(r#"{{"availability":[{{"topic":"{prefix}/bridge/availability"}}]}}"#)
        };
        let topic = "homeassistant/button/onvif_gate/reboot/config";
        assert!(t.leftover_is_ours(topic, config("onvif").as_bytes()));
        assert!(!t.leftover_is_ours(topic, config("onvif2").as_bytes()));
        assert!(!t.leftover_is_ours(topic, config("onvif/site2").as_bytes()));
        assert!(t.leftover_is_ours("onvif/gate/availability", b"online"));
        let shard = Topics {
            shard: Some(1),
            ..t.clone()
        };
        assert_eq!(
            shard.bridge_availability(),
            "onvif/bridge/shard-1/availability"
        );
        assert_eq!(t.state("garden", "motion", None), "onvif/garden/motion");
        assert_eq!(
            t.state("garden", "digital input", Some("1")),
            "onvif/garden/digital_input/1"
        );
        assert_eq!(
            t.parse_command("onvif/garden/ptz/set"),
            Some(("garden", "ptz"))
        );
        assert_eq!(t.parse_command("onvif/garden/ptz/get"), None);
        assert_eq!(
            t.parse_command("onvif/garden/relay/set"),
            Some(("garden", "relay"))
        );
        assert_eq!(t.parse_command("onvif/garden/ptz/set/x"), None);
        assert_eq!(level_of("a/b+#c"), "a_b__c");
        assert!(valid_level("porch-2") && !valid_level("a/b") && !valid_level(""));
    }

    #[test]
    fn home_assistant_ids_are_valid_stable_and_never_shared() {
        // What is an id already stays as it is.
        assert_eq!(ha_id("RelayOutput_1"), "RelayOutput_1");
        assert_eq!(ha_id("line-crossing"), "line-crossing");
        let long = |end: &str| format!("{}{end}", "p".repeat(70));
        let values = [
            "Preset.1".to_owned(),
            "Preset_1".to_owned(),
            "Preset 1".to_owned(),
            "Preset/1".to_owned(),
            "Préset_1".to_owned(),
            String::new(),
            long("a"),
            long("b"),
            // A value that looks like a made id is not taken for the one it looks like.
            ha_id("Preset.1"),
        ];
        let ids: Vec<String> = values.iter().map(|v| ha_id(v)).collect();
        for (v, id) in values.iter().zip(&ids) {
            assert!(valid_level(id) && id.len() <= 64, "{v:?} -> {id:?}");
            assert_eq!(&ha_id(v), id, "the same value, the same id");
        }
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                assert_ne!(a, b, "two values share an id");
            }
        }
        assert!(ids[0].starts_with("Preset_1_"), "{}", ids[0]);
    }
}
