//! `kotlin/src/main/kotlin/ai/lasso/generated/Exceptions.kt`: a subclass of
//! `LassoException` per class of `lasso_spec::errors` (`NotFound` →
//! `NotFoundException`), with its KDoc and own fields, the enumerations of those
//! fields, and `ERROR_CLASSES`, the table from the core's error codes to the
//! classes that `LassoException.fromNative` reads. `LassoException` itself stays
//! hand-written in `kotlin/src/main/kotlin/ai/lasso/LassoException.kt`.

use std::fmt::Write;

use lasso_spec::errors::{error_classes, ErrorField, ErrorFieldType, ErrorKind, ERRORS};

use crate::kotlin::ident;
use crate::kotlin_types::{decode_model, render_enum};
use crate::python_errors::summary;

/// `NotFound` → `NotFoundException`.
pub fn class_name(base: &str) -> String {
    format!("{base}Exception")
}

fn attr_type(f: &ErrorField) -> String {
    match f.ty {
        ErrorFieldType::Str => "String".into(),
        ErrorFieldType::Num => "Double".into(),
        ErrorFieldType::Duration => "kotlin.time.Duration".into(),
        ErrorFieldType::Enum(e) => e.name.into(),
        ErrorFieldType::Model(m) => m.into(),
    }
}

/// The expression reading a field from the core's error object `o` (lenient: `null`
/// when absent or of another shape).
fn read(f: &ErrorField) -> String {
    let key = f.name;
    match f.ty {
        ErrorFieldType::Str => format!("o.text(\"{key}\")"),
        ErrorFieldType::Num => format!("(o[\"{key}\"] as? JsonPrimitive)?.doubleOrNull"),
        // The core says seconds.
        ErrorFieldType::Duration => format!(
            "(o[\"{key}\"] as? JsonPrimitive)?.doubleOrNull?.let {{ kotlin.time.Duration.parse(\"${{it}}s\") }}"
        ),
        ErrorFieldType::Enum(e) => format!("o.text(\"{key}\")?.let {{ {}.of(it) }}", e.name),
        ErrorFieldType::Model(m) => format!(
            "o[\"{key}\"]?.let {{ runCatching {{ {} }}.getOrNull() }}",
            decode_model(m, "it")
        ),
    }
}

pub fn render() -> String {
    let mut out = crate::header("//", "errors.rs");
    out.push_str(
        "package ai.lasso\n\n\
         import kotlinx.serialization.json.JsonObject\n\
         import kotlinx.serialization.json.JsonPrimitive\n\
         import kotlinx.serialization.json.doubleOrNull\n",
    );
    let classes = error_classes();
    for f in classes.iter().flat_map(|e| e.own_fields()) {
        if let ErrorFieldType::Enum(e) = f.ty {
            render_enum(&mut out, e);
        }
    }
    for e in &classes {
        render_class(&mut out, e);
    }
    out.push_str(
        "\n/**\n * The core's stable error code → the exception thrown; codes not listed throw a plain\n \
         * [LassoException]. Each maker takes the message, the common fields and the core's error object.\n */\n\
         internal val ERROR_CLASSES: Map<String, (String, ErrorFields, JsonObject) -> LassoException> =\n    mapOf(\n",
    );
    for e in ERRORS {
        let own: Vec<&ErrorField> = e.own_fields().collect();
        let args: String = own
            .iter()
            .map(|f| format!(", {} = {}", ident(f.attr), read(f)))
            .collect();
        let o = if own.is_empty() { "_" } else { "o" };
        writeln!(
            out,
            "        \"{}\" to {{ m, f, {o} -> {}(m, f{args}) }},",
            e.code,
            class_name(e.class)
        )
        .unwrap();
    }
    out.push_str("    )\n");
    out
}

fn render_class(out: &mut String, e: &ErrorKind) {
    let name = class_name(e.class);
    let parent = class_name(e.parent.unwrap_or(lasso_spec::BASE_CLASS));
    writeln!(out, "\n/**\n * {}", summary(e)).unwrap();
    for f in e.fields.iter().filter(|f| f.inherited) {
        writeln!(out, " *\n * `{}`: {}", ident(f.attr), f.doc).unwrap();
    }
    out.push_str(" */\n");
    let own: Vec<&ErrorField> = e.own_fields().collect();
    if own.is_empty() {
        writeln!(
            out,
            "public open class {name}(message: String, fields: ErrorFields = ErrorFields()) : {parent}(message, fields)"
        )
        .unwrap();
        return;
    }
    writeln!(
        out,
        "public open class {name}(\n    message: String,\n    fields: ErrorFields = ErrorFields(),"
    )
    .unwrap();
    for f in &own {
        writeln!(
            out,
            "    /** {} */\n    public val {}: {}? = null,",
            f.doc,
            ident(f.attr),
            attr_type(f)
        )
        .unwrap();
    }
    writeln!(out, ") : {parent}(message, fields)").unwrap();
}
