//! API-key checks. Any well-formed key is accepted and *is* its own company, so tests
//! get isolated tenants just by using different keys. The key itself is never logged,
//! stored or echoed: only a hash of it identifies the company.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

use crate::errors::ApiError;
use crate::hash::{fnv1a, FNV_OFFSET};

/// The one key the emulator treats as deactivated: `lasso_` followed by 64 zeros.
pub const REVOKED_KEY: &str = "lasso_0000000000000000000000000000000000000000000000000000000000000000";

const KEY_PREFIX: &[u8] = b"lasso_";
const SECRET_LEN: usize = 64;

const MISSING_HEADER: &str = "Missing or invalid Authorization header. Use: Bearer lasso_...";
const MALFORMED_KEY: &str = "Invalid API key format. Use: Bearer lasso_ followed by 64 hex characters";
const REVOKED: &str = "Invalid or deactivated API key";

/// Tenant identity derived from the key. Put into the request extensions by the gate
/// and extracted by handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompanyId(u64);

impl CompanyId {
    /// FNV-1a: stable across runs and Rust versions, and cheap for 64 bytes.
    fn from_secret(secret: &[u8]) -> CompanyId {
        CompanyId(fnv1a(FNV_OFFSET, secret))
    }

    /// The company of a name given in a `--keys` file.
    fn from_company(name: &str) -> CompanyId {
        CompanyId(fnv1a(fnv1a(FNV_OFFSET, b"company:"), name.as_bytes()))
    }

    /// Spreads companies over the shards of the state map.
    pub fn shard(self, shards: usize) -> usize {
        // The high bits of FNV are the best mixed.
        (self.0 >> 32) as usize % shards
    }
}

/// The keys pinned by `--keys`: secret part (after `lasso_`) → company.
pub type KeyTable = std::collections::HashMap<Vec<u8>, CompanyId>;

/// Builds the key table from `key → company name`, refusing malformed keys.
pub fn key_table(keys: &std::collections::HashMap<String, String>) -> Result<KeyTable, String> {
    let mut table = KeyTable::new();
    for (key, company) in keys {
        let secret = key
            .strip_prefix("lasso_")
            .filter(|s| s.len() == SECRET_LEN && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                format!("the key of company {company:?} is not `lasso_` followed by 64 hex characters")
            })?;
        table.insert(secret.as_bytes().to_vec(), CompanyId::from_company(company));
    }
    Ok(table)
}

/// Checks the `Authorization` header without allocating. With a key table,
/// only its keys are accepted.
pub fn authenticate(headers: &HeaderMap, keys: Option<&KeyTable>) -> Result<CompanyId, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::unauthenticated(MISSING_HEADER));
    };
    let Some(key) = value.as_bytes().strip_prefix(b"Bearer ") else {
        return Err(ApiError::unauthenticated(MISSING_HEADER));
    };
    let Some(secret) = key.strip_prefix(KEY_PREFIX) else {
        return Err(ApiError::unauthenticated(MALFORMED_KEY));
    };
    if secret.len() != SECRET_LEN || !secret.iter().all(u8::is_ascii_hexdigit) {
        return Err(ApiError::unauthenticated(MALFORMED_KEY));
    }
    if secret.iter().all(|&b| b == b'0') {
        return Err(ApiError::unauthenticated(REVOKED));
    }
    match keys {
        Some(table) => table
            .get(secret)
            .copied()
            .ok_or_else(|| ApiError::unauthenticated(REVOKED)),
        None => Ok(CompanyId::from_secret(secret)),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CompanyId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        // Only missing if a handler was routed without the gate: a bug in this crate.
        parts
            .extensions
            .get::<CompanyId>()
            .copied()
            .ok_or_else(|| ApiError::internal("Route is missing authentication"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn check(value: Option<&str>) -> Result<CompanyId, ApiError> {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        }
        authenticate(&headers, None)
    }

    fn key(fill: char) -> String {
        format!("lasso_{}", fill.to_string().repeat(64))
    }

    #[test]
    fn accepts_well_formed_keys_as_distinct_companies() {
        let a = check(Some(&format!("Bearer {}", key('a')))).unwrap();
        let b = check(Some(&format!("Bearer {}", key('b')))).unwrap();
        assert_ne!(a, b);
        assert_eq!(a, check(Some(&format!("Bearer {}", key('a')))).unwrap());
    }

    #[test]
    fn rejects_bad_headers() {
        let cases = [
            (None, MISSING_HEADER),
            (Some(format!("Basic {}", key('a'))), MISSING_HEADER),
            (Some(format!("bearer {}", key('a'))), MISSING_HEADER),
            (Some(format!("Bearer sk_{}", "a".repeat(64))), MALFORMED_KEY),
            (Some(format!("Bearer lasso_{}", "a".repeat(63))), MALFORMED_KEY),
            (Some(format!("Bearer lasso_{}", "a".repeat(65))), MALFORMED_KEY),
            (Some(format!("Bearer lasso_{}", "g".repeat(64))), MALFORMED_KEY),
            (Some(format!("Bearer {REVOKED_KEY}")), REVOKED),
        ];
        for (header, message) in cases {
            let err = check(header.as_deref()).unwrap_err();
            assert_eq!(err.status.as_u16(), 401, "{header:?}");
            assert_eq!(err.message, message, "{header:?}");
        }
    }
}
