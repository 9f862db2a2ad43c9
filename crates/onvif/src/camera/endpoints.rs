//! Where each service lives: GetServices, completed by GetCapabilities, repaired.

use onvif_proto::Service;
use onvif_proto::ops::device;
use std::sync::atomic::Ordering;

use url::Url;

use super::Camera;
use crate::address::Endpoints;
use crate::error::Error;
use crate::util::lock;

impl Camera {
    /// The URL of a service: the device service is where we connected; others come from
    /// GetServices and GetCapabilities, repaired.
    pub async fn endpoint(&self, service: Service) -> Result<Url, Error> {
        self.lookup_endpoint(service)
            .await?
            .ok_or(Error::NoService(service))
    }

    /// Forget where the services live, so that the next request asks again: after a camera
    /// moved them (a firmware update, another device at the address), a request at an old
    /// address finds nothing.
    pub async fn forget_endpoints(&self) {
        *self.inner.endpoints.lock().await = None;
    }

    /// Find the services again after the camera moved them (a firmware update, another
    /// device at the address): forget where they were, and when the device service no longer
    /// answers where it did, look for it at the other paths [`Camera::connect`] tries for a
    /// bare address (`/onvif/device_service`, `/onvif/service`; a camera reached at a path of
    /// the user's has no others). Returns where the device service is now. A camera that does
    /// not answer at all keeps its address.
    pub async fn relocate(&self) -> Url {
        self.forget_endpoints().await;
        self.find_device_service().await
    }

    /// The device service's half of [`Camera::relocate`], which does not touch the endpoints
    /// (a request made while they are being resolved may call it). Only a path that answers
    /// GetSystemDateAndTime, or faults it in SOAP, takes the device service's place: a web
    /// server's 401 or error page in front of a path proves nothing. Without credentials, so
    /// no probe counts as a failed login. One relocation at a time; a move makes the next
    /// [`Camera::endpoints`] ask GetServices again.
    pub(crate) async fn find_device_service(&self) -> Url {
        let _one = self.inner.relocating.lock().await;
        let current = self.device_url();
        if self.inner.device_paths.len() < 2 {
            return current;
        }
        match self.measure_clock_at(&current, false).await {
            Err(e) if e.nothing_there() => {}
            _ => return current,
        }
        for url in self.inner.device_paths.iter().filter(|u| **u != current) {
            match self.measure_clock_at(url, false).await {
                Ok(_) | Err(Error::Fault { .. }) => {
                    let mut at = lock(&self.inner.device_url);
                    if *at == current {
                        tracing::info!(from = %current, to = %url, "the device service moved");
                        *at = url.clone();
                        self.inner.device_moved.store(true, Ordering::Release);
                    }
                    return at.clone();
                }
                Err(_) => {}
            }
        }
        current
    }

    /// Does the camera offer a service (from GetServices / GetCapabilities)?
    pub async fn has_service(&self, service: Service) -> Result<bool, Error> {
        Ok(self.lookup_endpoint(service).await?.is_some())
    }

    /// Where a service lives, if the camera says. A service that GetServices left out is
    /// looked up in GetCapabilities too (asked once): some cameras answer GetServices with an
    /// empty or partial list but GetCapabilities in full.
    async fn lookup_endpoint(&self, service: Service) -> Result<Option<Url>, Error> {
        if service == Service::Device {
            return Ok(Some(self.device_url()));
        }
        let eps = self.endpoints().await?;
        if let Some(u) = eps.services.get(&service) {
            return Ok(Some(u.clone()));
        }
        if eps.asked_capabilities || !device::Capabilities::can_list(service) {
            return Ok(None);
        }
        let eps = self.merge_capabilities().await?;
        Ok(eps.services.get(&service).cloned())
    }

    /// Resolve (once) where every service lives: GetServices, and GetCapabilities when
    /// GetServices fails or lists nothing but the device service.
    pub async fn endpoints(&self) -> Result<Endpoints, Error> {
        let mut guard = self.inner.endpoints.lock().await;
        if self.inner.device_moved.swap(false, Ordering::AcqRel) {
            *guard = None;
        }
        if let Some(e) = guard.as_ref() {
            return Ok(e.clone());
        }
        let url = self.device_url();
        let eps = match self
            .call_at(
                &url,
                &device::GetServices {
                    include_capability: false,
                },
            )
            .await
        {
            Ok(s) => {
                let reported: Vec<(Service, String)> = s
                    .services
                    .iter()
                    .filter_map(|i| i.service.map(|svc| (svc, i.xaddr.clone())))
                    .collect();
                let eps = self.build_endpoints("GetServices", reported, false);
                if eps.services.len() > 1 {
                    eps
                } else {
                    tracing::debug!("GetServices listed no service; asking GetCapabilities too");
                    self.with_capabilities(eps).await?
                }
            }
            Err(e) if e.is_auth() || e.kind() == crate::error::ErrorKind::Network => return Err(e),
            Err(e) => {
                tracing::debug!(error = %e, "GetServices failed; falling back to GetCapabilities");
                let caps = self
                    .call_at(&url, &device::GetCapabilities::default())
                    .await?;
                self.build_endpoints("GetCapabilities", capability_xaddrs(&caps), true)
            }
        };
        *guard = Some(eps.clone());
        Ok(eps)
    }

    /// Ask GetCapabilities (once) and add what GetServices left out.
    async fn merge_capabilities(&self) -> Result<Endpoints, Error> {
        let mut guard = self.inner.endpoints.lock().await;
        if self.inner.device_moved.swap(false, Ordering::AcqRel) {
            *guard = None;
        }
        let eps = match guard.as_ref() {
            Some(e) if !e.asked_capabilities => e.clone(),
            Some(e) => return Ok(e.clone()),
            None => {
                drop(guard);
                return self.endpoints().await;
            }
        };
        let eps = self.with_capabilities(eps).await?;
        *guard = Some(eps.clone());
        Ok(eps)
    }

    /// `eps` (from GetServices) with the services GetCapabilities adds. A failed
    /// GetCapabilities leaves them as they are (and is not asked again), unless the failure is
    /// one of credentials or the network.
    async fn with_capabilities(&self, eps: Endpoints) -> Result<Endpoints, Error> {
        let url = self.device_url();
        match self
            .call_at(&url, &device::GetCapabilities::default())
            .await
        {
            Ok(caps) => {
                let mut reported = eps.raw.clone();
                let before = reported.len();
                for (svc, x) in capability_xaddrs(&caps) {
                    if !reported.iter().any(|(s, _)| *s == svc) {
                        reported.push((svc, x));
                    }
                }
                let added: Vec<String> = reported[before..]
                    .iter()
                    .map(|(s, _)| s.to_string())
                    .collect();
                if !added.is_empty() {
                    tracing::debug!(
                        added = %added.join(", "),
                        "GetServices left out services that GetCapabilities lists; using both"
                    );
                }
                Ok(self.build_endpoints("GetServices+GetCapabilities", reported, true))
            }
            Err(e) if e.is_auth() || e.kind() == crate::error::ErrorKind::Network => Err(e),
            Err(e) => {
                tracing::debug!(error = %e, "GetCapabilities failed; keeping what GetServices said");
                Ok(Endpoints {
                    asked_capabilities: true,
                    ..eps
                })
            }
        }
    }

    /// Repair what the camera reported into [`Endpoints`].
    fn build_endpoints(
        &self,
        source: &'static str,
        reported: Vec<(Service, String)>,
        asked_capabilities: bool,
    ) -> Endpoints {
        let repair = lock(&self.inner.repair).clone();
        Endpoints::build(
            repair,
            &self.device_url(),
            source,
            reported,
            asked_capabilities,
        )
    }
}

/// The service addresses a GetCapabilities answer names.
fn capability_xaddrs(caps: &device::Capabilities) -> Vec<(Service, String)> {
    caps.entries
        .iter()
        .filter_map(|c| Some((c.service?, c.xaddr.clone()?)))
        .collect()
}
