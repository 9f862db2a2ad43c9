//! Recording, search and replay over real sockets: the fixed timeline, searches paged, scoped,
//! ended, limited and expired, and the faults a camera answers.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::ops::device::{Capabilities, GetCapabilities, GetServices, Services};
use onvif_proto::ops::events::TopicFilter;
use onvif_proto::ops::media::StreamType;
use onvif_proto::ops::recording::{
    GetRecordingConfiguration, GetRecordingJobs, GetRecordings, RecordingConfigurationResponse,
    RecordingJobMode, RecordingJobs, RecordingStatus, Recordings, TrackType,
};
use onvif_proto::ops::replay::{GetReplayUri, ReplayUri};
use onvif_proto::ops::search::{
    EndSearch, EndSearchResponse, EventFilter, EventSearchResults, FindEvents, FindEventsResponse,
    FindRecordings, FindRecordingsResponse, GetEventSearchResults, GetRecordingSearchResults,
    GetRecordingSummary, RecordingSearchResults, RecordingSummaryResponse, SearchScope,
    SearchState,
};
use onvif_proto::ops::{Service, recording, replay, search};
use onvif_testkit::Sim;
use onvif_testkit::http::{DEVICE, Resp};

const RECORDING: &str = "/onvif/recording_service";
const SEARCH: &str = "/onvif/search_service";
const REPLAY: &str = "/onvif/replay_service";
const KEEP: Duration = Duration::from_secs(10);

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Assert a Sender fault with these subcodes, in order.
fn assert_sender(r: &Resp, subs: &[&str]) {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Sender", "{f}");
    let got: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(got, subs, "{f}");
}

fn find_all() -> FindRecordings {
    FindRecordings {
        scope: SearchScope::default(),
        max_matches: None,
        keep_alive_time: KEEP,
    }
}

fn find_motion(from: &str, to: Option<&str>) -> FindEvents {
    FindEvents {
        start_point: ts(from),
        end_point: to.map(ts),
        scope: SearchScope::default(),
        search_filter: EventFilter {
            topic: Some(TopicFilter::concrete_set("tns1:VideoSource/MotionAlarm")),
        },
        include_start_state: false,
        max_matches: None,
        keep_alive_time: KEEP,
    }
}

fn page(token: &str, max: Option<u32>) -> GetEventSearchResults {
    GetEventSearchResults {
        search_token: token.into(),
        min_results: None,
        max_results: max,
        wait_time: None,
    }
}

async fn start_events(cam: &Sim, q: &FindEvents) -> String {
    let r: FindEventsResponse = cam.ask(SEARCH, q).await.read();
    r.search_token
}

#[tokio::test]
async fn recordings_configurations_and_jobs_describe_the_timeline() {
    let cam = Sim::start().await;
    let r: Recordings = cam.ask(RECORDING, &GetRecordings).await.read();
    let tokens: Vec<&str> = r.recordings.iter().map(|r| r.token.as_str()).collect();
    assert_eq!(tokens, ["Recording_1", "Recording_2"]);
    let kinds: Vec<TrackType> = r.recordings[0]
        .tracks
        .iter()
        .map(|t| t.configuration.track_type)
        .collect();
    assert_eq!(kinds, [TrackType::Video, TrackType::Metadata]);
    let c: RecordingConfigurationResponse = cam
        .ask(
            RECORDING,
            &GetRecordingConfiguration {
                recording_token: "Recording_2".into(),
            },
        )
        .await
        .read();
    assert_eq!(c.configuration, r.recordings[1].configuration);
    assert_eq!(c.configuration.source.source_id, "VideoSource_1");
    let r = cam
        .ask(
            RECORDING,
            &GetRecordingConfiguration {
                recording_token: "Nope".into(),
            },
        )
        .await;
    assert_sender(&r, &["InvalidArgVal", "NoRecording"]);
    assert!(r.fault().reason.contains("Nope"), "{}", r.body);
    let j: RecordingJobs = cam.ask(RECORDING, &GetRecordingJobs).await.read();
    assert_eq!(j.jobs.len(), 1);
    assert_eq!(j.jobs[0].configuration.recording_token, "Recording_1");
    assert_eq!(j.jobs[0].configuration.mode, RecordingJobMode::Active);
    let caps: recording::ServiceCapabilities = cam
        .ask(RECORDING, &recording::GetServiceCapabilities)
        .await
        .read();
    assert_eq!(caps.0.flags["MaxRecordings"], "2");
}

#[tokio::test]
async fn the_new_services_are_listed_and_their_capabilities_are_extensions() {
    let cam = Sim::start().await;
    let s: Services = cam
        .ask(
            DEVICE,
            &GetServices {
                include_capability: true,
            },
        )
        .await
        .read();
    for svc in [Service::Recording, Service::Search, Service::Replay] {
        let i = s.services.iter().find(|i| i.service == Some(svc)).unwrap();
        assert!(i.xaddr.ends_with(svc.default_path()), "{}", i.xaddr);
    }
    let r = cam
        .ask(
            DEVICE,
            &GetCapabilities {
                category: "All".into(),
            },
        )
        .await;
    // Inside the Extension, after DeviceIO's (the merged services share it).
    let extension = r.body.find("<tt:Extension>").unwrap();
    assert!(
        r.body[extension..].contains("<tt:Recording><tt:XAddr>"),
        "{}",
        r.body
    );
    let c: Capabilities = r.read();
    let order: Vec<&str> = c.entries.iter().map(|e| e.category.as_str()).collect();
    assert_eq!(
        order,
        [
            "Analytics",
            "Device",
            "Events",
            "Imaging",
            "Media",
            "PTZ",
            "DeviceIO",
            "Recording",
            "Search",
            "Replay"
        ]
    );
    assert!(c.xaddr(Service::Search).unwrap().ends_with(SEARCH));
    let caps: search::ServiceCapabilities = cam
        .ask(SEARCH, &search::GetServiceCapabilities)
        .await
        .read();
    assert!(!caps.0.flag("MetadataSearch"));
    let caps: replay::ServiceCapabilities = cam
        .ask(REPLAY, &replay::GetServiceCapabilities)
        .await
        .read();
    assert!(caps.0.flag("RTP_RTSP_TCP"));
}

#[tokio::test]
async fn a_recording_search_pages_its_results_and_is_ended() {
    let cam = Sim::start().await;
    let summary: RecordingSummaryResponse = cam.ask(SEARCH, &GetRecordingSummary).await.read();
    assert_eq!(summary.summary.number_recordings, 2);
    assert_eq!(summary.summary.data_from, ts("2026-11-30T20:00:00Z"));
    assert_eq!(summary.summary.data_until, ts("2026-12-01T12:00:00Z"));
    let f: FindRecordingsResponse = cam.ask(SEARCH, &find_all()).await.read();
    assert_eq!(cam.open_searches(), std::slice::from_ref(&f.search_token));
    let get = |max| GetRecordingSearchResults {
        search_token: f.search_token.clone(),
        min_results: None,
        max_results: max,
        wait_time: None,
    };
    let p1: RecordingSearchResults = cam.ask(SEARCH, &get(Some(1))).await.read();
    assert_eq!(p1.result_list.search_state, SearchState::Searching);
    assert_eq!(p1.result_list.recordings.len(), 1);
    assert_eq!(p1.result_list.recordings[0].token, "Recording_1");
    assert_eq!(
        p1.result_list.recordings[0].status,
        RecordingStatus::Recording
    );
    let p2: RecordingSearchResults = cam.ask(SEARCH, &get(Some(1))).await.read();
    assert_eq!(p2.result_list.search_state, SearchState::Completed);
    assert_eq!(p2.result_list.recordings[0].token, "Recording_2");
    // Completed, but open until ended.
    assert_eq!(cam.open_searches().len(), 1);
    let end = EndSearch {
        search_token: f.search_token.clone(),
    };
    let _: EndSearchResponse = cam.ask(SEARCH, &end).await.read();
    assert!(cam.open_searches().is_empty());
    assert_sender(
        &cam.ask(SEARCH, &get(None)).await,
        &["InvalidArgVal", "InvalidToken"],
    );
    assert_sender(
        &cam.ask(SEARCH, &end).await,
        &["InvalidArgVal", "InvalidToken"],
    );
}

#[tokio::test]
async fn a_scope_names_recordings_and_an_unknown_one_is_refused() {
    let cam = Sim::start().await;
    let q = FindRecordings {
        scope: SearchScope::recordings(["Recording_2"]),
        max_matches: None,
        keep_alive_time: KEEP,
    };
    let f: FindRecordingsResponse = cam.ask(SEARCH, &q).await.read();
    let p: RecordingSearchResults = cam
        .ask(
            SEARCH,
            &GetRecordingSearchResults {
                search_token: f.search_token.clone(),
                min_results: None,
                max_results: None,
                wait_time: None,
            },
        )
        .await
        .read();
    let tokens: Vec<&str> = p
        .result_list
        .recordings
        .iter()
        .map(|r| r.token.as_str())
        .collect();
    assert_eq!(tokens, ["Recording_2"]);
    assert_eq!(p.result_list.search_state, SearchState::Completed);
    let bad = FindRecordings {
        scope: SearchScope::recordings(["Recording_9"]),
        ..q
    };
    assert_sender(
        &cam.ask(SEARCH, &bad).await,
        &["InvalidArgVal", "NoRecording"],
    );
    // A refused search opens nothing; the event search's token is not a recording search's.
    assert_eq!(cam.open_searches(), std::slice::from_ref(&f.search_token));
    let e = start_events(&cam, &find_motion("2026-12-01T08:00:00Z", None)).await;
    let r = cam
        .ask(
            SEARCH,
            &GetRecordingSearchResults {
                search_token: e,
                min_results: None,
                max_results: None,
                wait_time: None,
            },
        )
        .await;
    assert_sender(&r, &["InvalidArgVal", "InvalidToken"]);
}

#[tokio::test]
async fn an_event_search_finds_motion_in_its_window_page_by_page() {
    let cam = Sim::start().await;
    let token = start_events(
        &cam,
        &find_motion("2026-12-01T08:00:00Z", Some("2026-12-01T09:00:00Z")),
    )
    .await;
    let mut all = Vec::new();
    loop {
        let p: EventSearchResults = cam.ask(SEARCH, &page(&token, Some(4))).await.read();
        assert!(p.result_list.results.len() <= 4);
        all.extend(p.result_list.results);
        if p.result_list.search_state == SearchState::Completed {
            break;
        }
    }
    let times: Vec<String> = all.iter().map(|r| r.time.to_string()).collect();
    assert_eq!(
        times,
        [
            "2026-12-01T08:05:00Z",
            "2026-12-01T08:06:00Z",
            "2026-12-01T08:25:00Z",
            "2026-12-01T08:27:30Z",
            "2026-12-01T08:45:00Z",
            "2026-12-01T08:46:00Z"
        ]
    );
    let states: Vec<&str> = all
        .iter()
        .map(|r| r.event.data_item("State").unwrap())
        .collect();
    assert_eq!(states, ["true", "false", "true", "false", "true", "false"]);
    assert!(
        all.iter()
            .all(|r| r.event.topic.is_onvif("VideoSource/MotionAlarm"))
    );
    assert!(all.iter().all(|r| r.recording_token == "Recording_1"));
    let end: EndSearchResponse = cam
        .ask(
            SEARCH,
            &EndSearch {
                search_token: token,
            },
        )
        .await
        .read();
    assert_eq!(end.endpoint, Some(ts("2026-12-01T08:46:00Z")));
    assert!(cam.open_searches().is_empty());
}

#[tokio::test]
async fn start_states_other_topics_backwards_searches_and_max_matches() {
    let cam = Sim::start().await;
    let mut q = find_motion("2026-12-01T08:26:00Z", Some("2026-12-01T08:30:00Z"));
    q.include_start_state = true;
    let token = start_events(&cam, &q).await;
    let p: EventSearchResults = cam.ask(SEARCH, &page(&token, None)).await.read();
    let r = &p.result_list.results;
    assert_eq!(r.len(), 2, "{r:?}");
    assert!(r[0].start_state_event);
    assert_eq!(
        r[0].event.data_item("State"),
        Some("true"),
        "motion at 08:26"
    );
    assert_eq!(r[1].time, ts("2026-12-01T08:27:30Z"));
    // Backwards: the end before the start, results newest first.
    let token = start_events(
        &cam,
        &find_motion("2026-12-01T09:00:00Z", Some("2026-12-01T08:00:00Z")),
    )
    .await;
    let p: EventSearchResults = cam.ask(SEARCH, &page(&token, None)).await.read();
    assert_eq!(p.result_list.results[0].time, ts("2026-12-01T08:46:00Z"));
    // Another topic finds nothing.
    let mut q = find_motion("2026-12-01T08:00:00Z", None);
    q.search_filter.topic = Some(TopicFilter::concrete_set(
        "tns1:Device/Trigger/DigitalInput",
    ));
    let token = start_events(&cam, &q).await;
    let p: EventSearchResults = cam.ask(SEARCH, &page(&token, None)).await.read();
    assert!(p.result_list.results.is_empty());
    assert_eq!(p.result_list.search_state, SearchState::Completed);
    // MaxMatches caps the whole search.
    let mut q = find_motion("2026-11-30T00:00:00Z", None);
    q.max_matches = Some(3);
    let token = start_events(&cam, &q).await;
    let p: EventSearchResults = cam.ask(SEARCH, &page(&token, None)).await.read();
    assert_eq!(p.result_list.results.len(), 3);
    assert_eq!(p.result_list.results[0].recording_token, "Recording_2");
    assert_eq!(cam.open_searches().len(), 4);
}

#[tokio::test]
async fn too_many_searches_are_refused_until_one_ends() {
    let cam = Sim::start().await;
    let mut tokens = Vec::new();
    for _ in 0..4 {
        let f: FindRecordingsResponse = cam.ask(SEARCH, &find_all()).await.read();
        tokens.push(f.search_token);
    }
    let r = cam.ask(SEARCH, &find_all()).await;
    assert_eq!(r.status, 500, "{}", r.body);
    let f = r.fault();
    assert!(f.has_subcode("ResourceProblem"), "{f}");
    assert!(f.reason.contains("EndSearch"), "{f}");
    let _: EndSearchResponse = cam
        .ask(
            SEARCH,
            &EndSearch {
                search_token: tokens[0].clone(),
            },
        )
        .await
        .read();
    let _: FindRecordingsResponse = cam.ask(SEARCH, &find_all()).await.read();
    assert_eq!(cam.open_searches().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn an_abandoned_search_expires_after_its_keep_alive_time_and_asking_renews_it() {
    let cam = Sim::start().await;
    let token = start_events(&cam, &find_motion("2026-12-01T08:00:00Z", None)).await;
    tokio::time::advance(KEEP - Duration::from_secs(1)).await;
    let p: EventSearchResults = cam.ask(SEARCH, &page(&token, Some(1))).await.read();
    assert_eq!(p.result_list.results.len(), 1);
    // Asking renewed it: KEEP after the last request, not after the start.
    tokio::time::advance(KEEP - Duration::from_secs(1)).await;
    assert_eq!(cam.open_searches(), std::slice::from_ref(&token));
    tokio::time::advance(Duration::from_secs(1)).await;
    assert!(cam.open_searches().is_empty());
    assert_sender(
        &cam.ask(SEARCH, &page(&token, None)).await,
        &["InvalidArgVal", "InvalidToken"],
    );
}

#[tokio::test]
async fn replay_uris_name_the_recording_on_the_host_asked() {
    let cam = Sim::start().await;
    let u: ReplayUri = cam
        .ask(REPLAY, &GetReplayUri::rtsp("Recording_1"))
        .await
        .read();
    assert_eq!(u.uri, "rtsp://127.0.0.1:8554/replay/Recording_1");
    let r = cam.ask(REPLAY, &GetReplayUri::rtsp("Recording_7")).await;
    assert_sender(&r, &["InvalidArgVal", "NoRecording"]);
    let mut multicast = GetReplayUri::rtsp("Recording_1");
    multicast.stream = StreamType::RtpMulticast;
    assert_sender(
        &cam.ask(REPLAY, &multicast).await,
        &["InvalidArgVal", "InvalidStreamSetup"],
    );
}

#[tokio::test]
async fn searches_need_credentials() {
    let cam = Sim::start().await;
    onvif_testkit::http::call(cam.addr(), SEARCH, &find_all(), None)
        .await
        .assert_not_authorized();
    assert!(cam.open_searches().is_empty());
}

#[tokio::test]
async fn the_axis_quirk_names_job_items_in_the_recording_namespace() {
    let cam = Sim::builder()
        .quirk(onvif_sim::Quirk::JobItemsInServiceNamespace)
        .start()
        .await;
    let r = cam.ask(RECORDING, &GetRecordingJobs).await;
    assert!(
        r.body
            .contains("<trc:JobToken>RecordingJob_1</trc:JobToken>"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("tt:JobConfiguration"), "{}", r.body);
    let j: RecordingJobs = r.read();
    assert_eq!(j.jobs[0].configuration.recording_token, "Recording_1");
    let plain = Sim::start().await;
    let r = plain.ask(RECORDING, &GetRecordingJobs).await;
    assert!(r.body.contains("<tt:JobToken>"), "{}", r.body);
}

#[tokio::test]
async fn bad_search_values_are_refused_with_a_reason_and_open_nothing() {
    let cam = Sim::start().await;
    let r = cam
        .ask(
            SEARCH,
            &FindRecordings {
                keep_alive_time: Duration::ZERO,
                ..find_all()
            },
        )
        .await;
    assert_sender(&r, &["InvalidArgVal"]);
    assert!(r.fault().reason.contains("KeepAliveTime"), "{}", r.body);
    let mut filtered = find_all();
    filtered.scope.recording_information_filter = Some("boolean(//Track)".into());
    let r = cam.ask(SEARCH, &filtered).await;
    assert_sender(&r, &["InvalidArgVal"]);
    assert!(r.fault().reason.contains("not supported"), "{}", r.body);
    assert!(cam.open_searches().is_empty());
    let token = start_events(&cam, &find_motion("2026-12-01T08:00:00Z", None)).await;
    let r = cam.ask(SEARCH, &page(&token, Some(0))).await;
    assert_sender(&r, &["InvalidArgVal"]);
    assert!(r.fault().reason.contains("MaxResults"), "{}", r.body);
    // Still open, and the refused page took nothing.
    let p: EventSearchResults = cam.ask(SEARCH, &page(&token, Some(1))).await.read();
    assert_eq!(p.result_list.results[0].time, ts("2026-12-01T08:05:00Z"));
}
