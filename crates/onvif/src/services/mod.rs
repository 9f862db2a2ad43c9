//! One module per ONVIF service, each holding every [`Camera`](crate::Camera) method of that
//! service.

/// Device management.
pub mod device;
/// Device management: accounts, network and system settings.
pub mod device_settings;
/// Events: properties, current messages, seeking (sessions are in `crate::events`).
pub mod events;
/// Imaging.
pub mod imaging;
/// Media and Media2.
pub mod media;
/// PTZ.
pub mod ptz;
