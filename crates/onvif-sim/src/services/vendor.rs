//! Answers rewritten the way some cameras write them (see docs/QUIRKS.md for each one's
//! capture): the typed answer is written by the schema first, then changed here.

use onvif_proto::ns::{TDS, TT};
use onvif_proto::ops::Service;
use onvif_proto::soap;
use onvif_proto::xml::parse_str;

use super::Ctx;
use crate::config::Quirk;

/// Where Recording_2's data begins, and where [`Quirk::EpochRecording`] says it begins.
const RECORDING_2_FROM: (&str, &str) = ("2026-11-30T20:00:00Z", "1970-01-01T00:03:15Z");

/// The answer of `service`'s operation `op`, with the quirks that are on.
pub(super) fn rewrite(ctx: &Ctx<'_>, service: Service, op: &str, body: String) -> String {
    let on = |q| ctx.shared.cfg.has(q);
    match (service, op) {
        (Service::Device, "GetUsers") if on(Quirk::UsersInDeviceNamespace) => {
            rename(body, "tt:", "tds:", &["Username", "Password", "UserLevel"])
        }
        (Service::Device, "GetNetworkDefaultGateway") if on(Quirk::GatewayInDeviceNamespace) => {
            rename(body, "tt:", "tds:", &["IPv4Address", "IPv6Address"]).replace(
                "</tds:NetworkGateway>",
                "<tds:IPv6Address></tds:IPv6Address></tds:NetworkGateway>",
            )
        }
        (Service::Device, "GetNetworkProtocols") if on(Quirk::ProtocolPortZero) => body.replacen(
            "</tt:Port></tds:NetworkProtocols>",
            "</tt:Port><tt:Port>0</tt:Port></tds:NetworkProtocols>",
            1,
        ),
        (Service::Device, "GetSystemUris") if on(Quirk::EmptySystemUris) => {
            "<tds:GetSystemUrisResponse><tds:SystemLogUris><tt:SystemLog><tt:Type>System\
             </tt:Type><tt:Uri/></tt:SystemLog></tds:SystemLogUris><tds:SupportInfoUri/>\
             </tds:GetSystemUrisResponse>"
                .to_owned()
        }
        (Service::Recording, "GetServiceCapabilities")
            if on(Quirk::RecordingCapabilitiesFloats) =>
        {
            ["MaxRecordings", "MaxRecordingJobs"]
                .iter()
                .fold(body, |b, name| floats(&b, name))
        }
        (Service::Search, _) if on(Quirk::EpochRecording) => {
            body.replace(RECORDING_2_FROM.0, RECORDING_2_FROM.1)
        }
        _ => body,
    }
}

/// Elements `names` moved from prefix `from` to prefix `to` (both declared on the envelope).
fn rename(body: String, from: &str, to: &str, names: &[&str]) -> String {
    names.iter().fold(body, |b, name| {
        b.replace(&format!("<{from}{name}>"), &format!("<{to}{name}>"))
            .replace(&format!("</{from}{name}>"), &format!("</{to}{name}>"))
    })
}

/// Attribute `name="N"` written `name="N.000000"`.
fn floats(body: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    let Some(at) = body.find(&key).map(|i| i + key.len()) else {
        return body.to_owned();
    };
    let Some(len) = body[at..].find('"') else {
        return body.to_owned();
    };
    format!("{}.000000{}", &body[..at + len], &body[at + len..])
}

/// Where [`Quirk::SystemLogAttachment`]'s reference points, as the SUNBA capture writes it.
const LOG_HREF: &str = "http://tempuri.org/0/log.tgz";
const BOUNDARY: &str = "onvif-sim-mtom";
const ROOT_ID: &str = "<root@onvif-sim>";

/// With [`Quirk::SystemLogAttachment`], GetSystemLog's answer `body` made an MTOM message: its
/// Content-Type and bytes (a SOAP 1.2 part whose `xop:Include` names the log in angle
/// brackets, then the log as an attachment of that Content-ID). `None` for any other answer.
pub(crate) fn attachment(
    ctx: &Ctx<'_>,
    service: Service,
    op: &str,
    body: &str,
) -> Option<(String, Vec<u8>)> {
    if (service, op) != (Service::Device, "GetSystemLog")
        || !ctx.shared.cfg.has(Quirk::SystemLogAttachment)
    {
        return None;
    }
    let typed = parse_str(&format!(
        "<w xmlns:tds=\"{TDS}\" xmlns:tt=\"{TT}\">{body}</w>"
    ))
    .ok()?;
    let log = typed
        .descendants()
        .into_iter()
        .find(|e| e.is(TT, "String"))
        .map(|e| e.text().to_owned())?;
    let soap = soap::envelope(
        None,
        &format!(
            "<tds:GetSystemLogResponse><tds:SystemLog><tt:Binary>\
             <xop:Include href=\"&lt;{LOG_HREF}&gt;\"/></tt:Binary></tds:SystemLog>\
             </tds:GetSystemLogResponse>"
        ),
    );
    let mut bytes = format!(
        "--{BOUNDARY}\r\nContent-Type: application/xop+xml; charset=utf-8; \
         type=\"application/soap+xml\"\r\nContent-Transfer-Encoding: binary\r\n\
         Content-ID: {ROOT_ID}\r\n\r\n{soap}\r\n--{BOUNDARY}\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: binary\r\n\
         Content-ID: <{LOG_HREF}>\r\n\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(log.as_bytes());
    bytes.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let content_type = format!(
        "multipart/related; type=\"application/xop+xml\"; start=\"{ROOT_ID}\"; \
         start-info=\"application/soap+xml\"; boundary=\"{BOUNDARY}\""
    );
    Some((content_type, bytes))
}
