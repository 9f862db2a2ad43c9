//! The device service's scopes: GetScopes, and SetScopes, AddScopes and RemoveScopes, which
//! change the configurable ones (WS-Discovery answers with them from then on). The fixed ones
//! (type, profiles, hardware) cannot be removed or replaced.

use onvif_proto::Fault;
use onvif_proto::ops::device::{
    AddScopes, AddScopesResponse, GetScopes, RemoveScopes, RemoveScopesResponse, Scope, Scopes,
    SetScopes, SetScopesResponse,
};

use crate::services::{Ctx, receiver, sender};

/// The most scopes the camera keeps (fixed and configurable), as cameras have a limit.
const MAX_SCOPES: usize = 32;
const FIXED: &str = "Fixed";
const CONFIGURABLE: &str = "Configurable";

pub(super) fn get_scopes(ctx: &Ctx<'_>, _: GetScopes) -> Result<Scopes, Fault> {
    Ok(Scopes {
        scopes: ctx.shared.camera().scopes.clone(),
    })
}

/// A scope URI must be absolute (`scheme:...`): it is matched against the Scopes of a
/// WS-Discovery Probe.
fn check_uris(items: &[String]) -> Result<Vec<String>, Fault> {
    items
        .iter()
        .map(|s| {
            let s = s.trim();
            let scheme = s.split_once(':').map(|(scheme, _)| scheme);
            let absolute = scheme.is_some_and(|sc| {
                sc.starts_with(|c: char| c.is_ascii_alphabetic())
                    && sc
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
            if absolute && !s.chars().any(char::is_whitespace) {
                Ok(s.to_owned())
            } else {
                Err(sender(
                    &["InvalidArgVal"],
                    format!("{s:?} is not a scope URI (onvif://www.onvif.org/name/...)"),
                ))
            }
        })
        .collect()
}

fn too_many(n: usize) -> Fault {
    receiver(
        &["Action", "TooManyScopes"],
        format!("{n} scopes; the camera keeps at most {MAX_SCOPES}"),
    )
}

/// SetScopes: the configurable scopes become the given ones (fixed ones stay, and a given
/// one equal to a fixed one is not added twice).
pub(super) fn set_scopes(ctx: &Ctx<'_>, req: SetScopes) -> Result<SetScopesResponse, Fault> {
    if req.scopes.is_empty() && ctx.shared.cfg.strict {
        return Err(sender(
            &["InvalidArgVal"],
            "SetScopes needs at least one Scopes (schema: minOccurs 1) (strict)",
        ));
    }
    let given = check_uris(&req.scopes)?;
    let mut cam = ctx.shared.camera();
    let fixed = cam.scopes.iter().filter(|s| s.definition == FIXED).cloned();
    cam.scopes = with_configurable(fixed.collect(), given)?;
    cam.logs.system("scopes set");
    Ok(SetScopesResponse)
}

/// `scopes` with each of `given` added as configurable, unless it is there already; at most
/// [`MAX_SCOPES`] in all.
fn with_configurable(mut scopes: Vec<Scope>, given: Vec<String>) -> Result<Vec<Scope>, Fault> {
    for item in given {
        if !scopes.iter().any(|s| s.item == item) {
            scopes.push(Scope {
                definition: CONFIGURABLE.into(),
                item,
            });
        }
    }
    if scopes.len() > MAX_SCOPES {
        return Err(too_many(scopes.len()));
    }
    Ok(scopes)
}

/// AddScopes: each new scope is added as configurable; one the camera has already is kept as
/// it is.
pub(super) fn add_scopes(ctx: &Ctx<'_>, req: AddScopes) -> Result<AddScopesResponse, Fault> {
    let given = check_uris(&req.items)?;
    let mut cam = ctx.shared.camera();
    cam.scopes = with_configurable(cam.scopes.clone(), given)?;
    cam.logs.system("scopes added");
    Ok(AddScopesResponse)
}

/// RemoveScopes: all or nothing; a fixed scope is `ter:FixedScope`, one the camera does not
/// have `ter:NoScope`.
pub(super) fn remove_scopes(
    ctx: &Ctx<'_>,
    req: RemoveScopes,
) -> Result<RemoveScopesResponse, Fault> {
    let mut cam = ctx.shared.camera();
    for item in &req.items {
        let item = item.trim();
        match cam.scopes.iter().find(|s| s.item == item) {
            None => {
                return Err(sender(
                    &["InvalidArgVal", "NoScope"],
                    format!("the camera has no scope {item:?}"),
                ));
            }
            Some(s) if s.definition == FIXED => {
                return Err(sender(
                    &["OperationProhibited", "FixedScope"],
                    format!("{item:?} is a fixed scope"),
                ));
            }
            Some(_) => {}
        }
    }
    let items: Vec<String> = req.items.iter().map(|i| i.trim().to_owned()).collect();
    cam.scopes.retain(|s| !items.contains(&s.item));
    cam.logs.system("scopes removed");
    Ok(RemoveScopesResponse { items })
}
