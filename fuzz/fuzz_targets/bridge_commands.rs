//! What the bridge reads from its MQTT command topics: any client of the broker may publish
//! there. Each payload is read as every command; what it makes must be said plainly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_bridge::Command;

fuzz_target!(|data: &[u8]| {
    for c in ["ptz", "snapshot", "reboot", "relay"] {
        let cmd = Command::parse(c, data);
        let _ = (cmd.what(), cmd.expires());
        if let Command::Invalid { what, error } = &cmd {
            assert!(!what.is_empty() && !error.is_empty(), "{cmd:?}");
        }
    }
});
