//! Values read by eye from the files, more camera folders.
//!
//! Nothing here opens a socket: addresses are values read from the answers, compared as text.

use super::*;

#[test]
fn ipd_h4k8m05_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/IPD-H4K8M05-BS/device_management";
    // `<tds:Manufacturer></tds:Manufacturer>`
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "",
            "IPD-H4K8M05-BS",
            "V1.04.10-190309",
            "071D3E36963F",
            "1.0"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert!(!t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("AST4ADT"));
    assert_eq!(t.utc_timestamp(), Some(ts("2025-04-06T17:38:53Z")));
    // Services with their capabilities (dotted attribute names such as TLS1.2 included).
    let s: Services = read_as(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.services.len(), 7);
    assert_eq!(
        s.xaddr(Service::Analytics),
        Some("http://192.168.15.40:8999/onvif/analytics_service")
    );
    let dev = &s.services[1];
    assert_eq!(dev.service, Some(Service::Device));
    assert_eq!(dev.version, Some((1, 40)));
    let flag = |k: &str| dev.capabilities.get(k).map(String::as_str);
    assert_eq!(flag("Network.NTP"), Some("1"));
    assert_eq!(flag("Security.TLS1.2"), Some("false"));
    assert_eq!(flag("Security.X.509Token"), Some("false"));
    assert_eq!(flag("System.FirmwareUpgrade"), Some("true"));
    let media = s
        .services
        .iter()
        .find(|x| x.service == Some(Service::Media))
        .unwrap();
    assert_eq!(
        media
            .capabilities
            .get("StreamingCapabilities.RTP_RTSP_TCP")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        media
            .capabilities
            .get("ProfileCapabilities.MaximumNumberOfProfiles")
            .map(String::as_str),
        Some("2")
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNtpResponse.xml"));
    assert_eq!(ntp.manual, [host("IPv4", "192.168.1.100")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name, None);
    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemRebootResponse.xml"));
    assert_eq!(r.message, "Rebooting in 120 seconds.");
}

#[test]
fn ipg_8150pss_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/IPG-8150PSS/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "ONVIF_IPNC",
            "IPG-8150PSS",
            "1.3.0-20210203CN-PT",
            "I207215E7840DFDA9877E8B",
            "8FE1887A-72EE-403f-9385-5a58aed534cf"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc, Some(date_time(2024, 2, 20, 13, 13, 1)));
    assert_eq!(t.local, Some(date_time(2024, 2, 20, 21, 13, 1)));
    assert_eq!(t.time_zone.as_deref(), Some("CST-08:00"));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://10.200.1.2/onvif/device_service")
    );
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://10.200.1.2/onvif/media_service")
    );
    let media = caps.entries.iter().find(|e| e.category == "Media").unwrap();
    assert_eq!(
        media
            .flags
            .get("StreamingCapabilities.RTP_RTSP_TCP")
            .map(String::as_str),
        Some("true")
    );
    let dev = caps
        .entries
        .iter()
        .find(|e| e.category == "Device")
        .unwrap();
    assert_eq!(
        dev.flags.get("Security.TLS1.1").map(String::as_str),
        Some("false")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 8);
    assert_eq!(
        s[1],
        (
            ns::TRT.into(),
            "http://10.200.1.2/onvif/media_service".into(),
            Some((17, 12))
        )
    );
    assert_eq!(s[7].0, ns::TR2);
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("DNS", "pool.ntp.org")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("IPCAM"));
}

#[test]
fn sunba_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/SUNBA/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "SUNBA",
            "Performance-Series",
            "QIPC-B2202.3.73.C06290.NB.230628",
            "210231T2H63235000045",
            "Performance-Series"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc_timestamp(), Some(ts("2024-04-05T17:16:28Z")));
    assert_eq!(t.time_zone.as_deref(), Some("CST5:00:00"));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://162.191.54.181:80/onvif/media")
    );
    assert_eq!(
        caps.xaddr(Service::Replay),
        Some("http://162.191.54.181:80/onvif/replay")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 13);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://162.191.54.181:80/onvif/device_service".into(),
            Some((19, 12))
        )
    );
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("IPC"));
    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemRebootResponse.xml"));
    assert_eq!(r.message, "Rebooting in 2 seconds");
}

#[test]
fn sunba_405_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/SUNBA.405/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "H264",
            "XM530_50X50-WG_8M",
            "V5.00.R02.L5330747.10010.349917..ONVIF 16.12",
            "f0d2d8a9c5380a0f",
            "00001"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc, Some(date_time(2025, 4, 27, 1, 27, 42)));
    assert_eq!(t.local, Some(date_time(2025, 4, 26, 19, 27, 42)));
    assert_eq!(t.time_zone.as_deref(), Some("CST6CDT:"));
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    let expected: Vec<ServiceRow> = [
        (ns::TDS, "device_service"),
        (ns::TRT, "Media"),
        (ns::TR2, "Media2"),
        (ns::TEV, "Events"),
        (ns::TIMG, "Imaging"),
        (ns::TPTZ, "PTZ"),
    ]
    .iter()
    .map(|(n, p)| {
        (
            (*n).into(),
            format!("http://192.168.15.40:8899/onvif/{p}"),
            Some((16, 12)),
        )
    })
    .collect();
    assert_eq!(s, expected);
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.15.40:8899/onvif/Media")
    );
    // The camera writes a host name where an IPv4 address belongs: kept as sent.
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("IPv4", "NTP")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("SunbaIPC"));
}

#[test]
fn happytimesoft_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/happytimesoft/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5("Happytimesoft", "IPCamera", "2.4", "123456", "1.0")
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.date_time_type, DateTimeType::Ntp);
    assert!(!t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("UTC-5:00"));
    assert_eq!(t.local, None);
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-02T19:24:42Z")));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://192.168.2.119:10000/onvif/device_service")
    );
    assert_eq!(
        caps.xaddr(Service::Recording),
        Some("http://192.168.2.119:10000/onvif/recording_service")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 19);
    assert_eq!(s[0].2, Some((20, 6)));
    assert_eq!(
        s[1],
        (
            ns::TEV.into(),
            "http://192.168.2.119:10000/onvif/event_service".into(),
            Some((19, 6))
        )
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("DNS", "time.windows.com")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("LAPTOP-3NFBA69L"));
}

/// The only capture of this camera is broken (see NOT_WELL_FORMED): the client's error says
/// where and what.
#[test]
fn unknown_camera_capture_is_refused_clearly() {
    let Some(dir) = captures_dir() else { return };
    let bytes = read(
        &dir,
        "easy_onvif/unknown/device_management/GetCapabilitiesResponse.xml",
    );
    let e = try_read_as::<Capabilities>(&bytes).unwrap_err();
    assert_clear_xml_error("unknown", &e, &["line 7, column 64", "attribute `x`"]).unwrap();
}
