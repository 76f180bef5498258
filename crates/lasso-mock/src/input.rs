//! Reading request input so that every mistake gets an error that names it: JSON
//! bodies and their fields (`422 validation_error` naming the field, `400` for a body
//! that is not a JSON object, `413` above 64 MB), path segments and query parameters
//! (`400 invalid_request` naming the parameter). Every route reads its input here.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::clock;
use crate::errors::{ApiError, Result};

/// Largest JSON body accepted (source texts and 1000-row inserts fit easily).
pub const MAX_JSON_BODY: usize = 64 << 20;

/// Longest `from`..`to` range of `credits/stats` and the analytics endpoints, in days.
pub const MAX_RANGE_DAYS: i64 = 1830;

/// A JSON object request body. The content type is not checked, and an empty body
/// counts as `{}` so that a missing body reports the first missing required field.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<JsonObject> {
        let bytes = axum::body::to_bytes(req.into_body(), MAX_JSON_BODY)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("Request body exceeds {} MB", MAX_JSON_BODY >> 20),
                )
            })?;
        parse_object(&bytes).map(JsonObject)
    }
}

fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_request("Request body must be a JSON object")),
        Err(err) => Err(ApiError::invalid_request(format!("Invalid JSON body: {err}"))),
    }
}

/// Path parameters, as axum's `Path`, but a segment that does not decode is a `400`
/// in the standard envelope rather than axum's plain-text rejection.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Path<T>> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|err| ApiError::invalid_request(err.body_text()))
    }
}

/// The decoded query string. A parameter given twice counts with its last value
/// (like most web frameworks); a malformed query string is a `400`.
pub struct Query(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Query> {
        axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(pairs)| Query(pairs))
            .map_err(|err| ApiError::invalid_request(format!("Invalid query string: {}", err.body_text())))
    }
}

/// `400` for a query value: `Invalid query parameter 'limit': must be …, got '…'`.
pub fn invalid_param(name: &str, what: &str, raw: &str) -> ApiError {
    ApiError::invalid_request(format!(
        "Invalid query parameter '{name}': must be {what}, got '{raw}'"
    ))
}

impl Query {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value unless absent or empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|value| !value.is_empty())
    }

    /// A parameter that must be present and not empty.
    pub fn required(&self, name: &str) -> Result<&str> {
        self.text(name)
            .ok_or_else(|| ApiError::invalid_request(format!("Missing required query parameter: {name}")))
    }

    /// A bounded integer, `default` when absent.
    pub fn int(&self, name: &str, default: u64, min: u64, max: u64) -> Result<u64> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        raw.trim()
            .parse::<u64>()
            .ok()
            .filter(|value| (min..=max).contains(value))
            .ok_or_else(|| {
                let range = if max == u64::MAX {
                    format!("an integer >= {min}")
                } else {
                    format!("an integer between {min} and {max}")
                };
                invalid_param(name, &range, raw)
            })
    }

    /// A value from a fixed set, `None` when absent.
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<&str>> {
        match self.get(name) {
            None => Ok(None),
            Some(value) if allowed.contains(&value) => Ok(Some(value)),
            Some(value) => Err(invalid_param(
                name,
                &format!("one of {}", allowed.join(", ")),
                value,
            )),
        }
    }

    /// A required `YYYY-MM-DD` date, as a day number.
    pub fn date(&self, name: &str) -> Result<i64> {
        let raw = self.required(name)?;
        clock::parse_date(raw).ok_or_else(|| invalid_param(name, "a date YYYY-MM-DD", raw))
    }

    /// The required inclusive `from`..`to` date range of the statistics endpoints:
    /// `to` not before `from`, at most [`MAX_RANGE_DAYS`] days.
    pub fn date_range(&self) -> Result<(i64, i64)> {
        let from = self.date("from")?;
        let to = self.date("to")?;
        if to < from {
            return Err(ApiError::invalid_request(
                "Invalid query parameter 'to': must not be before 'from'",
            ));
        }
        if to - from + 1 > MAX_RANGE_DAYS {
            return Err(ApiError::invalid_request(format!(
                "Invalid date range: at most {MAX_RANGE_DAYS} days from 'from' to 'to'"
            )));
        }
        Ok((from, to))
    }
}

pub fn missing(name: &str) -> ApiError {
    ApiError::validation(format!("Missing required field: {name}"))
}

/// `422`: `Invalid field 'columns[2].type': must be one of …`.
pub fn invalid(name: &str, what: &str) -> ApiError {
    ApiError::validation(format!("Invalid field '{name}': {what}"))
}

/// Typed access to the fields of a JSON object. Errors name the field, prefixed for
/// nested objects (`attributes[2].key` inside a bulk request).
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: &'a str,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Fields<'a> {
        Fields { map, prefix: "" }
    }

    /// The fields of an object found at `prefix` (e.g. `columns[3]`).
    pub fn nested(map: &'a Map<String, Value>, prefix: &'a str) -> Fields<'a> {
        Fields { map, prefix }
    }

    /// The name of a field in messages.
    pub fn name(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    pub fn missing(&self, key: &str) -> ApiError {
        missing(&self.name(key))
    }

    pub fn invalid(&self, key: &str, what: &str) -> ApiError {
        invalid(&self.name(key), what)
    }

    /// The value as sent, `null` included.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// The value, treating `null` as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// `422` for the first field not in `allowed`.
    pub fn reject_unknown(&self, allowed: &[&str]) -> Result<()> {
        match self.map.keys().find(|key| !allowed.contains(&key.as_str())) {
            Some(key) => Err(ApiError::validation(format!("Unknown field: {}", self.name(key)))),
            None => Ok(()),
        }
    }

    /// A required string that is not blank.
    pub fn req_text(&self, key: &str) -> Result<&'a str> {
        self.opt_text(key)?.ok_or_else(|| self.missing(key))
    }

    /// An optional string, possibly empty; `null` counts as absent.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.invalid(key, "must be a string")),
        }
    }

    /// An optional string that is not blank; `null` counts as absent.
    pub fn opt_text(&self, key: &str) -> Result<Option<&'a str>> {
        match self.opt_str(key)? {
            Some(text) if text.trim().is_empty() => Err(self.invalid(key, "must not be empty")),
            text => Ok(text),
        }
    }

    /// An optional ISO 8601 date-time, in milliseconds; `null` counts as absent.
    pub fn opt_timestamp(&self, key: &str) -> Result<Option<clock::Millis>> {
        match self.opt_str(key)? {
            None => Ok(None),
            Some(text) => clock::parse_ms(text)
                .map(Some)
                .ok_or_else(|| self.invalid(key, "must be an ISO 8601 date-time")),
        }
    }

    /// An optional string from a fixed set; `null` counts as absent.
    pub fn opt_one_of(&self, key: &str, allowed: &[&str]) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(value)) if allowed.contains(&value.as_str()) => Ok(Some(value)),
            Some(_) => Err(self.invalid(key, &format!("must be one of {}", allowed.join(", ")))),
        }
    }

    pub fn req_one_of(&self, key: &str, allowed: &[&str]) -> Result<&'a str> {
        self.opt_one_of(key, allowed)?.ok_or_else(|| self.missing(key))
    }

    /// Absent (outer `None`), `null` (`Some(None)`) or a string.
    pub fn nullable_str(&self, key: &str) -> Result<Option<Option<&'a str>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(text)) => Ok(Some(Some(text))),
            Some(_) => Err(self.invalid(key, "must be a string or null")),
        }
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(self.invalid(key, "must be a boolean")),
        }
    }

    /// An optional integer within `min..=max`.
    pub fn opt_int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .filter(|n| (min..=max).contains(n))
                .map(Some)
                .ok_or_else(|| self.invalid(key, &format!("must be an integer between {min} and {max}"))),
        }
    }

    pub fn opt_array(&self, key: &str) -> Result<Option<&'a Vec<Value>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(self.invalid(key, "must be an array")),
        }
    }

    pub fn req_array(&self, key: &str) -> Result<&'a Vec<Value>> {
        self.opt_array(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn opt_object(&self, key: &str) -> Result<Option<&'a Map<String, Value>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(self.invalid(key, "must be an object")),
        }
    }

    pub fn req_object(&self, key: &str) -> Result<&'a Map<String, Value>> {
        self.opt_object(key)?.ok_or_else(|| self.missing(key))
    }

    /// Absent, `null` or an object.
    pub fn nullable_object(&self, key: &str) -> Result<Option<Option<&'a Map<String, Value>>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::Object(map)) => Ok(Some(Some(map))),
            Some(_) => Err(self.invalid(key, "must be an object or null")),
        }
    }

    /// Absent, `null` or an array of strings.
    pub fn nullable_strings(&self, key: &str) -> Result<Option<Option<Vec<String>>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(|values| Some(Some(values)))
                .ok_or_else(|| self.invalid(key, "must be an array of strings")),
            Some(_) => Err(self.invalid(key, "must be an array of strings or null")),
        }
    }

    /// A required array of strings with `min..=max` items.
    pub fn req_str_list(&self, key: &str, min: usize, max: usize) -> Result<Vec<&'a str>> {
        str_list(&self.name(key), self.req_array(key)?, min, max)
    }

    /// A required array of objects with `min..=max` items.
    pub fn req_objects(&self, key: &str, min: usize, max: usize) -> Result<Vec<&'a Map<String, Value>>> {
        let items = self.req_array(key)?;
        let name = self.name(key);
        check_len(&name, items.len(), min, max)?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_object()
                    .ok_or_else(|| invalid(&format!("{name}[{i}]"), "must be an object"))
            })
            .collect()
    }

    /// An optional `webhook_url`: an absolute http(s) URL.
    pub fn opt_url(&self, key: &str) -> Result<Option<&'a str>> {
        let Some(url) = self.opt_str(key)? else {
            return Ok(None);
        };
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
            .unwrap_or("");
        if rest.is_empty() || rest.starts_with('/') || url.contains(char::is_whitespace) {
            return Err(self.invalid(key, "must be an absolute http(s) URL"));
        }
        Ok(Some(url))
    }
}

/// `422` unless an array named `name` has `min..=max` items.
fn check_len(name: &str, len: usize, min: usize, max: usize) -> Result<()> {
    if (min..=max).contains(&len) {
        return Ok(());
    }
    let what = if min == max {
        format!("must contain exactly {min} item(s)")
    } else if max == usize::MAX {
        format!("must contain at least {min} item(s)")
    } else {
        format!("must contain between {min} and {max} items")
    };
    Err(invalid(name, &what))
}

/// The items of an array of strings named `name`, with `min..=max` items.
pub fn str_list<'a>(name: &str, items: &'a [Value], min: usize, max: usize) -> Result<Vec<&'a str>> {
    check_len(name, items.len(), min, max)?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str()
                .ok_or_else(|| invalid(&format!("{name}[{i}]"), "must be a string"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn bodies() {
        assert!(parse_object(b" \n").unwrap().is_empty());
        assert_eq!(parse_object(b"[]").unwrap_err().status, StatusCode::BAD_REQUEST);
        assert!(parse_object(b"{")
            .unwrap_err()
            .message
            .starts_with("Invalid JSON body"));
    }

    #[test]
    fn fields_name_themselves() {
        let map = object(json!({"a": " ", "b": 1, "c": null, "d": ["x", 2]}));
        let fields = Fields::nested(&map, "items[3]");
        assert_eq!(fields.opt_str("a").unwrap(), Some(" "));
        assert_eq!(
            fields.req_text("a").unwrap_err().message,
            "Invalid field 'items[3].a': must not be empty"
        );
        assert_eq!(
            fields.req_text("c").unwrap_err().message,
            "Missing required field: items[3].c"
        );
        assert_eq!(fields.nullable_str("c").unwrap(), Some(None));
        assert_eq!(
            fields.opt_str("b").unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert!(fields
            .nullable_strings("d")
            .unwrap_err()
            .message
            .contains("items[3].d"));
        assert!(fields
            .reject_unknown(&["a", "b", "c"])
            .unwrap_err()
            .message
            .ends_with("items[3].d"));
    }

    #[test]
    fn query_values() {
        let query = Query(vec![
            ("limit".into(), "5".into()),
            ("limit".into(), "500".into()),
            ("from".into(), "2025-03-02".into()),
            ("to".into(), "2025-03-01".into()),
        ]);
        let err = query.int("limit", 25, 1, 100).unwrap_err();
        assert_eq!(
            err.message,
            "Invalid query parameter 'limit': must be an integer between 1 and 100, got '500'"
        );
        assert_eq!(query.int("page", 1, 1, u64::MAX).unwrap(), 1);
        assert!(query.date_range().unwrap_err().message.contains("'to'"));
        assert!(query.required("sort").is_err());
        assert_eq!(query.one_of("type", &["a"]).unwrap(), None);
    }
}
