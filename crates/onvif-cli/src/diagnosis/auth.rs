//! Logging in: what is open, which schemes are accepted, the HTTP challenges offered.

use onvif::{AuthScheme, Camera, Recorder};

use super::report::{Report, Status, client};
use crate::args::Global;
use crate::connection::Target;

pub(super) async fn auth(r: &mut Report, t: &Target, g: &Global, recorder: &Option<Recorder>) {
    without_credentials(r, t, g, recorder).await;
    with_credentials(r, t, g, recorder).await;
}

/// What the camera answers to anyone, and how it refuses the rest. Costs no failed login.
pub(super) async fn without_credentials(
    r: &mut Report,
    t: &Target,
    g: &Global,
    recorder: &Option<Recorder>,
) {
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
                    // Read from the refusal itself: the error's text also holds the URL, whose
                    // port may hold "401".
                    let how = if matches!(&e, onvif::Error::Auth { detail, .. } if detail.starts_with("HTTP 401"))
                    {
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
}

/// Which schemes take the credentials, and the HTTP challenges offered.
async fn with_credentials(r: &mut Report, t: &Target, g: &Global, recorder: &Option<Recorder>) {
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
    if accepted.is_empty() {
        // Neither alone: a camera may want both at once (Hikvision 5.7, docs/QUIRKS.md), as
        // this tool sends them unless told otherwise.
        let both = match client(t, g, recorder, true, AuthScheme::Any).await {
            Ok(c) => c.device_information().await.map(|_| ()),
            Err(e) => Err(e),
        };
        if both.is_ok() {
            accepted.push(AuthScheme::Any);
            r.add(
                "auth",
                "both together",
                Status::Ok,
                "accepted: the camera wants WS-UsernameToken and HTTP authentication at once \
                 (as this tool sends them by default)",
            );
        }
    }
    let mut offered: Vec<String> = Vec::new();
    for c in challenges.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        // Each challenge comes with a nonce of its own: said once a kind.
        let said = describe_challenge(c);
        if !offered.contains(&said) {
            offered.push(said);
        }
    }
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
    } else if accepted == [AuthScheme::Http] && t.auth == AuthScheme::Http {
        r.add(
            "auth",
            "scheme",
            Status::Ok,
            "HTTP authentication only, as this camera's settings say (auth = \"http\")",
        );
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
pub(super) fn describe_challenge(c: &str) -> String {
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
