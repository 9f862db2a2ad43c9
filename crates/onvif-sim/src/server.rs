//! The HTTP side: routes, and the way every request goes, from its bytes to its answer. The
//! checks are in [`checks`], the authentication policy in [`login`], replies and SOAP 1.1
//! in [`reply`], the snapshot URL in [`snapshot`].
//!
//! A request to a service path goes through, in order: Host header (HTTP/1.1), Content-Type,
//! body (size cap, read timeout), XML well-formedness, SOAP envelope, `mustUnderstand`
//! headers, a Body element, authentication (unless the operation is open), operation lookup,
//! announced SOAP action, and finally the operation itself.
//!
//! The strict posture ([`crate::SimConfig::strict`]) is pedantic at several of these steps: a
//! Content-Type of `application/soap+xml` or `text/xml` in UTF-8, every prefix declared, SOAP
//! 1.2 only, exactly one Body element, announced actions equal to the WSDL's. The default
//! posture lets all of that through as real cameras do (a differing action is logged), and
//! answers a SOAP 1.1 request in SOAP 1.1 (`text/xml`, faults with 500).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::Version;
use axum::http::header::HOST;
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::{get, post};
use onvif_proto::soap::{Envelope, SoapVersion};
use onvif_proto::xml::Element;
use tracing::debug;

use crate::config::{Quirk, SimConfig};
use crate::fault::{receiver, sender};
use crate::services::registry::SERVICES;
use crate::services::{Access, Ctx, ServiceDef, service_path};
use crate::state::Shared;

mod checks;
mod login;
mod reply;
mod snapshot;
mod upload;

use checks::{
    BodyError, ContentType, action_mismatch, check_header_blocks, parse_content_type,
    parse_envelope, read_body, uri_host, xaddr_base,
};
use login::{authenticate, refuse};
use reply::Reply;

/// One path and the services answered there.
struct Endpoint {
    shared: Arc<Shared>,
    path: &'static str,
    services: Vec<&'static ServiceDef>,
    /// Every service the camera offers (for GetServices and GetCapabilities).
    offered: Arc<[&'static ServiceDef]>,
}

/// The services offered: the registry's, less those the config leaves out.
fn offered(cfg: &SimConfig) -> Arc<[&'static ServiceDef]> {
    SERVICES
        .iter()
        .filter(|s| !cfg.without.contains(&s.service))
        .copied()
        .collect()
}

/// Only the subscription managers (for the port of their own of [`Quirk::Tapo`]).
pub(crate) fn manager_router(shared: &Arc<Shared>) -> Router {
    finish(
        with_managers(Router::new(), shared),
        shared,
        "no such subscription\n",
    )
}

pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    if shared.cfg.replay.is_some() {
        return replay_router(shared);
    }
    let offered = offered(&shared.cfg);
    let mut by_path: BTreeMap<&'static str, Vec<&'static ServiceDef>> = BTreeMap::new();
    for s in offered.iter().copied() {
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
            offered: Arc::clone(&offered),
        });
        router = router.route(path, post(handle).with_state(ep));
    }
    let router = with_managers(router, shared);
    crate::services::events::start_periodic(shared);
    crate::services::deviceio::start_relays(shared);
    let router = router
        .route(
            crate::snapshot::PATH,
            get(snapshot::handle).with_state(Arc::clone(shared)),
        )
        .route(
            &format!("{}/{{id}}", crate::upload::PATH),
            axum::routing::any(upload::handle).with_state(Arc::clone(shared)),
        )
        .route(
            crate::backup::PATH,
            axum::routing::any(upload::backup).with_state(Arc::clone(shared)),
        );
    finish(router, shared, "no such service\n")
}

/// A recording's camera: every path answered from the recording (the device service's
/// GetSystemDateAndTime from the simulator's clock).
fn replay_router(shared: &Arc<Shared>) -> Router {
    let ep = Arc::new(Endpoint {
        shared: Arc::clone(shared),
        path: "(recorded)",
        services: SERVICES
            .iter()
            .filter(|s| s.service == onvif_proto::Service::Device)
            .copied()
            .collect(),
        offered: offered(&shared.cfg),
    });
    let router = Router::new().fallback(replay_entry).with_state(ep);
    router.layer(axum::middleware::map_response_with_state(
        Arc::clone(shared),
        camera_date,
    ))
}

/// Any request to a replay: a recorded GET, else a SOAP request.
async fn replay_entry(State(ep): State<Arc<Endpoint>>, req: Request) -> Response {
    use axum::response::IntoResponse;
    if req.method() == axum::http::Method::GET {
        let path = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let replay = ep.shared.cfg.replay.as_ref();
        // A camera that asked for credentials at its snapshot URL: the replay asks for the
        // simulator's, as the live simulator does.
        if replay.is_some_and(|r| r.get_is_guarded(&path)) {
            let (parts, _) = req.into_parts();
            if let Err(challenges) = snapshot::authenticate(&ep.shared, &parts) {
                return snapshot::unauthorized(challenges);
            }
        }
        let found = replay.and_then(|r| r.get(&path));
        return match found {
            Some(a) => Reply::raw(a.status, a.content_type, a.body).into_response(),
            None => (StatusCode::NOT_FOUND, "not in the recording\n").into_response(),
        };
    }
    handle(State(ep), req).await
}

/// `router` with the pull-point subscription managers, each on its own path.
fn with_managers(router: Router, shared: &Arc<Shared>) -> Router {
    let manager = Arc::new(Endpoint {
        shared: Arc::clone(shared),
        path: crate::events::MANAGER_PATH,
        services: vec![&crate::services::events::MANAGER],
        offered: offered(&shared.cfg),
    });
    router.route(
        &format!("{}/{{id}}", crate::events::MANAGER_PATH),
        post(handle).with_state(manager),
    )
}

/// `router` answering 404 with `not_found` on any other path, and the camera's clock in
/// every answer.
fn finish(router: Router, shared: &Arc<Shared>, not_found: &'static str) -> Router {
    router
        .fallback(move || async move { (StatusCode::NOT_FOUND, not_found) })
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

/// What the log line of a request says.
struct Log {
    op: String,
    auth: &'static str,
    /// The accounts whose credentials were verified (none for an open operation).
    users: Vec<String>,
}

async fn handle(State(ep): State<Arc<Endpoint>>, req: Request) -> Response {
    let shared = &ep.shared;
    shared.count(|s| s.requests += 1);
    let (parts, body) = req.into_parts();
    let mut log = Log {
        op: String::from("-"),
        auth: "-",
        users: Vec::new(),
    };
    // A camera that is down (`SimHandle::power_off`) answers nothing; what was in flight when
    // it went down is cut when it comes back.
    let cycles = shared.events.power_cycles();
    if shared.events.held_while_down(cycles).await {
        return Reply::cut().into_response();
    }
    let reply = process(&ep, &parts, body, &mut log).await;
    // A request refused (an authentication's first leg) was not carried out: not cut.
    if shared.events.held_while_down(cycles).await || (log.auth != "refused" && shared.cut(&log.op))
    {
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
    let reply = match process_envelope(ep, parts, host, &content_type, &env, log).await {
        Step::Reply(r) => r,
        Step::Wait(wait) => {
            // A long poll keeps nothing of its request while it waits.
            drop(env);
            drop(bytes);
            answered(wait.answer(shared).await)
        }
    };
    reply.soap11(soap11)
}

/// What the checks and the operation came to: a reply, or a wait to run once the request's
/// memory is let go.
enum Step {
    Reply(Reply),
    Wait(Box<dyn crate::services::Wait>),
}

impl From<Reply> for Step {
    fn from(r: Reply) -> Step {
        Step::Reply(r)
    }
}

/// The reply to an operation's answer.
fn answered(answer: Result<String, onvif_proto::Fault>) -> Reply {
    match answer {
        Ok(body) => Reply::ok(body),
        Err(f) if f.reason == crate::events::CUT_CONNECTION => Reply::cut(),
        Err(f) => Reply::fault(&f),
    }
}

/// The checks and the operation, once the envelope is read.
async fn process_envelope(
    ep: &Endpoint,
    parts: &Parts,
    host: Option<&str>,
    content_type: &ContentType,
    env: &Envelope,
    log: &mut Log,
) -> Step {
    let shared = &*ep.shared;
    let cfg = &shared.cfg;
    if let Some(f) = check_header_blocks(env) {
        return Reply::fault(&f).into();
    }
    let first = match env.body.children.as_slice() {
        [] => return Reply::fault(&sender(&["Tag"], "the SOAP Body is empty")).into(),
        [one] => one,
        [first, ..] if !cfg.strict => first,
        many => {
            return Reply::fault(&sender(
                &["InvalidArgs"],
                format!(
                    "the SOAP Body holds {} elements; an ONVIF request carries exactly one",
                    many.len()
                ),
            ))
            .into();
        }
    };
    log.op = first.name.clone();
    if let Some(replay) = &cfg.replay
        && !first.is(onvif_proto::ns::TDS, "GetSystemDateAndTime")
    {
        return replay_answer(shared, parts, host, env, first, replay, log)
            .await
            .into();
    }

    let find = |services: &[&'static ServiceDef]| {
        services
            .iter()
            .find_map(|s| s.ops.iter().find(|o| o.matches(first)).map(|o| (*s, o)))
    };
    // By default an operation sent to another service's address is served, as cameras whose
    // one SOAP server dispatches on the Body do (node onvif's Cam sends SystemReboot to the
    // DeviceIO address); the strict posture refuses it, naming where it is served.
    let op = find(&ep.services).or_else(|| {
        let elsewhere = find(&ep.offered).filter(|_| !cfg.strict)?;
        tracing::debug!(
            "{} sent to {}, served at {}: answered, as its Body names it",
            first.name,
            ep.path,
            service_path(cfg, elsewhere.0.service)
        );
        Some(elsewhere)
    });
    let open = match op.map_or(Access::Protected, |(_, o)| o.access) {
        Access::PreAuth => !cfg.has(Quirk::AllAuth),
        Access::Discovery => cfg.discovery_open(),
        Access::Protected | Access::Administrator => false,
    };
    if let Some(refused) = admit(shared, parts, env, open, log) {
        return refused.into();
    }
    if let Some((_, o)) = op
        && o.access == Access::Administrator
        && let Some(refused) = login::needs_administrator(shared, &log.users, o.name)
    {
        return refused.into();
    }

    let Some((service, op)) = op else {
        return Reply::fault(&receiver(&["ActionNotSupported"], unknown_op(ep, first))).into();
    };
    if cfg.unsupported.contains(op.name) {
        return Reply::fault(&receiver(
            &["ActionNotSupported"],
            format!("{} is not implemented by this camera", op.name),
        ))
        .into();
    }
    if let Some(reason) = action_mismatch(&parts.headers, content_type, env, op.action) {
        if cfg.strict {
            return Reply::fault(&sender(&["InvalidArgVal"], reason)).into();
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
        services: &ep.offered,
    };
    if let Some(wait) = op.wait {
        return match wait(&ctx, first) {
            Ok(w) => Step::Wait(w),
            Err(f) => Reply::fault(&f).into(),
        };
    }
    match crate::services::dispatch::answer(&ctx, service, op, first) {
        Ok(body) => {
            match crate::services::vendor::attachment(&ctx, service.service, op.name, &body) {
                Some((content_type, bytes)) => Reply::raw(200, content_type, bytes).into(),
                None => Reply::ok(body).into(),
            }
        }
        answer => answered(answer).into(),
    }
}

/// Let the request through (`None`) when the operation is open or its credentials pass;
/// else the refusal to send. The log says which.
fn admit(
    shared: &Shared,
    parts: &Parts,
    env: &Envelope,
    open: bool,
    log: &mut Log,
) -> Option<Reply> {
    if open {
        log.auth = "open";
        return None;
    }
    match authenticate(shared, parts, env.header.as_ref()) {
        Ok((how, users)) => {
            log.auth = how;
            log.users = users;
            None
        }
        Err(refusal) => {
            log.auth = "refused";
            Some(refuse(shared, refusal))
        }
    }
}

/// A recorded answer, after the simulator's own authentication (unless the recorded camera
/// answered without credentials).
async fn replay_answer(
    shared: &Shared,
    parts: &Parts,
    host: Option<&str>,
    env: &Envelope,
    first: &Element,
    replay: &crate::Replay,
    log: &mut Log,
) -> Reply {
    let base = xaddr_base(&shared.cfg, host, shared.addr);
    let path = parts.uri.path();
    // The answer is taken only once the request is let through: a refusal (the first leg of
    // every HTTP Digest exchange) leaves it to the request that passes.
    let open = replay.open(path, first);
    if let Some(refused) = admit(shared, parts, env, open, log) {
        return refused;
    }
    // Recorded events come from their timeline.
    if replay.has_timeline() && first.is(onvif_proto::ns::TEV, "PullMessages") {
        return replay_pull(shared, first, replay).await;
    }
    let found = replay.answer(path, first, &base);
    if replay.has_timeline() {
        if first.is(onvif_proto::ns::TEV, "CreatePullPointSubscription") && found.is_some() {
            replay.subscribed();
        }
        if first.is(onvif_proto::ns::WSNT, "Subscribe")
            && found.as_ref().is_some_and(|a| a.status == 200)
        {
            use onvif_proto::Message;
            if let Ok(s) = onvif_proto::ops::events::Subscribe::read(first) {
                replay.push_to(&s.consumer, shared.cfg.bind.ip());
            }
        }
    }
    match found {
        Some(a) => Reply::raw(a.status, a.content_type, a.body),
        None => Reply::fault(&receiver(
            &["ActionNotSupported"],
            format!(
                "{} at {} is not in the recording",
                first.name,
                parts.uri.path()
            ),
        )),
    }
}

/// A PullMessages answered from the recorded timeline.
async fn replay_pull(shared: &Shared, first: &Element, replay: &crate::Replay) -> Reply {
    use onvif_proto::Message;
    use onvif_proto::ops::events::{PullMessages, PullMessagesResponse};
    let req = match PullMessages::read(first) {
        Ok(r) => r,
        Err(e) => return Reply::fault(&sender(&["InvalidArgVal"], e.to_string())),
    };
    // A camera caps the wait; so does the replay.
    let timeout = req.timeout.min(std::time::Duration::from_secs(60));
    let messages = replay.pull(timeout, req.message_limit as usize).await;
    let now = shared.camera_now();
    let resp = PullMessagesResponse {
        current_time: Some(now),
        termination_time: now.checked_add(jiff::SignedDuration::from_secs(60)).ok(),
        messages,
    };
    let mut w = onvif_proto::xml::Writer::with_capacity(2048);
    onvif_proto::ops::Message::write(&resp, &mut w);
    Reply::ok(w.finish())
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
