//! rustls, the default backend: the ring provider and the trust set per
//! client, the system's store read once per process on the first `https`
//! handshake (never for a loopback `http://` client).

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::Error;
use crate::transport::CaBundle;

/// The TLS settings of a client: the ring provider and this trust, set per
/// client so the host application's process-wide rustls default is neither
/// needed nor changed.
pub(crate) fn client_config(ca_bundle: Option<&CaBundle>) -> Result<rustls::ClientConfig, Error> {
    let provider = provider();
    let verifier: Arc<dyn ServerCertVerifier> = match ca_bundle {
        None => system_verifier(),
        Some(bundle) => Arc::new(LazyVerifier::new(bundle.certificates()?)),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config(format!("TLS setup failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

/// The verifier of every client without a CA bundle: one per process.
fn system_verifier() -> Arc<dyn ServerCertVerifier> {
    static SYSTEM: OnceLock<Arc<LazyVerifier>> = OnceLock::new();
    SYSTEM
        .get_or_init(|| Arc::new(LazyVerifier::new(Vec::new())))
        .clone()
}

/// Builds the real verifier on the first certificate it checks, so that
/// building a client reads no file.
#[derive(Debug)]
struct LazyVerifier {
    extra: Vec<CertificateDer<'static>>,
    inner: OnceLock<Result<Arc<dyn ServerCertVerifier>, String>>,
}

impl LazyVerifier {
    fn new(extra: Vec<CertificateDer<'static>>) -> Self {
        LazyVerifier {
            extra,
            inner: OnceLock::new(),
        }
    }

    fn inner(&self) -> Result<&Arc<dyn ServerCertVerifier>, rustls::Error> {
        self.inner
            .get_or_init(|| platform_verifier(&self.extra))
            .as_ref()
            .map_err(|why| rustls::Error::General(why.clone()))
    }
}

impl ServerCertVerifier for LazyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &provider().signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &provider().signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider().signature_verification_algorithms.supported_schemes()
    }
}

/// Linux and the other Unixes keep their trust store in files (what
/// rustls-platform-verifier itself reads there): read them here, once per
/// process, so that a failure says why (e.g. `Too many open files`).
#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
fn platform_verifier(extra: &[CertificateDer<'static>]) -> Result<Arc<dyn ServerCertVerifier>, String> {
    static SYSTEM_ROOTS: OnceLock<(Arc<rustls::RootCertStore>, Vec<String>)> = OnceLock::new();
    let (system, errors) = SYSTEM_ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        let mut store = rustls::RootCertStore::empty();
        store.add_parsable_certificates(found.certs);
        let errors = found.errors.iter().map(|e| e.to_string()).collect();
        (Arc::new(store), errors)
    });
    let mut roots = (**system).clone();
    for cert in extra {
        roots
            .add(cert.clone())
            .map_err(|e| format!("a ca_bundle certificate cannot be used: {e}"))?;
    }
    if roots.is_empty() {
        let why = if errors.is_empty() {
            "no certificate found (set SSL_CERT_FILE or SSL_CERT_DIR, or pass ca_bundle)".to_owned()
        } else {
            errors.join("; ")
        };
        return Err(format!("cannot load the system's trusted certificates: {why}"));
    }
    rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map(|v| v as Arc<dyn ServerCertVerifier>)
        .map_err(|e| format!("TLS setup failed: {e}"))
}

/// macOS, Windows and the mobile platforms verify through the OS.
#[cfg(not(all(unix, not(target_vendor = "apple"), not(target_os = "android"))))]
fn platform_verifier(extra: &[CertificateDer<'static>]) -> Result<Arc<dyn ServerCertVerifier>, String> {
    rustls_platform_verifier::Verifier::new_with_extra_roots(extra.iter().cloned(), provider())
        .map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>)
        .map_err(|e| format!("cannot load the system's trusted certificates: {e}"))
}
