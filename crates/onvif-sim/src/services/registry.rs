//! The list of services the camera offers.

use super::ServiceDef;
use super::{
    analytics, device, deviceio, events, imaging, media, media2, ptz, recording, replay, search,
};

/// Every service the camera offers.
pub(crate) static SERVICES: &[&ServiceDef] = &[
    &device::SERVICE,
    &media::SERVICE,
    &media2::SERVICE,
    &imaging::SERVICE,
    &ptz::SERVICE,
    &events::SERVICE,
    &analytics::SERVICE,
    &deviceio::SERVICE,
    &recording::SERVICE,
    &search::SERVICE,
    &replay::SERVICE,
];
