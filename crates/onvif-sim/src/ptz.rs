//! The PTZ heads: two nodes whose position really advances over time toward a target or at a
//! velocity, clamped at their limits, with presets and a home position kept in memory.
//!
//! | node        | configuration | profile     | pan / tilt                | zoom       | presets | home            |
//! |-------------|---------------|-------------|---------------------------|------------|---------|-----------------|
//! | `PTZNode_1` | `PTZConfig_1` | `Profile_1` | generic, -1..1 / -1..1    | 0..1       | 16      | settable, 0,0,0 |
//! | `PTZNode_2` | `PTZConfig_2` | `Profile_3` | degrees, -180..180 / -90..90 | 0..0.5  | 4       | fixed, 0,0,0    |
//!
//! `PTZNode_1` has only the generic spaces. `PTZNode_2` has no generic pan/tilt space: positions,
//! translations (-360..360 / -180..180), velocities (-90..90 deg/s) and speeds (0..90 deg/s)
//! are in degrees; its zoom uses the generic URIs with a narrower range (0..0.5, translations
//! -0.5..0.5), as some cameras do.
//!
//! How fast: a speed or velocity of 1 moves 1 unit of the node's position space per second
//! (generic units on `PTZNode_1`, degrees on `PTZNode_2`), except `PTZNode_2`'s zoom, where 1
//! is 0.5 per second (its whole range). Pan, tilt and zoom move independently, each at its own
//! speed (a speed vector's `x` for pan, `y` for tilt). A speed of 0 means the configuration's
//! default speed. Moving past a limit stops the axis at the limit (IDLE). A continuous move
//! stops after its timeout (the configuration's default, 10 s, when the request gives none).
//!
//! The nodes' fixed data is in [`nodes`]; this module moves the heads.
//!
//! Time comes from a [`Clock`]: real monotonic time by default, or, with
//! [`crate::SimConfig::manual_clock`], only what [`crate::SimHandle::advance`] adds. Positions
//! are computed exactly (every motion is linear) whenever they are looked at, so stepping the
//! clock by any amount gives the same result as watching in real time.

use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use onvif_proto::ops::profile::FloatRange;
use tokio::sync::watch;

use crate::sync::lock;

mod nodes;

pub(crate) use nodes::{DEFAULT_TIMEOUT, NODES, NodeDef, Rates, TIMEOUT_RANGE, node_def};

/// How often the real-time clock publishes a moving head's position to watchers.
const TICK: Duration = Duration::from_millis(20);

// ---------------------------------------------------------------------------------------------
// Motion

#[derive(Debug, Clone, Copy, PartialEq)]
enum Motion {
    Idle,
    /// Toward a position at a speed (units per second, positive).
    Toward {
        target: f64,
        rate: f64,
    },
    /// At a signed speed, until a time on the clock (or a limit).
    Velocity {
        rate: f64,
        until: Duration,
    },
}

#[derive(Debug, Clone, Copy)]
struct Axis {
    pos: f64,
    range: FloatRange,
    motion: Motion,
}

impl Axis {
    fn new(pos: f64, (min, max): (f64, f64)) -> Axis {
        Axis {
            pos,
            range: FloatRange { min, max },
            motion: Motion::Idle,
        }
    }

    fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.range.min, self.range.max)
    }

    /// Move from time `from` to `to`.
    fn advance(&mut self, from: Duration, to: Duration) {
        let dt = to.saturating_sub(from).as_secs_f64();
        match self.motion {
            Motion::Idle => {}
            Motion::Toward { target, rate } => {
                let left = target - self.pos;
                if rate * dt >= left.abs() {
                    self.pos = target;
                    self.motion = Motion::Idle;
                } else {
                    self.pos += (rate * dt).copysign(left);
                }
            }
            Motion::Velocity { rate, until } => {
                let dt = until.min(to).saturating_sub(from).as_secs_f64();
                let p = self.pos + rate * dt;
                if p >= self.range.max || p <= self.range.min {
                    self.pos = self.clamp(p);
                    self.motion = Motion::Idle;
                } else {
                    self.pos = p;
                    if until <= to {
                        self.motion = Motion::Idle;
                    }
                }
            }
        }
    }

    fn go_to(&mut self, target: f64, rate: f64) {
        let target = self.clamp(target);
        self.motion = if target == self.pos {
            Motion::Idle
        } else {
            Motion::Toward { target, rate }
        };
    }

    fn run(&mut self, rate: f64, until: Duration, now: Duration) {
        let blocked = (rate > 0.0 && self.pos >= self.range.max)
            || (rate < 0.0 && self.pos <= self.range.min);
        self.motion = if rate == 0.0 || blocked || until <= now {
            Motion::Idle
        } else {
            Motion::Velocity { rate, until }
        };
    }

    fn stop(&mut self) {
        self.motion = Motion::Idle;
    }

    fn moving(&self) -> bool {
        self.motion != Motion::Idle
    }
}

/// A stored preset.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredPreset {
    pub token: String,
    pub name: String,
    pub position: [f64; 3],
}

/// One head: where it is, how it moves, and what it remembers.
pub(crate) struct Head {
    pub def: &'static NodeDef,
    pan: Axis,
    tilt: Axis,
    zoom: Axis,
    pub presets: Vec<StoredPreset>,
    pub home: [f64; 3],
    pub last_aux: Option<String>,
}

impl Head {
    fn new(def: &'static NodeDef) -> Head {
        let [pan, tilt, zoom] = def.position_ranges();
        Head {
            def,
            pan: Axis::new(0.0, pan),
            tilt: Axis::new(0.0, tilt),
            zoom: Axis::new(0.0, zoom),
            presets: Vec::new(),
            home: [0.0, 0.0, 0.0],
            last_aux: None,
        }
    }

    fn advance(&mut self, from: Duration, to: Duration) {
        for a in [&mut self.pan, &mut self.tilt, &mut self.zoom] {
            a.advance(from, to);
        }
    }

    /// `[pan, tilt, zoom]` now.
    pub(crate) fn position(&self) -> [f64; 3] {
        [self.pan.pos, self.tilt.pos, self.zoom.pos]
    }

    pub(crate) fn pan_tilt_moving(&self) -> bool {
        self.pan.moving() || self.tilt.moving()
    }

    pub(crate) fn zoom_moving(&self) -> bool {
        self.zoom.moving()
    }

    /// Move toward a position; parts left `None` keep doing what they did.
    pub(crate) fn move_to(&mut self, pan_tilt: Option<(f64, f64)>, zoom: Option<f64>, r: Rates) {
        if let Some((p, t)) = pan_tilt {
            self.pan.go_to(p, r.pan);
            self.tilt.go_to(t, r.tilt);
        }
        if let Some(z) = zoom {
            self.zoom.go_to(z, r.zoom);
        }
    }

    /// Move by a translation from where the head is now (clamped at the limits).
    pub(crate) fn move_by(&mut self, pan_tilt: Option<(f64, f64)>, zoom: Option<f64>, r: Rates) {
        let [p, t, z] = self.position();
        self.move_to(
            pan_tilt.map(|(dp, dt)| (p + dp, t + dt)),
            zoom.map(|dz| z + dz),
            r,
        );
    }

    /// Move at velocities (position units per second) until `until`.
    pub(crate) fn run(
        &mut self,
        pan_tilt: Option<(f64, f64)>,
        zoom: Option<f64>,
        until: Duration,
        now: Duration,
    ) {
        if let Some((p, t)) = pan_tilt {
            self.pan.run(p, until, now);
            self.tilt.run(t, until, now);
        }
        if let Some(z) = zoom {
            self.zoom.run(z, until, now);
        }
    }

    pub(crate) fn stop(&mut self, pan_tilt: bool, zoom: bool) {
        if pan_tilt {
            self.pan.stop();
            self.tilt.stop();
        }
        if zoom {
            self.zoom.stop();
        }
    }

    /// What tests see of this head.
    pub(crate) fn state(&self) -> HeadState {
        let [pan, tilt, zoom] = self.position();
        HeadState {
            node: self.def.token,
            configuration: self.def.config,
            pan,
            tilt,
            zoom,
            pan_tilt_moving: self.pan_tilt_moving(),
            zoom_moving: self.zoom_moving(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What tests see

/// One PTZ head at one moment.
///
/// The camera has two heads. `PTZNode_1` (configuration `PTZConfig_1`, profile `Profile_1`)
/// uses only the generic spaces: pan and tilt -1..1, zoom 0..1, 16 presets, a settable home.
/// `PTZNode_2` (`PTZConfig_2`, `Profile_3`) has no generic pan/tilt space: positions in
/// degrees (pan -180..180, tilt -90..90), translations -360..360 / -180..180, velocities
/// -90..90 deg/s, speeds 0..90 deg/s; its zoom uses the generic URIs with a range of 0..0.5
/// (translations -0.5..0.5); 4 presets, a fixed home; no auxiliary commands. Both start at
/// 0, 0, 0 with home there.
///
/// A speed or velocity of 1 moves 1 unit of the node's position space per second (degrees on
/// `PTZNode_2`), except `PTZNode_2`'s zoom, where 1 is 0.5 per second. Pan, tilt and zoom move
/// independently, each at its own speed (a speed vector's `x` for pan, `y` for tilt); a speed
/// of 0 or none means the default speed (0.5, or 45 deg/s and 0.5 on `PTZNode_2`). Targets
/// and continuous moves stop at the limits (the axis is then idle). A continuous move ends
/// after its timeout, 10 s when the request gives none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadState {
    /// `PTZNode_1` or `PTZNode_2`.
    pub node: &'static str,
    /// `PTZConfig_1` or `PTZConfig_2`.
    pub configuration: &'static str,
    /// In the node's absolute pan/tilt space (generic units, or degrees for `PTZNode_2`).
    pub pan: f64,
    /// Like `pan`.
    pub tilt: f64,
    /// In the node's absolute zoom space.
    pub zoom: f64,
    /// GetStatus says `MOVING` for pan/tilt.
    pub pan_tilt_moving: bool,
    /// GetStatus says `MOVING` for zoom.
    pub zoom_moving: bool,
}

impl HeadState {
    /// `(pan, tilt, zoom)`.
    pub fn position(&self) -> (f64, f64, f64) {
        (self.pan, self.tilt, self.zoom)
    }

    /// Is any axis moving?
    pub fn moving(&self) -> bool {
        self.pan_tilt_moving || self.zoom_moving
    }
}

/// Every head at one moment of the PTZ clock, as [`crate::SimHandle::ptz_watch`] publishes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PtzSnapshot {
    /// PTZ clock time since the camera started.
    pub time: Duration,
    /// `PTZNode_1`, then `PTZNode_2`.
    pub heads: Vec<HeadState>,
}

impl PtzSnapshot {
    /// A head by node, configuration or profile token.
    pub fn head(&self, token: &str) -> Option<&HeadState> {
        let node = node_def(token)?;
        self.heads.iter().find(|h| h.node == node.token)
    }

    /// Is any head moving?
    pub fn moving(&self) -> bool {
        self.heads.iter().any(HeadState::moving)
    }
}

// ---------------------------------------------------------------------------------------------
// Clock and shared state

/// The PTZ clock: monotonic real time (unless manual) plus whatever was added.
struct Clock {
    manual: bool,
    start: Instant,
    added: Mutex<Duration>,
}

impl Clock {
    fn now(&self) -> Duration {
        let real = if self.manual {
            Duration::ZERO
        } else {
            self.start.elapsed()
        };
        real.saturating_add(*lock(&self.added))
    }
}

struct Heads {
    heads: Vec<Head>,
    /// The time the positions are for.
    time: Duration,
}

struct Inner {
    clock: Clock,
    heads: Mutex<Heads>,
    tx: watch::Sender<PtzSnapshot>,
}

impl Inner {
    /// Bring every head to the clock's time, run `f`, publish what changed.
    fn with<R>(&self, f: impl FnOnce(&mut Vec<Head>, Duration) -> R) -> R {
        let mut h = lock(&self.heads);
        let now = self.clock.now().max(h.time);
        let from = h.time;
        for head in &mut h.heads {
            head.advance(from, now);
        }
        h.time = now;
        let r = f(&mut h.heads, now);
        let heads: Vec<HeadState> = h.heads.iter().map(Head::state).collect();
        drop(h);
        self.tx.send_if_modified(|s| {
            s.time = now;
            if s.heads == heads {
                false
            } else {
                s.heads = heads;
                true
            }
        });
        r
    }
}

/// The PTZ side of the camera.
pub(crate) struct Ptz {
    inner: Arc<Inner>,
}

impl Ptz {
    /// Both heads at 0, 0, 0, idle. With a real clock and a tokio runtime at hand, a task
    /// publishes moving heads' positions every 20 ms until the camera is gone.
    pub(crate) fn new(manual_clock: bool) -> Ptz {
        let heads: Vec<Head> = NODES.iter().map(Head::new).collect();
        let snapshot = PtzSnapshot {
            time: Duration::ZERO,
            heads: heads.iter().map(Head::state).collect(),
        };
        let (tx, _) = watch::channel(snapshot);
        let inner = Arc::new(Inner {
            clock: Clock {
                manual: manual_clock,
                start: Instant::now(),
                added: Mutex::new(Duration::ZERO),
            },
            heads: Mutex::new(Heads {
                heads,
                time: Duration::ZERO,
            }),
            tx,
        });
        if !manual_clock && let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(tick(Arc::downgrade(&inner)));
        }
        Ptz { inner }
    }

    /// Run `f` on the head of `token` (node, configuration or profile), brought up to now;
    /// `None` for an unknown token. `f` also gets the PTZ clock's time.
    pub(crate) fn with_head<R>(
        &self,
        token: &str,
        f: impl FnOnce(&mut Head, Duration) -> R,
    ) -> Option<R> {
        let node = node_def(token)?;
        self.inner.with(|heads, now| {
            heads
                .iter_mut()
                .find(|h| h.def.token == node.token)
                .map(|h| f(h, now))
        })
    }

    /// Every head now.
    pub(crate) fn snapshot(&self) -> PtzSnapshot {
        self.inner.with(|_, _| ());
        self.inner.tx.borrow().clone()
    }

    /// Move the PTZ clock forward by `d`, and the heads with it.
    pub(crate) fn advance(&self, d: Duration) {
        {
            let mut added = lock(&self.inner.clock.added);
            *added = added.saturating_add(d);
        }
        self.inner.with(|_, _| ());
    }

    /// The PTZ clock's time.
    pub(crate) fn time(&self) -> Duration {
        self.inner.clock.now()
    }

    /// A receiver of every change of the heads.
    pub(crate) fn watch(&self) -> watch::Receiver<PtzSnapshot> {
        self.inner.tx.subscribe()
    }
}

/// Publish the heads' positions while they move (real clock only).
async fn tick(inner: Weak<Inner>) {
    let mut every = tokio::time::interval(TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(inner) = inner.upgrade() else { return };
        if inner.tx.borrow().moving() {
            inner.with(|_, _| ());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn an_axis_arrives_and_stops() {
        let mut a = Axis::new(0.0, (-1.0, 1.0));
        a.go_to(0.5, 0.25);
        a.advance(secs(0.0), secs(1.0));
        assert!((a.pos - 0.25).abs() < 1e-12 && a.moving());
        a.advance(secs(1.0), secs(5.0));
        assert_eq!(a.pos, 0.5);
        assert!(!a.moving());
        // Targets beyond the limits are clamped.
        a.go_to(7.0, 1.0);
        a.advance(secs(5.0), secs(10.0));
        assert_eq!(a.pos, 1.0);
    }

    #[test]
    fn a_velocity_stops_at_its_deadline_or_a_limit() {
        let mut a = Axis::new(0.0, (-1.0, 1.0));
        a.run(0.5, secs(1.0), secs(0.0));
        a.advance(secs(0.0), secs(3.0));
        assert!((a.pos - 0.5).abs() < 1e-12);
        assert!(!a.moving());
        a.run(-1.0, secs(100.0), secs(3.0));
        a.advance(secs(3.0), secs(10.0));
        assert_eq!(a.pos, -1.0);
        assert!(!a.moving());
        // Pushing against the limit does not start a move.
        a.run(-1.0, secs(100.0), secs(10.0));
        assert!(!a.moving());
    }
}
