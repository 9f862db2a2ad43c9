//! The media service, ver10 (`trt:`): profiles, stream and snapshot URIs, the video source and
//! the encoder configurations described in [`crate::media`]. The H.265 profile is not shown
//! here (only Media2 shows it).

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::media::{
    GetProfile, GetProfiles, GetServiceCapabilities, GetSnapshotUri, GetStreamUri,
    GetVideoEncoderConfiguration, GetVideoEncoderConfigurationOptions,
    GetVideoEncoderConfigurations, GetVideoSourceConfigurations, GetVideoSources, Profile,
    Profiles, ServiceCapabilities, SetVideoEncoderConfiguration,
    SetVideoEncoderConfigurationResponse, SnapshotUri, StreamUri, VideoEncoderConfiguration,
    VideoEncoderConfigurationOptions, VideoEncoderConfigurations, VideoSourceConfigurations,
    VideoSources,
};
use onvif_proto::ops::profile::{
    MediaProfile, MediaUri, MediaVersion, VideoEncoder, VideoEncoderOptions,
};

use super::{Ctx, ServiceDef, configs, flag_capabilities, flags, op, sender};
use crate::config::Quirk;
use crate::media::{encoder_options, no_profile, profile_def, shown, source_config, video_source};
use crate::ptz::node_def;
use crate::state::percent_encode;

const V: MediaVersion = MediaVersion::Media1;

/// The media service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Media,
    category: Some("Media"),
    ops: &[
        op!(GetProfiles => get_profiles),
        op!(GetProfile => get_profile),
        op!(
            onvif_proto::ops::analytics::GetVideoAnalyticsConfigurations
                => super::analytics::get_video_analytics_configurations
        ),
        op!(GetStreamUri => get_stream_uri),
        op!(GetSnapshotUri => get_snapshot_uri),
        op!(GetVideoSources => get_video_sources),
        op!(GetVideoSourceConfigurations => get_video_source_configurations),
        op!(onvif_proto::ops::media::GetVideoSourceConfiguration => configs::get_video_source_configuration),
        op!(
            onvif_proto::ops::media::GetVideoSourceConfigurationOptions
                => configs::get_video_source_configuration_options
        ),
        op!(
            onvif_proto::ops::media::GetCompatibleVideoSourceConfigurations
                => configs::get_compatible_video_source_configurations
        ),
        op!(
            onvif_proto::ops::media::GetCompatibleVideoEncoderConfigurations
                => configs::get_compatible_video_encoder_configurations
        ),
        op!(onvif_proto::ops::media::GetMetadataConfigurations => configs::get_metadata_configurations),
        op!(onvif_proto::ops::media::GetMetadataConfiguration => configs::get_metadata_configuration),
        op!(
            onvif_proto::ops::media::GetCompatibleMetadataConfigurations
                => configs::get_compatible_metadata_configurations
        ),
        op!(GetVideoEncoderConfigurations => get_video_encoder_configurations),
        op!(GetVideoEncoderConfiguration => get_video_encoder_configuration),
        op!(GetVideoEncoderConfigurationOptions => get_video_encoder_configuration_options),
        op!(SetVideoEncoderConfiguration => set_video_encoder_configuration),
        op!(onvif_proto::ops::media::GetOsds => super::osd::v1::get_osds),
        op!(onvif_proto::ops::media::GetOsdOptions => super::osd::v1::get_osd_options),
        op!(onvif_proto::ops::media::CreateOsd => super::osd::v1::create_osd),
        op!(onvif_proto::ops::media::SetOsd => super::osd::v1::set_osd),
        op!(onvif_proto::ops::media::DeleteOsd => super::osd::v1::delete_osd),
        op!(
            onvif_proto::ops::media::SetSynchronizationPoint => set_synchronization_point
        ),
        op!(
            onvif_proto::ops::media::GetGuaranteedNumberOfVideoEncoderInstances
                => get_guaranteed_encoder_instances
        ),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: media_capabilities,
    category_flags: streaming_flags,
};

/// `rtsp://<host>:8554/<profile token>`, the host being the one the request came to (or the
/// lie a quirk tells). Nothing listens on that port: the simulated camera does not stream.
pub(crate) fn stream_uri(ctx: &Ctx<'_>, profile: &str) -> String {
    format!("{}/{}", ctx.rtsp_base(), percent_encode(profile))
}

/// `http://<host>:<port>/onvif/snapshot?profile=<token>`, on the address service addresses
/// name (quirks included); with [`Quirk::SnapshotUriWithCredentials`] the user and password
/// are written into it, and with [`Quirk::SnapshotUriQueryCredentials`] into its query (the
/// configured user's password as it is now).
pub(crate) fn snapshot_uri(ctx: &Ctx<'_>, profile: &str) -> String {
    let cfg = &ctx.shared.cfg;
    let accounts = ctx.shared.accounts();
    let password = accounts.password_of(&cfg.user).unwrap_or(&cfg.password);
    let query_credentials = if cfg.has(Quirk::SnapshotUriQueryCredentials) {
        format!(
            "&user={}&password={}",
            percent_encode(&cfg.user),
            percent_encode(password)
        )
    } else {
        String::new()
    };
    let base = if cfg.has(Quirk::SnapshotUriWithCredentials) {
        let scheme = cfg.scheme();
        let rest = ctx
            .xaddr_base
            .strip_prefix(&format!("{scheme}://"))
            .unwrap_or(&ctx.xaddr_base);
        format!(
            "{scheme}://{}:{}@{rest}",
            percent_encode(&cfg.user),
            percent_encode(password)
        )
    } else {
        ctx.xaddr_base.clone()
    };
    format!(
        "{base}{}?profile={}{query_credentials}",
        crate::snapshot::PATH,
        percent_encode(profile)
    )
}

/// A URI that stays valid (Media1 says so in every answer).
fn lasting(uri: String) -> MediaUri {
    MediaUri {
        uri,
        invalid_after_connect: Some(false),
        invalid_after_reboot: Some(false),
        timeout: Some("PT0S".into()),
    }
}

fn get_profiles(ctx: &Ctx<'_>, _: GetProfiles) -> Result<Profiles, Fault> {
    let profiles = ctx.shared.camera().media.profiles(V);
    Ok(Profiles {
        profiles: profiles.into_iter().map(whole_ptz).collect(),
    })
}

fn get_profile(ctx: &Ctx<'_>, req: GetProfile) -> Result<Profile, Fault> {
    let def = profile_def(&req.profile_token, V).ok_or_else(|| no_profile(&req.profile_token))?;
    Ok(Profile {
        profile: whole_ptz(ctx.shared.camera().media.profile(def, V)),
    })
}

/// A profile as GetProfiles and GetProfile write it: its PTZ configuration whole (default
/// spaces, speed, timeout, limits), as the PTZ service's GetConfiguration gives it and as
/// cameras embed it. Clients read the default spaces from the profile to know which moves
/// the camera takes (Home Assistant offers no continuous, relative or absolute move
/// without them).
pub(crate) fn whole_ptz(mut p: MediaProfile) -> MediaProfile {
    if let Some(node) = p.ptz.as_ref().and_then(|c| node_def(&c.token)) {
        p.ptz = Some(node.configuration());
    }
    p
}

/// SetSynchronizationPoint: a key frame on the profile's streams (which this camera does not
/// send); an unknown profile is `ter:NoProfile`. Media requires it of every camera that
/// streams H.264 over RTSP.
fn set_synchronization_point(
    _: &Ctx<'_>,
    req: onvif_proto::ops::media::SetSynchronizationPoint,
) -> Result<onvif_proto::ops::media::SetSynchronizationPointResponse, Fault> {
    profile_def(&req.profile_token, V).ok_or_else(|| no_profile(&req.profile_token))?;
    Ok(onvif_proto::ops::media::SetSynchronizationPointResponse)
}

/// GetGuaranteedNumberOfVideoEncoderInstances: the camera's encoders, each able to run H.264
/// at once; another token than its video source configuration's is `ter:NoConfig`.
fn get_guaranteed_encoder_instances(
    ctx: &Ctx<'_>,
    req: onvif_proto::ops::media::GetGuaranteedNumberOfVideoEncoderInstances,
) -> Result<onvif_proto::ops::media::GuaranteedEncoderInstances, Fault> {
    if req.configuration_token != crate::media::SOURCE_CONFIG {
        return Err(crate::media::no_config(&req.configuration_token));
    }
    let encoders = u32::try_from(ctx.shared.camera().media.encoders(V).len()).unwrap_or(0);
    Ok(onvif_proto::ops::media::GuaranteedEncoderInstances {
        total: encoders,
        h264: Some(encoders),
        ..Default::default()
    })
}

/// Every stream type and transport gets the same RTSP URI (RTSP negotiates the rest).
fn get_stream_uri(ctx: &Ctx<'_>, req: GetStreamUri) -> Result<StreamUri, Fault> {
    let def = profile_def(&req.profile_token, V).ok_or_else(|| no_profile(&req.profile_token))?;
    Ok(StreamUri {
        media_uri: lasting(stream_uri(ctx, def.token)),
    })
}

fn get_snapshot_uri(ctx: &Ctx<'_>, req: GetSnapshotUri) -> Result<SnapshotUri, Fault> {
    let def = profile_def(&req.profile_token, V).ok_or_else(|| no_profile(&req.profile_token))?;
    Ok(SnapshotUri {
        media_uri: lasting(snapshot_uri(ctx, def.token)),
    })
}

fn get_video_sources(ctx: &Ctx<'_>, _: GetVideoSources) -> Result<VideoSources, Fault> {
    Ok(VideoSources {
        sources: vec![video_source(&ctx.shared.camera().media.imaging)],
    })
}

fn get_video_source_configurations(
    _: &Ctx<'_>,
    _: GetVideoSourceConfigurations,
) -> Result<VideoSourceConfigurations, Fault> {
    Ok(VideoSourceConfigurations {
        configurations: vec![source_config(V)],
    })
}

fn get_video_encoder_configurations(
    ctx: &Ctx<'_>,
    _: GetVideoEncoderConfigurations,
) -> Result<VideoEncoderConfigurations, Fault> {
    Ok(VideoEncoderConfigurations {
        configurations: ctx.shared.camera().media.encoders(V),
    })
}

fn get_video_encoder_configuration(
    ctx: &Ctx<'_>,
    req: GetVideoEncoderConfiguration,
) -> Result<VideoEncoderConfiguration, Fault> {
    let cam = ctx.shared.camera();
    Ok(VideoEncoderConfiguration {
        configuration: shown(cam.media.encoder(&req.configuration_token, V)?, V),
    })
}

/// The options of a configuration (or of a profile's), or of every configuration when
/// neither is named. Unknown tokens are faults. Shared with Media2.
pub(crate) fn options_for(
    ctx: &Ctx<'_>,
    configuration: Option<&str>,
    profile: Option<&str>,
    v: MediaVersion,
) -> Result<VideoEncoderOptions, Fault> {
    let cam = ctx.shared.camera();
    let mut config = configuration.map(|c| cam.media.encoder(c, v)).transpose()?;
    if let Some(p) = profile {
        let def = profile_def(p, v).ok_or_else(|| no_profile(p))?;
        if config.is_none() {
            config = Some(cam.media.encoder(def.encoder, v)?);
        }
    }
    Ok(encoder_options(config))
}

/// The strict posture holds a Media1 SetVideoEncoderConfiguration to its schema, whose
/// `tt:VideoEncoderConfiguration` requires Encoding, Resolution, Quality, Multicast and
/// SessionTimeout (Media2's form shows no SessionTimeout, so a client that read the
/// configuration there must fill it in). The default posture takes the fields given and keeps
/// the rest, as cameras do.
pub(crate) fn schema_fields(ctx: &Ctx<'_>, e: &VideoEncoder, v: MediaVersion) -> Result<(), Fault> {
    if !ctx.shared.cfg.strict || v != MediaVersion::Media1 {
        return Ok(());
    }
    let missing: Vec<&str> = [
        ("Encoding", e.encoding.is_none()),
        ("Resolution", e.resolution.is_none()),
        ("Quality", e.quality.is_none()),
        ("Multicast", e.multicast.is_none()),
        ("SessionTimeout", e.session_timeout.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, absent)| absent.then_some(name))
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(sender(
        &["InvalidArgVal"],
        format!(
            "tt:VideoEncoderConfiguration requires {} (strict)",
            missing.join(", ")
        ),
    ))
}

/// The encoder handlers Media2 shares with Media word for word (their messages differ in
/// namespace only): `get_video_encoder_configuration_options` and
/// `set_video_encoder_configuration`, with the module's message types and its `V` in scope.
macro_rules! encoder_handlers {
    () => {
        fn get_video_encoder_configuration_options(
            ctx: &Ctx<'_>,
            req: GetVideoEncoderConfigurationOptions,
        ) -> Result<VideoEncoderConfigurationOptions, Fault> {
            Ok(VideoEncoderConfigurationOptions {
                options: $crate::services::media::options_for(
                    ctx,
                    req.configuration_token.as_deref(),
                    req.profile_token.as_deref(),
                    V,
                )?,
            })
        }

        fn set_video_encoder_configuration(
            ctx: &Ctx<'_>,
            req: SetVideoEncoderConfiguration,
        ) -> Result<SetVideoEncoderConfigurationResponse, Fault> {
            $crate::services::media::schema_fields(ctx, &req.configuration, V)?;
            ctx.shared
                .camera()
                .media
                .set_encoder(&req.configuration, V)?;
            Ok(SetVideoEncoderConfigurationResponse)
        }
    };
}
pub(crate) use encoder_handlers;

encoder_handlers!();
flag_capabilities!(media_capabilities);

/// `trt:Capabilities`, flattened.
fn media_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("SnapshotUri", "true"),
        ("Rotation", "false"),
        ("VideoSourceMode", "false"),
        ("OSD", "true"),
        ("TemporaryOSDText", "false"),
        ("EXICompression", "false"),
        ("ProfileCapabilities.MaximumNumberOfProfiles", "3"),
        ("StreamingCapabilities.RTPMulticast", "true"),
        ("StreamingCapabilities.RTP_TCP", "true"),
        ("StreamingCapabilities.RTP_RTSP_TCP", "true"),
        ("StreamingCapabilities.NonAggregateControl", "false"),
        ("StreamingCapabilities.NoRTSPStreaming", "false"),
    ])
}

/// The Media category of GetCapabilities.
fn streaming_flags(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("StreamingCapabilities.RTPMulticast", "true"),
        ("StreamingCapabilities.RTP_TCP", "true"),
        ("StreamingCapabilities.RTP_RTSP_TCP", "true"),
    ])
}
