//! Round trip: any message that reads must write and read back to the same value (compared
//! as JSON; where the first reading had nothing, the writer may put the schema's default of a
//! required element, and from then on the value must stay exactly the same). The first byte picks the message type from the same table as `decode` (checked
//! against it below), the rest is a document whose payload is renamed as in `messages`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_proto::decode::DECODERS;
use onvif_proto::ns::{TDS, TEV, TIMG, TPTZ, TR2, TRT, WSNT};
use onvif_proto::ops::{Message, device, events, imaging, media, media2, ptz};
use onvif_proto::soap::{self, Envelope};
use onvif_proto::xml::{Element, Writer};
use serde::Serialize;
use serde_json::Value;

type Check = fn(&Element);

/// Write `m` in an envelope and read it back.
fn write_read<M: Message>(m: &M) -> (M, String) {
    let mut w = Writer::new();
    m.write(&mut w);
    let doc = soap::envelope(None, &w.finish());
    let env = Envelope::parse(doc.as_bytes())
        .unwrap_or_else(|e| panic!("what we wrote does not parse: {e}\n{doc}"));
    let payload = env.payload().expect("our envelope has a payload");
    match M::read(payload) {
        Ok(again) => (again, doc),
        Err(e) => panic!("what we wrote does not read back: {e}\n{doc}"),
    }
}

/// `b` says everything `a` says: equal, except where `a` has nothing (an absent or null
/// field, which the writer may fill with the schema's default when the element is required).
fn says_all_of(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, _) => true,
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .all(|(k, v)| b.get(k).map_or(v.is_null(), |w| says_all_of(v, w))),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| says_all_of(v, w))
        }
        _ => a == b,
    }
}

fn round_trip<M: Message + Serialize>(el: &Element) {
    let Ok(first) = M::read(el) else {
        return;
    };
    let json = |m: &M| serde_json::to_value(m).expect("json");
    let (second, doc) = write_read(&first);
    let (a, b) = (json(&first), json(&second));
    assert!(
        says_all_of(&a, &b),
        "changed when written and read back:\n{doc}\nread first: {a}\nread back: {b}"
    );
    // What we wrote once comes back exactly.
    let (third, doc) = write_read(&second);
    assert_eq!(
        b,
        json(&third),
        "changed when written a second time:\n{doc}"
    );
}

macro_rules! table {
    ($($ns:expr, $name:literal => $ty:ty;)*) => {
        static TABLE: &[(&str, &str, Check)] = &[$(($ns, $name, round_trip::<$ty>),)*];
    };
}

table! {
    TDS, "GetSystemDateAndTimeResponse" => device::SystemDateAndTime;
    TDS, "SetSystemDateAndTimeResponse" => device::SetSystemDateAndTimeResponse;
    TDS, "GetDeviceInformationResponse" => device::DeviceInformation;
    TDS, "GetCapabilitiesResponse" => device::Capabilities;
    TDS, "GetServicesResponse" => device::Services;
    TDS, "GetServiceCapabilitiesResponse" => device::ServiceCapabilities;
    TDS, "GetScopesResponse" => device::Scopes;
    TDS, "GetHostnameResponse" => device::HostnameInformation;
    TDS, "GetNetworkInterfacesResponse" => device::NetworkInterfaces;
    TDS, "GetNTPResponse" => device::NtpInformation;
    TDS, "SystemRebootResponse" => device::RebootResponse;
    TRT, "GetProfilesResponse" => media::Profiles;
    TRT, "GetProfileResponse" => media::Profile;
    TRT, "GetStreamUriResponse" => media::StreamUri;
    TRT, "GetSnapshotUriResponse" => media::SnapshotUri;
    TRT, "GetVideoSourcesResponse" => media::VideoSources;
    TRT, "GetVideoSourceConfigurationsResponse" => media::VideoSourceConfigurations;
    TRT, "GetVideoEncoderConfigurationsResponse" => media::VideoEncoderConfigurations;
    TRT, "GetVideoEncoderConfigurationResponse" => media::VideoEncoderConfiguration;
    TRT, "GetVideoEncoderConfigurationOptionsResponse" => media::VideoEncoderConfigurationOptions;
    TRT, "StartMulticastStreamingResponse" => media::StartMulticastStreamingResponse;
    TRT, "StopMulticastStreamingResponse" => media::StopMulticastStreamingResponse;
    TRT, "SetVideoEncoderConfigurationResponse" => media::SetVideoEncoderConfigurationResponse;
    TRT, "GetAudioSourcesResponse" => media::AudioSources;
    TRT, "GetMetadataConfigurationsResponse" => media::MetadataConfigurations;
    TRT, "GetMetadataConfigurationResponse" => media::MetadataConfiguration;
    TRT, "GetServiceCapabilitiesResponse" => media::ServiceCapabilities;
    TR2, "GetProfilesResponse" => media2::Profiles;
    TR2, "GetStreamUriResponse" => media2::StreamUri;
    TR2, "GetSnapshotUriResponse" => media2::SnapshotUri;
    TR2, "GetVideoEncoderConfigurationsResponse" => media2::VideoEncoderConfigurations;
    TR2, "GetVideoSourceConfigurationsResponse" => media2::VideoSourceConfigurations;
    TR2, "GetVideoEncoderConfigurationOptionsResponse" => media2::VideoEncoderConfigurationOptions;
    TR2, "StartMulticastStreamingResponse" => media2::StartMulticastStreamingResponse;
    TR2, "StopMulticastStreamingResponse" => media2::StopMulticastStreamingResponse;
    TR2, "SetVideoEncoderConfigurationResponse" => media2::SetVideoEncoderConfigurationResponse;
    TR2, "GetMetadataConfigurationsResponse" => media2::MetadataConfigurations;
    TR2, "GetServiceCapabilitiesResponse" => media2::ServiceCapabilities;
    TIMG, "GetImagingSettingsResponse" => imaging::ImagingSettingsResponse;
    TIMG, "SetImagingSettingsResponse" => imaging::SetImagingSettingsResponse;
    TIMG, "GetOptionsResponse" => imaging::ImagingOptionsResponse;
    TIMG, "GetMoveOptionsResponse" => imaging::MoveOptionsResponse;
    TIMG, "MoveResponse" => imaging::MoveResponse;
    TIMG, "StopResponse" => imaging::StopResponse;
    TIMG, "GetServiceCapabilitiesResponse" => imaging::ServiceCapabilities;
    TPTZ, "GetNodesResponse" => ptz::Nodes;
    TPTZ, "GetNodeResponse" => ptz::Node;
    TPTZ, "GetConfigurationsResponse" => ptz::Configurations;
    TPTZ, "GetConfigurationResponse" => ptz::Configuration;
    TPTZ, "GetCompatibleConfigurationsResponse" => ptz::CompatibleConfigurations;
    TPTZ, "GetConfigurationOptionsResponse" => ptz::ConfigurationOptions;
    TPTZ, "GetStatusResponse" => ptz::Status;
    TPTZ, "AbsoluteMoveResponse" => ptz::AbsoluteMoveResponse;
    TPTZ, "RelativeMoveResponse" => ptz::RelativeMoveResponse;
    TPTZ, "ContinuousMoveResponse" => ptz::ContinuousMoveResponse;
    TPTZ, "StopResponse" => ptz::StopResponse;
    TPTZ, "GetPresetsResponse" => ptz::Presets;
    TPTZ, "SetPresetResponse" => ptz::SetPresetResponse;
    TPTZ, "RemovePresetResponse" => ptz::RemovePresetResponse;
    TPTZ, "GotoPresetResponse" => ptz::GotoPresetResponse;
    TPTZ, "GotoHomePositionResponse" => ptz::GotoHomePositionResponse;
    TPTZ, "SetHomePositionResponse" => ptz::SetHomePositionResponse;
    TPTZ, "SendAuxiliaryCommandResponse" => ptz::SendAuxiliaryCommandResponse;
    TPTZ, "GetServiceCapabilitiesResponse" => ptz::ServiceCapabilities;
    TEV, "GetEventPropertiesResponse" => events::EventProperties;
    TEV, "GetServiceCapabilitiesResponse" => events::ServiceCapabilities;
    TEV, "CreatePullPointSubscriptionResponse" => events::CreatePullPointSubscriptionResponse;
    TEV, "PullMessagesResponse" => events::PullMessagesResponse;
    TEV, "SetSynchronizationPointResponse" => events::SetSynchronizationPointResponse;
    TEV, "SeekResponse" => events::SeekResponse;
    WSNT, "RenewResponse" => events::RenewResponse;
    WSNT, "UnsubscribeResponse" => events::UnsubscribeResponse;
    WSNT, "Notify" => events::Notify;
    WSNT, "SubscribeResponse" => events::SubscribeResponse;
    WSNT, "GetCurrentMessageResponse" => events::CurrentMessage;
}

fuzz_target!(|data: &[u8]| {
    // The same types as `decode` knows, in the same order.
    assert_eq!(
        TABLE.len(),
        DECODERS.len(),
        "the round-trip table is out of date"
    );
    let Some((&pick, doc)) = data.split_first() else {
        return;
    };
    let i = usize::from(pick) % TABLE.len();
    let (ns, name, check) = TABLE[i];
    assert!(
        DECODERS[i].ns == ns && DECODERS[i].name == name,
        "the round-trip table is out of date at {name}"
    );
    let Ok(root) = onvif_proto::xml::parse(doc) else {
        return;
    };
    let mut el = match Envelope::from_root(root.clone()) {
        Ok(env) => match env.body.first_child() {
            Some(first) => first.clone(),
            None => return,
        },
        Err(_) => root,
    };
    el.ns = Some(ns.into());
    el.name = name.to_owned();
    check(&el);
});
