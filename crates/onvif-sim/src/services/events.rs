//! The event service (`tev:`) at `/onvif/event_service`, and the pull-point subscription
//! managers at `/onvif/subscription/<id>` (see [`crate::events`]).
//!
//! A subscription manager knows its subscription by its address. Its reference parameter, when
//! echoed as a SOAP header, must name the same subscription; for another id, or for a
//! subscription that expired, was unsubscribed or forgotten by a reboot, the answer is
//! `wsrf-rw:ResourceUnknownFault`. [`crate::Quirk::RefParamsRequired`] and the strict posture
//! ([`crate::SimConfig::strict`]) require the header (`Sender/ter:InvalidArgVal` without it);
//! strict also requires it marked `wsa:IsReferenceParameter="true"`. PullMessages waits until a
//! message is queued or its Timeout (at most a minute) passes; with [`crate::Quirk::Tapo`] a
//! long poll asking more than 10 s has its connection cut after 10 s, as Tapo cameras do.

use std::collections::BTreeMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use onvif_proto::Fault;
use onvif_proto::ns::WSNT;
use onvif_proto::ops::events::{
    CreatePullPointSubscription, CreatePullPointSubscriptionResponse, CurrentMessage,
    EndpointReference, EventProperties, GetCurrentMessage, GetEventProperties,
    GetServiceCapabilities, ItemDescription, MessageDescription, PullMessages,
    PullMessagesResponse, Renew, RenewResponse, Seek, SeekResponse, ServiceCapabilities,
    SetSynchronizationPoint, SetSynchronizationPointResponse, Subscribe, SubscribeResponse, TNS1,
    TerminationTime, TopicNode, Unsubscribe, UnsubscribeResponse, WSRF_RW, dialect,
};
use onvif_proto::ops::{Message, Operation, Service};
use onvif_proto::xml::{Element, Writer};
use tokio::time::Instant;

use super::{Access, Ctx, OpDef, ServiceDef, flags, op, receiver, sender, sender_in};
use crate::events::{
    DIGITAL_INPUT, EventQuirk, HubState, IGNORED_RELATIVE_GRANT, MANAGER_PATH, MOTION, SHORT_GRANT,
    SIM_NS, Subscription, TAMPER,
};
use crate::state::{Shared, shift};
use crate::sync::lock;

/// Granted when no InitialTerminationTime is asked.
const DEFAULT_TERMINATION: Duration = Duration::from_secs(60);
/// The longest termination granted.
const MAX_TERMINATION: Duration = Duration::from_secs(3600);
/// The longest PullMessages wait.
const MAX_PULL_WAIT: Duration = Duration::from_secs(60);
/// The longest PullMessages wait of a Tapo camera.
const TAPO_PULL_WAIT: Duration = Duration::from_secs(10);

/// The event service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Events,
    category: Some("Events"),
    ops: &[
        op!(GetEventProperties => get_event_properties),
        op!(GetServiceCapabilities => get_service_capabilities, Access::PreAuth),
        op!(CreatePullPointSubscription => create_pull_point_subscription),
        op!(Subscribe => subscribe),
        op!(GetCurrentMessage => get_current_message),
    ],
    capabilities: event_capabilities,
    category_flags: event_flags,
};

/// A subscription manager (one definition serves every subscription's path).
pub(crate) static MANAGER: ServiceDef = ServiceDef {
    service: Service::Events,
    category: None,
    ops: &[
        OpDef {
            ns: <PullMessages as onvif_proto::ops::Message>::ELEMENT.ns,
            name: <PullMessages as Operation>::NAME,
            action: <PullMessages as Operation>::ACTION,
            access: Access::Protected,
            handle: |_, _| Err(super::receiver(&["Action"], "PullMessages waits")),
            wait: Some(pull_messages),
        },
        op!(Renew => renew),
        op!(Unsubscribe => unsubscribe),
        op!(SetSynchronizationPoint => set_synchronization_point),
        op!(Seek => seek),
    ],
    capabilities: event_capabilities,
    category_flags: super::no_flags,
};

fn capabilities() -> ServiceCapabilities {
    ServiceCapabilities {
        ws_subscription_policy_support: Some(true),
        ws_pull_point_support: Some(true),
        ws_pausable_subscription_manager_interface_support: Some(false),
        max_notification_producers: Some(32),
        max_pull_points: Some(32),
        persistent_notification_storage: Some(true),
    }
}

fn event_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("WSSubscriptionPolicySupport", "true"),
        ("WSPullPointSupport", "true"),
        ("WSPausableSubscriptionManagerInterfaceSupport", "false"),
        ("MaxNotificationProducers", "32"),
        ("MaxPullPoints", "32"),
        ("PersistentNotificationStorage", "true"),
    ])
}

fn event_flags(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("WSSubscriptionPolicySupport", "true"),
        ("WSPullPointSupport", "true"),
        ("WSPausableSubscriptionManagerInterfaceSupport", "false"),
    ])
}

fn get_service_capabilities(
    _: &Ctx<'_>,
    _: GetServiceCapabilities,
) -> Result<ServiceCapabilities, Fault> {
    Ok(capabilities())
}

fn topic(name: &str, children: Vec<TopicNode>) -> TopicNode {
    TopicNode {
        name: name.into(),
        ns: None,
        is_topic: false,
        message: None,
        children,
    }
}

fn leaf(name: &str, source: &[(&str, &str)], data: (&str, &str)) -> TopicNode {
    let item = |(n, t): &(&str, &str)| ItemDescription {
        name: (*n).into(),
        type_name: (*t).into(),
    };
    TopicNode {
        name: name.into(),
        ns: None,
        is_topic: true,
        message: Some(MessageDescription {
            is_property: true,
            source: source.iter().map(item).collect(),
            key: Vec::new(),
            data: vec![item(&data)],
            ..MessageDescription::default()
        }),
        children: Vec::new(),
    }
}

/// `LinkStatus`: its data is an element item.
fn link_status_leaf() -> TopicNode {
    let item = |n: &str, t: &str| ItemDescription {
        name: n.into(),
        type_name: t.into(),
    };
    TopicNode {
        name: "LinkStatus".into(),
        ns: None,
        is_topic: true,
        message: Some(MessageDescription {
            is_property: true,
            source: vec![item("InterfaceToken", "tt:ReferenceToken")],
            data_elements: vec![item("Link", "tt:NetworkInterfaceConnectionSetting")],
            ..MessageDescription::default()
        }),
        children: Vec::new(),
    }
}

fn rooted(mut t: TopicNode) -> TopicNode {
    t.ns = Some(TNS1.into());
    t
}

fn get_event_properties(_: &Ctx<'_>, _: GetEventProperties) -> Result<EventProperties, Fault> {
    let token = "tt:ReferenceToken";
    Ok(EventProperties {
        topic_namespace_locations: vec![
            "http://www.onvif.org/onvif/ver10/topics/topicns.xml".into(),
        ],
        fixed_topic_set: Some(true),
        topics: vec![
            rooted(topic(
                "RuleEngine",
                vec![topic(
                    "CellMotionDetector",
                    vec![leaf(
                        "Motion",
                        &[
                            ("VideoSourceConfigurationToken", token),
                            ("VideoAnalyticsConfigurationToken", token),
                            ("Rule", "xs:string"),
                        ],
                        ("IsMotion", "xs:boolean"),
                    )],
                )],
            )),
            rooted(topic(
                "Device",
                vec![topic(
                    "Trigger",
                    vec![
                        leaf(
                            "DigitalInput",
                            &[("InputToken", token)],
                            ("LogicalState", "xs:boolean"),
                        ),
                        leaf(
                            "Relay",
                            &[("RelayToken", token)],
                            ("LogicalState", "tt:RelayLogicalState"),
                        ),
                    ],
                )],
            )),
            rooted(topic(
                "VideoSource",
                vec![topic(
                    "GlobalSceneChange",
                    vec![leaf(
                        "ImagingService",
                        &[("Source", token)],
                        ("State", "xs:boolean"),
                    )],
                )],
            )),
            rooted(topic("Monitoring", vec![link_status_leaf()])),
        ],
        topic_expression_dialects: vec![dialect::CONCRETE_SET.into(), dialect::CONCRETE.into()],
        message_content_filter_dialects: vec![
            "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter".into(),
        ],
        message_content_schema_locations: vec![
            "http://www.onvif.org/onvif/ver10/schema/onvif.xsd".into(),
        ],
    })
}

/// `wsrf-rw:ResourceUnknownFault`.
fn resource_unknown(reason: impl Into<String>) -> Fault {
    sender_in(WSRF_RW, "ResourceUnknownFault", reason)
}

/// How long a termination time asked grants, from now (`now` in the camera's clock), as the
/// event quirks of `st` have it.
fn granted(
    st: &HubState,
    asked: Option<TerminationTime>,
    now: Timestamp,
) -> Result<Duration, Fault> {
    let d = match asked {
        None => DEFAULT_TERMINATION,
        Some(TerminationTime::Relative(_)) if st.has(EventQuirk::IgnoresRelativeDurations) => {
            IGNORED_RELATIVE_GRANT
        }
        Some(TerminationTime::Relative(d)) => d,
        Some(TerminationTime::Absolute(t)) => {
            let ms = t.as_millisecond() - now.as_millisecond();
            if ms <= 0 {
                return Err(sender(
                    &["InvalidArgVal"],
                    "the termination time asked is in the past",
                ));
            }
            Duration::from_millis(ms.unsigned_abs())
        }
    };
    if d.is_zero() {
        return Err(sender(
            &["InvalidArgVal"],
            "a termination time of zero was asked",
        ));
    }
    if st.has(EventQuirk::ShortGrants) {
        return Ok(SHORT_GRANT);
    }
    Ok(d.min(MAX_TERMINATION))
}

fn create_pull_point_subscription(
    ctx: &Ctx<'_>,
    req: CreatePullPointSubscription,
) -> Result<CreatePullPointSubscriptionResponse, Fault> {
    let (now, at) = ctx.shared.camera_now_and_instant();
    let mut st = lock(&ctx.shared.events.state);
    if st.has(EventQuirk::CreateCut) {
        return Err(Fault {
            reason: crate::events::CUT_CONNECTION.into(),
            ..super::receiver(&["Action"], "cut")
        });
    }
    let life = granted(&st, req.initial_termination_time, now)?;
    let expires = at + life;
    st.reap(Instant::now());
    if st.outage {
        return Err(super::receiver(
            &["Action"],
            "the event service is restarting",
        ));
    }
    if st.subs.len() >= 32 {
        return Err(super::receiver(
            &["Action", "TooManySubscriptions"],
            "no more than 32 pull points",
        ));
    }
    let id = st.new_id();
    let mut sub = Subscription {
        queue: Default::default(),
        expires,
        filter: req.filter,
        push: None,
        deaf: false,
    };
    let initial = st.initial(now);
    HubState::queue(&mut sub, initial);
    // Its states, then nothing.
    sub.deaf = st.has(EventQuirk::StopsQueueing);
    st.subs.insert(id.clone(), sub);
    let param = format!(
        r#"<sim:SubscriptionId xmlns:sim="{SIM_NS}">{}</sim:SubscriptionId>"#,
        onvif_proto::xml::escape(&id)
    );
    Ok(CreatePullPointSubscriptionResponse {
        subscription_reference: EndpointReference::new(
            &match ctx.shared.events.manager_port.get() {
                Some(port) => format!(
                    "{}://{}:{port}{MANAGER_PATH}/{id}",
                    ctx.shared.cfg.scheme(),
                    ctx.host
                ),
                None => format!("{}{MANAGER_PATH}/{id}", ctx.xaddr_base),
            },
            &[&param],
        ),
        current_time: Some(now),
        termination_time: Some(shift(
            now,
            SignedDuration::try_from(life).unwrap_or_default(),
        )),
    })
}

/// GetCurrentMessage: the current state of one of the three topics, or
/// `wsnt:NoCurrentMessageOnTopicFault`.
fn get_current_message(ctx: &Ctx<'_>, req: GetCurrentMessage) -> Result<CurrentMessage, Fault> {
    let now = ctx.shared.camera_now();
    let initial = lock(&ctx.shared.events.state).initial(now);
    match initial.into_iter().find(|m| req.topic.matches(&m.topic)) {
        Some(m) => Ok(CurrentMessage {
            message: Some(m.message),
        }),
        None => Err(sender_in(
            WSNT,
            "NoCurrentMessageOnTopicFault",
            format!("no current message on {}", req.topic.expression),
        )),
    }
}

/// Subscribe (push): like a pull point, with a task that POSTs `Notify` to the consumer.
fn subscribe(ctx: &Ctx<'_>, req: Subscribe) -> Result<SubscribeResponse, Fault> {
    let target = crate::events::Consumer::parse(&req.consumer, ctx.shared.cfg.bind.ip())
        .map_err(|why| sender(&["InvalidArgVal"], &why))?;
    let (tx, rx) = tokio::sync::mpsc::channel(crate::events::PUSH_QUEUE_CAP);
    let created = create_pull_point_subscription(
        ctx,
        CreatePullPointSubscription {
            filter: req.filter,
            initial_termination_time: req.initial_termination_time,
        },
    )?;
    let id = created
        .subscription_reference
        .address
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    {
        let mut st = lock(&ctx.shared.events.state);
        if let Some(sub) = st.subs.get_mut(&id) {
            // The Initialized states queued at creation go to the consumer first.
            for m in sub.queue.drain(..) {
                let _ = tx.try_send(m);
            }
            sub.push = Some(tx);
        }
    }
    tokio::spawn(crate::events::deliver(target, rx, None));
    Ok(SubscribeResponse {
        subscription_reference: created.subscription_reference,
        current_time: created.current_time,
        termination_time: created.termination_time,
    })
}

/// The subscription a manager request is for: the id in the path. A `sim:SubscriptionId`
/// header, when echoed, must name the same one (else `wsrf-rw:ResourceUnknownFault`).
///
/// Default posture: the header is optional, as the address alone names the subscription (as
/// on most cameras), and `wsa:IsReferenceParameter` is not looked at. With
/// [`crate::Quirk::RefParamsRequired`] the header is required (as on Axis cameras). Strict:
/// required, and marked `wsa:IsReferenceParameter="true"` as WS-Addressing 1.0 says.
fn subscription_id(ctx: &Ctx<'_>) -> Result<String, Fault> {
    let from_path = ctx.path.rsplit('/').next().unwrap_or_default();
    let cfg = &ctx.shared.cfg;
    let required = cfg.strict || cfg.has(crate::config::Quirk::RefParamsRequired);
    let Some(param) = ctx.header.and_then(|h| h.child(SIM_NS, "SubscriptionId")) else {
        if required {
            return Err(sender(
                &["InvalidArgVal"],
                "the SubscriptionId reference parameter was not echoed as a SOAP header",
            ));
        }
        return Ok(from_path.to_owned());
    };
    // WS-Addressing 1.0 marks every echoed reference parameter.
    if cfg.strict
        && !matches!(
            param.attr_ns(onvif_proto::ns::WSA, "IsReferenceParameter"),
            Some("true" | "1")
        )
    {
        return Err(sender(
            &["InvalidArgVal"],
            "the SubscriptionId header lacks wsa:IsReferenceParameter=\"true\"",
        ));
    }
    if param.text().trim() != from_path {
        return Err(resource_unknown(format!(
            "the SubscriptionId header {:?} does not name the subscription at this address",
            param.text()
        )));
    }
    Ok(from_path.to_owned())
}

/// The subscription, alive, or ResourceUnknown.
fn live<'s>(st: &'s mut HubState, id: &str) -> Result<&'s mut Subscription, Fault> {
    st.reap(Instant::now());
    st.subs
        .get_mut(id)
        .ok_or_else(|| resource_unknown(format!("no subscription {id} (expired or unknown)")))
}

/// A PullMessages read and admitted, waiting for notifications: it holds nothing of its
/// request, so that the request's memory (up to the body limit, and its parsed envelope) is
/// let go for the whole long poll.
pub(crate) struct PullWait {
    id: String,
    limit: usize,
    /// The long poll's Timeout: how long its answer keeps the pull point alive at least.
    keep: Duration,
    deadline: Instant,
    /// Tapo: cut the connection when nothing came by the deadline.
    cut: bool,
}

/// Read a PullMessages and check its subscription; the wait comes after
/// ([`super::Wait::answer`]).
fn pull_messages(ctx: &Ctx<'_>, el: &Element) -> Result<Box<dyn super::Wait>, Fault> {
    let id = subscription_id(ctx)?;
    let req = PullMessages::read(el)
        .map_err(|e| sender(&["InvalidArgVal"], format!("PullMessages: {e}")))?;
    let limit = usize::try_from(req.message_limit.max(1)).unwrap_or(usize::MAX);
    // Tapo drops the connection of a long poll after 10 s, whatever its Timeout.
    let tapo = ctx.shared.cfg.has(crate::config::Quirk::Tapo);
    let cap = if tapo { TAPO_PULL_WAIT } else { MAX_PULL_WAIT };
    let cut = tapo && req.timeout > TAPO_PULL_WAIT;
    let deadline = {
        let mut st = lock(&ctx.shared.events.state);
        let keepalive = !st.has(EventQuirk::PullNoKeepalive);
        let at_once = st.has(EventQuirk::PullIgnoresTimeout);
        let sub = live(&mut st, &id)?;
        let deadline = if at_once {
            Instant::now()
        } else {
            Instant::now() + req.timeout.min(cap)
        };
        // A long poll keeps its pull point alive while it waits, and for its timeout after
        // its answer (ONVIF Core 9.1.1).
        if keepalive {
            sub.expires = sub.expires.max(deadline + req.timeout.min(MAX_TERMINATION));
        }
        if st.fail_pulls > 0 {
            st.fail_pulls -= 1;
            return Err(super::receiver(&["Action"], "PullMessages failed"));
        }
        deadline
    };
    Ok(Box::new(PullWait {
        id,
        limit,
        keep: req.timeout.min(MAX_TERMINATION),
        deadline,
        cut,
    }))
}

impl super::Wait for PullWait {
    /// Wait for notifications (or the deadline), and answer with them.
    fn answer(
        self: Box<Self>,
        shared: &Shared,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, Fault>> + Send + '_>>
    {
        let PullWait {
            id,
            limit,
            keep,
            deadline,
            cut,
        } = *self;
        Box::pin(async move { pull_wait(shared, &id, limit, keep, deadline, cut).await })
    }
}

async fn pull_wait(
    shared: &Shared,
    id: &str,
    limit: usize,
    keep: Duration,
    deadline: Instant,
    cut: bool,
) -> Result<String, Fault> {
    let hub = &shared.events;
    // Counted as waiting until it answers (or its connection is dropped).
    struct Waiting<'a>(&'a tokio::sync::watch::Sender<usize>);
    impl Drop for Waiting<'_> {
        fn drop(&mut self) {
            self.0.send_modify(|w| *w = w.saturating_sub(1));
        }
    }
    hub.pulls_waiting.send_modify(|w| *w += 1);
    let _waiting = Waiting(&hub.pulls_waiting);
    loop {
        let notified = hub.wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut st = lock(&hub.state);
            let keepalive = !st.has(EventQuirk::PullNoKeepalive);
            let sub = live(&mut st, id)?;
            if sub.queue.is_empty() && cut && Instant::now() >= deadline {
                drop(st);
                hub.pulls_cut.send_modify(|c| *c += 1);
                return Err(Fault {
                    reason: crate::events::CUT_CONNECTION.into(),
                    ..super::receiver(&["Action"], "cut")
                });
            }
            if !sub.queue.is_empty() || Instant::now() >= deadline {
                let n = sub.queue.len().min(limit);
                let messages = sub.queue.drain(..n).collect();
                // ONVIF Core 9.1.1: alive for at least the long poll's timeout after it.
                if keepalive {
                    sub.expires = sub.expires.max(Instant::now() + keep);
                }
                let resp = PullMessagesResponse {
                    current_time: Some(shared.camera_now()),
                    termination_time: Some(shared.camera_time_at(sub.expires)),
                    messages,
                };
                let mut w = Writer::with_capacity(2048);
                resp.write(&mut w);
                return Ok(w.finish());
            }
        }
        tokio::select! {
            () = &mut notified => {}
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}

fn renew(ctx: &Ctx<'_>, req: Renew) -> Result<RenewResponse, Fault> {
    let id = subscription_id(ctx)?;
    let (now, at) = ctx.shared.camera_now_and_instant();
    let mut st = lock(&ctx.shared.events.state);
    if st.has(EventQuirk::RenewFault) {
        return Err(super::receiver(&["Action"], "Renew failed"));
    }
    if st.fail_renews > 0 {
        st.fail_renews -= 1;
        return Err(super::receiver(&["Action"], "Renew failed (once)"));
    }
    if st.has(EventQuirk::RenewUnsupported) {
        return Err(receiver(
            &["ActionNotSupported"],
            "Renew is not implemented by this camera",
        ));
    }
    let life = granted(&st, Some(req.termination_time), now)?;
    let sub = live(&mut st, &id)?;
    sub.expires = at + life;
    Ok(RenewResponse {
        termination_time: Some(shift(
            now,
            SignedDuration::try_from(life).unwrap_or_default(),
        )),
        current_time: Some(now),
    })
}

fn unsubscribe(ctx: &Ctx<'_>, _: Unsubscribe) -> Result<UnsubscribeResponse, Fault> {
    let id = subscription_id(ctx)?;
    {
        let mut st = lock(&ctx.shared.events.state);
        live(&mut st, &id)?;
        if st.has(EventQuirk::CancelAllOnUnsubscribe) {
            st.subs.clear();
        } else {
            st.subs.remove(&id);
        }
    }
    ctx.shared.events.wake.notify_waiters();
    Ok(UnsubscribeResponse)
}

fn set_synchronization_point(
    ctx: &Ctx<'_>,
    _: SetSynchronizationPoint,
) -> Result<SetSynchronizationPointResponse, Fault> {
    let id = subscription_id(ctx)?;
    {
        let mut st = lock(&ctx.shared.events.state);
        let initial = st.initial(ctx.shared.camera_now());
        let sub = live(&mut st, &id)?;
        HubState::queue(sub, initial);
    }
    ctx.shared.events.wake.notify_waiters();
    Ok(SetSynchronizationPointResponse)
}

/// Seek: the subscription's queue is replaced by the stored changes from `UtcTime` on (oldest
/// first), or with `Reverse` by those up to `UtcTime` (newest first), through its filter.
fn seek(ctx: &Ctx<'_>, req: Seek) -> Result<SeekResponse, Fault> {
    let id = subscription_id(ctx)?;
    {
        let mut st = lock(&ctx.shared.events.state);
        let reverse = req.reverse.unwrap_or(false);
        let at = |m: &onvif_proto::ops::events::NotificationMessage| m.message.utc_time;
        let replay: Vec<_> = if reverse {
            st.history
                .iter()
                .rev()
                .filter(|m| at(m).is_some_and(|t| t <= req.utc_time))
                .cloned()
                .collect()
        } else {
            st.history
                .iter()
                .filter(|m| at(m).is_some_and(|t| t >= req.utc_time))
                .cloned()
                .collect()
        };
        let sub = live(&mut st, &id)?;
        sub.queue.clear();
        HubState::queue(sub, replay);
    }
    ctx.shared.events.wake.notify_waiters();
    Ok(SeekResponse)
}

/// Apply the configured event quirks and, with [`crate::SimConfig::events_motion_every`],
/// toggle motion in the background for as long as the camera runs.
pub(crate) fn start_periodic(shared: &Arc<Shared>) {
    lock(&shared.events.state).quirks = shared.cfg.event_quirks.clone();
    for (topic, period) in [
        (MOTION, shared.cfg.motion_every),
        (DIGITAL_INPUT, shared.cfg.input_every),
        (TAMPER, shared.cfg.tamper_every),
    ] {
        let Some(period) = period else { continue };
        let period = period.max(Duration::from_millis(10));
        let weak: Weak<Shared> = Arc::downgrade(shared);
        let offset = shared.cfg.events_offset;
        tokio::spawn(async move {
            let mut on = false;
            tokio::time::sleep(offset).await;
            let mut tick = tokio::time::interval(period / 2);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(shared) = weak.upgrade() else {
                    return;
                };
                on = !on;
                shared.events.emit(shared.camera_now(), topic, on);
            }
        });
    }
}
