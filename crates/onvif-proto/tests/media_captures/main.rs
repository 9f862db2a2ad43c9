//! Media (ver10), Media2 (ver20) and Imaging (ver20): round trips of every request and response
//! type, and every recorded camera answer of those services read into typed values.
//!
//! Captures are read in place from `../shared/captures` (next to the project) or from the
//! directory in `ONVIF_CAPTURES`; without them the capture tests say so and pass.
//! Nothing here opens a socket: addresses are values read from the captures and compared.
#![allow(clippy::unwrap_used)]

use onvif_proto::ns;
use onvif_proto::ops::imaging::{self, *};
use onvif_proto::ops::profile::*;
use onvif_proto::ops::{Operation, device, media, media2};
use onvif_proto::xml::Element;
use onvif_proto::{Envelope, Error, Message, decode, soap};
use onvif_testkit::captures::{self, captures_dir, read_as};
use onvif_testkit::message::{read_body, round_trip};

mod every_capture;
mod round_trips;
mod strictness;
mod values;
mod values_more;

// ---------------------------------------------------------------------------------------------
// Helpers

fn res(width: u32, height: u32) -> Option<Resolution> {
    Some(Resolution { width, height })
}

// ---------------------------------------------------------------------------------------------
// Sample values

fn h264_encoder() -> VideoEncoder {
    VideoEncoder {
        token: "enc0".into(),
        name: Some("Main <stream> & more".into()),
        use_count: Some(2),
        encoding: Some(VideoEncoding::H264),
        resolution: res(1920, 1080),
        quality: Some(4.5),
        frame_rate_limit: Some(25.0),
        bitrate_limit: Some(4096),
        encoding_interval: Some(1),
        gov_length: Some(50),
        profile: Some("High".into()),
        constant_bitrate: None,
        multicast: Some(Multicast {
            address: Some("239.0.1.0".into()),
            port: Some(4000),
            ttl: Some(64),
            auto_start: Some(false),
        }),
        session_timeout: Some("PT60S".into()),
    }
}

fn metadata_config() -> MetadataConfig {
    MetadataConfig {
        token: "meta0".into(),
        name: Some("Metadata".into()),
        use_count: Some(2),
        ptz_status: Some(true),
        ptz_position: Some(false),
        events: true,
        analytics: Some(false),
        multicast: Some(Multicast {
            address: Some("ff02::1".into()),
            port: Some(32002),
            ttl: Some(2),
            auto_start: Some(false),
        }),
        session_timeout: Some("PT60S".into()),
    }
}

fn media1_profile() -> MediaProfile {
    MediaProfile {
        token: "Profile_1".into(),
        name: "mainStream".into(),
        fixed: true,
        source: MediaVersion::Media1,
        video_source: Some(VideoSourceConfig {
            token: "vsc".into(),
            name: Some("VideoSourceConfig".into()),
            use_count: Some(3),
            source_token: Some("VideoSource_1".into()),
            bounds: Some(Bounds {
                x: 0,
                y: 0,
                width: 1920,
                height: 1080,
            }),
        }),
        audio_source: Some(AudioSourceConfig {
            token: "asc".into(),
            name: Some("AudioSourceConfig".into()),
            source_token: Some("AudioSource_1".into()),
        }),
        video_encoder: Some(h264_encoder()),
        audio_encoder: Some(AudioEncoder {
            token: "aec".into(),
            name: Some("Audio".into()),
            encoding: Some("G711".into()),
            bitrate: Some(64),
            sample_rate: Some(8),
        }),
        ptz: Some(PtzConfiguration {
            token: "ptz0".into(),
            name: Some("PTZ".into()),
            use_count: Some(1),
            node_token: Some("node0".into()),
            ..PtzConfiguration::default()
        }),
        metadata: Some(metadata_config()),
    }
}

fn media2_profile() -> MediaProfile {
    let mut p = media1_profile();
    p.source = MediaVersion::Media2;
    let enc = p.video_encoder.as_mut().unwrap();
    enc.encoding = Some(VideoEncoding::H265);
    enc.encoding_interval = None;
    enc.session_timeout = None;
    enc.constant_bitrate = Some(true);
    enc.frame_rate_limit = Some(12.5);
    enc.profile = Some("Main".into());
    p
}

fn full_settings() -> ImagingSettings {
    ImagingSettings {
        backlight_compensation: Some(BacklightCompensation {
            mode: Some(OnOff::On),
            level: Some(10.0),
        }),
        brightness: Some(50.0),
        color_saturation: Some(45.5),
        contrast: Some(60.0),
        exposure: Some(Exposure {
            mode: Some(AutoManual::Auto),
            priority: Some(ExposurePriority::LowNoise),
            min_exposure_time: Some(10.0),
            max_exposure_time: Some(40000.0),
            min_gain: Some(0.0),
            max_gain: Some(100.0),
            min_iris: Some(-22.0),
            max_iris: Some(0.0),
            exposure_time: Some(4000.0),
            gain: Some(12.0),
            iris: Some(0.0),
        }),
        focus: Some(FocusConfiguration {
            auto_focus_mode: Some(AutoManual::Manual),
            default_speed: Some(1.0),
            near_limit: Some(0.5),
            far_limit: Some(0.0),
        }),
        ir_cut_filter: Some(IrCutFilterMode::Auto),
        sharpness: Some(8.0),
        wide_dynamic_range: Some(WideDynamicRange {
            mode: Some(OnOff::Off),
            level: Some(30.0),
        }),
        white_balance: Some(WhiteBalance {
            mode: Some(AutoManual::Manual),
            cr_gain: Some(1.5),
            cb_gain: Some(2.5),
        }),
    }
}

fn range(min: f64, max: f64) -> Option<FloatRange> {
    Some(FloatRange { min, max })
}

fn caps(pairs: &[(&str, &str)]) -> device::ServiceCapabilities {
    device::ServiceCapabilities {
        flags: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// The video encoder of profile `i`.
fn encoder(profiles: &[MediaProfile], i: usize) -> &VideoEncoder {
    profiles[i].video_encoder.as_ref().unwrap()
}
