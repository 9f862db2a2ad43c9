//! Round trips of every OSD message of both media services, every optional field set.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use super::osd::*;
use super::{v1, v2};
use crate::ops::imaging::tests::{read, round_trip};
use crate::ops::message::Operation;
use crate::ops::range::{FloatRange, IntRange};

fn color(x: f64) -> OsdColor {
    OsdColor {
        transparent: Some(2),
        color: Color {
            x,
            y: 128.0,
            z: 128.0,
            colorspace: Some("http://www.onvif.org/ver10/colorspace/YCbCr".into()),
        },
    }
}

/// An OSD with every optional field set.
pub(crate) fn full_osd() -> OsdConfiguration {
    OsdConfiguration {
        token: "OSD_1".into(),
        video_source_configuration_token: "VideoSourceConfig_1".into(),
        kind: OsdType::Text,
        position: OsdPosition {
            kind: OsdPositionType::Custom,
            pos: Some(Vector { x: -0.5, y: 0.75 }),
        },
        text: Some(OsdText {
            is_persistent_text: Some(true),
            kind: OsdTextType::Plain,
            date_format: Some("yyyy-MM-dd".into()),
            time_format: Some("HH:mm:ss".into()),
            font_size: Some(32),
            font_color: Some(color(235.0)),
            background_color: Some(color(16.0)),
            plain_text: Some("Gate <1> & \"2\"".into()),
            channel_name: Some(false),
        }),
        image: Some(OsdImage {
            img_path: "/images/logo.png".into(),
        }),
    }
}

fn full_options() -> OsdOptions {
    let range = |min, max| FloatRange { min, max };
    let colors = OsdColorOptions {
        color: Some(ColorOptions {
            color_list: vec![color(1.0).color],
            colorspace_range: vec![ColorspaceRange {
                x: range(0.0, 255.0),
                y: range(0.0, 255.0),
                z: range(0.0, 255.0),
                colorspace: "http://www.onvif.org/ver10/colorspace/YCbCr".into(),
            }],
        }),
        transparent: Some(IntRange { min: 0, max: 2 }),
    };
    OsdOptions {
        maximum: MaximumNumberOfOsds {
            total: 8,
            image: Some(1),
            plain_text: Some(4),
            date: Some(1),
            time: Some(1),
            date_and_time: Some(1),
        },
        kinds: vec![OsdType::Text, OsdType::Image],
        positions: vec![OsdPositionType::UpperLeft, OsdPositionType::Custom],
        text: Some(OsdTextOptions {
            kinds: vec![OsdTextType::Plain, OsdTextType::DateAndTime],
            font_size_range: Some(IntRange { min: 16, max: 64 }),
            date_formats: vec!["yyyy-MM-dd".into(), "MM/dd/yyyy".into()],
            time_formats: vec!["HH:mm:ss".into()],
            font_color: Some(colors.clone()),
            background_color: Some(colors),
        }),
        image: Some(OsdImageOptions {
            formats_supported: Some("png bmp".into()),
            max_size: Some(65536),
            max_width: Some(256),
            max_height: Some(128),
            image_paths: vec!["/images/logo.png".into()],
        }),
    }
}

#[test]
fn every_media2_osd_message_round_trips() {
    let mut seen = BTreeSet::new();
    media2_round_trips(&mut seen);
    assert_eq!(seen.len(), 10, "{seen:?}");
    assert_eq!(v2::CreateOsd::NAME, "CreateOSD");
    assert_eq!(
        v2::SetOsd::ACTION,
        "http://www.onvif.org/ver20/media/wsdl/SetOSD"
    );
    const { assert!(!<v2::CreateOsd as Operation>::IDEMPOTENT) };
    const { assert!(<v2::DeleteOsd as Operation>::IDEMPOTENT) };
}

/// Media2's OSD messages, round-tripped into `seen` (the media tests count them too).
pub(crate) fn media2_round_trips(seen: &mut BTreeSet<String>) {
    round_trip(
        &v2::GetOsds {
            osd_token: Some("OSD_1".into()),
            configuration_token: Some("VideoSourceConfig_1".into()),
        },
        seen,
    );
    round_trip(
        &v2::Osds {
            osds: vec![full_osd(), full_osd()],
        },
        seen,
    );
    round_trip(
        &v2::GetOsdOptions {
            configuration_token: "VideoSourceConfig_1".into(),
        },
        seen,
    );
    round_trip(
        &v2::OsdOptionsResponse {
            options: full_options(),
        },
        seen,
    );
    round_trip(&v2::CreateOsd { osd: full_osd() }, seen);
    round_trip(
        &v2::CreateOsdResponse {
            token: "OSD_9".into(),
        },
        seen,
    );
    round_trip(&v2::SetOsd { osd: full_osd() }, seen);
    round_trip(&v2::SetOsdResponse, seen);
    round_trip(
        &v2::DeleteOsd {
            osd_token: "OSD_9".into(),
        },
        seen,
    );
    round_trip(&v2::DeleteOsdResponse, seen);
}

/// Media1's OSD messages, round-tripped into `seen` (the media tests count them too).
pub(crate) fn media1_round_trips(seen: &mut BTreeSet<String>) {
    round_trip(
        &v1::GetOsds {
            configuration_token: Some("VideoSourceConfig_1".into()),
        },
        seen,
    );
    round_trip(
        &v1::GetOsdOptions {
            configuration_token: "VideoSourceConfig_1".into(),
        },
        seen,
    );
    round_trip(&v1::CreateOsd { osd: full_osd() }, seen);
    round_trip(&v1::SetOsd { osd: full_osd() }, seen);
    round_trip(
        &v1::DeleteOsd {
            osd_token: "OSD_9".into(),
        },
        seen,
    );
    round_trip(
        &v1::Osds {
            osds: vec![full_osd()],
        },
        seen,
    );
    round_trip(
        &v1::OsdOptionsResponse {
            options: full_options(),
        },
        seen,
    );
    round_trip(
        &v1::CreateOsdResponse {
            token: "OSD_9".into(),
        },
        seen,
    );
    round_trip(&v1::SetOsdResponse, seen);
    round_trip(&v1::DeleteOsdResponse, seen);
}

#[test]
fn every_media1_osd_message_round_trips() {
    let mut seen = BTreeSet::new();
    media1_round_trips(&mut seen);
    assert_eq!(seen.len(), 10, "{seen:?}");
    assert_eq!(v1::GetOsds::NAME, "GetOSDs");
    assert_eq!(
        v1::DeleteOsd::ACTION,
        "http://www.onvif.org/ver10/media/wsdl/DeleteOSD"
    );
    const { assert!(!<v1::CreateOsd as Operation>::IDEMPOTENT) };
}

#[test]
fn unknown_kinds_in_options_are_left_out() {
    let body = "<tr2:GetOSDOptionsResponse><tr2:OSDOptions>\
        <tt:MaximumNumberOfOSDs Total=\"3\"/><tt:Type>Text</tt:Type><tt:Type>Hologram</tt:Type>\
        <tt:PositionOption>UpperLeft</tt:PositionOption><tt:PositionOption>Middle</tt:PositionOption>\
        </tr2:OSDOptions></tr2:GetOSDOptionsResponse>";
    let o: v2::OsdOptionsResponse = read(body).unwrap();
    assert_eq!(o.options.kinds, [OsdType::Text]);
    assert_eq!(o.options.positions, [OsdPositionType::UpperLeft]);
    assert_eq!(o.options.maximum.total, 3);
}
