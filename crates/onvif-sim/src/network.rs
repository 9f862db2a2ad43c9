//! The camera's network settings as state: DNS, NTP, protocols and their ports, the default
//! gateway, the discovery mode, and a short system log of what changed. Only state: setting
//! the HTTP port does not move the simulator's listening socket, and no DNS or NTP server is
//! ever asked anything.

use std::collections::VecDeque;

use onvif_proto::ops::device::{DiscoveryMode, NetworkHost, NetworkProtocol, PrefixedAddress};

/// How many lines the system log keeps (the oldest go first).
const LOG_LINES: usize = 200;

/// DNS, NTP, protocols, gateway, discovery mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NetworkSettings {
    pub dns_from_dhcp: bool,
    pub search_domains: Vec<String>,
    pub dns_manual: Vec<NetworkHost>,
    pub ntp_from_dhcp: bool,
    pub ntp_manual: Vec<NetworkHost>,
    pub protocols: Vec<NetworkProtocol>,
    pub gateway_v4: Vec<String>,
    pub gateway_v6: Vec<String>,
    pub discovery_mode: DiscoveryMode,
    /// The network interface `eth0` as SetNetworkInterfaces set it.
    pub interface: InterfaceSettings,
}

/// The settings of the one network interface, `eth0`: shown as set, taken at the next reboot
/// (the simulator itself stays on the address it listens on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InterfaceSettings {
    pub mtu: u32,
    /// The IPv4 address comes from DHCP.
    pub dhcp: bool,
    /// The IPv4 addresses set by hand; `None`: the one the simulator listens on.
    pub manual: Option<Vec<PrefixedAddress>>,
}

impl NetworkSettings {
    /// What a new camera has: its HTTP port the one it listens on, RTSP on the port its
    /// stream URIs name ([`crate::RTSP_PORT`]), HTTPS off.
    pub(crate) fn factory(http_port: u16) -> Self {
        let protocol = |name: &str, enabled, port| NetworkProtocol {
            name: name.into(),
            enabled,
            ports: vec![port],
        };
        NetworkSettings {
            dns_from_dhcp: false,
            search_domains: Vec::new(),
            dns_manual: Vec::new(),
            ntp_from_dhcp: false,
            ntp_manual: vec![NetworkHost {
                kind: "DNS".into(),
                address: "pool.ntp.org".into(),
            }],
            protocols: vec![
                protocol("HTTP", true, http_port),
                protocol("HTTPS", false, 443),
                protocol("RTSP", true, crate::RTSP_PORT),
            ],
            gateway_v4: Vec::new(),
            gateway_v6: Vec::new(),
            discovery_mode: DiscoveryMode::Discoverable,
            interface: InterfaceSettings {
                mtu: 1500,
                dhcp: false,
                manual: None,
            },
        }
    }
}

/// The system and access logs: one line per change, never a password.
#[derive(Debug, Clone, Default)]
pub(crate) struct Logs {
    pub system: VecDeque<String>,
    pub access: VecDeque<String>,
}

impl Logs {
    fn push(list: &mut VecDeque<String>, line: String) {
        if list.len() == LOG_LINES {
            list.pop_front();
        }
        let now = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ");
        list.push_back(format!("{now} {line}"));
    }

    /// A settings change.
    pub(crate) fn system(&mut self, line: impl Into<String>) {
        Self::push(&mut self.system, line.into());
    }

    /// An account change.
    pub(crate) fn access(&mut self, line: impl Into<String>) {
        Self::push(&mut self.access, line.into());
    }
}
