//! Camera addresses: what users type, repairing the addresses cameras report (services,
//! streams, snapshots: [`Endpoints`]), and hiding the credentials URIs may carry.

use std::collections::BTreeMap;

use onvif_proto::Service;
use serde::Serialize;
use url::Url;

use crate::error::Error;

/// The device service paths tried, in order, when the user gives no path. TP-Link Tapo serves
/// every service at `/onvif/service` (on port 2020).
pub const DEVICE_PATHS: [&str; 2] = ["/onvif/device_service", "/onvif/service"];

/// Turn `IP`, `IP:PORT`, `[v6]:PORT`, `host`, or `http(s)://host:port/path` into the device
/// service URLs to try, in order. An explicit path is used alone.
pub fn candidates(input: &str) -> Result<Vec<Url>, Error> {
    let bad = |reason: &str| Error::Address {
        input: redact_address(input.trim()),
        reason: reason.to_owned(),
    };
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(bad("it is empty"));
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else if trimmed.parse::<std::net::Ipv6Addr>().is_ok() {
        format!("http://[{trimmed}]")
    } else {
        format!("http://{trimmed}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(bad(&format!("scheme {other:?} is not http or https"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "the user name and password go in the credentials, not in the address",
        ));
    }
    if url.path() != "/" && !url.path().is_empty() {
        return Ok(vec![url]);
    }
    Ok(DEVICE_PATHS
        .iter()
        .map(|p| {
            let mut u = url.clone();
            u.set_path(p);
            u
        })
        .collect())
}

/// An address as typed, for messages: its user-info (with or without a scheme, even one too
/// malformed to parse) is replaced by `[credentials]`. The same as [`redact_userinfo`].
pub fn redact_address(input: &str) -> String {
    redact_userinfo(input)
}

/// The length of the `scheme://` that `s` starts with, if it starts with one: a letter, then
/// letters, digits, `+ - .` (so the `://` of `admin:p://w@cam`, or of a URI in a query, is no
/// scheme's).
fn scheme_len(s: &str) -> Option<usize> {
    let i = s.find("://")?;
    let mut scheme = s[..i].chars();
    let valid = scheme.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(i + 3)
}

/// Where the user-info of an address or URI is: from after its `scheme://` (or from the start,
/// without one) to an `@`, whose index is the second value.
///
/// As URIs have it, the authority ends at the first `/ ? #`, and the user-info at its last
/// `@`. But a password may hold `/ ? # @` unencoded (people type them so, and some cameras
/// report them so): when that authority has no `@` and is no `host[:port]` (`admin:p` of
/// `admin:p/w@cam`), the user-info runs to the last `@` of the whole. So `rtsp://h:554/s?a=b@c`
/// keeps its query, and a password is hidden even when it holds `/`; one of digits only with a
/// `/` in it (`admin:12/34@cam`) reads as a port, and is not.
///
/// `hide`: for what is shown, not used: an authority with an `@` followed by another `@`
/// later (`admin:p@ss/word@cam`) runs to that last one too, as hiding too much in a message
/// costs less than showing part of a password.
fn userinfo_span(s: &str, hide: bool) -> Option<(usize, usize)> {
    let start = scheme_len(s).unwrap_or(0);
    let rest = &s[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if let Some(at) = authority.rfind('@') {
        let at = if hide {
            rest.rfind('@').unwrap_or(at)
        } else {
            at
        };
        return Some((start, start + at));
    }
    let at = rest.rfind('@')?;
    let host_port = authority.starts_with('[')
        || authority
            .rsplit_once(':')
            .is_none_or(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
    (!host_port).then_some((start, start + at))
}

/// How reported service addresses are repaired.
#[derive(Debug, Clone)]
pub struct Repair {
    /// The device service URL we actually reached.
    pub connected: Url,
    /// The port the camera reports for its own device service, when known: a service
    /// address on that port is mapped to the port we connected to (port forwarding).
    pub camera_device_port: Option<u16>,
    /// Keep the camera's own host when it looks usable (the default replaces it with ours).
    pub keep_camera_host: bool,
}

impl Repair {
    /// Repair towards `connected`, with the defaults: a reported host becomes its host and,
    /// the camera's device port being unknown, a port of the same scheme becomes its port.
    pub fn new(connected: Url) -> Self {
        Repair {
            connected,
            camera_device_port: None,
            keep_camera_host: false,
        }
    }

    /// Repair one reported address; `None` when nothing usable can be made of it.
    ///
    /// - a doubled port (`host:8106:8106`) is collapsed;
    /// - by default the host becomes the one we connected to (cameras behind NAT, or reporting
    ///   0.0.0.0, 127.0.0.1 or a stale address); with `keep_camera_host`, only unusable hosts
    ///   (unspecified, loopback when we did not connect to loopback) are replaced;
    /// - the port is kept, except that the camera's own device port maps to ours.
    pub fn repair(&self, reported: &str) -> Option<Url> {
        let fixed = collapse_doubled_port(reported.trim());
        let mut url = match Url::parse(&fixed) {
            Ok(u) => u,
            // A bare path: relative to where we connected.
            Err(_) if fixed.starts_with('/') => self.connected.join(&fixed).ok()?,
            Err(_) => return None,
        };
        let theirs = url.host_str()?.to_owned();
        let ours = self.connected.host_str().unwrap_or_default();
        let replace = !self.keep_camera_host || unusable_host(&theirs, ours);
        if replace && !theirs.eq_ignore_ascii_case(ours) {
            let their_port = url.port_or_known_default();
            url.set_host(Some(ours)).ok()?;
            // Same port as the camera says its device service is on: that is the port we
            // reached it by, whatever the camera believes.
            let device_port = self.camera_device_port.or(their_port);
            if their_port == device_port
                && url.scheme() == self.connected.scheme()
                && let Some(p) = self.connected.port_or_known_default()
            {
                url.set_port(Some(p)).ok()?;
            }
        }
        Some(url)
    }
}

/// `url` without the user name and password a camera may have put in it.
pub(crate) fn drop_userinfo(url: &mut Url) {
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
}

/// Where each service lives, as the camera reported it and after repair.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoints {
    /// `GetServices`, `GetCapabilities`, or `GetServices+GetCapabilities` when GetServices
    /// left out what GetCapabilities listed.
    pub source: &'static str,
    /// Each service's address, repaired.
    #[serde(serialize_with = "urls_as_strings")]
    pub services: BTreeMap<Service, Url>,
    /// What the camera reported, before repair, where it differs by more than user-info
    /// (which is dropped, never used, and shown as `[credentials]` here).
    pub reported: BTreeMap<Service, String>,
    /// Every (service, address) reported, in the order learned.
    #[serde(skip)]
    pub(crate) raw: Vec<(Service, String)>,
    /// GetCapabilities was asked (so a missing service is really missing).
    #[serde(skip)]
    pub(crate) asked_capabilities: bool,
}

impl Endpoints {
    /// Repair what the camera reported (with `repair`, for a camera reached at `device_url`):
    /// the first address of each service is kept; the device service is where we connected.
    pub(crate) fn build(
        mut repair: Repair,
        device_url: &Url,
        source: &'static str,
        reported: Vec<(Service, String)>,
        asked_capabilities: bool,
    ) -> Endpoints {
        // The port the camera believes its device service is on maps to the one we used.
        repair.camera_device_port = reported
            .iter()
            .find(|(s, _)| *s == Service::Device)
            .and_then(|(_, x)| Url::parse(&collapse_doubled_port(x)).ok())
            .and_then(|u| u.port_or_known_default());
        let mut services = BTreeMap::new();
        let mut changed = BTreeMap::new();
        for (svc, xaddr) in &reported {
            if services.contains_key(svc) {
                continue;
            }
            match repair.repair(xaddr) {
                Some(mut u) => {
                    // Never sent (credentials go in headers), and an error naming the address
                    // must not repeat them.
                    drop_userinfo(&mut u);
                    // Changed by more than the user-info dropped: said, without it.
                    if u.as_str() != without_userinfo(xaddr) {
                        changed.insert(*svc, redact_userinfo(xaddr));
                    }
                    services.insert(*svc, u);
                }
                None => {
                    tracing::debug!(service = %svc, xaddr = %redact_userinfo(xaddr), "unusable service address skipped");
                }
            }
        }
        services.insert(Service::Device, device_url.clone());
        Endpoints {
            source,
            services,
            reported: changed,
            raw: reported,
            asked_capabilities,
        }
    }
}

fn urls_as_strings<S: serde::Serializer>(
    m: &BTreeMap<Service, Url>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().map(|(k, v)| (k, v.as_str())))
}

fn unusable_host(host: &str, ours: &str) -> bool {
    let h = host.trim_matches(['[', ']']);
    let loopback_ours = is_loopback(ours.trim_matches(['[', ']']));
    h.is_empty() || h == "0.0.0.0" || h == "::" || (is_loopback(h) && !loopback_ours)
}

fn is_loopback(h: &str) -> bool {
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `http://1.2.3.4:8106:8106/x` -> `http://1.2.3.4:8106/x`: firmware that appends the port to
/// an address that already has one (Intelbras on port 8106, in event subscription addresses:
/// home-assistant/core#92603; python-onvif-zeep-async `normalize_url`). See docs/QUIRKS.md.
pub(crate) fn collapse_doubled_port(s: &str) -> String {
    let Some((scheme, rest)) = s.split_once("://") else {
        return s.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // Keep any user-info aside: its colon is not a port separator.
    let (userinfo, authority) = match authority.rfind('@') {
        Some(i) => authority.split_at(i + 1),
        None => ("", authority),
    };
    // Leave IPv6 literals alone unless the doubled port follows the bracket.
    let (host, ports) = match authority.rfind(']') {
        Some(i) => authority.split_at(i + 1),
        None => match authority.find(':') {
            Some(i) => authority.split_at(i),
            None => (authority, ""),
        },
    };
    let parts: Vec<&str> = ports.split(':').filter(|p| !p.is_empty()).collect();
    if parts.len() >= 2 && parts.iter().all(|p| *p == parts[0]) {
        return format!("{scheme}://{userinfo}{host}:{}{path}", parts[0]);
    }
    s.to_owned()
}

/// A URI with any user-info removed (cameras put passwords there; we print URIs), found as
/// [`redact_userinfo`] finds it.
pub fn without_userinfo(uri: &str) -> String {
    match userinfo_span(uri, false) {
        Some((start, at)) => format!("{}{}", &uri[..start], &uri[at + 1..]),
        None => uri.to_owned(),
    }
}

/// Every `scheme://user:password@` in a text (a trace, an answer, a message) with its
/// user-info replaced by `[credentials]`. A URI ends at white space, quotes or angle
/// brackets, so URIs inside XML and inside sentences are found; its user-info ends at the last
/// `@` in it (a password may hold `/ ? # @`, see [`redact_userinfo`]).
/// Its query's password values are hidden as well ([`redact_query_secrets`]).
pub fn redact_userinfo_in_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = userinfo_hidden_in_text(text);
    if !text.contains('?') && !text.contains("password=") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(i) = rest.find("://") {
        let (before, after) = rest.split_at(i + 3);
        out.push_str(before);
        let end = uri_end(after);
        out.push_str(&redact_query_secrets(&after[..end]));
        rest = &after[end..];
    }
    out.push_str(rest);
    if out == *text {
        text
    } else {
        std::borrow::Cow::Owned(out)
    }
}

/// Where a URI in a text ends: at white space, quotes or angle brackets.
fn uri_end(s: &str) -> usize {
    s.find(|c: char| matches!(c, '"' | '\'' | '<' | '>' | '`') || c.is_whitespace())
        .unwrap_or(s.len())
}

fn userinfo_hidden_in_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("://") || !text.contains('@') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    // The URI-like token the last `://` is in: where it ends, and its last `@`. Each is
    // found once per token, so a token of many `://` costs no more than one read of it.
    let (mut token_end, mut last_at) = (0, None);
    while let Some(i) = text[pos..].find("://") {
        let start = pos + i + 3;
        out.push_str(&text[pos..start]);
        if start > token_end {
            token_end = start + uri_end(&text[start..]);
            last_at = text[start..token_end].rfind('@').map(|a| start + a);
        }
        // No `@` after this `://` in its token: no user-info here or in any later `://` of it.
        if last_at.is_none_or(|a| a < start) {
            out.push_str(&text[start..token_end]);
            pos = token_end;
            continue;
        }
        match userinfo_span(&text[start..token_end], true) {
            Some((0, at)) => {
                out.push_str("[credentials]");
                pos = start + at;
            }
            _ => pos = start,
        }
    }
    out.push_str(&text[pos..]);
    std::borrow::Cow::Owned(out)
}

/// Query keys whose values are passwords in the snapshot and stream URIs cameras give out
/// (Foscam's `usr=admin&pwd=…`, others' `password=`, `loginpas=`), compared without case.
pub const SECRET_KEYS: [&str; 6] = ["pwd", "pass", "passwd", "password", "loginpas", "psw"];

/// A URI with the values of its query's password keys ([`SECRET_KEYS`]) replaced by
/// `[credentials]`: `…?usr=admin&pwd=S3cret` is `…?usr=admin&pwd=[credentials]`. A query
/// written into XML (`&amp;pwd=`) is read the same way, and so is the query of a URI inside
/// a query. A value runs to the next `&` or `#`. Everything else is left as it is.
///
/// Xiongmai-made cameras write theirs into the path instead
/// (`rtsp://h:554/user=admin_password=SECRET_channel=1_stream=0.sdp`); that value, up to
/// `_channel=` (or the next `_ ? & # /`), is hidden too.
pub fn redact_query_secrets(uri: &str) -> std::borrow::Cow<'_, str> {
    let uri = match path_password(uri) {
        Some((start, end)) => {
            std::borrow::Cow::Owned(format!("{}[credentials]{}", &uri[..start], &uri[end..]))
        }
        None => std::borrow::Cow::Borrowed(uri),
    };
    match query_secrets_hidden(&uri) {
        std::borrow::Cow::Owned(o) => std::borrow::Cow::Owned(o),
        std::borrow::Cow::Borrowed(_) => uri,
    }
}

/// Where the value of a Xiongmai path's `_password=` (or `/password=`) is, when not empty.
fn path_password(uri: &str) -> Option<(usize, usize)> {
    let path_end = uri.find(['?', '#']).unwrap_or(uri.len());
    // ASCII lowercase keeps every byte where it was.
    let path = uri[..path_end].to_ascii_lowercase();
    let at = ["_password=", "/password="]
        .iter()
        .find_map(|k| path.find(k).map(|i| i + k.len()))?;
    let rest = &path[at..];
    let len = rest
        .find("_channel=")
        .or_else(|| rest.find(['_', '&', '/']))
        .unwrap_or(rest.len());
    (len > 0).then_some((at, at + len))
}

/// The query's password values hidden; the pieces of a path joined by `&` are read the same
/// way (Xiongmai: `/user=admin&password=…&channel=1&stream=0.sdp`). A password value runs to
/// the next `&` or `"`, past a `#` it may hold.
fn query_secrets_hidden(uri: &str) -> std::borrow::Cow<'_, str> {
    if !uri.contains(['?', '&']) {
        return std::borrow::Cow::Borrowed(uri);
    }
    let mut out = String::with_capacity(uri.len());
    let mut changed = false;
    let mut in_query = true;
    let mut rest = uri;
    loop {
        let cut = rest.find(['?', '&', '#', '"']);
        let piece = &rest[..cut.unwrap_or(rest.len())];
        let secret_key = piece.split_once('=').map(|(key, _)| key).filter(|key| {
            let bare = key.strip_prefix("amp;").unwrap_or(key);
            in_query && SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(bare))
        });
        let cut = match secret_key {
            Some(key) => {
                let from = key.len() + 1;
                let to = rest[from..].find(['&', '"']).map(|i| from + i);
                let value = &rest[from..to.unwrap_or(rest.len())];
                if value.is_empty() {
                    out.push_str(piece);
                } else {
                    out.push_str(key);
                    out.push_str("=[credentials]");
                    changed = true;
                }
                to
            }
            None => {
                out.push_str(piece);
                cut
            }
        };
        let Some(i) = cut else { break };
        let sep = rest.as_bytes()[i];
        out.push(char::from(sep));
        in_query = matches!(sep, b'?' | b'&');
        rest = &rest[i + 1..];
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(uri)
    }
}

/// An address or URI with any user-info replaced by `[credentials]`, for messages and pages:
/// with or without a scheme (`admin:pw@cam`, `http://admin:pw@cam/x`), and whatever the
/// password holds (`http://admin:p/w?#@x@cam` is `http://[credentials]@cam`). The user-info
/// ends at the authority's last `@`; where the authority (up to the first `/ ? #`) has none
/// and is no `host[:port]`, at the last `@` of the whole (`rtsp://h:554/s?a=b@c` is left
/// alone; a password of digits only with a `/` in it reads as a port).
/// Its query's password values are hidden too ([`redact_query_secrets`]).
pub fn redact_userinfo(uri: &str) -> String {
    // User-info first: a password in it may hold what reads as a query (`admin:a?pwd=b@cam`).
    let shown = match userinfo_span(uri, true) {
        Some((start, at)) => format!("{}[credentials]{}", &uri[..start], &uri[at..]),
        None => uri.to_owned(),
    };
    redact_query_secrets(&shown).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_a_query_are_hidden_and_the_rest_kept() {
        let foscam =
            "http://192.0.2.7:88/cgi-bin/CGIProxy.fcgi?cmd=snapPicture2&usr=admin&pwd=S3cret";
        let hidden = "http://192.0.2.7:88/cgi-bin/CGIProxy.fcgi?cmd=snapPicture2&usr=admin&pwd=[credentials]";
        assert_eq!(redact_userinfo(foscam), hidden);
        assert_eq!(
            redact_userinfo("rtsp://u:p@h/live?PassWord=x;y&a=1#f"),
            "rtsp://[credentials]@h/live?PassWord=[credentials]&a=1#f"
        );
        // In XML, the query's `&` is written `&amp;`.
        let xml = format!(
            "<tt:Uri>{}</tt:Uri> and http://h/a?loginuse=u&loginpas=S3cret done",
            foscam.replace('&', "&amp;")
        );
        let xm =
            redact_userinfo_in_text("<tt:Uri>rtsp://h/user=a_password=S3cret_channel=1</tt:Uri>");
        assert!(!xm.contains("S3cret"), "{xm}");
        let shown = redact_userinfo_in_text(&xml);
        assert!(!shown.contains("S3cret"), "{shown}");
        assert!(
            shown.contains("usr=admin&amp;pwd=[credentials]</tt:Uri>")
                && shown.ends_with("loginpas=[credentials] done"),
            "{shown}"
        );
        // Keys that only end like one, empty values and URIs without a query are left alone.
        // Xiongmai's path form (home-assistant/core#66554); an empty one is left alone.
        assert_eq!(
            redact_userinfo("rtsp://h:554/user=admin_password=S3c_channel=1_stream=0.sdp?real"),
            "rtsp://h:554/user=admin_password=[credentials]_channel=1_stream=0.sdp?real"
        );
        let empty = "rtsp://h:554/user=admin_password=_channel=1_stream=0.sdp?real_stream";
        assert_eq!(redact_userinfo(empty), empty);
        // The other Xiongmai form: `&` in the path. Case does not matter.
        assert_eq!(
            redact_userinfo("rtsp://h:554/user=admin&password=S3c&channel=1&stream=0.sdp?real"),
            "rtsp://h:554/user=admin&password=[credentials]&channel=1&stream=0.sdp?real"
        );
        assert_eq!(
            redact_userinfo("rtsp://h/user=a_PassWord=S3c_channel=1"),
            "rtsp://h/user=a_PassWord=[credentials]_channel=1"
        );
        // A `#` in a password is hidden with it; a Digest `uri="..."` keeps its quote.
        assert_eq!(
            redact_userinfo("http://h/a?pwd=a#b&x=1"),
            "http://h/a?pwd=[credentials]&x=1"
        );
        assert_eq!(
            redact_query_secrets(r#"uri="/a?usr=u&pwd=S3c", qop=auth"#),
            r#"uri="/a?usr=u&pwd=[credentials]", qop=auth"#
        );
        // User-info first: its password may hold what reads as a query.
        assert_eq!(
            redact_userinfo("http://admin:a?pwd=b@cam/"),
            "http://[credentials]@cam/"
        );
        // The query of a URI inside a query.
        assert_eq!(
            redact_userinfo("http://h/a?next=http://g/b?pwd=x#pwd=y"),
            "http://h/a?next=http://g/b?pwd=[credentials]"
        );
        for kept in [
            "http://h/a?bypass=1&pwd=&mypwd=2",
            "http://h/a",
            "see http://h/a?x=1 and ?pwd=no-uri",
        ] {
            assert_eq!(redact_userinfo_in_text(kept), kept);
        }
        assert_eq!(
            redact_userinfo("http://h/a?pwd=&mypwd=2"),
            "http://h/a?pwd=&mypwd=2"
        );
    }

    #[test]
    fn a_token_of_many_schemes_is_read_in_linear_time() {
        // Each `://` used to read its token to the end again: 10^12 steps for 8 MiB (the
        // size a trace may hold), about 10^11 for these.
        let text = format!("{}@x", "a://".repeat(250_000));
        let shown = redact_userinfo_in_text(&text);
        assert!(shown.ends_with("@x"), "{}", &shown[shown.len() - 20..]);
        let text = format!("{} b://u:S3cret@h/", "h://x/a".repeat(150_000));
        let shown = redact_userinfo_in_text(&text);
        assert!(shown.ends_with(" b://[credentials]@h/") && !shown.contains("S3cret"));
    }

    #[test]
    fn credentials_in_addresses_are_never_repeated() {
        for input in [
            "admin:Pw-9x@127.0.0.1:1",
            "http://admin:Pw-9x@127.0.0.1/",
            "admin:Pw-9x@[::1",
            "http://admin:P/w-9x@host/",
            "ftp://admin:Pw-9x@host/",
        ] {
            let e = candidates(input).unwrap_err().to_string();
            assert!(!e.contains("Pw-9x") && !e.contains("w-9x"), "{input}: {e}");
            assert!(e.contains("[credentials]@"), "{input}: {e}");
        }
        assert_eq!(redact_address("cam.local:80"), "cam.local:80");
        assert_eq!(
            redact_address("admin:Pw-9x@cam/x?u=http://y"),
            "[credentials]@cam/x?u=http://y"
        );
    }

    #[test]
    fn user_info_is_found_with_or_without_a_scheme_whatever_the_password_holds() {
        for (input, shown) in [
            ("admin:S3cret@192.0.2.5", "[credentials]@192.0.2.5"),
            (
                "admin:S3cret@192.0.2.5:8080",
                "[credentials]@192.0.2.5:8080",
            ),
            ("http://admin:p/w@cam", "http://[credentials]@cam"),
            (
                "http://admin:pa/ss@cam/onvif/x",
                "http://[credentials]@cam/onvif/x",
            ),
            ("admin:p/w@cam/onvif/x", "[credentials]@cam/onvif/x"),
            (
                "https://admin:p?w#x@y@cam:8443/a",
                "https://[credentials]@cam:8443/a",
            ),
            ("admin:p@ss@[::1]:80", "[credentials]@[::1]:80"),
            ("admin:p://w@cam", "[credentials]@cam"),
            ("http://admin:p://w@cam/x", "http://[credentials]@cam/x"),
            ("rtsp://a:b@h:554/s", "rtsp://[credentials]@h:554/s"),
            ("http://a:b@h/x", "http://[credentials]@h/x"),
        ] {
            assert_eq!(redact_userinfo(input), shown, "{input}");
            assert_eq!(redact_address(input), shown, "{input}");
            let bare = shown.replace("[credentials]@", "");
            assert_eq!(without_userinfo(input), bare, "{input}");
        }
        // Nothing to hide: unchanged.
        for input in [
            "192.0.2.5",
            "cam.local:8080",
            "[::1]:80",
            "http://cam.local/onvif/device_service",
            "https://192.0.2.5:8443/onvif/device_service?x=1#y",
            "rtsp://h:554/Streaming/101",
        ] {
            assert_eq!(redact_userinfo(input), input);
            assert_eq!(without_userinfo(input), input);
        }
        // An `@` in the path or query of a URI with a port or a plain host is no user-info.
        for input in ["rtsp://h:554/s?a=b@c", "http://cam/x@y", "[::1]:80/a@b"] {
            assert_eq!(redact_userinfo(input), input);
            assert_eq!(redact_userinfo_in_text(input), input);
        }
        // Already redacted: the same again.
        assert_eq!(
            redact_userinfo("http://[credentials]@cam/x"),
            "http://[credentials]@cam/x"
        );
        // Whatever the password, none of it is left.
        for pw in ["p/w", "p?w", "p#w", "p@w", "/?#@", "p@ss/word", "S3cret"] {
            for input in [
                format!("admin:{pw}@cam"),
                format!("http://admin:{pw}@cam"),
                format!("https://admin:{pw}@cam:8443/onvif/device_service?a=b"),
            ] {
                let r = redact_userinfo(&input);
                assert!(!r.contains(pw) && !r.contains("admin"), "{input}: {r}");
                let r = redact_userinfo_in_text(&input);
                assert!(
                    !input.contains("://") || (!r.contains(pw) && !r.contains("admin")),
                    "{input}: {r}"
                );
            }
        }
    }

    #[test]
    fn user_addresses_become_candidate_urls() {
        let c = candidates("192.0.2.7").unwrap();
        assert_eq!(c[0].as_str(), "http://192.0.2.7/onvif/device_service");
        assert_eq!(c[1].as_str(), "http://192.0.2.7/onvif/service");
        let c = candidates("192.0.2.7:2020").unwrap();
        assert_eq!(c[1].as_str(), "http://192.0.2.7:2020/onvif/service");
        let c = candidates("https://cam.example:8443/onvif/dev").unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].as_str(), "https://cam.example:8443/onvif/dev");
        let c = candidates("::1").unwrap();
        assert_eq!(c[0].as_str(), "http://[::1]/onvif/device_service");
        assert!(candidates("").is_err());
        assert!(candidates("ftp://x").is_err());
        assert!(candidates("http://admin:pw@x").is_err());
    }

    #[test]
    fn lying_addresses_are_repaired() {
        let r = Repair::new(Url::parse("http://203.0.113.5:8080/onvif/device_service").unwrap());
        let fixed = |s| r.repair(s).unwrap().to_string();
        assert_eq!(
            fixed("http://0.0.0.0/onvif/media"),
            "http://203.0.113.5:8080/onvif/media"
        );
        assert_eq!(
            fixed("http://192.168.1.10:80/onvif/media"),
            "http://203.0.113.5:8080/onvif/media"
        );
        assert_eq!(
            fixed("http://127.0.0.1:8106:8106/onvif/media"),
            "http://203.0.113.5:8080/onvif/media"
        );
        assert_eq!(
            fixed("/onvif/events"),
            "http://203.0.113.5:8080/onvif/events"
        );
    }

    #[test]
    fn other_ports_are_kept_and_camera_host_can_be_kept() {
        let mut r = Repair::new(Url::parse("http://198.51.100.2:2020/onvif/service").unwrap());
        r.camera_device_port = Some(2020);
        assert_eq!(
            r.repair("http://10.1.1.1:1024/event").unwrap().as_str(),
            "http://198.51.100.2:1024/event"
        );
        r.keep_camera_host = true;
        assert_eq!(
            r.repair("http://10.1.1.1:1024/event").unwrap().as_str(),
            "http://10.1.1.1:1024/event"
        );
        assert_eq!(
            r.repair("http://0.0.0.0:2020/x").unwrap().as_str(),
            "http://198.51.100.2:2020/x"
        );
    }

    #[test]
    fn doubled_ports_collapse() {
        assert_eq!(
            collapse_doubled_port("http://1.2.3.4:8106:8106/a"),
            "http://1.2.3.4:8106/a"
        );
        assert_eq!(
            collapse_doubled_port("http://[::1]:80/a"),
            "http://[::1]:80/a"
        );
        assert_eq!(collapse_doubled_port("http://h:1:2/a"), "http://h:1:2/a");
        // user-info's colon is not a port (python-onvif-zeep-async PR #263 broke on this)
        assert_eq!(
            collapse_doubled_port("http://u:p@h:8080/a"),
            "http://u:p@h:8080/a"
        );
        assert_eq!(
            collapse_doubled_port("http://u:p@h:8106:8106/a?Idx=43"),
            "http://u:p@h:8106/a?Idx=43"
        );
    }

    #[test]
    fn credentials_in_uris_inside_text_are_redacted() {
        let t = "<tt:Uri>rtsp://admin:Pw-9x@10.0.0.2:554/s?a=b</tt:Uri>\n\
                 Location: http://u:Pw-9x@h/x and http://plain/path ok@x";
        let r = redact_userinfo_in_text(t);
        assert!(!r.contains("Pw-9x"), "{r}");
        assert!(
            r.contains("rtsp://[credentials]@10.0.0.2:554/s?a=b</tt:Uri>"),
            "{r}"
        );
        assert!(r.contains("http://[credentials]@h/x"), "{r}");
        assert!(r.contains("http://plain/path ok@x"), "{r}");
        assert_eq!(redact_userinfo_in_text("no uri here"), "no uri here");
        // A password with `/ ? # @` in it, in XML and in a sentence.
        let t = "<tt:Uri>rtsp://admin:p/w?x#y@z@10.0.0.2/s</tt:Uri> \
                 see http://u:a/b@h/x, then";
        let r = redact_userinfo_in_text(t);
        assert!(!r.contains("p/w") && !r.contains("a/b"), "{r}");
        assert!(
            r.contains("<tt:Uri>rtsp://[credentials]@10.0.0.2/s</tt:Uri>"),
            "{r}"
        );
        assert!(r.contains("see http://[credentials]@h/x, then"), "{r}");
    }
}
