//! What traces, captures and errors show of a request: secrets redacted.

use url::Url;

/// `url` as errors show it: without its user-info.
pub(super) fn shown(url: &Url) -> String {
    crate::address::redact_userinfo(url.as_str())
}

/// A request body as traces and captures show it: the given secrets (the token's digest and
/// nonce, a new user's password) and every `Password` element's text replaced (a request
/// made by hand, `onvif raw`, may carry one the tool does not know of).
pub(super) fn redacted(body: &str, secrets: &[&str]) -> String {
    let mut b = onvif_proto::text::redact_password_elements(body).into_owned();
    for r in secrets.iter().filter(|r| !r.is_empty()) {
        b = b.replace(r, "[redacted]");
    }
    b
}

/// Hide what an Authorization header proves: the Digest `response` (and Basic credentials).
pub fn redact_authorization(a: &str) -> String {
    let lower = a.to_ascii_lowercase();
    if lower.starts_with("basic") {
        return "Basic [redacted]".into();
    }
    let mut out = String::with_capacity(a.len());
    for (i, part) in split_params(a).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let key = part.trim().split('=').next().unwrap_or("").trim();
        let key = key.rsplit(' ').next().unwrap_or(key);
        if key.eq_ignore_ascii_case("response") {
            let prefix_len = part.find('=').map_or(part.len(), |i| i + 1);
            out.push_str(&part[..prefix_len]);
            out.push_str("\"[redacted]\"");
        } else if key.eq_ignore_ascii_case("uri") {
            // The request-target: a snapshot URL's query may hold a password.
            out.push_str(&crate::address::redact_query_secrets(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// An authorization header's parameters, split at the commas outside quoted values (a
/// quoted `uri` may hold a comma, in a password of its query say).
fn split_params(a: &str) -> impl Iterator<Item = &str> {
    let (mut quoted, mut escaped, mut start) = (false, false, 0);
    let mut cuts = Vec::new();
    for (i, c) in a.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                cuts.push(&a[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        // A quote never closed: the header is malformed, and every comma may end a
        // parameter whose value is to be hidden.
        return a.split(',').collect::<Vec<_>>().into_iter();
    }
    cuts.push(&a[start..]);
    cuts.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_is_redacted() {
        let a = r#"Digest username="admin", realm="x", nonce="n", uri="/a", response="0123abcd", qop=auth, nc=00000001, cnonce="c""#;
        let r = redact_authorization(a);
        assert!(!r.contains("0123abcd"), "{r}");
        assert!(r.contains("username=\"admin\""));
        assert_eq!(
            redact_authorization("Basic YWRtaW46c2VjcmV0"),
            "Basic [redacted]"
        );
        // A snapshot URL's query password, in the Digest request-target.
        let a = r#"Digest username="admin", uri="/snap.jpg?usr=admin&pwd=S3cret", response="0""#;
        let r = redact_authorization(a);
        assert!(
            r.contains(r#"uri="/snap.jpg?usr=admin&pwd=[credentials]""#),
            "{r}"
        );
        // A comma inside a quoted value does not end it; the parameters around it stay.
        let a = r#"Digest username="admin", uri="/snap.jpg?usr=admin&pwd=ab,cd", response="0f", qop=auth"#;
        let r = redact_authorization(a);
        assert!(!r.contains("cd") && !r.contains("0f"), "{r}");
        assert!(
            r.ends_with(
                r#"uri="/snap.jpg?usr=admin&pwd=[credentials]", response="[redacted]", qop=auth"#
            ),
            "{r}"
        );
        // A quote never closed does not hide the response from the redaction.
        let r = redact_authorization(r#"Digest username="a, response="0f12""#);
        assert!(!r.contains("0f12"), "{r}");
    }
}
