//! Rendering: aligned text for people, JSON with `--json`. Data goes to stdout.

use std::fmt::Write as _;

use onvif::ClockReading;
use onvif::proto::ops::device;
use onvif::proto::text::{cut, escape_block, escape_line};
use serde::Serialize;

/// Device text in a line of its own making (a table cell, an event line, a message): control
/// characters, line breaks included, are shown escaped (`\u{1b}`), never sent to the terminal.
pub fn clean(s: &str) -> String {
    escape_line(s).into_owned()
}

/// Text bound for a terminal that may hold device text: line breaks and tabs stay, any other
/// control character is shown escaped. Everything printed as text goes through this.
pub fn safe_block(s: &str) -> String {
    escape_block(s).into_owned()
}

/// A JSON document with the control characters JSON leaves as they are (C1 controls such as
/// U+009B, a terminal's one-byte CSI, and the bidirectional overrides) written as `\uXXXX`.
/// They can only stand inside strings, where the escape means the same character.
pub fn json_safe(doc: String) -> String {
    if !doc
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    {
        return doc;
    }
    let mut out = String::with_capacity(doc.len() + 16);
    for c in doc.chars() {
        if (c.is_control() && c != '\n' && c != '\t' && c != '\r')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A camera's answer as indented XML for a person (`raw`, `dump`): escaped, and user-info the
/// camera wrote into its URIs hidden, as `stream-uri` and `snapshot-uri` hide it.
pub fn answer_xml(bytes: &[u8]) -> String {
    let xml = onvif::proto::xml::pretty(bytes);
    safe_block(&onvif::media::redact_userinfo_in_text(&xml))
}

/// A decoded answer as JSON (`raw --json`, `decode`), with the same user-info hidden.
pub fn answer_json<T: Serialize>(value: &T, lines: bool) -> Result<String, serde_json::Error> {
    let s = if lines {
        serde_json::to_string(value)?
    } else {
        serde_json::to_string_pretty(value)?
    };
    Ok(json_safe(
        onvif::media::redact_userinfo_in_text(&s).into_owned(),
    ))
}

/// The most of an error message shown (the device text in it is cut shorter still, by the
/// library; this bounds whatever else a camera manages to put in one).
const MESSAGE_LIMIT: usize = 2000;

/// An error or status message as printed: user-info in any URI in it hidden, escaped, cut.
pub fn message(s: &str) -> String {
    let s = onvif::media::redact_userinfo_in_text(s);
    safe_block(&cut(&s, MESSAGE_LIMIT))
}

/// Print `error: MESSAGE` on stderr, escaped and cut.
pub fn print_error(s: &str) {
    eprintln!("error: {}", message(s));
}

/// Where output goes and in what form.
pub struct Out {
    pub json: bool,
    /// One JSON document per line (JSON Lines), for commands that print several.
    pub lines: bool,
}

impl Out {
    /// Print a value as pretty JSON, or the text rendering.
    pub fn show<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json {
            let text = if self.lines {
                serde_json::to_string(value)
            } else {
                serde_json::to_string_pretty(value)
            };
            match text {
                Ok(s) => println!("{}", json_safe(s)),
                Err(e) => eprintln!("error: cannot render JSON: {e}"),
            }
        } else {
            let t = safe_block(&text());
            print!("{t}");
            if !t.ends_with('\n') {
                println!();
            }
        }
    }
}

/// `key  value` lines with keys padded to one width; empty values are shown as `-`.
pub fn kv(rows: &[(&str, String)]) -> String {
    let w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    for (k, v) in rows {
        let v = if v.is_empty() { "-".into() } else { clean(v) };
        let _ = writeln!(s, "{k:<w$}  {v}");
    }
    s
}

/// A table with a header row; columns padded to the widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
    }
    let mut s = String::new();
    let line = |cells: Vec<&str>, s: &mut String| {
        let n = cells.len();
        for (i, c) in cells.into_iter().enumerate() {
            if i + 1 == n {
                s.push_str(c);
            } else {
                let _ = write!(s, "{c:<w$}  ", w = widths[i]);
            }
        }
        s.push('\n');
    };
    line(header.to_vec(), &mut s);
    for r in &rows {
        line(r.iter().map(String::as_str).collect(), &mut s);
    }
    s
}

pub fn info(i: &device::DeviceInformation) -> String {
    kv(&[
        ("Manufacturer", i.manufacturer.clone()),
        ("Model", i.model.clone()),
        ("Firmware", i.firmware_version.clone()),
        ("Serial number", i.serial_number.clone()),
        ("Hardware id", i.hardware_id.clone()),
    ])
}

fn fmt_offset(secs: f64) -> String {
    let abs = secs.abs();
    let human = if abs >= 3600.0 {
        format!(" ({:.1} h)", secs / 3600.0)
    } else if abs >= 120.0 {
        format!(" ({:.1} min)", secs / 60.0)
    } else {
        String::new()
    };
    let side = if secs > 0.5 {
        ", camera ahead"
    } else if secs < -0.5 {
        ", camera behind"
    } else {
        ""
    };
    format!("{secs:+.1} s{human}{side}")
}

/// Everything `onvif time` shows.
#[derive(Serialize)]
pub struct TimeReport {
    #[serde(flatten)]
    pub reading: ClockReading,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ntp: Option<device::NtpInformation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synced: Option<bool>,
}

pub fn time(r: &TimeReport) -> String {
    let c = &r.reading;
    let mut rows = vec![
        (
            "Camera UTC",
            c.camera_utc
                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_else(|| "(not sent or not a valid date)".into()),
        ),
        (
            "Local UTC",
            c.local_utc
                .strftime("%Y-%m-%d %H:%M:%S%.3f UTC")
                .to_string(),
        ),
        (
            "Offset",
            c.offset
                .map(|o| fmt_offset(o.as_secs_f64()))
                .unwrap_or_else(|| "unknown".into()),
        ),
        (
            "Set by",
            match c.settings.date_time_type {
                device::DateTimeType::Manual => "manual".into(),
                device::DateTimeType::Ntp => "NTP".into(),
            },
        ),
        (
            "Time zone",
            c.settings.time_zone.clone().unwrap_or_default(),
        ),
        ("Daylight saving", yes_no(c.settings.daylight_savings)),
    ];
    if let Some(ntp) = &r.ntp {
        let servers: Vec<String> = ntp
            .manual
            .iter()
            .chain(&ntp.dhcp)
            .map(|h| h.address.clone())
            .collect();
        rows.push((
            "NTP servers",
            format!(
                "{}{}",
                servers.join(", "),
                if ntp.from_dhcp { " (from DHCP)" } else { "" }
            ),
        ));
    }
    if r.synced == Some(true) {
        rows.push(("Synced", "camera clock set from ours".into()));
    }
    kv(&rows)
}

pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

pub fn capabilities(c: &device::Capabilities) -> String {
    let rows: Vec<Vec<String>> = c
        .entries
        .iter()
        .map(|e| {
            let flags: Vec<String> = e
                .flags
                .iter()
                .filter(|(_, v)| v.as_str() == "true")
                .map(|(k, _)| k.clone())
                .collect();
            vec![
                e.category.clone(),
                e.xaddr.clone().unwrap_or_else(|| "-".into()),
                if flags.is_empty() {
                    "-".into()
                } else {
                    flags.join(" ")
                },
            ]
        })
        .collect();
    table(&["CATEGORY", "ADDRESS", "SUPPORTED"], &rows)
}

pub fn services(s: &device::Services) -> String {
    let mut out = table(
        &["SERVICE", "VERSION", "ADDRESS", "NAMESPACE"],
        &s.services
            .iter()
            .map(|i| {
                vec![
                    i.service.map_or("?".into(), |x| x.name().to_string()),
                    i.version
                        .map(|(a, b)| format!("{a}.{b}"))
                        .unwrap_or_else(|| "-".into()),
                    i.xaddr.clone(),
                    i.namespace.clone(),
                ]
            })
            .collect::<Vec<_>>(),
    );
    for i in s.services.iter().filter(|i| !i.capabilities.is_empty()) {
        let _ = writeln!(
            out,
            "\n{} capabilities:",
            clean(i.service.map_or(i.namespace.as_str(), |x| x.name()))
        );
        for (k, v) in &i.capabilities {
            let _ = writeln!(out, "  {} = {}", clean(k), clean(v));
        }
    }
    out
}

pub fn scopes(s: &device::Scopes) -> String {
    table(
        &["CATEGORY", "VALUE", "SCOPE"],
        &s.scopes
            .iter()
            .map(|sc| {
                let (cat, val) = sc.onvif_parts().unwrap_or_else(|| ("-".into(), "-".into()));
                vec![cat, val, sc.item.clone()]
            })
            .collect::<Vec<_>>(),
    )
}

pub fn hostname(h: &device::HostnameInformation) -> String {
    kv(&[
        ("Hostname", h.name.clone().unwrap_or_default()),
        ("From DHCP", yes_no(h.from_dhcp)),
    ])
}

/// `onvif network`: interfaces, then NTP.
#[derive(Serialize)]
pub struct NetworkReport {
    pub interfaces: device::NetworkInterfaces,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ntp: Option<device::NtpInformation>,
}

pub fn network(n: &NetworkReport) -> String {
    let mut rows = Vec::new();
    for i in &n.interfaces.interfaces {
        let mut addrs = Vec::new();
        for ip in [&i.ipv4, &i.ipv6].into_iter().flatten() {
            if !ip.enabled {
                continue;
            }
            for a in ip.manual.iter().chain(&ip.from_dhcp).chain(&ip.link_local) {
                addrs.push(format!("{}/{}", a.address, a.prefix_length));
            }
        }
        let dhcp = i
            .ipv4
            .as_ref()
            .and_then(|v| v.dhcp.clone())
            .unwrap_or_else(|| "-".into());
        rows.push(vec![
            i.token.clone(),
            i.name.clone().unwrap_or_else(|| "-".into()),
            yes_no(i.enabled),
            i.hw_address.clone().unwrap_or_else(|| "-".into()),
            dhcp,
            if addrs.is_empty() {
                "-".into()
            } else {
                addrs.join(" ")
            },
        ]);
    }
    let mut out = table(&["TOKEN", "NAME", "UP", "MAC", "DHCP", "ADDRESSES"], &rows);
    if let Some(ntp) = &n.ntp {
        let servers: Vec<String> = ntp
            .manual
            .iter()
            .chain(&ntp.dhcp)
            .map(|h| format!("{} ({})", h.address, h.kind))
            .collect();
        let _ = writeln!(
            out,
            "\nNTP: {}{}",
            if servers.is_empty() {
                "-".to_string()
            } else {
                servers.join(", ")
            },
            if ntp.from_dhcp { " from DHCP" } else { "" }
        );
    }
    out
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// A number as a person writes it: at most four decimals, no trailing zeros (`0.8`, not
/// `0.7999999999999998`; `-12.5`, `3`). For text output only; JSON keeps every digit.
pub fn decimal(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(
        || "-".to_string(),
        |v| format!("{}", (v * 100.0).round() / 100.0),
    )
}

pub fn profiles(ps: &[onvif::proto::ops::profile::MediaProfile]) -> String {
    let rows: Vec<Vec<String>> = ps
        .iter()
        .map(|p| {
            let v = p.video_encoder.as_ref();
            vec![
                p.token.clone(),
                if p.name.is_empty() {
                    "-".into()
                } else {
                    p.name.clone()
                },
                opt(v.and_then(|v| v.encoding.as_ref()).map(|e| e.to_string())),
                opt(v
                    .and_then(|v| v.resolution)
                    .map(|r| format!("{}x{}", r.width, r.height))),
                num(v.and_then(|v| v.frame_rate_limit)),
                opt(v.and_then(|v| v.bitrate_limit).map(|b| format!("{b} kbps"))),
                yes_no(p.ptz.is_some()),
                format!("{:?}", p.source).to_lowercase(),
            ]
        })
        .collect();
    table(
        &[
            "TOKEN",
            "NAME",
            "ENCODING",
            "RESOLUTION",
            "FPS",
            "BITRATE",
            "PTZ",
            "FROM",
        ],
        &rows,
    )
}

pub fn video_sources(vs: &[onvif::proto::ops::profile::VideoSource]) -> String {
    let rows: Vec<Vec<String>> = vs
        .iter()
        .map(|v| {
            vec![
                v.token.clone(),
                opt(v.resolution.map(|r| format!("{}x{}", r.width, r.height))),
                num(v.framerate),
            ]
        })
        .collect();
    table(&["TOKEN", "RESOLUTION", "FPS"], &rows)
}

pub fn encoders(es: &[onvif::proto::ops::profile::VideoEncoder]) -> String {
    let rows: Vec<Vec<String>> = es
        .iter()
        .map(|v| {
            vec![
                v.token.clone(),
                opt(v.name.clone()),
                opt(v.encoding.as_ref().map(|e| e.to_string())),
                opt(v.resolution.map(|r| format!("{}x{}", r.width, r.height))),
                num(v.frame_rate_limit),
                opt(v.bitrate_limit.map(|b| format!("{b} kbps"))),
                opt(v.gov_length),
                opt(v.profile.clone()),
                num(v.quality),
            ]
        })
        .collect();
    table(
        &[
            "TOKEN",
            "NAME",
            "ENCODING",
            "RESOLUTION",
            "FPS",
            "BITRATE",
            "GOV",
            "PROFILE",
            "QUALITY",
        ],
        &rows,
    )
}

pub fn imaging(source: &str, s: &onvif::proto::ops::imaging::ImagingSettings) -> String {
    let mode = |m: Option<String>, l: Option<f64>| match (m, l) {
        (None, None) => String::new(),
        (m, l) => format!(
            "{}{}",
            m.unwrap_or_default(),
            l.map(|l| format!(" (level {})", num(Some(l))))
                .unwrap_or_default()
        ),
    };
    kv(&[
        ("Video source", source.to_owned()),
        ("Brightness", num(s.brightness)),
        ("Contrast", num(s.contrast)),
        ("Saturation", num(s.color_saturation)),
        ("Sharpness", num(s.sharpness)),
        ("IR cut filter", opt(s.ir_cut_filter.map(|m| m.as_str()))),
        (
            "Wide dynamic range",
            s.wide_dynamic_range
                .as_ref()
                .map(|w| mode(w.mode.map(|m| m.as_str().to_owned()), w.level))
                .unwrap_or_default(),
        ),
        (
            "Backlight comp.",
            s.backlight_compensation
                .as_ref()
                .map(|b| mode(b.mode.map(|m| m.as_str().to_owned()), b.level))
                .unwrap_or_default(),
        ),
        (
            "Exposure",
            opt(s.exposure.as_ref().and_then(|e| e.mode).map(|m| m.as_str())),
        ),
        (
            "Focus",
            opt(s
                .focus
                .as_ref()
                .and_then(|f| f.auto_focus_mode)
                .map(|m| m.as_str())),
        ),
        (
            "White balance",
            opt(s
                .white_balance
                .as_ref()
                .and_then(|w| w.mode)
                .map(|m| m.as_str())),
        ),
    ])
}

pub fn imaging_options(source: &str, o: &onvif::proto::ops::imaging::ImagingOptions) -> String {
    let r = |r: Option<&onvif::proto::ops::profile::FloatRange>| {
        r.map_or_else(String::new, |r| format!("{} .. {}", r.min, r.max))
    };
    kv(&[
        ("Video source", source.to_owned()),
        ("Brightness", r(o.brightness.as_ref())),
        ("Contrast", r(o.contrast.as_ref())),
        ("Saturation", r(o.color_saturation.as_ref())),
        ("Sharpness", r(o.sharpness.as_ref())),
        (
            "IR cut filter",
            o.ir_cut_filter_modes
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ])
}

pub fn kv_flags(flags: &std::collections::BTreeMap<String, String>) -> String {
    let rows: Vec<(&str, String)> = flags.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    kv(&rows)
}

fn range_text(r: &onvif::proto::ops::profile::FloatRange) -> String {
    format!("{}..{}", r.min, r.max)
}

pub fn ptz_nodes(nodes: &[onvif::proto::ops::ptz::PtzNode]) -> String {
    let mut out = String::new();
    for n in nodes {
        let _ = writeln!(
            out,
            "Node {} ({}): home {}, max presets {}",
            n.token,
            n.name.clone().unwrap_or_default(),
            yes_no(n.home_supported),
            opt(n.max_presets)
        );
        let s = &n.supported_spaces;
        for (label, list) in [
            ("absolute pan/tilt", &s.absolute_pan_tilt),
            ("relative pan/tilt", &s.relative_pan_tilt),
            ("continuous pan/tilt", &s.continuous_pan_tilt),
        ] {
            for sp in list {
                let _ = writeln!(
                    out,
                    "  {label:<20} pan {} tilt {}  {}",
                    range_text(&sp.x_range),
                    range_text(&sp.y_range),
                    sp.uri
                );
            }
        }
        for (label, list) in [
            ("absolute zoom", &s.absolute_zoom),
            ("relative zoom", &s.relative_zoom),
            ("continuous zoom", &s.continuous_zoom),
            ("pan/tilt speed", &s.pan_tilt_speed),
            ("zoom speed", &s.zoom_speed),
        ] {
            for sp in list {
                let _ = writeln!(out, "  {label:<20} {}  {}", range_text(&sp.x_range), sp.uri);
            }
        }
        if !n.auxiliary_commands.is_empty() {
            let _ = writeln!(
                out,
                "  auxiliary commands: {}",
                n.auxiliary_commands.join(" ")
            );
        }
    }
    out
}

pub fn ptz_configs(cs: &[onvif::proto::ops::ptz::PtzConfiguration]) -> String {
    let rows: Vec<Vec<String>> = cs
        .iter()
        .map(|c| {
            vec![
                c.token.clone(),
                opt(c.name.clone()),
                opt(c.node_token.clone()),
                opt(c.default_timeout.map(|d| format!("{} s", d.as_secs_f64()))),
                c.pan_tilt_limits.as_ref().map_or("-".into(), |l| {
                    format!(
                        "pan {} tilt {}",
                        range_text(&l.x_range),
                        range_text(&l.y_range)
                    )
                }),
                c.zoom_limits
                    .as_ref()
                    .map_or("-".into(), |l| range_text(&l.x_range)),
            ]
        })
        .collect();
    table(
        &[
            "TOKEN",
            "NAME",
            "NODE",
            "TIMEOUT",
            "PAN/TILT LIMITS",
            "ZOOM LIMITS",
        ],
        &rows,
    )
}

/// One line: position in user units (and camera units), move status.
pub fn ptz_status_line(t: &onvif::ptz::PtzTarget, s: &onvif::proto::ops::ptz::PtzStatus) -> String {
    let (p, ti, z) = crate::ptz_cmd::position_in_user_units(t, s);
    let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:+.3}"));
    let moving = s.move_status.as_ref().is_some_and(|m| m.moving());
    format!(
        "Position  pan {}  tilt {}  zoom {}   {}",
        f(p),
        f(ti),
        f(z),
        if moving { "MOVING" } else { "IDLE" }
    )
}

pub fn ptz_status(t: &onvif::ptz::PtzTarget, s: &onvif::proto::ops::ptz::PtzStatus) -> String {
    let mut rows = vec![("Profile", t.profile.clone())];
    let line = ptz_status_line(t, s);
    rows.push(("Status", line.trim_start_matches("Position  ").to_string()));
    if let Some(p) = s.position.as_ref() {
        rows.push((
            "Camera units",
            format!(
                "pan {} tilt {} zoom {}",
                opt(p.pan_tilt.as_ref().map(|v| decimal(v.x))),
                opt(p.pan_tilt.as_ref().map(|v| decimal(v.y))),
                opt(p.zoom.as_ref().map(|v| decimal(v.x)))
            ),
        ));
    }
    rows.push(("Error", s.error.clone().unwrap_or_default()));
    rows.push((
        "UTC time",
        opt(s
            .utc_time
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())),
    ));
    kv(&rows)
}

pub fn ptz_presets(t: &onvif::ptz::PtzTarget, ps: &[onvif::proto::ops::ptz::Preset]) -> String {
    let rows: Vec<Vec<String>> = ps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (pan, tilt, zoom) = p.position.as_ref().map_or((None, None, None), |v| {
                onvif::ptz::user_position(&t.node, v)
            });
            let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:+.3}"));
            vec![
                (i + 1).to_string(),
                p.token.clone(),
                opt(p.name.clone()),
                f(pan),
                f(tilt),
                f(zoom),
            ]
        })
        .collect();
    table(&["#", "TOKEN", "NAME", "PAN", "TILT", "ZOOM"], &rows)
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn numbers_read_as_a_person_writes_them() {
        assert_eq!(decimal(0.7999999999999998), "0.8");
        assert_eq!(decimal(0.09200988900000001), "0.092");
        assert_eq!(decimal(0.021810283), "0.0218");
        assert_eq!(decimal(-12.5), "-12.5");
        assert_eq!(decimal(3.0), "3");
        assert_eq!(decimal(-0.00001), "0");
        assert_eq!(decimal(170.123456), "170.1235");
        assert_eq!(decimal(0.0), "0");
    }
}
