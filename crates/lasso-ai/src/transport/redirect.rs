//! Which redirects are followed, and how.
//!
//! At most five hops. `307`/`308` repeat the request (method and body) at the
//! new location. `301`/`302`/`303` turn a request into a `GET`, which is what
//! a `GET` asked for anyway, but for any other method it would silently
//! replay a billed `POST` as a `GET` whose answer then passes for the
//! operation's result: that is an error naming the redirect. A redirect to
//! plain `http://` is refused unless both ends are loopback, and the key is
//! sent only to the base URL's own origin.

use http::{Method, StatusCode};
use url::Url;

use crate::config::is_loopback;

/// Redirects followed by one attempt before giving up.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// What to do with a redirect answer.
pub(crate) enum Step {
    /// Send the same request (method and body) to this URL.
    Follow(Url),
    /// Do not follow: the answer is an error with this message.
    Refuse(String),
}

/// The step for a `status` answer (a 3xx with a `Location`) to `method`
/// `from`, after `hops` redirects already followed; `None` when the answer is
/// not a redirect to follow (any other status, or no usable `Location`).
pub(crate) fn step(
    status: StatusCode,
    location: Option<&str>,
    method: &Method,
    from: &Url,
    label: &str,
    hops: usize,
) -> Option<Step> {
    let code = status.as_u16();
    if !matches!(code, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let to = from.join(location?.trim()).ok()?;
    let shown = shown(&to);
    let refuse = |why: String| Some(Step::Refuse(why));
    if hops >= MAX_REDIRECTS {
        return refuse(format!(
            "{label}: too many redirects (more than {MAX_REDIRECTS}, the last to {shown}); check the base URL"
        ));
    }
    if to.scheme() == "http" && !(from.scheme() == "http" && is_loopback(from) && is_loopback(&to)) {
        return refuse(format!(
            "{label}: refused a redirect ({code}) to {shown}: the API key must not travel over plain \
             HTTP; check the base URL"
        ));
    }
    if !matches!(to.scheme(), "http" | "https") {
        return refuse(format!(
            "{label}: refused a redirect ({code}) to {shown}, which is not an HTTP URL"
        ));
    }
    if (301..=303).contains(&code) && *method != Method::GET && *method != Method::HEAD {
        return refuse(format!(
            "{label}: refused a redirect ({code} {}) to {shown}: following it would replay the {method} \
             as a GET and take that answer for the result. The server answered without carrying out \
             the request as sent; check the base URL (e.g. its scheme, host or a trailing slash)",
            status.canonical_reason().unwrap_or("")
        ));
    }
    Some(Step::Follow(to))
}

/// Whether two URLs share scheme, host and port: only then does the key follow.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// A URL as quoted in messages: scheme, host, port and path (no query).
fn shown(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{}://{host}:{port}{}", url.scheme(), url.path()),
        None => format!("{}://{host}{}", url.scheme(), url.path()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_rules() {
        let from = url("https://api.example/api/v1/search");
        let s = |code: u16, loc: &str, m: &Method| {
            step(
                StatusCode::from_u16(code).unwrap(),
                Some(loc),
                m,
                &from,
                "POST /search",
                0,
            )
        };
        assert!(
            matches!(s(307, "/api/v2/search", &Method::POST), Some(Step::Follow(u)) if u.path() == "/api/v2/search")
        );
        assert!(matches!(s(302, "/x", &Method::GET), Some(Step::Follow(_))));
        for code in [301, 302, 303] {
            match s(code, "/x", &Method::POST) {
                Some(Step::Refuse(why)) => assert!(why.contains("replay the POST as a GET"), "{why}"),
                _ => panic!("{code} must be refused for POST"),
            }
        }
        assert!(matches!(
            s(307, "http://api.example/x", &Method::GET),
            Some(Step::Refuse(_))
        ));
        assert!(s(304, "/x", &Method::GET).is_none());
        assert!(
            step(StatusCode::FOUND, None, &Method::GET, &from, "GET /x", 0).is_none(),
            "no Location: not a redirect to follow"
        );
        assert!(matches!(
            step(
                StatusCode::FOUND,
                Some("/x"),
                &Method::GET,
                &from,
                "GET /x",
                MAX_REDIRECTS
            ),
            Some(Step::Refuse(_))
        ));
        let local = url("http://127.0.0.1:9/api/v1/x");
        assert!(matches!(
            step(
                StatusCode::FOUND,
                Some("http://localhost:10/y"),
                &Method::GET,
                &local,
                "GET /x",
                0
            ),
            Some(Step::Follow(_))
        ));
        assert!(same_origin(&url("https://a/x"), &url("https://a:443/y")));
        assert!(!same_origin(&url("https://a/x"), &url("https://a:8443/y")));
        assert!(!same_origin(&url("https://a/x"), &url("http://a/y")));
    }
}
