//! Fault injection: queued canned responses that replace the next matching API calls,
//! so SDK tests can exercise retries, backoff and error mapping deterministically.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::errors::{default_message, envelope_json};
use crate::API_PREFIX;

/// Upper bound for `delay_ms`, so a typo cannot hang a test suite for hours.
const MAX_DELAY_MS: u64 = 300_000;

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

/// The canned response of a fault; shared so taking it out of the queue is cheap.
#[derive(Debug)]
pub struct FaultAction {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<String>,
    delay: Duration,
}

impl FaultAction {
    pub fn delay(&self) -> Duration {
        self.delay
    }

    pub fn response(&self) -> Response {
        let body = match &self.body {
            Some(body) => body.clone().into_bytes(),
            None if self.status.as_u16() >= 400 => {
                let message = format!("{} (injected by lasso-mock)", default_message(self.status));
                envelope_json(self.status, &message)
            }
            // These statuses must not carry a body.
            None if matches!(self.status.as_u16(), 204 | 205 | 304) => Vec::new(),
            None => b"{}".to_vec(),
        };
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        // User headers last, so they can override the content type too.
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        response
    }
}

/// One queued fault, as submitted and with its remaining count.
#[derive(Debug)]
pub struct Fault {
    route_text: String,
    route: RoutePattern,
    remaining: u32,
    action: Arc<FaultAction>,
}

impl Fault {
    /// Validates a `POST /__mock/faults` body. Errors name the offending field.
    pub fn from_json(body: &[u8]) -> Result<Fault, String> {
        let value: Value = serde_json::from_slice(body).map_err(|err| format!("Invalid JSON body: {err}"))?;
        let Value::Object(mut fields) = value else {
            return Err("Request body must be a JSON object".into());
        };

        let route_text = match fields.remove("route") {
            None | Some(Value::Null) => return Err("Missing required field: route".into()),
            Some(Value::String(text)) => text,
            Some(_) => {
                return Err(
                    "Invalid field route: expected a string like \"GET /tables/{table_id}\" or \"*\"".into(),
                )
            }
        };
        let route = RoutePattern::parse(&route_text).map_err(|err| format!("Invalid field route: {err}"))?;

        let status = match fields.remove("status") {
            None | Some(Value::Null) => return Err("Missing required field: status".into()),
            Some(value) => value
                .as_u64()
                .and_then(|code| u16::try_from(code).ok())
                .filter(|code| (200..=599).contains(code))
                .and_then(|code| StatusCode::from_u16(code).ok())
                .ok_or("Invalid field status: expected an integer HTTP status between 200 and 599")?,
        };

        let times = match fields.remove("times") {
            None | Some(Value::Null) => 1,
            Some(value) => value
                .as_u64()
                .filter(|&n| n >= 1)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("Invalid field times: expected a positive integer")?,
        };

        let delay_ms = match fields.remove("delay_ms") {
            None | Some(Value::Null) => 0,
            Some(value) => value.as_u64().filter(|&ms| ms <= MAX_DELAY_MS).ok_or_else(|| {
                format!("Invalid field delay_ms: expected an integer from 0 to {MAX_DELAY_MS}")
            })?,
        };

        let headers = match fields.remove("headers") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(map)) => parse_headers(map)?,
            Some(_) => return Err("Invalid field headers: expected an object of strings".into()),
        };

        let body = match fields.remove("body") {
            None | Some(Value::Null) => None,
            Some(Value::String(raw)) => Some(raw),
            // Convenience: a JSON value is sent as its serialisation.
            Some(other) => Some(other.to_string()),
        };

        if let Some(unknown) = fields.keys().next() {
            return Err(format!(
                "Unknown field: {unknown} (expected route, times, status, headers, body, delay_ms)"
            ));
        }

        Ok(Fault {
            route_text,
            route,
            remaining: times,
            action: Arc::new(FaultAction {
                status,
                headers,
                body,
                delay: Duration::from_millis(delay_ms),
            }),
        })
    }

    fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .action
            .headers
            .iter()
            .map(|(name, value)| {
                let value = value.to_str().unwrap_or_default();
                (name.as_str().to_owned(), Value::from(value))
            })
            .collect();
        json!({
            "route": self.route_text,
            "times": self.remaining,
            "status": self.action.status.as_u16(),
            "headers": headers,
            "body": self.action.body,
            "delay_ms": self.action.delay.as_millis() as u64,
        })
    }
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

/// FIFO of faults. `len` mirrors the queue length so the common case (no faults)
/// costs one atomic load and never touches the mutex.
#[derive(Default)]
pub struct FaultQueue {
    len: AtomicUsize,
    queue: Mutex<VecDeque<Fault>>,
}

impl FaultQueue {
    pub fn push(&self, fault: Fault) {
        let mut queue = self.lock();
        queue.push_back(fault);
        self.len.store(queue.len(), Ordering::Release);
    }

    /// Consumes one use of the first fault matching the request, if any.
    pub fn take(&self, method: &Method, path: &str) -> Option<Arc<FaultAction>> {
        if self.len.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut queue = self.lock();
        let index = queue.iter().position(|f| f.route.matches(method, path))?;
        let fault = &mut queue[index];
        let action = Arc::clone(&fault.action);
        fault.remaining -= 1;
        if fault.remaining == 0 {
            queue.remove(index);
            self.len.store(queue.len(), Ordering::Release);
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
}
