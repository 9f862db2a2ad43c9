//! Device settings (users, DNS, NTP, host name, protocols, gateway, discovery mode, system
//! URIs and logs, factory default, firmware and restore uploads): every request and response round-trips with every
//! optional field set, and every recorded answer in the captures reads into its type.
//!
//! Captures are read in place from `../shared/captures` (next to the project) or from the
//! directory in `ONVIF_CAPTURES`; without them the capture tests say so and pass.
//! Nothing here opens a socket to these addresses: they are values, written, read and compared.
#![allow(clippy::unwrap_used)]

use onvif_proto::decode;
use onvif_proto::ops::device::*;
use onvif_proto::ops::{Operation, Service};
use onvif_testkit::captures::{captures_dir, index, read, read_as};
use onvif_testkit::message::{read_body, round_trip, write};

fn host(kind: &str, address: &str) -> NetworkHost {
    NetworkHost {
        kind: kind.into(),
        address: address.into(),
    }
}

fn user(name: &str, password: Option<&str>, level: UserLevel) -> User {
    User {
        username: name.into(),
        password: password.map(str::to_owned),
        level,
    }
}

#[test]
fn user_messages_round_trip_with_every_field_set() {
    round_trip(&GetUsers);
    round_trip(&Users {
        users: vec![
            user("admin", None, UserLevel::Administrator),
            user("op", None, UserLevel::Operator),
            user("viewer", None, UserLevel::User),
            user("anon", None, UserLevel::Anonymous),
            user("ext", None, UserLevel::Extended),
        ],
    });
    round_trip(&CreateUsers {
        users: vec![
            user("op", Some("s3cret-Pass"), UserLevel::Operator),
            user("v", Some("x<&>y"), UserLevel::User),
        ],
    });
    round_trip(&CreateUsersResponse);
    round_trip(&DeleteUsers {
        usernames: vec!["op".into(), "v".into()],
    });
    round_trip(&DeleteUsersResponse);
    round_trip(&SetUser {
        users: vec![user("op", Some("new-Pass1"), UserLevel::Administrator)],
    });
    round_trip(&SetUserResponse);
}

#[test]
fn a_password_never_reaches_json_or_debug() {
    let u = user("op", Some("hunter2-Secret"), UserLevel::Operator);
    let json = serde_json::to_string(&CreateUsers {
        users: vec![u.clone()],
    })
    .unwrap();
    assert!(!json.contains("hunter2"), "{json}");
    assert!(json.contains("\"op\""), "{json}");
    let debug = format!("{u:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    // It is written to the device, though.
    assert!(write(&CreateUsers { users: vec![u] }).contains("hunter2-Secret"));
}

#[test]
fn network_messages_round_trip_with_every_field_set() {
    round_trip(&GetDns);
    round_trip(&DnsInformation {
        from_dhcp: true,
        search_domains: vec!["example.com".into(), "lan".into()],
        dhcp: vec![host("IPv4", "192.0.2.53")],
        manual: vec![host("IPv4", "192.0.2.1"), host("IPv6", "2001:db8::1")],
    });
    round_trip(&SetDns {
        from_dhcp: false,
        search_domains: vec!["example.com".into()],
        manual: vec![host("IPv4", "192.0.2.1"), host("IPv6", "2001:db8::1")],
    });
    round_trip(&SetDnsResponse);
    round_trip(&SetNtp {
        from_dhcp: false,
        manual: vec![host("DNS", "pool.example"), host("IPv4", "192.0.2.123")],
    });
    round_trip(&SetNtpResponse);
    round_trip(&SetHostname {
        name: "cam-1.example".into(),
    });
    round_trip(&SetHostnameResponse);
    round_trip(&GetNetworkProtocols);
    let protocols = vec![
        NetworkProtocol {
            name: "HTTP".into(),
            enabled: true,
            ports: vec![80, 8080],
        },
        NetworkProtocol {
            name: "HTTPS".into(),
            enabled: false,
            ports: vec![443],
        },
    ];
    round_trip(&NetworkProtocols {
        protocols: protocols.clone(),
    });
    round_trip(&SetNetworkProtocols { protocols });
    round_trip(&SetNetworkProtocolsResponse);
    round_trip(&GetNetworkDefaultGateway);
    round_trip(&NetworkGateway {
        ipv4: vec!["192.0.2.254".into()],
        ipv6: vec!["2001:db8::fe".into()],
    });
    round_trip(&SetNetworkDefaultGateway {
        ipv4: vec!["192.0.2.254".into()],
        ipv6: vec!["2001:db8::fe".into()],
    });
    round_trip(&SetNetworkDefaultGatewayResponse);
    round_trip(&SetNetworkInterfaces {
        interface_token: "eth0".into(),
        interface: NetworkInterfaceSetting {
            enabled: Some(true),
            mtu: Some(1400),
            ipv4: Some(Ipv4Setting {
                enabled: Some(true),
                manual: vec![PrefixedAddress {
                    address: "192.0.2.50".into(),
                    prefix_length: 24,
                }],
                dhcp: Some(false),
            }),
        },
    });
    round_trip(&SetNetworkInterfaces {
        interface_token: "eth0".into(),
        interface: NetworkInterfaceSetting::default(),
    });
    for reboot_needed in [true, false] {
        round_trip(&SetNetworkInterfacesResponse { reboot_needed });
    }
    round_trip(&GetDiscoveryMode);
    for mode in [DiscoveryMode::Discoverable, DiscoveryMode::NonDiscoverable] {
        round_trip(&DiscoveryModeResponse { mode });
        round_trip(&SetDiscoveryMode { mode });
    }
    round_trip(&SetDiscoveryModeResponse);
}

#[test]
fn system_messages_round_trip_with_every_field_set() {
    round_trip(&GetSystemUris);
    round_trip(&SystemUris {
        system_logs: vec![
            SystemLogUri {
                kind: "System".into(),
                uri: Some("http://127.0.0.1/log/system".into()),
            },
            SystemLogUri {
                kind: "Access".into(),
                uri: Some("http://127.0.0.1/log/access".into()),
            },
        ],
        support_info: Some("http://127.0.0.1/support".into()),
        system_backup: Some("http://127.0.0.1/backup".into()),
    });
    for log_type in [SystemLogType::System, SystemLogType::Access] {
        round_trip(&GetSystemLog { log_type });
    }
    round_trip(&SystemLog {
        binary: None,
        text: Some("boot\nlogin admin".into()),
    });
    round_trip(&SystemLog {
        binary: Some(LogAttachment {
            include: Some(XopInclude {
                href: "cid:log@camera".into(),
            }),
        }),
        text: None,
    });
    for kind in [FactoryDefault::Soft, FactoryDefault::Hard] {
        round_trip(&SetSystemFactoryDefault { kind });
    }
    round_trip(&SetSystemFactoryDefaultResponse);
    round_trip(&GetWsdlUrl);
    round_trip(&WsdlUrl {
        url: "http://www.onvif.org/".into(),
    });
}

#[test]
fn upload_messages_round_trip_and_read_what_cameras_leave_out() {
    use std::time::Duration;
    round_trip(&StartFirmwareUpgrade);
    round_trip(&FirmwareUpload {
        upload_uri: "http://127.0.0.1/onvif/upload/1".into(),
        upload_delay: Some(Duration::from_secs(5)),
        expected_down_time: Some(Duration::from_secs(120)),
    });
    round_trip(&StartSystemRestore);
    round_trip(&RestoreUpload {
        upload_uri: "http://127.0.0.1/onvif/upload/2".into(),
        expected_down_time: Some(Duration::from_millis(1500)),
    });
    // No delay, and a down time that is no duration: both absent, the address still read.
    let r = read_body::<FirmwareUpload>(
        "<tds:StartFirmwareUpgradeResponse><tds:UploadUri>http://127.0.0.1/up</tds:UploadUri>\
         <tds:ExpectedDownTime>soon</tds:ExpectedDownTime></tds:StartFirmwareUpgradeResponse>",
    )
    .unwrap();
    assert_eq!(r.upload_uri, "http://127.0.0.1/up");
    assert_eq!((r.upload_delay, r.expected_down_time), (None, None));
    let json = serde_json::to_value(FirmwareUpload {
        upload_uri: "u".into(),
        upload_delay: None,
        expected_down_time: Some(Duration::from_secs(90)),
    })
    .unwrap();
    assert_eq!(json["expected_down_time"], "PT90S");
    assert!(json["upload_delay"].is_null());
}

#[test]
fn every_operation_is_named_in_the_device_service() {
    fn op<O: Operation>(name: &str, idempotent: bool) {
        assert_eq!(O::NAME, name);
        assert_eq!(O::SERVICE, Service::Device);
        assert_eq!(O::ACTION, format!("{}/{name}", onvif_proto::ns::TDS));
        assert_eq!(O::IDEMPOTENT, idempotent, "{name}");
    }
    op::<GetUsers>("GetUsers", true);
    op::<CreateUsers>("CreateUsers", false);
    op::<DeleteUsers>("DeleteUsers", true);
    op::<SetUser>("SetUser", true);
    op::<GetDns>("GetDNS", true);
    op::<SetDns>("SetDNS", true);
    op::<SetNtp>("SetNTP", true);
    op::<SetHostname>("SetHostname", true);
    op::<GetNetworkProtocols>("GetNetworkProtocols", true);
    op::<SetNetworkProtocols>("SetNetworkProtocols", true);
    op::<GetNetworkDefaultGateway>("GetNetworkDefaultGateway", true);
    op::<SetNetworkDefaultGateway>("SetNetworkDefaultGateway", true);
    op::<SetNetworkInterfaces>("SetNetworkInterfaces", false);
    op::<GetDiscoveryMode>("GetDiscoveryMode", true);
    op::<SetDiscoveryMode>("SetDiscoveryMode", true);
    op::<GetSystemUris>("GetSystemUris", true);
    op::<GetSystemLog>("GetSystemLog", true);
    op::<SetSystemFactoryDefault>("SetSystemFactoryDefault", false);
    op::<GetWsdlUrl>("GetWsdlUrl", true);
    op::<StartFirmwareUpgrade>("StartFirmwareUpgrade", false);
    op::<StartSystemRestore>("StartSystemRestore", false);
}

/// The schema's order (Enabled, MTU, IPv4 with Enabled, Manual, DHCP), which cameras check.
#[test]
fn set_network_interfaces_is_written_in_the_schema_s_order() {
    let xml = write(&SetNetworkInterfaces {
        interface_token: "eth0".into(),
        interface: NetworkInterfaceSetting {
            enabled: Some(true),
            mtu: Some(1500),
            ipv4: Some(Ipv4Setting {
                enabled: Some(true),
                manual: vec![PrefixedAddress {
                    address: "192.0.2.50".into(),
                    prefix_length: 24,
                }],
                dhcp: Some(false),
            }),
        },
    });
    let want = "<tds:InterfaceToken>eth0</tds:InterfaceToken><tds:NetworkInterface>\
        <tt:Enabled>true</tt:Enabled><tt:MTU>1500</tt:MTU><tt:IPv4><tt:Enabled>true</tt:Enabled>\
        <tt:Manual><tt:Address>192.0.2.50</tt:Address><tt:PrefixLength>24</tt:PrefixLength>\
        </tt:Manual><tt:DHCP>false</tt:DHCP></tt:IPv4></tds:NetworkInterface>";
    assert!(xml.contains(want), "{xml}");
    // A camera that leaves RebootNeeded out moves at once.
    let r =
        read_body::<SetNetworkInterfacesResponse>("<tds:SetNetworkInterfacesResponse/>").unwrap();
    assert!(!r.reboot_needed);
}

#[test]
fn a_user_level_outside_the_schema_reads_as_extended_and_the_list_still_reads() {
    let u = read_body::<Users>(
        "<tds:GetUsersResponse><tds:User><tt:Username>a</tt:Username>\
         <tt:UserLevel>Boss</tt:UserLevel></tds:User><tds:User><tt:Username>b</tt:Username>\
         <tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:GetUsersResponse>",
    )
    .unwrap();
    assert_eq!(u.users[0].level, UserLevel::Extended);
    assert_eq!(u.users[1].level, UserLevel::Operator);
}

// ---------------------------------------------------------------------------------------------
// Captures

/// The answers this file covers, by the operation INDEX.tsv names. (The one `DeleteUsers` row
/// is a request filed as an answer: `captured_users_read_without_passwords_in_json` reads it.)
const OPS: &[&str] = &[
    "GetUsersResponse",
    "CreateUsersResponse",
    "DeleteUsersResponse",
    "GetDNSResponse",
    "SetDNSResponse",
    "GetNTPResponse",
    "SetNTPResponse",
    "GetHostnameResponse",
    "GetNetworkProtocolsResponse",
    "GetNetworkDefaultGatewayResponse",
    "SetNetworkDefaultGatewayResponse",
    "GetSystemUrisResponse",
    "GetSystemLogResponse",
    "GetDiscoveryModeResponse",
    "SetSystemFactoryDefaultResponse",
];

#[test]
fn every_captured_settings_answer_decodes_through_its_type() {
    let Some(dir) = captures_dir() else { return };
    let mut seen = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for row in index(&dir) {
        if !OPS.contains(&row.op()) {
            continue;
        }
        let bytes = read(&dir, &row.file);
        match decode::decode(&bytes) {
            Ok(d) if d.typed_error.is_none() && d.kind == "typed" => {
                seen.insert(row.op().to_owned());
            }
            Ok(d) => failures.push(format!(
                "{}: {} {} ({:?})",
                row.file, d.operation, d.kind, d.typed_error
            )),
            Err(e) => failures.push(format!("{}: {e}", row.file)),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    for op in OPS {
        assert!(seen.contains(*op), "no capture of {op} decoded");
    }
}

#[test]
fn captured_users_read_without_passwords_in_json() {
    let Some(dir) = captures_dir() else { return };
    // Passwords sent back, and every child in the device service's namespace (QUIRKS.md).
    let u: Users = read_as(&dir, "agsh-onvif/device.GetUsers.xml");
    assert_eq!(u.users.len(), 2);
    assert_eq!(u.users[1].username, "operator");
    assert_eq!(u.users[1].level, UserLevel::Operator);
    assert!(u.users[0].password.is_some());
    assert!(!serde_json::to_string(&u).unwrap().contains("\"password\""));
    let u: Users = read_as(
        &dir,
        "easy_onvif/happytimesoft/device_management/GetUsersResponse.xml",
    );
    assert_eq!(
        u.users
            .iter()
            .map(|u| (u.username.as_str(), u.level))
            .collect::<Vec<_>>(),
        [
            ("admin", UserLevel::Administrator),
            ("user", UserLevel::User)
        ]
    );
    assert!(u.users.iter().all(|u| u.password.is_none()));
    // A file named as DeleteUsers' answer holds the request: it reads as one.
    let body = read(
        &dir,
        "easy_onvif/IPD-H4K8M05-BS/device_management/DeleteUsersResponse.xml",
    );
    let d: DeleteUsers = onvif_testkit::message::read_document(&body).unwrap();
    assert_eq!(d.usernames, ["deleteMe_170440"]);
}

#[test]
fn captured_network_settings_read_with_their_values() {
    let Some(dir) = captures_dir() else { return };
    let dns: DnsInformation = read_as(
        &dir,
        "easy_onvif/GX728MF-IR28/device_management/GetDNSResponse.xml",
    );
    assert!(!dns.from_dhcp);
    assert_eq!(dns.search_domains, ["www.uniview.com"]);
    assert_eq!(
        dns.manual,
        [host("IPv4", "8.8.8.8"), host("IPv4", "8.8.4.4")]
    );
    // The gateway's address in the device service's namespace, and an empty IPv6 element.
    let g: NetworkGateway = read_as(&dir, "agsh-onvif/device.GetNetworkDefaultGateway.xml");
    assert_eq!(g.ipv4, ["192.168.0.1"]);
    assert!(g.ipv6.is_empty());
    // A second Port of 0 after the real one.
    let p: NetworkProtocols = read_as(&dir, "ex_onvif/get_network_protocols.xml");
    assert_eq!(p.protocols[0].name, "HTTP");
    assert_eq!(p.protocols[0].ports, [80, 0]);
    assert_eq!(p.protocols.len(), 3);
    let p: NetworkProtocols = read_as(
        &dir,
        "easy_onvif/happytimesoft/device_management/GetNetworkProtocolsResponse.xml",
    );
    assert_eq!(p.protocols[1].name, "HTTPS");
    assert!(!p.protocols[1].enabled);
    assert_eq!(p.protocols[1].ports, [1443]);
    let m: DiscoveryModeResponse = read_as(
        &dir,
        "easy_onvif/SUNBA/device_management/GetDiscoveryModeResponse.xml",
    );
    assert_eq!(m.mode, DiscoveryMode::Discoverable);
}

#[test]
fn captured_system_uris_and_logs_read_in_both_forms() {
    let Some(dir) = captures_dir() else { return };
    let u: SystemUris = read_as(
        &dir,
        "easy_onvif/happytimesoft/device_management/GetSystemUrisResponse.xml",
    );
    assert_eq!(u.system_logs.len(), 2);
    assert_eq!(u.system_logs[1].kind, "Access");
    assert!(u.support_info.as_deref().unwrap().ends_with("/SupportInfo"));
    assert!(u.system_backup.is_some());
    // Empty Uri and SupportInfoUri elements read as absent.
    let u: SystemUris = read_as(
        &dir,
        "easy_onvif/ENP1A14-IR_25X/device_management/GetSystemUrisResponse.xml",
    );
    assert_eq!(u.system_logs[0].uri, None);
    assert_eq!(u.support_info, None);
    let text: SystemLog = read_as(
        &dir,
        "easy_onvif/IPG-8150PSS/device_management/GetSystemLogResponse.xml",
    );
    assert_eq!(text.text.as_deref(), Some("Test System Log"));
    assert!(text.binary.is_none());
    // The attachment form, its href in angle brackets rather than `cid:` (QUIRKS.md).
    let bin: SystemLog = read_as(
        &dir,
        "easy_onvif/SUNBA/device_management/GetSystemLogResponse.xml",
    );
    let inc = bin.binary.unwrap().include.unwrap();
    assert_eq!(inc.content_id(), "http://tempuri.org/0/log.tgz");
    assert!(bin.text.is_none());
}

#[test]
fn host_names_are_checked_as_rfc_1123_says() {
    for ok in ["cam", "cam-1.example.com", "a.b.", "x1"] {
        assert!(network::is_valid_hostname(ok), "{ok}");
    }
    let long = "a".repeat(64);
    for bad in [
        "",
        "-cam",
        "cam-",
        "a..b",
        "cam_1",
        "cam 1",
        "192.0.2.1",
        long.as_str(),
    ] {
        assert!(!network::is_valid_hostname(bad), "{bad:?}");
    }
}
