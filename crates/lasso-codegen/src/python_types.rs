//! `python/lasso/types.py`: a `TypedDict` per model of `lasso_spec::models`.
//!
//! Responses stay plain dicts; these only describe them to type checkers. Python 3.9
//! cannot subclass a generic `TypedDict`, so `Page` has no class of its own and each
//! page (`TablePage`, …) spells its fields out. `NotRequired` is imported only while
//! type checking (the annotations are never evaluated), so importing the module
//! needs nothing beyond the standard library.

use std::fmt::Write;

use lasso_spec::models::{Field, FieldType, Model, StringEnum, ENUMS, MODELS};

use crate::names::python_ident;

/// The Python type of a field's values (`item` fills a base's `Item`).
pub fn value_type(ty: &FieldType, item: Option<&str>) -> String {
    match ty {
        FieldType::Str => "str".into(),
        FieldType::Int => "int".into(),
        FieldType::Num => "float".into(),
        FieldType::Bool => "bool".into(),
        FieldType::Json => "Any".into(),
        FieldType::Object => "Dict[str, Any]".into(),
        FieldType::Enum(name) | FieldType::Model(name) => (*name).into(),
        FieldType::List(inner) => format!("List[{}]", value_type(inner, item)),
        FieldType::Map(inner) => format!("Dict[str, {}]", value_type(inner, item)),
        FieldType::Item => item.unwrap_or("Any").into(),
    }
}

fn annotation(f: &Field, item: Option<&str>) -> String {
    let mut ty = value_type(&f.ty, item);
    // `Any` already covers `None`.
    if f.nullable && f.ty != FieldType::Json {
        ty = format!("Optional[{ty}]");
    }
    if !f.required {
        ty = format!("NotRequired[{ty}]");
    }
    ty
}

/// The models Python gets: all but the generic ones.
pub fn python_models() -> impl Iterator<Item = &'static Model> {
    MODELS.iter().filter(|m| !m.is_generic())
}

pub fn render() -> String {
    let mut out = crate::header("#", "models.rs");
    out.push_str(
        "\"\"\"Response types of the Lasso API, as ``TypedDict``s.\n\n\
         Responses are plain ``dict``s and ``list``s; these types describe them to type\n\
         checkers. Any object may carry keys newer than this SDK, and every enumeration\n\
         may take values newer than this SDK (so each is typed as its known values or ``str``).\n\n\
         >>> from lasso.types import Table\n\
         >>> def done(table: Table) -> bool:\n\
         ...     return table[\"status\"] == \"completed\"\n\
         \"\"\"\n\n\
         from __future__ import annotations\n\n\
         from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, TypedDict, Union\n\n\
         if TYPE_CHECKING:\n    from typing_extensions import NotRequired\n",
    );
    let names: Vec<&str> = ENUMS
        .iter()
        .map(|e| e.name)
        .chain(python_models().map(|m| m.name))
        .collect();
    out.push_str("\n__all__ = [\n");
    for name in &names {
        writeln!(out, "    \"{name}\",").unwrap();
    }
    out.push_str("]\n");
    for e in ENUMS {
        render_enum(&mut out, e);
    }
    for m in python_models() {
        render_model(&mut out, m);
    }
    out
}

fn render_enum(out: &mut String, e: &StringEnum) {
    let values: Vec<String> = e.values.iter().map(|(v, _)| format!("\"{v}\"")).collect();
    writeln!(
        out,
        "\n#: {} Known values; newer ones arrive as other strings.\n{} = Union[Literal[{}], str]",
        e.doc,
        e.name,
        values.join(", ")
    )
    .unwrap();
}

fn render_model(out: &mut String, m: &Model) {
    let (fields, item) = m.all_fields();
    // Keys that are Python keywords (`from`) need the functional form.
    if fields.iter().any(|f| python_ident(f.name) != f.name) {
        writeln!(
            out,
            "\n\n#: {}\n{} = TypedDict(\n    \"{}\",\n    {{",
            m.doc, m.name, m.name
        )
        .unwrap();
        for f in &fields {
            writeln!(
                out,
                "        \"{}\": \"{}\",  # {}",
                f.name,
                annotation(f, item),
                f.doc
            )
            .unwrap();
        }
        out.push_str("    },\n)\n");
        return;
    }
    writeln!(
        out,
        "\n\nclass {}(TypedDict):\n    \"\"\"{}\"\"\"\n",
        m.name, m.doc
    )
    .unwrap();
    for f in &fields {
        writeln!(out, "    #: {}\n    {}: {}", f.doc, f.name, annotation(f, item)).unwrap();
    }
}
