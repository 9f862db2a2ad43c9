//! The analytics service over real sockets: the cell motion engine and detector of
//! `VideoAnalytics_1`, rules created, modified and deleted, and what the camera refuses.

#![allow(clippy::unwrap_used)]

use onvif_proto::ns::TT;
use onvif_proto::ops::Service;
use onvif_proto::ops::analytics::config::tt;
use onvif_proto::ops::analytics::{
    AnalyticsConfigurations, AnalyticsModules, CELL_MOTION_DETECTOR, CELL_MOTION_ENGINE, CellGrid,
    Config, CreateRules, DeleteRules, GetAnalyticsConfigurations, GetAnalyticsModules, GetRules,
    GetSupportedAnalyticsModules, GetSupportedRules, GetVideoAnalyticsConfigurations, ItemList,
    ModifyRules, Rules, SupportedAnalyticsModulesResponse, SupportedRulesResponse,
    VideoAnalyticsConfigurations,
};
use onvif_proto::ops::device::{GetServices, Services};
use onvif_proto::ops::events::SimpleItem;
use onvif_testkit::Sim;
use onvif_testkit::http::{DEVICE, Resp};

const ANALYTICS: &str = "/onvif/analytics_service";
const CONFIG: &str = "VideoAnalytics_1";

fn invalid_arg(r: &Resp, sub: &str) -> String {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    let subs: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["InvalidArgVal", sub], "{f}");
    f.reason.clone()
}

fn rule(name: &str, cells: &str) -> Config {
    Config {
        name: name.into(),
        kind: tt(CELL_MOTION_DETECTOR),
        parameters: ItemList {
            simple: vec![
                SimpleItem::new("MinCount", "2"),
                SimpleItem::new("ActiveCells", cells),
            ],
            element: vec![],
        },
    }
}

async fn rules(cam: &Sim) -> Vec<Config> {
    let r: Rules = cam
        .ask(
            ANALYTICS,
            &GetRules {
                configuration_token: CONFIG.into(),
            },
        )
        .await
        .read();
    r.rules
}

#[tokio::test]
async fn the_service_is_listed_with_its_engine_and_rule() {
    let cam = Sim::builder().start().await;
    let s: Services = cam
        .ask(
            DEVICE,
            &GetServices {
                include_capability: false,
            },
        )
        .await
        .read();
    assert!(
        s.services
            .iter()
            .any(|x| x.service == Some(Service::Analytics))
    );
    let m: AnalyticsModules = cam
        .ask(
            ANALYTICS,
            &GetAnalyticsModules {
                configuration_token: CONFIG.into(),
            },
        )
        .await
        .read();
    let layout = m.modules[0].cell_layout().unwrap();
    assert!(m.modules[0].is(TT, CELL_MOTION_ENGINE));
    assert_eq!((layout.columns, layout.rows), (22, 18));
    let r = rules(&cam).await;
    let cells = r[0].simple("ActiveCells").unwrap();
    assert_eq!(
        CellGrid::from_active_cells(22, 18, cells).unwrap().count(),
        396
    );
    let sm: SupportedAnalyticsModulesResponse = cam
        .ask(
            ANALYTICS,
            &GetSupportedAnalyticsModules {
                configuration_token: CONFIG.into(),
            },
        )
        .await
        .read();
    assert!(sm.supported.descriptions[0].name.is(TT, CELL_MOTION_ENGINE));
    let sr: SupportedRulesResponse = cam
        .ask(
            ANALYTICS,
            &GetSupportedRules {
                configuration_token: CONFIG.into(),
            },
        )
        .await
        .read();
    assert_eq!(sr.supported.descriptions[0].parameters.simple.len(), 4);
    // Media2 names the configuration, with the same modules and rules.
    let c: AnalyticsConfigurations = cam
        .ask(
            "/onvif/media2_service",
            &GetAnalyticsConfigurations::default(),
        )
        .await
        .read();
    assert_eq!(c.configurations[0].token, CONFIG);
    assert_eq!(c.configurations[0].rules, r);
    // And Media1, for clients without Media2.
    let v: VideoAnalyticsConfigurations = cam
        .ask("/onvif/media_service", &GetVideoAnalyticsConfigurations)
        .await
        .read();
    assert_eq!(v.configurations, c.configurations);
}

#[tokio::test]
async fn rules_are_created_modified_and_deleted() {
    let cam = Sim::builder().start().await;
    let mut g = CellGrid::new(22, 18).unwrap();
    g.set(3, 4, true);
    let r = cam
        .ask(
            ANALYTICS,
            &CreateRules {
                configuration_token: CONFIG.into(),
                rules: vec![rule("Door", &g.active_cells())],
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(rules(&cam).await.len(), 2);

    g.set(5, 6, true);
    let r = cam
        .ask(
            ANALYTICS,
            &ModifyRules {
                configuration_token: CONFIG.into(),
                rules: vec![rule("Door", &g.active_cells())],
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let now = rules(&cam).await;
    let door = now.iter().find(|r| r.name == "Door").unwrap();
    let back = CellGrid::from_active_cells(22, 18, door.simple("ActiveCells").unwrap()).unwrap();
    assert_eq!(back, g);

    let r = cam
        .ask(
            ANALYTICS,
            &DeleteRules {
                configuration_token: CONFIG.into(),
                rule_names: vec!["Door".into()],
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(rules(&cam).await.len(), 1);
}

#[tokio::test]
async fn what_the_camera_refuses_is_named() {
    let cam = Sim::builder().start().await;
    let full = CellGrid::full(22, 18).unwrap().active_cells();
    let r = cam
        .ask(
            ANALYTICS,
            &GetRules {
                configuration_token: "Other".into(),
            },
        )
        .await;
    invalid_arg(&r, "NoConfig");
    // A type of another namespace is not the cell motion detector.
    let mut vendor = rule("V", &full);
    vendor.kind.ns = Some("urn:vendor".into());
    let r = cam
        .ask(
            ANALYTICS,
            &CreateRules {
                configuration_token: CONFIG.into(),
                rules: vec![vendor],
            },
        )
        .await;
    assert!(invalid_arg(&r, "InvalidRule").contains("not supported"));
    // Cells of another grid.
    let small = CellGrid::full(8, 6).unwrap().active_cells();
    let r = cam
        .ask(
            ANALYTICS,
            &CreateRules {
                configuration_token: CONFIG.into(),
                rules: vec![rule("Small", &small)],
            },
        )
        .await;
    assert!(
        invalid_arg(&r, "InvalidRule").contains("22x18"),
        "{}",
        r.body
    );
    let r = cam
        .ask(
            ANALYTICS,
            &CreateRules {
                configuration_token: CONFIG.into(),
                rules: vec![rule("MyMotionDetectorRule", &full)],
            },
        )
        .await;
    invalid_arg(&r, "RuleAlreadyExistent");
    let r = cam
        .ask(
            ANALYTICS,
            &ModifyRules {
                configuration_token: CONFIG.into(),
                rules: vec![rule("Nobody", &full)],
            },
        )
        .await;
    invalid_arg(&r, "RuleNotExistent");
    let r = cam
        .ask(
            ANALYTICS,
            &DeleteRules {
                configuration_token: CONFIG.into(),
                rule_names: vec!["Nobody".into()],
            },
        )
        .await;
    invalid_arg(&r, "RuleNotExistent");
    assert_eq!(rules(&cam).await.len(), 1, "nothing refused was kept");
}
