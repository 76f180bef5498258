//! `crates/lasso-ai/src/types.rs`: a serde struct per model and an enum per string
//! enumeration of `lasso_spec::models`. Structs keep unknown fields in `extra`; enums
//! keep unknown values in `Other`, so both round-trip what the API sent.

use std::fmt::Write;

use lasso_spec::models::{Field, FieldType, Model, StringEnum, ENUMS, MODELS};

use crate::names::variant_of;

/// The Rust type of a field's values (`item` fills a base's `Item`).
pub fn value_type(ty: &FieldType, item: Option<&str>) -> String {
    match ty {
        FieldType::Str => "String".into(),
        FieldType::Int => "i64".into(),
        FieldType::Num => "f64".into(),
        FieldType::Bool => "bool".into(),
        FieldType::Json => "Value".into(),
        FieldType::Object => "Map<String, Value>".into(),
        FieldType::Enum(name) | FieldType::Model(name) => (*name).into(),
        FieldType::List(inner) => format!("Vec<{}>", value_type(inner, item)),
        FieldType::Map(inner) => format!("BTreeMap<String, {}>", value_type(inner, item)),
        FieldType::Item => item.unwrap_or("T").into(),
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

pub fn render() -> String {
    let mut out = crate::header("//", "models.rs");
    out.push_str(
        "//! Typed responses, one per model of `lasso_spec::models`.\n\
         //!\n\
         //! Every struct keeps the fields this SDK does not know yet in `extra`, and every\n\
         //! enum keeps values newer than this SDK in `Other`; both serialize back to what came.\n\n\
         use std::collections::BTreeMap;\n\n\
         use serde::{Deserialize, Deserializer, Serialize, Serializer};\n\
         use serde_json::{Map, Value};\n",
    );
    for e in ENUMS {
        render_enum(&mut out, e);
    }
    for m in MODELS {
        render_model(&mut out, m);
    }
    out
}

fn render_model(out: &mut String, m: &Model) {
    let (fields, item) = m.all_fields();
    // A page of a generic model with nothing of its own is that model, instantiated.
    if let (Some(base), Some(item), true) = (m.base, item, m.fields.is_empty()) {
        writeln!(out, "\n/// {}\npub type {} = {base}<{item}>;", m.doc, m.name).unwrap();
        return;
    }
    let generic = if m.is_generic() { "<T>" } else { "" };
    write!(
        out,
        "\n/// {}\n#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n#[non_exhaustive]\npub struct {}{generic} {{\n",
        m.doc, m.name
    )
    .unwrap();
    for f in &fields {
        render_field(out, f, item);
    }
    out.push_str("    /// Fields newer than this SDK, as they came.\n    #[serde(flatten)]\n    pub extra: Map<String, Value>,\n}\n");
}

fn render_field(out: &mut String, f: &Field, item: Option<&str>) {
    writeln!(out, "    /// {}", f.doc).unwrap();
    let ty = value_type(&f.ty, item);
    if f.required && !f.nullable {
        writeln!(out, "    pub {}: {ty},", ident(f.name)).unwrap();
    } else {
        writeln!(
            out,
            "    #[serde(default)]\n    pub {}: Option<{ty}>,",
            ident(f.name)
        )
        .unwrap();
    }
}

fn render_enum(out: &mut String, e: &StringEnum) {
    let name = e.name;
    write!(
        out,
        "\n/// {} Values newer than this SDK are kept in `Other`.\n#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum {name} {{\n",
        e.doc
    )
    .unwrap();
    for (value, doc) in e.values {
        writeln!(out, "    /// `{value}`: {doc}\n    {},", variant_of(value)).unwrap();
    }
    out.push_str("    /// A value newer than this SDK.\n    Other(String),\n}\n");
    write!(
        out,
        "\nimpl {name} {{\n    /// The wire value.\n    pub fn as_str(&self) -> &str {{\n        match self {{\n"
    )
    .unwrap();
    for (value, _) in e.values {
        writeln!(out, "            Self::{} => \"{value}\",", variant_of(value)).unwrap();
    }
    out.push_str("            Self::Other(s) => s,\n        }\n    }\n\n    fn parse(s: &str) -> Self {\n        match s {\n");
    for (value, _) in e.values {
        writeln!(out, "            \"{value}\" => Self::{},", variant_of(value)).unwrap();
    }
    out.push_str("            other => Self::Other(other.to_owned()),\n        }\n    }\n}\n");
    write!(
        out,
        "\nimpl From<&str> for {name} {{\n    fn from(s: &str) -> Self {{\n        Self::parse(s)\n    }}\n}}\n\n\
         impl std::fmt::Display for {name} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.write_str(self.as_str())\n    }}\n}}\n\n\
         /// The empty value, `Other(\"\")`, as `String::default()` is for a string: the\n\
         /// generated `…Params` structs derive `Default`, and an enumerated argument they\n\
         /// require must be set.\n\
         impl Default for {name} {{\n    fn default() -> Self {{\n        Self::Other(String::new())\n    }}\n}}\n\n\
         impl Serialize for {name} {{\n    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{\n        s.serialize_str(self.as_str())\n    }}\n}}\n\n\
         impl<'de> Deserialize<'de> for {name} {{\n    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n        \
         let s = std::borrow::Cow::<str>::deserialize(d)?;\n        Ok(Self::parse(&s))\n    }}\n}}\n"
    )
    .unwrap();
}
