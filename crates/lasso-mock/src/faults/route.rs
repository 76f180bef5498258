//! Route patterns: which requests a fault applies to.

use axum::http::Method;

use crate::API_PREFIX;

/// Which requests a fault applies to: `*`, `/path`, `METHOD /path` or `METHOD *`,
/// where a `{name}` segment matches any single path segment.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutePattern {
    method: Option<Method>,
    /// `None` matches every path.
    segments: Option<Vec<Segment>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Param,
}

impl RoutePattern {
    pub fn parse(text: &str) -> Result<RoutePattern, String> {
        let text = text.trim();
        let (method, path) = match text.split_once(' ') {
            Some((method, path)) => (Some(parse_method(method)?), path.trim()),
            None => (None, text),
        };
        if path == "*" {
            return Ok(RoutePattern {
                method,
                segments: None,
            });
        }
        if !path.starts_with('/') {
            return Err(format!(
                "path must start with '/' (e.g. \"GET /credits/balance\" or \"*\"), got {path:?}"
            ));
        }
        // Accept paths copied with the API prefix; faults match paths relative to it.
        let path = match path.strip_prefix(API_PREFIX) {
            Some(rest) if rest.starts_with('/') => rest,
            _ => path,
        };
        let segments = path
            .split('/')
            .skip(1)
            .map(|segment| {
                if segment.len() >= 2 && segment.starts_with('{') && segment.ends_with('}') {
                    Segment::Param
                } else {
                    Segment::Literal(segment.to_owned())
                }
            })
            .collect();
        Ok(RoutePattern {
            method,
            segments: Some(segments),
        })
    }

    /// `path` is relative to the API prefix, e.g. `/tables/tbl_1`.
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        if self.method.as_ref().is_some_and(|m| m != method) {
            return false;
        }
        let Some(segments) = &self.segments else {
            return true;
        };
        let Some(rest) = path.strip_prefix('/') else {
            return false;
        };
        let mut actual = rest.split('/');
        for expected in segments {
            match (expected, actual.next()) {
                (Segment::Param, Some(seg)) if !seg.is_empty() => {}
                (Segment::Literal(lit), Some(seg)) if lit == seg => {}
                _ => return false,
            }
        }
        actual.next().is_none()
    }
}

fn parse_method(text: &str) -> Result<Method, String> {
    let upper = text.to_ascii_uppercase();
    if upper.is_empty() || !upper.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("invalid HTTP method {text:?}"));
    }
    Method::from_bytes(upper.as_bytes()).map_err(|_| format!("invalid HTTP method {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> RoutePattern {
        RoutePattern::parse(text).unwrap()
    }

    #[test]
    fn route_patterns() {
        assert!(pattern("*").matches(&Method::POST, "/anything/at/all"));
        assert!(pattern("GET *").matches(&Method::GET, "/x"));
        assert!(!pattern("GET *").matches(&Method::POST, "/x"));
        assert!(pattern("GET /credits/balance").matches(&Method::GET, "/credits/balance"));
        assert!(pattern("get /credits/balance").matches(&Method::GET, "/credits/balance"));
        assert!(!pattern("GET /credits/balance").matches(&Method::POST, "/credits/balance"));
        assert!(pattern("/credits/balance").matches(&Method::DELETE, "/credits/balance"));
        let table = pattern("GET /tables/{table_id}");
        assert!(table.matches(&Method::GET, "/tables/abc"));
        assert!(!table.matches(&Method::GET, "/tables/"));
        assert!(!table.matches(&Method::GET, "/tables"));
        assert!(!table.matches(&Method::GET, "/tables/abc/rows"));
        assert!(pattern("GET /tables/abc").matches(&Method::GET, "/tables/abc"));
        assert!(!pattern("GET /tables/abc").matches(&Method::GET, "/tables/abd"));
        assert!(pattern("GET /api/v1/tables/abc").matches(&Method::GET, "/tables/abc"));
        assert!(RoutePattern::parse("GET tables").is_err());
        assert!(RoutePattern::parse("G3T /x").is_err());
    }
}
