//! The camera's user accounts: who may log in, with which password, at which level. The
//! configured user ([`crate::SimConfig::credentials`]) is the first Administrator; CreateUsers,
//! DeleteUsers and SetUser change the list, and authentication (WS-UsernameToken, Digest,
//! Basic) looks the claimed user up here. Refusals are the faults the ONVIF device service
//! specifies, each with a reason. No password leaves this module except to the checks that
//! compare it.

use onvif_proto::Fault;
use onvif_proto::ops::device::{User, UserLevel};

use crate::fault::{receiver, sender};

/// At most this many accounts (GetServiceCapabilities' `Security.MaxUsers`).
pub(crate) const MAX_USERS: usize = 8;
/// Longest user name accepted, in bytes.
pub(crate) const MAX_USERNAME: usize = 32;
/// Longest password accepted, in bytes.
pub(crate) const MAX_PASSWORD: usize = 64;
/// Shortest password accepted for a new or changed account.
pub(crate) const MIN_PASSWORD: usize = 6;

/// One account.
#[derive(Clone)]
pub(crate) struct Account {
    pub name: String,
    password: String,
    pub level: UserLevel,
}

/// Every account, in creation order.
#[derive(Clone)]
pub(crate) struct Accounts {
    list: Vec<Account>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.list.iter().map(|a| (&a.name, a.level)))
            .finish()
    }
}

fn prohibited(code: &str, reason: String) -> Fault {
    sender(&["OperationProhibited", code], reason)
}

fn invalid(code: &str, reason: String) -> Fault {
    sender(&["InvalidArgVal", code], reason)
}

/// A user name the camera accepts: 1 to [`MAX_USERNAME`] bytes of letters, digits, `.`, `_`
/// and `-`.
fn check_username(name: &str) -> Result<(), Fault> {
    if name.is_empty() {
        return Err(prohibited(
            "UsernameTooShort",
            "the user name is empty".into(),
        ));
    }
    if name.len() > MAX_USERNAME {
        return Err(prohibited(
            "UsernameTooLong",
            format!(
                "the user name is {} bytes long (at most {MAX_USERNAME})",
                name.len()
            ),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(invalid(
            "InvalidUsername",
            format!(
                "the user name holds {c:?}: only letters, digits, '.', '_' and '-' are allowed"
            ),
        ));
    }
    Ok(())
}

/// A password the camera accepts for `name`.
fn check_password(name: &str, password: &str) -> Result<(), Fault> {
    if password.len() > MAX_PASSWORD {
        return Err(prohibited(
            "PasswordTooLong",
            format!("the password is longer than {MAX_PASSWORD} bytes"),
        ));
    }
    if password.chars().count() < MIN_PASSWORD || password == name {
        return Err(prohibited(
            "PasswordTooWeak",
            format!(
                "the password is too weak: at least {MIN_PASSWORD} characters, and not the user \
                 name"
            ),
        ));
    }
    if password.chars().any(char::is_control) {
        return Err(prohibited(
            "PasswordTooWeak",
            "the password holds control characters".into(),
        ));
    }
    Ok(())
}

impl Accounts {
    /// The configured user, as the one Administrator.
    pub(crate) fn new(user: &str, password: &str) -> Self {
        Accounts {
            list: vec![Account {
                name: user.to_owned(),
                password: password.to_owned(),
                level: UserLevel::Administrator,
            }],
        }
    }

    /// The password of `name`, when it has an account.
    pub(crate) fn password_of(&self, name: &str) -> Option<&str> {
        self.find(name).map(|a| a.password.as_str())
    }

    /// The level of `name`, when it has an account.
    pub(crate) fn level_of(&self, name: &str) -> Option<UserLevel> {
        self.find(name).map(|a| a.level)
    }

    fn find(&self, name: &str) -> Option<&Account> {
        self.list.iter().find(|a| a.name == name)
    }

    /// Every account, without its password.
    pub(crate) fn users(&self) -> Vec<User> {
        self.list
            .iter()
            .map(|a| User {
                username: a.name.clone(),
                password: None,
                level: a.level,
            })
            .collect()
    }

    /// Set a password without the checks (the test handle's `set_password`).
    pub(crate) fn force_password(&mut self, name: &str, password: &str) {
        match self.list.iter_mut().find(|a| a.name == name) {
            Some(a) => password.clone_into(&mut a.password),
            None => self.list.push(Account {
                name: name.to_owned(),
                password: password.to_owned(),
                level: UserLevel::Administrator,
            }),
        }
    }

    /// CreateUsers: all or nothing.
    pub(crate) fn create(&mut self, users: &[User]) -> Result<(), Fault> {
        let mut next = self.list.clone();
        for u in users {
            check_username(&u.username)?;
            if next.iter().any(|a| a.name == u.username) {
                return Err(prohibited(
                    "UsernameClash",
                    format!("a user named {:?} already exists", u.username),
                ));
            }
            if u.level == UserLevel::Anonymous {
                return Err(prohibited(
                    "AnonymousNotAllowed",
                    "this camera has no anonymous accounts".into(),
                ));
            }
            let password = u.password.as_deref().ok_or_else(|| {
                prohibited(
                    "PasswordTooWeak",
                    format!("no password given for {:?}", u.username),
                )
            })?;
            check_password(&u.username, password)?;
            if next.len() >= MAX_USERS {
                return Err(receiver(
                    &["Action", "TooManyUsers"],
                    format!("the camera holds at most {MAX_USERS} accounts"),
                ));
            }
            next.push(Account {
                name: u.username.clone(),
                password: password.to_owned(),
                level: u.level,
            });
        }
        self.list = next;
        Ok(())
    }

    /// DeleteUsers: all or nothing; the last Administrator stays.
    pub(crate) fn delete(&mut self, names: &[String]) -> Result<(), Fault> {
        for n in names {
            if self.find(n).is_none() {
                return Err(invalid("UsernameMissing", format!("no user named {n:?}")));
            }
        }
        let next: Vec<Account> = self
            .list
            .iter()
            .filter(|a| !names.contains(&a.name))
            .cloned()
            .collect();
        self.keeps_an_administrator(&next, "deleted")?;
        self.list = next;
        Ok(())
    }

    /// SetUser: a new level, and a new password when one is given; all or nothing.
    pub(crate) fn set(&mut self, users: &[User]) -> Result<(), Fault> {
        let mut next = self.list.clone();
        for u in users {
            let Some(a) = next.iter_mut().find(|a| a.name == u.username) else {
                return Err(invalid(
                    "UsernameMissing",
                    format!("no user named {:?}", u.username),
                ));
            };
            if u.level == UserLevel::Anonymous {
                return Err(prohibited(
                    "AnonymousNotAllowed",
                    "this camera has no anonymous accounts".into(),
                ));
            }
            if let Some(p) = &u.password {
                check_password(&u.username, p)?;
                p.clone_into(&mut a.password);
            }
            a.level = u.level;
        }
        self.keeps_an_administrator(&next, "demoted")?;
        self.list = next;
        Ok(())
    }

    fn keeps_an_administrator(&self, next: &[Account], how: &str) -> Result<(), Fault> {
        if next.iter().any(|a| a.level == UserLevel::Administrator) {
            Ok(())
        } else {
            Err(invalid(
                "FixedUser",
                format!("the last Administrator cannot be {how}"),
            ))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn user(name: &str, password: &str, level: UserLevel) -> User {
        User {
            username: name.into(),
            password: Some(password.into()),
            level,
        }
    }

    fn subcode(f: &Fault) -> String {
        f.subcodes
            .last()
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_refused_batch_changes_nothing() {
        let mut a = Accounts::new("admin", "admin");
        let err = a
            .create(&[
                user("op", "op-pass-1", UserLevel::Operator),
                user("admin", "other-pass", UserLevel::User),
            ])
            .unwrap_err();
        assert_eq!(subcode(&err), "UsernameClash");
        assert_eq!(a.users().len(), 1);
        assert!(a.password_of("op").is_none());
    }

    #[test]
    fn names_and_passwords_are_checked_as_a_camera_does() {
        let mut a = Accounts::new("admin", "admin");
        let cases = [
            (user("", "goodpass", UserLevel::User), "UsernameTooShort"),
            (
                user(&"x".repeat(33), "goodpass", UserLevel::User),
                "UsernameTooLong",
            ),
            (
                user("bad name", "goodpass", UserLevel::User),
                "InvalidUsername",
            ),
            (user("v", "short", UserLevel::User), "PasswordTooWeak"),
            (
                user("viewer1", "viewer1", UserLevel::User),
                "PasswordTooWeak",
            ),
            (
                user("v", &"p".repeat(65), UserLevel::User),
                "PasswordTooLong",
            ),
            (
                user("v", "goodpass", UserLevel::Anonymous),
                "AnonymousNotAllowed",
            ),
        ];
        for (u, code) in cases {
            assert_eq!(subcode(&a.create(&[u]).unwrap_err()), code);
        }
        for i in 1..MAX_USERS {
            a.create(&[user(&format!("u{i}"), "goodpass", UserLevel::User)])
                .unwrap();
        }
        let full = a.create(&[user("one-more", "goodpass", UserLevel::User)]);
        assert_eq!(subcode(&full.unwrap_err()), "TooManyUsers");
    }

    #[test]
    fn the_last_administrator_stays() {
        let mut a = Accounts::new("admin", "admin");
        assert_eq!(
            subcode(&a.delete(&["admin".into()]).unwrap_err()),
            "FixedUser"
        );
        let demote = a.set(&[User {
            username: "admin".into(),
            password: None,
            level: UserLevel::User,
        }]);
        assert_eq!(subcode(&demote.unwrap_err()), "FixedUser");
        a.create(&[user("boss", "boss-pass", UserLevel::Administrator)])
            .unwrap();
        a.delete(&["admin".into()]).unwrap();
        assert!(a.password_of("admin").is_none());
        assert_eq!(a.password_of("boss"), Some("boss-pass"));
        assert_eq!(
            subcode(&a.delete(&["ghost".into()]).unwrap_err()),
            "UsernameMissing"
        );
    }
}
