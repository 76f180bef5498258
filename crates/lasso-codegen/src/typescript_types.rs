//! `node/src/types.ts`: an interface per model and a union per enumeration of
//! `lasso_spec::models`. Every interface accepts fields newer than this SDK (an index
//! signature) and every union accepts values newer than this SDK (`string & {}`).

use std::fmt::Write;

use lasso_spec::models::{FieldType, Model, StringEnum, ENUMS, MODELS};

/// The TypeScript type of a field's values (`item` fills a base's `Item`).
pub fn value_type(ty: &FieldType, item: Option<&str>) -> String {
    match ty {
        FieldType::Str => "string".into(),
        FieldType::Int | FieldType::Num => "number".into(),
        FieldType::Bool => "boolean".into(),
        FieldType::Json => "unknown".into(),
        FieldType::Object => "Record<string, unknown>".into(),
        FieldType::Enum(name) | FieldType::Model(name) => (*name).into(),
        FieldType::List(inner) => format!("{}[]", value_type(inner, item)),
        FieldType::Map(inner) => format!("Record<string, {}>", value_type(inner, item)),
        FieldType::Item => item.unwrap_or("T").into(),
    }
}

pub fn render() -> String {
    let mut out = crate::header("//", "models.rs");
    out.push_str(
        "/**\n * Response types. Every object may carry fields newer than this SDK, and\n \
         * enumerations accept values newer than this SDK.\n *\n * @module\n */\n",
    );
    for e in ENUMS {
        render_enum(&mut out, e);
    }
    for m in MODELS {
        render_model(&mut out, m);
    }
    out
}

fn render_enum(out: &mut String, e: &StringEnum) {
    writeln!(
        out,
        "\n/** {} Values newer than this SDK are passed through. */\nexport type {} =",
        e.doc, e.name
    )
    .unwrap();
    for (value, doc) in e.values {
        writeln!(out, "  /** {doc} */\n  | \"{value}\"").unwrap();
    }
    out.push_str("  | (string & {});\n");
}

fn render_model(out: &mut String, m: &Model) {
    let (fields, item) = m.all_fields();
    if let (Some(base), Some(item), true) = (m.base, item, m.fields.is_empty()) {
        writeln!(
            out,
            "\n/** {} */\nexport type {} = {base}<{item}>;",
            m.doc, m.name
        )
        .unwrap();
        return;
    }
    let generic = if m.is_generic() { "<T>" } else { "" };
    writeln!(out, "\n/** {} */\nexport interface {}{generic} {{", m.doc, m.name).unwrap();
    for f in &fields {
        // `unknown` already covers `null`.
        let nullable = if f.nullable && f.ty != FieldType::Json {
            " | null"
        } else {
            ""
        };
        writeln!(
            out,
            "  /** {} */\n  {}{}: {}{nullable};",
            f.doc,
            f.name,
            if f.required { "" } else { "?" },
            value_type(&f.ty, item)
        )
        .unwrap();
    }
    out.push_str("  /** Fields newer than this SDK. */\n  [field: string]: unknown;\n}\n");
}
