//! On-screen displays: list, options, create, change, delete. Through Media2 where the camera
//! has it; through Media1 on cameras without Media2, and on those whose Media2 answers the OSD
//! operations `ter:ActionNotSupported` (OSDs that predate their Media2; docs/QUIRKS.md).

use onvif_proto::ops::media::osd::{OsdConfiguration, OsdOptions};
use onvif_proto::ops::{media, media2};

use crate::camera::Camera;
use crate::error::Error;

impl Camera {
    /// Every OSD, or those of one video source configuration (GetOSDs).
    pub async fn osds(&self, configuration: Option<&str>) -> Result<Vec<OsdConfiguration>, Error> {
        let configuration_token = configuration.map(str::to_owned);
        self.media_call(
            media2::GetOsds {
                osd_token: None,
                configuration_token: configuration_token.clone(),
            },
            |r| r.osds,
            media::GetOsds {
                configuration_token,
            },
            |r| r.osds,
        )
        .await
    }

    /// One OSD, by token (Media2 GetOSDs with `OSDToken`; Media1's GetOSDs, then the one).
    pub async fn osd(&self, token: &str) -> Result<OsdConfiguration, Error> {
        self.media_call(
            media2::GetOsds {
                osd_token: Some(token.to_owned()),
                configuration_token: None,
            },
            |r| r.osds,
            media::GetOsds::default(),
            |r| r.osds,
        )
        .await?
        .into_iter()
        .find(|o| o.token == token)
        .ok_or_else(|| Error::Protocol {
            url: self.device_url().to_string(),
            source: onvif_proto::Error::missing(format!("OSD {token:?} in GetOSDs' answer")),
        })
    }

    /// What OSDs a video source configuration accepts (GetOSDOptions).
    pub async fn osd_options(&self, configuration: &str) -> Result<OsdOptions, Error> {
        let configuration_token = configuration.to_owned();
        self.media_call(
            media2::GetOsdOptions {
                configuration_token: configuration_token.clone(),
            },
            |r| r.options,
            media::GetOsdOptions {
                configuration_token,
            },
            |r| r.options,
        )
        .await
    }

    /// Add an OSD (its token is ignored); the camera's token for it (CreateOSD).
    pub async fn create_osd(&self, osd: OsdConfiguration) -> Result<String, Error> {
        self.media_call(
            media2::CreateOsd { osd: osd.clone() },
            |r| r.token,
            media::CreateOsd { osd },
            |r| r.token,
        )
        .await
    }

    /// Change the OSD `osd.token` names (SetOSD).
    pub async fn set_osd(&self, osd: OsdConfiguration) -> Result<(), Error> {
        self.media_call(
            media2::SetOsd { osd: osd.clone() },
            |_| (),
            media::SetOsd { osd },
            |_| (),
        )
        .await
    }

    /// Remove an OSD (DeleteOSD).
    pub async fn delete_osd(&self, token: &str) -> Result<(), Error> {
        self.media_call(
            media2::DeleteOsd {
                osd_token: token.to_owned(),
            },
            |_| (),
            media::DeleteOsd {
                osd_token: token.to_owned(),
            },
            |_| (),
        )
        .await
    }

    /// The token of a video source configuration: the one given, or the first profile's.
    pub async fn video_source_configuration_token(
        &self,
        token: Option<&str>,
    ) -> Result<String, Error> {
        if let Some(t) = token {
            return Ok(t.to_owned());
        }
        self.profiles()
            .await?
            .into_iter()
            .find_map(|p| p.video_source.map(|v| v.token))
            .ok_or_else(|| Error::Protocol {
                url: self.device_url().to_string(),
                source: onvif_proto::Error::missing(
                    "a video source configuration (no profile has one)",
                ),
            })
    }
}
