//! One tokio runtime per process, rebuilt in a forked child (whose copy of
//! the parent's runtime has no threads), and the blocking bridge every sync
//! call goes through.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// How often a blocked call wakes up to let Python handle Ctrl-C.
const SIGNAL_CHECK: Duration = Duration::from_millis(20);

/// The runtime of this process.
pub fn get() -> PyResult<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return Ok(rt.clone());
        }
        // Inherited through fork(): its worker threads do not exist here, and
        // dropping it would wait for them, so it is leaked on purpose.
        if let Some((_, old)) = slot.take() {
            std::mem::forget(old);
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("lasso-io")
        .enable_all()
        .build()
        .map_err(|e| {
            pyo3::exceptions::PyRuntimeError::new_err(format!("cannot start the Lasso I/O runtime: {e}"))
        })?;
    let rt = Arc::new(rt);
    *slot = Some((pid, rt.clone()));
    Ok(rt)
}

/// Runs `fut` to completion with the GIL released. Every few milliseconds it
/// briefly takes the GIL to run Python's signal handlers, so Ctrl-C raises
/// `KeyboardInterrupt` promptly; the future (and its request) is then dropped.
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let rt = get()?;
    py.detach(|| {
        rt.block_on(async {
            let mut fut = std::pin::pin!(fut);
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return Ok(out),
                    _ = tokio::time::sleep(SIGNAL_CHECK) => {
                        Python::attach(|py| py.check_signals())?;
                    }
                }
            }
        })
    })
}
