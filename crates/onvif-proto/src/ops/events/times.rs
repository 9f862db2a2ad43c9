//! Times and durations in event messages: `xs:dateTime` and `xs:duration` as codec [`Text`],
//! and how they show in JSON.

use std::borrow::Cow;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serializer;

use crate::codec::Text;
use crate::ops::ptz::{format_duration, parse_duration};
use crate::time::parse_datetime;

/// An instant as events write it: UTC, a fraction of a second only when there is one, `Z`.
pub(super) fn fmt_ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}

/// `xs:dateTime`, read with [`parse_datetime`] (the "no time" forms such as
/// `0000-00-00T00:00:00Z` do not read), written in UTC with a fraction of a second only when
/// there is one (`2023-11-14T22:13:20.25Z`).
impl Text for Timestamp {
    const EXPECTED: &'static str = "not a date-time";
    fn from_text(s: &str) -> Option<Self> {
        parse_datetime(s)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(fmt_ts(*self))
    }
}

/// `xs:duration`, read with [`parse_duration`], written in seconds with [`format_duration`].
impl Text for Duration {
    const EXPECTED: &'static str = "not a duration";
    fn from_text(s: &str) -> Option<Self> {
        parse_duration(s)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(format_duration(*self))
    }
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

/// A duration in JSON, as written in XML (`PT5S`).
pub(super) fn ser_dur<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*d))
}
