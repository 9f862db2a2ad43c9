//! `onvif ui`: a browser UI served by axum. The router, the shared state (the cameras, the
//! login) and the guard every request passes here; the HTML in `pages`, the camera actions
//! in `actions`, the live event feed in `events`, the CSS and JavaScript in `assets/`.
//!
//! Security: bound to 127.0.0.1 or ::1 no login is asked, but the Host header must name
//! the loopback (against DNS rebinding); bound elsewhere every request but the login page
//! and the assets needs the session cookie that a login (the token printed at start, or
//! the config's `ui_password`) sets. Every POST must carry an Origin equal to its Host. No
//! camera password is put in a page or an answer: the browser only ever talks to us.

mod actions;
mod events;
mod pages;

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use onvif::{Camera, Credentials};

use crate::args::Global;
use crate::args::ui::UiArgs;
use crate::config;
use crate::connection::{self, Target};
use crate::failure::{Failure, exit};

/// The session cookie's name.
const COOKIE: &str = "onvif_ui";
/// How long the cameras list waits for a camera to answer.
const STATUS_WAIT: Duration = Duration::from_secs(4);

/// Everything the handlers share.
pub struct App {
    cameras: Mutex<BTreeMap<String, Arc<Slot>>>,
    g: Global,
    login: Option<Login>,
    /// The Host header values accepted when no login is asked (the loopback names).
    hosts: Vec<String>,
    discover_unicast: Vec<String>,
    /// The live event sessions, one per camera, alive while someone watches; each camera's
    /// behind a lock of its own, held while its session starts.
    hubs: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Weak<events::Hub>>>>>,
}

type S = State<Arc<App>>;

/// The login: its secret and the sessions it opened (each with when it was opened).
struct Login {
    secret: String,
    sessions: Mutex<HashMap<String, std::time::Instant>>,
    /// When the recent failed logins were (for the throttle).
    failures: Mutex<Vec<std::time::Instant>>,
}

/// At most this many failed logins in [`FAILURE_WINDOW`]; then every login is refused (429)
/// until the oldest is out of the window.
const MAX_FAILURES: usize = 10;
const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// A session ends this long after its login (the cookie's Max-Age says the same).
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// At most this many sessions at once; a new login past it ends the oldest.
const MAX_SESSIONS: usize = 64;

impl Login {
    /// Is `session` one of ours, and still within its lifetime?
    fn valid(&self, session: &str) -> bool {
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, opened| opened.elapsed() < SESSION_LIFETIME);
        sessions.contains_key(session)
    }

    /// Open a session: its id (empty when there is no randomness).
    fn open(&self) -> String {
        let id = random_hex();
        if id.is_empty() {
            return id;
        }
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, opened| opened.elapsed() < SESSION_LIFETIME);
        while sessions.len() >= MAX_SESSIONS {
            let oldest = sessions
                .iter()
                .min_by_key(|(_, opened)| **opened)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => sessions.remove(&k),
                None => break,
            };
        }
        sessions.insert(id.clone(), std::time::Instant::now());
        id
    }
}

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
            exit::AUTH => "the camera refused the credentials: ",
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
    let loopback_only = is_loopback_only(addr);
    pages::LOGIN.store(!loopback_only, std::sync::atomic::Ordering::Relaxed);
    let login = (!loopback_only).then(|| Login {
        secret: cfg.ui_password.clone().unwrap_or_else(random_hex),
        sessions: Mutex::new(HashMap::new()),
        failures: Mutex::new(Vec::new()),
    });
    let port = addr.port();
    let hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    // The URL first, then how to log in: what scripts and tests read.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "http://{addr}/");
    match (&login, &cfg.ui_password) {
        (None, _) => {}
        (Some(_), Some(_)) => {
            let _ = writeln!(out, "Login with the config's ui_password");
        }
        (Some(l), None) => {
            let _ = writeln!(out, "Login token: {}", l.secret);
        }
    }
    let _ = out.flush();
    drop(out);
    let app = Arc::new(App {
        cameras: Mutex::new(cameras),
        g: g.clone(),
        login,
        hosts,
        discover_unicast: args.discover_unicast.clone(),
        hubs: Mutex::new(HashMap::new()),
    });
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("serving the UI: {e}"),
        })
}

/// 127.0.0.1 and ::1 are served without a login; every other address asks for one.
fn is_loopback_only(addr: SocketAddr) -> bool {
    match addr.ip() {
        std::net::IpAddr::V4(v4) => v4 == std::net::Ipv4Addr::LOCALHOST,
        std::net::IpAddr::V6(v6) => v6 == std::net::Ipv6Addr::LOCALHOST,
    }
}

/// 128 random bits, in hex.
fn random_hex() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // No randomness: refuse every login rather than accept a guessable one.
        return String::new();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route("/status.json", get(pages::status_json))
        .route("/cameras", post(actions::add_camera))
        .route("/discover", post(pages::discover))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/assets/app.css", get(css))
        .route("/assets/app.js", get(js))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/camera/{name}", get(pages::camera))
        .route("/camera/{name}/doctor", post(pages::doctor))
        .route("/camera/{name}/snapshot.jpg", get(actions::snapshot))
        .route("/camera/{name}/clock", post(actions::sync_clock))
        .route("/camera/{name}/imaging", post(actions::imaging))
        .route("/camera/{name}/ptz/{action}", post(actions::ptz))
        .route("/camera/{name}/events", get(events::stream))
        .fallback(|| async { UiError::not_found("page") })
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// What every request passes: the Host (loopback mode), the Origin of a POST, the login;
/// and the headers every answer gets, refusals too.
async fn guard(State(app): S, req: Request, next: Next) -> Response {
    let mut resp = match refusal(&app, &req) {
        Some(r) => r,
        None => next.run(req).await,
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        // Not `no-referrer`: under it a browser sends `Origin: null` with a form's POST,
        // which the Origin check would refuse.
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// The answer to a request that may not go on, or `None` when it may.
fn refusal(app: &App, req: &Request) -> Option<Response> {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if app.login.is_none() && !app.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Some(forbidden(
            "this address serves 127.0.0.1 only (unexpected Host header)",
        ));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD && !same_origin(headers, host) {
        return Some(forbidden(
            "cross-site request refused (Origin does not match)",
        ));
    }
    let path = req.uri().path();
    let open = path == "/login" || path == "/favicon.ico" || path.starts_with("/assets/");
    let l = app.login.as_ref()?;
    if open || session_of(headers).is_some_and(|s| l.valid(&s)) {
        return None;
    }
    Some((StatusCode::UNAUTHORIZED, pages::login(None)).into_response())
}

/// Does a state-changing request come from our own pages? Its Origin names our Host (https
/// too: behind a TLS proxy that keeps the Host); or, when a browser withholds the Origin
/// (`null`, or none), it says `Sec-Fetch-Site: same-origin`, which no page can forge.
fn same_origin(headers: &HeaderMap, host: &str) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    match origin {
        Some(o) if o != "null" => o
            .strip_prefix("http://")
            .or_else(|| o.strip_prefix("https://"))
            .is_some_and(|rest| !host.is_empty() && rest == host),
        _ => headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin"),
    }
}

fn forbidden(message: &str) -> Response {
    UiError {
        status: StatusCode::FORBIDDEN,
        message: message.into(),
    }
    .into_response()
}

/// The session cookie's value, when the request has one.
fn session_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .map(str::to_owned)
}

async fn login_page() -> Html<String> {
    pages::login(None)
}

/// POST /login: the token (or the config's password) opens a session.
async fn login(State(app): S, body: Bytes) -> Response {
    let Some(l) = &app.login else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
    };
    let form = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    {
        let mut f = lock(&l.failures);
        f.retain(|t| t.elapsed() < FAILURE_WINDOW);
        if f.len() >= MAX_FAILURES {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                pages::login(Some("Too many failed logins: wait a minute.")),
            )
                .into_response();
        }
    }
    let given = form.get("token").unwrap_or_default();
    if l.secret.is_empty() || !same(given.as_bytes(), l.secret.as_bytes()) {
        lock(&l.failures).push(std::time::Instant::now());
        tracing::warn!("ui: a login was refused");
        return (
            StatusCode::UNAUTHORIZED,
            pages::login(Some("That is not the token.")),
        )
            .into_response();
    }
    let session = l.open();
    if session.is_empty() {
        return UiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "no randomness for a session".into(),
        }
        .into_response();
    }
    let cookie = format!(
        "{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        SESSION_LIFETIME.as_secs()
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/".to_owned()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

/// POST /logout: the session ends, and the browser forgets its cookie.
async fn logout(State(app): S, headers: HeaderMap) -> Response {
    if let (Some(l), Some(s)) = (&app.login, session_of(&headers)) {
        lock(&l.sessions).remove(&s);
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/login".to_owned()),
            (
                header::SET_COOKIE,
                format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
            ),
        ],
    )
        .into_response()
}

/// Compare without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("assets/app.css"),
    )
}

async fn js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("assets/app.js"),
    )
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

/// A urlencoded form body, parsed; each name at most once.
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Result<Form, UiError> {
        let mut fields: Vec<(String, String)> = Vec::new();
        for (k, v) in url::form_urlencoded::parse(body) {
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
