//! On-screen display (OSD): the model both media services share (`tt:OSDConfiguration`,
//! `tt:OSDConfigurationOptions`), in the schema's order. The messages are in
//! `ops::media::osd_ops`: Media2's (`tr2:`) are `ops::media2`'s, Media1's (`trt:`) answers are
//! `ops::media`'s.

use serde::Serialize;

use crate::codec::Xml;
use crate::ops::range::{FloatRange, IntRange};
use crate::xml_enum;

xml_enum! {
    /// `tt:OSDType`: what an OSD shows.
    pub OsdType {
        /// Text (plain, date, time or both).
        Text = "Text",
        /// An image (`Image/ImgPath`).
        Image = "Image",
        /// A vendor's own kind.
        Extended = "Extended",
    }
}

xml_enum! {
    /// `tt:OSDTextConfiguration/Type`: what text an OSD shows.
    pub OsdTextType {
        /// The `PlainText` given.
        Plain = "Plain",
        /// The camera's date, in `DateFormat`.
        Date = "Date",
        /// The camera's time, in `TimeFormat`.
        Time = "Time",
        /// Date and time.
        DateAndTime = "DateAndTime",
    }
}

xml_enum! {
    /// `tt:OSDPosConfiguration/Type`: where an OSD stands.
    pub OsdPositionType {
        /// Top left corner.
        UpperLeft = "UpperLeft",
        /// Top right corner.
        UpperRight = "UpperRight",
        /// Bottom left corner.
        LowerLeft = "LowerLeft",
        /// Bottom right corner.
        LowerRight = "LowerRight",
        /// At `Pos` (x and y from -1 to 1, y upwards).
        Custom = "Custom",
    }
}

/// `tt:Vector`: a point of the normalised frame (-1..1 on both axes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Xml)]
pub struct Vector {
    /// Left (-1) to right (1).
    #[xml(attr = "x", default)]
    pub x: f64,
    /// Bottom (-1) to top (1).
    #[xml(attr = "y", default)]
    pub y: f64,
}

/// `tt:OSDPosConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Xml)]
pub struct OsdPosition {
    /// A corner, or `Custom`.
    #[xml(child = "tt:Type")]
    pub kind: OsdPositionType,
    /// The point of a `Custom` position.
    #[xml(child = "tt:Pos")]
    pub pos: Option<Vector>,
}

/// `tt:Color`: a colour in a colour space (YCbCr unless `colorspace` says otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
pub struct Color {
    /// `X`.
    #[xml(attr = "X")]
    pub x: f64,
    /// `Y`.
    #[xml(attr = "Y")]
    pub y: f64,
    /// `Z`.
    #[xml(attr = "Z")]
    pub z: f64,
    /// The colour space's URI.
    #[xml(attr = "Colorspace")]
    pub colorspace: Option<String>,
}

/// `tt:OSDColor`: a colour and its transparency.
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
pub struct OsdColor {
    /// 0 (opaque) upwards, in the range the options give.
    #[xml(attr = "Transparent")]
    pub transparent: Option<i32>,
    /// The colour.
    #[xml(child = "tt:Color")]
    pub color: Color,
}

/// `tt:OSDTextConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
pub struct OsdText {
    /// Text that stays after a reboot (`IsPersistentText`).
    #[xml(attr = "IsPersistentText")]
    pub is_persistent_text: Option<bool>,
    /// Plain text, date, time, or date and time.
    #[xml(child = "tt:Type")]
    pub kind: OsdTextType,
    /// The date's format (`yyyy-MM-dd`), one of the options' `DateFormat`.
    #[xml(child = "tt:DateFormat")]
    pub date_format: Option<String>,
    /// The time's format (`HH:mm:ss`), one of the options' `TimeFormat`.
    #[xml(child = "tt:TimeFormat")]
    pub time_format: Option<String>,
    /// Font size, in the options' `FontSizeRange`.
    #[xml(child = "tt:FontSize")]
    pub font_size: Option<u32>,
    /// Font colour.
    #[xml(child = "tt:FontColor")]
    pub font_color: Option<OsdColor>,
    /// Background colour.
    #[xml(child = "tt:BackgroundColor")]
    pub background_color: Option<OsdColor>,
    /// The text of a `Plain` OSD.
    #[xml(child = "tt:PlainText")]
    pub plain_text: Option<String>,
    /// Hikvision's `Extension/ChannelName`: the plain text is the channel's name (QUIRKS.md).
    #[xml(child = "tt:Extension/tt:ChannelName", lenient)]
    pub channel_name: Option<bool>,
}

impl OsdText {
    /// Text of a kind, every optional part unset.
    pub fn new(kind: OsdTextType) -> OsdText {
        OsdText {
            is_persistent_text: None,
            kind,
            date_format: None,
            time_format: None,
            font_size: None,
            font_color: None,
            background_color: None,
            plain_text: None,
            channel_name: None,
        }
    }
}

/// `tt:OSDImgConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct OsdImage {
    /// The image's path on the camera.
    #[xml(child = "tt:ImgPath")]
    pub img_path: String,
}

/// `tt:OSDConfiguration`: one OSD of a video source configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
pub struct OsdConfiguration {
    /// The OSD's token (empty in a CreateOSD: the camera chooses it).
    #[xml(attr = "token", default)]
    pub token: String,
    /// The video source configuration it is drawn on.
    #[xml(child = "tt:VideoSourceConfigurationToken")]
    pub video_source_configuration_token: String,
    /// Text, image or extended.
    #[xml(child = "tt:Type")]
    pub kind: OsdType,
    /// Where it stands.
    #[xml(child = "tt:Position")]
    pub position: OsdPosition,
    /// What text it shows (a `Text` OSD).
    #[xml(child = "tt:TextString")]
    pub text: Option<OsdText>,
    /// What image it shows (an `Image` OSD).
    #[xml(child = "tt:Image")]
    pub image: Option<OsdImage>,
}

// ---------------------------------------------------------------------------------------------
// Options

/// `tt:MaximumNumberOfOSDs`: how many OSDs in all, and of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
pub struct MaximumNumberOfOsds {
    /// In all.
    #[xml(attr = "Total")]
    pub total: u32,
    /// Image OSDs.
    #[xml(attr = "Image")]
    pub image: Option<u32>,
    /// Plain text OSDs.
    #[xml(attr = "PlainText")]
    pub plain_text: Option<u32>,
    /// Date OSDs.
    #[xml(attr = "Date")]
    pub date: Option<u32>,
    /// Time OSDs.
    #[xml(attr = "Time")]
    pub time: Option<u32>,
    /// Date-and-time OSDs.
    #[xml(attr = "DateAndTime")]
    pub date_and_time: Option<u32>,
}

/// `tt:ColorspaceRange`: the ranges of a colour space's three components.
#[derive(Debug, Clone, PartialEq, Serialize, Xml)]
pub struct ColorspaceRange {
    /// `X`.
    #[xml(child = "tt:X")]
    pub x: FloatRange,
    /// `Y`.
    #[xml(child = "tt:Y")]
    pub y: FloatRange,
    /// `Z`.
    #[xml(child = "tt:Z")]
    pub z: FloatRange,
    /// The colour space's URI.
    #[xml(child = "tt:Colorspace")]
    pub colorspace: String,
}

/// `tt:ColorOptions`: a list of colours, or ranges in colour spaces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct ColorOptions {
    /// The colours allowed.
    #[xml(child = "tt:ColorList")]
    pub color_list: Vec<Color>,
    /// The ranges allowed.
    #[xml(child = "tt:ColorspaceRange")]
    pub colorspace_range: Vec<ColorspaceRange>,
}

/// `tt:OSDColorOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct OsdColorOptions {
    /// The colours allowed.
    #[xml(child = "tt:Color")]
    pub color: Option<ColorOptions>,
    /// The transparency's range.
    #[xml(child = "tt:Transparent")]
    pub transparent: Option<IntRange>,
}

/// `tt:OSDTextOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct OsdTextOptions {
    /// The text kinds offered (unknown ones are left out).
    #[xml(child = "tt:Type", lenient)]
    pub kinds: Vec<OsdTextType>,
    /// Font sizes allowed.
    #[xml(child = "tt:FontSizeRange")]
    pub font_size_range: Option<IntRange>,
    /// Date formats offered.
    #[xml(child = "tt:DateFormat")]
    pub date_formats: Vec<String>,
    /// Time formats offered.
    #[xml(child = "tt:TimeFormat")]
    pub time_formats: Vec<String>,
    /// Font colours allowed.
    #[xml(child = "tt:FontColor")]
    pub font_color: Option<OsdColorOptions>,
    /// Background colours allowed.
    #[xml(child = "tt:BackgroundColor")]
    pub background_color: Option<OsdColorOptions>,
}

/// `tt:OSDImgOptions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct OsdImageOptions {
    /// Image formats, space-separated (`png bmp`).
    #[xml(attr = "FormatsSupported")]
    pub formats_supported: Option<String>,
    /// Largest file, in bytes.
    #[xml(attr = "MaxSize")]
    pub max_size: Option<u32>,
    /// Widest image, in pixels.
    #[xml(attr = "MaxWidth")]
    pub max_width: Option<u32>,
    /// Tallest image, in pixels.
    #[xml(attr = "MaxHeight")]
    pub max_height: Option<u32>,
    /// Images on the camera.
    #[xml(child = "tt:ImagePath")]
    pub image_paths: Vec<String>,
}

/// `tt:OSDConfigurationOptions`: what OSDs a video source configuration accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct OsdOptions {
    /// How many.
    #[xml(child = "tt:MaximumNumberOfOSDs")]
    pub maximum: MaximumNumberOfOsds,
    /// The kinds offered (unknown ones are left out).
    #[xml(child = "tt:Type", lenient)]
    pub kinds: Vec<OsdType>,
    /// The positions offered (unknown ones are left out).
    #[xml(child = "tt:PositionOption", lenient)]
    pub positions: Vec<OsdPositionType>,
    /// What text OSDs accept.
    #[xml(child = "tt:TextOption")]
    pub text: Option<OsdTextOptions>,
    /// What image OSDs accept.
    #[xml(child = "tt:ImageOption")]
    pub image: Option<OsdImageOptions>,
}
