//! Inclusive ranges (`tt:FloatRange`, `tt:IntRange`), as the options of the media and imaging
//! services and the spaces of PTZ give them.

use serde::Serialize;

use crate::codec::Xml;

/// An inclusive range of floats (`Min`/`Max` children).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Xml)]
pub struct FloatRange {
    /// The smallest allowed value.
    #[xml(child = "tt:Min")]
    pub min: f64,
    /// The largest allowed value.
    #[xml(child = "tt:Max")]
    pub max: f64,
}

/// An inclusive range of integers (`Min`/`Max` children).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
pub struct IntRange {
    /// The smallest allowed value.
    #[xml(child = "tt:Min")]
    pub min: i32,
    /// The largest allowed value.
    #[xml(child = "tt:Max")]
    pub max: i32,
}
