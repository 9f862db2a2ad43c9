//! The element tree: elements with their namespace, attributes, children and text, and
//! qualified names read from values.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::scope::Scope;

/// The most camera mistakes of one kind that [`Element::placeholders`] and
/// [`Element::unbound_names`] report for one answer.
pub const MAX_REPORTED: usize = 20;

/// Where parsing stopped and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed XML at line {line}, column {column} (byte {position}): {message}")]
pub struct XmlError {
    /// Byte offset into the document as read: after decoding (lossy UTF-8, or Latin-1 when
    /// declared) and BOM removal.
    pub position: u64,
    /// 1-based line of `position`.
    pub line: u64,
    /// 1-based column of `position`, in characters.
    pub column: u64,
    /// What was wrong, in words.
    pub message: String,
}

/// An attribute, with its namespace resolved (unprefixed attributes have none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attr {
    /// Shared with the elements and attributes of the document in the same namespace.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_ns"
    )]
    pub ns: Option<Arc<str>>,
    /// Local name.
    pub name: String,
    /// The value, with entities unescaped.
    pub value: String,
}

fn serialize_ns<S: serde::Serializer>(ns: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_some(ns.as_deref().unwrap_or_default())
}

/// One element of a parsed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Namespace URI, or `None` when the element has no namespace or its prefix is unbound.
    /// Shared between the elements of a document that are in the same namespace.
    pub ns: Option<Arc<str>>,
    /// Local name.
    pub name: String,
    /// The prefix was used but bound nowhere.
    pub unbound: bool,
    /// Attributes in document order (namespace declarations are in `scope`, not here).
    pub attrs: Vec<Attr>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The element's own character data (text and CDATA), concatenated, untrimmed.
    pub text: String,
    /// Namespace declarations in scope here (for QName values such as fault codes and topics).
    pub scope: Scope,
}

impl Element {
    /// A new element with no namespace scope (for building trees by hand, e.g. in tests).
    pub fn new(ns: Option<&str>, name: &str) -> Self {
        Element {
            ns: ns.map(Arc::from),
            name: name.to_owned(),
            unbound: false,
            attrs: Vec::new(),
            children: Vec::new(),
            text: String::new(),
            scope: Scope::default(),
        }
    }

    /// Is this element `{ns}name`? An element with an unbound prefix matches on its name alone.
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.name == name && (self.unbound || self.ns.as_deref() == Some(ns))
    }

    /// The first child `{ns}name`. A child whose prefix is unbound stands in for it only when
    /// no child of that name is in the right namespace, and no sibling of that name is bound to
    /// another namespace (then the unbound one could be either: it is not read).
    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        let exact = self
            .children
            .iter()
            .find(|c| !c.unbound && c.name == name && c.ns.as_deref() == Some(ns));
        exact.or_else(|| {
            let stand_in = self.children.iter().find(|c| c.unbound && c.name == name)?;
            self.unbound_stands_for(ns, name).then_some(stand_in)
        })
    }

    /// Every child `{ns}name`, in document order, and children of that name whose prefix is
    /// unbound unless a sibling of the name is bound to another namespace.
    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        let unbound_ok = self.unbound_stands_for(ns, name);
        self.children.iter().filter(move |c| {
            c.name == name
                && if c.unbound {
                    unbound_ok
                } else {
                    c.ns.as_deref() == Some(ns)
                }
        })
    }

    /// May a child `x:name` with an unbound prefix be read as `{ns}name`? Not when a sibling
    /// of the same name is bound to another namespace: the name is ambiguous at that place.
    fn unbound_stands_for(&self, ns: &str, name: &str) -> bool {
        !self
            .children
            .iter()
            .any(|c| !c.unbound && c.name == name && c.ns.as_deref() != Some(ns))
    }

    /// Where this element and its descendants hold template leftovers (`{{utc_time}}`)
    /// instead of values: paths of local names, `@attr` for attributes
    /// (`PTZStatus/MoveStatus/PanTilt`, `Position/PanTilt@x`). At most [`MAX_REPORTED`].
    pub fn placeholders(&self) -> Vec<String> {
        let mut out = Vec::new();
        // Depth first with one path of names (a path is only built for what is reported) and
        // one iterator per level: memory in proportion to the depth, not the width.
        let mut path: Vec<&str> = Vec::new();
        let mut levels: Vec<std::slice::Iter<'_, Element>> = Vec::new();
        let mut next = Some(self);
        while out.len() < MAX_REPORTED {
            let Some(e) = next.take() else {
                match levels.last_mut() {
                    None => break,
                    Some(level) => match level.next() {
                        Some(c) => next = Some(c),
                        None => {
                            levels.pop();
                            path.pop();
                        }
                    },
                }
                continue;
            };
            path.push(&e.name);
            if crate::text::is_placeholder(&e.text) {
                out.push(path.join("/"));
            }
            for a in &e.attrs {
                if crate::text::is_placeholder(&a.value) {
                    out.push(format!("{}@{}", path.join("/"), a.name));
                }
            }
            levels.push(e.children.iter());
        }
        out.truncate(MAX_REPORTED);
        out
    }

    /// Local names of this element and its descendants whose prefix is bound nowhere (a
    /// camera's mistake worth reporting), in document order, each once, at most
    /// [`MAX_REPORTED`].
    pub fn unbound_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut levels: Vec<std::slice::Iter<'_, Element>> =
            vec![std::slice::from_ref(self).iter()];
        while let Some(level) = levels.last_mut() {
            let Some(e) = level.next() else {
                levels.pop();
                continue;
            };
            if e.unbound && !out.contains(&e.name.as_str()) {
                out.push(&e.name);
                if out.len() == MAX_REPORTED {
                    break;
                }
            }
            levels.push(e.children.iter());
        }
        out
    }

    /// The first child with this local name in any namespace. Only for places where cameras are
    /// known to disagree on the namespace (each use says why).
    pub fn child_any_ns(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Follow a path of `{ns}name` steps.
    pub fn path(&self, steps: &[(&str, &str)]) -> Option<&Element> {
        let mut at = self;
        for (ns, name) in steps {
            at = at.child(ns, name)?;
        }
        Some(at)
    }

    /// The element's text with surrounding whitespace removed.
    pub fn text(&self) -> &str {
        self.text.trim()
    }

    /// The trimmed text of child `{ns}name`.
    pub fn child_text(&self, ns: &str, name: &str) -> Option<&str> {
        self.child(ns, name).map(Element::text)
    }

    /// An unqualified attribute (the usual case in ONVIF: `token="..."`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// A namespace-qualified attribute.
    pub fn attr_ns(&self, ns: &str, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(ns) && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The namespace URI bound to `prefix` at this element (`""` for the default namespace).
    pub fn lookup_prefix(&self, prefix: &str) -> Option<&str> {
        self.scope.lookup(prefix)
    }

    /// Resolve a QName value (`ter:NotAuthorized`) against the declarations in scope. A value
    /// that is no QName is read so that the name, written back alone, reads the same: the
    /// prefix is what comes before the last colon (`a:b:c` is `c` in `a:b`, a prefix bound
    /// nowhere), and spaces around either part are dropped.
    pub fn resolve_qname(&self, value: &str) -> QNameValue {
        let value = value.trim();
        let (prefix, local) = match value.rsplit_once(':') {
            Some((p, l)) => (p.trim(), l.trim()),
            None => ("", value),
        };
        QNameValue {
            ns: self.lookup_prefix(prefix).map(str::to_owned),
            name: local.to_owned(),
        }
    }

    /// First element child, if any.
    pub fn first_child(&self) -> Option<&Element> {
        self.children.first()
    }

    /// Every descendant (depth first, self excluded).
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

/// A resolved QName value: namespace URI (when the prefix is bound) and local name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QNameValue {
    /// The namespace URI; `None` when the prefix (or, unprefixed, a default namespace) is declared
    /// nowhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
}

impl QNameValue {
    /// Is this `{ns}name`? A value without a namespace matches on its local name alone.
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.name == name && self.ns.as_deref().is_none_or(|n| n == ns)
    }
}

impl fmt::Display for QNameValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{{{ns}}}{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Serialises as a generic tree: `{ "name", "ns", "attrs", "text", "children" }`.
impl Serialize for Element {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &self.name)?;
        if let Some(ns) = self.ns.as_deref() {
            m.serialize_entry("ns", ns)?;
        }
        if !self.attrs.is_empty() {
            m.serialize_entry("attrs", &self.attrs)?;
        }
        if !self.text().is_empty() {
            m.serialize_entry("text", self.text())?;
        }
        if !self.children.is_empty() {
            m.serialize_entry("children", &self.children)?;
        }
        m.end()
    }
}
