//! `runCli(argv, stop)`: the `lasso` command line (crates/lasso-cli), behind
//! the `lasso` bin of the npm package (`node/bin/lasso.js`).
//!
//! The command runs on a thread of its own (it owns its runtime); the Promise
//! resolves to its exit code. Node keeps its signal handling: the bin listens
//! for SIGINT and calls `stop.trigger()`, and the command stops cleanly, says
//! what was already created on the server and resolves to 130.

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Result};
use napi_derive::napi;

use crate::errors::guard;

/// Stops a running `runCli` as Ctrl-C would.
#[napi]
pub struct CliStop(lasso_cli::Interrupt);

impl Default for CliStop {
    fn default() -> Self {
        CliStop(lasso_cli::Interrupt::new())
    }
}

#[napi]
impl CliStop {
    /// A stop that was not triggered yet.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops the command (safe to call more than once).
    #[napi]
    pub fn trigger(&self) {
        self.0.trigger();
    }
}

/// Runs `lasso` with `argv` (the first item is the program name); resolves
/// to its exit code.
#[napi(js_name = "runCli", ts_return_type = "Promise<number>")]
pub fn run_cli<'env>(env: &'env Env, argv: Vec<String>, stop: &CliStop) -> Result<PromiseRaw<'env, u32>> {
    guard(|| {
        let host = lasso_cli::Host {
            interrupt: Some(stop.0.clone()),
            via: Some("node".to_owned()),
        };
        let (done, code) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("lasso-cli".into())
            .spawn(move || {
                let _ = done.send(lasso_cli::run_with(argv, host));
            })
            .map_err(|e| napi::Error::from_reason(format!("cannot start lasso: {e}")))?;
        crate::spawn_guarded(env, async move {
            Ok(u32::from(code.await.unwrap_or(lasso_cli::exit::FAILURE)))
        })
    })
}
