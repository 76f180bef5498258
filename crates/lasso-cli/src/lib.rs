//! `lasso`: the command line of the Lasso product-data API.
//!
//! One implementation, on the SDK's Rust core (`lasso-ai`), reached three ways:
//! the `lasso` binary of this crate (`cargo install lasso-cli`), the `lasso`
//! console script of the Python wheel (`lasso._native.run_cli`) and the `lasso`
//! bin of the npm package (the addon's `runCli`). Each calls [`run_with`].
//!
//! ```text
//! lasso extract catalog.pdf --schema schema.json --export bottles.csv
//! lasso api --list
//! lasso api tables.rows tbl_123 --all | jq .id
//! ```
//!
//! Exit codes are documented in [`exit`]; output conventions in [`output`].

#![warn(missing_docs)]

mod api;
mod cli;
mod commands;
mod config;
pub mod exit;
mod interrupt;
pub mod output;
mod progress;
mod select;

use std::ffi::OsString;
use std::process::ExitCode;

pub use interrupt::Interrupt;

/// This crate's version (the SDK's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where `lasso` is running from, for the `User-Agent` and for Ctrl-C.
#[derive(Debug, Clone, Default)]
pub struct Host {
    /// Set by a host that handles Ctrl-C itself (Python's SIGINT handler,
    /// Node's `process.on("SIGINT")`) and triggers this on it. Without one,
    /// `lasso` listens for Ctrl-C (SIGINT) itself.
    pub interrupt: Option<Interrupt>,
    /// The host, shown in the `User-Agent` (`python`, `node`); `None` for the
    /// Rust binary.
    pub via: Option<String>,
}

/// Runs `lasso` with these arguments (the first is the program name), as the
/// `lasso` binary does: Ctrl-C is handled here.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    ExitCode::from(run_with(args, Host::default()))
}

/// Runs `lasso` with these arguments (the first is the program name) and
/// returns its exit code (see [`exit`]). Blocks until the command is done;
/// owns its own tokio runtime, so call it from a thread that is not running
/// one (the Python and Node entry points run it on a thread of their own).
pub fn run_with<I, T>(args: I, host: Host) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::main(args, host)));
    match result {
        Ok(code) => code,
        Err(panic) => {
            let error = <lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::from_panic(&*panic);
            eprintln!("error: {error}");
            exit::FAILURE
        }
    }
}
