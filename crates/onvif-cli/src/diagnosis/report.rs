//! The report the probes write (one [`Check`] a line), and the client they probe with.

use onvif::{AuthScheme, Camera, Config, Error, Recorder};
use serde::Serialize;

use crate::args::Global;
use crate::connection::{Target, client_config};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// As it should be.
    Ok,
    /// Works, but differs from the standard or from what other clients expect.
    Warning,
    /// Does not work.
    Problem,
    /// Not checked (no credentials, no such service).
    Skipped,
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `connection`, `clock`, `auth`, `addresses`, `media`, `ptz`, `events`, `services`.
    pub area: &'static str,
    /// What was checked.
    pub check: String,
    /// How it came out.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about it, when anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// Config settings it calls for (`key`, TOML value): what `--write-profile` writes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<(String, String)>,
}

/// The report being written.
#[derive(Default)]
pub(super) struct Report {
    pub(super) checks: Vec<Check>,
}

impl Report {
    pub(super) fn add(
        &mut self,
        area: &'static str,
        check: &str,
        status: Status,
        detail: impl Into<String>,
    ) {
        self.checks.push(Check {
            area,
            check: check.into(),
            status,
            detail: detail.into(),
            advice: None,
            settings: Vec::new(),
        });
    }

    pub(super) fn advise(&mut self, advice: impl Into<String>) {
        if let Some(c) = self.checks.last_mut() {
            c.advice = Some(advice.into());
        }
    }

    /// A step that failed: its error as the detail, and what follows from it.
    pub(super) fn fail(
        &mut self,
        area: &'static str,
        check: &str,
        status: Status,
        e: &Error,
        advice: impl Into<String>,
    ) {
        self.add(area, check, status, e.to_string());
        self.advise(advice);
    }

    /// A step with nothing to tell but that it was answered: `answered`, or [`Report::fail`]
    /// with a warning.
    pub(super) fn answered<T>(
        &mut self,
        area: &'static str,
        check: &str,
        r: Result<T, Error>,
        advice: &str,
    ) {
        match r {
            Ok(_) => self.add(area, check, Status::Ok, "answered"),
            Err(e) => self.fail(area, check, Status::Warning, &e, advice),
        }
    }
}

/// A client for the camera with these settings changed.
pub(super) async fn client(
    t: &Target,
    g: &Global,
    recorder: &Option<Recorder>,
    creds: bool,
    auth: AuthScheme,
) -> Result<Camera, Error> {
    let config = Config {
        auth,
        recorder: recorder.clone(),
        ..client_config(t, g)
    };
    Camera::connect(&t.host, t.creds.clone().filter(|_| creds), config).await
}
