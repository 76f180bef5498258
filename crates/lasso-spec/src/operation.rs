//! The operation table's vocabulary: what an API operation is made of.
//!
//! [`OPERATIONS`] lists every operation once: its method, path template,
//! arguments and where each goes, response kind, paging and response model. The
//! SDK core (`lasso-ai`) places arguments and sends requests from these entries,
//! and `lasso-codegen` writes every language's methods and the emulator's
//! endpoint list from them.

pub use crate::operations::OPERATIONS;

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Its name on the wire: `GET`, `POST`, …
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether a request with this method carries a JSON body (`POST`, `PUT`, `PATCH`).
    pub const fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the body of a request carries, for the methods that send one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// A JSON object of the body parameters (`application/json`); the SDK sends
    /// `{}` when none is given.
    Json,
    /// `multipart/form-data` with one part named `file` (uploads, sent by a
    /// hand-written helper).
    Multipart,
}

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
    /// A string enumeration of [`crate::models::ENUMS`], by name (values newer than
    /// this SDK are sent as given).
    Enum(&'static str),
    /// A list of values of a string enumeration of [`crate::models::ENUMS`], by name.
    EnumList(&'static str),
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
    /// Whether the API takes `null` for it (to clear a field): given as `null`, it is
    /// sent as `null`. Any other argument given as `null` is not sent at all.
    pub nullable: bool,
    /// Passed by position in the SDKs (path parameters always are).
    pub positional: bool,
    /// A value the SDK always sends for this operation (e.g. `action: "test"`).
    pub fixed: Option<&'static str>,
    /// One line for generated docs.
    pub doc: &'static str,
    /// For a list of objects: the model of [`crate::models::MODELS`] or
    /// [`crate::models::INPUT_MODELS`] each item has, where a language types it
    /// (Rust does; the others take plain objects).
    pub shape: Option<&'static str>,
    /// The name of a choice of exactly one among several parameters (the sources of
    /// `tables.create`): a language with sum types makes them one argument of that
    /// type (Rust's `TableSource`); the others keep each parameter.
    pub one_of: Option<&'static str>,
}

const fn param(name: &'static str, loc: Loc, ty: Ty, required: bool, doc: &'static str) -> Param {
    Param {
        name,
        loc,
        ty,
        required,
        nullable: false,
        positional: false,
        fixed: None,
        doc,
        shape: None,
        one_of: None,
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

    /// The same list of objects, each item of this model (see [`Param::shape`]).
    pub const fn shape(self, model: &'static str) -> Param {
        Param {
            shape: Some(model),
            ..self
        }
    }

    /// The same parameter, one of the choice `name` (see [`Param::one_of`]).
    pub const fn one_of(self, name: &'static str) -> Param {
        Param {
            one_of: Some(name),
            ..self
        }
    }

    /// The same parameter, also taking `null` (which the API reads as "clear it").
    pub const fn nullable(self) -> Param {
        Param {
            nullable: true,
            ..self
        }
    }
}

/// One API operation.
#[derive(Debug)]
pub struct Operation {
    /// Stable id, `resource.method` (`credits.balance`); the SDK method names derive from it.
    pub id: &'static str,
    /// HTTP method; the SDK retries only the idempotent ones (`lasso_ai::retry`).
    pub method: Method,
    /// Path below the base URL with `{name}` placeholders.
    pub path: &'static str,
    /// Its arguments. Arguments not listed here are passed through (query for
    /// GET and DELETE, body otherwise), so fields newer than this SDK work.
    pub params: &'static [Param],
    /// What the request body carries (for `POST`, `PUT` and `PATCH`).
    pub request: RequestKind,
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
    /// Requests the core refuses before sending unless the caller opts in
    /// (an `enrich` whose results could never be fetched): each a per-call
    /// option of this operation's method.
    pub opt_ins: &'static [OptIn],
}

/// A per-call option that lets one operation send what the core otherwise
/// refuses (the core's `RequestOptions` field of the same name).
#[derive(Debug, Clone, Copy)]
pub struct OptIn {
    /// The option's name (`allow_enrich_without_webhook`; each language spells it its own way).
    pub name: &'static str,
    /// One line for generated docs.
    pub doc: &'static str,
}

impl Operation {
    /// Defaults for the fields an entry of the table does not set.
    pub const DEFAULT: Operation = Operation {
        id: "",
        method: Method::Get,
        path: "",
        params: &[],
        request: RequestKind::Json,
        response: ResponseKind::Json,
        paging: Paging::None,
        billed: false,
        error_in_body: false,
        custom: false,
        summary: "",
        returns: None,
        opt_ins: &[],
    };
}

/// One HTTP endpoint (a method and a path template) and the operations sent to it.
///
/// Most endpoints serve one operation. A few serve several SDK methods that differ
/// in their body: `attributes.create` and `attributes.bulk_upsert` both `POST
/// /attributes`, and `catalog.webhooks.test` and `catalog.webhooks.redeliver` both
/// `POST /catalog/webhooks/{id}` with a different fixed `action`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Its name, as the emulator counts it: the id of its only or first operation,
    /// or, when every operation sets the same fixed body field (`action`),
    /// `<resource>.<field>` (`catalog.webhooks.action`).
    pub id: String,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{name}` placeholders.
    pub path: &'static str,
    /// The operations sent to it, in table order.
    pub operations: Vec<&'static Operation>,
}

/// Every distinct endpoint of [`OPERATIONS`], in the order of its first operation.
pub fn endpoints() -> Vec<Endpoint> {
    let mut out: Vec<Endpoint> = Vec::new();
    for op in OPERATIONS {
        match out
            .iter_mut()
            .find(|e| e.method == op.method && e.path == op.path)
        {
            Some(e) => e.operations.push(op),
            None => out.push(Endpoint {
                id: String::new(),
                method: op.method,
                path: op.path,
                operations: vec![op],
            }),
        }
    }
    for e in &mut out {
        e.id = endpoint_id(&e.operations);
    }
    out
}

fn endpoint_id(ops: &[&Operation]) -> String {
    let first = ops[0];
    let fixed = |op: &Operation| op.params.iter().find(|p| p.fixed.is_some()).map(|p| p.name);
    match fixed(first) {
        Some(field) if ops.len() > 1 && ops.iter().all(|op| fixed(op) == Some(field)) => {
            let resource = first.id.rsplit_once('.').map_or("", |(r, _)| r);
            format!("{resource}.{field}")
        }
        _ => first.id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn enumerated_parameters_name_an_enumeration_and_only_bodies_take_null() {
        for op in OPERATIONS {
            for p in op.params {
                if let Ty::Enum(name) | Ty::EnumList(name) = p.ty {
                    assert!(
                        crate::models::enum_named(name).is_some(),
                        "{}: {}: no enumeration {name}",
                        op.id,
                        p.name
                    );
                }
                assert!(
                    !p.nullable || (p.loc == Loc::Body && p.fixed.is_none()),
                    "{}: {}: only a body field can be sent as null",
                    op.id,
                    p.name
                );
            }
        }
    }

    #[test]
    fn shared_endpoints_are_named_after_their_first_operation_or_their_fixed_field() {
        let shared: Vec<(String, Vec<&str>)> = endpoints()
            .into_iter()
            .filter(|e| e.operations.len() > 1)
            .map(|e| (e.id, e.operations.iter().map(|op| op.id).collect()))
            .collect();
        assert_eq!(
            shared,
            [
                (
                    "attributes.create".to_owned(),
                    vec!["attributes.create", "attributes.bulk_upsert"]
                ),
                (
                    "catalog.webhooks.action".to_owned(),
                    vec!["catalog.webhooks.test", "catalog.webhooks.redeliver"]
                ),
            ]
        );
        let mut ids: Vec<String> = endpoints().into_iter().map(|e| e.id).collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "endpoint ids are unique");
    }
}
