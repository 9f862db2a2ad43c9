//! Namespace declarations in scope, shared between elements as a chain.

use std::fmt;
use std::sync::Arc;

/// Namespace declarations in scope at an element: (prefix, URI) pairs, outermost first; the
/// default namespace has an empty prefix. A shared chain: an element that declares prefixes
/// adds one link holding its own declarations and points at its parent's scope, so reading
/// costs memory in proportion to the declarations written, never a copy of every binding in
/// scope per element.
#[derive(Clone, Default)]
pub struct Scope(Option<Arc<ScopeLink>>);

struct ScopeLink {
    decls: Box<[(String, String)]>,
    parent: Scope,
    /// Declarations in this link and every link above it.
    len: usize,
}

impl Scope {
    /// A scope holding these declarations (outermost first) and nothing else.
    pub fn new(decls: Vec<(String, String)>) -> Scope {
        Scope::default().with(decls)
    }

    /// This scope with `decls` declared inside it (the same scope when there are none).
    pub fn with(&self, decls: Vec<(String, String)>) -> Scope {
        if decls.is_empty() {
            return self.clone();
        }
        let len = self.len() + decls.len();
        Scope(Some(Arc::new(ScopeLink {
            decls: decls.into_boxed_slice(),
            parent: self.clone(),
            len,
        })))
    }

    /// How many declarations are in scope (a prefix declared twice counts twice).
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |l| l.len)
    }

    /// Are no declarations in scope?
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The URI bound to `prefix` (`""` for the default namespace): the innermost declaration.
    pub fn lookup(&self, prefix: &str) -> Option<&str> {
        let mut at = self.0.as_deref();
        while let Some(link) = at {
            if let Some((_, uri)) = link.decls.iter().rev().find(|(p, _)| p == prefix) {
                return Some(uri);
            }
            at = link.parent.0.as_deref();
        }
        None
    }

    /// Every declaration in scope, outermost first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &(String, String)> {
        let mut links = Vec::new();
        let mut at = self.0.as_deref();
        while let Some(link) = at {
            links.push(link);
            at = link.parent.0.as_deref();
        }
        links.into_iter().rev().flat_map(|l| l.decls.iter())
    }

    /// The declarations made inside `outer` to reach this scope, outermost first: all of them
    /// when `outer` is not one of this scope's ancestors.
    pub fn declared_since(&self, outer: &Scope) -> Vec<&(String, String)> {
        let mut links = Vec::new();
        let mut at = self.0.as_ref();
        while let Some(link) = at {
            if outer.0.as_ref().is_some_and(|o| Arc::ptr_eq(o, link)) {
                return links
                    .into_iter()
                    .rev()
                    .flat_map(|l: &ScopeLink| l.decls.iter())
                    .collect();
            }
            links.push(link.as_ref());
            at = link.parent.0.as_ref();
        }
        if outer.is_empty() {
            return links
                .into_iter()
                .rev()
                .flat_map(|l| l.decls.iter())
                .collect();
        }
        self.iter().collect()
    }
}

impl PartialEq for Scope {
    fn eq(&self, other: &Scope) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for Scope {}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<(String, String)>> for Scope {
    fn from(decls: Vec<(String, String)>) -> Scope {
        Scope::new(decls)
    }
}
