//! Normalised kinds: a table of rules, kept as data a user can extend, that names what an
//! event is (motion, person, tamper, ...) from its topic and data items.

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use super::notification::NotificationMessage;
use super::properties::TopicEntry;
use super::topics::{TNS1, TopicStep, effective_namespaces};
use crate::error::Error;
use crate::ops::message::parse_bool;

/// One rule of the kind table: a topic pattern and a data item name give a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindRule {
    /// Consecutive steps that must appear in the topic, `/`-separated, names compared without
    /// case (`CellMotionDetector/Motion`); `*` for any topic. A step may name its namespace,
    /// `{uri}Name` or `prefix:Name` (see [`KindTable::parse`]): it then matches only a topic
    /// step in that namespace (its own, or for an unprefixed step the one it inherits, see
    /// [`effective_ns`](super::effective_ns)). As written.
    pub topic: String,
    /// The topic pattern's steps, namespaces resolved (`None`: any namespace).
    #[serde(skip)]
    pub pattern: Vec<TopicStep>,
    /// The data item whose value is the state (`IsMotion`); `*` for any or none.
    pub item: String,
    /// The normalised kind (`motion`).
    pub kind: String,
}

/// What kind of event a message is, and its state when the item is a boolean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventKind {
    /// The normalised kind.
    pub kind: String,
    /// The state (`true` when motion starts), when the item is boolean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// The seed table: `topic-pattern item kind`, one rule a line (`#` starts a comment). The
/// same format is read by [`KindTable::parse`], for rules a user adds, which may also declare
/// prefixes for namespaced steps (`xmlns:tnshik http://www.hikvision.com/2011/event/topics`).
pub const DEFAULT_KIND_RULES: &str = "\
# ONVIF standard topics
RuleEngine/CellMotionDetector/Motion          IsMotion        motion
VideoSource/MotionAlarm                       State           motion
RuleEngine/TamperDetector/Tamper              IsTamper        tamper
VideoSource/GlobalSceneChange                 State           tamper
RuleEngine/LineDetector/Crossed               *               line-crossing
RuleEngine/FieldDetector/ObjectsInside        IsInside        intrusion
Device/Trigger/DigitalInput                   LogicalState    digital-input
Device/Trigger/Relay                          LogicalState    relay
Device/IO/VirtualPort                         State           digital-input
AudioAnalytics/Audio/DetectedSound            IsSoundDetected sound
# TP-Link Tapo (names vary with the firmware)
RuleEngine/PeopleDetector/People              IsPeople        person
RuleEngine/CellMotionDetector/People          IsPeople        person
RuleEngine/VehicleDetector/Vehicle            IsVehicle       vehicle
RuleEngine/TPSmartEventDetector/TPSmartEvent  IsVehicle       vehicle
RuleEngine/TPSmartEventDetector/TPSmartEvent  IsPeople        person
RuleEngine/TPSmartEventDetector/TPSmartEvent  IsPet           pet
RuleEngine/LineCrossDetector/LineCross        IsLineCross     line-crossing
RuleEngine/CellMotionDetector/LineCross       *               line-crossing
RuleEngine/IntrusionDetector/Intrusion        IsIntrusion     intrusion
RuleEngine/CellMotionDetector/Intrusion       *               intrusion
# Hikvision
RuleEngine/MyRuleDetector/PeopleDetect        IsPeople        person
RuleEngine/MyRuleDetector/VehicleDetect       IsVehicle       vehicle
RuleEngine/MyRuleDetector/LineDetect          *               line-crossing
RuleEngine/MyRuleDetector/FieldDetect         *               intrusion
# Axis
VideoAnalytics/MotionDetection                motion          motion
Device/IO/Port                                state           digital-input
VideoSource/Tampering                         *               tamper
# Any topic: the item names alone
*                                             IsMotion        motion
*                                             IsPeople        person
*                                             IsVehicle       vehicle
*                                             IsPet           pet
*                                             IsTamper        tamper
*                                             IsLineCross     line-crossing
*                                             IsIntrusion     intrusion
";

/// The table that gives events their normalised kind. First matching rule wins.
///
/// The rules are shared: a clone costs a reference count, and every default table of a
/// process is the same one (a bridge following a thousand cameras keeps one copy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindTable {
    /// The rules, tried in order.
    pub rules: Arc<[KindRule]>,
}

impl Default for KindTable {
    fn default() -> Self {
        static SEED: OnceLock<KindTable> = OnceLock::new();
        SEED.get_or_init(|| {
            // The seed table is well-formed (a unit test checks it).
            KindTable::parse(DEFAULT_KIND_RULES).unwrap_or(KindTable {
                rules: Arc::new([]),
            })
        })
        .clone()
    }
}

/// The prefix every kind table knows without a declaration.
const KIND_PREFIXES: &[(&str, &str)] = &[("tns1", TNS1)];

/// A line with its comment removed: `#` starts a comment, except inside a `{uri}` and, on an
/// `xmlns:` line, within the URI (where it starts one only after whitespace).
fn strip_comment(line: &str) -> &str {
    let decl = line.trim_start().starts_with("xmlns:");
    let mut depth = 0usize;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '#' if depth == 0 && (!decl || prev_space) => return &line[..i],
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    line
}

/// Split a topic pattern on the `/` outside `{...}`.
fn split_pattern(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in pattern.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => {
                out.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&pattern[start..]);
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The state a data item says: a boolean, or a relay's `active` / `inactive`
/// (`tt:RelayLogicalState`).
fn item_state(name: &str, value: &str) -> Option<bool> {
    parse_bool(name, value).ok().or_else(|| {
        let v = value.trim();
        if v.eq_ignore_ascii_case("active") {
            Some(true)
        } else if v.eq_ignore_ascii_case("inactive") {
            Some(false)
        } else {
            None
        }
    })
}

impl KindTable {
    /// Read rules, one per line: `topic-pattern item kind`. Blank lines and `#` comments are
    /// skipped; a line `xmlns:PREFIX URI` declares a prefix for the pattern steps of the whole
    /// file (`tns1` is known). A pattern step is `Name` (any namespace), `{uri}Name` or
    /// `PREFIX:Name`. A line with another number of fields, an unclosed `{`, or an undeclared
    /// prefix is an error naming it.
    pub fn parse(text: &str) -> Result<KindTable, Error> {
        let mut prefixes: Vec<(String, String)> = KIND_PREFIXES
            .iter()
            .map(|(p, u)| ((*p).to_owned(), (*u).to_owned()))
            .collect();
        let mut lines = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = strip_comment(line).trim();
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            if let Some(prefix) = f[0].strip_prefix("xmlns:") {
                let [_, uri] = f.as_slice() else {
                    return Err(Error::invalid(
                        format!("kind rule on line {}", i + 1),
                        line,
                        "expected `xmlns:PREFIX URI`",
                    ));
                };
                if prefix.is_empty() || prefix.contains(['{', '}', '/']) {
                    return Err(Error::invalid(
                        format!("kind rule on line {}", i + 1),
                        line,
                        "expected a prefix after `xmlns:`",
                    ));
                }
                prefixes.push((prefix.to_owned(), (*uri).to_owned()));
                continue;
            }
            lines.push((i, line, f));
        }
        let mut rules = Vec::new();
        for (i, line, f) in lines {
            let where_ = || format!("kind rule on line {}", i + 1);
            let [topic, item, kind] = f.as_slice() else {
                return Err(Error::invalid(
                    where_(),
                    line,
                    "expected `topic-pattern item kind` (or `xmlns:PREFIX URI`)",
                ));
            };
            let mut pattern = Vec::new();
            if *topic != "*" {
                for step in split_pattern(topic) {
                    let parsed = if let Some(rest) = step.strip_prefix('{') {
                        let Some((uri, name)) = rest.split_once('}') else {
                            return Err(Error::invalid(where_(), line, "a `{` is not closed"));
                        };
                        TopicStep {
                            unbound: false,
                            ns: Some(uri.to_owned()),
                            name: name.to_owned(),
                        }
                    } else if let Some((p, name)) = step.split_once(':') {
                        let Some((_, uri)) = prefixes.iter().rev().find(|(q, _)| q == p) else {
                            return Err(Error::invalid(
                                where_(),
                                line,
                                format!(
                                    "the prefix `{p}` is not declared (add a line `xmlns:{p} URI`)"
                                ),
                            ));
                        };
                        TopicStep {
                            unbound: false,
                            ns: Some(uri.clone()),
                            name: name.to_owned(),
                        }
                    } else {
                        TopicStep {
                            unbound: false,
                            ns: None,
                            name: step.to_owned(),
                        }
                    };
                    if parsed.name.is_empty() || parsed.name.contains(['{', '}']) {
                        return Err(Error::invalid(
                            where_(),
                            line,
                            format!("bad topic step `{step}`"),
                        ));
                    }
                    pattern.push(parsed);
                }
            }
            rules.push(KindRule {
                topic: (*topic).to_owned(),
                pattern,
                item: (*item).to_owned(),
                kind: (*kind).to_owned(),
            });
        }
        Ok(KindTable {
            rules: rules.into(),
        })
    }

    /// Add rules read from `text` in front of the current ones (so they take precedence).
    pub fn extend_front(&mut self, text: &str) -> Result<(), Error> {
        let more = KindTable::parse(text)?;
        self.rules = more
            .rules
            .iter()
            .chain(self.rules.iter())
            .cloned()
            .collect();
        Ok(())
    }

    /// The kind of a message, if a rule matches.
    pub fn classify(&self, m: &NotificationMessage) -> Option<EventKind> {
        let steps = &m.topic.steps;
        let namespaces = effective_namespaces(steps);
        self.rules.iter().find_map(|r| {
            if !r.matches_topic(steps, &namespaces) {
                return None;
            }
            if r.item == "*" {
                let active = m
                    .message
                    .data
                    .iter()
                    .find_map(|i| item_state(&i.name, &i.value));
                return Some(EventKind {
                    kind: r.kind.clone(),
                    active,
                });
            }
            match m
                .message
                .data
                .iter()
                .find(|i| i.name.eq_ignore_ascii_case(&r.item))
            {
                Some(item) => Some(EventKind {
                    kind: r.kind.clone(),
                    active: item_state(&item.name, &item.value),
                }),
                // An element item has no boolean state of its own.
                None => m
                    .message
                    .data_elements
                    .iter()
                    .any(|i| i.name.eq_ignore_ascii_case(&r.item))
                    .then(|| EventKind {
                        kind: r.kind.clone(),
                        active: None,
                    }),
            }
        })
    }

    /// The kind the events of a topic the camera offers (GetEventProperties) will have, if a
    /// rule matches its topic and one of the data items its description names.
    pub fn offered(&self, entry: &TopicEntry) -> Option<&str> {
        let namespaces = effective_namespaces(&entry.steps);
        let has_item = |name: &str| {
            entry.message.as_ref().is_some_and(|m| {
                m.data
                    .iter()
                    .chain(&m.data_elements)
                    .any(|i| i.name.eq_ignore_ascii_case(name))
            })
        };
        self.rules
            .iter()
            .find(|r| {
                r.matches_topic(&entry.steps, &namespaces) && (r.item == "*" || has_item(&r.item))
            })
            .map(|r| r.kind.as_str())
    }
}

impl KindRule {
    /// Does the rule's topic pattern appear in these steps (`*`: any topic)?
    fn matches_topic(&self, steps: &[TopicStep], namespaces: &[Option<&str>]) -> bool {
        let pat = &self.pattern;
        self.topic == "*"
            || !pat.is_empty()
                && pat.len() <= steps.len()
                && (0..=steps.len() - pat.len()).any(|at| {
                    pat.iter().enumerate().all(|(j, p)| {
                        p.name.eq_ignore_ascii_case(&steps[at + j].name)
                            && p.ns
                                .as_deref()
                                .is_none_or(|ns| namespaces[at + j] == Some(ns))
                    })
                })
    }
}
