//! Core errors → the exception classes of `lasso/_exceptions.py` (`LassoError`) and
//! `lasso/_error_classes.py` (its subclasses, generated from crates/lasso-spec).
//!
//! The classes live in Python so that they pickle, subclass builtins
//! (`TimeoutError`, `ValueError`) and show up in tracebacks naturally; this
//! module only hands over the core's fields.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::convert::to_py;

static FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Builds the Python exception for a core error.
pub fn to_pyerr(py: Python<'_>, err: &lasso_ai::Error) -> PyErr {
    match build(py, err) {
        Ok(e) => e,
        Err(e) => e,
    }
}

fn build(py: Python<'_>, err: &lasso_ai::Error) -> PyResult<PyErr> {
    let fields = to_py(py, &lasso_ai::__bindings::ErrorExt::to_fields(err))?;
    let from_native = FROM_NATIVE.get_or_try_init(py, || {
        PyResult::Ok(py.import("lasso._exceptions")?.getattr("_from_native")?.unbind())
    })?;
    Ok(PyErr::from_value(from_native.bind(py).call1((fields,))?))
}

/// Runs the body of an entry point (every `#[pyfunction]` and
/// `#[pymethods]` method; `entry` is its Python name, e.g.
/// `"NativeClient.call"`): a Rust panic in it becomes `LassoError`
/// (`internal_sdk_error`), as in the I/O bridges, instead of pyo3's
/// `PanicException` (a `BaseException`, which `except Exception` misses).
pub fn guard<T>(py: Python<'_>, entry: &'static str, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    let run = || {
        test_panic_point(entry);
        body()
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(panic) => Err(to_pyerr(
            py,
            &<lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::from_panic(&*panic),
        )),
    }
}

/// The entry point armed by the test hook (`__test_panic("arm:NAME")`).
static ARMED: Mutex<Option<String>> = Mutex::new(None);
/// Whether one is armed: the only cost of the hook outside tests.
static ANY_ARMED: AtomicBool = AtomicBool::new(false);

/// Test hook: the next call of entry point `entry` (`None`: none) panics at
/// its start, once.
pub fn arm_test_panic(entry: Option<String>) {
    let mut armed = ARMED.lock().unwrap_or_else(|p| p.into_inner());
    ANY_ARMED.store(entry.is_some(), Ordering::SeqCst);
    *armed = entry;
}

fn test_panic_point(entry: &str) {
    if !ANY_ARMED.load(Ordering::Relaxed) {
        return;
    }
    let mut armed = ARMED.lock().unwrap_or_else(|p| p.into_inner());
    if armed.as_deref() == Some(entry) {
        *armed = None;
        ANY_ARMED.store(false, Ordering::SeqCst);
        drop(armed);
        panic!("test panic (entry {entry})");
    }
}
