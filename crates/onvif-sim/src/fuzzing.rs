//! Entry points for the fuzz targets in `fuzz/`: the request path and the credential checks,
//! in process and without sockets. Not a stable interface.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use jiff::Timestamp;
use tokio::time::Instant;

use crate::auth::{self, AuthFailure, DigestNonces, HttpRequestInfo, NonceCache, TokenPolicy};
use crate::config::SimConfig;
use crate::state::Shared;

/// The simulated camera's HTTP routes for `cfg`, to be called in process (tower's `oneshot`).
/// Needs a tokio runtime (event timers are spawned).
pub fn router(cfg: SimConfig) -> axum::Router {
    let shared = Arc::new(Shared::new(
        cfg,
        SocketAddr::from((Ipv4Addr::LOCALHOST, 80)),
    ));
    crate::server::router(&shared)
}

/// `k=v, k="quoted"` auth parameters of an `Authorization` or `WWW-Authenticate` value.
pub fn auth_params(s: &str) -> Option<Vec<(String, String)>> {
    auth::parse_auth_params(s).map(|p| p.0)
}

/// The HTTP credential check of one request, against a camera that has issued one Digest
/// nonce: `NONCE` in the `Authorization` values stands for it, `OPAQUE` for the opaque value.
/// Needs a tokio runtime (its clock).
pub fn check_http(
    method: &str,
    target: &str,
    authorization: &[&[u8]],
    user: &str,
    password: &str,
    allow_basic: bool,
) -> Result<&'static str, AuthFailure> {
    let mut nonces = DigestNonces::new();
    let now = Instant::now();
    let nonce = nonces.issue(now);
    let values: Vec<Vec<u8>> = authorization
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v)
                .replace("NONCE", &nonce)
                .replace("OPAQUE", &nonces.opaque)
                .into_bytes()
        })
        .collect();
    let req = HttpRequestInfo {
        method,
        target,
        authorization: values.iter().map(Vec::as_slice).collect(),
    };
    auth::check_http(&req, user, password, allow_basic, &mut nonces, now)
}

/// The WS-Security check of a SOAP Header element, twice in a row with one replay cache (the
/// second must not pass if the first did and carried a nonce). Needs a tokio runtime.
pub fn check_username_token(
    header: Option<&onvif_proto::xml::Element>,
    user: &str,
    password: &str,
    accept_password_text: bool,
    camera_now: Timestamp,
    strict: bool,
) -> [Result<(), AuthFailure>; 2] {
    let policy = TokenPolicy {
        user,
        password,
        accept_password_text,
        camera_now,
        strict,
    };
    let mut cache = NonceCache::default();
    let now = Instant::now();
    [
        auth::check_username_token(header, &policy, &mut cache, now),
        auth::check_username_token(header, &policy, &mut cache, now),
    ]
}
