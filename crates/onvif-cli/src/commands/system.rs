//! `reboot [--wait]`, `firmware [upgrade FILE]`, `backup -o FILE` and `restore FILE`: what
//! restarts the camera or replaces its settings, and the wait for it to answer again.

use std::time::Duration;

use onvif::proto::ops::device;
use onvif::{Bytes, Camera, Error};
use serde::Serialize;
use tokio::time::Instant;

use super::device::rebooting;
use crate::args::system::{BackupArgs, FirmwareAction, FirmwareArgs, RebootArgs, RestoreArgs};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean, kv, message};
use crate::prompt::confirm;

/// How often a restarting camera is asked whether it is back.
const POLL: Duration = Duration::from_millis(500);

/// The largest firmware image read (real ones are tens of MiB).
const MAX_IMAGE_BYTES: u64 = 1 << 30;

/// `reboot [--wait]`.
pub async fn reboot(cam: &Camera, args: &RebootArgs, out: &Out) -> Result<(), Failure> {
    let started = Instant::now();
    let r = match cam.reboot().await {
        Ok(r) => r,
        // A camera that goes down before its answer is out: restarting all the same.
        Err(e) if args.wait && is_cut(&e) => {
            eprintln!(
                "note: no answer to the reboot ({}); waiting to see it restart",
                message(&e.to_string())
            );
            device::RebootResponse::default()
        }
        Err(e) => return Err(e.into()),
    };
    if !args.wait {
        out.show(&r, || rebooting(&r));
        return Ok(());
    }
    eprintln!("{}", rebooting(&r));
    let back = wait_back(
        cam,
        Waiting {
            started,
            up_to: args.waiting.up_to.abs,
            from_firmware: None,
            leave_within: None,
        },
    )
    .await?;
    #[derive(Serialize)]
    struct Rebooted<'a> {
        message: &'a str,
        #[serde(flatten)]
        back: &'a Back,
    }
    out.show(
        &Rebooted {
            message: &r.message,
            back: &back,
        },
        || format!("back after {}\n", seconds(back.after)),
    );
    Ok(())
}

/// A request whose connection was cut or whose answer did not come: it may have been
/// carried out.
fn is_cut(e: &Error) -> bool {
    matches!(
        e,
        Error::Network { .. }
            | Error::Timeout {
                connecting: false,
                ..
            }
    )
}

/// How long after an unanswered upload the camera may go on answering as before before the
/// restart is taken as not coming (on top of the down time it announced).
const LEAVE_GRACE: Duration = Duration::from_secs(60);

/// A camera answering again after a restart.
#[derive(Debug, Serialize)]
pub struct Back {
    /// From the request that restarted it to its first answer after.
    #[serde(serialize_with = "ser_secs", rename = "after_seconds")]
    pub after: Duration,
    /// How long it did not answer (zero when it never stopped answering).
    #[serde(serialize_with = "ser_secs", rename = "away_seconds")]
    pub away: Duration,
    /// What it says it is once back.
    pub device: device::DeviceInformation,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 10.0).round() / 10.0)
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// How to wait for a restarted camera.
pub struct Waiting<'a> {
    /// The request that restarted it: [`Back::after`] is measured from here.
    pub started: Instant,
    /// Give up this long after the wait begins.
    pub up_to: Duration,
    /// The firmware version before: a camera answering with another one is back too (one
    /// that installs without going away).
    pub from_firmware: Option<&'a str>,
    /// Give up, with this failure, when the camera has neither gone away nor changed its
    /// version this long after the wait begins: the restart is not coming.
    pub leave_within: Option<(Duration, Failure)>,
}

/// Ask the camera for its device information until it is back from a restart: it stopped
/// answering as before (any failure: no connection, a boot page, a 404, a refusal) and
/// answers again, or it answers with another firmware version. Gives up after
/// [`Waiting::up_to`] with the last failure's exit code (a network failure when it never
/// answered), or as [`Waiting::leave_within`] says.
pub async fn wait_back(cam: &Camera, w: Waiting<'_>) -> Result<Back, Failure> {
    let begun = Instant::now();
    let deadline = begun + w.up_to;
    let mut away_since: Option<Instant> = None;
    let mut last: Option<Failure> = None;
    let mut leave_within = w.leave_within;
    loop {
        let asked = Instant::now();
        match cam.device_information().await {
            Ok(info) => {
                let changed = w.from_firmware.is_some_and(|f| f != info.firmware_version);
                if away_since.is_some() || changed {
                    return Ok(Back {
                        after: asked.duration_since(w.started),
                        away: away_since.map_or(Duration::ZERO, |t| asked.duration_since(t)),
                        device: info,
                    });
                }
            }
            Err(e) => {
                if away_since.is_none() {
                    eprintln!(
                        "the camera stopped answering as before ({}); waiting for it to come back",
                        message(&e.to_string())
                    );
                }
                away_since.get_or_insert(asked);
                last = Some(e.into());
            }
        }
        let now = Instant::now();
        if away_since.is_none()
            && let Some((within, _)) = &leave_within
            && now.duration_since(begun) >= *within
            && let Some((_, failure)) = leave_within.take()
        {
            return Err(failure);
        }
        if now >= deadline {
            let waited = seconds(now.duration_since(w.started));
            return Err(match last {
                Some(f) => Failure {
                    code: if f.code == exit::AUTH {
                        exit::AUTH
                    } else {
                        exit::NETWORK
                    },
                    message: format!(
                        "the camera has not answered as before within {waited} (--wait-up-to \
                         gives it longer); the last try: {}",
                        f.message
                    ),
                },
                None => Failure {
                    code: exit::DEVICE,
                    message: format!(
                        "the camera kept answering for {waited} and did not restart{}",
                        w.from_firmware.map_or(String::new(), |f| format!(
                            "; it still reports firmware {}",
                            clean(f)
                        ))
                    ),
                },
            });
        }
        tokio::time::sleep(POLL.min(deadline - now)).await;
    }
}

/// `firmware [upgrade FILE]`.
pub async fn firmware(cam: &Camera, args: &FirmwareArgs, out: &Out) -> Result<(), Failure> {
    match &args.action {
        None => show(cam, out).await,
        Some(FirmwareAction::Upgrade {
            file,
            no_wait,
            upload_timeout,
            waiting,
            confirm: c,
        }) => {
            let image = read_file(file, "firmware image")?;
            let info = cam.device_information().await?;
            confirm(
                &format!(
                    "About to upload {} ({} bytes) to this {} {} running firmware {}: it \
                     installs the image and restarts, away for a while. An image meant for \
                     another model can leave the camera unusable.",
                    file.display(),
                    image.len(),
                    clean(&info.manufacturer),
                    clean(&info.model),
                    clean(&info.firmware_version),
                ),
                c.yes,
            )?;
            let plan = Plan {
                no_wait: *no_wait,
                upload_timeout: upload_timeout.abs,
                up_to: waiting.up_to.abs,
            };
            upgrade(cam, image, &info, plan, out).await
        }
    }
}

/// `firmware`: the version, and whether the camera says it takes images over HTTP.
async fn show(cam: &Camera, out: &Out) -> Result<(), Failure> {
    let info = cam.device_information().await?;
    let http_upgrade = match cam.service_capabilities().await {
        Ok(c) => Some(c.flag("System.HttpFirmwareUpgrade")),
        Err(e) => {
            tracing::debug!(error = %e, "GetServiceCapabilities failed");
            None
        }
    };
    #[derive(Serialize)]
    struct Firmware {
        manufacturer: String,
        model: String,
        firmware_version: String,
        /// `None`: the camera did not say (its GetServiceCapabilities failed).
        http_upgrade: Option<bool>,
    }
    let f = Firmware {
        manufacturer: info.manufacturer,
        model: info.model,
        firmware_version: info.firmware_version,
        http_upgrade,
    };
    out.answer(&f, |f| {
        kv(&[
            ("Firmware", f.firmware_version.clone()),
            ("Model", format!("{} {}", f.manufacturer, f.model)),
            (
                "Upgrade over HTTP",
                match f.http_upgrade {
                    Some(true) => "yes (firmware upgrade FILE)".into(),
                    Some(false) => "not offered".into(),
                    None => "unknown".into(),
                },
            ),
        ])
    })
}

/// `backup -o FILE`: the camera's configuration, written readable by its owner only.
pub async fn backup(cam: &Camera, args: &BackupArgs, out: &Out) -> Result<(), Failure> {
    let bytes = cam.download_backup().await?;
    let path = &args.output;
    write_private(path, &bytes)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
    #[derive(Serialize)]
    struct Written {
        file: String,
        bytes: usize,
    }
    let w = Written {
        file: path.display().to_string(),
        bytes: bytes.len(),
    };
    out.answer(&w, |w| format!("wrote {} bytes to {}\n", w.bytes, w.file))
}

/// Write `bytes` to `path`, readable and writable by its owner only (where the system has
/// such permissions), replacing what was there.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path)?;
    // An existing file keeps its mode when opened: narrow it before writing.
    #[cfg(unix)]
    f.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    f.write_all(bytes)
}

/// `restore FILE`: StartSystemRestore, the upload, and the wait for a restart the camera
/// announces (an expected down time above zero).
pub async fn restore(cam: &Camera, args: &RestoreArgs, out: &Out) -> Result<(), Failure> {
    let backup = read_file(&args.file, "backup")?;
    let info = cam.device_information().await?;
    confirm(
        &format!(
            "About to restore {} ({} bytes) onto this {} {}: its settings are replaced by the \
             backup's, and it may restart.",
            args.file.display(),
            backup.len(),
            clean(&info.manufacturer),
            clean(&info.model),
        ),
        args.confirm.yes,
    )?;
    let started = Instant::now();
    let (start, uploaded) = cam
        .restore_system(backup, args.waiting.up_to.abs)
        .await
        .map_err(|e| {
            let f = Failure::from(e);
            Failure {
                message: format!("the camera did not take the backup: {}", f.message),
                ..f
            }
        })?;
    let restarts = start.expected_down_time.is_some_and(|d| !d.is_zero());
    let back = if restarts && !args.no_wait {
        eprintln!(
            "the camera took the backup; it expects to be away for about {}",
            seconds(start.expected_down_time.unwrap_or_default())
        );
        let waiting = Waiting {
            started,
            up_to: args.waiting.up_to.abs,
            from_firmware: None,
            leave_within: None,
        };
        Some(wait_back(cam, waiting).await?)
    } else {
        None
    };
    #[derive(Serialize)]
    struct Restored {
        uploaded: onvif::system::Uploaded,
        #[serde(serialize_with = "ser_opt_secs", rename = "expected_down_seconds")]
        expected_down: Option<Duration>,
        back: Option<Back>,
    }
    let r = Restored {
        uploaded,
        expected_down: start.expected_down_time,
        back,
    };
    out.answer(&r, |r| match &r.back {
        Some(b) => format!("configuration restored (back after {})\n", seconds(b.after)),
        None if restarts => "configuration uploaded; the camera restarts to apply it\n".into(),
        None => "configuration restored\n".into(),
    })
}

/// A file to upload: not empty, at most [`MAX_IMAGE_BYTES`].
fn read_file(file: &std::path::Path, what: &str) -> Result<Bytes, Failure> {
    let cannot = |e: std::io::Error| Failure::usage(format!("cannot read {}: {e}", file.display()));
    let len = std::fs::metadata(file).map_err(cannot)?.len();
    if len == 0 {
        return Err(Failure::usage(format!("{} is empty", file.display())));
    }
    if len > MAX_IMAGE_BYTES {
        return Err(Failure::usage(format!(
            "{} is {len} bytes; a {what} is at most {MAX_IMAGE_BYTES}",
            file.display()
        )));
    }
    std::fs::read(file).map(Bytes::from).map_err(cannot)
}

/// How `firmware upgrade` goes after the confirmation.
struct Plan {
    no_wait: bool,
    upload_timeout: Duration,
    up_to: Duration,
}

/// What `firmware upgrade` did.
#[derive(Serialize)]
struct Upgrade {
    from: String,
    /// The version reported once back; `None` with `--no-wait`.
    to: Option<String>,
    /// The upload's answer; `None` when the camera cut it without one.
    uploaded: Option<onvif::system::Uploaded>,
    #[serde(serialize_with = "ser_opt_secs", rename = "expected_down_seconds")]
    expected_down: Option<Duration>,
    back: Option<Back>,
}

fn ser_opt_secs<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_secs(d, s),
        None => s.serialize_none(),
    }
}

async fn upgrade(
    cam: &Camera,
    image: Bytes,
    info: &device::DeviceInformation,
    plan: Plan,
    out: &Out,
) -> Result<(), Failure> {
    let start = cam.start_firmware_upgrade().await.map_err(|e| {
        let f = Failure::from(e);
        Failure {
            message: format!(
                "the camera did not start a firmware upgrade over HTTP (StartFirmwareUpgrade): {}",
                f.message
            ),
            ..f
        }
    })?;
    if let Some(d) = start.upload_delay.filter(|d| !d.is_zero()) {
        let d = d.min(onvif::system::MAX_UPLOAD_DELAY);
        eprintln!("the camera asks to wait {} before the upload", seconds(d));
        tokio::time::sleep(d).await;
    }
    eprintln!("uploading {} bytes", image.len());
    let started = Instant::now();
    let mut unanswered = None;
    let uploaded = match cam
        .upload(&start.upload_uri, image, plan.upload_timeout)
        .await
    {
        Ok(u) => {
            eprintln!(
                "the camera took the image (HTTP {}){}",
                u.status,
                start.expected_down_time.map_or(String::new(), |d| format!(
                    "; it expects to be away for about {}",
                    seconds(d)
                ))
            );
            Some(u)
        }
        // Cameras that restart to write the image may drop the connection instead of
        // answering: the version they come back with tells.
        Err(e) if is_cut(&e) && !plan.no_wait => {
            eprintln!(
                "note: the upload got no answer ({}); the camera may be installing the image: \
                 the version it comes back with tells",
                message(&e.to_string())
            );
            unanswered = Some(e.to_string());
            None
        }
        Err(e) if is_cut(&e) => {
            return Err(Failure {
                code: exit::NETWORK,
                message: format!(
                    "the upload got no answer ({}): whether the camera took the image is \
                     unknown; `onvif firmware` shows its version once it has settled",
                    e
                ),
            });
        }
        Err(e) => {
            let f = Failure::from(e);
            return Err(Failure {
                message: format!("the camera did not take the image: {}", f.message),
                ..f
            });
        }
    };
    let mut report = Upgrade {
        from: info.firmware_version.clone(),
        to: None,
        uploaded,
        expected_down: start.expected_down_time,
        back: None,
    };
    if plan.no_wait {
        return out.answer(&report, |_| {
            "firmware image uploaded; the camera installs it and restarts\n".into()
        });
    }
    // A camera that never leaves after an unanswered upload most likely did not get it.
    let leave_within = unanswered.map(|why| {
        let within = start.expected_down_time.unwrap_or_default() + LEAVE_GRACE;
        let failure = Failure {
            code: exit::NETWORK,
            message: format!(
                "the upload got no answer ({why}), and the camera went on answering with \
                 firmware {} for {}: it most likely did not take the image",
                clean(&info.firmware_version),
                seconds(within)
            ),
        };
        (within, failure)
    });
    let waiting = Waiting {
        started,
        up_to: plan.up_to,
        from_firmware: Some(&info.firmware_version),
        leave_within,
    };
    let back = wait_back(cam, waiting).await?;
    let now = back.device.firmware_version.clone();
    if now == info.firmware_version {
        return Err(Failure {
            code: exit::DEVICE,
            message: format!(
                "the camera is back after {} but still reports firmware {}: it did not install \
                 the image (or the image is of the same version)",
                seconds(back.after),
                clean(&now)
            ),
        });
    }
    let after = back.after;
    report.to = Some(now);
    report.back = Some(back);
    out.answer(&report, |r| {
        format!(
            "firmware {} -> {} (back after {})\n",
            clean(&r.from),
            clean(r.to.as_deref().unwrap_or("")),
            seconds(after)
        )
    })
}
