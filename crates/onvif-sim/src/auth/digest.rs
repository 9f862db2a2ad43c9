//! HTTP Digest (RFC 7616, MD5 and SHA-256, `qop=auth`) and Basic, written here with md-5 and
//! sha2 so that it cross-checks the client's http-auth crate.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use md5::Md5;
use onvif_proto::wsse;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use super::failure::AuthFailure;

/// The realm of every challenge.
pub const REALM: &str = "onvif-sim";
/// How long an HTTP Digest nonce is good for; after that it is answered with `stale=true`.
pub const DIGEST_NONCE_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// At most this many Digest nonces are remembered (the oldest are forgotten; a correct answer
/// to a forgotten one gets `stale=true`).
pub(crate) const DIGEST_NONCE_CAP: usize = 1024;
/// At most this many (nc, cnonce) pairs are remembered per Digest nonce: it is worn out then,
/// and forgotten with them (an answer to it gets `stale=true`).
const DIGEST_USES_CAP: usize = 4096;
/// The longest `cnonce` taken (a client's is 16 to 64 characters); a longer one makes the
/// `Authorization` malformed, so that the uses remembered stay small.
const MAX_CNONCE_BYTES: usize = 128;

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

pub(super) struct IssuedNonce {
    pub(super) issued: Instant,
    uses: HashSet<(u32, String)>,
}

/// The Digest nonces this camera issued, and the (nc, cnonce) pairs used with each.
///
/// A nonce is `hex(random 16 bytes || tag 16 bytes)`, the tag a SHA-256 of a secret of this
/// camera and the random part: a nonce that fell out of the table (more than
/// [`DIGEST_NONCE_CAP`] challenges since) is still recognised as ours, and a correct answer
/// to it gets `stale=true` (the client fetches a fresh nonce without asking its user again)
/// instead of a plain 401 that says the password is wrong.
pub(crate) struct DigestNonces {
    pub(super) issued: HashMap<String, IssuedNonce>,
    order: VecDeque<String>,
    secret: [u8; 32],
    /// Sent in every challenge; must come back unchanged.
    pub(crate) opaque: String,
}

impl DigestNonces {
    pub(crate) fn new() -> Self {
        let mut secret = [0u8; 32];
        wsse::fill_random(&mut secret);
        DigestNonces {
            issued: HashMap::new(),
            order: VecDeque::new(),
            secret,
            opaque: random_hex(16),
        }
    }

    fn tag(&self, random: &[u8]) -> Vec<u8> {
        let mut t = hash::<Sha256>(&[&self.secret, b"digest-nonce", random]);
        t.truncate(16);
        t
    }

    /// Did this camera issue `nonce` (remembered or not)?
    pub(super) fn vouches_for(&self, nonce: &str) -> bool {
        if nonce.len() != 64 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        let Some(bytes) = (0..32)
            .map(|i| u8::from_str_radix(&nonce[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()
        else {
            return false;
        };
        wsse::constant_time_eq(&self.tag(&bytes[..16]), &bytes[16..])
    }

    /// A fresh nonce, remembered. Nonces gone stale (and worn-out ones, forgotten already)
    /// are dropped first, with the uses remembered for them.
    pub(crate) fn issue(&mut self, now: Instant) -> String {
        while let Some(old) = self.order.front() {
            if self.issued.get(old).is_some_and(|e| !is_stale(e, now)) {
                break;
            }
            if let Some(old) = self.order.pop_front() {
                self.issued.remove(&old);
            }
        }
        while self.order.len() >= DIGEST_NONCE_CAP {
            if let Some(old) = self.order.pop_front() {
                self.issued.remove(&old);
            }
        }
        let mut random = [0u8; 16];
        wsse::fill_random(&mut random);
        let mut bytes = random.to_vec();
        bytes.extend_from_slice(&self.tag(&random));
        let nonce = hex(&bytes);
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

/// Past its lifetime: answered with `stale=true`.
fn is_stale(nonce: &IssuedNonce, now: Instant) -> bool {
    now.saturating_duration_since(nonce.issued) > DIGEST_NONCE_LIFETIME
}

/// `n` random bytes, in hex.
pub(crate) fn random_hex(n: usize) -> String {
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

/// The user name the `Authorization` header names (Basic or Digest), if it names one.
pub(crate) fn claimed_http_user(req: &HttpRequestInfo<'_>) -> Option<String> {
    let (scheme, rest) = authorization_scheme(req).ok()?;
    if scheme.eq_ignore_ascii_case("Basic") {
        let decoded = String::from_utf8(B64.decode(rest.trim()).ok()?).ok()?;
        return decoded.split_once(':').map(|(u, _)| u.to_owned());
    }
    let params = parse_auth_params(rest)?;
    match (params.get("username"), params.get("username*")) {
        (Some(u), None) => Some(u.to_owned()),
        (None, Some(ext)) => decode_ext_value(ext),
        _ => None,
    }
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
    if nc_text.len() != 8 || cnonce.is_empty() || cnonce.len() > MAX_CNONCE_BYTES {
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
    let remembered = nonces.issued.contains_key(nonce);
    if !remembered && !nonces.vouches_for(nonce) {
        return Err(AuthFailure::UnknownDigestNonce);
    }
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
    // Ours but forgotten: the answer was right, only the nonce is old.
    let Some(entry) = nonces.issued.get(nonce) else {
        return Err(AuthFailure::StaleDigestNonce);
    };
    if is_stale(entry, now) || entry.uses.len() >= DIGEST_USES_CAP {
        // Stale, or worn out: forgotten with its uses (an answer to it is still recognised as
        // ours, and gets `stale=true`), and the client fetches a new nonce.
        nonces.issued.remove(nonce);
        return Err(AuthFailure::StaleDigestNonce);
    }
    let Some(entry) = nonces.issued.get_mut(nonce) else {
        return Err(AuthFailure::StaleDigestNonce);
    };
    if !entry.uses.insert((nc, cnonce.to_owned())) {
        return Err(AuthFailure::ReplayedDigest);
    }
    if entry.uses.len() >= DIGEST_USES_CAP {
        // Worn out by this use: its uses go now; the next answer to it gets `stale=true`.
        nonces.issued.remove(nonce);
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
    pub(super) fn get(&self, key: &str) -> Option<&str> {
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
pub(super) fn decode_ext_value(v: &str) -> Option<String> {
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

    const PATH: &str = "/onvif/device_service";

    /// A correct `Authorization` (MD5) for `admin` / `pw` with this nonce, nc and cnonce.
    fn answer(nonces: &DigestNonces, nonce: &str, nc: u32, cnonce: &str) -> String {
        let nc = format!("{nc:08x}");
        let response = digest_response(&DigestInput {
            algorithm: Algorithm::Md5,
            username: "admin",
            realm: REALM,
            password: "pw",
            method: "POST",
            uri: PATH,
            nonce,
            nc: &nc,
            cnonce,
        });
        format!(
            r#"Digest username="admin", realm="{REALM}", nonce="{nonce}", uri="{PATH}", qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}", opaque="{}""#,
            nonces.opaque
        )
    }

    fn check(
        nonces: &mut DigestNonces,
        header: &str,
        now: Instant,
    ) -> Result<&'static str, AuthFailure> {
        let req = HttpRequestInfo {
            method: "POST",
            target: PATH,
            authorization: vec![header.as_bytes()],
        };
        check_http(&req, "admin", "pw", false, nonces, now)
    }

    #[test]
    fn a_cnonce_longer_than_its_cap_is_refused_and_not_remembered() {
        let t0 = Instant::now();
        let mut n = DigestNonces::new();
        let nonce = n.issue(t0);
        let longest = answer(&n, &nonce, 1, &"c".repeat(MAX_CNONCE_BYTES));
        assert_eq!(check(&mut n, &longest, t0), Ok("digest"));
        let longer = answer(&n, &nonce, 2, &"c".repeat(MAX_CNONCE_BYTES + 1));
        assert_eq!(
            check(&mut n, &longer, t0),
            Err(AuthFailure::MalformedAuthorization)
        );
        assert_eq!(n.issued[&nonce].uses.len(), 1);
    }

    #[test]
    fn a_stale_nonce_is_forgotten_with_its_uses() {
        let t0 = Instant::now();
        let later = t0 + DIGEST_NONCE_LIFETIME + Duration::from_secs(1);

        // Presented once stale: refused with stale=true, and forgotten at once.
        let mut n = DigestNonces::new();
        let nonce = n.issue(t0);
        let first = answer(&n, &nonce, 1, "abc");
        assert_eq!(check(&mut n, &first, t0), Ok("digest"));
        let next = answer(&n, &nonce, 2, "abc");
        assert_eq!(
            check(&mut n, &next, later),
            Err(AuthFailure::StaleDigestNonce)
        );
        assert!(!n.issued.contains_key(&nonce));
        // Still ours: a correct answer keeps getting stale=true, a wrong one is refused.
        assert_eq!(
            check(&mut n, &next, later),
            Err(AuthFailure::StaleDigestNonce)
        );
        let wrong = next.replace("response=\"", "response=\"0");
        assert_eq!(
            check(&mut n, &wrong, later),
            Err(AuthFailure::WrongPassword)
        );

        // Never presented again: the next challenge drops it, the table far from full.
        let mut n = DigestNonces::new();
        let old = n.issue(t0);
        let first = answer(&n, &old, 1, "abc");
        assert_eq!(check(&mut n, &first, t0), Ok("digest"));
        let fresh = n.issue(later);
        assert!(!n.issued.contains_key(&old));
        assert!(n.issued.contains_key(&fresh));
        let again = answer(&n, &old, 2, "abc");
        assert_eq!(
            check(&mut n, &again, later),
            Err(AuthFailure::StaleDigestNonce)
        );
    }

    #[test]
    fn a_worn_out_nonce_is_forgotten_with_its_uses() {
        let t0 = Instant::now();
        let mut n = DigestNonces::new();
        let nonce = n.issue(t0);
        let cap = u32::try_from(DIGEST_USES_CAP).unwrap();
        for nc in 1..=cap {
            let a = answer(&n, &nonce, nc, "abc");
            assert_eq!(check(&mut n, &a, t0), Ok("digest"), "use {nc}");
        }
        assert!(!n.issued.contains_key(&nonce));
        // Neither a new use nor a replay of an old one gets through.
        for nc in [cap + 1, 1] {
            let a = answer(&n, &nonce, nc, "abc");
            assert_eq!(
                check(&mut n, &a, t0),
                Err(AuthFailure::StaleDigestNonce),
                "nc {nc}"
            );
        }
    }
}
