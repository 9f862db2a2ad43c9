//! `onvif ui`: a browser UI served by axum. The router, the shared state (the cameras, the
//! login) and the guard every request passes here; the HTML in `pages`, the camera actions
//! in `actions`, the live event feed in `events`, the CSS and JavaScript in `assets/`.
//!
//! Who may use it is `access`'s business (a login beyond loopback, requests from our own
//! pages only). No camera password is put in a page or an answer: the browser only ever
//! talks to us.

mod access;
mod actions;
pub mod bridge;
mod events;
mod pages;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use onvif::{Camera, Credentials};

use crate::args::Global;
use crate::args::ui::UiArgs;
use crate::config;
use crate::connection::{self, Target};
use crate::failure::{Failure, exit};
use access::Access;

/// How long the cameras list waits for a camera to answer.
const STATUS_WAIT: Duration = Duration::from_secs(4);

/// Everything the handlers share.
pub struct App {
    cameras: Mutex<BTreeMap<String, Arc<Slot>>>,
    g: Global,
    discover_unicast: Vec<String>,
    /// The live event sessions, one per camera, alive while someone watches; each camera's
    /// behind a lock of its own, held while its session starts.
    hubs: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Weak<events::Hub>>>>>,
}

type S = State<Arc<App>>;

/// A camera of the UI: how to reach it, and the connection once made.
pub struct Slot {
    pub name: String,
    target: Target,
    /// Added in this session (not from the config file).
    pub added: bool,
    camera: tokio::sync::Mutex<Option<Camera>>,
    ptz: tokio::sync::Mutex<Option<onvif::ptz::PtzTarget>>,
    /// The snapshot URI, asked once: the live view fetches an image every second.
    pub snapshot_uri: std::sync::Mutex<Option<String>>,
    /// The last status asked of the camera, and when: shared by every page that shows it,
    /// and held while it is being asked (so that tabs polling at once ask once).
    status: tokio::sync::Mutex<Option<(std::time::Instant, pages::Status)>>,
}

impl Slot {
    fn new(name: String, target: Target, added: bool) -> Slot {
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
    async fn camera(&self, g: &Global) -> Result<Camera, UiError> {
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
    async fn forget(&self) {
        *self.camera.lock().await = None;
        *self.ptz.lock().await = None;
    }

    /// The PTZ target of the camera's first PTZ profile, remembered.
    async fn ptz_target(&self, g: &Global) -> Result<onvif::ptz::PtzTarget, UiError> {
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
const MAX_CAMERAS: usize = 256;

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

    fn not_found(what: &str) -> UiError {
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
        UiError {
            status,
            message: format!("{prefix}{}", f.message),
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

/// Run `onvif ui` until Ctrl-C.
pub async fn run(args: &UiArgs, g: &Global) -> Result<(), Failure> {
    let cfg = config::load(g.config.as_deref()).map_err(Failure::usage)?;
    let mut cameras = BTreeMap::new();
    for (name, e) in &cfg.cameras {
        let creds = match (&e.user, &e.password) {
            (Some(u), Some(p)) => Some(Credentials::new(u, p)),
            _ => None,
        };
        let target = Target {
            host: e.host.clone(),
            creds,
            insecure: g.insecure || e.insecure,
            allow_basic: g.allow_basic || e.allow_basic,
            keep_camera_host: g.keep_camera_host || e.keep_camera_host,
            auth: g.auth.map_or(e.auth, Into::into),
            cert_sha256: e.cert_sha256.clone(),
            quirks: e
                .quirks()
                .map_err(|m| Failure::usage(format!("camera {name}: {m}")))?,
            entry: Some(name.clone()),
        };
        cameras.insert(
            name.clone(),
            Arc::new(Slot::new(name.clone(), target, false)),
        );
    }
    // A camera named on the command line (-H) joins the list too.
    if g.host.is_some() {
        let target = connection::resolve_target(g)?;
        let name = g.camera.clone().unwrap_or_else(|| "command-line".into());
        cameras.insert(name.clone(), Arc::new(Slot::new(name, target, true)));
    }
    for u in &args.discover_unicast {
        onvif::discovery::parse_target(u, onvif::discovery::PORT)?;
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("cannot listen on {}: {e}", args.bind),
        })?;
    let addr = listener.local_addr().map_err(|e| Failure {
        code: exit::NETWORK,
        message: format!("cannot listen on {}: {e}", args.bind),
    })?;
    let access = Arc::new(Access::new(addr, cfg.ui_password.clone()));
    access.announce(addr, cfg.ui_password.is_some());
    let app = Arc::new(App {
        cameras: Mutex::new(cameras),
        g: g.clone(),
        discover_unicast: args.discover_unicast.clone(),
        hubs: Mutex::new(HashMap::new()),
    });
    axum::serve(listener, router(app, access))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("serving the UI: {e}"),
        })
}

fn router(app: Arc<App>, access: Arc<Access>) -> Router {
    let pages = Router::new()
        .route("/", get(pages::index))
        .route("/status.json", get(pages::status_json))
        .route("/cameras", post(actions::add_camera))
        .route("/discover", post(pages::discover))
        .route("/camera/{name}", get(pages::camera))
        .route("/camera/{name}/doctor", post(pages::doctor))
        .route("/camera/{name}/snapshot.jpg", get(actions::snapshot))
        .route("/camera/{name}/clock", post(actions::sync_clock))
        .route("/camera/{name}/imaging", post(actions::imaging))
        .route("/camera/{name}/ptz/{action}", post(actions::ptz))
        .route("/camera/{name}/events", get(events::stream))
        .with_state(app);
    access::protect(pages, access)
}

impl App {
    /// The camera named `name`.
    fn slot(&self, name: &str) -> Result<Arc<Slot>, UiError> {
        lock(&self.cameras)
            .get(name)
            .cloned()
            .ok_or_else(|| UiError::not_found("camera of that name"))
    }

    fn slots(&self) -> Vec<Arc<Slot>> {
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

/// A mutex's guard, a poisoned one too (what it guards stays consistent: plain inserts).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
