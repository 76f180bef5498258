//! Errors with the standard envelope plus the newer optional fields (`code`,
//! `retryable`, `current_updated_at`, `attribute_key`, …; lasso-api.md §1.4). The
//! plain [`ApiError`] carries a message only; this one carries extra top-level fields.

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::errors::{error_type, ApiError};

/// An error response: the four standard fields and any extra ones.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    pub message: Cow<'static, str>,
    pub extra: Map<String, Value>,
}

pub type Result<T> = std::result::Result<T, Problem>;

impl Problem {
    pub fn new(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Problem {
        Problem {
            status,
            message: message.into(),
            extra: Map::new(),
        }
    }

    /// 400 `invalid_request`: malformed request or invalid query value.
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, message)
    }

    /// 422 `validation_error`: a body field is missing or invalid.
    pub fn validation(message: impl Into<Cow<'static, str>>) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, message)
    }

    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Problem {
        Problem::new(StatusCode::CONFLICT, message)
    }

    /// Adds (or replaces) a top-level field.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Problem {
        self.extra.insert(name.to_owned(), value.into());
        self
    }

    /// Adds the detail `code` and `retryable: false`.
    pub fn code(self, code: &str) -> Problem {
        self.with("code", code).with("retryable", false)
    }

    pub fn to_json(&self) -> Value {
        let mut body = Map::new();
        body.insert("status_code".into(), self.status.as_u16().into());
        body.insert("error_type".into(), error_type(self.status).into());
        body.insert("message".into(), Value::String(self.message.to_string()));
        body.insert("request_id".into(), Uuid::new_v4().to_string().into());
        for (name, value) in &self.extra {
            body.insert(name.clone(), value.clone());
        }
        Value::Object(body)
    }
}

impl From<ApiError> for Problem {
    fn from(err: ApiError) -> Problem {
        Problem::new(err.status, err.message)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.to_json()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}
