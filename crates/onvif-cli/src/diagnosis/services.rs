//! The services beyond media, PTZ and events, read only: relays and digital inputs, focus.
//! Each is skipped when the camera does not offer it; one that is offered but fails is a
//! warning, since its commands will fail the same way.

use super::*;

pub(super) async fn services(r: &mut Report, cam: &Camera) {
    device_io(r, cam).await;
    focus(r, cam).await;
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
    match cam.relay_outputs().await {
        Ok(relays) => r.add(
            "services",
            "relay outputs",
            Status::Ok,
            format!(
                "{}: {}",
                relays.len(),
                tokens(relays.iter().map(|x| x.token.as_str()))
            ),
        ),
        Err(e) => {
            r.add("services", "relay outputs", Status::Warning, e.to_string());
            r.advise("`onvif relay` will fail the same way");
        }
    }
    if !cam.has_service(Service::DeviceIo).await.unwrap_or(false) {
        r.add(
            "services",
            "digital inputs",
            Status::Skipped,
            "no DeviceIO service",
        );
        return;
    }
    match cam.digital_inputs().await {
        Ok(inputs) => r.add(
            "services",
            "digital inputs",
            Status::Ok,
            format!(
                "{}: {}",
                inputs.len(),
                tokens(inputs.iter().map(|x| x.token.as_str()))
            ),
        ),
        Err(e) => {
            r.add("services", "digital inputs", Status::Warning, e.to_string());
            r.advise(
                "the camera lists DeviceIO but GetDigitalInputs fails; `onvif inputs` will too",
            );
        }
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
