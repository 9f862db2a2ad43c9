//! A subscription that stays quiet: the silence probe that finds one which no longer
//! delivers, and a pull point whose camera refuses Renew.

use std::time::{Duration, Instant};

use super::{Session, State, Step, later};
use crate::session::lifecycle::{Lifecycle, human_duration};
use crate::session::types::{Failure, FailureKind, Mode, Request, SILENCE_GRACE, time_left};

/// A pull point not renewed must have the timeout of the long poll just answered left, less
/// this (its times are whole seconds), or it is taken as not kept alive by its long polls:
/// ONVIF Core 9.1.1 keeps it alive for at least a long poll's timeout after each answer.
const KEEPALIVE_TOLERANCE: Duration = Duration::from_secs(1);

/// The shortest silence judged ([`Config::silence`](crate::session::Config::silence)): a
/// probe answered with states would otherwise be followed by the next at once.
const MIN_SILENCE: Duration = Duration::from_secs(60);

/// The longest a silence grows to on a camera whose probes go unanswered.
const MAX_SILENCE: Duration = Duration::from_secs(4 * 3600);

impl<E> Session<E> {
    /// Pull mode: a renewal's failure that may be the camera refusing Renew rather than the
    /// subscription being gone: an answer, not silence or refused credentials.
    pub(super) fn renewal_refused(&self, kind: FailureKind) -> bool {
        self.mode == Mode::Pull
            && matches!(
                kind,
                FailureKind::Gone | FailureKind::NotSupported | FailureKind::Other
            )
    }

    /// The times a long poll's answer carried (its camera's current time and the pull
    /// point's termination time), given before [`Session::handle_pulled`]: in pull mode they
    /// tell whether the long polls keep a pull point alive that is not renewed.
    pub fn handle_pull_times(
        &mut self,
        current: Option<jiff::Timestamp>,
        termination: Option<jiff::Timestamp>,
    ) {
        // Both given: what is left, nothing when the end has come (a pull point at its last
        // second is at its end).
        self.pull_left = match (current, termination) {
            (Some(_), Some(_)) => Some(time_left(current, termination).unwrap_or_default()),
            _ => None,
        };
    }

    /// The subscription was created, or asked for its states, at `now`: events within
    /// [`SILENCE_GRACE`] show that the camera answers that with states.
    pub(super) fn opened(&mut self, now: Instant) {
        self.opened = Some(now);
        self.delivers = false;
        // A probe of an earlier subscription is no question to this one.
        self.silence_probe = None;
    }

    /// An event arrived at `t`.
    pub(super) fn heard(&mut self, t: Instant) {
        self.last_event = self.last_event.max(Some(t));
        if self.silence_probe.is_some_and(|p| t >= p) {
            self.silence_probe = None;
            self.probe_answered = true;
            self.probes_lost = 0;
        }
        if self
            .opened
            .is_some_and(|o| t >= o && t.saturating_duration_since(o) <= SILENCE_GRACE)
        {
            self.delivers = true;
        } else {
            // An event of its own (not states asked for): the subscription works.
            self.probes_lost = 0;
        }
    }

    /// A long poll of `wait` was answered. After a refused renewal: when its answer moved
    /// the pull point's termination past the last grant's, the long polls keep it alive
    /// (ONVIF Core 9.1.1) and it is no longer renewed; when it has less than that poll's
    /// timeout left, the refusal stands and the subscription is given up (the failure
    /// returned); else the next poll decides. A pull point not renewed is given up, before it
    /// ends, once its long polls stop keeping it alive.
    pub(super) fn pull_answered(&mut self, now: Instant, wait: Duration) -> Option<Failure> {
        let left = self.pull_left.take();
        let short = left.filter(|l| *l + KEEPALIVE_TOLERANCE < wait);
        let sub = self.sub.as_mut()?;
        if let Some(refused) = sub.renew_doubt.take() {
            if short.is_some() {
                return Some(refused);
            }
            // Each answer's times are read against each other (the camera's clock may be off
            // ours), and placed on our clock.
            let extended = match (left, sub.until) {
                (Some(l), Some(granted)) => later(now, l) > later(granted, KEEPALIVE_TOLERANCE),
                _ => false,
            };
            if !extended {
                sub.renew_doubt = Some(refused);
                return None;
            }
            sub.renew_off = true;
            if !self.renew_off_told {
                self.renew_off_told = true;
                self.tell(Lifecycle::RenewRefused {
                    reason: refused.reason,
                });
            }
            return None;
        }
        match short {
            Some(l) if sub.renew_off => Some(Failure::new(
                FailureKind::Other,
                format!(
                    "the camera refuses Renew, and its long polls no longer keep the pull \
                     point alive (it ends in {}): replaced before it ends",
                    human_duration(l)
                ),
            )),
            _ => None,
        }
    }

    /// The driver knows the live subscription can no longer deliver, for `reason` (push
    /// mode: the address the camera posts to is gone from this machine): it is given up
    /// (Unsubscribe, bounded) and re-created, as if it had failed. Call it between requests;
    /// without a live subscription, or while closing, it does nothing (a re-creation to come
    /// is made anew anyway).
    pub fn replace(&mut self, reason: impl Into<String>) {
        if self.closing
            || self.sub.is_none()
            || !matches!(self.state, State::Live | State::Sleep { .. })
        {
            return;
        }
        // The camera did nothing wrong: not a failed attempt, however recent the subscription.
        self.unproven = None;
        self.state = State::GiveUp {
            failure: Failure::new(FailureKind::Other, reason),
            what: "",
        };
    }

    /// SetSynchronizationPoint failed: a camera that does not support it gets no silence
    /// probes; after another failure the next probe waits for another silence.
    pub(super) fn sync_failed(&mut self, kind: FailureKind) {
        if kind == FailureKind::NotSupported {
            self.sync_off = true;
        }
        self.silence_probe = None;
    }

    /// When the silence probe is due, or its grace is over; `None` while silence is not
    /// judged. The silence doubles with each probe in a row that went unanswered on a camera
    /// that never answered one (up to [`MAX_SILENCE`]): such a camera may simply not answer
    /// SetSynchronizationPoint, and is then replaced ever more rarely instead of never judged
    /// again (a dead subscription must not go unnoticed).
    pub(super) fn silence_due(&self) -> Option<Instant> {
        let base = self.cfg.silence.filter(|s| !s.is_zero())?.max(MIN_SILENCE);
        let silence = if self.probe_answered {
            base
        } else {
            base.saturating_mul(1 << self.probes_lost.min(16))
                .min(MAX_SILENCE.max(base))
        };
        if self.sync_off || !self.delivers {
            return None;
        }
        match self.silence_probe {
            Some(p) => Some(later(p, SILENCE_GRACE)),
            None => {
                let quiet_since = self.last_event.max(self.opened)?;
                Some(later(quiet_since, silence))
            }
        }
    }

    /// A live subscription quiet for too long: ask for its states, or, when a probe went
    /// unanswered, give it up.
    pub(super) fn silence_step(&mut self, now: Instant) -> Option<Step> {
        let due = self.silence_due()?;
        if now < due {
            return None;
        }
        match self.silence_probe.take() {
            None => {
                self.silence_probe = Some(now);
                self.opened = Some(now);
                self.state = State::AwaitSync;
                Some(Step::Send(Request::SetSynchronizationPoint))
            }
            Some(asked) => {
                self.probes_lost += 1;
                let quiet = match self.last_event {
                    Some(t) => format!(
                        "no event for {}",
                        human_duration(now.saturating_duration_since(t))
                    ),
                    None => "no event since the subscription was created".into(),
                };
                let reason = format!(
                    "{quiet}, not even the current states SetSynchronizationPoint asked for \
                     {} ago: the subscription no longer delivers",
                    human_duration(now.saturating_duration_since(asked)),
                );
                self.state = State::GiveUp {
                    failure: Failure::new(FailureKind::Other, reason),
                    what: "",
                };
                Some(Step::Again)
            }
        }
    }
}
