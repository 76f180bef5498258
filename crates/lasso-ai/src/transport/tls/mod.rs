//! The TLS layer over [`Connector`]: rustls (the default) or the platform's
//! library through native-tls, chosen per client. Both sit on the same TCP,
//! proxy-tunnel and early-answer handling, and both negotiate HTTP/2 by ALPN.

#[cfg(feature = "native-tls")]
mod native;
#[cfg(feature = "rustls")]
mod rustls;

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::{Connected, Connection};
use tower_service::Service;

use super::connector::{BoxError, Connector, WriteTolerant};
use super::CaBundle;
use crate::error::Error;

/// The TLS library of a client ([`crate::ClientBuilder::tls_backend`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsBackend {
    /// rustls with the ring provider and the system's trust store (cargo
    /// feature `rustls`, on by default).
    Rustls,
    /// The platform's TLS library through native-tls: OpenSSL on Linux,
    /// SChannel on Windows, Security.framework on macOS (cargo feature
    /// `native-tls`). It reads the system's trust store itself.
    NativeTls,
}

impl TlsBackend {
    /// rustls when it is compiled in, else native-tls.
    pub(crate) fn compiled_default() -> TlsBackend {
        if cfg!(feature = "rustls") {
            TlsBackend::Rustls
        } else {
            TlsBackend::NativeTls
        }
    }
}

/// A client's TLS settings, built once and shared by its connection pools.
// One per client: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum Tls {
    #[cfg(feature = "rustls")]
    Rustls(::rustls::ClientConfig),
    #[cfg(feature = "native-tls")]
    Native(native::NativeTls),
}

impl Tls {
    /// Checks the CA bundle now; the system's store is read on first use.
    pub(crate) fn new(backend: TlsBackend, ca_bundle: Option<&CaBundle>) -> Result<Tls, Error> {
        #[cfg(not(all(feature = "rustls", feature = "native-tls")))]
        let not_compiled = |feature: &str| {
            Error::config(format!(
                "the {backend:?} TLS backend is not compiled in: enable lasso-ai's `{feature}` cargo feature"
            ))
        };
        match backend {
            #[cfg(feature = "rustls")]
            TlsBackend::Rustls => Ok(Tls::Rustls(rustls::client_config(ca_bundle)?)),
            #[cfg(not(feature = "rustls"))]
            TlsBackend::Rustls => Err(not_compiled("rustls")),
            #[cfg(feature = "native-tls")]
            TlsBackend::NativeTls => Ok(Tls::Native(native::NativeTls::new(ca_bundle)?)),
            #[cfg(not(feature = "native-tls"))]
            TlsBackend::NativeTls => Err(not_compiled("native-tls")),
        }
    }

    /// The `https`-or-`http` connector of one pool.
    pub(crate) fn connector(&self, tcp: Connector) -> Https {
        match self {
            #[cfg(feature = "rustls")]
            Tls::Rustls(config) => Https::Rustls(
                hyper_rustls::HttpsConnectorBuilder::new()
                    .with_tls_config(config.clone())
                    .https_or_http()
                    .enable_http1()
                    .enable_http2()
                    .wrap_connector(tcp),
            ),
            #[cfg(feature = "native-tls")]
            Tls::Native(tls) => Https::Native(tls.connector(tcp)),
        }
    }
}

/// Whether a connection error is the TLS layer refusing (an untrusted
/// certificate, an unreadable trust store): retrying cannot fix it.
pub(crate) fn tls_refusal(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    #[cfg(feature = "rustls")]
    if let Some(e) = err.downcast_ref::<::rustls::Error>() {
        return Some(e.to_string());
    }
    #[cfg(feature = "native-tls")]
    if let Some(why) = native::refusal(err) {
        return Some(why);
    }
    let _ = err;
    None
}

/// Connects `http` and `https` URIs with the client's backend.
#[derive(Clone)]
pub(crate) enum Https {
    #[cfg(feature = "rustls")]
    Rustls(hyper_rustls::HttpsConnector<Connector>),
    #[cfg(feature = "native-tls")]
    Native(native::NativeHttps),
}

type Connecting = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

impl Service<Uri> for Https {
    type Response = Stream;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Connecting {
        match self {
            #[cfg(feature = "rustls")]
            Https::Rustls(https) => {
                let connecting = https.call(dst);
                Box::pin(async move { connecting.await.map(Stream::Rustls) })
            }
            #[cfg(feature = "native-tls")]
            Https::Native(https) => {
                let connecting = https.call(dst);
                Box::pin(async move { connecting.await.map(Stream::Native) })
            }
        }
    }
}

/// A connection made by either backend (plain for loopback `http://`).
// Not boxed: one per pooled connection, and with one backend compiled (the
// usual build) the enum is that backend's stream alone.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Stream {
    #[cfg(feature = "rustls")]
    Rustls(hyper_rustls::MaybeHttpsStream<WriteTolerant>),
    #[cfg(feature = "native-tls")]
    Native(hyper_tls::MaybeHttpsStream<WriteTolerant>),
}

/// Runs `$body` with `$s` bound to the stream of whichever backend made it.
macro_rules! each {
    ($stream:expr, $s:ident => $body:expr) => {
        match $stream {
            #[cfg(feature = "rustls")]
            Stream::Rustls($s) => $body,
            #[cfg(feature = "native-tls")]
            Stream::Native($s) => $body,
        }
    };
}

impl Read for Stream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        each!(self.get_mut(), s => Pin::new(s).poll_read(cx, buf))
    }
}

impl Write for Stream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        each!(self.get_mut(), s => Pin::new(s).poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        each!(self.get_mut(), s => Pin::new(s).poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        each!(self, s => s.is_write_vectored())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each!(self.get_mut(), s => Pin::new(s).poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each!(self.get_mut(), s => Pin::new(s).poll_shutdown(cx))
    }
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        each!(self, s => s.connected())
    }
}
