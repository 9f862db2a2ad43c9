//! Services and their operations.
//!
//! Each service is a [`ServiceDef`]: its operations, keyed by the (namespace, local name) of
//! the request element, and its capabilities. The server routes each service's path (or, for
//! Tapo, one path for all) to a dispatcher that looks the Body's first element up in these
//! tables. To add a service: write a module like [`device`], with a `static SERVICE`, and list
//! it in [`registry::SERVICES`]; GetServices and GetCapabilities pick it up from there (through
//! [`Ctx::services`]). [`dispatch::answer`] runs an operation's handler, quirks applied.

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::{Message, Operation, Service};
use onvif_proto::xml::{Element, Writer};

use crate::config::{Quirk, SimConfig};
pub(crate) use crate::fault::{receiver, sender, sender_in};
use crate::state::Shared;

pub(crate) mod analytics;
mod configs;
pub(crate) mod device;
pub(crate) mod deviceio;
pub(crate) mod dispatch;
pub(crate) mod events;
pub(crate) mod imaging;
pub(crate) mod media;
pub(crate) mod media2;
mod osd;
pub(crate) mod ptz;
pub(crate) mod recording;
pub(crate) mod registry;
pub(crate) mod replay;
pub(crate) mod search;
pub(crate) mod vendor;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// ONVIF's PRE_AUTH class: open, unless [`Quirk::AllAuth`].
    PreAuth,
    /// ONVIF's PRE_AUTH class too, but open only with [`Quirk::OpenOperations`] or
    /// [`Quirk::Tapo`] (and not `AllAuth`), as many cameras guard them.
    Discovery,
    /// Credentials required.
    Protected,
    /// Credentials of an Administrator account required (ONVIF's WRITE_SYSTEM,
    /// READ_SYSTEM_SECRET and UNRECOVERABLE classes): an Operator or User is refused.
    Administrator,
}

/// Answers one request element with the inner XML of the response Body, or a fault.
pub(crate) type Handler = fn(&Ctx<'_>, &Element) -> Result<String, Fault>;

/// An operation that may wait before answering (PullMessages' long poll): it reads its
/// request into a [`Wait`], which then waits holding nothing of the request.
pub(crate) type AsyncHandler = fn(&Ctx<'_>, &Element) -> Result<Box<dyn Wait>, Fault>;

/// What a waiting operation keeps while it waits, and the wait itself.
pub(crate) trait Wait: Send {
    /// Wait, then answer with the inner XML of the response Body, or a fault.
    fn answer(
        self: Box<Self>,
        shared: &Shared,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, Fault>> + Send + '_>>;
}

/// One operation of a service.
pub(crate) struct OpDef {
    /// Namespace of the request element.
    pub ns: &'static str,
    /// Local name of the request element.
    pub name: &'static str,
    /// The SOAP action a client may announce for it.
    pub action: &'static str,
    pub access: Access,
    pub handle: Handler,
    /// When set, run instead of `handle`: the operation may wait.
    pub wait: Option<AsyncHandler>,
}

impl OpDef {
    /// Is `el` this operation's request element? Namespaces must match exactly.
    pub(crate) fn matches(&self, el: &Element) -> bool {
        el.name == self.name && el.ns.as_deref() == Some(self.ns)
    }
}

/// The version every service reports in GetServices: the ONVIF release the simulator follows.
pub(crate) const VERSION: (u32, u32) = (21, 12);

/// One service.
pub(crate) struct ServiceDef {
    pub service: Service,
    /// Its category in GetCapabilities (`Device`, `Media`, ...), if it has one.
    pub category: Option<&'static str>,
    pub ops: &'static [OpDef],
    /// Its capabilities, flattened (`Security.UsernameToken` -> `true`), for GetServices with
    /// IncludeCapability and its own GetServiceCapabilities.
    pub capabilities: fn(&Ctx<'_>) -> BTreeMap<String, String>,
    /// The flags of its GetCapabilities category, flattened
    /// (`StreamingCapabilities.RTP_TCP` -> `true`); written in the schema's order.
    pub category_flags: fn(&Ctx<'_>) -> BTreeMap<String, String>,
}

/// No flags.
pub(crate) fn no_flags(_: &Ctx<'_>) -> BTreeMap<String, String> {
    BTreeMap::new()
}

/// Flattened flags from `(key, value)` pairs.
pub(crate) fn flags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The path a service is served at.
pub(crate) fn service_path(cfg: &SimConfig, service: Service) -> &'static str {
    if cfg.has(Quirk::Tapo) {
        "/onvif/service"
    } else if cfg.has(Quirk::CapitalizedPaths) {
        // As the ENP1A14 capture's GetServices lists them.
        match service {
            Service::Device => "/onvif/device_service",
            Service::Media => "/onvif/Media",
            Service::Media2 => "/onvif/Media2",
            Service::Ptz => "/onvif/PTZ",
            Service::Imaging => "/onvif/Imaging",
            Service::Events => "/onvif/Events",
            Service::DeviceIo => "/onvif/DeviceIO",
            Service::Analytics => "/onvif/Analytics",
            Service::Recording => "/onvif/Recording",
            Service::Search => "/onvif/SearchRecording",
            Service::Replay => "/onvif/Replay",
        }
    } else {
        service.default_path()
    }
}

/// What a handler may use.
pub(crate) struct Ctx<'a> {
    pub shared: &'a Shared,
    /// `http://host:port` as service addresses are written for this request (quirks applied).
    pub xaddr_base: String,
    /// The host (no port) other URIs name for this request: the one the request came to,
    /// unless a lying-address quirk says otherwise. IPv6 addresses keep their brackets.
    pub host: String,
    /// The request's SOAP Header, if any (reference parameters are read from it).
    pub header: Option<&'a Element>,
    /// The request's path (a subscription manager's names its subscription).
    pub path: &'a str,
    /// Every service the camera offers ([`registry::SERVICES`]), for GetServices and
    /// GetCapabilities.
    pub services: &'a [&'static ServiceDef],
}

impl Ctx<'_> {
    /// `rtsp://host:port` for stream and replay URIs: the port GetNetworkProtocols reports
    /// for RTSP (by default [`crate::RTSP_PORT`]; SetNetworkProtocols moves it), with the
    /// same lies as the service addresses.
    pub(crate) fn rtsp_base(&self) -> String {
        let port = self
            .shared
            .camera()
            .net
            .protocols
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("RTSP") && p.enabled)
            .and_then(|p| p.ports.first().copied())
            .unwrap_or(crate::RTSP_PORT);
        self.uri_base("rtsp", port)
    }

    /// `scheme://host:port` for a URI on another port (RTSP), with the same lies as the
    /// service addresses (the doubled port included).
    pub(crate) fn uri_base(&self, scheme: &str, port: u16) -> String {
        if self.shared.cfg.has(Quirk::DoubledPort) {
            format!("{scheme}://{}:{port}:{port}", self.host)
        } else {
            format!("{scheme}://{}:{port}", self.host)
        }
    }

    /// The address of a service, as GetServices and GetCapabilities report it.
    pub(crate) fn xaddr(&self, service: Service) -> String {
        format!(
            "{}{}",
            self.xaddr_base,
            service_path(&self.shared.cfg, service)
        )
    }
}

/// Read the typed request, run the typed handler, write the typed response.
pub(crate) fn run<O: Operation>(
    ctx: &Ctx<'_>,
    el: &Element,
    f: fn(&Ctx<'_>, O) -> Result<O::Response, Fault>,
) -> Result<String, Fault> {
    let req = O::read(el).map_err(|e| sender(&["InvalidArgVal"], format!("{}: {e}", O::NAME)))?;
    let resp = f(ctx, req)?;
    let mut w = Writer::with_capacity(1024);
    resp.write(&mut w);
    Ok(w.finish())
}

/// `get_service_capabilities` for a service whose answer wraps its flattened capabilities
/// (Media, Media2, Imaging): `flag_capabilities!(imaging_capabilities);` with the service's
/// `GetServiceCapabilities` and `ServiceCapabilities` in scope.
macro_rules! flag_capabilities {
    ($flags:ident) => {
        fn get_service_capabilities(
            ctx: &$crate::services::Ctx<'_>,
            _: GetServiceCapabilities,
        ) -> Result<ServiceCapabilities, onvif_proto::Fault> {
            Ok(ServiceCapabilities(
                onvif_proto::ops::device::ServiceCapabilities { flags: $flags(ctx) },
            ))
        }
    };
}
pub(crate) use flag_capabilities;

/// An [`OpDef`] for a typed operation and its handler, open to authenticated callers only:
/// `op!(GetHostname => get_hostname)`; another [`Access`] follows the handler:
/// `op!(GetSystemDateAndTime => get_system_date_and_time, Access::PreAuth)`.
macro_rules! op {
    ($ty:ty => $f:expr) => {
        $crate::services::op!($ty => $f, $crate::services::Access::Protected)
    };
    ($ty:ty => $f:expr, $access:expr) => {
        $crate::services::OpDef {
            ns: <$ty as onvif_proto::ops::Message>::ELEMENT.ns,
            name: <$ty as onvif_proto::ops::Operation>::NAME,
            action: <$ty as onvif_proto::ops::Operation>::ACTION,
            access: $access,
            handle: |ctx, el| $crate::services::run::<$ty>(ctx, el, $f),
            wait: None,
        }
    };
}
pub(crate) use op;
