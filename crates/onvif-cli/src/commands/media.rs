//! The media service's commands: `profiles`, `stream-uri`, `snapshot-uri`, `snapshot`,
//! `video-sources`; each fetches, then shows JSON or its text rendering here. `encoders` and
//! its changes are [`encoders`].

use onvif::Camera;
use onvif::proto::ops::profile::{MediaProfile, VideoEncoder, VideoSource};

use crate::args::media::{ProfileArg, SnapshotArgs, SnapshotUriArgs, StreamUriArgs, Transport};
use crate::failure::Failure;
use crate::output::{Out, clean, num, opt, table, yes_no};

pub mod encoders;

/// `profiles`: the media profiles.
pub async fn profiles(cam: &Camera, out: &Out) -> Result<(), Failure> {
    out.answer(cam.profiles().await?.as_slice(), profiles_text)
}

/// `stream-uri`: a profile's stream URI, without user-info unless `--with-credentials`.
pub async fn stream_uri(cam: &Camera, args: &StreamUriArgs, out: &Out) -> Result<(), Failure> {
    let profile = chosen_profile(cam, &args.profile, out).await?;
    let transport = match args.transport {
        Transport::Rtsp => onvif::StreamTransport::Rtsp,
        Transport::RtspTcp => onvif::StreamTransport::RtspTcp,
        Transport::Http => onvif::StreamTransport::Http,
        Transport::UdpMulticast => onvif::StreamTransport::UdpMulticast,
    };
    let mut uri = cam.stream_uri(&profile, transport).await?;
    uri.uri = shown_uri(cam, &uri.uri, args.with_credentials)?;
    out.show(&uri, || clean(&uri.uri));
    Ok(())
}

/// `snapshot-uri`: a profile's snapshot URI, without user-info unless `--with-credentials`.
pub async fn snapshot_uri(cam: &Camera, args: &SnapshotUriArgs, out: &Out) -> Result<(), Failure> {
    let profile = chosen_profile(cam, &args.profile, out).await?;
    let mut uri = cam.snapshot_uri(&profile).await?;
    uri.uri = shown_uri(cam, &uri.uri, args.with_credentials)?;
    out.show(&uri, || clean(&uri.uri));
    Ok(())
}

/// A URI as printed: the camera's own embedded credentials (user-info, or a password in the
/// query) hidden unless `with_credentials`, which puts ours in as user-info.
pub(crate) fn shown_uri(
    cam: &Camera,
    uri: &str,
    with_credentials: bool,
) -> Result<String, Failure> {
    let uri = onvif::media::without_userinfo(uri);
    if !with_credentials {
        return Ok(onvif::address::redact_query_secrets(&uri).into_owned());
    }
    let creds = cam
        .credentials()
        .ok_or_else(|| Failure::usage("--with-credentials needs a user and password"))?;
    Ok(onvif::media::with_credentials(&uri, creds))
}

/// `snapshot`: download an image into a file (or stdout) and say what it was.
pub async fn snapshot(cam: &Camera, args: &SnapshotArgs, out: &Out) -> Result<(), Failure> {
    let profile = chosen_profile(cam, &args.profile, out).await?;
    let snap = cam.snapshot(&profile).await?;
    let target = args.output.clone().unwrap_or_else(|| {
        let ext = if snap.content_type.contains("png") {
            "png"
        } else {
            "jpg"
        };
        let safe: String = profile
            .token
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        std::path::PathBuf::from(format!("{safe}.{ext}"))
    });
    let to_stdout = target.as_os_str() == "-";
    if to_stdout {
        use std::io::Write;
        std::io::stdout()
            .write_all(&snap.bytes)
            .map_err(|e| Failure::usage(format!("cannot write to stdout: {e}")))?;
    } else {
        std::fs::write(&target, &snap.bytes)
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", target.display())))?;
        let report = serde_json::json!({
            "file": target.display().to_string(),
            "size": snap.size,
            "content_type": snap.content_type,
            "uri": snap.uri,
            "profile": profile.token,
        });
        out.show(&report, || {
            format!(
                "wrote {} ({} bytes, {})",
                target.display(),
                snap.size,
                clean(&snap.content_type)
            )
        });
    }
    Ok(())
}

/// `video-sources`.
pub async fn video_sources(cam: &Camera, out: &Out) -> Result<(), Failure> {
    out.answer(cam.video_sources().await?.as_slice(), video_sources_text)
}

/// The profile asked for, or the first (saying which on stderr).
async fn chosen_profile(
    cam: &Camera,
    arg: &ProfileArg,
    out: &Out,
) -> Result<MediaProfile, Failure> {
    let p = cam.profile(arg.profile.as_deref()).await?;
    if arg.profile.is_none() && !out.json {
        eprintln!(
            "using the first profile, {} ({}); choose another with --profile",
            clean(&p.token),
            clean(&p.name)
        );
    }
    Ok(p)
}

/// What `profiles` and `encoders` both show of a video encoder.
pub(crate) const ENCODER_COLUMNS: [&str; 4] = ["ENCODING", "RESOLUTION", "FPS", "BITRATE"];

/// An encoder's cells under [`ENCODER_COLUMNS`] (`-` each when there is none).
pub(crate) fn encoder_cells(v: Option<&VideoEncoder>) -> [String; 4] {
    [
        opt(v.and_then(|v| v.encoding.as_ref()).map(|e| e.to_string())),
        opt(v
            .and_then(|v| v.resolution)
            .map(|r| format!("{}x{}", r.width, r.height))),
        num(v.and_then(|v| v.frame_rate_limit)),
        opt(v.and_then(|v| v.bitrate_limit).map(|b| format!("{b} kbps"))),
    ]
}

fn profiles_text(ps: &[MediaProfile]) -> String {
    let rows: Vec<Vec<String>> = ps
        .iter()
        .map(|p| {
            let name = if p.name.is_empty() {
                "-".into()
            } else {
                p.name.clone()
            };
            let mut row = vec![p.token.clone(), name];
            row.extend(encoder_cells(p.video_encoder.as_ref()));
            row.extend([
                yes_no(p.ptz.is_some()),
                format!("{:?}", p.source).to_lowercase(),
            ]);
            row
        })
        .collect();
    let header = [&["TOKEN", "NAME"][..], &ENCODER_COLUMNS, &["PTZ", "FROM"]].concat();
    table(&header, &rows)
}

fn video_sources_text(vs: &[VideoSource]) -> String {
    let rows: Vec<Vec<String>> = vs
        .iter()
        .map(|v| {
            vec![
                v.token.clone(),
                opt(v.resolution.map(|r| format!("{}x{}", r.width, r.height))),
                num(v.framerate),
            ]
        })
        .collect();
    table(&["TOKEN", "RESOLUTION", "FPS"], &rows)
}
