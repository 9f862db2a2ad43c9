//! Requests outside SOAP: a GET (snapshots, logs) and an upload (a firmware image), with the
//! same Digest or Basic handling as the SOAP POSTs.

use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use http::{Method, StatusCode};
use http_auth::{PasswordClient, PasswordParams};
use http_body_util::Full;
use url::Url;

use super::redact::shown;
use super::{Credentials, Http, Response, redact_authorization, request, request_uri};
use crate::error::Error;

impl Http {
    /// A GET (snapshots and other plain HTTP resources), with the same auth handling. The
    /// challenge is answered per call and not kept: snapshot servers often use another realm
    /// than the SOAP endpoint.
    pub async fn get(&self, url: &Url, creds: Option<&Credentials>) -> Result<Response, Error> {
        self.plain(Method::GET, url, None, creds, None, None).await
    }

    /// POST `body` as `application/octet-stream` (a firmware image, a configuration backup)
    /// with the same auth handling as [`Http::get`], within `timeout` (the configured request
    /// timeout when `None`). The trace and the recorder show the body's size, not its bytes.
    ///
    /// A server that refuses a request without credentials answers its 401 before the body
    /// is in and closes the connection, and the client may never see that answer. So with
    /// credentials, the challenge is learnt first from a GET of the same address (which
    /// changes nothing), and the body goes once, with them.
    pub async fn upload(
        &self,
        url: &Url,
        body: Bytes,
        creds: Option<&Credentials>,
        timeout: Option<Duration>,
    ) -> Result<Response, Error> {
        let mut responder = None;
        if creds.is_some() {
            // Within the request timeout: nothing large goes either way.
            let probe = self.plain(Method::GET, url, None, None, None, None).await?;
            if probe.status == StatusCode::UNAUTHORIZED {
                responder = self.responder_for(url, &probe.headers)?;
            }
        }
        self.plain(Method::POST, url, Some(body), creds, timeout, responder)
            .await
    }

    /// A request outside SOAP: a Digest (or allowed Basic) challenge answered once (the
    /// `responder` of one already met answers it from the start).
    async fn plain(
        &self,
        method: Method,
        url: &Url,
        body: Option<Bytes>,
        creds: Option<&Credentials>,
        timeout: Option<Duration>,
        mut responder: Option<PasswordClient>,
    ) -> Result<Response, Error> {
        const OCTETS: &str = "application/octet-stream";
        let shown_body = body
            .as_ref()
            .map(|b| format!("({} bytes of {OCTETS})", b.len()))
            .unwrap_or_default();
        loop {
            let auth = match (creds, responder.as_mut()) {
                (Some(c), Some(r)) => Some(
                    r.respond(&PasswordParams {
                        username: &c.user,
                        password: c.password.expose(),
                        uri: &request_uri(url),
                        method: method.as_str(),
                        body: None,
                    })
                    .map_err(|e| Error::Auth {
                        clock_may_help: false,
                        url: shown(url),
                        detail: format!("cannot answer the challenge: {e}"),
                    })?,
                ),
                _ => None,
            };
            let mut req = request(method.clone(), url)?;
            if body.is_some() {
                req = req.header(CONTENT_TYPE, OCTETS);
            }
            if let Some(a) = auth.as_deref()
                && let Ok(v) = HeaderValue::from_str(a)
            {
                req = req.header(AUTHORIZATION, v);
            }
            let content_type = body.as_ref().map(|_| OCTETS);
            self.trace_request(
                method.as_str(),
                url,
                content_type,
                auth.as_deref(),
                &shown_body,
                &[],
            );
            let started = (jiff::Timestamp::now(), std::time::Instant::now());
            let result = match req.body(Full::new(body.clone().unwrap_or_default())) {
                Ok(req) => self.finish(url, req, timeout).await,
                Err(e) => Err(Error::Usage(format!("cannot make the request: {e}"))),
            };
            if self.config.recorder.is_some() {
                let headers = content_type
                    .map(|t| ("Content-Type".to_owned(), t.to_owned()))
                    .into_iter()
                    .chain(
                        auth.as_deref()
                            .map(|a| ("Authorization".to_owned(), redact_authorization(a))),
                    )
                    .collect();
                let name = if body.is_some() { "POST" } else { "GET" };
                self.record(
                    name,
                    url,
                    started.0,
                    started.1,
                    headers,
                    shown_body.clone(),
                    &result,
                );
            }
            let resp = result?;
            if resp.status != StatusCode::UNAUTHORIZED || responder.is_some() || creds.is_none() {
                return Ok(resp);
            }
            match self.responder_for(url, &resp.headers)? {
                Some(r) => responder = Some(r),
                None => return Ok(resp),
            }
        }
    }
}
