//! Decode any saved SOAP response: recognise the operation by the Body's first element and
//! read it with the same code as a live answer; otherwise show a generic view.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::ops::{Message, device};
use crate::soap::{Envelope, Fault, SoapVersion};
use crate::xml::Element;

/// A decoder for one response element.
pub struct Decoder {
    pub ns: &'static str,
    pub name: &'static str,
    pub decode: fn(&Element) -> Result<Value, Error>,
}

fn to_json<T: Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn dec<M: Message + Serialize>(el: &Element) -> Result<Value, Error> {
    M::read(el).map(to_json)
}

macro_rules! decoders {
    ($($ns:expr, $name:literal => $f:expr;)*) => {
        /// Every response the library reads, by (namespace, local name).
        pub static DECODERS: &[Decoder] = &[
            $(Decoder { ns: $ns, name: $name, decode: $f },)*
        ];
    };
}

use crate::ns::TDS;

decoders! {
    TDS, "GetSystemDateAndTimeResponse" => dec::<device::SystemDateAndTime>;
    TDS, "SetSystemDateAndTimeResponse" => dec::<device::SetSystemDateAndTimeResponse>;
    TDS, "GetDeviceInformationResponse" => dec::<device::DeviceInformation>;
    TDS, "GetCapabilitiesResponse" => dec::<device::Capabilities>;
    TDS, "GetServicesResponse" => dec::<device::Services>;
    TDS, "GetServiceCapabilitiesResponse" => dec::<device::ServiceCapabilities>;
    TDS, "GetScopesResponse" => dec::<device::Scopes>;
    TDS, "GetHostnameResponse" => dec::<device::HostnameInformation>;
    TDS, "GetNetworkInterfacesResponse" => dec::<device::NetworkInterfaces>;
    TDS, "GetNTPResponse" => dec::<device::NtpInformation>;
    TDS, "SystemRebootResponse" => dec::<device::RebootResponse>;
}

/// The decoder for an element, if the library knows it.
pub fn decoder_for(el: &Element) -> Option<&'static Decoder> {
    DECODERS.iter().find(|d| el.is(d.ns, d.name))
}

/// What a saved document turned out to be.
#[derive(Debug, Serialize)]
pub struct Decoded {
    pub soap_version: SoapVersion,
    /// The Body's first element (`GetDeviceInformationResponse`), or `Fault`.
    pub operation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `typed` when a library type read it, `generic` otherwise, `fault` for a Fault.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
    /// The typed value, or the element tree for unknown operations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Why the typed reading failed, when it did (the tree is in `data` then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed_error: Option<String>,
}

/// Decode a saved response. Errors only when the bytes are not XML or not a SOAP envelope.
pub fn decode(input: &[u8]) -> Result<Decoded, Error> {
    let env = Envelope::parse(input)?;
    let Some(first) = env.body.first_child() else {
        return Err(Error::NotSoap("the Body is empty".into()));
    };
    let mut out = Decoded {
        soap_version: env.version,
        operation: first.name.clone(),
        namespace: first.ns.clone(),
        kind: "generic",
        fault: None,
        data: None,
        typed_error: None,
    };
    if let Some(f) = env.fault() {
        out.kind = "fault";
        out.fault = Some(f);
        return Ok(out);
    }
    match decoder_for(first).map(|d| (d.decode)(first)) {
        Some(Ok(v)) => {
            out.kind = "typed";
            out.data = Some(v);
        }
        Some(Err(e)) => {
            out.typed_error = Some(e.to_string());
            out.data = Some(to_json(first));
        }
        None => out.data = Some(to_json(first)),
    }
    Ok(out)
}
