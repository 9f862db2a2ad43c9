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
//! ui_password = "long secret" # `onvif ui --bind` beyond loopback: the login (else a token)
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
    /// The login of `onvif ui` when it serves beyond loopback (else a random token).
    pub ui_password: Option<String>,
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
    /// The SHA-256 of the camera's certificate, pinned (`onvif trust` writes it).
    pub cert_sha256: Option<String>,
    /// It ignores relative termination times (`doctor --write-profile` writes it).
    #[serde(default)]
    pub events_absolute_times: bool,
    /// Its Unsubscribe fails or cancels too much: subscriptions are left to expire.
    #[serde(default)]
    pub events_no_unsubscribe: bool,
    /// It cuts long polls: PullMessages asks at most this long (`8s`).
    pub events_max_pull: Option<String>,
    /// How `onvif bridge` follows this camera.
    pub bridge: Option<onvif_bridge::CameraOptions>,
}

impl CameraEntry {
    /// What the entry says the camera needs beyond the standard; a bad value names its key.
    pub fn quirks(&self) -> Result<onvif::CameraQuirks, String> {
        let max_pull = match &self.events_max_pull {
            None => None,
            Some(s) => match onvif::proto::time::parse_short_duration(s) {
                Ok((false, d)) if d >= std::time::Duration::from_secs(1) => Some(d),
                _ => {
                    return Err(format!(
                        "events_max_pull {s:?}: expected a duration of 1 s or more, e.g. \"8s\""
                    ));
                }
            },
        };
        Ok(onvif::CameraQuirks {
            absolute_times: self.events_absolute_times,
            no_unsubscribe: self.events_no_unsubscribe,
            max_pull,
        })
    }
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

/// Read a config's text. A TOML error's own text quotes the offending line, which may hold
/// a password: only its position and message are given, and on a line that sets a password
/// the message loses the value it quotes too (`invalid type: integer \`123456\``).
fn parse(text: &str) -> Result<ConfigFile, String> {
    toml::from_str(text).map_err(|e| {
        let (line, col, secret) = e.span().map_or((0, 0, false), |sp| {
            let before = &text[..sp.start.min(text.len())];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let whole = text[line_start..].split('\n').next().unwrap_or_default();
            (
                before.matches('\n').count() + 1,
                before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                // Any line that names a password (an inline table's too) may hold one.
                whole.to_ascii_lowercase().contains("password"),
            )
        });
        let message = if secret {
            hide_quoted(e.message())
        } else {
            e.message().to_owned()
        };
        format!("line {line}, column {col}: {message}")
    })
}

/// Every `` `...` `` and `"..."` in a message replaced by `[hidden]`.
fn hide_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    for c in message.chars() {
        match open {
            Some(q) if c == q => {
                out.push_str("[hidden]");
                open = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => open = Some(c),
            None => out.push(c),
        }
    }
    out
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
    let cfg = parse(&text).map_err(|e| format!("config {}: {e}", path.display()))?;
    if cfg.cameras.values().any(|c| c.password.is_some())
        || cfg.mqtt.as_ref().is_some_and(|m| m.password.is_some())
        || cfg.ui_password.is_some()
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

/// Set `key = VALUE` (`value` written as given: a TOML literal such as `true` or `"text"`)
/// in camera `name`'s table of the config file, keeping everything else
/// of the file as it is (comments too): the line replaces the key's own line, or goes right
/// under the table's header. The result must still be a valid config, else nothing is
/// written. Returns the file's path.
pub fn set_camera_key(
    explicit: Option<&Path>,
    name: &str,
    key: &str,
    value: &str,
) -> Result<PathBuf, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => default_path().ok_or("no config file (HOME is not set)")?,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read config {}: {e}", path.display()))?;
    let edited = with_camera_key(&text, name, key, value)
        .ok_or_else(|| format!("config {}: no [cameras.{name}] table", path.display()))?;
    parse(&edited)
        .map_err(|e| format!("config {}: the edit would not read: {e}", path.display()))?;
    replace_file(&path, edited.as_bytes())?;
    Ok(path)
}

/// `text` with `key = "value"` set in `[cameras.NAME]`; `None` when it has no such table.
fn with_camera_key(text: &str, name: &str, key: &str, value: &str) -> Option<String> {
    let headers = [
        format!("[cameras.{name}]"),
        format!("[cameras.\"{name}\"]"),
        format!("[cameras.'{name}']"),
    ];
    let line = format!("{key} = {value}");
    let lines: Vec<&str> = text.lines().collect();
    // A header may carry a comment (`[cameras.garden] # porch`) and spaces inside its
    // brackets (`[ cameras.garden ]`).
    let bare = |l: &str| -> String {
        let l = l.trim();
        // The header ends at the first `]` outside quotes; a comment may follow.
        let mut quote = None;
        let end = l.char_indices().find_map(|(i, c)| {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, ']') => return Some(i),
                _ => {}
            }
            None
        });
        let l = end.map_or(l, |i| &l[..=i]);
        match l.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(inner) => format!("[{}]", inner.trim()),
            None => l.to_owned(),
        }
    };
    let start = lines
        .iter()
        .position(|l| headers.iter().any(|h| bare(l) == *h))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |i| start + 1 + i);
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let existing = (start + 1..end).find(|&i| {
        let t = lines[i].trim_start();
        t.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    match existing {
        Some(i) => out[i] = line,
        None => out.insert(start + 1, line),
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    Some(s)
}

/// Append a `[cameras.NAME]` table (host, and user and password when given) to the config
/// file, creating it (mode 600) when missing; the file's other lines are kept as they are.
/// Refused when a camera of that name is there already. Returns the file's path.
pub fn add_camera(
    explicit: Option<&Path>,
    name: &str,
    host: &str,
    creds: Option<(&str, &str)>,
) -> Result<PathBuf, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => default_path().ok_or("no config file (HOME is not set)")?,
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read config {}: {e}", path.display())),
    };
    let before = parse(&text).map_err(|e| format!("config {}: {e}", path.display()))?;
    if before.cameras.contains_key(name) {
        return Err(format!(
            "config {} has a camera named {name} already",
            path.display()
        ));
    }
    let mut table = format!(
        "[cameras.{}]\nhost = {}\n",
        toml_string(name),
        toml_string(host)
    );
    if let Some((u, p)) = creds {
        table.push_str(&format!(
            "user = {}\npassword = {}\n",
            toml_string(u),
            toml_string(p)
        ));
    }
    let mut edited = text.clone();
    if !edited.is_empty() && !edited.ends_with('\n') {
        edited.push('\n');
    }
    if !edited.is_empty() {
        edited.push('\n');
    }
    edited.push_str(&table);
    let after = parse(&edited)
        .map_err(|e| format!("config {}: the edit would not read: {e}", path.display()))?;
    if !after.cameras.contains_key(name) {
        return Err(format!(
            "config {}: the edit would not read",
            path.display()
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    replace_file(&path, edited.as_bytes())?;
    Ok(path)
}

/// Replace the config file at `path` with `bytes`, through a new file renamed over it. The new
/// file is created with its final mode (the old file's, never readable by others; 600 for a
/// new one), so the passwords in it are never readable by others, not even for a moment nor
/// when something fails half way.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    // A config that is a link (into a dotfiles folder, say) stays one: the file it names is
    // replaced.
    let resolved = std::fs::canonicalize(path).ok().or_else(|| {
        // A link to a file not made yet: that file, beside the link if the link is relative.
        let target = std::fs::read_link(path).ok()?;
        Some(match path.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        })
    });
    let path = resolved.as_deref().unwrap_or(path);
    let tmp = path.with_extension("toml.tmp");
    // A leftover of an earlier failure, whatever its mode: gone, so the new one is made anew.
    let _ = std::fs::remove_file(&tmp);
    let written = create_private(&tmp, mode_after(path)).and_then(|mut f| {
        use std::io::Write;
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", tmp.display()));
    }
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

/// The mode a file replacing `old` gets: the old one's, never readable by others; 600 for a
/// new file.
#[cfg(unix)]
fn mode_after(old: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(old).map_or(0o600, |m| m.permissions().mode() & 0o7770)
}

#[cfg(not(unix))]
fn mode_after(_old: &Path) -> u32 {
    0o600
}

/// Create a new file (not one already there, nor through a link) with `mode` from the start
/// (the umask may take bits away at creation; they are given back on the open file).
pub fn create_private(path: &Path, mode: u32) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        o.mode(mode);
        let f = o.open(path)?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        Ok(f)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        o.open(path)
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if c.is_control() => o.push_str(&format!("\\u{:04X}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod edit_tests {
    use super::with_camera_key;

    #[test]
    fn a_key_is_set_in_its_camera_s_table_only() {
        let text = "# mine\n[cameras.a]\nhost = \"x\"\n\n[cameras.b]\nhost = \"y\" # b\n";
        let once = with_camera_key(text, "b", "cert_sha256", "\"ab\"").unwrap_or_default();
        assert_eq!(
            once,
            "# mine\n[cameras.a]\nhost = \"x\"\n\n[cameras.b]\ncert_sha256 = \"ab\"\nhost = \"y\" # b\n"
        );
        let twice = with_camera_key(&once, "b", "cert_sha256", "\"cd\"").unwrap_or_default();
        assert!(twice.contains("cert_sha256 = \"cd\"") && !twice.contains("\"ab\""));
        assert!(with_camera_key(text, "c", "k", "v").is_none());
        // A header with a comment, or spaces in its brackets, is still found; a `#` inside a
        // quoted name is part of the name.
        for header in [
            "[cameras.b] # porch",
            "[ cameras.b ]",
            "  [cameras.\"b\"]  #x",
        ] {
            let text = format!("{header}\nhost = \"y\"\n");
            let edited = with_camera_key(&text, "b", "k", "1").unwrap_or_default();
            assert!(edited.contains("\nk = 1\nhost"), "{header}: {edited}");
        }
        let text = "[cameras.\"cam#1\"]\nhost = \"y\"\n";
        assert!(with_camera_key(text, "cam#1", "k", "1").is_some());
        let text = "[cameras.b] # see [docs]\nhost = \"y\"\n";
        assert!(with_camera_key(text, "b", "k", "1").is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_config_stays_a_link() {
        let dir = std::env::temp_dir().join(format!("onvif-config-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let real = dir.join("real.toml");
        let link = dir.join("config.toml");
        std::fs::write(&real, "a = 1\n").unwrap_or_default();
        std::os::unix::fs::symlink(&real, &link).unwrap_or_default();
        super::replace_file(&link, b"a = 2\n").unwrap_or_default();
        assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
        assert_eq!(
            std::fs::read_to_string(&real).unwrap_or_default(),
            "a = 2\n"
        );
        // A link to a file not made yet is kept too, and the file made where it points.
        let later = dir.join("later.toml");
        let link2 = dir.join("config2.toml");
        std::os::unix::fs::symlink("later.toml", &link2).unwrap_or_default();
        super::replace_file(&link2, b"b = 1\n").unwrap_or_default();
        assert!(std::fs::symlink_metadata(&link2).is_ok_and(|m| m.file_type().is_symlink()));
        assert_eq!(
            std::fs::read_to_string(&later).unwrap_or_default(),
            "b = 1\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn strings_are_written_as_toml_reads_them() {
        for s in ["plain", "q\"uote", "back\\slash", "tab\tnew\nline", "ünï"] {
            let doc = format!("v = {}", super::toml_string(s));
            let v: std::collections::BTreeMap<String, String> =
                toml::from_str(&doc).unwrap_or_default();
            assert_eq!(v.get("v").map(String::as_str), Some(s), "{doc}");
        }
    }
}

#[cfg(all(test, unix))]
mod file_tests {
    use std::os::unix::fs::PermissionsExt;

    use super::replace_file;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).map_or(0, |m| m.permissions().mode() & 0o777)
    }

    #[test]
    fn a_replaced_config_is_never_readable_by_others() {
        let dir = std::env::temp_dir().join(format!("onvif-config-mode-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let path = dir.join("config.toml");
        // A leftover of an earlier failure, readable by all: not reused.
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, "old").unwrap_or_default();
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644)).unwrap_or_default();
        assert_eq!(replace_file(&path, b"password = \"x\"\n"), Ok(()));
        assert_eq!(mode(&path), 0o600);
        assert!(!tmp.exists());
        // An old file's group bits are kept, never others'.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap_or_default();
        assert_eq!(replace_file(&path, b"y = 1\n"), Ok(()));
        assert_eq!(mode(&path), 0o660);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            "y = 1\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_password_is_not_repeated_in_the_error() {
        for line in [
            "password = 123456",
            "ui_password = 123456",
            "\"password\" = 123456",
            "'Password' = 123456",
        ] {
            let text = format!("[cameras.a]\nhost = \"h\"\n{line}\n");
            let text = if line.starts_with("ui_") {
                format!("{line}\n")
            } else {
                text
            };
            let Err(e) = parse(&text) else {
                panic!("{line}: read")
            };
            assert!(!e.contains("123456"), "{line}: {e}");
            assert!(e.starts_with("line "), "{line}: {e}");
        }
        // In an inline table too.
        let Err(e) = parse("[cameras]\ng = { host = \"h\", password = 123456 }\n") else {
            panic!("read")
        };
        assert!(!e.contains("123456"), "{e}");
        // Other keys keep what the message quotes: it names the mistake.
        let Err(e) = parse("[cameras.a]\nhost = 5\n") else {
            panic!("read")
        };
        assert!(e.contains("line 2") && e.contains('5'), "{e}");
    }
}
