//! A recording (HAR) as `decode`, `diff` and `sim --replay` read one: parsed, each exchange
//! looked into, its identity redacted, written again and read back, and loaded as a replayed
//! camera. A file a user was sent must give a clear error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_proto::har::{self, Har};

fuzz_target!(|data: &[u8]| {
    let Ok(mut h) = Har::parse(data) else {
        return;
    };
    for e in &h.log.entries {
        let _ = (e.request_body(), e.operation(), e.path(), e.authenticated());
        let _ = (e.http_auth(), e.ws_security(), e.response.content.bytes());
        if let Some(el) = e.soap_request() {
            let _ = (har::key_fields(&el), har::request_fields(&el));
        }
        let _ = har::origin_of(&e.request.url);
    }
    let _ = onvif_sim::Replay::from_har(&h);
    har::redact_identity(&mut h);
    let json = h.to_json();
    let back = Har::parse(json.as_bytes());
    assert!(
        back.is_ok(),
        "a written recording does not read back: {back:?}"
    );
});
