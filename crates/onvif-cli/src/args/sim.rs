//! The options of `sim`: the simulated camera's posture, quirks, events and lockout.

use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::words::{SignedDur, parse_duration, parse_timeout};

#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// The user the simulated camera accepts [env: ONVIF_USER] [default: admin]
    #[arg(short, long)]
    pub user: Option<String>,
    /// That user's password [env: ONVIF_PASSWORD] [default: admin]; prefer the environment,
    /// since arguments are visible to other local users
    #[arg(short, long)]
    pub password: Option<String>,
    /// Address to bind (loopback unless you mean otherwise)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port (0 lets the system choose)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// How the simulated camera checks credentials
    #[arg(long, value_enum, default_value_t = SimAuth::Wsse)]
    pub auth: SimAuth,
    /// Camera clock minus real time, e.g. -3600s, 90m
    #[arg(long, value_parser = parse_duration, allow_hyphen_values = true, value_name = "DURATION")]
    pub clock_skew: Option<SignedDur>,
    /// Imitate a vendor quirk (repeatable; docs/QUIRKS.md names the evidence for each)
    #[arg(long, value_parser = sim_quirk_parser(), value_name = "QUIRK")]
    pub quirk: Vec<onvif_sim::Quirk>,
    /// Accept WS-Security PasswordText (plain password) tokens
    #[arg(long)]
    pub accept_password_text: bool,
    /// How the snapshot URL checks credentials (independent of --auth)
    #[arg(long, value_enum, default_value_t = SimSnapshotAuth::Digest)]
    pub snapshot_auth: SimSnapshotAuth,
    /// Answer WS-Discovery probes on this UDP port (e.g. 3702; 0 lets the system choose)
    #[arg(long, value_name = "PORT")]
    pub discovery_port: Option<u16>,
    /// Address of the WS-Discovery responder [default: --bind]
    #[arg(long, value_name = "IP", requires = "discovery_port")]
    pub discovery_bind: Option<std::net::IpAddr>,
    /// Simulated events, comma-separated: motion-every=5s (motion starts, and stops half a
    /// period later), input-every=, tamper-every= likewise, and event quirks: ignores-relative, renew-fault, cancel-all, pull-at-once, short-grants, renew-unsupported, create-cut, stops-queueing, pull-no-keepalive
    #[arg(long, value_name = "SPEC", value_parser = parse_sim_events)]
    pub events: Option<SimEvents>,
    /// Lock the account after N wrong passwords within DURATION, for DURATION, as real
    /// cameras do (e.g. 5/10m): while locked, even the right password is refused
    #[arg(long, value_parser = parse_lockout, value_name = "N/DURATION")]
    pub lockout: Option<(u32, Duration)>,
    /// How long SystemReboot (`onvif reboot`) takes the camera down, as a real camera is:
    /// connections cut, then back with its settings and without its event subscriptions;
    /// 0 keeps it up (the reboot is only counted). The console's `reboot` does the same
    #[arg(long, value_parser = crate::words::parse_interval, value_name = "DURATION", allow_hyphen_values = true, default_value = "30s")]
    pub reboot_downtime: Duration,
    /// Serve HTTPS with a self-signed certificate made at start (for localhost, 127.0.0.1
    /// and ::1), as many cameras do; its SHA-256 fingerprint is printed
    #[arg(long)]
    pub tls: bool,
    /// Serve HTTPS with this certificate (PEM, the chain); goes with --key
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<std::path::PathBuf>,
    /// The private key of --cert (PEM)
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<std::path::PathBuf>,
    /// Serve a recording (HAR, from capture or --capture) as the camera: each request gets
    /// the recorded answer to the same operation and tokens; its authentication is checked
    /// with -u/-p in the scheme the recording shows (Digest, WS-Security or either), and its
    /// clock is the simulator's
    #[arg(long, value_name = "FILE")]
    pub replay: Option<std::path::PathBuf>,
    /// With --replay: give the recorded events this many times faster (e.g. 10)
    #[arg(long, value_name = "FACTOR", requires = "replay", value_parser = parse_speed)]
    pub speed: Option<f64>,
    /// Pedantic posture, to catch a client's own mistakes: refuse SOAP 1.1, undeclared
    /// prefixes, more than one Body element, a missing or odd Content-Type, an announced
    /// action other than the WSDL's, subscription requests that do not echo the reference
    /// parameter with wsa:IsReferenceParameter="true", an operation sent to another
    /// service's address, and a Created without time zone.
    /// Without it the camera accepts all that, as real cameras do (a mismatched action is
    /// only logged), and still checks the password, the Created window, nonce replay,
    /// termination times and subscription addresses
    #[arg(long)]
    pub strict: bool,
    /// Run this many cameras in one process (cam-0001, cam-0002, ...), each on its own port
    /// (consecutive from --port; system-chosen with --port 0), with its own serial number and
    /// clock, and its periodic events spread over their period. Prints one line per camera
    /// (name and URL); on standard input, `reboot 10%` or `reboot cam-0003 [30s]` power-cycles
    /// cameras (down for 5 s unless given), `stats` prints the event changes emitted so far
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub cameras: u32,
    /// With --cameras: write a config file naming every camera, for `onvif bridge --config`
    /// (private to its owner: it holds the password)
    #[arg(long, value_name = "FILE")]
    pub fleet_config: Option<std::path::PathBuf>,
    /// With --cameras: no clock skew between the cameras (for measuring event latency)
    #[arg(long)]
    pub same_clock: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimAuth {
    /// WS-UsernameToken digest
    Wsse,
    /// HTTP Digest only (401 challenge)
    Digest,
    /// Both required
    Both,
    /// Either accepted
    Either,
    /// No authentication
    None,
}

/// `--quirk NAME`: any of the simulator's quirks, listed with a line each in `--help`.
fn sim_quirk_parser() -> impl clap::builder::TypedValueParser<Value = onvif_sim::Quirk> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(
        onvif_sim::Quirk::ALL.map(|q| PossibleValue::new(q.name()).help(q.summary())),
    )
    .try_map(|s| s.parse::<onvif_sim::Quirk>())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimSnapshotAuth {
    /// HTTP Digest (401 challenge)
    Digest,
    /// HTTP Basic only
    Basic,
    /// No authentication
    None,
}

/// `--lockout N/DURATION`: `5/10m` locks after 5 wrong passwords within 10 minutes, for 10
/// minutes.
pub fn parse_lockout(s: &str) -> Result<(u32, Duration), String> {
    let example = "e.g. 5/10m: 5 wrong passwords within 10 minutes lock the account for 10 minutes";
    let (n, d) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?} is not N/DURATION ({example})"))?;
    let n: u32 =
        n.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            format!("{n:?} in {s:?} is not a count of failures above 0 ({example})")
        })?;
    let d = parse_duration(d)?;
    if d.negative || d.abs.is_zero() {
        return Err(format!(
            "{s:?}: the duration must be longer than zero ({example})"
        ));
    }
    Ok((n, d.abs))
}

/// What `onvif sim --events ...` asks for.
#[derive(Debug, Clone, Default)]
pub struct SimEvents {
    /// Motion period.
    pub motion_every: Option<Duration>,
    /// Digital input period.
    pub input_every: Option<Duration>,
    /// Tamper period.
    pub tamper_every: Option<Duration>,
    /// Event quirks.
    pub quirks: Vec<onvif_sim::EventQuirk>,
}

/// `--events motion-every=5s,renew-fault,...` of `onvif sim`.
pub fn parse_sim_events(s: &str) -> Result<SimEvents, String> {
    let mut out = SimEvents::default();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(period) = part.strip_prefix("motion-every=") {
            out.motion_every = Some(parse_timeout(period)?.abs);
        } else if let Some(period) = part.strip_prefix("input-every=") {
            out.input_every = Some(parse_timeout(period)?.abs);
        } else if let Some(period) = part.strip_prefix("tamper-every=") {
            out.tamper_every = Some(parse_timeout(period)?.abs);
        } else {
            out.quirks.push(part.parse().map_err(|e| {
                format!(
                    "{e}; or motion-every=, input-every=, tamper-every=DURATION, e.g. motion-every=5s"
                )
            })?);
        }
    }
    Ok(out)
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.trim().trim_end_matches('x').parse::<f64>() {
        Ok(v) if v.is_finite() && (0.01..=1000.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "{s:?}: expected a factor from 0.01 to 1000, e.g. 10"
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sim_event_specs_parse() {
        let e = super::parse_sim_events("motion-every=5s, input-every=2s,tamper-every=500ms")
            .unwrap_or_default();
        assert_eq!(e.motion_every, Some(std::time::Duration::from_secs(5)));
        assert_eq!(e.input_every, Some(std::time::Duration::from_secs(2)));
        assert_eq!(e.tamper_every, Some(std::time::Duration::from_millis(500)));
        assert!(super::parse_sim_events("sparkles-every=1s").is_err());
    }

    #[test]
    fn sim_event_specs() {
        let e = parse_sim_events("motion-every=5s, renew-fault,ignores-relative").unwrap();
        assert_eq!(e.motion_every, Some(Duration::from_secs(5)));
        assert_eq!(
            e.quirks,
            [
                onvif_sim::EventQuirk::RenewFault,
                onvif_sim::EventQuirk::IgnoresRelativeDurations
            ]
        );
        let err = parse_sim_events("motion-every=5s,nonsense").unwrap_err();
        assert!(err.contains("cancel-all"), "{err}");
        assert!(parse_sim_events("motion-every=0s").is_err());
    }
}
