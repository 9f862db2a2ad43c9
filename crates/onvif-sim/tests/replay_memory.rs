//! The replay cache's memory, in bytes (a counting allocator, not RSS): requests with huge
//! nonces must leave nothing behind. Its own test binary, so no other test allocates meanwhile.

#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use onvif_proto::ops::device::GetDeviceInformation;
use onvif_proto::wsse::UsernameToken;
use onvif_testkit::alloc::CountingAlloc;
use onvif_testkit::http::{DEVICE, call};
use onvif_testkit::{PASSWORD, Sim, USER};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[tokio::test(flavor = "current_thread")]
async fn three_hundred_huge_nonces_leave_memory_flat() {
    let cam = Sim::start().await;
    // Warm up: the first requests allocate what stays (connection machinery, tables).
    for _ in 0..3 {
        let t = UsernameToken::digest_now(USER, PASSWORD, Timestamp::now());
        let r = call(
            cam.addr(),
            DEVICE,
            &GetDeviceInformation,
            Some(&t.to_header()),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let before = ALLOC.current_usage();
    let nonce_len = 75_000;
    let mut refused = 0;
    for i in 0..300u32 {
        let mut nonce = vec![0u8; nonce_len];
        nonce[..4].copy_from_slice(&i.to_be_bytes());
        let t = UsernameToken::digest(USER, PASSWORD, Timestamp::now(), &nonce);
        let header = t.to_header();
        drop(t);
        let r = call(cam.addr(), DEVICE, &GetDeviceInformation, Some(&header)).await;
        if r.status == 400 && r.body.contains("longer than 64 bytes") {
            refused += 1;
        }
    }
    let after = ALLOC.current_usage();
    let grown = after.saturating_sub(before);
    println!(
        "300 requests with {nonce_len}-byte nonces ({} bytes in all): live heap grew by {grown} bytes",
        300 * nonce_len
    );
    // Kept, they would be 22.5 MB (45 MB stored twice).
    assert!(grown < 1024 * 1024, "{grown} bytes kept");
    assert_eq!(refused, 300, "each refused with a fault that says why");
}
