//! The billing-safe retry policy.
//!
//! Lasso has no idempotency keys and search, enrich, enhance and table creation
//! spend credits, so a POST or PATCH is retried only where the server cannot
//! have acted on it: the connection failed before the request was sent, or the
//! server said 429 or 503. GET, PUT and DELETE are safe to repeat.

// Much of it serves the client only (`--no-default-features` leaves the types).
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method};

/// Retries after the first attempt, unless configured otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// A server asking to wait longer than this is not retried: the rate-limit
/// error is raised with `retry_after` set so the caller can decide.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The connection could not be established: the request was never sent.
    NotSent,
    /// The connection broke after the request may have been sent.
    Connection,
    /// The attempt ran out of time after the request may have been sent.
    Timeout,
    /// The server answered with this status.
    Status(u16),
}

/// Whether repeating a request with this method cannot act twice.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Whether a failed attempt of a request with this method may be repeated.
pub fn is_retryable(method: &Method, failure: Failure) -> bool {
    let idempotent = is_idempotent(method);
    match failure {
        Failure::NotSent => true,
        Failure::Status(429 | 503) => true,
        Failure::Connection | Failure::Timeout => idempotent,
        Failure::Status(408 | 500 | 502 | 504) => idempotent,
        Failure::Status(_) => false,
    }
}

/// Delay before retry number `retry` (0 for the first retry):
/// `min(8 s, 0.5 s × 2^retry) × random[0.5, 1]`, never below the server's
/// `Retry-After`.
pub fn backoff(retry: u32, retry_after: Option<Duration>) -> Duration {
    let base = INITIAL_BACKOFF
        .saturating_mul(2u32.saturating_pow(retry.min(16)))
        .min(MAX_BACKOFF);
    let jittered = base.mul_f64(0.5 + fastrand::f64() * 0.5);
    match retry_after {
        Some(floor) if floor > jittered => floor,
        _ => jittered,
    }
}

/// Reads `Retry-After` (delta-seconds or an HTTP date) and `retry-after-ms`
/// (milliseconds). When both are sent the longer wait wins, so a `0` in one
/// never overrules an hour in the other. An HTTP date is measured against
/// the response's own `Date` header when it has one, so a local clock that is
/// off neither shortens nor stretches the wait. Values that are not plain
/// non-negative numbers (`1e3`, `-1`, `inf`) or dates are ignored.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let ms = header_str(headers, "retry-after-ms")
        .and_then(plain_number)
        .and_then(|ms| non_negative_secs(ms / 1000.0));
    let now = header_str(headers, "date")
        .and_then(|d| httpdate::parse_http_date(d.trim()).ok())
        .unwrap_or_else(SystemTime::now);
    let after = header_str(headers, "retry-after").and_then(|v| parse_retry_after(v, now));
    match (ms, after) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Parses a `Retry-After` value relative to `now`: delta-seconds (digits,
/// with a fraction, which some servers send) or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Some(secs) = plain_number(value) {
        return non_negative_secs(secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `123` or `1.5`: digits with at most one `.` between digits, nothing else.
fn plain_number(value: &str) -> Option<f64> {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && digits(fraction))
        .then(|| value.parse().ok())
        .flatten()
}

fn non_negative_secs(secs: f64) -> Option<Duration> {
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_table() {
        let get = Method::GET;
        let post = Method::POST;
        for f in [Failure::NotSent, Failure::Connection, Failure::Timeout] {
            assert!(is_retryable(&get, f));
            assert!(is_retryable(&Method::PUT, f));
            assert!(is_retryable(&Method::DELETE, f));
        }
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable(&get, Failure::Status(s)), "GET {s}");
        }
        assert!(is_retryable(&post, Failure::NotSent));
        assert!(is_retryable(&post, Failure::Status(429)));
        assert!(is_retryable(&post, Failure::Status(503)));
        for f in [
            Failure::Connection,
            Failure::Timeout,
            Failure::Status(408),
            Failure::Status(500),
            Failure::Status(502),
            Failure::Status(504),
        ] {
            assert!(!is_retryable(&post, f), "POST {f:?}");
            assert!(!is_retryable(&Method::PATCH, f), "PATCH {f:?}");
        }
        for s in [400, 401, 402, 403, 404, 409, 422] {
            assert!(!is_retryable(&get, Failure::Status(s)));
            assert!(!is_retryable(&post, Failure::Status(s)));
        }
    }

    #[test]
    fn backoff_bounds() {
        for _ in 0..200 {
            let d0 = backoff(0, None);
            assert!(d0 >= Duration::from_millis(250) && d0 <= Duration::from_millis(500));
            let d5 = backoff(5, None);
            assert!(d5 >= Duration::from_secs(4) && d5 <= Duration::from_secs(8));
            assert!(backoff(40, None) <= Duration::from_secs(8));
        }
        assert_eq!(backoff(0, Some(Duration::from_secs(3))), Duration::from_secs(3));
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 1.5 ", now), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(30)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));

        for odd in ["1e3", "+5", "0x10", "inf", "NaN", "1.", ".5", "1.2.3"] {
            assert_eq!(parse_retry_after(odd, now), None, "{odd}");
        }

        let mut h = HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        h.insert("retry-after-ms", "250".parse().unwrap());
        assert_eq!(
            retry_after(&h),
            Some(Duration::from_secs(7)),
            "the longer wait wins"
        );
        h.insert("retry-after", "3600".parse().unwrap());
        h.insert("retry-after-ms", "0".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3600)));
        h.insert("retry-after-ms", "9000".parse().unwrap());
        h.remove("retry-after");
        assert_eq!(retry_after(&h), Some(Duration::from_secs(9)));
    }

    #[test]
    fn an_http_date_is_read_against_the_servers_date() {
        // The local clock is whatever it is; the server says it is `server_now`
        // and asks for 30 s from then: 30 s, however far off the local clock is.
        let server_now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut h = HeaderMap::new();
        h.insert("date", httpdate::fmt_http_date(server_now).parse().unwrap());
        h.insert(
            "retry-after",
            httpdate::fmt_http_date(server_now + Duration::from_secs(30))
                .parse()
                .unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::from_secs(30)));
    }
}
