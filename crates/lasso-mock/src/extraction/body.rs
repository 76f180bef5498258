//! Request-body and path helpers: every problem becomes a standard envelope whose
//! message names the field (`422 validation_error`), and unparsable JSON is a `400`.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use serde_json::{Map, Value};

use crate::errors::ApiError;

/// Largest JSON body accepted (source texts and 1000-row inserts fit easily).
pub const MAX_JSON_BODY: usize = 64 << 20;

/// Reads a JSON object body. An empty body counts as `{}` so that missing fields are
/// reported by name.
pub async fn read_object(body: Body) -> Result<Map<String, Value>, ApiError> {
    let bytes = axum::body::to_bytes(body, MAX_JSON_BODY).await.map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body exceeds {} MB", MAX_JSON_BODY >> 20),
        )
    })?;
    parse_object(&bytes)
}

pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_request("Request body must be a JSON object")),
        Err(err) => Err(ApiError::invalid_request(format!("Invalid JSON body: {err}"))),
    }
}

pub fn path_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|err| ApiError::invalid_request(err.body_text()))
}

pub fn path_ids(path: Result<Path<(String, String)>, PathRejection>) -> Result<(String, String), ApiError> {
    path.map(|Path(ids)| ids)
        .map_err(|err| ApiError::invalid_request(err.body_text()))
}

pub fn missing(field: &str) -> ApiError {
    ApiError::validation(format!("Missing required field: {field}"))
}

pub fn invalid(field: &str, what: &str) -> ApiError {
    ApiError::validation(format!("Invalid field '{field}': {what}"))
}

/// Typed access to the fields of a JSON object body.
pub struct Fields<'a>(pub &'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// The value, treating `null` as absent.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|value| !value.is_null())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn req_str(&self, name: &str) -> Result<&'a str, ApiError> {
        self.opt_str(name)?.ok_or_else(|| missing(name))
    }

    /// A required string that is not blank.
    pub fn req_text(&self, name: &str) -> Result<&'a str, ApiError> {
        let text = self.req_str(name)?;
        if text.trim().is_empty() {
            return Err(invalid(name, "must not be empty"));
        }
        Ok(text)
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(invalid(name, "must be a string")),
        }
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(invalid(name, "must be a boolean")),
        }
    }

    /// An optional integer within `min..=max`.
    pub fn opt_int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .filter(|n| (min..=max).contains(n))
                .map(Some)
                .ok_or_else(|| invalid(name, &format!("must be an integer between {min} and {max}"))),
        }
    }

    pub fn opt_array(&self, name: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(invalid(name, "must be an array")),
        }
    }

    pub fn req_array(&self, name: &str) -> Result<&'a Vec<Value>, ApiError> {
        self.opt_array(name)?.ok_or_else(|| missing(name))
    }

    pub fn opt_object(&self, name: &str) -> Result<Option<&'a Map<String, Value>>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(invalid(name, "must be an object")),
        }
    }

    pub fn req_object(&self, name: &str) -> Result<&'a Map<String, Value>, ApiError> {
        self.opt_object(name)?.ok_or_else(|| missing(name))
    }

    /// A required array of strings with `min..=max` items.
    pub fn req_str_list(&self, name: &str, min: usize, max: usize) -> Result<Vec<&'a str>, ApiError> {
        let items = self.req_array(name)?;
        str_list(name, items, min, max)
    }

    /// An optional `webhook_url`: an absolute http(s) URL.
    pub fn opt_url(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        let Some(url) = self.opt_str(name)? else {
            return Ok(None);
        };
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
            .unwrap_or("");
        if rest.is_empty() || rest.starts_with('/') || url.contains(char::is_whitespace) {
            return Err(invalid(name, "must be an absolute http(s) URL"));
        }
        Ok(Some(url))
    }
}

pub fn str_list<'a>(
    name: &str,
    items: &'a [Value],
    min: usize,
    max: usize,
) -> Result<Vec<&'a str>, ApiError> {
    if items.len() < min || items.len() > max {
        let what = if min == max {
            format!("must contain exactly {min} item(s)")
        } else {
            format!("must contain between {min} and {max} items")
        };
        return Err(invalid(name, &what));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str()
                .ok_or_else(|| invalid(&format!("{name}[{i}]"), "must be a string"))
        })
        .collect()
}
