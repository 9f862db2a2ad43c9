//! The device service's commands: `time`, `info`, `capabilities`, `services`,
//! `network`, `reboot` (`hostname` is in `settings`); each fetches, then shows JSON or its text rendering here.

use std::fmt::Write as _;

use onvif::address::{redact_userinfo, redact_userinfo_in_text};
use onvif::proto::ops::device;
use onvif::{Camera, ClockReading};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::{Out, clean, kv, table, yes_no};

/// `time [--sync]`: the camera clock, its offset to ours, how it is set; `--sync` sets it.
pub async fn time(cam: &Camera, sync: bool, out: &Out) -> Result<(), Failure> {
    let reading = if sync {
        let (reading, was_ntp) = cam.sync_clock().await?;
        if was_ntp {
            eprintln!(
                "note: the camera was set by NTP; it is now set manually (from this computer's clock)"
            );
        }
        reading
    } else {
        cam.measure_clock().await?
    };
    // NTP settings need credentials on most cameras; show them when we can.
    let ntp = cam.ntp().await.ok();
    let report = TimeReport {
        reading,
        ntp,
        synced: sync.then_some(true),
    };
    out.answer(&report, time_text)
}

/// `info`: manufacturer, model, firmware, serial number, hardware id.
pub async fn info(cam: &Camera, out: &Out) -> Result<(), Failure> {
    out.answer(&cam.device_information().await?, info_text)
}

/// `capabilities`: GetCapabilities, with the service addresses (without the user-info a
/// camera may put in them).
pub async fn capabilities(cam: &Camera, out: &Out) -> Result<(), Failure> {
    let mut c = cam.capabilities().await?;
    for e in &mut c.entries {
        if let Some(x) = &mut e.xaddr {
            *x = redact_userinfo(x);
        }
        for v in e.flags.values_mut() {
            *v = redact_userinfo_in_text(v).into_owned();
        }
    }
    out.answer(&c, capabilities_text)
}

/// `services [--capabilities]`: GetServices, its addresses without the user-info a camera
/// may put in them.
pub async fn services(cam: &Camera, capabilities: bool, out: &Out) -> Result<(), Failure> {
    let mut s = cam.services(capabilities).await?;
    for i in &mut s.services {
        i.xaddr = redact_userinfo(&i.xaddr);
        for v in i.capabilities.values_mut() {
            *v = redact_userinfo_in_text(v).into_owned();
        }
    }
    out.answer(&s, services_text)
}

/// `network`: the network interfaces, and NTP when the camera tells it.
pub async fn network(cam: &Camera, out: &Out) -> Result<(), Failure> {
    let interfaces = cam.network_interfaces().await?;
    let ntp = cam.ntp().await.ok();
    let r = NetworkReport { interfaces, ntp };
    out.answer(&r, network_text)
}

/// `reboot`.
pub async fn reboot(cam: &Camera, out: &Out) -> Result<(), Failure> {
    let r = cam.reboot().await?;
    out.show(&r, || {
        format!(
            "Rebooting{}",
            if r.message.is_empty() {
                String::new()
            } else {
                format!(": {}", clean(&r.message))
            }
        )
    });
    Ok(())
}

fn info_text(i: &device::DeviceInformation) -> String {
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
struct TimeReport {
    #[serde(flatten)]
    reading: ClockReading,
    #[serde(skip_serializing_if = "Option::is_none")]
    ntp: Option<device::NtpInformation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    synced: Option<bool>,
}

fn time_text(r: &TimeReport) -> String {
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

fn capabilities_text(c: &device::Capabilities) -> String {
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

fn services_text(s: &device::Services) -> String {
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

/// `onvif network`: interfaces, then NTP.
#[derive(Serialize)]
struct NetworkReport {
    interfaces: device::NetworkInterfaces,
    #[serde(skip_serializing_if = "Option::is_none")]
    ntp: Option<device::NtpInformation>,
}

fn network_text(n: &NetworkReport) -> String {
    let mut rows = Vec::new();
    for i in &n.interfaces.interfaces {
        let mut addrs = Vec::new();
        for ip in [&i.ipv4, &i.ipv6].into_iter().flatten() {
            if !ip.enabled {
                continue;
            }
            for a in ip.manual.iter().chain(&ip.from_dhcp).chain(&ip.link_local) {
                // Cameras list an address under two kinds (link-local and from DHCP).
                let shown = format!("{}/{}", a.address, a.prefix_length);
                if !addrs.contains(&shown) {
                    addrs.push(shown);
                }
            }
        }
        // IPv4's DHCP is an xs:boolean: said as the other columns say theirs.
        let dhcp = match i.ipv4.as_ref().and_then(|v| v.dhcp.as_deref()) {
            Some(b @ ("true" | "false" | "1" | "0")) => yes_no(matches!(b, "true" | "1")),
            Some(other) => other.to_owned(),
            None => "-".into(),
        };
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
            .map(|h| format!("{} ({})", clean(&h.address), clean(&h.kind)))
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

#[cfg(test)]
mod tests {
    use onvif::proto::ops::device::{
        IpConfig, NetworkInterface, NetworkInterfaces, PrefixedAddress,
    };

    use super::{NetworkReport, network_text};

    #[test]
    fn an_address_listed_under_two_kinds_is_shown_once() {
        let a = PrefixedAddress {
            address: "fe80::1".into(),
            prefix_length: 64,
        };
        let ipv6 = IpConfig {
            enabled: true,
            link_local: vec![a.clone()],
            from_dhcp: vec![a],
            ..IpConfig::default()
        };
        let n = NetworkReport {
            interfaces: NetworkInterfaces {
                interfaces: vec![NetworkInterface {
                    token: "eth0".into(),
                    ipv6: Some(ipv6),
                    ..NetworkInterface::default()
                }],
            },
            ntp: None,
        };
        let text = network_text(&n);
        assert_eq!(text.matches("fe80::1/64").count(), 1, "{text}");
    }
}
