//! The client against the simulated camera, over real sockets on 127.0.0.1: every device
//! operation, every auth mode, every quirk.
#![allow(clippy::unwrap_used)]

use onvif::proto::Service;
use onvif::proto::ops::device;
use onvif::{Camera, Config, Credentials, ErrorKind};
use onvif_sim::{AuthFailure, AuthMode, Quirk};
use onvif_testkit::{Sim, SimBuilder, USER};

/// A password with URL delimiters: it must reach the camera unchanged, and no trace shows it.
const PASSWORD: &str = "p@ss:w/rd%";

fn camera() -> SimBuilder {
    Sim::builder().password(PASSWORD)
}

#[tokio::test]
async fn every_device_operation_round_trips() {
    let h = camera().start().await;
    let cam = h.connect().await;

    let info = cam.device_information().await.unwrap();
    assert_eq!(info.manufacturer, "ONVIF Toolkit");
    assert_eq!(info.model, "onvif-sim");

    let t = cam.system_date_and_time().await.unwrap();
    let camera_utc = t.utc_timestamp().unwrap();
    assert!((camera_utc.as_second() - jiff::Timestamp::now().as_second()).abs() < 5);

    let caps = cam.capabilities().await.unwrap();
    assert!(caps.xaddr(Service::Device).is_some());

    let services = cam.services(true).await.unwrap();
    let dev = services
        .services
        .iter()
        .find(|s| s.service == Some(Service::Device))
        .unwrap();
    assert!(
        dev.xaddr.contains(&h.addr().port().to_string()),
        "{}",
        dev.xaddr
    );
    assert!(!dev.capabilities.is_empty());

    let sc = cam.service_capabilities().await.unwrap();
    assert!(sc.flag("Security.UsernameToken"), "{:?}", sc.flags);

    let scopes = cam.scopes().await.unwrap();
    assert!(
        scopes
            .scopes
            .iter()
            .any(|s| s.onvif_parts().is_some_and(|(c, _)| c == "name")),
        "{scopes:?}"
    );

    let host = cam.hostname().await.unwrap();
    assert_eq!(host.name.as_deref(), Some("onvif-sim"));

    let ifs = cam.network_interfaces().await.unwrap();
    assert!(!ifs.interfaces.is_empty());
    assert!(ifs.interfaces[0].ipv4.is_some());

    let ntp = cam.ntp().await.unwrap();
    assert!(!ntp.manual.is_empty() || ntp.from_dhcp);

    let before = h.reboots();
    cam.reboot().await.unwrap();
    assert_eq!(h.reboots(), before + 1);

    let eps = cam.endpoints().await.unwrap();
    assert_eq!(eps.source, "GetServices");
    assert_eq!(eps.services[&Service::Device], cam.device_url());
}

#[tokio::test]
async fn set_system_date_and_time_moves_the_camera_clock_and_auth_follows() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let target = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(-2))
        .unwrap();
    let reading = cam.set_clock(target).await.unwrap();
    let off = reading.offset.unwrap().as_secs_f64();
    assert!((off + 7200.0).abs() < 5.0, "offset {off}");
    assert!((h.camera_time().as_second() - target.as_second()).abs() < 5);
    // Requests after the change carry Created in the camera's new time, so they still pass.
    cam.device_information().await.unwrap();
}

#[tokio::test]
async fn clock_skew_of_an_hour_either_way_is_corrected_without_help() {
    for skew in [3600i64, -3600] {
        let h = camera().clock_skew_secs(skew).start().await;
        let cam = h.connect().await;
        let off = cam.clock_offset().unwrap().as_secs_f64();
        assert!(
            (off - skew as f64).abs() < 3.0,
            "skew {skew}, measured {off}"
        );
        cam.device_information().await.unwrap();
    }
}

#[tokio::test]
async fn a_clock_that_jumps_after_connecting_is_remeasured_once() {
    let h = camera().start().await;
    let cam = h.connect().await;
    h.set_clock_skew(jiff::SignedDuration::from_secs(-3600));
    // The first attempt is refused (Created an hour ahead of the camera); the client reads the
    // clock again and retries once.
    cam.device_information().await.unwrap();
    let off = cam.clock_offset().unwrap().as_secs_f64();
    assert!((off + 3600.0).abs() < 3.0, "{off}");
}

#[tokio::test]
async fn a_wrong_password_is_an_auth_error_in_every_mode() {
    for mode in [
        AuthMode::WsUsernameToken,
        AuthMode::HttpDigest,
        AuthMode::Both,
        AuthMode::Either,
    ] {
        let h = camera().auth(mode).start().await;
        let cam = h
            .try_connect(
                Some(Credentials::new(USER, "not-the-password")),
                Config::default(),
            )
            .await
            .unwrap();
        let e = cam.device_information().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{mode:?}: {e:?}");
        assert!(!e.to_string().contains("not-the-password"));
        // Never a storm: one password guess per call. WS-Security gets one clock re-measure,
        // and no retry since the clock has not moved; refused HTTP credentials are not
        // retried at all (the 401 that carries the challenge, and the refusal of our answer
        // to it). Cameras lock accounts after 3 to 5 guesses (docs/QUIRKS.md).
        let s = h.stats();
        let guesses = s.auth_failures_of(AuthFailure::WrongPassword)
            + s.auth_failures_of(AuthFailure::UnknownUser);
        // In `either` mode the token of the first request is a guess too: its refusal is a
        // 401 that reads like "Digest wanted", which the client answers once.
        let most = if mode == AuthMode::Either { 2 } else { 1 };
        assert_eq!(guesses, most, "{mode:?}: {s:?}");
        assert!(s.auth_failures <= 2, "{mode:?}: {s:?}");
    }
}

/// Credentials written into the address would show in every error and trace: refused, by
/// `connect` and `with_url` alike, without repeating the password.
#[test]
fn credentials_in_the_address_are_refused_without_being_repeated() {
    let url = url::Url::parse("http://admin:S3cret-pw@127.0.0.1:1/onvif/device_service").unwrap();
    let e = Camera::with_url(url.clone(), None, Config::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage, "{e}");
    assert!(e.to_string().contains("not in the address"), "{e}");
    assert!(!e.to_string().contains("S3cret-pw"), "{e}");
    let e = onvif::address::candidates(url.as_str()).unwrap_err();
    assert!(!e.to_string().contains("S3cret-pw"), "{e}");
}

#[tokio::test]
async fn no_credentials_is_an_auth_error_that_says_so() {
    let h = camera().start().await;
    let cam = h.try_connect(None, Config::default()).await.unwrap();
    let e = cam.device_information().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(e.to_string().contains("no credentials"), "{e}");
}

#[tokio::test]
async fn every_auth_mode_works_with_the_right_password() {
    for mode in AuthMode::ALL {
        let h = camera().auth(mode).start().await;
        let cam = h.connect().await;
        let info = cam.device_information().await.unwrap();
        assert_eq!(info.model, "onvif-sim", "{mode:?}");
        // A second call reuses the Digest state: no new 401 round trip.
        let before = h.stats().requests;
        cam.hostname().await.unwrap();
        assert_eq!(h.stats().requests, before + 1, "{mode:?}");
    }
}

#[tokio::test]
async fn fault_instead_of_401_is_still_an_auth_error() {
    let h = camera()
        .auth(AuthMode::HttpDigest)
        .quirk(Quirk::FaultInsteadOf401)
        .start()
        .await;
    let cam = h.connect().await;
    let e = cam.device_information().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e:?}");
}

#[tokio::test]
async fn all_auth_cameras_with_a_wrong_clock_are_still_reached() {
    // The clock cannot be read without credentials, and a token stamped with our time is
    // refused: the first estimate comes from the HTTP Date header of the refusal.
    for skew in [3600i64, -3600] {
        let h = camera()
            .quirk(Quirk::AllAuth)
            .clock_skew_secs(skew)
            .start()
            .await;
        let cam = h.connect().await;
        let off = cam.clock_offset().unwrap().as_secs_f64();
        assert!((off - skew as f64).abs() < 3.0, "skew {skew}: {off}");
        cam.device_information().await.unwrap();
    }
}

#[tokio::test]
async fn tapo_layout_is_found_at_onvif_service() {
    let h = camera().quirk(Quirk::Tapo).start().await;
    let cam = h.connect().await;
    assert_eq!(cam.device_url().path(), "/onvif/service");
    cam.device_information().await.unwrap();
    assert_eq!(
        cam.endpoint(Service::Device).await.unwrap().path(),
        "/onvif/service"
    );
}

#[tokio::test]
async fn lying_addresses_are_repaired_to_the_host_we_reached() {
    for q in [
        Quirk::LyingXAddrsZero,
        Quirk::LyingXAddrsOtherHost,
        Quirk::DoubledPort,
    ] {
        let h = camera().quirk(q).start().await;
        let cam = h.connect().await;
        let reported = cam.services(false).await.unwrap();
        let media = reported.xaddr(Service::Media).unwrap().to_owned();
        assert!(
            !media.starts_with(&format!("http://{}/", h.addr())),
            "{q:?} should lie: {media}"
        );
        let eps = cam.endpoints().await.unwrap();
        assert!(eps.services.len() >= 4, "{eps:?}");
        for (svc, url) in &eps.services {
            assert_eq!(url.host_str(), Some("127.0.0.1"), "{q:?} {svc}: {url}");
            assert_eq!(url.port(), Some(h.addr().port()), "{q:?} {svc}: {url}");
        }
        assert_eq!(eps.reported[&Service::Media], media);
        // And the repaired address works.
        assert!(!cam.profiles().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn keep_camera_host_keeps_usable_hosts_and_replaces_unusable_ones() {
    let cfg = || Config {
        keep_camera_host: true,
        ..Config::default()
    };
    let h = camera().quirk(Quirk::LyingXAddrsZero).start().await;
    let cam = h.connect_with(cfg()).await;
    let media = cam.endpoint(Service::Media).await.unwrap();
    assert_eq!(media.host_str(), Some("127.0.0.1"), "{media}");
    let h = camera().quirk(Quirk::LyingXAddrsOtherHost).start().await;
    let cam = h.connect_with(cfg()).await;
    let media = cam.endpoint(Service::Media).await.unwrap();
    assert_eq!(media.host_str(), Some("192.0.2.1"), "{media}");
}

#[tokio::test]
async fn get_services_falls_back_to_get_capabilities() {
    let h = camera().unsupported("GetServices").start().await;
    let cam = h.connect().await;
    let eps = cam.endpoints().await.unwrap();
    assert_eq!(eps.source, "GetCapabilities");
    let media = &eps.services[&Service::Media];
    assert_eq!(media.port(), Some(h.addr().port()));
    assert!(!cam.profiles().await.unwrap().is_empty());
}

#[tokio::test]
async fn replies_are_reused_over_one_connection() {
    let h = camera().start().await;
    let cam = h.connect().await;
    for _ in 0..5 {
        cam.hostname().await.unwrap();
    }
    assert_eq!(h.stats().connections, 1, "{:?}", h.stats());
}

#[tokio::test]
async fn the_trace_never_shows_the_password_or_the_digest() {
    let h = camera().auth(AuthMode::Both).start().await;
    let lines = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = lines.clone();
    let cfg = Config {
        trace: Some(std::sync::Arc::new(move |t: &str| {
            sink.lock().unwrap().push_str(t);
        })),
        ..Config::default()
    };
    let cam = h.connect_with(cfg).await;
    cam.device_information().await.unwrap();
    let trace = lines.lock().unwrap().clone();
    assert!(trace.contains("GetDeviceInformation"), "{trace}");
    assert!(trace.contains("[redacted]"), "{trace}");
    assert!(!trace.contains(PASSWORD));
    // Neither the WS-Security digest nor the HTTP Digest response is shown.
    for line in trace.lines() {
        if line.contains("wsse:Password") {
            assert!(line.contains("[redacted]"), "{line}");
        }
        if line.starts_with("authorization:") {
            assert!(line.contains("response=\"[redacted]\""), "{line}");
        }
    }
}

#[tokio::test]
async fn a_non_onvif_path_gives_a_clear_error() {
    let h = camera().start().await;
    let url = format!("http://{}/not/onvif", h.addr());
    let e = Camera::connect(&url, Some(h.credentials()), Config::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device, "{e:?}");
    assert!(e.to_string().contains("404"), "{e}");
}

#[tokio::test]
async fn unsupported_operations_surface_as_typed_faults() {
    let h = camera().unsupported("GetHostname").start().await;
    let cam = h.connect().await;
    let e = cam.hostname().await.unwrap_err();
    let f = e.fault().unwrap();
    assert!(f.is_action_not_supported(), "{f:?}");
    assert_eq!(e.kind(), ErrorKind::Device);
}

#[tokio::test]
async fn raw_bodies_are_sent_with_auth() {
    let h = camera().start().await;
    let cam = h.connect().await;
    let env = cam
        .call_raw(
            &cam.device_url(),
            "http://www.onvif.org/ver10/device/wsdl/GetHostname",
            "<tds:GetHostname/>",
        )
        .await
        .unwrap();
    let r = <device::HostnameInformation as onvif::proto::Message>::read(env.payload().unwrap())
        .unwrap();
    assert_eq!(r.name.as_deref(), Some("onvif-sim"));
}

#[tokio::test]
async fn the_last_answer_is_kept_unless_turned_off() {
    let sim = camera().start().await;
    let kept = sim.connect().await;
    kept.device_information().await.unwrap();
    let raw = String::from_utf8(kept.last_response().unwrap()).unwrap();
    assert!(raw.contains("GetDeviceInformationResponse"), "{raw}");
    // Shown by its size, not as a list of byte values; no password.
    let shown = format!("{kept:?}");
    assert!(
        shown.contains(&format!("last_response_bytes: Some({})", raw.len())),
        "{shown}"
    );
    assert!(
        shown.len() < 2000 && !shown.contains(onvif_testkit::PASSWORD),
        "{shown}"
    );
    let lean = sim
        .connect_with(Config {
            keep_last_response: false,
            ..Config::default()
        })
        .await;
    lean.device_information().await.unwrap();
    assert!(lean.last_response().is_none());
}

/// SystemReboot, as a camera does it: answered, then down (connections cut) for its
/// downtime, then back with its settings and without its event subscriptions.
#[tokio::test]
async fn system_reboot_takes_the_camera_down_and_brings_it_back_without_subscriptions() {
    let (sim, cam) = Sim::builder()
        .config(|c| c.reboot_downtime(std::time::Duration::from_millis(600)))
        .start_and_connect()
        .await;
    cam.set_hostname("kept-over-reboot").await.unwrap();
    cam.call(&onvif::proto::ops::events::CreatePullPointSubscription::default())
        .await
        .unwrap();
    assert_eq!(sim.event_subscriptions(), 1);

    let r = cam.reboot().await.unwrap();
    assert_eq!(r.message, "Rebooting: back in about 1 second");
    sim.powered(false).await;
    let e = cam.device_information().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    sim.powered(true).await;
    assert_eq!(sim.event_subscriptions(), 0);
    assert_eq!(
        cam.hostname().await.unwrap().name.as_deref(),
        Some("kept-over-reboot")
    );
    assert_eq!(sim.reboots(), 1);
}
