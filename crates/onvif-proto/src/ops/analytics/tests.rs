//! Round trips of every analytics message, QNames matched by namespace, and the cell grid's
//! PackBits coding.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use super::cells::{pack_bits, unpack_bits};
use super::config::tt;
use super::*;
use crate::ns::{TAN, TT};
use crate::ops::device;
use crate::ops::events::{ElementItem, SimpleItem};
use crate::ops::imaging::tests::{read, round_trip};
use crate::ops::media::osd::Vector;
use crate::ops::message::Operation;
use crate::xml::QNameValue;

fn layout() -> CellLayout {
    CellLayout {
        columns: 22,
        rows: 18,
        transformation: Transformation {
            translate: Some(Vector { x: -1.0, y: -1.0 }),
            scale: Some(Vector {
                x: 0.090909,
                y: 0.111111,
            }),
        },
    }
}

fn module() -> Config {
    Config {
        name: "MyCellMotionModule".into(),
        kind: tt(CELL_MOTION_ENGINE),
        parameters: ItemList {
            simple: vec![SimpleItem::new("Sensitivity", "60")],
            element: vec![ElementItem::new("Layout", layout().to_element())],
        },
    }
}

fn rule() -> Config {
    Config {
        name: "MyMotionDetectorRule".into(),
        kind: tt(CELL_MOTION_DETECTOR),
        parameters: ItemList {
            simple: vec![
                SimpleItem::new("MinCount", "5"),
                SimpleItem::new("AlarmOnDelay", "1000"),
                SimpleItem::new("AlarmOffDelay", "1000"),
                SimpleItem::new("ActiveCells", "/v/+8A=="),
            ],
            element: vec![],
        },
    }
}

fn description() -> ConfigDescription {
    let item = |n: &str, ns: &str, t: &str| ItemDescription {
        name: n.into(),
        kind: QNameValue {
            ns: Some(ns.into()),
            name: t.into(),
        },
    };
    let xs = "http://www.w3.org/2001/XMLSchema";
    ConfigDescription {
        name: tt(CELL_MOTION_DETECTOR),
        fixed: Some(true),
        max_instances: Some(1),
        parameters: ItemListDescription {
            simple: vec![item("MinCount", xs, "integer")],
            element: vec![item("Layout", TT, "CellLayout")],
        },
        messages: vec![MessageDescription {
            is_property: Some(true),
            source: Some(ItemListDescription {
                simple: vec![item("Rule", xs, "string")],
                element: vec![],
            }),
            key: Some(ItemListDescription::default()),
            data: Some(ItemListDescription {
                simple: vec![item("IsMotion", xs, "boolean")],
                element: vec![],
            }),
            parent_topic: Some("tns1:RuleEngine/CellMotionDetector/Motion".into()),
        }],
    }
}

#[test]
fn every_message_round_trips() {
    let mut seen = BTreeSet::new();
    let token = || "VideoAnalytics_1".to_owned();
    round_trip(
        &GetSupportedAnalyticsModules {
            configuration_token: token(),
        },
        &mut seen,
    );
    round_trip(
        &SupportedAnalyticsModulesResponse {
            supported: SupportedAnalyticsModules {
                schema_locations: vec!["http://www.onvif.org/ver10/schema/onvif.xsd".into()],
                descriptions: vec![description()],
            },
        },
        &mut seen,
    );
    round_trip(
        &GetAnalyticsModules {
            configuration_token: token(),
        },
        &mut seen,
    );
    round_trip(
        &AnalyticsModules {
            modules: vec![module()],
        },
        &mut seen,
    );
    round_trip(
        &GetSupportedRules {
            configuration_token: token(),
        },
        &mut seen,
    );
    round_trip(
        &SupportedRulesResponse {
            supported: SupportedRules {
                schema_locations: vec!["http://www.onvif.org/ver10/schema/onvif.xsd".into()],
                descriptions: vec![description()],
            },
        },
        &mut seen,
    );
    round_trip(
        &GetRules {
            configuration_token: token(),
        },
        &mut seen,
    );
    round_trip(
        &Rules {
            rules: vec![rule()],
        },
        &mut seen,
    );
    round_trip(
        &CreateRules {
            configuration_token: token(),
            rules: vec![rule()],
        },
        &mut seen,
    );
    round_trip(&CreateRulesResponse, &mut seen);
    round_trip(
        &ModifyRules {
            configuration_token: token(),
            rules: vec![rule()],
        },
        &mut seen,
    );
    round_trip(&ModifyRulesResponse, &mut seen);
    round_trip(
        &DeleteRules {
            configuration_token: token(),
            rule_names: vec!["a".into(), "b".into()],
        },
        &mut seen,
    );
    round_trip(&DeleteRulesResponse, &mut seen);
    round_trip(&GetServiceCapabilities, &mut seen);
    round_trip(
        &ServiceCapabilities(device::ServiceCapabilities {
            flags: [("RuleSupport".to_owned(), "true".to_owned())].into(),
        }),
        &mut seen,
    );
    media2_round_trips(&mut seen);
    assert_eq!(seen.len(), 18, "{seen:?}");
    assert_eq!(CreateRules::NAME, "CreateRules");
    assert_eq!(
        ModifyRules::ACTION,
        "http://www.onvif.org/ver20/analytics/wsdl/ModifyRules"
    );
    const { assert!(!<CreateRules as Operation>::IDEMPOTENT) };
    const { assert!(<GetRules as Operation>::IDEMPOTENT) };
}

/// Media1's GetVideoAnalyticsConfigurations, round-tripped into `seen` (the media tests
/// count it).
pub(crate) fn media1_round_trips(seen: &mut BTreeSet<String>) {
    round_trip(&GetVideoAnalyticsConfigurations, seen);
    round_trip(
        &VideoAnalyticsConfigurations {
            configurations: vec![AnalyticsConfiguration {
                token: "VideoAnalyticsToken".into(),
                name: "VideoAnalyticsName".into(),
                use_count: 2,
                modules: vec![module()],
                rules: vec![rule()],
            }],
        },
        seen,
    );
}

/// Media2's GetAnalyticsConfigurations, round-tripped into `seen` (the media tests count it).
pub(crate) fn media2_round_trips(seen: &mut BTreeSet<String>) {
    let token = || "VideoAnalytics_1".to_owned();
    round_trip(
        &GetAnalyticsConfigurations {
            configuration_token: Some(token()),
            profile_token: Some("Profile_1".into()),
        },
        seen,
    );
    round_trip(
        &AnalyticsConfigurations {
            configurations: vec![AnalyticsConfiguration {
                token: token(),
                name: "Analytics".into(),
                use_count: 3,
                modules: vec![module()],
                rules: vec![rule()],
            }],
        },
        seen,
    );
}

#[test]
fn types_are_matched_by_namespace_not_prefix() {
    let body = format!(
        "<x:GetRulesResponse xmlns:x=\"{TAN}\" xmlns:s=\"{TT}\" xmlns:v=\"urn:vendor\">\
         <x:Rule Name=\"a\" Type=\"s:CellMotionDetector\"><s:Parameters/></x:Rule>\
         <x:Rule Name=\"b\" Type=\"v:CellMotionDetector\"/></x:GetRulesResponse>"
    );
    let r: Rules = read(&body).unwrap();
    assert!(r.rules[0].is(TT, CELL_MOTION_DETECTOR));
    assert!(!r.rules[1].is(TT, CELL_MOTION_DETECTOR));
    assert!(r.rules[1].is("urn:vendor", CELL_MOTION_DETECTOR));
    // A vendor's type keeps its namespace when written again.
    let mut seen = BTreeSet::new();
    round_trip(&r, &mut seen);
}

#[test]
fn the_cell_layout_is_found_among_the_element_items() {
    let m = module();
    assert_eq!(m.cell_layout(), Some(layout()));
    assert_eq!(m.simple("Sensitivity"), Some("60"));
    let mut r = rule();
    r.set_simple("MinCount", "7");
    r.set_simple("New", "x");
    assert_eq!(r.simple("MinCount"), Some("7"));
    assert_eq!(r.simple("New"), Some("x"));
    assert_eq!(r.cell_layout(), None);
}

// ---------------------------------------------------------------------------------------------
// PackBits and the grid

#[test]
fn packbits_matches_the_tiff_example() {
    // The example of TIFF 6.0's PackBits section.
    let packed = [
        0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7, 0xAA,
    ];
    let unpacked = [
        0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0x22, 0xAA,
        0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
    ];
    assert_eq!(unpack_bits(&packed, 100).unwrap(), unpacked);
    assert_eq!(unpack_bits(&pack_bits(&unpacked), 100).unwrap(), unpacked);
}

#[test]
fn packbits_round_trips_runs_literals_and_long_stretches() {
    let mut cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![7],
        vec![1, 2],
        vec![5, 5],
        vec![0; 300],
        (0..=255).collect(),
    ];
    cases.push((0..400u32).map(|i| (i / 3) as u8).collect());
    for c in cases {
        let p = pack_bits(&c);
        assert_eq!(unpack_bits(&p, c.len()).unwrap(), c, "{p:?}");
    }
    // 300 zeros pack in three runs.
    assert_eq!(pack_bits(&[0; 300]), [0x81, 0, 0x81, 0, 0xD5, 0]);
}

#[test]
fn an_active_cells_value_unpacks_to_its_grid() {
    // FE FF FE F0: three bytes of FF, three of F0: 48 cells, an 8x6 grid of which the first
    // three rows are full and the last three half.
    let g = CellGrid::from_active_cells(8, 6, "/v/+8A==").unwrap();
    assert_eq!(
        g.text_rows(),
        [
            "########", "########", "########", "####....", "####....", "####...."
        ]
    );
    assert_eq!(g.count(), 36);
    assert_eq!(g.active_cells(), "/v/+8A==");
}

#[test]
fn an_odd_grid_pads_its_last_byte() {
    // 22 x 18 = 396 cells: 50 bytes, the last holding 4 cells.
    let mut g = CellGrid::new(22, 18).unwrap();
    g.set(0, 0, true);
    g.set(21, 17, true);
    g.set(10, 9, true);
    let bitmap = g.to_bitmap();
    assert_eq!(bitmap.len(), 50);
    assert_eq!(bitmap[0], 0x80);
    assert_eq!(bitmap[49], 0x10, "cell 395 is bit 3 of byte 49");
    let back = CellGrid::from_active_cells(22, 18, &g.active_cells()).unwrap();
    assert_eq!(back, g);
    assert!(back.get(10, 9) && !back.get(9, 10));
    let full = CellGrid::full(22, 18).unwrap();
    let back = CellGrid::from_active_cells(22, 18, &full.active_cells()).unwrap();
    assert_eq!(back.count(), 396);
    // The text form round-trips too.
    let text = g.text_rows().join("\n");
    assert_eq!(CellGrid::parse_text(22, 18, &text).unwrap(), g);
}

#[test]
fn bad_values_are_refused_with_a_reason() {
    let e = CellGrid::from_active_cells(8, 6, "not base64!").unwrap_err();
    assert!(matches!(e, CellsError::Base64(_)), "{e}");
    // A literal run of 3 with one byte behind it.
    let e = unpack_bits(&[0x02, 0xFF], 10).unwrap_err();
    assert_eq!(
        e,
        CellsError::Truncated {
            at: 0,
            wanted: 3,
            left: 1
        }
    );
    // A repeat run with nothing to repeat.
    assert_eq!(
        unpack_bits(&[0xFE], 10).unwrap_err(),
        CellsError::NoRepeatByte { at: 0 }
    );
    // 128 bytes for a grid of 6.
    let e = CellGrid::from_active_cells(8, 6, "gQA=").unwrap_err();
    assert!(matches!(e, CellsError::Overrun { expected: 6, .. }), "{e}");
    assert!(e.to_string().contains("8x6"), "{e}");
    // Too few.
    let e = CellGrid::from_active_cells(8, 6, "AP8=").unwrap_err();
    assert!(matches!(e, CellsError::Short { got: 1, .. }), "{e}");
    assert!(CellGrid::new(0, 5).is_err() && CellGrid::new(100, 100).is_err());
}

#[test]
fn grid_text_errors_name_the_line_and_column() {
    let e = CellGrid::parse_text(3, 2, "#.#\n.x.\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 2, column 2: 'x' is not a cell (# for watched, . for ignored)"
    );
    let e = CellGrid::parse_text(3, 2, "#.#\n").unwrap_err();
    assert_eq!(
        e,
        CellsError::Rows {
            got: 1,
            expected: 2
        }
    );
    let e = CellGrid::parse_text(3, 2, "#.#\n..\n").unwrap_err();
    assert!(e.to_string().starts_with("line 2: 2 cells"), "{e}");
    let g = CellGrid::parse_text(3, 2, "#.#  \n.#.\n\n").unwrap();
    assert_eq!(g.text_rows(), ["#.#", ".#."]);
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["columns"], 3);
    assert_eq!(json["grid"][1], ".#.");
}
