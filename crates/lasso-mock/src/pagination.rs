//! Pagination (lasso-api.md §1.5). Page-based lists take `page` (default 1, ≥ 1) and
//! `limit` (default 25, 1–100), a bad value being `400 invalid_request` naming the
//! parameter, and answer `{data, pagination: {page, limit, total}}`. Cursor-based
//! lists (catalog, changes, analytics activity) share one opaque cursor format.
//!
//! ```ignore
//! async fn list(query: Query) -> Result<Json<Value>> {
//!     let page = PageParams::from_query(&query)?;
//!     let items: Vec<Item> = ...;                    // all matching items, in order
//!     Ok(Json(page.envelope(page.slice(&items), items.len())))
//! }
//! ```

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::errors::{ApiError, Result};
use crate::input::Query;

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

impl PageParams {
    /// Reads `page` and `limit`; other parameters are ignored.
    pub fn from_query(query: &Query) -> Result<PageParams> {
        Ok(PageParams {
            page: parse_page(query)?,
            limit: query.int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?,
        })
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

/// An opaque cursor: hex of a small JSON object, so clients cannot guess its shape.
pub fn encode_cursor(position: &Value) -> String {
    hex::encode(position.to_string())
}

/// The `cursor` query parameter decoded (`None` when absent or empty); a cursor this
/// API did not make is a `400`.
pub fn decode_cursor(query: &Query) -> Result<Option<Map<String, Value>>> {
    let Some(raw) = query.text("cursor") else {
        return Ok(None);
    };
    match hex::decode(raw)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
    {
        Some(Value::Object(position)) => Ok(Some(position)),
        _ => Err(bad_cursor()),
    }
}

pub fn bad_cursor() -> ApiError {
    ApiError::invalid_request("Invalid query parameter 'cursor': not a cursor from this API")
}

/// `page` has no upper bound (the spec gives none): a page past the end is empty, and
/// a number too large for `u64` saturates.
fn parse_page(query: &Query) -> Result<u64> {
    let digits = query.get("page").unwrap_or("").trim();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.bytes().any(|b| b != b'0') {
        return Ok(digits.parse::<u64>().unwrap_or(u64::MAX));
    }
    query.int("page", 1, 1, u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(items: &[(&str, &str)]) -> Result<PageParams> {
        PageParams::from_query(&Query(
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ))
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(params(&[]).unwrap(), PageParams::default());
        let p = params(&[("page", "3"), ("limit", "100")]).unwrap();
        assert_eq!((p.page, p.limit, p.offset()), (3, 100, 200));
        let far = params(&[("page", "99999999999999999999999")]).unwrap();
        assert_eq!(far.page, u64::MAX);
        assert!(far.slice(&[1, 2, 3]).is_empty());
        for (name, value) in [
            ("page", "0"),
            ("page", "x"),
            ("limit", "0"),
            ("limit", "101"),
            ("limit", "-1"),
        ] {
            let err = params(&[(name, value)]).unwrap_err();
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
