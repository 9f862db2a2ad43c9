//! The media services: Media (ver10, `trt:`) and Media2 (ver20, `tr2:`), and the model they
//! share.
//!
//! - [`v1`]: Media1's messages, which are this module's items (`ops::media::GetProfiles`);
//! - [`v2`]: Media2's messages (`ops::media2`);
//! - [`profile`]: the shared model (`ops::profile`): profiles here, and from the modules
//!   below configurations, encoders, encoder options, sources and URIs;
//! - `form`: how a model type that the two services lay out differently reads and writes
//!   through the form of the service at hand;
//! - `legacy`: the older declaration helpers the PTZ messages still import from `ops::profile`.

mod config;
mod encoder;
pub(crate) mod form;
mod options;
pub mod osd;
mod osd_ops;
pub mod profile;
mod source;
mod uri;
pub mod v1;
pub mod v2;

pub use v1::*;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod osd_tests;
