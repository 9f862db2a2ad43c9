//! User accounts: GetUsers, CreateUsers, DeleteUsers, SetUser.
//!
//! A password goes to the device (CreateUsers, SetUser) and never comes back out of this
//! crate: [`User::password`] is skipped by serde and hidden by `Debug`, so a device that
//! answers GetUsers with passwords (some do) cannot leak them into JSON output or logs.

use serde::Serialize;

use crate::codec::{Node, Text, Xml};
use crate::error::Error;
use crate::ns::{TDS, TT};
use crate::ops::message::opt_text;
use crate::xml::{Element, Writer};
use crate::{operation, xml_enum};

xml_enum! {
    /// What an account may do (`tt:UserLevel`).
    pub UserLevel {
        /// Everything, accounts and network settings included.
        Administrator = "Administrator",
        /// Media and PTZ, not the device's settings.
        Operator = "Operator",
        /// Read-only use.
        User = "User",
        /// The level of unauthenticated requests.
        Anonymous = "Anonymous",
        /// A level the device defines in an extension.
        Extended = "Extended",
    }
}

/// One account (`tt:User`). Reading takes `Username`, `Password` and `UserLevel` in the
/// schema's namespace or in the device service's, where some devices put them (see
/// docs/QUIRKS.md): so this type is read and written by hand ([`Node`] below).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// The user name.
    pub username: String,
    /// The password, sent with CreateUsers and SetUser; never serialised, never in `Debug`.
    #[serde(skip)]
    pub password: Option<String>,
    /// What the account may do.
    pub level: UserLevel,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("level", &self.level)
            .finish()
    }
}

/// The text of child `name` in the schema's namespace, else in the device service's.
fn either_ns(el: &Element, name: &str) -> Option<String> {
    opt_text(el, TT, name).or_else(|| opt_text(el, TDS, name))
}

impl Node for User {
    fn read_node(el: &Element) -> Result<Self, Error> {
        // An empty name reads as empty (the device judges it), an absent one is an error.
        let username = el
            .child_text(TT, "Username")
            .or_else(|| el.child_text(TDS, "Username"))
            .ok_or_else(|| Error::missing("User/Username"))?
            .to_owned();
        let level_text =
            either_ns(el, "UserLevel").ok_or_else(|| Error::missing("User/UserLevel"))?;
        // A level of the device's own (outside the schema's list) is an extended one: one
        // account in it must not make the whole list unreadable.
        let level = UserLevel::from_text(&level_text).unwrap_or(UserLevel::Extended);
        Ok(User {
            username,
            password: either_ns(el, "Password"),
            level,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[])
            .leaf("tt:Username", &self.username)
            .leaf_opt("tt:Password", self.password.as_deref())
            .leaf("tt:UserLevel", self.level.as_str())
            .close(tag);
    }
}

/// List the device's accounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetUsers")]
pub struct GetUsers;
operation!(GetUsers => Users, idempotent = true);

/// The answer to GetUsers: every account, without passwords.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetUsersResponse")]
pub struct Users {
    /// Every account, in the device's order.
    #[xml(child = "tds:User")]
    pub users: Vec<User>,
}

/// Create accounts, each with its password and level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:CreateUsers")]
pub struct CreateUsers {
    /// The accounts to create.
    #[xml(child = "tds:User")]
    pub users: Vec<User>,
}

/// The empty answer to CreateUsers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:CreateUsersResponse")]
pub struct CreateUsersResponse;
operation!(CreateUsers => CreateUsersResponse, idempotent = false);

/// Delete accounts by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:DeleteUsers")]
pub struct DeleteUsers {
    /// The user names to delete.
    #[xml(child = "tds:Username")]
    pub usernames: Vec<String>,
}

/// The empty answer to DeleteUsers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:DeleteUsersResponse")]
pub struct DeleteUsersResponse;
operation!(DeleteUsers => DeleteUsersResponse, idempotent = true);

/// Change accounts: each named user gets the password (when given) and level here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetUser")]
pub struct SetUser {
    /// The accounts to change, by user name.
    #[xml(child = "tds:User")]
    pub users: Vec<User>,
}

/// The empty answer to SetUser.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetUserResponse")]
pub struct SetUserResponse;
operation!(SetUser => SetUserResponse, idempotent = true);
