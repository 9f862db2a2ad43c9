//! Discovery messages read and written: probes, matches, announcements, the readings of sloppy
//! responders, and the recorded ProbeMatches.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::ns;
use crate::xml::QNameValue;

fn sample() -> Target {
    Target {
        address: "urn:uuid:5f5a69c2-e0ae-504f-829b-00fe40d7f8a1".into(),
        types: onvif_types(),
        scopes: vec![
            "onvif://www.onvif.org/Profile/Streaming".into(),
            "onvif://www.onvif.org/Profile/T".into(),
            "onvif://www.onvif.org/name/Garden%20Cam".into(),
            "onvif://www.onvif.org/hardware/IPC%2D1".into(),
            "onvif://www.onvif.org/location/city/Paris".into(),
            "onvif://www.onvif.org/type/video_encoder".into(),
        ],
        xaddrs: vec![
            "http://10.0.0.7/onvif/device_service".into(),
            "http://[fe80::1]/onvif/device_service".into(),
        ],
        metadata_version: Some(3),
        notes: Vec::new(),
    }
}

#[test]
fn a_probe_is_what_onvif_devices_expect() {
    let p = Probe::new();
    assert!(p.message_id.starts_with("urn:uuid:"));
    assert!(uuid_of(&p.message_id).is_some());
    let xml = p.to_xml();
    let root = crate::xml::parse(xml.as_bytes()).unwrap();
    assert!(root.is(ns::SOAP12, "Envelope"));
    let header = root.child(ns::SOAP12, "Header").unwrap();
    assert_eq!(
        header.child_text(ns::WSA_2004, "MessageID"),
        Some(p.message_id.as_str())
    );
    assert_eq!(header.child_text(ns::WSA_2004, "To"), Some(TO_DISCOVERY));
    assert_eq!(
        header.child_text(ns::WSA_2004, "Action"),
        Some(ACTION_PROBE)
    );
    let types = root
        .path(&[(ns::SOAP12, "Body"), (WSD, "Probe"), (WSD, "Types")])
        .unwrap();
    assert_eq!(types.text(), "dn:NetworkVideoTransmitter tds:Device");
    let resolved: Vec<QNameValue> = types
        .text()
        .split_whitespace()
        .map(|q| types.resolve_qname(q))
        .collect();
    assert_eq!(resolved, onvif_types());

    let back = Packet::parse(xml.as_bytes()).unwrap();
    assert_eq!(back.payload, Payload::Probe(p));
}

#[test]
fn message_ids_are_fresh_uuids() {
    let a = new_message_id();
    let b = new_message_id();
    assert_ne!(a, b);
    let u = uuid_of(&a).unwrap();
    assert_eq!(&u[14..15], "4");
}

#[test]
fn probe_matches_hello_and_bye_round_trip() {
    let seq = Some(AppSequence {
        instance_id: 7,
        sequence_id: None,
        message_number: 2,
    });
    for packet in [
        Packet::probe_matches("urn:uuid:abc", vec![sample()], seq.clone()),
        Packet::hello(sample(), seq.clone()),
        Packet::bye(
            Target {
                address: sample().address,
                ..Target::default()
            },
            None,
        ),
    ] {
        let xml = packet.to_xml();
        let back = Packet::parse(xml.as_bytes()).unwrap();
        assert_eq!(back, packet, "{xml}");
    }
}

#[test]
fn types_in_other_namespaces_get_a_prefix_of_their_own() {
    let mut t = sample();
    t.types.push(QNameValue {
        ns: Some("urn:vendor".into()),
        name: "Thing".into(),
    });
    let p = Packet::hello(t.clone(), None);
    let back = Packet::parse(p.to_xml().as_bytes()).unwrap();
    assert_eq!(back.payload, Payload::Hello(t));
}

#[test]
fn scopes_are_decoded() {
    let info = sample().scope_info();
    assert_eq!(info.name.as_deref(), Some("Garden Cam"));
    assert_eq!(info.hardware.as_deref(), Some("IPC-1"));
    assert_eq!(info.location, vec!["city/Paris".to_owned()]);
    assert_eq!(info.profiles, vec!["S".to_owned(), "T".to_owned()]);
    assert_eq!(info.types, vec!["video_encoder".to_owned()]);
    let other = ScopeInfo::from_scopes(&[
        "onvif://www.onvif.org/Profile/G",
        "onvif://www.onvif.org/Profile/M",
        "onvif://www.onvif.org/Profile/Q/Operational",
        "onvif://www.onvif.org/Profile/G",
        "onvif://www.onvif.org/name/",
        "onvif://www.onvif.org/location/",
        "http://example.com/x",
    ]);
    assert_eq!(other.profiles, ["G", "M", "Q"]);
    assert_eq!(other.name, None);
    assert!(other.location.is_empty());
}

#[test]
fn probes_match_by_type_and_scope() {
    let t = sample();
    let mut p = Probe::new();
    assert!(p.matches(&t));
    p.types = vec![network_video_transmitter()];
    assert!(p.matches(&t));
    p.types = Vec::new();
    assert!(p.matches(&t));
    p.types = vec![QNameValue {
        ns: Some(DN.into()),
        name: "NetworkVideoDisplay".into(),
    }];
    assert!(!p.matches(&t));
    p.types = onvif_types();
    p.scopes = vec!["onvif://www.onvif.org/location/city".into()];
    assert!(p.matches(&t));
    p.scopes = vec!["ONVIF://www.onvif.org/location/cit".into()];
    assert!(!p.matches(&t));
    p.scopes = vec!["onvif://www.onvif.org/Profile/T".into()];
    assert!(p.matches(&t));
}

const MATCH_2005_08_NO_WRAPPER: &str = r#"<?xml version="1.0"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
  xmlns:wsa="http://www.w3.org/2005/08/addressing"
  xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery">
 <env:Header>
  <wsa:MessageID>uuid:1</wsa:MessageID>
  <wsa:RelatesTo>urn:uuid:probe-1</wsa:RelatesTo>
  <wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>
 </env:Header>
 <env:Body>
  <wsd:ProbeMatch>
   <wsa:EndpointReference><wsa:Address>urn:uuid:AAAAAAAA-bbbb-cccc-dddd-eeeeeeeeeeee</wsa:Address></wsa:EndpointReference>
   <wsd:Types xmlns:x="http://www.onvif.org/ver10/network/wsdl">x:NetworkVideoTransmitter</wsd:Types>
   <wsd:Scopes>
 onvif://www.onvif.org/name/Hall%20way   onvif://www.onvif.org/Profile/Streaming
   </wsd:Scopes>
   <wsd:XAddrs>http://192.0.2.5:8080/onvif/device_service</wsd:XAddrs>
   <wsd:MetadataVersion>x</wsd:MetadataVersion>
  </wsd:ProbeMatch>
 </env:Body>
</env:Envelope>"#;

#[test]
fn the_2005_08_addressing_and_a_missing_wrapper_are_accepted() {
    let p = Packet::parse(MATCH_2005_08_NO_WRAPPER.as_bytes()).unwrap();
    assert_eq!(p.headers.addressing, Addressing::V2005);
    assert_eq!(p.headers.relates_to.as_deref(), Some("urn:uuid:probe-1"));
    let Payload::ProbeMatches(ms) = p.payload else {
        panic!("{:?}", p.payload)
    };
    assert_eq!(ms.len(), 1);
    let m = &ms[0];
    assert_eq!(
        m.uuid().as_deref(),
        Some("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
    );
    assert_eq!(m.types, vec![network_video_transmitter()]);
    assert_eq!(m.scopes.len(), 2);
    assert_eq!(m.scope_info().name.as_deref(), Some("Hall way"));
    assert_eq!(m.xaddrs, ["http://192.0.2.5:8080/onvif/device_service"]);
    assert_eq!(m.metadata_version, None);
}

#[test]
fn a_sloppy_responder_is_read_as_far_as_it_can_be() {
    // A bare ProbeMatch, its Action ending in /ProbeMatch, the endpoint reference in the
    // discovery namespace, a scope with an unescaped space.
    let doc = br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatch</a:Action><a:RelatesTo>urn:uuid:1</a:RelatesTo></s:Header><s:Body><d:ProbeMatch><d:EndpointReference><d:Address>urn:uuid:0f0e0d0c-0b0a-0908-0706-050403020100</d:Address></d:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/Front Door onvif://www.onvif.org/hardware/X1</d:Scopes><d:XAddrs>http://127.0.0.1:8080/onvif/device_service</d:XAddrs></d:ProbeMatch></s:Body></s:Envelope>"#;
    let p = Packet::parse(doc).unwrap();
    let Payload::ProbeMatches(ms) = p.payload else {
        panic!("not ProbeMatches")
    };
    let m = &ms[0];
    assert_eq!(m.address, "urn:uuid:0f0e0d0c-0b0a-0908-0706-050403020100");
    assert_eq!(m.xaddrs, ["http://127.0.0.1:8080/onvif/device_service"]);
    assert_eq!(m.scope_info().name.as_deref(), Some("Front Door"));
    assert_eq!(m.scope_info().hardware.as_deref(), Some("X1"));
    assert_eq!(m.notes.len(), 2, "{:?}", m.notes);
    assert!(m.notes[0].contains("not WS-Addressing"), "{:?}", m.notes);
    assert!(m.notes[1].contains("unescaped space"), "{:?}", m.notes);
    assert!(m.notes[1].ends_with("Front Door"), "{:?}", m.notes);

    // No endpoint reference at all: the XAddrs stand in for the identity.
    let doc = br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:ProbeMatches><d:ProbeMatch><d:XAddrs>http://127.0.0.1/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"#;
    let Payload::ProbeMatches(ms) = Packet::parse(doc).unwrap().payload else {
        panic!("not ProbeMatches")
    };
    assert_eq!(ms[0].address, "http://127.0.0.1/onvif/device_service");
    assert!(
        ms[0].notes[0].contains("XAddrs stand in"),
        "{:?}",
        ms[0].notes
    );
}

#[test]
fn malformed_messages_are_errors_not_panics() {
    let cases: &[&[u8]] = &[
        b"",
        b"not xml",
        b"\xff\xfe\x00",
        b"<a/>",
        br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>"#,
        br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>"#,
        br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x/></s:Body></s:Envelope>"#,
        // A match with neither an endpoint reference nor an address to reach it at (one
        // with XAddrs is listed: see below).
        br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:ProbeMatches><d:ProbeMatch><d:Types>x</d:Types></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"#,
        // An empty address.
        br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:Hello><a:EndpointReference><a:Address> </a:Address></a:EndpointReference></d:Hello></s:Body></s:Envelope>"#,
        // A fault.
        br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code></s:Fault></s:Body></s:Envelope>"#,
        // Truncated.
        &MATCH_2005_08_NO_WRAPPER.as_bytes()[..400],
    ];
    for c in cases {
        assert!(
            Packet::parse(c).is_err(),
            "{:?}",
            String::from_utf8_lossy(c)
        );
    }
    let big = vec![b' '; MAX_DATAGRAM + 1];
    assert!(Packet::parse(&big).is_err());
}

#[test]
fn one_broken_probe_match_does_not_hide_the_others() {
    let xml = Packet::probe_matches("urn:uuid:abc", vec![sample()], None).to_xml();
    // A second, empty ProbeMatch (no endpoint reference) beside the good one.
    let i = xml.find(":ProbeMatch>").unwrap();
    let open_start = xml[..i].rfind('<').unwrap();
    let prefix = &xml[open_start + 1..i];
    let broken = format!("<{prefix}:ProbeMatch></{prefix}:ProbeMatch>");
    let xml = format!("{}{}{}", &xml[..open_start], broken, &xml[open_start..]);
    let p = Packet::parse(xml.as_bytes()).unwrap();
    let Payload::ProbeMatches(m) = p.payload else {
        panic!("not ProbeMatches")
    };
    assert_eq!(m.len(), 1);
    assert_eq!(m[0], sample());
    // Alone, the broken one is an error.
    let alone = xml.replacen(&broken, "", 1);
    let j = alone.find(":ProbeMatch>").unwrap();
    let start = alone[..j].rfind('<').unwrap();
    let end = alone.find(&format!("</{prefix}:ProbeMatch>")).unwrap()
        + format!("</{prefix}:ProbeMatch>").len();
    let only_broken = format!("{}{}{}", &alone[..start], broken, &alone[end..]);
    assert!(Packet::parse(only_broken.as_bytes()).is_err());
}

#[test]
fn an_empty_probe_matches_is_no_match() {
    let p = Packet::probe_matches("urn:uuid:x", Vec::new(), None);
    let back = Packet::parse(p.to_xml().as_bytes()).unwrap();
    assert_eq!(back.payload, Payload::ProbeMatches(Vec::new()));
}

#[test]
fn uuids_are_recognised_in_both_forms() {
    let u = "c9790c3a-701b-464d-a189-0060351c8ada";
    assert_eq!(uuid_of(&format!("urn:uuid:{u}")).as_deref(), Some(u));
    assert_eq!(uuid_of(&format!("uuid:{u}")).as_deref(), Some(u));
    assert_eq!(
        uuid_of(&format!("URN:UUID:{}", u.to_uppercase())).as_deref(),
        Some(u)
    );
    assert_eq!(uuid_of("urn:uuid:nope"), None);
    assert_eq!(uuid_of("http://x/"), None);
    assert_eq!(format_uuid(&[0xab; 16]).len(), 36);
}

/// The ProbeMatches recorded from a mock camera in the shared captures (when present).
#[test]
fn the_probe_matches_capture_is_read() {
    let dir = match std::env::var_os("ONVIF_CAPTURES") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures"),
    };
    let Ok(index) = std::fs::read_to_string(dir.join("INDEX.tsv")) else {
        eprintln!("SKIPPED: no captures at {}", dir.display());
        return;
    };
    let files: Vec<&str> = index
        .lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() > 2 && c[2] == "ProbeMatches").then_some(c[1])
        })
        .collect();
    assert!(!files.is_empty(), "no ProbeMatches in INDEX.tsv");
    for f in files {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        let p = Packet::parse(&bytes).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(p.headers.addressing, Addressing::V2004);
        assert_eq!(
            p.headers.action.as_deref(),
            Some(ACTION_PROBE_MATCHES),
            "{f}"
        );
        let Payload::ProbeMatches(ms) = &p.payload else {
            panic!("{f}: {:?}", p.payload)
        };
        assert_eq!(ms.len(), 1, "{f}");
        let m = &ms[0];
        if f.ends_with("agsh-onvif/Probe.xml") {
            assert_eq!(
                m.uuid().as_deref(),
                Some("c9790c3a-701b-464d-a189-0060351c8ada")
            );
            assert_eq!(m.types, onvif_types());
            assert_eq!(m.xaddrs, ["SERVICE_URI"]);
            assert_eq!(m.metadata_version, Some(1));
            assert_eq!(
                p.headers.app_sequence,
                Some(AppSequence {
                    instance_id: 0,
                    sequence_id: None,
                    message_number: 161
                })
            );
            let info = m.scope_info();
            assert_eq!(info.name.as_deref(), Some("PREDATOR"));
            assert_eq!(info.hardware.as_deref(), Some("HD_PREDATOR"));
            assert_eq!(info.profiles, ["S"]);
            assert!(info.location.is_empty());
            assert_eq!(info.types, ["video_encoder", "audio_encoder", "ptz"]);
        }
    }
}

#[test]
fn every_message_round_trips_with_every_header_set() {
    let seq = Some(AppSequence {
        instance_id: 1_700_000_000,
        sequence_id: Some("urn:uuid:0a0b0c0d-0000-4000-8000-000000000001".into()),
        message_number: 42,
    });
    let mut probe = Probe::new();
    probe.scopes = vec!["onvif://www.onvif.org/location/city/Paris".into()];
    probe.types.push(QNameValue {
        ns: Some("urn:vendor".into()),
        name: "Thing".into(),
    });
    let other = Target {
        address: "http://192.0.2.9/onvif/device_service".into(),
        types: vec![QNameValue {
            ns: None,
            name: "Bare".into(),
        }],
        scopes: Vec::new(),
        xaddrs: vec!["http://192.0.2.9/onvif/device_service".into()],
        metadata_version: None,
        notes: Vec::new(),
    };
    for addressing in [Addressing::V2004, Addressing::V2005] {
        for payload in [
            Payload::Probe(probe.clone()),
            Payload::ProbeMatches(vec![sample(), other.clone()]),
            Payload::Hello(sample()),
            Payload::Bye(sample()),
        ] {
            let message_id = match &payload {
                Payload::Probe(p) => p.message_id.clone(),
                _ => new_message_id(),
            };
            let packet = Packet {
                headers: Headers {
                    addressing,
                    message_id: Some(message_id),
                    relates_to: Some("urn:uuid:probe-1".into()),
                    to: Some(ANONYMOUS.into()),
                    action: Some(ACTION_PROBE_MATCHES.into()),
                    app_sequence: seq.clone(),
                },
                payload,
            };
            let xml = packet.to_xml();
            assert_eq!(Packet::parse(xml.as_bytes()).unwrap(), packet, "{xml}");
        }
    }
}

#[test]
fn an_unreadable_app_sequence_is_none_and_either_namespace_is_read() {
    let doc = |seq: &str| {
        format!(
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="{WSD}" xmlns:d9="{WSD_2009}"><s:Header><a:MessageID>urn:uuid:1</a:MessageID>{seq}</s:Header><s:Body><d9:Bye><a:EndpointReference><a:Address>urn:uuid:2</a:Address></a:EndpointReference></d9:Bye></s:Body></s:Envelope>"#
        )
    };
    let p = Packet::parse(doc(r#"<d:AppSequence InstanceId="x" MessageNumber="1"/>"#).as_bytes())
        .unwrap();
    assert_eq!(p.headers.app_sequence, None);
    assert_eq!(p.headers.message_id.as_deref(), Some("urn:uuid:1"));
    let p =
        Packet::parse(doc(r#"<d9:AppSequence InstanceId=" 7 " MessageNumber="2"/>"#).as_bytes())
            .unwrap();
    assert_eq!(
        p.headers.app_sequence,
        Some(AppSequence {
            instance_id: 7,
            sequence_id: None,
            message_number: 2
        })
    );
    let Payload::Bye(t) = p.payload else {
        panic!("not a Bye")
    };
    assert_eq!(t.address, "urn:uuid:2");
}

#[test]
fn a_datagram_of_scope_words_costs_a_few_short_notes() {
    // Thirty thousand words that are no URI after one scope, then five more such scopes: each
    // joined scope is named once and cut short, not copied once per word.
    let mut scopes = String::from("onvif://www.onvif.org/name/A");
    for _ in 0..30_000 {
        scopes.push_str(" b");
    }
    for i in 0..5 {
        scopes.push_str(&format!(" onvif://www.onvif.org/location/L{i} x"));
    }
    let doc = format!(
        r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</a:Action></s:Header><s:Body><d:Hello><a:EndpointReference><a:Address>urn:uuid:1</a:Address></a:EndpointReference><d:Scopes>{scopes}</d:Scopes><d:XAddrs>http://127.0.0.1/onvif/device_service</d:XAddrs></d:Hello></s:Body></s:Envelope>"#
    );
    let p = Packet::parse(doc.as_bytes()).unwrap();
    let Payload::Hello(t) = p.payload else {
        panic!("not Hello")
    };
    assert_eq!(t.scopes.len(), 6);
    assert_eq!(
        t.scopes[0].len(),
        "onvif://www.onvif.org/name/A".len() + 30_000 * 4
    );
    assert_eq!(t.scopes[5], "onvif://www.onvif.org/location/L4%20x");
    let spaces: Vec<&String> = t.notes.iter().filter(|n| n.contains("unescaped")).collect();
    assert_eq!(spaces.len(), 5, "{:?}", t.notes);
    assert!(spaces[0].ends_with('…'), "{}", spaces[0]);
    assert!(spaces[0].chars().count() < 300, "{}", spaces[0]);
    assert_eq!(spaces[4], "2 more scopes hold unescaped spaces");
}
