//! `NativeClient`: one core client behind the TypeScript `LassoClient`
//! (the same concern as `bindings/pyo3/src/client.rs`).

use std::sync::{Arc, RwLock};

use lasso_ai::__bindings::{check_arguments, ClientExt, ErrorExt, JsonBody, OptionNames};
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

impl NativeClient {
    /// Starts one call on the runtime, `finish` shaping its successful answer.
    fn spawn_call<'env, T>(
        &self,
        env: &'env Env,
        operation: String,
        args: Option<Value>,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
        finish: fn(JsonBody) -> lasso_ai::Result<T>,
    ) -> Result<PromiseRaw<'env, T>>
    where
        T: 'static + Send + napi::bindgen_prelude::ToNapiValue,
    {
        guard(|| {
            let opts = options::request_options(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
            let args = args.unwrap_or_else(|| Value::Object(Default::default()));
            check_arguments(&operation, &args, OptionNames::Camel).map_err(|e| to_napi(&e))?;
            let client = self.core()?;
            let cancel = Cancel::of(cancel);
            spawn_guarded(env, async move {
                cancel
                    .run(async {
                        client
                            .call_json(&operation, args, &opts)
                            .await
                            .and_then(finish)
                            .map_err(|e| to_napi(&e))
                    })
                    .await
            })
        })
    }
}

/// A successful answer with what the response said besides its body.
#[napi(object)]
pub struct NativeResponse {
    /// The body as JSON text (`null` when empty).
    pub text: String,
    /// The HTTP status.
    pub status: u32,
    /// The `x-request-id` header, when sent.
    pub request_id: Option<String>,
    /// Every header as `[name, value]`, names lower-cased, in the order received.
    pub headers: Vec<Vec<String>>,
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
    /// marked error. An argument the operation does not declare is refused
    /// before anything is sent. Cancelling `cancel` drops the request (and
    /// any retry wait) at once.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        operation: String,
        args: Option<Value>,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        self.spawn_call(env, operation, args, options, cancel, |body| body.to_text())
    }

    /// [`call`](NativeClient::call), resolving to the body's JSON text with
    /// the response's status, request id and headers (`withResponse()`).
    #[napi(ts_return_type = "Promise<NativeResponse>")]
    pub fn call_with_response<'env>(
        &self,
        env: &'env Env,
        operation: String,
        args: Option<Value>,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, NativeResponse>> {
        self.spawn_call(env, operation, args, options, cancel, |body| {
            let meta = body.meta();
            Ok(NativeResponse {
                text: body.to_text()?,
                status: u32::from(meta.status),
                request_id: meta.request_id,
                headers: meta.headers.into_iter().map(|(n, v)| vec![n, v]).collect(),
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
