//! The SOAP envelope and Fault reader: any bytes give an envelope, a Fault or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_proto::soap::{Envelope, Fault};

fuzz_target!(|data: &[u8]| {
    let Ok(env) = Envelope::parse(data) else {
        return;
    };
    let _ = env.payload();
    let _ = env.header_child(onvif_proto::ns::WSSE, "Security");
    if let Some(f) = env.fault() {
        let _ = (
            f.is_not_authorized(),
            f.is_action_not_supported(),
            f.to_string(),
        );
        // The simulator writes Faults with text taken from requests: what it writes must read.
        let again = Envelope::parse(f.to_envelope().as_bytes()).expect("our Fault envelope reads");
        assert!(again.fault().is_some(), "our Fault envelope is not a Fault");
    }
    if let Some(first) = env.body.first_child() {
        let _ = Fault::from_element(first);
    }
});
