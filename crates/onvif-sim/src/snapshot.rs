//! The snapshot URL's images: `GET /onvif/snapshot?profile=<token>` (the same path with
//! [`crate::Quirk::Tapo`]), as GetSnapshotUri names it, served by [`crate::server`].
//!
//! It serves a real JPEG, 320x180, made here: a gradient in a colour of its own per profile
//! above colour bars, encoded once per profile and kept. It is protected by HTTP
//! authentication as [`crate::SnapshotAuth`] says (Digest by default), whatever the SOAP
//! [`crate::AuthMode`]: a missing or wrong `Authorization` gets 401 with a challenge.
//! Without `profile` the first profile is shown; an unknown one is 404. With
//! [`crate::Quirk::SnapshotHtmlError`] an authenticated request gets 200 and an HTML error
//! page.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use jpeg_encoder::{ColorType, Encoder, EncodingError};

use crate::sync::lock;

/// Where snapshots are served.
pub(crate) const PATH: &str = "/onvif/snapshot";

const WIDTH: u16 = 320;
const HEIGHT: u16 = 180;
/// JPEG quality, 1..100.
const QUALITY: u8 = 85;

/// JPEG images by profile token, each encoded on first use.
#[derive(Default)]
pub(crate) struct SnapshotCache(Mutex<HashMap<&'static str, Bytes>>);

impl SnapshotCache {
    /// The image of profile number `index` (its colour) whose token is `token`.
    pub(crate) fn get(&self, index: usize, token: &'static str) -> Result<Bytes, EncodingError> {
        let mut map = lock(&self.0);
        if let Some(b) = map.get(token) {
            return Ok(b.clone());
        }
        let b = Bytes::from(render(index)?);
        map.insert(token, b.clone());
        Ok(b)
    }
}

/// One colour per profile.
const TINTS: [[u8; 3]; 3] = [[40, 120, 230], [60, 200, 90], [240, 140, 40]];
/// White, yellow, cyan, green, magenta, red, blue, black.
const BARS: [[u8; 3]; 8] = [
    [235, 235, 235],
    [235, 235, 16],
    [16, 235, 235],
    [16, 235, 16],
    [235, 16, 235],
    [235, 16, 16],
    [16, 16, 235],
    [16, 16, 16],
];

/// Encode the picture of profile number `index`.
fn render(index: usize) -> Result<Vec<u8>, EncodingError> {
    let tint = TINTS[index % TINTS.len()];
    let (w, h) = (usize::from(WIDTH), usize::from(HEIGHT));
    let bars_from = h * 3 / 4;
    let span = w + bars_from - 2;
    let mut px = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let rgb = if y >= bars_from {
                BARS[x * BARS.len() / w]
            } else {
                // A diagonal gradient from black to the tint, on a faint 16-pixel checker.
                let t = (x + y) * 255 / span;
                let lift = if (x / 16 + y / 16) % 2 == 0 { 24 } else { 0 };
                tint.map(|c| {
                    let v = usize::from(c) * t / 255 + lift;
                    u8::try_from(v).unwrap_or(u8::MAX)
                })
            };
            px.extend_from_slice(&rgb);
        }
    }
    let mut out = Vec::with_capacity(16 * 1024);
    Encoder::new(&mut out, QUALITY).encode(&px, WIDTH, HEIGHT, ColorType::Rgb)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::PROFILES;

    #[test]
    fn each_profile_gets_a_real_jpeg_of_its_own() {
        let images: Vec<Vec<u8>> = (0..PROFILES.len())
            .map(|i| render(i).unwrap_or_default())
            .collect();
        for img in &images {
            assert!(img.starts_with(&[0xFF, 0xD8]), "SOI");
            assert!(img.ends_with(&[0xFF, 0xD9]), "EOI");
        }
        assert_ne!(images[0], images[1]);
        assert_ne!(images[1], images[2]);
    }
}
