//! The device's network and system settings: `dns`, `ntp`, `hostname`, `protocols`,
//! `gateway`, `logs`, `discovery-mode`, `factory-reset`. Each shows the setting, or changes
//! it and shows it read back. Values are checked before anything is sent (an address that does
//! not parse, a port out of range: a usage error naming it), and a change that can cut the
//! tool off from the camera says what it will do and asks first (`--yes` without a terminal).

use std::fmt::Write as _;
use std::net::IpAddr;

use onvif::Camera;
use onvif::proto::ops::device::network::is_valid_hostname;
use onvif::proto::ops::device::{
    self, DiscoveryMode, FactoryDefault, NetworkHost, NetworkProtocol, SystemLogType,
};

use crate::args::settings::{
    DiscoveryArg, DiscoveryModeAction, DiscoveryModeArgs, DnsAction, DnsArgs, FactoryResetArgs,
    GatewayAction, GatewayArgs, HostnameAction, HostnameArgs, LogsArgs, NtpAction, NtpArgs,
    ProtocolsAction, ProtocolsArgs,
};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean, kv, table, yes_no};
use crate::prompt::confirm;

/// An IP address given on the command line, as an ONVIF `IPv4`/`IPv6` host.
fn ip_host(option: &str, s: &str) -> Result<NetworkHost, Failure> {
    let ip: IpAddr = s
        .trim()
        .parse()
        .map_err(|_| Failure::usage(format!("{option} {s:?} is not an IP address")))?;
    Ok(NetworkHost {
        kind: if ip.is_ipv4() { "IPv4" } else { "IPv6" }.into(),
        address: ip.to_string(),
    })
}

fn hosts_text(hosts: &[NetworkHost]) -> String {
    if hosts.is_empty() {
        return String::new();
    }
    hosts
        .iter()
        .map(|h| h.address.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// dns

pub async fn dns(cam: &Camera, args: &DnsArgs, out: &Out) -> Result<(), Failure> {
    if let Some(DnsAction::Set {
        servers,
        search_domains,
        dhcp,
    }) = &args.action
    {
        if servers.is_empty() && !dhcp && search_domains.is_empty() {
            return Err(Failure::usage(
                "dns set: give --server IP (one or more), --dhcp or --search-domain DOMAIN",
            ));
        }
        let servers = servers
            .iter()
            .map(|s| ip_host("--server", s))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(d) = search_domains.iter().find(|d| !is_valid_hostname(d)) {
            return Err(Failure::usage(format!(
                "--search-domain {d:?} is not a domain name"
            )));
        }
        // What is not given is kept as the camera has it: the search domains, or the servers
        // (and whether they come from DHCP).
        let now = cam.dns().await?;
        let domains = if search_domains.is_empty() {
            now.search_domains
        } else {
            search_domains.clone()
        };
        let (dhcp, servers) = if servers.is_empty() && !dhcp {
            (now.from_dhcp, now.manual)
        } else {
            (*dhcp, servers)
        };
        cam.set_dns(dhcp, servers, domains).await?;
    }
    let d = cam.dns().await?;
    out.answer(&d, dns_text)
}

fn dns_text(d: &device::DnsInformation) -> String {
    kv(&[
        ("From DHCP", yes_no(d.from_dhcp)),
        ("Servers", hosts_text(&d.manual)),
        ("From DHCP servers", hosts_text(&d.dhcp)),
        ("Search domains", d.search_domains.join(", ")),
    ])
}

// ---------------------------------------------------------------------------------------------
// ntp

pub async fn ntp(cam: &Camera, args: &NtpArgs, out: &Out) -> Result<(), Failure> {
    if let Some(NtpAction::Set { servers, dhcp }) = &args.action {
        if servers.is_empty() && !dhcp {
            return Err(Failure::usage(
                "ntp set: give --server HOST (one or more) or --dhcp",
            ));
        }
        let servers = servers
            .iter()
            .map(|s| match ip_host("--server", s) {
                Ok(h) => Ok(h),
                Err(_) if is_valid_hostname(s) => Ok(NetworkHost {
                    kind: "DNS".into(),
                    address: s.trim().to_owned(),
                }),
                Err(_) => Err(Failure::usage(format!(
                    "--server {s:?} is neither an IP address nor a host name"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        cam.set_ntp(*dhcp, servers).await?;
    }
    let n = cam.ntp().await?;
    out.answer(&n, |n| {
        kv(&[
            ("From DHCP", yes_no(n.from_dhcp)),
            ("Servers", hosts_text(&n.manual)),
            ("From DHCP servers", hosts_text(&n.dhcp)),
        ])
    })
}

// ---------------------------------------------------------------------------------------------
// hostname

pub async fn hostname(cam: &Camera, args: &HostnameArgs, out: &Out) -> Result<(), Failure> {
    if let Some(HostnameAction::Set { name, confirm: c }) = &args.action {
        if !is_valid_hostname(name) {
            return Err(Failure::usage(format!(
                "{name:?} is not a host name: letters, digits and '-' in labels of at most 63, \
                 separated by '.'"
            )));
        }
        let current = cam.hostname().await?;
        if current.from_dhcp {
            confirm(
                &format!(
                    "The camera takes its name from DHCP ({}): setting {name:?} by hand may \
                     change how the network names and addresses it.",
                    clean(current.name.as_deref().unwrap_or("-"))
                ),
                c.yes,
            )?;
        }
        cam.set_hostname(name).await?;
    }
    let h = cam.hostname().await?;
    out.answer(&h, |h| {
        kv(&[
            ("Hostname", h.name.clone().unwrap_or_default()),
            ("From DHCP", yes_no(h.from_dhcp)),
        ])
    })
}

// ---------------------------------------------------------------------------------------------
// protocols

/// `http=80,rtsp=554`: each protocol's name (as the camera writes it) and port, checked.
fn parse_ports(spec: &str) -> Result<Vec<(String, u16)>, Failure> {
    let mut out = Vec::new();
    for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (name, port) = item
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("{item:?}: write NAME=PORT, e.g. http=80")))?;
        let name = protocol_name(name)?;
        let port = port
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "{item:?}: the port must be a number from 1 to 65535"
                ))
            })?;
        out.push((name, port));
    }
    Ok(out)
}

/// `http`, `https`, `rtsp` in any case, as the schema spells them.
fn protocol_name(name: &str) -> Result<String, Failure> {
    let up = name.trim().to_ascii_uppercase();
    if matches!(up.as_str(), "HTTP" | "HTTPS" | "RTSP") {
        Ok(up)
    } else {
        Err(Failure::usage(format!(
            "{name:?} is not a protocol: http, https or rtsp"
        )))
    }
}

pub async fn protocols(cam: &Camera, args: &ProtocolsArgs, out: &Out) -> Result<(), Failure> {
    if let Some(ProtocolsAction::Set {
        ports,
        disable,
        confirm: c,
    }) = &args.action
    {
        let on = parse_ports(ports.as_deref().unwrap_or_default())?;
        let off = disable
            .iter()
            .map(|d| protocol_name(d))
            .collect::<Result<Vec<_>, _>>()?;
        if on.is_empty() && off.is_empty() {
            return Err(Failure::usage(
                "protocols set: give NAME=PORT,... and/or --disable NAME",
            ));
        }
        if let Some(n) = off.iter().find(|n| on.iter().any(|(o, _)| o == *n)) {
            return Err(Failure::usage(format!(
                "{} is both given a port and disabled",
                n.to_ascii_lowercase()
            )));
        }
        let current = cam.network_protocols().await?;
        let mut change: Vec<NetworkProtocol> = on
            .iter()
            .map(|(name, port)| NetworkProtocol {
                name: name.clone(),
                enabled: true,
                ports: vec![*port],
            })
            .collect();
        for name in &off {
            let ports = current
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name))
                .map(|p| p.ports.clone())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| vec![default_port(name)]);
            change.push(NetworkProtocol {
                name: name.clone(),
                enabled: false,
                ports,
            });
        }
        let mut what = String::from("About to change the camera's network protocols:\n");
        for p in &change {
            let _ = writeln!(
                what,
                "  {} {}",
                p.name,
                if p.enabled {
                    format!("on, port {}", p.ports[0])
                } else {
                    "off".into()
                }
            );
        }
        what.push_str(&format!(
            "The tool reaches the camera at {}: if that port moves or its protocol goes off, \
             the tool loses the camera until it is given the new address.",
            clean(cam.device_url().as_str())
        ));
        confirm(&what, c.yes)?;
        cam.set_network_protocols(change).await?;
    }
    let p = cam.network_protocols().await?;
    out.answer(&p, |p| protocols_text(p))
}

fn default_port(name: &str) -> u16 {
    match name {
        "HTTPS" => 443,
        "RTSP" => 554,
        _ => 80,
    }
}

fn protocols_text(p: &[NetworkProtocol]) -> String {
    table(
        &["PROTOCOL", "ON", "PORTS"],
        &p.iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    yes_no(p.enabled),
                    p.ports
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect::<Vec<_>>(),
    )
}

// ---------------------------------------------------------------------------------------------
// gateway

pub async fn gateway(cam: &Camera, args: &GatewayArgs, out: &Out) -> Result<(), Failure> {
    if let Some(GatewayAction::Set {
        addresses,
        confirm: c,
    }) = &args.action
    {
        let (mut v4, mut v6) = (Vec::new(), Vec::new());
        for a in addresses {
            match a.trim().parse::<IpAddr>() {
                Ok(IpAddr::V4(ip)) => v4.push(ip.to_string()),
                Ok(IpAddr::V6(ip)) => v6.push(ip.to_string()),
                Err(_) => {
                    return Err(Failure::usage(format!("{a:?} is not an IP address")));
                }
            }
        }
        // A family not given keeps the camera's gateway of that family.
        let now = cam.default_gateway().await?;
        if v4.is_empty() {
            v4 = now.ipv4;
        }
        if v6.is_empty() {
            v6 = now.ipv6;
        }
        // A family not given is the camera's text: shown escaped, on this one line.
        confirm(
            &format!(
                "About to set the camera's default gateway to {}: a wrong gateway cuts the \
                 camera off from every network but its own.",
                v4.iter()
                    .chain(&v6)
                    .map(|a| clean(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            c.yes,
        )?;
        cam.set_default_gateway(v4, v6).await?;
    }
    let g = cam.default_gateway().await?;
    out.answer(&g, |g| {
        kv(&[("IPv4", g.ipv4.join(", ")), ("IPv6", g.ipv6.join(", "))])
    })
}

// ---------------------------------------------------------------------------------------------
// logs

pub async fn logs(cam: &Camera, args: &LogsArgs, out: &Out) -> Result<(), Failure> {
    let kind = if args.access {
        SystemLogType::Access
    } else {
        SystemLogType::System
    };
    let content = cam.system_log_content(kind).await?;
    let bytes = match (&content.log.text, &content.attachment) {
        (Some(t), _) => Some(t.as_bytes()),
        (None, Some(a)) => Some(a.as_slice()),
        (None, None) => None,
    };
    if let Some(path) = &args.output {
        let bytes = bytes.ok_or_else(|| Failure {
            code: exit::DEVICE,
            message: format!(
                "the camera's answer holds no {} log to write (an attachment it names but did \
                 not send?)",
                kind.as_str().to_ascii_lowercase()
            ),
        })?;
        std::fs::write(path, bytes)
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
        let written = serde_json::json!({ "written": path, "bytes": bytes.len() });
        return out.answer(&written, |_| {
            format!("{} bytes written to {}", bytes.len(), path.display())
        });
    }
    let name = kind.as_str().to_ascii_lowercase();
    out.answer(&content.log, |l| match (&l.text, &content.attachment) {
        (Some(t), _) => t.clone(),
        (None, Some(a)) => match std::str::from_utf8(a) {
            Ok(t) => t.to_owned(),
            Err(_) => format!(
                "The camera sent its {name} log as a binary attachment of {} bytes: write it \
                 with --output FILE.\n",
                a.len()
            ),
        },
        (None, None) => match l.binary.as_ref().and_then(|b| b.include.as_ref()) {
            Some(i) => format!(
                "The camera names an attachment ({}) for its {name} log but it was not found in \
                 the answer.\n",
                clean(&i.content_id())
            ),
            None => format!("the camera sent an empty {name} log\n"),
        },
    })
}

// ---------------------------------------------------------------------------------------------
// discovery-mode

pub async fn discovery_mode(
    cam: &Camera,
    args: &DiscoveryModeArgs,
    out: &Out,
) -> Result<(), Failure> {
    if let Some(DiscoveryModeAction::Set { mode, confirm: c }) = &args.action {
        let mode = match mode {
            DiscoveryArg::Discoverable => DiscoveryMode::Discoverable,
            DiscoveryArg::NonDiscoverable => {
                confirm(
                    "About to make the camera non-discoverable: `discover` and other tools will \
                     no longer find it; it stays reachable at its address.",
                    c.yes,
                )?;
                DiscoveryMode::NonDiscoverable
            }
        };
        cam.set_discovery_mode(mode).await?;
    }
    let mode = cam.discovery_mode().await?;
    out.answer(&mode, |m| format!("{m}\n"))
}

// ---------------------------------------------------------------------------------------------
// factory-reset

pub async fn factory_reset(
    cam: &Camera,
    args: &FactoryResetArgs,
    out: &Out,
) -> Result<(), Failure> {
    if !args.force {
        return Err(Failure::usage(
            "factory-reset puts the camera's accounts, host name and network settings back to \
             the factory's: add --force to do it",
        ));
    }
    confirm(
        "About to reset the camera to its factory settings (soft): accounts go back to the \
         factory's, so the tool's credentials may stop working.",
        args.confirm.yes,
    )?;
    cam.factory_default(FactoryDefault::Soft).await?;
    #[derive(serde::Serialize)]
    struct Done {
        factory_default: FactoryDefault,
    }
    out.answer(
        &Done {
            factory_default: FactoryDefault::Soft,
        },
        |_| "factory settings restored (soft reset)\n".into(),
    )
}
