//! Who may use a UI served by this binary (`onvif ui`, `onvif bridge --ui`), and what
//! every answer carries.
//!
//! Bound to 127.0.0.1 or ::1 no login is asked, but the Host header must name the loopback
//! (against DNS rebinding); bound elsewhere every request but the login page and the assets
//! needs the session cookie that a login (the token printed at start, or the config's
//! `ui_password`) sets. Every POST must come from our own pages (Origin, or the browser's
//! Sec-Fetch-Site). Sessions end 12 hours after their login, or at logout.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::app::{Form, UiError};
use super::pages;
use super::serve::{Limits, peer_group};
use crate::sync::lock;

/// The session cookie's name.
const COOKIE: &str = "onvif_ui";

/// The login (none on loopback) and the Host names accepted without one.
pub struct Access {
    login: Option<Login>,
    /// The Host header values accepted when no login is asked (the loopback names).
    hosts: Vec<String>,
}

type A = State<Arc<Access>>;

impl Access {
    /// For a server bound to `addr`: a login unless that is 127.0.0.1 or ::1, with
    /// `password` as its secret, else a random token.
    pub fn new(addr: SocketAddr, password: Option<String>) -> Access {
        let loopback_only = is_loopback_only(addr);
        pages::LOGIN.store(!loopback_only, std::sync::atomic::Ordering::Relaxed);
        let login = (!loopback_only).then(|| Login {
            secret: password.unwrap_or_else(random_hex),
            sessions: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
        });
        let port = addr.port();
        let mut hosts = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        if port == 80 {
            // A browser leaves the default port out of the Host header.
            hosts.extend(["127.0.0.1", "localhost", "[::1]"].map(String::from));
        }
        Access { login, hosts }
    }

    /// Print the URL, then how to log in (what scripts and tests read), on standard output.
    pub fn announce(&self, addr: SocketAddr, from_config: bool) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "http://{addr}/");
        match (&self.login, from_config) {
            (None, _) => {}
            (Some(_), true) => {
                let _ = writeln!(out, "Login with the config's ui_password");
            }
            (Some(l), false) => {
                let _ = writeln!(out, "Login token: {}", l.secret);
            }
        }
        let _ = out.flush();
        if self.login.is_some() {
            eprintln!(
                "warning: plain HTTP beyond loopback: the login, its session cookie and any \
                 camera password typed into the page cross the network unencrypted; put a \
                 TLS reverse proxy in front of it (its https:// origin is accepted; failed \
                 logins through it then count as one address's)"
            );
        }
    }
}

/// `pages` behind the guard, with the login, logout and asset routes.
pub fn protect(pages: Router, access: Arc<Access>) -> Router {
    let own = Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/assets/app.css", get(css))
        .route("/assets/app.js", get(js))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .with_state(Arc::clone(&access));
    pages
        .merge(own)
        .fallback(|| async { UiError::not_found("page") })
        .layer(middleware::from_fn_with_state(access, guard))
        // No form of ours comes near this; a larger body is refused unread (413).
        .layer(axum::extract::DefaultBodyLimit::max(Limits::UI.max_body))
}

/// The login: its secret and the sessions it opened (each with when it was opened).
struct Login {
    secret: String,
    /// Wall-clock time, which goes on while the machine sleeps (a monotonic clock may not).
    sessions: Mutex<HashMap<String, SystemTime>>,
    /// When the recent failed logins were, by the address they came from (for the throttle).
    failures: Mutex<HashMap<std::net::IpAddr, Vec<std::time::Instant>>>,
}

/// At most this many failed logins from one address in [`FAILURE_WINDOW`]; then its logins
/// are refused (429) until the oldest is out of the window. Another address (the real user's)
/// can still log in, unless [`MAX_FAILURES_ALL`] failed from all of them.
const MAX_FAILURES: usize = 10;

/// At most this many failed logins from all addresses together in [`FAILURE_WINDOW`] (a
/// password from the config may be a weak one, worth guessing from many addresses).
const MAX_FAILURES_ALL: usize = 100;
const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// A session ends this long after its login (the cookie's Max-Age says the same).
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// At most this many sessions at once; a new login past it ends the oldest.
const MAX_SESSIONS: usize = 64;

impl Login {
    /// Is `session` one of ours, and still within its lifetime?
    fn valid(&self, session: &str) -> bool {
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, opened| live(*opened));
        sessions.contains_key(session)
    }

    /// Open a session: its id (empty when there is no randomness).
    fn open(&self) -> String {
        let id = random_hex();
        if id.is_empty() {
            return id;
        }
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, opened| live(*opened));
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
        sessions.insert(id.clone(), SystemTime::now());
        id
    }
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

/// What every request passes: the Host (loopback mode), the Origin of a POST, the login;
/// and the headers every answer gets, refusals too.
async fn guard(State(app): A, req: Request, next: Next) -> Response {
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
fn refusal(app: &Access, req: &Request) -> Option<Response> {
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
    let reads = req.method() == Method::GET || req.method() == Method::HEAD;
    if reads {
        match from_another_site(headers) {
            Foreign::No => {}
            Foreign::Loaded => {
                return Some(forbidden(
                    "cross-site request refused (another site's page asked for this)",
                ));
            }
            Foreign::Framed => {
                return Some(forbidden(
                    "cross-site request refused (another site's page framed this one)",
                ));
            }
            // The index talks to no camera it was not already talking to; the other pages
            // connect, so a link from elsewhere lands on the index instead.
            Foreign::Followed if req.uri().path() != "/" => {
                return Some(Redirect::to("/").into_response());
            }
            Foreign::Followed => {}
        }
    }
    if !reads && !same_origin(headers, host) {
        return Some(forbidden(
            "cross-site request refused (it does not come from this server's own pages)",
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

/// How another site's page made the browser send a GET, if it did. `same-site` counts as
/// another site: to a browser a page on another port of this host is the same site, but it
/// is not ours. Clients that are not browsers send no `Sec-Fetch-Site`.
#[derive(Debug, PartialEq, Eq)]
enum Foreign {
    /// Not another site's doing.
    No,
    /// An image, a script, a fetch, an event stream: some of ours talk to the cameras, so
    /// none is answered.
    Loaded,
    /// A navigation inside a frame of another site's page (hidden iframes could make us
    /// log in to cameras again and again, and lock their accounts).
    Framed,
    /// A link followed from elsewhere, in a window or tab of its own.
    Followed,
}

fn from_another_site(headers: &HeaderMap) -> Foreign {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if !matches!(value("sec-fetch-site"), Some("cross-site" | "same-site")) {
        return Foreign::No;
    }
    if value("sec-fetch-mode") != Some("navigate") {
        return Foreign::Loaded;
    }
    if value("sec-fetch-dest") != Some("document") {
        return Foreign::Framed;
    }
    Foreign::Followed
}

/// Is a session opened at `opened` still within its lifetime? (Not when the clock went
/// back past it.)
fn live(opened: SystemTime) -> bool {
    opened.elapsed().is_ok_and(|age| age < SESSION_LIFETIME)
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
async fn login(State(app): A, ConnectInfo(peer): ConnectInfo<SocketAddr>, body: Bytes) -> Response {
    let Some(l) = &app.login else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
    };
    let form = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    // Counted as a failure before it is checked, under one lock: logins sent at once
    // cannot all slip under the limit. A good one takes its count back.
    let attempt = std::time::Instant::now();
    let from = peer_group(peer.ip());
    {
        let mut f = lock(&l.failures);
        f.retain(|_, times| {
            times.retain(|t| t.elapsed() < FAILURE_WINDOW);
            !times.is_empty()
        });
        let all: usize = f.values().map(Vec::len).sum();
        let mine = f.entry(from).or_default();
        if mine.len() >= MAX_FAILURES || all >= MAX_FAILURES_ALL {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                pages::login(Some("Too many failed logins: wait a minute.")),
            )
                .into_response();
        }
        mine.push(attempt);
    }
    let given = form.get("token").unwrap_or_default();
    if l.secret.is_empty() || !same(given.as_bytes(), l.secret.as_bytes()) {
        tracing::warn!("ui: a login was refused");
        return (
            StatusCode::UNAUTHORIZED,
            pages::login(Some("That is not the token.")),
        )
            .into_response();
    }
    {
        let mut f = lock(&l.failures);
        if let Some(mine) = f.get_mut(&from)
            && let Some(i) = mine.iter().position(|t| *t == attempt)
        {
            mine.remove(i);
        }
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
async fn logout(State(app): A, headers: HeaderMap) -> Response {
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
