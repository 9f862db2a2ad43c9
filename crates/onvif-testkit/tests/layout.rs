//! The workspace's layout rules, read off its source: inside each crate no module imports one
//! that (through others) imports it back, and no Rust file is over 800 lines. Both had crept
//! back once with new services; here they fail the build instead.
//!
//! A module is a file (`a/b.rs` is `a::b`, `a/mod.rs` is `a`); an edge is any path in it that
//! names another file's module: `use` trees, paths in code, and `crate::`, `super::` and
//! `child::` paths in macro calls. A `#[cfg(test)]` module is left out (it may `use super::*`),
//! and inside an inline `mod x { .. }` a `super::` names the file's own module. The crate root
//! is left out too: it declares every module and re-exports from them, and what it defines
//! itself (a crate's constants, its error type) is used everywhere.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

const MAX_LINES: usize = 800;

type Module = Vec<String>;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() {
            if name != "target" && !name.to_string_lossy().starts_with('.') {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_rust_file_is_over_800_lines() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in ["crates", "fuzz"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "only {} Rust files found", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).ok()?.lines().count();
            let shown = p.strip_prefix(&root).unwrap_or(p).display();
            (n > MAX_LINES).then(|| format!("{shown} ({n} lines)"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines (split by section into a folder, as tests/ptz/ is): {long:?}"
    );
}

/// A crate's file modules, and the names its root brings in (`pub use a::{X, Y}`: `crate::X`
/// is `a::X`).
struct Crate {
    files: BTreeMap<Module, PathBuf>,
    reexports: HashMap<String, Vec<String>>,
}

impl Crate {
    fn read(src: &Path) -> Crate {
        let mut paths = Vec::new();
        rust_files(src, &mut paths);
        let mut files = BTreeMap::new();
        for p in paths {
            let rel = p.strip_prefix(src).unwrap().with_extension("");
            let mut m: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let top = m.len() == 1;
            if m.last()
                .is_some_and(|l| l == "mod" || top && (l == "lib" || l == "main"))
            {
                m.pop();
            }
            files.insert(m, p);
        }
        let mut reexports = HashMap::new();
        if let Some(root) = files.get(&Vec::new()) {
            for item in parse(root).items {
                // Any `use` of the root, public or not, is a name every module may use.
                if let syn::Item::Use(u) = item {
                    for (mut segs, name) in expand(&u.tree) {
                        // `use crate::a::X;` and `use self::a::X;` in the root are `a::X`.
                        if segs.first().is_some_and(|f| f == "crate" || f == "self") {
                            segs.remove(0);
                        }
                        if let Some(name) = name {
                            reexports.insert(name, segs);
                        }
                    }
                }
            }
        }
        Crate { files, reexports }
    }

    /// The file module a path from the crate root lands in (the longest prefix that is one),
    /// through the root's `use` names (which may name each other).
    fn resolve(&self, segs: &[String]) -> Option<Module> {
        let mut segs = segs.to_vec();
        for _ in 0..8 {
            match segs.first() {
                Some(first) if !self.files.contains_key(std::slice::from_ref(first)) => {
                    let Some(to) = self.reexports.get(first) else {
                        break;
                    };
                    segs = to.iter().chain(&segs[1..]).cloned().collect();
                }
                _ => break,
            }
        }
        (1..=segs.len())
            .rev()
            .map(|i| segs[..i].to_vec())
            .find(|m| self.files.contains_key(m))
    }
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap();
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A `use` tree as the paths it names, each with the name it brings in (`None` for a glob).
fn expand(tree: &syn::UseTree) -> Vec<(Vec<String>, Option<String>)> {
    match tree {
        syn::UseTree::Path(p) => expand(&p.tree)
            .into_iter()
            .map(|(mut segs, name)| {
                segs.insert(0, p.ident.to_string());
                (segs, name)
            })
            .collect(),
        syn::UseTree::Name(n) => vec![(vec![n.ident.to_string()], Some(n.ident.to_string()))],
        syn::UseTree::Rename(r) => vec![(vec![r.ident.to_string()], Some(r.rename.to_string()))],
        syn::UseTree::Glob(_) => vec![(Vec::new(), None)],
        syn::UseTree::Group(g) => g.items.iter().flat_map(expand).collect(),
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string() == "test")
    })
}

/// The paths of one file that name other modules of its crate.
struct Edges<'a> {
    krate: &'a Crate,
    /// The file's module.
    file: Module,
    /// The inline modules the visitor is in.
    inline: Vec<String>,
    /// `mod x;` declarations of the file.
    children: BTreeSet<String>,
    found: BTreeSet<(Module, String)>,
}

impl Edges<'_> {
    /// A path as written (`crate::a::B`, `super::c`, `self::d`, `child::e`); `used` when it
    /// comes from a `use` tree (where `use child::*` names `child` alone).
    fn add(&mut self, segs: &[String], used: bool) {
        let Some(first) = segs.first() else { return };
        let mut here: Module = self.file.iter().chain(&self.inline).cloned().collect();
        let mut rest = segs;
        let absolute: Module = match first.as_str() {
            "crate" => segs[1..].to_vec(),
            "self" | "super" => {
                while let Some(s) = rest.first() {
                    match s.as_str() {
                        "self" => {}
                        "super" => {
                            here.pop();
                        }
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                here.into_iter().chain(rest.iter().cloned()).collect()
            }
            // `child::item` (in code, a child module's name alone may be a local's).
            name if (used || segs.len() > 1)
                && self.inline.is_empty()
                && self.children.contains(name) =>
            {
                self.file.iter().chain(segs).cloned().collect()
            }
            _ => return,
        };
        if let Some(m) = self.krate.resolve(&absolute)
            && m != self.file
            && !m.is_empty()
        {
            self.found.insert((m, segs.join("::")));
        }
    }

    /// `crate::`, `super::`, `self::` and `child::` paths in a macro call's tokens (not
    /// `$crate::`, nor a `child` inside another path); a
    /// `mod name { .. }` (or `mod $name { .. }`) in them is an inline module.
    fn tokens(&mut self, ts: TokenStream) {
        let tokens: Vec<TokenTree> = ts.into_iter().collect();
        let punct = |i: usize, c: char| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Ident(id) if id == "mod" => {
                    // `mod x {` or `mod $x {`
                    let body = if punct(i + 1, '$') { i + 3 } else { i + 2 };
                    if let Some(TokenTree::Group(g)) = tokens.get(body)
                        && g.delimiter() == proc_macro2::Delimiter::Brace
                    {
                        self.inline.push("(macro)".into());
                        self.tokens(g.stream());
                        self.inline.pop();
                        i = body + 1;
                        continue;
                    }
                }
                // `pub(crate)`, `pub(in crate::a)`: who may see an item, not a use.
                TokenTree::Group(g)
                    if g.delimiter() == proc_macro2::Delimiter::Parenthesis
                        && i > 0
                        && matches!(&tokens[i - 1], TokenTree::Ident(p) if p == "pub") => {}
                TokenTree::Group(g) => self.tokens(g.stream()),
                // Not `$crate::`, nor a name inside another path (`x::child::y`).
                TokenTree::Ident(id)
                    if (matches!(id.to_string().as_str(), "crate" | "super" | "self")
                        || (self.inline.is_empty() && self.children.contains(&id.to_string())))
                        && !(i > 0 && punct(i - 1, '$'))
                        && !(i > 1 && punct(i - 1, ':') && punct(i - 2, ':')) =>
                {
                    let mut segs = vec![id.to_string()];
                    let mut j = i + 1;
                    while punct(j, ':') && punct(j + 1, ':') {
                        match tokens.get(j + 2) {
                            Some(TokenTree::Ident(n)) => {
                                segs.push(n.to_string());
                                j += 3;
                            }
                            _ => break,
                        }
                    }
                    // A bare `super` (`pub(super)`) names no item; `super::*` does.
                    let glob = punct(j, ':') && punct(j + 1, ':') && punct(j + 2, '*');
                    if segs.len() > 1 || glob {
                        self.add(&segs, glob);
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Edges<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if is_cfg_test(&m.attrs) {
            return;
        }
        match &m.content {
            None => {
                if self.inline.is_empty() {
                    self.children.insert(m.ident.to_string());
                }
            }
            Some(_) => {
                self.inline.push(m.ident.to_string());
                syn::visit::visit_item_mod(self, m);
                self.inline.pop();
            }
        }
    }

    // `pub(super)`, `pub(in crate::a)`: who may see an item, not a use of another module.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        for (segs, _) in expand(&u.tree) {
            self.add(&segs, true);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(&segs, false);
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }
}

/// Every edge of a crate's module graph, with a path that makes it.
fn graph(krate: &Crate) -> BTreeMap<Module, BTreeSet<(Module, String)>> {
    let mut g = BTreeMap::new();
    for (m, path) in &krate.files {
        let file = parse(path);
        // `mod x;` declarations first, so that `x::..` paths above them count too.
        let mut children = BTreeSet::new();
        for item in &file.items {
            if let syn::Item::Mod(d) = item
                && d.content.is_none()
                && !is_cfg_test(&d.attrs)
            {
                children.insert(d.ident.to_string());
            }
        }
        let mut e = Edges {
            krate,
            file: m.clone(),
            inline: Vec::new(),
            children,
            found: BTreeSet::new(),
        };
        e.visit_file(&file);
        g.insert(m.clone(), e.found);
    }
    g
}

/// The strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(g: &BTreeMap<Module, BTreeSet<(Module, String)>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        g: &'a BTreeMap<Module, BTreeSet<(Module, String)>>,
        index: HashMap<&'a Module, usize>,
        low: HashMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    impl<'a> T<'a> {
        fn strong(&mut self, v: &'a Module) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on.insert(v);
            for (w, _) in self.g.get(v).into_iter().flatten() {
                let Some((w, _)) = self.g.get_key_value(w) else {
                    continue;
                };
                if !self.index.contains_key(w) {
                    self.strong(w);
                    self.low.insert(v, self.low[v].min(self.low[w]));
                } else if self.on.contains(w) {
                    self.low.insert(v, self.low[v].min(self.index[w]));
                }
            }
            if self.low[v] == self.index[v] {
                let mut c = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on.remove(w);
                    c.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if c.len() > 1 {
                    self.out.push(c);
                }
            }
        }
    }
    let mut t = T {
        g,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            t.strong(v);
        }
    }
    t.out
}

#[test]
fn no_crate_has_an_import_cycle() {
    let root = workspace();
    let mut crates = Vec::new();
    for e in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        let src = e.path().join("src");
        if src.is_dir() {
            crates.push(src);
        }
    }
    crates.sort();
    assert!(crates.len() >= 6, "{crates:?}");
    let mut report = String::new();
    let mut modules = 0;
    for src in &crates {
        let krate = Crate::read(src);
        let g = graph(&krate);
        modules += g.len();
        // `ONVIF_LAYOUT_GRAPH=1 cargo test -p onvif-testkit --test layout -- --nocapture`
        // prints every edge.
        if std::env::var_os("ONVIF_LAYOUT_GRAPH").is_some() {
            for (m, to) in &g {
                for (t, why) in to {
                    println!(
                        "{}: {} -> {} ({why})",
                        src.display(),
                        m.join("::"),
                        t.join("::")
                    );
                }
            }
        }
        for c in cycles(&g) {
            let name = |m: &Module| m.join("::");
            let members: BTreeSet<&Module> = c.iter().collect();
            report += &format!("{}: a cycle of {} modules\n", src.display(), c.len());
            for m in &members {
                for (to, why) in &g[*m] {
                    if members.contains(to) {
                        report += &format!("  {} -> {} ({why})\n", name(m), name(to));
                    }
                }
            }
        }
    }
    assert!(modules > 200, "only {modules} modules read");
    assert!(report.is_empty(), "{report}");
}

/// The checker itself: a made-up crate with one loop and one module outside it.
#[test]
fn a_loop_through_three_modules_is_found_and_an_inline_super_is_not_one() {
    let dir = std::env::temp_dir().join(format!("layout-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).unwrap();
    let write = |p: &str, s: &str| std::fs::write(dir.join(p), s).unwrap();
    write(
        "lib.rs",
        "mod a;\nmod b;\nmod c;\nmod d;\npub use c::Thing;\npub use a::leaf;\n\
         use crate::a::leaf::Leaf;\n",
    );
    write(
        "a/mod.rs",
        "mod inner;\npub mod leaf;\nmod glob;\npub use inner::*;\nuse crate::b::f;\n\
         m!(leaf::x);\nm!(glob::*);\n",
    );
    write("a/leaf.rs", "pub struct Leaf;\n");
    write("a/glob.rs", "");
    // Only the crate's own main.rs is a root: this one is the module b::main.
    std::fs::create_dir_all(dir.join("b")).unwrap();
    write("b/main.rs", "");
    // Paths in macro calls: after `in` and after a single `:` they count; in `pub(..)` not.
    write(
        "d.rs",
        "m! { for x in crate::a::leaf::ALL {} }\nm! { f: crate::b::T }\n\
         m! { pub(in crate::c) fn h() {} }\n",
    );
    write(
        "a/inner.rs",
        "pub(super) fn g() { let _ = some!(crate::Thing); }\n",
    );
    write(
        "b.rs",
        "pub fn f() { super::a::inner::g(); }\nmod x { use super::*; }\n",
    );
    // c names its own module in a macro's inline module, a (through two of the root's names)
    // a::leaf, and b only in a visibility and inside a #[cfg(test)] module, left out.
    write(
        "c.rs",
        "pub struct Thing;\nm! { mod $x { use super::*; pub(in crate::b) fn h() {} } }\n\
         pub fn k() -> crate::Leaf { crate::Leaf }\n\
         #[cfg(test)]\nmod tests { use crate::b::f; }\n",
    );
    let krate = Crate::read(&dir);
    let g = graph(&krate);
    let _ = std::fs::remove_dir_all(&dir);
    let m = |s: &str| -> Module { s.split("::").map(String::from).collect() };
    let to =
        |from: &str| -> Vec<String> { g[&m(from)].iter().map(|(t, _)| t.join("::")).collect() };
    assert!(krate.files.contains_key(&m("b::main")));
    assert_eq!(
        to("a"),
        ["a::glob", "a::inner", "a::leaf", "b"],
        "a glob re-export names its module, and so does a path in a macro call"
    );
    assert_eq!(to("a::inner"), ["c"], "a re-exported name is its module's");
    assert_eq!(
        to("b"),
        ["a::inner"],
        "the inline module's super is b itself"
    );
    assert_eq!(
        to("c"),
        ["a::leaf"],
        "a name the root re-exports is its module's"
    );
    assert_eq!(to("d"), ["a::leaf", "b"]);
    assert!(cycles(&g).is_empty());
    // Close the loop: c -> a.
    let mut g2 = g.clone();
    g2.get_mut(&m("c"))
        .unwrap()
        .insert((m("a"), "crate::a".into()));
    let found = cycles(&g2);
    assert_eq!(found.len(), 1, "{found:?}");
    let mut members: Vec<String> = found[0].iter().map(|m| m.join("::")).collect();
    members.sort();
    assert_eq!(members, ["a", "a::inner", "b", "c"]);
}
