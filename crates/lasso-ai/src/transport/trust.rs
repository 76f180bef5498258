//! The certificate authorities a client trusts besides the system's: read
//! and checked when the client is built, whichever TLS backend uses them.

use std::path::PathBuf;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::error::Error;

/// Extra certificate authorities to trust besides the system's (a corporate
/// TLS-inspecting proxy, a private deployment, a test server).
#[derive(Clone, PartialEq, Eq)]
pub enum CaBundle {
    /// A PEM file of one or more certificates.
    Path(PathBuf),
    /// PEM text of one or more certificates.
    Pem(String),
}

impl CaBundle {
    /// PEM text when `value` holds a certificate, else a path to a PEM file:
    /// the reading of a `ca_bundle` option given as one string.
    pub fn from_text_or_path(value: &str) -> CaBundle {
        if value.contains("-----BEGIN") {
            CaBundle::Pem(value.to_owned())
        } else {
            CaBundle::Path(PathBuf::from(value))
        }
    }

    /// The certificates, or a configuration error naming the file and what is wrong.
    pub(crate) fn certificates(&self) -> Result<Vec<CertificateDer<'static>>, Error> {
        let (pem, source) = match self {
            CaBundle::Pem(text) => (text.as_bytes().to_vec(), "the ca_bundle PEM text".to_owned()),
            CaBundle::Path(path) => (
                std::fs::read(path).map_err(|e| {
                    Error::config(format!("cannot read the ca_bundle file {}: {e}", path.display()))
                })?,
                format!("the ca_bundle file {}", path.display()),
            ),
        };
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::config(format!("{source} is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(Error::config(format!(
                "{source} holds no certificate (expected `-----BEGIN CERTIFICATE-----` blocks)"
            )));
        }
        Ok(certs)
    }
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaBundle::Path(path) => write!(f, "CaBundle::Path({})", path.display()),
            CaBundle::Pem(text) => write!(f, "CaBundle::Pem({} bytes)", text.len()),
        }
    }
}
