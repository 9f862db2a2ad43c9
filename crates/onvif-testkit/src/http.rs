//! A minimal HTTP/1.1 client over a raw TcpStream, and SOAP helpers, to send the simulator
//! requests exactly as a test writes them. Each request uses its own connection with
//! `Connection: close`, so a response ends at EOF.

use std::net::SocketAddr;
use std::time::Duration;

use jiff::Timestamp;
use onvif_proto::ops::{Message, Operation};
use onvif_proto::soap::{self, Envelope, Fault};
use onvif_proto::wsse::UsernameToken;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::sim::Sim;

/// How long any single exchange may take before the test fails (the server must never hang).
pub const LIMIT: Duration = Duration::from_secs(10);

/// A parsed HTTP response, its body as text ([`Resp`]) or as bytes ([`RawResp`]).
#[derive(Debug)]
pub struct Response<B> {
    /// The status code.
    pub status: u16,
    /// Every header, in order, as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: B,
}

/// A response whose body is text.
pub type Resp = Response<String>;

/// A response whose body is kept as bytes (images).
pub type RawResp = Response<Vec<u8>>;

impl<B> Response<B> {
    /// The first header of that name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_all(name).into_iter().next()
    }

    /// Every header of that name (any case), in order.
    pub fn headers_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl Resp {
    /// The body parsed as a SOAP envelope (panics when it is none).
    pub fn envelope(&self) -> Envelope {
        Envelope::parse(self.body.as_bytes())
            .unwrap_or_else(|e| panic!("not an envelope ({e}): {}", self.body))
    }

    /// The SOAP fault in the body (panics when there is none).
    pub fn fault(&self) -> Fault {
        self.envelope()
            .fault()
            .unwrap_or_else(|| panic!("expected a fault, got {} {}", self.status, self.body))
    }

    /// The typed answer; the status must be 200.
    pub fn read<M: Message>(&self) -> M {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/soap+xml; charset=utf-8")
        );
        let env = self.envelope();
        M::read(env.payload().unwrap()).unwrap()
    }

    /// Assert a 400 + `ter:NotAuthorized` answer.
    pub fn assert_not_authorized(&self) {
        assert_eq!(self.status, 400, "{}", self.body);
        let f = self.fault();
        assert_eq!(f.code.name, "Sender");
        assert!(f.is_not_authorized(), "{f}");
        assert_eq!(f.reason, "Sender not Authorized");
    }
}

/// One request to send.
pub struct Req {
    head: String,
    body: Vec<u8>,
}

impl Req {
    /// `POST path` with a SOAP 1.2 Content-Type.
    pub fn post(path: &str, body: &str) -> Req {
        Req::new("POST", path, body).header("Content-Type", "application/soap+xml; charset=utf-8")
    }

    /// Any method, no Content-Type.
    pub fn new(method: &str, path: &str, body: &str) -> Req {
        Req {
            head: format!("{method} {path} HTTP/1.1\r\n"),
            body: body.as_bytes().to_vec(),
        }
    }

    /// Add a header line.
    pub fn header(mut self, k: &str, v: &str) -> Req {
        self.head.push_str(&format!("{k}: {v}\r\n"));
        self
    }

    /// The request as sent to `addr`: `Host`, `Content-Length` and `Connection: close` added.
    pub fn bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let mut out = self.head.clone();
        out.push_str(&format!(
            "Host: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut out = out.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }

    /// Send on a new connection and read the response to EOF, within [`LIMIT`].
    pub async fn send(&self, addr: SocketAddr) -> Resp {
        send_raw(addr, &self.bytes(addr)).await
    }

    /// Send, keeping the response body as bytes.
    pub async fn send_bytes(&self, addr: SocketAddr) -> RawResp {
        parse(&exchange(addr, &self.bytes(addr)).await, <[u8]>::to_vec)
    }
}

/// Write `request`, read the response to EOF, within [`LIMIT`].
pub async fn send_raw(addr: SocketAddr, request: &[u8]) -> Resp {
    parse_response(&exchange(addr, request).await)
}

/// Write `request` on a new connection and read to EOF, within [`LIMIT`].
async fn exchange(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    tokio::time::timeout(LIMIT, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(request).await.unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        buf
    })
    .await
    .expect("the simulator answered in time")
}

/// A whole response (head and body, as read to EOF); a `Content-Length` must match the body.
pub fn parse_response(buf: &[u8]) -> Resp {
    parse(buf, |body| String::from_utf8_lossy(body).into_owned())
}

/// A whole response, its body made by `body`; a `Content-Length` must match the body.
fn parse<B: AsRef<[u8]>>(buf: &[u8], body: impl FnOnce(&[u8]) -> B) -> Response<B> {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(buf)));
    let head = String::from_utf8_lossy(&buf[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let resp = Response {
        status,
        headers,
        body: body(&buf[end + 4..]),
    };
    if let Some(len) = resp.header("content-length") {
        assert_eq!(len.parse::<usize>().unwrap(), resp.body.as_ref().len());
    }
    resp
}

/// A SOAP 1.2 envelope around an operation, with an optional header.
pub fn envelope_of<O: Operation>(op: &O, header: Option<&str>) -> String {
    soap::envelope(header, &op.body())
}

/// A PasswordDigest UsernameToken header created at `created`, with a fresh nonce.
pub fn token(user: &str, password: &str, created: Timestamp) -> String {
    UsernameToken::digest_now(user, password, created).to_header()
}

/// Call an operation at `path` with an optional UsernameToken header.
pub async fn call<O: Operation>(
    addr: SocketAddr,
    path: &str,
    op: &O,
    header: Option<&str>,
) -> Resp {
    Req::post(path, &envelope_of(op, header)).send(addr).await
}

/// The device service's path.
pub const DEVICE: &str = "/onvif/device_service";

impl Sim {
    /// A PasswordDigest UsernameToken header for the camera's user, created now.
    pub fn token(&self) -> String {
        token(self.user(), self.password(), Timestamp::now())
    }

    /// Call an operation at `path` with a fresh UsernameToken of the camera's user.
    pub async fn ask<O: Operation>(&self, path: &str, op: &O) -> Resp {
        call(self.addr(), path, op, Some(&self.token())).await
    }
}

/// HTTP Digest (RFC 7616, `qop=auth`) answered by hand, to check the simulator's own.
pub mod digest {
    use md5::Md5;
    use sha2::{Digest, Sha256};

    use crate::USER;

    /// A quoted parameter of a challenge (`realm`, `nonce`, `opaque`).
    ///
    /// # Panics
    /// When the challenge has no such parameter.
    pub fn param<'a>(challenge: &'a str, key: &str) -> &'a str {
        let start = challenge
            .find(&format!("{key}=\""))
            .unwrap_or_else(|| panic!("no {key} in {challenge}"))
            + key.len()
            + 2;
        let len = challenge[start..]
            .find('"')
            .unwrap_or_else(|| panic!("{key} not closed in {challenge}"));
        &challenge[start..start + len]
    }

    fn h(alg: &str, s: &str) -> String {
        match alg {
            "MD5" => format!("{:x}", Md5::digest(s.as_bytes())),
            _ => format!("{:x}", Sha256::digest(s.as_bytes())),
        }
    }

    /// An Authorization header answering `challenge` for `method uri` as [`USER`] with
    /// `password`, the `nc`-th use of its nonce, in the challenge's `alg` (`MD5`, `SHA-256`).
    pub fn authorization(
        challenge: &str,
        alg: &str,
        method: &str,
        uri: &str,
        password: &str,
        nc: u32,
    ) -> String {
        let realm = param(challenge, "realm");
        let nonce = param(challenge, "nonce");
        let opaque = param(challenge, "opaque");
        let cnonce = "0a4f113b";
        let nc = format!("{nc:08x}");
        let ha1 = h(alg, &format!("{USER}:{realm}:{password}"));
        let ha2 = h(alg, &format!("{method}:{uri}"));
        let response = h(alg, &format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
        format!(
            r#"Digest username="{USER}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm={alg}, qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}", opaque="{opaque}""#
        )
    }
}
