//! The request journal: the last requests that reached the API, so tests in any
//! language can check what an SDK actually sent (`GET /__mock/requests`).
//!
//! The `Authorization` header is recorded only in masked form: the emulator
//! must not become a place where keys are written down.

use axum::http::{HeaderMap, Method, Uri};
use serde_json::{json, Map, Value};

use crate::bounded::BoundedLog;

/// How many requests are kept; older ones are dropped.
const CAPACITY: usize = 256;

pub struct Journal {
    entries: BoundedLog<Entry>,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            entries: BoundedLog::new(CAPACITY),
        }
    }
}

/// Kept as received (cheap clones); turned into JSON only when read.
struct Entry {
    operation: &'static str,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl Journal {
    pub fn record(&self, method: &Method, uri: &Uri, headers: &HeaderMap, operation: &'static str) {
        let entry = Entry {
            operation,
            method: method.clone(),
            uri: uri.clone(),
            headers: headers.clone(),
        };
        self.entries.push(entry);
    }

    pub fn to_json(&self) -> Value {
        json!({ "requests": self.entries.map(Entry::to_json) })
    }

    pub fn clear(&self) {
        self.entries.clear();
    }
}

impl Entry {
    fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for (name, value) in &self.headers {
            let text = if name == axum::http::header::AUTHORIZATION {
                mask_authorization(value.to_str().unwrap_or(""))
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            headers.insert(name.as_str().to_owned(), Value::String(text));
        }
        json!({
            "operation": self.operation,
            "method": self.method.as_str(),
            "path": self.uri.path(),
            "query": self.uri.query(),
            "headers": headers,
        })
    }
}

/// `Bearer lasso_…cdef`: the scheme and the last four characters only.
fn mask_authorization(value: &str) -> String {
    let (scheme, token) = value.split_once(' ').unwrap_or(("", value));
    let tail: String = token
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if token.len() < 16 {
        format!("{scheme} …").trim().to_owned()
    } else {
        format!("{scheme} lasso_…{tail}").trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_masked() {
        let key = format!("lasso_{}", "ab12".repeat(16));
        assert_eq!(mask_authorization(&format!("Bearer {key}")), "Bearer lasso_…ab12");
        assert_eq!(mask_authorization("Bearer short"), "Bearer …");
    }
}
