//! Choosing a camera and connecting to it: host and credentials from the flags, a config
//! entry (`--camera`) or the environment, and the client's settings from the connection
//! options. Shared by the one-shot commands, the shell and `demo`.

use std::sync::Arc;

use onvif::{Camera, Config, Credentials};

use crate::args::Global;
use crate::config;
use crate::failure::Failure;
use crate::output;

/// Host, credentials and options after flags, `--camera`, and the environment.
#[derive(Debug, Clone)]
pub struct Target {
    pub host: String,
    pub creds: Option<Credentials>,
    pub insecure: bool,
    pub allow_basic: bool,
    pub keep_camera_host: bool,
    pub auth: onvif::AuthScheme,
    pub cert_sha256: Option<String>,
    /// What the config says this camera needs beyond the standard.
    pub quirks: onvif::CameraQuirks,
    /// The config entry it came from.
    pub entry: Option<String>,
}

/// Flags win over a `--camera` entry, which wins over ONVIF_HOST/USER/PASSWORD; the config's
/// `default` camera is used when nothing names a host.
pub fn resolve_target(g: &Global) -> Result<Target, Failure> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let cfg = config::load(g.config.as_deref()).map_err(Failure::usage)?;
    let entry_name = g.camera.clone().or_else(|| {
        (g.host.is_none() && env("ONVIF_HOST").is_none())
            .then(|| cfg.default.clone())
            .flatten()
    });
    let entry = match &entry_name {
        Some(name) => Some(cfg.cameras.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = cfg.cameras.keys().map(String::as_str).collect();
            Failure::usage(format!(
                "no camera named {name:?} in the config{}",
                if known.is_empty() {
                    String::new()
                } else {
                    format!(" (known: {})", known.join(", "))
                }
            ))
        })?),
        None => None,
    };
    let host = g
        .host
        .clone()
        .or_else(|| entry.as_ref().map(|e| e.host.clone()))
        .or_else(|| env("ONVIF_HOST"))
        .ok_or_else(|| {
            Failure::usage(
                "no camera given: use -H HOST, --camera NAME, or set ONVIF_HOST \
                 (try `onvif demo` for a simulated camera)",
            )
        })?;
    let user = g
        .user
        .clone()
        .or_else(|| entry.as_ref().and_then(|e| e.user.clone()))
        .or_else(|| env("ONVIF_USER"));
    let password = g
        .password
        .clone()
        .or_else(|| entry.as_ref().and_then(|e| e.password.clone()))
        .or_else(|| env("ONVIF_PASSWORD"));
    let creds = match (user, password) {
        (Some(u), Some(p)) => Some(Credentials::new(u, p)),
        (Some(_), None) => {
            return Err(Failure::usage(
                "a user name was given without a password (-p/--password, ONVIF_PASSWORD, or \
                 the config; -p '' for an empty one)",
            ));
        }
        (None, Some(_)) => {
            return Err(Failure::usage(
                "a password was given without a user name (-u/--user or ONVIF_USER)",
            ));
        }
        (None, None) => None,
    };
    let e = entry.unwrap_or_default();
    Ok(Target {
        host,
        creds,
        insecure: g.insecure || e.insecure,
        allow_basic: g.allow_basic || e.allow_basic,
        keep_camera_host: g.keep_camera_host || e.keep_camera_host,
        auth: g.auth.map_or(e.auth, Into::into),
        quirks: e.quirks().map_err(Failure::usage)?,
        cert_sha256: g.cert_sha256.clone().or(e.cert_sha256),
        entry: entry_name,
    })
}

pub fn client_config(t: &Target, g: &Global) -> Config {
    let mut c = Config {
        danger_accept_invalid_certs: t.insecure,
        allow_basic_over_http: t.allow_basic,
        keep_camera_host: t.keep_camera_host,
        auth: t.auth,
        cert_sha256: t.cert_sha256.clone(),
        quirks: t.quirks,
        ..Config::default()
    };
    if let Some(d) = g.connect_timeout {
        c.connect_timeout = d.abs;
    }
    if let Some(d) = g.timeout {
        c.request_timeout = d.abs;
    }
    if let Some(n) = g.max_response {
        c.max_response_bytes = n;
    }
    if g.trace {
        c.trace = Some(Arc::new(|t: &str| {
            eprintln!("{}\n", output::safe_block(t));
        }));
    }
    c
}

pub async fn connect(t: &Target, g: &Global) -> Result<Camera, Failure> {
    Ok(Camera::connect(&t.host, t.creds.clone(), client_config(t, g)).await?)
}

/// [`connect`], every exchange given to `recorder` too.
pub async fn connect_recorded(
    t: &Target,
    g: &Global,
    recorder: Option<onvif::Recorder>,
) -> Result<Camera, Failure> {
    let config = Config {
        recorder,
        ..client_config(t, g)
    };
    Ok(Camera::connect(&t.host, t.creds.clone(), config).await?)
}
