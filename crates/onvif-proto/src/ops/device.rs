//! Device management service (ver10/device/wsdl).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::codec::Xml;
use crate::error::Error;
use crate::ns::{TDS, TT};
use crate::ops::capabilities::{flatten_into, write_capabilities, write_flags_as_elements};
use crate::ops::message::{parse_num, req_text};
use crate::ops::service::Service;
use crate::xml::{Element, Writer};
use crate::{operation, xml_enum};

pub mod host;
pub mod interfaces;
pub mod network;
pub mod scopes;
pub mod system;
pub mod users;

pub use host::NetworkHost;
pub use interfaces::{
    GetNetworkInterfaces, IpConfig, Ipv4Setting, NetworkInterface, NetworkInterfaceSetting,
    NetworkInterfaces, PrefixedAddress, SetNetworkInterfaces, SetNetworkInterfacesResponse,
    host_address_problem,
};
pub use network::{
    DiscoveryMode, DiscoveryModeResponse, DnsInformation, GetDiscoveryMode, GetDns,
    GetNetworkDefaultGateway, GetNetworkProtocols, NetworkGateway, NetworkProtocol,
    NetworkProtocols, SetDiscoveryMode, SetDiscoveryModeResponse, SetDns, SetDnsResponse,
    SetHostname, SetHostnameResponse, SetNetworkDefaultGateway, SetNetworkDefaultGatewayResponse,
    SetNetworkProtocols, SetNetworkProtocolsResponse, SetNtp, SetNtpResponse,
};
pub use scopes::{
    AddScopes, AddScopesResponse, GetScopes, RemoveScopes, RemoveScopesResponse, Scope, Scopes,
    SetScopes, SetScopesResponse, onvif_scope, percent_decode, percent_encode,
};
pub use system::{
    FactoryDefault, FirmwareUpload, GetSystemLog, GetSystemUris, GetWsdlUrl, LogAttachment,
    RestoreUpload, SetSystemFactoryDefault, SetSystemFactoryDefaultResponse, StartFirmwareUpgrade,
    StartSystemRestore, SystemLog, SystemLogType, SystemLogUri, SystemUris, WsdlUrl, XopInclude,
};
pub use users::{
    CreateUsers, CreateUsersResponse, DeleteUsers, DeleteUsersResponse, GetUsers, SetUser,
    SetUserResponse, User, UserLevel, Users,
};

// ---------------------------------------------------------------------------------------------
// GetSystemDateAndTime / SetSystemDateAndTime

/// Ask the device for its clock. Most cameras answer it without authentication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetSystemDateAndTime")]
pub struct GetSystemDateAndTime;
operation!(GetSystemDateAndTime => SystemDateAndTime, idempotent = true);

xml_enum! {
    /// How the device sets its clock.
    pub DateTimeType {
        /// Set by hand (SetSystemDateAndTime).
        Manual = "Manual",
        /// Kept by NTP.
        Ntp = "NTP",
    }
}

/// `tt:DateTime`: fields as the device sends them (not validated, so a camera's odd values can
/// still be shown; [`DateTime::to_timestamp`] normalises).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
pub struct DateTime {
    /// Hour, 0 to 23 (as sent, not checked).
    #[xml(child = "tt:Time/tt:Hour")]
    pub hour: i32,
    /// Minute, 0 to 59 (as sent).
    #[xml(child = "tt:Time/tt:Minute")]
    pub minute: i32,
    /// Second, 0 to 59 (as sent).
    #[xml(child = "tt:Time/tt:Second")]
    pub second: i32,
    /// Year (`2024`).
    #[xml(child = "tt:Date/tt:Year")]
    pub year: i32,
    /// Month, 1 to 12 (as sent).
    #[xml(child = "tt:Date/tt:Month")]
    pub month: i32,
    /// Day of the month, from 1 (as sent).
    #[xml(child = "tt:Date/tt:Day")]
    pub day: i32,
}

impl DateTime {
    /// The instant, taking the fields as UTC; out-of-range times carry over.
    pub fn to_timestamp(&self) -> Option<Timestamp> {
        crate::time::date_time_to_timestamp(
            i16::try_from(self.year).ok()?,
            i8::try_from(self.month).ok()?,
            i8::try_from(self.day).ok()?,
            self.hour.into(),
            self.minute.into(),
            self.second.into(),
            0,
            0,
        )
    }

    /// The UTC fields of an instant.
    pub fn from_timestamp(ts: Timestamp) -> Self {
        let dt = jiff::tz::TimeZone::UTC.to_datetime(ts);
        DateTime {
            year: dt.year().into(),
            month: dt.month().into(),
            day: dt.day().into(),
            hour: dt.hour().into(),
            minute: dt.minute().into(),
            second: dt.second().into(),
        }
    }
}

/// The device's clock and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetSystemDateAndTimeResponse")]
pub struct SystemDateAndTime {
    /// Whether the clock is set by hand or by NTP.
    #[xml(child = "tds:SystemDateAndTime/tt:DateTimeType")]
    pub date_time_type: DateTimeType,
    /// Whether daylight saving time is in effect (false when absent).
    #[xml(child = "tds:SystemDateAndTime/tt:DaylightSavings", default)]
    pub daylight_savings: bool,
    /// POSIX TZ string, e.g. `CST-8` or `BRT3`.
    #[xml(child = "tds:SystemDateAndTime/tt:TimeZone/tt:TZ")]
    pub time_zone: Option<String>,
    /// The clock in UTC; `None` when the device sent none.
    #[xml(child = "tds:SystemDateAndTime/tt:UTCDateTime")]
    pub utc: Option<DateTime>,
    /// The clock in local time; `None` when the device sent none.
    #[xml(child = "tds:SystemDateAndTime/tt:LocalDateTime")]
    pub local: Option<DateTime>,
}

impl SystemDateAndTime {
    /// The device's UTC clock as an instant, when it sent one that makes sense.
    pub fn utc_timestamp(&self) -> Option<Timestamp> {
        self.utc.as_ref().and_then(DateTime::to_timestamp)
    }
}

/// Set the device clock. With `Manual`, `utc` carries the time to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetSystemDateAndTime")]
pub struct SetSystemDateAndTime {
    /// Set the time by hand (`utc`) or let NTP keep it.
    #[xml(child = "tds:DateTimeType")]
    pub date_time_type: DateTimeType,
    /// Whether daylight saving time is in effect.
    #[xml(child = "tds:DaylightSavings")]
    pub daylight_savings: bool,
    /// POSIX TZ string to set; `None` leaves it out.
    #[xml(child = "tds:TimeZone/tt:TZ")]
    pub time_zone: Option<String>,
    /// The time to set, in UTC (with `Manual`); `None` leaves it out.
    #[xml(child = "tds:UTCDateTime")]
    pub utc: Option<DateTime>,
}

/// The empty answer to SetSystemDateAndTime.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetSystemDateAndTimeResponse")]
pub struct SetSystemDateAndTimeResponse;
operation!(SetSystemDateAndTime => SetSystemDateAndTimeResponse, idempotent = false);

// ---------------------------------------------------------------------------------------------
// GetDeviceInformation

/// Ask for maker, model and versions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetDeviceInformation")]
pub struct GetDeviceInformation;
operation!(GetDeviceInformation => DeviceInformation, idempotent = true);

/// Maker, model and versions. All five are required by the schema, but cameras leave some
/// out: what is absent reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetDeviceInformationResponse")]
pub struct DeviceInformation {
    /// The maker's name; empty when absent.
    #[xml(child = "tds:Manufacturer", default)]
    pub manufacturer: String,
    /// The model name; empty when absent.
    #[xml(child = "tds:Model", default)]
    pub model: String,
    /// The firmware version; empty when absent.
    #[xml(child = "tds:FirmwareVersion", default)]
    pub firmware_version: String,
    /// The serial number; empty when absent.
    #[xml(child = "tds:SerialNumber", default)]
    pub serial_number: String,
    /// The hardware identifier; empty when absent.
    #[xml(child = "tds:HardwareId", default)]
    pub hardware_id: String,
}

// ---------------------------------------------------------------------------------------------
// GetCapabilities

/// GetCapabilities for one category or `All`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetCapabilities")]
pub struct GetCapabilities {
    /// `All` (the default, and what an absent element reads as) or one category (`Media`, `PTZ`).
    #[xml(child = "tds:Category", default = r#""All".to_owned()"#)]
    pub category: String,
}

impl Default for GetCapabilities {
    fn default() -> Self {
        GetCapabilities {
            category: "All".into(),
        }
    }
}
operation!(GetCapabilities => Capabilities, idempotent = true);

/// One capability category: its service address and its flags (flattened `Child.Attr` or
/// `Child/Leaf` -> value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapabilityEntry {
    /// `Device`, `Media`, `PTZ`, `Events`, `Imaging`, `Analytics`, or an extension's name.
    pub category: String,
    /// The service this category maps to, when we know it.
    pub service: Option<Service>,
    /// The category's service address; `None` when absent or empty.
    pub xaddr: Option<String>,
    /// The category's other content, flattened: `StreamingCapabilities.RTP_TCP` -> `true`.
    pub flags: BTreeMap<String, String>,
}

/// The answer to GetCapabilities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetCapabilitiesResponse")]
pub struct Capabilities {
    /// One entry per category, extensions included.
    #[xml(with = "capability_entries")]
    pub entries: Vec<CapabilityEntry>,
}

impl Capabilities {
    /// Is GetCapabilities worth asking for this service? Media2 came with GetServices: a
    /// camera that has it lists it there.
    pub fn can_list(service: Service) -> bool {
        service != Service::Media2
    }

    /// The service address for a service, if the device gave one.
    pub fn xaddr(&self, service: Service) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.service == Some(service))
            .and_then(|e| e.xaddr.as_deref())
    }
}

fn category_service(name: &str) -> Option<Service> {
    Some(match name {
        "Device" => Service::Device,
        "Media" => Service::Media,
        "Media2" => Service::Media2,
        "PTZ" => Service::Ptz,
        "Imaging" => Service::Imaging,
        "Events" => Service::Events,
        "Analytics" => Service::Analytics,
        "DeviceIO" => Service::DeviceIo,
        "Recording" => Service::Recording,
        "Search" => Service::Search,
        "Replay" => Service::Replay,
        _ => return None,
    })
}

/// `#[xml(with)]` for GetCapabilities' categories: `tds:Capabilities` and its `Extension`s,
/// one entry per category with its flags flattened.
mod capability_entries {
    use super::*;

    pub(super) fn write(c: &Capabilities, w: &mut Writer, _tag: &str) {
        w.open("tds:Capabilities", &[]);
        let mut in_ext = false;
        for e in &c.entries {
            let core = matches!(
                e.category.as_str(),
                "Analytics" | "Device" | "Events" | "Imaging" | "Media" | "PTZ"
            );
            if !core && !in_ext {
                w.open("tt:Extension", &[]);
                in_ext = true;
            }
            let tag = format!("tt:{}", e.category);
            w.open(&tag, &[]);
            w.leaf_opt("tt:XAddr", e.xaddr.as_deref());
            // Flags go back as nested elements (`StreamingCapabilities.RTP_TCP`), so reading
            // the result gives the same flags.
            let flags: Vec<(&str, &str)> = e
                .flags
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            write_flags_as_elements(w, &e.category, &flags);
            w.close(&tag);
        }
        if in_ext {
            w.close("tt:Extension");
        }
        w.close("tds:Capabilities");
    }

    pub(super) fn read(el: &Element) -> Result<Vec<CapabilityEntry>, Error> {
        let caps = el
            .child(TDS, "Capabilities")
            .ok_or_else(|| Error::missing("GetCapabilitiesResponse/Capabilities"))?;
        let mut entries = Vec::new();
        let mut push = |c: &Element| {
            let mut flags = BTreeMap::new();
            flatten_into("", c, &mut flags);
            entries.push(CapabilityEntry {
                category: c.name.clone(),
                service: category_service(&c.name),
                // XAddr is tt: by schema; some firmwares put it in their own namespace.
                xaddr: c
                    .child_any_ns("XAddr")
                    .map(|x| x.text().to_owned())
                    .filter(|x| !x.is_empty()),
                flags,
            });
        };
        for c in &caps.children {
            if c.name == "Extension" {
                for x in &c.children {
                    if x.name == "Extension" {
                        x.children.iter().for_each(&mut push);
                    } else {
                        push(x);
                    }
                }
            } else {
                push(c);
            }
        }
        Ok(entries)
    }
}

// ---------------------------------------------------------------------------------------------
// GetServices

/// GetServices; with `include_capability` each service carries its capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetServices")]
pub struct GetServices {
    /// Ask for each service's capabilities too.
    #[xml(child = "tds:IncludeCapability", default)]
    pub include_capability: bool,
}
operation!(GetServices => Services, idempotent = true);

/// One service the device offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct ServiceInfo {
    /// The service's WSDL namespace, as the device wrote it.
    #[xml(child = "tds:Namespace")]
    pub namespace: String,
    /// The service, when we know its namespace.
    #[xml(computed = "Service::from_namespace(&namespace)")]
    pub service: Option<Service>,
    /// The service's address.
    #[xml(child = "tds:XAddr")]
    pub xaddr: String,
    /// Capabilities, flattened (`Network.NTP` -> `1`), when asked for and sent.
    #[xml(with = "service_entry_capabilities")]
    pub capabilities: BTreeMap<String, String>,
    /// The service's version as (major, minor); `None` when absent.
    #[xml(with = "service_version")]
    pub version: Option<(u32, u32)>,
}

/// `#[xml(with)]` for a GetServices entry's `Capabilities`: whatever element it holds (the
/// service's own `Capabilities`), flattened; written back in the service's namespace.
mod service_entry_capabilities {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<BTreeMap<String, String>, Error> {
        let mut flags = BTreeMap::new();
        if let Some(inner) = el.child(TDS, "Capabilities").and_then(Element::first_child) {
            flatten_into("", inner, &mut flags);
        }
        Ok(flags)
    }

    pub(super) fn write(s: &ServiceInfo, w: &mut Writer, _: &str) {
        if !s.capabilities.is_empty() {
            w.open("tds:Capabilities", &[]);
            write_capabilities(w, "svc", &[("xmlns:svc", &s.namespace)], &s.capabilities);
            w.close("tds:Capabilities");
        }
    }
}

/// `#[xml(with)]` for a GetServices entry's `Version` (`tt:Major`, `tt:Minor`).
mod service_version {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Option<(u32, u32)>, Error> {
        let Some(v) = el.child(TDS, "Version") else {
            return Ok(None);
        };
        Ok(Some((
            parse_num("Version/Major", req_text(v, TT, "Major")?)?,
            parse_num("Version/Minor", req_text(v, TT, "Minor")?)?,
        )))
    }

    pub(super) fn write(s: &ServiceInfo, w: &mut Writer, _: &str) {
        if let Some((major, minor)) = s.version {
            w.open("tds:Version", &[])
                .leaf("tt:Major", &major.to_string())
                .leaf("tt:Minor", &minor.to_string())
                .close("tds:Version");
        }
    }
}

/// The answer to GetServices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetServicesResponse")]
pub struct Services {
    /// Every service the device lists, in its order.
    #[xml(child = "tds:Service")]
    pub services: Vec<ServiceInfo>,
}

impl Services {
    /// The address of `service`, if the device lists it.
    pub fn xaddr(&self, service: Service) -> Option<&str> {
        self.services
            .iter()
            .find(|s| s.service == Some(service))
            .map(|s| s.xaddr.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities (device)

/// The device service's capabilities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetServiceCapabilities")]
pub struct GetServiceCapabilities;
operation!(GetServiceCapabilities => ServiceCapabilities, idempotent = true);

pub use crate::ops::capabilities::ServiceCapabilities;

// ---------------------------------------------------------------------------------------------
// GetHostname

/// Ask for the device's host name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetHostname")]
pub struct GetHostname;
operation!(GetHostname => HostnameInformation, idempotent = true);

/// The host name, and whether DHCP set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetHostnameResponse")]
pub struct HostnameInformation {
    /// Whether the name came from DHCP (false when absent).
    #[xml(child = "tds:HostnameInformation/tt:FromDHCP", default)]
    pub from_dhcp: bool,
    /// The host name; `None` when the device has none.
    #[xml(child = "tds:HostnameInformation/tt:Name")]
    pub name: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// GetNTP

/// Ask for the device's NTP settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNTP")]
pub struct GetNtp;
operation!(GetNtp => NtpInformation, idempotent = true);

/// The NTP settings: servers from DHCP and set by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetNTPResponse")]
pub struct NtpInformation {
    /// Whether the device takes its NTP servers from DHCP (false when absent).
    #[xml(child = "tds:NTPInformation/tt:FromDHCP", default)]
    pub from_dhcp: bool,
    /// Servers learned from DHCP.
    #[xml(child = "tds:NTPInformation/tt:NTPFromDHCP")]
    pub dhcp: Vec<NetworkHost>,
    /// Servers set by hand.
    #[xml(child = "tds:NTPInformation/tt:NTPManual")]
    pub manual: Vec<NetworkHost>,
}

// ---------------------------------------------------------------------------------------------
// SystemReboot

/// Reboot the device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SystemReboot")]
pub struct SystemReboot;
operation!(SystemReboot => RebootResponse, idempotent = false);

/// The answer to SystemReboot: what the device says it will do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SystemRebootResponse")]
pub struct RebootResponse {
    /// What the device says it will do (`Rebooting in 30 seconds`); empty when absent.
    #[xml(child = "tds:Message", default)]
    pub message: String,
}

#[cfg(test)]
mod tests;
