//! MTOM/XOP answers: a `multipart/related` body whose root part is the SOAP envelope and whose
//! other parts are binary attachments the envelope points at with `<xop:Include href="cid:..">`.
//! GetSystemLog, GetSystemBackup and GetSystemSupportInformation come this way from many
//! cameras.

use serde::Serialize;

use crate::error::Error;
use crate::xml::Element;

/// The XOP namespace of `xop:Include`.
pub use crate::ns::XOP;

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// Header lines, names lower-cased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The part's content, after its header block.
    pub body: &'a [u8],
}

impl Part<'_> {
    /// A header's value by (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `Content-ID` without its angle brackets.
    pub fn content_id(&self) -> Option<&str> {
        self.header("content-id")
            .map(|v| v.trim_start_matches('<').trim_end_matches('>'))
    }
}

/// What an attachment is, for a person: where the envelope points at it, its type and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// The part's `Content-ID`, without angle brackets; `None` when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_id: Option<String>,
    /// The part's `Content-Type`; `None` when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Length of the part's body, in bytes.
    pub size: usize,
    /// The element of the envelope whose `xop:Include` names this part (`Binary`, `String`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referenced_by: Option<String>,
}

/// A multipart body split: the SOAP part and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart<'a> {
    /// The part holding the SOAP envelope (the `start` parameter's part, else the first).
    pub root: Part<'a>,
    /// Every other part, in order: the attachments.
    pub others: Vec<Part<'a>>,
}

impl Multipart<'_> {
    /// Describe the attachments, naming the element of `envelope` that refers to each.
    pub fn attachments(&self, envelope: &Element) -> Vec<Attachment> {
        let mut refs: Vec<(String, String)> = Vec::new();
        let mut stack = vec![envelope];
        while let Some(e) = stack.pop() {
            for c in &e.children {
                if c.is(XOP, "Include")
                    && let Some(href) = c.attr("href")
                {
                    let cid = href.trim().trim_start_matches("cid:");
                    let cid = percent_decode(cid);
                    refs.push((cid, e.name.clone()));
                }
                stack.push(c);
            }
        }
        self.others
            .iter()
            .map(|p| {
                let cid = p.content_id().map(str::to_owned);
                Attachment {
                    referenced_by: cid
                        .as_deref()
                        .and_then(|id| refs.iter().find(|(r, _)| r == id))
                        .map(|(_, el)| el.clone()),
                    content_id: cid,
                    content_type: p.header("content-type").map(str::to_owned),
                    size: p.body.len(),
                }
            })
            .collect()
    }
}

/// Is this body multipart? From the Content-Type when there is one (`multipart/related;
/// boundary=...`), else from the body itself (a saved answer starting with `--boundary`).
/// `Ok(None)` for an ordinary body; an error for a multipart body that cannot be split.
pub fn split<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
) -> Result<Option<Multipart<'a>>, Error> {
    let (boundary, start) = match content_type {
        Some(ct) if ct.trim().to_ascii_lowercase().starts_with("multipart/") => {
            let boundary = param(ct, "boundary")
                .filter(|b| !b.is_empty())
                .ok_or_else(|| {
                    Error::NotSoap("a multipart answer whose Content-Type names no boundary".into())
                })?;
            if boundary.len() > MAX_BOUNDARY {
                return Err(Error::NotSoap(format!(
                    "a multipart answer whose boundary is {} bytes long (at most {MAX_BOUNDARY})",
                    boundary.len()
                )));
            }
            (boundary, param(ct, "start"))
        }
        Some(_) => return Ok(None),
        None => match sniff_boundary(body) {
            Some(b) => (b, None),
            None => return Ok(None),
        },
    };
    let parts = parts(body, &boundary)?;
    let start = start.map(|s| s.trim_start_matches('<').trim_end_matches('>').to_owned());
    let root_at = start
        .as_deref()
        .and_then(|id| parts.iter().position(|p| p.content_id() == Some(id)))
        .unwrap_or(0);
    let mut others = parts;
    let root = others.remove(root_at);
    Ok(Some(Multipart { root, others }))
}

/// A parameter of a header value (`boundary="abc"`), unquoted.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The boundary of a saved multipart body: its first non-blank line, `--boundary`.
fn sniff_boundary(body: &[u8]) -> Option<String> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &body[start..];
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let line = std::str::from_utf8(&rest[..line_end]).ok()?.trim_end();
    let b = line.strip_prefix("--")?;
    (!b.is_empty() && b.len() <= MAX_BOUNDARY && !b.contains(char::is_whitespace))
        .then(|| b.to_owned())
}

/// The longest boundary accepted: RFC 2046 allows 70 characters; some senders go past it.
const MAX_BOUNDARY: usize = 200;

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|i| i + from)
}

/// Split a body on `--boundary` lines (RFC 2046), headers parsed.
fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, Error> {
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    let bad = |what: &str| Error::NotSoap(format!("a multipart answer {what}"));
    let mut at = find(body, delim, 0).ok_or_else(|| bad("without its boundary"))?;
    let mut out = Vec::new();
    loop {
        let after = at + delim.len();
        if body[after..].starts_with(b"--") {
            break; // the closing delimiter
        }
        // The rest of the delimiter line.
        let content =
            find(body, b"\n", after).ok_or_else(|| bad("that ends after a boundary"))? + 1;
        let next = find(body, delim, content).ok_or_else(|| bad("with no closing boundary"))?;
        // The CRLF before a delimiter belongs to the delimiter.
        let mut end = next;
        if end > content && body[end - 1] == b'\n' {
            end -= 1;
            if end > content && body[end - 1] == b'\r' {
                end -= 1;
            }
        }
        out.push(
            part(&body[content..end]).ok_or_else(|| bad("with a part that has no headers' end"))?,
        );
        at = next;
        if out.len() > 64 {
            return Err(bad("with more than 64 parts"));
        }
    }
    if out.is_empty() {
        return Err(bad("with no part"));
    }
    Ok(out)
}

fn part(raw: &[u8]) -> Option<Part<'_>> {
    let (head_end, body_start) = match (find(raw, b"\r\n\r\n", 0), find(raw, b"\n\n", 0)) {
        (Some(a), Some(b)) if b < a => (b, b + 2),
        (Some(a), _) => (a, a + 4),
        (None, Some(b)) => (b, b + 2),
        (None, None) => return None,
    };
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let headers = head
        .lines()
        .filter_map(|l| {
            let (n, v) = l.split_once(':')?;
            Some((n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    Some(Part {
        headers,
        body: &raw[body_start..],
    })
}

/// `%3C` and friends in a `cid:` URL.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    pub(crate) const LOG: &[u8] = b"--uuid:b1\r\n\
Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n\
Content-Transfer-Encoding: binary\r\n\
Content-ID: <root.message@cxf.apache.org>\r\n\
\r\n\
<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:tt=\"http://www.onvif.org/ver10/schema\"><s:Body><tds:GetSystemLogResponse><tds:SystemLog><tt:Binary><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:log%40camera\"/></tt:Binary></tds:SystemLog></tds:GetSystemLogResponse></s:Body></s:Envelope>\r\n\
--uuid:b1\r\n\
Content-Type: application/octet-stream\r\n\
Content-ID: <log@camera>\r\n\
\r\n\
line one\nline two\r\n\
--uuid:b1--\r\n";

    #[test]
    fn the_soap_part_and_its_attachment_are_found() {
        let ct = "multipart/related; type=\"application/xop+xml\"; boundary=\"uuid:b1\"; start=\"<root.message@cxf.apache.org>\"";
        let m = split(LOG, Some(ct)).unwrap().unwrap();
        assert!(m.root.body.starts_with(b"<s:Envelope"));
        assert!(m.root.body.ends_with(b"</s:Envelope>"));
        let env = crate::xml::parse(m.root.body).unwrap();
        let a = m.attachments(&env);
        assert_eq!(
            a,
            [Attachment {
                content_id: Some("log@camera".into()),
                content_type: Some("application/octet-stream".into()),
                size: "line one\nline two".len(),
                referenced_by: Some("Binary".into()),
            }]
        );
        // A saved body, without its header, is recognised by its first line.
        let saved = split(LOG, None).unwrap().unwrap();
        assert_eq!(saved.root.body, m.root.body);
    }

    #[test]
    fn ordinary_and_broken_bodies() {
        assert!(split(b"<s:Envelope/>", None).unwrap().is_none());
        assert!(
            split(b"<x/>", Some("application/soap+xml"))
                .unwrap()
                .is_none()
        );
        let e = split(b"--b\r\nContent-Type: x\r\n\r\nno end", None).unwrap_err();
        assert!(e.to_string().contains("no closing boundary"), "{e}");
        let e = split(b"junk", Some("multipart/related")).unwrap_err();
        assert!(e.to_string().contains("no boundary"), "{e}");
    }
}
