//! The recording, search and replay services' command: `recordings` (the list),
//! `recordings search` (recordings or events in a window), `recordings replay-uri`,
//! `recordings jobs`, `recordings summary`.

use std::ops::ControlFlow;

use jiff::Timestamp;
use onvif::proto::ops::events::TopicFilter;
use onvif::proto::ops::recording::{
    JobItem, RecordingInformation, RecordingItem, RecordingStatus, RecordingSummary,
};
use onvif::proto::ops::search::{FindEventResult, SearchScope};
use onvif::services::replay::ReplayTarget;
use onvif::services::search::SEARCH_PAGE_SIZE;
use onvif::{Camera, Error};
use serde::Serialize;

use crate::args::recordings::{RecordingsAction, RecordingsArgs, ReplayUriArgs, SearchArgs};
use crate::failure::Failure;
use crate::output::{Out, kv, opt, table};

/// `recordings` and its subcommands.
pub async fn run(cam: &Camera, args: &RecordingsArgs, out: &Out) -> Result<(), Failure> {
    match &args.action {
        None => list(cam, out).await,
        Some(RecordingsAction::Search(s)) => search(cam, s, out).await,
        Some(RecordingsAction::ReplayUri(r)) => replay_uri(cam, r, out).await,
        Some(RecordingsAction::Jobs) => {
            let jobs = cam.recording_jobs().await?;
            out.answer(&jobs, |j| jobs_text(j))
        }
        Some(RecordingsAction::Summary) => {
            let s = cam.recording_summary().await?;
            out.answer(&s, summary_text)
        }
    }
}

/// A recording as `recordings` lists it: GetRecordings' item, with the span and status a
/// search reports (absent when the camera has no search service).
#[derive(Debug, Serialize)]
struct Listed {
    #[serde(flatten)]
    item: RecordingItem,
    earliest: Option<Timestamp>,
    latest: Option<Timestamp>,
    status: Option<RecordingStatus>,
}

async fn list(cam: &Camera, out: &Out) -> Result<(), Failure> {
    let items = cam.recordings().await?;
    let found = match cam.find_recordings(SearchScope::default()).await {
        Ok(f) => f,
        Err(Error::NoService(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let listed: Vec<Listed> = items
        .into_iter()
        .map(|item| {
            let info = found.iter().find(|f| f.token == item.token);
            Listed {
                earliest: info.and_then(|i| i.earliest),
                latest: info.and_then(|i| i.latest),
                status: info.map(|i| i.status),
                item,
            }
        })
        .collect();
    out.answer(&listed, |l| list_text(l))
}

fn list_text(l: &[Listed]) -> String {
    if l.is_empty() {
        return "No recordings.".into();
    }
    let rows: Vec<Vec<String>> = l
        .iter()
        .map(|r| {
            let tracks: Vec<String> = r
                .item
                .tracks
                .iter()
                .map(|t| format!("{} ({})", t.token, t.configuration.track_type))
                .collect();
            vec![
                r.item.token.clone(),
                source_name(&r.item.configuration.source),
                tracks.join(", "),
                opt(r.earliest),
                opt(r.latest),
                opt(r.status),
            ]
        })
        .collect();
    table(
        &["TOKEN", "SOURCE", "TRACKS", "EARLIEST", "LATEST", "STATUS"],
        &rows,
    )
}

fn source_name(s: &onvif::proto::ops::recording::RecordingSourceInformation) -> String {
    match (s.name.is_empty(), s.source_id.is_empty()) {
        (false, false) if s.name != s.source_id => format!("{} ({})", s.name, s.source_id),
        (false, _) => s.name.clone(),
        (true, false) => s.source_id.clone(),
        (true, true) => "-".into(),
    }
}

/// `--from` must not come after `--to`.
fn check_window(from: Option<Timestamp>, to: Option<Timestamp>) -> Result<(), Failure> {
    match (from, to) {
        (Some(f), Some(t)) if f > t => Err(Failure::usage(format!(
            "--from {f} is after --to {t}: the window must start before it ends"
        ))),
        _ => Ok(()),
    }
}

/// The topic filter for `--events`: a kind's name, or a topic expression as it is.
fn event_filter(events: &str) -> Result<Option<TopicFilter>, Failure> {
    let e = events.trim();
    let expression = match e.to_ascii_lowercase().as_str() {
        "all" | "any" => return Ok(None),
        "motion" => "tns1:VideoSource/MotionAlarm|tns1:RuleEngine/CellMotionDetector/Motion",
        "input" => "tns1:Device/Trigger/DigitalInput",
        "tamper" => "tns1:VideoSource/GlobalSceneChange//.|tns1:RuleEngine/TamperDetector//.",
        _ if e.contains(':') || e.contains('/') => e,
        _ => {
            return Err(Failure::usage(format!(
                "--events {e:?}: not a kind of event (motion, input, tamper, all) nor a topic \
                 expression such as 'tns1:VideoSource/MotionAlarm'"
            )));
        }
    };
    Ok(Some(TopicFilter::concrete_set(expression)))
}

async fn search(cam: &Camera, args: &SearchArgs, out: &Out) -> Result<(), Failure> {
    check_window(args.from, args.to)?;
    let scope = SearchScope::recordings(args.recordings.iter().cloned());
    let Some(events) = &args.events else {
        let found = cam.find_recordings(scope).await?;
        let in_window: Vec<RecordingInformation> = found
            .into_iter()
            .filter(|r| overlaps(r, args.from, args.to))
            .collect();
        return out.answer(&in_window, |r| found_text(r));
    };
    let filter = event_filter(events)?;
    let from = match args.from {
        Some(f) => f,
        None => cam.recording_summary().await?.data_from,
    };
    let mut query = Camera::event_query(from, args.to, filter);
    query.scope = scope;
    let mut found: Vec<FindEventResult> = Vec::new();
    cam.search_events(query, SEARCH_PAGE_SIZE, |page| {
        found.extend(page);
        Ok::<_, Error>(ControlFlow::Continue(()))
    })
    .await?;
    out.answer(&found, |f| events_text(f))
}

/// Does a recording hold data in the window? Unknown spans count as yes.
fn overlaps(r: &RecordingInformation, from: Option<Timestamp>, to: Option<Timestamp>) -> bool {
    let starts_before_end = match (r.earliest, to) {
        (Some(e), Some(t)) => e <= t,
        _ => true,
    };
    let ends_after_start = match (r.latest, from) {
        (Some(l), Some(f)) => l >= f,
        _ => true,
    };
    starts_before_end && ends_after_start
}

fn found_text(found: &[RecordingInformation]) -> String {
    if found.is_empty() {
        return "No recordings in the window.".into();
    }
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|r| {
            vec![
                r.token.clone(),
                source_name(&r.source),
                opt(r.earliest),
                opt(r.latest),
                r.status.to_string(),
            ]
        })
        .collect();
    table(&["TOKEN", "SOURCE", "EARLIEST", "LATEST", "STATUS"], &rows)
}

fn events_text(found: &[FindEventResult]) -> String {
    if found.is_empty() {
        return "No events found.".into();
    }
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|r| {
            let items = |v: &[onvif::proto::ops::events::SimpleItem]| {
                v.iter()
                    .map(|i| format!("{}={}", i.name, i.value))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut data = items(&r.event.message.data);
            if r.start_state_event {
                data.push_str(" (state at start)");
            }
            vec![
                r.time.to_string(),
                r.recording_token.clone(),
                r.event.topic.display_path(),
                items(&r.event.message.source),
                data,
            ]
        })
        .collect();
    table(&["TIME", "RECORDING", "TOPIC", "SOURCE", "DATA"], &rows)
}

async fn replay_uri(cam: &Camera, args: &ReplayUriArgs, out: &Out) -> Result<(), Failure> {
    let mut target = cam.replay_uri(&args.token, args.from).await?;
    // A camera's own embedded credentials (user-info, a password in the query) are not
    // printed.
    target.uri = super::media::shown_uri(cam, &target.uri, false)?;
    out.answer(&target, replay_text)
}

fn replay_text(t: &ReplayTarget) -> String {
    match &t.range {
        None => crate::output::clean(&t.uri),
        Some(r) => kv(&[("URI", t.uri.clone()), ("RTSP Range", r.clone())]),
    }
}

fn jobs_text(jobs: &[JobItem]) -> String {
    if jobs.is_empty() {
        return "No recording jobs.".into();
    }
    let rows: Vec<Vec<String>> = jobs
        .iter()
        .map(|j| {
            let c = &j.configuration;
            let sources: Vec<String> = c
                .sources
                .iter()
                .map(|s| {
                    let tracks: Vec<String> = s
                        .tracks
                        .iter()
                        .map(|t| format!("{}->{}", t.source_tag, t.destination))
                        .collect();
                    let token = s.source_token.as_ref().map_or("-", |t| t.token.as_str());
                    format!("{token} [{}]", tracks.join(" "))
                })
                .collect();
            vec![
                j.token.clone(),
                c.recording_token.clone(),
                c.mode.to_string(),
                c.priority.to_string(),
                sources.join(", "),
            ]
        })
        .collect();
    table(&["JOB", "RECORDING", "MODE", "PRIORITY", "SOURCES"], &rows)
}

fn summary_text(s: &RecordingSummary) -> String {
    kv(&[
        ("Data from", s.data_from.to_string()),
        ("Data until", s.data_until.to_string()),
        ("Recordings", s.number_recordings.to_string()),
    ])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn event_kinds_map_to_topic_filters_and_raw_topics_pass() {
        let motion = event_filter("Motion").unwrap().unwrap();
        assert!(motion.expression.contains("tns1:VideoSource/MotionAlarm"));
        assert!(event_filter("all").unwrap().is_none());
        let raw = event_filter("tns1:Device/Trigger/Relay").unwrap().unwrap();
        assert_eq!(raw.expression, "tns1:Device/Trigger/Relay");
        let e = event_filter("motoin").unwrap_err();
        assert_eq!(e.code, crate::failure::exit::USAGE);
        assert!(e.message.contains("motion, input"), "{}", e.message);
    }

    #[test]
    fn a_window_that_ends_before_it_starts_names_both_ends() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let e = check_window(
            Some(t("2026-12-01T09:00:00Z")),
            Some(t("2026-12-01T08:00:00Z")),
        )
        .unwrap_err();
        assert!(
            e.message.contains("--from 2026-12-01T09:00:00Z"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("--to 2026-12-01T08:00:00Z"),
            "{}",
            e.message
        );
        assert!(check_window(Some(t("2026-12-01T08:00:00Z")), None).is_ok());
    }

    #[test]
    fn device_text_in_the_list_is_escaped() {
        use onvif::proto::ops::recording::{
            RecordingConfiguration, RecordingSourceInformation, Track, TrackConfiguration,
            TrackType,
        };
        let listed = [Listed {
            item: RecordingItem {
                token: "R\u{1b}[2J".into(),
                configuration: RecordingConfiguration {
                    source: RecordingSourceInformation {
                        name: "Door\u{1b}]0;pwned\u{7}".into(),
                        ..RecordingSourceInformation::default()
                    },
                    ..RecordingConfiguration::default()
                },
                tracks: vec![Track {
                    token: "V\nfake line".into(),
                    configuration: TrackConfiguration {
                        track_type: TrackType::Video,
                        description: String::new(),
                    },
                }],
            },
            earliest: None,
            latest: None,
            status: None,
        }];
        let t = list_text(&listed);
        assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t:?}");
        assert_eq!(t.lines().count(), 2, "{t:?}");
        assert!(t.contains("Door"), "{t:?}");
    }
}
