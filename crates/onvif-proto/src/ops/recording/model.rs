//! The schema's (`tt:`) recording types that the recording and search services share: where a
//! recording's media comes from, its tracks, its configuration, its jobs, and what a search
//! reports of it.
//!
//! Answers are read leniently where cameras are known to leave things out or empty (a
//! recording's source fields, a track's description, the retention time); the tokens that
//! name things are required.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::{TRC, TT};
use crate::xml::{Element, Writer};
use crate::xml_enum;

xml_enum! {
    /// What a track carries.
    pub TrackType {
        /// Video.
        Video = "Video",
        /// Audio.
        Audio = "Audio",
        /// Metadata (events, analytics).
        Metadata = "Metadata",
        /// Something else, described by the track's extension.
        Extended = "Extended",
    }
}

xml_enum! {
    /// The state of a recording as a search reports it.
    pub RecordingStatus {
        /// Created, nothing recorded yet.
        Initiated = "Initiated",
        /// Being recorded now.
        Recording = "Recording",
        /// Not being recorded.
        Stopped = "Stopped",
        /// Being deleted.
        Removing = "Removing",
        /// Deleted.
        Removed = "Removed",
        /// The device does not say.
        Unknown = "Unknown",
    }
}

xml_enum! {
    /// Whether a recording job records.
    pub RecordingJobMode {
        /// The job does not record.
        Idle = "Idle",
        /// The job records.
        Active = "Active",
    }
}

/// `tt:RecordingSourceInformation`: where a recording's media comes from. Every field is a
/// free text the device chose (empty when it says nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingSourceInformation {
    /// An identifier of the source (a URI, often a profile or a camera's address).
    #[xml(child = "tt:SourceId", default)]
    pub source_id: String,
    /// A name for people.
    #[xml(child = "tt:Name", default)]
    pub name: String,
    /// Where the source is.
    #[xml(child = "tt:Location", default)]
    pub location: String,
    /// A description for people.
    #[xml(child = "tt:Description", default)]
    pub description: String,
    /// The source's address (a URI).
    #[xml(child = "tt:Address", default)]
    pub address: String,
}

/// `tt:RecordingConfiguration`: a recording's source, content and how long it is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingConfiguration {
    /// Where the media comes from.
    #[xml(child = "tt:Source", default)]
    pub source: RecordingSourceInformation,
    /// What the recording holds, as the device describes it.
    #[xml(child = "tt:Content", default)]
    pub content: String,
    /// How long recorded data is kept (`PT0S`: no limit); `None` when absent or unreadable.
    #[serde(serialize_with = "crate::time::ser_opt_duration")]
    #[xml(child = "tt:MaximumRetentionTime", lenient)]
    pub maximum_retention_time: Option<Duration>,
}

/// `tt:TrackConfiguration`: a track's kind and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct TrackConfiguration {
    /// What the track carries.
    #[xml(child = "tt:TrackType")]
    pub track_type: TrackType,
    /// A description for people.
    #[xml(child = "tt:Description", default)]
    pub description: String,
}

/// `tt:GetTracksResponseItem`: one track of a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct Track {
    /// The track's token, unique within its recording.
    #[xml(child = "tt:TrackToken")]
    pub token: String,
    /// Its kind and description.
    #[xml(child = "tt:Configuration")]
    pub configuration: TrackConfiguration,
}

/// `tt:GetRecordingsResponseItem`: one recording, its configuration and tracks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingItem {
    /// The recording's token.
    #[xml(child = "tt:RecordingToken")]
    pub token: String,
    /// Its source, content and retention.
    #[xml(child = "tt:Configuration", default)]
    pub configuration: RecordingConfiguration,
    /// Its tracks.
    #[xml(child = "tt:Tracks/tt:Track")]
    pub tracks: Vec<Track>,
}

/// `tt:SourceReference`: a token and the kind of thing it names (a URI, usually
/// `http://www.onvif.org/ver10/schema/Profile`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct SourceReference {
    /// The kind of thing the token names, when given.
    #[xml(attr = "Type")]
    pub kind: Option<String>,
    /// The token.
    #[xml(child = "tt:Token")]
    pub token: String,
}

/// `tt:RecordingJobTrack`: which source track goes to which track of the recording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingJobTrack {
    /// The source's track (for a profile: `VIDEO`, `AUDIO`, `METADATA` or the device's own).
    #[xml(child = "tt:SourceTag", default)]
    pub source_tag: String,
    /// The recording's track token.
    #[xml(child = "tt:Destination", default)]
    pub destination: String,
}

/// `tt:RecordingJobSource`: one source a job records from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingJobSource {
    /// The source (a profile or a receiver), when given.
    #[xml(child = "tt:SourceToken")]
    pub source_token: Option<SourceReference>,
    /// Whether the device made a receiver for it.
    #[xml(child = "tt:AutoCreateReceiver", lenient)]
    pub auto_create_receiver: Option<bool>,
    /// Where each source track is recorded.
    #[xml(child = "tt:Tracks")]
    pub tracks: Vec<RecordingJobTrack>,
}

/// `tt:RecordingJobConfiguration`: what a job records, whether it does, and how it ranks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingJobConfiguration {
    /// The recording the job records into.
    #[xml(child = "tt:RecordingToken")]
    pub recording_token: String,
    /// `Idle` or `Active`.
    #[xml(child = "tt:Mode")]
    pub mode: RecordingJobMode,
    /// Its priority among jobs that record into the same recording (higher wins).
    #[xml(child = "tt:Priority", default)]
    pub priority: i32,
    /// Its sources.
    #[xml(child = "tt:Source")]
    pub sources: Vec<RecordingJobSource>,
}

/// `tt:GetRecordingJobsResponseItem`: a job's token and configuration.
///
/// Hand-written because its two elements come in two namespaces: the schema's (`tt:`), as
/// written here, and the recording service's (`trc:`), as Axis cameras send them (see
/// docs/QUIRKS.md). Both are read; each form is declared once below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobItem {
    /// The job's token.
    pub token: String,
    /// What it records, and how.
    pub configuration: RecordingJobConfiguration,
}

/// [`JobItem`] as the schema has it.
#[derive(Xml)]
struct SchemaJobItem {
    #[xml(child = "tt:JobToken")]
    token: String,
    #[xml(child = "tt:JobConfiguration")]
    configuration: RecordingJobConfiguration,
}

/// [`JobItem`] in the recording service's namespace.
#[derive(Xml)]
struct ServiceJobItem {
    #[xml(child = "trc:JobToken")]
    token: String,
    #[xml(child = "trc:JobConfiguration")]
    configuration: RecordingJobConfiguration,
}

impl Node for JobItem {
    fn read_node(el: &Element) -> Result<Self, Error> {
        if el.child(TRC, "JobToken").is_some() && el.child(TT, "JobToken").is_none() {
            let j = ServiceJobItem::read_node(el)?;
            return Ok(JobItem {
                token: j.token,
                configuration: j.configuration,
            });
        }
        let j = SchemaJobItem::read_node(el)?;
        Ok(JobItem {
            token: j.token,
            configuration: j.configuration,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        SchemaJobItem {
            token: self.token.clone(),
            configuration: self.configuration.clone(),
        }
        .write_node(w, tag);
    }
}

/// `tt:TrackInformation`: a track as a search reports it, with the span of its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct TrackInformation {
    /// The track's token.
    #[xml(child = "tt:TrackToken")]
    pub token: String,
    /// What it carries.
    #[xml(child = "tt:TrackType")]
    pub track_type: TrackType,
    /// A description for people.
    #[xml(child = "tt:Description", default)]
    pub description: String,
    /// The start of its data; `None` when absent or unreadable.
    #[xml(child = "tt:DataFrom", lenient)]
    pub data_from: Option<Timestamp>,
    /// The end of its data; `None` when absent or unreadable.
    #[xml(child = "tt:DataTo", lenient)]
    pub data_to: Option<Timestamp>,
}

/// `tt:RecordingInformation`: a recording as a search finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingInformation {
    /// The recording's token.
    #[xml(child = "tt:RecordingToken")]
    pub token: String,
    /// Where its media comes from.
    #[xml(child = "tt:Source", default)]
    pub source: RecordingSourceInformation,
    /// The oldest data it holds; `None` when it holds none (or the time does not read).
    #[xml(child = "tt:EarliestRecording", lenient)]
    pub earliest: Option<Timestamp>,
    /// The newest data it holds.
    #[xml(child = "tt:LatestRecording", lenient)]
    pub latest: Option<Timestamp>,
    /// What it holds, as the device describes it.
    #[xml(child = "tt:Content", default)]
    pub content: String,
    /// Its tracks.
    #[xml(child = "tt:Track")]
    pub tracks: Vec<TrackInformation>,
    /// Whether it is being recorded.
    #[xml(
        child = "tt:RecordingStatus",
        lenient,
        default = "RecordingStatus::Unknown"
    )]
    pub status: RecordingStatus,
}

/// `tt:RecordingSummary`: the span of everything recorded, and how many recordings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct RecordingSummary {
    /// The oldest data of any recording.
    #[xml(child = "tt:DataFrom")]
    pub data_from: Timestamp,
    /// The newest data of any recording.
    #[xml(child = "tt:DataUntil")]
    pub data_until: Timestamp,
    /// How many recordings there are.
    #[xml(child = "tt:NumberRecordings", default)]
    pub number_recordings: u32,
}
