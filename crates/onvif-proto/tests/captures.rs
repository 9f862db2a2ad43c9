//! Responses recorded from real cameras, read in place (never copied into the project).
//!
//! Where: `../shared/captures` relative to the workspace root (from this crate,
//! `$CARGO_MANIFEST_DIR/../../../shared/captures`), or the folder named by the environment
//! variable `ONVIF_CAPTURES`, e.g. `ONVIF_CAPTURES=/data/captures cargo test -p onvif-proto`.
//! When the folder (its `INDEX.tsv`) is absent, every test here prints a `SKIPPED:` line on stderr
//! and passes without checking anything.
//!
//! Nothing here opens a socket: the private addresses below (`192.168.x.x`) are values written
//! in the recorded answers, compared as text.
//!
//! Layout of the folder:
//! - `README.md`: where each part comes from and its licence;
//! - `INDEX.tsv`: one row per capture, tab-separated: `source`, `file` (path relative to the
//!   folder), `operation` (the Body's first element), `vendor_model`, `vendor_from`, `soap`
//!   (`1.2`, or `?` when the envelope's prefix is unbound), `well_formed` (`yes`, or `NO (expat's
//!   complaint)`), `notes` (e.g. doT `{{...}}` template placeholders);
//! - `easy_onvif/<camera model>/<service>/<Operation>Response.xml` (one folder per camera:
//!   DCS-6511, ENP1A14-IR_25X, GX728MF-IR28, IPD-H4K8M05-BS, IPG-8150PSS, SUNBA, SUNBA.405,
//!   happytimesoft, unknown);
//! - `ex_onvif/<operation>.xml` (a Milesight camera, plus a SOAP fault);
//! - `agsh-onvif/<service>.<Operation>.xml` (a mock server's answers; some are templates and
//!   some are deliberately malformed).

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use jiff::Timestamp;
use onvif_proto::decode::{self, Decoded};
use onvif_proto::ns;
use onvif_proto::ops::device::{
    Capabilities, DateTime, DateTimeType, DeviceInformation, HostnameInformation, NetworkHost,
    NetworkInterfaces, NtpInformation, PrefixedAddress, RebootResponse, Scopes,
    ServiceCapabilities, Services, SetSystemDateAndTimeResponse, SystemDateAndTime,
};
use onvif_proto::soap::{Envelope, SoapVersion, envelope};
use onvif_proto::xml::Element;
use onvif_proto::{Error, Message, Service};
use onvif_testkit::captures::{captures_dir, files, index, read, read_as, try_read_as};
use onvif_testkit::message::write;

/// Whether a capture that expat refuses is read anyway, or must fail with an error naming the
/// problem (each string must appear in the error).
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Read, and the Body's first element is the one the index names.
    Recovers,
    Fails(&'static [&'static str]),
}

/// Every capture the index marks `NO`, with what we do about it and why.
const NOT_WELL_FORMED: &[(&str, Expect, &str)] = &[
    (
        "agsh-onvif/Error.xml",
        Expect::Recovers,
        "XML declaration with typographic quotes: it only carries version and encoding, which we \
         do not use (we read UTF-8); the SOAP-ENV prefix is unbound, which is tolerated",
    ),
    (
        "agsh-onvif/GetCapabilitiesEncoder.xml",
        Expect::Recovers,
        "declares utf-16 but is ASCII: the declared encoding is ignored",
    ),
    (
        "agsh-onvif/GetVideoSourcesEncoder.xml",
        Expect::Recovers,
        "declares utf-16 but is ASCII: the declared encoding is ignored",
    ),
    (
        "agsh-onvif/GetSnapshotUri.xml",
        Expect::Recovers,
        "the SOAP-ENV prefix is bound nowhere: unbound prefixes are tolerated",
    ),
    (
        "agsh-onvif/imaging.GetServiceCapabilities.xml",
        Expect::Recovers,
        "no namespace declared",
    ),
    (
        "agsh-onvif/media.GetAudioEncoderConfigurationOptions.xml",
        Expect::Recovers,
        "no namespace declared",
    ),
    (
        "agsh-onvif/media.GetVideoEncoderConfigurationOptions.xml",
        Expect::Recovers,
        "no namespace declared",
    ),
    (
        "agsh-onvif/media.SetAudioEncoderConfiguration.xml",
        Expect::Recovers,
        "no namespace declared",
    ),
    (
        "agsh-onvif/device.GetDNS.xml",
        Expect::Recovers,
        "SOAP-ENV:Body inside env:Envelope, SOAP-ENV unbound",
    ),
    (
        "agsh-onvif/device.GetNetworkDefaultGateway.xml",
        Expect::Recovers,
        "SOAP-ENV unbound",
    ),
    (
        "agsh-onvif/device.SetDNS.xml",
        Expect::Recovers,
        "SOAP-ENV unbound",
    ),
    (
        "agsh-onvif/device.SetNetworkDefaultGateway.xml",
        Expect::Recovers,
        "SOAP-ENV unbound",
    ),
    (
        "agsh-onvif/device.SetNetworkInterfaces.xml",
        Expect::Recovers,
        "SOAP-ENV unbound",
    ),
    (
        "agsh-onvif/PullMessages.xml",
        Expect::Fails(&["line 18, column 31", "`<` not followed by an element name"]),
        "a template's `{{? Math.random() < 0.5 }}`: a bare `<` in text is not XML",
    ),
    (
        "easy_onvif/SUNBA.405/media1/GetProfilesResponse.xml",
        Expect::Fails(&["line 124, column 1", "text after the root element"]),
        "a log paste: a GetServicesResponse envelope, then log lines, a request and another \
         envelope; guessing which envelope was meant is not the parser's job",
    ),
    (
        "easy_onvif/SUNBA.405/media2/GetProfilesResponse.xml",
        Expect::Fails(&["line 124, column 1", "text after the root element"]),
        "same log paste as media1",
    ),
    (
        "easy_onvif/SUNBA.405/ptz/GetPresetsResponse.xml",
        Expect::Fails(&[
            "line 49, column 24",
            "expected `</wsse:Security>`",
            "</SOAP-ENV:Header>",
        ]),
        "<wsse:Security> never closed: a truncated header",
    ),
    (
        "easy_onvif/unknown/device_management/GetCapabilitiesResponse.xml",
        Expect::Fails(&[
            "line 7, column 64",
            "<SOAP-ENV:Envelope>",
            "attribute `x` has no `=`",
        ]),
        "`x mlns:wsa5=` and `xml ns:xenc=`: attribute names broken by stray spaces",
    ),
];

/// The device operations the library reads, by response name.
const DEVICE_RESPONSES: &[&str] = &[
    "GetSystemDateAndTimeResponse",
    "SetSystemDateAndTimeResponse",
    "GetDeviceInformationResponse",
    "GetCapabilitiesResponse",
    "GetServicesResponse",
    "GetServiceCapabilitiesResponse",
    "GetScopesResponse",
    "GetHostnameResponse",
    "GetNetworkInterfacesResponse",
    "GetNTPResponse",
    "SystemRebootResponse",
];

fn expectation(file: &str) -> Option<Expect> {
    NOT_WELL_FORMED
        .iter()
        .find(|(f, _, _)| *f == file)
        .map(|(_, e, _)| *e)
}

/// Parse and decode one capture, turning a panic into an error string.
type Outcome = (Result<Envelope, Error>, Result<Decoded, Error>);

fn parse_and_decode(bytes: &[u8]) -> Result<Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| {
        (Envelope::parse(bytes), decode::decode(bytes))
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "panic".to_owned())
    })
}

/// Check that a parse error is an XML error that says where (line and column) and what.
fn assert_clear_xml_error(file: &str, e: &Error, must_mention: &[&str]) -> Result<(), String> {
    let text = e.to_string();
    let Error::Xml(x) = e else {
        return Err(format!("{file}: expected an XML error, got {text}"));
    };
    if x.message.trim().is_empty() || x.line == 0 || x.column == 0 {
        return Err(format!("{file}: error without position or message: {x:?}"));
    }
    if !text.contains(&format!("line {}, column {}", x.line, x.column)) {
        return Err(format!("{file}: error text does not say where: {text}"));
    }
    for m in must_mention {
        if !text.contains(m) {
            return Err(format!("{file}: error does not mention {m:?}: {text}"));
        }
    }
    Ok(())
}

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

// ---------------------------------------------------------------------------------------------
// Item 3: values, read by eye from the files.

fn utc(y: i32, mo: i32, d: i32, h: i32, mi: i32, s: i32) -> DateTime {
    DateTime {
        year: y,
        month: mo,
        day: d,
        hour: h,
        minute: mi,
        second: s,
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn host(kind: &str, address: &str) -> NetworkHost {
    NetworkHost {
        kind: kind.into(),
        address: address.into(),
    }
}

fn info(dir: &Path, file: &str) -> (String, String, String, String, String) {
    let i: DeviceInformation = read_as(dir, file);
    (
        i.manufacturer,
        i.model,
        i.firmware_version,
        i.serial_number,
        i.hardware_id,
    )
}

fn t5(a: &str, b: &str, c: &str, d: &str, e: &str) -> (String, String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into(), e.into())
}

/// (namespace, xaddr, version) of one service.
type ServiceRow = (String, String, Option<(u32, u32)>);

/// (namespace, xaddr, version) of each service, in order.
fn services(dir: &Path, file: &str) -> Vec<ServiceRow> {
    let s: Services = read_as(dir, file);
    s.services
        .into_iter()
        .map(|s| (s.namespace, s.xaddr, s.version))
        .collect()
}

#[test]
fn agsh_onvif_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "agsh-onvif";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformation.xml")),
        t5(
            "Mockup Manufacturer",
            "Mockup Model",
            "Mockup_15_14_13",
            "00000000",
            "MOCKUP"
        )
    );

    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTime.xml"));
    assert_eq!(t.date_time_type, DateTimeType::Manual);
    assert!(t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("MoroccoStandardTime0"));
    assert_eq!(t.utc, Some(utc(2014, 12, 24, 19, 14, 37)));
    assert_eq!(t.local, None);
    assert_eq!(t.utc_timestamp(), Some(ts("2014-12-24T19:14:37Z")));

    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilities.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://192.168.68.111/onvif/services")
    );
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.68.111/onvif/services")
    );
    let cats: Vec<&str> = caps.entries.iter().map(|e| e.category.as_str()).collect();
    assert_eq!(
        cats,
        ["Device", "Events", "Imaging", "Media", "PTZ", "DeviceIO"]
    );

    let s = services(&dir, &format!("{d}/GetServices.xml"));
    assert_eq!(s.len(), 6);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://192.168.68.111/onvif/services".into(),
            Some((2, 42))
        )
    );
    assert_eq!(s[1].0, ns::TRT);
    assert_eq!(s[1].2, Some((2, 41)));

    let sc: Scopes = read_as(&dir, &format!("{d}/GetScopes.xml"));
    assert_eq!(
        sc.scopes.len(),
        7,
        "the template's two branches, 1 + 6 scopes"
    );
    assert_eq!(sc.scopes[0].definition, "Fixed");
    assert_eq!(sc.scopes[0].item, "onvif://www.onvif.org/Profile/Streaming");
    assert_eq!(
        sc.scopes[5].onvif_parts(),
        Some(("name".into(), "PREDATOR".into()))
    );
    assert_eq!(sc.scopes[5].definition, "Configurable");

    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostname.xml"));
    assert_eq!(h.name.as_deref(), Some("IPNC-RDK"));
    assert!(!h.from_dhcp);

    let ntp: NtpInformation = read_as(&dir, &format!("{d}/device.GetNTP.xml"));
    assert!(!ntp.from_dhcp);
    assert_eq!(ntp.manual, [host("IPv4", "192.168.1.168")]);
    assert!(ntp.dhcp.is_empty());

    let n: NetworkInterfaces = read_as(&dir, &format!("{d}/device.GetNetworkInterfaces.xml"));
    assert_eq!(n.interfaces.len(), 1);
    let eth0 = &n.interfaces[0];
    assert_eq!(eth0.token, "eth0");
    assert!(eth0.enabled);
    assert_eq!(eth0.name.as_deref(), Some("eth0"));
    assert_eq!(eth0.hw_address.as_deref(), Some("28:57:be:65:7d:d5"));
    assert_eq!(eth0.mtu, Some(1500));
    let v4 = eth0.ipv4.as_ref().unwrap();
    assert!(v4.enabled);
    assert_eq!(v4.dhcp.as_deref(), Some("false"));
    let addr = |a: &str, p: u8| PrefixedAddress {
        address: a.into(),
        prefix_length: p,
    };
    assert_eq!(v4.manual, [addr("192.168.68.111", 24)]);
    let v6 = eth0.ipv6.as_ref().unwrap();
    assert_eq!(v6.dhcp.as_deref(), Some("Off"));
    assert_eq!(v6.link_local, [addr("fe80::2a57:beff:fe65:7dd5", 64)]);
    assert_eq!(v6.from_dhcp, [addr("fe80::2a57:beff:fe65:7dd5", 64)]);
    assert!(v6.manual.is_empty());

    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemReboot.xml"));
    assert_eq!(r.message, "Reboot in 30 secs");
    // The template's `{{? it.bad }}wrong response{{?}}` text inside an empty response.
    let _: SetSystemDateAndTimeResponse = read_as(&dir, &format!("{d}/SetSystemDateAndTime.xml"));
}

#[test]
fn ex_onvif_values() {
    let Some(dir) = captures_dir() else { return };
    assert_eq!(
        info(&dir, "ex_onvif/get_device_information.xml"),
        t5(
            "Milesight Technology Co.,Ltd.",
            "MS-C8165-PE",
            "61.8.0.3-r8",
            "EM82V102329001403",
            "V1.0"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, "ex_onvif/get_system_date_and_time.xml");
    assert_eq!(t.date_time_type, DateTimeType::Manual);
    assert!(t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("BRT3"));
    assert_eq!(t.utc, Some(utc(2024, 7, 9, 19, 49, 6)));
    assert_eq!(t.local, Some(utc(2024, 7, 9, 16, 49, 6)));
    assert_eq!(t.utc_timestamp(), Some(ts("2024-07-09T19:49:06Z")));

    let sc: Scopes = read_as(&dir, "ex_onvif/get_scopes.xml");
    let items: Vec<&str> = sc.scopes.iter().map(|s| s.item.as_str()).collect();
    assert_eq!(items.len(), 10);
    assert_eq!(
        items[0],
        "onvif://www.onvif.org/type/Network_Video_Transmitter"
    );
    assert_eq!(items[9], "onvif://www.onvif.org/Profile/Q/FactoryDefault");
    assert_eq!(
        sc.scopes[3].onvif_parts(),
        Some(("name".into(), "Camera".into()))
    );

    let ntp: NtpInformation = read_as(&dir, "ex_onvif/get_ntp.xml");
    assert_eq!(ntp.manual, [host("DNS", "time.windows.com")]);

    // `<tt:Name></tt:Name>`: no name.
    let h: HostnameInformation = read_as(&dir, "ex_onvif/get_hostname.xml");
    assert_eq!(h.name, None);
    assert!(!h.from_dhcp);
}

#[test]
fn dcs_6511_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/DCS-6511/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "D-Link Corporation",
            "DCS-6511",
            "1.16.00",
            "F07D68099FCA",
            "F07D68099FCA"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.date_time_type, DateTimeType::Ntp);
    assert_eq!(t.time_zone.as_deref(), Some("COT5"));
    assert_eq!(t.utc, Some(utc(2023, 3, 7, 16, 14, 53)));
    assert_eq!(t.local, Some(utc(2023, 3, 7, 11, 14, 53)));
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-07T16:14:53Z")));
    // Every category points at the device service.
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    for s in [
        Service::Device,
        Service::Media,
        Service::Events,
        Service::Imaging,
    ] {
        assert_eq!(
            caps.xaddr(s),
            Some("http://192.168.1.33:80/onvif/device_service"),
            "{s}"
        );
    }
    assert_eq!(caps.xaddr(Service::Ptz), None);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("DCS-6511"));
    // FromDHCP false and no server at all.
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp, NtpInformation::default());
}

#[test]
fn enp1a14_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/ENP1A14-IR_25X/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "ONVIF",
            "ENP1A14-IR/25X",
            "V5.5.3 build 180822",
            "ENP1A14-IR/25X20190430AAWRD14878498W",
            "88"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-06T14:13:45Z")));
    assert_eq!(
        t.time_zone.as_deref(),
        Some("EST+5:00:00EDT04:00:00,M3.5.0/01:00:00,M10.5.0/02:00:00")
    );
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://192.168.1.182/onvif/device_service")
    );
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.1.182/onvif/Media")
    );
    // From Capabilities/Extension.
    assert_eq!(
        caps.xaddr(Service::Recording),
        Some("http://192.168.1.182/onvif/Recording")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 11);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://192.168.1.182/onvif/device_service".into(),
            Some((16, 12))
        )
    );
    assert_eq!(
        s[1],
        (
            ns::TRT.into(),
            "http://192.168.1.182/onvif/Media".into(),
            Some((2, 60))
        )
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("DNS", "ca.pool.ntp.org")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("localhost"));
    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemRebootResponse.xml"));
    assert_eq!(r.message, "Rebooting in 90 seconds");
}

#[test]
fn gx728mf_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/GX728MF-IR28/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "NONE",
            "GX728MF-IR28",
            "IPC_G6106-B0005P11D1812C03",
            "210235T8HQ3197000191",
            "GX728MF-IR28"
        )
    );
    // Local time on the 7th, UTC already on the 8th.
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc, Some(utc(2023, 3, 8, 0, 27, 9)));
    assert_eq!(t.local, Some(utc(2023, 3, 7, 19, 27, 9)));
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-08T00:27:09Z")));
    assert_eq!(t.time_zone.as_deref(), Some("CST5CDT,M3.2.0/2,M11.1.0/2"));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.1.127:80/onvif/media")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 8);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://192.168.1.127:80/onvif/device_service".into(),
            Some((17, 6))
        )
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("IPv4", "0.0.0.0")]);
}

#[test]
fn ipd_h4k8m05_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/IPD-H4K8M05-BS/device_management";
    // `<tds:Manufacturer></tds:Manufacturer>`
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "",
            "IPD-H4K8M05-BS",
            "V1.04.10-190309",
            "071D3E36963F",
            "1.0"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert!(!t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("AST4ADT"));
    assert_eq!(t.utc_timestamp(), Some(ts("2025-04-06T17:38:53Z")));
    // Services with their capabilities (dotted attribute names such as TLS1.2 included).
    let s: Services = read_as(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.services.len(), 7);
    assert_eq!(
        s.xaddr(Service::Analytics),
        Some("http://192.168.15.40:8999/onvif/analytics_service")
    );
    let dev = &s.services[1];
    assert_eq!(dev.service, Some(Service::Device));
    assert_eq!(dev.version, Some((1, 40)));
    let flag = |k: &str| dev.capabilities.get(k).map(String::as_str);
    assert_eq!(flag("Network.NTP"), Some("1"));
    assert_eq!(flag("Security.TLS1.2"), Some("false"));
    assert_eq!(flag("Security.X.509Token"), Some("false"));
    assert_eq!(flag("System.FirmwareUpgrade"), Some("true"));
    let media = s
        .services
        .iter()
        .find(|x| x.service == Some(Service::Media))
        .unwrap();
    assert_eq!(
        media
            .capabilities
            .get("StreamingCapabilities.RTP_RTSP_TCP")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        media
            .capabilities
            .get("ProfileCapabilities.MaximumNumberOfProfiles")
            .map(String::as_str),
        Some("2")
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNtpResponse.xml"));
    assert_eq!(ntp.manual, [host("IPv4", "192.168.1.100")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name, None);
    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemRebootResponse.xml"));
    assert_eq!(r.message, "Rebooting in 120 seconds.");
}

#[test]
fn ipg_8150pss_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/IPG-8150PSS/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "ONVIF_IPNC",
            "IPG-8150PSS",
            "1.3.0-20210203CN-PT",
            "I207215E7840DFDA9877E8B",
            "8FE1887A-72EE-403f-9385-5a58aed534cf"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc, Some(utc(2024, 2, 20, 13, 13, 1)));
    assert_eq!(t.local, Some(utc(2024, 2, 20, 21, 13, 1)));
    assert_eq!(t.time_zone.as_deref(), Some("CST-08:00"));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://10.200.1.2/onvif/device_service")
    );
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://10.200.1.2/onvif/media_service")
    );
    let media = caps.entries.iter().find(|e| e.category == "Media").unwrap();
    assert_eq!(
        media
            .flags
            .get("StreamingCapabilities.RTP_RTSP_TCP")
            .map(String::as_str),
        Some("true")
    );
    let dev = caps
        .entries
        .iter()
        .find(|e| e.category == "Device")
        .unwrap();
    assert_eq!(
        dev.flags.get("Security.TLS1.1").map(String::as_str),
        Some("false")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 8);
    assert_eq!(
        s[1],
        (
            ns::TRT.into(),
            "http://10.200.1.2/onvif/media_service".into(),
            Some((17, 12))
        )
    );
    assert_eq!(s[7].0, ns::TR2);
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("DNS", "pool.ntp.org")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("IPCAM"));
}

#[test]
fn sunba_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/SUNBA/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "SUNBA",
            "Performance-Series",
            "QIPC-B2202.3.73.C06290.NB.230628",
            "210231T2H63235000045",
            "Performance-Series"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc_timestamp(), Some(ts("2024-04-05T17:16:28Z")));
    assert_eq!(t.time_zone.as_deref(), Some("CST5:00:00"));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://162.191.54.181:80/onvif/media")
    );
    assert_eq!(
        caps.xaddr(Service::Replay),
        Some("http://162.191.54.181:80/onvif/replay")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 13);
    assert_eq!(
        s[0],
        (
            ns::TDS.into(),
            "http://162.191.54.181:80/onvif/device_service".into(),
            Some((19, 12))
        )
    );
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("IPC"));
    let r: RebootResponse = read_as(&dir, &format!("{d}/SystemRebootResponse.xml"));
    assert_eq!(r.message, "Rebooting in 2 seconds");
}

#[test]
fn sunba_405_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/SUNBA.405/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5(
            "H264",
            "XM530_50X50-WG_8M",
            "V5.00.R02.L5330747.10010.349917..ONVIF 16.12",
            "f0d2d8a9c5380a0f",
            "00001"
        )
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.utc, Some(utc(2025, 4, 27, 1, 27, 42)));
    assert_eq!(t.local, Some(utc(2025, 4, 26, 19, 27, 42)));
    assert_eq!(t.time_zone.as_deref(), Some("CST6CDT:"));
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    let expected: Vec<ServiceRow> = [
        (ns::TDS, "device_service"),
        (ns::TRT, "Media"),
        (ns::TR2, "Media2"),
        (ns::TEV, "Events"),
        (ns::TIMG, "Imaging"),
        (ns::TPTZ, "PTZ"),
    ]
    .iter()
    .map(|(n, p)| {
        (
            (*n).into(),
            format!("http://192.168.15.40:8899/onvif/{p}"),
            Some((16, 12)),
        )
    })
    .collect();
    assert_eq!(s, expected);
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Media),
        Some("http://192.168.15.40:8899/onvif/Media")
    );
    // The camera writes a host name where an IPv4 address belongs: kept as sent.
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("IPv4", "NTP")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("SunbaIPC"));
}

#[test]
fn happytimesoft_values() {
    let Some(dir) = captures_dir() else { return };
    let d = "easy_onvif/happytimesoft/device_management";
    assert_eq!(
        info(&dir, &format!("{d}/GetDeviceInformationResponse.xml")),
        t5("Happytimesoft", "IPCamera", "2.4", "123456", "1.0")
    );
    let t: SystemDateAndTime = read_as(&dir, &format!("{d}/GetSystemDateAndTimeResponse.xml"));
    assert_eq!(t.date_time_type, DateTimeType::Ntp);
    assert!(!t.daylight_savings);
    assert_eq!(t.time_zone.as_deref(), Some("UTC-5:00"));
    assert_eq!(t.local, None);
    assert_eq!(t.utc_timestamp(), Some(ts("2023-03-02T19:24:42Z")));
    let caps: Capabilities = read_as(&dir, &format!("{d}/GetCapabilitiesResponse.xml"));
    assert_eq!(
        caps.xaddr(Service::Device),
        Some("http://192.168.2.119:10000/onvif/device_service")
    );
    assert_eq!(
        caps.xaddr(Service::Recording),
        Some("http://192.168.2.119:10000/onvif/recording_service")
    );
    let s = services(&dir, &format!("{d}/GetServicesResponse.xml"));
    assert_eq!(s.len(), 19);
    assert_eq!(s[0].2, Some((20, 6)));
    assert_eq!(
        s[1],
        (
            ns::TEV.into(),
            "http://192.168.2.119:10000/onvif/event_service".into(),
            Some((19, 6))
        )
    );
    let ntp: NtpInformation = read_as(&dir, &format!("{d}/GetNTPResponse.xml"));
    assert_eq!(ntp.manual, [host("DNS", "time.windows.com")]);
    let h: HostnameInformation = read_as(&dir, &format!("{d}/GetHostnameResponse.xml"));
    assert_eq!(h.name.as_deref(), Some("LAPTOP-3NFBA69L"));
}

/// The only capture of this camera is broken (see NOT_WELL_FORMED): the client's error says
/// where and what.
#[test]
fn unknown_camera_capture_is_refused_clearly() {
    let Some(dir) = captures_dir() else { return };
    let bytes = read(
        &dir,
        "easy_onvif/unknown/device_management/GetCapabilitiesResponse.xml",
    );
    let e = try_read_as::<Capabilities>(&bytes).unwrap_err();
    assert_clear_xml_error("unknown", &e, &["line 7, column 64", "attribute `x`"]).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Item 4: faults.

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

// ---------------------------------------------------------------------------------------------
// Real answers written back (as the simulator would) and read again (as the client would).

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
