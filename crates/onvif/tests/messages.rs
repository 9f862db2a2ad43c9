//! What the library's errors say when a peer misbehaves: each names what happened in words a
//! person can act on, and never repeats a password or more than a few hundred bytes of what
//! the camera sent. Real sockets on 127.0.0.1 only.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif::{Camera, Config, Credentials, Error};
use onvif_testkit::peer::answering;
use onvif_testkit::{PASSWORD, USER};

fn config() -> Config {
    Config {
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(5),
        ..Config::default()
    }
}

async fn device_info(addr: std::net::SocketAddr) -> Error {
    let url = format!("http://{addr}/onvif/device_service")
        .parse()
        .unwrap();
    let cam = Camera::with_url(url, Some(Credentials::new(USER, PASSWORD)), config()).unwrap();
    cam.device_information().await.unwrap_err()
}

#[tokio::test]
async fn a_redirect_names_its_target_without_credentials_and_is_not_followed() {
    let addr = answering(
        "HTTP/1.1 302 Found\r\nLocation: https://admin:L0c-secret@127.0.0.1:9/onvif/device_service\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::Http { status: 302, .. }), "{e:?}");
    let m = e.to_string();
    assert!(
        m.contains("a redirect to https://[credentials]@127.0.0.1:9/onvif/device_service"),
        "{m}"
    );
    assert!(m.contains("SOAP requests do not follow redirects"), "{m}");
    assert!(!m.contains("L0c-secret"), "{m}");

    let addr = answering(
        "HTTP/1.1 307 Temporary Redirect\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    let m = device_info(addr).await.to_string();
    assert!(m.contains("a redirect without a Location"), "{m}");
}

#[tokio::test]
async fn a_connect_timeout_is_not_called_a_missing_answer() {
    // A listener whose accept queue is full and never drained: further SYNs are dropped, so a
    // connection is never established.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let s = tokio::net::TcpSocket::new_v4().unwrap();
        if let Ok(Ok(c)) = tokio::time::timeout(Duration::from_millis(200), s.connect(addr)).await {
            fillers.push(c);
        }
    }
    let e = device_info(addr).await;
    assert!(
        matches!(
            e,
            Error::Timeout {
                connecting: true,
                ..
            }
        ),
        "{e:?}"
    );
    let m = e.to_string();
    assert!(
        m.starts_with("could not connect to http://127.0.0.1:"),
        "{m}"
    );
    assert!(m.contains("within 1.0 s"), "{m}");
    assert!(!m.contains("answer"), "{m}");
    drop(listener);
}

#[tokio::test]
async fn a_fault_with_a_huge_reason_gives_a_short_message() {
    let reason = "R".repeat(3 * 1024 * 1024);
    let body = format!(
        r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">{reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#
    );
    let addr = answering(format!(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/soap+xml\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))
    .await;
    let e = device_info(addr).await;
    // The fault keeps everything; its message quotes the start.
    assert_eq!(e.fault().unwrap().reason.len(), reason.len());
    let m = e.to_string();
    assert!(m.len() < 600, "{} bytes", m.len());
    assert!(
        m.contains(&format!("… ({} more bytes)", reason.len() - 300)),
        "{m}"
    );
}
