//! WS-Addressing endpoint references: where a subscription is managed, and the reference
//! parameters to echo as SOAP headers on every request to it.

use serde::Serialize;

use crate::codec::Node;
use crate::error::Error;
use crate::ns::{WSA, WSA_2004};
use crate::xml::{Element, Writer, element_to_xml};

/// A WS-Addressing endpoint reference: the address, and the reference parameters to echo as
/// SOAP headers on every request to it. Equality compares the address and the parameters'
/// trees (namespaces, names, attributes, text), not the declarations in scope.
#[derive(Debug, Clone, Eq, Serialize)]
pub struct EndpointReference {
    /// `wsa:Address`.
    pub address: String,
    /// Each child of `wsa:ReferenceParameters`, as a tree (for display).
    pub reference_parameters: Vec<Element>,
    /// The same, each written back as self-contained XML to echo verbatim as a header.
    #[serde(skip)]
    pub reference_parameters_xml: Vec<String>,
}

impl PartialEq for EndpointReference {
    fn eq(&self, other: &EndpointReference) -> bool {
        self.address == other.address
            && self.reference_parameters.len() == other.reference_parameters.len()
            && self
                .reference_parameters
                .iter()
                .zip(&other.reference_parameters)
                .all(|(a, b)| same_tree(a, b))
    }
}

/// Same namespace, name, attributes, text and children, whatever the declarations in scope.
pub fn same_tree(a: &Element, b: &Element) -> bool {
    a.ns == b.ns
        && a.name == b.name
        && a.attrs == b.attrs
        && a.text == b.text
        && a.children.len() == b.children.len()
        && a.children
            .iter()
            .zip(&b.children)
            .all(|(x, y)| same_tree(x, y))
}

impl EndpointReference {
    /// An address with reference parameters given as XML (each a self-contained element);
    /// unparsable ones are kept for echoing but not shown as trees.
    pub fn new(address: &str, parameters_xml: &[&str]) -> EndpointReference {
        EndpointReference {
            address: address.to_owned(),
            reference_parameters: parameters_xml
                .iter()
                .filter_map(|x| crate::xml::parse_str(x).ok())
                .collect(),
            reference_parameters_xml: parameters_xml.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Read an endpoint reference (`wsa:` 2005 or 2004 addressing).
    pub fn read(el: &Element) -> EndpointReference {
        let addr_el = el
            .child(WSA, "Address")
            .or_else(|| el.child(WSA_2004, "Address"));
        let params: Vec<Element> = el
            .child(WSA, "ReferenceParameters")
            .or_else(|| el.child(WSA_2004, "ReferenceProperties"))
            .or_else(|| el.child(WSA_2004, "ReferenceParameters"))
            .map(|p| p.children.clone())
            .unwrap_or_default();
        EndpointReference {
            address: addr_el.map(|a| a.text().to_owned()).unwrap_or_default(),
            reference_parameters_xml: params.iter().map(element_to_xml).collect(),
            reference_parameters: params,
        }
    }

    /// The SOAP header blocks for a request to this endpoint: `wsa:To`, `wsa:Action`, a fresh
    /// `wsa:MessageID` and every reference parameter, echoed as given (marked
    /// `wsa:IsReferenceParameter`).
    pub fn header_xml(&self, action: &str, message_id: &str) -> String {
        let mut w = Writer::with_capacity(512);
        w.leaf("wsa:To", &self.address)
            .leaf("wsa:Action", action)
            .leaf("wsa:MessageID", message_id);
        for p in &self.reference_parameters_xml {
            w.raw(&mark_reference_parameter(p));
        }
        // Kept by the request as long as it waits (a long poll): without the room left over.
        let mut xml = w.finish();
        xml.shrink_to_fit();
        xml
    }
}

/// A reference parameter's XML with `wsa:IsReferenceParameter="true"` added to its top
/// element (WS-Addressing 1.0, section 3.3): under a prefix of its own when the element
/// declares `wsa` itself (perhaps for another namespace); unchanged when it already has it or
/// does not start with an element.
fn mark_reference_parameter(xml: &str) -> String {
    let trimmed = xml.trim_start();
    let start = xml.len() - trimmed.len();
    let Some(rest) = trimmed.strip_prefix('<') else {
        return xml.to_owned();
    };
    if rest.starts_with(['?', '!', '/']) || xml.contains("IsReferenceParameter") {
        return xml.to_owned();
    }
    let name_len = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    if name_len == 0 || name_len == rest.len() {
        return xml.to_owned();
    }
    let at = start + 1 + name_len;
    let attr = if xml.contains("xmlns:wsa=") {
        format!(" xmlns:wsa-rp=\"{WSA}\" wsa-rp:IsReferenceParameter=\"true\"")
    } else {
        " wsa:IsReferenceParameter=\"true\"".to_owned()
    };
    format!("{}{attr}{}", &xml[..at], &xml[at..])
}

/// Hand-written [`Node`]: either WS-Addressing version is read (2005/08, or 2004/08 with its
/// `ReferenceProperties`), and the reference parameters are elements of any schema (xs:any).
impl Node for EndpointReference {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(EndpointReference::read(el))
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.open(tag, &[]).leaf("wsa:Address", &self.address);
        if !self.reference_parameters_xml.is_empty() {
            w.open("wsa:ReferenceParameters", &[]);
            for p in &self.reference_parameters_xml {
                w.raw(p);
            }
            w.close("wsa:ReferenceParameters");
        }
        w.close(tag);
    }
}
