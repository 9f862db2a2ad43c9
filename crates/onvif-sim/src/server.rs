//! The HTTP side: routes, the checks every request goes through, authentication policy, and
//! the handle that runs and stops the server.
//!
//! A request to a service path goes through, in order: Host header (HTTP/1.1), Content-Type,
//! body (size cap, read timeout), XML well-formedness, SOAP envelope, `mustUnderstand`
//! headers, a Body element, authentication (unless the operation is open), operation lookup,
//! announced SOAP action, and finally the operation itself.
//!
//! The strict posture ([`SimConfig::strict`]) is pedantic at several of these steps: a
//! Content-Type of `application/soap+xml` or `text/xml` in UTF-8, every prefix declared, SOAP
//! 1.2 only, exactly one Body element, announced actions equal to the WSDL's. The default
//! posture lets all of that through as real cameras do (a differing action is logged), and
//! answers a SOAP 1.1 request in SOAP 1.1 (`text/xml`, faults with 500).

use std::collections::BTreeMap;
use std::future::poll_fn;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::{SignedDuration, Timestamp};
use onvif_proto::Fault;
use onvif_proto::ns;
use onvif_proto::ops::Service;
use onvif_proto::soap::{self, Envelope, SoapVersion};
use onvif_proto::xml::{self, Element, QNameValue, Writer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::debug;

use crate::auth::{self, AuthFailure, HttpRequestInfo, TokenPolicy};
use crate::config::{AuthMode, Quirk, SimConfig};
use crate::net::{GuardedListener, Limits, signalled};
use crate::services::{Access, Ctx, SERVICES, ServiceDef, sender, service_path};
use crate::state::{Shared, SimStats};

/// How long [`SimHandle::shutdown`] lets requests in flight finish before closing their
/// connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

const SOAP_CONTENT_TYPE: &str = "application/soap+xml; charset=utf-8";
const SOAP11_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

impl SimConfig {
    /// Bind and start serving in the background on the current tokio runtime.
    pub async fn start(self) -> std::io::Result<SimHandle> {
        let listener = TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let head = self.head_timeout.unwrap_or(self.read_timeout);
        let limits = Limits {
            head,
            request: head
                .saturating_add(self.read_timeout)
                .saturating_add(Duration::from_secs(1)),
            idle: self.read_timeout.saturating_mul(2),
            max_total: self.max_connections,
            per_peer: self.max_connections_per_peer,
        };
        let shared = Arc::new(Shared::new(self, addr));
        let (stop_tx, stop_rx) = watch::channel(());
        let (kill_tx, kill_rx) = watch::channel(());
        // Tapo layout: subscription managers on a port of their own, with the same deadlines
        // and caps.
        if shared.cfg.has(Quirk::Tapo) {
            let l = TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
            let _ = shared.events.manager_port.set(l.local_addr()?.port());
            let l = GuardedListener::new(l, limits, kill_rx.clone(), Arc::clone(&shared));
            let app = manager_router(&shared);
            let stop = signalled(stop_rx.clone());
            tokio::spawn(async move {
                let _ = axum::serve(l, app).with_graceful_shutdown(stop).await;
            });
        }
        let listener = GuardedListener::new(listener, limits, kill_rx, Arc::clone(&shared));
        let serve = axum::serve(listener, router(&shared))
            .with_graceful_shutdown(signalled(stop_rx))
            .into_future();
        let task = tokio::spawn(async move {
            if let Err(e) = serve.await {
                tracing::warn!("simulated camera stopped: {e}");
            }
        });
        tracing::info!(
            "simulated camera on http://{addr} (auth {}, quirks {:?}, {} posture)",
            shared.cfg.auth,
            shared.cfg.quirks,
            if shared.cfg.strict {
                "strict"
            } else {
                "default"
            }
        );
        let mut handle = SimHandle {
            shared,
            stop: Some(stop_tx),
            kill: Some(kill_tx),
            task: Some(task),
            discovery: None,
        };
        // After the HTTP side serves, so the Hello's XAddrs answer at once.
        handle.discovery = crate::discovery::start(&handle.shared).await?;
        Ok(handle)
    }
}

/// A running simulated camera. Dropping it stops the server (connections are closed at
/// once); [`SimHandle::shutdown`] lets requests in flight finish first.
pub struct SimHandle {
    shared: Arc<Shared>,
    stop: Option<watch::Sender<()>>,
    kill: Option<watch::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// The WS-Discovery responder (dropping it sends the Bye).
    pub(crate) discovery: Option<crate::discovery::Responder>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.shared.addr)
            .field("auth", &self.shared.cfg.auth)
            .field("quirks", &self.shared.cfg.quirks)
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// What the request handlers share (for the accessors of other modules).
    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// The address bound (with the port the system chose, for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The device service URL, e.g. `http://127.0.0.1:PORT/onvif/device_service`
    /// (`/onvif/service` with [`Quirk::Tapo`]). An unspecified bind address (0.0.0.0) is
    /// shown as loopback.
    pub fn url(&self) -> String {
        format!(
            "http://{}{}",
            reachable(self.shared.addr),
            service_path(&self.shared.cfg, Service::Device)
        )
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> SimStats {
        self.shared.stats()
    }

    /// Set the camera clock to real time plus `skew` (replacing any offset set before, by the
    /// config or by SetSystemDateAndTime).
    pub fn set_clock_skew(&self, skew: SignedDuration) {
        self.shared.camera().clock_offset = skew;
    }

    /// [`SimHandle::set_clock_skew`] in whole seconds.
    pub fn set_clock_skew_secs(&self, secs: i64) {
        self.set_clock_skew(SignedDuration::from_secs(secs));
    }

    /// The camera's clock now: real time plus the configured skew, or whatever
    /// SetSystemDateAndTime set since.
    pub fn camera_time(&self) -> Timestamp {
        self.shared.camera_now()
    }

    /// Change the password at run time (as a user would in the camera's web page).
    pub fn set_password(&self, password: &str) {
        *crate::state::lock(&self.shared.password) = Some(password.to_owned());
    }

    /// How many times SystemReboot was called.
    pub fn reboots(&self) -> u64 {
        self.shared.camera().reboots
    }

    /// Where the focus is, as imaging Move and Stop left it.
    pub fn focus(&self) -> crate::FocusState {
        self.shared.camera().media.focus
    }

    /// The snapshot URL of a profile as a client reaches it (like [`SimHandle::url`], no
    /// quirks applied), e.g. `http://127.0.0.1:PORT/onvif/snapshot?profile=Profile_1`.
    pub fn snapshot_url(&self, profile: &str) -> String {
        format!(
            "http://{}{}?profile={}",
            reachable(self.shared.addr),
            crate::snapshot::PATH,
            crate::state::percent_encode(profile)
        )
    }

    /// Stop accepting connections, let requests in flight finish (up to 2 s), then close
    /// every connection and wait for the server to end.
    pub async fn shutdown(mut self) {
        drop(self.discovery.take());
        drop(self.stop.take());
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            drop(self.kill.take());
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
        drop(self.kill.take());
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        drop(self.stop.take());
        drop(self.kill.take());
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// The address to show for a bound address: loopback instead of unspecified.
fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(v4) if v4.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
        std::net::IpAddr::V6(v6) if v6.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

// ---------------------------------------------------------------------------------------------
// Routing

/// One path and the services answered there.
struct Endpoint {
    shared: Arc<Shared>,
    path: &'static str,
    services: Vec<&'static ServiceDef>,
}

/// Only the subscription managers (for the port of their own of [`Quirk::Tapo`]).
fn manager_router(shared: &Arc<Shared>) -> Router {
    let manager = Arc::new(Endpoint {
        shared: Arc::clone(shared),
        path: crate::events::MANAGER_PATH,
        services: vec![&crate::services::events::MANAGER],
    });
    Router::new()
        .route(
            &format!("{}/{{id}}", crate::events::MANAGER_PATH),
            post(handle).with_state(manager),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, "no such subscription\n") })
        .layer(axum::middleware::map_response_with_state(
            Arc::clone(shared),
            camera_date,
        ))
}

pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    let mut by_path: BTreeMap<&'static str, Vec<&'static ServiceDef>> = BTreeMap::new();
    for s in SERVICES {
        by_path
            .entry(service_path(&shared.cfg, s.service))
            .or_default()
            .push(s);
    }
    let mut router = Router::new();
    for (path, services) in by_path {
        let ep = Arc::new(Endpoint {
            shared: Arc::clone(shared),
            path,
            services,
        });
        router = router.route(path, post(handle).with_state(ep));
    }
    // Pull-point subscription managers, each on its own path.
    let manager = Arc::new(Endpoint {
        shared: Arc::clone(shared),
        path: crate::events::MANAGER_PATH,
        services: vec![&crate::services::events::MANAGER],
    });
    router = router.route(
        &format!("{}/{{id}}", crate::events::MANAGER_PATH),
        post(handle).with_state(manager),
    );
    crate::events::start_periodic(shared);
    router = router.route(
        crate::snapshot::PATH,
        get(crate::snapshot::handle).with_state(Arc::clone(shared)),
    );
    router
        .fallback(|| async { (StatusCode::NOT_FOUND, "no such service\n") })
        .layer(axum::middleware::map_response_with_state(
            Arc::clone(shared),
            camera_date,
        ))
}

/// Every answer's HTTP `Date` header tells the camera's clock, skew included, as a real
/// camera's web server does; clients may estimate the offset from it when even
/// GetSystemDateAndTime needs credentials.
async fn camera_date(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    mut resp: axum::response::Response,
) -> axum::response::Response {
    let date = shared
        .camera_now()
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    if let Ok(v) = axum::http::HeaderValue::from_str(&date) {
        resp.headers_mut().insert(axum::http::header::DATE, v);
    }
    resp
}

// ---------------------------------------------------------------------------------------------
// Replies

/// What a request is answered with.
struct Reply {
    status: StatusCode,
    body: ReplyBody,
    /// `WWW-Authenticate` values (401 only).
    challenges: Vec<String>,
    /// Answer in SOAP 1.1 (`text/xml`): the request was a SOAP 1.1 envelope (default posture).
    soap11: bool,
}

/// The Body of an answer, written in the request's SOAP version when the reply goes out.
enum ReplyBody {
    /// The inner XML of the response Body.
    Ok(String),
    Fault(Fault),
    /// Cut the connection instead of answering (headers out, then the body fails).
    Cut,
}

/// A response body that fails at once: the server drops the connection mid-answer.
struct CutBody;

impl HttpBody for CutBody {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "the simulated camera cuts the connection",
        ))))
    }
}

impl Reply {
    /// Cut the connection instead of answering.
    fn cut() -> Reply {
        Reply {
            body: ReplyBody::Cut,
            ..Reply::ok(String::new())
        }
    }

    fn ok(body: String) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: ReplyBody::Ok(body),
            challenges: Vec::new(),
            soap11: false,
        }
    }

    /// A fault with the status SOAP 1.2's HTTP binding gives its code: 400 for Sender, 500
    /// otherwise.
    fn fault(f: &Fault) -> Reply {
        let status = if f.code.name == "Sender" {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        Reply::fault_with(status, f)
    }

    fn fault_with(status: StatusCode, f: &Fault) -> Reply {
        Reply {
            status,
            body: ReplyBody::Fault(f.clone()),
            challenges: Vec::new(),
            soap11: false,
        }
    }

    fn is_fault(&self) -> bool {
        matches!(self.body, ReplyBody::Fault(_))
    }

    /// In SOAP 1.1 (or not).
    fn soap11(mut self, yes: bool) -> Reply {
        self.soap11 = yes;
        self
    }

    fn into_response(self) -> Response {
        let content_type = HeaderValue::from_static(if self.soap11 {
            SOAP11_CONTENT_TYPE
        } else {
            SOAP_CONTENT_TYPE
        });
        // SOAP 1.1's HTTP binding answers every fault with 500 (401 challenges and the
        // transport-level statuses stay as they are).
        let status = if self.soap11 && self.status == StatusCode::BAD_REQUEST {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            self.status
        };
        let body = match self.body {
            ReplyBody::Cut => {
                return (status, [(CONTENT_TYPE, content_type)], Body::new(CutBody))
                    .into_response();
            }
            ReplyBody::Ok(inner) if self.soap11 => envelope11(&inner),
            ReplyBody::Ok(inner) => soap::envelope(None, &inner),
            ReplyBody::Fault(f) if self.soap11 => envelope11(&fault11(&f)),
            ReplyBody::Fault(f) => f.to_envelope(),
        };
        let mut resp = (status, [(CONTENT_TYPE, content_type)], body).into_response();
        for c in self.challenges {
            if let Ok(v) = HeaderValue::from_str(&c) {
                resp.headers_mut().append(WWW_AUTHENTICATE, v);
            }
        }
        resp
    }
}

/// A SOAP 1.1 envelope around a body: the same prefix declarations as our SOAP 1.2
/// envelopes, with `s` bound to SOAP 1.1.
fn envelope11(body: &str) -> String {
    let mut w = Writer::with_capacity(body.len() + 900);
    w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let decls: Vec<(String, &str)> = ns::ENVELOPE_DECLS
        .iter()
        .map(|(p, uri)| {
            let uri = if *p == "s" { ns::SOAP11 } else { *uri };
            (format!("xmlns:{p}"), uri)
        })
        .collect();
    let attrs: Vec<(&str, &str)> = decls.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    w.open("s:Envelope", &attrs);
    w.open("s:Body", &[]).raw(body).close("s:Body");
    w.close("s:Envelope");
    w.finish()
}

/// A SOAP 1.1 Fault: `Client`/`Server` (or `VersionMismatch`, `MustUnderstand`) as
/// `faultcode`, the reason as `faultstring`, and the ONVIF subcodes (innermost last) in
/// `detail`.
fn fault11(f: &Fault) -> String {
    let code = match f.code.name.as_str() {
        "Sender" => "Client",
        "Receiver" => "Server",
        other => other,
    };
    let mut w = Writer::with_capacity(512);
    w.open("s:Fault", &[]);
    w.leaf("faultcode", &format!("s:{code}"));
    w.leaf("faultstring", &f.reason);
    if !f.subcodes.is_empty() || f.detail.is_some() {
        w.open("detail", &[]);
        for sub in &f.subcodes {
            match sub.ns.as_deref() {
                Some(uri) if uri != ns::TER => {
                    w.open("ter:Subcode", &[("xmlns:sc", uri)])
                        .text(&format!("sc:{}", sub.name))
                        .close("ter:Subcode");
                }
                _ => {
                    w.leaf("ter:Subcode", &format!("ter:{}", sub.name));
                }
            }
        }
        if let Some(d) = &f.detail {
            w.leaf("ter:Text", d);
        }
        w.close("detail");
    }
    w.close("s:Fault");
    w.finish()
}

/// A fault whose code is a SOAP 1.2 code other than Sender/Receiver.
fn soap_fault(code: &str, reason: impl Into<String>) -> Fault {
    Fault {
        code: QNameValue {
            ns: Some(ns::SOAP12.into()),
            name: code.into(),
        },
        subcodes: Vec::new(),
        reason: reason.into(),
        detail: None,
    }
}

/// What the log line of a request says.
struct Log {
    op: String,
    auth: &'static str,
}

async fn handle(State(ep): State<Arc<Endpoint>>, req: Request) -> Response {
    let shared = &ep.shared;
    shared.count(|s| s.requests += 1);
    let (parts, body) = req.into_parts();
    let mut log = Log {
        op: String::from("-"),
        auth: "-",
    };
    // A camera that is down (`SimHandle::power_off`) answers nothing; what was in flight when
    // it went down is cut when it comes back.
    let cycles = shared.events.power_cycles();
    if shared.events.held_while_down(cycles).await {
        return Reply::cut().into_response();
    }
    let reply = process(&ep, &parts, body, &mut log).await;
    if shared.events.held_while_down(cycles).await {
        return Reply::cut().into_response();
    }
    if reply.is_fault() {
        shared.count(|s| s.faults += 1);
    }
    debug!(
        path = ep.path,
        op = %log.op,
        auth = log.auth,
        status = reply.status.as_u16(),
        "request"
    );
    reply.into_response()
}

async fn process(ep: &Endpoint, parts: &Parts, body: Body, log: &mut Log) -> Reply {
    let shared = &*ep.shared;
    let cfg = &shared.cfg;
    let strict = cfg.strict;

    let host = parts.headers.get(HOST).and_then(|h| h.to_str().ok());
    if parts.version == Version::HTTP_11 && host.is_none() {
        return Reply::fault(&sender(
            &["InvalidArgVal"],
            "HTTP/1.1 request without a (readable) Host header",
        ));
    }

    let content_type = match parse_content_type(&parts.headers, strict) {
        Ok(ct) => ct,
        Err(reason) => {
            return Reply::fault_with(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &sender(&["InvalidArgVal"], reason),
            );
        }
    };
    // Until the envelope says otherwise, `text/xml` announces SOAP 1.1 (default posture).
    let soap11 = !strict && content_type.text_xml;

    let bytes = match read_body(&parts.headers, body, cfg.max_body, cfg.read_timeout).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            return Reply::fault_with(
                StatusCode::PAYLOAD_TOO_LARGE,
                &sender(
                    &["InvalidArgVal"],
                    format!("request body larger than {} bytes", cfg.max_body),
                ),
            )
            .soap11(soap11);
        }
        Err(BodyError::TimedOut) => {
            return Reply::fault_with(
                StatusCode::REQUEST_TIMEOUT,
                &sender(
                    &["InvalidArgVal"],
                    format!(
                        "request body not received within {} ms",
                        cfg.read_timeout.as_millis()
                    ),
                ),
            )
            .soap11(soap11);
        }
        Err(BodyError::Broken) => {
            return Reply::fault(&sender(
                &["InvalidArgVal"],
                "request body could not be read",
            ))
            .soap11(soap11);
        }
    };

    let env = match parse_envelope(&bytes, strict) {
        Ok(env) => env,
        Err(f) => return Reply::fault(&f).soap11(soap11),
    };
    let soap11 = env.version == SoapVersion::Soap11;
    process_envelope(ep, parts, host, &content_type, &env, log)
        .await
        .soap11(soap11)
}

/// The checks and the operation, once the envelope is read.
async fn process_envelope(
    ep: &Endpoint,
    parts: &Parts,
    host: Option<&str>,
    content_type: &ContentType,
    env: &Envelope,
    log: &mut Log,
) -> Reply {
    let shared = &*ep.shared;
    let cfg = &shared.cfg;
    if let Some(f) = check_header_blocks(env) {
        return Reply::fault(&f);
    }
    let first = match env.body.children.as_slice() {
        [] => return Reply::fault(&sender(&["Tag"], "the SOAP Body is empty")),
        [one] => one,
        [first, ..] if !cfg.strict => first,
        many => {
            return Reply::fault(&sender(
                &["InvalidArgs"],
                format!(
                    "the SOAP Body holds {} elements; an ONVIF request carries exactly one",
                    many.len()
                ),
            ));
        }
    };
    log.op = first.name.clone();

    let op = ep
        .services
        .iter()
        .find_map(|s| s.ops.iter().find(|o| o.matches(first)).map(|o| (*s, o)));
    let open = match op.map_or(Access::Protected, |(_, o)| o.access) {
        Access::PreAuth => !cfg.has(Quirk::AllAuth),
        Access::Discovery => cfg.discovery_open(),
        Access::Protected => false,
    };
    if open {
        log.auth = "open";
    } else {
        match authenticate(shared, parts, env.header.as_ref()) {
            Ok(how) => log.auth = how,
            Err(refusal) => {
                log.auth = "refused";
                return refuse(shared, refusal);
            }
        }
    }

    let Some((service, op)) = op else {
        return Reply::fault(&sender(&["ActionNotSupported"], unknown_op(ep, first)));
    };
    if cfg.unsupported.contains(op.name) {
        return Reply::fault(&sender(
            &["ActionNotSupported"],
            format!("{} is not implemented by this camera", op.name),
        ));
    }
    if let Some(reason) = action_mismatch(&parts.headers, content_type, env, op.action) {
        if cfg.strict {
            return Reply::fault(&sender(&["InvalidArgVal"], reason));
        }
        // Real cameras dispatch on the Body; an action that names the operation differently
        // (`.../events/wsdl/CreatePullPointSubscription`) is only worth a log line.
        debug!(op = op.name, "{reason}; accepted (not --strict)");
    }
    shared.count(|s| *s.operations.entry((service.service, op.name)).or_default() += 1);
    let ctx = Ctx {
        shared,
        xaddr_base: xaddr_base(cfg, host, shared.addr),
        host: uri_host(cfg, host, shared.addr),
        header: env.header.as_ref(),
        path: parts.uri.path(),
    };
    let answer = match op.wait {
        Some(wait) => wait(&ctx, first).await,
        None => crate::services::answer(&ctx, service, op, first),
    };
    match answer {
        Ok(body) => Reply::ok(body),
        Err(f) if f.reason == crate::events::CUT_CONNECTION => Reply::cut(),
        Err(f) => Reply::fault(&f),
    }
}

/// Why an operation is not answered here.
fn unknown_op(ep: &Endpoint, el: &Element) -> String {
    let named = match &el.ns {
        Some(n) => format!("{{{n}}}{}", el.name),
        None => format!("{} (in no namespace)", el.name),
    };
    let elsewhere = SERVICES
        .iter()
        .find(|s| s.ops.iter().any(|o| o.matches(el)));
    match elsewhere {
        Some(s) => format!(
            "{named} is an operation of the {} service, served at {}, not at {}",
            s.service,
            service_path(&ep.shared.cfg, s.service),
            ep.path
        ),
        None => format!("the operation {named} is not supported at {}", ep.path),
    }
}

// ---------------------------------------------------------------------------------------------
// Request checks

/// What the Content-Type says.
struct ContentType {
    /// The `action` parameter of `application/soap+xml`.
    action: Option<String>,
    /// The media type is `text/xml` (SOAP 1.1's).
    text_xml: bool,
}

/// Strict: a Content-Type is required, `application/soap+xml` or `text/xml`, UTF-8, with
/// well-formed parameters. Default: whatever is readable is taken, as real cameras (which
/// dispatch on the envelope) do; only the `action` parameter is kept.
fn parse_content_type(headers: &HeaderMap, strict: bool) -> Result<ContentType, String> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        if strict {
            return Err("no Content-Type (expected application/soap+xml)".into());
        }
        return Ok(ContentType {
            action: None,
            text_xml: false,
        });
    };
    let value = match value.to_str() {
        Ok(v) => v,
        Err(_) if !strict => "",
        Err(_) => return Err("unreadable Content-Type".into()),
    };
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    if strict && media != "application/soap+xml" && media != "text/xml" {
        return Err(format!(
            "Content-Type {media:?} is neither application/soap+xml nor text/xml"
        ));
    }
    let mut action = None;
    for p in parts {
        if p.trim().is_empty() {
            continue;
        }
        let Some((k, v)) = p.split_once('=') else {
            if strict {
                return Err(format!("malformed Content-Type parameter {p:?}"));
            }
            continue;
        };
        let v = v.trim().trim_matches('"');
        match k.trim().to_ascii_lowercase().as_str() {
            "charset" if strict && !v.eq_ignore_ascii_case("utf-8") => {
                return Err(format!("charset {v:?}: this camera reads UTF-8 only"));
            }
            "action" => action = Some(v.to_owned()),
            _ => {}
        }
    }
    Ok(ContentType {
        action,
        text_xml: media == "text/xml",
    })
}

enum BodyError {
    TooLarge,
    TimedOut,
    Broken,
}

/// The whole body, at most `limit` bytes, within `timeout`.
async fn read_body(
    headers: &HeaderMap,
    mut body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let read = async move {
        let mut out: Vec<u8> = Vec::new();
        while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            let frame = frame.map_err(|_| BodyError::Broken)?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > limit {
                    return Err(BodyError::TooLarge);
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out)
    };
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

/// Well-formed XML and a SOAP Envelope with a Body. Strict: SOAP 1.2 only, every prefix
/// declared. Default: SOAP 1.2 or 1.1, undeclared prefixes let through (an element whose
/// prefix is unbound has no namespace, so it matches no operation or header).
fn parse_envelope(bytes: &[u8], strict: bool) -> Result<Envelope, Fault> {
    let root = xml::parse(bytes).map_err(|e| sender(&["WellFormed"], e.to_string()))?;
    if root.name != "Envelope" {
        return Err(sender(
            &["WellFormed"],
            format!("not a SOAP envelope: the root element is <{}>", root.name),
        ));
    }
    let soap11 = !strict && root.ns.as_deref() == Some(ns::SOAP11);
    if root.ns.as_deref() != Some(ns::SOAP12) && !soap11 {
        let found = match (&root.ns, root.unbound) {
            (_, true) => "an undeclared prefix".to_owned(),
            (Some(n), _) => n.to_string(),
            (None, _) => "no namespace".to_owned(),
        };
        let expected = if strict {
            format!("a SOAP 1.2 Envelope ({})", ns::SOAP12)
        } else {
            format!("a SOAP 1.2 ({}) or 1.1 Envelope", ns::SOAP12)
        };
        return Err(soap_fault(
            "VersionMismatch",
            format!("expected {expected}, found {found}"),
        ));
    }
    if strict
        && let Some(bad) = std::iter::once(&root)
            .chain(root.descendants())
            .find(|e| e.unbound)
    {
        return Err(sender(
            &["Namespace"],
            format!(
                "<{}> uses a namespace prefix that is not declared",
                bad.name
            ),
        ));
    }
    Envelope::from_root(root).map_err(|e| sender(&["Tag"], e.to_string()))
}

/// Header blocks the camera processes (or knowingly ignores).
fn understood(block: &Element) -> bool {
    [ns::WSSE, ns::WSA, ns::WSA_2004]
        .iter()
        .any(|n| block.ns.as_deref() == Some(n))
}

/// A MustUnderstand fault for a header block marked `mustUnderstand` that we do not know.
fn check_header_blocks(env: &Envelope) -> Option<Fault> {
    let header = env.header.as_ref()?;
    header.children.iter().find_map(|block| {
        let env_ns = match env.version {
            SoapVersion::Soap12 => ns::SOAP12,
            SoapVersion::Soap11 => ns::SOAP11,
        };
        let must = block
            .attr_ns(env_ns, "mustUnderstand")
            .is_some_and(|v| matches!(v.trim(), "1" | "true"));
        (must && !understood(block)).then(|| {
            soap_fault(
                "MustUnderstand",
                format!(
                    "header block {{{}}}{} is marked mustUnderstand and is not understood",
                    block.ns.as_deref().unwrap_or_default(),
                    block.name
                ),
            )
        })
    })
}

/// Every action the client announced (Content-Type `action`, `SOAPAction`, `wsa:Action`)
/// must name this operation.
fn action_mismatch(
    headers: &HeaderMap,
    ct: &ContentType,
    env: &Envelope,
    expected: &str,
) -> Option<String> {
    let soap_action = headers
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_matches('"').to_owned());
    let wsa_action = env
        .header_child(ns::WSA, "Action")
        .or_else(|| env.header_child(ns::WSA_2004, "Action"))
        .map(|a| a.text().to_owned());
    [
        ("the Content-Type action", ct.action.clone()),
        ("SOAPAction", soap_action),
        ("wsa:Action", wsa_action),
    ]
    .into_iter()
    .find_map(|(what, v)| {
        let v = v.filter(|v| !v.is_empty())?;
        (v != expected)
            .then(|| format!("{what} {v:?} does not match the Body's operation ({expected})"))
    })
}

/// `http://host:port` for service addresses: the Host the request came to (or the bound
/// address), unless a quirk lies about it.
fn xaddr_base(cfg: &SimConfig, host: Option<&str>, addr: SocketAddr) -> String {
    let port = addr.port();
    let host = if cfg.has(Quirk::LyingXAddrsZero) {
        format!("0.0.0.0:{port}")
    } else if cfg.has(Quirk::LyingXAddrsOtherHost) {
        format!("192.0.2.1:{port}")
    } else {
        host.map(str::trim)
            .filter(|h| plausible_authority(h))
            .map_or_else(|| reachable(addr).to_string(), str::to_owned)
    };
    if cfg.has(Quirk::DoubledPort) {
        format!("http://{host}:{port}")
    } else {
        format!("http://{host}")
    }
}

/// The host (without port) that stream URIs name: like [`xaddr_base`], the Host the request
/// came to (or the bound address) unless a quirk lies about it.
fn uri_host(cfg: &SimConfig, host: Option<&str>, addr: SocketAddr) -> String {
    if cfg.has(Quirk::LyingXAddrsZero) {
        return "0.0.0.0".into();
    }
    if cfg.has(Quirk::LyingXAddrsOtherHost) {
        return "192.0.2.1".into();
    }
    match host.map(str::trim).filter(|h| plausible_authority(h)) {
        Some(h) => strip_port(h).to_owned(),
        None => match reachable(addr) {
            SocketAddr::V4(a) => a.ip().to_string(),
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
        },
    }
}

/// `host` of `host[:port]` (`[v6]` of `[v6][:port]`).
fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => &authority[..=end],
            None => authority,
        };
    }
    match authority.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    }
}

fn plausible_authority(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 270
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:[]%".contains(&b))
}

// ---------------------------------------------------------------------------------------------
// Authentication policy

/// How a refusal is answered.
enum Refusal {
    /// HTTP 400 with `ter:NotAuthorized`.
    Fault(AuthFailure),
    /// HTTP 401 with Digest challenges (unless [`Quirk::FaultInsteadOf401`]).
    Challenge(AuthFailure),
}

fn authenticate(
    shared: &Shared,
    parts: &Parts,
    header: Option<&Element>,
) -> Result<&'static str, Refusal> {
    let cfg = &shared.cfg;
    let now = Instant::now();
    let authorization: Vec<&[u8]> = parts
        .headers
        .get_all(AUTHORIZATION)
        .iter()
        .map(HeaderValue::as_bytes)
        .collect();
    let has_http = !authorization.is_empty();
    let target = parts.uri.to_string();
    let password = crate::state::lock(&shared.password)
        .clone()
        .unwrap_or_else(|| cfg.password.clone());
    let http = || {
        let info = HttpRequestInfo {
            method: parts.method.as_str(),
            target: &target,
            authorization: authorization.clone(),
        };
        let mut nonces = shared.digest_nonces();
        auth::check_http(
            &info,
            &cfg.user,
            &password,
            cfg.allow_basic,
            &mut nonces,
            now,
        )
    };
    let ws = || {
        let policy = TokenPolicy {
            user: &cfg.user,
            password: &password,
            accept_password_text: cfg.accept_password_text,
            camera_now: shared.camera_now(),
            strict: cfg.strict,
        };
        let mut cache = shared.nonce_cache();
        auth::check_username_token(header, &policy, &mut cache, now)
    };
    if cfg.auth != AuthMode::None
        && crate::state::lock(&shared.lockout)
            .locked_for(now)
            .is_some()
    {
        return Err(match cfg.auth {
            AuthMode::WsUsernameToken => Refusal::Fault(AuthFailure::LockedOut),
            _ => Refusal::Challenge(AuthFailure::LockedOut),
        });
    }
    match cfg.auth {
        AuthMode::None => Ok("none"),
        AuthMode::WsUsernameToken => ws().map(|()| "wsse").map_err(Refusal::Fault),
        AuthMode::HttpDigest => http().map_err(Refusal::Challenge),
        AuthMode::Both => {
            let how = http().map_err(Refusal::Challenge)?;
            ws().map_err(Refusal::Fault)?;
            Ok(if how == "basic" {
                "basic+wsse"
            } else {
                "digest+wsse"
            })
        }
        AuthMode::Either => {
            let mut failure = None;
            if has_http {
                match http() {
                    Ok(how) => return Ok(how),
                    Err(f) => failure = Some(f),
                }
            }
            match ws() {
                Ok(()) => Ok("wsse"),
                Err(f) => Err(Refusal::Challenge(match (failure, f) {
                    (Some(h), AuthFailure::Missing) => h,
                    (Some(AuthFailure::StaleDigestNonce), _) => AuthFailure::StaleDigestNonce,
                    (_, f) => f,
                })),
            }
        }
    }
}

/// Count a refusal toward [`SimConfig::lockout`], and say so when it locks the account.
pub(crate) fn record_for_lockout(shared: &Shared, failure: AuthFailure) {
    let locked = crate::state::lock(&shared.lockout).record(failure, Instant::now());
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

fn refuse(shared: &Shared, refusal: Refusal) -> Reply {
    let cfg = &shared.cfg;
    let (failure, challenge) = match refusal {
        Refusal::Fault(f) => (f, false),
        Refusal::Challenge(f) => (f, !cfg.has(Quirk::FaultInsteadOf401)),
    };
    debug!(reason = %failure, "authentication failed");
    shared.count(|s| {
        s.auth_failures += 1;
        *s.auth_failure_reasons.entry(failure).or_default() += 1;
    });
    record_for_lockout(shared, failure);
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
            return Reply::fault(&crate::services::receiver(
                &[],
                format!(
                    "too many recent logins: the camera remembers {} nonces that could still be \
                     replayed and takes no more until some expire (within 10 minutes)",
                    auth::NONCE_CACHE_CAP
                ),
            ));
        }
        AuthFailure::LockedOut => {
            let left = crate::state::lock(&shared.lockout)
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
    let mut reply = Reply::fault_with(StatusCode::UNAUTHORIZED, &fault);
    reply.challenges = challenges;
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_stripped_from_hosts() {
        assert_eq!(strip_port("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(strip_port("cam.local"), "cam.local");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
        assert_eq!(strip_port("[::1]"), "[::1]");
        assert_eq!(strip_port("::1"), "::1");
    }
}
