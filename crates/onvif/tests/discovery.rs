//! WS-Discovery against simulated cameras.
//!
//! Network safety: nothing here sends multicast or broadcast on a real interface. Probes go by
//! unicast to 127.0.0.1, announcements to a listener on 127.0.0.1, and the one multicast test
//! runs inside a network namespace of its own (`unshare --net`: only `lo`, which it brings up
//! with a 224.0.0.0/4 route) by re-running this test binary there; where no namespace can be
//! made (not root, no `unshare` or `ip`), it says SKIPPED and passes.
#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use onvif::discovery::{
    Announcement, Device, DiscoveryOptions, WatchOptions, discover, discover_all, watch,
};
use onvif::proto::discovery::{self as wsd, Packet, Payload};
use onvif::proto::xml::QNameValue;
use onvif_testkit::{Sim, netns};
use tokio::net::UdpSocket;

/// A guard on every wait, so a broken responder fails the test instead of hanging it.
const LIMIT: Duration = Duration::from_secs(10);

fn localhost0() -> SocketAddr {
    SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0)
}

/// Options probing these simulators by unicast, quickly.
fn unicast(to: &[SocketAddr]) -> DiscoveryOptions {
    DiscoveryOptions {
        unicast: to.to_vec(),
        timeout: Duration::from_millis(800),
        repeat: 3,
        repeat_interval: Duration::from_millis(100),
        ..DiscoveryOptions::default()
    }
}

fn check_is(d: &Device, h: &Sim, name: &str) {
    assert_eq!(d.endpoint, h.endpoint_reference().unwrap());
    assert!(d.endpoint.starts_with("urn:uuid:"), "{}", d.endpoint);
    assert_eq!(d.uuid.as_deref(), d.endpoint.strip_prefix("urn:uuid:"));
    assert_eq!(d.xaddrs, [h.url()]);
    assert_eq!(d.host.as_deref(), Some(h.addr().to_string().as_str()));
    assert_eq!(d.info.name.as_deref(), Some(name));
    assert_eq!(d.info.hardware.as_deref(), Some("onvif-sim"));
    assert_eq!(d.info.location, ["city/loopback"]);
    assert_eq!(d.info.profiles, ["S", "T"]);
    assert_eq!(d.types, wsd::onvif_types());
    assert_eq!(d.from, [h.discovery_addr().unwrap()]);
    assert_eq!(d.via, ["unicast"]);
}

#[tokio::test]
async fn several_cameras_answering_are_each_listed_once() {
    let names = ["Front door", "Garden cam/2", "Garage ü"];
    let mut sims = Vec::new();
    for n in names {
        sims.push(Sim::discoverable(n).await);
    }
    let addrs: Vec<SocketAddr> = sims.iter().map(|s| s.discovery_addr().unwrap()).collect();
    // Each camera answers each of the three probes: still one entry each.
    let found = discover_all(unicast(&addrs)).await.unwrap();
    assert_eq!(found.len(), 3, "{found:#?}");
    for (h, n) in sims.iter().zip(names) {
        let d = found
            .iter()
            .find(|d| d.endpoint == h.endpoint_reference().unwrap())
            .unwrap();
        check_is(d, h, n);
    }
    let mut uuids: Vec<_> = found.iter().map(|d| d.uuid.clone()).collect();
    uuids.dedup();
    assert_eq!(uuids.len(), 3);
}

/// Scopes changed through the device service are what discovery answers with: a new name and
/// location, an added scope; a fixed scope cannot be removed, nor one the camera lacks.
#[tokio::test]
async fn changed_scopes_are_what_discovery_finds() {
    let h = Sim::discoverable("old name").await;
    let cam = h.connect().await;
    let fixed = cam.set_scope_of("name", "Porch / Side").await.unwrap();
    assert!(fixed.is_empty(), "{fixed:?}");
    cam.set_scope_of("location", "city/Den Haag").await.unwrap();
    let extra = "onvif://www.onvif.org/location/garden".to_owned();
    cam.add_scopes(std::slice::from_ref(&extra)).await.unwrap();
    let found = discover_all(unicast(&[h.discovery_addr().unwrap()]))
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].info.name.as_deref(), Some("Porch / Side"));
    assert_eq!(found[0].info.location, ["city/Den Haag", "garden"]);

    cam.remove_scopes(&[extra]).await.unwrap();
    let fixed = "onvif://www.onvif.org/hardware/onvif-sim".to_owned();
    let e = cam.remove_scopes(&[fixed]).await.unwrap_err();
    assert!(
        e.fault().is_some_and(|f| f.has_subcode("FixedScope")),
        "{e}"
    );
    let gone = "onvif://www.onvif.org/location/garden".to_owned();
    let e = cam.remove_scopes(&[gone]).await.unwrap_err();
    assert!(e.fault().is_some_and(|f| f.has_subcode("NoScope")), "{e}");
    let scopes = cam.scopes().await.unwrap().scopes;
    let parts: Vec<_> = scopes.iter().filter_map(|s| s.onvif_parts()).collect();
    assert!(
        parts.contains(&("hardware".into(), "onvif-sim".into())),
        "{parts:?}"
    );
    assert!(!parts.iter().any(|(_, v)| v == "garden"), "{parts:?}");
}

#[tokio::test]
async fn results_arrive_as_cameras_answer() {
    let h = Sim::discoverable("quick").await;
    let started = Instant::now();
    let mut rx = discover(DiscoveryOptions {
        timeout: Duration::from_secs(30),
        ..unicast(&[h.discovery_addr().unwrap()])
    })
    .await
    .unwrap();
    let d = tokio::time::timeout(LIMIT, rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(started.elapsed() < LIMIT);
    check_is(&d, &h, "quick");
    // Dropping the receiver stops the probe; nothing else to wait for.
    drop(rx);
}

#[tokio::test]
async fn one_camera_answering_from_two_addresses_is_merged() {
    let endpoint = "urn:uuid:0b3f6a0e-5d55-4f5c-9d3e-1f2a3b4c5d6e";
    let mut sims = Vec::new();
    for _ in 0..2 {
        sims.push(
            Sim::builder()
                .config(|c| {
                    c.discovery(localhost0())
                        .discovery_announce(None)
                        .discovery_endpoint(endpoint)
                })
                .start()
                .await,
        );
    }
    let addrs: Vec<SocketAddr> = sims.iter().map(|s| s.discovery_addr().unwrap()).collect();
    let found = discover_all(unicast(&addrs)).await.unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d.endpoint, endpoint);
    let mut xaddrs = d.xaddrs.clone();
    xaddrs.sort();
    let mut urls: Vec<String> = sims.iter().map(|s| s.url()).collect();
    urls.sort();
    assert_eq!(xaddrs, urls);
    assert_eq!(d.from.len(), 2);
}

/// A ProbeMatch in the 2005/08 WS-Addressing namespace, without the ProbeMatches wrapper.
fn answer_2005_08(relates_to: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"
 xmlns:w="http://www.w3.org/2005/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
 xmlns:n="http://www.onvif.org/ver10/network/wsdl">
<e:Header>
 <w:MessageID>urn:uuid:11111111-2222-4333-8444-555555555555</w:MessageID>
 <w:RelatesTo>{relates_to}</w:RelatesTo>
 <w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</w:Action>
</e:Header>
<e:Body>
 <d:ProbeMatch>
  <w:EndpointReference><w:Address>uuid:6a0b59b6-0a4e-4c43-9a61-000000002005</w:Address></w:EndpointReference>
  <d:Types>n:NetworkVideoTransmitter</d:Types>
  <d:Scopes>onvif://www.onvif.org/name/Old%20Timer onvif://www.onvif.org/Profile/G</d:Scopes>
  <d:XAddrs>http://127.0.0.1:9/onvif/device_service</d:XAddrs>
  <d:MetadataVersion>4</d:MetadataVersion>
 </d:ProbeMatch>
</e:Body>
</e:Envelope>"#
    )
}

/// A fake camera on a raw socket: to every Probe it answers with garbage, a truncated
/// document, a ProbeMatches for another probe, a Hello, and one good answer (2005/08
/// addressing, no wrapper).
async fn fake_camera() -> SocketAddr {
    let sock = UdpSocket::bind(localhost0()).await.unwrap();
    let addr = sock.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65_536];
        loop {
            let Ok((n, from)) = sock.recv_from(&mut buf).await else {
                return;
            };
            let Ok(Packet {
                payload: Payload::Probe(probe),
                ..
            }) = Packet::parse(&buf[..n])
            else {
                continue;
            };
            let good = answer_2005_08(&probe.message_id);
            let other_probe = answer_2005_08("urn:uuid:99999999-9999-4999-8999-999999999999")
                .replace("000000002005", "0000000000bb");
            let hello = Packet::hello(
                wsd::Target {
                    address: "urn:uuid:6a0b59b6-0a4e-4c43-9a61-0000000000cc".into(),
                    ..wsd::Target::default()
                },
                None,
            )
            .to_xml();
            let answers: Vec<Vec<u8>> = vec![
                b"\x00\x01 definitely not XML".to_vec(),
                good.as_bytes()[..good.len() / 2].to_vec(),
                br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><d:ProbeMatches xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><d:ProbeMatch/></d:ProbeMatches></s:Body></s:Envelope>"#.to_vec(),
                other_probe.into_bytes(),
                hello.into_bytes(),
                good.into_bytes(),
            ];
            for a in answers {
                let _ = sock.send_to(&a, from).await;
            }
        }
    });
    addr
}

#[tokio::test]
async fn malformed_and_unrelated_answers_are_skipped() {
    let h = Sim::discoverable("real").await;
    let fake = fake_camera().await;
    let found = discover_all(unicast(&[fake, h.discovery_addr().unwrap()]))
        .await
        .unwrap();
    assert_eq!(found.len(), 2, "{found:#?}");
    check_is(
        found
            .iter()
            .find(|d| d.endpoint == h.endpoint_reference().unwrap())
            .unwrap(),
        &h,
        "real",
    );
    let old = found
        .iter()
        .find(|d| d.endpoint.ends_with("000000002005"))
        .unwrap();
    assert_eq!(
        old.uuid.as_deref(),
        Some("6a0b59b6-0a4e-4c43-9a61-000000002005")
    );
    assert_eq!(old.info.name.as_deref(), Some("Old Timer"));
    assert_eq!(old.info.profiles, ["G"]);
    assert_eq!(old.metadata_version, Some(4));
    assert_eq!(old.host.as_deref(), Some("127.0.0.1:9"));
    assert_eq!(old.from, [fake]);
}

/// A third-party responder that answers slightly wrong: a bare `d:ProbeMatch` whose Action
/// ends in `/ProbeMatch`, its EndpointReference in the discovery namespace, a scope with an
/// unescaped space, and (with `relates`) RelatesTo naming the probe or (without) missing.
async fn sloppy_responder(relates: bool) -> SocketAddr {
    let sock = UdpSocket::bind(localhost0()).await.unwrap();
    let addr = sock.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65_536];
        while let Ok((n, from)) = sock.recv_from(&mut buf).await {
            let Ok(Packet {
                payload: Payload::Probe(probe),
                ..
            }) = Packet::parse(&buf[..n])
            else {
                continue;
            };
            let relates_to = if relates {
                format!("<a:RelatesTo>{}</a:RelatesTo>", probe.message_id)
            } else {
                String::new()
            };
            let answer = format!(
                r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:MessageID>uuid:0b1c</a:MessageID>{relates_to}<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatch</a:Action></s:Header><s:Body><d:ProbeMatch><d:EndpointReference><d:Address>urn:uuid:5c0ff5e7-0000-4000-8000-00000000beef</d:Address></d:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/Back Yard onvif://www.onvif.org/hardware/DIY</d:Scopes><d:XAddrs>http://127.0.0.1:9/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></s:Body></s:Envelope>"#
            );
            let _ = sock.send_to(answer.as_bytes(), from).await;
        }
    });
    addr
}

#[tokio::test]
async fn a_camera_that_answers_slightly_wrong_is_listed() {
    for relates in [true, false] {
        let fake = sloppy_responder(relates).await;
        let found = discover_all(unicast(&[fake])).await.unwrap();
        assert_eq!(found.len(), 1, "relates_to {relates}: {found:#?}");
        let d = &found[0];
        assert_eq!(d.endpoint, "urn:uuid:5c0ff5e7-0000-4000-8000-00000000beef");
        assert_eq!(d.info.name.as_deref(), Some("Back Yard"));
        assert_eq!(d.host.as_deref(), Some("127.0.0.1:9"));
    }
}

/// A responder that floods the probes: one device under one UUID from 40 service
/// addresses, then 1,200 made-up devices, 200 to a datagram. One datagram answers each
/// probe (a burst of all of them would overflow a socket's receive buffer), and the first
/// answer carries the one device too.
async fn flooding_responder() -> SocketAddr {
    let sock = UdpSocket::bind(localhost0()).await.unwrap();
    let addr = sock.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65_536];
        let mut next = 0;
        while let Ok((n, from)) = sock.recv_from(&mut buf).await {
            let Ok(Packet {
                payload: Payload::Probe(probe),
                ..
            }) = Packet::parse(&buf[..n])
            else {
                continue;
            };
            let one = |uuid: u32, xaddrs: &str| {
                format!(
                    "<d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:00000000-0000-4000-8000-{uuid:012}</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:XAddrs>{xaddrs}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>"
                )
            };
            let many: Vec<String> = (0..40)
                .map(|i| format!("http://127.0.0.1:{}/onvif/device_service", 1000 + i))
                .collect();
            if next == 6 {
                continue;
            }
            let mut matches: String = (1..=200)
                .map(|i| one(next * 200 + i, "http://127.0.0.1:9/onvif/device_service"))
                .collect();
            if next == 0 {
                matches.insert_str(0, &one(0, &many.join(" ")));
            }
            next += 1;
            {
                let answer = format!(
                    r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:MessageID>uuid:f1d</a:MessageID><a:RelatesTo>{}</a:RelatesTo><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header><s:Body><d:ProbeMatches>{matches}</d:ProbeMatches></s:Body></s:Envelope>"#,
                    probe.message_id
                );
                let _ = sock.send_to(answer.as_bytes(), from).await;
            }
        }
    });
    addr
}

#[tokio::test]
async fn a_flood_of_made_up_devices_is_cut_at_the_cap() {
    let fake = flooding_responder().await;
    let found = discover_all(DiscoveryOptions {
        repeat: 8,
        repeat_interval: Duration::from_millis(50),
        timeout: Duration::from_millis(1500),
        ..unicast(&[fake])
    })
    .await
    .unwrap();
    assert_eq!(found.len(), onvif::discovery::MAX_DEVICES);
    let first = found
        .iter()
        .find(|d| d.endpoint.ends_with("-000000000000"))
        .expect("the first device");
    assert_eq!(first.xaddrs.len(), onvif::discovery::MAX_PER_DEVICE);
}

#[tokio::test]
async fn a_probe_for_other_types_is_not_answered() {
    let h = Sim::discoverable("picky").await;
    let found = discover_all(DiscoveryOptions {
        types: vec![QNameValue {
            ns: Some(wsd::DN.into()),
            name: "NetworkVideoDisplay".into(),
        }],
        timeout: Duration::from_millis(300),
        ..unicast(&[h.discovery_addr().unwrap()])
    })
    .await
    .unwrap();
    assert!(found.is_empty(), "{found:#?}");
    // An empty type list asks for everyone.
    let found = discover_all(DiscoveryOptions {
        types: Vec::new(),
        ..unicast(&[h.discovery_addr().unwrap()])
    })
    .await
    .unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn hello_and_bye_reach_a_watcher() {
    let mut w = watch(WatchOptions {
        bind: localhost0(),
        group: None,
        interfaces: Vec::new(),
    })
    .await
    .unwrap();
    let to = w.local_addr();
    let cfg = |name: &str| {
        Sim::builder()
            .name(name)
            .config(|c| c.discovery(localhost0()).discovery_announce(Some(to)))
    };

    let h = cfg("Hall").start().await;
    let Announcement::Hello(d) = tokio::time::timeout(LIMIT, w.recv())
        .await
        .unwrap()
        .unwrap()
    else {
        panic!("expected a Hello")
    };
    assert_eq!(d.endpoint, h.endpoint_reference().unwrap());
    assert_eq!(d.xaddrs, [h.url()]);
    assert_eq!(d.info.name.as_deref(), Some("Hall"));
    let endpoint = d.endpoint.clone();

    h.shutdown().await;
    let bye = tokio::time::timeout(LIMIT, w.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(bye, Announcement::Bye(_)), "{bye:?}");
    assert_eq!(bye.device().endpoint, endpoint);

    // Dropping a camera without shutting it down says Bye too.
    let h = cfg("Attic").start().await;
    let hello = tokio::time::timeout(LIMIT, w.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(hello, Announcement::Hello(_)), "{hello:?}");
    let endpoint = h.endpoint_reference().unwrap().to_owned();
    drop(h);
    let bye = tokio::time::timeout(LIMIT, w.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(bye, Announcement::Bye(_)), "{bye:?}");
    assert_eq!(bye.device().endpoint, endpoint);
}

#[tokio::test]
async fn the_endpoint_is_stable_for_a_camera_and_distinct_between_cameras() {
    let a = Sim::discoverable("a").await;
    let b = Sim::discoverable("b").await;
    assert_ne!(a.endpoint_reference(), b.endpoint_reference());
    let port = a.addr().port();
    let first = a.endpoint_reference().unwrap().to_owned();
    a.shutdown().await;
    // The same camera (serial number, address) again: the same identity.
    let again = Sim::builder()
        .config(|c| c.bind(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port)))
        .discovery_on_loopback()
        .try_start()
        .await;
    if let Ok(again) = again {
        assert_eq!(again.endpoint_reference(), Some(first.as_str()));
    }
    // Without discovery there is no responder.
    let plain = Sim::builder().start().await;
    assert_eq!(plain.discovery_addr(), None);
}

// ---------------------------------------------------------------------------------------------
// Multicast, in a network namespace of our own

#[test]
fn multicast_discovery_in_a_private_network_namespace() {
    netns::run_inside(
        "inside_the_namespace_multicast_finds_the_camera",
        "the multicast test",
    );
}

/// Runs only re-executed by the test above, inside a fresh network namespace.
#[tokio::test]
async fn inside_the_namespace_multicast_finds_the_camera() {
    if !netns::inside() {
        return;
    }
    netns::bring_up_lo();
    netns::ip(&["link", "set", "lo", "multicast", "on"]);
    netns::ip(&["route", "add", "224.0.0.0/4", "dev", "lo"]);

    // A listener joined to the group, hearing the camera's multicast Hello.
    let mut w = watch(WatchOptions {
        bind: SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 0),
        group: Some(wsd::MULTICAST_V4),
        interfaces: vec!["lo".into()],
    })
    .await
    .unwrap();
    let group_port = SocketAddr::new(wsd::MULTICAST_V4.into(), w.local_addr().port());

    let h = Sim::builder()
        .name("In the namespace")
        .config(|c| {
            c.discovery(localhost0())
                .discovery_announce(Some(group_port))
        })
        .start()
        .await;
    let hello = tokio::time::timeout(LIMIT, w.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(hello, Announcement::Hello(_)), "{hello:?}");
    assert_eq!(hello.device().endpoint, h.endpoint_reference().unwrap());

    // A multicast probe out of `lo` (IP_MULTICAST_IF 127.0.0.1) to the camera's port.
    let found = discover_all(DiscoveryOptions {
        interfaces: vec!["lo".into()],
        port: h.discovery_addr().unwrap().port(),
        timeout: Duration::from_millis(800),
        repeat_interval: Duration::from_millis(100),
        ..DiscoveryOptions::default()
    })
    .await
    .unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].endpoint, h.endpoint_reference().unwrap());
    assert_eq!(found[0].via, ["lo"]);
    assert_eq!(
        found[0].host.as_deref(),
        Some(h.addr().to_string().as_str())
    );

    // By its address too.
    let found = discover_all(DiscoveryOptions {
        interfaces: vec!["127.0.0.1".into()],
        port: h.discovery_addr().unwrap().port(),
        timeout: Duration::from_millis(500),
        ..DiscoveryOptions::default()
    })
    .await
    .unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");

    h.shutdown().await;
    let bye = tokio::time::timeout(LIMIT, w.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(bye, Announcement::Bye(_)), "{bye:?}");
    netns::done();
}
