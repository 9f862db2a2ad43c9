//! The older declaration helpers, kept for the PTZ messages that still use them (through
//! `ops::profile`): lenient numbers, `xml_enum!` without the codec's `Text`, and
//! `token_request!`. Messages declared with `#[derive(Xml)]` need none of them.

use crate::codec::Text;

/// A number as cameras write it: read as [`Text`] reads it (surrounding space ignored, an
/// integer also with a zero fraction, a float finite).
pub(crate) trait Num: Sized {
    fn parse_text(s: &str) -> Option<Self>;
}

impl<T: Text> Num for T {
    fn parse_text(s: &str) -> Option<T> {
        T::from_text(s)
    }
}

/// `true` or `false`, as xs:boolean is written.
pub(crate) fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Declare an enumeration written as fixed strings in XML and JSON, read ignoring case.
macro_rules! xml_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum $name {
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
                $(if v.eq_ignore_ascii_case($text) {
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
    };
}
pub(crate) use xml_enum;

/// Declare a request whose only content is one required token element.
macro_rules! token_request {
    ($(#[$m:meta])* $ty:ident, $ns:expr, $prefix:literal, $name:literal, $field:ident = $elem:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
        pub struct $ty {
            #[doc = concat!("`", $elem, "`.")]
            pub $field: String,
        }

        impl $crate::ops::Message for $ty {
            fn write(&self, w: &mut $crate::xml::Writer) {
                w.open(concat!($prefix, ":", $name), &[])
                    .leaf(concat!($prefix, ":", $elem), &self.$field)
                    .close(concat!($prefix, ":", $name));
            }

            fn read(el: &$crate::xml::Element) -> Result<Self, $crate::Error> {
                $crate::ops::expect(el, $ns, $name)?;
                Ok($ty {
                    $field: $crate::ops::req_text(el, $ns, $elem)?.to_owned(),
                })
            }
        }
    };
}
pub(crate) use token_request;
