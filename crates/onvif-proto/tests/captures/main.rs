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
    Capabilities, DateTimeType, DeviceInformation, HostnameInformation, NetworkHost,
    NetworkInterfaces, NtpInformation, PrefixedAddress, RebootResponse, Scopes,
    ServiceCapabilities, Services, SetSystemDateAndTimeResponse, SystemDateAndTime,
};
use onvif_proto::soap::{Envelope, SoapVersion, envelope};
use onvif_proto::xml::Element;
use onvif_proto::{Error, Message, Service};
use onvif_testkit::captures::{captures_dir, files, index, read, read_as, try_read_as};
use onvif_testkit::message::{date_time, write};

mod faults;
mod reading;
mod rewrite;
mod typed;
mod values;
mod values_more;

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
