//! The device management service (ver10/device/wsdl).

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::device::{
    Capabilities, CapabilityEntry, DateTime, DateTimeType, DeviceInformation, GetCapabilities,
    GetDeviceInformation, GetHostname, GetNetworkInterfaces, GetServiceCapabilities, GetServices,
    GetSystemDateAndTime, HostnameInformation, RebootResponse, ServiceCapabilities, ServiceInfo,
    Services, SetSystemDateAndTime, SetSystemDateAndTimeResponse, SystemDateAndTime, SystemReboot,
};

use onvif_proto::ops::deviceio::{GetRelayOutputs, SetRelayOutputSettings, SetRelayOutputState};

use super::{Access, Ctx, ServiceDef, VERSION, deviceio, no_flags, op, receiver, sender};
use crate::config::Quirk;
use crate::state::shift;

mod interfaces;
mod network;
mod scopes;
mod upgrade;
mod users;

/// The device service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Device,
    category: Some("Device"),
    ops: &[
        op!(GetSystemDateAndTime => get_system_date_and_time, Access::PreAuth),
        op!(SetSystemDateAndTime => set_system_date_and_time),
        op!(GetDeviceInformation => get_device_information),
        op!(GetCapabilities => get_capabilities, Access::Discovery),
        op!(GetServices => get_services, Access::Discovery),
        op!(GetServiceCapabilities => get_service_capabilities, Access::Discovery),
        op!(onvif_proto::ops::device::GetWsdlUrl => get_wsdl_url, Access::Discovery),
        op!(onvif_proto::ops::device::GetScopes => scopes::get_scopes),
        op!(onvif_proto::ops::device::SetScopes => scopes::set_scopes, Access::Administrator),
        op!(onvif_proto::ops::device::AddScopes => scopes::add_scopes, Access::Administrator),
        op!(onvif_proto::ops::device::RemoveScopes => scopes::remove_scopes, Access::Administrator),
        op!(GetHostname => get_hostname, Access::Discovery),
        op!(GetNetworkInterfaces => interfaces::get_network_interfaces),
        op!(onvif_proto::ops::device::SetNetworkInterfaces => interfaces::set_network_interfaces, Access::Administrator),
        op!(onvif_proto::ops::device::GetNtp => network::get_ntp),
        op!(SystemReboot => system_reboot),
        op!(GetRelayOutputs => deviceio::get_relay_outputs),
        op!(SetRelayOutputSettings => deviceio::set_relay_output_settings),
        op!(SetRelayOutputState => deviceio::set_relay_output_state),
        // Accounts.
        op!(onvif_proto::ops::device::GetUsers => users::get_users, Access::Administrator),
        op!(onvif_proto::ops::device::CreateUsers => users::create_users, Access::Administrator),
        op!(onvif_proto::ops::device::DeleteUsers => users::delete_users, Access::Administrator),
        op!(onvif_proto::ops::device::SetUser => users::set_user, Access::Administrator),
        // Network and system settings.
        op!(onvif_proto::ops::device::GetDns => network::get_dns),
        op!(onvif_proto::ops::device::SetDns => network::set_dns, Access::Administrator),
        op!(onvif_proto::ops::device::SetNtp => network::set_ntp, Access::Administrator),
        op!(onvif_proto::ops::device::SetHostname => network::set_hostname, Access::Administrator),
        op!(onvif_proto::ops::device::GetNetworkProtocols => network::get_network_protocols),
        op!(onvif_proto::ops::device::SetNetworkProtocols => network::set_network_protocols, Access::Administrator),
        op!(onvif_proto::ops::device::GetNetworkDefaultGateway => network::get_network_default_gateway),
        op!(onvif_proto::ops::device::SetNetworkDefaultGateway => network::set_network_default_gateway, Access::Administrator),
        op!(onvif_proto::ops::device::GetDiscoveryMode => network::get_discovery_mode),
        op!(onvif_proto::ops::device::SetDiscoveryMode => network::set_discovery_mode, Access::Administrator),
        op!(onvif_proto::ops::device::GetSystemUris => network::get_system_uris),
        op!(onvif_proto::ops::device::GetSystemLog => network::get_system_log, Access::Administrator),
        op!(onvif_proto::ops::device::SetSystemFactoryDefault => network::set_system_factory_default, Access::Administrator),
        op!(onvif_proto::ops::device::StartFirmwareUpgrade => upgrade::start_firmware_upgrade, Access::Administrator),
        op!(onvif_proto::ops::device::StartSystemRestore => upgrade::start_system_restore, Access::Administrator),
    ],
    capabilities: device_capabilities,
    category_flags: no_flags,
};

fn get_system_date_and_time(
    ctx: &Ctx<'_>,
    _: GetSystemDateAndTime,
) -> Result<SystemDateAndTime, Fault> {
    let cam = ctx.shared.camera();
    let now = shift(Timestamp::now(), cam.clock_offset);
    Ok(SystemDateAndTime {
        date_time_type: cam.date_time_type,
        daylight_savings: cam.daylight_savings,
        time_zone: Some(cam.time_zone.clone()),
        utc: Some(DateTime::from_timestamp(now)),
        local: local_time(&cam.time_zone, now),
    })
}

/// The local fields of `now` in a POSIX TZ, when the TZ can be read: the UTC fields of `now`
/// moved by the zone's offset at that instant.
fn local_time(tz: &str, now: Timestamp) -> Option<DateTime> {
    let offset = TimeZone::posix(tz).ok()?.to_offset(now);
    let offset = SignedDuration::from_secs(offset.seconds().into());
    Some(DateTime::from_timestamp(shift(now, offset)))
}

/// A `tt:DateTime` whose every field is in range, as an instant (no carrying over).
fn strict_timestamp(d: &DateTime) -> Option<Timestamp> {
    let in_range = (1970..=9999).contains(&d.year)
        && (0..=23).contains(&d.hour)
        && (0..=59).contains(&d.minute)
        && (0..=59).contains(&d.second);
    if !in_range {
        return None;
    }
    // Date::new (inside) rejects month 13, February 30 and the like.
    d.to_timestamp()
}

/// Whether the camera takes `tz` for its TimeZone: a POSIX TZ string; by default also a bare
/// zone name (`UTC`, `GMT`), which POSIX wants with its offset (`UTC0`) but cameras store as
/// given (Home Assistant's ONVIF integration sends `UTC` first). The strict posture wants
/// POSIX.
fn takes_time_zone(tz: &str, strict: bool) -> bool {
    if tz.len() > 64 {
        return false;
    }
    let bare_name = (3..=6).contains(&tz.len()) && tz.bytes().all(|b| b.is_ascii_alphabetic());
    TimeZone::posix(tz).is_ok() || (!strict && bare_name)
}

/// Manual with a UTCDateTime moves the camera clock (and so the reference for WS-Security
/// `Created`); NTP puts it back in step with real time, the simulated NTP server being the
/// host's clock.
fn set_system_date_and_time(
    ctx: &Ctx<'_>,
    req: SetSystemDateAndTime,
) -> Result<SetSystemDateAndTimeResponse, Fault> {
    if let Some(tz) = &req.time_zone
        && !takes_time_zone(tz, ctx.shared.cfg.strict)
    {
        return Err(sender(
            &["InvalidArgVal", "InvalidTimeZone"],
            format!("{tz:?} is not a POSIX TZ string (e.g. UTC0, CET-1CEST,M3.5.0,M10.5.0/3)"),
        ));
    }
    let offset = match req.date_time_type {
        DateTimeType::Manual => {
            let utc = req.utc.ok_or_else(|| {
                sender(
                    &["InvalidArgVal", "InvalidDateTime"],
                    "DateTimeType Manual needs UTCDateTime",
                )
            })?;
            let target = strict_timestamp(&utc).ok_or_else(|| {
                sender(
                    &["InvalidArgVal", "InvalidDateTime"],
                    format!(
                        "not a valid date and time: {:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second
                    ),
                )
            })?;
            target.duration_since(Timestamp::now())
        }
        DateTimeType::Ntp => SignedDuration::ZERO,
    };
    let mut cam = ctx.shared.camera();
    cam.clock_offset = offset;
    cam.date_time_type = req.date_time_type;
    cam.daylight_savings = req.daylight_savings;
    if let Some(tz) = req.time_zone {
        cam.time_zone = tz;
    }
    Ok(SetSystemDateAndTimeResponse)
}

fn get_device_information(
    ctx: &Ctx<'_>,
    _: GetDeviceInformation,
) -> Result<DeviceInformation, Fault> {
    Ok(ctx.shared.camera().device_info.clone())
}

/// Categories GetCapabilities knows.
const CATEGORIES: [&str; 7] = [
    "All",
    "Analytics",
    "Device",
    "Events",
    "Imaging",
    "Media",
    "PTZ",
];

fn get_capabilities(ctx: &Ctx<'_>, req: GetCapabilities) -> Result<Capabilities, Fault> {
    let category = req.category.trim();
    if !CATEGORIES.contains(&category) {
        return Err(sender(
            &["InvalidArgVal"],
            format!(
                "unknown capability category {category:?} (one of {})",
                CATEGORIES.join(", ")
            ),
        ));
    }
    let mut entries: Vec<CapabilityEntry> = ctx
        .services
        .iter()
        .filter_map(|s| {
            let c = s.category?;
            (category == "All" || category == c).then(|| CapabilityEntry {
                category: c.to_owned(),
                service: Some(s.service),
                xaddr: Some(ctx.xaddr(s.service)),
                flags: (s.category_flags)(ctx),
            })
        })
        .collect();
    // Schema order (the core categories are in alphabetical order); the extensions (Recording,
    // Search, Replay...) after them, in the registry's order.
    entries.sort_by_key(|e| {
        CATEGORIES
            .iter()
            .position(|c| *c == e.category)
            .unwrap_or(usize::MAX)
    });
    if entries.is_empty() {
        return Err(receiver(
            &["ActionNotSupported", "NoSuchService"],
            format!("this device has no {category} service"),
        ));
    }
    Ok(Capabilities { entries })
}

fn get_services(ctx: &Ctx<'_>, req: GetServices) -> Result<Services, Fault> {
    if ctx.shared.cfg.has(Quirk::EmptyServices) {
        return Ok(Services {
            services: Vec::new(),
        });
    }
    let services = ctx
        .services
        .iter()
        .map(|s| ServiceInfo {
            namespace: s.service.namespace().to_owned(),
            service: Some(s.service),
            xaddr: ctx.xaddr(s.service),
            version: Some(VERSION),
            capabilities: if req.include_capability {
                (s.capabilities)(ctx)
            } else {
                BTreeMap::new()
            },
        })
        .collect();
    Ok(Services { services })
}

fn get_service_capabilities(
    ctx: &Ctx<'_>,
    _: GetServiceCapabilities,
) -> Result<ServiceCapabilities, Fault> {
    Ok(ServiceCapabilities {
        flags: device_capabilities(ctx),
    })
}

/// `tds:DeviceServiceCapabilities`, flattened. The security flags follow the auth mode.
fn device_capabilities(ctx: &Ctx<'_>) -> BTreeMap<String, String> {
    let mode = ctx.shared.cfg.auth;
    let b = |v: bool| if v { "true" } else { "false" };
    let mut m = BTreeMap::new();
    let mut set = |k: &str, v: &str| {
        m.insert(k.to_owned(), v.to_owned());
    };
    for k in [
        "IPFilter",
        "ZeroConfiguration",
        "IPVersion6",
        "DynDNS",
        "Dot11Configuration",
        "HostnameFromDHCP",
    ] {
        set(&format!("Network.{k}"), "false");
    }
    set("Network.NTP", "1");
    for k in [
        "TLS1.0",
        "TLS1.1",
        "TLS1.2",
        "OnboardKeyGeneration",
        "AccessPolicyConfig",
        "DefaultAccessPolicy",
        "Dot1X",
        "RemoteUserHandling",
        "X.509Token",
        "SAMLToken",
        "KerberosToken",
        "RELToken",
    ] {
        set(&format!("Security.{k}"), "false");
    }
    set("Security.UsernameToken", b(mode.uses_username_token()));
    set("Security.HttpDigest", b(mode.uses_http_digest()));
    set("Security.MaxUsers", &crate::accounts::MAX_USERS.to_string());
    for k in [
        "DiscoveryResolve",
        "DiscoveryBye",
        "RemoteDiscovery",
        "SystemBackup",
        "FirmwareUpgrade",
        "HttpSystemLogging",
        "HttpSupportInformation",
    ] {
        set(&format!("System.{k}"), "false");
    }
    set("System.SystemLogging", "true");
    set("System.HttpFirmwareUpgrade", "true");
    set("System.HttpSystemBackup", "true");
    m
}

/// GetWsdlUrl: where the WSDL documents are, as most cameras answer.
fn get_wsdl_url(
    _: &Ctx<'_>,
    _: onvif_proto::ops::device::GetWsdlUrl,
) -> Result<onvif_proto::ops::device::WsdlUrl, Fault> {
    Ok(onvif_proto::ops::device::WsdlUrl {
        url: "http://www.onvif.org/".into(),
    })
}

fn get_hostname(ctx: &Ctx<'_>, _: GetHostname) -> Result<HostnameInformation, Fault> {
    Ok(HostnameInformation {
        from_dhcp: false,
        name: Some(ctx.shared.camera().hostname.clone()),
    })
}

/// SystemReboot: counted, and (unless its downtime is zero) the camera goes down once the
/// answer is out and comes back later without its subscriptions (`events::reboots`).
fn system_reboot(ctx: &Ctx<'_>, _: SystemReboot) -> Result<RebootResponse, Fault> {
    ctx.shared.camera().reboots += 1;
    let downtime = ctx.shared.cfg.reboot_downtime;
    let message = if downtime.is_zero() {
        "Rebooting (simulated: the camera stays up)".to_owned()
    } else {
        ctx.shared.events.reboot.notify_one();
        let secs = downtime.as_secs_f64().ceil();
        format!(
            "Rebooting: back in about {secs} second{}",
            if secs == 1.0 { "" } else { "s" }
        )
    };
    Ok(RebootResponse { message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_zone_name_is_taken_unless_strict() {
        for tz in [
            "UTC0",
            "CET-1CEST,M3.5.0,M10.5.0/3",
            "EST5EDT,M3.2.0,M11.1.0",
        ] {
            assert!(takes_time_zone(tz, true), "{tz}");
        }
        for tz in ["UTC", "GMT"] {
            assert!(takes_time_zone(tz, false), "{tz}");
            assert!(!takes_time_zone(tz, true), "{tz}");
        }
        for tz in ["", "U", "Europe/Berlin", "UTC+", &"A".repeat(65)] {
            assert!(!takes_time_zone(tz, false), "{tz}");
        }
    }

    #[test]
    fn strict_timestamps_refuse_what_lenient_reading_carries_over() {
        let ok = DateTime {
            year: 2030,
            month: 1,
            day: 2,
            hour: 3,
            minute: 4,
            second: 5,
        };
        assert!(strict_timestamp(&ok).is_some());
        for bad in [
            DateTime { hour: 24, ..ok },
            DateTime { minute: 61, ..ok },
            DateTime { month: 13, ..ok },
            DateTime {
                month: 2,
                day: 30,
                ..ok
            },
            DateTime { year: 0, ..ok },
        ] {
            assert!(strict_timestamp(&bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn local_time_follows_a_posix_zone() {
        let t = Timestamp::new(1_700_000_000, 0).unwrap_or(Timestamp::UNIX_EPOCH);
        let utc = local_time("UTC0", t);
        let cet = local_time("CET-1", t);
        assert_eq!(utc.map(|d| d.hour), Some(22));
        assert_eq!(cet.map(|d| d.hour), Some(23));
        assert!(local_time("not a zone", t).is_none());
    }
}
