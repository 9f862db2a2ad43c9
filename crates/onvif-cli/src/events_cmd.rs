//! `onvif events ...`: follow events (pull-point), and the topic tree.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use onvif::Camera;
use onvif::events::{Event, EventSession, PushConfig, SessionConfig, SessionItem};
use onvif::proto::ops::events::{EventProperties, KindTable, TopicFilter, TopicNode};
use serde::Serialize;

use crate::cli::{SignedDur, parse_timeout};
use crate::output::Out;
use crate::{Failure, exit};

#[derive(Debug, Clone, Args)]
pub struct EventsArgs {
    /// Only topics matching this expression, e.g. 'tns1:RuleEngine//.' (tns1 is the ONVIF
    /// topic namespace)
    #[arg(long, value_name = "EXPR", global = true)]
    pub topic: Option<String>,
    /// Stop after this long, e.g. 30s, 10m [default: until Ctrl-C]
    #[arg(long = "for", value_parser = parse_timeout, value_name = "DURATION")]
    pub for_: Option<SignedDur>,
    /// More kind rules, one `topic-pattern item kind` a line (tried before the built-in ones)
    #[arg(long, value_name = "FILE")]
    pub kinds: Option<PathBuf>,
    /// pull: PullMessages; push: the camera POSTs to our listener; auto: push when a
    /// notification arrives within 5 s, pull otherwise
    #[arg(long, value_enum, default_value_t = Mode::Pull)]
    pub mode: Mode,
    /// Where the push listener binds (push and auto)
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0:0")]
    pub listen: std::net::SocketAddr,
    /// The base URL the camera posts to, e.g. http://192.168.1.100:8002 [default: our address
    /// on the route to the camera, and the bound port]
    #[arg(long, value_name = "URL")]
    pub advertise: Option<String>,
    /// On exit, let the subscription expire instead of sending Unsubscribe (for cameras that
    /// cancel every subscription, other clients' too, on one Unsubscribe)
    #[arg(long)]
    pub no_unsubscribe: bool,
    #[command(subcommand)]
    pub action: Option<EventsAction>,
}

/// How events are received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Pull-point subscription (PullMessages long polls)
    Pull,
    /// WS-BaseNotification push to a local listener
    Push,
    /// Push when it works, pull otherwise
    Auto,
}

#[derive(Debug, Clone, Subcommand)]
pub enum EventsAction {
    /// The camera's topic tree, with each topic's source and data items
    Properties,
    /// The current message on one topic (GetCurrentMessage), e.g.
    /// --topic tns1:Device/Trigger/DigitalInput
    Current,
}

/// One printed event: the camera and the event.
#[derive(Serialize)]
struct Line<'a> {
    camera: &'a str,
    #[serde(flatten)]
    event: &'a Event,
}

fn failure(e: onvif::Error) -> Failure {
    let code = match e.kind() {
        onvif::ErrorKind::Usage => exit::USAGE,
        onvif::ErrorKind::Auth => exit::AUTH,
        onvif::ErrorKind::Device => exit::DEVICE,
        onvif::ErrorKind::Network => exit::NETWORK,
    };
    Failure {
        code,
        message: e.to_string(),
    }
}

/// What `onvif sim --events ...` asks for.
#[derive(Debug, Clone, Default)]
pub struct SimEvents {
    /// Motion period.
    pub motion_every: Option<Duration>,
    /// Digital input period.
    pub input_every: Option<Duration>,
    /// Tamper period.
    pub tamper_every: Option<Duration>,
    /// Event quirks.
    pub quirks: Vec<onvif_sim::EventQuirk>,
}

/// `--events motion-every=5s,renew-fault,...` of `onvif sim`.
pub fn parse_sim_events(s: &str) -> Result<SimEvents, String> {
    let mut out = SimEvents::default();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(period) = part.strip_prefix("motion-every=") {
            out.motion_every = Some(parse_timeout(period)?.abs);
        } else if let Some(period) = part.strip_prefix("input-every=") {
            out.input_every = Some(parse_timeout(period)?.abs);
        } else if let Some(period) = part.strip_prefix("tamper-every=") {
            out.tamper_every = Some(parse_timeout(period)?.abs);
        } else {
            out.quirks.push(part.parse().map_err(|e| {
                format!(
                    "{e}; or motion-every=, input-every=, tamper-every=DURATION, e.g. motion-every=5s"
                )
            })?);
        }
    }
    Ok(out)
}

/// Run `events` (follow) or `events properties`.
pub async fn run(cam: &Camera, args: &EventsArgs, out: &Out) -> Result<(), Failure> {
    match args.action {
        Some(EventsAction::Properties) => {
            let p = cam.event_properties().await.map_err(failure)?;
            out.show(&p, || properties_text(&p));
            Ok(())
        }
        Some(EventsAction::Current) => {
            let Some(topic) = &args.topic else {
                return Err(Failure::usage(
                    "events current needs --topic, e.g. --topic tns1:Device/Trigger/DigitalInput",
                ));
            };
            let camera = camera_label(cam);
            match cam.current_message(topic).await.map_err(failure)? {
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
    fn walk(n: &TopicNode, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        out.push_str(&format!("{pad}{}", n.name));
        if depth == 0
            && let Some(ns) = &n.ns
        {
            out.push_str(&format!("  ({ns})"));
        }
        out.push('\n');
        if let Some(m) = &n.message {
            let items = |v: &[onvif::proto::ops::events::ItemDescription]| {
                v.iter()
                    .map(|i| format!("{}:{}", i.name, i.type_name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !m.source.is_empty() {
                out.push_str(&format!("{pad}    source: {}\n", items(&m.source)));
            }
            if !m.key.is_empty() {
                out.push_str(&format!("{pad}    key: {}\n", items(&m.key)));
            }
            if !m.data.is_empty() {
                out.push_str(&format!("{pad}    data: {}\n", items(&m.data)));
            }
        }
        for c in &n.children {
            walk(c, depth + 1, out);
        }
    }
    let mut s = String::new();
    for t in &p.topics {
        walk(t, 0, &mut s);
    }
    if !p.topic_expression_dialects.is_empty() {
        s.push_str(&format!(
            "topic expression dialects: {}",
            p.topic_expression_dialects.join(", ")
        ));
    }
    s.trim_end().to_owned()
}

fn items(v: &[onvif::proto::ops::events::SimpleItem]) -> String {
    v.iter()
        .map(|i| format!("{}={}", i.name, i.value))
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
    let time = e.time.map_or_else(|| "-".to_owned(), |t| t.to_string());
    let kind = match &e.kind {
        Some(k) => match k.active {
            Some(a) => format!("{}={}", k.kind, if a { "on" } else { "off" }),
            None => k.kind.clone(),
        },
        None => "-".to_owned(),
    };
    let op = e.property_operation.map_or("-", |o| o.as_str());
    // The topic: its prefix-free path and, where known, its namespace.
    let topic = match &e.topic.ns {
        Some(ns) if !ns.is_empty() => format!("{} ({ns})", e.topic.path),
        _ => e.topic.path.clone(),
    };
    format!(
        "{time} {camera} {kind} {topic} [{op}] source: {} data: {}",
        items(&e.source),
        items(&e.data)
    )
}

/// How long closing (Unsubscribe) may take when following events ends.
const CLOSE_LIMIT: Duration = Duration::from_secs(5);

async fn follow(cam: &Camera, args: &EventsArgs, out: &Out) -> Result<(), Failure> {
    let mut kinds = KindTable::default();
    if let Some(path) = &args.kinds {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        kinds
            .extend_front(&text)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    let cfg = SessionConfig {
        filter: args.topic.as_deref().map(TopicFilter::concrete_set),
        kinds,
        unsubscribe_on_close: !args.no_unsubscribe,
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
    let (session, mut rx) = started.map_err(failure)?;
    if let Some((addr, path)) = session.push_endpoint() {
        eprintln!("events: listening on {addr}, path {path}");
    }
    let limit = args
        .for_
        .map_or(Duration::from_secs(100 * 365 * 86_400), |d| d.abs);
    let deadline = tokio::time::sleep(limit);
    tokio::pin!(deadline);
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            item = rx.recv() => match item {
                Some(SessionItem::Event(e)) => {
                    let line = Line { camera: &camera, event: &e };
                    if out.json {
                        match serde_json::to_string(&line) {
                            Ok(s) => println!("{s}"),
                            Err(e) => eprintln!("onvif: cannot render an event: {e}"),
                        }
                    } else {
                        println!("{}", event_text(&camera, &e));
                    }
                }
                Some(SessionItem::Lifecycle(l)) => eprintln!("events: {l}"),
                None => break,
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
            eprintln!("events: {l}");
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn sim_event_specs_parse() {
        let e = super::parse_sim_events("motion-every=5s, input-every=2s,tamper-every=500ms")
            .unwrap_or_default();
        assert_eq!(e.motion_every, Some(std::time::Duration::from_secs(5)));
        assert_eq!(e.input_every, Some(std::time::Duration::from_secs(2)));
        assert_eq!(e.tamper_every, Some(std::time::Duration::from_millis(500)));
        assert!(super::parse_sim_events("sparkles-every=1s").is_err());
    }

    use super::*;

    #[test]
    fn event_lines_show_the_topic_namespace() {
        let m = onvif::proto::ops::events::NotificationMessage::onvif(
            "RuleEngine/CellMotionDetector/Motion",
            jiff::Timestamp::UNIX_EPOCH,
            onvif::proto::ops::events::PropertyOperation::Changed,
            Vec::new(),
            vec![onvif::proto::ops::events::SimpleItem::new(
                "IsMotion", "true",
            )],
        );
        let e = Event::from_message(m, &KindTable::default());
        let line = event_text("cam", &e);
        assert!(
            line.contains(
                "RuleEngine/CellMotionDetector/Motion (http://www.onvif.org/ver10/topics)"
            ),
            "{line}"
        );
    }

    #[test]
    fn sim_event_specs() {
        let e = parse_sim_events("motion-every=5s, renew-fault,ignores-relative").unwrap();
        assert_eq!(e.motion_every, Some(Duration::from_secs(5)));
        assert_eq!(
            e.quirks,
            [
                onvif_sim::EventQuirk::RenewFault,
                onvif_sim::EventQuirk::IgnoresRelativeDurations
            ]
        );
        let err = parse_sim_events("motion-every=5s,nonsense").unwrap_err();
        assert!(err.contains("cancel-all"), "{err}");
        assert!(parse_sim_events("motion-every=0s").is_err());
    }
}
