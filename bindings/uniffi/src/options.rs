//! Kotlin option records → core builder and request options. Durations are
//! in milliseconds; counts are checked here (the JVM has no unsigned types).

use std::collections::HashMap;
use std::sync::Arc;

use lasso_ai::__bindings::{timeout_from_millis, ErrorExt};
use lasso_ai::{logging, CaBundle, ClientBuilder, Error, RequestOptions};

/// Settings of `NativeClient(...)` (the key travels apart, see its constructor).
#[derive(uniffi::Record, Default)]
pub struct ClientOptions {
    /// `LASSO_BASE_URL`, else the published URL, when omitted.
    pub base_url: Option<String>,
    /// Per-attempt timeout in milliseconds (`Infinity`: none).
    pub timeout_ms: Option<f64>,
    /// Connect timeout in milliseconds (`Infinity`: none).
    pub connect_timeout_ms: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<i64>,
    /// Extra headers sent with every request.
    pub headers: HashMap<String, String>,
    /// Appended to the `User-Agent`.
    pub user_agent_suffix: Option<String>,
    /// Accept keys of a format newer than this SDK.
    pub allow_nonstandard_key: bool,
    /// The `User-Agent` product of the front door (`lasso-kotlin/x.y.z jvm/17`).
    pub front_door: Option<String>,
    /// An `http://host:port` proxy for https requests; `HTTPS_PROXY` /
    /// `ALL_PROXY` when omitted.
    pub proxy: Option<String>,
    /// No proxy at all, whatever the environment says.
    pub no_proxy: bool,
    /// Extra certificate authorities: a PEM file path or PEM text.
    pub ca_bundle: Option<String>,
    /// Requests in flight at once.
    pub max_connections: Option<i64>,
    /// The largest body read into memory, in bytes.
    pub max_response_bytes: Option<i64>,
    /// The lowest level the logger hears: `debug`, `info`, `warn` or `error`.
    pub log_level: Option<String>,
}

/// Hears the client's log lines (one per attempt, retries, failures); never the key or a body.
#[uniffi::export(callback_interface)]
pub trait LogSink: Send + Sync {
    /// One line at `level` (`debug`, `info`, `warn`, `error`).
    fn log(&self, level: String, line: String);
}

/// Per-call options; durations in milliseconds.
#[derive(uniffi::Record, Default)]
pub struct CallOptions {
    /// Per-attempt timeout in milliseconds (`Infinity`: none).
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<i64>,
    /// Time allowed for the whole call, in milliseconds (`Infinity`: none).
    pub total_timeout_ms: Option<f64>,
    /// Headers for this call (replacing the client's of the same name).
    pub headers: HashMap<String, String>,
    /// Extra query parameters: the values of each name.
    pub extra_query: HashMap<String, Vec<String>>,
    /// Extra fields merged into the JSON body, as the text of a JSON object.
    pub extra_body: Option<String>,
    /// Sends an `enrich` of more than 5 records without a `webhook_url`.
    pub allow_enrich_without_webhook: bool,
}

/// A builder preset from the environment, then from the key and `options`.
pub fn builder(
    api_key: Option<String>,
    options: ClientOptions,
    logger: Option<Box<dyn LogSink>>,
) -> Result<ClientBuilder, Error> {
    let mut b = ClientBuilder::from_env().allow_nonstandard_key(options.allow_nonstandard_key);
    if let Some(key) = api_key {
        b = b.api_key(key);
    }
    if let Some(url) = options.base_url {
        b = b.base_url(url);
    }
    if let Some(ms) = options.timeout_ms {
        b = b.timeout(timeout_from_millis("timeout", ms)?);
    }
    if let Some(ms) = options.connect_timeout_ms {
        b = b.connect_timeout(timeout_from_millis("connectTimeout", ms)?);
    }
    if let Some(n) = options.max_retries {
        b = b.max_retries(retries(n)?);
    }
    let mut headers: Vec<_> = options.headers.into_iter().collect();
    headers.sort();
    for (name, value) in headers {
        b = b.header(name, value);
    }
    if let Some(suffix) = options.user_agent_suffix {
        b = b.user_agent_suffix(suffix);
    }
    if let Some(front_door) = options.front_door {
        b = b.front_door(front_door);
    }
    if options.no_proxy {
        b = b.no_proxy();
    } else if let Some(url) = options.proxy {
        b = b.proxy(url);
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
    if let Some(logger) = logger {
        let text = options.log_level.unwrap_or_else(|| "warn".to_owned());
        let level = logging::parse_level(&text).ok_or_else(|| {
            Error::configuration_error(format!(
                "logLevel must be DEBUG, INFO, WARN or ERROR, got {text:?}"
            ))
        })?;
        let logger: Arc<dyn LogSink> = Arc::from(logger);
        b = b.logger(
            level,
            Arc::new(move |level: logging::Level, line: &str| {
                logger.log(level.as_str().to_ascii_lowercase(), line.to_owned())
            }),
        );
    }
    Ok(b)
}

/// The core's per-request options.
pub fn request_options(options: &CallOptions) -> Result<RequestOptions, Error> {
    let mut o = RequestOptions::new();
    if let Some(ms) = options.timeout_ms {
        o = o.timeout(timeout_from_millis("timeout", ms)?);
    }
    if let Some(n) = options.max_retries {
        o = o.max_retries(retries(n)?);
    }
    if let Some(ms) = options.total_timeout_ms {
        o = o.total_timeout(timeout_from_millis("totalTimeout", ms)?);
    }
    let mut headers: Vec<_> = options.headers.iter().collect();
    headers.sort();
    for (name, value) in headers {
        o = o.header(name, value);
    }
    let mut query: Vec<_> = options.extra_query.iter().collect();
    query.sort();
    for (name, values) in query {
        for value in values {
            o = o.extra_query(name, value);
        }
    }
    if let Some(text) = &options.extra_body {
        match serde_json::from_str(text) {
            Ok(serde_json::Value::Object(body)) => o.extra_body = body,
            _ => return Err(Error::configuration_error("extraBody must be a JSON object")),
        }
    }
    o = o.allow_enrich_without_webhook(options.allow_enrich_without_webhook);
    Ok(o)
}

/// A positive count (connections, bytes).
fn count(name: &str, n: i64) -> Result<usize, Error> {
    usize::try_from(n).ok().filter(|n| *n >= 1).ok_or_else(|| {
        Error::configuration_error(format!("{name} must be a whole number of at least 1, got {n}"))
    })
}

/// A retry count: from 0 to 2^32 - 1.
fn retries(n: i64) -> Result<u32, Error> {
    u32::try_from(n).map_err(|_| {
        Error::configuration_error(format!(
            "maxRetries must be a whole number from 0 (no retries) to {}, got {n}",
            u32::MAX
        ))
    })
}
