//! `crates/lasso-ai/src/types.rs`: a serde struct per model and an enum per string
//! enumeration of `lasso_spec::models`. Structs keep unknown fields in `extra`; enums
//! keep unknown values in `Other`, so both round-trip what the API sent.

use std::fmt::Write;

use lasso_spec::models::{Field, FieldType, Model, StringEnum, BUILDABLE, ENUMS, INPUT_MODELS, MODELS};

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
    for m in MODELS.iter().chain(INPUT_MODELS) {
        render_model(&mut out, m);
    }
    out
}

/// Models whose field of free-form values is a type parameter in Rust, so callers
/// decode it into their own type: a row's `data` (`Row<Product>`).
const GENERIC_DATA: &[(&str, &str)] = &[("Row", "data")];

/// The type parameter of a model with [`GENERIC_DATA`], and the field it types.
fn generic_data(m: &Model) -> Option<&'static str> {
    GENERIC_DATA
        .iter()
        .find(|(model, _)| *model == m.name)
        .map(|(_, field)| *field)
}

fn render_model(out: &mut String, m: &Model) {
    let (fields, item) = m.all_fields();
    // A page of a generic model with nothing of its own is that model, instantiated.
    if let (Some(base), Some(item), true) = (m.base, item, m.fields.is_empty()) {
        writeln!(out, "\n/// {}\npub type {} = {base}<{item}>;", m.doc, m.name).unwrap();
        return;
    }
    let data = generic_data(m);
    let generic = match (m.is_generic(), data) {
        (true, _) => "<T>",
        (false, Some(_)) => "<D = Map<String, Value>>",
        _ => "",
    };
    let data_doc = match data {
        Some(field) => format!(
            "\n///\n/// `{field}` is a map of values by key unless you name your own type `D`\n/// (a `#[derive(Deserialize)]` struct) to decode it into."
        ),
        None => String::new(),
    };
    write!(
        out,
        "\n/// {}{data_doc}\n#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n#[non_exhaustive]\npub struct {}{generic} {{\n",
        m.doc, m.name
    )
    .unwrap();
    for f in &fields {
        render_field(out, f, item, data == Some(f.name));
    }
    out.push_str("    /// Fields newer than this SDK, as they came.\n    #[serde(flatten)]\n    pub extra: Map<String, Value>,\n}\n");
    if let Some((_, args)) = BUILDABLE.iter().find(|(name, _)| *name == m.name) {
        render_builder(out, m, &fields, args);
    }
}

/// Whether a field is an optional list sent and read as an empty one when absent.
fn defaults_to_empty(f: &Field) -> bool {
    !f.required && !f.nullable && matches!(f.ty, FieldType::List(_))
}

fn render_field(out: &mut String, f: &Field, item: Option<&str>, data: bool) {
    writeln!(out, "    /// {}", f.doc).unwrap();
    let ty = if data {
        "D".to_owned()
    } else {
        value_type(&f.ty, item)
    };
    if f.required && !f.nullable {
        writeln!(out, "    pub {}: {ty},", ident(f.name)).unwrap();
    } else if defaults_to_empty(f) {
        writeln!(
            out,
            "    ///\n    /// Empty when the answer leaves it out.\n    #[serde(default, skip_serializing_if = \"Vec::is_empty\")]\n    pub {}: {ty},",
            ident(f.name)
        )
        .unwrap();
    } else {
        writeln!(
            out,
            "    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub {}: Option<{ty}>,",
            ident(f.name)
        )
        .unwrap();
    }
}

/// What a constructor or setter of a buildable model takes for a field, and how it
/// becomes the field's value.
fn builder_arg(ty: &FieldType, var: &str) -> (String, String) {
    match ty {
        FieldType::Str => ("impl Into<String>".into(), format!("{var}.into()")),
        FieldType::Json => ("impl Into<Value>".into(), format!("{var}.into()")),
        FieldType::List(FieldType::Str) => (
            "impl IntoIterator<Item = impl Into<String>>".into(),
            format!("{var}.into_iter().map(Into::into).collect()"),
        ),
        other => (value_type(other, None), var.to_owned()),
    }
}

/// `new` with the fields a request needs, and a setter per other field.
fn render_builder(out: &mut String, m: &Model, fields: &[Field], args: &[&str]) {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        let name = ident(f.name);
        let var = if f.name == "type" {
            "ty".to_owned()
        } else {
            name.clone()
        };
        if args.contains(&f.name) {
            let (ty, conv) = builder_arg(&f.ty, &var);
            params.push(format!("{var}: {ty}"));
            let value = if f.required && !f.nullable {
                conv
            } else {
                format!("Some({conv})")
            };
            inits.push(if value == name {
                name
            } else {
                format!("{name}: {value}")
            });
        } else if defaults_to_empty(f) {
            inits.push(format!("{name}: Vec::new()"));
        } else {
            inits.push(format!("{name}: None"));
        }
    }
    inits.push("extra: Map::new()".into());
    write!(
        out,
        "\nimpl {} {{\n    /// A {} to send, with the fields a request needs; the others have a setter each.\n    pub fn new({}) -> Self {{\n        Self {{ {} }}\n    }}\n",
        m.name,
        m.name,
        params.join(", "),
        inits.join(", ")
    )
    .unwrap();
    for f in fields.iter().filter(|f| !args.contains(&f.name)) {
        let name = ident(f.name);
        let var = if f.name == "type" { "ty" } else { f.name };
        let (ty, conv) = builder_arg(&f.ty, var);
        let value = if defaults_to_empty(f) {
            conv
        } else {
            format!("Some({conv})")
        };
        writeln!(
            out,
            "\n    /// Sets `{}`: {}\n    pub fn {name}(mut self, {var}: {ty}) -> Self {{\n        self.{name} = {value};\n        self\n    }}",
            f.name, f.doc
        )
        .unwrap();
    }
    out.push_str("\n    /// A field newer than this SDK, sent as given.\n    pub fn extra(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {\n        self.extra.insert(name.into(), value.into());\n        self\n    }\n}\n");
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
