//! Topics: a message's topic resolved by namespace (each step's prefix looked up in the
//! declarations in scope at the `Topic` element), and topic filters (an expression in a
//! dialect, with the declarations its prefixes need) and how they match.

use serde::Serialize;

use crate::codec::Node;
use crate::error::Error;
use crate::xml::{Element, Writer};

/// The ONVIF topic namespace (`tns1:`).
pub const TNS1: &str = "http://www.onvif.org/ver10/topics";
/// WS-Topics (`wstop:`), where `TopicSet` and the `topic` attribute live.
pub const WSTOP: &str = "http://docs.oasis-open.org/wsn/t-1";

/// Topic expression dialects.
pub mod dialect {
    /// ONVIF's concrete set (`tns1:RuleEngine//.|tns1:Device//.`).
    pub const CONCRETE_SET: &str = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";
    /// WS-Topics concrete.
    pub const CONCRETE: &str = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete";
    /// WS-Topics simple.
    pub const SIMPLE: &str = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Simple";
}

/// One step of a topic path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicStep {
    /// Namespace of the step's prefix (`None` when unprefixed or unbound).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// The step's prefix is declared nowhere (a camera's mistake): its namespace is unknown,
    /// so it matches no rule or tree entry that names one, and later unprefixed steps do not
    /// take the namespace of the steps before it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unbound: bool,
}

impl TopicStep {
    /// The steps of a topic path's parts, each prefix resolved by `lookup`. Empty parts are
    /// skipped, and so is a step that names nothing (`tns1:` alone, an empty step once
    /// written). With `mark_unbound`, a prefix `lookup` does not know marks its step unbound.
    fn parse<'a>(
        parts: impl Iterator<Item = &'a str>,
        lookup: impl Fn(&str) -> Option<String>,
        mark_unbound: bool,
    ) -> Vec<TopicStep> {
        parts
            .filter(|s| !s.is_empty())
            // The prefix is what comes before the last colon: a step with two (no QName)
            // then has an unbound prefix and a name without a colon, which reads the same
            // once written.
            .map(|s| match s.rsplit_once(':') {
                Some((p, n)) => {
                    let ns = lookup(p);
                    TopicStep {
                        unbound: mark_unbound && ns.is_none(),
                        ns,
                        name: n.to_owned(),
                    }
                }
                None => TopicStep {
                    unbound: false,
                    ns: None,
                    name: s.to_owned(),
                },
            })
            .filter(|s| !s.name.is_empty())
            .collect()
    }

    /// The steps' names joined by `/`.
    pub(crate) fn path(steps: &[TopicStep]) -> String {
        steps
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The namespace step `i` belongs to: its own, or for an unprefixed step (a child topic, as
/// WS-Topics writes them) that of the closest step before it that has one.
pub fn effective_ns(steps: &[TopicStep], i: usize) -> Option<&str> {
    effective_namespaces(steps.get(..=i).unwrap_or(steps))
        .pop()
        .flatten()
}

/// [`effective_ns`] of every step, in one pass (comparing step by step with `effective_ns`
/// would cost the square of a topic's length, and a camera chooses that length).
pub fn effective_namespaces(steps: &[TopicStep]) -> Vec<Option<&str>> {
    let mut current: Option<&str> = None;
    steps
        .iter()
        .map(|s| {
            if s.ns.is_some() || s.unbound {
                current = s.ns.as_deref();
            }
            current
        })
        .collect()
}

/// A message's topic, resolved by namespace. Two topics are equal when their steps (namespace
/// and name) and dialect are, whatever prefixes they were written with.
#[derive(Debug, Clone, Eq, Serialize)]
pub struct Topic {
    /// Prefix-free path (`RuleEngine/CellMotionDetector/Motion`).
    pub path: String,
    /// Namespace of the first step (`http://www.onvif.org/ver10/topics` for `tns1:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Every step with its own namespace (`None` for unprefixed steps), so a vendor step
    /// such as `tnshik:AlarmIn` under `tns1:Device/Trigger` keeps its namespace.
    pub steps: Vec<TopicStep>,
    /// The text as sent.
    #[serde(skip)]
    pub raw: String,
    /// The dialect as sent (trimmed).
    #[serde(skip)]
    pub dialect: String,
}

impl PartialEq for Topic {
    fn eq(&self, other: &Topic) -> bool {
        self.dialect == other.dialect
            && self.steps.len() == other.steps.len()
            && self
                .steps
                .iter()
                .zip(&other.steps)
                .all(|(a, b)| a.name == b.name && a.unbound == b.unbound)
            && effective_namespaces(&self.steps) == effective_namespaces(&other.steps)
    }
}

impl Topic {
    /// Resolve a topic expression's text against the declarations in scope at `el`. Trailing
    /// `//.`, `/` and whitespace are dropped; steps with unbound prefixes keep their name.
    pub fn resolve(el: &Element, text: &str) -> Topic {
        let raw = text.trim();
        let mut t = raw;
        loop {
            let before = t;
            t = t.trim_end();
            t = t.strip_suffix("//.").unwrap_or(t);
            t = t.strip_suffix("//*").unwrap_or(t);
            t = t.trim_end_matches('/');
            if t == before {
                break;
            }
        }
        let steps = TopicStep::parse(
            t.split('/').map(str::trim).filter(|s| *s != "."),
            |p| el.lookup_prefix(p).map(str::to_owned),
            true,
        );
        Topic {
            path: TopicStep::path(&steps),
            ns: steps.first().and_then(|s| s.ns.clone()),
            steps,
            raw: raw.to_owned(),
            dialect: el.attr("Dialect").unwrap_or_default().trim().to_owned(),
        }
    }

    /// A topic in the ONVIF namespace (`tns1:`) from a prefix-free path.
    pub fn onvif(path: &str) -> Topic {
        let steps: Vec<TopicStep> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, s)| TopicStep {
                unbound: false,
                ns: (i == 0).then(|| TNS1.to_owned()),
                name: s.to_owned(),
            })
            .collect();
        Topic {
            path: path.to_owned(),
            ns: Some(TNS1.to_owned()),
            raw: format!("tns1:{path}"),
            steps,
            dialect: dialect::CONCRETE_SET.to_owned(),
        }
    }

    /// Is this the ONVIF topic with this prefix-free path?
    pub fn is_onvif(&self, path: &str) -> bool {
        self.ns.as_deref() == Some(TNS1) && self.path == path
    }

    /// The path for people: step names joined by `/`, a step whose namespace differs from the
    /// first step's written `{uri}Name` (`Device/Trigger/{http://www.hikvision.com/2011/event/topics}AlarmIn`),
    /// the form a kind rule accepts.
    pub fn display_path(&self) -> String {
        let first = self.steps.first().and_then(|s| s.ns.as_deref());
        self.steps
            .iter()
            .enumerate()
            .map(|(i, s)| match s.ns.as_deref() {
                Some(ns) if i > 0 && Some(ns) != first => format!("{{{ns}}}{}", s.name),
                _ => s.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Hand-written [`Node`]: the text is a path of QNames, resolved against the declarations in
/// scope when read, and written with prefixes declared on the element itself.
impl Node for Topic {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(Topic::resolve(el, &el.text))
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        // (prefix, URI). ONVIF's own topics take `tns1`, as cameras write them: clients that
        // match topics as text (Home Assistant's parsers are keyed on `tns1:...`) know no
        // other prefix. Other namespaces get `tp0`, `tp1`...
        let mut decls: Vec<(String, String)> = Vec::new();
        let mut text = Vec::new();
        for s in &self.steps {
            match &s.ns {
                Some(uri) => {
                    let p = match decls.iter().find(|(_, u)| u == uri) {
                        Some((p, _)) => p.clone(),
                        None => {
                            let p = if uri == TNS1 {
                                "tns1".to_owned()
                            } else {
                                let others = decls.iter().filter(|(p, _)| p != "tns1").count();
                                format!("tp{others}")
                            };
                            decls.push((p.clone(), uri.clone()));
                            p
                        }
                    };
                    text.push(format!("{p}:{}", s.name));
                }
                // A step whose prefix the camera never declared stays that way: written
                // bare, it would take the namespace of the steps before it.
                None if s.unbound => text.push(format!("undeclared:{}", s.name)),
                None => text.push(s.name.clone()),
            }
        }
        let dialect = if self.dialect.is_empty() {
            dialect::CONCRETE_SET
        } else {
            self.dialect.as_str()
        };
        let decls: Vec<(String, &str)> = decls
            .iter()
            .map(|(p, u)| (format!("xmlns:{p}"), u.as_str()))
            .collect();
        let mut attrs: Vec<(&str, &str)> = vec![("Dialect", dialect)];
        attrs.extend(decls.iter().map(|(k, v)| (k.as_str(), *v)));
        w.open(tag, &attrs).text(&text.join("/")).close(tag);
    }
}

/// A topic filter: a topic expression, its dialect and the namespace declarations its prefixes
/// need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicFilter {
    /// The expression (`tns1:RuleEngine//.`).
    pub expression: String,
    /// Its dialect (see [`dialect`]).
    pub dialect: String,
    /// (prefix, URI) declarations for the expression's prefixes.
    pub namespaces: Vec<(String, String)>,
}

impl TopicFilter {
    /// A concrete-set expression. `tns1` (ONVIF's topics) is declared, and `tnsaxis` when
    /// the expression uses it (Axis' namespace, as in the recorded Axis answers), so the
    /// camera can resolve them.
    pub fn concrete_set(expression: &str) -> TopicFilter {
        let mut known: Vec<(&str, &str)> = vec![("tns1", TNS1)];
        if expression.contains("tnsaxis:") {
            known.push(("tnsaxis", "http://www.axis.com/2009/event/topics"));
        }
        TopicFilter {
            expression: expression.to_owned(),
            dialect: dialect::CONCRETE_SET.to_owned(),
            namespaces: known
                .iter()
                .map(|(p, u)| ((*p).to_owned(), (*u).to_owned()))
                .collect(),
        }
    }

    /// Does a topic match this filter? Alternatives (`|`) are tried in turn; `//.` (or a
    /// trailing `//*`) matches the step and everything below it. Steps are compared by
    /// namespace (through [`TopicFilter::namespaces`]) and local name.
    pub fn matches(&self, topic: &Topic) -> bool {
        self.expression
            .split('|')
            .any(|alt| self.alternative_matches(alt.trim(), topic))
    }

    fn alternative_matches(&self, alt: &str, topic: &Topic) -> bool {
        let (base, subtree) = match alt.strip_suffix("//.").or_else(|| alt.strip_suffix("//*")) {
            Some(b) => (b, true),
            None => (alt, false),
        };
        let steps = TopicStep::parse(
            base.split('/'),
            |p| {
                self.namespaces
                    .iter()
                    .rev()
                    .find(|(q, _)| q == p)
                    .map(|(_, u)| u.clone())
            },
            false,
        );
        if steps.is_empty() {
            return alt.trim() == "//." || alt.is_empty();
        }
        if steps.len() > topic.steps.len() || (!subtree && steps.len() != topic.steps.len()) {
            return false;
        }
        steps
            .iter()
            .zip(&topic.steps)
            .all(|(f, t)| f.name == t.name && (f.ns.is_none() || t.ns.is_none() || f.ns == t.ns))
    }
}

/// The longest topic filter read, in bytes.
pub const MAX_FILTER_CHARS: usize = 4096;
/// The most alternatives (`a|b|c`) a topic filter read may have.
pub const MAX_FILTER_ALTERNATIVES: usize = 64;

/// The declarations in scope at a topic expression for the prefixes its text uses.
fn used_prefixes(t: &Element) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for step in t.text().split(['/', '|']) {
        if let Some((p, _)) = step.trim().split_once(':')
            && !out.iter().any(|(q, _)| q == p)
            && let Some(uri) = t.lookup_prefix(p)
        {
            out.push((p.to_owned(), uri.to_owned()));
        }
    }
    out
}

/// Hand-written [`Node`]: the declarations the expression's prefixes need are written as
/// `xmlns:` attributes, and read back from those in scope.
impl Node for TopicFilter {
    /// A filter longer than 4,096 bytes or of more than 64 alternatives is refused: each
    /// notification is matched against every alternative.
    fn read_node(t: &Element) -> Result<Self, Error> {
        let text = t.text();
        let alternatives = text.split('|').count();
        if text.len() > MAX_FILTER_CHARS || alternatives > MAX_FILTER_ALTERNATIVES {
            let start: String = text.chars().take(40).collect();
            return Err(Error::invalid(
                "TopicExpression",
                format!("{start}…"),
                format!(
                    "{} characters in {alternatives} alternatives; at most \
                     {MAX_FILTER_CHARS} characters and {MAX_FILTER_ALTERNATIVES} alternatives",
                    text.len()
                ),
            ));
        }
        Ok(TopicFilter {
            expression: t.text().to_owned(),
            dialect: t.attr("Dialect").unwrap_or_default().trim().to_owned(),
            namespaces: used_prefixes(t),
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        let decls: Vec<(String, &str)> = self
            .namespaces
            .iter()
            .map(|(p, u)| (format!("xmlns:{p}"), u.as_str()))
            .collect();
        let mut attrs: Vec<(&str, &str)> = vec![("Dialect", self.dialect.as_str())];
        attrs.extend(decls.iter().map(|(k, v)| (k.as_str(), *v)));
        w.open(tag, &attrs).text(&self.expression).close(tag);
    }
}
