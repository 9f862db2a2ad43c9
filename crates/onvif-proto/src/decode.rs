//! Decode any saved SOAP response: recognise the operation by the Body's first element and
//! read it with the same code as a live answer; otherwise show a generic view.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::ns::{TEV, WSNT};
use crate::ops::{
    Message, analytics, device, deviceio, events, imaging, media, media2, ptz, recording, replay,
    search,
};
use crate::soap::{Envelope, Fault, SoapVersion};
use crate::xml::Element;

/// A decoder for one response element, made from its type ([`Decoder::of`]).
pub struct Decoder {
    /// The element's namespace.
    pub ns: &'static str,
    /// The element's local name.
    pub name: &'static str,
    /// Read the element as its type, shown as JSON.
    pub decode: fn(&Element) -> Result<Value, Error>,
    /// Read the element as its type, write that value and read it back; an error when the
    /// element does not read as the type.
    pub round_trip: fn(&Element) -> Result<RoundTrip, Error>,
}

/// What [`Decoder::round_trip`] read, wrote and read back.
pub struct RoundTrip {
    /// The element, read as its type, as JSON.
    pub first: Value,
    /// What that value wrote (`Message::write` in [`crate::soap::envelope`]).
    pub written: String,
    /// `written` read again as the type, as JSON (equal to `first` when the type's read and
    /// write agree); an error when it does not parse or read.
    pub again: Result<Value, Error>,
}

impl Decoder {
    /// The decoder of a message type: its element comes from [`Message::ELEMENT`].
    pub const fn of<M: Message + Serialize>() -> Decoder {
        Decoder {
            ns: M::ELEMENT.ns,
            name: M::ELEMENT.name,
            decode: dec::<M>,
            round_trip: round_trip::<M>,
        }
    }
}

fn to_json<T: Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The generic view of an element: its tree, without the content of any `Password` element
/// (some cameras' GetUsers answers carry the accounts' passwords).
fn generic(el: &Element) -> Value {
    fn scrub(e: &mut Element) {
        if e.name == "Password" {
            e.text = "[redacted]".into();
            e.children.clear();
        }
        e.children.iter_mut().for_each(scrub);
    }
    let mut e = el.clone();
    scrub(&mut e);
    to_json(&e)
}

fn dec<M: Message + Serialize>(el: &Element) -> Result<Value, Error> {
    M::read(el).map(to_json)
}

fn round_trip<M: Message + Serialize>(el: &Element) -> Result<RoundTrip, Error> {
    let first = M::read(el)?;
    let mut w = crate::xml::Writer::new();
    first.write(&mut w);
    let written = crate::soap::envelope(None, &w.finish());
    let again = Envelope::parse(written.as_bytes())
        .and_then(|env| M::read(env.payload()?))
        .map(to_json);
    Ok(RoundTrip {
        first: to_json(first),
        written,
        again,
    })
}

/// Every response the library reads (and the notifications it is sent), by type.
pub static DECODERS: &[Decoder] = &[
    // device
    Decoder::of::<device::SystemDateAndTime>(),
    Decoder::of::<device::SetSystemDateAndTimeResponse>(),
    Decoder::of::<device::DeviceInformation>(),
    Decoder::of::<device::Capabilities>(),
    Decoder::of::<device::Services>(),
    Decoder::of::<device::ServiceCapabilities>(),
    Decoder::of::<device::Scopes>(),
    Decoder::of::<device::SetScopesResponse>(),
    Decoder::of::<device::AddScopesResponse>(),
    Decoder::of::<device::RemoveScopesResponse>(),
    Decoder::of::<device::HostnameInformation>(),
    Decoder::of::<device::NetworkInterfaces>(),
    Decoder::of::<device::SetNetworkInterfacesResponse>(),
    Decoder::of::<device::NtpInformation>(),
    Decoder::of::<device::RebootResponse>(),
    Decoder::of::<device::Users>(),
    Decoder::of::<device::CreateUsersResponse>(),
    Decoder::of::<device::DeleteUsersResponse>(),
    Decoder::of::<device::SetUserResponse>(),
    Decoder::of::<device::DnsInformation>(),
    Decoder::of::<device::SetDnsResponse>(),
    Decoder::of::<device::SetNtpResponse>(),
    Decoder::of::<device::SetHostnameResponse>(),
    Decoder::of::<device::NetworkProtocols>(),
    Decoder::of::<device::SetNetworkProtocolsResponse>(),
    Decoder::of::<device::NetworkGateway>(),
    Decoder::of::<device::SetNetworkDefaultGatewayResponse>(),
    Decoder::of::<device::DiscoveryModeResponse>(),
    Decoder::of::<device::SetDiscoveryModeResponse>(),
    Decoder::of::<device::SystemUris>(),
    Decoder::of::<device::SystemLog>(),
    Decoder::of::<device::FirmwareUpload>(),
    Decoder::of::<device::RestoreUpload>(),
    Decoder::of::<device::SetSystemFactoryDefaultResponse>(),
    Decoder::of::<device::WsdlUrl>(),
    // media
    Decoder::of::<media::Profiles>(),
    Decoder::of::<media::Profile>(),
    Decoder::of::<media::StreamUri>(),
    Decoder::of::<media::SnapshotUri>(),
    Decoder::of::<media::VideoSources>(),
    Decoder::of::<media::VideoSourceConfigurations>(),
    Decoder::of::<media::VideoSourceConfiguration>(),
    Decoder::of::<media::VideoSourceConfigurationOptions>(),
    Decoder::of::<media::CompatibleVideoSourceConfigurations>(),
    Decoder::of::<media::CompatibleVideoEncoderConfigurations>(),
    Decoder::of::<media::CompatibleMetadataConfigurations>(),
    Decoder::of::<media::VideoEncoderConfigurations>(),
    Decoder::of::<media::VideoEncoderConfiguration>(),
    Decoder::of::<media::VideoEncoderConfigurationOptions>(),
    Decoder::of::<media::StartMulticastStreamingResponse>(),
    Decoder::of::<media::StopMulticastStreamingResponse>(),
    Decoder::of::<media::SetSynchronizationPointResponse>(),
    Decoder::of::<media::GuaranteedEncoderInstances>(),
    Decoder::of::<media::SetVideoEncoderConfigurationResponse>(),
    Decoder::of::<media::AudioSources>(),
    Decoder::of::<media::MetadataConfigurations>(),
    Decoder::of::<media::MetadataConfiguration>(),
    Decoder::of::<media::ServiceCapabilities>(),
    Decoder::of::<media::Osds>(),
    Decoder::of::<media::OsdOptionsResponse>(),
    Decoder::of::<media::CreateOsdResponse>(),
    Decoder::of::<media::SetOsdResponse>(),
    Decoder::of::<media::DeleteOsdResponse>(),
    // media2
    Decoder::of::<media2::Profiles>(),
    Decoder::of::<media2::StreamUri>(),
    Decoder::of::<media2::SnapshotUri>(),
    Decoder::of::<media2::VideoEncoderConfigurations>(),
    Decoder::of::<media2::VideoSourceConfigurations>(),
    Decoder::of::<media2::VideoSourceConfigurationOptions>(),
    Decoder::of::<media2::VideoEncoderInstances>(),
    Decoder::of::<media2::VideoEncoderConfigurationOptions>(),
    Decoder::of::<media2::StartMulticastStreamingResponse>(),
    Decoder::of::<media2::StopMulticastStreamingResponse>(),
    Decoder::of::<media2::SetSynchronizationPointResponse>(),
    Decoder::of::<media2::SetVideoEncoderConfigurationResponse>(),
    Decoder::of::<media2::MetadataConfigurations>(),
    Decoder::of::<media2::ServiceCapabilities>(),
    Decoder::of::<media2::Osds>(),
    Decoder::of::<media2::OsdOptionsResponse>(),
    Decoder::of::<media2::CreateOsdResponse>(),
    Decoder::of::<media2::SetOsdResponse>(),
    Decoder::of::<media2::DeleteOsdResponse>(),
    // analytics
    Decoder::of::<analytics::SupportedAnalyticsModulesResponse>(),
    Decoder::of::<analytics::AnalyticsModules>(),
    Decoder::of::<analytics::SupportedRulesResponse>(),
    Decoder::of::<analytics::Rules>(),
    Decoder::of::<analytics::CreateRulesResponse>(),
    Decoder::of::<analytics::ModifyRulesResponse>(),
    Decoder::of::<analytics::DeleteRulesResponse>(),
    Decoder::of::<analytics::ServiceCapabilities>(),
    Decoder::of::<analytics::AnalyticsConfigurations>(),
    Decoder::of::<analytics::VideoAnalyticsConfigurations>(),
    // imaging
    Decoder::of::<imaging::ImagingSettingsResponse>(),
    Decoder::of::<imaging::SetImagingSettingsResponse>(),
    Decoder::of::<imaging::ImagingOptionsResponse>(),
    Decoder::of::<imaging::MoveOptionsResponse>(),
    Decoder::of::<imaging::MoveResponse>(),
    Decoder::of::<imaging::StopResponse>(),
    Decoder::of::<imaging::StatusResponse>(),
    Decoder::of::<deviceio::RelayOutputs>(),
    Decoder::of::<deviceio::SetRelayOutputSettingsResponse>(),
    Decoder::of::<deviceio::SetRelayOutputStateResponse>(),
    Decoder::of::<deviceio::IoSetRelayOutputSettingsResponse>(),
    Decoder::of::<deviceio::RelayOutputOptionsResponse>(),
    Decoder::of::<deviceio::DigitalInputs>(),
    Decoder::of::<deviceio::ServiceCapabilities>(),
    Decoder::of::<imaging::ServiceCapabilities>(),
    // ptz
    Decoder::of::<ptz::Nodes>(),
    Decoder::of::<ptz::Node>(),
    Decoder::of::<ptz::Configurations>(),
    Decoder::of::<ptz::Configuration>(),
    Decoder::of::<ptz::CompatibleConfigurations>(),
    Decoder::of::<ptz::ConfigurationOptions>(),
    Decoder::of::<ptz::Status>(),
    Decoder::of::<ptz::AbsoluteMoveResponse>(),
    Decoder::of::<ptz::RelativeMoveResponse>(),
    Decoder::of::<ptz::ContinuousMoveResponse>(),
    Decoder::of::<ptz::StopResponse>(),
    Decoder::of::<ptz::Presets>(),
    Decoder::of::<ptz::SetPresetResponse>(),
    Decoder::of::<ptz::RemovePresetResponse>(),
    Decoder::of::<ptz::GotoPresetResponse>(),
    Decoder::of::<ptz::GotoHomePositionResponse>(),
    Decoder::of::<ptz::SetHomePositionResponse>(),
    Decoder::of::<ptz::SendAuxiliaryCommandResponse>(),
    Decoder::of::<ptz::ServiceCapabilities>(),
    // events
    Decoder::of::<events::EventProperties>(),
    Decoder::of::<events::ServiceCapabilities>(),
    Decoder::of::<events::CreatePullPointSubscriptionResponse>(),
    Decoder::of::<events::PullMessagesResponse>(),
    Decoder::of::<events::SetSynchronizationPointResponse>(),
    Decoder::of::<events::SeekResponse>(),
    Decoder::of::<events::RenewResponse>(),
    Decoder::of::<events::UnsubscribeResponse>(),
    Decoder::of::<events::Notify>(),
    Decoder::of::<events::SubscribeResponse>(),
    Decoder::of::<events::CurrentMessage>(),
    // recording, search, replay
    Decoder::of::<recording::Recordings>(),
    Decoder::of::<recording::RecordingConfigurationResponse>(),
    Decoder::of::<recording::RecordingJobs>(),
    Decoder::of::<recording::ServiceCapabilities>(),
    Decoder::of::<search::RecordingSummaryResponse>(),
    Decoder::of::<search::FindRecordingsResponse>(),
    Decoder::of::<search::RecordingSearchResults>(),
    Decoder::of::<search::FindEventsResponse>(),
    Decoder::of::<search::EventSearchResults>(),
    Decoder::of::<search::EndSearchResponse>(),
    Decoder::of::<search::RecordingInformationResponse>(),
    Decoder::of::<search::ServiceCapabilities>(),
    Decoder::of::<replay::ReplayUri>(),
    Decoder::of::<replay::ReplayConfigurationResponse>(),
    Decoder::of::<replay::SetReplayConfigurationResponse>(),
    Decoder::of::<replay::ServiceCapabilities>(),
];

/// The decoder for an element, if the library knows it. An element whose prefix is unbound is
/// matched on its name only when one service alone answers with that name
/// (`GetServiceCapabilitiesResponse`, `StopResponse`, `GetProfilesResponse` say nothing of
/// which service sent them).
pub fn decoder_for(el: &Element) -> Option<&'static Decoder> {
    if el.unbound {
        let mut named = DECODERS.iter().filter(|d| d.name == el.name);
        let first = named.next()?;
        return named.next().is_none().then_some(first);
    }
    DECODERS
        .iter()
        .find(|d| el.ns.as_deref() == Some(d.ns) && el.name == d.name)
}

/// What a saved document turned out to be.
#[derive(Debug, Serialize)]
pub struct Decoded {
    /// SOAP 1.2 or 1.1, from the envelope's namespace (1.2 when it is neither).
    pub soap_version: SoapVersion,
    /// The Body's first element (`GetDeviceInformationResponse`), or `Fault`.
    pub operation: String,
    /// The namespace URI of that element; `None` when it has none (or an undeclared prefix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `typed` when a library type read it, `generic` otherwise, `fault` for a Fault.
    pub kind: &'static str,
    /// The Fault, when `kind` is `fault`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
    /// The typed value, or the element tree for unknown operations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Why the typed reading failed, when it did (the tree is in `data` then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed_error: Option<String>,
    /// The camera's mistakes that reading worked around: undeclared prefixes, placeholder
    /// text where a value belongs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The binary parts of an MTOM (multipart/related) answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::mime::Attachment>,
}

/// A camera's mistake that reading worked around.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mistake {
    /// Template text where a value belongs, at this path (`PTZStatus/MoveStatus/PanTilt`):
    /// the value is lost.
    Placeholder(String),
    /// Elements with a prefix declared nowhere, by local name: read where the name is
    /// unambiguous.
    UndeclaredPrefixes(Vec<String>),
}

impl std::fmt::Display for Mistake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mistake::Placeholder(p) => write!(f, "the camera sent placeholder text for {p}"),
            Mistake::UndeclaredPrefixes(names) => write!(
                f,
                "the camera used namespace prefixes it never declared, on <{}>; read by local name where that name is unambiguous",
                names.join(">, <")
            ),
        }
    }
}

/// What is odd in an answer's payload.
pub fn camera_mistakes(payload: &Element) -> Vec<Mistake> {
    let mut out: Vec<Mistake> = payload
        .placeholders()
        .into_iter()
        .map(Mistake::Placeholder)
        .collect();
    let undeclared = payload.unbound_names();
    if !undeclared.is_empty() {
        out.push(Mistake::UndeclaredPrefixes(
            undeclared.into_iter().map(str::to_owned).collect(),
        ));
    }
    out
}

/// Decode a saved response. Errors only when the bytes are not XML or not a SOAP envelope.
/// Notification messages (of a `PullMessagesResponse` or a `Notify`) get their normalised
/// `kind` from the built-in kind table, as `onvif events` shows them.
pub fn decode(input: &[u8]) -> Result<Decoded, Error> {
    decode_with_kinds(input, &events::KindTable::default())
}

/// Add `kind` (the normalised kind and state, or null) to each notification message of a
/// `PullMessagesResponse` or `Notify` decoded into `v`.
fn add_kinds(first: &Element, v: &mut Value, kinds: &events::KindTable) {
    let messages = if first.is(TEV, "PullMessagesResponse") {
        events::PullMessagesResponse::read(first).map(|r| r.messages)
    } else if first.is(WSNT, "Notify") {
        events::Notify::read(first).map(|n| n.messages)
    } else {
        return;
    };
    let (Ok(messages), Some(out)) = (
        messages,
        v.get_mut("messages").and_then(Value::as_array_mut),
    ) else {
        return;
    };
    for (m, o) in messages.iter().zip(out) {
        if let Some(o) = o.as_object_mut() {
            o.insert("kind".to_owned(), to_json(kinds.classify(m)));
        }
    }
}

/// [`decode`], classifying notification messages with `kinds` (a user's `--kinds` rules in
/// front of the built-in ones).
pub fn decode_with_kinds(input: &[u8], kinds: &events::KindTable) -> Result<Decoded, Error> {
    // An MTOM answer: the envelope is the root part (split once: a root part that looks
    // multipart again is read as XML), attachments are described.
    let multipart = crate::mime::split(input, None)?;
    let env = Envelope::parse(multipart.as_ref().map_or(input, |m| m.root.body))?;
    let attachments = multipart
        .as_ref()
        .map(|m| m.attachments(&env.body))
        .unwrap_or_default();
    let Some(first) = env.body.first_child() else {
        return Err(Error::NotSoap("the Body is empty".into()));
    };
    let mut out = Decoded {
        soap_version: env.version,
        operation: first.name.clone(),
        namespace: first.ns.as_deref().map(str::to_owned),
        kind: "generic",
        fault: None,
        data: None,
        typed_error: None,
        warnings: camera_mistakes(first)
            .iter()
            .map(Mistake::to_string)
            .collect(),
        attachments,
    };
    if let Some(f) = env.fault() {
        out.kind = "fault";
        out.fault = Some(f);
        return Ok(out);
    }
    // WS-Discovery messages are read from the whole envelope (their headers matter).
    if first
        .ns
        .as_deref()
        .is_some_and(|n| n == crate::discovery::WSD || n == crate::discovery::WSD_2009)
    {
        match crate::discovery::Packet::parse(input) {
            Ok(p) => {
                out.kind = "typed";
                out.data = Some(to_json(p));
            }
            Err(e) => {
                out.typed_error = Some(e.to_string());
                out.data = Some(generic(first));
            }
        }
        return Ok(out);
    }
    match decoder_for(first).map(|d| (d.decode)(first)) {
        Some(Ok(mut v)) => {
            add_kinds(first, &mut v, kinds);
            out.kind = "typed";
            out.data = Some(v);
        }
        Some(Err(e)) => {
            out.typed_error = Some(e.to_string());
            out.data = Some(generic(first));
        }
        None => out.data = Some(generic(first)),
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const S: &str = r#"xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema""#;

    #[test]
    fn placeholders_are_named_and_never_read_as_values() {
        let doc = format!(
            r#"<s:Envelope {S} xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"><s:Body><tptz:GetStatusResponse><tptz:PTZStatus>
            <tt:Position><tt:PanTilt x="{{{{pan}}}}" y="0.5"/></tt:Position>
            <tt:MoveStatus><tt:PanTilt>{{{{pan_tilt_status}}}}</tt:PanTilt></tt:MoveStatus>
            <tt:UtcTime>{{{{utc_time}}}}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse></s:Body></s:Envelope>"#
        );
        let d = decode(doc.as_bytes()).unwrap();
        assert_eq!(d.kind, "typed");
        let data = d.data.unwrap();
        assert!(data["utc_time"].is_null(), "{data}");
        assert!(data["move_status"]["pan_tilt"].is_null(), "{data}");
        assert_eq!(
            d.warnings,
            [
                "the camera sent placeholder text for GetStatusResponse/PTZStatus/Position/PanTilt@x",
                "the camera sent placeholder text for GetStatusResponse/PTZStatus/MoveStatus/PanTilt",
                "the camera sent placeholder text for GetStatusResponse/PTZStatus/UtcTime",
            ]
        );
    }

    #[test]
    fn undeclared_prefixes_are_read_and_reported() {
        let ack =
            format!(r#"<s:Envelope {S}><s:Body><ptz:AbsoluteMoveResponse/></s:Body></s:Envelope>"#);
        let d = decode(ack.as_bytes()).unwrap();
        assert_eq!(
            (d.operation.as_str(), d.kind),
            ("AbsoluteMoveResponse", "typed")
        );
        assert_eq!(d.warnings.len(), 1);
        assert!(
            d.warnings[0].contains("<AbsoluteMoveResponse>"),
            "{:?}",
            d.warnings
        );

        let presets = format!(
            r#"<s:Envelope {S}><s:Body><ptz:GetPresetsResponse><tptz:Preset token="home"><tt:Name>Home</tt:Name></tptz:Preset></ptz:GetPresetsResponse></s:Body></s:Envelope>"#
        );
        let d = decode(presets.as_bytes()).unwrap();
        assert_eq!(d.kind, "typed");
        let data = d.data.unwrap();
        assert_eq!(data["presets"][0]["token"], "home");
        assert_eq!(data["presets"][0]["name"], "Home");

        // A name that several services answer with says nothing about which one: not typed.
        for name in [
            "GetServiceCapabilitiesResponse",
            "StopResponse",
            "GetProfilesResponse",
        ] {
            let doc = format!(r#"<s:Envelope {S}><s:Body><x:{name}/></s:Body></s:Envelope>"#);
            assert_eq!(decode(doc.as_bytes()).unwrap().kind, "generic", "{name}");
        }
    }
}
