//! HTTP authentication parsers. The input is split at NUL bytes:
//! - the first part is a `WWW-Authenticate` value as the client reads it (http-auth builds a
//!   responder, which must answer or refuse, never panic);
//! - the rest are `Authorization` values checked by the simulated camera (one value, or
//!   several, which it must refuse), after its auth-param parser has seen each. `NONCE` and
//!   `OPAQUE` in them stand for the values the camera issued, so the fuzzer can get past them.
#![no_main]

use http_auth::{PasswordClient, PasswordParams};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let challenge = parts.next().unwrap_or_default();
    let authorization: Vec<&[u8]> = parts.collect();

    if let Ok(s) = std::str::from_utf8(challenge) {
        if let Ok(mut client) = PasswordClient::builder().challenges(s).build() {
            for _ in 0..2 {
                let _ = client.respond(&PasswordParams {
                    username: "admin",
                    password: "secret",
                    uri: "/onvif/device_service",
                    method: "POST",
                    body: None,
                });
            }
        }
        let _ = PasswordClient::try_from(s);
        let _ = onvif_sim::fuzzing::auth_params(s);
    }
    for v in &authorization {
        let s = String::from_utf8_lossy(v);
        let _ = onvif_sim::fuzzing::auth_params(&s);
        let rest = s.split_once(' ').map_or("", |(_, r)| r);
        let _ = onvif_sim::fuzzing::auth_params(rest);
    }
    for allow_basic in [false, true] {
        let r = onvif_sim::fuzzing::check_http(
            "POST",
            "/onvif/device_service",
            &authorization,
            "admin",
            "secret",
            allow_basic,
        );
        if authorization.len() != 1 {
            assert!(
                r.is_err(),
                "{} Authorization values accepted",
                authorization.len()
            );
        }
        if let Err(e) = r {
            let _ = e.to_string();
        }
    }
});
