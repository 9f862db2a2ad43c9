//! Network settings: DNS, NTP (setting; GetNTP is in the parent module), the host name, the
//! network protocols and their ports, the default gateway, and the discovery mode.

use serde::Serialize;

use crate::codec::Xml;
use crate::error::Error;
use crate::ns::{TDS, TT};
use crate::operation;
use crate::ops::device::host::NetworkHost;
use crate::xml::{Element, Writer};
use crate::xml_enum;

// ---------------------------------------------------------------------------------------------
// GetDNS / SetDNS

/// Ask for the device's DNS settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetDNS")]
pub struct GetDns;
operation!(GetDns => DnsInformation, idempotent = true);

/// The DNS settings: search domains, servers from DHCP and set by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetDNSResponse")]
pub struct DnsInformation {
    /// Whether the servers come from DHCP (false when absent).
    #[xml(child = "tds:DNSInformation/tt:FromDHCP", default)]
    pub from_dhcp: bool,
    /// Search domains.
    #[xml(child = "tds:DNSInformation/tt:SearchDomain")]
    pub search_domains: Vec<String>,
    /// Servers learned from DHCP (`IPv4`/`IPv6` and the address).
    #[xml(child = "tds:DNSInformation/tt:DNSFromDHCP")]
    pub dhcp: Vec<NetworkHost>,
    /// Servers set by hand.
    #[xml(child = "tds:DNSInformation/tt:DNSManual")]
    pub manual: Vec<NetworkHost>,
}

/// Set the DNS settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetDNS")]
pub struct SetDns {
    /// Take the servers from DHCP.
    #[xml(child = "tds:FromDHCP")]
    pub from_dhcp: bool,
    /// Search domains.
    #[xml(child = "tds:SearchDomain")]
    pub search_domains: Vec<String>,
    /// Servers to use (with `from_dhcp` false): `IPv4`/`IPv6` and the address.
    #[xml(child = "tds:DNSManual")]
    pub manual: Vec<NetworkHost>,
}

/// The empty answer to SetDNS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetDNSResponse")]
pub struct SetDnsResponse;
operation!(SetDns => SetDnsResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// SetNTP

/// Set the NTP settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNTP")]
pub struct SetNtp {
    /// Take the servers from DHCP.
    #[xml(child = "tds:FromDHCP")]
    pub from_dhcp: bool,
    /// Servers to use (with `from_dhcp` false): `IPv4`/`IPv6`/`DNS` and the address or name.
    #[xml(child = "tds:NTPManual")]
    pub manual: Vec<NetworkHost>,
}

/// The empty answer to SetNTP.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNTPResponse")]
pub struct SetNtpResponse;
operation!(SetNtp => SetNtpResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// SetHostname

/// Set the device's host name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetHostname")]
pub struct SetHostname {
    /// The new name (letters, digits, `-` and `.`).
    #[xml(child = "tds:Name")]
    pub name: String,
}

/// The empty answer to SetHostname.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetHostnameResponse")]
pub struct SetHostnameResponse;
operation!(SetHostname => SetHostnameResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetNetworkProtocols / SetNetworkProtocols

/// One network protocol the device serves, whether it is on, and its ports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct NetworkProtocol {
    /// `HTTP`, `HTTPS` or `RTSP` as the device writes it.
    #[xml(child = "tt:Name")]
    pub name: String,
    /// Whether it is on.
    #[xml(child = "tt:Enabled", default)]
    pub enabled: bool,
    /// Its ports (usually one).
    #[xml(child = "tt:Port", lenient)]
    pub ports: Vec<u16>,
}

/// Ask for the network protocols and their ports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNetworkProtocols")]
pub struct GetNetworkProtocols;
operation!(GetNetworkProtocols => NetworkProtocols, idempotent = true);

/// The answer to GetNetworkProtocols.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNetworkProtocolsResponse")]
pub struct NetworkProtocols {
    /// Every protocol, in the device's order.
    #[xml(child = "tds:NetworkProtocols")]
    pub protocols: Vec<NetworkProtocol>,
}

/// Turn protocols on or off and set their ports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNetworkProtocols")]
pub struct SetNetworkProtocols {
    /// The protocols to change.
    #[xml(child = "tds:NetworkProtocols")]
    pub protocols: Vec<NetworkProtocol>,
}

/// The empty answer to SetNetworkProtocols.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNetworkProtocolsResponse")]
pub struct SetNetworkProtocolsResponse;
operation!(SetNetworkProtocols => SetNetworkProtocolsResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetNetworkDefaultGateway / SetNetworkDefaultGateway

/// Ask for the default gateway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNetworkDefaultGateway")]
pub struct GetNetworkDefaultGateway;
operation!(GetNetworkDefaultGateway => NetworkGateway, idempotent = true);

/// The default gateway's addresses. Read by hand (`with`): the addresses are `tt:` by schema,
/// but some devices write them in the device service's namespace, and send an empty element
/// for "none" (docs/QUIRKS.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNetworkDefaultGatewayResponse")]
pub struct NetworkGateway {
    /// IPv4 gateways.
    #[xml(with = "gateway_v4")]
    pub ipv4: Vec<String>,
    /// IPv6 gateways.
    #[xml(with = "gateway_v6")]
    pub ipv6: Vec<String>,
}

/// Every non-empty `name` of the `NetworkGateway` in `el`, in `tt:` or `tds:`.
fn gateway_addresses(el: &Element, name: &str) -> Vec<String> {
    let Some(g) = el.child(TDS, "NetworkGateway") else {
        return Vec::new();
    };
    g.children
        .iter()
        .filter(|c| c.is(TT, name) || c.is(TDS, name))
        .map(|c| c.text().trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

/// Both address lists inside one `tds:NetworkGateway`.
fn write_gateway(g: &NetworkGateway, w: &mut Writer) {
    w.open("tds:NetworkGateway", &[]);
    for a in &g.ipv4 {
        w.leaf("tt:IPv4Address", a);
    }
    for a in &g.ipv6 {
        w.leaf("tt:IPv6Address", a);
    }
    w.close("tds:NetworkGateway");
}

/// `#[xml(with)]` for the IPv4 gateways; writes the whole `NetworkGateway`.
mod gateway_v4 {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Vec<String>, Error> {
        Ok(gateway_addresses(el, "IPv4Address"))
    }

    pub(super) fn write(g: &NetworkGateway, w: &mut Writer, _: &str) {
        write_gateway(g, w);
    }
}

/// `#[xml(with)]` for the IPv6 gateways; written with the IPv4 ones.
mod gateway_v6 {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Vec<String>, Error> {
        Ok(gateway_addresses(el, "IPv6Address"))
    }

    pub(super) fn write(_: &NetworkGateway, _: &mut Writer, _: &str) {}
}

/// Set the default gateway.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNetworkDefaultGateway")]
pub struct SetNetworkDefaultGateway {
    /// IPv4 gateways.
    #[xml(child = "tds:IPv4Address")]
    pub ipv4: Vec<String>,
    /// IPv6 gateways.
    #[xml(child = "tds:IPv6Address")]
    pub ipv6: Vec<String>,
}

/// The empty answer to SetNetworkDefaultGateway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetNetworkDefaultGatewayResponse")]
pub struct SetNetworkDefaultGatewayResponse;
operation!(SetNetworkDefaultGateway => SetNetworkDefaultGatewayResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetDiscoveryMode / SetDiscoveryMode

xml_enum! {
    /// Whether the device answers WS-Discovery probes.
    pub DiscoveryMode {
        /// It answers probes and announces itself.
        Discoverable = "Discoverable",
        /// It stays silent.
        NonDiscoverable = "NonDiscoverable",
    }
}

/// Ask for the discovery mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetDiscoveryMode")]
pub struct GetDiscoveryMode;
operation!(GetDiscoveryMode => DiscoveryModeResponse, idempotent = true);

/// The answer to GetDiscoveryMode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetDiscoveryModeResponse")]
pub struct DiscoveryModeResponse {
    /// The mode.
    #[xml(child = "tds:DiscoveryMode")]
    pub mode: DiscoveryMode,
}

/// Set the discovery mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetDiscoveryMode")]
pub struct SetDiscoveryMode {
    /// The mode.
    #[xml(child = "tds:DiscoveryMode")]
    pub mode: DiscoveryMode,
}

/// The empty answer to SetDiscoveryMode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetDiscoveryModeResponse")]
pub struct SetDiscoveryModeResponse;
operation!(SetDiscoveryMode => SetDiscoveryModeResponse, idempotent = true);

/// Is `name` a host or domain name (RFC 1123): dot-separated labels of 1 to 63 letters, digits
/// and `-`, none starting or ending with `-`, 253 bytes at most, and not all digits (which
/// would read as an address)?
pub fn is_valid_hostname(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && !name.chars().all(|c| c.is_ascii_digit() || c == '.')
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}
