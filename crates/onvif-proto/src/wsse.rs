//! WS-Security UsernameToken (OASIS UsernameToken Profile 1.0) as ONVIF uses it.
//!
//! PasswordDigest = Base64(SHA-1(nonce bytes + Created + password)). The functions take the
//! time and the nonce as arguments so they can be checked against fixed vectors; only
//! [`UsernameToken::digest_now`] draws a nonce.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use jiff::Timestamp;
use sha1::{Digest, Sha1};

use crate::error::Error;
use crate::ns;
use crate::time;
use crate::xml::{Element, Writer};

/// `Type` of a `wsse:Password` holding a digest.
pub const PASSWORD_DIGEST: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
/// `Type` of a `wsse:Password` holding the password in clear.
pub const PASSWORD_TEXT: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
/// `EncodingType` of a Base64 `wsse:Nonce`.
pub const BASE64_BINARY: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/// Base64(SHA-1(nonce + created + password)).
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    let mut h = Sha1::new();
    h.update(nonce);
    h.update(created.as_bytes());
    h.update(password.as_bytes());
    B64.encode(h.finalize())
}

/// How the password is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordType {
    /// `PasswordDigest`: Base64(SHA-1(nonce + created + password)).
    Digest,
    /// `PasswordText`: the password itself.
    Text,
}

/// A UsernameToken as sent or received. Its `Debug` never shows the password field.
#[derive(Clone, PartialEq, Eq)]
pub struct UsernameToken {
    /// The user name.
    pub username: String,
    /// The digest (Base64) or, for `PasswordType::Text`, the password itself.
    pub password: String,
    /// Whether `password` is a digest or the password itself.
    pub password_type: PasswordType,
    /// Base64 nonce as sent.
    pub nonce: Option<String>,
    /// The `wsu:Created` time as sent (`2024-01-01T00:00:00.000Z`).
    pub created: Option<String>,
}

impl fmt::Debug for UsernameToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsernameToken")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("password_type", &self.password_type)
            .field("nonce", &self.nonce)
            .field("created", &self.created)
            .finish()
    }
}

impl UsernameToken {
    /// A digest token for the given time and nonce.
    pub fn digest(username: &str, password: &str, created: Timestamp, nonce: &[u8]) -> Self {
        let created = time::format_created(created);
        UsernameToken {
            username: username.to_owned(),
            password: password_digest(nonce, &created, password),
            password_type: PasswordType::Digest,
            nonce: Some(B64.encode(nonce)),
            created: Some(created),
        }
    }

    /// A digest token with a fresh random 16-byte nonce.
    pub fn digest_now(username: &str, password: &str, created: Timestamp) -> Self {
        let mut nonce = [0u8; 16];
        fill_random(&mut nonce);
        Self::digest(username, password, created, &nonce)
    }

    /// The `wsse:Security` header element, declaring its own namespaces.
    pub fn to_header(&self) -> String {
        let mut w = Writer::with_capacity(700);
        w.open(
            "wsse:Security",
            &[
                ("xmlns:wsse", ns::WSSE),
                ("xmlns:wsu", ns::WSU),
                ("s:mustUnderstand", "1"),
            ],
        );
        w.open("wsse:UsernameToken", &[]);
        w.leaf("wsse:Username", &self.username);
        let ty = match self.password_type {
            PasswordType::Digest => PASSWORD_DIGEST,
            PasswordType::Text => PASSWORD_TEXT,
        };
        w.open("wsse:Password", &[("Type", ty)])
            .text(&self.password)
            .close("wsse:Password");
        if let Some(n) = &self.nonce {
            w.open("wsse:Nonce", &[("EncodingType", BASE64_BINARY)])
                .text(n)
                .close("wsse:Nonce");
        }
        w.leaf_opt("wsu:Created", self.created.as_deref());
        w.close("wsse:UsernameToken").close("wsse:Security");
        w.finish()
    }

    /// Read the token from a SOAP Header, if there is one.
    pub fn from_header(header: &Element) -> Result<Option<Self>, Error> {
        let Some(tok) = header
            .child(ns::WSSE, "Security")
            .and_then(|s| s.child(ns::WSSE, "UsernameToken"))
        else {
            return Ok(None);
        };
        let username = tok
            .child_text(ns::WSSE, "Username")
            .ok_or_else(|| Error::missing("wsse:Username"))?
            .to_owned();
        let pw = tok
            .child(ns::WSSE, "Password")
            .ok_or_else(|| Error::missing("wsse:Password"))?;
        let password_type = match pw.attr("Type") {
            None => PasswordType::Text,
            Some(t) if t.ends_with("#PasswordText") => PasswordType::Text,
            Some(t) if t.ends_with("#PasswordDigest") => PasswordType::Digest,
            Some(t) => {
                return Err(Error::invalid(
                    "wsse:Password/@Type",
                    t,
                    "unknown password type",
                ));
            }
        };
        Ok(Some(UsernameToken {
            username,
            password: pw.text().to_owned(),
            password_type,
            nonce: tok.child_text(ns::WSSE, "Nonce").map(str::to_owned),
            created: tok.child_text(ns::WSU, "Created").map(str::to_owned),
        }))
    }

    /// Does this digest token match `password`? (Text tokens compare the text.)
    pub fn verify(&self, password: &str) -> bool {
        match self.password_type {
            PasswordType::Text => constant_time_eq(self.password.as_bytes(), password.as_bytes()),
            PasswordType::Digest => {
                let (Some(nonce), Some(created)) = (&self.nonce, &self.created) else {
                    return false;
                };
                let Ok(nonce) = B64.decode(nonce.trim()) else {
                    return false;
                };
                let expect = password_digest(&nonce, created, password);
                constant_time_eq(expect.as_bytes(), self.password.as_bytes())
            }
        }
    }
}

/// Compare without an early exit, so timing does not tell how much of a secret matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Fill a buffer from the operating system's random source.
pub fn fill_random(buf: &mut [u8]) {
    // The OS source does not fail on the platforms we build for; should it, a clock-derived
    // fallback still gives distinct nonces (a nonce needs to be unique, not secret).
    if getrandom::fill(buf).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (t >> ((i % 16) * 8)) as u8 ^ (i as u8);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::xml;

    /// The worked example of the ONVIF Application Programmer's Guide (section 6.1.1.3).
    #[test]
    fn digest_matches_the_onvif_programmers_guide_vector() {
        let nonce = B64.decode("LKqI6G/AikKCQrN0zqZFlg==").unwrap();
        assert_eq!(
            password_digest(&nonce, "2010-09-16T07:50:45Z", "userpassword"),
            "tuOSpGlFlIXsozq4HFNeeGeFLEI="
        );
    }

    #[test]
    fn a_token_round_trips_and_verifies() {
        let ts = Timestamp::new(1_700_000_000, 123_000_000).unwrap();
        let tok = UsernameToken::digest("admin", "p@ss<&>", ts, &[7; 16]);
        assert_eq!(tok.created.as_deref(), Some("2023-11-14T22:13:20.123Z"));
        let header = format!(
            r#"<s:Header xmlns:s="{}">{}</s:Header>"#,
            ns::SOAP12,
            tok.to_header()
        );
        let parsed = UsernameToken::from_header(&xml::parse(header.as_bytes()).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(parsed, tok);
        assert!(parsed.verify("p@ss<&>"));
        assert!(!parsed.verify("wrong"));
        assert!(!format!("{parsed:?}").contains(&tok.password));
    }

    #[test]
    fn fresh_tokens_have_fresh_nonces() {
        let ts = Timestamp::now();
        let a = UsernameToken::digest_now("u", "p", ts);
        let b = UsernameToken::digest_now("u", "p", ts);
        assert_ne!(a.nonce, b.nonce);
    }
}
