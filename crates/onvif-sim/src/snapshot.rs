//! The snapshot URL: `GET /onvif/snapshot?profile=<token>` (the same path with
//! [`Quirk::Tapo`]), as GetSnapshotUri names it.
//!
//! It serves a real JPEG, 320x180, made here: a gradient in a colour of its own per profile
//! above colour bars, encoded once per profile and kept. It is protected by HTTP
//! authentication as [`SnapshotAuth`] says (Digest by default), whatever the SOAP
//! [`crate::AuthMode`]: a missing or wrong `Authorization` gets 401 with a challenge.
//! Without `profile` the first profile is shown; an unknown one is 404. With
//! [`Quirk::SnapshotHtmlError`] an authenticated request gets 200 and an HTML error page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jpeg_encoder::{ColorType, Encoder, EncodingError};
use onvif_proto::ops::device::percent_decode;
use tokio::time::Instant;
use tracing::debug;

use crate::auth::{self, AuthFailure, HttpRequestInfo, REALM};
use crate::config::{Quirk, SnapshotAuth};
use crate::media::{PROFILES, any_profile};
use crate::state::{Shared, lock};

/// Where snapshots are served.
pub(crate) const PATH: &str = "/onvif/snapshot";

const WIDTH: u16 = 320;
const HEIGHT: u16 = 180;
/// JPEG quality, 1..100.
const QUALITY: u8 = 85;

/// The page [`Quirk::SnapshotHtmlError`] answers with.
const HTML_ERROR: &str = "<!DOCTYPE html>\n<html><head><title>Error</title></head>\
<body><h1>Snapshot unavailable</h1><p>The encoder is busy. Please try again later.</p>\
</body></html>\n";

/// JPEG images by profile token, each encoded on first use.
#[derive(Default)]
pub(crate) struct SnapshotCache(Mutex<HashMap<&'static str, Bytes>>);

impl SnapshotCache {
    /// The image of profile number `index` (its colour) whose token is `token`.
    fn get(&self, index: usize, token: &'static str) -> Result<Bytes, EncodingError> {
        let mut map = lock(&self.0);
        if let Some(b) = map.get(token) {
            return Ok(b.clone());
        }
        let b = Bytes::from(render(index)?);
        map.insert(token, b.clone());
        Ok(b)
    }
}

/// One colour per profile.
const TINTS: [[u8; 3]; 3] = [[40, 120, 230], [60, 200, 90], [240, 140, 40]];
/// White, yellow, cyan, green, magenta, red, blue, black.
const BARS: [[u8; 3]; 8] = [
    [235, 235, 235],
    [235, 235, 16],
    [16, 235, 235],
    [16, 235, 16],
    [235, 16, 235],
    [235, 16, 16],
    [16, 16, 235],
    [16, 16, 16],
];

/// Encode the picture of profile number `index`.
fn render(index: usize) -> Result<Vec<u8>, EncodingError> {
    let tint = TINTS[index % TINTS.len()];
    let (w, h) = (usize::from(WIDTH), usize::from(HEIGHT));
    let bars_from = h * 3 / 4;
    let span = w + bars_from - 2;
    let mut px = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let rgb = if y >= bars_from {
                BARS[x * BARS.len() / w]
            } else {
                // A diagonal gradient from black to the tint, on a faint 16-pixel checker.
                let t = (x + y) * 255 / span;
                let lift = if (x / 16 + y / 16) % 2 == 0 { 24 } else { 0 };
                tint.map(|c| {
                    let v = usize::from(c) * t / 255 + lift;
                    u8::try_from(v).unwrap_or(u8::MAX)
                })
            };
            px.extend_from_slice(&rgb);
        }
    }
    let mut out = Vec::with_capacity(16 * 1024);
    Encoder::new(&mut out, QUALITY).encode(&px, WIDTH, HEIGHT, ColorType::Rgb)?;
    Ok(out)
}

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
        Err(challenges) => {
            let mut resp = text(StatusCode::UNAUTHORIZED, "401 Unauthorized\n");
            for c in challenges {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    resp.headers_mut().append(WWW_AUTHENTICATE, v);
                }
            }
            return resp;
        }
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

/// Check the request's HTTP credentials as [`SnapshotAuth`] says: how they passed, or the
/// `WWW-Authenticate` values of the 401 to send.
fn authenticate(shared: &Shared, parts: &Parts) -> Result<&'static str, Vec<String>> {
    let cfg = &shared.cfg;
    let target = parts.uri.to_string();
    let info = HttpRequestInfo {
        method: parts.method.as_str(),
        target: &target,
        authorization: parts
            .headers
            .get_all(AUTHORIZATION)
            .iter()
            .map(HeaderValue::as_bytes)
            .collect(),
    };
    let locked = cfg.snapshot_auth != SnapshotAuth::None
        && crate::state::lock(&shared.lockout)
            .locked_for(Instant::now())
            .is_some();
    let checked = match cfg.snapshot_auth {
        SnapshotAuth::None => return Ok("none"),
        _ if locked => Err(AuthFailure::LockedOut),
        SnapshotAuth::Digest => {
            let mut nonces = shared.digest_nonces();
            auth::check_http(
                &info,
                &cfg.user,
                &cfg.password,
                cfg.allow_basic,
                &mut nonces,
                Instant::now(),
            )
        }
        SnapshotAuth::Basic => auth::check_basic(&info, &cfg.user, &cfg.password).map(|()| "basic"),
    };
    let failure = match checked {
        Ok(how) => return Ok(how),
        Err(f) => f,
    };
    debug!(reason = %failure, "snapshot authentication failed");
    shared.count(|s| {
        s.auth_failures += 1;
        *s.auth_failure_reasons.entry(failure).or_default() += 1;
    });
    crate::server::record_for_lockout(shared, failure);
    Err(match cfg.snapshot_auth {
        SnapshotAuth::Basic => vec![format!(r#"Basic realm="{REALM}""#)],
        _ => {
            let challenges = {
                let mut nonces = shared.digest_nonces();
                let nonce = nonces.issue(Instant::now());
                auth::challenges(
                    &nonce,
                    &nonces.opaque,
                    failure == AuthFailure::StaleDigestNonce,
                    cfg.allow_basic,
                )
            };
            shared.count(|s| s.digest_challenges += 1);
            challenges
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_profile_gets_a_real_jpeg_of_its_own() {
        let images: Vec<Vec<u8>> = (0..PROFILES.len())
            .map(|i| render(i).unwrap_or_default())
            .collect();
        for img in &images {
            assert!(img.starts_with(&[0xFF, 0xD8]), "SOI");
            assert!(img.ends_with(&[0xFF, 0xD9]), "EOI");
        }
        assert_ne!(images[0], images[1]);
        assert_ne!(images[1], images[2]);
    }

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
