//! The device service's commands: `time`, `info`, `capabilities`, `services`,
//! `network` (`hostname` is in `settings`, `reboot` in `system`); each fetches, then shows JSON or its text rendering here.

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

/// What a camera said to SetSystemReboot, as a line: `Rebooting`, with its message (which
/// often says so itself).
pub fn rebooting(r: &device::RebootResponse) -> String {
    let m = r.message.trim();
    if m.is_empty() {
        "Rebooting".into()
    } else if m.to_ascii_lowercase().starts_with("reboot") {
        clean(m)
    } else {
        format!("Rebooting: {}", clean(m))
    }
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
