//! The camera's clock: measured (GetSystemDateAndTime), kept against our monotonic clock, and
//! compared with the times its answers carry.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use onvif_proto::ops::device;
use url::Url;

use super::{CLOCK_JUMP, Camera, ClockBase, ClockReading};
use crate::error::Error;
use crate::util::lock;

impl Camera {
    /// Camera clock minus ours, once measured.
    pub fn clock_offset(&self) -> Option<SignedDuration> {
        self.clock_base()
            .map(|_| self.camera_now().duration_since(Timestamp::now()))
    }

    pub(super) fn clock_base(&self) -> Option<ClockBase> {
        *lock(&self.inner.clock)
    }

    /// Our estimate of the camera's clock now (our clock until it is measured).
    pub fn camera_now(&self) -> Timestamp {
        match self.clock_base() {
            Some(b) => {
                let elapsed = SignedDuration::try_from(b.at.elapsed()).unwrap_or_default();
                b.camera.checked_add(elapsed).unwrap_or(b.camera)
            }
            None => Timestamp::now(),
        }
    }

    /// How far a time the camera gave in an answer just received (a subscription's
    /// `CurrentTime`) is from our estimate of its clock, when that is more than an answer's
    /// rounding and travel explain: a clock jumped since it was measured (the camera's, or
    /// ours: a machine back from suspend, whose monotonic clock stood still). `None` when the
    /// clock was never measured or the answer gave no time.
    pub(crate) fn clock_disagreement(&self, camera: Option<Timestamp>) -> Option<SignedDuration> {
        let camera = camera?;
        self.clock_base()?;
        let off = camera.duration_since(self.camera_now());
        (off.abs() > CLOCK_JUMP).then_some(off)
    }

    /// Record that the camera's clock read `camera` at monotonic instant `at`.
    pub(super) fn record_clock(&self, at: Instant, camera: Timestamp) {
        *lock(&self.inner.clock) = Some(ClockBase { at, camera });
    }

    /// Read the camera clock without credentials (falling back to credentials when the camera
    /// insists) and record the offset to ours.
    pub async fn measure_clock(&self) -> Result<ClockReading, Error> {
        self.measure_clock_with(true).await
    }

    /// [`Camera::measure_clock`]; without `with_credentials`, a camera that wants them for
    /// its clock only gives the estimate of its refusal's Date header (and the refusal is
    /// returned): re-measuring after a refused request must not send the credentials again.
    pub(super) async fn measure_clock_with(
        &self,
        with_credentials: bool,
    ) -> Result<ClockReading, Error> {
        self.measure_clock_at(&self.device_url(), with_credentials)
            .await
    }

    /// [`Camera::measure_clock_with`] at a device service address.
    pub(crate) async fn measure_clock_at(
        &self,
        url: &Url,
        with_credentials: bool,
    ) -> Result<ClockReading, Error> {
        let url = url.clone();
        let op = device::GetSystemDateAndTime;
        let mut started = Instant::now();
        let mut local_start = Timestamp::now();
        let settings = match self
            .exchange::<device::GetSystemDateAndTime>(&url, &op, false)
            .await
        {
            Ok(s) => s,
            Err(e) if e.is_auth() && self.inner.creds.is_some() => {
                // The camera wants credentials even for its clock (agsh/onvif#301). Our
                // token must then already carry its time: take a first estimate from the
                // refusal's HTTP Date header (whole seconds) when it has one.
                if let Some((at, date)) = *lock(&self.inner.last_date) {
                    let date = date
                        .checked_add(SignedDuration::from_millis(500))
                        .unwrap_or(date);
                    self.record_clock(at, date);
                }
                if !with_credentials {
                    return Err(e);
                }
                started = Instant::now();
                local_start = Timestamp::now();
                self.exchange::<device::GetSystemDateAndTime>(&url, &op, true)
                    .await?
            }
            Err(e) => return Err(e),
        };
        let rtt = started.elapsed();
        let mid_instant = started + rtt / 2;
        let half = SignedDuration::try_from(rtt / 2).unwrap_or_default();
        let local_mid = local_start.checked_add(half).unwrap_or(local_start);
        let camera_utc = settings.utc_timestamp();
        // The camera shows whole seconds: on average its clock is half a second past that.
        let offset = camera_utc.map(|c| {
            let c = c.checked_add(SignedDuration::from_millis(500)).unwrap_or(c);
            self.record_clock(mid_instant, c);
            c.duration_since(local_mid)
        });
        Ok(ClockReading {
            settings,
            camera_utc,
            local_utc: local_mid,
            offset,
            round_trip: SignedDuration::try_from(rtt).unwrap_or_default(),
        })
    }
}
