//! Recording, search and replay: every recorded answer of these services in the captures read
//! into typed values, with values checked against the files, and `decode` typing each.
//! Nothing here opens a socket: the cameras' LAN addresses are only compared as text.
//!
//! Captures are read in place from `../shared/captures` (next to the project) or from the
//! directory in `ONVIF_CAPTURES`; without them the tests say so and pass.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif_proto::decode::decode;
use onvif_proto::ops::recording::{
    self, RecordingJobMode, RecordingJobs, RecordingStatus, Recordings, TrackType,
};
use onvif_proto::ops::replay::{self, ReplayUri};
use onvif_proto::ops::search::{
    FindRecordingsResponse, RecordingSearchResults, RecordingSummaryResponse, SearchState,
};
use onvif_testkit::captures::{captures_dir, index, read, read_as};

const AXIS_RECORDINGS: &str = "ex_onvif/get_recordings.xml";
const AXIS_JOBS: &str = "ex_onvif/get_recording_jobs.xml";
const EASY_RECORDINGS: &str = "easy_onvif/ENP1A14-IR_25X/recordings/GetRecordingsResponse.xml";
const EASY_JOBS: &str = "easy_onvif/ENP1A14-IR_25X/recordings/GetRecordingJobsResponse.xml";

#[test]
fn recorded_recordings_read_with_their_tracks() {
    let Some(dir) = captures_dir() else { return };
    let axis: Recordings = read_as(&dir, AXIS_RECORDINGS);
    assert_eq!(axis.recordings.len(), 3);
    let first = &axis.recordings[0];
    assert_eq!(first.token, "SD_DISK_20200422_123501_A2388AB3");
    assert_eq!(first.configuration.source.name, "paolo");
    assert_eq!(first.configuration.content, "beta cam 1");
    assert_eq!(
        first.configuration.maximum_retention_time,
        Some(Duration::from_secs(3600))
    );
    let kinds: Vec<TrackType> = first
        .tracks
        .iter()
        .map(|t| t.configuration.track_type)
        .collect();
    assert_eq!(
        kinds,
        [TrackType::Video, TrackType::Audio, TrackType::Metadata]
    );
    let easy: Recordings = read_as(&dir, EASY_RECORDINGS);
    assert_eq!(easy.recordings.len(), 1);
    assert_eq!(easy.recordings[0].token, "OnvifRecordingToken_1");
    assert_eq!(
        easy.recordings[0].configuration.maximum_retention_time,
        Some(Duration::ZERO)
    );
    assert_eq!(easy.recordings[0].tracks[2].token, "metadatatracktoken_1");
}

#[test]
fn recorded_jobs_read_in_either_namespace() {
    let Some(dir) = captures_dir() else { return };
    // Axis writes JobToken and JobConfiguration in the recording service's namespace (trc:).
    let axis: RecordingJobs = read_as(&dir, AXIS_JOBS);
    assert_eq!(axis.jobs.len(), 1);
    let job = &axis.jobs[0];
    assert_eq!(job.token, "SD_DISK_20241120_211729_9C896594");
    assert_eq!(job.configuration.mode, RecordingJobMode::Active);
    assert_eq!(job.configuration.priority, 9);
    let source = &job.configuration.sources[0];
    let token = source.source_token.as_ref().unwrap();
    assert_eq!(token.token, "profile_1_h264");
    assert_eq!(
        token.kind.as_deref(),
        Some("http://www.onvif.org/ver10/schema/Profile")
    );
    assert_eq!(source.auto_create_receiver, Some(false));
    let dest: Vec<&str> = source
        .tracks
        .iter()
        .map(|t| t.destination.as_str())
        .collect();
    assert_eq!(dest, ["VIDEO001", "AUDIO001", "META001"]);
    let easy: RecordingJobs = read_as(&dir, EASY_JOBS);
    assert!(easy.jobs.is_empty());
}

#[test]
fn recorded_search_answers_read() {
    let Some(dir) = captures_dir() else { return };
    let found: FindRecordingsResponse = read_as(&dir, "ex_onvif/find_recordings.xml");
    assert_eq!(found.search_token, "RecordingSearchToken_1");
    let page: RecordingSearchResults = read_as(&dir, "ex_onvif/get_recording_search_results.xml");
    assert_eq!(page.result_list.search_state, SearchState::Completed);
    let r = &page.result_list.recordings[0];
    assert_eq!(r.token, "OnvifRecordingToken_1");
    assert_eq!(r.status, RecordingStatus::Stopped);
    assert_eq!(r.earliest.unwrap().to_string(), "1970-01-01T00:03:15Z");
    assert_eq!(r.latest.unwrap().to_string(), "2025-03-15T16:28:00Z");
    assert_eq!(r.tracks.len(), 3);
    assert_eq!(r.tracks[1].track_type, TrackType::Audio);
    let summary: RecordingSummaryResponse = read_as(&dir, "ex_onvif/get_recording_summary.xml");
    assert_eq!(summary.summary.number_recordings, 8);
    assert_eq!(
        summary.summary.data_until.to_string(),
        "2024-12-13T08:08:49Z"
    );
}

#[test]
fn recorded_replay_and_capability_answers_read() {
    let Some(dir) = captures_dir() else { return };
    let uri: ReplayUri = read_as(&dir, "ex_onvif/get_replay_uri.xml");
    assert!(
        uri.uri
            .starts_with("rtsp://192.168.1.136/onvif-media/record/play.amp?")
    );
    assert!(uri.uri.contains("&onvifreplayext=1&"), "{}", uri.uri);
    let caps: replay::ServiceCapabilities =
        read_as(&dir, "ex_onvif/get_replay_service_capabilities.xml");
    assert_eq!(caps.0.flags["SessionTimeoutRange"], "0 4294967295");
    assert!(!caps.0.flag("ReversePlayback"));
    for file in [
        "ex_onvif/get_recording_service_capabilities.xml",
        "easy_onvif/ENP1A14-IR_25X/recordings/GetServiceCapabilitiesResponse.xml",
    ] {
        let caps: recording::ServiceCapabilities = read_as(&dir, file);
        assert!(!caps.0.flag("DynamicRecordings"), "{file}");
        assert_eq!(caps.0.flags["MaxRecordingJobs"], "1", "{file}");
    }
}

/// Every capture of these services' answers is typed by `decode`, whatever its file name.
#[test]
fn decode_types_every_recorded_answer_of_these_services() {
    let Some(dir) = captures_dir() else { return };
    let ops = [
        "GetRecordingsResponse",
        "GetRecordingJobsResponse",
        "FindRecordingsResponse",
        "GetRecordingSearchResultsResponse",
        "GetRecordingSummaryResponse",
        "GetReplayUriResponse",
    ];
    let mut typed = 0;
    for row in index(&dir) {
        if !ops.contains(&row.op()) {
            continue;
        }
        let d = decode(&read(&dir, &row.file)).unwrap_or_else(|e| panic!("{}: {e}", row.file));
        assert_eq!(d.kind, "typed", "{}", row.file);
        typed += 1;
    }
    assert!(typed >= 8, "only {typed} captures of these services");
}
