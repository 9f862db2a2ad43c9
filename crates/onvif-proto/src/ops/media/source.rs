//! Physical inputs (video and audio sources) and the small geometric values the media model
//! shares: resolutions and rectangles.

use serde::Serialize;

use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::TT;
use crate::ops::imaging::ImagingSettings;
use crate::ops::range::IntRange;
use crate::xml::{Element, Writer};

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Xml)]
pub struct Resolution {
    /// Width, in pixels.
    #[xml(child = "tt:Width")]
    pub width: u32,
    /// Height, in pixels.
    #[xml(child = "tt:Height")]
    pub height: u32,
}

/// A rectangle in a video source (`tt:IntRectangle`, attributes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
pub struct Bounds {
    /// Left edge, in pixels from the source's left.
    #[xml(attr = "x")]
    pub x: i32,
    /// Top edge, in pixels from the source's top.
    #[xml(attr = "y")]
    pub y: i32,
    /// Width, in pixels.
    #[xml(attr = "width")]
    pub width: i32,
    /// Height, in pixels.
    #[xml(attr = "height")]
    pub height: i32,
}

/// What a video source configuration accepts (`tt:VideoSourceConfigurationOptions`, the same
/// in both services): the ranges of its bounds and the sources it may use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct VideoSourceOptions {
    /// How many profiles one configuration may serve (`MaximumNumberOfProfiles`).
    #[xml(attr = "MaximumNumberOfProfiles", lenient)]
    pub max_profiles: Option<u32>,
    /// The ranges of the bounds; `None` when absent or unreadable.
    #[xml(child = "tt:BoundsRange", lenient)]
    pub bounds_range: Option<BoundsRange>,
    /// The physical sources (`VideoSources` tokens) a configuration may use.
    #[xml(child = "tt:VideoSourceTokensAvailable")]
    pub source_tokens: Vec<String>,
}

/// The ranges of a rectangle's position and size, in pixels (`tt:IntRectangleRange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
pub struct BoundsRange {
    /// Left edge.
    #[xml(child = "tt:XRange")]
    pub x: IntRange,
    /// Top edge.
    #[xml(child = "tt:YRange")]
    pub y: IntRange,
    /// Width.
    #[xml(child = "tt:WidthRange")]
    pub width: IntRange,
    /// Height.
    #[xml(child = "tt:HeightRange")]
    pub height: IntRange,
}

/// A physical video input (`tt:VideoSource`). A missing token reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct VideoSource {
    /// The source's token; empty when absent.
    #[xml(attr = "token", default)]
    pub token: String,
    /// Frames per second.
    #[xml(child = "tt:Framerate", lenient)]
    pub framerate: Option<f64>,
    /// The source's picture size; `None` when absent or unreadable.
    #[xml(child = "tt:Resolution", lenient)]
    pub resolution: Option<Resolution>,
    /// Imaging settings, when the camera includes them (`Imaging` or `Extension/Imaging`).
    #[xml(with = "source_imaging")]
    pub imaging: Option<ImagingSettings>,
}

/// `#[xml(with)]` for a video source's imaging settings: read from `Imaging` (the ver10 form)
/// or `Extension/Imaging` (ver20), written in the second, whose fields are all optional.
mod source_imaging {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Option<ImagingSettings>, Error> {
        el.child(TT, "Imaging")
            .or_else(|| {
                el.child(TT, "Extension")
                    .and_then(|x| x.child(TT, "Imaging"))
            })
            .map(ImagingSettings::read_node)
            .transpose()
    }

    pub(super) fn write(s: &VideoSource, w: &mut Writer, _: &str) {
        if let Some(i) = &s.imaging {
            w.open("tt:Extension", &[]);
            i.write_node(w, "tt:Imaging");
            w.close("tt:Extension");
        }
    }
}

/// A physical audio input (`tt:AudioSource`). A missing token reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct AudioSource {
    /// The source's token; empty when absent.
    #[xml(attr = "token", default)]
    pub token: String,
    /// 1 for mono, 2 for stereo.
    #[xml(child = "tt:Channels", lenient)]
    pub channels: Option<u32>,
}
