//! `GET /onvif/snapshot?profile=<token>`: the image of [`crate::snapshot`], behind the HTTP
//! authentication [`SnapshotAuth`] says.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use onvif_proto::ops::device::percent_decode;
use tokio::time::Instant;
use tracing::debug;

use super::login::{authorization, count_failure, digest_challenges};
use crate::auth::{self, AuthFailure, HttpRequestInfo, REALM};
use crate::config::{Quirk, SnapshotAuth};
use crate::media::{PROFILES, any_profile};
use crate::state::Shared;
use crate::sync::lock;

/// The page [`Quirk::SnapshotHtmlError`] answers with.
const HTML_ERROR: &str = "<!DOCTYPE html>\n<html><head><title>Error</title></head>\
<body><h1>Snapshot unavailable</h1><p>The encoder is busy. Please try again later.</p>\
</body></html>\n";

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

/// The value of `name` in a query string, percent-decoded.
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| percent_decode(v))
}

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    shared.count(|s| s.snapshot_requests += 1);
    let (parts, _) = req.into_parts();
    let how = match authenticate(&shared, &parts) {
        Ok(how) => how,
        Err(challenges) => return unauthorized(challenges),
    };
    debug!(uri = %parts.uri, auth = how, "snapshot");
    if shared.cfg.has(Quirk::SnapshotHtmlError) {
        return (StatusCode::OK, [(CONTENT_TYPE, "text/html")], HTML_ERROR).into_response();
    }
    let token = query_param(parts.uri.query(), "profile");
    let token = token.as_deref().unwrap_or(PROFILES[0].token);
    let Some((index, def)) = any_profile(token) else {
        return text(
            StatusCode::NOT_FOUND,
            format!("no media profile with token {token:?}\n"),
        );
    };
    match shared.snapshots.get(index, def.token) {
        Ok(jpeg) => {
            shared.count(|s| s.snapshots_served += 1);
            (
                StatusCode::OK,
                [(CONTENT_TYPE, "image/jpeg"), (CACHE_CONTROL, "no-store")],
                jpeg,
            )
                .into_response()
        }
        Err(e) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the image could not be encoded: {e}\n"),
        ),
    }
}

/// A 401 with these `WWW-Authenticate` challenges.
pub(super) fn unauthorized(challenges: Vec<String>) -> Response {
    let mut resp = text(StatusCode::UNAUTHORIZED, "401 Unauthorized\n");
    for c in challenges {
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(WWW_AUTHENTICATE, v);
        }
    }
    resp
}

/// Check the request's HTTP credentials as [`SnapshotAuth`] says, against the accounts as
/// they are now (a changed password, a removed or added user): how they passed, or the
/// `WWW-Authenticate` values of the 401 to send ([`unauthorized`]).
pub(super) fn authenticate(shared: &Shared, parts: &Parts) -> Result<&'static str, Vec<String>> {
    let cfg = &shared.cfg;
    let target = parts.uri.to_string();
    let info = HttpRequestInfo {
        method: parts.method.as_str(),
        target: &target,
        authorization: authorization(parts),
    };
    let locked = cfg.snapshot_auth != SnapshotAuth::None
        && lock(&shared.lockout).locked_for(Instant::now()).is_some();
    let in_query = cfg
        .has(Quirk::SnapshotUriQueryCredentials)
        .then(|| {
            let query = parts.uri.query();
            Some((query_param(query, "user")?, query_param(query, "password")?))
        })
        .flatten();
    let claimed = match &in_query {
        Some((user, _)) => Some(user.clone()),
        None => auth::claimed_http_user(&info),
    };
    let (user, password) = super::login::account(shared, claimed);
    let checked = match cfg.snapshot_auth {
        SnapshotAuth::None => return Ok("none"),
        _ if locked => Err(AuthFailure::LockedOut),
        _ if in_query.is_some() => match in_query {
            Some((_, given)) if user != "\0" && given == password => Ok("query"),
            _ if user == "\0" => Err(AuthFailure::UnknownUser),
            _ => Err(AuthFailure::WrongPassword),
        },
        SnapshotAuth::Digest => {
            let mut nonces = shared.digest_nonces();
            auth::check_http(
                &info,
                &user,
                &password,
                cfg.allow_basic,
                &mut nonces,
                Instant::now(),
            )
        }
        SnapshotAuth::Basic => auth::check_basic(&info, &user, &password).map(|()| "basic"),
    };
    let failure = match checked {
        Ok(how) => return Ok(how),
        Err(f) => f,
    };
    debug!(reason = %failure, "snapshot authentication failed");
    count_failure(shared, failure);
    Err(match cfg.snapshot_auth {
        SnapshotAuth::Basic => vec![format!(r#"Basic realm="{REALM}""#)],
        _ => digest_challenges(shared, failure),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_found_and_decoded() {
        assert_eq!(
            query_param(Some("a=1&profile=Profile%5F2"), "profile").as_deref(),
            Some("Profile_2")
        );
        assert_eq!(query_param(Some("profiles=x"), "profile"), None);
        assert_eq!(query_param(None, "profile"), None);
    }
}
