//! WS-Discovery (the 2005/04 version ONVIF uses): the Probe a client multicasts, and the
//! ProbeMatches, Hello and Bye that devices send, read and written.
//!
//! Sans-IO like the rest of this crate: this module turns messages into bytes and back; the
//! sockets live in the client (`onvif::discovery`) and the simulator.
//!
//! Reading is lenient where cameras differ and strict where a message would be meaningless:
//! - WS-Addressing headers are read in the 2004/08 namespace (the one WS-Discovery 2005/04
//!   uses) or the 2005/08 one;
//! - a `ProbeMatch` sent straight in the Body, without its `ProbeMatches` wrapper, is read;
//! - `Types` are QNames resolved against the namespace declarations in scope where they appear;
//! - `Scopes` and `XAddrs` are whitespace-separated lists;
//! - a match without an endpoint reference address is an error (nothing could identify the
//!   device), and so is anything that is not a SOAP envelope carrying one of these messages.
//!
//! The parts: [`names`](WSD) (namespaces, actions, ids), the [`Target`] a match or an
//! announcement describes, and the [`Packet`] around it.

mod names;
mod packet;
mod target;

#[cfg(test)]
mod tests;

pub use names::{
    ACTION_BYE, ACTION_HELLO, ACTION_PROBE, ACTION_PROBE_MATCHES, ANONYMOUS, Addressing, DN,
    MAX_DATAGRAM, MULTICAST_V4, PORT, TO_DISCOVERY, WSD, WSD_2009, device_type, format_uuid,
    network_video_transmitter, new_message_id, onvif_types, uuid_of,
};
pub use packet::{AppSequence, Headers, Packet, Payload, Probe};
pub use target::{ScopeInfo, Target};
