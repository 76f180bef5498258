//! `crates/lasso-ai/src/generated.rs`: the typed Rust surface — a handle per
//! resource, a method per operation, a `…Params` struct per operation with
//! named arguments, and a `Stream` per list operation.

use std::fmt::Write;

use lasso_spec::operation::{Operation, Paging, Param, ResponseKind, Ty};

use crate::names::{class_of, method_of};
use crate::Group;

/// The model an operation's typed method returns (see [`Operation::returns`]).
fn response_type(op: &Operation) -> &'static str {
    match op.returns {
        _ if op.response == ResponseKind::Empty => "()",
        Some(model) => model,
        _ => "Value",
    }
}

fn rust_type(ty: Ty) -> String {
    match ty {
        Ty::Str => "String".into(),
        Ty::Int => "i64".into(),
        Ty::Num => "f64".into(),
        Ty::Bool => "bool".into(),
        Ty::StrList => "Vec<String>".into(),
        Ty::Obj => "Map<String, Value>".into(),
        Ty::ObjList => "Vec<Value>".into(),
        Ty::Any => "Value".into(),
        Ty::Enum(name) => name.into(),
        Ty::EnumList(name) => format!("Vec<{name}>"),
    }
}

/// The type of a positional argument.
fn arg_type(p: &Param) -> String {
    let base = match p.ty {
        Ty::Str => "&str".to_owned(),
        other => rust_type(other),
    };
    if p.required {
        base
    } else {
        format!("Option<{base}>")
    }
}

fn ident(name: &str) -> String {
    match name {
        "type" | "match" | "ref" | "move" | "fn" | "mod" | "use" | "in" | "loop" | "where" => {
            format!("r#{name}")
        }
        other => other.to_owned(),
    }
}

fn struct_name(resource: &str) -> String {
    class_of(resource)
}

fn params_name(op: &Operation) -> String {
    format!(
        "{}Params",
        op.id.split(['.', '_']).map(class_of).collect::<String>()
    )
}

fn named(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.fixed.is_none() && !p.positional)
}

pub fn render(groups: &[Group]) -> String {
    let mut out = crate::header("//", "operations.rs");
    // `Nullable` only when an argument takes `null` (an unused import would warn).
    let nullable = groups
        .iter()
        .flat_map(|g| &g.ops)
        .flat_map(|op| named(op))
        .any(|p| p.nullable && !p.required);
    out.push_str(
        "//! The typed surface: a handle per resource, a method per operation.\n\n\
         #![allow(clippy::too_many_arguments)]\n\n\
         use futures_util::Stream;\n\
         use serde::Serialize;\n\
         use serde_json::{Map, Value};\n\n\
         use crate::operation::by_id;\n\
         use crate::types::*;\n",
    );
    out.push_str(match nullable {
        true => "use crate::{Client, Error, Nullable};\n\n",
        false => "use crate::{Client, Error};\n\n",
    });
    out.push_str(
        "\
         /// The arguments as one JSON object: the named ones, then the positional ones.\n\
         fn args(named: Option<Value>, positional: &[(&str, Value)]) -> Result<Value, Error> {\n    \
             let mut map = match named {\n        \
                 Some(Value::Object(map)) => map,\n        \
                 Some(_) => return Err(Error::config(\"arguments must serialize to an object\")),\n        \
                 None => Map::new(),\n    \
             };\n    \
             for (name, value) in positional {\n        \
                 map.insert((*name).to_owned(), value.clone());\n    \
             }\n    \
             Ok(Value::Object(map))\n}\n\n\
         fn named<T: Serialize>(params: &T) -> Result<Option<Value>, Error> {\n    \
             serde_json::to_value(params).map(Some).map_err(|e| Error::config(format!(\"cannot encode the arguments: {e}\")))\n}\n",
    );
    for group in groups {
        for op in &group.ops {
            render_params(&mut out, op);
        }
    }
    let top: Vec<&Group> = groups
        .iter()
        .filter(|g| !g.resource.is_empty() && !g.resource.contains('.'))
        .collect();
    out.push_str("\nimpl Client {\n");
    for g in &top {
        writeln!(
            out,
            "    /// `{}` operations.\n    pub fn {}(&self) -> {}<'_> {{\n        {} {{ client: self }}\n    }}\n",
            g.resource,
            g.resource,
            struct_name(g.resource),
            struct_name(g.resource)
        )
        .unwrap();
    }
    for op in groups
        .iter()
        .filter(|g| g.resource.is_empty())
        .flat_map(|g| &g.ops)
    {
        render_method(&mut out, op, "self");
    }
    out.push_str("}\n");
    for group in groups.iter().filter(|g| !g.resource.is_empty()) {
        let name = struct_name(group.resource);
        write!(
            out,
            "\n/// `client.{}()`: {} operations.\n#[derive(Debug, Clone, Copy)]\npub struct {name}<'c> {{\n    pub(crate) client: &'c Client,\n}}\n\nimpl<'c> {name}<'c> {{\n",
            group.resource.replace('.', "().") ,
            group.resource
        )
        .unwrap();
        for child in groups.iter().filter(|c| {
            c.resource
                .strip_prefix(group.resource)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|r| !r.contains('.'))
        }) {
            writeln!(
                out,
                "    /// `{}` operations.\n    pub fn {}(self) -> {}<'c> {{\n        {} {{ client: self.client }}\n    }}\n",
                child.resource,
                method_of(child.resource),
                struct_name(child.resource),
                struct_name(child.resource)
            )
            .unwrap();
        }
        for op in &group.ops {
            render_method(&mut out, op, "self.client");
        }
        out.push_str("}\n");
    }
    out
}

fn render_params(out: &mut String, op: &Operation) {
    if named(op).next().is_none() {
        return;
    }
    write!(
        out,
        "\n/// Named arguments of `{}`; fields newer than this SDK go in `extra`.\n#[derive(Debug, Clone, Default, Serialize)]\npub struct {} {{\n",
        op.id,
        params_name(op)
    )
    .unwrap();
    for p in named(op) {
        if !p.doc.is_empty() {
            writeln!(out, "    /// {}", p.doc).unwrap();
        }
        let (name, ty) = (ident(p.name), rust_type(p.ty));
        match (p.required, p.nullable) {
            (true, false) => writeln!(out, "    pub {name}: {ty},").unwrap(),
            (true, true) => {
                writeln!(out, "    ///\n    /// `None` sends `null`.").unwrap();
                writeln!(out, "    pub {name}: Option<{ty}>,").unwrap();
            }
            (false, false) => {
                writeln!(out, "    #[serde(skip_serializing_if = \"Option::is_none\")]").unwrap();
                writeln!(out, "    pub {name}: Option<{ty}>,").unwrap();
            }
            (false, true) => {
                writeln!(
                    out,
                    "    ///\n    /// Not sent unless set; [`Nullable::Null`] sends `null`."
                )
                .unwrap();
                writeln!(
                    out,
                    "    #[serde(skip_serializing_if = \"Nullable::is_omitted\")]"
                )
                .unwrap();
                writeln!(out, "    pub {name}: Nullable<{ty}>,").unwrap();
            }
        }
    }
    out.push_str("    /// Fields newer than this SDK, sent as given.\n    #[serde(flatten)]\n    pub extra: Map<String, Value>,\n}\n");
}

fn render_method(out: &mut String, op: &Operation, client: &str) {
    let positional: Vec<&Param> = op.params.iter().filter(|p| p.positional).collect();
    let has_named = named(op).next().is_some();
    let mut sig = vec!["self".to_owned()];
    if client == "self" {
        sig[0] = "&self".to_owned();
    }
    sig.extend(
        positional
            .iter()
            .map(|p| format!("{}: {}", ident(p.name), arg_type(p))),
    );
    if has_named {
        sig.push(format!("params: {}", params_name(op)));
    }
    let pos_args: Vec<String> = positional
        .iter()
        .map(|p| format!("(\"{}\", serde_json::json!({}))", p.name, ident(p.name)))
        .collect();
    let named_expr = if has_named { "named(&params)?" } else { "None" };
    let args_expr = format!("args({named_expr}, &[{}])?", pos_args.join(", "));
    let ret = response_type(op);
    writeln!(out, "    /// `{} {}`: {}", op.method, op.path, op.summary).unwrap();
    let call = example_call(op, client, method_of(op.id));
    let shown = match ret {
        "()" => format!("{call}.await?;"),
        _ => format!("let response = {call}.await?;\n    /// println!(\"{{response:?}}\");"),
    };
    write_example(out, &shown);
    writeln!(
        out,
        "    pub async fn {}({}) -> Result<{ret}, Error> {{",
        method_of(op.id),
        sig.join(", ")
    )
    .unwrap();
    match ret {
        "()" => writeln!(
            out,
            "        {client}.call_typed_empty(by_id(\"{}\"), {args_expr}).await",
            op.id
        )
        .unwrap(),
        _ => writeln!(
            out,
            "        {client}.call_typed(by_id(\"{}\"), {args_expr}).await",
            op.id
        )
        .unwrap(),
    }
    out.push_str("    }\n\n");
    if op.paging != Paging::None {
        let name = match method_of(op.id) {
            "list" => "iter".to_owned(),
            other => format!("iter_{other}"),
        };
        writeln!(
            out,
            "    /// Every item of `{}`, page after page, the next page fetched while this one is used.",
            op.id
        )
        .unwrap();
        let call = example_call(op, client, &name);
        let item = crate::item_model(op).unwrap_or("Value");
        let item_path = if item == "Value" {
            "serde_json::Value".to_owned()
        } else {
            format!("lasso_ai::{item}")
        };
        write_example(
            out,
            &format!("use futures_util::TryStreamExt;\n    /// let items: Vec<{item_path}> = {call}?.try_collect().await?;\n    /// println!(\"{{}} items\", items.len());"),
        );
        writeln!(
            out,
            "    pub fn {name}({}) -> Result<impl Stream<Item = Result<{item}, Error>> + Send + 'static, Error> {{\n        Ok({client}.pager(\"{}\", {args_expr}, Default::default())?.into_stream_of())\n    }}\n",
            sig.join(", "),
            op.id
        )
        .unwrap();
    }
}

/// A `no_run` doc example around `body` (lines after the first start with `    /// `).
fn write_example(out: &mut String, body: &str) {
    writeln!(
        out,
        "    ///\n    /// # Example\n    ///\n    /// ```no_run\n    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {{\n    /// {body}\n    /// # Ok(()) }}\n    /// ```"
    )
    .unwrap();
}

/// `client.tables().get("tbl_123")`: the method called with sample arguments.
fn example_call(op: &Operation, client: &str, method: &str) -> String {
    let mut target = String::from("client");
    if client != "self" {
        for part in crate::names::resource_of(op.id).split('.') {
            write!(target, ".{part}()").unwrap();
        }
    }
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.positional)
        .map(|p| match p.required {
            true => sample(op, p),
            false => format!("Some({})", sample(op, p)),
        })
        .collect();
    if named(op).next().is_some() {
        let required: Vec<String> = named(op)
            .filter(|p| p.required)
            .map(|p| format!("{}: {}", ident(p.name), owned_sample(op, p)))
            .collect();
        args.push(if required.is_empty() {
            "Default::default()".to_owned()
        } else {
            format!(
                "lasso_ai::{} {{ {}, ..Default::default() }}",
                params_name(op),
                required.join(", ")
            )
        });
    }
    format!("{target}.{method}({})", args.join(", "))
}

/// A sample value of a positional argument, as its method takes it.
fn sample(op: &Operation, p: &Param) -> String {
    match p.ty {
        Ty::Str => format!("\"{}\"", sample_text(op, p.name)),
        _ => owned_sample(op, p),
    }
}

/// A sample value of a named argument, as its `…Params` field holds it.
fn owned_sample(op: &Operation, p: &Param) -> String {
    match p.ty {
        Ty::Str => format!("\"{}\".into()", sample_text(op, p.name)),
        Ty::Int => "10".into(),
        Ty::Num => "1.0".into(),
        Ty::Bool => "true".into(),
        Ty::StrList => format!("vec![\"{}\".into()]", sample_text(op, p.name)),
        Ty::Obj => "serde_json::Map::new()".into(),
        Ty::ObjList => "vec![serde_json::json!({\"data\": {\"name\": \"Mug\"}})]".into(),
        Ty::Any => "serde_json::json!(12.5)".into(),
        Ty::Enum(_) => format!("\"{}\".into()", sample_text(op, p.name)),
        Ty::EnumList(_) => format!("vec![\"{}\".into()]", sample_text(op, p.name)),
    }
}

fn sample_text(op: &Operation, name: &str) -> &'static str {
    match name {
        "type" if op.id.starts_with("glossary") => "do_not_translate",
        "from" => "2026-01-01",
        "to" => "2026-01-31",
        "since" => "2026-01-01T00:00:00Z",
        "scope" => "catalog",
        "query" => "steel water bottle",
        "table_id" => "tbl_123",
        "row_id" | "row_ids" => "row_123",
        "schema_id" => "schema_123",
        "column_key" => "description",
        "key" => "sku",
        "value" => "WDG-001",
        "sample_data" => "name,price",
        "url" => "https://example.com/hooks/lasso",
        "events" => "product.updated",
        "type" => "text",
        "id" | "term_id" | "file_id" | "delivery_record_id" => "id_123",
        "name" => "Mugs",
        "label" => "Color",
        "term" => "Lasso",
        "new_key" => "colour",
        "prompt" => "One sentence about {{name}}.",
        _ => "example",
    }
}
