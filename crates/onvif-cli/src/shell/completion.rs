//! Tab completion: commands, options and their values from the command tree; profile tokens,
//! preset names and config cameras from a cache the session fills after each connect (never
//! from the network while Tab is pressed).

use std::sync::{Arc, Mutex};

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;

use crate::words::{quote, tokenize};

/// What completion draws on; filled after each connect.
#[derive(Debug, Default)]
pub struct Cache {
    pub profiles: Vec<String>,
    pub presets: Vec<String>,
    pub cameras: Vec<String>,
}

/// rustyline's view of the shell: completion from the command tree and the cache.
pub struct Helper {
    pub tree: Arc<clap::Command>,
    pub cache: Arc<Mutex<Cache>>,
}

impl Completer for Helper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let cache = match self.cache.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        Ok(complete(&self.tree, &cache, before))
    }
}

impl Hinter for Helper {
    type Hint = String;
}
impl Highlighter for Helper {}
impl Validator for Helper {}
impl rustyline::Helper for Helper {}

/// Candidates for the word under the cursor: its start and the words that fit.
fn complete(tree: &clap::Command, cache: &Cache, before: &str) -> (usize, Vec<Pair>) {
    let split = tokenize(before);
    let mut words = split.words;
    let (start, partial) = if split.ends_between && !split.open_quote {
        (before.len(), String::new())
    } else {
        match words.pop() {
            Some(w) => w,
            None => (before.len(), String::new()),
        }
    };

    // `help ptz pre…` completes like `ptz pre…`, command names only.
    let help = words.first().is_some_and(|(_, w)| w == "help");
    if help {
        words.remove(0);
    }

    // Walk the tree along the finished words.
    let mut cur = tree;
    let mut path: Vec<String> = Vec::new();
    let mut pending: Option<&clap::Arg> = None;
    let mut positional = 0usize;
    for (_, w) in &words {
        if pending.take().is_some() {
            continue;
        }
        if let Some(long) = w.strip_prefix("--") {
            if !long.contains('=') {
                pending = find_long(cur, tree, long).filter(|a| takes_value(a));
            }
        } else if let Some(shorts) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            pending = shorts
                .chars()
                .last()
                .and_then(|c| find_short(cur, tree, c))
                .filter(|a| takes_value(a));
        } else if let Some(sub) = cur.find_subcommand(w) {
            cur = sub;
            path.push(sub.get_name().to_owned());
            positional = 0;
        } else {
            positional += 1;
        }
    }

    let mut found: Vec<String> = Vec::new();
    if help {
        found.extend(
            cur.get_subcommands()
                .filter(|c| !c.is_hide_set())
                .map(|c| c.get_name().to_owned()),
        );
    } else if let Some(arg) = pending {
        found = values_for(arg, &path, cache);
    } else if partial.starts_with('-') {
        let mut seen = std::collections::BTreeSet::new();
        for a in cur.get_arguments().chain(tree.get_arguments()) {
            if a.is_hide_set() {
                continue;
            }
            if let Some(l) = a.get_long() {
                seen.insert(format!("--{l}"));
            }
        }
        found = seen.into_iter().collect();
    } else if cur.has_subcommands() {
        for sub in cur.get_subcommands() {
            if sub.is_hide_set() {
                continue;
            }
            found.push(sub.get_name().to_owned());
            found.extend(sub.get_visible_aliases().map(str::to_owned));
        }
    } else if let Some(arg) = cur.get_positionals().nth(positional) {
        found = values_for(arg, &path, cache);
    }
    let pairs = found
        .into_iter()
        .filter(|c| c.starts_with(partial.as_str()))
        .map(|c| Pair {
            replacement: format!("{} ", quote(&c)),
            display: c,
        })
        .collect();
    (start, pairs)
}

fn takes_value(a: &clap::Arg) -> bool {
    a.get_action().takes_values()
}

fn find_long<'a>(
    cur: &'a clap::Command,
    root: &'a clap::Command,
    long: &str,
) -> Option<&'a clap::Arg> {
    cur.get_arguments()
        .chain(root.get_arguments())
        .find(|a| a.get_long() == Some(long))
}

fn find_short<'a>(
    cur: &'a clap::Command,
    root: &'a clap::Command,
    c: char,
) -> Option<&'a clap::Arg> {
    cur.get_arguments()
        .chain(root.get_arguments())
        .find(|a| a.get_short() == Some(c))
}

/// The values an option or positional argument can take, as far as we know them.
fn values_for(arg: &clap::Arg, path: &[String], cache: &Cache) -> Vec<String> {
    let id = arg.get_id().as_str();
    let under = |p: &[&str]| path.len() >= p.len() && path[path.len() - p.len()..] == *p;
    if id == "profile" {
        return cache.profiles.clone();
    }
    if id == "camera" || (under(&["use"]) && id == "name") {
        return cache.cameras.clone();
    }
    if id == "name" && (under(&["preset", "goto"]) || under(&["preset", "remove"])) {
        return cache.presets.clone();
    }
    arg.get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect()
}

/// A device name worth offering on Tab: one with control characters (escape sequences the
/// completion list would send to the terminal) could not be typed anyway, nor one of a
/// length no person types.
pub fn completable(name: &str) -> bool {
    // Bidirectional overrides and isolates count too: they reorder what the list shows.
    name.len() <= 256 && !name.chars().any(onvif::proto::text::is_unsafe)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::args::shell_tree;

    #[test]
    fn osd_and_analytics_commands_complete() {
        let cache = Cache::default();
        let (_, c) = names("os", &cache);
        assert_eq!(c, ["osd"]);
        let (_, c) = names("osd ", &cache);
        assert!(
            c.contains(&"add".to_owned()) && c.contains(&"remove".to_owned()),
            "{c:?}"
        );
        let (_, c) = names("osd add --position ", &cache);
        assert!(c.contains(&"upper-left".to_owned()), "{c:?}");
        let (_, c) = names("analytics mo", &cache);
        assert_eq!(c, ["modules", "motion-region"]);
        let (_, c) = names("analytics motion-region --s", &cache);
        assert_eq!(c, ["--set"]);
    }

    #[test]
    fn device_names_with_escape_sequences_are_not_offered_on_tab() {
        assert!(completable("Profile_1"));
        assert!(completable("Front door"));
        assert!(!completable("Door\x1b]0;pwned\x07"));
        assert!(!completable(&"x".repeat(10_000)));
        assert!(!completable("door\u{202e}txt.exe"));
    }

    fn names(before: &str, cache: &Cache) -> (usize, Vec<String>) {
        let tree = shell_tree();
        let (start, pairs) = complete(&tree, cache, before);
        (start, pairs.into_iter().map(|p| p.display).collect())
    }

    #[test]
    fn completion_follows_the_command_tree_and_the_cache() {
        let cache = Cache {
            profiles: vec!["Profile_1".into(), "Profile_2".into()],
            presets: vec!["Front door".into(), "Gate".into()],
            cameras: vec!["garden".into(), "porch".into()],
        };
        let (start, c) = names("inf", &cache);
        assert_eq!((start, c), (0, vec!["info".to_owned()]));
        let (_, c) = names("", &cache);
        assert!(c.contains(&"connect".to_owned()) && c.contains(&"profiles".to_owned()));
        let (start, c) = names("stream-uri --profile Prof", &cache);
        assert_eq!(start, 21);
        assert_eq!(c, ["Profile_1", "Profile_2"]);
        let (_, c) = names("stream-uri --tr", &cache);
        assert_eq!(c, ["--trace", "--transport"]);
        let (_, c) = names("stream-uri --transport ", &cache);
        assert!(c.contains(&"rtsp-tcp".to_owned()));
        let (_, c) = names("ptz preset goto ", &cache);
        assert_eq!(c, ["Front door", "Gate"]);
        let (_, c) = names("ptz pre", &cache);
        assert_eq!(c, ["presets", "preset"]);
        let (_, c) = names("use ", &cache);
        assert_eq!(c, ["garden", "porch"]);
        let (_, c) = names("-H 10.0.0.1 inf", &cache);
        assert_eq!(c, ["info"]);
        let (_, c) = names("help prof", &cache);
        assert_eq!(c, ["profiles"]);
        let (_, c) = names("help ptz preset g", &cache);
        assert_eq!(c, ["goto"]);
        let (_, c) = names("trace o", &cache);
        assert_eq!(c, ["on", "off"]);
        let tree = shell_tree();
        let (_, p) = complete(&tree, &cache, "ptz preset goto Fr");
        assert_eq!(p[0].replacement, "'Front door' ");
    }
}

#[cfg(test)]
mod settings_tests;
