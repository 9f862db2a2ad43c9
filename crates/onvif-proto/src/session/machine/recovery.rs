//! Recovery: the wait before re-creating a subscription that died (back-off with jitter,
//! and the cap on failed attempts per window), and what a death or a failed attempt does.

use std::time::{Duration, Instant};

use super::{Session, State, later};
use crate::session::lifecycle::Lifecycle;
use crate::session::types::{Backoff, Failure, FailureKind, PROBE_EVERY};

impl<E> Session<E> {
    /// The wait before the next creation attempt: the back-off (jittered), or longer when the
    /// failed attempts in the window reached the cap (then `true`).
    pub(super) fn next_wait(&mut self, now: Instant) -> (Duration, bool) {
        let window = self.cfg.attempt_window;
        while self
            .failures
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            self.failures.pop_front();
        }
        let backoff = self.delay.mul_f64(self.rng.jitter(0.5, 1.0));
        if self.failures.len() >= self.cfg.max_attempts_per_window.max(1)
            && let Some(first) = self.failures.front()
        {
            let cap = later(*first, window).saturating_duration_since(now);
            if cap > backoff {
                return (cap, true);
            }
        }
        (backoff, false)
    }

    /// Signal a wait the attempt cap made longer than the back-off.
    pub(super) fn tell_capped(&mut self, retry_in: Duration) {
        self.tell(Lifecycle::AttemptCapReached {
            failures: self.failures.len(),
            window: self.cfg.attempt_window,
            retry_in,
        });
    }

    /// The subscription died (in `what`, said first): report it, then wait to re-create it.
    /// Refused credentials end the session: retrying them would lock the account on cameras
    /// that do so. Only failed attempts count against the cap (a re-creation whose
    /// subscription died before it was proven is one).
    pub(super) fn recover(&mut self, now: Instant, failure: Failure, what: &str) {
        if let Some(t) = self.unproven.take() {
            // It died before it was proven: an attempt that failed, and the back-off grows.
            self.failures.push_back(t);
            self.delay = self.delay.saturating_mul(2).min(self.cfg.backoff_max);
        }
        self.sub = None;
        if failure.kind == FailureKind::Auth {
            return self.give_up_refused(format!("{what}{}", failure.reason));
        }
        self.tell(Lifecycle::Lost {
            reason: format!("{what}{}", failure.reason),
            credentials_refused: false,
        });
        let (wait, capped) = self.next_wait(now);
        if capped {
            self.tell_capped(wait);
        }
        self.was_down = false;
        // The camera did not answer: the next attempt may come sooner, when it answers again.
        self.state = State::Backoff(Backoff::new(wait, failure.kind.is_network() && !capped));
    }

    /// The credentials were refused: say so and end the session (retrying them would lock
    /// the account on cameras that do so).
    fn give_up_refused(&mut self, reason: String) {
        self.tell(Lifecycle::Lost {
            reason: format!("{reason}; the credentials are refused, giving up"),
            credentials_refused: true,
        });
        self.finish();
    }

    /// A creation attempt in a recovery failed.
    pub(super) fn creation_failed(&mut self, now: Instant, failure: Failure) {
        if failure.kind == FailureKind::Auth {
            return self.give_up_refused(format!("re-creation refused: {}", failure.reason));
        }
        self.failures.push_back(now);
        self.delay = self.delay.saturating_mul(2).min(self.cfg.backoff_max);
        let (wait, capped) = self.next_wait(now);
        let unreachable = failure.kind.is_network() && !capped;
        self.tell(Lifecycle::RetryFailed {
            reason: failure.reason,
            retry_in: wait,
            sooner_when_back: unreachable && wait > PROBE_EVERY,
        });
        if capped {
            self.tell_capped(wait);
        }
        self.state = State::Backoff(Backoff::new(wait, unreachable));
    }
}
