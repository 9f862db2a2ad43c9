//! Discovery messages: the addressing headers, the Probe, and a whole packet (envelope,
//! headers and one of Probe, ProbeMatches, Hello or Bye) read from a datagram and written
//! into one.

use serde::Serialize;

use super::names::{
    ACTION_BYE, ACTION_HELLO, ACTION_PROBE, ACTION_PROBE_MATCHES, ANONYMOUS, Addressing, DN,
    MAX_DATAGRAM, TO_DISCOVERY, WSD, is_wsd, new_message_id, onvif_types, wsa_child, wsd_child,
};
use super::target::{Target, read_list, read_types, write_types};
use crate::codec::{Node, Xml, read_opt};
use crate::error::Error;
use crate::ns;
use crate::soap::Envelope;
use crate::xml::{Element, QNameValue, Writer};

/// `d:AppSequence`: lets a receiver order the announcements of one device instance. An
/// unreadable one is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct AppSequence {
    /// Changes each time the device restarts.
    #[xml(attr = "InstanceId")]
    pub instance_id: u64,
    /// Tells apart sequences within one instance (rarely sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[xml(attr = "SequenceId")]
    pub sequence_id: Option<String>,
    /// Grows with each message of this instance.
    #[xml(attr = "MessageNumber")]
    pub message_number: u64,
}

/// The addressing headers of a discovery message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Headers {
    /// Which WS-Addressing namespace the message used.
    pub addressing: Addressing,
    /// `wsa:MessageID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The MessageID of the Probe this answers (ProbeMatches).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relates_to: Option<String>,
    /// `wsa:To`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `wsa:Action`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `d:AppSequence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_sequence: Option<AppSequence>,
}

/// Hand-written [`Node`] of `s:Header`: the WS-Addressing blocks are read in either version
/// (the first found tells which) and written in `addressing`'s, under the prefix `a` the
/// envelope declares for it.
impl Node for Headers {
    fn read_node(header: &Element) -> Result<Self, Error> {
        let mut version = None;
        let mut text = |name: &str| {
            wsa_child(header, name).map(|(el, v)| {
                version.get_or_insert(v);
                el.text().to_owned()
            })
        };
        let message_id = text("MessageID");
        let relates_to = text("RelatesTo");
        let to = text("To");
        let action = text("Action");
        Ok(Headers {
            addressing: version.unwrap_or_default(),
            message_id,
            relates_to,
            to,
            action,
            app_sequence: read_opt(wsd_child(header, "AppSequence"), true)?,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        w.leaf_opt("a:MessageID", self.message_id.as_deref());
        w.leaf_opt("a:RelatesTo", self.relates_to.as_deref());
        w.leaf_opt("a:To", self.to.as_deref());
        w.leaf_opt("a:Action", self.action.as_deref());
        if let Some(seq) = &self.app_sequence {
            seq.write_node(w, "d:AppSequence");
        }
        w.close(tag);
    }
}

/// A Probe: "who offers these types (and scopes)?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// `wsa:MessageID`; answers carry it in `RelatesTo`. Keep it across repeats of one probe.
    pub message_id: String,
    /// Wanted types (all must match); empty asks for every device.
    pub types: Vec<QNameValue>,
    /// Wanted scopes (all must match); usually empty.
    pub scopes: Vec<String>,
}

impl Probe {
    /// A probe for ONVIF devices ([`onvif_types`]) with a fresh MessageID.
    pub fn new() -> Probe {
        Probe {
            message_id: new_message_id(),
            types: onvif_types(),
            scopes: Vec::new(),
        }
    }

    /// The whole envelope, as sent (SOAP 1.2, WS-Addressing 2004/08).
    pub fn to_xml(&self) -> String {
        Packet {
            headers: Headers {
                addressing: Addressing::V2004,
                message_id: Some(self.message_id.clone()),
                relates_to: None,
                to: Some(TO_DISCOVERY.to_owned()),
                action: Some(ACTION_PROBE.to_owned()),
                app_sequence: None,
            },
            payload: Payload::Probe(self.clone()),
        }
        .to_xml()
    }

    /// Would a device described by `t` answer this probe?
    pub fn matches(&self, t: &Target) -> bool {
        t.has_types(&self.types) && t.has_scopes(&self.scopes)
    }
}

impl Default for Probe {
    fn default() -> Self {
        Probe::new()
    }
}

/// Hand-written [`Node`]: `Types` and `Scopes` are read in either WS-Discovery namespace, as
/// whitespace-separated lists; the MessageID is a header, set by [`Packet::parse`].
impl Node for Probe {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(Probe {
            message_id: String::new(),
            types: read_types(el),
            scopes: read_list(el, "Scopes"),
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]);
        write_types(w, &self.types);
        if !self.scopes.is_empty() {
            w.leaf("d:Scopes", &self.scopes.join(" "));
        }
        w.close(tag);
    }
}

/// What a discovery message carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "body")]
pub enum Payload {
    /// A client looking for devices.
    Probe(Probe),
    /// Every match (a device usually sends one).
    ProbeMatches(Vec<Target>),
    /// A device joining the network.
    Hello(Target),
    /// A device leaving; usually only its address is known.
    Bye(Target),
}

/// One discovery message: its headers and what it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Packet {
    /// The addressing headers.
    pub headers: Headers,
    /// The Body's message.
    pub payload: Payload,
}

/// The ProbeMatch elements among `children`: a bad one is skipped when others are good (one
/// broken entry must not hide the cameras listed beside it); with none good, the first error.
fn read_matches<'a>(children: impl Iterator<Item = &'a Element>) -> Result<Vec<Target>, Error> {
    let mut good = Vec::new();
    let mut first_err = None;
    for c in children.filter(|c| is_wsd(c, "ProbeMatch")) {
        match Target::read_node(c) {
            Ok(t) => good.push(t),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    match (good.is_empty(), first_err) {
        (true, Some(e)) => Err(e),
        _ => Ok(good),
    }
}

impl Packet {
    /// Read a discovery message.
    pub fn parse(input: &[u8]) -> Result<Packet, Error> {
        if input.len() > MAX_DATAGRAM {
            return Err(Error::invalid(
                "datagram",
                format!("{} bytes", input.len()),
                "larger than a UDP datagram",
            ));
        }
        let env = Envelope::parse(input)?;
        let headers = match &env.header {
            Some(h) => Headers::read_node(h)?,
            None => Headers::default(),
        };
        if let Some(f) = env.fault() {
            return Err(f.into());
        }
        let first = env
            .body
            .first_child()
            .ok_or_else(|| Error::NotSoap("the Body is empty".into()))?;
        let payload = if is_wsd(first, "ProbeMatches") {
            Payload::ProbeMatches(read_matches(first.children.iter())?)
        } else if is_wsd(first, "ProbeMatch") {
            // No wrapper: every ProbeMatch in the Body is one.
            Payload::ProbeMatches(read_matches(env.body.children.iter())?)
        } else if is_wsd(first, "Hello") {
            Payload::Hello(Target::read_node(first)?)
        } else if is_wsd(first, "Bye") {
            Payload::Bye(Target::read_node(first)?)
        } else if is_wsd(first, "Probe") {
            Payload::Probe(Probe {
                message_id: headers.message_id.clone().unwrap_or_default(),
                ..Probe::read_node(first)?
            })
        } else {
            return Err(Error::UnexpectedBody {
                expected: "a WS-Discovery Probe, ProbeMatches, Hello or Bye".into(),
                found: match &first.ns {
                    Some(n) => format!("{{{n}}}{}", first.name),
                    None => first.name.clone(),
                },
            });
        };
        Ok(Packet { headers, payload })
    }

    /// The whole envelope (SOAP 1.2, WS-Addressing in `headers.addressing`'s namespace).
    pub fn to_xml(&self) -> String {
        let mut w = Writer::with_capacity(1600);
        w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        w.open(
            "s:Envelope",
            &[
                ("xmlns:s", ns::SOAP12),
                ("xmlns:a", self.headers.addressing.namespace()),
                ("xmlns:d", WSD),
                ("xmlns:dn", DN),
                ("xmlns:tds", ns::TDS),
            ],
        );
        self.headers.write_node(&mut w, "s:Header");
        w.open("s:Body", &[]);
        match &self.payload {
            Payload::Probe(p) => p.write_node(&mut w, "d:Probe"),
            Payload::ProbeMatches(ms) => {
                w.open("d:ProbeMatches", &[]);
                for m in ms {
                    m.write_node(&mut w, "d:ProbeMatch");
                }
                w.close("d:ProbeMatches");
            }
            Payload::Hello(t) => t.write_node(&mut w, "d:Hello"),
            Payload::Bye(t) => t.write_node(&mut w, "d:Bye"),
        }
        w.close("s:Body");
        w.close("s:Envelope");
        w.finish()
    }

    /// A ProbeMatches answering `probe_message_id`, with a fresh MessageID.
    pub fn probe_matches(
        probe_message_id: &str,
        matches: Vec<Target>,
        app_sequence: Option<AppSequence>,
    ) -> Packet {
        Packet {
            headers: Headers {
                addressing: Addressing::V2004,
                message_id: Some(new_message_id()),
                relates_to: Some(probe_message_id.to_owned()),
                to: Some(ANONYMOUS.to_owned()),
                action: Some(ACTION_PROBE_MATCHES.to_owned()),
                app_sequence,
            },
            payload: Payload::ProbeMatches(matches),
        }
    }

    /// A Hello announcing `target`, with a fresh MessageID.
    pub fn hello(target: Target, app_sequence: Option<AppSequence>) -> Packet {
        Packet::announcement(ACTION_HELLO, Payload::Hello(target), app_sequence)
    }

    /// A Bye for `target` (write only its address when that is all you know).
    pub fn bye(target: Target, app_sequence: Option<AppSequence>) -> Packet {
        Packet::announcement(ACTION_BYE, Payload::Bye(target), app_sequence)
    }

    fn announcement(action: &str, payload: Payload, app_sequence: Option<AppSequence>) -> Packet {
        Packet {
            headers: Headers {
                addressing: Addressing::V2004,
                message_id: Some(new_message_id()),
                relates_to: None,
                to: Some(TO_DISCOVERY.to_owned()),
                action: Some(action.to_owned()),
                app_sequence,
            },
            payload,
        }
    }
}
