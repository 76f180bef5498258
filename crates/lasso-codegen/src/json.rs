//! The JSON files: `tests/conformance/error_classes.json`, which the conformance,
//! fault and secrets suites of every language read to know the class each error
//! code raises. JSON has no comments, so the do-not-edit note is the `"//"` key.

use std::fmt::Write;

use lasso_spec::errors::ERRORS;

use crate::python_errors::class_name;

/// A JSON string literal.
pub fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `"//"` entry every generated JSON file starts with.
pub fn note(source: &str) -> String {
    let header = crate::header("", source);
    format!("  \"//\": {},\n", string(header.trim()))
}

/// `{"//": …, "classes": {"invalid_request": "InvalidRequestError", …}}`.
pub fn error_classes() -> String {
    let mut out = format!("{{\n{}  \"classes\": {{\n", note("errors.rs"));
    for (i, e) in ERRORS.iter().enumerate() {
        let comma = if i + 1 < ERRORS.len() { "," } else { "" };
        writeln!(
            out,
            "    {}: {}{comma}",
            string(e.code),
            string(&class_name(e.class))
        )
        .unwrap();
    }
    out.push_str("  }\n}\n");
    out
}
