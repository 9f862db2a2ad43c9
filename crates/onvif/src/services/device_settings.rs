//! Device management, the settings side: user accounts, DNS, NTP, host name, network
//! protocols, default gateway, discovery mode, system URIs and logs, factory default.
//!
//! A password sent with [`Camera::create_user`](crate::Camera::create_user) or
//! [`Camera::set_user`](crate::Camera::set_user) is redacted from traces and recordings like
//! the WS-Security digest is.

use onvif_proto::ops::device::{self, NetworkHost, User, UserLevel};
use onvif_proto::ops::{Message, Operation};

use crate::camera::{CallOptions, Camera};
use crate::error::Error;

/// A log as [`Camera::system_log_content`] found it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogContent {
    /// The answer: the text, or the reference to its attachment.
    pub log: device::SystemLog,
    /// The attachment's bytes, when the log came as one and was found.
    #[serde(skip)]
    pub attachment: Option<Vec<u8>>,
}

impl Camera {
    /// Call a device operation whose body carries `secrets` (passwords), keeping them out of
    /// traces and recordings.
    async fn call_with_secrets<O: onvif_proto::ops::Operation>(
        &self,
        op: &O,
        secrets: Vec<String>,
    ) -> Result<O::Response, Error> {
        let url = self.endpoint(O::SERVICE).await?;
        let opts = CallOptions {
            secrets,
            ..CallOptions::default()
        };
        self.call_at_with(&url, op, &opts).await
    }

    /// The camera's accounts, names and levels (GetUsers). Passwords a camera sends anyway are
    /// dropped here.
    pub async fn users(&self) -> Result<Vec<User>, Error> {
        let mut users = self.call(&device::GetUsers).await?.users;
        for u in &mut users {
            u.password = None;
        }
        Ok(users)
    }

    /// Create an account (CreateUsers).
    pub async fn create_user(
        &self,
        name: &str,
        password: &str,
        level: UserLevel,
    ) -> Result<(), Error> {
        let op = device::CreateUsers {
            users: vec![User {
                username: name.to_owned(),
                password: Some(password.to_owned()),
                level,
            }],
        };
        self.call_with_secrets(&op, vec![password.to_owned()])
            .await
            .map(drop)
    }

    /// Change an account's level, and its password when `password` is given (SetUser).
    pub async fn set_user(
        &self,
        name: &str,
        password: Option<&str>,
        level: UserLevel,
    ) -> Result<(), Error> {
        let op = device::SetUser {
            users: vec![User {
                username: name.to_owned(),
                password: password.map(str::to_owned),
                level,
            }],
        };
        let secrets = password.map(str::to_owned).into_iter().collect();
        self.call_with_secrets(&op, secrets).await.map(drop)
    }

    /// Delete accounts by name (DeleteUsers).
    pub async fn delete_users(&self, names: &[String]) -> Result<(), Error> {
        self.call(&device::DeleteUsers {
            usernames: names.to_vec(),
        })
        .await
        .map(drop)
    }

    /// The DNS settings (GetDNS).
    pub async fn dns(&self) -> Result<device::DnsInformation, Error> {
        self.call(&device::GetDns).await
    }

    /// Set the DNS settings (SetDNS): from DHCP, or these servers; and the search domains.
    pub async fn set_dns(
        &self,
        from_dhcp: bool,
        servers: Vec<NetworkHost>,
        search_domains: Vec<String>,
    ) -> Result<(), Error> {
        self.call(&device::SetDns {
            from_dhcp,
            search_domains,
            manual: servers,
        })
        .await
        .map(drop)
    }

    /// Set the NTP settings (SetNTP): from DHCP, or these servers.
    pub async fn set_ntp(&self, from_dhcp: bool, servers: Vec<NetworkHost>) -> Result<(), Error> {
        self.call(&device::SetNtp {
            from_dhcp,
            manual: servers,
        })
        .await
        .map(drop)
    }

    /// Set the host name (SetHostname).
    pub async fn set_hostname(&self, name: &str) -> Result<(), Error> {
        self.call(&device::SetHostname {
            name: name.to_owned(),
        })
        .await
        .map(drop)
    }

    /// The network protocols and their ports (GetNetworkProtocols).
    pub async fn network_protocols(&self) -> Result<Vec<device::NetworkProtocol>, Error> {
        Ok(self.call(&device::GetNetworkProtocols).await?.protocols)
    }

    /// Change the protocols given (SetNetworkProtocols); the others keep their settings.
    pub async fn set_network_protocols(
        &self,
        protocols: Vec<device::NetworkProtocol>,
    ) -> Result<(), Error> {
        self.call(&device::SetNetworkProtocols { protocols })
            .await
            .map(drop)
    }

    /// The default gateway (GetNetworkDefaultGateway).
    pub async fn default_gateway(&self) -> Result<device::NetworkGateway, Error> {
        self.call(&device::GetNetworkDefaultGateway).await
    }

    /// Set the default gateway (SetNetworkDefaultGateway).
    pub async fn set_default_gateway(
        &self,
        ipv4: Vec<String>,
        ipv6: Vec<String>,
    ) -> Result<(), Error> {
        self.call(&device::SetNetworkDefaultGateway { ipv4, ipv6 })
            .await
            .map(drop)
    }

    /// Change a network interface (SetNetworkInterfaces): what `setting` leaves out is kept.
    /// `Ok(true)`: the camera takes the change at its next reboot and answers at its address
    /// until then. `Ok(false)`: it takes it at once, and a new address is where it answers
    /// from now on (Core 8.2.6).
    pub async fn set_network_interface(
        &self,
        token: &str,
        setting: device::NetworkInterfaceSetting,
    ) -> Result<bool, Error> {
        let r = self
            .call(&device::SetNetworkInterfaces {
                interface_token: token.to_owned(),
                interface: setting,
            })
            .await?;
        Ok(r.reboot_needed)
    }

    /// Whether the camera answers WS-Discovery probes (GetDiscoveryMode).
    pub async fn discovery_mode(&self) -> Result<device::DiscoveryMode, Error> {
        Ok(self.call(&device::GetDiscoveryMode).await?.mode)
    }

    /// Set the discovery mode (SetDiscoveryMode).
    pub async fn set_discovery_mode(&self, mode: device::DiscoveryMode) -> Result<(), Error> {
        self.call(&device::SetDiscoveryMode { mode })
            .await
            .map(drop)
    }

    /// Where the camera serves its logs, support information and backup (GetSystemUris).
    pub async fn system_uris(&self) -> Result<device::SystemUris, Error> {
        self.call(&device::GetSystemUris).await
    }

    /// A log (GetSystemLog): its text, or the reference to the attachment it came in.
    pub async fn system_log(
        &self,
        kind: device::SystemLogType,
    ) -> Result<device::SystemLog, Error> {
        self.call(&device::GetSystemLog { log_type: kind }).await
    }

    /// A log with its content: the text, or the bytes of the MTOM attachment the answer
    /// points at (found by its Content-ID, or the answer's only attachment when the reference
    /// names none of them, as some cameras write it), taken from this call's own answer.
    pub async fn system_log_content(
        &self,
        kind: device::SystemLogType,
    ) -> Result<LogContent, Error> {
        let url = self.endpoint(onvif_proto::Service::Device).await?;
        let op = device::GetSystemLog { log_type: kind };
        let env = self
            .call_raw(
                &url,
                <device::GetSystemLog as Operation>::ACTION,
                &op.body(),
            )
            .await?;
        let log = env
            .payload()
            .and_then(device::SystemLog::read)
            .map_err(|source| Error::Protocol {
                url: url.to_string(),
                source,
            })?;
        let Some(include) = log.binary.as_ref().and_then(|b| b.include.as_ref()) else {
            return Ok(LogContent {
                log,
                attachment: None,
            });
        };
        let cid = include.content_id();
        let by_id = env
            .attachments
            .iter()
            .find(|(id, _)| id.as_deref() == Some(cid.as_str()));
        let attachment = match (by_id, env.attachments.as_slice()) {
            (Some((_, bytes)), _) | (None, [(_, bytes)]) => Some(bytes.clone()),
            _ => None,
        };
        Ok(LogContent { log, attachment })
    }

    /// Reset the camera to its factory settings (SetSystemFactoryDefault). `Hard` resets its
    /// network settings too: the camera may come back at another address.
    pub async fn factory_default(&self, kind: device::FactoryDefault) -> Result<(), Error> {
        self.call(&device::SetSystemFactoryDefault { kind })
            .await
            .map(drop)
    }
}
