//! The environment variables of the proxy convention that every SDK's client
//! honours the same way (the core reads them when a client is built).

/// Every variable of the proxy convention, in both cases: `HTTPS_PROXY` and
/// `ALL_PROXY` name the proxy for `https://` requests, `NO_PROXY` the hosts
/// that bypass it. `HTTP_PROXY` is listed because a client must ignore it: the
/// API is only proxied over `https://` (through `CONNECT`), so a plain-http
/// proxy variable never sees the API key. Tests clear these before setting
/// the ones they check.
pub const PROXY_VARIABLES: [&str; 8] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];
