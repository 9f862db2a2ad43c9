//! Date and time forms used by ONVIF: WS-Security `Created`, xs:dateTime read leniently.

use jiff::Timestamp;
use jiff::civil::Date;

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
        let off = hh.parse::<i64>().ok()? * 3600 + mm.parse::<i64>().ok()? * 60;
        return Some((c, sign * off));
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
