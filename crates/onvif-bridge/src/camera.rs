//! One camera of the bridge: connect, publish what it is and what it offers, follow its events
//! with a managed session, keep its states and availability on the broker, and act on its
//! commands. When anything fails the camera is retried with bounded back-off (refused
//! credentials: rarely, so no account is locked); the other cameras never notice.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use onvif::events::{Event, EventSession, Lifecycle, PushConfig, SessionConfig, SessionItem};
use onvif::{Camera, Error, ErrorKind, StreamTransport};
use onvif_proto::ops::events::{KindTable, TopicFilter};
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::command::{Command, PtzCommand, Queued};
use crate::config::{CameraSpec, Control, EventsMode};
use crate::discovery::{self, Identity, Offer};
use crate::metrics::Metrics;
use crate::outbox::Outbox;
use crate::states::{Source, States, source_of};
use crate::topics::Topics;

/// What a camera task shares with the bridge.
pub(crate) struct Context {
    pub topics: Topics,
    pub outbox: Arc<Outbox>,
    pub metrics: Arc<Metrics>,
    pub auth_retry: Duration,
    pub retry_max: Duration,
    /// Cameras reading their profiles, stream addresses and event properties at one time. A
    /// fleet starting (or coming back after a power cut) would otherwise read every camera's
    /// largest answers at once: that peak stays as the process's size long after.
    pub starting: tokio::sync::Semaphore,
}

/// How many cameras read their largest answers at one time.
pub(crate) const STARTING_AT_ONCE: usize = 32;

/// Why following a camera ended.
enum Ended {
    /// The bridge stops (or the camera was removed).
    Stopped,
    /// Something failed; try again later.
    Failed(Failure),
}

struct Failure {
    message: String,
    auth: bool,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure {
            auth: e.kind() == ErrorKind::Auth,
            message: e.to_string(),
        }
    }
}

/// Follow one camera until `stop` turns true; commands arrive on `commands`.
pub(crate) async fn run(
    spec: CameraSpec,
    cx: Arc<Context>,
    mut commands: mpsc::Receiver<Box<Queued>>,
    mut stop: watch::Receiver<bool>,
) {
    let name = spec.name.clone();
    let mut backoff = Duration::from_secs(1);
    let mut releases = Releases::default();
    // Connections that failed in a row: past a few, a question left unanswered at connect
    // no longer holds the camera up (see `Asking`).
    let mut failed = 0u32;
    loop {
        let started = Instant::now();
        let asking = if failed < PATIENCE {
            Asking::Patient
        } else {
            Asking::Settling
        };
        let ended = follow(&spec, &cx, &mut commands, &mut stop, &mut releases, asking).await;
        cx.outbox
            .retain(cx.topics.availability(&name), b"offline".to_vec());
        cx.metrics.camera(&name, |c| {
            c.set_online(false);
            c.states.clear();
        });
        let failure = match ended {
            Ended::Stopped => {
                for relay in releases.due(None) {
                    tracing::warn!(
                        "{name}: relay {relay} may be left on: the camera did not accept its \
                         release before the bridge stopped following it"
                    );
                }
                return;
            }
            Ended::Failed(f) => f,
        };
        // Counted as an error by publish_error below.
        cx.metrics.camera(&name, |c| c.auth_refused = failure.auth);
        // A camera that worked for a while starts its back-off again.
        if started.elapsed() > cx.retry_max {
            backoff = Duration::from_secs(1);
            failed = 0;
        }
        failed = failed.saturating_add(1);
        let wait = if failure.auth {
            cx.auth_retry
        } else {
            let w = jitter(backoff);
            backoff = (backoff * 2).min(cx.retry_max);
            w
        };
        tracing::warn!(
            "{name}: {}; trying again in {:.0} s",
            failure.message,
            wait.as_secs_f64()
        );
        publish_error(
            &cx,
            &name,
            if failure.auth { "auth" } else { "camera" },
            &failure.message,
        );
        let until = Instant::now() + wait;
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(until) => break,
                r = stop.changed() => if r.is_err() || *stop.borrow() { return },
                Some(cmd) = commands.recv() => {
                    publish_error(&cx, &name, "command",
                        &format!("{} refused: the camera is not available ({})", cmd.command.what(), failure.message));
                }
            }
        }
    }
}

/// 75 % to 125 % of `d`.
fn jitter(d: Duration) -> Duration {
    let r = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|t| t.subsec_nanos())
        .unwrap_or(0)
        % 1000) as f64
        / 1000.0;
    d.mul_f64(0.75 + r / 2.0)
}

/// Say an error on the camera's error topic, and count it.
fn publish_error(cx: &Context, camera: &str, kind: &str, message: &str) {
    // Errors are made without credentials; an address one quotes is hidden all the same
    // (the topic may be read by any client of the broker).
    let message = &*onvif::address::redact_userinfo_in_text(message);
    cx.metrics
        .camera(camera, |c| c.error(format!("{kind}: {message}")));
    let body = json!({ "camera": camera, "kind": kind, "error": message });
    cx.outbox
        .send(cx.topics.error(camera), body.to_string().into_bytes());
}

/// What a connected camera is. The PTZ target and the snapshot's profile are looked up again
/// on the first command that needs them and kept from then on: a fleet's cameras mostly
/// never get one, and each costs a few KiB per camera.
struct Connected {
    camera: Camera,
    has_ptz: bool,
    /// Boxed, as the profile: about 750 bytes each that most cameras never fill, kept in the
    /// camera's task.
    ptz: Option<Box<onvif::ptz::PtzTarget>>,
    snapshot_profile: Option<Box<onvif_proto::ops::profile::MediaProfile>>,
}

/// The first wait before a release the camera did not accept is tried again; it doubles up to
/// [`RELEASE_RETRY_MAX`].
const RELEASE_RETRY_FIRST: Duration = Duration::from_secs(1);
/// The longest wait between tries at a release.
const RELEASE_RETRY_MAX: Duration = Duration::from_secs(30);

/// Relays switched on with `"for"`: when to switch each off, and how many times the camera
/// did not accept it. Kept by the camera's task, not by one connection: a release stays here
/// until the camera accepts it, tried again with back-off, on this connection and the next
/// ones (a door strike is not left open because one request failed).
#[derive(Debug, Default)]
struct Releases(BTreeMap<String, Release>);

#[derive(Debug, Clone, Copy)]
struct Release {
    at: Instant,
    failures: u32,
}

impl Releases {
    /// Switch `relay` off at `at` (what was planned for it before is replaced).
    fn hold(&mut self, relay: String, at: Instant) {
        self.0.insert(relay, Release { at, failures: 0 });
    }

    /// Nothing planned for `relay` any more (a later command for it decided).
    fn forget(&mut self, relay: &str) {
        self.0.remove(relay);
    }

    /// When the next release is due.
    fn next_at(&self) -> Option<Instant> {
        self.0.values().map(|r| r.at).min()
    }

    /// The relays due at `now` (every one with `None`).
    fn due(&self, now: Option<Instant>) -> Vec<String> {
        self.0
            .iter()
            .filter(|(_, r)| now.is_none_or(|now| r.at <= now))
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// The camera switched `relay` off.
    fn released(&mut self, relay: &str) {
        self.0.remove(relay);
    }

    /// The camera did not switch `relay` off at `now`: tried again later, each time after
    /// twice as long (at most [`RELEASE_RETRY_MAX`]). How many times it failed, and the wait.
    fn failed(&mut self, relay: &str, now: Instant) -> Option<(u32, Duration)> {
        let r = self.0.get_mut(relay)?;
        let wait = RELEASE_RETRY_FIRST
            .saturating_mul(1_u32 << r.failures.min(16))
            .min(RELEASE_RETRY_MAX);
        r.failures = r.failures.saturating_add(1);
        r.at = now + wait;
        Some((r.failures, wait))
    }
}

async fn follow(
    spec: &CameraSpec,
    cx: &Context,
    commands: &mut mpsc::Receiver<Box<Queued>>,
    stop: &mut watch::Receiver<bool>,
    releases: &mut Releases,
    asking: Asking,
) -> Ended {
    let name = &spec.name;
    // Built once: discovery asks it which kinds the camera offers, the session types events.
    let kinds = match kind_table(spec) {
        Ok(k) => k,
        Err(f) => return Ended::Failed(f),
    };
    let mut connected = tokio::select! {
        // Boxed, as the other one-off steps below: a camera's task then keeps only the
        // memory of the step it is in, not the largest of all of them.
        r = Box::pin(connect(spec, cx, &kinds, asking)) => match r {
            Ok(c) => c,
            Err(f) => return Ended::Failed(f),
        },
        _ = stop.changed() => return Ended::Stopped,
    };
    let cam = connected.camera.clone();
    let cfg = SessionConfig {
        filter: spec
            .options
            .topic_filter
            .as_deref()
            .map(TopicFilter::concrete_set),
        kinds,
        unsubscribe_on_close: spec.options.unsubscribe,
        silence: Some(spec.options.silence).filter(|s| !s.is_zero()),
        ..SessionConfig::default()
    };
    let push = PushConfig::default();
    let started = tokio::select! {
        r = Box::pin(async {
            match spec.options.events {
                EventsMode::Pull => EventSession::pull(cam, cfg).await,
                EventsMode::Push => EventSession::push(cam, cfg, push).await,
                EventsMode::Auto => {
                    EventSession::auto(cam, cfg, push, Duration::from_secs(5)).await
                }
            }
        }) => r,
        _ = stop.changed() => return Ended::Stopped,
    };
    let (session, mut rx) = match started {
        Ok(s) => s,
        Err(e) => return Ended::Failed(e.into()),
    };
    cx.metrics.camera(name, |c| c.auth_refused = false);
    let mut states = States::default();
    let snapshot_every = (spec.options.snapshot_interval > Duration::ZERO
        && spec.options.offers(Control::Snapshot))
    .then_some(spec.options.snapshot_interval);
    let mut next_snapshot = snapshot_every.map(|d| Instant::now() + d);
    let far = || Instant::now() + Duration::from_secs(86_400);
    let ended = loop {
        let clear_at = states.next_clear();
        let release_at = releases.next_at();
        tokio::select! {
            item = rx.recv() => match item {
                Some(SessionItem::Event(e)) => on_event(spec, cx, &mut states, &e),
                Some(SessionItem::Lifecycle(l)) => match l {
                    Lifecycle::Subscribed { .. } | Lifecycle::Recreated { .. } => {
                        if matches!(l, Lifecycle::Recreated { .. }) {
                            // At the loss's level: whoever saw it go sees it come back.
                            tracing::warn!("{name}: following events again ({l})");
                        } else {
                            tracing::info!("{name}: following events ({l})");
                        }
                        cx.outbox.retain(cx.topics.availability(name), b"online".to_vec());
                        cx.metrics.camera(name, |c| c.set_online(true));
                    }
                    Lifecycle::Lost { reason, credentials_refused } => {
                        tracing::warn!("{name}: event session lost: {reason}");
                        cx.outbox.retain(cx.topics.availability(name), b"offline".to_vec());
                        cx.metrics.camera(name, |c| {
                            c.set_online(false);
                            c.states.clear();
                            c.losses += 1;
                        });
                        publish_error(cx, name, "camera", &format!("event session lost: {reason}"));
                        // The session gives up. A camera that came back with another clock
                        // refuses a re-creation just the same, so this is not yet taken for
                        // wrong credentials: the next connection measures the clock again,
                        // and only its refusal starts the long wait.
                        if credentials_refused {
                            break Ended::Failed(Failure { message: reason, auth: false });
                        }
                    }
                    Lifecycle::Closed => break Ended::Failed(Failure {
                        message: "its event session ended".into(), auth: false,
                    }),
                    // Each attempt to make it again that failed: said as the failures to
                    // connect are, so that a camera gone away is not silent while it is
                    // tried (the attempts are spaced by the session's back-off).
                    Lifecycle::RetryFailed { reason, retry_in, .. } => {
                        tracing::warn!(
                            "{name}: the event session could not be made again: {reason}; \
                             trying again in {:.0} s",
                            retry_in.as_secs_f64()
                        );
                        publish_error(cx, name, "camera", &reason);
                    }
                    other => tracing::info!("{name}: {other}"),
                },
                None => break Ended::Failed(Failure {
                    message: "its event session ended".into(), auth: false,
                }),
            },
            Some(queued) = commands.recv() => {
                cx.metrics.camera(name, |c| c.commands += 1);
                let cmd = match queued.take(Instant::now()) {
                    Ok(cmd) => cmd,
                    Err(e) => {
                        tracing::warn!("{name}: {e}");
                        publish_error(cx, name, "command", &e);
                        continue;
                    }
                };
                let what = cmd.what();
                if let Err(e) = Box::pin(act(spec, cx, &mut connected, releases, cmd)).await {
                    tracing::warn!("{name}: {what}: {e}");
                    publish_error(cx, name, "command", &format!("{what}: {e}"));
                }
            }
            () = tokio::time::sleep_until(clear_at.unwrap_or_else(far)), if clear_at.is_some() => {
                for (kind, source) in states.expired(Instant::now()) {
                    set_state(cx, name, &mut states, &kind, source.as_ref(), false, None);
                }
            }
            () = tokio::time::sleep_until(release_at.unwrap_or_else(far)), if release_at.is_some() => {
                // Boxed, as the other rare steps: the task does not carry its memory
                // through every long poll.
                Box::pin(release_relays(cx, name, &connected.camera, releases, Some(Instant::now()))).await;
            }
            () = tokio::time::sleep_until(next_snapshot.unwrap_or_else(far)), if next_snapshot.is_some() => {
                if let Err(e) = Box::pin(act(spec, cx, &mut connected, releases, Command::Snapshot)).await {
                    tracing::debug!("{name}: snapshot: {e}");
                }
                next_snapshot = snapshot_every.map(|d| Instant::now() + d);
            }
            r = stop.changed() => if r.is_err() || *stop.borrow() { break Ended::Stopped },
        }
    };
    // A state that clears itself after a while (a camera that never says OFF) would stay ON
    // at the broker for ever: its timer ends with this session, and nothing at the next
    // start knows of it. It goes OFF now.
    for (kind, source) in states.take_clears() {
        set_state(cx, name, &mut states, &kind, source.as_ref(), false, None);
    }
    // A relay held on is not left on: released now, bounded. One the camera does not accept
    // now (or in time) is tried again at the next connection.
    let _ = tokio::time::timeout(
        Duration::from_secs(3),
        Box::pin(release_relays(cx, name, &connected.camera, releases, None)),
    )
    .await;
    // Unsubscribe (unless configured not to), bounded.
    let _ = tokio::time::timeout(Duration::from_secs(3), session.close()).await;
    ended
}

/// Switch off the relays held on whose time is up (every one with `None`). Each stays in
/// `releases` until the camera accepts it: one it refuses, or that does not reach it, is
/// tried again later.
async fn release_relays(
    cx: &Context,
    name: &str,
    camera: &Camera,
    releases: &mut Releases,
    due: Option<Instant>,
) {
    for token in releases.due(due) {
        match camera.set_relay_state(&token, false.into()).await {
            Ok(_) => releases.released(&token),
            Err(e) => {
                let Some((failures, wait)) = releases.failed(&token, Instant::now()) else {
                    continue;
                };
                tracing::warn!(
                    "{name}: releasing relay {token} failed ({failures} time(s)): {e}; trying \
                     again in {:.0} s",
                    wait.as_secs_f64()
                );
                // Said once on the error topic, not at every try.
                if failures == 1 {
                    publish_error(
                        cx,
                        name,
                        "command",
                        &format!(
                            "relay: releasing {token}: {e}; trying again until the camera \
                             accepts it"
                        ),
                    );
                }
            }
        }
    }
}

/// The built-in kind table with the camera's own rules in front.
fn kind_table(spec: &CameraSpec) -> Result<KindTable, Failure> {
    let mut kinds = KindTable::default();
    if let Some(extra) = &spec.options.kinds {
        kinds.extend_front(extra).map_err(|e| Failure {
            message: format!("its kind rules: {e}"),
            auth: false,
        })?;
    }
    Ok(kinds)
}

/// Connect, and publish the camera's info and discovery.
async fn connect(
    spec: &CameraSpec,
    cx: &Context,
    kinds: &KindTable,
    asking: Asking,
) -> Result<Connected, Failure> {
    let name = &spec.name;
    let client = onvif::Config {
        // Nothing here reads it back; a thousand cameras would keep a thousand answers.
        keep_last_response: false,
        ..spec.client.clone()
    };
    let camera = Camera::connect(&spec.host, spec.creds.clone(), client).await?;
    // The camera answers: the large answers come now. Taken only here, so that cameras that
    // do not answer (waiting out their connect timeout) hold up nobody.
    let _permit = cx.starting.acquire().await;
    let info = camera.device_information().await?;
    let profiles = asking.offered(camera.profiles().await)?;
    let mut streams = Vec::new();
    for p in &profiles {
        // Only for the info topic: a profile whose URI does not come is shown without one.
        let uri = camera.stream_uri(p, StreamTransport::RtspTcp).await.ok();
        streams.push(json!({
            "token": p.token,
            "name": p.name,
            "stream_uri": uri.map(|u| onvif::address::redact_userinfo(&u.uri)),
        }));
    }
    let body = json!({
        "manufacturer": info.manufacturer,
        "model": info.model,
        "firmware": info.firmware_version,
        "serial": info.serial_number,
        "hardware_id": info.hardware_id,
        "profiles": streams,
    });
    cx.outbox
        .retain(cx.topics.info(name), body.to_string().into_bytes());
    // What it offers: kinds from its event properties, presets from its PTZ.
    let mut offered: Vec<String> = Vec::new();
    if let Some(props) = asking.offered(camera.event_properties().await.map(Some))? {
        for entry in props.flatten() {
            match kinds.offered(&entry) {
                Some(k) if !offered.iter().any(|o| o == k) => offered.push(k.to_owned()),
                _ => {}
            }
        }
    }
    let ptz = if spec.options.offers(Control::Ptz) {
        asking.offered(camera.ptz_target(None).await.map(Some))?
    } else {
        None
    };
    let presets = match &ptz {
        Some(t) => asking.offered(camera.ptz_presets(t).await)?,
        None => Vec::new(),
    };
    let relays: Vec<String> = if spec.options.offers(Control::Relay) {
        asking
            .offered(camera.relay_outputs().await)?
            .into_iter()
            .map(|r| r.token)
            .collect()
    } else {
        Vec::new()
    };
    let identity = Identity {
        camera: name.clone(),
        manufacturer: info.manufacturer.clone(),
        model: info.model.clone(),
        firmware: info.firmware_version.clone(),
        serial: info.serial_number.clone(),
        url: camera.device_url().origin().ascii_serialization(),
    };
    let offer = Offer {
        kinds: offered,
        presets: presets
            .iter()
            .map(|p| {
                (
                    p.token.clone(),
                    p.name.clone().unwrap_or_else(|| p.token.clone()),
                )
            })
            .collect(),
        home: ptz.is_some(),
        reboot: spec.options.offers(Control::Reboot),
        snapshot: spec.options.offers(Control::Snapshot) && !profiles.is_empty(),
        relays,
    };
    discovery::publish(&cx.topics, &cx.outbox, &identity, &offer);
    Ok(Connected {
        camera,
        has_ptz: ptz.is_some(),
        ptz: None,
        snapshot_profile: None,
    })
}

/// Connections failed in a row before a question left unanswered at connect is taken as
/// "offers nothing".
const PATIENCE: u32 = 3;

/// How a connection takes a question about something the camera may not have (profiles,
/// event properties, PTZ, relays). A refusal, however it comes, offers nothing. No answer (a
/// timeout, a cut connection, an HTTP 5xx "busy") fails the connection, which is tried again:
/// taken as "offers nothing", it would take the camera's entities out of Home Assistant until
/// its next reconnection, and refuse its PTZ commands meanwhile. After [`PATIENCE`] failed
/// connections it is taken as "offers nothing" after all, so that a camera that never
/// answers one question (a GetEventProperties too large for the timeout) is still followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asking {
    Patient,
    Settling,
}

impl Asking {
    fn offered<T: Default>(self, answer: Result<T, Error>) -> Result<T, Failure> {
        match answer {
            Err(e) if self == Asking::Patient && unanswered(&e) => Err(e.into()),
            Err(e) => {
                tracing::debug!(error = %e, "a question at connect: taken as nothing offered");
                Ok(T::default())
            }
            Ok(v) => Ok(v),
        }
    }
}

/// No answer to go by: the network failed, or the camera said it is busy (an HTTP 5xx with
/// no SOAP fault).
fn unanswered(e: &Error) -> bool {
    e.kind() == ErrorKind::Network || matches!(e, Error::Http { status, .. } if *status >= 500)
}

fn on_event(spec: &CameraSpec, cx: &Context, states: &mut States, e: &Event) {
    let name = &spec.name;
    cx.metrics.camera(name, |c| {
        c.events += 1;
        let what = e.kind.as_ref().map_or(&e.topic.path, |k| &k.kind);
        c.last_event = Some((std::time::SystemTime::now(), what.clone()));
    });
    let mut body = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut body {
        m.insert("camera".into(), Value::String(name.clone()));
    }
    cx.outbox
        .send(cx.topics.event(name), body.to_string().into_bytes());
    let Some(kind) = &e.kind else { return };
    let Some(active) = kind.active else { return };
    let source = source_of(e);
    let clear_after = spec.options.clear_after.get(&kind.kind).copied();
    set_state(
        cx,
        name,
        states,
        &kind.kind,
        source.as_ref(),
        active,
        clear_after,
    );
}

fn set_state(
    cx: &Context,
    camera: &str,
    states: &mut States,
    kind: &str,
    source: Option<&Source>,
    on: bool,
    clear_after: Option<Duration>,
) {
    let key = (kind.to_owned(), source.cloned());
    match (on, clear_after) {
        (true, Some(d)) => {
            states.clear.insert(key.clone(), Instant::now() + d);
        }
        _ => {
            states.clear.remove(&key);
        }
    }
    states.on.insert(key, on);
    // As the retained state topics say: per source level, and for the kind (any on).
    let any = states.any_on(kind);
    let at = source.map(|s| (s.level.as_str(), states.any_on_at(kind, &s.level)));
    cx.metrics.camera(camera, |c| {
        if let Some((level, on)) = at {
            c.set_state(format!("{kind}/{level}"), on);
        }
        c.set_state(kind.to_owned(), any);
    });
    let word = |on: bool| if on { b"ON".to_vec() } else { b"OFF".to_vec() };
    if let Some((level, on)) = at {
        cx.outbox
            .retain(cx.topics.state(camera, kind, Some(level)), word(on));
    }
    cx.outbox
        .retain(cx.topics.state(camera, kind, None), word(any));
}

/// Carry out a command.
async fn act(
    spec: &CameraSpec,
    cx: &Context,
    c: &mut Connected,
    releases: &mut Releases,
    cmd: Command,
) -> Result<(), String> {
    let cam = &c.camera;
    let offers = |ctl: Control| {
        if spec.options.offers(ctl) {
            Ok(())
        } else {
            Err(
                format!("this camera's {ctl:?} control is not offered (see its controls setting)")
                    .to_lowercase(),
            )
        }
    };
    match cmd {
        // Named with its command where it is told.
        Command::Invalid { error, .. } => Err(error),
        Command::Reboot => {
            offers(Control::Reboot)?;
            cam.reboot().await.map_err(|e| e.to_string())?;
            Ok(())
        }
        Command::Snapshot => {
            offers(Control::Snapshot)?;
            if c.snapshot_profile.is_none() {
                let profiles = cam.profiles().await.map_err(|e| e.to_string())?;
                c.snapshot_profile = profiles.into_iter().next().map(Box::new);
            }
            let profile = c
                .snapshot_profile
                .as_ref()
                .ok_or("the camera has no media profile")?;
            let shot = cam.snapshot(profile).await.map_err(|e| e.to_string())?;
            // Only the newest waits for the broker: a broker away for an hour gets one
            // picture per camera, not one per interval.
            cx.outbox
                .send_latest(cx.topics.snapshot(&spec.name), shot.bytes);
            Ok(())
        }
        Command::Relay {
            relay,
            on,
            duration,
        } => {
            offers(Control::Relay)?;
            cam.set_relay_state(&relay, on.into())
                .await
                .map_err(|e| e.to_string())?;
            // Released by the camera's loop when the time is up, so that events, commands
            // and stopping carry on meanwhile; a later command for the relay replaces it.
            match duration {
                Some(d) => releases.hold(relay, Instant::now() + d),
                None => releases.forget(&relay),
            }
            Ok(())
        }
        Command::Ptz(p) => {
            offers(Control::Ptz)?;
            if !c.has_ptz {
                return Err("the camera has no PTZ".into());
            }
            if c.ptz.is_none() {
                c.ptz = Some(Box::new(
                    cam.ptz_target(None).await.map_err(|e| e.to_string())?,
                ));
            }
            let t = c.ptz.as_ref().ok_or("the camera has no PTZ")?;
            let r = match p {
                PtzCommand::Preset { preset, speed } => {
                    let found = cam
                        .ptz_find_preset(t, &preset)
                        .await
                        .map_err(|e| e.to_string())?;
                    cam.ptz_goto_preset(t, &found.token, speed).await
                }
                PtzCommand::Home { speed } => cam.ptz_goto_home(t, speed).await,
                PtzCommand::Move {
                    pan,
                    tilt,
                    zoom,
                    duration,
                } => cam.ptz_continuous(t, pan, tilt, zoom, duration).await,
                PtzCommand::Stop => cam.ptz_stop(t).await,
            };
            r.map_err(|e| e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_a_quarter() {
        for _ in 0..50 {
            let j = jitter(Duration::from_secs(4));
            assert!(
                j >= Duration::from_secs(3) && j <= Duration::from_secs(5),
                "{j:?}"
            );
        }
    }

    #[test]
    fn a_release_the_camera_did_not_accept_is_kept_and_tried_again_later() {
        let mut r = Releases::default();
        let now = Instant::now();
        r.hold("Door".into(), now + Duration::from_secs(2));
        r.hold("Gate".into(), now);
        assert_eq!(r.due(Some(now)), vec!["Gate".to_owned()]);
        assert_eq!(r.due(None), vec!["Door".to_owned(), "Gate".to_owned()]);
        // Not accepted: kept, and due again after a wait that doubles.
        assert_eq!(r.failed("Gate", now), Some((1, RELEASE_RETRY_FIRST)));
        assert!(r.due(Some(now)).is_empty());
        assert_eq!(r.next_at(), Some(now + RELEASE_RETRY_FIRST));
        assert_eq!(r.failed("Gate", now), Some((2, RELEASE_RETRY_FIRST * 2)));
        for _ in 0..40 {
            r.failed("Gate", now);
        }
        assert_eq!(
            r.due(Some(now + RELEASE_RETRY_MAX)),
            vec!["Door".to_owned(), "Gate".to_owned()]
        );
        // Accepted: gone. A relay switched on again for a while starts afresh.
        r.released("Gate");
        assert_eq!(r.due(None), vec!["Door".to_owned()]);
        r.hold("Door".into(), now + Duration::from_secs(5));
        assert_eq!(r.next_at(), Some(now + Duration::from_secs(5)));
        r.forget("Door");
        assert_eq!(r.next_at(), None);
        assert_eq!(r.failed("Door", now), None);
    }
}
