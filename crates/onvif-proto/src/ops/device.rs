//! Device management service (ver10/device/wsdl).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::error::Error;
use crate::ns::{TDS, TT};
use crate::ops::{Message, Service, expect, opt_text, parse_bool, parse_num, req_text};
use crate::xml::{Element, Writer};
use crate::{empty_message, operation};

// ---------------------------------------------------------------------------------------------
// GetSystemDateAndTime / SetSystemDateAndTime

empty_message!(
    /// Ask the device for its clock. Most cameras answer it without authentication.
    GetSystemDateAndTime, TDS, "tds", "GetSystemDateAndTime"
);
operation!(GetSystemDateAndTime => SystemDateAndTime, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetSystemDateAndTime", idempotent = true);

/// How the device sets its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DateTimeType {
    Manual,
    #[serde(rename = "NTP")]
    Ntp,
}

impl DateTimeType {
    fn as_str(self) -> &'static str {
        match self {
            DateTimeType::Manual => "Manual",
            DateTimeType::Ntp => "NTP",
        }
    }

    fn parse(v: &str) -> Result<Self, Error> {
        match v.trim() {
            "Manual" | "manual" => Ok(DateTimeType::Manual),
            "NTP" | "Ntp" | "ntp" => Ok(DateTimeType::Ntp),
            other => Err(Error::invalid(
                "DateTimeType",
                other,
                "expected Manual or NTP",
            )),
        }
    }
}

/// `tt:DateTime`: fields as the device sends them (not validated, so a camera's odd values can
/// still be shown; [`DateTime::to_timestamp`] normalises).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateTime {
    pub year: i32,
    pub month: i32,
    pub day: i32,
    pub hour: i32,
    pub minute: i32,
    pub second: i32,
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

    fn read(el: &Element) -> Result<Self, Error> {
        let time = el
            .child(TT, "Time")
            .ok_or_else(|| Error::missing("DateTime/Time"))?;
        let date = el
            .child(TT, "Date")
            .ok_or_else(|| Error::missing("DateTime/Date"))?;
        let n = |e: &Element, name: &str| -> Result<i32, Error> {
            parse_num(name, req_text(e, TT, name)?)
        };
        Ok(DateTime {
            year: n(date, "Year")?,
            month: n(date, "Month")?,
            day: n(date, "Day")?,
            hour: n(time, "Hour")?,
            minute: n(time, "Minute")?,
            second: n(time, "Second")?,
        })
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        w.open("tt:Time", &[])
            .leaf("tt:Hour", &self.hour.to_string())
            .leaf("tt:Minute", &self.minute.to_string())
            .leaf("tt:Second", &self.second.to_string())
            .close("tt:Time");
        w.open("tt:Date", &[])
            .leaf("tt:Year", &self.year.to_string())
            .leaf("tt:Month", &self.month.to_string())
            .leaf("tt:Day", &self.day.to_string())
            .close("tt:Date");
        w.close(tag);
    }
}

/// The device's clock and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemDateAndTime {
    pub date_time_type: DateTimeType,
    pub daylight_savings: bool,
    /// POSIX TZ string, e.g. `CST-8` or `BRT3`.
    pub time_zone: Option<String>,
    pub utc: Option<DateTime>,
    pub local: Option<DateTime>,
}

impl SystemDateAndTime {
    /// The device's UTC clock as an instant, when it sent one that makes sense.
    pub fn utc_timestamp(&self) -> Option<Timestamp> {
        self.utc.as_ref().and_then(DateTime::to_timestamp)
    }
}

impl Message for SystemDateAndTime {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetSystemDateAndTimeResponse", &[]);
        w.open("tds:SystemDateAndTime", &[]);
        w.leaf("tt:DateTimeType", self.date_time_type.as_str());
        w.leaf("tt:DaylightSavings", bool_str(self.daylight_savings));
        if let Some(tz) = &self.time_zone {
            w.open("tt:TimeZone", &[])
                .leaf("tt:TZ", tz)
                .close("tt:TimeZone");
        }
        if let Some(u) = &self.utc {
            u.write(w, "tt:UTCDateTime");
        }
        if let Some(l) = &self.local {
            l.write(w, "tt:LocalDateTime");
        }
        w.close("tds:SystemDateAndTime");
        w.close("tds:GetSystemDateAndTimeResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetSystemDateAndTimeResponse")?;
        let sdt = el
            .child(TDS, "SystemDateAndTime")
            .ok_or_else(|| Error::missing("SystemDateAndTime"))?;
        Ok(SystemDateAndTime {
            date_time_type: DateTimeType::parse(req_text(sdt, TT, "DateTimeType")?)?,
            daylight_savings: sdt
                .child_text(TT, "DaylightSavings")
                .map(|v| parse_bool("DaylightSavings", v))
                .transpose()?
                .unwrap_or(false),
            time_zone: sdt
                .child(TT, "TimeZone")
                .and_then(|t| opt_text(t, TT, "TZ")),
            utc: sdt
                .child(TT, "UTCDateTime")
                .map(DateTime::read)
                .transpose()?,
            local: sdt
                .child(TT, "LocalDateTime")
                .map(DateTime::read)
                .transpose()?,
        })
    }
}

/// Set the device clock. With `Manual`, `utc` carries the time to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetSystemDateAndTime {
    pub date_time_type: DateTimeType,
    pub daylight_savings: bool,
    pub time_zone: Option<String>,
    pub utc: Option<DateTime>,
}

impl Message for SetSystemDateAndTime {
    fn write(&self, w: &mut Writer) {
        w.open("tds:SetSystemDateAndTime", &[]);
        w.leaf("tds:DateTimeType", self.date_time_type.as_str());
        w.leaf("tds:DaylightSavings", bool_str(self.daylight_savings));
        if let Some(tz) = &self.time_zone {
            w.open("tds:TimeZone", &[])
                .leaf("tt:TZ", tz)
                .close("tds:TimeZone");
        }
        if let Some(u) = &self.utc {
            u.write(w, "tds:UTCDateTime");
        }
        w.close("tds:SetSystemDateAndTime");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "SetSystemDateAndTime")?;
        Ok(SetSystemDateAndTime {
            date_time_type: DateTimeType::parse(req_text(el, TDS, "DateTimeType")?)?,
            daylight_savings: parse_bool("DaylightSavings", req_text(el, TDS, "DaylightSavings")?)?,
            time_zone: el
                .child(TDS, "TimeZone")
                .and_then(|t| opt_text(t, TT, "TZ")),
            utc: el
                .child(TDS, "UTCDateTime")
                .map(DateTime::read)
                .transpose()?,
        })
    }
}

empty_message!(
    /// The empty answer to SetSystemDateAndTime.
    SetSystemDateAndTimeResponse, TDS, "tds", "SetSystemDateAndTimeResponse"
);
operation!(SetSystemDateAndTime => SetSystemDateAndTimeResponse, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "SetSystemDateAndTime", idempotent = false);

// ---------------------------------------------------------------------------------------------
// GetDeviceInformation

empty_message!(GetDeviceInformation, TDS, "tds", "GetDeviceInformation");
operation!(GetDeviceInformation => DeviceInformation, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetDeviceInformation", idempotent = true);

/// Maker, model and versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeviceInformation {
    pub manufacturer: String,
    pub model: String,
    pub firmware_version: String,
    pub serial_number: String,
    pub hardware_id: String,
}

impl Message for DeviceInformation {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetDeviceInformationResponse", &[])
            .leaf("tds:Manufacturer", &self.manufacturer)
            .leaf("tds:Model", &self.model)
            .leaf("tds:FirmwareVersion", &self.firmware_version)
            .leaf("tds:SerialNumber", &self.serial_number)
            .leaf("tds:HardwareId", &self.hardware_id)
            .close("tds:GetDeviceInformationResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetDeviceInformationResponse")?;
        // All five are required by the schema, but cameras leave some out: read what is there.
        let t = |n: &str| el.child_text(TDS, n).unwrap_or_default().to_owned();
        Ok(DeviceInformation {
            manufacturer: t("Manufacturer"),
            model: t("Model"),
            firmware_version: t("FirmwareVersion"),
            serial_number: t("SerialNumber"),
            hardware_id: t("HardwareId"),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// GetCapabilities

/// GetCapabilities for one category or `All`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetCapabilities {
    pub category: String,
}

impl Default for GetCapabilities {
    fn default() -> Self {
        GetCapabilities {
            category: "All".into(),
        }
    }
}

impl Message for GetCapabilities {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetCapabilities", &[])
            .leaf("tds:Category", &self.category)
            .close("tds:GetCapabilities");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetCapabilities")?;
        Ok(GetCapabilities {
            category: el.child_text(TDS, "Category").unwrap_or("All").to_owned(),
        })
    }
}
operation!(GetCapabilities => Capabilities, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetCapabilities", idempotent = true);

/// One capability category: its service address and its flags (flattened `Child.Attr` or
/// `Child/Leaf` -> value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapabilityEntry {
    /// `Device`, `Media`, `PTZ`, `Events`, `Imaging`, `Analytics`, or an extension's name.
    pub category: String,
    /// The service this category maps to, when we know it.
    pub service: Option<Service>,
    pub xaddr: Option<String>,
    pub flags: BTreeMap<String, String>,
}

/// The answer to GetCapabilities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
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

fn flatten_into(prefix: &str, el: &Element, out: &mut BTreeMap<String, String>) {
    for a in &el.attrs {
        out.insert(join_key(prefix, &a.name), a.value.clone());
    }
    for c in &el.children {
        if c.name == "XAddr" {
            continue;
        }
        let key = join_key(prefix, &c.name);
        if c.children.is_empty() && c.attrs.is_empty() {
            let v = c.text().to_owned();
            out.entry(key)
                .and_modify(|old| {
                    old.push(' ');
                    old.push_str(&v);
                })
                .or_insert(v);
        } else {
            flatten_into(&key, c, out);
        }
    }
}

/// Split a flattened key at its first `.` that starts a name: `Security.TLS1.1` is
/// (`Security`, `TLS1.1`), since a name cannot start with a digit (`TLS1.0`, `X.509Token`).
fn split_key(key: &str) -> Option<(&str, &str)> {
    key.match_indices('.')
        .map(|(i, _)| i)
        .find(|&i| {
            key[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii_digit())
        })
        .map(|i| (&key[..i], &key[i + 1..]))
}

/// Write flattened flags (sorted by key) as `tt:` elements, nesting on each key's groups.
fn write_flags_as_elements(w: &mut Writer, flags: &[(&str, &str)]) {
    let mut i = 0;
    while i < flags.len() {
        let (key, value) = flags[i];
        let Some((head, _)) = split_key(key) else {
            w.leaf(&format!("tt:{key}"), value);
            i += 1;
            continue;
        };
        let mut group = Vec::new();
        while let Some((k, v)) = flags.get(i) {
            match split_key(k) {
                Some((h, rest)) if h == head => group.push((rest, *v)),
                _ => break,
            }
            i += 1;
        }
        let tag = format!("tt:{head}");
        w.open(&tag, &[]);
        write_flags_as_elements(w, &group);
        w.close(&tag);
    }
}

fn join_key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

impl Message for Capabilities {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetCapabilitiesResponse", &[])
            .open("tds:Capabilities", &[]);
        let mut in_ext = false;
        for e in &self.entries {
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
            write_flags_as_elements(w, &flags);
            w.close(&tag);
        }
        if in_ext {
            w.close("tt:Extension");
        }
        w.close("tds:Capabilities")
            .close("tds:GetCapabilitiesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetCapabilitiesResponse")?;
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
        Ok(Capabilities { entries })
    }
}

// ---------------------------------------------------------------------------------------------
// GetServices

/// GetServices; with `include_capability` each service carries its capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GetServices {
    pub include_capability: bool,
}

impl Message for GetServices {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetServices", &[])
            .leaf("tds:IncludeCapability", bool_str(self.include_capability))
            .close("tds:GetServices");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetServices")?;
        Ok(GetServices {
            include_capability: el
                .child_text(TDS, "IncludeCapability")
                .map(|v| parse_bool("IncludeCapability", v))
                .transpose()?
                .unwrap_or(false),
        })
    }
}
operation!(GetServices => Services, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetServices", idempotent = true);

/// One service the device offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceInfo {
    pub namespace: String,
    /// The service, when we know its namespace.
    pub service: Option<Service>,
    pub xaddr: String,
    pub version: Option<(u32, u32)>,
    /// Capabilities, flattened (`Network.NTP` -> `1`), when asked for and sent.
    pub capabilities: BTreeMap<String, String>,
}

/// The answer to GetServices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Services {
    pub services: Vec<ServiceInfo>,
}

impl Services {
    pub fn xaddr(&self, service: Service) -> Option<&str> {
        self.services
            .iter()
            .find(|s| s.service == Some(service))
            .map(|s| s.xaddr.as_str())
    }
}

impl Message for Services {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetServicesResponse", &[]);
        for s in &self.services {
            w.open("tds:Service", &[]);
            w.leaf("tds:Namespace", &s.namespace)
                .leaf("tds:XAddr", &s.xaddr);
            if !s.capabilities.is_empty() {
                w.open("tds:Capabilities", &[]);
                write_capabilities(w, "svc", &[("xmlns:svc", &s.namespace)], &s.capabilities);
                w.close("tds:Capabilities");
            }
            if let Some((major, minor)) = s.version {
                w.open("tds:Version", &[])
                    .leaf("tt:Major", &major.to_string())
                    .leaf("tt:Minor", &minor.to_string())
                    .close("tds:Version");
            }
            w.close("tds:Service");
        }
        w.close("tds:GetServicesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetServicesResponse")?;
        let mut services = Vec::new();
        for s in el.children_named(TDS, "Service") {
            let namespace = req_text(s, TDS, "Namespace")?.to_owned();
            let version = match s.child(TDS, "Version") {
                Some(v) => Some((
                    parse_num("Version/Major", req_text(v, TT, "Major")?)?,
                    parse_num("Version/Minor", req_text(v, TT, "Minor")?)?,
                )),
                None => None,
            };
            let mut capabilities = BTreeMap::new();
            if let Some(inner) = s.child(TDS, "Capabilities").and_then(Element::first_child) {
                flatten_into("", inner, &mut capabilities);
            }
            services.push(ServiceInfo {
                service: Service::from_namespace(&namespace),
                namespace,
                xaddr: req_text(s, TDS, "XAddr")?.to_owned(),
                version,
                capabilities,
            });
        }
        Ok(Services { services })
    }
}

/// Write flattened capabilities back as one `{prefix}:Capabilities` element: `A` -> attribute,
/// `Child.A` -> attribute of a child element. Keys are split at the first dot that starts a
/// name ([`split_key`]), so `Security.TLS1.2` reads back as the same key. `attrs` go on the
/// element first (a namespace declaration, say). Every service's capabilities use this.
pub(crate) fn write_capabilities(
    w: &mut Writer,
    prefix: &str,
    attrs: &[(&str, &str)],
    flat: &BTreeMap<String, String>,
) {
    let tag = format!("{prefix}:Capabilities");
    let mut top: Vec<(&str, &str)> = attrs.to_vec();
    let mut groups: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (k, v) in flat {
        match split_key(k) {
            None => top.push((k.as_str(), v.as_str())),
            Some((g, a)) => groups.entry(g).or_default().push((a, v.as_str())),
        }
    }
    if groups.is_empty() {
        w.empty(&tag, &top);
        return;
    }
    w.open(&tag, &top);
    for (g, attrs) in groups {
        w.empty(&format!("{prefix}:{g}"), &attrs);
    }
    w.close(&tag);
}

/// A whole `{prefix}:GetServiceCapabilitiesResponse` around [`write_capabilities`].
pub(crate) fn write_service_capabilities_response(
    w: &mut Writer,
    prefix: &str,
    flat: &BTreeMap<String, String>,
) {
    let resp = format!("{prefix}:GetServiceCapabilitiesResponse");
    w.open(&resp, &[]);
    write_capabilities(w, prefix, &[], flat);
    w.close(&resp);
}

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities (device)

empty_message!(GetServiceCapabilities, TDS, "tds", "GetServiceCapabilities");
operation!(GetServiceCapabilities => ServiceCapabilities, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetServiceCapabilities", idempotent = true);

/// Any service's capabilities, flattened: `Network.NTP` -> `1`, `Security.UsernameToken` ->
/// `true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceCapabilities {
    pub flags: BTreeMap<String, String>,
}

impl ServiceCapabilities {
    /// A flag read as a boolean (`true`/`1`).
    pub fn flag(&self, key: &str) -> bool {
        self.flags
            .get(key)
            .is_some_and(|v| parse_bool(key, v).unwrap_or(false))
    }

    /// Read the `Capabilities` element inside any service's GetServiceCapabilitiesResponse.
    pub fn read_in(el: &Element, service_ns: &str) -> Result<Self, Error> {
        expect(el, service_ns, "GetServiceCapabilitiesResponse")?;
        let caps = el
            .child(service_ns, "Capabilities")
            .ok_or_else(|| Error::missing("GetServiceCapabilitiesResponse/Capabilities"))?;
        let mut flags = BTreeMap::new();
        flatten_into("", caps, &mut flags);
        Ok(ServiceCapabilities { flags })
    }
}

impl Message for ServiceCapabilities {
    fn write(&self, w: &mut Writer) {
        write_service_capabilities_response(w, "tds", &self.flags);
    }

    fn read(el: &Element) -> Result<Self, Error> {
        Self::read_in(el, TDS)
    }
}

// ---------------------------------------------------------------------------------------------
// GetScopes

empty_message!(GetScopes, TDS, "tds", "GetScopes");
operation!(GetScopes => Scopes, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetScopes", idempotent = true);

/// One scope URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// `Fixed` or `Configurable`.
    pub definition: String,
    pub item: String,
}

impl Scope {
    /// For `onvif://www.onvif.org/<category>/<value>`: the category and the percent-decoded
    /// value (`name`, `Garden Cam`).
    pub fn onvif_parts(&self) -> Option<(String, String)> {
        let rest = self.item.strip_prefix("onvif://www.onvif.org/")?;
        let (cat, val) = rest.split_once('/').unwrap_or((rest, ""));
        Some((cat.to_owned(), percent_decode(val)))
    }
}

/// Decode `%XX` escapes; invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The answer to GetScopes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scopes {
    pub scopes: Vec<Scope>,
}

impl Message for Scopes {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetScopesResponse", &[]);
        for s in &self.scopes {
            w.open("tds:Scopes", &[])
                .leaf("tt:ScopeDef", &s.definition)
                .leaf("tt:ScopeItem", &s.item)
                .close("tds:Scopes");
        }
        w.close("tds:GetScopesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetScopesResponse")?;
        let scopes = el
            .children_named(TDS, "Scopes")
            .map(|s| Scope {
                definition: s.child_text(TT, "ScopeDef").unwrap_or_default().to_owned(),
                item: s.child_text(TT, "ScopeItem").unwrap_or_default().to_owned(),
            })
            .collect();
        Ok(Scopes { scopes })
    }
}

// ---------------------------------------------------------------------------------------------
// GetHostname

empty_message!(GetHostname, TDS, "tds", "GetHostname");
operation!(GetHostname => HostnameInformation, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetHostname", idempotent = true);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostnameInformation {
    pub from_dhcp: bool,
    pub name: Option<String>,
}

impl Message for HostnameInformation {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetHostnameResponse", &[])
            .open("tds:HostnameInformation", &[]);
        w.leaf("tt:FromDHCP", bool_str(self.from_dhcp));
        w.leaf_opt("tt:Name", self.name.as_deref());
        w.close("tds:HostnameInformation")
            .close("tds:GetHostnameResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetHostnameResponse")?;
        let h = el
            .child(TDS, "HostnameInformation")
            .ok_or_else(|| Error::missing("HostnameInformation"))?;
        Ok(HostnameInformation {
            from_dhcp: h
                .child_text(TT, "FromDHCP")
                .map(|v| parse_bool("FromDHCP", v))
                .transpose()?
                .unwrap_or(false),
            name: opt_text(h, TT, "Name"),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// GetNetworkInterfaces

empty_message!(GetNetworkInterfaces, TDS, "tds", "GetNetworkInterfaces");
operation!(GetNetworkInterfaces => NetworkInterfaces, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetNetworkInterfaces", idempotent = true);

/// An address with its prefix length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrefixedAddress {
    pub address: String,
    pub prefix_length: u8,
}

/// IPv4 or IPv6 settings of an interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IpConfig {
    pub enabled: bool,
    /// `true`/`false` for IPv4; `Auto`/`Stateful`/`Stateless`/`Off` for IPv6.
    pub dhcp: Option<String>,
    pub manual: Vec<PrefixedAddress>,
    pub link_local: Vec<PrefixedAddress>,
    pub from_dhcp: Vec<PrefixedAddress>,
    /// IPv6 addresses learned from router advertisements (`FromRA`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from_ra: Vec<PrefixedAddress>,
    /// IPv6 `AcceptRouterAdvert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_router_advert: Option<bool>,
}

/// One network interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NetworkInterface {
    pub token: String,
    pub enabled: bool,
    pub name: Option<String>,
    pub hw_address: Option<String>,
    pub mtu: Option<u32>,
    pub ipv4: Option<IpConfig>,
    pub ipv6: Option<IpConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NetworkInterfaces {
    pub interfaces: Vec<NetworkInterface>,
}

fn read_prefixed(cfg: &Element, name: &str) -> Result<Vec<PrefixedAddress>, Error> {
    cfg.children_named(TT, name)
        .map(|a| {
            Ok(PrefixedAddress {
                address: req_text(a, TT, "Address")?.to_owned(),
                prefix_length: parse_num("PrefixLength", req_text(a, TT, "PrefixLength")?)?,
            })
        })
        .collect()
}

fn read_ip(el: &Element) -> Result<IpConfig, Error> {
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
    Ok(IpConfig {
        enabled,
        dhcp: opt_text(cfg, TT, "DHCP"),
        manual: read_prefixed(cfg, "Manual")?,
        link_local: read_prefixed(cfg, "LinkLocal")?,
        from_dhcp: read_prefixed(cfg, "FromDHCP")?,
        from_ra: read_prefixed(cfg, "FromRA")?,
        accept_router_advert: cfg
            .child_text(TT, "AcceptRouterAdvert")
            .map(|v| parse_bool("AcceptRouterAdvert", v))
            .transpose()?,
    })
}

/// Write `tt:IPv4` or `tt:IPv6` in schema order: IPv6 puts AcceptRouterAdvert and DHCP first,
/// IPv4 puts DHCP last.
fn write_ip(w: &mut Writer, tag: &str, ip: &IpConfig) {
    let v6 = tag == "tt:IPv6";
    w.open(tag, &[]).leaf("tt:Enabled", bool_str(ip.enabled));
    w.open("tt:Config", &[]);
    if v6 {
        w.leaf_opt(
            "tt:AcceptRouterAdvert",
            ip.accept_router_advert.map(bool_str),
        );
        w.leaf_opt("tt:DHCP", ip.dhcp.as_deref());
    }
    for (name, list) in [
        ("tt:Manual", &ip.manual),
        ("tt:LinkLocal", &ip.link_local),
        ("tt:FromDHCP", &ip.from_dhcp),
        ("tt:FromRA", &ip.from_ra),
    ] {
        for a in list {
            w.open(name, &[])
                .leaf("tt:Address", &a.address)
                .leaf("tt:PrefixLength", &a.prefix_length.to_string())
                .close(name);
        }
    }
    if !v6 {
        w.leaf_opt("tt:DHCP", ip.dhcp.as_deref());
    }
    w.close("tt:Config").close(tag);
}

impl Message for NetworkInterfaces {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetNetworkInterfacesResponse", &[]);
        for i in &self.interfaces {
            w.open("tds:NetworkInterfaces", &[("token", &i.token)]);
            w.leaf("tt:Enabled", bool_str(i.enabled));
            if i.name.is_some() || i.hw_address.is_some() || i.mtu.is_some() {
                w.open("tt:Info", &[]);
                w.leaf_opt("tt:Name", i.name.as_deref());
                w.leaf_opt("tt:HwAddress", i.hw_address.as_deref());
                w.leaf_opt("tt:MTU", i.mtu.map(|m| m.to_string()).as_deref());
                w.close("tt:Info");
            }
            if let Some(v4) = &i.ipv4 {
                write_ip(w, "tt:IPv4", v4);
            }
            if let Some(v6) = &i.ipv6 {
                write_ip(w, "tt:IPv6", v6);
            }
            w.close("tds:NetworkInterfaces");
        }
        w.close("tds:GetNetworkInterfacesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetNetworkInterfacesResponse")?;
        let mut interfaces = Vec::new();
        for n in el.children_named(TDS, "NetworkInterfaces") {
            let info = n.child(TT, "Info");
            interfaces.push(NetworkInterface {
                token: n.attr("token").unwrap_or_default().to_owned(),
                enabled: n
                    .child_text(TT, "Enabled")
                    .map(|v| parse_bool("Enabled", v))
                    .transpose()?
                    .unwrap_or(false),
                name: info.and_then(|i| opt_text(i, TT, "Name")),
                hw_address: info.and_then(|i| opt_text(i, TT, "HwAddress")),
                mtu: info
                    .and_then(|i| i.child_text(TT, "MTU"))
                    .map(|v| parse_num("MTU", v))
                    .transpose()?,
                ipv4: n.child(TT, "IPv4").map(read_ip).transpose()?,
                ipv6: n.child(TT, "IPv6").map(read_ip).transpose()?,
            });
        }
        Ok(NetworkInterfaces { interfaces })
    }
}

// ---------------------------------------------------------------------------------------------
// GetNTP

empty_message!(GetNtp, TDS, "tds", "GetNTP");
operation!(GetNtp => NtpInformation, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "GetNTP", idempotent = true);

/// An NTP server: `IPv4`/`IPv6`/`DNS` and its address or name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkHost {
    pub kind: String,
    pub address: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NtpInformation {
    pub from_dhcp: bool,
    pub manual: Vec<NetworkHost>,
    pub dhcp: Vec<NetworkHost>,
}

fn read_host(h: &Element) -> NetworkHost {
    let kind = h.child_text(TT, "Type").unwrap_or_default().to_owned();
    let address = ["DNSname", "IPv4Address", "IPv6Address"]
        .iter()
        .find_map(|n| opt_text(h, TT, n))
        .unwrap_or_default();
    NetworkHost { kind, address }
}

fn write_host(w: &mut Writer, tag: &str, h: &NetworkHost) {
    let leaf = match h.kind.as_str() {
        "IPv4" => "tt:IPv4Address",
        "IPv6" => "tt:IPv6Address",
        _ => "tt:DNSname",
    };
    w.open(tag, &[])
        .leaf("tt:Type", &h.kind)
        .leaf(leaf, &h.address)
        .close(tag);
}

impl Message for NtpInformation {
    fn write(&self, w: &mut Writer) {
        w.open("tds:GetNTPResponse", &[])
            .open("tds:NTPInformation", &[]);
        w.leaf("tt:FromDHCP", bool_str(self.from_dhcp));
        for h in &self.dhcp {
            write_host(w, "tt:NTPFromDHCP", h);
        }
        for h in &self.manual {
            write_host(w, "tt:NTPManual", h);
        }
        w.close("tds:NTPInformation").close("tds:GetNTPResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "GetNTPResponse")?;
        let n = el
            .child(TDS, "NTPInformation")
            .ok_or_else(|| Error::missing("NTPInformation"))?;
        Ok(NtpInformation {
            from_dhcp: n
                .child_text(TT, "FromDHCP")
                .map(|v| parse_bool("FromDHCP", v))
                .transpose()?
                .unwrap_or(false),
            manual: n.children_named(TT, "NTPManual").map(read_host).collect(),
            dhcp: n.children_named(TT, "NTPFromDHCP").map(read_host).collect(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// SystemReboot

empty_message!(SystemReboot, TDS, "tds", "SystemReboot");
operation!(SystemReboot => RebootResponse, Service::Device,
    "http://www.onvif.org/ver10/device/wsdl", "SystemReboot", idempotent = false);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebootResponse {
    pub message: String,
}

impl Message for RebootResponse {
    fn write(&self, w: &mut Writer) {
        w.open("tds:SystemRebootResponse", &[])
            .leaf("tds:Message", &self.message)
            .close("tds:SystemRebootResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TDS, "SystemRebootResponse")?;
        Ok(RebootResponse {
            message: el.child_text(TDS, "Message").unwrap_or_default().to_owned(),
        })
    }
}

pub(crate) fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}
