//! OSD (Media1 answers) and analytics captures of real cameras read into typed values, and
//! every one of them typed by `decode`. Captures are read in place; without them the tests say
//! so and pass. Nothing here opens a socket.
#![allow(clippy::unwrap_used)]

use onvif_proto::decode::decode;
use onvif_proto::ns::TT;
use onvif_proto::ops::analytics::{self, CELL_MOTION_ENGINE, CellGrid};
use onvif_proto::ops::media;
use onvif_proto::ops::media::osd::{OsdPositionType, OsdTextType, OsdType};
use onvif_testkit::captures::{self, captures_dir, read_as};

#[test]
fn every_osd_and_analytics_capture_is_typed_by_decode() {
    let Some(dir) = captures_dir() else { return };
    let ops = [
        "GetOSDsResponse",
        "GetOSDOptionsResponse",
        "CreateOSDResponse",
        "SetOSDResponse",
        "DeleteOSDResponse",
        "GetAnalyticsModulesResponse",
    ];
    let rows: Vec<_> = captures::index(&dir)
        .into_iter()
        .filter(|r| ops.contains(&r.op()))
        .collect();
    assert!(rows.len() >= 7, "{} captures", rows.len());
    for r in rows {
        let d = decode(&captures::read(&dir, &r.file)).unwrap();
        assert_eq!(d.kind, "typed", "{}: {:?}", r.file, d.data);
    }
}

#[test]
fn hikvision_osds_read_with_their_channel_name_extension() {
    let Some(dir) = captures_dir() else { return };
    let o: media::Osds = read_as(&dir, "ex_onvif/get_media_osds.xml");
    assert_eq!(o.osds.len(), 2);
    let date = &o.osds[0];
    assert_eq!(date.token, "OsdToken_101");
    assert_eq!(date.kind, OsdType::Text);
    assert_eq!(date.position.kind, OsdPositionType::Custom);
    assert_eq!(date.position.pos.unwrap().y, 0.866667);
    let t = date.text.as_ref().unwrap();
    assert_eq!(t.kind, OsdTextType::DateAndTime);
    assert_eq!(t.date_format.as_deref(), Some("MM/dd/yyyy"));
    assert_eq!(t.font_size, Some(32));
    assert_eq!(t.channel_name, Some(false));
    let plain = o.osds[1].text.as_ref().unwrap();
    assert_eq!(plain.plain_text.as_deref(), Some("Camera 01"));
    assert_eq!(plain.channel_name, Some(true));
}

#[test]
fn osd_options_read_from_both_captures() {
    let Some(dir) = captures_dir() else { return };
    for file in [
        "ex_onvif/get_osd_options.xml",
        "agsh-onvif/media.GetOSDOptions",
    ] {
        let o: media::OsdOptionsResponse = read_as(&dir, file);
        let o = o.options;
        assert_eq!(o.maximum.total, 14, "{file}");
        assert_eq!(o.maximum.plain_text, Some(9), "{file}");
        assert_eq!(o.kinds, [OsdType::Text], "{file}");
        assert_eq!(o.positions.len(), 3, "{file}");
        let t = o.text.unwrap();
        assert_eq!(t.kinds.len(), 4, "{file}");
        assert_eq!(t.font_size_range.unwrap().max, 64, "{file}");
        assert_eq!(t.date_formats.len(), 4, "{file}");
        assert_eq!(t.time_formats, ["hh:mm:ss tt", "HH:mm:ss"], "{file}");
        let c = t.font_color.unwrap().color.unwrap();
        assert_eq!(c.colorspace_range[0].x.max, 255.0, "{file}");
    }
}

#[test]
fn osd_create_set_and_delete_answers_read() {
    let Some(dir) = captures_dir() else { return };
    let c: media::CreateOsdResponse = read_as(&dir, "ex_onvif/create_osd.xml");
    assert_eq!(c.token, "OsdToken_102");
    let _: media::SetOsdResponse = read_as(&dir, "ex_onvif/set_osd_response.xml");
    let _: media::DeleteOsdResponse = read_as(&dir, "ex_onvif/delete_osd.xml");
}

#[test]
fn hikvision_analytics_modules_give_a_22_by_18_cell_layout() {
    let Some(dir) = captures_dir() else { return };
    let m: analytics::AnalyticsModules = read_as(&dir, "ex_onvif/get_analytics_modules.xml");
    assert_eq!(m.modules.len(), 4);
    let cell = m
        .modules
        .iter()
        .find(|c| c.is(TT, CELL_MOTION_ENGINE))
        .unwrap();
    assert_eq!(cell.name, "MyCellMotionModule");
    assert_eq!(cell.simple("Sensitivity"), Some("60"));
    let layout = cell.cell_layout().unwrap();
    assert_eq!((layout.columns, layout.rows), (22, 18));
    assert_eq!(layout.transformation.scale.unwrap().x, 0.090909);
    // A grid of that layout packs and unpacks.
    let g = CellGrid::full(layout.columns, layout.rows).unwrap();
    assert_eq!(
        CellGrid::from_active_cells(22, 18, &g.active_cells()).unwrap(),
        g
    );
    // The vendor's tamper engine keeps its own namespace.
    let tamper = &m.modules[3];
    assert_eq!(
        tamper.kind.ns.as_deref(),
        Some("http://www.onvifext.com/onvif/ext/ver10/schema")
    );
    assert!(!tamper.is(TT, "TamperEngine"));
}
