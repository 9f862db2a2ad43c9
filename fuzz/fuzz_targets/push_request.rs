//! The client's push listener, one connection in process: whatever a peer sends (request
//! line, headers, a plain or chunked body) gets an HTTP answer and at most the events of a
//! valid Notify, never a panic or a hang. The listener waits at `/push/secret` for the
//! subscription `http://127.0.0.1:1/onvif/subscription/1`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../shared/runtime.rs"]
mod shared_runtime;
use shared_runtime::runtime;

fuzz_target!(|data: &[u8]| {
    let (answer, _items) = runtime().block_on(onvif::events::push_request_in_process(
        "/push/secret",
        Some("http://127.0.0.1:1/onvif/subscription/1"),
        data,
        1024 * 1024,
    ));
    // HTTP/1.0 peers are answered in HTTP/1.0 (hyper does so), everyone else in HTTP/1.1.
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 ") || answer.starts_with(b"HTTP/1.0 "),
        "not an HTTP answer: {:?}",
        String::from_utf8_lossy(&answer)
    );
});
