//! The camera's mutable state and the counters tests read.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use jiff::{SignedDuration, Timestamp};
use onvif_proto::ops::Service;
pub(crate) use onvif_proto::ops::device::percent_encode;
use onvif_proto::ops::device::{DateTimeType, DeviceInformation, Scope};

use crate::accounts::Accounts;
use crate::auth::{AuthFailure, DigestNonces, Lockout, NonceCache};
use crate::config::{Quirk, SimConfig};
use crate::media::MediaState;
use crate::network::{Logs, NetworkSettings};
use crate::ptz::Ptz;
use crate::snapshot::SnapshotCache;
use crate::sync::lock;

/// Counters since the camera started. A snapshot: see [`crate::SimHandle::stats`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimStats {
    /// TCP connections accepted.
    pub connections: u64,
    /// Connections closed to make room for newer ones (see
    /// [`crate::SimConfig::max_connections_per_peer`]).
    pub connections_evicted: u64,
    /// POST requests that reached a service path (404s and 405s are not counted).
    pub requests: u64,
    /// Requests refused for their credentials.
    pub auth_failures: u64,
    /// The same, by reason.
    pub auth_failure_reasons: BTreeMap<AuthFailure, u64>,
    /// 401 answers sent (each with a fresh Digest nonce).
    pub digest_challenges: u64,
    /// Answers that were SOAP faults, authentication faults included.
    pub faults: u64,
    /// Operations that got past authentication and were run, by service and local name
    /// (whether they succeeded or answered with a fault of their own).
    pub operations: BTreeMap<(Service, &'static str), u64>,
    /// Requests to the snapshot URL, whatever their outcome (refused ones included; they are
    /// not in `requests`).
    pub snapshot_requests: u64,
    /// JPEG images served by the snapshot URL.
    pub snapshots_served: u64,
    /// Times the account was locked ([`crate::SimConfig::lockout`]).
    pub lockouts: u64,
}

impl SimStats {
    /// How many times an operation of this local name ran, in any service.
    pub fn operation(&self, name: &str) -> u64 {
        self.operations
            .iter()
            .filter(|((_, n), _)| *n == name)
            .map(|(_, c)| c)
            .sum()
    }

    /// How many requests were refused for this reason.
    pub fn auth_failures_of(&self, reason: AuthFailure) -> u64 {
        self.auth_failure_reasons.get(&reason).copied().unwrap_or(0)
    }
}

/// Settings an operation can change.
#[derive(Debug, Clone)]
pub(crate) struct Camera {
    /// Camera clock minus real time.
    pub clock_offset: SignedDuration,
    pub date_time_type: DateTimeType,
    pub daylight_savings: bool,
    /// POSIX TZ string.
    pub time_zone: String,
    pub hostname: String,
    pub device_info: DeviceInformation,
    pub scopes: Vec<Scope>,
    pub reboots: u64,
    /// Encoders, imaging settings, focus.
    pub media: MediaState,
    /// On-screen displays.
    pub osd: crate::osd::OsdState,
    /// The video analytics configuration's modules and rules.
    pub analytics: crate::analytics::AnalyticsState,
    /// DNS, NTP, protocols, gateway, discovery mode.
    pub net: NetworkSettings,
    /// What changed, for GetSystemLog.
    pub logs: Logs,
    /// The replay service's session timeout (Get/SetReplayConfiguration).
    pub replay_session_timeout: std::time::Duration,
    /// The firmware version an uploaded image installs at the next restart.
    pub pending_firmware: Option<String>,
}

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub cfg: SimConfig,
    /// The address actually bound.
    pub addr: SocketAddr,
    camera: Mutex<Camera>,
    stats: Mutex<SimStats>,
    pub nonce_cache: Mutex<NonceCache>,
    pub digest_nonces: Mutex<DigestNonces>,
    /// Failed logins, and the lock they may lead to.
    pub lockout: Mutex<Lockout>,
    /// JPEG images, encoded once per profile.
    pub snapshots: SnapshotCache,
    /// The PTZ heads, on their own clock.
    pub ptz: Ptz,
    /// Event subscriptions and the states events report.
    pub events: crate::events::EventHub,
    /// Relay outputs and digital inputs.
    pub io: crate::io::Io,
    /// The open recording and event searches.
    pub archive: crate::archive::Archive,
    /// The user accounts authentication checks against (the configured user at first).
    pub accounts: Mutex<Accounts>,
    /// Operations (by local name) whose next requests are cut unanswered, and how many
    /// ([`crate::SimHandle::cut_next`]).
    pub cuts: Mutex<std::collections::HashMap<String, u32>>,
    /// The upload addresses StartFirmwareUpgrade answered.
    pub uploads: Mutex<crate::upload::Slots>,
}

impl Shared {
    pub(crate) fn new(cfg: SimConfig, addr: SocketAddr) -> Self {
        let camera = Camera {
            clock_offset: cfg.clock_skew,
            date_time_type: DateTimeType::Manual,
            daylight_savings: false,
            time_zone: "UTC0".into(),
            hostname: FACTORY_HOSTNAME.into(),
            device_info: cfg.device_info.clone(),
            scopes: default_scopes(&cfg.name, &cfg.device_info.model),
            reboots: 0,
            media: MediaState::new(),
            osd: crate::osd::OsdState::new(cfg.has(Quirk::OsdChannelName)),
            analytics: crate::analytics::AnalyticsState::new(cfg.has(Quirk::VendorAnalyticsModule)),
            net: NetworkSettings::factory(addr.port()),
            logs: Logs::default(),
            replay_session_timeout: crate::archive::MAX_SESSION_TIMEOUT,
            pending_firmware: None,
        };
        let accounts = Mutex::new(Accounts::new(&cfg.user, &cfg.password));
        let ptz = Ptz::new(cfg.manual_clock);
        let lockout = Mutex::new(Lockout::new(cfg.lockout));
        Shared {
            ptz,
            cfg,
            addr,
            camera: Mutex::new(camera),
            stats: Mutex::new(SimStats::default()),
            nonce_cache: Mutex::new(NonceCache::default()),
            digest_nonces: Mutex::new(DigestNonces::new()),
            lockout,
            snapshots: SnapshotCache::default(),
            events: crate::events::EventHub::default(),
            io: crate::io::Io::default(),
            archive: crate::archive::Archive::default(),
            accounts,
            cuts: Mutex::default(),
            uploads: Mutex::default(),
        }
    }

    /// Whether this request of `op` is one to cut ([`crate::SimHandle::cut_next`]).
    pub(crate) fn cut(&self, op: &str) -> bool {
        let mut cuts = lock(&self.cuts);
        match cuts.get_mut(op) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    pub(crate) fn accounts(&self) -> MutexGuard<'_, Accounts> {
        lock(&self.accounts)
    }

    /// SetSystemFactoryDefault: the device's own settings back to a new camera's (accounts,
    /// host name, network settings, time zone and clock mode); media, PTZ and events keep
    /// theirs. A soft one keeps the network interface's settings (Core: what network
    /// connectivity needs); a hard one resets them too. The simulated camera stays reachable
    /// at its address whatever the kind.
    pub(crate) fn factory_reset(&self, hard: bool) {
        *self.accounts() = Accounts::new(&self.cfg.user, &self.cfg.password);
        let mut cam = self.camera();
        cam.hostname = FACTORY_HOSTNAME.into();
        // A soft reset keeps what the camera is reached by: its interface's address.
        let interface = cam.net.interface.clone();
        cam.net = NetworkSettings::factory(self.addr.port());
        if !hard {
            cam.net.interface = interface;
        }
        cam.time_zone = "UTC0".into();
        cam.date_time_type = DateTimeType::Manual;
        cam.daylight_savings = false;
        cam.scopes = default_scopes(&self.cfg.name, &self.cfg.device_info.model);
    }

    pub(crate) fn camera(&self) -> MutexGuard<'_, Camera> {
        lock(&self.camera)
    }

    pub(crate) fn nonce_cache(&self) -> MutexGuard<'_, NonceCache> {
        lock(&self.nonce_cache)
    }

    pub(crate) fn digest_nonces(&self) -> MutexGuard<'_, DigestNonces> {
        lock(&self.digest_nonces)
    }

    /// Change the counters.
    pub(crate) fn count(&self, f: impl FnOnce(&mut SimStats)) {
        f(&mut lock(&self.stats));
    }

    pub(crate) fn stats(&self) -> SimStats {
        lock(&self.stats).clone()
    }

    /// The camera's clock now: real time plus its offset, to the millisecond (cameras write
    /// 0 to 3 fractional digits; some clients' date parsers take no more than 6).
    pub(crate) fn camera_now(&self) -> Timestamp {
        to_millisecond(self.camera_clock())
    }

    /// [`Shared::camera_now`], and the instant it names: a deadline set from that instant
    /// reads back through [`Shared::camera_time_at`] as the camera time it was set from.
    pub(crate) fn camera_now_and_instant(&self) -> (Timestamp, tokio::time::Instant) {
        let (at, exact) = (tokio::time::Instant::now(), self.camera_clock());
        let now = to_millisecond(exact);
        let below = exact.duration_since(now).unsigned_abs();
        (now, at.checked_sub(below).unwrap_or(at))
    }

    /// The camera's clock at `at`, to the nearest millisecond: the same in every answer for
    /// the same instant (a subscription's termination time, say).
    pub(crate) fn camera_time_at(&self, at: tokio::time::Instant) -> Timestamp {
        let (now, clock) = (tokio::time::Instant::now(), self.camera_clock());
        let ahead = SignedDuration::try_from(at.saturating_duration_since(now));
        let t = shift(clock, ahead.unwrap_or_default());
        t.round(jiff::Unit::Millisecond).unwrap_or(t)
    }

    fn camera_clock(&self) -> Timestamp {
        shift(Timestamp::now(), self.camera().clock_offset)
    }
}

/// The host name of a new camera.
pub(crate) const FACTORY_HOSTNAME: &str = "onvif-sim";

/// `t` without what it holds below the millisecond.
pub(crate) fn to_millisecond(t: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(t.as_millisecond()).unwrap_or(t)
}

/// `t + d`, clamped to the representable range.
pub(crate) fn shift(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.saturating_add(d).unwrap_or(t)
}

fn default_scopes(name: &str, model: &str) -> Vec<Scope> {
    let fixed = |item: String| Scope {
        definition: "Fixed".into(),
        item,
    };
    let configurable = |item: String| Scope {
        definition: "Configurable".into(),
        item,
    };
    let base = "onvif://www.onvif.org";
    vec![
        fixed(format!("{base}/type/video_encoder")),
        fixed(format!("{base}/Profile/Streaming")),
        fixed(format!("{base}/Profile/T")),
        fixed(format!("{base}/hardware/{}", percent_encode(model))),
        configurable(format!("{base}/name/{}", percent_encode(name))),
        configurable(format!("{base}/location/city/loopback")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use onvif_proto::ops::device::percent_decode;

    #[test]
    fn scope_names_are_percent_encoded_both_ways() {
        let enc = percent_encode("Garden Cam/1 ü");
        assert_eq!(enc, "Garden%20Cam%2F1%20%C3%BC");
        assert_eq!(percent_decode(&enc), "Garden Cam/1 ü");
    }
}
