//! The configurations a profile is made of, apart from the video encoder (in `encoder`):
//! source configurations, the audio encoder, the PTZ reference, metadata, and multicast.
//!
//! Reading is lenient, because cameras omit and garble optional fields: a value that is absent
//! or cannot be read is `None`, never an error. A missing token reads as empty. Writing follows
//! the schema, which requires `Name` and `UseCount`: the token and 1 stand in when unknown.

use serde::Serialize;

use super::form::two_forms;
use super::source::Bounds;
use crate::codec::{Xml, read_opt};
use crate::error::Error;
use crate::ns::TT;
use crate::ops::message::opt_text;
use crate::xml::{Element, Writer};

/// Declare a configuration (`tt:ConfigurationEntity`): its `token` attribute, then `Name` and
/// `UseCount` (written as the token and 1 when unknown: the schema requires both), then the
/// fields given. A missing token reads as empty.
macro_rules! configuration {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($fields:tt)* }) => {
        $(#[$m])*
        $vis struct $name {
            /// The configuration's token; empty when absent.
            #[xml(attr = "token", default)]
            $vis token: String,
            /// Its name; `None` when absent (the token is written in its place).
            #[xml(child = "tt:Name", write_default = "self.token")]
            $vis name: Option<String>,
            /// How many profiles use it; `None` when absent or unreadable (written as 1).
            #[xml(child = "tt:UseCount", lenient, write_default = "1u32")]
            $vis use_count: Option<u32>,
            $($fields)*
        }
    };
}
pub(super) use configuration;

/// Multicast settings of an encoder. The schema requires every element: what is unknown is
/// written as IPv4, port 0, TTL 0, not started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct Multicast {
    /// IPv4 or IPv6 group address.
    #[xml(with = "multicast_address")]
    pub address: Option<String>,
    /// The UDP port; `None` when absent or unreadable (written as 0).
    #[xml(child = "tt:Port", lenient, write_default = "0u16")]
    pub port: Option<u16>,
    /// The time to live of the packets, in hops; `None` when absent or unreadable (written as 0).
    #[xml(child = "tt:TTL", lenient, write_default = "0u32")]
    pub ttl: Option<u32>,
    /// Whether the camera streams to the group without a client asking (`AutoStart`); `None` when
    /// absent or unreadable (written as false).
    #[xml(child = "tt:AutoStart", lenient, write_default = "false")]
    pub auto_start: Option<bool>,
}

/// `#[xml(with)]` for a multicast `Address`: which element holds it depends on its kind
/// (`IPv4Address` or `IPv6Address`, as `Type` says).
mod multicast_address {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Option<String>, Error> {
        Ok(el.child(TT, "Address").and_then(|a| {
            opt_text(a, TT, "IPv4Address").or_else(|| opt_text(a, TT, "IPv6Address"))
        }))
    }

    pub(super) fn write(m: &Multicast, w: &mut Writer, _: &str) {
        w.open("tt:Address", &[]);
        match &m.address {
            Some(a) if a.contains(':') => {
                w.leaf("tt:Type", "IPv6").leaf("tt:IPv6Address", a);
            }
            Some(a) => {
                w.leaf("tt:Type", "IPv4").leaf("tt:IPv4Address", a);
            }
            None => {
                w.leaf("tt:Type", "IPv4");
            }
        }
        w.close("tt:Address");
    }
}

configuration! {
    /// A video source configuration (`tt:VideoSourceConfiguration`, the same in both services):
    /// which source, and the part of it used.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    pub struct VideoSourceConfig {
        /// The physical video source (`VideoSources` token).
        #[xml(child = "tt:SourceToken")]
        pub source_token: Option<String>,
        /// The part of the source used, in pixels; `None` when absent or unreadable.
        #[xml(child = "tt:Bounds", lenient)]
        pub bounds: Option<Bounds>,
    }
}

/// The minimal configurations, which keep no use count: written with `UseCount` 1.
trait Uncounted {
    fn token(&self) -> &str;
    fn name(&self) -> Option<&str>;
}

/// `#[xml(with)]` for the `Name` of an [`Uncounted`] configuration: the name (the token when
/// unknown), then the `UseCount` the schema requires after it.
mod name_and_use_count {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<Option<String>, Error> {
        Ok(opt_text(el, TT, "Name"))
    }

    pub(super) fn write<C: Uncounted>(c: &C, w: &mut Writer, _: &str) {
        w.leaf("tt:Name", c.name().unwrap_or(c.token()));
        w.leaf("tt:UseCount", "1");
    }
}

/// An audio source configuration (minimal).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct AudioSourceConfig {
    /// The configuration's token; empty when absent.
    #[xml(attr = "token", default)]
    pub token: String,
    /// Its name; `None` when absent (the token is written in its place).
    #[xml(with = "name_and_use_count")]
    pub name: Option<String>,
    /// The physical audio source (`AudioSources` token); `None` when absent.
    #[xml(child = "tt:SourceToken")]
    pub source_token: Option<String>,
}

macro_rules! uncounted {
    ($($t:ty),*) => {$(
        impl Uncounted for $t {
            fn token(&self) -> &str {
                &self.token
            }
            fn name(&self) -> Option<&str> {
                self.name.as_deref()
            }
        }
    )*};
}
uncounted!(AudioSourceConfig);

/// An audio encoder configuration (minimal).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AudioEncoder {
    /// The configuration's token; empty when absent.
    pub token: String,
    /// Its name; `None` when absent (the token is written in its place).
    pub name: Option<String>,
    /// As sent: `G711`/`G726`/`AAC` (Media1) or `PCMU`/`G726`/`MP4A-LATM`/... (Media2).
    pub encoding: Option<String>,
    /// kbit/s.
    pub bitrate: Option<u32>,
    /// kHz.
    pub sample_rate: Option<u32>,
}

two_forms!(AudioEncoder => Media1AudioEncoder, Media2AudioEncoder);

configuration! {
    /// `tt:AudioEncoderConfiguration`, the Media1 form of [`AudioEncoder`]: the multicast and
    /// session timeout it requires are written as defaults.
    #[derive(Xml)]
    struct Media1AudioEncoder {
        #[xml(child = "tt:Encoding")]
        encoding: Option<String>,
        #[xml(child = "tt:Bitrate", lenient)]
        bitrate: Option<u32>,
        #[xml(child = "tt:SampleRate", lenient)]
        sample_rate: Option<u32>,
        #[xml(child = "tt:Multicast", write_default = "Multicast::default()")]
        multicast: Option<Multicast>,
        #[xml(child = "tt:SessionTimeout", write_default = "String::from(\"PT60S\")")]
        session_timeout: Option<String>,
    }
}

configuration! {
    /// `tt:AudioEncoder2Configuration`, the Media2 form of [`AudioEncoder`].
    #[derive(Xml)]
    struct Media2AudioEncoder {
        #[xml(child = "tt:Encoding")]
        encoding: Option<String>,
        #[xml(child = "tt:Multicast", write_default = "Multicast::default()")]
        multicast: Option<Multicast>,
        #[xml(child = "tt:Bitrate", lenient)]
        bitrate: Option<u32>,
        #[xml(child = "tt:SampleRate", lenient)]
        sample_rate: Option<u32>,
    }
}

/// Conversions between [`AudioEncoder`] and a form; the form's `$unsaid` fields are what the
/// model does not keep (written as the schema's defaults).
macro_rules! audio_form {
    ($form:ident { $($unsaid:ident),* }) => {
        impl From<&AudioEncoder> for $form {
            fn from(a: &AudioEncoder) -> Self {
                let a = a.clone();
                $form {
                    token: a.token,
                    name: a.name,
                    encoding: a.encoding,
                    bitrate: a.bitrate,
                    sample_rate: a.sample_rate,
                    $($unsaid: None,)*
                }
            }
        }

        impl From<$form> for AudioEncoder {
            fn from(f: $form) -> Self {
                AudioEncoder {
                    token: f.token,
                    name: f.name,
                    encoding: f.encoding,
                    bitrate: f.bitrate,
                    sample_rate: f.sample_rate,
                }
            }
        }
    };
}
audio_form!(Media1AudioEncoder {
    use_count,
    multicast,
    session_timeout
});
audio_form!(Media2AudioEncoder {
    use_count,
    multicast
});

configuration! {
    /// A metadata stream configuration (`tt:MetadataConfiguration`, the same in both services):
    /// what the camera puts in its metadata RTP stream.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    pub struct MetadataConfig {
        /// `PTZStatus/Status`: PTZ move status is included.
        #[xml(with = "ptz_status")]
        pub ptz_status: Option<bool>,
        /// `PTZStatus/Position`: PTZ position is included.
        #[xml(with = "ptz_status::position")]
        pub ptz_position: Option<bool>,
        /// Events are included (an `Events` element is present; its filter is not read).
        #[xml(with = "events_present")]
        pub events: bool,
        /// Analytics output is included.
        #[xml(child = "tt:Analytics", lenient)]
        pub analytics: Option<bool>,
        /// Multicast settings of the metadata stream; `None` when absent.
        #[xml(child = "tt:Multicast")]
        pub multicast: Option<Multicast>,
        /// RTSP session timeout (xs:duration as sent).
        #[xml(child = "tt:SessionTimeout")]
        pub session_timeout: Option<String>,
    }
}

/// `#[xml(with)]` for the two flags of `PTZStatus`, which the schema requires together: the
/// element is written, by the first flag, when either is known (an unknown one as false).
mod ptz_status {
    use super::*;

    fn flag(el: &Element, name: &str) -> Option<bool> {
        let status = el.child(TT, "PTZStatus")?;
        read_opt(status.child(TT, name), true).ok().flatten()
    }

    pub(super) fn read(el: &Element) -> Result<Option<bool>, Error> {
        Ok(flag(el, "Status"))
    }

    pub(super) fn write(m: &MetadataConfig, w: &mut Writer, _: &str) {
        if m.ptz_status.is_some() || m.ptz_position.is_some() {
            let text = |b: Option<bool>| if b == Some(true) { "true" } else { "false" };
            w.open("tt:PTZStatus", &[])
                .leaf("tt:Status", text(m.ptz_status))
                .leaf("tt:Position", text(m.ptz_position))
                .close("tt:PTZStatus");
        }
    }

    /// `Position`, written with `Status` above.
    pub(super) mod position {
        use super::*;

        pub(crate) fn read(el: &Element) -> Result<Option<bool>, Error> {
            Ok(flag(el, "Position"))
        }

        pub(crate) fn write(_: &MetadataConfig, _: &mut Writer, _: &str) {}
    }
}

/// `#[xml(with)]` for `Events`, whose presence is the flag (its filter is not read).
mod events_present {
    use super::*;

    pub(super) fn read(el: &Element) -> Result<bool, Error> {
        Ok(el.child(TT, "Events").is_some())
    }

    pub(super) fn write(m: &MetadataConfig, w: &mut Writer, _: &str) {
        if m.events {
            w.empty("tt:Events", &[]);
        }
    }
}
