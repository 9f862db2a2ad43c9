//! `dump`'s colours: indented XML painted for a terminal.

use std::io::IsTerminal;

/// Colour on stdout only for a terminal, and never with NO_COLOR set.
pub fn colour_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Colour indented XML for a terminal: element names, attribute names, attribute values and
/// text each in their own colour; declarations and comments dimmed.
pub fn colourise_xml(xml: &str) -> String {
    use crossterm::style::{Color, Stylize};
    let mut out = String::with_capacity(xml.len() * 2);
    let paint = |out: &mut String, s: &str, c: Color| {
        if !s.is_empty() {
            out.push_str(&s.with(c).to_string());
        }
    };
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            paint(&mut out, rest, Color::Yellow);
            break;
        };
        let (text, after) = rest.split_at(lt);
        // Indentation stays plain; the text between tags is coloured.
        let trimmed = text.trim_start();
        out.push_str(&text[..text.len() - trimmed.len()]);
        paint(&mut out, trimmed, Color::Yellow);
        if after.starts_with("<?") || after.starts_with("<!") {
            let end = after.find('>').map_or(after.len(), |i| i + 1);
            paint(&mut out, &after[..end], Color::DarkGrey);
            rest = &after[end..];
            continue;
        }
        let end = tag_end(after);
        colour_tag(&mut out, &after[..end]);
        rest = &after[end..];
    }
    out
}

/// Where a tag starting at `s[0] == '<'` ends (just past its `>`), quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return i + 1,
            None => {}
        }
    }
    s.len()
}

fn colour_tag(out: &mut String, tag: &str) {
    use crossterm::style::{Color, Stylize};
    let push = |out: &mut String, s: &str, c: Color| {
        if !s.is_empty() {
            out.push_str(&s.with(c).to_string());
        }
    };
    // The name runs from `<` (or `</`) to a space, `>` or the `/` of `/>`.
    let name_end = tag
        .char_indices()
        .find(|&(i, c)| i > 1 && (c.is_whitespace() || c == '>' || c == '/'))
        .map_or(tag.len(), |(i, _)| i);
    push(out, &tag[..name_end], Color::Blue);
    let mut rest = &tag[name_end..];
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        if rest.is_empty() {
            break;
        }
        if rest.starts_with('>') || rest.starts_with("/>") || rest.starts_with("?>") {
            push(out, rest, Color::Blue);
            break;
        }
        let eq = rest
            .find(|c: char| c == '=' || c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        push(out, &rest[..eq], Color::Cyan);
        rest = &rest[eq..];
        if let Some(r) = rest.strip_prefix('=') {
            out.push('=');
            rest = r;
            let q = rest.chars().next();
            let vend = match q {
                Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
                _ => rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len()),
            };
            push(out, &rest[..vend], Color::Green);
            rest = &rest[vend..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_coloured_piece_by_piece() {
        let s = colourise_xml("<a x=\"1\">\n  <b:c>t</b:c>\n  <d/>\n</a>");
        let plain: String = {
            // Strip the escape sequences: the text must be unchanged.
            let mut o = String::new();
            let mut it = s.chars();
            while let Some(c) = it.next() {
                if c == '\x1b' {
                    for d in it.by_ref() {
                        if d == 'm' {
                            break;
                        }
                    }
                } else {
                    o.push(c);
                }
            }
            o
        };
        assert_eq!(plain, "<a x=\"1\">\n  <b:c>t</b:c>\n  <d/>\n</a>");
        assert!(s.contains('\x1b'));
    }
}
