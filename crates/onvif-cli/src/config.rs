//! The config file: named cameras.
//!
//! ```toml
//! default = "garden"          # used when no --host/--camera/ONVIF_HOST is given
//!
//! [cameras.garden]
//! host = "192.0.2.20:2020"
//! user = "admin"
//! password = "secret"         # the file must then not be readable by others
//! insecure = false
//!
//! [cameras.garden.bridge]      # how `onvif bridge` follows it (see onvif_bridge::config)
//! events = "auto"
//!
//! [mqtt]                       # the broker of `onvif bridge`
//! url = "mqtt://127.0.0.1:1883"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default: Option<String>,
    #[serde(default)]
    pub cameras: BTreeMap<String, CameraEntry>,
    /// The broker of `onvif bridge`.
    pub mqtt: Option<onvif_bridge::MqttSettings>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameraEntry {
    pub host: String,
    pub user: Option<String>,
    pub password: Option<String>,
    #[serde(default)]
    pub insecure: bool,
    #[serde(default)]
    pub allow_basic: bool,
    #[serde(default)]
    pub keep_camera_host: bool,
    /// How requests prove the credentials: `any` (WS-UsernameToken, and HTTP Digest when
    /// asked), `ws-username-token` or `http` (for cameras that refuse WS-Security).
    #[serde(default)]
    pub auth: onvif::AuthScheme,
    /// How `onvif bridge` follows this camera.
    pub bridge: Option<onvif_bridge::CameraOptions>,
}

/// `$XDG_CONFIG_HOME/onvif/config.toml`, else `~/.config/onvif/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("onvif").join("config.toml"));
    }
    std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| {
        PathBuf::from(h)
            .join(".config")
            .join("onvif")
            .join("config.toml")
    })
}

/// Load a config. A missing default file is an empty config; a missing explicit one is an
/// error. A file holding a password must not be readable by other users.
pub fn load(explicit: Option<&Path>) -> Result<ConfigFile, String> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_path() {
            Some(p) => (p, false),
            None => return Ok(ConfigFile::default()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(ConfigFile::default());
        }
        Err(e) => return Err(format!("cannot read config {}: {e}", path.display())),
    };
    // The TOML error's own text quotes the offending line, which may hold a password: report
    // its position and message only.
    let cfg: ConfigFile = toml::from_str(&text).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |sp| {
            let before = &text[..sp.start.min(text.len())];
            (
                before.matches('\n').count() + 1,
                before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            )
        });
        format!(
            "config {}: line {line}, column {col}: {}",
            path.display(),
            e.message()
        )
    })?;
    if cfg.cameras.values().any(|c| c.password.is_some())
        || cfg.mqtt.as_ref().is_some_and(|m| m.password.is_some())
    {
        check_permissions(&path)?;
    }
    Ok(cfg)
}

#[cfg(unix)]
fn check_permissions(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("cannot read config {}: {e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o004 != 0 {
        return Err(format!(
            "config {} holds passwords and is readable by every user; refusing to use it \
             (run: chmod 600 {})",
            path.display(),
            path.display()
        ));
    }
    if mode & 0o040 != 0 {
        tracing::warn!(
            "config {} holds passwords and is readable by its group (chmod 600 to fix)",
            path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path) -> Result<(), String> {
    Ok(())
}
