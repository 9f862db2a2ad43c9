//! Device management: the camera's identity, clock, services, scopes, network settings and
//! reboot.

use jiff::Timestamp;
use onvif_proto::ops::device;

use crate::camera::{Camera, ClockReading};
use crate::error::Error;

impl Camera {
    /// The camera's date, time, time zone and clock mode (GetSystemDateAndTime).
    pub async fn system_date_and_time(&self) -> Result<device::SystemDateAndTime, Error> {
        self.call(&device::GetSystemDateAndTime).await
    }

    /// Set the camera's clock (manual mode) to `utc`, then measure the offset again.
    pub async fn set_clock(&self, utc: Timestamp) -> Result<ClockReading, Error> {
        self.set_clock_with(|| utc).await.map(|(r, _)| r)
    }

    /// Set the camera's clock to ours, taken at the moment the request is built (after the
    /// round trip that reads the current settings). Also says whether the camera was on NTP
    /// and is now manual.
    pub async fn sync_clock(&self) -> Result<(ClockReading, bool), Error> {
        self.set_clock_with(Timestamp::now).await
    }

    async fn set_clock_with(
        &self,
        utc: impl Fn() -> Timestamp,
    ) -> Result<(ClockReading, bool), Error> {
        let current = self.system_date_and_time().await?;
        let was_ntp = current.date_time_type == device::DateTimeType::Ntp;
        // SetSystemDateAndTime is not retried on transport errors (it would set a stale
        // time), so the time is read right before the one request.
        self.call(&device::SetSystemDateAndTime {
            date_time_type: device::DateTimeType::Manual,
            daylight_savings: current.daylight_savings,
            time_zone: current.time_zone.clone(),
            utc: Some(device::DateTime::from_timestamp(utc())),
        })
        .await?;
        Ok((self.measure_clock().await?, was_ntp))
    }

    /// Manufacturer, model, firmware, serial number and hardware id (GetDeviceInformation).
    pub async fn device_information(&self) -> Result<device::DeviceInformation, Error> {
        self.call(&device::GetDeviceInformation).await
    }

    /// GetCapabilities, every category (`All`).
    pub async fn capabilities(&self) -> Result<device::Capabilities, Error> {
        self.call(&device::GetCapabilities::default()).await
    }

    /// The services and their addresses (GetServices), with their capabilities when asked.
    pub async fn services(&self, include_capability: bool) -> Result<device::Services, Error> {
        self.call(&device::GetServices { include_capability }).await
    }

    /// The device service's own capabilities (GetServiceCapabilities).
    pub async fn service_capabilities(&self) -> Result<device::ServiceCapabilities, Error> {
        self.call(&device::GetServiceCapabilities).await
    }

    /// The scopes the camera announces (GetScopes).
    pub async fn scopes(&self) -> Result<device::Scopes, Error> {
        self.call(&device::GetScopes).await
    }

    /// Replace every configurable scope with `scopes` (SetScopes); fixed ones stay.
    pub async fn set_scopes(&self, scopes: &[String]) -> Result<(), Error> {
        let set = device::SetScopes {
            scopes: scopes.to_vec(),
        };
        self.call(&set).await.map(drop)
    }

    /// Add configurable scopes (AddScopes).
    pub async fn add_scopes(&self, scopes: &[String]) -> Result<(), Error> {
        let add = device::AddScopes {
            items: scopes.to_vec(),
        };
        self.call(&add).await.map(drop)
    }

    /// Remove configurable scopes (RemoveScopes): all or none; a fixed one is the camera's
    /// `ter:FixedScope` fault, one it does not have `ter:NoScope`.
    pub async fn remove_scopes(&self, scopes: &[String]) -> Result<(), Error> {
        let remove = device::RemoveScopes {
            items: scopes.to_vec(),
        };
        self.call(&remove).await.map(drop)
    }

    /// Make `value` the camera's scope of one category (`name`, `location`, ...): its
    /// configurable scopes of that category are replaced by
    /// [`onvif_scope`](device::onvif_scope)`(category, value)` and the others kept, in one
    /// SetScopes. Returns the fixed scopes of the category, which the camera goes on
    /// announcing beside the new one (a fixed scope equal to the new one is not sent again).
    pub async fn set_scope_of(
        &self,
        category: &str,
        value: &str,
    ) -> Result<Vec<device::Scope>, Error> {
        let current = self.scopes().await?.scopes;
        let of_category = |s: &device::Scope| s.onvif_parts().is_some_and(|(c, _)| c == category);
        let (fixed, configurable): (Vec<_>, Vec<_>) = current
            .into_iter()
            .partition(|s| s.definition.eq_ignore_ascii_case("Fixed"));
        let (old, keep): (Vec<_>, Vec<_>) = configurable.into_iter().partition(of_category);
        let old: Vec<String> = old.into_iter().map(|s| s.item).collect();
        let mut keep: Vec<String> = keep.into_iter().map(|s| s.item).collect();
        let new = device::onvif_scope(category, value);
        // A fixed scope is announced already; naming it in SetScopes would ask the camera to
        // overwrite it (`ter:ScopeOverwrite` on some).
        if !fixed.iter().any(|f| f.item == new) {
            keep.push(new.clone());
        }
        if keep.is_empty() {
            // SetScopes needs one scope at least (schema): what is to go goes by RemoveScopes.
            if !old.is_empty() {
                self.remove_scopes(&old).await?;
            }
        } else {
            self.set_scopes(&keep).await?;
        }
        Ok(fixed
            .into_iter()
            .filter(|f| of_category(f) && f.item != new)
            .collect())
    }

    /// The hostname and whether it comes from DHCP (GetHostname).
    pub async fn hostname(&self) -> Result<device::HostnameInformation, Error> {
        self.call(&device::GetHostname).await
    }

    /// The network interfaces and their addresses (GetNetworkInterfaces).
    pub async fn network_interfaces(&self) -> Result<device::NetworkInterfaces, Error> {
        self.call(&device::GetNetworkInterfaces).await
    }

    /// The NTP settings (GetNtp).
    pub async fn ntp(&self) -> Result<device::NtpInformation, Error> {
        self.call(&device::GetNtp).await
    }

    /// Reboot the camera (SystemReboot); the answer carries the camera's message.
    pub async fn reboot(&self) -> Result<device::RebootResponse, Error> {
        self.call(&device::SystemReboot).await
    }
}
