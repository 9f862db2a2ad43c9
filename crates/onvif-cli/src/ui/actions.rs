//! What the UI changes or fetches for the browser: a camera added, the clock synced, the
//! imaging settings, PTZ moves and presets, the snapshot proxied. Every input is checked
//! here before anything is sent to a camera; a bad one is a 400 with a message, and nothing
//! changes.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use onvif::Credentials;
use onvif::proto::ops::imaging::ImagingSettings;
use onvif::proto::ops::profile::FloatRange;

use super::app::{App, Form, MAX_CAMERAS, S, Slot, UiError};
use crate::connection::Target;
use crate::sync::lock;

/// The ONVIF Timeout of a continuous move: the browser repeats the move while the button is
/// held, so a lost release stops the head by itself.
const MOVE_TIMEOUT: Duration = Duration::from_secs(3);

/// A plain-text 200 answer.
pub(super) fn ok(message: impl Into<String>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.into(),
    )
        .into_response()
}

/// A camera name: 1 to 40 letters, digits, `_` or `-`, and one a bridge can follow (a
/// camera saved to the config would otherwise stop the bridge reading it).
pub fn valid_name(s: &str) -> bool {
    s.len() <= 40 && onvif_bridge::valid_camera_name(s)
}

/// A camera address as `-H` takes it, without credentials in it.
fn valid_host(s: &str) -> Result<(), UiError> {
    if s.is_empty() || s.len() > 200 {
        return Err(UiError::bad("the address must have 1 to 200 characters"));
    }
    if s.contains('@') {
        return Err(UiError::bad(
            "put the user and password in their own fields, not in the address",
        ));
    }
    if !s.chars().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '[' | ']' | '/' | '-' | '_' | '%')
    }) {
        return Err(UiError::bad(
            "the address may hold letters, digits and . : [ ] / - _ % only",
        ));
    }
    // The address must be one the client can use (a port up to 65535, http or https).
    onvif::address::candidates(s).map_err(|e| UiError::bad(e.to_string()))?;
    Ok(())
}

/// POST /cameras: a camera added for this session (name, host, user, password), and to
/// the config file too with `save=on`.
pub async fn add_camera(State(app): S, body: Bytes) -> Result<Response, UiError> {
    let form = Form::parse(&body)?;
    for n in form.names() {
        if !matches!(n, "name" | "host" | "user" | "password" | "save") {
            return Err(UiError::bad(format!("unknown field {n:?}")));
        }
    }
    let host = form.get("host").unwrap_or_default().trim().to_owned();
    valid_host(&host)?;
    let name = match form.get("name").map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => n.to_owned(),
        None => host
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect(),
    };
    if !valid_name(&name) {
        return Err(UiError::bad(
            "the name must have 1 to 40 letters, digits, '_' or '-' (and not be \"bridge\")",
        ));
    }
    let user = form.get("user").unwrap_or_default();
    let password = form.get("password").unwrap_or_default();
    if user.len() > 200 || password.len() > 200 {
        return Err(UiError::bad(
            "user and password have at most 200 characters",
        ));
    }
    let save = match form.get("save") {
        None => false,
        Some("on") => true,
        Some(_) => return Err(UiError::bad("save is \"on\" or absent")),
    };
    let creds = match (user.is_empty(), password.is_empty()) {
        (true, true) => None,
        (true, false) => return Err(UiError::bad("a password was given without a user name")),
        _ => Some(Credentials::new(user, password)),
    };
    let target = Target {
        host,
        creds,
        insecure: app.g.insecure,
        allow_basic: app.g.allow_basic,
        keep_camera_host: app.g.keep_camera_host,
        auth: app
            .g
            .auth
            .map_or_else(onvif::AuthScheme::default, Into::into),
        cert_sha256: None,
        quirks: onvif::CameraQuirks::default(),
        entry: None,
    };
    {
        let cams = lock(&app.cameras);
        if cams.contains_key(&name) {
            return Err(UiError::bad(format!(
                "there is a camera named {name} already"
            )));
        }
        if cams.len() >= MAX_CAMERAS {
            return Err(UiError::bad(format!(
                "there are {} cameras already, the most this page keeps",
                cams.len()
            )));
        }
    }
    // Written to the config file only when asked, and before the session gets it: a
    // failure changes nothing.
    if save {
        let creds = (!user.is_empty()).then_some((user, password));
        let path = crate::config::add_camera(app.g.config.as_deref(), &name, &target.host, creds)
            .map_err(|m| UiError {
            status: StatusCode::CONFLICT,
            message: format!("not saved: {m}"),
        })?;
        tracing::info!(camera = %name, config = %path.display(), "ui: camera saved to the config");
    }
    {
        let mut cams = lock(&app.cameras);
        if cams.contains_key(&name) {
            return Err(UiError::bad(format!(
                "there is a camera named {name} already"
            )));
        }
        cams.insert(
            name.clone(),
            Arc::new(Slot::new(name.clone(), target, !save)),
        );
    }
    tracing::info!(camera = %name, saved = save, "ui: camera added");
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response())
}

/// GET /camera/NAME/snapshot.jpg: the camera's snapshot, fetched by us with its
/// credentials; only images pass.
pub async fn snapshot(State(app): S, Path(name): Path<String>) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let cam = slot.camera(&app.g).await?;
    // The URI is asked once; a fetch that fails asks again (the camera may have changed it).
    let cached = slot
        .snapshot_uri
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let fetched = match &cached {
        Some(uri) => cam.fetch_snapshot(uri).await.ok(),
        None => None,
    };
    let snap = match fetched {
        Some(s) => s,
        None => {
            let profile = cam.profile(None).await?;
            let uri = cam.snapshot_uri(&profile).await?.uri;
            let snap = cam.fetch_snapshot(&uri).await?;
            *slot
                .snapshot_uri
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(uri);
            snap
        }
    };
    let ct = snap.content_type.to_ascii_lowercase();
    if !matches!(
        ct.as_str(),
        "image/jpeg" | "image/png" | "image/gif" | "image/webp"
    ) {
        return Err(UiError {
            status: StatusCode::BAD_GATEWAY,
            message: format!("the camera's snapshot is not an image ({ct})"),
        });
    }
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        snap.bytes,
    )
        .into_response())
}

/// POST /camera/NAME/clock: set the camera's clock to ours.
pub async fn sync_clock(State(app): S, Path(name): Path<String>) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let cam = slot.camera(&app.g).await?;
    let (reading, changed) = cam.sync_clock().await?;
    let off = reading.offset.map_or("unknown".to_owned(), |o| {
        format!("{:.1} s", o.as_secs_f64())
    });
    Ok(ok(if changed {
        format!("clock set; the camera is now {off} from this computer")
    } else {
        format!("the clock was right ({off} off); nothing changed")
    }))
}

/// The imaging settings the sliders set, and the CLI's names for them.
const IMAGING: [&str; 4] = ["brightness", "contrast", "saturation", "sharpness"];

/// POST /camera/NAME/imaging: any of brightness, contrast, saturation, sharpness, each
/// within the camera's range.
pub async fn imaging(
    State(app): S,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let form = Form::parse_of(&body, &IMAGING, "imaging")?;
    let cam = slot.camera(&app.g).await?;
    let source = cam.imaging_source(None).await?;
    let o = cam.imaging_options(&source).await?;
    let check = |field: &str, range: Option<&FloatRange>| -> Result<Option<f64>, UiError> {
        let Some(text) = form.get(field) else {
            return Ok(None);
        };
        let v: f64 = text
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| UiError::bad(format!("{field} must be a number")))?;
        let r = range.ok_or_else(|| {
            UiError::bad(format!("the camera gives no range for {field}: not set"))
        })?;
        if !(r.min..=r.max).contains(&v) {
            return Err(UiError::bad(format!(
                "{field} {v} is outside the camera's range {}..{}",
                r.min, r.max
            )));
        }
        Ok(Some(v))
    };
    let settings = ImagingSettings {
        brightness: check("brightness", o.brightness.as_ref())?,
        contrast: check("contrast", o.contrast.as_ref())?,
        color_saturation: check("saturation", o.color_saturation.as_ref())?,
        sharpness: check("sharpness", o.sharpness.as_ref())?,
        ..ImagingSettings::default()
    };
    if settings == ImagingSettings::default() {
        return Err(UiError::bad(
            "nothing to set: give brightness, contrast, saturation or sharpness",
        ));
    }
    cam.set_imaging_settings(&source, settings).await?;
    Ok(ok("imaging settings changed"))
}

/// A velocity in -1..1 from a form field (0 when absent).
fn velocity(form: &Form, field: &str) -> Result<f64, UiError> {
    match form.get(field) {
        None | Some("") => Ok(0.0),
        Some(t) => t
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && (-1.0..=1.0).contains(v))
            .ok_or_else(|| UiError::bad(format!("{field} must be a number from -1 to 1"))),
    }
}

/// A preset token or name: 1 to 64 characters, no control characters.
fn preset_text<'a>(form: &'a Form, field: &str) -> Result<&'a str, UiError> {
    let v = form.get(field).unwrap_or_default().trim();
    if v.is_empty() || v.chars().count() > 64 || v.chars().any(char::is_control) {
        return Err(UiError::bad(format!(
            "{field} must have 1 to 64 characters, none of them control characters"
        )));
    }
    Ok(v)
}

/// POST /camera/NAME/ptz/ACTION: move (pan, tilt, zoom velocities), stop, home, goto
/// (preset token), set (preset name), remove (preset token).
pub async fn ptz(
    State(app): S,
    Path((name, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, UiError> {
    let slot = app.slot(&name)?;
    let form = Form::parse(&body)?;
    let allowed: &[&str] = match action.as_str() {
        "move" => &["pan", "tilt", "zoom"],
        "stop" | "home" => &[],
        "goto" | "remove" => &["token"],
        "set" => &["name"],
        _ => return Err(UiError::not_found_action()),
    };
    if let Some(n) = form.names().find(|n| !allowed.contains(n)) {
        return Err(UiError::bad(format!("unknown field {n:?} for {action}")));
    }
    // Check everything before talking to the camera.
    let mv = if action == "move" {
        let (p, t, z) = (
            velocity(&form, "pan")?,
            velocity(&form, "tilt")?,
            velocity(&form, "zoom")?,
        );
        if p == 0.0 && t == 0.0 && z == 0.0 {
            return Err(UiError::bad(
                "a move needs a pan, tilt or zoom other than 0",
            ));
        }
        Some((p, t, z))
    } else {
        None
    };
    let text = match action.as_str() {
        "goto" | "remove" => Some(preset_text(&form, "token")?),
        "set" => Some(preset_text(&form, "name")?),
        _ => None,
    };
    let cam = slot.camera(&app.g).await?;
    let t = slot.ptz_target(&app.g).await?;
    let done = match (action.as_str(), mv, text) {
        ("move", Some((p, ti, z)), _) => {
            let pt = (p != 0.0 || ti != 0.0).then_some(());
            cam.ptz_continuous(
                &t,
                pt.map(|_| p),
                pt.map(|_| ti),
                (z != 0.0).then_some(z),
                Some(MOVE_TIMEOUT),
            )
            .await?;
            "moving".to_owned()
        }
        ("stop", ..) => {
            cam.ptz_stop(&t).await?;
            "stopped".to_owned()
        }
        ("home", ..) => {
            cam.ptz_goto_home(&t, None).await?;
            "going home".to_owned()
        }
        ("goto", _, Some(token)) => {
            cam.ptz_goto_preset(&t, token, None).await?;
            "going to the preset".to_owned()
        }
        ("set", _, Some(n)) => {
            let token = cam.ptz_set_preset(&t, n).await?;
            format!("preset saved (token {token})")
        }
        ("remove", _, Some(token)) => {
            cam.ptz_remove_preset(&t, token).await?;
            "preset removed".to_owned()
        }
        _ => return Err(UiError::not_found_action()),
    };
    Ok(ok(done))
}

impl UiError {
    fn not_found_action() -> UiError {
        UiError {
            status: StatusCode::NOT_FOUND,
            message: "no such PTZ action (move, stop, home, goto, set, remove)".into(),
        }
    }
}

impl App {
    /// Forget a camera's connection when it failed for the network, so that it reconnects.
    pub async fn after(&self, slot: &Slot, e: &UiError) {
        if e.status == StatusCode::GATEWAY_TIMEOUT {
            slot.forget().await;
        }
    }
}
