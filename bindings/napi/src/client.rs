//! `NativeClient`: one core client behind the TypeScript `LassoClient`
//! (the same concern as `bindings/pyo3/src/client.rs`).

use std::sync::{Arc, RwLock};

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use lasso_ai::RequestOptions;
use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Result};
use napi_derive::napi;
use serde_json::Value;

use crate::cancel::{Cancel, CancelToken};
use crate::errors::{guard, to_napi};
use crate::options::{self, CallOptions, ClientOptions};
use crate::spawn_guarded;

/// The native client held (privately) by the TypeScript `LassoClient`.
#[napi]
pub struct NativeClient {
    /// `None` once closed; shared by every client derived with `withOptions`
    /// (one connection pool, closed together).
    client: Arc<RwLock<Option<lasso_ai::Client>>>,
    /// The defaults of `withOptions`, applied over the shared client's.
    options: Option<RequestOptions>,
    base_url: String,
    masked_key: String,
}

impl NativeClient {
    /// The core client, or a `configuration` error once closed. Each call
    /// takes its own clone, so closing never disturbs calls in flight.
    pub(crate) fn core(&self) -> Result<lasso_ai::Client> {
        let client = self
            .client
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .ok_or_else(|| to_napi(&lasso_ai::Error::client_closed()))?;
        Ok(match &self.options {
            Some(options) => client.with_options(options.clone()),
            None => client,
        })
    }
}

#[napi]
impl NativeClient {
    /// Builds a client from `LASSO_API_KEY` / `LASSO_BASE_URL` overridden by
    /// the given options. Validates everything; makes no network call.
    #[napi(constructor)]
    pub fn new(options: Option<ClientOptions>) -> Result<Self> {
        guard(|| {
            let builder = options::builder(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
            let client = builder.build().map_err(|e| to_napi(&e))?;
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
    #[napi]
    pub fn with_options(&self, options: CallOptions) -> Result<NativeClient> {
        guard(|| {
            let options = options::request_options(options).map_err(|e| to_napi(&e))?;
            let options = match &self.options {
                Some(base) => options.merged_over(base),
                None => options,
            };
            Ok(NativeClient {
                client: self.client.clone(),
                options: Some(options),
                base_url: self.base_url.clone(),
                masked_key: self.masked_key.clone(),
            })
        })
    }

    /// Calls the operation `operation` (e.g. `tables.get`) with JSON
    /// arguments; resolves to the response as JSON text (for `JSON.parse`,
    /// much faster than building the objects through N-API), rejects with a
    /// marked error. Cancelling `cancel` drops the request (and any retry
    /// wait) at once.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        operation: String,
        args: Option<Value>,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        guard(|| {
            let opts = options::request_options(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
            let args = args.unwrap_or_else(|| Value::Object(Default::default()));
            let client = self.core()?;
            let cancel = Cancel::of(cancel);
            spawn_guarded(env, async move {
                cancel
                    .run(async {
                        client
                            .call_json(&operation, args, &opts)
                            .await
                            .and_then(|body| body.to_text())
                            .map_err(|e| to_napi(&e))
                    })
                    .await
            })
        })
    }

    /// Releases the client: later calls fail with a `configuration` error;
    /// calls in flight finish, then the connection pool is freed. Safe to
    /// call more than once.
    #[napi]
    pub fn close(&self) -> Result<()> {
        guard(|| {
            let mut client = self
                .client
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            *client = None;
            Ok(())
        })
    }

    /// Whether `close()` was called.
    #[napi(getter)]
    pub fn closed(&self) -> Result<bool> {
        guard(|| {
            Ok(self
                .client
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .is_none())
        })
    }

    /// The base URL, without a trailing slash.
    #[napi(getter)]
    pub fn base_url(&self) -> Result<String> {
        guard(|| Ok(self.base_url.clone()))
    }

    /// The key as `lasso_…` plus its last four characters.
    #[napi(getter)]
    pub fn masked_key(&self) -> Result<String> {
        guard(|| Ok(self.masked_key.clone()))
    }
}
