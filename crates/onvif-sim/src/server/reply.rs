//! What a request is answered with, written in the SOAP version of the request.

use std::pin::Pin;

use axum::body::{Body, HttpBody};
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use onvif_proto::Fault;
use onvif_proto::ns;
use onvif_proto::soap;
use onvif_proto::xml::{QNameValue, Writer};

const SOAP_CONTENT_TYPE: &str = "application/soap+xml; charset=utf-8";
const SOAP11_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// What a request is answered with.
pub(super) struct Reply {
    pub(super) status: StatusCode,
    body: ReplyBody,
    /// `WWW-Authenticate` values (401 only).
    pub(super) challenges: Vec<String>,
    /// Answer in SOAP 1.1 (`text/xml`): the request was a SOAP 1.1 envelope (default posture).
    soap11: bool,
}

/// The Body of an answer, written in the request's SOAP version when the reply goes out.
enum ReplyBody {
    /// The inner XML of the response Body.
    Ok(String),
    Fault(Fault),
    /// Cut the connection instead of answering (headers out, then the body fails).
    Cut,
    /// Bytes as they are (a recorded answer), with their Content-Type.
    Raw {
        content_type: String,
        body: Vec<u8>,
    },
}

/// A response body that fails at once: the server drops the connection mid-answer.
struct CutBody;

impl HttpBody for CutBody {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "the simulated camera cuts the connection",
        ))))
    }
}

impl Reply {
    /// Cut the connection instead of answering.
    pub(super) fn cut() -> Reply {
        Reply {
            body: ReplyBody::Cut,
            ..Reply::ok(String::new())
        }
    }

    /// A recorded answer, sent as it was recorded.
    pub(super) fn raw(status: u16, content_type: String, body: Vec<u8>) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            body: ReplyBody::Raw { content_type, body },
            ..Reply::ok(String::new())
        }
    }

    pub(super) fn ok(body: String) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: ReplyBody::Ok(body),
            challenges: Vec::new(),
            soap11: false,
        }
    }

    /// A fault with the status SOAP 1.2's HTTP binding gives its code: 400 for Sender, 500
    /// otherwise.
    pub(super) fn fault(f: &Fault) -> Reply {
        let status = if f.code.name == "Sender" {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        Reply::fault_with(status, f)
    }

    pub(super) fn fault_with(status: StatusCode, f: &Fault) -> Reply {
        Reply {
            status,
            body: ReplyBody::Fault(f.clone()),
            challenges: Vec::new(),
            soap11: false,
        }
    }

    pub(super) fn is_fault(&self) -> bool {
        matches!(self.body, ReplyBody::Fault(_))
    }

    /// In SOAP 1.1 (or not).
    pub(super) fn soap11(mut self, yes: bool) -> Reply {
        self.soap11 = yes;
        self
    }

    pub(super) fn into_response(self) -> Response {
        let content_type = HeaderValue::from_static(if self.soap11 {
            SOAP11_CONTENT_TYPE
        } else {
            SOAP_CONTENT_TYPE
        });
        // SOAP 1.1's HTTP binding answers every fault with 500 (401 challenges and the
        // transport-level statuses stay as they are).
        let status = if self.soap11 && self.status == StatusCode::BAD_REQUEST {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            self.status
        };
        let body = match self.body {
            ReplyBody::Raw { content_type, body } => {
                let ct = HeaderValue::from_str(&content_type)
                    .unwrap_or(HeaderValue::from_static(SOAP_CONTENT_TYPE));
                return (self.status, [(CONTENT_TYPE, ct)], body).into_response();
            }
            ReplyBody::Cut => {
                return (status, [(CONTENT_TYPE, content_type)], Body::new(CutBody))
                    .into_response();
            }
            ReplyBody::Ok(inner) if self.soap11 => soap::envelope11(&inner),
            ReplyBody::Ok(inner) => soap::envelope(None, &inner),
            ReplyBody::Fault(f) if self.soap11 => soap::envelope11(&fault11(&f)),
            ReplyBody::Fault(f) => f.to_envelope(),
        };
        let mut resp = (status, [(CONTENT_TYPE, content_type)], body).into_response();
        for c in self.challenges {
            if let Ok(v) = HeaderValue::from_str(&c) {
                resp.headers_mut().append(WWW_AUTHENTICATE, v);
            }
        }
        resp
    }
}

/// A SOAP 1.1 Fault: `Client`/`Server` (or `VersionMismatch`, `MustUnderstand`) as
/// `faultcode`, the reason as `faultstring`, and the ONVIF subcodes (innermost last) in
/// `detail`.
fn fault11(f: &Fault) -> String {
    let code = match f.code.name.as_str() {
        "Sender" => "Client",
        "Receiver" => "Server",
        other => other,
    };
    let mut w = Writer::with_capacity(512);
    w.open("s:Fault", &[]);
    w.leaf("faultcode", &format!("s:{code}"));
    w.leaf("faultstring", &f.reason);
    if !f.subcodes.is_empty() || f.detail.is_some() {
        w.open("detail", &[]);
        for sub in &f.subcodes {
            match sub.ns.as_deref() {
                Some(uri) if uri != ns::TER => {
                    w.open("ter:Subcode", &[("xmlns:sc", uri)])
                        .text(&format!("sc:{}", sub.name))
                        .close("ter:Subcode");
                }
                _ => {
                    w.leaf("ter:Subcode", &format!("ter:{}", sub.name));
                }
            }
        }
        if let Some(d) = &f.detail {
            w.leaf("ter:Text", d);
        }
        w.close("detail");
    }
    w.close("s:Fault");
    w.finish()
}

/// A fault whose code is a SOAP 1.2 code other than Sender/Receiver.
pub(super) fn soap_fault(code: &str, reason: impl Into<String>) -> Fault {
    Fault {
        code: QNameValue {
            ns: Some(ns::SOAP12.into()),
            name: code.into(),
        },
        subcodes: Vec::new(),
        reason: reason.into(),
        detail: None,
    }
}
