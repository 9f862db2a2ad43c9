//! Helpers for the capture tests: where the captures are, their index, reading one typed.
#![allow(dead_code)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use onvif_proto::soap::Envelope;
use onvif_proto::{Error, Message};

/// The environment variable that points the tests at another captures folder.
pub const CAPTURES_ENV: &str = "ONVIF_CAPTURES";

/// The captures folder, or `None` (after saying so on stderr) when it is absent: the test that
/// asked should then return early, as a skip.
pub fn captures_dir() -> Option<PathBuf> {
    let (dir, how) = match std::env::var_os(CAPTURES_ENV) {
        Some(d) => (PathBuf::from(d), format!("from ${CAPTURES_ENV}")),
        None => (
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures"),
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

/// One line of INDEX.tsv.
#[derive(Debug, Clone)]
pub struct Row {
    pub source: String,
    /// Path relative to the captures folder.
    pub file: String,
    /// The Body's first element as the index saw it; for faults `Fault (code subcode reason)`.
    pub operation: String,
    pub vendor_model: String,
    /// `1.2`, or `?` when the envelope's prefix is unbound.
    pub soap: String,
    /// `yes`, or `NO (expat's complaint)`.
    pub well_formed: String,
    pub notes: String,
}

impl Row {
    /// The operation's local name alone (`Fault`, not `Fault (env:Sender ...)`).
    pub fn op(&self) -> &str {
        self.operation.split_whitespace().next().unwrap_or_default()
    }

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

/// A capture's bytes; a missing file is a failure naming it.
pub fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("reading capture {file}: {e}"))
}

/// A capture read as the typed answer `M`, as the client would read a live answer.
pub fn try_read_as<M: Message>(bytes: &[u8]) -> Result<M, Error> {
    let env = Envelope::parse(bytes)?;
    M::read(env.payload()?)
}

/// A capture read as `M`; any error fails the test naming the file.
pub fn read_as<M: Message + Debug>(dir: &Path, file: &str) -> M {
    try_read_as(&read(dir, file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}
