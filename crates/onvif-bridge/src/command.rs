//! Commands that arrive on the broker, read from their payloads. A payload that does not read
//! becomes [`Command::Invalid`], answered on the camera's error topic; nothing a payload holds
//! can stop the bridge.

use std::time::Duration;

use serde_json::Value;

use crate::config::parse_duration;

/// A command for one camera.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `ptz/set`.
    Ptz(PtzCommand),
    /// `snapshot/get`: publish a snapshot on `PREFIX/CAMERA/snapshot`.
    Snapshot,
    /// `reboot/set`.
    Reboot,
    /// `relay/set`: `{"relay":"RelayOutput_1","state":"on"}`, optional `"for":"2s"` (on, then
    /// off after that long).
    Relay {
        /// The relay's token.
        relay: String,
        /// Active (`on`) or inactive.
        on: bool,
        /// With `on`: release it after this long.
        duration: Option<Duration>,
    },
    /// A payload that does not read: answered with the error.
    Invalid {
        /// Which command.
        what: &'static str,
        /// What was wrong.
        error: String,
    },
}

/// What `ptz/set` asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum PtzCommand {
    /// `{"preset":"door"}` (name or token), optional `"speed"`.
    Preset {
        /// Name or token.
        preset: String,
        /// 0..1 of the camera's top speed.
        speed: Option<f64>,
    },
    /// `{"home":true}`.
    Home {
        /// 0..1 of the camera's top speed.
        speed: Option<f64>,
    },
    /// `{"move":{"pan":0.2,"tilt":0,"zoom":0,"for":"1s"}}`: velocities -1..1.
    Move {
        /// Pan velocity.
        pan: Option<f64>,
        /// Tilt velocity.
        tilt: Option<f64>,
        /// Zoom velocity.
        zoom: Option<f64>,
        /// Stop after this long.
        duration: Option<Duration>,
    },
    /// `{"stop":true}`.
    Stop,
}

/// The longest payload read.
const MAX_PAYLOAD: usize = 4096;

/// How long a command that moves or restarts something may wait for its camera (still
/// connecting, or busy with earlier commands) before it is dropped rather than carried out
/// late: a PTZ move nobody watches any more, or a reboot minutes after the button.
pub const MAX_WAIT: Duration = Duration::from_secs(10);

/// A command, with the moment it arrived from the broker.
#[derive(Debug)]
pub struct Queued {
    /// The command.
    pub command: Command,
    /// When it arrived.
    pub arrived: tokio::time::Instant,
}

impl Queued {
    /// A command that arrived now.
    pub fn now(command: Command) -> Queued {
        Queued {
            command,
            arrived: tokio::time::Instant::now(),
        }
    }

    /// The command, or why it is no longer carried out at `now`: it [expires](Command::expires)
    /// and waited longer than [`MAX_WAIT`].
    pub fn take(self, now: tokio::time::Instant) -> Result<Command, String> {
        let waited = now.saturating_duration_since(self.arrived);
        if waited > MAX_WAIT && self.command.expires() {
            return Err(format!(
                "{} dropped: it waited {:.0} s for the camera (at most {} s); send it again",
                self.command.what(),
                waited.as_secs_f64(),
                MAX_WAIT.as_secs()
            ));
        }
        Ok(self.command)
    }
}

impl Command {
    /// Which command, for messages.
    pub fn what(&self) -> &'static str {
        match self {
            Command::Ptz(_) => "ptz",
            Command::Snapshot => "snapshot",
            Command::Reboot => "reboot",
            Command::Relay { .. } => "relay",
            Command::Invalid { what, .. } => what,
        }
    }

    /// Whether carrying it out late would surprise: it moves or restarts something. A stop, a
    /// relay release and a snapshot are carried out however long they waited.
    pub fn expires(&self) -> bool {
        match self {
            Command::Ptz(PtzCommand::Stop) => false,
            Command::Ptz(_) | Command::Reboot => true,
            Command::Relay { on, .. } => *on,
            Command::Snapshot | Command::Invalid { .. } => false,
        }
    }

    /// Read the payload of `command` (`ptz`, `snapshot`, `reboot` or `relay`).
    pub fn parse(command: &str, payload: &[u8]) -> Command {
        let what: &'static str = match command {
            "ptz" => "ptz",
            "snapshot" => "snapshot",
            "relay" => "relay",
            _ => "reboot",
        };
        let invalid = |error: String| Command::Invalid { what, error };
        if payload.len() > MAX_PAYLOAD {
            return invalid(format!(
                "payload of {} bytes (at most {MAX_PAYLOAD})",
                payload.len()
            ));
        }
        let Ok(text) = std::str::from_utf8(payload) else {
            return invalid("payload is not UTF-8".into());
        };
        let text = text.trim();
        match what {
            "snapshot" => Command::Snapshot,
            "reboot" => match text {
                "PRESS" | "reboot" | "true" | "{\"reboot\":true}" => Command::Reboot,
                _ => invalid(format!(
                    "expected PRESS or {{\"reboot\":true}}, got {:?}",
                    clip(text)
                )),
            },
            "relay" => match serde_json::from_str::<Value>(text) {
                Ok(v) => relay(&v).unwrap_or_else(invalid),
                Err(e) => invalid(format!("not JSON ({e}): {:?}", clip(text))),
            },
            _ => match serde_json::from_str::<Value>(text) {
                Ok(v) => ptz(&v).map_or_else(invalid, Command::Ptz),
                Err(e) => invalid(format!("not JSON ({e}): {:?}", clip(text))),
            },
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

fn ptz(v: &Value) -> Result<PtzCommand, String> {
    let obj = v
        .as_object()
        .ok_or("expected an object such as {\"preset\":\"door\"}")?;
    let speed = match obj.get("speed") {
        None => None,
        Some(s) => Some(unit(s, "speed", 0.0, 1.0)?),
    };
    let keys: Vec<&str> = obj
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "speed")
        .collect();
    match keys.as_slice() {
        ["preset"] => match &obj["preset"] {
            Value::String(p) if !p.is_empty() => Ok(PtzCommand::Preset {
                preset: p.clone(),
                speed,
            }),
            _ => Err("preset: expected a preset's name or token".into()),
        },
        ["home"] if obj["home"] == Value::Bool(true) => Ok(PtzCommand::Home { speed }),
        ["stop"] if obj["stop"] == Value::Bool(true) => Ok(PtzCommand::Stop),
        ["move"] => {
            let m = obj["move"]
                .as_object()
                .ok_or("move: expected {\"pan\":..,\"tilt\":..,\"zoom\":..,\"for\":\"1s\"}")?;
            let mut out = (None, None, None, None);
            for (k, v) in m {
                match k.as_str() {
                    "pan" => out.0 = Some(unit(v, "move.pan", -1.0, 1.0)?),
                    "tilt" => out.1 = Some(unit(v, "move.tilt", -1.0, 1.0)?),
                    "zoom" => out.2 = Some(unit(v, "move.zoom", -1.0, 1.0)?),
                    "for" => out.3 = Some(how_long(v, "move.for")?),
                    other => return Err(format!("move.{other}: unknown (pan, tilt, zoom, for)")),
                }
            }
            if out.0.is_none() && out.1.is_none() && out.2.is_none() {
                return Err("move: give pan, tilt or zoom".into());
            }
            Ok(PtzCommand::Move {
                pan: out.0,
                tilt: out.1,
                zoom: out.2,
                duration: out.3,
            })
        }
        _ => Err(format!(
            "expected one of preset, home, move or stop, got {:?}",
            clip(&v.to_string())
        )),
    }
}

/// A command's `for`: a duration (`"2s"`) from 1 ms to 1 h; errors begin with `field`.
fn how_long(v: &Value, field: &str) -> Result<Duration, String> {
    let s = v
        .as_str()
        .ok_or_else(|| format!("{field}: expected a duration such as \"2s\""))?;
    let d = parse_duration(s).map_err(|e| format!("{field}: {e}"))?;
    if d.is_zero() || d > Duration::from_secs(3600) {
        return Err(format!("{field}: between 1 ms and 1 h"));
    }
    Ok(d)
}

/// `{"relay":"RelayOutput_1","state":"on"|"off"|true|false, "for":"2s"}`.
fn relay(v: &Value) -> Result<Command, String> {
    let obj = v
        .as_object()
        .ok_or("expected an object such as {\"relay\":\"RelayOutput_1\",\"state\":\"on\"}")?;
    let mut out = (None, None, None);
    for (k, v) in obj {
        match k.as_str() {
            "relay" => match v {
                Value::String(r) if !r.is_empty() => out.0 = Some(r.clone()),
                _ => return Err("relay: expected the relay's token".into()),
            },
            "state" => {
                out.1 = Some(match v {
                    Value::Bool(b) => *b,
                    Value::String(s) if s.eq_ignore_ascii_case("on") => true,
                    Value::String(s) if s.eq_ignore_ascii_case("off") => false,
                    _ => return Err(format!("state: expected \"on\" or \"off\", got {v}")),
                });
            }
            "for" => out.2 = Some(how_long(v, "for")?),
            other => return Err(format!("{other}: unknown (relay, state, for)")),
        }
    }
    let (Some(relay), Some(on)) = (out.0, out.1) else {
        return Err(
            "give relay and state, e.g. {\"relay\":\"RelayOutput_1\",\"state\":\"on\"}".into(),
        );
    };
    if out.2.is_some() && !on {
        return Err("for: goes with \"state\":\"on\"".into());
    }
    Ok(Command::Relay {
        relay,
        on,
        duration: out.2,
    })
}

fn unit(v: &Value, key: &str, lo: f64, hi: f64) -> Result<f64, String> {
    match v.as_f64() {
        Some(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(format!(
            "{key}: expected a number from {lo} to {hi}, got {v}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_that_move_something_expire_and_stops_do_not() {
        let t0 = tokio::time::Instant::now();
        let late = t0 + MAX_WAIT + Duration::from_secs(1);
        let queued = |payload: &str, command: &str| Queued {
            command: Command::parse(command, payload.as_bytes()),
            arrived: t0,
        };
        for (command, payload) in [
            ("ptz", r#"{"preset":"door"}"#),
            ("ptz", r#"{"home":true}"#),
            ("ptz", r#"{"move":{"pan":0.2}}"#),
            ("reboot", "PRESS"),
            ("relay", r#"{"relay":"R1","state":"on"}"#),
        ] {
            let e = queued(payload, command).take(late).unwrap_err();
            assert!(
                e.starts_with(&format!("{command} dropped: it waited 11 s")),
                "{e}"
            );
            // In time, the same command is carried out.
            assert!(
                queued(payload, command).take(t0 + MAX_WAIT).is_ok(),
                "{command}"
            );
        }
        for (command, payload) in [
            ("ptz", r#"{"stop":true}"#),
            ("relay", r#"{"relay":"R1","state":"off"}"#),
            ("snapshot", ""),
        ] {
            assert!(
                queued(payload, command).take(late).is_ok(),
                "{command} {payload}"
            );
        }
    }

    #[test]
    fn ptz_payloads() {
        assert_eq!(
            Command::parse("ptz", br#"{"preset":"door"}"#),
            Command::Ptz(PtzCommand::Preset {
                preset: "door".into(),
                speed: None
            })
        );
        assert_eq!(
            Command::parse("ptz", br#"{"home":true,"speed":0.5}"#),
            Command::Ptz(PtzCommand::Home { speed: Some(0.5) })
        );
        assert_eq!(
            Command::parse("ptz", br#"{"move":{"pan":0.2,"tilt":0,"for":"1s"}}"#),
            Command::Ptz(PtzCommand::Move {
                pan: Some(0.2),
                tilt: Some(0.0),
                zoom: None,
                duration: Some(Duration::from_secs(1))
            })
        );
        assert_eq!(
            Command::parse("ptz", br#"{"stop":true}"#),
            Command::Ptz(PtzCommand::Stop)
        );
        for (bad, says) in [
            (&br#"{"move":{"pan":3}}"#[..], "move.pan"),
            (br#"{"preset":""}"#, "preset"),
            (br#"{"fly":1}"#, "expected one of"),
            (b"not json", "not JSON"),
            (b"\xff", "UTF-8"),
            (br#"{"move":{"pan":0.1,"for":"forever"}}"#, "move.for"),
            (
                br#"{"move":{"pan":0.1,"for":"2h"}}"#,
                "move.for: between 1 ms and 1 h",
            ),
            (
                br#"{"move":{"pan":0.1,"for":5}}"#,
                "move.for: expected a duration",
            ),
        ] {
            match Command::parse("ptz", bad) {
                Command::Invalid { error, .. } => assert!(error.contains(says), "{error}"),
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(
            Command::parse("ptz", &vec![b' '; 5000]),
            Command::Invalid { .. }
        ));
    }

    #[test]
    fn reboot_and_snapshot_payloads() {
        assert_eq!(Command::parse("reboot", b"PRESS"), Command::Reboot);
        assert!(matches!(
            Command::parse("reboot", b"now"),
            Command::Invalid { what: "reboot", .. }
        ));
        assert_eq!(Command::parse("snapshot", b""), Command::Snapshot);
    }

    #[test]
    fn relay_payloads() {
        assert_eq!(
            Command::parse("relay", br#"{"relay":"R1","state":"ON"}"#),
            Command::Relay {
                relay: "R1".into(),
                on: true,
                duration: None
            }
        );
        assert_eq!(
            Command::parse("relay", br#"{"relay":"R1","state":true,"for":"2s"}"#),
            Command::Relay {
                relay: "R1".into(),
                on: true,
                duration: Some(Duration::from_secs(2))
            }
        );
        for (bad, says) in [
            (&br#"{"relay":"R1"}"#[..], "give relay and state"),
            (br#"{"relay":"R1","state":"half"}"#, "state"),
            (br#"{"relay":"R1","state":"off","for":"1s"}"#, "for"),
            (
                br#"{"relay":"R1","state":"on","for":"0s"}"#,
                "for: between 1 ms and 1 h",
            ),
            (br#"{"relay":"","state":"on"}"#, "relay"),
            (br#"{"relay":"R1","state":"on","colour":1}"#, "colour"),
            (b"[]", "expected an object"),
        ] {
            match Command::parse("relay", bad) {
                Command::Invalid { error, what } => {
                    assert_eq!(what, "relay");
                    assert!(error.contains(says), "{error}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
