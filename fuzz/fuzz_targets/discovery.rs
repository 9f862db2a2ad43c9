//! WS-Discovery messages: any datagram parses into a Probe, ProbeMatches, Hello or Bye, or an
//! error; what we write from a parsed packet parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_proto::discovery::Packet;

fuzz_target!(|data: &[u8]| {
    let Ok(p) = Packet::parse(data) else {
        return;
    };
    let _ = serde_json::to_string(&p);
    let xml = p.to_xml();
    let again = Packet::parse(xml.as_bytes());
    assert!(
        again.is_ok(),
        "our packet does not parse: {:?}\n{xml}",
        again.err()
    );
});
