//! What video encoder configurations accept, per codec. Media1 answers with one element that
//! holds an element per codec (their bitrate ranges in `Extension`); Media2 with one
//! `tr2:Options` per codec, its lists in attributes. Both read into [`VideoEncoderOptions`].
//!
//! Reading is lenient: an unreadable range or resolution is left out.

use std::borrow::Cow;

use serde::Serialize;

use super::encoder::{MimeName, VideoEncoding};
use super::form::is_default;
use super::source::Resolution;
use crate::codec::{Node, Text, Xml, read_list};
use crate::error::Error;
use crate::ns::TR2;
use crate::ops::range::{FloatRange, IntRange};
use crate::xml::{Element, Writer};

/// What an encoder accepts for one codec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EncodingOptions {
    /// The codec these options are for.
    pub encoding: VideoEncoding,
    /// The quality range (the camera's own scale); `None` when not given.
    pub quality_range: Option<FloatRange>,
    /// The resolutions offered, in the camera's order.
    pub resolutions: Vec<Resolution>,
    /// Media1: a range of frame rates.
    pub frame_rate_range: Option<FloatRange>,
    /// Media2: the frame rates offered.
    pub frame_rates_supported: Vec<f64>,
    /// The group of pictures lengths accepted, in frames; `None` when not given.
    pub gov_length_range: Option<IntRange>,
    /// Media1 only.
    pub encoding_interval_range: Option<IntRange>,
    /// kbit/s (Media1 `Extension`, Media2 `BitrateRange`).
    pub bitrate_range: Option<IntRange>,
    /// Codec profiles offered (`Baseline`, `Main`, `High`, ...).
    pub profiles: Vec<String>,
    /// Media2 `ConstantBitRateSupported`.
    pub constant_bitrate_supported: Option<bool>,
}

impl EncodingOptions {
    /// Options for a codec with nothing known yet.
    pub fn new(encoding: VideoEncoding) -> Self {
        EncodingOptions {
            encoding,
            quality_range: None,
            resolutions: Vec::new(),
            frame_rate_range: None,
            frame_rates_supported: Vec::new(),
            gov_length_range: None,
            encoding_interval_range: None,
            bitrate_range: None,
            profiles: Vec::new(),
            constant_bitrate_supported: None,
        }
    }
}

/// What a video encoder configuration accepts, per codec. Its element is Media1's
/// `tt:VideoEncoderConfigurationOptions`; Media2 answers with a list of `tr2:Options` instead.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoEncoderOptions {
    /// The options of each codec offered, in the camera's order.
    pub encodings: Vec<EncodingOptions>,
}

impl VideoEncoderOptions {
    /// The options for one codec.
    pub fn get(&self, encoding: &VideoEncoding) -> Option<&EncodingOptions> {
        self.encodings.iter().find(|e| &e.encoding == encoding)
    }

    /// Read the `tr2:Options` children of a Media2 options answer, one per codec. An entry
    /// without an `Encoding` is left out.
    pub(crate) fn read_media2(parent: &Element) -> Result<Self, Error> {
        let list = read_list::<Media2Options>(Some(parent), TR2, "Options", true)?;
        Ok(VideoEncoderOptions {
            encodings: list.into_iter().map(Into::into).collect(),
        })
    }

    /// Write one `tr2:Options` per codec (Media1-only ranges are not written).
    pub(crate) fn write_media2(&self, w: &mut Writer) {
        for o in &self.encodings {
            Media2Options::from(o).write_node(w, "tr2:Options");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Media1

/// Through Media1's form: the element of each codec it knows (JPEG, MPEG4, H264). Its single
/// `QualityRange` is every codec's; `Extension/<codec>/BitrateRange` is the codec's.
impl Node for VideoEncoderOptions {
    fn read_node(el: &Element) -> Result<Self, Error> {
        let f = Media1Options::read_node(el)?;
        let ext = f.extension;
        let mut encodings = Vec::new();
        for (main, ext, enc) in [
            (f.jpeg, ext.jpeg, VideoEncoding::Jpeg),
            (f.mpeg4, ext.mpeg4, VideoEncoding::Mpeg4),
            (f.h264, ext.h264, VideoEncoding::H264),
        ] {
            let bitrate_range = ext.as_ref().and_then(|x| x.bitrate_range);
            let Some(c) = main.or(ext) else {
                continue;
            };
            let profiles = match enc {
                VideoEncoding::Mpeg4 => c.mpeg4_profiles,
                VideoEncoding::H264 => c.h264_profiles,
                _ => Vec::new(),
            };
            encodings.push(EncodingOptions {
                quality_range: f.quality_range,
                resolutions: c.resolutions,
                frame_rate_range: c.frame_rate_range,
                gov_length_range: c.gov_length_range,
                encoding_interval_range: c.encoding_interval_range,
                bitrate_range,
                profiles: profiles.into_iter().filter(|p| !p.is_empty()).collect(),
                ..EncodingOptions::new(enc)
            });
        }
        Ok(VideoEncoderOptions { encodings })
    }

    /// Codecs Media1 has no element for (H265, others) are left out; the quality range is the
    /// first codec's.
    fn write_node(&self, w: &mut Writer, tag: &str) {
        let codec = |enc: VideoEncoding, extension: bool| {
            let o = self.get(&enc)?;
            if extension && o.bitrate_range.is_none() {
                return None;
            }
            let (mpeg4_profiles, h264_profiles) = match enc {
                VideoEncoding::Mpeg4 => (o.profiles.clone(), Vec::new()),
                VideoEncoding::H264 => (Vec::new(), o.profiles.clone()),
                _ => (Vec::new(), Vec::new()),
            };
            Some(Media1Codec {
                resolutions: o.resolutions.clone(),
                gov_length_range: o.gov_length_range.filter(|_| enc != VideoEncoding::Jpeg),
                frame_rate_range: o.frame_rate_range,
                encoding_interval_range: o.encoding_interval_range,
                mpeg4_profiles,
                h264_profiles,
                bitrate_range: o.bitrate_range.filter(|_| extension),
            })
        };
        let codecs = |extension| Media1Codecs {
            jpeg: codec(VideoEncoding::Jpeg, extension),
            mpeg4: codec(VideoEncoding::Mpeg4, extension),
            h264: codec(VideoEncoding::H264, extension),
        };
        let main = codecs(false);
        Media1Options {
            quality_range: self.encodings.iter().find_map(|e| e.quality_range),
            jpeg: main.jpeg,
            mpeg4: main.mpeg4,
            h264: main.h264,
            extension: codecs(true),
        }
        .write_node(w, tag);
    }
}

/// `tt:VideoEncoderConfigurationOptions`, Media1's form of [`VideoEncoderOptions`].
#[derive(Xml)]
struct Media1Options {
    #[xml(child = "tt:QualityRange", lenient)]
    quality_range: Option<FloatRange>,
    #[xml(child = "tt:JPEG")]
    jpeg: Option<Media1Codec>,
    #[xml(child = "tt:MPEG4")]
    mpeg4: Option<Media1Codec>,
    #[xml(child = "tt:H264")]
    h264: Option<Media1Codec>,
    #[xml(child = "tt:Extension", default, skip_if = "is_default")]
    extension: Media1Codecs,
}

/// `Extension`: the codecs again, with their bitrate ranges.
#[derive(Default, PartialEq, Xml)]
struct Media1Codecs {
    #[xml(child = "tt:JPEG")]
    jpeg: Option<Media1Codec>,
    #[xml(child = "tt:MPEG4")]
    mpeg4: Option<Media1Codec>,
    #[xml(child = "tt:H264")]
    h264: Option<Media1Codec>,
}

/// One codec's options in Media1 (JPEG has no GOP or profiles; the profiles element is named
/// after the codec).
#[derive(PartialEq, Xml)]
struct Media1Codec {
    #[xml(child = "tt:ResolutionsAvailable", lenient)]
    resolutions: Vec<Resolution>,
    #[xml(child = "tt:GovLengthRange", lenient)]
    gov_length_range: Option<IntRange>,
    #[xml(child = "tt:FrameRateRange", lenient)]
    frame_rate_range: Option<FloatRange>,
    #[xml(child = "tt:EncodingIntervalRange", lenient)]
    encoding_interval_range: Option<IntRange>,
    #[xml(child = "tt:Mpeg4ProfilesSupported")]
    mpeg4_profiles: Vec<String>,
    #[xml(child = "tt:H264ProfilesSupported")]
    h264_profiles: Vec<String>,
    /// Only in the `Extension` form.
    #[xml(child = "tt:BitrateRange", lenient)]
    bitrate_range: Option<IntRange>,
}

// ---------------------------------------------------------------------------------------------
// Media2

/// `tr2:Options`, Media2's form of one codec's [`EncodingOptions`].
#[derive(Xml)]
struct Media2Options {
    #[xml(attr = "GovLengthRange", lenient)]
    gov_length_range: Option<SpacedPair>,
    #[xml(attr = "FrameRatesSupported")]
    frame_rates_supported: Option<Spaced<f64>>,
    #[xml(attr = "ProfilesSupported")]
    profiles: Option<Spaced<String>>,
    #[xml(attr = "ConstantBitRateSupported", lenient)]
    constant_bitrate_supported: Option<bool>,
    #[xml(child = "tt:Encoding")]
    encoding: MimeName,
    #[xml(child = "tt:QualityRange", lenient)]
    quality_range: Option<FloatRange>,
    #[xml(child = "tt:ResolutionsAvailable", lenient)]
    resolutions: Vec<Resolution>,
    #[xml(child = "tt:BitrateRange", lenient)]
    bitrate_range: Option<IntRange>,
}

impl From<&EncodingOptions> for Media2Options {
    fn from(o: &EncodingOptions) -> Self {
        Media2Options {
            gov_length_range: o.gov_length_range.map(SpacedPair),
            frame_rates_supported: (!o.frame_rates_supported.is_empty())
                .then(|| Spaced(o.frame_rates_supported.clone())),
            profiles: (!o.profiles.is_empty()).then(|| Spaced(o.profiles.clone())),
            constant_bitrate_supported: o.constant_bitrate_supported,
            encoding: MimeName(o.encoding.clone()),
            quality_range: o.quality_range,
            resolutions: o.resolutions.clone(),
            bitrate_range: o.bitrate_range,
        }
    }
}

impl From<Media2Options> for EncodingOptions {
    fn from(f: Media2Options) -> Self {
        EncodingOptions {
            quality_range: f.quality_range,
            resolutions: f.resolutions,
            frame_rates_supported: f.frame_rates_supported.map(|s| s.0).unwrap_or_default(),
            gov_length_range: f.gov_length_range.map(|p| p.0),
            bitrate_range: f.bitrate_range,
            profiles: f.profiles.map(|s| s.0).unwrap_or_default(),
            constant_bitrate_supported: f.constant_bitrate_supported,
            ..EncodingOptions::new(f.encoding.0)
        }
    }
}

/// A space-separated list attribute (`25 12.5`); words that do not read are left out.
struct Spaced<T>(Vec<T>);

impl<T: Text> Text for Spaced<T> {
    const EXPECTED: &'static str = "a list";
    fn from_text(s: &str) -> Option<Self> {
        Some(Spaced(
            s.split_whitespace().filter_map(T::from_text).collect(),
        ))
    }
    fn to_text(&self) -> Cow<'_, str> {
        let words: Vec<_> = self.0.iter().map(Text::to_text).collect();
        Cow::Owned(words.join(" "))
    }
}

/// A range written as one attribute, `min max` (`tt:IntList` of two).
struct SpacedPair(IntRange);

impl Text for SpacedPair {
    const EXPECTED: &'static str = "two numbers";
    fn from_text(s: &str) -> Option<Self> {
        let mut it = s.split_whitespace().map(i32::from_text);
        match (it.next(), it.next()) {
            (Some(Some(min)), Some(Some(max))) => Some(SpacedPair(IntRange { min, max })),
            _ => None,
        }
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(format!("{} {}", self.0.min, self.0.max))
    }
}
