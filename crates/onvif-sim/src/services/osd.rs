//! Media2's OSD operations (served by [`super::media2`]), on the OSDs of [`crate::osd`].

use onvif_proto::Fault;
use onvif_proto::ops::media2::{
    CreateOsd, CreateOsdResponse, DeleteOsd, DeleteOsdResponse, GetOsdOptions, GetOsds,
    OsdOptionsResponse, Osds, SetOsd, SetOsdResponse,
};

use super::Ctx;
use crate::media::{SOURCE_CONFIG, no_config};
use crate::osd::options;

pub(super) fn get_osds(ctx: &Ctx<'_>, req: GetOsds) -> Result<Osds, Fault> {
    let osds = ctx
        .shared
        .camera()
        .osd
        .list(req.osd_token.as_deref(), req.configuration_token.as_deref())?;
    Ok(Osds { osds })
}

pub(super) fn get_osd_options(
    _: &Ctx<'_>,
    req: GetOsdOptions,
) -> Result<OsdOptionsResponse, Fault> {
    if req.configuration_token != SOURCE_CONFIG {
        return Err(no_config(&req.configuration_token));
    }
    Ok(OsdOptionsResponse { options: options() })
}

pub(super) fn create_osd(ctx: &Ctx<'_>, req: CreateOsd) -> Result<CreateOsdResponse, Fault> {
    let token = ctx.shared.camera().osd.create(req.osd)?;
    Ok(CreateOsdResponse { token })
}

pub(super) fn set_osd(ctx: &Ctx<'_>, req: SetOsd) -> Result<SetOsdResponse, Fault> {
    ctx.shared.camera().osd.set(req.osd)?;
    Ok(SetOsdResponse)
}

pub(super) fn delete_osd(ctx: &Ctx<'_>, req: DeleteOsd) -> Result<DeleteOsdResponse, Fault> {
    ctx.shared.camera().osd.delete(&req.osd_token)?;
    Ok(DeleteOsdResponse)
}
