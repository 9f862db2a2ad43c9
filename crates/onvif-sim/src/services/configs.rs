//! Configuration reads Media and Media2 share: the video source configuration's options, the
//! configurations compatible with a profile, the metadata configuration, and how many encoder
//! instances the source runs. One video source configuration serves every profile; so does
//! one metadata configuration (PTZ status and position, events, analytics).

use onvif_proto::Fault;
use onvif_proto::ops::media::{
    CompatibleMetadataConfigurations, CompatibleVideoEncoderConfigurations,
    CompatibleVideoSourceConfigurations, GetCompatibleMetadataConfigurations,
    GetCompatibleVideoEncoderConfigurations, GetCompatibleVideoSourceConfigurations,
    GetMetadataConfiguration, GetMetadataConfigurations, GetVideoSourceConfiguration,
    MetadataConfiguration, MetadataConfigurations, VideoSourceConfiguration,
};
use onvif_proto::ops::media2;
use onvif_proto::ops::profile::{
    BoundsRange, IntRange, MediaVersion, MetadataConfig, Multicast, VideoEncoding,
    VideoSourceOptions,
};

use super::Ctx;
use crate::media::{
    PROFILES, SOURCE_CONFIG, VIDEO_SOURCE, no_config, no_profile, profile_def, source_config,
};

const METADATA_CONFIG: &str = "MetadataConfig_1";

/// The one metadata configuration: PTZ status and position, events and analytics.
fn metadata_config(v: MediaVersion) -> MetadataConfig {
    MetadataConfig {
        token: METADATA_CONFIG.into(),
        name: Some(METADATA_CONFIG.into()),
        use_count: Some(0),
        ptz_status: Some(true),
        ptz_position: Some(true),
        events: true,
        analytics: Some(true),
        multicast: Some(Multicast {
            address: Some("0.0.0.0".into()),
            port: Some(0),
            ttl: Some(1),
            auto_start: Some(false),
        }),
        session_timeout: (v == MediaVersion::Media1).then(|| "PT60S".into()),
    }
}

/// The source configuration's options: its bounds may not move or shrink (the sensor's whole
/// picture), one source, as many profiles as the camera has.
fn source_options(v: MediaVersion) -> VideoSourceOptions {
    let fixed = |n| IntRange { min: n, max: n };
    VideoSourceOptions {
        max_profiles: u32::try_from(PROFILES.iter().filter(|p| p.visible(v)).count()).ok(),
        bounds_range: Some(BoundsRange {
            x: fixed(0),
            y: fixed(0),
            width: fixed(1920),
            height: fixed(1080),
        }),
        source_tokens: vec![VIDEO_SOURCE.into()],
    }
}

/// Unknown tokens are `ter:NoConfig` / `ter:NoProfile`.
fn check(
    configuration: Option<&str>,
    known: &str,
    profile: Option<&str>,
    v: MediaVersion,
) -> Result<(), Fault> {
    if let Some(c) = configuration
        && c != known
    {
        return Err(no_config(c));
    }
    if let Some(p) = profile
        && profile_def(p, v).is_none()
    {
        return Err(no_profile(p));
    }
    Ok(())
}

const V1: MediaVersion = MediaVersion::Media1;
const V2: MediaVersion = MediaVersion::Media2;

pub(super) fn get_video_source_configuration(
    _: &Ctx<'_>,
    req: GetVideoSourceConfiguration,
) -> Result<VideoSourceConfiguration, Fault> {
    check(Some(&req.configuration_token), SOURCE_CONFIG, None, V1)?;
    Ok(VideoSourceConfiguration {
        configuration: source_config(V1),
    })
}

pub(super) fn get_video_source_configuration_options(
    _: &Ctx<'_>,
    req: onvif_proto::ops::media::GetVideoSourceConfigurationOptions,
) -> Result<onvif_proto::ops::media::VideoSourceConfigurationOptions, Fault> {
    let (c, p) = (req.configuration_token, req.profile_token);
    check(c.as_deref(), SOURCE_CONFIG, p.as_deref(), V1)?;
    Ok(onvif_proto::ops::media::VideoSourceConfigurationOptions {
        options: source_options(V1),
    })
}

pub(super) fn get_video_source_configuration_options2(
    _: &Ctx<'_>,
    req: media2::GetVideoSourceConfigurationOptions,
) -> Result<media2::VideoSourceConfigurationOptions, Fault> {
    let (c, p) = (req.configuration_token, req.profile_token);
    check(c.as_deref(), SOURCE_CONFIG, p.as_deref(), V2)?;
    Ok(media2::VideoSourceConfigurationOptions {
        options: source_options(V2),
    })
}

pub(super) fn get_compatible_video_source_configurations(
    _: &Ctx<'_>,
    req: GetCompatibleVideoSourceConfigurations,
) -> Result<CompatibleVideoSourceConfigurations, Fault> {
    check(None, SOURCE_CONFIG, Some(&req.profile_token), V1)?;
    Ok(CompatibleVideoSourceConfigurations {
        configurations: vec![source_config(V1)],
    })
}

/// Every encoder configuration Media shows fits every profile (one source feeds them all).
pub(super) fn get_compatible_video_encoder_configurations(
    ctx: &Ctx<'_>,
    req: GetCompatibleVideoEncoderConfigurations,
) -> Result<CompatibleVideoEncoderConfigurations, Fault> {
    check(None, SOURCE_CONFIG, Some(&req.profile_token), V1)?;
    Ok(CompatibleVideoEncoderConfigurations {
        configurations: ctx.shared.camera().media.encoders(V1),
    })
}

pub(super) fn get_metadata_configurations(
    _: &Ctx<'_>,
    _: GetMetadataConfigurations,
) -> Result<MetadataConfigurations, Fault> {
    Ok(MetadataConfigurations {
        configurations: vec![metadata_config(V1)],
    })
}

pub(super) fn get_metadata_configuration(
    _: &Ctx<'_>,
    req: GetMetadataConfiguration,
) -> Result<MetadataConfiguration, Fault> {
    check(Some(&req.configuration_token), METADATA_CONFIG, None, V1)?;
    Ok(MetadataConfiguration {
        configuration: Some(metadata_config(V1)),
    })
}

pub(super) fn get_compatible_metadata_configurations(
    _: &Ctx<'_>,
    req: GetCompatibleMetadataConfigurations,
) -> Result<CompatibleMetadataConfigurations, Fault> {
    check(None, METADATA_CONFIG, Some(&req.profile_token), V1)?;
    Ok(CompatibleMetadataConfigurations {
        configurations: vec![metadata_config(V1)],
    })
}

pub(super) fn get_metadata_configurations2(
    _: &Ctx<'_>,
    req: media2::GetMetadataConfigurations,
) -> Result<media2::MetadataConfigurations, Fault> {
    let (c, p) = (req.configuration_token, req.profile_token);
    check(c.as_deref(), METADATA_CONFIG, p.as_deref(), V2)?;
    Ok(media2::MetadataConfigurations {
        configurations: vec![metadata_config(V2)],
    })
}

/// One instance of each encoder configuration Media2 shows, per codec.
pub(super) fn get_video_encoder_instances(
    ctx: &Ctx<'_>,
    req: media2::GetVideoEncoderInstances,
) -> Result<media2::VideoEncoderInstances, Fault> {
    check(Some(&req.configuration_token), SOURCE_CONFIG, None, V2)?;
    let encoders = ctx.shared.camera().media.encoders(V2);
    let mut codecs: Vec<media2::EncoderInstance> = Vec::new();
    for e in &encoders {
        let name = e.encoding.as_ref().unwrap_or(&VideoEncoding::H264);
        let name = name.media2_name();
        match codecs.iter_mut().find(|c| c.encoding == name) {
            Some(c) => c.number += 1,
            None => codecs.push(media2::EncoderInstance {
                encoding: name.to_owned(),
                number: 1,
            }),
        }
    }
    Ok(media2::VideoEncoderInstances {
        total: u32::try_from(encoders.len()).unwrap_or(u32::MAX),
        codecs,
    })
}
