//! Reading JSON request bodies and query values field by field, so that every
//! mistake gets an error naming the field: `422 validation_error` for body fields,
//! `400 invalid_request` for query parameters and malformed JSON.

use axum::body::Bytes;
use serde_json::{Map, Value};

use crate::errors::{ApiError, Result};

/// The body as a JSON object. An empty body counts as `{}` so that a missing body
/// reports the first missing required field.
pub fn object(body: &Bytes) -> Result<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_request("Request body must be a JSON object")),
        Err(err) => Err(ApiError::invalid_request(format!(
            "Request body is not valid JSON: {err}"
        ))),
    }
}

/// Name of a field for messages: `attributes[2].key` inside a bulk request.
pub fn field_name(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// 422 for the first field not in `allowed`.
pub fn reject_unknown(map: &Map<String, Value>, allowed: &[&str], prefix: &str) -> Result<()> {
    match map.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(ApiError::validation(format!(
            "Unknown field: {}",
            field_name(prefix, key)
        ))),
        None => Ok(()),
    }
}

pub fn missing(name: &str) -> ApiError {
    ApiError::validation(format!("Missing required field: {name}"))
}

pub fn invalid(name: &str, expected: &str) -> ApiError {
    ApiError::validation(format!("Invalid field {name}: must be {expected}"))
}

/// A required string (non-empty after trimming).
pub fn required_str(map: &Map<String, Value>, key: &str, prefix: &str) -> Result<String> {
    match map.get(key) {
        None | Some(Value::Null) => Err(missing(&field_name(prefix, key))),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(invalid(&field_name(prefix, key), "a non-empty string")),
        Some(_) => Err(invalid(&field_name(prefix, key), "a string")),
    }
}

/// An optional non-empty string; `null` counts as absent.
pub fn optional_str(map: &Map<String, Value>, key: &str, prefix: &str) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(invalid(&field_name(prefix, key), "a non-empty string")),
        Some(_) => Err(invalid(&field_name(prefix, key), "a string")),
    }
}

/// A field that may be absent (outer `None`), `null` (`Some(None)`) or a string.
pub fn nullable_str(map: &Map<String, Value>, key: &str, prefix: &str) -> Result<Option<Option<String>>> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(_) => Err(invalid(&field_name(prefix, key), "a string or null")),
    }
}

pub fn optional_bool(map: &Map<String, Value>, key: &str, prefix: &str) -> Result<Option<bool>> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(invalid(&field_name(prefix, key), "a boolean")),
    }
}

/// Absent, `null` or an array of strings.
pub fn nullable_strings(
    map: &Map<String, Value>,
    key: &str,
    prefix: &str,
) -> Result<Option<Option<Vec<String>>>> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(|values| Some(Some(values)))
            .ok_or_else(|| invalid(&field_name(prefix, key), "an array of strings")),
        Some(_) => Err(invalid(&field_name(prefix, key), "an array of strings or null")),
    }
}

/// Absent, `null` or an object.
pub fn nullable_object(
    map: &Map<String, Value>,
    key: &str,
    prefix: &str,
) -> Result<Option<Option<Map<String, Value>>>> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::Object(o)) => Ok(Some(Some(o.clone()))),
        Some(_) => Err(invalid(&field_name(prefix, key), "an object or null")),
    }
}

/// A bounded integer query parameter: 400 naming it when not an integer in range.
pub fn query_int(raw: Option<&str>, name: &str, default: u64, min: u64, max: u64) -> Result<u64> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    raw.trim()
        .parse::<u64>()
        .ok()
        .filter(|value| (min..=max).contains(value))
        .ok_or_else(|| {
            ApiError::invalid_request(format!(
                "Invalid query parameter '{name}': must be an integer between {min} and {max}, got '{raw}'"
            ))
        })
}

/// A query parameter restricted to a set of values.
pub fn query_enum<'a>(raw: Option<&'a str>, name: &str, allowed: &[&str]) -> Result<Option<&'a str>> {
    match raw {
        None => Ok(None),
        Some(value) if allowed.contains(&value) => Ok(Some(value)),
        Some(value) => Err(ApiError::invalid_request(format!(
            "Invalid query parameter '{name}': must be one of {}, got '{value}'",
            allowed.join(", ")
        ))),
    }
}
