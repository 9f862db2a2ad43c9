//! Credential checks: WS-Security UsernameToken (with a replay cache and the `Created` window
//! measured on the camera's clock) and HTTP Digest (RFC 7616, MD5 and SHA-256, `qop=auth`),
//! written here with md-5 and sha2 so that it cross-checks the client's http-auth crate.
//!
//! Nothing here logs or returns a password, a digest or a Digest `response`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use jiff::{SignedDuration, Timestamp};
use md5::Md5;
use onvif_proto::wsse::{self, PasswordType, UsernameToken};
use onvif_proto::xml::Element;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

/// The realm of every challenge.
pub const REALM: &str = "onvif-sim";
/// How far `Created` may be from the camera clock, either way.
pub const CREATED_WINDOW: SignedDuration = SignedDuration::from_secs(5 * 60);
/// How long a UsernameToken nonce is remembered.
const NONCE_TTL: Duration = Duration::from_secs(10 * 60);
/// At most this many UsernameToken nonces are remembered (the oldest go first).
const NONCE_CAP: usize = 4096;
/// How long an HTTP Digest nonce is good for; after that it is answered with `stale=true`.
pub const DIGEST_NONCE_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// At most this many Digest nonces are outstanding (the oldest are forgotten).
const DIGEST_NONCE_CAP: usize = 1024;
/// At most this many (nc, cnonce) pairs are remembered per Digest nonce.
const DIGEST_USES_CAP: usize = 4096;

/// Why a request was refused. Counted in [`crate::SimStats`] and logged; the client only ever
/// sees "Sender not Authorized" or a 401, as with a real camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AuthFailure {
    /// No credentials of a kind the auth mode accepts.
    Missing,
    /// A `wsse:UsernameToken` that cannot be read (no Username or Password, unknown type,
    /// a Nonce that is not Base64).
    MalformedToken,
    /// The user name is not the configured one.
    UnknownUser,
    /// The password (token digest, Digest response or Basic password) does not match.
    WrongPassword,
    /// A `#PasswordText` token while [`crate::SimConfig::accept_password_text`] is off.
    PasswordTextRefused,
    /// A `#PasswordDigest` token without Nonce or Created.
    MissingNonceOrCreated,
    /// `Created` unreadable, without a time zone, or more than 5 minutes from the camera
    /// clock.
    CreatedOutOfRange,
    /// A UsernameToken nonce that was already used.
    ReplayedNonce,
    /// An `Authorization` header that cannot be parsed, or of an unknown scheme.
    MalformedAuthorization,
    /// A Digest algorithm or qop that was not offered (`MD5-sess`, `auth-int`, `userhash`,
    /// no qop).
    UnsupportedDigest,
    /// The Digest `realm` is not ours.
    DigestRealmMismatch,
    /// The Digest `uri` is not the request target.
    DigestUriMismatch,
    /// The Digest `opaque` is missing or not ours.
    DigestOpaqueMismatch,
    /// A Digest nonce the camera never issued (or has forgotten).
    UnknownDigestNonce,
    /// A correct Digest on a nonce that has expired (answered with `stale=true`).
    StaleDigestNonce,
    /// The same (nonce, nc, cnonce) seen twice.
    ReplayedDigest,
    /// HTTP Basic while [`crate::SimConfig::allow_basic`] is off.
    BasicRefused,
    /// An `Authorization` scheme this URL does not take (Digest at a snapshot URL that asks for
    /// Basic, see [`crate::SnapshotAuth::Basic`]).
    SchemeRefused,
}

impl AuthFailure {
    /// Short kebab-case name, for logs.
    pub fn name(self) -> &'static str {
        match self {
            AuthFailure::Missing => "missing",
            AuthFailure::MalformedToken => "malformed-token",
            AuthFailure::UnknownUser => "unknown-user",
            AuthFailure::WrongPassword => "wrong-password",
            AuthFailure::PasswordTextRefused => "password-text-refused",
            AuthFailure::MissingNonceOrCreated => "missing-nonce-or-created",
            AuthFailure::CreatedOutOfRange => "created-out-of-range",
            AuthFailure::ReplayedNonce => "replayed-nonce",
            AuthFailure::MalformedAuthorization => "malformed-authorization",
            AuthFailure::UnsupportedDigest => "unsupported-digest",
            AuthFailure::DigestRealmMismatch => "digest-realm-mismatch",
            AuthFailure::DigestUriMismatch => "digest-uri-mismatch",
            AuthFailure::DigestOpaqueMismatch => "digest-opaque-mismatch",
            AuthFailure::UnknownDigestNonce => "unknown-digest-nonce",
            AuthFailure::StaleDigestNonce => "stale-digest-nonce",
            AuthFailure::ReplayedDigest => "replayed-digest",
            AuthFailure::BasicRefused => "basic-refused",
            AuthFailure::SchemeRefused => "scheme-refused",
        }
    }
}

impl fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------------------------
// WS-Security UsernameToken

/// Nonces already used, remembered for [`NONCE_TTL`] and at most [`NONCE_CAP`] of them.
#[derive(Debug, Default)]
pub(crate) struct NonceCache {
    seen: HashSet<Vec<u8>>,
    order: VecDeque<(Instant, Vec<u8>)>,
}

impl NonceCache {
    /// Remember `nonce`; false when it was already there.
    pub(crate) fn insert(&mut self, nonce: &[u8], now: Instant) -> bool {
        while let Some((at, _)) = self.order.front() {
            if now.saturating_duration_since(*at) < NONCE_TTL && self.order.len() < NONCE_CAP {
                break;
            }
            if let Some((_, old)) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        if !self.seen.insert(nonce.to_vec()) {
            return false;
        }
        self.order.push_back((now, nonce.to_vec()));
        true
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
        Some(n) => match B64.decode(n) {
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
    if let Some(created) = token.created.as_deref() {
        let created =
            parse_created(created, policy.strict).ok_or(AuthFailure::CreatedOutOfRange)?;
        if policy.camera_now.duration_since(created).abs() > CREATED_WINDOW {
            return Err(AuthFailure::CreatedOutOfRange);
        }
    }
    if let Some(n) = nonce
        && !cache.insert(&n, now)
    {
        return Err(AuthFailure::ReplayedNonce);
    }
    Ok(())
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
// HTTP Digest

/// A Digest hash algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    fn parse(s: Option<&str>) -> Option<Algorithm> {
        match s {
            None => Some(Algorithm::Md5),
            Some(a) if a.eq_ignore_ascii_case("MD5") => Some(Algorithm::Md5),
            Some(a) if a.eq_ignore_ascii_case("SHA-256") => Some(Algorithm::Sha256),
            Some(_) => None,
        }
    }

    fn h(self, parts: &[&[u8]]) -> String {
        match self {
            Algorithm::Md5 => hex(&hash::<Md5>(parts)),
            Algorithm::Sha256 => hex(&hash::<Sha256>(parts)),
        }
    }
}

fn hash<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
    let mut d = D::new();
    for p in parts {
        d.update(p);
    }
    d.finalize().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The inputs of a `qop=auth` Digest response.
pub(crate) struct DigestInput<'a> {
    pub algorithm: Algorithm,
    pub username: &'a str,
    pub realm: &'a str,
    pub password: &'a str,
    pub method: &'a str,
    pub uri: &'a str,
    pub nonce: &'a str,
    pub nc: &'a str,
    pub cnonce: &'a str,
}

/// `H(H(A1):nonce:nc:cnonce:auth:H(A2))`, lowercase hex (RFC 7616 section 3.4.1).
pub(crate) fn digest_response(i: &DigestInput<'_>) -> String {
    let a = i.algorithm;
    let ha1 = a.h(&[
        i.username.as_bytes(),
        b":",
        i.realm.as_bytes(),
        b":",
        i.password.as_bytes(),
    ]);
    let ha2 = a.h(&[i.method.as_bytes(), b":", i.uri.as_bytes()]);
    a.h(&[
        ha1.as_bytes(),
        b":",
        i.nonce.as_bytes(),
        b":",
        i.nc.as_bytes(),
        b":",
        i.cnonce.as_bytes(),
        b":auth:",
        ha2.as_bytes(),
    ])
}

struct IssuedNonce {
    issued: Instant,
    uses: HashSet<(u32, String)>,
}

/// The Digest nonces this camera issued, and the (nc, cnonce) pairs used with each.
pub(crate) struct DigestNonces {
    issued: HashMap<String, IssuedNonce>,
    order: VecDeque<String>,
    /// Sent in every challenge; must come back unchanged.
    pub(crate) opaque: String,
}

impl DigestNonces {
    pub(crate) fn new() -> Self {
        DigestNonces {
            issued: HashMap::new(),
            order: VecDeque::new(),
            opaque: random_hex(16),
        }
    }

    /// A fresh nonce, remembered.
    pub(crate) fn issue(&mut self, now: Instant) -> String {
        while self.order.len() >= DIGEST_NONCE_CAP {
            if let Some(old) = self.order.pop_front() {
                self.issued.remove(&old);
            }
        }
        let nonce = random_hex(16);
        self.issued.insert(
            nonce.clone(),
            IssuedNonce {
                issued: now,
                uses: HashSet::new(),
            },
        );
        self.order.push_back(nonce.clone());
        nonce
    }
}

fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    wsse::fill_random(&mut buf);
    hex(&buf)
}

/// The request line parts a Digest response covers.
pub(crate) struct HttpRequestInfo<'a> {
    pub method: &'a str,
    /// The request target exactly as sent (`/onvif/device_service`).
    pub target: &'a str,
    /// The `Authorization` header values.
    pub authorization: Vec<&'a [u8]>,
}

/// Check the HTTP credentials of a request: Digest always, Basic only when `allow_basic`.
pub(crate) fn check_http(
    req: &HttpRequestInfo<'_>,
    user: &str,
    password: &str,
    allow_basic: bool,
    nonces: &mut DigestNonces,
    now: Instant,
) -> Result<&'static str, AuthFailure> {
    let (scheme, rest) = authorization_scheme(req)?;
    if scheme.eq_ignore_ascii_case("Basic") {
        if !allow_basic {
            return Err(AuthFailure::BasicRefused);
        }
        check_basic_credentials(rest, user, password)?;
        return Ok("basic");
    }
    if !scheme.eq_ignore_ascii_case("Digest") {
        return Err(AuthFailure::MalformedAuthorization);
    }
    let params = parse_auth_params(rest).ok_or(AuthFailure::MalformedAuthorization)?;
    check_digest(req, &params, user, password, nonces, now)?;
    Ok("digest")
}

/// The one `Authorization` header of a request, split into its scheme and the rest.
fn authorization_scheme<'a>(req: &HttpRequestInfo<'a>) -> Result<(&'a str, &'a str), AuthFailure> {
    let value = match req.authorization.as_slice() {
        [] => return Err(AuthFailure::Missing),
        [one] => std::str::from_utf8(one).map_err(|_| AuthFailure::MalformedAuthorization)?,
        _ => return Err(AuthFailure::MalformedAuthorization),
    };
    let value = value.trim();
    Ok(value.split_once(' ').unwrap_or((value, "")))
}

/// Check HTTP Basic credentials only: any other scheme is [`AuthFailure::SchemeRefused`].
pub(crate) fn check_basic(
    req: &HttpRequestInfo<'_>,
    user: &str,
    password: &str,
) -> Result<(), AuthFailure> {
    let (scheme, rest) = authorization_scheme(req)?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return Err(AuthFailure::SchemeRefused);
    }
    check_basic_credentials(rest, user, password)
}

/// The Base64 `user:password` of a Basic `Authorization`.
fn check_basic_credentials(encoded: &str, user: &str, password: &str) -> Result<(), AuthFailure> {
    let decoded = B64
        .decode(encoded.trim())
        .map_err(|_| AuthFailure::MalformedAuthorization)?;
    let decoded = String::from_utf8(decoded).map_err(|_| AuthFailure::MalformedAuthorization)?;
    let (u, p) = decoded
        .split_once(':')
        .ok_or(AuthFailure::MalformedAuthorization)?;
    if !wsse::constant_time_eq(u.as_bytes(), user.as_bytes()) {
        return Err(AuthFailure::UnknownUser);
    }
    if !wsse::constant_time_eq(p.as_bytes(), password.as_bytes()) {
        return Err(AuthFailure::WrongPassword);
    }
    Ok(())
}

fn check_digest(
    req: &HttpRequestInfo<'_>,
    params: &AuthParams,
    user: &str,
    password: &str,
    nonces: &mut DigestNonces,
    now: Instant,
) -> Result<(), AuthFailure> {
    let get = |k: &str| params.get(k);
    let need = |k: &str| get(k).ok_or(AuthFailure::MalformedAuthorization);
    if get("userhash").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return Err(AuthFailure::UnsupportedDigest);
    }
    let username = match (get("username"), get("username*")) {
        (Some(u), None) => u.to_owned(),
        (None, Some(ext)) => decode_ext_value(ext).ok_or(AuthFailure::MalformedAuthorization)?,
        _ => return Err(AuthFailure::MalformedAuthorization),
    };
    let realm = need("realm")?;
    let nonce = need("nonce")?;
    let uri = need("uri")?;
    let response = need("response")?;
    let algorithm = Algorithm::parse(get("algorithm")).ok_or(AuthFailure::UnsupportedDigest)?;
    match get("qop") {
        Some(q) if q.eq_ignore_ascii_case("auth") => {}
        _ => return Err(AuthFailure::UnsupportedDigest),
    }
    let nc_text = need("nc")?;
    let cnonce = need("cnonce")?;
    if nc_text.len() != 8 || cnonce.is_empty() {
        return Err(AuthFailure::MalformedAuthorization);
    }
    let nc = u32::from_str_radix(nc_text, 16).map_err(|_| AuthFailure::MalformedAuthorization)?;
    if realm != REALM {
        return Err(AuthFailure::DigestRealmMismatch);
    }
    if uri != req.target {
        return Err(AuthFailure::DigestUriMismatch);
    }
    if get("opaque") != Some(nonces.opaque.as_str()) {
        return Err(AuthFailure::DigestOpaqueMismatch);
    }
    if !wsse::constant_time_eq(username.as_bytes(), user.as_bytes()) {
        return Err(AuthFailure::UnknownUser);
    }
    let Some(entry) = nonces.issued.get_mut(nonce) else {
        return Err(AuthFailure::UnknownDigestNonce);
    };
    let expect = digest_response(&DigestInput {
        algorithm,
        username: &username,
        realm,
        password,
        method: req.method,
        uri,
        nonce,
        nc: nc_text,
        cnonce,
    });
    if !wsse::constant_time_eq(expect.as_bytes(), response.to_ascii_lowercase().as_bytes()) {
        return Err(AuthFailure::WrongPassword);
    }
    if now.saturating_duration_since(entry.issued) > DIGEST_NONCE_LIFETIME {
        return Err(AuthFailure::StaleDigestNonce);
    }
    if entry.uses.len() >= DIGEST_USES_CAP {
        // Worn out: make the client fetch a new nonce.
        return Err(AuthFailure::StaleDigestNonce);
    }
    if !entry.uses.insert((nc, cnonce.to_owned())) {
        return Err(AuthFailure::ReplayedDigest);
    }
    Ok(())
}

/// The `WWW-Authenticate` values of a challenge: MD5 first, then SHA-256 (same nonce), then
/// Basic when allowed.
pub(crate) fn challenges(nonce: &str, opaque: &str, stale: bool, basic: bool) -> Vec<String> {
    let stale = if stale { ", stale=true" } else { "" };
    let mut out: Vec<String> = ["MD5", "SHA-256"]
        .iter()
        .map(|alg| {
            format!(
                r#"Digest realm="{REALM}", qop="auth", nonce="{nonce}", opaque="{opaque}", algorithm={alg}{stale}"#
            )
        })
        .collect();
    if basic {
        out.push(format!(r#"Basic realm="{REALM}""#));
    }
    out
}

/// Auth parameters, keys lowercased. Duplicates make the header malformed.
#[derive(Debug, Default)]
pub(crate) struct AuthParams(pub(crate) Vec<(String, String)>);

impl AuthParams {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `k=v, k="quoted \" value", ...` (RFC 7235 auth-params). `None` when malformed.
pub(crate) fn parse_auth_params(s: &str) -> Option<AuthParams> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            if !is_token_char(c) {
                return None;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if key.is_empty() || chars.next() != Some('=') {
            return None;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => value.push(chars.next()?),
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c.is_whitespace() {
                    break;
                }
                if !is_token_char(c) && c != '/' {
                    return None;
                }
                value.push(c);
                chars.next();
            }
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None | Some(',') => {}
            Some(_) => return None,
        }
        let key = key.to_ascii_lowercase();
        if out.iter().any(|(k, _)| *k == key) {
            return None;
        }
        out.push((key, value));
    }
    Some(AuthParams(out))
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// RFC 8187 ext-value: `UTF-8''percent%20encoded`.
fn decode_ext_value(v: &str) -> Option<String> {
    let (charset, rest) = v.split_once('\'')?;
    let (_lang, encoded) = rest.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("UTF-8") {
        return None;
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let h = bytes.get(i + 1..i + 3)?;
            let h = std::str::from_utf8(h).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

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
    fn nonce_cache_forgets_after_its_ttl() {
        let t0 = Instant::now();
        let mut c = NonceCache::default();
        assert!(c.insert(b"n1", t0));
        assert!(!c.insert(b"n1", t0 + Duration::from_secs(60)));
        assert!(c.insert(b"n1", t0 + NONCE_TTL + Duration::from_secs(1)));
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
