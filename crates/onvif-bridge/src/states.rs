//! The ON/OFF states of a camera's event kinds: per source, with the timers that turn them OFF
//! for cameras that never do.

use std::collections::{BTreeMap, HashMap};

use onvif::events::Event;
use tokio::time::Instant;

use crate::topics::level_of;

/// Where a state comes from: all of its event's source items, so that two rules on one video
/// source (`VideoSourceConfigurationToken`, `VideoAnalyticsConfigurationToken`, `Rule`) are
/// two states; and the topic level it is published under, its first item's value. The
/// per-source topic is ON while any state under its level is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Source {
    pub level: String,
    pub items: Vec<(String, String)>,
}

/// A state's key: its kind and source.
pub(crate) type Key = (String, Option<Source>);

/// A kind's state per source, and when states go OFF by themselves.
#[derive(Default)]
pub(crate) struct States {
    pub on: HashMap<Key, bool>,
    pub clear: BTreeMap<Key, Instant>,
}

impl States {
    pub(crate) fn next_clear(&self) -> Option<Instant> {
        self.clear.values().min().copied()
    }

    pub(crate) fn expired(&mut self, now: Instant) -> Vec<Key> {
        let due: Vec<_> = self
            .clear
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(k, _)| k.clone())
            .collect();
        for k in &due {
            self.clear.remove(k);
        }
        due
    }

    /// Every state waiting to be cleared, no longer waiting.
    pub(crate) fn take_clears(&mut self) -> Vec<Key> {
        std::mem::take(&mut self.clear).into_keys().collect()
    }

    /// Is any source of this kind on?
    pub(crate) fn any_on(&self, kind: &str) -> bool {
        self.on.iter().any(|((k, _), on)| k == kind && *on)
    }

    /// Is any source of this kind under this topic level on?
    pub(crate) fn any_on_at(&self, kind: &str, level: &str) -> bool {
        self.on
            .iter()
            .any(|((k, s), on)| k == kind && *on && s.as_ref().is_some_and(|s| s.level == level))
    }
}

/// The source of an event; none when it names none.
pub(crate) fn source_of(e: &Event) -> Option<Source> {
    let first = e.source.first()?;
    Some(Source {
        level: level_of(&first.value),
        items: e
            .source
            .iter()
            .map(|i| (i.name.clone(), i.value.clone()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// The source of a rule's event on a video source: its level is the video source's.
    fn source(video: &str, rule: &str) -> Option<Source> {
        Some(Source {
            level: video.into(),
            items: vec![
                ("VideoSourceConfigurationToken".into(), video.into()),
                ("Rule".into(), rule.into()),
            ],
        })
    }

    #[test]
    fn states_clear_when_due_and_aggregate_over_sources() {
        let mut s = States::default();
        let now = Instant::now();
        s.on.insert(("motion".into(), source("a", "r")), true);
        s.on.insert(("motion".into(), source("b", "r")), false);
        assert!(s.any_on("motion"));
        s.clear.insert(("motion".into(), source("a", "r")), now);
        s.clear.insert(
            ("motion".into(), source("b", "r")),
            now + Duration::from_secs(9),
        );
        assert_eq!(s.next_clear(), Some(now));
        assert_eq!(s.expired(now), vec![("motion".into(), source("a", "r"))]);
        assert_eq!(s.next_clear(), Some(now + Duration::from_secs(9)));
    }

    #[test]
    fn two_rules_on_one_video_source_are_two_states_under_one_level() {
        let mut s = States::default();
        s.on.insert(("motion".into(), source("vs1", "Field1")), true);
        // The other rule going OFF does not turn the first one's OFF.
        s.on.insert(("motion".into(), source("vs1", "Field2")), false);
        assert!(s.any_on_at("motion", "vs1"));
        assert!(s.any_on("motion"));
        assert!(!s.any_on_at("motion", "vs2"));
        s.on.insert(("motion".into(), source("vs1", "Field1")), false);
        assert!(!s.any_on_at("motion", "vs1"));
        assert!(!s.any_on("motion"));
    }
}
