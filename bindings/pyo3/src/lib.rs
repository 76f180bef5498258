//! `lasso._native`: the Python front door of the Lasso core.
//!
//! A thin layer: it converts values (`convert`), maps errors to the exception
//! classes of `lasso/_exceptions.py` and `lasso/_error_classes.py` (`errors`),
//! and runs the core's futures on one process-wide runtime with the GIL released
//! (`runtime`).

mod arrow;
mod cli;
mod client;
mod convert;
mod errors;
mod file_source;
mod fork;
mod helpers;
mod logging;
mod options;
mod runtime;
mod webhook;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let shutdown = wrap_pyfunction!(runtime::_shutdown, m)?;
    m.py().import("atexit")?.call_method1("register", (&shutdown,))?;
    m.add_function(shutdown)?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<helpers::NativePager>()?;
    m.add_class::<helpers::ProgressDone>()?;
    m.add_function(wrap_pyfunction!(helpers::open_pager, m)?)?;
    m.add_class::<arrow::NativeTableBatches>()?;
    m.add_function(wrap_pyfunction!(arrow::open_table_batches, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::wait_for_job, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::upload_file, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::export_table, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::progress_line, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::closest_name, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::rows_decoded, m)?)?;
    m.add("PROGRESS_CLEAR_LINE", lasso_ai::__bindings::progress::CLEAR_LINE)?;
    m.add("WAIT_INTERVAL", lasso_ai::DEFAULT_POLL_INTERVAL.as_secs_f64())?;
    m.add("WAIT_TIMEOUT", lasso_ai::DEFAULT_WAIT_TIMEOUT.as_secs_f64())?;
    m.add("__version__", lasso_ai::VERSION)?;
    m.add("DEFAULT_BASE_URL", lasso_ai::DEFAULT_BASE_URL)?;
    m.add_function(wrap_pyfunction!(webhook::verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::construct_webhook_event, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(logging::reset_log_cache, m)?)?;
    m.add_function(wrap_pyfunction!(cli::run_cli, m)?)?;
    m.add_function(wrap_pyfunction!(test_panic, m)?)?;
    Ok(())
}

/// Test hook, not part of the Python API (like Node's `__testPanic`): panics on
/// purpose inside the bridge every blocking call goes through (`"sync"`:
/// `runtime::block_on`) or the one every async call goes through (`"async"`:
/// `runtime::spawn_awaitable`, returns an awaitable), so the tests can prove that
/// a panic in the core reaches Python as `LassoError` (`internal_sdk_error`),
/// never as `PanicException` or a crash. `"none"` does not panic.
///
/// `"arm:NAME"` makes the next call of entry point NAME (`"NativeClient.call"`,
/// `"open_pager"`, `"Resolve.__call__"`…, see `errors::guard`) panic at its
/// start, once, so the tests can prove that every entry point catches panics;
/// `"disarm"` undoes it.
#[pyfunction]
#[pyo3(name = "__test_panic")]
fn test_panic<'py>(py: Python<'py>, mode: &str) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "__test_panic", || {
        if let Some(entry) = mode.strip_prefix("arm:") {
            crate::errors::arm_test_panic(Some(entry.to_owned()));
            return Ok(py.None().into_bound(py));
        }
        let panics = mode != "none";
        match mode {
            "disarm" => {
                crate::errors::arm_test_panic(None);
                Ok(py.None().into_bound(py))
            }
            "sync" | "none" => {
                runtime::block_on(py, async move {
                    if panics {
                        panic!("test panic (sync)");
                    }
                })?;
                Ok(py.None().into_bound(py))
            }
            "async" => runtime::spawn_awaitable(
                py,
                async move {
                    if panics {
                        panic!("test panic (async)");
                    }
                    Ok(())
                },
                |py, ()| Ok(py.None().into_bound(py)),
            ),
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "mode must be \"sync\", \"async\", \"none\", \"arm:NAME\" or \"disarm\", not {other:?}"
            ))),
        }
    })
}
