//! `kotlin/src/main/kotlin/ai/lasso/generated/Exceptions.kt`: a subclass of
//! `LassoException` per class of `lasso_spec::errors` (`NotFound` →
//! `NotFoundException`), with its KDoc and own fields, the enumerations of those
//! fields, and `ERROR_CLASSES`, the table from the core's error codes to the
//! classes that `LassoException.fromNative` reads. `LassoException` itself stays
//! hand-written in `kotlin/src/main/kotlin/ai/lasso/LassoException.kt`.

use std::fmt::Write;

use lasso_spec::errors::{error_classes, ErrorField, ErrorFieldType, ErrorKind, Std, ERRORS};

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

/// The own fields of a class's ancestors, the farthest first: a subclass takes
/// them in its constructor and hands them on (`LocalFileNotFoundException` has
/// the `path` of `LocalFileException`).
fn ancestor_fields(e: &ErrorKind) -> Vec<&'static ErrorField> {
    let classes = error_classes();
    let mut chain = Vec::new();
    let mut parent = e.parent;
    while let Some(name) = parent {
        let Some(p) = classes.iter().find(|c| c.class == name) else {
            break;
        };
        chain.push(*p);
        parent = p.parent;
    }
    chain.iter().rev().flat_map(|p| p.own_fields()).collect()
}

/// The JDK exception a class stands for, as its `cause`, where Kotlin's single
/// inheritance cannot make it one (Python's classes also derive from these):
/// `catch` the SDK's class, and find the JDK's in `cause`. The most specific wins.
fn jdk_cause(e: &ErrorKind) -> Option<&'static str> {
    let path_field = ancestor_fields(e)
        .into_iter()
        .chain(e.own_fields())
        .any(|f| f.name == "path");
    if !path_field {
        return None;
    }
    [
        (Std::FileNotFound, "java.nio.file.NoSuchFileException"),
        (Std::FilePermission, "java.nio.file.AccessDeniedException"),
        (Std::Os, "java.nio.file.FileSystemException"),
    ]
    .into_iter()
    .find(|(std, _)| e.also.contains(std))
    .map(|(_, class)| class)
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
        let own: Vec<&ErrorField> = ancestor_fields(e).into_iter().chain(e.own_fields()).collect();
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
    let inherited = ancestor_fields(e);
    let own: Vec<&ErrorField> = e.own_fields().collect();
    let cause = jdk_cause(e).map(|jdk| {
        format!(
            " {{\n    /** A `{jdk}` for [path], as `java.nio.file` reports this failure. */\n    \
             override val cause: Throwable? by lazy {{ {jdk}(path, null, message) }}\n}}"
        )
    });
    let body = cause.unwrap_or_default();
    if own.is_empty() && inherited.is_empty() {
        writeln!(
            out,
            "public open class {name}(message: String, fields: ErrorFields = ErrorFields()) : {parent}(message, fields){body}"
        )
        .unwrap();
        return;
    }
    writeln!(
        out,
        "public open class {name}(\n    message: String,\n    fields: ErrorFields = ErrorFields(),"
    )
    .unwrap();
    for f in &inherited {
        writeln!(out, "    {}: {}? = null,", ident(f.attr), attr_type(f)).unwrap();
    }
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
    let handed: String = inherited.iter().map(|f| format!(", {}", ident(f.attr))).collect();
    writeln!(out, ") : {parent}(message, fields{handed}){body}").unwrap();
}
