//! `node/src/error-classes.ts`: a subclass of `LassoError` per class of
//! `lasso_spec::errors`, with its JSDoc and own fields, the union types of those
//! fields, and (as the module's default export, which `export *` leaves out of the
//! package's names) the table from the core's error codes to the classes.
//! `LassoError` itself stays hand-written in `node/src/lasso-error.ts`, and
//! `fromNative` in `node/src/errors.ts`.

use std::fmt::Write;

use lasso_spec::errors::{error_classes, ErrorField, ErrorFieldType, ErrorKind, ERRORS};
use lasso_spec::StringEnum;

use crate::names::camel;
use crate::python_errors::{class_name, summary};

fn attr_type(f: &ErrorField) -> String {
    match f.ty {
        ErrorFieldType::Str => "string".into(),
        ErrorFieldType::Num | ErrorFieldType::Duration => "number".into(),
        ErrorFieldType::Enum(e) => e.name.into(),
        ErrorFieldType::Model(m) => m.into(),
    }
}

/// The type the constructor accepts for a field: anything for a model, which it checks.
fn param_type(f: &ErrorField) -> String {
    match f.ty {
        ErrorFieldType::Model(_) => "unknown".into(),
        _ => format!("{} | null", attr_type(f)),
    }
}

pub fn render() -> String {
    let mut out = crate::header("//", "errors.rs");
    out.push_str(
        "/**\n * The error classes of the SDK, one per kind of failure, with the same names as in\n \
         * the Python SDK. Their base, {@link LassoError}, is in `lasso-error.ts`.\n *\n * @module\n */\n\n\
         import { LassoError, type LassoErrorFields } from \"./lasso-error\";\n",
    );
    let table_type = "\n/** A class of this module, as the table holds it. */\n\
                      type ErrorClass = new (message: string, fields?: LassoErrorFields) => LassoError;\n";
    let classes = error_classes();
    let fields = || classes.iter().flat_map(|e| e.own_fields());
    let mut models: Vec<&str> = fields()
        .filter_map(|f| match f.ty {
            ErrorFieldType::Model(m) => Some(m),
            _ => None,
        })
        .collect();
    models.sort_unstable();
    models.dedup();
    if !models.is_empty() {
        writeln!(out, "import type {{ {} }} from \"./types\";", models.join(", ")).unwrap();
    }
    for f in fields() {
        if let ErrorFieldType::Enum(e) = f.ty {
            render_union(&mut out, e);
        }
    }
    for e in &classes {
        render_class(&mut out, e);
    }
    out.push_str(table_type);
    out.push_str(
        "\n/**\n * The core's stable error code → the class thrown; codes not listed give a plain\n \
         * {@link LassoError}. The default export, so that `export *` leaves it out of the\n \
         * package's names (`errors.ts` reads it).\n */\n\
         const BY_CODE: Readonly<Record<string, ErrorClass>> = Object.freeze({\n",
    );
    for e in ERRORS {
        writeln!(out, "    {}: {},", e.code, class_name(e.class)).unwrap();
    }
    out.push_str("});\n\nexport default BY_CODE;\n");
    out
}

fn render_union(out: &mut String, e: &StringEnum) {
    writeln!(out, "\n/** {} */\nexport type {} =", e.doc, e.name).unwrap();
    let last = e.values.len() - 1;
    for (i, (value, doc)) in e.values.iter().enumerate() {
        let end = if i == last { ";" } else { "" };
        writeln!(out, "  /** {doc} */\n  | \"{value}\"{end}").unwrap();
    }
}

/// The unit a duration field is given in: milliseconds, as every duration in Node.
fn unit(f: &ErrorField) -> &'static str {
    if matches!(f.ty, ErrorFieldType::Duration) {
        " In milliseconds."
    } else {
        ""
    }
}

fn render_class(out: &mut String, e: &ErrorKind) {
    let name = class_name(e.class);
    let parent = class_name(e.parent.unwrap_or(lasso_spec::BASE_CLASS));
    let inherited: Vec<&ErrorField> = e.fields.iter().filter(|f| f.inherited).collect();
    if inherited.is_empty() {
        writeln!(out, "\n/** {} */", summary(e)).unwrap();
    } else {
        writeln!(out, "\n/**\n * {}", summary(e)).unwrap();
        for f in &inherited {
            writeln!(out, " * `{}`: {}{}", camel(f.attr), f.doc, unit(f)).unwrap();
        }
        out.push_str(" */\n");
    }
    let own: Vec<&ErrorField> = e.own_fields().collect();
    if own.is_empty() {
        writeln!(out, "export class {name} extends {parent} {{}}").unwrap();
        return;
    }
    writeln!(out, "export class {name} extends {parent} {{").unwrap();
    for f in &own {
        writeln!(
            out,
            "  /** {}{} */\n  readonly {}: {} | null;",
            f.doc,
            unit(f),
            camel(f.attr),
            attr_type(f)
        )
        .unwrap();
    }
    let keys: Vec<String> = own.iter().map(|f| format!("`{}`", camel(f.name))).collect();
    let extra: Vec<String> = own
        .iter()
        .map(|f| format!("{}?: {}", camel(f.name), param_type(f)))
        .collect();
    write!(
        out,
        "\n  /**\n   * @param message What went wrong (never contains the API key).\n   \
         * @param fields The common fields, plus {}.\n   */\n  \
         constructor(message: string, fields: LassoErrorFields & {{ {} }} = {{}}) {{\n    super(message, fields);\n",
        keys.join(" and "),
        extra.join("; ")
    )
    .unwrap();
    for f in &own {
        let (attr, key) = (camel(f.attr), camel(f.name));
        match f.ty {
            ErrorFieldType::Model(model) => writeln!(
                out,
                "    const {key} = fields.{key};\n    this.{attr} =\n      \
                 {key} !== null && typeof {key} === \"object\" && !Array.isArray({key}) ? ({key} as {model}) : null;"
            )
            .unwrap(),
            _ => writeln!(out, "    this.{attr} = fields.{key} ?? null;").unwrap(),
        }
    }
    out.push_str("  }\n}\n");
}
