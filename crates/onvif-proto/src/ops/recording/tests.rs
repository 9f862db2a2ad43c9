//! Round trips of every recording message with every optional field set, and the two forms of
//! a job item.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::time::Duration;

use super::*;
use crate::ops::device;
use crate::ops::imaging::tests::{read, round_trip};
use crate::ops::message::Operation;

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().expect("a test time")
}

pub(crate) fn source() -> RecordingSourceInformation {
    RecordingSourceInformation {
        source_id: "VideoSource_1".into(),
        name: "Front door".into(),
        location: "Porch".into(),
        description: "Camera <1> & co".into(),
        address: "http://www.onvif.org/ver10/schema/Profile".into(),
    }
}

fn configuration() -> RecordingConfiguration {
    RecordingConfiguration {
        source: source(),
        content: "Continuous".into(),
        maximum_retention_time: Some(Duration::from_secs(3600)),
    }
}

fn job() -> JobItem {
    JobItem {
        token: "RecordingJob_1".into(),
        configuration: RecordingJobConfiguration {
            recording_token: "Recording_1".into(),
            mode: RecordingJobMode::Active,
            priority: 9,
            sources: vec![RecordingJobSource {
                source_token: Some(SourceReference {
                    kind: Some("http://www.onvif.org/ver10/schema/Profile".into()),
                    token: "Profile_1".into(),
                }),
                auto_create_receiver: Some(false),
                tracks: vec![RecordingJobTrack {
                    source_tag: "VIDEO".into(),
                    destination: "VideoTrack_1".into(),
                }],
            }],
        },
    }
}

#[test]
fn every_recording_message_round_trips_with_every_field_set() {
    let mut seen = BTreeSet::new();
    round_trip(&GetRecordings, &mut seen);
    round_trip(
        &Recordings {
            recordings: vec![RecordingItem {
                token: "Recording_1".into(),
                configuration: configuration(),
                tracks: vec![
                    Track {
                        token: "VideoTrack_1".into(),
                        configuration: TrackConfiguration {
                            track_type: TrackType::Video,
                            description: "H.264".into(),
                        },
                    },
                    Track {
                        token: "MetadataTrack_1".into(),
                        configuration: TrackConfiguration {
                            track_type: TrackType::Metadata,
                            description: String::new(),
                        },
                    },
                ],
            }],
        },
        &mut seen,
    );
    round_trip(
        &GetRecordingConfiguration {
            recording_token: "Recording_1".into(),
        },
        &mut seen,
    );
    round_trip(
        &RecordingConfigurationResponse {
            configuration: configuration(),
        },
        &mut seen,
    );
    round_trip(&GetRecordingJobs, &mut seen);
    round_trip(&RecordingJobs { jobs: vec![job()] }, &mut seen);
    round_trip(&GetServiceCapabilities, &mut seen);
    let mut caps = device::ServiceCapabilities::default();
    caps.flags
        .insert("DynamicRecordings".into(), "false".into());
    caps.flags.insert("MaxRecordings".into(), "1".into());
    round_trip(&ServiceCapabilities(caps), &mut seen);
    assert_eq!(seen.len(), 8, "{seen:?}");
}

#[test]
fn the_recording_operations_are_reads_of_the_recording_service() {
    assert_eq!(GetRecordings::SERVICE, crate::ops::Service::Recording);
    assert_eq!(
        GetRecordingJobs::ACTION,
        "http://www.onvif.org/ver10/recording/wsdl/GetRecordingJobs"
    );
    const { assert!(GetRecordings::IDEMPOTENT && GetRecordingConfiguration::IDEMPOTENT) };
    const { assert!(GetRecordingJobs::IDEMPOTENT) };
}

#[test]
fn a_job_item_reads_in_the_schema_namespace_and_the_service_one() {
    let config = "<tt:RecordingToken>R</tt:RecordingToken><tt:Mode>Idle</tt:Mode>\
                  <tt:Priority>1</tt:Priority>";
    for (token, conf) in [
        ("tt:JobToken", "tt:JobConfiguration"),
        ("trc:JobToken", "trc:JobConfiguration"),
    ] {
        let body = format!(
            "<trc:GetRecordingJobsResponse><trc:JobItem><{token}>J</{token}>\
             <{conf}>{config}</{conf}></trc:JobItem></trc:GetRecordingJobsResponse>"
        );
        let jobs = read::<RecordingJobs>(&body).unwrap_or_else(|e| panic!("{e}\n{body}"));
        assert_eq!(jobs.jobs.len(), 1);
        assert_eq!(jobs.jobs[0].token, "J");
        assert_eq!(jobs.jobs[0].configuration.mode, RecordingJobMode::Idle);
        assert!(jobs.jobs[0].configuration.sources.is_empty());
    }
}

#[test]
fn a_recording_keeps_its_times_and_an_unreadable_retention_is_none() {
    let body = "<trc:GetRecordingConfigurationResponse><trc:RecordingConfiguration>\
                <tt:Source><tt:SourceId/><tt:Name>n</tt:Name></tt:Source><tt:Content/>\
                <tt:MaximumRetentionTime>forever</tt:MaximumRetentionTime>\
                </trc:RecordingConfiguration></trc:GetRecordingConfigurationResponse>";
    let c = read::<RecordingConfigurationResponse>(body).unwrap();
    assert_eq!(c.configuration.maximum_retention_time, None);
    assert_eq!(c.configuration.source.name, "n");
    let json = serde_json::to_value(configuration()).unwrap();
    assert_eq!(json["maximum_retention_time"], "PT3600S");
    let info = RecordingInformation {
        token: "R".into(),
        source: source(),
        earliest: Some(ts("2026-12-01T08:00:00Z")),
        latest: None,
        content: String::new(),
        tracks: vec![],
        status: RecordingStatus::Recording,
    };
    let json = serde_json::to_value(info).unwrap();
    assert_eq!(json["earliest"], "2026-12-01T08:00:00Z");
    assert_eq!(json["status"], "Recording");
}
