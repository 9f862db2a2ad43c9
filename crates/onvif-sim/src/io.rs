//! Relay outputs and digital inputs: their settings, and the timers of monostable relays.
//!
//! Two relays: `RelayOutput_1` (bistable, open when idle) and `RelayOutput_2` (monostable,
//! 1 s, closed when idle). Two digital inputs, `DigitalInput_1` and `DigitalInput_2`. Their
//! logical states live in the event hub, which reports every change
//! (`tns1:Device/Trigger/Relay`, `tns1:Device/Trigger/DigitalInput`); this module keeps the
//! settings; the task that returns each activated monostable relay to idle after its delay is
//! the DeviceIO service's (`services::deviceio::start_relays`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use onvif_proto::ops::deviceio::{
    DigitalIdleState, DigitalInput, FloatList, RelayIdleState, RelayMode, RelayOutput,
    RelayOutputOptions, RelayOutputSettings,
};
use tokio::sync::Notify;
use tokio::time::Instant;

/// The delay times a monostable relay accepts, in seconds: a range.
pub(crate) const DELAY_RANGE: (f64, f64) = (0.1, 600.0);

/// One relay: its settings, and when an activated monostable relay goes back to idle.
#[derive(Debug, Clone)]
pub(crate) struct Relay {
    pub output: RelayOutput,
    pub release_at: Option<Instant>,
}

/// The relays and inputs.
#[derive(Debug)]
pub(crate) struct IoState {
    pub relays: Vec<Relay>,
    pub inputs: Vec<DigitalInput>,
}

/// Relays and inputs, shared by the handlers, and the wake-up of the release timer.
#[derive(Debug)]
pub(crate) struct Io {
    pub state: Mutex<IoState>,
    pub wake: Arc<Notify>,
}

impl Default for Io {
    fn default() -> Self {
        let relay = |token: &str, mode, secs, idle_state| Relay {
            output: RelayOutput {
                token: token.into(),
                properties: RelayOutputSettings {
                    mode,
                    delay_time: Duration::from_secs(secs),
                    idle_state,
                },
            },
            release_at: None,
        };
        let input = |token: &str, idle| DigitalInput {
            token: token.into(),
            idle_state: Some(idle),
        };
        Io {
            state: Mutex::new(IoState {
                relays: vec![
                    relay(
                        "RelayOutput_1",
                        RelayMode::Bistable,
                        0,
                        RelayIdleState::Open,
                    ),
                    relay(
                        "RelayOutput_2",
                        RelayMode::Monostable,
                        1,
                        RelayIdleState::Closed,
                    ),
                ],
                inputs: vec![
                    input("DigitalInput_1", DigitalIdleState::Open),
                    input("DigitalInput_2", DigitalIdleState::Closed),
                ],
            }),
            wake: Arc::new(Notify::new()),
        }
    }
}

impl IoState {
    /// The relay of this token.
    pub(crate) fn relay_mut(&mut self, token: &str) -> Option<&mut Relay> {
        self.relays.iter_mut().find(|r| r.output.token == token)
    }

    /// Is this a digital input's token?
    pub(crate) fn has_input(&self, token: &str) -> bool {
        self.inputs.iter().any(|i| i.token == token)
    }
}

/// What a relay accepts: both modes, delays in [`DELAY_RANGE`].
pub(crate) fn options(token: &str) -> RelayOutputOptions {
    RelayOutputOptions {
        token: token.to_owned(),
        modes: vec![RelayMode::Monostable, RelayMode::Bistable],
        delay_times: Some(FloatList(vec![DELAY_RANGE.0, DELAY_RANGE.1])),
        discrete: Some(false),
    }
}
