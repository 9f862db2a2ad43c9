//! The Media2 service, ver20 (`tr2:`): the same profiles as Media plus the H.265 one
//! (`Profile_3`), see [`crate::media`].

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::media2::{
    GetProfiles, GetServiceCapabilities, GetSnapshotUri, GetStreamUri,
    GetVideoEncoderConfigurationOptions, GetVideoEncoderConfigurations,
    GetVideoSourceConfigurations, Profiles, ServiceCapabilities, SetVideoEncoderConfiguration,
    SetVideoEncoderConfigurationResponse, SnapshotUri, StreamUri, StreamingProtocol,
    VideoEncoderConfigurationOptions, VideoEncoderConfigurations, VideoSourceConfigurations,
};
use onvif_proto::ops::profile::{MediaUri, MediaVersion};

use super::media::{encoder_handlers, snapshot_uri, stream_uri, whole_ptz};
use super::{Ctx, ServiceDef, analytics, configs, flag_capabilities, flags, op, osd, sender};
use crate::media::{SOURCE_CONFIG, no_config, no_profile, profile_def, source_config};

const V: MediaVersion = MediaVersion::Media2;

/// The Media2 service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Media2,
    // GetCapabilities predates Media2: it is found through GetServices only.
    category: None,
    ops: &[
        op!(GetProfiles => get_profiles),
        op!(GetStreamUri => get_stream_uri),
        op!(GetSnapshotUri => get_snapshot_uri),
        op!(GetVideoEncoderConfigurations => get_video_encoder_configurations),
        op!(GetVideoSourceConfigurations => get_video_source_configurations),
        op!(
            onvif_proto::ops::media2::GetVideoSourceConfigurationOptions
                => configs::get_video_source_configuration_options2
        ),
        op!(onvif_proto::ops::media2::GetMetadataConfigurations => configs::get_metadata_configurations2),
        op!(onvif_proto::ops::media2::GetVideoEncoderInstances => configs::get_video_encoder_instances),
        op!(GetVideoEncoderConfigurationOptions => get_video_encoder_configuration_options),
        op!(SetVideoEncoderConfiguration => set_video_encoder_configuration),
        op!(
            onvif_proto::ops::analytics::GetAnalyticsConfigurations
                => analytics::get_analytics_configurations
        ),
        op!(onvif_proto::ops::media2::GetOsds => osd::get_osds),
        op!(onvif_proto::ops::media2::GetOsdOptions => osd::get_osd_options),
        op!(onvif_proto::ops::media2::CreateOsd => osd::create_osd),
        op!(onvif_proto::ops::media2::SetOsd => osd::set_osd),
        op!(onvif_proto::ops::media2::DeleteOsd => osd::delete_osd),
        op!(
            onvif_proto::ops::media2::SetSynchronizationPoint => set_synchronization_point
        ),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: media2_capabilities,
    category_flags: super::no_flags,
};

/// `tr2:ConfigurationEnumeration`.
const CONFIGURATION_TYPES: [&str; 11] = [
    "All",
    "VideoSource",
    "VideoEncoder",
    "AudioSource",
    "AudioEncoder",
    "AudioOutput",
    "AudioDecoder",
    "Metadata",
    "Analytics",
    "PTZ",
    "Receiver",
];

/// Profiles carry only the configuration types asked for (`All` for every one, none for
/// none), as Media2 requires.
fn get_profiles(ctx: &Ctx<'_>, req: GetProfiles) -> Result<Profiles, Fault> {
    if let Some(bad) = req
        .types
        .iter()
        .find(|t| !CONFIGURATION_TYPES.contains(&t.as_str()))
    {
        return Err(sender(
            &["InvalidArgVal"],
            format!(
                "unknown configuration type {bad:?} (one of {})",
                CONFIGURATION_TYPES.join(", ")
            ),
        ));
    }
    let wants = |t: &str| req.types.iter().any(|x| x == "All" || x == t);
    let cam = ctx.shared.camera();
    let mut profiles = match &req.token {
        Some(token) => {
            let def = profile_def(token, V).ok_or_else(|| no_profile(token))?;
            vec![whole_ptz(cam.media.profile(def, V))]
        }
        None => cam.media.profiles(V).into_iter().map(whole_ptz).collect(),
    };
    for p in &mut profiles {
        if !wants("VideoSource") {
            p.video_source = None;
        }
        if !wants("VideoEncoder") {
            p.video_encoder = None;
        }
        if !wants("PTZ") {
            p.ptz = None;
        }
    }
    Ok(Profiles { profiles })
}

/// RtspUnicast, RTSP (interleaved), RtspOverHttp and RtspMulticast all get the profile's RTSP
/// URI; anything else is `ter:InvalidStreamSetup`.
fn get_stream_uri(ctx: &Ctx<'_>, req: GetStreamUri) -> Result<StreamUri, Fault> {
    let def = profile_def(&req.profile_token, V).ok_or_else(|| no_profile(&req.profile_token))?;
    if let StreamingProtocol::Other(p) = &req.protocol {
        return Err(sender(
            &["InvalidArgVal", "InvalidStreamSetup"],
            format!(
                "protocol {p:?} is not supported (RtspUnicast, RtspMulticast, RTSP, RtspOverHttp)"
            ),
        ));
    }
    Ok(StreamUri {
        media_uri: MediaUri {
            uri: stream_uri(ctx, def.token),
            ..MediaUri::default()
        },
    })
}

fn get_snapshot_uri(ctx: &Ctx<'_>, req: GetSnapshotUri) -> Result<SnapshotUri, Fault> {
    let def = profile_def(&req.profile_token, V).ok_or_else(|| no_profile(&req.profile_token))?;
    Ok(SnapshotUri {
        media_uri: MediaUri {
            uri: snapshot_uri(ctx, def.token),
            ..MediaUri::default()
        },
    })
}

/// All of them, or the one named, or the one a profile uses (both: the one named, if the
/// profile uses it).
fn get_video_encoder_configurations(
    ctx: &Ctx<'_>,
    req: GetVideoEncoderConfigurations,
) -> Result<VideoEncoderConfigurations, Fault> {
    let cam = ctx.shared.camera();
    let mut list = cam.media.encoders(V);
    if let Some(c) = &req.configuration_token {
        cam.media.encoder(c, V)?;
        list.retain(|e| &e.token == c);
    }
    if let Some(p) = &req.profile_token {
        let def = profile_def(p, V).ok_or_else(|| no_profile(p))?;
        list.retain(|e| e.token == def.encoder);
    }
    Ok(VideoEncoderConfigurations {
        configurations: list,
    })
}

fn get_video_source_configurations(
    _: &Ctx<'_>,
    req: GetVideoSourceConfigurations,
) -> Result<VideoSourceConfigurations, Fault> {
    if let Some(c) = req.configuration_token.as_deref()
        && c != SOURCE_CONFIG
    {
        return Err(no_config(c));
    }
    if let Some(p) = req.profile_token.as_deref()
        && profile_def(p, V).is_none()
    {
        return Err(no_profile(p));
    }
    Ok(VideoSourceConfigurations {
        configurations: vec![source_config(V)],
    })
}

encoder_handlers!();
flag_capabilities!(media2_capabilities);

/// `tr2:Capabilities`, flattened.
fn media2_capabilities(ctx: &Ctx<'_>) -> BTreeMap<String, String> {
    let osd = if ctx.shared.cfg.has(crate::config::Quirk::OsdOnMedia1Only) {
        "false"
    } else {
        "true"
    };
    flags(&[
        ("SnapshotUri", "true"),
        ("Rotation", "false"),
        ("VideoSourceMode", "false"),
        ("OSD", osd),
        ("TemporaryOSDText", "false"),
        ("Mask", "false"),
        ("SourceMask", "false"),
        ("ProfileCapabilities.MaximumNumberOfProfiles", "3"),
        (
            "ProfileCapabilities.ConfigurationsSupported",
            "VideoSource VideoEncoder PTZ",
        ),
        ("StreamingCapabilities.RTSPStreaming", "true"),
        ("StreamingCapabilities.RTPMulticast", "true"),
        ("StreamingCapabilities.RTP_RTSP_TCP", "true"),
        ("StreamingCapabilities.NonAggregateControl", "false"),
        ("StreamingCapabilities.AutoStartMulticast", "false"),
    ])
}

/// SetSynchronizationPoint: a key frame on the profile's streams (which this camera does not
/// send); an unknown profile is `ter:NoProfile`. Media requires it of every camera that
/// streams H.264 over RTSP.
fn set_synchronization_point(
    _: &Ctx<'_>,
    req: onvif_proto::ops::media2::SetSynchronizationPoint,
) -> Result<onvif_proto::ops::media2::SetSynchronizationPointResponse, Fault> {
    profile_def(&req.profile_token, V).ok_or_else(|| no_profile(&req.profile_token))?;
    Ok(onvif_proto::ops::media2::SetSynchronizationPointResponse)
}
