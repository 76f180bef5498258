//! How a connection is made: TCP (connect timeout, no Nagle), then a CONNECT
//! tunnel when the request goes through a proxy; TLS is layered on top by
//! `hyper-rustls`.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use super::proxy::ProxyRoute;

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Makes the TCP connection of a request, directly or through its proxy.
#[derive(Clone)]
pub(crate) struct Connector {
    tcp: HttpConnector,
    proxy: Option<Arc<ProxyRoute>>,
}

impl Connector {
    pub(crate) fn new(connect_timeout: Duration, proxy: Option<Arc<ProxyRoute>>) -> Connector {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(connect_timeout));
        Connector { tcp, proxy }
    }
}

impl Service<Uri> for Connector {
    type Response = WriteTolerant;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<WriteTolerant, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let tcp = Tcp(self.tcp.clone());
        let via = match self.proxy.as_deref().map(|p| p.via(&dst)).transpose() {
            Ok(via) => via.flatten(),
            Err(e) => return Box::pin(async move { Err(e.into()) }),
        };
        match via {
            None => Box::pin(Tcp(tcp.0).call_owned(dst)),
            Some(via) => {
                let mut tunnel = Tunnel::new(via.uri, tcp);
                if let Some(auth) = via.auth {
                    tunnel = tunnel.with_auth(auth);
                }
                Box::pin(async move {
                    tunnel
                        .call(dst)
                        .await
                        .map_err(|e| Box::new(ProxyFailed::new(e)) as BoxError)
                })
            }
        }
    }
}

/// The plain TCP step, giving [`WriteTolerant`] streams.
#[derive(Clone)]
struct Tcp(HttpConnector);

impl Tcp {
    async fn call_owned(mut self, dst: Uri) -> Result<WriteTolerant, BoxError> {
        let io = self.0.call(dst).await?;
        Ok(WriteTolerant {
            io,
            write_failed: false,
        })
    }
}

impl Service<Uri> for Tcp {
    type Response = WriteTolerant;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<WriteTolerant, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        Box::pin(self.clone().call_owned(dst))
    }
}

/// A failed CONNECT through the proxy (refused, 407, unreachable proxy…).
#[derive(Debug)]
pub(crate) struct ProxyFailed {
    message: String,
    /// The proxy answered 407: retrying without credentials cannot help.
    pub auth_required: bool,
    source: BoxError,
}

impl ProxyFailed {
    fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        let message = e.to_string();
        // hyper-util does not export its error type; its 407 reads like this.
        let auth_required = message.contains("proxy authorization required");
        ProxyFailed {
            message,
            auth_required,
            source: Box::new(e),
        }
    }
}

impl std::fmt::Display for ProxyFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the proxy tunnel failed: {}", self.message)
    }
}

impl std::error::Error for ProxyFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A TCP stream that keeps reading after the peer stopped reading.
///
/// A server may answer before it has read the whole request (`401` to an
/// upload with a bad key, `413`, `503`) and then close the connection; the
/// rest of the body then fails to send (`EPIPE`, `ECONNRESET`) while the
/// answer already sits in the socket's receive buffer. HTTP clients that stop
/// at the write error report a network failure instead of the server's
/// answer. Here a write to a peer that is gone succeeds silently (its bytes
/// dropped), so the answer is read; when there is none, the read fails.
pub(crate) struct WriteTolerant {
    io: TokioIo<TcpStream>,
    write_failed: bool,
}

/// Write errors that mean the peer closed or reset the connection.
fn peer_gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted
    )
}

impl WriteTolerant {
    /// The outcome of a write: a vanished peer counts as written.
    fn tolerate(&mut self, result: Poll<io::Result<usize>>, len: usize) -> Poll<io::Result<usize>> {
        match result {
            Poll::Ready(Err(e)) if peer_gone(&e) => {
                self.write_failed = true;
                Poll::Ready(Ok(len))
            }
            other => other,
        }
    }
}

impl Read for WriteTolerant {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for WriteTolerant {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.write_failed {
            return Poll::Ready(Ok(buf.len()));
        }
        let result = Pin::new(&mut self.io).poll_write(cx, buf);
        self.tolerate(result, buf.len())
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let len = bufs.iter().map(|b| b.len()).sum();
        if self.write_failed {
            return Poll::Ready(Ok(len));
        }
        let result = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.tolerate(result, len)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.write_failed {
            return Poll::Ready(Ok(()));
        }
        match Pin::new(&mut self.io).poll_flush(cx) {
            Poll::Ready(Err(e)) if peer_gone(&e) => {
                self.write_failed = true;
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.write_failed {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

impl Connection for WriteTolerant {
    fn connected(&self) -> Connected {
        self.io.connected()
    }
}
