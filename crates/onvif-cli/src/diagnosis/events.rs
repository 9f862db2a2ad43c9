//! Events: topics and kinds, the pull point (termination, long poll, Renew, sync point,
//! Unsubscribe) and push.

use std::time::{Duration, Instant};

use onvif::proto::Service;
use onvif::proto::ops::events::{
    CreatePullPointSubscription, KindTable, PullMessages, Renew, SetSynchronizationPoint,
    TerminationTime, Unsubscribe,
};
use onvif::{CallOptions, Camera};

use super::report::{Report, Status};

/// A message id for WS-Addressing.
fn message_id() -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("urn:uuid:00000000-0000-4000-8000-{:012x}", n % (1 << 48))
}

pub(super) async fn events(r: &mut Report, cam: &Camera, asked_hold: Duration) {
    if !cam.has_service(Service::Events).await.unwrap_or(false) {
        r.add(
            "events",
            "service",
            Status::Skipped,
            "the camera offers no events",
        );
        return;
    }
    match cam.event_properties().await {
        Ok(props) => {
            let kinds = KindTable::default();
            let mut known = Vec::new();
            let mut unknown = Vec::new();
            for entry in props.flatten() {
                match kinds.offered(&entry) {
                    Some(k) => {
                        if !known.contains(&k.to_owned()) {
                            known.push(k.to_owned());
                        }
                    }
                    None => unknown.push(entry.path.clone()),
                }
            }
            r.add(
                "events",
                "topics",
                Status::Ok,
                format!(
                    "kinds: {}",
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                ),
            );
            if !unknown.is_empty() {
                r.add(
                    "events",
                    "topics without a kind",
                    Status::Ok,
                    unknown.join(", "),
                );
                r.advise("events of these topics arrive without a kind; add rules with --kinds (or the bridge's kinds) to name them");
            }
        }
        Err(e) => r.add("events", "topics", Status::Warning, e.to_string()),
    }
    let url = match cam.endpoint(Service::Events).await {
        Ok(u) => u,
        Err(e) => {
            r.add("events", "pull point", Status::Problem, e.to_string());
            return;
        }
    };
    let asked = Duration::from_secs(60);
    let create = CreatePullPointSubscription {
        filter: None,
        initial_termination_time: Some(TerminationTime::Relative(asked)),
    };
    let created = match cam.call_at(&url, &create).await {
        Ok(c) => c,
        Err(e) => {
            let advice = "this camera may only push events: try `onvif events --mode push`";
            r.fail("events", "pull point", Status::Problem, &e, advice);
            return;
        }
    };
    r.add(
        "events",
        "pull point",
        Status::Ok,
        "CreatePullPointSubscription answered",
    );
    // What the camera granted bounds how long a pull can be held on this subscription.
    let mut granted_secs: Option<f64> = None;
    match (created.current_time, created.termination_time) {
        (Some(now), Some(end)) => {
            let granted = end.duration_since(now).as_secs_f64();
            granted_secs = Some(granted);
            if (granted - asked.as_secs_f64()).abs() <= 5.0 {
                r.add(
                    "events",
                    "relative termination",
                    Status::Ok,
                    format!("honoured ({granted:.0} s for 60 s asked)"),
                );
            } else {
                r.add(
                    "events",
                    "relative termination",
                    Status::Warning,
                    format!("60 s asked, {granted:.0} s granted"),
                );
                r.advise("the tool renews by what was granted; a client that trusts what it asked for loses the subscription: use absolute termination times with this camera");
            }
        }
        _ => {
            r.add(
                "events",
                "relative termination",
                Status::Warning,
                "the answer gives no current and termination time",
            );
        }
    }
    let sub_url = match cam.subscription_url(&created.subscription_reference.address) {
        Ok(u) => u,
        Err(e) => {
            r.add(
                "events",
                "subscription address",
                Status::Problem,
                e.to_string(),
            );
            return;
        }
    };
    let epr = &created.subscription_reference;
    let opts = |action: &str, timeout: Option<Duration>| CallOptions {
        extra_header_xml: epr.header_xml(action, &message_id()),
        timeout,
        ..CallOptions::default()
    };
    use onvif::proto::Operation;
    // How long a pull is held when nothing happens: long enough to see a camera that cuts
    // long polls at 10 s (its connection closed, or an empty answer, before the time asked).
    let hold = match granted_secs {
        Some(g) if g < asked_hold.as_secs_f64() + 2.0 => {
            Duration::from_secs_f64((g - 2.0).max(1.0))
        }
        _ => asked_hold,
    };
    let pull = PullMessages {
        timeout: hold,
        message_limit: 100,
    };
    // The first pull may bring the current state (Initialized messages): a second one waits.
    // `Ok(d)`: answered empty after d; `Err(d)`: the connection failed after d.
    let mut held: Option<Result<Duration, Duration>> = None;
    for _ in 0..2 {
        let at = Instant::now();
        match cam
            .call_at_with(
                &sub_url,
                &pull,
                &opts(PullMessages::ACTION, Some(hold + Duration::from_secs(10))),
            )
            .await
        {
            Ok(p) if p.messages.is_empty() => {
                held = Some(Ok(at.elapsed()));
                break;
            }
            Ok(_) => {}
            Err(e) if e.fault().is_none() && at.elapsed() >= Duration::from_secs(1) => {
                held = Some(Err(at.elapsed()));
                break;
            }
            Err(e) => {
                r.add("events", "PullMessages", Status::Problem, e.to_string());
                break;
            }
        }
    }
    let asked_s = hold.as_secs_f64();
    match held {
        Some(Ok(h)) if h + Duration::from_millis(500) >= hold => r.add(
            "events",
            "long poll",
            Status::Ok,
            format!("held {:.1} s of {asked_s:.0} s asked", h.as_secs_f64()),
        ),
        Some(Ok(h)) if h < Duration::from_secs(1) => {
            r.add(
                "events",
                "long poll",
                Status::Warning,
                format!(
                    "answered with nothing after {:.1} s of {asked_s:.0} s asked",
                    h.as_secs_f64()
                ),
            );
            r.advise("the camera does not hold PullMessages: the tool keeps pulling, at more requests per minute");
        }
        Some(cut) => {
            let (h, how) = match cut {
                Ok(h) => (h, "answered with nothing"),
                Err(h) => (h, "cut the connection"),
            };
            let max = (h.as_secs().saturating_sub(2)).max(1);
            r.add(
                "events",
                "long poll",
                Status::Warning,
                format!(
                    "{how} after {:.1} s of {asked_s:.0} s asked",
                    h.as_secs_f64()
                ),
            );
            r.advise(format!(
                "the tool pulls again at once after a cut; `doctor --write-profile` makes pulls ask at most {max} s (events_max_pull)"
            ));
            if let Some(c) = r.checks.last_mut() {
                c.settings = vec![("events_max_pull".into(), format!("\"{max}s\""))];
            }
        }
        None if !r.checks.iter().any(|c| c.check == "PullMessages") => r.add(
            "events",
            "long poll",
            Status::Skipped,
            "events kept arriving: the hold could not be measured",
        ),
        None => {}
    }
    let renew = Renew {
        termination_time: TerminationTime::Relative(asked),
    };
    let renewed = cam
        .call_at_with(&sub_url, &renew, &opts(Renew::ACTION, None))
        .await;
    r.answered(
        "events",
        "Renew",
        renewed,
        "the tool re-creates the subscription before it ends instead",
    );
    let sync = opts(SetSynchronizationPoint::ACTION, None);
    let synced = cam
        .call_at_with(&sub_url, &SetSynchronizationPoint, &sync)
        .await;
    r.answered(
        "events",
        "SetSynchronizationPoint",
        synced,
        "current states come only with a new subscription",
    );
    let ended = cam
        .call_at_with(&sub_url, &Unsubscribe, &opts(Unsubscribe::ACTION, None))
        .await;
    r.answered(
        "events",
        "Unsubscribe",
        ended,
        "the subscription is left to expire (60 s); `doctor --write-profile` sets events_no_unsubscribe for this camera",
    );
    push(r, cam).await;
}

/// Push: a subscription whose notifications the camera posts to a listener of ours. Its first
/// notification (most cameras send the current state at once) shows that it reaches us.
async fn push(r: &mut Report, cam: &Camera) {
    use onvif::events::{EventSession, Lifecycle, PushConfig, SessionConfig, SessionItem};
    let started = match EventSession::push(
        cam.clone(),
        SessionConfig::default(),
        PushConfig::default(),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => {
            r.add("events", "push", Status::Ok, format!("not offered: {e}"));
            r.advise("events come by pull-point (the default), which needs no address of ours");
            return;
        }
    };
    let (session, mut rx) = started;
    let wait = Duration::from_secs(5);
    let at = Instant::now();
    let first = tokio::time::timeout(wait, async {
        loop {
            match rx.recv().await {
                Some(SessionItem::Event(_)) => return true,
                Some(SessionItem::Lifecycle(Lifecycle::Lost { .. } | Lifecycle::Closed)) | None => {
                    return false;
                }
                Some(_) => {}
            }
        }
    })
    .await
    .unwrap_or(false);
    if first {
        r.add(
            "events",
            "push",
            Status::Ok,
            format!(
                "a notification arrived {:.1} s after subscribing",
                at.elapsed().as_secs_f64()
            ),
        );
    } else {
        r.add(
            "events",
            "push",
            Status::Warning,
            format!(
                "subscribed, but no notification came within {} s",
                wait.as_secs()
            ),
        );
        r.advise("the camera had nothing to say, or cannot reach this machine (a firewall, another network): use pull-point events, the default");
    }
    let _ = tokio::time::timeout(Duration::from_secs(3), session.close()).await;
}
