//! Round trips of every search message with every optional field set, and what the
//! operations are.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use super::*;
use crate::ops::device;
use crate::ops::events::{PropertyOperation, SimpleItem};
use crate::ops::imaging::tests::{read, round_trip};
use crate::ops::message::Operation;
use crate::ops::recording::model::{
    RecordingSourceInformation, RecordingStatus, TrackInformation, TrackType,
};

fn ts(s: &str) -> Timestamp {
    s.parse().expect("a test time")
}

fn scope() -> SearchScope {
    SearchScope {
        included_sources: vec![SourceReference {
            kind: Some("http://www.onvif.org/ver10/schema/Profile".into()),
            token: "Profile_1".into(),
        }],
        included_recordings: vec!["Recording_1".into(), "Recording_2".into()],
        recording_information_filter: Some("boolean(//Track[TrackType = \"Video\"])".into()),
    }
}

fn information() -> RecordingInformation {
    RecordingInformation {
        token: "Recording_1".into(),
        source: RecordingSourceInformation {
            source_id: "VideoSource_1".into(),
            name: "Cam".into(),
            location: "Hall".into(),
            description: "d".into(),
            address: "a".into(),
        },
        earliest: Some(ts("2026-12-01T08:00:00Z")),
        latest: Some(ts("2026-12-01T09:00:00Z")),
        content: "Continuous".into(),
        tracks: vec![TrackInformation {
            token: "VideoTrack_1".into(),
            track_type: TrackType::Video,
            description: "video".into(),
            data_from: Some(ts("2026-12-01T08:00:00Z")),
            data_to: Some(ts("2026-12-01T09:00:00Z")),
        }],
        status: RecordingStatus::Recording,
    }
}

fn event_result(start_state: bool) -> FindEventResult {
    FindEventResult {
        recording_token: "Recording_1".into(),
        track_token: "MetadataTrack_1".into(),
        time: ts("2026-12-01T08:10:00Z"),
        event: NotificationMessage::onvif(
            "VideoSource/MotionAlarm",
            ts("2026-12-01T08:10:00Z"),
            PropertyOperation::Changed,
            vec![SimpleItem::new("Source", "VideoSource_1")],
            vec![SimpleItem::new("State", "true")],
        ),
        start_state_event: start_state,
    }
}

#[test]
fn every_search_message_round_trips_with_every_field_set() {
    let mut seen = BTreeSet::new();
    round_trip(&GetRecordingSummary, &mut seen);
    round_trip(
        &RecordingSummaryResponse {
            summary: RecordingSummary {
                data_from: ts("2026-12-01T08:00:00Z"),
                data_until: ts("2026-12-01T09:00:00Z"),
                number_recordings: 1,
            },
        },
        &mut seen,
    );
    round_trip(
        &FindRecordings {
            scope: scope(),
            max_matches: Some(10),
            keep_alive_time: Duration::from_secs(10),
        },
        &mut seen,
    );
    round_trip(
        &FindRecordingsResponse {
            search_token: "Search_1".into(),
        },
        &mut seen,
    );
    round_trip(
        &GetRecordingSearchResults {
            search_token: "Search_1".into(),
            min_results: Some(1),
            max_results: Some(5),
            wait_time: Some(Duration::from_secs(2)),
        },
        &mut seen,
    );
    round_trip(
        &RecordingSearchResults {
            result_list: FindRecordingResultList {
                search_state: SearchState::Completed,
                recordings: vec![information()],
            },
        },
        &mut seen,
    );
    round_trip(
        &FindEvents {
            start_point: ts("2026-12-01T08:00:00Z"),
            end_point: Some(ts("2026-12-01T09:00:00Z")),
            scope: scope(),
            search_filter: EventFilter {
                topic: Some(TopicFilter::concrete_set("tns1:VideoSource/MotionAlarm")),
            },
            include_start_state: true,
            max_matches: Some(100),
            keep_alive_time: Duration::from_secs(10),
        },
        &mut seen,
    );
    round_trip(
        &FindEventsResponse {
            search_token: "Search_2".into(),
        },
        &mut seen,
    );
    round_trip(
        &GetEventSearchResults {
            search_token: "Search_2".into(),
            min_results: Some(1),
            max_results: Some(5),
            wait_time: Some(Duration::from_secs(1)),
        },
        &mut seen,
    );
    round_trip(
        &EventSearchResults {
            result_list: FindEventResultList {
                search_state: SearchState::Searching,
                results: vec![event_result(true), event_result(false)],
            },
        },
        &mut seen,
    );
    round_trip(
        &EndSearch {
            search_token: "Search_2".into(),
        },
        &mut seen,
    );
    round_trip(
        &EndSearchResponse {
            endpoint: Some(ts("2026-12-01T09:00:00Z")),
        },
        &mut seen,
    );
    round_trip(
        &GetRecordingInformation {
            recording_token: "Recording_1".into(),
        },
        &mut seen,
    );
    round_trip(
        &RecordingInformationResponse {
            recording_information: information(),
        },
        &mut seen,
    );
    round_trip(&GetServiceCapabilities, &mut seen);
    let mut caps = device::ServiceCapabilities::default();
    caps.flags.insert("MetadataSearch".into(), "false".into());
    round_trip(&ServiceCapabilities(caps), &mut seen);
    assert_eq!(seen.len(), 16, "{seen:?}");
}

#[test]
fn starting_a_search_or_taking_a_page_is_never_sent_twice() {
    const { assert!(!FindRecordings::IDEMPOTENT && !FindEvents::IDEMPOTENT) };
    const { assert!(!GetRecordingSearchResults::IDEMPOTENT && !GetEventSearchResults::IDEMPOTENT) };
    const { assert!(GetRecordingSummary::IDEMPOTENT && EndSearch::IDEMPOTENT) };
    assert_eq!(FindEvents::SERVICE, crate::ops::Service::Search);
    assert_eq!(
        EndSearch::ACTION,
        "http://www.onvif.org/ver10/search/wsdl/EndSearch"
    );
}

#[test]
fn an_empty_event_filter_is_written_as_the_schema_requires() {
    let mut w = crate::xml::Writer::new();
    crate::ops::Message::write(
        &FindEvents {
            start_point: ts("2026-12-01T08:00:00Z"),
            end_point: None,
            scope: SearchScope::default(),
            search_filter: EventFilter::default(),
            include_start_state: false,
            max_matches: None,
            keep_alive_time: Duration::from_secs(10),
        },
        &mut w,
    );
    let body = w.finish();
    assert!(body.contains("<tse:SearchFilter"), "{body}");
    assert!(body.contains("<tse:Scope"), "{body}");
    assert!(!body.contains("EndPoint"), "{body}");
}

#[test]
fn an_unknown_search_state_reads_as_unknown() {
    let body = "<tse:GetRecordingSearchResultsResponse><tse:ResultList>\
                <tt:SearchState>Thinking</tt:SearchState></tse:ResultList>\
                </tse:GetRecordingSearchResultsResponse>";
    let r = read::<RecordingSearchResults>(body).unwrap();
    assert_eq!(r.result_list.search_state, SearchState::Unknown);
    assert!(r.result_list.recordings.is_empty());
}
