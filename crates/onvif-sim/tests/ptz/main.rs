//! The PTZ service over real sockets: every operation, positions after stepping the injected
//! clock, clamping, timeouts, presets and home, the second node's ranges, quirks.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif_proto::ops::device::{GetServices, Services};
use onvif_proto::ops::ptz::scale::{self, Motion};
use onvif_proto::ops::ptz::*;
use onvif_proto::ops::{Operation, Service};
use onvif_sim::Quirk;
use onvif_testkit::Sim;
use onvif_testkit::http::{DEVICE, LIMIT, Req, Resp, call};

mod auxiliary;
mod degree_head;
mod moves;
mod nodes;
mod presets;

const PTZ: &str = "/onvif/ptz_service";
/// The generic head's profile.
const P1: &str = "Profile_1";
/// The degree head's profile.
const P3: &str = "Profile_3";

/// Call a PTZ operation with a fresh UsernameToken.
async fn ask<O: Operation>(cam: &Sim, op: &O) -> Resp {
    cam.ask(PTZ, op).await
}

/// Call and read the typed answer (the status must be 200).
async fn ok<O: Operation>(cam: &Sim, op: &O) -> O::Response {
    ask(cam, op).await.read()
}

/// Assert a 400 Sender fault with `ter:InvalidArgVal / ter:<sub>`; returns the reason.
fn assert_invalid_arg(r: &Resp, sub: &str) -> String {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Sender", "{f}");
    let subs: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["InvalidArgVal", sub], "{f}");
    f.reason
}

/// Assert a 500 Receiver fault with `ter:Action / ter:<sub>`.
fn assert_action(r: &Resp, sub: &str) {
    assert_eq!(r.status, 500, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Receiver", "{f}");
    assert!(f.has_subcode("Action") && f.has_subcode(sub), "{f}");
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

#[track_caller]
fn assert_near(got: (f64, f64, f64), want: (f64, f64, f64)) {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(
        close(got.0, want.0) && close(got.1, want.1) && close(got.2, want.2),
        "position {got:?}, expected {want:?}"
    );
}

#[track_caller]
fn assert_at(cam: &Sim, token: &str, want: (f64, f64, f64)) {
    assert_near(cam.ptz_position(token).unwrap(), want);
}

fn moving(cam: &Sim, token: &str) -> bool {
    cam.ptz_head(token).unwrap().moving()
}

fn absolute(
    profile: &str,
    pan: f64,
    tilt: f64,
    zoom: f64,
    speed: Option<PtzVector>,
) -> AbsoluteMove {
    AbsoluteMove {
        profile_token: profile.into(),
        position: PtzVector::new(pan, tilt, zoom),
        speed,
    }
}

fn speeds(pan: f64, tilt: f64, zoom: f64) -> PtzVector {
    PtzVector {
        pan_tilt: Some(Vector2D::new(pan, tilt)),
        zoom: Some(Vector1D::new(zoom)),
    }
}

fn continuous(profile: &str, v: PtzVector, timeout: Option<Duration>) -> ContinuousMove {
    ContinuousMove {
        profile_token: profile.into(),
        velocity: v,
        timeout,
    }
}

fn pan_only(p: f64, t: f64) -> PtzVector {
    PtzVector {
        pan_tilt: Some(Vector2D::new(p, t)),
        zoom: None,
    }
}

fn zoom_only(z: f64) -> PtzVector {
    PtzVector {
        pan_tilt: None,
        zoom: Some(Vector1D::new(z)),
    }
}

async fn status(cam: &Sim, profile: &str) -> PtzStatus {
    ok(
        cam,
        &GetStatus {
            profile_token: profile.into(),
        },
    )
    .await
    .status
}
