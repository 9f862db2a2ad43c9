//! The camera's one video analytics configuration (`VideoAnalytics_1`): a cell motion engine
//! on a 22 x 18 grid and a cell motion detector rule watching every cell. Rules are created,
//! modified and deleted with the checks a camera makes: only cell motion detectors, with
//! integer delays and an `ActiveCells` that unpacks to the engine's grid.

use onvif_proto::Fault;
use onvif_proto::ns::TT;
use onvif_proto::ops::analytics::config::tt;
use onvif_proto::ops::analytics::{
    CELL_MOTION_DETECTOR, CELL_MOTION_ENGINE, CellGrid, CellLayout, Config, ConfigDescription,
    ItemDescription, ItemList, ItemListDescription, MessageDescription, Transformation,
};
use onvif_proto::ops::events::{ElementItem, SimpleItem};
use onvif_proto::ops::media::osd::Vector;
use onvif_proto::xml::QNameValue;

use crate::fault::{receiver, sender};

/// The token of the one video analytics configuration.
pub(crate) const ANALYTICS_CONFIG: &str = "VideoAnalytics_1";

/// The cell motion detector rule, named in the motion events too.
pub(crate) const MOTION_RULE: &str = "MyMotionDetectorRule";
/// The grid of the cell motion engine.
pub(crate) const COLUMNS: u32 = 22;
/// The grid of the cell motion engine.
pub(crate) const ROWS: u32 = 18;
/// The most rules the configuration holds.
pub(crate) const MAX_RULES: usize = 4;

const XS: &str = "http://www.w3.org/2001/XMLSchema";
/// Hikvision's extension schema (capture `ex_onvif/get_analytics_modules.xml`).
pub(crate) const HIKXSD: &str = "http://www.onvifext.com/onvif/ext/ver10/schema";

/// Hikvision's `hikxsd:TamperEngine`, its `Transformation` item a bare `tt:Transformation`.
fn tamper_engine() -> Config {
    let doc = format!(
        "<tt:Transformation xmlns:tt=\"{TT}\"><tt:Translate x=\"-1.0\" y=\"-1.0\"/>\
         <tt:Scale x=\"0.002841\" y=\"0.003472\"/></tt:Transformation>"
    );
    let transformation = onvif_proto::xml::parse_str(&doc).expect("a fixed element parses");
    Config {
        name: "MyTamperDetecModule".into(),
        kind: QNameValue {
            ns: Some(HIKXSD.into()),
            name: "TamperEngine".into(),
        },
        parameters: ItemList {
            simple: vec![SimpleItem::new("Sensitivity", "0")],
            element: vec![ElementItem::new("Transformation", transformation)],
        },
    }
}

/// Modules and rules of `VideoAnalytics_1`.
#[derive(Debug, Clone)]
pub(crate) struct AnalyticsState {
    pub modules: Vec<Config>,
    pub rules: Vec<Config>,
}

impl AnalyticsState {
    /// With `vendor` ([`crate::Quirk::VendorAnalyticsModule`]), Hikvision's tamper engine too.
    pub(crate) fn new(vendor: bool) -> Self {
        let layout = CellLayout {
            columns: COLUMNS,
            rows: ROWS,
            transformation: Transformation {
                translate: Some(Vector { x: -1.0, y: -1.0 }),
                scale: Some(Vector {
                    x: 2.0 / f64::from(COLUMNS),
                    y: 2.0 / f64::from(ROWS),
                }),
            },
        };
        let module = Config {
            name: "MyCellMotionModule".into(),
            kind: tt(CELL_MOTION_ENGINE),
            parameters: ItemList {
                simple: vec![SimpleItem::new("Sensitivity", "50")],
                element: vec![ElementItem::new("Layout", layout.to_element())],
            },
        };
        let all = CellGrid::full(COLUMNS, ROWS).map(|g| g.active_cells());
        let rule = Config {
            name: MOTION_RULE.into(),
            kind: tt(CELL_MOTION_DETECTOR),
            parameters: ItemList {
                simple: vec![
                    SimpleItem::new("MinCount", "5"),
                    SimpleItem::new("AlarmOnDelay", "1000"),
                    SimpleItem::new("AlarmOffDelay", "1000"),
                    SimpleItem::new("ActiveCells", &all.unwrap_or_default()),
                ],
                element: Vec::new(),
            },
        };
        let mut modules = vec![module];
        if vendor {
            modules.push(tamper_engine());
        }
        AnalyticsState {
            modules,
            rules: vec![rule],
        }
    }

    pub(crate) fn create(&mut self, rules: Vec<Config>) -> Result<(), Fault> {
        for (i, r) in rules.iter().enumerate() {
            check_rule(r)?;
            if self
                .rules
                .iter()
                .chain(&rules[..i])
                .any(|x| x.name == r.name)
            {
                return Err(sender(
                    &["InvalidArgVal", "RuleAlreadyExistent"],
                    format!("a rule named {:?} exists already", r.name),
                ));
            }
        }
        if self.rules.len() + rules.len() > MAX_RULES {
            return Err(receiver(
                &["Action", "TooManyRules"],
                format!("this configuration holds at most {MAX_RULES} rules"),
            ));
        }
        self.rules.extend(rules);
        Ok(())
    }

    pub(crate) fn modify(&mut self, rules: Vec<Config>) -> Result<(), Fault> {
        let mut at = Vec::with_capacity(rules.len());
        for r in &rules {
            let i = self.index(&r.name)?;
            if self.rules[i].kind != r.kind {
                return Err(invalid_rule(format!(
                    "rule {:?} is a {}; its type cannot change",
                    r.name, self.rules[i].kind.name
                )));
            }
            check_rule(r)?;
            at.push(i);
        }
        for (i, r) in at.into_iter().zip(rules) {
            self.rules[i] = r;
        }
        Ok(())
    }

    pub(crate) fn delete(&mut self, names: &[String]) -> Result<(), Fault> {
        for n in names {
            self.index(n)?;
        }
        self.rules.retain(|r| !names.contains(&r.name));
        Ok(())
    }

    fn index(&self, name: &str) -> Result<usize, Fault> {
        self.rules
            .iter()
            .position(|r| r.name == name)
            .ok_or_else(|| {
                sender(
                    &["InvalidArgVal", "RuleNotExistent"],
                    format!("no rule named {name:?}"),
                )
            })
    }
}

/// `Sender / ter:InvalidArgVal / ter:NoConfig` unless `token` is the configuration's.
pub(crate) fn configuration(token: &str) -> Result<(), Fault> {
    if token == ANALYTICS_CONFIG {
        Ok(())
    } else {
        Err(sender(
            &["InvalidArgVal", "NoConfig"],
            format!(
                "no video analytics configuration with token {token:?} (this camera has {ANALYTICS_CONFIG})"
            ),
        ))
    }
}

fn invalid_rule(reason: String) -> Fault {
    sender(&["InvalidArgVal", "InvalidRule"], reason)
}

/// A cell motion detector whose numbers are numbers and whose cells fit the grid.
fn check_rule(r: &Config) -> Result<(), Fault> {
    if r.name.trim().is_empty() {
        return Err(invalid_rule("a rule needs a name".into()));
    }
    if !r.is(TT, CELL_MOTION_DETECTOR) {
        return Err(invalid_rule(format!(
            "rule type {} is not supported (tt:{CELL_MOTION_DETECTOR} only)",
            r.kind
        )));
    }
    for name in ["MinCount", "AlarmOnDelay", "AlarmOffDelay"] {
        if let Some(v) = r.simple(name)
            && v.trim().parse::<u32>().is_err()
        {
            return Err(invalid_rule(format!(
                "{name} {v:?} is not a whole number of 0 or more"
            )));
        }
    }
    let cells = r
        .simple("ActiveCells")
        .ok_or_else(|| invalid_rule("a cell motion detector needs ActiveCells".into()))?;
    CellGrid::from_active_cells(COLUMNS, ROWS, cells)
        .map_err(|e| invalid_rule(format!("{e} (the layout is {COLUMNS}x{ROWS})")))?;
    Ok(())
}

fn item(name: &str, ns: &str, kind: &str) -> ItemDescription {
    ItemDescription {
        name: name.into(),
        kind: QNameValue {
            ns: Some(ns.into()),
            name: kind.into(),
        },
    }
}

/// The cell motion engine, as GetSupportedAnalyticsModules describes it.
pub(crate) fn module_description() -> ConfigDescription {
    ConfigDescription {
        name: tt(CELL_MOTION_ENGINE),
        fixed: Some(true),
        max_instances: Some(1),
        parameters: ItemListDescription {
            simple: vec![item("Sensitivity", XS, "integer")],
            element: vec![item("Layout", TT, "CellLayout")],
        },
        messages: Vec::new(),
    }
}

/// The cell motion detector, as GetSupportedRules describes it.
pub(crate) fn rule_description() -> ConfigDescription {
    ConfigDescription {
        name: tt(CELL_MOTION_DETECTOR),
        fixed: None,
        max_instances: Some(MAX_RULES as u32),
        parameters: ItemListDescription {
            simple: vec![
                item("MinCount", XS, "integer"),
                item("AlarmOnDelay", XS, "integer"),
                item("AlarmOffDelay", XS, "integer"),
                item("ActiveCells", XS, "base64Binary"),
            ],
            element: Vec::new(),
        },
        messages: vec![MessageDescription {
            is_property: Some(true),
            source: Some(ItemListDescription {
                simple: vec![
                    item("VideoSourceConfigurationToken", TT, "ReferenceToken"),
                    item("VideoAnalyticsConfigurationToken", TT, "ReferenceToken"),
                    item("Rule", XS, "string"),
                ],
                element: Vec::new(),
            }),
            key: None,
            data: Some(ItemListDescription {
                simple: vec![item("IsMotion", XS, "boolean")],
                element: Vec::new(),
            }),
            parent_topic: Some("tns1:RuleEngine/CellMotionDetector/Motion".into()),
        }],
    }
}
