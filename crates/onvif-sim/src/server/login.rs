//! The authentication policy of SOAP requests: which credentials an [`AuthMode`] wants, how a
//! refusal is answered, and the account lockout.

use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use onvif_proto::xml::Element;
use tokio::time::Instant;
use tracing::debug;

use super::reply::Reply;
use crate::auth::{self, AuthFailure, HttpRequestInfo, TokenPolicy};
use crate::config::{AuthMode, Quirk};
use crate::fault::{receiver, sender};
use crate::state::Shared;
use crate::sync::lock;

/// How a refusal is answered.
pub(super) enum Refusal {
    /// HTTP 400 with `ter:NotAuthorized`.
    Fault(AuthFailure),
    /// HTTP 401 with Digest challenges (unless [`Quirk::FaultInsteadOf401`]).
    Challenge(AuthFailure),
}

/// Every `Authorization` header of a request, in order.
pub(super) fn authorization(parts: &Parts) -> Vec<&[u8]> {
    parts
        .headers
        .get_all(AUTHORIZATION)
        .iter()
        .map(HeaderValue::as_bytes)
        .collect()
}

/// Check a request's credentials as the camera's [`AuthMode`] asks: how they passed, and the
/// accounts whose credentials were verified (none when the camera checks none).
pub(super) fn authenticate(
    shared: &Shared,
    parts: &Parts,
    header: Option<&Element>,
) -> Result<(&'static str, Vec<String>), Refusal> {
    let cfg = &shared.cfg;
    let now = Instant::now();
    let authorization = authorization(parts);
    let has_http = !authorization.is_empty();
    let target = parts.uri.to_string();
    let info = HttpRequestInfo {
        method: parts.method.as_str(),
        target: &target,
        authorization: authorization.clone(),
    };
    // Each scheme checks the account its credentials name; an unknown name is checked
    // against no account, and so refused as an unknown user.
    let http_account = account(shared, auth::claimed_http_user(&info));
    let ws_account = account(shared, auth::claimed_token_user(header));
    let http = || {
        let mut nonces = shared.digest_nonces();
        auth::check_http(
            &info,
            &http_account.0,
            &http_account.1,
            cfg.allow_basic,
            &mut nonces,
            now,
        )
    };
    let ws = || {
        let policy = TokenPolicy {
            user: &ws_account.0,
            password: &ws_account.1,
            accept_password_text: cfg.accept_password_text,
            camera_now: shared.camera_now(),
            strict: cfg.strict,
        };
        let mut cache = shared.nonce_cache();
        auth::check_username_token(header, &policy, &mut cache, now)
    };
    if cfg.auth != AuthMode::None && lock(&shared.lockout).locked_for(now).is_some() {
        return Err(match cfg.auth {
            AuthMode::WsUsernameToken => Refusal::Fault(AuthFailure::LockedOut),
            _ => Refusal::Challenge(AuthFailure::LockedOut),
        });
    }
    let (http_user, ws_user) = (http_account.0.clone(), ws_account.0.clone());
    match cfg.auth {
        AuthMode::None => Ok(("none", Vec::new())),
        AuthMode::WsUsernameToken => ws()
            .map(|()| ("wsse", vec![ws_user]))
            .map_err(Refusal::Fault),
        AuthMode::HttpDigest => http()
            .map(|how| (how, vec![http_user]))
            .map_err(Refusal::Challenge),
        AuthMode::Both => {
            let how = http().map_err(Refusal::Challenge)?;
            ws().map_err(Refusal::Fault)?;
            let how = if how == "basic" {
                "basic+wsse"
            } else {
                "digest+wsse"
            };
            Ok((how, vec![http_user, ws_user]))
        }
        AuthMode::Either => {
            let mut failure = None;
            if has_http {
                match http() {
                    Ok(how) => return Ok((how, vec![http_user])),
                    Err(f) => failure = Some(f),
                }
            }
            match ws() {
                Ok(()) => Ok(("wsse", vec![ws_user])),
                Err(f) => Err(Refusal::Challenge(match (failure, f) {
                    (Some(h), AuthFailure::Missing) => h,
                    (Some(AuthFailure::StaleDigestNonce), _) => AuthFailure::StaleDigestNonce,
                    (_, f) => f,
                })),
            }
        }
    }
}

/// For an operation only an Administrator may call: `None` when every account whose
/// credentials [`authenticate`] verified is one (or when the camera checks no credentials),
/// else the refusal, `ter:NotAuthorized` with the account's level named. Only verified
/// accounts count: a name merely claimed in a header the camera did not check does not.
pub(super) fn needs_administrator(
    shared: &Shared,
    verified: &[String],
    operation: &str,
) -> Option<Reply> {
    if shared.cfg.auth == AuthMode::None {
        return None;
    }
    let accounts = shared.accounts();
    let refused = |name: &str, level: String| {
        debug!(user = %name, %level, operation, "refused: needs an Administrator");
        Some(Reply::fault(&sender(
            &["NotAuthorized"],
            format!("{operation} needs an Administrator account; {name:?} is {level}"),
        )))
    };
    if verified.is_empty() {
        return refused("(nobody)", "not authenticated".into());
    }
    for name in verified {
        match accounts.level_of(name) {
            Some(onvif_proto::ops::device::UserLevel::Administrator) => {}
            Some(level) => return refused(name, format!("an {level}")),
            None => return refused(name, "no account".into()),
        }
    }
    None
}

/// The account a request names, with its password; for a name with no account, a name no
/// request can carry (XML and HTTP headers forbid NUL), so the check says unknown user.
pub(super) fn account(shared: &Shared, claimed: Option<String>) -> (String, String) {
    let accounts = shared.accounts();
    claimed
        .and_then(|name| {
            let password = accounts.password_of(&name)?.to_owned();
            Some((name, password))
        })
        .unwrap_or_else(|| ("\0".into(), String::new()))
}

/// Count a refused login, by reason, and toward [`crate::SimConfig::lockout`] (saying so
/// when it locks the account).
pub(super) fn count_failure(shared: &Shared, failure: AuthFailure) {
    shared.count(|s| {
        s.auth_failures += 1;
        *s.auth_failure_reasons.entry(failure).or_default() += 1;
    });
    let locked = lock(&shared.lockout).record(failure, Instant::now());
    if locked {
        if let Some((n, d)) = shared.cfg.lockout {
            tracing::info!(
                "account locked for {} s after {n} failed logins",
                d.as_secs()
            );
        }
        shared.count(|s| s.lockouts += 1);
    }
}

/// The `WWW-Authenticate` values of a 401 for HTTP Digest, with a fresh nonce (marked stale
/// after a stale one; Basic too when [`crate::SimConfig::allow_basic`]), counted.
pub(super) fn digest_challenges(shared: &Shared, failure: AuthFailure) -> Vec<String> {
    let challenges = {
        let mut nonces = shared.digest_nonces();
        let nonce = nonces.issue(Instant::now());
        auth::challenges(
            &nonce,
            &nonces.opaque,
            failure == AuthFailure::StaleDigestNonce,
            shared.cfg.allow_basic,
        )
    };
    shared.count(|s| s.digest_challenges += 1);
    challenges
}

pub(super) fn refuse(shared: &Shared, refusal: Refusal) -> Reply {
    let cfg = &shared.cfg;
    let (failure, challenge) = match refusal {
        Refusal::Fault(f) => (f, false),
        Refusal::Challenge(f) => (f, !cfg.has(Quirk::FaultInsteadOf401)),
    };
    debug!(reason = %failure, "authentication failed");
    count_failure(shared, failure);
    let fault = match failure {
        AuthFailure::NonceTooLong => {
            return Reply::fault(&sender(
                &["NotAuthorized"],
                format!(
                    "the UsernameToken Nonce is longer than {} bytes (a nonce is 16 to 20)",
                    auth::MAX_NONCE_BYTES
                ),
            ));
        }
        AuthFailure::DuplicateSecurity => {
            return Reply::fault(&sender(
                &["NotAuthorized"],
                "the SOAP Header holds more than one wsse:Security block for the same role",
            ));
        }
        AuthFailure::ReplayCacheFull => {
            return Reply::fault(&receiver(
                &[],
                format!(
                    "too many recent logins: the camera remembers {} nonces that could still be \
                     replayed and takes no more until some expire (within 10 minutes)",
                    auth::NONCE_CACHE_CAP
                ),
            ));
        }
        AuthFailure::LockedOut => {
            let left = lock(&shared.lockout)
                .locked_for(Instant::now())
                .unwrap_or_default();
            sender(
                &["NotAuthorized"],
                format!(
                    "Sender not Authorized: the account is locked after repeated failed logins \
                     ({} s left)",
                    left.as_secs().max(1)
                ),
            )
        }
        _ => sender(&["NotAuthorized"], "Sender not Authorized"),
    };
    if !challenge {
        return Reply::fault(&fault);
    }
    let mut reply = Reply::fault_with(StatusCode::UNAUTHORIZED, &fault);
    reply.challenges = digest_challenges(shared, failure);
    reply
}
