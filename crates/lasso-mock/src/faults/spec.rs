//! A fault as `POST /__mock/faults` and `--faults` take it, validated field by field,
//! and as `GET /__mock/faults` lists it.

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use serde_json::{Map, Value};

use super::action::FaultAction;
use super::kind::{BodyKind, Kind, COMMON_FIELDS};
use super::route::RoutePattern;
use crate::hash::Rng;

/// Upper bound for `delay_ms`, so a typo cannot hang a test suite for hours.
const MAX_DELAY_MS: u64 = 300_000;
/// Default body size of `oversized`: 10 MiB.
const DEFAULT_OVERSIZED_BYTES: u64 = 10 * 1024 * 1024;
/// Upper bound of `size_bytes`.
const MAX_OVERSIZED_BYTES: u64 = 1 << 30;

/// One queued fault, as submitted, with its remaining count and its random state.
#[derive(Debug)]
pub struct Fault {
    route_text: String,
    pub(super) route: RoutePattern,
    /// Uses left; `None` is unlimited (probability faults without `times`).
    pub(super) remaining: Option<u32>,
    pub(super) probability: Option<f64>,
    pub(super) seed: Option<u64>,
    pub(super) rng: Rng,
    pub(super) action: Arc<FaultAction>,
}

impl Fault {
    /// Validates a `POST /__mock/faults` body. Errors name the offending field.
    pub fn from_json(body: &[u8]) -> Result<Fault, String> {
        let value: Value = serde_json::from_slice(body).map_err(|err| format!("Invalid JSON body: {err}"))?;
        Fault::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Fault, String> {
        let Value::Object(mut fields) = value else {
            return Err("Request body must be a JSON object".into());
        };
        // A field set to null counts as absent.
        fields.retain(|_, value| !value.is_null());

        let kind = match fields.remove("kind") {
            None => Kind::Status,
            Some(value) => value
                .as_str()
                .and_then(Kind::parse)
                .ok_or_else(|| format!("Invalid field kind: must be one of: {}", Kind::all_names()))?,
        };
        for name in fields.keys() {
            if COMMON_FIELDS.contains(&name.as_str()) || kind.fields().contains(&name.as_str()) {
                continue;
            }
            let known = COMMON_FIELDS
                .iter()
                .chain(
                    [
                        "status",
                        "headers",
                        "body",
                        "body_kind",
                        "send_bytes",
                        "size_bytes",
                    ]
                    .iter(),
                )
                .any(|field| field == name);
            return Err(if known {
                format!("Invalid field {name}: not used by kind {}", kind.name())
            } else {
                format!(
                    "Unknown field: {name} (expected route, kind, times, probability, seed, status, headers, \
                     body, body_kind, delay_ms, send_bytes, size_bytes, execute)"
                )
            });
        }

        let route_text = match fields.remove("route") {
            None => return Err("Missing required field: route".into()),
            Some(Value::String(text)) => text,
            Some(_) => {
                return Err(
                    "Invalid field route: expected a string like \"GET /tables/{table_id}\" or \"*\"".into(),
                )
            }
        };
        let route = RoutePattern::parse(&route_text).map_err(|err| format!("Invalid field route: {err}"))?;

        let status = match integer(
            &mut fields,
            "status",
            200..=599,
            "an integer HTTP status between 200 and 599",
        )? {
            None if kind == Kind::Status => return Err("Missing required field: status".into()),
            None => kind.default_status(),
            Some(code) => {
                StatusCode::from_u16(code as u16).map_err(|err| format!("Invalid field status: {err}"))?
            }
        };
        if kind.needs_body() && matches!(status.as_u16(), 204 | 205 | 304) {
            return Err(format!(
                "Invalid field status: kind {} needs a status that carries a body",
                kind.name()
            ));
        }

        let times =
            integer(&mut fields, "times", 1..=u32::MAX.into(), "a positive integer")?.map(|n| n as u32);

        let probability = match fields.remove("probability") {
            None => None,
            Some(value) => Some(
                value
                    .as_f64()
                    .filter(|p| (0.0..=1.0).contains(p))
                    .ok_or("Invalid field probability: expected a number from 0 to 1")?,
            ),
        };

        let seed = integer(&mut fields, "seed", 0..=u64::MAX, "a non-negative integer")?;

        let delay_ms = integer(
            &mut fields,
            "delay_ms",
            0..=MAX_DELAY_MS,
            &format!("an integer from 0 to {MAX_DELAY_MS}"),
        )?;
        let delay_ms = match kind {
            Kind::SlowHeaders => match delay_ms {
                Some(ms) if ms > 0 => ms,
                _ => {
                    return Err(
                        "Missing required field: delay_ms (kind slow_headers needs a delay above 0)".into(),
                    )
                }
            },
            // A stall lasts until the client gives up, within the bound.
            Kind::StallBody => delay_ms.unwrap_or(MAX_DELAY_MS),
            _ => delay_ms.unwrap_or(0),
        };

        let headers = match fields.remove("headers") {
            None => Vec::new(),
            Some(Value::Object(map)) => parse_headers(map)?,
            Some(_) => return Err("Invalid field headers: expected an object of strings".into()),
        };

        let body = match fields.remove("body") {
            None => None,
            Some(Value::String(raw)) => Some(raw),
            // Convenience: a JSON value is sent as its serialisation.
            Some(other) => Some(other.to_string()),
        };

        let body_kind = match fields.remove("body_kind") {
            None => None,
            Some(Value::String(text)) => Some(match text.as_str() {
                "json" => BodyKind::Json,
                "html" => BodyKind::Html,
                "empty" if !kind.needs_body() => BodyKind::Empty,
                _ if kind.needs_body() => {
                    return Err(format!(
                        "Invalid field body_kind: kind {} takes json or html",
                        kind.name()
                    ))
                }
                _ => return Err("Invalid field body_kind: must be one of: json, html, empty".into()),
            }),
            Some(_) => return Err("Invalid field body_kind: must be one of: json, html, empty".into()),
        };
        if body.is_some() && body_kind.is_some() {
            return Err("Invalid field body_kind: give either body or body_kind, not both".into());
        }

        let send_bytes = integer(&mut fields, "send_bytes", 0..=u64::MAX, "a non-negative integer")?;

        let size_bytes = integer(
            &mut fields,
            "size_bytes",
            0..=MAX_OVERSIZED_BYTES,
            &format!("an integer from 0 to {MAX_OVERSIZED_BYTES}"),
        )?
        .unwrap_or(DEFAULT_OVERSIZED_BYTES);

        let execute = match fields.remove("execute") {
            None => false,
            Some(Value::Bool(flag)) => flag,
            Some(_) => return Err("Invalid field execute: expected a boolean".into()),
        };

        // Without a probability a fault applies once unless told otherwise; with one
        // it stays until cleared unless `times` caps it.
        let remaining = match (times, probability) {
            (Some(times), _) => Some(times),
            (None, Some(_)) => None,
            (None, None) => Some(1),
        };

        Ok(Fault {
            route_text,
            route,
            remaining,
            probability,
            seed,
            rng: Rng::new(seed.unwrap_or(0)),
            action: Arc::new(FaultAction {
                kind,
                status,
                headers,
                body,
                body_kind,
                delay: Duration::from_millis(delay_ms),
                send_bytes,
                size_bytes,
                execute,
            }),
        })
    }

    pub(super) fn to_json(&self) -> Value {
        let action = &self.action;
        let mut out = Map::new();
        out.insert("route".into(), Value::from(self.route_text.clone()));
        out.insert("kind".into(), Value::from(action.kind.name()));
        out.insert("times".into(), self.remaining.map_or(Value::Null, Value::from));
        if let Some(p) = self.probability {
            out.insert("probability".into(), Value::from(p));
        }
        if let Some(seed) = self.seed {
            out.insert("seed".into(), Value::from(seed));
        }
        let fields = action.kind.fields();
        if fields.contains(&"status") {
            out.insert("status".into(), Value::from(action.status.as_u16()));
        }
        if fields.contains(&"headers") {
            let headers: Map<String, Value> = action
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = value.to_str().unwrap_or_default();
                    (name.as_str().to_owned(), Value::from(value))
                })
                .collect();
            out.insert("headers".into(), Value::Object(headers));
        }
        if fields.contains(&"body") {
            out.insert(
                "body".into(),
                action.body.clone().map_or(Value::Null, Value::from),
            );
        }
        if let Some(body_kind) = action.body_kind {
            out.insert("body_kind".into(), Value::from(body_kind.name()));
        }
        out.insert("delay_ms".into(), Value::from(action.delay.as_millis() as u64));
        if let Some(n) = action.send_bytes {
            out.insert("send_bytes".into(), Value::from(n));
        }
        if action.kind == Kind::Oversized {
            out.insert("size_bytes".into(), Value::from(action.size_bytes));
        }
        out.insert("execute".into(), Value::from(action.execute));
        Value::Object(out)
    }
}

/// Takes an optional integer field within `range`; the error says what was `expected`.
fn integer(
    fields: &mut Map<String, Value>,
    name: &str,
    range: RangeInclusive<u64>,
    expected: &str,
) -> Result<Option<u64>, String> {
    fields
        .remove(name)
        .map(|value| {
            value
                .as_u64()
                .filter(|n| range.contains(n))
                .ok_or_else(|| format!("Invalid field {name}: expected {expected}"))
        })
        .transpose()
}

fn parse_headers(map: Map<String, Value>) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    map.into_iter()
        .map(|(name, value)| {
            let Value::String(value) = value else {
                return Err(format!("Invalid field headers.{name}: expected a string"));
            };
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("Invalid field headers: bad header name {name:?}"))?;
            let header_value = HeaderValue::from_str(&value)
                .map_err(|_| format!("Invalid field headers.{name}: bad header value"))?;
            Ok((header_name, header_value))
        })
        .collect()
}

/// Parses a fault spec: one fault object, an array of them, or `{"faults": [...]}`
/// (the shape `GET /__mock/faults` answers). Errors name the fault's index.
pub fn parse_spec(text: &str) -> Result<Vec<Fault>, String> {
    let value: Value = serde_json::from_str(text).map_err(|err| format!("invalid JSON: {err}"))?;
    let list = match value {
        Value::Array(list) => list,
        Value::Object(mut map) if map.contains_key("faults") && !map.contains_key("route") => {
            match map.remove("faults") {
                Some(Value::Array(list)) => list,
                _ => return Err("\"faults\" must be an array of fault objects".into()),
            }
        }
        other => vec![other],
    };
    list.into_iter()
        .enumerate()
        .map(|(i, value)| Fault::from_value(value).map_err(|err| format!("fault #{i}: {err}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_field() {
        let err = |body: &str| Fault::from_json(body.as_bytes()).unwrap_err();
        assert!(err("{").starts_with("Invalid JSON body"));
        assert_eq!(err("[]"), "Request body must be a JSON object");
        assert_eq!(err(r#"{"route":"*"}"#), "Missing required field: status");
        assert_eq!(err(r#"{"status":429}"#), "Missing required field: route");
        assert!(err(r#"{"route":"*","status":101}"#).contains("status"));
        assert!(err(r#"{"route":"*","status":"429"}"#).contains("status"));
        assert!(err(r#"{"route":"*","status":429,"times":0}"#).contains("times"));
        assert!(err(r#"{"route":"*","status":429,"delay_ms":-1}"#).contains("delay_ms"));
        assert!(err(r#"{"route":"*","status":429,"headers":{"A":1}}"#).contains("headers.A"));
        assert!(err(r#"{"route":"*","status":429,"time":2}"#).contains("time"));
    }

    #[test]
    fn kinds_validate_their_fields() {
        let err = |body: &str| Fault::from_json(body.as_bytes()).unwrap_err();
        let ok = |body: &str| Fault::from_json(body.as_bytes()).unwrap();
        assert!(err(r#"{"route":"*","kind":"nope"}"#).contains("kind"));
        assert!(err(r#"{"route":"*","kind":"reset_before","status":500}"#)
            .contains("not used by kind reset_before"));
        assert!(err(r#"{"route":"*","kind":"slow_headers"}"#).contains("delay_ms"));
        assert!(err(r#"{"route":"*","kind":"truncated_json","status":204}"#).contains("status"));
        assert!(err(r#"{"route":"*","status":500,"probability":1.5}"#).contains("probability"));
        assert!(err(r#"{"route":"*","status":500,"body":"x","body_kind":"html"}"#).contains("body_kind"));
        assert!(err(r#"{"route":"*","kind":"oversized","body_kind":"empty"}"#).contains("body_kind"));
        assert!(err(r#"{"route":"*","status":500,"execute":1}"#).contains("execute"));
        let fault = ok(r#"{"route":"*","kind":"reset_before"}"#);
        assert_eq!(fault.remaining, Some(1));
        let fault = ok(r#"{"route":"*","kind":"oversized"}"#);
        assert_eq!(fault.action.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(fault.action.size_bytes, DEFAULT_OVERSIZED_BYTES);
        let fault = ok(r#"{"route":"*","kind":"stall_body"}"#);
        assert_eq!(fault.action.delay, Duration::from_millis(MAX_DELAY_MS));
        // A probability fault stays until cleared unless `times` caps it.
        assert_eq!(
            ok(r#"{"route":"*","status":503,"probability":0.5}"#).remaining,
            None
        );
        assert_eq!(
            ok(r#"{"route":"*","status":503,"probability":0.5,"times":2}"#).remaining,
            Some(2)
        );
        // The listing round-trips.
        let fault =
            ok(r#"{"route":"GET /x","kind":"stall_body","send_bytes":3,"delay_ms":10,"headers":{"A":"b"}}"#);
        let again = Fault::from_value(fault.to_json()).unwrap();
        assert_eq!(again.to_json(), fault.to_json());
    }

    #[test]
    fn specs_take_one_fault_a_list_or_a_listing() {
        assert_eq!(parse_spec(r#"{"route":"*","status":500}"#).unwrap().len(), 1);
        assert_eq!(
            parse_spec(r#"[{"route":"*","status":500},{"route":"*","kind":"reset_before"}]"#)
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            parse_spec(r#"{"faults":[{"route":"*","status":500}]}"#)
                .unwrap()
                .len(),
            1
        );
        assert!(parse_spec(r#"[{"route":"*"}]"#)
            .unwrap_err()
            .starts_with("fault #0"));
        assert!(parse_spec("nope").is_err());
    }
}
