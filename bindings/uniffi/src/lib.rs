//! The Kotlin/JVM front door's native half: a thin uniffi layer over
//! [`lasso_ai::Client`], loaded by JNA from the `ai.lasso:lasso-sdk` jar.
//!
//! Like `bindings/napi` and `bindings/pyo3`, it converts values (Kotlin
//! options → [`lasso_ai::ClientBuilder`], JSON in and out as text), maps
//! errors (see [`error`]) and bridges async: every `async` entry point runs
//! its work on the process's one tokio runtime ([`runtime`]) and is a Kotlin
//! `suspend` function; cancelling the coroutine drops the work (the request
//! in flight, the retry wait, the poll). Everything else is the core's. The
//! generated Kotlin in `kotlin/` (package `ai.lasso`) is the public API; the
//! classes here are private to it (package `ai.lasso.ffi`).

use std::sync::{Arc, RwLock};

use lasso_ai::__bindings::{ClientExt, ErrorExt, JsonBody};
use lasso_ai::RequestOptions;
use serde_json::Value;

mod error;
mod helpers;
mod options;
mod runtime;
mod webhook;

pub use error::NativeError;
use error::{guard, to_native};
pub use options::{CallOptions, ClientOptions, LogSink};

uniffi::setup_scaffolding!();

/// The native client held (privately) by the Kotlin `LassoClient`.
#[derive(uniffi::Object)]
pub struct NativeClient {
    /// `None` once shut down; shared by every client derived with
    /// `withOptions` (one connection pool, shut down together).
    client: Arc<RwLock<Option<lasso_ai::Client>>>,
    /// The defaults of `withOptions`, applied over the shared client's.
    options: Option<RequestOptions>,
    base_url: String,
    masked_key: String,
}

/// A successful answer with what the response said besides its body.
#[derive(uniffi::Record)]
pub struct NativeResponse {
    /// The body as JSON text (`null` when empty).
    pub text: String,
    /// The HTTP status.
    pub status: u16,
    /// The `x-request-id` header, when sent.
    pub request_id: Option<String>,
    /// Every header, names lower-cased, in the order received.
    pub headers: Vec<Header>,
}

/// One response header.
#[derive(uniffi::Record)]
pub struct Header {
    /// Lower-cased.
    pub name: String,
    /// As received.
    pub value: String,
}

impl NativeClient {
    /// The core client, or a `configuration` error once shut down. Each call
    /// takes its own clone, so shutting down never disturbs calls in flight.
    pub(crate) fn core(&self) -> Result<lasso_ai::Client, NativeError> {
        let client = self
            .client
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .ok_or_else(|| to_native(&lasso_ai::Error::client_closed()))?;
        Ok(match &self.options {
            Some(options) => client.with_options(options.clone()),
            None => client,
        })
    }

    /// Calls `operation`, `finish` shaping its successful answer.
    async fn call_with<T: Send + 'static>(
        &self,
        operation: String,
        args: String,
        options: CallOptions,
        finish: fn(JsonBody) -> lasso_ai::Result<T>,
    ) -> Result<T, NativeError> {
        let opts = options::request_options(&options).map_err(|e| to_native(&e))?;
        let args = json_args(&args)?;
        let client = self.core()?;
        runtime::spawn(async move { client.call_json(&operation, args, &opts).await.and_then(finish) }).await
    }
}

#[uniffi::export]
impl NativeClient {
    /// Builds a client from `LASSO_API_KEY` / `LASSO_BASE_URL` overridden by
    /// `api_key` and `options`. Validates everything; makes no network call.
    /// The key travels apart from the options so that no generated record
    /// (whose `toString()` shows every field) ever holds it.
    /// `logger` hears the client's log lines at `options.log_level` and above.
    #[uniffi::constructor]
    pub fn new(
        api_key: Option<String>,
        options: ClientOptions,
        logger: Option<Box<dyn LogSink>>,
    ) -> Result<Self, NativeError> {
        guard(|| {
            let client = options::builder(api_key, options, logger)
                .and_then(|b| b.build())
                .map_err(|e| to_native(&e))?;
            Ok(NativeClient {
                base_url: client.base_url().to_owned(),
                masked_key: client.masked_key(),
                client: Arc::new(RwLock::new(Some(client))),
                options: None,
            })
        })
    }

    /// A client sharing this one's connection pool whose calls default to
    /// these options (unset ones keep this client's; a call's own still win).
    pub fn with_options(&self, options: CallOptions) -> Result<Arc<NativeClient>, NativeError> {
        guard(|| {
            let options = options::request_options(&options).map_err(|e| to_native(&e))?;
            let options = match &self.options {
                Some(base) => options.merged_over(base),
                None => options,
            };
            Ok(Arc::new(NativeClient {
                client: self.client.clone(),
                options: Some(options),
                base_url: self.base_url.clone(),
                masked_key: self.masked_key.clone(),
            }))
        })
    }

    /// Calls the operation `operation` (e.g. `tables.get`) with its arguments
    /// as JSON text; returns the response as JSON text (`null` when empty).
    pub async fn call(
        &self,
        operation: String,
        args: String,
        options: CallOptions,
    ) -> Result<String, NativeError> {
        self.call_with(operation, args, options, |body| body.to_text())
            .await
    }

    /// [`call`](NativeClient::call), with the response's status, request id
    /// and headers (`withResponse { … }`).
    pub async fn call_with_response(
        &self,
        operation: String,
        args: String,
        options: CallOptions,
    ) -> Result<NativeResponse, NativeError> {
        self.call_with(operation, args, options, |body| {
            let meta = body.meta();
            Ok(NativeResponse {
                text: body.to_text()?,
                status: meta.status,
                request_id: meta.request_id,
                headers: meta
                    .headers
                    .into_iter()
                    .map(|(name, value)| Header { name, value })
                    .collect(),
            })
        })
        .await
    }

    /// Later calls fail with a `configuration` error; calls in flight finish,
    /// then the connection pool is freed. Safe to call more than once.
    pub fn shutdown(&self) {
        *self
            .client
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    /// Whether `shutdown()` was called.
    pub fn is_shut_down(&self) -> bool {
        self.client
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_none()
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The key as `lasso_…` plus its last four characters.
    pub fn masked_key(&self) -> String {
        self.masked_key.clone()
    }
}

/// Arguments as JSON text: an object, or `null`/empty for none.
pub(crate) fn json_args(text: &str) -> Result<Value, NativeError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| {
        to_native(&lasso_ai::Error::configuration_error(format!(
            "the arguments are not valid JSON: {e}"
        )))
    })
}

/// The core crate's version, for diagnostics.
#[uniffi::export]
pub fn core_version() -> String {
    lasso_ai::VERSION.to_owned()
}

/// Test hook (not part of the Kotlin API): panics on purpose inside a
/// guarded entry point, `"sync"` or `"async"`, so the tests can prove that a
/// panic becomes a `LassoException` (`internal_sdk_error`) rather than a crash.
#[uniffi::export]
pub async fn test_panic(mode: String) -> Result<(), NativeError> {
    if mode == "sync" {
        return guard(|| panic!("test panic (sync)"));
    }
    runtime::spawn(async move {
        if mode == "async" {
            panic!("test panic (async)");
        }
        Ok(())
    })
    .await
}
