//! `capture`: a read-only tour of a camera, every exchange recorded (the recording itself is
//! made by `--capture`'s machinery in `main`); and writing a recording to its file.

use std::path::Path;
use std::sync::Arc;

use onvif::capture::Capture;
use onvif::{Camera, Recorder, StreamTransport};
use serde_json::json;

use crate::args::Global;
use crate::connection::Target;
use crate::failure::{Failure, exit};
use crate::output::Out;

/// Ask the camera every read-only question the library knows, for each service it offers. A
/// refusal or a fault is part of what a recording is for: it is recorded, and the tour goes
/// on. Nothing is set, moved or subscribed.
pub async fn tour(cam: &Camera) -> Tour {
    let mut t = Tour::default();
    t.ask(cam.system_date_and_time().await);
    t.ask(cam.device_information().await);
    t.ask(cam.services(true).await);
    t.ask(cam.capabilities().await);
    t.ask(cam.service_capabilities().await);
    t.ask(cam.scopes().await);
    t.ask(cam.hostname().await);
    t.ask(cam.network_interfaces().await);
    t.ask(cam.ntp().await);
    let profiles = t.ask(cam.profiles().await).unwrap_or_default();
    for p in &profiles {
        t.ask(cam.stream_uri(p, StreamTransport::RtspTcp).await);
        t.ask(cam.snapshot_uri(p).await);
    }
    let sources = t.ask(cam.video_sources().await).unwrap_or_default();
    let encoders = t.ask(cam.video_encoders().await).unwrap_or_default();
    for e in &encoders {
        t.ask(cam.video_encoder_options(&e.token).await);
    }
    for s in &sources {
        t.ask(cam.imaging_settings(&s.token).await);
        t.ask(cam.imaging_options(&s.token).await);
    }
    t.ask(cam.event_service_capabilities().await);
    t.ask(cam.event_properties().await);
    // The device's settings, as `dns`, `protocols`, `gateway` and `discovery-mode` read them
    // (not its accounts or logs: they hold what a report need not carry).
    t.ask(cam.dns().await);
    t.ask(cam.network_protocols().await);
    t.ask(cam.default_gateway().await);
    t.ask(cam.discovery_mode().await);
    let has = |s| async move { cam.has_service(s).await.unwrap_or(false) };
    if has(onvif::proto::Service::Media2).await
        && let Some(config) = t.ask(cam.video_source_configuration_token(None).await)
    {
        t.ask(cam.osds(Some(&config)).await);
        t.ask(cam.osd_options(&config).await);
    }
    if has(onvif::proto::Service::DeviceIo).await {
        t.ask(cam.relay_outputs().await);
        t.ask(cam.relay_output_options(None).await);
        t.ask(cam.digital_inputs().await);
    }
    if has(onvif::proto::Service::Analytics).await
        && let Some(config) = t.ask(cam.analytics_configuration_token(None).await)
    {
        t.ask(cam.analytics_modules(&config).await);
        t.ask(cam.rules(&config).await);
        t.ask(cam.motion_region(&config, None).await);
    }
    // Profile G as `recordings`, `recordings jobs`, `summary` and `replay-uri` ask it.
    if has(onvif::proto::Service::Recording).await {
        let recordings = t.ask(cam.recordings().await).unwrap_or_default();
        t.ask(cam.recording_jobs().await);
        if has(onvif::proto::Service::Search).await {
            t.ask(
                cam.find_recordings(onvif::proto::ops::search::SearchScope::default())
                    .await,
            );
            t.ask(cam.recording_summary().await);
        }
        if has(onvif::proto::Service::Replay).await {
            for r in &recordings {
                t.ask(cam.replay_uri(&r.token, None).await);
            }
        }
    }
    if cam
        .has_service(onvif::proto::Service::Ptz)
        .await
        .unwrap_or(false)
    {
        t.ask(cam.ptz_capabilities().await);
        t.ask(cam.ptz_nodes().await);
        t.ask(cam.ptz_configurations().await);
        if let Ok(target) = cam.ptz_target(None).await {
            t.ask(cam.ptz_status(&target).await);
            t.ask(cam.ptz_presets(&target).await);
        }
    }
    t
}

/// How a tour went.
#[derive(Debug, Default)]
pub struct Tour {
    /// Questions answered.
    pub answered: usize,
    /// Questions refused or failed (each recorded).
    pub failed: usize,
}

impl Tour {
    /// Count an answer; the answer itself, when it came.
    fn ask<T>(&mut self, r: Result<T, onvif::Error>) -> Option<T> {
        match r {
            Ok(v) => {
                self.answered += 1;
                Some(v)
            }
            Err(e) => {
                tracing::debug!("capture: {e}");
                self.failed += 1;
                None
            }
        }
    }
}

/// Whether the recording can be written to `path`: checked before anything is sent, so that
/// a change is not made and then reported as a failure for want of a file. The file is
/// created (empty, readable by its owner only) and replaced by [`write`] at the end.
pub fn prepare(path: &Path) -> Result<(), Failure> {
    if special(path) {
        return Ok(());
    }
    let _ = std::fs::remove_file(path);
    crate::config::create_private(path, 0o600)
        .map(drop)
        .map_err(|e| cannot_write(path, &e))
}

/// What the path names in the end (through links: /dev/stdout is one) is neither a file nor a
/// directory: it is written to as it is.
fn special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

fn cannot_write(path: &Path, e: &std::io::Error) -> Failure {
    Failure {
        code: exit::USAGE,
        message: format!("cannot write the recording {}: {e}", path.display()),
    }
}

/// Write the recording to `path`, and say so on stderr (stdout stays the command's).
pub fn write(
    path: &Path,
    capture: &Arc<Capture>,
    device: &str,
    redact_identity: bool,
) -> Result<(), Failure> {
    let mut har = capture.har(Some(device));
    if redact_identity {
        onvif::proto::har::redact_identity(&mut har);
    }
    // It holds user names (and, unless --redact-identity, serial numbers and addresses):
    // readable by its owner only. A file (or link) already there is replaced, not written
    // through; a device or pipe (/dev/stdout) is written to.
    let json = har.to_json();
    let written = if special(path) {
        std::fs::write(path, json)
    } else {
        let _ = std::fs::remove_file(path);
        crate::config::create_private(path, 0o600).and_then(|mut f| {
            use std::io::Write;
            f.write_all(json.as_bytes())
        })
    };
    written.map_err(|e| cannot_write(path, &e))?;
    eprintln!(
        "recorded {} exchange{} to {}",
        capture.len(),
        if capture.len() == 1 { "" } else { "s" },
        path.display()
    );
    Ok(())
}

/// `capture -o FILE`: the doctor's probes, then the tour, then what they found (the doctor's
/// report is in the JSON; the text says how many checks were not ok).
pub async fn run(
    target: &Target,
    g: &Global,
    recorder: Option<Recorder>,
    out: &Out,
) -> Result<(), Failure> {
    let (checks, cam) =
        crate::diagnosis::probe(target, g, recorder, crate::diagnosis::Probe::default()).await;
    let Some(cam) = cam else {
        // The first problem found (a certificate this machine refuses, a camera that does not
        // answer), with what to do about it.
        let why = checks
            .iter()
            .find(|c| c.status == crate::diagnosis::Status::Problem)
            .or(checks.first())
            .map(|c| match &c.advice {
                Some(a) => format!("{} ({a})", c.detail),
                None => c.detail.clone(),
            })
            .unwrap_or_default();
        return Err(Failure {
            code: exit::NETWORK,
            message: format!("cannot reach the camera: {why}"),
        });
    };
    if crate::diagnosis::refused(&checks) {
        // Each question would be one more failed login: cameras lock an account after a few.
        return Err(Failure {
            code: exit::AUTH,
            message: "the camera refused the credentials; nothing more was asked (the \
                      recording holds what was)"
                .into(),
        });
    }
    let t = tour(&cam).await;
    let not_ok = checks
        .iter()
        .filter(|c| {
            matches!(
                c.status,
                crate::diagnosis::Status::Warning | crate::diagnosis::Status::Problem
            )
        })
        .count();
    out.answer(
        &json!({ "answered": t.answered, "failed": t.failed, "doctor": checks }),
        |_| {
            format!(
                "{} questions answered, {} refused or failed (recorded too); the doctor's \
                 probes found {not_ok} warnings or problems (run `onvif doctor` to read them)",
                t.answered, t.failed
            )
        },
    )
}
