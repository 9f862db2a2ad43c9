//! Home Assistant MQTT discovery: one device per camera, a `binary_sensor` per kind its events
//! offer, `button`s for its presets, home and reboot, a `switch` per relay output, and a
//! `camera` fed by snapshots. Every
//! entity is available while both the camera's and the bridge's availability say `online`.
//!
//! Ids come from the camera's name in the config, unique there: the device is `onvif_CAMERA`,
//! an entity's unique id `onvif_CAMERA.OBJECT`, where OBJECT is made of the camera's own
//! values by [`ha_id`]. Two cameras of one model without a serial number (or with the same
//! made-up one) are two devices; a camera renamed in the config is a new one to Home
//! Assistant. The serial number is shown as the device's, and identifies nothing.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::outbox::{Make, Outbox};
use crate::topics::{Topics, ha_id, level_of};

/// Who a camera is, for its Home Assistant device.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Its name in the config.
    pub camera: String,
    /// Maker.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Firmware version.
    pub firmware: String,
    /// Its serial number (empty when it tells none): shown, not an identifier (cameras
    /// without one, or sharing a made-up one, are not told apart by it).
    pub serial: String,
    /// Where its own pages are (`http://host:port`).
    pub url: String,
}

/// What a camera offers.
#[derive(Debug, Clone, Default)]
pub struct Offer {
    /// Normalised kinds its events have.
    pub kinds: Vec<String>,
    /// Presets: token and name.
    pub presets: Vec<(String, String)>,
    /// A home position.
    pub home: bool,
    /// Rebooting.
    pub reboot: bool,
    /// Snapshots.
    pub snapshot: bool,
    /// Relay outputs: their tokens.
    pub relays: Vec<String>,
}

/// Home Assistant's binary sensor device class for a kind, where one fits.
fn device_class(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "motion" | "vehicle" | "pet" | "line-crossing" | "intrusion" => "motion",
        "person" => "occupancy",
        "tamper" => "tamper",
        "sound" => "sound",
        _ => return None,
    })
}

/// A camera's discovery configs, made from what it offers each time they are sent (they are
/// kept in the outbox as this, not as text).
struct Configs {
    topics: Topics,
    who: Identity,
    offer: Offer,
}

/// One entity: its component, object id, name, and what it adds to the common fields.
struct Entity {
    component: &'static str,
    object: String,
    name: String,
    extra: Value,
}

impl Configs {
    /// How many entities the offer asks for.
    fn count(&self) -> usize {
        let o = &self.offer;
        o.kinds.len()
            + o.presets.len()
            + usize::from(o.home)
            + usize::from(o.reboot)
            + o.relays.len()
            + usize::from(o.snapshot)
    }

    /// The `i`th entity the offer asks for, in a fixed order (made alone: a camera with a
    /// hundred presets has a hundred configs, each made when sent).
    fn entity(&self, mut i: usize) -> Option<Entity> {
        let (topics, cam, offer) = (&self.topics, &self.who.camera, &self.offer);
        let entity = |component, object: String, name: String, extra| {
            Some(Entity {
                component,
                object,
                name,
                extra,
            })
        };
        if let Some(kind) = offer.kinds.get(i) {
            let mut extra = json!({
                "state_topic": topics.state(cam, kind, None),
                "payload_on": "ON",
                "payload_off": "OFF",
            });
            if let (Some(dc), Value::Object(m)) = (device_class(kind), &mut extra) {
                m.insert("device_class".into(), dc.into());
            }
            return entity("binary_sensor", ha_id(kind), readable(kind), extra);
        }
        i -= offer.kinds.len();
        let ptz_set = || format!("{}/{cam}/ptz/set", topics.prefix);
        if let Some((token, name)) = offer.presets.get(i) {
            let press = json!({ "preset": token }).to_string();
            return entity(
                "button",
                format!("preset_{}", ha_id(token)),
                format!("Preset {name}"),
                json!({ "command_topic": ptz_set(), "payload_press": press }),
            );
        }
        i -= offer.presets.len();
        if offer.home {
            if i == 0 {
                let press = "{\"home\":true}";
                return entity(
                    "button",
                    "home".into(),
                    "Home position".into(),
                    json!({ "command_topic": ptz_set(), "payload_press": press }),
                );
            }
            i -= 1;
        }
        if offer.reboot {
            if i == 0 {
                let extra = json!({
                    "command_topic": format!("{}/{cam}/reboot/set", topics.prefix),
                    "payload_press": "PRESS",
                    "device_class": "restart",
                    "entity_category": "config",
                });
                return entity("button", "reboot".into(), "Reboot".into(), extra);
            }
            i -= 1;
        }
        if let Some(token) = offer.relays.get(i) {
            let payload = |state: &str| json!({ "relay": token, "state": state }).to_string();
            return entity(
                "switch",
                format!("relay_{}", ha_id(token)),
                format!("Relay {token}"),
                json!({
                    "command_topic": format!("{}/{cam}/relay/set", topics.prefix),
                    "payload_on": payload("on"),
                    "payload_off": payload("off"),
                    "state_topic": topics.state(cam, "relay", Some(&level_of(token))),
                    "state_on": "ON",
                    "state_off": "OFF",
                }),
            );
        }
        i -= offer.relays.len();
        if offer.snapshot && i == 0 {
            let extra = json!({ "topic": topics.snapshot(cam) });
            return entity("camera", "snapshot".into(), "Snapshot".into(), extra);
        }
        None
    }

    fn topic(&self, e: &Entity) -> String {
        self.topics
            .discovery(e.component, &self.who.camera, &e.object)
    }

    /// An entity's config: its own fields, the device, and the availability of both the
    /// camera and the bridge.
    fn config(&self, e: Entity) -> Vec<u8> {
        let (who, cam) = (&self.who, &self.who.camera);
        let mut v = json!({
            "name": e.name,
            // A `.` is in no camera name and no object id: no other camera's entity has it.
            "unique_id": format!("onvif_{cam}.{}", e.object),
            // Home Assistant 2025.10 and later take the entity id from `default_entity_id`
            // and warn of `object_id`, which earlier ones take it from: both are sent.
            "object_id": format!("{cam}_{}", e.object),
            "default_entity_id": format!("{}.{cam}_{}", e.component, e.object),
            "device": {
                "identifiers": [format!("onvif_{cam}")],
                "name": cam,
                "manufacturer": who.manufacturer,
                "model": who.model,
                "sw_version": who.firmware,
                "configuration_url": who.url,
                "serial_number": who.serial.trim(),
            },
            "availability": [
                { "topic": self.topics.bridge_availability() },
                { "topic": self.topics.availability(cam) },
            ],
            "availability_mode": "all",
        });
        if let (Value::Object(m), Value::Object(extra)) = (&mut v, e.extra) {
            m.extend(extra);
        }
        v.to_string().into_bytes()
    }
}

/// Publish a camera's discovery configs (retained), and clear those it published before (in
/// this run or an earlier one) that it no longer offers.
pub fn publish(topics: &Topics, outbox: &Outbox, who: &Identity, offer: &Offer) {
    let configs = Arc::new(Configs {
        topics: topics.clone(),
        who: who.clone(),
        offer: offer.clone(),
    });
    let wanted: Vec<(String, Make)> = (0..configs.count())
        .filter_map(|i| configs.entity(i).map(|e| (i, configs.topic(&e))))
        .map(|(i, topic)| {
            let c = Arc::clone(&configs);
            let make: Make = Arc::new(move || c.entity(i).map(|e| c.config(e)).unwrap_or_default());
            (topic, make)
        })
        .collect();
    outbox.publish_set(&who.camera, &topics.discovery_of(&who.camera), wanted);
}

/// Clear everything a camera published that is retained: discovery, states, info,
/// availability (a camera removed from the config). Its discovery, info and availability
/// also when this run never reached the camera (an earlier run's are at the broker).
pub fn clear(topics: &Topics, outbox: &Outbox, camera: &str) {
    outbox.clear_owner(camera, &topics.discovery_of(camera));
    for t in outbox.retained_under(&format!("{}/{camera}/", topics.prefix)) {
        outbox.clear(t);
    }
    outbox.clear(topics.info(camera));
    outbox.clear(topics.availability(camera));
}

/// An event kind as an entity's name: `digital-input` is `Digital input`, as the other
/// entities read (`Home position`).
fn readable(kind: &str) -> String {
    let words = kind.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics() -> Topics {
        Topics {
            prefix: "onvif".into(),
            discovery: "homeassistant".into(),
            shard: None,
        }
    }

    fn who() -> Identity {
        Identity {
            camera: "garden".into(),
            manufacturer: "M".into(),
            model: "X".into(),
            firmware: "1".into(),
            serial: "SN1".into(),
            url: "http://127.0.0.1:8000".into(),
        }
    }

    fn drain(o: &Outbox) -> Vec<(String, Vec<u8>)> {
        std::iter::from_fn(|| o.next().map(|m| (m.topic, m.payload))).collect()
    }

    #[test]
    fn entities_follow_the_offer_and_stale_ones_are_cleared() {
        let (t, o) = (topics(), Outbox::new(10));
        let offer = Offer {
            kinds: vec!["motion".into(), "digital-input".into()],
            presets: vec![("1".into(), "door".into())],
            home: true,
            reboot: true,
            snapshot: true,
            relays: vec!["RelayOutput_1".into()],
        };
        publish(&t, &o, &who(), &offer);
        let sent = drain(&o);
        assert_eq!(
            sent.len(),
            7,
            "{:?}",
            sent.iter().map(|s| &s.0).collect::<Vec<_>>()
        );
        let motion = sent
            .iter()
            .find(|(t, _)| t == "homeassistant/binary_sensor/onvif_garden/motion/config")
            .expect("motion sensor");
        let v: Value = serde_json::from_slice(&motion.1).unwrap();
        assert_eq!(v["state_topic"], "onvif/garden/motion");
        assert_eq!(v["device_class"], "motion");
        assert_eq!(v["unique_id"], "onvif_garden.motion");
        assert_eq!(v["object_id"], "garden_motion");
        assert_eq!(v["default_entity_id"], "binary_sensor.garden_motion");
        assert_eq!(v["name"], "Motion");
        assert_eq!(v["device"]["identifiers"], json!(["onvif_garden"]));
        assert_eq!(v["device"]["serial_number"], "SN1");
        assert_eq!(v["availability"][0]["topic"], "onvif/bridge/availability");
        let relay = sent
            .iter()
            .find(|(t, _)| t == "homeassistant/switch/onvif_garden/relay_RelayOutput_1/config")
            .expect("relay switch");
        let v: Value = serde_json::from_slice(&relay.1).unwrap();
        assert_eq!(v["command_topic"], "onvif/garden/relay/set");
        assert_eq!(v["state_topic"], "onvif/garden/relay/RelayOutput_1");
        assert_eq!(v["payload_on"], r#"{"relay":"RelayOutput_1","state":"on"}"#);
        // Fewer presets and kinds the next time: the gone entities are cleared.
        publish(
            &t,
            &o,
            &who(),
            &Offer {
                kinds: vec!["motion".into()],
                ..Offer::default()
            },
        );
        let cleared: Vec<String> = drain(&o)
            .into_iter()
            .filter(|(_, p)| p.is_empty())
            .map(|(t, _)| t)
            .collect();
        assert_eq!(cleared.len(), 6, "{cleared:?}");
        assert!(cleared.iter().any(|t| t.contains("/relay_RelayOutput_1/")));
        assert!(!cleared.iter().any(|t| t.contains("/motion/")));
    }

    /// The configs `publish` sent, by topic.
    fn configs(o: &Outbox) -> Vec<(String, Value)> {
        drain(o)
            .into_iter()
            .map(|(t, p)| (t, serde_json::from_slice(&p).unwrap()))
            .collect()
    }

    #[test]
    fn ids_are_home_assistant_s_and_no_two_entities_share_one() {
        let (t, o) = (topics(), Outbox::new(10));
        // Two cameras of one model, without a serial number (their hardware id is the
        // model's), with presets and relays whose tokens are no ids as they are.
        let offer = Offer {
            presets: vec![
                ("Preset.1".into(), "door".into()),
                ("Preset_1".into(), "gate".into()),
                ("Preset 1".into(), "yard".into()),
            ],
            relays: vec!["Relay:1".into(), "Relay/1".into()],
            ..Offer::default()
        };
        for camera in ["garden", "porch"] {
            let who = Identity {
                camera: camera.into(),
                serial: String::new(),
                ..who()
            };
            publish(&t, &o, &who, &offer);
        }
        let sent = configs(&o);
        assert_eq!(
            sent.len(),
            10,
            "{:?}",
            sent.iter().map(|s| &s.0).collect::<Vec<_>>()
        );
        let mut topics_seen = std::collections::BTreeSet::new();
        let mut ids = std::collections::BTreeSet::new();
        for (topic, v) in &sent {
            // homeassistant/COMPONENT/NODE/OBJECT/config: node and object of [a-zA-Z0-9_-].
            let levels: Vec<&str> = topic.split('/').collect();
            assert_eq!(levels.len(), 5, "{topic}");
            assert!(
                crate::topics::valid_level(levels[2]) && crate::topics::valid_level(levels[3]),
                "{topic}"
            );
            assert!(topics_seen.insert(topic.clone()), "{topic} twice");
            let id = v["unique_id"].as_str().unwrap().to_owned();
            assert!(ids.insert(id.clone()), "{id} twice");
        }
        let porch = sent
            .iter()
            .find(|(t, _)| t.contains("/onvif_porch/"))
            .unwrap();
        assert_eq!(porch.1["device"]["identifiers"], json!(["onvif_porch"]));
    }
}
