//! Kotlin option records → the core's client and call settings, which check
//! them. Durations are in milliseconds.

use std::collections::HashMap;
use std::sync::Arc;

use lasso_ai::__bindings::{CallSettings, ClientSettings, ProxyChoice, TimeUnit};
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

/// A builder preset from the environment, then from the key and `options`
/// (checked by the core).
pub fn builder(
    api_key: Option<String>,
    options: ClientOptions,
    logger: Option<Box<dyn LogSink>>,
) -> Result<ClientBuilder, Error> {
    let logger = logger.map(|logger| {
        let logger: Arc<dyn LogSink> = Arc::from(logger);
        let hear: logging::Logger = Arc::new(move |level: logging::Level, line: &str| {
            logger.log(logging::level_name(level).to_owned(), line.to_owned())
        });
        hear
    });
    ClientSettings {
        time_unit: TimeUnit::Milliseconds,
        api_key,
        base_url: options.base_url,
        timeout: options.timeout_ms,
        connect_timeout: options.connect_timeout_ms,
        max_retries: options.max_retries.map(whole),
        headers: options.headers.into_iter().collect(),
        user_agent_suffix: options.user_agent_suffix,
        allow_nonstandard_key: Some(options.allow_nonstandard_key),
        front_door: options.front_door,
        proxy: match (options.no_proxy, options.proxy) {
            (true, _) => ProxyChoice::Off,
            (false, Some(url)) => ProxyChoice::Url(url),
            (false, None) => ProxyChoice::FromEnvironment,
        },
        ca_bundle: options.ca_bundle.as_deref().map(CaBundle::from_text_or_path),
        max_connections: options.max_connections.map(whole),
        max_response_bytes: options.max_response_bytes.map(whole),
        logger,
        log_level: options.log_level,
    }
    .builder()
}

/// The core's per-request options (checked by the core).
pub fn request_options(options: &CallOptions) -> Result<RequestOptions, Error> {
    // A Kotlin map reaches Rust as a HashMap, whose order is random: by name.
    let mut query: Vec<_> = options
        .extra_query
        .iter()
        .map(|(name, values)| {
            let values = values.iter().cloned().map(serde_json::Value::String).collect();
            (name.clone(), serde_json::Value::Array(values))
        })
        .collect();
    query.sort_by(|a, b| a.0.cmp(&b.0));
    CallSettings {
        time_unit: TimeUnit::Milliseconds,
        timeout: options.timeout_ms,
        total_timeout: options.total_timeout_ms,
        max_retries: options.max_retries.map(whole),
        headers: options
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        extra_query: query,
        // Text that is not JSON is refused by the core like any non-object.
        extra_body: options
            .extra_body
            .as_deref()
            .map(|text| serde_json::from_str(text).unwrap_or_default()),
        allow_enrich_without_webhook: Some(options.allow_enrich_without_webhook),
    }
    .request_options()
}

/// A Kotlin `Long` as the core's number (exact up to 2^53, beyond any count
/// that makes sense).
fn whole(n: i64) -> f64 {
    n as f64
}
