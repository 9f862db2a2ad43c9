//! The HAR 1.2 objects, reading and writing them, and what replays and diffs match
//! exchanges by.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::xml::{self, Element};

/// The largest recording read (a camera tour is a few MB at most).
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

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

    /// Read a recording. The error names what is wrong: not JSON, not HAR, too large, an
    /// entry without what a replay needs.
    pub fn parse(bytes: &[u8]) -> Result<Har, Error> {
        if bytes.len() > MAX_BYTES {
            return Err(Error::Recording(format!(
                "the recording is {} bytes; at most {MAX_BYTES} are read",
                bytes.len()
            )));
        }
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::Recording(format!("not a HAR file: not JSON ({e})")))?;
        let Some(log) = value.get("log") else {
            return Err(Error::Recording(
                "not a HAR file: no \"log\" object at the top".into(),
            ));
        };
        let Some(entries) = log.get("entries").and_then(|e| e.as_array()) else {
            return Err(Error::Recording(
                "not a HAR file: no \"log.entries\" list".into(),
            ));
        };
        // Each entry on its own, so an error names which one.
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let entry: Entry = serde_json::from_value(e.clone())
                .map_err(|err| Error::Recording(format!("log.entries[{i}]: {err}")))?;
            if entry.request.method.is_empty() || entry.request.url.is_empty() {
                return Err(Error::Recording(format!(
                    "log.entries[{i}]: a request without a method or a URL"
                )));
            }
            out.push(entry);
        }
        let onvif = match log.get("_onvif") {
            Some(v) => Some(
                serde_json::from_value(v.clone())
                    .map_err(|e| Error::Recording(format!("log._onvif: {e}")))?,
            ),
            None => None,
        };
        let creator = log
            .get("creator")
            .and_then(|c| serde_json::from_value(c.clone()).ok())
            .unwrap_or_default();
        Ok(Har {
            log: Log {
                version: log
                    .get("version")
                    .and_then(|v| v.as_str())
                    .unwrap_or("1.2")
                    .to_owned(),
                creator,
                entries: out,
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
