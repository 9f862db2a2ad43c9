//! What validating clients need of the answers: xs:sequence order, declared prefixes of QName
//! values.

use super::*;

/// The names of `el`'s child elements, in order.
fn child_names(el: &Element) -> Vec<&str> {
    el.children.iter().map(|c| c.name.as_str()).collect()
}

/// Clients that validate (zeep's strict mode, gSOAP, .NET's XmlSerializer) refuse or skip
/// the children of an xs:sequence out of order, and a QName value whose prefix is not
/// declared.
#[tokio::test]
async fn answers_keep_the_order_and_declarations_validating_clients_need() {
    let h = camera().start().await;
    let style = Style::Soap12;
    let r = request(
        style,
        "/onvif/device_service",
        "http://www.onvif.org/ver10/device/wsdl/GetCapabilities",
        "",
        r#"<GetCapabilities xmlns="http://www.onvif.org/ver10/device/wsdl"><Category>All</Category></GetCapabilities>"#,
    )
    .send(h.addr())
    .await;
    let caps = payload(style, &r);
    let category = |name: &str| find(&caps, ns::TT, name).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(
        child_names(category("Events")),
        [
            "XAddr",
            "WSSubscriptionPolicySupport",
            "WSPullPointSupport",
            "WSPausableSubscriptionManagerInterfaceSupport"
        ]
    );
    assert_eq!(
        child_names(category("Analytics")),
        ["XAddr", "RuleSupport", "AnalyticsModuleSupport"]
    );
    assert_eq!(
        child_names(category("StreamingCapabilities")),
        ["RTPMulticast", "RTP_TCP", "RTP_RTSP_TCP"]
    );
    assert_eq!(
        child_names(category("DeviceIO")),
        [
            "XAddr",
            "VideoSources",
            "VideoOutputs",
            "AudioSources",
            "AudioOutputs",
            "RelayOutputs"
        ]
    );
    assert_eq!(
        child_names(category("Recording")),
        [
            "XAddr",
            "ReceiverSource",
            "MediaProfileSource",
            "DynamicRecordings",
            "DynamicTracks",
            "MaxStringLength"
        ]
    );
    // Item types are QNames (`xs:boolean`): their prefix is declared.
    let r = request(
        style,
        EVENTS,
        "http://www.onvif.org/ver10/events/wsdl/GetEventProperties",
        "",
        r#"<GetEventProperties xmlns="http://www.onvif.org/ver10/events/wsdl"/>"#,
    )
    .send(h.addr())
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(r#"Type="xs:boolean""#), "{}", r.body);
    assert!(
        r.body
            .contains(r#"xmlns:xs="http://www.w3.org/2001/XMLSchema""#),
        "{}",
        r.body
    );
    h.shutdown().await;
}
