//! The simulated camera's request path end to end, in process: an HTTP request (request line,
//! headers, blank line, body) in, a status and an answer out, never a panic. The first byte
//! picks the posture and the authentication mode; there is one camera per choice, kept from
//! input to input (as a running camera's state is), since building a camera's routes anew for
//! every input retains about 400 bytes each time (a real camera builds them once).
//!
//! A `Subscribe` request is skipped: the camera would then POST notifications to whatever
//! address the input names, and fuzzing must not reach the network.
#![no_main]

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use libfuzzer_sys::fuzz_target;
use onvif_sim::{AuthMode, SimConfig};
use tower::ServiceExt;

#[path = "../shared/runtime.rs"]
mod shared_runtime;
use shared_runtime::runtime;

/// The camera for a choice of posture and authentication.
fn camera(flags: u8) -> axum::Router {
    static CAMERAS: OnceLock<Mutex<HashMap<u8, axum::Router>>> = OnceLock::new();
    let flags = flags & 0b11_1111;
    let mut cameras = CAMERAS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    cameras
        .entry(flags)
        .or_insert_with(|| {
            let auth = AuthMode::ALL[usize::from(flags & 7) % AuthMode::ALL.len()];
            let cfg = SimConfig::new()
                .strict(flags & 8 != 0)
                .auth(auth)
                .accept_password_text(flags & 16 != 0)
                .allow_basic(flags & 32 != 0);
            runtime().block_on(async { onvif_sim::fuzzing::router(cfg) })
        })
        .clone()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, request)) = data.split_first() else {
        return;
    };
    if find(request, b"Subscribe").is_some() {
        return;
    }
    let (head, body) = match find(request, b"\r\n\r\n") {
        Some(i) => (&request[..i], &request[i + 4..]),
        None => (request, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let mut line = lines.next().unwrap_or_default().split(' ');
    let method =
        Method::from_bytes(line.next().unwrap_or("POST").as_bytes()).unwrap_or(Method::POST);
    let target = line.next().unwrap_or("/onvif/device_service");
    let mut req = Request::builder().method(method).uri(target);
    let mut known = false;
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.trim().as_bytes()),
            HeaderValue::from_str(v.trim()),
        ) {
            known = true;
            req = req.header(k, v);
        }
    }
    if !known {
        req = req
            .header("host", "127.0.0.1")
            .header("content-type", "application/soap+xml; charset=utf-8");
    }
    let Ok(req) = req.body(Body::from(body.to_vec())) else {
        return;
    };
    let app = camera(flags);
    runtime().block_on(async move {
        let resp = app.oneshot(req).await.expect("the router is infallible");
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024)
            .await
            .expect("an answer body");
        // A SOAP answer (success or fault) must be one the client can read.
        if status != StatusCode::NOT_FOUND
            && status != StatusCode::UNAUTHORIZED
            && bytes.starts_with(b"<?xml")
        {
            onvif_proto::soap::Envelope::parse(&bytes).expect("the camera's answer parses");
        }
    });
});
