//! The I/O of a managed event session: it makes the requests the session's state machine
//! ([`onvif_proto::session::Session`], where every decision is) asks for, feeds the answers
//! back, and hands events and lifecycle signals to the session's channel.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::SignedDuration;
use onvif_proto::fault::Fault;
use onvif_proto::ops::Operation;
use onvif_proto::ops::device::GetSystemDateAndTime;
use onvif_proto::ops::events::{
    CreatePullPointSubscription, EndpointReference, NotificationMessage, PullMessages, Renew,
    SetSynchronizationPoint, Subscribe, Unsubscribe,
};
use onvif_proto::session::{
    Failure, FailureKind, Grant, Lifecycle, Mode, Output, Request, Session, States, Termination,
};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use url::Url;

use crate::camera::{CallOptions, Camera};
use crate::error::{Error, ErrorKind};
use crate::events::config::SessionConfig;
use crate::events::item::{Event, SessionItem};
use crate::events::listening::Listening;
use crate::events::push_listener::PushState;
use crate::util::{lock, message_id, random_u64};

/// The push side of a session.
pub(crate) struct PushSide {
    /// The listener the camera posts to (stopped when the runner ends).
    pub(crate) listening: Listening,
    pub(crate) state: Arc<Mutex<PushState>>,
}

/// The live subscription, as the requests need it.
struct Live {
    url: Url,
    epr: EndpointReference,
}

/// A request's outcome, to be fed to the session.
enum Answer {
    Created {
        url: Url,
        epr: EndpointReference,
        grant: Grant,
    },
    Renewed(Grant),
    Pulled {
        messages: Vec<NotificationMessage>,
        current: Option<jiff::Timestamp>,
        termination: Option<jiff::Timestamp>,
    },
    Done,
    Probe(bool),
    Failed(Error),
}

/// Drives one session.
pub(crate) struct Runner {
    camera: Camera,
    machine: Session<NotificationMessage>,
    cfg: SessionConfig,
    tx: mpsc::Sender<SessionItem>,
    stop: watch::Receiver<bool>,
    /// Push mode: where notifications are received.
    push: Option<PushSide>,
    /// The live pull point's reference, shared with the handle.
    current: Arc<Mutex<Option<EndpointReference>>>,
    sub: Option<Live>,
    /// What the subscription answers' times say of our estimate of the camera's clock.
    clock: ClockCheck,
    /// Signals of the runner's own, sent before the session's next ones.
    told: std::collections::VecDeque<Lifecycle>,
    /// The states delivered, so that one sent again is not (`None` with `cfg.repeat_states`);
    /// shared with the push listener, which delivers a push session's events itself.
    states: Option<Arc<Mutex<States>>>,
}

/// Whether the camera's clock is to be measured again, from the times its subscription
/// answers carry. Absolute termination times and WS-Security tokens are made from our
/// estimate of its clock, which a jump (the camera's NTP, our machine back from suspend)
/// makes wrong without any refusal to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClockCheck {
    /// Heeded; `measured` is when the clock was last measured on the word of an answer, and
    /// how far off that answer was (`None` when the measurement failed).
    On {
        measured: Option<(Option<SignedDuration>, Instant)>,
    },
    /// An answer disagreed by this much: measure again (GetSystemDateAndTime).
    Measure(SignedDuration),
    /// Not heeded: the answers disagreed again by the same amount once the clock had been
    /// measured (their times do not follow the camera's clock: a zone mistake).
    Off,
}

/// At most one measurement of the camera's clock this often on the word of its answers.
const MEASURE_EVERY: Duration = Duration::from_secs(60);
/// An answer off by as much as the one measured on, within this, says the answers' times are
/// wrong (later, a jump of the same size is a jump).
const SAME_MISTAKE_FOR: Duration = Duration::from_secs(3600);

/// A push listener on an address taken from the route looks whether it left this machine
/// at least this often (and at each of the session's steps).
const FOLLOW_EVERY: Duration = Duration::from_secs(5);

/// The current time, for the session (tokio's clock, so a paused one too).
fn now() -> std::time::Instant {
    Instant::now().into_std()
}

impl Runner {
    pub(crate) fn new(
        camera: Camera,
        cfg: SessionConfig,
        tx: mpsc::Sender<SessionItem>,
        stop: watch::Receiver<bool>,
        push: Option<PushSide>,
        current: Arc<Mutex<Option<EndpointReference>>>,
        states: Option<Arc<Mutex<States>>>,
    ) -> Runner {
        let mode = if push.is_some() {
            Mode::Push
        } else {
            Mode::Pull
        };
        Runner {
            camera,
            machine: Session::new(cfg.clone(), mode, random_u64()),
            cfg,
            tx,
            stop,
            push,
            current,
            sub: None,
            clock: ClockCheck::On { measured: None },
            told: std::collections::VecDeque::new(),
            states,
        }
    }

    /// Create the first subscription and say so (`Subscribed`); its failure is returned.
    pub(crate) async fn start(&mut self) -> Result<(), Error> {
        let Some(req) = self.machine.poll_request(now()) else {
            return Err(Error::Usage("the event session asked for nothing".into()));
        };
        match self.perform(&req).await {
            Answer::Failed(e) => Err(e),
            answer => {
                self.feed(answer);
                if let ClockCheck::Measure(off) = self.clock {
                    self.measure_clock(off).await;
                }
                self.flush().await;
                Ok(())
            }
        }
    }

    /// Keep the session going until it is closed.
    pub(crate) async fn run(mut self) {
        loop {
            self.flush().await;
            if self.machine.is_closed() {
                if let Some(p) = self.push.take() {
                    p.listening.stop().await;
                }
                return;
            }
            if self.stopped() {
                self.machine.close(now());
            }
            let stopped = self.stopped();
            if let Some(p) = &mut self.push {
                // Between requests: the address the camera posts to may have left us.
                if !stopped && let Some(why) = p.listening.follow().await {
                    self.machine.replace(why);
                }
                let (notified, dropped) = {
                    let mut st = lock(&p.state);
                    (st.notified, std::mem::take(&mut st.dropped))
                };
                if let Some(t) = notified {
                    self.machine.handle_notified(t.into_std());
                }
                if dropped > 0 {
                    self.told
                        .push_back(Lifecycle::EventsDropped { count: dropped });
                }
            }
            if let Some(req) = self.machine.poll_request(now()) {
                let answer = if req.abandonable() {
                    let mut stop = self.stop.clone();
                    tokio::select! {
                        a = self.perform(&req) => Some(a),
                        _ = stop.changed() => None,
                    }
                } else {
                    Some(self.perform(&req).await)
                };
                match answer {
                    Some(a) => self.feed(a),
                    None => self.machine.close(now()),
                }
                if let ClockCheck::Measure(off) = self.clock {
                    let mut stop = self.stop.clone();
                    tokio::select! {
                        () = self.measure_clock(off) => {}
                        _ = stop.changed() => self.machine.close(now()),
                    }
                }
                continue;
            }
            let Some(mut deadline) = self.machine.poll_timeout() else {
                continue;
            };
            if self.push.as_ref().is_some_and(|p| p.listening.follows()) {
                // Waking early is harmless: the session waits on.
                deadline = deadline.min(now() + FOLLOW_EVERY);
            }
            let mut stop = self.stop.clone();
            tokio::select! {
                () = tokio::time::sleep_until(Instant::from_std(deadline)) => {
                    self.machine.handle_timeout(now());
                }
                _ = stop.changed() => self.machine.close(now()),
            }
        }
    }

    fn stopped(&self) -> bool {
        *self.stop.borrow() || self.tx.is_closed()
    }

    /// Send what the session has to say. While closing, only `Closed` is sent, and only when
    /// there is room: a consumer that no longer reads must not keep `close` waiting.
    async fn flush(&mut self) {
        loop {
            let out = match self.told.pop_front() {
                Some(l) => Output::Lifecycle(l),
                None => match self.machine.poll_output() {
                    Some(o) => o,
                    None => break,
                },
            };
            let item = match out {
                Output::Event(m) if self.states.as_ref().is_some_and(|s| !lock(s).admit(&m)) => {
                    tracing::debug!(topic = ?m.topic.path, "a state delivered before: kept back");
                    continue;
                }
                Output::Event(m) => {
                    SessionItem::Event(Box::new(Event::from_message(m, &self.cfg.kinds)))
                }
                Output::Lifecycle(l) => {
                    if matches!(l, Lifecycle::Lost { .. })
                        && let Some(s) = &self.states
                    {
                        // What the consumer knew may be stale: every state is told again.
                        lock(s).forget();
                    }
                    SessionItem::Lifecycle(l)
                }
            };
            if *self.stop.borrow() {
                if item == SessionItem::Lifecycle(Lifecycle::Closed) {
                    let _ = self.tx.try_send(item);
                }
                continue;
            }
            let mut stop = self.stop.clone();
            tokio::select! {
                biased;
                _ = stop.wait_for(|s| *s) => {}
                _ = self.tx.send(item) => {}
            }
        }
    }

    /// An answer carried the camera's time `current`: note whether it disagrees with our
    /// estimate of its clock enough to measure it again.
    fn check_clock(&mut self, current: Option<jiff::Timestamp>) {
        let ClockCheck::On { measured } = self.clock else {
            return;
        };
        let Some(off) = self.camera.clock_disagreement(current) else {
            return;
        };
        self.clock = match measured {
            // Measured on an answer as far off, and the answers are still that far off: it
            // is their times that are wrong.
            Some((Some(before), at))
                if (off - before).abs() <= SignedDuration::from_secs(5)
                    && at.elapsed() < SAME_MISTAKE_FOR =>
            {
                tracing::debug!(
                    "the times in the camera's subscription answers do not follow its clock: not heeded"
                );
                ClockCheck::Off
            }
            Some((_, at)) if at.elapsed() < MEASURE_EVERY => return,
            _ => ClockCheck::Measure(off),
        };
    }

    /// Measure the camera's clock again (unauthenticated where the camera allows), an answer
    /// having been `off` from our estimate of it.
    async fn measure_clock(&mut self, off: SignedDuration) {
        tracing::debug!(
            off_secs = off.as_secs_f64(),
            "the camera's clock jumped against our estimate of it: measuring it again"
        );
        let measured = match self.camera.measure_clock().await {
            Ok(_) => Some(off),
            Err(e) => {
                tracing::debug!(error = %e, "measuring the camera's clock again failed");
                None
            }
        };
        self.clock = ClockCheck::On {
            measured: Some((measured, Instant::now())),
        };
    }

    /// Feed a request's outcome to the session.
    fn feed(&mut self, answer: Answer) {
        let now = now();
        match &answer {
            Answer::Created { grant, .. } | Answer::Renewed(grant) => {
                self.check_clock(grant.current_time);
            }
            Answer::Pulled { current, .. } => self.check_clock(*current),
            _ => {}
        }
        match answer {
            Answer::Created { url, epr, grant } => {
                if self.push.is_none() {
                    *lock(&self.current) = Some(epr.clone());
                }
                self.sub = Some(Live { url, epr });
                self.machine.handle_created(now, grant);
            }
            Answer::Renewed(grant) => self.machine.handle_renewed(now, grant),
            Answer::Pulled {
                messages,
                current,
                termination,
            } => {
                self.machine.handle_pull_times(current, termination);
                self.machine.handle_pulled(now, messages);
            }
            Answer::Done => self.machine.handle_done(now),
            Answer::Probe(answered) => self.machine.handle_probe(now, answered),
            Answer::Failed(e) => self.machine.handle_failed(now, failure(&e)),
        }
    }

    /// Make a request.
    async fn perform(&self, req: &Request) -> Answer {
        let grant = |current_time, termination_time| Grant {
            address: String::new(),
            current_time,
            termination_time,
            estimated_time: self.estimated_time(),
        };
        let result = match req {
            Request::Create { termination } => {
                // Boxed, as the probe: rare steps, so a session's task does not carry their
                // memory through every long poll.
                return Box::pin(self.create(*termination)).await;
            }
            Request::Renew { termination } => {
                let op = Renew {
                    termination_time: termination.at(self.camera.camera_now()),
                };
                self.call(&op, None)
                    .await
                    .map(|r| Answer::Renewed(grant(r.current_time, r.termination_time)))
            }
            Request::Pull {
                timeout,
                message_limit,
            } => {
                let op = PullMessages {
                    timeout: *timeout,
                    message_limit: *message_limit,
                };
                let http_timeout = timeout.saturating_add(
                    self.camera
                        .config()
                        .request_timeout
                        .max(Duration::from_secs(2)),
                );
                self.call(&op, Some(http_timeout))
                    .await
                    .map(|r| Answer::Pulled {
                        messages: r.messages,
                        current: r.current_time,
                        termination: r.termination_time,
                    })
            }
            Request::SetSynchronizationPoint => self
                .call(&SetSynchronizationPoint, None)
                .await
                .map(|_| Answer::Done),
            Request::Unsubscribe { limit: None } => {
                self.call(&Unsubscribe, None).await.map(|_| Answer::Done)
            }
            Request::Unsubscribe { limit: Some(limit) } => {
                // A subscription given up: bounded, its failure does not matter.
                match tokio::time::timeout(*limit, self.call(&Unsubscribe, Some(*limit))).await {
                    Ok(r) => r.map(|_| Answer::Done),
                    Err(_) => Err(Error::Timeout {
                        url: self
                            .sub
                            .as_ref()
                            .map(|s| s.url.to_string())
                            .unwrap_or_default(),
                        after: *limit,
                        connecting: false,
                    }),
                }
            }
            Request::Probe { deadline } => {
                return Answer::Probe(Box::pin(self.probe(*deadline)).await);
            }
        };
        result.unwrap_or_else(|e| {
            tracing::debug!(error = %e, request = ?req, "event request failed");
            Answer::Failed(e)
        })
    }

    /// One CreatePullPointSubscription, or Subscribe in push mode. In push mode every
    /// subscription gets a fresh unguessable path.
    ///
    /// When authentication is refused, the call re-measures the clock and retries once if it
    /// moved (in recovery too: a camera back from a reboot may have another clock); a wrong
    /// password is not sent twice, as the clock then has not moved.
    async fn create(&self, termination: Termination) -> Answer {
        match self.try_create(termination).await {
            Ok(a) => a,
            Err(e) => {
                tracing::debug!(error = %e, "creating the subscription failed");
                if no_service_there(&e) {
                    // A camera back from a firmware update (or another device at its address)
                    // may serve its events elsewhere: the next attempt asks where.
                    tracing::info!(
                        error = %e,
                        "the event service did not answer at its address; asking the camera \
                         where its services are before the next attempt"
                    );
                    self.camera.relocate().await;
                }
                Answer::Failed(e)
            }
        }
    }

    async fn try_create(&self, termination: Termination) -> Result<Answer, Error> {
        let url = self.camera.endpoint(onvif_proto::Service::Events).await?;
        let opts = CallOptions::default();
        let termination = Some(termination.at(self.camera.camera_now()));
        let filter = self.cfg.filter.clone();
        let (reference, current_time, termination_time) = match &self.push {
            None => {
                let op = CreatePullPointSubscription {
                    filter,
                    initial_termination_time: termination,
                };
                let r = self.camera.call_at_with(&url, &op, &opts).await?;
                (r.subscription_reference, r.current_time, r.termination_time)
            }
            Some(push) => {
                let path = format!("/onvif-events/{:016x}{:016x}", random_u64(), random_u64());
                let consumer = format!("{}{path}", push.listening.base().trim_end_matches('/'));
                {
                    // A new subscription's: the count of dropped events carries on.
                    let mut st = lock(&push.state);
                    st.path = path;
                    st.address = None;
                    st.notified = None;
                }
                let op = Subscribe {
                    consumer,
                    filter,
                    initial_termination_time: termination,
                };
                let r = self.camera.call_at_with(&url, &op, &opts).await?;
                lock(&push.state).address = Some(r.subscription_reference.address.clone());
                (r.subscription_reference, r.current_time, r.termination_time)
            }
        };
        let reported = &reference.address;
        let url = self.camera.subscription_url(reported)?;
        Ok(Answer::Created {
            grant: Grant {
                address: url.to_string(),
                current_time,
                termination_time,
                estimated_time: self.estimated_time(),
            },
            url,
            epr: reference,
        })
    }

    /// Our estimate of the camera's clock now, once it has been measured.
    fn estimated_time(&self) -> Option<jiff::Timestamp> {
        self.camera.clock_offset().map(|_| self.camera.camera_now())
    }

    /// Ask the camera the time, unauthenticated (no account can be locked by it, and it is
    /// the cheapest request there is): whether it answers by `deadline`. A fault or a
    /// refusal is an answer too.
    async fn probe(&self, deadline: std::time::Instant) -> bool {
        let url = self.camera.device_url().clone();
        let probe = tokio::time::timeout_at(
            Instant::from_std(deadline),
            self.camera
                .exchange::<GetSystemDateAndTime>(&url, &GetSystemDateAndTime, false),
        )
        .await;
        match probe {
            Ok(Ok(_)) => true,
            Ok(Err(e)) if e.kind() != ErrorKind::Network => true,
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "the camera does not answer yet");
                false
            }
            Err(_) => {
                tracing::debug!("the camera does not answer yet (no answer in time)");
                false
            }
        }
    }

    fn headers(&self, sub: &Live, action: &str) -> String {
        if self.cfg.drop_reference_parameters {
            let bare = EndpointReference {
                reference_parameters: Vec::new(),
                reference_parameters_xml: Vec::new(),
                ..sub.epr.clone()
            };
            return bare.header_xml(action, &message_id());
        }
        sub.epr.header_xml(action, &message_id())
    }

    /// An operation on the live subscription, at its address with its reference parameters.
    async fn call<O: Operation>(
        &self,
        op: &O,
        timeout: Option<Duration>,
    ) -> Result<O::Response, Error> {
        let Some(sub) = &self.sub else {
            return Err(Error::Usage("no subscription".into()));
        };
        let opts = CallOptions {
            extra_header_xml: self.headers(sub, O::ACTION),
            timeout,
            ..CallOptions::default()
        };
        self.camera.call_at_with(&sub.url, op, &opts).await
    }
}

/// A failure, as the session's decisions see it.
fn failure(e: &Error) -> Failure {
    let fault = e.fault();
    let kind = if fault.is_some_and(Fault::is_resource_unknown) {
        FailureKind::Gone
    } else if e.is_auth() {
        FailureKind::Auth
    } else if fault.is_some_and(|f| f.is_action_not_supported()) {
        FailureKind::NotSupported
    } else if matches!(e, Error::Connect { .. }) {
        FailureKind::NoConnection
    } else if e.kind() == ErrorKind::Network {
        FailureKind::Unanswered
    } else {
        FailureKind::Other
    };
    Failure::new(kind, e.to_string())
}

/// An answer meaning nothing serves that operation at that address (any more).
fn no_service_there(e: &Error) -> bool {
    matches!(
        e,
        Error::Http {
            status: 404 | 405,
            ..
        }
    ) || e.fault().is_some_and(|f| f.is_action_not_supported())
}
