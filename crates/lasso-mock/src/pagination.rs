//! Page-based pagination shared by every `page`/`limit` list (lasso-api.md §1.5):
//! `page` (default 1, ≥ 1) and `limit` (default 25, 1–100). A bad value is
//! `400 invalid_request` naming the parameter. Responses are
//! `{data, pagination: {page, limit, total}}`.
//!
//! ```ignore
//! async fn list(Query(query): Query<Vec<(String, String)>>) -> Result<Json<Value>, ApiError> {
//!     let page = PageParams::from_pairs(&query)?;
//!     let items: Vec<Item> = ...;                    // all matching items, in order
//!     Ok(Json(page.envelope(page.slice(&items), items.len())))
//! }
//! ```

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use crate::errors::ApiError;

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 100;

/// The `pagination` object of a list response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Pagination {
    pub page: u64,
    pub limit: u64,
    pub total: u64,
}

/// Validated `page` and `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageParams {
    pub page: u64,
    pub limit: u64,
}

impl Default for PageParams {
    fn default() -> Self {
        PageParams {
            page: 1,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// Query pairs as axum decodes them; a malformed query string becomes a 400 envelope.
pub fn query_pairs(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Vec<(String, String)>, ApiError> {
    query
        .map(|Query(pairs)| pairs)
        .map_err(|err| ApiError::invalid_request(format!("Invalid query string: {}", err.body_text())))
}

/// The last value of a query parameter (like most web frameworks).
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

impl PageParams {
    /// Reads `page` and `limit` from decoded query pairs; other parameters are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<PageParams, ApiError> {
        let mut params = PageParams::default();
        if let Some(raw) = param(pairs, "page") {
            params.page = parse_page(raw)?;
        }
        if let Some(raw) = param(pairs, "limit") {
            params.limit = parse_bounded("limit", raw, 1, MAX_LIMIT)?;
        }
        Ok(params)
    }

    /// Index of the first item of the page.
    pub fn offset(&self) -> usize {
        usize::try_from((self.page - 1).saturating_mul(self.limit)).unwrap_or(usize::MAX)
    }

    /// The items of this page.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.offset().min(items.len());
        let end = start.saturating_add(self.limit as usize).min(items.len());
        &items[start..end]
    }

    pub fn pagination(&self, total: usize) -> Pagination {
        Pagination {
            page: self.page,
            limit: self.limit,
            total: total as u64,
        }
    }

    /// `{data, pagination}` for one page of `total` items.
    pub fn envelope<T: Serialize>(&self, data: &[T], total: usize) -> Value {
        json!({ "data": data, "pagination": self.pagination(total) })
    }

    /// The same `{data, pagination}`, serialized straight into the response
    /// body: for pages of rows, where building a `Value` tree first cost
    /// three times the serialization itself.
    pub fn envelope_response<T: Serialize>(&self, data: &[T], total: usize) -> Response {
        #[derive(Serialize)]
        struct Envelope<'a, T> {
            data: &'a [T],
            pagination: Pagination,
        }
        let pagination = self.pagination(total);
        Json(Envelope { data, pagination }).into_response()
    }
}

/// `page` has no upper bound (the spec gives none): a page past the end is empty, and
/// a number too large for `u64` saturates.
fn parse_page(raw: &str) -> Result<u64, ApiError> {
    let digits = raw.trim();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.bytes().any(|b| b != b'0') {
        return Ok(digits.parse::<u64>().unwrap_or(u64::MAX));
    }
    parse_bounded("page", raw, 1, u64::MAX)
}

fn parse_bounded(name: &str, raw: &str, min: u64, max: u64) -> Result<u64, ApiError> {
    raw.trim()
        .parse::<u64>()
        .ok()
        .filter(|value| (min..=max).contains(value))
        .ok_or_else(|| {
            let range = if max == MAX_LIMIT {
                format!("an integer between {min} and {max}")
            } else {
                format!("an integer >= {min}")
            };
            ApiError::invalid_request(format!(
                "Invalid query parameter '{name}': must be {range}, got '{raw}'"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(PageParams::from_pairs(&[]).unwrap(), PageParams::default());
        let p = PageParams::from_pairs(&pairs(&[("page", "3"), ("limit", "100")])).unwrap();
        assert_eq!((p.page, p.limit, p.offset()), (3, 100, 200));
        let far = PageParams::from_pairs(&pairs(&[("page", "99999999999999999999999")])).unwrap();
        assert_eq!(far.page, u64::MAX);
        assert!(far.slice(&[1, 2, 3]).is_empty());
        for (name, value) in [
            ("page", "0"),
            ("page", "x"),
            ("limit", "0"),
            ("limit", "101"),
            ("limit", "-1"),
        ] {
            let err = PageParams::from_pairs(&pairs(&[(name, value)])).unwrap_err();
            assert_eq!(err.status.as_u16(), 400);
            assert!(err.message.contains(name), "{}", err.message);
        }
    }

    #[test]
    fn slices() {
        let items: Vec<u32> = (0..30).collect();
        let p = PageParams { page: 2, limit: 25 };
        assert_eq!(p.slice(&items), &items[25..]);
        let p = PageParams { page: 9, limit: 25 };
        assert!(p.slice(&items).is_empty());
        assert_eq!(
            p.envelope(p.slice(&items), items.len())["pagination"]["total"],
            30
        );
    }
}
