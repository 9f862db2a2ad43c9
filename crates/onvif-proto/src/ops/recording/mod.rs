//! Recording service (ver10/recording/wsdl, `trc:`): the recordings a device holds, their
//! configuration, and the jobs that record into them ([`model`] has the schema's types, which
//! the search service shares).

use serde::Serialize;

use crate::codec::Xml;
use crate::operation;

pub mod model;

pub use model::{
    JobItem, RecordingConfiguration, RecordingInformation, RecordingItem,
    RecordingJobConfiguration, RecordingJobMode, RecordingJobSource, RecordingJobTrack,
    RecordingSourceInformation, RecordingStatus, RecordingSummary, SourceReference, Track,
    TrackConfiguration, TrackInformation, TrackType,
};

// ---------------------------------------------------------------------------------------------
// GetRecordings / GetRecordingConfiguration

/// Every recording, with its configuration and tracks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trc:GetRecordings")]
pub struct GetRecordings;
operation!(GetRecordings => Recordings, idempotent = true);

/// The answer to GetRecordings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trc:GetRecordingsResponse")]
pub struct Recordings {
    /// One item per recording.
    #[xml(child = "trc:RecordingItem")]
    pub recordings: Vec<RecordingItem>,
}

/// The configuration of one recording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trc:GetRecordingConfiguration")]
pub struct GetRecordingConfiguration {
    /// The recording.
    #[xml(child = "trc:RecordingToken")]
    pub recording_token: String,
}
operation!(GetRecordingConfiguration => RecordingConfigurationResponse, idempotent = true);

/// The answer to GetRecordingConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trc:GetRecordingConfigurationResponse")]
pub struct RecordingConfigurationResponse {
    /// The recording's source, content and retention.
    #[xml(child = "trc:RecordingConfiguration")]
    pub configuration: RecordingConfiguration,
}

// ---------------------------------------------------------------------------------------------
// GetRecordingJobs

/// Every recording job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trc:GetRecordingJobs")]
pub struct GetRecordingJobs;
operation!(GetRecordingJobs => RecordingJobs, idempotent = true);

/// The answer to GetRecordingJobs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trc:GetRecordingJobsResponse")]
pub struct RecordingJobs {
    /// One item per job.
    #[xml(child = "trc:JobItem")]
    pub jobs: Vec<JobItem>,
}

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

crate::ops::message::flat_capabilities!(
    "trc:GetServiceCapabilities",
    "trc:GetServiceCapabilitiesResponse",
    "recording"
);

#[cfg(test)]
mod tests;
