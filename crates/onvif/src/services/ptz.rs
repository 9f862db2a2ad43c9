//! PTZ: every move, presets and home. Users speak in generic units (pan, tilt and velocities
//! in `-1..1`, absolute zoom and speeds in `0..1`); values are checked and mapped into the
//! spaces the camera's node advertises before anything is sent.

use std::time::Duration;

use onvif_proto::ops::ptz::{
    self, Preset, PtzConfiguration, PtzConfigurationOptions, PtzNode, PtzStatus, PtzVector,
    scale::{self, Axis, Motion},
};
use serde::Serialize;

use crate::camera::Camera;
use crate::error::Error;

/// What PTZ commands act on: a media profile with a PTZ configuration, and its node.
#[derive(Debug, Clone, Serialize)]
pub struct PtzTarget {
    /// The token of the media profile.
    pub profile: String,
    /// Its PTZ configuration.
    pub configuration: PtzConfiguration,
    /// The PTZ node the configuration belongs to: its spaces and limits.
    pub node: PtzNode,
    /// Why the configuration or node is a stand-in (the profile's own PTZConfiguration, the
    /// generic spaces) rather than what the camera's PTZ service said; `None` when it said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

/// May PTZ go on without this answer? Yes for a fault or an answer that cannot be read; no
/// for refused credentials, a network failure or a camera with no PTZ address, which every
/// later call would meet too.
fn can_do_without(e: &Error) -> bool {
    !e.is_auth()
        && e.kind() != crate::error::ErrorKind::Network
        && !matches!(e, Error::NoService(_))
}

fn scale_err(e: scale::ScaleError) -> Error {
    Error::Usage(e.to_string())
}

impl Camera {
    /// Every PTZ node (GetNodes).
    pub async fn ptz_nodes(&self) -> Result<Vec<PtzNode>, Error> {
        Ok(self.call(&ptz::GetNodes).await?.nodes)
    }

    /// One PTZ node (GetNode).
    pub async fn ptz_node(&self, token: &str) -> Result<PtzNode, Error> {
        Ok(self
            .call(&ptz::GetNode {
                node_token: token.to_owned(),
            })
            .await?
            .node)
    }

    /// Every PTZ configuration (GetConfigurations).
    pub async fn ptz_configurations(&self) -> Result<Vec<PtzConfiguration>, Error> {
        Ok(self.call(&ptz::GetConfigurations).await?.configurations)
    }

    /// One PTZ configuration (GetConfiguration).
    pub async fn ptz_configuration(&self, token: &str) -> Result<PtzConfiguration, Error> {
        Ok(self
            .call(&ptz::GetConfiguration {
                configuration_token: token.to_owned(),
            })
            .await?
            .configuration)
    }

    /// What a PTZ configuration may be set to (GetConfigurationOptions).
    pub async fn ptz_configuration_options(
        &self,
        token: &str,
    ) -> Result<PtzConfigurationOptions, Error> {
        Ok(self
            .call(&ptz::GetConfigurationOptions {
                configuration_token: token.to_owned(),
            })
            .await?
            .options)
    }

    /// The PTZ service's capabilities (GetServiceCapabilities).
    pub async fn ptz_capabilities(&self) -> Result<ptz::ServiceCapabilities, Error> {
        self.call(&ptz::GetServiceCapabilities).await
    }

    /// The profile to move (the one named, or the first with a PTZ configuration), its
    /// configuration and its node.
    pub async fn ptz_target(&self, profile: Option<&str>) -> Result<PtzTarget, Error> {
        let profiles = self.profiles().await?;
        let chosen = match profile {
            Some(_) => super::media::pick_profile(profiles, profile).map_err(Error::Usage)?,
            None => profiles
                .into_iter()
                .find(|p| p.ptz.is_some())
                .ok_or_else(|| Error::Usage("no media profile has a PTZ configuration".into()))?,
        };
        let cfg_ref = chosen.ptz.clone().ok_or_else(|| {
            Error::Usage(format!("profile {} has no PTZ configuration", chosen.token))
        })?;
        let mut why: Vec<String> = Vec::new();
        let configuration = match self.ptz_configuration(&cfg_ref.token).await {
            Ok(c) => c,
            Err(e) if can_do_without(&e) => {
                why.push(format!("GetConfiguration failed: {e}"));
                PtzConfiguration {
                    token: cfg_ref.token.clone(),
                    name: cfg_ref.name.clone(),
                    node_token: cfg_ref.node_token.clone(),
                    ..PtzConfiguration::default()
                }
            }
            Err(e) => return Err(e),
        };
        let node_token = configuration.node_token.clone().or(cfg_ref.node_token);
        let node = match &node_token {
            Some(token) => match self.ptz_node(token).await {
                Ok(n) => Some(n),
                Err(e) if can_do_without(&e) => {
                    why.push(format!("GetNode failed: {e}"));
                    None
                }
                Err(e) => return Err(e),
            },
            None => {
                why.push("neither the profile nor its PTZ configuration names a node".into());
                None
            }
        };
        let node = node.unwrap_or_else(|| PtzNode {
            token: node_token.unwrap_or_default(),
            supported_spaces: ptz::PtzSpaces::generic(),
            home_supported: true,
            ..PtzNode::default()
        });
        let fallback = (!why.is_empty()).then(|| why.join("; "));
        if let Some(f) = &fallback {
            tracing::debug!(reason = %f, "PTZ goes on with the profile's configuration and the generic spaces");
        }
        Ok(PtzTarget {
            profile: chosen.token,
            configuration,
            node,
            fallback,
        })
    }

    /// Where the head is and whether it moves (GetStatus). The position is in the camera's
    /// own spaces (degrees on some heads): [`crate::ptz::user_position`] gives it as the
    /// moves take it (pan and tilt -1..1, zoom 0..1).
    pub async fn ptz_status(&self, t: &PtzTarget) -> Result<PtzStatus, Error> {
        Ok(self
            .call(&ptz::GetStatus {
                profile_token: t.profile.clone(),
            })
            .await?
            .status)
    }

    /// AbsoluteMove to user coordinates. An axis not given keeps its current position.
    pub async fn ptz_absolute(
        &self,
        t: &PtzTarget,
        pan: Option<f64>,
        tilt: Option<f64>,
        zoom: Option<f64>,
        speed: Option<f64>,
    ) -> Result<(), Error> {
        let spaces = &t.node.supported_spaces;
        let (pan, tilt) = if pan.is_some() != tilt.is_some() {
            // Fill the other axis from where the head is, in the user's units (clamped: a
            // camera may report a hair outside its own range).
            let here = self
                .ptz_status(t)
                .await?
                .position
                .and_then(|p| p.pan_tilt)
                .ok_or_else(|| {
                    Error::Usage(
                        "the camera does not report its position: give both pan and tilt".into(),
                    )
                })?;
            let back = |axis: Axis, v: f64| {
                let user = scale::user_range(axis, Motion::Absolute);
                absolute_range(&t.node, axis, here.space.as_deref())
                    .map_or(v, |range| scale::map_linear(v, &range, &user))
                    .clamp(user.min, user.max)
            };
            (
                pan.or(Some(back(Axis::Pan, here.x))),
                tilt.or(Some(back(Axis::Tilt, here.y))),
            )
        } else {
            (pan, tilt)
        };
        let position =
            scale::vector(spaces, Motion::Absolute, pan, tilt, zoom).map_err(scale_err)?;
        if position.pan_tilt.is_none() && position.zoom.is_none() {
            return Err(Error::Usage("give a pan, tilt or zoom".into()));
        }
        let speed = self.speed_vector(t, speed)?;
        self.call(&ptz::AbsoluteMove {
            profile_token: t.profile.clone(),
            position,
            speed,
        })
        .await?;
        Ok(())
    }

    /// RelativeMove by user amounts (`-1..1` of each axis' range).
    pub async fn ptz_relative(
        &self,
        t: &PtzTarget,
        pan: Option<f64>,
        tilt: Option<f64>,
        zoom: Option<f64>,
        speed: Option<f64>,
    ) -> Result<(), Error> {
        let translation =
            scale::vector(&t.node.supported_spaces, Motion::Relative, pan, tilt, zoom)
                .map_err(scale_err)?;
        if translation.pan_tilt.is_none() && translation.zoom.is_none() {
            return Err(Error::Usage("give a pan, tilt or zoom".into()));
        }
        let speed = self.speed_vector(t, speed)?;
        self.call(&ptz::RelativeMove {
            profile_token: t.profile.clone(),
            translation,
            speed,
        })
        .await?;
        Ok(())
    }

    /// ContinuousMove at user velocities (`-1..1`), with an optional ONVIF Timeout.
    pub async fn ptz_continuous(
        &self,
        t: &PtzTarget,
        pan: Option<f64>,
        tilt: Option<f64>,
        zoom: Option<f64>,
        timeout: Option<Duration>,
    ) -> Result<(), Error> {
        let velocity = scale::vector(
            &t.node.supported_spaces,
            Motion::Continuous,
            pan,
            tilt,
            zoom,
        )
        .map_err(scale_err)?;
        if velocity.pan_tilt.is_none() && velocity.zoom.is_none() {
            return Err(Error::Usage("give a pan, tilt or zoom".into()));
        }
        self.call(&ptz::ContinuousMove {
            profile_token: t.profile.clone(),
            velocity,
            timeout,
        })
        .await?;
        Ok(())
    }

    /// Stop every move, pan/tilt and zoom.
    pub async fn ptz_stop(&self, t: &PtzTarget) -> Result<(), Error> {
        self.call(&ptz::Stop::all(t.profile.clone())).await?;
        Ok(())
    }

    /// The presets of the target's profile (GetPresets).
    pub async fn ptz_presets(&self, t: &PtzTarget) -> Result<Vec<Preset>, Error> {
        Ok(self
            .call(&ptz::GetPresets {
                profile_token: t.profile.clone(),
            })
            .await?
            .presets)
    }

    /// Save the current position as a preset named `name` (replacing one of that name);
    /// returns its token.
    pub async fn ptz_set_preset(&self, t: &PtzTarget, name: &str) -> Result<String, Error> {
        let existing = self
            .ptz_presets(t)
            .await?
            .into_iter()
            .find(|p| p.name.as_deref() == Some(name))
            .map(|p| p.token);
        Ok(self
            .call(&ptz::SetPreset {
                profile_token: t.profile.clone(),
                preset_name: Some(name.to_owned()),
                preset_token: existing,
            })
            .await?
            .preset_token)
    }

    /// A preset by its name or token; an unknown one is a usage error naming the presets
    /// there are.
    pub async fn ptz_find_preset(
        &self,
        t: &PtzTarget,
        name_or_token: &str,
    ) -> Result<Preset, Error> {
        let presets = self.ptz_presets(t).await?;
        let known: Vec<String> = presets
            .iter()
            .map(|p| p.name.clone().unwrap_or_else(|| p.token.clone()))
            .collect();
        let found = presets
            .iter()
            .find(|p| p.token == name_or_token)
            .or_else(|| {
                presets
                    .iter()
                    .find(|p| p.name.as_deref() == Some(name_or_token))
            })
            .cloned();
        found.ok_or_else(|| {
            Error::Usage(format!(
                "no preset {name_or_token:?} (presets: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// Remove a preset by token.
    pub async fn ptz_remove_preset(&self, t: &PtzTarget, token: &str) -> Result<(), Error> {
        self.call(&ptz::RemovePreset {
            profile_token: t.profile.clone(),
            preset_token: token.to_owned(),
        })
        .await?;
        Ok(())
    }

    /// Move to a preset, at a speed in `0..1` (the configuration's default when `None`).
    pub async fn ptz_goto_preset(
        &self,
        t: &PtzTarget,
        token: &str,
        speed: Option<f64>,
    ) -> Result<(), Error> {
        let speed = self.speed_vector(t, speed)?;
        self.call(&ptz::GotoPreset {
            profile_token: t.profile.clone(),
            preset_token: token.to_owned(),
            speed,
        })
        .await?;
        Ok(())
    }

    /// Move to the home position, at a speed in `0..1` (the configuration's default when
    /// `None`).
    pub async fn ptz_goto_home(&self, t: &PtzTarget, speed: Option<f64>) -> Result<(), Error> {
        let speed = self.speed_vector(t, speed)?;
        self.call(&ptz::GotoHomePosition {
            profile_token: t.profile.clone(),
            speed,
        })
        .await?;
        Ok(())
    }

    /// Make the current position the home position.
    pub async fn ptz_set_home(&self, t: &PtzTarget) -> Result<(), Error> {
        self.call(&ptz::SetHomePosition {
            profile_token: t.profile.clone(),
        })
        .await?;
        Ok(())
    }

    /// SendAuxiliaryCommand (`tt:Wiper|On`); returns the camera's answer text.
    pub async fn ptz_aux(&self, t: &PtzTarget, data: &str) -> Result<String, Error> {
        Ok(self
            .call(&ptz::SendAuxiliaryCommand {
                profile_token: t.profile.clone(),
                auxiliary_data: data.to_owned(),
            })
            .await?
            .auxiliary_response)
    }

    fn speed_vector(&self, t: &PtzTarget, speed: Option<f64>) -> Result<Option<PtzVector>, Error> {
        match speed {
            None => Ok(None),
            Some(s) => {
                let spaces = &t.node.supported_spaces;
                let has_zoom = scale::space_for(spaces, Axis::Zoom, Motion::Speed).is_some();
                let has_pt = scale::space_for(spaces, Axis::Pan, Motion::Speed).is_some();
                scale::speed(spaces, has_pt.then_some(s), has_zoom.then_some(s))
                    .map(Some)
                    .map_err(scale_err)
            }
        }
    }
}

/// The range of an axis in the absolute space named `uri` (when the node lists it), else in the
/// space [`scale::space_for`] picks.
fn absolute_range(
    node: &PtzNode,
    axis: Axis,
    uri: Option<&str>,
) -> Option<onvif_proto::ops::profile::FloatRange> {
    let s = &node.supported_spaces;
    let named = uri.and_then(|u| match axis {
        Axis::Zoom => s
            .absolute_zoom
            .iter()
            .find(|x| x.uri == u)
            .map(|x| x.x_range),
        Axis::Pan => s
            .absolute_pan_tilt
            .iter()
            .find(|x| x.uri == u)
            .map(|x| x.x_range),
        Axis::Tilt => s
            .absolute_pan_tilt
            .iter()
            .find(|x| x.uri == u)
            .map(|x| x.y_range),
    });
    named.or_else(|| scale::space_for(s, axis, Motion::Absolute).map(|(_, r)| r))
}

/// A position in the user's units (for display): pan/tilt in `-1..1`, zoom in `0..1`, read in
/// the space each part names.
pub fn user_position(node: &PtzNode, p: &PtzVector) -> (Option<f64>, Option<f64>, Option<f64>) {
    let back = |axis: Axis, v: f64, uri: Option<&str>| {
        absolute_range(node, axis, uri).map_or(v, |range| {
            scale::map_linear(v, &range, &scale::user_range(axis, Motion::Absolute))
        })
    };
    (
        p.pan_tilt
            .as_ref()
            .map(|v| back(Axis::Pan, v.x, v.space.as_deref())),
        p.pan_tilt
            .as_ref()
            .map(|v| back(Axis::Tilt, v.y, v.space.as_deref())),
        p.zoom
            .as_ref()
            .map(|v| back(Axis::Zoom, v.x, v.space.as_deref())),
    )
}
