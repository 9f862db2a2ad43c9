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
        Some(ScopesAction::Name { value }) => set_one(cam, "name", value).await?,
        Some(ScopesAction::Location { value }) => set_one(cam, "location", value).await?,
        Some(ScopesAction::Add { scopes }) => cam.add_scopes(&uris(scopes)?).await?,
        Some(ScopesAction::Remove { scopes }) => cam.remove_scopes(&uris(scopes)?).await?,
        Some(ScopesAction::Set { scopes }) => cam.set_scopes(&uris(scopes)?).await?,
    }
    out.answer(&cam.scopes().await?, scopes_text)
}

async fn set_one(cam: &Camera, category: &str, value: &str) -> Result<(), Failure> {
    let value = value.trim().trim_matches('/');
    if value.is_empty() || value.split('/').any(str::is_empty) {
        return Err(Failure::usage(format!(
            "give the {category} as text (parts separated by single '/'), not {value:?}"
        )));
    }
    let fixed = cam.set_scope_of(category, value).await?;
    for f in fixed {
        eprintln!(
            "note: the camera's {category} scope {} is fixed: it goes on announcing it beside \
             the new one",
            clean(&f.item)
        );
    }
    Ok(())
}

/// The scopes given: a URI as it is, a bare `category/value` under
/// `onvif://www.onvif.org/`; anything with white space or without a value is refused.
fn uris(given: &[String]) -> Result<Vec<String>, Failure> {
    given
        .iter()
        .map(|g| {
            let g = g.trim();
            if g.is_empty() || g.chars().any(char::is_whitespace) {
                return Err(Failure::usage(format!(
                    "{g:?} is not a scope: give a URI (spaces as %20), or category/value \
                     (`scopes name` and `scopes location` take plain text)"
                )));
            }
            if g.contains("://") {
                return Ok(g.to_owned());
            }
            match g.split_once('/') {
                Some((cat, val)) if !cat.is_empty() && !val.is_empty() => {
                    Ok(format!("onvif://www.onvif.org/{g}"))
                }
                _ => Err(Failure::usage(format!(
                    "{g:?} is not a scope: give a URI, or category/value (location/garden)"
                ))),
            }
        })
        .collect()
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
mod tests {
    use super::uris;

    #[test]
    fn bare_scopes_go_under_the_onvif_prefix_and_bad_ones_are_named() {
        let ok = uris(&["location/garden".into(), "http://example.com/x".into()]);
        assert_eq!(
            ok.ok(),
            Some(vec![
                "onvif://www.onvif.org/location/garden".to_owned(),
                "http://example.com/x".to_owned()
            ])
        );
        for bad in ["garden", "name/Front door", "/x", ""] {
            let e = uris(&[bad.into()]).err().map(|f| f.message);
            assert!(
                e.as_deref().is_some_and(|m| m.contains("is not a scope")),
                "{bad}: {e:?}"
            );
        }
    }
}
