//! Requests shaped like other people's clients, hand-written, over real HTTP: the default
//! posture must serve them as real cameras do, the strict posture must refuse what it means to
//! refuse.
//!
//! The shapes, and where they come from:
//! - python-zeep (python-onvif-zeep, onvif-zeep-async): SOAP 1.2, a `soap-env` prefix, the
//!   WSDL action in Content-Type and `wsa:Action`, a PasswordDigest token; zeep does not echo
//!   ReferenceParameters unless the caller adds them by hand.
//! - Hand-rolled clients (agsh/onvif, node-onvif and many scripts): short action URIs such as
//!   `http://www.onvif.org/ver10/events/wsdl/CreatePullPointSubscription`, reference
//!   parameters echoed without `wsa:IsReferenceParameter`, or none at all.
//! - SOAP 1.1 toolkits: `text/xml` with a `SOAPAction` header and a 1.1 envelope, here with a
//!   PasswordText token (the camera is configured to accept it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine;
use onvif_proto::ns;
use onvif_proto::soap::{Envelope, Fault};
use onvif_proto::xml::Element;
use onvif_sim::{Quirk, SimHandle};
use onvif_testkit::http::{LIMIT, Req, Resp};
use onvif_testkit::{PASSWORD, Sim, SimBuilder, USER};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod schema;
mod wsdl_actions;

const SIM_NS: &str = "urn:onvif-sim";

const EVENTS: &str = "/onvif/event_service";
const PTZ: &str = "/onvif/ptz_service";
const MEDIA: &str = "/onvif/media_service";

/// The short action URIs hand-written clients announce (namespace + "/" + operation), where
/// the WSDL says e.g. `.../EventPortType/CreatePullPointSubscriptionRequest`.
const SHORT_CREATE: &str = "http://www.onvif.org/ver10/events/wsdl/CreatePullPointSubscription";
const SHORT_PULL: &str = "http://www.onvif.org/ver10/events/wsdl/PullMessages";
const SHORT_RENEW: &str = "http://docs.oasis-open.org/wsn/b-2/Renew";
const SHORT_UNSUBSCRIBE: &str = "http://docs.oasis-open.org/wsn/b-2/Unsubscribe";
const SHORT_SUBSCRIBE: &str = "http://docs.oasis-open.org/wsn/b-2/Subscribe";
/// The WSDL's action for CreatePullPointSubscription.
const WSDL_CREATE: &str =
    "http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest";

/// How a client writes its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// SOAP 1.2, `application/soap+xml; action=...`, `wsa:Action`, PasswordDigest (zeep-like).
    Soap12,
    /// SOAP 1.1, `text/xml` + `SOAPAction`, PasswordText.
    Soap11,
}

/// The default posture (what real cameras take), accepting PasswordText too.
fn camera() -> SimBuilder {
    Sim::builder()
        .strict(false)
        .config(|c| c.accept_password_text(true))
}

/// A PasswordDigest UsernameToken, written out as zeep does (Created with `Z`, Base64 nonce).
fn digest_token(created: &str) -> String {
    let mut nonce = [0u8; 16];
    onvif_proto::wsse::fill_random(&mut nonce);
    let digest = onvif_proto::wsse::password_digest(&nonce, created, PASSWORD);
    let nonce = base64::engine::general_purpose::STANDARD.encode(nonce);
    format!(
        r#"<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>{USER}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">{digest}</wsse:Password><wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">{nonce}</wsse:Nonce><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">{created}</wsu:Created></wsse:UsernameToken></wsse:Security>"#
    )
}

/// A PasswordText UsernameToken (no nonce, no Created), as simple clients send.
fn text_token(password: &str) -> String {
    format!(
        r#"<Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken><Username>{USER}</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">{password}</Password></UsernameToken></Security>"#
    )
}

fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The request of `style` for `body` (whose element declares its own namespaces), announcing
/// `action`, with `extra` header blocks (echoed reference parameters).
fn request(style: Style, path: &str, action: &str, extra: &str, body: &str) -> Req {
    match style {
        Style::Soap12 => {
            let env = format!(
                r#"<?xml version='1.0' encoding='utf-8'?>
<soap-env:Envelope xmlns:soap-env="http://www.w3.org/2003/05/soap-envelope"><soap-env:Header xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Action>{action}</wsa:Action><wsa:MessageID>urn:uuid:7b1c2c6e-0000-4000-8000-000000000001</wsa:MessageID>{extra}{}</soap-env:Header><soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>"#,
                digest_token(&now())
            );
            Req::new("POST", path, &env).header(
                "Content-Type",
                &format!(r#"application/soap+xml; charset=utf-8; action="{action}""#),
            )
        }
        Style::Soap11 => {
            let env = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header>{extra}{}</SOAP-ENV:Header><SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>"#,
                text_token(PASSWORD)
            );
            Req::new("POST", path, &env)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", &format!("\"{action}\""))
        }
    }
}

/// The answer's first Body element, after checking it is a 200 in the request's SOAP version.
fn payload(style: Style, r: &Resp) -> Element {
    assert_eq!(r.status, 200, "{}", r.body);
    let env = r.envelope();
    match style {
        Style::Soap12 => {
            assert_eq!(
                r.header("content-type"),
                Some("application/soap+xml; charset=utf-8")
            );
            assert_eq!(env.version, onvif_proto::soap::SoapVersion::Soap12);
        }
        Style::Soap11 => {
            assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
            assert_eq!(env.version, onvif_proto::soap::SoapVersion::Soap11);
        }
    }
    env.payload().unwrap().clone()
}

/// The fault of a refusal.
fn fault(r: &Resp) -> Fault {
    assert_ne!(r.status, 200, "{}", r.body);
    r.fault()
}

/// Sender fault with `ter:InvalidArgVal` (SOAP 1.2, HTTP 400).
fn assert_invalid_arg(r: &Resp, about: &str) {
    assert_eq!(r.status, 400, "{}", r.body);
    let f = fault(r);
    assert_eq!(f.code.name, "Sender", "{f}");
    assert!(f.has_subcode("InvalidArgVal"), "{f}");
    assert!(f.reason.contains(about), "{f}");
}

fn find<'a>(el: &'a Element, ns: &str, name: &str) -> Option<&'a Element> {
    std::iter::once(el)
        .chain(el.descendants())
        .find(|e| e.is(ns, name))
}

/// A created subscription as a client that ignores ReferenceParameters sees it: its address
/// (as a path here, the host being ours) and, for clients that do echo, the id.
struct Sub {
    path: String,
    id: String,
}

fn subscription(resp: &Element) -> Sub {
    let reference = resp
        .child(ns::TEV, "SubscriptionReference")
        .or_else(|| resp.child(ns::WSNT, "SubscriptionReference"))
        .expect("a SubscriptionReference");
    let address = reference.child(ns::WSA, "Address").unwrap().text().trim();
    let rest = address.split_once("://").unwrap().1;
    let path = rest[rest.find('/').unwrap()..].to_owned();
    let id = find(reference, SIM_NS, "SubscriptionId")
        .map(|e| e.text().trim().to_owned())
        .unwrap_or_default();
    Sub { path, id }
}

const CREATE_BODY: &str = r#"<CreatePullPointSubscription xmlns="http://www.onvif.org/ver10/events/wsdl"><InitialTerminationTime>PT60S</InitialTerminationTime></CreatePullPointSubscription>"#;
const PULL_BODY: &str = r#"<tev:PullMessages xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><tev:Timeout>PT5S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>"#;
const RENEW_BODY: &str = r#"<wsnt:Renew xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"><wsnt:TerminationTime>PT120S</wsnt:TerminationTime></wsnt:Renew>"#;
const UNSUBSCRIBE_BODY: &str =
    r#"<wsnt:Unsubscribe xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"/>"#;

/// The SimpleItem `name` values of the messages in a PullMessagesResponse or Notify, with
/// their PropertyOperation.
fn items(el: &Element, name: &str) -> Vec<(String, String)> {
    el.descendants()
        .into_iter()
        .filter(|e| e.is(ns::TT, "Message"))
        .filter_map(|m| {
            let op = m.attr("PropertyOperation").unwrap_or_default().to_owned();
            let v = m
                .descendants()
                .into_iter()
                .find(|i| i.is(ns::TT, "SimpleItem") && i.attr("Name") == Some(name))?
                .attr("Value")?
                .to_owned();
            Some((op, v))
        })
        .collect()
}

async fn create(h: &SimHandle, style: Style, action: &str) -> Sub {
    let r = request(style, EVENTS, action, "", CREATE_BODY)
        .send(h.addr())
        .await;
    subscription(&payload(style, &r))
}

/// The pull-point life of a client that never echoes ReferenceParameters and announces short
/// actions: create, long-poll and get a motion event, renew, unsubscribe.
async fn pull_point_flow(style: Style) {
    let h = camera().start().await;
    let sub = create(&h, style, SHORT_CREATE).await;
    assert!(sub.path.starts_with("/onvif/subscription/"), "{}", sub.path);
    assert!(
        !sub.id.is_empty(),
        "the camera offers a reference parameter"
    );

    // The Initialized states come first.
    let first = request(style, &sub.path, SHORT_PULL, "", PULL_BODY)
        .send(h.addr())
        .await;
    // Topics as cameras write them: clients that match them as text (Home Assistant's
    // parsers) know `tns1:` only.
    assert!(
        first
            .body
            .contains(r#"xmlns:tns1="http://www.onvif.org/ver10/topics""#),
        "{}",
        first.body
    );
    let first = payload(style, &first);
    assert!(first.is(ns::TEV, "PullMessagesResponse"), "{first:?}");
    let topic = find(&first, ns::WSNT, "Topic").expect("a topic");
    assert!(topic.text().trim().starts_with("tns1:"), "{}", topic.text());
    assert_eq!(
        items(&first, "IsMotion"),
        [("Initialized".to_owned(), "false".to_owned())]
    );

    // A long poll that the motion event ends.
    let addr = h.addr();
    let path = sub.path.clone();
    let poll = tokio::spawn(async move {
        request(style, &path, SHORT_PULL, "", PULL_BODY)
            .send(addr)
            .await
    });
    h.pulls_waiting(1).await;
    h.emit_motion(true);
    let got = poll.await.unwrap();
    assert_eq!(
        items(&payload(style, &got), "IsMotion"),
        [("Changed".to_owned(), "true".to_owned())]
    );

    let renewed = request(style, &sub.path, SHORT_RENEW, "", RENEW_BODY)
        .send(h.addr())
        .await;
    let renewed = payload(style, &renewed);
    assert!(renewed.is(ns::WSNT, "RenewResponse"), "{renewed:?}");
    assert!(renewed.child(ns::WSNT, "TerminationTime").is_some());

    let gone = request(style, &sub.path, SHORT_UNSUBSCRIBE, "", UNSUBSCRIBE_BODY)
        .send(h.addr())
        .await;
    assert!(payload(style, &gone).is(ns::WSNT, "UnsubscribeResponse"));
    assert_eq!(h.event_subscriptions(), 0);

    // The address is still checked: the subscription is gone.
    let late = request(style, &sub.path, SHORT_PULL, "", PULL_BODY)
        .send(h.addr())
        .await;
    let f = fault(&late);
    assert!(
        f.subcodes.iter().any(|s| s.name == "ResourceUnknownFault")
            || f.reason.contains("no subscription"),
        "{f}"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn pull_point_without_reference_parameters_soap12() {
    pull_point_flow(Style::Soap12).await;
}

#[tokio::test]
async fn pull_point_without_reference_parameters_soap11() {
    pull_point_flow(Style::Soap11).await;
}

/// A reference parameter echoed the way hand-written clients do: without
/// `wsa:IsReferenceParameter`. Accepted; one naming another subscription is not.
#[tokio::test]
async fn reference_parameter_without_is_reference_parameter() {
    let h = camera().start().await;
    let sub = create(&h, Style::Soap12, WSDL_CREATE).await;
    let echo = format!(
        r#"<SubscriptionId xmlns="{SIM_NS}">{}</SubscriptionId>"#,
        sub.id
    );
    let r = request(Style::Soap12, &sub.path, SHORT_PULL, &echo, PULL_BODY)
        .send(h.addr())
        .await;
    assert!(payload(Style::Soap12, &r).is(ns::TEV, "PullMessagesResponse"));

    let other = format!(r#"<SubscriptionId xmlns="{SIM_NS}">9999-000000000000</SubscriptionId>"#);
    let r = request(Style::Soap12, &sub.path, SHORT_PULL, &other, PULL_BODY)
        .send(h.addr())
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        fault(&r)
            .subcodes
            .iter()
            .any(|s| s.name == "ResourceUnknownFault")
    );
    h.shutdown().await;
}

/// A one-shot HTTP server standing in for a client's notification listener: it answers every
/// POST with 200 and hands its body over.
async fn listener() -> (SocketAddr, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let body = loop {
                let n = s.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    break Some(String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned());
                }
            };
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await;
            if let Some(b) = body
                && tx.send(b).is_err()
            {
                return;
            }
        }
    });
    (addr, rx)
}

/// Push events: Subscribe with the consumer address of a listener, as zeep- and node-based
/// NVRs do; the Notify arrives there; Unsubscribe without reference parameter.
#[tokio::test]
async fn push_subscription_delivers_notify() {
    let h = camera().start().await;
    let (consumer, mut notes) = listener().await;
    let body = format!(
        r#"<wsnt:Subscribe xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsnt:ConsumerReference><wsa:Address>http://{consumer}/onvif_notify</wsa:Address></wsnt:ConsumerReference><wsnt:InitialTerminationTime>PT60S</wsnt:InitialTerminationTime></wsnt:Subscribe>"#
    );
    let r = request(Style::Soap11, EVENTS, SHORT_SUBSCRIBE, "", &body)
        .send(h.addr())
        .await;
    let sub = subscription(&payload(Style::Soap11, &r));

    h.emit_motion(true);
    let mut seen = Vec::new();
    while !seen.contains(&("Changed".to_owned(), "true".to_owned())) {
        let note = tokio::time::timeout(LIMIT, notes.recv())
            .await
            .expect("a Notify in time")
            .unwrap();
        let env = Envelope::parse(note.as_bytes()).unwrap();
        let notify = env.payload().unwrap();
        assert!(notify.is(ns::WSNT, "Notify"), "{note}");
        seen.extend(items(notify, "IsMotion"));
    }
    assert_eq!(seen[0], ("Initialized".to_owned(), "false".to_owned()));

    let r = request(
        Style::Soap11,
        &sub.path,
        SHORT_UNSUBSCRIBE,
        "",
        UNSUBSCRIBE_BODY,
    )
    .send(h.addr())
    .await;
    assert!(payload(Style::Soap11, &r).is(ns::WSNT, "UnsubscribeResponse"));
    assert_eq!(h.event_subscriptions(), 0);
    h.shutdown().await;
}

/// PTZ in both styles: ContinuousMove moves the head, GetStatus tells, Stop stops it.
#[tokio::test]
async fn ptz_continuous_move_stop_and_status() {
    let h = camera().manual_clock().start().await;
    for style in [Style::Soap11, Style::Soap12] {
        let before = h.ptz_position("Profile_1").unwrap();
        let mv = r#"<ContinuousMove xmlns="http://www.onvif.org/ver20/ptz/wsdl"><ProfileToken>Profile_1</ProfileToken><Velocity><PanTilt xmlns="http://www.onvif.org/ver10/schema" x="0.5" y="0"/></Velocity></ContinuousMove>"#;
        let r = request(
            style,
            PTZ,
            "http://www.onvif.org/ver20/ptz/wsdl/ContinuousMove",
            "",
            mv,
        )
        .send(h.addr())
        .await;
        assert!(payload(style, &r).is(ns::TPTZ, "ContinuousMoveResponse"));
        h.advance(Duration::from_millis(400));

        let status = r#"<GetStatus xmlns="http://www.onvif.org/ver20/ptz/wsdl"><ProfileToken>Profile_1</ProfileToken></GetStatus>"#;
        let ask = || {
            request(
                style,
                PTZ,
                "http://www.onvif.org/ver20/ptz/wsdl/GetStatus",
                "",
                status,
            )
        };
        let r = ask().send(h.addr()).await;
        let st = payload(style, &r);
        let x: f64 = find(&st, ns::TT, "PanTilt")
            .and_then(|p| p.attr("x"))
            .unwrap()
            .parse()
            .unwrap();
        assert!(x > before.0, "pan {x} after a move right from {}", before.0);
        let moving = find(&st, ns::TT, "MoveStatus")
            .and_then(|m| m.child(ns::TT, "PanTilt"))
            .map(|p| p.text().trim().to_owned());
        assert_eq!(moving.as_deref(), Some("MOVING"));

        let stop = r#"<Stop xmlns="http://www.onvif.org/ver20/ptz/wsdl"><ProfileToken>Profile_1</ProfileToken><PanTilt>true</PanTilt><Zoom>true</Zoom></Stop>"#;
        let r = request(
            style,
            PTZ,
            "http://www.onvif.org/ver20/ptz/wsdl/Stop",
            "",
            stop,
        )
        .send(h.addr())
        .await;
        assert!(payload(style, &r).is(ns::TPTZ, "StopResponse"));
        let r = ask().send(h.addr()).await;
        let st = payload(style, &r);
        let idle = find(&st, ns::TT, "MoveStatus")
            .and_then(|m| m.child(ns::TT, "PanTilt"))
            .map(|p| p.text().trim().to_owned());
        assert_eq!(idle.as_deref(), Some("IDLE"));
    }
    h.shutdown().await;
}

/// Media: GetProfiles and GetStreamUri in both styles.
#[tokio::test]
async fn media_profiles_and_stream_uri() {
    let h = camera().start().await;
    for style in [Style::Soap11, Style::Soap12] {
        let r = request(
            style,
            MEDIA,
            "http://www.onvif.org/ver10/media/wsdl/GetProfiles",
            "",
            r#"<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>"#,
        )
        .send(h.addr())
        .await;
        let profiles = payload(style, &r);
        let tokens: Vec<&str> = profiles
            .children
            .iter()
            .filter(|p| p.is(ns::TRT, "Profiles"))
            .filter_map(|p| p.attr("token"))
            .collect();
        assert!(tokens.contains(&"Profile_1"), "{tokens:?}");

        let ask = r#"<trt:GetStreamUri xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetStreamUri>"#;
        let r = request(
            style,
            MEDIA,
            "http://www.onvif.org/ver10/media/wsdl/GetStreamUri",
            "",
            ask,
        )
        .send(h.addr())
        .await;
        let uri = payload(style, &r);
        let uri = find(&uri, ns::TT, "Uri").unwrap().text().trim().to_owned();
        assert_eq!(uri, "rtsp://127.0.0.1:8554/Profile_1");
    }
    h.shutdown().await;
}

/// What real cameras enforce, the default posture enforces too.
#[tokio::test]
async fn default_posture_still_checks_credentials_and_tokens() {
    let h = camera().start().await;
    let get_profiles = r#"<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>"#;
    let action = "http://www.onvif.org/ver10/media/wsdl/GetProfiles";
    let envelope = |header: &str| {
        format!(
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>{header}</s:Header><s:Body>{get_profiles}</s:Body></s:Envelope>"#
        )
    };
    let addr = h.addr();
    let send = |header: String| {
        let env = envelope(&header);
        async move {
            Req::new("POST", MEDIA, &env)
                .header("Content-Type", "application/soap+xml; charset=utf-8")
                .send(addr)
                .await
        }
    };

    // A wrong password, as text and as a SOAP 1.1 request: a SOAP 1.1 fault, HTTP 500.
    let r = Req::new("POST", MEDIA, &{
        format!(
            r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header>{}</SOAP-ENV:Header><SOAP-ENV:Body>{get_profiles}</SOAP-ENV:Body></SOAP-ENV:Envelope>"#,
            text_token("wrong")
        )
    })
    .header("Content-Type", "text/xml; charset=utf-8")
    .header("SOAPAction", &format!("\"{action}\""))
    .send(h.addr())
    .await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    let f = fault(&r);
    assert_eq!(f.code.name, "Client", "{f}");
    assert_eq!(f.reason, "Sender not Authorized");
    assert!(!r.body.contains("wrong"), "the password is never echoed");

    // A digest token replayed: refused the second time.
    let token = digest_token(&now());
    assert_eq!(send(token.clone()).await.status, 200);
    send(token).await.assert_not_authorized();

    // Created ten minutes ago.
    let old = (jiff::Timestamp::now() - jiff::SignedDuration::from_secs(600))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    send(digest_token(&old)).await.assert_not_authorized();

    // A Created without time zone is read as UTC.
    let zoneless = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    assert_eq!(send(digest_token(&zoneless)).await.status, 200);

    // No token at all.
    send(String::new()).await.assert_not_authorized();
    assert_eq!(
        h.stats()
            .auth_failures_of(onvif_sim::AuthFailure::ReplayedNonce),
        1
    );
    h.shutdown().await;
}

/// Leniencies of the default posture beyond events: a Body with two elements (the first is
/// served), an undeclared prefix outside the operation, no Content-Type at all.
#[tokio::test]
async fn default_posture_takes_what_cameras_take() {
    let h = camera().start().await;
    let two = format!(
        r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>{}<x:Trace>1</x:Trace></s:Header><s:Body><GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/><Extra xmlns="urn:x"/></s:Body></s:Envelope>"#,
        digest_token(&now())
    );
    let r = Req::new("POST", MEDIA, &two).send(h.addr()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.envelope()
            .payload()
            .unwrap()
            .is(ns::TRT, "GetProfilesResponse")
    );

    let strict = camera().strict(true).start().await;
    let r = Req::new("POST", MEDIA, &two).send(strict.addr()).await;
    assert_eq!(r.status, 415, "{}", r.body);
    let r = Req::new("POST", MEDIA, &two)
        .header("Content-Type", "application/soap+xml")
        .send(strict.addr())
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(fault(&r).has_subcode("Namespace"), "{}", r.body);
    strict.shutdown().await;
    h.shutdown().await;
}

/// An operation sent to another service's address (node onvif's Cam posts the device
/// service's SystemReboot to the DeviceIO address): served by default, as cameras whose one
/// SOAP server dispatches on the Body do; refused by the strict posture, naming the address
/// it is served at.
#[tokio::test]
async fn an_operation_at_another_services_address_is_served_by_default() {
    let body = r#"<GetHostname xmlns="http://www.onvif.org/ver10/device/wsdl"/>"#;
    let action = "http://www.onvif.org/ver10/device/wsdl/GetHostname";
    let h = camera().start().await;
    for path in ["/onvif/deviceio_service", MEDIA] {
        let r = request(Style::Soap12, path, action, "", body)
            .send(h.addr())
            .await;
        assert!(
            payload(Style::Soap12, &r).is(ns::TDS, "GetHostnameResponse"),
            "{path}"
        );
    }
    h.shutdown().await;

    let strict = camera().strict(true).start().await;
    let r = request(Style::Soap12, MEDIA, action, "", body)
        .send(strict.addr())
        .await;
    let f = fault(&r);
    assert!(f.is_action_not_supported(), "{f}");
    assert!(f.reason.contains("served at /onvif/device_service"), "{f}");
    strict.shutdown().await;
}

/// The strict posture refuses the three shapes the default posture serves: no reference
/// parameter, one without `wsa:IsReferenceParameter`, a short action; and SOAP 1.1.
#[tokio::test]
async fn strict_refuses_what_the_default_accepts() {
    let h = camera().strict(true).start().await;

    // (c) the short action URI.
    let r = request(Style::Soap12, EVENTS, SHORT_CREATE, "", CREATE_BODY)
        .send(h.addr())
        .await;
    assert_invalid_arg(&r, "does not match the Body's operation");
    assert_eq!(h.event_subscriptions(), 0);

    let sub = create(&h, Style::Soap12, WSDL_CREATE).await;
    let pull_action = onvif_proto::ops::events::action::PULL_MESSAGES;

    // (a) no reference parameter.
    for (action, body) in [
        (pull_action, PULL_BODY),
        (onvif_proto::ops::events::action::RENEW, RENEW_BODY),
        (
            onvif_proto::ops::events::action::UNSUBSCRIBE,
            UNSUBSCRIBE_BODY,
        ),
    ] {
        let r = request(Style::Soap12, &sub.path, action, "", body)
            .send(h.addr())
            .await;
        assert_invalid_arg(&r, "was not echoed");
    }

    // (b) echoed without wsa:IsReferenceParameter.
    let echo = format!(
        r#"<SubscriptionId xmlns="{SIM_NS}">{}</SubscriptionId>"#,
        sub.id
    );
    let r = request(Style::Soap12, &sub.path, pull_action, &echo, PULL_BODY)
        .send(h.addr())
        .await;
    assert_invalid_arg(&r, "IsReferenceParameter");

    // Echoed properly: served.
    let marked = format!(
        r#"<SubscriptionId xmlns="{SIM_NS}" xmlns:wsa="http://www.w3.org/2005/08/addressing" wsa:IsReferenceParameter="true">{}</SubscriptionId>"#,
        sub.id
    );
    let r = request(Style::Soap12, &sub.path, pull_action, &marked, PULL_BODY)
        .send(h.addr())
        .await;
    assert!(payload(Style::Soap12, &r).is(ns::TEV, "PullMessagesResponse"));

    // SOAP 1.1.
    let r = request(Style::Soap11, EVENTS, WSDL_CREATE, "", CREATE_BODY)
        .send(h.addr())
        .await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert_eq!(fault(&r).code.name, "VersionMismatch");
    assert_eq!(h.event_subscriptions(), 1);
    h.shutdown().await;
}

/// `Quirk::RefParamsRequired`: the default posture, but the reference parameter must come
/// back (as on Axis cameras); `wsa:IsReferenceParameter` is still not demanded.
#[tokio::test]
async fn refparams_required_quirk() {
    let h = camera().quirk(Quirk::RefParamsRequired).start().await;
    let sub = create(&h, Style::Soap11, SHORT_CREATE).await;
    for (action, body) in [
        (SHORT_PULL, PULL_BODY),
        (SHORT_RENEW, RENEW_BODY),
        (SHORT_UNSUBSCRIBE, UNSUBSCRIBE_BODY),
    ] {
        let r = request(Style::Soap12, &sub.path, action, "", body)
            .send(h.addr())
            .await;
        assert_invalid_arg(&r, "was not echoed");
    }
    let echo = format!(
        r#"<SubscriptionId xmlns="{SIM_NS}">{}</SubscriptionId>"#,
        sub.id
    );
    let r = request(Style::Soap11, &sub.path, SHORT_PULL, &echo, PULL_BODY)
        .send(h.addr())
        .await;
    assert!(payload(Style::Soap11, &r).is(ns::TEV, "PullMessagesResponse"));
    let r = request(
        Style::Soap11,
        &sub.path,
        SHORT_UNSUBSCRIBE,
        &echo,
        UNSUBSCRIBE_BODY,
    )
    .send(h.addr())
    .await;
    assert!(payload(Style::Soap11, &r).is(ns::WSNT, "UnsubscribeResponse"));
    assert_eq!(h.event_subscriptions(), 0);
    h.shutdown().await;
}

/// SOAP 1.1's `mustUnderstand` (in the 1.1 envelope namespace): on the Security header it is
/// honoured; on a header the camera does not know it is a `MustUnderstand` fault, in SOAP 1.1.
#[tokio::test]
async fn soap11_must_understand() {
    let h = camera().start().await;
    let envelope = |header: &str| {
        format!(
            r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header>{header}</SOAP-ENV:Header><SOAP-ENV:Body><GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
        )
    };
    let marked =
        text_token(PASSWORD).replacen("<Security ", r#"<Security SOAP-ENV:mustUnderstand="1" "#, 1);
    let send = |env: String| {
        Req::new("POST", MEDIA, &env)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header(
                "SOAPAction",
                "\"http://www.onvif.org/ver10/media/wsdl/GetProfiles\"",
            )
    };
    let r = send(envelope(&marked)).send(h.addr()).await;
    assert!(payload(Style::Soap11, &r).is(ns::TRT, "GetProfilesResponse"));

    let unknown =
        format!(r#"{marked}<x:Session xmlns:x="urn:x" SOAP-ENV:mustUnderstand="1">1</x:Session>"#);
    let r = send(envelope(&unknown)).send(h.addr()).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(fault(&r).code.name, "MustUnderstand");
    h.shutdown().await;
}
