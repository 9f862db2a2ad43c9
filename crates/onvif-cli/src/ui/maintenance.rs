//! The camera page's Maintenance section: a reboot (asked to confirm in the browser), and the
//! configuration backup downloaded through us with the camera's credentials.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::actions::ok;
use super::app::{S, UiError};
use super::html::esc;
use crate::commands::device::rebooting;

/// The section: the backup's link and the reboot button.
pub(super) fn section(name: &str, u: &str) -> String {
    let n = esc(name);
    format!(
        "<section><h2>Maintenance</h2><p><a href=\"/camera/{u}/backup\" download>Download the \
         configuration backup</a> <small>(it may hold secrets: keep it safe)</small></p>\
         <form method=\"post\" action=\"/camera/{u}/reboot\" data-ajax \
         data-confirm=\"Reboot {n}? It is away for a while.\"><button>Reboot</button></form>\
         </section>"
    )
}

/// POST /camera/NAME/reboot.
pub async fn reboot(State(app): S, Path(name): Path<String>) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let cam = slot.camera(&app.g).await?;
    let r = cam.reboot().await?;
    tracing::info!(camera = %name, "ui: reboot");
    Ok(ok(rebooting(&r)))
}

/// GET /camera/NAME/backup: the camera's configuration backup, as an attachment named after
/// the camera.
pub async fn backup(State(app): S, Path(name): Path<String>) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let cam = slot.camera(&app.g).await?;
    let bytes = cam.download_backup().await?;
    // A camera's name is letters, digits, `_` and `-` (checked when it is added): safe here.
    let file = format!("attachment; filename=\"{}.backup\"", slot.name);
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, file),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
