//! StartFirmwareUpgrade: an address to POST a firmware image to (`server::upload` takes it).

use onvif_proto::Fault;
use onvif_proto::ops::device::{FirmwareUpload, StartFirmwareUpgrade};
use tokio::time::Instant;

use super::super::Ctx;
use crate::sync::lock;

/// A new upload address, good once for a while; the camera expects to be away for its
/// reboot's downtime once the image is in.
pub(super) fn start_firmware_upgrade(
    ctx: &Ctx<'_>,
    _: StartFirmwareUpgrade,
) -> Result<FirmwareUpload, Fault> {
    let id = lock(&ctx.shared.uploads).open(Instant::now());
    Ok(FirmwareUpload {
        upload_uri: format!("{}{}/{id}", ctx.xaddr_base, crate::upload::PATH),
        upload_delay: None,
        expected_down_time: Some(ctx.shared.cfg.reboot_downtime),
    })
}
