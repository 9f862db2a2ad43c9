//! WS-Security header checks: the UsernameToken reader, its digest check, and the simulated
//! camera's whole token policy (user, password type, nonce, Created window, replay cache) on
//! any document's SOAP Header (or its root when it is no envelope). A token with a nonce that
//! passes once must not pass twice.
#![no_main]

use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use onvif_proto::soap::Envelope;
use onvif_proto::wsse::UsernameToken;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, doc)) = data.split_first() else {
        return;
    };
    let Ok(root) = onvif_proto::xml::parse(doc) else {
        return;
    };
    let header = match Envelope::from_root(root.clone()) {
        Ok(env) => env.header,
        Err(_) => Some(root),
    };
    if let Some(h) = &header {
        if let Ok(Some(t)) = UsernameToken::from_header(h) {
            let _ = (t.verify("secret"), t.verify(""), t.to_header());
        }
    }
    // The camera's clock: the day the project's fixtures were recorded around.
    let now: Timestamp = "2025-01-01T00:00:00Z".parse().expect("a timestamp");
    let [first, second] = onvif_sim::fuzzing::check_username_token(
        header.as_ref(),
        "admin",
        "secret",
        flags & 1 != 0,
        now,
        flags & 2 != 0,
    );
    if first.is_ok() {
        let has_nonce = header
            .as_ref()
            .and_then(|h| UsernameToken::from_header(h).ok().flatten())
            .is_some_and(|t| t.nonce.is_some());
        if has_nonce {
            assert!(second.is_err(), "a token with a nonce was accepted twice");
        }
    }
});
