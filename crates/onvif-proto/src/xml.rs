//! Namespace-aware XML: a small element tree read by (namespace URI, local name), and an
//! escaping writer.
//!
//! This is the only module that touches quick-xml, so a change of its API stays here.
//!
//! Reading rules, chosen for real cameras:
//! - elements and attributes are matched by namespace URI and local name, never by prefix;
//! - an element whose prefix is not bound anywhere (a common camera bug) keeps its local name and
//!   is marked `unbound`; lookups by (namespace, name) still find it, since its text can be read;
//! - DTD entities are never expanded: a `<!DOCTYPE>` is skipped and an entity reference other
//!   than the five predefined ones and character references is an error;
//! - input that is not UTF-8 is read lossily (cameras declare encodings they do not use).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use serde::Serialize;

/// Where parsing stopped and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed XML at line {line}, column {column} (byte {position}): {message}")]
pub struct XmlError {
    /// Byte offset into the document (as read: after lossy UTF-8 decoding and BOM removal).
    pub position: u64,
    /// 1-based line of `position`.
    pub line: u64,
    /// 1-based column of `position`, in characters.
    pub column: u64,
    /// What was wrong, in words.
    pub message: String,
}

/// Namespace declarations in scope at an element: (prefix, URI); the default namespace has an
/// empty prefix. Shared between elements that declare nothing new.
pub type Scope = Arc<Vec<(String, String)>>;

/// An attribute, with its namespace resolved (unprefixed attributes have none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attr {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    pub name: String,
    pub value: String,
}

/// One element of a parsed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Namespace URI, or `None` when the element has no namespace or its prefix is unbound.
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// The prefix was used but bound nowhere.
    pub unbound: bool,
    pub attrs: Vec<Attr>,
    pub children: Vec<Element>,
    /// The element's own character data (text and CDATA), concatenated, untrimmed.
    pub text: String,
    /// Namespace declarations in scope here (for QName values such as fault codes and topics).
    pub scope: Scope,
}

impl Element {
    /// A new element with no namespace scope (for building trees by hand, e.g. in tests).
    pub fn new(ns: Option<&str>, name: &str) -> Self {
        Element {
            ns: ns.map(str::to_owned),
            name: name.to_owned(),
            unbound: false,
            attrs: Vec::new(),
            children: Vec::new(),
            text: String::new(),
            scope: Arc::new(Vec::new()),
        }
    }

    /// Is this element `{ns}name`? An element with an unbound prefix matches on its name alone.
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.name == name && (self.unbound || self.ns.as_deref() == Some(ns))
    }

    /// The first child `{ns}name`. A child whose prefix is unbound stands in for it only when
    /// no child of that name is in the right namespace, and no sibling of that name is bound to
    /// another namespace (then the unbound one could be either: it is not read).
    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        let exact = self
            .children
            .iter()
            .find(|c| !c.unbound && c.name == name && c.ns.as_deref() == Some(ns));
        exact.or_else(|| {
            let stand_in = self.children.iter().find(|c| c.unbound && c.name == name)?;
            self.unbound_stands_for(ns, name).then_some(stand_in)
        })
    }

    /// Every child `{ns}name`, in document order; children with an unbound prefix are
    /// included under the rule of [`Element::child`].
    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        let unbound_ok = self.unbound_stands_for(ns, name);
        self.children.iter().filter(move |c| {
            c.name == name
                && if c.unbound {
                    unbound_ok
                } else {
                    c.ns.as_deref() == Some(ns)
                }
        })
    }

    /// May a child `x:name` with an unbound prefix be read as `{ns}name`? Not when a sibling
    /// of the same name is bound to another namespace: the name is ambiguous at that place.
    fn unbound_stands_for(&self, ns: &str, name: &str) -> bool {
        !self
            .children
            .iter()
            .any(|c| !c.unbound && c.name == name && c.ns.as_deref() != Some(ns))
    }

    /// Where this element and its descendants hold template leftovers (`{{utc_time}}`)
    /// instead of values: paths of local names, `@attr` for attributes
    /// (`PTZStatus/MoveStatus/PanTilt`, `Position/PanTilt@x`).
    pub fn placeholders(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack: Vec<(String, &Element)> = vec![(self.name.clone(), self)];
        while let Some((path, e)) = stack.pop() {
            if crate::error::is_placeholder(&e.text) {
                out.push(path.clone());
            }
            for a in &e.attrs {
                if crate::error::is_placeholder(&a.value) {
                    out.push(format!("{path}@{}", a.name));
                }
            }
            for c in e.children.iter().rev() {
                stack.push((format!("{path}/{}", c.name), c));
            }
        }
        out
    }

    /// Local names of this element and its descendants whose prefix is bound nowhere (a
    /// camera's mistake worth reporting), in document order, each once.
    pub fn unbound_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            if e.unbound && !out.contains(&e.name.as_str()) {
                out.push(&e.name);
            }
            stack.extend(e.children.iter().rev());
        }
        out
    }

    /// The first child with this local name in any namespace. Only for places where cameras are
    /// known to disagree on the namespace (each use says why).
    pub fn child_any_ns(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Follow a path of `{ns}name` steps.
    pub fn path(&self, steps: &[(&str, &str)]) -> Option<&Element> {
        let mut at = self;
        for (ns, name) in steps {
            at = at.child(ns, name)?;
        }
        Some(at)
    }

    /// The element's text with surrounding whitespace removed.
    pub fn text(&self) -> &str {
        self.text.trim()
    }

    /// The trimmed text of child `{ns}name`.
    pub fn child_text(&self, ns: &str, name: &str) -> Option<&str> {
        self.child(ns, name).map(Element::text)
    }

    /// An unqualified attribute (the usual case in ONVIF: `token="..."`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// A namespace-qualified attribute.
    pub fn attr_ns(&self, ns: &str, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(ns) && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The namespace URI bound to `prefix` at this element (`""` for the default namespace).
    pub fn lookup_prefix(&self, prefix: &str) -> Option<&str> {
        self.scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
    }

    /// Resolve a QName value (`ter:NotAuthorized`) against the declarations in scope.
    pub fn resolve_qname(&self, value: &str) -> QNameValue {
        let value = value.trim();
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", value),
        };
        QNameValue {
            ns: self.lookup_prefix(prefix).map(str::to_owned),
            name: local.to_owned(),
        }
    }

    /// First element child, if any.
    pub fn first_child(&self) -> Option<&Element> {
        self.children.first()
    }

    /// Every descendant (depth first, self excluded).
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

/// A resolved QName value: namespace URI (when the prefix is bound) and local name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QNameValue {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    pub name: String,
}

impl QNameValue {
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.name == name && self.ns.as_deref().is_none_or(|n| n == ns)
    }
}

impl fmt::Display for QNameValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{{{ns}}}{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Serialises as a generic tree: `{ "name", "ns", "attrs", "text", "children" }`.
impl Serialize for Element {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &self.name)?;
        if let Some(ns) = &self.ns {
            m.serialize_entry("ns", ns)?;
        }
        if !self.attrs.is_empty() {
            m.serialize_entry("attrs", &self.attrs)?;
        }
        if !self.text().is_empty() {
            m.serialize_entry("text", self.text())?;
        }
        if !self.children.is_empty() {
            m.serialize_entry("children", &self.children)?;
        }
        m.end()
    }
}

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

/// Parse a document held as text.
pub fn parse_str(input: &str) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(input);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    config.expand_empty_elements = false;

    let empty_scope: Scope = Arc::new(Vec::new());
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;

    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_resolved_event() {
            Ok((res, ev)) => (owned_ns(res), ev),
            Err(e) => return Err(err(input, reader.error_position(), e.to_string())),
        };
        match event {
            (res, Event::Start(start)) => {
                let parent_scope = stack.last().map_or(&empty_scope, |p| &p.scope);
                let el = start_element(input, &reader, res, &start, parent_scope, pos)?;
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
                let el = start_element(input, &reader, res, &start, parent_scope, pos)?;
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

enum Ns {
    Bound(String),
    None,
    Unknown,
}

fn owned_ns(res: ResolveResult<'_>) -> Ns {
    match res {
        // quick-xml resolves to the declaration's raw text: expand its references (`&amp;`,
        // `&#13;`) as the declarations read for prefixes in values are.
        ResolveResult::Bound(ns) => {
            let raw = ns.as_ref();
            Ns::Bound(match quick_xml::escape::unescape(raw) {
                Ok(uri) => uri.into_owned(),
                Err(_) => raw.to_owned(),
            })
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
        let ans = match ares {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_owned()),
            _ => None,
        };
        attrs.push(Attr {
            ns: ans,
            name: local.as_ref().to_owned(),
            value,
        });
    }
    let scope = if decls.is_empty() {
        Arc::clone(parent_scope)
    } else {
        let mut all = Vec::with_capacity(parent_scope.len() + decls.len());
        all.extend(parent_scope.iter().cloned());
        all.extend(decls);
        Arc::new(all)
    };
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

/// Escape a value for element text or a double-quoted attribute.
pub fn escape(value: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(value)
}

/// A minimal writer for request and response bodies. Every value goes through [`escape`].
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn new() -> Self {
        Writer::default()
    }

    pub fn with_capacity(n: usize) -> Self {
        Writer {
            out: String::with_capacity(n),
        }
    }

    /// `<tag>` with attributes; `tag` is a prefixed name declared on the envelope.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        self.push_attrs(attrs);
        self.out.push('>');
        self
    }

    pub fn close(&mut self, tag: &str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `<tag attrs/>`.
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        self.push_attrs(attrs);
        self.out.push_str("/>");
        self
    }

    /// `<tag>escaped text</tag>`.
    pub fn leaf(&mut self, tag: &str, text: &str) -> &mut Self {
        self.open(tag, &[]);
        self.out.push_str(&escape(text));
        self.close(tag)
    }

    /// `<tag>..</tag>` only when a value is present.
    pub fn leaf_opt(&mut self, tag: &str, text: Option<&str>) -> &mut Self {
        if let Some(t) = text {
            self.leaf(tag, t);
        }
        self
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.out.push_str(&escape(text));
        self
    }

    /// Already well-formed XML (an inner document built by another writer).
    pub fn raw(&mut self, xml: &str) -> &mut Self {
        self.out.push_str(xml);
        self
    }

    fn push_attrs(&mut self, attrs: &[(&str, &str)]) {
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            self.out.push_str(&escape(v));
            self.out.push('"');
        }
    }

    pub fn as_str(&self) -> &str {
        &self.out
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Pretty-print a document with two-space indentation, for `dump` and `--trace`. Falls back to
/// the input when it does not parse.
pub fn pretty(input: &[u8]) -> String {
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().trim_text(true);
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(ev) => {
                if writer.write_event(ev).is_err() {
                    return String::from_utf8_lossy(input).into_owned();
                }
            }
            Err(_) => return String::from_utf8_lossy(input).into_owned(),
        }
        buf.clear();
    }
    String::from_utf8_lossy(&writer.into_inner()).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_matched_by_namespace_not_prefix() {
        let a = parse(br#"<a:x xmlns:a="urn:n"><a:y>1</a:y></a:x>"#).unwrap();
        let b = parse(br#"<x xmlns="urn:n"><q:y xmlns:q="urn:n">1</q:y></x>"#).unwrap();
        for doc in [&a, &b] {
            assert!(doc.is("urn:n", "x"));
            assert_eq!(doc.child_text("urn:n", "y"), Some("1"));
            assert!(doc.child("urn:other", "y").is_none());
        }
    }

    #[test]
    fn an_unbound_prefix_is_tolerated_and_marked() {
        let doc = parse(br#"<r xmlns="urn:n"><bad:v>7</bad:v></r>"#).unwrap();
        let v = doc.child("urn:n", "v").unwrap();
        assert!(v.unbound);
        assert_eq!(v.text(), "7");
    }

    #[test]
    fn an_unbound_prefix_never_stands_in_for_an_ambiguous_name() {
        // `Name` exists in two namespaces here: the unbound one could be either.
        let doc = parse(
            br#"<r xmlns:a="urn:a" xmlns:b="urn:b"><a:Name>1</a:Name><x:Name>2</x:Name></r>"#,
        )
        .unwrap();
        assert_eq!(doc.child_text("urn:a", "Name"), Some("1"));
        assert!(doc.child("urn:b", "Name").is_none());
        assert_eq!(doc.children_named("urn:b", "Name").count(), 0);
        // An exact match wins over an unbound stand-in, wherever it stands.
        let doc = parse(br#"<r xmlns:a="urn:a"><x:V>1</x:V><a:V>2</a:V></r>"#).unwrap();
        assert_eq!(doc.child_text("urn:a", "V"), Some("2"));
        assert_eq!(doc.children_named("urn:a", "V").count(), 2);
        assert_eq!(doc.unbound_names(), vec!["V"]);
    }

    #[test]
    fn a_declared_latin1_document_is_decoded() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>Caf\xe9 \xb0C</r>";
        assert_eq!(parse(doc).unwrap().text(), "Caf\u{e9} \u{b0}C");
        let doc = b"<?xml version='1.0' encoding='windows-1252'?><r>\x80 5</r>";
        assert_eq!(parse(doc).unwrap().text(), "\u{20ac} 5");
        // A camera that declares Latin-1 but sends UTF-8 is read as UTF-8.
        let doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>Caf\u{e9}</r>";
        assert_eq!(parse(doc.as_bytes()).unwrap().text(), "Caf\u{e9}");
        // Undeclared, invalid UTF-8 stays lossy.
        assert_eq!(parse(b"<r>a\xe9</r>").unwrap().text(), "a\u{fffd}");
    }

    #[test]
    fn entities_outside_the_predefined_five_are_refused() {
        let doc = br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>"#;
        let e = parse(doc).unwrap_err();
        assert!(e.message.contains("undefined entity &x;"), "{e}");
        let ok = parse(b"<r>a&amp;b&#65;&lt;</r>").unwrap();
        assert_eq!(ok.text(), "a&bA<");
    }

    #[test]
    fn truncated_and_mismatched_documents_are_errors() {
        assert!(
            parse(b"<a><b></b>")
                .unwrap_err()
                .message
                .contains("ends inside")
        );
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"").is_err());
        assert!(parse(&[0xff, 0xfe, 0, 1, 2]).is_err());
    }

    #[test]
    fn qnames_resolve_against_the_scope() {
        let doc = parse(
            br#"<r xmlns:ter="http://www.onvif.org/ver10/error"><c>ter:NotAuthorized</c></r>"#,
        )
        .unwrap();
        let c = doc.child_any_ns("c").unwrap();
        let q = c.resolve_qname(c.text());
        assert_eq!(q.ns.as_deref(), Some("http://www.onvif.org/ver10/error"));
        assert_eq!(q.name, "NotAuthorized");
    }

    #[test]
    fn the_writer_escapes_every_value() {
        let mut w = Writer::new();
        w.open("a", &[("k", "\"<&>")])
            .leaf("b", "x</b><c>")
            .close("a");
        let s = w.finish();
        let back = parse(s.as_bytes()).unwrap();
        assert_eq!(back.attr("k"), Some("\"<&>"));
        assert_eq!(back.child_any_ns("b").unwrap().text(), "x</b><c>");
    }
}
