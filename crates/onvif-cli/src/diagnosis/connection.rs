//! Reaching the camera: its certificate, the transport, its clock, its service addresses.

use onvif::Camera;

use super::report::{Report, Status};
use crate::args::Global;
use crate::connection::{Target, client_config};

/// The certificate of an HTTPS camera, and whether the other checks may go on: `false` when
/// the camera's certificate would be refused (not trusted by this machine, no pin, no
/// `--insecure`). Certificate checking is never turned off here: that is the user's to ask
/// (`--insecure`), and the other checks log in, which must not happen over a connection
/// nobody verified. Plain HTTP has no certificate (`true`). With a pin, the client checks the
/// pin itself (a camera that does not present the pinned certificate is not talked to), so
/// the checks go on; so they do when the certificate could not be read, the client verifying
/// it then.
pub(super) async fn certificate(r: &mut Report, t: &Target, g: &Global) -> bool {
    let Some(url) = onvif::Url::parse(&t.host)
        .ok()
        .filter(|u| u.scheme() == "https")
    else {
        return true;
    };
    let report = match onvif::tls::inspect(&url, client_config(t, g).connect_timeout).await {
        Ok(rep) => rep,
        Err(e) => {
            r.add("connection", "certificate", Status::Problem, e.to_string());
            return true;
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
            return true;
        }
        r.add(
            "connection",
            "certificate",
            Status::Problem,
            format!("not the pinned one: SHA-256 {}", report.sha256),
        );
        r.advise("if the camera was given a new certificate on purpose, run `onvif trust` again; otherwise something is posing as the camera");
        return true;
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
    // Refused by this machine, and the user did not say to go on regardless: a problem, and
    // the checks that would log in are not made.
    let refused = report.verdict != Verdict::Trusted && !t.insecure;
    r.add(
        "connection",
        "certificate",
        if refused { Status::Problem } else { status },
        format!("{} (SHA-256 {short}…)", report.verdict),
    );
    match advice {
        Some(a) if refused => r.advise(format!(
            "{a}; or give --insecure to check the camera without verifying its certificate"
        )),
        Some(a) => r.advise(a),
        None => {}
    }
    !refused
}

pub(super) fn connection(r: &mut Report, cam: &Camera) {
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

pub(super) async fn clock(r: &mut Report, cam: &Camera) {
    let reading = match cam.measure_clock().await {
        Ok(c) => c,
        Err(e) => {
            let advice = "authentication depends on the camera's clock; check its time settings";
            r.fail("clock", "GetSystemDateAndTime", Status::Problem, &e, advice);
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
    let by_ntp = s.date_time_type == onvif::proto::ops::device::DateTimeType::Ntp;
    r.add(
        "clock",
        "time source",
        if by_ntp { Status::Ok } else { Status::Warning },
        format!(
            "{}{}",
            if by_ntp { "NTP" } else { "manual" },
            s.time_zone
                .as_deref()
                .map(|z| format!(", time zone {z}"))
                .unwrap_or_default()
        ),
    );
    if !by_ntp {
        r.advise("a clock set by hand drifts; enable NTP on the camera");
    }
}

pub(super) async fn addresses(r: &mut Report, cam: &Camera) {
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
    // The camera's own addresses may carry a user name and password: shown without them.
    for (service, reported) in &eps.reported {
        let used = eps
            .services
            .get(service)
            .map(|u| onvif::address::redact_userinfo(u.as_str()))
            .unwrap_or_default();
        r.add(
            "addresses",
            &format!("{service} address"),
            Status::Warning,
            format!(
                "reported as {}, used as {used}",
                onvif::address::redact_userinfo(reported)
            ),
        );
        r.advise("this tool repairs it; other clients may need the camera's network settings fixed (or keep_camera_host if the reported host is right)");
    }
}
