//! The authenticated HTTP transport: one connection pool per client, timeouts,
//! the billing-safe retries, redirects, proxies and TLS.
//!
//! Built on hyper's client rather than a higher-level one because the
//! transport must decide things those hide: whether any response came back
//! before a failure (a `POST` is then never sent again), which redirects to
//! follow, and reading a server's early answer to an upload it refused.

mod body;
mod connector;
mod proxy;
mod redirect;
mod tls;
mod trust;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

pub use body::ChunkStream;
pub(crate) use body::{FilePart, Form, FormFactory, RequestBody};
pub use proxy::ProxyConfig;
pub use tls::TlsBackend;
pub use trust::CaBundle;

use crate::api_key::ApiKey;
use crate::error::{ApiError, Error};
use crate::logging::{Level, Sink};
use crate::options::RequestOptions;
use crate::retry::{self, Failure, MAX_RETRY_AFTER};
use body::ReadError;
use connector::Connector;
use proxy::ProxyRoute;
use redirect::Step;
use tls::{Https, Tls};

/// Error bodies are read up to this size; the rest is dropped with the connection.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// The longest URL the `http` crate accepts (`http::Uri`).
const MAX_URL_LEN: usize = u16::MAX as usize - 1;
/// How far an HTTP/1 connection's read buffer may grow (hyper's default is
/// 400 KiB). It grows only while reads fill it, i.e. during a large download,
/// where each read is one hand-off to the task that consumes the body: 4 MiB
/// reads make a gigabyte export ten times fewer of them.
const READ_BUFFER_MAX: usize = 4 << 20;
/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Pools kept for per-request connect timeouts other than the client's.
const MAX_OTHER_POOLS: usize = 4;

/// Requests in flight per client, unless configured otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;
/// The largest response body held in memory, unless configured otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 << 20;

type Pool = HyperClient<Https, body::OutBody>;

/// A successful response.
#[derive(Debug)]
pub struct RawResponse {
    /// HTTP status (2xx).
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: bytes::Bytes,
}

/// A successful response whose body the caller streams (downloads). It holds
/// its connection slot until dropped.
pub(crate) struct Streaming {
    pub headers: HeaderMap,
    pub body: Incoming,
    _slot: OwnedSemaphorePermit,
}

/// A request ready to be sent (and re-sent on retry).
pub(crate) struct Outgoing<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub body: Option<RequestBody>,
    /// For messages: `GET /credits/balance`.
    pub label: &'a str,
    /// The operation's success carries no body worth reading (`204`s, deletes).
    pub discard_body: bool,
    /// What to do about a body over `max_response_bytes` (e.g. export to a file).
    pub too_large_hint: &'static str,
}

/// The network settings of a client besides its timeouts.
#[derive(Clone, Debug)]
pub(crate) struct NetOptions {
    pub proxy: ProxyConfig,
    pub ca_bundle: Option<CaBundle>,
    pub tls_backend: TlsBackend,
    pub max_connections: usize,
    pub max_response_bytes: usize,
    pub log: Sink,
}

pub(crate) struct Transport {
    /// Only to scrub it from error texts that echo it.
    key: ApiKey,
    pool: Pool,
    base_url: String,
    /// `base_url` parsed once: parsing it for every call (its host through
    /// IDNA) cost more than all the rest of the SDK's per-call bookkeeping.
    base: Url,
    headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) max_response_bytes: usize,
    /// Pools for per-request connect timeouts other than the client's (the
    /// connect timeout is fixed per pool), the most recently used last.
    other_pools: Mutex<Vec<(Duration, Pool)>>,
    tls: Tls,
    proxy: Option<Arc<ProxyRoute>>,
    /// One permit per request in flight: calls beyond `max_connections` wait
    /// here instead of opening more sockets.
    slots: Arc<Semaphore>,
    max_idle: usize,
    log: Sink,
}

/// How one attempt ended before retry decisions.
enum Attempt {
    /// A final answer (not a redirect to follow).
    Answer {
        response: http::Response<Incoming>,
        redirected: bool,
    },
    /// A redirect that was not followed (the message says why).
    Refused(String),
    /// The connection failed.
    Failed {
        error: hyper_util::client::legacy::Error,
        redirected: bool,
    },
}

impl Transport {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        key: &ApiKey,
        base_url: String,
        user_agent: HeaderValue,
        extra: Vec<(HeaderName, HeaderValue)>,
        timeout: Duration,
        connect_timeout: Duration,
        max_retries: u32,
        net: NetOptions,
    ) -> Result<Self, Error> {
        let mut headers = HeaderMap::new();
        for (name, value) in extra {
            headers.append(name, value);
        }
        headers.insert(header::AUTHORIZATION, key.bearer());
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(header::USER_AGENT, user_agent);
        let base = Url::parse(&base_url).map_err(|e| Error::config(format!("invalid base URL: {e}")))?;
        let proxy = ProxyRoute::for_client(&net.proxy, &base)?.map(Arc::new);
        let tls = Tls::new(net.tls_backend, net.ca_bundle.as_ref())?;
        let max_connections = net.max_connections.max(1);
        // Idle connections beyond what the requests in flight can use are closed.
        let max_idle = max_connections;
        Ok(Transport {
            key: key.clone(),
            pool: build_pool(&tls, proxy.clone(), connect_timeout, max_idle),
            base_url,
            base,
            headers,
            timeout,
            connect_timeout,
            max_retries,
            max_response_bytes: net.max_response_bytes,
            other_pools: Mutex::new(Vec::new()),
            tls,
            proxy,
            slots: Arc::new(Semaphore::new(max_connections)),
            max_idle,
            log: net.log,
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of `path` (below the base URL, starting with `/`).
    fn url_for(&self, path: &str, label: &str) -> Result<Url, Error> {
        let invalid = |e: url::ParseError| Error::config(format!("cannot build the URL for {label}: {e}"));
        if path.contains(['?', '#']) {
            // Only `raw_request` paths may carry these; parse the whole URL.
            return Url::parse(&format!("{}{path}", self.base_url)).map_err(invalid);
        }
        let mut url = self.base.clone();
        url.set_path(&format!("{}{path}", self.base.path().trim_end_matches('/')));
        Ok(url)
    }

    fn pool(&self, connect_timeout: Option<Duration>) -> Pool {
        match connect_timeout {
            Some(t) if t != self.connect_timeout => {
                let mut pools = self.other_pools.lock().unwrap_or_else(|p| p.into_inner());
                let pool = match pools.iter().position(|(d, _)| *d == t) {
                    Some(i) => pools.remove(i).1,
                    None => build_pool(&self.tls, self.proxy.clone(), t, self.max_idle),
                };
                pools.push((t, pool.clone()));
                if pools.len() > MAX_OTHER_POOLS {
                    pools.remove(0);
                }
                pool
            }
            _ => self.pool.clone(),
        }
    }

    /// Sends the request, retrying within the billing-safe policy, and
    /// returns the successful response, body read (at most
    /// `max_response_bytes`, within the attempt's timeout), or the final error.
    pub(crate) async fn send(&self, req: Outgoing<'_>, opts: &RequestOptions) -> Result<RawResponse, Error> {
        let limit = self.max_response_bytes;
        let (discard, hint, label) = (req.discard_body, req.too_large_hint, req.label);
        self.send_with(req, opts, |response, _slot| async move {
            let (parts, incoming) = response.into_parts();
            let body = if discard {
                bytes::Bytes::new()
            } else {
                match body::read_limited(incoming, limit).await {
                    Ok(body) => body,
                    Err(ReadError::Failed(e)) => return Err(e),
                    Err(ReadError::TooLarge { limit }) => {
                        return Ok(Err(Error::ResponseTooLarge {
                            status: parts.status.as_u16(),
                            limit: limit as u64,
                            message: format!(
                                "{label} answered with a body larger than {}: not read into memory; {hint}",
                                human_bytes(limit as u64)
                            ),
                        }))
                    }
                }
            };
            Ok(Ok(RawResponse {
                status: parts.status,
                headers: parts.headers,
                body,
            }))
        })
        .await
    }

    /// Like [`Transport::send`] but returns once the headers of a successful
    /// response are in; the caller streams the body (downloads).
    pub(crate) async fn send_streaming(
        &self,
        req: Outgoing<'_>,
        opts: &RequestOptions,
    ) -> Result<Streaming, Error> {
        self.send_with(req, opts, |response, slot| async move {
            let (parts, body) = response.into_parts();
            Ok(Ok(Streaming {
                headers: parts.headers,
                body,
                _slot: slot,
            }))
        })
        .await
    }

    /// The retry loop. `finish` completes a successful attempt (e.g. reads
    /// the body) within the attempt's timeout, so its failures are retried
    /// like any other; an `Err` it returns inside `Ok` is final.
    async fn send_with<T, F, Fut>(
        &self,
        req: Outgoing<'_>,
        opts: &RequestOptions,
        finish: F,
    ) -> Result<T, Error>
    where
        F: Fn(http::Response<Incoming>, OwnedSemaphorePermit) -> Fut,
        Fut: std::future::Future<Output = Result<Result<T, Error>, hyper::Error>>,
    {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::config(crate::runtime::NEEDS_RUNTIME));
        }
        if opts.timeout.is_some_and(|t| t.is_zero()) || opts.connect_timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::config(
                "timeout and connect_timeout must be greater than zero",
            ));
        }
        let timeout = opts.timeout.unwrap_or(self.timeout);
        let max_retries = opts.max_retries.unwrap_or(self.max_retries);
        let call_headers = crate::config::validate_headers(&opts.headers, "a per-request")?;
        let pool = self.pool(opts.connect_timeout);
        let mut url = self.url_for(req.path, req.label)?;
        if !req.query.is_empty() || !opts.extra_query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(req.query.iter().chain(&opts.extra_query));
        }
        // Past this the HTTP stack refuses the URL before sending anything; said
        // here, it is the caller's to fix rather than a network failure to retry.
        if url.as_str().len() > MAX_URL_LEN {
            return Err(Error::config(format!(
                "the URL for {} would be {} bytes, more than the {MAX_URL_LEN} an HTTP request line \
                 can carry: shorten the query arguments (e.g. a long `search`)",
                req.label,
                url.as_str().len()
            )));
        }

        let attempts = self.attempts(&req, &call_headers, &finish, &pool, &url, timeout, max_retries);
        let Some(total) = opts.total_timeout else {
            return attempts.await;
        };
        tokio::time::timeout(total, attempts).await.unwrap_or_else(|_| {
            Err(Error::Timeout {
                message: format!(
                    "{} did not complete within its total timeout of {}",
                    req.label,
                    human(total)
                ),
            })
        })
    }

    /// Attempts until one succeeds or the policy says stop.
    #[allow(clippy::too_many_arguments)]
    async fn attempts<T, F, Fut>(
        &self,
        req: &Outgoing<'_>,
        call_headers: &[(HeaderName, HeaderValue)],
        finish: &F,
        pool: &Pool,
        url: &Url,
        timeout: Duration,
        max_retries: u32,
    ) -> Result<T, Error>
    where
        F: Fn(http::Response<Incoming>, OwnedSemaphorePermit) -> Fut,
        Fut: std::future::Future<Output = Result<Result<T, Error>, hyper::Error>>,
    {
        let mut retries = 0u32;
        loop {
            let slot = self
                .slots
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| Error::closed())?;
            // The timeout starts once the request may go out, not while it queues.
            let started = Instant::now();
            let deadline = started + timeout;
            let outcome = tokio::time::timeout_at(deadline, async {
                match self.attempt(pool, url, req, call_headers).await? {
                    Attempt::Answer { response, redirected } if response.status().is_success() => {
                        let status = response.status().as_u16();
                        let request_id = request_id(response.headers());
                        match finish(response, slot).await {
                            Ok(done) => Ok(Ok((status, request_id, done))),
                            Err(e) => Err(Failed::Body(e, redirected)),
                        }
                    }
                    Attempt::Answer { response, redirected } => {
                        let (parts, incoming) = response.into_parts();
                        let body = body::read_partial(incoming, ERROR_BODY_LIMIT, deadline).await;
                        let retry_after = retry::retry_after(&parts.headers);
                        let api = ApiError::from_response(parts.status, &parts.headers, &body, retry_after)
                            .for_operation(req.label);
                        Ok(Err((api, redirected)))
                    }
                    Attempt::Refused(message) => Err(Failed::Refused(message)),
                    Attempt::Failed { error, redirected } => Err(Failed::Http(error, redirected)),
                }
            })
            .await;
            let (failure, error, retry_after, redirected) = match outcome {
                Ok(Err(Failed::Local(e))) => return Err(e.redacted(&self.key)),
                Ok(Err(Failed::Refused(message))) => (
                    None,
                    Error::Connection {
                        message,
                        not_sent: false,
                        source: None,
                    },
                    None,
                    true,
                ),
                Ok(Ok(Ok((status, request_id, done)))) => {
                    self.log_attempt(req, url, Ok(status), request_id.as_deref(), started, retries + 1);
                    match done {
                        Ok(value) => return Ok(value),
                        Err(e) => return Err(e.redacted(&self.key)),
                    }
                }
                Ok(Ok(Err((api, redirected)))) => {
                    let (status, retry_after) = (api.status, api.retry_after);
                    (
                        Some(Failure::Status(status)),
                        Error::from(api),
                        retry_after,
                        redirected,
                    )
                }
                Ok(Err(Failed::Http(e, redirected))) => {
                    let (failure, err) = classify_http(e, req.label, url, started.elapsed(), redirected);
                    (failure, err, None, redirected)
                }
                Ok(Err(Failed::Body(e, redirected))) => {
                    let (failure, err) = classify_body(e, req.label, url);
                    (Some(failure), err, None, redirected)
                }
                Err(_) => (
                    Some(Failure::Timeout),
                    Error::Timeout {
                        message: format!(
                            "{} timed out after {} (the whole request, reading the body included)",
                            req.label,
                            human(timeout)
                        ),
                    },
                    None,
                    false,
                ),
            };
            self.log_attempt(req, url, Err(&error), error.request_id(), started, retries + 1);
            let too_long = retry_after.is_some_and(|d| d > MAX_RETRY_AFTER);
            // Once any response came back for a request that may spend
            // credits, sending it again could act twice.
            let answered_unsafe = redirected && !retry::is_idempotent(req.method);
            let retry = retries < max_retries
                && !too_long
                && !answered_unsafe
                && failure.is_some_and(|f| retry::is_retryable(req.method, f));
            if !retry {
                let error = with_attempts(error, retries + 1).redacted(&self.key);
                self.log.emit(
                    Level::Warn,
                    format_args!(
                        "{} {} failed: {} ({})",
                        req.method,
                        url.path(),
                        error.message(),
                        error.code()
                    ),
                );
                return Err(error);
            }
            let delay = retry::backoff(retries, retry_after);
            self.log.emit(
                Level::Info,
                format_args!(
                    "{} {}: retrying in {} ms",
                    req.method,
                    url.path(),
                    delay.as_millis()
                ),
            );
            tokio::time::sleep(delay).await;
            retries += 1;
        }
    }

    /// One attempt up to the final response's headers, following redirects
    /// by [`redirect::step`]'s rules.
    async fn attempt(
        &self,
        pool: &Pool,
        url: &Url,
        req: &Outgoing<'_>,
        call_headers: &[(HeaderName, HeaderValue)],
    ) -> Result<Attempt, Failed> {
        let mut url = url.clone();
        let mut hops = 0;
        loop {
            let request = self.request(&url, req, call_headers).map_err(Failed::Local)?;
            let response = match pool.request(request).await {
                Ok(response) => response,
                Err(error) => {
                    return Ok(Attempt::Failed {
                        error,
                        redirected: hops > 0,
                    })
                }
            };
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok());
            match redirect::step(response.status(), location, req.method, &url, req.label, hops) {
                None => {
                    return Ok(Attempt::Answer {
                        response,
                        redirected: hops > 0,
                    })
                }
                Some(Step::Refuse(message)) => return Ok(Attempt::Refused(message)),
                Some(Step::Follow(next)) => {
                    self.log.emit(
                        Level::Info,
                        format_args!(
                            "{} {}: redirected ({}) to {}",
                            req.method,
                            url.path(),
                            response.status().as_u16(),
                            next.path()
                        ),
                    );
                    url = next;
                    hops += 1;
                }
            }
        }
    }

    /// One DEBUG line per attempt: method, path, outcome, duration, attempt
    /// number and request id. Never the key, never a body.
    fn log_attempt(
        &self,
        req: &Outgoing<'_>,
        url: &Url,
        outcome: Result<u16, &Error>,
        request_id: Option<&str>,
        started: Instant,
        attempt: u32,
    ) {
        if !self.log.enabled(Level::Debug) {
            return;
        }
        let outcome = match outcome {
            Ok(status) => status.to_string(),
            Err(e) => match e.status() {
                Some(status) => status.to_string(),
                None => e.code().replace('_', " "),
            },
        };
        let id = request_id
            .map(|id| format!(", request_id {id}"))
            .unwrap_or_default();
        self.log.emit(
            Level::Debug,
            format_args!(
                "{} {} -> {outcome} in {:.1} ms (attempt {attempt}{id})",
                req.method,
                url.path(),
                started.elapsed().as_secs_f64() * 1000.0
            ),
        );
    }

    /// The HTTP request for `url`: the key only to the base URL's origin.
    fn request(
        &self,
        url: &Url,
        req: &Outgoing<'_>,
        call_headers: &[(HeaderName, HeaderValue)],
    ) -> Result<http::Request<body::OutBody>, Error> {
        let uri: Uri = url
            .as_str()
            .parse()
            .map_err(|e| Error::config(format!("cannot build the URL for {}: {e}", req.label)))?;
        let mut headers = self.headers.clone();
        // Per-request headers replace the client's of the same name (the last one given wins).
        for (name, value) in call_headers {
            headers.insert(name.clone(), value.clone());
        }
        if !redirect::same_origin(url, &self.base) {
            headers.remove(header::AUTHORIZATION);
        }
        let body = match &req.body {
            None => http_body_util::Empty::new()
                .map_err(|never| match never {})
                .boxed_unsync(),
            Some(body) => {
                let (content_type, length, body) = body.open()?;
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::try_from(content_type).map_err(|_| Error::config("invalid content type"))?,
                );
                if let Some(length) = length {
                    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
                }
                body
            }
        };
        let mut request = http::Request::new(body);
        *request.method_mut() = req.method.clone();
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }
}

/// An attempt that ended without a response to judge.
enum Failed {
    /// Could not even build the request (e.g. an upload's file vanished).
    Local(Error),
    /// The connection failed (before or after a redirect).
    Http(hyper_util::client::legacy::Error, bool),
    /// A success's body could not be read whole.
    Body(hyper::Error, bool),
    /// A redirect was refused: the server answered, nothing more is sent.
    Refused(String),
}

impl From<Error> for Failed {
    fn from(e: Error) -> Self {
        Failed::Local(e)
    }
}

fn build_pool(tls: &Tls, proxy: Option<Arc<ProxyRoute>>, connect_timeout: Duration, max_idle: usize) -> Pool {
    let https = tls.connector(Connector::new(connect_timeout, proxy));
    HyperClient::builder(TokioExecutor::new())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_max_idle_per_host(max_idle)
        .http1_max_buf_size(READ_BUFFER_MAX)
        .pool_timer(TokioTimer::new())
        .timer(TokioTimer::new())
        .build(https)
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Maps a failed exchange to its retry class (`None`: never retried) and
/// the user-facing error.
fn classify_http(
    e: hyper_util::client::legacy::Error,
    label: &str,
    url: &Url,
    elapsed: Duration,
    redirected: bool,
) -> (Option<Failure>, Error) {
    let host = host_of(url);
    let cause = root_cause(&e);
    if let Some(why) = refusal(&e) {
        let message = format!("{label}: could not connect to {host}: {why}");
        return (
            None,
            Error::Connection {
                message,
                not_sent: true,
                source: Some(Box::new(e)),
            },
        );
    }
    if e.is_connect() {
        if cause.contains("timed out") || cause.contains("deadline has elapsed") {
            let message = format!("{label}: connecting to {host} timed out after {}", human(elapsed));
            return (Some(Failure::NotSent), Error::Timeout { message });
        }
        let message = format!("{label}: could not connect to {host}: {cause}");
        // After a redirect the first server answered: the request was sent.
        let failure = if redirected {
            Failure::Connection
        } else {
            Failure::NotSent
        };
        return (
            Some(failure),
            Error::Connection {
                message,
                not_sent: !redirected,
                source: Some(Box::new(e)),
            },
        );
    }
    let message = format!("{label}: the connection to {host} failed before a complete response: {cause}");
    (
        Some(Failure::Connection),
        Error::Connection {
            message,
            not_sent: false,
            source: Some(Box::new(e)),
        },
    )
}

/// A connect failure that retrying cannot fix: the server's certificate is
/// not trusted (or the trust store cannot be read), or the proxy refuses us.
fn refusal(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(mut err) = cur {
        // An io::Error's `source()` skips the error it wraps: look inside.
        while let Some(inner) = err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            err = inner;
        }
        if let Some(tls) = tls::tls_refusal(err) {
            return Some(format!(
                "TLS failed: {tls}. If your network inspects TLS with its own certificate authority, \
                 pass it as ca_bundle (or set SSL_CERT_FILE)"
            ));
        }
        if let Some(proxy) = err.downcast_ref::<proxy::ProxyError>() {
            return Some(proxy.to_string());
        }
        if let Some(tunnel) = err.downcast_ref::<connector::ProxyFailed>() {
            if tunnel.auth_required {
                return Some(
                    "the proxy requires authentication (407): give its credentials in the proxy URL \
                     (http://user:password@host:port)"
                        .to_owned(),
                );
            }
        }
        cur = err.source();
    }
    None
}

fn classify_body(e: hyper::Error, label: &str, url: &Url) -> (Failure, Error) {
    let message = format!(
        "{label}: the connection to {} failed before a complete response: {}",
        host_of(url),
        root_cause(&e)
    );
    (
        Failure::Connection,
        Error::Connection {
            message,
            not_sent: false,
            source: Some(Box::new(e)),
        },
    )
}

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => "the server".to_owned(),
    }
}

/// The innermost error message (e.g. `Connection refused (os error 111)`).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

fn with_attempts(error: Error, attempts: u32) -> Error {
    if attempts < 2 {
        return error;
    }
    let suffix = format!(" (gave up after {attempts} attempts)");
    match error {
        Error::Connection {
            message,
            not_sent,
            source,
        } => Error::Connection {
            message: message + &suffix,
            not_sent,
            source,
        },
        Error::Timeout { message } => Error::Timeout {
            message: message + &suffix,
        },
        other => other,
    }
}

pub(crate) fn human(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{secs:.1} s")
    }
}

pub(crate) fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}
