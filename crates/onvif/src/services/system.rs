//! Device management, the uploads: a firmware image (StartFirmwareUpgrade) or a configuration
//! backup to restore (StartSystemRestore), each POSTed to the address the camera answers; and
//! the backup itself, downloaded from the address GetSystemUris names.

use std::time::Duration;

use bytes::Bytes;
use onvif_proto::ops::device;
use url::Url;

use crate::address::redact_userinfo;
use crate::camera::Camera;
use crate::error::Error;

/// The longest [`device::FirmwareUpload::upload_delay`] [`Camera::upgrade_firmware`] waits;
/// a camera asking for more is taken at this.
pub const MAX_UPLOAD_DELAY: Duration = Duration::from_secs(300);

/// What the camera said to an upload it accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Uploaded {
    /// The address the image went to (user-info never shown).
    pub url: String,
    /// The bytes sent.
    pub bytes: usize,
    /// The HTTP status of the answer (a 2xx).
    pub status: u16,
}

impl Camera {
    /// Ask where to upload a firmware image (StartFirmwareUpgrade).
    pub async fn start_firmware_upgrade(&self) -> Result<device::FirmwareUpload, Error> {
        self.call(&device::StartFirmwareUpgrade).await
    }

    /// Ask where to upload a configuration backup to restore (StartSystemRestore).
    pub async fn start_system_restore(&self) -> Result<device::RestoreUpload, Error> {
        self.call(&device::StartSystemRestore).await
    }

    /// Start a firmware upgrade and upload `image`: StartFirmwareUpgrade, the delay the
    /// camera asks for (at most [`MAX_UPLOAD_DELAY`]), then [`Camera::upload`]. Returns what
    /// StartFirmwareUpgrade answered (its `expected_down_time` says how long the camera
    /// expects to be away) and the upload's outcome. The camera installs the image and
    /// restarts after answering, so whether it took it is best judged by the firmware
    /// version it reports once back.
    pub async fn upgrade_firmware(
        &self,
        image: Bytes,
        timeout: Duration,
    ) -> Result<(device::FirmwareUpload, Uploaded), Error> {
        let start = self.start_firmware_upgrade().await?;
        if let Some(delay) = start.upload_delay {
            tokio::time::sleep(delay.min(MAX_UPLOAD_DELAY)).await;
        }
        let uploaded = self.upload(&start.upload_uri, image, timeout).await?;
        Ok((start, uploaded))
    }

    /// POST `body` (`application/octet-stream`) to an upload address the camera answered,
    /// repaired like its service addresses (a relative one is taken from the device
    /// service's), with HTTP Digest or Basic as the camera asks, within `timeout` for the
    /// whole exchange (cameras often answer only once the image is written). A 2xx is
    /// success; `415 Unsupported Media Type` (an image or backup the camera does not take),
    /// any other status, or no answer is an error.
    pub async fn upload(
        &self,
        upload_uri: &str,
        body: Bytes,
        timeout: Duration,
    ) -> Result<Uploaded, Error> {
        let url = self.reported_url(upload_uri, "upload URI")?;
        let bytes = body.len();
        let shown = redact_userinfo(url.as_str());
        let resp = self
            .http()
            .upload(&url, body, self.credentials(), Some(timeout))
            .await?;
        let status = resp.status.as_u16();
        if resp.status.is_success() {
            return Ok(Uploaded {
                url: shown,
                bytes,
                status,
            });
        }
        let said = String::from_utf8_lossy(&resp.body);
        let said = said.trim();
        let said = if said.is_empty() {
            String::new()
        } else {
            format!(" (it said: {})", said.chars().take(200).collect::<String>())
        };
        Err(match status {
            401 => Error::Auth {
                url: shown,
                detail: format!(
                    "HTTP 401: the upload address refused {}",
                    if self.credentials().is_some() {
                        "the credentials"
                    } else {
                        "a request without credentials"
                    }
                ),
                clock_may_help: false,
            },
            403 => Error::Auth {
                url: shown,
                detail: "HTTP 403: the account may not upload here (an Administrator may)".into(),
                clock_may_help: false,
            },
            415 => Error::Http {
                url: shown,
                status,
                detail: format!(
                    "the camera does not take this file (Unsupported Media Type){said}"
                ),
            },
            _ => Error::Http {
                url: shown,
                status,
                detail: format!("the upload was refused{said}"),
            },
        })
    }

    /// Start a restore and upload `backup`: StartSystemRestore, then [`Camera::upload`].
    /// Returns what StartSystemRestore answered (`expected_down_time`: how long the camera
    /// expects to be away, if it restarts to apply it) and the upload's outcome.
    pub async fn restore_system(
        &self,
        backup: Bytes,
        timeout: Duration,
    ) -> Result<(device::RestoreUpload, Uploaded), Error> {
        let start = self.start_system_restore().await?;
        let uploaded = self.upload(&start.upload_uri, backup, timeout).await?;
        Ok((start, uploaded))
    }

    /// Download the camera's configuration backup from the address GetSystemUris names
    /// (repaired like a service address), with HTTP Digest or Basic as the camera asks. A
    /// camera that names none has no backup over HTTP: an [`Error::Http`] 404 saying so. The
    /// answer is capped like any other ([`crate::Config::max_response_bytes`]).
    pub async fn download_backup(&self) -> Result<Vec<u8>, Error> {
        let uris = self.system_uris().await?;
        let Some(reported) = uris.system_backup.filter(|u| !u.trim().is_empty()) else {
            return Err(Error::Http {
                url: redact_userinfo(self.device_url().as_str()),
                status: 404,
                detail: "the camera names no backup address (GetSystemUris has no \
                         SystemBackupUri): it offers no configuration backup over HTTP"
                    .into(),
            });
        };
        let url = self.reported_url(&reported, "backup URI")?;
        let resp = self.http().get(&url, self.credentials()).await?;
        let shown = redact_userinfo(url.as_str());
        match resp.status.as_u16() {
            200..=299 => Ok(resp.body),
            401 => Err(Error::Auth {
                url: shown,
                detail: "HTTP 401: the backup address refused the credentials".into(),
                clock_may_help: false,
            }),
            403 => Err(Error::Auth {
                url: shown,
                detail: "HTTP 403: the account may not read the backup (an Administrator may)"
                    .into(),
                clock_may_help: false,
            }),
            status => Err(Error::Http {
                url: shown,
                status,
                detail: String::new(),
            }),
        }
    }

    /// An address the camera reported for `what`: repaired like its service addresses, or a
    /// relative one resolved against the device service's address.
    fn reported_url(&self, reported: &str, what: &str) -> Result<Url, Error> {
        let reported = reported.trim();
        let bad = |why: String| Error::Protocol {
            url: redact_userinfo(self.device_url().as_str()),
            source: onvif_proto::Error::invalid(what, redact_userinfo(reported), why),
        };
        if reported.is_empty() {
            return Err(bad("the camera gave no address".into()));
        }
        let url = match Url::parse(reported) {
            Ok(_) => Url::parse(&self.repair_uri(reported)).map_err(|e| bad(e.to_string()))?,
            Err(url::ParseError::RelativeUrlWithoutBase) => self
                .device_url()
                .join(reported)
                .map_err(|e| bad(e.to_string()))?,
            Err(e) => return Err(bad(e.to_string())),
        };
        match url.scheme() {
            "http" | "https" => Ok(url),
            other => Err(bad(format!("not an HTTP address (scheme {other:?})"))),
        }
    }
}
