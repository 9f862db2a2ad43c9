//! Recordings, searches and replay against the strict simulator over 127.0.0.1: every search
//! the client starts is ended, whether it completes, its page handler stops early or fails,
//! or the future running it is dropped.
#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;
use std::time::Duration;

use jiff::Timestamp;
use onvif::services::replay::replay_range;
use onvif::services::search::MOTION_TOPIC;
use onvif::{Camera, Error, ErrorKind};
use onvif_proto::ops::events::TopicFilter;
use onvif_proto::ops::recording::{RecordingJobMode, RecordingStatus, TrackType};
use onvif_proto::ops::search::SearchScope;
use onvif_testkit::Sim;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn motion() -> Option<TopicFilter> {
    Some(TopicFilter::concrete_set(MOTION_TOPIC))
}

/// The events of a search from 08:00 to 09:00 on the simulator's timeline, page by page.
fn morning() -> onvif_proto::ops::search::FindEvents {
    Camera::event_query(
        ts("2026-12-01T08:00:00Z"),
        Some(ts("2026-12-01T09:00:00Z")),
        motion(),
    )
}

#[tokio::test]
async fn recordings_their_configuration_and_jobs_are_read() {
    let (_sim, cam) = Sim::builder().start_and_connect().await;
    let recs = cam.recordings().await.unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].token, "Recording_1");
    assert_eq!(recs[0].tracks[0].configuration.track_type, TrackType::Video);
    let conf = cam.recording_configuration("Recording_1").await.unwrap();
    assert_eq!(conf, recs[0].configuration);
    let e = cam.recording_configuration("Nope").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device);
    assert!(
        matches!(&e, Error::Fault { fault, .. } if fault.has_subcode("NoRecording")),
        "{e}"
    );
    let jobs = cam.recording_jobs().await.unwrap();
    assert_eq!(jobs[0].configuration.mode, RecordingJobMode::Active);
    assert_eq!(jobs[0].configuration.recording_token, recs[0].token);
    // The same jobs from a camera that names them in trc: (Axis).
    let (_axis, cam) = Sim::builder()
        .quirk(onvif_sim::Quirk::JobItemsInServiceNamespace)
        .start_and_connect()
        .await;
    assert_eq!(cam.recording_jobs().await.unwrap(), jobs);
}

#[tokio::test]
async fn the_summary_and_a_recording_search_agree_and_leave_no_search_open() {
    let (sim, cam) = Sim::builder().start_and_connect().await;
    let summary = cam.recording_summary().await.unwrap();
    let found = cam.find_recordings(SearchScope::default()).await.unwrap();
    assert_eq!(found.len() as u32, summary.number_recordings);
    assert_eq!(found[0].status, RecordingStatus::Recording);
    assert_eq!(
        found.iter().filter_map(|r| r.earliest).min(),
        Some(summary.data_from)
    );
    assert!(sim.open_searches().is_empty());
    // Scoped, and again: the camera's search slots were all given back.
    for _ in 0..6 {
        let one = cam
            .find_recordings(SearchScope::recordings(["Recording_2"]))
            .await
            .unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].token, "Recording_2");
    }
    assert!(sim.open_searches().is_empty());
    assert_eq!(sim.stats().operation("EndSearch"), 7);
    // One recording without a search: what the search found of it.
    for r in &found {
        assert_eq!(&cam.recording_information(&r.token).await.unwrap(), r);
    }
    let e = cam.recording_information("Recording_9").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device, "{e}");
    assert!(e.to_string().contains("Recording_9"), "{e}");
    assert!(sim.open_searches().is_empty());
}

#[tokio::test]
async fn an_event_search_runs_every_page_then_ends() {
    let (sim, cam) = Sim::builder().start_and_connect().await;
    let mut pages = Vec::new();
    cam.search_events(morning(), 2, |page| {
        pages.push(page);
        Ok::<_, Error>(ControlFlow::Continue(()))
    })
    .await
    .unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 2]);
    let states: Vec<&str> = pages
        .iter()
        .flatten()
        .map(|r| r.event.data_item("State").unwrap())
        .collect();
    assert_eq!(states, ["true", "false", "true", "false", "true", "false"]);
    assert!(sim.open_searches().is_empty());
    assert_eq!(sim.stats().operation("GetEventSearchResults"), 3);
    // The convenience: the same events, one list.
    let all = cam
        .find_events(
            ts("2026-12-01T08:00:00Z"),
            Some(ts("2026-12-01T09:00:00Z")),
            motion(),
        )
        .await
        .unwrap();
    assert_eq!(all, pages.concat());
    assert!(sim.open_searches().is_empty());
}

#[tokio::test]
async fn a_handler_that_stops_early_ends_the_search() {
    let (sim, cam) = Sim::builder().start_and_connect().await;
    let mut seen = 0;
    cam.search_events(morning(), 1, |page| {
        seen += page.len();
        Ok::<_, Error>(ControlFlow::Break(()))
    })
    .await
    .unwrap();
    assert_eq!(seen, 1);
    assert!(sim.open_searches().is_empty());
    assert_eq!(sim.stats().operation("GetEventSearchResults"), 1);
    assert_eq!(sim.stats().operation("EndSearch"), 1);
}

#[derive(Debug, PartialEq)]
enum Mine {
    Full,
    Camera(String),
}

impl From<Error> for Mine {
    fn from(e: Error) -> Mine {
        Mine::Camera(e.to_string())
    }
}

#[tokio::test]
async fn a_handler_that_fails_gets_its_error_back_and_the_search_is_ended() {
    let (sim, cam) = Sim::builder().start_and_connect().await;
    let r = cam
        .search_recordings(SearchScope::default(), 1, |_| Err(Mine::Full))
        .await;
    assert_eq!(r, Err(Mine::Full));
    assert!(sim.open_searches().is_empty());
    // A camera's refusal comes back through the caller's error type; nothing was opened.
    let r = cam
        .search_recordings(SearchScope::recordings(["Nope"]), 1, |_| {
            Ok::<_, Mine>(ControlFlow::Continue(()))
        })
        .await;
    assert!(
        matches!(&r, Err(Mine::Camera(m)) if m.contains("NoRecording")),
        "{r:?}"
    );
    assert!(sim.open_searches().is_empty());
}

#[tokio::test]
async fn a_search_whose_future_is_dropped_is_ended_from_a_task() {
    let (sim, cam) = Sim::builder().start_and_connect().await;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut tx = Some(tx);
    let mut pages = 0;
    let search = cam.search_events(morning(), 1, |_| {
        pages += 1;
        if let Some(tx) = tx.take() {
            let _ = tx.send(());
        }
        Ok::<_, Error>(ControlFlow::Continue(()))
    });
    tokio::select! {
        r = search => panic!("the search ran to its end: {r:?}"),
        _ = rx => {}
    }
    assert!(pages < 6, "{pages} pages");
    // The caller went away mid-search; the guard's task ends it.
    tokio::time::timeout(Duration::from_secs(10), sim.wait_open_searches_at_most(0))
        .await
        .expect("the abandoned search was ended");
    assert!(sim.open_searches().is_empty());
    assert_eq!(sim.stats().operation("EndSearch"), 1);
}

#[tokio::test]
async fn replay_uris_and_where_a_replay_starts() {
    let (sim, cam) = Sim::builder().start_and_connect().await;
    let r = cam
        .replay_uri("Recording_1", Some(ts("2026-12-01T08:05:00Z")))
        .await
        .unwrap();
    assert_eq!(
        r.uri,
        format!("rtsp://{}:8554/replay/Recording_1", sim.addr().ip())
    );
    assert_eq!(r.range.as_deref(), Some("clock=20261201T080500Z-"));
    assert_eq!(
        replay_range(ts("2026-12-01T23:59:59Z")),
        "clock=20261201T235959Z-"
    );
    // A fraction of a second is kept (to the millisecond), not dropped.
    assert_eq!(
        replay_range(ts("2026-12-01T08:05:00.25Z")),
        "clock=20261201T080500.250Z-"
    );
    let e = cam.replay_uri("Recording_9", None).await.unwrap_err();
    assert!(e.to_string().contains("Recording_9"), "{e}");
    assert_eq!(e.kind(), ErrorKind::Device);

    // The replay session timeout: read, changed within SessionTimeoutRange (0 60), kept.
    let secs = std::time::Duration::from_secs;
    assert_eq!(cam.replay_session_timeout().await.unwrap(), secs(60));
    cam.set_replay_session_timeout(secs(20)).await.unwrap();
    assert_eq!(cam.replay_session_timeout().await.unwrap(), secs(20));
    let e = cam.set_replay_session_timeout(secs(61)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device, "{e}");
    assert!(e.to_string().contains("SessionTimeoutRange"), "{e}");
    assert_eq!(cam.replay_session_timeout().await.unwrap(), secs(20));
}

/// A camera that reports its addresses with a host no one can reach (0.0.0.0, another
/// host): the replay address is repaired to the host reached, as a stream URI is.
#[tokio::test]
async fn a_replay_address_with_an_unusable_host_is_repaired() {
    for quirk in [
        onvif_sim::Quirk::LyingXAddrsZero,
        onvif_sim::Quirk::LyingXAddrsOtherHost,
    ] {
        let (sim, cam) = Sim::builder()
            .config(|c| c.quirk(quirk))
            .start_and_connect()
            .await;
        let r = cam.replay_uri("Recording_1", None).await.unwrap();
        assert_eq!(
            r.uri,
            format!("rtsp://{}:8554/replay/Recording_1", sim.addr().ip()),
            "{quirk:?}"
        );
    }
}

#[tokio::test]
async fn each_service_says_what_it_can() {
    let (_sim, cam) = Sim::builder().start_and_connect().await;
    let rec = cam.recording_capabilities().await.unwrap();
    assert!(!rec.flag("DynamicRecordings"));
    assert_eq!(rec.flags["MaxRecordings"], "2");
    let search = cam.search_capabilities().await.unwrap();
    assert!(search.flag("GeneralStartEvents") && !search.flag("MetadataSearch"));
    let replay = cam.replay_capabilities().await.unwrap();
    assert!(!replay.flag("ReversePlayback"));
    assert_eq!(replay.flags["SessionTimeoutRange"], "0 60");
}

#[tokio::test]
async fn float_capabilities_and_a_recording_from_the_epoch_are_read_as_sent() {
    let (sim, cam) = Sim::builder()
        .quirk(onvif_sim::Quirk::RecordingCapabilitiesFloats)
        .quirk(onvif_sim::Quirk::EpochRecording)
        .start_and_connect()
        .await;
    let rec = cam.recording_capabilities().await.unwrap();
    assert_eq!(rec.flags["MaxRecordings"], "2.000000");
    assert_eq!(rec.flags["MaxRecordingJobs"], "1.000000");
    let epoch: Timestamp = "1970-01-01T00:03:15Z".parse().unwrap();
    assert_eq!(cam.recording_summary().await.unwrap().data_from, epoch);
    let found = cam
        .find_recordings(SearchScope::recordings(["Recording_2"]))
        .await
        .unwrap();
    assert_eq!(found[0].earliest, Some(epoch));
    assert_eq!(found[0].tracks[0].data_from, Some(epoch));
    assert!(sim.open_searches().is_empty());
}
