//! `diff`: what changed between two recordings (a firmware upgrade, two cameras of one
//! model), at the typed level: each question answered in either is decoded as a live answer,
//! and the answers are compared field by field. A question is told apart as a replay tells
//! it: the operation's namespace and name and the request's fields; the answers a question
//! got are compared in the order they came.
//!
//! What changes by nature is left out: the clock, subscriptions and their messages, the
//! times of a PTZ status; and each camera's own address is written `{camera}`, so two
//! recordings of one model on two addresses compare equal.

use std::collections::{BTreeMap, BTreeSet};
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
    // Answers with the moment the search ended.
    "EndSearch",
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
    /// The operation (with its service when several services answer one of that name), the
    /// request's fields that tell its questions apart, and which of its answers (`#2`) when it
    /// got more than one.
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
    let bytes = std::fs::File::open(path)
        .and_then(|f| har::read_limited(f, har::MAX_BYTES))
        .map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
    Har::parse(&bytes).map_err(|e| Failure::usage(format!("{shown}: {e}")))
}

/// A question, as a replay tells questions apart: the operation's local name and namespace and
/// the request's fields ([`har::request_fields`]); for a request that is not SOAP (a GET),
/// its method and path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Question {
    /// The operation's local name, or `GET /path`.
    op: String,
    /// Its namespace.
    ns: Option<String>,
    /// The request's fields, `(name, value)` in document order.
    fields: Vec<(String, String)>,
}

impl Question {
    /// How the changes name it: the operation, its service when `service`, and its fields:
    /// the tokens it names, or every field when `all`.
    fn name(&self, service: bool, all: bool) -> String {
        let mut name = self.op.clone();
        if service && let Some(ns) = &self.ns {
            let s = proto::Service::from_namespace(ns).map_or(ns.as_str(), |s| s.name());
            name = format!("{name} ({s})");
        }
        let fields: Vec<String> = self
            .fields
            .iter()
            .filter(|(k, _)| all || k.ends_with("Token") || k == "token")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !fields.is_empty() {
            name = format!("{name} [{}]", fields.join(", "));
        }
        name
    }
}

/// The origins (`scheme://host:port`) a recording reached the camera at, longest first.
fn origins(h: &Har) -> Vec<String> {
    let mut origins: Vec<String> = h
        .log
        .entries
        .iter()
        .filter_map(|e| har::origin_of(&e.request.url).map(str::to_owned))
        .collect();
    origins.sort_by_key(|o| std::cmp::Reverse(o.len()));
    origins.dedup();
    origins
}

/// The ports in `origins`.
fn ports(origins: &[String]) -> Vec<u64> {
    origins
        .iter()
        .filter_map(|o| o.rsplit_once(':').and_then(|(_, p)| p.parse().ok()))
        .collect()
}

/// Each question's distinct answers, decoded, in the order they first came (an answer given
/// again is counted once: a tour asks some questions several times, some of them refused on
/// purpose), the camera's addresses written `{camera}`. A protocol's port equal to one of
/// `ports`, where the camera was reached in either recording, is the camera's address too
/// (GetNetworkProtocols; a replay of a recording answers the port the original camera had),
/// written `{camera port}`.
fn answers(h: &Har, ports: &[u64]) -> BTreeMap<Question, Vec<Value>> {
    let origins = origins(h);
    let camera = |t: &str| {
        origins
            .iter()
            .fold(t.to_owned(), |t, o| har::replace_origin(&t, o, "{camera}"))
    };
    let mut out: BTreeMap<Question, Vec<Value>> = BTreeMap::new();
    for e in &h.log.entries {
        if e.response.status == 0 || e.response.status == 401 {
            continue;
        }
        let question = match e.soap_request() {
            Some(op) if VOLATILE_OPS.contains(&op.name.as_str()) => continue,
            Some(op) => Question {
                fields: har::request_fields(&op)
                    .into_iter()
                    .map(|(k, v)| (k, camera(v.as_str())))
                    .collect(),
                ns: op.ns.as_deref().map(str::to_owned),
                op: op.name,
            },
            None => Question {
                op: format!("{} {}", e.request.method, e.path()),
                ns: None,
                fields: Vec::new(),
            },
        };
        let Ok(body) = e.response.content.bytes() else {
            continue;
        };
        let text = camera(&String::from_utf8_lossy(&body));
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
        let value = camera_ports(without_volatile(value), ports, false);
        let given = out.entry(question).or_default();
        if !given.contains(&value) {
            given.push(value);
        }
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

/// Every difference between two recordings, question by question; a question's answers are
/// compared in the order they came.
pub fn changes(before: &Har, after: &Har) -> Vec<Change> {
    let mut camera_ports = ports(&origins(before));
    camera_ports.extend(ports(&origins(after)));
    let (a, b) = (
        answers(before, &camera_ports),
        answers(after, &camera_ports),
    );
    let questions: BTreeSet<&Question> = a.keys().chain(b.keys()).collect();
    // An operation that several services answer (GetServiceCapabilities) is named with its
    // service; questions that their tokens do not tell apart, with all their fields.
    let mut services: BTreeMap<&str, BTreeSet<Option<&str>>> = BTreeMap::new();
    for &q in &questions {
        services
            .entry(q.op.as_str())
            .or_default()
            .insert(q.ns.as_deref());
    }
    let service = |q: &Question| services.get(q.op.as_str()).is_some_and(|s| s.len() > 1);
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    for &q in &questions {
        *named.entry(q.name(service(q), false)).or_default() += 1;
    }
    let none = Vec::new();
    let mut out = Vec::new();
    for q in questions {
        let (va, vb) = (a.get(q).unwrap_or(&none), b.get(q).unwrap_or(&none));
        let short = q.name(service(q), false);
        let name = if named.get(&short).is_some_and(|n| *n > 1) {
            q.name(service(q), true)
        } else {
            short
        };
        // The first answer is the question's; a further distinct one is numbered (`#2`).
        for i in 0..va.len().max(vb.len()) {
            let question = if i == 0 {
                name.clone()
            } else {
                format!("{name} #{}", i + 1)
            };
            match (va.get(i), vb.get(i)) {
                (Some(x), Some(y)) => compare(&question, String::new(), x, y, &mut out),
                (x, y) => out.push(Change {
                    change: if x.is_some() { "removed" } else { "added" },
                    question,
                    path: String::new(),
                    before: x.cloned(),
                    after: y.cloned(),
                }),
            }
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
#[allow(clippy::unwrap_used)]
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

    /// GetServiceCapabilities asked of the device service, then of the event service; the
    /// device's `Network.NTP` is `ntp`.
    fn two_services(ntp: &str) -> Har {
        let env = |body: String| {
            format!(
                r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>{body}</s:Body></s:Envelope>"#
            )
        };
        let entry = |ns: &str, path: &str, caps: &str| {
            json!({
                "request": {
                    "method": "POST",
                    "url": format!("http://192.0.2.1{path}"),
                    "postData": {
                        "mimeType": "application/soap+xml",
                        "text": env(format!(r#"<GetServiceCapabilities xmlns="{ns}"/>"#)),
                    },
                },
                "response": {
                    "status": 200,
                    "content": {
                        "mimeType": "application/soap+xml",
                        "text": env(format!(
                            r#"<GetServiceCapabilitiesResponse xmlns="{ns}">{caps}</GetServiceCapabilitiesResponse>"#
                        )),
                    },
                },
            })
        };
        let device = format!(r#"<Capabilities><Network NTP="{ntp}"/></Capabilities>"#);
        let doc = json!({"log": {"entries": [
            entry(proto::ns::TDS, "/onvif/device_service", &device),
            entry(
                proto::ns::TEV,
                "/onvif/event_service",
                r#"<Capabilities WSPullPointSupport="true"/>"#,
            ),
        ]}});
        Har::parse(doc.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn one_operation_asked_of_two_services_is_two_questions() {
        let same = changes(&two_services("1"), &two_services("1"));
        assert!(same.is_empty(), "{same:?}");
        let list = changes(&two_services("1"), &two_services("2"));
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].question, "GetServiceCapabilities (device)");
        assert_eq!(list[0].path, "data.flags.Network.NTP");
        assert_eq!(list[0].before, Some(json!("1")));
        assert_eq!(list[0].after, Some(json!("2")));
    }

    #[test]
    fn a_question_answered_several_times_compares_its_answers_in_order() {
        let mut before = two_services("1");
        let mut after = two_services("1");
        let again = |h: &Har, ntp: &str| {
            let mut e = h.log.entries[0].clone();
            let text = e.response.content.text.take().unwrap();
            e.response.content.text = Some(text.replace(r#"NTP="1""#, &format!(r#"NTP="{ntp}""#)));
            e
        };
        let (b2, a2) = (again(&before, "3"), again(&after, "4"));
        before.log.entries.push(b2);
        after.log.entries.push(a2);
        let list = changes(&before, &after);
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].question, "GetServiceCapabilities (device) #2");
        assert_eq!(list[0].before, Some(json!("3")));
        assert_eq!(list[0].after, Some(json!("4")));
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
