//! Recording a camera's exchanges as HAR 1.2 (`--capture`, `onvif capture`): a
//! [`Capture`] gives the client a [`Recorder`] and collects what it is
//! told, already redacted by the transport, into a [`Har`].

use std::sync::{Arc, Mutex};

use onvif_proto::har::{self, Content, Entry, EntryInfo, Har, Header, PostData, Timings};

use crate::transport::{Exchange, Recorder};
use crate::util::lock;

/// The exchanges of one run, in the order they ended.
pub struct Capture {
    har: Mutex<Har>,
}

impl Capture {
    /// An empty recording made by `tool` (`onvif`) at `version`.
    pub fn new(tool: &str, version: &str) -> Arc<Capture> {
        Arc::new(Capture {
            har: Mutex::new(Har::new(tool, version)),
        })
    }

    /// What the client calls with each exchange.
    pub fn recorder(self: &Arc<Self>) -> Recorder {
        let me = Arc::clone(self);
        Arc::new(move |x: Exchange| {
            let entry = entry_of(x);
            lock(&me.har).log.entries.push(entry);
        })
    }

    /// How many exchanges it holds.
    pub fn len(&self) -> usize {
        lock(&self.har).log.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The recording, with the camera's identity (from a GetDeviceInformation answer it
    /// holds) and the device address in `log._onvif`.
    pub fn har(&self, device: Option<&str>) -> Har {
        let mut h = lock(&self.har).clone();
        let info = h.log.onvif.get_or_insert_with(Default::default);
        info.device = device.map(crate::address::redact_userinfo);
        if let Some(d) = h.log.entries.iter().find_map(device_information) {
            info.manufacturer = Some(d.manufacturer);
            info.model = Some(d.model);
            info.firmware = Some(d.firmware_version);
        }
        h
    }
}

/// The device information a recorded answer holds, if it is one.
fn device_information(e: &Entry) -> Option<onvif_proto::ops::device::DeviceInformation> {
    use onvif_proto::ops::device::GetDeviceInformation;
    if e.operation().as_deref() != Some("GetDeviceInformation") {
        return None;
    }
    let body = e.response.content.bytes().ok()?;
    let env = onvif_proto::Envelope::parse(&body).ok()?;
    onvif_proto::ops::read_response::<GetDeviceInformation>(&env).ok()
}

fn headers(list: Vec<(String, String)>) -> Vec<Header> {
    list.into_iter().map(|(k, v)| Header::new(k, v)).collect()
}

/// One exchange as a HAR entry.
fn entry_of(x: Exchange) -> Entry {
    let ms = x.elapsed.as_secs_f64() * 1000.0;
    let content_type = |hs: &[(String, String)]| {
        hs.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let request_type = content_type(&x.request_headers);
    let response_type = content_type(&x.response_headers);
    let post_data = (x.method == "POST").then(|| PostData {
        mime_type: request_type,
        text: x.request_body.clone(),
    });
    let mut entry = Entry {
        started_date_time: x.started.to_string(),
        time: ms,
        request: har::Request {
            method: x.method.to_owned(),
            url: x.url,
            http_version: "HTTP/1.1".into(),
            headers: headers(x.request_headers),
            query_string: Vec::new(),
            cookies: Vec::new(),
            headers_size: -1,
            body_size: x.request_body.len() as i64,
            post_data,
        },
        response: har::Response {
            status: x.status.unwrap_or(0),
            status_text: x
                .status
                .and_then(|s| http::StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("")
                .to_owned(),
            http_version: "HTTP/1.1".into(),
            headers: headers(x.response_headers),
            cookies: Vec::new(),
            content: Content::of(&response_type, &x.response_body),
            redirect_url: String::new(),
            headers_size: -1,
            body_size: x.response_body.len() as i64,
        },
        cache: Default::default(),
        timings: Timings {
            send: 0.0,
            wait: ms,
            receive: 0.0,
        },
        onvif: None,
    };
    let op = entry.soap_request();
    entry.onvif = Some(EntryInfo {
        operation: op.as_ref().map(|e| e.name.clone()),
        namespace: op.and_then(|e| e.ns.as_deref().map(str::to_owned)),
        error: x.error,
    });
    entry
}
