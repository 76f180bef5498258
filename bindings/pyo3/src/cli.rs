//! `lasso._native.run_cli(argv)`: the `lasso` command line (crates/lasso-cli),
//! behind the `lasso` console script of the wheel (`lasso._cli:main`).
//!
//! The command runs on a thread of its own (it owns its runtime) while this
//! thread waits with the GIL released. Python keeps its SIGINT handler: every
//! few milliseconds the wait runs Python's signal handlers, and a Ctrl-C
//! (`KeyboardInterrupt`) is handed to the command, which stops cleanly, says
//! what was already created on the server and returns 130.

use std::ffi::OsString;
use std::time::Duration;

use pyo3::prelude::*;

/// How often the wait lets Python handle signals.
const SIGNAL_CHECK: Duration = Duration::from_millis(20);

/// Runs `lasso` with `argv` (the first item is the program name) and returns its exit code.
#[pyfunction]
pub fn run_cli(py: Python<'_>, argv: Vec<OsString>) -> PyResult<u8> {
    crate::errors::guard(py, "run_cli", || run(py, argv))
}

fn run(py: Python<'_>, argv: Vec<OsString>) -> PyResult<u8> {
    let interrupt = lasso_cli::Interrupt::new();
    let host = lasso_cli::Host {
        interrupt: Some(interrupt.clone()),
        via: Some("python".to_owned()),
    };
    let (done, code) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("lasso-cli".into())
        .spawn(move || {
            let _ = done.send(lasso_cli::run_with(argv, host));
        })
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("cannot start lasso: {e}")))?;
    Ok(py.detach(move || loop {
        match code.recv_timeout(SIGNAL_CHECK) {
            Ok(code) => return code,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                // KeyboardInterrupt (or another handler's exception) stops the
                // command; it then reports and exits on its own.
                if Python::attach(|py| py.check_signals()).is_err() {
                    interrupt.trigger();
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return lasso_cli::exit::FAILURE,
        }
    }))
}
