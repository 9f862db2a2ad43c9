//! The options of `recordings` and its subcommands, and how they read times.

use clap::{Args, Subcommand};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

#[derive(Debug, Clone, Args)]
pub struct RecordingsArgs {
    #[command(subcommand)]
    pub action: Option<RecordingsAction>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum RecordingsAction {
    /// Recordings in a time window (every recording without one); with --events, the events
    /// recorded in it (motion alarms, say)
    Search(SearchArgs),
    /// The RTSP address that replays a recording; --from gives the RTSP Range header that
    /// starts it at that time
    ReplayUri(ReplayUriArgs),
    /// Recording jobs: what each records into, from which source, and whether it is active
    Jobs,
    /// The span of everything recorded, and how many recordings there are
    Summary,
}

/// How times are written, for the options' help.
const TIME_HELP: &str = "RFC 3339 (2026-12-01T08:00:00Z, 2026-12-01T09:00:00+01:00) or \
                         YYYY-MM-DDTHH:MM[:SS] (UTC unless an offset follows)";

#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Start of the window: RFC 3339 or YYYY-MM-DDTHH:MM, UTC unless an offset is given
    /// (2026-12-01T08:00, 2026-12-01T09:00+01:00) [default: the start of the recorded data]
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub from: Option<Timestamp>,
    /// End of the window, written as --from [default: the end of the recorded data]
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub to: Option<Timestamp>,
    /// Find events instead of recordings: motion, input, tamper, all, or a topic expression
    /// such as 'tns1:VideoSource/MotionAlarm' (tns1 is the ONVIF topic namespace)
    #[arg(long, value_name = "KIND|TOPIC")]
    pub events: Option<String>,
    /// Only this recording (repeat for several)
    #[arg(long = "recording", value_name = "TOKEN")]
    pub recordings: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ReplayUriArgs {
    /// The recording's token (see `recordings`)
    #[arg(value_name = "TOKEN")]
    pub token: String,
    /// Where the replay starts: RFC 3339 or YYYY-MM-DDTHH:MM, UTC unless an offset is given
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub from: Option<Timestamp>,
}

/// A time from the command line: RFC 3339, or a civil date and time (`2026-12-01T08:00`,
/// seconds optional, a space for the `T` allowed) taken as UTC unless an offset follows.
pub fn parse_time(s: &str) -> Result<Timestamp, String> {
    let t = s.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(ts);
    }
    // A civil time; with a `Z` or an offset, only one the timestamp could not hold.
    let civil = t.trim_end_matches(['Z', 'z']).replacen(' ', "T", 1);
    if let Ok(dt) = civil.parse::<DateTime>()
        && t.len() >= "YYYY-MM-DDTHH:MM".len()
    {
        return match Offset::UTC.to_timestamp(dt) {
            Ok(ts) if civil == t.replacen(' ', "T", 1) => Ok(ts),
            _ => Err(format!(
                "{s:?} is too far in the past or the future: the latest time is {}",
                Timestamp::MAX.strftime("%Y-%m-%dT%H:%M:%SZ")
            )),
        };
    }
    Err(format!("{s:?} is not a time: write it as {TIME_HELP}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_rfc_3339_or_as_utc_civil_times() {
        for (text, want) in [
            ("2026-12-01T08:00", "2026-12-01T08:00:00Z"),
            ("2026-12-01T08:00:30", "2026-12-01T08:00:30Z"),
            ("2026-12-01 08:00", "2026-12-01T08:00:00Z"),
            ("2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z"),
            ("2026-12-01T09:00:00+01:00", "2026-12-01T08:00:00Z"),
            ("2026-12-01T09:00+01:00", "2026-12-01T08:00:00Z"),
        ] {
            assert_eq!(parse_time(text).unwrap().to_string(), want, "{text}");
        }
        for bad in ["", "yesterday", "2026-12-01", "2026-13-01T08:00", "08:00"] {
            let e = parse_time(bad).unwrap_err();
            assert!(e.contains("RFC 3339"), "{bad}: {e}");
        }
        // Well written, but beyond what a timestamp holds: said so, not "not a time".
        for far in [
            "9999-12-31T23:59",
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:59:59-01:00",
        ] {
            let e = parse_time(far).unwrap_err();
            assert!(
                e.contains("too far") && e.contains("9999-12-30"),
                "{far}: {e}"
            );
        }
    }
}
