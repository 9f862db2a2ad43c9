//! Certificates beyond the system's authorities: a camera pinned by its certificate's SHA-256
//! (`--cert-sha256`, a camera's `cert_sha256`), and a look at a camera's certificate without
//! trusting it first (`onvif trust`, `doctor`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Error;

/// A SHA-256 fingerprint from hex, with or without `:` between the bytes.
pub fn parse_sha256(s: &str) -> Result<[u8; 32], String> {
    let hex: String = s
        .chars()
        .filter(|c| *c != ':' && !c.is_whitespace())
        .collect();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "{s:?}: a SHA-256 fingerprint is 64 hex digits (colons allowed)"
        ));
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Lower-case hex of a certificate's SHA-256.
pub fn sha256_hex(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// How a verifier judges the certificate a server presents: its own, the intermediates, the
/// name used, the stapled OCSP answer, and the time.
type Judge = dyn Fn(
        &CertificateDer<'_>,
        &[CertificateDer<'_>],
        &ServerName<'_>,
        &[u8],
        UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error>
    + Send
    + Sync;

/// A certificate verifier made of a judgement. Whatever it makes of the certificate, the
/// handshake's signatures are checked with the provider's algorithms.
struct Verifier {
    /// What it is, for `Debug`.
    what: &'static str,
    judge: Box<Judge>,
    provider: Arc<CryptoProvider>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.what)
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        (self.judge)(end_entity, intermediates, server_name, ocsp, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A TLS client configuration whose server certificates `judge` judges.
fn judged_config(what: &'static str, judge: Box<Judge>) -> Result<rustls::ClientConfig, Error> {
    let provider = provider();
    let verifier = Verifier {
        what,
        judge,
        provider: Arc::clone(&provider),
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Usage(format!("TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// A TLS client configuration that accepts exactly the certificate with this SHA-256, whoever
/// signed it and whatever names it holds: the camera was trusted on first use.
pub(crate) fn pinned_config(want: [u8; 32]) -> Result<rustls::ClientConfig, Error> {
    judged_config(
        "pinned certificate",
        Box::new(move |end_entity, _, _, _, _| {
            let got: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
            if got == want {
                return Ok(ServerCertVerified::assertion());
            }
            let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
            Err(rustls::Error::General(format!(
                "the camera's certificate is not the pinned one (it is SHA-256 {}, pinned {}): \
                 if the camera was given a new certificate (check its fingerprint on the \
                 camera itself), `onvif trust --replace` pins it",
                hex(&got),
                hex(&want)
            )))
        }),
    )
}

/// The system's root certificates, read once per process (a few hundred KiB, shared by every
/// client that verifies against them).
fn system_roots() -> Arc<rustls::RootCertStore> {
    static ROOTS: std::sync::OnceLock<Arc<rustls::RootCertStore>> = std::sync::OnceLock::new();
    Arc::clone(ROOTS.get_or_init(|| {
        let mut roots = rustls::RootCertStore::empty();
        for c in rustls_native_certs::load_native_certs().certs {
            let _ = roots.add(c);
        }
        Arc::new(roots)
    }))
}

/// A TLS client configuration that trusts the system's authorities (the default). They are
/// read at the first HTTPS handshake: a program that talks only plain HTTP to its cameras
/// (most do) never reads them. A machine without any still gets a client: plain HTTP works,
/// and HTTPS is refused with advice.
pub(crate) fn system_config() -> Result<rustls::ClientConfig, Error> {
    let system = std::sync::OnceLock::new();
    judged_config(
        "the system's authorities",
        Box::new(move |end_entity, intermediates, server_name, ocsp, now| {
            match system.get_or_init(system_verifier) {
                Some(v) => v.verify_server_cert(end_entity, intermediates, server_name, ocsp, now),
                None => Err(rustls::Error::General(
                    "this machine has no root certificates to check the camera's certificate \
                     against (install ca-certificates; or `onvif trust` pins the camera's own, \
                     and --insecure skips the check)"
                        .into(),
                )),
            }
        }),
    )
}

/// The system's authorities as a verifier; `None` when there are none.
fn system_verifier() -> Option<Arc<rustls::client::WebPkiServerVerifier>> {
    let roots = system_roots();
    if roots.is_empty() {
        return None;
    }
    rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider())
        .build()
        .ok()
}

/// A TLS client configuration that accepts any certificate (`--insecure`).
pub(crate) fn insecure_config() -> Result<rustls::ClientConfig, Error> {
    judged_config(
        "any certificate",
        Box::new(|_, _, _, _, _| Ok(ServerCertVerified::assertion())),
    )
}

/// What the system's authorities make of a camera's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Signed by an authority this machine trusts, valid now, for this host.
    Trusted,
    /// Signed by no authority this machine knows: self-signed, or a private authority.
    UnknownIssuer,
    /// Past its end date.
    Expired,
    /// Before its start date (or this machine's clock is behind).
    NotYetValid,
    /// Not made out to the name or address used.
    WrongHost,
    /// Refused for another reason.
    Refused(String),
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Trusted => f.write_str("trusted: signed by an authority this machine knows"),
            Verdict::UnknownIssuer => {
                f.write_str("unknown issuer: self-signed, or signed by a private authority")
            }
            Verdict::Expired => f.write_str("expired"),
            Verdict::NotYetValid => {
                f.write_str("not valid yet (or this machine's clock is behind)")
            }
            Verdict::WrongHost => f.write_str("made out to another name than the one used"),
            Verdict::Refused(why) => write!(f, "refused: {why}"),
        }
    }
}

/// A camera's certificate, as seen on a first look.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateReport {
    /// SHA-256 of the certificate (lower-case hex): what `--cert-sha256` pins.
    pub sha256: String,
    /// What the system's authorities make of it.
    pub verdict: Verdict,
}

/// What the system's authorities make of a certificate, and whether it is made out to the
/// name used.
fn verdict(
    system: Option<&rustls::client::WebPkiServerVerifier>,
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    server_name: &ServerName<'_>,
    ocsp: &[u8],
    now: UnixTime,
) -> Verdict {
    // Made out to the name used? (Asked apart: an unknown issuer is found first.)
    let for_this_name = webpki::EndEntityCert::try_from(end_entity)
        .is_ok_and(|c| c.verify_is_valid_for_subject_name(server_name).is_ok());
    let verdict = match system {
        None => Verdict::Refused("this machine has no root certificates".into()),
        Some(v) => match v.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Ok(_) => Verdict::Trusted,
            Err(rustls::Error::InvalidCertificate(e)) => match e {
                CertificateError::UnknownIssuer => Verdict::UnknownIssuer,
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    Verdict::Expired
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    Verdict::NotYetValid
                }
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => Verdict::WrongHost,
                other => Verdict::Refused(format!("{other:?}")),
            },
            Err(other) => Verdict::Refused(other.to_string()),
        },
    };
    match verdict {
        Verdict::UnknownIssuer if !for_this_name => Verdict::WrongHost,
        v => v,
    }
}

/// Connect to `url`'s host and port, read the certificate it presents and judge it against
/// the system's authorities; nothing is sent over the connection. Its errors name the URL
/// without its user-info.
pub async fn inspect(url: &url::Url, timeout: Duration) -> Result<CertificateReport, Error> {
    let shown = crate::address::redact_userinfo(url.as_str());
    let fail = |detail: String| Error::Connect {
        url: shown.clone(),
        detail,
    };
    let host = url
        .host_str()
        .ok_or_else(|| fail("no host".into()))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    // Looks, records, and lets the handshake finish: used only to read the certificate.
    let seen: Arc<Mutex<Option<CertificateReport>>> = Arc::default();
    let system = system_verifier();
    let record = Arc::clone(&seen);
    let config = judged_config(
        "inspecting",
        Box::new(move |end_entity, intermediates, server_name, ocsp, now| {
            let verdict = verdict(
                system.as_deref(),
                end_entity,
                intermediates,
                server_name,
                ocsp,
                now,
            );
            *record.lock().unwrap_or_else(|e| e.into_inner()) = Some(CertificateReport {
                sha256: sha256_hex(end_entity.as_ref()),
                verdict,
            });
            Ok(ServerCertVerified::assertion())
        }),
    )?;
    let name = ServerName::try_from(host.clone()).map_err(|e| fail(e.to_string()))?;
    let handshake = async {
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| fail(e.to_string()))?;
        tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| fail(format!("TLS handshake: {e}")))
    };
    let _stream = tokio::time::timeout(timeout, handshake)
        .await
        .map_err(|_| Error::Timeout {
            url: shown.clone(),
            after: timeout,
            connecting: true,
        })??;
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).take();
    seen.ok_or_else(|| fail("the camera presented no certificate".into()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn inspect_errors_name_the_address_without_its_credentials() {
        // A port where nothing listens: bound, then let go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("https://admin:Tls-S3cret@127.0.0.1:{port}/");
        let url = url::Url::parse(&url).unwrap();
        let m = inspect(&url, Duration::from_secs(5))
            .await
            .unwrap_err()
            .to_string();
        assert!(!m.contains("Tls-S3cret") && !m.contains("admin"), "{m}");
        assert!(m.contains("https://[credentials]@127.0.0.1"), "{m}");
    }
}
