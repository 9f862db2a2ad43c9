//! Grants: a camera that gives far less than a relative termination time asked, tried with
//! an absolute one.

use std::time::{Duration, Instant};

use super::Session;
use crate::session::lifecycle::Lifecycle;

impl<E> Session<E> {
    /// After a grant: when a camera gave far less than a relative time asked, the
    /// subscription is renewed at once with an absolute time. When that is granted in full,
    /// the camera ignores relative times and the session switches to absolute ones; when it
    /// is not, the camera grants short times whatever is asked, which is said once, and the
    /// session goes back to relative times.
    pub(super) fn check_grant(&mut self, now: Instant) {
        let Some(sub) = &mut self.sub else {
            return;
        };
        let granted = sub.granted;
        let short = granted < self.cfg.termination / 2;
        if let Some(relative_grant) = self.probing.take() {
            if short {
                self.absolute = false;
                self.tell_short(granted);
            } else {
                self.tell(Lifecycle::SwitchedToAbsoluteTimes {
                    asked: self.cfg.termination,
                    granted: relative_grant,
                });
            }
            return;
        }
        if !short {
            return;
        }
        if !self.absolute && !self.short_told {
            self.absolute = true;
            self.probing = Some(granted);
            sub.renew_at = now;
        } else {
            self.tell_short(granted);
        }
    }

    /// Signal (once) that the camera grants short times.
    pub(super) fn tell_short(&mut self, granted: Duration) {
        if !self.short_told {
            self.short_told = true;
            self.tell(Lifecycle::ShortGrant {
                asked: self.cfg.termination,
                granted,
            });
        }
    }
}
