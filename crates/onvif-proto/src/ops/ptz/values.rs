//! Small readers and writers the PTZ types share: numbers that may be `INF`, attributes in any
//! namespace, durations in JSON.

use crate::xml::Element;

/// An `xs:float`: surrounding space ignored, `INF`/`-INF` only when `infinite` is allowed (space
/// ranges), never NaN.
pub(super) fn parse_float(s: &str, infinite: bool) -> Option<f64> {
    let v: f64 = s.trim().parse().ok()?;
    (v.is_finite() || (infinite && v.is_infinite())).then_some(v)
}

/// An `xs:float` as written: `INF`/`-INF` for the infinities.
pub(super) fn fmt_float(v: f64) -> String {
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
pub(super) fn attr_any<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.attr(name).or_else(|| {
        el.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    })
}
