//! The recorded camera answers: where they are, their index, reading one typed.
//!
//! They live in `../shared/captures` relative to the workspace root (or the folder named by
//! `ONVIF_CAPTURES`) and are read in place. When the folder (its `INDEX.tsv`) is absent,
//! [`captures_dir`] says so on stderr and a test returns early, as a skip:
//!
//! ```ignore
//! let Some(dir) = captures_dir() else { return };
//! ```

use std::path::{Path, PathBuf};

use onvif_proto::{Error, Message};

/// The environment variable that points the tests at another captures folder.
pub const CAPTURES_ENV: &str = "ONVIF_CAPTURES";

/// The captures folder, or `None` (after a `SKIPPED:` line on stderr) when it is absent.
pub fn captures_dir() -> Option<PathBuf> {
    let (dir, how) = match std::env::var_os(CAPTURES_ENV) {
        Some(d) => (PathBuf::from(d), format!("from ${CAPTURES_ENV}")),
        None => (
            default_dir(),
            format!("the default; set ${CAPTURES_ENV} to use another folder"),
        ),
    };
    if dir.join("INDEX.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: no captures at {} ({how}): INDEX.tsv not found",
            dir.display()
        );
        None
    }
}

/// `../shared/captures` from the workspace root (this crate sits two levels below it).
fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures")
}

/// One line of INDEX.tsv.
#[derive(Debug, Clone)]
pub struct Row {
    /// Where the capture came from (a project, a vendor).
    pub source: String,
    /// Path relative to the captures folder.
    pub file: String,
    /// The Body's first element as the index saw it; for faults `Fault (code subcode reason)`.
    pub operation: String,
    /// The camera, when known.
    pub vendor_model: String,
    /// `1.2`, or `?` when the envelope's prefix is unbound.
    pub soap: String,
    /// `yes`, or `NO (expat's complaint)`.
    pub well_formed: String,
    /// Free text; a doT template holds `{{...}}` placeholders.
    pub notes: String,
}

impl Row {
    /// The operation's local name alone (`Fault`, not `Fault (env:Sender ...)`).
    pub fn op(&self) -> &str {
        self.operation.split_whitespace().next().unwrap_or_default()
    }

    /// Did expat read the file without complaint?
    pub fn well_formed(&self) -> bool {
        self.well_formed == "yes"
    }

    /// A doT template (`{{...}}` placeholders) rather than a recorded answer.
    pub fn is_template(&self) -> bool {
        self.notes.contains("{{")
    }
}

/// Every row of INDEX.tsv (the header checked and skipped).
pub fn index(dir: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(dir.join("INDEX.tsv"))
        .unwrap_or_else(|e| panic!("reading {}/INDEX.tsv: {e}", dir.display()));
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("source\tfile\toperation\tvendor_model\tvendor_from\tsoap\twell_formed"),
        "INDEX.tsv has unexpected columns: {header}"
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert!(c.len() >= 7, "short INDEX.tsv line: {l:?}");
            let col = |i: usize| c.get(i).copied().unwrap_or_default().to_owned();
            Row {
                source: col(0),
                file: col(1),
                operation: col(2),
                vendor_model: col(3),
                soap: col(5),
                well_formed: col(6),
                notes: col(7),
            }
        })
        .collect()
}

/// Every file under `dir` but the folder's own (INDEX.tsv, README.md, LICENSE*), as paths
/// relative to it with `/` between the parts, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("listing {}: {e}", d.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if !(name == "INDEX.tsv" || name == "README.md" || name.starts_with("LICENSE")) {
                let rel = path.strip_prefix(dir).unwrap();
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// A capture's bytes; a missing file is a failure naming it.
pub fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("reading capture {file}: {e}"))
}

/// A capture read as the typed answer `M`, as the client would read a live answer.
pub fn try_read_as<M: Message>(bytes: &[u8]) -> Result<M, Error> {
    crate::message::read_document(bytes)
}

/// A capture read as `M`; any error fails the test naming the file.
pub fn read_as<M: Message>(dir: &Path, file: &str) -> M {
    try_read_as(&read(dir, file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// One camera's captured answers (`dir/camera/**/*Response.xml`) as a recording a replay can
/// serve: each answer becomes an exchange whose request is the bare operation, posted to the
/// address the camera's GetServices answer gives for its namespace, with a WS-Security header
/// (so the replay asks for credentials). `None` when the camera has no GetServices or
/// GetDeviceInformation answer to start from.
pub fn as_recording(dir: &Path, camera: &str) -> Option<onvif_proto::har::Har> {
    use onvif_proto::har::{Content, Entry, EntryInfo, Har, Header, PostData, Request, Response};
    use onvif_proto::soap::Envelope;
    let root = dir.join(camera);
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                files.push(p);
            }
        }
    }
    files.sort();
    // Each service's address, by namespace, from GetServices.
    let services = files
        .iter()
        .find(|p| p.ends_with("device_management/GetServicesResponse.xml"))?;
    let env = Envelope::parse(&std::fs::read(services).ok()?).ok()?;
    let mut addr: Vec<(String, String)> = Vec::new();
    for s in &env.body.children.first()?.children {
        let ns = s
            .children
            .iter()
            .find(|c| c.name == "Namespace")?
            .text
            .trim()
            .to_owned();
        let x = s
            .children
            .iter()
            .find(|c| c.name == "XAddr")?
            .text
            .trim()
            .to_owned();
        addr.push((ns, x));
    }
    let device = addr
        .iter()
        .find(|(ns, _)| ns == onvif_proto::ns::TDS)
        .map(|(_, x)| x.clone())?;
    let mut har = Har::new("onvif-testkit (captures)", env!("CARGO_PKG_VERSION"));
    for p in &files {
        let bytes = std::fs::read(p).ok()?;
        let Ok(env) = Envelope::parse(&bytes) else {
            continue;
        };
        let Some(first) = env.body.children.first() else {
            continue;
        };
        let (Some(op), Some(ns)) = (first.name.strip_suffix("Response"), first.ns.as_deref())
        else {
            continue;
        };
        let url = addr
            .iter()
            .find(|(n, _)| n == ns)
            .map_or(device.clone(), |(_, x)| x.clone());
        let body = format!(
            "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>\
             <wsse:Security xmlns:wsse=\"{}\"/></s:Header><s:Body><{op} xmlns=\"{ns}\"/>\
             </s:Body></s:Envelope>",
            onvif_proto::ns::WSSE
        );
        har.log.entries.push(Entry {
            started_date_time: "2026-01-01T00:00:00Z".into(),
            time: 1.0,
            request: Request {
                method: "POST".into(),
                url,
                http_version: "HTTP/1.1".into(),
                headers: vec![Header::new("Content-Type", "application/soap+xml")],
                query_string: Vec::new(),
                cookies: Vec::new(),
                headers_size: -1,
                body_size: body.len() as i64,
                post_data: Some(PostData {
                    mime_type: "application/soap+xml".into(),
                    text: body,
                }),
            },
            response: Response {
                status: 200,
                status_text: "OK".into(),
                http_version: "HTTP/1.1".into(),
                headers: Vec::new(),
                cookies: Vec::new(),
                content: Content::of("application/soap+xml; charset=utf-8", &bytes),
                redirect_url: String::new(),
                headers_size: -1,
                body_size: bytes.len() as i64,
            },
            cache: Default::default(),
            timings: Default::default(),
            onvif: Some(EntryInfo {
                operation: Some(op.to_owned()),
                namespace: Some(ns.to_owned()),
                error: None,
            }),
        });
    }
    Some(har)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_helpers_read_the_index_columns() {
        // Independent of the captures: the index parser splits columns as documented.
        let r = Row {
            source: "s".into(),
            file: "f".into(),
            operation: "Fault (env:Sender ter:X reason)".into(),
            vendor_model: String::new(),
            soap: "1.2".into(),
            well_formed: "NO (bad)".into(),
            notes: "doT template placeholders {{...}}".into(),
        };
        assert_eq!(r.op(), "Fault");
        assert!(!r.well_formed());
        assert!(r.is_template());
    }
}
