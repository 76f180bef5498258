//! One tokio runtime per process: every `async` entry point spawns its work
//! here and awaits the task, so the futures uniffi hands to Kotlin need no
//! runtime of their own. Dropping such a future (a cancelled coroutine)
//! aborts the task, and with it the request in flight.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::error::{panic_error, to_native, NativeError};

/// The process's runtime, started on first use.
pub fn get() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("lasso-io")
            .build()
            .expect("cannot start the tokio runtime")
    })
}

/// A task that is aborted when this handle is dropped.
pub struct Task<T>(JoinHandle<T>);

impl<T> Task<T> {
    /// Takes charge of a spawned task.
    pub fn new(handle: JoinHandle<T>) -> Self {
        Task(handle)
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `work` on the runtime; the result, with a panic reported as an
/// `internal_sdk_error`. Dropping the returned future aborts the work.
pub async fn spawn<T, F>(work: F) -> Result<T, NativeError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, lasso_ai::Error>> + Send + 'static,
{
    let mut task = Task(get().spawn(work));
    match (&mut task.0).await {
        Ok(result) => result.map_err(|e| to_native(&e)),
        Err(e) if e.is_panic() => Err(panic_error(e.into_panic())),
        Err(_) => Err(to_native(
            &<lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::internal_error(
                "the call was cancelled (is the process shutting down?)",
            ),
        )),
    }
}
