//! Answers for requests that match no operation, in the standard envelope.

use axum::extract::OriginalUri;
use axum::http::Method;

use crate::errors::ApiError;

/// A known path with a method it does not support: the API answers 400, not 405.
pub async fn wrong_method(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::invalid_request(format!("Method {method} is not supported for {}", uri.path()))
}

pub async fn unknown_route(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!("Route not found: {method} {}", uri.path()))
}
