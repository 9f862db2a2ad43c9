//! The camera's recordings: a fixed, synthetic timeline (so tests know what a search finds)
//! and the searches clients open on it.
//!
//! Two recordings: `Recording_1` of `VideoSource_1` (video and metadata tracks) from
//! 2026-12-01 08:00 to 12:00 UTC, still recording, with motion starting and stopping at known
//! times ([`MOTION_EVENTS`]); `Recording_2`, an older stopped one (video only) from
//! 2026-11-30 20:00 to 22:00 with one motion. One recording job records into `Recording_1`.
//!
//! Searches are sessions: each has a token, a cursor over its results and a deadline (now +
//! its KeepAliveTime, renewed by each request for results). At most [`MAX_SEARCHES`] are open
//! at once, as on real cameras; a search past its deadline is forgotten. Time is tokio's, so
//! tests step it with a paused clock instead of sleeping.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::Fault;
use onvif_proto::ops::events::{NotificationMessage, PropertyOperation, SimpleItem, Topic};
use onvif_proto::ops::recording::{
    JobItem, RecordingConfiguration, RecordingInformation, RecordingItem,
    RecordingJobConfiguration, RecordingJobMode, RecordingJobSource, RecordingJobTrack,
    RecordingSourceInformation, RecordingStatus, SourceReference, Track, TrackConfiguration,
    TrackInformation, TrackType,
};
use onvif_proto::ops::search::{FindEventResult, SearchScope};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::fault::{receiver, sender};
use crate::media::VIDEO_SOURCE;
use crate::sync::lock;

/// How many searches may be open at once; one more is refused (`ter:ResourceProblem`).
pub(crate) const MAX_SEARCHES: usize = 4;
/// The longest KeepAliveTime granted; longer ones are cut to it.
pub(crate) const MAX_KEEP_ALIVE: Duration = Duration::from_secs(300);
/// The topic of the recorded motion events (`tns1:VideoSource/MotionAlarm`).
pub(crate) const MOTION_TOPIC: &str = "VideoSource/MotionAlarm";

/// The recording that is still being recorded.
pub(crate) const RECORDING_1: &str = "Recording_1";
/// The older, stopped one.
pub(crate) const RECORDING_2: &str = "Recording_2";

/// One recording of the timeline.
struct Recorded {
    token: &'static str,
    name: &'static str,
    content: &'static str,
    from: &'static str,
    to: &'static str,
    status: RecordingStatus,
    tracks: &'static [(&'static str, TrackType)],
}

const RECORDINGS: [Recorded; 2] = [
    Recorded {
        token: RECORDING_1,
        name: "Camera 1",
        content: "Continuous recording of VideoSource_1",
        from: "2026-12-01T08:00:00Z",
        to: "2026-12-01T12:00:00Z",
        status: RecordingStatus::Recording,
        tracks: &[
            ("VideoTrack_1", TrackType::Video),
            ("MetadataTrack_1", TrackType::Metadata),
        ],
    },
    Recorded {
        token: RECORDING_2,
        name: "Camera 1 (evening)",
        content: "Motion recording of VideoSource_1",
        from: "2026-11-30T20:00:00Z",
        to: "2026-11-30T22:00:00Z",
        status: RecordingStatus::Stopped,
        tracks: &[("VideoTrack_1", TrackType::Video)],
    },
];

/// The motion events recorded: (recording, time, motion active), in time order per recording.
pub(crate) const MOTION_EVENTS: [(&str, &str, bool); 12] = [
    (RECORDING_2, "2026-11-30T20:30:00Z", true),
    (RECORDING_2, "2026-11-30T20:31:00Z", false),
    (RECORDING_1, "2026-12-01T08:05:00Z", true),
    (RECORDING_1, "2026-12-01T08:06:00Z", false),
    (RECORDING_1, "2026-12-01T08:25:00Z", true),
    (RECORDING_1, "2026-12-01T08:27:30Z", false),
    (RECORDING_1, "2026-12-01T08:45:00Z", true),
    (RECORDING_1, "2026-12-01T08:46:00Z", false),
    (RECORDING_1, "2026-12-01T09:15:00Z", true),
    (RECORDING_1, "2026-12-01T09:17:00Z", false),
    (RECORDING_1, "2026-12-01T10:30:00Z", true),
    (RECORDING_1, "2026-12-01T10:31:00Z", false),
];

fn at(s: &str) -> Timestamp {
    s.parse().unwrap_or(Timestamp::UNIX_EPOCH)
}

fn source() -> RecordingSourceInformation {
    RecordingSourceInformation {
        source_id: VIDEO_SOURCE.into(),
        name: "Camera 1".into(),
        location: "loopback".into(),
        description: "The simulated camera's video source".into(),
        address: "http://www.onvif.org/ver10/schema/Profile".into(),
    }
}

/// The longest replay session timeout, as the replay service's `SessionTimeoutRange` says
/// (and the factory value).
pub(crate) const MAX_SESSION_TIMEOUT: Duration = Duration::from_secs(60);

fn recorded(token: &str) -> Option<&'static Recorded> {
    RECORDINGS.iter().find(|r| r.token == token)
}

/// `Sender / ter:InvalidArgVal / ter:NoRecording`.
pub(crate) fn no_recording(token: &str) -> Fault {
    sender(
        &["InvalidArgVal", "NoRecording"],
        format!("no recording {token:?} (there are {RECORDING_1} and {RECORDING_2})"),
    )
}

/// GetRecordings' items.
pub(crate) fn recording_items() -> Vec<RecordingItem> {
    RECORDINGS
        .iter()
        .map(|r| RecordingItem {
            token: r.token.into(),
            configuration: configuration_of(r),
            tracks: r
                .tracks
                .iter()
                .map(|(t, kind)| Track {
                    token: (*t).into(),
                    configuration: TrackConfiguration {
                        track_type: *kind,
                        description: format!("{kind} track"),
                    },
                })
                .collect(),
        })
        .collect()
}

fn configuration_of(r: &Recorded) -> RecordingConfiguration {
    RecordingConfiguration {
        source: RecordingSourceInformation {
            name: r.name.into(),
            ..source()
        },
        content: r.content.into(),
        maximum_retention_time: Some(Duration::from_secs(30 * 24 * 3600)),
    }
}

/// A recording's configuration, or `ter:NoRecording`.
pub(crate) fn configuration(token: &str) -> Result<RecordingConfiguration, Fault> {
    recorded(token)
        .map(configuration_of)
        .ok_or_else(|| no_recording(token))
}

/// What one recording holds (GetRecordingInformation), or `ter:NoRecording`.
pub(crate) fn recording_information(token: &str) -> Result<RecordingInformation, Fault> {
    recorded(token)
        .map(information)
        .ok_or_else(|| no_recording(token))
}

/// Does the recording exist?
pub(crate) fn exists(token: &str) -> bool {
    recorded(token).is_some()
}

/// The one recording job.
pub(crate) fn jobs() -> Vec<JobItem> {
    vec![JobItem {
        token: "RecordingJob_1".into(),
        configuration: RecordingJobConfiguration {
            recording_token: RECORDING_1.into(),
            mode: RecordingJobMode::Active,
            priority: 1,
            sources: vec![RecordingJobSource {
                source_token: Some(SourceReference {
                    kind: Some("http://www.onvif.org/ver10/schema/Profile".into()),
                    token: "Profile_1".into(),
                }),
                auto_create_receiver: Some(false),
                tracks: vec![
                    RecordingJobTrack {
                        source_tag: "VIDEO".into(),
                        destination: "VideoTrack_1".into(),
                    },
                    RecordingJobTrack {
                        source_tag: "METADATA".into(),
                        destination: "MetadataTrack_1".into(),
                    },
                ],
            }],
        },
    }]
}

fn information(r: &Recorded) -> RecordingInformation {
    let (from, to) = (at(r.from), at(r.to));
    RecordingInformation {
        token: r.token.into(),
        source: RecordingSourceInformation {
            name: r.name.into(),
            ..source()
        },
        earliest: Some(from),
        latest: Some(to),
        content: r.content.into(),
        tracks: r
            .tracks
            .iter()
            .map(|(t, kind)| TrackInformation {
                token: (*t).into(),
                track_type: *kind,
                description: format!("{kind} track"),
                data_from: Some(from),
                data_to: Some(to),
            })
            .collect(),
        status: r.status,
    }
}

/// The span of all recorded data and the number of recordings.
pub(crate) fn summary() -> (Timestamp, Timestamp, u32) {
    let from = RECORDINGS.iter().map(|r| at(r.from)).min();
    let to = RECORDINGS.iter().map(|r| at(r.to)).max();
    (
        from.unwrap_or(Timestamp::UNIX_EPOCH),
        to.unwrap_or(Timestamp::UNIX_EPOCH),
        RECORDINGS.len() as u32,
    )
}

/// The recordings a scope names, or a fault naming what it cannot honour.
fn in_scope(scope: &SearchScope) -> Result<Vec<&'static Recorded>, Fault> {
    if scope.recording_information_filter.is_some() {
        return Err(sender(
            &["InvalidArgVal"],
            "RecordingInformationFilter (an XPath filter) is not supported by this device",
        ));
    }
    if let Some(t) = scope
        .included_recordings
        .iter()
        .find(|t| recorded(t).is_none())
    {
        return Err(no_recording(t));
    }
    Ok(RECORDINGS
        .iter()
        .filter(|r| {
            scope.included_recordings.is_empty()
                || scope.included_recordings.iter().any(|t| t == r.token)
        })
        .filter(|_| {
            scope.included_sources.is_empty()
                || scope
                    .included_sources
                    .iter()
                    .any(|s| s.token == VIDEO_SOURCE)
        })
        .collect())
}

/// Recordings the scope names, as a recording search reports them.
pub(crate) fn find_recordings(scope: &SearchScope) -> Result<Vec<RecordingInformation>, Fault> {
    Ok(in_scope(scope)?.into_iter().map(information).collect())
}

/// What an event search asks for.
pub(crate) struct EventQuery<'a> {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub scope: &'a SearchScope,
    pub matches: &'a dyn Fn(&Topic) -> bool,
    pub include_start_state: bool,
}

fn motion_result(recording: &str, time: Timestamp, active: bool, start: bool) -> FindEventResult {
    let op = if start {
        PropertyOperation::Initialized
    } else {
        PropertyOperation::Changed
    };
    FindEventResult {
        recording_token: recording.into(),
        track_token: "MetadataTrack_1".into(),
        time,
        event: NotificationMessage::onvif(
            MOTION_TOPIC,
            time,
            op,
            vec![SimpleItem::new("Source", VIDEO_SOURCE)],
            vec![SimpleItem::new(
                "State",
                if active { "true" } else { "false" },
            )],
        ),
        start_state_event: start,
    }
}

/// The events in the query's window (both ends included), in the search's direction (an end
/// before the start searches backwards), after the start states when asked for.
pub(crate) fn find_events(q: &EventQuery<'_>) -> Result<Vec<FindEventResult>, Fault> {
    let recordings = in_scope(q.scope)?;
    let backwards = q.end.is_some_and(|e| e < q.start);
    let (lo, hi) = match q.end {
        Some(e) if backwards => (e, q.start),
        Some(e) => (q.start, e),
        None => (q.start, Timestamp::MAX),
    };
    let motion = Topic::onvif(MOTION_TOPIC);
    if !(q.matches)(&motion) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for r in &recordings {
        if q.include_start_state && at(r.from) <= q.start && q.start <= at(r.to) {
            let active = MOTION_EVENTS
                .iter()
                .rfind(|(rec, t, _)| *rec == r.token && at(t) <= q.start)
                .is_some_and(|(_, _, a)| *a);
            out.push(motion_result(r.token, q.start, active, true));
        }
    }
    let mut changes: Vec<FindEventResult> = MOTION_EVENTS
        .iter()
        .filter(|(rec, t, _)| {
            recordings.iter().any(|r| r.token == *rec) && (lo..=hi).contains(&at(t))
        })
        .map(|(rec, t, a)| motion_result(rec, at(t), *a, false))
        .collect();
    changes.sort_by_key(|r| r.time);
    if backwards {
        changes.reverse();
    }
    out.extend(changes);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Searches

/// What a search found.
pub(crate) enum Found {
    Recordings(Vec<RecordingInformation>),
    Events(Vec<FindEventResult>),
}

impl Found {
    fn len(&self) -> usize {
        match self {
            Found::Recordings(r) => r.len(),
            Found::Events(e) => e.len(),
        }
    }
}

/// One open search.
struct Search {
    found: Found,
    /// How many results were handed out.
    cursor: usize,
    keep_alive: Duration,
    deadline: Instant,
    /// Where the search had got to (the last result's time, or its start).
    endpoint: Timestamp,
}

/// One page of results, as the handlers answer it.
pub(crate) enum Page {
    Recordings(Vec<RecordingInformation>, bool),
    Events(Vec<FindEventResult>, bool),
}

#[derive(Default)]
struct Searches {
    open: BTreeMap<String, Search>,
    next: u64,
}

impl Searches {
    fn reap(&mut self, now: Instant) {
        self.open.retain(|_, s| s.deadline > now);
    }
}

/// The searches open on the camera, and their number for those who wait on it.
pub(crate) struct Archive {
    searches: Mutex<Searches>,
    open_count: watch::Sender<usize>,
}

impl Default for Archive {
    fn default() -> Self {
        Archive {
            searches: Mutex::default(),
            open_count: watch::channel(0).0,
        }
    }
}

/// `Sender / ter:InvalidArgVal / ter:InvalidToken`.
pub(crate) fn invalid_token(token: &str) -> Fault {
    sender(
        &["InvalidArgVal", "InvalidToken"],
        format!("no open search {token:?} (never started, ended, or expired)"),
    )
}

impl Archive {
    /// Open a search over what was found; its token, or `ter:ResourceProblem` when
    /// [`MAX_SEARCHES`] are open already.
    pub(crate) fn open(
        &self,
        mut found: Found,
        max_matches: Option<u32>,
        keep_alive: Duration,
        start: Timestamp,
    ) -> Result<String, Fault> {
        if keep_alive.is_zero() {
            return Err(sender(
                &["InvalidArgVal"],
                "KeepAliveTime must be longer than zero",
            ));
        }
        let now = Instant::now();
        let mut s = lock(&self.searches);
        s.reap(now);
        if s.open.len() >= MAX_SEARCHES {
            return Err(receiver(
                &["Action", "ResourceProblem"],
                format!("{MAX_SEARCHES} searches are open already: end one (EndSearch) first"),
            ));
        }
        if let Some(max) = max_matches.map(|m| m as usize) {
            match &mut found {
                Found::Recordings(r) => r.truncate(max),
                Found::Events(e) => e.truncate(max),
            }
        }
        s.next += 1;
        let token = format!("Search_{}", s.next);
        let keep_alive = keep_alive.min(MAX_KEEP_ALIVE);
        s.open.insert(
            token.clone(),
            Search {
                found,
                cursor: 0,
                keep_alive,
                deadline: now + keep_alive,
                endpoint: start,
            },
        );
        self.publish(&s);
        Ok(token)
    }

    /// The next page of a search (at most `max` results; all that are left without one), and
    /// whether it completes the search. The search's deadline moves on. `events` says which
    /// kind of search the request was for: the other kind's token is not a token of this one.
    pub(crate) fn page(&self, token: &str, max: Option<u32>, events: bool) -> Result<Page, Fault> {
        let now = Instant::now();
        let mut s = lock(&self.searches);
        s.reap(now);
        self.publish(&s);
        let search = s.open.get_mut(token).ok_or_else(|| invalid_token(token))?;
        if matches!(search.found, Found::Events(_)) != events {
            return Err(invalid_token(token));
        }
        if max == Some(0) {
            return Err(sender(&["InvalidArgVal"], "MaxResults must be at least 1"));
        }
        search.deadline = now + search.keep_alive;
        let from = search.cursor;
        let to = max.map_or(search.found.len(), |m| {
            (from + m as usize).min(search.found.len())
        });
        search.cursor = to;
        let done = to == search.found.len();
        Ok(match &search.found {
            Found::Recordings(r) => Page::Recordings(r[from..to].to_vec(), done),
            Found::Events(e) => {
                if let Some(last) = e[from..to].last() {
                    search.endpoint = last.time;
                }
                Page::Events(e[from..to].to_vec(), done)
            }
        })
    }

    /// End a search: where it had got to, or `ter:InvalidToken`.
    pub(crate) fn end(&self, token: &str) -> Result<Timestamp, Fault> {
        let mut s = lock(&self.searches);
        s.reap(Instant::now());
        let ended = s.open.remove(token);
        self.publish(&s);
        ended
            .map(|search| search.endpoint)
            .ok_or_else(|| invalid_token(token))
    }

    fn publish(&self, s: &Searches) {
        self.open_count.send_if_modified(|n| {
            let changed = *n != s.open.len();
            *n = s.open.len();
            changed
        });
    }

    /// Wait until at most `n` searches are open (expiries are noticed only when the camera
    /// is asked something).
    pub(crate) async fn wait_open_at_most(&self, n: usize) {
        let mut rx = self.open_count.subscribe();
        let _ = rx.wait_for(|c| *c <= n).await;
    }

    /// The tokens of the searches open now (expired ones forgotten first).
    pub(crate) fn open_searches(&self) -> Vec<String> {
        let mut s = lock(&self.searches);
        s.reap(Instant::now());
        self.publish(&s);
        s.open.keys().cloned().collect()
    }
}
