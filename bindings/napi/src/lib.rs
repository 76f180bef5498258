//! The Node.js front door's native half: a thin napi-rs layer over
//! [`lasso_ai::Client`].
//!
//! It converts values (JS options → [`lasso_ai::ClientBuilder`], JSON in
//! through [`serde_json::Value`], results out as JSON text for `JSON.parse`),
//! maps errors (see [`error`]) and bridges async (`call` returns a Promise
//! driven by napi's tokio runtime). Everything else (operations, retries,
//! error classification, key checks) is the core's. The TypeScript package in
//! `node/` is the public API; this class is private to it.

// In a test build napi-derive registers nothing, so the exported functions
// look unused.
#![cfg_attr(test, allow(dead_code))]

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Result};
use napi_derive::napi;

mod arrow;
mod cancel;
mod cli;
mod client;
mod errors;
mod helpers;
mod options;
mod webhook;

pub use client::NativeClient;
use errors::{guard, panic_error};
pub use options::{CallOptions, ClientOptions};

/// Runs `body` on napi's tokio runtime as a Promise; a panic inside it
/// rejects the Promise with a marked `internal_sdk_error` instead of unwinding.
fn spawn_guarded<'env, T, F>(env: &'env Env, body: F) -> Result<PromiseRaw<'env, T>>
where
    T: 'static + Send + napi::bindgen_prelude::ToNapiValue,
    F: 'static + Send + Future<Output = Result<T>>,
{
    env.spawn_future(async move {
        match AssertUnwindSafe(body).catch_unwind().await {
            Ok(result) => result,
            Err(payload) => Err(panic_error(payload)),
        }
    })
}

/// Test hook (not part of the TS API): panics on purpose inside a guarded
/// entry point, `"sync"` or `"async"`, so the tests can prove a panic becomes
/// a rejected Promise / thrown error rather than an abort.
#[napi(js_name = "__testPanic", ts_return_type = "Promise<void>")]
pub fn test_panic<'env>(env: &'env Env, mode: String) -> Result<PromiseRaw<'env, ()>> {
    guard(|| {
        if mode == "sync" {
            panic!("test panic (sync)");
        }
        spawn_guarded(env, async move {
            if mode == "async" {
                panic!("test panic (async)");
            }
            Ok(())
        })
    })
}

/// The core crate's version, for diagnostics.
#[napi]
pub fn core_version() -> Result<String> {
    guard(|| Ok(lasso_ai::VERSION.to_owned()))
}
