//! The network interface, `eth0`: GetNetworkInterfaces shows it as SetNetworkInterfaces set
//! it. A change is taken for the next reboot (the answer says `RebootNeeded`, and the camera
//! stays at its address until then, as Core 8.2.6 has it), or with
//! [`Quirk::NetworkAtOnce`] at once; the simulator itself never moves.

use std::net::{IpAddr, Ipv4Addr};

use onvif_proto::Fault;
use onvif_proto::ops::device::{
    GetNetworkInterfaces, IpConfig, NetworkInterface, NetworkInterfaces, PrefixedAddress,
    SetNetworkInterfaces, SetNetworkInterfacesResponse, host_address_problem,
};

use crate::config::Quirk;
use crate::services::{Ctx, sender};

/// The one interface's token.
const ETH0: &str = "eth0";
/// The MTUs the interface takes.
const MTU: std::ops::RangeInclusive<u32> = 576..=9000;
/// At most this many IPv4 addresses set by hand.
const MAX_MANUAL: usize = 4;

fn invalid(code: &str, reason: String) -> Fault {
    sender(&["InvalidArgVal", code], reason)
}

/// The address the simulator listens on, with the prefix a camera there would have.
fn listening(ctx: &Ctx<'_>) -> PrefixedAddress {
    let ip = match ctx.shared.addr.ip() {
        IpAddr::V4(v4) if !v4.is_unspecified() => v4,
        _ => Ipv4Addr::LOCALHOST,
    };
    PrefixedAddress {
        address: ip.to_string(),
        prefix_length: if ip.is_loopback() { 8 } else { 24 },
    }
}

pub(super) fn get_network_interfaces(
    ctx: &Ctx<'_>,
    _: GetNetworkInterfaces,
) -> Result<NetworkInterfaces, Fault> {
    let here = listening(ctx);
    let cam = ctx.shared.camera();
    let s = &cam.net.interface;
    // With DHCP the address it has is the one it got; by hand, the ones set.
    let (manual, from_dhcp) = if s.dhcp {
        (Vec::new(), vec![here])
    } else {
        (s.manual.clone().unwrap_or_else(|| vec![here]), Vec::new())
    };
    Ok(NetworkInterfaces {
        interfaces: vec![NetworkInterface {
            token: ETH0.into(),
            enabled: true,
            name: Some(ETH0.into()),
            hw_address: Some("02:00:5e:10:00:01".into()),
            mtu: Some(s.mtu),
            ipv4: Some(IpConfig {
                enabled: true,
                dhcp: Some(s.dhcp.to_string()),
                manual,
                link_local: Vec::new(),
                from_dhcp,
                ..IpConfig::default()
            }),
            ipv6: None,
        }],
    })
}

/// A usable host address with its prefix ([`host_address_problem`] has the rules), written
/// as the camera writes it.
fn check_address(a: &PrefixedAddress) -> Result<PrefixedAddress, Fault> {
    let bad = |why: &str| {
        invalid(
            "InvalidIPv4Address",
            format!("{}/{} {why}", a.address, a.prefix_length),
        )
    };
    let ip: Ipv4Addr = a
        .address
        .trim()
        .parse()
        .map_err(|_| bad("is not an IPv4 address"))?;
    if let Some(why) = host_address_problem(ip, a.prefix_length) {
        return Err(bad(why));
    }
    Ok(PrefixedAddress {
        address: ip.to_string(),
        prefix_length: a.prefix_length,
    })
}

pub(super) fn set_network_interfaces(
    ctx: &Ctx<'_>,
    req: SetNetworkInterfaces,
) -> Result<SetNetworkInterfacesResponse, Fault> {
    if req.interface_token != ETH0 {
        return Err(invalid(
            "InvalidNetworkInterface",
            format!(
                "no network interface {:?} (the camera has {ETH0})",
                req.interface_token
            ),
        ));
    }
    let i = &req.interface;
    if let Some(m) = i.mtu
        && !MTU.contains(&m)
    {
        return Err(invalid(
            "InvalidMtuValue",
            format!("MTU {m} is outside {}..{}", MTU.start(), MTU.end()),
        ));
    }
    // The camera's only way in: turned off, nobody could turn it on again.
    let off = i.enabled == Some(false) || i.ipv4.as_ref().and_then(|v| v.enabled) == Some(false);
    if off {
        return Err(invalid(
            "InvalidArgVal",
            format!("{ETH0} and its IPv4 are the camera's only way in: they stay on"),
        ));
    }
    let mut cam = ctx.shared.camera();
    let mut next = cam.net.interface.clone();
    if let Some(m) = i.mtu {
        next.mtu = m;
    }
    if let Some(v4) = &i.ipv4 {
        if v4.manual.len() > MAX_MANUAL {
            return Err(invalid(
                "InvalidIPv4Address",
                format!("at most {MAX_MANUAL} addresses, not {}", v4.manual.len()),
            ));
        }
        if !v4.manual.is_empty() {
            let checked: Result<Vec<_>, _> = v4.manual.iter().map(check_address).collect();
            next.manual = Some(checked?);
        }
        if let Some(d) = v4.dhcp {
            next.dhcp = d;
        }
    }
    // Whether or not it changes anything, what is set waits for the reboot (a change made
    // twice before one still needs it).
    cam.net.interface = next;
    // A camera that moves at once says so; this one still listens where it did.
    let at_once = ctx.shared.cfg.has(Quirk::NetworkAtOnce);
    cam.logs.system(if at_once {
        "network interface eth0 changed"
    } else {
        "network interface eth0 changed (taken at the next reboot)"
    });
    Ok(SetNetworkInterfacesResponse {
        reboot_needed: !at_once,
    })
}
