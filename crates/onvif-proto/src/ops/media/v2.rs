//! Media2 service, ver20 (`tr2:`), as `ops::media2`. Profiles, encoders, sources and URIs use
//! the model shared with Media1 ([`crate::ops::profile`]).

use std::borrow::Cow;

use serde::Serialize;

use super::profile::{
    MediaProfile, MediaUri, MetadataConfig, VideoEncoder, VideoEncoderOptions, VideoSourceConfig,
    VideoSourceOptions,
};
use crate::codec::{Text, Xml};
use crate::error::Error;
use crate::ns::TR2;
use crate::operation;
use crate::xml::{Element, Writer};

pub use super::osd_ops::v2::{
    CreateOsd, CreateOsdResponse, DeleteOsd, DeleteOsdResponse, GetOsdOptions, GetOsds,
    OsdOptionsResponse, Osds, SetOsd, SetOsdResponse,
};

// ---------------------------------------------------------------------------------------------
// GetProfiles

/// Ask for profiles. Media2 answers only with the configuration types listed in `types`
/// (`All`, `VideoSource`, `VideoEncoder`, `AudioSource`, `AudioEncoder`, `PTZ`, `Metadata`,
/// ...); with none listed, profiles come without configurations. The default asks for `All`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetProfiles")]
pub struct GetProfiles {
    /// Only this profile.
    #[xml(child = "tr2:Token")]
    pub token: Option<String>,
    /// The configuration types wanted; none for profiles without configurations.
    #[xml(with = "type_list")]
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
operation!(GetProfiles => Profiles, idempotent = true);

/// `#[xml(with)]` for `Type`, a list: one element per value, but a space-separated list in
/// one element is read too.
mod type_list {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Vec<String>, Error> {
        Ok(el
            .children_named(TR2, "Type")
            .flat_map(|t| t.text().split_whitespace())
            .map(str::to_owned)
            .collect())
    }

    pub(super) fn write(r: &GetProfiles, w: &mut Writer, _: &str) {
        for t in &r.types {
            w.leaf("tr2:Type", t);
        }
    }
}

/// The answer to GetProfiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tr2:GetProfilesResponse")]
pub struct Profiles {
    /// Every profile asked for, in the camera's order.
    #[xml(child = "tr2:Profiles")]
    pub profiles: Vec<MediaProfile>,
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

/// Any value reads: an unknown one as [`StreamingProtocol::Other`].
impl Text for StreamingProtocol {
    const EXPECTED: &'static str = "a streaming protocol";
    fn from_text(s: &str) -> Option<Self> {
        Some(StreamingProtocol::parse(s))
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }
}

/// Ask for a profile's stream address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetStreamUri")]
pub struct GetStreamUri {
    /// How the stream is carried.
    #[xml(child = "tr2:Protocol")]
    pub protocol: StreamingProtocol,
    /// The profile to stream.
    #[xml(child = "tr2:ProfileToken")]
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
operation!(GetStreamUri => StreamUri, idempotent = true);

/// The answer to GetStreamUri (Media2 sends the URI only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tr2:GetStreamUriResponse")]
pub struct StreamUri {
    /// The stream's address (the URI only).
    #[xml(with = "uri_only")]
    pub media_uri: MediaUri,
}

/// Ask for a profile's JPEG snapshot address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetSnapshotUri")]
pub struct GetSnapshotUri {
    /// `ProfileToken`.
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: String,
}
operation!(GetSnapshotUri => SnapshotUri, idempotent = true);

/// The answer to GetSnapshotUri (Media2 sends the URI only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tr2:GetSnapshotUriResponse")]
pub struct SnapshotUri {
    /// The snapshot's address (the URI only).
    #[xml(with = "uri_only")]
    pub media_uri: MediaUri,
}

/// `#[xml(with)]` for the [`MediaUri`] of a URI answer: Media2 sends the address alone, as
/// `tr2:Uri` in the answer itself.
mod uri_only {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<MediaUri, Error> {
        let uri = el
            .child_text(TR2, "Uri")
            .ok_or_else(|| Error::missing(format!("{}/Uri", el.name)))?;
        Ok(MediaUri {
            uri: uri.to_owned(),
            ..MediaUri::default()
        })
    }

    pub(super) fn write<A: AsRef<MediaUri>>(a: &A, w: &mut Writer, _: &str) {
        w.leaf("tr2:Uri", &a.as_ref().uri);
    }
}

impl AsRef<MediaUri> for StreamUri {
    fn as_ref(&self) -> &MediaUri {
        &self.media_uri
    }
}

impl AsRef<MediaUri> for SnapshotUri {
    fn as_ref(&self) -> &MediaUri {
        &self.media_uri
    }
}

// ---------------------------------------------------------------------------------------------
// Configurations

/// Video encoder configurations (one, those usable with a profile, or all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoEncoderConfigurations")]
pub struct GetVideoEncoderConfigurations {
    /// Only this configuration (`ConfigurationToken`).
    #[xml(child = "tr2:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only configurations usable with this profile (`ProfileToken`).
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetVideoEncoderConfigurations => VideoEncoderConfigurations, idempotent = true);

/// The answer to GetVideoEncoderConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoEncoderConfigurationsResponse")]
pub struct VideoEncoderConfigurations {
    /// The configurations asked for.
    #[xml(child = "tr2:Configurations")]
    pub configurations: Vec<VideoEncoder>,
}

/// Video source configurations (one, those usable with a profile, or all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoSourceConfigurations")]
pub struct GetVideoSourceConfigurations {
    /// Only this configuration (`ConfigurationToken`).
    #[xml(child = "tr2:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only configurations usable with this profile (`ProfileToken`).
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetVideoSourceConfigurations => VideoSourceConfigurations, idempotent = true);

/// The answer to GetVideoSourceConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoSourceConfigurationsResponse")]
pub struct VideoSourceConfigurations {
    /// The configurations asked for.
    #[xml(child = "tr2:Configurations")]
    pub configurations: Vec<VideoSourceConfig>,
}

/// What video encoder configurations accept, one entry per codec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoEncoderConfigurationOptions")]
pub struct GetVideoEncoderConfigurationOptions {
    /// Only this configuration (`ConfigurationToken`).
    #[xml(child = "tr2:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only configurations usable with this profile (`ProfileToken`).
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetVideoEncoderConfigurationOptions => VideoEncoderConfigurationOptions,
    idempotent = true);

/// The answer to GetVideoEncoderConfigurationOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tr2:GetVideoEncoderConfigurationOptionsResponse")]
pub struct VideoEncoderConfigurationOptions {
    /// What the configurations accept, per codec.
    #[xml(with = "options_list")]
    pub options: VideoEncoderOptions,
}

/// `#[xml(with)]` for the options of every codec: one `tr2:Options` each, in the answer itself.
mod options_list {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<VideoEncoderOptions, Error> {
        VideoEncoderOptions::read_media2(el)
    }

    pub(super) fn write(r: &VideoEncoderConfigurationOptions, w: &mut Writer, _: &str) {
        r.options.write_media2(w);
    }
}

/// Change a video encoder configuration. Send the whole configuration, as read from the
/// camera with the fields to change set (Media2 changes are always persistent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tr2:SetVideoEncoderConfiguration")]
pub struct SetVideoEncoderConfiguration {
    /// The whole configuration, as it should be.
    #[xml(child = "tr2:Configuration")]
    pub configuration: VideoEncoder,
}

/// The empty answer to SetVideoEncoderConfiguration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:SetVideoEncoderConfigurationResponse")]
pub struct SetVideoEncoderConfigurationResponse;
operation!(SetVideoEncoderConfiguration => SetVideoEncoderConfigurationResponse,
    idempotent = true);

/// What video source configurations accept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoSourceConfigurationOptions")]
pub struct GetVideoSourceConfigurationOptions {
    /// Only this configuration (`ConfigurationToken`).
    #[xml(child = "tr2:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only configurations usable with this profile (`ProfileToken`).
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetVideoSourceConfigurationOptions => VideoSourceConfigurationOptions,
    idempotent = true);

/// The answer to GetVideoSourceConfigurationOptions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tr2:GetVideoSourceConfigurationOptionsResponse")]
pub struct VideoSourceConfigurationOptions {
    /// What the configurations accept.
    #[xml(child = "tr2:Options")]
    pub options: VideoSourceOptions,
}

/// How many encoder instances a video source configuration can run at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoEncoderInstances")]
pub struct GetVideoEncoderInstances {
    /// The video source configuration's token.
    #[xml(child = "tr2:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetVideoEncoderInstances => VideoEncoderInstances, idempotent = true);

/// The answer to GetVideoEncoderInstances.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetVideoEncoderInstancesResponse")]
pub struct VideoEncoderInstances {
    /// Instances per codec, when the camera says.
    #[xml(child = "tr2:Info/tr2:Codec")]
    pub codecs: Vec<EncoderInstance>,
    /// Instances in all (zero when the camera garbles it).
    #[xml(child = "tr2:Info/tr2:Total", lenient, default)]
    pub total: u32,
}

/// One codec's instances (`tr2:EncoderInstance`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct EncoderInstance {
    /// The codec, as the camera names it (`H264`, `H265`, `JPEG`).
    #[xml(child = "tr2:Encoding", default)]
    pub encoding: String,
    /// How many instances of it can run at once.
    #[xml(child = "tr2:Number", lenient, default)]
    pub number: u32,
}

/// Metadata configurations (one, those usable with a profile, or all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetMetadataConfigurations")]
pub struct GetMetadataConfigurations {
    /// Only this configuration (`ConfigurationToken`).
    #[xml(child = "tr2:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only configurations usable with this profile (`ProfileToken`).
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetMetadataConfigurations => MetadataConfigurations, idempotent = true);

/// The answer to GetMetadataConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetMetadataConfigurationsResponse")]
pub struct MetadataConfigurations {
    /// The configurations asked for.
    #[xml(child = "tr2:Configurations")]
    pub configurations: Vec<MetadataConfig>,
}

// ---------------------------------------------------------------------------------------------
// Multicast streaming

/// Start multicast streaming of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:StartMulticastStreaming")]
pub struct StartMulticastStreaming {
    /// `ProfileToken`.
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: String,
}

/// The empty answer to StartMulticastStreaming.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:StartMulticastStreamingResponse")]
pub struct StartMulticastStreamingResponse;
operation!(StartMulticastStreaming => StartMulticastStreamingResponse, idempotent = true);

/// Stop multicast streaming of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:StopMulticastStreaming")]
pub struct StopMulticastStreaming {
    /// `ProfileToken`.
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: String,
}

/// The empty answer to StopMulticastStreaming.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:StopMulticastStreamingResponse")]
pub struct StopMulticastStreamingResponse;
operation!(StopMulticastStreaming => StopMulticastStreamingResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// SetSynchronizationPoint

/// Ask for a key frame (and the stream's parameter sets) on a profile's streams now, so that
/// a viewer joining them decodes at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:SetSynchronizationPoint")]
pub struct SetSynchronizationPoint {
    /// `ProfileToken`.
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: String,
}

/// The empty answer to SetSynchronizationPoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:SetSynchronizationPointResponse")]
pub struct SetSynchronizationPointResponse;
operation!(SetSynchronizationPoint => SetSynchronizationPointResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

crate::ops::message::flat_capabilities!(
    "tr2:GetServiceCapabilities",
    "tr2:GetServiceCapabilitiesResponse",
    "Media2"
);
