//! The camera handle: endpoints, clock offset and credentials, shared by cheap clones.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use onvif_proto::Message;
use onvif_proto::ops::{Operation, device};
use onvif_proto::soap::{self, Envelope};
use onvif_proto::wsse::UsernameToken;
use serde::Serialize;
use url::Url;

use crate::address::{self, Repair};
use crate::error::Error;
use crate::transport::{AuthScheme, Config, Credentials, Http, Response};
use crate::util::lock;

mod clock;
mod endpoints;

pub use crate::address::Endpoints;

/// A connection to one camera. Clones share everything (connections, clock, endpoints).
#[derive(Clone, Debug)]
pub struct Camera {
    inner: Arc<Inner>,
}

struct Inner {
    http: Http,
    /// Where the device service answers; moved by [`Camera::relocate`].
    device_url: Mutex<Url>,
    /// The paths [`Camera::connect`] tries for a bare address (one for a given path).
    device_paths: Vec<Url>,
    /// The device URL changed since the endpoints were resolved: resolve them again.
    device_moved: std::sync::atomic::AtomicBool,
    /// One relocation at a time.
    relocating: tokio::sync::Mutex<()>,
    creds: Option<Credentials>,
    /// The camera's clock as last measured, against our monotonic clock: the camera's time
    /// now is `camera + at.elapsed()`, whatever happens to our wall clock meanwhile.
    clock: Mutex<Option<ClockBase>>,
    /// When the last answer's HTTP `Date` header said what time it was.
    last_date: Mutex<Option<(Instant, Timestamp)>>,
    endpoints: tokio::sync::Mutex<Option<Endpoints>>,
    repair: Mutex<Repair>,
    last_response: Mutex<Option<Vec<u8>>>,
}

/// The camera's address, user and settings, and the size of the last answer kept (not its
/// bytes, up to the response cap); no password ([`Credentials`] hides it).
impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Camera")
            .field("device_url", &lock(&self.device_url).as_str())
            .field("creds", &self.creds)
            .field("http", &self.http)
            .field("clock", &*lock(&self.clock))
            .field(
                "last_response_bytes",
                &lock(&self.last_response).as_ref().map(Vec::len),
            )
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy)]
struct ClockBase {
    at: Instant,
    camera: Timestamp,
}

/// Per-call additions: extra SOAP header blocks and a request timeout of its own.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Header blocks added after the WS-Security one (well-formed XML).
    pub extra_header_xml: String,
    /// Replaces the configured request timeout for this call.
    pub timeout: Option<std::time::Duration>,
    /// Do not re-measure the clock and retry when authentication is refused (a caller that
    /// retries on its own, like event re-creation, must not double every refused login).
    pub no_clock_resync: bool,
    /// Text of the body that a trace or a recording must not show (a password being set),
    /// redacted as written and as XML escapes it.
    pub secrets: Vec<String>,
}

/// The secrets are counted, never shown.
impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("extra_header_xml", &self.extra_header_xml)
            .field("timeout", &self.timeout)
            .field("no_clock_resync", &self.no_clock_resync)
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .finish()
    }
}

/// A reading of the camera's clock.
#[derive(Debug, Clone, Serialize)]
pub struct ClockReading {
    /// What GetSystemDateAndTime answered.
    pub settings: device::SystemDateAndTime,
    /// The camera's UTC clock as it answered (whole seconds); `None` when it sent no usable UTC
    /// time.
    pub camera_utc: Option<Timestamp>,
    /// Our clock at the middle of the exchange.
    pub local_utc: Timestamp,
    /// Camera minus local, when the camera sent a usable UTC time.
    #[serde(serialize_with = "seconds_opt")]
    pub offset: Option<SignedDuration>,
    /// The request took this long (half of it is the reading's uncertainty).
    #[serde(serialize_with = "seconds")]
    pub round_trip: SignedDuration,
}

/// A re-measured camera clock that moved less than this since the last reading cannot explain
/// a refused WS-Security token (whose `Created` may be 5 minutes off): the request is then not
/// retried.
const CLOCK_MOVED: SignedDuration = SignedDuration::from_secs(2);

/// A time in a camera's answer this far from our estimate of its clock means a clock jumped
/// ([`Camera::clock_disagreement`]); nearer, it is the answer's rounding and travel.
const CLOCK_JUMP: SignedDuration = SignedDuration::from_secs(5);

impl Camera {
    /// Find the device service at a user-given address (trying `/onvif/device_service`, then
    /// `/onvif/service` when no path is given) and measure the camera clock.
    pub async fn connect(
        host: &str,
        creds: Option<Credentials>,
        config: Config,
    ) -> Result<Camera, Error> {
        let candidates = address::candidates(host)?;
        let http = Http::new(config)?;
        let mut cam = Camera::from_parts(
            http,
            candidates[0].clone(),
            creds.clone(),
            candidates.clone(),
        );
        let mut last_err = None;
        for (i, url) in candidates.iter().enumerate() {
            if i > 0 {
                let http = Http::new(cam.inner.http.config().clone())?;
                cam = Camera::from_parts(http, url.clone(), creds.clone(), candidates.clone());
            }
            match cam.measure_clock().await {
                Ok(_) => return Ok(cam),
                // The endpoint wants credentials even for its clock (as Axis does) and refused
                // ours, stamped with the clock its refusal's Date gave: sending them again with
                // the first call would only cost the account a second failed login.
                Err(e) if e.is_auth() && cam.inner.creds.is_some() => return Err(e),
                // The endpoint exists but wants credentials even for the clock and we have
                // none, or faults: keep it, with no offset measured.
                Err(e) if e.is_auth() || e.fault().is_some() => return Ok(cam),
                Err(Error::Http { status, .. })
                    if matches!(status, 404 | 405 | 400 | 500) && i + 1 < candidates.len() =>
                {
                    tracing::debug!(url = %url, status, "no device service here, trying the next path");
                    last_err = Some(Error::Http {
                        url: url.to_string(),
                        status,
                        detail: String::new(),
                    });
                }
                Err(Error::Protocol { .. }) if i + 1 < candidates.len() => {
                    tracing::debug!(url = %url, "not an ONVIF answer here, trying the next path");
                }
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| Error::Address {
            input: address::redact_address(host),
            reason: "no ONVIF device service found".into(),
        }))
    }

    /// A camera at a known device service URL, without probing it. A URL with a user name
    /// or password in it is refused, as [`Camera::connect`] refuses one: they go in `creds`
    /// (the URL would show them in every error and trace).
    pub fn with_url(url: Url, creds: Option<Credentials>, config: Config) -> Result<Camera, Error> {
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Address {
                input: address::redact_address(url.as_str()),
                reason: "the user name and password go in the credentials, not in the address"
                    .into(),
            });
        }
        let paths = vec![url.clone()];
        Ok(Camera::from_parts(Http::new(config)?, url, creds, paths))
    }

    fn from_parts(
        http: Http,
        device_url: Url,
        creds: Option<Credentials>,
        device_paths: Vec<Url>,
    ) -> Camera {
        let mut repair = Repair::new(device_url.clone());
        repair.keep_camera_host = http.config().keep_camera_host;
        Camera {
            inner: Arc::new(Inner {
                http,
                device_url: Mutex::new(device_url),
                device_paths,
                device_moved: std::sync::atomic::AtomicBool::new(false),
                relocating: tokio::sync::Mutex::new(()),
                creds,
                clock: Mutex::new(None),
                last_date: Mutex::new(None),
                endpoints: tokio::sync::Mutex::new(None),
                repair: Mutex::new(repair),
                last_response: Mutex::new(None),
            }),
        }
    }

    /// The device service URL in use (it changes when [`Camera::relocate`] finds the service
    /// at another path).
    pub fn device_url(&self) -> Url {
        lock(&self.inner.device_url).clone()
    }

    /// The credentials in use, if any.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.inner.creds.as_ref()
    }

    pub(crate) fn http(&self) -> &Http {
        &self.inner.http
    }

    /// Repair an address the camera reported (a stream or snapshot URI, a subscription
    /// address) the way service addresses are repaired; unparsable input is returned as is.
    pub fn repair_uri(&self, reported: &str) -> String {
        let repair = lock(&self.inner.repair).clone();
        match repair.repair(reported) {
            Some(u) => {
                let repaired = u.to_string();
                let place = |u: &Url| (u.host_str().map(str::to_owned), u.port_or_known_default());
                if Url::parse(reported).ok().as_ref().map(place) != Some(place(&u)) {
                    tracing::info!(
                        reported = %crate::address::redact_userinfo(reported),
                        used = %crate::address::redact_userinfo(&repaired),
                        "the camera reported an address it cannot be reached at; using the host it was reached at"
                    );
                }
                repaired
            }
            None => reported.to_owned(),
        }
    }

    /// A subscription's reported address, repaired, as a URL.
    pub fn subscription_url(&self, reported: &str) -> Result<Url, Error> {
        let mut url = Url::parse(&self.repair_uri(reported)).map_err(|e| Error::Protocol {
            url: crate::address::redact_userinfo(reported),
            source: onvif_proto::Error::invalid(
                "SubscriptionReference/Address",
                crate::address::redact_userinfo(reported),
                e.to_string(),
            ),
        })?;
        crate::address::drop_userinfo(&mut url);
        Ok(url)
    }

    /// The transport settings this camera was connected with.
    pub fn config(&self) -> &Config {
        self.inner.http.config()
    }

    /// The raw bytes of the last answer received (for `dump`).
    pub fn last_response(&self) -> Option<Vec<u8>> {
        lock(&self.inner.last_response).clone()
    }

    /// Call an operation on the service it belongs to.
    pub async fn call<O: Operation>(&self, op: &O) -> Result<O::Response, Error> {
        let url = self.endpoint(O::SERVICE).await?;
        self.call_at(&url, op).await
    }

    /// Call an operation at a given address (event subscriptions live at their own).
    pub async fn call_at<O: Operation>(&self, url: &Url, op: &O) -> Result<O::Response, Error> {
        self.with_retries(O::IDEMPOTENT, true, || self.exchange::<O>(url, op, true))
            .await
    }

    /// Call an operation at a given address with extra SOAP header blocks (`extra_header_xml`,
    /// well-formed XML whose prefixes are declared in it or on the envelope: `wsa:To`,
    /// `wsa:Action`, reference parameters) and, optionally, a request timeout of its own.
    pub async fn call_at_with<O: Operation>(
        &self,
        url: &Url,
        op: &O,
        opts: &CallOptions,
    ) -> Result<O::Response, Error> {
        self.with_retries(O::IDEMPOTENT, !opts.no_clock_resync, || async {
            let env = self
                .send_envelope_with(url, O::ACTION, &op.body(), true, opts)
                .await?;
            self.typed_answer::<O>(url, &env)
        })
        .await
    }

    /// The typed answer of `O` in an envelope from `url`.
    fn typed_answer<O: Operation>(&self, url: &Url, env: &Envelope) -> Result<O::Response, Error> {
        let payload = env
            .payload()
            .map_err(|e| self.soap_error(url, O::NAME, e))?;
        O::Response::read(payload).map_err(|source| Error::Protocol {
            url: url.to_string(),
            source,
        })
    }

    /// [`Camera::call_at_with`] with extra header blocks only.
    pub async fn call_at_with_headers<O: Operation>(
        &self,
        url: &Url,
        op: &O,
        extra_header_xml: &str,
    ) -> Result<O::Response, Error> {
        let opts = CallOptions {
            extra_header_xml: extra_header_xml.to_owned(),
            ..CallOptions::default()
        };
        self.call_at_with(url, op, &opts).await
    }

    /// Run one attempt; on an authentication failure measure the clock again and retry once
    /// (a refused request did nothing, so this is safe for any operation); on a transport
    /// failure retry idempotent requests, a bounded number of times.
    async fn with_retries<T, F, Fut>(
        &self,
        idempotent: bool,
        resync: bool,
        attempt: F,
    ) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let mut resynced = !resync;
        let mut retries = if idempotent { self.config().retries } else { 0 };
        loop {
            match attempt().await {
                // A WS-Security failure is most often a wrong clock: measure again, once, and
                // retry only when the clock turns out to have moved. A wrong password is not
                // sent twice: cameras lock accounts after a few failed logins.
                Err(
                    e @ Error::Auth {
                        clock_may_help: true,
                        ..
                    },
                ) if !resynced && self.inner.creds.is_some() => {
                    resynced = true;
                    let before = self.clock_offset();
                    let mut measured = self.measure_clock_with(false).await;
                    let gone = measured.as_ref().is_err_and(Error::nothing_there);
                    if gone && self.inner.device_paths.len() > 1 {
                        // The device service itself moved (a firmware update): find it, and
                        // measure the clock there.
                        let was = self.device_url();
                        if self.find_device_service().await != was {
                            measured = self.measure_clock_with(false).await;
                        }
                    }
                    match measured {
                        // Nothing says the clock moved: the credentials are not sent again.
                        Err(m) if !m.is_auth() => {
                            tracing::debug!(
                                error = %m,
                                "authentication refused; the clock could not be re-measured, \
                                 not retrying"
                            );
                            return Err(e);
                        }
                        // Measured, or estimated from the Date header of a camera that wants
                        // credentials for its clock too (Axis).
                        _ => {
                            let after = self.clock_offset();
                            let moved = match (before, after) {
                                (Some(b), Some(a)) => (a - b).abs() >= CLOCK_MOVED,
                                (None, Some(_)) => true,
                                (_, None) => false,
                            };
                            if !moved {
                                tracing::debug!(
                                    ?before,
                                    ?after,
                                    "authentication refused; the clock has not moved, not retrying"
                                );
                                return Err(e);
                            }
                            tracing::debug!(
                                ?before,
                                ?after,
                                "authentication refused; clock re-measured, retrying once"
                            );
                        }
                    }
                }
                Err(e) if retries > 0 && e.is_transient() => {
                    retries -= 1;
                    tracing::debug!(error = %e, "transport failure on an idempotent request; sending again");
                }
                other => return other,
            }
        }
    }

    /// One request and its typed answer, with or without credentials.
    pub(crate) async fn exchange<O: Operation>(
        &self,
        url: &Url,
        op: &O,
        authenticate: bool,
    ) -> Result<O::Response, Error> {
        let env = self
            .send_envelope(url, O::ACTION, &op.body(), authenticate)
            .await?;
        self.typed_answer::<O>(url, &env)
    }

    /// Send any body (already XML) to a URL with an action, and get the parsed envelope
    /// (a Fault is returned as an error). For `raw` and for operations not typed yet.
    pub async fn call_raw(&self, url: &Url, action: &str, body: &str) -> Result<Envelope, Error> {
        self.with_retries(false, true, || async {
            let env = self.send_envelope(url, action, body, true).await?;
            if let Some(f) = env.fault() {
                return Err(self.soap_error(url, operation_of(body), f.into()));
            }
            Ok(env)
        })
        .await
    }

    async fn send_envelope(
        &self,
        url: &Url,
        action: &str,
        body: &str,
        authenticate: bool,
    ) -> Result<Envelope, Error> {
        self.send_envelope_with(url, action, body, authenticate, &CallOptions::default())
            .await
    }

    async fn send_envelope_with(
        &self,
        url: &Url,
        action: &str,
        body: &str,
        authenticate: bool,
        opts: &CallOptions,
    ) -> Result<Envelope, Error> {
        let operation = operation_of(body);
        let creds = self.inner.creds.as_ref().filter(|_| authenticate);
        let scheme = self.config().auth;
        let wsse = creds.filter(|_| scheme != AuthScheme::Http);
        let http = creds.filter(|_| scheme != AuthScheme::WsUsernameToken);
        // Each HTTP attempt (a Digest challenge means a second one) gets a fresh token, so a
        // camera that checks WS-Security before HTTP auth never sees a nonce twice.
        let build = || {
            let token = wsse.map(|c| {
                UsernameToken::digest_now(&c.user, c.password.expose(), self.camera_now())
            });
            let mut header = token.as_ref().map(UsernameToken::to_header);
            if !opts.extra_header_xml.is_empty() {
                header
                    .get_or_insert_with(String::new)
                    .push_str(&opts.extra_header_xml);
            }
            let xml = soap::envelope(header.as_deref(), body);
            // What a trace or a recording must not show: the digest and the nonce.
            let mut secrets: Vec<String> = token
                .map(|t| [Some(t.password), t.nonce])
                .into_iter()
                .flatten()
                .flatten()
                .collect();
            for s in &opts.secrets {
                secrets.push(onvif_proto::xml::escape(s).into_owned());
                secrets.push(s.clone());
            }
            (xml, secrets)
        };
        let resp = self
            .inner
            .http
            .post_soap_timeout(url, action, &build, http, opts.timeout)
            .await?;
        self.interpret(url, operation, resp, creds.is_some())
    }

    fn interpret(
        &self,
        url: &Url,
        operation: &str,
        resp: Response,
        had_creds: bool,
    ) -> Result<Envelope, Error> {
        if let Some(date) = resp
            .headers
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| jiff::fmt::rfc2822::parse(v).ok())
        {
            *lock(&self.inner.last_date) = Some((Instant::now(), date.timestamp()));
        }
        if self.config().keep_last_response {
            // Kept for showing (the shell's `dump`): without passwords a GetUsers may carry.
            let kept = match std::str::from_utf8(&resp.body) {
                Ok(t) => onvif_proto::text::redact_password_elements(t)
                    .into_owned()
                    .into_bytes(),
                Err(_) => resp.body.clone(),
            };
            *lock(&self.inner.last_response) = Some(kept);
        }
        let u = url.to_string();
        if resp.status == StatusCode::UNAUTHORIZED {
            // With HTTP authentication only, credentials go out in answer to a challenge: a
            // 401 without one refused no password, it asked for something else.
            let challenged = resp.headers.contains_key(http::header::WWW_AUTHENTICATE);
            let sent_token = had_creds && self.config().auth != AuthScheme::Http;
            return Err(Error::Auth {
                clock_may_help: !resp.challenge_answered,
                url: u,
                detail: if !had_creds {
                    "HTTP 401: the camera requires credentials (a user name and password)".into()
                } else if !challenged && !sent_token && !resp.challenge_answered {
                    "HTTP 401 without an HTTP authentication challenge, so no password was \
                     sent: the camera may want WS-Security (UsernameToken) credentials instead"
                        .into()
                } else {
                    "HTTP 401: the camera refused the user name or password".into()
                },
            });
        }
        if resp.status.is_redirection() {
            return Err(Error::Http {
                url: u,
                status: resp.status.as_u16(),
                detail: redirect_detail(&resp.headers),
            });
        }
        let content_type = resp
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        // MTOM (GetSystemLog, GetSystemBackup...): the envelope is the root part.
        let multipart = match onvif_proto::mime::split(&resp.body, content_type) {
            Ok(m) => m,
            Err(source) => {
                return Err(Error::Protocol { url: u, source });
            }
        };
        let body = match &multipart {
            Some(m) => m.root.body,
            None => &resp.body,
        };
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let looks_xml = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
        if !looks_xml {
            if !resp.status.is_success() {
                return Err(Error::Http {
                    url: u,
                    status: resp.status.as_u16(),
                    detail: snippet(&resp.body),
                });
            }
            return Err(Error::Protocol {
                url: u,
                source: onvif_proto::Error::NotSoap(if resp.body.is_empty() {
                    "the answer is empty".into()
                } else {
                    format!("the answer is not XML: {}", snippet(&resp.body))
                }),
            });
        }
        match Envelope::parse(body) {
            Ok(mut env) => {
                if let Some(m) = &multipart {
                    env.attachments = m
                        .others
                        .iter()
                        .map(|p| (p.content_id().map(str::to_owned), p.body.to_vec()))
                        .collect();
                    for a in m.attachments(&env.body) {
                        tracing::debug!(
                            url = %u,
                            content_id = a.content_id.as_deref().unwrap_or("-"),
                            content_type = a.content_type.as_deref().unwrap_or("-"),
                            size = a.size,
                            referenced_by = a.referenced_by.as_deref().unwrap_or("-"),
                            "the answer carries an attachment"
                        );
                    }
                }
                if let Some(f) = env.fault() {
                    return Err(self.soap_error(url, operation, f.into()));
                }
                if let Some(payload) = env.body.first_child() {
                    use onvif_proto::decode::{Mistake, camera_mistakes};
                    for m in camera_mistakes(payload) {
                        match m {
                            // A value is lost: say so plainly.
                            Mistake::Placeholder(_) => tracing::warn!(url = %u, "{m}"),
                            Mistake::UndeclaredPrefixes(_) => tracing::debug!(url = %u, "{m}"),
                        }
                    }
                }
                if !resp.status.is_success() {
                    return Err(Error::Http {
                        url: u,
                        status: resp.status.as_u16(),
                        detail: "with a SOAP answer that is not a fault".into(),
                    });
                }
                Ok(env)
            }
            Err(_) if !resp.status.is_success() => Err(Error::Http {
                url: u,
                status: resp.status.as_u16(),
                detail: snippet(&resp.body),
            }),
            Err(source) => Err(Error::Protocol { url: u, source }),
        }
    }

    fn soap_error(&self, url: &Url, operation: &str, e: onvif_proto::Error) -> Error {
        match e {
            onvif_proto::Error::Fault(f) if f.is_not_authorized() => Error::Auth {
                clock_may_help: true,
                url: url.to_string(),
                detail: format!(
                    "{f}{}",
                    if self.inner.creds.is_none() {
                        " (no credentials were given)"
                    } else if f.to_string().to_ascii_lowercase().contains("locked") {
                        // Cameras that lock an account say so in the reason; another try
                        // may extend the lock.
                        " (wait until the camera unlocks the account before trying again)"
                    } else {
                        // Cameras refuse an account without the rights with the same fault.
                        " (a wrong user name or password, or an account not allowed to do this)"
                    }
                ),
            },
            onvif_proto::Error::Fault(fault) => Error::Fault {
                url: url.to_string(),
                operation: operation.to_owned(),
                fault,
            },
            source => Error::Protocol {
                url: url.to_string(),
                source,
            },
        }
    }
}

fn seconds<S: serde::Serializer>(d: &SignedDuration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

fn seconds_opt<S: serde::Serializer>(d: &Option<SignedDuration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_f64(d.as_secs_f64()),
        None => s.serialize_none(),
    }
}

/// The operation a request body asks: its first element's local name (`<tptz:RemovePreset>`
/// is `RemovePreset`); empty when it has none.
fn operation_of(body: &str) -> &str {
    let Some(start) = body.trim_start().strip_prefix('<') else {
        return "";
    };
    let name = start
        .split(|c: char| c.is_whitespace() || matches!(c, '>' | '/'))
        .next()
        .unwrap_or_default();
    name.rsplit(':').next().unwrap_or_default()
}

/// The start of a body, for error messages: one line, at most 120 characters.
/// What a redirect said: where it pointed (user-info hidden, cut), and that it was not followed.
fn redirect_detail(headers: &http::header::HeaderMap) -> String {
    let location = headers
        .get(http::header::LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let to = match location {
        Some(l) if !l.trim().is_empty() => format!(
            "a redirect to {}",
            onvif_proto::text::cut(
                &address::redact_userinfo(l.trim()),
                onvif_proto::text::ERROR_TEXT_LIMIT
            )
        ),
        _ => "a redirect without a Location".to_owned(),
    };
    format!(
        "{to}; SOAP requests do not follow redirects (a POST would lose its body or be \
         replayed), so use the address it points to if you trust it"
    )
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(400)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s: String = one_line.chars().take(120).collect();
    if one_line.chars().count() > 120 {
        s.push('…');
    }
    s
}

/// Check that an answer with this shape can be read: used by `decode` in the CLI to share the
/// code path of a live answer.
pub fn read_saved<M: Message>(bytes: &[u8]) -> Result<M, onvif_proto::Error> {
    let env = Envelope::parse(bytes)?;
    M::read(env.payload()?)
}
