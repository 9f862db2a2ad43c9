//! Replay service (ver10/replay/wsdl, `trp:`): the RTSP address that plays a recording back.

use std::time::Duration;

use serde::Serialize;

use crate::codec::Xml;
use crate::operation;
use crate::ops::media::{StreamType, TransportProtocol};

/// The address that replays a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trp:GetReplayUri")]
pub struct GetReplayUri {
    /// Unicast or multicast.
    #[xml(child = "trp:StreamSetup/tt:Stream")]
    pub stream: StreamType,
    /// How RTP is carried.
    #[xml(child = "trp:StreamSetup/tt:Transport/tt:Protocol")]
    pub protocol: TransportProtocol,
    /// The recording to replay.
    #[xml(child = "trp:RecordingToken")]
    pub recording_token: String,
}
operation!(GetReplayUri => ReplayUri, idempotent = true);

impl GetReplayUri {
    /// Unicast RTSP, the usual request.
    pub fn rtsp(recording_token: impl Into<String>) -> Self {
        GetReplayUri {
            stream: StreamType::RtpUnicast,
            protocol: TransportProtocol::Rtsp,
            recording_token: recording_token.into(),
        }
    }
}

/// The answer to GetReplayUri.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trp:GetReplayUriResponse")]
pub struct ReplayUri {
    /// The RTSP address; where to start is said in the RTSP PLAY request (a `Range` header
    /// with a `clock=` time), not here.
    #[xml(child = "trp:Uri")]
    pub uri: String,
}

/// `tt:ReplayConfiguration`: the replay service's one setting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct ReplayConfiguration {
    /// How long a replay session lives without a keep-alive (an RTSP request) from its
    /// client. A value the camera garbles reads as zero.
    #[serde(serialize_with = "crate::time::ser_duration")]
    #[xml(child = "tt:SessionTimeout", lenient, default)]
    pub session_timeout: Duration,
}

/// The replay service's configuration (mandatory: the Replay specification says it shall
/// be retrievable).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trp:GetReplayConfiguration")]
pub struct GetReplayConfiguration;
operation!(GetReplayConfiguration => ReplayConfigurationResponse, idempotent = true);

/// The answer to GetReplayConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "trp:GetReplayConfigurationResponse")]
pub struct ReplayConfigurationResponse {
    /// The configuration.
    #[xml(child = "trp:Configuration")]
    pub configuration: ReplayConfiguration,
}

/// Change the replay service's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trp:SetReplayConfiguration")]
pub struct SetReplayConfiguration {
    /// The new configuration.
    #[xml(child = "trp:Configuration")]
    pub configuration: ReplayConfiguration,
}
operation!(SetReplayConfiguration => SetReplayConfigurationResponse, idempotent = true);

/// The empty answer to SetReplayConfiguration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trp:SetReplayConfigurationResponse")]
pub struct SetReplayConfigurationResponse;

crate::ops::message::flat_capabilities!(
    "trp:GetServiceCapabilities",
    "trp:GetServiceCapabilitiesResponse",
    "replay"
);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ops::imaging::tests::{read, round_trip};
    use crate::ops::message::Operation;

    #[test]
    fn every_replay_message_round_trips() {
        let mut seen = BTreeSet::new();
        round_trip(&GetReplayUri::rtsp("Recording_1"), &mut seen);
        round_trip(
            &GetReplayUri {
                stream: StreamType::RtpMulticast,
                protocol: TransportProtocol::Udp,
                recording_token: "R".into(),
            },
            &mut seen,
        );
        round_trip(
            &ReplayUri {
                uri: "rtsp://10.0.0.8/replay?id=1&x=2".into(),
            },
            &mut seen,
        );
        round_trip(&GetReplayConfiguration, &mut seen);
        let configuration = ReplayConfiguration {
            session_timeout: Duration::from_millis(42_500),
        };
        round_trip(
            &ReplayConfigurationResponse {
                configuration: configuration.clone(),
            },
            &mut seen,
        );
        round_trip(&SetReplayConfiguration { configuration }, &mut seen);
        round_trip(&SetReplayConfigurationResponse, &mut seen);
        round_trip(&GetServiceCapabilities, &mut seen);
        let mut caps = crate::ops::device::ServiceCapabilities::default();
        caps.flags.insert("ReversePlayback".into(), "false".into());
        caps.flags
            .insert("SessionTimeoutRange".into(), "0 4294967295".into());
        round_trip(&ServiceCapabilities(caps), &mut seen);
        assert_eq!(seen.len(), 8, "{seen:?}");
    }

    #[test]
    fn the_replay_operations_name_their_service_and_action() {
        assert_eq!(GetReplayUri::NAME, "GetReplayUri");
        assert_eq!(
            GetReplayUri::ACTION,
            "http://www.onvif.org/ver10/replay/wsdl/GetReplayUri"
        );
        assert_eq!(GetReplayUri::SERVICE, crate::ops::Service::Replay);
        const { assert!(GetReplayUri::IDEMPOTENT) };
    }

    #[test]
    fn a_replay_uri_without_its_uri_is_an_error() {
        assert!(read::<ReplayUri>("<trp:GetReplayUriResponse/>").is_err());
    }
}
