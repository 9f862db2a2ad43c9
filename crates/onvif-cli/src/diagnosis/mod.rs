//! The doctor's probes: a read-only diagnosis of one camera, used by `doctor` (which reports
//! it) and `capture` (which records it). Each check is a line, ok / warning / problem, with
//! one line of advice where there is something to do. Nothing is set, moved or rebooted;
//! one event subscription is made, and unsubscribed (or left to expire when the camera
//! refuses that).

use std::time::Duration;

use onvif::{AuthScheme, Camera, Recorder};

use crate::args::Global;
use crate::connection::Target;

mod auth;
mod connection;
mod events;
mod media;
mod report;
mod services;

use auth::auth;
use connection::{addresses, certificate, clock, connection};
use events::events;
use media::{media, ptz};
use services::services;

pub use report::{Check, Status};
use report::{Report, client};

/// Whether the checks found the credentials refused (or wanted): nothing more was asked.
pub fn refused(checks: &[Check]) -> bool {
    checks
        .iter()
        .any(|c| c.area == "auth" && c.check == "credentials" && c.status == Status::Problem)
}

/// Whether the checks could not reach the camera's device service: nothing more was asked.
pub fn unreachable(checks: &[Check]) -> bool {
    checks.iter().any(|c| {
        c.area == "connection" && c.check == "device service" && c.status == Status::Problem
    })
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

/// Every check, and the camera connected with the given settings (when it could be). What a
/// check found may quote an address (an error naming the URL asked, a URI the camera
/// reported): its user-info is not repeated, wherever the checks are shown.
pub async fn probe(
    t: &Target,
    g: &Global,
    recorder: Option<Recorder>,
    how: Probe,
) -> (Vec<Check>, Option<Camera>) {
    let (mut checks, cam) = Box::pin(every_check(t, g, recorder, how)).await;
    hide_userinfo(&mut checks);
    (checks, cam)
}

/// The user-info of every address the checks quote, hidden.
fn hide_userinfo(checks: &mut [Check]) {
    for c in checks {
        c.detail = onvif::address::redact_userinfo_in_text(&c.detail).into_owned();
        if let Some(a) = &mut c.advice {
            *a = onvif::address::redact_userinfo_in_text(a).into_owned();
        }
    }
}

async fn every_check(
    t: &Target,
    g: &Global,
    recorder: Option<Recorder>,
    how: Probe,
) -> (Vec<Check>, Option<Camera>) {
    let hold = how.hold;
    let mut r = Report::default();
    // An HTTPS camera's certificate first: when this machine would refuse it (and the user
    // did not give --insecure), the rest is not checked: it would log in, sending the
    // credentials over a connection whose other end nobody verified.
    if !certificate(&mut r, t, g).await {
        r.add(
            "connection",
            "other checks",
            Status::Skipped,
            "not made: they would log in, sending the credentials to a camera whose \
             certificate is not verified",
        );
        r.advise(
            "run `onvif trust` to pin the camera's certificate, or give --insecure; then again",
        );
        return (r.checks, None);
    }
    let cam = match client(t, g, &recorder, true, AuthScheme::Any).await {
        Ok(c) => c,
        // It answered, and refused the credentials even for its clock (GetSystemDateAndTime,
        // which some cameras guard): a matter of credentials, not of the network.
        Err(e) if e.is_auth() => {
            r.add(
                "connection",
                "device service",
                Status::Ok,
                "answers, and wants credentials even for its clock (GetSystemDateAndTime)",
            );
            refused_credentials(&mut r, t, &e);
            auth::without_credentials(&mut r, t, g, &recorder).await;
            skip_the_rest(&mut r, t);
            return (r.checks, None);
        }
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
    let identity = match identity(&mut r, &cam).await {
        Ok(found) => found,
        Err(e) if credentials_refused(t, g, &recorder, &e).await => {
            // Every other check would be refused too, and report what the camera "lacks";
            // with credentials, each would be one more failed login, and cameras lock an
            // account after a few. The clock is still read: a refused login may be its fault.
            refused_credentials(&mut r, t, &e);
            clock(&mut r, &cam).await;
            auth::without_credentials(&mut r, t, g, &recorder).await;
            skip_the_rest(&mut r, t);
            return (r.checks, Some(cam));
        }
        Err(e) => {
            r.add(
                "identity",
                "GetDeviceInformation",
                Status::Warning,
                e.to_string(),
            );
            None
        }
    };
    clock(&mut r, &cam).await;
    auth(&mut r, t, g, &recorder).await;
    addresses(&mut r, &cam).await;
    media(&mut r, &cam).await;
    ptz(&mut r, &cam, how.moves).await;
    events(&mut r, &cam, hold).await;
    services(&mut r, &cam).await;
    contribute(&mut r, identity);
    (r.checks, Some(cam))
}

/// The camera refused the credentials (or wants some): the problem, and what to do.
fn refused_credentials(r: &mut Report, t: &Target, e: &onvif::Error) {
    let locked = e.to_string().contains("unlocks the account");
    let advice = if locked {
        "wait until the camera unlocks the account (its answer may say when); each attempt \
         meanwhile may extend the lock, and the other checks are not made"
    } else if t.creds.is_some() {
        "check the user name and password (-u, -p or the config); the other checks are not \
         made, as each would be one more failed login"
    } else {
        "the camera wants credentials: give -u and -p (or set them in the config)"
    };
    r.fail("auth", "credentials", Status::Problem, e, advice);
}

/// The line saying the other checks were not made, after refused credentials.
fn skip_the_rest(r: &mut Report, t: &Target) {
    r.add(
        "auth",
        "other checks",
        Status::Skipped,
        if t.creds.is_some() {
            "not made: the camera refused the credentials"
        } else {
            "not made: the camera wants credentials"
        },
    );
}

/// Whether `e`, the answer to GetDeviceInformation (which every account may ask), means the
/// camera refused the credentials. A SOAP fault may also come from a camera that wants HTTP
/// authentication and answers WS-UsernameToken with a fault instead of a challenge (`auth`
/// finds it): that is asked once.
async fn credentials_refused(
    t: &Target,
    g: &Global,
    recorder: &Option<Recorder>,
    e: &onvif::Error,
) -> bool {
    if !e.is_auth() {
        return false;
    }
    let challenged =
        matches!(e, onvif::Error::Auth { detail, .. } if detail.starts_with("HTTP 401"));
    if t.creds.is_none() || challenged {
        return true;
    }
    match client(t, g, recorder, true, AuthScheme::Http).await {
        Ok(c) => c.device_information().await.is_err(),
        Err(_) => true,
    }
}

/// The camera's maker, model and firmware, and the known entries it matches; `Err` when it
/// does not tell them (a check says so unless the error is a refusal).
async fn identity(
    r: &mut Report,
    cam: &Camera,
) -> Result<Option<(String, String, String, bool)>, onvif::Error> {
    let info = cam.device_information().await?;
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
    Ok(Some((
        info.manufacturer,
        info.model,
        info.firmware_version,
        !known.is_empty(),
    )))
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
        "`doctor --write-profile` (with --camera NAME) stores these settings for you; to \
         have this tool apply them to every such camera, send its maintainers this entry \
         (for onvif::known::KNOWN): \
         KnownCamera {{ manufacturer: {maker:?}, model: {model:?}, firmware: {firmware:?}, \
         settings: &[{}], notes: \"...\", evidence: \"onvif doctor\" }}",
        settings.join(", ")
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checks_quote_no_user_info_whoever_shows_them() {
        let mut checks = vec![Check {
            area: "media",
            check: "stream".into(),
            status: Status::Problem,
            detail: "http://admin:S3cret@192.0.2.1/onvif/media: refused".into(),
            advice: Some("try rtsp://admin:S3cret@192.0.2.1:554/live".into()),
            settings: Vec::new(),
        }];
        hide_userinfo(&mut checks);
        let c = &checks[0];
        assert!(!c.detail.contains("S3cret"), "{}", c.detail);
        assert!(c.detail.contains("192.0.2.1/onvif/media"), "{}", c.detail);
        assert!(!c.advice.as_deref().unwrap_or("S3cret").contains("S3cret"));
    }
}
