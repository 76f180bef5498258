//! `lasso._native`: the Python front door of the Lasso core.
//!
//! A thin layer: it converts values (`convert`), maps errors to the exception
//! classes defined in `lasso/_exceptions.py` (`errors`), and runs the core's
//! futures on one process-wide runtime with the GIL released (`runtime`).

mod client;
mod convert;
mod errors;
mod helpers;
mod logging;
mod runtime;
mod webhook;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::init(m.py())?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<helpers::NativePager>()?;
    m.add_function(wrap_pyfunction!(helpers::open_pager, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::wait_for_table, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::upload_file, m)?)?;
    m.add_function(wrap_pyfunction!(helpers::export_table, m)?)?;
    m.add("__version__", lasso_ai::VERSION)?;
    m.add("DEFAULT_BASE_URL", lasso_ai::DEFAULT_BASE_URL)?;
    m.add_function(wrap_pyfunction!(webhook::verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::construct_webhook_event, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(logging::reset_log_cache, m)?)?;
    Ok(())
}
