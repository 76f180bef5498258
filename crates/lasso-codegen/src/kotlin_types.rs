//! `kotlin/src/main/kotlin/ai/lasso/generated/Types.kt`: a data class per model of
//! `lasso_spec::models` with its decoder (`fromJson`), and a class per string
//! enumeration. Every data class keeps fields newer than this SDK in `extra`, and
//! every enumeration accepts values newer than this SDK (`TableStatus.of("new")`),
//! so only the fields marked required can make a response fail to decode, as in Rust.

use std::fmt::Write;

use lasso_spec::models::{model_named, Field, FieldType, Model, StringEnum, ENUMS, MODELS};

use crate::kotlin::ident;

/// The Kotlin type of a field's values (`item` fills a base's `Item`).
pub fn value_type(ty: &FieldType, item: Option<&str>) -> String {
    match ty {
        FieldType::Str => "String".into(),
        FieldType::Int => "Long".into(),
        FieldType::Num => "Double".into(),
        FieldType::Bool => "Boolean".into(),
        FieldType::Json => "JsonElement".into(),
        FieldType::Object => "JsonObject".into(),
        FieldType::Enum(name) | FieldType::Model(name) => (*name).into(),
        FieldType::List(inner) => format!("List<{}>", value_type(inner, item)),
        FieldType::Map(inner) => format!("Map<String, {}>", value_type(inner, item)),
        FieldType::Item => item.unwrap_or("T").into(),
    }
}

/// The expression decoding the JSON element `v` as the model `name` (a page alias
/// decodes through its generic base).
pub fn decode_model(name: &str, v: &str) -> String {
    match model_named(name) {
        Some(m) if is_alias(m) => {
            let (base, item) = (m.base.unwrap_or("Page"), m.item.unwrap_or("JsonElement"));
            format!("{base}.fromJson({v}) {{ e -> {} }}", decode_model(item, "e"))
        }
        _ => format!("{name}.fromJson({v})"),
    }
}

/// A page of a generic model with nothing of its own: a `typealias`.
fn is_alias(m: &Model) -> bool {
    m.base.is_some() && m.item.is_some() && m.fields.is_empty()
}

/// A reader `(JsonElement, String) -> T` of a field's values (`item` fills a base's
/// `Item`; else the generic decoder's `item` parameter); `depth` names the lambda's parameters.
fn reader(ty: &FieldType, item: Option<&str>, depth: usize) -> String {
    let (v, w) = (format!("v{depth}"), format!("w{depth}"));
    match ty {
        FieldType::Str => "Decode::string".into(),
        FieldType::Int => "Decode::long".into(),
        FieldType::Num => "Decode::double".into(),
        FieldType::Bool => "Decode::boolean".into(),
        FieldType::Json => "Decode::json".into(),
        FieldType::Object => "Decode::jsonObject".into(),
        FieldType::Enum(name) => format!("{{ {v}, {w} -> {name}.of(Decode.string({v}, {w})) }}"),
        FieldType::Model(name) => format!("{{ {v}, _ -> {} }}", decode_model(name, &v)),
        FieldType::List(inner) => format!(
            "{{ {v}, {w} -> Decode.list({v}, {w}, {}) }}",
            reader(inner, item, depth + 1)
        ),
        FieldType::Map(inner) => format!(
            "{{ {v}, {w} -> Decode.map({v}, {w}, {}) }}",
            reader(inner, item, depth + 1)
        ),
        FieldType::Item => match item {
            Some(model) => format!("{{ {v}, _ -> {} }}", decode_model(model, &v)),
            None => format!("{{ {v}, _ -> item({v}) }}"),
        },
    }
}

fn optional(f: &Field) -> bool {
    !f.required || f.nullable
}

pub fn render() -> String {
    let mut out = crate::header("//", "models.rs");
    out.push_str(
        "package ai.lasso\n\n\
         import kotlinx.serialization.json.JsonElement\n\
         import kotlinx.serialization.json.JsonObject\n",
    );
    for e in ENUMS {
        render_enum(&mut out, e);
    }
    for m in MODELS {
        render_model(&mut out, m);
    }
    out
}

/// `queued_for_processing` → `QUEUED_FOR_PROCESSING`, `product.created` → `PRODUCT_CREATED`.
pub fn constant_of(value: &str) -> String {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_uppercase)
        .collect::<Vec<_>>()
        .join("_")
}

pub fn render_enum(out: &mut String, e: &StringEnum) {
    let name = e.name;
    write!(
        out,
        "\n/**\n * {} Values newer than this SDK are kept as they came: compare with the\n \
         * constants (`when (x) {{ {name}.{} -> … }}`) or read [value].\n */\n\
         public class {name} private constructor(override val value: String) : StringEnum {{\n    \
         /** Whether this SDK knows the value. */\n    \
         public val isKnown: Boolean\n        get() = value in KNOWN\n\n    \
         override fun equals(other: Any?): Boolean = other is {name} && other.value == value\n\n    \
         override fun hashCode(): Int = value.hashCode()\n\n    \
         override fun toString(): String = value\n\n    \
         public companion object {{\n",
        e.doc,
        constant_of(e.values[0].0)
    )
    .unwrap();
    for (value, doc) in e.values {
        writeln!(
            out,
            "        /** `{value}`: {doc} */\n        @JvmField public val {}: {name} = {name}(\"{value}\")\n",
            constant_of(value)
        )
        .unwrap();
    }
    let known: Vec<String> = e.values.iter().map(|(v, _)| format!("\"{v}\"")).collect();
    writeln!(
        out,
        "        private val KNOWN: Set<String> = setOf({})\n\n        \
         /** The default of an optional argument of this type: not sent. */\n        \
         @JvmField public val NOT_GIVEN: {name}? = {name}(NotGiven.ENUM_VALUE)\n\n        \
         /** The value `value`, known to this SDK or not. */\n        \
         @JvmStatic public fun of(value: String): {name} = {name}(value)\n    }}\n}}",
        known.join(", ")
    )
    .unwrap();
}

fn render_model(out: &mut String, m: &Model) {
    let (fields, item) = m.all_fields();
    if is_alias(m) {
        writeln!(
            out,
            "\n/** {} */\npublic typealias {} = {}<{}>",
            m.doc,
            m.name,
            m.base.unwrap_or("Page"),
            item.unwrap_or("JsonElement")
        )
        .unwrap();
        return;
    }
    let generic = m.is_generic();
    let tp = if generic { "<T>" } else { "" };
    writeln!(out, "\n/** {} */\npublic data class {}{tp}(", m.doc, m.name).unwrap();
    for f in &fields {
        assert_ne!(
            f.name, "extra",
            "{}: a field named `extra` clashes with the extra fields",
            m.name
        );
        let ty = value_type(&f.ty, item);
        if optional(f) {
            writeln!(
                out,
                "    /** {} */\n    val {}: {ty}? = null,",
                f.doc,
                ident(f.name)
            )
            .unwrap();
        } else {
            writeln!(out, "    /** {} */\n    val {}: {ty},", f.doc, ident(f.name)).unwrap();
        }
    }
    out.push_str(
        "    /** Fields newer than this SDK, as they came. */\n    val extra: Map<String, JsonElement> = emptyMap(),\n) {\n    \
         public companion object {\n",
    );
    let known: Vec<String> = fields.iter().map(|f| format!("\"{}\"", f.name)).collect();
    writeln!(
        out,
        "        private val KNOWN: Set<String> = setOf({})\n",
        known.join(", ")
    )
    .unwrap();
    let name = m.name;
    if generic {
        write!(
            out,
            "        /** Decodes a `{name}` of items decoded by `item`; a required field missing or of another type fails. */\n        \
             @JvmStatic\n        public fun <T> fromJson(json: JsonElement, item: (JsonElement) -> T): {name}<T> {{\n"
        )
        .unwrap();
    } else {
        write!(
            out,
            "        /** Decodes a `{name}`; a required field missing or of another type fails. */\n        \
             @JvmStatic\n        public fun fromJson(json: JsonElement): {name} {{\n"
        )
        .unwrap();
    }
    writeln!(
        out,
        "            val o = Decode.obj(json, \"{name}\")\n            return {name}("
    )
    .unwrap();
    for f in &fields {
        let how = if optional(f) { "opt" } else { "req" };
        writeln!(
            out,
            "                {} = Decode.{how}(o, \"{}\", \"{name}\", {}),",
            ident(f.name),
            f.name,
            reader(&f.ty, item, 0)
        )
        .unwrap();
    }
    out.push_str("                extra = Decode.extra(o, KNOWN),\n            )\n        }\n    }\n}\n");
}
