//! `crates/lasso-mock/src/operation_generated.rs`: the emulator's `Op`, one
//! variant per distinct HTTP endpoint of the operation table
//! (`lasso_spec::endpoints`), plus `Unknown`, with its id, method and path
//! template. The emulator's hand-written routes bind each handler to its variant.

use std::fmt::Write;

use lasso_spec::{endpoints, Endpoint};

use crate::names::class_of;

/// `tables.create_rows` → `TablesCreateRows`.
pub fn variant(e: &Endpoint) -> String {
    class_of(&e.id)
}

pub fn render() -> String {
    let endpoints = endpoints();
    let mut out = crate::header("//", "operations.rs");
    out.push_str(
        "//! The emulated endpoints: one [`Op`] per distinct method and path of the SDK's\n\
         //! operation table, named by its operation id.\n\n\
         /// One emulated API endpoint, or [`Op::Unknown`]. The discriminant indexes the\n\
         /// stats counters.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq)]\n\
         pub enum Op {\n",
    );
    for e in &endpoints {
        let ops: Vec<String> = e.operations.iter().map(|op| format!("`{}`", op.id)).collect();
        writeln!(
            out,
            "    /// `{} {}` ({})\n    {},",
            e.method,
            e.path,
            ops.join(", "),
            variant(e)
        )
        .unwrap();
    }
    out.push_str(
        "    /// Authenticated requests that matched no operation (unknown path or method).\n    Unknown,\n}\n\n",
    );
    write!(
        out,
        "impl Op {{\n    /// How many there are, [`Op::Unknown`] included.\n    pub const COUNT: usize = {};\n    \
         /// Every one, in index order.\n    pub const ALL: [Op; Op::COUNT] = [\n",
        endpoints.len() + 1
    )
    .unwrap();
    for e in &endpoints {
        writeln!(out, "        Op::{},", variant(e)).unwrap();
    }
    out.push_str("        Op::Unknown,\n    ];\n");
    let mut function = |doc: &str, name: &str, value: &dyn Fn(&Endpoint) -> String, unknown: &str| {
        write!(
            out,
            "\n    /// {doc}\n{}    pub const fn {name}(self) -> &'static str {{\n        match self {{\n",
            if name == "id" {
                ""
            } else {
                "    #[cfg_attr(not(test), allow(dead_code))] // The routes are bound by hand.\n"
            }
        )
        .unwrap();
        for e in &endpoints {
            writeln!(out, "            Op::{} => \"{}\",", variant(e), value(e)).unwrap();
        }
        writeln!(
            out,
            "            Op::Unknown => \"{unknown}\",\n        }}\n    }}"
        )
        .unwrap();
    };
    function(
        "The id shown in `/__mock/stats` and the request journal.",
        "id",
        &|e| e.id.clone(),
        "unknown",
    );
    function(
        "The HTTP method (`\"\"` for [`Op::Unknown`]).",
        "method",
        &|e| e.method.to_string(),
        "",
    );
    function(
        "The path template below the API prefix, with `{name}` placeholders (`\"\"` for [`Op::Unknown`]).",
        "path",
        &|e| e.path.to_owned(),
        "",
    );
    out.push_str(
        "\n    /// Its index among the stats counters.\n    pub const fn index(self) -> usize {\n        self as usize\n    }\n}\n",
    );
    out
}

/// The spec's enumerations the emulator checks input against, by name.
const CHECKED_ENUMS: [&str; 8] = [
    "ColumnType",
    "AttributeType",
    "FormatOutputType",
    "GlossaryTermType",
    "ProductStatus",
    "ProductSource",
    "CatalogWebhookEvent",
    "CatalogStatusFilter",
];

/// The operations whose JSON body fields the emulator checks against the spec's.
const CHECKED_BODIES: [&str; 2] = ["attributes.create", "attributes.update"];

/// `crates/lasso-mock/src/accepted.rs`: the values of [`CHECKED_ENUMS`], one
/// constant each (`ColumnType` → `COLUMN_TYPE`), in the spec's order, and the
/// body fields of [`CHECKED_BODIES`] (`attributes.create` → `ATTRIBUTES_CREATE_BODY`).
pub fn render_accepted() -> String {
    let mut out = crate::header("//", "");
    out.push_str(
        "//! What the emulator accepts, from the spec: the values of some enumerations and\n\
         //! the body fields of some operations, so that what it checks cannot drift from\n\
         //! what the SDKs send.\n",
    );
    for name in CHECKED_ENUMS {
        let e = lasso_spec::models::enum_named(name).expect("an enumeration of the spec");
        let values: Vec<String> = e.values.iter().map(|(v, _)| format!("\"{v}\"")).collect();
        write!(
            out,
            "\n/// `{name}`: {}\npub const {}: [&str; {}] = [{}];\n",
            e.doc,
            screaming_snake(name),
            values.len(),
            values.join(", ")
        )
        .unwrap();
    }
    for id in CHECKED_BODIES {
        let op = lasso_spec::OPERATIONS
            .iter()
            .find(|op| op.id == id)
            .expect("an operation of the spec");
        let fields: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.loc == lasso_spec::Loc::Body)
            .map(|p| format!("\"{}\"", p.name))
            .collect();
        write!(
            out,
            "\n/// The JSON body fields of `{id}` (`{} {}`).\npub const {}_BODY: [&str; {}] = [{}];\n",
            op.method,
            op.path,
            id.replace('.', "_").to_uppercase(),
            fields.len(),
            fields.join(", ")
        )
        .unwrap();
    }
    out
}

/// `ColumnType` → `COLUMN_TYPE`.
fn screaming_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}
