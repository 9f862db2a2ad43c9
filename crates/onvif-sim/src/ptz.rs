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
//! Time comes from a [`Clock`]: real monotonic time by default, or, with
//! [`crate::SimConfig::manual_clock`], only what [`crate::SimHandle::advance`] adds. Positions
//! are computed exactly (every motion is linear) whenever they are looked at, so stepping the
//! clock by any amount gives the same result as watching in real time.

use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use onvif_proto::ops::profile::FloatRange;
use onvif_proto::ops::ptz::{
    DurationRange, PtzConfiguration, PtzConfigurationOptions, PtzNode, PtzSpaces, PtzVector,
    Space1D, Space2D, Vector1D, Vector2D, space,
};
use tokio::sync::watch;

use crate::server::SimHandle;
use crate::state::lock;

/// How often the real-time clock publishes a moving head's position to watchers.
const TICK: Duration = Duration::from_millis(20);

/// The default continuous-move timeout of both configurations.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The continuous-move timeouts accepted.
pub(crate) const TIMEOUT_RANGE: DurationRange = DurationRange {
    min: Duration::ZERO,
    max: Duration::from_secs(3600),
};

// ---------------------------------------------------------------------------------------------
// The nodes

/// A node and its configuration: fixed data.
pub(crate) struct NodeDef {
    pub token: &'static str,
    pub name: &'static str,
    pub config: &'static str,
    /// `(x, y)` ranges of the position, translation, velocity spaces; speed and zoom ranges.
    spaces: SpaceDefs,
    /// Position units per second at a speed or velocity of 1 (pan/tilt, zoom).
    rates: (f64, f64),
    /// Default speeds, in the speed spaces (pan/tilt, zoom).
    default_speed: (f64, f64),
    pub max_presets: usize,
    pub fixed_home: bool,
    pub aux: &'static [&'static str],
}

struct SpaceDefs {
    position: (&'static str, (f64, f64), (f64, f64)),
    zoom_position: (&'static str, (f64, f64)),
    translation: (&'static str, (f64, f64), (f64, f64)),
    zoom_translation: (&'static str, (f64, f64)),
    velocity: (&'static str, (f64, f64), (f64, f64)),
    zoom_velocity: (&'static str, (f64, f64)),
    speed: (&'static str, (f64, f64)),
    zoom_speed: (&'static str, (f64, f64)),
}

/// Both nodes, `PTZNode_1` first.
pub(crate) static NODES: [NodeDef; 2] = [
    NodeDef {
        token: "PTZNode_1",
        name: "Generic head",
        config: "PTZConfig_1",
        spaces: SpaceDefs {
            position: (space::PAN_TILT_POSITION_GENERIC, (-1.0, 1.0), (-1.0, 1.0)),
            zoom_position: (space::ZOOM_POSITION_GENERIC, (0.0, 1.0)),
            translation: (
                space::PAN_TILT_TRANSLATION_GENERIC,
                (-1.0, 1.0),
                (-1.0, 1.0),
            ),
            zoom_translation: (space::ZOOM_TRANSLATION_GENERIC, (-1.0, 1.0)),
            velocity: (space::PAN_TILT_VELOCITY_GENERIC, (-1.0, 1.0), (-1.0, 1.0)),
            zoom_velocity: (space::ZOOM_VELOCITY_GENERIC, (-1.0, 1.0)),
            speed: (space::PAN_TILT_SPEED_GENERIC, (0.0, 1.0)),
            zoom_speed: (space::ZOOM_SPEED_GENERIC, (0.0, 1.0)),
        },
        rates: (1.0, 1.0),
        default_speed: (0.5, 0.5),
        max_presets: 16,
        fixed_home: false,
        aux: &[
            "tt:Wiper|On",
            "tt:Wiper|Off",
            "tt:IRLamp|On",
            "tt:IRLamp|Off",
            "tt:IRLamp|Auto",
        ],
    },
    NodeDef {
        token: "PTZNode_2",
        name: "Degree head",
        config: "PTZConfig_2",
        spaces: SpaceDefs {
            position: (
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                (-180.0, 180.0),
                (-90.0, 90.0),
            ),
            zoom_position: (space::ZOOM_POSITION_GENERIC, (0.0, 0.5)),
            translation: (
                space::PAN_TILT_TRANSLATION_SPHERICAL_DEGREES,
                (-360.0, 360.0),
                (-180.0, 180.0),
            ),
            zoom_translation: (space::ZOOM_TRANSLATION_GENERIC, (-0.5, 0.5)),
            velocity: (
                space::PAN_TILT_VELOCITY_DEGREES,
                (-90.0, 90.0),
                (-90.0, 90.0),
            ),
            zoom_velocity: (space::ZOOM_VELOCITY_GENERIC, (-1.0, 1.0)),
            speed: (space::PAN_TILT_SPEED_DEGREES, (0.0, 90.0)),
            zoom_speed: (space::ZOOM_SPEED_GENERIC, (0.0, 1.0)),
        },
        rates: (1.0, 0.5),
        default_speed: (45.0, 0.5),
        max_presets: 4,
        fixed_home: true,
        aux: &[],
    },
];

impl NodeDef {
    /// The node's spaces, one of each kind.
    pub(crate) fn spaces(&self) -> PtzSpaces {
        let s = &self.spaces;
        let two = |(uri, x, y): (&str, (f64, f64), (f64, f64))| vec![Space2D::new(uri, x, y)];
        let one = |(uri, x): (&str, (f64, f64))| vec![Space1D::new(uri, x)];
        PtzSpaces {
            absolute_pan_tilt: two(s.position),
            absolute_zoom: one(s.zoom_position),
            relative_pan_tilt: two(s.translation),
            relative_zoom: one(s.zoom_translation),
            continuous_pan_tilt: two(s.velocity),
            continuous_zoom: one(s.zoom_velocity),
            pan_tilt_speed: one(s.speed),
            zoom_speed: one(s.zoom_speed),
        }
    }

    /// `tt:PTZNode`.
    pub(crate) fn node(&self) -> PtzNode {
        PtzNode {
            token: self.token.into(),
            name: Some(self.name.into()),
            fixed_home_position: Some(self.fixed_home),
            supported_spaces: self.spaces(),
            max_presets: u32::try_from(self.max_presets).ok(),
            home_supported: true,
            auxiliary_commands: self.aux.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// The configuration's default speed as a speed vector.
    pub(crate) fn default_speed(&self) -> PtzVector {
        PtzVector {
            pan_tilt: Some(Vector2D::in_space(
                self.default_speed.0,
                self.default_speed.0,
                self.spaces.speed.0,
            )),
            zoom: Some(Vector1D::in_space(
                self.default_speed.1,
                self.spaces.zoom_speed.0,
            )),
        }
    }

    /// `tt:PTZConfiguration`: the node's spaces as defaults, its position ranges as limits.
    pub(crate) fn configuration(&self) -> PtzConfiguration {
        let s = &self.spaces;
        PtzConfiguration {
            token: self.config.into(),
            name: Some(self.config.into()),
            use_count: Some(1),
            node_token: Some(self.token.into()),
            default_absolute_pan_tilt_space: Some(s.position.0.into()),
            default_absolute_zoom_space: Some(s.zoom_position.0.into()),
            default_relative_pan_tilt_space: Some(s.translation.0.into()),
            default_relative_zoom_space: Some(s.zoom_translation.0.into()),
            default_continuous_pan_tilt_space: Some(s.velocity.0.into()),
            default_continuous_zoom_space: Some(s.zoom_velocity.0.into()),
            default_speed: Some(self.default_speed()),
            default_timeout: Some(DEFAULT_TIMEOUT),
            pan_tilt_limits: Some(Space2D::new(s.position.0, s.position.1, s.position.2)),
            zoom_limits: Some(Space1D::new(s.zoom_position.0, s.zoom_position.1)),
        }
    }

    /// `tt:PTZConfigurationOptions`.
    pub(crate) fn options(&self) -> PtzConfigurationOptions {
        PtzConfigurationOptions {
            spaces: self.spaces(),
            timeout: Some(TIMEOUT_RANGE),
        }
    }

    /// A position as GetStatus and GetPresets write it, in the default absolute spaces.
    pub(crate) fn position_vector(&self, [pan, tilt, zoom]: [f64; 3]) -> PtzVector {
        PtzVector {
            pan_tilt: Some(Vector2D::in_space(pan, tilt, self.spaces.position.0)),
            zoom: Some(Vector1D::in_space(zoom, self.spaces.zoom_position.0)),
        }
    }

    /// Speeds (position units per second) for a request's speed vector, already checked
    /// against the speed spaces; missing parts and zeros take the default speed.
    pub(crate) fn rates(&self, speed: Option<&PtzVector>) -> Rates {
        let or_default = |v: Option<f64>, d: f64| match v {
            Some(v) if v > 0.0 => v,
            _ => d,
        };
        let pt = speed.and_then(|s| s.pan_tilt.as_ref());
        Rates {
            pan: or_default(pt.map(|p| p.x), self.default_speed.0) * self.rates.0,
            tilt: or_default(pt.map(|p| p.y), self.default_speed.0) * self.rates.0,
            zoom: or_default(
                speed.and_then(|s| s.zoom.as_ref()).map(|z| z.x),
                self.default_speed.1,
            ) * self.rates.1,
        }
    }

    /// Position units per second for a velocity (pan/tilt, zoom).
    pub(crate) fn velocity_rates(&self) -> (f64, f64) {
        self.rates
    }
}

/// A node by its token, its configuration's token, or the token of the profile using it.
pub(crate) fn node_def(token: &str) -> Option<&'static NodeDef> {
    NODES
        .iter()
        .find(|n| n.token == token || n.config == token)
        .or_else(|| {
            let (_, p) = crate::media::any_profile(token)?;
            let (config, _) = p.ptz?;
            NODES.iter().find(|n| n.config == config)
        })
}

/// Speeds of the three axes, in position units per second.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rates {
    pub pan: f64,
    pub tilt: f64,
    pub zoom: f64,
}

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
        let s = &def.spaces;
        Head {
            def,
            pan: Axis::new(0.0, s.position.1),
            tilt: Axis::new(0.0, s.position.2),
            zoom: Axis::new(0.0, s.zoom_position.1),
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

    fn state(&self) -> HeadState {
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

/// Every head at one moment of the PTZ clock, as [`SimHandle::ptz_watch`] publishes it.
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

    fn snapshot(&self) -> PtzSnapshot {
        self.inner.with(|_, _| ());
        self.inner.tx.borrow().clone()
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

// ---------------------------------------------------------------------------------------------
// The handle's PTZ side

impl SimHandle {
    /// Move the PTZ clock forward by `d` (only the PTZ heads' time: the camera's wall clock and
    /// WS-Security checks are not affected). With [`crate::SimConfig::manual_clock`] this is
    /// the only way PTZ time passes; otherwise it is added to real time.
    pub fn advance(&self, d: Duration) {
        let ptz = &self.shared().ptz;
        {
            let mut added = lock(&ptz.inner.clock.added);
            *added = added.saturating_add(d);
        }
        ptz.inner.with(|_, _| ());
    }

    /// The PTZ clock: time since the camera started, as the heads see it.
    pub fn ptz_time(&self) -> Duration {
        self.shared().ptz.inner.clock.now()
    }

    /// The head of a node, configuration or profile token (`PTZNode_1`, `PTZConfig_2`,
    /// `Profile_1`), now.
    pub fn ptz_head(&self, token: &str) -> Option<HeadState> {
        self.shared().ptz.with_head(token, |h, _| h.state())
    }

    /// `(pan, tilt, zoom)` of the head of a node, configuration or profile token, now, in the
    /// node's absolute spaces; `None` for a token without PTZ.
    pub fn ptz_position(&self, token: &str) -> Option<(f64, f64, f64)> {
        self.ptz_head(token).map(|h| h.position())
    }

    /// Is any head moving now?
    pub fn ptz_moving(&self) -> bool {
        self.shared().ptz.snapshot().moving()
    }

    /// Every head now.
    pub fn ptz_snapshot(&self) -> PtzSnapshot {
        self.shared().ptz.snapshot()
    }

    /// A receiver that sees every change of the heads (a command, [`SimHandle::advance`], or
    /// with the real clock a moving head every 20 ms).
    pub fn ptz_watch(&self) -> watch::Receiver<PtzSnapshot> {
        self.shared().ptz.inner.tx.subscribe()
    }

    /// Wait until `f` holds for the heads (checked now, then at every change), and return
    /// that snapshot.
    pub async fn ptz_wait_until(&self, mut f: impl FnMut(&PtzSnapshot) -> bool) -> PtzSnapshot {
        let mut rx = self.ptz_watch();
        // The sender lives as long as the camera, which `self` keeps alive.
        match rx.wait_for(|s| f(s)).await {
            Ok(s) => s.clone(),
            Err(_) => self.ptz_snapshot(),
        }
    }

    /// The last auxiliary command SendAuxiliaryCommand ran on this head (node, configuration
    /// or profile token).
    pub fn ptz_last_aux(&self, token: &str) -> Option<String> {
        self.shared()
            .ptz
            .with_head(token, |h, _| h.last_aux.clone())
            .flatten()
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

    #[test]
    fn tokens_of_nodes_configurations_and_profiles_find_the_head() {
        assert_eq!(node_def("PTZNode_1").map(|n| n.token), Some("PTZNode_1"));
        assert_eq!(node_def("PTZConfig_2").map(|n| n.token), Some("PTZNode_2"));
        assert_eq!(node_def("Profile_1").map(|n| n.token), Some("PTZNode_1"));
        assert_eq!(node_def("Profile_3").map(|n| n.token), Some("PTZNode_2"));
        assert!(node_def("Profile_2").is_none());
        assert!(node_def("nope").is_none());
    }

    #[test]
    fn configurations_default_to_their_nodes_spaces() {
        for n in &NODES {
            let c = n.configuration();
            let s = n.spaces();
            assert_eq!(
                c.default_absolute_pan_tilt_space.as_deref(),
                Some(s.absolute_pan_tilt[0].uri.as_str())
            );
            assert_eq!(c.pan_tilt_limits.as_ref(), Some(&s.absolute_pan_tilt[0]));
            assert!(
                onvif_proto::ops::ptz::scale::check_vector(
                    &s,
                    onvif_proto::ops::ptz::scale::Motion::Speed,
                    &n.default_speed()
                )
                .is_ok()
            );
        }
    }
}
