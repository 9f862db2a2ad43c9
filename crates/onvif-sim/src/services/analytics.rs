//! The analytics service, ver20 (`tan:`): the modules and rules of `VideoAnalytics_1`
//! ([`crate::analytics`]), which CreateRules, ModifyRules and DeleteRules really change.

use std::collections::BTreeMap;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::analytics::{
    AnalyticsConfiguration, AnalyticsConfigurations, AnalyticsModules, CreateRules,
    CreateRulesResponse, DeleteRules, DeleteRulesResponse, GetAnalyticsConfigurations,
    GetAnalyticsModules, GetRules, GetServiceCapabilities, GetSupportedAnalyticsModules,
    GetSupportedRules, GetVideoAnalyticsConfigurations, ModifyRules, ModifyRulesResponse, Rules,
    ServiceCapabilities, SupportedAnalyticsModules, SupportedAnalyticsModulesResponse,
    SupportedRules, SupportedRulesResponse, VideoAnalyticsConfigurations,
};

use super::{Ctx, ServiceDef, flag_capabilities, flags, op, sender};
use onvif_proto::ops::profile::MediaVersion;

use crate::analytics::{ANALYTICS_CONFIG, configuration, module_description, rule_description};
use crate::media::{PROFILES, no_profile, profile_def};

/// The analytics service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Analytics,
    category: Some("Analytics"),
    ops: &[
        op!(GetSupportedAnalyticsModules => get_supported_analytics_modules),
        op!(GetAnalyticsModules => get_analytics_modules),
        op!(GetSupportedRules => get_supported_rules),
        op!(GetRules => get_rules),
        op!(CreateRules => create_rules),
        op!(ModifyRules => modify_rules),
        op!(DeleteRules => delete_rules),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: analytics_capabilities,
    category_flags: analytics_flags,
};

/// Media2's GetAnalyticsConfigurations (served by [`super::media2`]): the one configuration,
/// which every profile uses.
pub(super) fn get_analytics_configurations(
    ctx: &Ctx<'_>,
    req: GetAnalyticsConfigurations,
) -> Result<AnalyticsConfigurations, Fault> {
    if let Some(c) = &req.configuration_token {
        configuration(c)?;
    }
    if let Some(p) = &req.profile_token
        && profile_def(p, MediaVersion::Media2).is_none()
    {
        return Err(no_profile(p));
    }
    let cam = ctx.shared.camera();
    Ok(AnalyticsConfigurations {
        configurations: vec![AnalyticsConfiguration {
            token: ANALYTICS_CONFIG.into(),
            name: "Cell motion".into(),
            use_count: PROFILES.len() as u32,
            modules: cam.analytics.modules.clone(),
            rules: cam.analytics.rules.clone(),
        }],
    })
}

/// Media1's GetVideoAnalyticsConfigurations (served by [`super::media`]): the same one.
pub(super) fn get_video_analytics_configurations(
    ctx: &Ctx<'_>,
    _: GetVideoAnalyticsConfigurations,
) -> Result<VideoAnalyticsConfigurations, Fault> {
    let all = get_analytics_configurations(ctx, GetAnalyticsConfigurations::default())?;
    Ok(VideoAnalyticsConfigurations {
        configurations: all.configurations,
    })
}

const SCHEMA: &str = "http://www.onvif.org/ver10/schema/onvif.xsd";

fn get_supported_analytics_modules(
    _: &Ctx<'_>,
    req: GetSupportedAnalyticsModules,
) -> Result<SupportedAnalyticsModulesResponse, Fault> {
    configuration(&req.configuration_token)?;
    Ok(SupportedAnalyticsModulesResponse {
        supported: SupportedAnalyticsModules {
            schema_locations: vec![SCHEMA.into()],
            descriptions: vec![module_description()],
        },
    })
}

fn get_analytics_modules(
    ctx: &Ctx<'_>,
    req: GetAnalyticsModules,
) -> Result<AnalyticsModules, Fault> {
    configuration(&req.configuration_token)?;
    Ok(AnalyticsModules {
        modules: ctx.shared.camera().analytics.modules.clone(),
    })
}

fn get_supported_rules(
    _: &Ctx<'_>,
    req: GetSupportedRules,
) -> Result<SupportedRulesResponse, Fault> {
    configuration(&req.configuration_token)?;
    Ok(SupportedRulesResponse {
        supported: SupportedRules {
            schema_locations: vec![SCHEMA.into()],
            descriptions: vec![rule_description()],
        },
    })
}

fn get_rules(ctx: &Ctx<'_>, req: GetRules) -> Result<Rules, Fault> {
    configuration(&req.configuration_token)?;
    Ok(Rules {
        rules: ctx.shared.camera().analytics.rules.clone(),
    })
}

/// A request without a rule is refused, as the schema asks for one at least.
fn some<T>(list: &[T], what: &str) -> Result<(), Fault> {
    if list.is_empty() {
        Err(sender(&["InvalidArgVal"], format!("no {what} given")))
    } else {
        Ok(())
    }
}

fn create_rules(ctx: &Ctx<'_>, req: CreateRules) -> Result<CreateRulesResponse, Fault> {
    configuration(&req.configuration_token)?;
    some(&req.rules, "Rule")?;
    ctx.shared.camera().analytics.create(req.rules)?;
    Ok(CreateRulesResponse)
}

fn modify_rules(ctx: &Ctx<'_>, req: ModifyRules) -> Result<ModifyRulesResponse, Fault> {
    configuration(&req.configuration_token)?;
    some(&req.rules, "Rule")?;
    ctx.shared.camera().analytics.modify(req.rules)?;
    Ok(ModifyRulesResponse)
}

fn delete_rules(ctx: &Ctx<'_>, req: DeleteRules) -> Result<DeleteRulesResponse, Fault> {
    configuration(&req.configuration_token)?;
    some(&req.rule_names, "RuleName")?;
    ctx.shared.camera().analytics.delete(&req.rule_names)?;
    Ok(DeleteRulesResponse)
}

flag_capabilities!(analytics_capabilities);

/// `tan:Capabilities`, flattened.
fn analytics_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[
        ("RuleSupport", "true"),
        ("AnalyticsModuleSupport", "true"),
        ("CellBasedSceneDescriptionSupported", "false"),
    ])
}

/// GetCapabilities' `tt:AnalyticsCapabilities`.
fn analytics_flags(_: &Ctx<'_>) -> BTreeMap<String, String> {
    flags(&[("RuleSupport", "true"), ("AnalyticsModuleSupport", "true")])
}
