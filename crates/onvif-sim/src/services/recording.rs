//! The recording service (`trc:`): the camera's two recordings, their configuration and the
//! job that records into the first (see [`crate::archive`] for the timeline).

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::recording::{
    GetRecordingConfiguration, GetRecordingJobs, GetRecordings, GetServiceCapabilities,
    RecordingConfigurationResponse, RecordingJobs, Recordings, ServiceCapabilities,
};

use super::{Ctx, OpDef, ServiceDef, flag_capabilities, flags, op, run};
use crate::archive;
use crate::config::Quirk;

/// The recording service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Recording,
    category: Some("Recording"),
    ops: &[
        op!(GetRecordings => get_recordings),
        op!(GetRecordingConfiguration => get_recording_configuration),
        OpDef {
            handle: |ctx, el| {
                run::<GetRecordingJobs>(ctx, el, get_recording_jobs).map(|b| job_items(ctx, b))
            },
            ..op!(GetRecordingJobs => get_recording_jobs)
        },
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: recording_capabilities,
    category_flags: recording_category,
};

fn get_recordings(_: &Ctx<'_>, _: GetRecordings) -> Result<Recordings, Fault> {
    Ok(Recordings {
        recordings: archive::recording_items(),
    })
}

/// An unknown token is `ter:NoRecording`.
fn get_recording_configuration(
    _: &Ctx<'_>,
    req: GetRecordingConfiguration,
) -> Result<RecordingConfigurationResponse, Fault> {
    Ok(RecordingConfigurationResponse {
        configuration: archive::configuration(&req.recording_token)?,
    })
}

fn get_recording_jobs(_: &Ctx<'_>, _: GetRecordingJobs) -> Result<RecordingJobs, Fault> {
    Ok(RecordingJobs {
        jobs: archive::jobs(),
    })
}

/// With [`Quirk::JobItemsInServiceNamespace`], a job item's two elements in `trc:` (see
/// docs/QUIRKS.md).
fn job_items(ctx: &Ctx<'_>, body: String) -> String {
    if !ctx.shared.cfg.has(Quirk::JobItemsInServiceNamespace) {
        return body;
    }
    ["JobToken", "JobConfiguration"]
        .iter()
        .fold(body, |b, name| {
            b.replace(&format!("<tt:{name}>"), &format!("<trc:{name}>"))
                .replace(&format!("</tt:{name}>"), &format!("</trc:{name}>"))
        })
}

flag_capabilities!(recording_capabilities);

/// `trc:Capabilities`, flattened: a fixed set of recordings, no receivers.
fn recording_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("DynamicRecordings", "false"),
        ("DynamicTracks", "false"),
        ("Encoding", "H264"),
        ("MaxRecordingJobs", "1"),
        ("MaxRecordings", "2"),
        ("Options", "false"),
    ])
}

/// GetCapabilities' `Extension/Recording` (the schema requires all five).
fn recording_category(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("ReceiverSource", "false"),
        ("MediaProfileSource", "true"),
        ("DynamicRecordings", "false"),
        ("DynamicTracks", "false"),
        ("MaxStringLength", "256"),
    ])
}
