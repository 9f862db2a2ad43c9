//! `doctor`: the probes of [`crate::diagnosis`], reported; `--write-profile` stores what they
//! found in the camera's config entry.

use onvif::Recorder;

use crate::args::Global;
use crate::connection::Target;
use crate::diagnosis::{Check, Status, probe, profile, refused, unreachable};
use crate::failure::{Failure, exit};
use crate::output::{Out, clean};

/// `doctor`: every check, then the report; problems make the exit code 4 (3 when the camera
/// refused the credentials, 5 when it could not be reached).
pub async fn run(
    t: &Target,
    g: &Global,
    recorder: Option<Recorder>,
    write_profile: bool,
    how: crate::diagnosis::Probe,
    out: &Out,
) -> Result<(), Failure> {
    let (mut checks, _) = probe(t, g, recorder, how).await;
    if write_profile {
        checks.push(store_profile(t, g, &checks)?);
    }
    finish(checks, out)
}

/// `--write-profile`: the settings found, in the camera's config entry; a line of the report
/// says what was written.
fn store_profile(t: &Target, g: &Global, checks: &[Check]) -> Result<Check, Failure> {
    let Some(name) = &t.entry else {
        return Err(Failure::usage(
            "--write-profile stores what it finds in a camera's config entry: name one with \
             --camera NAME (or set a default camera)",
        ));
    };
    let settings = profile(checks);
    let mut path = None;
    for (key, value) in &settings {
        path = Some(
            crate::config::set_camera_key(g.config.as_deref(), name, key, value)
                .map_err(Failure::usage)?,
        );
    }
    let detail = match path {
        None => format!("nothing to store for [cameras.{name}]: it needs no settings of its own"),
        Some(p) => format!(
            "stored in {} [cameras.{name}]: {}",
            p.display(),
            settings
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Ok(Check {
        area: "profile",
        check: "written".into(),
        status: Status::Ok,
        detail,
        advice: None,
        settings: settings.clone(),
    })
}

fn finish(checks: Vec<Check>, out: &Out) -> Result<(), Failure> {
    let problems = checks
        .iter()
        .filter(|c| c.status == Status::Problem)
        .count();
    let warnings = checks
        .iter()
        .filter(|c| c.status == Status::Warning)
        .count();
    out.answer(&checks, |checks| {
        let mut s = String::new();
        for c in checks {
            let status = match c.status {
                Status::Ok => "ok",
                Status::Warning => "warning",
                Status::Problem => "PROBLEM",
                Status::Skipped => "skipped",
            };
            // One line a check: what the camera said (its maker, a token, a time zone) is
            // shown escaped, a line break included.
            s.push_str(&format!(
                "{status:<8} {:<11} {}: {}\n",
                c.area,
                clean(&c.check),
                clean(&c.detail)
            ));
            if let Some(a) = &c.advice {
                s.push_str(&format!("{:21}-> {}\n", "", clean(a)));
            }
        }
        s.push_str(&format!(
            "{problems} problem{}, {warnings} warning{}\n",
            plural(problems),
            plural(warnings)
        ));
        s
    })?;
    if refused(&checks) {
        return Err(Failure {
            code: exit::AUTH,
            message: "the camera refused the credentials".into(),
        });
    }
    if unreachable(&checks) {
        return Err(Failure {
            code: exit::NETWORK,
            message: "the camera could not be reached".into(),
        });
    }
    if problems > 0 {
        return Err(Failure {
            code: exit::DEVICE,
            message: format!("{problems} problem{} found", plural(problems)),
        });
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
