//! PTZ configurations (`tt:PTZConfiguration`) and their options: GetConfigurations,
//! GetConfiguration, GetCompatibleConfigurations and GetConfigurationOptions.

use std::time::Duration;

use serde::Serialize;

use super::spaces::{PtzSpaces, Space1D, Space2D};
use super::vector::PtzVector;
use super::vector::lenient_vector;
use crate::codec::Xml;
use crate::operation;
use crate::time::{ser_duration, ser_opt_duration};

/// A PTZ configuration (`tt:PTZConfiguration`): the node a media profile drives, its default
/// spaces, speed and timeout, and its limits. Name and UseCount are required by the schema:
/// without them the token and 1 are written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct PtzConfiguration {
    /// A missing token reads as empty.
    #[xml(attr = "token", default)]
    pub token: String,
    /// A readable name.
    #[xml(child = "tt:Name", write_default = "self.token.clone()")]
    pub name: Option<String>,
    /// How many media profiles use this configuration.
    #[xml(child = "tt:UseCount", lenient, write_default = "1")]
    pub use_count: Option<u32>,
    /// The node this configuration drives.
    #[xml(child = "tt:NodeToken", write_default = "String::new()")]
    pub node_token: Option<String>,
    /// `DefaultAbsolutePantTiltPositionSpace` (sic: the schema's spelling; `PanTilt` is read
    /// too).
    #[xml(with = "default_absolute_pan_tilt_space")]
    pub default_absolute_pan_tilt_space: Option<String>,
    /// `DefaultAbsoluteZoomPositionSpace`.
    #[xml(child = "tt:DefaultAbsoluteZoomPositionSpace")]
    pub default_absolute_zoom_space: Option<String>,
    /// `DefaultRelativePanTiltTranslationSpace`.
    #[xml(child = "tt:DefaultRelativePanTiltTranslationSpace")]
    pub default_relative_pan_tilt_space: Option<String>,
    /// `DefaultRelativeZoomTranslationSpace`.
    #[xml(child = "tt:DefaultRelativeZoomTranslationSpace")]
    pub default_relative_zoom_space: Option<String>,
    /// `DefaultContinuousPanTiltVelocitySpace`.
    #[xml(child = "tt:DefaultContinuousPanTiltVelocitySpace")]
    pub default_continuous_pan_tilt_space: Option<String>,
    /// `DefaultContinuousZoomVelocitySpace`.
    #[xml(child = "tt:DefaultContinuousZoomVelocitySpace")]
    pub default_continuous_zoom_space: Option<String>,
    /// `DefaultPTZSpeed`: the speed of absolute and relative moves that give none.
    #[xml(with = "default_speed")]
    pub default_speed: Option<PtzVector>,
    /// `DefaultPTZTimeout`: how long a continuous move without a timeout lasts.
    #[serde(serialize_with = "ser_opt_duration")]
    #[xml(child = "tt:DefaultPTZTimeout", lenient)]
    pub default_timeout: Option<Duration>,
    /// `PanTiltLimits/Range`.
    #[xml(child = "tt:PanTiltLimits/tt:Range", lenient)]
    pub pan_tilt_limits: Option<Space2D>,
    /// `ZoomLimits/Range`.
    #[xml(child = "tt:ZoomLimits/tt:Range", lenient)]
    pub zoom_limits: Option<Space1D>,
}

/// `#[xml(with)]` for the default absolute pan/tilt space, which the schema spells
/// `DefaultAbsolutePantTiltPositionSpace` and some cameras `...PanTilt...`: both are read.
mod default_absolute_pan_tilt_space {
    use super::PtzConfiguration;
    use crate::error::Error;
    use crate::ns::TT;
    use crate::ops::message::opt_text;
    use crate::xml::{Element, Writer};

    pub(super) fn read(el: &Element) -> Result<Option<String>, Error> {
        Ok(opt_text(el, TT, "DefaultAbsolutePantTiltPositionSpace")
            .or_else(|| opt_text(el, TT, "DefaultAbsolutePanTiltPositionSpace")))
    }

    pub(super) fn write(c: &PtzConfiguration, w: &mut Writer, _: &str) {
        w.leaf_opt(
            "tt:DefaultAbsolutePantTiltPositionSpace",
            c.default_absolute_pan_tilt_space.as_deref(),
        );
    }
}

lenient_vector!(
    default_speed,
    PtzConfiguration,
    default_speed,
    "DefaultPTZSpeed"
);

/// A range of durations (`tt:DurationRange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
pub struct DurationRange {
    /// The shortest.
    #[serde(serialize_with = "ser_duration")]
    #[xml(child = "tt:Min")]
    pub min: Duration,
    /// The longest.
    #[serde(serialize_with = "ser_duration")]
    #[xml(child = "tt:Max")]
    pub max: Duration,
}

impl DurationRange {
    /// Does the range hold `d` (bounds included)?
    pub fn contains(&self, d: Duration) -> bool {
        self.min <= d && d <= self.max
    }
}

/// What a configuration accepts (`tt:PTZConfigurationOptions`): its node's spaces (possibly
/// more, for the profile's video source), and the range of continuous-move timeouts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct PtzConfigurationOptions {
    /// The spaces, with their ranges.
    #[xml(child = "tt:Spaces", default)]
    pub spaces: PtzSpaces,
    /// `PTZTimeout` (written only when known, though the schema requires it).
    #[xml(child = "tt:PTZTimeout", lenient)]
    pub timeout: Option<DurationRange>,
}

/// Every PTZ configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetConfigurations")]
pub struct GetConfigurations;
operation!(GetConfigurations => Configurations, idempotent = true);

/// The answer to GetConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetConfigurationsResponse")]
pub struct Configurations {
    /// Every PTZ configuration.
    #[xml(child = "tptz:PTZConfiguration")]
    pub configurations: Vec<PtzConfiguration>,
}

/// One PTZ configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetConfiguration")]
pub struct GetConfiguration {
    /// `PTZConfigurationToken`.
    #[xml(child = "tptz:PTZConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetConfiguration => Configuration, idempotent = true);

/// The answer to GetConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetConfigurationResponse")]
#[serde(transparent)]
pub struct Configuration {
    /// The configuration.
    #[xml(child = "tptz:PTZConfiguration")]
    pub configuration: PtzConfiguration,
}

/// The PTZ configurations that can be added to a media profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetCompatibleConfigurations")]
pub struct GetCompatibleConfigurations {
    /// `ProfileToken`.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
}
operation!(GetCompatibleConfigurations => CompatibleConfigurations, idempotent = true);

/// The answer to GetCompatibleConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetCompatibleConfigurationsResponse")]
pub struct CompatibleConfigurations {
    /// The configurations that fit the profile.
    #[xml(child = "tptz:PTZConfiguration")]
    pub configurations: Vec<PtzConfiguration>,
}

/// What a PTZ configuration accepts: spaces with their ranges, timeouts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetConfigurationOptions")]
pub struct GetConfigurationOptions {
    /// `ConfigurationToken`.
    #[xml(child = "tptz:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetConfigurationOptions => ConfigurationOptions, idempotent = true);

/// The answer to GetConfigurationOptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetConfigurationOptionsResponse")]
#[serde(transparent)]
pub struct ConfigurationOptions {
    /// The options.
    #[xml(child = "tptz:PTZConfigurationOptions")]
    pub options: PtzConfigurationOptions,
}
