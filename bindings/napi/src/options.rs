//! JS option objects → core builder and request options.

use std::collections::HashMap;

use std::sync::Arc;

use lasso_ai::__bindings::{timeout_from_millis, ErrorExt};
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

/// A builder preset from the environment, then from `options`.
pub fn builder(options: ClientOptions) -> Result<ClientBuilder, Error> {
    let mut b = ClientBuilder::from_env();
    if let Some(key) = options.api_key {
        b = b.api_key(key);
    }
    if let Some(url) = options.base_url {
        b = b.base_url(url);
    }
    if let Some(ms) = options.timeout {
        b = b.timeout(timeout_from_millis("timeout", ms)?);
    }
    if let Some(ms) = options.connect_timeout {
        b = b.connect_timeout(timeout_from_millis("connectTimeout", ms)?);
    }
    if let Some(n) = options.max_retries {
        b = b.max_retries(retries(n)?);
    }
    if let Some(headers) = options.headers {
        let mut headers: Vec<_> = headers.into_iter().collect();
        headers.sort();
        for (name, value) in headers {
            b = b.header(name, value);
        }
    }
    if let Some(suffix) = options.user_agent_suffix {
        b = b.user_agent_suffix(suffix);
    }
    if let Some(allow) = options.allow_nonstandard_key {
        b = b.allow_nonstandard_key(allow);
    }
    if let Some(front_door) = options.front_door {
        b = b.front_door(front_door);
    }
    match options.proxy {
        None | Some(napi::Either::B(true)) => {}
        Some(napi::Either::B(false)) => b = b.no_proxy(),
        Some(napi::Either::A(url)) => b = b.proxy(url),
    }
    if let Some(bundle) = options.ca_bundle {
        b = b.ca_bundle(CaBundle::from_text_or_path(&bundle));
    }
    if let Some(n) = options.max_connections {
        b = b.max_connections(count("maxConnections", n)?);
    }
    if let Some(n) = options.max_response_bytes {
        b = b.max_response_bytes(count("maxResponseBytes", n)?);
    }
    if let Some(logger) = options.logger {
        let text = options.log_level.unwrap_or_else(|| "warn".to_owned());
        let level = logging::parse_level(&text).ok_or_else(|| {
            Error::configuration_error(format!(
                "logLevel must be \"debug\", \"info\", \"warn\" or \"error\", got {text:?}"
            ))
        })?;
        let logger = Arc::new(logger);
        b = b.logger(
            level,
            Arc::new(move |level: logging::Level, line: &str| {
                let level = level.as_str().to_ascii_lowercase();
                logger.call(
                    FnArgs::from((level, line.to_owned())),
                    ThreadsafeFunctionCallMode::NonBlocking,
                );
            }),
        );
    }
    Ok(b)
}

/// The core's per-request options.
pub fn request_options(options: CallOptions) -> Result<RequestOptions, Error> {
    let mut o = RequestOptions::new();
    if let Some(ms) = options.timeout {
        o = o.timeout(timeout_from_millis("timeout", ms)?);
    }
    if let Some(n) = options.max_retries {
        o = o.max_retries(retries(n)?);
    }
    if let Some(allow) = options.allow_enrich_without_webhook {
        o = o.allow_enrich_without_webhook(allow);
    }
    let mut headers: Vec<_> = options.headers.unwrap_or_default().into_iter().collect();
    headers.sort();
    for (name, value) in headers {
        o = o.header(name, value);
    }
    for (name, value) in options.extra_query.unwrap_or_default() {
        let values = match value {
            Value::Array(items) => items,
            one => vec![one],
        };
        for value in values {
            let text = match value {
                Value::String(s) => s,
                Value::Number(_) | Value::Bool(_) => value.to_string(),
                other => {
                    return Err(Error::configuration_error(format!("extraQuery `{name}` must be a string, number or boolean (or a list of them), got {other}")))
                }
            };
            o = o.extra_query(name.clone(), text);
        }
    }
    o.extra_body = options.extra_body.unwrap_or_default();
    Ok(o)
}

/// A JS number as a positive count (connections, bytes).
fn count(name: &str, n: f64) -> Result<usize, Error> {
    if n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as usize)
    } else {
        Err(Error::configuration_error(format!(
            "{name} must be a whole number of at least 1, got {n}"
        )))
    }
}

/// A JS number as a retry count: a whole number from 0 to 2^32 - 1.
fn retries(n: f64) -> Result<u32, Error> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) {
        Ok(n as u32)
    } else {
        Err(Error::configuration_error(format!(
            "maxRetries must be a whole number from 0 (no retries) to {}, got {n}",
            u32::MAX
        )))
    }
}
