//! Fault injection: queued faults that replace (or damage) the responses of the next
//! matching API calls, so SDK tests can exercise retries, timeouts, backoff and error
//! mapping deterministically.
//!
//! A fault has a `kind`: a canned HTTP response (`status`, `slow_headers`,
//! `truncated_json`, `wrong_content_type`, `oversized`) or a broken connection
//! (`reset_before`, `reset_after_headers`, `stall_body`). It applies `times` times, or
//! at random with a seeded `probability`. By default the operation does not run; with
//! `execute: true` it runs first and the fault then replaces or damages its answer.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Map, Value};
use tokio::sync::watch;

use crate::conn::ConnKill;
use crate::errors::{default_message, envelope_json};
use crate::API_PREFIX;

/// Upper bound for `delay_ms`, so a typo cannot hang a test suite for hours.
const MAX_DELAY_MS: u64 = 300_000;
/// Default body size of `oversized`: 10 MiB.
const DEFAULT_OVERSIZED_BYTES: u64 = 10 * 1024 * 1024;
/// Upper bound of `size_bytes`.
const MAX_OVERSIZED_BYTES: u64 = 1 << 30;
/// Largest real response body that `execute` faults buffer to damage it.
const MAX_BUFFERED_BODY: usize = 256 * 1024 * 1024;
/// Pause between the last bytes sent and a connection drop, so they leave the socket
/// (and reach the client) before the reset.
const FLUSH_PAUSE: Duration = Duration::from_millis(50);

const JSON: &str = "application/json";
const HTML: &str = "text/html; charset=utf-8";

/// What a fault does to the request it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A canned response: any status, headers and body.
    Status,
    /// The connection is reset before any byte of the response.
    ResetBefore,
    /// Status and headers announcing the whole body, part of it, then a reset.
    ResetAfterHeaders,
    /// `delay_ms` before anything is sent, then a canned response.
    SlowHeaders,
    /// Headers and part of the body, then nothing for `delay_ms`, then the rest.
    StallBody,
    /// A JSON body cut short, with a Content-Length that matches what is sent.
    TruncatedJson,
    /// A body labelled `text/html`.
    WrongContentType,
    /// A very large (error) body.
    Oversized,
}

const KINDS: &str =
    "status, reset_before, reset_after_headers, slow_headers, stall_body, truncated_json, wrong_content_type, oversized";

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "status" => Kind::Status,
            "reset_before" => Kind::ResetBefore,
            "reset_after_headers" => Kind::ResetAfterHeaders,
            "slow_headers" => Kind::SlowHeaders,
            "stall_body" => Kind::StallBody,
            "truncated_json" => Kind::TruncatedJson,
            "wrong_content_type" => Kind::WrongContentType,
            "oversized" => Kind::Oversized,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Status => "status",
            Kind::ResetBefore => "reset_before",
            Kind::ResetAfterHeaders => "reset_after_headers",
            Kind::SlowHeaders => "slow_headers",
            Kind::StallBody => "stall_body",
            Kind::TruncatedJson => "truncated_json",
            Kind::WrongContentType => "wrong_content_type",
            Kind::Oversized => "oversized",
        }
    }

    /// Fields that this kind takes besides the common ones.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Status | Kind::SlowHeaders => &["status", "headers", "body", "body_kind"],
            Kind::ResetBefore => &[],
            Kind::ResetAfterHeaders | Kind::StallBody => {
                &["status", "headers", "body", "body_kind", "send_bytes"]
            }
            Kind::TruncatedJson => &["status", "headers", "body", "send_bytes"],
            Kind::WrongContentType => &["status", "headers", "body"],
            Kind::Oversized => &["status", "headers", "body_kind", "size_bytes"],
        }
    }

    fn default_status(self) -> StatusCode {
        match self {
            Kind::Oversized => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::OK,
        }
    }

    /// Kinds whose whole point is a body, so they refuse 204, 205 and 304.
    fn needs_body(self) -> bool {
        !matches!(self, Kind::Status | Kind::SlowHeaders | Kind::ResetBefore)
    }
}

/// Fields every kind takes.
const COMMON_FIELDS: [&str; 7] = [
    "route",
    "kind",
    "times",
    "probability",
    "seed",
    "delay_ms",
    "execute",
];

/// Shape of a canned body when `body` is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// The standard error envelope (or `{}` / a filler object for 2xx).
    Json,
    /// A proxy-style HTML page.
    Html,
    /// No body at all.
    Empty,
}

impl BodyKind {
    fn name(self) -> &'static str {
        match self {
            BodyKind::Json => "json",
            BodyKind::Html => "html",
            BodyKind::Empty => "empty",
        }
    }
}

/// What a matching request gets; shared so taking it out of the queue is cheap.
#[derive(Debug)]
pub struct FaultAction {
    kind: Kind,
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<String>,
    body_kind: Option<BodyKind>,
    delay: Duration,
    send_bytes: Option<u64>,
    size_bytes: u64,
    execute: bool,
}

impl FaultAction {
    /// Whether the operation runs first (its response is then replaced or damaged).
    pub fn execute(&self) -> bool {
        self.execute
    }

    /// A plain canned response with nothing to wait for: answered without a task.
    pub fn is_immediate(&self) -> bool {
        self.kind == Kind::Status && self.delay.is_zero() && !self.execute
    }

    /// The fault's answer. `real` is the operation's own response when `execute` is
    /// set. `kill` is the connection's switch; without it (a router served by other
    /// means) resets degrade to an aborted body. `closing` cuts delays and stalls short
    /// when the server shuts down.
    pub async fn respond(
        self: Arc<Self>,
        real: Option<Response>,
        kill: Option<ConnKill>,
        closing: Closing,
    ) -> Response {
        let real = match (self.kind, real) {
            // `slow_headers` with `execute`: the real answer, late.
            (Kind::SlowHeaders, Some(real)) => {
                closing.pause(self.delay).await;
                return real;
            }
            (_, real) => real,
        };
        if self.kind != Kind::StallBody && !self.delay.is_zero() {
            closing.clone().pause(self.delay).await;
        }
        match self.kind {
            Kind::Status | Kind::SlowHeaders => self.response(),
            Kind::ResetBefore => reset_before(kill),
            Kind::Oversized => self.oversized(),
            Kind::WrongContentType => {
                let mut response = match real {
                    Some(real) => real,
                    None => self.canned(),
                };
                self.add_headers(response.headers_mut());
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(HTML));
                response
            }
            Kind::TruncatedJson | Kind::ResetAfterHeaders | Kind::StallBody => {
                let (status, mut headers, body) = match real {
                    Some(real) => buffer(real).await,
                    None => self.canned_parts(),
                };
                self.add_headers(&mut headers);
                self.damaged(status, headers, body, kill, closing)
            }
        }
    }

    /// The canned response of `status` and `slow_headers` (and of the others' body).
    pub fn response(&self) -> Response {
        let mut response = self.canned();
        self.add_headers(response.headers_mut());
        response
    }

    fn add_headers(&self, headers: &mut HeaderMap) {
        // User headers last, so they can override the content type too.
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// Status, content type and body without the user headers.
    fn canned(&self) -> Response {
        let (status, headers, body) = self.canned_parts();
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    }

    fn canned_parts(&self) -> (StatusCode, HeaderMap, Bytes) {
        let status = self.status;
        let mut headers = HeaderMap::new();
        let (content_type, body): (Option<&'static str>, Vec<u8>) = match (&self.body, self.body_kind) {
            (Some(body), _) => (Some(JSON), body.clone().into_bytes()),
            (None, Some(BodyKind::Empty)) => (None, Vec::new()),
            (None, Some(BodyKind::Html)) => (Some(HTML), html_page(status).into_bytes()),
            // `wrong_content_type` without a body: an HTML page in place of the API.
            (None, None) if self.kind == Kind::WrongContentType => {
                (Some(HTML), html_page(status).into_bytes())
            }
            (None, _) if status.as_u16() >= 400 => {
                let message = format!("{} (injected by lasso-mock)", default_message(status));
                (Some(JSON), envelope_json(status, &message))
            }
            // These statuses must not carry a body.
            (None, _) if matches!(status.as_u16(), 204 | 205 | 304) => (Some(JSON), Vec::new()),
            // Faults that cut a body need something worth cutting.
            (None, _) if self.kind.needs_body() => (Some(JSON), filler_json()),
            (None, _) => (Some(JSON), b"{}".to_vec()),
        };
        if let Some(content_type) = content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        (status, headers, Bytes::from(body))
    }

    /// `truncated_json`, `reset_after_headers` and `stall_body` on a complete body.
    fn damaged(
        &self,
        status: StatusCode,
        mut headers: HeaderMap,
        body: Bytes,
        kill: Option<ConnKill>,
        closing: Closing,
    ) -> Response {
        let len = body.len();
        let cut = match self.send_bytes {
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            None => len / 2,
        }
        .min(len.saturating_sub(1));
        headers.remove(header::TRANSFER_ENCODING);
        let (announced, stream_body) = match self.kind {
            Kind::TruncatedJson => {
                headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
                (cut, Body::from(body.slice(..cut)))
            }
            Kind::ResetAfterHeaders => {
                let first = body.slice(..cut);
                let chunks = stream::iter([Ok::<Bytes, io::Error>(first)]).chain(stream::once(async move {
                    tokio::time::sleep(FLUSH_PAUSE).await;
                    if let Some(kill) = kill {
                        kill.kill();
                    }
                    Err(io::Error::new(
                        io::ErrorKind::ConnectionReset,
                        "reset_after_headers fault injected by lasso-mock",
                    ))
                }));
                (len, Body::from_stream(chunks))
            }
            _ => {
                let (first, rest) = (body.slice(..cut), body.slice(cut..));
                let stall = self.delay;
                let chunks = stream::iter([Ok::<Bytes, io::Error>(first)]).chain(stream::once(async move {
                    if closing.pause(stall).await {
                        Ok(rest)
                    } else {
                        Err(io::Error::new(
                            io::ErrorKind::ConnectionAborted,
                            "lasso-mock is shutting down",
                        ))
                    }
                }));
                (len, Body::from_stream(chunks))
            }
        };
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(announced));
        let mut response = Response::new(stream_body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    }

    /// `oversized`: exactly `size_bytes` of body, streamed from a static buffer.
    fn oversized(&self) -> Response {
        let size = self.size_bytes;
        let (content_type, prefix, suffix): (&'static str, Vec<u8>, &'static [u8]) = match self.body_kind {
            Some(BodyKind::Html) => (
                HTML,
                format!(
                    "<!DOCTYPE html>\n<html><head><title>{}</title></head><body><pre>",
                    status_line(self.status)
                )
                .into_bytes(),
                b"</pre></body></html>\n",
            ),
            _ => {
                let message = format!("{} (injected by lasso-mock)", default_message(self.status));
                let mut envelope = envelope_json(self.status, &message);
                envelope.pop(); // the closing brace
                envelope.extend_from_slice(br#","padding":""#);
                (JSON, envelope, br#""}"#)
            }
        };
        let chunks = padded(prefix, suffix, size);
        let mut response = Response::new(Body::from_stream(stream::iter(
            chunks.into_iter().map(Ok::<Bytes, io::Error>),
        )));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
        self.add_headers(headers);
        response
    }
}

/// Ends fault delays and stalls early when the server shuts down, so a stalled
/// response cannot hold up a test's teardown.
#[derive(Clone, Debug)]
pub struct Closing(watch::Receiver<bool>);

impl Closing {
    /// Sleeps for `duration`, or less if the server shuts down meanwhile; returns
    /// whether the whole duration passed.
    async fn pause(mut self, duration: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(duration) => true,
            _ = self.0.wait_for(|closing| *closing) => false,
        }
    }
}

/// `reset_before`: the client gets no byte of a response.
fn reset_before(kill: Option<ConnKill>) -> Response {
    match kill {
        // Hyper's first write fails, it drops the connection, and the drop resets it.
        Some(kill) => {
            kill.kill();
            Response::new(Body::empty())
        }
        // Served without the kill switch: the best left is a body that fails at once.
        None => Response::new(Body::from_stream(stream::once(async {
            Err::<Bytes, io::Error>(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "reset_before fault",
            ))
        }))),
    }
}

/// The operation's response with its body read into memory.
async fn buffer(response: Response) -> (StatusCode, HeaderMap, Bytes) {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, MAX_BUFFERED_BODY)
        .await
        .unwrap_or_default();
    (parts.status, parts.headers, body)
}

fn status_line(status: StatusCode) -> String {
    format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    )
}

/// A page like the ones proxies and load balancers send in place of an API answer.
fn html_page(status: StatusCode) -> String {
    if status.is_success() {
        return "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>\
                <h1>Sign in to continue</h1><form method=\"post\" action=\"/login\">\
                <input name=\"user\"><input name=\"password\" type=\"password\"></form>\
                </body></html>\n"
            .to_owned();
    }
    let line = status_line(status);
    format!(
        "<!DOCTYPE html>\n<html>\n<head><title>{line}</title></head>\n<body>\n\
         <center><h1>{line}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
    )
}

/// A ~1 KB JSON object: the default 2xx body of faults that cut a body.
fn filler_json() -> Vec<u8> {
    let items: Vec<Value> = (1..=12)
        .map(|i| {
            json!({
                "id": format!("item_{i:04}"),
                "name": format!("Injected filler product {i}"),
                "price": 10.0 + f64::from(i) / 4.0,
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "injected_by": "lasso-mock", "data": items })).unwrap_or_default()
}

static PAD: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// `prefix`, padding and `suffix` as chunks of exactly `size` bytes in total.
fn padded(prefix: Vec<u8>, suffix: &'static [u8], size: u64) -> Vec<Bytes> {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    if size <= prefix.len() + suffix.len() {
        let mut all = prefix;
        all.extend_from_slice(suffix);
        all.truncate(size);
        return vec![Bytes::from(all)];
    }
    let mut padding = size - prefix.len() - suffix.len();
    let mut chunks = vec![Bytes::from(prefix)];
    while padding > 0 {
        let n = padding.min(PAD.len());
        chunks.push(Bytes::from_static(&PAD[..n]));
        padding -= n;
    }
    chunks.push(Bytes::from_static(suffix));
    chunks
}

/// One queued fault, as submitted, with its remaining count and its random state.
#[derive(Debug)]
pub struct Fault {
    route_text: String,
    route: RoutePattern,
    /// Uses left; `None` is unlimited (probability faults without `times`).
    remaining: Option<u32>,
    probability: Option<f64>,
    seed: Option<u64>,
    rng: u64,
    action: Arc<FaultAction>,
}

impl Fault {
    /// Validates a `POST /__mock/faults` body. Errors name the offending field.
    pub fn from_json(body: &[u8]) -> Result<Fault, String> {
        let value: Value = serde_json::from_slice(body).map_err(|err| format!("Invalid JSON body: {err}"))?;
        Fault::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Fault, String> {
        let Value::Object(mut fields) = value else {
            return Err("Request body must be a JSON object".into());
        };
        // A field set to null counts as absent.
        fields.retain(|_, value| !value.is_null());

        let kind = match fields.remove("kind") {
            None => Kind::Status,
            Some(Value::String(text)) => {
                Kind::parse(&text).ok_or_else(|| format!("Invalid field kind: must be one of: {KINDS}"))?
            }
            Some(_) => return Err(format!("Invalid field kind: must be one of: {KINDS}")),
        };
        for name in fields.keys() {
            if COMMON_FIELDS.contains(&name.as_str()) || kind.fields().contains(&name.as_str()) {
                continue;
            }
            let known = COMMON_FIELDS
                .iter()
                .chain(
                    [
                        "status",
                        "headers",
                        "body",
                        "body_kind",
                        "send_bytes",
                        "size_bytes",
                    ]
                    .iter(),
                )
                .any(|field| field == name);
            return Err(if known {
                format!("Invalid field {name}: not used by kind {}", kind.name())
            } else {
                format!(
                    "Unknown field: {name} (expected route, kind, times, probability, seed, status, headers, \
                     body, body_kind, delay_ms, send_bytes, size_bytes, execute)"
                )
            });
        }

        let route_text = match fields.remove("route") {
            None => return Err("Missing required field: route".into()),
            Some(Value::String(text)) => text,
            Some(_) => {
                return Err(
                    "Invalid field route: expected a string like \"GET /tables/{table_id}\" or \"*\"".into(),
                )
            }
        };
        let route = RoutePattern::parse(&route_text).map_err(|err| format!("Invalid field route: {err}"))?;

        let status = match fields.remove("status") {
            None if kind == Kind::Status => return Err("Missing required field: status".into()),
            None => kind.default_status(),
            Some(value) => value
                .as_u64()
                .and_then(|code| u16::try_from(code).ok())
                .filter(|code| (200..=599).contains(code))
                .and_then(|code| StatusCode::from_u16(code).ok())
                .ok_or("Invalid field status: expected an integer HTTP status between 200 and 599")?,
        };
        if kind.needs_body() && matches!(status.as_u16(), 204 | 205 | 304) {
            return Err(format!(
                "Invalid field status: kind {} needs a status that carries a body",
                kind.name()
            ));
        }

        let times = match fields.remove("times") {
            None => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .filter(|&n| n >= 1)
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or("Invalid field times: expected a positive integer")?,
            ),
        };

        let probability = match fields.remove("probability") {
            None => None,
            Some(value) => Some(
                value
                    .as_f64()
                    .filter(|p| (0.0..=1.0).contains(p))
                    .ok_or("Invalid field probability: expected a number from 0 to 1")?,
            ),
        };

        let seed = match fields.remove("seed") {
            None => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .ok_or("Invalid field seed: expected a non-negative integer")?,
            ),
        };

        let delay_ms = match fields.remove("delay_ms") {
            None => None,
            Some(value) => Some(value.as_u64().filter(|&ms| ms <= MAX_DELAY_MS).ok_or_else(|| {
                format!("Invalid field delay_ms: expected an integer from 0 to {MAX_DELAY_MS}")
            })?),
        };
        let delay_ms = match kind {
            Kind::SlowHeaders => match delay_ms {
                Some(ms) if ms > 0 => ms,
                _ => {
                    return Err(
                        "Missing required field: delay_ms (kind slow_headers needs a delay above 0)".into(),
                    )
                }
            },
            // A stall lasts until the client gives up, within the bound.
            Kind::StallBody => delay_ms.unwrap_or(MAX_DELAY_MS),
            _ => delay_ms.unwrap_or(0),
        };

        let headers = match fields.remove("headers") {
            None => Vec::new(),
            Some(Value::Object(map)) => parse_headers(map)?,
            Some(_) => return Err("Invalid field headers: expected an object of strings".into()),
        };

        let body = match fields.remove("body") {
            None => None,
            Some(Value::String(raw)) => Some(raw),
            // Convenience: a JSON value is sent as its serialisation.
            Some(other) => Some(other.to_string()),
        };

        let body_kind = match fields.remove("body_kind") {
            None => None,
            Some(Value::String(text)) => Some(match text.as_str() {
                "json" => BodyKind::Json,
                "html" => BodyKind::Html,
                "empty" if !kind.needs_body() => BodyKind::Empty,
                _ if kind.needs_body() => {
                    return Err(format!(
                        "Invalid field body_kind: kind {} takes json or html",
                        kind.name()
                    ))
                }
                _ => return Err("Invalid field body_kind: must be one of: json, html, empty".into()),
            }),
            Some(_) => return Err("Invalid field body_kind: must be one of: json, html, empty".into()),
        };
        if body.is_some() && body_kind.is_some() {
            return Err("Invalid field body_kind: give either body or body_kind, not both".into());
        }

        let send_bytes = match fields.remove("send_bytes") {
            None => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .ok_or("Invalid field send_bytes: expected a non-negative integer")?,
            ),
        };

        let size_bytes = match fields.remove("size_bytes") {
            None => DEFAULT_OVERSIZED_BYTES,
            Some(value) => value
                .as_u64()
                .filter(|&n| n <= MAX_OVERSIZED_BYTES)
                .ok_or_else(|| {
                    format!("Invalid field size_bytes: expected an integer from 0 to {MAX_OVERSIZED_BYTES}")
                })?,
        };

        let execute = match fields.remove("execute") {
            None => false,
            Some(Value::Bool(flag)) => flag,
            Some(_) => return Err("Invalid field execute: expected a boolean".into()),
        };

        // Without a probability a fault applies once unless told otherwise; with one
        // it stays until cleared unless `times` caps it.
        let remaining = match (times, probability) {
            (Some(times), _) => Some(times),
            (None, Some(_)) => None,
            (None, None) => Some(1),
        };

        Ok(Fault {
            route_text,
            route,
            remaining,
            probability,
            seed,
            rng: seed.unwrap_or(0),
            action: Arc::new(FaultAction {
                kind,
                status,
                headers,
                body,
                body_kind,
                delay: Duration::from_millis(delay_ms),
                send_bytes,
                size_bytes,
                execute,
            }),
        })
    }

    /// Whether this fault applies to one more matching request: always for counted
    /// faults, a seeded draw for probability faults.
    fn fires(&mut self) -> bool {
        match self.probability {
            None => true,
            Some(p) => {
                let draw = (splitmix64(&mut self.rng) >> 11) as f64 / (1u64 << 53) as f64;
                draw < p
            }
        }
    }

    fn to_json(&self) -> Value {
        let action = &self.action;
        let mut out = Map::new();
        out.insert("route".into(), Value::from(self.route_text.clone()));
        out.insert("kind".into(), Value::from(action.kind.name()));
        out.insert("times".into(), self.remaining.map_or(Value::Null, Value::from));
        if let Some(p) = self.probability {
            out.insert("probability".into(), Value::from(p));
        }
        if let Some(seed) = self.seed {
            out.insert("seed".into(), Value::from(seed));
        }
        let fields = action.kind.fields();
        if fields.contains(&"status") {
            out.insert("status".into(), Value::from(action.status.as_u16()));
        }
        if fields.contains(&"headers") {
            let headers: Map<String, Value> = action
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = value.to_str().unwrap_or_default();
                    (name.as_str().to_owned(), Value::from(value))
                })
                .collect();
            out.insert("headers".into(), Value::Object(headers));
        }
        if fields.contains(&"body") {
            out.insert(
                "body".into(),
                action.body.clone().map_or(Value::Null, Value::from),
            );
        }
        if let Some(body_kind) = action.body_kind {
            out.insert("body_kind".into(), Value::from(body_kind.name()));
        }
        out.insert("delay_ms".into(), Value::from(action.delay.as_millis() as u64));
        if let Some(n) = action.send_bytes {
            out.insert("send_bytes".into(), Value::from(n));
        }
        if action.kind == Kind::Oversized {
            out.insert("size_bytes".into(), Value::from(action.size_bytes));
        }
        out.insert("execute".into(), Value::from(action.execute));
        Value::Object(out)
    }
}

/// The next value of a SplitMix64 sequence: tiny, seedable, good enough for draws.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn parse_headers(map: Map<String, Value>) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    map.into_iter()
        .map(|(name, value)| {
            let Value::String(value) = value else {
                return Err(format!("Invalid field headers.{name}: expected a string"));
            };
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("Invalid field headers: bad header name {name:?}"))?;
            let header_value = HeaderValue::from_str(&value)
                .map_err(|_| format!("Invalid field headers.{name}: bad header value"))?;
            Ok((header_name, header_value))
        })
        .collect()
}

/// Parses a fault spec: one fault object, an array of them, or `{"faults": [...]}`
/// (the shape `GET /__mock/faults` answers). Errors name the fault's index.
pub fn parse_spec(text: &str) -> Result<Vec<Fault>, String> {
    let value: Value = serde_json::from_str(text).map_err(|err| format!("invalid JSON: {err}"))?;
    let list = match value {
        Value::Array(list) => list,
        Value::Object(mut map) if map.contains_key("faults") && !map.contains_key("route") => {
            match map.remove("faults") {
                Some(Value::Array(list)) => list,
                _ => return Err("\"faults\" must be an array of fault objects".into()),
            }
        }
        other => vec![other],
    };
    list.into_iter()
        .enumerate()
        .map(|(i, value)| Fault::from_value(value).map_err(|err| format!("fault #{i}: {err}")))
        .collect()
}

/// The mix of `--faults-probability P`: the transient failures a retrying client meets
/// in practice (429, 500, 502 with an HTML page, 503, a reset before any response),
/// with conditional probabilities so that the total is exactly `P` and each kind gets
/// an equal share. As with every fault, the operation does not run.
pub fn random_mix(probability: f64, seed: u64) -> Vec<Fault> {
    let mix = [
        json!({"kind": "status", "status": 429, "headers": {"Retry-After": "0"}}),
        json!({"kind": "status", "status": 500}),
        json!({"kind": "status", "status": 502, "body_kind": "html"}),
        json!({"kind": "status", "status": 503}),
        json!({"kind": "reset_before"}),
    ];
    let share = probability / mix.len() as f64;
    mix.into_iter()
        .enumerate()
        .map(|(i, mut fault)| {
            let taken = share * i as f64;
            let p = if taken >= 1.0 {
                0.0
            } else {
                (share / (1.0 - taken)).min(1.0)
            };
            fault["route"] = Value::from("*");
            fault["probability"] = Value::from(p);
            fault["seed"] = Value::from(seed.wrapping_add(i as u64));
            Fault::from_value(fault).expect("the built-in fault mix is valid")
        })
        .collect()
}

/// FIFO of faults. `len` mirrors the queue length so the common case (no faults)
/// costs one atomic load and never touches the mutex.
pub struct FaultQueue {
    len: AtomicUsize,
    queue: Mutex<VecDeque<Fault>>,
    /// Seeds of faults queued without a `seed`: derived from the emulator's seed and
    /// the order of queuing.
    seeds: Mutex<u64>,
    /// Set when the server shuts down (see [`Closing`]).
    closing: watch::Sender<bool>,
}

impl Default for FaultQueue {
    fn default() -> Self {
        FaultQueue::new(0)
    }
}

impl FaultQueue {
    pub fn new(seed: u64) -> FaultQueue {
        FaultQueue {
            len: AtomicUsize::new(0),
            queue: Mutex::new(VecDeque::new()),
            seeds: Mutex::new(seed ^ 0x6c61_7373_6f5f_6661),
            closing: watch::channel(false).0,
        }
    }

    /// Called on shutdown: pending fault delays and stalls end now.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    pub fn closing(&self) -> Closing {
        Closing(self.closing.subscribe())
    }

    /// Whether any fault is queued (one atomic load).
    pub fn is_active(&self) -> bool {
        self.len.load(Ordering::Acquire) != 0
    }

    pub fn push(&self, mut fault: Fault) {
        if fault.seed.is_none() {
            let mut seeds = self.seeds.lock().unwrap_or_else(PoisonError::into_inner);
            fault.rng = splitmix64(&mut seeds);
        }
        let mut queue = self.lock();
        queue.push_back(fault);
        self.len.store(queue.len(), Ordering::Release);
    }

    /// Consumes one use of the first fault that matches the request and fires.
    pub fn take(&self, method: &Method, path: &str) -> Option<Arc<FaultAction>> {
        if !self.is_active() {
            return None;
        }
        let mut queue = self.lock();
        let index = queue
            .iter_mut()
            .position(|f| f.route.matches(method, path) && f.fires())?;
        let fault = &mut queue[index];
        let action = Arc::clone(&fault.action);
        if let Some(remaining) = &mut fault.remaining {
            *remaining -= 1;
            if *remaining == 0 {
                queue.remove(index);
                self.len.store(queue.len(), Ordering::Release);
            }
        }
        Some(action)
    }

    pub fn to_json(&self) -> Value {
        let faults: Vec<Value> = self.lock().iter().map(Fault::to_json).collect();
        json!({ "faults": faults })
    }

    /// Removes every fault and returns how many there were.
    pub fn clear(&self) -> usize {
        let mut queue = self.lock();
        let count = queue.len();
        queue.clear();
        self.len.store(0, Ordering::Release);
        count
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Fault>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Which requests a fault applies to: `*`, `/path`, `METHOD /path` or `METHOD *`,
/// where a `{name}` segment matches any single path segment.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutePattern {
    method: Option<Method>,
    /// `None` matches every path.
    segments: Option<Vec<Segment>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Param,
}

impl RoutePattern {
    pub fn parse(text: &str) -> Result<RoutePattern, String> {
        let text = text.trim();
        let (method, path) = match text.split_once(' ') {
            Some((method, path)) => (Some(parse_method(method)?), path.trim()),
            None => (None, text),
        };
        if path == "*" {
            return Ok(RoutePattern {
                method,
                segments: None,
            });
        }
        if !path.starts_with('/') {
            return Err(format!(
                "path must start with '/' (e.g. \"GET /credits/balance\" or \"*\"), got {path:?}"
            ));
        }
        // Accept paths copied with the API prefix; faults match paths relative to it.
        let path = match path.strip_prefix(API_PREFIX) {
            Some(rest) if rest.starts_with('/') => rest,
            _ => path,
        };
        let segments = path
            .split('/')
            .skip(1)
            .map(|segment| {
                if segment.len() >= 2 && segment.starts_with('{') && segment.ends_with('}') {
                    Segment::Param
                } else {
                    Segment::Literal(segment.to_owned())
                }
            })
            .collect();
        Ok(RoutePattern {
            method,
            segments: Some(segments),
        })
    }

    /// `path` is relative to the API prefix, e.g. `/tables/tbl_1`.
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        if self.method.as_ref().is_some_and(|m| m != method) {
            return false;
        }
        let Some(segments) = &self.segments else {
            return true;
        };
        let Some(rest) = path.strip_prefix('/') else {
            return false;
        };
        let mut actual = rest.split('/');
        for expected in segments {
            match (expected, actual.next()) {
                (Segment::Param, Some(seg)) if !seg.is_empty() => {}
                (Segment::Literal(lit), Some(seg)) if lit == seg => {}
                _ => return false,
            }
        }
        actual.next().is_none()
    }
}

fn parse_method(text: &str) -> Result<Method, String> {
    let upper = text.to_ascii_uppercase();
    if upper.is_empty() || !upper.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("invalid HTTP method {text:?}"));
    }
    Method::from_bytes(upper.as_bytes()).map_err(|_| format!("invalid HTTP method {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> RoutePattern {
        RoutePattern::parse(text).unwrap()
    }

    #[test]
    fn route_patterns() {
        assert!(pattern("*").matches(&Method::POST, "/anything/at/all"));
        assert!(pattern("GET *").matches(&Method::GET, "/x"));
        assert!(!pattern("GET *").matches(&Method::POST, "/x"));
        assert!(pattern("GET /credits/balance").matches(&Method::GET, "/credits/balance"));
        assert!(pattern("get /credits/balance").matches(&Method::GET, "/credits/balance"));
        assert!(!pattern("GET /credits/balance").matches(&Method::POST, "/credits/balance"));
        assert!(pattern("/credits/balance").matches(&Method::DELETE, "/credits/balance"));
        let table = pattern("GET /tables/{table_id}");
        assert!(table.matches(&Method::GET, "/tables/abc"));
        assert!(!table.matches(&Method::GET, "/tables/"));
        assert!(!table.matches(&Method::GET, "/tables"));
        assert!(!table.matches(&Method::GET, "/tables/abc/rows"));
        assert!(pattern("GET /tables/abc").matches(&Method::GET, "/tables/abc"));
        assert!(!pattern("GET /tables/abc").matches(&Method::GET, "/tables/abd"));
        assert!(pattern("GET /api/v1/tables/abc").matches(&Method::GET, "/tables/abc"));
        assert!(RoutePattern::parse("GET tables").is_err());
        assert!(RoutePattern::parse("G3T /x").is_err());
    }

    #[test]
    fn validation_names_the_field() {
        let err = |body: &str| Fault::from_json(body.as_bytes()).unwrap_err();
        assert!(err("{").starts_with("Invalid JSON body"));
        assert_eq!(err("[]"), "Request body must be a JSON object");
        assert_eq!(err(r#"{"route":"*"}"#), "Missing required field: status");
        assert_eq!(err(r#"{"status":429}"#), "Missing required field: route");
        assert!(err(r#"{"route":"*","status":101}"#).contains("status"));
        assert!(err(r#"{"route":"*","status":"429"}"#).contains("status"));
        assert!(err(r#"{"route":"*","status":429,"times":0}"#).contains("times"));
        assert!(err(r#"{"route":"*","status":429,"delay_ms":-1}"#).contains("delay_ms"));
        assert!(err(r#"{"route":"*","status":429,"headers":{"A":1}}"#).contains("headers.A"));
        assert!(err(r#"{"route":"*","status":429,"time":2}"#).contains("time"));
    }

    #[test]
    fn queue_consumes_in_order() {
        let queue = FaultQueue::default();
        let fault = Fault::from_json(br#"{"route":"GET /credits/balance","status":429,"times":2}"#).unwrap();
        queue.push(fault);
        assert!(queue.take(&Method::GET, "/tables/x").is_none());
        assert!(queue.take(&Method::GET, "/credits/balance").is_some());
        assert!(queue.take(&Method::GET, "/credits/balance").is_some());
        assert!(queue.take(&Method::GET, "/credits/balance").is_none());
        assert_eq!(queue.clear(), 0);
    }

    #[test]
    fn kinds_validate_their_fields() {
        let err = |body: &str| Fault::from_json(body.as_bytes()).unwrap_err();
        let ok = |body: &str| Fault::from_json(body.as_bytes()).unwrap();
        assert!(err(r#"{"route":"*","kind":"nope"}"#).contains("kind"));
        assert!(err(r#"{"route":"*","kind":"reset_before","status":500}"#)
            .contains("not used by kind reset_before"));
        assert!(err(r#"{"route":"*","kind":"slow_headers"}"#).contains("delay_ms"));
        assert!(err(r#"{"route":"*","kind":"truncated_json","status":204}"#).contains("status"));
        assert!(err(r#"{"route":"*","status":500,"probability":1.5}"#).contains("probability"));
        assert!(err(r#"{"route":"*","status":500,"body":"x","body_kind":"html"}"#).contains("body_kind"));
        assert!(err(r#"{"route":"*","kind":"oversized","body_kind":"empty"}"#).contains("body_kind"));
        assert!(err(r#"{"route":"*","status":500,"execute":1}"#).contains("execute"));
        let fault = ok(r#"{"route":"*","kind":"reset_before"}"#);
        assert_eq!(fault.remaining, Some(1));
        let fault = ok(r#"{"route":"*","kind":"oversized"}"#);
        assert_eq!(fault.action.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(fault.action.size_bytes, DEFAULT_OVERSIZED_BYTES);
        let fault = ok(r#"{"route":"*","kind":"stall_body"}"#);
        assert_eq!(fault.action.delay, Duration::from_millis(MAX_DELAY_MS));
        // A probability fault stays until cleared unless `times` caps it.
        assert_eq!(
            ok(r#"{"route":"*","status":503,"probability":0.5}"#).remaining,
            None
        );
        assert_eq!(
            ok(r#"{"route":"*","status":503,"probability":0.5,"times":2}"#).remaining,
            Some(2)
        );
        // The listing round-trips.
        let fault =
            ok(r#"{"route":"GET /x","kind":"stall_body","send_bytes":3,"delay_ms":10,"headers":{"A":"b"}}"#);
        let again = Fault::from_value(fault.to_json()).unwrap();
        assert_eq!(again.to_json(), fault.to_json());
    }

    #[test]
    fn specs_take_one_fault_a_list_or_a_listing() {
        assert_eq!(parse_spec(r#"{"route":"*","status":500}"#).unwrap().len(), 1);
        assert_eq!(
            parse_spec(r#"[{"route":"*","status":500},{"route":"*","kind":"reset_before"}]"#)
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            parse_spec(r#"{"faults":[{"route":"*","status":500}]}"#)
                .unwrap()
                .len(),
            1
        );
        assert!(parse_spec(r#"[{"route":"*"}]"#)
            .unwrap_err()
            .starts_with("fault #0"));
        assert!(parse_spec("nope").is_err());
    }

    #[test]
    fn probability_is_seeded_and_about_right() {
        let draws = |seed: u64| {
            let queue = FaultQueue::new(7);
            let body = format!(r#"{{"route":"*","status":503,"probability":0.25,"seed":{seed}}}"#);
            queue.push(Fault::from_json(body.as_bytes()).unwrap());
            (0..4000)
                .map(|_| queue.take(&Method::GET, "/x").is_some())
                .collect::<Vec<bool>>()
        };
        let a = draws(1);
        assert_eq!(a, draws(1));
        assert_ne!(a, draws(2));
        let hits = a.iter().filter(|&&hit| hit).count();
        assert!((850..1150).contains(&hits), "{hits}");
    }

    #[test]
    fn the_random_mix_adds_up() {
        let queue = FaultQueue::new(1);
        for fault in random_mix(0.5, 9) {
            queue.push(fault);
        }
        let mut counts = std::collections::HashMap::new();
        for _ in 0..20_000 {
            let kind = queue.take(&Method::GET, "/x").map(|a| (a.kind, a.status));
            *counts.entry(kind).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 6, "{counts:?}");
        let none = counts[&None];
        assert!((9_500..10_500).contains(&none), "{counts:?}");
        for (kind, count) in counts {
            if kind.is_some() {
                assert!((1_700..2_300).contains(&count), "{kind:?}: {count}");
            }
        }
    }

    #[test]
    fn padding_is_exact() {
        for size in [0u64, 5, 100, 65_536, 200_000] {
            let chunks = padded(b"{\"a\":\"".to_vec(), b"\"}", size);
            let total: usize = chunks.iter().map(Bytes::len).sum();
            assert_eq!(total as u64, size);
        }
    }
}
