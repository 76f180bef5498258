//! One behaviour where the client cannot work: outside a tokio runtime, or in
//! one built without its time or I/O driver, every call fails with a
//! `configuration` error that says what to do, instead of panicking.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::FutureExt;

use crate::Error;

/// What to do about a missing runtime or driver.
pub(crate) const NEEDS_RUNTIME: &str = "the Lasso client needs a tokio runtime with time and I/O \
     enabled: await its calls inside #[tokio::main] or a runtime built with `enable_all()` (a \
     program without async code can run one call with `tokio::runtime::Runtime::new()?.block_on(…)`)";

/// Runs `call`, checking first that it runs inside a tokio runtime; a panic of
/// tokio about a disabled driver becomes the same error. Checked when first
/// polled, so it holds whatever executor polls the call.
pub(crate) async fn guarded<T>(call: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(Error::config(NEEDS_RUNTIME));
    }
    match AssertUnwindSafe(call).catch_unwind().await {
        Ok(result) => result,
        Err(payload) if is_driver_missing(&*payload) => Err(Error::config(NEEDS_RUNTIME)),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// Runs `work` as a task on the current multi-thread runtime (in place on a
/// current-thread one), so that it is polled on a worker. Dropping the
/// returned future aborts the task; a panic in it resumes in the caller.
pub(crate) async fn on_worker<T: Send + 'static>(
    work: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> Result<T, Error> {
    let handle = match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::CurrentThread => handle,
        _ => return work.await,
    };
    match AbortOnDrop(handle.spawn(work)).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(Error::config(
            "the tokio runtime shut down while the Lasso client was using it",
        )),
    }
}

/// A spawned task that ends when its handle is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The error for a panic that reached the SDK from a task it spawned: a disabled
/// tokio driver, or a bug.
pub(crate) fn from_panic(payload: &(dyn Any + Send)) -> Error {
    if is_driver_missing(payload) {
        Error::config(NEEDS_RUNTIME)
    } else {
        Error::panicked(payload)
    }
}

/// Tokio's panic when a runtime lacks the time or I/O driver.
fn is_driver_missing(payload: &(dyn Any + Send)) -> bool {
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("");
    text.contains("timers are disabled") || text.contains("IO is disabled")
}
