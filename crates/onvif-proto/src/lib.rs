//! Sans-IO ONVIF core: no sockets, no clock of its own, no runtime.
//!
//! - [`xml`]: namespace-aware reading into a small tree, escaping writer;
//! - [`soap`]: SOAP 1.2 envelopes (1.1 read too) and typed Faults;
//! - [`wsse`]: WS-Security UsernameToken digest, with time and nonce passed in;
//! - [`ops`]: typed operations, one request and one response type each, shared by the client
//!   (which writes requests and reads responses) and the simulator (which does the reverse);
//! - [`session`]: the decisions of a managed event session, as a state machine;
//! - [`decode`]: any saved response, recognised by its Body's first element;
//! - [`discovery`]: WS-Discovery Probe, ProbeMatches, Hello and Bye;
//! - [`har`]: recordings of a camera's exchanges (HAR 1.2), read and written.
//!
//! A request is written as its body, then wrapped in an envelope; an answer is parsed, and
//! read as the operation's typed response (by namespace, whatever prefixes the camera chose),
//! or as an error carrying the Fault:
//!
//! ```
//! use onvif_proto::ops::device::GetDeviceInformation;
//! use onvif_proto::ops::read_response;
//! use onvif_proto::{Envelope, Error, Operation, soap};
//!
//! // The request, as the client sends it (WS-Security goes in the header, here none).
//! let request = soap::envelope(None, &GetDeviceInformation.body());
//! assert!(request.contains("<tds:GetDeviceInformation/>"));
//! assert_eq!(
//!     GetDeviceInformation::ACTION,
//!     "http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation"
//! );
//!
//! // The camera's answer, read as the operation's response type.
//! let answer = br#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
//!                                xmlns:dev="http://www.onvif.org/ver10/device/wsdl">
//!   <env:Body><dev:GetDeviceInformationResponse>
//!     <dev:Manufacturer>Acme</dev:Manufacturer><dev:Model>Porch 4K</dev:Model>
//!     <dev:FirmwareVersion>2.4.1</dev:FirmwareVersion><dev:SerialNumber>0042</dev:SerialNumber>
//!     <dev:HardwareId>A1</dev:HardwareId>
//!   </dev:GetDeviceInformationResponse></env:Body>
//! </env:Envelope>"#;
//! let info = read_response::<GetDeviceInformation>(&Envelope::parse(answer)?)?;
//! assert_eq!(info.manufacturer, "Acme");
//! assert_eq!(info.model, "Porch 4K");
//!
//! // A Fault is an error, typed too.
//! let refused = br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
//!                              xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault>
//!   <s:Code><s:Value>s:Sender</s:Value>
//!     <s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code>
//!   <s:Reason><s:Text xml:lang="en">Sender not authorized</s:Text></s:Reason>
//! </s:Fault></s:Body></s:Envelope>"#;
//! match read_response::<GetDeviceInformation>(&Envelope::parse(refused)?) {
//!     Err(Error::Fault(f)) => assert!(f.is_not_authorized()),
//!     other => panic!("expected a Fault, got {other:?}"),
//! }
//! # Ok::<(), Error>(())
//! ```

#![warn(missing_docs)]

pub mod codec;
pub mod decode;
pub mod discovery;
pub mod error;
pub mod fault;
pub mod har;
pub mod mime;
pub mod ns;
pub mod ops;
pub mod session;
pub mod soap;
pub mod text;
pub mod time;
pub mod wire;
pub mod wsse;
pub mod xml;

pub use error::Error;
pub use ops::{Message, Operation, Service};
pub use soap::{Envelope, Fault};
