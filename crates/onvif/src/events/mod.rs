//! Events: a managed session that follows a camera's events and stays alive.
//!
//! [`EventSession::pull`] creates a pull-point subscription and runs it in the background:
//! PullMessages long polls at the subscription's own address (with `wsa:To`, `wsa:Action`, a
//! fresh `wsa:MessageID` and every reference parameter echoed as a header), renewal at about
//! 80 % of the granted time (with jitter, never twice within 0.75 s), and, when the
//! subscription dies (a `ResourceUnknown` fault, a refused connection, a reboot, or two failed
//! pulls in a row: one failed pull is tried again on the same subscription), re-creation with
//! bounded exponential back-off and jitter (and a cap on failed attempts per window: a
//! subscription that works resets both), followed by SetSynchronizationPoint so current states
//! are sent again. A wait the cap makes longer than the back-off is signalled; while the camera
//! does not answer at all it is asked the time (unauthenticated) every 2 s or so, and the next
//! attempt made as soon as it answers again (an answer counts only after a question went
//! unanswered: a camera whose device service answers all along gets the back-off). A
//! subscription given up while it may still be alive is unsubscribed first (bounded). Refused
//! credentials end the session (`Lost`, then `Closed`) instead of being retried: cameras lock
//! accounts. Events and lifecycle signals come out of one channel; [`SessionHandle::close`]
//! unsubscribes.
//!
//! [`EventSession::push`] subscribes with WS-BaseNotification instead and receives `Notify`
//! on a small HTTP listener (one unguessable path per subscription, bodies capped, others'
//! notifications refused); [`EventSession::auto`] pushes when a notification arrives and pulls
//! otherwise. A push session hears nothing from a camera that restarted (and forgot the
//! subscription), so it checks the subscription with a Renew every
//! [`SessionConfig::liveness`]: a notification received since the last check makes it
//! needless, one failed check is tried again at once (two in a row, ResourceUnknown or a
//! refused connection replace the subscription), and a camera that answers the check as not
//! supported has checks turned off for that subscription ([`Lifecycle::LivenessCheckOff`],
//! said once). A camera that grants far less than a relative termination time asked for is
//! asked an absolute time in its own clock: when that is granted, the session switches to
//! absolute times; when it is not, the camera simply grants short times (said once).
//!
//! Every decision is made by the sans-IO state machine [`onvif_proto::session::Session`]; the
//! session's task only performs its requests. The event service's one-off operations
//! (properties, current messages, seeking) are methods of [`Camera`](crate::Camera).

mod config;
pub(crate) mod item;
mod listening;
mod push_guard;
mod push_listener;
mod runner;
mod session;

pub use config::{PushConfig, PushLimits, SessionConfig};
pub use item::{Event, SessionItem};
pub use onvif_proto::session::Lifecycle;
#[doc(hidden)]
pub use push_listener::push_request_in_process;
pub use session::{EventSession, SessionHandle};
