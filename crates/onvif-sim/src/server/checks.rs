//! The checks a request goes through before its operation runs: Content-Type, body, envelope,
//! header blocks, announced action; and the addresses its answer names.

use std::future::poll_fn;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use onvif_proto::Fault;
use onvif_proto::ns;
use onvif_proto::ops::names_action;
use onvif_proto::soap::{Envelope, SoapVersion};
use onvif_proto::xml::{self, Element};

use super::reply::soap_fault;
use crate::config::{Quirk, SimConfig};
use crate::fault::sender;
use crate::net::reachable;

/// What the Content-Type says.
pub(super) struct ContentType {
    /// The `action` parameter of `application/soap+xml`.
    pub(super) action: Option<String>,
    /// The media type is `text/xml` (SOAP 1.1's).
    pub(super) text_xml: bool,
}

/// Strict: a Content-Type is required, `application/soap+xml` or `text/xml`, UTF-8, with
/// well-formed parameters. Default: whatever is readable is taken, as real cameras (which
/// dispatch on the envelope) do; only the `action` parameter is kept.
pub(super) fn parse_content_type(headers: &HeaderMap, strict: bool) -> Result<ContentType, String> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        if strict {
            return Err("no Content-Type (expected application/soap+xml)".into());
        }
        return Ok(ContentType {
            action: None,
            text_xml: false,
        });
    };
    let value = match value.to_str() {
        Ok(v) => v,
        Err(_) if !strict => "",
        Err(_) => return Err("unreadable Content-Type".into()),
    };
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    if strict && media != "application/soap+xml" && media != "text/xml" {
        return Err(format!(
            "Content-Type {media:?} is neither application/soap+xml nor text/xml"
        ));
    }
    let mut action = None;
    for p in parts {
        if p.trim().is_empty() {
            continue;
        }
        let Some((k, v)) = p.split_once('=') else {
            if strict {
                return Err(format!("malformed Content-Type parameter {p:?}"));
            }
            continue;
        };
        let v = v.trim().trim_matches('"');
        match k.trim().to_ascii_lowercase().as_str() {
            "charset" if strict && !v.eq_ignore_ascii_case("utf-8") => {
                return Err(format!("charset {v:?}: this camera reads UTF-8 only"));
            }
            "action" => action = Some(v.to_owned()),
            _ => {}
        }
    }
    Ok(ContentType {
        action,
        text_xml: media == "text/xml",
    })
}

pub(super) enum BodyError {
    TooLarge,
    TimedOut,
    Broken,
}

/// The whole body, at most `limit` bytes, within `timeout`.
pub(super) async fn read_body(
    headers: &HeaderMap,
    mut body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let read = async move {
        let mut out: Vec<u8> = Vec::new();
        while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            let frame = frame.map_err(|_| BodyError::Broken)?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > limit {
                    return Err(BodyError::TooLarge);
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out)
    };
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

/// Well-formed XML and a SOAP Envelope with a Body. Strict: SOAP 1.2 only, every prefix
/// declared. Default: SOAP 1.2 or 1.1, undeclared prefixes let through (an element whose
/// prefix is unbound has no namespace, so it matches no operation or header).
pub(super) fn parse_envelope(bytes: &[u8], strict: bool) -> Result<Envelope, Fault> {
    let root = xml::parse(bytes).map_err(|e| sender(&["WellFormed"], e.to_string()))?;
    if root.name != "Envelope" {
        return Err(sender(
            &["WellFormed"],
            format!("not a SOAP envelope: the root element is <{}>", root.name),
        ));
    }
    let soap11 = !strict && root.ns.as_deref() == Some(ns::SOAP11);
    if root.ns.as_deref() != Some(ns::SOAP12) && !soap11 {
        let found = match (&root.ns, root.unbound) {
            (_, true) => "an undeclared prefix".to_owned(),
            (Some(n), _) => n.to_string(),
            (None, _) => "no namespace".to_owned(),
        };
        let expected = if strict {
            format!("a SOAP 1.2 Envelope ({})", ns::SOAP12)
        } else {
            format!("a SOAP 1.2 ({}) or 1.1 Envelope", ns::SOAP12)
        };
        return Err(soap_fault(
            "VersionMismatch",
            format!("expected {expected}, found {found}"),
        ));
    }
    if strict
        && let Some(bad) = std::iter::once(&root)
            .chain(root.descendants())
            .find(|e| e.unbound)
    {
        return Err(sender(
            &["Namespace"],
            format!(
                "<{}> uses a namespace prefix that is not declared",
                bad.name
            ),
        ));
    }
    Envelope::from_root(root).map_err(|e| sender(&["Tag"], e.to_string()))
}

/// Header blocks the camera processes (or knowingly ignores).
fn understood(block: &Element) -> bool {
    [ns::WSSE, ns::WSA, ns::WSA_2004]
        .iter()
        .any(|n| block.ns.as_deref() == Some(n))
}

/// A MustUnderstand fault for a header block marked `mustUnderstand` that we do not know.
pub(super) fn check_header_blocks(env: &Envelope) -> Option<Fault> {
    let header = env.header.as_ref()?;
    header.children.iter().find_map(|block| {
        let env_ns = match env.version {
            SoapVersion::Soap12 => ns::SOAP12,
            SoapVersion::Soap11 => ns::SOAP11,
        };
        let must = block
            .attr_ns(env_ns, "mustUnderstand")
            .is_some_and(|v| matches!(v.trim(), "1" | "true"));
        (must && !understood(block)).then(|| {
            soap_fault(
                "MustUnderstand",
                format!(
                    "header block {{{}}}{} is marked mustUnderstand and is not understood",
                    block.ns.as_deref().unwrap_or_default(),
                    block.name
                ),
            )
        })
    })
}

/// Every action the client announced (Content-Type `action`, `SOAPAction`, `wsa:Action`)
/// must name this operation: its action, or the slip the WSDL prints for it.
pub(super) fn action_mismatch(
    headers: &HeaderMap,
    ct: &ContentType,
    env: &Envelope,
    expected: &str,
) -> Option<String> {
    let soap_action = headers
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_matches('"').to_owned());
    let wsa_action = env
        .header_child(ns::WSA, "Action")
        .or_else(|| env.header_child(ns::WSA_2004, "Action"))
        .map(|a| a.text().to_owned());
    [
        ("the Content-Type action", ct.action.clone()),
        ("SOAPAction", soap_action),
        ("wsa:Action", wsa_action),
    ]
    .into_iter()
    .find_map(|(what, v)| {
        let v = v.filter(|v| !v.is_empty())?;
        (!names_action(&v, expected))
            .then(|| format!("{what} {v:?} does not match the Body's operation ({expected})"))
    })
}

/// `http://host:port` for service addresses: the Host the request came to (or the bound
/// address), unless a quirk lies about it.
pub(super) fn xaddr_base(cfg: &SimConfig, host: Option<&str>, addr: SocketAddr) -> String {
    let port = addr.port();
    let host = if cfg.has(Quirk::LyingXAddrsZero) {
        format!("0.0.0.0:{port}")
    } else if cfg.has(Quirk::LyingXAddrsOtherHost) {
        format!("192.0.2.1:{port}")
    } else {
        host.map(str::trim)
            .filter(|h| plausible_authority(h))
            .map_or_else(|| reachable(addr).to_string(), str::to_owned)
    };
    if cfg.has(Quirk::DoubledPort) {
        format!("{}://{host}:{port}", cfg.scheme())
    } else {
        format!("{}://{host}", cfg.scheme())
    }
}

/// The host (without port) that stream URIs name: like [`xaddr_base`], the Host the request
/// came to (or the bound address) unless a quirk lies about it.
pub(super) fn uri_host(cfg: &SimConfig, host: Option<&str>, addr: SocketAddr) -> String {
    if cfg.has(Quirk::LyingXAddrsZero) {
        return "0.0.0.0".into();
    }
    if cfg.has(Quirk::LyingXAddrsOtherHost) {
        return "192.0.2.1".into();
    }
    match host.map(str::trim).filter(|h| plausible_authority(h)) {
        Some(h) => strip_port(h).to_owned(),
        None => match reachable(addr) {
            SocketAddr::V4(a) => a.ip().to_string(),
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
        },
    }
}

/// `host` of `host[:port]` (`[v6]` of `[v6][:port]`).
fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => &authority[..=end],
            None => authority,
        };
    }
    match authority.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    }
}

fn plausible_authority(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 270
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:[]%".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_stripped_from_hosts() {
        assert_eq!(strip_port("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(strip_port("cam.local"), "cam.local");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
        assert_eq!(strip_port("[::1]"), "[::1]");
        assert_eq!(strip_port("::1"), "::1");
    }
}
