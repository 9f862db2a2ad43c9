//! Namespace URIs. Matching is always by these URIs; the prefixes below are only the ones we
//! write.

pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
pub const WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
pub const WSA: &str = "http://www.w3.org/2005/08/addressing";
pub const WSA_2004: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
pub const TT: &str = "http://www.onvif.org/ver10/schema";
pub const TDS: &str = "http://www.onvif.org/ver10/device/wsdl";
pub const TRT: &str = "http://www.onvif.org/ver10/media/wsdl";
pub const TR2: &str = "http://www.onvif.org/ver20/media/wsdl";
pub const TPTZ: &str = "http://www.onvif.org/ver20/ptz/wsdl";
pub const TIMG: &str = "http://www.onvif.org/ver20/imaging/wsdl";
pub const TEV: &str = "http://www.onvif.org/ver10/events/wsdl";
pub const TER: &str = "http://www.onvif.org/ver10/error";
pub const WSNT: &str = "http://docs.oasis-open.org/wsn/b-2";

/// Prefix declarations put on every envelope we write, so bodies can use these prefixes.
pub const ENVELOPE_DECLS: &[(&str, &str)] = &[
    ("s", SOAP12),
    ("tt", TT),
    ("tds", TDS),
    ("trt", TRT),
    ("tr2", TR2),
    ("tptz", TPTZ),
    ("timg", TIMG),
    ("tev", TEV),
    ("ter", TER),
    ("wsnt", WSNT),
    ("wsa", WSA),
];
