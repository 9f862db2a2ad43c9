//! The HAR 1.2 objects, reading and writing them, and what replays and diffs match
//! exchanges by.

use std::cell::Cell;

use base64::Engine;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::xml::{self, Element};

/// The largest recording read (a camera tour is a few MB at most).
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// The most exchanges a recording may hold (a camera tour is a few hundred).
pub const MAX_ENTRIES: usize = 100_000;

/// A whole recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Har {
    /// The one `log` object of a HAR file.
    pub log: Log,
}

/// The `log` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Log {
    /// `1.2`.
    #[serde(default = "version")]
    pub version: String,
    /// The program that wrote it.
    #[serde(default)]
    pub creator: Creator,
    /// The exchanges, in the order they started.
    pub entries: Vec<Entry>,
    /// What this project adds: the camera and how the recording was made.
    #[serde(rename = "_onvif", default, skip_serializing_if = "Option::is_none")]
    pub onvif: Option<LogInfo>,
}

fn version() -> String {
    "1.2".into()
}

/// `creator`: name and version of the writer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Creator {
    /// Program name.
    #[serde(default)]
    pub name: String,
    /// Its version.
    #[serde(default)]
    pub version: String,
}

/// `log._onvif`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogInfo {
    /// The device service address the recording was made against (user-info removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The camera's maker, when the recording holds its device information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// Its model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Its firmware.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware: Option<String>,
    /// Serial numbers, MAC and IP addresses and host names were replaced too.
    #[serde(default)]
    pub identity_redacted: bool,
}

/// One exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// When the request started (RFC 3339).
    #[serde(default)]
    pub started_date_time: String,
    /// Milliseconds from the request's start to the answer's end.
    #[serde(default)]
    pub time: f64,
    /// The request.
    pub request: Request,
    /// The answer (status 0 when none came: see `_onvif.error`).
    pub response: Response,
    /// Not used (HAR requires it).
    #[serde(default)]
    pub cache: serde_json::Map<String, serde_json::Value>,
    /// Send, wait and receive times in milliseconds.
    #[serde(default)]
    pub timings: Timings,
    /// What this project adds: operation, service, error.
    #[serde(rename = "_onvif", default, skip_serializing_if = "Option::is_none")]
    pub onvif: Option<EntryInfo>,
}

/// `timings` (only `wait` is measured: from the request's start to the answer's end).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Sending the request.
    #[serde(default)]
    pub send: f64,
    /// Waiting for the answer.
    #[serde(default)]
    pub wait: f64,
    /// Receiving it.
    #[serde(default)]
    pub receive: f64,
}

/// `entries[]._onvif`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryInfo {
    /// The request's operation (its Body's first element), for SOAP exchanges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The namespace of that element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Why no answer came (a timeout, a refused connection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A request or response header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// `request`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `POST` or `GET`.
    pub method: String,
    /// The whole URL (without user-info).
    pub url: String,
    /// `HTTP/1.1`.
    #[serde(default = "http11")]
    pub http_version: String,
    /// Its headers.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Not used.
    #[serde(default)]
    pub query_string: Vec<Header>,
    /// Not used.
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    /// Unknown: -1.
    #[serde(default = "unknown")]
    pub headers_size: i64,
    /// The body's length.
    #[serde(default = "unknown")]
    pub body_size: i64,
    /// The body, for a POST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_data: Option<PostData>,
}

/// `response`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// The HTTP status; 0 when no answer came.
    pub status: u16,
    /// Its reason phrase.
    #[serde(default)]
    pub status_text: String,
    /// `HTTP/1.1`.
    #[serde(default = "http11")]
    pub http_version: String,
    /// Its headers.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Not used.
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    /// The body.
    #[serde(default)]
    pub content: Content,
    /// Not used.
    #[serde(default, rename = "redirectURL")]
    pub redirect_url: String,
    /// Unknown: -1.
    #[serde(default = "unknown")]
    pub headers_size: i64,
    /// The body's length.
    #[serde(default = "unknown")]
    pub body_size: i64,
}

fn http11() -> String {
    "HTTP/1.1".into()
}
fn unknown() -> i64 {
    -1
}

/// `postData`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData {
    /// The Content-Type.
    #[serde(default)]
    pub mime_type: String,
    /// The body.
    #[serde(default)]
    pub text: String,
}

/// `response.content`: text as it is, binary (a JPEG) in base64.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    /// Its length in bytes.
    #[serde(default)]
    pub size: i64,
    /// The Content-Type.
    #[serde(default)]
    pub mime_type: String,
    /// The body (base64 when `encoding` says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `base64`, or absent for text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

impl Content {
    /// Content holding `body`: as text when it is UTF-8, else in base64.
    pub fn of(mime_type: &str, body: &[u8]) -> Content {
        let (text, encoding) = match std::str::from_utf8(body) {
            Ok(t) => (t.to_owned(), None),
            Err(_) => (
                base64::engine::general_purpose::STANDARD.encode(body),
                Some("base64".to_owned()),
            ),
        };
        Content {
            size: body.len() as i64,
            mime_type: mime_type.to_owned(),
            text: Some(text),
            encoding,
        }
    }

    /// The body's bytes (decoding base64); empty when the recording kept none.
    pub fn bytes(&self) -> Result<Vec<u8>, Error> {
        let Some(text) = &self.text else {
            return Ok(Vec::new());
        };
        match self.encoding.as_deref() {
            None | Some("") => Ok(text.as_bytes().to_vec()),
            Some(e) if e.eq_ignore_ascii_case("base64") => {
                base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map_err(|err| Error::Recording(format!("a base64 response body: {err}")))
            }
            Some(other) => Err(Error::Recording(format!(
                "a response body in encoding {other:?} (expected base64)"
            ))),
        }
    }
}

impl Header {
    /// A header.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Header {
        Header {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// The value of header `name` (case-insensitive) among `headers`.
pub fn header<'a>(headers: &'a [Header], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

impl Har {
    /// An empty recording written by `tool` (name and version).
    pub fn new(tool: &str, version: &str) -> Har {
        Har {
            log: Log {
                version: version_12(),
                creator: Creator {
                    name: tool.into(),
                    version: version.into(),
                },
                entries: Vec::new(),
                onvif: Some(LogInfo::default()),
            },
        }
    }

    /// Read a recording. The error names what is wrong: not JSON, not HAR, too large, too
    /// many exchanges, an entry without what a replay needs.
    pub fn parse(bytes: &[u8]) -> Result<Har, Error> {
        Har::parse_at_most(bytes, MAX_ENTRIES)
    }

    /// [`Har::parse`], refusing more than `max_entries` exchanges. The entries are read
    /// straight into their types, one at a time, with no JSON tree of the whole file between.
    fn parse_at_most(bytes: &[u8], max_entries: usize) -> Result<Har, Error> {
        if bytes.len() > MAX_BYTES {
            return Err(Error::Recording(format!(
                "the recording is {} bytes; at most {MAX_BYTES} are read",
                bytes.len()
            )));
        }
        let reading = Cell::new(Reading::Top);
        let seed = TopSeed(Reader {
            reading: &reading,
            max_entries,
        });
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let top = DeserializeSeed::deserialize(seed, &mut de)
            .and_then(|top| de.end().map(|()| top))
            .map_err(|e| unreadable(&e, reading.get(), max_entries))?;
        let Some(log) = top else {
            return Err(Error::Recording(
                "not a HAR file: no \"log\" object at the top".into(),
            ));
        };
        let Some(entries) = log.entries else {
            return Err(Error::Recording(
                "not a HAR file: no \"log.entries\" list".into(),
            ));
        };
        for (i, entry) in entries.iter().enumerate() {
            if entry.request.method.is_empty() || entry.request.url.is_empty() {
                return Err(Error::Recording(format!(
                    "log.entries[{i}]: a request without a method or a URL"
                )));
            }
        }
        let onvif = match log.onvif {
            Some(v) => Some(
                serde_json::from_value(v)
                    .map_err(|e| Error::Recording(format!("log._onvif: {e}")))?,
            ),
            None => None,
        };
        let creator = log
            .creator
            .and_then(|c| serde_json::from_value(c).ok())
            .unwrap_or_default();
        Ok(Har {
            log: Log {
                version: log
                    .version
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .unwrap_or("1.2")
                    .to_owned(),
                creator,
                entries,
                onvif,
            },
        })
    }

    /// The recording as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn version_12() -> String {
    version()
}

/// All of `reader`, when it holds at most `limit` bytes. Only `limit + 1` bytes are read, so a
/// larger file or an endless stream costs no more than that; past the limit the error says it.
pub fn read_limited(reader: impl std::io::Read, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes, the most that is read"),
        ));
    }
    Ok(bytes)
}

/// Where reading a recording is, for an error to name it.
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// Outside the entries.
    Top,
    /// In `log.entries[i]`.
    Entry(usize),
    /// Past the most entries read.
    TooMany,
}

/// Why a recording does not read: not JSON, not HAR, or an entry that is not one.
fn unreadable(e: &serde_json::Error, at: Reading, max_entries: usize) -> Error {
    use serde_json::error::Category;
    Error::Recording(match (e.classify(), at) {
        (Category::Data, Reading::Entry(i)) => format!("log.entries[{i}]: {e}"),
        (Category::Data, Reading::TooMany) => format!(
            "the recording holds more than {max_entries} exchanges; at most {max_entries} are read"
        ),
        (Category::Data, Reading::Top) => format!("not a HAR file: {e}"),
        _ => format!("not a HAR file: not JSON ({e})"),
    })
}

/// `log`, as read: the entries typed, the small members kept as JSON until checked.
struct RawLog {
    version: Option<serde_json::Value>,
    creator: Option<serde_json::Value>,
    entries: Option<Vec<Entry>>,
    onvif: Option<serde_json::Value>,
}

/// What the reading of a recording shares, from its top object to its entries: where it is
/// (for the error's place) and how many entries it reads at most.
#[derive(Clone, Copy)]
struct Reader<'a> {
    reading: &'a Cell<Reading>,
    max_entries: usize,
}

/// The top object of a recording: its `log`, if it has one.
#[derive(Clone, Copy)]
struct TopSeed<'a>(Reader<'a>);

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Option<RawLog>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<RawLog>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = Option<RawLog>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object holding a \"log\" object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<RawLog>, A::Error> {
        let mut log = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                log = Some(map.next_value_seed(LogSeed(self.0))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(log)
    }
}

/// The `log` object.
#[derive(Clone, Copy)]
struct LogSeed<'a>(Reader<'a>);

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = RawLog;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<RawLog, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = RawLog;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a \"log\" object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLog, A::Error> {
        let mut log = RawLog {
            version: None,
            creator: None,
            entries: None,
            onvif: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => log.version = Some(map.next_value()?),
                "creator" => log.creator = Some(map.next_value()?),
                "_onvif" => log.onvif = Some(map.next_value()?),
                "entries" => {
                    log.entries = Some(map.next_value_seed(EntriesSeed(self.0))?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(log)
    }
}

/// `log.entries`: each entry read as an [`Entry`], at most `max_entries` of them.
#[derive(Clone, Copy)]
struct EntriesSeed<'a>(Reader<'a>);

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = Vec<Entry>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<Entry>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_> {
    type Value = Vec<Entry>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of exchanges")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Entry>, A::Error> {
        let mut out = Vec::new();
        loop {
            let i = out.len();
            if i == self.0.max_entries {
                // One more is one too many: it is skipped over, not read.
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    self.0.reading.set(Reading::TooMany);
                    return Err(<A::Error as serde::de::Error>::custom("too many exchanges"));
                }
                break;
            }
            self.0.reading.set(Reading::Entry(i));
            match seq.next_element::<Entry>()? {
                Some(entry) => out.push(entry),
                None => break,
            }
        }
        self.0.reading.set(Reading::Top);
        Ok(out)
    }
}

impl Entry {
    /// The request's body (empty for a GET).
    pub fn request_body(&self) -> &str {
        self.request
            .post_data
            .as_ref()
            .map_or("", |p| p.text.as_str())
    }

    /// The request's SOAP Body element, when it is a SOAP request that parses.
    pub fn soap_request(&self) -> Option<Element> {
        let body = self.request_body();
        if body.is_empty() {
            return None;
        }
        let env = crate::soap::Envelope::parse(body.as_bytes()).ok()?;
        env.body.children.into_iter().next()
    }

    /// The operation: `_onvif.operation`, else the request's Body element's local name.
    pub fn operation(&self) -> Option<String> {
        if let Some(op) = self.onvif.as_ref().and_then(|o| o.operation.clone()) {
            return Some(op);
        }
        self.soap_request().map(|e| e.name)
    }

    /// The request URL's path (and query).
    pub fn path(&self) -> String {
        path_of(&self.request.url)
    }

    /// Whether the request carried credentials (HTTP or WS-Security).
    pub fn authenticated(&self) -> bool {
        self.http_auth().is_some() || self.ws_security()
    }

    /// The scheme of the request's Authorization header (`Digest`, `Basic`), if it has one.
    pub fn http_auth(&self) -> Option<&str> {
        header(&self.request.headers, "authorization")
            .map(|a| a.split_whitespace().next().unwrap_or(""))
    }

    /// Whether the request's SOAP header holds a WS-Security block.
    pub fn ws_security(&self) -> bool {
        let body = self.request_body();
        if body.is_empty() {
            return false;
        }
        crate::soap::Envelope::parse(body.as_bytes())
            .ok()
            .and_then(|env| env.header)
            .is_some_and(|h| h.children.iter().any(|c| c.is(crate::ns::WSSE, "Security")))
    }
}

/// The path and query of a URL (`/onvif/device_service`), or the text itself when it has no
/// scheme and host.
pub fn path_of(url: &str) -> String {
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => return url.to_owned(),
    };
    match rest.find('/') {
        Some(i) => rest[i..].to_owned(),
        None => "/".to_owned(),
    }
}

/// The scheme, host and port of a URL (`http://192.0.2.7:8080`).
pub fn origin_of(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    Some(&url[..end])
}

/// `text` with each whole `origin` (`http://192.0.2.7:80`) in it made `with`: where the origin
/// ends at the end of the text or at a character that ends one (`/`, `?`, `#`, a quote, `<`,
/// white space). Where more of a host or a port follows (`http://192.0.2.70`,
/// `http://192.0.2.7:8080`), it is another address and left as it is.
pub fn replace_origin(text: &str, origin: &str, with: &str) -> String {
    if origin.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(origin) {
        let end = i + origin.len();
        let whole = rest[end..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, '/' | '?' | '#' | '"' | '\'' | '<') || c.is_whitespace());
        out.push_str(&rest[..i]);
        out.push_str(if whole { with } else { origin });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The element's own text, and its descendants' texts whose names end in `Token` (the fields
/// that tell apart two requests of one operation), as `(name, value)`, in document order.
pub fn key_fields(el: &Element) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(el: &Element, out: &mut Vec<(String, String)>) {
        for a in &el.attrs {
            if a.name.ends_with("Token") || a.name == "token" {
                out.push((a.name.clone(), a.value.clone()));
            }
        }
        for c in &el.children {
            if c.name.ends_with("Token") && c.children.is_empty() {
                out.push((c.name.clone(), c.text.trim().to_owned()));
            }
            walk(c, out);
        }
    }
    walk(el, &mut out);
    out
}

/// Every leaf of a request (`(name, text)`, element names, and token attributes) in
/// document order: what tells two requests of one operation apart, for a replay to find the
/// recorded answer to the same question (`IncludeCapability` true or false, a profile token,
/// a stream setup).
pub fn request_fields(el: &Element) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(el: &Element, out: &mut Vec<(String, String)>) {
        for a in &el.attrs {
            if a.name.ends_with("Token") || a.name == "token" {
                out.push((a.name.clone(), a.value.clone()));
            }
        }
        for c in &el.children {
            if c.children.is_empty() {
                out.push((c.name.clone(), c.text.trim().to_owned()));
            }
            walk(c, out);
        }
    }
    walk(el, &mut out);
    out
}

/// Parse an XML body into its tree (for callers that hold a text body).
pub fn parse_xml(text: &str) -> Result<Element, Error> {
    Ok(xml::parse(text.as_bytes())?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A recording of `n` GETs.
    fn gets(n: usize) -> String {
        let entry = r#"{"request":{"method":"GET","url":"http://192.0.2.1/snap.jpg"},
            "response":{"status":200}}"#;
        format!(r#"{{"log":{{"entries":[{}]}}}}"#, vec![entry; n].join(","))
    }

    #[test]
    fn more_exchanges_than_the_most_read_are_refused() {
        let h = Har::parse_at_most(gets(3).as_bytes(), 3).unwrap();
        assert_eq!(h.log.entries.len(), 3);
        let e = Har::parse_at_most(gets(4).as_bytes(), 3)
            .unwrap_err()
            .to_string();
        assert!(e.contains("more than 3 exchanges"), "{e}");
        // An empty list, and errors in an entry still named by its place.
        assert!(Har::parse_at_most(gets(0).as_bytes(), 3).is_ok());
        let bad = gets(2).replacen(r#""status":200"#, r#""status":"ok""#, 1);
        let e = Har::parse_at_most(bad.as_bytes(), 3)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("log.entries[0]: "), "{e}");
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        assert_eq!(read_limited(&b"0123456789"[..], 10).unwrap(), b"0123456789");
        let e = read_limited(&b"0123456789!"[..], 10).unwrap_err();
        assert!(e.to_string().contains("larger than 10 bytes"), "{e}");
        // An endless stream: refused, not read to its end.
        let e = read_limited(std::io::repeat(b'x'), 1000).unwrap_err();
        assert!(e.to_string().contains("larger than 1000 bytes"), "{e}");
    }

    #[test]
    fn only_whole_origins_are_replaced() {
        let text = r#"<a>http://192.0.2.1:80/onvif/media</a> "http://192.0.2.1:80"
            http://192.0.2.1:8080/snap.jpg http://192.0.2.10/x http://192.0.2.1:80?q
            'http://192.0.2.1:80'"#;
        let expected = r#"<a>{camera}/onvif/media</a> "{camera}"
            http://192.0.2.1:8080/snap.jpg http://192.0.2.10/x {camera}?q
            '{camera}'"#;
        assert_eq!(
            replace_origin(text, "http://192.0.2.1:80", "{camera}"),
            expected
        );
        assert_eq!(
            replace_origin(
                "http://192.0.2.10/x http://192.0.2.1:8080/a http://192.0.2.1/b http://192.0.2.1",
                "http://192.0.2.1",
                "{camera}"
            ),
            "http://192.0.2.10/x http://192.0.2.1:8080/a {camera}/b {camera}"
        );
        assert_eq!(replace_origin("abc", "", "x"), "abc");
    }
}
