//! The imaging service, ver20 (`timg:`): the settings of `VideoSource_1`, which
//! SetImagingSettings really changes (within the ranges GetOptions gives), and its focus.

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::imaging::{
    FocusStatus, GetImagingSettings, GetMoveOptions, GetOptions, GetServiceCapabilities, GetStatus,
    ImagingOptionsResponse, ImagingSettingsResponse, Move, MoveOptionsResponse, MoveResponse,
    ServiceCapabilities, SetImagingSettings, SetImagingSettingsResponse, StatusResponse, Stop,
    StopResponse,
};
use onvif_proto::ops::ptz::MoveStatus;

use super::{Ctx, ServiceDef, flag_capabilities, flags, no_flags, op, sender};
use crate::media::{
    VIDEO_SOURCE, check_imaging, imaging_options, merge_imaging, move_options, no_source,
};

/// The imaging service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Imaging,
    category: Some("Imaging"),
    ops: &[
        op!(GetImagingSettings => get_imaging_settings),
        op!(SetImagingSettings => set_imaging_settings),
        op!(GetOptions => get_options),
        op!(GetMoveOptions => get_move_options),
        op!(Move => focus_move),
        op!(Stop => stop),
        op!(GetStatus => get_status),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: imaging_capabilities,
    category_flags: no_flags,
};

/// `ter:NoSource` unless `token` is the camera's video source.
fn source(token: &str) -> Result<(), Fault> {
    if token == VIDEO_SOURCE {
        Ok(())
    } else {
        Err(no_source(token))
    }
}

/// `Sender / ter:InvalidArgVal / ter:SettingsInvalid`.
fn settings_invalid(reason: String) -> Fault {
    sender(&["InvalidArgVal", "SettingsInvalid"], reason)
}

fn get_imaging_settings(
    ctx: &Ctx<'_>,
    req: GetImagingSettings,
) -> Result<ImagingSettingsResponse, Fault> {
    source(&req.video_source_token)?;
    Ok(ImagingSettingsResponse {
        settings: ctx.shared.camera().media.imaging.clone(),
    })
}

/// Every value set must lie within GetOptions' ranges and modes, or nothing changes.
fn set_imaging_settings(
    ctx: &Ctx<'_>,
    req: SetImagingSettings,
) -> Result<SetImagingSettingsResponse, Fault> {
    source(&req.video_source_token)?;
    check_imaging(&req.settings, &imaging_options()).map_err(settings_invalid)?;
    merge_imaging(&mut ctx.shared.camera().media.imaging, &req.settings);
    Ok(SetImagingSettingsResponse)
}

fn get_options(_: &Ctx<'_>, req: GetOptions) -> Result<ImagingOptionsResponse, Fault> {
    source(&req.video_source_token)?;
    Ok(ImagingOptionsResponse {
        options: imaging_options(),
    })
}

fn get_move_options(_: &Ctx<'_>, req: GetMoveOptions) -> Result<MoveOptionsResponse, Fault> {
    source(&req.video_source_token)?;
    Ok(MoveOptionsResponse {
        options: move_options(),
    })
}

/// Recorded in the focus state ([`crate::SimHandle::focus`]); out-of-range values are
/// `ter:SettingsInvalid`.
fn focus_move(ctx: &Ctx<'_>, req: Move) -> Result<MoveResponse, Fault> {
    source(&req.video_source_token)?;
    ctx.shared
        .camera()
        .media
        .focus
        .apply(req.focus)
        .map_err(settings_invalid)?;
    Ok(MoveResponse)
}

fn stop(ctx: &Ctx<'_>, req: Stop) -> Result<StopResponse, Fault> {
    source(&req.video_source_token)?;
    ctx.shared.camera().media.focus.stop();
    Ok(StopResponse)
}

/// The focus position, and MOVING while a continuous move runs.
fn get_status(ctx: &Ctx<'_>, req: GetStatus) -> Result<StatusResponse, Fault> {
    source(&req.video_source_token)?;
    let focus = {
        let mut camera = ctx.shared.camera();
        camera.media.focus.settle();
        camera.media.focus
    };
    Ok(StatusResponse {
        focus: Some(FocusStatus {
            position: Some(focus.position),
            move_status: Some(if focus.moving.is_some() {
                MoveStatus::Moving
            } else {
                MoveStatus::Idle
            }),
            error: None,
        }),
    })
}

flag_capabilities!(imaging_capabilities);

/// `timg:Capabilities`, flattened.
fn imaging_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("ImageStabilization", "false"),
        ("Presets", "false"),
        ("AdaptablePreset", "false"),
    ])
}
