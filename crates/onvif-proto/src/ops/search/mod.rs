//! Search service (ver10/search/wsdl, `tse:`): the summary of what is recorded, and searches
//! for recordings and for the events in them.
//!
//! A search is a session on the device: FindRecordings or FindEvents starts it and gives its
//! token, GetRecordingSearchResults or GetEventSearchResults fetch its results page by page
//! (each page says whether the search is still `Searching` or `Completed`), and EndSearch ends
//! it. A search nobody asks about ends by itself after its `KeepAliveTime`; until then it
//! holds one of the device's few search slots, so a client ends every search it starts.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use crate::codec::Xml;
use crate::ops::events::{NotificationMessage, TopicFilter};
use crate::ops::recording::model::{RecordingInformation, RecordingSummary, SourceReference};
use crate::{operation, xml_enum};

xml_enum! {
    /// Where a search is.
    pub SearchState {
        /// Waiting to start.
        Queued = "Queued",
        /// Running: more results may come.
        Searching = "Searching",
        /// Done: the results given are all there are.
        Completed = "Completed",
        /// The device does not say.
        Unknown = "Unknown",
    }
}

/// `tt:SearchScope`: what a search looks in. Empty lists mean everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct SearchScope {
    /// Only recordings of these sources.
    #[xml(child = "tt:IncludedSources")]
    pub included_sources: Vec<SourceReference>,
    /// Only these recordings.
    #[xml(child = "tt:IncludedRecordings")]
    pub included_recordings: Vec<String>,
    /// An XPath filter over the recordings' information, when given.
    #[xml(child = "tt:RecordingInformationFilter")]
    pub recording_information_filter: Option<String>,
}

impl SearchScope {
    /// Only these recordings (none: every recording).
    pub fn recordings<I: IntoIterator<Item = S>, S: Into<String>>(tokens: I) -> SearchScope {
        SearchScope {
            included_recordings: tokens.into_iter().map(Into::into).collect(),
            ..SearchScope::default()
        }
    }
}

/// `tt:EventFilter`: which events an event search finds (none: every event).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct EventFilter {
    /// The topics, as a topic expression.
    #[xml(child = "wsnt:TopicExpression")]
    pub topic: Option<TopicFilter>,
}

// ---------------------------------------------------------------------------------------------
// GetRecordingSummary

/// The span of everything recorded, and how many recordings there are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tse:GetRecordingSummary")]
pub struct GetRecordingSummary;
operation!(GetRecordingSummary => RecordingSummaryResponse, idempotent = true);

/// The answer to GetRecordingSummary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tse:GetRecordingSummaryResponse")]
pub struct RecordingSummaryResponse {
    /// The summary.
    #[xml(child = "tse:Summary")]
    pub summary: RecordingSummary,
}

// ---------------------------------------------------------------------------------------------
// FindRecordings / GetRecordingSearchResults

/// Start a search for recordings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tse:FindRecordings")]
pub struct FindRecordings {
    /// What to look in.
    #[xml(child = "tse:Scope", default)]
    pub scope: SearchScope,
    /// At most this many results in all, when given.
    #[xml(child = "tse:MaxMatches")]
    pub max_matches: Option<u32>,
    /// How long the search lives without being asked about.
    #[xml(child = "tse:KeepAliveTime")]
    pub keep_alive_time: Duration,
}
// Each call starts another search: sent twice, one would be left open.
operation!(FindRecordings => FindRecordingsResponse, idempotent = false);

/// Start a search for events in recordings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tse:FindEvents")]
pub struct FindEvents {
    /// Where in time the search starts.
    #[xml(child = "tse:StartPoint")]
    pub start_point: Timestamp,
    /// Where it ends (before the start: a search backwards); none: the end of the data.
    #[xml(child = "tse:EndPoint")]
    pub end_point: Option<Timestamp>,
    /// What to look in.
    #[xml(child = "tse:Scope", default)]
    pub scope: SearchScope,
    /// Which events.
    #[xml(child = "tse:SearchFilter", default)]
    pub search_filter: EventFilter,
    /// Report, as results, the state of each property at the start point.
    #[xml(child = "tse:IncludeStartState", default)]
    pub include_start_state: bool,
    /// At most this many results in all, when given.
    #[xml(child = "tse:MaxMatches")]
    pub max_matches: Option<u32>,
    /// How long the search lives without being asked about.
    #[xml(child = "tse:KeepAliveTime")]
    pub keep_alive_time: Duration,
}
// Each call starts another search: sent twice, one would be left open.
operation!(FindEvents => FindEventsResponse, idempotent = false);

/// The answer to FindRecordings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tse:FindRecordingsResponse")]
pub struct FindRecordingsResponse {
    /// The search's token.
    #[xml(child = "tse:SearchToken")]
    pub search_token: String,
}

/// The answer to FindEvents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tse:FindEventsResponse")]
pub struct FindEventsResponse {
    /// The search's token.
    #[xml(child = "tse:SearchToken")]
    pub search_token: String,
}

/// The results of a search for recordings, one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tse:GetRecordingSearchResults")]
pub struct GetRecordingSearchResults {
    /// The search.
    #[xml(child = "tse:SearchToken")]
    pub search_token: String,
    /// Wait for at least this many results (or the search's end, or `wait_time`).
    #[xml(child = "tse:MinResults")]
    pub min_results: Option<u32>,
    /// At most this many results in this page.
    #[xml(child = "tse:MaxResults")]
    pub max_results: Option<u32>,
    /// How long the device may wait for `min_results`.
    #[xml(child = "tse:WaitTime")]
    pub wait_time: Option<Duration>,
}
// Each call takes the next page.
operation!(GetRecordingSearchResults => RecordingSearchResults, idempotent = false);

/// `tt:FindRecordingResultList`: one page of a search for recordings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct FindRecordingResultList {
    /// Whether more may come.
    #[xml(child = "tt:SearchState", lenient, default = "SearchState::Unknown")]
    pub search_state: SearchState,
    /// The recordings found in this page.
    #[xml(child = "tt:RecordingInformation")]
    pub recordings: Vec<RecordingInformation>,
}

/// The answer to GetRecordingSearchResults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tse:GetRecordingSearchResultsResponse")]
pub struct RecordingSearchResults {
    /// The page.
    #[xml(child = "tse:ResultList")]
    pub result_list: FindRecordingResultList,
}

// ---------------------------------------------------------------------------------------------
// GetEventSearchResults

/// The results of a search for events, one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tse:GetEventSearchResults")]
pub struct GetEventSearchResults {
    /// The search.
    #[xml(child = "tse:SearchToken")]
    pub search_token: String,
    /// Wait for at least this many results (or the search's end, or `wait_time`).
    #[xml(child = "tse:MinResults")]
    pub min_results: Option<u32>,
    /// At most this many results in this page.
    #[xml(child = "tse:MaxResults")]
    pub max_results: Option<u32>,
    /// How long the device may wait for `min_results`.
    #[xml(child = "tse:WaitTime")]
    pub wait_time: Option<Duration>,
}
// Each call takes the next page.
operation!(GetEventSearchResults => EventSearchResults, idempotent = false);

/// `tt:FindEventResult`: one event found in a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct FindEventResult {
    /// The recording it is in.
    #[xml(child = "tt:RecordingToken")]
    pub recording_token: String,
    /// The track it is in.
    #[xml(child = "tt:TrackToken", default)]
    pub track_token: String,
    /// When it happened.
    #[xml(child = "tt:Time")]
    pub time: Timestamp,
    /// The event, as a notification carries it.
    #[xml(child = "tt:Event")]
    pub event: NotificationMessage,
    /// A state at the search's start point rather than a change.
    #[xml(child = "tt:StartStateEvent", default)]
    pub start_state_event: bool,
}

/// `tt:FindEventResultList`: one page of a search for events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct FindEventResultList {
    /// Whether more may come.
    #[xml(child = "tt:SearchState", lenient, default = "SearchState::Unknown")]
    pub search_state: SearchState,
    /// The events found in this page.
    #[xml(child = "tt:Result")]
    pub results: Vec<FindEventResult>,
}

/// The answer to GetEventSearchResults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tse:GetEventSearchResultsResponse")]
pub struct EventSearchResults {
    /// The page.
    #[xml(child = "tse:ResultList")]
    pub result_list: FindEventResultList,
}

// ---------------------------------------------------------------------------------------------
// EndSearch

/// End a search (and free its slot on the device).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tse:EndSearch")]
pub struct EndSearch {
    /// The search.
    #[xml(child = "tse:SearchToken")]
    pub search_token: String,
}
// Ending an ended search changes nothing (the device answers InvalidToken).
operation!(EndSearch => EndSearchResponse, idempotent = true);

/// The answer to EndSearch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tse:EndSearchResponse")]
pub struct EndSearchResponse {
    /// Where the search had got to; `None` when absent or unreadable.
    #[xml(child = "tse:Endpoint", lenient)]
    pub endpoint: Option<Timestamp>,
}

// ---------------------------------------------------------------------------------------------
// GetRecordingInformation

/// What is recorded in one recording, without a search (mandatory for a search service).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tse:GetRecordingInformation")]
pub struct GetRecordingInformation {
    /// The recording.
    #[xml(child = "tse:RecordingToken")]
    pub recording_token: String,
}
operation!(GetRecordingInformation => RecordingInformationResponse, idempotent = true);

/// The answer to GetRecordingInformation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tse:GetRecordingInformationResponse")]
pub struct RecordingInformationResponse {
    /// The recording: its source, span, content and tracks.
    #[xml(child = "tse:RecordingInformation")]
    pub recording_information: RecordingInformation,
}

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

crate::ops::message::flat_capabilities!(
    "tse:GetServiceCapabilities",
    "tse:GetServiceCapabilitiesResponse",
    "search"
);

#[cfg(test)]
mod tests;
