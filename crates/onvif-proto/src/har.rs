//! Recordings of a camera's HTTP exchanges in HAR 1.2, the HTTP Archive format browsers and
//! HTTP tools read, with this project's own fields under `_onvif` (the operation and service
//! of each exchange, the tool, the camera's model and firmware).
//!
//! A recording is written by the client as it talks to a camera (secrets already redacted
//! there), read back by `decode`, `diff` and the simulator's replay. Reading is lenient in
//! what HAR allows to be missing (a HAR from another tool has no `_onvif` fields and may omit
//! sizes and timings) and strict about what a replay needs: every entry has a request with a
//! method and a URL, and a response with a status.

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

/// Replace the camera's identity everywhere in a recording, each value by the same stand-in
/// wherever it appears: serial numbers and hardware ids (from GetDeviceInformation), host
/// names (GetHostname, and the URLs' hosts when they are names), MAC addresses
/// (`SERIAL-1`, `camera-1`, `02:00:00:00:00:01`, locally administered) and IPv4 addresses
/// (`192.0.2.1`, the documentation range; netmasks and `0.0.0.0` are left) and IPv6
/// addresses (`2001:db8::1`, likewise; `::` and `::1` are left).
pub fn redact_identity(h: &mut Har) {
    let mut names: Vec<(String, String)> = Vec::new();
    let add = |names: &mut Vec<(String, String)>, value: &str, stand_in: String| {
        let v = value.trim();
        if v.len() >= 2 && !names.iter().any(|(x, _)| x == v) {
            names.push((v.to_owned(), stand_in));
        }
    };
    for e in &h.log.entries {
        let Some(op) = e.operation() else { continue };
        let Ok(body) = e.response.content.bytes() else {
            continue;
        };
        let Ok(tree) = xml::parse(&body) else {
            continue;
        };
        let mut found = Vec::new();
        collect(&tree, &mut found);
        for (name, text) in found {
            match (op.as_str(), name.as_str()) {
                ("GetDeviceInformation", "SerialNumber" | "HardwareId") => {
                    let n = names.len() + 1;
                    add(&mut names, &text, format!("SERIAL-{n}"));
                }
                ("GetHostname", "Name") => {
                    let n = names.len() + 1;
                    add(&mut names, &text, format!("camera-{n}"));
                }
                _ => {}
            }
        }
    }
    for e in &h.log.entries {
        if let Some(host) = host_of(&e.request.url)
            && host.parse::<std::net::IpAddr>().is_err()
            && !host.starts_with('[')
        {
            let n = names.len() + 1;
            add(&mut names, host, format!("camera-{n}"));
        }
    }
    // Longest first, so a name inside another is not replaced in it first.
    names.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
    let mut ips = Vec::new();
    let mut ip6s = Vec::new();
    let mut macs = Vec::new();
    let mut fix = |t: &str| -> String {
        let mut out = t.to_owned();
        for (v, s) in &names {
            out = out.replace(v.as_str(), s);
        }
        let out = replace_macs(&replace_ipv4(&out, &mut ips), &mut macs);
        replace_ipv6(&out, &mut ip6s)
    };
    for e in &mut h.log.entries {
        e.request.url = fix(&e.request.url);
        for hd in e
            .request
            .headers
            .iter_mut()
            .chain(e.response.headers.iter_mut())
        {
            hd.value = fix(&hd.value);
        }
        if let Some(p) = &mut e.request.post_data {
            p.text = fix(&p.text);
        }
        let c = &mut e.response.content;
        if c.encoding.is_none()
            && let Some(t) = &c.text
        {
            let t = fix(t);
            c.size = t.len() as i64;
            e.response.body_size = t.len() as i64;
            c.text = Some(t);
        }
    }
    let info = h.log.onvif.get_or_insert_with(LogInfo::default);
    info.device = info.device.as_deref().map(&mut fix);
    info.identity_redacted = true;
}

/// `(local name, own text)` of every element of a tree.
fn collect(el: &Element, out: &mut Vec<(String, String)>) {
    out.push((el.name.clone(), el.text.clone()));
    for c in &el.children {
        collect(c, out);
    }
}

/// The host of a URL (without port).
fn host_of(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if authority.starts_with('[') {
        return authority.find(']').map(|i| &authority[..=i]);
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

/// Every dotted-quad IPv4 address in `t` replaced by its stand-in (`192.0.2.N`, in order
/// of first appearance in the recording); netmasks (255.…) and 0.0.0.0 stay.
fn replace_ipv4(t: &str, seen: &mut Vec<String>) -> String {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        if boundary && b[i].is_ascii_digit() {
            let mut j = i;
            let mut parts = 0;
            let mut ok = true;
            loop {
                let s = j;
                while j < b.len() && b[j].is_ascii_digit() && j - s < 3 {
                    j += 1;
                }
                if j == s || t[s..j].parse::<u16>().map_or(true, |v| v > 255) {
                    ok = false;
                    break;
                }
                parts += 1;
                if parts == 4 || j >= b.len() || b[j] != b'.' {
                    break;
                }
                j += 1;
            }
            let after_ok = j >= b.len() || !(b[j].is_ascii_alphanumeric() || b[j] == b'.');
            if ok && parts == 4 && after_ok {
                let ip = &t[i..j];
                if ip.starts_with("255.") || ip == "0.0.0.0" {
                    out.push_str(ip);
                } else {
                    let n = match seen.iter().position(|x| x == ip) {
                        Some(n) => n + 1,
                        None => {
                            seen.push(ip.to_owned());
                            seen.len()
                        }
                    };
                    out.push_str(&format!("192.0.2.{}", n.min(254)));
                }
                i = j;
                continue;
            }
        }
        let ch = t[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Every IPv6 address (a run of hex digits, `:` and `.` that reads as one, with at least
/// two colons) replaced by its stand-in (`2001:db8::N`); `::` and `::1` stay.
fn replace_ipv6(t: &str, seen: &mut Vec<String>) -> String {
    let is_part = |c: char| c.is_ascii_hexdigit() || c == ':' || c == '.';
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(start) = rest.find(is_part) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let len = from.find(|c: char| !is_part(c)).unwrap_or(from.len());
        let (token, after) = from.split_at(len);
        // A word character right before makes it part of a name (`tt:Name`), not an address.
        let glued = before
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
        let core = token.trim_matches(|c| c == ':' || c == '.');
        let lead = &token[..token.find(core).unwrap_or(0)];
        let parsed = core.parse::<std::net::Ipv6Addr>().ok();
        match parsed {
            Some(ip)
                if !glued
                    && core.matches(':').count() >= 2
                    && !ip.is_unspecified()
                    && !ip.is_loopback() =>
            {
                let key = ip.to_string();
                let n = match seen.iter().position(|x| *x == key) {
                    Some(n) => n + 1,
                    None => {
                        seen.push(key);
                        seen.len()
                    }
                };
                out.push_str(lead);
                out.push_str(&format!("2001:db8::{n:x}"));
                out.push_str(&token[lead.len() + core.len()..]);
            }
            _ => out.push_str(token),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Every MAC address (six hex pairs joined by `:` or `-`) replaced by its stand-in.
fn replace_macs(t: &str, seen: &mut Vec<String>) -> String {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    let is_mac = |s: &[u8]| {
        s.len() == 17
            && s.iter().enumerate().all(|(k, c)| {
                if k % 3 == 2 {
                    *c == s[2] && (*c == b':' || *c == b'-')
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    };
    while i < b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if boundary && i + 17 <= b.len() && is_mac(&b[i..i + 17]) {
            let after_ok = i + 17 == b.len() || !b[i + 17].is_ascii_alphanumeric();
            if after_ok {
                let mac = t[i..i + 17].to_ascii_lowercase().replace('-', ":");
                let n = match seen.iter().position(|x| *x == mac) {
                    Some(n) => n + 1,
                    None => {
                        seen.push(mac);
                        seen.len()
                    }
                };
                out.push_str(&format!("02:00:00:00:00:{:02x}", n.min(255)));
                i += 17;
                continue;
            }
        }
        let ch = t[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        let e = |b: &[u8]| Har::parse(b).unwrap_err().to_string();
        assert!(e(b"<html/>").contains("not JSON"), "{}", e(b"<html/>"));
        assert!(e(b"{}").contains("no \"log\""));
        assert!(e(br#"{"log":{}}"#).contains("log.entries"));
        let bad = br#"{"log":{"entries":[{"request":{"method":"GET","url":"http://x/"}}]}}"#;
        assert!(e(bad).contains("log.entries[0]"), "{}", e(bad));
        assert!(e(bad).contains("response"), "{}", e(bad));
        let truncated = br#"{"log":{"entries":[{"request":"#;
        assert!(e(truncated).contains("not JSON"));
    }

    #[test]
    fn another_tool_s_har_is_read() {
        let har = br#"{"log":{"version":"1.2","creator":{"name":"browser","version":"1"},
          "entries":[{"startedDateTime":"2026-01-01T00:00:00Z","time":3,
            "request":{"method":"POST","url":"http://192.0.2.1/onvif/device_service",
              "headers":[{"name":"Content-Type","value":"application/soap+xml"}],
              "postData":{"mimeType":"application/soap+xml","text":"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><GetDeviceInformation xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>"}},
            "response":{"status":200,"content":{"mimeType":"application/soap+xml","text":"<x/>"}}}]}}"#;
        let h = Har::parse(har).unwrap();
        let e = &h.log.entries[0];
        assert_eq!(e.operation().as_deref(), Some("GetDeviceInformation"));
        assert_eq!(e.path(), "/onvif/device_service");
        assert!(!e.authenticated());
        assert!(h.log.onvif.is_none());
    }

    #[test]
    fn binary_bodies_go_in_base64_and_come_back() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x80];
        let c = Content::of("image/jpeg", &jpeg);
        assert_eq!(c.encoding.as_deref(), Some("base64"));
        assert_eq!(c.bytes().unwrap(), jpeg);
        let t = Content::of("text/xml", b"<a/>");
        assert_eq!(t.encoding, None);
        assert_eq!(t.bytes().unwrap(), b"<a/>");
    }

    #[test]
    fn addresses_get_the_same_stand_in_everywhere() {
        let mut ips = Vec::new();
        let t = replace_ipv4(
            "http://10.1.2.3:80/x 10.1.2.3 255.255.255.0 0.0.0.0 1.2.3.4.5 v10.1.2.3 192.168.0.9",
            &mut ips,
        );
        assert_eq!(
            t,
            "http://192.0.2.1:80/x 192.0.2.1 255.255.255.0 0.0.0.0 1.2.3.4.5 v10.1.2.3 192.0.2.2"
        );
        let mut macs = Vec::new();
        let t = replace_macs(
            "a AA:bb:CC:00:11:22 b aa-bb-cc-00-11-22 aa:bb:cc:00:11:22x",
            &mut macs,
        );
        assert_eq!(
            t,
            "a 02:00:00:00:00:01 b aa-bb-cc-00-11-22 aa:bb:cc:00:11:22x"
                .replace("aa-bb-cc-00-11-22", "02:00:00:00:00:01")
        );
        assert_eq!(host_of("http://u:p@cam.local:8080/x"), Some("cam.local"));
        let mut ip6s = Vec::new();
        let t = replace_ipv6(
            "http://[fe80::1c2:3ff:fe44:5566]:80/x fe80::1c2:3ff:fe44:5566 ::1 :: \
             tt:Name 12:34:56 aa:bb:cc:dd:ee:ff <a>2a01:4f8::9</a>",
            &mut ip6s,
        );
        assert_eq!(
            t,
            "http://[2001:db8::1]:80/x 2001:db8::1 ::1 :: tt:Name 12:34:56 aa:bb:cc:dd:ee:ff \
             <a>2001:db8::2</a>"
        );
    }

    #[test]
    fn urls_split() {
        assert_eq!(path_of("http://h:80/onvif/x?y=1"), "/onvif/x?y=1");
        assert_eq!(path_of("http://h"), "/");
        assert_eq!(origin_of("http://h:80/onvif/x"), Some("http://h:80"));
    }
}
