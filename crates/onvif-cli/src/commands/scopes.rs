//! `scopes`: what the camera announces in WS-Discovery (name, location, hardware, profiles),
//! and its changes: `scopes name`, `scopes location` (one category's configurable scopes
//! replaced), `scopes add`, `scopes remove`, `scopes set`. Each change shows the scopes read
//! back.

use onvif::Camera;
use onvif::proto::ops::device;

use crate::args::settings::{ScopesAction, ScopesArgs};
use crate::failure::Failure;
use crate::output::{Out, clean, table};

pub async fn run(cam: &Camera, args: &ScopesArgs, out: &Out) -> Result<(), Failure> {
    match &args.action {
        None => {}
        Some(ScopesAction::Name { value }) => noted(set_one(cam, "name", value).await?),
        Some(ScopesAction::Location { value }) => noted(set_one(cam, "location", value).await?),
        Some(ScopesAction::Add { scopes }) => cam.add_scopes(&uris(scopes)?).await?,
        Some(ScopesAction::Remove { scopes }) => {
            let uris = uris(scopes)?;
            // A bare category/value names the camera's scope as `scopes` shows it, however
            // the camera spells it (`MAC/00:09:18:...` is the camera's `%3A` or `:`).
            let have = cam.scopes().await?.scopes;
            let named: Vec<String> = scopes
                .iter()
                .zip(uris)
                .map(|(given, uri)| camera_spelling(&have, given.trim()).unwrap_or(uri))
                .collect();
            cam.remove_scopes(&named).await?;
        }
        Some(ScopesAction::Set { scopes }) => cam.set_scopes(&uris(scopes)?).await?,
    }
    out.answer(&cam.scopes().await?, scopes_text)
}

fn noted(notes: Vec<String>) {
    for n in notes {
        eprintln!("note: {}", clean(&n));
    }
}

/// Replace the configurable scopes of `category` (`name`, `location`) with the one `given`.
/// Returned, a note for each fixed scope of the category the camera goes on announcing
/// (device text, unescaped).
pub(crate) async fn set_one(
    cam: &Camera,
    category: &str,
    given: &str,
) -> Result<Vec<String>, Failure> {
    let value = given.trim();
    let value = if category == "location" {
        value.trim_matches('/')
    } else {
        value
    };
    if value.is_empty() || (category == "location" && value.split('/').any(str::is_empty)) {
        return Err(Failure::usage(format!(
            "give the {category} as text{}, not {given:?}",
            if category == "location" {
                " (parts separated by single '/')"
            } else {
                ""
            }
        )));
    }
    let fixed = cam.set_scope_of(category, value).await?;
    Ok(fixed
        .into_iter()
        .map(|f| {
            format!(
                "the camera's {category} scope {} is fixed: it goes on announcing it beside the \
                 new one",
                f.item
            )
        })
        .collect())
}

/// The scopes given: a URI (`scheme:...`) as it is; a bare `category/value` as the scope
/// `scopes` shows under that category and value (`name/Front door`, `location/city/Den Haag`),
/// its `%XX` escapes kept. Anything else is refused before it is sent.
fn uris(given: &[String]) -> Result<Vec<String>, Failure> {
    given.iter().map(|g| uri(g.trim())).collect()
}

fn uri(g: &str) -> Result<String, Failure> {
    let refused = |why: &str| {
        Failure::usage(format!(
            "{g:?} is not a scope: {why} (a URI, or category/value such as location/garden)"
        ))
    };
    if let Some((scheme, _)) = g.split_once(':')
        && is_scheme(scheme)
    {
        if g.chars().any(char::is_whitespace) {
            return Err(refused("a URI has no spaces (write them %20)"));
        }
        return Ok(g.to_owned());
    }
    let Some((category, value)) = g.split_once('/') else {
        return Err(refused("no category"));
    };
    let category_ok = !category.is_empty()
        && category
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !category_ok {
        return Err(refused("the category is not a word"));
    }
    if value.trim().is_empty() {
        return Err(refused("no value"));
    }
    let encoded = if category.eq_ignore_ascii_case("location") {
        let parts: Vec<String> = value.split('/').map(encode_keeping_escapes).collect();
        parts.join("/")
    } else {
        encode_keeping_escapes(value)
    };
    Ok(format!("onvif://www.onvif.org/{category}/{encoded}"))
}

/// The camera's own scope that a bare `category/value` names: same category, same value once
/// decoded.
fn camera_spelling(have: &[device::Scope], given: &str) -> Option<String> {
    let (category, value) = given.split_once('/')?;
    if given
        .split_once(':')
        .is_some_and(|(scheme, _)| is_scheme(scheme))
    {
        return None;
    }
    let value = device::percent_decode(value);
    have.iter()
        .find(|s| {
            s.onvif_parts()
                .is_some_and(|(c, v)| c.eq_ignore_ascii_case(category) && v == value)
        })
        .map(|s| s.item.clone())
}

/// `[A-Za-z][A-Za-z0-9+.-]*` (RFC 3986's scheme).
fn is_scheme(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
}

/// Percent-encode as `onvif_scope` does, but keep what is already a `%XX` escape, so that a
/// value copied from a scope URI is not encoded twice.
fn encode_keeping_escapes(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while i < b.len() {
        let escape = b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit();
        if escape {
            out.push_str(&v[i..i + 3]);
            i += 3;
            continue;
        }
        let next = v[i..].chars().next().unwrap_or('\u{FFFD}');
        out.push_str(&device::percent_encode(&next.to_string()));
        i += next.len_utf8().max(1);
    }
    out
}

fn scopes_text(s: &device::Scopes) -> String {
    table(
        &["CATEGORY", "VALUE", "KIND", "SCOPE"],
        &s.scopes
            .iter()
            .map(|sc| {
                let (cat, val) = sc.onvif_parts().unwrap_or_else(|| ("-".into(), "-".into()));
                let kind = if sc.definition.is_empty() {
                    "-".to_owned()
                } else {
                    sc.definition.to_lowercase()
                };
                vec![cat, val, kind, sc.item.clone()]
            })
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::uris;

    fn one(s: &str) -> Result<String, String> {
        uris(&[s.into()])
            .map(|mut v| v.remove(0))
            .map_err(|f| f.message)
    }

    #[test]
    fn uris_are_kept_and_bare_scopes_encoded_as_scopes_shows_them() {
        let o = "onvif://www.onvif.org";
        assert_eq!(
            one("location/garden").unwrap(),
            format!("{o}/location/garden")
        );
        assert_eq!(
            one("name/Front door").unwrap(),
            format!("{o}/name/Front%20door")
        );
        assert_eq!(one("name/Über").unwrap(), format!("{o}/name/%C3%9Cber"));
        // A name's '/' is part of it; a location's separates its parts.
        assert_eq!(one("name/A/B").unwrap(), format!("{o}/name/A%2FB"));
        assert_eq!(
            one("location/city/Den Haag").unwrap(),
            format!("{o}/location/city/Den%20Haag")
        );
        // Escapes already there are kept.
        assert_eq!(
            one("name/Front%20door").unwrap(),
            format!("{o}/name/Front%20door")
        );
        for u in [
            "urn:uuid:1234",
            "mailto:x",
            "http://example.com/x",
            "ftp:/x",
        ] {
            assert_eq!(one(u).unwrap(), u);
        }
    }

    #[test]
    fn what_is_not_a_scope_is_refused_naming_why() {
        for (bad, why) in [
            ("garden", "no category"),
            ("://x", "the category is not a word"),
            ("/x", "the category is not a word"),
            ("name/", "no value"),
            ("", "no category"),
            ("http://a b", "no spaces"),
        ] {
            let e = one(bad).unwrap_err();
            assert!(
                e.contains("is not a scope") && e.contains(why),
                "{bad}: {e}"
            );
        }
    }
}
