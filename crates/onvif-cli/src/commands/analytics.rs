//! `analytics`: the modules and rules of a video analytics configuration, and the cell motion
//! detector's region as a grid of `#` (watched) and `.` (ignored) cells.

use std::io::Read as _;
use std::path::Path;

use onvif::Camera;
use onvif::proto::ns::TT;
use onvif::proto::ops::analytics::{CellGrid, Config};
use onvif::proto::xml::QNameValue;
use onvif::services::analytics::MotionRegion;

use crate::args::analytics::{AnalyticsAction, AnalyticsArgs, MotionRegionArgs};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean, table};

pub async fn run(cam: &Camera, args: &AnalyticsArgs, out: &Out) -> Result<(), Failure> {
    // A grid file is read before the camera is asked anything.
    let grid_text = match &args.action {
        AnalyticsAction::MotionRegion(MotionRegionArgs { set: Some(p), .. }) => Some(read_grid(p)?),
        _ => None,
    };
    let config = cam
        .analytics_configuration_token(args.configuration.as_deref())
        .await?;
    match &args.action {
        AnalyticsAction::Modules => {
            let m = cam.analytics_modules(&config).await?;
            out.answer(&m, |m| configs_text(m, "modules"))
        }
        AnalyticsAction::Rules => {
            let r = cam.rules(&config).await?;
            out.answer(&r, |r| configs_text(r, "rules"))
        }
        AnalyticsAction::MotionRegion(m) => {
            let rule = m.rule.as_deref();
            if let (Some(text), Some(path)) = (grid_text, &m.set) {
                let layout = cam.cell_layout(&config).await?;
                let grid = CellGrid::parse_text(layout.columns, layout.rows, &text)
                    .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
                cam.set_motion_region(&config, rule, &grid).await?;
                let back = cam.motion_region(&config, rule).await?;
                if back.grid != grid {
                    return Err(Failure {
                        code: exit::DEVICE,
                        message: format!(
                            "the camera kept another grid than the one written to rule {}",
                            clean(&back.rule)
                        ),
                    });
                }
                return out.answer(&back, region_text);
            }
            let region = cam.motion_region(&config, rule).await?;
            out.answer(&region, region_text)
        }
    }
}

/// The grid file's text (`-`: standard input); unreadable is a usage error naming the file.
fn read_grid(path: &Path) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    Ok(text)
}

/// `tt:Name` for the schema's types, `{namespace}Name` for others.
fn type_name(q: &QNameValue) -> String {
    match q.ns.as_deref() {
        Some(TT) => format!("tt:{}", q.name),
        _ => q.to_string(),
    }
}

fn configs_text(list: &[Config], what: &str) -> String {
    if list.is_empty() {
        return format!("No {what}\n");
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            let mut params: Vec<String> = c
                .parameters
                .simple
                .iter()
                .map(|i| format!("{}={}", i.name, i.value))
                .collect();
            for e in &c.parameters.element {
                let inner = match (c.cell_layout(), &e.element) {
                    (Some(l), Some(el)) if el.is(TT, "CellLayout") => {
                        format!("{}x{} cells", l.columns, l.rows)
                    }
                    (_, Some(el)) => el.name.clone(),
                    (_, None) => "-".into(),
                };
                params.push(format!("{}: {inner}", e.name));
            }
            vec![c.name.clone(), type_name(&c.kind), params.join("  ")]
        })
        .collect();
    table(&["Name", "Type", "Parameters"], &rows)
}

fn region_text(r: &MotionRegion) -> String {
    let mut s = format!(
        "Rule {} on {}: {}x{} cells, {} watched (# watched, . ignored)\n",
        clean(&r.rule),
        clean(&r.configuration),
        r.grid.columns(),
        r.grid.rows(),
        r.grid.count()
    );
    for row in r.grid.text_rows() {
        s.push_str(&row);
        s.push('\n');
    }
    s
}
