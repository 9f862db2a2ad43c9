//! Reading a document into an [`Element`] tree with quick-xml's namespace-aware reader, within
//! bounds of depth, elements and attributes.

use std::borrow::Cow;
use std::sync::Arc;

use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::element::{Attr, Element, XmlError};
use super::scope::Scope;

/// Parse a whole document into its root element.
pub fn parse(input: &[u8]) -> Result<Element, XmlError> {
    let text = decode_text(input);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse_str(text)
}

/// The document as text. UTF-8 unless the declaration names ISO-8859-1 (or windows-1252,
/// latin1) and the bytes are not valid UTF-8 anyway: cameras declare encodings they do not
/// use, but Latin-1 text with accents is almost never valid UTF-8. Anything else is read as
/// UTF-8, lossily.
fn decode_text(input: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(input) {
        return Cow::Borrowed(s);
    }
    match declared_encoding(input).map(|e| e.to_ascii_lowercase()) {
        Some(e)
            if matches!(
                e.as_str(),
                "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1"
            ) =>
        {
            Cow::Owned(input.iter().map(|&b| char::from(b)).collect())
        }
        Some(e) if matches!(e.as_str(), "windows-1252" | "cp1252") => {
            Cow::Owned(input.iter().map(|&b| cp1252(b)).collect())
        }
        _ => String::from_utf8_lossy(input),
    }
}

/// The `encoding` of an XML declaration at the start of the document.
fn declared_encoding(input: &[u8]) -> Option<String> {
    let head = &input[..input.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let decl = head.trim_start_matches('\u{feff}').trim_start();
    let decl = &decl[..decl.strip_prefix("<?xml")?.find("?>")? + 5];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_owned())
}

/// One windows-1252 byte as a character (its 0x80-0x9F differ from Latin-1).
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Elements a document of `len` bytes may hold: one per 16 bytes, plus a margin for small
/// documents. Real answers spend 20 bytes or more on each element even without whitespace
/// (`<tt:Width>1920</tt:Width>`); a flood of `<a/>` spends 4, and each element costs the tree
/// over 100 bytes, so the limit keeps the memory of reading any accepted input within a small
/// multiple of its size. (Attributes cost less than the 5 bytes they need at least.)
pub fn element_budget(len: usize) -> usize {
    len / 16 + 4096
}

/// Attributes a document of `len` bytes may hold: one per 16 bytes, plus a margin. Real
/// answers spend far more of the document on each (`token="Profile_1"` and the elements
/// around it); an attribute needs 5 bytes at least (` a=""`) and costs the tree 64 plus its
/// name and value.
pub fn attribute_budget(len: usize) -> usize {
    len / 16 + 4096
}

/// Deepest nesting accepted. ONVIF messages stay under 20 levels; the limit keeps a hostile
/// document from exhausting the stack when the tree is walked or dropped.
pub const MAX_DEPTH: usize = 256;

fn err(input: &str, position: u64, message: impl Into<String>) -> XmlError {
    let (line, column) = line_column(input, position);
    XmlError {
        position,
        line,
        column,
        message: message.into(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(input: &str, position: u64) -> (u64, u64) {
    let mut end = usize::try_from(position)
        .unwrap_or(usize::MAX)
        .min(input.len());
    while !input.is_char_boundary(end) {
        end -= 1;
    }
    let before = &input[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() as u64 + 1;
    let column = before[line_start..].chars().count() as u64 + 1;
    (line, column)
}

/// The reader's error in plain words: quick-xml's own text for a namespace limit is advice to
/// its API's users (a function to call), not to a person reading a camera's answer.
fn reader_message(e: &quick_xml::Error) -> String {
    use quick_xml::name::NamespaceError;
    match e {
        quick_xml::Error::Namespace(NamespaceError::TooManyBindings(n)) => format!(
            "more than {n} namespace declarations are in scope at once; no ONVIF message needs \
             that many, so the document is refused"
        ),
        quick_xml::Error::Namespace(NamespaceError::TooDeeplyNested(n)) => {
            format!("elements nest deeper than {n} levels; the document is refused")
        }
        other => other.to_string(),
    }
}

/// Parse a document held as text.
pub fn parse_str(input: &str) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(input);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    config.expand_empty_elements = false;

    let empty_scope = Scope::default();
    let mut doc = DocState {
        known_ns: Vec::new(),
        attributes_left: attribute_budget(input.len()),
    };
    let budget = element_budget(input.len());
    let mut elements = 0usize;
    let too_many = |pos: u64| {
        err(
            input,
            pos,
            format!(
                "more elements than a document of {} bytes can hold (at most {budget}); refused to bound memory",
                input.len()
            ),
        )
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;

    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_resolved_event() {
            Ok((res, ev)) => (owned_ns(res, &mut doc.known_ns), ev),
            Err(e) => return Err(err(input, reader.error_position(), reader_message(&e))),
        };
        match event {
            (res, Event::Start(start)) => {
                let parent_scope = stack.last().map_or(&empty_scope, |p| &p.scope);
                let el = start_element(input, &reader, res, &start, parent_scope, &mut doc, pos)?;
                elements += 1;
                if elements > budget {
                    return Err(too_many(pos));
                }
                if root.is_some() && stack.is_empty() {
                    return Err(err(input, pos, "content after the root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        input,
                        pos,
                        format!("elements nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(el);
            }
            (res, Event::Empty(start)) => {
                let parent_scope = stack.last().map_or(&empty_scope, |p| &p.scope);
                let el = start_element(input, &reader, res, &start, parent_scope, &mut doc, pos)?;
                elements += 1;
                if elements > budget {
                    return Err(too_many(pos));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err(err(input, pos, "content after the root element")),
                }
            }
            (_, Event::End(_)) => {
                let Some(el) = stack.pop() else {
                    return Err(err(input, pos, "end tag without a start tag"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            (_, Event::Text(t)) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => {
                        // Point at the stray text itself, not at the whitespace before it.
                        let raw: &str = &t;
                        let lead = raw.len() - raw.trim_start().len();
                        let what = if root.is_some() { "after" } else { "before" };
                        return Err(err(
                            input,
                            pos + lead as u64,
                            format!("text {what} the root element"),
                        ));
                    }
                }
            }
            (_, Event::CData(t)) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            (_, Event::GeneralRef(r)) => {
                let ch = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|e| err(input, pos, e.to_string()))?
                } else {
                    let name = r.xml10_content();
                    let ch = predefined_entity(&name);
                    if ch.is_none() {
                        return Err(err(
                            input,
                            pos,
                            format!("undefined entity &{name}; (DTD entities are never expanded)"),
                        ));
                    }
                    ch
                };
                if let (Some(el), Some(ch)) = (stack.last_mut(), ch) {
                    el.text.push(ch);
                }
            }
            (_, Event::Eof) => {
                if let Some(open) = stack.last() {
                    return Err(err(
                        input,
                        pos,
                        format!("document ends inside element <{}>", open.name),
                    ));
                }
                return root.ok_or_else(|| err(input, pos, "no root element"));
            }
            // Declarations, comments, processing instructions and DTDs carry nothing we read.
            _ => {}
        }
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// What reading one document keeps between elements.
struct DocState {
    /// Every namespace URI met so far, shared by the elements and attributes in it.
    known_ns: Vec<Arc<str>>,
    /// Attributes the document may still hold (see [`attribute_budget`]).
    attributes_left: usize,
}

enum Ns {
    Bound(Arc<str>),
    None,
    Unknown,
}

/// The namespace of an event, shared with every earlier element in the same namespace (a
/// document uses a handful; a linear search beats hashing them).
fn owned_ns(res: ResolveResult<'_>, known: &mut Vec<Arc<str>>) -> Ns {
    match res {
        ResolveResult::Bound(ns) => {
            // quick-xml resolves to the declaration's raw text: expand its references (`&amp;`,
            // `&#13;`) as the declarations read for prefixes in values are.
            let raw: &str = ns.as_ref();
            let uri = quick_xml::escape::unescape(raw).unwrap_or(Cow::Borrowed(raw));
            if let Some(k) = known.iter().find(|k| ***k == *uri) {
                return Ns::Bound(Arc::clone(k));
            }
            let k: Arc<str> = Arc::from(uri.as_ref());
            known.push(Arc::clone(&k));
            Ns::Bound(k)
        }
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Unknown(_) => Ns::Unknown,
    }
}

fn start_element(
    input: &str,
    reader: &NsReader<&[u8]>,
    res: Ns,
    start: &BytesStart<'_>,
    parent_scope: &Scope,
    doc: &mut DocState,
    pos: u64,
) -> Result<Element, XmlError> {
    let qname = start.name().as_ref().to_owned();
    if qname.is_empty() {
        return Err(err(
            input,
            pos,
            "`<` not followed by an element name (a `<` in text must be written `&lt;`)",
        ));
    }
    if !is_xml_name(qname.as_bytes()) {
        return Err(err(
            input,
            pos,
            format!("`{qname}` is not an element name (a name, or prefix:name)"),
        ));
    }
    let name = start.local_name().as_ref().to_owned();
    let (ns, unbound) = match res {
        Ns::Bound(ns) => (Some(ns), false),
        Ns::None => (None, false),
        Ns::Unknown => (None, true),
    };
    let mut attrs = Vec::new();
    let mut decls: Vec<(String, String)> = Vec::new();
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| attr_error(input, pos, &qname, &e))?;
        let key = attr.key.as_ref();
        if !is_xml_name(key.as_bytes()) {
            return Err(err(
                input,
                pos,
                format!("in <{qname}>: `{key}` is not an attribute name"),
            ));
        }
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| {
                let msg = match e {
                    quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, entity)) => {
                        format!("undefined entity &{entity}; (DTD entities are never expanded)")
                    }
                    other => other.to_string(),
                };
                err(
                    input,
                    pos,
                    format!("in attribute {key} of <{qname}>: {msg}"),
                )
            })?
            .into_owned();
        if key == "xmlns" {
            decls.push((String::new(), value));
            continue;
        }
        if let Some(prefix) = key.strip_prefix("xmlns:") {
            decls.push((prefix.to_owned(), value));
            continue;
        }
        let (ares, local) = reader.resolver().resolve_attribute(attr.key);
        let ans = match owned_ns(ares, &mut doc.known_ns) {
            Ns::Bound(ns) => Some(ns),
            Ns::None | Ns::Unknown => None,
        };
        if doc.attributes_left == 0 {
            return Err(err(
                input,
                pos,
                format!(
                    "more attributes than a document of {} bytes can hold (at most {}); refused to bound memory",
                    input.len(),
                    attribute_budget(input.len())
                ),
            ));
        }
        doc.attributes_left -= 1;
        attrs.push(Attr {
            ns: ans,
            name: local.as_ref().to_owned(),
            value,
        });
    }
    let scope = parent_scope.with(decls);
    Ok(Element {
        ns,
        name,
        unbound,
        attrs,
        children: Vec::new(),
        text: String::new(),
        scope,
    })
}

/// Is this a qualified name (`local` or `prefix:local`)? Each part starts with a letter, `_`
/// or a non-ASCII character and goes on with letters, digits, `_`, `-`, `.` and non-ASCII
/// characters. A name that is not one (`a="1"`, which quick-xml lets through as an element name,
/// or `tt:Point:`, whose local part would be `Point:`) could not be written back and read as
/// the same name.
fn is_xml_name(name: &[u8]) -> bool {
    let ok = |b: &u8| b.is_ascii_alphanumeric() || b"_-.".contains(b) || *b >= 0x80;
    let part = |p: &[u8]| {
        p.first()
            .is_some_and(|b| ok(b) && !b.is_ascii_digit() && !b"-.".contains(b))
            && p.iter().all(ok)
    };
    let mut parts = name.splitn(3, |b| *b == b':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), None, None) => part(local),
        (Some(prefix), Some(local), None) => part(prefix) && part(local),
        _ => false,
    }
}

/// Explain a malformed attribute; quick-xml's positions count from the tag's `<`.
fn attr_error(input: &str, tag_pos: u64, qname: &str, e: &AttrError) -> XmlError {
    let (rel, what) = match *e {
        AttrError::ExpectedEq(p) => {
            // The offending key is the word just before the error position.
            let start = usize::try_from(tag_pos).unwrap_or(usize::MAX);
            let key = input
                .get(start..start.saturating_add(p))
                .and_then(|t| t.trim_end().rsplit(char::is_whitespace).next())
                .unwrap_or_default();
            (p, format!("attribute `{key}` has no `=` and value"))
        }
        AttrError::ExpectedValue(p) => (p, "`=` is not followed by a value".to_owned()),
        AttrError::UnquotedValue(p) => (p, "an attribute value is not in quotes".to_owned()),
        AttrError::ExpectedQuote(p, _) => (p, "an attribute value has no closing quote".to_owned()),
        AttrError::Duplicated(p, _) => (p, "an attribute is repeated".to_owned()),
    };
    err(input, tag_pos + rel as u64, format!("in <{qname}>: {what}"))
}
