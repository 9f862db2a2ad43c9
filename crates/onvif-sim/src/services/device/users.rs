//! The device service's account operations: GetUsers, CreateUsers, DeleteUsers, SetUser, on
//! [`crate::accounts::Accounts`] (which authentication reads too, so a created user can log in
//! at once and a deleted one no longer can).

use onvif_proto::Fault;
use onvif_proto::ops::device::{
    CreateUsers, CreateUsersResponse, DeleteUsers, DeleteUsersResponse, GetUsers, SetUser,
    SetUserResponse, Users,
};

use crate::config::Quirk;
use crate::services::Ctx;

/// Every account, never with its password (unless [`Quirk::UsersInDeviceNamespace`], which
/// copies cameras that send them).
pub(super) fn get_users(ctx: &Ctx<'_>, _: GetUsers) -> Result<Users, Fault> {
    let accounts = ctx.shared.accounts();
    let mut users = accounts.users();
    if ctx.shared.cfg.has(Quirk::UsersInDeviceNamespace) {
        for u in &mut users {
            u.password = accounts.password_of(&u.username).map(str::to_owned);
        }
    }
    Ok(Users { users })
}

pub(super) fn create_users(ctx: &Ctx<'_>, req: CreateUsers) -> Result<CreateUsersResponse, Fault> {
    ctx.shared.accounts().create(&req.users)?;
    let mut cam = ctx.shared.camera();
    for u in &req.users {
        cam.logs
            .access(format!("user {} created ({})", u.username, u.level));
    }
    Ok(CreateUsersResponse)
}

pub(super) fn delete_users(ctx: &Ctx<'_>, req: DeleteUsers) -> Result<DeleteUsersResponse, Fault> {
    ctx.shared.accounts().delete(&req.usernames)?;
    let mut cam = ctx.shared.camera();
    for u in &req.usernames {
        cam.logs.access(format!("user {u} deleted"));
    }
    Ok(DeleteUsersResponse)
}

pub(super) fn set_user(ctx: &Ctx<'_>, req: SetUser) -> Result<SetUserResponse, Fault> {
    ctx.shared.accounts().set(&req.users)?;
    let mut cam = ctx.shared.camera();
    for u in &req.users {
        let what = if u.password.is_some() {
            "password and level"
        } else {
            "level"
        };
        cam.logs
            .access(format!("user {}: {what} set ({})", u.username, u.level));
    }
    Ok(SetUserResponse)
}
