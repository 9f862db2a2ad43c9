//! What the workspace's tests share, in one place: a dev-dependency of the other crates only,
//! never published.
//!
//! - [`message`]: write a message, read it back, compare ([`message::round_trip`]).
//! - [`captures`]: the recorded camera answers in `../shared/captures` (skip when absent), their
//!   `INDEX.tsv`, a capture read as a typed message.
//! - [`alloc`]: a counting allocator for tests that measure memory in bytes.
//! - [`netns`]: a test run again inside a network namespace of its own, for tests that
//!   change the network.
//! - `sim` (feature `sim`): a simulated camera on 127.0.0.1, strict by default, with known
//!   credentials ([`USER`], [`PASSWORD`]), and a client connected to it.
//! - `http` (feature `sim`): a minimal HTTP/1.1 client over a raw socket, to send the
//!   simulator requests exactly as written.
//! - `peer` (feature `sim`): peers on 127.0.0.1 that answer with given bytes, say nothing, or
//!   are not there, for tests of a client facing a bad camera.
//! - `cli` (feature `cli`): the `onvif` binary in a scrubbed environment (no ONVIF_* variables,
//!   a private home, no colour), on pipes or a pseudo-terminal.
//!
//! - `mqtt` (feature `mqtt`): a broker in the test process, mosquitto where installed (also
//!   with a TLS listener), a subscriber that records what it receives, a relay that cuts the
//!   way to the broker.
//! - `tls` (feature `tls`, part of `mqtt`): a certificate authority of the test's own and a
//!   server certificate for 127.0.0.1 it signed.
//!
//! A test kit panics where a test would: every failure names what went wrong.
#![allow(clippy::unwrap_used)]

pub mod alloc;
pub mod captures;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "sim")]
pub mod http;
pub mod message;
#[cfg(feature = "mqtt")]
pub mod mqtt;
pub mod netns;
#[cfg(feature = "sim")]
pub mod peer;
#[cfg(feature = "sim")]
pub mod sim;
#[cfg(feature = "tls")]
pub mod tls;

#[cfg(feature = "cli")]
pub use cli::{Cli, json, output, scratch_dir, signal, stderr, stdout};
#[cfg(feature = "sim")]
pub use sim::{Sim, SimBuilder};

/// The `Initialized` messages a new event subscription gets from a default simulator: motion,
/// two digital inputs, tamper, two relays.
pub const INITIAL_STATES: usize = 6;

/// The user the kit's simulators know (see [`PASSWORD`]).
pub const USER: &str = "admin";
/// The password of [`USER`]: distinctive enough that a test can look for it in output.
pub const PASSWORD: &str = "Sup3r-s3cret!";
