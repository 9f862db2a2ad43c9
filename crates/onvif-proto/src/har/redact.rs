//! `--redact-identity`: a recording's serial numbers, host names, MAC, IPv4 and IPv6
//! addresses, each replaced by one stand-in wherever it appears.

use base64::Engine;

use super::model::{Har, LogInfo};
use crate::xml::{self, Element};

/// Replace the camera's identity everywhere in a recording, each value by the same stand-in
/// wherever it appears: serial numbers and hardware ids (from GetDeviceInformation), host
/// names (GetHostname, and the URLs' hosts when they are names), MAC addresses
/// (`SERIAL-1`, `camera-1`, `02:00:00:00:00:01`, locally administered) and IPv4 addresses
/// (`192.0.2.1`, the documentation range; netmasks and `0.0.0.0` are left) and IPv6
/// addresses (`2001:db8::1`, likewise; `::` and `::1` are left).
pub fn redact_identity(h: &mut Har) {
    // Every answer's element texts, with the operation asked.
    let answers: Vec<(String, Vec<(String, String)>)> = h
        .log
        .entries
        .iter()
        .filter_map(|e| {
            let op = e.operation()?;
            let tree = xml::parse(&e.response.content.bytes().ok()?).ok()?;
            let mut found = Vec::new();
            collect(&tree, &mut found);
            Some((op, found))
        })
        .collect();
    // The maker, model and firmware say what the camera is, not which one: kept, even where a
    // host name is the model (a camera's default name often is).
    let kept: Vec<&str> = answers
        .iter()
        .filter(|(op, _)| op == "GetDeviceInformation")
        .flat_map(|(_, found)| found)
        .filter(|(name, _)| matches!(name.as_str(), "Manufacturer" | "Model" | "FirmwareVersion"))
        .map(|(_, text)| text.trim())
        .collect();
    let mut names: Vec<(String, String)> = Vec::new();
    let add = |names: &mut Vec<(String, String)>, value: &str, stand_in: String| {
        let v = value.trim();
        if v.len() >= 2 && !names.iter().any(|(x, _)| x == v) && !kept.contains(&v) {
            names.push((v.to_owned(), stand_in));
        }
    };
    for (op, found) in &answers {
        for (name, text) in found {
            match (op.as_str(), name.as_str()) {
                ("GetDeviceInformation", "SerialNumber" | "HardwareId") => {
                    let n = names.len() + 1;
                    add(&mut names, text, format!("SERIAL-{n}"));
                }
                ("GetHostname", "Name") => {
                    let n = names.len() + 1;
                    add(&mut names, text, format!("camera-{n}"));
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
        // Addresses first: a serial number such as `88` is not to split `192.168.1.88`.
        let mut out = replace_ipv6(
            &replace_macs(&replace_ipv4(t, &mut ips), &mut macs),
            &mut ip6s,
        );
        for (v, s) in &names {
            out = replace_name(&out, v, s);
        }
        out
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
        } else if crate::text::is_markup_type(&c.mime_type)
            && let Ok(bytes) = c.bytes()
        {
            // An answer that is not UTF-8 (Latin-1, MTOM), kept in base64: redacted all the
            // same, byte for byte.
            let fixed = crate::text::redact_bytes(&bytes, &mut fix);
            c.size = fixed.len() as i64;
            e.response.body_size = fixed.len() as i64;
            c.text = Some(base64::engine::general_purpose::STANDARD.encode(&fixed));
        }
    }
    let info = h.log.onvif.get_or_insert_with(LogInfo::default);
    info.device = info.device.as_deref().map(&mut fix);
    info.identity_redacted = true;
}

/// How long a name must be to be replaced wherever it stands as a word; a shorter one (a
/// hardware id of `88` or `10`) only where it is an element's whole text.
const NAME_AS_WORD: usize = 4;

/// `t` with `value` replaced by `stand_in` where it stands as a word (no letter or digit
/// just before or after it, a percent-escape before it aside: `1088` and `ver10` keep theirs,
/// `Cam%20SN123` does not), or, for a value shorter than [`NAME_AS_WORD`], where it is an
/// element's whole text (`>88<`).
fn replace_name(t: &str, value: &str, stand_in: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let short = value.chars().count() < NAME_AS_WORD;
    let mut out = String::with_capacity(t.len());
    let mut done = 0;
    for (i, _) in t.match_indices(value) {
        if i < done {
            continue;
        }
        let before = &t[..i];
        let prev = before.chars().next_back();
        let escaped = before.len() >= 3
            && before.is_char_boundary(before.len() - 3)
            && before[before.len() - 3..].starts_with('%')
            && before[before.len() - 2..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit());
        let next = t[i + value.len()..].chars().next();
        let whole = if short {
            prev == Some('>') && next == Some('<')
        } else {
            (escaped || !word(prev)) && !word(next)
        };
        if whole {
            out.push_str(&t[done..i]);
            out.push_str(stand_in);
            done = i + value.len();
        }
    }
    out.push_str(&t[done..]);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Names: as words, and short ones as an element's whole text only.
        assert_eq!(
            replace_name("<a>88</a> <w>1088</w> 192.168.1.88 x88", "88", "SERIAL-1"),
            "<a>SERIAL-1</a> <w>1088</w> 192.168.1.88 x88"
        );
        assert_eq!(
            replace_name(
                "ver10 <h>10</h> DS-2CD2143 DS-2CD2143G0 (DS-2CD2143)",
                "DS-2CD2143",
                "SERIAL-2"
            ),
            "ver10 <h>10</h> SERIAL-2 DS-2CD2143G0 (SERIAL-2)"
        );
        assert_eq!(replace_name("ver10 <h>10</h>", "10", "S"), "ver10 <h>S</h>");
        assert_eq!(
            replace_name(
                "name/Cam%20SN12345 x%2FSN12345 SN123456",
                "SN12345",
                "SERIAL-1"
            ),
            "name/Cam%20SERIAL-1 x%2FSERIAL-1 SN123456"
        );
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
}
