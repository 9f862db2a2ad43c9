//! Namespace URIs. Matching is always by these URIs; the prefixes below are only the ones we
//! write.

/// SOAP 1.2 envelope (`s:`).
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
/// SOAP 1.1 envelope: read, and written only by the simulator answering as the oldest cameras.
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// WS-Security extensions (`wsse:`): the Security header and UsernameToken.
pub const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// WS-Security utility (`wsu:`): `Created`.
pub const WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
/// WS-Addressing 1.0 (`wsa:`).
pub const WSA: &str = "http://www.w3.org/2005/08/addressing";
/// WS-Addressing of August 2004, which some cameras still use in endpoint references.
pub const WSA_2004: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
/// ONVIF schema types (`tt:`).
pub const TT: &str = "http://www.onvif.org/ver10/schema";
/// ONVIF device service (`tds:`).
pub const TDS: &str = "http://www.onvif.org/ver10/device/wsdl";
/// ONVIF media service, version 1 (`trt:`).
pub const TRT: &str = "http://www.onvif.org/ver10/media/wsdl";
/// ONVIF media service, version 2 (`tr2:`).
pub const TR2: &str = "http://www.onvif.org/ver20/media/wsdl";
/// ONVIF PTZ service (`tptz:`).
pub const TPTZ: &str = "http://www.onvif.org/ver20/ptz/wsdl";
/// ONVIF imaging service (`timg:`).
pub const TIMG: &str = "http://www.onvif.org/ver20/imaging/wsdl";
/// ONVIF event service (`tev:`).
pub const TEV: &str = "http://www.onvif.org/ver10/events/wsdl";
/// ONVIF DeviceIO service (`tmd:`): relays and digital inputs.
pub const TMD: &str = "http://www.onvif.org/ver10/deviceIO/wsdl";
/// ONVIF recording service (`trc:`).
pub const TRC: &str = "http://www.onvif.org/ver10/recording/wsdl";
/// ONVIF search service (`tse:`).
pub const TSE: &str = "http://www.onvif.org/ver10/search/wsdl";
/// ONVIF replay service (`trp:`).
pub const TRP: &str = "http://www.onvif.org/ver10/replay/wsdl";
/// ONVIF analytics service, ver20 (`tan:`).
pub const TAN: &str = "http://www.onvif.org/ver20/analytics/wsdl";
/// ONVIF fault subcodes (`ter:`, as in `ter:NotAuthorized`).
pub const TER: &str = "http://www.onvif.org/ver10/error";
/// WS-BaseNotification (`wsnt:`): subscriptions and notifications.
pub const WSNT: &str = "http://docs.oasis-open.org/wsn/b-2";

/// XOP (`xop:`): `xop:Include`, an MTOM answer's reference to an attachment.
pub const XOP: &str = "http://www.w3.org/2004/08/xop/include";

/// XML Schema (`xs:`): the types event and analytics descriptions name in values
/// (`Type="xs:boolean"`), which a client resolves as QNames.
pub const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// The prefixes every envelope we write may use without declaring them: [`crate::soap::envelope`]
/// declares those its header and body use.
pub const ENVELOPE_DECLS: &[(&str, &str)] = &[
    ("s", SOAP12),
    ("tt", TT),
    ("tds", TDS),
    ("trt", TRT),
    ("tr2", TR2),
    ("tptz", TPTZ),
    ("timg", TIMG),
    ("tev", TEV),
    ("tmd", TMD),
    ("trc", TRC),
    ("tse", TSE),
    ("trp", TRP),
    ("tan", TAN),
    ("ter", TER),
    ("wsnt", WSNT),
    ("wsa", WSA),
    ("xop", XOP),
    ("xs", XS),
];
