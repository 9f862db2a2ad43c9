//! The camera's picture side: one video source, its encoder configurations and profiles, what
//! the encoders accept, the imaging settings and their ranges, and the focus.
//!
//! | profile     | name         | encoder          | codec, size, rate, bitrate   | PTZ         | seen by        |
//! |-------------|--------------|------------------|------------------------------|-------------|----------------|
//! | `Profile_1` | `mainStream` | `VideoEncoder_1` | H.264 1920x1080 25 fps 4096k | `PTZConfig_1` | Media, Media2 |
//! | `Profile_2` | `subStream`  | `VideoEncoder_2` | H.264 640x360 15 fps 512k    | -           | Media, Media2  |
//! | `Profile_3` | `h265Stream` | `VideoEncoder_3` | H.265 2560x1440 20 fps 6144k (takes H.264 too) | `PTZConfig_2` | Media2 only  |
//!
//! Every profile uses video source configuration `VideoSourceConfig_1` on `VideoSource_1`
//! (1920x1080, 25 fps). As on many real cameras, the H.265 profile and its encoder exist only
//! for Media2: Media (ver10) has no H.265 in its schema.

use onvif_proto::Fault;
use onvif_proto::ops::imaging::{
    AbsoluteFocusOptions, AutoManual, BacklightCompensation, BacklightCompensationOptions,
    ContinuousFocusOptions, Exposure, ExposureOptions, ExposurePriority, FocusConfiguration,
    FocusMove, FocusOptions, ImagingOptions, ImagingSettings, IrCutFilterMode, MoveOptions, OnOff,
    RelativeFocusOptions, WhiteBalance, WhiteBalanceOptions, WideDynamicRange,
    WideDynamicRangeOptions,
};
use onvif_proto::ops::profile::{
    Bounds, EncodingOptions, FloatRange, IntRange, MediaProfile, MediaVersion, Multicast,
    PtzConfiguration, Resolution, VideoEncoder, VideoEncoderOptions, VideoEncoding, VideoSource,
    VideoSourceConfig,
};

use crate::fault::sender;

/// The port stream URIs name (`rtsp://<host>:8554/<profile token>`). Nothing listens there:
/// the simulated camera does not stream, it only says where a stream would be.
pub const RTSP_PORT: u16 = 8554;

/// The one video source.
pub(crate) const VIDEO_SOURCE: &str = "VideoSource_1";
/// Its one configuration, used by every profile.
pub(crate) const SOURCE_CONFIG: &str = "VideoSourceConfig_1";
const SOURCE_RESOLUTION: Resolution = Resolution {
    width: 1920,
    height: 1080,
};
const SOURCE_FRAMERATE: f64 = 25.0;

/// A profile: fixed, apart from its encoder's settings.
pub(crate) struct ProfileDef {
    pub token: &'static str,
    pub name: &'static str,
    pub encoder: &'static str,
    /// `(configuration token, node token)`.
    pub ptz: Option<(&'static str, &'static str)>,
    /// Shown by Media2 only.
    pub media2_only: bool,
}

/// Every profile, in the order GetProfiles lists them.
pub(crate) const PROFILES: [ProfileDef; 3] = [
    ProfileDef {
        token: "Profile_1",
        name: "mainStream",
        encoder: "VideoEncoder_1",
        ptz: Some(("PTZConfig_1", "PTZNode_1")),
        media2_only: false,
    },
    ProfileDef {
        token: "Profile_2",
        name: "subStream",
        encoder: "VideoEncoder_2",
        ptz: None,
        media2_only: false,
    },
    ProfileDef {
        token: "Profile_3",
        name: "h265Stream",
        encoder: "VideoEncoder_3",
        ptz: Some(("PTZConfig_2", "PTZNode_2")),
        media2_only: true,
    },
];

impl ProfileDef {
    pub(crate) fn visible(&self, v: MediaVersion) -> bool {
        v == MediaVersion::Media2 || !self.media2_only
    }
}

/// A profile by token, if the service of `v` shows it.
pub(crate) fn profile_def(token: &str, v: MediaVersion) -> Option<&'static ProfileDef> {
    PROFILES.iter().find(|p| p.token == token && p.visible(v))
}

/// A profile by token, whichever service shows it (for the snapshot URL).
pub(crate) fn any_profile(token: &str) -> Option<(usize, &'static ProfileDef)> {
    PROFILES.iter().enumerate().find(|(_, p)| p.token == token)
}

/// `Sender / ter:InvalidArgVal / ter:NoProfile`, as real cameras answer an unknown profile.
pub(crate) fn no_profile(token: &str) -> Fault {
    sender(
        &["InvalidArgVal", "NoProfile"],
        format!("no media profile with token {token:?}"),
    )
}

/// `Sender / ter:InvalidArgVal / ter:NoConfig`.
pub(crate) fn no_config(token: &str) -> Fault {
    sender(
        &["InvalidArgVal", "NoConfig"],
        format!("no configuration with token {token:?}"),
    )
}

/// `Sender / ter:InvalidArgVal / ter:NoSource`.
pub(crate) fn no_source(token: &str) -> Fault {
    sender(
        &["InvalidArgVal", "NoSource"],
        format!("no video source with token {token:?} (this camera has {VIDEO_SOURCE})"),
    )
}

/// Where the focus is: position on the absolute scale (0 near .. 1 far) and the speed of a
/// continuous move in progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FocusState {
    /// 0.0 (near) to 1.0 (far).
    pub position: f64,
    /// The speed of a continuous move not yet stopped (negative towards near).
    pub moving: Option<f64>,
    /// Focus moves accepted since the camera started.
    pub moves: u64,
    /// Since when `position` has not counted the continuous move.
    since: Option<std::time::Instant>,
}

/// How much of the focus range a continuous move at full speed covers in a second.
const FOCUS_RANGE_PER_SECOND: f64 = 0.25;

/// What media and imaging operations change.
#[derive(Debug, Clone)]
pub(crate) struct MediaState {
    /// `VideoEncoder_1`..`_3`, in profile order.
    pub encoders: Vec<VideoEncoder>,
    pub imaging: ImagingSettings,
    pub focus: FocusState,
}

impl MediaState {
    pub(crate) fn new() -> Self {
        MediaState {
            encoders: vec![
                encoder(
                    "VideoEncoder_1",
                    VideoEncoding::H264,
                    (1920, 1080),
                    25.0,
                    4096,
                    50,
                ),
                encoder(
                    "VideoEncoder_2",
                    VideoEncoding::H264,
                    (640, 360),
                    15.0,
                    512,
                    30,
                ),
                encoder(
                    "VideoEncoder_3",
                    VideoEncoding::H265,
                    (2560, 1440),
                    20.0,
                    6144,
                    40,
                ),
            ],
            imaging: default_imaging(),
            focus: FocusState {
                position: 0.5,
                moving: None,
                moves: 0,
                since: None,
            },
        }
    }

    /// The profiles the service of `v` shows, with every configuration.
    pub(crate) fn profiles(&self, v: MediaVersion) -> Vec<MediaProfile> {
        PROFILES
            .iter()
            .filter(|p| p.visible(v))
            .map(|p| self.profile(p, v))
            .collect()
    }

    /// One profile, with every configuration.
    pub(crate) fn profile(&self, def: &ProfileDef, v: MediaVersion) -> MediaProfile {
        let mut p = MediaProfile::new(def.token, def.name, v);
        p.fixed = true;
        p.video_source = Some(source_config(v));
        p.video_encoder = self
            .encoders
            .iter()
            .find(|e| e.token == def.encoder)
            .map(|e| shown(e, v));
        // Named only: the services write it whole (`services::media::whole_ptz`).
        p.ptz = def.ptz.map(|(token, node)| PtzConfiguration {
            token: token.into(),
            name: Some(token.into()),
            node_token: Some(node.into()),
            ..PtzConfiguration::default()
        });
        p
    }

    /// The encoder configurations the service of `v` shows.
    pub(crate) fn encoders(&self, v: MediaVersion) -> Vec<VideoEncoder> {
        self.encoders
            .iter()
            .filter(|e| encoder_visible(&e.token, v))
            .map(|e| shown(e, v))
            .collect()
    }

    /// One encoder configuration the service of `v` shows, or `ter:NoConfig`.
    pub(crate) fn encoder(&self, token: &str, v: MediaVersion) -> Result<&VideoEncoder, Fault> {
        self.encoders
            .iter()
            .find(|e| e.token == token && encoder_visible(token, v))
            .ok_or_else(|| no_config(token))
    }

    /// SetVideoEncoderConfiguration: the configuration with the request's changes (fields the
    /// request leaves out keep their values; token, name and use count are the camera's),
    /// checked whole against the options of its configuration, then stored: a codec changed
    /// alone cannot keep values the new codec does not take. Out-of-range values are
    /// `Sender / ter:InvalidArgVal / ter:ConfigModify`.
    pub(crate) fn set_encoder(&mut self, req: &VideoEncoder, v: MediaVersion) -> Result<(), Fault> {
        let current = self.encoder(&req.token, v)?.clone();
        let options = encoder_options(Some(&current));
        if req.encoding.is_none() {
            return Err(sender(
                &["InvalidArgVal", "ConfigModify"],
                format!("{}: Encoding is required", req.token),
            ));
        }
        let merged = VideoEncoder {
            token: current.token.clone(),
            name: current.name.clone(),
            use_count: current.use_count,
            encoding: req.encoding.clone().or(current.encoding),
            resolution: req.resolution.or(current.resolution),
            quality: req.quality.or(current.quality),
            frame_rate_limit: req.frame_rate_limit.or(current.frame_rate_limit),
            bitrate_limit: req.bitrate_limit.or(current.bitrate_limit),
            encoding_interval: req.encoding_interval.or(current.encoding_interval),
            gov_length: req.gov_length.or(current.gov_length),
            profile: req.profile.clone().or(current.profile),
            constant_bitrate: req.constant_bitrate.or(current.constant_bitrate),
            multicast: req.multicast.clone().or(current.multicast),
            session_timeout: req.session_timeout.clone().or(current.session_timeout),
        };
        check_encoder(&merged, &options).map_err(|reason| {
            sender(
                &["InvalidArgVal", "ConfigModify"],
                format!("{}: {reason}", req.token),
            )
        })?;
        if let Some(slot) = self.encoders.iter_mut().find(|e| e.token == req.token) {
            *slot = merged;
        }
        Ok(())
    }
}

/// An encoder configuration as the service of `v` writes it: Media1's `tt:VideoRateControl`
/// has no `ConstantBitRate` (onvif.xsd; it is `tt:VideoRateControl2`'s, Media2's), so
/// Media1 answers leave it out. The stored value stays for Media2.
pub(crate) fn shown(e: &VideoEncoder, v: MediaVersion) -> VideoEncoder {
    let mut e = e.clone();
    if v == MediaVersion::Media1 {
        e.constant_bitrate = None;
    }
    e
}

/// The encoder configuration that takes H.265 or H.264 (Media2's only).
const EITHER_CODEC: &str = "VideoEncoder_3";

/// Is this encoder configuration shown by the service of `v`? The H.265 one is Media2's.
fn encoder_visible(token: &str, v: MediaVersion) -> bool {
    PROFILES.iter().any(|p| p.encoder == token && p.visible(v))
}

fn encoder(
    token: &str,
    encoding: VideoEncoding,
    (width, height): (u32, u32),
    fps: f64,
    kbps: u32,
    gov: u32,
) -> VideoEncoder {
    VideoEncoder {
        token: token.into(),
        name: Some(token.into()),
        use_count: Some(1),
        encoding: Some(encoding),
        resolution: Some(Resolution { width, height }),
        quality: Some(6.0),
        frame_rate_limit: Some(fps),
        bitrate_limit: Some(kbps),
        encoding_interval: Some(1),
        gov_length: Some(gov),
        profile: Some("Main".into()),
        constant_bitrate: Some(false),
        multicast: Some(Multicast {
            address: Some("0.0.0.0".into()),
            port: Some(0),
            ttl: Some(1),
            auto_start: Some(false),
        }),
        session_timeout: Some("PT60S".into()),
    }
}

/// `VideoSourceConfig_1`: the whole of `VideoSource_1`, used by every profile the service
/// shows.
pub(crate) fn source_config(v: MediaVersion) -> VideoSourceConfig {
    let users = PROFILES.iter().filter(|p| p.visible(v)).count();
    VideoSourceConfig {
        token: SOURCE_CONFIG.into(),
        name: Some(SOURCE_CONFIG.into()),
        use_count: u32::try_from(users).ok(),
        source_token: Some(VIDEO_SOURCE.into()),
        bounds: Some(Bounds {
            x: 0,
            y: 0,
            width: 1920,
            height: 1080,
        }),
    }
}

/// `VideoSource_1`, with its current imaging settings.
pub(crate) fn video_source(imaging: &ImagingSettings) -> VideoSource {
    VideoSource {
        token: VIDEO_SOURCE.into(),
        framerate: Some(SOURCE_FRAMERATE),
        resolution: Some(SOURCE_RESOLUTION),
        imaging: Some(imaging.clone()),
    }
}

fn float(min: f64, max: f64) -> Option<FloatRange> {
    Some(FloatRange { min, max })
}

fn int(min: i32, max: i32) -> Option<IntRange> {
    Some(IntRange { min, max })
}

fn resolutions(list: &[(u32, u32)]) -> Vec<Resolution> {
    list.iter()
        .map(|&(width, height)| Resolution { width, height })
        .collect()
}

/// What the encoders accept: H.264 (`VideoEncoder_1`, `_2`), and H.265 or H.264
/// (`VideoEncoder_3`, as a camera's main stream takes either). Without a configuration, both
/// (Media1 writes only H.264, having no element for H.265).
pub(crate) fn encoder_options(config: Option<&VideoEncoder>) -> VideoEncoderOptions {
    let h264 = EncodingOptions {
        quality_range: float(1.0, 10.0),
        resolutions: resolutions(&[(1920, 1080), (1280, 720), (640, 360)]),
        frame_rate_range: float(1.0, 25.0),
        frame_rates_supported: vec![25.0, 20.0, 15.0, 10.0, 5.0, 1.0],
        gov_length_range: int(1, 150),
        encoding_interval_range: int(1, 1),
        bitrate_range: int(128, 8192),
        profiles: vec!["Baseline".into(), "Main".into(), "High".into()],
        constant_bitrate_supported: Some(true),
        ..EncodingOptions::new(VideoEncoding::H264)
    };
    let h265 = EncodingOptions {
        quality_range: float(1.0, 10.0),
        resolutions: resolutions(&[(2560, 1440), (1920, 1080), (1280, 720)]),
        frame_rate_range: float(1.0, 20.0),
        frame_rates_supported: vec![20.0, 15.0, 10.0, 5.0, 1.0],
        gov_length_range: int(1, 150),
        encoding_interval_range: int(1, 1),
        bitrate_range: int(256, 16384),
        profiles: vec!["Main".into()],
        constant_bitrate_supported: Some(true),
        ..EncodingOptions::new(VideoEncoding::H265)
    };
    let encodings = match config {
        Some(c) if c.token == EITHER_CODEC => vec![h265, h264],
        Some(_) => vec![h264],
        None => vec![h264, h265],
    };
    VideoEncoderOptions { encodings }
}

fn check_encoder(req: &VideoEncoder, options: &VideoEncoderOptions) -> Result<(), String> {
    let Some(encoding) = &req.encoding else {
        return Err("Encoding is required".into());
    };
    let o = options
        .get(encoding)
        .ok_or_else(|| format!("encoding {encoding} is not offered for this configuration"))?;
    if let Some(r) = req.resolution
        && !o.resolutions.contains(&r)
    {
        return Err(format!(
            "resolution {}x{} is not offered",
            r.width, r.height
        ));
    }
    check_float("Quality", req.quality, o.quality_range)?;
    check_float("FrameRateLimit", req.frame_rate_limit, o.frame_rate_range)?;
    // Media1 writes the rate as an xs:int: a fraction is taken only where the options list it.
    if let Some(v) = req.frame_rate_limit
        && v.fract() != 0.0
        && !o.frame_rates_supported.contains(&v)
    {
        return Err(format!(
            "FrameRateLimit {v} is not a whole number of frames per second, nor one of those \
             offered ({})",
            o.frame_rates_supported
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    check_int("BitrateLimit", req.bitrate_limit, o.bitrate_range)?;
    check_int("GovLength", req.gov_length, o.gov_length_range)?;
    check_int(
        "EncodingInterval",
        req.encoding_interval,
        o.encoding_interval_range,
    )?;
    if let Some(p) = &req.profile
        && !o.profiles.iter().any(|q| q.eq_ignore_ascii_case(p))
    {
        return Err(format!(
            "profile {p:?} is not offered ({})",
            o.profiles.join(", ")
        ));
    }
    Ok(())
}

fn check_int(name: &str, v: Option<u32>, range: Option<IntRange>) -> Result<(), String> {
    check_float(
        name,
        v.map(f64::from),
        range.map(|r| FloatRange {
            min: f64::from(r.min),
            max: f64::from(r.max),
        }),
    )
}

/// A value set in a request must lie in the range offered; a value for which no range is
/// offered cannot be set.
fn check_float(name: &str, v: Option<f64>, range: Option<FloatRange>) -> Result<(), String> {
    match (v, range) {
        (None, _) => Ok(()),
        (Some(v), Some(r)) if (r.min..=r.max).contains(&v) => Ok(()),
        (Some(v), Some(r)) => Err(format!("{name} {v} is outside {}..{}", r.min, r.max)),
        (Some(_), None) => Err(format!("{name} cannot be set on this camera")),
    }
}

fn check_mode<T: PartialEq + std::fmt::Display>(
    name: &str,
    v: Option<T>,
    allowed: &[T],
) -> Result<(), String> {
    match v {
        Some(v) if !allowed.contains(&v) => Err(format!("{name} {v} is not offered")),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Imaging

fn default_imaging() -> ImagingSettings {
    ImagingSettings {
        backlight_compensation: Some(BacklightCompensation {
            mode: Some(OnOff::Off),
            level: Some(0.0),
        }),
        brightness: Some(50.0),
        color_saturation: Some(50.0),
        contrast: Some(50.0),
        exposure: Some(Exposure {
            mode: Some(AutoManual::Auto),
            priority: Some(ExposurePriority::FrameRate),
            min_exposure_time: Some(10.0),
            max_exposure_time: Some(40000.0),
            min_gain: Some(0.0),
            max_gain: Some(100.0),
            exposure_time: Some(10000.0),
            gain: Some(50.0),
            ..Exposure::default()
        }),
        focus: Some(FocusConfiguration {
            auto_focus_mode: Some(AutoManual::Auto),
            default_speed: Some(0.5),
            near_limit: Some(0.5),
            far_limit: Some(0.0),
        }),
        ir_cut_filter: Some(IrCutFilterMode::Auto),
        sharpness: Some(50.0),
        wide_dynamic_range: Some(WideDynamicRange {
            mode: Some(OnOff::Off),
            level: Some(50.0),
        }),
        white_balance: Some(WhiteBalance {
            mode: Some(AutoManual::Auto),
            cr_gain: Some(128.0),
            cb_gain: Some(128.0),
        }),
    }
}

/// What the imaging settings of `VideoSource_1` accept: brightness, contrast, saturation and
/// sharpness 0..100, and so on. Iris is not adjustable.
pub(crate) fn imaging_options() -> ImagingOptions {
    let pct = float(0.0, 100.0);
    ImagingOptions {
        backlight_compensation: Some(BacklightCompensationOptions {
            modes: vec![OnOff::Off, OnOff::On],
            level: pct,
        }),
        brightness: pct,
        color_saturation: pct,
        contrast: pct,
        exposure: Some(ExposureOptions {
            modes: vec![AutoManual::Auto, AutoManual::Manual],
            priorities: vec![ExposurePriority::LowNoise, ExposurePriority::FrameRate],
            min_exposure_time: float(10.0, 40000.0),
            max_exposure_time: float(10.0, 40000.0),
            min_gain: pct,
            max_gain: pct,
            exposure_time: float(10.0, 40000.0),
            gain: pct,
            ..ExposureOptions::default()
        }),
        focus: Some(FocusOptions {
            auto_focus_modes: vec![AutoManual::Auto, AutoManual::Manual],
            default_speed: float(0.0, 1.0),
            near_limit: float(0.0, 10.0),
            far_limit: float(0.0, 10.0),
        }),
        ir_cut_filter_modes: vec![
            IrCutFilterMode::On,
            IrCutFilterMode::Off,
            IrCutFilterMode::Auto,
        ],
        sharpness: pct,
        wide_dynamic_range: Some(WideDynamicRangeOptions {
            modes: vec![OnOff::Off, OnOff::On],
            level: pct,
        }),
        white_balance: Some(WhiteBalanceOptions {
            modes: vec![AutoManual::Auto, AutoManual::Manual],
            yr_gain: float(0.0, 255.0),
            yb_gain: float(0.0, 255.0),
        }),
    }
}

/// Every value set in `s` must be offered by `o`.
pub(crate) fn check_imaging(s: &ImagingSettings, o: &ImagingOptions) -> Result<(), String> {
    check_float("Brightness", s.brightness, o.brightness)?;
    check_float("ColorSaturation", s.color_saturation, o.color_saturation)?;
    check_float("Contrast", s.contrast, o.contrast)?;
    check_float("Sharpness", s.sharpness, o.sharpness)?;
    check_mode("IrCutFilter", s.ir_cut_filter, &o.ir_cut_filter_modes)?;
    if let Some(b) = &s.backlight_compensation {
        let bo = o.backlight_compensation.clone().unwrap_or_default();
        check_mode("BacklightCompensation/Mode", b.mode, &bo.modes)?;
        check_float("BacklightCompensation/Level", b.level, bo.level)?;
    }
    if let Some(e) = &s.exposure {
        let eo = o.exposure.clone().unwrap_or_default();
        check_mode("Exposure/Mode", e.mode, &eo.modes)?;
        check_mode("Exposure/Priority", e.priority, &eo.priorities)?;
        for (name, v, r) in [
            ("MinExposureTime", e.min_exposure_time, eo.min_exposure_time),
            ("MaxExposureTime", e.max_exposure_time, eo.max_exposure_time),
            ("MinGain", e.min_gain, eo.min_gain),
            ("MaxGain", e.max_gain, eo.max_gain),
            ("MinIris", e.min_iris, eo.min_iris),
            ("MaxIris", e.max_iris, eo.max_iris),
            ("ExposureTime", e.exposure_time, eo.exposure_time),
            ("Gain", e.gain, eo.gain),
            ("Iris", e.iris, eo.iris),
        ] {
            check_float(&format!("Exposure/{name}"), v, r)?;
        }
    }
    if let Some(f) = &s.focus {
        let fo = o.focus.clone().unwrap_or_default();
        check_mode(
            "Focus/AutoFocusMode",
            f.auto_focus_mode,
            &fo.auto_focus_modes,
        )?;
        check_float("Focus/DefaultSpeed", f.default_speed, fo.default_speed)?;
        check_float("Focus/NearLimit", f.near_limit, fo.near_limit)?;
        check_float("Focus/FarLimit", f.far_limit, fo.far_limit)?;
    }
    if let Some(d) = &s.wide_dynamic_range {
        let dwo = o.wide_dynamic_range.clone().unwrap_or_default();
        check_mode("WideDynamicRange/Mode", d.mode, &dwo.modes)?;
        check_float("WideDynamicRange/Level", d.level, dwo.level)?;
    }
    if let Some(b) = &s.white_balance {
        let wo = o.white_balance.clone().unwrap_or_default();
        check_mode("WhiteBalance/Mode", b.mode, &wo.modes)?;
        check_float("WhiteBalance/CrGain", b.cr_gain, wo.yr_gain)?;
        check_float("WhiteBalance/CbGain", b.cb_gain, wo.yb_gain)?;
    }
    Ok(())
}

/// `dst` takes every value set in `src`; the rest stays.
pub(crate) fn merge_imaging(dst: &mut ImagingSettings, src: &ImagingSettings) {
    // The fields named that are set in `$s`, copied into `$d`.
    macro_rules! take {
        ($d:expr, $s:expr; $($f:ident),*) => {$(
            if $s.$f.is_some() {
                $d.$f.clone_from(&$s.$f);
            }
        )*};
    }
    // A block of settings: when `src` has it, `dst` has it too and takes the fields named.
    macro_rules! block {
        ($b:ident: $($f:ident),*) => {
            if let Some(s) = &src.$b {
                let d = dst.$b.get_or_insert_with(Default::default);
                take!(d, s; $($f),*);
            }
        };
    }
    take!(dst, src; brightness, color_saturation, contrast, sharpness, ir_cut_filter);
    block!(backlight_compensation: mode, level);
    block!(exposure: mode, priority, min_exposure_time, max_exposure_time, min_gain, max_gain,
        min_iris, max_iris, exposure_time, gain, iris);
    block!(focus: auto_focus_mode, default_speed, near_limit, far_limit);
    block!(wide_dynamic_range: mode, level);
    block!(white_balance: mode, cr_gain, cb_gain);
}

/// Focus moves: absolute to 0..1, relative by -1..1, continuous at -1..1, speeds 0..1.
pub(crate) fn move_options() -> MoveOptions {
    MoveOptions {
        absolute: Some(AbsoluteFocusOptions {
            position: float(0.0, 1.0),
            speed: float(0.0, 1.0),
        }),
        relative: Some(RelativeFocusOptions {
            distance: float(-1.0, 1.0),
            speed: float(0.0, 1.0),
        }),
        continuous: Some(ContinuousFocusOptions {
            speed: float(-1.0, 1.0),
        }),
    }
}

impl FocusState {
    /// Check a move against [`move_options`] and apply it: absolute and relative moves arrive
    /// at once, a continuous one runs until [`FocusState::stop`].
    pub(crate) fn apply(&mut self, m: FocusMove) -> Result<(), String> {
        self.settle();
        let o = move_options();
        match m {
            FocusMove::Absolute { position, speed } => {
                let a = o.absolute.unwrap_or_default();
                check_float("Absolute/Position", Some(position), a.position)?;
                check_float("Absolute/Speed", speed, a.speed)?;
                self.position = position;
                self.moving = None;
            }
            FocusMove::Relative { distance, speed } => {
                let r = o.relative.unwrap_or_default();
                check_float("Relative/Distance", Some(distance), r.distance)?;
                check_float("Relative/Speed", speed, r.speed)?;
                self.position = (self.position + distance).clamp(0.0, 1.0);
                self.moving = None;
            }
            FocusMove::Continuous { speed } => {
                let c = o.continuous.unwrap_or_default();
                check_float("Continuous/Speed", Some(speed), c.speed)?;
                self.moving = Some(speed);
                self.since = Some(std::time::Instant::now());
            }
        }
        self.moves += 1;
        Ok(())
    }

    /// End a continuous move.
    pub(crate) fn stop(&mut self) {
        self.settle();
        self.moving = None;
        self.since = None;
    }

    /// The state now: a continuous move has carried the focus on at its speed since it began
    /// (or was last settled), and ends at either end of the range, as a lens does.
    pub(crate) fn settle(&mut self) {
        let (Some(speed), Some(since)) = (self.moving, self.since) else {
            return;
        };
        let now = std::time::Instant::now();
        let travel = speed * FOCUS_RANGE_PER_SECOND * (now - since).as_secs_f64();
        let to = self.position + travel;
        self.position = to.clamp(0.0, 1.0);
        self.since = Some(now);
        if to != self.position {
            self.moving = None;
            self.since = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_continuous_focus_move_stops_at_the_end_of_the_range() {
        let Some(since) = std::time::Instant::now().checked_sub(std::time::Duration::from_secs(10))
        else {
            return;
        };
        let mut f = FocusState {
            position: 0.5,
            moving: Some(-1.0),
            moves: 1,
            since: Some(since),
        };
        f.settle();
        assert_eq!((f.position, f.moving), (0.0, None));
    }

    #[test]
    fn the_current_settings_are_within_their_own_options() {
        let m = MediaState::new();
        assert_eq!(check_imaging(&m.imaging, &imaging_options()), Ok(()));
        for e in &m.encoders {
            assert_eq!(
                check_encoder(e, &encoder_options(Some(e))),
                Ok(()),
                "{}",
                e.token
            );
        }
    }

    #[test]
    fn media1_does_not_see_the_h265_profile_or_encoder() {
        let m = MediaState::new();
        let tokens = |v| -> Vec<String> { m.profiles(v).into_iter().map(|p| p.token).collect() };
        assert_eq!(tokens(MediaVersion::Media1), ["Profile_1", "Profile_2"]);
        assert_eq!(
            tokens(MediaVersion::Media2),
            ["Profile_1", "Profile_2", "Profile_3"]
        );
        assert!(m.encoder("VideoEncoder_3", MediaVersion::Media1).is_err());
        assert!(m.encoder("VideoEncoder_3", MediaVersion::Media2).is_ok());
    }

    #[test]
    fn merging_keeps_what_is_not_set() {
        let mut s = default_imaging();
        let change = ImagingSettings {
            brightness: Some(70.0),
            exposure: Some(Exposure {
                gain: Some(10.0),
                ..Exposure::default()
            }),
            ..ImagingSettings::default()
        };
        merge_imaging(&mut s, &change);
        assert_eq!(s.brightness, Some(70.0));
        assert_eq!(s.contrast, Some(50.0));
        let e = s.exposure.unwrap_or_default();
        assert_eq!(e.gain, Some(10.0));
        assert_eq!(e.mode, Some(AutoManual::Auto));
    }
}
