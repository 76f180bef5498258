//! native-tls, the optional backend: the platform's TLS library, which reads
//! the system's trust store itself (on Linux, OpenSSL through `SSL_CERT_FILE`
//! / `SSL_CERT_DIR` or the usual locations, probed once per process). Its
//! connector is built on the first `https` connection, never for a loopback
//! `http://` client.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use http::Uri;
use tower_service::Service;

use crate::error::Error;
use crate::transport::connector::{BoxError, Connector, WriteTolerant};
use crate::transport::CaBundle;

type Stream = hyper_tls::MaybeHttpsStream<WriteTolerant>;
type Built = Result<tokio_native_tls::TlsConnector, String>;

/// A client's native-tls settings: the CA bundle's certificates, checked when
/// the client is built, and the connector made from them on first use.
#[derive(Clone)]
pub(crate) struct NativeTls {
    lazy: Arc<Lazy>,
}

struct Lazy {
    extra: Vec<native_tls::Certificate>,
    built: OnceLock<Built>,
}

impl NativeTls {
    pub(crate) fn new(ca_bundle: Option<&CaBundle>) -> Result<NativeTls, Error> {
        let extra = match ca_bundle {
            None => Vec::new(),
            Some(bundle) => bundle
                .certificates()?
                .iter()
                .map(|der| {
                    native_tls::Certificate::from_der(der)
                        .map_err(|e| Error::config(format!("a ca_bundle certificate cannot be used: {e}")))
                })
                .collect::<Result<_, _>>()?,
        };
        let lazy = if extra.is_empty() {
            static SYSTEM: OnceLock<Arc<Lazy>> = OnceLock::new();
            SYSTEM.get_or_init(|| Arc::new(Lazy::new(Vec::new()))).clone()
        } else {
            Arc::new(Lazy::new(extra))
        };
        Ok(NativeTls { lazy })
    }

    pub(crate) fn connector(&self, tcp: Connector) -> NativeHttps {
        NativeHttps {
            tcp,
            lazy: self.lazy.clone(),
        }
    }
}

impl Lazy {
    fn new(extra: Vec<native_tls::Certificate>) -> Lazy {
        Lazy {
            extra,
            built: OnceLock::new(),
        }
    }

    fn get(&self) -> &Built {
        self.built.get_or_init(|| {
            let mut builder = native_tls::TlsConnector::builder();
            builder.request_alpns(&["h2", "http/1.1"]);
            for cert in &self.extra {
                builder.add_root_certificate(cert.clone());
            }
            builder
                .build()
                .map(tokio_native_tls::TlsConnector::from)
                .map_err(|e| format!("cannot set up TLS with the system's trusted certificates: {e}"))
        })
    }
}

/// The connector of one pool: plain TCP for `http://`, TLS over it for `https://`.
#[derive(Clone)]
pub(crate) struct NativeHttps {
    tcp: Connector,
    lazy: Arc<Lazy>,
}

impl Service<Uri> for NativeHttps {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        if dst.scheme_str() != Some("https") {
            let connecting = self.tcp.call(dst);
            return Box::pin(async move { connecting.await.map(Stream::Http) });
        }
        match self.lazy.get() {
            Ok(tls) => {
                let mut https = hyper_tls::HttpsConnector::from((self.tcp.clone(), tls.clone()));
                Box::pin(https.call(dst))
            }
            Err(why) => {
                let error: BoxError = Box::new(SetupFailed(why.clone()));
                Box::pin(async move { Err(error) })
            }
        }
    }
}

/// The platform's TLS library could not be set up (its trust store unreadable…).
#[derive(Debug)]
struct SetupFailed(String);

impl std::fmt::Display for SetupFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupFailed {}

/// A handshake the platform's library refused, or a setup that failed.
pub(crate) fn refusal(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    if let Some(e) = err.downcast_ref::<native_tls::Error>() {
        return Some(e.to_string());
    }
    err.downcast_ref::<SetupFailed>().map(|e| e.0.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_without_a_ca_bundle_share_one_connector() {
        let a = NativeTls::new(None).unwrap();
        let b = NativeTls::new(None).unwrap();
        assert!(Arc::ptr_eq(&a.lazy, &b.lazy));
        // Built once, on first use, for both.
        let built = a.lazy.get().as_ref().map(|_| ()).map_err(Clone::clone);
        assert_eq!(built, Ok(()));
        assert!(std::ptr::eq(a.lazy.get(), b.lazy.get()));
    }
}
