//! Writing bodies: an escaping writer, and a pretty-printer for people.

use std::borrow::Cow;

use quick_xml::events::Event;

/// Escape a value for element text or a double-quoted attribute.
pub fn escape(value: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(value)
}

/// Escape a value for a double-quoted attribute: as [`escape`], and tabs and line breaks as
/// references, since a reader replaces raw ones with spaces (attribute-value normalisation)
/// and the value would not read back.
pub fn escape_attr(value: &str) -> Cow<'_, str> {
    let v = escape(value);
    if !v.contains(['\t', '\n', '\r']) {
        return v;
    }
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A minimal writer for request and response bodies. Every value goes through [`escape`].
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// An empty writer with room for `n` bytes.
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

    /// `</tag>`.
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

    /// `<tag`: the start of an open tag; [`Writer::attr`]s follow, then [`Writer::end_start`] or
    /// [`Writer::end_empty`].
    pub fn start(&mut self, tag: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        self
    }

    /// ` name="escaped value"` inside a tag begun with [`Writer::start`].
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.push_attrs(&[(name, value)]);
        self
    }

    /// `>`: the tag begun with [`Writer::start`] has content; [`Writer::close`] ends it.
    pub fn end_start(&mut self) -> &mut Self {
        self.out.push('>');
        self
    }

    /// `/>`: the tag begun with [`Writer::start`] has no content.
    pub fn end_empty(&mut self) -> &mut Self {
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
            self.out.push_str(&escape_attr(v));
            self.out.push('"');
        }
    }

    /// What has been written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The written text.
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
