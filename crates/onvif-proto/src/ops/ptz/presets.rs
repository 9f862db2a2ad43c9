//! Stored positions: presets (GetPresets, SetPreset, RemovePreset, GotoPreset) and the home
//! position (GotoHomePosition, SetHomePosition).

use serde::Serialize;

use super::vector::PtzVector;
use super::vector::lenient_vector;
use crate::codec::Xml;
use crate::operation;

/// A stored position (`tt:PTZPreset`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
pub struct Preset {
    /// A missing token reads as empty.
    #[xml(attr = "token", default)]
    pub token: String,
    /// A readable name.
    #[xml(child = "tt:Name")]
    pub name: Option<String>,
    /// `PTZPosition`, when the camera tells it.
    #[xml(with = "position")]
    pub position: Option<PtzVector>,
}

lenient_vector!(position, Preset, position, "PTZPosition");

/// The presets of a profile's PTZ node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GetPresets")]
pub struct GetPresets {
    /// `ProfileToken`.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
}
operation!(GetPresets => Presets, idempotent = true);

/// The answer to GetPresets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GetPresetsResponse")]
pub struct Presets {
    /// The presets.
    #[xml(child = "tptz:Preset")]
    pub presets: Vec<Preset>,
}

/// Store the current position: as a new preset (no token), or over an existing one (its token),
/// optionally naming it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:SetPreset")]
pub struct SetPreset {
    /// The profile whose PTZ node stores the preset.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// The name to give it.
    #[xml(child = "tptz:PresetName")]
    pub preset_name: Option<String>,
    /// The preset to overwrite; none makes a new one.
    #[xml(child = "tptz:PresetToken")]
    pub preset_token: Option<String>,
}

/// The answer to SetPreset: the preset's token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:SetPresetResponse")]
pub struct SetPresetResponse {
    /// The preset stored.
    #[xml(child = "tptz:PresetToken")]
    pub preset_token: String,
}
operation!(SetPreset => SetPresetResponse, idempotent = false);

/// Remove a preset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:RemovePreset")]
pub struct RemovePreset {
    /// The profile whose PTZ node has the preset.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// The preset to remove.
    #[xml(child = "tptz:PresetToken")]
    pub preset_token: String,
}

/// The empty answer to RemovePreset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:RemovePresetResponse")]
pub struct RemovePresetResponse;
// A second removal of the same token fails.
operation!(RemovePreset => RemovePresetResponse, idempotent = false);

/// Move to a preset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GotoPreset")]
pub struct GotoPreset {
    /// The profile whose PTZ head moves.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// The preset to go to.
    #[xml(child = "tptz:PresetToken")]
    pub preset_token: String,
    /// Overrides the configuration's default speed.
    #[xml(child = "tptz:Speed")]
    pub speed: Option<PtzVector>,
}

/// The empty answer to GotoPreset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GotoPresetResponse")]
pub struct GotoPresetResponse;
operation!(GotoPreset => GotoPresetResponse, idempotent = true);

/// Move to the home position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
#[xml(root = "tptz:GotoHomePosition")]
pub struct GotoHomePosition {
    /// The profile whose PTZ head moves.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// Overrides the configuration's default speed.
    #[xml(child = "tptz:Speed")]
    pub speed: Option<PtzVector>,
}

/// The empty answer to GotoHomePosition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:GotoHomePositionResponse")]
pub struct GotoHomePositionResponse;
operation!(GotoHomePosition => GotoHomePositionResponse, idempotent = true);

/// Store the current position as the home position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:SetHomePosition")]
pub struct SetHomePosition {
    /// `ProfileToken`.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
}

/// The empty answer to SetHomePosition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:SetHomePositionResponse")]
pub struct SetHomePositionResponse;
operation!(SetHomePosition => SetHomePositionResponse, idempotent = true);
