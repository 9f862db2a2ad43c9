//! `decode` (what `onvif decode` runs on a saved answer), with the built-in kind table and
//! with a user's rules in front of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_proto::ops::events::KindTable;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = onvif_proto::decode::decode(data) {
        let _ = serde_json::to_string(&d);
    }
    // A second pass with a user rule in front, as `--kinds` gives.
    let mut kinds = KindTable::default();
    if kinds
        .extend_front("tns1:RuleEngine/CellMotionDetector/Motion IsMotion motion")
        .is_ok()
    {
        let _ = onvif_proto::decode::decode_with_kinds(data, &kinds);
    }
});
