//! The operation table: every API operation defined once.
//!
//! The typed Rust methods and the generic [`crate::Client::call`] used by the
//! Python and Node bindings both go through these definitions, so the method,
//! path and parameter placement of an operation live in exactly one place.

use std::fmt::Write as _;

use http::Method;
use serde_json::{Map, Value};

use crate::error::Error;

/// What a successful response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// A JSON document.
    Json,
    /// No body (204); the call returns `null`.
    Empty,
    /// Bytes (exports), returned as they came with their content type and filename.
    Binary,
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// Not a list, or not paginated.
    None,
    /// `page`/`limit` with `{data, pagination: {page, limit, total}}`.
    Page,
    /// `cursor` with `next_cursor` (and `has_more`), items under `items`,
    /// page size given by the `size` parameter.
    Cursor {
        /// Key of the items array in each page.
        items: &'static str,
        /// Name of the page-size query parameter.
        size: &'static str,
    },
}

/// Where an argument goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A field of the JSON body.
    Body,
}

/// The type of an argument, for generated signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A string.
    Str,
    /// An integer.
    Int,
    /// A number.
    Num,
    /// A boolean.
    Bool,
    /// A list of strings.
    StrList,
    /// A JSON object.
    Obj,
    /// A list of JSON objects.
    ObjList,
    /// Any JSON value.
    Any,
}

/// One argument of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Name on the wire (and in the SDKs; Python adds `_` to keywords like `from`).
    pub name: &'static str,
    /// Where it goes.
    pub loc: Loc,
    /// Its type.
    pub ty: Ty,
    /// Whether the API requires it.
    pub required: bool,
    /// Passed by position in the SDKs (path parameters always are).
    pub positional: bool,
    /// A value the SDK always sends for this operation (e.g. `action: "test"`).
    pub fixed: Option<&'static str>,
    /// One line for generated docs.
    pub doc: &'static str,
}

const fn param(name: &'static str, loc: Loc, ty: Ty, required: bool, doc: &'static str) -> Param {
    Param {
        name,
        loc,
        ty,
        required,
        positional: false,
        fixed: None,
        doc,
    }
}

/// A path parameter.
pub const fn path(name: &'static str) -> Param {
    Param {
        positional: true,
        ..param(name, Loc::Path, Ty::Str, true, "")
    }
}

/// An optional query parameter.
pub const fn query(name: &'static str, ty: Ty, doc: &'static str) -> Param {
    param(name, Loc::Query, ty, false, doc)
}

/// A required query parameter.
pub const fn query_req(name: &'static str, ty: Ty, doc: &'static str) -> Param {
    param(name, Loc::Query, ty, true, doc)
}

/// An optional body field.
pub const fn body(name: &'static str, ty: Ty, doc: &'static str) -> Param {
    param(name, Loc::Body, ty, false, doc)
}

/// A required body field.
pub const fn body_req(name: &'static str, ty: Ty, doc: &'static str) -> Param {
    param(name, Loc::Body, ty, true, doc)
}

/// A required body field passed by position (see [`Param::in_query`], [`Param::optional`]).
pub const fn positional(name: &'static str, ty: Ty, doc: &'static str) -> Param {
    Param {
        positional: true,
        ..param(name, Loc::Body, ty, true, doc)
    }
}

/// A body field with a value fixed by the operation.
pub const fn fixed(name: &'static str, value: &'static str) -> Param {
    Param {
        fixed: Some(value),
        ..param(name, Loc::Body, Ty::Str, true, "")
    }
}

impl Param {
    /// The same parameter, sent in the query string.
    pub const fn in_query(self) -> Param {
        Param {
            loc: Loc::Query,
            ..self
        }
    }

    /// The same parameter, optional.
    pub const fn optional(self) -> Param {
        Param {
            required: false,
            ..self
        }
    }
}

/// One API operation.
#[derive(Debug)]
pub struct Operation {
    /// Stable id, `resource.method` (`credits.balance`); the SDK method names derive from it.
    pub id: &'static str,
    /// HTTP method; also decides retry safety (see [`crate::retry`]).
    pub method: Method,
    /// Path below the base URL with `{name}` placeholders.
    pub path: &'static str,
    /// Its arguments. Arguments not listed here are passed through (query for
    /// GET and DELETE, body otherwise), so fields newer than this SDK work.
    pub params: &'static [Param],
    /// What the response carries.
    pub response: ResponseKind,
    /// How it pages, for list operations.
    pub paging: Paging,
    /// Whether it spends credits.
    pub billed: bool,
    /// A 200 may carry a top-level `error` instead of results (the newer API
    /// reports exhausted credits on search and enrich this way).
    pub error_in_body: bool,
    /// Served by a hand-written helper (uploads, exports) rather than a generated method.
    pub custom: bool,
    /// One line for generated docs.
    pub summary: &'static str,
    /// The model of [`crate::models::MODELS`] a JSON response decodes into; the
    /// generated methods of every language return it.
    pub returns: Option<&'static str>,
}

impl Operation {
    /// Defaults for the fields an entry of the table does not set.
    pub const DEFAULT: Operation = Operation {
        id: "",
        method: Method::GET,
        path: "",
        params: &[],
        response: ResponseKind::Json,
        paging: Paging::None,
        billed: false,
        error_in_body: false,
        custom: false,
        summary: "",
        returns: None,
    };
}

pub use crate::operations::OPERATIONS;

/// Looks an operation up by id.
pub fn find(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}

/// The operation with this id; for ids this crate itself uses (checked by a test).
pub(crate) fn by_id(id: &str) -> &'static Operation {
    find(id).unwrap_or_else(|| panic!("operation `{id}` is not in the table"))
}

/// A request made concrete from an operation and its arguments.
#[derive(Debug)]
pub struct Prepared {
    /// The path with its parameters filled in and encoded.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body, for methods that carry one.
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
            // URL parsing resolves `.` and `..` (also percent-encoded: `%2e`)
            // as dot segments, so `delete_row(row_id="..")` would address the
            // table itself. No id the API hands out looks like that.
            if value == "." || value == ".." {
                return Err(Error::config(format!(
                    "{}: `{name}` cannot be {value:?}: it would address another resource \
                     (URLs treat it as a relative path); pass the id the API returned",
                    self.id
                )));
            }
            encode_segment(&value, &mut path);
            rest = &rest[end + 1..];
        }
        path.push_str(rest);

        let mut query = Vec::new();
        let mut body = Map::new();
        for p in self.params {
            if let Some(value) = p.fixed {
                args.remove(p.name);
                body.insert(p.name.to_owned(), Value::String(value.to_owned()));
                continue;
            }
            let missing = match args.get(p.name) {
                None => true,
                // `null` is a value only where the API takes any JSON (e.g. `value` of a bulk update).
                Some(Value::Null) => p.ty != Ty::Any,
                Some(_) => false,
            };
            if p.required && p.loc != Loc::Path && missing {
                return Err(Error::config(format!(
                    "{}: missing required argument `{}`",
                    self.id, p.name
                )));
            }
        }
        for (name, value) in args {
            let declared = self.params.iter().find(|p| p.name == name);
            // An optional argument set to null/None is treated as not given (the
            // official Python SDK's habit); a required `Any` one, or a field this
            // SDK does not know, is sent as JSON null.
            if value.is_null() && declared.is_some_and(|p| !(p.required && p.ty == Ty::Any)) {
                continue;
            }
            let loc = declared
                .map(|p| p.loc)
                .unwrap_or(if self.has_body() { Loc::Body } else { Loc::Query });
            match loc {
                Loc::Query => push_query(&name, &value, &mut query),
                _ => {
                    body.insert(name, value);
                }
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
    fn ids_are_unique_and_paths_match_their_parameters() {
        let mut ids: Vec<_> = OPERATIONS.iter().map(|o| o.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), OPERATIONS.len());
        for op in OPERATIONS {
            for p in op.params.iter().filter(|p| p.loc == Loc::Path) {
                assert!(
                    op.path.contains(&format!("{{{}}}", p.name)),
                    "{}: {}",
                    op.id,
                    p.name
                );
            }
            let placeholders = op.path.matches('{').count();
            assert_eq!(
                placeholders,
                op.params.iter().filter(|p| p.loc == Loc::Path).count(),
                "{}",
                op.id
            );
        }
    }

    #[test]
    fn the_table_covers_the_59_operations() {
        // 54 published + 5 newer HTTP operations; `attributes.bulk_upsert` and the two
        // webhook actions share an endpoint with another SDK method.
        let mut endpoints: Vec<_> = OPERATIONS.iter().map(|o| (o.method.as_str(), o.path)).collect();
        endpoints.sort_unstable();
        endpoints.dedup();
        assert_eq!(endpoints.len(), 59);
        assert_eq!(OPERATIONS.len(), 61);
    }

    #[test]
    fn declared_locations_fixed_values_and_required_arguments() {
        let p = by_id("credits.stats")
            .prepare(json!({"from": "2026-01-01", "to": "2026-01-31"}))
            .unwrap();
        assert_eq!(p.query.len(), 2);
        let e = by_id("credits.stats")
            .prepare(json!({"from": "2026-01-01"}))
            .unwrap_err();
        assert_eq!(e.to_string(), "credits.stats: missing required argument `to`");
        let p = by_id("catalog.webhooks.test")
            .prepare(json!({"id": "wh_1"}))
            .unwrap();
        assert_eq!(p.body, Some(json!({"action": "test"})));
        let p = by_id("enhance.traces")
            .prepare(json!({"table_id": "t", "row_id": "r", "column_key": "c"}))
            .unwrap();
        assert_eq!(p.query, vec![("column_key".to_owned(), "c".to_owned())]);
        let p = by_id("tables.create")
            .prepare(json!({"schema_id": "s", "name": "n", "brand_new_field": [] }))
            .unwrap();
        assert_eq!(p.body.unwrap()["brand_new_field"], json!([]));
    }

    #[test]
    fn path_parameters_are_encoded() {
        let p = by_id("tables.get")
            .prepare(json!({"table_id": "a/b c?"}))
            .unwrap();
        assert_eq!(p.path, "/tables/a%2Fb%20c%3F");
        assert!(p.body.is_none());
    }

    #[test]
    fn missing_path_parameter_is_a_clear_error() {
        let e = by_id("tables.get").prepare(json!({})).unwrap_err();
        assert_eq!(e.to_string(), "tables.get: missing required argument `table_id`");
        let e = by_id("tables.get").prepare(json!({"table_id": ""})).unwrap_err();
        assert!(e.to_string().contains("must not be empty"));
    }

    #[test]
    fn get_arguments_go_to_the_query_and_falsy_values_are_sent() {
        let p = by_id("tables.get")
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
