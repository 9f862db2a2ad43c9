//! `network`: the network interfaces and NTP. `network set` changes an interface's IPv4
//! address (by hand, or from DHCP) or its MTU: it asks first (the camera may move away from
//! the address the tool reaches it at), then says where the camera will be, and when.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use onvif::Camera;
use onvif::proto::ops::device::{
    self, Ipv4Setting, NetworkInterfaceSetting, NetworkInterfaces, PrefixedAddress,
};
use serde::Serialize;
use url::Url;

use crate::args::settings::{NetworkAction, NetworkArgs};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean, table, yes_no};
use crate::prompt::confirm;

/// `network` and `network set`.
pub async fn run(cam: &Camera, args: &NetworkArgs, out: &Out) -> Result<(), Failure> {
    match &args.action {
        None => {
            let interfaces = cam.network_interfaces().await?;
            let ntp = cam.ntp().await.ok();
            out.answer(&NetworkReport { interfaces, ntp }, network_text)
        }
        Some(NetworkAction::Set {
            interface,
            address,
            dhcp,
            mtu,
            reboot,
            confirm: c,
        }) => {
            let change = Change {
                interface: interface.clone(),
                address: address.as_deref().map(parse_address).transpose()?,
                dhcp: *dhcp,
                mtu: *mtu,
            };
            set(cam, &change, *reboot, c.yes, out).await
        }
    }
}

/// What `network set` asks for.
struct Change {
    interface: Option<String>,
    address: Option<(Ipv4Addr, u8)>,
    dhcp: bool,
    mtu: Option<u32>,
}

/// `192.0.2.50/24`: a host address a camera can have, with its prefix length.
fn parse_address(s: &str) -> Result<(Ipv4Addr, u8), Failure> {
    let bad = |why: &str| Failure::usage(format!("--address {:?}: {why}", clean(s)));
    let (ip, prefix) = s
        .trim()
        .split_once('/')
        .ok_or_else(|| bad("give the prefix length too, e.g. 192.0.2.50/24"))?;
    let ip: Ipv4Addr = ip.parse().map_err(|_| bad("not an IPv4 address"))?;
    let prefix: u8 = prefix
        .parse()
        .ok()
        .filter(|p| (1..=32).contains(p))
        .ok_or_else(|| bad("the prefix length is a number from 1 to 32"))?;
    if ip.is_unspecified() || ip.is_multicast() || ip.is_broadcast() || ip.is_loopback() {
        return Err(bad("no address a camera can have"));
    }
    let host = u32::from(ip) & (u32::MAX >> prefix);
    if prefix <= 30 && (host == 0 || host == u32::MAX >> prefix) {
        return Err(bad("the network's own address or its broadcast address"));
    }
    Ok((ip, prefix))
}

/// The network `ip/prefix` is in, as `192.0.2.0/24`.
fn network_of(ip: Ipv4Addr, prefix: u8) -> (Ipv4Addr, u8) {
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
    (Ipv4Addr::from(u32::from(ip) & mask), prefix)
}

/// How to reach the camera at `ip`: `-H` as the user would give it, with the port and scheme
/// the camera is reached with now.
fn host_at(url: &Url, ip: Ipv4Addr) -> String {
    match (url.scheme(), url.port()) {
        ("https", Some(p)) => format!("https://{ip}:{p}"),
        ("https", None) => format!("https://{ip}"),
        (_, Some(p)) => format!("{ip}:{p}"),
        _ => ip.to_string(),
    }
}

/// What `network set` did, for `--json`.
#[derive(Serialize)]
struct SetReport {
    interface: String,
    /// The camera takes the change at its next reboot (else at once).
    reboot_needed: bool,
    /// It was rebooted (`--reboot`).
    rebooted: bool,
    /// The interfaces read back (not when the camera may have moved).
    #[serde(skip_serializing_if = "Option::is_none")]
    interfaces: Option<NetworkInterfaces>,
    /// Where to reach it once the change is taken (`-H`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_host: Option<String>,
}

async fn set(
    cam: &Camera,
    change: &Change,
    reboot: bool,
    yes: bool,
    out: &Out,
) -> Result<(), Failure> {
    if change.address.is_none() && !change.dhcp && change.mtu.is_none() {
        return Err(Failure::usage(
            "nothing to set: give --address IP/PREFIX, --dhcp or --mtu",
        ));
    }
    let all = cam.network_interfaces().await?.interfaces;
    let token = match &change.interface {
        Some(t) => all
            .iter()
            .find(|i| i.token == *t)
            .map(|i| i.token.clone())
            .ok_or_else(|| {
                let have: Vec<&str> = all.iter().map(|i| i.token.as_str()).collect();
                Failure::usage(format!(
                    "the camera has no network interface {:?} (it has: {})",
                    clean(t),
                    clean(&have.join(", "))
                ))
            })?,
        None => all
            .first()
            .map(|i| i.token.clone())
            .ok_or_else(|| Failure {
                code: exit::DEVICE,
                message: "the camera lists no network interface".into(),
            })?,
    };
    let here = cam.device_url();
    let next_host = change.address.map(|(ip, _)| host_at(&here, ip));
    let mut what = Vec::new();
    if let Some((ip, prefix)) = change.address {
        what.push(format!(
            "set {}'s IPv4 address to {ip}/{prefix} (DHCP off)",
            clean(&token)
        ));
    }
    if change.dhcp {
        what.push(format!(
            "have {} take its IPv4 address from DHCP",
            clean(&token)
        ));
    }
    if let Some(m) = change.mtu {
        what.push(format!("set {}'s MTU to {m}", clean(&token)));
    }
    let mut warning = format!("About to {}.", what.join(", and "));
    if let Some(h) = &next_host {
        let _ = write!(
            warning,
            " The camera will answer at {h}, no longer at {}.",
            here.host_str().unwrap_or("its address now")
        );
    } else if change.dhcp {
        warning.push_str(
            " The camera will answer at the address the DHCP server gives it (`onvif discover` \
             finds it).",
        );
    } else {
        warning.push_str(" An MTU the network does not carry cuts the camera off.");
    }
    // A gateway outside the new network leaves the camera unreachable from anywhere else.
    if let Some((ip, prefix)) = change.address
        && let Ok(g) = cam.default_gateway().await
    {
        let net = network_of(ip, prefix);
        for gw in g
            .ipv4
            .iter()
            .filter_map(|a| a.trim().parse::<Ipv4Addr>().ok())
        {
            if network_of(gw, prefix) != net {
                let _ = write!(
                    warning,
                    " Its default gateway {gw} is outside {}/{}: set one inside with `onvif \
                     gateway set`.",
                    net.0, net.1
                );
            }
        }
    }
    confirm(&warning, yes)?;
    let setting = NetworkInterfaceSetting {
        enabled: None,
        mtu: change.mtu,
        ipv4: (change.address.is_some() || change.dhcp).then(|| Ipv4Setting {
            enabled: None,
            manual: change
                .address
                .map(|(ip, prefix)| PrefixedAddress {
                    address: ip.to_string(),
                    prefix_length: prefix,
                })
                .into_iter()
                .collect(),
            dhcp: Some(change.dhcp),
        }),
    };
    let moves = change.address.is_some() || change.dhcp;
    let reboot_needed = match cam.set_network_interface(&token, setting).await {
        Ok(r) => r,
        // A camera that takes the change at once may move before its answer is out.
        Err(e) if moves && e.kind() == onvif::ErrorKind::Network => {
            let try_at = next_host
                .as_deref()
                .map_or("find it with `onvif discover`".to_owned(), |h| {
                    format!("try `onvif -H {h} info`")
                });
            return Err(Failure {
                code: exit::NETWORK,
                message: format!(
                    "the camera did not answer the change ({e}); it may have taken it and \
                     moved: {try_at}"
                ),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let mut rebooted = false;
    let interfaces = if reboot_needed || !moves {
        // Still at its address: what it will take, as it says it.
        let read = cam.network_interfaces().await?;
        if reboot_needed && reboot {
            let r = cam.reboot().await?;
            rebooted = true;
            eprintln!("{}", super::device::rebooting(&r));
        }
        Some(read)
    } else {
        None
    };
    let then = match (&next_host, change.dhcp) {
        (Some(h), _) => format!("use -H {h}"),
        (None, true) => "find its address with `onvif discover`".into(),
        (None, false) => String::new(),
    };
    match (reboot_needed, rebooted) {
        (true, false) => eprintln!(
            "note: the camera takes the change at its next reboot and answers at its address \
             until then (`onvif reboot`, or `network set ... --reboot`){}",
            if then.is_empty() {
                String::new()
            } else {
                format!("; then {then}")
            }
        ),
        (true, true) if !then.is_empty() => eprintln!("note: once it is back, {then}"),
        (false, _) if !then.is_empty() => {
            eprintln!("note: the camera takes the change at once: {then}");
        }
        _ => {}
    }
    let report = SetReport {
        interface: token,
        reboot_needed,
        rebooted,
        interfaces,
        next_host,
    };
    out.show(&report, || match &report.interfaces {
        Some(i) => network_text(&NetworkReport {
            interfaces: i.clone(),
            ntp: None,
        }),
        None => format!("{} changed\n", clean(&report.interface)),
    });
    Ok(())
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
