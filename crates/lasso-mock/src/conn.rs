//! Connection-level control for fault injection.
//!
//! Some faults must act on the TCP connection rather than on the HTTP response: a
//! reset before any byte of the response, or a drop in the middle of the body. A
//! handler cannot reach the socket, so every accepted connection is wrapped in a
//! [`KillableStream`] that shares a [`ConnKill`] switch with the requests it carries.
//! Once the switch is flipped, every read and write on the connection fails, hyper
//! gives up on it and drops it, and the drop closes the socket with `SO_LINGER` 0, so
//! the peer sees a TCP reset (RST) instead of an orderly close.
//!
//! The switch is put into a request's extensions only while faults are queued, so the
//! common path costs one atomic load per request.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use axum::Router;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower_service::Service;

use crate::app::AppState;

/// Shared kill switch of one connection.
#[derive(Clone, Debug, Default)]
pub struct ConnKill(Arc<AtomicBool>);

impl ConnKill {
    /// From now on the connection fails every read and write and is reset when hyper
    /// drops it.
    pub fn kill(&self) {
        self.0.store(true, Ordering::Release);
    }

    fn is_killed(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

fn killed() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionReset,
        "connection reset by lasso-mock fault",
    )
}

/// A TCP connection that a fault can reset.
#[derive(Debug)]
pub struct KillableStream {
    inner: TcpStream,
    kill: ConnKill,
}

impl Drop for KillableStream {
    fn drop(&mut self) {
        if self.kill.is_killed() {
            // Closing with a zero linger sends RST: the client sees "connection reset".
            let _ = self.inner.set_zero_linger();
        }
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.kill.is_killed() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.kill.is_killed() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.kill.is_killed() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.kill.is_killed() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.kill.is_killed() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// The loopback listener: sets `TCP_NODELAY` and wraps each connection.
pub struct KillableListener(pub TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (KillableStream, std::net::SocketAddr) {
        let (stream, addr) = Listener::accept(&mut self.0).await;
        // Small JSON responses: without NODELAY, Nagle plus delayed ACKs can add ~40 ms.
        let _ = stream.set_nodelay(true);
        let stream = KillableStream {
            inner: stream,
            kill: ConnKill::default(),
        };
        (stream, addr)
    }

    fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.0.local_addr()
    }
}

/// Makes one [`ConnService`] per accepted connection.
#[derive(Clone)]
pub struct MakeConnService {
    pub router: Router,
    pub state: AppState,
}

impl Service<IncomingStream<'_, KillableListener>> for MakeConnService {
    type Response = ConnService;
    type Error = Infallible;
    type Future = std::future::Ready<Result<ConnService, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, stream: IncomingStream<'_, KillableListener>) -> Self::Future {
        std::future::ready(Ok(ConnService {
            router: self.router.clone(),
            state: self.state.clone(),
            kill: stream.io().kill.clone(),
        }))
    }
}

/// The router for one connection: hands the connection's kill switch to requests
/// while faults are queued.
#[derive(Clone)]
pub struct ConnService {
    router: Router,
    state: AppState,
    kill: ConnKill,
}

impl Service<Request> for ConnService {
    type Response = Response;
    type Error = Infallible;
    type Future = <Router as Service<Request>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        if self.state.faults.is_active() {
            req.extensions_mut().insert(self.kill.clone());
        }
        self.router.call(req)
    }
}
