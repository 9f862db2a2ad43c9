//! Running an operation's handler, and what a vendor's quirks make of it.

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::xml::Element;

use super::vendor;
use super::{Ctx, OpDef, ServiceDef};
use crate::config::{Quirk, SimConfig};

/// Answer a request with its operation's handler, unless a quirk makes the camera do
/// something else.
pub(crate) fn answer(
    ctx: &Ctx<'_>,
    service: &ServiceDef,
    op: &OpDef,
    el: &Element,
) -> Result<String, Fault> {
    let cfg = &ctx.shared.cfg;
    if service.service == Service::Ptz && cfg.has(Quirk::PtzRoutesBySubstring) {
        // The first operation whose name starts with the requested one: GetConfigurations
        // for GetConfiguration, GetNodes for GetNode (their tokens are simply ignored).
        let plural = format!("{}s", op.name);
        if let Some(other) = service.ops.iter().find(|o| o.name == plural) {
            let mut renamed = Element::new(Some(other.ns), other.name);
            renamed.scope = el.scope.clone();
            return (other.handle)(ctx, &renamed).map(|b| undeclared_prefixes(cfg, service, b));
        }
    }
    (op.handle)(ctx, el)
        .map(|b| undeclared_prefixes(cfg, service, b))
        .map(|b| vendor::rewrite(ctx, service.service, op.name, b))
}

/// With [`Quirk::UndeclaredPrefixes`], PTZ answers name their own elements with a prefix
/// (`ptz:`) that the envelope never declares.
fn undeclared_prefixes(cfg: &SimConfig, service: &ServiceDef, body: String) -> String {
    if service.service == Service::Ptz && cfg.has(Quirk::UndeclaredPrefixes) {
        body.replace("<tptz:", "<ptz:").replace("</tptz:", "</ptz:")
    } else {
        body
    }
}
