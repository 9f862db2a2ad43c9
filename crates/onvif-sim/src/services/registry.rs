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

#[cfg(test)]
mod tests {
    use onvif_proto::ops::Service;

    use super::SERVICES;

    #[test]
    fn every_operation_is_in_its_service_namespace_with_the_standard_action() {
        for s in SERVICES {
            for op in s.ops {
                if s.service == Service::Events && op.ns == onvif_proto::ns::WSNT {
                    // WS-BaseNotification's Subscribe, served by the event service.
                    continue;
                }
                if s.service == Service::DeviceIo {
                    // DeviceIO serves two device-service elements (GetRelayOutputs,
                    // SetRelayOutputState); its actions spell the namespace `deviceio`.
                    assert!(op.ns == s.service.namespace() || op.ns == onvif_proto::ns::TDS);
                    let io = "http://www.onvif.org/ver10/deviceio/wsdl";
                    assert_eq!(op.action, format!("{io}/{}", op.name));
                    continue;
                }
                assert_eq!(op.ns, s.service.namespace(), "{}", op.name);
                if s.service == Service::Events {
                    // The event service's actions follow its WSDL port types.
                    assert!(op.action.starts_with(op.ns), "{}", op.action);
                } else if s.service == Service::Imaging && op.name == "Stop" {
                    // imaging.wsdl binds Stop to FocusStop.
                    assert_eq!(op.action, format!("{}/FocusStop", op.ns));
                } else {
                    assert_eq!(op.action, format!("{}/{}", op.ns, op.name));
                }
            }
            let mut names: Vec<&str> = s.ops.iter().map(|o| o.name).collect();
            names.sort_unstable();
            let before = names.len();
            names.dedup();
            assert_eq!(before, names.len(), "duplicate operation in {}", s.service);
        }
    }
}
