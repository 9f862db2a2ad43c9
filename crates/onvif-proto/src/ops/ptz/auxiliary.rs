//! Auxiliary commands: SendAuxiliaryCommand (wipers, lamps, vendor words).

use serde::Serialize;

use crate::codec::Xml;
use crate::operation;

/// Run one of the node's auxiliary commands (`tt:Wiper|On`, `tt:IRLamp|Auto`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:SendAuxiliaryCommand")]
pub struct SendAuxiliaryCommand {
    /// The profile whose PTZ node runs the command.
    #[xml(child = "tptz:ProfileToken")]
    pub profile_token: String,
    /// The command, as the node lists it in `AuxiliaryCommands`.
    #[xml(child = "tptz:AuxiliaryData")]
    pub auxiliary_data: String,
}

/// The answer to SendAuxiliaryCommand (empty when the camera sends none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tptz:SendAuxiliaryCommandResponse")]
pub struct SendAuxiliaryCommandResponse {
    /// What the camera answered.
    #[xml(child = "tptz:AuxiliaryResponse", default)]
    pub auxiliary_response: String,
}
// The command may toggle something.
operation!(SendAuxiliaryCommand => SendAuxiliaryCommandResponse, idempotent = false);
