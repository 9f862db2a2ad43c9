//! The two PTZ nodes and their configurations: fixed data (spaces, ranges, rates, default
//! speeds, presets, auxiliary commands), and how a request's speeds become rates.

use std::time::Duration;

use onvif_proto::ops::ptz::{
    DurationRange, PtzConfiguration, PtzConfigurationOptions, PtzNode, PtzSpaces, PtzVector,
    Space1D, Space2D, Vector1D, Vector2D, space,
};

/// The default continuous-move timeout of both configurations.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The continuous-move timeouts accepted.
pub(crate) const TIMEOUT_RANGE: DurationRange = DurationRange {
    min: Duration::ZERO,
    max: Duration::from_secs(3600),
};

/// A node and its configuration: fixed data.
pub(crate) struct NodeDef {
    pub token: &'static str,
    pub name: &'static str,
    pub config: &'static str,
    /// `(x, y)` ranges of the position, translation, velocity spaces; speed and zoom ranges.
    spaces: SpaceDefs,
    /// Position units per second at a speed or velocity of 1 (pan/tilt, zoom).
    rates: (f64, f64),
    /// Default speeds, in the speed spaces (pan/tilt, zoom).
    default_speed: (f64, f64),
    pub max_presets: usize,
    pub fixed_home: bool,
    pub aux: &'static [&'static str],
}

struct SpaceDefs {
    position: (&'static str, (f64, f64), (f64, f64)),
    zoom_position: (&'static str, (f64, f64)),
    translation: (&'static str, (f64, f64), (f64, f64)),
    zoom_translation: (&'static str, (f64, f64)),
    velocity: (&'static str, (f64, f64), (f64, f64)),
    zoom_velocity: (&'static str, (f64, f64)),
    speed: (&'static str, (f64, f64)),
    zoom_speed: (&'static str, (f64, f64)),
}

/// Both nodes, `PTZNode_1` first.
pub(crate) static NODES: [NodeDef; 2] = [
    NodeDef {
        token: "PTZNode_1",
        name: "Generic head",
        config: "PTZConfig_1",
        spaces: SpaceDefs {
            position: (space::PAN_TILT_POSITION_GENERIC, (-1.0, 1.0), (-1.0, 1.0)),
            zoom_position: (space::ZOOM_POSITION_GENERIC, (0.0, 1.0)),
            translation: (
                space::PAN_TILT_TRANSLATION_GENERIC,
                (-1.0, 1.0),
                (-1.0, 1.0),
            ),
            zoom_translation: (space::ZOOM_TRANSLATION_GENERIC, (-1.0, 1.0)),
            velocity: (space::PAN_TILT_VELOCITY_GENERIC, (-1.0, 1.0), (-1.0, 1.0)),
            zoom_velocity: (space::ZOOM_VELOCITY_GENERIC, (-1.0, 1.0)),
            speed: (space::PAN_TILT_SPEED_GENERIC, (0.0, 1.0)),
            zoom_speed: (space::ZOOM_SPEED_GENERIC, (0.0, 1.0)),
        },
        rates: (1.0, 1.0),
        default_speed: (0.5, 0.5),
        max_presets: 16,
        fixed_home: false,
        aux: &[
            "tt:Wiper|On",
            "tt:Wiper|Off",
            "tt:IRLamp|On",
            "tt:IRLamp|Off",
            "tt:IRLamp|Auto",
        ],
    },
    NodeDef {
        token: "PTZNode_2",
        name: "Degree head",
        config: "PTZConfig_2",
        spaces: SpaceDefs {
            position: (
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                (-180.0, 180.0),
                (-90.0, 90.0),
            ),
            zoom_position: (space::ZOOM_POSITION_GENERIC, (0.0, 0.5)),
            translation: (
                space::PAN_TILT_TRANSLATION_SPHERICAL_DEGREES,
                (-360.0, 360.0),
                (-180.0, 180.0),
            ),
            zoom_translation: (space::ZOOM_TRANSLATION_GENERIC, (-0.5, 0.5)),
            velocity: (
                space::PAN_TILT_VELOCITY_DEGREES,
                (-90.0, 90.0),
                (-90.0, 90.0),
            ),
            zoom_velocity: (space::ZOOM_VELOCITY_GENERIC, (-1.0, 1.0)),
            speed: (space::PAN_TILT_SPEED_DEGREES, (0.0, 90.0)),
            zoom_speed: (space::ZOOM_SPEED_GENERIC, (0.0, 1.0)),
        },
        rates: (1.0, 0.5),
        default_speed: (45.0, 0.5),
        max_presets: 4,
        fixed_home: true,
        aux: &[],
    },
];

impl NodeDef {
    /// The node's spaces, one of each kind.
    pub(crate) fn spaces(&self) -> PtzSpaces {
        let s = &self.spaces;
        let two = |(uri, x, y): (&str, (f64, f64), (f64, f64))| vec![Space2D::new(uri, x, y)];
        let one = |(uri, x): (&str, (f64, f64))| vec![Space1D::new(uri, x)];
        PtzSpaces {
            absolute_pan_tilt: two(s.position),
            absolute_zoom: one(s.zoom_position),
            relative_pan_tilt: two(s.translation),
            relative_zoom: one(s.zoom_translation),
            continuous_pan_tilt: two(s.velocity),
            continuous_zoom: one(s.zoom_velocity),
            pan_tilt_speed: one(s.speed),
            zoom_speed: one(s.zoom_speed),
        }
    }

    /// The position ranges of pan, tilt and zoom.
    pub(crate) fn position_ranges(&self) -> [(f64, f64); 3] {
        let s = &self.spaces;
        [s.position.1, s.position.2, s.zoom_position.1]
    }

    /// `tt:PTZNode`.
    pub(crate) fn node(&self) -> PtzNode {
        PtzNode {
            token: self.token.into(),
            name: Some(self.name.into()),
            fixed_home_position: Some(self.fixed_home),
            supported_spaces: self.spaces(),
            max_presets: u32::try_from(self.max_presets).ok(),
            home_supported: true,
            auxiliary_commands: self.aux.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// The configuration's default speed as a speed vector.
    pub(crate) fn default_speed(&self) -> PtzVector {
        PtzVector {
            pan_tilt: Some(Vector2D::in_space(
                self.default_speed.0,
                self.default_speed.0,
                self.spaces.speed.0,
            )),
            zoom: Some(Vector1D::in_space(
                self.default_speed.1,
                self.spaces.zoom_speed.0,
            )),
        }
    }

    /// `tt:PTZConfiguration`: the node's spaces as defaults, its position ranges as limits.
    pub(crate) fn configuration(&self) -> PtzConfiguration {
        let s = &self.spaces;
        PtzConfiguration {
            token: self.config.into(),
            name: Some(self.config.into()),
            use_count: Some(1),
            node_token: Some(self.token.into()),
            default_absolute_pan_tilt_space: Some(s.position.0.into()),
            default_absolute_zoom_space: Some(s.zoom_position.0.into()),
            default_relative_pan_tilt_space: Some(s.translation.0.into()),
            default_relative_zoom_space: Some(s.zoom_translation.0.into()),
            default_continuous_pan_tilt_space: Some(s.velocity.0.into()),
            default_continuous_zoom_space: Some(s.zoom_velocity.0.into()),
            default_speed: Some(self.default_speed()),
            default_timeout: Some(DEFAULT_TIMEOUT),
            pan_tilt_limits: Some(Space2D::new(s.position.0, s.position.1, s.position.2)),
            zoom_limits: Some(Space1D::new(s.zoom_position.0, s.zoom_position.1)),
        }
    }

    /// `tt:PTZConfigurationOptions`.
    pub(crate) fn options(&self) -> PtzConfigurationOptions {
        PtzConfigurationOptions {
            spaces: self.spaces(),
            timeout: Some(TIMEOUT_RANGE),
        }
    }

    /// A position as GetStatus and GetPresets write it, in the default absolute spaces.
    pub(crate) fn position_vector(&self, [pan, tilt, zoom]: [f64; 3]) -> PtzVector {
        PtzVector {
            pan_tilt: Some(Vector2D::in_space(pan, tilt, self.spaces.position.0)),
            zoom: Some(Vector1D::in_space(zoom, self.spaces.zoom_position.0)),
        }
    }

    /// Speeds (position units per second) for a request's speed vector, already checked
    /// against the speed spaces; missing parts and zeros take the default speed.
    pub(crate) fn rates(&self, speed: Option<&PtzVector>) -> Rates {
        let or_default = |v: Option<f64>, d: f64| match v {
            Some(v) if v > 0.0 => v,
            _ => d,
        };
        let pt = speed.and_then(|s| s.pan_tilt.as_ref());
        Rates {
            pan: or_default(pt.map(|p| p.x), self.default_speed.0) * self.rates.0,
            tilt: or_default(pt.map(|p| p.y), self.default_speed.0) * self.rates.0,
            zoom: or_default(
                speed.and_then(|s| s.zoom.as_ref()).map(|z| z.x),
                self.default_speed.1,
            ) * self.rates.1,
        }
    }

    /// Position units per second for a velocity (pan/tilt, zoom).
    pub(crate) fn velocity_rates(&self) -> (f64, f64) {
        self.rates
    }
}

/// A node by its token, its configuration's token, or the token of the profile using it.
pub(crate) fn node_def(token: &str) -> Option<&'static NodeDef> {
    NODES
        .iter()
        .find(|n| n.token == token || n.config == token)
        .or_else(|| {
            let (_, p) = crate::media::any_profile(token)?;
            let (config, _) = p.ptz?;
            NODES.iter().find(|n| n.config == config)
        })
}

/// Speeds of the three axes, in position units per second.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rates {
    pub pan: f64,
    pub tilt: f64,
    pub zoom: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_nodes_configurations_and_profiles_find_the_head() {
        assert_eq!(node_def("PTZNode_1").map(|n| n.token), Some("PTZNode_1"));
        assert_eq!(node_def("PTZConfig_2").map(|n| n.token), Some("PTZNode_2"));
        assert_eq!(node_def("Profile_1").map(|n| n.token), Some("PTZNode_1"));
        assert_eq!(node_def("Profile_3").map(|n| n.token), Some("PTZNode_2"));
        assert!(node_def("Profile_2").is_none());
        assert!(node_def("nope").is_none());
    }

    #[test]
    fn configurations_default_to_their_nodes_spaces() {
        for n in &NODES {
            let c = n.configuration();
            let s = n.spaces();
            assert_eq!(
                c.default_absolute_pan_tilt_space.as_deref(),
                Some(s.absolute_pan_tilt[0].uri.as_str())
            );
            assert_eq!(c.pan_tilt_limits.as_ref(), Some(&s.absolute_pan_tilt[0]));
            assert!(
                onvif_proto::ops::ptz::scale::check_vector(
                    &s,
                    onvif_proto::ops::ptz::scale::Motion::Speed,
                    &n.default_speed()
                )
                .is_ok()
            );
        }
    }
}
