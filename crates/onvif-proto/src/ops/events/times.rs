//! Times and durations in event messages: how they show in JSON (their codec `Text` impls
//! are in `crate::time`, beside the parsers).

use jiff::Timestamp;
use serde::Serializer;

/// An instant as events write it: UTC, a fraction of a second only when there is one, `Z`.
pub(super) fn fmt_ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}

/// An optional instant in JSON: RFC 3339, or `null`.
pub(super) fn ser_ts<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_string()),
        None => s.serialize_none(),
    }
}

/// A required instant in JSON, as written in XML.
pub(super) fn ser_ts_req<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_ts(*t))
}
