//! The media model shared by Media (ver10) and Media2 (ver20): one profile, encoder, source,
//! options and URI type whichever service answered.
//!
//! Reading is lenient, because cameras omit and garble optional fields: a value that is absent
//! or cannot be read is recorded as `None` (or left out of a list), never an error. Only what
//! identifies a thing is required (a profile's `token`). Writing follows the schema order of the
//! service being written, so the simulator's answers and the client's requests are valid.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::error::Error;
use crate::ns::{TR2, TT};
use crate::ops::imaging::ImagingSettings;
use crate::ops::{opt_text, parse_bool};
use crate::xml::{Element, Writer};

// ---------------------------------------------------------------------------------------------
// Lenient value helpers (shared with media, media2 and imaging)

/// A number as cameras write it: surrounding space ignored, integers also accepted when written
/// with a zero fraction (`20.0`), floats must be finite.
pub(crate) trait Num: Sized + Copy + fmt::Display {
    fn parse_text(s: &str) -> Option<Self>;
}

impl Num for f64 {
    fn parse_text(s: &str) -> Option<f64> {
        s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
    }
}

fn int_text(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let f: f64 = s.parse().ok()?;
    // Integral and well inside i64: the cast is exact.
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

macro_rules! int_num {
    ($($t:ty),*) => {$(
        impl Num for $t {
            fn parse_text(s: &str) -> Option<$t> {
                int_text(s).and_then(|v| <$t>::try_from(v).ok())
            }
        }
    )*};
}
int_num!(u16, u32, i32);

/// Child `{ns}name` as a number; `None` when absent, empty or unreadable.
pub(crate) fn num<T: Num>(el: &Element, ns: &str, name: &str) -> Option<T> {
    el.child_text(ns, name).and_then(T::parse_text)
}

/// Child `{ns}name` as a number; absent is `None`, present but unreadable is an error (for
/// requests the simulator acts on, where dropping a value silently would be wrong).
pub(crate) fn num_strict<T: Num>(el: &Element, ns: &str, name: &str) -> Result<Option<T>, Error> {
    match el.child_text(ns, name) {
        None => Ok(None),
        Some(t) => T::parse_text(t)
            .map(Some)
            .ok_or_else(|| Error::invalid(format!("{}/{name}", el.name), t, "not a number")),
    }
}

/// Attribute `name` as a number, leniently.
pub(crate) fn attr_num<T: Num>(el: &Element, name: &str) -> Option<T> {
    el.attr(name).and_then(T::parse_text)
}

/// Child `{ns}name` as xs:boolean, leniently.
pub(crate) fn opt_bool(el: &Element, ns: &str, name: &str) -> Option<bool> {
    el.child_text(ns, name)
        .and_then(|v| parse_bool(name, v).ok())
}

/// Attribute `name` as xs:boolean, leniently.
pub(crate) fn attr_bool(el: &Element, name: &str) -> Option<bool> {
    el.attr(name).and_then(|v| parse_bool(name, v).ok())
}

/// `<tag>n</tag>` when a value is present.
pub(crate) fn leaf_num<T: fmt::Display>(w: &mut Writer, tag: &str, v: Option<T>) {
    if let Some(v) = v {
        w.leaf(tag, &v.to_string());
    }
}

pub(crate) fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Declare an enumeration written as fixed strings in XML and JSON, read ignoring case.
macro_rules! xml_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $var),+
        }

        impl $name {
            /// The value as the schema spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$var => $text),+
                }
            }

            /// Read a value, ignoring case and surrounding space.
            pub fn parse(v: &str) -> Option<Self> {
                let v = v.trim();
                $(if v.eq_ignore_ascii_case($text) {
                    return Some($name::$var);
                })+
                None
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use xml_enum;

/// Declare a request whose only content is one required token element.
macro_rules! token_request {
    ($(#[$m:meta])* $ty:ident, $ns:expr, $prefix:literal, $name:literal, $field:ident = $elem:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
        pub struct $ty {
            #[doc = concat!("`", $elem, "`.")]
            pub $field: String,
        }

        impl $crate::ops::Message for $ty {
            fn write(&self, w: &mut $crate::xml::Writer) {
                w.open(concat!($prefix, ":", $name), &[])
                    .leaf(concat!($prefix, ":", $elem), &self.$field)
                    .close(concat!($prefix, ":", $name));
            }

            fn read(el: &$crate::xml::Element) -> Result<Self, $crate::Error> {
                $crate::ops::expect(el, $ns, $name)?;
                Ok($ty {
                    $field: $crate::ops::req_text(el, $ns, $elem)?.to_owned(),
                })
            }
        }
    };
}
pub(crate) use token_request;

/// Declare a configuration query: optional `ConfigurationToken` and `ProfileToken`.
macro_rules! config_query {
    ($(#[$m:meta])* $ty:ident, $ns:expr, $prefix:literal, $name:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
        pub struct $ty {
            /// Only this configuration (`ConfigurationToken`).
            pub configuration_token: Option<String>,
            /// Only configurations usable with this profile (`ProfileToken`).
            pub profile_token: Option<String>,
        }

        impl $crate::ops::Message for $ty {
            fn write(&self, w: &mut $crate::xml::Writer) {
                w.open(concat!($prefix, ":", $name), &[]);
                w.leaf_opt(
                    concat!($prefix, ":ConfigurationToken"),
                    self.configuration_token.as_deref(),
                );
                w.leaf_opt(concat!($prefix, ":ProfileToken"), self.profile_token.as_deref());
                w.close(concat!($prefix, ":", $name));
            }

            fn read(el: &$crate::xml::Element) -> Result<Self, $crate::Error> {
                $crate::ops::expect(el, $ns, $name)?;
                Ok($ty {
                    configuration_token: $crate::ops::opt_text(el, $ns, "ConfigurationToken"),
                    profile_token: $crate::ops::opt_text(el, $ns, "ProfileToken"),
                })
            }
        }
    };
}
pub(crate) use config_query;

// ---------------------------------------------------------------------------------------------
// Small value types

/// Which media service a value was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaVersion {
    /// Media, ver10 (`trt:`).
    Media1,
    /// Media2, ver20 (`tr2:`).
    Media2,
}

/// A video codec. Media1 names them `H264`/`JPEG`/`MPEG4` (and cameras add `H265`); Media2
/// uses MIME names (`H264`, `H265`, `JPEG`, `MPV4-ES`). Both read to the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VideoEncoding {
    H264,
    H265,
    Jpeg,
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

    fn read(el: &Element) -> Option<VideoEncoding> {
        opt_text(el, TT, "Encoding").map(|e| VideoEncoding::parse(&e))
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

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Resolution {
    pub width: u32,
    pub height: u32,
}

impl Resolution {
    /// Read `Width`/`Height` children; `None` unless both are numbers.
    pub fn read(el: &Element) -> Option<Resolution> {
        Some(Resolution {
            width: num(el, TT, "Width")?,
            height: num(el, TT, "Height")?,
        })
    }

    /// Write `<tag><tt:Width/><tt:Height/></tag>`.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[])
            .leaf("tt:Width", &self.width.to_string())
            .leaf("tt:Height", &self.height.to_string())
            .close(tag);
    }
}

/// A rectangle in a video source (`tt:IntRectangle`, attributes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bounds {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl Bounds {
    fn read(el: &Element) -> Option<Bounds> {
        Some(Bounds {
            x: attr_num(el, "x")?,
            y: attr_num(el, "y")?,
            width: attr_num(el, "width")?,
            height: attr_num(el, "height")?,
        })
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.empty(
            tag,
            &[
                ("x", &self.x.to_string()),
                ("y", &self.y.to_string()),
                ("width", &self.width.to_string()),
                ("height", &self.height.to_string()),
            ],
        );
    }
}

/// An inclusive range of floats (`Min`/`Max` children).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FloatRange {
    pub min: f64,
    pub max: f64,
}

/// An inclusive range of integers (`Min`/`Max` children).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IntRange {
    pub min: i32,
    pub max: i32,
}

/// A range, read from an element with `Min`/`Max` children.
pub(crate) trait Range: Sized {
    /// Read the element itself; `None` unless both bounds are numbers.
    fn read(el: &Element) -> Option<Self>;
    /// Write `<tag><tt:Min/><tt:Max/></tag>`.
    fn write(&self, w: &mut Writer, tag: &str);
}

macro_rules! range_impl {
    ($ty:ident, $t:ty) => {
        impl Range for $ty {
            fn read(el: &Element) -> Option<Self> {
                Some($ty {
                    min: num::<$t>(el, TT, "Min")?,
                    max: num::<$t>(el, TT, "Max")?,
                })
            }

            fn write(&self, w: &mut Writer, tag: &str) {
                w.open(tag, &[])
                    .leaf("tt:Min", &self.min.to_string())
                    .leaf("tt:Max", &self.max.to_string())
                    .close(tag);
            }
        }
    };
}
range_impl!(FloatRange, f64);
range_impl!(IntRange, i32);

/// Child `{tt}name` read as a range.
pub(crate) fn child_range<R: Range>(el: &Element, name: &str) -> Option<R> {
    el.child(TT, name).and_then(R::read)
}

/// Write a range when present.
pub(crate) fn write_range<R: Range>(w: &mut Writer, tag: &str, r: Option<&R>) {
    if let Some(r) = r {
        r.write(w, tag);
    }
}

// ---------------------------------------------------------------------------------------------
// URIs

/// A stream or snapshot address. Media1 sends all four fields; Media2 only the URI (the others
/// are then absent: the camera said nothing about them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MediaUri {
    pub uri: String,
    /// The URI stops working once a client has connected to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_after_connect: Option<bool>,
    /// The URI stops working after a reboot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_after_reboot: Option<bool>,
    /// How long the URI stays valid (xs:duration as sent, e.g. `PT60S`; `PT0S` is forever).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

impl MediaUri {
    /// Read a Media1 `MediaUri` element (`tt:` children). The URI is required.
    pub fn read_media1(el: &Element) -> Result<MediaUri, Error> {
        let uri = el
            .child_text(TT, "Uri")
            .ok_or_else(|| Error::missing("MediaUri/Uri"))?;
        Ok(MediaUri {
            uri: uri.to_owned(),
            invalid_after_connect: opt_bool(el, TT, "InvalidAfterConnect"),
            invalid_after_reboot: opt_bool(el, TT, "InvalidAfterReboot"),
            timeout: opt_text(el, TT, "Timeout"),
        })
    }

    /// Write a Media1 `MediaUri` element.
    pub fn write_media1(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        w.leaf("tt:Uri", &self.uri);
        // Required by the Media1 schema: what was not said is written as false.
        w.leaf(
            "tt:InvalidAfterConnect",
            bool_str(self.invalid_after_connect.unwrap_or(false)),
        );
        w.leaf(
            "tt:InvalidAfterReboot",
            bool_str(self.invalid_after_reboot.unwrap_or(false)),
        );
        w.leaf("tt:Timeout", self.timeout.as_deref().unwrap_or("PT0S"));
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Configurations

/// Multicast settings of an encoder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Multicast {
    /// IPv4 or IPv6 group address.
    pub address: Option<String>,
    pub port: Option<u16>,
    pub ttl: Option<u32>,
    pub auto_start: Option<bool>,
}

impl Multicast {
    fn read(el: &Element) -> Multicast {
        Multicast {
            address: el.child(TT, "Address").and_then(|a| {
                opt_text(a, TT, "IPv4Address").or_else(|| opt_text(a, TT, "IPv6Address"))
            }),
            port: num(el, TT, "Port"),
            ttl: num(el, TT, "TTL"),
            auto_start: opt_bool(el, TT, "AutoStart"),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.open("tt:Multicast", &[]);
        w.open("tt:Address", &[]);
        match &self.address {
            Some(a) if a.contains(':') => {
                w.leaf("tt:Type", "IPv6").leaf("tt:IPv6Address", a);
            }
            Some(a) => {
                w.leaf("tt:Type", "IPv4").leaf("tt:IPv4Address", a);
            }
            None => {
                w.leaf("tt:Type", "IPv4");
            }
        }
        w.close("tt:Address");
        w.leaf("tt:Port", &self.port.unwrap_or(0).to_string());
        w.leaf("tt:TTL", &self.ttl.unwrap_or(0).to_string());
        w.leaf("tt:AutoStart", bool_str(self.auto_start.unwrap_or(false)));
        w.close("tt:Multicast");
    }
}

/// A video source configuration: which source, and the part of it used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VideoSourceConfig {
    pub token: String,
    pub name: Option<String>,
    pub use_count: Option<u32>,
    /// The physical video source (`VideoSources` token).
    pub source_token: Option<String>,
    pub bounds: Option<Bounds>,
}

impl VideoSourceConfig {
    /// Read a `tt:VideoSourceConfiguration` under any element name (the same type serves both
    /// services). A missing token reads as empty.
    pub fn read(el: &Element) -> VideoSourceConfig {
        VideoSourceConfig {
            token: el.attr("token").unwrap_or_default().to_owned(),
            name: opt_text(el, TT, "Name"),
            use_count: num(el, TT, "UseCount"),
            source_token: opt_text(el, TT, "SourceToken"),
            bounds: el.child(TT, "Bounds").and_then(Bounds::read),
        }
    }

    /// Write it as `tag`.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", &self.use_count.unwrap_or(1).to_string());
        w.leaf_opt("tt:SourceToken", self.source_token.as_deref());
        if let Some(b) = &self.bounds {
            b.write(w, "tt:Bounds");
        }
        w.close(tag);
    }
}

/// A video encoder configuration, from either service.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoEncoder {
    pub token: String,
    pub name: Option<String>,
    pub use_count: Option<u32>,
    pub encoding: Option<VideoEncoding>,
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
    pub multicast: Option<Multicast>,
    /// Media1 RTSP session timeout (xs:duration as sent).
    pub session_timeout: Option<String>,
}

impl VideoEncoder {
    /// Read a Media1 `tt:VideoEncoderConfiguration` under any element name.
    pub fn read_media1(el: &Element) -> VideoEncoder {
        let encoding = VideoEncoding::read(el);
        let rc = el.child(TT, "RateControl");
        // Codec settings sit in an element named after the codec. H265 has none in the Media1
        // schema; some cameras add `tt:H265` anyway, which is read when present.
        let codec = match &encoding {
            Some(VideoEncoding::H264) => el.child(TT, "H264"),
            Some(VideoEncoding::Mpeg4) => el.child(TT, "MPEG4"),
            Some(VideoEncoding::H265) => el.child(TT, "H265"),
            _ => None,
        };
        VideoEncoder {
            token: el.attr("token").unwrap_or_default().to_owned(),
            name: opt_text(el, TT, "Name"),
            use_count: num(el, TT, "UseCount"),
            resolution: el.child(TT, "Resolution").and_then(Resolution::read),
            quality: num(el, TT, "Quality"),
            frame_rate_limit: rc.and_then(|r| num(r, TT, "FrameRateLimit")),
            bitrate_limit: rc.and_then(|r| num(r, TT, "BitrateLimit")),
            encoding_interval: rc.and_then(|r| num(r, TT, "EncodingInterval")),
            gov_length: codec.and_then(|c| num(c, TT, "GovLength")),
            profile: codec.and_then(|c| {
                ["H264Profile", "Mpeg4Profile", "H265Profile"]
                    .iter()
                    .find_map(|n| opt_text(c, TT, n))
            }),
            constant_bitrate: rc.and_then(|r| attr_bool(r, "ConstantBitRate")),
            multicast: el.child(TT, "Multicast").map(Multicast::read),
            session_timeout: opt_text(el, TT, "SessionTimeout"),
            encoding,
        }
    }

    /// Write as a Media1 `tt:VideoEncoderConfiguration` named `tag`. Codec settings Media1
    /// has no element for (H265) are not written.
    pub fn write_media1(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", &self.use_count.unwrap_or(1).to_string());
        if let Some(e) = &self.encoding {
            w.leaf("tt:Encoding", e.media1_name());
        }
        if let Some(r) = &self.resolution {
            r.write(w, "tt:Resolution");
        }
        leaf_num(w, "tt:Quality", self.quality);
        // `ConstantBitRate` came to Media1's RateControl later (an optional attribute): it is
        // written when known, as cameras send it.
        if self.frame_rate_limit.is_some()
            || self.encoding_interval.is_some()
            || self.bitrate_limit.is_some()
            || self.constant_bitrate.is_some()
        {
            let cbr = self.constant_bitrate.map(bool_str);
            let attrs: Vec<(&str, &str)> =
                cbr.map(|c| ("ConstantBitRate", c)).into_iter().collect();
            w.open("tt:RateControl", &attrs);
            leaf_num(w, "tt:FrameRateLimit", self.frame_rate_limit);
            leaf_num(w, "tt:EncodingInterval", self.encoding_interval);
            leaf_num(w, "tt:BitrateLimit", self.bitrate_limit);
            w.close("tt:RateControl");
        }
        let codec = match self.encoding {
            Some(VideoEncoding::H264) => Some(("tt:H264", "tt:H264Profile")),
            Some(VideoEncoding::Mpeg4) => Some(("tt:MPEG4", "tt:Mpeg4Profile")),
            _ => None,
        };
        if let Some((ctag, ptag)) = codec
            && (self.gov_length.is_some() || self.profile.is_some())
        {
            w.open(ctag, &[]);
            leaf_num(w, "tt:GovLength", self.gov_length);
            w.leaf_opt(ptag, self.profile.as_deref());
            w.close(ctag);
        }
        if let Some(m) = &self.multicast {
            m.write(w);
        }
        w.leaf_opt("tt:SessionTimeout", self.session_timeout.as_deref());
        w.close(tag);
    }

    /// Read a Media2 `tt:VideoEncoder2Configuration` under any element name.
    pub fn read_media2(el: &Element) -> VideoEncoder {
        let rc = el.child(TT, "RateControl");
        VideoEncoder {
            token: el.attr("token").unwrap_or_default().to_owned(),
            name: opt_text(el, TT, "Name"),
            use_count: num(el, TT, "UseCount"),
            encoding: VideoEncoding::read(el),
            resolution: el.child(TT, "Resolution").and_then(Resolution::read),
            quality: num(el, TT, "Quality"),
            frame_rate_limit: rc.and_then(|r| num(r, TT, "FrameRateLimit")),
            bitrate_limit: rc.and_then(|r| num(r, TT, "BitrateLimit")),
            encoding_interval: None,
            gov_length: attr_num(el, "GovLength"),
            profile: el
                .attr("Profile")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
            constant_bitrate: rc.and_then(|r| attr_bool(r, "ConstantBitRate")),
            multicast: el.child(TT, "Multicast").map(Multicast::read),
            session_timeout: None,
        }
    }

    /// Write as a Media2 `tt:VideoEncoder2Configuration` named `tag`. Media1-only fields
    /// (encoding interval, session timeout) are not written.
    pub fn write_media2(&self, w: &mut Writer, tag: &str) {
        let gov = self.gov_length.map(|g| g.to_string());
        let mut attrs: Vec<(&str, &str)> = vec![("token", &self.token)];
        if let Some(g) = &gov {
            attrs.push(("GovLength", g));
        }
        if let Some(p) = &self.profile {
            attrs.push(("Profile", p));
        }
        w.open(tag, &attrs);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", &self.use_count.unwrap_or(1).to_string());
        if let Some(e) = &self.encoding {
            w.leaf("tt:Encoding", e.media2_name());
        }
        if let Some(r) = &self.resolution {
            r.write(w, "tt:Resolution");
        }
        if self.frame_rate_limit.is_some()
            || self.bitrate_limit.is_some()
            || self.constant_bitrate.is_some()
        {
            let cbr = self.constant_bitrate.map(bool_str);
            let attrs: Vec<(&str, &str)> =
                cbr.map(|c| ("ConstantBitRate", c)).into_iter().collect();
            w.open("tt:RateControl", &attrs);
            leaf_num(w, "tt:FrameRateLimit", self.frame_rate_limit);
            leaf_num(w, "tt:BitrateLimit", self.bitrate_limit);
            w.close("tt:RateControl");
        }
        if let Some(m) = &self.multicast {
            m.write(w);
        }
        leaf_num(w, "tt:Quality", self.quality);
        w.close(tag);
    }
}

/// An audio source configuration (minimal).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AudioSourceConfig {
    pub token: String,
    pub name: Option<String>,
    pub source_token: Option<String>,
}

impl AudioSourceConfig {
    fn read(el: &Element) -> AudioSourceConfig {
        AudioSourceConfig {
            token: el.attr("token").unwrap_or_default().to_owned(),
            name: opt_text(el, TT, "Name"),
            source_token: opt_text(el, TT, "SourceToken"),
        }
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", "1");
        w.leaf_opt("tt:SourceToken", self.source_token.as_deref());
        w.close(tag);
    }
}

/// An audio encoder configuration (minimal).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AudioEncoder {
    pub token: String,
    pub name: Option<String>,
    /// As sent: `G711`/`G726`/`AAC` (Media1) or `PCMU`/`G726`/`MP4A-LATM`/... (Media2).
    pub encoding: Option<String>,
    /// kbit/s.
    pub bitrate: Option<u32>,
    /// kHz.
    pub sample_rate: Option<u32>,
}

impl AudioEncoder {
    fn read(el: &Element) -> AudioEncoder {
        AudioEncoder {
            token: el.attr("token").unwrap_or_default().to_owned(),
            name: opt_text(el, TT, "Name"),
            encoding: opt_text(el, TT, "Encoding"),
            bitrate: num(el, TT, "Bitrate"),
            sample_rate: num(el, TT, "SampleRate"),
        }
    }

    fn write(&self, w: &mut Writer, tag: &str, version: MediaVersion) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", "1");
        w.leaf_opt("tt:Encoding", self.encoding.as_deref());
        if version == MediaVersion::Media2 {
            Multicast::default().write(w);
        }
        leaf_num(w, "tt:Bitrate", self.bitrate);
        leaf_num(w, "tt:SampleRate", self.sample_rate);
        if version == MediaVersion::Media1 {
            Multicast::default().write(w);
            w.leaf("tt:SessionTimeout", "PT60S");
        }
        w.close(tag);
    }
}

/// The PTZ configuration a profile uses (minimal: see the PTZ service for the rest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PtzConfigRef {
    pub token: String,
    pub name: Option<String>,
    /// The PTZ node it drives.
    pub node_token: Option<String>,
}

impl PtzConfigRef {
    fn read(el: &Element) -> PtzConfigRef {
        PtzConfigRef {
            token: el.attr("token").unwrap_or_default().to_owned(),
            name: opt_text(el, TT, "Name"),
            node_token: opt_text(el, TT, "NodeToken"),
        }
    }

    fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", "1");
        w.leaf_opt("tt:NodeToken", self.node_token.as_deref());
        w.close(tag);
    }
}

/// A metadata stream configuration: what the camera puts in its metadata RTP stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MetadataConfig {
    pub token: String,
    pub name: Option<String>,
    pub use_count: Option<u32>,
    /// `PTZStatus/Status`: PTZ move status is included.
    pub ptz_status: Option<bool>,
    /// `PTZStatus/Position`: PTZ position is included.
    pub ptz_position: Option<bool>,
    /// Events are included (an `Events` element is present; its filter is not read).
    pub events: bool,
    /// Analytics output is included.
    pub analytics: Option<bool>,
    pub multicast: Option<Multicast>,
    /// RTSP session timeout (xs:duration as sent).
    pub session_timeout: Option<String>,
}

impl MetadataConfig {
    /// Read a `tt:MetadataConfiguration` under any element name (both services use it).
    pub fn read(el: &Element) -> MetadataConfig {
        let ptz = el.child(TT, "PTZStatus");
        MetadataConfig {
            token: el.attr("token").unwrap_or_default().to_owned(),
            name: opt_text(el, TT, "Name"),
            use_count: num(el, TT, "UseCount"),
            ptz_status: ptz.and_then(|p| opt_bool(p, TT, "Status")),
            ptz_position: ptz.and_then(|p| opt_bool(p, TT, "Position")),
            events: el.child(TT, "Events").is_some(),
            analytics: opt_bool(el, TT, "Analytics"),
            multicast: el.child(TT, "Multicast").map(Multicast::read),
            session_timeout: opt_text(el, TT, "SessionTimeout"),
        }
    }

    /// Write it as `tag`, in schema order.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        w.leaf("tt:Name", self.name.as_deref().unwrap_or(&self.token));
        w.leaf("tt:UseCount", &self.use_count.unwrap_or(1).to_string());
        if self.ptz_status.is_some() || self.ptz_position.is_some() {
            // Both are required inside PTZStatus: an unknown one is written as false.
            w.open("tt:PTZStatus", &[])
                .leaf("tt:Status", bool_str(self.ptz_status.unwrap_or(false)))
                .leaf("tt:Position", bool_str(self.ptz_position.unwrap_or(false)))
                .close("tt:PTZStatus");
        }
        if self.events {
            w.empty("tt:Events", &[]);
        }
        if let Some(a) = self.analytics {
            w.leaf("tt:Analytics", bool_str(a));
        }
        if let Some(m) = &self.multicast {
            m.write(w);
        }
        w.leaf_opt("tt:SessionTimeout", self.session_timeout.as_deref());
        w.close(tag);
    }
}

/// A physical audio input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AudioSource {
    pub token: String,
    /// 1 for mono, 2 for stereo.
    pub channels: Option<u32>,
}

impl AudioSource {
    /// Read a `tt:AudioSource` under any element name. A missing token reads as empty.
    pub fn read(el: &Element) -> AudioSource {
        AudioSource {
            token: el.attr("token").unwrap_or_default().to_owned(),
            channels: num(el, TT, "Channels"),
        }
    }

    /// Write it as `tag`.
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        leaf_num(w, "tt:Channels", self.channels);
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Profiles

/// A media profile, the same shape whether Media1 or Media2 described it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaProfile {
    pub token: String,
    pub name: String,
    /// The profile cannot be deleted.
    pub fixed: bool,
    /// The service that described it.
    pub source: MediaVersion,
    pub video_source: Option<VideoSourceConfig>,
    pub audio_source: Option<AudioSourceConfig>,
    pub video_encoder: Option<VideoEncoder>,
    pub audio_encoder: Option<AudioEncoder>,
    pub ptz: Option<PtzConfigRef>,
    pub metadata: Option<MetadataConfig>,
}

impl MediaProfile {
    /// An empty profile (no configurations).
    pub fn new(token: impl Into<String>, name: impl Into<String>, source: MediaVersion) -> Self {
        MediaProfile {
            token: token.into(),
            name: name.into(),
            fixed: false,
            source,
            video_source: None,
            audio_source: None,
            video_encoder: None,
            audio_encoder: None,
            ptz: None,
            metadata: None,
        }
    }

    fn header(el: &Element, name_ns: &str, source: MediaVersion) -> Result<MediaProfile, Error> {
        let token = el
            .attr("token")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::missing(format!("{}/@token", el.name)))?;
        let mut p = MediaProfile::new(
            token,
            el.child_text(name_ns, "Name").unwrap_or_default(),
            source,
        );
        p.fixed = attr_bool(el, "fixed").unwrap_or(false);
        Ok(p)
    }

    /// Read a Media1 `tt:Profile` (as `trt:Profiles` or `trt:Profile`).
    pub fn read_media1(el: &Element) -> Result<MediaProfile, Error> {
        let mut p = MediaProfile::header(el, TT, MediaVersion::Media1)?;
        p.video_source = el
            .child(TT, "VideoSourceConfiguration")
            .map(VideoSourceConfig::read);
        p.audio_source = el
            .child(TT, "AudioSourceConfiguration")
            .map(AudioSourceConfig::read);
        p.video_encoder = el
            .child(TT, "VideoEncoderConfiguration")
            .map(VideoEncoder::read_media1);
        p.audio_encoder = el
            .child(TT, "AudioEncoderConfiguration")
            .map(AudioEncoder::read);
        p.ptz = el.child(TT, "PTZConfiguration").map(PtzConfigRef::read);
        p.metadata = el
            .child(TT, "MetadataConfiguration")
            .map(MetadataConfig::read);
        Ok(p)
    }

    /// Write as a Media1 `tt:Profile` named `tag`.
    pub fn write_media1(&self, w: &mut Writer, tag: &str) {
        let mut attrs: Vec<(&str, &str)> = vec![("token", &self.token)];
        if self.fixed {
            attrs.push(("fixed", "true"));
        }
        w.open(tag, &attrs);
        w.leaf("tt:Name", &self.name);
        if let Some(c) = &self.video_source {
            c.write(w, "tt:VideoSourceConfiguration");
        }
        if let Some(c) = &self.audio_source {
            c.write(w, "tt:AudioSourceConfiguration");
        }
        if let Some(c) = &self.video_encoder {
            c.write_media1(w, "tt:VideoEncoderConfiguration");
        }
        if let Some(c) = &self.audio_encoder {
            c.write(w, "tt:AudioEncoderConfiguration", MediaVersion::Media1);
        }
        if let Some(c) = &self.ptz {
            c.write(w, "tt:PTZConfiguration");
        }
        if let Some(c) = &self.metadata {
            c.write(w, "tt:MetadataConfiguration");
        }
        w.close(tag);
    }

    /// Read a Media2 `tr2:MediaProfile` (as `tr2:Profiles`).
    pub fn read_media2(el: &Element) -> Result<MediaProfile, Error> {
        let mut p = MediaProfile::header(el, TR2, MediaVersion::Media2)?;
        if let Some(c) = el.child(TR2, "Configurations") {
            p.video_source = c.child(TR2, "VideoSource").map(VideoSourceConfig::read);
            p.audio_source = c.child(TR2, "AudioSource").map(AudioSourceConfig::read);
            p.video_encoder = c.child(TR2, "VideoEncoder").map(VideoEncoder::read_media2);
            p.audio_encoder = c.child(TR2, "AudioEncoder").map(AudioEncoder::read);
            p.ptz = c.child(TR2, "PTZ").map(PtzConfigRef::read);
            p.metadata = c.child(TR2, "Metadata").map(MetadataConfig::read);
        }
        Ok(p)
    }

    /// Write as a Media2 `tr2:MediaProfile` named `tag`.
    pub fn write_media2(&self, w: &mut Writer, tag: &str) {
        let mut attrs: Vec<(&str, &str)> = vec![("token", &self.token)];
        if self.fixed {
            attrs.push(("fixed", "true"));
        }
        w.open(tag, &attrs);
        w.leaf("tr2:Name", &self.name);
        w.open("tr2:Configurations", &[]);
        if let Some(c) = &self.video_source {
            c.write(w, "tr2:VideoSource");
        }
        if let Some(c) = &self.audio_source {
            c.write(w, "tr2:AudioSource");
        }
        if let Some(c) = &self.video_encoder {
            c.write_media2(w, "tr2:VideoEncoder");
        }
        if let Some(c) = &self.audio_encoder {
            c.write(w, "tr2:AudioEncoder", MediaVersion::Media2);
        }
        if let Some(c) = &self.ptz {
            c.write(w, "tr2:PTZ");
        }
        if let Some(c) = &self.metadata {
            c.write(w, "tr2:Metadata");
        }
        w.close("tr2:Configurations");
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Video sources

/// A physical video input.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoSource {
    pub token: String,
    /// Frames per second.
    pub framerate: Option<f64>,
    pub resolution: Option<Resolution>,
    /// Imaging settings, when the camera includes them (`Imaging` or `Extension/Imaging`).
    pub imaging: Option<ImagingSettings>,
}

impl VideoSource {
    /// Read a `tt:VideoSource` under any element name. A missing token reads as empty.
    pub fn read(el: &Element) -> VideoSource {
        let imaging = el
            .child(TT, "Imaging")
            .or_else(|| {
                el.child(TT, "Extension")
                    .and_then(|x| x.child(TT, "Imaging"))
            })
            .map(ImagingSettings::read_lenient);
        VideoSource {
            token: el.attr("token").unwrap_or_default().to_owned(),
            framerate: num(el, TT, "Framerate"),
            resolution: el.child(TT, "Resolution").and_then(Resolution::read),
            imaging,
        }
    }

    /// Write as `tag`; imaging settings go in `Extension/Imaging` (the ver20 form, whose
    /// fields are all optional).
    pub fn write(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[("token", &self.token)]);
        leaf_num(w, "tt:Framerate", self.framerate);
        if let Some(r) = &self.resolution {
            r.write(w, "tt:Resolution");
        }
        if let Some(i) = &self.imaging {
            w.open("tt:Extension", &[]);
            i.write(w, "tt:Imaging");
            w.close("tt:Extension");
        }
        w.close(tag);
    }
}

// ---------------------------------------------------------------------------------------------
// Encoder options

/// What an encoder accepts for one codec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EncodingOptions {
    pub encoding: VideoEncoding,
    pub quality_range: Option<FloatRange>,
    pub resolutions: Vec<Resolution>,
    /// Media1: a range of frame rates.
    pub frame_rate_range: Option<FloatRange>,
    /// Media2: the frame rates offered.
    pub frame_rates_supported: Vec<f64>,
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

/// What a video encoder configuration accepts, per codec.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoEncoderOptions {
    pub encodings: Vec<EncodingOptions>,
}

/// The Media1 codec elements in schema order: element, codec, profiles element.
const MEDIA1_CODECS: [(&str, VideoEncoding, Option<&str>); 3] = [
    ("JPEG", VideoEncoding::Jpeg, None),
    (
        "MPEG4",
        VideoEncoding::Mpeg4,
        Some("Mpeg4ProfilesSupported"),
    ),
    ("H264", VideoEncoding::H264, Some("H264ProfilesSupported")),
];

fn texts(el: &Element, ns: &str, name: &str) -> Vec<String> {
    el.children_named(ns, name)
        .map(|e| e.text().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

impl VideoEncoderOptions {
    /// The options for one codec.
    pub fn get(&self, encoding: &VideoEncoding) -> Option<&EncodingOptions> {
        self.encodings.iter().find(|e| &e.encoding == encoding)
    }

    /// Read a Media1 `tt:VideoEncoderConfigurationOptions`. Its single `QualityRange` is
    /// copied to every codec; `Extension/<codec>/BitrateRange` is read into the codec.
    pub fn read_media1(el: &Element) -> VideoEncoderOptions {
        let quality = child_range::<FloatRange>(el, "QualityRange");
        let ext = el.child(TT, "Extension");
        let mut encodings = Vec::new();
        for (tag, enc, prof) in MEDIA1_CODECS {
            let ext_codec = ext.and_then(|x| x.child(TT, tag));
            let Some(c) = el.child(TT, tag).or(ext_codec) else {
                continue;
            };
            let mut o = EncodingOptions::new(enc);
            o.quality_range = quality;
            o.resolutions = c
                .children_named(TT, "ResolutionsAvailable")
                .filter_map(Resolution::read)
                .collect();
            o.frame_rate_range = child_range(c, "FrameRateRange");
            o.gov_length_range = child_range(c, "GovLengthRange");
            o.encoding_interval_range = child_range(c, "EncodingIntervalRange");
            o.bitrate_range = ext_codec.and_then(|x| child_range(x, "BitrateRange"));
            o.profiles = prof.map(|p| texts(c, TT, p)).unwrap_or_default();
            encodings.push(o);
        }
        VideoEncoderOptions { encodings }
    }

    /// Write as a Media1 `tt:VideoEncoderConfigurationOptions` named `tag`. Codecs Media1 has
    /// no element for (H265, others) are left out; the quality range is the first codec's.
    pub fn write_media1(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        write_range(
            w,
            "tt:QualityRange",
            self.encodings.iter().find_map(|e| e.quality_range.as_ref()),
        );
        // Opens `ctag` and writes the codec's fields; the caller closes it (the Extension form
        // adds BitrateRange first).
        let write_codec = |w: &mut Writer, o: &EncodingOptions, ctag: &str, prof: Option<&str>| {
            w.open(ctag, &[]);
            for r in &o.resolutions {
                r.write(w, "tt:ResolutionsAvailable");
            }
            if prof.is_some() {
                write_range(w, "tt:GovLengthRange", o.gov_length_range.as_ref());
            }
            write_range(w, "tt:FrameRateRange", o.frame_rate_range.as_ref());
            write_range(
                w,
                "tt:EncodingIntervalRange",
                o.encoding_interval_range.as_ref(),
            );
            if let Some(p) = prof {
                for v in &o.profiles {
                    w.leaf(&format!("tt:{p}"), v);
                }
            }
        };
        for (name, enc, prof) in &MEDIA1_CODECS {
            if let Some(o) = self.get(enc) {
                let ctag = format!("tt:{name}");
                write_codec(w, o, &ctag, *prof);
                w.close(&ctag);
            }
        }
        let with_bitrate: Vec<_> = MEDIA1_CODECS
            .iter()
            .filter_map(|(name, enc, prof)| {
                self.get(enc)
                    .filter(|o| o.bitrate_range.is_some())
                    .map(|o| (name, o, prof))
            })
            .collect();
        if !with_bitrate.is_empty() {
            w.open("tt:Extension", &[]);
            for (name, o, prof) in with_bitrate {
                let ctag = format!("tt:{name}");
                write_codec(w, o, &ctag, *prof);
                write_range(w, "tt:BitrateRange", o.bitrate_range.as_ref());
                w.close(&ctag);
            }
            w.close("tt:Extension");
        }
        w.close(tag);
    }

    /// Read the `tr2:Options` children of a Media2 options response (one per codec). An
    /// entry without an `Encoding` is skipped.
    pub fn read_media2(parent: &Element) -> VideoEncoderOptions {
        let mut encodings = Vec::new();
        for el in parent.children_named(TR2, "Options") {
            let Some(enc) = VideoEncoding::read(el) else {
                continue;
            };
            let mut o = EncodingOptions::new(enc);
            o.quality_range = child_range(el, "QualityRange");
            o.resolutions = el
                .children_named(TT, "ResolutionsAvailable")
                .filter_map(Resolution::read)
                .collect();
            o.bitrate_range = child_range(el, "BitrateRange");
            o.gov_length_range = el.attr("GovLengthRange").and_then(|v| {
                let mut it = v.split_whitespace().map(i32::parse_text);
                match (it.next(), it.next()) {
                    (Some(Some(min)), Some(Some(max))) => Some(IntRange { min, max }),
                    _ => None,
                }
            });
            o.frame_rates_supported = el
                .attr("FrameRatesSupported")
                .map(|v| v.split_whitespace().filter_map(f64::parse_text).collect())
                .unwrap_or_default();
            o.profiles = el
                .attr("ProfilesSupported")
                .map(|v| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default();
            o.constant_bitrate_supported = attr_bool(el, "ConstantBitRateSupported");
            encodings.push(o);
        }
        VideoEncoderOptions { encodings }
    }

    /// Write one `tr2:Options` per codec (Media1-only ranges are not written).
    pub fn write_media2(&self, w: &mut Writer) {
        for o in &self.encodings {
            let gov = o.gov_length_range.map(|r| format!("{} {}", r.min, r.max));
            let rates = (!o.frame_rates_supported.is_empty()).then(|| {
                o.frame_rates_supported
                    .iter()
                    .map(f64::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            let profiles = (!o.profiles.is_empty()).then(|| o.profiles.join(" "));
            let mut attrs: Vec<(&str, &str)> = Vec::new();
            if let Some(g) = &gov {
                attrs.push(("GovLengthRange", g));
            }
            if let Some(r) = &rates {
                attrs.push(("FrameRatesSupported", r));
            }
            if let Some(p) = &profiles {
                attrs.push(("ProfilesSupported", p));
            }
            if let Some(c) = o.constant_bitrate_supported {
                attrs.push(("ConstantBitRateSupported", bool_str(c)));
            }
            w.open("tr2:Options", &attrs);
            w.leaf("tt:Encoding", o.encoding.media2_name());
            write_range(w, "tt:QualityRange", o.quality_range.as_ref());
            for r in &o.resolutions {
                r.write(w, "tt:ResolutionsAvailable");
            }
            write_range(w, "tt:BitrateRange", o.bitrate_range.as_ref());
            w.close("tr2:Options");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Service capabilities, for the media and imaging services

/// Every service's GetServiceCapabilitiesResponse is written by one function.
pub(crate) use crate::ops::capabilities::write_service_capabilities_response as write_service_capabilities;
