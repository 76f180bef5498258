//! lasso-spec against the vendor's own description of the API: the OpenAPI 3.1 file
//! `../shared/lasso-openapi.yaml` (from the repository root; CI clones the repository
//! with `shared/` beside it).
//!
//! Every operation of the file is compared with the entries of [`OPERATIONS`] at the
//! same method and path: its path, query and body parameters (name, type, string
//! enumeration, required-ness, nullability, fixed values), the content type of its
//! request body and of its success responses. Every response model of [`MODELS`] is
//! compared with every spec schema it decodes (the union of them, when a model
//! decodes several, like `Table` for `tables.get` and the items of `tables.list`):
//! its fields, their types (integer or number, enumeration or string, list of what,
//! map of what), required-ness and nullability, and every enumeration of [`ENUMS`]
//! with the values the spec gives wherever it is used.
//!
//! What differs on purpose is in one allow-list, `crates/lasso-spec/openapi-allowlist.yaml`,
//! each entry with its reason. The test fails on any other difference, and on an
//! entry that no longer matches one (so the list only holds what is still true).
//!
//! Not compared: status codes of errors, descriptions, formats (`uuid`, `date-time`),
//! bounds, defaults and examples. Request objects nested in a body parameter (the
//! columns of `schemas.create`, say) are free-form in lasso-spec (`Obj`, `ObjList`)
//! and match any object of the spec.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use lasso_spec::models::{FieldType, Model, ENUMS, MODELS};
use lasso_spec::{Loc, Operation, Param, RequestKind, ResponseKind, Ty, OPERATIONS};
use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// The vendor's file, from the repository root.
const OPENAPI: &str = "../shared/lasso-openapi.yaml";
/// The deliberate differences, from this crate's directory.
const ALLOWLIST: &str = "openapi-allowlist.yaml";

/// The kinds of difference, as the allow-list names them.
const KINDS: &[(&str, &str)] = &[
    ("missing", "the spec has it, lasso-spec does not"),
    ("extra", "lasso-spec has it, the spec does not"),
    ("type", "the types differ"),
    (
        "wider",
        "a response field: lasso-spec's type takes more (a number where the spec says integer)",
    ),
    (
        "free-form",
        "a response field: lasso-spec keeps any JSON where the spec describes a shape",
    ),
    (
        "enum",
        "the spec enumerates the values, lasso-spec takes any string",
    ),
    (
        "not-enum",
        "lasso-spec enumerates values where the spec has a plain string",
    ),
    ("required", "lasso-spec requires it, the spec does not"),
    ("optional", "the spec requires it, lasso-spec does not"),
    ("nullable", "lasso-spec takes null, the spec does not"),
    ("not-nullable", "the spec takes null, lasso-spec does not"),
    ("fixed", "the value lasso-spec always sends is not the spec's"),
    ("content-type", "the request body's content type differs"),
    (
        "response",
        "what a success response carries (JSON, bytes, nothing) differs",
    ),
    ("unmatched", "nothing in the spec corresponds to it"),
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A YAML file as JSON (the YAML 1.2 core schema: `null`, booleans, numbers, strings).
fn load_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let docs =
        YamlLoader::load_from_str(&text).map_err(|e| format!("{} is not YAML: {e}", path.display()))?;
    docs.first()
        .map(to_json)
        .ok_or_else(|| format!("{} is empty", path.display()))
}

fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(r) => r
            .parse::<f64>()
            .map_or_else(|_| Value::String(r.clone()), Value::from),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match to_json(k) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::BadValue => panic!("YAML aliases are not supported: {yaml:?}"),
    }
}

// ---------------------------------------------------------------------------
// The spec's schemas, normalized.

/// A schema of the spec, reduced to what is compared.
#[derive(Clone, Debug, PartialEq)]
enum S {
    /// No type: any JSON value.
    Any,
    /// A string, with its enumeration (`enum`, `const`) when it has one.
    Str(Option<BTreeSet<String>>),
    Int,
    Num,
    Bool,
    Arr(Box<S>),
    Obj(Obj),
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Obj {
    props: BTreeMap<String, Prop>,
    /// `additionalProperties` given as a schema (a map of values of this type).
    map: Option<Box<S>>,
}

#[derive(Clone, Debug, PartialEq)]
struct Prop {
    ty: S,
    required: bool,
    nullable: bool,
}

impl S {
    fn describe(&self) -> String {
        match self {
            S::Any => "any JSON".into(),
            S::Str(None) => "string".into(),
            S::Str(Some(values)) => format!("string, one of {}", list(values)),
            S::Int => "integer".into(),
            S::Num => "number".into(),
            S::Bool => "boolean".into(),
            S::Arr(inner) => format!("array of {}", inner.describe()),
            S::Obj(o) if o.props.is_empty() => match &o.map {
                Some(inner) => format!("map of {}", inner.describe()),
                None => "object".into(),
            },
            S::Obj(o) => format!(
                "object {{{}}}",
                o.props.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

fn list(values: &BTreeSet<String>) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a value of either schema can be: object properties are required only when
/// both require them, nullable when either allows `null`.
fn union(a: S, b: S) -> S {
    match (a, b) {
        (S::Str(Some(mut x)), S::Str(Some(y))) => {
            x.extend(y);
            S::Str(Some(x))
        }
        (S::Str(_), S::Str(_)) => S::Str(None),
        (S::Int, S::Int) => S::Int,
        (S::Int | S::Num, S::Int | S::Num) => S::Num,
        (S::Bool, S::Bool) => S::Bool,
        (S::Arr(x), S::Arr(y)) => S::Arr(Box::new(union(*x, *y))),
        (S::Obj(x), S::Obj(y)) => S::Obj(union_obj(x, y)),
        _ => S::Any,
    }
}

fn union_obj(a: Obj, b: Obj) -> Obj {
    let names: BTreeSet<&String> = a.props.keys().chain(b.props.keys()).collect();
    let props = names
        .into_iter()
        .map(|name| {
            let prop = match (a.props.get(name), b.props.get(name)) {
                (Some(x), Some(y)) => Prop {
                    ty: union(x.ty.clone(), y.ty.clone()),
                    required: x.required && y.required,
                    nullable: x.nullable || y.nullable,
                },
                (Some(x), None) | (None, Some(x)) => Prop {
                    required: false,
                    ..x.clone()
                },
                (None, None) => unreachable!(),
            };
            (name.clone(), prop)
        })
        .collect();
    let map = match (a.map, b.map) {
        (Some(x), Some(y)) => Some(Box::new(union(*x, *y))),
        (x, y) => x.or(y),
    };
    Obj { props, map }
}

struct Spec {
    root: Value,
}

impl Spec {
    /// `$ref` chains followed to the schema they name.
    fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("external $ref {r}"));
            v = self
                .root
                .pointer(pointer)
                .unwrap_or_else(|| panic!("$ref {r} names nothing"));
        }
        v
    }

    fn is_null(&self, schema: &Value) -> bool {
        let schema = self.resolve(schema);
        match schema.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(Value::Array(ts)) => ts.iter().all(|t| t == "null"),
            _ => false,
        }
    }

    /// A schema's type, and whether it takes `null`.
    fn norm(&self, schema: &Value) -> (S, bool) {
        let schema = self.resolve(schema);
        let mut nullable = false;
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.contains(&"null") {
            nullable = true;
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut obj = Obj::default();
            for part in parts {
                if let (S::Obj(o), _) = self.norm(part) {
                    for (name, p) in o.props {
                        match obj.props.get_mut(&name) {
                            Some(q) => q.required |= p.required,
                            None => {
                                obj.props.insert(name, p);
                            }
                        }
                    }
                    obj.map = obj.map.or(o.map);
                }
            }
            return (S::Obj(obj), nullable);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(parts) = schema.get(key).and_then(Value::as_array) {
                let mut alternatives = Vec::new();
                for part in parts {
                    if self.is_null(part) {
                        nullable = true;
                    } else {
                        let (ty, n) = self.norm(part);
                        nullable |= n;
                        alternatives.push(ty);
                    }
                }
                return (alternatives.into_iter().reduce(union).unwrap_or(S::Any), nullable);
            }
        }
        let mut values: Option<BTreeSet<String>> = None;
        if let Some(e) = schema.get("enum").and_then(Value::as_array) {
            let mut set = BTreeSet::new();
            for v in e {
                match v {
                    Value::Null => nullable = true,
                    Value::String(s) => {
                        set.insert(s.clone());
                    }
                    other => {
                        set.insert(other.to_string());
                    }
                }
            }
            values = Some(set);
        }
        if let Some(c) = schema.get("const").and_then(Value::as_str) {
            values = Some(BTreeSet::from([c.to_owned()]));
        }
        let concrete: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
        let ty = match concrete.as_slice() {
            ["string"] => S::Str(values),
            ["integer"] => S::Int,
            ["number"] => S::Num,
            ["boolean"] => S::Bool,
            ["array"] => S::Arr(Box::new(schema.get("items").map_or(S::Any, |i| self.norm(i).0))),
            ["object"] => S::Obj(self.object(schema)),
            [] if schema.get("properties").is_some() => S::Obj(self.object(schema)),
            [] if values.is_some() => S::Str(values),
            _ => S::Any,
        };
        (ty, nullable)
    }

    fn object(&self, schema: &Value) -> Obj {
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut obj = Obj::default();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let (ty, nullable) = self.norm(prop);
                let required = required.contains(name.as_str());
                obj.props.insert(
                    name.clone(),
                    Prop {
                        ty,
                        required,
                        nullable,
                    },
                );
            }
        }
        if let Some(extra @ Value::Object(_)) = schema.get("additionalProperties") {
            obj.map = Some(Box::new(self.norm(extra).0));
        }
        obj
    }

    /// The alternatives of a top-level `oneOf` (a body or an answer that takes one of
    /// several shapes), or the schema alone.
    fn alternatives(&self, schema: &Value) -> Vec<S> {
        let schema = self.resolve(schema);
        match schema.get("oneOf").and_then(Value::as_array) {
            Some(parts) => parts
                .iter()
                .filter(|p| !self.is_null(p))
                .map(|p| self.norm(p).0)
                .collect(),
            None => vec![self.norm(schema).0],
        }
    }
}

// ---------------------------------------------------------------------------
// The comparison.

#[derive(Debug)]
struct Diff {
    at: String,
    kind: &'static str,
    detail: String,
}

struct Check<'s> {
    spec: &'s Spec,
    diffs: Vec<Diff>,
    /// The spec objects each model decodes, gathered from the operations and from
    /// the models that contain it.
    models: BTreeMap<&'static str, Vec<Obj>>,
    /// Models already compared (their contributions are closed).
    done: BTreeSet<&'static str>,
    /// The spec's values wherever each enumeration is used.
    enums: BTreeMap<&'static str, BTreeSet<String>>,
}

/// A parameter of a spec operation.
struct SpecParam {
    name: String,
    loc: String,
    required: bool,
    ty: S,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn loc_name(loc: Loc) -> &'static str {
    match loc {
        Loc::Path => "path",
        Loc::Query => "query",
        Loc::Body => "body",
    }
}

fn ty_name(ty: Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::Int => "integer".into(),
        Ty::Num => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::StrList => "list of strings".into(),
        Ty::Obj => "object".into(),
        Ty::ObjList => "list of objects".into(),
        Ty::Any => "any JSON".into(),
        Ty::Enum(name) => format!("enum {name}"),
        Ty::EnumList(name) => format!("list of enum {name}"),
    }
}

fn field_name(ty: &FieldType, item: Option<&str>) -> String {
    match ty {
        FieldType::Str => "string".into(),
        FieldType::Int => "integer".into(),
        FieldType::Num => "number".into(),
        FieldType::Bool => "boolean".into(),
        FieldType::Json => "any JSON".into(),
        FieldType::Object => "object".into(),
        FieldType::Enum(name) => format!("enum {name}"),
        FieldType::Model(name) => format!("model {name}"),
        FieldType::List(inner) => format!("list of {}", field_name(inner, item)),
        FieldType::Map(inner) => format!("map of {}", field_name(inner, item)),
        FieldType::Item => format!("model {}", item.unwrap_or("T")),
    }
}

impl<'s> Check<'s> {
    fn new(spec: &'s Spec) -> Self {
        Check {
            spec,
            diffs: Vec::new(),
            models: BTreeMap::new(),
            done: BTreeSet::new(),
            enums: BTreeMap::new(),
        }
    }

    fn diff(&mut self, at: impl Into<String>, kind: &'static str, detail: impl Into<String>) {
        assert!(KINDS.iter().any(|(k, _)| *k == kind), "unknown kind {kind}");
        self.diffs.push(Diff {
            at: at.into(),
            kind,
            detail: detail.into(),
        });
    }

    fn enum_values(&mut self, name: &'static str, values: &BTreeSet<String>) {
        self.enums.entry(name).or_default().extend(values.iter().cloned());
    }

    fn contribute(&mut self, model: &'static str, obj: Obj) {
        assert!(
            !self.done.contains(model),
            "MODELS must list a model before the models that use it: {model}"
        );
        self.models.entry(model).or_default().push(obj);
    }

    // -- Operations ---------------------------------------------------------

    fn operations(&mut self) {
        let paths = self.spec.root["paths"]
            .as_object()
            .expect("the spec has `paths`")
            .clone();
        let mut seen = BTreeSet::new();
        for (path, item) in &paths {
            for method in METHODS {
                let Some(op_spec) = item.get(method) else { continue };
                let ours: Vec<&'static Operation> = OPERATIONS
                    .iter()
                    .filter(|op| op.method.as_str().eq_ignore_ascii_case(method) && op.path == path)
                    .collect();
                if ours.is_empty() {
                    let id = op_spec["operationId"].as_str().unwrap_or("?");
                    let summary = op_spec["summary"].as_str().unwrap_or("");
                    self.diff(
                        format!("{} {path}", method.to_uppercase()),
                        "missing",
                        format!("`{id}`: {summary}"),
                    );
                    continue;
                }
                let params = self.parameters(item.get("parameters"), op_spec.get("parameters"));
                for op in ours {
                    seen.insert(op.id);
                    self.operation(op, &params, op_spec);
                }
            }
        }
        for op in OPERATIONS.iter().filter(|op| !seen.contains(op.id)) {
            self.diff(
                op.id,
                "extra",
                format!("{} {} is not in the spec", op.method, op.path),
            );
        }
    }

    /// The parameters of the path item, then the operation's own (which override).
    fn parameters(&self, shared: Option<&Value>, own: Option<&Value>) -> Vec<SpecParam> {
        let mut out: Vec<SpecParam> = Vec::new();
        for list in [shared, own].into_iter().flatten() {
            for p in list.as_array().expect("parameters are a list") {
                let p = self.spec.resolve(p);
                let name = p["name"].as_str().expect("a parameter has a name").to_owned();
                let loc = p["in"].as_str().expect("a parameter has `in`").to_owned();
                let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
                let ty = p.get("schema").map_or(S::Any, |s| self.spec.norm(s).0);
                out.retain(|q| !(q.name == name && q.loc == loc));
                out.push(SpecParam {
                    name,
                    loc,
                    required,
                    ty,
                });
            }
        }
        out
    }

    fn operation(&mut self, op: &'static Operation, params: &[SpecParam], op_spec: &Value) {
        // Path and query parameters.
        for p in params {
            let at = format!("{} {}.{}", op.id, p.loc, p.name);
            let ours = op
                .params
                .iter()
                .find(|q| q.name == p.name && loc_name(q.loc) == p.loc);
            match ours {
                Some(q) => self.param(&at, q, &p.ty, p.required, false),
                None => self.diff(at, "missing", p.ty.describe()),
            }
        }
        for q in op.params.iter().filter(|q| q.loc != Loc::Body) {
            if !params
                .iter()
                .any(|p| p.name == q.name && p.loc == loc_name(q.loc))
            {
                self.diff(
                    format!("{} {}.{}", op.id, loc_name(q.loc), q.name),
                    "extra",
                    ty_name(q.ty),
                );
            }
        }

        // The request body.
        let content = self
            .spec
            .resolve(op_spec.get("requestBody").unwrap_or(&Value::Null))
            .get("content")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let body: Vec<&'static Param> = op.params.iter().filter(|p| p.loc == Loc::Body).collect();
        if content.is_empty() {
            for p in body {
                self.diff(
                    format!("{} body.{}", op.id, p.name),
                    "extra",
                    "the spec has no request body",
                );
            }
        } else {
            let ours = match op.request {
                RequestKind::Json => "application/json",
                RequestKind::Multipart => "multipart/form-data",
            };
            if !op.method.has_body() || !content.contains_key(ours) {
                let theirs: Vec<&str> = content.keys().map(String::as_str).collect();
                self.diff(
                    format!("{} request", op.id),
                    "content-type",
                    format!("the spec: {}; lasso-spec: {ours}", theirs.join(", ")),
                );
            }
            if let Some(schema) = content.get(ours).and_then(|c| c.get("schema")) {
                self.body(op, &body, schema);
            }
        }

        self.response(op, op_spec);
    }

    fn body(&mut self, op: &'static Operation, body: &[&'static Param], schema: &Value) {
        let alternatives: Vec<Obj> = self
            .spec
            .alternatives(schema)
            .into_iter()
            .filter_map(|s| match s {
                S::Obj(o) => Some(o),
                _ => None,
            })
            .collect();
        let fits = |o: &Obj| -> Option<usize> {
            for p in body {
                if let Some(v) = p.fixed {
                    match o.props.get(p.name).map(|p| &p.ty) {
                        Some(S::Str(Some(values))) if values.len() == 1 && values.contains(v) => {}
                        _ => return None,
                    }
                }
            }
            if o.props
                .iter()
                .any(|(name, p)| p.required && !body.iter().any(|q| q.name == name))
            {
                return None;
            }
            Some(body.iter().filter(|p| o.props.contains_key(p.name)).count())
        };
        let chosen = match alternatives.len() {
            0 => None,
            1 => alternatives.into_iter().next(),
            _ => alternatives
                .into_iter()
                .filter_map(|o| fits(&o).map(|score| (score, o)))
                .max_by_key(|(score, _)| *score)
                .map(|(_, o)| o),
        };
        let Some(obj) = chosen else {
            self.diff(
                format!("{} request", op.id),
                "type",
                "no object of the spec's request body fits the body parameters",
            );
            return;
        };
        for (name, prop) in &obj.props {
            let at = format!("{} body.{name}", op.id);
            match body.iter().find(|p| p.name == name) {
                Some(p) => self.param(&at, p, &prop.ty, prop.required, prop.nullable),
                None => self.diff(at, "missing", prop.ty.describe()),
            }
        }
        for p in body.iter().filter(|p| !obj.props.contains_key(p.name)) {
            self.diff(format!("{} body.{}", op.id, p.name), "extra", ty_name(p.ty));
        }
    }

    fn param(&mut self, at: &str, ours: &Param, spec: &S, required: bool, nullable: bool) {
        if ours.required != required {
            let kind = if ours.required { "required" } else { "optional" };
            self.diff(at, kind, "");
        }
        if ours.nullable != nullable {
            let kind = if ours.nullable { "nullable" } else { "not-nullable" };
            self.diff(at, kind, "");
        }
        if let Some(value) = ours.fixed {
            match spec {
                S::Str(Some(values)) if values.len() == 1 && values.contains(value) => {}
                other => self.diff(
                    at,
                    "fixed",
                    format!("the spec: {}; lasso-spec: `{value}`", other.describe()),
                ),
            }
            return;
        }
        let detail = format!("the spec: {}; lasso-spec: {}", spec.describe(), ty_name(ours.ty));
        let ok = match (ours.ty, spec) {
            (Ty::Any, S::Any) => true,
            (Ty::Str, S::Str(None)) => true,
            (Ty::Str, S::Str(Some(_))) => return self.diff(at, "enum", detail),
            (Ty::StrList, S::Arr(inner)) => match &**inner {
                S::Str(None) => true,
                S::Str(Some(_)) => return self.diff(at, "enum", detail),
                _ => false,
            },
            (Ty::Enum(name), S::Str(Some(values))) => {
                self.enum_values(name, values);
                true
            }
            (Ty::EnumList(name), S::Arr(inner)) => match &**inner {
                S::Str(Some(values)) => {
                    self.enum_values(name, values);
                    true
                }
                S::Str(None) => return self.diff(at, "not-enum", detail),
                _ => false,
            },
            (Ty::Enum(_), S::Str(None)) => return self.diff(at, "not-enum", detail),
            (Ty::Int, S::Int) | (Ty::Num, S::Num) | (Ty::Bool, S::Bool) => true,
            (Ty::Obj, S::Obj(_)) => true,
            (Ty::ObjList, S::Arr(inner)) => matches!(**inner, S::Obj(_)),
            _ => false,
        };
        if !ok {
            self.diff(at, "type", detail);
        }
    }

    fn response(&mut self, op: &'static Operation, op_spec: &Value) {
        let mut json = Vec::new();
        let mut binary = Vec::new();
        let responses = op_spec["responses"].as_object().cloned().unwrap_or_default();
        for (code, response) in &responses {
            if !code.starts_with('2') {
                continue;
            }
            let response = self.spec.resolve(response);
            for (ty, media) in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if ty == "application/json" {
                    json.extend(media.get("schema").cloned());
                } else {
                    binary.push(ty.clone());
                }
            }
        }
        let theirs = if !binary.is_empty() {
            ResponseKind::Binary
        } else if !json.is_empty() {
            ResponseKind::Json
        } else {
            ResponseKind::Empty
        };
        if theirs != op.response {
            self.diff(
                format!("{} response", op.id),
                "response",
                format!("the spec: {theirs:?}; lasso-spec: {:?}", op.response),
            );
            return;
        }
        let Some(model) = op.returns else { return };
        let m = lasso_spec::models::model_named(model).expect("every model resolves");
        let names: BTreeSet<&str> = m.all_fields().0.iter().map(|f| f.name).collect();
        let mut matched = false;
        for schema in &json {
            let best = self
                .spec
                .alternatives(schema)
                .into_iter()
                .filter_map(|s| match s {
                    S::Obj(o) => Some(o),
                    _ => None,
                })
                .map(|o| (o.props.keys().filter(|k| names.contains(k.as_str())).count(), o))
                .filter(|(score, _)| *score > 0)
                .max_by_key(|(score, _)| *score);
            if let Some((_, obj)) = best {
                matched = true;
                self.contribute(model, obj);
            }
        }
        if !matched {
            self.diff(
                format!("{} response", op.id),
                "unmatched",
                format!("no answer of the spec fits {model}"),
            );
        }
    }

    // -- Models -------------------------------------------------------------

    fn models(&mut self) {
        for m in MODELS.iter().rev() {
            self.done.insert(m.name);
            if m.is_generic() {
                // Compared through its instances (`TablePage` for `Page`).
                continue;
            }
            let Some(objs) = self.models.remove(m.name) else {
                self.diff(
                    format!("model {}", m.name),
                    "unmatched",
                    "no schema of the spec decodes into it",
                );
                continue;
            };
            let spec = objs.into_iter().reduce(union_obj).expect("at least one");
            self.model(m, &spec);
        }
    }

    fn model(&mut self, m: &Model, spec: &Obj) {
        let (fields, item) = m.all_fields();
        for f in &fields {
            let at = format!("model {}.{}", m.name, f.name);
            let Some(p) = spec.props.get(f.name) else {
                self.diff(at, "extra", field_name(&f.ty, item));
                continue;
            };
            if f.required != p.required {
                self.diff(&at, if f.required { "required" } else { "optional" }, "");
            }
            if f.nullable != p.nullable {
                self.diff(&at, if f.nullable { "nullable" } else { "not-nullable" }, "");
            }
            self.field(&at, &f.ty, &p.ty, item);
        }
        for (name, p) in &spec.props {
            if !fields.iter().any(|f| f.name == name) {
                let nullable = if p.nullable { " or null" } else { "" };
                let required = if p.required { "required" } else { "optional" };
                self.diff(
                    format!("model {}.{name}", m.name),
                    "missing",
                    format!("{}{nullable}, {required}", p.ty.describe()),
                );
            }
        }
    }

    fn field(&mut self, at: &str, ty: &FieldType, spec: &S, item: Option<&'static str>) {
        let detail = format!(
            "the spec: {}; lasso-spec: {}",
            spec.describe(),
            field_name(ty, item)
        );
        match (ty, spec) {
            (FieldType::Json, S::Any) => {}
            (FieldType::Json, _) => self.diff(at, "free-form", detail),
            (_, S::Any) => self.diff(at, "type", detail),
            (FieldType::Object, S::Obj(o))
                if o.props.is_empty() && o.map.as_deref().is_none_or(|m| *m == S::Any) => {}
            (FieldType::Object, S::Obj(_)) => self.diff(at, "free-form", detail),
            (FieldType::Str, S::Str(None)) => {}
            (FieldType::Str, S::Str(Some(_))) => self.diff(at, "enum", detail),
            (FieldType::Enum(name), S::Str(Some(values))) => self.enum_values(name, values),
            (FieldType::Enum(_), S::Str(None)) => self.diff(at, "not-enum", detail),
            (FieldType::Int, S::Int) | (FieldType::Num, S::Num) | (FieldType::Bool, S::Bool) => {}
            (FieldType::Num, S::Int) => self.diff(at, "wider", detail),
            (FieldType::List(inner), S::Arr(s)) => self.field(&format!("{at}[]"), inner, s, item),
            (FieldType::Map(inner), S::Obj(o)) if o.props.is_empty() => {
                let values = o.map.as_deref().cloned().unwrap_or(S::Any);
                self.field(&format!("{at}{{}}"), inner, &values, item);
            }
            (FieldType::Model(name), S::Obj(o)) => self.contribute(name, o.clone()),
            (FieldType::Item, _) => {
                let model = item.expect("a page names its items");
                self.field(at, &FieldType::Model(model), spec, item);
            }
            _ => self.diff(at, "type", detail),
        }
    }

    fn enums(&mut self) {
        for e in ENUMS {
            let Some(theirs) = self.enums.remove(e.name) else {
                self.diff(
                    format!("enum {}", e.name),
                    "unmatched",
                    "no enumeration of the spec is compared with it",
                );
                continue;
            };
            let ours: BTreeSet<String> = e.values.iter().map(|(v, _)| (*v).to_owned()).collect();
            for v in theirs.difference(&ours) {
                self.diff(format!("enum {}.{v}", e.name), "missing", "");
            }
            for v in ours.difference(&theirs) {
                self.diff(
                    format!("enum {}.{v}", e.name),
                    "extra",
                    format!("the spec's values: {}", list(&theirs)),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The allow-list.

struct Entry {
    at: String,
    kind: String,
    used: Cell<usize>,
}

impl Entry {
    fn matches(&self, d: &Diff) -> bool {
        self.kind == d.kind
            && match self.at.strip_suffix('*') {
                Some(prefix) => d.at.starts_with(prefix),
                None => self.at == d.at,
            }
    }
}

fn allowlist(path: &Path) -> Vec<Entry> {
    let value = load_yaml(path).unwrap_or_else(|e| panic!("{e}"));
    let items = value
        .as_array()
        .unwrap_or_else(|| panic!("{}: a list of entries", path.display()));
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let get = |key: &str| -> String {
                let s = item
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                assert!(
                    !s.is_empty(),
                    "{}: entry {} has no `{key}`: {item}",
                    path.display(),
                    i + 1
                );
                s
            };
            let entry = Entry {
                at: get("at"),
                kind: get("diff"),
                used: Cell::new(0),
            };
            get("reason");
            assert!(
                KINDS.iter().any(|(k, _)| *k == entry.kind),
                "{}: entry {} (`{}`): unknown diff `{}`; one of {}",
                path.display(),
                i + 1,
                entry.at,
                entry.kind,
                KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            );
            let extra: Vec<&String> = item
                .as_object()
                .map(Map::keys)
                .into_iter()
                .flatten()
                .filter(|k| !matches!(k.as_str(), "at" | "diff" | "reason"))
                .collect();
            assert!(
                extra.is_empty(),
                "{}: entry {}: unknown keys {extra:?}",
                path.display(),
                i + 1
            );
            entry
        })
        .collect()
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Every difference between lasso-spec and this OpenAPI document.
fn compare(document: Value) -> Vec<Diff> {
    let spec = Spec { root: document };
    let mut check = Check::new(&spec);
    check.operations();
    check.models();
    check.enums();
    check.diffs
}

fn vendor_spec() -> Value {
    let openapi = repo_root().join(OPENAPI);
    let spec = load_yaml(&openapi).unwrap_or_else(|e| {
        panic!(
            "the vendor's OpenAPI description is needed: {e}.\n\
             It is `{OPENAPI}` from the repository root, i.e. `shared/` beside the clone \
             (CI clones the repository with `shared/` next to it)."
        )
    });
    assert!(
        spec.get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.")),
        "{} is not an OpenAPI 3 document",
        openapi.display()
    );
    spec
}

#[test]
fn lasso_spec_matches_the_vendors_openapi_file_but_for_the_allow_list() {
    let diffs = compare(vendor_spec());
    let list_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ALLOWLIST);
    let entries = allowlist(&list_path);
    let mut unlisted = Vec::new();
    for d in &diffs {
        match entries.iter().find(|e| e.matches(d)) {
            Some(e) => e.used.set(e.used.get() + 1),
            None => unlisted.push(d),
        }
    }
    let stale: Vec<&Entry> = entries.iter().filter(|e| e.used.get() == 0).collect();
    let mut report = String::new();
    if !unlisted.is_empty() {
        writeln!(
            report,
            "{} difference(s) between lasso-spec and {OPENAPI} are not in crates/lasso-spec/{ALLOWLIST}.\n\
             Fix crates/lasso-spec (and run `./just codegen`), or add each deliberate one to the \
             allow-list with its reason:\n",
            unlisted.len()
        )
        .unwrap();
        for d in &unlisted {
            let meaning = KINDS.iter().find(|(k, _)| *k == d.kind).map_or("", |(_, m)| m);
            let detail = if d.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.detail)
            };
            writeln!(
                report,
                "- at: {}\n  diff: {}  # {meaning}{detail}\n  reason: \"\"",
                yaml_string(&d.at),
                d.kind
            )
            .unwrap();
        }
    }
    if !stale.is_empty() {
        writeln!(
            report,
            "\n{} allow-list entr(y/ies) match no difference any more; remove them:",
            stale.len()
        )
        .unwrap();
        for e in &stale {
            writeln!(report, "- at: {} (diff: {})", yaml_string(&e.at), e.kind).unwrap();
        }
    }
    assert!(report.is_empty(), "\n{report}");
    // Shown with `--nocapture`: what each entry of the allow-list covers.
    eprintln!(
        "{} operations and {} models compared; {} allowed differences:",
        OPERATIONS.len(),
        MODELS.len(),
        diffs.len()
    );
    for e in &entries {
        eprintln!("  {:>3}  {} ({})", e.used.get(), e.at, e.kind);
    }
}

/// The comparison is worth something only if it notices a change: each edit of the
/// vendor's file below must show up as the difference named.
#[test]
fn the_comparison_notices_every_kind_of_change() {
    // Sets (or adds) the member a JSON pointer names.
    let set = |doc: &mut Value, pointer: &str, value: Value| {
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer below the root");
        let key = key.replace("~1", "/").replace("~0", "~");
        doc.pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{parent} is not an object of the spec"))
            .insert(key, value);
    };
    let body = "/paths/~1tables~1{table_id}/patch/requestBody/content/application~1json/schema/properties";
    /// What is changed, the change, and where and what the difference is.
    type Case<'a> = (&'a str, Box<dyn Fn(&mut Value) + 'a>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            "a body field's type",
            Box::new(move |d| set(d, &format!("{body}/name/type"), "integer".into())),
            "tables.update body.name",
            "type",
        ),
        (
            "a body field that takes null",
            Box::new(move |d| {
                set(
                    d,
                    &format!("{body}/name/type"),
                    serde_json::json!(["string", "null"]),
                )
            }),
            "tables.update body.name",
            "not-nullable",
        ),
        (
            "a new body field",
            Box::new(move |d| {
                set(
                    d,
                    &format!("{body}/colour"),
                    serde_json::json!({"type": "string"}),
                )
            }),
            "tables.update body.colour",
            "missing",
        ),
        (
            "a query parameter that became required",
            Box::new(|d| set(d, "/paths/~1tables/get/parameters/3/required", true.into())),
            "tables.list query.status",
            "optional",
        ),
        (
            "an integer that became a number",
            Box::new(|d| {
                set(
                    d,
                    "/components/schemas/Table/properties/total_rows/type",
                    "number".into(),
                )
            }),
            "model Table.total_rows",
            "type",
        ),
        (
            "a field no longer required",
            Box::new(|d| {
                set(
                    d,
                    "/components/schemas/Pagination/required",
                    serde_json::json!(["limit", "total"]),
                )
            }),
            "model Pagination.page",
            "required",
        ),
        (
            "a new enumeration value",
            Box::new(|d| {
                let values = d.pointer_mut("/components/schemas/TableStatus/enum").unwrap();
                values.as_array_mut().unwrap().push("archived".into());
            }),
            "enum TableStatus.archived",
            "missing",
        ),
        (
            "an operation gone",
            Box::new(|d| {
                d["paths"].as_object_mut().unwrap().remove("/credits/balance");
            }),
            "credits.balance",
            "extra",
        ),
        (
            "a binary answer",
            Box::new(|d| {
                set(
                    d,
                    "/paths/~1credits~1balance/get/responses/200/content",
                    serde_json::json!({"text/csv": {"schema": {"type": "string"}}}),
                )
            }),
            "credits.balance response",
            "response",
        ),
    ];
    let baseline: Vec<(String, &str)> = compare(vendor_spec())
        .into_iter()
        .map(|d| (d.at, d.kind))
        .collect();
    for (what, edit, at, kind) in cases {
        let mut doc = vendor_spec();
        edit(&mut doc);
        let found = compare(doc).into_iter().any(|d| d.at == at && d.kind == kind);
        assert!(found, "{what}: no `{kind}` difference at `{at}`");
        assert!(
            !baseline.iter().any(|(a, k)| a == at && *k == kind),
            "{what}: `{kind}` at `{at}` is there without the edit"
        );
    }
}
