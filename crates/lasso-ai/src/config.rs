//! Client configuration: the builder, the base URL rule and duration checks.

use std::net::IpAddr;
use std::time::Duration;

use http::{HeaderName, HeaderValue};
use url::Url;

use crate::api_key::ApiKey;
use crate::client::Client;
use crate::error::Error;
use crate::logging::{parse_level, Level, Logger, Sink, ENV_LOG};
use crate::retry::DEFAULT_MAX_RETRIES;
use crate::transport::{
    CaBundle, NetOptions, ProxyConfig, TlsBackend, Transport, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RESPONSE_BYTES,
};

/// The published API's base URL.
pub const DEFAULT_BASE_URL: &str = "https://hub.banditshq.com/api/v1";
/// Time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole attempt, reading the body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "LASSO_API_KEY";
/// Environment variable overriding the base URL.
pub const ENV_BASE_URL: &str = "LASSO_BASE_URL";

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// let client = lasso_ai::Client::builder()
///     .api_key("lasso_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
///     .timeout(Duration::from_secs(30))
///     .max_retries(4)
///     .build()?;
/// # Ok::<(), lasso_ai::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    pub(crate) api_key: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) front_door: Option<String>,
    pub(crate) lenient_key: bool,
    pub(crate) proxy: ProxyConfig,
    pub(crate) ca_bundle: Option<CaBundle>,
    pub(crate) tls_backend: Option<TlsBackend>,
    pub(crate) max_connections: Option<usize>,
    pub(crate) max_response_bytes: Option<usize>,
    pub(crate) logger: Option<(Logger, Level)>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("proxy", &self.proxy.as_shown())
            .field("ca_bundle", &self.ca_bundle)
            .field("tls_backend", &self.tls_backend)
            .field("max_connections", &self.max_connections)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("logger", &self.logger.as_ref().map(|(_, level)| level))
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with nothing set (no environment variables read).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder preset from `LASSO_API_KEY` and `LASSO_BASE_URL`.
    pub fn from_env() -> Self {
        let mut b = Self::new();
        b.api_key = std::env::var(ENV_API_KEY).ok();
        b.base_url = std::env::var(ENV_BASE_URL).ok().filter(|u| !u.trim().is_empty());
        b
    }

    /// The API key (`lasso_` + 64 hex characters); surrounding white space is trimmed.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The API base URL (default [`DEFAULT_BASE_URL`]). `http://` is accepted
    /// only for loopback hosts, so a key never travels in clear.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time allowed for one attempt, reading the body included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries after a failed first attempt (default 2), within the
    /// billing-safe policy: a `POST` or `PATCH` (which may spend credits) is
    /// sent again only when the server cannot have acted on it (the request
    /// was never sent, or the answer was 429 or 503).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An extra header sent with every request. `Authorization` cannot be overridden.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Text appended to the `User-Agent` (e.g. your application's name and version).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Send `https://` requests through this HTTP proxy (`http://host:port`,
    /// with `user:password@` if it needs them), through CONNECT tunnels so
    /// TLS runs end to end. Hosts in `NO_PROXY` still go direct. Without this,
    /// `HTTPS_PROXY` / `ALL_PROXY` are used. A plain `http://` base URL
    /// (loopback) never uses a proxy: giving one is a configuration error.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyConfig::Url(url.into());
        self
    }

    /// Use no proxy, whatever `HTTPS_PROXY` / `ALL_PROXY` say.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyConfig::Disabled;
        self
    }

    /// Also trust these certificate authorities (a TLS-inspecting corporate
    /// proxy, a private deployment). The system's store, read once per
    /// process on the first `https` request, stays trusted; `SSL_CERT_FILE`
    /// and `SSL_CERT_DIR` replace it on Linux.
    pub fn ca_bundle(mut self, bundle: CaBundle) -> Self {
        self.ca_bundle = Some(bundle);
        self
    }

    /// The TLS library (default [`TlsBackend::Rustls`] when the `rustls`
    /// feature is on, else [`TlsBackend::NativeTls`]). Choosing one whose
    /// cargo feature is off is a configuration error from [`Self::build`].
    pub fn tls_backend(mut self, backend: TlsBackend) -> Self {
        self.tls_backend = Some(backend);
        self
    }

    /// At most this many requests of this client (and its clones) in flight
    /// at once (default 64); more calls wait for a free slot, so thousands of
    /// concurrent calls never open thousands of sockets. The request timeout
    /// starts once a call has its slot. Idle connections are kept up to the
    /// same number, for 30 s.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = Some(max);
        self
    }

    /// The largest response body read into memory (default 256 MiB): JSON
    /// answers and exports without a path. A larger body is a
    /// `response_too_large` error; exports to a path have no size limit.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Also send this client's log lines (see [`crate::logging`]) at `level`
    /// and above to `logger`, besides the `log` crate.
    pub fn logger(mut self, level: Level, logger: Logger) -> Self {
        self.logger = Some((logger, level));
        self
    }

    /// Accept keys of another length or alphabet than today's format (for
    /// newer key formats). Empty keys, keys without the `lasso_` prefix and
    /// keys with characters that cannot go in a header are still refused.
    pub fn allow_nonstandard_key(mut self, allow: bool) -> Self {
        self.lenient_key = allow;
        self
    }

    /// The front door's `User-Agent` product (e.g. `lasso-python/0.1.0 CPython/3.11`),
    /// set by the language bindings in place of `lasso-ai-rust/<version>`.
    #[doc(hidden)]
    pub fn front_door(mut self, product: impl Into<String>) -> Self {
        self.front_door = Some(product.into());
        self
    }

    /// Validates everything and builds the client; no network call is made.
    pub fn build(self) -> Result<Client, Error> {
        let key = ApiKey::parse(self.api_key.as_deref(), self.lenient_key)?;
        // A key pasted into the wrong option (base URL, a header) must not be
        // quoted back in the error that option causes.
        self.build_with(&key).map_err(|e| e.redacted(&key))
    }

    fn build_with(self, key: &ApiKey) -> Result<Client, Error> {
        let base_url = validate_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let timeout = positive("timeout", self.timeout.unwrap_or(DEFAULT_TIMEOUT))?;
        let connect_timeout = positive(
            "connect_timeout",
            self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        )?;
        let headers = validate_headers(&self.headers, "an extra")?;
        let front_door = self.front_door.is_some();
        let mut user_agent = self
            .front_door
            .unwrap_or_else(|| format!("lasso-ai-rust/{}", env!("CARGO_PKG_VERSION")));
        if let Some(suffix) = self.user_agent_suffix.filter(|s| !s.trim().is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(suffix.trim());
        }
        if !user_agent.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(Error::config("user_agent_suffix must be visible ASCII text"));
        }
        let user_agent = HeaderValue::try_from(user_agent)
            .map_err(|_| Error::config("user_agent_suffix must be visible ASCII text"))?;
        let at_least_one = |name: &str, value: Option<usize>, default: usize| match value {
            Some(0) => Err(Error::config(format!("{name} must be at least 1"))),
            other => Ok(other.unwrap_or(default)),
        };
        // `LASSO_LOG` in a Rust program: lines to stderr. Front doors read it
        // themselves and route the lines to their own logging.
        let log = match (self.logger, front_door) {
            (Some(logger), _) => Sink::new(Some(logger)),
            (None, false) => std::env::var(ENV_LOG)
                .ok()
                .and_then(|v| parse_level(&v))
                .map(Sink::stderr)
                .unwrap_or_default(),
            (None, true) => Sink::default(),
        };
        let net = NetOptions {
            proxy: self.proxy,
            ca_bundle: self.ca_bundle,
            tls_backend: self.tls_backend.unwrap_or_else(TlsBackend::compiled_default),
            max_connections: at_least_one("max_connections", self.max_connections, DEFAULT_MAX_CONNECTIONS)?,
            max_response_bytes: at_least_one(
                "max_response_bytes",
                self.max_response_bytes,
                DEFAULT_MAX_RESPONSE_BYTES,
            )?,
            log,
        };
        let transport = Transport::new(
            key,
            base_url,
            user_agent,
            headers,
            timeout,
            connect_timeout,
            self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            net,
        )?;
        Ok(Client::from_parts(key.clone(), transport))
    }
}

/// Checks the base URL and returns it without a trailing slash.
pub(crate) fn validate_base_url(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim();
    if trimmed.starts_with(crate::api_key::KEY_PREFIX) {
        // Never echo what is probably the secret (arguments swapped, or
        // LASSO_BASE_URL set to the key).
        return Err(Error::config(format!(
            "base_url looks like an API key (it starts with `lasso_`), not a URL; give the key as the \
             API key and a URL such as {DEFAULT_BASE_URL} as base_url"
        )));
    }
    let url = Url::parse(trimmed).map_err(|e| {
        Error::config(format!(
            "base_url {trimmed:?} is not a valid URL ({e}); expected something like {DEFAULT_BASE_URL}"
        ))
    })?;
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::config(format!(
            "base_url {:?} must not contain credentials, a query or a fragment",
            redact_url(&url)
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "base_url {:?} uses plain http:// to a host that is not loopback; the API key \
                 would travel unencrypted. Use https://, or http:// only for 127.0.0.1, ::1 or \
                 localhost (e.g. lasso-mock).",
                redact_url(&url)
            )))
        }
        other => {
            return Err(Error::config(format!(
                "base_url scheme `{other}` is not supported; use https:// (or http:// on loopback)"
            )))
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether the URL's host is 127.0.0.0/8, ::1 or localhost.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The URL without credentials, query or fragment (its port kept: it tells
/// which server was meant).
fn redact_url(url: &Url) -> String {
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{}://{}{port}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.path()
    )
}

fn positive(name: &str, d: Duration) -> Result<Duration, Error> {
    if d.is_zero() {
        return Err(Error::config(format!("{name} must be greater than zero")));
    }
    Ok(d)
}

/// Checked `(name, value)` headers; `kind` names them in messages (`extra`, `per-request`).
pub(crate) fn validate_headers(
    headers: &[(String, String)],
    kind: &str,
) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    headers
        .iter()
        .map(|(name, value)| validate_header(name, value, kind))
        .collect()
}

fn validate_header(name: &str, value: &str, kind: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header = HeaderName::try_from(name.trim())
        .map_err(|_| Error::config(format!("header name {name:?} is not a valid HTTP header name")))?;
    if header == http::header::AUTHORIZATION {
        return Err(Error::config(format!(
            "the Authorization header is set from the API key and cannot be given as {kind} header"
        )));
    }
    let value = HeaderValue::try_from(value).map_err(|_| {
        Error::config(format!(
            "the value of header {header} contains characters not allowed in HTTP headers"
        ))
    })?;
    Ok((header, value))
}

/// Converts a duration given in seconds (Python's habit) into a [`Duration`],
/// refusing negative, zero, infinite and NaN values with a clear message.
pub fn duration_from_secs(name: &str, secs: f64) -> Result<Duration, Error> {
    if !secs.is_finite() || secs <= 0.0 {
        return Err(Error::config(format!(
            "{name} must be a positive number of seconds, got {secs}"
        )));
    }
    Duration::try_from_secs_f64(secs)
        .map_err(|_| Error::config(format!("{name} of {secs} seconds is too large")))
}

/// Converts a duration given in milliseconds (Node's habit) into a [`Duration`].
pub fn duration_from_millis(name: &str, ms: f64) -> Result<Duration, Error> {
    if !ms.is_finite() || ms <= 0.0 {
        return Err(Error::config(format!(
            "{name} must be a positive number of milliseconds, got {ms}"
        )));
    }
    duration_from_secs(name, ms / 1000.0)
}

/// What a timeout of "none" becomes: long enough never to fire (a century),
/// short enough to add to any instant without overflow.
pub const NO_TIMEOUT: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// A timeout given in seconds, where infinity means none ([`NO_TIMEOUT`], as
/// does anything longer); otherwise as [`duration_from_secs`].
pub fn timeout_from_secs(name: &str, secs: f64) -> Result<Duration, Error> {
    if secs == f64::INFINITY || (secs.is_finite() && secs >= NO_TIMEOUT.as_secs_f64()) {
        return Ok(NO_TIMEOUT);
    }
    duration_from_secs(name, secs)
}

/// A timeout given in milliseconds, where `Infinity` means none
/// ([`NO_TIMEOUT`]); otherwise as [`duration_from_millis`].
pub fn timeout_from_millis(name: &str, ms: f64) -> Result<Duration, Error> {
    if ms == f64::INFINITY || (ms.is_finite() && ms >= NO_TIMEOUT.as_secs_f64() * 1000.0) {
        return Ok(NO_TIMEOUT);
    }
    duration_from_millis(name, ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_the_spec_documents_are_the_ones_used() {
        let default = |name: &str| {
            lasso_spec::CLIENT_OPTIONS
                .iter()
                .find(|o| o.name == name)
                .and_then(|o| o.default)
                .unwrap_or_else(|| panic!("{name} has no default in lasso_spec::CLIENT_OPTIONS"))
        };
        assert_eq!(default("timeout"), DEFAULT_TIMEOUT.as_millis() as u64);
        assert_eq!(
            default("connect_timeout"),
            DEFAULT_CONNECT_TIMEOUT.as_millis() as u64
        );
        assert_eq!(default("max_retries"), u64::from(DEFAULT_MAX_RETRIES));
        assert_eq!(default("max_connections"), DEFAULT_MAX_CONNECTIONS as u64);
        assert_eq!(default("max_response_bytes"), DEFAULT_MAX_RESPONSE_BYTES as u64);
    }

    #[test]
    fn base_url_rules() {
        assert_eq!(
            validate_base_url("https://hub.banditshq.com/api/v1/").unwrap(),
            DEFAULT_BASE_URL
        );
        assert!(validate_base_url("http://127.0.0.1:8080/api/v1").is_ok());
        assert!(validate_base_url("http://127.8.9.1/api/v1").is_ok());
        assert!(validate_base_url("http://[::1]:9/api/v1").is_ok());
        assert!(validate_base_url("http://localhost:9/api/v1").is_ok());
        for bad in [
            "http://example.com/api/v1",
            "http://10.0.0.1/api",
            "ftp://x/",
            "not a url",
            "https://u:p@h/api",
        ] {
            assert!(
                matches!(validate_base_url(bad), Err(Error::Configuration { .. })),
                "{bad}"
            );
        }
        let e = validate_base_url("http://example.com/api/v1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unencrypted"), "{e}");
        let e = validate_base_url("http://example.com:8443/api/v1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("http://example.com:8443/api/v1"), "{e}");
    }

    #[test]
    fn durations() {
        assert_eq!(
            duration_from_secs("timeout", 1.5).unwrap(),
            Duration::from_millis(1500)
        );
        assert_eq!(
            duration_from_millis("timeout", 250.0).unwrap(),
            Duration::from_millis(250)
        );
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(duration_from_secs("timeout", bad).is_err());
        }
        assert_eq!(timeout_from_millis("timeout", f64::INFINITY).unwrap(), NO_TIMEOUT);
        assert_eq!(timeout_from_millis("timeout", 1e300).unwrap(), NO_TIMEOUT);
        assert_eq!(
            timeout_from_millis("timeout", 250.0).unwrap(),
            Duration::from_millis(250)
        );
        for bad in [0.0, -1.0, f64::NAN, f64::NEG_INFINITY] {
            assert!(timeout_from_millis("timeout", bad).is_err());
        }
    }

    #[test]
    fn authorization_cannot_be_overridden() {
        assert!(validate_header("authorization", "x", "an extra").is_err());
        assert!(validate_header("X-Trace", "abc", "an extra").is_ok());
        assert!(validate_header("bad name", "abc", "an extra").is_err());
    }
}
