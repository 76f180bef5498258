//! JS option objects → core builder and request options.

use std::collections::HashMap;
use std::sync::Arc;

use lasso_ai::__bindings::{CallSettings, ClientSettings, ProxyChoice, TimeUnit};
use lasso_ai::{logging, CaBundle, ClientBuilder, Error, RequestOptions};
use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use serde_json::{Map, Value};

/// Options of `new NativeClient(...)`; durations in milliseconds.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct ClientOptions {
    /// `lasso_` + 64 hex characters; `LASSO_API_KEY` when omitted.
    pub api_key: Option<String>,
    /// `LASSO_BASE_URL`, else the published URL, when omitted.
    pub base_url: Option<String>,
    /// Per-attempt timeout in milliseconds (`Infinity`: none).
    pub timeout: Option<f64>,
    /// Connect timeout in milliseconds (`Infinity`: none).
    pub connect_timeout: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<f64>,
    /// Extra headers sent with every request.
    pub headers: Option<HashMap<String, String>>,
    /// Appended to the `User-Agent`.
    pub user_agent_suffix: Option<String>,
    /// Accept keys of a format newer than this SDK.
    pub allow_nonstandard_key: Option<bool>,
    /// The `User-Agent` product of the front door (`lasso-node/x.y.z node/v20`).
    pub front_door: Option<String>,
    /// An `http://host:port` proxy for https requests, or `false` for none;
    /// `HTTPS_PROXY` / `ALL_PROXY` when omitted.
    pub proxy: Option<napi::Either<String, bool>>,
    /// Extra certificate authorities: a PEM file path or PEM text.
    pub ca_bundle: Option<String>,
    /// Requests in flight at once.
    pub max_connections: Option<f64>,
    /// The largest body read into memory, in bytes.
    pub max_response_bytes: Option<f64>,
    /// Hears the client's log lines: `(level, line)`.
    #[napi(ts_type = "(level: \"debug\" | \"info\" | \"warn\" | \"error\", line: string) => void")]
    pub logger: Option<LogFn>,
    /// The lowest level the logger hears: `debug`, `info`, `warn` or `error`.
    pub log_level: Option<String>,
}

/// The JS logger, called without waiting and without keeping the process alive.
pub type LogFn =
    ThreadsafeFunction<FnArgs<(String, String)>, (), FnArgs<(String, String)>, Status, false, true>;

/// Per-call options; durations in milliseconds.
#[napi(object)]
#[derive(Default)]
pub struct CallOptions {
    /// Per-attempt timeout in milliseconds (`Infinity`: none).
    pub timeout: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<f64>,
    /// Sends an `enrich` of more than 5 records without a `webhook_url`.
    pub allow_enrich_without_webhook: Option<bool>,
    /// Headers for this call (replacing the client's of the same name).
    pub headers: Option<HashMap<String, String>>,
    /// Extra query parameters: a value or a list of values per name.
    #[napi(ts_type = "Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>")]
    pub extra_query: Option<Map<String, Value>>,
    /// Extra fields merged into the JSON body.
    #[napi(ts_type = "Record<string, unknown>")]
    pub extra_body: Option<Map<String, Value>>,
}

/// A builder preset from the environment, then from `options` (checked by the core).
pub fn builder(options: ClientOptions) -> Result<ClientBuilder, Error> {
    let logger = options.logger.map(|logger| {
        let logger = Arc::new(logger);
        let hear: logging::Logger = Arc::new(move |level: logging::Level, line: &str| {
            logger.call(
                FnArgs::from((logging::level_name(level).to_owned(), line.to_owned())),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        });
        hear
    });
    ClientSettings {
        time_unit: TimeUnit::Milliseconds,
        api_key: options.api_key,
        base_url: options.base_url,
        timeout: options.timeout,
        connect_timeout: options.connect_timeout,
        max_retries: options.max_retries,
        headers: options.headers.unwrap_or_default().into_iter().collect(),
        user_agent_suffix: options.user_agent_suffix,
        allow_nonstandard_key: options.allow_nonstandard_key,
        front_door: options.front_door,
        proxy: match options.proxy {
            None | Some(napi::Either::B(true)) => ProxyChoice::FromEnvironment,
            Some(napi::Either::B(false)) => ProxyChoice::Off,
            Some(napi::Either::A(url)) => ProxyChoice::Url(url),
        },
        ca_bundle: options.ca_bundle.as_deref().map(CaBundle::from_text_or_path),
        max_connections: options.max_connections,
        max_response_bytes: options.max_response_bytes,
        logger,
        log_level: options.log_level,
    }
    .builder()
}

/// The core's per-request options (checked by the core).
pub fn request_options(options: CallOptions) -> Result<RequestOptions, Error> {
    CallSettings {
        time_unit: TimeUnit::Milliseconds,
        timeout: options.timeout,
        total_timeout: None,
        max_retries: options.max_retries,
        headers: options.headers.unwrap_or_default().into_iter().collect(),
        extra_query: options.extra_query.unwrap_or_default().into_iter().collect(),
        extra_body: options.extra_body.map(Value::Object),
        allow_enrich_without_webhook: options.allow_enrich_without_webhook,
    }
    .request_options()
}
