//! Client and call options as the Python, Node and Kotlin front doors receive
//! them, unchecked: numbers as the host language gives them (durations in the
//! front door's [`TimeUnit`], counts as `f64`, which holds every JS number and
//! every count a Kotlin `Long` or a Python `int` sensibly carries). Each binding
//! only checks the host types and fills these, so all of them check a value,
//! name it in an error and apply it to the builder the same way. Names in
//! messages are snake_case; the bindings respell them.

use std::time::Duration;

use serde_json::Value;

use crate::config::{timeout_from_millis, timeout_from_secs};
use crate::logging::{self, Logger};
use crate::{CaBundle, ClientBuilder, Error, RequestOptions};

/// Where a client's https requests go.
#[derive(Debug, Default)]
pub enum ProxyChoice {
    /// `HTTPS_PROXY` / `ALL_PROXY` (and `NO_PROXY`), as the environment says.
    #[default]
    FromEnvironment,
    /// Straight to the server, whatever the environment says.
    Off,
    /// Through this `http://host:port` proxy.
    Url(String),
}

/// The unit of a front door's durations: milliseconds in Node and Kotlin,
/// seconds in Python. Errors name the value in the same unit.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Node's and Kotlin's habit.
    #[default]
    Milliseconds,
    /// Python's habit.
    Seconds,
}

/// The options of a client, unchecked.
#[derive(Default)]
pub struct ClientSettings {
    /// `LASSO_API_KEY` when `None`.
    pub api_key: Option<String>,
    /// `LASSO_BASE_URL`, else the published URL, when `None`.
    pub base_url: Option<String>,
    /// The unit of `timeout` and `connect_timeout`.
    pub time_unit: TimeUnit,
    /// Per-attempt timeout (infinity: none).
    pub timeout: Option<f64>,
    /// Connect timeout (infinity: none).
    pub connect_timeout: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<f64>,
    /// Sent with every request, in any order (applied sorted by name).
    pub headers: Vec<(String, String)>,
    /// Appended to the `User-Agent`.
    pub user_agent_suffix: Option<String>,
    /// Accept keys of a format newer than this SDK.
    pub allow_nonstandard_key: Option<bool>,
    /// The `User-Agent` product of the front door.
    pub front_door: Option<String>,
    /// Where https requests go.
    pub proxy: ProxyChoice,
    /// Extra certificate authorities.
    pub ca_bundle: Option<CaBundle>,
    /// Requests in flight at once.
    pub max_connections: Option<f64>,
    /// The largest body read into memory, in bytes.
    pub max_response_bytes: Option<f64>,
    /// Hears the client's log lines at `log_level` and above.
    pub logger: Option<Logger>,
    /// `debug`, `info`, `warn` or `error` (any case); `warn` when `None`.
    pub log_level: Option<String>,
}

impl ClientSettings {
    /// A builder preset from the environment, then from these settings.
    pub fn builder(self) -> Result<ClientBuilder, Error> {
        let mut b = ClientBuilder::from_env();
        if let Some(key) = self.api_key {
            b = b.api_key(key);
        }
        if let Some(url) = self.base_url {
            b = b.base_url(url);
        }
        if let Some(timeout) = duration("timeout", self.timeout, self.time_unit)? {
            b = b.timeout(timeout);
        }
        if let Some(timeout) = duration("connect_timeout", self.connect_timeout, self.time_unit)? {
            b = b.connect_timeout(timeout);
        }
        if let Some(n) = self.max_retries {
            b = b.max_retries(retries(n)?);
        }
        for (name, value) in sorted(self.headers) {
            b = b.header(name, value);
        }
        if let Some(suffix) = self.user_agent_suffix {
            b = b.user_agent_suffix(suffix);
        }
        if let Some(allow) = self.allow_nonstandard_key {
            b = b.allow_nonstandard_key(allow);
        }
        if let Some(front_door) = self.front_door {
            b = b.front_door(front_door);
        }
        b = match self.proxy {
            ProxyChoice::FromEnvironment => b,
            ProxyChoice::Off => b.no_proxy(),
            ProxyChoice::Url(url) => b.proxy(url),
        };
        if let Some(bundle) = self.ca_bundle {
            b = b.ca_bundle(bundle);
        }
        if let Some(n) = self.max_connections {
            b = b.max_connections(count("max_connections", n)?);
        }
        if let Some(n) = self.max_response_bytes {
            b = b.max_response_bytes(count("max_response_bytes", n)?);
        }
        if let Some(logger) = self.logger {
            let text = self.log_level.as_deref().unwrap_or("warn");
            let level = logging::parse_level(text).ok_or_else(|| {
                Error::config(format!(
                    "log_level must be \"debug\", \"info\", \"warn\" or \"error\", got {text:?}"
                ))
            })?;
            b = b.logger(level, logger);
        }
        Ok(b)
    }
}

/// The options of one call, unchecked.
#[derive(Debug, Default)]
pub struct CallSettings {
    /// The unit of `timeout` and `total_timeout`.
    pub time_unit: TimeUnit,
    /// Per-attempt timeout (infinity: none).
    pub timeout: Option<f64>,
    /// Time allowed for the whole call (infinity: none).
    pub total_timeout: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<f64>,
    /// Headers for this call (replacing the client's of the same name).
    pub headers: Vec<(String, String)>,
    /// Extra query parameters: a string, number or boolean, or a list of
    /// them, per name; sent in this order (Python's and JS's maps keep their
    /// users' order; a binding whose map has none sorts them first).
    pub extra_query: Vec<(String, Value)>,
    /// Extra fields merged into the JSON body: an object.
    pub extra_body: Option<Value>,
    /// Sends an `enrich` of more than 5 records without a `webhook_url`.
    pub allow_enrich_without_webhook: Option<bool>,
}

impl CallSettings {
    /// The core's options for the call.
    pub fn request_options(self) -> Result<RequestOptions, Error> {
        let mut o = RequestOptions::new();
        if let Some(timeout) = duration("timeout", self.timeout, self.time_unit)? {
            o = o.timeout(timeout);
        }
        if let Some(timeout) = duration("total_timeout", self.total_timeout, self.time_unit)? {
            o = o.total_timeout(timeout);
        }
        if let Some(n) = self.max_retries {
            o = o.max_retries(retries(n)?);
        }
        if let Some(allow) = self.allow_enrich_without_webhook {
            o = o.allow_enrich_without_webhook(allow);
        }
        for (name, value) in sorted(self.headers) {
            o = o.header(name, value);
        }
        for (name, value) in self.extra_query {
            let values = match value {
                Value::Array(items) => items,
                one => vec![one],
            };
            for value in values {
                let text = match value {
                    Value::String(s) => s,
                    Value::Number(_) | Value::Bool(_) => value.to_string(),
                    other => {
                        return Err(Error::config(format!(
                            "extra_query `{name}` must be a string, number or boolean (or a list of them), got {other}"
                        )))
                    }
                };
                o = o.extra_query(name.clone(), text);
            }
        }
        match self.extra_body {
            None => {}
            Some(Value::Object(body)) => o.extra_body = body,
            Some(other) => {
                return Err(Error::config(format!(
                    "extra_body must be an object of fields, got {other}"
                )))
            }
        }
        Ok(o)
    }
}

/// Pairs in the order of their names (a host's map has none), values of one
/// name kept in the order given.
fn sorted<V>(mut pairs: Vec<(String, V)>) -> Vec<(String, V)> {
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

fn duration(name: &str, value: Option<f64>, unit: TimeUnit) -> Result<Option<Duration>, Error> {
    value
        .map(|v| match unit {
            TimeUnit::Milliseconds => timeout_from_millis(name, v),
            TimeUnit::Seconds => timeout_from_secs(name, v),
        })
        .transpose()
}

/// Integers beyond this are not exact in an `f64` (nor in a JS number).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A positive count (connections, bytes).
fn count(name: &str, n: f64) -> Result<usize, Error> {
    if n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= MAX_SAFE_INTEGER {
        Ok(n as usize)
    } else {
        Err(Error::config(format!(
            "{name} must be a whole number of at least 1, got {n}"
        )))
    }
}

/// A retry count: a whole number from 0 to 2^32 - 1.
fn retries(n: f64) -> Result<u32, Error> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) {
        Ok(n as u32)
    } else {
        Err(Error::config(format!(
            "max_retries must be a whole number from 0 (no retries) to {}, got {n}",
            u32::MAX
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_and_named() {
        let message = |s: CallSettings| s.request_options().unwrap_err().to_string();
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY, 5e9] {
            let s = CallSettings {
                max_retries: Some(bad),
                ..Default::default()
            };
            assert!(message(s).starts_with("max_retries must be a whole number from 0"));
        }
        let s = CallSettings {
            timeout: Some(0.0),
            ..Default::default()
        };
        assert!(message(s).starts_with("timeout must be a positive number of milliseconds"));
        let s = CallSettings {
            timeout: Some(-1.0),
            time_unit: TimeUnit::Seconds,
            ..Default::default()
        };
        assert!(message(s).starts_with("timeout must be a positive number of seconds, got -1"));
        // Infinity, and anything beyond a century, is no timeout in either unit.
        for unit in [TimeUnit::Seconds, TimeUnit::Milliseconds] {
            for none in [f64::INFINITY, 1e300] {
                let s = CallSettings {
                    timeout: Some(none),
                    time_unit: unit,
                    ..Default::default()
                };
                assert_eq!(s.request_options().unwrap().timeout, Some(crate::NO_TIMEOUT));
            }
        }
        for bad in [0.0, 1.5, 1e16] {
            let s = ClientSettings {
                max_connections: Some(bad),
                ..Default::default()
            };
            let e = s.builder().unwrap_err().to_string();
            assert!(
                e.starts_with("max_connections must be a whole number of at least 1"),
                "{e}"
            );
        }
        let s = ClientSettings {
            logger: Some(std::sync::Arc::new(|_, _| {})),
            log_level: Some("loud".into()),
            ..Default::default()
        };
        assert!(s
            .builder()
            .unwrap_err()
            .to_string()
            .starts_with("log_level must be"));
    }

    #[test]
    fn query_values_flatten_in_the_order_given_and_bodies_must_be_objects() {
        let s = CallSettings {
            extra_query: vec![
                ("b".into(), serde_json::json!([2, true, "x"])),
                ("a".into(), serde_json::json!(1.5)),
            ],
            headers: vec![("x-b".into(), "2".into()), ("x-a".into(), "1".into())],
            ..Default::default()
        };
        let o = s.request_options().unwrap();
        let query: Vec<(&str, &str)> = o
            .extra_query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // The user's order: Python's and JS's maps keep it.
        assert_eq!(query, [("b", "2"), ("b", "true"), ("b", "x"), ("a", "1.5")]);
        let s = CallSettings {
            extra_query: vec![("q".into(), serde_json::json!({}))],
            ..Default::default()
        };
        assert!(s
            .request_options()
            .unwrap_err()
            .to_string()
            .starts_with("extra_query `q` must be"));
        let s = CallSettings {
            extra_body: Some(serde_json::json!([1])),
            ..Default::default()
        };
        assert!(s
            .request_options()
            .unwrap_err()
            .to_string()
            .starts_with("extra_body must be an object"));
    }
}
