//! The options of the device settings commands: `users`, `scopes`, `dns`, `ntp`, `hostname`,
//! `protocols`, `gateway`, `logs`, `discovery-mode`, `factory-reset`.

use clap::{Args, Subcommand, ValueEnum};

/// How a new password is given: never as an argument.
pub const NEW_PASSWORD_HELP: &str = "\
The password comes from the environment variable ONVIF_NEW_PASSWORD when it is set, else it
is typed at the terminal (not shown, asked twice); never from an argument, which other local
users could see.";

/// Confirmation of a change that can cut the tool off from the camera.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Confirm {
    /// Do it without asking (needed when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub action: Option<UsersAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UsersAction {
    /// Create an account
    #[command(after_help = NEW_PASSWORD_HELP)]
    Add {
        /// The user name (letters, digits, '.', '_', '-')
        name: String,
        /// What the account may do
        #[arg(long, value_enum, default_value_t = Level::User)]
        level: Level,
    },
    /// Change an account's password
    #[command(after_help = NEW_PASSWORD_HELP)]
    Passwd {
        /// The user name
        name: String,
    },
    /// Change an account's level; demoting the account this tool logs in with needs --force
    Level {
        /// The user name
        name: String,
        /// The new level
        #[arg(value_enum)]
        level: Level,
        /// Demote the account this tool is using
        #[arg(long)]
        force: bool,
    },
    /// Delete an account; the account this tool logs in with needs --force
    Remove {
        /// The user name
        name: String,
        /// Delete the account this tool is using
        #[arg(long)]
        force: bool,
    },
}

/// `--level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// Everything, accounts and network settings included
    Administrator,
    /// Media and PTZ, not the device's settings
    Operator,
    /// Read-only use
    User,
}

#[derive(Debug, Clone, Args)]
pub struct DnsArgs {
    #[command(subcommand)]
    pub action: Option<DnsAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DnsAction {
    /// Set the DNS servers (or DHCP) and search domains
    Set {
        /// A DNS server's IP address (repeat for several)
        #[arg(long = "server", value_name = "IP")]
        servers: Vec<String>,
        /// A search domain (repeat for several; the camera's are kept when none is given, and
        /// its servers when only search domains are)
        #[arg(long = "search-domain", value_name = "DOMAIN")]
        search_domains: Vec<String>,
        /// Take the servers from DHCP
        #[arg(long, conflicts_with = "servers")]
        dhcp: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct NtpArgs {
    #[command(subcommand)]
    pub action: Option<NtpAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum NtpAction {
    /// Set the NTP servers (or DHCP)
    Set {
        /// An NTP server: IP address or host name (repeat for several)
        #[arg(long = "server", value_name = "HOST")]
        servers: Vec<String>,
        /// Take the servers from DHCP
        #[arg(long, conflicts_with = "servers")]
        dhcp: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ScopesArgs {
    #[command(subcommand)]
    pub action: Option<ScopesAction>,
}

/// A scope is a URI; a bare `location/garden` means `onvif://www.onvif.org/location/garden`.
#[derive(Debug, Clone, Subcommand)]
pub enum ScopesAction {
    /// The name the camera announces: its configurable name scopes become this one
    Name {
        /// The name, as it should read (`Front door`)
        value: String,
    },
    /// Where the camera is: its configurable location scopes become this one
    Location {
        /// The place, in parts separated by '/' (`city/Den Haag`, `garden/north`)
        value: String,
    },
    /// Add configurable scopes
    Add {
        /// Scope URIs (`onvif://www.onvif.org/location/garden`, or `location/garden`)
        #[arg(required = true)]
        scopes: Vec<String>,
    },
    /// Remove configurable scopes (fixed ones cannot be)
    Remove {
        /// Scope URIs, as `scopes` lists them (or `location/garden`)
        #[arg(required = true)]
        scopes: Vec<String>,
    },
    /// Replace every configurable scope with these
    Set {
        /// Scope URIs (`onvif://www.onvif.org/name/Porch`, or `name/Porch`)
        #[arg(required = true)]
        scopes: Vec<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct HostnameArgs {
    #[command(subcommand)]
    pub action: Option<HostnameAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum HostnameAction {
    /// Set the host name (asks first when the camera takes its name from DHCP)
    Set {
        /// The new name: letters, digits and '-' in labels separated by '.'
        name: String,
        #[command(flatten)]
        confirm: Confirm,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ProtocolsArgs {
    #[command(subcommand)]
    pub action: Option<ProtocolsAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ProtocolsAction {
    /// Turn protocols on at ports, or off; the tool may lose the camera, so it asks first
    Set {
        /// Protocols to turn on, with their port: http=80,rtsp=554
        #[arg(value_name = "NAME=PORT,...")]
        ports: Option<String>,
        /// A protocol to turn off: http, https or rtsp (repeat for several)
        #[arg(long, value_name = "NAME")]
        disable: Vec<String>,
        #[command(flatten)]
        confirm: Confirm,
    },
}

#[derive(Debug, Clone, Default, Args)]
pub struct NetworkArgs {
    #[command(subcommand)]
    pub action: Option<NetworkAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum NetworkAction {
    /// Change a network interface: its IPv4 address (set by hand, or from DHCP) or its MTU.
    /// The camera may move away from the address the tool reaches it at, so it asks first
    Set {
        /// The interface's token [default: the camera's first] (`network` lists them)
        #[arg(long, value_name = "TOKEN")]
        interface: Option<String>,
        /// The IPv4 address to set by hand, with its prefix length, e.g. 192.0.2.50/24 (DHCP
        /// is turned off)
        #[arg(long, value_name = "IP/PREFIX", conflicts_with = "dhcp")]
        address: Option<String>,
        /// Take the IPv4 address from DHCP
        #[arg(long)]
        dhcp: bool,
        /// The MTU, in bytes
        #[arg(long, value_name = "BYTES", allow_hyphen_values = true)]
        mtu: Option<u32>,
        /// When the camera takes the change only at a reboot, reboot it at once
        #[arg(long)]
        reboot: bool,
        #[command(flatten)]
        confirm: Confirm,
    },
}

#[derive(Debug, Clone, Args)]
pub struct GatewayArgs {
    #[command(subcommand)]
    pub action: Option<GatewayAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum GatewayAction {
    /// Set the default gateway; the tool may lose the camera, so it asks first
    Set {
        /// The gateway's IP address (IPv4 or IPv6; several for both)
        #[arg(required = true, value_name = "IP")]
        addresses: Vec<String>,
        #[command(flatten)]
        confirm: Confirm,
    },
}

#[derive(Debug, Clone, Args)]
pub struct LogsArgs {
    /// The system log (the default)
    #[arg(long, conflicts_with = "access")]
    pub system: bool,
    /// The access log
    #[arg(long)]
    pub access: bool,
    /// Write the log to FILE (a log sent as an attachment, often a .tgz, is written as sent)
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DiscoveryModeArgs {
    #[command(subcommand)]
    pub action: Option<DiscoveryModeAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DiscoveryModeAction {
    /// Set the mode; non-discoverable hides the camera from `discover`, so it asks first
    Set {
        /// discoverable or non-discoverable
        #[arg(value_enum)]
        mode: DiscoveryArg,
        #[command(flatten)]
        confirm: Confirm,
    },
}

/// `discovery-mode set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiscoveryArg {
    /// Answer WS-Discovery probes
    Discoverable,
    /// Stay silent on WS-Discovery
    NonDiscoverable,
}

#[derive(Debug, Clone, Args)]
pub struct FactoryResetArgs {
    /// Required: the camera's accounts, host name and network settings go back to the
    /// factory's (a soft reset, which keeps its address where the camera can)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub confirm: Confirm,
}
