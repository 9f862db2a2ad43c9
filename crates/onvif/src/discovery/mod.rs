//! WS-Discovery: find the cameras on the network, and hear them come and go.
//!
//! [`discover`] sends a Probe for ONVIF devices (`dn:NetworkVideoTransmitter tds:Device`) to
//! 239.255.255.250:3702 out of every up, multicast-capable, non-loopback IPv4 interface
//! (`IP_MULTICAST_IF` set per interface, TTL 1), or only out of the interfaces named, and/or
//! straight to given addresses (unicast, for networks that drop multicast). UDP is lossy, so
//! the probe is sent a few times with the same MessageID. Answers are collected until the
//! timeout: only ProbeMatches whose `RelatesTo` is our MessageID count; malformed ones are
//! skipped with a debug log. Each camera is yielded once, as soon as it answers, even when it
//! answers several times or on several interfaces (identified by its endpoint reference);
//! a later answer that adds service addresses yields it again with the addresses merged.
//!
//! [`watch()`] joins the multicast group on port 3702 and yields the Hello and Bye that cameras
//! send when they join or leave the network.
//!
//! ```no_run
//! # async fn demo() -> Result<(), onvif::Error> {
//! use onvif::discovery::{DiscoveryOptions, discover_all};
//! for cam in discover_all(DiscoveryOptions::default()).await? {
//!     println!("{} {:?} {:?}", cam.endpoint, cam.info.name, cam.host);
//! }
//! # Ok(()) }
//! ```

mod device;
mod interfaces;
mod probe;
mod watch;

pub use device::{Device, MAX_PER_DEVICE, host_arg, parse_target};
pub use interfaces::{NetInterface, multicast_interfaces, select_interfaces};
pub use onvif_proto::discovery::{MULTICAST_V4, PORT};
pub use probe::{DiscoveryOptions, MAX_DEVICES, discover, discover_all};
pub use watch::{Announcement, WatchOptions, Watcher, watch};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::net::SocketAddr;

    use onvif_proto::discovery::Target;

    use crate::error::Error;

    #[test]
    fn the_host_to_use_is_short_when_it_can_be() {
        let x = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            host_arg(&x(&["http://10.0.0.7/onvif/device_service"]), None).as_deref(),
            Some("10.0.0.7")
        );
        assert_eq!(
            host_arg(&x(&["http://10.0.0.7:8080/onvif/device_service"]), None).as_deref(),
            Some("10.0.0.7:8080")
        );
        assert_eq!(
            host_arg(&x(&["http://[fe80::1]:80/onvif/device_service"]), None).as_deref(),
            Some("[fe80::1]")
        );
        assert_eq!(
            host_arg(
                &x(&["SERVICE_URI", "http://10.0.0.7:2020/onvif/service"]),
                None
            )
            .as_deref(),
            Some("http://10.0.0.7:2020/onvif/service")
        );
        assert_eq!(
            host_arg(
                &x(&["http://0.0.0.0:81/onvif/device_service"]),
                Some("192.0.2.9".parse().unwrap())
            )
            .as_deref(),
            Some("192.0.2.9:81")
        );
        assert_eq!(
            host_arg(&x(&["http://0.0.0.0/onvif/device_service"]), None),
            None
        );
        assert_eq!(host_arg(&x(&["ftp://x/"]), None), None);
    }

    #[test]
    fn targets_take_the_default_port() {
        assert_eq!(
            parse_target("10.0.0.7", 3702).unwrap(),
            "10.0.0.7:3702".parse().unwrap()
        );
        assert_eq!(
            parse_target("10.0.0.7:4000", 3702).unwrap(),
            "10.0.0.7:4000".parse().unwrap()
        );
        assert_eq!(
            parse_target("[::1]", 3702).unwrap(),
            "[::1]:3702".parse().unwrap()
        );
        assert_eq!(
            parse_target("::1", 3702).unwrap(),
            "[::1]:3702".parse().unwrap()
        );
        assert!(parse_target("cam.local", 3702).is_err());
    }

    #[test]
    fn answers_of_one_device_merge() {
        let t = |x: &str| Target {
            address: "urn:uuid:c9790c3a-701b-464d-a189-0060351c8ada".into(),
            xaddrs: vec![x.into()],
            ..Target::default()
        };
        let from: SocketAddr = "192.0.2.1:3702".parse().unwrap();
        let mut a = Device::from_target(t("http://192.0.2.1/onvif/device_service"), from, "eth0");
        let same = Device::from_target(t("http://192.0.2.1/onvif/device_service"), from, "eth1");
        assert!(!a.merge(same));
        assert_eq!(a.via, ["eth0", "eth1"]);
        let more = Device::from_target(t("http://10.1.1.1/onvif/device_service"), from, "eth1");
        assert!(a.merge(more));
        assert_eq!(a.xaddrs.len(), 2);
        assert_eq!(a.host.as_deref(), Some("192.0.2.1"));
        assert_eq!(a.key(), "c9790c3a-701b-464d-a189-0060351c8ada");
    }

    #[test]
    fn unknown_interfaces_are_usage_errors() {
        let e = select_interfaces(&["no-such-if0".into()]).unwrap_err();
        assert!(matches!(e, Error::Usage(_)), "{e}");
    }
}
