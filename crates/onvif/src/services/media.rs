//! Media and Media2: profiles (Media2 when offered, else Media1, one model), stream and
//! snapshot URIs, snapshots, video sources and encoders.

use http::header::CONTENT_TYPE;
use onvif_proto::Fault;
use onvif_proto::ops::media::{self, StreamType, TransportProtocol};
use onvif_proto::ops::media2::{self, StreamingProtocol};
use onvif_proto::ops::profile::VideoEncoderOptions;
use onvif_proto::ops::profile::{MediaProfile, MediaUri, VideoEncoder, VideoSource};
use onvif_proto::ops::{Operation, Service};
use serde::Serialize;
use url::Url;

pub use crate::address::{redact_userinfo, redact_userinfo_in_text, without_userinfo};
use crate::camera::Camera;
use crate::error::Error;
use crate::transport::{Credentials, Response};
/// How a stream should reach the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StreamTransport {
    /// RTSP with RTP over UDP (Media2 RtspUnicast; Media1 is asked for RTSP, which is what
    /// cameras answer for unicast).
    #[default]
    Rtsp,
    /// RTP interleaved in the RTSP TCP connection (Media1 RTSP, Media2 `RTSP`).
    RtspTcp,
    /// RTSP tunnelled through HTTP (Media1 HTTP, Media2 RtspOverHttp).
    Http,
    /// Multicast RTP (Media1 RTP-Multicast/UDP, Media2 RtspMulticast).
    UdpMulticast,
}

impl StreamTransport {
    fn media1(self) -> (StreamType, TransportProtocol) {
        match self {
            // Media1's "RTSP" is what nearly every camera answers (the player still chooses
            // UDP or TCP in its RTSP SETUP); some refuse "UDP" with a fault.
            StreamTransport::Rtsp | StreamTransport::RtspTcp => {
                (StreamType::RtpUnicast, TransportProtocol::Rtsp)
            }
            StreamTransport::Http => (StreamType::RtpUnicast, TransportProtocol::Http),
            StreamTransport::UdpMulticast => (StreamType::RtpMulticast, TransportProtocol::Udp),
        }
    }

    fn media2(self) -> StreamingProtocol {
        match self {
            StreamTransport::Rtsp => StreamingProtocol::RtspUnicast,
            StreamTransport::RtspTcp => StreamingProtocol::Rtsp,
            StreamTransport::Http => StreamingProtocol::RtspOverHttp,
            StreamTransport::UdpMulticast => StreamingProtocol::RtspMulticast,
        }
    }
}

/// A downloaded snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// Where it came from (credentials removed).
    pub uri: String,
    /// Its media type (`image/jpeg`, `image/png`...).
    pub content_type: String,
    #[serde(skip)]
    /// The image.
    pub bytes: Vec<u8>,
    /// Its size in bytes.
    pub size: usize,
}

impl Camera {
    /// Every media profile: from Media2 when the camera offers it (the only way to see H.265
    /// on many cameras), else from Media1.
    pub async fn profiles(&self) -> Result<Vec<MediaProfile>, Error> {
        if self.has_service(Service::Media2).await? {
            match self.call(&media2::GetProfiles::default()).await {
                Ok(p) => return Ok(p.profiles),
                Err(e) if e.fault().is_some() => {
                    tracing::debug!(error = %e, "Media2 GetProfiles failed; using Media1");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(self.call(&media::GetProfiles).await?.profiles)
    }

    /// A profile by token (or, failing that, by name), or the first one when `token` is
    /// `None`; an unknown one is a usage error naming the profiles there are.
    pub async fn profile(&self, token: Option<&str>) -> Result<MediaProfile, Error> {
        let profiles = self.profiles().await?;
        pick_profile(profiles, token).map_err(Error::Usage)
    }

    /// The stream URI of a profile, its host repaired (the port is kept as given).
    pub async fn stream_uri(
        &self,
        profile: &MediaProfile,
        transport: StreamTransport,
    ) -> Result<MediaUri, Error> {
        let mut uri = if self.use_media2(profile).await? {
            self.call(&media2::GetStreamUri {
                protocol: transport.media2(),
                profile_token: profile.token.clone(),
            })
            .await?
            .media_uri
        } else {
            let (stream, protocol) = transport.media1();
            self.call(&media::GetStreamUri {
                stream,
                protocol,
                profile_token: profile.token.clone(),
            })
            .await?
            .media_uri
        };
        uri.uri = self.repair_uri(&uri.uri);
        Ok(uri)
    }

    /// The snapshot URI of a profile, its host repaired.
    pub async fn snapshot_uri(&self, profile: &MediaProfile) -> Result<MediaUri, Error> {
        let mut uri = if self.use_media2(profile).await? {
            self.call(&media2::GetSnapshotUri {
                profile_token: profile.token.clone(),
            })
            .await?
            .media_uri
        } else {
            self.call(&media::GetSnapshotUri {
                profile_token: profile.token.clone(),
            })
            .await?
            .media_uri
        };
        uri.uri = self.repair_uri(&uri.uri);
        Ok(uri)
    }

    /// Ask for a key frame on a profile's streams now (SetSynchronizationPoint), so that a
    /// viewer joining them decodes at once; through the service the profile came from.
    pub async fn set_synchronization_point(&self, profile: &MediaProfile) -> Result<(), Error> {
        let profile_token = profile.token.clone();
        if self.use_media2(profile).await? {
            self.call(&media2::SetSynchronizationPoint { profile_token })
                .await
                .map(drop)
        } else {
            self.call(&media::SetSynchronizationPoint { profile_token })
                .await
                .map(drop)
        }
    }

    async fn use_media2(&self, profile: &MediaProfile) -> Result<bool, Error> {
        Ok(
            profile.source == onvif_proto::ops::profile::MediaVersion::Media2
                && self.has_service(Service::Media2).await?,
        )
    }

    /// Download a profile's snapshot: HTTP Digest or Basic as the camera asks, credentials
    /// embedded in the URI tried first and dropped when they fail, size capped, and an answer
    /// that is not an image (an HTML error page) is an error.
    pub async fn snapshot(&self, profile: &MediaProfile) -> Result<Snapshot, Error> {
        let uri = self.snapshot_uri(profile).await?;
        self.fetch_snapshot(&uri.uri).await
    }

    /// Download an image from a snapshot URI (see [`Camera::snapshot`]).
    pub async fn fetch_snapshot(&self, uri: &str) -> Result<Snapshot, Error> {
        let mut url = Url::parse(uri).map_err(|e| Error::Protocol {
            url: redact_userinfo(uri),
            source: onvif_proto::Error::invalid(
                "snapshot URI",
                redact_userinfo(uri),
                e.to_string(),
            ),
        })?;
        let embedded = (!url.username().is_empty()).then(|| {
            Credentials::new(
                onvif_proto::ops::device::percent_decode(url.username()),
                onvif_proto::ops::device::percent_decode(url.password().unwrap_or_default()),
            )
        });
        crate::address::drop_userinfo(&mut url);
        let ours = self.credentials().cloned();
        let mut attempts: Vec<Option<Credentials>> = Vec::new();
        if let Some(e) = embedded {
            attempts.push(Some(e));
        }
        if !attempts.contains(&ours) {
            attempts.push(ours);
        }
        let mut last = None;
        for creds in &attempts {
            match self.get_following(&mut url, creds.as_ref()).await {
                Ok(resp) if resp.status.as_u16() == 401 => {
                    last = Some(Error::Auth {
                        clock_may_help: false,
                        url: redact_userinfo(url.as_str()),
                        detail: if creds.is_some() {
                            "HTTP 401: the snapshot URL refused the credentials".into()
                        } else {
                            "HTTP 401: the snapshot URL needs credentials (a user name and password)"
                                .into()
                        },
                    });
                }
                Ok(resp) => return check_image(&url, resp),
                Err(e) if e.is_auth() => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::Auth {
            clock_may_help: false,
            url: redact_userinfo(url.as_str()),
            detail: "the snapshot URL refused every credential".into(),
        }))
    }

    /// GET, following up to three redirects that stay on the same host (credentials are never
    /// sent elsewhere); `url` ends as the address that answered.
    async fn get_following(
        &self,
        url: &mut Url,
        creds: Option<&Credentials>,
    ) -> Result<Response, Error> {
        for _ in 0..3 {
            let resp = self.http().get(url, creds).await?;
            if !resp.status.is_redirection() {
                return Ok(resp);
            }
            let next = resp
                .headers
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok());
            match next {
                Some(n)
                    if n.host_str() == url.host_str()
                        && n.port_or_known_default() == url.port_or_known_default() =>
                {
                    *url = n;
                }
                _ => return Ok(resp),
            }
        }
        self.http().get(url, creds).await
    }

    /// Video sources (Media1 GetVideoSources).
    pub async fn video_sources(&self) -> Result<Vec<VideoSource>, Error> {
        Ok(self.call(&media::GetVideoSources).await?.sources)
    }

    /// Video encoder configurations, from Media2 when offered (it shows H.265).
    pub async fn video_encoders(&self) -> Result<Vec<VideoEncoder>, Error> {
        if self.has_service(Service::Media2).await? {
            match self
                .call(&media2::GetVideoEncoderConfigurations::default())
                .await
            {
                Ok(c) => return Ok(c.configurations),
                Err(e) if e.fault().is_some() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self
            .call(&media::GetVideoEncoderConfigurations)
            .await?
            .configurations)
    }

    /// Ask Media2 (`v2`), or Media1 (`v1`) when there is no Media2 or it refuses the operation
    /// as not supported; either answer made into a `T`.
    pub(crate) async fn media_call<V2: Operation, V1: Operation, T>(
        &self,
        v2: V2,
        from_v2: fn(V2::Response) -> T,
        v1: V1,
        from_v1: fn(V1::Response) -> T,
    ) -> Result<T, Error> {
        if self.has_service(Service::Media2).await? {
            match self.call(&v2).await {
                Err(e) if e.fault().is_some_and(Fault::is_action_not_supported) => {}
                r => return r.map(from_v2),
            }
        }
        self.call(&v1).await.map(from_v1)
    }

    /// What a video encoder configuration accepts, per codec: resolutions, frame rates,
    /// bitrates, GOP lengths, quality, codec profiles (Media2 when offered: it lists H.265).
    pub async fn video_encoder_options(
        &self,
        configuration: &str,
    ) -> Result<VideoEncoderOptions, Error> {
        let configuration_token = Some(configuration.to_owned());
        self.media_call(
            media2::GetVideoEncoderConfigurationOptions {
                configuration_token: configuration_token.clone(),
                profile_token: None,
            },
            |r| r.options,
            media::GetVideoEncoderConfigurationOptions {
                configuration_token,
                profile_token: None,
            },
            |r| r.options,
        )
        .await
    }

    /// Change a video encoder configuration: `config` whole, as read with
    /// [`Camera::video_encoders`] with the fields to change set. Through Media2 when offered
    /// (the only one that takes H.265), else Media1, asked to keep the change over a reboot.
    /// Media1 wants fields Media2 does not show (multicast, session timeout): those left
    /// empty are taken from the camera's Media1 configuration of the same token. Media1 has no
    /// constant bitrate (not sent) and whole frame rates only (a fraction is
    /// [`Error::Usage`]).
    pub async fn set_video_encoder(&self, config: &VideoEncoder) -> Result<(), Error> {
        if self.has_service(Service::Media2).await? {
            let set = media2::SetVideoEncoderConfiguration {
                configuration: config.clone(),
            };
            match self.call(&set).await {
                Err(e) if e.fault().is_some_and(Fault::is_action_not_supported) => {}
                r => return r.map(drop),
            }
        }
        if let Some(f) = config.frame_rate_limit
            && f.fract() != 0.0
        {
            return Err(Error::Usage(format!(
                "Media1 takes a whole number of frames per second, not {f} (the camera has no \
                 Media2, or refuses it the change)"
            )));
        }
        let mut configuration = config.clone();
        if configuration.multicast.is_none() || configuration.session_timeout.is_none() {
            let get = media::GetVideoEncoderConfiguration {
                configuration_token: config.token.clone(),
            };
            let v1 = self.call(&get).await?.configuration;
            configuration.multicast = configuration.multicast.or(v1.multicast);
            configuration.session_timeout = configuration.session_timeout.or(v1.session_timeout);
            configuration.encoding_interval =
                configuration.encoding_interval.or(v1.encoding_interval);
        }
        // Media1's rate control has no ConstantBitRate (onvif.xsd `tt:VideoRateControl`).
        configuration.constant_bitrate = None;
        let set = media::SetVideoEncoderConfiguration {
            configuration,
            force_persistence: true,
        };
        self.call(&set).await.map(drop)
    }

    /// The token of a video source: the one given, or the first one (GetVideoSources; when
    /// the camera faults that, the first a profile's video source configuration names).
    pub async fn video_source_token(&self, token: Option<&str>) -> Result<String, Error> {
        if let Some(t) = token {
            return Ok(t.to_owned());
        }
        let first = match self.video_sources().await {
            Ok(sources) => sources.into_iter().next().map(|s| s.token),
            // A camera that faults GetVideoSources may still name its source in a profile.
            Err(e) if e.fault().is_some() => {
                let named = match self.profiles().await {
                    Ok(profiles) => profiles
                        .into_iter()
                        .find_map(|p| p.video_source.and_then(|v| v.source_token)),
                    Err(_) => None,
                };
                return named.ok_or(e);
            }
            Err(e) => return Err(e),
        };
        first.ok_or_else(|| Error::Protocol {
            url: self.device_url().to_string(),
            source: onvif_proto::Error::missing("a video source (GetVideoSources is empty)"),
        })
    }
}

/// Choose a profile by token (or name), or the first.
pub fn pick_profile(
    profiles: Vec<MediaProfile>,
    token: Option<&str>,
) -> Result<MediaProfile, String> {
    let known: Vec<String> = profiles.iter().map(|p| p.token.clone()).collect();
    let found = match token {
        None => profiles.into_iter().next(),
        Some(t) => {
            let mut by_name = None;
            let mut by_token = None;
            for p in profiles {
                if p.token == t {
                    by_token = Some(p);
                } else if by_name.is_none() && p.name == t {
                    by_name = Some(p);
                }
            }
            by_token.or(by_name)
        }
    };
    found.ok_or_else(|| match token {
        None => "the camera has no media profiles".to_owned(),
        Some(t) => format!("no profile {t:?} (profiles: {})", known.join(", ")),
    })
}

/// Insert credentials into a URI, percent-encoding every character outside RFC 3986's
/// unreserved set (so `p@ss:w/rd%` survives any player's parser).
pub fn with_credentials(uri: &str, creds: &Credentials) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.to_owned();
    };
    // Drop credentials already there.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let rest = match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    format!(
        "{scheme}://{}:{}@{rest}",
        percent_encode(&creds.user),
        percent_encode(creds.password.expose())
    )
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn check_image(url: &Url, resp: Response) -> Result<Snapshot, Error> {
    let u = redact_userinfo(url.as_str());
    let ct = resp
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !resp.status.is_success() {
        return Err(Error::Http {
            url: u,
            status: resp.status.as_u16(),
            detail: "the snapshot URL did not give an image".into(),
        });
    }
    let is_jpeg = resp.body.starts_with(&[0xFF, 0xD8]);
    let is_png = resp.body.starts_with(b"\x89PNG");
    // A declared JPEG or PNG must look like one: cameras label error pages image/jpeg too.
    let declared_image = match ct.split(';').next().unwrap_or("").trim() {
        "image/jpeg" | "image/jpg" => is_jpeg,
        "image/png" => is_png,
        other => other.starts_with("image/"),
    };
    let untyped = ct.is_empty() || ct.starts_with("application/octet-stream");
    if !(declared_image || (untyped && (is_jpeg || is_png))) || resp.body.is_empty() {
        let text = String::from_utf8_lossy(&resp.body[..resp.body.len().min(300)]);
        let what = if ct.contains("html") || text.trim_start().starts_with('<') {
            "an HTML page"
        } else if ct.is_empty() {
            "something without a content type"
        } else {
            "a non-image answer"
        };
        let snippet: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        return Err(Error::Http {
            url: u,
            status: resp.status.as_u16(),
            detail: format!(
                "the snapshot URL answered with {what} ({}), not an image: {}",
                if ct.is_empty() {
                    "no content type"
                } else {
                    &ct
                },
                snippet.chars().take(120).collect::<String>()
            ),
        });
    }
    let content_type = if ct.is_empty() {
        if is_jpeg { "image/jpeg" } else { "image/png" }.to_owned()
    } else {
        ct
    };
    Ok(Snapshot {
        uri: u,
        content_type,
        size: resp.body.len(),
        bytes: resp.body,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn awkward_passwords_are_percent_encoded() {
        let c = Credentials::new("ad min", "p@ss:w/rd%");
        assert_eq!(
            with_credentials("rtsp://192.0.2.1:554/Streaming/101", &c),
            "rtsp://ad%20min:p%40ss%3Aw%2Frd%25@192.0.2.1:554/Streaming/101"
        );
        // Credentials already present are replaced, not doubled.
        assert_eq!(
            with_credentials("rtsp://old:x@h/s?a=b@c", &c),
            "rtsp://ad%20min:p%40ss%3Aw%2Frd%25@h/s?a=b@c"
        );
        // The result parses back to the same user and password.
        let u = Url::parse(&with_credentials("rtsp://h:554/x", &c)).unwrap();
        assert_eq!(
            onvif_proto::ops::device::percent_decode(u.password().unwrap()),
            "p@ss:w/rd%"
        );
        assert_eq!(
            redact_userinfo("http://a:b@h/x"),
            "http://[credentials]@h/x"
        );
    }

    #[test]
    fn profiles_are_picked_by_token_name_or_first() {
        use onvif_proto::ops::profile::MediaVersion;
        let ps = || {
            vec![
                MediaProfile::new("P1", "main", MediaVersion::Media1),
                MediaProfile::new("P2", "sub", MediaVersion::Media1),
            ]
        };
        assert_eq!(pick_profile(ps(), None).unwrap().token, "P1");
        assert_eq!(pick_profile(ps(), Some("P2")).unwrap().token, "P2");
        assert_eq!(pick_profile(ps(), Some("sub")).unwrap().token, "P2");
        let e = pick_profile(ps(), Some("nope")).unwrap_err();
        assert!(e.contains("P1, P2"), "{e}");
    }
}
