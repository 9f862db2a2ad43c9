//! The two forms of the media model. Media1 (`trt:`) and Media2 (`tr2:`) lay some of the shared
//! types out differently (a profile, an encoder): each such type has a derived form per
//! service, and reads and writes through the form of the service an element belongs to.

use serde::Serialize;

use crate::ns::TR2;
use crate::xml::Element;

/// Which media service a value was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaVersion {
    /// Media, ver10 (`trt:`).
    Media1,
    /// Media2, ver20 (`tr2:`).
    Media2,
}

impl MediaVersion {
    /// The service of an element read: Media2's elements are in its namespace; Media1's in
    /// its own or the schema's (`tt:`).
    pub(crate) fn of_element(el: &Element) -> MediaVersion {
        if el.ns.as_deref() == Some(TR2) {
            MediaVersion::Media2
        } else {
            MediaVersion::Media1
        }
    }

    /// The service of an element written, by its tag (`tr2:Profiles`).
    pub(crate) fn of_tag(tag: &str) -> MediaVersion {
        if tag.starts_with("tr2:") {
            MediaVersion::Media2
        } else {
            MediaVersion::Media1
        }
    }
}

/// For `#[xml(skip_if)]`: an element or attribute whose value says nothing is left out.
pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// `Node` for a model type through its forms: `$v1` (Media1's) and `$v2` (Media2's) derive
/// `Xml`, convert from a reference to the model type and into it.
macro_rules! two_forms {
    ($model:ty => $v1:ty, $v2:ty) => {
        /// Media1 and Media2 lay it out differently: read and written through the form of
        /// the service the element belongs to.
        impl $crate::codec::Node for $model {
            fn read_node(el: &$crate::xml::Element) -> Result<Self, $crate::Error> {
                use $crate::ops::media::form::MediaVersion;
                Ok(match MediaVersion::of_element(el) {
                    MediaVersion::Media1 => <$v1 as $crate::codec::Node>::read_node(el)?.into(),
                    MediaVersion::Media2 => <$v2 as $crate::codec::Node>::read_node(el)?.into(),
                })
            }

            fn write_node(&self, w: &mut $crate::xml::Writer, tag: &str) {
                use $crate::ops::media::form::MediaVersion;
                match MediaVersion::of_tag(tag) {
                    MediaVersion::Media1 => {
                        $crate::codec::Node::write_node(&<$v1>::from(self), w, tag)
                    }
                    MediaVersion::Media2 => {
                        $crate::codec::Node::write_node(&<$v2>::from(self), w, tag)
                    }
                }
            }
        }
    };
}
pub(crate) use two_forms;
