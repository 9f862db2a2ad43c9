//! The PTZ service, ver20 (`tptz:`): the two heads of [`crate::ptz`], driven through the
//! profiles that carry their configurations (`Profile_1` -> `PTZConfig_1` -> `PTZNode_1`,
//! `Profile_3` -> `PTZConfig_2` -> `PTZNode_2`).
//!
//! Requests are checked as the PTZ specification says: an unknown profile is
//! `ter:NoProfile`, a profile without PTZ `ter:NoPTZProfile`, a space the node does not list
//! `ter:SpaceNotSupported`, a value outside its space `ter:InvalidPosition`,
//! `ter:InvalidTranslation`, `ter:InvalidVelocity` or `ter:InvalidSpeed`, a timeout outside
//! 0..1 h `ter:TimeoutNotSupported`, an unknown preset `ter:NoToken` (all `Sender /
//! ter:InvalidArgVal / ...`). With [`Quirk::NoContinuousMove`] or [`Quirk::NoRelativeMove`]
//! those moves are answered `ter:ActionNotSupported`, as [`crate::SimConfig::unsupported`]
//! answers.

use std::collections::BTreeMap;
use std::time::Duration;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::ptz::scale::{self, Motion, ScaleError};
use onvif_proto::ops::ptz::{
    AbsoluteMove, AbsoluteMoveResponse, CompatibleConfigurations, Configuration,
    ConfigurationOptions, Configurations, ContinuousMove, ContinuousMoveResponse,
    GetCompatibleConfigurations, GetConfiguration, GetConfigurationOptions, GetConfigurations,
    GetNode, GetNodes, GetPresets, GetServiceCapabilities, GetStatus, GotoHomePosition,
    GotoHomePositionResponse, GotoPreset, GotoPresetResponse, MoveStatus, Node, Nodes, Preset,
    Presets, PtzMoveStatus, PtzStatus, PtzVector, RelativeMove, RelativeMoveResponse, RemovePreset,
    RemovePresetResponse, SendAuxiliaryCommand, SendAuxiliaryCommandResponse, ServiceCapabilities,
    SetHomePosition, SetHomePositionResponse, SetPreset, SetPresetResponse, Status, Stop,
    StopResponse, format_duration,
};

use super::{Ctx, ServiceDef, no_flags, op, receiver, sender};
use crate::config::Quirk;
use crate::media::{any_profile, no_config, no_profile};
use crate::ptz::{Head, NODES, NodeDef, Rates, StoredPreset, TIMEOUT_RANGE, node_def};

/// The PTZ service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::Ptz,
    category: Some("PTZ"),
    ops: &[
        op!(GetNodes => get_nodes),
        op!(GetNode => get_node),
        op!(GetConfigurations => get_configurations),
        op!(GetConfiguration => get_configuration),
        op!(GetCompatibleConfigurations => get_compatible_configurations),
        op!(GetConfigurationOptions => get_configuration_options),
        op!(GetStatus => get_status),
        op!(AbsoluteMove => absolute_move),
        op!(RelativeMove => relative_move),
        op!(ContinuousMove => continuous_move),
        op!(Stop => stop),
        op!(GetPresets => get_presets),
        op!(SetPreset => set_preset),
        op!(RemovePreset => remove_preset),
        op!(GotoPreset => goto_preset),
        op!(GotoHomePosition => goto_home_position),
        op!(SetHomePosition => set_home_position),
        op!(SendAuxiliaryCommand => send_auxiliary_command),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: ptz_capabilities,
    category_flags: no_flags,
};

// ---------------------------------------------------------------------------------------------
// Faults

fn invalid(sub: &str, reason: impl Into<String>) -> Fault {
    sender(&["InvalidArgVal", sub], reason)
}

/// The node of a profile, or `ter:NoProfile` / `ter:NoPTZProfile`.
fn profile_node(token: &str) -> Result<&'static NodeDef, Fault> {
    let (_, p) = any_profile(token).ok_or_else(|| no_profile(token))?;
    if p.ptz.is_none() {
        return Err(invalid(
            "NoPTZProfile",
            format!("profile {token:?} has no PTZ configuration"),
        ));
    }
    node_def(token).ok_or_else(|| invalid("NoPTZProfile", format!("profile {token:?}")))
}

fn config_node(token: &str) -> Result<&'static NodeDef, Fault> {
    NODES
        .iter()
        .find(|n| n.config == token)
        .ok_or_else(|| no_config(token))
}

/// Run `f` on the profile's head.
fn with_head<R>(
    ctx: &Ctx<'_>,
    profile: &str,
    f: impl FnOnce(&mut Head, Duration) -> Result<R, Fault>,
) -> Result<R, Fault> {
    let node = profile_node(profile)?;
    ctx.shared
        .ptz
        .with_head(node.token, f)
        .unwrap_or_else(|| Err(invalid("NoPTZProfile", format!("profile {profile:?}"))))
}

/// Check a vector against the node's spaces: `ter:SpaceNotSupported` for a space the node does
/// not list, `ter:<out_of_range>` for a value outside its space.
fn check(node: &NodeDef, motion: Motion, v: &PtzVector, out_of_range: &str) -> Result<(), Fault> {
    scale::check_vector(&node.spaces(), motion, v).map_err(|e| match e {
        ScaleError::NoSpace { axis, motion } => invalid(
            "SpaceNotSupported",
            format!(
                "{} does not support that {motion} space for {axis}",
                node.token
            ),
        ),
        e @ ScaleError::OutOfRange(_) => invalid(out_of_range, e.to_string()),
    })
}

/// The rates of a move at `speed` (the node's default speed when none), once the speed is
/// checked against the node's speed spaces.
fn rates_at(node: &NodeDef, speed: Option<&PtzVector>) -> Result<Rates, Fault> {
    if let Some(s) = speed {
        check(node, Motion::Speed, s, "InvalidSpeed")?;
    }
    Ok(node.rates(speed))
}

/// Quirks that make a move unsupported.
fn unsupported_by_quirk(ctx: &Ctx<'_>, q: Quirk, name: &str) -> Result<(), Fault> {
    if ctx.shared.cfg.has(q) {
        Err(receiver(
            &["ActionNotSupported"],
            format!("{name} is not implemented by this camera"),
        ))
    } else {
        Ok(())
    }
}

fn parts(v: &PtzVector) -> (Option<(f64, f64)>, Option<f64>) {
    (
        v.pan_tilt.as_ref().map(|p| (p.x, p.y)),
        v.zoom.as_ref().map(|z| z.x),
    )
}

// ---------------------------------------------------------------------------------------------
// Nodes and configurations

fn get_nodes(_: &Ctx<'_>, _: GetNodes) -> Result<Nodes, Fault> {
    Ok(Nodes {
        nodes: NODES.iter().map(NodeDef::node).collect(),
    })
}

fn get_node(_: &Ctx<'_>, req: GetNode) -> Result<Node, Fault> {
    let n = NODES
        .iter()
        .find(|n| n.token == req.node_token)
        .ok_or_else(|| {
            invalid(
                "NoEntity",
                format!("no PTZ node with token {:?}", req.node_token),
            )
        })?;
    Ok(Node { node: n.node() })
}

fn get_configurations(_: &Ctx<'_>, _: GetConfigurations) -> Result<Configurations, Fault> {
    Ok(Configurations {
        configurations: NODES.iter().map(NodeDef::configuration).collect(),
    })
}

fn get_configuration(_: &Ctx<'_>, req: GetConfiguration) -> Result<Configuration, Fault> {
    Ok(Configuration {
        configuration: config_node(&req.configuration_token)?.configuration(),
    })
}

/// A profile can take the configuration of its own head only.
fn get_compatible_configurations(
    _: &Ctx<'_>,
    req: GetCompatibleConfigurations,
) -> Result<CompatibleConfigurations, Fault> {
    let (_, p) = any_profile(&req.profile_token).ok_or_else(|| no_profile(&req.profile_token))?;
    Ok(CompatibleConfigurations {
        configurations: p
            .ptz
            .and_then(|(config, _)| NODES.iter().find(|n| n.config == config))
            .map(NodeDef::configuration)
            .into_iter()
            .collect(),
    })
}

fn get_configuration_options(
    _: &Ctx<'_>,
    req: GetConfigurationOptions,
) -> Result<ConfigurationOptions, Fault> {
    Ok(ConfigurationOptions {
        options: config_node(&req.configuration_token)?.options(),
    })
}

fn status_of(s: bool) -> Option<MoveStatus> {
    Some(if s {
        MoveStatus::Moving
    } else {
        MoveStatus::Idle
    })
}

fn get_status(ctx: &Ctx<'_>, req: GetStatus) -> Result<Status, Fault> {
    let (position, pt, z, node) = with_head(ctx, &req.profile_token, |h, _| {
        Ok((h.position(), h.pan_tilt_moving(), h.zoom_moving(), h.def))
    })?;
    Ok(Status {
        status: PtzStatus {
            position: Some(node.position_vector(position)),
            move_status: Some(PtzMoveStatus {
                pan_tilt: status_of(pt),
                zoom: status_of(z),
            }),
            error: None,
            utc_time: Some(ctx.shared.camera_now()),
        },
    })
}

// ---------------------------------------------------------------------------------------------
// Moves

/// AbsoluteMove (to a position) and RelativeMove (by a translation): the vector and the
/// speed are checked against the node's spaces, then the head starts moving.
fn move_head(
    ctx: &Ctx<'_>,
    profile: &str,
    motion: Motion,
    v: &PtzVector,
    speed: Option<&PtzVector>,
) -> Result<(), Fault> {
    let node = profile_node(profile)?;
    let out_of_range = match motion {
        Motion::Absolute => "InvalidPosition",
        _ => "InvalidTranslation",
    };
    check(node, motion, v, out_of_range)?;
    let rates = rates_at(node, speed)?;
    let (pt, z) = parts(v);
    with_head(ctx, profile, |h, _| {
        match motion {
            Motion::Absolute => h.move_to(pt, z, rates),
            _ => h.move_by(pt, z, rates),
        }
        Ok(())
    })
}

fn absolute_move(ctx: &Ctx<'_>, req: AbsoluteMove) -> Result<AbsoluteMoveResponse, Fault> {
    move_head(
        ctx,
        &req.profile_token,
        Motion::Absolute,
        &req.position,
        req.speed.as_ref(),
    )?;
    Ok(AbsoluteMoveResponse)
}

fn relative_move(ctx: &Ctx<'_>, req: RelativeMove) -> Result<RelativeMoveResponse, Fault> {
    unsupported_by_quirk(ctx, Quirk::NoRelativeMove, "RelativeMove")?;
    move_head(
        ctx,
        &req.profile_token,
        Motion::Relative,
        &req.translation,
        req.speed.as_ref(),
    )?;
    Ok(RelativeMoveResponse)
}

fn continuous_move(ctx: &Ctx<'_>, req: ContinuousMove) -> Result<ContinuousMoveResponse, Fault> {
    unsupported_by_quirk(ctx, Quirk::NoContinuousMove, "ContinuousMove")?;
    let node = profile_node(&req.profile_token)?;
    check(node, Motion::Continuous, &req.velocity, "InvalidVelocity")?;
    let timeout = req.timeout.unwrap_or(crate::ptz::DEFAULT_TIMEOUT);
    if !TIMEOUT_RANGE.contains(timeout) {
        return Err(invalid(
            "TimeoutNotSupported",
            format!(
                "timeout {} is outside {}..{}",
                format_duration(timeout),
                format_duration(TIMEOUT_RANGE.min),
                format_duration(TIMEOUT_RANGE.max)
            ),
        ));
    }
    let (pt_rate, z_rate) = node.velocity_rates();
    let (pt, z) = parts(&req.velocity);
    with_head(ctx, &req.profile_token, |h, now| {
        h.run(
            pt.map(|(p, t)| (p * pt_rate, t * pt_rate)),
            z.map(|z| z * z_rate),
            now.saturating_add(timeout),
            now,
        );
        Ok(ContinuousMoveResponse)
    })
}

fn stop(ctx: &Ctx<'_>, req: Stop) -> Result<StopResponse, Fault> {
    with_head(ctx, &req.profile_token, |h, _| {
        h.stop(req.pan_tilt.unwrap_or(true), req.zoom.unwrap_or(true));
        Ok(StopResponse)
    })
}

// ---------------------------------------------------------------------------------------------
// Presets and home

fn no_token(token: &str) -> Fault {
    invalid("NoToken", format!("no preset with token {token:?}"))
}

fn get_presets(ctx: &Ctx<'_>, req: GetPresets) -> Result<Presets, Fault> {
    with_head(ctx, &req.profile_token, |h, _| {
        Ok(Presets {
            presets: h
                .presets
                .iter()
                .map(|p| Preset {
                    token: p.token.clone(),
                    name: Some(p.name.clone()),
                    position: Some(h.def.position_vector(p.position)),
                })
                .collect(),
        })
    })
}

/// The longest preset name accepted (`tt:Name`).
const MAX_NAME: usize = 64;

fn set_preset(ctx: &Ctx<'_>, req: SetPreset) -> Result<SetPresetResponse, Fault> {
    if let Some(n) = &req.preset_name
        && (n.chars().count() > MAX_NAME || n.chars().any(char::is_control))
    {
        return Err(invalid(
            "InvalidPresetName",
            format!("a preset name has at most {MAX_NAME} characters and no control characters"),
        ));
    }
    with_head(ctx, &req.profile_token, |h, _| {
        if h.pan_tilt_moving() || h.zoom_moving() {
            return Err(receiver(
                &["Action", "MovingPTZ"],
                "a preset cannot be set while the head moves",
            ));
        }
        if let Some(name) = &req.preset_name
            && h.presets
                .iter()
                .any(|p| &p.name == name && Some(&p.token) != req.preset_token.as_ref())
        {
            return Err(invalid(
                "PresetExist",
                format!("a preset is already named {name:?}"),
            ));
        }
        let position = h.position();
        if let Some(token) = &req.preset_token {
            let p = h
                .presets
                .iter_mut()
                .find(|p| &p.token == token)
                .ok_or_else(|| no_token(token))?;
            p.position = position;
            if let Some(name) = &req.preset_name {
                p.name.clone_from(name);
            }
            return Ok(SetPresetResponse {
                preset_token: token.clone(),
            });
        }
        if h.presets.len() >= h.def.max_presets {
            return Err(receiver(
                &["Action", "TooManyPresets"],
                format!(
                    "{} holds at most {} presets",
                    h.def.token, h.def.max_presets
                ),
            ));
        }
        // The smallest free number.
        let token = (1..)
            .map(|n| format!("Preset_{n}"))
            .find(|t| h.presets.iter().all(|p| &p.token != t))
            .unwrap_or_default();
        h.presets.push(StoredPreset {
            token: token.clone(),
            name: req.preset_name.clone().unwrap_or_else(|| token.clone()),
            position,
        });
        Ok(SetPresetResponse {
            preset_token: token,
        })
    })
}

fn remove_preset(ctx: &Ctx<'_>, req: RemovePreset) -> Result<RemovePresetResponse, Fault> {
    with_head(ctx, &req.profile_token, |h, _| {
        let before = h.presets.len();
        h.presets.retain(|p| p.token != req.preset_token);
        if h.presets.len() == before {
            return Err(no_token(&req.preset_token));
        }
        Ok(RemovePresetResponse)
    })
}

/// GotoPreset and GotoHomePosition: the speed checked, the head moves to the position `to`
/// picks.
fn go_to(
    ctx: &Ctx<'_>,
    profile: &str,
    speed: Option<&PtzVector>,
    to: impl FnOnce(&Head) -> Result<[f64; 3], Fault>,
) -> Result<(), Fault> {
    let rates = rates_at(profile_node(profile)?, speed)?;
    with_head(ctx, profile, |h, _| {
        let [p, t, z] = to(h)?;
        h.move_to(Some((p, t)), Some(z), rates);
        Ok(())
    })
}

fn goto_preset(ctx: &Ctx<'_>, req: GotoPreset) -> Result<GotoPresetResponse, Fault> {
    go_to(ctx, &req.profile_token, req.speed.as_ref(), |h| {
        h.presets
            .iter()
            .find(|p| p.token == req.preset_token)
            .map(|p| p.position)
            .ok_or_else(|| no_token(&req.preset_token))
    })?;
    Ok(GotoPresetResponse)
}

fn goto_home_position(
    ctx: &Ctx<'_>,
    req: GotoHomePosition,
) -> Result<GotoHomePositionResponse, Fault> {
    go_to(ctx, &req.profile_token, req.speed.as_ref(), |h| Ok(h.home))?;
    Ok(GotoHomePositionResponse)
}

fn set_home_position(
    ctx: &Ctx<'_>,
    req: SetHomePosition,
) -> Result<SetHomePositionResponse, Fault> {
    with_head(ctx, &req.profile_token, |h, _| {
        if h.def.fixed_home {
            return Err(receiver(
                &["Action", "CannotOverwriteHome"],
                format!("the home position of {} is fixed", h.def.token),
            ));
        }
        h.home = h.position();
        Ok(SetHomePositionResponse)
    })
}

fn send_auxiliary_command(
    ctx: &Ctx<'_>,
    req: SendAuxiliaryCommand,
) -> Result<SendAuxiliaryCommandResponse, Fault> {
    with_head(ctx, &req.profile_token, |h, _| {
        let data = req.auxiliary_data.trim();
        if !h.def.aux.contains(&data) {
            let offered = if h.def.aux.is_empty() {
                "none".to_owned()
            } else {
                h.def.aux.join(", ")
            };
            return Err(invalid(
                "InvalidArgs",
                format!(
                    "{} has no auxiliary command {data:?} (offered: {offered})",
                    h.def.token
                ),
            ));
        }
        h.last_aux = Some(data.to_owned());
        Ok(SendAuxiliaryCommandResponse {
            auxiliary_response: data.to_owned(),
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Capabilities

fn capabilities() -> ServiceCapabilities {
    ServiceCapabilities {
        eflip: Some(false),
        reverse: Some(false),
        get_compatible_configurations: Some(true),
        move_status: Some(true),
        status_position: Some(true),
        move_and_track: Vec::new(),
    }
}

fn get_service_capabilities(
    _: &Ctx<'_>,
    _: GetServiceCapabilities,
) -> Result<ServiceCapabilities, Fault> {
    Ok(capabilities())
}

/// `tptz:Capabilities`, flattened.
fn ptz_capabilities(_: &Ctx<'_>) -> BTreeMap<String, String> {
    capabilities().flags()
}
