//! `crates/lasso-ai/src/error_kind.rs`: `ErrorKind`, one variant per code of
//! `lasso_spec::ERRORS`, so Rust callers branch on an enum where the other
//! languages catch a class, and a misspelt kind does not compile.

use std::fmt::Write;

use lasso_spec::errors::ERRORS;

use crate::names::variant_of;

pub fn render() -> String {
    let mut out = crate::header("//", "errors.rs");
    out.push_str(
        "//! [`ErrorKind`]: what kind of failure an [`Error`](crate::Error) is.\n\n\
         /// What kind of failure an [`Error`](crate::Error) is ([`Error::kind`](crate::Error::kind)).\n\
         /// Each kind has a stable [`code`](ErrorKind::code), the same string in every\n\
         /// language of the SDK; Python, Node and Kotlin raise a class per kind.\n\
         ///\n\
         /// Non-exhaustive: a `match` needs a `_` arm, so kinds added in a minor release\n\
         /// do not break it.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n\
         #[non_exhaustive]\n\
         pub enum ErrorKind {\n",
    );
    for e in ERRORS {
        let doc = match e.status {
            Some(status) => format!("HTTP {status} `{}`: {}", e.code, e.doc),
            None => format!("`{}`: {}", e.code, e.doc),
        };
        writeln!(out, "    /// {doc}\n    {},", variant_of(e.code)).unwrap();
    }
    out.push_str("}\n\nimpl ErrorKind {\n    /// Every kind, in the spec's order.\n    pub(crate) const ALL: &'static [ErrorKind] = &[\n");
    for e in ERRORS {
        writeln!(out, "        ErrorKind::{},", variant_of(e.code)).unwrap();
    }
    out.push_str("    ];\n\n    /// The stable code (`not_found`, `timeout`, …), shared by every language.\n    pub const fn code(self) -> &'static str {\n        match self {\n");
    for e in ERRORS {
        writeln!(
            out,
            "            ErrorKind::{} => \"{}\",",
            variant_of(e.code),
            e.code
        )
        .unwrap();
    }
    out.push_str("        }\n    }\n\n    /// The kind with this code.\n    pub(crate) fn from_code(code: &str) -> Option<ErrorKind> {\n        ErrorKind::ALL.iter().copied().find(|k| k.code() == code)\n    }\n\n    /// The HTTP status that selects this kind of API error when the body names\n    /// no known `error_type`.\n    pub(crate) const fn status(self) -> Option<u16> {\n        match self {\n");
    for e in ERRORS.iter().filter(|e| e.status.is_some()) {
        writeln!(
            out,
            "            ErrorKind::{} => Some({}),",
            variant_of(e.code),
            e.status.unwrap()
        )
        .unwrap();
    }
    out.push_str("            _ => None,\n        }\n    }\n}\n\n/// The code.\nimpl std::fmt::Display for ErrorKind {\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n        f.write_str(self.code())\n    }\n}\n");
    out
}
