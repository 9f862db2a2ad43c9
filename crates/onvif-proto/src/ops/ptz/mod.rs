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

use std::time::Duration;

use serde::Serializer;

use crate::xml::Element;

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

/// An `xs:float`: surrounding space ignored, `INF`/`-INF` only when `infinite` is allowed (space
/// ranges), never NaN.
fn parse_float(s: &str, infinite: bool) -> Option<f64> {
    let v: f64 = s.trim().parse().ok()?;
    (v.is_finite() || (infinite && v.is_infinite())).then_some(v)
}

/// An `xs:float` as written: `INF`/`-INF` for the infinities.
fn fmt_float(v: f64) -> String {
    if v == f64::INFINITY {
        "INF".into()
    } else if v == f64::NEG_INFINITY {
        "-INF".into()
    } else {
        v.to_string()
    }
}

/// An attribute by local name: unqualified first, then in any namespace (some cameras qualify
/// PTZ attributes, e.g. `tt:EFlip`).
fn attr_any<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.attr(name).or_else(|| {
        el.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    })
}

fn ser_duration<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*d))
}

fn ser_opt_duration<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&format_duration(*d)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests;
