//! The device service's accounts and network and system settings, as camera state: a created
//! user logs in, a deleted one no longer can; a set shows in the next get; bad values are
//! refused with the spec's fault.
//! Nothing here opens a socket to these addresses (192.0.2.x and the like are only values
//! stored as settings); every request goes to the simulator on 127.0.0.1.

#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use onvif_proto::ops::device::*;
use onvif_testkit::http::{DEVICE, call, token};
use onvif_testkit::{PASSWORD, Sim, USER};

fn user(name: &str, password: Option<&str>, level: UserLevel) -> User {
    User {
        username: name.into(),
        password: password.map(str::to_owned),
        level,
    }
}

fn host(kind: &str, address: &str) -> NetworkHost {
    NetworkHost {
        kind: kind.into(),
        address: address.into(),
    }
}

/// The innermost subcode of the fault `cam` answers `op` with.
async fn refused<O: onvif_proto::ops::Operation>(cam: &Sim, op: &O) -> (String, String) {
    let r = cam.ask(DEVICE, op).await;
    assert_ne!(r.status, 200, "{}", r.body);
    let f = r.fault();
    (
        f.subcodes
            .last()
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        f.reason,
    )
}

#[tokio::test]
async fn a_created_user_logs_in_and_a_deleted_one_no_longer_can() {
    let cam = Sim::start().await;
    let users: Users = cam.ask(DEVICE, &GetUsers).await.read();
    assert_eq!(users.users, [user(USER, None, UserLevel::Administrator)]);

    let create = CreateUsers {
        users: vec![user("op1", Some("op-pass-1"), UserLevel::Operator)],
    };
    cam.ask(DEVICE, &create).await.read::<CreateUsersResponse>();
    let as_op1 = || token("op1", "op-pass-1", Timestamp::now());
    let r = call(cam.addr(), DEVICE, &GetHostname, Some(&as_op1())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // GetUsers lists it, without a password.
    let r = cam.ask(DEVICE, &GetUsers).await;
    assert!(!r.body.contains("op-pass-1"), "{}", r.body);
    assert!(!r.body.contains("Password"), "{}", r.body);
    let users: Users = r.read();
    assert_eq!(users.users[1], user("op1", None, UserLevel::Operator));

    // A new password: the old one no longer works, the new one does.
    let set = SetUser {
        users: vec![user("op1", Some("op-pass-2"), UserLevel::User)],
    };
    cam.ask(DEVICE, &set).await.read::<SetUserResponse>();
    call(cam.addr(), DEVICE, &GetHostname, Some(&as_op1()))
        .await
        .assert_not_authorized();
    let new = token("op1", "op-pass-2", Timestamp::now());
    assert_eq!(
        call(cam.addr(), DEVICE, &GetHostname, Some(&new))
            .await
            .status,
        200
    );
    assert_eq!(
        cam.users()[1],
        ("op1".to_owned(), UserLevel::User),
        "the level changed too"
    );

    let delete = DeleteUsers {
        usernames: vec!["op1".into()],
    };
    cam.ask(DEVICE, &delete).await.read::<DeleteUsersResponse>();
    let new = token("op1", "op-pass-2", Timestamp::now());
    call(cam.addr(), DEVICE, &GetHostname, Some(&new))
        .await
        .assert_not_authorized();
    assert_eq!(cam.users().len(), 1);
    // The access log tells the story, without a password.
    let log: SystemLog = cam
        .ask(
            DEVICE,
            &GetSystemLog {
                log_type: SystemLogType::Access,
            },
        )
        .await
        .read();
    let text = log.text.unwrap();
    assert!(text.contains("user op1 created"), "{text}");
    assert!(text.contains("user op1 deleted"), "{text}");
    assert!(!text.contains("op-pass"), "{text}");
}

#[tokio::test]
async fn refused_accounts_get_the_spec_faults_with_a_reason() {
    let cam = Sim::start().await;
    let create = |u: User| CreateUsers { users: vec![u] };
    let cases = [
        (
            user(USER, Some("other-pass"), UserLevel::User),
            "UsernameClash",
        ),
        (
            user("", Some("goodpass"), UserLevel::User),
            "UsernameTooShort",
        ),
        (
            user(&"n".repeat(40), Some("goodpass"), UserLevel::User),
            "UsernameTooLong",
        ),
        (
            user("bad name", Some("goodpass"), UserLevel::User),
            "InvalidUsername",
        ),
        (
            user("weak", Some("abc"), UserLevel::User),
            "PasswordTooWeak",
        ),
        (
            user("long", Some(&"p".repeat(80)), UserLevel::User),
            "PasswordTooLong",
        ),
    ];
    for (u, code) in cases {
        let (sub, reason) = refused(&cam, &create(u)).await;
        assert_eq!(sub, code, "{reason}");
        assert!(!reason.is_empty());
    }
    let (sub, reason) = refused(
        &cam,
        &DeleteUsers {
            usernames: vec![USER.into()],
        },
    )
    .await;
    assert_eq!(sub, "FixedUser");
    assert!(reason.contains("last Administrator"), "{reason}");
    let (sub, _) = refused(
        &cam,
        &SetUser {
            users: vec![user("nobody", None, UserLevel::User)],
        },
    )
    .await;
    assert_eq!(sub, "UsernameMissing");
    // Too many: fill up, then one more.
    for i in 1..8 {
        let u = user(&format!("u{i}"), Some("goodpass"), UserLevel::User);
        cam.ask(DEVICE, &create(u))
            .await
            .read::<CreateUsersResponse>();
    }
    let (sub, _) = refused(&cam, &create(user("u9", Some("goodpass"), UserLevel::User))).await;
    assert_eq!(sub, "TooManyUsers");
    // None of it changed the configured user's login.
    assert_eq!(cam.ask(DEVICE, &GetHostname).await.status, 200);
}

#[tokio::test]
async fn network_settings_are_state_a_get_shows() {
    let cam = Sim::start().await;
    let set = SetDns {
        from_dhcp: false,
        search_domains: vec!["example.com".into()],
        manual: vec![host("IPv4", "192.0.2.1"), host("IPv6", "2001:db8::1")],
    };
    cam.ask(DEVICE, &set).await.read::<SetDnsResponse>();
    let dns: DnsInformation = cam.ask(DEVICE, &GetDns).await.read();
    assert_eq!(dns.manual, set.manual);
    assert_eq!(dns.search_domains, ["example.com"]);

    let ntp = SetNtp {
        from_dhcp: false,
        manual: vec![host("DNS", "pool.example"), host("IPv4", "192.0.2.123")],
    };
    cam.ask(DEVICE, &ntp).await.read::<SetNtpResponse>();
    let got: NtpInformation = cam.ask(DEVICE, &GetNtp).await.read();
    assert_eq!(got.manual, ntp.manual);

    let name = SetHostname {
        name: "porch-cam".into(),
    };
    cam.ask(DEVICE, &name).await.read::<SetHostnameResponse>();
    let h: HostnameInformation = cam.ask(DEVICE, &GetHostname).await.read();
    assert_eq!(h.name.as_deref(), Some("porch-cam"));

    let protocols = SetNetworkProtocols {
        protocols: vec![
            NetworkProtocol {
                name: "HTTP".into(),
                enabled: true,
                ports: vec![8081],
            },
            NetworkProtocol {
                name: "RTSP".into(),
                enabled: false,
                ports: vec![8554],
            },
        ],
    };
    cam.ask(DEVICE, &protocols)
        .await
        .read::<SetNetworkProtocolsResponse>();
    let p: NetworkProtocols = cam.ask(DEVICE, &GetNetworkProtocols).await.read();
    let http = p.protocols.iter().find(|p| p.name == "HTTP").unwrap();
    assert_eq!(http.ports, [8081]);
    let rtsp = p.protocols.iter().find(|p| p.name == "RTSP").unwrap();
    assert!(!rtsp.enabled);
    // Only state: the simulator still answers where it listens.
    assert_ne!(cam.addr().port(), 8081);
    assert_eq!(cam.ask(DEVICE, &GetDns).await.status, 200);

    let gw = SetNetworkDefaultGateway {
        ipv4: vec!["192.0.2.254".into()],
        ipv6: Vec::new(),
    };
    cam.ask(DEVICE, &gw)
        .await
        .read::<SetNetworkDefaultGatewayResponse>();
    let g: NetworkGateway = cam.ask(DEVICE, &GetNetworkDefaultGateway).await.read();
    assert_eq!(g.ipv4, ["192.0.2.254"]);

    let m: DiscoveryModeResponse = cam.ask(DEVICE, &GetDiscoveryMode).await.read();
    assert_eq!(m.mode, DiscoveryMode::Discoverable);
    let off = SetDiscoveryMode {
        mode: DiscoveryMode::NonDiscoverable,
    };
    cam.ask(DEVICE, &off)
        .await
        .read::<SetDiscoveryModeResponse>();
    let m: DiscoveryModeResponse = cam.ask(DEVICE, &GetDiscoveryMode).await.read();
    assert_eq!(m.mode, DiscoveryMode::NonDiscoverable);

    let log: SystemLog = cam
        .ask(
            DEVICE,
            &GetSystemLog {
                log_type: SystemLogType::System,
            },
        )
        .await
        .read();
    let text = log.text.unwrap();
    assert!(text.contains("host name set to porch-cam"), "{text}");
    assert!(
        text.contains("discovery mode set to NonDiscoverable"),
        "{text}"
    );
    let uris: SystemUris = cam.ask(DEVICE, &GetSystemUris).await.read();
    assert_eq!(
        uris.system_backup,
        Some(format!("http://{}/onvif/backup", cam.addr()))
    );
    assert!(uris.system_logs.is_empty() && uris.support_info.is_none());
}

#[tokio::test]
async fn bad_network_values_are_refused_with_the_spec_faults() {
    let cam = Sim::start().await;
    let dns = |a: &str| SetDns {
        from_dhcp: false,
        search_domains: Vec::new(),
        manual: vec![host("IPv4", a)],
    };
    let (sub, reason) = refused(&cam, &dns("300.1.2.3")).await;
    assert_eq!(sub, "InvalidIPv4Address");
    assert!(reason.contains("300.1.2.3"), "{reason}");
    let v6 = SetDns {
        from_dhcp: false,
        search_domains: Vec::new(),
        manual: vec![host("IPv6", "2001:db8::zz")],
    };
    assert_eq!(refused(&cam, &v6).await.0, "InvalidIPv6Address");
    let domain = SetDns {
        from_dhcp: false,
        search_domains: vec!["bad domain".into()],
        manual: Vec::new(),
    };
    assert_eq!(refused(&cam, &domain).await.0, "InvalidDnsName");
    let ntp = SetNtp {
        from_dhcp: false,
        manual: vec![host("DNS", "-bad-.example")],
    };
    assert_eq!(refused(&cam, &ntp).await.0, "InvalidDnsName");
    let name = SetHostname {
        name: "not a name".into(),
    };
    let (sub, reason) = refused(&cam, &name).await;
    assert_eq!(sub, "InvalidHostname");
    assert!(reason.contains("not a name"), "{reason}");
    let clash = SetNetworkProtocols {
        protocols: vec![NetworkProtocol {
            name: "RTSP".into(),
            enabled: true,
            ports: vec![cam.addr().port()],
        }],
    };
    assert_eq!(refused(&cam, &clash).await.0, "PortAlreadyInUse");
    let unknown = SetNetworkProtocols {
        protocols: vec![NetworkProtocol {
            name: "FTP".into(),
            enabled: true,
            ports: vec![21],
        }],
    };
    assert_eq!(refused(&cam, &unknown).await.0, "ServiceNotSupported");
    let gw = SetNetworkDefaultGateway {
        ipv4: vec!["2001:db8::1".into()],
        ipv6: Vec::new(),
    };
    assert_eq!(refused(&cam, &gw).await.0, "InvalidGatewayAddress");
    // Nothing changed.
    let dns: DnsInformation = cam.ask(DEVICE, &GetDns).await.read();
    assert!(dns.manual.is_empty() && dns.search_domains.is_empty());
    let h: HostnameInformation = cam.ask(DEVICE, &GetHostname).await.read();
    assert_eq!(h.name.as_deref(), Some("onvif-sim"));
}

/// eth0's settings as GetNetworkInterfaces shows them: DHCP, manual and DHCP addresses, MTU.
async fn eth0(cam: &Sim) -> (Option<String>, Vec<String>, Vec<String>, Option<u32>) {
    let all: NetworkInterfaces = cam.ask(DEVICE, &GetNetworkInterfaces).await.read();
    let i = all
        .interfaces
        .into_iter()
        .find(|i| i.token == "eth0")
        .unwrap();
    let v4 = i.ipv4.unwrap();
    let text = |l: Vec<PrefixedAddress>| -> Vec<String> {
        l.into_iter()
            .map(|a| format!("{}/{}", a.address, a.prefix_length))
            .collect()
    };
    (v4.dhcp, text(v4.manual), text(v4.from_dhcp), i.mtu)
}

fn set_eth0(ipv4: Option<Ipv4Setting>, mtu: Option<u32>) -> SetNetworkInterfaces {
    SetNetworkInterfaces {
        interface_token: "eth0".into(),
        interface: NetworkInterfaceSetting {
            enabled: None,
            mtu,
            ipv4,
        },
    }
}

fn by_hand(address: &str, prefix_length: u8) -> Option<Ipv4Setting> {
    Some(Ipv4Setting {
        enabled: None,
        manual: vec![PrefixedAddress {
            address: address.into(),
            prefix_length,
        }],
        dhcp: Some(false),
    })
}

#[tokio::test]
async fn the_network_interface_is_set_for_the_next_reboot_and_bad_values_are_refused() {
    let cam = Sim::start().await;
    let here = format!("{}/8", cam.addr().ip());
    assert_eq!(
        eth0(&cam).await,
        (Some("false".into()), vec![here.clone()], vec![], Some(1500))
    );
    let r: SetNetworkInterfacesResponse = cam
        .ask(DEVICE, &set_eth0(by_hand("192.0.2.50", 24), Some(1400)))
        .await
        .read();
    assert!(r.reboot_needed, "taken at the next reboot");
    assert_eq!(
        eth0(&cam).await,
        (
            Some("false".into()),
            vec!["192.0.2.50/24".into()],
            vec![],
            Some(1400)
        )
    );
    // The same again, before a reboot: it still waits for one.
    let r: SetNetworkInterfacesResponse = cam
        .ask(DEVICE, &set_eth0(by_hand("192.0.2.50", 24), None))
        .await
        .read();
    assert!(r.reboot_needed);
    // DHCP: the address it has is the one it got.
    let dhcp = Ipv4Setting {
        enabled: None,
        manual: Vec::new(),
        dhcp: Some(true),
    };
    cam.ask(DEVICE, &set_eth0(Some(dhcp), None))
        .await
        .read::<SetNetworkInterfacesResponse>();
    assert_eq!(
        eth0(&cam).await,
        (Some("true".into()), vec![], vec![here], Some(1400))
    );

    let mut other = set_eth0(None, Some(1400));
    other.interface_token = "wlan0".into();
    let off = SetNetworkInterfaces {
        interface_token: "eth0".into(),
        interface: NetworkInterfaceSetting {
            enabled: Some(false),
            mtu: None,
            ipv4: None,
        },
    };
    for (req, code) in [
        (other, "InvalidNetworkInterface"),
        (set_eth0(None, Some(100)), "InvalidMtuValue"),
        (
            set_eth0(by_hand("192.0.2.300", 24), None),
            "InvalidIPv4Address",
        ),
        (
            set_eth0(by_hand("192.0.2.0", 24), None),
            "InvalidIPv4Address",
        ),
        (
            set_eth0(by_hand("192.0.2.255", 24), None),
            "InvalidIPv4Address",
        ),
        (
            set_eth0(by_hand("192.0.2.9", 0), None),
            "InvalidIPv4Address",
        ),
        (
            set_eth0(by_hand("224.0.0.1", 4), None),
            "InvalidIPv4Address",
        ),
        (set_eth0(by_hand("0.1.2.3", 8), None), "InvalidIPv4Address"),
        (
            set_eth0(by_hand("240.0.0.1", 8), None),
            "InvalidIPv4Address",
        ),
        (off, "InvalidArgVal"),
    ] {
        let (sub, reason) = refused(&cam, &req).await;
        assert_eq!(sub, code, "{req:?}: {reason}");
    }
    assert_eq!(eth0(&cam).await.0, Some("true".into()), "nothing changed");
}

#[tokio::test]
async fn factory_default_puts_the_device_settings_back() {
    let cam = Sim::start().await;
    let create = CreateUsers {
        users: vec![user("op1", Some("op-pass-1"), UserLevel::Operator)],
    };
    cam.ask(DEVICE, &create).await.read::<CreateUsersResponse>();
    cam.ask(
        DEVICE,
        &SetHostname {
            name: "renamed".into(),
        },
    )
    .await
    .read::<SetHostnameResponse>();
    cam.ask(
        DEVICE,
        &SetDns {
            from_dhcp: false,
            search_domains: Vec::new(),
            manual: vec![host("IPv4", "192.0.2.1")],
        },
    )
    .await
    .read::<SetDnsResponse>();
    cam.ask(DEVICE, &set_eth0(by_hand("192.0.2.50", 24), None))
        .await
        .read::<SetNetworkInterfacesResponse>();
    cam.ask(
        DEVICE,
        &SetSystemFactoryDefault {
            kind: FactoryDefault::Soft,
        },
    )
    .await
    .read::<SetSystemFactoryDefaultResponse>();
    // Soft: the address the camera is reached at stays; hard: it goes too.
    assert_eq!(eth0(&cam).await.1, ["192.0.2.50/24"]);
    assert_eq!(cam.users(), [(USER.to_owned(), UserLevel::Administrator)]);
    let h: HostnameInformation = cam.ask(DEVICE, &GetHostname).await.read();
    assert_eq!(h.name.as_deref(), Some("onvif-sim"));
    let dns: DnsInformation = cam.ask(DEVICE, &GetDns).await.read();
    assert!(dns.manual.is_empty());
    // The configured password still works; the deleted account's does not.
    assert_eq!(
        call(
            cam.addr(),
            DEVICE,
            &GetHostname,
            Some(&token(USER, PASSWORD, Timestamp::now()))
        )
        .await
        .status,
        200
    );
    call(
        cam.addr(),
        DEVICE,
        &GetHostname,
        Some(&token("op1", "op-pass-1", Timestamp::now())),
    )
    .await
    .assert_not_authorized();
    cam.ask(
        DEVICE,
        &SetSystemFactoryDefault {
            kind: FactoryDefault::Hard,
        },
    )
    .await
    .read::<SetSystemFactoryDefaultResponse>();
    assert_eq!(eth0(&cam).await.1, [format!("{}/8", cam.addr().ip())]);
}

#[tokio::test]
async fn only_an_administrator_changes_accounts_and_settings() {
    let cam = Sim::start().await;
    let create = CreateUsers {
        users: vec![
            user("op1", Some("op-pass-1"), UserLevel::Operator),
            user("viewer", Some("view-pass-1"), UserLevel::User),
        ],
    };
    cam.ask(DEVICE, &create).await.read::<CreateUsersResponse>();
    for (name, pw) in [("op1", "op-pass-1"), ("viewer", "view-pass-1")] {
        let t = || token(name, pw, Timestamp::now());
        // Reading what every level may read works.
        let r = call(cam.addr(), DEVICE, &GetDns, Some(&t())).await;
        assert_eq!(r.status, 200, "{name}: {}", r.body);
        // Accounts and settings are the Administrator's.
        let r = call(
            cam.addr(),
            DEVICE,
            &SetHostname {
                name: "taken-over".into(),
            },
            Some(&t()),
        )
        .await;
        let f = r.fault();
        assert!(f.is_not_authorized(), "{name}: {f:?}");
        assert!(f.reason.contains("needs an Administrator"), "{}", f.reason);
        let r = call(cam.addr(), DEVICE, &GetUsers, Some(&t())).await;
        assert!(r.fault().is_not_authorized(), "{name}");
    }
    // Nothing changed, and none of it counted as a failed login.
    let h: HostnameInformation = cam.ask(DEVICE, &GetHostname).await.read();
    assert_eq!(h.name.as_deref(), Some("onvif-sim"));
    assert_eq!(cam.stats().auth_failures, 0);
}
