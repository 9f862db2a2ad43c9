//! The HTTP and SOAP envelope checks every request goes through, and the server's lifecycle.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::ops::Operation;
use onvif_proto::ops::device::{GetDeviceInformation, GetSystemDateAndTime};
use onvif_proto::soap;
use onvif_testkit::http::{
    DEVICE, LIMIT, Req, Resp, call, envelope_of, parse_response, send_raw, token,
};
use onvif_testkit::{PASSWORD, Sim, USER};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn authed<O: Operation>(op: &O) -> String {
    envelope_of(op, Some(&token(USER, PASSWORD, Timestamp::now())))
}

#[tokio::test]
async fn malformed_xml_is_a_sender_fault_not_a_hang() {
    let cam = Sim::builder().start().await;
    for body in [
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>",
        "<<<",
        "",
        "<a></b>",
    ] {
        let r = Req::post(DEVICE, body).send(cam.addr()).await;
        assert_eq!(r.status, 400, "{body:?}: {}", r.body);
        let f = r.fault();
        assert_eq!(f.code.name, "Sender");
        assert!(f.has_subcode("WellFormed"), "{f}");
        assert!(f.reason.contains("malformed XML"), "{f}");
    }
}

#[tokio::test]
async fn envelopes_are_checked_strictly() {
    let cam = Sim::builder().start().await;
    let addr = cam.addr();
    let send = |body: String| async move { Req::post(DEVICE, &body).send(addr).await };

    let r = send("<html><body>hi</body></html>".into()).await;
    assert_eq!(r.status, 400);
    assert!(r.fault().reason.contains("<html>"), "{}", r.body);

    let soap11 = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></e:Body></e:Envelope>"#;
    let r = send(soap11.into()).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert_eq!(r.fault().code.name, "VersionMismatch");

    let r = send(soap::envelope(None, "")).await;
    assert_eq!(r.status, 400);
    assert!(r.fault().reason.contains("Body is empty"), "{}", r.body);

    let two = format!(
        "{}{}",
        GetSystemDateAndTime.body(),
        GetSystemDateAndTime.body()
    );
    let r = send(soap::envelope(None, &two)).await;
    assert_eq!(r.status, 400);
    assert!(r.fault().has_subcode("InvalidArgs"));

    let unbound = soap::envelope(None, "<x:GetSystemDateAndTime/>");
    let r = send(unbound).await;
    assert_eq!(r.status, 400);
    assert!(r.fault().has_subcode("Namespace"), "{}", r.body);

    let must = soap::envelope(
        Some(r#"<f:Frob xmlns:f="urn:frob" s:mustUnderstand="true"/>"#),
        &GetSystemDateAndTime.body(),
    );
    let r = send(must).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.fault().code.name, "MustUnderstand");

    // Not marked mustUnderstand: ignored.
    let optional = soap::envelope(
        Some(r#"<f:Frob xmlns:f="urn:frob"/>"#),
        &GetSystemDateAndTime.body(),
    );
    assert_eq!(send(optional).await.status, 200);
    assert_eq!(cam.stats().operation("GetSystemDateAndTime"), 1);
}

#[tokio::test]
async fn an_unknown_operation_is_action_not_supported() {
    let cam = Sim::builder().start().await;
    let unknown = r#"<tds:GetFrobnicator/>"#;
    let header = token(USER, PASSWORD, Timestamp::now());
    let r = Req::post(DEVICE, &soap::envelope(Some(&header), unknown))
        .send(cam.addr())
        .await;
    // Core's generic faults: env:Receiver / ter:ActionNotSupported, as the cameras recorded
    // send it (easy_onvif SUNBA and IPG-8150PSS device_management/Fault.xml).
    assert_eq!(r.status, 500, "{}", r.body);
    let f = r.fault();
    assert_eq!(f.code.name, "Receiver");
    assert!(f.is_action_not_supported(), "{f}");
    assert!(f.reason.contains("GetFrobnicator"), "{f}");

    // Unknown operations need credentials first, like protected ones.
    let r = Req::post(DEVICE, &soap::envelope(None, unknown))
        .send(cam.addr())
        .await;
    r.assert_not_authorized();

    // A media operation sent to the device service.
    let media = r#"<trt:GetProfiles/>"#;
    let header = token(USER, PASSWORD, Timestamp::now());
    let r = Req::post(DEVICE, &soap::envelope(Some(&header), media))
        .send(cam.addr())
        .await;
    assert!(r.fault().is_action_not_supported());
}

#[tokio::test]
async fn an_operation_can_be_declared_unsupported() {
    let cam = Sim::builder()
        .unsupported("GetDeviceInformation")
        .start()
        .await;
    // Credentials are still checked first.
    call(cam.addr(), DEVICE, &GetDeviceInformation, None)
        .await
        .assert_not_authorized();
    let r = Req::post(DEVICE, &authed(&GetDeviceInformation))
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert!(r.fault().is_action_not_supported());
    assert_eq!(cam.stats().operation("GetDeviceInformation"), 0);
    // Others are unaffected.
    assert_eq!(
        call(cam.addr(), DEVICE, &GetSystemDateAndTime, None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn announced_actions_must_match_the_body() {
    let cam = Sim::builder().start().await;
    let right = GetDeviceInformation::ACTION;
    let wrong = GetSystemDateAndTime::ACTION;
    let ct = |a: &str| format!("application/soap+xml; charset=utf-8; action=\"{a}\"");

    let r = Req::new("POST", DEVICE, &authed(&GetDeviceInformation))
        .header("Content-Type", &ct(right))
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let r = Req::new("POST", DEVICE, &authed(&GetDeviceInformation))
        .header("Content-Type", &ct(wrong))
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 400);
    assert!(r.fault().reason.contains("does not match"), "{}", r.body);

    // text/xml with a SOAPAction header is accepted, and checked too.
    let r = Req::new("POST", DEVICE, &authed(&GetDeviceInformation))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", &format!("\"{right}\""))
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = Req::new("POST", DEVICE, &authed(&GetDeviceInformation))
        .header("Content-Type", "text/xml")
        .header("SOAPAction", wrong)
        .send(cam.addr())
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn http_level_refusals() {
    let cam = Sim::builder().config(|c| c.max_body(4096)).start().await;
    let addr = cam.addr();
    let body = envelope_of(&GetSystemDateAndTime, None);

    assert_eq!(Req::new("GET", DEVICE, "").send(addr).await.status, 405);
    assert_eq!(
        Req::post("/onvif/nothing_here", &body)
            .send(addr)
            .await
            .status,
        404
    );
    let r = Req::new("POST", DEVICE, &body)
        .header("Content-Type", "application/json")
        .send(addr)
        .await;
    assert_eq!(r.status, 415);
    let r = Req::new("POST", DEVICE, &body).send(addr).await;
    assert_eq!(r.status, 415, "no Content-Type");
    let r = Req::new("POST", DEVICE, &body)
        .header("Content-Type", "application/soap+xml; charset=iso-8859-1")
        .send(addr)
        .await;
    assert_eq!(r.status, 415);

    let big = format!("{body}{}", " ".repeat(5000));
    assert_eq!(Req::post(DEVICE, &big).send(addr).await.status, 413);

    // Chunked, so the size is only found out while reading.
    let chunk = "x".repeat(3000);
    let chunked = format!(
        "POST {DEVICE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {len:x}\r\n{chunk}\r\n{len:x}\r\n{chunk}\r\n0\r\n\r\n",
        len = chunk.len()
    );
    assert_eq!(send_raw(addr, chunked.as_bytes()).await.status, 413);

    let no_host = format!(
        "POST {DEVICE} HTTP/1.1\r\nContent-Type: application/soap+xml\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(send_raw(addr, no_host.as_bytes()).await.status, 400);

    assert_eq!(Req::post(DEVICE, &body).send(addr).await.status, 200);
}

#[tokio::test]
async fn a_stalled_body_gets_408_and_frees_the_connection() {
    let cam = Sim::builder()
        .read_timeout(Duration::from_millis(300))
        .start()
        .await;
    let addr = cam.addr();
    let r = tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {DEVICE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml\r\n\
             Content-Length: 1000\r\n\r\n<s:Envelope"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        // Never send the rest; the server must answer and close on its own.
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        parse_response(&buf)
    })
    .await
    .expect("the simulator gave up on the stalled body");
    assert_eq!(r.status, 408, "{}", r.body);
}

#[tokio::test]
async fn a_stalled_header_is_cut_off() {
    let cam = Sim::builder()
        .read_timeout(Duration::from_millis(200))
        .start()
        .await;
    let closed = tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(cam.addr()).await.unwrap();
        s.write_all(b"POST /onvif/device_service HTTP/1.1\r\nHost: x")
            .await
            .unwrap();
        let mut buf = Vec::new();
        // EOF or reset: either way the connection is gone.
        let _ = s.read_to_end(&mut buf).await;
    })
    .await;
    assert!(
        closed.is_ok(),
        "a client stalled in its headers kept the connection"
    );
}

/// Send `head` a byte every `every` until the server closes the connection (true) or `LIMIT`
/// passes (false).
async fn trickle_until_closed(addr: std::net::SocketAddr, head: &[u8], every: Duration) -> bool {
    tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        for b in head.iter().cycle() {
            if s.write_all(&[*b]).await.is_err() {
                return;
            }
            // Pacing the trickle, not waiting for anything.
            tokio::time::sleep(every).await;
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn a_trickled_header_is_cut_at_its_deadline() {
    // A byte every 50 ms keeps an idle timer from ever firing; the head deadline does not
    // care.
    let cam = Sim::builder()
        .config(|c| c.head_timeout(Duration::from_millis(300)))
        .start()
        .await;
    assert!(
        trickle_until_closed(
            cam.addr(),
            b"POST /onvif/device_service HTTP/1.1\r\nX-Pad: ",
            Duration::from_millis(50)
        )
        .await,
        "a request head trickled a byte at a time kept the connection past its deadline"
    );
}

#[tokio::test]
async fn a_trickled_body_is_cut_at_the_request_deadline() {
    let cam = Sim::builder()
        .read_timeout(Duration::from_millis(300))
        .start()
        .await;
    let addr = cam.addr();
    let r = tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {DEVICE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml\r\n\
             Content-Length: 100000\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let (mut rd, mut wr) = s.into_split();
        let trickle = async {
            while wr.write_all(b" ").await.is_ok() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            std::future::pending::<()>().await;
        };
        let mut buf = Vec::new();
        tokio::select! {
            () = trickle => unreachable!(),
            _ = rd.read_to_end(&mut buf) => parse_response(&buf),
        }
    })
    .await
    .expect("the simulator gave up on the trickled body");
    assert_eq!(r.status, 408, "{}", r.body);
}

#[tokio::test]
async fn shutdown_is_prompt_even_with_a_stalled_client() {
    let cam = Sim::builder().start().await;
    let addr = cam.addr();
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    stalled
        .write_all(b"POST /onvif/device_service HTTP/1.1\r\n")
        .await
        .unwrap();
    // The server has the connection once it answers another request.
    assert_eq!(
        call(addr, DEVICE, &GetSystemDateAndTime, None).await.status,
        200
    );
    tokio::time::timeout(LIMIT, cam.shutdown())
        .await
        .expect("shutdown finished");
    assert!(TcpStream::connect(addr).await.is_err(), "still listening");
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(LIMIT, stalled.read_to_end(&mut buf))
        .await
        .expect("the stalled connection was closed");
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let cam = Sim::builder().start().await;
    let addr = cam.addr();
    assert_eq!(
        call(addr, DEVICE, &GetSystemDateAndTime, None).await.status,
        200
    );
    drop(cam);
    // The accept loop is aborted; the listener goes with it once the task has been dropped.
    let gone = tokio::time::timeout(LIMIT, async {
        loop {
            if TcpStream::connect(addr).await.is_err() {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(gone.is_ok(), "still listening after the handle was dropped");
}

#[tokio::test]
async fn keep_alive_serves_several_requests_on_one_connection() {
    let cam = Sim::builder().start().await;
    let addr = cam.addr();
    let body = envelope_of(&GetSystemDateAndTime, None);
    let one = format!(
        "POST {DEVICE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let last = one.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
    let raw = tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("{one}{one}{last}").as_bytes())
            .await
            .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        String::from_utf8(buf).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(raw.matches("HTTP/1.1 200 OK\r\n").count(), 3, "{raw}");
    assert_eq!(cam.stats().requests, 3);
    assert_eq!(cam.stats().connections, 1);
    assert_eq!(cam.stats().operation("GetSystemDateAndTime"), 3);
}

/// A pull-point subscription on `addr` whose initial states were already pulled: the path to
/// pull from, and the SOAP headers of a PullMessages to it.
async fn pull_point(addr: std::net::SocketAddr) -> (String, String) {
    use onvif_proto::ops::events::{
        CreatePullPointSubscription, CreatePullPointSubscriptionResponse, action,
    };
    let r = call(
        addr,
        "/onvif/event_service",
        &CreatePullPointSubscription::default(),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let c: CreatePullPointSubscriptionResponse = r.read();
    let address = &c.subscription_reference.address;
    let rest = address.split_once("://").unwrap().1;
    let path = rest[rest.find('/').unwrap()..].to_owned();
    let headers = c
        .subscription_reference
        .header_xml(action::PULL_MESSAGES, "urn:uuid:0");
    // The initial states come at once; the next pull waits its whole timeout.
    let r = Req::post(&path, &envelope_of(&pull(1), Some(&headers)))
        .send(addr)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    (path, headers)
}

fn pull(secs: u64) -> onvif_proto::ops::events::PullMessages {
    onvif_proto::ops::events::PullMessages {
        timeout: Duration::from_secs(secs),
        message_limit: 100,
    }
}

/// An empty PullMessages answer: the long poll waited its whole time and was answered.
fn assert_long_poll_answered(r: &Resp) {
    use onvif_proto::ops::events::PullMessagesResponse;
    assert_eq!(r.status, 200, "{}", r.body);
    let p: PullMessagesResponse = r.read();
    assert!(p.messages.is_empty(), "{:?}", p.messages);
}

#[tokio::test]
async fn a_long_poll_outlasts_the_request_deadline() {
    // The request deadline (head + read timeout + 1 s: 1.4 s here) bounds receiving a
    // request, not the camera's own time to answer it: a 3 s long poll is answered.
    let cam = Sim::builder()
        .auth(onvif_sim::AuthMode::None)
        .read_timeout(Duration::from_millis(200))
        .start()
        .await;
    let addr = cam.addr();
    let (path, headers) = pull_point(addr).await;
    let r = Req::post(&path, &envelope_of(&pull(3), Some(&headers)))
        .send(addr)
        .await;
    assert_long_poll_answered(&r);
}

/// A camera whose deadlines are far shorter than a 2 s long poll: head and idle 200 ms,
/// request 1.4 s.
async fn short_deadlines() -> Sim {
    Sim::builder()
        .auth(onvif_sim::AuthMode::None)
        .read_timeout(Duration::from_millis(200))
        .config(|c| c.head_timeout(Duration::from_millis(200)))
        .start()
        .await
}

#[tokio::test]
async fn a_long_poll_sent_with_expect_100_continue_is_answered() {
    // .NET clients (ONVIF Device Manager) send `Expect: 100-continue` and wait for the
    // interim `100 Continue` before the body: that interim response is no answer, and the
    // body after it is no new request head.
    let cam = short_deadlines().await;
    let addr = cam.addr();
    let (path, headers) = pull_point(addr).await;
    let body = envelope_of(&pull(2), Some(&headers));
    let (interim, rest) = tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml\r\n\
             Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let mut interim = Vec::new();
        while !interim.ends_with(b"\r\n\r\n") {
            let mut b = [0; 1];
            assert_eq!(
                s.read(&mut b).await.unwrap(),
                1,
                "closed before 100 Continue"
            );
            interim.push(b[0]);
        }
        s.write_all(body.as_bytes()).await.unwrap();
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest).await;
        (String::from_utf8(interim).unwrap(), rest)
    })
    .await
    .expect("the simulator answered in time");
    assert!(
        interim.starts_with("HTTP/1.1 100 Continue\r\n"),
        "{interim}"
    );
    assert!(!rest.is_empty(), "the long poll was cut without an answer");
    assert_long_poll_answered(&parse_response(&rest));
}

#[tokio::test]
async fn a_chunked_long_poll_is_answered() {
    // The last chunk (here with a trailer) completes the request: its handling has no
    // deadline but its own.
    let cam = short_deadlines().await;
    let addr = cam.addr();
    let (path, headers) = pull_point(addr).await;
    let body = envelope_of(&pull(2), Some(&headers));
    let (a, b) = body.split_at(body.len() / 2);
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml\r\n\
         Transfer-Encoding: chunked\r\nTrailer: X-Done\r\nConnection: close\r\n\r\n\
         {:x};ext=1\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\nX-Done: yes\r\n\r\n",
        a.len(),
        b.len()
    );
    let rest = tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(request.as_bytes()).await.unwrap();
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest).await;
        rest
    })
    .await
    .expect("the simulator answered in time");
    assert!(!rest.is_empty(), "the long poll was cut without an answer");
    assert_long_poll_answered(&parse_response(&rest));
}

#[tokio::test]
async fn a_long_poll_survives_a_flood_from_its_own_address() {
    // Connections being served are not closed for the per-peer cap: a flood of stalled
    // connections from the long poll's own address evicts its own, never the long poll.
    let cam = Sim::builder()
        .auth(onvif_sim::AuthMode::None)
        .config(|c| c.max_connections_per_peer(2))
        .start()
        .await;
    let addr = cam.addr();
    let (path, headers) = pull_point(addr).await;
    let poll = Req::post(&path, &envelope_of(&pull(3), Some(&headers))).bytes(addr);
    let rest = tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(&poll).await.unwrap();
        let mut rest = Vec::new();
        let answer = s.read_to_end(&mut rest);
        let flood = async {
            let mut held = Vec::new();
            loop {
                let mut c = TcpStream::connect(addr).await.unwrap();
                let _ = c
                    .write_all(b"POST /onvif/device_service HTTP/1.1\r\n")
                    .await;
                held.push(c);
                // Pacing the flood over the whole long poll, not waiting for anything.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::select! {
            _ = answer => {}
            () = flood => unreachable!(),
        }
        rest
    })
    .await
    .expect("the simulator answered in time");
    assert!(
        cam.stats().connections_evicted > 0,
        "the flood never reached the cap"
    );
    assert!(!rest.is_empty(), "the long poll was evicted");
    assert_long_poll_answered(&parse_response(&rest));
}

/// A camera serving HTTPS with the given caps, whose connections have a minute for their
/// request head (far longer than [`LIMIT`]: only a cap closes them within a test).
async fn https_with_caps(total: usize, per_peer: usize) -> Sim {
    Sim::builder()
        .config(|c| {
            c.tls(onvif_sim::TlsIdentity::self_signed().unwrap())
                .head_timeout(Duration::from_secs(60))
                .max_connections(total)
                .max_connections_per_peer(per_peer)
        })
        .start()
        .await
}

#[tokio::test]
async fn tls_connections_count_against_the_total_before_their_handshake() {
    // Connections that never send a ClientHello are held like connections that never send a
    // request: at the total, the oldest is closed to make room.
    let cam = https_with_caps(2, 128).await;
    let addr = cam.addr();
    let mut first = TcpStream::connect(addr).await.unwrap();
    let _second = TcpStream::connect(addr).await.unwrap();
    let _third = TcpStream::connect(addr).await.unwrap();
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(LIMIT, async {
        // EOF or reset: either way the connection is gone.
        let _ = first.read_to_end(&mut buf).await;
    })
    .await;
    assert!(
        closed.is_ok(),
        "connections waiting for their TLS handshake went over the total"
    );
    assert!(buf.is_empty(), "{buf:?}");
    let stats = cam.stats();
    assert_eq!(stats.connections, 3);
    assert_eq!(stats.connections_evicted, 1);
}

#[tokio::test]
async fn tls_connections_count_against_the_per_peer_cap_before_their_handshake() {
    let cam = https_with_caps(512, 1).await;
    let addr = cam.addr();
    let closed = tokio::time::timeout(LIMIT, async {
        let mut first = TcpStream::connect(addr).await.unwrap();
        let mut buf = Vec::new();
        let gone = first.read_to_end(&mut buf);
        let flood = async {
            let mut held = Vec::new();
            loop {
                held.push(TcpStream::connect(addr).await.unwrap());
                // Pacing the flood past the grace period of the first, not waiting for anything.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        tokio::select! {
            _ = gone => {}
            () = flood => unreachable!(),
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "connections waiting for their TLS handshake went over the per-peer cap"
    );
    assert!(cam.stats().connections_evicted > 0);
}
