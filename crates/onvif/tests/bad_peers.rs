//! Peers that misbehave: garbage, truncated bodies, endless bodies, silence. Each must end in a
//! clear error within the configured limits, never a hang or a panic.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onvif::{Camera, Config, Credentials, Error};
use onvif_testkit::peer::{self, closed_port, read_request, read_request_bytes, serve};
use onvif_testkit::{PASSWORD, USER};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn quick() -> Config {
    Config {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        max_response_bytes: 1024 * 1024,
        ..Config::default()
    }
}

async fn device_info(addr: std::net::SocketAddr) -> Error {
    let url = format!("http://{addr}/onvif/device_service")
        .parse()
        .unwrap();
    let cam = Camera::with_url(url, Some(Credentials::new(USER, PASSWORD)), quick()).unwrap();
    cam.device_information().await.unwrap_err()
}

#[tokio::test]
async fn garbage_bytes_are_a_protocol_error() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        let body = [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01];
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(&body).await;
    })
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::Protocol { .. }), "{e:?}");
    assert!(e.to_string().contains("not XML"), "{e}");
}

#[tokio::test]
async fn a_truncated_body_is_an_error_naming_the_problem() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        let body = br#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:Manu"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(body).await;
    })
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::Protocol { .. }), "{e:?}");
    assert!(e.to_string().contains("malformed XML"), "{e}");
}

#[tokio::test]
async fn a_body_cut_before_its_content_length_is_a_network_error() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<s:Envelope")
            .await;
        // Close with 4990 bytes missing.
    })
    .await;
    let e = device_info(addr).await;
    assert_eq!(e.kind(), onvif::ErrorKind::Network, "{e:?}");
}

#[tokio::test]
async fn an_endless_body_stops_at_the_size_cap() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        // Announce 1 GiB, then stream it (chunked would do the same).
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await;
        let chunk = vec![b'<'; 64 * 1024];
        let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk, b"\r\n".to_vec()].concat();
        for _ in 0..(1024 * 1024 * 1024 / (64 * 1024)) {
            if s.write_all(&framed).await.is_err() {
                return; // the client hung up: good
            }
        }
    })
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::TooLarge { limit: 1048576, .. }), "{e:?}");
}

#[tokio::test]
async fn an_announced_huge_body_is_refused_before_reading() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n")
            .await;
        let mut sink = [0u8; 16];
        let _ = s.read(&mut sink).await;
    })
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
}

#[tokio::test]
async fn a_peer_that_never_answers_times_out() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        // Hold the connection open without a byte of answer, until the client gives up.
        let mut sink = [0u8; 16];
        let _ = s.read(&mut sink).await;
    })
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    assert!(
        e.to_string().contains("no complete answer within 2.0 s"),
        "{e}"
    );
}

#[tokio::test]
async fn a_slow_drip_times_out_too() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            .await;
        loop {
            if s.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
}

#[tokio::test]
async fn an_html_error_page_is_an_http_error_with_a_snippet() {
    let addr = serve(|mut s| async move {
        read_request(&mut s).await;
        let body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        let head = format!(
            "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(body.as_bytes()).await;
    })
    .await;
    let e = device_info(addr).await;
    assert!(matches!(e, Error::Http { status: 502, .. }), "{e:?}");
    assert!(e.to_string().contains("Bad Gateway"), "{e}");
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let addr = closed_port();
    let e = device_info(addr).await;
    assert!(matches!(e, Error::Connect { .. }), "{e:?}");
    assert_eq!(e.kind(), onvif::ErrorKind::Network);
}

/// A peer that answers every request with this Content-Type and body.
async fn answering(content_type: &'static str, body: Vec<u8>) -> std::net::SocketAddr {
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    peer::answering(answer).await
}

fn device_information_body(manufacturer: &[u8]) -> Vec<u8> {
    let mut b = b"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><s:Body><tds:GetDeviceInformationResponse><tds:Manufacturer>".to_vec();
    b.extend_from_slice(manufacturer);
    b.extend_from_slice(b"</tds:Manufacturer><tds:Model>M</tds:Model><tds:FirmwareVersion>1</tds:FirmwareVersion><tds:SerialNumber>S</tds:SerialNumber><tds:HardwareId>H</tds:HardwareId></tds:GetDeviceInformationResponse></s:Body></s:Envelope>");
    b
}

async fn manufacturer_from(addr: std::net::SocketAddr) -> String {
    let url = format!("http://{addr}/onvif/device_service")
        .parse()
        .unwrap();
    let cam = Camera::with_url(url, Some(Credentials::new(USER, PASSWORD)), quick()).unwrap();
    cam.device_information().await.unwrap().manufacturer
}

#[tokio::test]
async fn an_mtom_answer_is_read_from_its_soap_part() {
    let mut body = b"--MIMEBoundary_1\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\nContent-ID: <0.root@camera>\r\n\r\n".to_vec();
    body.extend(device_information_body(b"Acme"));
    body.extend_from_slice(b"\r\n--MIMEBoundary_1\r\nContent-Type: application/octet-stream\r\nContent-ID: <1.log@camera>\r\n\r\n\x00\x01binary\r\n--MIMEBoundary_1--\r\n");
    let addr = answering(
        "multipart/related; boundary=MIMEBoundary_1; type=\"application/xop+xml\"; start=\"<0.root@camera>\"; start-info=\"application/soap+xml\"",
        body,
    )
    .await;
    assert_eq!(manufacturer_from(addr).await, "Acme");
}

#[tokio::test]
async fn a_declared_latin1_answer_is_decoded() {
    let mut body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".to_vec();
    body.extend(device_information_body(b"Cam\xe9ra S\xfcd"));
    let addr = answering("application/soap+xml; charset=ISO-8859-1", body).await;
    assert_eq!(manufacturer_from(addr).await, "Caméra Süd");
}

/// Reads are 4 KiB at a time to keep a thousand idle connections small, which also bounds an
/// answer's head there: a camera whose heads are larger is read with room from then on, and
/// the request (idempotent) is sent again, so the caller sees an answer, not an error.
#[tokio::test]
async fn an_answer_head_over_four_kib_is_read() {
    let body = device_information_body(b"Roomy");
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nX-Padding: {}\r\nContent-Length: {}\r\n\r\n",
        "p".repeat(6000),
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    let addr = peer::answering(answer).await;
    assert_eq!(manufacturer_from(addr).await, "Roomy");
}

/// A SOAP 1.2 answer with this body, then the connection closed.
async fn answer(s: &mut tokio::net::TcpStream, body: &str) {
    let env = format!(
        r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tse="http://www.onvif.org/ver10/search/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body>{body}</s:Body></s:Envelope>"#
    );
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        env.len()
    );
    let _ = s.write_all(head.as_bytes()).await;
    let _ = s.write_all(env.as_bytes()).await;
    let _ = s.shutdown().await;
}

#[tokio::test]
async fn a_search_that_floods_stops_at_the_cap_and_is_ended() {
    // Every page holds 30,000 recordings, far more than asked, and the search never ends:
    // find_recordings stops past MAX_FOUND with an error, and ends the search.
    let page: String = "<tt:RecordingInformation><tt:RecordingToken>r</tt:RecordingToken></tt:RecordingInformation>".repeat(30_000);
    let page = std::sync::Arc::new(page);
    let ended = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = ended.clone();
    let addr = serve(move |mut s| {
        let page = page.clone();
        let ended = ended.clone();
        async move {
            let req = String::from_utf8_lossy(&read_request_bytes(&mut s).await).into_owned();
            let body = if req.contains("GetServices") {
                // The address is repaired to the device's own host and port.
                "<tds:GetServicesResponse><tds:Service><tds:Namespace>http://www.onvif.org/ver10/search/wsdl</tds:Namespace><tds:XAddr>http://192.0.2.1/onvif/search</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>0</tt:Minor></tds:Version></tds:Service></tds:GetServicesResponse>".to_owned()
            } else if req.contains("FindRecordings") {
                "<tse:FindRecordingsResponse><tse:SearchToken>s1</tse:SearchToken></tse:FindRecordingsResponse>".to_owned()
            } else if req.contains("GetRecordingSearchResults") {
                format!("<tse:GetRecordingSearchResultsResponse><tse:ResultList><tt:SearchState>Searching</tt:SearchState>{page}</tse:ResultList></tse:GetRecordingSearchResultsResponse>")
            } else if req.contains("EndSearch") {
                ended.store(true, std::sync::atomic::Ordering::SeqCst);
                "<tse:EndSearchResponse/>".to_owned()
            } else {
                return;
            };
            answer(&mut s, &body).await;
        }
    })
    .await;
    let url = format!("http://{addr}/onvif/device_service")
        .parse()
        .unwrap();
    let cfg = Config {
        max_response_bytes: 8 * 1024 * 1024,
        ..quick()
    };
    let cam = Camera::with_url(url, None, cfg).unwrap();
    let e = cam
        .find_recordings(onvif::proto::ops::search::SearchScope::default())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("more than 100000"), "{e}");
    assert!(
        seen.load(std::sync::atomic::Ordering::SeqCst),
        "the search was ended"
    );
}

/// An answer that is not UTF-8 is recorded in base64; the passwords in it are hidden all the
/// same, and every other byte is kept.
#[tokio::test]
async fn a_latin1_answer_is_recorded_without_its_passwords() {
    let body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:tt=\"http://www.onvif.org/ver10/schema\"><s:Body><tds:GetUsersResponse><tds:User><tt:Username>Ren\xe9</tt:Username><tt:Password>L4tin-S3cret</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User></tds:GetUsersResponse></s:Body></s:Envelope>".to_vec();
    let addr = answering("application/soap+xml; charset=ISO-8859-1", body).await;
    let capture = onvif::capture::Capture::new("test", "0");
    let cfg = Config {
        recorder: Some(capture.recorder()),
        ..quick()
    };
    let url = format!("http://{addr}/onvif/device_service")
        .parse()
        .unwrap();
    let cam = Camera::with_url(url, Some(Credentials::new(USER, PASSWORD)), cfg).unwrap();
    let users = cam.users().await.unwrap();
    assert_eq!(users[0].username, "René");
    let har = capture.har(None);
    let recorded = har.log.entries[0].response.content.bytes().unwrap();
    let text: String = recorded.iter().map(|&b| char::from(b)).collect();
    assert!(!text.contains("L4tin-S3cret"), "{text}");
    assert!(
        text.contains("<tt:Password>[redacted]</tt:Password>"),
        "{text}"
    );
    assert!(
        recorded.windows(5).any(|w| w == b"Ren\xe9<"),
        "the rest byte for byte"
    );
}

/// A 401 without an HTTP challenge, to a client that authenticates over HTTP only: no
/// password was sent, so none was refused; with WS-Security a token was, and it is.
#[tokio::test]
async fn a_401_without_a_challenge_names_what_it_asked_for() {
    let addr =
        peer::answering(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".to_vec()).await;
    let url: onvif::Url = format!("http://{addr}/onvif/device_service")
        .parse()
        .unwrap();
    let creds = Some(Credentials::new(USER, PASSWORD));
    let http_only = Config {
        auth: onvif::AuthScheme::Http,
        ..Config::default()
    };
    let cam = Camera::with_url(url.clone(), creds.clone(), http_only).unwrap();
    let e = cam.device_information().await.unwrap_err();
    assert!(e.is_auth(), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("without an HTTP authentication challenge"),
        "{text}"
    );
    assert!(text.contains("WS-Security"), "{text}");
    assert!(!text.contains("refused the user name"), "{text}");

    let cam = Camera::with_url(url, creds, Config::default()).unwrap();
    let e = cam.device_information().await.unwrap_err();
    assert!(
        e.to_string().contains("refused the user name or password"),
        "{e}"
    );
}

/// A device service that stops answering at its path is looked for at the other path
/// `connect` tries, and found only where ONVIF answers: a web server's 401 in front of a path
/// is no device service (the camera is left where it was), a clock answered there is.
#[tokio::test]
async fn a_device_service_is_relocated_only_where_onvif_answers() {
    use std::sync::atomic::{AtomicU8, Ordering};
    let phase = std::sync::Arc::new(AtomicU8::new(0));
    let clock = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" \
        xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" \
        xmlns:tt=\"http://www.onvif.org/ver10/schema\"><s:Body>\
        <tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>\
        <tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>\
        <tt:UTCDateTime><tt:Time><tt:Hour>1</tt:Hour><tt:Minute>2</tt:Minute>\
        <tt:Second>3</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year>\
        <tt:Month>12</tt:Month><tt:Day>7</tt:Day></tt:Date></tt:UTCDateTime>\
        </tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>";
    let p = phase.clone();
    let addr = serve(move |mut s| {
        let p = p.clone();
        async move {
            let req = read_request_bytes(&mut s).await;
            let head = String::from_utf8_lossy(&req).to_string();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
            let ok = |body: &str| {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            let answer = match (p.load(Ordering::SeqCst), path.as_str()) {
                (0, "/onvif/device_service") | (2, "/onvif/service") => ok(clock),
                (1, "/onvif/service") => "HTTP/1.1 401 Unauthorized\r\n\
                    WWW-Authenticate: Basic realm=\"web\"\r\nContent-Length: 0\r\n\
                    Connection: close\r\n\r\n"
                    .to_owned(),
                _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned(),
            };
            let _ = s.write_all(answer.as_bytes()).await;
            let _ = s.shutdown().await;
        }
    })
    .await;
    let creds = Some(Credentials::new(USER, PASSWORD));
    let cam = Camera::connect(&addr.to_string(), creds, quick())
        .await
        .unwrap();
    assert_eq!(cam.device_url().path(), "/onvif/device_service");
    phase.store(1, Ordering::SeqCst);
    assert_eq!(cam.relocate().await.path(), "/onvif/device_service");
    phase.store(2, Ordering::SeqCst);
    assert_eq!(cam.relocate().await.path(), "/onvif/service");
    assert_eq!(cam.device_url().path(), "/onvif/service");
}
