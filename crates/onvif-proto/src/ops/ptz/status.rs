//! Where the head is and whether it moves (`tt:PTZStatus`): GetStatus.

use jiff::Timestamp;
use serde::Serialize;

use super::vector::PtzVector;
use super::vector::lenient_vector;
use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::TT;
use crate::xml::{Element, Writer};
use crate::{operation, xml_enum};

xml_enum! {
    /// Whether an axis group is moving (`tt:MoveStatus`).
    pub MoveStatus {
        /// Not moving.
        Idle = "IDLE",
        /// Moving.
        Moving = "MOVING",
        /// The camera cannot tell.
        Unknown = "UNKNOWN",
    }
}

/// The move status of pan/tilt and of zoom (`tt:PTZMoveStatus`). Read leniently.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PtzMoveStatus {
    /// Pan and tilt.
    pub pan_tilt: Option<MoveStatus>,
    /// Zoom.
    pub zoom: Option<MoveStatus>,
}

impl PtzMoveStatus {
    /// Is either axis group moving?
    pub fn moving(&self) -> bool {
        self.pan_tilt == Some(MoveStatus::Moving) || self.zoom == Some(MoveStatus::Moving)
    }
}

/// By hand: the old form, with the status as the element's own text (no children), applies to
/// both axis groups.
impl Node for PtzMoveStatus {
    fn read_node(el: &Element) -> Result<Self, Error> {
        let status = |name| el.child_text(TT, name).and_then(MoveStatus::parse);
        Ok(if el.children.is_empty() {
            let both = MoveStatus::parse(el.text());
            PtzMoveStatus {
                pan_tilt: both,
                zoom: both,
            }
        } else {
            PtzMoveStatus {
                pan_tilt: status("PanTilt"),
                zoom: status("Zoom"),
            }
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        for (leaf, s) in [("tt:PanTilt", self.pan_tilt), ("tt:Zoom", self.zoom)] {
            if let Some(s) = s {
                w.leaf(leaf, s.as_str());
            }
        }
        w.close(tag);
    }
}

/// Where the head is and whether it moves (`tt:PTZStatus`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct PtzStatus {
    /// In the configuration's default absolute spaces (the cameras that report no `space` use
    /// them too).
    #[xml(with = "position")]
    pub position: Option<PtzVector>,
    /// Whether pan/tilt and zoom are moving.
    #[xml(child = "tt:MoveStatus")]
    pub move_status: Option<PtzMoveStatus>,
    /// A PTZ error the camera reports (some write `NO error` when there is none).
    #[xml(child = "tt:Error")]
    pub error: Option<String>,
    /// When the status was taken; `None` when absent or unreadable.
    #[xml(child = "tt:UtcTime", lenient)]
    pub utc_time: Option<Timestamp>,
}

lenient_vector!(position, PtzStatus, position, "Position");

/// The position and move status of a profile's PTZ head.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetStatus")]
pub struct GetStatus {
    /// `ProfileToken`.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
}
operation!(GetStatus => Status, idempotent = true);

/// The answer to GetStatus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetStatusResponse")]
#[serde(transparent)]
pub struct Status {
    /// The status.
    #[xml(child = "tptz:PTZStatus")]
    pub status: PtzStatus,
}
