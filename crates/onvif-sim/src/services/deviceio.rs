//! The DeviceIO service (ver10/deviceIO/wsdl, `tmd:`): relay outputs and digital inputs,
//! and the handlers of the device service's three relay operations, which change the same
//! relays.
//!
//! A relay set active reports `tns1:Device/Trigger/Relay` `active`; a monostable one goes
//! back to `inactive` by itself after its delay ([`start_relays`]; the settings are
//! [`crate::io`]'s).

use std::collections::BTreeMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use onvif_proto::Fault;
use onvif_proto::ops::Service;
use onvif_proto::ops::deviceio::{
    DigitalInputs, GetDigitalInputs, GetRelayOutputOptions, GetRelayOutputs,
    GetServiceCapabilities, IoGetRelayOutputs, IoSetRelayOutputSettings,
    IoSetRelayOutputSettingsResponse, IoSetRelayOutputState, RelayLogicalState, RelayMode,
    RelayOutput, RelayOutputOptionsResponse, RelayOutputs, ServiceCapabilities,
    SetRelayOutputSettings, SetRelayOutputSettingsResponse, SetRelayOutputState,
    SetRelayOutputStateResponse,
};

use super::{Ctx, ServiceDef, flag_capabilities, flags, op, sender};
use tokio::time::Instant;

use crate::events::{DIGITAL_INPUT, RELAY};
use crate::io::{DELAY_RANGE, options};
use crate::state::Shared;
use crate::sync::lock;

/// The DeviceIO service.
pub(crate) static SERVICE: ServiceDef = ServiceDef {
    service: Service::DeviceIo,
    category: Some("DeviceIO"),
    ops: &[
        op!(IoGetRelayOutputs => io_get_relay_outputs),
        op!(IoSetRelayOutputSettings => io_set_relay_output_settings),
        op!(IoSetRelayOutputState => io_set_relay_output_state),
        op!(GetRelayOutputOptions => get_relay_output_options),
        op!(GetDigitalInputs => get_digital_inputs),
        op!(GetServiceCapabilities => get_service_capabilities),
    ],
    capabilities: deviceio_capabilities,
    category_flags: deviceio_flags,
};

/// `Sender / ter:InvalidArgVal / ter:RelayToken`: no relay of this token.
fn unknown_relay(token: &str) -> Fault {
    sender(
        &["InvalidArgVal", "RelayToken"],
        format!("no relay output {token:?} (see GetRelayOutputs)"),
    )
}

/// Also the device service's.
pub(super) fn get_relay_outputs(ctx: &Ctx<'_>, _: GetRelayOutputs) -> Result<RelayOutputs, Fault> {
    Ok(RelayOutputs {
        relays: lock(&ctx.shared.io.state)
            .relays
            .iter()
            .map(|r| r.output.clone())
            .collect(),
    })
}

fn io_get_relay_outputs(ctx: &Ctx<'_>, _: IoGetRelayOutputs) -> Result<RelayOutputs, Fault> {
    get_relay_outputs(ctx, GetRelayOutputs)
}

/// The delay of a monostable relay must lie in [`DELAY_RANGE`]: `ter:ModeError` otherwise.
fn set_settings(ctx: &Ctx<'_>, relay: RelayOutput) -> Result<(), Fault> {
    let p = &relay.properties;
    let secs = p.delay_time.as_secs_f64();
    if p.mode == RelayMode::Monostable && !(DELAY_RANGE.0..=DELAY_RANGE.1).contains(&secs) {
        return Err(sender(
            &["InvalidArgVal", "ModeError"],
            format!(
                "monostable delay time {secs} s is outside {} to {} s",
                DELAY_RANGE.0, DELAY_RANGE.1
            ),
        ));
    }
    let mut io = lock(&ctx.shared.io.state);
    let r = io
        .relay_mut(&relay.token)
        .ok_or_else(|| unknown_relay(&relay.token))?;
    r.output.properties = relay.properties;
    Ok(())
}

/// Also the device service's.
pub(super) fn set_relay_output_settings(
    ctx: &Ctx<'_>,
    req: SetRelayOutputSettings,
) -> Result<SetRelayOutputSettingsResponse, Fault> {
    set_settings(
        ctx,
        RelayOutput {
            token: req.token,
            properties: req.properties,
        },
    )?;
    Ok(SetRelayOutputSettingsResponse)
}

fn io_set_relay_output_settings(
    ctx: &Ctx<'_>,
    req: IoSetRelayOutputSettings,
) -> Result<IoSetRelayOutputSettingsResponse, Fault> {
    set_settings(ctx, req.relay)?;
    Ok(IoSetRelayOutputSettingsResponse)
}

/// Activate or release a relay; an activated monostable relay is released after its delay.
fn set_state(ctx: &Ctx<'_>, token: &str, state: RelayLogicalState) -> Result<(), Fault> {
    let active = state == RelayLogicalState::Active;
    {
        let mut io = lock(&ctx.shared.io.state);
        let r = io.relay_mut(token).ok_or_else(|| unknown_relay(token))?;
        let p = &r.output.properties;
        r.release_at = (active && p.mode == RelayMode::Monostable)
            .then(|| tokio::time::Instant::now() + p.delay_time);
    }
    ctx.shared
        .events
        .emit_keyed(ctx.shared.camera_now(), RELAY, token, active);
    ctx.shared.io.wake.notify_one();
    Ok(())
}

/// Also the device service's.
pub(super) fn set_relay_output_state(
    ctx: &Ctx<'_>,
    req: SetRelayOutputState,
) -> Result<SetRelayOutputStateResponse, Fault> {
    set_state(ctx, &req.token, req.state)?;
    Ok(SetRelayOutputStateResponse)
}

/// The same as the device service's, in DeviceIO's namespace.
fn io_set_relay_output_state(
    ctx: &Ctx<'_>,
    IoSetRelayOutputState { token, state }: IoSetRelayOutputState,
) -> Result<SetRelayOutputStateResponse, Fault> {
    set_relay_output_state(ctx, SetRelayOutputState { token, state })
}

fn get_relay_output_options(
    ctx: &Ctx<'_>,
    req: GetRelayOutputOptions,
) -> Result<RelayOutputOptionsResponse, Fault> {
    let io = lock(&ctx.shared.io.state);
    let tokens: Vec<&str> = io.relays.iter().map(|r| r.output.token.as_str()).collect();
    let options = match req.token.as_deref() {
        None => tokens.iter().map(|t| options(t)).collect(),
        Some(t) if tokens.contains(&t) => vec![options(t)],
        Some(t) => return Err(unknown_relay(t)),
    };
    Ok(RelayOutputOptionsResponse { options })
}

fn get_digital_inputs(ctx: &Ctx<'_>, _: GetDigitalInputs) -> Result<DigitalInputs, Fault> {
    Ok(DigitalInputs {
        inputs: lock(&ctx.shared.io.state).inputs.clone(),
    })
}

flag_capabilities!(deviceio_capabilities);

/// `tmd:Capabilities`, flattened: how many of each kind of port.
fn deviceio_capabilities(ctx: &Ctx<'_>) -> BTreeMap<String, String> {
    let io = lock(&ctx.shared.io.state);
    let relays = io.relays.len().to_string();
    let inputs = io.inputs.len().to_string();
    flags(&[
        ("VideoSources", "1"),
        ("VideoOutputs", "0"),
        ("AudioSources", "0"),
        ("AudioOutputs", "0"),
        ("RelayOutputs", &relays),
        ("SerialPorts", "0"),
        ("DigitalInputs", &inputs),
        ("DigitalInputOptions", "false"),
    ])
}

/// `tt:DeviceIOCapabilities` of GetCapabilities, flattened: the service's own capabilities
/// up to the relays (that older form has no serial ports or inputs).
fn deviceio_flags(ctx: &Ctx<'_>) -> BTreeMap<String, String> {
    const OLDER: [&str; 5] = [
        "VideoSources",
        "VideoOutputs",
        "AudioSources",
        "AudioOutputs",
        "RelayOutputs",
    ];
    let mut f = deviceio_capabilities(ctx);
    f.retain(|k, _| OLDER.contains(&k.as_str()));
    f
}

/// Declare the relays and inputs to the event hub, and start the task that releases
/// monostable relays when their delay is over (it ends with the camera).
pub(crate) fn start_relays(shared: &Arc<Shared>) {
    {
        let io = lock(&shared.io.state);
        for r in &io.relays {
            shared.events.declare(RELAY, &r.output.token);
        }
        for i in &io.inputs {
            shared.events.declare(DIGITAL_INPUT, &i.token);
        }
    }
    let weak: Weak<Shared> = Arc::downgrade(shared);
    tokio::spawn(async move {
        loop {
            let Some(shared) = weak.upgrade() else {
                return;
            };
            let wake = Arc::clone(&shared.io.wake);
            let woken = wake.notified();
            let next = {
                let now = Instant::now();
                let mut io = lock(&shared.io.state);
                let mut released = Vec::new();
                for r in &mut io.relays {
                    if r.release_at.is_some_and(|t| t <= now) {
                        r.release_at = None;
                        released.push(r.output.token.clone());
                    }
                }
                drop(io);
                for token in released {
                    shared
                        .events
                        .emit_keyed(shared.camera_now(), RELAY, &token, false);
                }
                lock(&shared.io.state)
                    .relays
                    .iter()
                    .filter_map(|r| r.release_at)
                    .min()
            };
            // Hold only a weak reference while waiting, so the camera can go away (the task
            // then ends at its next look, within 5 s).
            let io_wait = async {
                match next {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            };
            drop(shared);
            tokio::select! {
                () = woken => {}
                () = io_wait => {}
                () = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    });
}
