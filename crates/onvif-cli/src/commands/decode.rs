//! `decode`: a saved SOAP answer, read by the code that reads live ones, printed as JSON; or
//! a recording (HAR), every exchange of it decoded the same way.

use std::path::Path;

use onvif::proto;
use serde_json::{Value, json};

use crate::commands::events::kind_table;
use crate::failure::{Failure, exit};
use crate::output;

/// `decode`: always JSON.
pub fn run(file: &Path, kinds: Option<&Path>) -> Result<(), Failure> {
    let kinds = kind_table(kinds)?;
    // A saved answer or a recording: either is read up to the size of the largest recording.
    let limit = proto::har::MAX_BYTES;
    let bytes = if file.as_os_str() == "-" {
        proto::har::read_limited(std::io::stdin().lock(), limit)
            .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?
    } else {
        std::fs::File::open(file)
            .and_then(|f| proto::har::read_limited(f, limit))
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?
    };
    let value = if bytes.trim_ascii_start().starts_with(b"{") {
        recording(&bytes, &kinds).map_err(|e| Failure {
            code: exit::USAGE,
            message: format!("{}: {e}", file.display()),
        })?
    } else {
        let decoded = proto::decode::decode_with_kinds(&bytes, &kinds).map_err(|e| Failure {
            code: exit::DEVICE,
            message: format!("{}: {e}", file.display()),
        })?;
        serde_json::to_value(&decoded).unwrap_or_default()
    };
    match output::answer_json(&value, false) {
        Ok(s) => output::out_line(&s),
        Err(e) => {
            return Err(Failure {
                code: exit::INTERNAL,
                message: format!("cannot render JSON: {e}"),
            });
        }
    }
    Ok(())
}

/// Every exchange of a recording: what was asked, what came back, decoded.
fn recording(bytes: &[u8], kinds: &proto::ops::events::KindTable) -> Result<Value, String> {
    let har = proto::har::Har::parse(bytes).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(har.log.entries.len());
    for (i, e) in har.log.entries.iter().enumerate() {
        let body = e
            .response
            .content
            .bytes()
            .map_err(|err| format!("log.entries[{i}]: {err}"))?;
        let mime = &e.response.content.mime_type;
        let answer = if body.is_empty() {
            Value::Null
        } else if mime.contains("xml") || body.trim_ascii_start().starts_with(b"<") {
            match proto::decode::decode_with_kinds(&body, kinds) {
                Ok(d) => serde_json::to_value(&d).unwrap_or_default(),
                Err(err) => json!({ "kind": "unreadable", "error": err.to_string() }),
            }
        } else {
            json!({ "kind": "bytes", "mime_type": mime, "bytes": body.len() })
        };
        let mut entry = json!({
            "index": i,
            "started": e.started_date_time,
            "time_ms": (e.time * 10.0).round() / 10.0,
            "method": e.request.method,
            "url": e.request.url,
            "operation": e.operation(),
            "status": e.response.status,
            "answer": answer,
        });
        if let Some(err) = e.onvif.as_ref().and_then(|o| o.error.as_ref()) {
            entry["error"] = json!(err);
        }
        out.push(entry);
    }
    Ok(json!({
        "creator": har.log.creator,
        "camera": har.log.onvif,
        "exchanges": out,
    }))
}
