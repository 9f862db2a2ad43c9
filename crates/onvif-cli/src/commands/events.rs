//! The event service's commands (`onvif events ...`): follow events (pull, push or auto),
//! the topic tree, the current message of a topic; with their text rendering. Also the kind
//! table `--kinds` extends, which `decode` uses too.

use std::time::Duration;

use onvif::Camera;
use onvif::events::{Event, EventSession, Lifecycle, PushConfig, SessionConfig, SessionItem};
use onvif::proto::ops::events::{
    ElementItem, EventProperties, KindTable, SimpleItem, TopicFilter, TopicNode,
};
use onvif::proto::xml::Element;
use serde::Serialize;

use crate::args::events::{EventsAction, EventsArgs, Mode};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean, json_safe, message};

/// One printed event: the camera and the event.
#[derive(Serialize)]
struct Line<'a> {
    camera: &'a str,
    #[serde(flatten)]
    event: &'a Event,
}

/// Run `events` (follow) or `events properties`.
pub async fn run(cam: &Camera, args: &EventsArgs, out: &Out) -> Result<(), Failure> {
    match args.action {
        Some(EventsAction::Properties) => {
            let p = cam.event_properties().await?;
            out.answer(&p, properties_text)
        }
        Some(EventsAction::Current) => {
            let Some(topic) = &args.topic else {
                return Err(Failure::usage(
                    "events current needs --topic, e.g. --topic tns1:Device/Trigger/DigitalInput",
                ));
            };
            let camera = camera_label(cam);
            match cam.current_message(topic).await? {
                Some(e) => {
                    let line = Line {
                        camera: &camera,
                        event: &e,
                    };
                    out.show(&line, || event_text(&camera, &e));
                }
                None => {
                    out.show(&serde_json::Value::Null, || {
                        format!("no current message on {topic}")
                    });
                }
            }
            Ok(())
        }
        None => follow(cam, args, out).await,
    }
}

fn properties_text(p: &EventProperties) -> String {
    // `parent_ns`: the namespace the node inherits; a node in another one shows its own.
    fn walk(n: &TopicNode, depth: usize, parent_ns: Option<&str>, out: &mut String) {
        let pad = "  ".repeat(depth);
        out.push_str(&format!("{pad}{}", clean(&n.name)));
        if let Some(ns) = &n.ns
            && (depth == 0 || Some(ns.as_str()) != parent_ns)
        {
            out.push_str(&format!("  ({})", clean(ns)));
        }
        out.push('\n');
        if let Some(m) = &n.message {
            type Desc = onvif::proto::ops::events::ItemDescription;
            let items =
                |v: &[Desc], elements: &[Desc]| {
                    v.iter()
                        .map(|i| format!("{}:{}", clean(&i.name), clean(&i.type_name)))
                        .chain(elements.iter().map(|i| {
                            format!("{}:{} (element)", clean(&i.name), clean(&i.type_name))
                        }))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
            for (label, v, e) in [
                ("source", &m.source, &m.source_elements),
                ("key", &m.key, &m.key_elements),
                ("data", &m.data, &m.data_elements),
            ] {
                if !v.is_empty() || !e.is_empty() {
                    out.push_str(&format!("{pad}    {label}: {}\n", items(v, e)));
                }
            }
        }
        let ns = n.ns.as_deref().or(parent_ns);
        for c in &n.children {
            walk(c, depth + 1, ns, out);
        }
    }
    let mut s = String::new();
    for t in &p.topics {
        walk(t, 0, None, &mut s);
    }
    if !p.topic_expression_dialects.is_empty() {
        s.push_str(&format!(
            "topic expression dialects: {}",
            p.topic_expression_dialects.join(", ")
        ));
    }
    s.trim_end().to_owned()
}

/// An element item's tree on one line: a leaf is its text, an element with attributes or
/// children `{attr=v Child=...}` (namespaces are in the JSON output).
fn element_text(e: &Element) -> String {
    if e.children.is_empty() && e.attrs.is_empty() {
        return clean(e.text());
    }
    let mut parts: Vec<String> = e
        .attrs
        .iter()
        .map(|a| format!("{}={}", clean(&a.name), clean(&a.value)))
        .collect();
    if !e.text().is_empty() {
        parts.push(clean(e.text()));
    }
    parts.extend(
        e.children
            .iter()
            .map(|c| format!("{}={}", clean(&c.name), element_text(c))),
    );
    format!("{{{}}}", parts.join(" "))
}

fn items(v: &[SimpleItem], elements: &[ElementItem]) -> String {
    v.iter()
        .map(|i| format!("{}={}", clean(&i.name), clean(&i.value)))
        .chain(elements.iter().map(|i| {
            let value = i.element.as_ref().map(element_text).unwrap_or_default();
            format!("{}={value}", clean(&i.name))
        }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How event lines name the camera: host:port (the port only when the URL has one).
fn camera_label(cam: &Camera) -> String {
    let url = cam.device_url();
    url.host_str()
        .map(|h| match url.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_owned(),
        })
        .unwrap_or_default()
}

fn event_text(camera: &str, e: &Event) -> String {
    // To the millisecond, always: the lines stay aligned (`.14Z` was printed beside `.140Z`).
    let time = e.time.map_or_else(
        || "-".to_owned(),
        |t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    );
    let kind = match &e.kind {
        Some(k) => match k.active {
            Some(a) => format!("{}={}", k.kind, if a { "on" } else { "off" }),
            None => k.kind.clone(),
        },
        None => "-".to_owned(),
    };
    let op = e.property_operation.map_or("-", |o| o.as_str());
    // The topic: its path and, where known, its namespace; a step in another namespace than
    // the first is written `{uri}Name`, as a kind rule would match it.
    let path = clean(&e.topic.display_path());
    let topic = match &e.topic.ns {
        Some(ns) if !ns.is_empty() => format!("{path} ({})", clean(ns)),
        _ => path,
    };
    let mut line = format!(
        "{time} {camera} {kind} {topic} [{op}] source: {}",
        items(&e.source, &e.source_elements),
    );
    if !e.key.is_empty() || !e.key_elements.is_empty() {
        line.push_str(&format!(" key: {}", items(&e.key, &e.key_elements)));
    }
    line.push_str(&format!(" data: {}", items(&e.data, &e.data_elements)));
    // A camera's values can be megabytes; `--json` carries them whole.
    onvif::proto::text::cut(&line, LINE_LIMIT).into_owned()
}

/// The most of one event's text line shown.
const LINE_LIMIT: usize = 4096;

/// How long closing (Unsubscribe) may take when following events ends.
const CLOSE_LIMIT: Duration = Duration::from_secs(5);

/// The built-in kind table, with the rules of `path` (`--kinds FILE`) in front.
pub fn kind_table(path: Option<&std::path::Path>) -> Result<KindTable, Failure> {
    let mut kinds = KindTable::default();
    if let Some(path) = path {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        kinds
            .extend_front(&text)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    Ok(kinds)
}

async fn follow(cam: &Camera, args: &EventsArgs, out: &Out) -> Result<(), Failure> {
    if args.lifecycle && !out.json {
        return Err(Failure::usage(
            "--lifecycle goes with --json (as text, the lifecycle is always on standard error)",
        ));
    }
    let kinds = kind_table(args.kinds.as_deref())?;
    let cfg = SessionConfig {
        filter: args.topic.as_deref().map(TopicFilter::concrete_set),
        kinds,
        unsubscribe_on_close: !args.no_unsubscribe,
        liveness: Some(args.liveness.abs),
        silence: Some(args.silence).filter(|s| !s.is_zero()),
        repeat_states: args.repeat_states,
        ..SessionConfig::default()
    };
    let camera = camera_label(cam);
    let push = PushConfig {
        listen: args.listen,
        advertise: args.advertise.clone(),
        ..PushConfig::default()
    };
    let started = match args.mode {
        Mode::Pull => EventSession::pull(cam.clone(), cfg).await,
        Mode::Push => EventSession::push(cam.clone(), cfg, push).await,
        Mode::Auto => EventSession::auto(cam.clone(), cfg, push, Duration::from_secs(5)).await,
    };
    let (session, mut rx) = started?;
    let mut told = Told::default();
    if let Some((addr, path)) = session.push_endpoint() {
        eprintln!("events: listening on {addr}, path {path}");
    }
    let limit = args
        .for_
        .map_or(Duration::from_secs(100 * 365 * 86_400), |d| d.abs);
    let deadline = tokio::time::sleep(limit);
    tokio::pin!(deadline);
    let ctrl_c = crate::stop::requested();
    tokio::pin!(ctrl_c);
    // Why the session ended when the user did not end it (`--for`, Ctrl-C): the camera
    // refused the credentials (the session gives up rather than lock the account), or it
    // ended for another reason; either is a failure, not a normal exit.
    let mut refused: Option<String> = None;
    let mut lost: Option<String> = None;
    // The last attempt to make it again found the camera not answering.
    let mut unreachable = false;
    let mut ended_by_itself = false;
    loop {
        tokio::select! {
            item = rx.recv() => match item {
                Some(SessionItem::Event(e)) => {
                    let line = Line { camera: &camera, event: &e };
                    let text = if out.json {
                        match serde_json::to_string(&line) {
                            Ok(s) => json_safe(s),
                            Err(e) => {
                                eprintln!("onvif: cannot render an event: {e}");
                                continue;
                            }
                        }
                    } else {
                        event_text(&camera, &e)
                    };
                    // Its reader gone (`| head`): ended as by the user, unsubscribed.
                    if !crate::output::try_out_line(&text) {
                        break;
                    }
                }
                Some(SessionItem::Lifecycle(l)) => {
                    if let Some(line) = told.line(&l, std::time::Instant::now()) {
                        eprintln!("events: {}", message(&line));
                    }
                    if out.json
                        && args.lifecycle
                        && !crate::output::try_out_line(&lifecycle_json(&camera, &l))
                    {
                        break;
                    }
                    match l {
                        Lifecycle::Lost { reason, credentials_refused: true, .. } => {
                            refused = Some(reason);
                        }
                        Lifecycle::Lost { reason, .. } => lost = Some(reason),
                        Lifecycle::RetryFailed { sooner_when_back, .. } => {
                            unreachable = sooner_when_back;
                        }
                        Lifecycle::Recreated { .. } => {
                            lost = None;
                            unreachable = false;
                        }
                        Lifecycle::Closed => {
                            ended_by_itself = true;
                            break;
                        }
                        _ => {}
                    }
                }
                None => {
                    ended_by_itself = true;
                    break;
                }
            },
            _ = &mut deadline => break,
            _ = &mut ctrl_c => break,
        }
    }
    // Unsubscribing may hang on a camera gone silent: bounded, and a second Ctrl-C exits.
    let closing = tokio::time::timeout(CLOSE_LIMIT, session.close());
    tokio::pin!(closing);
    tokio::select! {
        r = &mut closing => {
            if r.is_err() {
                eprintln!(
                    "events: the camera did not answer within {} s; the subscription is left \
                     to expire",
                    CLOSE_LIMIT.as_secs()
                );
            }
        }
        _ = tokio::signal::ctrl_c() => {
            eprintln!("events: interrupted again; exiting without unsubscribing");
            std::process::exit(130);
        }
    }
    // Lifecycle signals of the close (Closed).
    while let Ok(item) = rx.try_recv() {
        if let SessionItem::Lifecycle(l) = item {
            if let Some(line) = told.line(&l, std::time::Instant::now()) {
                eprintln!("events: {}", message(&line));
            }
            if out.json && args.lifecycle {
                crate::output::try_out_line(&lifecycle_json(&camera, &l));
            }
        }
    }
    ended(refused, lost, ended_by_itself, unreachable)
}

/// How following events ended: `Ok` when the user ended it (`--for`, Ctrl-C) with the
/// subscription alive; the camera refusing the credentials is an authentication failure; a
/// subscription lost and not made again by then is the network's (`unreachable`: the camera
/// stopped answering) or the camera's, as is any end the session came to by itself.
fn ended(
    refused: Option<String>,
    lost: Option<String>,
    by_itself: bool,
    unreachable: bool,
) -> Result<(), Failure> {
    if let Some(reason) = refused {
        return Err(Failure {
            code: exit::AUTH,
            message: format!("events stopped: {reason} (check the user name and password)"),
        });
    }
    if by_itself {
        return Err(Failure {
            code: exit::DEVICE,
            message: match lost {
                Some(reason) => format!("events stopped: the session ended ({reason})"),
                None => "events stopped: the session ended by itself".to_owned(),
            },
        });
    }
    if let Some(reason) = lost {
        return Err(Failure {
            code: if unreachable {
                exit::NETWORK
            } else {
                exit::DEVICE
            },
            message: format!(
                "events were not followed to the end: the subscription was lost ({reason}) and \
                 not made again"
            ),
        });
    }
    Ok(())
}

/// A lifecycle signal as one JSON line (`--json --lifecycle`): the camera, the signal's own
/// fields (`"lifecycle": "lost"`, ...), and `"text"`, the sentence standard error shows.
fn lifecycle_json(camera: &str, l: &Lifecycle) -> String {
    let mut v = serde_json::to_value(l).unwrap_or_else(|_| serde_json::json!({}));
    if let Some(o) = v.as_object_mut() {
        o.insert("camera".into(), camera.into());
        o.insert("text".into(), l.to_string().into());
    }
    json_safe(v.to_string())
}

/// A lifecycle line said again within this time, word for word, is not repeated: a camera
/// granting a second is renewed every 0.8 s, and would fill the terminal.
const REPEAT_GAP: Duration = Duration::from_secs(30);

/// The lifecycle lines said so far: repeats are counted instead of written.
#[derive(Default)]
struct Told {
    /// The last line written, when, and how many times it came again since.
    last: Option<(String, std::time::Instant, u64)>,
}

impl Told {
    /// The line to write for `l` at `now`, or `None` when it repeats the last one within
    /// [`REPEAT_GAP`]. A line written after repeats says how many there were.
    fn line(&mut self, l: &Lifecycle, now: std::time::Instant) -> Option<String> {
        let text = clean(&l.to_string());
        if let Some((last, at, repeats)) = &mut self.last
            && *last == text
            && now.duration_since(*at) < REPEAT_GAP
            && *l != Lifecycle::Closed
        {
            *repeats += 1;
            return None;
        }
        let out = match &self.last {
            Some((last, at, repeats)) if *repeats > 0 => {
                let secs = now.duration_since(*at).as_secs();
                let times = if *repeats == 1 { "time" } else { "times" };
                if *last == text {
                    format!("{text} (and {repeats} more {times} in the last {secs} s)")
                } else {
                    format!(
                        "(the line before came {repeats} more {times} in {secs} s)\nevents: {text}"
                    )
                }
            }
            _ => text.clone(),
        };
        self.last = Some((text, now, 0));
        Some(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The text line of a cell-motion event whose one data item is `name`=`value`.
    fn motion_line(name: &str, value: &str) -> String {
        let m = onvif::proto::ops::events::NotificationMessage::onvif(
            "RuleEngine/CellMotionDetector/Motion",
            jiff::Timestamp::UNIX_EPOCH,
            onvif::proto::ops::events::PropertyOperation::Changed,
            Vec::new(),
            vec![onvif::proto::ops::events::SimpleItem::new(name, value)],
        );
        event_text("cam", &Event::from_message(m, &KindTable::default()))
    }

    #[test]
    fn event_times_are_written_to_the_millisecond_always() {
        let line = motion_line("IsMotion", "true");
        assert!(line.starts_with("1970-01-01T00:00:00.000Z cam "), "{line}");
    }

    #[test]
    fn an_event_of_megabytes_is_one_cut_line() {
        let line = motion_line("Blob", &"x".repeat(5_000_000));
        assert!(line.len() < LINE_LIMIT + 100, "{}", line.len());
        assert!(
            line.ends_with("more bytes)"),
            "{}",
            &line[line.len() - 40..]
        );
    }

    #[test]
    fn event_lines_show_the_topic_namespace() {
        let line = motion_line("IsMotion", "true");
        assert!(
            line.contains(
                "RuleEngine/CellMotionDetector/Motion (http://www.onvif.org/ver10/topics)"
            ),
            "{line}"
        );
    }

    #[test]
    fn event_lines_show_vendor_steps_and_element_items() {
        use onvif::proto::ops::events::{NotificationMessage, PropertyOperation, Topic, TopicStep};
        let hik = "http://www.hikvision.com/2011/event/topics";
        let mut m = NotificationMessage::onvif(
            "Device/Trigger/AlarmIn",
            jiff::Timestamp::UNIX_EPOCH,
            PropertyOperation::Changed,
            vec![SimpleItem::new("AlarmInToken", "In\x1b[31m1")],
            vec![SimpleItem::new("State", "true")],
        );
        let mut t: Topic = m.topic.clone();
        t.steps[2] = TopicStep {
            ns: Some(hik.into()),
            name: "AlarmIn".into(),
            unbound: false,
        };
        m.topic = t;
        let mut link = Element::new(Some("http://www.onvif.org/ver10/schema"), "Link");
        for (name, text) in [
            ("AutoNegotiation", "true"),
            ("Speed", "100"),
            ("Duplex", "Full"),
        ] {
            let mut c = Element::new(Some("http://www.onvif.org/ver10/schema"), name);
            c.text = text.into();
            link.children.push(c);
        }
        m.message.data_elements = vec![ElementItem::new("Link", link)];
        let e = Event::from_message(m, &KindTable::default());
        let line = event_text("cam", &e);
        assert!(
            line.contains(&format!(
                "Device/Trigger/{{{hik}}}AlarmIn (http://www.onvif.org/ver10/topics)"
            )),
            "{line}"
        );
        assert!(
            line.contains("data: State=true Link={AutoNegotiation=true Speed=100 Duplex=Full}"),
            "{line}"
        );
        // Device text cannot send escape sequences to the terminal.
        assert!(!line.contains('\x1b'), "{line}");
        assert!(line.contains("AlarmInToken=In\\u{1b}[31m1"), "{line}");
    }

    #[test]
    fn properties_show_element_items_and_vendor_steps() {
        use onvif::proto::ops::events::{ItemDescription, MessageDescription};
        let d = |n: &str, t: &str| ItemDescription {
            name: n.into(),
            type_name: t.into(),
        };
        let p = EventProperties {
            topics: vec![TopicNode {
                name: "Device".into(),
                ns: Some("http://www.onvif.org/ver10/topics".into()),
                is_topic: false,
                message: None,
                children: vec![TopicNode {
                    name: "AlarmIn".into(),
                    ns: Some("http://www.hikvision.com/2011/event/topics".into()),
                    is_topic: true,
                    message: Some(MessageDescription {
                        is_property: true,
                        data: vec![d("State", "xs:boolean")],
                        data_elements: vec![d("Link", "tt:NetworkInterfaceLink")],
                        ..MessageDescription::default()
                    }),
                    children: Vec::new(),
                }],
            }],
            ..EventProperties::default()
        };
        let text = properties_text(&p);
        assert!(
            text.contains("  AlarmIn  (http://www.hikvision.com/2011/event/topics)"),
            "{text}"
        );
        assert!(
            text.contains("data: State:xs:boolean, Link:tt:NetworkInterfaceLink (element)"),
            "{text}"
        );
    }

    #[test]
    fn a_subscription_lost_at_the_end_is_a_failure() {
        assert!(ended(None, None, false, false).is_ok());
        let code = |lost: Option<&str>, unreachable| {
            ended(None, lost.map(str::to_owned), false, unreachable)
                .err()
                .map(|f| f.code)
        };
        assert_eq!(code(Some("gone"), true), Some(exit::NETWORK));
        assert_eq!(code(Some("refused"), false), Some(exit::DEVICE));
        assert_eq!(
            ended(Some("no".into()), Some("x".into()), false, true)
                .unwrap_err()
                .code,
            exit::AUTH
        );
    }

    #[test]
    fn repeated_lifecycle_lines_are_counted_not_written() {
        let t0 = std::time::Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let renewed = Lifecycle::Renewed {
            granted: Duration::from_secs(1),
        };
        let mut told = Told::default();
        assert_eq!(told.line(&renewed, at(0)).unwrap(), "renewed for 1.0 s");
        for i in 1..=37 {
            assert_eq!(told.line(&renewed, at(i * 800)), None);
        }
        // After the gap, the line again with its count.
        assert_eq!(
            told.line(&renewed, at(30_400)).unwrap(),
            "renewed for 1.0 s (and 37 more times in the last 30 s)"
        );
        assert_eq!(told.line(&renewed, at(31_000)), None);
        // Another line says how often the last one came meanwhile.
        let lost = Lifecycle::Lost {
            reason: "gone".into(),
            credentials_refused: false,
        };
        assert_eq!(
            told.line(&lost, at(32_000)).unwrap(),
            "(the line before came 1 more time in 1 s)\nevents: lost: gone"
        );
        assert_eq!(told.line(&Lifecycle::Closed, at(32_100)).unwrap(), "closed");
        assert_eq!(told.line(&Lifecycle::Closed, at(32_200)).unwrap(), "closed");
    }
}
