//! Passwords a camera writes into its answers (GetUsers on some cameras, capture
//! `agsh-onvif/device.GetUsers.xml`), kept out of `--trace` and recordings.

use std::borrow::Cow;

/// `text` with the content of every element whose local name is `Password` (whatever its
/// prefix) replaced by `[redacted]`. Redacting too much is harmless here; a password left in
/// is not, so the name is all that is looked at.
pub(crate) fn redact_password_elements(text: &str) -> Cow<'_, str> {
    if !text.contains("Password") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(content) = after_open_tag(rest) {
        let (head, tail) = rest.split_at(content);
        out.push_str(head);
        rest = tail;
        let Some(close) = tail.find("</") else {
            continue;
        };
        let name_end = tail[close..].find('>').map_or(tail.len(), |e| close + e);
        let name = &tail[close + 2..name_end];
        if local_name(name) == "Password" {
            out.push_str("[redacted]");
            rest = &tail[close..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The local part of a `prefix:name`.
fn local_name(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname).trim()
}

/// Where the content of the first `<Password>` or `<p:Password ...>` start tag of `s` begins.
fn after_open_tag(s: &str) -> Option<usize> {
    s.match_indices("Password").find_map(|(i, _)| {
        let lt = s[..i].rfind('<')?;
        let prefix = &s[lt + 1..i];
        let prefixed = prefix
            .strip_suffix(':')
            .is_some_and(|p| !p.is_empty() && !p.contains(['/', '>', '"', ' ', '\n', '\t']));
        if !prefix.is_empty() && !prefixed {
            return None;
        }
        let after = &s[i + "Password".len()..];
        if !after.starts_with(|c: char| c == '>' || c.is_whitespace()) {
            return None;
        }
        let gt = after.find('>')?;
        if after[..gt].ends_with('/') {
            return None;
        }
        Some(i + "Password".len() + gt + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::redact_password_elements as r;

    #[test]
    fn passwords_in_any_namespace_are_redacted_and_nothing_else() {
        let camera = "<tds:User><tds:Username>admin</tds:Username>\
                      <tds:Password>hunter2</tds:Password><Password a=\"1\">x</Password>\
                      <tt:Password/><wsse:Password Type=\"#PasswordDigest\">d</wsse:Password>\
                      <tt:PasswordX>kept</tt:PasswordX></tds:User>";
        let out = r(camera);
        assert!(!out.contains("hunter2") && !out.contains(">x<") && !out.contains(">d<"));
        assert!(
            out.contains("<tds:Password>[redacted]</tds:Password>"),
            "{out}"
        );
        assert!(
            out.contains("<tt:Password/>") && out.contains(">kept<"),
            "{out}"
        );
        assert!(out.contains("<tds:Username>admin</tds:Username>"));
        assert_eq!(r("no secret here"), "no secret here");
    }
}
