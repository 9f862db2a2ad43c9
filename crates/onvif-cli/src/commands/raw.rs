//! `raw`: any SOAP body, from a file or an operation name, sent to the service it belongs to;
//! the answer shown as XML, or decoded as JSON.

use onvif::Camera;
use onvif::proto::{self, Service};

use crate::args::RawArgs;
use crate::failure::{Failure, exit};
use crate::output::{self, Out};

/// `raw`: a body from a file, or `<prefix:Name/>` for an operation name.
pub async fn run(cam: &Camera, args: &RawArgs, out: &Out) -> Result<(), Failure> {
    let named = match &args.service {
        Some(name) => Some(Service::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Service::ALL.iter().map(|s| s.name()).collect();
            Failure::usage(format!(
                "unknown service {name:?} (one of: {})",
                names.join(", ")
            ))
        })?),
        None => None,
    };
    // An operation name alone: its service comes from the operations the library knows
    // (GetProfiles goes to media, GetStatus to ptz), unless --service says otherwise.
    let service = named
        .or_else(|| service_of_operation(&args.body))
        .unwrap_or(Service::Device);
    let path = std::path::Path::new(&args.body);
    let body = if path.exists() {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?
    } else if !args.body.is_empty()
        && args
            .body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && args.body.starts_with(|c: char| c.is_ascii_uppercase())
    {
        let prefix = proto::ns::ENVELOPE_DECLS
            .iter()
            .find(|(_, uri)| *uri == service.namespace())
            .map_or("tds", |(p, _)| *p);
        format!("<{prefix}:{}/>", args.body)
    } else {
        return Err(Failure::usage(format!(
            "{:?} is neither a file nor an operation name like GetHostname",
            args.body
        )));
    };
    let body = strip_xml_declaration(&body);
    // Read the body inside our envelope so its prefixes resolve as they will on the wire.
    let wrapped = proto::soap::envelope(None, body);
    let env = proto::Envelope::parse(wrapped.as_bytes()).map_err(|e| {
        Failure::usage(format!(
            "the body is not well-formed XML inside an envelope: {e}"
        ))
    })?;
    let first = env
        .body
        .first_child()
        .ok_or_else(|| Failure::usage("the body holds no element"))?;
    if first.is(proto::ns::SOAP12, "Envelope") || first.name == "Envelope" {
        return Err(Failure::usage(
            "give the Body's content only (e.g. <tds:GetHostname/>), not a whole envelope",
        ));
    }
    // A body from a file goes to the service its element's namespace names.
    let service = named
        .or_else(|| first.ns.as_deref().and_then(Service::from_namespace))
        .unwrap_or(service);
    let action = match &args.action {
        Some(a) => a.clone(),
        None => format!(
            "{}/{}",
            first.ns.as_deref().unwrap_or(service.namespace()),
            first.name
        ),
    };
    let url = cam.endpoint(service).await?;
    let result = cam.call_raw(&url, &action, body).await;
    let bytes = cam.last_response().unwrap_or_default();
    result?;
    if out.json {
        let decoded = proto::decode::decode(&bytes).map_err(|e| Failure {
            code: exit::DEVICE,
            message: format!("the answer cannot be decoded: {e}"),
        })?;
        let s = output::answer_json(&decoded, out.lines).map_err(|e| Failure {
            code: exit::INTERNAL,
            message: format!("cannot render JSON: {e}"),
        })?;
        output::out_line(&s);
    } else {
        output::out_line(&output::answer_xml(&bytes));
    }
    Ok(())
}

/// The service an operation belongs to, by the response the library reads for it (the first
/// registered wins where several services share a name, device first).
fn service_of_operation(name: &str) -> Option<Service> {
    let response = format!("{name}Response");
    proto::decode::DECODERS
        .iter()
        .find(|d| d.name == response)
        .and_then(|d| Service::from_namespace(d.ns))
}

fn strip_xml_declaration(s: &str) -> &str {
    let t = s.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("<?xml")
        && let Some(end) = t.find("?>")
    {
        return t[end + 2..].trim_start();
    }
    t
}
