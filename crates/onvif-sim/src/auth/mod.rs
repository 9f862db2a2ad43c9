//! Credential checks: WS-Security UsernameToken (with a replay cache and the `Created` window
//! measured on the camera's clock) and HTTP Digest (RFC 7616, MD5 and SHA-256, `qop=auth`),
//! written here with md-5 and sha2 so that it cross-checks the client's http-auth crate.
//!
//! Nothing here logs or returns a password, a digest or a Digest `response`.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use jiff::{SignedDuration, Timestamp};
use onvif_proto::wsse::{self, PasswordType, UsernameToken};
use onvif_proto::xml::Element;
use tokio::time::Instant;

/// How far `Created` may be from the camera clock, either way.
pub const CREATED_WINDOW: SignedDuration = SignedDuration::from_secs(5 * 60);

// ---------------------------------------------------------------------------------------------
// WS-Security UsernameToken

/// The longest UsernameToken nonce accepted, in decoded bytes. Real clients send 16 (ONVIF's
/// own examples, gSOAP, this project) or 20; anything longer than this is refused with
/// [`AuthFailure::NonceTooLong`] before it is stored or hashed.
pub const MAX_NONCE_BYTES: usize = 64;
/// How many UsernameToken nonces the replay cache holds at most. A nonce is kept for as long
/// as its `Created` is acceptable (at most 10 minutes), so this is 54 logins a second sustained
/// for 10 minutes, far beyond what a camera serves; when it is full, further tokens are
/// refused ([`AuthFailure::ReplayCacheFull`]) rather than older nonces forgotten. At 64-byte
/// nonces the full cache takes 4,259,840 bytes of table and nonces (the `nonce_cache_bytes_are_bounded`
/// test).
pub const NONCE_CACHE_CAP: usize = 32_768;
/// Every nonce is remembered for at least this long, of monotonic time: the whole `Created`
/// window (a token may be created up to 5 minutes ahead of the camera clock, and is
/// acceptable until 5 minutes after). A nonce whose `Created` is still acceptable on the
/// camera clock (set back since, say) is kept longer.
const NONCE_TTL: Duration = Duration::from_secs(10 * 60);
/// When the cache is full, expired nonces are looked for at most this often.
const FULL_SWEEP_EVERY: Duration = Duration::from_secs(1);

/// What the cache keeps of a nonce besides its bytes.
#[derive(Debug, Clone, Copy)]
struct Kept {
    /// Kept at least until this many seconds after the cache's base instant.
    until: u32,
    /// The token's `Created`, in whole seconds since the epoch (rounded down), or
    /// [`NO_CREATED`] (a PasswordText token may have none).
    created: i64,
}

const NO_CREATED: i64 = i64::MIN;

/// Why the cache did not take a nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NonceRefused {
    Replayed,
    Full,
}

/// Nonces already used, each stored once, each kept while its token could still be accepted,
/// at most [`NONCE_CACHE_CAP`] of them. Expired ones are swept when the map has doubled since
/// the last sweep (amortised constant time per insert) or, when full, at most once a second.
#[derive(Debug)]
pub(crate) struct NonceCache {
    seen: HashMap<Box<[u8]>, Kept>,
    base: Instant,
    sweep_at_len: usize,
    last_full_sweep: Option<Instant>,
    cap: usize,
}

impl Default for NonceCache {
    fn default() -> Self {
        NonceCache::with_cap(NONCE_CACHE_CAP)
    }
}

impl NonceCache {
    pub(crate) fn with_cap(cap: usize) -> Self {
        NonceCache {
            seen: HashMap::new(),
            base: Instant::now(),
            sweep_at_len: 1024.min(cap),
            last_full_sweep: None,
            cap,
        }
    }

    /// Nonces held now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }

    /// The heap bytes the cache holds: the hash table's buckets (each an entry and a control
    /// byte, as hashbrown lays them out) and every nonce's bytes.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        let cap = self.seen.capacity();
        let buckets = if cap == 0 {
            0
        } else if cap < 8 {
            (cap + 1).next_power_of_two()
        } else {
            (cap * 8 / 7).next_power_of_two()
        };
        let entry = std::mem::size_of::<(Box<[u8]>, Kept)>() + 1;
        buckets * entry + self.seen.keys().map(|k| k.len()).sum::<usize>()
    }

    /// Remember `nonce` (of a token created at `created`, checked against `camera_now`).
    pub(crate) fn insert(
        &mut self,
        nonce: &[u8],
        created: Option<Timestamp>,
        camera_now: Timestamp,
        now: Instant,
    ) -> Result<(), NonceRefused> {
        let elapsed = now.saturating_duration_since(self.base).as_secs();
        let camera_secs = camera_now.as_second();
        // Kept while either clock says the token might still be accepted.
        let live = |k: &Kept| {
            u64::from(k.until) > elapsed
                || (k.created != NO_CREATED
                    && camera_secs <= k.created.saturating_add(CREATED_WINDOW.as_secs() + 1))
        };
        if let Some(k) = self.seen.get(nonce) {
            if live(k) {
                return Err(NonceRefused::Replayed);
            }
            self.seen.remove(nonce);
        }
        if self.seen.len() >= self.sweep_at_len {
            let full = self.seen.len() >= self.cap;
            let due = self
                .last_full_sweep
                .is_none_or(|t| now.saturating_duration_since(t) >= FULL_SWEEP_EVERY);
            if !full || due {
                if full {
                    self.last_full_sweep = Some(now);
                }
                self.seen.retain(|_, k| live(k));
                self.sweep_at_len = (self.seen.len() * 2).clamp(1024.min(self.cap), self.cap);
            }
        }
        if self.seen.len() >= self.cap {
            return Err(NonceRefused::Full);
        }
        let until = u32::try_from(elapsed + NONCE_TTL.as_secs() + 1).unwrap_or(u32::MAX);
        self.seen.insert(
            nonce.into(),
            Kept {
                until,
                created: created.map_or(NO_CREATED, |c| c.as_second()),
            },
        );
        Ok(())
    }
}

/// What the token check needs to know about the camera.
pub(crate) struct TokenPolicy<'a> {
    pub user: &'a str,
    pub password: &'a str,
    pub accept_password_text: bool,
    /// The camera's clock now.
    pub camera_now: Timestamp,
    /// Strict posture: a `Created` without a time zone is refused (by default it is read as
    /// UTC, as cameras do).
    pub strict: bool,
}

/// The user name the UsernameToken of a SOAP Header names, if it has a readable one.
pub(crate) fn claimed_token_user(header: Option<&Element>) -> Option<String> {
    UsernameToken::from_header(header?)
        .ok()
        .flatten()
        .map(|t| t.username)
}

/// Check the UsernameToken in a SOAP Header. The nonce is recorded only once everything else
/// passed, so a refused request does not burn it.
pub(crate) fn check_username_token(
    header: Option<&Element>,
    policy: &TokenPolicy<'_>,
    cache: &mut NonceCache,
    now: Instant,
) -> Result<(), AuthFailure> {
    let Some(header) = header else {
        return Err(AuthFailure::Missing);
    };
    if policy.strict && has_duplicate_security(header) {
        return Err(AuthFailure::DuplicateSecurity);
    }
    let token = match UsernameToken::from_header(header) {
        Ok(Some(t)) => t,
        Ok(None) => return Err(AuthFailure::Missing),
        Err(_) => return Err(AuthFailure::MalformedToken),
    };
    if !wsse::constant_time_eq(token.username.as_bytes(), policy.user.as_bytes()) {
        return Err(AuthFailure::UnknownUser);
    }
    let nonce = match token.nonce.as_deref().map(str::trim) {
        None => None,
        // Refused before decoding or hashing: 88 Base64 characters carry 64 bytes.
        Some(n) if n.len() > MAX_NONCE_BYTES.div_ceil(3) * 4 => {
            return Err(AuthFailure::NonceTooLong);
        }
        Some(n) => match B64.decode(n) {
            Ok(bytes) if bytes.len() > MAX_NONCE_BYTES => return Err(AuthFailure::NonceTooLong),
            Ok(bytes) if !bytes.is_empty() => Some(bytes),
            _ => return Err(AuthFailure::MalformedToken),
        },
    };
    match token.password_type {
        PasswordType::Text if !policy.accept_password_text => {
            return Err(AuthFailure::PasswordTextRefused);
        }
        PasswordType::Text => {}
        PasswordType::Digest => {
            if nonce.is_none() || token.created.is_none() {
                return Err(AuthFailure::MissingNonceOrCreated);
            }
        }
    }
    if !token.verify(policy.password) {
        return Err(AuthFailure::WrongPassword);
    }
    let created = match token.created.as_deref() {
        None => None,
        Some(created) => {
            let created =
                parse_created(created, policy.strict).ok_or(AuthFailure::CreatedOutOfRange)?;
            if policy.camera_now.duration_since(created).abs() > CREATED_WINDOW {
                return Err(AuthFailure::CreatedOutOfRange);
            }
            Some(created)
        }
    };
    if let Some(n) = nonce {
        match cache.insert(&n, created, policy.camera_now, now) {
            Ok(()) => {}
            Err(NonceRefused::Replayed) => return Err(AuthFailure::ReplayedNonce),
            Err(NonceRefused::Full) => return Err(AuthFailure::ReplayCacheFull),
        }
    }
    Ok(())
}

/// Two `wsse:Security` blocks for the same role (SOAP 1.2 `role`, SOAP 1.1 `actor`; none
/// means the ultimate receiver), which WS-Security 1.1 (section 6.1) forbids.
fn has_duplicate_security(header: &Element) -> bool {
    let mut roles: Vec<Option<&str>> = Vec::new();
    for block in header
        .children
        .iter()
        .filter(|c| c.is(onvif_proto::ns::WSSE, "Security"))
    {
        let role = block
            .attr_ns(onvif_proto::ns::SOAP12, "role")
            .or_else(|| block.attr_ns(onvif_proto::ns::SOAP11, "actor"));
        if roles.contains(&role) {
            return true;
        }
        roles.push(role);
    }
    false
}

/// Strict: `Created` must carry a zone (`Z` or an offset), since a time without one means
/// something different on every camera. Otherwise a zoneless time is read as UTC.
fn parse_created(s: &str, strict: bool) -> Option<Timestamp> {
    let s = s.trim();
    let (_, clock) = s.split_once(['T', 't'])?;
    let zoned = clock.ends_with(['Z', 'z']) || clock.contains(['+', '-']);
    if zoned {
        onvif_proto::time::parse_datetime(s)
    } else if strict {
        None
    } else {
        onvif_proto::time::parse_datetime(&format!("{s}Z"))
    }
}

// ---------------------------------------------------------------------------------------------
// Lockout

/// Failed logins and the lock they lead to ([`crate::SimConfig::lockout`]): `max` password
/// guesses ([`AuthFailure::is_password_guess`]) within `window` lock the account for
/// `window`. Follows tokio's clock, so a test on a paused clock runs an hour in no time.
#[derive(Debug)]
pub(crate) struct Lockout {
    policy: Option<(u32, Duration)>,
    failures: VecDeque<Instant>,
    until: Option<Instant>,
}

impl Lockout {
    pub(crate) fn new(policy: Option<(u32, Duration)>) -> Self {
        Lockout {
            policy,
            failures: VecDeque::new(),
            until: None,
        }
    }

    /// How long the account stays locked, when it is locked now.
    pub(crate) fn locked_for(&mut self, now: Instant) -> Option<Duration> {
        match self.until {
            Some(t) if now < t => Some(t - now),
            Some(_) => {
                self.until = None;
                None
            }
            None => None,
        }
    }

    /// Count a refusal; true when it locks the account.
    pub(crate) fn record(&mut self, failure: AuthFailure, now: Instant) -> bool {
        let Some((max, window)) = self.policy else {
            return false;
        };
        if !failure.is_password_guess() || self.locked_for(now).is_some() {
            return false;
        }
        while self
            .failures
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            self.failures.pop_front();
        }
        self.failures.push_back(now);
        if self.failures.len() >= max.max(1) as usize {
            self.failures.clear();
            self.until = Some(now + window);
            return true;
        }
        false
    }
}

mod digest;
mod failure;

pub use digest::REALM;
pub(crate) use digest::*;
pub use failure::AuthFailure;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// RFC 7616 section 3.9.1.
    #[test]
    fn digest_matches_the_rfc_7616_examples() {
        let mut i = DigestInput {
            algorithm: Algorithm::Md5,
            username: "Mufasa",
            realm: "http-auth@example.org",
            password: "Circle of Life",
            method: "GET",
            uri: "/dir/index.html",
            nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            nc: "00000001",
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        };
        assert_eq!(digest_response(&i), "8ca523f5e9506fed4657c9700eebdbec");
        i.algorithm = Algorithm::Sha256;
        assert_eq!(
            digest_response(&i),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }

    #[test]
    fn auth_params_parse_quoted_escaped_and_refuse_garbage() {
        let p = parse_auth_params(
            r#"username="Mu\"fasa", realm="a, b", nc=00000001 ,qop=auth, uri="/x?y=1""#,
        )
        .unwrap();
        assert_eq!(p.get("username"), Some("Mu\"fasa"));
        assert_eq!(p.get("realm"), Some("a, b"));
        assert_eq!(p.get("nc"), Some("00000001"));
        assert_eq!(p.get("qop"), Some("auth"));
        assert_eq!(p.get("uri"), Some("/x?y=1"));
        for bad in [
            r#"a="unterminated"#,
            "a",
            "=b",
            "a=b c=d",
            "a=1, a=2",
            r#"a="x"y"#,
            "a=\u{0}",
        ] {
            assert!(parse_auth_params(bad).is_none(), "{bad:?}");
        }
        assert_eq!(decode_ext_value("UTF-8''J%C3%A4s%C3%B8n").unwrap(), "Jäsøn");
        assert!(decode_ext_value("latin1''x").is_none());
        assert!(decode_ext_value("UTF-8''%4").is_none());
    }

    fn authorize(
        nonces: &DigestNonces,
        nonce: &str,
        password: &str,
        nc: &str,
        uri: &str,
    ) -> String {
        let response = digest_response(&DigestInput {
            algorithm: Algorithm::Sha256,
            username: "admin",
            realm: REALM,
            password,
            method: "POST",
            uri,
            nonce,
            nc,
            cnonce: "abc",
        });
        format!(
            r#"Digest username="admin", realm="{REALM}", nonce="{nonce}", uri="{uri}", algorithm=SHA-256, qop=auth, nc={nc}, cnonce="abc", response="{response}", opaque="{}""#,
            nonces.opaque
        )
    }

    fn check(nonces: &mut DigestNonces, header: &str, now: Instant) -> Result<(), AuthFailure> {
        let req = HttpRequestInfo {
            method: "POST",
            target: "/onvif/device_service",
            authorization: vec![header.as_bytes()],
        };
        check_http(&req, "admin", "pw", false, nonces, now).map(|_| ())
    }

    #[test]
    fn digest_nonces_expire_replay_and_must_be_ours() {
        let t0 = Instant::now();
        let mut n = DigestNonces::new();
        let nonce = n.issue(t0);
        let path = "/onvif/device_service";
        let ok = authorize(&n, &nonce, "pw", "00000001", path);
        assert_eq!(check(&mut n, &ok, t0), Ok(()));
        assert_eq!(check(&mut n, &ok, t0), Err(AuthFailure::ReplayedDigest));
        let next = authorize(&n, &nonce, "pw", "00000002", path);
        assert_eq!(check(&mut n, &next, t0), Ok(()));
        let wrong = authorize(&n, &nonce, "nope", "00000003", path);
        assert_eq!(check(&mut n, &wrong, t0), Err(AuthFailure::WrongPassword));
        let other_uri = authorize(&n, &nonce, "pw", "00000003", "/elsewhere");
        assert_eq!(
            check(&mut n, &other_uri, t0),
            Err(AuthFailure::DigestUriMismatch)
        );
        let forged = authorize(&n, "0123456789abcdef", "pw", "00000001", path);
        assert_eq!(
            check(&mut n, &forged, t0),
            Err(AuthFailure::UnknownDigestNonce)
        );
        let later = t0 + DIGEST_NONCE_LIFETIME + Duration::from_secs(1);
        let old = authorize(&n, &nonce, "pw", "00000004", path);
        assert_eq!(
            check(&mut n, &old, later),
            Err(AuthFailure::StaleDigestNonce)
        );
        let no_opaque = ok.replace(&format!(r#", opaque="{}""#, n.opaque), "");
        assert_eq!(
            check(&mut n, &no_opaque, t0),
            Err(AuthFailure::DigestOpaqueMismatch)
        );
        assert_eq!(
            check(&mut n, "Basic YWRtaW46cHc=", t0),
            Err(AuthFailure::BasicRefused)
        );
        assert_eq!(
            check(&mut n, "Bearer x", t0),
            Err(AuthFailure::MalformedAuthorization)
        );
    }

    #[test]
    fn nonce_cache_keeps_every_nonce_while_its_created_is_acceptable() {
        let t0 = Instant::now();
        let cam = Timestamp::now();
        let mut c = NonceCache::default();
        assert_eq!(c.insert(b"captured", Some(cam), cam, t0), Ok(()));
        for i in 0..4100u32 {
            assert_eq!(c.insert(&i.to_be_bytes(), Some(cam), cam, t0), Ok(()));
        }
        let soon = t0 + Duration::from_secs(60);
        assert_eq!(
            c.insert(b"captured", Some(cam), cam, soon),
            Err(NonceRefused::Replayed)
        );
        // Ten minutes of monotonic time passed, but the camera clock was set back: the token's
        // Created is acceptable again, so its nonce is still refused.
        let later = t0 + NONCE_TTL + Duration::from_secs(2);
        assert_eq!(
            c.insert(b"captured", Some(cam), cam, later),
            Err(NonceRefused::Replayed)
        );
        // Both clocks past the window: the nonce may go (its token is refused on Created
        // anyway), and the sweep takes the others too.
        let cam_later = cam.checked_add(SignedDuration::from_secs(11 * 60)).unwrap();
        assert_eq!(c.insert(b"captured", Some(cam), cam_later, later), Ok(()));
    }

    #[test]
    fn a_full_nonce_cache_refuses_instead_of_forgetting() {
        let t0 = Instant::now();
        let cam = Timestamp::now();
        let mut c = NonceCache::with_cap(8);
        for i in 0..8u8 {
            assert_eq!(c.insert(&[i; 16], Some(cam), cam, t0), Ok(()));
        }
        assert_eq!(
            c.insert(&[99; 16], Some(cam), cam, t0),
            Err(NonceRefused::Full)
        );
        assert_eq!(
            c.insert(&[0; 16], Some(cam), cam, t0),
            Err(NonceRefused::Replayed)
        );
        let later = t0 + NONCE_TTL + Duration::from_secs(2);
        let cam_later = cam.checked_add(SignedDuration::from_secs(11 * 60)).unwrap();
        assert_eq!(
            c.insert(&[99; 16], Some(cam_later), cam_later, later),
            Ok(())
        );
        assert_eq!(c.len(), 1);
    }

    /// The memory bound of the replay cache, in bytes: full, with the longest nonces allowed.
    #[test]
    fn nonce_cache_bytes_are_bounded() {
        let t0 = Instant::now();
        let cam = Timestamp::now();
        let mut c = NonceCache::default();
        let mut nonce = [0u8; MAX_NONCE_BYTES];
        for i in 0..NONCE_CACHE_CAP as u32 {
            nonce[..4].copy_from_slice(&i.to_be_bytes());
            assert_eq!(c.insert(&nonce, Some(cam), cam, t0), Ok(()));
        }
        nonce[..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(
            c.insert(&nonce, Some(cam), cam, t0),
            Err(NonceRefused::Full)
        );
        let bytes = c.heap_bytes();
        println!("full replay cache: {} entries, {bytes} bytes", c.len());
        assert!(bytes <= 4 * 1024 * 1024 + 512 * 1024, "{bytes}");
    }

    #[test]
    fn lockout_counts_password_guesses_in_its_window_only() {
        let t0 = Instant::now();
        let ten = Duration::from_secs(600);
        let mut l = Lockout::new(Some((3, ten)));
        assert!(!l.record(AuthFailure::WrongPassword, t0));
        assert!(!l.record(AuthFailure::Missing, t0));
        assert!(!l.record(AuthFailure::StaleDigestNonce, t0));
        assert!(!l.record(AuthFailure::UnknownUser, t0 + ten / 2));
        // The first guess is out of the window by now: two guesses in it.
        let t1 = t0 + ten;
        assert!(!l.record(AuthFailure::WrongPassword, t1));
        assert!(l.locked_for(t1).is_none());
        assert!(l.record(AuthFailure::WrongPassword, t1));
        assert_eq!(l.locked_for(t1), Some(ten));
        assert!(!l.record(AuthFailure::WrongPassword, t1 + Duration::from_secs(1)));
        assert!(l.locked_for(t1 + ten - Duration::from_secs(1)).is_some());
        assert!(l.locked_for(t1 + ten).is_none());
        assert!(!Lockout::new(None).record(AuthFailure::WrongPassword, t0));
    }

    #[test]
    fn digest_nonces_are_recognised_after_they_are_forgotten() {
        let t0 = Instant::now();
        let mut n = DigestNonces::new();
        let first = n.issue(t0);
        for _ in 0..DIGEST_NONCE_CAP + 100 {
            n.issue(t0);
        }
        assert!(!n.issued.contains_key(&first));
        let path = "/onvif/device_service";
        let ok = authorize(&n, &first, "pw", "00000001", path);
        assert_eq!(check(&mut n, &ok, t0), Err(AuthFailure::StaleDigestNonce));
        let wrong = authorize(&n, &first, "nope", "00000001", path);
        assert_eq!(check(&mut n, &wrong, t0), Err(AuthFailure::WrongPassword));
        let mut forged = first.clone();
        forged.replace_range(0..2, if &first[0..2] == "00" { "01" } else { "00" });
        let forged = authorize(&n, &forged, "pw", "00000001", path);
        assert_eq!(
            check(&mut n, &forged, t0),
            Err(AuthFailure::UnknownDigestNonce)
        );
        assert!(!DigestNonces::new().vouches_for(&first));
    }

    #[test]
    fn created_needs_a_zone_when_strict() {
        for strict in [true, false] {
            assert!(parse_created("2024-01-01T00:00:00Z", strict).is_some());
            assert!(parse_created("2024-01-01T00:00:00.5+01:00", strict).is_some());
            assert!(parse_created("yesterday", strict).is_none());
        }
        assert!(parse_created("2024-01-01T00:00:00", true).is_none());
        assert_eq!(
            parse_created("2024-01-01T00:00:00", false),
            parse_created("2024-01-01T00:00:00Z", false)
        );
    }
}
