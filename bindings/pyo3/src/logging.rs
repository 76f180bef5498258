//! The core's `log` records → Python's standard `logging`.
//!
//! The core logs each HTTP attempt at DEBUG on the target `lasso` (method,
//! path, status, elapsed time, attempt number; never the key or a body).
//! pyo3-log forwards it to the Python logger of the same name, `"lasso"`.
//! Records of other crates go through only from WARNING up.
//!
//! pyo3-log caches each Python logger's level, so that a disabled record
//! costs no GIL (which matters on the I/O threads). A cached level would
//! hide a later `logging.getLogger("lasso").setLevel(logging.DEBUG)`, so every
//! entry point calls [`refresh`] (it holds the GIL anyway): when the
//! `"lasso"` logger's effective level or `logging.disable()` changed since
//! the last call, the cache is dropped. A change therefore applies from the
//! next call on; `reset_log_cache()` applies it at once (to calls in flight).
//!
//! Nothing is forwarded once the interpreter starts shutting down (see
//! [`UntilExit`]).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;

use log::LevelFilter;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3_log::{Caching, Logger, ResetHandle};

/// The `log` target of the core, and the name of the Python logger.
const TARGET: &str = "lasso";

static RESET: OnceLock<ResetHandle> = OnceLock::new();
static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// The level state seen by the last [`refresh`] (`i64::MIN`: none yet).
static SEEN: AtomicI64 = AtomicI64::new(i64::MIN);

/// Installs the bridge (once per process; a second import of the module, or
/// another logger already installed in this library, leaves it as it is).
pub fn init(py: Python<'_>) -> PyResult<()> {
    if RESET.get().is_some() {
        return Ok(());
    }
    let logger = Logger::new(py, Caching::LoggersAndLevels)?
        .filter(LevelFilter::Warn)
        .filter_target(TARGET.to_owned(), LevelFilter::Debug);
    let handle = logger.reset_handle();
    if log::set_boxed_logger(Box::new(UntilExit(logger))).is_ok() {
        log::set_max_level(LevelFilter::Debug);
        let _ = RESET.set(handle);
    }
    Ok(())
}

/// pyo3-log's logger, until the interpreter starts shutting down.
///
/// Records come from the I/O threads, and forwarding one takes the GIL
/// (`PyGILState_Ensure`): once the interpreter finalizes, that ends the
/// thread with `pthread_exit` or, past the deletion of the thread states,
/// crashes the process. So forwarding stops when the `atexit` hook
/// (`runtime::_shutdown`) runs, and a record being forwarded then is waited
/// for, like every other use of the GIL by our threads.
struct UntilExit(Logger);

impl log::Log for UntilExit {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        !crate::runtime::closing() && self.0.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if let Some(_counted) = crate::runtime::Entered::new() {
            self.0.log(record);
        }
    }

    fn flush(&self) {}
}

/// Drops the cached levels if the `"lasso"` logger's level changed since the
/// last call. Cheap: two attribute reads and one method call.
pub fn refresh(py: Python<'_>) {
    let Some(handle) = RESET.get() else { return };
    // An error (e.g. `logging` replaced by something odd) just resets.
    let state = level_state(py).unwrap_or(i64::MIN + 1);
    if SEEN.swap(state, Ordering::Relaxed) != state {
        handle.reset();
    }
}

fn level_state(py: Python<'_>) -> PyResult<i64> {
    let logger = LOGGER.get_or_try_init(py, || {
        PyResult::Ok(
            py.import("logging")?
                .call_method1("getLogger", (TARGET,))?
                .unbind(),
        )
    })?;
    let logger = logger.bind(py);
    let level: i64 = logger.call_method0(intern!(py, "getEffectiveLevel"))?.extract()?;
    let disabled: i64 = logger
        .getattr(intern!(py, "manager"))?
        .getattr(intern!(py, "disable"))?
        .extract()?;
    Ok(level.wrapping_shl(32) ^ disabled)
}

/// Forgets the Python logging levels cached by the Rust side, so that a
/// level change applies at once, even to calls already in flight (without
/// it, it applies from the next call).
#[pyfunction]
pub fn reset_log_cache(py: Python<'_>) -> PyResult<()> {
    crate::errors::guard(py, "reset_log_cache", || {
        if let Some(handle) = RESET.get() {
            handle.reset();
        }
        Ok(())
    })
}
