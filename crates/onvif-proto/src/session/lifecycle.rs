//! What a session reports: events and lifecycle signals (as a person reads them).

use std::time::Duration;

use serde::Serialize;

use super::types::MIN_RENEW_GAP;

/// Something the session reports, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output<E> {
    /// An event pulled (in push mode the driver delivers events itself).
    Event(E),
    /// A lifecycle signal.
    Lifecycle(Lifecycle),
}

/// What happened to the subscription. More may be told in later versions: a `match` on it
/// needs an arm for the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "lifecycle", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Lifecycle {
    /// The first subscription was created.
    Subscribed {
        /// The subscription's address.
        address: String,
        /// The time granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
        /// Push mode: how often the subscription is checked
        /// ([`Config::liveness`](super::Config::liveness)).
        #[serde(
            serialize_with = "ser_opt_secs",
            skip_serializing_if = "Option::is_none"
        )]
        liveness: Option<Duration>,
    },
    /// The subscription was renewed.
    Renewed {
        /// The time granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// The subscription died.
    Lost {
        /// Why.
        reason: String,
        /// The camera refused the credentials: the session gives up (asking again with the
        /// same ones could lock the account) and closes.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        credentials_refused: bool,
    },
    /// A creation attempt after a loss failed; the next comes after `retry_in`, or sooner
    /// when `sooner_when_back` and the camera, which did not answer, answers again.
    RetryFailed {
        /// Why.
        reason: String,
        /// Delay before the next attempt.
        #[serde(serialize_with = "ser_secs")]
        retry_in: Duration,
        /// The camera did not answer: it is asked the time (unauthenticated, so no account
        /// can be locked) every 2 s or so, and the next attempt is made as soon as it answers.
        sooner_when_back: bool,
    },
    /// The failed creation attempts reached
    /// [`Config::max_attempts_per_window`](super::Config::max_attempts_per_window): the next
    /// one waits longer than the back-off would.
    AttemptCapReached {
        /// Failed attempts in the window.
        failures: usize,
        /// The window.
        #[serde(serialize_with = "ser_secs")]
        window: Duration,
        /// Delay before the next attempt.
        #[serde(serialize_with = "ser_secs")]
        retry_in: Duration,
    },
    /// The camera granted far less than a relative time asked for, and the absolute time
    /// asked next in full (it ignores durations): from now on termination times are sent as
    /// absolute times in the camera's clock.
    SwitchedToAbsoluteTimes {
        /// What was asked.
        #[serde(serialize_with = "ser_secs")]
        asked: Duration,
        /// What was granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// The camera grants far less than asked, relative or absolute (said once): the
    /// subscription is renewed at about 80 % of each grant (never twice within 0.75 s).
    ShortGrant {
        /// What was asked.
        #[serde(serialize_with = "ser_secs")]
        asked: Duration,
        /// What was granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// A new subscription replaces the lost one.
    Recreated {
        /// The subscription's address.
        address: String,
        /// The time granted.
        #[serde(serialize_with = "ser_secs")]
        granted: Duration,
    },
    /// Push mode: the camera refused a liveness check (Renew) as not supported (said once):
    /// subscriptions are no longer checked between renewals, so a camera restart is noticed
    /// at the next renewal.
    LivenessCheckOff {
        /// The camera's answer.
        reason: String,
    },
    /// Pull mode: the camera refused a renewal, but its pull point still answered the next
    /// long poll (said once): its subscriptions are not renewed but kept alive by their long
    /// polls, as ONVIF Core 9.1.1 has it ("the pull point keep alive is controlled via the
    /// PullMessages operation").
    RenewRefused {
        /// The camera's answer to the Renew.
        reason: String,
    },
    /// Push mode: events the camera posted were dropped, `count` of them since this was last
    /// said: the session's consumer did not take them in time (a camera does not send a
    /// notification again). Said by the driver, not the session.
    EventsDropped {
        /// How many.
        count: u64,
    },
    /// `auto` mode: push did not work (no listener, Subscribe refused, or no notification
    /// arrived in time), so the session pulls.
    FellBackToPull {
        /// Why.
        reason: String,
    },
    /// The session ended (after Unsubscribe, when configured).
    Closed,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

fn ser_opt_secs<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_f64(d.as_secs_f64()),
        None => s.serialize_none(),
    }
}

/// A duration as a person reads it: `0.8 s`, `42 s`, `4 min 10 s`, `2 h 5 min`.
pub(crate) fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 10 {
        format!("{:.1} s", d.as_secs_f64())
    } else if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        match secs % 60 {
            0 => format!("{} min", secs / 60),
            s => format!("{} min {s} s", secs / 60),
        }
    } else {
        match (secs % 3600) / 60 {
            0 => format!("{} h", secs / 3600),
            m => format!("{} h {m} min", secs / 3600),
        }
    }
}

impl std::fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lifecycle::Subscribed {
                address,
                granted,
                liveness,
            } => {
                write!(
                    f,
                    "subscribed at {address} for {:.1} s",
                    granted.as_secs_f64()
                )?;
                if let Some(every) = liveness {
                    write!(
                        f,
                        "; checking it every {:.1} s (Renew), so a camera restart is noticed \
                         within that",
                        every.as_secs_f64()
                    )?;
                }
                Ok(())
            }
            Lifecycle::Renewed { granted } => {
                write!(f, "renewed for {:.1} s", granted.as_secs_f64())
            }
            Lifecycle::Lost { reason, .. } => write!(f, "lost: {reason}"),
            Lifecycle::RetryFailed {
                reason,
                retry_in,
                sooner_when_back,
            } => {
                write!(
                    f,
                    "re-creation failed: {reason}; next attempt in {}",
                    human_duration(*retry_in)
                )?;
                if *sooner_when_back {
                    f.write_str(", or as soon as the camera answers again")?;
                }
                Ok(())
            }
            Lifecycle::Recreated { address, granted } => write!(
                f,
                "re-created at {address} for {:.1} s",
                granted.as_secs_f64()
            ),
            Lifecycle::AttemptCapReached {
                failures,
                window,
                retry_in,
            } => write!(
                f,
                "attempt cap reached ({failures} failed attempts in {}): next try in {}",
                human_duration(*window),
                human_duration(*retry_in)
            ),
            Lifecycle::SwitchedToAbsoluteTimes { asked, granted } => write!(
                f,
                "asked for {:.1} s as a relative time, granted {:.1} s, but an absolute time is \
                 granted in full: the camera ignores relative times; switching to absolute times",
                asked.as_secs_f64(),
                granted.as_secs_f64()
            ),
            Lifecycle::ShortGrant { asked, granted } => write!(
                f,
                "the camera grants only {:.1} s of the {:.1} s asked (as a relative or an \
                 absolute time); renewing about every {:.1} s",
                granted.as_secs_f64(),
                asked.as_secs_f64(),
                granted.mul_f64(0.76).max(MIN_RENEW_GAP).as_secs_f64()
            ),
            Lifecycle::LivenessCheckOff { reason } => write!(
                f,
                "the camera does not support Renew between renewals ({reason}): liveness \
                 checks are off, so a camera restart is noticed at the next renewal"
            ),
            Lifecycle::RenewRefused { reason } => write!(
                f,
                "the camera refuses Renew ({reason}), but its pull point works: it is kept \
                 alive by its long polls (PullMessages) instead"
            ),
            Lifecycle::EventsDropped { count } => write!(
                f,
                "{count} event{} dropped: this session's reader did not take {} in time, and a \
                 camera does not send a notification again",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "it" } else { "them" },
            ),
            Lifecycle::FellBackToPull { reason } => {
                write!(f, "push did not work ({reason}); pulling instead")
            }
            Lifecycle::Closed => f.write_str("closed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_person_says_them() {
        let d = Duration::from_secs;
        assert_eq!(human_duration(Duration::from_millis(800)), "0.8 s");
        assert_eq!(human_duration(d(42)), "42 s");
        assert_eq!(human_duration(d(250)), "4 min 10 s");
        assert_eq!(human_duration(d(600)), "10 min");
        assert_eq!(human_duration(d(7500)), "2 h 5 min");
        let l = Lifecycle::AttemptCapReached {
            failures: 10,
            window: d(600),
            retry_in: d(250),
        };
        assert_eq!(
            l.to_string(),
            "attempt cap reached (10 failed attempts in 10 min): next try in 4 min 10 s"
        );
    }
}
