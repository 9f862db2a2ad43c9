//! The device service's network and system settings: DNS, NTP, host name, protocols, default
//! gateway, discovery mode, system URIs and logs, factory default. All of it is state
//! ([`crate::network::NetworkSettings`]): nothing here moves a socket or asks a server, so
//! setting the HTTP port or the DNS servers changes only what the Get operations answer.

use std::net::{Ipv4Addr, Ipv6Addr};

use onvif_proto::Fault;
use onvif_proto::ops::device::network::is_valid_hostname;
use onvif_proto::ops::device::{
    DiscoveryModeResponse, DnsInformation, GetDiscoveryMode, GetDns, GetNetworkDefaultGateway,
    GetNetworkProtocols, GetNtp, GetSystemLog, GetSystemUris, NetworkGateway, NetworkHost,
    NetworkProtocols, NtpInformation, SetDiscoveryMode, SetDiscoveryModeResponse, SetDns,
    SetDnsResponse, SetHostname, SetHostnameResponse, SetNetworkDefaultGateway,
    SetNetworkDefaultGatewayResponse, SetNetworkProtocols, SetNetworkProtocolsResponse, SetNtp,
    SetNtpResponse, SetSystemFactoryDefault, SetSystemFactoryDefaultResponse, SystemLog,
    SystemLogType, SystemUris,
};

use crate::services::{Ctx, sender};

fn invalid(code: &str, reason: String) -> Fault {
    sender(&["InvalidArgVal", code], reason)
}

/// An IPv4 address in dotted form, refused otherwise.
fn ipv4(what: &str, a: &str) -> Result<(), Fault> {
    a.trim().parse::<Ipv4Addr>().map(drop).map_err(|_| {
        invalid(
            "InvalidIPv4Address",
            format!("{what} {a:?} is not an IPv4 address"),
        )
    })
}

fn ipv6(what: &str, a: &str) -> Result<(), Fault> {
    a.trim().parse::<Ipv6Addr>().map(drop).map_err(|_| {
        invalid(
            "InvalidIPv6Address",
            format!("{what} {a:?} is not an IPv6 address"),
        )
    })
}

/// A server: `IPv4`/`IPv6` with a matching address, or (when `names` allows) `DNS` with a
/// host name.
fn check_host(what: &str, h: &NetworkHost, names: bool) -> Result<(), Fault> {
    match h.kind.as_str() {
        "IPv4" => ipv4(what, &h.address),
        "IPv6" => ipv6(what, &h.address),
        "DNS" if names => {
            if is_valid_hostname(&h.address) {
                Ok(())
            } else {
                Err(invalid(
                    "InvalidDnsName",
                    format!("{what} {:?} is not a valid host name", h.address),
                ))
            }
        }
        other => Err(sender(
            &["InvalidArgVal"],
            format!(
                "{what} type {other:?} is not one of {}",
                if names {
                    "IPv4, IPv6, DNS"
                } else {
                    "IPv4, IPv6"
                }
            ),
        )),
    }
}

pub(super) fn get_dns(ctx: &Ctx<'_>, _: GetDns) -> Result<DnsInformation, Fault> {
    let cam = ctx.shared.camera();
    Ok(DnsInformation {
        from_dhcp: cam.net.dns_from_dhcp,
        search_domains: cam.net.search_domains.clone(),
        dhcp: Vec::new(),
        manual: cam.net.dns_manual.clone(),
    })
}

pub(super) fn set_dns(ctx: &Ctx<'_>, req: SetDns) -> Result<SetDnsResponse, Fault> {
    for h in &req.manual {
        check_host("DNS server", h, false)?;
    }
    if let Some(d) = req.search_domains.iter().find(|d| !is_valid_hostname(d)) {
        return Err(invalid(
            "InvalidDnsName",
            format!("search domain {d:?} is not a valid domain name"),
        ));
    }
    let mut cam = ctx.shared.camera();
    cam.net.dns_from_dhcp = req.from_dhcp;
    cam.net.search_domains = req.search_domains;
    cam.net.dns_manual = req.manual;
    let line = if req.from_dhcp {
        "DNS from DHCP".to_owned()
    } else {
        format!("DNS servers set ({})", cam.net.dns_manual.len())
    };
    cam.logs.system(line);
    Ok(SetDnsResponse)
}

pub(super) fn get_ntp(ctx: &Ctx<'_>, _: GetNtp) -> Result<NtpInformation, Fault> {
    let cam = ctx.shared.camera();
    Ok(NtpInformation {
        from_dhcp: cam.net.ntp_from_dhcp,
        manual: cam.net.ntp_manual.clone(),
        dhcp: Vec::new(),
    })
}

pub(super) fn set_ntp(ctx: &Ctx<'_>, req: SetNtp) -> Result<SetNtpResponse, Fault> {
    for h in &req.manual {
        check_host("NTP server", h, true)?;
    }
    let mut cam = ctx.shared.camera();
    cam.net.ntp_from_dhcp = req.from_dhcp;
    cam.net.ntp_manual = req.manual;
    cam.logs.system("NTP settings changed");
    Ok(SetNtpResponse)
}

pub(super) fn set_hostname(ctx: &Ctx<'_>, req: SetHostname) -> Result<SetHostnameResponse, Fault> {
    let name = req.name.trim();
    if !is_valid_hostname(name) {
        return Err(invalid(
            "InvalidHostname",
            format!(
                "{name:?} is not a valid host name (letters, digits and '-' in labels of at most \
                 63, separated by '.')"
            ),
        ));
    }
    let mut cam = ctx.shared.camera();
    cam.hostname = name.to_owned();
    cam.logs.system(format!("host name set to {name}"));
    Ok(SetHostnameResponse)
}

pub(super) fn get_network_protocols(
    ctx: &Ctx<'_>,
    _: GetNetworkProtocols,
) -> Result<NetworkProtocols, Fault> {
    Ok(NetworkProtocols {
        protocols: ctx.shared.camera().net.protocols.clone(),
    })
}

/// Changes the protocols named (HTTP, HTTPS, RTSP); the others keep their settings. The
/// listening socket stays where it is.
pub(super) fn set_network_protocols(
    ctx: &Ctx<'_>,
    req: SetNetworkProtocols,
) -> Result<SetNetworkProtocolsResponse, Fault> {
    let mut cam = ctx.shared.camera();
    let mut next = cam.net.protocols.clone();
    for p in &req.protocols {
        let Some(slot) = next
            .iter_mut()
            .find(|q| q.name.eq_ignore_ascii_case(p.name.trim()))
        else {
            return Err(invalid(
                "ServiceNotSupported",
                format!(
                    "{:?} is not a protocol this camera serves (HTTP, HTTPS, RTSP)",
                    p.name
                ),
            ));
        };
        if p.ports.is_empty() || p.ports.contains(&0) {
            return Err(sender(
                &["InvalidArgVal"],
                format!("{}: give a port from 1 to 65535", slot.name),
            ));
        }
        slot.enabled = p.enabled;
        slot.ports.clone_from(&p.ports);
    }
    let mut used = Vec::new();
    for p in next.iter().filter(|p| p.enabled) {
        for port in &p.ports {
            if let Some((other, _)) = used.iter().find(|(_, q)| q == port) {
                return Err(invalid(
                    "PortAlreadyInUse",
                    format!("port {port} is already used by {other}"),
                ));
            }
            used.push((p.name.clone(), *port));
        }
    }
    if !next.iter().any(|p| p.enabled && p.name != "RTSP") {
        return Err(sender(
            &["InvalidArgVal"],
            "HTTP and HTTPS cannot both be off: the camera would be unreachable",
        ));
    }
    cam.net.protocols = next;
    cam.logs.system("network protocols changed");
    Ok(SetNetworkProtocolsResponse)
}

pub(super) fn get_network_default_gateway(
    ctx: &Ctx<'_>,
    _: GetNetworkDefaultGateway,
) -> Result<NetworkGateway, Fault> {
    let cam = ctx.shared.camera();
    Ok(NetworkGateway {
        ipv4: cam.net.gateway_v4.clone(),
        ipv6: cam.net.gateway_v6.clone(),
    })
}

pub(super) fn set_network_default_gateway(
    ctx: &Ctx<'_>,
    req: SetNetworkDefaultGateway,
) -> Result<SetNetworkDefaultGatewayResponse, Fault> {
    let bad = req
        .ipv4
        .iter()
        .find(|a| a.trim().parse::<Ipv4Addr>().is_err())
        .or_else(|| {
            req.ipv6
                .iter()
                .find(|a| a.trim().parse::<Ipv6Addr>().is_err())
        });
    if let Some(a) = bad {
        return Err(invalid(
            "InvalidGatewayAddress",
            format!("{a:?} is not an IP address of the right version"),
        ));
    }
    let mut cam = ctx.shared.camera();
    cam.net.gateway_v4 = req.ipv4;
    cam.net.gateway_v6 = req.ipv6;
    cam.logs.system("default gateway changed");
    Ok(SetNetworkDefaultGatewayResponse)
}

pub(super) fn get_discovery_mode(
    ctx: &Ctx<'_>,
    _: GetDiscoveryMode,
) -> Result<DiscoveryModeResponse, Fault> {
    Ok(DiscoveryModeResponse {
        mode: ctx.shared.camera().net.discovery_mode,
    })
}

pub(super) fn set_discovery_mode(
    ctx: &Ctx<'_>,
    req: SetDiscoveryMode,
) -> Result<SetDiscoveryModeResponse, Fault> {
    let mut cam = ctx.shared.camera();
    cam.net.discovery_mode = req.mode;
    cam.logs
        .system(format!("discovery mode set to {}", req.mode));
    Ok(SetDiscoveryModeResponse)
}

/// The configuration backup's address (`crate::backup`); no log or support file is served
/// over HTTP (the logs come through GetSystemLog, as on several cameras).
pub(super) fn get_system_uris(ctx: &Ctx<'_>, _: GetSystemUris) -> Result<SystemUris, Fault> {
    Ok(SystemUris {
        system_backup: Some(format!("{}{}", ctx.xaddr_base, crate::backup::PATH)),
        ..SystemUris::default()
    })
}

/// The log as text: one line per change made through the device service.
pub(super) fn get_system_log(ctx: &Ctx<'_>, req: GetSystemLog) -> Result<SystemLog, Fault> {
    let cam = ctx.shared.camera();
    let (title, lines) = match req.log_type {
        SystemLogType::System => ("system log", &cam.logs.system),
        SystemLogType::Access => ("access log", &cam.logs.access),
    };
    let mut text = format!("onvif-sim {title}\n");
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    Ok(SystemLog {
        binary: None,
        text: Some(text),
    })
}

/// Both kinds reset the device's own settings (see [`crate::state::Shared::factory_reset`]);
/// the simulated camera keeps its address either way.
pub(super) fn set_system_factory_default(
    ctx: &Ctx<'_>,
    req: SetSystemFactoryDefault,
) -> Result<SetSystemFactoryDefaultResponse, Fault> {
    ctx.shared
        .factory_reset(req.kind == onvif_proto::ops::device::FactoryDefault::Hard);
    ctx.shared
        .camera()
        .logs
        .system(format!("factory default ({}) restored", req.kind));
    Ok(SetSystemFactoryDefaultResponse)
}
