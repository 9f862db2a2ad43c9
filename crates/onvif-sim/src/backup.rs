//! The configuration backup the simulated camera serves at [`PATH`] (GetSystemUris names it)
//! and takes back through StartSystemRestore: its own settings as lines of `key value`,
//! after a first line naming the format. Accounts are left out (a backup file is a secret
//! a camera should not need to be).

use onvif_proto::ops::device::{DiscoveryMode, NetworkHost, Scope};

use crate::state::Camera;

/// Where the backup is served.
pub(crate) const PATH: &str = "/onvif/backup";

/// The first line of a backup.
const MAGIC: &str = "ONVIF-SIM-BACKUP 1";

/// The longest line a backup may have.
const MAX_LINE: usize = 1024;

/// The settings a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Backup {
    hostname: String,
    time_zone: String,
    discovery_mode: DiscoveryMode,
    /// The configurable scopes.
    scopes: Vec<String>,
    search_domains: Vec<String>,
    dns: Vec<NetworkHost>,
    ntp: Vec<NetworkHost>,
}

impl Backup {
    /// The camera's settings now.
    pub(crate) fn of(cam: &Camera) -> Backup {
        Backup {
            hostname: cam.hostname.clone(),
            time_zone: cam.time_zone.clone(),
            discovery_mode: cam.net.discovery_mode,
            scopes: cam
                .scopes
                .iter()
                .filter(|s| s.definition == "Configurable")
                .map(|s| s.item.clone())
                .collect(),
            search_domains: cam.net.search_domains.clone(),
            dns: cam.net.dns_manual.clone(),
            ntp: cam.net.ntp_manual.clone(),
        }
    }

    /// The backup file.
    pub(crate) fn write(&self) -> String {
        let mut out = format!("{MAGIC}\n");
        let mut line = |k: &str, v: &str| out.push_str(&format!("{k} {v}\n"));
        line("hostname", &self.hostname);
        line("time-zone", &self.time_zone);
        line("discovery-mode", self.discovery_mode.as_str());
        for s in &self.scopes {
            line("scope", s);
        }
        for d in &self.search_domains {
            line("search-domain", d);
        }
        for h in &self.dns {
            line("dns", &format!("{} {}", h.kind, h.address));
        }
        for h in &self.ntp {
            line("ntp", &format!("{} {}", h.kind, h.address));
        }
        out
    }

    /// A backup file read back, or why the camera does not take it.
    pub(crate) fn read(bytes: &[u8]) -> Result<Backup, String> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| "not a configuration backup of this camera (not text)".to_owned())?;
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err(format!(
                "not a configuration backup of this camera (its first line is not {MAGIC:?})"
            ));
        }
        let mut b = Backup {
            hostname: String::new(),
            time_zone: String::new(),
            discovery_mode: DiscoveryMode::Discoverable,
            scopes: Vec::new(),
            search_domains: Vec::new(),
            dns: Vec::new(),
            ntp: Vec::new(),
        };
        for (n, l) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
            let at = n + 2;
            if l.len() > MAX_LINE || l.chars().any(char::is_control) {
                return Err(format!(
                    "line {at}: over {MAX_LINE} bytes or control characters"
                ));
            }
            let (k, v) = l.split_once(' ').unwrap_or((l, ""));
            let host = || {
                v.split_once(' ')
                    .map(|(kind, address)| NetworkHost {
                        kind: kind.into(),
                        address: address.into(),
                    })
                    .ok_or_else(|| format!("line {at}: {k} wants a type and an address"))
            };
            match k {
                "hostname" => b.hostname = v.into(),
                "time-zone" => b.time_zone = v.into(),
                "discovery-mode" => {
                    b.discovery_mode = DiscoveryMode::parse(v)
                        .ok_or_else(|| format!("line {at}: no discovery mode {v:?}"))?;
                }
                "scope" => b.scopes.push(v.into()),
                "search-domain" => b.search_domains.push(v.into()),
                "dns" => b.dns.push(host()?),
                "ntp" => b.ntp.push(host()?),
                _ => return Err(format!("line {at}: unknown setting {k:?}")),
            }
        }
        if b.hostname.is_empty() || b.time_zone.is_empty() {
            return Err("the backup names no host name or time zone".into());
        }
        Ok(b)
    }

    /// Put these settings on the camera (its fixed scopes stay).
    pub(crate) fn restore(self, cam: &mut Camera) {
        cam.hostname = self.hostname;
        cam.time_zone = self.time_zone;
        cam.net.discovery_mode = self.discovery_mode;
        cam.scopes.retain(|s| s.definition != "Configurable");
        cam.scopes.extend(self.scopes.into_iter().map(|item| Scope {
            definition: "Configurable".into(),
            item,
        }));
        cam.net.search_domains = self.search_domains;
        cam.net.dns_manual = self.dns;
        cam.net.ntp_manual = self.ntp;
        cam.logs.system("configuration restored from a backup");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Backup {
        Backup {
            hostname: "porch".into(),
            time_zone: "CET-1CEST,M3.5.0,M10.5.0/3".into(),
            discovery_mode: DiscoveryMode::NonDiscoverable,
            scopes: vec!["onvif://www.onvif.org/name/Porch%20Cam".into()],
            search_domains: vec!["lan".into()],
            dns: vec![NetworkHost {
                kind: "IPv4".into(),
                address: "192.0.2.53".into(),
            }],
            ntp: vec![NetworkHost {
                kind: "DNS".into(),
                address: "pool.ntp.example".into(),
            }],
        }
    }

    #[test]
    fn a_backup_reads_back_as_written() {
        let b = sample();
        assert_eq!(Backup::read(b.write().as_bytes()), Ok(b));
    }

    #[test]
    fn what_is_not_a_backup_says_why() {
        for (bad, why) in [
            (&b"\x7fELF"[..], "first line"),
            (
                b"ONVIF-SIM-BACKUP 1\nhostname a\n",
                "no host name or time zone",
            ),
            (
                b"ONVIF-SIM-BACKUP 1\nhostname a\ntime-zone UTC0\ncolour red\n",
                "line 4",
            ),
            (
                b"ONVIF-SIM-BACKUP 1\nhostname a\ntime-zone UTC0\ndns 1.2.3.4\n",
                "type and an address",
            ),
            (b"\xff\xfe", "not text"),
        ] {
            let e = Backup::read(bad).expect_err("not a backup");
            assert!(e.contains(why), "{e}");
        }
    }
}
