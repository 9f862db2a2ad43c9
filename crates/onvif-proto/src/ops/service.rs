//! The ONVIF services, by namespace, name and usual path.

use serde::Serialize;

use crate::ns;

/// The ONVIF services we know, by namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// Device management (`tds`): identity, clock, services, network, reboot.
    Device,
    /// Media, version 1 (`trt`): profiles, stream and snapshot addresses.
    Media,
    /// Media, version 2 (`tr2`).
    Media2,
    /// Pan, tilt and zoom (`tptz`).
    Ptz,
    /// Imaging (`timg`): exposure, focus, white balance and the like.
    Imaging,
    /// Events (`tev`), and the WS-BaseNotification operations it serves.
    Events,
    /// Device I/O: relays, digital inputs, serial ports.
    DeviceIo,
    /// Analytics (version 2.0).
    Analytics,
    /// Recording control.
    Recording,
    /// Recording search.
    Search,
    /// Replay of recordings.
    Replay,
}

impl Service {
    /// Every service, in declaration order.
    pub const ALL: [Service; 11] = [
        Service::Device,
        Service::Media,
        Service::Media2,
        Service::Ptz,
        Service::Imaging,
        Service::Events,
        Service::DeviceIo,
        Service::Analytics,
        Service::Recording,
        Service::Search,
        Service::Replay,
    ];

    /// The WSDL namespace that identifies the service in GetServices.
    pub const fn namespace(self) -> &'static str {
        match self {
            Service::Device => ns::TDS,
            Service::Media => ns::TRT,
            Service::Media2 => ns::TR2,
            Service::Ptz => ns::TPTZ,
            Service::Imaging => ns::TIMG,
            Service::Events => ns::TEV,
            Service::DeviceIo => "http://www.onvif.org/ver10/deviceIO/wsdl",
            Service::Analytics => "http://www.onvif.org/ver20/analytics/wsdl",
            Service::Recording => "http://www.onvif.org/ver10/recording/wsdl",
            Service::Search => "http://www.onvif.org/ver10/search/wsdl",
            Service::Replay => "http://www.onvif.org/ver10/replay/wsdl",
        }
    }

    /// The service of an operation's namespace, at compile time (an unknown one does not
    /// compile). WS-BaseNotification's operations are served by the event service.
    pub const fn of_namespace(uri: &str) -> Service {
        let mut i = 0;
        while i < Service::ALL.len() {
            if const_eq(Service::ALL[i].namespace(), uri) {
                return Service::ALL[i];
            }
            i += 1;
        }
        if const_eq(uri, ns::WSNT) {
            return Service::Events;
        }
        panic!("an operation's namespace names a service")
    }

    /// The service of a namespace URI, as GetServices lists it.
    pub fn from_namespace(uri: &str) -> Option<Service> {
        let uri = uri.trim().trim_end_matches('/');
        Service::ALL
            .into_iter()
            .find(|s| s.namespace().eq_ignore_ascii_case(uri))
    }

    /// The short name users type (`--service media`).
    pub fn name(self) -> &'static str {
        match self {
            Service::Device => "device",
            Service::Media => "media",
            Service::Media2 => "media2",
            Service::Ptz => "ptz",
            Service::Imaging => "imaging",
            Service::Events => "events",
            Service::DeviceIo => "deviceio",
            Service::Analytics => "analytics",
            Service::Recording => "recording",
            Service::Search => "search",
            Service::Replay => "replay",
        }
    }

    /// The service of a short name (`media2`), ignoring case; `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<Service> {
        Service::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// The path most cameras serve this service at (used when the device does not say).
    pub fn default_path(self) -> &'static str {
        match self {
            Service::Device => "/onvif/device_service",
            Service::Media => "/onvif/media_service",
            Service::Media2 => "/onvif/media2_service",
            Service::Ptz => "/onvif/ptz_service",
            Service::Imaging => "/onvif/imaging_service",
            Service::Events => "/onvif/event_service",
            Service::DeviceIo => "/onvif/deviceio_service",
            Service::Analytics => "/onvif/analytics_service",
            Service::Recording => "/onvif/recording_service",
            Service::Search => "/onvif/search_service",
            Service::Replay => "/onvif/replay_service",
        }
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
