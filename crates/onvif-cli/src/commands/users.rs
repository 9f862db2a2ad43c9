//! `users`: the camera's accounts, listed (name and level, never a password), added, given a
//! new password or level, removed. The account this tool logs in with is not removed or
//! demoted without `--force`.

use onvif::Camera;
use onvif::proto::ops::device::{User, UserLevel};
use serde::Serialize;

use crate::args::settings::{Level, UsersAction, UsersArgs};
use crate::failure::Failure;
use crate::output::{Out, table};
use crate::prompt::new_password;

/// What a change did, for `--json`.
#[derive(Serialize)]
struct Change<'a> {
    action: &'a str,
    user: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<UserLevel>,
    users: Vec<User>,
}

fn level(l: Level) -> UserLevel {
    match l {
        Level::Administrator => UserLevel::Administrator,
        Level::Operator => UserLevel::Operator,
        Level::User => UserLevel::User,
    }
}

/// The user name this tool logs in with, if any.
fn own_user(cam: &Camera) -> Option<&str> {
    cam.credentials().map(|c| c.user.as_str())
}

/// The account named `name`, or a usage error naming it and the accounts there are.
fn find<'a>(users: &'a [User], name: &str) -> Result<&'a User, Failure> {
    users.iter().find(|u| u.username == name).ok_or_else(|| {
        let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
        Failure::usage(format!(
            "no user named {name:?} on the camera (it has: {})",
            crate::output::clean(&names.join(", "))
        ))
    })
}

pub async fn run(cam: &Camera, args: &UsersArgs, out: &Out) -> Result<(), Failure> {
    let (action, user, new_level) = match &args.action {
        None => {
            let users = cam.users().await?;
            return out.answer(&users, |u| users_text(u));
        }
        Some(UsersAction::Add { name, level: l }) => {
            let password = new_password(name)?;
            cam.create_user(name, &password, level(*l)).await?;
            ("added", name, Some(level(*l)))
        }
        Some(UsersAction::Passwd { name }) => {
            let users = cam.users().await?;
            let current = find(&users, name)?.level;
            let password = new_password(name)?;
            cam.set_user(name, Some(&password), current).await?;
            ("password changed", name, None)
        }
        Some(UsersAction::Level {
            name,
            level: l,
            force,
        }) => {
            let users = cam.users().await?;
            let current = find(&users, name)?.level;
            let to = level(*l);
            if own_user(cam) == Some(name.as_str())
                && current == UserLevel::Administrator
                && to != UserLevel::Administrator
                && !force
            {
                return Err(Failure::usage(format!(
                    "{name:?} is the account this tool logs in with: demoting it may lock the \
                     tool out of these settings; add --force to do it anyway"
                )));
            }
            cam.set_user(name, None, to).await?;
            ("level changed", name, Some(to))
        }
        Some(UsersAction::Remove { name, force }) => {
            if own_user(cam) == Some(name.as_str()) && !force {
                return Err(Failure::usage(format!(
                    "{name:?} is the account this tool logs in with: removing it locks the tool \
                     out; add --force to do it anyway"
                )));
            }
            find(&cam.users().await?, name)?;
            cam.delete_users(std::slice::from_ref(name)).await?;
            ("removed", name, None)
        }
    };
    // Read back what the camera now has (which may fail when the tool's own account went).
    let users = cam.users().await.unwrap_or_default();
    let change = Change {
        action,
        user,
        level: new_level,
        users,
    };
    out.answer(&change, |c| {
        let mut s = format!("{}: {}\n", c.user, c.action);
        if !c.users.is_empty() {
            s.push('\n');
            s.push_str(&users_text(&c.users));
        }
        s
    })
}

fn users_text(users: &[User]) -> String {
    if users.is_empty() {
        return "no accounts listed\n".into();
    }
    table(
        &["USER", "LEVEL"],
        &users
            .iter()
            .map(|u| vec![u.username.clone(), u.level.to_string()])
            .collect::<Vec<_>>(),
    )
}
