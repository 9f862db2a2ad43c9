//! PTZ service, ver20 (`tptz:`, <http://www.onvif.org/ver20/ptz/wsdl>): nodes and their
//! coordinate spaces, configurations, status, the three kinds of move, stop, presets, the home
//! position and auxiliary commands. The schema types are `tt:` ones.
//!
//! Answers are read leniently (an unreadable optional value is `None` or left out of its list,
//! as in [`crate::ops::profile`]); requests, which the simulator acts on, are read strictly, so a
//! bad coordinate is refused rather than silently dropped. Everything is written in schema
//! order.
//!
//! Numbers are `f64`. Space ranges may be unbounded (`-INF`/`INF` in XML, as the spherical
//! spaces are defined); an infinite bound serialises to JSON as `null`. Durations
//! (`xs:duration`) are [`std::time::Duration`]s, read with [`parse_duration`] and written (in XML
//! and JSON) with [`format_duration`].
//!
//! The files: [`space`] (the URIs of the standard spaces), `vector` (positions, translations,
//! velocities, speeds), `spaces` (a node's spaces and their ranges), `node`, `configuration`,
//! `status`, `moves` (the three moves and stop), `presets` (presets and the home position),
//! `auxiliary`, `capabilities`, and [`scale`], which maps a user's `-1..1` (or `0..1`) values
//! into the ranges a node advertises and checks values against them, before anything is sent.

mod auxiliary;
mod capabilities;
mod configuration;
mod moves;
mod node;
mod presets;
pub mod scale;
pub mod space;
mod spaces;
mod status;
pub(crate) mod values;
mod vector;

pub use crate::time::{format_duration, parse_duration};
pub use auxiliary::*;
pub use capabilities::*;
pub use configuration::*;
pub use moves::*;
pub use node::*;
pub use presets::*;
pub use spaces::*;
pub use status::*;
pub use vector::*;

#[cfg(test)]
mod tests;
