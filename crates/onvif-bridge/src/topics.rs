//! The bridge's topic names, in one place.

/// The topics of one bridge: `PREFIX/...` and the discovery prefix.
#[derive(Debug, Clone)]
pub struct Topics {
    /// The first level of the bridge's own topics.
    pub prefix: String,
    /// Home Assistant's discovery prefix.
    pub discovery: String,
}

/// Is this name usable as one topic level (and a Home Assistant id)? Letters, digits, `-`
/// and `_`.
pub fn valid_level(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

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

impl Topics {
    /// The topics of these broker settings (their prefix and discovery prefix).
    pub fn of(mqtt: &crate::config::MqttSettings) -> Topics {
        Topics {
            prefix: mqtt.prefix.clone(),
            discovery: mqtt.discovery_prefix.clone(),
        }
    }

    /// The bridge's own availability, its MQTT last will.
    pub fn bridge_availability(&self) -> String {
        format!("{}/bridge/availability", self.prefix)
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
    /// A discovery config topic.
    pub fn discovery(&self, component: &str, camera: &str, object: &str) -> String {
        format!(
            "{}/{component}/onvif_{camera}/{object}/config",
            self.discovery
        )
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
        };
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
}
