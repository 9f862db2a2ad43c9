//! A simulated ONVIF camera on loopback: the project's test peer, demo and benchmark target.
//!
//! It is a real HTTP/1.1 server (axum on tokio) that answers device-management operations from
//! the same typed model the client parses ([`onvif_proto::ops::device`]): requests are read
//! with `Message::read`, answers written with `Message::write` inside
//! [`onvif_proto::soap::envelope`].
//!
//! It is deliberately stricter than real cameras, so it catches client mistakes: SOAP 1.2
//! only, declared prefixes only, one Body element, announced actions must match, WS-Security
//! `Created` checked within 5 minutes of the *camera* clock, nonces never accepted twice,
//! HTTP Digest nonces must be its own and `(nc, cnonce)` never reused. Vendor behaviour can be
//! switched on with [`Quirk`]s.
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
//! Routes: `POST /onvif/device_service` (every service at `/onvif/service` with
//! [`Quirk::Tapo`]); other paths 404, other methods 405. Faults follow SOAP 1.2's HTTP binding:
//! 400 for `Sender`, 500 for `Receiver`, `VersionMismatch` and `MustUnderstand`; authentication
//! failures are 400 + `ter:NotAuthorized` or 401 + Digest challenge depending on [`AuthMode`].
//! Bodies over [`SimConfig::max_body`] get 413, bodies slower than
//! [`SimConfig::read_timeout`] get 408.

mod auth;
mod config;
mod net;
mod server;
mod services;
mod state;

pub use auth::AuthFailure;
pub use config::{AuthMode, Quirk, SimConfig, default_device_info};
pub use server::SimHandle;
pub use state::SimStats;
