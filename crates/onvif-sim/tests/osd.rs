//! Media2's OSD operations over real sockets: the default OSD, create, set and delete seen in
//! the next GetOSDs, and what the camera refuses.

#![allow(clippy::unwrap_used)]

use onvif_proto::ops::media::osd::{
    OsdConfiguration, OsdPosition, OsdPositionType, OsdText, OsdTextType, OsdType, Vector,
};
use onvif_proto::ops::media2::{
    CreateOsd, CreateOsdResponse, DeleteOsd, GetOsdOptions, GetOsds, OsdOptionsResponse, Osds,
    SetOsd,
};
use onvif_testkit::Sim;
use onvif_testkit::http::Resp;

const MEDIA2: &str = "/onvif/media2_service";

/// Assert a Sender fault with `ter:InvalidArgVal / ter:<sub>`; its reason.
fn invalid_arg(r: &Resp, sub: &str) -> String {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = r.fault();
    let subs: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["InvalidArgVal", sub], "{f}");
    f.reason.clone()
}

fn plain(text: &str) -> OsdConfiguration {
    let mut t = OsdText::new(OsdTextType::Plain);
    t.plain_text = Some(text.into());
    OsdConfiguration {
        token: String::new(),
        video_source_configuration_token: "VideoSourceConfig_1".into(),
        kind: OsdType::Text,
        position: OsdPosition {
            kind: OsdPositionType::Custom,
            pos: Some(Vector { x: 0.5, y: -0.5 }),
        },
        text: Some(t),
        image: None,
    }
}

async fn list(cam: &Sim) -> Osds {
    cam.ask(MEDIA2, &GetOsds::default()).await.read()
}

#[tokio::test]
async fn a_date_and_time_osd_is_there_from_the_start_with_its_options() {
    let cam = Sim::builder().start().await;
    let o = list(&cam).await;
    assert_eq!(o.osds.len(), 1);
    let t = o.osds[0].text.as_ref().unwrap();
    assert_eq!(t.kind, OsdTextType::DateAndTime);
    let opts: OsdOptionsResponse = cam
        .ask(
            MEDIA2,
            &GetOsdOptions {
                configuration_token: "VideoSourceConfig_1".into(),
            },
        )
        .await
        .read();
    assert_eq!(opts.options.maximum.total, 4);
    assert!(opts.options.positions.contains(&OsdPositionType::Custom));
    let r = cam
        .ask(
            MEDIA2,
            &GetOsdOptions {
                configuration_token: "nope".into(),
            },
        )
        .await;
    invalid_arg(&r, "NoConfig");
}

#[tokio::test]
async fn osds_are_created_changed_and_deleted() {
    let cam = Sim::builder().start().await;
    let c: CreateOsdResponse = cam
        .ask(
            MEDIA2,
            &CreateOsd {
                osd: plain("Gate 1"),
            },
        )
        .await
        .read();
    let o = list(&cam).await;
    assert_eq!(o.osds.len(), 2);
    let made = o.osds.iter().find(|x| x.token == c.token).unwrap();
    assert_eq!(
        made.text.as_ref().unwrap().plain_text.as_deref(),
        Some("Gate 1")
    );
    assert_eq!(made.position.pos, Some(Vector { x: 0.5, y: -0.5 }));

    let mut changed = plain("Gate 2");
    changed.token = c.token.clone();
    changed.position = OsdPosition {
        kind: OsdPositionType::LowerRight,
        pos: None,
    };
    let r = cam.ask(MEDIA2, &SetOsd { osd: changed }).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let one: Osds = cam
        .ask(
            MEDIA2,
            &GetOsds {
                osd_token: Some(c.token.clone()),
                configuration_token: None,
            },
        )
        .await
        .read();
    assert_eq!(one.osds.len(), 1);
    assert_eq!(one.osds[0].position.kind, OsdPositionType::LowerRight);

    let r = cam
        .ask(
            MEDIA2,
            &DeleteOsd {
                osd_token: c.token.clone(),
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(list(&cam).await.osds.len(), 1);
    let again = cam.ask(MEDIA2, &DeleteOsd { osd_token: c.token }).await;
    assert!(invalid_arg(&again, "NoConfig").contains("OSD"));
}

#[tokio::test]
async fn what_the_camera_refuses_is_named() {
    let cam = Sim::builder().start().await;
    let long = "x".repeat(33);
    let r = cam.ask(MEDIA2, &CreateOsd { osd: plain(&long) }).await;
    let why = invalid_arg(&r, "ConfigModify");
    assert!(why.contains("at most 32"), "{why}");
    let mut off = plain("x");
    off.position.pos = Some(Vector { x: 1.5, y: 0.0 });
    let r = cam.ask(MEDIA2, &CreateOsd { osd: off }).await;
    assert!(invalid_arg(&r, "ConfigModify").contains("outside the frame"));
    let mut other = plain("x");
    other.token = "OSD_77".into();
    let r = cam.ask(MEDIA2, &SetOsd { osd: other }).await;
    assert!(invalid_arg(&r, "NoConfig").contains("OSD_77"));
    let r = cam
        .ask(
            MEDIA2,
            &GetOsds {
                osd_token: Some("OSD_77".into()),
                configuration_token: None,
            },
        )
        .await;
    invalid_arg(&r, "NoConfig");
    // Nothing refused was kept.
    assert_eq!(list(&cam).await.osds.len(), 1);
    // A second date-and-time OSD is one too many; so is a fifth OSD.
    let mut date = plain("x");
    date.text = Some(OsdText::new(OsdTextType::DateAndTime));
    let r = cam.ask(MEDIA2, &CreateOsd { osd: date }).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert!(r.fault().has_subcode("MaxOSDs"));
    for i in 0..3 {
        let r = cam
            .ask(
                MEDIA2,
                &CreateOsd {
                    osd: plain(&format!("{i}")),
                },
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = cam.ask(MEDIA2, &CreateOsd { osd: plain("five") }).await;
    assert!(r.fault().has_subcode("MaxOSDs"), "{}", r.body);
    // Nor can a plain OSD become a second date-and-time one.
    let mut second = plain("x");
    second.token = "OSD_2".into();
    second.text = Some(OsdText::new(OsdTextType::DateAndTime));
    let r = cam.ask(MEDIA2, &SetOsd { osd: second }).await;
    assert!(r.fault().has_subcode("MaxOSDs"), "{}", r.body);
    // The date-and-time one may be changed as itself.
    let mut first = list(&cam).await.osds.remove(0);
    first.position.kind = OsdPositionType::LowerRight;
    let r = cam.ask(MEDIA2, &SetOsd { osd: first }).await;
    assert_eq!(r.status, 200, "{}", r.body);
}
