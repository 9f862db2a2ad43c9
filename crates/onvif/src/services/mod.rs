//! One module per ONVIF service, each holding every [`Camera`](crate::Camera) method of that
//! service.

/// Analytics: modules, rules, the cell motion grid.
pub mod analytics;
/// Device management.
pub mod device;
/// Device management: accounts, network and system settings.
pub mod device_settings;
/// Relay outputs and digital inputs (DeviceIO, and the device service's relays).
pub mod deviceio;
/// Events: properties, current messages, seeking (sessions are in `crate::events`).
pub mod events;
/// Imaging.
pub mod imaging;
/// Media and Media2.
pub mod media;
/// On-screen displays (Media2).
pub mod osd;
/// PTZ.
pub mod ptz;
/// Recording: recordings, their configuration, recording jobs.
pub mod recording;
/// Replay: the RTSP address of a recording.
pub mod replay;
/// Search: the recording summary, and searches for recordings and events, always ended.
pub mod search;
/// Device management, the uploads: firmware images and configuration backups.
pub mod system;
