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
    let bad = |why: &str| Failure::usage(format!("--address {s:?}: {why}"));
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
    if ip.is_loopback() {
        return Err(bad("is no address a camera can have"));
    }
    match device::host_address_problem(ip, prefix) {
        Some(why) => Err(bad(why)),
        None => Ok((ip, prefix)),
    }
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
    let chosen = match &change.interface {
        Some(t) => all.iter().find(|i| i.token == *t).ok_or_else(|| {
            let have: Vec<&str> = all.iter().map(|i| i.token.as_str()).collect();
            Failure::usage(format!(
                "the camera has no network interface {t:?} (it has: {})",
                clean(&have.join(", "))
            ))
        })?,
        None => all.first().ok_or_else(|| Failure {
            code: exit::DEVICE,
            message: "the camera lists no network interface".into(),
        })?,
    };
    let token = chosen.token.clone();
    let here = cam.device_url();
    let host = here.host_str().unwrap_or("its address now").to_owned();
    let moves = moves(change, chosen, &here);
    let next_host = change
        .address
        .filter(|_| moves != Moves::No)
        .map(|(ip, _)| host_at(&here, ip));
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
    match (moves, &next_host) {
        (Moves::Yes, Some(h)) => {
            let _ = write!(
                warning,
                " The camera will answer at {h}, no longer at {host}."
            );
        }
        (Moves::Maybe, Some(h)) => {
            let _ = write!(
                warning,
                " The camera is reached at {host}: if that is this interface's IPv4 \
                 address, it will answer at {h} instead."
            );
        }
        (Moves::Yes | Moves::Maybe, None) => warning.push_str(
            " The camera will answer at the address the DHCP server gives it (`onvif discover` \
             finds it).",
        ),
        (Moves::No, _) if change.address.is_some() || change.dhcp => {
            let _ = write!(
                warning,
                " The camera is reached at {host}, which this change leaves as it is."
            );
        }
        (Moves::No, _) => {}
    }
    if change.mtu.is_some() {
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
    let reboot_needed = match cam.set_network_interface(&token, setting).await {
        Ok(r) => r,
        // A camera that takes the change at once may move before its answer is out.
        Err(e) if moves != Moves::No && e.kind() == onvif::ErrorKind::Network => {
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
    // The change is taken from here on: what fails after it says so.
    let taken = |what: &str, e: onvif::Error| {
        let f = Failure::from(e);
        Failure {
            code: f.code,
            message: format!(
                "the camera took the change, but {what} failed: {}",
                f.message
            ),
        }
    };
    let still_here = reboot_needed || moves == Moves::No;
    let interfaces = if still_here {
        // Still at its address: what it will take, as it says it.
        match cam.network_interfaces().await {
            Ok(i) => Some(i),
            Err(e) => {
                eprintln!(
                    "note: the camera took the change; reading it back failed: {}",
                    crate::output::message(&e.to_string())
                );
                None
            }
        }
    } else {
        None
    };
    let mut rebooted = false;
    if reboot && reboot_needed {
        let r = cam.reboot().await.map_err(|e| taken("the reboot", e))?;
        rebooted = true;
        eprintln!("{}", super::device::rebooting(&r));
    } else if reboot {
        eprintln!("note: --reboot not done: the camera took the change without one");
    }
    let then = match (&next_host, change.dhcp && moves != Moves::No) {
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

/// Whether a change of address takes the camera away from the address it is reached at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moves {
    /// It is reached at the interface's IPv4 address, which changes.
    Yes,
    /// It is reached by a name: it may be that address.
    Maybe,
    /// It is reached at an address the change leaves (IPv6, another interface, the same
    /// address again), or the change touches no address.
    No,
}

fn moves(change: &Change, chosen: &device::NetworkInterface, url: &Url) -> Moves {
    if change.address.is_none() && !change.dhcp {
        return Moves::No;
    }
    let reached = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip,
        Some(url::Host::Domain(_)) => return Moves::Maybe,
        _ => return Moves::No,
    };
    let on_it = chosen
        .ipv4
        .iter()
        .flat_map(|v| v.manual.iter().chain(&v.from_dhcp).chain(&v.link_local))
        .any(|a| a.address.trim().parse::<Ipv4Addr>() == Ok(reached));
    match change.address {
        _ if !on_it => Moves::No,
        Some((ip, _)) if ip == reached && !change.dhcp => Moves::No,
        _ => Moves::Yes,
    }
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
            i.mtu.map_or_else(|| "-".into(), |m| m.to_string()),
            if addrs.is_empty() {
                "-".into()
            } else {
                addrs.join(" ")
            },
        ]);
    }
    let mut out = table(
        &["TOKEN", "NAME", "UP", "MAC", "DHCP", "MTU", "ADDRESSES"],
        &rows,
    );
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
#[allow(clippy::unwrap_used)]
mod tests {
    use onvif::proto::ops::device::{
        IpConfig, NetworkInterface, NetworkInterfaces, PrefixedAddress,
    };

    use super::{Change, Moves, NetworkReport, moves, network_text, parse_address};

    fn eth0(address: &str) -> NetworkInterface {
        NetworkInterface {
            token: "eth0".into(),
            ipv4: Some(IpConfig {
                enabled: true,
                manual: vec![PrefixedAddress {
                    address: address.into(),
                    prefix_length: 24,
                }],
                ..IpConfig::default()
            }),
            ..NetworkInterface::default()
        }
    }

    fn to(address: Option<&str>, dhcp: bool) -> Change {
        Change {
            interface: None,
            address: address.map(|a| parse_address(a).unwrap()),
            dhcp,
            mtu: None,
        }
    }

    #[test]
    fn a_camera_moves_only_when_the_address_it_is_reached_at_changes() {
        let url = |u: &str| url::Url::parse(u).unwrap();
        let at = url("http://192.0.2.10/onvif/device_service");
        let i = eth0("192.0.2.10");
        assert_eq!(
            moves(&to(Some("192.0.2.50/24"), false), &i, &at),
            Moves::Yes
        );
        assert_eq!(moves(&to(None, true), &i, &at), Moves::Yes);
        assert_eq!(moves(&to(None, false), &i, &at), Moves::No, "the MTU alone");
        // The same address again (another prefix), another interface's, IPv6, a name.
        assert_eq!(moves(&to(Some("192.0.2.10/16"), false), &i, &at), Moves::No);
        assert_eq!(
            moves(
                &to(Some("192.0.2.50/24"), false),
                &eth0("198.51.100.1"),
                &at
            ),
            Moves::No
        );
        let v6 = url("http://[2001:db8::10]/onvif/device_service");
        assert_eq!(moves(&to(Some("192.0.2.50/24"), false), &i, &v6), Moves::No);
        let name = url("http://cam.lan/onvif/device_service");
        assert_eq!(
            moves(&to(Some("192.0.2.50/24"), false), &i, &name),
            Moves::Maybe
        );
    }

    #[test]
    fn a_host_route_is_an_address_and_reserved_ranges_are_not() {
        assert!(parse_address("192.0.2.50/32").is_ok());
        assert!(parse_address("192.0.2.50/31").is_ok());
        for bad in [
            "0.1.2.3/8",
            "240.0.0.1/8",
            "255.255.255.255/32",
            "192.0.2.255/24",
        ] {
            assert!(parse_address(bad).is_err(), "{bad}");
        }
    }

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
