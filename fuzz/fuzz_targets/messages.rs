//! Every typed message reader of the decoder table, picked as `pick.rs` says.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod pick;

fuzz_target!(|data: &[u8]| {
    let Some(p) = pick::pick(data) else {
        return;
    };
    // As the table would find it, then renamed to what the reader expects.
    let _ = (p.decoder.decode)(&p.found);
    let _ = (p.decoder.decode)(&p.payload);
});
