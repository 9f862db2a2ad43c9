//! Output plumbing shared by every command: JSON or text on stdout ([`Out`]), device text
//! escaped for the terminal, error messages, and aligned tables. How each command renders its
//! own data as text is in that command's module.

use std::fmt::Write as _;

use onvif::proto::text::{cut, escape_block, escape_line};
use serde::Serialize;

use crate::failure::Failure;

/// Write `text` and a line break to standard output. When its reader has gone (a closed pipe:
/// `onvif decode x.har | head`), what follows would go nowhere: the process ends quietly, as
/// `cat` does, instead of panicking in `println!`.
pub fn out_line(text: &str) {
    if !try_out_line(text) {
        std::process::exit(0);
    }
}

/// [`out_line`], telling a closed pipe (`false`) instead of ending: for a command with
/// something to close first (an event subscription).
pub fn try_out_line(text: &str) -> bool {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    match writeln!(o, "{text}").and_then(|()| o.flush()) {
        Err(e) => e.kind() != std::io::ErrorKind::BrokenPipe,
        Ok(()) => true,
    }
}

/// Device text in a line of its own making (a table cell, an event line, a message): control
/// characters, line breaks included, are shown escaped (`\u{1b}`), never sent to the terminal.
pub fn clean(s: &str) -> String {
    escape_line(s).into_owned()
}

/// Text bound for a terminal that may hold device text: line breaks and tabs stay, any other
/// control character is shown escaped. Everything printed as text goes through this.
pub fn safe_block(s: &str) -> String {
    escape_block(s).into_owned()
}

/// A JSON document with the control characters JSON leaves as they are (C1 controls such as
/// U+009B, a terminal's one-byte CSI, and the bidirectional overrides) written as `\uXXXX`.
/// They can only stand inside strings, where the escape means the same character.
pub fn json_safe(doc: String) -> String {
    if !doc.chars().any(onvif::proto::text::is_unsafe) {
        return doc;
    }
    let mut out = String::with_capacity(doc.len() + 16);
    for c in doc.chars() {
        if onvif::proto::text::is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r') {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A camera's answer as indented XML for a person (`raw`, `dump`): escaped, and user-info the
/// camera wrote into its URIs hidden, as `stream-uri` and `snapshot-uri` hide it.
pub fn answer_xml(bytes: &[u8]) -> String {
    let xml = onvif::proto::xml::pretty(bytes);
    safe_block(&onvif::media::redact_userinfo_in_text(&xml))
}

/// A decoded answer as JSON (`raw --json`, `decode`), with the same user-info hidden.
pub fn answer_json<T: Serialize>(value: &T, lines: bool) -> Result<String, serde_json::Error> {
    let s = if lines {
        serde_json::to_string(value)?
    } else {
        serde_json::to_string_pretty(value)?
    };
    Ok(json_safe(
        onvif::media::redact_userinfo_in_text(&s).into_owned(),
    ))
}

/// The most of an error message shown (the device text in it is cut shorter still, by the
/// library; this bounds whatever else a camera manages to put in one).
const MESSAGE_LIMIT: usize = 2000;

/// An error or status message as printed: user-info in any URI in it hidden, escaped, cut.
pub fn message(s: &str) -> String {
    let s = onvif::media::redact_userinfo_in_text(s);
    safe_block(&cut(&s, MESSAGE_LIMIT))
}

/// Print `error: MESSAGE` on stderr, escaped and cut.
pub fn print_error(s: &str) {
    eprintln!("error: {}", message(s));
}

/// Where output goes and in what form.
pub struct Out {
    pub json: bool,
    /// One JSON document per line (JSON Lines), for commands that print several.
    pub lines: bool,
}

impl Out {
    /// Print a value as pretty JSON, or the text rendering.
    pub fn show<T: Serialize + ?Sized>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json {
            let text = if self.lines {
                serde_json::to_string(value)
            } else {
                serde_json::to_string_pretty(value)
            };
            match text {
                Ok(s) => out_line(&json_safe(s)),
                Err(e) => eprintln!("error: cannot render JSON: {e}"),
            }
        } else {
            let t = safe_block(&text());
            out_line(t.strip_suffix('\n').unwrap_or(&t));
        }
    }

    /// A command's answer: `value` shown (as JSON, or as `text` renders it), and done.
    pub fn answer<T: Serialize + ?Sized>(
        &self,
        value: &T,
        text: impl FnOnce(&T) -> String,
    ) -> Result<(), Failure> {
        self.show(value, || text(value));
        Ok(())
    }
}

/// `key  value` lines with keys padded to one width; empty values are shown as `-`.
pub fn kv(rows: &[(&str, String)]) -> String {
    let w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    for (k, v) in rows {
        let v = if v.is_empty() { "-".into() } else { clean(v) };
        let _ = writeln!(s, "{k:<w$}  {v}");
    }
    s
}

/// The most of one table cell shown: one made-up value (a camera's 60 KB name) would
/// otherwise widen every row to its size.
pub const CELL_LIMIT: usize = 512;

/// A table with a header row; columns padded to the widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(&cut(c, CELL_LIMIT))).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
    }
    let mut s = String::new();
    let line = |cells: Vec<&str>, s: &mut String| {
        let n = cells.len();
        for (i, c) in cells.into_iter().enumerate() {
            if i + 1 == n {
                s.push_str(c);
            } else {
                let _ = write!(s, "{c:<w$}  ", w = widths[i]);
            }
        }
        s.push('\n');
    };
    line(header.to_vec(), &mut s);
    for r in &rows {
        line(r.iter().map(String::as_str).collect(), &mut s);
    }
    s
}

/// `yes` or `no`, for a table cell.
pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// A table cell for a value that may be missing: `-` then.
pub fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// A number for a table cell, rounded to two decimals; `-` when missing.
pub fn num(v: Option<f64>) -> String {
    v.map_or_else(
        || "-".to_string(),
        |v| format!("{}", (v * 100.0).round() / 100.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_huge_cell_does_not_widen_every_row() {
        let rows = vec![
            vec!["n".repeat(60_000), "a".into()],
            vec!["short".into(), "b".into()],
        ];
        let t = table(&["NAME", "X"], &rows);
        for line in t.lines() {
            assert!(line.chars().count() < CELL_LIMIT + 60, "{}", line.len());
        }
        assert!(t.contains("more bytes)"), "{t}");
    }
}
