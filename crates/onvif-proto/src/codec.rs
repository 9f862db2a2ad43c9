//! The declarative codec: what `#[derive(Xml)]` (crate `onvif-derive`) generates code against.
//!
//! A value is either [`Text`] (a string, number, boolean or enumeration: an element's text or
//! an attribute's value) or a [`Node`] (an element with attributes and children). Every `Text`
//! is a `Node` too, so a field's declaration says only where it is (`child`, `attr`, `text`)
//! and its type says how it reads. See [`crate::ops`] for how messages declare themselves.

use std::borrow::Cow;

use crate::error::Error;
use crate::xml::{Element, Writer};

pub use onvif_derive::Xml;

/// Where a message lives: its namespace, the prefix we write it with, its local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementName {
    /// The namespace URI (what matching uses).
    pub ns: &'static str,
    /// The prefix every envelope we write declares when used (see [`crate::ns::ENVELOPE_DECLS`]).
    pub prefix: &'static str,
    /// The local name.
    pub name: &'static str,
}

/// A value written as text: an element's content or an attribute value.
pub trait Text: Sized {
    /// What the value should have been, for errors (`"not a number"`).
    const EXPECTED: &'static str;
    /// Read from text (already trimmed for element text); `None` when it does not read.
    fn from_text(s: &str) -> Option<Self>;
    /// The text to write.
    fn to_text(&self) -> Cow<'_, str>;
}

/// A value read from an element and written as one, under a tag its parent chooses.
pub trait Node: Sized {
    /// Read from the element itself.
    fn read_node(el: &Element) -> Result<Self, Error>;
    /// Write the whole element as `tag` (a prefixed name).
    fn write_node(&self, w: &mut Writer, tag: &str);
    /// Does this element say nothing (an empty text element read as absent)?
    fn is_blank(_el: &Element) -> bool {
        false
    }
}

impl<T: Text> Node for T {
    fn read_node(el: &Element) -> Result<Self, Error> {
        text_one(el.text(), &el.name, "")
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        w.leaf(tag, &self.to_text());
    }

    fn is_blank(el: &Element) -> bool {
        el.text().is_empty()
    }
}

/// A required text value; when it does not read, the error names `{owner}{at}`.
pub fn text_one<T: Text>(text: &str, owner: &str, at: &str) -> Result<T, Error> {
    T::from_text(text).ok_or_else(|| Error::invalid(format!("{owner}{at}"), text, T::EXPECTED))
}

/// An optional text value: absent or empty is `None`; unreadable is an error unless lenient.
pub fn text_opt<T: Text>(
    text: Option<&str>,
    owner: &str,
    at: &str,
    lenient: bool,
) -> Result<Option<T>, Error> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => match T::from_text(t) {
            Some(v) => Ok(Some(v)),
            None if lenient => Ok(None),
            None => Err(Error::invalid(format!("{owner}{at}"), t, T::EXPECTED)),
        },
    }
}

/// An optional child: absent or blank is `None`; unreadable is an error unless lenient.
pub fn read_opt<T: Node>(el: Option<&Element>, lenient: bool) -> Result<Option<T>, Error> {
    match el {
        None => Ok(None),
        Some(c) if T::is_blank(c) => Ok(None),
        Some(c) => match T::read_node(c) {
            Ok(v) => Ok(Some(v)),
            Err(_) if lenient => Ok(None),
            Err(e) => Err(e),
        },
    }
}

/// Every `{ns}name` child of `parent` (none when there is no parent); an unreadable one is an
/// error, or left out when lenient.
pub fn read_list<T: Node>(
    parent: Option<&Element>,
    ns: &str,
    name: &str,
    lenient: bool,
) -> Result<Vec<T>, Error> {
    let Some(parent) = parent else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for c in parent.children_named(ns, name) {
        match T::read_node(c) {
            Ok(v) => out.push(v),
            Err(_) if lenient => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

impl Text for String {
    const EXPECTED: &'static str = "not text";
    fn from_text(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

/// xs:boolean, leniently: `true`/`false`/`1`/`0`, any case, padded.
impl Text for bool {
    const EXPECTED: &'static str = "not a boolean";
    fn from_text(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("true") || s == "1" {
            Some(true)
        } else if s.eq_ignore_ascii_case("false") || s == "0" {
            Some(false)
        } else {
            None
        }
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

/// An integer as cameras write it: padded, or with a zero fraction (`20.0`).
fn int_text(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let f: f64 = s.parse().ok()?;
    // Integral and well inside i64: the cast is exact.
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

macro_rules! int_text {
    ($($t:ty),*) => {$(
        impl Text for $t {
            const EXPECTED: &'static str = "not a number";
            fn from_text(s: &str) -> Option<Self> {
                // The type's own parse first (a u64 above i64::MAX), then the lenient forms.
                s.trim()
                    .parse::<$t>()
                    .ok()
                    .or_else(|| int_text(s).and_then(|v| <$t>::try_from(v).ok()))
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
int_text!(u8, u16, u32, u64, i8, i16, i32, i64, usize);

macro_rules! float_text {
    ($($t:ty),*) => {$(
        /// A finite number (`NaN` and infinities do not read).
        impl Text for $t {
            const EXPECTED: &'static str = "not a number";
            fn from_text(s: &str) -> Option<Self> {
                s.trim().parse::<$t>().ok().filter(|v| v.is_finite())
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
float_text!(f32, f64);

/// Declare an enumeration written as fixed strings in XML and JSON, read ignoring case and
/// surrounding space; it is [`Text`], so `#[derive(Xml)]` fields can hold it.
#[macro_export]
macro_rules! xml_enum {
    ($(#[$m:meta])* $vis:vis $name:ident { $($(#[$vm:meta])* $var:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        $vis enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $var),+
        }

        impl $name {
            /// The value as the schema spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$var => $text),+
                }
            }

            /// Read a value, ignoring case and surrounding space.
            pub fn parse(v: &str) -> Option<Self> {
                let v = v.trim();
                $(if v.eq_ignore_ascii_case($text) $(|| v.eq_ignore_ascii_case($alias))* {
                    return Some($name::$var);
                })+
                None
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::codec::Text for $name {
            const EXPECTED: &'static str = concat!("expected one of:", $(" ", $text),+);
            fn from_text(s: &str) -> Option<Self> {
                $name::parse(s)
            }
            fn to_text(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}

/// `a` + `/` + `b` as one `&'static str`, at compile time (an operation's action from its
/// namespace and name).
#[macro_export]
#[doc(hidden)]
macro_rules! const_join {
    ($a:expr, $b:expr) => {{
        const A: &str = $a;
        const B: &str = $b;
        const LEN: usize = A.len() + 1 + B.len();
        const BYTES: [u8; LEN] = {
            let mut out = [0u8; LEN];
            let (a, b) = (A.as_bytes(), B.as_bytes());
            let mut i = 0;
            while i < a.len() {
                out[i] = a[i];
                i += 1;
            }
            out[a.len()] = b'/';
            let mut j = 0;
            while j < b.len() {
                out[a.len() + 1 + j] = b[j];
                j += 1;
            }
            out
        };
        match ::core::str::from_utf8(&BYTES) {
            Ok(s) => s,
            Err(_) => panic!("an action is UTF-8"),
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn integers_read_their_whole_range_and_the_lenient_forms() {
        assert_eq!(u64::from_text(&u64::MAX.to_text()), Some(u64::MAX));
        assert_eq!(i64::from_text(&i64::MIN.to_text()), Some(i64::MIN));
        assert_eq!(u32::from_text(" 25.0 "), Some(25));
        assert_eq!(u8::from_text("256"), None);
        assert_eq!(i32::from_text("2.5"), None);
    }
}
