//! What a message and an operation are, and the small readers hand-written `Node`s share.

use serde::Serialize;

use crate::codec::ElementName;
use crate::error::Error;
use crate::soap;
use crate::xml::{Element, Writer};

use super::service::Service;

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

/// The actions the ONVIF WSDLs print for an operation where they slip from the
/// `{namespace}/{name}` rule (a `/` missing or added), beside the action they mean. WSDL-driven
/// clients (zeep, gSOAP, WCF) send the printed one, so a server takes both as the operation's;
/// this crate sends the one meant. From media.wsdl (ver10 and ver20) as published now, and
/// the ver20 forms of earlier editions.
pub const WSDL_ACTION_SLIPS: &[(&str, &str)] = &[
    (
        "http://www.onvif.org/ver10/media/wsdl/GetVideoSources",
        "http://www.onvif.org/ver10/media/wsdlGetVideoSources/",
    ),
    (
        "http://www.onvif.org/ver10/media/wsdl/GetProfile",
        "http://www.onvif.org/ver10/media/wsdlGetProfile/",
    ),
    (
        "http://www.onvif.org/ver10/media/wsdl/GetAudioSourceConfigurations",
        "http://www.onvif.org/ver10/media/wsdlGetAudioSourceConfigurations/",
    ),
    (
        "http://www.onvif.org/ver10/media/wsdl/GetVideoSourceConfigurationOptions",
        "http://www.onvif.org/ver10/media/wsdlGetVideoSourceConfigurationOptions/",
    ),
    (
        "http://www.onvif.org/ver20/media/wsdl/GetAudioSourceConfigurations",
        "http://www.onvif.org/ver20/media/wsdl/GetAudioSourceConfigurations/",
    ),
    (
        "http://www.onvif.org/ver20/media/wsdl/GetVideoSourceConfigurationOptions",
        "http://www.onvif.org/ver20/media/wsdl/GetVideoSourceConfigurationOptions/",
    ),
    // Clients generated from earlier ver20 media.wsdl editions send these.
    (
        "http://www.onvif.org/ver20/media/wsdl/GetAudioSourceConfigurations",
        "http://www.onvif.org/ver20/media/wsdlGetAudioSourceConfigurations/",
    ),
    (
        "http://www.onvif.org/ver20/media/wsdl/GetVideoSourceConfigurationOptions",
        "http://www.onvif.org/ver20/media/wsdlGetVideoSourceConfigurationOptions/",
    ),
];

/// Does an announced action name the operation whose action is `action`: the same, or the
/// WSDL's slip for it ([`WSDL_ACTION_SLIPS`])?
pub fn names_action(announced: &str, action: &str) -> bool {
    announced == action
        || WSDL_ACTION_SLIPS
            .iter()
            .any(|&(meant, printed)| meant == action && printed == announced)
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

/// xs:boolean, leniently (`true`/`false`/`1`/`0`, any case, padded), as the codec reads it.
pub fn parse_bool(field: &str, value: &str) -> Result<bool, Error> {
    crate::codec::text_one(value, field, "")
}

/// A number of any `FromStr` type, with the field named on failure.
pub fn parse_num<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, Error> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::invalid(field, value, "not a number"))
}

/// Declare an operation: its request and response types, whether it is safe to send twice,
/// and (only where the WSDL's port types say otherwise) its action, and its service (only
/// where a service sends another's element: DeviceIO's GetRelayOutputs is `tds:`). The service, the name and
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
        $crate::operation!($req => $resp, idempotent = $idem,
            service = $crate::ops::Service::of_namespace(
                <$req as $crate::ops::Message>::ELEMENT.ns
            ),
            action = $action);
    };
    ($req:ty => $resp:ty, idempotent = $idem:expr, service = $svc:expr, action = $action:expr) => {
        impl $crate::ops::Operation for $req {
            type Response = $resp;
            const SERVICE: $crate::ops::Service = $svc;
            const NAME: &'static str = <$req as $crate::ops::Message>::ELEMENT.name;
            const ACTION: &'static str = $action;
            const IDEMPOTENT: bool = $idem;
        }
    };
}

/// Declare a service's `GetServiceCapabilities` request and its answer, whose capabilities are
/// kept flattened ([`crate::ops::device::ServiceCapabilities`]: `Name` -> `value`, nested
/// elements as `Outer.Inner`), as most services need nothing more of them. The operation's
/// `action` follows, as for [`operation!`], only where the WSDL says otherwise.
macro_rules! flat_capabilities {
    ($request:literal, $response:literal, $service:literal $(, action = $action:expr)?) => {
        #[doc = concat!("The ", $service, " service's capabilities.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, $crate::codec::Xml)]
        #[xml(root = $request)]
        pub struct GetServiceCapabilities;
        $crate::operation!(GetServiceCapabilities => ServiceCapabilities, idempotent = true
            $(, action = $action)?);

        #[doc = concat!("The ", $service, " service's capabilities, flattened.")]
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, $crate::codec::Xml)]
        #[serde(transparent)]
        #[xml(root = $response)]
        pub struct ServiceCapabilities(pub $crate::ops::device::ServiceCapabilities);
    };
}
pub(crate) use flat_capabilities;

/// `true` or `false`, as xs:boolean is written.
pub(crate) fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}
