//! Replay: the RTSP address that plays a recording back.

use jiff::Timestamp;
use onvif_proto::ops::replay::GetReplayUri;
use serde::Serialize;

use crate::camera::Camera;
use crate::error::Error;

/// Where and how to play a recording back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayTarget {
    /// The recording.
    pub recording: String,
    /// The RTSP address the camera gave (GetReplayUri).
    pub uri: String,
    /// The RTSP `Range` header that starts the replay at the time asked for
    /// (`clock=20261201T080000Z-`, as the ONVIF streaming specification writes it); `None`:
    /// from the start of the recording.
    pub range: Option<String>,
}

/// The RTSP `Range` header value that starts a replay at `t` (UTC, ISO 8601 basic form,
/// RFC 2326 §3.7), with milliseconds when `t` has them (`clock=20261201T080500.250Z-`).
pub fn replay_range(t: Timestamp) -> String {
    let seconds = t.strftime("%Y%m%dT%H%M%S");
    match t.subsec_millisecond() {
        0 => format!("clock={seconds}Z-"),
        ms => format!("clock={seconds}.{ms:03}Z-"),
    }
}

impl Camera {
    /// The address that replays a recording over RTSP (unicast, GetReplayUri), its host
    /// repaired as a stream URI's is (a camera reporting 0.0.0.0 or another host), and the
    /// `Range` header that starts it at `from`. An unknown token is the camera's Fault
    /// (`ter:NoRecording`).
    pub async fn replay_uri(
        &self,
        token: &str,
        from: Option<Timestamp>,
    ) -> Result<ReplayTarget, Error> {
        let reported = self.call(&GetReplayUri::rtsp(token)).await?.uri;
        let uri = self.repair_uri(&reported);
        Ok(ReplayTarget {
            recording: token.to_owned(),
            uri,
            range: from.map(replay_range),
        })
    }

    /// How long a replay session lives without a keep-alive from its client
    /// (GetReplayConfiguration).
    pub async fn replay_session_timeout(&self) -> Result<std::time::Duration, Error> {
        let r = self
            .call(&onvif_proto::ops::replay::GetReplayConfiguration)
            .await?;
        Ok(r.configuration.session_timeout)
    }

    /// Set how long a replay session lives without a keep-alive (SetReplayConfiguration);
    /// the camera refuses one outside its `SessionTimeoutRange` (see
    /// [`Camera::replay_capabilities`]).
    pub async fn set_replay_session_timeout(
        &self,
        timeout: std::time::Duration,
    ) -> Result<(), Error> {
        use onvif_proto::ops::replay::{ReplayConfiguration, SetReplayConfiguration};
        let configuration = ReplayConfiguration {
            session_timeout: timeout,
        };
        self.call(&SetReplayConfiguration { configuration })
            .await
            .map(drop)
    }

    /// The replay service's capabilities, flattened (GetServiceCapabilities):
    /// `ReversePlayback`, `SessionTimeoutRange`, `RTP_RTSP_TCP`.
    pub async fn replay_capabilities(
        &self,
    ) -> Result<onvif_proto::ops::device::ServiceCapabilities, Error> {
        Ok(self
            .call(&onvif_proto::ops::replay::GetServiceCapabilities)
            .await?
            .0)
    }
}
