//! Values read by eye from the files.
//!
//! Nothing here opens a socket: addresses are values read from the answers, compared as text.

use super::*;

#[test]
fn agsh_onvif_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "agsh-onvif";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformation.xml")),
        t5(
            "Mockup Manufacturer",
            "Mockup Model",
            "Mockup_15_14_13",
            "00000000",
            "MOCKUP"
        )
    );

    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTime.xml"));
    assert_eq!(t.date_time_type, DateTimeType::Manual);
    assert!(t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("MoroccoStandardTime0"));
    assert_eq!(t.utc, Some(date_time(2014, 12, 24, 19, 14, 37)));
    assert_eq!(t.local, None);
    assert_eq!(t.utc_timestamp(), Some(ts("2014-12-24T19:14:37Z")));

    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilities.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://192.168.68.111/onvif/services")
    );
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.68.111/onvif/services")
    );
    let cats: Vec<&str> = caps.entries.iter().map(|e| e.category.as_str()).collect();
    assert_eq!(
        cats,
        ["Device", "Events", "Imaging", "Media", "PTZ", "DeviceIO"]
    );

    let s = services(&dir, &format!("{d}/GetServices.xml"));
    assert_eq!(s.len(), 6);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://192.168.68.111/onvif/services".into(),
            Some((2, 42))
        )
    );
    assert_eq!(s[1].0, ns::TRT);
    assert_eq!(s[1].2, Some((2, 41)));

    let sc: Scopes = read_as(&dir, &format!("{d}/GetScopes.xml"));
    assert_eq!(
        sc.scopes.len(),
        7,
        "the template's two branches, 1 + 6 scopes"
    );
    assert_eq!(sc.scopes[0].definition, "Fixed");
    assert_eq!(sc.scopes[0].item, "onvif://www.onvif.org/Profile/Streaming");
    assert_eq!(
        sc.scopes[5].onvif_parts(),
        Some(("name".into(), "PREDATOR".into()))
    );
    assert_eq!(sc.scopes[5].definition, "Configurable");

    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostname.xml"));
    assert_eq!(h.name.as_deref(), Some("IPNC-RDK"));
    assert!(!h.from_dhcp);

    let ntp: NtpInformation = read_as(&dir, &format!("{d}/device.GetNTP.xml"));
    assert!(!ntp.from_dhcp);
    assert_eq!(ntp.manual, [host("IPv4", "192.168.1.168")]);
    assert!(ntp.dhcp.is_empty());

    let n: NetworkInterfaces = read_as(&dir, &format!("{d}/device.GetNetworkInterfaces.xml"));
    assert_eq!(n.interfaces.len(), 1);
    let eth0 = &n.interfaces[0];
    assert_eq!(eth0.token, "eth0");
    assert!(eth0.enabled);
    assert_eq!(eth0.name.as_deref(), Some("eth0"));
    assert_eq!(eth0.hw_address.as_deref(), Some("28:57:be:65:7d:d5"));
    assert_eq!(eth0.mtu, Some(1500));
    let v4 = eth0.ipv4.as_ref().unwrap();
    assert!(v4.enabled);
    assert_eq!(v4.dhcp.as_deref(), Some("false"));
    let addr = |a: &str, p: u8| PrefixedAddress {
        address: a.into(),
        prefix_length: p,
    };
    assert_eq!(v4.manual, [addr("192.168.68.111", 24)]);
    let v6 = eth0.ipv6.as_ref().unwrap();
    assert_eq!(v6.dhcp.as_deref(), Some("Off"));
    assert_eq!(v6.link_local, [addr("fe80::2a57:beff:fe65:7dd5", 64)]);
    assert_eq!(v6.from_dhcp, [addr("fe80::2a57:beff:fe65:7dd5", 64)]);
    assert!(v6.manual.is_empty());

    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemReboot.xml"));
    assert_eq!(r.message, "Reboot in 30 secs");
    // The template's `{{? it.bad }}wrong response{{?}}` text inside an empty response.
    let _: SetSystemDateAndTimeResponse = read_as(&dir, &format!("{d}/SetSystemDateAndTime.xml"));
}

#[test]
fn ex_onvif_values() {
    let Some(dir) = captures_dir() else { return };
    assert_eq!(
        info(&dir, "ex_onvif/get_device_information.xml"),
        t5(
            "Milesight Technology Co.,Ltd.",
            "MS-C8165-PE",
            "61.8.0.3-r8",
            "EM82V102329001403",
            "V1.0"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, "ex_onvif/get_system_date_and_time.xml");
    assert_eq!(t.date_time_type, DateTimeType::Manual);
    assert!(t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("BRT3"));
    assert_eq!(t.utc, Some(date_time(2024, 7, 9, 19, 49, 6)));
    assert_eq!(t.local, Some(date_time(2024, 7, 9, 16, 49, 6)));
    assert_eq!(t.utc_timestamp(), Some(ts("2024-07-09T19:49:06Z")));

    let sc: Scopes = read_as(&dir, "ex_onvif/get_scopes.xml");
    let items: Vec<&str> = sc.scopes.iter().map(|s| s.item.as_str()).collect();
    assert_eq!(items.len(), 10);
    assert_eq!(
        items[0],
        "onvif://www.onvif.org/type/Network_Video_Transmitter"
    );
    assert_eq!(items[9], "onvif://www.onvif.org/Profile/Q/FactoryDefault");
    assert_eq!(
        sc.scopes[3].onvif_parts(),
        Some(("name".into(), "Camera".into()))
    );

    let ntp: NtpInformation = read_as(&dir, "ex_onvif/get_ntp.xml");
    assert_eq!(ntp.manual, [host("DNS", "time.windows.com")]);

    // `<tt:Name></tt:Name>`: no name.
    let h: HostnameInformation = read_as(&dir, "ex_onvif/get_hostname.xml");
    assert_eq!(h.name, None);
    assert!(!h.from_dhcp);
}

#[test]
fn dcs_6511_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/DCS-6511/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "D-Link Corporation",
            "DCS-6511",
            "1.16.00",
            "F07D68099FCA",
            "F07D68099FCA"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.date_time_type, DateTimeType::Ntp);
    assert_eq!(t.time_zone.as_deref(), Some("COT5"));
    assert_eq!(t.utc, Some(date_time(2023, 3, 7, 16, 14, 53)));
    assert_eq!(t.local, Some(date_time(2023, 3, 7, 11, 14, 53)));
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-07T16:14:53Z")));
    // Every category points at the device service.
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    for s in [
        Service::Device,
        Service::Media,
        Service::Events,
        Service::Imaging,
    ] {
        assert_eq!(
            caps.xaddr(s),
            Some("http://192.168.1.33:80/onvif/device_service"),
            "{s}"
        );
    }
    assert_eq!(caps.xaddr(Service::Ptz), None);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("DCS-6511"));
    // FromDHCP false and no server at all.
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp, NtpInformation::default());
}

#[test]
fn enp1a14_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/ENP1A14-IR_25X/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "ONVIF",
            "ENP1A14-IR/25X",
            "V5.5.3 build 180822",
            "ENP1A14-IR/25X20190430AAWRD14878498W",
            "88"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-06T14:13:45Z")));
    assert_eq!(
        t.time_zone.as_deref(),
        Some("EST+5:00:00EDT04:00:00,M3.5.0/01:00:00,M10.5.0/02:00:00")
    );
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://192.168.1.182/onvif/device_service")
    );
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.1.182/onvif/Media")
    );
    // From Capabilities/Extension.
    assert_eq!(
        caps.xaddr(Service::Recording),
        Some("http://192.168.1.182/onvif/Recording")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 11);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://192.168.1.182/onvif/device_service".into(),
            Some((16, 12))
        )
    );
    assert_eq!(
        s[1],
        (
            ns::TRT.into(),
            "http://192.168.1.182/onvif/Media".into(),
            Some((2, 60))
        )
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("DNS", "ca.pool.ntp.org")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("localhost"));
    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemRebootResponse.xml"));
    assert_eq!(r.message, "Rebooting in 90 seconds");
}

#[test]
fn gx728mf_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/GX728MF-IR28/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "NONE",
            "GX728MF-IR28",
            "IPC_G6106-B0005P11D1812C03",
            "210235T8HQ3197000191",
            "GX728MF-IR28"
        )
    );
    // Local time on the 7th, UTC already on the 8th.
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc, Some(date_time(2023, 3, 8, 0, 27, 9)));
    assert_eq!(t.local, Some(date_time(2023, 3, 7, 19, 27, 9)));
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-08T00:27:09Z")));
    assert_eq!(t.time_zone.as_deref(), Some("CST5CDT,M3.2.0/2,M11.1.0/2"));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.1.127:80/onvif/media")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 8);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://192.168.1.127:80/onvif/device_service".into(),
            Some((17, 6))
        )
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("IPv4", "0.0.0.0")]);
}
