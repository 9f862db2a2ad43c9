//! Writing a parsed element (and its subtree) back as self-contained XML, for content of any
//! schema that is kept as a tree (reference parameters, element items) and echoed verbatim.

use super::element::Element;
use super::write::{escape, escape_attr};

/// Write an element (and its subtree) as self-contained XML: the namespace declarations in
/// scope are repeated on it, so prefixes used in names and in QName-valued text still resolve
/// wherever it is pasted.
pub fn element_to_xml(el: &Element) -> String {
    let mut out = String::new();
    write_element(el, None, None, &mut out);
    out
}

fn prefix_for<'a>(el: &'a Element, uri: &str, allow_default: bool) -> Option<&'a str> {
    el.scope
        .iter()
        .rev()
        .find(|(p, u)| {
            u == uri && (allow_default || !p.is_empty()) && el.lookup_prefix(p) == Some(uri)
        })
        .map(|(p, _)| p.as_str())
}

/// Write `el`; `out_default` is the default namespace in effect in the output around it (which
/// differs from the element's recorded scope for trees built by hand, whose scope is empty).
fn write_element(
    el: &Element,
    parent: Option<&Element>,
    out_default: Option<&str>,
    out: &mut String,
) {
    // Declarations: all in scope at the top, then those added below it (the last of a prefix).
    let new_decls: Vec<&(String, String)> = match parent {
        None => el.scope.iter().collect(),
        Some(p) => el.scope.declared_since(&p.scope),
    };
    let mut decls: Vec<(&str, &str)> = Vec::new();
    for (p, u) in new_decls.iter().rev() {
        if !decls.iter().any(|(q, _)| *q == p.as_str()) {
            decls.push((p, u));
        }
    }
    decls.reverse();
    let mut default: Option<&str> = out_default;
    if let Some((_, u)) = decls.iter().find(|(p, _)| p.is_empty()) {
        default = Some(*u).filter(|u| !u.is_empty());
    }
    let name = match &el.ns {
        Some(uri) if default == Some(&**uri) => el.name.clone(),
        Some(uri) => match prefix_for(el, uri, false) {
            Some(p) => format!("{p}:{}", el.name),
            None => {
                decls.retain(|(p, _)| !p.is_empty());
                decls.push(("", uri));
                default = Some(uri);
                el.name.clone()
            }
        },
        None => {
            if default.is_some() {
                decls.retain(|(p, _)| !p.is_empty());
                decls.push(("", ""));
                default = None;
            }
            el.name.clone()
        }
    };
    out.push('<');
    out.push_str(&name);
    for (p, u) in &decls {
        if p.is_empty() {
            out.push_str(&format!(" xmlns=\"{}\"", escape_attr(u)));
        } else {
            out.push_str(&format!(" xmlns:{p}=\"{}\"", escape_attr(u)));
        }
    }
    let mut extra = 0;
    for a in &el.attrs {
        let key = match &a.ns {
            Some(uri) => match prefix_for(el, uri, false) {
                Some(p) => format!("{p}:{}", a.name),
                None => {
                    extra += 1;
                    out.push_str(&format!(" xmlns:a{extra}=\"{}\"", escape_attr(uri)));
                    format!("a{extra}:{}", a.name)
                }
            },
            None => a.name.clone(),
        };
        out.push_str(&format!(" {key}=\"{}\"", escape_attr(&a.value)));
    }
    if el.children.is_empty() && el.text.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    out.push_str(&escape(&el.text));
    for c in &el.children {
        write_element(c, Some(el), default, out);
    }
    out.push_str("</");
    out.push_str(&name);
    out.push('>');
}
