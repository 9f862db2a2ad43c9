//! Media profiles, and the whole media model shared by Media (ver10) and Media2 (ver20): one
//! profile, encoder, source, options and URI type whichever service answered. The model's
//! other types live in the sibling modules and are all re-exported here (`ops::profile`).
//!
//! Reading is lenient, because cameras omit and garble optional fields: a value that is absent
//! or cannot be read is recorded as `None` (or left out of a list), never an error. Only what
//! identifies a thing is required (a profile's `token`). Writing follows the schema order of the
//! service being written, so the simulator's answers and the client's requests are valid.

use std::borrow::Cow;

use serde::Serialize;

use super::form::{is_default, two_forms};
use crate::codec::{Text, Xml};

pub use super::config::{
    AudioEncoder, AudioSourceConfig, MetadataConfig, Multicast, VideoSourceConfig,
};
pub use super::encoder::{VideoEncoder, VideoEncoding};
pub use super::form::MediaVersion;
pub use super::options::{EncodingOptions, VideoEncoderOptions};
pub use super::source::{
    AudioSource, Bounds, BoundsRange, Resolution, VideoSource, VideoSourceOptions,
};
pub use super::uri::MediaUri;
pub use crate::ops::ptz::PtzConfiguration;
pub use crate::ops::range::{FloatRange, IntRange};

/// A media profile, the same shape whether Media1 or Media2 described it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaProfile {
    /// The profile's token, which operations name it by (never empty).
    pub token: String,
    /// The profile's name; empty when absent.
    pub name: String,
    /// The profile cannot be deleted.
    pub fixed: bool,
    /// The service that described it.
    pub source: MediaVersion,
    /// Its video source configuration; `None` when it has none.
    pub video_source: Option<VideoSourceConfig>,
    /// Its audio source configuration; `None` when it has none.
    pub audio_source: Option<AudioSourceConfig>,
    /// Its video encoder configuration; `None` when it has none.
    pub video_encoder: Option<VideoEncoder>,
    /// Its audio encoder configuration; `None` when it has none.
    pub audio_encoder: Option<AudioEncoder>,
    /// Its PTZ configuration, as whole as the camera wrote it (its default spaces, which
    /// clients such as Home Assistant read from the profile to know which moves it takes);
    /// `None` when it has none.
    pub ptz: Option<PtzConfiguration>,
    /// Its metadata configuration; `None` when it has none.
    pub metadata: Option<MetadataConfig>,
}

impl MediaProfile {
    /// An empty profile (no configurations).
    pub fn new(token: impl Into<String>, name: impl Into<String>, source: MediaVersion) -> Self {
        MediaProfile {
            token: token.into(),
            name: name.into(),
            fixed: false,
            source,
            video_source: None,
            audio_source: None,
            video_encoder: None,
            audio_encoder: None,
            ptz: None,
            metadata: None,
        }
    }
}

two_forms!(MediaProfile => Media1Profile, Media2Profile);

/// `tt:Profile` (as `trt:Profiles` or `trt:Profile`), the Media1 form of [`MediaProfile`].
#[derive(Xml)]
struct Media1Profile {
    #[xml(attr = "token")]
    token: Token,
    #[xml(attr = "fixed", default, lenient, skip_if = "is_default")]
    fixed: bool,
    #[xml(child = "tt:Name", default)]
    name: String,
    #[xml(child = "tt:VideoSourceConfiguration")]
    video_source: Option<VideoSourceConfig>,
    #[xml(child = "tt:AudioSourceConfiguration")]
    audio_source: Option<AudioSourceConfig>,
    #[xml(child = "tt:VideoEncoderConfiguration")]
    video_encoder: Option<VideoEncoder>,
    #[xml(child = "tt:AudioEncoderConfiguration")]
    audio_encoder: Option<AudioEncoder>,
    #[xml(child = "tt:PTZConfiguration")]
    ptz: Option<PtzConfiguration>,
    #[xml(child = "tt:MetadataConfiguration")]
    metadata: Option<MetadataConfig>,
}

/// `tr2:MediaProfile` (as `tr2:Profiles`), the Media2 form of [`MediaProfile`]: its
/// configurations under `Configurations`, named by kind.
#[derive(Xml)]
struct Media2Profile {
    #[xml(attr = "token")]
    token: Token,
    #[xml(attr = "fixed", default, lenient, skip_if = "is_default")]
    fixed: bool,
    #[xml(child = "tr2:Name", default)]
    name: String,
    #[xml(child = "tr2:Configurations/tr2:VideoSource")]
    video_source: Option<VideoSourceConfig>,
    #[xml(child = "tr2:Configurations/tr2:AudioSource")]
    audio_source: Option<AudioSourceConfig>,
    #[xml(child = "tr2:Configurations/tr2:VideoEncoder")]
    video_encoder: Option<VideoEncoder>,
    #[xml(child = "tr2:Configurations/tr2:AudioEncoder")]
    audio_encoder: Option<AudioEncoder>,
    #[xml(child = "tr2:Configurations/tr2:PTZ")]
    ptz: Option<PtzConfiguration>,
    #[xml(child = "tr2:Configurations/tr2:Metadata")]
    metadata: Option<MetadataConfig>,
}

/// Conversions between [`MediaProfile`] and a form with the same fields.
macro_rules! profile_form {
    ($form:ident, $version:expr) => {
        impl From<&MediaProfile> for $form {
            fn from(p: &MediaProfile) -> Self {
                let p = p.clone();
                $form {
                    token: Token(p.token),
                    fixed: p.fixed,
                    name: p.name,
                    video_source: p.video_source,
                    audio_source: p.audio_source,
                    video_encoder: p.video_encoder,
                    audio_encoder: p.audio_encoder,
                    ptz: p.ptz,
                    metadata: p.metadata,
                }
            }
        }

        impl From<$form> for MediaProfile {
            fn from(f: $form) -> Self {
                MediaProfile {
                    token: f.token.0,
                    name: f.name,
                    fixed: f.fixed,
                    source: $version,
                    video_source: f.video_source,
                    audio_source: f.audio_source,
                    video_encoder: f.video_encoder,
                    audio_encoder: f.audio_encoder,
                    ptz: f.ptz,
                    metadata: f.metadata,
                }
            }
        }
    };
}
profile_form!(Media1Profile, MediaVersion::Media1);
profile_form!(Media2Profile, MediaVersion::Media2);

/// A profile's token: what the profile is used by, so it is required and not blank
/// (surrounding space is dropped).
struct Token(String);

impl Text for Token {
    const EXPECTED: &'static str = "a token";
    fn from_text(s: &str) -> Option<Self> {
        let t = s.trim();
        (!t.is_empty()).then(|| Token(t.to_owned()))
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}
