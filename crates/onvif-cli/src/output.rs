//! Rendering: aligned text for people, JSON with `--json`. Data goes to stdout.

use std::fmt::Write as _;

use onvif::ClockReading;
use onvif::proto::ops::device;
use serde::Serialize;

/// Where output goes and in what form.
pub struct Out {
    pub json: bool,
}

impl Out {
    /// Print a value as pretty JSON, or the text rendering.
    pub fn show<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(s) => println!("{s}"),
                Err(e) => eprintln!("error: cannot render JSON: {e}"),
            }
        } else {
            let t = text();
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
        let v = if v.is_empty() { "-" } else { v.as_str() };
        let _ = writeln!(s, "{k:<w$}  {v}");
    }
    s
}

/// A table with a header row; columns padded to the widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
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
    for r in rows {
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
            i.service.map_or(i.namespace.as_str(), |x| x.name())
        );
        for (k, v) in &i.capabilities {
            let _ = writeln!(out, "  {k} = {v}");
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
