//! `POST /onvif/upload/<id>`: a firmware image or a configuration backup, at an address
//! StartFirmwareUpgrade or StartSystemRestore answered; `GET /onvif/backup`: the backup
//! (`crate::backup`). Both behind HTTP Digest (Basic too where allowed) for an Administrator
//! account, checked before the method (so a GET learns the challenge). A taken image
//! is installed at the restart that follows (at once when reboots take no time); one the
//! camera cannot use is refused with `415 Unsupported Media Type`, as Core asks.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use onvif_proto::ops::device::UserLevel;
use tokio::time::Instant;
use tracing::{debug, info};

use super::checks::{BodyError, read_body};
use super::login::{authorization, count_failure, digest_challenges};
use super::reply::Reply;
use super::snapshot::unauthorized;
use crate::auth::{self, HttpRequestInfo};
use crate::backup::Backup;
use crate::state::Shared;
use crate::sync::lock;
use crate::upload::{Kind, MAX_UPLOAD_BYTES, firmware_version};

/// How long an upload's body may take to arrive.
const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (cycles, parts, body) = match admitted(&shared, req).await {
        Ok(admitted) => admitted,
        Err(answer) => return *answer,
    };
    // Authentication comes first, whatever the method, as on a camera's web server.
    if parts.method != axum::http::Method::POST {
        return text(StatusCode::METHOD_NOT_ALLOWED, "an upload is a POST\n");
    }
    if shared.cfg.strict && !is_octet_stream(&parts) {
        return text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "strict: an upload's Content-Type must be application/octet-stream (Core, \
             StartFirmwareUpgrade)\n",
        );
    }
    let Some(kind) = lock(&shared.uploads).take(&id, Instant::now()) else {
        return text(
            StatusCode::NOT_FOUND,
            "no such upload: ask StartFirmwareUpgrade or StartSystemRestore for an address \
             (each takes one upload, within 10 minutes)\n",
        );
    };
    let image = match read_body(&parts.headers, body, MAX_UPLOAD_BYTES, UPLOAD_TIMEOUT).await {
        Ok(image) => image,
        Err(e) => return body_refused(e),
    };
    if kind == Kind::Restore {
        return match Backup::read(&image) {
            Ok(backup) => {
                backup.restore(&mut shared.camera());
                text(StatusCode::OK, "configuration restored\n")
            }
            Err(why) => text(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("{why}\n")),
        };
    }
    let version = match firmware_version(&image) {
        Ok(v) => v,
        Err(why) => {
            debug!(bytes = image.len(), why, "firmware image refused");
            return text(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("{why}\n"));
        }
    };
    if shared.events.held_while_down(cycles).await {
        return Reply::cut().into_response();
    }
    install(&shared, version, image.len());
    text(StatusCode::OK, "firmware image received; installing\n")
}

/// A request to an upload or the backup address past the checks they share: counted, not
/// cut by a camera that is down, and from an Administrator. The camera's power cycle it came
/// in, its head and its body; else what to answer.
async fn admitted(
    shared: &Shared,
    req: Request,
) -> Result<(u64, Parts, axum::body::Body), Box<Response>> {
    shared.count(|s| s.requests += 1);
    let cycles = shared.events.power_cycles();
    if shared.events.held_while_down(cycles).await {
        return Err(Box::new(Reply::cut().into_response()));
    }
    let (parts, body) = req.into_parts();
    match refusal(shared, &parts) {
        Some(refusal) => Err(Box::new(refusal)),
        None => Ok((cycles, parts, body)),
    }
}

/// Install `version` at the next restart, and restart (at once when reboots take no time).
fn install(shared: &Shared, version: String, bytes: usize) {
    let mut cam = shared.camera();
    let from = cam.device_info.firmware_version.clone();
    cam.logs
        .system(format!("firmware image {version} received ({bytes} bytes)"));
    cam.reboots += 1;
    if shared.cfg.reboot_downtime.is_zero() {
        info!(from, to = version, "firmware installed (no downtime)");
        cam.device_info.firmware_version = version;
    } else {
        info!(
            from,
            to = version,
            "firmware image received; restarting to install it"
        );
        cam.pending_firmware = Some(version);
        drop(cam);
        shared.events.reboot.notify_one();
    }
}

/// HTTP Digest (Basic where allowed) for an Administrator: the 401 or 403 to answer
/// otherwise, `None` when admitted.
fn refusal(shared: &Shared, parts: &Parts) -> Option<Response> {
    let target = parts.uri.to_string();
    let info = HttpRequestInfo {
        method: parts.method.as_str(),
        target: &target,
        authorization: authorization(parts),
    };
    let claimed = auth::claimed_http_user(&info);
    let (user, password) = super::login::account(shared, claimed);
    let locked = lock(&shared.lockout).locked_for(Instant::now()).is_some();
    let checked = if locked {
        Err(auth::AuthFailure::LockedOut)
    } else {
        let mut nonces = shared.digest_nonces();
        auth::check_http(
            &info,
            &user,
            &password,
            shared.cfg.allow_basic,
            &mut nonces,
            Instant::now(),
        )
    };
    if let Err(failure) = checked {
        debug!(reason = %failure, "upload authentication failed");
        count_failure(shared, failure);
        return Some(unauthorized(digest_challenges(shared, failure)));
    }
    (shared.accounts().level_of(&user) != Some(UserLevel::Administrator))
        .then(|| text(StatusCode::FORBIDDEN, "only an Administrator may do this\n"))
}

fn is_octet_stream(parts: &Parts) -> bool {
    parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/octet-stream"))
}

/// The answer to a body not read whole: more than [`MAX_UPLOAD_BYTES`], slower than
/// [`UPLOAD_TIMEOUT`], or broken off.
fn body_refused(e: BodyError) -> Response {
    match e {
        BodyError::TooLarge => text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("an upload may be at most {MAX_UPLOAD_BYTES} bytes\n"),
        ),
        BodyError::TimedOut => text(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the upload took longer than {} s\n",
                UPLOAD_TIMEOUT.as_secs()
            ),
        ),
        BodyError::Broken => text(StatusCode::BAD_REQUEST, "the upload broke off\n"),
    }
}

/// `GET /onvif/backup`: the camera's configuration, for an Administrator.
pub(crate) async fn backup(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let parts = match admitted(&shared, req).await {
        Ok((_, parts, _)) => parts,
        Err(answer) => return *answer,
    };
    if parts.method != axum::http::Method::GET {
        return text(
            StatusCode::METHOD_NOT_ALLOWED,
            "the backup is read with GET\n",
        );
    }
    let file = Backup::of(&shared.camera()).write();
    (
        StatusCode::OK,
        [(CONTENT_TYPE, "application/octet-stream")],
        file,
    )
        .into_response()
}
