//! How a session behaves, and where a push session listens.

use std::net::SocketAddr;
use std::time::Duration;

/// How a session behaves (the session machine's settings, with what to subscribe to and how
/// events are typed).
pub use onvif_proto::session::Config as SessionConfig;

/// Where a push session listens.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// Address to bind (port 0 lets the system choose). With an unspecified IP (`0.0.0.0`,
    /// the default, or `::`) the local address on the route to the camera (found without
    /// sending anything) is bound instead, with that port, unless `every_interface`. That
    /// address is followed: when it leaves this machine (a DHCP lease renumbered it), the one
    /// now on the route is bound (with the same port where the system chose it and it is
    /// free) and, unless `advertise` is given, the subscription replaced so that the camera
    /// posts there. On every interface, the address the camera is told is followed likewise.
    pub listen: SocketAddr,
    /// Bind an unspecified `listen` address as it is: on every interface.
    pub every_interface: bool,
    /// The base URL the camera must post to (`http://192.168.1.100:8002`); by default the
    /// local address on the route to the camera (found without sending anything) and the
    /// bound port.
    pub advertise: Option<String>,
    /// Largest Notify body accepted, in bytes (default 1 MiB; a larger one is answered 413).
    pub max_body: usize,
    /// The listener's deadlines and connection caps.
    pub limits: PushLimits,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig {
            listen: SocketAddr::from(([0, 0, 0, 0], 0)),
            every_interface: false,
            advertise: None,
            max_body: 1024 * 1024,
            limits: PushLimits::default(),
        }
    }
}

/// The deadlines and caps of the push listener.
#[derive(Debug, Clone, Copy)]
pub struct PushLimits {
    /// From the accept to the end of the request head (default 5 s).
    pub head_timeout: Duration,
    /// From the accept to the end of the request body (default 10 s).
    pub request_timeout: Duration,
    /// Connections held at once (default 64; at least 1).
    pub max_connections: usize,
    /// Connections held at once from one IP address (IPv6: /64) before its stuck ones make room
    /// (default 16; at least 1).
    pub max_connections_per_peer: usize,
}

impl Default for PushLimits {
    fn default() -> Self {
        PushLimits {
            head_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            max_connections: 64,
            max_connections_per_peer: 16,
        }
    }
}
