//! The camera's on-screen displays: a date-and-time one at first; text OSDs may be added,
//! changed and removed within what [`options`] offers, checked as a camera checks them.

use onvif_proto::Fault;
use onvif_proto::ops::media::osd::{
    Color, ColorOptions, ColorspaceRange, MaximumNumberOfOsds, OsdColor, OsdColorOptions,
    OsdConfiguration, OsdOptions, OsdPosition, OsdPositionType, OsdText, OsdTextOptions,
    OsdTextType, OsdType,
};
use onvif_proto::ops::range::{FloatRange, IntRange};

use crate::fault::{receiver, sender};
use crate::media::{SOURCE_CONFIG, no_config};

/// The most OSDs the video source configuration takes.
pub(crate) const MAX_OSDS: u32 = 4;
/// The longest plain text, in characters (the schema gives no way to say it: the fault does).
pub(crate) const MAX_TEXT: usize = 32;

const YCBCR: &str = "http://www.onvif.org/ver10/colorspace/YCbCr";
const DATE_FORMATS: [&str; 3] = ["yyyy-MM-dd", "MM/dd/yyyy", "dd/MM/yyyy"];
const TIME_FORMATS: [&str; 2] = ["HH:mm:ss", "hh:mm:ss tt"];

/// The OSDs, in creation order.
#[derive(Debug, Clone)]
pub(crate) struct OsdState {
    pub osds: Vec<OsdConfiguration>,
    /// The number of the next token (`OSD_<n>`).
    next: u32,
}

impl OsdState {
    /// With `channel_name` ([`crate::Quirk::OsdChannelName`]), Hikvision's extension on each
    /// text OSD, and a second one showing the channel's name.
    pub(crate) fn new(channel_name: bool) -> Self {
        let mut text = OsdText::new(OsdTextType::DateAndTime);
        text.date_format = Some(DATE_FORMATS[0].into());
        text.time_format = Some(TIME_FORMATS[0].into());
        text.font_size = Some(32);
        text.font_color = Some(OsdColor {
            transparent: None,
            color: Color {
                x: 235.0,
                y: 128.0,
                z: 128.0,
                colorspace: Some(YCBCR.into()),
            },
        });
        let osd = |token: &str, kind, text| OsdConfiguration {
            token: token.into(),
            video_source_configuration_token: SOURCE_CONFIG.into(),
            kind: OsdType::Text,
            position: OsdPosition { kind, pos: None },
            text: Some(text),
            image: None,
        };
        if !channel_name {
            let osds = vec![osd("OSD_1", OsdPositionType::UpperLeft, text)];
            return OsdState { osds, next: 2 };
        }
        let mut name = OsdText::new(OsdTextType::Plain);
        name.plain_text = Some("Camera 01".into());
        name.font_size = text.font_size;
        name.font_color = text.font_color.clone();
        name.channel_name = Some(true);
        text.channel_name = Some(false);
        let osds = vec![
            osd("OSD_1", OsdPositionType::UpperLeft, text),
            osd("OSD_2", OsdPositionType::LowerRight, name),
        ];
        OsdState { osds, next: 3 }
    }

    /// The OSD of `token`, or `ter:NoConfig`.
    fn index(&self, token: &str) -> Result<usize, Fault> {
        self.osds
            .iter()
            .position(|o| o.token == token)
            .ok_or_else(|| no_osd(token))
    }

    /// Add a checked OSD; its token is the camera's.
    pub(crate) fn create(&mut self, mut osd: OsdConfiguration) -> Result<String, Fault> {
        check(&osd)?;
        if self.osds.len() >= MAX_OSDS as usize {
            return Err(receiver(
                &["Action", "MaxOSDs"],
                format!("the video source configuration has its maximum of {MAX_OSDS} OSDs"),
            ));
        }
        self.room_for(&osd, None)?;
        osd.token = format!("OSD_{}", self.next);
        self.next += 1;
        let token = osd.token.clone();
        self.osds.push(osd);
        Ok(token)
    }

    /// Replace an OSD with a checked one.
    pub(crate) fn set(&mut self, osd: OsdConfiguration) -> Result<(), Fault> {
        let i = self.index(&osd.token)?;
        check(&osd)?;
        self.room_for(&osd, Some(i))?;
        self.osds[i] = osd;
        Ok(())
    }

    /// `ter:MaxOSDs` when `osd`'s text kind has its maximum already (the OSD at `except`, the
    /// one being changed, not counted).
    fn room_for(&self, osd: &OsdConfiguration, except: Option<usize>) -> Result<(), Fault> {
        let Some(kind) = osd.text.as_ref().map(|t| t.kind) else {
            return Ok(());
        };
        let m = options().maximum;
        let limit = match kind {
            OsdTextType::Plain => m.plain_text,
            OsdTextType::Date => m.date,
            OsdTextType::Time => m.time,
            OsdTextType::DateAndTime => m.date_and_time,
        }
        .unwrap_or(MAX_OSDS);
        let same = self
            .osds
            .iter()
            .enumerate()
            .filter(|(i, o)| Some(*i) != except && o.text.as_ref().is_some_and(|t| t.kind == kind))
            .count();
        if same >= limit as usize {
            return Err(receiver(
                &["Action", "MaxOSDs"],
                format!("this camera takes at most {limit} {kind} OSD(s)"),
            ));
        }
        Ok(())
    }

    pub(crate) fn delete(&mut self, token: &str) -> Result<(), Fault> {
        let i = self.index(token)?;
        self.osds.remove(i);
        Ok(())
    }

    /// All, or those asked for (an unknown token or configuration is a fault).
    pub(crate) fn list(
        &self,
        token: Option<&str>,
        configuration: Option<&str>,
    ) -> Result<Vec<OsdConfiguration>, Fault> {
        if let Some(c) = configuration
            && c != SOURCE_CONFIG
        {
            return Err(no_config(c));
        }
        match token {
            Some(t) => Ok(vec![self.osds[self.index(t)?].clone()]),
            None => Ok(self.osds.clone()),
        }
    }
}

/// `Sender / ter:InvalidArgVal / ter:NoConfig`, naming the OSD.
fn no_osd(token: &str) -> Fault {
    sender(
        &["InvalidArgVal", "NoConfig"],
        format!("no OSD with token {token:?}"),
    )
}

/// `Sender / ter:InvalidArgVal / ter:ConfigModify`: a value the options do not offer.
fn refused(reason: String) -> Fault {
    sender(&["InvalidArgVal", "ConfigModify"], reason)
}

/// What the video source configuration's OSDs may be.
pub(crate) fn options() -> OsdOptions {
    let full = FloatRange {
        min: 0.0,
        max: 255.0,
    };
    let colors = OsdColorOptions {
        color: Some(ColorOptions {
            color_list: Vec::new(),
            colorspace_range: vec![ColorspaceRange {
                x: full,
                y: full,
                z: full,
                colorspace: YCBCR.into(),
            }],
        }),
        transparent: Some(IntRange { min: 0, max: 2 }),
    };
    OsdOptions {
        maximum: MaximumNumberOfOsds {
            total: MAX_OSDS,
            image: Some(0),
            plain_text: Some(3),
            date: Some(1),
            time: Some(1),
            date_and_time: Some(1),
        },
        kinds: vec![OsdType::Text],
        positions: vec![
            OsdPositionType::UpperLeft,
            OsdPositionType::UpperRight,
            OsdPositionType::LowerLeft,
            OsdPositionType::LowerRight,
            OsdPositionType::Custom,
        ],
        text: Some(OsdTextOptions {
            kinds: vec![
                OsdTextType::Plain,
                OsdTextType::Date,
                OsdTextType::Time,
                OsdTextType::DateAndTime,
            ],
            font_size_range: Some(IntRange { min: 16, max: 64 }),
            date_formats: DATE_FORMATS.iter().map(|s| (*s).to_owned()).collect(),
            time_formats: TIME_FORMATS.iter().map(|s| (*s).to_owned()).collect(),
            font_color: Some(colors.clone()),
            background_color: Some(colors),
        }),
        image: None,
    }
}

/// Refuse what the options do not offer, naming it.
fn check(osd: &OsdConfiguration) -> Result<(), Fault> {
    if osd.video_source_configuration_token != SOURCE_CONFIG {
        return Err(no_config(&osd.video_source_configuration_token));
    }
    if osd.kind != OsdType::Text {
        return Err(refused(format!(
            "OSD type {} is not supported (Text only)",
            osd.kind
        )));
    }
    if osd.position.kind == OsdPositionType::Custom {
        let p = osd
            .position
            .pos
            .ok_or_else(|| refused("a Custom position needs Pos (x and y)".into()))?;
        if !(-1.0..=1.0).contains(&p.x) || !(-1.0..=1.0).contains(&p.y) {
            return Err(refused(format!(
                "Pos ({}, {}) is outside the frame (-1 to 1)",
                p.x, p.y
            )));
        }
    }
    let text = osd
        .text
        .as_ref()
        .ok_or_else(|| refused("a Text OSD needs TextString".into()))?;
    let o = options().text.unwrap_or_default();
    if text.kind == OsdTextType::Plain {
        let plain = text.plain_text.as_deref().unwrap_or_default();
        if plain.trim().is_empty() {
            return Err(refused("a Plain OSD needs PlainText".into()));
        }
        let n = plain.chars().count();
        if n > MAX_TEXT {
            return Err(refused(format!(
                "PlainText is {n} characters; this camera takes at most {MAX_TEXT}"
            )));
        }
    }
    if let Some(f) = &text.date_format
        && !o.date_formats.contains(f)
    {
        return Err(refused(format!(
            "DateFormat {f:?} is not offered ({})",
            o.date_formats.join(", ")
        )));
    }
    if let Some(f) = &text.time_format
        && !o.time_formats.contains(f)
    {
        return Err(refused(format!(
            "TimeFormat {f:?} is not offered ({})",
            o.time_formats.join(", ")
        )));
    }
    if let (Some(s), Some(r)) = (text.font_size, o.font_size_range)
        && !(r.min..=r.max).contains(&(s as i32))
    {
        return Err(refused(format!(
            "FontSize {s} is outside {}..{}",
            r.min, r.max
        )));
    }
    Ok(())
}
