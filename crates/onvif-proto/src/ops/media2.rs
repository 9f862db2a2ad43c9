//! Media2 service, ver20 (`tr2:`). Profiles, encoders, sources and URIs use the model shared
//! with Media1 in [`crate::ops::profile`].

use serde::Serialize;

use crate::error::Error;
use crate::ns::TR2;
use crate::ops::device;
use crate::ops::profile::{
    MediaProfile, MediaUri, MetadataConfig, VideoEncoder, VideoEncoderOptions, VideoSourceConfig,
    config_query, token_request, write_service_capabilities,
};
use crate::ops::{Message, Service, expect, opt_text, req_text};
use crate::xml::{Element, Writer};
use crate::{empty_message, operation};

// ---------------------------------------------------------------------------------------------
// GetProfiles

/// Ask for profiles. Media2 answers only with the configuration types listed in `types`
/// (`All`, `VideoSource`, `VideoEncoder`, `AudioSource`, `AudioEncoder`, `PTZ`, `Metadata`,
/// ...); with none listed, profiles come without configurations. The default asks for `All`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetProfiles {
    /// Only this profile.
    pub token: Option<String>,
    pub types: Vec<String>,
}

impl Default for GetProfiles {
    fn default() -> Self {
        GetProfiles {
            token: None,
            types: vec!["All".into()],
        }
    }
}

impl Message for GetProfiles {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetProfiles", &[]);
        w.leaf_opt("tr2:Token", self.token.as_deref());
        for t in &self.types {
            w.leaf("tr2:Type", t);
        }
        w.close("tr2:GetProfiles");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "GetProfiles")?;
        Ok(GetProfiles {
            token: opt_text(el, TR2, "Token"),
            // Type is a list: one element per value, but a space-separated list is read too.
            types: el
                .children_named(TR2, "Type")
                .flat_map(|t| t.text().split_whitespace())
                .map(str::to_owned)
                .collect(),
        })
    }
}
operation!(GetProfiles => Profiles, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "GetProfiles", idempotent = true);

/// The answer to GetProfiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Profiles {
    pub profiles: Vec<MediaProfile>,
}

impl Message for Profiles {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetProfilesResponse", &[]);
        for p in &self.profiles {
            p.write_media2(w, "tr2:Profiles");
        }
        w.close("tr2:GetProfilesResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "GetProfilesResponse")?;
        let profiles = el
            .children_named(TR2, "Profiles")
            .map(MediaProfile::read_media2)
            .collect::<Result<_, _>>()?;
        Ok(Profiles { profiles })
    }
}

// ---------------------------------------------------------------------------------------------
// GetStreamUri / GetSnapshotUri

/// The streaming protocol asked of GetStreamUri.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum StreamingProtocol {
    /// RTSP, RTP over UDP (`RtspUnicast`).
    RtspUnicast,
    /// RTSP, multicast RTP (`RtspMulticast`).
    RtspMulticast,
    /// RTP interleaved in the RTSP TCP connection (`RTSP`).
    #[serde(rename = "RTSP")]
    Rtsp,
    /// RTSP tunnelled in HTTP (`RtspOverHttp`).
    RtspOverHttp,
    /// Another value, as written (`RtspsUnicast`, ...).
    Other(String),
}

impl StreamingProtocol {
    /// The value as the schema spells it.
    pub fn as_str(&self) -> &str {
        match self {
            StreamingProtocol::RtspUnicast => "RtspUnicast",
            StreamingProtocol::RtspMulticast => "RtspMulticast",
            StreamingProtocol::Rtsp => "RTSP",
            StreamingProtocol::RtspOverHttp => "RtspOverHttp",
            StreamingProtocol::Other(s) => s,
        }
    }

    /// Read a value; case is ignored for the known ones.
    pub fn parse(v: &str) -> StreamingProtocol {
        let v = v.trim();
        [
            StreamingProtocol::RtspUnicast,
            StreamingProtocol::RtspMulticast,
            StreamingProtocol::Rtsp,
            StreamingProtocol::RtspOverHttp,
        ]
        .into_iter()
        .find(|p| p.as_str().eq_ignore_ascii_case(v))
        .unwrap_or_else(|| StreamingProtocol::Other(v.to_owned()))
    }
}

/// Ask for a profile's stream address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetStreamUri {
    pub protocol: StreamingProtocol,
    pub profile_token: String,
}

impl GetStreamUri {
    /// RTP over the RTSP connection, the form that passes firewalls and NAT.
    pub fn rtsp(profile_token: impl Into<String>) -> Self {
        GetStreamUri {
            protocol: StreamingProtocol::Rtsp,
            profile_token: profile_token.into(),
        }
    }
}

impl Message for GetStreamUri {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetStreamUri", &[])
            .leaf("tr2:Protocol", self.protocol.as_str())
            .leaf("tr2:ProfileToken", &self.profile_token)
            .close("tr2:GetStreamUri");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "GetStreamUri")?;
        Ok(GetStreamUri {
            protocol: StreamingProtocol::parse(req_text(el, TR2, "Protocol")?),
            profile_token: req_text(el, TR2, "ProfileToken")?.to_owned(),
        })
    }
}
operation!(GetStreamUri => StreamUri, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "GetStreamUri", idempotent = true);

fn read_uri(el: &Element, name: &str) -> Result<MediaUri, Error> {
    expect(el, TR2, name)?;
    Ok(MediaUri {
        uri: el
            .child_text(TR2, "Uri")
            .ok_or_else(|| Error::missing(format!("{name}/Uri")))?
            .to_owned(),
        ..MediaUri::default()
    })
}

/// The answer to GetStreamUri (Media2 sends the URI only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StreamUri {
    pub media_uri: MediaUri,
}

impl Message for StreamUri {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetStreamUriResponse", &[])
            .leaf("tr2:Uri", &self.media_uri.uri)
            .close("tr2:GetStreamUriResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        read_uri(el, "GetStreamUriResponse").map(|media_uri| StreamUri { media_uri })
    }
}

token_request!(
    /// Ask for a profile's JPEG snapshot address.
    GetSnapshotUri, TR2, "tr2", "GetSnapshotUri", profile_token = "ProfileToken"
);
operation!(GetSnapshotUri => SnapshotUri, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "GetSnapshotUri", idempotent = true);

/// The answer to GetSnapshotUri (Media2 sends the URI only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SnapshotUri {
    pub media_uri: MediaUri,
}

impl Message for SnapshotUri {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetSnapshotUriResponse", &[])
            .leaf("tr2:Uri", &self.media_uri.uri)
            .close("tr2:GetSnapshotUriResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        read_uri(el, "GetSnapshotUriResponse").map(|media_uri| SnapshotUri { media_uri })
    }
}

// ---------------------------------------------------------------------------------------------
// Configurations

config_query!(
    /// Video encoder configurations (one, those usable with a profile, or all).
    GetVideoEncoderConfigurations, TR2, "tr2", "GetVideoEncoderConfigurations"
);
operation!(GetVideoEncoderConfigurations => VideoEncoderConfigurations, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "GetVideoEncoderConfigurations", idempotent = true);

/// The answer to GetVideoEncoderConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoEncoderConfigurations {
    pub configurations: Vec<VideoEncoder>,
}

impl Message for VideoEncoderConfigurations {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetVideoEncoderConfigurationsResponse", &[]);
        for c in &self.configurations {
            c.write_media2(w, "tr2:Configurations");
        }
        w.close("tr2:GetVideoEncoderConfigurationsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "GetVideoEncoderConfigurationsResponse")?;
        Ok(VideoEncoderConfigurations {
            configurations: el
                .children_named(TR2, "Configurations")
                .map(VideoEncoder::read_media2)
                .collect(),
        })
    }
}

config_query!(
    /// Video source configurations (one, those usable with a profile, or all).
    GetVideoSourceConfigurations, TR2, "tr2", "GetVideoSourceConfigurations"
);
operation!(GetVideoSourceConfigurations => VideoSourceConfigurations, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "GetVideoSourceConfigurations", idempotent = true);

/// The answer to GetVideoSourceConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VideoSourceConfigurations {
    pub configurations: Vec<VideoSourceConfig>,
}

impl Message for VideoSourceConfigurations {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetVideoSourceConfigurationsResponse", &[]);
        for c in &self.configurations {
            c.write(w, "tr2:Configurations");
        }
        w.close("tr2:GetVideoSourceConfigurationsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "GetVideoSourceConfigurationsResponse")?;
        Ok(VideoSourceConfigurations {
            configurations: el
                .children_named(TR2, "Configurations")
                .map(VideoSourceConfig::read)
                .collect(),
        })
    }
}

config_query!(
    /// What video encoder configurations accept, one entry per codec.
    GetVideoEncoderConfigurationOptions, TR2, "tr2", "GetVideoEncoderConfigurationOptions"
);
operation!(GetVideoEncoderConfigurationOptions => VideoEncoderConfigurationOptions,
    Service::Media2, "http://www.onvif.org/ver20/media/wsdl",
    "GetVideoEncoderConfigurationOptions", idempotent = true);

/// The answer to GetVideoEncoderConfigurationOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct VideoEncoderConfigurationOptions {
    pub options: VideoEncoderOptions,
}

impl Message for VideoEncoderConfigurationOptions {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetVideoEncoderConfigurationOptionsResponse", &[]);
        self.options.write_media2(w);
        w.close("tr2:GetVideoEncoderConfigurationOptionsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "GetVideoEncoderConfigurationOptionsResponse")?;
        Ok(VideoEncoderConfigurationOptions {
            options: VideoEncoderOptions::read_media2(el),
        })
    }
}

/// Change a video encoder configuration. Send the whole configuration, as read from the
/// camera with the fields to change set (Media2 changes are always persistent).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SetVideoEncoderConfiguration {
    pub configuration: VideoEncoder,
}

impl Message for SetVideoEncoderConfiguration {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:SetVideoEncoderConfiguration", &[]);
        self.configuration.write_media2(w, "tr2:Configuration");
        w.close("tr2:SetVideoEncoderConfiguration");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "SetVideoEncoderConfiguration")?;
        let c = el
            .child(TR2, "Configuration")
            .ok_or_else(|| Error::missing("SetVideoEncoderConfiguration/Configuration"))?;
        Ok(SetVideoEncoderConfiguration {
            configuration: VideoEncoder::read_media2(c),
        })
    }
}

empty_message!(
    /// The empty answer to SetVideoEncoderConfiguration.
    SetVideoEncoderConfigurationResponse, TR2, "tr2", "SetVideoEncoderConfigurationResponse"
);
operation!(SetVideoEncoderConfiguration => SetVideoEncoderConfigurationResponse, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "SetVideoEncoderConfiguration", idempotent = true);

config_query!(
    /// Metadata configurations (one, those usable with a profile, or all).
    GetMetadataConfigurations, TR2, "tr2", "GetMetadataConfigurations"
);
operation!(GetMetadataConfigurations => MetadataConfigurations, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "GetMetadataConfigurations", idempotent = true);

/// The answer to GetMetadataConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MetadataConfigurations {
    pub configurations: Vec<MetadataConfig>,
}

impl Message for MetadataConfigurations {
    fn write(&self, w: &mut Writer) {
        w.open("tr2:GetMetadataConfigurationsResponse", &[]);
        for c in &self.configurations {
            c.write(w, "tr2:Configurations");
        }
        w.close("tr2:GetMetadataConfigurationsResponse");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TR2, "GetMetadataConfigurationsResponse")?;
        Ok(MetadataConfigurations {
            configurations: el
                .children_named(TR2, "Configurations")
                .map(MetadataConfig::read)
                .collect(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Multicast streaming

token_request!(
    /// Start multicast streaming of a profile.
    StartMulticastStreaming, TR2, "tr2", "StartMulticastStreaming", profile_token = "ProfileToken"
);
empty_message!(
    /// The empty answer to StartMulticastStreaming.
    StartMulticastStreamingResponse, TR2, "tr2", "StartMulticastStreamingResponse"
);
operation!(StartMulticastStreaming => StartMulticastStreamingResponse, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "StartMulticastStreaming", idempotent = true);

token_request!(
    /// Stop multicast streaming of a profile.
    StopMulticastStreaming, TR2, "tr2", "StopMulticastStreaming", profile_token = "ProfileToken"
);
empty_message!(
    /// The empty answer to StopMulticastStreaming.
    StopMulticastStreamingResponse, TR2, "tr2", "StopMulticastStreamingResponse"
);
operation!(StopMulticastStreaming => StopMulticastStreamingResponse, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "StopMulticastStreaming", idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

empty_message!(
    /// The Media2 service's capabilities.
    GetServiceCapabilities, TR2, "tr2", "GetServiceCapabilities"
);
operation!(GetServiceCapabilities => ServiceCapabilities, Service::Media2,
    "http://www.onvif.org/ver20/media/wsdl", "GetServiceCapabilities", idempotent = true);

/// The Media2 service's capabilities, flattened (`SnapshotUri` -> `true`,
/// `ProfileCapabilities.ConfigurationsSupported` -> `VideoSource VideoEncoder ...`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ServiceCapabilities(pub device::ServiceCapabilities);

impl Message for ServiceCapabilities {
    fn write(&self, w: &mut Writer) {
        write_service_capabilities(w, "tr2", &self.0.flags);
    }

    fn read(el: &Element) -> Result<Self, Error> {
        device::ServiceCapabilities::read_in(el, TR2).map(ServiceCapabilities)
    }
}
