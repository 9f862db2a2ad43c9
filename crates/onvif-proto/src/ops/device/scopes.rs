//! Scopes: the URIs a device is found by in WS-Discovery (`onvif://www.onvif.org/name/...`,
//! `.../location/...`, `.../hardware/...`), fixed or configurable. GetScopes reads them;
//! SetScopes replaces the configurable ones, AddScopes adds, RemoveScopes removes.

use serde::Serialize;

use crate::codec::Xml;
use crate::operation;

/// Ask for the device's scopes (`onvif://www.onvif.org/name/...`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetScopes")]
pub struct GetScopes;
operation!(GetScopes => Scopes, idempotent = true);

/// One scope: whether it is fixed or configurable, and its URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct Scope {
    /// `Fixed` or `Configurable`.
    #[xml(child = "tt:ScopeDef", default)]
    pub definition: String,
    /// The scope URI (`onvif://www.onvif.org/name/Porch%20Cam`).
    #[xml(child = "tt:ScopeItem", default)]
    pub item: String,
}

impl Scope {
    /// For `onvif://www.onvif.org/<category>/<value>`: the category and the percent-decoded
    /// value (`name`, `Garden Cam`).
    pub fn onvif_parts(&self) -> Option<(String, String)> {
        let rest = self.item.strip_prefix("onvif://www.onvif.org/")?;
        let (cat, val) = rest.split_once('/').unwrap_or((rest, ""));
        Some((cat.to_owned(), percent_decode(val)))
    }
}

/// An ONVIF scope URI, `onvif://www.onvif.org/<category>/<value>`, the value percent-encoded
/// (`name`, `Porch Cam` gives `.../name/Porch%20Cam`). A `location` is a path: each
/// `/`-separated part is encoded on its own (`city/Den Haag` gives
/// `.../location/city/Den%20Haag`); in any other category a `/` is part of the value
/// (`%2F`). [`Scope::onvif_parts`] reads it back.
pub fn onvif_scope(category: &str, value: &str) -> String {
    let value = if category.eq_ignore_ascii_case("location") {
        let parts: Vec<String> = value.split('/').map(percent_encode).collect();
        parts.join("/")
    } else {
        percent_encode(value)
    };
    format!("onvif://www.onvif.org/{category}/{value}")
}

/// Percent-encode everything but RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` escapes; invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The answer to GetScopes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetScopesResponse")]
pub struct Scopes {
    /// Every scope, in the device's order.
    #[xml(child = "tds:Scopes")]
    pub scopes: Vec<Scope>,
}

/// Replace every configurable scope with these (fixed ones stay).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetScopes")]
pub struct SetScopes {
    /// The configurable scopes, as they should be.
    #[xml(child = "tds:Scopes")]
    pub scopes: Vec<String>,
}
operation!(SetScopes => SetScopesResponse, idempotent = true);

/// The empty answer to SetScopes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetScopesResponse")]
pub struct SetScopesResponse;

/// Add configurable scopes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:AddScopes")]
pub struct AddScopes {
    /// The scopes to add.
    #[xml(child = "tds:ScopeItem")]
    pub items: Vec<String>,
}
operation!(AddScopes => AddScopesResponse, idempotent = false);

/// The empty answer to AddScopes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:AddScopesResponse")]
pub struct AddScopesResponse;

/// Remove configurable scopes (a fixed one is `ter:FixedScope`, an unknown one
/// `ter:NoScope`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:RemoveScopes")]
pub struct RemoveScopes {
    /// The scopes to remove.
    #[xml(child = "tds:ScopeItem")]
    pub items: Vec<String>,
}
operation!(RemoveScopes => RemoveScopesResponse, idempotent = false);

/// The answer to RemoveScopes: the scopes removed (the same as asked, or a fault; the
/// specification deprecates reading it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:RemoveScopesResponse")]
pub struct RemoveScopesResponse {
    /// The scopes removed.
    #[xml(child = "tds:ScopeItem")]
    pub items: Vec<String>,
}
