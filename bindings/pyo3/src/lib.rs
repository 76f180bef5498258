//! `lasso._native`: the Python front door of the Lasso core.
//!
//! A thin layer: it converts values (`convert`), maps errors to the exception
//! classes defined in `lasso/_exceptions.py` (`errors`), and runs the core's
//! futures on one process-wide runtime with the GIL released (`runtime`).

mod client;
mod convert;
mod errors;
mod runtime;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::NativeClient>()?;
    m.add("__version__", lasso_ai::VERSION)?;
    m.add("DEFAULT_BASE_URL", lasso_ai::DEFAULT_BASE_URL)?;
    Ok(())
}
