//! A simulated camera on 127.0.0.1 for tests, and a client connected to it.
//!
//! [`Sim::builder`] starts from the strict posture (the client's tests run strict: the
//! simulator refuses what real cameras let pass, so the client's mistakes show) and the kit's
//! credentials ([`USER`], [`PASSWORD`]). [`Sim`] is the running camera: it derefs to
//! [`SimHandle`] and remembers its credentials, so [`Sim::connect`] needs nothing more.

use std::net::{Ipv4Addr, SocketAddr};
use std::ops::Deref;
use std::time::Duration;

use onvif::{Camera, Config, Credentials};
use onvif_sim::{AuthFailure, AuthMode, Quirk, SimConfig, SimHandle, SnapshotAuth};

use crate::{PASSWORD, USER};

/// How to start a [`Sim`]: [`SimConfig`] with the kit's defaults, and shortcuts for the
/// settings tests change most.
#[derive(Debug, Clone)]
#[must_use]
pub struct SimBuilder {
    config: SimConfig,
    user: String,
    password: String,
}

impl Default for SimBuilder {
    fn default() -> Self {
        SimBuilder {
            // A SystemReboot only counted: tests that reboot go on with the same camera
            // (the one that checks the downtime sets its own).
            config: SimConfig::new()
                .strict(true)
                .reboot_downtime(std::time::Duration::ZERO),
            user: USER.into(),
            password: PASSWORD.into(),
        }
    }
}

/// Builder methods that pass their arguments on to the [`SimConfig`] method of the same
/// name: `name(arg: Type);` defines `pub fn name(self, arg: Type) -> Self`.
macro_rules! forward {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        $(#[$doc])*
        pub fn $name(self, $($arg: $ty),*) -> Self {
            self.config(|c| c.$name($($arg),*))
        }
    )*};
}

impl SimBuilder {
    /// The one user the camera knows (default [`USER`] / [`PASSWORD`]).
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.user = user.into();
        self.password = password.into();
        self
    }

    /// Another password for [`USER`] (or the user set before).
    pub fn password(mut self, password: &str) -> Self {
        self.password = password.into();
        self
    }

    forward! {
        /// The strict posture (the kit's default) or, with `false`, the default one of
        /// [`SimConfig`], which accepts what real cameras let pass ([`SimConfig::strict`]).
        strict(yes: bool);

        /// How credentials are checked ([`SimConfig::auth`]).
        auth(mode: AuthMode);

        /// Camera clock minus real time, in seconds ([`SimConfig::clock_skew_secs`]).
        clock_skew_secs(secs: i64);

        /// How the snapshot URL checks credentials ([`SimConfig::snapshot_auth`]).
        snapshot_auth(mode: SnapshotAuth);

        /// An operation answered as not implemented ([`SimConfig::unsupported`]).
        unsupported(operation: &str);

        /// A service the camera does not have ([`SimConfig::without_service`]).
        without_service(service: onvif_proto::ops::Service);

        /// How long a request body may take ([`SimConfig::read_timeout`]).
        read_timeout(t: Duration);

        /// Motion starts every `period` ([`SimConfig::events_motion_every`]).
        events_motion_every(period: Duration);

        /// A vendor quirk on ([`SimConfig::quirk`]).
        quirk(q: Quirk);

        /// Lock the account after `failures` failed logins within `duration`
        /// ([`SimConfig::lockout`]).
        lockout(failures: u32, duration: Duration);

        /// PTZ time moves only when the test advances it ([`SimConfig::manual_clock`]).
        manual_clock();

        /// The camera's name ([`SimConfig::name`]).
        name(name: &str);
    }

    /// Each of these quirks on.
    pub fn quirks(self, qs: &[Quirk]) -> Self {
        qs.iter().fold(self, |b, q| b.quirk(*q))
    }

    /// Answer WS-Discovery Probes on 127.0.0.1 (port chosen by the system), announcing nothing:
    /// nothing is sent to a multicast group.
    pub fn discovery_on_loopback(self) -> Self {
        self.config(|c| {
            c.discovery(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0))
                .discovery_announce(None)
        })
    }

    /// Any other [`SimConfig`] setting. Credentials are the builder's own
    /// ([`SimBuilder::credentials`]): set here, they would be overwritten.
    pub fn config(mut self, f: impl FnOnce(SimConfig) -> SimConfig) -> Self {
        self.config = f(self.config);
        self
    }

    /// Start the camera on 127.0.0.1 (port chosen by the system, unless set).
    pub async fn start(self) -> Sim {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("the simulator did not start: {e}"))
    }

    /// Start the camera, or say why it could not (e.g. the port asked for is taken).
    pub async fn try_start(self) -> std::io::Result<Sim> {
        let handle = self
            .config
            .credentials(&self.user, &self.password)
            .start()
            .await?;
        Ok(Sim {
            handle,
            user: self.user,
            password: self.password,
        })
    }

    /// Start the camera and connect a [`Camera`] to it with its credentials.
    pub async fn start_and_connect(self) -> (Sim, Camera) {
        let sim = self.start().await;
        let cam = sim.connect().await;
        (sim, cam)
    }
}

/// A running simulated camera that knows its credentials; derefs to [`SimHandle`].
pub struct Sim {
    handle: SimHandle,
    user: String,
    password: String,
}

impl Deref for Sim {
    type Target = SimHandle;

    fn deref(&self) -> &SimHandle {
        &self.handle
    }
}

impl Sim {
    /// A builder: strict posture, [`USER`] / [`PASSWORD`].
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }

    /// A camera with the builder's defaults.
    pub async fn start() -> Sim {
        Sim::builder().start().await
    }

    /// A camera answering WS-Discovery Probes on 127.0.0.1 under `name`, announcing nothing
    /// ([`SimBuilder::discovery_on_loopback`]).
    pub async fn discoverable(name: &str) -> Sim {
        Sim::builder()
            .name(name)
            .discovery_on_loopback()
            .start()
            .await
    }

    /// The user the camera knows.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// That user's password (as started; [`SimHandle::set_password`] is not followed).
    pub fn password(&self) -> &str {
        &self.password
    }

    /// `127.0.0.1:port`, as `Camera::connect` and `onvif -H` take it.
    pub fn host(&self) -> String {
        self.addr().to_string()
    }

    /// The camera's credentials, for the client.
    pub fn credentials(&self) -> Credentials {
        Credentials::new(&self.user, &self.password)
    }

    /// `Camera::connect` to this camera with these credentials and client settings.
    pub async fn try_connect(
        &self,
        creds: Option<Credentials>,
        config: Config,
    ) -> Result<Camera, onvif::Error> {
        Camera::connect(&self.host(), creds, config).await
    }

    /// A client connected with the camera's credentials and the default settings.
    pub async fn connect(&self) -> Camera {
        self.connect_with(Config::default()).await
    }

    /// A client connected with the camera's credentials and these settings.
    pub async fn connect_with(&self, config: Config) -> Camera {
        self.try_connect(Some(self.credentials()), config)
            .await
            .unwrap_or_else(|e| panic!("connecting to the simulator: {e}"))
    }

    /// Wrong passwords and unknown users the camera has seen (what a lockout counts).
    pub fn guesses(&self) -> u64 {
        let s = self.stats();
        s.auth_failures_of(AuthFailure::WrongPassword)
            + s.auth_failures_of(AuthFailure::UnknownUser)
    }

    /// `-H host -u user -p password`, for the `onvif` binary.
    pub fn cli_args(&self) -> Vec<String> {
        vec![
            "-H".into(),
            self.host(),
            "-u".into(),
            self.user.clone(),
            "-p".into(),
            self.password.clone(),
        ]
    }

    /// The handle, for what takes one by value.
    pub fn into_handle(self) -> SimHandle {
        self.handle
    }

    /// Stop the camera and wait until it has stopped ([`SimHandle::shutdown`]).
    pub async fn shutdown(self) {
        self.handle.shutdown().await;
    }
}
