//! Device service operations and the camera state behind them.

#![allow(clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use onvif_proto::ops::Service;
use onvif_proto::ops::device::{
    Capabilities, DateTime, DateTimeType, GetCapabilities, GetHostname, GetNetworkInterfaces,
    GetNtp, GetScopes, GetServiceCapabilities, GetServices, GetSystemDateAndTime,
    HostnameInformation, NetworkInterfaces, NtpInformation, RebootResponse, Scopes,
    ServiceCapabilities, Services, SetSystemDateAndTime, SystemDateAndTime, SystemReboot,
};
use onvif_sim::{AuthFailure, AuthMode, Quirk};
use onvif_testkit::http::{DEVICE, call, token};
use onvif_testkit::{PASSWORD, Sim, USER};

fn close(a: Timestamp, b: Timestamp) -> bool {
    a.duration_since(b).abs() < SignedDuration::from_secs(5)
}

fn shifted(secs: i64) -> Timestamp {
    Timestamp::now()
        .checked_add(SignedDuration::from_secs(secs))
        .unwrap()
}

async fn camera_clock(cam: &Sim) -> Timestamp {
    let t: SystemDateAndTime = call(cam.addr(), DEVICE, &GetSystemDateAndTime, None)
        .await
        .read();
    t.utc_timestamp().unwrap()
}

/// A token created on the camera's own clock (what a skew-correcting client sends).
fn camera_token(cam: &Sim) -> String {
    token(USER, PASSWORD, cam.camera_time())
}

#[tokio::test]
async fn clock_skew_shows_and_moves_the_created_window() {
    let cam = Sim::builder().clock_skew_secs(3600).start().await;
    assert!(close(camera_clock(&cam).await, shifted(3600)));
    assert!(close(cam.camera_time(), shifted(3600)));

    // Our real time is an hour behind the camera: refused.
    let real = token(USER, PASSWORD, Timestamp::now());
    call(cam.addr(), DEVICE, &GetHostname, Some(&real))
        .await
        .assert_not_authorized();
    assert_eq!(
        cam.stats().auth_failures_of(AuthFailure::CreatedOutOfRange),
        1
    );
    // On the camera's clock: accepted.
    let r = call(cam.addr(), DEVICE, &GetHostname, Some(&camera_token(&cam))).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Changed at run time.
    cam.set_clock_skew_secs(-600);
    assert!(close(camera_clock(&cam).await, shifted(-600)));
    cam.set_clock_skew(SignedDuration::ZERO);
    let real = token(USER, PASSWORD, Timestamp::now());
    assert_eq!(
        call(cam.addr(), DEVICE, &GetHostname, Some(&real))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn set_system_date_and_time_moves_the_clock_and_the_auth_reference() {
    let cam = Sim::builder().start().await;
    let target = DateTime {
        year: 2030,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
    };
    let set = SetSystemDateAndTime {
        date_time_type: DateTimeType::Manual,
        daylight_savings: false,
        time_zone: Some("CET-1".into()),
        utc: Some(target),
    };
    let h = token(USER, PASSWORD, Timestamp::now());
    let r = call(cam.addr(), DEVICE, &set, Some(&h)).await;
    assert_eq!(r.status, 200, "{}", r.body);

    let t: SystemDateAndTime = call(cam.addr(), DEVICE, &GetSystemDateAndTime, None)
        .await
        .read();
    assert_eq!(t.date_time_type, DateTimeType::Manual);
    assert_eq!(t.time_zone.as_deref(), Some("CET-1"));
    let expect = target.to_timestamp().unwrap();
    assert!(close(t.utc_timestamp().unwrap(), expect), "{t:?}");
    assert_eq!(t.local.map(|l| l.hour), Some(4), "{t:?}");
    assert!(close(cam.camera_time(), expect));

    // Tokens are now checked against 2030.
    let real = token(USER, PASSWORD, Timestamp::now());
    call(cam.addr(), DEVICE, &GetHostname, Some(&real))
        .await
        .assert_not_authorized();
    let r = call(cam.addr(), DEVICE, &GetHostname, Some(&camera_token(&cam))).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // NTP puts the clock back in step with real time.
    let ntp = SetSystemDateAndTime {
        date_time_type: DateTimeType::Ntp,
        daylight_savings: false,
        time_zone: None,
        utc: None,
    };
    let r = call(cam.addr(), DEVICE, &ntp, Some(&camera_token(&cam))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(close(camera_clock(&cam).await, Timestamp::now()));
}

#[tokio::test]
async fn set_system_date_and_time_refuses_bad_values() {
    let cam = Sim::builder().start().await;
    let good = DateTime {
        year: 2030,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
    };
    let cases = [
        (Some(DateTime { hour: 25, ..good }), None, "InvalidDateTime"),
        (None, None, "InvalidDateTime"),
        (Some(good), Some("not a zone!"), "InvalidTimeZone"),
    ];
    for (utc, tz, sub) in cases {
        let set = SetSystemDateAndTime {
            date_time_type: DateTimeType::Manual,
            daylight_savings: false,
            time_zone: tz.map(str::to_owned),
            utc,
        };
        let h = token(USER, PASSWORD, Timestamp::now());
        let r = call(cam.addr(), DEVICE, &set, Some(&h)).await;
        assert_eq!(r.status, 400, "{}", r.body);
        let f = r.fault();
        assert!(f.has_subcode("InvalidArgVal") && f.has_subcode(sub), "{f}");
    }
    assert!(close(cam.camera_time(), Timestamp::now()));
}

#[tokio::test]
async fn get_services_reports_the_address_the_client_used() {
    let cam = Sim::builder().start().await;
    let h = token(USER, PASSWORD, Timestamp::now());
    let gs = GetServices {
        include_capability: true,
    };
    let s: Services = call(cam.addr(), DEVICE, &gs, Some(&h)).await.read();
    let listed: Vec<Option<Service>> = s.services.iter().map(|s| s.service).collect();
    assert_eq!(
        listed,
        [
            Some(Service::Device),
            Some(Service::Media),
            Some(Service::Media2),
            Some(Service::Imaging),
            Some(Service::Ptz),
            Some(Service::Events),
            Some(Service::Analytics),
            Some(Service::DeviceIo),
            Some(Service::Recording),
            Some(Service::Search),
            Some(Service::Replay)
        ]
    );
    let dev = &s.services[0];
    assert_eq!(dev.service, Some(Service::Device));
    assert_eq!(dev.xaddr, cam.url());
    assert_eq!(dev.version, Some((21, 12)));
    assert_eq!(
        dev.capabilities
            .get("Security.UsernameToken")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        dev.capabilities
            .get("Security.HttpDigest")
            .map(String::as_str),
        Some("false")
    );

    let h = token(USER, PASSWORD, Timestamp::now());
    let caps: Capabilities = call(cam.addr(), DEVICE, &GetCapabilities::default(), Some(&h))
        .await
        .read();
    assert_eq!(caps.xaddr(Service::Device), Some(cam.url().as_str()));

    let h = token(USER, PASSWORD, Timestamp::now());
    let ptz = GetCapabilities {
        category: "PTZ".into(),
    };
    let ptz: Capabilities = call(cam.addr(), DEVICE, &ptz, Some(&h)).await.read();
    assert_eq!(
        ptz.xaddr(Service::Ptz),
        Some(format!("http://{}/onvif/ptz_service", cam.addr()).as_str())
    );
    assert_eq!(ptz.entries.len(), 1);

    let h = token(USER, PASSWORD, Timestamp::now());
    let analytics = GetCapabilities {
        category: "Analytics".into(),
    };
    let an: Capabilities = call(cam.addr(), DEVICE, &analytics, Some(&h)).await.read();
    assert_eq!(
        an.xaddr(Service::Analytics),
        Some(format!("http://{}/onvif/analytics_service", cam.addr()).as_str())
    );
    assert_eq!(an.entries.len(), 1);

    let h = token(USER, PASSWORD, Timestamp::now());
    let sc: ServiceCapabilities = call(cam.addr(), DEVICE, &GetServiceCapabilities, Some(&h))
        .await
        .read();
    assert!(sc.flag("Security.UsernameToken"));
    assert!(!sc.flag("Security.HttpDigest"));
    assert_eq!(sc.flags.get("Network.NTP").map(String::as_str), Some("1"));
}

#[tokio::test]
async fn digest_mode_advertises_http_digest() {
    let cam = Sim::builder()
        .auth(AuthMode::Either)
        .quirk(Quirk::OpenOperations)
        .start()
        .await;
    let gs = GetServices {
        include_capability: true,
    };
    let s: Services = call(cam.addr(), DEVICE, &gs, None).await.read();
    let caps = &s.services[0].capabilities;
    assert_eq!(
        caps.get("Security.HttpDigest").map(String::as_str),
        Some("true")
    );
    assert_eq!(
        caps.get("Security.UsernameToken").map(String::as_str),
        Some("true")
    );
}

async fn device_xaddrs(q: Quirk) -> (Sim, String, Option<String>) {
    let cam = Sim::builder()
        .quirk(q)
        .quirk(Quirk::OpenOperations)
        .start()
        .await;
    let gs = GetServices {
        include_capability: false,
    };
    let s: Services = call(cam.addr(), DEVICE, &gs, None).await.read();
    let caps: Capabilities = call(cam.addr(), DEVICE, &GetCapabilities::default(), None)
        .await
        .read();
    let from_caps = caps.xaddr(Service::Device).map(str::to_owned);
    (cam, s.services[0].xaddr.clone(), from_caps)
}

#[tokio::test]
async fn xaddr_quirks_lie_as_configured() {
    let (cam, xaddr, caps) = device_xaddrs(Quirk::LyingXAddrsZero).await;
    let port = cam.addr().port();
    // The unspecified address the quirk reports: compared, never contacted.
    let zero = std::net::Ipv4Addr::UNSPECIFIED;
    assert_eq!(xaddr, format!("http://{zero}:{port}/onvif/device_service"));
    assert_eq!(caps.as_deref(), Some(xaddr.as_str()));

    let (cam, xaddr, caps) = device_xaddrs(Quirk::LyingXAddrsOtherHost).await;
    let port = cam.addr().port();
    assert_eq!(
        xaddr,
        format!("http://192.0.2.1:{port}/onvif/device_service")
    );
    assert_eq!(caps.as_deref(), Some(xaddr.as_str()));

    let (cam, xaddr, caps) = device_xaddrs(Quirk::DoubledPort).await;
    let port = cam.addr().port();
    assert_eq!(
        xaddr,
        format!("http://127.0.0.1:{port}:{port}/onvif/device_service")
    );
    assert_eq!(caps.as_deref(), Some(xaddr.as_str()));
}

#[tokio::test]
async fn scopes_hostname_network_and_ntp() {
    let cam = Sim::builder().name("Garden Cam").start().await;
    let h = || token(USER, PASSWORD, Timestamp::now());

    let scopes: Scopes = call(cam.addr(), DEVICE, &GetScopes, Some(&h()))
        .await
        .read();
    let parts: Vec<(String, String)> = scopes
        .scopes
        .iter()
        .filter_map(|s| s.onvif_parts())
        .collect();
    assert!(
        parts.contains(&("name".into(), "Garden Cam".into())),
        "{parts:?}"
    );
    assert!(parts.contains(&("Profile".into(), "Streaming".into())));
    assert!(
        scopes
            .scopes
            .iter()
            .any(|s| s.item.ends_with("/name/Garden%20Cam"))
    );

    let host: HostnameInformation = call(cam.addr(), DEVICE, &GetHostname, Some(&h()))
        .await
        .read();
    assert_eq!(host.name.as_deref(), Some("onvif-sim"));
    assert!(!host.from_dhcp);

    let nics: NetworkInterfaces = call(cam.addr(), DEVICE, &GetNetworkInterfaces, Some(&h()))
        .await
        .read();
    let eth0 = &nics.interfaces[0];
    assert_eq!(eth0.token, "eth0");
    let v4 = eth0.ipv4.as_ref().unwrap();
    assert_eq!(v4.manual[0].address, "127.0.0.1");
    assert_eq!(v4.manual[0].prefix_length, 8);

    let ntp: NtpInformation = call(cam.addr(), DEVICE, &GetNtp, Some(&h())).await.read();
    assert_eq!(ntp.manual.len(), 1);
}

#[tokio::test]
async fn system_reboot_is_counted() {
    let cam = Sim::builder().start().await;
    assert_eq!(cam.reboots(), 0);
    let h = token(USER, PASSWORD, Timestamp::now());
    let r: RebootResponse = call(cam.addr(), DEVICE, &SystemReboot, Some(&h))
        .await
        .read();
    assert!(!r.message.is_empty());
    assert_eq!(cam.reboots(), 1);
    // Without credentials it is refused and not counted.
    call(cam.addr(), DEVICE, &SystemReboot, None)
        .await
        .assert_not_authorized();
    assert_eq!(cam.reboots(), 1);
}

/// GetWsdlUrl (mandatory): answered with credentials, and without them where the camera
/// opens its discovery operations, as GetServices.
#[tokio::test]
async fn the_wsdl_url_is_answered_like_the_discovery_operations() {
    use onvif_proto::ops::device::{GetWsdlUrl, WsdlUrl};
    let cam = Sim::builder().start().await;
    let h = token(USER, PASSWORD, Timestamp::now());
    let u: WsdlUrl = call(cam.addr(), DEVICE, &GetWsdlUrl, Some(&h)).await.read();
    assert_eq!(u.url, "http://www.onvif.org/");
    call(cam.addr(), DEVICE, &GetWsdlUrl, None)
        .await
        .assert_not_authorized();
    let open = Sim::builder().quirk(Quirk::OpenOperations).start().await;
    let u: WsdlUrl = call(open.addr(), DEVICE, &GetWsdlUrl, None).await.read();
    assert_eq!(u.url, "http://www.onvif.org/");
}

/// Scope changes the camera refuses: what is not a URI, more than it keeps, an empty SetScopes
/// (strict); nothing changes.
#[tokio::test]
async fn scope_changes_outside_what_the_camera_keeps_are_refused() {
    use onvif_proto::ops::device::{AddScopes, SetScopes};
    let cam = Sim::builder().start().await;
    let h = || token(USER, PASSWORD, Timestamp::now());
    let before: Scopes = call(cam.addr(), DEVICE, &GetScopes, Some(&h()))
        .await
        .read();
    let bad = SetScopes {
        scopes: vec!["not a uri".into()],
    };
    let r = call(cam.addr(), DEVICE, &bad, Some(&h())).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.fault().has_subcode("InvalidArgVal"), "{}", r.body);
    let many = AddScopes {
        items: (0..40)
            .map(|i| format!("onvif://www.onvif.org/location/room{i}"))
            .collect(),
    };
    let r = call(cam.addr(), DEVICE, &many, Some(&h())).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert!(r.fault().has_subcode("TooManyScopes"), "{}", r.body);
    let r = call(cam.addr(), DEVICE, &SetScopes::default(), Some(&h())).await;
    assert_eq!(r.status, 400, "strict: {}", r.body);
    let after: Scopes = call(cam.addr(), DEVICE, &GetScopes, Some(&h()))
        .await
        .read();
    assert_eq!(after, before);
}
