//! Recordings of a camera's HTTP exchanges in HAR 1.2, the HTTP Archive format browsers and
//! HTTP tools read, with this project's own fields under `_onvif` (the operation and service
//! of each exchange, the tool, the camera's model and firmware).
//!
//! A recording is written by the client as it talks to a camera (secrets already redacted
//! there), read back by `decode`, `diff` and the simulator's replay. Reading is lenient in
//! what HAR allows to be missing (a HAR from another tool has no `_onvif` fields and may omit
//! sizes and timings) and strict about what a replay needs: every entry has a request with a
//! method and a URL, and a response with a status.

mod model;
mod redact;

pub use model::*;
pub use redact::redact_identity;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        let e = |b: &[u8]| Har::parse(b).unwrap_err().to_string();
        assert!(e(b"<html/>").contains("not JSON"), "{}", e(b"<html/>"));
        assert!(e(b"{}").contains("no \"log\""));
        assert!(e(br#"{"log":{}}"#).contains("log.entries"));
        let bad = br#"{"log":{"entries":[{"request":{"method":"GET","url":"http://x/"}}]}}"#;
        assert!(e(bad).contains("log.entries[0]"), "{}", e(bad));
        assert!(e(bad).contains("response"), "{}", e(bad));
        let truncated = br#"{"log":{"entries":[{"request":"#;
        assert!(e(truncated).contains("not JSON"));
    }

    #[test]
    fn another_tool_s_har_is_read() {
        let har = br#"{"log":{"version":"1.2","creator":{"name":"browser","version":"1"},
          "entries":[{"startedDateTime":"2026-01-01T00:00:00Z","time":3,
            "request":{"method":"POST","url":"http://192.0.2.1/onvif/device_service",
              "headers":[{"name":"Content-Type","value":"application/soap+xml"}],
              "postData":{"mimeType":"application/soap+xml","text":"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><GetDeviceInformation xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>"}},
            "response":{"status":200,"content":{"mimeType":"application/soap+xml","text":"<x/>"}}}]}}"#;
        let h = Har::parse(har).unwrap();
        let e = &h.log.entries[0];
        assert_eq!(e.operation().as_deref(), Some("GetDeviceInformation"));
        assert_eq!(e.path(), "/onvif/device_service");
        assert!(!e.authenticated());
        assert!(h.log.onvif.is_none());
    }

    #[test]
    fn binary_bodies_go_in_base64_and_come_back() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x80];
        let c = Content::of("image/jpeg", &jpeg);
        assert_eq!(c.encoding.as_deref(), Some("base64"));
        assert_eq!(c.bytes().unwrap(), jpeg);
        let t = Content::of("text/xml", b"<a/>");
        assert_eq!(t.encoding, None);
        assert_eq!(t.bytes().unwrap(), b"<a/>");
    }

    #[test]
    fn urls_split() {
        assert_eq!(path_of("http://h:80/onvif/x?y=1"), "/onvif/x?y=1");
        assert_eq!(path_of("http://h"), "/");
        assert_eq!(origin_of("http://h:80/onvif/x"), Some("http://h:80"));
    }
}
