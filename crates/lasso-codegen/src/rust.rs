//! `crates/lasso-ai/src/generated.rs`: the typed Rust surface — a handle per
//! resource, a method per operation returning a [`Call`] (sent when awaited,
//! per-call options through `.with_options(…)`), a `…Params` builder per operation
//! with named arguments (the required ones in `new`), an enum per choice of one
//! parameter among several, and a lazy `ListStream` per list operation.
//!
//! It also writes `crates/lasso-ai/tests/doc_examples.rs`: every doc example of the
//! generated methods, as a test run against lasso-mock.

use std::fmt::Write;

use lasso_spec::operation::{Operation, Paging, Param, ResponseKind, Ty};

use crate::names::{class_of, method_of, snake_iter_name};
use crate::Group;

/// The model an operation's typed method returns (see [`Operation::returns`]).
pub(crate) fn response_type(op: &Operation) -> &'static str {
    match op.returns {
        _ if op.response == ResponseKind::Empty => "()",
        Some(model) => model,
        _ => "Value",
    }
}

/// The type a `…Params` field holds.
pub(crate) fn field_type(p: &Param) -> String {
    match (p.ty, p.shape) {
        (Ty::ObjList, Some(model)) => format!("Vec<{model}>"),
        (Ty::Str, _) => "String".into(),
        (Ty::Int, _) => "i64".into(),
        (Ty::Num, _) => "f64".into(),
        (Ty::Bool, _) => "bool".into(),
        (Ty::StrList, _) => "Vec<String>".into(),
        (Ty::Obj, _) => "Map<String, Value>".into(),
        (Ty::ObjList, None) => "Vec<Value>".into(),
        (Ty::Any, _) => "Value".into(),
        (Ty::Enum(name), _) => name.into(),
        (Ty::EnumList(name), _) => format!("Vec<{name}>"),
    }
}

/// What a constructor or setter takes for a field, and how it becomes the field's value.
fn setter_arg(p: &Param, var: &str) -> (String, String) {
    match (p.ty, p.shape) {
        (Ty::ObjList, Some(model)) => (
            format!("impl IntoIterator<Item = {model}>"),
            format!("{var}.into_iter().collect()"),
        ),
        (Ty::Str, _) => ("impl Into<String>".into(), format!("{var}.into()")),
        (Ty::StrList, _) => (
            "impl IntoIterator<Item = impl Into<String>>".into(),
            format!("{var}.into_iter().map(Into::into).collect()"),
        ),
        (Ty::ObjList, None) => (
            "impl IntoIterator<Item = Value>".into(),
            format!("{var}.into_iter().collect()"),
        ),
        (Ty::Any, _) => ("impl Into<Value>".into(), format!("{var}.into()")),
        (Ty::EnumList(name), _) => (
            format!("impl IntoIterator<Item = {name}>"),
            format!("{var}.into_iter().collect()"),
        ),
        _ => (field_type(p), var.to_owned()),
    }
}

/// The type of a positional argument.
pub(crate) fn arg_type(p: &Param) -> String {
    let base = match p.ty {
        Ty::Str => "&str".to_owned(),
        _ => field_type(p),
    };
    if p.required {
        base
    } else {
        format!("Option<{base}>")
    }
}

pub(crate) fn ident(name: &str) -> String {
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

pub(crate) fn params_name(op: &Operation) -> String {
    format!(
        "{}Params",
        op.id.split(['.', '_']).map(class_of).collect::<String>()
    )
}

/// The named arguments of an operation, as its `…Params` struct has them.
pub(crate) fn named(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.fixed.is_none() && !p.positional)
}

/// A named argument of the struct: one parameter, or a choice among several.
pub(crate) enum Slot<'a> {
    One(&'a Param),
    Choice(&'static str, Vec<&'a Param>),
}

pub(crate) fn slots(op: &Operation) -> Vec<Slot<'_>> {
    let mut out: Vec<Slot<'_>> = Vec::new();
    for p in named(op) {
        match p.one_of {
            None => out.push(Slot::One(p)),
            Some(name) => match out
                .iter_mut()
                .find(|s| matches!(s, Slot::Choice(n, _) if *n == name))
            {
                Some(Slot::Choice(_, params)) => params.push(p),
                _ => out.push(Slot::Choice(name, vec![p])),
            },
        }
    }
    out
}

/// `TableSource` → `source`: the field holding a choice.
pub(crate) fn choice_field(name: &str) -> String {
    let last = name
        .char_indices()
        .filter(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .next_back()
        .unwrap_or(0);
    name[last..].to_ascii_lowercase()
}

fn is_required(slot: &Slot<'_>) -> bool {
    match slot {
        Slot::One(p) => p.required,
        Slot::Choice(..) => true,
    }
}

pub fn render(groups: &[Group]) -> String {
    let mut out = crate::header("//", "operations.rs");
    out.push_str(
        "//! The typed surface: a handle per resource, a method per operation.\n\n\
         #![allow(clippy::too_many_arguments)]\n\n\
         use serde::de::DeserializeOwned;\n\
         use serde::Serialize;\n\
         use serde_json::{Map, Value};\n\n\
         use crate::call::{Call, ListStream};\n\
         use crate::operation::by_id;\n\
         use crate::types::*;\n\
         use crate::{Client, Error, Nullable};\n\n\
         /// The arguments as one JSON object: the named ones, then the positional ones.\n\
         fn args(named: Result<Option<Value>, Error>, positional: &[(&str, Value)]) -> Result<Value, Error> {\n    \
             let mut map = match named? {\n        \
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
    let mut choices: Vec<&'static str> = Vec::new();
    for group in groups {
        for op in &group.ops {
            for slot in slots(op) {
                if let Slot::Choice(name, params) = slot {
                    if !choices.contains(&name) {
                        choices.push(name);
                        render_choice(&mut out, op, name, &params);
                    }
                }
            }
        }
    }
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
            group.resource.replace('.', "()."),
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

fn render_choice(out: &mut String, op: &Operation, name: &str, params: &[&Param]) {
    let wires: Vec<String> = params.iter().map(|p| format!("`{}`", p.name)).collect();
    write!(
        out,
        "\n/// The choice of `{}`: exactly one of {} is sent.\n#[derive(Debug, Clone, PartialEq, Serialize)]\n#[non_exhaustive]\npub enum {name} {{\n",
        op.id,
        wires.join(", ")
    )
    .unwrap();
    for p in params {
        writeln!(
            out,
            "    /// `{}`: {}\n    #[serde(rename = \"{}\")]\n    {}({}),",
            p.name,
            p.doc,
            p.name,
            crate::names::variant_of(p.name),
            field_type(p)
        )
        .unwrap();
    }
    out.push_str("}\n");
}

fn render_params(out: &mut String, op: &Operation) {
    let slots = slots(op);
    if slots.is_empty() {
        return;
    }
    let name = params_name(op);
    let required: Vec<&Slot<'_>> = slots.iter().filter(|s| is_required(s)).collect();
    let default = if required.is_empty() { ", Default" } else { "" };
    let how = if required.is_empty() {
        format!("[`{name}::new()`] (or `Default`) sends none of them")
    } else {
        format!("[`{name}::new`] takes the required ones")
    };
    write!(
        out,
        "\n/// Named arguments of `{}`: {how}, and each optional one has a setter of its\n/// name; fields newer than this SDK go in through [`{name}::extra`].\n#[derive(Debug, Clone{default}, Serialize)]\n#[non_exhaustive]\npub struct {name} {{\n",
        op.id,
    )
    .unwrap();
    for slot in &slots {
        match slot {
            Slot::Choice(choice, _) => {
                writeln!(
                    out,
                    "    /// Which of the choice is sent.\n    #[serde(flatten)]\n    pub {}: {choice},",
                    choice_field(choice)
                )
                .unwrap();
            }
            Slot::One(p) => {
                if !p.doc.is_empty() {
                    writeln!(out, "    /// {}", p.doc).unwrap();
                }
                let (field, ty) = (ident(p.name), field_type(p));
                match (p.required, p.nullable) {
                    (true, false) => writeln!(out, "    pub {field}: {ty},").unwrap(),
                    (true, true) => {
                        writeln!(out, "    ///\n    /// `None` sends `null`.").unwrap();
                        writeln!(out, "    pub {field}: Option<{ty}>,").unwrap();
                    }
                    (false, false) => {
                        writeln!(out, "    #[serde(skip_serializing_if = \"Option::is_none\")]").unwrap();
                        writeln!(out, "    pub {field}: Option<{ty}>,").unwrap();
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
                        writeln!(out, "    pub {field}: Nullable<{ty}>,").unwrap();
                    }
                }
            }
        }
    }
    out.push_str("    /// Fields newer than this SDK, sent as given.\n    #[serde(flatten)]\n    pub extra: Map<String, Value>,\n}\n");

    let (args, inits) = constructor(&slots);
    write!(
        out,
        "\nimpl {name} {{\n    /// The arguments with {}.\n    pub fn new({}) -> Self {{\n        Self {{ {} }}\n    }}\n",
        if required.is_empty() { "nothing set" } else { "the required ones set" },
        args.join(", "),
        inits.join(", ")
    )
    .unwrap();
    for slot in &slots {
        let Slot::One(p) = slot else { continue };
        if p.required {
            continue;
        }
        let field = ident(p.name);
        let value = if p.name == "type" { "value" } else { p.name };
        let (ty, conv) = if p.nullable {
            (
                format!("impl Into<Nullable<{}>>", field_type(p)),
                format!("{value}.into()"),
            )
        } else {
            let (ty, conv) = setter_arg(p, value);
            (ty, format!("Some({conv})"))
        };
        let doc = if p.doc.is_empty() {
            format!("Sets `{}`.", p.name)
        } else {
            p.doc.to_owned()
        };
        let null_doc = if p.nullable {
            "\n    ///\n    /// [`Nullable::Null`] sends `null`."
        } else {
            ""
        };
        writeln!(
            out,
            "\n    /// {doc}{null_doc}\n    pub fn {field}(mut self, {value}: {ty}) -> Self {{\n        self.{field} = {conv};\n        self\n    }}"
        )
        .unwrap();
    }
    out.push_str(
        "\n    /// A field newer than this SDK, sent as given (it replaces a field of the same name).\n    pub fn extra(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {\n        self.extra.insert(name.into(), value.into());\n        self\n    }\n}\n",
    );
}

/// The constructor `…Params::new` of `slots`: its arguments (the required ones),
/// and the initializers of every field (everything else unset).
pub(crate) fn constructor(slots: &[Slot<'_>]) -> (Vec<String>, Vec<String>) {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for slot in slots {
        match slot {
            Slot::Choice(choice, _) => {
                let field = choice_field(choice);
                args.push(format!("{field}: {choice}"));
                inits.push(field);
            }
            Slot::One(p) => {
                let field = ident(p.name);
                match (p.required, p.nullable) {
                    (true, nullable) => {
                        let (ty, conv) = setter_arg(p, &field);
                        if nullable {
                            args.push(format!("{field}: Option<{}>", field_type(p)));
                            inits.push(field);
                        } else {
                            args.push(format!("{field}: {ty}"));
                            // `type: type` would be a redundant field name (clippy).
                            inits.push(if conv == field {
                                field
                            } else {
                                format!("{field}: {conv}")
                            });
                        }
                    }
                    (false, false) => inits.push(format!("{field}: None")),
                    (false, true) => inits.push(format!("{field}: Nullable::Omitted")),
                }
            }
        }
    }
    inits.push("extra: Map::new()".into());
    (args, inits)
}

/// A method's arguments after its receiver: the positional ones, then the
/// `…Params` struct of the named ones (when it has any).
pub(crate) fn method_args(op: &Operation) -> Vec<String> {
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.positional)
        .map(|p| format!("{}: {}", ident(p.name), arg_type(p)))
        .collect();
    if named(op).next().is_some() {
        args.push(format!("params: {}", params_name(op)));
    }
    args
}

fn render_method(out: &mut String, op: &Operation, client: &str) {
    let positional: Vec<&Param> = op.params.iter().filter(|p| p.positional).collect();
    let has_named = named(op).next().is_some();
    let mut sig = vec![if client == "self" { "&self" } else { "self" }.to_owned()];
    sig.extend(method_args(op));
    let pos_args: Vec<String> = positional
        .iter()
        .map(|p| format!("(\"{}\", serde_json::json!({}))", p.name, ident(p.name)))
        .collect();
    let named_expr = if has_named { "named(&params)" } else { "Ok(None)" };
    let args_expr = format!("args({named_expr}, &[{}])", pos_args.join(", "));
    let ret = response_type(op);
    writeln!(out, "    /// `{} {}`: {}", op.method, op.path, op.summary).unwrap();
    if op.billed {
        writeln!(out, "    ///\n    /// Spends credits.").unwrap();
    }
    let example = crate::rust_examples::example(op, method_of(op.id));
    write_example(out, &example.doc());
    writeln!(
        out,
        "    pub fn {}({}) -> Call<{ret}> {{\n        Call::new({client}, by_id(\"{}\"), {args_expr})\n    }}\n",
        method_of(op.id),
        sig.join(", "),
        op.id
    )
    .unwrap();
    if op.paging != Paging::None {
        let name = snake_iter_name(op);
        let item = crate::item_model(op).unwrap_or("Value");
        writeln!(
            out,
            "    /// Every item of `{}`, page after page: nothing is sent until the stream is\n    /// first polled, then the next page is fetched while this one is used.",
            op.id
        )
        .unwrap();
        let example = crate::rust_examples::example(op, &name);
        write_example(out, &example.doc());
        writeln!(
            out,
            "    pub fn {name}({}) -> ListStream<{item}> {{\n        ListStream::new({client}, by_id(\"{}\"), {args_expr})\n    }}\n",
            sig.join(", "),
            op.id
        )
        .unwrap();
        // Rows decode into the caller's own type.
        if item == "Row" {
            writeln!(
                out,
                "    /// [`{name}`](Self::{name}) with each row's `data` decoded as `D` (a\n    /// `#[derive(Deserialize)]` struct of the table's columns), straight from the JSON.\n    ///\n    /// # Example\n    ///\n    /// ```no_run\n    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {{\n    /// use futures_util::TryStreamExt;\n    /// #[derive(serde::Deserialize)]\n    /// struct Product {{\n    ///     name: String,\n    ///     price: Option<f64>,\n    /// }}\n    /// let rows: Vec<lasso_ai::Row<Product>> = client\n    ///     .tables()\n    ///     .{name}_as::<Product>(\"tbl_sample\", Default::default())\n    ///     .try_collect()\n    ///     .await?;\n    /// for row in rows {{\n    ///     println!(\"{{}}: {{:?}}\", row.data.name, row.data.price);\n    /// }}\n    /// # Ok(()) }}\n    /// ```\n    pub fn {name}_as<D: DeserializeOwned + Send + 'static>({}) -> ListStream<Row<D>> {{\n        ListStream::new({client}, by_id(\"{}\"), {args_expr})\n    }}\n",
                sig.join(", "),
                op.id
            )
            .unwrap();
        }
    }
}

/// A `no_run` doc example around `body` (its lines, `# ` for hidden ones).
fn write_example(out: &mut String, body: &str) {
    out.push_str("    ///\n    /// # Example\n    ///\n    /// ```no_run\n    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {\n");
    for line in body.lines() {
        writeln!(out, "    /// {line}").unwrap();
    }
    out.push_str("    /// # Ok(()) }\n    /// ```\n");
}
