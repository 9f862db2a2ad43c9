//! Network interfaces: what GetNetworkInterfaces reports (addresses, DHCP, MTU) and what
//! SetNetworkInterfaces changes.

use serde::Serialize;

use crate::codec::{Node, Xml, read_list};
use crate::error::Error;
use crate::ns::TT;
use crate::operation;
use crate::ops::message::{bool_str, opt_text, parse_bool};
use crate::xml::{Element, Writer};

// ---------------------------------------------------------------------------------------------
// GetNetworkInterfaces

/// Ask for the device's network interfaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNetworkInterfaces")]
pub struct GetNetworkInterfaces;
operation!(GetNetworkInterfaces => NetworkInterfaces, idempotent = true);

/// An address with its prefix length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct PrefixedAddress {
    /// The address, as text (`192.0.2.10`, `fe80::1`).
    #[xml(child = "tt:Address")]
    pub address: String,
    /// The prefix length, in bits.
    #[xml(child = "tt:PrefixLength")]
    pub prefix_length: u8,
}

/// IPv4 or IPv6 settings of an interface. The two schema types order their `Config`
/// differently, so this one is read and written by hand ([`Node`] below).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IpConfig {
    /// Whether this IP version is on (false when absent).
    pub enabled: bool,
    /// `true`/`false` for IPv4; `Auto`/`Stateful`/`Stateless`/`Off` for IPv6.
    pub dhcp: Option<String>,
    /// Addresses set by hand.
    pub manual: Vec<PrefixedAddress>,
    /// Link-local addresses.
    pub link_local: Vec<PrefixedAddress>,
    /// Addresses from DHCP.
    pub from_dhcp: Vec<PrefixedAddress>,
    /// IPv6 addresses learned from router advertisements (`FromRA`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from_ra: Vec<PrefixedAddress>,
    /// IPv6 `AcceptRouterAdvert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_router_advert: Option<bool>,
}

/// One network interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct NetworkInterface {
    /// The interface's token; empty when absent.
    #[xml(attr = "token", default)]
    pub token: String,
    /// Whether the interface is on (false when absent).
    #[xml(child = "tt:Enabled", default)]
    pub enabled: bool,
    /// The interface's name (`eth0`); `None` when absent.
    #[xml(child = "tt:Info/tt:Name")]
    pub name: Option<String>,
    /// The hardware (MAC) address as the device writes it; `None` when absent.
    #[xml(child = "tt:Info/tt:HwAddress")]
    pub hw_address: Option<String>,
    /// The MTU, in bytes; `None` when absent.
    #[xml(child = "tt:Info/tt:MTU")]
    pub mtu: Option<u32>,
    /// IPv4 settings; `None` when the device sent none.
    #[xml(child = "tt:IPv4")]
    pub ipv4: Option<IpConfig>,
    /// IPv6 settings; `None` when the device sent none.
    #[xml(child = "tt:IPv6")]
    pub ipv6: Option<IpConfig>,
}

/// The answer to GetNetworkInterfaces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNetworkInterfacesResponse")]
pub struct NetworkInterfaces {
    /// Every interface, in the device's order.
    #[xml(child = "tds:NetworkInterfaces")]
    pub interfaces: Vec<NetworkInterface>,
}

impl Node for IpConfig {
    fn read_node(el: &Element) -> Result<Self, Error> {
        let enabled = el
            .child_text(TT, "Enabled")
            .map(|v| parse_bool("Enabled", v))
            .transpose()?
            .unwrap_or(false);
        let Some(cfg) = el.child(TT, "Config") else {
            return Ok(IpConfig {
                enabled,
                ..IpConfig::default()
            });
        };
        let list = |name| read_list(Some(cfg), TT, name, false);
        Ok(IpConfig {
            enabled,
            dhcp: opt_text(cfg, TT, "DHCP"),
            manual: list("Manual")?,
            link_local: list("LinkLocal")?,
            from_dhcp: list("FromDHCP")?,
            from_ra: list("FromRA")?,
            accept_router_advert: cfg
                .child_text(TT, "AcceptRouterAdvert")
                .map(|v| parse_bool("AcceptRouterAdvert", v))
                .transpose()?,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        let v6 = tag == "tt:IPv6";
        w.open(tag, &[]).leaf("tt:Enabled", bool_str(self.enabled));
        w.open("tt:Config", &[]);
        if v6 {
            w.leaf_opt(
                "tt:AcceptRouterAdvert",
                self.accept_router_advert.map(bool_str),
            );
            w.leaf_opt("tt:DHCP", self.dhcp.as_deref());
        }
        for (name, list) in [
            ("tt:Manual", &self.manual),
            ("tt:LinkLocal", &self.link_local),
            ("tt:FromDHCP", &self.from_dhcp),
            ("tt:FromRA", &self.from_ra),
        ] {
            for a in list {
                a.write_node(w, name);
            }
        }
        if !v6 {
            w.leaf_opt("tt:DHCP", self.dhcp.as_deref());
        }
        w.close("tt:Config").close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// SetNetworkInterfaces

/// Why `ip/prefix` is no address an interface can be given (`None`: it is one): a prefix
/// length outside 1..32; "this network" (0.0.0.0/8), reserved (240.0.0.0/4, the broadcast
/// among them) or multicast; the network's own or its broadcast address (a /31 or /32 has
/// neither).
pub fn host_address_problem(ip: std::net::Ipv4Addr, prefix: u8) -> Option<&'static str> {
    if !(1..=32).contains(&prefix) {
        return Some("has a prefix length outside 1..32");
    }
    let first = ip.octets()[0];
    if first == 0 || first >= 240 || ip.is_multicast() {
        return Some("is no address a camera can have");
    }
    if prefix <= 30 {
        let hosts = u32::MAX >> prefix;
        let host = u32::from(ip) & hosts;
        if host == 0 || host == hosts {
            return Some("is the network's own address or its broadcast address");
        }
    }
    None
}

/// IPv4 settings to apply (`tt:IPv4NetworkInterfaceSetConfiguration`); what is left out is
/// kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct Ipv4Setting {
    /// Turn IPv4 on or off.
    #[xml(child = "tt:Enabled")]
    pub enabled: Option<bool>,
    /// The addresses to set by hand (used with `dhcp` false).
    #[xml(child = "tt:Manual")]
    pub manual: Vec<PrefixedAddress>,
    /// Take the address from DHCP.
    #[xml(child = "tt:DHCP")]
    pub dhcp: Option<bool>,
}

/// An interface's settings to apply (`tt:NetworkInterfaceSetConfiguration`, without the link
/// settings Core tells devices to ignore, IPv6 and Wi-Fi); what is left out is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct NetworkInterfaceSetting {
    /// Turn the interface on or off.
    #[xml(child = "tt:Enabled")]
    pub enabled: Option<bool>,
    /// The MTU, in bytes.
    #[xml(child = "tt:MTU")]
    pub mtu: Option<u32>,
    /// IPv4 settings.
    #[xml(child = "tt:IPv4")]
    pub ipv4: Option<Ipv4Setting>,
}

/// Change a network interface's settings. A camera that answers `RebootNeeded` keeps its
/// address until SystemReboot; one that does not moves at once (Core 8.2.6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNetworkInterfaces")]
pub struct SetNetworkInterfaces {
    /// The interface's token (GetNetworkInterfaces).
    #[xml(child = "tds:InterfaceToken")]
    pub interface_token: String,
    /// What to change.
    #[xml(child = "tds:NetworkInterface")]
    pub interface: NetworkInterfaceSetting,
}

/// The answer to SetNetworkInterfaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNetworkInterfacesResponse")]
pub struct SetNetworkInterfacesResponse {
    /// The change takes effect at the next SystemReboot (false when absent: at once).
    #[xml(child = "tds:RebootNeeded", default)]
    pub reboot_needed: bool,
}
// Not sent again on a lost answer: a camera that moves at once may be gone from the address.
operation!(SetNetworkInterfaces => SetNetworkInterfacesResponse, idempotent = false);
