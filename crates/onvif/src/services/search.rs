//! Search: the summary of what a camera recorded, and searches for recordings and for the
//! events in them.
//!
//! A search is a session on the camera, and cameras allow only a few at once, so every search
//! started here is ended (EndSearch) on every path: when it completes, when a page handler
//! stops early or fails, when a request fails, and when the future running it is dropped (the
//! end is then sent from a task of its own).

use std::ops::ControlFlow;
use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::ops::Service;
use onvif_proto::ops::events::TopicFilter;
use onvif_proto::ops::recording::{RecordingInformation, RecordingSummary};
use onvif_proto::ops::search::{
    self, EndSearch, EventFilter, FindEventResult, FindEvents, FindRecordings, SearchScope,
    SearchState,
};

use crate::camera::Camera;
use crate::error::Error;

/// How long a search lives on the camera between two requests for results.
pub const SEARCH_KEEP_ALIVE: Duration = Duration::from_secs(30);
/// How many results each page asks for.
pub const SEARCH_PAGE_SIZE: u32 = 100;
/// How long the camera may wait for results before answering a page.
const PAGE_WAIT: Duration = Duration::from_secs(1);
/// Pages in a row without results and without the search completing, before giving up on a
/// camera whose search never ends.
const MAX_EMPTY_PAGES: u32 = 60;

/// The most pages one search is followed for: a camera that never says `Completed` while
/// it keeps sending results is stopped there (and its search ended), not followed forever.
const MAX_PAGES: u32 = 1_000;

/// The most results [`Camera::find_recordings`] and [`Camera::find_events`] keep: a camera
/// that sends far more than it was asked per page (each page is bounded only by the size of
/// an answer) cannot fill the memory. The page-by-page searches have no such bound; their
/// handlers keep what they choose.
pub const MAX_FOUND: usize = 100_000;

/// The topic of motion alarms (`tns1:VideoSource/MotionAlarm`), for [`Camera::find_events`].
pub const MOTION_TOPIC: &str = "tns1:VideoSource/MotionAlarm";

/// A search open on the camera, ended when [`SearchGuard::end`] is awaited or, failing
/// that, when the guard is dropped (from a task, when a tokio runtime is at hand).
struct SearchGuard {
    cam: Camera,
    token: Option<String>,
}

impl SearchGuard {
    /// End the search now. The token is let go only once the camera has answered, so that
    /// were this future dropped mid-request, the guard would still end the search.
    async fn end(mut self) -> Result<(), Error> {
        let Some(t) = self.token.clone() else {
            return Ok(());
        };
        let r = self.cam.end_search(&t).await;
        self.token = None;
        r
    }
}

impl Drop for SearchGuard {
    fn drop(&mut self) {
        let Some(token) = self.token.take() else {
            return;
        };
        let cam = self.cam.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    if let Err(e) = cam.end_search(&token).await {
                        tracing::debug!("ending an abandoned search: {e}");
                    }
                });
            }
            Err(_) => tracing::warn!(
                "a search was abandoned outside a runtime; the camera ends it after {} s",
                SEARCH_KEEP_ALIVE.as_secs()
            ),
        }
    }
}

/// The request for the next page of a search, and what a page holds.
trait Results: onvif_proto::ops::Operation + Sized {
    type Item;
    /// At most `size` results of the search `token`, waiting a little for them.
    fn next(token: String, size: u32) -> Self;
    /// A page's results, and whether the search is done.
    fn page(r: Self::Response) -> (Vec<Self::Item>, bool);
}

/// `Results` for a GetXSearchResults request (both have one form), whose pages hold `$field`.
macro_rules! results {
    ($req:ty, $item:ty, $field:ident) => {
        impl Results for $req {
            type Item = $item;
            fn next(search_token: String, size: u32) -> Self {
                Self {
                    search_token,
                    min_results: None,
                    max_results: Some(size),
                    wait_time: Some(PAGE_WAIT),
                }
            }
            fn page(r: Self::Response) -> (Vec<Self::Item>, bool) {
                (r.result_list.$field, done(r.result_list.search_state))
            }
        }
    };
}
results!(
    search::GetRecordingSearchResults,
    RecordingInformation,
    recordings
);
results!(search::GetEventSearchResults, FindEventResult, results);

impl Camera {
    /// The span of everything recorded and the number of recordings (GetRecordingSummary).
    pub async fn recording_summary(&self) -> Result<RecordingSummary, Error> {
        Ok(self.call(&search::GetRecordingSummary).await?.summary)
    }

    /// What one recording holds, without a search (GetRecordingInformation): its source,
    /// span, content and tracks. An unknown token is the camera's fault (`ter:NoRecording`).
    pub async fn recording_information(&self, token: &str) -> Result<RecordingInformation, Error> {
        let req = search::GetRecordingInformation {
            recording_token: token.to_owned(),
        };
        Ok(self.call(&req).await?.recording_information)
    }

    /// The search service's capabilities, flattened (GetServiceCapabilities):
    /// `MetadataSearch`, `GeneralStartEvents`.
    pub async fn search_capabilities(
        &self,
    ) -> Result<onvif_proto::ops::device::ServiceCapabilities, Error> {
        Ok(self.call(&search::GetServiceCapabilities).await?.0)
    }

    /// End a search (EndSearch). The searches of this module end themselves; this is for a
    /// search started otherwise.
    pub async fn end_search(&self, token: &str) -> Result<(), Error> {
        self.call(&EndSearch {
            search_token: token.to_owned(),
        })
        .await?;
        Ok(())
    }

    /// Every recording in `scope` (an empty scope: every recording): the whole search,
    /// page by page, then ended.
    pub async fn find_recordings(
        &self,
        scope: SearchScope,
    ) -> Result<Vec<RecordingInformation>, Error> {
        let mut all = Vec::new();
        let mut over = false;
        self.search_recordings(scope, SEARCH_PAGE_SIZE, |page| {
            Ok::<_, Error>(keep(&mut all, page, &mut over))
        })
        .await?;
        if over {
            return Err(self.too_many("RecordingInformation").await);
        }
        Ok(all)
    }

    /// The events between `from` and `to` (none: up to the end of the data; before `from`: a
    /// search backwards) whose topic matches `filter` (none: every event), in every
    /// recording: the whole search, page by page, then ended.
    pub async fn find_events(
        &self,
        from: Timestamp,
        to: Option<Timestamp>,
        filter: Option<TopicFilter>,
    ) -> Result<Vec<FindEventResult>, Error> {
        let mut all = Vec::new();
        let mut over = false;
        self.search_events(
            Camera::event_query(from, to, filter),
            SEARCH_PAGE_SIZE,
            |page| Ok::<_, Error>(keep(&mut all, page, &mut over)),
        )
        .await?;
        if over {
            return Err(self.too_many("FindEventResult").await);
        }
        Ok(all)
    }

    /// A FindEvents request with this module's keep-alive: the window, the filter, every
    /// recording, no start states. Change its scope to search some recordings only.
    pub fn event_query(
        from: Timestamp,
        to: Option<Timestamp>,
        filter: Option<TopicFilter>,
    ) -> FindEvents {
        FindEvents {
            start_point: from,
            end_point: to,
            scope: SearchScope::default(),
            search_filter: EventFilter { topic: filter },
            include_start_state: false,
            max_matches: None,
            keep_alive_time: SEARCH_KEEP_ALIVE,
        }
    }

    /// Search for recordings and hand each page (at most `page_size` results) to `on_page`,
    /// until the search completes or `on_page` breaks or fails; the search is ended in every
    /// case (also when this future is dropped). An error of `on_page` is returned as it is.
    pub async fn search_recordings<E: From<Error>>(
        &self,
        scope: SearchScope,
        page_size: u32,
        on_page: impl FnMut(Vec<RecordingInformation>) -> Result<ControlFlow<()>, E>,
    ) -> Result<(), E> {
        let token = self
            .call(&FindRecordings {
                scope,
                max_matches: None,
                keep_alive_time: SEARCH_KEEP_ALIVE,
            })
            .await?
            .search_token;
        self.run_search::<search::GetRecordingSearchResults, E>(token, page_size, on_page)
            .await
    }

    /// Search for events (`query`, see [`Camera::event_query`]) and hand each page (at most
    /// `page_size` results) to `on_page`, until the search completes or `on_page` breaks or
    /// fails; the search is ended in every case (also when this future is dropped). An error
    /// of `on_page` is returned as it is.
    pub async fn search_events<E: From<Error>>(
        &self,
        query: FindEvents,
        page_size: u32,
        on_page: impl FnMut(Vec<FindEventResult>) -> Result<ControlFlow<()>, E>,
    ) -> Result<(), E> {
        let token = self.call(&query).await?.search_token;
        self.run_search::<search::GetEventSearchResults, E>(token, page_size, on_page)
            .await
    }

    /// Fetch pages of the search `token` (at most `page_size` results each) until it is done
    /// or `on_page` stops it, then end it, whatever happened meanwhile (a failure to end it is
    /// only logged: the results stand, and the camera forgets the search after its
    /// keep-alive). Were this future dropped, the guard ends it.
    async fn run_search<R: Results, E: From<Error>>(
        &self,
        token: String,
        page_size: u32,
        mut on_page: impl FnMut(Vec<R::Item>) -> Result<ControlFlow<()>, E>,
    ) -> Result<(), E> {
        let page_size = page_size.max(1);
        let guard = SearchGuard {
            cam: self.clone(),
            token: Some(token.clone()),
        };
        let outcome = async {
            let mut empty = 0;
            let mut pages = 0;
            loop {
                pages += 1;
                if pages > MAX_PAGES {
                    return Err(self.endless_search(MAX_PAGES, "pages").await.into());
                }
                let (items, done) = R::page(self.call(&R::next(token.clone(), page_size)).await?);
                empty = if items.is_empty() { empty + 1 } else { 0 };
                let flow = if items.is_empty() {
                    ControlFlow::Continue(())
                } else {
                    on_page(items)?
                };
                if done || flow.is_break() {
                    return Ok(());
                }
                if empty >= MAX_EMPTY_PAGES {
                    return Err(self
                        .endless_search(MAX_EMPTY_PAGES, "empty pages")
                        .await
                        .into());
                }
            }
        }
        .await;
        if let Err(e) = guard.end().await {
            tracing::warn!("ending search {token}: {e}");
        }
        outcome
    }

    /// The error for a search that found more than [`MAX_FOUND`] results.
    async fn too_many(&self, what: &str) -> Error {
        self.search_error(onvif_proto::Error::invalid(
            format!("ResultList/{what}"),
            format!("more than {MAX_FOUND}"),
            "too many results to keep (take them page by page with the search_* methods)",
        ))
        .await
    }

    /// The error for a search that neither gives results nor completes.
    async fn endless_search(&self, n: u32, what: &str) -> Error {
        self.search_error(onvif_proto::Error::invalid(
            "SearchState",
            "Searching",
            format!("no end after {n} {what}"),
        ))
        .await
    }

    /// What was wrong with the search service's answers, at its address.
    async fn search_error(&self, source: onvif_proto::Error) -> Error {
        match self.endpoint(Service::Search).await {
            Ok(u) => Error::Protocol {
                url: u.to_string(),
                source,
            },
            Err(e) => e,
        }
    }
}

/// Keep a page's results, up to [`MAX_FOUND`]: past it, `over` is set and the search stopped.
fn keep<T>(all: &mut Vec<T>, page: Vec<T>, over: &mut bool) -> ControlFlow<()> {
    if all.len() + page.len() > MAX_FOUND {
        *over = true;
        return ControlFlow::Break(());
    }
    all.extend(page);
    ControlFlow::Continue(())
}

/// Is a page with this state the last? `Unknown` (a camera that does not say) counts as
/// done: the results it gave are taken as all there are.
fn done(state: SearchState) -> bool {
    matches!(state, SearchState::Completed | SearchState::Unknown)
}
