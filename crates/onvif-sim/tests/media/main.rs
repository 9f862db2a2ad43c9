//! Media (ver10), Media2 (ver20) and Imaging (ver20) operations, stream and snapshot URIs, and
//! the snapshot URL itself, over real sockets.

#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use jiff::Timestamp;
use onvif_proto::ops::device::{Capabilities, GetCapabilities, GetServices, Services};
use onvif_proto::ops::imaging::{
    FocusMove, GetImagingSettings, GetMoveOptions, GetOptions, ImagingOptionsResponse,
    ImagingSettings, ImagingSettingsResponse, IrCutFilterMode, Move, MoveOptionsResponse,
    SetImagingSettings, Stop,
};
use onvif_proto::ops::profile::{
    IntRange, MediaProfile, MediaVersion, Resolution, VideoEncoder, VideoEncoding,
};
use onvif_proto::ops::{Service, imaging, media, media2};
use onvif_sim::{AuthFailure, AuthMode, Quirk, SnapshotAuth};
use onvif_testkit::http::{DEVICE, RawResp, Req, Resp, call, envelope_of, send_raw, token};
use onvif_testkit::{PASSWORD, Sim, USER};

mod configs;
mod imaging_service;
mod snapshot;
mod uris;
mod ver10;
mod ver20;

const MEDIA: &str = "/onvif/media_service";
const MEDIA2: &str = "/onvif/media2_service";
const IMAGING: &str = "/onvif/imaging_service";

/// Assert a 400 Sender fault with `ter:InvalidArgVal / ter:<sub>`, in that order.
fn assert_invalid_arg(r: &Resp, sub: &str) {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Sender", "{f}");
    let subs: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["InvalidArgVal", sub], "{f}");
    assert!(f.has_subcode(sub), "{f}");
}

fn encoder(p: &MediaProfile) -> &VideoEncoder {
    p.video_encoder.as_ref().unwrap()
}

fn res(width: u32, height: u32) -> Option<Resolution> {
    Some(Resolution { width, height })
}

/// The path and query of an `http://` URI.
fn path_of(uri: &str) -> String {
    let rest = uri.strip_prefix("http://").unwrap();
    rest[rest.find('/').unwrap()..].to_owned()
}

async fn get(cam: &Sim, path: &str, auth: Option<&str>) -> RawResp {
    let mut req = Req::new("GET", path, "");
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    req.send_bytes(cam.addr()).await
}

fn assert_jpeg(r: &RawResp) {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert!(r.body.starts_with(&[0xFF, 0xD8]), "JPEG SOI");
    assert!(r.body.ends_with(&[0xFF, 0xD9]), "JPEG EOI");
    assert!(r.body.len() > 1000, "{} bytes", r.body.len());
}

/// An Authorization header answering `challenge` for `GET uri`.
fn digest(challenge: &str, alg: &str, password: &str, uri: &str) -> String {
    onvif_testkit::http::digest::authorization(challenge, alg, "GET", uri, password, 1)
}

/// GET `path` answering a fresh Digest challenge with `alg` and `password`.
async fn get_with_digest(cam: &Sim, path: &str, alg: &str, password: &str) -> RawResp {
    let r = get(cam, path, None).await;
    assert_eq!(r.status, 401);
    let challenge = r
        .headers_all("www-authenticate")
        .into_iter()
        .find(|c| c.contains(&format!("algorithm={alg}")))
        .unwrap()
        .to_owned();
    get(cam, path, Some(&digest(&challenge, alg, password, path))).await
}
