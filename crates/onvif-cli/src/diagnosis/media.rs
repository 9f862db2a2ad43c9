//! Media and PTZ: profiles, stream and snapshot URIs and their auth, the PTZ node and moves.

use std::time::Duration;

use onvif::proto::Service;
use onvif::proto::ops::media::profile::VideoEncoding;
use onvif::{Camera, Config, Error};

use super::auth::describe_challenge;
use super::report::{Report, Status};

pub(super) async fn media(r: &mut Report, cam: &Camera) {
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
    let uri = cam.snapshot_uri(first).await.ok().map(|u| u.uri);
    // A password in the query (SUNBA, Foscam) is what authenticates: without it the URL
    // cannot be tried "without credentials", and the shown form is no URL to fetch.
    let query_password = uri.as_deref().is_some_and(password_in_query);
    if let Some(u) = &uri
        && onvif::address::redact_userinfo(u) != *u
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
            if query_password {
                r.add(
                    "media",
                    "snapshot auth",
                    Status::Ok,
                    "not tried without credentials: its URI carries the password in its query",
                );
            } else {
                snapshot_auth(r, cam, &s.uri).await;
            }
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
            let advice = if e.to_string().contains("only HTTP Basic over plain HTTP") {
                "its snapshots take HTTP Basic only: give --allow-basic (the password then \
                 crosses the network readable) or reach the camera over https"
            } else if e.is_auth() {
                "the snapshot URL refused the credentials; some cameras guard snapshots with \
                 another account, or need their HTTP authentication set to digest"
            } else {
                "snapshots may need the camera's HTTP service enabled"
            };
            r.fail("media", "snapshot", Status::Warning, &e, advice);
        }
    }
}

/// Whether a snapshot URI carries a password in its query (or a Xiongmai path): one to hide,
/// or one a recording already hid (`pwd=[credentials]`), so that a replay is read as the
/// camera was.
fn password_in_query(uri: &str) -> bool {
    onvif::address::redact_query_secrets(uri) != uri || uri.contains("=[credentials]")
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

pub(super) async fn ptz(r: &mut Report, cam: &Camera, moves: bool) {
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
    // A camera that refuses a kind of move says so with ActionNotSupported: a warning.
    let status = |e: &Error| {
        if e.fault().is_some_and(|f| f.is_action_not_supported()) {
            Status::Warning
        } else {
            Status::Problem
        }
    };
    match cam
        .ptz_continuous(t, Some(0.1), None, None, Some(Duration::from_millis(300)))
        .await
    {
        Ok(()) => {
            let _ = cam.ptz_stop(t).await;
            r.add("ptz", "ContinuousMove", Status::Ok, "moved, and stopped");
        }
        Err(e) => {
            let advice = "`ptz control` and the bridge's moves fall back to RelativeMove steps";
            r.fail("ptz", "ContinuousMove", status(&e), &e, advice);
        }
    }
    match cam.ptz_relative(t, Some(0.05), None, None, None).await {
        Ok(()) => {
            let _ = cam.ptz_relative(t, Some(-0.05), None, None, None).await;
            r.add("ptz", "RelativeMove", Status::Ok, "moved there and back");
        }
        Err(e) => {
            let advice = "`ptz step` falls back to a short ContinuousMove";
            r.fail("ptz", "RelativeMove", status(&e), &e, advice);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::password_in_query;

    #[test]
    fn a_password_in_the_query_is_found_whether_shown_or_already_hidden() {
        for uri in [
            "http://cam/snap.jpg?usr=admin&pwd=S3cret",
            "http://cam/snapshot?profile=P&user=admin&password=[credentials]",
            "rtsp://cam:554/user=admin_password=[credentials]_channel=1_stream=0.sdp",
        ] {
            assert!(password_in_query(uri), "{uri}");
        }
        for uri in [
            "http://cam/onvif/snapshot?profile=Profile_1",
            "http://[credentials]@cam/snap.jpg",
            "http://cam/snap.jpg?pwd=",
        ] {
            assert!(!password_in_query(uri), "{uri}");
        }
    }
}
