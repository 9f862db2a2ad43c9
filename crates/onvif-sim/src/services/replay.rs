//! The replay service (`trp:`): where a recording would be played back. Like stream URIs,
//! replay URIs name the RTSP port ([`crate::RTSP_PORT`]), where nothing listens. (Not to be
//! confused with [`crate::replay`], which serves a recorded camera's answers.)

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::media::StreamType;
use onvif_proto::ops::replay::{
    GetReplayConfiguration, GetReplayUri, GetServiceCapabilities, ReplayConfiguration,
    ReplayConfigurationResponse, ReplayUri, ServiceCapabilities, SetReplayConfiguration,
    SetReplayConfigurationResponse,
};

use super::{Ctx, ServiceDef, flag_capabilities, flags, no_flags, op, sender};
use crate::archive::{self, MAX_SESSION_TIMEOUT};

/// The replay service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Replay,
    category: Some("Replay"),
    ops: &[
        op!(GetReplayUri => get_replay_uri),
        op!(GetReplayConfiguration => get_replay_configuration),
        op!(SetReplayConfiguration => set_replay_configuration),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: replay_capabilities,
    category_flags: no_flags,
};

/// `rtsp://<host>:8554/replay/<recording>`; an unknown recording is `ter:NoRecording`,
/// multicast `ter:InvalidStreamSetup` (replay is unicast only here, as on most cameras).
fn get_replay_uri(ctx: &Ctx<'_>, req: GetReplayUri) -> Result<ReplayUri, Fault> {
    if !archive::exists(&req.recording_token) {
        return Err(archive::no_recording(&req.recording_token));
    }
    if req.stream != StreamType::RtpUnicast {
        return Err(sender(
            &["InvalidArgVal", "InvalidStreamSetup"],
            "replay is RTP-Unicast only on this device",
        ));
    }
    Ok(ReplayUri {
        uri: format!("{}/replay/{}", ctx.rtsp_base(), req.recording_token),
    })
}

fn get_replay_configuration(
    ctx: &Ctx<'_>,
    _: GetReplayConfiguration,
) -> Result<ReplayConfigurationResponse, Fault> {
    Ok(ReplayConfigurationResponse {
        configuration: ReplayConfiguration {
            session_timeout: ctx.shared.camera().replay_session_timeout,
        },
    })
}

/// A session timeout within `SessionTimeoutRange` is kept; another is `ter:InvalidArgVal`.
fn set_replay_configuration(
    ctx: &Ctx<'_>,
    req: SetReplayConfiguration,
) -> Result<SetReplayConfigurationResponse, Fault> {
    let t = req.configuration.session_timeout;
    if t > MAX_SESSION_TIMEOUT {
        return Err(sender(
            &["InvalidArgVal"],
            format!(
                "a session timeout of {} s is outside SessionTimeoutRange 0..{} s",
                t.as_secs_f64(),
                MAX_SESSION_TIMEOUT.as_secs()
            ),
        ));
    }
    ctx.shared.camera().replay_session_timeout = t;
    Ok(SetReplayConfigurationResponse)
}

flag_capabilities!(replay_capabilities);

/// `trp:Capabilities`, flattened.
fn replay_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("RTP_RTSP_TCP", "true"),
        ("ReversePlayback", "false"),
        // In seconds: MAX_SESSION_TIMEOUT.
        ("SessionTimeoutRange", "0 60"),
    ])
}
