//! The search service (`tse:`): the summary of the timeline, and paged searches for
//! recordings and for the motion events in them, each a session the client must end (see
//! [`crate::archive`]: how many may be open, and when an abandoned one expires).

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::recording::RecordingSummary;
use onvif_proto::ops::search::{
    EndSearch, EndSearchResponse, EventSearchResults, FindEventResultList, FindEvents,
    FindEventsResponse, FindRecordingResultList, FindRecordings, FindRecordingsResponse,
    GetEventSearchResults, GetRecordingInformation, GetRecordingSearchResults, GetRecordingSummary,
    GetServiceCapabilities, RecordingInformationResponse, RecordingSearchResults,
    RecordingSummaryResponse, SearchState, ServiceCapabilities,
};

use super::{Ctx, ServiceDef, flag_capabilities, flags, op};
use crate::archive::{self, EventQuery, Found, Page, invalid_token};

/// The search service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Search,
    category: Some("Search"),
    ops: &[
        op!(GetRecordingSummary => get_recording_summary),
        op!(FindRecordings => find_recordings),
        op!(GetRecordingSearchResults => get_recording_search_results),
        op!(FindEvents => find_events),
        op!(GetEventSearchResults => get_event_search_results),
        op!(EndSearch => end_search),
        op!(GetRecordingInformation => get_recording_information),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: search_capabilities,
    category_flags: search_category,
};

fn get_recording_summary(
    _: &Ctx<'_>,
    _: GetRecordingSummary,
) -> Result<RecordingSummaryResponse, Fault> {
    let (data_from, data_until, number_recordings) = archive::summary();
    Ok(RecordingSummaryResponse {
        summary: RecordingSummary {
            data_from,
            data_until,
            number_recordings,
        },
    })
}

fn get_recording_information(
    _: &Ctx<'_>,
    req: GetRecordingInformation,
) -> Result<RecordingInformationResponse, Fault> {
    Ok(RecordingInformationResponse {
        recording_information: archive::recording_information(&req.recording_token)?,
    })
}

fn find_recordings(ctx: &Ctx<'_>, req: FindRecordings) -> Result<FindRecordingsResponse, Fault> {
    let found = archive::find_recordings(&req.scope)?;
    let search_token = ctx.shared.archive.open(
        Found::Recordings(found),
        req.max_matches,
        req.keep_alive_time,
        ctx.shared.camera_now(),
    )?;
    Ok(FindRecordingsResponse { search_token })
}

fn state(done: bool) -> SearchState {
    if done {
        SearchState::Completed
    } else {
        SearchState::Searching
    }
}

fn get_recording_search_results(
    ctx: &Ctx<'_>,
    req: GetRecordingSearchResults,
) -> Result<RecordingSearchResults, Fault> {
    let page = ctx
        .shared
        .archive
        .page(&req.search_token, req.max_results, false)?;
    // The archive answers a recording search's token with a page of recordings.
    let Page::Recordings(recordings, done) = page else {
        return Err(invalid_token(&req.search_token));
    };
    Ok(RecordingSearchResults {
        result_list: FindRecordingResultList {
            search_state: state(done),
            recordings,
        },
    })
}

/// The topic filter, when given, decides whether the motion events are searched at all.
fn find_events(ctx: &Ctx<'_>, req: FindEvents) -> Result<FindEventsResponse, Fault> {
    let filter = req.search_filter.topic.clone();
    let matches =
        |t: &onvif_proto::ops::events::Topic| filter.as_ref().is_none_or(|f| f.matches(t));
    let found = archive::find_events(&EventQuery {
        start: req.start_point,
        end: req.end_point,
        scope: &req.scope,
        matches: &matches,
        include_start_state: req.include_start_state,
    })?;
    let search_token = ctx.shared.archive.open(
        Found::Events(found),
        req.max_matches,
        req.keep_alive_time,
        req.start_point,
    )?;
    Ok(FindEventsResponse { search_token })
}

fn get_event_search_results(
    ctx: &Ctx<'_>,
    req: GetEventSearchResults,
) -> Result<EventSearchResults, Fault> {
    let page = ctx
        .shared
        .archive
        .page(&req.search_token, req.max_results, true)?;
    // The archive answers an event search's token with a page of events.
    let Page::Events(results, done) = page else {
        return Err(invalid_token(&req.search_token));
    };
    Ok(EventSearchResults {
        result_list: FindEventResultList {
            search_state: state(done),
            results,
        },
    })
}

/// An unknown, ended or expired token is `ter:InvalidToken`.
fn end_search(ctx: &Ctx<'_>, req: EndSearch) -> Result<EndSearchResponse, Fault> {
    let endpoint = ctx.shared.archive.end(&req.search_token)?;
    Ok(EndSearchResponse {
        endpoint: Some(endpoint),
    })
}

flag_capabilities!(search_capabilities);

/// `tse:Capabilities`, flattened.
fn search_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[("GeneralStartEvents", "true"), ("MetadataSearch", "false")])
}

/// GetCapabilities' `Extension/Search`.
fn search_category(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[("MetadataSearch", "false")])
}
