//! `python/lasso/_error_classes.py`: a subclass of `LassoError` per class of
//! `lasso_spec::errors`, with its docstring and own fields (constructor keyword,
//! attribute, pickling), and `_BY_CODE`, the table `_exceptions._from_native`
//! picks the class from. `LassoError` itself stays hand-written in
//! `python/lasso/_exceptions.py`.

use std::fmt::Write;

use lasso_spec::errors::{error_classes, ErrorField, ErrorFieldType, ErrorKind, Std, ERRORS};

/// `NotFound` → `NotFoundError`.
pub fn class_name(base: &str) -> String {
    format!("{base}Error")
}

/// The class's docstring text: `404 \`not_found\`: …` for API errors.
pub fn summary(e: &ErrorKind) -> String {
    match e.status {
        Some(status) => format!("{status} `{}`: {}", e.code, e.doc),
        None => e.doc.to_owned(),
    }
}

fn std_base(s: Std) -> &'static str {
    match s {
        Std::InvalidArgument => "ValueError",
        Std::Timeout => "TimeoutError",
        Std::Os => "OSError",
        Std::FileNotFound => "FileNotFoundError",
        Std::FilePermission => "PermissionError",
    }
}

fn attr_type(f: &ErrorField) -> String {
    match f.ty {
        ErrorFieldType::Str | ErrorFieldType::Enum(_) => "Optional[str]".into(),
        ErrorFieldType::Num | ErrorFieldType::Duration => "Optional[float]".into(),
        // The response type of `lasso.types`, imported only while type checking.
        ErrorFieldType::Model(m) => format!("Optional[{m}]"),
    }
}

pub fn render() -> String {
    let mut out = crate::header("#", "errors.rs");
    out.push_str(
        "\"\"\"The exception classes of the Lasso SDK, one per kind of failure, and the table\n\
         from the core's stable error codes to them. Their base, `LassoError`, and\n\
         `_from_native`, which raises them, are in `_exceptions.py`.\"\"\"\n\n\
         from __future__ import annotations\n\n\
         from typing import TYPE_CHECKING, Any, Dict, Optional, Type\n\n\
         from ._exceptions import LassoError, _os_error_fields\n",
    );
    let mut models: Vec<&str> = ERRORS
        .iter()
        .flat_map(|e| e.fields)
        .filter_map(|f| match f.ty {
            ErrorFieldType::Model(m) => Some(m),
            _ => None,
        })
        .collect();
    models.sort_unstable();
    models.dedup();
    if !models.is_empty() {
        writeln!(
            out,
            "\nif TYPE_CHECKING:\n    from .types import {}",
            models.join(", ")
        )
        .unwrap();
    }
    out.push_str("\n__all__ = [\n");
    let classes = error_classes();
    for e in &classes {
        writeln!(out, "    \"{}\",", class_name(e.class)).unwrap();
    }
    out.push_str("]\n");
    for e in &classes {
        render_class(&mut out, e);
    }
    out.push_str(
        "\n\n#: The core's stable error code (`kind`) → the class raised; codes not listed raise `LassoError`.\n\
         _BY_CODE: Dict[str, Type[LassoError]] = {\n",
    );
    for e in ERRORS {
        writeln!(out, "    \"{}\": {},", e.code, class_name(e.class)).unwrap();
    }
    out.push_str("}\n");
    out
}

fn render_class(out: &mut String, e: &ErrorKind) {
    let mut bases = vec![class_name(e.parent.unwrap_or(lasso_spec::BASE_CLASS))];
    bases.extend(e.also.iter().map(|s| std_base(*s).to_owned()));
    write!(out, "\n\nclass {}({}):\n", class_name(e.class), bases.join(", ")).unwrap();
    if e.fields.is_empty() {
        writeln!(out, "    \"\"\"{}\"\"\"", summary(e)).unwrap();
        return;
    }
    writeln!(out, "    \"\"\"{}\n\n    Attributes:", summary(e)).unwrap();
    for f in e.fields {
        let one_of = if matches!(f.ty, ErrorFieldType::Enum(_)) {
            " One of:"
        } else {
            ""
        };
        let unit = if matches!(f.ty, ErrorFieldType::Duration) {
            " In seconds."
        } else {
            ""
        };
        writeln!(out, "        {}: {}{unit}{one_of}", f.attr, f.doc).unwrap();
        if let ErrorFieldType::Enum(values) = f.ty {
            for (value, doc) in values.values {
                writeln!(out, "            ``\"{value}\"``: {doc}").unwrap();
            }
        }
    }
    out.push_str("    \"\"\"\n");
    let own: Vec<&ErrorField> = e.own_fields().collect();
    if own.is_empty() {
        return;
    }
    out.push('\n');
    for f in &own {
        writeln!(out, "    {}: {}", f.attr, attr_type(f)).unwrap();
    }
    let keywords: Vec<String> = own
        .iter()
        .map(|f| format!("{}: {} = None", f.name, attr_type(f)))
        .collect();
    write!(
        out,
        "\n    def __init__(self, *args: Any, {}, **kwargs: Any) -> None:\n        super().__init__(*args, **kwargs)\n",
        keywords.join(", ")
    )
    .unwrap();
    for f in &own {
        writeln!(out, "        self.{} = {}", f.attr, f.name).unwrap();
    }
    if e.also.contains(&Std::Os) {
        // A real `OSError`: `errno`, `strerror` and `filename` from the core's fields.
        let has = |name: &str| own.iter().any(|f| f.name == name);
        assert!(
            has("os_code") && has("path"),
            "{}: an OSError class needs path and os_code",
            e.class
        );
        out.push_str("        _os_error_fields(self, os_code, path)\n");
    }
    let saved: Vec<String> = own
        .iter()
        .map(|f| format!("\"{}\": self.{}", f.name, f.attr))
        .collect();
    write!(
        out,
        "\n    def __reduce__(self) -> Any:\n        \
         # The base pickles the common fields; these go back through the constructor's keywords.\n        \
         rebuild, (cls, fields) = super().__reduce__()\n        \
         return (rebuild, (cls, {{**fields, {}}}))\n",
        saved.join(", ")
    )
    .unwrap();
}
