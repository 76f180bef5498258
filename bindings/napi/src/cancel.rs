//! Cancellation: the TypeScript layer turns an `AbortSignal` into a
//! [`CancelToken`] and passes it with the call. Cancelling it drops the call's
//! future on the tokio runtime, which closes the request's connection (or
//! ends the retry wait, the poll interval, the upload or the download) at
//! once, and rejects the Promise with a marked `aborted` error.

use std::future::Future;

use napi::Result;
use napi_derive::napi;
use tokio::sync::watch;

use crate::errors::{aborted, guard};

/// A one-shot cancellation flag shared by JS and the calls it was given to.
#[napi]
pub struct CancelToken {
    tx: watch::Sender<bool>,
}

impl Default for CancelToken {
    fn default() -> Self {
        CancelToken {
            tx: watch::Sender::new(false),
        }
    }
}

#[napi]
impl CancelToken {
    /// A token that is not cancelled yet.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every call holding this token. Safe to call more than once.
    #[napi]
    pub fn cancel(&self) -> Result<()> {
        guard(|| {
            self.tx.send_replace(true);
            Ok(())
        })
    }

    /// Whether `cancel()` was called.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        *self.tx.borrow()
    }
}

/// The receiving side, moved into a call's future.
pub struct Cancel(Option<watch::Receiver<bool>>);

impl Cancel {
    /// Listens to `token`, or to nothing.
    pub fn of(token: Option<&CancelToken>) -> Cancel {
        Cancel(token.map(|t| t.tx.subscribe()))
    }

    /// Resolves once the token is cancelled; never without a token (or if
    /// the token was dropped without being cancelled).
    async fn cancelled(&mut self) {
        if let Some(rx) = &mut self.0 {
            if rx.wait_for(|cancelled| *cancelled).await.is_ok() {
                return;
            }
        }
        std::future::pending::<()>().await
    }

    /// Runs `body` unless and until the token is cancelled: then `body` is
    /// dropped (with the request it was making) and the result is the
    /// marked `aborted` error. A token cancelled beforehand sends nothing.
    pub async fn run<T>(mut self, body: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            biased;
            () = self.cancelled() => Err(aborted()),
            result = body => result,
        }
    }
}
