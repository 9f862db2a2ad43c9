//! Every capture parses, or fails with a clear error naming what is wrong.
//!
//! Nothing here opens a socket: addresses are values read from the answers, compared as text.

use super::*;

#[test]
fn the_index_lists_every_capture_in_the_folder() {
    let Some(dir) = captures_dir() else { return };
    let rows = index(&dir);
    let on_disk = files(&dir);
    let mut indexed: Vec<String> = rows.iter().map(|r| r.file.clone()).collect();
    indexed.sort();
    let missing: Vec<_> = indexed.iter().filter(|f| !on_disk.contains(f)).collect();
    let unindexed: Vec<_> = on_disk.iter().filter(|f| !indexed.contains(f)).collect();
    assert!(missing.is_empty(), "indexed but absent: {missing:?}");
    assert!(
        unindexed.is_empty(),
        "present but not in INDEX.tsv: {unindexed:?}"
    );
    assert!(!rows.is_empty(), "INDEX.tsv lists no capture");
    // Every capture expat refuses has a decision recorded above, and every decision names one.
    for r in rows.iter().filter(|r| !r.well_formed()) {
        assert!(
            expectation(&r.file).is_some(),
            "{} is not well-formed ({}): add it to NOT_WELL_FORMED with a decision",
            r.file,
            r.well_formed
        );
    }
    for (f, _, _) in NOT_WELL_FORMED {
        let row = rows.iter().find(|r| r.file == *f);
        assert!(
            row.is_some_and(|r| !r.well_formed()),
            "{f} is not indexed as not well-formed"
        );
    }
}

/// Item 1: no capture panics; well-formed ones are SOAP envelopes whose first Body element is
/// the one the index names; malformed ones recover or fail as decided, with a clear error.
#[test]
fn every_capture_parses_or_fails_with_a_clear_error() {
    let Some(dir) = captures_dir() else { return };
    let rows = index(&dir);
    let mut problems = Vec::new();
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut typed_errors = Vec::new();
    for row in &rows {
        let bytes = read(&dir, &row.file);
        let (env, decoded) = match parse_and_decode(&bytes) {
            Ok(r) => r,
            Err(p) => {
                problems.push(format!("{}: PANIC {p}", row.file));
                continue;
            }
        };
        // Envelope::parse and decode must agree on success.
        if env.is_ok() != decoded.is_ok() {
            problems.push(format!(
                "{}: Envelope::parse {:?} but decode {:?}",
                row.file,
                env.as_ref().err().map(ToString::to_string),
                decoded.as_ref().err().map(ToString::to_string)
            ));
            continue;
        }
        let expect = if row.well_formed() {
            Expect::Recovers
        } else {
            expectation(&row.file).unwrap_or(Expect::Recovers)
        };
        match (expect, env, decoded) {
            (Expect::Recovers, Ok(env), Ok(d)) => {
                *kinds.entry(d.kind).or_default() += 1;
                if let Some(te) = &d.typed_error {
                    // A decoder exists but could not read it; only device ones fail the test
                    // (in every_device_response_capture_reads_typed); the others are listed.
                    typed_errors.push(format!("{}: {te}", row.file));
                }
                if d.operation != row.op() {
                    problems.push(format!(
                        "{}: Body holds {}, the index says {}",
                        row.file,
                        d.operation,
                        row.op()
                    ));
                }
                if row.soap == "1.2" && env.version != SoapVersion::Soap12 {
                    problems.push(format!("{}: read as {:?}", row.file, env.version));
                }
                if (row.op() == "Fault") != (d.kind == "fault") {
                    problems.push(format!(
                        "{}: kind {} for {}",
                        row.file, d.kind, row.operation
                    ));
                }
            }
            (Expect::Recovers, Err(e), _) | (Expect::Recovers, _, Err(e)) => {
                problems.push(format!("{}: should be read, got: {e}", row.file));
            }
            (Expect::Fails(mention), Err(e1), Err(e2)) => {
                *kinds.entry("error").or_default() += 1;
                for e in [e1, e2] {
                    if let Err(p) = assert_clear_xml_error(&row.file, &e, mention) {
                        problems.push(p);
                    }
                }
            }
            (Expect::Fails(_), _, _) => {
                problems.push(format!("{}: should fail to parse, but was read", row.file));
            }
        }
    }
    eprintln!("{} captures: {kinds:?}", rows.len());
    if !typed_errors.is_empty() {
        eprintln!(
            "{} read generically because their typed reading failed:\n  {}",
            typed_errors.len(),
            typed_errors.join("\n  ")
        );
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(kinds.values().sum::<usize>(), rows.len());
}

#[test]
fn captures_that_break_xml_rules_recover_or_say_what_is_wrong() {
    let Some(dir) = captures_dir() else { return };

    // A malformed XML declaration is skipped; the rest (with SOAP-ENV bound nowhere) is read,
    // down to the Fault's fields.
    let env = Envelope::parse(&read(&dir, "agsh-onvif/Error.xml")).unwrap();
    let fault = env.fault().expect("Error.xml holds a Fault");
    assert_eq!(fault.code.name, "fault code");
    assert_eq!(fault.subcodes.len(), 2);
    assert!(
        fault
            .subcodes
            .iter()
            .all(|s| s.is(ns::TER, "fault subcode") && s.ns.as_deref() == Some(ns::TER)),
        "{:?}",
        fault.subcodes
    );
    assert_eq!(fault.reason, "fault reason");
    assert_eq!(fault.detail.as_deref(), Some("fault detail"));

    // SOAP-ENV bound nowhere: Envelope and Body are found by name (and marked unbound); the
    // payload, whose prefixes are bound, reads normally, `&amp;` included.
    let bytes = read(&dir, "agsh-onvif/GetSnapshotUri.xml");
    let root = onvif_proto::xml::parse(&bytes).unwrap();
    assert!(root.unbound && root.name == "Envelope");
    let env = Envelope::from_root(root).unwrap();
    assert!(env.body.unbound);
    let payload = env.payload().unwrap();
    assert!(payload.is(ns::TRT, "GetSnapshotUriResponse"));
    let uri = payload
        .path(&[(ns::TRT, "MediaUri"), (ns::TT, "Uri")])
        .expect("MediaUri/Uri");
    assert_eq!(
        uri.text(),
        "http://192.168.68.111/onvif-cgi/jpg/image.cgi?resolution=800x600&compression=20&camera=1"
    );

    // No namespace declared at all: every element is unbound, text still readable.
    let env = Envelope::parse(&read(
        &dir,
        "agsh-onvif/media.GetVideoEncoderConfigurationOptions.xml",
    ))
    .unwrap();
    let payload = env.payload().unwrap();
    assert!(payload.unbound);
    assert!(payload.is(ns::TRT, "GetVideoEncoderConfigurationOptionsResponse"));
    assert!(!payload.children.is_empty());

    // A Body whose prefix is unbound inside a bound envelope is still found.
    let env = Envelope::parse(&read(&dir, "agsh-onvif/device.GetDNS.xml")).unwrap();
    assert_eq!(env.version, SoapVersion::Soap12);
    assert_eq!(env.payload().unwrap().name, "GetDNSResponse");

    // Declared utf-16, written in ASCII: read as UTF-8, fully typed.
    let caps: Capabilities = read_as(&dir, "agsh-onvif/GetCapabilitiesEncoder.xml");
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://192.168.30.65/onvif/device_service")
    );
    assert_eq!(
        caps.xaddr(Service::Events),
        Some("http://192.168.30.65/onvif/event_service")
    );

    // The ones we refuse, with where and what.
    let e = Envelope::parse(&read(&dir, "agsh-onvif/PullMessages.xml")).unwrap_err();
    assert_clear_xml_error("PullMessages", &e, &["line 18", "element name"]).unwrap();
    let e = Envelope::parse(&read(
        &dir,
        "easy_onvif/unknown/device_management/GetCapabilitiesResponse.xml",
    ))
    .unwrap_err();
    assert_clear_xml_error("unknown", &e, &["line 7, column 64", "attribute `x`"]).unwrap();
}
