//! A simulated ONVIF camera on loopback: the project's test peer, demo and benchmark target.
//!
//! It is a real HTTP/1.1 server (axum on tokio) that answers device management, Media (ver10),
//! Media2 (ver20), Imaging (ver20), PTZ (ver20), events, DeviceIO, analytics, recording,
//! search and replay operations from the same typed model the
//! client parses
//! ([`onvif_proto::ops`]): requests are read with `Message::read`, answers written with
//! `Message::write` inside [`onvif_proto::soap::envelope`].
//!
//! The camera has one video source (`VideoSource_1`, 1920x1080, 25 fps) and three profiles:
//! `Profile_1` "mainStream" (H.264 1920x1080, with PTZ configuration `PTZConfig_1`),
//! `Profile_2` "subStream" (H.264 640x360) and `Profile_3` "h265Stream" (H.265 2560x1440,
//! with PTZ configuration `PTZConfig_2`), the last shown by Media2 only.
//! SetVideoEncoderConfiguration, SetImagingSettings and focus moves change its state within
//! the ranges its options give. Its two PTZ heads really move over time (a generic one, and
//! one in degrees with a zoom range of 0..0.5), on real time or on a clock the test steps
//! ([`SimConfig::manual_clock`], [`SimHandle::advance`], [`SimHandle::ptz_position`],
//! [`SimHandle::ptz_watch`]); see [`HeadState`]. Stream URIs are
//! `rtsp://<host the request came to>:8554/<profile token>` ([`RTSP_PORT`]): **nothing listens
//! on that port**, the simulator speaks ONVIF, not RTSP. Snapshot URIs are
//! `http://<host>:<port>/onvif/snapshot?profile=<token>` and serve a real generated JPEG,
//! behind HTTP Digest by default ([`SnapshotAuth`]). The lying-address quirks apply to these
//! URIs as to service addresses.
//!
//! It has two postures. By default it behaves like a well-made real camera: it enforces what
//! cameras enforce (the password, WS-Security `Created` within 5 minutes of the *camera*
//! clock, nonces never accepted twice, HTTP Digest nonces its own and `(nc, cnonce)` never
//! reused, termination times, subscription addresses) and accepts what they accept (SOAP 1.1,
//! answered in SOAP 1.1; an announced action that differs from the WSDL's, only logged;
//! subscription requests without the reference parameter, or echoing it without
//! `wsa:IsReferenceParameter`). [`SimConfig::strict`] (`onvif sim --strict`) adds the pedantic
//! checks that catch a client's own mistakes: SOAP 1.2 only, declared prefixes only, one Body
//! element, announced actions must match, reference parameters echoed and marked; this
//! project's own tests run against it. Vendor behaviour can be switched on with [`Quirk`]s.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use onvif_sim::{AuthMode, Quirk, SimConfig};
//! let cam = SimConfig::new()
//!     .credentials("admin", "secret")
//!     .auth(AuthMode::Either)
//!     .clock_skew_secs(3600)
//!     .quirk(Quirk::DoubledPort)
//!     .start()
//!     .await?;
//! println!("device service at {}", cam.url());
//! cam.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Routes: `POST /onvif/device_service`, `/onvif/media_service`, `/onvif/media2_service`,
//! `/onvif/imaging_service`, `/onvif/ptz_service`, `/onvif/event_service` (and its
//! subscription managers), `/onvif/deviceio_service`, `/onvif/analytics_service`,
//! `/onvif/recording_service`, `/onvif/search_service`, `/onvif/replay_service` (every service at `/onvif/service` with
//! [`Quirk::Tapo`]) and
//! `GET /onvif/snapshot`; other paths 404, other methods 405. Faults follow SOAP 1.2's HTTP binding:
//! 400 for `Sender`, 500 for `Receiver`, `VersionMismatch` and `MustUnderstand` (a SOAP 1.1
//! request gets a SOAP 1.1 fault with 500, as its binding says); authentication failures are
//! 400 + `ter:NotAuthorized` or 401 + Digest challenge depending on [`AuthMode`].
//! Bodies over [`SimConfig::max_body`] get 413, bodies slower than
//! [`SimConfig::read_timeout`] get 408. Each connection has deadlines (request head, whole
//! request, wait between requests), not idle timers a trickle restarts; a new connection is
//! always accepted, and one address's idle or stuck connections make room for it
//! ([`SimConfig::max_connections_per_peer`], [`SimConfig::max_connections`]), so slow, idle or
//! busy crowds do not keep a normal client from being answered.
//!
//! Events: `/onvif/event_service` answers GetEventProperties, GetServiceCapabilities,
//! CreatePullPointSubscription, Subscribe (push: Notify is POSTed to the consumer) and
//! GetCurrentMessage; each subscription is managed at `/onvif/subscription/<id>` (another port
//! with [`Quirk::Tapo`]); its reference parameter need only come back with
//! [`Quirk::RefParamsRequired`] or [`SimConfig::strict`]. Events come from
//! [`SimHandle::emit_motion`], [`SimHandle::emit_digital_input`], [`SimHandle::emit_tamper`]
//! or [`SimConfig::events_motion_every`]; [`SimHandle::reboot_events`],
//! [`SimHandle::events_outage`], [`SimHandle::power_off`] / [`SimHandle::power_on`] (a crash
//! and restart: nothing answered meanwhile, every subscription forgotten; SystemReboot does
//! the same for [`SimConfig::reboot_downtime`]) and [`EventQuirk`]s
//! exercise a client's recovery; [`SimHandle::cut_next`] cuts the connections of one
//! operation's next requests.
//!
//! Recordings (`/onvif/recording_service`, `/onvif/search_service`, `/onvif/replay_service`):
//! a fixed timeline of two recordings with motion events at known times; searches for
//! recordings and events are paged sessions that EndSearch ends, at most four open at once,
//! each forgotten after its KeepAliveTime ([`SimHandle::open_searches`] shows the open ones).
//! Replay URIs are `rtsp://<host>:8554/replay/<recording>`, where nothing listens either.
//!
//! WS-Discovery: with [`SimConfig::discovery`] the camera also answers Probes on a UDP
//! address and sends Hello when it starts and Bye when it stops.

mod accounts;
mod analytics;
mod archive;
mod auth;
mod backup;
mod config;
mod discovery;
mod events;
mod fault;
#[doc(hidden)]
pub mod fuzzing;
mod handle;
mod io;
mod media;
mod names;
mod net;
mod network;
mod osd;
mod ptz;
mod replay;
mod server;
mod services;
mod snapshot;
mod state;
mod sync;
mod tls;
mod upload;

pub use auth::{AuthFailure, REALM as DIGEST_REALM};
pub use config::{
    AuthMode, DEFAULT_REBOOT_DOWNTIME, Quirk, SimConfig, SnapshotAuth, default_device_info,
};
pub use events::{EventQuirk, IGNORED_RELATIVE_GRANT, SHORT_GRANT};
pub use handle::SimHandle;
pub use media::{FocusState, RTSP_PORT};
pub use ptz::{HeadState, PtzSnapshot};
pub use replay::Replay;
pub use state::SimStats;
pub use tls::TlsIdentity;
pub use upload::{FIRMWARE_MAGIC, firmware_image};
