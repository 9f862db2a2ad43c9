//! On-screen displays, through Media2: list, options, create, change, delete.

use onvif_proto::ops::media::osd::{OsdConfiguration, OsdOptions};
use onvif_proto::ops::media2;

use crate::camera::Camera;
use crate::error::Error;

impl Camera {
    /// Every OSD, or those of one video source configuration (Media2 GetOSDs).
    pub async fn osds(&self, configuration: Option<&str>) -> Result<Vec<OsdConfiguration>, Error> {
        Ok(self
            .call(&media2::GetOsds {
                osd_token: None,
                configuration_token: configuration.map(str::to_owned),
            })
            .await?
            .osds)
    }

    /// One OSD, by token (Media2 GetOSDs with `OSDToken`).
    pub async fn osd(&self, token: &str) -> Result<OsdConfiguration, Error> {
        self.call(&media2::GetOsds {
            osd_token: Some(token.to_owned()),
            configuration_token: None,
        })
        .await?
        .osds
        .into_iter()
        .find(|o| o.token == token)
        .ok_or_else(|| Error::Protocol {
            url: self.device_url().to_string(),
            source: onvif_proto::Error::missing(format!("OSD {token:?} in GetOSDs' answer")),
        })
    }

    /// What OSDs a video source configuration accepts (Media2 GetOSDOptions).
    pub async fn osd_options(&self, configuration: &str) -> Result<OsdOptions, Error> {
        Ok(self
            .call(&media2::GetOsdOptions {
                configuration_token: configuration.to_owned(),
            })
            .await?
            .options)
    }

    /// Add an OSD (its token is ignored); the camera's token for it (Media2 CreateOSD).
    pub async fn create_osd(&self, osd: OsdConfiguration) -> Result<String, Error> {
        Ok(self.call(&media2::CreateOsd { osd }).await?.token)
    }

    /// Change the OSD `osd.token` names (Media2 SetOSD).
    pub async fn set_osd(&self, osd: OsdConfiguration) -> Result<(), Error> {
        self.call(&media2::SetOsd { osd }).await?;
        Ok(())
    }

    /// Remove an OSD (Media2 DeleteOSD).
    pub async fn delete_osd(&self, token: &str) -> Result<(), Error> {
        self.call(&media2::DeleteOsd {
            osd_token: token.to_owned(),
        })
        .await?;
        Ok(())
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
