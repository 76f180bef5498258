//! Core errors → the exception classes of `lasso/_exceptions.py` (`LassoError`) and
//! `lasso/_error_classes.py` (its subclasses, generated from crates/lasso-spec).
//!
//! The classes live in Python so that they pickle, subclass builtins
//! (`TimeoutError`, `ValueError`) and show up in tracebacks naturally; this
//! module only hands over the core's fields.

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
    let fields = to_py(py, &err.to_fields())?;
    let from_native = FROM_NATIVE.get_or_try_init(py, || {
        PyResult::Ok(py.import("lasso._exceptions")?.getattr("_from_native")?.unbind())
    })?;
    Ok(PyErr::from_value(from_native.bind(py).call1((fields,))?))
}
