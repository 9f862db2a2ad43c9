//! Device-service answers read into typed values.

use super::*;

/// Read a response element with the library's type for it; `None` for other operations.
fn read_typed(op: &str, el: &Element) -> Option<Result<(), Error>> {
    fn r<M: Message>(el: &Element) -> Result<(), Error> {
        M::read(el).map(drop)
    }
    Some(match op {
        "GetSystemDateAndTimeResponse" => r::<SystemDateAndTime>(el),
        "SetSystemDateAndTimeResponse" => r::<SetSystemDateAndTimeResponse>(el),
        "GetDeviceInformationResponse" => r::<DeviceInformation>(el),
        "GetCapabilitiesResponse" => r::<Capabilities>(el),
        "GetServicesResponse" => r::<Services>(el),
        "GetServiceCapabilitiesResponse" => r::<ServiceCapabilities>(el),
        "GetScopesResponse" => r::<Scopes>(el),
        "GetHostnameResponse" => r::<HostnameInformation>(el),
        "GetNetworkInterfacesResponse" => r::<NetworkInterfaces>(el),
        "GetNTPResponse" => r::<NtpInformation>(el),
        "SystemRebootResponse" => r::<RebootResponse>(el),
        _ => return None,
    })
}

/// Item 2: every capture of a device operation the library implements reads into its type,
/// through `decode` (kind `typed`) and through the type's `Message::read`.
#[test]
fn every_device_response_capture_reads_typed() {
    let Some(dir) = captures_dir() else { return };
    let mut failures = Vec::new();
    let mut typed = 0;
    for row in index(&dir) {
        if !DEVICE_RESPONSES.contains(&row.op()) {
            continue;
        }
        if matches!(expectation(&row.file), Some(Expect::Fails(_))) {
            continue; // not XML at all: checked by the test above
        }
        let bytes = read(&dir, &row.file);
        let env = match Envelope::parse(&bytes) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{}: {e}", row.file));
                continue;
            }
        };
        let payload = env.payload().unwrap();
        // GetServiceCapabilitiesResponse exists in every service: only the device's is ours.
        if row.op() == "GetServiceCapabilitiesResponse" && payload.ns.as_deref() != Some(ns::TDS) {
            continue;
        }
        let d = decode::decode(&bytes).unwrap();
        let direct = read_typed(row.op(), payload).unwrap();
        match (d.kind, &d.typed_error, direct) {
            ("typed", None, Ok(())) => typed += 1,
            (_, Some(te), Err(e)) if row.is_template() => {
                // A template's placeholder in a typed field: fine, if the error names the field.
                if !(te.contains("invalid value") || te.contains("is missing")) {
                    failures.push(format!("{} (template): unclear error {te} / {e}", row.file));
                }
            }
            (kind, te, direct) => failures.push(format!(
                "{}: decode kind {kind}, typed error {te:?}, Message::read {:?}",
                row.file,
                direct.err().map(|e| e.to_string())
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{typed} device responses read typed");
    assert!(typed > 0, "no device response among the captures");
}

/// GetServiceCapabilitiesResponse of another service is not taken for the device's, even when
/// its prefix is bound nowhere and the namespace cannot tell.
#[test]
fn other_services_capabilities_are_not_read_as_the_device_ones() {
    let Some(dir) = captures_dir() else { return };
    for file in [
        "agsh-onvif/imaging.GetServiceCapabilities.xml", // timg: prefix bound nowhere
        "agsh-onvif/media.GetServiceCapabilities.xml",
        "ex_onvif/get_media_service_capabilities.xml",
        "easy_onvif/SUNBA/ptz/GetServiceCapabilitiesResponse.xml",
    ] {
        let env = Envelope::parse(&read(&dir, file)).unwrap();
        let el = env.payload().unwrap();
        assert_eq!(el.name, "GetServiceCapabilitiesResponse", "{file}");
        if let Some(d) = decode::decoder_for(el) {
            assert_ne!(d.ns, ns::TDS, "{file} is read as the device's capabilities");
        }
        assert!(
            ServiceCapabilities::read(el).is_err() || el.unbound,
            "{file}: the device type accepts another service's element"
        );
    }
    let env =
        Envelope::parse(&read(&dir, "agsh-onvif/imaging.GetServiceCapabilities.xml")).unwrap();
    let el = env.payload().unwrap();
    assert!(el.unbound);
    assert!(
        decode::decoder_for(el).is_none(),
        "an unbound GetServiceCapabilitiesResponse names no service"
    );
    assert_eq!(
        decode::decode(&read(&dir, "agsh-onvif/imaging.GetServiceCapabilities.xml"))
            .unwrap()
            .kind,
        "generic"
    );
    // The device's own is typed, with its flags.
    let caps: ServiceCapabilities = read_as(&dir, "agsh-onvif/GetServiceCapabilities.xml");
    assert_eq!(caps.flags.get("Network.NTP").map(String::as_str), Some("1"));
    assert!(caps.flag("Security.UsernameToken"));
    assert!(!caps.flag("Security.TLS1.2"));
}
