//! Every device request and response, built by hand, written as the client or the simulator
//! writes it (`Message::write` inside `soap::envelope`), parsed back and compared: the two
//! sides share one model, so what one writes the other reads unchanged.
//! Nothing here opens a socket: addresses are values, written, read and compared.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Debug;

use onvif_proto::ops::device::*;
use onvif_proto::ops::read_response;
use onvif_proto::soap::{Envelope, Fault, envelope};
use onvif_proto::xml::Writer;
use onvif_proto::{Error, Message, Operation, Service, ns};
use onvif_testkit::message::{date_time, round_trip};

/// A request and its answer: the request's element is `O::NAME` in the service's namespace,
/// and the answer reads back through `read_response::<O>` as a client reads it.
fn operation<O>(req: &O, resp: &O::Response)
where
    O: Operation + PartialEq + Debug,
    O::Response: PartialEq + Debug,
{
    round_trip(req);
    let env = Envelope::parse(envelope(None, &req.body()).as_bytes()).unwrap();
    let el = env.payload().unwrap();
    assert!(
        el.is(O::SERVICE.namespace(), O::NAME),
        "{} is not {}",
        el.name,
        O::NAME
    );
    assert_eq!(O::ACTION, format!("{}/{}", O::SERVICE.namespace(), O::NAME));

    round_trip(resp);
    let mut w = Writer::new();
    resp.write(&mut w);
    let env = Envelope::parse(envelope(None, w.as_str()).as_bytes()).unwrap();
    assert_eq!(&read_response::<O>(&env).unwrap(), resp);
}

fn flags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn system_date_and_time() {
    let full = SystemDateAndTime {
        date_time_type: DateTimeType::Ntp,
        daylight_savings: true,
        time_zone: Some("CST6CDT,M3.2.0,M11.1.0".into()),
        utc: Some(date_time(2025, 4, 27, 1, 27, 42)),
        local: Some(date_time(2025, 4, 26, 19, 27, 42)),
    };
    operation(&GetSystemDateAndTime, &full);
    round_trip(&SystemDateAndTime {
        date_time_type: DateTimeType::Manual,
        daylight_savings: false,
        time_zone: None,
        utc: None,
        local: None,
    });
    assert_eq!(
        full.utc_timestamp().unwrap().to_string(),
        "2025-04-27T01:27:42Z"
    );
    // DateTime and Timestamp agree both ways.
    let t = full.utc_timestamp().unwrap();
    assert_eq!(
        DateTime::from_timestamp(t),
        date_time(2025, 4, 27, 1, 27, 42)
    );
}

#[test]
fn set_system_date_and_time() {
    let manual = SetSystemDateAndTime {
        date_time_type: DateTimeType::Manual,
        daylight_savings: false,
        time_zone: Some("UTC0".into()),
        utc: Some(date_time(2026, 1, 2, 3, 4, 5)),
    };
    operation(&manual, &SetSystemDateAndTimeResponse);
    round_trip(&SetSystemDateAndTime {
        date_time_type: DateTimeType::Ntp,
        daylight_savings: true,
        time_zone: None,
        utc: None,
    });
}

#[test]
fn device_information_with_characters_that_need_escaping() {
    let info = DeviceInformation {
        manufacturer: "A&B <Cameras> \"Ltd\" 'X'".into(),
        model: "Modèle ÷ 7 – ü".into(),
        firmware_version: "1.2.3 ]]> build".into(),
        serial_number: "SN-0001".into(),
        hardware_id: "rev&2".into(),
    };
    let doc = round_trip(&info).document;
    assert!(doc.contains("A&amp;B &lt;Cameras&gt;"), "{doc}");
    operation(&GetDeviceInformation, &info);
}

#[test]
fn capabilities_keep_nested_and_dotted_flags() {
    let caps = Capabilities {
        entries: vec![
            CapabilityEntry {
                category: "Device".into(),
                service: Some(Service::Device),
                xaddr: Some("http://10.0.0.2/onvif/device_service".into()),
                flags: flags(&[
                    ("Network.IPFilter", "false"),
                    ("Security.TLS1.2", "true"),
                    ("Security.X.509Token", "false"),
                    ("Security.Extension.TLS1.0", "false"),
                    ("System.SupportedVersions.Major", "2 2"),
                    ("System.SupportedVersions.Minor", "40 60"),
                ]),
            },
            CapabilityEntry {
                category: "Media".into(),
                service: Some(Service::Media),
                xaddr: Some("http://10.0.0.2/onvif/media_service".into()),
                flags: flags(&[
                    ("StreamingCapabilities.RTP_RTSP_TCP", "true"),
                    ("StreamingCapabilities.RTPMulticast", "false"),
                    ("Extension.ProfileCapabilities.MaximumNumberOfProfiles", "4"),
                ]),
            },
            CapabilityEntry {
                category: "Events".into(),
                service: Some(Service::Events),
                xaddr: Some("http://10.0.0.2/onvif/event_service".into()),
                flags: flags(&[("WSPullPointSupport", "true")]),
            },
            // Inside Capabilities/Extension.
            CapabilityEntry {
                category: "Recording".into(),
                service: Some(Service::Recording),
                xaddr: Some("http://10.0.0.2/onvif/recording_service".into()),
                flags: flags(&[("DynamicRecordings", "true")]),
            },
            CapabilityEntry {
                category: "VendorThing".into(),
                service: None,
                xaddr: None,
                flags: BTreeMap::new(),
            },
        ],
    };
    let doc = round_trip(&caps).document;
    // Schema-shaped: nested elements, and a name with a dot (TLS1.2) is one element.
    assert!(
        doc.contains("<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities>"),
        "{doc}"
    );
    assert!(doc.contains("<tt:TLS1.2>true</tt:TLS1.2>"), "{doc}");
    assert!(doc.contains("<tt:Extension><tt:Recording>"), "{doc}");
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://10.0.0.2/onvif/media_service")
    );
    operation(
        &GetCapabilities {
            category: "Media".into(),
        },
        &caps,
    );
    round_trip(&GetCapabilities::default());
}

#[test]
fn services_with_and_without_capabilities() {
    let services = Services {
        services: vec![
            ServiceInfo {
                namespace: ns::TDS.into(),
                service: Some(Service::Device),
                xaddr: "http://10.0.0.2/onvif/device_service".into(),
                version: Some((21, 12)),
                capabilities: flags(&[
                    ("Network.NTP", "1"),
                    ("Security.TLS1.2", "true"),
                    ("Security.X.509Token", "false"),
                    ("System.SupportedVersions.Major", "2"),
                    ("Misc.AuxiliaryCommands", "tt:Wiper|On tt:Wiper|Off"),
                ]),
            },
            ServiceInfo {
                namespace: ns::TR2.into(),
                service: Some(Service::Media2),
                xaddr: "http://10.0.0.2/onvif/media2_service".into(),
                version: Some((2, 60)),
                capabilities: flags(&[
                    ("SnapshotUri", "true"),
                    ("ProfileCapabilities.MaximumNumberOfProfiles", "8"),
                ]),
            },
            ServiceInfo {
                namespace: "http://www.example.com/vendor/wsdl".into(),
                service: None,
                xaddr: "http://10.0.0.2/vendor".into(),
                version: None,
                capabilities: BTreeMap::new(),
            },
        ],
    };
    let doc = round_trip(&services).document;
    assert!(doc.contains(r#"TLS1.2="true""#), "{doc}");
    assert_eq!(
        services.xaddr(Service::Media2),
        Some("http://10.0.0.2/onvif/media2_service")
    );
    operation(
        &GetServices {
            include_capability: true,
        },
        &services,
    );
    round_trip(&GetServices {
        include_capability: false,
    });
}

#[test]
fn service_capabilities() {
    let caps = ServiceCapabilities {
        flags: flags(&[
            ("Network.NTP", "1"),
            ("Network.DHCPv6", "false"),
            ("Security.TLS1.0", "false"),
            ("Security.X.509Token", "false"),
            ("Security.UsernameToken", "true"),
            ("System.SupportedVersions.Major", "2"),
            ("Misc.AuxiliaryCommands", "tt:IRLamp|Auto"),
        ]),
    };
    assert!(caps.flag("Security.UsernameToken"));
    operation(&GetServiceCapabilities, &caps);
}

#[test]
fn scopes() {
    let scopes = Scopes {
        scopes: vec![
            Scope {
                definition: "Fixed".into(),
                item: "onvif://www.onvif.org/Profile/Streaming".into(),
            },
            Scope {
                definition: "Configurable".into(),
                item: "onvif://www.onvif.org/name/Garden%20Cam%20%26%20Gate".into(),
            },
        ],
    };
    operation(&GetScopes, &scopes);
    assert_eq!(
        scopes.scopes[1].onvif_parts(),
        Some(("name".into(), "Garden Cam & Gate".into()))
    );
    round_trip(&Scopes::default());
}

#[test]
fn hostname() {
    operation(
        &GetHostname,
        &HostnameInformation {
            from_dhcp: true,
            name: Some("cam-01.local".into()),
        },
    );
    round_trip(&HostnameInformation {
        from_dhcp: false,
        name: None,
    });
}

#[test]
fn network_interfaces() {
    let a = |s: &str, p: u8| PrefixedAddress {
        address: s.into(),
        prefix_length: p,
    };
    let nics = NetworkInterfaces {
        interfaces: vec![
            NetworkInterface {
                token: "eth0".into(),
                enabled: true,
                name: Some("eth0".into()),
                hw_address: Some("00:11:22:33:44:55".into()),
                mtu: Some(1500),
                ipv4: Some(IpConfig {
                    enabled: true,
                    dhcp: Some("false".into()),
                    manual: vec![a("192.168.1.20", 24), a("10.1.1.1", 8)],
                    link_local: vec![],
                    from_dhcp: vec![],
                    ..IpConfig::default()
                }),
                ipv6: Some(IpConfig {
                    enabled: true,
                    dhcp: Some("Auto".into()),
                    manual: vec![],
                    link_local: vec![a("fe80::211:22ff:fe33:4455", 64)],
                    from_dhcp: vec![a("2001:db8::20", 64)],
                    from_ra: vec![a("2001:db8::211:22ff:fe33:4455", 64)],
                    accept_router_advert: Some(true),
                }),
            },
            NetworkInterface {
                token: "wlan0".into(),
                enabled: false,
                ..NetworkInterface::default()
            },
        ],
    };
    operation(&GetNetworkInterfaces, &nics);
}

#[test]
fn ntp() {
    operation(
        &GetNtp,
        &NtpInformation {
            from_dhcp: true,
            manual: vec![
                NetworkHost {
                    kind: "DNS".into(),
                    address: "pool.ntp.org".into(),
                },
                NetworkHost {
                    kind: "IPv6".into(),
                    address: "2001:db8::123".into(),
                },
            ],
            dhcp: vec![NetworkHost {
                kind: "IPv4".into(),
                address: "192.168.1.1".into(),
            }],
        },
    );
}

#[test]
fn reboot() {
    operation(
        &SystemReboot,
        &RebootResponse {
            message: "Rebooting in 30 seconds".into(),
        },
    );
}

#[test]
fn a_response_is_not_read_as_another() {
    let mut w = Writer::new();
    Scopes::default().write(&mut w);
    let env = Envelope::parse(envelope(None, w.as_str()).as_bytes()).unwrap();
    let e = DeviceInformation::read(env.payload().unwrap()).unwrap_err();
    assert!(
        matches!(&e, Error::UnexpectedBody { expected, found }
            if expected == "GetDeviceInformationResponse" && found.ends_with("GetScopesResponse")),
        "{e}"
    );
}

#[test]
fn faults_round_trip_as_the_simulator_sends_them() {
    let mut f = Fault::new(
        true,
        &["InvalidArgVal", "NoProfile"],
        "No such profile <x> & y",
    );
    f.detail = Some("profile token \"p9\" unknown".into());
    let env = Envelope::parse(f.to_envelope().as_bytes()).unwrap();
    assert_eq!(env.fault().as_ref(), Some(&f));
    let e = read_response::<GetDeviceInformation>(&env).unwrap_err();
    assert_eq!(e.as_fault(), Some(&f));
    assert!(f.has_subcode("NoProfile"));

    let f = Fault::new(false, &["ActionNotSupported"], "not here");
    let env = Envelope::parse(f.to_envelope().as_bytes()).unwrap();
    let back = env.fault().unwrap();
    assert_eq!(back, f);
    assert!(back.is_action_not_supported());
    assert_eq!(back.code.ns.as_deref(), Some(ns::SOAP12));
    assert_eq!(back.code.name, "Receiver");
}

#[test]
fn a_subscription_gone_is_known_in_either_soap_version() {
    // SOAP 1.2: a subcode in the WS-RF namespace.
    let doc = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsrf-rw="http://docs.oasis-open.org/wsrf/rw-2"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>wsrf-rw:ResourceUnknownFault</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">gone</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#;
    let f = Envelope::parse(doc.as_bytes()).unwrap().fault().unwrap();
    assert!(f.is_resource_unknown(), "{f:?}");
    assert!(!f.is_action_not_supported());
    // SOAP 1.1: no subcodes; the fault code names it.
    let doc = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsrf-rw="http://docs.oasis-open.org/wsrf/rw-2"><s:Body><s:Fault><faultcode>wsrf-rw:ResourceUnknownFault</faultcode><faultstring>gone</faultstring></s:Fault></s:Body></s:Envelope>"#;
    let f = Envelope::parse(doc.as_bytes()).unwrap().fault().unwrap();
    assert!(f.subcodes.is_empty());
    assert!(f.is_resource_unknown(), "{f:?}");
    // Another fault is not.
    let f = Fault::new(true, &["InvalidArgVal"], "no");
    assert!(!f.is_resource_unknown());
}
