//! What a matching request gets: the canned response of a fault, or the damaged one.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::damage::{buffer, reset_before};
use super::kind::{BodyKind, Kind};
use super::queue::Closing;
use crate::conn::ConnKill;
use crate::errors::{default_message, envelope_json};

pub(super) const JSON: &str = "application/json";
pub(super) const HTML: &str = "text/html; charset=utf-8";

/// What a matching request gets; shared so taking it out of the queue is cheap.
#[derive(Debug)]
pub struct FaultAction {
    pub(super) kind: Kind,
    pub(super) status: StatusCode,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) body: Option<String>,
    pub(super) body_kind: Option<BodyKind>,
    pub(super) delay: Duration,
    pub(super) send_bytes: Option<u64>,
    pub(super) size_bytes: u64,
    pub(super) execute: bool,
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

    pub(super) fn add_headers(&self, headers: &mut HeaderMap) {
        // User headers last, so they can override the content type too.
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// Status, content type and body without the user headers.
    pub(super) fn canned(&self) -> Response {
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
}

pub(super) fn status_line(status: StatusCode) -> String {
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
