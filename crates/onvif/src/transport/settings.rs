//! What a camera's HTTP side is set up with: credentials (a password that never prints),
//! timeouts, limits, TLS choices, quirks, and where traces and recordings go.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A password that never shows itself in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a password.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The password itself, for computing digests. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// A user name and its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    /// The password.
    pub password: Secret,
}

impl Credentials {
    /// Credentials from a user name and a password.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            user: user.into(),
            password: Secret::new(password),
        }
    }
}

/// Transport settings.
#[derive(Clone)]
pub struct Config {
    /// How long to wait for a TCP (and TLS) connection (default 5 s).
    pub connect_timeout: Duration,
    /// From the start of a request to the end of its answer (default 10 s; a long poll
    /// waits its own time on top).
    pub request_timeout: Duration,
    /// The largest answer read, in bytes; past it the exchange fails (default 8 MiB).
    pub max_response_bytes: usize,
    /// Accept any TLS certificate (self-signed cameras). Off by default.
    pub danger_accept_invalid_certs: bool,
    /// Accept exactly the certificate with this SHA-256 (hex, colons allowed), whoever
    /// signed it: a camera trusted on first use (`onvif trust`).
    pub cert_sha256: Option<String>,
    /// Answer an HTTP Basic challenge over plain HTTP (Basic is always allowed over TLS).
    /// Off by default.
    pub allow_basic_over_http: bool,
    /// Keep the camera's own host in the service addresses it reports (when usable). Off by
    /// default: the host the camera was reached at is used.
    pub keep_camera_host: bool,
    /// How many times an idempotent request is sent again after a transport failure
    /// (default 1).
    pub retries: u32,
    /// Called with every exchange, secrets redacted (`--trace`). None by default.
    pub trace: Option<TraceSink>,
    /// Which ways of proving the credentials are used (both by default).
    pub auth: AuthScheme,
    /// What this camera needs beyond the standard (`doctor --write-profile` finds it); every
    /// event session with it applies it.
    pub quirks: CameraQuirks,
    /// Called with every exchange, secrets redacted, as it ends: what a recording
    /// (`--capture`) keeps.
    pub recorder: Option<Recorder>,
    /// Keep a copy of the last answer for [`Camera::last_response`](crate::Camera::last_response)
    /// (on by default; a program following many cameras turns it off to save the memory).
    pub keep_last_response: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            max_response_bytes: 8 * 1024 * 1024,
            danger_accept_invalid_certs: false,
            cert_sha256: None,
            allow_basic_over_http: false,
            keep_camera_host: false,
            retries: 1,
            trace: None,
            auth: AuthScheme::Any,
            quirks: CameraQuirks::default(),
            recorder: None,
            keep_last_response: true,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .field("cert_sha256", &self.cert_sha256)
            .field("allow_basic_over_http", &self.allow_basic_over_http)
            .field("keep_camera_host", &self.keep_camera_host)
            .field("retries", &self.retries)
            .field("trace", &self.trace.is_some())
            .field("auth", &self.auth)
            .field("quirks", &self.quirks)
            .field("recorder", &self.recorder.is_some())
            .field("keep_last_response", &self.keep_last_response)
            .finish()
    }
}

/// Receives a text rendering of each HTTP request and response, with secrets redacted.
pub type TraceSink = Arc<dyn Fn(&str) + Send + Sync>;

/// A camera's departures from the standard that a client must know in advance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CameraQuirks {
    /// It ignores relative termination times: subscriptions ask absolute ones from the start.
    pub absolute_times: bool,
    /// Its Unsubscribe cancels more than the subscription named (or fails): subscriptions are
    /// left to expire.
    pub no_unsubscribe: bool,
    /// It cuts long polls: PullMessages asks at most this long.
    pub max_pull: Option<Duration>,
}

/// How SOAP requests prove the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthScheme {
    /// WS-UsernameToken in every request, and HTTP Digest (or Basic, where allowed) when the
    /// camera asks for it: what works with most cameras.
    #[default]
    Any,
    /// WS-UsernameToken only; an HTTP challenge is a refusal.
    WsUsernameToken,
    /// HTTP authentication only (Digest, or Basic where allowed); no WS-Security header, for
    /// cameras that refuse a request carrying one they do not check.
    Http,
}

/// Receives each HTTP exchange as it ends, secrets redacted.
pub type Recorder = Arc<dyn Fn(Exchange) + Send + Sync>;

/// One HTTP exchange, as a recording keeps it. Redacted before anyone sees it: the
/// Authorization header's proof, the WS-Security digest and nonce, and user-info in URLs
/// (the request's and those in the answer).
#[derive(Debug, Clone)]
pub struct Exchange {
    /// When the request started.
    pub started: jiff::Timestamp,
    /// From then to the end of the answer (or the failure).
    pub elapsed: Duration,
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The URL.
    pub url: String,
    /// The request's headers that matter (Content-Type, Authorization redacted).
    pub request_headers: Vec<(String, String)>,
    /// The request's body.
    pub request_body: String,
    /// The answer's status; `None` when no answer came.
    pub status: Option<u16>,
    /// The answer's headers.
    pub response_headers: Vec<(String, String)>,
    /// The answer's body.
    pub response_body: Vec<u8>,
    /// Why no answer came.
    pub error: Option<String>,
}
