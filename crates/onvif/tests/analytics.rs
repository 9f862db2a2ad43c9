//! Analytics through the client against the simulated camera over 127.0.0.1: modules, rules,
//! and the cell motion region written and read back.
#![allow(clippy::unwrap_used)]

use onvif::ErrorKind;
use onvif::proto::ns::TT;
use onvif::proto::ops::analytics::config::tt;
use onvif::proto::ops::analytics::{CELL_MOTION_DETECTOR, CellGrid, Config, ItemList};
use onvif::proto::ops::events::SimpleItem;
use onvif_testkit::Sim;

#[tokio::test]
async fn a_motion_region_is_set_and_read_back() {
    let (_h, cam) = Sim::builder().start_and_connect().await;
    let config = cam.analytics_configuration_token(None).await.unwrap();
    assert_eq!(config, "VideoAnalytics_1");
    let before = cam.motion_region(&config, None).await.unwrap();
    assert_eq!((before.grid.columns(), before.grid.rows()), (22, 18));
    assert_eq!(before.grid.count(), 22 * 18);

    let mut g = CellGrid::new(22, 18).unwrap();
    for c in 0..11 {
        g.set(c, 0, true);
    }
    g.set(21, 17, true);
    cam.set_motion_region(&config, None, &g).await.unwrap();
    let after = cam.motion_region(&config, None).await.unwrap();
    assert_eq!(after.grid, g);
    assert_eq!(after.rule, before.rule);
    // The rule's other parameters are kept.
    let rules = cam.rules(&config).await.unwrap();
    assert_eq!(rules[0].simple("MinCount"), Some("5"));

    let wrong = CellGrid::new(8, 6).unwrap();
    let e = cam
        .set_motion_region(&config, None, &wrong)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert!(e.to_string().contains("22x18"), "{e}");
}

#[tokio::test]
async fn rules_are_created_and_deleted_and_modules_listed() {
    let (_h, cam) = Sim::builder().start_and_connect().await;
    let config = cam.analytics_configuration_token(None).await.unwrap();
    let caps = cam.analytics_capabilities().await.unwrap();
    assert!(caps.flag("RuleSupport") && caps.flag("AnalyticsModuleSupport"));
    let modules = cam.analytics_modules(&config).await.unwrap();
    assert_eq!(modules.len(), 1);
    assert_eq!(cam.cell_layout(&config).await.unwrap().columns, 22);
    assert_eq!(cam.supported_rules(&config).await.unwrap().len(), 1);
    assert_eq!(
        cam.supported_analytics_modules(&config)
            .await
            .unwrap()
            .len(),
        1
    );
    let rule = Config {
        name: "Yard".into(),
        kind: tt(CELL_MOTION_DETECTOR),
        parameters: ItemList {
            simple: vec![SimpleItem::new(
                "ActiveCells",
                &CellGrid::full(22, 18).unwrap().active_cells(),
            )],
            element: vec![],
        },
    };
    cam.create_rules(&config, vec![rule]).await.unwrap();
    let names: Vec<String> = cam
        .rules(&config)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert!(names.contains(&"Yard".to_owned()), "{names:?}");
    let yard = cam.motion_region(&config, Some("Yard")).await.unwrap();
    assert!(yard.grid.get(0, 0));
    cam.delete_rules(&config, &["Yard".into()]).await.unwrap();
    let rules = cam.rules(&config).await.unwrap();
    assert!(
        rules
            .iter()
            .all(|r| r.name != "Yard" && r.is(TT, CELL_MOTION_DETECTOR))
    );
    let e = cam.motion_region(&config, Some("Yard")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    let e = cam.rules("Nope").await.unwrap_err();
    assert!(e.fault().is_some_and(|f| f.has_subcode("NoConfig")), "{e}");
}

#[tokio::test]
async fn a_vendor_module_keeps_its_namespace_and_its_bare_transformation() {
    let (_h, cam) = Sim::builder()
        .quirk(onvif_sim::Quirk::VendorAnalyticsModule)
        .start_and_connect()
        .await;
    let config = cam.analytics_configuration_token(None).await.unwrap();
    let modules = cam.analytics_modules(&config).await.unwrap();
    assert_eq!(modules.len(), 2);
    let tamper = modules
        .iter()
        .find(|m| m.kind.name == "TamperEngine")
        .unwrap();
    let hik = "http://www.onvifext.com/onvif/ext/ver10/schema";
    assert_eq!(tamper.kind.ns.as_deref(), Some(hik));
    let item = &tamper.parameters.element[0];
    assert_eq!(item.name, "Transformation");
    assert!(item.element.as_ref().unwrap().is(TT, "Transformation"));
    // The standard engine is still found beside it.
    assert_eq!(cam.cell_layout(&config).await.unwrap().columns, 22);
}
