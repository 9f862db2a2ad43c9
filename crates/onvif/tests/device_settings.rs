//! The client's account and network settings methods against the strict simulator, over
//! 127.0.0.1: each change verified by a second call, a created user logging in (WS-Security and
//! HTTP Digest), and the password being set kept out of traces.
//! Nothing here opens a socket to these addresses: 192.0.2.x and 2001:db8:: are documentation
//! values stored as settings; every request goes to the simulator on 127.0.0.1.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use onvif::proto::ops::device::{
    DiscoveryMode, FactoryDefault, NetworkHost, NetworkProtocol, SystemLogType, UserLevel,
};
use onvif::{AuthScheme, Config, Credentials, ErrorKind};
use onvif_sim::AuthMode;
use onvif_testkit::{Sim, USER};

fn host(kind: &str, address: &str) -> NetworkHost {
    NetworkHost {
        kind: kind.into(),
        address: address.into(),
    }
}

#[tokio::test]
async fn a_created_user_logs_in_with_ws_security_and_digest_then_is_deleted() {
    for (mode, scheme) in [
        (AuthMode::WsUsernameToken, AuthScheme::WsUsernameToken),
        (AuthMode::HttpDigest, AuthScheme::Http),
    ] {
        let sim = Sim::builder().auth(mode).start().await;
        let cfg = || Config {
            auth: scheme,
            ..Config::default()
        };
        let admin = sim.connect_with(cfg()).await;
        admin
            .create_user("viewer", "view-Pass-1", UserLevel::User)
            .await
            .unwrap();
        let users = admin.users().await.unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(users[1].username, "viewer");
        assert_eq!(users[1].level, UserLevel::User);
        assert!(users.iter().all(|u| u.password.is_none()));

        let as_viewer = |pw: &str| sim.try_connect(Some(Credentials::new("viewer", pw)), cfg());
        let viewer = as_viewer("view-Pass-1").await.unwrap();
        assert!(viewer.hostname().await.is_ok(), "{mode:?}");

        // passwd: the old password stops working, the new one works.
        admin
            .set_user("viewer", Some("view-Pass-2"), UserLevel::User)
            .await
            .unwrap();
        let e = viewer.hostname().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{mode:?}: {e}");
        let viewer = as_viewer("view-Pass-2").await.unwrap();
        viewer.hostname().await.unwrap();

        admin.delete_users(&["viewer".into()]).await.unwrap();
        let e = viewer.hostname().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{mode:?}: {e}");
        assert_eq!(admin.users().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_refused_account_is_a_device_error_with_the_cameras_reason() {
    let (_sim, cam) = Sim::builder().start_and_connect().await;
    let e = cam
        .create_user(USER, "another-Pass", UserLevel::User)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device);
    let f = e.fault().unwrap();
    assert!(f.has_subcode("UsernameClash"), "{f:?}");
    assert!(e.to_string().contains("already exists"), "{e}");
    let e = cam.delete_users(&[USER.into()]).await.unwrap_err();
    assert!(e.fault().unwrap().has_subcode("FixedUser"), "{e}");
}

#[tokio::test]
async fn the_password_being_set_never_reaches_the_trace() {
    let sim = Sim::builder().start().await;
    let lines = Arc::new(Mutex::new(String::new()));
    let sink = lines.clone();
    let cam = sim
        .connect_with(Config {
            trace: Some(Arc::new(move |t: &str| sink.lock().unwrap().push_str(t))),
            ..Config::default()
        })
        .await;
    // XML's special characters: the escaped form is redacted too.
    let secret = "n3w<Secret>&pw";
    cam.create_user("op1", secret, UserLevel::Operator)
        .await
        .unwrap();
    cam.set_user("op1", Some("0ther&Secret"), UserLevel::Operator)
        .await
        .unwrap();
    let trace = lines.lock().unwrap().clone();
    assert!(trace.contains("CreateUsers"), "{trace}");
    assert!(trace.contains("SetUser"), "{trace}");
    for s in [
        secret,
        "n3w&lt;Secret&gt;&amp;pw",
        "0ther&Secret",
        "0ther&amp;Secret",
    ] {
        assert!(!trace.contains(s), "{s} in the trace:\n{trace}");
    }
}

#[tokio::test]
async fn network_settings_change_and_read_back() {
    let (sim, cam) = Sim::builder().start_and_connect().await;
    cam.set_dns(
        false,
        vec![host("IPv4", "192.0.2.1"), host("IPv6", "2001:db8::53")],
        vec!["example.com".into()],
    )
    .await
    .unwrap();
    let dns = cam.dns().await.unwrap();
    assert_eq!(dns.manual[0], host("IPv4", "192.0.2.1"));
    assert_eq!(dns.manual[1], host("IPv6", "2001:db8::53"));
    assert_eq!(dns.search_domains, ["example.com"]);

    cam.set_ntp(false, vec![host("DNS", "pool.example")])
        .await
        .unwrap();
    assert_eq!(
        cam.ntp().await.unwrap().manual,
        [host("DNS", "pool.example")]
    );

    cam.set_hostname("garden-cam").await.unwrap();
    assert_eq!(
        cam.hostname().await.unwrap().name.as_deref(),
        Some("garden-cam")
    );

    // RTSP is reported on the port stream URIs name, and moving it moves them.
    let rtsp_port =
        |p: &[NetworkProtocol]| p.iter().find(|p| p.name == "RTSP").unwrap().ports.clone();
    let profile = cam.profile(None).await.unwrap();
    let stream_port = || async {
        let u = cam
            .stream_uri(&profile, onvif::services::media::StreamTransport::Rtsp)
            .await
            .unwrap()
            .uri;
        onvif::Url::parse(&u).unwrap().port().unwrap()
    };
    assert_eq!(
        rtsp_port(&cam.network_protocols().await.unwrap()),
        [stream_port().await]
    );
    cam.set_network_protocols(vec![NetworkProtocol {
        name: "RTSP".into(),
        enabled: true,
        ports: vec![10554],
    }])
    .await
    .unwrap();
    let p = cam.network_protocols().await.unwrap();
    assert_eq!(rtsp_port(&p), [10554]);
    assert_eq!(stream_port().await, 10554);
    let http = p.iter().find(|p| p.name == "HTTP").unwrap();
    assert_eq!(
        http.ports,
        [sim.addr().port()],
        "HTTP shows where it listens"
    );

    cam.set_default_gateway(vec!["192.0.2.254".into()], Vec::new())
        .await
        .unwrap();
    assert_eq!(cam.default_gateway().await.unwrap().ipv4, ["192.0.2.254"]);

    assert_eq!(
        cam.discovery_mode().await.unwrap(),
        DiscoveryMode::Discoverable
    );
    cam.set_discovery_mode(DiscoveryMode::NonDiscoverable)
        .await
        .unwrap();
    assert_eq!(
        cam.discovery_mode().await.unwrap(),
        DiscoveryMode::NonDiscoverable
    );

    let log = cam.system_log(SystemLogType::System).await.unwrap();
    assert!(log.text.unwrap().contains("host name set to garden-cam"));
    assert!(cam.system_uris().await.unwrap().system_logs.is_empty());

    cam.factory_default(FactoryDefault::Soft).await.unwrap();
    assert_eq!(
        cam.hostname().await.unwrap().name.as_deref(),
        Some("onvif-sim")
    );
    assert!(cam.dns().await.unwrap().manual.is_empty());
    assert_eq!(
        cam.discovery_mode().await.unwrap(),
        DiscoveryMode::Discoverable
    );
}

#[tokio::test]
async fn an_invalid_address_is_refused_by_the_camera_with_its_reason() {
    let (_sim, cam) = Sim::builder().start_and_connect().await;
    let e = cam
        .set_dns(false, vec![host("IPv4", "999.1.1.1")], Vec::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device);
    assert!(e.fault().unwrap().has_subcode("InvalidIPv4Address"), "{e}");
    let e = cam.set_hostname("under_score").await.unwrap_err();
    assert!(e.fault().unwrap().has_subcode("InvalidHostname"), "{e}");
}

#[tokio::test]
async fn a_network_interface_is_set_for_the_next_reboot() {
    use onvif::proto::ops::device::{Ipv4Setting, NetworkInterfaceSetting, PrefixedAddress};
    let (_sim, cam) = Sim::builder().start_and_connect().await;
    let setting = NetworkInterfaceSetting {
        enabled: None,
        mtu: Some(1400),
        ipv4: Some(Ipv4Setting {
            enabled: None,
            manual: vec![PrefixedAddress {
                address: "192.0.2.50".into(),
                prefix_length: 24,
            }],
            dhcp: Some(false),
        }),
    };
    let reboot_needed = cam.set_network_interface("eth0", setting).await.unwrap();
    assert!(reboot_needed);
    let i = cam.network_interfaces().await.unwrap().interfaces.remove(0);
    assert_eq!(i.mtu, Some(1400));
    assert_eq!(i.ipv4.unwrap().manual[0].address, "192.0.2.50");
    let e = cam
        .set_network_interface("wlan0", NetworkInterfaceSetting::default())
        .await
        .unwrap_err();
    assert!(
        e.fault().unwrap().has_subcode("InvalidNetworkInterface"),
        "{e}"
    );
}

/// A peer on 127.0.0.1 that answers every request with this multipart (MTOM) body.
async fn mtom_peer(body: Vec<u8>) -> std::net::SocketAddr {
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: multipart/related; boundary=B1; \
         type=\"application/xop+xml\"; start=\"<root@cam>\"\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    onvif_testkit::peer::answering(answer).await
}

fn log_answer(href: &str, attachment_id: &str) -> Vec<u8> {
    let mut b = b"--B1\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\r\nContent-ID: <root@cam>\r\n\r\n".to_vec();
    b.extend_from_slice(
        format!(
            "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" \
             xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" \
             xmlns:tt=\"http://www.onvif.org/ver10/schema\" \
             xmlns:xop=\"http://www.w3.org/2004/08/xop/include\"><s:Body>\
             <tds:GetSystemLogResponse><tds:SystemLog><tt:Binary>\
             <xop:Include href=\"{href}\"/></tt:Binary></tds:SystemLog>\
             </tds:GetSystemLogResponse></s:Body></s:Envelope>"
        )
        .as_bytes(),
    );
    b.extend_from_slice(
        format!(
            "\r\n--B1\r\nContent-Type: application/octet-stream\r\nContent-ID: <{attachment_id}>\r\n\r\n\x00\x01log-bytes\r\n--B1--\r\n"
        )
        .as_bytes(),
    );
    b
}

#[tokio::test]
async fn a_log_sent_as_an_mtom_attachment_is_found_by_its_content_id() {
    for (href, id) in [
        ("cid:log@cam", "log@cam"),
        // The reference names no part (as a captured camera writes it): the only one is taken.
        ("<http://tempuri.org/0/log.tgz>", "other@cam"),
    ] {
        let addr = mtom_peer(log_answer(href, id)).await;
        let url = format!("http://{addr}/onvif/device_service")
            .parse()
            .unwrap();
        let cam = onvif::Camera::with_url(url, None, Config::default()).unwrap();
        let c = cam.system_log_content(SystemLogType::System).await.unwrap();
        assert!(c.log.text.is_none());
        assert_eq!(
            c.attachment.as_deref(),
            Some(&b"\x00\x01log-bytes"[..]),
            "{href}"
        );
    }
}

#[tokio::test]
async fn an_unchecked_token_naming_the_administrator_does_not_lift_a_viewer() {
    // Digest only: the camera checks the HTTP credentials, not a UsernameToken. A viewer's
    // valid Digest login with a forged token naming the administrator stays a viewer.
    let sim = Sim::builder().auth(AuthMode::HttpDigest).start().await;
    let cfg = || Config {
        auth: AuthScheme::Http,
        ..Config::default()
    };
    let admin = sim.connect_with(cfg()).await;
    admin
        .create_user("viewer", "view-Pass-1", UserLevel::User)
        .await
        .unwrap();
    let viewer = sim
        .try_connect(Some(Credentials::new("viewer", "view-Pass-1")), cfg())
        .await
        .unwrap();
    let forged = onvif::proto::wsse::UsernameToken::digest_now(
        USER,
        "not-the-password",
        jiff::Timestamp::now(),
    )
    .to_header();
    let url = viewer
        .endpoint(onvif::proto::Service::Device)
        .await
        .unwrap();
    let e = viewer
        .call_at_with_headers(&url, &onvif::proto::ops::device::GetUsers, &forged)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("needs an Administrator"), "{e}");
    // The administrator itself is let through.
    assert_eq!(admin.users().await.unwrap().len(), 2);
}

#[tokio::test]
async fn settings_written_as_some_cameras_write_them_are_read() {
    use onvif_sim::Quirk;
    let (sim, cam) = Sim::builder()
        .quirk(Quirk::UsersInDeviceNamespace)
        .quirk(Quirk::GatewayInDeviceNamespace)
        .quirk(Quirk::ProtocolPortZero)
        .quirk(Quirk::EmptySystemUris)
        .start_and_connect()
        .await;
    let device = "/onvif/device_service";
    let raw = sim.ask(device, &onvif::proto::ops::device::GetUsers).await;
    assert!(raw.body.contains("<tds:Username>"), "{}", raw.body);
    assert!(
        raw.body.contains(onvif_testkit::PASSWORD),
        "the camera sends it"
    );
    let users = cam.users().await.unwrap();
    assert_eq!(users[0].username, USER);
    assert_eq!(users[0].level, UserLevel::Administrator);
    assert!(users.iter().all(|u| u.password.is_none()));

    cam.set_default_gateway(vec!["192.0.2.254".into()], Vec::new())
        .await
        .unwrap();
    let raw = sim
        .ask(device, &onvif::proto::ops::device::GetNetworkDefaultGateway)
        .await;
    assert!(
        raw.body.contains("<tds:IPv6Address></tds:IPv6Address>"),
        "{}",
        raw.body
    );
    let g = cam.default_gateway().await.unwrap();
    assert_eq!(g.ipv4, ["192.0.2.254"]);
    assert!(g.ipv6.is_empty(), "an empty address is none");

    let p = cam.network_protocols().await.unwrap();
    assert_eq!(p[0].name, "HTTP");
    assert_eq!(p[0].ports, [sim.addr().port(), 0], "every port as sent");

    let uris = cam.system_uris().await.unwrap();
    assert_eq!(uris.system_logs.len(), 1);
    assert_eq!(uris.system_logs[0].uri, None);
    assert_eq!(uris.support_info, None);
    // No backup address: no backup over HTTP, said so.
    match cam.download_backup().await {
        Err(onvif::Error::Http {
            status: 404,
            detail,
            ..
        }) => {
            assert!(detail.contains("no backup address"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_simulated_log_attachment_named_in_angle_brackets_is_read() {
    let (sim, cam) = Sim::builder()
        .quirk(onvif_sim::Quirk::SystemLogAttachment)
        .start_and_connect()
        .await;
    cam.set_hostname("garden-cam").await.unwrap();
    let c = cam.system_log_content(SystemLogType::System).await.unwrap();
    assert!(c.log.text.is_none(), "the log is no String here");
    let include = c.log.binary.as_ref().unwrap().include.as_ref().unwrap();
    assert_eq!(include.content_id(), "http://tempuri.org/0/log.tgz");
    let log = String::from_utf8(c.attachment.unwrap()).unwrap();
    assert!(log.contains("host name set to garden-cam"), "{log}");

    // The attachment comes from the call's own answer, not from the kept last one: a client
    // that keeps none (as the bridge) finds it too.
    let cam = sim
        .connect_with(Config {
            keep_last_response: false,
            ..Config::default()
        })
        .await;
    let c = cam.system_log_content(SystemLogType::System).await.unwrap();
    assert!(c.attachment.is_some());
}
