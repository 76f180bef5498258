//! The pipeline in front of every `/api/v1` handler: authenticate → count → maybe
//! answer with an injected fault → run the operation.
//!
//! It wraps handlers (rather than being a tower middleware) so the operation id is
//! bound to its handler at the route definition, authentication cannot be forgotten,
//! and the hot path adds no allocation: the common case returns the handler's own
//! future.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::auth;
use crate::faults::FaultAction;
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
        let company = match auth::authenticate(req.headers()) {
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
            return fault_future(action);
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

fn fault_future<F>(action: Arc<FaultAction>) -> GateFuture<F> {
    if action.delay().is_zero() {
        return GateFuture::Ready(Some(action.response()));
    }
    GateFuture::Delayed(Box::pin(async move {
        tokio::time::sleep(action.delay()).await;
        action.response()
    }))
}

/// Future of a gated handler: the handler's own future, an immediate answer (auth
/// failure, fault) or a delayed fault.
pub enum GateFuture<F> {
    Run(F),
    Ready(Option<Response>),
    Delayed(Pin<Box<dyn Future<Output = Response> + Send>>),
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
            GateFuture::Delayed(future) => future.as_mut().poll(cx),
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
