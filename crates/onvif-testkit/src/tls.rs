//! Certificates for tests of TLS peers: a certificate authority made for the test, and
//! server certificates it signs for 127.0.0.1 and `localhost`, written as PEM files.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};

/// A certificate authority of the test's own, and one server certificate it signed for
/// 127.0.0.1 and `localhost`, as PEM files in a folder of their own.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    dir: PathBuf,
    /// The authority's certificate: what a client is told to trust.
    pub ca_pem: PathBuf,
    /// The server's certificate.
    pub cert_pem: PathBuf,
    /// The server's private key.
    pub key_pem: PathBuf,
}

impl TestCa {
    /// Make the authority and the server certificate, and write them under `dir`.
    pub fn create(dir: &Path) -> TestCa {
        std::fs::create_dir_all(dir).expect("a folder for the certificates");
        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "onvif test authority");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::CrlSign,
        ];
        let ca_cert = ca.self_signed(&ca_key).expect("the CA certificate");
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate().expect("a server key");
        let mut server = CertificateParams::new(Vec::<String>::new()).expect("server parameters");
        server
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        server.subject_alt_names = vec![
            SanType::DnsName("localhost".try_into().expect("a DNS name")),
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        ];
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.use_authority_key_identifier_extension = true;
        let cert = server
            .signed_by(&key, &issuer)
            .expect("the server certificate");

        let out = TestCa {
            issuer,
            dir: dir.to_path_buf(),
            ca_pem: dir.join("ca.pem"),
            cert_pem: dir.join("server.pem"),
            key_pem: dir.join("server.key"),
        };
        std::fs::write(&out.ca_pem, ca_cert.pem()).expect("writing ca.pem");
        std::fs::write(&out.cert_pem, cert.pem()).expect("writing server.pem");
        std::fs::write(&out.key_pem, key.serialize_pem()).expect("writing server.key");
        out
    }

    /// Another server certificate signed by this authority, for `names` (DNS names or IP
    /// addresses), expired long ago when `expired`; written as `NAME.pem` and `NAME.key`.
    /// Returns the two files' contents.
    pub fn issue(&self, file: &str, names: &[&str], expired: bool) -> (Vec<u8>, Vec<u8>) {
        let key = KeyPair::generate().expect("a server key");
        let mut p = CertificateParams::new(Vec::<String>::new()).expect("server parameters");
        p.distinguished_name.push(DnType::CommonName, names[0]);
        p.subject_alt_names = names
            .iter()
            .map(|n| match n.parse::<IpAddr>() {
                Ok(ip) => SanType::IpAddress(ip),
                Err(_) => SanType::DnsName((*n).try_into().expect("a DNS name")),
            })
            .collect();
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        p.use_authority_key_identifier_extension = true;
        if expired {
            p.not_before = rcgen::date_time_ymd(2001, 1, 1);
            p.not_after = rcgen::date_time_ymd(2002, 1, 1);
        }
        let cert = p.signed_by(&key, &self.issuer).expect("the certificate");
        let (c, k) = (cert.pem().into_bytes(), key.serialize_pem().into_bytes());
        std::fs::write(self.dir.join(format!("{file}.pem")), &c).expect("writing the certificate");
        std::fs::write(self.dir.join(format!("{file}.key")), &k).expect("writing the key");
        (c, k)
    }
}
