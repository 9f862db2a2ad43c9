//! Fault answers read as typed faults.

use super::*;

#[test]
fn fault_captures_read_as_typed_faults() {
    let Some(dir) = captures_dir() else { return };

    let bytes = read(&dir, "ex_onvif/soap_fault.xml");
    let env = Envelope::parse(&bytes).unwrap();
    let err = try_read_as::<DeviceInformation>(&bytes).unwrap_err();
    let f = err.as_fault().expect("a Fault becomes Error::Fault");
    assert_eq!(Some(f), env.fault().as_ref());
    // `env:Sender` with `env` bound nowhere in that file: the name is kept, the namespace unknown.
    assert_eq!(f.code.name, "Sender");
    assert!(f.code.is(ns::SOAP12, "Sender"));
    let subs: Vec<(Option<&str>, &str)> = f
        .subcodes
        .iter()
        .map(|s| (s.ns.as_deref(), s.name.as_str()))
        .collect();
    assert_eq!(
        subs,
        [
            (Some(ns::TER), "InvalidArgVal"),
            (Some(ns::TER), "NoProfile")
        ]
    );
    assert_eq!(f.reason, "Argument Value Invalid");
    let detail = f.detail.as_deref().unwrap();
    assert!(detail.contains("No such profile"), "{detail}");
    assert!(
        detail.contains("The requested profile does not exist"),
        "{detail}"
    );
    assert!(f.has_subcode("NoProfile"));
    assert!(!f.is_not_authorized());
    let d = decode::decode(&bytes).unwrap();
    assert_eq!((d.kind, d.operation.as_str()), ("fault", "Fault"));

    let f = Envelope::parse(&read(
        &dir,
        "easy_onvif/IPG-8150PSS/device_management/Fault.xml",
    ))
    .unwrap()
    .fault()
    .unwrap();
    assert_eq!(f.code.ns.as_deref(), Some(ns::SOAP12));
    assert_eq!(f.code.name, "Receiver");
    assert!(f.is_action_not_supported());
    assert_eq!(f.reason, "Action Not Implemented");
    assert_eq!(f.detail, None);

    let f = Envelope::parse(&read(
        &dir,
        "easy_onvif/ENP1A14-IR_25X/device_management/Fault.xml",
    ))
    .unwrap()
    .fault()
    .unwrap();
    assert!(f.code.is(ns::SOAP12, "Sender"));
    let subs: Vec<&str> = f.subcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subs, ["OperationProhibited", "Password"]);
    assert_eq!(f.reason, "Too weak password.");
    assert_eq!(f.detail.as_deref(), Some("NULL"));

    // A fault without subcodes, and an empty Detail.
    let f = Envelope::parse(&read(
        &dir,
        "easy_onvif/IPD-H4K8M05-BS/device_management/Fault.xml",
    ))
    .unwrap()
    .fault()
    .unwrap();
    assert_eq!(f.code.name, "Sender");
    assert!(f.subcodes.is_empty());
    assert!(
        f.reason
            .starts_with("Method 'GetStorageConfigurations' not implemented")
    );
    let f = Envelope::parse(&read(&dir, "easy_onvif/SUNBA/device_management/Fault.xml"))
        .unwrap()
        .fault()
        .unwrap();
    assert!(f.is_action_not_supported());
    assert_eq!(f.detail, None);

    // agsh-onvif/Error.xml is checked in captures_that_break_xml_rules_recover_or_say_what_is_wrong.
}
