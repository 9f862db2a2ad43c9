//! The three kinds of move and Stop: AbsoluteMove, RelativeMove, ContinuousMove. Their vectors
//! are read strictly (a request the simulator acts on).

use std::time::Duration;

use serde::Serialize;

use super::vector::PtzVector;
use crate::codec::Xml;
use crate::operation;
use crate::time::ser_opt_duration;

/// Move to a position. Parts left out of `position` keep moving as they were.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:AbsoluteMove")]
pub struct AbsoluteMove {
    /// The profile whose PTZ head moves.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// Where to go.
    #[xml(child = "tptz:Position")]
    pub position: PtzVector,
    /// Overrides the configuration's default speed.
    #[xml(child = "tptz:Speed")]
    pub speed: Option<PtzVector>,
}

/// The empty answer to AbsoluteMove.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:AbsoluteMoveResponse")]
pub struct AbsoluteMoveResponse;
operation!(AbsoluteMove => AbsoluteMoveResponse, idempotent = true);

/// Move by a translation from the current position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:RelativeMove")]
pub struct RelativeMove {
    /// The profile whose PTZ head moves.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// How far to go.
    #[xml(child = "tptz:Translation")]
    pub translation: PtzVector,
    /// Overrides the configuration's default speed.
    #[xml(child = "tptz:Speed")]
    pub speed: Option<PtzVector>,
}

/// The empty answer to RelativeMove.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:RelativeMoveResponse")]
pub struct RelativeMoveResponse;
// Done twice, a relative move moves twice.
operation!(RelativeMove => RelativeMoveResponse, idempotent = false);

/// Move at a velocity until Stop, a zero velocity, or the timeout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:ContinuousMove")]
pub struct ContinuousMove {
    /// The profile whose PTZ head moves.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// How fast to go, and which way.
    #[xml(child = "tptz:Velocity")]
    pub velocity: PtzVector,
    /// Overrides the configuration's default timeout.
    #[serde(serialize_with = "ser_opt_duration")]
    #[xml(child = "tptz:Timeout")]
    pub timeout: Option<Duration>,
}

/// The empty answer to ContinuousMove.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:ContinuousMoveResponse")]
pub struct ContinuousMoveResponse;
operation!(ContinuousMove => ContinuousMoveResponse, idempotent = true);

/// Stop moving. `None` flags mean `true` (stop that axis group).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:Stop")]
pub struct Stop {
    /// The profile whose PTZ head stops.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// Stop pan and tilt.
    #[xml(child = "tptz:PanTilt")]
    pub pan_tilt: Option<bool>,
    /// Stop zoom.
    #[xml(child = "tptz:Zoom")]
    pub zoom: Option<bool>,
}

impl Stop {
    /// Stop everything on a profile's head.
    pub fn all(profile_token: impl Into<String>) -> Self {
        Stop {
            profile_token: profile_token.into(),
            pan_tilt: None,
            zoom: None,
        }
    }
}

/// The empty answer to Stop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:StopResponse")]
pub struct StopResponse;
operation!(Stop => StopResponse, idempotent = true);
