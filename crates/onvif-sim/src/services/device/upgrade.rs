//! StartFirmwareUpgrade and StartSystemRestore: an address to POST a firmware image or a
//! configuration backup to (`server::upload` takes them).

use onvif_proto::Fault;
use onvif_proto::ops::device::{
    FirmwareUpload, RestoreUpload, StartFirmwareUpgrade, StartSystemRestore,
};
use tokio::time::Instant;

use super::super::Ctx;
use crate::sync::lock;
use crate::upload::Kind;

/// A new upload address, good once for a while; the camera expects to be away for its
/// reboot's downtime once the image is in.
pub(super) fn start_firmware_upgrade(
    ctx: &Ctx<'_>,
    _: StartFirmwareUpgrade,
) -> Result<FirmwareUpload, Fault> {
    Ok(FirmwareUpload {
        upload_uri: upload_uri(ctx, Kind::Firmware),
        upload_delay: None,
        expected_down_time: Some(ctx.shared.cfg.reboot_downtime),
    })
}

/// A new upload address for a backup; the camera restores it at once, staying up.
pub(super) fn start_system_restore(
    ctx: &Ctx<'_>,
    _: StartSystemRestore,
) -> Result<RestoreUpload, Fault> {
    Ok(RestoreUpload {
        upload_uri: upload_uri(ctx, Kind::Restore),
        expected_down_time: Some(std::time::Duration::ZERO),
    })
}

fn upload_uri(ctx: &Ctx<'_>, kind: Kind) -> String {
    let id = lock(&ctx.shared.uploads).open(kind, Instant::now());
    format!("{}{}/{id}", ctx.xaddr_base, crate::upload::PATH)
}
