//! The pieces of HTML every page is made of: escaping, a table of names and values, a
//! problem said in place of a section's content.

use std::fmt::Write as _;

use super::app::UiError;

/// HTML-escape text (element content and quoted attribute values).
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// A table of names and values, both escaped.
pub fn kv(rows: &[(&str, String)]) -> String {
    let mut o = String::from("<table class=\"kv\">");
    for (k, v) in rows {
        let _ = write!(o, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
    }
    o.push_str("</table>");
    o
}

/// What went wrong with `what`, escaped, credentials in URLs hidden.
pub fn problem(what: &str, e: &UiError) -> String {
    format!(
        "<p class=\"error\">{}: {}</p>",
        esc(what),
        esc(&onvif::address::redact_userinfo_in_text(&e.message))
    )
}
