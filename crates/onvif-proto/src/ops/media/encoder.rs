//! Video encoder configurations: the codec names of both services and the encoder itself,
//! whose Media1 and Media2 forms differ (codec settings in an element named after the codec, or
//! in attributes).
//!
//! Reading is lenient: a value that is absent or cannot be read is `None`, never an error.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use super::config::{Multicast, configuration};
use super::form::{is_default, two_forms};
use super::source::Resolution;
use crate::codec::{Text, Xml};

/// A video codec. Media1 names them `H264`/`JPEG`/`MPEG4` (and cameras add `H265`); Media2
/// uses MIME names (`H264`, `H265`, `JPEG`, `MPV4-ES`). Both read to the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VideoEncoding {
    /// H.264 (AVC).
    H264,
    /// H.265 (HEVC).
    H265,
    /// JPEG (Motion JPEG).
    Jpeg,
    /// MPEG-4 Part 2 (Media1 `MPEG4`, Media2 `MPV4-ES`).
    Mpeg4,
    /// Anything else, as the camera wrote it.
    Other(String),
}

impl VideoEncoding {
    /// Read a codec name from either service, ignoring case and punctuation (`H.264`).
    pub fn parse(s: &str) -> VideoEncoding {
        let t = s.trim();
        let norm: String = t
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase();
        match norm.as_str() {
            "H264" | "AVC" => VideoEncoding::H264,
            "H265" | "HEVC" => VideoEncoding::H265,
            "JPEG" | "MJPEG" | "MJPG" | "JPG" => VideoEncoding::Jpeg,
            "MPEG4" | "MPV4ES" | "MP4V" | "MPEG4ES" => VideoEncoding::Mpeg4,
            _ => VideoEncoding::Other(t.to_owned()),
        }
    }

    /// The name in Media1 (`tt:VideoEncoding`).
    pub fn media1_name(&self) -> &str {
        match self {
            VideoEncoding::H264 => "H264",
            VideoEncoding::H265 => "H265",
            VideoEncoding::Jpeg => "JPEG",
            VideoEncoding::Mpeg4 => "MPEG4",
            VideoEncoding::Other(s) => s,
        }
    }

    /// The name in Media2 (`tt:VideoEncodingMimeNames`).
    pub fn media2_name(&self) -> &str {
        match self {
            VideoEncoding::Mpeg4 => "MPV4-ES",
            other => other.media1_name(),
        }
    }
}

/// Any name but an empty one reads; written with its Media1 name (Media2's forms write the
/// MIME name).
impl Text for VideoEncoding {
    const EXPECTED: &'static str = "a codec name";
    fn from_text(s: &str) -> Option<Self> {
        (!s.trim().is_empty()).then(|| VideoEncoding::parse(s))
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.media1_name())
    }
}

/// A codec under its Media2 (MIME) name.
pub(crate) struct MimeName(pub(crate) VideoEncoding);

impl Text for MimeName {
    const EXPECTED: &'static str = VideoEncoding::EXPECTED;
    fn from_text(s: &str) -> Option<Self> {
        VideoEncoding::from_text(s).map(MimeName)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0.media2_name())
    }
}

impl fmt::Display for VideoEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.media1_name())
    }
}

/// Serialised as its Media1 name (`"H264"`, `"JPEG"`, `"MPEG4"`, or the camera's own word).
impl Serialize for VideoEncoding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.media1_name())
    }
}

/// A video encoder configuration, from either service.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoEncoder {
    /// The configuration's token; empty when absent.
    pub token: String,
    /// Its name; `None` when absent.
    pub name: Option<String>,
    /// How many profiles use it; `None` when absent or unreadable.
    pub use_count: Option<u32>,
    /// The codec; `None` when absent.
    pub encoding: Option<VideoEncoding>,
    /// The encoded picture size; `None` when absent or unreadable.
    pub resolution: Option<Resolution>,
    /// Quality on the camera's own scale (see the encoder options for its range).
    pub quality: Option<f64>,
    /// Frames per second (an integer in Media1, a float in Media2).
    pub frame_rate_limit: Option<f64>,
    /// kbit/s.
    pub bitrate_limit: Option<u32>,
    /// Media1: every n-th frame is encoded.
    pub encoding_interval: Option<u32>,
    /// Group of pictures length (Media1 `H264/GovLength`, Media2 `GovLength` attribute).
    pub gov_length: Option<u32>,
    /// Codec profile (`Baseline`, `Main`, `High`, `SP`, ...).
    pub profile: Option<String>,
    /// `RateControl/@ConstantBitRate` (Media2, and the Media1 answers of newer cameras).
    pub constant_bitrate: Option<bool>,
    /// Multicast settings; `None` when absent.
    pub multicast: Option<Multicast>,
    /// Media1 RTSP session timeout (xs:duration as sent).
    pub session_timeout: Option<String>,
}

two_forms!(VideoEncoder => Media1Encoder, Media2Encoder);

configuration! {
    /// `tt:VideoEncoderConfiguration`, the Media1 form of [`VideoEncoder`].
    #[derive(Xml)]
    struct Media1Encoder {
        #[xml(child = "tt:Encoding")]
        encoding: Option<VideoEncoding>,
        #[xml(child = "tt:Resolution", lenient)]
        resolution: Option<Resolution>,
        #[xml(child = "tt:Quality", lenient)]
        quality: Option<f64>,
        #[xml(child = "tt:RateControl", default, skip_if = "is_default")]
        rate_control: RateControl,
        #[xml(child = "tt:MPEG4", default, skip_if = "is_default")]
        mpeg4: Codec,
        #[xml(child = "tt:H264", default, skip_if = "is_default")]
        h264: Codec,
        /// Not in the Media1 schema, but some cameras send it: read, never written.
        #[xml(child = "tt:H265", default, skip_if = "is_default")]
        h265: Codec,
        #[xml(child = "tt:Multicast")]
        multicast: Option<Multicast>,
        #[xml(child = "tt:SessionTimeout")]
        session_timeout: Option<String>,
    }
}

configuration! {
    /// `tt:VideoEncoder2Configuration`, the Media2 form of [`VideoEncoder`].
    #[derive(Xml)]
    struct Media2Encoder {
        #[xml(attr = "GovLength", lenient)]
        gov_length: Option<u32>,
        #[xml(attr = "Profile")]
        profile: Option<String>,
        #[xml(child = "tt:Encoding")]
        encoding: Option<MimeName>,
        #[xml(child = "tt:Resolution", lenient)]
        resolution: Option<Resolution>,
        #[xml(child = "tt:RateControl", default, skip_if = "is_default")]
        rate_control: RateControl,
        #[xml(child = "tt:Multicast")]
        multicast: Option<Multicast>,
        #[xml(child = "tt:Quality", lenient)]
        quality: Option<f64>,
    }
}

/// `tt:RateControl` (Media2's has no `EncodingInterval`). `ConstantBitRate` came to Media1's
/// later, as an optional attribute: it is written when known, as cameras send it.
#[derive(Default, PartialEq, Xml)]
struct RateControl {
    #[xml(attr = "ConstantBitRate", lenient)]
    constant_bitrate: Option<bool>,
    #[xml(child = "tt:FrameRateLimit", lenient)]
    frame_rate_limit: Option<f64>,
    #[xml(child = "tt:EncodingInterval", lenient)]
    encoding_interval: Option<u32>,
    #[xml(child = "tt:BitrateLimit", lenient)]
    bitrate_limit: Option<u32>,
}

/// The settings of one codec in a Media1 encoder (`tt:H264`, `tt:MPEG4`), its profile in an
/// element named after the codec.
#[derive(Default, PartialEq, Xml)]
struct Codec {
    #[xml(child = "tt:GovLength", lenient)]
    gov_length: Option<u32>,
    #[xml(child = "tt:H264Profile")]
    h264_profile: Option<String>,
    #[xml(child = "tt:Mpeg4Profile")]
    mpeg4_profile: Option<String>,
    #[xml(child = "tt:H265Profile")]
    h265_profile: Option<String>,
}

impl From<&VideoEncoder> for Media1Encoder {
    fn from(e: &VideoEncoder) -> Self {
        let e = e.clone();
        let codec = |h264_profile, mpeg4_profile| Codec {
            gov_length: e.gov_length,
            h264_profile,
            mpeg4_profile,
            h265_profile: None,
        };
        // Codec settings go in the codec's element; Media1 has none for H265 or others.
        let (mpeg4, h264) = match e.encoding {
            Some(VideoEncoding::Mpeg4) => (codec(None, e.profile.clone()), Codec::default()),
            Some(VideoEncoding::H264) => (Codec::default(), codec(e.profile.clone(), None)),
            _ => (Codec::default(), Codec::default()),
        };
        Media1Encoder {
            name: e.name,
            use_count: e.use_count,
            encoding: e.encoding,
            resolution: e.resolution,
            quality: e.quality,
            rate_control: RateControl {
                constant_bitrate: e.constant_bitrate,
                frame_rate_limit: e.frame_rate_limit,
                encoding_interval: e.encoding_interval,
                bitrate_limit: e.bitrate_limit,
            },
            mpeg4,
            h264,
            h265: Codec::default(),
            multicast: e.multicast,
            session_timeout: e.session_timeout,
            token: e.token,
        }
    }
}

impl From<Media1Encoder> for VideoEncoder {
    fn from(f: Media1Encoder) -> Self {
        // Only the element of the encoder's own codec counts.
        let codec = match f.encoding {
            Some(VideoEncoding::H264) => f.h264,
            Some(VideoEncoding::Mpeg4) => f.mpeg4,
            Some(VideoEncoding::H265) => f.h265,
            _ => Codec::default(),
        };
        let rc = f.rate_control;
        VideoEncoder {
            token: f.token,
            name: f.name,
            use_count: f.use_count,
            encoding: f.encoding,
            resolution: f.resolution,
            quality: f.quality,
            frame_rate_limit: rc.frame_rate_limit,
            bitrate_limit: rc.bitrate_limit,
            encoding_interval: rc.encoding_interval,
            gov_length: codec.gov_length,
            profile: (codec.h264_profile)
                .or(codec.mpeg4_profile)
                .or(codec.h265_profile),
            constant_bitrate: rc.constant_bitrate,
            multicast: f.multicast,
            session_timeout: f.session_timeout,
        }
    }
}

/// Media1-only fields (encoding interval, session timeout) are left out.
impl From<&VideoEncoder> for Media2Encoder {
    fn from(e: &VideoEncoder) -> Self {
        let e = e.clone();
        Media2Encoder {
            token: e.token,
            gov_length: e.gov_length,
            profile: e.profile,
            name: e.name,
            use_count: e.use_count,
            encoding: e.encoding.map(MimeName),
            resolution: e.resolution,
            rate_control: RateControl {
                constant_bitrate: e.constant_bitrate,
                frame_rate_limit: e.frame_rate_limit,
                encoding_interval: None,
                bitrate_limit: e.bitrate_limit,
            },
            multicast: e.multicast,
            quality: e.quality,
        }
    }
}

impl From<Media2Encoder> for VideoEncoder {
    fn from(f: Media2Encoder) -> Self {
        VideoEncoder {
            token: f.token,
            name: f.name,
            use_count: f.use_count,
            encoding: f.encoding.map(|m| m.0),
            resolution: f.resolution,
            quality: f.quality,
            frame_rate_limit: f.rate_control.frame_rate_limit,
            bitrate_limit: f.rate_control.bitrate_limit,
            encoding_interval: None,
            gov_length: f.gov_length,
            profile: f.profile,
            constant_bitrate: f.rate_control.constant_bitrate,
            multicast: f.multicast,
            session_timeout: None,
        }
    }
}
