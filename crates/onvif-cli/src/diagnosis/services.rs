//! The services beyond media, PTZ and events, read only: relays and digital inputs, focus,
//! on-screen displays, analytics rules, recordings, user accounts and network settings. Each
//! is skipped when the camera does not offer it; one that is offered but fails is a warning,
//! since its commands will fail the same way.

use onvif::proto::Service;
use onvif::{Camera, Error};

use super::report::{Report, Status};

pub(super) async fn services(r: &mut Report, cam: &Camera) {
    device_io(r, cam).await;
    focus(r, cam).await;
    osd(r, cam).await;
    analytics(r, cam).await;
    recordings(r, cam).await;
    accounts(r, cam).await;
    network(r, cam).await;
}

/// Is the service offered? When not, a skipped line says so.
async fn offered(r: &mut Report, cam: &Camera, service: Service, check: &str) -> bool {
    if cam.has_service(service).await.unwrap_or(false) {
        return true;
    }
    r.add(
        "services",
        check,
        Status::Skipped,
        format!("no {service} service"),
    );
    false
}

/// A failed read: a warning, with the command that will fail the same way.
fn failed(r: &mut Report, check: &str, e: &Error, command: &str) {
    let advice = format!("`onvif {command}` will fail the same way");
    r.fail("services", check, Status::Warning, e, advice);
}

/// A list read: how many and their names (`2: a, b`), or a failure as [`failed`] says it.
fn listed<T>(
    r: &mut Report,
    check: &str,
    read: Result<Vec<T>, Error>,
    name: fn(&T) -> &str,
    command: &str,
) {
    match read {
        Ok(list) => r.add(
            "services",
            check,
            Status::Ok,
            format!("{}: {}", list.len(), tokens(list.iter().map(name))),
        ),
        Err(e) => failed(r, check, &e, command),
    }
}

async fn osd(r: &mut Report, cam: &Camera) {
    if !offered(r, cam, Service::Media2, "on-screen displays").await {
        return;
    }
    let read = cam.osds(None).await;
    listed(r, "on-screen displays", read, |x| &x.token, "osd");
}

async fn analytics(r: &mut Report, cam: &Camera) {
    if !offered(r, cam, Service::Analytics, "analytics rules").await {
        return;
    }
    let rules = match cam.analytics_configuration_token(None).await {
        Ok(c) => cam.rules(&c).await,
        Err(e) => Err(e),
    };
    listed(r, "analytics rules", rules, |x| &x.name, "analytics rules");
}

async fn recordings(r: &mut Report, cam: &Camera) {
    if offered(r, cam, Service::Recording, "recordings").await {
        let read = cam.recordings().await;
        listed(r, "recordings", read, |x| &x.token, "recordings");
    }
    if offered(r, cam, Service::Search, "recording search").await {
        match cam.recording_summary().await {
            Ok(s) => {
                // Before 2000: the camera's clock was not set when it recorded (the epoch,
                // 1970, after a power cut without NTP).
                let unset = s.data_from.as_second() < 946_684_800;
                r.add(
                    "services",
                    "recording search",
                    if unset { Status::Warning } else { Status::Ok },
                    format!(
                        "{} recordings, data from {} until {}",
                        s.number_recordings, s.data_from, s.data_until
                    ),
                );
                if unset {
                    r.advise(
                        "recorded while the camera's clock was not set: searches by time miss \
                         that data; set its clock (NTP, or `onvif time --sync`)",
                    );
                }
            }
            Err(e) => failed(r, "recording search", &e, "recordings search"),
        }
    }
}

/// The accounts: only an administrator may list them, so a refusal is said as such.
async fn accounts(r: &mut Report, cam: &Camera) {
    // Asked as sent (`Camera::users` drops passwords): whether the camera hands them out is
    // what is checked; they are dropped here, never shown.
    let answer = cam
        .call(&onvif::proto::ops::device::GetUsers)
        .await
        .map(|a| a.users);
    match answer {
        Err(e) if e.kind() == onvif::ErrorKind::Auth => r.add(
            "services",
            "user accounts",
            Status::Skipped,
            "listing accounts needs an administrator's credentials",
        ),
        Ok(users) if users.iter().any(|u| u.password.is_some()) => {
            // Never shown: only that they came.
            r.add(
                "services",
                "user accounts",
                Status::Warning,
                format!(
                    "{} accounts, and GetUsers answers with their passwords",
                    users.len()
                ),
            );
            r.advise(
                "anyone with an administrator's login (or the network, over plain HTTP) reads \
                 every account's password; look for a firmware update",
            );
        }
        read => listed(r, "user accounts", read, |u| &u.username, "users"),
    }
}

async fn network(r: &mut Report, cam: &Camera) {
    match cam.network_protocols().await {
        Ok(p) => {
            let on: Vec<String> = p
                .iter()
                .filter(|p| p.enabled)
                .map(|p| {
                    let ports: Vec<String> = p.ports.iter().map(u16::to_string).collect();
                    format!("{} {}", p.name, ports.join("/"))
                })
                .collect();
            r.add(
                "services",
                "network protocols",
                Status::Ok,
                if on.is_empty() {
                    "none enabled".to_owned()
                } else {
                    on.join(", ")
                },
            );
        }
        Err(e) => failed(r, "network protocols", &e, "protocols"),
    }
    let hidden = match cam.discovery_mode().await {
        Ok(m) => {
            let discoverable = m == onvif::proto::ops::device::DiscoveryMode::Discoverable;
            let status = if discoverable {
                Status::Ok
            } else {
                Status::Warning
            };
            r.add("services", "discovery mode", status, m.to_string());
            !discoverable
        }
        // Not knowing the mode says nothing of whether the camera can be discovered.
        Err(e) => {
            failed(r, "discovery mode", &e, "discovery-mode");
            false
        }
    };
    if hidden && let Some(c) = r.checks.last_mut() {
        c.advice = Some(
            "`onvif discover` will not find it; `onvif discovery-mode set discoverable` changes that"
                .into(),
        );
    }
}

/// `a, b, c` of some tokens, or `none`.
fn tokens<'a>(t: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = t.collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

async fn device_io(r: &mut Report, cam: &Camera) {
    let read = cam.relay_outputs().await;
    listed(r, "relay outputs", read, |x| &x.token, "relay");
    if !cam.has_service(Service::DeviceIo).await.unwrap_or(false) {
        r.add(
            "services",
            "digital inputs",
            Status::Skipped,
            "no DeviceIO service",
        );
        return;
    }
    let read = cam.digital_inputs().await;
    listed(r, "digital inputs", read, |x| &x.token, "inputs");
    if r.checks.last().is_some_and(|c| c.status == Status::Warning) {
        r.advise("the camera lists DeviceIO but GetDigitalInputs fails; `onvif inputs` will too");
    }
}

async fn focus(r: &mut Report, cam: &Camera) {
    if !cam.has_service(Service::Imaging).await.unwrap_or(false) {
        r.add("services", "focus", Status::Skipped, "no imaging service");
        return;
    }
    let source = match cam.video_source_token(None).await {
        Ok(s) => s,
        Err(e) => {
            r.add("services", "focus", Status::Skipped, e.to_string());
            return;
        }
    };
    let moves = cam.focus_move_options(&source).await;
    let status = cam.focus_status(&source).await;
    match (moves, status) {
        (Ok(m), Ok(s)) => {
            let mut kinds = Vec::new();
            if m.absolute.is_some() {
                kinds.push("absolute");
            }
            if m.relative.is_some() {
                kinds.push("relative");
            }
            if m.continuous.is_some() {
                kinds.push("continuous");
            }
            let at = s
                .and_then(|s| s.position)
                .map_or_else(|| "position not reported".to_owned(), |p| format!("at {p}"));
            r.add(
                "services",
                "focus",
                Status::Ok,
                format!(
                    "moves: {}; {at}",
                    if kinds.is_empty() {
                        "none".to_owned()
                    } else {
                        kinds.join(", ")
                    }
                ),
            );
        }
        (Err(e), _) | (_, Err(e)) => {
            r.add("services", "focus", Status::Warning, e.to_string());
            r.advise(
                "a camera without a motorised lens refuses focus moves; `onvif focus` will fail",
            );
        }
    }
}
