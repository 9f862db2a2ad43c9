//! The doctor's probes: a read-only diagnosis of one camera, used by `doctor` (which reports
//! it) and `capture` (which records it). Each check is a line, ok / warning / problem, with
//! one line of advice where there is something to do. Nothing is set, moved or rebooted;
//! one event subscription is made, and unsubscribed (or left to expire when the camera
//! refuses that).

use std::time::{Duration, Instant};

use onvif::proto::Service;
use onvif::proto::ops::events::{
    CreatePullPointSubscription, KindTable, PullMessages, Renew, SetSynchronizationPoint,
    TerminationTime, Unsubscribe,
};
use onvif::proto::ops::media::profile::VideoEncoding;
use onvif::{AuthScheme, CallOptions, Camera, Config, Error, Recorder};
use serde::Serialize;

use crate::args::Global;
use crate::connection::{Target, client_config};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// As it should be.
    Ok,
    /// Works, but differs from the standard or from what other clients expect.
    Warning,
    /// Does not work.
    Problem,
    /// Not checked (no credentials, no such service).
    Skipped,
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `connection`, `clock`, `auth`, `addresses`, `media`, `ptz`, `events`.
    pub area: &'static str,
    /// What was checked.
    pub check: String,
    /// How it came out.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about it, when anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// Config settings it calls for (`key`, TOML value): what `--write-profile` writes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<(String, String)>,
}

/// The report being written.
#[derive(Default)]
struct Report {
    checks: Vec<Check>,
}

impl Report {
    fn add(&mut self, area: &'static str, check: &str, status: Status, detail: impl Into<String>) {
        self.checks.push(Check {
            area,
            check: check.into(),
            status,
            detail: detail.into(),
            advice: None,
            settings: Vec::new(),
        });
    }

    fn advise(&mut self, advice: impl Into<String>) {
        if let Some(c) = self.checks.last_mut() {
            c.advice = Some(advice.into());
        }
    }
}

/// A client for the camera with these settings changed.
async fn client(
    t: &Target,
    g: &Global,
    recorder: &Option<Recorder>,
    creds: bool,
    auth: AuthScheme,
) -> Result<Camera, Error> {
    let config = Config {
        auth,
        recorder: recorder.clone(),
        ..client_config(t, g)
    };
    Camera::connect(&t.host, t.creds.clone().filter(|_| creds), config).await
}

/// The settings the checks call for, as `(config key, TOML value)`: from the warnings, and
/// from the known entries the camera matches.
pub fn profile(checks: &[Check]) -> Vec<(String, String)> {
    let warned = |area: &str, check: &str| {
        checks
            .iter()
            .any(|c| c.area == area && c.check == check && c.status == Status::Warning)
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, v: &str| {
        if !out.iter().any(|(x, _)| x == k) {
            out.push((k.to_owned(), v.to_owned()));
        }
    };
    if warned("auth", "scheme") {
        add("auth", "\"http\"");
    }
    if warned("events", "relative termination") {
        add("events_absolute_times", "true");
    }
    if warned("events", "Unsubscribe") {
        add("events_no_unsubscribe", "true");
    }
    for c in checks {
        for (k, v) in &c.settings {
            add(k, v);
        }
    }
    out
}

/// Every check, and the camera connected with the given settings (when it could be).
/// How long the long-poll probe asks a PullMessages to be held by default: long enough to
/// see a camera that cuts long polls at 10 s.
pub const HOLD: Duration = Duration::from_secs(12);

/// What a probe may do beyond reading.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    /// How long the long-poll probe asks ([`HOLD`]).
    pub hold: Duration,
    /// Move the PTZ a little (a short ContinuousMove and stop, a small RelativeMove and
    /// back) to see which moves the camera refuses.
    pub moves: bool,
}

impl Default for Probe {
    fn default() -> Self {
        Probe {
            hold: HOLD,
            moves: false,
        }
    }
}

/// Every check, and the camera connected with the given settings (when it could be).
pub async fn probe(
    t: &Target,
    g: &Global,
    recorder: Option<Recorder>,
    how: Probe,
) -> (Vec<Check>, Option<Camera>) {
    let hold = how.hold;
    let mut r = Report::default();
    // An HTTPS camera's certificate first: when this machine would refuse it, the rest is
    // checked without verifying it (and said so).
    let mut t = t.clone();
    if let Some(untrusted) = certificate(&mut r, &t, g).await
        && untrusted
    {
        t.insecure = true;
    }
    let t = &t;
    let cam = match client(t, g, &recorder, true, AuthScheme::Any).await {
        Ok(c) => c,
        Err(e) => {
            r.add(
                "connection",
                "device service",
                Status::Problem,
                e.to_string(),
            );
            r.advise("check the address (-H host[:port]) and that the camera is on the network");
            return (r.checks, None);
        }
    };
    connection(&mut r, &cam);
    let identity = identity(&mut r, &cam).await;
    clock(&mut r, &cam).await;
    auth(&mut r, t, g, &recorder).await;
    addresses(&mut r, &cam).await;
    media(&mut r, &cam).await;
    ptz(&mut r, &cam, how.moves).await;
    events(&mut r, &cam, hold).await;
    contribute(&mut r, identity);
    (r.checks, Some(cam))
}

/// The camera's maker, model and firmware, and the known entries it matches.
async fn identity(r: &mut Report, cam: &Camera) -> Option<(String, String, String, bool)> {
    let info = match cam.device_information().await {
        Ok(i) => i,
        Err(e) => {
            r.add(
                "identity",
                "GetDeviceInformation",
                Status::Warning,
                e.to_string(),
            );
            return None;
        }
    };
    r.add(
        "identity",
        "camera",
        Status::Ok,
        format!(
            "{} {}, firmware {}",
            info.manufacturer, info.model, info.firmware_version
        ),
    );
    let known = onvif::known::lookup(&info.manufacturer, &info.model, &info.firmware_version);
    for k in &known {
        r.add("identity", "known camera", Status::Ok, k.notes);
        if let Some(c) = r.checks.last_mut() {
            c.advice = Some(format!("evidence: {}", k.evidence));
            c.settings = k
                .settings
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect();
        }
    }
    Some((
        info.manufacturer,
        info.model,
        info.firmware_version,
        !known.is_empty(),
    ))
}

/// A camera that needed settings of its own and is in no known entry: the entry to add.
fn contribute(r: &mut Report, identity: Option<(String, String, String, bool)>) {
    let Some((maker, model, firmware, known)) = identity else {
        return;
    };
    let found = profile(&r.checks);
    if known || found.is_empty() {
        return;
    }
    let settings: Vec<String> = found
        .iter()
        .map(|(k, v)| format!("(\"{k}\", {v:?})"))
        .collect();
    r.add(
        "identity",
        "not a known camera",
        Status::Ok,
        format!("{maker} {model}, firmware {firmware} needs settings of its own"),
    );
    r.advise(format!(
        "to share what was found, add to onvif::known::KNOWN (and docs/QUIRKS.md): \
         KnownCamera {{ manufacturer: {maker:?}, model: {model:?}, firmware: {firmware:?}, \
         settings: &[{}], notes: \"...\", evidence: \"onvif doctor\" }}",
        settings.join(", ")
    ));
}

/// The certificate of an HTTPS camera; `Some(true)` when this machine would refuse it (so the
/// other checks go on without verifying it), `None` for plain HTTP.
async fn certificate(r: &mut Report, t: &Target, g: &Global) -> Option<bool> {
    let url = onvif::Url::parse(&t.host)
        .ok()
        .filter(|u| u.scheme() == "https")?;
    let report = match onvif::tls::inspect(&url, client_config(t, g).connect_timeout).await {
        Ok(rep) => rep,
        Err(e) => {
            r.add("connection", "certificate", Status::Problem, e.to_string());
            return Some(true);
        }
    };
    let short = &report.sha256[..16];
    if let Some(pin) = &t.cert_sha256 {
        let want: String = pin
            .chars()
            .filter(|c| *c != ':')
            .collect::<String>()
            .to_lowercase();
        if want == report.sha256 {
            r.add(
                "connection",
                "certificate",
                Status::Ok,
                format!("pinned (SHA-256 {short}…); {}", report.verdict),
            );
            return Some(false);
        }
        r.add(
            "connection",
            "certificate",
            Status::Problem,
            format!("not the pinned one: SHA-256 {}", report.sha256),
        );
        r.advise("if the camera was given a new certificate on purpose, run `onvif trust` again; otherwise something is posing as the camera");
        return Some(true);
    }
    use onvif::tls::Verdict;
    let (status, advice) = match &report.verdict {
        Verdict::Trusted => (Status::Ok, None),
        Verdict::UnknownIssuer => (
            Status::Warning,
            Some("`onvif trust` pins this certificate, after which --insecure is not needed"),
        ),
        Verdict::Expired | Verdict::NotYetValid => (
            Status::Problem,
            Some(
                "renew the camera's certificate (or check its clock); meanwhile `onvif trust` pins it",
            ),
        ),
        Verdict::WrongHost => (
            Status::Warning,
            Some("reach the camera by a name its certificate holds, or pin it with `onvif trust`"),
        ),
        Verdict::Refused(_) => (Status::Warning, Some("`onvif trust` pins it")),
    };
    r.add(
        "connection",
        "certificate",
        status,
        format!("{} (SHA-256 {short}…)", report.verdict),
    );
    if let Some(a) = advice {
        r.advise(a);
    }
    Some(report.verdict != Verdict::Trusted && !t.insecure)
}

fn connection(r: &mut Report, cam: &Camera) {
    let url = cam.device_url();
    r.add(
        "connection",
        "device service",
        Status::Ok,
        format!("answers at {url}"),
    );
    if url.scheme() != "https" {
        r.add(
            "connection",
            "transport",
            Status::Warning,
            "plain HTTP: requests and answers travel unencrypted (passwords are digests)",
        );
        r.advise("use https://HOST if the camera serves HTTPS");
    }
}

async fn clock(r: &mut Report, cam: &Camera) {
    let reading = match cam.measure_clock().await {
        Ok(c) => c,
        Err(e) => {
            r.add(
                "clock",
                "GetSystemDateAndTime",
                Status::Problem,
                e.to_string(),
            );
            r.advise("authentication depends on the camera's clock; check its time settings");
            return;
        }
    };
    match reading.offset {
        Some(off) => {
            let secs = off.as_secs_f64();
            let said = if secs.abs() < 1.0 {
                "in step with this machine (under 1 s)".to_owned()
            } else {
                format!(
                    "{:.0} s {} this machine",
                    secs.abs(),
                    if secs > 0.0 { "ahead of" } else { "behind" }
                )
            };
            let status = if secs.abs() <= 5.0 {
                Status::Ok
            } else {
                Status::Warning
            };
            r.add("clock", "offset", status, said);
            if status == Status::Warning {
                r.advise(
                    "this tool corrects for it; other clients may be refused (WS-Security allows \
                     a few seconds): enable NTP on the camera, or `onvif time --sync` once",
                );
            }
        }
        None => {
            r.add(
                "clock",
                "offset",
                Status::Warning,
                "the camera sent no usable UTC time",
            );
            r.advise("WS-Security times are then our own; a refused login may be the clock");
        }
    }
    let s = &reading.settings;
    let ntp = format!("{:?}", s.date_time_type);
    r.add(
        "clock",
        "time source",
        if ntp.eq_ignore_ascii_case("ntp") {
            Status::Ok
        } else {
            Status::Warning
        },
        format!(
            "{ntp}{}",
            s.time_zone
                .as_deref()
                .map(|z| format!(", time zone {z}"))
                .unwrap_or_default()
        ),
    );
    if !ntp.eq_ignore_ascii_case("ntp") {
        r.advise("a clock set by hand drifts; enable NTP on the camera");
    }
}

async fn auth(r: &mut Report, t: &Target, g: &Global, recorder: &Option<Recorder>) {
    // Without credentials.
    match client(t, g, recorder, false, AuthScheme::Any).await {
        Ok(c) => {
            // The standard leaves the clock open: clients read it first to set their
            // WS-Security time.
            if let Err(e) = c.system_date_and_time().await
                && e.is_auth()
            {
                r.add(
                    "auth",
                    "clock without credentials",
                    Status::Warning,
                    "GetSystemDateAndTime needs credentials (the standard leaves it open)",
                );
                r.advise("clients that read the clock first to set their WS-Security time fail with this camera; this tool asks again with credentials, at one login more per connection");
            }
            match c.device_information().await {
                Ok(_) => {
                    r.add(
                        "auth",
                        "without credentials",
                        Status::Warning,
                        "GetDeviceInformation is answered to anyone",
                    );
                    r.advise("anyone on the network can read the camera's identity; check its user settings");
                }
                Err(e) if e.is_auth() => {
                    let how = if e.to_string().contains("401") {
                        "HTTP 401"
                    } else {
                        "a SOAP fault"
                    };
                    r.add(
                        "auth",
                        "without credentials",
                        Status::Ok,
                        format!("GetDeviceInformation is refused ({how})"),
                    );
                }
                Err(e) => r.add(
                    "auth",
                    "without credentials",
                    Status::Warning,
                    e.to_string(),
                ),
            }
            open_operations(r, &c).await;
        }
        // Connecting asks the clock first, without credentials, as the standard allows.
        Err(e) if e.is_auth() => {
            r.add(
                "auth",
                "without credentials",
                Status::Warning,
                "even GetSystemDateAndTime needs credentials (the standard leaves it open)",
            );
            r.advise("clients that read the clock first to set their WS-Security time fail with this camera; this tool asks again with credentials, at one login more per connection");
        }
        Err(e) => r.add(
            "auth",
            "without credentials",
            Status::Warning,
            e.to_string(),
        ),
    }
    if t.creds.is_none() {
        r.add(
            "auth",
            "credentials",
            Status::Skipped,
            "none given (-u, -p or the config)",
        );
        return;
    }
    // The HTTP challenges the camera sends, read off the exchanges.
    let challenges = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let outer = recorder.clone();
    let seen = std::sync::Arc::clone(&challenges);
    let watching: Option<Recorder> = Some(std::sync::Arc::new(move |x: onvif::Exchange| {
        if x.status == Some(401) {
            let mut s = seen.lock().unwrap_or_else(|e| e.into_inner());
            for (k, v) in &x.response_headers {
                if k.eq_ignore_ascii_case("www-authenticate") && !s.contains(v) {
                    s.push(v.clone());
                }
            }
        }
        if let Some(o) = &outer {
            o(x);
        }
    }));
    let recorder = &watching;
    let mut accepted = Vec::new();
    for (scheme, name) in [
        (AuthScheme::WsUsernameToken, "WS-UsernameToken digest alone"),
        (AuthScheme::Http, "HTTP authentication alone"),
    ] {
        let result = match client(t, g, recorder, true, scheme).await {
            Ok(c) => c.device_information().await.map(|_| ()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                accepted.push(scheme);
                r.add("auth", name, Status::Ok, "accepted");
            }
            Err(e) => r.add("auth", name, Status::Ok, format!("not accepted: {e}")),
        }
    }
    let offered: Vec<String> = challenges
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|c| describe_challenge(c))
        .collect();
    r.add(
        "auth",
        "HTTP challenges",
        Status::Ok,
        if offered.is_empty() {
            "none: the camera never asked for HTTP authentication".to_owned()
        } else {
            offered.join(", ")
        },
    );
    if offered.iter().any(|o| o.starts_with("Basic"))
        && !offered.iter().any(|o| o.starts_with("Digest"))
    {
        if let Some(c) = r.checks.last_mut() {
            c.status = Status::Warning;
        }
        r.advise("Basic sends the password in clear: it is answered only over HTTPS or with --allow-basic");
    }
    if accepted.is_empty() {
        r.add(
            "auth",
            "credentials",
            Status::Problem,
            "refused by every scheme",
        );
        r.advise("check the user name and password (and the account's level) on the camera");
    } else if accepted == [AuthScheme::Http] {
        r.add(
            "auth",
            "scheme",
            Status::Warning,
            "HTTP authentication only: WS-UsernameToken, which ONVIF requires, is refused",
        );
        r.advise("give --auth http, or set auth = \"http\" in the camera's config entry");
    }
}

async fn addresses(r: &mut Report, cam: &Camera) {
    let eps = match cam.endpoints().await {
        Ok(e) => e,
        Err(e) => {
            r.add("addresses", "services", Status::Problem, e.to_string());
            return;
        }
    };
    let names: Vec<String> = eps.services.keys().map(|s| s.to_string()).collect();
    let status = if eps.source == "GetServices" {
        Status::Ok
    } else {
        Status::Warning
    };
    r.add(
        "addresses",
        "services",
        status,
        format!("{} ({}) from {}", names.len(), names.join(", "), eps.source),
    );
    if status == Status::Warning {
        r.advise(
            "GetServices is missing or incomplete; this tool fills it in from GetCapabilities",
        );
    }
    for (service, reported) in &eps.reported {
        let used = eps
            .services
            .get(service)
            .map(|u| u.to_string())
            .unwrap_or_default();
        r.add(
            "addresses",
            &format!("{service} address"),
            Status::Warning,
            format!("reported as {reported}, used as {used}"),
        );
        r.advise("this tool repairs it; other clients may need the camera's network settings fixed (or keep_camera_host if the reported host is right)");
    }
}

async fn media(r: &mut Report, cam: &Camera) {
    let profiles = match cam.profiles().await {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => {
            r.add("media", "profiles", Status::Problem, "none");
            r.advise("create a media profile in the camera's web page");
            return;
        }
        Err(e) => {
            r.add("media", "profiles", Status::Problem, e.to_string());
            return;
        }
    };
    let media2 = cam.has_service(Service::Media2).await.unwrap_or(false);
    let h265 = profiles.iter().any(|p| {
        p.video_encoder
            .as_ref()
            .and_then(|e| e.encoding.as_ref())
            .is_some_and(|e| *e == VideoEncoding::H265)
    });
    r.add(
        "media",
        "profiles",
        Status::Ok,
        format!(
            "{} ({}), {}{}",
            profiles.len(),
            profiles
                .iter()
                .map(|p| p.token.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if media2 { "Media2" } else { "Media1 only" },
            if h265 { ", H.265" } else { "" }
        ),
    );
    let first = &profiles[0];
    match cam.stream_uri(first, onvif::StreamTransport::RtspTcp).await {
        Ok(u) => r.add(
            "media",
            "stream URI",
            Status::Ok,
            onvif::address::redact_userinfo(&u.uri),
        ),
        Err(e) => r.add("media", "stream URI", Status::Problem, e.to_string()),
    }
    if let Ok(u) = cam.snapshot_uri(first).await
        && onvif::address::redact_userinfo(&u.uri) != u.uri
    {
        r.add(
            "media",
            "snapshot URI",
            Status::Warning,
            "it carries a user name and password (shown here without them)",
        );
        r.advise(
            "whoever sees the snapshot URI sees the password; this tool never shows or records it",
        );
    }
    match cam.snapshot(first).await {
        Ok(s) if s.bytes.starts_with(&[0xFF, 0xD8]) => {
            r.add(
                "media",
                "snapshot",
                Status::Ok,
                format!("a JPEG of {} bytes from {}", s.bytes.len(), s.uri),
            );
            snapshot_auth(r, cam, &s.uri).await;
        }
        Ok(s) => {
            r.add(
                "media",
                "snapshot",
                Status::Warning,
                format!(
                    "{} bytes of {} from {}, not a JPEG",
                    s.bytes.len(),
                    s.content_type,
                    s.uri
                ),
            );
        }
        Err(e) => {
            r.add("media", "snapshot", Status::Warning, e.to_string());
            r.advise("snapshots may need the camera's HTTP service (or another auth) enabled");
        }
    }
}

/// What the snapshot URL asks of a client without credentials: nothing (anyone can fetch
/// pictures), or an HTTP challenge (which scheme).
async fn snapshot_auth(r: &mut Report, cam: &Camera, uri: &str) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let keep = std::sync::Arc::clone(&seen);
    let config = Config {
        recorder: Some(std::sync::Arc::new(move |x: onvif::Exchange| {
            if x.status == Some(401) {
                let mut s = keep.lock().unwrap_or_else(|e| e.into_inner());
                for (k, v) in &x.response_headers {
                    if k.eq_ignore_ascii_case("www-authenticate") && !s.contains(v) {
                        s.push(v.clone());
                    }
                }
            }
        })),
        ..cam.config().clone()
    };
    let Ok(anonymous) = Camera::with_url(cam.device_url().clone(), None, config) else {
        return;
    };
    let result = anonymous.fetch_snapshot(uri).await;
    let challenges: Vec<String> = seen
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|c| describe_challenge(c))
        .collect();
    match result {
        Ok(s) if s.bytes.starts_with(&[0xFF, 0xD8]) => {
            r.add(
                "media",
                "snapshot auth",
                Status::Warning,
                "the snapshot URL gives pictures to anyone, without credentials",
            );
            r.advise("anyone on the network can watch; turn on authentication for the camera's HTTP snapshots");
        }
        _ if !challenges.is_empty() => r.add(
            "media",
            "snapshot auth",
            Status::Ok,
            format!("needs credentials: {}", challenges.join(", ")),
        ),
        Ok(_) => r.add(
            "media",
            "snapshot auth",
            Status::Ok,
            "without credentials it gives no picture",
        ),
        Err(e) => r.add(
            "media",
            "snapshot auth",
            Status::Ok,
            format!("without credentials: {e}"),
        ),
    }
}

async fn ptz(r: &mut Report, cam: &Camera, moves: bool) {
    if !cam.has_service(Service::Ptz).await.unwrap_or(false) {
        r.add(
            "ptz",
            "service",
            Status::Skipped,
            "the camera offers no PTZ",
        );
        return;
    }
    let target = match cam.ptz_target(None).await {
        Ok(t) => t,
        Err(e) => {
            r.add("ptz", "node", Status::Problem, e.to_string());
            return;
        }
    };
    let n = &target.node;
    let spaces = &n.supported_spaces;
    let mut can = Vec::new();
    if !spaces.continuous_pan_tilt.is_empty() || !spaces.continuous_zoom.is_empty() {
        can.push("continuous");
    }
    if !spaces.absolute_pan_tilt.is_empty() || !spaces.absolute_zoom.is_empty() {
        can.push("absolute");
    }
    if !spaces.relative_pan_tilt.is_empty() || !spaces.relative_zoom.is_empty() {
        can.push("relative");
    }
    if n.home_supported {
        can.push("home");
    }
    r.add(
        "ptz",
        "node",
        if target.fallback.is_some() {
            Status::Warning
        } else {
            Status::Ok
        },
        format!(
            "{} on profile {}: {}{}",
            n.token,
            target.profile,
            if can.is_empty() {
                "no moves".into()
            } else {
                can.join(", ")
            },
            target
                .fallback
                .as_deref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default()
        ),
    );
    if moves {
        try_moves(r, cam, &target).await;
    }
    match cam.ptz_presets(&target).await {
        Ok(p) => r.add(
            "ptz",
            "presets",
            Status::Ok,
            format!(
                "{}{}",
                p.len(),
                n.max_presets
                    .map(|m| format!(" (of at most {m})"))
                    .unwrap_or_default()
            ),
        ),
        Err(e) => r.add("ptz", "presets", Status::Warning, e.to_string()),
    }
}

/// `--move`: a short slow ContinuousMove then Stop, and a small RelativeMove there and back.
async fn try_moves(r: &mut Report, cam: &Camera, t: &onvif::ptz::PtzTarget) {
    let refused = |e: &Error| e.fault().is_some_and(|f| f.is_action_not_supported());
    match cam
        .ptz_continuous(t, Some(0.1), None, None, Some(Duration::from_millis(300)))
        .await
    {
        Ok(()) => {
            let _ = cam.ptz_stop(t).await;
            r.add("ptz", "ContinuousMove", Status::Ok, "moved, and stopped");
        }
        Err(e) => {
            let status = if refused(&e) {
                Status::Warning
            } else {
                Status::Problem
            };
            r.add("ptz", "ContinuousMove", status, e.to_string());
            r.advise("`ptz control` and the bridge's moves fall back to RelativeMove steps");
        }
    }
    match cam.ptz_relative(t, Some(0.05), None, None, None).await {
        Ok(()) => {
            let _ = cam.ptz_relative(t, Some(-0.05), None, None, None).await;
            r.add("ptz", "RelativeMove", Status::Ok, "moved there and back");
        }
        Err(e) => {
            let status = if refused(&e) {
                Status::Warning
            } else {
                Status::Problem
            };
            r.add("ptz", "RelativeMove", status, e.to_string());
            r.advise("`ptz step` falls back to a short ContinuousMove");
        }
    }
}

/// A message id for WS-Addressing.
fn message_id() -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("urn:uuid:00000000-0000-4000-8000-{:012x}", n % (1 << 48))
}

async fn events(r: &mut Report, cam: &Camera, asked_hold: Duration) {
    if !cam.has_service(Service::Events).await.unwrap_or(false) {
        r.add(
            "events",
            "service",
            Status::Skipped,
            "the camera offers no events",
        );
        return;
    }
    match cam.event_properties().await {
        Ok(props) => {
            let kinds = KindTable::default();
            let mut known = Vec::new();
            let mut unknown = Vec::new();
            for entry in props.flatten() {
                match kinds.offered(&entry) {
                    Some(k) => {
                        if !known.contains(&k.to_owned()) {
                            known.push(k.to_owned());
                        }
                    }
                    None => unknown.push(entry.path.clone()),
                }
            }
            r.add(
                "events",
                "topics",
                Status::Ok,
                format!(
                    "kinds: {}",
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                ),
            );
            if !unknown.is_empty() {
                r.add(
                    "events",
                    "topics without a kind",
                    Status::Ok,
                    unknown.join(", "),
                );
                r.advise("events of these topics arrive without a kind; add rules with --kinds (or the bridge's kinds) to name them");
            }
        }
        Err(e) => r.add("events", "topics", Status::Warning, e.to_string()),
    }
    let url = match cam.endpoint(Service::Events).await {
        Ok(u) => u,
        Err(e) => {
            r.add("events", "pull point", Status::Problem, e.to_string());
            return;
        }
    };
    let asked = Duration::from_secs(60);
    let create = CreatePullPointSubscription {
        filter: None,
        initial_termination_time: Some(TerminationTime::Relative(asked)),
    };
    let created = match cam.call_at(&url, &create).await {
        Ok(c) => c,
        Err(e) => {
            r.add("events", "pull point", Status::Problem, e.to_string());
            r.advise("this camera may only push events: try `onvif events --push`");
            return;
        }
    };
    r.add(
        "events",
        "pull point",
        Status::Ok,
        "CreatePullPointSubscription answered",
    );
    // What the camera granted bounds how long a pull can be held on this subscription.
    let mut granted_secs: Option<f64> = None;
    match (created.current_time, created.termination_time) {
        (Some(now), Some(end)) => {
            let granted = end.duration_since(now).as_secs_f64();
            granted_secs = Some(granted);
            if (granted - asked.as_secs_f64()).abs() <= 5.0 {
                r.add(
                    "events",
                    "relative termination",
                    Status::Ok,
                    format!("honoured ({granted:.0} s for 60 s asked)"),
                );
            } else {
                r.add(
                    "events",
                    "relative termination",
                    Status::Warning,
                    format!("60 s asked, {granted:.0} s granted"),
                );
                r.advise("the tool renews by what was granted; a client that trusts what it asked for loses the subscription: use absolute termination times with this camera");
            }
        }
        _ => {
            r.add(
                "events",
                "relative termination",
                Status::Warning,
                "the answer gives no current and termination time",
            );
        }
    }
    let sub_url = match cam.subscription_url(&created.subscription_reference.address) {
        Ok(u) => u,
        Err(e) => {
            r.add(
                "events",
                "subscription address",
                Status::Problem,
                e.to_string(),
            );
            return;
        }
    };
    let epr = &created.subscription_reference;
    let opts = |action: &str, timeout: Option<Duration>| CallOptions {
        extra_header_xml: epr.header_xml(action, &message_id()),
        timeout,
        ..CallOptions::default()
    };
    use onvif::proto::Operation;
    // How long a pull is held when nothing happens: long enough to see a camera that cuts
    // long polls at 10 s (its connection closed, or an empty answer, before the time asked).
    let hold = match granted_secs {
        Some(g) if g < asked_hold.as_secs_f64() + 2.0 => {
            Duration::from_secs_f64((g - 2.0).max(1.0))
        }
        _ => asked_hold,
    };
    let pull = PullMessages {
        timeout: hold,
        message_limit: 100,
    };
    // The first pull may bring the current state (Initialized messages): a second one waits.
    // `Ok(d)`: answered empty after d; `Err(d)`: the connection failed after d.
    let mut held: Option<Result<Duration, Duration>> = None;
    for _ in 0..2 {
        let at = Instant::now();
        match cam
            .call_at_with(
                &sub_url,
                &pull,
                &opts(PullMessages::ACTION, Some(hold + Duration::from_secs(10))),
            )
            .await
        {
            Ok(p) if p.messages.is_empty() => {
                held = Some(Ok(at.elapsed()));
                break;
            }
            Ok(_) => {}
            Err(e) if e.fault().is_none() && at.elapsed() >= Duration::from_secs(1) => {
                held = Some(Err(at.elapsed()));
                break;
            }
            Err(e) => {
                r.add("events", "PullMessages", Status::Problem, e.to_string());
                break;
            }
        }
    }
    let asked_s = hold.as_secs_f64();
    match held {
        Some(Ok(h)) if h + Duration::from_millis(500) >= hold => r.add(
            "events",
            "long poll",
            Status::Ok,
            format!("held {:.1} s of {asked_s:.0} s asked", h.as_secs_f64()),
        ),
        Some(Ok(h)) if h < Duration::from_secs(1) => {
            r.add(
                "events",
                "long poll",
                Status::Warning,
                format!(
                    "answered with nothing after {:.1} s of {asked_s:.0} s asked",
                    h.as_secs_f64()
                ),
            );
            r.advise("the camera does not hold PullMessages: the tool keeps pulling, at more requests per minute");
        }
        Some(cut) => {
            let (h, how) = match cut {
                Ok(h) => (h, "answered with nothing"),
                Err(h) => (h, "cut the connection"),
            };
            let max = (h.as_secs().saturating_sub(2)).max(1);
            r.add(
                "events",
                "long poll",
                Status::Warning,
                format!(
                    "{how} after {:.1} s of {asked_s:.0} s asked",
                    h.as_secs_f64()
                ),
            );
            r.advise(format!(
                "the tool pulls again at once after a cut; `doctor --write-profile` makes pulls ask at most {max} s (events_max_pull)"
            ));
            if let Some(c) = r.checks.last_mut() {
                c.settings = vec![("events_max_pull".into(), format!("\"{max}s\""))];
            }
        }
        None if !r.checks.iter().any(|c| c.check == "PullMessages") => r.add(
            "events",
            "long poll",
            Status::Skipped,
            "events kept arriving: the hold could not be measured",
        ),
        None => {}
    }
    let renew = Renew {
        termination_time: TerminationTime::Relative(asked),
    };
    match cam
        .call_at_with(&sub_url, &renew, &opts(Renew::ACTION, None))
        .await
    {
        Ok(_) => r.add("events", "Renew", Status::Ok, "answered"),
        Err(e) => {
            r.add("events", "Renew", Status::Warning, e.to_string());
            r.advise("the tool re-creates the subscription before it ends instead");
        }
    }
    match cam
        .call_at_with(
            &sub_url,
            &SetSynchronizationPoint,
            &opts(SetSynchronizationPoint::ACTION, None),
        )
        .await
    {
        Ok(_) => r.add("events", "SetSynchronizationPoint", Status::Ok, "answered"),
        Err(e) => {
            r.add(
                "events",
                "SetSynchronizationPoint",
                Status::Warning,
                e.to_string(),
            );
            r.advise("current states come only with a new subscription");
        }
    }
    match cam
        .call_at_with(&sub_url, &Unsubscribe, &opts(Unsubscribe::ACTION, None))
        .await
    {
        Ok(_) => r.add("events", "Unsubscribe", Status::Ok, "answered"),
        Err(e) => {
            r.add("events", "Unsubscribe", Status::Warning, e.to_string());
            r.advise("the subscription is left to expire (60 s); `doctor --write-profile` sets events_no_unsubscribe for this camera");
        }
    }
    push(r, cam).await;
}

/// Push: a subscription whose notifications the camera posts to a listener of ours. Its first
/// notification (most cameras send the current state at once) shows that it reaches us.
async fn push(r: &mut Report, cam: &Camera) {
    use onvif::events::{EventSession, Lifecycle, PushConfig, SessionConfig, SessionItem};
    let started = match EventSession::push(
        cam.clone(),
        SessionConfig::default(),
        PushConfig::default(),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => {
            r.add("events", "push", Status::Ok, format!("not offered: {e}"));
            r.advise("events come by pull-point (the default), which needs no address of ours");
            return;
        }
    };
    let (session, mut rx) = started;
    let wait = Duration::from_secs(5);
    let at = Instant::now();
    let first = tokio::time::timeout(wait, async {
        loop {
            match rx.recv().await {
                Some(SessionItem::Event(_)) => return true,
                Some(SessionItem::Lifecycle(Lifecycle::Lost { .. } | Lifecycle::Closed)) | None => {
                    return false;
                }
                Some(_) => {}
            }
        }
    })
    .await
    .unwrap_or(false);
    if first {
        r.add(
            "events",
            "push",
            Status::Ok,
            format!(
                "a notification arrived {:.1} s after subscribing",
                at.elapsed().as_secs_f64()
            ),
        );
    } else {
        r.add(
            "events",
            "push",
            Status::Warning,
            format!(
                "subscribed, but no notification came within {} s",
                wait.as_secs()
            ),
        );
        r.advise("the camera had nothing to say, or cannot reach this machine (a firewall, another network): use pull-point events, the default");
    }
    let _ = tokio::time::timeout(Duration::from_secs(3), session.close()).await;
}

/// Which read-only operations the camera answers without credentials. The standard lets a
/// few be open before authentication (the clock, the services and capabilities, the host
/// name); anything more is said.
async fn open_operations(r: &mut Report, c: &Camera) {
    let mut open = Vec::new();
    let mut allowed = Vec::new();
    let mut note = |name: &'static str, ok: bool, pre_auth: bool| {
        if ok {
            if pre_auth {
                allowed.push(name);
            } else {
                open.push(name);
            }
        }
    };
    note("GetServices", c.services(false).await.is_ok(), true);
    note("GetCapabilities", c.capabilities().await.is_ok(), true);
    note("GetHostname", c.hostname().await.is_ok(), true);
    note("GetScopes", c.scopes().await.is_ok(), false);
    note(
        "GetNetworkInterfaces",
        c.network_interfaces().await.is_ok(),
        false,
    );
    note("GetProfiles", c.profiles().await.is_ok(), false);
    let allowed_text = if allowed.is_empty() {
        String::new()
    } else {
        format!(
            "; open as the standard allows: GetSystemDateAndTime, {}",
            allowed.join(", ")
        )
    };
    if open.is_empty() {
        r.add(
            "auth",
            "open operations",
            Status::Ok,
            format!("nothing beyond what the standard allows{allowed_text}"),
        );
    } else {
        r.add(
            "auth",
            "open operations",
            Status::Warning,
            format!("answered to anyone: {}{allowed_text}", open.join(", ")),
        );
        r.advise(
            "anyone on the network can read these; check the camera's user and security settings",
        );
    }
}

/// A WWW-Authenticate value, short: `Digest (SHA-256)`, `Basic`.
fn describe_challenge(c: &str) -> String {
    let scheme = c.split_whitespace().next().unwrap_or("");
    let algorithm = c.split(',').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        let k = k.trim().rsplit(' ').next().unwrap_or("");
        k.eq_ignore_ascii_case("algorithm")
            .then(|| v.trim().trim_matches('"').to_owned())
    });
    match (scheme, algorithm) {
        (s, Some(a)) if s.eq_ignore_ascii_case("digest") => format!("Digest ({a})"),
        (s, None) if s.eq_ignore_ascii_case("digest") => "Digest (MD5)".to_owned(),
        (s, _) => s.to_owned(),
    }
}
