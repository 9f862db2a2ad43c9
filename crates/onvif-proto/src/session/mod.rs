//! A managed event session, sans I/O: the decisions that keep a subscription alive, as a
//! state machine the client drives (the way quinn-proto drives a QUIC connection).
//!
//! [`Session`] creates a pull-point subscription (or, in push mode, a WS-BaseNotification
//! one), long polls it with PullMessages, renews it at about 80 % of the granted time (with
//! jitter, never twice within [`MIN_RENEW_GAP`]), and, when it dies (a `ResourceUnknown`
//! fault, a refused connection, or two failed pulls in a row: one failed pull is tried again
//! on the same subscription), re-creates it with bounded exponential back-off and jitter
//! (and a cap on failed attempts per window: a subscription that works resets both),
//! followed by SetSynchronizationPoint so current states are sent again ([`States`] keeps a
//! driver from delivering a state twice). A wait the cap makes
//! longer than the back-off is signalled; while the camera does not answer at all it is
//! probed (asked the time, unauthenticated) every 2 s or so, and the next attempt made as
//! soon as it answers again (an answer counts only after a probe went unanswered). A
//! subscription given up while it may still be alive is unsubscribed first (bounded).
//! Refused credentials end the session (`Lost`, then `Closed`) instead of being retried:
//! cameras lock accounts.
//!
//! In push mode the subscription is checked with a Renew every [`Config::liveness`]: a
//! notification received since the last check makes it needless, one failed check is tried
//! again at once (two in a row, `ResourceUnknown` or a refused connection replace the
//! subscription), and a camera that answers the check as not supported has checks turned off
//! for that subscription (said once). A camera that grants far less than a relative
//! termination time asked for is asked an absolute time in its own clock: when that is
//! granted, the session switches to absolute times; when it is not, the camera simply grants
//! short times (said once).
//!
//! A subscription that goes quiet for [`Config::silence`] is asked for its current states
//! (SetSynchronizationPoint); when the camera answered its creation with states and now
//! answers nothing within [`SILENCE_GRACE`], the subscription is replaced: some firmwares keep
//! a subscription but stop queueing, and a push subscription may be renewed fine while its
//! notifications no longer reach us. In pull mode a camera that refuses Renew while its pull
//! point still answers is no longer renewed: the long polls keep it alive (said once).
//!
//! The session reads no clock and makes no request: the driver passes the time in with every
//! call, makes the [`Request`]s it is asked for, and feeds each answer back. Jitter comes from
//! a seed the driver gives, so a run can be replayed exactly.

mod lifecycle;
mod machine;
mod states;
mod types;

#[cfg(test)]
mod tests;

pub use lifecycle::{Lifecycle, Output};
pub use machine::Session;
pub use states::{MAX_REMEMBERED_BYTES, MAX_REMEMBERED_STATES, States};
pub use types::{
    Config, EARLY_EMPTY_PAUSE, Failure, FailureKind, Grant, MIN_RENEW_GAP, Mode, PROBE_EVERY,
    PROBE_LIMIT, PROVEN_AFTER, Request, SILENCE_GRACE, Termination, UNSUBSCRIBE_LIMIT,
};
