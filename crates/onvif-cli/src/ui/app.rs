//! What the UI's handlers share: the cameras (each a [`Slot`]), the settings, the live event
//! hubs; and the error every handler answers with, and the form parser.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use onvif::Camera;

use super::hub::Hub;
use crate::args::Global;
use crate::connection::{self, Target};
use crate::failure::{Failure, exit};
use crate::sync::lock;

/// How long the cameras list waits for a camera to answer.
pub(super) const STATUS_WAIT: Duration = Duration::from_secs(4);

/// Everything the handlers share.
pub struct App {
    pub(super) cameras: Mutex<BTreeMap<String, Arc<Slot>>>,
    pub(super) g: Global,
    pub(super) discover_unicast: Vec<String>,
    /// The live event sessions, one per camera, alive while someone watches; each camera's
    /// behind a lock of its own, held while its session starts.
    pub(super) hubs: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Weak<Hub>>>>>,
    /// Turns true at Ctrl-C: open event feeds end, so that the server's graceful shutdown,
    /// which waits for every answer to finish, does not wait for the pages to close.
    pub(super) stopping: tokio::sync::watch::Receiver<bool>,
}

pub(super) type S = State<Arc<App>>;

/// A camera of the UI: how to reach it, and the connection once made.
pub struct Slot {
    pub name: String,
    pub(super) target: Target,
    /// Added in this session (not from the config file).
    pub added: bool,
    camera: tokio::sync::Mutex<Option<Camera>>,
    ptz: tokio::sync::Mutex<Option<onvif::ptz::PtzTarget>>,
    /// The snapshot URI, asked once: the live view fetches an image every second.
    pub snapshot_uri: std::sync::Mutex<Option<String>>,
    /// The last status asked of the camera, and when: shared by every page that shows it,
    /// and held while it is being asked (so that tabs polling at once ask once).
    pub(super) status: tokio::sync::Mutex<Option<(std::time::Instant, Status)>>,
}

impl Slot {
    pub(super) fn new(name: String, target: Target, added: bool) -> Slot {
        Slot {
            name,
            target,
            added,
            camera: tokio::sync::Mutex::new(None),
            ptz: tokio::sync::Mutex::new(None),
            snapshot_uri: std::sync::Mutex::new(None),
            status: tokio::sync::Mutex::new(None),
        }
    }

    /// The user name the camera is reached with, if any.
    pub fn user(&self) -> Option<&str> {
        self.target
            .creds
            .as_ref()
            .map(|c| c.user.as_str())
            .filter(|u| !u.is_empty())
    }

    /// The camera's address as shown (never with credentials).
    pub fn host(&self) -> String {
        onvif::media::redact_userinfo(&self.target.host)
    }

    /// The connected camera (connecting now when not yet).
    pub(super) async fn camera(&self, g: &Global) -> Result<Camera, UiError> {
        let mut c = self.camera.lock().await;
        if let Some(cam) = &*c {
            return Ok(cam.clone());
        }
        let cam = connection::connect(&self.target, g)
            .await
            .map_err(UiError::from)?;
        *c = Some(cam.clone());
        Ok(cam)
    }

    /// Forget the connection (after a network failure), so that the next use reconnects.
    pub(super) async fn forget(&self) {
        *self.camera.lock().await = None;
        *self.ptz.lock().await = None;
    }

    /// The PTZ target of the camera's first PTZ profile, remembered.
    pub(super) async fn ptz_target(&self, g: &Global) -> Result<onvif::ptz::PtzTarget, UiError> {
        let cam = self.camera(g).await?;
        let mut p = self.ptz.lock().await;
        if let Some(t) = &*p {
            return Ok(t.clone());
        }
        let t = cam.ptz_target(None).await?;
        *p = Some(t.clone());
        Ok(t)
    }
}

/// How a refusal of the camera's credentials begins.
const AUTH_REFUSED: &str = "the camera refused the credentials: ";
/// At most this many cameras (the config's and those added on the page).
pub(super) const MAX_CAMERAS: usize = 256;

/// A failed request: its status and a message for the user (plain text, never a secret).
#[derive(Debug)]
pub struct UiError {
    pub status: StatusCode,
    pub message: String,
}

impl UiError {
    pub fn bad(message: impl Into<String>) -> UiError {
        UiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// The camera refused our credentials.
    pub fn is_auth(&self) -> bool {
        self.message.starts_with(AUTH_REFUSED)
    }

    pub(super) fn not_found(what: &str) -> UiError {
        UiError {
            status: StatusCode::NOT_FOUND,
            message: format!("no {what} here"),
        }
    }
}

impl From<onvif::Error> for UiError {
    fn from(e: onvif::Error) -> UiError {
        Failure::from(e).into()
    }
}

impl From<Failure> for UiError {
    fn from(f: Failure) -> UiError {
        let status = match f.code {
            exit::USAGE => StatusCode::BAD_REQUEST,
            exit::NETWORK => StatusCode::GATEWAY_TIMEOUT,
            exit::AUTH | exit::DEVICE => StatusCode::BAD_GATEWAY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let prefix = match f.code {
            exit::AUTH => AUTH_REFUSED,
            exit::DEVICE => "the camera answered with an error: ",
            exit::NETWORK => "the camera cannot be reached: ",
            _ => "",
        };
        // Hidden here, once, so that every use of the message (a page, `status.json`, an
        // answer) shows it without credentials.
        let message = onvif::address::redact_userinfo_in_text(&f.message);
        UiError {
            status,
            message: format!("{prefix}{message}"),
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let text = onvif::address::redact_userinfo_in_text(&self.message).into_owned();
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response()
    }
}

impl App {
    /// The camera named `name`.
    pub(super) fn slot(&self, name: &str) -> Result<Arc<Slot>, UiError> {
        lock(&self.cameras)
            .get(name)
            .cloned()
            .ok_or_else(|| UiError::not_found("camera of that name"))
    }

    pub(super) fn slots(&self) -> Vec<Arc<Slot>> {
        lock(&self.cameras).values().cloned().collect()
    }
}

/// A urlencoded form body, parsed; each name at most once, at most [`MAX_FIELDS`] names.
pub struct Form(Vec<(String, String)>);

/// No form of the UI has more fields.
const MAX_FIELDS: usize = 16;

impl Form {
    pub fn parse(body: &[u8]) -> Result<Form, UiError> {
        let mut fields: Vec<(String, String)> = Vec::new();
        for (k, v) in url::form_urlencoded::parse(body) {
            if fields.len() == MAX_FIELDS {
                return Err(UiError::bad(format!(
                    "too many fields (at most {MAX_FIELDS})"
                )));
            }
            if fields.iter().any(|(n, _)| *n == k) {
                return Err(UiError::bad(format!("the field {k:?} is given twice")));
            }
            fields.push((k.into_owned(), v.into_owned()));
        }
        Ok(Form(fields))
    }

    /// [`Form::parse`], refusing a name `allowed` lacks as an unknown `what` setting.
    pub fn parse_of(body: &[u8], allowed: &[&str], what: &str) -> Result<Form, UiError> {
        let form = Form::parse(body)?;
        if let Some(n) = form.names().find(|n| !allowed.contains(n)) {
            return Err(UiError::bad(format!("unknown {what} setting {n:?}")));
        }
        Ok(form)
    }

    /// A field's value, `None` when absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The names given.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

/// What the cameras list shows of one camera.
#[derive(Debug, Clone)]
pub struct Status {
    pub online: bool,
    pub maker: String,
    pub model: String,
    pub problem: String,
    /// The camera refused the credentials.
    pub auth: bool,
}
