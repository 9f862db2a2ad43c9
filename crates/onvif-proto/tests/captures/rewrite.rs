//! Real answers written back (as the simulator would) and read again (as the client would).

use super::*;

fn rewrite<M: Message + PartialEq + Debug>(file: &str, el: &Element) -> Result<(), String> {
    let first = M::read(el).map_err(|e| format!("{file}: {e}"))?;
    let doc = envelope(None, &write(&first));
    let again = Envelope::parse(doc.as_bytes())
        .and_then(|env| M::read(env.payload()?))
        .map_err(|e| format!("{file}: our own output does not read back: {e}\n{doc}"))?;
    if again == first {
        Ok(())
    } else {
        Err(format!(
            "{file}: changed by write + read:\n  {first:?}\n  {again:?}"
        ))
    }
}

#[test]
fn typed_captures_survive_being_written_and_read_again() {
    let Some(dir) = captures_dir() else { return };
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in index(&dir) {
        if !DEVICE_RESPONSES.contains(&row.op())
            || matches!(expectation(&row.file), Some(Expect::Fails(_)))
        {
            continue;
        }
        let bytes = read(&dir, &row.file);
        let env = Envelope::parse(&bytes).unwrap();
        let el = env.payload().unwrap();
        if row.op() == "GetServiceCapabilitiesResponse" && el.ns.as_deref() != Some(ns::TDS) {
            continue;
        }
        let f = row.file.as_str();
        let r = match row.op() {
            "GetSystemDateAndTimeResponse" => rewrite::<SystemDateAndTime>(f, el),
            "SetSystemDateAndTimeResponse" => rewrite::<SetSystemDateAndTimeResponse>(f, el),
            "GetDeviceInformationResponse" => rewrite::<DeviceInformation>(f, el),
            "GetCapabilitiesResponse" => rewrite::<Capabilities>(f, el),
            "GetServicesResponse" => rewrite::<Services>(f, el),
            "GetServiceCapabilitiesResponse" => rewrite::<ServiceCapabilities>(f, el),
            "GetScopesResponse" => rewrite::<Scopes>(f, el),
            "GetHostnameResponse" => rewrite::<HostnameInformation>(f, el),
            "GetNetworkInterfacesResponse" => rewrite::<NetworkInterfaces>(f, el),
            "GetNTPResponse" => rewrite::<NtpInformation>(f, el),
            "SystemRebootResponse" => rewrite::<RebootResponse>(f, el),
            other => Err(format!("{f}: no type for {other}")),
        };
        checked += 1;
        if let Err(e) = r {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(checked > 0);
}

#[test]
fn the_probe_match_capture_is_a_soap_envelope_too() {
    let Some(dir) = captures_dir() else { return };
    let env = Envelope::parse(&read(&dir, "agsh-onvif/Probe.xml")).unwrap();
    assert_eq!(env.version, SoapVersion::Soap12);
    let p = env.payload().unwrap();
    assert!(p.is(
        "http://schemas.xmlsoap.org/ws/2005/04/discovery",
        "ProbeMatches"
    ));
    assert!(env.header.is_some());
    // Decoded as a discovery message, with its headers.
    let d = decode::decode(&read(&dir, "agsh-onvif/Probe.xml")).unwrap();
    assert_eq!(d.kind, "typed");
    let data = d.data.unwrap();
    assert_eq!(data["headers"]["relates_to"], "RELATES_TO");
}
