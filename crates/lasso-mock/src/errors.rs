//! The one error type of the emulator: the standard envelope `{status_code,
//! error_type, message, request_id}` (lasso-api.md §1.4), plus the newer optional
//! top-level fields (`code`, `retryable`, `current_updated_at`, `attribute_key`, …)
//! where an error carries them.

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// An error answered with the standard envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: Cow<'static, str>,
    /// Extra top-level fields, after the four standard ones.
    pub extra: Map<String, Value>,
}

pub type Result<T> = std::result::Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            extra: Map::new(),
        }
    }

    /// 400: a malformed request or an invalid query value.
    pub fn invalid_request(message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthenticated(message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, message)
    }

    pub fn not_found(message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn conflict(message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, message)
    }

    /// 422: a body field is missing or invalid.
    pub fn validation(message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub fn internal(message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// 409 `stale_write`: an `expected_updated_at` compare-and-set failed.
    pub fn stale_write(resource: &str, current_updated_at: &str) -> ApiError {
        ApiError::conflict(format!("{resource} was modified; refetch it before retrying"))
            .code("stale_write")
            .with("current_updated_at", current_updated_at)
    }

    /// Adds (or replaces) a top-level field.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> ApiError {
        self.extra.insert(name.to_owned(), value.into());
        self
    }

    /// Adds the detail `code` and `retryable: false`.
    pub fn code(self, code: &str) -> ApiError {
        self.with("code", code).with("retryable", false)
    }
}

/// `error_type` for a status. Statuses the docs do not name fall back to the generic
/// type of their class, so an injected 418 or 502 still gets a valid envelope.
pub fn error_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "unauthenticated",
        402 => "insufficient_credits",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        422 => "validation_error",
        429 => "rate_limited",
        503 => "service_unavailable",
        // 400 itself and any other client error.
        400..=499 => "invalid_request",
        _ => "internal_error",
    }
}

/// A plausible message for a status, used when a fault is injected without a body.
pub fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Invalid request",
        401 => "Invalid or deactivated API key",
        402 => "Insufficient credits",
        403 => "API key lacks permission for this action",
        404 => "Resource not found",
        409 => "Conflict with the current state of the resource",
        422 => "Validation failed",
        429 => "Rate limit exceeded",
        503 => "Service temporarily unavailable",
        _ => "Internal server error",
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    status_code: u16,
    error_type: &'a str,
    message: &'a str,
    request_id: &'a str,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

/// Serialises the envelope with a fresh UUID v4 `request_id` and no extra fields.
pub fn envelope_json(status: StatusCode, message: &str) -> Vec<u8> {
    envelope(status, message, &Map::new())
}

fn envelope(status: StatusCode, message: &str, extra: &Map<String, Value>) -> Vec<u8> {
    let mut id_buf = Uuid::encode_buffer();
    let request_id = Uuid::new_v4().hyphenated().encode_lower(&mut id_buf);
    let envelope = Envelope {
        status_code: status.as_u16(),
        error_type: error_type(status),
        message,
        request_id,
        extra,
    };
    // Strings, an integer and JSON values: serialisation cannot fail.
    serde_json::to_vec(&envelope).unwrap_or_default()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = envelope(self.status, &self.message, &self.extra);
        let mut response = (self.status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_types() {
        let cases = [
            (400, "invalid_request"),
            (401, "unauthenticated"),
            (402, "insufficient_credits"),
            (403, "forbidden"),
            (404, "not_found"),
            (409, "conflict"),
            (422, "validation_error"),
            (429, "rate_limited"),
            (500, "internal_error"),
            (503, "service_unavailable"),
            (418, "invalid_request"),
            (502, "internal_error"),
        ];
        for (code, expected) in cases {
            assert_eq!(error_type(StatusCode::from_u16(code).unwrap()), expected);
        }
    }

    #[test]
    fn envelope_has_four_fields() {
        let body = envelope_json(StatusCode::NOT_FOUND, "Table not found: x");
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["status_code"], 404);
        assert_eq!(value["error_type"], "not_found");
        assert_eq!(value["message"], "Table not found: x");
        let id = Uuid::parse_str(value["request_id"].as_str().unwrap()).unwrap();
        assert_eq!(id.get_version_num(), 4);
        assert_eq!(value.as_object().unwrap().len(), 4);
    }

    #[test]
    fn extra_fields_follow_the_standard_ones() {
        let err = ApiError::conflict("Stale")
            .code("stale_write")
            .with("attribute_key", "sku");
        let body = axum::body::to_bytes(err.into_response().into_body(), usize::MAX);
        let body = futures_util::FutureExt::now_or_never(body).unwrap().unwrap();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "status_code",
                "error_type",
                "message",
                "request_id",
                "code",
                "retryable",
                "attribute_key"
            ]
        );
        assert_eq!(value["retryable"], false);
    }
}
