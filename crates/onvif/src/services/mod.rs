//! One module per ONVIF service, each holding every [`Camera`](crate::Camera) method of that
//! service.

/// Device management.
pub mod device;
/// Imaging.
pub mod imaging;
/// Media and Media2.
pub mod media;
/// PTZ.
pub mod ptz;
