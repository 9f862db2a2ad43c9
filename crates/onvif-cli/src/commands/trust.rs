//! `trust`: look at a camera's TLS certificate and pin it (trust on first use), so that a
//! camera with a certificate of its own making is checked rather than let through with
//! `--insecure`.

use onvif::Url;
use onvif::tls::CertificateReport;
use onvif::{Camera, Config};
use serde_json::json;

use crate::args::Global;
use crate::connection::{Target, client_config};
use crate::failure::Failure;
use crate::output::{Out, kv};

/// The camera's HTTPS address, or why it has none (the address as typed, its user-info
/// hidden).
pub fn https_url(t: &Target) -> Result<Url, Failure> {
    let shown = onvif::address::redact_userinfo(&t.host);
    let url = if t.host.contains("://") {
        Url::parse(&t.host).map_err(|e| Failure::usage(format!("{shown}: {e}")))?
    } else {
        return Err(Failure::usage(format!(
            "{shown} is reached over plain HTTP, which has no certificate: give https://{shown}"
        )));
    };
    if url.scheme() != "https" {
        return Err(Failure::usage(format!(
            "{shown} is plain HTTP, which has no certificate"
        )));
    }
    Ok(url)
}

/// A pin goes into the entry of the camera it was read from: `-H` naming another address
/// than `--camera NAME`'s would pin that address's certificate for NAME.
fn entry_is_the_address(g: &Global, name: &str) -> Result<(), Failure> {
    let Some(host) = &g.host else { return Ok(()) };
    let cfg = crate::config::load(g.config.as_deref()).map_err(Failure::usage)?;
    match cfg.cameras.get(name) {
        Some(e) if !same_address(&e.host, host) => Err(Failure::usage(format!(
            "-H {} is not camera {name}'s address ({}): its certificate is not pinned for \
             {name}; drop -H, or use --show",
            onvif::address::redact_userinfo(host),
            onvif::address::redact_userinfo(&e.host)
        ))),
        _ => Ok(()),
    }
}

/// Whether two spellings of an address name the same place (`https://Cam/`, `https://cam:443`).
fn same_address(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        Url::parse(s).ok().map(|u| {
            (
                u.scheme().to_owned(),
                u.host_str().map(str::to_ascii_lowercase),
                u.port_or_known_default(),
                u.path().trim_end_matches('/').to_owned(),
            )
        })
    };
    match (key(a), key(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Look at the certificate of the camera at `t`.
pub async fn inspect(t: &Target, g: &Global) -> Result<CertificateReport, Failure> {
    let url = https_url(t)?;
    Ok(onvif::tls::inspect(&url, client_config(t, g).connect_timeout).await?)
}

/// `trust [--show | --replace]`.
pub async fn run(
    t: &Target,
    g: &Global,
    show: bool,
    replace: bool,
    out: &Out,
) -> Result<(), Failure> {
    if let (Some(name), false) = (&t.entry, show) {
        entry_is_the_address(g, name)?;
    }
    let report = inspect(t, g).await?;
    if !show
        && !replace
        && let Some(pinned) = &t.cert_sha256
        && onvif::tls::parse_sha256(pinned).ok() != onvif::tls::parse_sha256(&report.sha256).ok()
    {
        // Someone posing as the camera is exactly who makes the pinned connection fail and
        // the user come here: the pin changes only when asked for.
        return Err(Failure::usage(format!(
            "the camera's certificate is not the pinned one (it is SHA-256 {}, pinned {}); \
             nothing was stored. Check the new fingerprint on the camera itself (its web \
             page or display): someone between you and the camera would show a certificate \
             of their own. Then `onvif trust --replace` pins it",
            report.sha256, pinned
        )));
    }
    let stored = match (&t.entry, show) {
        (Some(name), false) => Some(
            crate::config::set_camera_key(
                g.config.as_deref(),
                name,
                "cert_sha256",
                &format!("\"{}\"", report.sha256),
            )
            .map_err(Failure::usage)?
            .display()
            .to_string()
                + &format!(" [cameras.{name}]"),
        ),
        _ => None,
    };
    // With the certificate pinned, the camera must answer (its clock: no credentials needed).
    let pinned = Config {
        cert_sha256: Some(report.sha256.clone()),
        danger_accept_invalid_certs: false,
        ..client_config(t, g)
    };
    let answers = Camera::connect(&t.host, None, pinned).await.is_ok();
    let value = json!({
        "sha256": report.sha256,
        "verdict": report.verdict,
        "stored_in": stored,
        "answers_when_pinned": answers,
    });
    out.answer(&value, |_| {
        let mut rows = vec![
            ("certificate SHA-256", report.sha256.clone()),
            ("verdict", report.verdict.to_string()),
        ];
        match &stored {
            Some(s) => rows.push(("pinned in", s.clone())),
            None if show => {}
            None => rows.push((
                "not stored",
                format!(
                    "the camera is not from the config: give --cert-sha256 {}, or put \
                     cert_sha256 = \"{}\" in its entry",
                    report.sha256, report.sha256
                ),
            )),
        }
        rows.push((
            "pinned, it answers",
            if answers { "yes" } else { "no" }.to_owned(),
        ));
        kv(&rows)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn spellings_of_one_address_are_the_same_address() {
        assert!(super::same_address("https://cam", "HTTPS://Cam:443/"));
        assert!(super::same_address(
            "https://cam:8443/x/",
            "https://cam:8443/x"
        ));
        assert!(!super::same_address("https://cam", "https://cam:8443"));
        assert!(!super::same_address("https://cam", "https://other"));
    }
}
