//! Recording: the recordings a camera holds, their configuration, and its recording jobs.

use onvif_proto::ops::recording::{self, JobItem, RecordingConfiguration, RecordingItem};

use crate::camera::Camera;
use crate::error::Error;

impl Camera {
    /// Every recording, with its source, content, retention and tracks (GetRecordings).
    pub async fn recordings(&self) -> Result<Vec<RecordingItem>, Error> {
        Ok(self.call(&recording::GetRecordings).await?.recordings)
    }

    /// The configuration of one recording (GetRecordingConfiguration); an unknown token is
    /// the camera's Fault (`ter:NoRecording`).
    pub async fn recording_configuration(
        &self,
        token: &str,
    ) -> Result<RecordingConfiguration, Error> {
        Ok(self
            .call(&recording::GetRecordingConfiguration {
                recording_token: token.to_owned(),
            })
            .await?
            .configuration)
    }

    /// Every recording job: what it records into, from which source, and whether it is
    /// active (GetRecordingJobs).
    pub async fn recording_jobs(&self) -> Result<Vec<JobItem>, Error> {
        Ok(self.call(&recording::GetRecordingJobs).await?.jobs)
    }

    /// The recording service's capabilities, flattened (GetServiceCapabilities):
    /// `DynamicRecordings`, `MaxRecordings`, `Encoding`...
    pub async fn recording_capabilities(
        &self,
    ) -> Result<onvif_proto::ops::device::ServiceCapabilities, Error> {
        Ok(self.call(&recording::GetServiceCapabilities).await?.0)
    }
}
