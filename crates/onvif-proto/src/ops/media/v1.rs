//! Media service, ver10 (`trt:`), as `ops::media`. Profiles, encoders, sources and URIs use
//! the model shared with Media2 ([`crate::ops::profile`]).

use serde::Serialize;

use super::profile::{
    AudioSource, MediaProfile, MediaUri, MetadataConfig, VideoEncoder, VideoEncoderOptions,
    VideoSource, VideoSourceConfig, VideoSourceOptions,
};
use crate::codec::Xml;
use crate::{operation, xml_enum};

pub use super::osd_ops::v1::{
    CreateOsd, CreateOsdResponse, DeleteOsd, DeleteOsdResponse, GetOsdOptions, GetOsds,
    OsdOptionsResponse, Osds, SetOsd, SetOsdResponse,
};

// ---------------------------------------------------------------------------------------------
// GetProfiles / GetProfile

/// Every media profile, with its configurations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetProfiles")]
pub struct GetProfiles;
operation!(GetProfiles => Profiles, idempotent = true);

/// The answer to GetProfiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "trt:GetProfilesResponse")]
pub struct Profiles {
    /// Every profile, in the camera's order.
    #[xml(child = "trt:Profiles")]
    pub profiles: Vec<MediaProfile>,
}

/// One media profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetProfile")]
pub struct GetProfile {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}
operation!(GetProfile => Profile, idempotent = true);

/// The answer to GetProfile.
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetProfileResponse")]
pub struct Profile {
    /// The profile.
    #[xml(child = "trt:Profile")]
    pub profile: MediaProfile,
}

// ---------------------------------------------------------------------------------------------
// GetStreamUri / GetSnapshotUri

xml_enum! {
    /// Unicast or multicast RTP.
    pub StreamType {
        /// To this client alone.
        RtpUnicast = "RTP-Unicast",
        /// To a multicast group.
        RtpMulticast = "RTP-Multicast",
    }
}

xml_enum! {
    /// How RTP is carried: `RTSP` (RTP over RTSP over TCP) is what most clients want; `UDP`
    /// means RTSP with RTP over UDP; `HTTP` is RTSP tunnelled in HTTP.
    pub TransportProtocol {
        /// RTSP, with RTP over UDP.
        Udp = "UDP",
        /// RTP over TCP (deprecated in the schema).
        Tcp = "TCP",
        /// RTP interleaved in the RTSP TCP connection.
        Rtsp = "RTSP",
        /// RTSP tunnelled in HTTP.
        Http = "HTTP",
    }
}

/// Ask for a profile's stream address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetStreamUri")]
pub struct GetStreamUri {
    /// Unicast or multicast.
    #[xml(child = "trt:StreamSetup/tt:Stream")]
    pub stream: StreamType,
    /// How RTP is carried.
    #[xml(child = "trt:StreamSetup/tt:Transport/tt:Protocol")]
    pub protocol: TransportProtocol,
    /// The profile to stream.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}

impl GetStreamUri {
    /// Unicast RTSP, the usual request.
    pub fn rtsp(profile_token: impl Into<String>) -> Self {
        GetStreamUri {
            stream: StreamType::RtpUnicast,
            protocol: TransportProtocol::Rtsp,
            profile_token: profile_token.into(),
        }
    }
}
operation!(GetStreamUri => StreamUri, idempotent = true);

/// The answer to GetStreamUri.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetStreamUriResponse")]
pub struct StreamUri {
    /// The stream's address, and how long it stays valid.
    #[xml(child = "trt:MediaUri")]
    pub media_uri: MediaUri,
}

/// Ask for a profile's JPEG snapshot address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetSnapshotUri")]
pub struct GetSnapshotUri {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}
operation!(GetSnapshotUri => SnapshotUri, idempotent = true);

/// The answer to GetSnapshotUri.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetSnapshotUriResponse")]
pub struct SnapshotUri {
    /// The snapshot's address, and how long it stays valid.
    #[xml(child = "trt:MediaUri")]
    pub media_uri: MediaUri,
}

// ---------------------------------------------------------------------------------------------
// GetVideoSources / GetVideoSourceConfigurations

/// The physical video inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoSources")]
pub struct GetVideoSources;
operation!(GetVideoSources => VideoSources, idempotent = true);

/// The answer to GetVideoSources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "trt:GetVideoSourcesResponse")]
pub struct VideoSources {
    /// Every video source.
    #[xml(child = "trt:VideoSources")]
    pub sources: Vec<VideoSource>,
}

/// Every video source configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoSourceConfigurations")]
pub struct GetVideoSourceConfigurations;
operation!(GetVideoSourceConfigurations => VideoSourceConfigurations, idempotent = true);

/// The answer to GetVideoSourceConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoSourceConfigurationsResponse")]
pub struct VideoSourceConfigurations {
    /// Every video source configuration.
    #[xml(child = "trt:Configurations")]
    pub configurations: Vec<VideoSourceConfig>,
}

/// One video source configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoSourceConfiguration")]
pub struct GetVideoSourceConfiguration {
    /// `ConfigurationToken`.
    #[xml(child = "trt:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetVideoSourceConfiguration => VideoSourceConfiguration, idempotent = true);

/// The answer to GetVideoSourceConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetVideoSourceConfigurationResponse")]
pub struct VideoSourceConfiguration {
    /// The configuration.
    #[xml(child = "trt:Configuration")]
    pub configuration: VideoSourceConfig,
}

/// What a video source configuration accepts (for one configuration and/or profile, or in
/// general).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoSourceConfigurationOptions")]
pub struct GetVideoSourceConfigurationOptions {
    /// Only this configuration (`ConfigurationToken`).
    #[xml(child = "trt:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only configurations usable with this profile (`ProfileToken`).
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetVideoSourceConfigurationOptions => VideoSourceConfigurationOptions,
    idempotent = true);

/// The answer to GetVideoSourceConfigurationOptions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetVideoSourceConfigurationOptionsResponse")]
pub struct VideoSourceConfigurationOptions {
    /// What the configurations accept.
    #[xml(child = "trt:Options")]
    pub options: VideoSourceOptions,
}

/// The video source configurations a profile may take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetCompatibleVideoSourceConfigurations")]
pub struct GetCompatibleVideoSourceConfigurations {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}
operation!(GetCompatibleVideoSourceConfigurations => CompatibleVideoSourceConfigurations,
    idempotent = true);

/// The answer to GetCompatibleVideoSourceConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetCompatibleVideoSourceConfigurationsResponse")]
pub struct CompatibleVideoSourceConfigurations {
    /// The configurations the profile may take.
    #[xml(child = "trt:Configurations")]
    pub configurations: Vec<VideoSourceConfig>,
}

// ---------------------------------------------------------------------------------------------
// Video encoder configurations and their options

/// Every video encoder configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoEncoderConfigurations")]
pub struct GetVideoEncoderConfigurations;
operation!(GetVideoEncoderConfigurations => VideoEncoderConfigurations, idempotent = true);

/// The answer to GetVideoEncoderConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "trt:GetVideoEncoderConfigurationsResponse")]
pub struct VideoEncoderConfigurations {
    /// Every video encoder configuration.
    #[xml(child = "trt:Configurations")]
    pub configurations: Vec<VideoEncoder>,
}

/// The video encoder configurations a profile may take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetCompatibleVideoEncoderConfigurations")]
pub struct GetCompatibleVideoEncoderConfigurations {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}
operation!(GetCompatibleVideoEncoderConfigurations => CompatibleVideoEncoderConfigurations,
    idempotent = true);

/// The answer to GetCompatibleVideoEncoderConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "trt:GetCompatibleVideoEncoderConfigurationsResponse")]
pub struct CompatibleVideoEncoderConfigurations {
    /// The configurations the profile may take.
    #[xml(child = "trt:Configurations")]
    pub configurations: Vec<VideoEncoder>,
}

/// One video encoder configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoEncoderConfiguration")]
pub struct GetVideoEncoderConfiguration {
    /// `ConfigurationToken`.
    #[xml(child = "trt:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetVideoEncoderConfiguration => VideoEncoderConfiguration, idempotent = true);

/// The answer to GetVideoEncoderConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetVideoEncoderConfigurationResponse")]
pub struct VideoEncoderConfiguration {
    /// The configuration.
    #[xml(child = "trt:Configuration")]
    pub configuration: VideoEncoder,
}

/// What a video encoder configuration accepts (for one configuration and/or profile, or in
/// general).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoEncoderConfigurationOptions")]
pub struct GetVideoEncoderConfigurationOptions {
    /// Only this configuration (`ConfigurationToken`).
    #[xml(child = "trt:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only configurations usable with this profile (`ProfileToken`).
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetVideoEncoderConfigurationOptions => VideoEncoderConfigurationOptions,
    idempotent = true);

/// The answer to GetVideoEncoderConfigurationOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetVideoEncoderConfigurationOptionsResponse")]
pub struct VideoEncoderConfigurationOptions {
    /// What the configurations accept, per codec.
    #[xml(child = "trt:Options")]
    pub options: VideoEncoderOptions,
}

/// Change a video encoder configuration (resolution, frame rate, bitrate, ...). Send the whole
/// configuration, as read from the camera with the fields to change set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "trt:SetVideoEncoderConfiguration")]
pub struct SetVideoEncoderConfiguration {
    /// The whole configuration, as it should be.
    #[xml(child = "trt:Configuration")]
    pub configuration: VideoEncoder,
    /// Media1 requires it; most cameras keep the change either way.
    #[xml(child = "trt:ForcePersistence", default)]
    pub force_persistence: bool,
}

/// The empty answer to SetVideoEncoderConfiguration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:SetVideoEncoderConfigurationResponse")]
pub struct SetVideoEncoderConfigurationResponse;
operation!(SetVideoEncoderConfiguration => SetVideoEncoderConfigurationResponse,
    idempotent = true);

// ---------------------------------------------------------------------------------------------
// Audio sources and metadata configurations

/// The physical audio inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetAudioSources")]
pub struct GetAudioSources;
operation!(GetAudioSources => AudioSources, idempotent = true);

/// The answer to GetAudioSources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetAudioSourcesResponse")]
pub struct AudioSources {
    /// Every audio source.
    #[xml(child = "trt:AudioSources")]
    pub sources: Vec<AudioSource>,
}

/// Every metadata configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetMetadataConfigurations")]
pub struct GetMetadataConfigurations;
operation!(GetMetadataConfigurations => MetadataConfigurations, idempotent = true);

/// The answer to GetMetadataConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetMetadataConfigurationsResponse")]
pub struct MetadataConfigurations {
    /// Every metadata configuration.
    #[xml(child = "trt:Configurations")]
    pub configurations: Vec<MetadataConfig>,
}

/// One metadata configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetMetadataConfiguration")]
pub struct GetMetadataConfiguration {
    /// `ConfigurationToken`.
    #[xml(child = "trt:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetMetadataConfiguration => MetadataConfiguration, idempotent = true);

/// The answer to GetMetadataConfiguration. `None` when the camera sent the answer empty (as a
/// Xiongmai firmware does for an unknown token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trt:GetMetadataConfigurationResponse")]
pub struct MetadataConfiguration {
    /// The configuration; `None` when the answer was empty.
    #[xml(child = "trt:Configuration")]
    pub configuration: Option<MetadataConfig>,
}

/// The metadata configurations a profile may take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetCompatibleMetadataConfigurations")]
pub struct GetCompatibleMetadataConfigurations {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}
operation!(GetCompatibleMetadataConfigurations => CompatibleMetadataConfigurations,
    idempotent = true);

/// The answer to GetCompatibleMetadataConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetCompatibleMetadataConfigurationsResponse")]
pub struct CompatibleMetadataConfigurations {
    /// The configurations the profile may take.
    #[xml(child = "trt:Configurations")]
    pub configurations: Vec<MetadataConfig>,
}

// ---------------------------------------------------------------------------------------------
// Multicast streaming

/// Start multicast streaming of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:StartMulticastStreaming")]
pub struct StartMulticastStreaming {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}

/// The empty answer to StartMulticastStreaming.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:StartMulticastStreamingResponse")]
pub struct StartMulticastStreamingResponse;
operation!(StartMulticastStreaming => StartMulticastStreamingResponse, idempotent = true);

/// Stop multicast streaming of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:StopMulticastStreaming")]
pub struct StopMulticastStreaming {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}

/// The empty answer to StopMulticastStreaming.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:StopMulticastStreamingResponse")]
pub struct StopMulticastStreamingResponse;
operation!(StopMulticastStreaming => StopMulticastStreamingResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetGuaranteedNumberOfVideoEncoderInstances

/// How many encoder instances a video source configuration is guaranteed to run at once
/// (mandatory in Media).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetGuaranteedNumberOfVideoEncoderInstances")]
pub struct GetGuaranteedNumberOfVideoEncoderInstances {
    /// The video source configuration's token.
    #[xml(child = "trt:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(
    GetGuaranteedNumberOfVideoEncoderInstances => GuaranteedEncoderInstances,
    idempotent = true
);

/// The answer to GetGuaranteedNumberOfVideoEncoderInstances: in all, and per encoding when
/// the camera says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetGuaranteedNumberOfVideoEncoderInstancesResponse")]
pub struct GuaranteedEncoderInstances {
    /// Instances in all (zero when the camera garbles it).
    #[xml(child = "trt:TotalNumber", lenient, default)]
    pub total: u32,
    /// JPEG instances.
    #[xml(child = "trt:JPEG", lenient)]
    pub jpeg: Option<u32>,
    /// H.264 instances.
    #[xml(child = "trt:H264", lenient)]
    pub h264: Option<u32>,
    /// MPEG-4 instances.
    #[xml(child = "trt:MPEG4", lenient)]
    pub mpeg4: Option<u32>,
}

// ---------------------------------------------------------------------------------------------
// SetSynchronizationPoint

/// Ask for a key frame (and the stream's parameter sets) on a profile's streams now, so that
/// a viewer joining them decodes at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:SetSynchronizationPoint")]
pub struct SetSynchronizationPoint {
    /// `ProfileToken`.
    #[xml(child = "trt:ProfileToken")]
    pub profile_token: String,
}

/// The empty answer to SetSynchronizationPoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:SetSynchronizationPointResponse")]
pub struct SetSynchronizationPointResponse;
operation!(SetSynchronizationPoint => SetSynchronizationPointResponse, idempotent = true);

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

crate::ops::message::flat_capabilities!(
    "trt:GetServiceCapabilities",
    "trt:GetServiceCapabilitiesResponse",
    "media"
);

impl ServiceCapabilities {
    /// `ProfileCapabilities/@MaximumNumberOfProfiles`, when readable.
    pub fn max_profiles(&self) -> Option<u32> {
        self.0
            .flags
            .get("ProfileCapabilities.MaximumNumberOfProfiles")
            .and_then(|v| v.trim().parse().ok())
    }
}
