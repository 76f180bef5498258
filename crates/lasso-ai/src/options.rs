//! Per-request options, overriding the client's settings for one call.

use std::time::Duration;

use serde_json::{Map, Value};

/// Options for one call ([`crate::Call::with_options`]) or for every call of a
/// derived client ([`crate::Client::with_options`]). Headers are plain strings:
/// no `http` types to import.
///
/// ```
/// use std::time::Duration;
/// let opts = lasso_ai::RequestOptions::new().timeout(Duration::from_secs(5)).max_retries(0);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Time allowed for each attempt, reading the body included.
    pub timeout: Option<Duration>,
    /// Time allowed to establish a connection.
    pub connect_timeout: Option<Duration>,
    /// Retries after a failed first attempt.
    pub max_retries: Option<u32>,
    /// Time allowed for the whole call: every attempt, the waits between
    /// them and, for an export streamed to a file, the whole download (whose
    /// chunks otherwise need only arrive within `timeout` of each other).
    pub total_timeout: Option<Duration>,
    /// Extra headers for this call; each replaces the client's header of the
    /// same name. `Authorization` is refused (it comes from the API key);
    /// names and values are checked when the call is made.
    pub headers: Vec<(String, String)>,
    /// Extra query parameters, sent after the operation's own (for API
    /// parameters newer than this SDK).
    pub extra_query: Vec<(String, String)>,
    /// Extra fields merged into the JSON body (they replace a field of the
    /// same name); for operations without a body, a configuration error.
    pub extra_body: Map<String, Value>,
    /// Sends an `enrich` of more than 5 records without a `webhook_url`,
    /// which the SDK otherwise refuses: the API bills it and answers `202`,
    /// and its results can never be fetched.
    pub allow_enrich_without_webhook: bool,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Overrides the number of retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Adds a header (see [`RequestOptions::headers`]).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter (see [`RequestOptions::extra_query`]).
    pub fn extra_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((name.into(), value.into()));
        self
    }

    /// Adds a body field (see [`RequestOptions::extra_body`]).
    pub fn extra_body(mut self, name: impl Into<String>, value: Value) -> Self {
        self.extra_body.insert(name.into(), value);
        self
    }

    /// Bounds the whole call (see [`RequestOptions::total_timeout`]).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Allows an `enrich` whose results cannot be fetched (see
    /// [`RequestOptions::allow_enrich_without_webhook`]).
    pub fn allow_enrich_without_webhook(mut self, allow: bool) -> Self {
        self.allow_enrich_without_webhook = allow;
        self
    }

    /// Options set here win; unset ones fall back to `base`.
    pub fn merged_over(&self, base: &RequestOptions) -> RequestOptions {
        let mut headers = base.headers.clone();
        headers.extend(self.headers.iter().cloned());
        RequestOptions {
            timeout: self.timeout.or(base.timeout),
            connect_timeout: self.connect_timeout.or(base.connect_timeout),
            max_retries: self.max_retries.or(base.max_retries),
            total_timeout: self.total_timeout.or(base.total_timeout),
            extra_query: base
                .extra_query
                .iter()
                .chain(&self.extra_query)
                .cloned()
                .collect(),
            extra_body: {
                let mut body = base.extra_body.clone();
                body.extend(self.extra_body.clone());
                body
            },
            headers,
            allow_enrich_without_webhook: self.allow_enrich_without_webhook
                || base.allow_enrich_without_webhook,
        }
    }
}
