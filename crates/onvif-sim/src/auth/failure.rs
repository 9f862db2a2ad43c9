//! Why a request was refused.

use std::fmt;

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
    /// A Digest nonce the camera never issued.
    UnknownDigestNonce,
    /// A correct Digest on a nonce that has expired or was forgotten (answered with
    /// `stale=true`).
    StaleDigestNonce,
    /// The same (nonce, nc, cnonce) seen twice.
    ReplayedDigest,
    /// HTTP Basic while [`crate::SimConfig::allow_basic`] is off.
    BasicRefused,
    /// An `Authorization` scheme this URL does not take (Digest at a snapshot URL that asks for
    /// Basic, see [`crate::SnapshotAuth::Basic`]).
    SchemeRefused,
    /// A UsernameToken nonce longer than 64 bytes (decoded; `auth::MAX_NONCE_BYTES`). Answered
    /// with a fault that says so.
    NonceTooLong,
    /// The replay cache holds 32,768 nonces (`auth::NONCE_CACHE_CAP`) that may still be
    /// replayed: the token is refused (a Receiver fault that says so) rather than an unexpired
    /// nonce forgotten.
    ReplayCacheFull,
    /// Two `wsse:Security` header blocks for the same role (strict posture only; by default
    /// the first is read, as gSOAP-based cameras do).
    DuplicateSecurity,
    /// The account is locked after repeated failed logins ([`crate::SimConfig::lockout`]):
    /// refused whatever the credentials.
    LockedOut,
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
            AuthFailure::NonceTooLong => "nonce-too-long",
            AuthFailure::ReplayCacheFull => "replay-cache-full",
            AuthFailure::DuplicateSecurity => "duplicate-security",
            AuthFailure::LockedOut => "locked-out",
        }
    }
}

impl AuthFailure {
    /// Does this failure count toward a lockout? Only credentials that do not match: a
    /// missing header (the first leg of every HTTP Digest exchange), a stale nonce or a
    /// clock out of step is not a password guess.
    pub fn is_password_guess(self) -> bool {
        matches!(self, AuthFailure::WrongPassword | AuthFailure::UnknownUser)
    }
}

impl fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
