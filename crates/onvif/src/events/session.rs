//! Starting a session ([`EventSession`]) and controlling it ([`SessionHandle`]).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::ops::events::EndpointReference;
use onvif_proto::session::{Lifecycle, States};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::camera::Camera;
use crate::error::Error;
use crate::events::config::{PushConfig, SessionConfig};
use crate::events::item::SessionItem;
use crate::events::listening::Listening;
use crate::events::push_listener::{Delivery, PushState};
use crate::events::runner::{PushSide, Runner};
use crate::util::lock;

/// Controls a running session.
#[derive(Debug)]
pub struct SessionHandle {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    /// Where the push listener is bound, and the path it accepts now (the listener itself
    /// is the session task's, and stops with it).
    push: Option<Arc<Mutex<PushState>>>,
    /// The camera, for requests made from the handle.
    camera: Camera,
    /// The live pull point's reference (`None` for a push session).
    current: Arc<Mutex<Option<EndpointReference>>>,
    /// Becomes true once the push listener accepted a Notify with a message (`None` for a
    /// pull session).
    notified: Option<watch::Receiver<bool>>,
}

impl SessionHandle {
    /// Stop the session: unsubscribe (when configured) and wait for the task to end.
    pub async fn close(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    /// Seek the session's pull point ([`Camera::seek`], where the camera offers it): the
    /// events stored from `utc_time` on (or, with `reverse`, backwards from it) come next.
    /// A push session cannot seek.
    pub async fn seek(&self, utc_time: Timestamp, reverse: bool) -> Result<(), Error> {
        let current = lock(&self.current).clone();
        let Some(epr) = current else {
            return Err(Error::Usage("only a pull-point session can seek".into()));
        };
        self.camera.seek(&epr, utc_time, reverse).await
    }

    /// The push listener's bound address and the URL path the current subscription's
    /// notifications must come to (`None` for a pull session). The address changes when the
    /// one listened on leaves this machine (see [`PushConfig::listen`]).
    pub fn push_endpoint(&self) -> Option<(SocketAddr, String)> {
        let st = lock(self.push.as_ref()?);
        Some((st.bound?, st.path.clone()))
    }
}

impl Drop for SessionHandle {
    fn drop(&mut self) {
        // The task sees the signal, unsubscribes on its own and stops the push listener.
        let _ = self.stop.send(true);
    }
}

/// A managed event session (pull point or push).
#[derive(Debug)]
pub struct EventSession;

impl EventSession {
    /// Create a pull-point subscription and keep it alive in the background. Returns the
    /// handle and the stream of events and lifecycle signals (the first is `Subscribed`).
    /// Fails when the first subscription cannot be created.
    pub async fn pull(
        camera: Camera,
        cfg: SessionConfig,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        EventSession::start(camera, cfg, None, None).await
    }

    /// Subscribe for push notifications (WS-BaseNotification Subscribe) delivered to a small
    /// HTTP listener, and keep the subscription alive like [`EventSession::pull`] does. Each
    /// subscription gets its own unguessable path; a Notify to another path, from another
    /// subscription, or larger than [`PushConfig::max_body`] is refused.
    pub async fn push(
        camera: Camera,
        cfg: SessionConfig,
        push: PushConfig,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        EventSession::start(camera, cfg, Some(push), None).await
    }

    /// Push when it works, pull otherwise: subscribe for push and wait up to `probe` for the
    /// first notification (cameras send the current states at once); without one, or when the
    /// listener or Subscribe fails, unsubscribe and pull instead (signalled with
    /// [`Lifecycle::FellBackToPull`]).
    pub async fn auto(
        camera: Camera,
        cfg: SessionConfig,
        push: PushConfig,
        probe: Duration,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        let reason = match EventSession::push(camera.clone(), cfg.clone(), push).await {
            Ok((handle, rx)) => {
                // Watched, not read: what came stays in `rx`, in order, for the caller (no
                // relay task and second queue for the life of the session).
                let works = match handle.notified.clone() {
                    Some(mut n) => tokio::time::timeout(probe, n.wait_for(|seen| *seen))
                        .await
                        .is_ok_and(|r| r.is_ok()),
                    None => false,
                };
                if works {
                    return Ok((handle, rx));
                }
                handle.close().await;
                format!("no notification within {:.1} s", probe.as_secs_f64())
            }
            Err(e) => e.to_string(),
        };
        let first = SessionItem::Lifecycle(Lifecycle::FellBackToPull { reason });
        EventSession::start(camera, cfg, None, Some(first)).await
    }

    /// Start a session; `first`, when given, is the first item its stream yields.
    async fn start(
        camera: Camera,
        mut cfg: SessionConfig,
        push: Option<PushConfig>,
        first: Option<SessionItem>,
    ) -> Result<(SessionHandle, mpsc::Receiver<SessionItem>), Error> {
        // The camera's known quirks apply to every session with it.
        let quirks = camera.config().quirks;
        cfg.absolute_times |= quirks.absolute_times;
        cfg.unsubscribe_on_close &= !quirks.no_unsubscribe;
        if let Some(max) = quirks.max_pull {
            cfg.pull_timeout = cfg.pull_timeout.min(max);
        }
        // Room for `first` besides what the queue was sized for: nobody reads it until this
        // returns, and `Subscribed` must fit too.
        let (tx, rx) = mpsc::channel(cfg.channel_capacity.max(1) + usize::from(first.is_some()));
        if let Some(item) = first {
            let _ = tx.try_send(item);
        }
        let (stop_tx, stop_rx) = watch::channel(false);
        // Notifications that arrive before `Subscribed` is out wait for it.
        let (ready_tx, ready_rx) = watch::channel(false);
        // One memory of the states delivered, for the runner and the push listener.
        let states = (!cfg.repeat_states).then(|| Arc::new(Mutex::new(States::new())));
        let mut push_side = None;
        let mut push_info = None;
        let mut notified = None;
        if let Some(p) = push {
            let state = Arc::new(Mutex::new(PushState::default()));
            let delivery = Delivery {
                state: Arc::clone(&state),
                tx: tx.clone(),
                kinds: cfg.kinds.clone(),
                max_body: p.max_body,
                ready: ready_rx.clone(),
                first: Arc::new(watch::channel(false).0),
                states: states.clone(),
            };
            notified = Some(delivery.first.subscribe());
            let listening = Listening::start(&p, &camera.device_url(), delivery).await?;
            push_info = Some(Arc::clone(&state));
            push_side = Some(PushSide { listening, state });
        }
        let current = Arc::new(Mutex::new(None));
        let mut runner = Runner::new(
            camera.clone(),
            cfg,
            tx,
            stop_rx,
            push_side,
            Arc::clone(&current),
            states,
        );
        // A failure drops the runner, and with it the push listener.
        runner.start().await?;
        let _ = ready_tx.send(true);
        let task = tokio::spawn(runner.run());
        Ok((
            SessionHandle {
                stop: stop_tx,
                task: Some(task),
                push: push_info,
                camera,
                current,
                notified,
            },
            rx,
        ))
    }
}
