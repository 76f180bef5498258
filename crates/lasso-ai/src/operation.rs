//! The operation table: every API operation defined once.
//!
//! The typed Rust methods and the generic [`crate::Client::call`] used by the
//! Python and Node bindings both go through these definitions, so the method,
//! path and parameter placement of an operation live in exactly one place.

use http::Method;
use serde_json::{Map, Value};

use crate::error::Error;

/// What a successful response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// A JSON document (an empty body decodes to `null`).
    Json,
}

/// One API operation.
#[derive(Debug)]
pub struct Operation {
    /// Stable id, `resource.method` (`credits.balance`).
    pub id: &'static str,
    /// HTTP method; also decides retry safety (see [`crate::retry`]).
    pub method: Method,
    /// Path below the base URL with `{name}` placeholders.
    pub path: &'static str,
    /// Arguments sent in the query string (for methods with a body; for GET
    /// and DELETE every argument that is not a path parameter is a query one).
    pub query: &'static [&'static str],
    /// What the response carries.
    pub response: ResponseKind,
    /// One line for generated docs.
    pub summary: &'static str,
}

/// `GET /credits/balance`
pub const CREDITS_BALANCE: Operation = Operation {
    id: "credits.balance",
    method: Method::GET,
    path: "/credits/balance",
    query: &[],
    response: ResponseKind::Json,
    summary: "Current credit balance of the company that owns the key.",
};

/// `GET /tables/{table_id}`
pub const TABLES_GET: Operation = Operation {
    id: "tables.get",
    method: Method::GET,
    path: "/tables/{table_id}",
    query: &[],
    response: ResponseKind::Json,
    summary: "Get one table (extraction job) with its status and progress.",
};

/// Every operation, in documentation order.
pub static OPERATIONS: &[&Operation] = &[&CREDITS_BALANCE, &TABLES_GET];

/// Looks an operation up by id.
pub fn find(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().copied().find(|op| op.id == id)
}

/// A request made concrete from an operation and its arguments.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Operation {
    /// Whether the method carries a JSON body.
    fn has_body(&self) -> bool {
        matches!(self.method, Method::POST | Method::PUT | Method::PATCH)
    }

    /// Places each argument: path parameters into the path (percent-encoded),
    /// query parameters into the query, the rest into the body. Arguments that
    /// are `null` are not sent; falsy values (`false`, `""`, `[]`) are.
    pub(crate) fn prepare(&self, args: Value) -> Result<Prepared, Error> {
        let mut args = match args {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => {
                return Err(Error::config(format!(
                    "{}: arguments must be an object, got {}",
                    self.id,
                    type_name(&other)
                )))
            }
        };
        let mut path = String::with_capacity(self.path.len() + 40);
        let mut rest = self.path;
        while let Some(start) = rest.find('{') {
            let end = start + rest[start..].find('}').expect("path templates are well formed");
            let name = &rest[start + 1..end];
            path.push_str(&rest[..start]);
            let value = match args.remove(name) {
                Some(Value::String(s)) if !s.is_empty() => s,
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(_)) => {
                    return Err(Error::config(format!("{}: `{name}` must not be empty", self.id)))
                }
                None | Some(Value::Null) => {
                    return Err(Error::config(format!(
                        "{}: missing required argument `{name}`",
                        self.id
                    )))
                }
                Some(other) => {
                    return Err(Error::config(format!(
                        "{}: `{name}` must be a string, got {}",
                        self.id,
                        type_name(&other)
                    )))
                }
            };
            encode_segment(&value, &mut path);
            rest = &rest[end + 1..];
        }
        path.push_str(rest);

        let mut query = Vec::new();
        let mut body = Map::new();
        for (name, value) in args {
            if value.is_null() {
                continue;
            }
            if !self.has_body() || self.query.contains(&name.as_str()) {
                push_query(&name, &value, &mut query);
            } else {
                body.insert(name, value);
            }
        }
        let body = self.has_body().then_some(Value::Object(body));
        Ok(Prepared { path, query, body })
    }
}

fn push_query(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push((name.to_owned(), s.clone())),
        Value::Array(items) => items.iter().for_each(|v| push_query(name, v, out)),
        other => out.push((name.to_owned(), other.to_string())),
    }
}

/// Percent-encodes one path segment (everything but RFC 3986 unreserved
/// characters), so ids and attribute keys with `/`, `?` or spaces stay one
/// segment.
fn encode_segment(value: &str, out: &mut String) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = OPERATIONS.iter().map(|o| o.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), OPERATIONS.len());
    }

    #[test]
    fn path_parameters_are_encoded() {
        let p = TABLES_GET.prepare(json!({"table_id": "a/b c?"})).unwrap();
        assert_eq!(p.path, "/tables/a%2Fb%20c%3F");
        assert!(p.body.is_none());
    }

    #[test]
    fn missing_path_parameter_is_a_clear_error() {
        let e = TABLES_GET.prepare(json!({})).unwrap_err();
        assert_eq!(e.to_string(), "tables.get: missing required argument `table_id`");
        let e = TABLES_GET.prepare(json!({"table_id": ""})).unwrap_err();
        assert!(e.to_string().contains("must not be empty"));
    }

    #[test]
    fn get_arguments_go_to_the_query_and_falsy_values_are_sent() {
        let p = TABLES_GET
            .prepare(json!({"table_id": "t", "flag": false, "s": "", "skip": null, "ids": ["a", "b"]}))
            .unwrap();
        let mut q = p.query.clone();
        q.sort();
        assert_eq!(
            q,
            vec![
                ("flag".into(), "false".into()),
                ("ids".into(), "a".into()),
                ("ids".into(), "b".into()),
                ("s".into(), "".into())
            ]
        );
    }
}
