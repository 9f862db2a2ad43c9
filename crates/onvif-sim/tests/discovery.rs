//! The WS-Discovery responder, probed over UDP on 127.0.0.1.

#![allow(clippy::unwrap_used)]

use onvif_proto::discovery::{MAX_DATAGRAM, Packet, Payload, Probe};
use onvif_testkit::Sim;
use onvif_testkit::http::LIMIT;
use tokio::net::UdpSocket;

/// The longest Probe MessageID the camera answers, in bytes.
const MAX_MESSAGE_ID: usize = 256;

#[tokio::test]
async fn a_probe_with_an_overlong_message_id_is_ignored() {
    let cam = Sim::builder().discovery_on_loopback().start().await;
    let to = cam.discovery_addr().unwrap();
    let sock = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let longest = format!(
        "urn:uuid:{}",
        "a".repeat(MAX_MESSAGE_ID - "urn:uuid:".len())
    );
    let longer = format!("{longest}a");
    // Answered in the order they come: the first answer is to the longest one, the longer one
    // having gone unanswered.
    for id in [&longer, &longest] {
        let probe = Probe {
            message_id: id.clone(),
            ..Probe::new()
        };
        sock.send_to(probe.to_xml().as_bytes(), to).await.unwrap();
    }
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let n = tokio::time::timeout(LIMIT, sock.recv(&mut buf))
        .await
        .expect("the camera answered")
        .unwrap();
    let answer = Packet::parse(&buf[..n]).unwrap();
    assert!(
        matches!(answer.payload, Payload::ProbeMatches(_)),
        "{answer:?}"
    );
    assert_eq!(
        answer.headers.relates_to.as_deref(),
        Some(longest.as_str()),
        "the Probe with a MessageID over {MAX_MESSAGE_ID} bytes was answered"
    );
}
