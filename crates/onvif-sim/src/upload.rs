//! Uploads: the addresses StartFirmwareUpgrade and StartSystemRestore hand out (each good for
//! one upload of its kind, for a while), and the firmware images the simulated camera takes.
//! The HTTP side is `server::upload`.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// The path the upload addresses are under (`/onvif/upload/<id>`).
pub(crate) const PATH: &str = "/onvif/upload";

/// The largest upload taken; a larger one is answered `413 Payload Too Large`.
pub(crate) const MAX_UPLOAD_BYTES: usize = 64 << 20;

/// How long an upload address stays good after it was handed out.
pub(crate) const SLOT_LIFETIME: Duration = Duration::from_secs(600);

/// At most this many upload addresses open at once; opening another closes the oldest.
const MAX_SLOTS: usize = 8;

/// What a simulated camera's firmware image starts with: this, the version, a line end.
pub const FIRMWARE_MAGIC: &str = "ONVIF-SIM-FIRMWARE ";

/// The longest firmware version an image may name.
const MAX_VERSION_LEN: usize = 64;

/// A firmware image the simulated camera takes, naming `version` (anything may follow the
/// first line; this one is followed by nothing).
pub fn firmware_image(version: &str) -> Vec<u8> {
    format!("{FIRMWARE_MAGIC}{version}\n").into_bytes()
}

/// The version a firmware image names, or why the camera does not take it.
pub(crate) fn firmware_version(image: &[u8]) -> Result<String, String> {
    let Some(rest) = image.strip_prefix(FIRMWARE_MAGIC.as_bytes()) else {
        return Err(format!(
            "not a firmware image for this camera (it starts with {FIRMWARE_MAGIC:?}, then the \
             version and a line end)"
        ));
    };
    let end = rest
        .iter()
        .take(MAX_VERSION_LEN + 2)
        .position(|&b| b == b'\n')
        .ok_or_else(|| {
            format!("the image's first line does not end within {MAX_VERSION_LEN} characters")
        })?;
    let version = std::str::from_utf8(&rest[..end])
        .map(|v| v.trim_end_matches('\r'))
        .map_err(|_| "the image's version is not UTF-8".to_owned())?;
    if version.is_empty()
        || version.len() > MAX_VERSION_LEN
        || !version.chars().all(|c| c.is_ascii_graphic())
    {
        return Err(format!(
            "the image's version {version:?} is not 1 to {MAX_VERSION_LEN} printable characters \
             without spaces"
        ));
    }
    Ok(version.to_owned())
}

/// What an upload address takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A firmware image (StartFirmwareUpgrade).
    Firmware,
    /// A configuration backup (StartSystemRestore).
    Restore,
}

/// The open upload addresses, by id.
#[derive(Debug, Default)]
pub(crate) struct Slots {
    /// What each takes, when it was opened, and in what order.
    open: HashMap<String, (Kind, Instant, u64)>,
    opened: u64,
}

impl Slots {
    /// A new upload address's id, good until [`SLOT_LIFETIME`] from `now`.
    pub(crate) fn open(&mut self, kind: Kind, now: Instant) -> String {
        self.open
            .retain(|_, (_, at, _)| now.saturating_duration_since(*at) < SLOT_LIFETIME);
        if self.open.len() >= MAX_SLOTS
            && let Some(oldest) = self
                .open
                .iter()
                .min_by_key(|(_, (_, _, n))| *n)
                .map(|(id, _)| id.clone())
        {
            self.open.remove(&oldest);
        }
        let id = crate::auth::random_hex(12);
        self.opened += 1;
        self.open.insert(id.clone(), (kind, now, self.opened));
        id
    }

    /// Use up the address `id`: what it takes, when it was open and still good.
    pub(crate) fn take(&mut self, id: &str, now: Instant) -> Option<Kind> {
        self.open
            .remove(id)
            .filter(|(_, at, _)| now.saturating_duration_since(*at) < SLOT_LIFETIME)
            .map(|(kind, _, _)| kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_names_its_version_on_its_first_line() {
        assert_eq!(
            firmware_version(&firmware_image("2.1.0")),
            Ok("2.1.0".into())
        );
        let mut img = b"ONVIF-SIM-FIRMWARE v3-beta\r\n".to_vec();
        img.extend_from_slice(&[0, 1, 2, 255]);
        assert_eq!(firmware_version(&img), Ok("v3-beta".into()));
        for bad in [
            &b"\x7fELF..."[..],
            b"ONVIF-SIM-FIRMWARE \n",
            b"ONVIF-SIM-FIRMWARE two words\n",
            b"ONVIF-SIM-FIRMWARE 1.0",
            b"",
        ] {
            assert!(firmware_version(bad).is_err(), "{bad:?}");
        }
        let long = firmware_image(&"9".repeat(MAX_VERSION_LEN + 1));
        assert!(firmware_version(&long).is_err());
    }

    #[test]
    fn an_address_is_good_once_and_for_a_while() {
        let now = Instant::now();
        let mut slots = Slots::default();
        let a = slots.open(Kind::Firmware, now);
        let b = slots.open(Kind::Restore, now);
        assert_ne!(a, b);
        assert_eq!(slots.take(&a, now), Some(Kind::Firmware));
        assert_eq!(slots.take(&a, now), None, "used up");
        assert_eq!(slots.take(&b, now + SLOT_LIFETIME), None, "expired");
        assert_eq!(slots.take("nope", now), None);
        let ids: Vec<String> = (0..=MAX_SLOTS)
            .map(|_| slots.open(Kind::Restore, now))
            .collect();
        assert_eq!(
            slots.take(&ids[0], now),
            None,
            "the oldest closed for a new one"
        );
        assert_eq!(slots.take(&ids[MAX_SLOTS], now), Some(Kind::Restore));
    }
}
