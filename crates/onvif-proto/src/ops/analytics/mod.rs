//! Analytics service, ver20 (`tan:`): the analytics modules and rules of a video analytics
//! configuration ([`config`]: `tt:Config` and its descriptions), and the cell motion
//! detector's grid ([`cells`]: `ActiveCells` packed and unpacked).

use serde::Serialize;

use crate::codec::Xml;
use crate::operation;

pub mod cells;
pub mod config;

pub use cells::{CellGrid, CellsError};
pub use config::{
    CELL_MOTION_DETECTOR, CELL_MOTION_ENGINE, CellLayout, Config, ConfigDescription,
    ItemDescription, ItemList, ItemListDescription, MessageDescription, Transformation,
};

// ---------------------------------------------------------------------------------------------
// Modules

/// The kinds of analytics module a configuration supports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:GetSupportedAnalyticsModules")]
pub struct GetSupportedAnalyticsModules {
    /// The video analytics configuration.
    #[xml(child = "tan:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetSupportedAnalyticsModules => SupportedAnalyticsModulesResponse, idempotent = true);

/// `tt:SupportedAnalyticsModules`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct SupportedAnalyticsModules {
    /// Where the modules' schemas are.
    #[xml(child = "tt:AnalyticsModuleContentSchemaLocation")]
    pub schema_locations: Vec<String>,
    /// Each kind of module.
    #[xml(child = "tt:AnalyticsModuleDescription")]
    pub descriptions: Vec<ConfigDescription>,
}

/// The answer to GetSupportedAnalyticsModules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tan:GetSupportedAnalyticsModulesResponse")]
pub struct SupportedAnalyticsModulesResponse {
    /// The kinds of module.
    #[xml(child = "tan:SupportedAnalyticsModules")]
    pub supported: SupportedAnalyticsModules,
}

/// The analytics modules of a configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:GetAnalyticsModules")]
pub struct GetAnalyticsModules {
    /// The video analytics configuration.
    #[xml(child = "tan:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetAnalyticsModules => AnalyticsModules, idempotent = true);

/// The answer to GetAnalyticsModules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:GetAnalyticsModulesResponse")]
pub struct AnalyticsModules {
    /// Every module.
    #[xml(child = "tan:AnalyticsModule")]
    pub modules: Vec<Config>,
}

// ---------------------------------------------------------------------------------------------
// Rules

/// The kinds of rule a configuration supports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:GetSupportedRules")]
pub struct GetSupportedRules {
    /// The video analytics configuration.
    #[xml(child = "tan:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetSupportedRules => SupportedRulesResponse, idempotent = true);

/// `tt:SupportedRules`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct SupportedRules {
    /// Where the rules' schemas are.
    #[xml(child = "tt:RuleContentSchemaLocation")]
    pub schema_locations: Vec<String>,
    /// Each kind of rule.
    #[xml(child = "tt:RuleDescription")]
    pub descriptions: Vec<ConfigDescription>,
}

/// The answer to GetSupportedRules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tan:GetSupportedRulesResponse")]
pub struct SupportedRulesResponse {
    /// The kinds of rule.
    #[xml(child = "tan:SupportedRules")]
    pub supported: SupportedRules,
}

/// The rules of a configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:GetRules")]
pub struct GetRules {
    /// The video analytics configuration.
    #[xml(child = "tan:ConfigurationToken")]
    pub configuration_token: String,
}
operation!(GetRules => Rules, idempotent = true);

/// The answer to GetRules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:GetRulesResponse")]
pub struct Rules {
    /// Every rule.
    #[xml(child = "tan:Rule")]
    pub rules: Vec<Config>,
}

/// Add rules (their names must be new).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:CreateRules")]
pub struct CreateRules {
    /// The video analytics configuration.
    #[xml(child = "tan:ConfigurationToken")]
    pub configuration_token: String,
    /// The rules.
    #[xml(child = "tan:Rule")]
    pub rules: Vec<Config>,
}
// A second time, the names are taken.
operation!(CreateRules => CreateRulesResponse, idempotent = false);

/// The empty answer to CreateRules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:CreateRulesResponse")]
pub struct CreateRulesResponse;

/// Change rules (found by name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:ModifyRules")]
pub struct ModifyRules {
    /// The video analytics configuration.
    #[xml(child = "tan:ConfigurationToken")]
    pub configuration_token: String,
    /// The rules as they shall be.
    #[xml(child = "tan:Rule")]
    pub rules: Vec<Config>,
}
operation!(ModifyRules => ModifyRulesResponse, idempotent = true);

/// The empty answer to ModifyRules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:ModifyRulesResponse")]
pub struct ModifyRulesResponse;

/// Remove rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:DeleteRules")]
pub struct DeleteRules {
    /// The video analytics configuration.
    #[xml(child = "tan:ConfigurationToken")]
    pub configuration_token: String,
    /// The rules' names.
    #[xml(child = "tan:RuleName")]
    pub rule_names: Vec<String>,
}
operation!(DeleteRules => DeleteRulesResponse, idempotent = true);

/// The empty answer to DeleteRules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tan:DeleteRulesResponse")]
pub struct DeleteRulesResponse;

// ---------------------------------------------------------------------------------------------
// Media2's GetAnalyticsConfigurations: where a configuration's token is found

/// `tt:VideoAnalyticsConfiguration`: a configuration, its modules and rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct AnalyticsConfiguration {
    /// The token the analytics operations name it by.
    #[xml(attr = "token")]
    pub token: String,
    /// Its name.
    #[xml(child = "tt:Name", default)]
    pub name: String,
    /// How many profiles use it.
    #[xml(child = "tt:UseCount", default)]
    pub use_count: u32,
    /// Its analytics modules.
    #[xml(child = "tt:AnalyticsEngineConfiguration/tt:AnalyticsModule")]
    pub modules: Vec<Config>,
    /// Its rules.
    #[xml(child = "tt:RuleEngineConfiguration/tt:Rule")]
    pub rules: Vec<Config>,
}

/// Media2's video analytics configurations (all, or one, or a profile's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetAnalyticsConfigurations")]
pub struct GetAnalyticsConfigurations {
    /// Only this configuration.
    #[xml(child = "tr2:ConfigurationToken")]
    pub configuration_token: Option<String>,
    /// Only the one this profile uses.
    #[xml(child = "tr2:ProfileToken")]
    pub profile_token: Option<String>,
}
operation!(GetAnalyticsConfigurations => AnalyticsConfigurations, idempotent = true);

/// The answer to GetAnalyticsConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tr2:GetAnalyticsConfigurationsResponse")]
pub struct AnalyticsConfigurations {
    /// The configurations.
    #[xml(child = "tr2:Configurations")]
    pub configurations: Vec<AnalyticsConfiguration>,
}

/// Media1's video analytics configurations, for cameras without Media2.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoAnalyticsConfigurations")]
pub struct GetVideoAnalyticsConfigurations;
operation!(GetVideoAnalyticsConfigurations => VideoAnalyticsConfigurations, idempotent = true);

/// The answer to Media1's GetVideoAnalyticsConfigurations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "trt:GetVideoAnalyticsConfigurationsResponse")]
pub struct VideoAnalyticsConfigurations {
    /// The configurations.
    #[xml(child = "trt:Configurations")]
    pub configurations: Vec<AnalyticsConfiguration>,
}

// ---------------------------------------------------------------------------------------------
// GetServiceCapabilities

crate::ops::message::flat_capabilities!(
    "tan:GetServiceCapabilities",
    "tan:GetServiceCapabilitiesResponse",
    "analytics"
);

#[cfg(test)]
pub(crate) mod tests;
