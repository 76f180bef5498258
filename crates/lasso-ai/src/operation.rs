//! Operations in action: every API operation is an entry of the spec's table
//! (`lasso_spec::OPERATIONS`), and this module looks entries up and places a
//! call's arguments as the entry says (path, query or body).
//!
//! The typed Rust methods and the generic [`crate::Client::call`] used by the
//! Python and Node bindings both go through these functions, so the method,
//! path and parameter placement of an operation live in exactly one place.

use std::fmt::Write as _;

pub(crate) use lasso_spec::operation::{Loc, Method, Operation, Paging, ResponseKind, Ty, OPERATIONS};
use serde_json::{Map, Value};

use crate::error::Error;

/// Looks an operation up by id.
pub(crate) fn find(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}

/// The operation with this id; for ids this crate itself uses (checked by a test).
pub(crate) fn by_id(id: &str) -> &'static Operation {
    find(id).unwrap_or_else(|| panic!("operation `{id}` is not in the table"))
}

/// A request made concrete from an operation and its arguments.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The HTTP method.
    pub method: http::Method,
    /// The path with its parameters filled in and encoded.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body, for methods that carry one.
    pub body: Option<Value>,
}

/// The `http` crate's method for a method of the spec.
pub(crate) fn http_method(method: Method) -> http::Method {
    match method {
        Method::Get => http::Method::GET,
        Method::Post => http::Method::POST,
        Method::Put => http::Method::PUT,
        Method::Patch => http::Method::PATCH,
        Method::Delete => http::Method::DELETE,
    }
}

/// An operation's arguments placed: path parameters into the path (percent-encoded),
/// query parameters into the query, the rest into the body. Falsy values (`false`,
/// `""`, `[]`) are sent. An argument that is `null` is sent as `null` where the API
/// takes `null` (a parameter declared nullable, a required one of any type, a field
/// this SDK does not know); any other `null` means "not given" and is not sent.
pub(crate) fn prepare(op: &Operation, args: Value) -> Result<Prepared, Error> {
    let mut args = match args {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            return Err(Error::config(format!(
                "{}: arguments must be an object, got {}",
                op.id,
                type_name(&other)
            )))
        }
    };
    let mut path = String::with_capacity(op.path.len() + 40);
    let mut rest = op.path;
    while let Some(start) = rest.find('{') {
        let end = start + rest[start..].find('}').expect("path templates are well formed");
        let name = &rest[start + 1..end];
        path.push_str(&rest[..start]);
        let value = match args.remove(name) {
            Some(Value::String(s)) if !s.is_empty() => s,
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(_)) => {
                return Err(Error::config(format!("{}: `{name}` must not be empty", op.id)))
            }
            None | Some(Value::Null) => {
                return Err(Error::config(format!(
                    "{}: missing required argument `{name}`",
                    op.id
                )))
            }
            Some(other) => {
                return Err(Error::config(format!(
                    "{}: `{name}` must be a string, got {}",
                    op.id,
                    type_name(&other)
                )))
            }
        };
        // URL parsing resolves `.` and `..` (also percent-encoded: `%2e`)
        // as dot segments, so `delete_row(row_id="..")` would address the
        // table itself. No id the API hands out looks like that.
        if value == "." || value == ".." {
            return Err(Error::config(format!(
                "{}: `{name}` cannot be {value:?}: it would address another resource \
                 (URLs treat it as a relative path); pass the id the API returned",
                op.id
            )));
        }
        encode_segment(&value, &mut path);
        rest = &rest[end + 1..];
    }
    path.push_str(rest);

    let mut query = Vec::new();
    let mut body = Map::new();
    for p in op.params {
        if let Some(value) = p.fixed {
            args.remove(p.name);
            body.insert(p.name.to_owned(), Value::String(value.to_owned()));
            continue;
        }
        let missing = match args.get(p.name) {
            None => true,
            // `null` is a value only where the API takes it: any JSON (e.g. `value`
            // of a bulk update) or a nullable field.
            Some(Value::Null) => !(p.ty == Ty::Any || p.nullable),
            Some(_) => false,
        };
        if p.required && p.loc != Loc::Path && missing {
            return Err(Error::config(format!(
                "{}: missing required argument `{}`",
                op.id, p.name
            )));
        }
    }
    for (name, value) in args {
        let declared = op.params.iter().find(|p| p.name == name);
        // A declared argument set to null/None is "not given" (the official Python
        // SDK's habit) unless the API takes null for it: a nullable field (`null`
        // clears it) or a required `Any` one. A field this SDK does not know is
        // sent as given.
        if value.is_null() && declared.is_some_and(|p| !(p.nullable || (p.required && p.ty == Ty::Any))) {
            continue;
        }
        let loc = declared.map(|p| p.loc).unwrap_or(if op.method.has_body() {
            Loc::Body
        } else {
            Loc::Query
        });
        match loc {
            Loc::Query => push_query(&name, &value, &mut query),
            _ => {
                body.insert(name, value);
            }
        }
    }
    let body = op.method.has_body().then_some(Value::Object(body));
    Ok(Prepared {
        method: http_method(op.method),
        path,
        query,
        body,
    })
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
            let _ = write!(out, "%{b:02X}");
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
    fn the_table_matches_the_manifest() {
        // tests/manifest.json is generated from the spec (`./just codegen`): a change
        // in the number of operations or endpoints shows in its diff.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/manifest.json");
        let manifest: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut endpoints: Vec<_> = OPERATIONS.iter().map(|o| (o.method, o.path)).collect();
        endpoints.sort_unstable_by_key(|(m, p)| (m.as_str(), *p));
        endpoints.dedup();
        assert_eq!(manifest["endpoints"], endpoints.len());
        assert_eq!(manifest["operations"], OPERATIONS.len());
        let ids: Vec<&str> = OPERATIONS.iter().map(|o| o.id).collect();
        assert_eq!(manifest["operation_ids"], serde_json::json!(ids));
        for id in ids {
            assert!(std::ptr::eq(by_id(id), find(id).unwrap()));
        }
    }

    #[test]
    fn declared_locations_fixed_values_and_required_arguments() {
        let p = prepare(
            by_id("credits.stats"),
            json!({"from": "2026-01-01", "to": "2026-01-31"}),
        )
        .unwrap();
        assert_eq!(p.query.len(), 2);
        let e = prepare(by_id("credits.stats"), json!({"from": "2026-01-01"})).unwrap_err();
        assert_eq!(e.to_string(), "credits.stats: missing required argument `to`");
        let p = prepare(by_id("catalog.webhooks.test"), json!({"id": "wh_1"})).unwrap();
        assert_eq!(p.body, Some(json!({"action": "test"})));
        let p = prepare(
            by_id("enhance.traces"),
            json!({"table_id": "t", "row_id": "r", "column_key": "c"}),
        )
        .unwrap();
        assert_eq!(p.query, vec![("column_key".to_owned(), "c".to_owned())]);
        let p = prepare(
            by_id("tables.create"),
            json!({"schema_id": "s", "name": "n", "brand_new_field": [] }),
        )
        .unwrap();
        assert_eq!(p.body.unwrap()["brand_new_field"], json!([]));
    }

    #[test]
    fn null_is_sent_for_nullable_fields_and_means_not_given_elsewhere() {
        let p = prepare(
            by_id("tables.update"),
            json!({"table_id": "t", "enhancement_context": null, "name": null}),
        )
        .unwrap();
        assert_eq!(p.body, Some(json!({"enhancement_context": null})));
        let p = prepare(by_id("tables.update"), json!({"table_id": "t"})).unwrap();
        assert_eq!(p.body, Some(json!({})));
        let p = prepare(
            by_id("attributes.update"),
            json!({"key": "k", "description": null, "language": null, "label": null, "is_reviewed": null}),
        )
        .unwrap();
        assert_eq!(p.body, Some(json!({"description": null, "language": null})));
        // Required `Any`: null is the value to set.
        let p = prepare(
            by_id("tables.bulk_update"),
            json!({"table_id": "t", "row_ids": ["r"], "column_key": "c", "value": null}),
        )
        .unwrap();
        assert_eq!(p.body.unwrap()["value"], json!(null));
        // A required field that is not nullable is missing when null.
        let e = prepare(
            by_id("glossary.create"),
            json!({"term": null, "type": "do_not_translate"}),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "glossary.create: missing required argument `term`");
        // A field this SDK does not know goes as given.
        let p = prepare(
            by_id("tables.update"),
            json!({"table_id": "t", "brand_new": null}),
        )
        .unwrap();
        assert_eq!(p.body, Some(json!({"brand_new": null})));
        // Null never reaches a query string.
        let p = prepare(by_id("tables.list"), json!({"status": null, "page": 2})).unwrap();
        assert_eq!(p.query, vec![("page".to_owned(), "2".to_owned())]);
    }

    #[test]
    fn path_parameters_are_encoded() {
        let p = prepare(by_id("tables.get"), json!({"table_id": "a/b c?"})).unwrap();
        assert_eq!(p.path, "/tables/a%2Fb%20c%3F");
        assert!(p.body.is_none());
    }

    #[test]
    fn missing_path_parameter_is_a_clear_error() {
        let e = prepare(by_id("tables.get"), json!({})).unwrap_err();
        assert_eq!(e.to_string(), "tables.get: missing required argument `table_id`");
        let e = prepare(by_id("tables.get"), json!({"table_id": ""})).unwrap_err();
        assert!(e.to_string().contains("must not be empty"));
    }

    #[test]
    fn get_arguments_go_to_the_query_and_falsy_values_are_sent() {
        let p = prepare(
            by_id("tables.get"),
            json!({"table_id": "t", "flag": false, "s": "", "skip": null, "ids": ["a", "b"]}),
        )
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
