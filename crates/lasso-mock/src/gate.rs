//! The pipeline in front of every `/api/v1` handler: authenticate → count → maybe
//! answer with an injected fault → run the operation. A fault with `execute` runs the
//! operation first and then replaces or damages its answer.
//!
//! It wraps handlers (rather than being a tower middleware) so the operation id is
//! bound to its handler at the route definition, authentication cannot be forgotten,
//! and the hot path adds no allocation: the common case returns the handler's own
//! future.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::auth;
use crate::conn::ConnKill;
use crate::operation::Op;
use crate::stats::Counter;
use crate::API_PREFIX;

/// A handler that runs only behind the gate, counted as operation `op`.
#[derive(Clone)]
pub struct Gated<H> {
    op: Op,
    handler: H,
}

pub fn gated<H>(op: Op, handler: H) -> Gated<H> {
    Gated { op, handler }
}

impl<H, T> Handler<T, AppState> for Gated<H>
where
    H: Handler<T, AppState>,
    // Handler futures from async fns are boxed by axum, hence `Unpin`.
    H::Future: Unpin,
{
    type Future = GateFuture<H::Future>;

    fn call(self, mut req: Request, state: AppState) -> Self::Future {
        let company = match auth::authenticate(req.headers(), state.keys.as_ref()) {
            Ok(company) => company,
            Err(err) => return GateFuture::Ready(Some(err.into_response())),
        };
        state.stats.count(Counter::Received, self.op);
        state
            .journal
            .record(req.method(), req.uri(), req.headers(), self.op.id());

        let path = relative_path(req.uri().path());
        if let Some(action) = state.faults.take(req.method(), path) {
            state.stats.count(Counter::Faulted, self.op);
            if action.is_immediate() {
                return GateFuture::Ready(Some(action.response()));
            }
            // Present while faults are queued (see `conn`), so connection faults can
            // reset the connection itself.
            let kill = req.extensions().get::<ConnKill>().cloned();
            if !action.execute() {
                return GateFuture::Boxed(Box::pin(action.respond(None, kill, state.faults.closing())));
            }
            // The operation really runs; the fault then replaces or damages its answer.
            state.stats.count(Counter::Executed, self.op);
            req.extensions_mut().insert(company);
            let closing = state.faults.closing();
            let run = self.handler.call(req, state);
            return GateFuture::Boxed(Box::pin(async move {
                let real = run.await;
                action.respond(Some(real), kill, closing).await
            }));
        }

        state.stats.count(Counter::Executed, self.op);
        req.extensions_mut().insert(company);
        GateFuture::Run(self.handler.call(req, state))
    }
}

/// Nested routers already see the path without the prefix; strip it if present anyway.
fn relative_path(path: &str) -> &str {
    match path.strip_prefix(API_PREFIX) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

/// Future of a gated handler: the handler's own future, an immediate answer (auth
/// failure, plain fault) or a fault that takes time or wraps the handler.
pub enum GateFuture<F> {
    Run(F),
    Ready(Option<Response>),
    Boxed(Pin<Box<dyn Future<Output = Response> + Send>>),
}

impl<F> Future for GateFuture<F>
where
    F: Future<Output = Response> + Unpin,
{
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.get_mut() {
            GateFuture::Run(future) => Pin::new(future).poll(cx),
            GateFuture::Ready(response) => {
                Poll::Ready(response.take().expect("GateFuture polled after completion"))
            }
            GateFuture::Boxed(future) => future.as_mut().poll(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::relative_path;

    #[test]
    fn strips_only_the_prefix() {
        assert_eq!(relative_path("/credits/balance"), "/credits/balance");
        assert_eq!(relative_path("/api/v1/credits/balance"), "/credits/balance");
        assert_eq!(relative_path("/api/v1"), "/");
        assert_eq!(relative_path("/api/v10/x"), "/api/v10/x");
    }
}
