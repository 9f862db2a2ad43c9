//! The session's decisions on a simulated clock: a scripted camera answers each request at
//! once (a long poll "takes" its timeout), and time jumps from one deadline to the next, so
//! an hour of camera life takes microseconds. No socket, no runtime.

use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};

use super::*;

/// How the scripted camera answers.
enum Answer {
    Created(Grant),
    Renewed(Grant),
    Pulled(Vec<u32>),
    /// Pulled, the pull point having this long left.
    PulledLeft(Vec<u32>, Duration),
    Done,
    Failed(Failure),
    Probe(bool),
}

const LATENCY: Duration = Duration::from_millis(10);

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

/// A grant of `d` in the camera's clock.
fn grant(d: Duration) -> Grant {
    let now = Timestamp::from_second(1_700_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    Grant {
        address: "http://192.0.2.1/onvif/subscription/1".into(),
        current_time: Some(now),
        termination_time: now
            .checked_add(SignedDuration::try_from(d).unwrap_or_default())
            .ok(),
        estimated_time: None,
    }
}

fn asked(t: Termination) -> Duration {
    match t {
        Termination::Relative(d) | Termination::Absolute(d) => d,
    }
}

/// A camera that works: grants what is asked, holds long polls for their timeout.
fn healthy(req: &Request) -> (Duration, Answer) {
    match req {
        Request::Create { termination, .. } => {
            (LATENCY, Answer::Created(grant(asked(*termination))))
        }
        Request::Renew { termination } => (LATENCY, Answer::Renewed(grant(asked(*termination)))),
        Request::Pull { timeout, .. } => (*timeout, Answer::Pulled(Vec::new())),
        Request::SetSynchronizationPoint | Request::Unsubscribe { .. } => (LATENCY, Answer::Done),
        Request::Probe { .. } => (LATENCY, Answer::Probe(true)),
    }
}

fn failed(kind: FailureKind) -> (Duration, Answer) {
    (
        LATENCY,
        Answer::Failed(Failure::new(kind, format!("{kind:?}"))),
    )
}

fn is_create(r: &Request) -> bool {
    matches!(r, Request::Create { .. })
}

fn is_renew(r: &Request) -> bool {
    matches!(r, Request::Renew { .. })
}

/// A session driven against a scripted camera on a simulated clock, as a driver would.
struct Sim<C> {
    s: Session<u32>,
    cam: C,
    t0: Instant,
    now: Instant,
    /// When the session is to be closed.
    close_at: Option<Duration>,
    /// When notifications arrive (push mode), fed to the session as a driver does.
    notifications: Vec<Duration>,
    requests: Vec<(Duration, Request)>,
    lifecycle: Vec<(Duration, Lifecycle)>,
    events: Vec<(Duration, u32)>,
}

impl<C: FnMut(Duration, &Request) -> (Duration, Answer)> Sim<C> {
    fn new(cfg: Config, mode: Mode, seed: u64, cam: C) -> Self {
        let t0 = Instant::now();
        Sim {
            s: Session::new(cfg, mode, seed),
            cam,
            t0,
            now: t0,
            close_at: None,
            notifications: Vec::new(),
            requests: Vec::new(),
            lifecycle: Vec::new(),
            events: Vec::new(),
        }
    }

    fn at(&self) -> Duration {
        self.now - self.t0
    }

    fn drain(&mut self) {
        while let Some(o) = self.s.poll_output() {
            match o {
                Output::Event(e) => self.events.push((self.at(), e)),
                Output::Lifecycle(l) => self.lifecycle.push((self.at(), l)),
            }
        }
    }

    fn close_now(&mut self) {
        self.close_at = None;
        self.s.close(self.now);
    }

    /// Run until `until` (from the start) or until the session closes.
    fn run_until(&mut self, until: Duration) -> &mut Self {
        let end = self.t0 + until;
        loop {
            self.drain();
            if self.s.is_closed() || self.now >= end {
                return self;
            }
            if self.close_at.is_some_and(|c| self.at() >= c) {
                self.close_now();
            }
            let at = self.at();
            for t in self.notifications.iter().filter(|t| **t <= at) {
                self.s.handle_notified(self.t0 + *t);
            }
            if let Some(req) = self.s.poll_request(self.now) {
                self.requests.push((self.at(), req.clone()));
                let at = self.at();
                let (took, answer) = (self.cam)(at, &req);
                if let Some(c) = self.close_at
                    && req.abandonable()
                    && self.at() + took > c
                {
                    self.now = self.t0 + c;
                    self.close_now();
                    continue;
                }
                self.now += took;
                let now = self.now;
                match answer {
                    Answer::Created(g) => self.s.handle_created(now, g),
                    Answer::Renewed(g) => self.s.handle_renewed(now, g),
                    Answer::Pulled(e) => self.s.handle_pulled(now, e),
                    Answer::PulledLeft(e, left) => {
                        let c = grant(left);
                        self.s.handle_pull_times(c.current_time, c.termination_time);
                        self.s.handle_pulled(now, e);
                    }
                    Answer::Done => self.s.handle_done(now),
                    Answer::Failed(f) => self.s.handle_failed(now, f),
                    Answer::Probe(a) => self.s.handle_probe(now, a),
                }
                continue;
            }
            let Some(t) = self.s.poll_timeout() else {
                assert!(self.s.is_closed(), "neither a request nor a timer");
                continue;
            };
            if let Some(c) = self.close_at
                && t >= self.t0 + c
            {
                self.now = self.now.max(self.t0 + c);
                self.close_now();
                continue;
            }
            if t > end {
                self.now = end;
                return self;
            }
            self.now = self.now.max(t);
            self.s.handle_timeout(self.now);
        }
    }

    fn times(&self, f: impl Fn(&Request) -> bool) -> Vec<Duration> {
        self.requests
            .iter()
            .filter(|(_, r)| f(r))
            .map(|(t, _)| *t)
            .collect()
    }

    fn told(&self, f: impl Fn(&Lifecycle) -> bool) -> Vec<(Duration, Lifecycle)> {
        self.lifecycle
            .iter()
            .filter(|(_, l)| f(l))
            .cloned()
            .collect()
    }

    fn lines(&self) -> Vec<String> {
        self.lifecycle
            .iter()
            .map(|(t, l)| format!("{:.3} {l}", t.as_secs_f64()))
            .collect()
    }
}

fn fast() -> Config {
    Config {
        termination: secs(30.0),
        pull_timeout: secs(5.0),
        backoff_initial: secs(0.05),
        backoff_max: secs(0.2),
        ..Config::default()
    }
}

/// The camera loses the subscription at 10 s and refuses every creation after with a fault.
fn refuses_creation(t: Duration, r: &Request) -> (Duration, Answer) {
    match r {
        Request::Create { .. } if t >= secs(10.0) => failed(FailureKind::Other),
        Request::Pull { .. } if t >= secs(10.0) => failed(FailureKind::Gone),
        Request::Pull { timeout, .. } => {
            ((*timeout).min(secs(10.0) - t), Answer::Pulled(Vec::new()))
        }
        _ => healthy(r),
    }
}

mod ending;
mod grants;
mod push;
mod quiet;
mod recovery;
