//! OSDs through the client against the simulated camera over 127.0.0.1: created, listed,
//! changed and deleted, each change seen by the next call; refusals as typed faults.
#![allow(clippy::unwrap_used)]

use onvif::ErrorKind;
use onvif::proto::ops::media::osd::{
    OsdConfiguration, OsdPosition, OsdPositionType, OsdText, OsdTextType, OsdType,
};
use onvif_testkit::Sim;

fn plain(config: &str, text: &str) -> OsdConfiguration {
    let mut t = OsdText::new(OsdTextType::Plain);
    t.plain_text = Some(text.into());
    OsdConfiguration {
        token: String::new(),
        video_source_configuration_token: config.into(),
        kind: OsdType::Text,
        position: OsdPosition {
            kind: OsdPositionType::LowerLeft,
            pos: None,
        },
        text: Some(t),
        image: None,
    }
}

#[tokio::test]
async fn an_osd_is_created_listed_changed_and_deleted() {
    let (_h, cam) = Sim::builder().start_and_connect().await;
    let config = cam.video_source_configuration_token(None).await.unwrap();
    let options = cam.osd_options(&config).await.unwrap();
    assert!(options.positions.contains(&OsdPositionType::LowerLeft));
    let before = cam.osds(None).await.unwrap().len();

    let token = cam.create_osd(plain(&config, "Gate 7")).await.unwrap();
    let listed = cam.osds(Some(&config)).await.unwrap();
    assert_eq!(listed.len(), before + 1);
    let made = cam.osd(&token).await.unwrap();
    assert_eq!(
        made.text.as_ref().unwrap().plain_text.as_deref(),
        Some("Gate 7")
    );

    let mut changed = made.clone();
    changed.text.as_mut().unwrap().plain_text = Some("Gate 8".into());
    cam.set_osd(changed).await.unwrap();
    assert_eq!(
        cam.osd(&token)
            .await
            .unwrap()
            .text
            .unwrap()
            .plain_text
            .as_deref(),
        Some("Gate 8")
    );

    cam.delete_osd(&token).await.unwrap();
    let after = cam.osds(None).await.unwrap();
    assert_eq!(after.len(), before);
    assert!(after.iter().all(|o| o.token != token));
}

#[tokio::test]
async fn refusals_are_device_faults_naming_the_problem() {
    let (_h, cam) = Sim::builder().start_and_connect().await;
    let config = cam.video_source_configuration_token(None).await.unwrap();
    let e = cam
        .create_osd(plain(&config, &"y".repeat(40)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Device);
    let f = e.fault().unwrap();
    assert!(f.has_subcode("InvalidArgVal"), "{f}");
    assert!(e.to_string().contains("at most 32"), "{e}");
    let e = cam.delete_osd("OSD_404").await.unwrap_err();
    assert!(e.fault().is_some_and(|f| f.has_subcode("NoConfig")), "{e}");
    assert!(cam.osd("OSD_404").await.is_err());
}

#[tokio::test]
async fn hikvision_channel_name_osds_are_read_and_the_extension_kept_when_changed() {
    let (_h, cam) = Sim::builder()
        .quirk(onvif_sim::Quirk::OsdChannelName)
        .start_and_connect()
        .await;
    let osds = cam.osds(None).await.unwrap();
    let text = |o: &OsdConfiguration| o.text.clone().unwrap();
    assert_eq!(text(&osds[0]).channel_name, Some(false));
    let name = osds
        .iter()
        .find(|o| text(o).channel_name == Some(true))
        .unwrap();
    assert_eq!(text(name).plain_text.as_deref(), Some("Camera 01"));
    let mut renamed = name.clone();
    renamed.text.as_mut().unwrap().plain_text = Some("Gate 7".into());
    cam.set_osd(renamed).await.unwrap();
    let back = text(&cam.osd(&name.token).await.unwrap());
    assert_eq!(back.plain_text.as_deref(), Some("Gate 7"));
    assert_eq!(back.channel_name, Some(true), "written back as read");
}

#[tokio::test]
async fn osds_go_through_media1_when_media2_refuses_them_or_is_absent() {
    let media1_only = Sim::builder()
        .quirk(onvif_sim::Quirk::OsdOnMedia1Only)
        .start_and_connect()
        .await;
    let no_media2 = Sim::builder()
        .without_service(onvif::proto::Service::Media2)
        .start_and_connect()
        .await;
    for (sim, cam) in [&media1_only, &no_media2] {
        let config = cam.video_source_configuration_token(None).await.unwrap();
        let options = cam.osd_options(&config).await.unwrap();
        assert!(options.positions.contains(&OsdPositionType::LowerLeft));
        let before = cam.osds(Some(&config)).await.unwrap().len();
        let token = cam.create_osd(plain(&config, "Gate 7")).await.unwrap();
        assert_eq!(cam.osds(None).await.unwrap().len(), before + 1);
        let mut osd = cam.osd(&token).await.unwrap();
        osd.text.as_mut().unwrap().plain_text = Some("Gate 8".into());
        cam.set_osd(osd).await.unwrap();
        let text = cam.osd(&token).await.unwrap().text.unwrap();
        assert_eq!(text.plain_text.as_deref(), Some("Gate 8"));
        cam.delete_osd(&token).await.unwrap();
        assert_eq!(cam.osds(None).await.unwrap().len(), before);
        let media1 = sim.stats().operations[&(onvif::proto::Service::Media, "CreateOSD")];
        assert_eq!(media1, 1, "made through Media1, once");
    }
}
