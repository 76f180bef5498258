//! Which proxy a request goes through.
//!
//! The rule: the key never travels in clear to another process's host. So a
//! proxy only ever carries `https://` traffic, through a CONNECT tunnel
//! inside which TLS runs end to end; a plain `http://` base URL (loopback
//! only, see `config`) never uses a proxy, and asking for one with it is a
//! configuration error. `HTTPS_PROXY` / `ALL_PROXY` (either case) are honoured
//! unless the client says otherwise, `NO_PROXY` always; `HTTP_PROXY` is never
//! used, since it names a proxy for plain HTTP.

use http::{HeaderValue, Uri};
use hyper_util::client::proxy::matcher::Matcher;
use url::Url;

use crate::error::Error;

/// Where a client's proxy settings come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxyConfig {
    /// `HTTPS_PROXY` or `ALL_PROXY` (and `NO_PROXY`), read when the client is built.
    #[default]
    FromEnv,
    /// No proxy, whatever the environment says.
    Disabled,
    /// This `http://host:port` proxy (credentials in the URL are sent as
    /// `Proxy-Authorization`); `NO_PROXY` still exempts hosts.
    Url(String),
}

impl ProxyConfig {
    /// The setting without any credentials a proxy URL holds, for `Debug`.
    pub(crate) fn as_shown(&self) -> String {
        match self {
            ProxyConfig::FromEnv => "from environment".to_owned(),
            ProxyConfig::Disabled => "none".to_owned(),
            ProxyConfig::Url(url) => Url::parse(url)
                .map(|u| shown_url(&u))
                .unwrap_or_else(|_| "<invalid URL>".to_owned()),
        }
    }
}

/// The proxy decision of one client.
pub(crate) struct ProxyRoute {
    matcher: Matcher,
}

/// The proxy to tunnel through for one destination.
pub(crate) struct Via {
    pub uri: Uri,
    pub auth: Option<HeaderValue>,
}

impl ProxyRoute {
    /// The route of a client whose base URL is `base`, or `None` when no
    /// request of it may use a proxy.
    pub(crate) fn for_client(config: &ProxyConfig, base: &Url) -> Result<Option<ProxyRoute>, Error> {
        let no_proxy = env_first(&["NO_PROXY", "no_proxy"]);
        let matcher = match config {
            ProxyConfig::Disabled => return Ok(None),
            ProxyConfig::FromEnv if base.scheme() != "https" => return Ok(None),
            ProxyConfig::FromEnv => Matcher::from_env(),
            ProxyConfig::Url(url) => {
                if base.scheme() != "https" {
                    return Err(Error::config(format!(
                        "a proxy cannot be used with the plain http:// base URL {}: the proxy would see \
                         the API key in clear. Proxies carry https:// traffic only (through CONNECT); \
                         drop the proxy option for a loopback emulator",
                        base.as_str().trim_end_matches('/')
                    )));
                }
                Matcher::builder()
                    .https(checked_url(url)?.as_str())
                    .no(no_proxy.as_str())
                    .build()
            }
        };
        Ok(Some(ProxyRoute { matcher }))
    }

    /// The proxy for `dst`: only `https` destinations are ever proxied.
    pub(crate) fn via(&self, dst: &Uri) -> Result<Option<Via>, ProxyError> {
        if dst.scheme_str() != Some("https") {
            return Ok(None);
        }
        let Some(intercept) = self.matcher.intercept(dst) else {
            return Ok(None);
        };
        let uri = intercept.uri().clone();
        if uri.scheme_str() != Some("http") {
            return Err(ProxyError(format!(
                "the proxy {} uses `{}://`, which this SDK does not support: give an http:// proxy \
                 (it tunnels TLS with CONNECT, so the traffic stays encrypted)",
                shown(&uri),
                uri.scheme_str().unwrap_or("")
            )));
        }
        Ok(Some(Via {
            uri,
            auth: intercept.basic_auth().cloned(),
        }))
    }
}

/// A proxy that cannot be used for a request, reported as a connection failure.
#[derive(Debug)]
pub(crate) struct ProxyError(pub String);

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProxyError {}

/// An explicit proxy URL, checked: `http://host[:port]`, nothing else.
fn checked_url(raw: &str) -> Result<Url, Error> {
    let raw = raw.trim();
    // `host:port` alone is an http proxy, as curl reads it.
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("http://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| {
        Error::config(format!(
            "the proxy is not a valid URL ({e}); expected http://host:port"
        ))
    })?;
    if url.scheme() != "http" {
        return Err(Error::config(format!(
            "the proxy uses `{}://`, which this SDK does not support: give an http://host:port proxy \
             (it tunnels TLS with CONNECT, so the traffic stays encrypted)",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) || !matches!(url.path(), "" | "/") || url.query().is_some() {
        return Err(Error::config(format!(
            "the proxy {} must be http://host:port, without a path or query",
            shown_url(&url)
        )));
    }
    Ok(url)
}

fn env_first(names: &[&str]) -> String {
    names
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .unwrap_or_default()
}

/// A proxy URI without its credentials, for messages.
fn shown(uri: &Uri) -> String {
    let host = uri.host().unwrap_or("");
    match uri.port_u16() {
        Some(port) => format!("{}://{host}:{port}", uri.scheme_str().unwrap_or("")),
        None => format!("{}://{host}", uri.scheme_str().unwrap_or("")),
    }
}

fn shown_url(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}://{}:{port}", url.scheme(), url.host_str().unwrap_or("")),
        None => format!("{}://{}", url.scheme(), url.host_str().unwrap_or("")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(config: ProxyConfig, base: &str) -> Result<Option<ProxyRoute>, Error> {
        ProxyRoute::for_client(&config, &Url::parse(base).unwrap())
    }

    #[test]
    fn loopback_http_never_uses_a_proxy() {
        assert!(route(ProxyConfig::FromEnv, "http://127.0.0.1:9/api/v1")
            .unwrap()
            .is_none());
        let e = route(
            ProxyConfig::Url("http://proxy:3128".into()),
            "http://127.0.0.1:9/api/v1",
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("in clear"), "{e}");
    }

    #[test]
    fn explicit_proxies_are_checked() {
        let r = route(
            ProxyConfig::Url("proxy.corp:3128".into()),
            "https://api.example/api/v1",
        )
        .unwrap()
        .unwrap();
        let via = r
            .via(&Uri::from_static("https://api.example/x"))
            .unwrap()
            .unwrap();
        assert_eq!(via.uri.host(), Some("proxy.corp"));
        assert!(r
            .via(&Uri::from_static("http://api.example/x"))
            .unwrap()
            .is_none());
        for bad in ["socks5://p:1080", "https://p:443", "http://p:1/path", "http://"] {
            assert!(
                route(ProxyConfig::Url(bad.into()), "https://api.example/").is_err(),
                "{bad}"
            );
        }
        let e = route(ProxyConfig::Url("http://user:hunter2@p:1/x".into()), "https://a/")
            .err()
            .unwrap();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
}
