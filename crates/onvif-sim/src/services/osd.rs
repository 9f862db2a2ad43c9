//! The OSD operations of Media2 (served by [`super::media2`]) and of Media1 ([`v1`], served by
//! [`super::media`]), on the OSDs of [`crate::osd`]. With [`Quirk::OsdOnMedia1Only`] Media2's
//! are answered `ter:ActionNotSupported`.

use onvif_proto::Fault;
use onvif_proto::ops::media2::{
    CreateOsd, CreateOsdResponse, DeleteOsd, DeleteOsdResponse, GetOsdOptions, GetOsds,
    OsdOptionsResponse, Osds, SetOsd, SetOsdResponse,
};

use super::{Ctx, receiver};
use crate::config::Quirk;
use crate::media::{SOURCE_CONFIG, no_config};
use crate::osd::options;

/// `ter:ActionNotSupported` for a Media2 OSD operation under [`Quirk::OsdOnMedia1Only`].
fn media2_refuses(ctx: &Ctx<'_>, name: &str) -> Result<(), Fault> {
    if ctx.shared.cfg.has(Quirk::OsdOnMedia1Only) {
        return Err(receiver(
            &["ActionNotSupported"],
            format!("{name} is not implemented by this camera's Media2 (use Media1)"),
        ));
    }
    Ok(())
}

pub(super) fn get_osds(ctx: &Ctx<'_>, req: GetOsds) -> Result<Osds, Fault> {
    media2_refuses(ctx, "GetOSDs")?;
    let osds = ctx
        .shared
        .camera()
        .osd
        .list(req.osd_token.as_deref(), req.configuration_token.as_deref())?;
    Ok(Osds { osds })
}

pub(super) fn get_osd_options(
    ctx: &Ctx<'_>,
    req: GetOsdOptions,
) -> Result<OsdOptionsResponse, Fault> {
    media2_refuses(ctx, "GetOSDOptions")?;
    if req.configuration_token != SOURCE_CONFIG {
        return Err(no_config(&req.configuration_token));
    }
    Ok(OsdOptionsResponse { options: options() })
}

pub(super) fn create_osd(ctx: &Ctx<'_>, req: CreateOsd) -> Result<CreateOsdResponse, Fault> {
    media2_refuses(ctx, "CreateOSD")?;
    let token = ctx.shared.camera().osd.create(req.osd)?;
    Ok(CreateOsdResponse { token })
}

pub(super) fn set_osd(ctx: &Ctx<'_>, req: SetOsd) -> Result<SetOsdResponse, Fault> {
    media2_refuses(ctx, "SetOSD")?;
    ctx.shared.camera().osd.set(req.osd)?;
    Ok(SetOsdResponse)
}

pub(super) fn delete_osd(ctx: &Ctx<'_>, req: DeleteOsd) -> Result<DeleteOsdResponse, Fault> {
    media2_refuses(ctx, "DeleteOSD")?;
    ctx.shared.camera().osd.delete(&req.osd_token)?;
    Ok(DeleteOsdResponse)
}

/// Media1's OSD operations: the same OSDs, the same checks.
pub(super) mod v1 {
    use onvif_proto::Fault;
    use onvif_proto::ops::media::{
        CreateOsd, CreateOsdResponse, DeleteOsd, DeleteOsdResponse, GetOsdOptions, GetOsds,
        OsdOptionsResponse, Osds, SetOsd, SetOsdResponse,
    };

    use super::super::Ctx;
    use crate::media::{SOURCE_CONFIG, no_config};
    use crate::osd::options;

    pub(in crate::services) fn get_osds(ctx: &Ctx<'_>, req: GetOsds) -> Result<Osds, Fault> {
        let osds = ctx
            .shared
            .camera()
            .osd
            .list(None, req.configuration_token.as_deref())?;
        Ok(Osds { osds })
    }

    pub(in crate::services) fn get_osd_options(
        _: &Ctx<'_>,
        req: GetOsdOptions,
    ) -> Result<OsdOptionsResponse, Fault> {
        if req.configuration_token != SOURCE_CONFIG {
            return Err(no_config(&req.configuration_token));
        }
        Ok(OsdOptionsResponse { options: options() })
    }

    pub(in crate::services) fn create_osd(
        ctx: &Ctx<'_>,
        req: CreateOsd,
    ) -> Result<CreateOsdResponse, Fault> {
        let token = ctx.shared.camera().osd.create(req.osd)?;
        Ok(CreateOsdResponse { token })
    }

    pub(in crate::services) fn set_osd(
        ctx: &Ctx<'_>,
        req: SetOsd,
    ) -> Result<SetOsdResponse, Fault> {
        ctx.shared.camera().osd.set(req.osd)?;
        Ok(SetOsdResponse)
    }

    pub(in crate::services) fn delete_osd(
        ctx: &Ctx<'_>,
        req: DeleteOsd,
    ) -> Result<DeleteOsdResponse, Fault> {
        ctx.shared.camera().osd.delete(&req.osd_token)?;
        Ok(DeleteOsdResponse)
    }
}
