//! Typed operations. Each operation is a request type implementing [`Operation`], whose
//! associated `Response` is the typed answer. Both sides implement [`Message`] (write and read),
//! so the client and the simulator share one model and a round trip (write, read, compare)
//! tests both.

use serde::Serialize;

use crate::codec::ElementName;
use crate::error::Error;
use crate::ns;
use crate::soap;
use crate::xml::{Element, Writer};

pub(crate) mod capabilities;
pub mod device;
pub mod events;
pub mod imaging;
pub mod media;
pub mod ptz;
pub mod range;

pub use media::profile;
pub use media::v2 as media2;

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

/// A message that is written into and read from a SOAP Body (its whole element).
///
/// Most messages derive it: `#[derive(Xml)] #[xml(root = "tds:Name")]` on the struct and
/// `#[xml(child = ..)]` on its fields (see [`crate::codec`]); the irregular few implement
/// [`crate::codec::Node`] by hand and derive the rest.
pub trait Message: Sized {
    /// The element: namespace, prefix and local name. `decode`'s registry and the simulator's
    /// routing are built from it.
    const ELEMENT: ElementName;
    /// Write the whole element, using the prefixes declared by [`soap::envelope`].
    fn write(&self, w: &mut Writer);
    /// Read from the element itself (the Body's first child).
    fn read(el: &Element) -> Result<Self, Error>;
}
/// A request with a typed response.
pub trait Operation: Message {
    /// The answer's type.
    type Response: Message + Serialize;
    /// The service that serves the operation (from the request's namespace).
    const SERVICE: Service;
    /// Local name of the request element.
    const NAME: &'static str;
    /// The SOAP action URI.
    const ACTION: &'static str;
    /// Safe to send twice (reads, and writes that set an absolute state).
    const IDEMPOTENT: bool;

    /// The request body (no envelope).
    fn body(&self) -> String {
        let mut w = Writer::with_capacity(256);
        self.write(&mut w);
        w.finish()
    }
}

/// Read the typed response of `O` from a parsed envelope (a Fault becomes `Error::Fault`).
pub fn read_response<O: Operation>(env: &soap::Envelope) -> Result<O::Response, Error> {
    O::Response::read(env.payload()?)
}

/// Check that `el` is `{ns}name`, naming both in the error when it is not.
pub fn expect<'a>(el: &'a Element, ns: &str, name: &str) -> Result<&'a Element, Error> {
    if el.is(ns, name) {
        Ok(el)
    } else {
        Err(Error::UnexpectedBody {
            expected: name.to_owned(),
            found: match &el.ns {
                Some(n) => format!("{{{n}}}{}", el.name),
                None => el.name.clone(),
            },
        })
    }
}

/// The text of a required child, or an error naming it.
pub fn req_text<'a>(el: &'a Element, ns: &str, name: &str) -> Result<&'a str, Error> {
    el.child_text(ns, name)
        .ok_or_else(|| Error::missing(format!("{}/{}", el.name, name)))
}

/// The text of an optional child, `None` when absent or empty.
pub fn opt_text(el: &Element, ns: &str, name: &str) -> Option<String> {
    el.child_text(ns, name)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// xs:boolean, leniently (`true`/`false`/`1`/`0`, any case, padded).
pub fn parse_bool(field: &str, value: &str) -> Result<bool, Error> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(Error::invalid(field, value, "not a boolean")),
    }
}

/// A number of any `FromStr` type, with the field named on failure.
pub fn parse_num<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, Error> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::invalid(field, value, "not a number"))
}

/// Declare an operation: its request and response types, whether it is safe to send twice,
/// and (only where the WSDL's port types say otherwise) its action. The service, the name and
/// the default action (`{namespace}/{name}`) come from the request's element.
#[macro_export]
macro_rules! operation {
    ($req:ty => $resp:ty, idempotent = $idem:expr) => {
        $crate::operation!($req => $resp, idempotent = $idem,
            action = $crate::const_join!(
                <$req as $crate::ops::Message>::ELEMENT.ns,
                <$req as $crate::ops::Message>::ELEMENT.name
            ));
    };
    ($req:ty => $resp:ty, idempotent = $idem:expr, action = $action:expr) => {
        impl $crate::ops::Operation for $req {
            type Response = $resp;
            const SERVICE: $crate::ops::Service =
                $crate::ops::Service::of_namespace(<$req as $crate::ops::Message>::ELEMENT.ns);
            const NAME: &'static str = <$req as $crate::ops::Message>::ELEMENT.name;
            const ACTION: &'static str = $action;
            const IDEMPOTENT: bool = $idem;
        }
    };
}
