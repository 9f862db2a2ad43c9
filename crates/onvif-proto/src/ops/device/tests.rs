//! Round trips of the device messages (write, read back, compare).

#![allow(clippy::unwrap_used)]

use super::*;
use crate::ops::message::{Message, Operation};
use crate::soap::Envelope;

/// Write `m` in an envelope, read it back, and check it names its own element.
fn round_trip<M: Message + PartialEq + std::fmt::Debug>(m: &M) {
    let mut w = Writer::new();
    m.write(&mut w);
    let doc = crate::soap::envelope(None, &w.finish());
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    let payload = env.payload().unwrap();
    assert!(payload.is(M::ELEMENT.ns, M::ELEMENT.name), "{doc}");
    assert_eq!(&M::read(payload).unwrap(), m, "{doc}");
}

/// The requests with no content, and the empty answer, each as its operation says.
#[test]
fn the_empty_messages_round_trip_and_name_their_operation() {
    fn op<O: Operation + Default + PartialEq + std::fmt::Debug>(name: &str) {
        round_trip(&O::default());
        assert_eq!(O::NAME, name);
        assert_eq!(O::ACTION, format!("{TDS}/{name}"));
        assert_eq!(O::SERVICE, Service::Device);
    }
    op::<GetSystemDateAndTime>("GetSystemDateAndTime");
    op::<GetDeviceInformation>("GetDeviceInformation");
    op::<GetServiceCapabilities>("GetServiceCapabilities");
    op::<GetScopes>("GetScopes");
    op::<GetHostname>("GetHostname");
    op::<GetNetworkInterfaces>("GetNetworkInterfaces");
    op::<GetNtp>("GetNTP");
    op::<SystemReboot>("SystemReboot");
    op::<GetCapabilities>("GetCapabilities");
    round_trip(&SetSystemDateAndTimeResponse);
    const { assert!(!<SystemReboot as Operation>::IDEMPOTENT) };
    const { assert!(<GetScopes as Operation>::IDEMPOTENT) };
}

/// The scope changes: each request with two URIs, the answers, and their operations.
#[test]
fn scope_changes_round_trip() {
    let two = vec![
        "onvif://www.onvif.org/name/Porch%20Cam".to_owned(),
        "onvif://www.onvif.org/location/garden".to_owned(),
    ];
    round_trip(&SetScopes {
        scopes: two.clone(),
    });
    round_trip(&AddScopes { items: two.clone() });
    round_trip(&RemoveScopes { items: two.clone() });
    round_trip(&RemoveScopesResponse { items: two });
    round_trip(&SetScopesResponse);
    round_trip(&AddScopesResponse);
    assert_eq!(<SetScopes as Operation>::ACTION, format!("{TDS}/SetScopes"));
    assert_eq!(<AddScopes as Operation>::NAME, "AddScopes");
    assert_eq!(
        <RemoveScopes as Operation>::ACTION,
        format!("{TDS}/RemoveScopes")
    );
    const { assert!(!<AddScopes as Operation>::IDEMPOTENT) };
    const { assert!(<SetScopes as Operation>::IDEMPOTENT) };
}

#[test]
fn answers_with_every_field_set_round_trip() {
    let t = DateTime {
        hour: 23,
        minute: 59,
        second: 58,
        year: 2026,
        month: 12,
        day: 6,
    };
    round_trip(&SystemDateAndTime {
        date_time_type: DateTimeType::Ntp,
        daylight_savings: true,
        time_zone: Some("CET-1CEST,M3.5.0,M10.5.0/3".into()),
        utc: Some(t),
        local: Some(DateTime { hour: 0, ..t }),
    });
    round_trip(&SetSystemDateAndTime {
        date_time_type: DateTimeType::Manual,
        daylight_savings: false,
        time_zone: Some("UTC0".into()),
        utc: Some(t),
    });
    round_trip(&GetServices {
        include_capability: true,
    });
    round_trip(&ServiceCapabilities {
        flags: [
            ("Network.NTP", "1"),
            ("Security.TLS1.2", "true"),
            ("Misc", "x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
    });
    round_trip(&Scopes {
        scopes: vec![Scope {
            definition: "Fixed".into(),
            item: "onvif://www.onvif.org/name/Porch%20Cam".into(),
        }],
    });
    round_trip(&NtpInformation {
        from_dhcp: true,
        dhcp: vec![NetworkHost {
            kind: "IPv4".into(),
            address: "192.0.2.1".into(),
        }],
        manual: vec![NetworkHost {
            kind: "DNS".into(),
            address: "pool.ntp.org".into(),
        }],
    });
    round_trip(&RebootResponse {
        message: "Rebooting in 30 s".into(),
    });
    round_trip(&HostnameInformation {
        from_dhcp: true,
        name: Some("porch".into()),
    });
}

/// A wrapper shared by several fields (`tt:Info`) is written only when one of them is: an
/// empty one would break the schema's required `HwAddress`.
#[test]
fn a_shared_wrapper_is_left_out_when_its_fields_are() {
    let bare = NetworkInterface {
        token: "eth0".into(),
        enabled: true,
        ..NetworkInterface::default()
    };
    let mut w = Writer::new();
    crate::codec::Node::write_node(&bare, &mut w, "tds:NetworkInterfaces");
    let xml = w.finish();
    assert!(!xml.contains("tt:Info"), "{xml}");
    let named = NetworkInterface {
        hw_address: Some("00:11:22:33:44:55".into()),
        ..bare
    };
    let mut w = Writer::new();
    crate::codec::Node::write_node(&named, &mut w, "tds:NetworkInterfaces");
    let xml = w.finish();
    assert_eq!(xml.matches("<tt:Info>").count(), 1, "{xml}");
    round_trip(&NetworkInterfaces {
        interfaces: vec![bare_interface(), named],
    });
}

fn bare_interface() -> NetworkInterface {
    NetworkInterface {
        token: "eth1".into(),
        ..NetworkInterface::default()
    }
}
