//! One HTTP exchange: POST a SOAP envelope, answer a Digest (or allowed Basic) challenge,
//! read a capped body. Nothing here knows about operations.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LOCATION, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION,
    USER_AGENT, WWW_AUTHENTICATE,
};
use http::{Method, Request, StatusCode};
use http_auth::{PasswordClient, PasswordParams};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use url::Url;

use crate::error::Error;
use crate::util::lock;

mod plain;
mod redact;
mod settings;

pub use redact::redact_authorization;
use redact::{redacted, shown};
pub use settings::{
    AuthScheme, CameraQuirks, Config, Credentials, Exchange, Recorder, Secret, TraceSink,
};

/// An answer: status, headers and the (capped) body.
#[derive(Debug)]
pub struct Response {
    /// A 401 that answered our answer to a challenge: the credentials themselves were refused.
    pub challenge_answered: bool,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body (an answer over `max_response_bytes` is an error instead).
    pub body: Vec<u8>,
}

/// The HTTP side of a camera: a pooled client (keep-alive) and the Digest state.
pub struct Http {
    client: Client,
    /// This camera's answers have heads larger than [`READ_BUF`]: read with hyper's default.
    large_heads: std::sync::atomic::AtomicBool,
    config: Config,
    /// The Digest (or Basic) responder from the last challenge, reused so that later requests
    /// authenticate at once instead of after a 401.
    challenge: Mutex<Option<PasswordClient>>,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("config", &self.config)
            .finish()
    }
}

/// The HTTP/1.1 client (hyper's, over rustls with the ring provider).
type Client = hyper_util::client::legacy::Client<Connector, Full<Bytes>>;

/// How much a connection reads at a time, and so about the room its read buffer keeps: a
/// body larger than this is read in several pieces (a pull with an event or two fits). hyper's
/// own default starts at 8 KiB and grows after large answers, and each camera keeps its
/// connection (a long poll waits on it): at a thousand cameras that was 11 MiB of buffers
/// (BENCHMARKS.md). It also bounds an answer's head (status line and headers): a camera whose
/// heads are larger is read with hyper's default from then on (`Http::large_heads`).
const READ_BUF: usize = 4096;

/// TCP (and TLS) connection set-up, as a whole within the connect timeout.
#[derive(Clone)]
struct Connector {
    inner: hyper_rustls::HttpsConnector<HttpConnector>,
    timeout: Duration,
}

impl tower_service::Service<http::Uri> for Connector {
    type Response = <hyper_rustls::HttpsConnector<HttpConnector> as tower_service::Service<
        http::Uri,
    >>::Response;
    type Error = Box<dyn std::error::Error + Send + Sync>;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(r) => r,
                Err(_) => Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "connecting (TCP and TLS) took too long",
                )
                .into()),
            }
        })
    }
}

/// The client for these settings, shared by every camera that uses the same ones: each holds
/// its TLS settings, which a bridge following a thousand cameras would otherwise hold a
/// thousand times. Connection pools are per host, so sharing one changes nothing else.
/// `large_heads`: hyper's own read strategy, for cameras whose heads outgrow [`READ_BUF`].
fn shared_client(config: &Config, large_heads: bool) -> Result<Client, Error> {
    type Key = (Duration, bool, Option<[u8; 32]>, bool);
    /// Past this many distinct settings, clients are no longer kept.
    const KEEP: usize = 16;
    static CLIENTS: Mutex<Vec<(Key, Client)>> = Mutex::new(Vec::new());
    let pin = match &config.cert_sha256 {
        Some(s) => Some(crate::tls::parse_sha256(s).map_err(Error::Usage)?),
        None => None,
    };
    let key = (
        config.connect_timeout,
        config.danger_accept_invalid_certs,
        pin,
        large_heads,
    );
    let mut clients = lock(&CLIENTS);
    if let Some((_, c)) = clients.iter().find(|(k, _)| *k == key) {
        return Ok(c.clone());
    }
    let tls = match pin {
        Some(pin) => crate::tls::pinned_config(pin)?,
        None if config.danger_accept_invalid_certs => crate::tls::insecure_config()?,
        None => crate::tls::system_config()?,
    };
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    // A long poll is silent on the wire: probes keep NAT and firewall state alive, and find a
    // camera that vanished before the request's own timeout does.
    tcp.set_keepalive(Some(Duration::from_secs(15)));
    tcp.set_keepalive_interval(Some(Duration::from_secs(15)));
    tcp.set_keepalive_retries(Some(3));
    let connector = Connector {
        inner: hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp),
        timeout: config.connect_timeout,
    };
    let mut builder =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new());
    builder
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_timer(hyper_util::rt::TokioTimer::new());
    if !large_heads {
        builder.http1_read_buf_exact_size(READ_BUF);
    }
    let client = builder.build(connector);
    if clients.len() < KEEP {
        clients.push((key, client.clone()));
    }
    Ok(client)
}

/// Whether a cause of `e` (itself included) is a `T` that `is` says yes to.
fn caused_by<T: std::error::Error + 'static>(
    e: &(dyn std::error::Error + 'static),
    is: impl Fn(&T) -> bool,
) -> bool {
    let mut cur = Some(e);
    while let Some(c) = cur {
        if c.downcast_ref::<T>().is_some_and(&is) {
            return true;
        }
        cur = c.source();
    }
    false
}

/// A request for `url` (its user-info left out: credentials go in headers only).
fn request(method: Method, url: &Url) -> Result<http::request::Builder, Error> {
    let bare;
    let u = if url.username().is_empty() && url.password().is_none() {
        url
    } else {
        let mut u = url.clone();
        crate::address::drop_userinfo(&mut u);
        bare = u;
        &bare
    };
    let uri: http::Uri = u
        .as_str()
        .parse()
        .map_err(|e| Error::Usage(format!("{}: not an address HTTP can use: {e}", shown(url))))?;
    Ok(Request::builder()
        .method(method)
        .uri(uri)
        .header(USER_AGENT, concat!("onvif-rs/", env!("CARGO_PKG_VERSION")))
        .header(ACCEPT, "*/*"))
}

impl Http {
    /// A client with these settings; an error only when the HTTP client cannot be built.
    pub fn new(config: Config) -> Result<Self, Error> {
        let client = shared_client(&config, false)?;
        Ok(Http {
            client,
            large_heads: std::sync::atomic::AtomicBool::new(false),
            config,
            challenge: Mutex::new(None),
        })
    }

    /// The transport settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// POST a SOAP envelope made by `build` (which also returns the strings to hide from the
    /// trace). With credentials, a Digest challenge is answered once, and a stale nonce once
    /// more; `build` is called for every attempt so each carries a fresh WS-Security nonce.
    pub async fn post_soap(
        &self,
        url: &Url,
        action: &str,
        build: &(dyn Fn() -> (String, Vec<String>) + Send + Sync),
        creds: Option<&Credentials>,
    ) -> Result<Response, Error> {
        self.post_soap_timeout(url, action, build, creds, None)
            .await
    }

    /// [`Http::post_soap`] with a request timeout of its own (a long poll waits longer than
    /// the configured one).
    pub async fn post_soap_timeout(
        &self,
        url: &Url,
        action: &str,
        build: &(dyn Fn() -> (String, Vec<String>) + Send + Sync),
        creds: Option<&Credentials>,
        timeout: Option<Duration>,
    ) -> Result<Response, Error> {
        let content_type = format!("application/soap+xml; charset=utf-8; action=\"{action}\"");
        let mut answered_challenge = false;
        let mut stale_retried = false;
        loop {
            let auth = match creds {
                Some(c) => self.authorization(url, c)?,
                None => None,
            };
            let (body, redact) = build();
            let redact: Vec<&str> = redact.iter().map(String::as_str).collect();
            let resp = self
                .send_once(url, &content_type, body, auth.as_deref(), &redact, timeout)
                .await?;
            if resp.status != StatusCode::UNAUTHORIZED {
                return Ok(resp);
            }
            let Some(c) = creds else {
                return Ok(resp);
            };
            // A fresh challenge: take it and try once more, unless we just answered one (then
            // the credentials are wrong, unless the server says our nonce was merely stale,
            // which is believed once).
            if answered_challenge {
                if stale_retried || !challenge_is_stale(&resp.headers) {
                    return Ok(Response {
                        challenge_answered: true,
                        ..resp
                    });
                }
                stale_retried = true;
            }
            if !self.take_challenge(url, &resp.headers, c)? {
                return Ok(resp);
            }
            answered_challenge = true;
        }
    }

    fn authorization(&self, url: &Url, c: &Credentials) -> Result<Option<String>, Error> {
        self.authorization_for("POST", url, c)
    }

    fn authorization_for(
        &self,
        method: &str,
        url: &Url,
        c: &Credentials,
    ) -> Result<Option<String>, Error> {
        let mut guard = lock(&self.challenge);
        let Some(client) = guard.as_mut() else {
            return Ok(None);
        };
        let uri = request_uri(url);
        client
            .respond(&PasswordParams {
                username: &c.user,
                password: c.password.expose(),
                uri: &uri,
                method,
                body: None,
            })
            .map(Some)
            .map_err(|e| Error::Auth {
                clock_may_help: false,
                url: shown(url),
                detail: format!("cannot answer the camera's challenge: {e}"),
            })
    }

    /// Remember the challenge of a 401. Returns false when there is nothing we may answer.
    fn take_challenge(
        &self,
        url: &Url,
        headers: &HeaderMap,
        _c: &Credentials,
    ) -> Result<bool, Error> {
        match self.responder_for(url, headers)? {
            Some(client) => {
                *lock(&self.challenge) = Some(client);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// A responder for the challenges of a 401 (Digest preferred, Basic only over TLS or when
    /// allowed); `None` when the 401 carries no challenge.
    fn responder_for(
        &self,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<Option<PasswordClient>, Error> {
        let mut builder = PasswordClient::builder();
        let mut any = false;
        for v in headers.get_all(WWW_AUTHENTICATE) {
            if let Ok(s) = v.to_str() {
                builder = builder.challenges(s);
                any = true;
            }
        }
        if !any {
            return Ok(None);
        }
        let client = builder.build().map_err(|e| Error::Auth {
            clock_may_help: false,
            url: shown(url),
            detail: format!("the camera's authentication challenge is not usable: {e}"),
        })?;
        if let PasswordClient::Basic(_) = client
            && url.scheme() != "https"
            && !self.config.allow_basic_over_http
        {
            return Err(Error::Auth {
                clock_may_help: false,
                url: shown(url),
                detail: "the camera offers only HTTP Basic over plain HTTP, which would send the \
                         password in clear; allow it explicitly (--allow-basic) or use https"
                    .into(),
            });
        }
        Ok(Some(client))
    }

    async fn send_once(
        &self,
        url: &Url,
        content_type: &str,
        body: String,
        auth: Option<&str>,
        redact: &[&str],
        timeout: Option<Duration>,
    ) -> Result<Response, Error> {
        if self.config.trace.is_some() {
            self.trace_request("POST", url, Some(content_type), auth, &body, redact);
        }
        let recorded = self.config.recorder.as_ref().map(|_| {
            let mut headers = vec![("Content-Type".to_owned(), content_type.to_owned())];
            if let Some(a) = auth {
                headers.push(("Authorization".to_owned(), redact_authorization(a)));
            }
            (
                jiff::Timestamp::now(),
                std::time::Instant::now(),
                headers,
                redacted(&body, redact),
            )
        });
        let mut req = request(Method::POST, url)?.header(CONTENT_TYPE, content_type);
        if let Some(a) = auth
            && let Ok(v) = HeaderValue::from_str(a)
        {
            req = req.header(AUTHORIZATION, v);
        }
        let result = match req.body(Full::new(Bytes::from(body))) {
            Ok(req) => self.finish(url, req, timeout).await,
            Err(e) => Err(Error::Usage(format!("cannot make the request: {e}"))),
        };
        if let Some((started, at, headers, body)) = recorded {
            self.record("POST", url, started, at, headers, body, &result);
        }
        result
    }

    /// Give the recorder an exchange that ended with `result`.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        method: &'static str,
        url: &Url,
        started: jiff::Timestamp,
        at: std::time::Instant,
        request_headers: Vec<(String, String)>,
        request_body: String,
        result: &Result<Response, Error>,
    ) {
        let Some(recorder) = &self.config.recorder else {
            return;
        };
        let mut x = Exchange {
            started,
            elapsed: at.elapsed(),
            method,
            url: shown(url),
            request_headers,
            request_body: crate::address::redact_userinfo_in_text(&request_body).into_owned(),
            status: None,
            response_headers: Vec::new(),
            response_body: Vec::new(),
            error: None,
        };
        match result {
            Ok(r) => {
                x.status = Some(r.status.as_u16());
                x.response_headers = r
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        let v = v.to_str().unwrap_or("");
                        // A redirect's target may carry credentials, as the request's did.
                        let v = if k == LOCATION || k == CONTENT_LOCATION {
                            crate::address::redact_userinfo(v)
                        } else {
                            v.to_owned()
                        };
                        (k.as_str().to_owned(), v)
                    })
                    .collect();
                // A camera's answers carry URIs with its own user-info (stream URIs), and
                // some GetUsers answers the accounts' passwords.
                let fix = |t: &str| {
                    crate::address::redact_userinfo_in_text(
                        &onvif_proto::text::redact_password_elements(t),
                    )
                    .into_owned()
                };
                x.response_body = match std::str::from_utf8(&r.body) {
                    Ok(t) => fix(t).into_bytes(),
                    // Not UTF-8 (a Latin-1 answer, MTOM with a binary part): redacted all the
                    // same when it is XML or MTOM; a picture is left as it is.
                    Err(_) => {
                        let mime = r
                            .headers
                            .get(CONTENT_TYPE)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        if onvif_proto::text::is_markup_type(mime) {
                            onvif_proto::text::redact_bytes(&r.body, fix)
                        } else {
                            r.body.clone()
                        }
                    }
                };
            }
            Err(e) => x.error = Some(e.to_string()),
        }
        recorder(x);
    }

    /// Send `req` and read its answer whole, within `timeout` (the configured request timeout
    /// when `None`), from the start of the connection to the end of the body.
    async fn finish(
        &self,
        url: &Url,
        req: Request<Full<Bytes>>,
        timeout: Option<Duration>,
    ) -> Result<Response, Error> {
        let after = timeout.unwrap_or(self.config.request_timeout);
        match tokio::time::timeout(after, self.exchange(url, req)).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                url: shown(url),
                after,
                connecting: false,
            }),
        }
    }

    async fn exchange(&self, url: &Url, req: Request<Full<Bytes>>) -> Result<Response, Error> {
        use std::sync::atomic::Ordering;
        let large = self.large_heads.load(Ordering::Relaxed);
        let roomy;
        let client = if large {
            roomy = shared_client(&self.config, true)?;
            &roomy
        } else {
            &self.client
        };
        let resp = client.request(req).await.map_err(|e| {
            if !large && caused_by(&e, hyper::Error::is_parse_too_large) {
                // Sent again (when it may be) by the caller's retry, then read with room.
                self.large_heads.store(true, Ordering::Relaxed);
                return Error::Network {
                    url: shown(url),
                    detail: format!(
                        "the camera's answer has a head (status line and headers) over {READ_BUF} \
                         bytes; it is read with more room from now on"
                    ),
                };
            }
            self.map_err(url, &e, e.is_connect())
        })?;
        let (parts, mut incoming) = resp.into_parts();
        let status = parts.status;
        let headers = parts.headers;
        let limit = self.config.max_response_bytes;
        let too_large = || Error::TooLarge {
            url: shown(url),
            limit,
        };
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(frame) = incoming.frame().await {
            let frame = frame.map_err(|e| self.map_err(url, &e, false))?;
            if let Ok(chunk) = frame.into_data() {
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
        }
        if let Some(trace) = &self.config.trace {
            let mut t = format!("<<< HTTP {status}\n");
            for (k, v) in &headers {
                t.push_str(&format!("{k}: {}\n", v.to_str().unwrap_or("<binary>")));
            }
            t.push('\n');
            t.push_str(&onvif_proto::text::redact_password_elements(
                &String::from_utf8_lossy(&body),
            ));
            // A camera's answers carry URIs with its own user-info (stream URIs, Location).
            trace(&crate::address::redact_userinfo_in_text(&t));
        }
        Ok(Response {
            challenge_answered: false,
            status,
            headers,
            body,
        })
    }

    fn trace_request(
        &self,
        method: &str,
        url: &Url,
        content_type: Option<&str>,
        auth: Option<&str>,
        body: &str,
        redact: &[&str],
    ) {
        let Some(trace) = &self.config.trace else {
            return;
        };
        let mut t = format!(">>> {method} {url}\n");
        if let Some(ct) = content_type {
            t.push_str(&format!("content-type: {ct}\n"));
        }
        if let Some(a) = auth {
            t.push_str(&format!("authorization: {}\n", redact_authorization(a)));
        }
        t.push('\n');
        t.push_str(&redacted(body, redact));
        // Addresses a camera reported (and that we now call) may hold user-info too.
        trace(&crate::address::redact_userinfo_in_text(&t));
    }

    fn map_err(&self, url: &Url, e: &(dyn std::error::Error + 'static), connecting: bool) -> Error {
        let u = shown(url);
        // The connector's connect timeout.
        if connecting
            && caused_by(e, |io: &std::io::Error| {
                io.kind() == std::io::ErrorKind::TimedOut
            })
        {
            return Error::Timeout {
                url: u,
                after: self.config.connect_timeout,
                connecting: true,
            };
        }
        let mut detail = error_chain(e);
        if detail.contains("invalid peer certificate") {
            detail.push_str(
                " (a camera with a certificate of its own making: `onvif trust` shows it and \
                 pins it; --insecure skips the check)",
            );
        } else if url.scheme() == "http" && caused_by(e, hyper::Error::is_parse) {
            // A TLS record is no HTTP status line.
            detail.push_str(" (does this port speak HTTPS? then give the address as https://…)");
        } else if url.scheme() == "https" && detail.contains("corrupt message") {
            // An HTTP status line is no TLS record.
            detail
                .push_str(" (does this port speak plain HTTP? then give the address as http://…)");
        }
        if connecting {
            Error::Connect { url: u, detail }
        } else {
            Error::Network { url: u, detail }
        }
    }
}

/// The request-target for Digest: path and query.
fn request_uri(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

fn challenge_is_stale(headers: &HeaderMap) -> bool {
    headers.get_all(WWW_AUTHENTICATE).iter().any(|v| {
        v.to_str()
            .map(|s| {
                s.to_ascii_lowercase()
                    .replace(' ', "")
                    .contains("stale=true")
                    || s.to_ascii_lowercase().contains("stale=\"true\"")
            })
            .unwrap_or(false)
    })
}

/// The error and its causes, joined (hyper keeps the useful part in the source chain).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_debug_print() {
        let c = Credentials::new("admin", "hunter2");
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
