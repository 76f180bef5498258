//! The example of each generated Rust method: the doc example of `generated.rs`, and
//! the same lines run against lasso-mock by `crates/lasso-ai/tests/doc_examples.rs`
//! (generated here too), so every doc example is a request the API accepts.
//!
//! An example names the resources it works on through variables (`table_id`,
//! `file_id`): its doc binds them to sample ids in hidden lines, the test to
//! resources that exist in the emulator (`tests/support/examples.rs`, `Fixtures`).

use std::fmt::Write;

use lasso_spec::operation::{Operation, Param, ResponseKind, Ty};

use crate::names::method_of;
use crate::rust::ident;

/// One example: variables, then the lines that use them.
pub struct Example {
    /// `(name, sample shown in the docs, expression in the test)`.
    pub vars: Vec<(String, String, String)>,
    pub body: Vec<String>,
}

impl Example {
    /// The lines of the doc example (hidden lines start with `# `).
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for (name, sample, _) in &self.vars {
            writeln!(out, "# let {name} = {sample};").unwrap();
        }
        for line in &self.body {
            writeln!(out, "{line}").unwrap();
        }
        out
    }

    /// The lines of the test.
    pub fn test(&self) -> String {
        let mut out = String::new();
        for (name, _, expr) in &self.vars {
            writeln!(out, "let {name} = {expr};").unwrap();
        }
        for line in &self.body {
            writeln!(out, "{line}").unwrap();
        }
        out
    }
}

/// A variable for a resource id: its sample in the docs and its value in the test
/// (a field of the test's `Fixtures`, or the emulator's seeded ids).
fn resource(op: &Operation, name: &str) -> (String, String) {
    let (sample, fixture) = match name {
        "table_id" => ("tbl_sample", "\"tbl_sample\""),
        "row_id" => ("row_sample_1", "\"row_sample_1\""),
        "schema_id" => ("schema_123", "fx.schema_id.as_str()"),
        "file_id" => ("file_123", "fx.file_id.as_str()"),
        "term_id" => ("term_123", "fx.term_id.as_str()"),
        "delivery_record_id" => ("delivery_123", "fx.delivery_id.as_str()"),
        "key" if op.id.starts_with("attributes") => ("color", "fx.attribute_key.as_str()"),
        "key" => ("sku", "\"sku\""),
        "value" => ("WDG-001", "fx.product_sku.as_str()"),
        "id" if op.id.starts_with("catalog.webhooks") => ("whe_123", "fx.webhook_id.as_str()"),
        "id" => ("prod_123", "fx.product_id.as_str()"),
        "column_key" => ("description", "\"description\""),
        other => panic!("{}: no sample for the positional argument `{other}`", op.id),
    };
    (format!("\"{sample}\""), fixture.to_owned())
}

/// A sample value of a named argument, as its `…Params` constructor takes it, with
/// the lines that must come before (a map built up).
fn named_sample(op: &Operation, p: &Param, prelude: &mut Vec<String>) -> String {
    let text = |s: &str| format!("\"{s}\"");
    match (op.id, p.name) {
        ("search", "query") => text("stainless steel water bottle"),
        ("enrich", "items") => {
            prelude.push("let mut known = serde_json::Map::new();".into());
            prelude.push("known.insert(\"name\".into(), \"Hydro Flask 21 oz\".into());".into());
            "[lasso_ai::EnrichItem::new(known)]".into()
        }
        ("tables.create", "schema_id") => text("schema_sample"),
        ("tables.create", "name") | ("schemas.create", "name") => text("Bottles"),
        ("tables.create_rows", "rows") => {
            "[serde_json::json!({\"name\": \"Hydro Flask 21 oz\", \"price\": 44.95})]".into()
        }
        (_, "row_ids") => "[\"row_sample_1\"]".into(),
        ("tables.bulk_update", "column_key") => text("price"),
        ("tables.bulk_update", "value") => "19.9".into(),
        ("enhance.cells", "column_key") => text("description"),
        (_, "prompt") => text("One sentence about {{name}}."),
        ("enhance.bulk", "row_id") => text("row_sample_1"),
        ("enhance.bulk", "columns") => {
            "[lasso_ai::EnhanceColumn::new(\"description\", \"One sentence about {{name}}.\")]".into()
        }
        ("schemas.create", "columns") => "[\n    lasso_ai::Column::new(\"name\", \"Name\", lasso_ai::ColumnType::Text),\n    lasso_ai::Column::new(\"price\", \"Price\", lasso_ai::ColumnType::Number).required(true),\n]".into(),
        ("attributes.create", "key") => text("material"),
        ("attributes.create", "label") => text("Material"),
        ("attributes.create", "type") => "lasso_ai::AttributeType::Text".into(),
        ("attributes.bulk_upsert", "attributes") => {
            "[serde_json::json!({\"key\": \"material\", \"label\": \"Material\", \"type\": \"text\"})]".into()
        }
        ("attributes.rename", "new_key") => text("colour"),
        ("glossary.create", "term") => text("Lasso"),
        ("glossary.create", "type") => "lasso_ai::GlossaryTermType::DoNotTranslate".into(),
        (_, "from") => text("2026-01-01"),
        (_, "to") => text("2026-01-31"),
        (_, "scope") => "lasso_ai::AnalyticsScope::Catalog".into(),
        ("catalog.create", "schema_id") => text("schema_sample"),
        ("catalog.create" | "catalog.update", "attributes") => {
            prelude.push("let mut attributes = serde_json::Map::new();".into());
            prelude.push("attributes.insert(\"name\".into(), \"Hydro Flask 21 oz\".into());".into());
            "attributes".into()
        }
        ("catalog.changes", "since") => text("2026-01-01T00:00:00Z"),
        ("catalog.webhooks.create", "url") => text("https://example.com/hooks/lasso"),
        ("catalog.webhooks.create", "events") => "[lasso_ai::CatalogWebhookEvent::ProductUpdated]".into(),
        _ => panic!("{}: no sample for the required argument `{}`", op.id, p.name),
    }
}

/// The `…Params` value of an example: `new(…)` with the required arguments.
fn params_value(op: &Operation, prelude: &mut Vec<String>) -> Option<String> {
    let named: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.fixed.is_none() && !p.positional)
        .collect();
    if named.is_empty() {
        return None;
    }
    let mut args = Vec::new();
    let mut choice_done = false;
    for p in &named {
        if p.one_of.is_some() {
            if !choice_done {
                choice_done = true;
                args.push(
                    "lasso_ai::TableSource::SourceText(\"Hydro Flask 21 oz, 44.95 USD\".into())".to_owned(),
                );
            }
            continue;
        }
        if p.required && !p.nullable {
            args.push(named_sample(op, p, prelude));
        }
    }
    let name = format!(
        "{}Params",
        op.id
            .split(['.', '_'])
            .map(crate::names::class_of)
            .collect::<String>()
    );
    let setters = valid_request_setters(op.id);
    Some(match (args.is_empty(), setters) {
        (true, "") => "Default::default()".to_owned(),
        _ => format!("lasso_ai::{name}::new({}){setters}", args.join(", ")),
    })
}

/// Optional arguments an example sets so that its request is valid: the API wants
/// one of them although none is required on its own.
fn valid_request_setters(operation: &str) -> &'static str {
    match operation {
        "schemas.generate" => ".sample_data(\"name,price\\nHydro Flask 21 oz,44.95\")",
        "catalog.webhooks.update" => ".enabled(true)",
        _ => "",
    }
}

/// `client.tables().get(table_id)`: the method called on the example's variables.
fn call(op: &Operation, method: &str, ex: &mut Example, prelude: &mut Vec<String>) -> String {
    let mut target = String::from("client");
    for part in crate::names::resource_of(op.id)
        .split('.')
        .filter(|p| !p.is_empty())
    {
        write!(target, ".{part}()").unwrap();
    }
    let mut args: Vec<String> = Vec::new();
    for p in op.params.iter().filter(|p| p.positional) {
        let arg = match p.ty {
            Ty::Str => {
                let (sample, fixture) = resource(op, p.name);
                ex.vars.push((ident(p.name), sample, fixture));
                ident(p.name)
            }
            Ty::Obj if p.name == "data" => {
                prelude.push("let mut data = serde_json::Map::new();".into());
                prelude.push("data.insert(\"price\".into(), serde_json::json!(19.9));".into());
                "data".to_owned()
            }
            _ => panic!("{}: no sample for the positional argument `{}`", op.id, p.name),
        };
        args.push(if p.required { arg } else { format!("Some({arg})") });
    }
    if let Some(params) = params_value(op, prelude) {
        args.push(params);
    }
    format!("{target}.{method}({})", args.join(", "))
}

/// The example of `op`'s method `method` (`get`, or `iter` for its stream).
pub fn example(op: &Operation, method: &str) -> Example {
    let mut ex = Example {
        vars: Vec::new(),
        body: Vec::new(),
    };
    let mut prelude = Vec::new();
    let call = call(op, method, &mut ex, &mut prelude);
    ex.body.extend(prelude);
    if method != method_of(op.id) {
        let item = crate::item_model(op).unwrap_or("serde_json::Value");
        ex.body.push("use futures_util::TryStreamExt;".into());
        ex.body.push(format!(
            "let items: Vec<lasso_ai::{item}> = {call}.try_collect().await?;"
        ));
        ex.body.push("println!(\"{} items\", items.len());".into());
    } else if op.response == ResponseKind::Empty {
        ex.body.push(format!("{call}.await?;"));
    } else {
        let var = result_var(op.returns.unwrap_or("response"));
        ex.body.push(format!("let {var} = {call}.await?;"));
        ex.body.push(format!("println!(\"{{{var}:?}}\");"));
    }
    ex
}

/// `TablePage` → `table_page`.
fn result_var(model: &str) -> String {
    let mut out = String::new();
    for (i, c) in model.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `crates/lasso-ai/tests/doc_examples.rs`: one test per doc example.
pub fn render_tests(groups: &[crate::Group]) -> String {
    let mut out = crate::header("//", "operations.rs");
    out.push_str(
        "//! Every doc example of the generated methods (`crates/lasso-ai/src/generated.rs`),\n\
         //! run against lasso-mock: the same lines, with the resources they name created in\n\
         //! the emulator first (`support/examples.rs`).\n\n\
         #![allow(unused_variables, clippy::redundant_locals)]\n\n\
         #[path = \"support/examples.rs\"]\n\
         mod examples;\n\n\
         use examples::Fixtures;\n",
    );
    for op in groups.iter().flat_map(|g| &g.ops) {
        let mut methods = vec![method_of(op.id).to_owned()];
        if op.paging != lasso_spec::operation::Paging::None {
            methods.push(match method_of(op.id) {
                "list" => "iter".to_owned(),
                other => format!("iter_{other}"),
            });
        }
        for method in methods {
            let ex = example(op, &method);
            let name = format!(
                "{}_{}",
                crate::names::resource_of(op.id).replace('.', "_"),
                method
            );
            let name = name.trim_start_matches('_');
            writeln!(
                out,
                "\n#[tokio::test]\nasync fn {name}() {{\n    examples::run(|client: lasso_ai::Client, fx: Fixtures| async move {{\n{}        Ok(())\n    }})\n    .await;\n}}",
                ex.test()
                    .lines()
                    .map(|l| format!("        {l}\n"))
                    .collect::<String>()
            )
            .unwrap();
        }
    }
    out
}
