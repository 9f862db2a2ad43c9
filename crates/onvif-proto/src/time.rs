//! Date and time forms used by ONVIF: WS-Security `Created`, xs:dateTime read leniently,
//! xs:duration; both schema types are [`Text`] for the declarative codec.

use std::borrow::Cow;
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::codec::Text;

/// A duration as people write one on a command line or in a config file: `5s`, `500ms`,
/// `1.5s`, `2m`, `1h`, a bare number of seconds, with an optional sign (`-3600s`). Returns
/// whether it was negative, and its size; the error says what was wrong.
pub fn parse_short_duration(s: &str) -> Result<(bool, Duration), String> {
    let t = s.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (examples: 5s, 500ms, 2m, -3600s)"))?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {s:?} (use ms, s, m or h)"
            ));
        }
    };
    if !secs.is_finite() || secs > 1e9 {
        return Err(format!("{s:?} is out of range"));
    }
    Ok((negative, Duration::from_secs_f64(secs)))
}

/// `Created` for WS-Security: UTC, milliseconds, `Z` (`2026-11-23T21:30:44.123Z`).
pub fn format_created(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Read an xs:dateTime as cameras write it. Without a zone it is taken as UTC. Returns `None`
/// for the "no time" forms (`0000-00-00T00:00:00Z`, empty) and for text that is not a date.
/// Hours, minutes and seconds past their range are carried over (minute 61 is 1 h 1 min).
pub fn parse_datetime(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let mut dparts = date.splitn(3, '-');
    let year: i16 = dparts.next()?.parse().ok()?;
    let month: i8 = dparts.next()?.parse().ok()?;
    let day: i8 = dparts.next()?.parse().ok()?;
    if year == 0 && month == 0 && day == 0 {
        return None;
    }
    let (clock, offset_secs) = split_zone(rest)?;
    let mut cparts = clock.splitn(3, ':');
    let h: i64 = cparts.next()?.parse().ok()?;
    let m: i64 = cparts.next()?.parse().ok()?;
    let sec_text = cparts.next().unwrap_or("0");
    let (whole, frac) = sec_text.split_once('.').unwrap_or((sec_text, ""));
    let sec: i64 = whole.parse().ok()?;
    let nanos: i64 = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(9).collect();
        let n: i64 = digits.parse().ok()?;
        n * 10_i64.pow(9 - digits.len() as u32)
    };
    date_time_to_timestamp(year, month, day, h, m, sec, nanos, offset_secs)
}

fn split_zone(rest: &str) -> Option<(&str, i64)> {
    if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        return Some((c, 0));
    }
    // A trailing +hh:mm / -hh:mm (a '-' after the clock part, not inside it).
    if let Some(i) = rest.rfind(['+', '-']) {
        let (c, z) = rest.split_at(i);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let (hh, mm) = z[1..].split_once(':').unwrap_or((&z[1..], "0"));
        // An offset is at most a day (xs:dateTime allows 14 hours); more is no date.
        let (hh, mm) = (hh.parse::<i64>().ok()?, mm.parse::<i64>().ok()?);
        if !(0..=24).contains(&hh) || !(0..60).contains(&mm) {
            return None;
        }
        return Some((c, sign * (hh * 3600 + mm * 60)));
    }
    Some((rest, 0))
}

/// Fields as ONVIF's `tt:DateTime` carries them, to a timestamp; out-of-range time fields carry.
#[allow(clippy::too_many_arguments)]
pub fn date_time_to_timestamp(
    year: i16,
    month: i8,
    day: i8,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: i64,
    offset_secs: i64,
) -> Option<Timestamp> {
    let date = Date::new(year, month, day).ok()?;
    let midnight = jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .ok()?;
    let secs = hour
        .checked_mul(3600)?
        .checked_add(minute.checked_mul(60)?)?
        .checked_add(second)?
        .checked_sub(offset_secs)?;
    let base = midnight.as_second().checked_add(secs)?;
    Timestamp::new(base, i32::try_from(nanos).ok()?).ok()
}

/// Read an `xs:duration` (`PT5S`, `PT0H0M1S`, `PT1M`, `PT1093754.348S`, `P1DT2H`). Years and
/// months count as 365 and 30 days. `None` for a negative duration or text that is not one.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let rest = s.trim().strip_prefix(['P', 'p'])?;
    let (date, time) = match rest.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    if date.is_empty() && time.is_none_or(str::is_empty) {
        return None;
    }
    const DAY: u64 = 86_400;
    let mut total = components(date, &[('Y', 365 * DAY), ('M', 30 * DAY), ('D', DAY)])?;
    if let Some(t) = time {
        if t.is_empty() {
            return None;
        }
        total = total.checked_add(components(t, &[('H', 3600), ('M', 60), ('S', 1)])?)?;
    }
    Some(total)
}

/// Sum `<number><unit>` pairs, units in the order given, each at most once; only seconds may
/// have a fraction (up to nanoseconds).
fn components(part: &str, units: &[(char, u64)]) -> Option<Duration> {
    let mut total = Duration::ZERO;
    let mut number = String::new();
    let mut next_unit = 0;
    for c in part.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let at = units
            .iter()
            .position(|(u, _)| *u == c.to_ascii_uppercase())?;
        if at < next_unit || number.is_empty() {
            return None;
        }
        next_unit = at + 1;
        let per = units[at].1;
        let d = match number.split_once('.') {
            Some((whole, frac)) => {
                if per != 1 || frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let whole: u64 = if whole.is_empty() {
                    0
                } else {
                    whole.parse().ok()?
                };
                let digits: String = frac.chars().take(9).collect();
                let scale = 10_u32.pow(9 - u32::try_from(digits.len()).ok()?);
                Duration::new(whole, digits.parse::<u32>().ok()? * scale)
            }
            None => Duration::from_secs(number.parse::<u64>().ok()?.checked_mul(per)?),
        };
        total = total.checked_add(d)?;
        number.clear();
    }
    number.is_empty().then_some(total)
}

/// Write a duration as `xs:duration` in seconds: `PT5S`, `PT2.5S`, `PT0S`.
pub fn format_duration(d: Duration) -> String {
    let nanos = d.subsec_nanos();
    if nanos == 0 {
        format!("PT{}S", d.as_secs())
    } else {
        let frac = format!("{nanos:09}");
        format!("PT{}.{}S", d.as_secs(), frac.trim_end_matches('0'))
    }
}

/// A duration in JSON, as written in XML (`PT5S`).
pub(crate) fn ser_duration<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*d))
}

/// An optional duration in JSON, as written in XML (`PT1H`), or `null`.
pub(crate) fn ser_opt_duration<S: serde::Serializer>(
    d: &Option<Duration>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_duration(d, s),
        None => s.serialize_none(),
    }
}

/// `xs:duration`: read with [`parse_duration`], written with [`format_duration`].
impl Text for Duration {
    const EXPECTED: &'static str = "not an xs:duration";
    fn from_text(s: &str) -> Option<Self> {
        parse_duration(s)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(format_duration(*self))
    }
}

/// `xs:dateTime`: read with [`parse_datetime`] (the "no time" forms do not read), written in
/// RFC 3339 UTC (`2024-01-02T03:04:05Z`).
impl Text for Timestamp {
    const EXPECTED: &'static str = "not a date-time";
    fn from_text(s: &str) -> Option<Self> {
        parse_datetime(s)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_the_forms_cameras_send() {
        for (text, secs) in [
            ("PT5S", 5.0),
            ("PT0H0M1S", 1.0),
            ("PT1M", 60.0),
            ("PT300S", 300.0),
            ("PT1093754.348S", 1_093_754.348),
            ("P1DT2H", 93_600.0),
            (" pt0.5s ", 0.5),
            ("PT0S", 0.0),
        ] {
            let d = parse_duration(text).unwrap_or_else(|| panic!("{text}"));
            assert!((d.as_secs_f64() - secs).abs() < 1e-9, "{text}: {d:?}");
        }
        for bad in [
            "", "P", "PT", "5S", "-PT5S", "PT5", "PTS", "PT1.5M", "PT5S5M", "PT1H2H",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(Duration::from_millis(2500)), "PT2.5S");
        assert_eq!(format_duration(Duration::ZERO), "PT0S");
        assert_eq!(format_duration(Duration::from_secs(60)), "PT60S");
        for d in [Duration::from_nanos(1), Duration::from_millis(1234567)] {
            assert_eq!(parse_duration(&format_duration(d)), Some(d));
        }
    }

    #[test]
    fn zone_offsets_are_read_and_absurd_ones_refused() {
        let utc = parse_datetime("2024-01-01T12:00:00Z").unwrap();
        assert_eq!(parse_datetime("2024-01-01T13:30:00+01:30"), Some(utc));
        assert_eq!(parse_datetime("2024-01-01T07:00:00-05:00"), Some(utc));
        for bad in [
            "2024-01-01T00:00:00+9999999999999999:00",
            "2024-01-01T00:00:00-25:00",
            "2024-01-01T00:00:00+01:60",
            "2024-01-01T00:00:00+01:-5",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn created_has_milliseconds_and_zulu() {
        let ts = Timestamp::new(1_700_000_000, 5_000_000).unwrap();
        assert_eq!(format_created(ts), "2023-11-14T22:13:20.005Z");
    }

    #[test]
    fn lenient_datetimes() {
        let t = parse_datetime("2023-11-14T22:13:20Z").unwrap();
        assert_eq!(t.as_second(), 1_700_000_000);
        assert_eq!(
            parse_datetime("2023-11-14T22:13:20").unwrap().as_second(),
            1_700_000_000
        );
        assert_eq!(
            parse_datetime("2023-11-14T23:13:20+01:00")
                .unwrap()
                .as_second(),
            1_700_000_000
        );
        assert_eq!(
            parse_datetime("2023-11-14T21:73:20Z").unwrap().as_second(),
            1_700_000_000
        );
        assert_eq!(
            parse_datetime("2023-11-14T22:13:20.5Z")
                .unwrap()
                .subsec_millisecond(),
            500
        );
        assert!(parse_datetime("0000-00-00T00:00:00Z").is_none());
        assert!(parse_datetime("").is_none());
        assert!(parse_datetime("yesterday").is_none());
    }
}
