//! The authenticated HTTP transport: one connection pool, timeouts, retries.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use reqwest::Url;

use crate::api_key::ApiKey;
use crate::config::is_loopback;
use crate::error::{ApiError, Error};
use crate::options::RequestOptions;
use crate::retry::{self, Failure, MAX_RETRY_AFTER};

/// Error bodies are read up to this size; the rest is dropped with the connection.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
const MAX_REDIRECTS: usize = 5;
/// The longest URL the `http` crate accepts (`http::Uri`).
const MAX_URL_LEN: usize = u16::MAX as usize - 1;

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

/// Builds a multipart form afresh for each attempt (a streamed file cannot be replayed).
pub(crate) type FormFactory = Arc<dyn Fn() -> Result<reqwest::multipart::Form, Error> + Send + Sync>;

/// The body of a request.
#[derive(Clone)]
pub(crate) enum RequestBody {
    /// `application/json`.
    Json(bytes::Bytes),
    /// `multipart/form-data`.
    Multipart(FormFactory),
}

/// A request ready to be sent (and re-sent on retry).
pub(crate) struct Outgoing<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub body: Option<RequestBody>,
    /// For messages: `GET /credits/balance`.
    pub label: &'a str,
}

pub(crate) struct Transport {
    /// Only to scrub it from error texts that echo it.
    key: ApiKey,
    http: reqwest::Client,
    base_url: String,
    /// `base_url` parsed once: parsing it for every call (its host through
    /// IDNA) cost more than all the rest of the SDK's per-call bookkeeping.
    base: Url,
    headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    /// Pools for per-request connect timeouts other than the client's,
    /// built on first use (reqwest fixes the connect timeout per pool).
    other_pools: Mutex<HashMap<Duration, reqwest::Client>>,
    tls: Arc<rustls::ClientConfig>,
}

impl Transport {
    pub(crate) fn new(
        key: &ApiKey,
        base_url: String,
        user_agent: HeaderValue,
        extra: Vec<(HeaderName, HeaderValue)>,
        timeout: Duration,
        connect_timeout: Duration,
        max_retries: u32,
    ) -> Result<Self, Error> {
        let mut headers = HeaderMap::new();
        for (name, value) in extra {
            headers.append(name, value);
        }
        headers.insert(header::AUTHORIZATION, key.bearer());
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(header::USER_AGENT, user_agent);
        let tls = Arc::new(tls_config()?);
        let http = build_pool(&tls, connect_timeout)?;
        let base = Url::parse(&base_url).map_err(|e| Error::config(format!("invalid base URL: {e}")))?;
        Ok(Transport {
            key: key.clone(),
            http,
            base_url,
            base,
            headers,
            timeout,
            connect_timeout,
            max_retries,
            other_pools: Mutex::new(HashMap::new()),
            tls,
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

    fn pool(&self, connect_timeout: Option<Duration>) -> Result<reqwest::Client, Error> {
        match connect_timeout {
            Some(t) if t != self.connect_timeout => {
                let mut pools = self.other_pools.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(pool) = pools.get(&t) {
                    return Ok(pool.clone());
                }
                let pool = build_pool(&self.tls, t)?;
                pools.insert(t, pool.clone());
                Ok(pool)
            }
            _ => Ok(self.http.clone()),
        }
    }

    /// Sends the request, retrying within the billing-safe policy, and
    /// returns the successful response, body read, or the final error.
    pub(crate) async fn send(&self, req: Outgoing<'_>, opts: &RequestOptions) -> Result<RawResponse, Error> {
        self.send_with(req, opts, |response| async move {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok(RawResponse {
                status,
                headers,
                body,
            })
        })
        .await
    }

    /// Like [`Transport::send`] but returns once the headers of a successful
    /// response are in; the caller streams the body (downloads).
    pub(crate) async fn send_streaming(
        &self,
        req: Outgoing<'_>,
        opts: &RequestOptions,
    ) -> Result<reqwest::Response, Error> {
        self.send_with(req, opts, |response| async move { Ok(response) })
            .await
    }

    /// The retry loop. `finish` completes a successful attempt (e.g. reads
    /// the body) within the attempt's timeout, so its failures are retried
    /// like any other.
    async fn send_with<T, F, Fut>(
        &self,
        req: Outgoing<'_>,
        opts: &RequestOptions,
        finish: F,
    ) -> Result<T, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T, reqwest::Error>>,
    {
        if opts.timeout.is_some_and(|t| t.is_zero()) || opts.connect_timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::config(
                "timeout and connect_timeout must be greater than zero",
            ));
        }
        let timeout = opts.timeout.unwrap_or(self.timeout);
        let max_retries = opts.max_retries.unwrap_or(self.max_retries);
        if opts.headers.iter().any(|(name, _)| name == header::AUTHORIZATION) {
            return Err(Error::config(
                "the Authorization header is set from the API key and cannot be given as a per-request header",
            ));
        }
        let pool = self.pool(opts.connect_timeout)?;
        let mut url = self.url_for(req.path, req.label)?;
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter());
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

        let mut retries = 0u32;
        loop {
            let started = Instant::now();
            let body = match &req.body {
                None => None,
                Some(RequestBody::Json(bytes)) => Some(reqwest::Body::from(bytes.clone())),
                Some(RequestBody::Multipart(_)) => None,
            };
            let form = match &req.body {
                Some(RequestBody::Multipart(factory)) => Some(factory()?),
                _ => None,
            };
            let attempt = tokio::time::timeout(timeout, async {
                match self.attempt(&pool, &url, &req, body, form, opts).await? {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        Ok(Ok((status, finish(response).await?)))
                    }
                    Err(api) => Ok(Err(api)),
                }
            })
            .await;
            let (failure, error, retry_after) = match attempt {
                Ok(Ok(Ok((status, response)))) => {
                    log_attempt(&req, &url, Ok(status), started.elapsed(), retries + 1);
                    return Ok(response);
                }
                Ok(Ok(Err(api))) => {
                    let (status, retry_after) = (api.status, api.retry_after);
                    (Failure::Status(status), Error::from(api), retry_after)
                }
                Ok(Err(e)) => {
                    let (failure, err) = classify(e, req.label, &url, started.elapsed());
                    (failure, err, None)
                }
                Err(_) => (
                    Failure::Timeout,
                    Error::Timeout {
                        message: format!(
                            "{} timed out after {} (the whole request, reading the body included)",
                            req.label,
                            human(timeout)
                        ),
                    },
                    None,
                ),
            };
            let too_long = retry_after.is_some_and(|d| d > MAX_RETRY_AFTER);
            let retry = retries < max_retries && !too_long && retry::is_retryable(req.method, failure);
            log_attempt(&req, &url, Err(&failure), started.elapsed(), retries + 1);
            if !retry {
                return Err(with_attempts(error, retries + 1).redacted(&self.key));
            }
            let delay = retry::backoff(retries, retry_after);
            log::debug!(target: "lasso", "{} {}: retrying in {} ms", req.method, url.path(), delay.as_millis());
            tokio::time::sleep(delay).await;
            retries += 1;
        }
    }

    /// One attempt up to the response headers: `Ok(Ok)` a success status,
    /// `Ok(Err)` an error status (its body read, capped), `Err` a transport failure.
    async fn attempt(
        &self,
        pool: &reqwest::Client,
        url: &Url,
        req: &Outgoing<'_>,
        body: Option<reqwest::Body>,
        form: Option<reqwest::multipart::Form>,
        opts: &RequestOptions,
    ) -> Result<Result<reqwest::Response, ApiError>, reqwest::Error> {
        // Per-request headers replace the client's of the same name (the last one given wins).
        let mut headers = self.headers.clone();
        for (name, value) in &opts.headers {
            headers.insert(name.clone(), value.clone());
        }
        let mut builder = pool.request(req.method.clone(), url.clone()).headers(headers);
        if let Some(body) = body {
            builder = builder
                .header(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }
        if let Some(form) = form {
            builder = builder.multipart(form);
        }
        let response = builder.send().await?;
        let status = response.status();
        if status.is_success() {
            return Ok(Ok(response));
        }
        let headers = response.headers().clone();
        let body = read_capped(response, ERROR_BODY_LIMIT).await?;
        let retry_after = retry::retry_after(&headers);
        Ok(Err(ApiError::from_response(status, &headers, &body, retry_after)))
    }
}

/// One DEBUG line per attempt on the `lasso` log target: method, path,
/// outcome, elapsed time and attempt number. Never the key, never a body.
fn log_attempt(
    req: &Outgoing<'_>,
    url: &Url,
    outcome: Result<u16, &Failure>,
    elapsed: Duration,
    attempt: u32,
) {
    if !log::log_enabled!(target: "lasso", log::Level::Debug) {
        return;
    }
    let outcome = match outcome {
        Ok(status) => status.to_string(),
        Err(Failure::Status(status)) => status.to_string(),
        Err(Failure::NotSent) => "connection failed (not sent)".to_owned(),
        Err(Failure::Connection) => "connection failed".to_owned(),
        Err(Failure::Timeout) => "timed out".to_owned(),
    };
    log::debug!(
        target: "lasso",
        "{} {} -> {outcome} in {:.1} ms (attempt {attempt})",
        req.method,
        url.path(),
        elapsed.as_secs_f64() * 1000.0
    );
}

/// Reads at most `limit` bytes of the body; a larger body is cut (and its
/// connection dropped) so a huge error page cannot exhaust memory.
async fn read_capped(response: reqwest::Response, limit: usize) -> Result<Vec<u8>, reqwest::Error> {
    let mut out = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = limit - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// Maps a reqwest failure to the retry class and the user-facing error.
fn classify(e: reqwest::Error, label: &str, url: &Url, elapsed: Duration) -> (Failure, Error) {
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => "the server".to_owned(),
    };
    let cause = root_cause(&e);
    if e.is_connect() {
        if e.is_timeout() || cause.contains("timed out") {
            let message = format!("{label}: connecting to {host} timed out after {}", human(elapsed));
            return (Failure::NotSent, Error::Timeout { message });
        }
        let message = format!("{label}: could not connect to {host}: {cause}");
        return (
            Failure::NotSent,
            Error::Connection {
                message,
                not_sent: true,
            },
        );
    }
    if e.is_timeout() {
        let message = format!("{label} timed out after {}", human(elapsed));
        return (Failure::Timeout, Error::Timeout { message });
    }
    if e.is_redirect() {
        return (
            Failure::Status(0),
            Error::Connection {
                message: format!("{label}: {cause}"),
                not_sent: false,
            },
        );
    }
    let message = format!("{label}: the connection to {host} failed before a complete response: {cause}");
    (
        Failure::Connection,
        Error::Connection {
            message,
            not_sent: false,
        },
    )
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
        Error::Connection { message, not_sent } => Error::Connection {
            message: message + &suffix,
            not_sent,
        },
        Error::Timeout { message } => Error::Timeout {
            message: message + &suffix,
        },
        other => other,
    }
}

fn human(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{secs:.1} s")
    }
}

/// TLS with the ring provider and the platform's trust store, configured per
/// client so that the host application's process-wide rustls default is
/// neither needed nor changed.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config(format!("TLS setup failed: {e}")))?
        .with_platform_verifier()
        .map_err(|e| {
            Error::config(format!(
                "TLS setup failed: cannot load the system's trusted certificates: {e}"
            ))
        })?
        .with_no_client_auth();
    Ok(config)
}

fn build_pool(tls: &Arc<rustls::ClientConfig>, connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .tls_backend_preconfigured((**tls).clone())
        .connect_timeout(connect_timeout)
        .redirect(redirect_policy())
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true)
        .build()
        .map_err(|e| Error::config(format!("cannot build the HTTP client: {}", root_cause(&e))))
}

/// Follows up to five redirects. reqwest drops `Authorization` when the host
/// or port changes; this policy also refuses any redirect onto plain HTTP
/// (except loopback to loopback), so the key never travels in clear.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = &attempt.previous()[0];
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("too many redirects (more than {MAX_REDIRECTS})"))
        } else if attempt.url().scheme() == "http"
            && (first.scheme() != "http" || !is_loopback(attempt.url()))
        {
            let url = format!("http://{}", attempt.url().host_str().unwrap_or(""));
            attempt.error(format!(
                "refused a redirect to {url}: the API key must not travel over plain HTTP"
            ))
        } else {
            attempt.follow()
        }
    })
}
