//! The handle of a running camera: how it starts ([`SimConfig::start`]) and everything a
//! test or a demo does with it while it runs (addresses, counters, clock, password, events,
//! PTZ, discovery), until it stops.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use onvif_proto::ops::Service;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::config::{Quirk, SimConfig};
use crate::discovery::Responder;
use crate::events::{DIGITAL_INPUT, EventQuirk, MANAGER_PATH, MOTION, TAMPER};
use crate::media::FocusState;
use crate::net::{GuardedListener, Limits, reachable, signalled};
use crate::ptz::{HeadState, PtzSnapshot};
use crate::server::{manager_router, router};
use crate::services::service_path;
use crate::snapshot;
use crate::state::{Shared, SimStats, percent_encode};
use crate::sync::lock;

/// How long [`SimHandle::shutdown`] lets requests in flight finish before closing their
/// connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

impl SimConfig {
    /// Bind and start serving in the background on the current tokio runtime.
    pub async fn start(self) -> std::io::Result<SimHandle> {
        let listener = TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let head = self.head_timeout.unwrap_or(self.read_timeout);
        let limits = Limits {
            head,
            request: head
                .saturating_add(self.read_timeout)
                .saturating_add(Duration::from_secs(1)),
            idle: self.read_timeout.saturating_mul(2),
            max_total: self.max_connections,
            per_peer: self.max_connections_per_peer,
        };
        let shared = Arc::new(Shared::new(self, addr));
        let (stop_tx, stop_rx) = watch::channel(());
        let (kill_tx, kill_rx) = watch::channel(());
        tokio::spawn(reboots(Arc::clone(&shared), signalled(stop_rx.clone())));
        // Tapo layout: subscription managers on a port of their own, with the same deadlines
        // and caps.
        if shared.cfg.has(Quirk::Tapo) {
            let l = TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
            let _ = shared.events.manager_port.set(l.local_addr()?.port());
            let l = GuardedListener::new(l, limits, kill_rx.clone(), Arc::clone(&shared));
            let app = manager_router(&shared);
            let stop = signalled(stop_rx.clone());
            tokio::spawn(async move {
                let _ = axum::serve(l, app).with_graceful_shutdown(stop).await;
            });
        }
        let listener = GuardedListener::new(listener, limits, kill_rx, Arc::clone(&shared));
        let serve = axum::serve(listener, router(&shared))
            .with_graceful_shutdown(signalled(stop_rx))
            .into_future();
        let task = tokio::spawn(async move {
            if let Err(e) = serve.await {
                tracing::warn!("simulated camera stopped: {e}");
            }
        });
        tracing::info!(
            "simulated camera on {}://{addr} (auth {}, quirks {:?}, {} posture)",
            shared.cfg.scheme(),
            shared.cfg.auth,
            shared.cfg.quirks,
            if shared.cfg.strict {
                "strict"
            } else {
                "default"
            }
        );
        let mut handle = SimHandle {
            shared,
            stop: Some(stop_tx),
            kill: Some(kill_tx),
            task: Some(task),
            discovery: None,
        };
        // After the HTTP side serves, so the Hello's XAddrs answer at once.
        handle.discovery = crate::discovery::start(&handle.shared).await?;
        Ok(handle)
    }
}

/// A running simulated camera. Dropping it stops the server (connections are closed at
/// once); [`SimHandle::shutdown`] lets requests in flight finish first.
pub struct SimHandle {
    shared: Arc<Shared>,
    stop: Option<watch::Sender<()>>,
    kill: Option<watch::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// The WS-Discovery responder (dropping it sends the Bye).
    discovery: Option<Responder>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.shared.addr)
            .field("auth", &self.shared.cfg.auth)
            .field("quirks", &self.shared.cfg.quirks)
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// The address bound (with the port the system chose, for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The device service URL, e.g. `http://127.0.0.1:PORT/onvif/device_service`
    /// (`/onvif/service` with [`Quirk::Tapo`]). An unspecified bind address (0.0.0.0) is
    /// shown as loopback.
    pub fn url(&self) -> String {
        format!(
            "{}://{}{}",
            self.shared.cfg.scheme(),
            reachable(self.shared.addr),
            service_path(&self.shared.cfg, Service::Device)
        )
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> SimStats {
        self.shared.stats()
    }

    /// Set the camera clock to real time plus `skew` (replacing any offset set before, by the
    /// config or by SetSystemDateAndTime).
    pub fn set_clock_skew(&self, skew: SignedDuration) {
        self.shared.camera().clock_offset = skew;
    }

    /// [`SimHandle::set_clock_skew`] in whole seconds.
    pub fn set_clock_skew_secs(&self, secs: i64) {
        self.set_clock_skew(SignedDuration::from_secs(secs));
    }

    /// The camera's clock now: real time plus the configured skew, or whatever
    /// SetSystemDateAndTime set since.
    pub fn camera_time(&self) -> Timestamp {
        self.shared.camera_now()
    }

    /// Change the configured user's password at run time (as a user would in the camera's
    /// web page), without the checks SetUser makes.
    pub fn set_password(&self, password: &str) {
        self.shared
            .accounts()
            .force_password(&self.shared.cfg.user, password);
    }

    /// The accounts' names and levels, as GetUsers would list them.
    pub fn users(&self) -> Vec<(String, onvif_proto::ops::device::UserLevel)> {
        self.shared
            .accounts()
            .users()
            .into_iter()
            .map(|u| (u.username, u.level))
            .collect()
    }

    /// How many times SystemReboot was called.
    pub fn reboots(&self) -> u64 {
        self.shared.camera().reboots
    }

    /// Where the focus is, as imaging Move and Stop left it.
    pub fn focus(&self) -> FocusState {
        let mut camera = self.shared.camera();
        camera.media.focus.settle();
        camera.media.focus
    }

    /// With TLS: the SHA-256 of the camera's certificate (lower-case hex), what a client pins.
    pub fn cert_sha256(&self) -> Option<&str> {
        self.shared.cfg.tls.as_ref().map(|t| t.sha256.as_str())
    }

    /// The snapshot URL of a profile as a client reaches it (like [`SimHandle::url`], no
    /// quirks applied), e.g. `http://127.0.0.1:PORT/onvif/snapshot?profile=Profile_1`.
    pub fn snapshot_url(&self, profile: &str) -> String {
        format!(
            "{}://{}{}?profile={}",
            self.shared.cfg.scheme(),
            reachable(self.shared.addr),
            snapshot::PATH,
            percent_encode(profile)
        )
    }

    /// Stop accepting connections, let requests in flight finish (up to 2 s), then close
    /// every connection and wait for the server to end.
    pub async fn shutdown(mut self) {
        drop(self.discovery.take());
        drop(self.stop.take());
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            drop(self.kill.take());
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
        drop(self.kill.take());
    }

    // ---- Events ------------------------------------------------------------------------------

    /// Motion starts (`true`) or stops: `tns1:RuleEngine/CellMotionDetector/Motion`.
    pub fn emit_motion(&self, active: bool) {
        self.shared
            .events
            .emit(self.shared.camera_now(), MOTION, active);
    }

    /// The digital input changes: `tns1:Device/Trigger/DigitalInput`.
    pub fn emit_digital_input(&self, active: bool) {
        self.shared
            .events
            .emit(self.shared.camera_now(), DIGITAL_INPUT, active);
    }

    /// A digital input becomes active (`true`) or inactive: `tns1:Device/Trigger/DigitalInput`
    /// with its `InputToken`. An unknown token is refused, naming the inputs there are.
    pub fn set_input(&self, token: &str, active: bool) -> Result<(), String> {
        let io = crate::sync::lock(&self.shared.io.state);
        if !io.has_input(token) {
            let known: Vec<&str> = io.inputs.iter().map(|i| i.token.as_str()).collect();
            return Err(format!(
                "no digital input {token:?}; the inputs are {}",
                known.join(", ")
            ));
        }
        drop(io);
        self.shared.events.emit_keyed(
            self.shared.camera_now(),
            crate::events::DIGITAL_INPUT,
            token,
            active,
        );
        Ok(())
    }

    /// The logical state of a digital input (`None`: no such input).
    pub fn input_state(&self, token: &str) -> Option<bool> {
        self.shared
            .events
            .keyed_state(crate::events::DIGITAL_INPUT, token)
    }

    /// The logical state of a relay output, `true` when active (`None`: no such relay).
    pub fn relay_state(&self, token: &str) -> Option<bool> {
        self.shared.events.keyed_state(crate::events::RELAY, token)
    }

    /// The tokens of the relay outputs.
    pub fn relays(&self) -> Vec<String> {
        crate::sync::lock(&self.shared.io.state)
            .relays
            .iter()
            .map(|r| r.output.token.clone())
            .collect()
    }

    /// The tokens of the digital inputs.
    pub fn inputs(&self) -> Vec<String> {
        crate::sync::lock(&self.shared.io.state)
            .inputs
            .iter()
            .map(|i| i.token.clone())
            .collect()
    }

    /// Tamper starts or stops: `tns1:VideoSource/GlobalSceneChange/ImagingService`.
    pub fn emit_tamper(&self, active: bool) {
        self.shared
            .events
            .emit(self.shared.camera_now(), TAMPER, active);
    }

    /// The network link comes up at this speed (Mbit/s): `tns1:Monitoring/LinkStatus`, whose
    /// `Link` data item is an ElementItem. From then on it is a current state too.
    pub fn emit_link_status(&self, speed_mbps: u32) {
        self.shared
            .events
            .emit_link(self.shared.camera_now(), speed_mbps);
    }

    /// Event changes emitted so far (motion, input, tamper, link), by hand or periodically.
    pub fn events_emitted(&self) -> u64 {
        self.shared
            .events
            .emitted
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A simulated reboot of the event service: every subscription is forgotten (requests to
    /// them get `wsrf-rw:ResourceUnknownFault`).
    pub fn reboot_events(&self) {
        lock(&self.shared.events.state).subs.clear();
        self.shared.events.wake.notify_waiters();
    }

    /// The camera crashes and stays down until [`SimHandle::power_on`]: every subscription is
    /// forgotten and nothing is answered. With `frozen`, requests (those in flight and new
    /// ones) are held unanswered until it is back, then cut; otherwise each is cut at once,
    /// without an answer, as by a camera whose process died. Every service is down.
    pub fn power_off(&self, frozen: bool) {
        self.shared.events.power_off(frozen);
    }

    /// The camera is back after [`SimHandle::power_off`], with no subscription: the requests
    /// held are cut (their connections died with the old process) and new ones are answered.
    pub fn power_on(&self) {
        self.shared.events.power_on();
    }

    /// [`SimHandle::power_off`] now and [`SimHandle::power_on`] after `down`, without
    /// waiting: a reboot or power cut (connections cut), or with `frozen` a hang (requests
    /// held unanswered, then cut).
    pub fn power_cycle(&self, down: Duration, frozen: bool) {
        self.shared.events.power_off(frozen);
        let shared = Arc::clone(&self.shared);
        tokio::spawn(async move {
            tokio::time::sleep(down).await;
            shared.events.power_on();
        });
    }

    /// How long a SystemReboot keeps this camera down ([`SimConfig::reboot_downtime`]).
    pub fn reboot_downtime(&self) -> Duration {
        self.shared.cfg.reboot_downtime
    }

    /// Wait until the camera is up (`true`) or down (`false`): after
    /// [`SimHandle::power_off`] / [`SimHandle::power_on`], or a SystemReboot.
    pub async fn powered(&self, up: bool) {
        let mut rx = self.shared.events.down.subscribe();
        let _ = rx.wait_for(|down| *down != up).await;
    }

    /// Take the event service down (`true`: every subscription is forgotten and new ones are
    /// refused with a Receiver fault) or bring it back.
    pub fn events_outage(&self, down: bool) {
        {
            let mut st = lock(&self.shared.events.state);
            st.outage = down;
            if down {
                st.subs.clear();
            }
        }
        self.shared.events.wake.notify_waiters();
    }

    /// Switch an event quirk on or off (at any moment, e.g. in the middle of a test).
    pub fn set_event_quirk(&self, q: EventQuirk, on: bool) {
        let mut st = lock(&self.shared.events.state);
        if on {
            st.quirks.insert(q);
            if q == EventQuirk::StopsQueueing {
                for sub in st.subs.values_mut() {
                    sub.deaf = true;
                }
            }
        } else {
            st.quirks.remove(&q);
        }
    }

    /// The next `n` PullMessages answer with a Receiver fault (HTTP 500), the subscription
    /// staying alive.
    pub fn fail_next_pulls(&self, n: u32) {
        lock(&self.shared.events.state).fail_pulls = n;
    }

    /// The next `n` Renew answer with a Receiver fault (HTTP 500), the subscription staying
    /// alive.
    pub fn fail_next_renews(&self, n: u32) {
        lock(&self.shared.events.state).fail_renews = n;
    }

    /// The next `n` requests of operation `op` (its local name, e.g. `GetEventProperties`)
    /// are carried out, but their connections cut without an answer: the network failing
    /// one question in the middle of others.
    pub fn cut_next(&self, op: &str, n: u32) {
        lock(&self.shared.cuts).insert(op.to_owned(), n);
    }

    /// Wait until at least `n` PullMessages are waiting (long polls in progress).
    pub async fn pulls_waiting(&self, n: usize) {
        let mut rx = self.shared.events.pulls_waiting.subscribe();
        let _ = rx.wait_for(|w| *w >= n).await;
    }

    /// The URL paths of the live subscriptions' managers.
    pub fn subscription_paths(&self) -> Vec<String> {
        let mut st = lock(&self.shared.events.state);
        st.reap(Instant::now());
        st.subs
            .keys()
            .map(|id| format!("{MANAGER_PATH}/{id}"))
            .collect()
    }

    /// Wait until at least `n` long polls were cut ([`crate::Quirk::Tapo`] drops the
    /// connection of a long poll after 10 s instead of answering it empty).
    pub async fn pulls_cut(&self, n: u64) {
        let mut rx = self.shared.events.pulls_cut.subscribe();
        let _ = rx.wait_for(|c| *c >= n).await;
    }

    /// How many subscriptions are alive.
    pub fn event_subscriptions(&self) -> usize {
        let mut st = lock(&self.shared.events.state);
        st.reap(Instant::now());
        st.subs.len()
    }

    // ---- Recordings ---------------------------------------------------------------------------

    /// The tokens of the recording and event searches open now (FindRecordings or FindEvents
    /// not yet ended by EndSearch); searches past their KeepAliveTime are forgotten first.
    pub fn open_searches(&self) -> Vec<String> {
        self.shared.archive.open_searches()
    }

    /// Wait until at most `n` searches are open (a client ending searches from a task of its
    /// own, say). Expired searches count until the camera is asked something.
    pub async fn wait_open_searches_at_most(&self, n: usize) {
        self.shared.archive.wait_open_at_most(n).await;
    }

    // ---- PTZ ---------------------------------------------------------------------------------

    /// Move the PTZ clock forward by `d` (only the PTZ heads' time: the camera's wall clock and
    /// WS-Security checks are not affected). With [`crate::SimConfig::manual_clock`] this is
    /// the only way PTZ time passes; otherwise it is added to real time.
    pub fn advance(&self, d: Duration) {
        self.shared.ptz.advance(d);
    }

    /// The PTZ clock: time since the camera started, as the heads see it.
    pub fn ptz_time(&self) -> Duration {
        self.shared.ptz.time()
    }

    /// The head of a node, configuration or profile token (`PTZNode_1`, `PTZConfig_2`,
    /// `Profile_1`), now.
    pub fn ptz_head(&self, token: &str) -> Option<HeadState> {
        self.shared.ptz.with_head(token, |h, _| h.state())
    }

    /// `(pan, tilt, zoom)` of the head of a node, configuration or profile token, now, in the
    /// node's absolute spaces; `None` for a token without PTZ.
    pub fn ptz_position(&self, token: &str) -> Option<(f64, f64, f64)> {
        self.ptz_head(token).map(|h| h.position())
    }

    /// Is any head moving now?
    pub fn ptz_moving(&self) -> bool {
        self.shared.ptz.snapshot().moving()
    }

    /// Every head now.
    pub fn ptz_snapshot(&self) -> PtzSnapshot {
        self.shared.ptz.snapshot()
    }

    /// A receiver that sees every change of the heads (a command, [`crate::SimHandle::advance`], or
    /// with the real clock a moving head every 20 ms).
    pub fn ptz_watch(&self) -> watch::Receiver<PtzSnapshot> {
        self.shared.ptz.watch()
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
        self.shared
            .ptz
            .with_head(token, |h, _| h.last_aux.clone())
            .flatten()
    }

    // ---- WS-Discovery ------------------------------------------------------------------------

    /// The UDP address the WS-Discovery responder answers on (its port as bound), when
    /// [`SimConfig::discovery`] turned it on.
    pub fn discovery_addr(&self) -> Option<SocketAddr> {
        self.discovery.as_ref().map(Responder::addr)
    }

    /// The endpoint reference address the camera announces (`urn:uuid:...`), when discovery
    /// is on.
    pub fn endpoint_reference(&self) -> Option<&str> {
        self.discovery.as_ref().map(Responder::endpoint)
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        drop(self.stop.take());
        drop(self.kill.take());
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// How long after answering SystemReboot the camera goes down: its answer is out by then.
const REBOOT_GRACE: Duration = Duration::from_millis(200);

/// The reboots SystemReboot (or an uploaded firmware image) asks for, until `stop`: each
/// takes the camera down for [`crate::SimConfig::reboot_downtime`], its subscriptions
/// forgotten, then brings it back (with the uploaded firmware's version, if any).
pub(crate) async fn reboots(shared: Arc<Shared>, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            () = shared.events.reboot.notified() => {}
        }
        let downtime = shared.cfg.reboot_downtime;
        tracing::info!("rebooting: down for {} s", downtime.as_secs_f64());
        let cycle = async {
            tokio::time::sleep(REBOOT_GRACE).await;
            shared.events.power_off(false);
            tokio::time::sleep(downtime).await;
        };
        tokio::select! {
            () = &mut stop => return,
            () = cycle => {}
        }
        let mut cam = shared.camera();
        if let Some(version) = cam.pending_firmware.take() {
            tracing::info!(version, "firmware installed");
            cam.device_info.firmware_version = version;
        }
        drop(cam);
        shared.events.power_on();
        tracing::info!("rebooted: answering again");
    }
}
