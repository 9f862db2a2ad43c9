//! Async ONVIF client.
//!
//! [`Camera`] is a cheap-to-clone handle to one device: it finds the device service, measures
//! the camera's clock offset (so WS-Security `Created` values are in the camera's time),
//! resolves and repairs service addresses, and sends typed operations from [`onvif_proto`]
//! with WS-UsernameToken and, when challenged, HTTP Digest. Connections are kept alive;
//! connect and request timeouts and a response size cap always apply.
//!
//! [`events`] follows a camera's events (pull-point or push) in a session that renews,
//! re-creates itself after a reboot or outage, and types each event.
//!
//! The operations of each service are in [`services`] (device and its settings, media, OSD,
//! imaging, PTZ, events, DeviceIO, analytics, recording, search, replay).
//!
//! [`discovery`] finds cameras on the network (WS-Discovery probes, Hello and Bye).
//!
//! [`capture`] records every exchange with a camera as HAR, secrets redacted.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use onvif::{Camera, Config, Credentials, StreamTransport};
//!
//! let creds = Credentials::new("admin", "secret");
//! let cam = Camera::connect("192.0.2.10", Some(creds), Config::default()).await?;
//! let info = cam.device_information().await?;
//! println!("{} {} (firmware {})", info.manufacturer, info.model, info.firmware_version);
//!
//! // The first media profile: its RTSP address, and a snapshot saved to a file.
//! let profile = cam.profile(None).await?;
//! let stream = cam.stream_uri(&profile, StreamTransport::Rtsp).await?;
//! println!("{}: {}", profile.name, stream.uri);
//! let snapshot = cam.snapshot(&profile).await?;
//! std::fs::write("snapshot.jpg", &snapshot.bytes)?;
//!
//! // PTZ: the first profile with a PTZ configuration, to a preset by name or token.
//! let ptz = cam.ptz_target(None).await?;
//! let door = cam.ptz_find_preset(&ptz, "door").await?;
//! cam.ptz_goto_preset(&ptz, &door.token, None).await?;
//!
//! // Events: a pull-point session that renews itself and is made again when lost.
//! use onvif::events::{EventSession, SessionConfig, SessionItem};
//! let (session, mut items) = EventSession::pull(cam.clone(), SessionConfig::default()).await?;
//! while let Some(item) = items.recv().await {
//!     match item {
//!         SessionItem::Event(e) => println!("{} {:?}", e.topic.path, e.kind),
//!         SessionItem::Lifecycle(l) => println!("session: {l}"),
//!     }
//! }
//! session.close().await;
//! # Ok(()) }
//! ```
//!
//! Programs that run against the simulator are in the crate's `examples/`: device
//! information, a snapshot, a PTZ preset, following events.

#![warn(missing_docs)]

pub mod address;
pub mod camera;
pub mod capture;
pub mod discovery;
pub mod error;
pub mod events;
pub mod known;
pub mod services;
pub mod tls;
pub mod transport;
pub(crate) mod util;

pub use services::{media, ptz, system};

/// The bytes of an upload ([`Camera::upload`]), as the `bytes` crate has them.
pub use bytes::Bytes;
pub use camera::{CallOptions, Camera, ClockReading, Endpoints};
pub use error::{Error, ErrorKind};
pub use media::{Snapshot, StreamTransport};
pub use onvif_proto as proto;
pub use transport::{
    AuthScheme, CameraQuirks, Config, Credentials, Exchange, Recorder, Secret, TraceSink,
};
pub use url::Url;
