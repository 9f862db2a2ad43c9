//! What the simulated camera is and how strict it is: [`SimConfig`], [`AuthMode`],
//! [`SnapshotAuth`], [`Quirk`].

use std::collections::BTreeSet;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use jiff::SignedDuration;
use onvif_proto::ops::device::DeviceInformation;

use crate::names::names;

/// How the camera checks credentials on operations that need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AuthMode {
    /// WS-Security UsernameToken with PasswordDigest (the ONVIF default). A failure is answered
    /// with HTTP 400 and a `ter:NotAuthorized` SOAP fault.
    #[default]
    WsUsernameToken,
    /// HTTP Digest only (RFC 7616, MD5 or SHA-256, `qop=auth`): a failure is answered with
    /// HTTP 401 and a challenge. A UsernameToken in the request is ignored.
    HttpDigest,
    /// Both HTTP Digest and a UsernameToken are required. A failed or missing Digest is
    /// answered with 401; a good Digest with a bad or missing token with 400 + fault.
    Both,
    /// Either one is enough. A request with neither (or with only bad ones) gets a 401
    /// challenge.
    Either,
    /// No authentication at all.
    None,
}

impl AuthMode {
    /// Every mode, in declaration order.
    pub const ALL: [AuthMode; 5] = [
        AuthMode::WsUsernameToken,
        AuthMode::HttpDigest,
        AuthMode::Both,
        AuthMode::Either,
        AuthMode::None,
    ];

    /// Short name: `wsse`, `digest`, `both`, `either`, `none`.
    pub fn name(self) -> &'static str {
        match self {
            AuthMode::WsUsernameToken => "wsse",
            AuthMode::HttpDigest => "digest",
            AuthMode::Both => "both",
            AuthMode::Either => "either",
            AuthMode::None => "none",
        }
    }

    /// Does this mode accept (or require) a WS-Security UsernameToken?
    pub fn uses_username_token(self) -> bool {
        matches!(
            self,
            AuthMode::WsUsernameToken | AuthMode::Both | AuthMode::Either
        )
    }

    /// Does this mode accept (or require) HTTP Digest?
    pub fn uses_http_digest(self) -> bool {
        matches!(
            self,
            AuthMode::HttpDigest | AuthMode::Both | AuthMode::Either
        )
    }
}

names!(AuthMode, "auth mode");

/// How the snapshot URL (`GET /onvif/snapshot?profile=...`) checks credentials. It is plain
/// HTTP, so WS-Security cannot apply: cameras protect it with HTTP authentication whatever
/// their SOAP [`AuthMode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SnapshotAuth {
    /// HTTP Digest (MD5 or SHA-256, `qop=auth`), with the same nonce bookkeeping as the SOAP
    /// services. A failure is answered with 401 and Digest challenges (plus Basic, and Basic
    /// accepted, when [`SimConfig::allow_basic`] is on).
    #[default]
    Digest,
    /// HTTP Basic only: 401 with `WWW-Authenticate: Basic realm=...`; Digest is refused.
    Basic,
    /// No authentication.
    None,
}

impl SnapshotAuth {
    /// Every mode, in declaration order.
    pub const ALL: [SnapshotAuth; 3] = [
        SnapshotAuth::Digest,
        SnapshotAuth::Basic,
        SnapshotAuth::None,
    ];

    /// Short name: `digest`, `basic`, `none`.
    pub fn name(self) -> &'static str {
        match self {
            SnapshotAuth::Digest => "digest",
            SnapshotAuth::Basic => "basic",
            SnapshotAuth::None => "none",
        }
    }
}

names!(SnapshotAuth, "snapshot auth");

/// Behaviour copied from real cameras, to test how a client copes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quirk {
    /// Authentication failures are answered with HTTP 400 and a `ter:NotAuthorized` fault even
    /// in the HTTP Digest modes (no 401, no challenge).
    FaultInsteadOf401,
    /// Every device operation ONVIF Core puts in its PRE_AUTH access class is answered
    /// without authentication: GetSystemDateAndTime, GetCapabilities, GetServices, the device
    /// service's GetServiceCapabilities, GetWsdlUrl and GetHostname (TP-Link Tapo opens the
    /// first three). Without it only GetSystemDateAndTime is open: Core says PRE_AUTH
    /// operations "shall not require user authentication", but many cameras guard all but the
    /// clock, and a client must cope with that.
    OpenOperations,
    /// Every operation needs authentication, even GetSystemDateAndTime (like Axis). Wins over
    /// [`Quirk::OpenOperations`] and [`Quirk::Tapo`]'s open operations.
    AllAuth,
    /// Service addresses (XAddrs) name host `0.0.0.0` (with the real port). Stream and snapshot
    /// URIs lie the same way.
    LyingXAddrsZero,
    /// Service addresses name host `192.0.2.1` (TEST-NET-1, never reachable; real port), and so
    /// do stream and snapshot URIs.
    LyingXAddrsOtherHost,
    /// Service addresses carry the port twice: `http://127.0.0.1:8106:8106/onvif/...`; stream
    /// and snapshot URIs too (`rtsp://127.0.0.1:8554:8554/Profile_1`).
    DoubledPort,
    /// TP-Link Tapo layout: every service at `/onvif/service` (so `/onvif/device_service` is
    /// 404), plus [`Quirk::OpenOperations`]. The snapshot URL stays `/onvif/snapshot`.
    Tapo,
    /// The snapshot URL answers (after authentication) with HTTP 200, `Content-Type:
    /// text/html` and a small HTML error page instead of a JPEG, as some cameras do.
    SnapshotHtmlError,
    /// GetSnapshotUri embeds the credentials in the URI:
    /// `http://admin:secret@127.0.0.1:8080/onvif/snapshot?profile=Profile_1` (user and
    /// password percent-encoded).
    SnapshotUriWithCredentials,
    /// GetSnapshotUri writes the user and password into the query, as SUNBA and Foscam
    /// cameras do: `…/onvif/snapshot?profile=Profile_1&user=admin&password=secret`, and the
    /// snapshot URL takes them instead of HTTP authentication (checked against the accounts
    /// as they are, a wrong one counted toward the lockout).
    SnapshotUriQueryCredentials,
    /// PTZ ContinuousMove is answered with HTTP 500 and `ter:ActionNotSupported` (the node
    /// still lists its velocity spaces, as such cameras do), so clients can test their
    /// fallback to RelativeMove.
    NoContinuousMove,
    /// PTZ RelativeMove is answered with HTTP 500 and `ter:ActionNotSupported` (the node still
    /// lists its translation spaces), so clients can test their fallback to ContinuousMove.
    NoRelativeMove,
    /// GetServices answers with an empty list (GetCapabilities still lists every service), as
    /// some NVR-style devices do.
    EmptyServices,
    /// The PTZ service routes requests by substring: GetConfiguration is answered with a
    /// GetConfigurationsResponse and GetNode with a GetNodesResponse.
    PtzRoutesBySubstring,
    /// PTZ answers use namespace prefixes they never declare: `<ptz:AbsoluteMoveResponse/>`,
    /// `<ptz:GetPresetsResponse><ptz:Preset token="...">`, while `tt:` stays declared.
    UndeclaredPrefixes,
    /// Subscription managers demand their reference parameter (`sim:SubscriptionId`) echoed
    /// as a SOAP header, as Axis cameras do (they identify a subscription by it, not by its
    /// address); without it PullMessages, Renew and Unsubscribe get `ter:InvalidArgVal`. The
    /// `wsa:IsReferenceParameter` attribute is still not demanded (only [`SimConfig::strict`]
    /// does).
    RefParamsRequired,
    /// GetRecordingJobs names each job's `JobToken` and `JobConfiguration` in the recording
    /// service's namespace (`trc:`) instead of the schema's (`tt:`), as Axis cameras do.
    JobItemsInServiceNamespace,
    /// Text OSDs carry Hikvision's `tt:Extension/tt:ChannelName` (`true` on a plain text OSD
    /// showing the channel's name, which the camera then has besides its date-and-time one).
    OsdChannelName,
    /// The analytics configuration also holds a module of a vendor's own type
    /// (`hikxsd:TamperEngine`) whose `ElementItem` is a bare `tt:Transformation` (Hikvision).
    VendorAnalyticsModule,
    /// GetUsers names each `User`'s children in `tds:` instead of `tt:`, and sends every
    /// account's password (`tds:Password`).
    UsersInDeviceNamespace,
    /// GetNetworkDefaultGateway writes `tds:IPv4Address` and an empty `tds:IPv6Address`.
    GatewayInDeviceNamespace,
    /// GetNetworkProtocols lists a second `Port` of 0 after each protocol's real one.
    ProtocolPortZero,
    /// GetSystemUris answers an empty `tt:Uri` in its log list and an empty `SupportInfoUri`.
    EmptySystemUris,
    /// The recording service's capabilities are written as floats (`MaxRecordings="2.000000"`).
    RecordingCapabilitiesFloats,
    /// The first recording's data starts at the epoch (`1970-01-01T00:03:15Z`), its clock not
    /// set yet when it began recording.
    EpochRecording,
    /// Media2 answers its OSD operations `ter:ActionNotSupported` (and says `OSD="false"`);
    /// Media1's serve the OSDs, as on cameras whose OSDs predate their Media2.
    OsdOnMedia1Only,
    /// GetSystemLog answers as MTOM (`multipart/related`): the log is an attachment that
    /// `xop:Include href="<http://tempuri.org/0/log.tgz>"` names in angle brackets (SUNBA).
    SystemLogAttachment,
    /// The services other than the device service at capitalised paths (`/onvif/Media`,
    /// `/onvif/Events`, `/onvif/PTZ`, `/onvif/Imaging`, ...), as the ENP1A14 capture and
    /// Hikvision-made cameras have them: a client must take each address from GetServices.
    CapitalizedPaths,
    /// SetNetworkInterfaces answers `RebootNeeded` false: the camera takes a new address at
    /// once (as the agsh-onvif capture's camera does), so a client must not ask the old one
    /// again. The simulator itself still listens where it did.
    NetworkAtOnce,
}

impl Quirk {
    /// Every quirk, in declaration order.
    pub const ALL: [Quirk; 29] = [
        Quirk::FaultInsteadOf401,
        Quirk::OpenOperations,
        Quirk::AllAuth,
        Quirk::LyingXAddrsZero,
        Quirk::LyingXAddrsOtherHost,
        Quirk::DoubledPort,
        Quirk::Tapo,
        Quirk::SnapshotHtmlError,
        Quirk::SnapshotUriWithCredentials,
        Quirk::SnapshotUriQueryCredentials,
        Quirk::NoContinuousMove,
        Quirk::NoRelativeMove,
        Quirk::EmptyServices,
        Quirk::PtzRoutesBySubstring,
        Quirk::UndeclaredPrefixes,
        Quirk::RefParamsRequired,
        Quirk::JobItemsInServiceNamespace,
        Quirk::OsdChannelName,
        Quirk::VendorAnalyticsModule,
        Quirk::UsersInDeviceNamespace,
        Quirk::GatewayInDeviceNamespace,
        Quirk::ProtocolPortZero,
        Quirk::EmptySystemUris,
        Quirk::RecordingCapabilitiesFloats,
        Quirk::EpochRecording,
        Quirk::OsdOnMedia1Only,
        Quirk::SystemLogAttachment,
        Quirk::CapitalizedPaths,
        Quirk::NetworkAtOnce,
    ];

    /// Short kebab-case name (`fault-instead-of-401`, `xaddr-zero`, `tapo`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Quirk::FaultInsteadOf401 => "fault-instead-of-401",
            Quirk::OpenOperations => "open-operations",
            Quirk::AllAuth => "all-auth",
            Quirk::LyingXAddrsZero => "xaddr-zero",
            Quirk::LyingXAddrsOtherHost => "xaddr-other-host",
            Quirk::DoubledPort => "doubled-port",
            Quirk::Tapo => "tapo",
            Quirk::SnapshotHtmlError => "snapshot-html-error",
            Quirk::SnapshotUriWithCredentials => "snapshot-uri-credentials",
            Quirk::SnapshotUriQueryCredentials => "snapshot-uri-query-credentials",
            Quirk::NoContinuousMove => "no-continuous-move",
            Quirk::NoRelativeMove => "no-relative-move",
            Quirk::EmptyServices => "empty-services",
            Quirk::PtzRoutesBySubstring => "ptz-substring-routing",
            Quirk::UndeclaredPrefixes => "undeclared-prefixes",
            Quirk::RefParamsRequired => "refparams-required",
            Quirk::JobItemsInServiceNamespace => "job-items-trc",
            Quirk::OsdChannelName => "osd-channel-name",
            Quirk::VendorAnalyticsModule => "vendor-analytics-module",
            Quirk::UsersInDeviceNamespace => "users-tds-passwords",
            Quirk::GatewayInDeviceNamespace => "gateway-tds",
            Quirk::ProtocolPortZero => "protocol-port-zero",
            Quirk::EmptySystemUris => "empty-system-uris",
            Quirk::RecordingCapabilitiesFloats => "recording-caps-floats",
            Quirk::EpochRecording => "epoch-recording",
            Quirk::OsdOnMedia1Only => "osd-media1-only",
            Quirk::SystemLogAttachment => "system-log-mtom",
            Quirk::CapitalizedPaths => "capitalized-paths",
            Quirk::NetworkAtOnce => "network-at-once",
        }
    }
}

impl Quirk {
    /// One line for `--help`.
    pub fn summary(self) -> &'static str {
        match self {
            Quirk::FaultInsteadOf401 => {
                "authentication failures as HTTP 400 + SOAP fault, never 401"
            }
            Quirk::OpenOperations => {
                "the PRE_AUTH operations (GetCapabilities, GetServices, GetHostname, ...) without auth"
            }
            Quirk::AllAuth => "every operation needs auth, even GetSystemDateAndTime",
            Quirk::LyingXAddrsZero => "service addresses report host 0.0.0.0",
            Quirk::LyingXAddrsOtherHost => "service addresses report another host",
            Quirk::DoubledPort => "service addresses carry a doubled port (host:8106:8106)",
            Quirk::Tapo => "TP-Link Tapo layout: everything at /onvif/service, open operations",
            Quirk::SnapshotHtmlError => "the snapshot URL answers 200 with an HTML error page",
            Quirk::SnapshotUriWithCredentials => "GetSnapshotUri embeds user:password in the URI",
            Quirk::SnapshotUriQueryCredentials => {
                "GetSnapshotUri puts user= and password= in its query (SUNBA, Foscam)"
            }
            Quirk::NoContinuousMove => "PTZ ContinuousMove is refused (ActionNotSupported)",
            Quirk::NoRelativeMove => "PTZ RelativeMove is refused (ActionNotSupported)",
            Quirk::EmptyServices => "GetServices lists nothing; GetCapabilities lists everything",
            Quirk::PtzRoutesBySubstring => {
                "PTZ GetConfiguration/GetNode answered with GetConfigurations/GetNodes"
            }
            Quirk::UndeclaredPrefixes => "PTZ answers use a namespace prefix they never declare",
            Quirk::RefParamsRequired => {
                "subscription managers demand their reference parameter echoed (Axis)"
            }
            Quirk::JobItemsInServiceNamespace => {
                "recording job items in the recording service's namespace (trc:JobToken, Axis)"
            }
            Quirk::OsdChannelName => "text OSDs carry tt:Extension/tt:ChannelName (Hikvision)",
            Quirk::VendorAnalyticsModule => "an analytics module of a vendor type (Hikvision)",
            Quirk::UsersInDeviceNamespace => "GetUsers in tds:, with the passwords",
            Quirk::GatewayInDeviceNamespace => "default gateway in tds:, an empty IPv6 address",
            Quirk::ProtocolPortZero => "network protocols list an extra port 0",
            Quirk::EmptySystemUris => "GetSystemUris with empty Uri and SupportInfoUri",
            Quirk::RecordingCapabilitiesFloats => "recording capabilities written as floats",
            Quirk::EpochRecording => "a recording whose data starts at the epoch (1970)",
            Quirk::OsdOnMedia1Only => {
                "OSDs through Media1 only (Media2 refuses its OSD operations)"
            }
            Quirk::SystemLogAttachment => "GetSystemLog as an MTOM attachment, href in <brackets>",
            Quirk::CapitalizedPaths => "services at /onvif/Media, /onvif/Events, /onvif/PTZ, ...",
            Quirk::NetworkAtOnce => "SetNetworkInterfaces answers RebootNeeded false (at once)",
        }
    }
}

names!(Quirk, "quirk");

/// Where Hello and Bye go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Announce {
    /// The multicast group, on the discovery port.
    #[default]
    Group,
    /// One address.
    To(SocketAddr),
    /// Nowhere.
    Off,
}

/// The discovery settings of a [`SimConfig`].
#[derive(Debug, Clone, Default)]
pub(crate) struct DiscoveryConfig {
    /// The UDP address Probes are answered on; off when `None`.
    pub bind: Option<SocketAddr>,
    /// Where Hello and Bye go.
    pub announce: Announce,
    /// The endpoint reference address, when not derived.
    pub endpoint: Option<String>,
}

/// The simulated camera's settings, builder style. [`SimConfig::default`] is a well-behaved
/// camera: user `admin`, password `admin`, WS-UsernameToken, loopback, port chosen by the
/// system, clock in step with ours.
#[derive(Clone)]
pub struct SimConfig {
    pub(crate) bind: SocketAddr,
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) auth: AuthMode,
    pub(crate) snapshot_auth: SnapshotAuth,
    pub(crate) clock_skew: SignedDuration,
    pub(crate) accept_password_text: bool,
    pub(crate) allow_basic: bool,
    pub(crate) quirks: BTreeSet<Quirk>,
    pub(crate) unsupported: BTreeSet<String>,
    /// Services left out, as a camera without them (never the device service).
    pub(crate) without: BTreeSet<onvif_proto::ops::Service>,
    pub(crate) device_info: DeviceInformation,
    pub(crate) name: String,
    pub(crate) read_timeout: Duration,
    pub(crate) head_timeout: Option<Duration>,
    pub(crate) max_connections: usize,
    pub(crate) max_connections_per_peer: usize,
    pub(crate) max_body: usize,
    pub(crate) manual_clock: bool,
    pub(crate) discovery: DiscoveryConfig,
    /// Toggle motion (start, then stop) this often, when set.
    pub(crate) motion_every: Option<Duration>,
    pub(crate) input_every: Option<Duration>,
    pub(crate) tamper_every: Option<Duration>,
    /// The periodic events start this long after the camera.
    pub(crate) events_offset: Duration,
    /// Event quirks on from the start.
    pub(crate) event_quirks: BTreeSet<crate::EventQuirk>,
    /// The strict posture (see [`SimConfig::strict`]).
    pub(crate) strict: bool,
    /// Lock the account after this many failed logins within this long, for as long.
    pub(crate) lockout: Option<(u32, Duration)>,
    /// How long SystemReboot takes the camera down ([`SimConfig::reboot_downtime`]).
    pub(crate) reboot_downtime: Duration,
    /// Serve HTTPS with this certificate ([`SimConfig::tls`]).
    pub(crate) tls: Option<crate::TlsIdentity>,
    /// Answer from a recording instead ([`SimConfig::replay`]).
    pub(crate) replay: Option<std::sync::Arc<crate::Replay>>,
}

impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfig")
            .field("bind", &self.bind)
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("auth", &self.auth)
            .field("snapshot_auth", &self.snapshot_auth)
            .field("clock_skew", &self.clock_skew)
            .field("accept_password_text", &self.accept_password_text)
            .field("allow_basic", &self.allow_basic)
            .field("quirks", &self.quirks)
            .field("unsupported", &self.unsupported)
            .field("device_info", &self.device_info)
            .field("name", &self.name)
            .field("read_timeout", &self.read_timeout)
            .field("head_timeout", &self.head_timeout)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_peer", &self.max_connections_per_peer)
            .field("max_body", &self.max_body)
            .field("manual_clock", &self.manual_clock)
            .field("discovery", &self.discovery)
            .field("motion_every", &self.motion_every)
            .field("events_offset", &self.events_offset)
            .field("input_every", &self.input_every)
            .field("tamper_every", &self.tamper_every)
            .field("event_quirks", &self.event_quirks)
            .field("strict", &self.strict)
            .field("lockout", &self.lockout)
            .field("reboot_downtime", &self.reboot_downtime)
            .field("replay", &self.replay.as_ref().map(|r| r.summary.clone()))
            .field("tls", &self.tls)
            .finish()
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0),
            user: "admin".into(),
            password: "admin".into(),
            auth: AuthMode::default(),
            snapshot_auth: SnapshotAuth::default(),
            clock_skew: SignedDuration::ZERO,
            accept_password_text: false,
            allow_basic: false,
            quirks: BTreeSet::new(),
            unsupported: BTreeSet::new(),
            without: BTreeSet::new(),
            device_info: default_device_info(),
            name: "onvif-sim".into(),
            read_timeout: Duration::from_secs(10),
            head_timeout: None,
            max_connections: 512,
            max_connections_per_peer: 128,
            max_body: 1024 * 1024,
            manual_clock: false,
            discovery: Default::default(),
            motion_every: None,
            events_offset: Duration::ZERO,
            input_every: None,
            tamper_every: None,
            event_quirks: BTreeSet::new(),
            strict: false,
            lockout: None,
            reboot_downtime: DEFAULT_REBOOT_DOWNTIME,
            replay: None,
            tls: None,
        }
    }
}

/// How long a SystemReboot keeps the camera down by default: real cameras take 30 to 90 s.
pub const DEFAULT_REBOOT_DOWNTIME: Duration = Duration::from_secs(30);

/// The default identity: Manufacturer "ONVIF Toolkit", Model "onvif-sim", this crate's version.
pub fn default_device_info() -> DeviceInformation {
    DeviceInformation {
        manufacturer: "ONVIF Toolkit".into(),
        model: "onvif-sim".into(),
        firmware_version: env!("CARGO_PKG_VERSION").into(),
        serial_number: "SIM-000001".into(),
        hardware_id: "sim-1".into(),
    }
}

/// Builder methods that set a field to the value given: `name(arg: Type);` defines
/// `pub fn name(self, arg: Type) -> Self`, which sets `self.name`.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident($arg:ident: $ty:ty);)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, $arg: $ty) -> Self {
            self.$name = $arg;
            self
        }
    )*};
}

impl SimConfig {
    /// The default camera (see [`SimConfig`]).
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Where to listen (default `127.0.0.1:0`; port 0 lets the system choose, see
        /// [`crate::SimHandle::addr`]).
        bind(addr: SocketAddr);

        /// How credentials are checked (default [`AuthMode::WsUsernameToken`]).
        auth(mode: AuthMode);

        /// How the snapshot URL checks credentials (default [`SnapshotAuth::Digest`]), independent
        /// of [`SimConfig::auth`].
        snapshot_auth(mode: SnapshotAuth);

        /// Camera clock minus real time: positive puts the camera ahead, negative behind. The
        /// camera checks WS-Security `Created` against its own clock, as a real one does.
        clock_skew(skew: SignedDuration);

        /// Accept UsernameTokens with `#PasswordText` (plain password). Default: refused.
        accept_password_text(yes: bool);

        /// Accept HTTP Basic where HTTP Digest is accepted. Default: refused.
        allow_basic(yes: bool);

        /// What GetDeviceInformation answers (default [`default_device_info`]).
        device_info(info: DeviceInformation);

        /// How long the camera waits for a request body to arrive once its head is in (default
        /// 10 s; then 408). It also sets the other deadlines of a connection, which are deadlines,
        /// not idle timers that a trickle of bytes restarts: the request head must be complete
        /// within [`SimConfig::head_timeout`] (this, unless set) of the request's first byte (of
        /// the accept, for a connection's first request), its whole body must be in within head
        /// timeout + this + 1 s of it, and a connection may wait twice this long between requests.
        /// Then the connection is closed. Handling a request (a long poll) has no such deadline.
        read_timeout(t: Duration);

        /// The largest request body accepted (default 1 MiB; larger ones get 413).
        max_body(bytes: usize);

        /// How long SystemReboot takes the camera down (default
        /// [`DEFAULT_REBOOT_DOWNTIME`]): once its answer is out, the camera answers nothing
        /// (connections are cut) for this long, then comes back with every setting kept and
        /// every event subscription forgotten, as a rebooted camera does. Zero keeps it up
        /// (the reboot is only counted, [`crate::SimHandle::reboots`]).
        reboot_downtime(downtime: Duration);

        /// The strict posture, for testing this project's own client: on top of what a well-made
        /// camera checks (credentials, the `Created` window, nonce replay, termination times,
        /// subscription addresses), it refuses what real cameras let pass, so that the client's
        /// mistakes show:
        ///
        /// - SOAP 1.1 envelopes (`VersionMismatch`): ONVIF is SOAP 1.2;
        /// - a missing Content-Type, a media type other than `application/soap+xml` or `text/xml`,
        ///   a charset other than UTF-8, malformed Content-Type parameters (415);
        /// - undeclared namespace prefixes anywhere in the envelope;
        /// - a Body with more than one element;
        /// - an announced action (Content-Type `action`, `SOAPAction`, `wsa:Action`) that is not
        ///   the operation's WSDL action, e.g. the short
        ///   `http://www.onvif.org/ver10/events/wsdl/CreatePullPointSubscription`;
        /// - a subscription manager request without its `sim:SubscriptionId` reference parameter,
        ///   or with it but without `wsa:IsReferenceParameter="true"`;
        /// - an operation sent to another service's address (by default it is served, as by
        ///   cameras whose one SOAP server dispatches on the Body);
        /// - a UsernameToken `Created` without a time zone;
        /// - two `wsse:Security` header blocks for the same role (WS-Security 1.1 section 6.1
        ///   forbids it; by default the first one is read and the others skipped, as
        ///   gSOAP-generated camera servers do).
        ///
        /// The default posture accepts all of these, as real cameras do (a mismatched action is
        /// logged), and answers a SOAP 1.1 request in SOAP 1.1. `onvif sim --strict`.
        strict(yes: bool);
    }

    /// The one user the camera knows.
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.user = user.to_owned();
        self.password = password.to_owned();
        self
    }

    /// [`SimConfig::clock_skew`] in whole seconds (`3600`: one hour ahead, `-90`: behind).
    pub fn clock_skew_secs(self, secs: i64) -> Self {
        self.clock_skew(SignedDuration::from_secs(secs))
    }

    /// Turn a vendor quirk on; may be called several times.
    pub fn quirk(mut self, q: Quirk) -> Self {
        self.quirks.insert(q);
        self
    }

    /// Leave a service out, as a camera that does not have it: not listed in GetServices or
    /// GetCapabilities, and not served (the device service cannot be left out).
    pub fn without_service(mut self, s: onvif_proto::ops::Service) -> Self {
        if s != onvif_proto::ops::Service::Device {
            self.without.insert(s);
        }
        self
    }

    /// Pretend an operation (by local name, e.g. `GetServices`, in any service) is not
    /// implemented: after the usual authentication it is answered with HTTP 500 and a Receiver
    /// `ter:ActionNotSupported` fault. May be called several times.
    pub fn unsupported(mut self, operation: &str) -> Self {
        self.unsupported.insert(operation.to_owned());
        self
    }

    /// The camera's name, shown in its `onvif://www.onvif.org/name/...` scope (percent-encoded
    /// there). Default `onvif-sim`.
    pub fn name(mut self, name: &str) -> Self {
        self.name = name.to_owned();
        self
    }

    /// How long a request head may take from its first byte (or from the accept, for a
    /// connection's first request) to its blank line; default: [`SimConfig::read_timeout`].
    pub fn head_timeout(mut self, t: Duration) -> Self {
        self.head_timeout = Some(t);
        self
    }

    /// How many connections the camera holds at once (default 512; at least 1). A connection
    /// beyond is still accepted: an idle or stuck connection of the address holding the most
    /// is closed to make room (else anyone's; else that address's oldest).
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// How many idle or stuck connections the camera holds at once from one IP address (IPv6: /64)
    /// (default 128; at least 1). A connection beyond is still accepted: that address's
    /// connection idle (after an answer) or stuck in a request for longest, at least a second,
    /// is closed to make room, so slow or idle connections cost their own address its oldest
    /// ones while a complete request is answered. Connections that are being served are not
    /// closed for this cap, only for [`SimConfig::max_connections`].
    pub fn max_connections_per_peer(mut self, n: usize) -> Self {
        self.max_connections_per_peer = n.max(1);
        self
    }

    /// Drive the PTZ heads by a manual clock: PTZ time stands still except when
    /// [`crate::SimHandle::advance`] moves it, so tests can check positions after exact
    /// steps without sleeping. Only PTZ motion uses this clock; the camera's wall clock
    /// (GetSystemDateAndTime, WS-Security `Created` checks, HTTP `Date`) stays real. Default:
    /// the heads follow real monotonic time.
    pub fn manual_clock(mut self) -> Self {
        self.manual_clock = true;
        self
    }

    /// Emit motion periodically: every `period`, motion starts, and stops half a period later
    /// (`onvif sim --events motion-every=5s`).
    pub fn events_motion_every(mut self, period: Duration) -> Self {
        self.motion_every = Some(period);
        self
    }

    /// Serve HTTPS with this certificate (`onvif sim --tls`): every address the camera gives
    /// is `https://` then.
    pub fn tls(mut self, identity: crate::TlsIdentity) -> Self {
        self.tls = Some(identity);
        self
    }

    /// `https` with TLS, else `http`.
    pub fn scheme(&self) -> &'static str {
        if self.tls.is_some() { "https" } else { "http" }
    }

    /// Answer every request from a recording (`onvif sim --replay FILE`): see [`crate::Replay`].
    /// The clock (GetSystemDateAndTime, the `Date` header) and authentication stay the
    /// simulator's own.
    pub fn replay(mut self, replay: crate::Replay) -> Self {
        self.replay = Some(std::sync::Arc::new(replay));
        self
    }

    /// Start the periodic events this long after the camera (a fleet spreads its cameras'
    /// events over the period this way).
    pub fn events_offset(mut self, offset: Duration) -> Self {
        self.events_offset = offset;
        self
    }

    /// Toggle the digital input periodically (`onvif sim --events input-every=5s`).
    pub fn events_input_every(mut self, period: Duration) -> Self {
        self.input_every = Some(period);
        self
    }

    /// Raise and clear tamper periodically (`onvif sim --events tamper-every=5s`).
    pub fn events_tamper_every(mut self, period: Duration) -> Self {
        self.tamper_every = Some(period);
        self
    }

    /// Turn an event quirk on from the start (see also [`crate::SimHandle::set_event_quirk`]).
    pub fn event_quirk(mut self, q: crate::EventQuirk) -> Self {
        self.event_quirks.insert(q);
        self
    }

    /// Lock the account as real cameras do (Hikvision's "illegal login lock", Dahua, Reolink,
    /// Foscam; docs/QUIRKS.md): after `failures` failed logins within `duration`, every
    /// request that needs credentials is refused, even with the right password, until
    /// `duration` has passed. A failed login is a wrong password or an unknown user; a request
    /// without credentials (the first leg of HTTP Digest), a stale Digest nonce, a replayed
    /// nonce or a `Created` out of the window is not counted. Time is tokio's, so tests on a
    /// paused clock can run an hour at once. Default: no lockout. `onvif sim --lockout 5/10m`.
    pub fn lockout(mut self, failures: u32, duration: Duration) -> Self {
        self.lockout = Some((failures.max(1), duration));
        self
    }

    /// Answer WS-Discovery Probes on this UDP address (port 0 lets the system choose; see
    /// [`crate::SimHandle::discovery_addr`]). Off by default. `127.0.0.1:3702` answers unicast
    /// Probes from this machine (and multicast ones where `lo` carries multicast); `0.0.0.0:3702`
    /// answers the whole network.
    pub fn discovery(mut self, addr: SocketAddr) -> Self {
        self.discovery.bind = Some(addr);
        self
    }

    /// Where Hello (at start) and Bye (at stop) are sent: `None` sends neither. Default: the
    /// multicast group 239.255.255.250 on the discovery port.
    pub fn discovery_announce(mut self, target: Option<SocketAddr>) -> Self {
        self.discovery.announce = match target {
            Some(t) => Announce::To(t),
            None => Announce::Off,
        };
        self
    }

    /// The endpoint reference address announced (default: `urn:uuid:` and a UUID derived
    /// from the serial number and the HTTP address, so it is stable across restarts on the
    /// same port and distinct between cameras).
    pub fn discovery_endpoint(mut self, address: &str) -> Self {
        self.discovery.endpoint = Some(address.to_owned());
        self
    }

    /// Is the strict posture on (see [`SimConfig::strict`])?
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Is this quirk on?
    pub fn has(&self, q: Quirk) -> bool {
        self.quirks.contains(&q)
    }

    /// Are GetCapabilities and GetServices open (OpenOperations or Tapo, and not AllAuth)?
    pub(crate) fn discovery_open(&self) -> bool {
        !self.has(Quirk::AllAuth) && (self.has(Quirk::OpenOperations) || self.has(Quirk::Tapo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for q in Quirk::ALL {
            assert_eq!(q.name().parse::<Quirk>(), Ok(q));
        }
        for m in AuthMode::ALL {
            assert_eq!(m.name().parse::<AuthMode>(), Ok(m));
        }
        for m in SnapshotAuth::ALL {
            assert_eq!(m.name().parse::<SnapshotAuth>(), Ok(m));
        }
        assert!("nope".parse::<Quirk>().is_err());
    }

    #[test]
    fn debug_hides_the_password() {
        let c = SimConfig::new().credentials("u", "s3cret-value");
        assert!(!format!("{c:?}").contains("s3cret-value"));
    }
}
