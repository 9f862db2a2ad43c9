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

/// Look at the certificate of the camera at `t`.
pub async fn inspect(t: &Target, g: &Global) -> Result<CertificateReport, Failure> {
    let url = https_url(t)?;
    Ok(onvif::tls::inspect(&url, client_config(t, g).connect_timeout).await?)
}

/// `trust [--show]`.
pub async fn run(t: &Target, g: &Global, show: bool, out: &Out) -> Result<(), Failure> {
    let report = inspect(t, g).await?;
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
