//! Device text made fit for a person to read: control characters escaped, long text cut.
//!
//! A camera chooses its strings (manufacturer, fault reasons, event values); written raw to a
//! terminal, `ESC ]0;…BEL` retitles the window and `ESC [2J` clears it. These helpers are what
//! every text rendering of device strings goes through.

use std::borrow::Cow;

/// How much device text an error message quotes before cutting it.
pub const ERROR_TEXT_LIMIT: usize = 300;

/// A character that must not reach a terminal as it is: C0 and C1 controls and DEL, plus the
/// Unicode bidirectional overrides and isolates (they reorder what follows on the line).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape_into(out: &mut String, c: char) {
    out.extend(c.escape_default());
}

/// One line of device text: every control character (line breaks and tabs too) shown escaped,
/// as `\n`, `\t`, `\u{1b}`.
pub fn escape_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A block of text (a table, an XML trace): line feeds and tabs are kept, every other control
/// character (carriage returns, escapes, bells) is shown escaped.
pub fn escape_block(s: &str) -> Cow<'_, str> {
    let unsafe_here = |c: char| is_unsafe(c) && c != '\n' && c != '\t';
    if !s.chars().any(unsafe_here) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_here(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max` bytes of `s` (cut at a character boundary), followed by
/// `… (N more bytes)` when anything was cut.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}… ({} more bytes)", &s[..end], s.len() - end))
}

/// Does this value hold a template leftover such as `{{utc_time}}`, `{{=it.port}}` or
/// `${serial}`? Firmware that fills its answers from templates sometimes sends the template
/// itself. Only asked of values that failed to read, so a false match changes a message only.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let braces = v.find("{{").is_some_and(|at| v[at + 2..].contains("}}"));
    let dollar = v.starts_with("${") && v.ends_with('}');
    braces || dollar
}

/// Does a content type say XML, SOAP or MTOM (multipart), whose text may be redacted?
pub fn is_markup_type(mime: &str) -> bool {
    let m = mime.to_ascii_lowercase();
    m.contains("xml") || m.contains("soap") || m.starts_with("multipart/")
}

/// `body` redacted by `fix` as text, whatever its bytes: read byte for byte as Latin-1 (which
/// keeps every byte, so a body that is not UTF-8 is redacted too), and written back so.
/// What `fix` adds must be Latin-1 (the redaction marks are ASCII).
pub fn redact_bytes(body: &[u8], fix: impl FnOnce(&str) -> String) -> Vec<u8> {
    let text: String = body.iter().map(|&b| char::from(b)).collect();
    fix(&text)
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_sent() {
        let evil = "Evil\x1b]0;pwned\x07\x1b[2J\r\nx\u{202e}y\u{9b}";
        let l = escape_line(evil);
        assert!(!l.chars().any(char::is_control), "{l}");
        assert_eq!(
            l,
            "Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\\nx\\u{202e}y\\u{9b}"
        );
        let b = escape_block(evil);
        assert_eq!(
            b,
            "Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\nx\\u{202e}y\\u{9b}"
        );
        assert!(matches!(escape_line("Axis Ünïcode"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_fault_message_quotes_the_start_of_a_huge_reason() {
        let reason = "R".repeat(7 * 1024 * 1024);
        let mut f = crate::Fault::new(false, &["ActionFailed"], &reason);
        f.detail = Some("D".repeat(10_000));
        let shown = f.to_string();
        assert!(
            shown.len() < 2 * ERROR_TEXT_LIMIT + 200,
            "{} bytes",
            shown.len()
        );
        assert!(
            shown.contains(&format!(
                "… ({} more bytes)",
                reason.len() - ERROR_TEXT_LIMIT
            )),
            "{shown}"
        );
        assert!(shown.contains("… (9700 more bytes))"), "{shown}");
        // The value keeps everything.
        assert_eq!(f.reason.len(), reason.len());
    }

    #[test]
    fn long_text_is_cut_with_a_count() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("abcdef", 4), "abcd… (2 more bytes)");
        // Never inside a character.
        assert_eq!(cut("ééé", 3), "é… (4 more bytes)");
    }
}

/// `xml` with the content of every `Password` element (any prefix) replaced by
/// `[redacted]`: for answers that carry passwords (some cameras' GetUsers) on their way to a
/// trace, a recording or the screen. Text without such an element is returned as it is.
pub fn redact_password_elements(xml: &str) -> Cow<'_, str> {
    const MARK: &str = "[redacted]";
    let mut out = String::new();
    let mut done = 0;
    let mut from = 0;
    while let Some(rel) = xml[from..].find('<') {
        let start = from + rel;
        from = start + 1;
        let tag = &xml[start + 1..];
        if tag.starts_with(['/', '?', '!']) {
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        if name.rsplit(':').next() != Some("Password") {
            continue;
        }
        let Some(gt) = tag.find('>') else { break };
        if tag[..gt].ends_with('/') {
            continue;
        }
        let content = start + 1 + gt + 1;
        let Some(close) = xml[content..].find("</") else {
            break;
        };
        out.push_str(&xml[done..content]);
        out.push_str(MARK);
        done = content + close;
        from = done;
    }
    if done == 0 {
        return Cow::Borrowed(xml);
    }
    out.push_str(&xml[done..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod password_tests {
    use super::redact_password_elements;

    #[test]
    fn password_elements_lose_their_content_whatever_their_prefix() {
        let x = r#"<tds:User><tt:Username>admin</tt:Username><tt:Password>hunter2</tt:Password></tds:User><Password a="1">x&lt;y</Password><p:Password/><tt:PasswordHint>h</tt:PasswordHint>"#;
        let r = redact_password_elements(x);
        assert!(!r.contains("hunter2") && !r.contains("x&lt;y"), "{r}");
        assert!(r.contains("<tt:Password>[redacted]</tt:Password>"), "{r}");
        assert!(
            r.contains(r#"<Password a="1">[redacted]</Password>"#),
            "{r}"
        );
        assert!(
            r.contains("<p:Password/>") && r.contains(">h</tt:PasswordHint>"),
            "{r}"
        );
        assert!(r.contains("<tt:Username>admin</tt:Username>"), "{r}");
        let plain = "<a><b>no secrets</b></a>";
        assert!(matches!(
            redact_password_elements(plain),
            std::borrow::Cow::Borrowed(_)
        ));
        // Cut short: nothing past the open element is invented.
        assert_eq!(redact_password_elements("<Password>abc"), "<Password>abc");
    }
}
