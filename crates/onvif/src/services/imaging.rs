//! Imaging: the settings of a video source (exposure, focus, white balance...), their
//! options, and focus moves.

use onvif_proto::ops::imaging::{
    self, FocusMove, FocusStatus, ImagingOptions, ImagingSettings, MoveOptions,
};

use crate::camera::Camera;
use crate::error::Error;

impl Camera {
    /// The video source the imaging operations act on: `token`, or the camera's first
    /// ([`Camera::video_source_token`]). A camera without an imaging service is
    /// [`Error::NoService`] here, before any media request.
    pub async fn imaging_source(&self, token: Option<&str>) -> Result<String, Error> {
        self.endpoint(onvif_proto::Service::Imaging).await?;
        self.video_source_token(token).await
    }

    /// The imaging settings of a video source (GetImagingSettings).
    pub async fn imaging_settings(&self, source: &str) -> Result<ImagingSettings, Error> {
        Ok(self
            .call(&imaging::GetImagingSettings {
                video_source_token: source.to_owned(),
            })
            .await?
            .settings)
    }

    /// Change the fields set in `settings`.
    pub async fn set_imaging_settings(
        &self,
        source: &str,
        settings: ImagingSettings,
    ) -> Result<(), Error> {
        self.call(&imaging::SetImagingSettings {
            video_source_token: source.to_owned(),
            settings,
            force_persistence: None,
        })
        .await?;
        Ok(())
    }

    /// What the imaging settings of a video source may be set to (GetOptions).
    pub async fn imaging_options(&self, source: &str) -> Result<ImagingOptions, Error> {
        Ok(self
            .call(&imaging::GetOptions {
                video_source_token: source.to_owned(),
            })
            .await?
            .options)
    }

    /// The focus moves a video source supports and their ranges (GetMoveOptions).
    pub async fn focus_move_options(&self, source: &str) -> Result<MoveOptions, Error> {
        Ok(self
            .call(&imaging::GetMoveOptions {
                video_source_token: source.to_owned(),
            })
            .await?
            .options)
    }

    /// Move the focus of a video source (imaging Move).
    pub async fn focus_move(&self, source: &str, focus: FocusMove) -> Result<(), Error> {
        self.call(&imaging::Move {
            video_source_token: source.to_owned(),
            focus,
        })
        .await?;
        Ok(())
    }

    /// Stop a focus move (imaging Stop).
    pub async fn focus_stop(&self, source: &str) -> Result<(), Error> {
        self.call(&imaging::Stop {
            video_source_token: source.to_owned(),
        })
        .await?;
        Ok(())
    }

    /// Where the focus is and whether it moves (imaging GetStatus); `None` when the camera
    /// does not report its focus.
    pub async fn focus_status(&self, source: &str) -> Result<Option<FocusStatus>, Error> {
        Ok(self
            .call(&imaging::GetStatus {
                video_source_token: source.to_owned(),
            })
            .await?
            .focus)
    }
}
