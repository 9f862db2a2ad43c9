//! The decisions of a managed event session, as a state machine: no I/O, no clock.

mod grants;
mod quiet;
mod recovery;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::lifecycle::{Lifecycle, Output};
use super::types::{
    Backoff, Config, EARLY_EMPTY_PAUSE, Failure, FailureKind, Grant, MIN_RENEW_GAP, Mode,
    PROBE_EVERY, PROBE_LIMIT, PROVEN_AFTER, Request, Termination, UNSUBSCRIBE_LIMIT, time_left,
};

/// The live subscription.
#[derive(Debug)]
struct Sub {
    granted: Duration,
    renew_at: Instant,
    /// When it was last renewed (`None` before its first renewal).
    renewed: Option<Instant>,
    /// When it was last known alive (created, renewed, pulled from, or in push mode a
    /// notification received).
    alive: Instant,
    /// Push mode: the camera refused a liveness check as not supported, so this subscription
    /// is not checked between renewals.
    checks_off: bool,
    /// Pull mode: a renewal was refused; the next long poll tells whether the pull point
    /// still works without it.
    renew_doubt: Option<Failure>,
    /// Pull mode: not renewed (the camera refuses Renew): kept alive by its long polls.
    renew_off: bool,
    /// When the last grant (creation or renewal) ends, on our clock, if the camera said.
    until: Option<Instant>,
}

impl Sub {
    /// When to renew: as planned, but never sooner than [`MIN_RENEW_GAP`] after the last
    /// renewal (a camera granting almost nothing must not be renewed in a tight loop).
    fn renew_due(&self) -> Instant {
        match self.renewed {
            Some(t) => self.renew_at.max(t + MIN_RENEW_GAP),
            None => self.renew_at,
        }
    }
}

/// Where the session is.
#[derive(Debug)]
enum State {
    /// Nothing asked yet: the first subscription is to be created.
    Start,
    AwaitCreate {
        first: bool,
    },
    /// A live subscription, deciding what comes next.
    Live,
    /// A Renew sent: a renewal, or (push mode, before the renewal is due) a liveness check.
    AwaitRenew {
        check: bool,
    },
    AwaitPull {
        asked_at: Instant,
        wait: Duration,
    },
    /// Waiting for the subscription's next due time (push mode), or after a long poll
    /// answered empty too soon.
    Sleep {
        until: Instant,
    },
    /// The subscription failed: unsubscribe it when it may still be alive, then recover.
    GiveUp {
        failure: Failure,
        what: &'static str,
    },
    AwaitUnsubscribeOld {
        failure: Failure,
        what: &'static str,
    },
    Backoff(Backoff),
    AwaitProbe(Backoff),
    /// Re-created in pull mode: SetSynchronizationPoint is to be sent.
    Sync,
    AwaitSync,
    AwaitUnsubscribeClose,
    Closed,
}

/// What [`Session::poll_request`] does next.
enum Step {
    Send(Request),
    Wait,
    Again,
}

/// A small generator for jitter (SplitMix64): seeded by the driver, so a run can be replayed.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A fraction in `[lo, hi)`.
    fn jitter(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// A managed event session: it decides when to create, renew, pull, check, give up and
/// re-create a subscription; the driver makes the requests and feeds the answers back.
///
/// The driver's loop: take every [`Session::poll_output`] (events and lifecycle signals, in
/// order); stop once [`Session::is_closed`]; make the request [`Session::poll_request`] asks
/// for, if any, and feed its answer with the matching `handle_*` (one answer per request);
/// otherwise wait until [`Session::poll_timeout`] and call [`Session::handle_timeout`].
/// [`Session::close`] ends the session (with Unsubscribe, when configured). Every call takes
/// the current time from the driver; the session never reads a clock.
#[derive(Debug)]
pub struct Session<E> {
    cfg: Config,
    mode: Mode,
    rng: Rng,
    state: State,
    sub: Option<Sub>,
    out: VecDeque<Output<E>>,
    /// Asked to close.
    closing: bool,
    /// Failed creation attempts in the attempt cap's window (a working subscription clears
    /// them).
    failures: VecDeque<Instant>,
    /// The re-creation back-off: the delay before the next attempt, before jitter.
    delay: Duration,
    /// When the last re-creation was made, until the subscription it made works (one that
    /// dies before it ever works counts as a failed attempt).
    unproven: Option<Instant>,
    /// Send termination times as absolute times (the camera ignores relative ones).
    absolute: bool,
    /// An absolute time is being tried after this short relative grant: the next grant tells
    /// whether the camera ignores relative times or grants short times whatever is asked.
    probing: Option<Duration>,
    /// [`Lifecycle::ShortGrant`] was signalled.
    short_told: bool,
    /// [`Lifecycle::LivenessCheckOff`] was signalled.
    checks_off_told: bool,
    /// PullMessages failures in a row on this subscription.
    pull_failures: u32,
    /// Push mode: liveness checks failed in a row on this subscription.
    check_failures: u32,
    /// A probe went unanswered since the last answer (kept across the waits of a recovery).
    was_down: bool,
    /// Push mode: when the last notification arrived.
    notified: Option<Instant>,
    /// When the subscription was created, or last asked for its states
    /// (SetSynchronizationPoint).
    opened: Option<Instant>,
    /// Events came within [`SILENCE_GRACE`](super::types::SILENCE_GRACE) of that: the camera
    /// answers a creation or a synchronization point with its states, so its silence can be
    /// judged.
    delivers: bool,
    /// When the last event arrived (pulled, or in push mode notified).
    last_event: Option<Instant>,
    /// A silence probe (SetSynchronizationPoint) went out then; no event since.
    silence_probe: Option<Instant>,
    /// The camera refused SetSynchronizationPoint as not supported: no silence probes.
    sync_off: bool,
    /// [`Lifecycle::RenewRefused`] was signalled.
    renew_off_told: bool,
    /// Pull mode: how long the pull point had left by the last long poll's answer.
    pull_left: Option<Duration>,
    /// A silence probe was answered with states on this session.
    probe_answered: bool,
    /// Silence probes that went unanswered, since one was answered.
    probes_lost: u32,
}

impl<E> Session<E> {
    /// A session that has asked nothing yet; `seed` drives the jitter.
    pub fn new(cfg: Config, mode: Mode, seed: u64) -> Session<E> {
        let absolute = cfg.absolute_times;
        Session {
            cfg,
            mode,
            rng: Rng(seed),
            state: State::Start,
            sub: None,
            out: VecDeque::new(),
            closing: false,
            failures: VecDeque::new(),
            delay: Duration::ZERO,
            unproven: None,
            absolute,
            probing: None,
            short_told: false,
            checks_off_told: false,
            pull_failures: 0,
            check_failures: 0,
            was_down: false,
            notified: None,
            opened: None,
            delivers: false,
            last_event: None,
            silence_probe: None,
            sync_off: false,
            renew_off_told: false,
            pull_left: None,
            probe_answered: false,
            probes_lost: 0,
        }
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The session ended (or its first subscription could not be created).
    pub fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    /// The next event or lifecycle signal.
    pub fn poll_output(&mut self) -> Option<Output<E>> {
        let o = self.out.pop_front();
        if self.out.is_empty() && self.out.capacity() > 0 {
            // A burst (the initial states) is not kept room for through the long polls that
            // follow: a fleet's sessions would each carry it.
            self.out = VecDeque::new();
        }
        o
    }

    /// The request to make now, if any. The session then waits for its answer.
    pub fn poll_request(&mut self, now: Instant) -> Option<Request> {
        loop {
            match self.step(now) {
                Step::Send(r) => return Some(r),
                Step::Wait => return None,
                Step::Again => {}
            }
        }
    }

    /// When [`Session::handle_timeout`] is due, while no request is outstanding (valid after
    /// [`Session::poll_request`]).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.state {
            State::Sleep { until } => Some(*until),
            State::Backoff(b) => {
                let deadline = b.deadline?;
                if b.unreachable && !b.to_deadline {
                    Some(b.next_probe.map_or(deadline, |p| p.min(deadline)))
                } else {
                    Some(deadline)
                }
            }
            _ => None,
        }
    }

    /// The time [`Session::poll_timeout`] gave has come.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let State::Sleep { until } = self.state
            && now >= until
        {
            self.state = State::Live;
        }
    }

    /// A subscription was created ([`Request::Create`]).
    pub fn handle_created(&mut self, now: Instant, grant: Grant) {
        let State::AwaitCreate { first } = self.state else {
            return;
        };
        let granted = grant.granted(self.cfg.termination);
        let until = grant_until(now, &grant);
        let address = grant.address;
        self.sub = Some(Sub {
            granted,
            renew_at: later(now, self.renew_after(granted)),
            renewed: None,
            alive: now,
            checks_off: false,
            renew_doubt: None,
            renew_off: false,
            until,
        });
        self.pull_failures = 0;
        self.check_failures = 0;
        if self.mode == Mode::Pull {
            // Its states come with the first long poll: counted from the answer, not from
            // when the creation went out (a push camera may post them before it answers).
            self.opened(now);
        }
        if first {
            self.delay = self.cfg.backoff_initial.max(MIN_BACKOFF);
            let liveness = match self.mode {
                Mode::Push => self.cfg.liveness.map(|l| l.max(MIN_RENEW_GAP)),
                Mode::Pull => None,
            };
            self.tell(Lifecycle::Subscribed {
                address,
                granted,
                liveness,
            });
            self.check_grant(now);
            self.state = State::Live;
        } else {
            self.unproven = Some(now);
            self.tell(Lifecycle::Recreated { address, granted });
            self.check_grant(now);
            self.state = match self.mode {
                Mode::Pull => State::Sync,
                Mode::Push => State::Live,
            };
        }
    }

    /// The subscription was renewed ([`Request::Renew`]); `grant.address` is not used.
    pub fn handle_renewed(&mut self, now: Instant, grant: Grant) {
        let State::AwaitRenew { check } = self.state else {
            return;
        };
        let granted = grant.granted(self.cfg.termination);
        let renew_after = self.renew_after(granted);
        if let Some(sub) = &mut self.sub {
            sub.granted = granted;
            sub.renew_at = later(now, renew_after);
            sub.renewed = Some(now);
            sub.alive = now;
            sub.until = grant_until(now, &grant);
        }
        self.check_failures = 0;
        self.proven(now);
        self.check_grant(now);
        if !check {
            self.tell(Lifecycle::Renewed { granted });
        }
        self.state = State::Live;
    }

    /// A long poll ([`Request::Pull`]) answered with `events`.
    pub fn handle_pulled(&mut self, now: Instant, events: impl IntoIterator<Item = E>) {
        let State::AwaitPull { asked_at, wait } = self.state else {
            return;
        };
        self.pull_failures = 0;
        if let Some(sub) = &mut self.sub {
            sub.alive = now;
        }
        let ending = self.pull_answered(now, wait);
        self.proven(now);
        let before = self.out.len();
        self.out.extend(events.into_iter().map(Output::Event));
        if self.out.len() > before {
            self.heard(now);
        }
        if let Some(failure) = ending {
            self.state = State::GiveUp { failure, what: "" };
            return;
        }
        // A camera that answers an empty long poll at once (ignoring its Timeout) must not
        // be polled in a tight loop.
        let early =
            now.saturating_duration_since(asked_at) < (wait / 2).min(Duration::from_secs(1));
        self.state = if self.out.len() == before && early {
            State::Sleep {
                until: now + EARLY_EMPTY_PAUSE,
            }
        } else {
            State::Live
        };
    }

    /// A request whose answer carries nothing the session needs (SetSynchronizationPoint,
    /// Unsubscribe) succeeded.
    pub fn handle_done(&mut self, now: Instant) {
        match std::mem::replace(&mut self.state, State::Closed) {
            State::AwaitSync => self.state = State::Live,
            State::AwaitUnsubscribeOld { failure, what } => self.recover(now, failure, what),
            State::AwaitUnsubscribeClose => self.finish(),
            other => self.state = other,
        }
    }

    /// A probe ([`Request::Probe`]) was answered (`answered`; a fault or a refusal is an
    /// answer too), or not by its deadline.
    pub fn handle_probe(&mut self, now: Instant, answered: bool) {
        let mut b = match std::mem::replace(&mut self.state, State::Closed) {
            State::AwaitProbe(b) => b,
            other => {
                // Not waiting for a probe: nothing to do, and nothing lost.
                self.state = other;
                return;
            }
        };
        // An answer ends the wait only after a probe went unanswered: a camera that answers
        // while never having failed a probe did not go away (only its event service fails),
        // and the full back-off is waited.
        match (answered, self.was_down) {
            (true, true) => {
                self.was_down = false;
                b.deadline = Some(now);
                b.to_deadline = true;
            }
            (true, false) => b.to_deadline = true,
            (false, _) => {
                self.was_down = true;
                b.next_probe = None;
            }
        }
        self.state = State::Backoff(b);
    }

    /// The outstanding request failed.
    pub fn handle_failed(&mut self, now: Instant, failure: Failure) {
        let kind = failure.kind;
        // Only a renewal is the absolute-time trial (see `check_grant`).
        let trial = if matches!(self.state, State::AwaitRenew { .. }) {
            self.probing.take()
        } else {
            None
        };
        if let Some(relative_grant) = trial {
            // The absolute time tried after a short grant was refused: go back to relative
            // times, which the camera did grant, short as they were (else every re-creation
            // would ask an absolute time again and fail the same way).
            self.absolute = false;
            self.tell_short(relative_grant);
        }
        match std::mem::replace(&mut self.state, State::Closed) {
            // That trial's refusal says nothing of the subscription, which still has its
            // relative grant: it is renewed at once, with a relative time.
            State::AwaitRenew { .. } if trial.is_some() && !ends_subscription(kind) => {
                if let Some(sub) = &mut self.sub {
                    sub.renew_at = now;
                }
                self.state = State::Live;
            }
            // Some cameras refuse Renew on a pull point that works: the next long poll tells.
            State::AwaitRenew { check: false } if self.renewal_refused(kind) => {
                if let Some(sub) = &mut self.sub {
                    sub.renew_doubt = Some(failure);
                }
                self.state = State::Live;
            }
            // The driver reports the failure of the first creation itself.
            State::AwaitCreate { first: true } => {}
            State::AwaitCreate { first: false } => self.creation_failed(now, failure),
            State::AwaitRenew { check } => {
                if check && kind == FailureKind::NotSupported {
                    // The camera does not do Renew between renewals: the subscription is left
                    // to its renewal (or termination) time, unchecked.
                    if let Some(sub) = &mut self.sub {
                        sub.checks_off = true;
                    }
                    self.check_failures = 0;
                    if !self.checks_off_told {
                        self.checks_off_told = true;
                        self.tell(Lifecycle::LivenessCheckOff {
                            reason: failure.reason,
                        });
                    }
                    self.state = State::Live;
                } else if check && self.check_failures == 0 && !ends_subscription(kind) {
                    // One failed check (a timeout, an HTTP 5xx) does not mean the
                    // subscription is gone: check once more at once.
                    self.check_failures += 1;
                    self.state = State::Live;
                } else {
                    self.check_failures = 0;
                    let what = if check {
                        "the liveness check (Renew) failed: "
                    } else {
                        ""
                    };
                    self.state = State::GiveUp { failure, what };
                }
            }
            State::AwaitPull { .. } => {
                // A timeout, an HTTP 5xx or a long poll closed early does not mean the
                // subscription is gone: pull once more on it.
                if ends_subscription(kind) || self.pull_failures >= 1 {
                    self.pull_failures = 0;
                    self.state = State::GiveUp { failure, what: "" };
                } else {
                    self.pull_failures += 1;
                    self.state = State::Live;
                }
            }
            State::AwaitSync => {
                self.sync_failed(kind);
                self.state = State::Live;
            }
            State::AwaitUnsubscribeOld { failure, what } => self.recover(now, failure, what),
            State::AwaitUnsubscribeClose => self.finish(),
            other => self.state = other,
        }
    }

    /// Push mode: a notification for the current subscription arrived at `at` (proof that it
    /// works: a liveness check due after it is skipped).
    pub fn handle_notified(&mut self, at: Instant) {
        if self.notified.is_some_and(|n| n >= at) {
            return;
        }
        self.notified = Some(at);
        self.heard(at);
    }

    /// End the session: with Unsubscribe first (when configured) while a subscription is
    /// live, then [`Lifecycle::Closed`]. An outstanding request that is
    /// [`Request::abandonable`] counts as abandoned; any other is still to be answered.
    pub fn close(&mut self, _now: Instant) {
        if self.closing || self.is_closed() {
            return;
        }
        self.closing = true;
        match self.state {
            State::AwaitPull { .. } | State::Sleep { .. } => self.state = State::Live,
            State::Start | State::Backoff(_) | State::AwaitProbe(_) => self.finish(),
            _ => {}
        }
    }

    fn step(&mut self, now: Instant) -> Step {
        match &mut self.state {
            State::Start => {
                self.opened(now);
                self.state = State::AwaitCreate { first: true };
                Step::Send(self.create_request())
            }
            State::Live => self.live(now),
            State::Sleep { until } => {
                if now >= *until {
                    self.state = State::Live;
                    Step::Again
                } else {
                    Step::Wait
                }
            }
            State::GiveUp { .. } => {
                let State::GiveUp { failure, what } =
                    std::mem::replace(&mut self.state, State::Closed)
                else {
                    return Step::Again;
                };
                if matches!(failure.kind, FailureKind::Gone | FailureKind::Auth) {
                    self.recover(now, failure, what);
                    Step::Again
                } else {
                    self.state = State::AwaitUnsubscribeOld { failure, what };
                    Step::Send(Request::Unsubscribe {
                        limit: Some(UNSUBSCRIBE_LIMIT),
                    })
                }
            }
            State::Backoff(_) if self.closing => {
                self.finish();
                Step::Wait
            }
            State::Backoff(b) => {
                let deadline = *b.deadline.get_or_insert(later(now, b.wait));
                if !b.unreachable || b.to_deadline {
                    if now < deadline {
                        return Step::Wait;
                    }
                    // What the camera sends from now on is the new subscription's (a push
                    // camera may post its states before its answer to Subscribe arrives).
                    self.opened(now);
                    self.state = State::AwaitCreate { first: false };
                    return Step::Send(self.create_request());
                }
                let next = match b.next_probe {
                    Some(t) => t,
                    None => {
                        let t = now + PROBE_EVERY.mul_f64(self.rng.jitter(0.75, 1.0));
                        if t >= deadline {
                            b.to_deadline = true;
                            return Step::Again;
                        }
                        b.next_probe = Some(t);
                        t
                    }
                };
                if now < next {
                    return Step::Wait;
                }
                b.next_probe = None;
                let b = b.clone();
                self.state = State::AwaitProbe(b);
                Step::Send(Request::Probe {
                    deadline: deadline.min(now + PROBE_LIMIT),
                })
            }
            State::Sync => {
                self.opened(now);
                self.state = State::AwaitSync;
                Step::Send(Request::SetSynchronizationPoint)
            }
            State::AwaitCreate { .. }
            | State::AwaitRenew { .. }
            | State::AwaitPull { .. }
            | State::AwaitUnsubscribeOld { .. }
            | State::AwaitProbe(_)
            | State::AwaitSync
            | State::AwaitUnsubscribeClose
            | State::Closed => Step::Wait,
        }
    }

    /// A live subscription: close, renew or check when due, else pull (or, pushed to,
    /// wait).
    fn live(&mut self, now: Instant) -> Step {
        if self.closing {
            if self.cfg.unsubscribe_on_close {
                self.state = State::AwaitUnsubscribeClose;
                return Step::Send(Request::Unsubscribe { limit: None });
            }
            self.finish();
            return Step::Wait;
        }
        if let Some(step) = self.silence_step(now) {
            return step;
        }
        let silence_due = self.silence_due();
        let termination = self.termination();
        let liveness = match self.mode {
            Mode::Push => self.cfg.liveness,
            Mode::Pull => None,
        };
        let Some(sub) = &mut self.sub else {
            self.finish();
            return Step::Wait;
        };
        // Not renewed: kept alive by its long polls (or to be, once one answers).
        let renew = if sub.renew_off || sub.renew_doubt.is_some() {
            later(now, FAR)
        } else {
            sub.renew_due()
        };
        let due = match liveness {
            Some(every) if !sub.checks_off => renew.min(later(sub.alive, every.max(MIN_RENEW_GAP))),
            _ => renew,
        };
        if now >= due {
            // In push mode a Renew made before the renewal is due is a liveness check.
            let check = now < renew;
            // A notification received since the last check proves the subscription works.
            if check && let Some(t) = self.notified.filter(|t| *t > sub.alive) {
                sub.alive = t;
                self.check_failures = 0;
                self.proven(now);
                return Step::Again;
            }
            self.state = State::AwaitRenew { check };
            return Step::Send(Request::Renew { termination });
        }
        let next = silence_due.map_or(due, |s| s.min(due));
        match self.mode {
            Mode::Push => {
                self.state = State::Sleep { until: next };
                Step::Wait
            }
            Mode::Pull => {
                let wait = self
                    .cfg
                    .pull_timeout
                    .min(next.saturating_duration_since(now))
                    .max(Duration::from_millis(100));
                self.state = State::AwaitPull {
                    asked_at: now,
                    wait,
                };
                Step::Send(Request::Pull {
                    timeout: wait,
                    message_limit: self.cfg.message_limit,
                })
            }
        }
    }

    fn create_request(&self) -> Request {
        Request::Create {
            termination: self.termination(),
        }
    }

    /// The termination time to ask for: relative, or absolute in the camera's clock once the
    /// camera was seen to ignore relative ones.
    fn termination(&self) -> Termination {
        if self.absolute {
            Termination::Absolute(self.cfg.termination)
        } else {
            Termination::Relative(self.cfg.termination)
        }
    }

    /// When to renew after a grant: at about 80 % of it (72-80 %, jittered), and of no more
    /// than was asked: a grant longer than asked may be a camera's mistake (times in two
    /// zones), and renewing early costs one request where renewing late loses the
    /// subscription.
    fn renew_after(&mut self, granted: Duration) -> Duration {
        granted
            .min(self.cfg.termination)
            .mul_f64(0.8 * self.rng.jitter(0.9, 1.0))
    }

    fn tell(&mut self, l: Lifecycle) {
        self.out.push_back(Output::Lifecycle(l));
    }

    fn finish(&mut self) {
        self.tell(Lifecycle::Closed);
        self.sub = None;
        self.state = State::Closed;
    }

    /// The subscription works: once it has for [`PROVEN_AFTER`] since its re-creation, the
    /// back-off and the count of failed attempts start over.
    fn proven(&mut self, now: Instant) {
        if self
            .unproven
            .is_some_and(|t| now.saturating_duration_since(t) < PROVEN_AFTER)
        {
            return;
        }
        self.unproven = None;
        self.failures.clear();
        self.delay = self.cfg.backoff_initial.max(MIN_BACKOFF);
    }
}

/// A failure that ends the subscription at once (no second try on it).
fn ends_subscription(kind: FailureKind) -> bool {
    matches!(
        kind,
        FailureKind::Gone | FailureKind::NoConnection | FailureKind::Auth
    )
}

/// `t + d`, or a time so far ahead it never comes when that does not fit (a setting of
/// `Duration::MAX` means "never", not a panic).
fn later(t: Instant, d: Duration) -> Instant {
    t.checked_add(d).or_else(|| t.checked_add(FAR)).unwrap_or(t)
}

/// The shortest first re-creation delay, whatever the settings say (a zero would stay zero
/// as it doubles).
const MIN_BACKOFF: Duration = Duration::from_millis(10);

/// When a grant ends on our clock, by the camera's times (its current time, or our estimate
/// of it), if it gave its termination.
fn grant_until(now: Instant, grant: &Grant) -> Option<Instant> {
    time_left(
        grant.current_time.or(grant.estimated_time),
        grant.termination_time,
    )
    .map(|l| later(now, l))
}

/// Never, as far as a session goes.
const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
