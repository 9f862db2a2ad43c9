//! Sans-IO ONVIF core: no sockets, no clock of its own, no runtime.
//!
//! - [`xml`]: namespace-aware reading into a small tree, escaping writer;
//! - [`soap`]: SOAP 1.2 envelopes (1.1 read too) and typed Faults;
//! - [`wsse`]: WS-Security UsernameToken digest, with time and nonce passed in;
//! - [`ops`]: typed operations, one request and one response type each, shared by the client
//!   (which writes requests and reads responses) and the simulator (which does the reverse);
//! - [`session`]: the decisions of a managed event session, as a state machine;
//! - [`decode`]: any saved response, recognised by its Body's first element;
//! - [`discovery`]: WS-Discovery Probe, ProbeMatches, Hello and Bye.

pub mod codec;
pub mod decode;
pub mod discovery;
pub mod error;
pub mod mime;
pub mod ns;
pub mod ops;
pub mod session;
pub mod soap;
pub mod text;
pub mod time;
pub mod wsse;
pub mod xml;

pub use error::Error;
pub use ops::{Message, Operation, Service};
pub use soap::{Envelope, Fault};
