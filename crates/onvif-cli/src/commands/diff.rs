//! `diff`: what changed between two recordings (a firmware upgrade, two cameras of one
//! model), at the typed level: each question (operation and tokens) answered in either is
//! decoded as a live answer, and the answers are compared field by field.
//!
//! What changes by nature is left out: the clock, subscriptions and their messages, the
//! times of a PTZ status; and each camera's own address is written `{camera}`, so two
//! recordings of one model on two addresses compare equal.

use std::collections::BTreeMap;
use std::path::Path;

use onvif::proto;
use onvif::proto::har::{self, Har};
use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;
use crate::output::Out;

/// Operations whose answers differ on every run.
const VOLATILE_OPS: &[&str] = &[
    "GetSystemDateAndTime",
    "CreatePullPointSubscription",
    "PullMessages",
    "Renew",
    "Unsubscribe",
    "Subscribe",
    "SetSynchronizationPoint",
];

/// Fields that say when: left out wherever they are.
const VOLATILE_FIELDS: &[&str] = &[
    "utc_time",
    "current_time",
    "termination_time",
    "utc_date_time",
    "local_date_time",
];

/// One difference.
#[derive(Debug, Serialize, PartialEq)]
pub struct Change {
    /// `added`, `removed` (a question only one recording answered) or `changed`.
    pub change: &'static str,
    /// The operation, and the tokens that tell its questions apart.
    pub question: String,
    /// Where in the answer (`data.firmware_version`, `data.profiles[2]`); empty for a whole
    /// answer.
    pub path: String,
    /// The value before (absent when added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after (absent when removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

fn read(path: &Path) -> Result<Har, Failure> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
    Har::parse(&bytes).map_err(|e| Failure::usage(format!("{shown}: {e}")))
}

/// Each question's last answer, decoded, the camera's addresses written `{camera}`.
fn answers(h: &Har) -> BTreeMap<String, Value> {
    let mut origins: Vec<String> = h
        .log
        .entries
        .iter()
        .filter_map(|e| har::origin_of(&e.request.url).map(str::to_owned))
        .collect();
    origins.sort_by_key(|o| std::cmp::Reverse(o.len()));
    origins.dedup();
    // The ports the camera was reached on: a protocol's port equal to one of them is the
    // camera's address too (GetNetworkProtocols), written `{camera port}`.
    let ports: Vec<u64> = origins
        .iter()
        .filter_map(|o| o.rsplit_once(':').and_then(|(_, p)| p.parse().ok()))
        .collect();
    let mut out = BTreeMap::new();
    for e in &h.log.entries {
        if e.response.status == 0 || e.response.status == 401 {
            continue;
        }
        let question = match e.soap_request() {
            Some(op) if VOLATILE_OPS.contains(&op.name.as_str()) => continue,
            Some(op) => {
                let keys: Vec<String> = har::key_fields(&op)
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if keys.is_empty() {
                    op.name.clone()
                } else {
                    format!("{} [{}]", op.name, keys.join(", "))
                }
            }
            None => format!("{} {}", e.request.method, e.path()),
        };
        let Ok(body) = e.response.content.bytes() else {
            continue;
        };
        let mut text = String::from_utf8_lossy(&body).into_owned();
        for o in &origins {
            text = text.replace(o.as_str(), "{camera}");
        }
        let value = if text.trim_start().starts_with('<') {
            match proto::decode::decode(text.as_bytes()) {
                Ok(d) => serde_json::to_value(&d).unwrap_or_default(),
                Err(err) => serde_json::json!({ "unreadable": err.to_string() }),
            }
        } else {
            serde_json::json!({
                "status": e.response.status,
                "mime_type": e.response.content.mime_type,
                "bytes": body.len(),
            })
        };
        out.insert(
            question,
            camera_ports(without_volatile(value), &ports, false),
        );
    }
    out
}

/// `v` with each number under a `port` or `ports` key that is one of `ports` written
/// `{camera port}`.
fn camera_ports(mut v: Value, ports: &[u64], under_port: bool) -> Value {
    match &mut v {
        Value::Number(n) if under_port && n.as_u64().is_some_and(|p| ports.contains(&p)) => {
            return Value::String("{camera port}".into());
        }
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                let port = k == "port" || k == "ports";
                *x = camera_ports(std::mem::take(x), ports, port);
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                *x = camera_ports(std::mem::take(x), ports, under_port);
            }
        }
        _ => {}
    }
    v
}

fn without_volatile(mut v: Value) -> Value {
    match &mut v {
        Value::Object(m) => {
            m.retain(|k, _| !VOLATILE_FIELDS.contains(&k.as_str()));
            for x in m.values_mut() {
                *x = without_volatile(std::mem::take(x));
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                *x = without_volatile(std::mem::take(x));
            }
        }
        _ => {}
    }
    v
}

/// The differences between two answers to one question, by path.
fn compare(question: &str, path: String, a: &Value, b: &Value, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                compare_either(question, p, x.get(k), y.get(k), out);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                compare_either(question, format!("{path}[{i}]"), x.get(i), y.get(i), out);
            }
        }
        (a, b) if a != b => changed(question, path, Some(a.clone()), Some(b.clone()), out),
        _ => {}
    }
}

/// One member or item that either side may lack: compared further when both have it.
fn compare_either(
    question: &str,
    path: String,
    a: Option<&Value>,
    b: Option<&Value>,
    out: &mut Vec<Change>,
) {
    match (a, b) {
        (Some(a), Some(b)) => compare(question, path, a, b, out),
        (a, b) => changed(question, path, a.cloned(), b.cloned(), out),
    }
}

fn changed(
    question: &str,
    path: String,
    before: Option<Value>,
    after: Option<Value>,
    out: &mut Vec<Change>,
) {
    out.push(Change {
        change: "changed",
        question: question.into(),
        path,
        before,
        after,
    });
}

/// Every difference between two recordings.
pub fn changes(before: &Har, after: &Har) -> Vec<Change> {
    let (a, b) = (answers(before), answers(after));
    let mut out = Vec::new();
    for (q, va) in &a {
        match b.get(q) {
            Some(vb) => compare(q, String::new(), va, vb, &mut out),
            None => out.push(Change {
                change: "removed",
                question: q.clone(),
                path: String::new(),
                before: Some(va.clone()),
                after: None,
            }),
        }
    }
    for (q, vb) in &b {
        if !a.contains_key(q) {
            out.push(Change {
                change: "added",
                question: q.clone(),
                path: String::new(),
                before: None,
                after: Some(vb.clone()),
            });
        }
    }
    out
}

/// `diff BEFORE AFTER`: the differences, as JSON or one line each; nothing when there are
/// none (exit 0 either way, as the differences are the answer).
pub fn run(before: &Path, after: &Path, out: &Out) -> Result<(), Failure> {
    let list = changes(&read(before)?, &read(after)?);
    out.answer(&list, |list| {
        if list.is_empty() {
            return "no differences".into();
        }
        let short = |v: &Option<Value>| match v {
            None => "(none)".to_owned(),
            Some(v) => {
                let s = v.to_string();
                if s.chars().count() > 120 {
                    format!("{}…", s.chars().take(120).collect::<String>())
                } else {
                    s
                }
            }
        };
        list.iter()
            .map(|c| match c.change {
                "changed" => format!(
                    "changed  {}  {}: {} → {}\n",
                    c.question,
                    c.path,
                    short(&c.before),
                    short(&c.after)
                ),
                other => format!("{other:<8} {}\n", c.question),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn diff(a: Value, b: Value) -> Vec<(String, Option<Value>, Option<Value>)> {
        let mut out = Vec::new();
        compare("Q", String::new(), &a, &b, &mut out);
        assert!(
            out.iter()
                .all(|c| c.change == "changed" && c.question == "Q")
        );
        out.into_iter()
            .map(|c| (c.path, c.before, c.after))
            .collect()
    }

    #[test]
    fn members_and_items_either_side_lacks_are_told_by_path() {
        let a = json!({"a": 1, "b": {"x": [1, 2]}, "gone": true, "same": [1]});
        let b = json!({"a": 2, "b": {"x": [1, 3, 4]}, "new": null, "same": [1]});
        assert_eq!(
            diff(a, b),
            vec![
                ("a".into(), Some(json!(1)), Some(json!(2))),
                ("b.x[1]".into(), Some(json!(2)), Some(json!(3))),
                ("b.x[2]".into(), None, Some(json!(4))),
                ("gone".into(), Some(json!(true)), None),
                ("new".into(), None, Some(Value::Null)),
            ]
        );
    }

    #[test]
    fn a_value_that_changes_kind_is_one_change() {
        assert_eq!(
            diff(json!({"a": {"b": 1}}), json!({"a": [1]})),
            vec![("a".into(), Some(json!({"b": 1})), Some(json!([1])))]
        );
        assert!(diff(json!({"a": [1]}), json!({"a": [1]})).is_empty());
    }
}
