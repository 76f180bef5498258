//! Core errors → the exception classes of `lasso/_exceptions.py`.
//!
//! The classes live in Python so that they pickle, subclass builtins
//! (`TimeoutError`, `ValueError`) and show up in tracebacks naturally; this
//! module only hands over the core's fields.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

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
    let fields = PyDict::new(py);
    fields.set_item("message", err.message())?;
    fields.set_item("status_code", err.status())?;
    fields.set_item("raw_body", err.raw_body())?;
    if let Some(api) = err.as_api() {
        fields.set_item("error_type", api.error_type.as_deref())?;
        fields.set_item("request_id", api.request_id.as_deref())?;
        fields.set_item("code", api.code.as_deref())?;
        fields.set_item("retryable", api.retryable)?;
        if let Some(details) = &api.details {
            fields.set_item("details", to_py(py, details)?)?;
        }
        if let Some(body) = &api.body {
            fields.set_item("body", to_py(py, body)?)?;
        }
        fields.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
    }
    let from_native = FROM_NATIVE.get_or_try_init(py, || {
        PyResult::Ok(py.import("lasso._exceptions")?.getattr("_from_native")?.unbind())
    })?;
    let exc = from_native.bind(py).call1((err.code(), fields))?;
    Ok(PyErr::from_value(exc))
}
